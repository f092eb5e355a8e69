//! The JSON file format and its schema versions.
//!
//! Field order is fixed by the structs, stories are written sorted by id,
//! and output is pretty-printed, so a reorder is a one-line diff. Unknown
//! fields are refused rather than dropped: saving would otherwise lose them.

use std::fmt;
use std::io::{self, Write};
use std::num::NonZero;
use std::sync::Arc;
use std::thread;

use serde::de::{DeserializeOwned, IgnoredAny, SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use super::line_and_column;
use super::reading::{self, Reading};
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
    stories: StoriesOut<'a>,
    #[serde(skip_serializing_if = "<[Clash]>::is_empty")]
    conflicts: &'a [Clash],
}

/// The stories to write, each from the text it was read from when it is
/// the very story read from it (see [`Verbatim`]).
struct StoriesOut<'a> {
    stories: &'a [Arc<Story>],
    verbatim: &'a [(Arc<Story>, &'a RawValue)],
}

impl Serialize for StoriesOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut list = serializer.serialize_seq(Some(self.stories.len()))?;
        // Both are sorted by id: one walk pairs them.
        let mut kept = self.verbatim.iter().peekable();
        for story in self.stories {
            while kept.next_if(|(read, _)| read.id < story.id).is_some() {}
            match kept.peek() {
                Some((read, text)) if Arc::ptr_eq(read, story) => list.serialize_element(text)?,
                _ => list.serialize_element(&**story)?,
            }
        }
        list.end()
    }
}

/// The stories of a file as it spelled them, for writing back those a
/// command did not change without making their text again: at a hundred
/// thousand stories that is most of a CLI write's time.
///
/// Each story read is kept beside its text. Every change to a story makes
/// a new one (the backlog's stories are shared, and copied on change), so
/// a story that is still the very one read is known to be unchanged,
/// including by what reading it folded or moved. Its text is then written
/// as it was: the same content, in the file's own layout, which
/// [`write_json`] would write byte for byte for a file it wrote.
#[derive(Debug, Default)]
pub(crate) struct Verbatim<'a> {
    /// Sorted by id.
    stories: Vec<(Arc<Story>, &'a RawValue)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn<'a> {
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
    /// Each story's text, read when the rest is (see [`parse_stories`]).
    #[serde(default, borrow)]
    stories: StoryTexts<'a>,
    #[serde(default)]
    conflicts: Vec<Clash>,
}

/// Each story's text, as the file lists them, each counted as found into
/// the read this thread reports on (see [`Reading::finding`]): finding
/// them is a fifth of a read's time.
#[derive(Default)]
struct StoryTexts<'a>(Vec<&'a RawValue>);

impl<'de: 'a, 'a> Deserialize<'de> for StoryTexts<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Each<'a>(std::marker::PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for Each<'a> {
            type Value = Vec<&'a RawValue>;

            // As a `Vec`'s: a file that is wrong here is told so in the
            // same words as before stories were counted.
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a sequence")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut stories = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(story) = seq.next_element::<&'a RawValue>()? {
                    reading::story_found(story.get().len());
                    stories.push(story);
                }
                Ok(stories)
            }
        }

        deserializer
            .deserialize_seq(Each(std::marker::PhantomData))
            .map(StoryTexts)
    }
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
pub fn write_json(backlog: &Backlog, out: impl Write) -> io::Result<()> {
    write_json_keeping(backlog, &Verbatim::default(), out)
}

/// As [`write_json`], writing each story `verbatim` holds unchanged as
/// it was read.
///
/// # Errors
/// As [`write_json`].
pub(crate) fn write_json_keeping(
    backlog: &Backlog,
    verbatim: &Verbatim<'_>,
    mut out: impl Write,
) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut out, &file_out(backlog, verbatim))?;
    out.write_all(b"\n")
}

fn file_out<'a>(backlog: &'a Backlog, verbatim: &'a Verbatim<'a>) -> FileOut<'a> {
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
        stories: StoriesOut {
            stories: backlog.stories_by_id(),
            verbatim: &verbatim.stories,
        },
        conflicts: backlog.clashes(),
    }
}

