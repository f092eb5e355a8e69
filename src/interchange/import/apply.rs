//! What was read, applied to the backlog: records become stories (or
//! inbox items), found again by their origin when the same source comes
//! in twice, and another backlog file is restored or its stories added.
//!
//! Everything is gathered first and added at the end in one go (one
//! spread of rank keys, one walk of the backlog), so the cost grows with
//! what is imported and the backlog's size, never with their product.
//! The caller saves the backlog once, or, when this fails, not at all.

mod backlog_file;
mod fields;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use fields::{
    ITEM_FIELDS, STORY_FIELDS, StoryFields, item_fingerprint, item_fingerprints, take_item_field,
    title_key, unchanged,
};
pub use fields::{importance_from, status_from};

use super::{Field, Format, Problem, Read, Record};
use crate::model::{
    Backlog, Criterion, Epic, Feedback, FeedbackId, Importance, Origin, Points, Status,
    StatusChange, Story, StoryId, fit_title, ready,
};
use crate::rank::Rank;

/// Where records go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Target {
    /// Stories in the backlog.
    #[default]
    Backlog,
    /// Customer feedback, in the inbox.
    Inbox,
}

/// How an import goes.
#[derive(Clone, Debug)]
pub struct Options {
    pub target: Target,
    /// Refresh what is already here from the source (see [`apply`]).
    pub update: bool,
    /// New stories go above the backlog, not below it.
    pub top: bool,
    pub now: DateTime<Utc>,
}

/// One file to import, read.
#[derive(Debug)]
pub struct Input {
    /// The file as the user named it.
    pub name: String,
    pub format: Format,
    pub content: Content,
}

/// What a file held.
#[derive(Debug)]
pub enum Content {
    /// Stories or issues from a tracker.
    Records(Read),
    /// A whole backlog: this program's own file, or its JSON export.
    Backlog(Box<Backlog>),
}

