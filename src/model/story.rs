//! A user story and its parts: id, status, estimate, acceptance criteria.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use unicode_segmentation::UnicodeSegmentation;

use super::backlog::ModelError;
use super::feedback::Origin;
use super::inputs::{Input, InputValue, StoryInputs};
use super::plan::StatusChange;
use crate::rank::Rank;

/// A story's stable id, shown as `S-12`. Ids are never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StoryId(pub u64);

impl fmt::Display for StoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "S-{}", self.0)
    }
}

impl FromStr for StoryId {
    type Err = String;

    /// Accepts `S-12`, `s-12` and a bare `12`.
    ///
    /// ```
    /// use backlog::model::StoryId;
    ///
    /// assert_eq!("S-12".parse::<StoryId>(), Ok(StoryId(12)));
    /// assert_eq!("12".parse::<StoryId>().unwrap().to_string(), "S-12");
    /// assert!("S-0".parse::<StoryId>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let digits = text
            .strip_prefix("S-")
            .or_else(|| text.strip_prefix("s-"))
            .unwrap_or(text);
        match digits.parse::<u64>() {
            Ok(n) if n > 0 && digits.bytes().all(|b| b.is_ascii_digit()) => Ok(StoryId(n)),
            _ => Err(format!("{text:?} is not a story id (expected S-1, S-2, …)")),
        }
    }
}

impl Serialize for StoryId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for StoryId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Story ids as people type them: `S-3, S-9`, `3 9`; none when empty.
///
/// # Errors
/// The first that is not an id, saying so.
pub fn story_ids(text: &str) -> Result<Vec<StoryId>, String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|id| !id.is_empty())
        .map(str::parse)
        .collect()
}

/// Where a story is in its life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Draft,
    Ready,
    InProgress,
    Done,
    Rejected,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Draft,
        Status::Ready,
        Status::InProgress,
        Status::Done,
        Status::Rejected,
    ];

    /// The name used in the file, the CLI and on screen.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Ready => "ready",
            Status::InProgress => "in-progress",
            Status::Done => "done",
            Status::Rejected => "rejected",
        }
    }

    /// Whether work on a story in this status is still to come or under
    /// way: neither done nor rejected.
    #[must_use]
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Done | Status::Rejected)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| {
                format!(
                    "unknown status {text:?} (expected draft, ready, in-progress, done or rejected)"
                )
            })
    }
}

/// An estimate in story points. Whole numbers are written without a
/// fraction; halves (as in modified Fibonacci's ½) are allowed.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Points(f64);

impl Points {
    /// Whole or half points only, as every scale uses: sums of them are
    /// exact in `f64`, so the backlog's total never drifts.
    ///
    /// # Errors
    /// When the value is negative, not finite, absurdly large, or not a
    /// whole or half number.
    pub fn new(value: f64) -> Result<Self, String> {
        if in_range(value) && (value * 2.0).fract() == 0.0 {
            Ok(Points(value))
        } else {
            Err(format!(
                "{value} is not an estimate (expected whole or half points, 0 to 10000)"
            ))
        }
    }

    #[must_use]
    pub fn value(self) -> f64 {
        self.0
    }

    /// The estimate as a whole number, when it is one.
    #[must_use]
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub fn whole(self) -> Option<u64> {
        // `new` keeps the value in 0..=10000, so the cast is exact.
        (self.0.fract() == 0.0).then_some(self.0 as u64)
    }
}

/// Whether a number of points is one an estimate can be: 0 to 10000.
fn in_range(value: f64) -> bool {
    value.is_finite() && (0.0..=10_000.0).contains(&value)
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `f64`'s own Display already prints 5.0 as "5" and 0.5 as "0.5".
        write!(f, "{}", self.0)
    }
}

impl FromStr for Points {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let value: f64 = text
            .trim()
            .parse()
            .map_err(|_| format!("{text:?} is not a number of points"))?;
        Points::new(value)
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some(whole) = self.whole() {
            serializer.serialize_u64(whole)
        } else {
            serializer.serialize_f64(self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Points {
    /// A file keeps any estimate from 0 to 10000: older versions took
    /// fractions such as 2.3, and a file that holds one must still open.
    /// New estimates are whole or half points ([`Points::new`]).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        if in_range(value) {
            Ok(Points(value))
        } else {
            Err(serde::de::Error::custom(format!(
                "{value} is not an estimate (expected 0 to 10000 points)"
            )))
        }
    }
}

/// One checkable condition of satisfaction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub text: String,
    #[serde(default)]
    pub done: bool,
}

