//! The backlog going out, for people who will not open a terminal and for
//! other tools: `backlog export` and the TUI's export key.
//!
//! - [`markdown`]: the readable backlog for every team member.
//! - [`html`]: one self-contained page for stakeholders.
//! - [`csv`]: a row per story, which `backlog import` reads back.
//! - JSON: the data file's own text ([`crate::store::to_json`]), so an
//!   export imported again loses nothing.
//!
//! The two readable formats lay out the same [`Readable`] backlog,
//! worked out here once: the stories in rank order grouped by epic, each
//! with its Definition of Ready looked at once and its customer evidence
//! taken from one walk of the feedback, so a backlog of 100,000 stories
//! exports in a time that grows with it and no faster.
//!
//! What is written is the user's text as stored; only what would break
//! the format's structure is escaped. On its way to a terminal the text
//! is made safe as everywhere else ([`for_terminal`]), never in a file.

pub mod csv;
pub mod html;
pub mod markdown;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{Result, bail};
use fnv::FnvHashMap;

use crate::interchange::json::is_hidden;
use crate::model::ready::{self, Missing};
use crate::model::{
    Backlog, Epic, Evidence, Feedback, Importance, Points, Scale, Status, Story, customer_key,
    evidence_by_story,
};
use crate::store;
use crate::text::multi_line;
use crate::words::count;

/// What an export is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// The readable backlog for every team member.
    Markdown,
    /// One page for stakeholders, with nothing to fetch.
    Html,
    /// A row per story, for spreadsheets and `backlog import`.
    Csv,
    /// The whole backlog as the data file holds it.
    Json,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Markdown, Format::Html, Format::Csv, Format::Json];

    /// The name `--format` takes.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    /// What a person calls it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "Markdown",
            Format::Html => "HTML",
            Format::Csv => "CSV",
            Format::Json => "JSON",
        }
    }

    /// Who it is for, in a few words.
    #[must_use]
    pub fn purpose(self) -> &'static str {
        match self {
            Format::Markdown => "the readable backlog, for the team",
            Format::Html => "one page for stakeholders, phone or print",
            Format::Csv => "a row per story, for spreadsheets and import",
            Format::Json => "the whole backlog, lossless, for import",
        }
    }

    /// The file name an export is offered under. JSON's is not
    /// `backlog.json`, the data file's own name.
    #[must_use]
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Markdown => "backlog.md",
            Format::Html => "backlog.html",
            Format::Csv => "backlog.csv",
            Format::Json => "backlog-export.json",
        }
    }

    /// The format a file's extension names, if any: `.md`, `.html`,
    /// `.csv`, `.json` and their usual variants, in any case.
    #[must_use]
    pub fn of_file(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    /// Whether it holds every story whatever [`Options::all`] says: the
    /// formats other tools read are the data, not a view of it.
    #[must_use]
    pub fn holds_every_story(self) -> bool {
        matches!(self, Format::Csv | Format::Json)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == text.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                format!("unknown export format {text:?} (expected markdown, html, csv or json)")
            })
    }
}

/// What goes into the readable formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Done and rejected stories too. Without it the readable backlog is
    /// the work still to do: what is finished is history, and a rejected
    /// story is not going to be built, so neither is what the team needs
    /// to read.
    pub all: bool,
}

/// `backlog` written as `format`.
#[must_use]
pub fn render(backlog: &Backlog, format: Format, options: Options) -> String {
    match format {
        Format::Markdown => markdown::render(&Readable::of(backlog, options)),
        Format::Html => html::render(&Readable::of(backlog, options)),
        Format::Csv => csv::render(backlog),
        Format::Json => store::to_json(backlog),
    }
}

/// How many stories an export of `backlog` as `format` holds.
#[must_use]
pub fn stories_in(backlog: &Backlog, format: Format, options: Options) -> usize {
    if options.all || format.holds_every_story() {
        backlog.len()
    } else {
        backlog.ranked().filter(|s| s.status.is_open()).count()
    }
}

/// An export's text made safe for a terminal, as everything else the
/// program shows there: control and invisible characters never reach it.
/// JSON stays JSON that reads back the same, each such character in a
/// string written as its `\uXXXX` escape; the other formats are for
/// reading, and show them as `�` as the screen does.
#[must_use]
pub fn for_terminal(text: &str, format: Format) -> Cow<'_, str> {
    match format {
        Format::Json => escape_hidden(text),
        Format::Markdown | Format::Html | Format::Csv => multi_line(text),
    }
}

