//! The diff as people read it: one line for a commit message, and the
//! text `backlog diff` prints. Text from the file goes through
//! [`one_line`], so no control character reaches the terminal.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde_json::Value;

use super::product::ProductChange;
use super::{ClashSides, CommentKind, Diff, Estimate, StoryChange, StoryDiff};
use crate::model::{DELETED, StoryId};
use crate::text::one_line;
use crate::words::count;

/// How many of one kind of change the summary names one by one; more are
/// counted.
const NAMED_IN_SUMMARY: usize = 3;

/// How much of a long text (a criterion, a comment) a line quotes.
const QUOTED_CHARS: usize = 60;

impl Diff {
    /// One line for a commit message: `3 added, S-4 moved to #1, S-9
    /// ready`; `no change` when there is none. Added and removed stories
    /// are counted; new ids (`S-31 renumbered to S-33`), moves, changes
    /// of status and other edits are named story by story, up to three of
    /// each, and counted past that;
    /// product changes likewise. Clashes are counted last: `1 clash`,
    /// `2 clashes settled`.
    #[must_use]
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return "no change".to_string();
        }
        let mut added = 0;
        let mut removed = 0;
        let mut renumbered = Vec::new();
        let mut moved = Vec::new();
        let mut statuses = Vec::new();
        let mut edited = Vec::new();
        let mut clashes = Clashes::default();
        for story in &self.stories {
            let mut other = false;
            for change in &story.changes {
                match change {
                    StoryChange::Clash(_) => clashes.added += 1,
                    StoryChange::ClashChanged(_) => clashes.changed += 1,
                    StoryChange::ClashSettled { .. } => clashes.settled += 1,
                    StoryChange::Added { .. } => added += 1,
                    StoryChange::Removed { .. } => removed += 1,
                    StoryChange::Renumbered { from } => {
                        renumbered.push(format!("{from} renumbered to {}", story.id));
                    }
                    StoryChange::Moved { to, .. } => {
                        moved.push(format!("{} moved to #{to}", story.id));
                    }
                    StoryChange::Status { to, .. } => statuses.push(format!("{} {to}", story.id)),
                    _ => other = true,
                }
            }
            if other
                && !story
                    .changes
                    .iter()
                    .any(|c| matches!(c, StoryChange::Added { .. }))
            {
                edited.push(format!("{} edited", story.id));
            }
        }
        let mut parts = Vec::new();
        if added > 0 {
            parts.push(format!("{added} added"));
        }
        if removed > 0 {
            parts.push(format!("{removed} removed"));
        }
        named_or_counted(&mut parts, renumbered, |n| format!("{n} renumbered"));
        named_or_counted(&mut parts, moved, |n| format!("{n} moved"));
        named_or_counted(&mut parts, statuses, |n| {
            format!("{} changed status", count(n, "story", "stories"))
        });
        named_or_counted(&mut parts, edited, |n| format!("{n} edited"));
        let mut product = Vec::new();
        for change in &self.product {
            match change {
                ProductChange::Clash(_) => clashes.added += 1,
                ProductChange::ClashChanged(_) => clashes.changed += 1,
                ProductChange::ClashSettled { .. } => clashes.settled += 1,
                change => product.push(short(change)),
            }
        }
        named_or_counted(&mut parts, product, |n| {
            count(n, "product change", "product changes")
        });
        for (n, what) in [
            (clashes.added, ""),
            (clashes.changed, " changed"),
            (clashes.settled, " settled"),
        ] {
            if n > 0 {
                parts.push(format!("{}{what}", count(n, "clash", "clashes")));
            }
        }
        parts.join(", ")
    }

    /// The readable text `backlog diff` prints: each story that changed,
    /// `#3 S-4 Title` (a removed one without its place), with a line for
    /// each change under it; then the product's changes under `Product`.
    /// Empty when nothing changed.
    #[must_use]
    pub fn render(&self) -> String {
        let mut text = String::new();
        for story in &self.stories {
            render_story(&mut text, story);
        }
        if !self.product.is_empty() {
            text.push_str("Product\n");
            for change in &self.product {
                let _ = writeln!(text, "  {}", long(change));
            }
        }
        text
    }
}

/// How many clashes the summary counts, by what became of them.
#[derive(Default)]
struct Clashes {
    added: usize,
    changed: usize,
    settled: usize,
}