/// What an import did with one file.
#[derive(Clone, Debug, PartialEq)]
pub struct FileSummary {
    pub name: String,
    pub format: Format,
    /// Records read (stories and items, for a backlog file).
    pub read: usize,
    /// The stories it added, in id order.
    pub stories: Vec<StoryId>,
    /// The inbox items it added, in id order.
    pub items: Vec<FeedbackId>,
    /// Records already here, found by their origin (the updated among
    /// them).
    pub already: usize,
    /// Records already here that `--update` changed.
    pub updated: usize,
    /// Records left out: rows the reader could not read, repeats.
    pub skipped: usize,
    /// What went wrong with a row, whether it was skipped or imported
    /// with less, in line order. Line 0 is the file as a whole (a
    /// backlog file has no rows).
    pub problems: Vec<Problem>,
    /// What the reader wanted the user to know.
    pub notes: Vec<String>,
    /// A backlog file taken whole into an empty backlog.
    pub restored: bool,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub files: Vec<FileSummary>,
    /// Statuses the sources named that this program does not know, each
    /// with how many stories came in with it (as drafts), in the order
    /// met.
    pub unknown_statuses: Vec<(String, usize)>,
    /// Likewise importances (taken as the default, nice to have).
    pub unknown_importances: Vec<(String, usize)>,
    /// Stories the source calls ready that fail the Definition of
    /// Ready: new ones came in as drafts, refreshed ones kept their
    /// status.
    pub not_ready: Vec<StoryId>,
    /// Stories and items already here that kept changes made here, where
    /// the source had changed the same fields too: each with the fields.
    pub kept: Vec<(String, Vec<&'static str>)>,
    /// Stories and items already here that `--update` rewrote: their
    /// fields, or only what their origin keeps of the source (its link,
    /// its fingerprints), which must be saved too.
    pub refreshed: usize,
}

impl Summary {
    /// Whether the backlog changed.
    #[must_use]
    pub fn changed(&self) -> bool {
        self.refreshed > 0
            || self
                .files
                .iter()
                .any(|f| f.restored || !f.stories.is_empty() || !f.items.is_empty())
    }
}

/// Apply `inputs` to `backlog`, in order.
///
/// A record is known by its origin: the source (for a plain CSV file,
/// `csv:` and the file's name) and its key there, or when it has none a
/// fingerprint of its title. One already here, as a story or an inbox
/// item (converted into a story or not), is not added again; with
/// `options.update` each field the product owner has not changed here
/// since it was imported (its value still has the fingerprint the origin
/// keeps) takes the source's value, and one changed here is kept. A key
/// met twice in one import is taken the first time only.
///
/// A backlog file ([`Content::Backlog`]) is taken whole when the backlog
/// holds nothing (no stories, no feedback, no ids given out, no product
/// but a name): a restore. Otherwise its stories and feedback items are
/// added as new ones (renumbered, with their links to one another),
/// each known by its own origin, or else by the other backlog's name and
/// its id there.
///
/// `tick` is called once for each record or story applied, for a
/// progress bar.
///
/// # Errors
/// When records go into the inbox from a backlog file, or the backlog
/// refuses what is added (no ids left). The backlog is then part-way
/// changed: the caller must not save it.
pub fn apply(
    backlog: &mut Backlog,
    inputs: Vec<Input>,
    options: &Options,
    tick: &mut dyn FnMut(),
) -> Result<Summary, String> {
    let known = known_origins(backlog);
    let mut run = Run {
        backlog,
        options,
        known,
        met: HashMap::new(),
        stories: Vec::new(),
        items: Vec::new(),
        triage: Vec::new(),
        refreshed_stories: Vec::new(),
        refreshed_items: Vec::new(),
        epics: Vec::new(),
        summary: Summary::default(),
        absent: Vec::new(),
    };
    for input in inputs {
        let file = run.summary.files.len();
        run.absent.push(match &input.content {
            Content::Records(read) => read
                .absent
                .iter()
                .flat_map(|&f| field_names(f))
                .copied()
                .collect(),
            Content::Backlog(_) => Vec::new(),
        });
        run.summary.files.push(FileSummary {
            name: input.name.clone(),
            format: input.format,
            read: 0,
            stories: Vec::new(),
            items: Vec::new(),
            already: 0,
            updated: 0,
            skipped: 0,
            problems: Vec::new(),
            notes: Vec::new(),
            restored: false,
        });
        match input.content {
            Content::Records(read) => {
                let summary = &mut run.summary.files[file];
                summary.read = read.records.len();
                summary.skipped = read.problems.len();
                summary.problems = read.problems;
                summary.notes = read.notes;
                let names = Names::of(&input.name, input.format);
                for record in read.records {
                    run.record(file, &record, &names);
                    tick();
                }
                run.summary.files[file].problems.sort_by_key(|p| p.line);
            }
            Content::Backlog(other) => {
                if options.target == Target::Inbox {
                    return Err(format!(
                        "{} is a backlog file: its stories go into the backlog, and \
                         `--into inbox` is for customer issues from a tracker",
                        input.name
                    ));
                }
                run.backlog_file(file, *other, tick);
            }
        }
    }
    run.finish()
}

/// What was found where, by origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Found {
    Story(StoryId),
    Item(FeedbackId),
}

type Key = (String, String);

/// Every origin in the backlog, stories' and inbox items'.
fn known_origins(backlog: &Backlog) -> HashMap<Key, Found> {
    let mut known = HashMap::new();
    for story in backlog.stories_by_id() {
        if let Some(origin) = &story.origin {
            known.insert(
                (origin.source.clone(), origin.id.clone()),
                Found::Story(story.id),
            );
        }
    }
    for item in backlog.feedback() {
        if let Some(origin) = &item.origin {
            known.insert(
                (origin.source.clone(), origin.id.clone()),
                Found::Item(item.id),
            );
        }
    }
    known
}

