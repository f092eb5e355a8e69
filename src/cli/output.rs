//! What the reading commands print: `list`, `show` and `ready`, as text
//! for people and JSON for scripts. Text from the file passes through
//! [`crate::text`], so it never moves the cursor.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::interchange::document;
use crate::model::ready;
use crate::model::{Backlog, Comment, Criterion, Override, Points, Stamp, Status, Story, StoryId};
use crate::text::{multi_line, one_line};

pub(super) fn list(backlog: &Backlog, json: bool, out: &mut dyn Write) -> Result<()> {
    if json {
        let rows: Vec<ListJson> = backlog
            .ranked()
            .enumerate()
            .map(|(i, s)| ListJson::new(i, s))
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
    } else {
        out.write_all(list_text(backlog).as_bytes())?;
    }
    Ok(())
}

pub(super) fn show(backlog: &Backlog, id: StoryId, json: bool, out: &mut dyn Write) -> Result<()> {
    let position = backlog.position(id)?;
    let story = backlog.get(id).expect("position found it");
    if json {
        let shown = ShowJson::new(backlog, position, story);
        writeln!(out, "{}", serde_json::to_string_pretty(&shown)?)?;
    } else {
        let document = document::render(story, &backlog.product);
        // Redirected, the document is data that `edit --from-file` reads
        // back, so it keeps the text as written; a terminal gets it safe.
        if std::io::stdout().is_terminal() {
            out.write_all(multi_line(&document).as_bytes())?;
        } else {
            out.write_all(document.as_bytes())?;
        }
    }
    Ok(())
}

/// `backlog ready`: draft and ready stories, in rank order, that fail the
/// Definition of Ready.
pub(super) fn ready(backlog: &Backlog, json: bool, out: &mut dyn Write) -> Result<()> {
    let rules = &backlog.product.settings.ready;
    let candidates: Vec<(usize, &Story)> = backlog
        .ranked()
        .enumerate()
        .filter(|(_, s)| matches!(s.status, Status::Draft | Status::Ready))
        .collect();
    let rows: Vec<ReadyJson> = candidates
        .iter()
        .filter_map(|&(position, story)| {
            let not_ready = ready::reasons(story, rules);
            (!not_ready.is_empty()).then(|| ReadyJson {
                rank: position + 1,
                id: story.id,
                title: &story.title,
                status: story.status,
                not_ready,
            })
        })
        .collect();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(());
    }
    let mut text = String::new();
    if candidates.is_empty() {
        text.push_str("There are no draft or ready stories.\n");
    } else if rows.is_empty() {
        let _ = writeln!(
            text,
            "All {} draft and ready stories meet the Definition of Ready.",
            candidates.len()
        );
    } else {
        let _ = writeln!(
            text,
            "{} of {} draft and ready stories are not ready:",
            rows.len(),
            candidates.len()
        );
        for row in &rows {
            let _ = writeln!(
                text,
                "\n{:>4}  {}  {}  {}",
                row.rank,
                row.id,
                row.status,
                one_line(row.title)
            );
            for reason in &row.not_ready {
                let _ = writeln!(text, "      - {reason}");
            }
        }
    }
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// One row of `backlog list --json`.
#[derive(Serialize)]
struct ListJson<'a> {
    rank: usize,
    id: StoryId,
    title: &'a str,
    points: Option<Points>,
    status: Status,
    epic: Option<&'a str>,
    labels: &'a [String],
}

impl<'a> ListJson<'a> {
    fn new(position: usize, s: &'a Story) -> Self {
        ListJson {
            rank: position + 1,
            id: s.id,
            title: &s.title,
            points: s.points,
            status: s.status,
            epic: s.epic.as_deref(),
            labels: &s.labels,
        }
    }
}

/// `backlog show --json`: the list row and every other field of the story,
/// and whether it meets the Definition of Ready.
#[derive(Serialize)]
struct ShowJson<'a> {
    #[serde(flatten)]
    row: ListJson<'a>,
    as_a: &'a str,
    i_want: &'a str,
    so_that: &'a str,
    description: &'a str,
    acceptance_criteria: &'a [Criterion],
    created: DateTime<Utc>,
    updated: DateTime<Utc>,
    comments: Vec<CommentJson<'a>>,
    split_from: Option<StoryId>,
    split_into: &'a [StoryId],
    ready_override: Option<&'a Override>,
    ready: bool,
    not_ready: Vec<String>,
}

/// A comment with every field present, so scripts need no defaults.
#[derive(Serialize)]
struct CommentJson<'a> {
    number: usize,
    at: DateTime<Utc>,
    author: &'a str,
    text: &'a str,
    question: bool,
    resolved: Option<&'a Stamp>,
}

impl<'a> ShowJson<'a> {
    fn new(backlog: &Backlog, position: usize, s: &'a Story) -> Self {
        let not_ready = ready::reasons(s, &backlog.product.settings.ready);
        ShowJson {
            row: ListJson::new(position, s),
            as_a: &s.as_a,
            i_want: &s.i_want,
            so_that: &s.so_that,
            description: &s.description,
            acceptance_criteria: &s.acceptance_criteria,
            created: s.created,
            updated: s.updated,
            comments: s
                .comments
                .iter()
                .enumerate()
                .map(|(i, c): (usize, &'a Comment)| CommentJson {
                    number: i + 1,
                    at: c.at,
                    author: &c.author,
                    text: &c.text,
                    question: c.question,
                    resolved: c.resolved.as_ref(),
                })
                .collect(),
            split_from: s.split_from,
            split_into: &s.split_into,
            ready_override: s.ready_override.as_ref(),
            ready: not_ready.is_empty(),
            not_ready,
        }
    }
}

/// One row of `backlog ready --json`.
#[derive(Serialize)]
struct ReadyJson<'a> {
    rank: usize,
    id: StoryId,
    title: &'a str,
    status: Status,
    not_ready: Vec<String>,
}

fn list_text(backlog: &Backlog) -> String {
    if backlog.is_empty() {
        return "The backlog is empty. Add a story with `backlog add \"TITLE\"`, \
                or load a sample with `backlog init --demo`.\n"
            .to_string();
    }
    let rank_width = backlog.len().to_string().len().max(1);
    let id_width = backlog
        .stories_by_id()
        .last()
        .map_or(3, |s| s.id.to_string().len());
    let mut text = format!(
        "{:>rank_width$}  {:<id_width$}  {:>4}  {:<11}  TITLE\n",
        "#", "ID", "PTS", "STATUS"
    );
    for (i, s) in backlog.ranked().enumerate() {
        let points = s.points.map_or_else(|| "-".to_string(), |p| p.to_string());
        let _ = writeln!(
            text,
            "{:>rank_width$}  {:<id_width$}  {:>4}  {:<11}  {}",
            i + 1,
            s.id.to_string(),
            points,
            s.status.as_str(),
            one_line(&s.title)
        );
    }
    text
}