/// JSON text with every hidden character escaped. The data file's JSON
/// has no raw control character but its line breaks (`serde_json`
/// escapes them in strings), and no other hidden character outside a
/// string, so each one found is in a string, where an escape means the
/// same.
fn escape_hidden(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_hidden(c)) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if c != '\n' && is_hidden(c) {
            for unit in c.encode_utf16(&mut [0; 2]) {
                let _ = write!(escaped, "\\u{unit:04x}");
            }
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

/// Write `text` to `to`, atomically: a temporary file beside it, renamed
/// over it, so a failed export leaves whatever was there. `data` is the
/// backlog's data file, which an export never replaces, whatever name
/// (a link, another spelling of the path) leads to it.
///
/// # Errors
/// When `to` is the data file or a folder, or the file cannot be written
/// (its folder missing, the file read-only, the disk full); nothing is
/// written then.
pub fn write(to: &Path, data: &Path, text: &str) -> Result<()> {
    if same_file(to, data) {
        bail!(
            "{} is the backlog's data file; an export never replaces it: choose another file \
             (nothing was written)",
            to.display()
        );
    }
    // The store would call it "not a backlog file", which an export is
    // not meant to be.
    if to.is_dir() {
        bail!(
            "{} is a folder: name a file in it, such as {} (nothing was written)",
            to.display(),
            to.join("backlog.md").display()
        );
    }
    store::write_atomically(to, text.as_bytes())
}

/// Whether `a` and `b` name one file: the same place once links are
/// followed, or (both being there) the same file on disk, as a
/// case-blind file system or a hard link makes two names.
fn same_file(a: &Path, b: &Path) -> bool {
    if place(a).is_some_and(|a| place(b).is_some_and(|b| a == b)) {
        return true;
    }
    same_inode(a, b)
}

/// Where a save to `path` lands: its links followed, its folder made
/// absolute. `None` when that cannot be told (a folder not there).
fn place(path: &Path) -> Option<PathBuf> {
    let file = store::follow_links(path).ok()?;
    let folder = match file.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    Some(fs::canonicalize(folder).ok()?.join(file.file_name()?))
}

#[cfg(unix)]
fn same_inode(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_inode(_a: &Path, _b: &Path) -> bool {
    false
}

/// What an export wrote, for the message that says so.
#[must_use]
pub fn written(stories: usize, format: Format, to: &str) -> String {
    format!(
        "Exported {} as {} to {to}",
        count(stories, "story", "stories"),
        format.name()
    )
}

/// The backlog as the readable exports lay it out.
#[derive(Debug)]
pub struct Readable<'a> {
    pub backlog: &'a Backlog,
    /// The epics with a story shown, in the order of their highest-ranked
    /// story, then the stories in no epic.
    pub groups: Vec<Group<'a>>,
    /// Every epic of the product, in the product's order, with its
    /// progress: for an overview, whether any of its stories is shown or
    /// not.
    pub epics: Vec<(&'a Epic, Progress)>,
    /// Stories shown, and their points.
    pub shown: usize,
    pub points: f64,
    /// Stories shown with no estimate.
    pub unestimated: usize,
    /// Done and rejected stories left out.
    pub left_out: usize,
    pub options: Options,
}

/// An epic's stories, or those in none.
#[derive(Debug)]
pub struct Group<'a> {
    /// `None` for the stories in no epic.
    pub epic: Option<&'a Epic>,
    /// The name the stories give, should the epic itself be missing.
    pub name: Option<&'a str>,
    pub progress: Progress,
    pub stories: Vec<Entry<'a>>,
}

/// Points done of all the points, rejected stories aside, as the
/// roadmap counts an epic's progress.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    pub done: f64,
    pub points: f64,
}

impl Progress {
    /// The share done, 0 to 100, rounded down so that a bar is full only
    /// when all of it is done; `None` with no points to share.
    #[must_use]
    pub fn percent(self) -> Option<u32> {
        (self.points > 0.0).then(|| {
            let share = (self.done / self.points * 100.0).floor().clamp(0.0, 100.0);
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "clamped to 0..=100 just above"
            )]
            let percent = share as u32;
            percent
        })
    }
}

/// One story as the readable exports show it.
#[derive(Debug)]
pub struct Entry<'a> {
    /// Its place in the whole backlog, from 1, as `backlog list` gives it.
    pub position: usize,
    pub story: &'a Story,
    pub readiness: Readiness,
    /// The customers who asked for it, if any did.
    pub voice: Option<Voice<'a>>,
}