fn named_or_counted(
    parts: &mut Vec<String>,
    named: Vec<String>,
    counted: impl Fn(usize) -> String,
) {
    match named.len() {
        0 => {}
        n if n <= NAMED_IN_SUMMARY => parts.extend(named),
        n => parts.push(counted(n)),
    }
}

fn render_story(text: &mut String, story: &StoryDiff) {
    let title = one_line(&story.title);
    let _ = match story.place {
        Some(place) => writeln!(text, "#{place} {} {title}", story.id),
        None => writeln!(text, "{} {title}", story.id),
    };
    for change in &story.changes {
        let _ = writeln!(text, "  {}", story_line(change));
    }
}

fn story_line(change: &StoryChange) -> String {
    match change {
        StoryChange::Added { place } => format!("added at #{place}"),
        StoryChange::Removed { place } => format!("removed (was #{place})"),
        StoryChange::Renumbered { from } => format!("renumbered from {from}"),
        StoryChange::Moved { from, to } => format!("moved from #{from} to #{to}"),
        StoryChange::Status { from, to } => format!("status {from} → {to}"),
        StoryChange::Estimate { from, to } => {
            let label =
                |e: &Option<Estimate>| e.as_ref().map_or("?".to_string(), |e| e.label.clone());
            format!("estimate {} → {}", label(from), label(to))
        }
        StoryChange::Title { from, .. } => format!("title changed (was {})", quote(from)),
        StoryChange::UserStory { parts } => {
            let parts: Vec<&str> = parts.iter().map(|p| user_story_part(p)).collect();
            format!("user story changed: {}", parts.join(", "))
        }
        StoryChange::Description => "description changed".to_string(),
        StoryChange::CriterionAdded { text } => format!("criterion added: {}", quote(text)),
        StoryChange::CriterionRemoved { text } => format!("criterion removed: {}", quote(text)),
        StoryChange::CriterionChecked { text } => format!("criterion checked off: {}", quote(text)),
        StoryChange::CriterionUnchecked { text } => {
            format!("criterion no longer checked: {}", quote(text))
        }
        StoryChange::LabelAdded { label } => format!("label added: {}", one_line(label)),
        StoryChange::LabelRemoved { label } => format!("label removed: {}", one_line(label)),
        StoryChange::Epic { from, to } => match (from, to) {
            (None, Some(to)) => format!("epic set: {}", one_line(to)),
            (Some(from), None) => format!("epic taken off: {}", one_line(from)),
            (Some(from), Some(to)) => format!("epic {} → {}", one_line(from), one_line(to)),
            (None, None) => "epic unchanged".to_string(),
        },
        StoryChange::CommentAdded { kind, author, text } => {
            format!(
                "{} by {}: {}",
                kind_name(*kind),
                one_line(author),
                quote(text)
            )
        }
        StoryChange::CommentEdited { kind, author, text } => format!(
            "{} by {} edited: {}",
            kind_name(*kind),
            one_line(author),
            quote(text)
        ),
        StoryChange::CommentRemoved { kind, author, text } => format!(
            "{} by {} removed: {}",
            kind_name(*kind),
            one_line(author),
            quote(text)
        ),
        StoryChange::QuestionAnswered { text, by, answer } => match answer {
            Some(answer) => format!(
                "question {} answered by {}: {}",
                quote(text),
                one_line(by),
                quote(answer)
            ),
            None => format!("question {} resolved by {}", quote(text), one_line(by)),
        },
        StoryChange::QuestionReopened { text } => format!("question {} opened again", quote(text)),
        StoryChange::SplitInto { stories } => format!("split into {}", ids(stories)),
        StoryChange::BlockedBy { story } => format!("blocked by {story}"),
        StoryChange::NoLongerBlockedBy { story } => format!("no longer blocked by {story}"),
        StoryChange::Priority { inputs } => {
            format!("prioritisation inputs changed: {}", inputs.join(", "))
        }
        StoryChange::Clash(sides) => clash_line(sides, Clashed::Added, Values::Quoted),
        StoryChange::ClashChanged(sides) => clash_line(sides, Clashed::Again, Values::Quoted),
        StoryChange::ClashSettled { field } => clash_settled(field),
    }
}