/// How a file's records name where they came from.
struct Names {
    /// The file's name without its folder: a plain CSV's rows are its.
    file: String,
    /// Who an inbox item is from, and where it came in, when the record
    /// does not say: the tracker (GitHub, Jira, …), or a plain CSV's
    /// file.
    tracker: String,
}

impl Names {
    fn of(name: &str, format: Format) -> Names {
        let file = Path::new(name)
            .file_name()
            .map_or_else(|| name.to_string(), |n| n.to_string_lossy().into_owned());
        let tracker = match format {
            Format::Csv | Format::Backlog => file.clone(),
            Format::Jira => "Jira".into(),
            Format::Linear => "Linear".into(),
            Format::GitHub => "GitHub".into(),
            Format::GitLab => "GitLab".into(),
            Format::Taskwarrior => "Taskwarrior".into(),
        };
        Names { file, tracker }
    }

    /// The origin's source for a record that says `source`: a plain CSV
    /// numbers its rows as it likes (1, 2, …), so two spreadsheets are
    /// kept apart by their files' names.
    fn source(&self, source: &str) -> String {
        match source.trim() {
            "" | "csv" => format!("csv:{}", self.file),
            source => source.to_string(),
        }
    }
}

struct Run<'a> {
    backlog: &'a mut Backlog,
    options: &'a Options,
    known: HashMap<Key, Found>,
    /// Each origin met in this import, and where: `FILE:LINE`.
    met: HashMap<Key, String>,
    /// New stories, to be added in this order (their ids follow from
    /// it: the backlog's next id on).
    stories: Vec<Story>,
    items: Vec<Feedback>,
    /// Triage a backlog file's items keep, by their place in `items`:
    /// adding an item makes it new.
    triage: Vec<(usize, Feedback)>,
    refreshed_stories: Vec<Story>,
    refreshed_items: Vec<Feedback>,
    /// Epics a backlog file's new stories name, as that file has them.
    epics: Vec<Epic>,
    summary: Summary,
    /// For each file, the fields of stories and items it has no place
    /// for, which `--update` leaves as they are.
    absent: Vec<Vec<&'static str>>,
}

