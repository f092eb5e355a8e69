//! What an import brings into a story or a feedback item, field by field,
//! as the backlog keeps it; the fingerprints that tell, on the next
//! import, whether the product owner has changed a field since; and the
//! source's words for a status or an importance, in ours.

use std::collections::BTreeMap;
use std::hash::Hasher;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::model::{
    Criterion, Feedback, Importance, Points, Status, Story, label_name, name_key, same_name,
};

/// A story's fields that an import sets, and `--update` refreshes, as the
/// backlog keeps them (trimmed, labels each once, criteria with text).
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct StoryFields {
    pub title: String,
    pub description: String,
    pub as_a: String,
    pub i_want: String,
    pub so_that: String,
    pub criteria: Vec<Criterion>,
    pub points: Option<Points>,
    pub labels: Vec<String>,
    pub status: Status,
    pub epic: Option<String>,
}

/// The names `Origin::seen` keeps a story's fingerprints by: the file's
/// names for the fields.
pub(super) const STORY_FIELDS: [&str; 10] = [
    "title",
    "description",
    "as_a",
    "i_want",
    "so_that",
    "acceptance_criteria",
    "points",
    "labels",
    "status",
    "epic",
];

impl StoryFields {
    /// The fields as `story` has them.
    pub fn of(story: &Story) -> StoryFields {
        StoryFields {
            title: story.title.clone(),
            description: story.description.clone(),
            as_a: story.as_a.clone(),
            i_want: story.i_want.clone(),
            so_that: story.so_that.clone(),
            criteria: story.acceptance_criteria.clone(),
            points: story.points,
            labels: story.labels.clone(),
            status: story.status,
            epic: story.epic.clone(),
        }
    }

    /// The fields trimmed as a story keeps them: what is stored is then
    /// what was fingerprinted.
    pub fn settled(mut self) -> StoryFields {
        let trim = |text: &mut String| {
            let trimmed = text.trim();
            if trimmed.len() != text.len() {
                *text = trimmed.to_string();
            }
        };
        trim(&mut self.title);
        trim(&mut self.as_a);
        trim(&mut self.i_want);
        trim(&mut self.so_that);
        self.description.truncate(self.description.trim_end().len());
        self.criteria = self
            .criteria
            .into_iter()
            .filter(|c| !c.text.trim().is_empty())
            .map(|c| Criterion {
                text: c.text.trim().to_string(),
                done: c.done,
            })
            .collect();
        let mut labels: Vec<String> = Vec::with_capacity(self.labels.len());
        for label in self.labels.iter().flat_map(|l| l.split(',')) {
            let name = label_name(label);
            if !name.is_empty() && !labels.iter().any(|l| same_name(l, name)) {
                labels.push(name.to_string());
            }
        }
        self.labels = labels;
        self.epic = self
            .epic
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_string);
        self
    }

    /// Each field's fingerprint, by name; a field with nothing in it
    /// has none (see [`unchanged`]).
    pub fn fingerprints(&self) -> BTreeMap<String, String> {
        STORY_FIELDS
            .into_iter()
            .filter_map(|field| Some((field.to_string(), self.fingerprint(field)?)))
            .collect()
    }

    /// The fingerprint of `field`, `None` when it holds nothing. Names
    /// (labels, the epic) are taken without case, as the backlog compares
    /// them: it may spell them otherwise than the source.
    pub fn fingerprint(&self, field: &str) -> Option<String> {
        let mut print = Fingerprint::default();
        match field {
            "title" => print.text(&self.title),
            "description" => print.text(&self.description),
            "as_a" => print.text(&self.as_a),
            "i_want" => print.text(&self.i_want),
            "so_that" => print.text(&self.so_that),
            "acceptance_criteria" => {
                for criterion in &self.criteria {
                    print.text(if criterion.done { "[x] " } else { "[ ] " });
                    print.text(&criterion.text);
                    print.text("\n");
                }
            }
            "points" => print.text(&self.points.map(|p| p.to_string()).unwrap_or_default()),
            "labels" => {
                for label in &self.labels {
                    print.text(&name_key(label));
                    print.text("\n");
                }
            }
            // A new story is a draft: as good as no status at all.
            "status" if self.status != Status::Draft => print.text(self.status.as_str()),
            "epic" => print.text(&self.epic.as_deref().map(name_key).unwrap_or_default()),
            _ => {}
        }
        print.finish()
    }

    /// Put `field` of `from` into these fields.
    pub fn take(&mut self, field: &str, from: &StoryFields) {
        match field {
            "title" => self.title.clone_from(&from.title),
            "description" => self.description.clone_from(&from.description),
            "as_a" => self.as_a.clone_from(&from.as_a),
            "i_want" => self.i_want.clone_from(&from.i_want),
            "so_that" => self.so_that.clone_from(&from.so_that),
            "acceptance_criteria" => self.criteria.clone_from(&from.criteria),
            "points" => self.points = from.points,
            "labels" => self.labels.clone_from(&from.labels),
            "status" => self.status = from.status,
            "epic" => self.epic.clone_from(&from.epic),
            _ => {}
        }
    }

    /// `story` with these fields.
    pub fn put_on(self, story: &mut Story) {
        story.title = self.title;
        story.description = self.description;
        story.as_a = self.as_a;
        story.i_want = self.i_want;
        story.so_that = self.so_that;
        story.acceptance_criteria = self.criteria;
        story.points = self.points;
        story.labels = self.labels;
        story.status = self.status;
        story.epic = self.epic;
    }
}

