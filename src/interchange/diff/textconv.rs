//! One backlog file as lines for git's `textconv`, so that git's line
//! diff of two of them reads as the semantic change: `git log -p
//! backlog.json` then shows "S-4 [draft] → [ready]" and not a JSON field.
//!
//! Every line names what it is. Lines that belong together are indented
//! under an unindented heading (`S-4 Pay by card`, `Epic Checkout`),
//! which git's default hunk header picks up, so each hunk says which story
//! it is in. The rank order is one line per story, without places: a
//! story added at the top would otherwise change every line after it.
//! Each story's details follow in id order, which no move changes.
//! The clashes a merge left come last in what they are on: the product,
//! or a story.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::ClashSides;
use super::render::{Clashed, Values, clash_line};
use crate::model::{Backlog, Clash, Comment, Input, Product, Story, StoryId};
use crate::text::one_line;

/// The backlog as lines: the product, the rank order, each story's
/// details in id order, then epics, releases, sprints and the inbox.
/// Text from the file goes through [`one_line`], line by line; a clash's
/// values are whole, on one line.
#[must_use]
pub fn lines(backlog: &Backlog) -> String {
    let mut out = String::new();
    let product = &backlog.product;
    let scale = product.settings.scale;
    let mut clashes_of: HashMap<Option<StoryId>, Vec<&Clash>> = HashMap::new();
    for clash in backlog.clashes() {
        clashes_of.entry(clash.story).or_default().push(clash);
    }
    product_lines(&mut out, product);
    clash_lines(&mut out, clashes_of.get(&None));
    out.push_str("\nBacklog in rank order\n");
    for story in backlog.ranked() {
        let estimate = story.points.map_or("?".to_string(), |p| scale.label(p));
        let _ = writeln!(
            out,
            "  {} [{}] {estimate} {}",
            story.id,
            story.status,
            one_line(&story.title)
        );
    }
    for story in backlog.stories_by_id() {
        out.push('\n');
        story_lines(&mut out, story);
        clash_lines(&mut out, clashes_of.get(&Some(story.id)));
    }
    for epic in &product.epics {
        out.push('\n');
        line(&mut out, "Epic", &epic.name);
        let _ = writeln!(out, "  colour: {}", epic.color);
        field(&mut out, "goal", &epic.goal);
        if let Some(release) = &epic.target_release {
            field(&mut out, "target release", release);
        }
    }
    for release in &product.releases {
        out.push('\n');
        line(&mut out, "Release", &release.name);
        if let Some(date) = release.date {
            let _ = writeln!(out, "  due: {date}");
        }
        if let Some(key) = &release.line {
            let above = backlog.ranked().take_while(|s| s.rank < *key).last();
            let _ = match above {
                Some(story) => writeln!(out, "  line under: {}", story.id),
                None => writeln!(out, "  line at the top"),
            };
        }
        if !release.stories.is_empty() {
            let _ = writeln!(out, "  assigned: {}", ids(&release.stories));
        }
    }
    for sprint in &product.sprints {
        out.push('\n');
        line(&mut out, "Sprint", &sprint.name);
        let _ = writeln!(
            out,
            "  {}, from {} for {} days",
            sprint.state.as_str(),
            sprint.start,
            sprint.days
        );
        if let Some(capacity) = sprint.capacity {
            let _ = writeln!(out, "  capacity: {capacity}");
        }
        if !sprint.committed.is_empty() {
            let _ = writeln!(out, "  committed: {}", ids(&sprint.committed));
        }
        if let Some(completed) = sprint.completed {
            let _ = writeln!(out, "  completed: {completed}");
        }
    }
    if !product.past_sprints.is_empty() {
        out.push_str("\nPast sprints\n");
        for past in &product.past_sprints {
            let _ = writeln!(out, "  {}: {} points", one_line(&past.sprint), past.points);
        }
    }
    if !product.feedback.is_empty() {
        out.push_str("\nInbox\n");
        for item in &product.feedback {
            let story = item.story.map(|id| format!(" ({id})")).unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} [{}]{story} {}: {}",
                item.id,
                item.state,
                one_line(&item.customer),
                one_line(&item.text)
            );
        }
    }
    out
}

/// The product's name, vision, goals and settings.
fn product_lines(out: &mut String, product: &Product) {
    line(out, "Product", &product.name);
    field(out, "vision", &product.vision);
    for goal in &product.goals {
        field(out, "goal", goal);
    }
    let _ = writeln!(out, "  estimate scale: {}", product.settings.scale);
    for (name, value) in [
        ("ready rules", compact(&product.settings.ready)),
        ("prioritisation", compact(&product.settings.priority)),
        ("forecast", compact(&product.settings.plan)),
    ] {
        let _ = writeln!(out, "  {name}: {value}");
    }
}

fn story_lines(out: &mut String, story: &Story) {
    let _ = writeln!(out, "{} {}", story.id, one_line(&story.title));
    if let Some(epic) = &story.epic {
        field(out, "epic", epic);
    }
    if !story.labels.is_empty() {
        field(out, "labels", &story.labels.join(", "));
    }
    field(out, "as a", &story.as_a);
    field(out, "I want", &story.i_want);
    field(out, "so that", &story.so_that);
    field(out, "description", &story.description);
    for criterion in &story.acceptance_criteria {
        let mark = if criterion.done { "[x]" } else { "[ ]" };
        field(out, &format!("criterion {mark}"), &criterion.text);
    }
    for comment in &story.comments {
        comment_lines(out, comment);
    }
    if let Some(from) = story.split_from {
        let _ = writeln!(out, "  split from: {from}");
    }
    if !story.split_into.is_empty() {
        let _ = writeln!(out, "  split into: {}", ids(&story.split_into));
    }
    if !story.blocked_by.is_empty() {
        let _ = writeln!(out, "  blocked by: {}", ids(&story.blocked_by));
    }
    let inputs: Vec<String> = Input::ALL
        .into_iter()
        .filter_map(|input| Some(format!("{} {}", input.key(), input.get(&story.inputs)?)))
        .collect();
    if !inputs.is_empty() {
        let _ = writeln!(out, "  priority: {}", inputs.join(", "));
    }
}

fn clash_lines(out: &mut String, clashes: Option<&Vec<&Clash>>) {
    for &clash in clashes.into_iter().flatten() {
        let sides = ClashSides::from(clash);
        let _ = writeln!(
            out,
            "  {}",
            clash_line(&sides, Clashed::Added, Values::Whole)
        );
    }
}

fn comment_lines(out: &mut String, comment: &Comment) {
    let kind = if comment.question {
        "question"
    } else if comment.decision {
        "decision"
    } else {
        "comment"
    };
    let at = comment.at.format("%Y-%m-%d %H:%M");
    let head = format!("{kind} by {} at {at}", one_line(&comment.author));
    field(out, &head, &comment.text);
    if let Some(resolved) = &comment.resolved {
        let by = format!("  resolved by {}", one_line(&resolved.by));
        match &comment.answer {
            Some(answer) => field(out, &format!("{by}, answer"), answer),
            None => {
                let _ = writeln!(out, "  {by}");
            }
        }
    }
}

/// An unindented heading: `Epic Checkout`.
fn line(out: &mut String, what: &str, name: &str) {
    let _ = writeln!(out, "{what} {}", one_line(name));
}

/// `  name: text`, a line for each line of the text; nothing for an
/// empty text.
fn field(out: &mut String, name: &str, text: &str) {
    for text in text.lines() {
        let _ = writeln!(out, "  {name}: {}", one_line(text));
    }
}

fn compact(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn ids(stories: &[crate::model::StoryId]) -> String {
    stories
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