/// Whether a clash is news or came again with other values.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Clashed {
    Added,
    Again,
}

/// How long a clash's values are shown.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Values {
    /// Cut at [`QUOTED_CHARS`], as every text `backlog diff` quotes.
    Quoted,
    /// Whole, for git's line diff to compare.
    Whole,
}

/// `clash on title: ours "X" (HEAD), theirs "Y" (feature)`, with `now`
/// after the field when its values came again changed. A story one side
/// deleted says which side did, as `resolve-conflict`'s `true` and
/// `false` mean nothing to a reader. The product's own parts go without
/// `product.`, which `resolve-conflict` does not need.
pub(super) fn clash_line(sides: &ClashSides, clashed: Clashed, values: Values) -> String {
    let now = if clashed == Clashed::Again {
        " now"
    } else {
        ""
    };
    let by = |who: &Option<String>| {
        who.as_deref()
            .map_or_else(String::new, |who| format!(" ({})", one_line(who)))
    };
    let (ours_by, theirs_by) = (by(&sides.ours_by), by(&sides.theirs_by));
    if let (DELETED, Some(ours), Some(theirs)) = (
        sides.field.as_str(),
        sides.ours.as_bool(),
        sides.theirs.as_bool(),
    ) {
        let did = |deleted: bool| if deleted { "deleted" } else { "changed" };
        return format!(
            "clash{now}: ours{ours_by} {} it, theirs{theirs_by} {} it",
            did(ours),
            did(theirs)
        );
    }
    format!(
        "clash on {}{now}: ours {}{ours_by}, theirs {}{theirs_by}",
        clash_field(&sides.field),
        clash_value(&sides.ours, values),
        clash_value(&sides.theirs, values),
    )
}

fn clash_settled(field: &str) -> String {
    if field == DELETED {
        "clash on deleting it settled".to_string()
    } else {
        format!("clash on {} settled", clash_field(field))
    }
}

fn clash_field(field: &str) -> std::borrow::Cow<'_, str> {
    one_line(field.strip_prefix("product.").unwrap_or(field))
}

/// A text in quotes; anything else as the file spells it; `none` for
/// null.
fn clash_value(value: &Value, values: Values) -> String {
    match (value, values) {
        (Value::Null, _) => "none".to_string(),
        (Value::String(text), Values::Quoted) => quote(text),
        (Value::String(text), Values::Whole) => format!("\"{}\"", one_line(text)),
        (other, Values::Quoted) => cut(&other.to_string()),
        (other, Values::Whole) => one_line(&other.to_string()).into_owned(),
    }
}

/// A change to the product as the summary names it.
fn short(change: &ProductChange) -> String {
    match change {
        ProductChange::Name { .. } => "product renamed".to_string(),
        ProductChange::Vision => "vision changed".to_string(),
        ProductChange::GoalAdded { .. } => "goal added".to_string(),
        ProductChange::GoalRemoved { .. } => "goal removed".to_string(),
        ProductChange::EpicAdded { name } => format!("epic {} added", one_line(name)),
        ProductChange::EpicRemoved { name } => format!("epic {} removed", one_line(name)),
        ProductChange::EpicRenamed { from, to } => {
            format!("epic {} renamed {}", one_line(from), one_line(to))
        }
        ProductChange::EpicChanged { name, .. } => format!("epic {} changed", one_line(name)),
        ProductChange::ReleaseAdded { name, .. } => format!("release {} added", one_line(name)),
        ProductChange::ReleaseRemoved { name } => format!("release {} removed", one_line(name)),
        ProductChange::ReleaseDate { name, to, .. } => {
            format!("release {} due {}", one_line(name), date(*to))
        }
        ProductChange::ReleaseLine { name, .. } | ProductChange::ReleaseStories { name, .. } => {
            format!("release {} changed", one_line(name))
        }
        ProductChange::SprintAdded { name } => format!("sprint {} added", one_line(name)),
        ProductChange::SprintRemoved { name } => format!("sprint {} removed", one_line(name)),
        ProductChange::SprintChanged { name } => format!("sprint {} changed", one_line(name)),
        ProductChange::PastSprints => "past velocity changed".to_string(),
        ProductChange::Scale { to, .. } => format!("estimates on the {to} scale"),
        ProductChange::Settings { .. } => "settings changed".to_string(),
        ProductChange::Feedback { .. } => "inbox changed".to_string(),
        ProductChange::Clash(sides) | ProductChange::ClashChanged(sides) => {
            format!("clash on {}", clash_field(&sides.field))
        }
        ProductChange::ClashSettled { field } => clash_settled(field),
    }
}