/// Parse the file's text.
///
/// # Errors
/// A message naming the line and column of a syntax or field error, or the
/// schema when the file comes from a newer `backlog`.
pub fn from_json(text: &str) -> Result<Backlog, String> {
    read_json_reporting(text, &Arc::default(), false).map(|(backlog, _)| backlog)
}

/// As [`from_json`], counting what is done into `reading` as it goes,
/// and keeping each story's text beside it (see [`Verbatim`]) when
/// `keep` says so and the file is of this build's schema: a reader that
/// will not write has no use for it, and an older file's stories are
/// written anew, in this schema.
pub(crate) fn read_json_reporting<'a>(
    text: &'a str,
    reading: &Arc<Reading>,
    keep: bool,
) -> Result<(Backlog, Verbatim<'a>), String> {
    let file: FileIn =
        reading.finding(|| super::parse_versioned(text, |f: &FileIn| f.schema, check_schema))?;
    let file_stories = &file.stories.0;
    reading.all_found(file_stories.iter().map(|story| story.get().len()).sum());
    let stories = parse_stories(text, file_stories, reading)?;
    let verbatim = if keep && file.schema == SCHEMA {
        let mut kept: Vec<(Arc<Story>, &RawValue)> = stories
            .iter()
            .cloned()
            .zip(file_stories.iter().copied())
            .collect();
        // Nearly always in order already, which the sort sees at once.
        kept.sort_by_key(|(story, _)| story.id);
        Verbatim { stories: kept }
    } else {
        Verbatim::default()
    };
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
    let mut backlog = Backlog::from_parts(product, file.next_id, stories).map_err(|e| match e {
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
    Ok((backlog, verbatim))
}

/// How many stories make it worth parsing them on more than one thread.
const PARALLEL_FROM: usize = 4_096;

/// The most threads that parse stories: past a few, the file's reading
/// and the memory's speed are the limit.
const MOST_THREADS: usize = 4;

/// Parse each story's text: on each core, in runs of the file's order,
/// for a large file. The first story in the file that does not parse is
/// the one reported, where it is in the file.
fn parse_stories(
    text: &str,
    raw: &[&RawValue],
    reading: &Reading,
) -> Result<Vec<Arc<Story>>, String> {
    let threads = if raw.len() < PARALLEL_FROM {
        1
    } else {
        thread::available_parallelism().map_or(1, NonZero::get)
    }
    .min(MOST_THREADS);
    if threads == 1 {
        return parse_run(text, raw, reading);
    }
    thread::scope(|scope| {
        let runs: Vec<_> = raw
            .chunks(raw.len().div_ceil(threads))
            .map(|run| {
                thread::Builder::new()
                    .name("backlog-read".into())
                    .spawn_scoped(scope, move || parse_run(text, run, reading))
                    // A thread that cannot start leaves its run to this one.
                    .map_err(|_| run)
            })
            .collect();
        let mut stories = Vec::with_capacity(raw.len());
        for run in runs {
            let parsed = match run {
                Ok(thread) => thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(run) => parse_run(text, run, reading),
            };
            stories.extend(parsed?);
        }
        Ok(stories)
    })
}

fn parse_run(text: &str, raw: &[&RawValue], reading: &Reading) -> Result<Vec<Arc<Story>>, String> {
    raw.iter()
        .map(|story| {
            let parsed = super::objects::from_str::<Story>(story.get())
                .map(Arc::new)
                .map_err(|e| placed_in_file(text, story.get(), &e));
            reading.parsed(story.get().len());
            parsed
        })
        .collect()
}

/// A story's parse error, its place moved from the story's text to the
/// file's.
fn placed_in_file(text: &str, story: &str, e: &serde_json::Error) -> String {
    let message = e.to_string();
    if e.line() == 0 {
        return message;
    }
    let place = format!(" at line {} column {}", e.line(), e.column());
    let what = message.strip_suffix(&place).unwrap_or(&message);
    // The story's text lies within the file's.
    let start = story.as_ptr() as usize - text.as_ptr() as usize;
    let (line, column) = line_and_column(text.as_bytes(), start);
    let (line, column) = if e.line() == 1 {
        (line, column - 1 + e.column())
    } else {
        (line - 1 + e.line(), e.column())
    };
    format!("{what} at line {line} column {column}")
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