/// Where a story stands against the Definition of Ready.
#[derive(Clone, Debug, PartialEq)]
pub enum Readiness {
    Ready,
    /// Not ready, and what it lacks.
    NotReady(Vec<Missing>),
    /// Set ready although it lacks these.
    ReadyAnyway(Vec<Missing>),
    /// In progress, done or rejected: past the Definition of Ready.
    Past,
}

impl Readiness {
    fn of(story: &Story, rules: &crate::model::ReadyRules) -> Readiness {
        if !matches!(story.status, Status::Draft | Status::Ready) {
            return Readiness::Past;
        }
        let missing = ready::missing(story, rules);
        match (missing.is_empty(), story.status) {
            (true, _) => Readiness::Ready,
            (false, Status::Ready) => Readiness::ReadyAnyway(missing),
            (false, _) => Readiness::NotReady(missing),
        }
    }

    /// In words: `ready`, `not ready: no acceptance criteria; not
    /// estimated`, `set ready, though it lacks: …`; `None` past it.
    #[must_use]
    pub fn text(&self) -> Option<String> {
        let lacks = |missing: &[Missing]| {
            missing
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        };
        match self {
            Readiness::Ready => Some("ready".to_string()),
            Readiness::NotReady(missing) => Some(format!("not ready: {}", lacks(missing))),
            Readiness::ReadyAnyway(missing) => {
                Some(format!("set ready, though it lacks: {}", lacks(missing)))
            }
            Readiness::Past => None,
        }
    }
}

/// The customers who asked for a story, and how much it matters to them.
#[derive(Debug)]
pub struct Voice<'a> {
    /// Each customer once, at the highest importance they gave it, the
    /// most important first (then who asked first), named as their
    /// first item names them.
    pub customers: Vec<(&'a str, Importance)>,
    /// Their importance summed, as [`Evidence`] counts it.
    pub importance: u32,
}

impl Voice<'_> {
    /// `asked for by 3 customers (importance 6)`.
    #[must_use]
    pub fn headline(&self) -> String {
        format!(
            "asked for by {} (importance {})",
            count(self.customers.len(), "customer", "customers"),
            self.importance
        )
    }
}

