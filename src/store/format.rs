//! The JSON file format and its schema versions.
//!
//! Field order is fixed by the structs, stories are written sorted by id,
//! and output is pretty-printed, so a reorder is a one-line diff. Unknown
//! fields are refused rather than dropped: saving would otherwise lose them.

use std::io::{self, Write};
use std::sync::Arc;

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Serialize};

use super::line_and_column;
use crate::model::{
    Backlog, Clash, Epic, Feedback, FeedbackId, ModelError, PastSprint, Product, Release, Settings,
    Sprint, Story, StoryId, same_name,
};

/// The schema this build writes, and the newest it reads.
///
/// - 1: product, vision, stories.
/// - 2: adds goals, settings (estimate scale, Definition of Ready) and
///   epics with colours; stories gain comments, splits and ready
///   overrides. A schema-1 file reads as is: its stories' epics become
///   epic entries, and the settings take their defaults.
/// - 3: stories gain prioritisation inputs (`priority`) and the stories
///   they are blocked by (`blocked_by`); settings gain `priority` (the
///   WSJF scale, ICE, the value/effort thresholds, the weighted engine's
///   coefficients). A schema-2 file reads as is.
/// - 4: the release plan: `releases` (each with a target date and a
///   scope), `sprints` and `past_sprints` (velocity entered by hand);
///   stories gain their `status_history`; settings gain `plan`. A
///   schema-3 file reads as is: each release its epics name becomes a
///   release without a date, and each done story is taken to have been
///   done when it last changed (marked as a guess).
/// - 5: customer feedback (`feedback`, counted by `next_feedback_id`);
///   stories gain the `origin` an import gave them. A schema-4 file reads
///   as is.
/// - 6: a story's comments may be a `decision`, a resolved question keeps
///   its `answer`, and a comment its author changed says when
///   (`edited`). A comment is never both a question and a decision, and
///   an answer belongs to a resolved question: a file that says
///   otherwise is refused, naming the comment. A schema-5 file reads as
///   is.
/// - 7: `conflicts`, the clashes a git merge left (see
///   [`Clash`]): each names its story, if any, and the field both sides
///   changed, with the base's, ours' and theirs' values. Left out when
///   there are none. A clash naming a story the file does not have is
///   refused, naming the clash. A schema-6 file reads as is.
pub const SCHEMA: u32 = 7;

#[derive(Serialize)]
struct FileOut<'a> {
    schema: u32,
    product: &'a str,
    vision: &'a str,
    goals: &'a [String],
    settings: &'a Settings,
    epics: &'a [Epic],
    #[serde(skip_serializing_if = "<[Release]>::is_empty")]
    releases: &'a [Release],
    #[serde(skip_serializing_if = "<[Sprint]>::is_empty")]
    sprints: &'a [Sprint],
    #[serde(skip_serializing_if = "<[PastSprint]>::is_empty")]
    past_sprints: &'a [PastSprint],
    #[serde(skip_serializing_if = "is_zero")]
    next_feedback_id: u64,
    #[serde(skip_serializing_if = "<[Arc<Feedback>]>::is_empty")]
    feedback: &'a [Arc<Feedback>],
    next_id: u64,
    stories: &'a [Arc<Story>],
    #[serde(skip_serializing_if = "<[Clash]>::is_empty")]
    conflicts: &'a [Clash],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    schema: u32,
    #[serde(default)]
    product: String,
    #[serde(default)]
    vision: String,
    #[serde(default)]
    goals: Vec<String>,
    #[serde(default)]
    settings: Settings,
    #[serde(default)]
    epics: Vec<Epic>,
    #[serde(default)]
    releases: Vec<Release>,
    #[serde(default)]
    sprints: Vec<Sprint>,
    #[serde(default)]
    past_sprints: Vec<PastSprint>,
    #[serde(default)]
    next_feedback_id: u64,
    #[serde(default)]
    feedback: Vec<Arc<Feedback>>,
    #[serde(default)]
    next_id: u64,
    #[serde(default)]
    stories: Vec<Story>,
    #[serde(default)]
    conflicts: Vec<Clash>,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The file's text for a backlog, ending in a newline: what
/// [`write_json`] writes, gathered whole.
#[must_use]
pub fn to_json(backlog: &Backlog) -> String {
    let mut bytes = Vec::new();
    write_json(backlog, &mut bytes).expect("a backlog always serializes");
    String::from_utf8(bytes).expect("JSON is UTF-8")
}