impl Run<'_> {
    /// The id the next new story will have.
    fn next_story(&self) -> StoryId {
        StoryId(self.backlog.next_id() + self.stories.len() as u64)
    }

    fn next_item(&self) -> FeedbackId {
        FeedbackId(self.backlog.next_feedback_id().0 + self.items.len() as u64)
    }

    fn problem(&mut self, file: usize, line: usize, what: impl Into<String>) {
        self.summary.files[file].problems.push(Problem {
            line,
            what: what.into(),
        });
    }

    fn skip(&mut self, file: usize, line: usize, what: impl Into<String>) {
        self.summary.files[file].skipped += 1;
        self.problem(file, line, what);
    }

    /// Whether the origin `key` is new to this import; a repeat is
    /// skipped, saying where it was first.
    fn first_time(&mut self, file: usize, line: usize, key: &Key) -> bool {
        if let Some(first) = self.met.get(key) {
            let what = format!("{} appears again (first at {first}); skipped", key.1);
            self.skip(file, line, what);
            return false;
        }
        let name = &self.summary.files[file].name;
        let here = if line == 0 {
            name.clone()
        } else {
            format!("{name}:{line}")
        };
        self.met.insert(key.clone(), here);
        true
    }

    fn record(&mut self, file: usize, record: &Record, names: &Names) {
        let source = names.source(&record.source);
        let key = record
            .key
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map_or_else(|| title_key(&record.title), str::to_string);
        let key = (source, key);
        if !self.first_time(file, record.line, &key) {
            return;
        }
        let found = self.known.get(&key).copied();
        let (source, key) = key;
        let origin = Origin {
            source,
            id: key,
            link: record.link.clone(),
            seen: std::collections::BTreeMap::default(),
        };
        match (found, self.options.target) {
            (Some(found), _) => {
                self.summary.files[file].already += 1;
                if !self.options.update {
                    return;
                }
                match found {
                    Found::Story(id) => {
                        if let Some(fields) = self.story_fields(file, record) {
                            self.refresh_story(file, id, &fields, origin.link);
                        }
                    }
                    Found::Item(id) => {
                        if let Some(item) = self.item(file, record, names, origin) {
                            self.refresh_item(file, id, &item);
                        }
                    }
                }
            }
            (None, Target::Backlog) => {
                if let Some(fields) = self.story_fields(file, record) {
                    let created = record.created.unwrap_or(self.options.now);
                    self.new_story(file, fields, created, origin);
                }
            }
            (None, Target::Inbox) => {
                if let Some(item) = self.item(file, record, names, origin) {
                    let id = self.next_item();
                    self.summary.files[file].items.push(id);
                    self.items.push(item);
                }
            }
        }
    }

    /// A record's story fields, as a story keeps them; `None` (and the
    /// record skipped) when it has no title.
    fn story_fields(&mut self, file: usize, record: &Record) -> Option<StoryFields> {
        let (title, description) = fit_title(&record.title, &record.description);
        if title.is_empty() {
            self.skip(file, record.line, "it has no title; skipped");
            return None;
        }
        let points = record.points.and_then(|value| match Points::new(value) {
            Ok(points) => Some(points),
            Err(why) => {
                self.problem(file, record.line, format!("{why}; imported without it"));
                None
            }
        });
        let status = record
            .status
            .as_deref()
            .filter(|words| !words.trim().is_empty())
            .map_or(Status::Draft, |words| {
                status_from(words).unwrap_or_else(|| {
                    count(&mut self.summary.unknown_statuses, words.trim());
                    Status::Draft
                })
            });
        let text = |part: &Option<String>| part.clone().unwrap_or_default();
        Some(
            StoryFields {
                title,
                description,
                as_a: text(&record.as_a),
                i_want: text(&record.i_want),
                so_that: text(&record.so_that),
                criteria: record
                    .criteria
                    .iter()
                    .map(|(text, done)| Criterion {
                        text: text.clone(),
                        done: *done,
                    })
                    .collect(),
                points,
                labels: record.labels.clone(),
                status,
                epic: record.epic.clone(),
            }
            .settled(),
        )
    }

    /// Add a story with `fields` to those to add; a story the source
    /// calls ready that fails the Definition of Ready comes in as a
    /// draft. Returns its id.
    fn new_story(
        &mut self,
        file: usize,
        fields: StoryFields,
        created: DateTime<Utc>,
        mut origin: Origin,
    ) -> StoryId {
        let id = self.next_story();
        let mut story = Story::new(id, Rank::first(), String::new(), created);
        story.updated = self.options.now;
        fields.put_on(&mut story);
        if story.status == Status::Ready
            && !ready::is_ready(&story, &self.backlog.product.settings.ready)
        {
            story.status = Status::Draft;
            self.summary.not_ready.push(id);
        }
        if story.status != Status::Draft {
            // The source does not say when the story got there: when it
            // was created, marked as a guess, so it tells no cycle time
            // and counts in no recent sprint's velocity.
            story.status_history.push(StatusChange {
                from: Status::Draft,
                to: story.status,
                at: created,
                guessed: true,
            });
        }
        origin.seen = StoryFields::of(&story).fingerprints();
        story.origin = Some(origin);
        self.summary.files[file].stories.push(id);
        self.stories.push(story);
        id
    }

    /// Story `id`, already here, refreshed from the source's `incoming`
    /// fields: see [`apply`].
    fn refresh_story(
        &mut self,
        file: usize,
        id: StoryId,
        incoming: &StoryFields,
        link: Option<String>,
    ) {
        let Some(story) = self.backlog.get(id) else {
            return;
        };
        let origin = story.origin.clone().unwrap_or_default();
        let current = StoryFields::of(story);
        let mut result = current.clone();
        let mut kept = Vec::new();
        let absent = &self.absent[file];
        for field in STORY_FIELDS {
            if absent.contains(&field) {
                continue;
            }
            let here = current.fingerprint(field);
            let there = incoming.fingerprint(field);
            if here == there {
                continue;
            }
            if unchanged(&origin.seen, field, here.as_ref()) {
                result.take(field, incoming);
            } else if !unchanged(&origin.seen, field, there.as_ref()) {
                kept.push(display_name(field));
            }
        }
        let mut seen = incoming.fingerprints();
        // What the source last said of a field this file leaves out is
        // still what it last said.
        for &field in absent {
            match origin.seen.get(field) {
                Some(print) => seen.insert(field.to_string(), print.clone()),
                None => seen.remove(field),
            };
        }
        let mut refreshed = story.clone();
        if result.status == Status::Ready && current.status != Status::Ready {
            result.clone().put_on(&mut refreshed);
            if !ready::is_ready(&refreshed, &self.backlog.product.settings.ready) {
                result.status = current.status;
                self.summary.not_ready.push(id);
                // Asked again next time, when it may be ready.
                match current.fingerprint("status") {
                    Some(print) => seen.insert("status".into(), print),
                    None => seen.remove("status"),
                };
            }
        }
        let changed = result != current;
        result.put_on(&mut refreshed);
        refreshed.origin = Some(Origin {
            link,
            seen,
            ..origin
        });
        if !kept.is_empty() {
            self.summary.kept.push((id.to_string(), kept));
        }
        if changed {
            self.summary.files[file].updated += 1;
        }
        if refreshed != *story {
            self.refreshed_stories.push(refreshed);
        }
    }

    /// A record as an inbox item; `None` (and the record skipped) when
    /// it has neither a title nor a description.
    fn item(
        &mut self,
        file: usize,
        record: &Record,
        names: &Names,
        mut origin: Origin,
    ) -> Option<Feedback> {
        let (title, description) = (record.title.trim(), record.description.trim());
        let text = match (title.is_empty(), description.is_empty()) {
            (true, true) => {
                self.skip(
                    file,
                    record.line,
                    "it has neither a title nor a description; skipped",
                );
                return None;
            }
            (false, true) => title.to_string(),
            (true, false) => description.to_string(),
            (false, false) => format!("{title}\n\n{description}"),
        };
        let given = |text: &Option<String>| {
            text.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        };
        let importance = given(&record.importance).map_or(Importance::default(), |words| {
            importance_from(&words).unwrap_or_else(|| {
                count(&mut self.summary.unknown_importances, &words);
                Importance::default()
            })
        });
        let customer = given(&record.customer).unwrap_or_else(|| names.tracker.clone());
        let mut item = Feedback::new(
            self.next_item(),
            text,
            customer,
            record.created.unwrap_or(self.options.now),
        );
        item.updated = self.options.now;
        item.source = given(&record.channel).unwrap_or_else(|| names.tracker.clone());
        item.importance = importance;
        item.link.clone_from(&record.link);
        origin.seen = item_fingerprints(&item);
        if record.created.is_none() {
            // The date is when it first came in, not one the source gave:
            // `--update` has nothing to refresh it from.
            origin.seen.remove("date");
        }
        item.origin = Some(origin);
        Some(item)
    }

    /// Inbox item `id`, already here, refreshed from `incoming`, field by
    /// field as a story is; its triage stays as it is.
    fn refresh_item(&mut self, file: usize, id: FeedbackId, incoming: &Feedback) {
        let Ok(item) = self.backlog.feedback_item(id) else {
            return;
        };
        let origin = item.origin.clone().unwrap_or_default();
        let mut refreshed = item.clone();
        let mut kept = Vec::new();
        let seen_there = incoming
            .origin
            .as_ref()
            .map_or_else(|| item_fingerprints(incoming), |o| o.seen.clone());
        let absent = &self.absent[file];
        let mut seen_there = seen_there;
        for &field in absent {
            match origin.seen.get(field) {
                Some(print) => seen_there.insert(field.to_string(), print.clone()),
                None => seen_there.remove(field),
            };
        }
        for field in ITEM_FIELDS {
            // A field the file has no place for stays as it is, and so
            // does a date the source does not give (an undated row's).
            if absent.contains(&field) || (!seen_there.contains_key(field) && field == "date") {
                continue;
            }
            let here = item_fingerprint(item, field);
            let there = item_fingerprint(incoming, field);
            if here == there {
                continue;
            }
            if unchanged(&origin.seen, field, here.as_ref()) {
                take_item_field(&mut refreshed, field, incoming);
            } else if !unchanged(&origin.seen, field, there.as_ref()) {
                kept.push(field);
            }
        }
        let changed = refreshed != *item;
        refreshed.origin = Some(Origin {
            link: incoming.link.clone(),
            seen: seen_there,
            ..origin
        });
        if !kept.is_empty() {
            self.summary.kept.push((id.to_string(), kept));
        }
        if changed {
            self.summary.files[file].updated += 1;
            refreshed.updated = self.options.now;
        }
        if refreshed != *item {
            self.refreshed_items.push(refreshed);
        }
    }

    /// Add what was gathered to the backlog.
    fn finish(self) -> Result<Summary, String> {
        let Run {
            backlog,
            options,
            stories,
            items,
            triage,
            refreshed_stories,
            refreshed_items,
            epics,
            mut summary,
            ..
        } = self;
        summary.refreshed = refreshed_stories.len() + refreshed_items.len();
        let refused = |e: crate::model::ModelError| e.to_string();
        for epic in epics {
            if backlog.product.epic(&epic.name).is_none() {
                backlog.add_epic(epic).map_err(refused)?;
            }
        }
        let first = backlog.next_id();
        let ids = backlog
            .add_imported(stories, options.top)
            .map_err(refused)?;
        debug_assert!(ids.iter().zip(first..).all(|(id, n)| id.0 == n));
        let ids = backlog.add_feedback_items(items).map_err(refused)?;
        // Adding an item makes it new; one from another backlog keeps
        // the triage it had there, its story renumbered.
        for (at, kept) in triage {
            let feedback = &mut backlog.product.feedback;
            if let Ok(index) = feedback.binary_search_by_key(&ids[at], |f| f.id) {
                let item = Arc::make_mut(&mut feedback[index]);
                item.state = kept.state;
                item.story = kept.story;
                item.reason = kept.reason;
            }
        }
        backlog
            .refresh_imported(refreshed_stories, options.now)
            .map_err(refused)?;
        for item in refreshed_items {
            backlog.put_feedback(item).map_err(refused)?;
        }
        Ok(summary)
    }
}