/// A user story. Field order here is the field order in the file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Story {
    pub id: StoryId,
    pub rank: Rank,
    pub title: String,
    #[serde(default)]
    pub as_a: String,
    #[serde(default)]
    pub i_want: String,
    #[serde(default)]
    pub so_that: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub acceptance_criteria: Vec<Criterion>,
    #[serde(default)]
    pub points: Option<Points>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub labels: Vec<String>,
    #[serde(default)]
    pub epic: Option<String>,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    /// Feedback and open questions, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<Comment>,
    /// The story this one was split from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split_from: Option<StoryId>,
    /// Stories split off this one, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub split_into: Vec<StoryId>,
    /// Set to ready although it failed the Definition of Ready: who, when,
    /// and what it lacked then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_override: Option<Override>,
    /// What the prioritisation frameworks weigh it by.
    #[serde(
        default,
        rename = "priority",
        skip_serializing_if = "StoryInputs::is_empty"
    )]
    pub inputs: StoryInputs,
    /// The stories that must be done before this one, as they were added.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked_by: Vec<StoryId>,
    /// Each change of its status, oldest first: when it was done, and how
    /// long it took, come from here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status_history: Vec<StatusChange>,
    /// Where an imported story came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

/// Who did something, and when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stamp {
    pub at: DateTime<Utc>,
    pub by: String,
}

/// A comment on a story: feedback, a question to be answered, or a
/// decision the team took (in a refinement meeting, say). A comment is
/// never both a question and a decision. Its text may run over several
/// lines.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comment {
    pub at: DateTime<Utc>,
    pub author: String,
    pub text: String,
    /// An open question counts against the Definition of Ready until it
    /// is resolved.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub question: bool,
    /// A decision stands on record as taken: nothing resolves it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub decision: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<Stamp>,
    /// What a resolved question was answered, when it was given an
    /// answer: set with `resolved`, and cleared when the question is
    /// opened again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// The author's last change of the text: who and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited: Option<Stamp>,
}

impl Comment {
    /// Feedback: a comment that is neither a question nor a decision.
    #[must_use]
    pub fn new(at: DateTime<Utc>, author: impl Into<String>, text: impl Into<String>) -> Self {
        Comment {
            at,
            author: author.into(),
            text: text.into(),
            question: false,
            decision: false,
            resolved: None,
            answer: None,
            edited: None,
        }
    }

    #[must_use]
    pub fn is_open_question(&self) -> bool {
        self.question && self.resolved.is_none()
    }

    /// Why the comment cannot stand as it is, if it cannot: both a
    /// question and a decision, or an answer on anything but a resolved
    /// question. `number` is its 1-based place on story `id`.
    #[must_use]
    pub fn contradiction(&self, id: StoryId, number: usize) -> Option<ModelError> {
        if self.question && self.decision {
            Some(ModelError::QuestionAndDecision { id, number })
        } else if self.answer.is_some() && !(self.question && self.resolved.is_some()) {
            Some(ModelError::AnswerWithoutQuestion { id, number })
        } else {
            None
        }
    }
}

/// A story set to ready despite failing the Definition of Ready.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub at: DateTime<Utc>,
    pub by: String,
    /// What the story lacked at the time.
    pub missing: Vec<String>,
}

impl Story {
    /// A new draft story with nothing but a title.
    #[must_use]
    pub fn new(id: StoryId, rank: Rank, title: impl Into<String>, now: DateTime<Utc>) -> Self {
        Story {
            id,
            rank,
            title: title.into(),
            as_a: String::new(),
            i_want: String::new(),
            so_that: String::new(),
            description: String::new(),
            acceptance_criteria: Vec::new(),
            points: None,
            status: Status::Draft,
            labels: Vec::new(),
            epic: None,
            created: now,
            updated: now,
            comments: Vec::new(),
            split_from: None,
            split_into: Vec::new(),
            ready_override: None,
            inputs: StoryInputs::default(),
            blocked_by: Vec::new(),
            status_history: Vec::new(),
            origin: None,
        }
    }

    /// Questions not yet resolved.
    #[must_use]
    pub fn open_questions(&self) -> usize {
        self.comments
            .iter()
            .filter(|c| c.is_open_question())
            .count()
    }