/// Write the file's text for a backlog to `out` without making it whole
/// first: a save streams it into the file. `out` should be buffered, as
/// serde writes a few bytes at a time.
///
/// # Errors
/// When `out` fails; a backlog itself always serializes.
pub fn write_json(backlog: &Backlog, mut out: impl Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut out, &file_out(backlog))?;
    out.write_all(b"\n")
}

fn file_out(backlog: &Backlog) -> FileOut<'_> {
    FileOut {
        schema: SCHEMA,
        product: &backlog.product.name,
        vision: &backlog.product.vision,
        goals: &backlog.product.goals,
        settings: &backlog.product.settings,
        epics: &backlog.product.epics,
        releases: &backlog.product.releases,
        sprints: &backlog.product.sprints,
        past_sprints: &backlog.product.past_sprints,
        next_feedback_id: backlog.product.next_feedback,
        feedback: &backlog.product.feedback,
        next_id: backlog.next_id(),
        stories: backlog.stories_by_id(),
        conflicts: backlog.clashes(),
    }
}

/// Parse the file's text.
///
/// # Errors
/// A message naming the line and column of a syntax or field error, or the
/// schema when the file comes from a newer `backlog`.
pub fn from_json(text: &str) -> Result<Backlog, String> {
    let file: FileIn = super::parse_versioned(text, |f: &FileIn| f.schema, check_schema)?;
    if let Some(pair) = file
        .epics
        .iter()
        .enumerate()
        .find(|(i, e)| file.epics[..*i].iter().any(|o| o.name == e.name))
    {
        let name = &pair.1.name;
        let place = second_entry_with(text, "epics", "name", |v| v == name);
        return Err(format!("epic {name:?} appears twice{}", again(place)));
    }
    if let Some(pair) = file.releases.iter().enumerate().find(|(i, r)| {
        file.releases[..*i]
            .iter()
            .any(|o| same_name(&o.name, &r.name))
    }) {
        let name = &pair.1.name;
        let place = second_entry_with(text, "releases", "name", |v| same_name(v, name));
        return Err(format!("release {name:?} appears twice{}", again(place)));
    }
    if let Some(pair) = file.sprints.iter().enumerate().find(|(i, s)| {
        file.sprints[..*i]
            .iter()
            .any(|o| same_name(&o.name, &s.name))
    }) {
        let name = &pair.1.name;
        let place = second_entry_with(text, "sprints", "name", |v| same_name(v, name));
        return Err(format!("sprint {name:?} appears twice{}", again(place)));
    }
    // Schema 1 had no epic entries: `from_parts` makes one for each epic
    // the stories name, which is the whole migration.
    let product = Product {
        name: file.product,
        vision: file.vision,
        goals: file.goals,
        epics: file.epics,
        settings: file.settings,
        releases: file.releases,
        sprints: file.sprints,
        past_sprints: file.past_sprints,
        feedback: file.feedback,
        next_feedback: file.next_feedback_id,
    };
    let mut backlog =
        Backlog::from_parts(product, file.next_id, file.stories).map_err(|e| match e {
            ModelError::DuplicateId(id) => {
                let same = |v: &str| v.parse::<StoryId>() == Ok(id);
                format!(
                    "{e}{}",
                    again(second_entry_with(text, "stories", "id", same))
                )
            }
            ModelError::DuplicateFeedback(id) => {
                let same = |v: &str| v.parse::<FeedbackId>() == Ok(id);
                format!(
                    "{e}{}",
                    again(second_entry_with(text, "feedback", "id", same))
                )
            }
            ModelError::QuestionAndDecision { id, number }
            | ModelError::AnswerWithoutQuestion { id, number } => {
                let place = comment_place(text, id, number);
                format!(
                    "{e}{}",
                    place.map_or_else(String::new, |(line, column)| format!(
                        ", at line {line} column {column}"
                    ))
                )
            }
            other => other.to_string(),
        })?;
    if let Err(ModelError::UnknownStory(id)) = backlog.record_clashes(file.conflicts) {
        let place = nth_entry_with(text, "conflicts", "story", 0, |v| {
            v.parse::<StoryId>() == Ok(id)
        });
        return Err(format!(
            "a conflict names story {id}, which the file does not have{}",
            place.map_or_else(String::new, |(line, column)| format!(
                ", at line {line} column {column}"
            ))
        ));
    }
    Ok(backlog)
}

fn again(place: Option<(usize, usize)>) -> String {
    place.map_or_else(String::new, |(line, column)| {
        format!(", again at line {line} column {column}")
    })
}