/// The story and item fields that `field` of a record fills.
fn field_names(field: Field) -> &'static [&'static str] {
    match field {
        Field::Title | Field::Key => &[],
        Field::Description => &["description"],
        Field::AsA => &["as_a"],
        Field::IWant => &["i_want"],
        Field::SoThat => &["so_that"],
        Field::Criteria => &["acceptance_criteria"],
        Field::Points => &["points"],
        Field::Labels => &["labels"],
        Field::Status => &["status"],
        Field::Epic => &["epic"],
        Field::Link => &["link"],
        Field::Created => &["date"],
        Field::Customer => &["customer"],
        Field::Importance => &["importance"],
        Field::Channel => &["source"],
    }
}

/// One more of `words` in `counts`.
fn count(counts: &mut Vec<(String, usize)>, words: &str) {
    match counts.iter_mut().find(|(w, _)| w == words) {
        Some((_, n)) => *n += 1,
        None => counts.push((words.to_string(), 1)),
    }
}

/// A story's field as the product owner calls it.
fn display_name(field: &str) -> &'static str {
    match field {
        "title" => "title",
        "description" => "description",
        "as_a" => "as a",
        "i_want" => "I want",
        "so_that" => "so that",
        "acceptance_criteria" => "acceptance criteria",
        "points" => "estimate",
        "labels" => "labels",
        "status" => "status",
        _ => "epic",
    }
}

#[cfg(test)]
mod tests;