impl<'a> Voice<'a> {
    fn of(evidence: &Evidence, backlog: &'a Backlog) -> Voice<'a> {
        // Oldest first, as the evidence lists them: a customer is named
        // as they first wrote in.
        let mut by_customer: Vec<(String, &'a str, Importance)> = Vec::new();
        let mut seen: FnvHashMap<String, usize> = FnvHashMap::default();
        for item in evidence
            .items
            .iter()
            .filter_map(|&id| backlog.feedback_item(id).ok())
        {
            let key = customer_key(&item.customer);
            if let Some(&at) = seen.get(&key) {
                by_customer[at].2 = by_customer[at].2.max(item.importance);
            } else {
                seen.insert(key.clone(), by_customer.len());
                by_customer.push((key, item.customer.trim(), item.importance));
            }
        }
        // Stable: customers of one importance stay in the order they
        // first asked.
        by_customer.sort_by_key(|(_, _, importance)| std::cmp::Reverse(*importance));
        Voice {
            customers: by_customer
                .into_iter()
                .map(|(_, name, importance)| (name, importance))
                .collect(),
            importance: evidence.importance,
        }
    }
}

impl<'a> Readable<'a> {
    /// Lay `backlog` out: one walk of the stories in rank order, one of
    /// the feedback for the evidence, one of the stories for the epics'
    /// progress.
    #[must_use]
    pub fn of(backlog: &'a Backlog, options: Options) -> Readable<'a> {
        let product = &backlog.product;
        let rules = &product.settings.ready;
        let epic_index: FnvHashMap<&str, usize> = product
            .epics
            .iter()
            .enumerate()
            .map(|(i, e)| (e.name.as_str(), i))
            .collect();
        let mut progress = vec![Progress::default(); product.epics.len()];
        // Stories naming an epic the product does not have (a hand edit)
        // are grouped under that name all the same.
        let mut stray: BTreeMap<&'a str, Progress> = BTreeMap::new();
        for story in backlog.stories_by_id() {
            let Some(name) = story.epic.as_deref() else {
                continue;
            };
            if story.status == Status::Rejected {
                continue;
            }
            let at = match epic_index.get(name) {
                Some(&i) => &mut progress[i],
                None => stray.entry(name).or_default(),
            };
            let points = story.points.map_or(0.0, Points::value);
            at.points += points;
            if story.status == Status::Done {
                at.done += points;
            }
        }
        let evidence = evidence_by_story(backlog.feedback().iter().map(|f| &**f as &Feedback));
        let mut groups: Vec<Group<'a>> = Vec::new();
        let mut group_of: FnvHashMap<&'a str, usize> = FnvHashMap::default();
        let mut no_epic: Vec<Entry<'a>> = Vec::new();
        let (mut shown, mut points, mut unestimated, mut left_out) = (0, 0.0, 0, 0);
        for (i, story) in backlog.ranked().enumerate() {
            if !options.all && !story.status.is_open() {
                left_out += 1;
                continue;
            }
            shown += 1;
            match story.points {
                Some(p) => points += p.value(),
                None => unestimated += 1,
            }
            let entry = Entry {
                position: i + 1,
                story,
                readiness: Readiness::of(story, rules),
                voice: evidence.get(&story.id).map(|e| Voice::of(e, backlog)),
            };
            let Some(name) = story.epic.as_deref() else {
                no_epic.push(entry);
                continue;
            };
            let at = *group_of.entry(name).or_insert_with(|| {
                let epic = epic_index.get(name).map(|&i| &product.epics[i]);
                groups.push(Group {
                    epic,
                    name: Some(name),
                    progress: epic_index
                        .get(name)
                        .map_or_else(|| stray[name], |&i| progress[i]),
                    stories: Vec::new(),
                });
                groups.len() - 1
            });
            groups[at].stories.push(entry);
        }
        if !no_epic.is_empty() {
            groups.push(Group {
                epic: None,
                name: None,
                progress: Progress::default(),
                stories: no_epic,
            });
        }
        Readable {
            backlog,
            groups,
            epics: product.epics.iter().zip(progress).collect(),
            shown,
            points,
            unestimated,
            left_out,
            options,
        }
    }

    /// The document's title: the product's name and "backlog".
    #[must_use]
    pub fn title(&self) -> String {
        let name = self.backlog.product.name.trim();
        if name.is_empty() {
            "Backlog".to_string()
        } else {
            format!("{name} backlog")
        }
    }

    /// What the export holds, in a sentence: `12 stories, 34 points (2
    /// not estimated), in rank order by epic. Done and rejected stories
    /// (5) are left out.`
    #[must_use]
    pub fn summary(&self) -> String {
        if self.backlog.is_empty() {
            return "No stories yet.".to_string();
        }
        let mut text = format!(
            "{}, {}",
            count(self.shown, "story", "stories"),
            points_text(self.points)
        );
        if self.unestimated > 0 {
            let _ = write!(text, " ({} not estimated)", self.unestimated);
        }
        text.push_str(", in rank order by epic; each story's number is its place in the backlog.");
        if self.left_out > 0 {
            let _ = write!(
                text,
                " Done and rejected stories ({}) are left out.",
                self.left_out
            );
        }
        text
    }
}

/// The story's user-story sentence, when any of it is written: "As a
/// member, I want to pay online, so that …", a part not yet written an
/// ellipsis (that ends the sentence without a full stop after it).
#[must_use]
pub fn sentence(story: &Story) -> Option<String> {
    let sentence = story.user_story_sentence()?;
    Some(match sentence.strip_suffix("….") {
        Some(open) => format!("{open}…"),
        None => sentence,
    })
}

/// `34 points`, `1 point`, `2.5 points`.
#[must_use]
pub fn points_text(points: f64) -> String {
    #[allow(clippy::float_cmp, reason = "points are whole or half, exact in f64")]
    let one = points == 1.0;
    if one {
        "1 point".to_string()
    } else {
        format!("{} points", crate::words::number(points))
    }
}

/// A story's estimate in words, on the backlog's scale: `5 points`,
/// `M (3 points)`, `not estimated`.
#[must_use]
pub fn estimate_text(points: Option<Points>, scale: Scale) -> String {
    let Some(points) = points else {
        return "not estimated".to_string();
    };
    let in_points = points_text(points.value());
    let label = scale.label(points);
    if label == points.to_string() {
        in_points
    } else if label == "½" {
        "½ point".to_string()
    } else {
        format!("{label} ({in_points})")
    }
}

/// An epic's progress in words: `8 of 21 points done (38 %)`.
#[must_use]
pub fn progress_text(progress: Progress) -> String {
    match progress.percent() {
        Some(percent) => format!(
            "{} of {} done ({percent} %)",
            crate::words::number(progress.done),
            points_text(progress.points)
        ),
        None => "no points estimated yet".to_string(),
    }
}

#[cfg(test)]
mod tests;
