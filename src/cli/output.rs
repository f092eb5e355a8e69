//! What the reading commands print: `list`, `show` and `ready`, as text
//! for people and JSON for scripts. Text from the file passes through
//! [`crate::text`], so it never moves the cursor.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};

use anyhow::{Result, anyhow};
use chrono::{DateTime, Utc};
use clap::Args;
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::count;
use crate::interchange::{document, json};
use crate::model::filter::{EpicFilter, Filter};
use crate::model::ready::{self, Mark};
use crate::model::{
    Backlog, Comment, Criterion, FeedbackId, Inputs, ModelError, Override, Points, Stamp, Status,
    StatusChange, Story, StoryId,
};
use crate::text::{multi_line, one_line};

/// `backlog list`: its output and the filters it shares with the TUI.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON (see the README for its fields)
    #[arg(long)]
    pub json: bool,
    /// Only stories with this status: draft, ready, in-progress, done or rejected
    #[arg(long, value_name = "S")]
    pub status: Option<Status>,
    /// Only open stories: neither done nor rejected
    #[arg(long)]
    pub open: bool,
    /// Only stories with this label (in any case; a leading # is dropped)
    #[arg(long, value_name = "L")]
    pub label: Option<String>,
    /// Only stories in this epic (named in any case)
    #[arg(long, value_name = "E", conflicts_with = "no_epic")]
    pub epic: Option<String>,
    /// Only stories in no epic
    #[arg(long)]
    pub no_epic: bool,
    /// Only draft and ready stories that meet the Definition of Ready (the
    /// ✓ mark); stories in progress, done or rejected are past it
    #[arg(long, conflicts_with = "not_ready")]
    pub ready: bool,
    /// Only draft and ready stories that do not meet the Definition of
    /// Ready (the ✗ and ! marks)
    #[arg(long)]
    pub not_ready: bool,
    /// Only stories with no estimate
    #[arg(long)]
    pub unestimated: bool,
    /// Only stories with every one of these words (in any case) in the id,
    /// title, user story, description or acceptance criteria
    #[arg(long, value_name = "WORDS")]
    pub search: Option<String>,
}

impl ListArgs {
    /// The filter the flags ask for: the TUI's, so both show the same
    /// stories.
    pub(super) fn filter(&self, backlog: &Backlog) -> Result<Filter> {
        let epic = match (&self.epic, self.no_epic) {
            (_, true) => Some(EpicFilter::None),
            (Some(name), false) => {
                // A typo in an epic's name would only show nothing.
                if backlog.product.epic(name).is_none() {
                    return Err(anyhow!(
                        "{}",
                        super::story::explain(&ModelError::UnknownEpic(name.clone()), backlog, "")
                    ));
                }
                Some(EpicFilter::Named(name.clone()))
            }
            (None, false) => None,
        };
        Ok(Filter {
            query: self.search.clone().unwrap_or_default(),
            status: self.status,
            open: self.open,
            label: self.label.clone(),
            epic,
            ready: match (self.ready, self.not_ready) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            },
            unestimated: self.unestimated,
        })
    }
}

pub(super) fn list(backlog: &Backlog, args: &ListArgs, out: &mut dyn Write) -> Result<()> {
    let filter = args.filter(backlog)?;
    let shown: Vec<(usize, &Story)> = filter.matching(backlog).collect();
    if args.json {
        let rules = &backlog.product.settings.ready;
        let rows: Vec<ListJson> = shown
            .iter()
            .map(|&(i, s)| ListJson {
                row: StoryJson::new(i, s),
                ready: ready::meets(s, rules),
            })
            .collect();
        writeln!(out, "{}", json::pretty(&rows)?)?;
    } else {
        out.write_all(list_text(backlog, &shown, filter.is_active()).as_bytes())?;
    }
    Ok(())
}

pub(super) fn show(backlog: &Backlog, id: StoryId, json: bool, out: &mut dyn Write) -> Result<()> {
    let position = backlog.position(id)?;
    let story = backlog.get(id).expect("position found it");
    if json {
        let shown = ShowJson::new(backlog, position, story);
        writeln!(out, "{}", json::pretty(&shown)?)?;
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
        writeln!(out, "{}", json::pretty(&rows)?)?;
        return Ok(());
    }
    let mut text = String::new();
    if candidates.is_empty() {
        text.push_str("There are no draft or ready stories.\n");
    } else if rows.is_empty() {
        if candidates.len() == 1 {
            text.push_str("The one draft or ready story meets the Definition of Ready.\n");
        } else {
            let _ = writeln!(
                text,
                "All {} draft and ready stories meet the Definition of Ready.",
                candidates.len()
            );
        }
    } else {
        if candidates.len() == 1 {
            text.push_str("The one draft or ready story is not ready:\n");
        } else {
            let _ = writeln!(
                text,
                "{} of {} draft and ready stories {} not ready:",
                rows.len(),
                candidates.len(),
                if rows.len() == 1 { "is" } else { "are" }
            );
        }
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

/// One row of `backlog list --json`: the story's fields, and whether it
/// meets the Definition of Ready as its mark says (null past draft and
/// ready, where the `--ready` filter does not look either).
#[derive(Serialize)]
struct ListJson<'a> {
    #[serde(flatten)]
    row: StoryJson<'a>,
    ready: Option<bool>,
}

/// The fields `list --json` and `show --json` both print.
#[derive(Serialize)]
struct StoryJson<'a> {
    rank: usize,
    id: StoryId,
    title: &'a str,
    points: Option<Points>,
    status: Status,
    epic: Option<&'a str>,
    labels: &'a [String],
}