/// A feedback item's fields that an import sets and `--update`
/// refreshes, by the file's names.
pub(super) const ITEM_FIELDS: [&str; 6] =
    ["text", "customer", "source", "importance", "date", "link"];

/// The fingerprint of an item's `field`, `None` when it holds nothing.
pub(super) fn item_fingerprint(item: &Feedback, field: &str) -> Option<String> {
    let mut print = Fingerprint::default();
    match field {
        "text" => print.text(&item.text),
        "customer" => print.text(&item.customer),
        "source" => print.text(&item.source),
        "importance" => print.text(&item.importance.value().to_string()),
        "date" => print.text(&rfc3339(item.date)),
        "link" => print.text(item.link.as_deref().unwrap_or_default()),
        _ => {}
    }
    print.finish()
}

/// Every field's fingerprint of `item`, by name.
pub(super) fn item_fingerprints(item: &Feedback) -> BTreeMap<String, String> {
    ITEM_FIELDS
        .into_iter()
        .filter_map(|field| Some((field.to_string(), item_fingerprint(item, field)?)))
        .collect()
}

/// Put `field` of `from` on `item`.
pub(super) fn take_item_field(item: &mut Feedback, field: &str, from: &Feedback) {
    match field {
        "text" => item.text.clone_from(&from.text),
        "customer" => item.customer.clone_from(&from.customer),
        "source" => item.source.clone_from(&from.source),
        "importance" => item.importance = from.importance,
        "date" => item.date = from.date,
        "link" => item.link.clone_from(&from.link),
        _ => {}
    }
}

/// Whether a field is as the source last gave it: its fingerprint now
/// (`now`, `None` when it holds nothing) is the one `seen` kept, a field
/// `seen` lacks having held nothing.
pub(super) fn unchanged(
    seen: &BTreeMap<String, String>,
    field: &str,
    now: Option<&String>,
) -> bool {
    seen.get(field) == now
}

/// FNV-1a, 64 bits, written as 16 hex digits: defined byte for byte, so
/// a fingerprint in the file means the same to every build, where the
/// standard library's hasher may change between Rust releases. It tells
/// one edit from another, not an attacker's text from another.
#[derive(Default)]
struct Fingerprint {
    hasher: fnv::FnvHasher,
    written: bool,
}

impl Fingerprint {
    fn text(&mut self, text: &str) {
        if !text.is_empty() {
            self.hasher.write(text.as_bytes());
            self.written = true;
        }
    }

    fn finish(self) -> Option<String> {
        self.written
            .then(|| format!("{:016x}", self.hasher.finish()))
    }
}

/// A key for a record its source gives none: a fingerprint of its title,
/// so the same title is found again on the next import.
pub(super) fn title_key(title: &str) -> String {
    let mut print = Fingerprint::default();
    print.text(title.trim());
    format!("title-{}", print.finish().unwrap_or_else(|| "0".repeat(16)))
}