/// The line and column of `field`'s value in the second entry of the
/// top-level list `list` whose `field` is a string that is `same`. A
/// repeat is found after parsing, where serde no longer knows places, so
/// the text is walked again for it.
fn second_entry_with(
    text: &str,
    list: &str,
    field: &str,
    same: impl Fn(&str) -> bool,
) -> Option<(usize, usize)> {
    nth_entry_with(text, list, field, 1, same)
}

/// As [`second_entry_with`], for the `nth` (0-based) such entry.
fn nth_entry_with(
    text: &str,
    list: &str,
    field: &str,
    nth: usize,
    same: impl Fn(&str) -> bool,
) -> Option<(usize, usize)> {
    let mut walk = Walk { text, at: 0 };
    let mut seen = Vec::new();
    walk.fields(|walk, key| {
        if key != list {
            return walk.skip();
        }
        walk.items(|walk| {
            walk.fields(|walk, key| {
                if key != field {
                    return walk.skip();
                }
                let at = walk.start()?;
                let value = walk.value::<serde_json::Value>()?;
                if value.as_str().is_some_and(&same) {
                    seen.push(at);
                }
                Some(())
            })
        })
    });
    seen.get(nth)
        .map(|&at| line_and_column(text.as_bytes(), at))
}

/// The line and column where story `id`'s 1-based comment `number`
/// starts. A story's fields may come in any order, so its comments'
/// places are noted until its id is known.
fn comment_place(text: &str, id: StoryId, number: usize) -> Option<(usize, usize)> {
    let mut walk = Walk { text, at: 0 };
    let mut found = None;
    walk.fields(|walk, key| {
        if key != "stories" {
            return walk.skip();
        }
        walk.items(|walk| {
            let (mut this, mut starts) = (None, Vec::new());
            walk.fields(|walk, key| match key.as_str() {
                "id" => {
                    this = walk.value::<StoryId>();
                    Some(())
                }
                "comments" => walk.items(|walk| {
                    starts.push(walk.start()?);
                    walk.skip()
                }),
                _ => walk.skip(),
            })?;
            if this == Some(id) {
                found =
                    found.or_else(|| number.checked_sub(1).and_then(|i| starts.get(i)).copied());
            }
            Some(())
        })
    });
    found.map(|at| line_and_column(text.as_bytes(), at))
}

/// A cursor over JSON text that has already parsed, stepping through
/// objects and lists and letting serde read each value it stops at.
struct Walk<'a> {
    text: &'a str,
    at: usize,
}

impl Walk<'_> {
    /// Where the next value starts, past any whitespace.
    fn start(&mut self) -> Option<usize> {
        let rest = &self.text.as_bytes()[self.at..];
        self.at += rest.iter().position(|b| !b.is_ascii_whitespace())?;
        Some(self.at)
    }

    fn eat(&mut self, byte: u8) -> bool {
        let here = self.start().map(|at| self.text.as_bytes()[at]);
        if here == Some(byte) {
            self.at += 1;
        }
        here == Some(byte)
    }

    /// Read the value here and step past it.
    fn value<T: DeserializeOwned>(&mut self) -> Option<T> {
        let at = self.start()?;
        let mut values = serde_json::Deserializer::from_str(&self.text[at..]).into_iter::<T>();
        let value = values.next()?.ok();
        self.at = at + values.byte_offset();
        value
    }

    fn skip(&mut self) -> Option<()> {
        self.value::<IgnoredAny>().map(drop)
    }

    /// Call `each` with each key of the object here, the cursor on its
    /// value, which `each` steps past. Anything but an object is skipped.
    fn fields(&mut self, mut each: impl FnMut(&mut Self, String) -> Option<()>) -> Option<()> {
        if !self.eat(b'{') {
            return self.skip();
        }
        if self.eat(b'}') {
            return Some(());
        }
        loop {
            let key = self.value::<String>()?;
            if !self.eat(b':') {
                return None;
            }
            each(self, key)?;
            if self.eat(b'}') {
                return Some(());
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    /// Call `each` on each entry of the list here, which `each` steps
    /// past. Anything but a list is skipped.
    fn items(&mut self, mut each: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        if !self.eat(b'[') {
            return self.skip();
        }
        if self.eat(b']') {
            return Some(());
        }
        loop {
            each(self)?;
            if self.eat(b']') {
                return Some(());
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }
}

fn check_schema(schema: u32) -> Result<(), String> {
    if schema > SCHEMA {
        Err(format!(
            "the file has schema {schema}, written by a newer backlog; this one reads schema {SCHEMA} and older. Upgrade backlog to open it"
        ))
    } else if schema == 0 {
        Err(format!(
            "schema 0 is not a backlog schema (expected 1 to {SCHEMA})"
        ))
    } else {
        Ok(())
    }
}