impl<'a> StoryJson<'a> {
    fn new(position: usize, s: &'a Story) -> Self {
        StoryJson {
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
/// and whether it meets the Definition of Ready, whatever its status.
#[derive(Serialize)]
struct ShowJson<'a> {
    #[serde(flatten)]
    row: StoryJson<'a>,
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
    /// The prioritisation inputs set, by the file's names.
    priority: &'a Inputs,
    blocked_by: &'a [StoryId],
    blocks: Vec<StoryId>,
    /// Each change of its status, oldest first.
    status_history: &'a [StatusChange],
    /// When it was done, while it is done.
    done_at: Option<DateTime<Utc>>,
    /// From when work on it started to when it was done, in days; none
    /// when either is unknown or a guess.
    cycle_time_days: Option<f64>,
    /// The customers asking for it.
    evidence: EvidenceJson,
}

/// A story's customer evidence: how many customers, their importance
/// summed (each customer once, at their highest), and the items.
#[derive(Serialize)]
struct EvidenceJson {
    customers: usize,
    importance: u32,
    items: Vec<FeedbackId>,
}

/// A comment with every field present, so scripts need no defaults.
#[derive(Serialize)]
struct CommentJson<'a> {
    number: usize,
    at: DateTime<Utc>,
    author: &'a str,
    text: &'a str,
    question: bool,
    decision: bool,
    resolved: Option<&'a Stamp>,
    answer: Option<&'a str>,
    edited: Option<&'a Stamp>,
}

impl<'a> ShowJson<'a> {
    fn new(backlog: &Backlog, position: usize, s: &'a Story) -> Self {
        let not_ready = ready::reasons(s, &backlog.product.settings.ready);
        ShowJson {
            row: StoryJson::new(position, s),
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
                    decision: c.decision,
                    resolved: c.resolved.as_ref(),
                    answer: c.answer.as_deref(),
                    edited: c.edited.as_ref(),
                })
                .collect(),
            split_from: s.split_from,
            split_into: &s.split_into,
            ready_override: s.ready_override.as_ref(),
            ready: not_ready.is_empty(),
            not_ready,
            priority: &s.inputs,
            blocked_by: &s.blocked_by,
            blocks: backlog.blocks(s.id),
            status_history: &s.status_history,
            done_at: s.done_at(),
            cycle_time_days: s.cycle_time().map(days),
            evidence: {
                let evidence = backlog.evidence(s.id);
                EvidenceJson {
                    customers: evidence.customers,
                    importance: evidence.importance,
                    items: evidence.items,
                }
            },
        }
    }
}

/// A length of time in days, to the hundredth.
fn days(time: chrono::Duration) -> f64 {
    #[allow(
        clippy::cast_precision_loss,
        reason = "seconds of a cycle time, far below 2^52"
    )]
    let seconds = time.num_seconds() as f64;
    (seconds / 864.0).round() / 100.0
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

/// The table `backlog list` prints: the stories `shown` (with their rank
/// positions), marked as the TUI's table marks them.
fn list_text(backlog: &Backlog, shown: &[(usize, &Story)], filtered: bool) -> String {
    if backlog.is_empty() {
        return "The backlog is empty. Add a story with `backlog add \"TITLE\"`, \
                or load a sample with `backlog init --demo`.\n"
            .to_string();
    }
    if shown.is_empty() {
        return format!(
            "No story matches (the backlog has {}).\n",
            count(backlog.len(), "story", "stories")
        );
    }
    let product = &backlog.product;
    let scale = product.settings.scale;
    let rank_width = backlog.len().to_string().len();
    let id_width = backlog
        .stories_by_id()
        .last()
        .map_or(3, |s| s.id.to_string().len());
    let epic_of = |story: &Story| {
        story.epic.as_deref().map(|name| {
            let marker = product.epic(name).map_or('□', |e| e.color.marker());
            format!("{marker} {}", one_line(name))
        })
    };
    let epic_width = shown
        .iter()
        .filter_map(|(_, s)| epic_of(s))
        .map(|e| e.width())
        .max();
    let mut text = format!(
        "{:>rank_width$}  {:<id_width$}  R  {:>4}  {:<11}  ",
        "#", "ID", "PTS", "STATUS"
    );
    if let Some(width) = epic_width {
        text.push_str(&pad("EPIC", width));
        text.push_str("  ");
    }
    text.push_str("TITLE\n");
    let rules = &product.settings.ready;
    for &(position, s) in shown {
        // `?` for an unestimated story, as in the TUI.
        let points = s.points.map_or_else(|| "?".to_string(), |p| scale.label(p));
        let mark = ready::mark(s, rules).map_or(' ', Mark::symbol);
        let _ = write!(
            text,
            "{:>rank_width$}  {:<id_width$}  {mark}  {points:>4}  {:<11}  ",
            position + 1,
            s.id.to_string(),
            s.status.as_str(),
        );
        if let Some(width) = epic_width {
            text.push_str(&pad(&epic_of(s).unwrap_or_default(), width));
            text.push_str("  ");
        }
        let _ = writeln!(text, "{}", one_line(&s.title));
    }
    if filtered {
        let _ = writeln!(
            text,
            "\n{} of {} shown",
            shown.len(),
            count(backlog.len(), "story", "stories")
        );
    }
    text
}

/// `text` padded with spaces to `width` terminal columns.
fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}