/// The status a source's word for it stands for; `None` for words this
/// program does not know (the story is then a draft, and the summary
/// says which words they were). Case, spaces, hyphens and underscores
/// aside, so `In Progress`, `in-progress` and `IN_PROGRESS` are one.
///
/// ```text
/// draft:        draft, open, opened, new, todo, to do, backlog, pending, triage
/// ready:        ready, selected for development
/// in-progress:  in progress, in review, started, doing, active, waiting
/// done:         done, closed, completed, resolved, fixed
/// rejected:     rejected, canceled, cancelled, won't do, deleted, duplicate
/// ```
#[must_use]
pub fn status_from(words: &str) -> Option<Status> {
    let key = words_key(words);
    Some(match key.as_str() {
        "draft" | "open" | "opened" | "new" | "todo" | "to do" | "backlog" | "pending"
        | "triage" => Status::Draft,
        "ready" | "selected for development" => Status::Ready,
        "in progress" | "in review" | "started" | "doing" | "active" | "waiting" => {
            Status::InProgress
        }
        "done" | "closed" | "completed" | "resolved" | "fixed" => Status::Done,
        "rejected" | "canceled" | "cancelled" | "won't do" | "wont do" | "deleted"
        | "duplicate" => Status::Rejected,
        _ => return None,
    })
}

/// How much an item matters, from a source's word for it; `None` for
/// words this program does not know. Productboard's 0 to 3 and their
/// names (`critical`, `nice to have`, …); Jira's priorities, old and new
/// (Highest and Blocker 3, High and Major 2, Medium and Minor 1, Low,
/// Lowest and Trivial 0, and Critical 3 as on Productboard's scale); and
/// Linear's (Urgent 3, High 2, Medium 1, Low 0, No priority 1).
#[must_use]
pub fn importance_from(words: &str) -> Option<Importance> {
    if let Ok(importance) = words.parse::<Importance>() {
        return Some(importance);
    }
    Some(match words_key(words).as_str() {
        "highest" | "blocker" | "urgent" => Importance::Critical,
        "high" | "major" => Importance::Important,
        "medium" | "minor" | "no priority" | "none" => Importance::NiceToHave,
        "low" | "lowest" | "trivial" => Importance::NotImportant,
        _ => return None,
    })
}

/// Words compared without case, with hyphens and underscores as spaces
/// and runs of spaces as one, and a typographic apostrophe as a plain one.
fn words_key(words: &str) -> String {
    words
        .to_lowercase()
        .replace(['-', '_'], " ")
        .replace('\u{2019}', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A date as the file writes it, for a fingerprint.
pub(super) fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sources_words_for_a_status_are_ours() {
        for (words, status) in [
            ("Open", Some(Status::Draft)),
            ("OPENED", Some(Status::Draft)),
            ("To Do", Some(Status::Draft)),
            ("Selected for Development", Some(Status::Ready)),
            ("in-progress", Some(Status::InProgress)),
            ("In Review", Some(Status::InProgress)),
            ("waiting", Some(Status::InProgress)),
            ("closed", Some(Status::Done)),
            ("Won’t Do", Some(Status::Rejected)),
            ("Cancelled", Some(Status::Rejected)),
            ("blocked", None),
        ] {
            assert_eq!(status_from(words), status, "{words}");
        }
        for status in Status::ALL {
            assert_eq!(status_from(status.as_str()), Some(status));
        }
    }

    #[test]
    fn a_sources_words_for_importance_are_on_productboards_scale() {
        for (words, importance) in [
            ("3", Some(Importance::Critical)),
            ("critical", Some(Importance::Critical)),
            ("Highest", Some(Importance::Critical)),
            ("High", Some(Importance::Important)),
            ("Medium", Some(Importance::NiceToHave)),
            ("nice-to-have", Some(Importance::NiceToHave)),
            ("Lowest", Some(Importance::NotImportant)),
            ("4", None),
            ("whenever", None),
        ] {
            assert_eq!(importance_from(words), importance, "{words}");
        }
    }

    #[test]
    fn fingerprints_are_fixed_and_tell_names_without_case() {
        // FNV-1a's published value for "a": a fingerprint must not change
        // between builds, or every story would look changed here.
        let mut print = Fingerprint::default();
        print.text("a");
        assert_eq!(print.finish().as_deref(), Some("af63dc4c8601ec8c"));
        let fields = StoryFields {
            labels: vec!["UX".into()],
            epic: Some("Billing".into()),
            ..StoryFields::default()
        };
        let respelled = StoryFields {
            labels: vec!["ux".into()],
            epic: Some("billing".into()),
            ..StoryFields::default()
        };
        assert_eq!(fields.fingerprints(), respelled.fingerprints());
        assert!(
            !fields.fingerprints().contains_key("title"),
            "empty has none"
        );
        assert_eq!(title_key(" Pay "), title_key("Pay"));
    }
}