    /// Equal in everything but the place in the backlog. Every field is
    /// named, so a new field cannot be forgotten here.
    #[must_use]
    pub fn same_but_rank(&self, other: &Story) -> bool {
        let Story {
            id,
            rank: _,
            title,
            as_a,
            i_want,
            so_that,
            description,
            acceptance_criteria,
            points,
            status,
            labels,
            epic,
            created,
            updated,
            comments,
            split_from,
            split_into,
            ready_override,
            inputs,
            blocked_by,
            status_history,
            origin,
        } = self;
        *id == other.id
            && *title == other.title
            && *as_a == other.as_a
            && *i_want == other.i_want
            && *so_that == other.so_that
            && *description == other.description
            && *acceptance_criteria == other.acceptance_criteria
            && *points == other.points
            && *status == other.status
            && *labels == other.labels
            && *epic == other.epic
            && *created == other.created
            && *updated == other.updated
            && *comments == other.comments
            && *split_from == other.split_from
            && *split_into == other.split_into
            && *ready_override == other.ready_override
            && *inputs == other.inputs
            && *blocked_by == other.blocked_by
            && *status_history == other.status_history
            && *origin == other.origin
    }

    /// When it was last done: the last change of its status to done, while
    /// it is done.
    #[must_use]
    pub fn done_at(&self) -> Option<DateTime<Utc>> {
        if self.status != Status::Done {
            return None;
        }
        self.status_history
            .iter()
            .rev()
            .find(|change| change.to == Status::Done)
            .map(|change| change.at)
    }

    /// How long it took from when work on it started (its first change
    /// to in progress, else its first change away from draft or ready) to
    /// when it was done.
    #[must_use]
    /// None when it is not done, or when when it was done is a guess.
    pub fn cycle_time(&self) -> Option<chrono::Duration> {
        let done = self.done_at()?;
        if self.status_history.iter().any(|change| change.guessed) {
            return None;
        }
        let started = self
            .status_history
            .iter()
            .find(|change| change.to == Status::InProgress)
            .or_else(|| self.status_history.first())?;
        (started.at <= done).then(|| done - started.at)
    }

    /// The user-story sentence, when any of its parts is written.
    #[must_use]
    pub fn user_story_sentence(&self) -> Option<String> {
        if self.as_a.is_empty() && self.i_want.is_empty() && self.so_that.is_empty() {
            return None;
        }
        let part = |text: &str| {
            if text.is_empty() {
                "…".to_string()
            } else {
                text.to_string()
            }
        };
        Some(format!(
            "As a {}, I want {}, so that {}.",
            part(&self.as_a),
            part(&self.i_want),
            part(self.so_that.trim_end_matches('.'))
        ))
    }
}

/// A label as it is kept: without the `#` it is shown with (and often
/// typed with), and trimmed. Labels are compared without case, so `#ux`,
/// `UX` and `ux` are one label.
///
/// ```
/// use backlog::model::label_name;
///
/// assert_eq!(label_name(" #ux "), "ux");
/// assert_eq!(label_name("##ux"), "ux");
/// ```
#[must_use]
pub fn label_name(text: &str) -> &str {
    text.trim().trim_start_matches('#').trim()
}

/// The longest title a story may be given, in characters: a Jira summary's
/// limit, so titles travel to and from trackers whole. Files from before
/// the limit keep their longer titles.
pub const MAX_TITLE_LENGTH: usize = 255;

/// A title and description for a story whose title may be too long, as an
/// importer brings them in: the title cut at the last space at or before
/// [`MAX_TITLE_LENGTH`] characters (at the limit itself when one word runs
/// past it), and the rest of it moved to the top of the description, a
/// blank line before what the description held. A title that fits and the
/// description come back as they were (the title trimmed).
///
/// The cut falls between user-perceived characters (grapheme clusters),
/// never inside one: a letter keeps its accent, and an emoji sequence
/// (a family, a flag) stays whole, on one side or the other.
///
/// ```
/// use backlog::model::fit_title;
///
/// let long = format!("{} and more", "word ".repeat(51).trim_end());
/// let (title, description) = fit_title(&long, "Details.");
/// assert_eq!(title, "word ".repeat(51).trim_end());
/// assert_eq!(description, "and more\n\nDetails.");
/// ```
#[must_use]
pub fn fit_title(title: &str, description: &str) -> (String, String) {
    let title = title.trim();
    // The byte where the character past the limit starts, if there is one.
    let Some((limit, _)) = title.char_indices().nth(MAX_TITLE_LENGTH) else {
        return (title.to_string(), description.to_string());
    };
    // Where each grapheme up to the limit starts, and whether it is a
    // space: the cut goes at the last space, else the last grapheme that
    // fits whole. A single grapheme longer than the limit (a letter under
    // hundreds of marks) can only be cut at the limit.
    let starts: Vec<(usize, bool)> = title
        .grapheme_indices(true)
        .take_while(|(at, _)| *at <= limit)
        .map(|(at, g)| (at, g.starts_with(char::is_whitespace)))
        .collect();
    let whole = starts.last().map_or(0, |(at, _)| *at);
    let space = starts
        .iter()
        .rev()
        .find(|(at, space)| *space && !title[..*at].trim().is_empty())
        .map(|(at, _)| *at);
    let cut = match space {
        Some(at) => at,
        None if whole > 0 => whole,
        None => limit,
    };
    let (head, rest) = (title[..cut].trim_end(), title[cut..].trim_start());
    let description = if description.trim().is_empty() {
        rest.to_string()
    } else {
        format!("{rest}\n\n{description}")
    };
    (head.to_string(), description)
}

