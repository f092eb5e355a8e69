//! The Definition of Ready, evaluated for one story.

use std::fmt;

use super::product::{ReadyRules, Rule};
use super::story::{Status, Story};

/// One reason a story is not ready.
#[derive(Clone, Debug, PartialEq)]
pub enum Missing {
    /// The user-story sentence lacks these parts ("as a", "I want",
    /// "so that").
    UserStory(Vec<&'static str>),
    AcceptanceCriteria,
    Estimate,
    TooBig {
        points: f64,
        max: f64,
    },
    OpenQuestions(usize),
}

impl Missing {
    /// The rule this reason breaks.
    #[must_use]
    pub fn rule(&self) -> Rule {
        match self {
            Missing::UserStory(_) => Rule::UserStory,
            Missing::AcceptanceCriteria => Rule::AcceptanceCriteria,
            Missing::Estimate => Rule::Estimated,
            Missing::TooBig { .. } => Rule::SmallEnough,
            Missing::OpenQuestions(_) => Rule::NoOpenQuestions,
        }
    }
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Missing::UserStory(parts) => {
                write!(f, "user-story sentence lacks \"{}\"", parts.join("\", \""))
            }
            Missing::AcceptanceCriteria => f.write_str("no acceptance criteria"),
            Missing::Estimate => f.write_str("not estimated"),
            Missing::TooBig { points, max } => {
                write!(
                    f,
                    "estimate {points} is above the maximum of {max}: split it"
                )
            }
            Missing::OpenQuestions(1) => f.write_str("1 open question"),
            Missing::OpenQuestions(n) => write!(f, "{n} open questions"),
        }
    }
}

/// What keeps `story` from being ready under `rules`; empty when it is
/// ready. Cheap: it looks at one story and counts its comments.
#[must_use]
pub fn missing(story: &Story, rules: &ReadyRules) -> Vec<Missing> {
    let mut out = Vec::new();
    if rules.user_story {
        let parts: Vec<&'static str> = [
            ("as a", &story.as_a),
            ("I want", &story.i_want),
            ("so that", &story.so_that),
        ]
        .into_iter()
        .filter(|(_, text)| text.trim().is_empty())
        .map(|(name, _)| name)
        .collect();
        if !parts.is_empty() {
            out.push(Missing::UserStory(parts));
        }
    }
    if rules.acceptance_criteria && story.acceptance_criteria.is_empty() {
        out.push(Missing::AcceptanceCriteria);
    }
    match story.points {
        None if rules.estimated => out.push(Missing::Estimate),
        Some(p) if rules.small_enough && p > rules.max_points => out.push(Missing::TooBig {
            points: p.value(),
            max: rules.max_points.value(),
        }),
        _ => {}
    }
    let open = story.open_questions();
    if rules.no_open_questions && open > 0 {
        out.push(Missing::OpenQuestions(open));
    }
    out
}

/// Whether `story` passes every rule that is on: [`missing`] is empty.
/// It stops at the first rule failed, looking at the story's own fields
/// before the text they point to, since prioritisation asks it of every
/// story of the backlog.
#[must_use]
pub fn is_ready(story: &Story, rules: &ReadyRules) -> bool {
    let estimate = match story.points {
        None => !rules.estimated,
        Some(p) => !(rules.small_enough && p > rules.max_points),
    };
    estimate
        && !(rules.acceptance_criteria && story.acceptance_criteria.is_empty())
        && !(rules.no_open_questions && story.open_questions() > 0)
        && !(rules.user_story
            && [&story.as_a, &story.i_want, &story.so_that]
                .iter()
                .any(|text| blank(text)))
}

/// Whether `text` is empty or only white space, reading no more of it
/// than its first byte when that is a printable letter, as it nearly
/// always is.
fn blank(text: &str) -> bool {
    match text.as_bytes().first() {
        None => true,
        Some(b) if b.is_ascii_graphic() => false,
        Some(_) => text.trim().is_empty(),
    }
}

/// The Definition of Ready at a glance, as the backlog table and
/// `backlog list` show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Meets the Definition of Ready: `✓`.
    Ready,
    /// Does not: `✗`.
    NotReady,
    /// Set to ready although it does not: `!`.
    ReadyAnyway,
}

impl Mark {
    #[must_use]
    pub fn symbol(self) -> char {
        match self {
            Mark::Ready => '✓',
            Mark::NotReady => '✗',
            Mark::ReadyAnyway => '!',
        }
    }
}

/// Whether a story not yet taken on (draft or ready) meets the Definition
/// of Ready; `None` for stories in progress, done or rejected, which are
/// past it. What the ready filter and `list --json`'s `ready` ask, so
/// they agree with the [`mark`]: `Some(true)` exactly when it is `✓`.
#[must_use]
pub fn meets(story: &Story, rules: &ReadyRules) -> Option<bool> {
    match story.status {
        Status::Draft | Status::Ready => Some(is_ready(story, rules)),
        Status::InProgress | Status::Done | Status::Rejected => None,
    }
}

/// The mark of a story not yet taken on (draft or ready); `None` for
/// stories in progress, done or rejected, which are past it.
#[must_use]
pub fn mark(story: &Story, rules: &ReadyRules) -> Option<Mark> {
    Some(if meets(story, rules)? {
        Mark::Ready
    } else if story.status == Status::Ready {
        Mark::ReadyAnyway
    } else {
        Mark::NotReady
    })
}

/// What keeps `story` from being ready, as sentences for the user.
#[must_use]
pub fn reasons(story: &Story, rules: &ReadyRules) -> Vec<String> {
    missing(story, rules)
        .iter()
        .map(ToString::to_string)
        .collect()
}