/// A change to the product as `backlog diff` prints it.
fn long(change: &ProductChange) -> String {
    match change {
        ProductChange::Name { from, to } => {
            format!("name {} → {}", quote(from), quote(to))
        }
        ProductChange::GoalAdded { goal } => format!("goal added: {}", quote(goal)),
        ProductChange::GoalRemoved { goal } => format!("goal removed: {}", quote(goal)),
        ProductChange::EpicChanged { name, fields } => epic_changed(name, fields),
        ProductChange::ReleaseAdded { name, date: due } => match due {
            Some(due) => format!("release {} added, due {due}", one_line(name)),
            None => format!("release {} added", one_line(name)),
        },
        ProductChange::ReleaseDate { name, from, to } => format!(
            "release {} due {} (was {})",
            one_line(name),
            date(*to),
            date(*from)
        ),
        ProductChange::ReleaseLine { name, from, to } => {
            let line = |above: &Option<usize>| {
                above.map_or("no line".to_string(), |n| format!("line under #{n}"))
            };
            format!(
                "release {}: {} (was {})",
                one_line(name),
                line(to),
                line(from)
            )
        }
        ProductChange::ReleaseStories {
            name,
            added,
            removed,
        } => {
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("{} assigned", ids(added)));
            }
            if !removed.is_empty() {
                parts.push(format!("{} no longer assigned", ids(removed)));
            }
            format!("release {}: {}", one_line(name), parts.join(", "))
        }
        ProductChange::PastSprints => "velocity of past sprints changed".to_string(),
        ProductChange::Scale { from, to } => format!("estimate scale {from} → {to}"),
        ProductChange::Settings { parts } => {
            let parts: Vec<&str> = parts
                .iter()
                .map(|p| match *p {
                    "ready" => "Definition of Ready",
                    "priority" => "prioritisation",
                    _ => "forecast",
                })
                .collect();
            format!("settings changed: {}", parts.join(", "))
        }
        ProductChange::Feedback {
            added,
            changed,
            removed,
        } => {
            let mut parts = Vec::new();
            for (n, what) in [(added, "added"), (changed, "changed"), (removed, "removed")] {
                if *n > 0 {
                    parts.push(format!("{n} {what}"));
                }
            }
            format!("inbox: {}", parts.join(", "))
        }
        ProductChange::Clash(sides) => clash_line(sides, Clashed::Added, Values::Quoted),
        ProductChange::ClashChanged(sides) => clash_line(sides, Clashed::Again, Values::Quoted),
        _ => short(change),
    }
}

fn epic_changed(name: &str, fields: &[&str]) -> String {
    let fields: Vec<&str> = fields
        .iter()
        .map(|f| match *f {
            "color" => "colour",
            "target_release" => "target release",
            other => other,
        })
        .collect();
    format!("epic {} changed: {}", one_line(name), fields.join(", "))
}

fn user_story_part(part: &str) -> &'static str {
    match part {
        "as_a" => "as a",
        "i_want" => "I want",
        _ => "so that",
    }
}

fn kind_name(kind: CommentKind) -> &'static str {
    match kind {
        CommentKind::Comment => "comment",
        CommentKind::Question => "question",
        CommentKind::Decision => "decision",
    }
}

fn ids(stories: &[StoryId]) -> String {
    stories
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn date(day: Option<NaiveDate>) -> String {
    day.map_or("no date".to_string(), |d| d.to_string())
}

/// A text in quotes, on one line, cut at [`QUOTED_CHARS`] characters.
fn quote(text: &str) -> String {
    format!("\"{}\"", cut(text.trim()))
}

/// A text on one line, cut at [`QUOTED_CHARS`] characters.
fn cut(text: &str) -> String {
    let line = one_line(text);
    let mut chars = line.chars();
    let cut: String = chars.by_ref().take(QUOTED_CHARS).collect();
    if chars.next().is_some() {
        format!("{}…", cut.trim_end())
    } else {
        cut
    }
}