/// The fields a caller may change on a story; `None` leaves a field alone.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoryPatch {
    pub title: Option<String>,
    pub as_a: Option<String>,
    pub i_want: Option<String>,
    pub so_that: Option<String>,
    pub description: Option<String>,
    /// `Some(None)` clears the estimate.
    pub points: Option<Option<Points>>,
    pub status: Option<Status>,
    /// Labels to add (kept once each, in the order given; see
    /// [`label_name`]).
    pub add_labels: Vec<String>,
    pub remove_labels: Vec<String>,
    /// `Some(None)` removes the story from its epic. The name is matched
    /// without case.
    pub epic: Option<Option<String>>,
    /// Whether `epic` may name an epic that does not exist yet, which is
    /// then created; without it, such a name is refused, so a typo never
    /// makes an epic nobody asked for.
    pub new_epic: bool,
    pub add_criteria: Vec<String>,
    /// Replaces the whole list of acceptance criteria (before
    /// `add_criteria` are added).
    pub criteria: Option<Vec<Criterion>>,
    /// Replaces the labels (before `add_labels` and `remove_labels`).
    pub labels: Option<Vec<String>>,
    /// Setting the status to ready although the story fails the
    /// Definition of Ready: who overrides it, and when.
    pub override_ready: Option<Stamp>,
    /// Prioritisation inputs to set (`Some`) or clear (`None`), each
    /// checked against its scale.
    pub inputs: Vec<(Input, Option<InputValue>)>,
    /// Replaces the stories this one is blocked by (before
    /// `add_blocked_by` and `remove_blocked_by`).
    pub blocked_by: Option<Vec<StoryId>>,
    pub add_blocked_by: Vec<StoryId>,
    pub remove_blocked_by: Vec<StoryId>,
}

impl StoryPatch {
    /// A patch that only sets the title.
    #[must_use]
    pub fn title(title: impl Into<String>) -> Self {
        StoryPatch {
            title: Some(title.into()),
            ..StoryPatch::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_in_the_forms_people_type() {
        assert_eq!("S-12".parse::<StoryId>(), Ok(StoryId(12)));
        assert_eq!("s-3".parse::<StoryId>(), Ok(StoryId(3)));
        assert_eq!("7".parse::<StoryId>(), Ok(StoryId(7)));
        assert!("S-0".parse::<StoryId>().is_err());
        assert!("S-x".parse::<StoryId>().is_err());
        assert!("S-+4".parse::<StoryId>().is_err());
        assert!("".parse::<StoryId>().is_err());
    }

    #[test]
    fn points_print_whole_numbers_without_a_fraction() {
        assert_eq!(Points::new(5.0).unwrap().to_string(), "5");
        assert_eq!(Points::new(0.5).unwrap().to_string(), "0.5");
        assert_eq!(
            serde_json::to_string(&Points::new(8.0).unwrap()).unwrap(),
            "8"
        );
        assert!(Points::new(-1.0).is_err());
        assert!(Points::new(0.1).is_err(), "only whole or half points");
        assert!(Points::new(2.5).is_ok());
        // A file from before keeps its fractions.
        let kept = serde_json::from_str::<Points>("2.3").unwrap().value();
        assert!((kept - 2.3).abs() < f64::EPSILON);
        assert!(serde_json::from_str::<Points>("-1").is_err());
        assert!("abc".parse::<Points>().is_err());
    }

    #[test]
    fn statuses_round_trip() {
        for status in Status::ALL {
            assert_eq!(status.as_str().parse::<Status>(), Ok(status));
        }
        assert!("started".parse::<Status>().is_err());
    }
}
