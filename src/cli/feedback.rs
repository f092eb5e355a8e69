//! `backlog feedback`: customer feedback taken in from scripts and mail
//! filters, listed, and triaged (linked to a story, converted into one,
//! dismissed, reopened) as in the inbox pane.

use std::fmt::Write as _;
use std::io::{Read as _, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, NaiveTime, Utc};
use clap::{Args, Subcommand};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::{count, update};
use crate::interchange::json;
use crate::model::{
    Backlog, Feedback, FeedbackId, FeedbackState, Importance, Placement, StoryId, parse_date,
};
use crate::store;
use crate::text::one_line;

#[derive(Debug, Subcommand)]
pub enum FeedbackCommand {
    /// Take in a piece of customer feedback, as new, and print its id
    Add(FeedbackAddArgs),
    /// List the feedback: id, state, importance, customer, the story it
    /// is linked to, and its first line
    List(FeedbackListArgs),
    /// Link an item to the story that answers it: it counts in the
    /// story's customer evidence
    Link {
        /// The item's id, e.g. F-3
        id: FeedbackId,
        /// The story's id, e.g. S-12
        story: StoryId,
    },
    /// Turn an item into a new draft story, pre-filled from it and linked
    /// back to it, and print the story's id
    Convert {
        /// The item's id, e.g. F-3
        id: FeedbackId,
        /// Put the story at the top of the backlog instead of the bottom
        #[arg(long)]
        top: bool,
    },
    /// Set an item aside, saying why
    Dismiss {
        /// The item's id, e.g. F-3
        id: FeedbackId,
        /// Why it is set aside
        #[arg(long, value_name = "WHY")]
        reason: String,
    },
    /// Put an item back in the inbox as new: no longer linked, converted
    /// or dismissed (a story it was converted into stays)
    Reopen {
        /// The item's id, e.g. F-3
        id: FeedbackId,
    },
}

#[derive(Debug, Args)]
pub struct FeedbackAddArgs {
    /// What the customer said (its first line stands for it in lists); -
    /// reads it from standard input
    pub text: String,
    /// Who it came from: a person or an organisation
    #[arg(long, value_name = "WHO")]
    pub customer: String,
    /// How much it matters to them: 0 not important, 1 nice to have (the
    /// default), 2 important, 3 critical, or the name
    #[arg(long, value_name = "0-3")]
    pub importance: Option<Importance>,
    /// Where it came in: support, sales, GitHub, …
    #[arg(long, value_name = "S")]
    pub source: Option<String>,
    /// A link to it: the ticket, the mail, the call's notes
    #[arg(long, value_name = "URL")]
    pub link: Option<String>,
    /// When the customer said it: YYYY-MM-DD or an RFC 3339 time [default:
    /// now]
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub date: Option<DateTime<Utc>>,
}

#[derive(Debug, Default, Args)]
pub struct FeedbackListArgs {
    /// Print JSON (see the README for its fields)
    #[arg(long)]
    pub json: bool,
    /// Only items in this state: new, linked, converted or dismissed
    #[arg(long, value_name = "S")]
    pub state: Option<FeedbackState>,
}

/// A day (taken at midnight UTC) or a time, as `--date` takes it.
fn date(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(at.with_timezone(&Utc));
    }
    let day = parse_date(text).map_err(|_| {
        format!("{text:?} is not a date: write YYYY-MM-DD, or a time as 2027-01-04T09:30:00Z")
    })?;
    Ok(day.and_time(NaiveTime::MIN).and_utc())
}

/// Run `backlog feedback`; no subcommand lists the feedback.
pub(super) fn feedback(
    command: Option<&FeedbackCommand>,
    path: &Path,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<()> {
    let Some(command) = command else {
        return list(
            &store::load(path)?.backlog,
            &FeedbackListArgs::default(),
            out,
        );
    };
    match command {
        FeedbackCommand::Add(args) => {
            let item = item_from(args, now)?;
            let id = update(path, |b| Ok(b.add_feedback(item)?))?;
            writeln!(out, "{id}")?;
        }
        FeedbackCommand::List(args) => list(&store::load(path)?.backlog, args, out)?,
        FeedbackCommand::Link { id, story } => {
            update(path, |b| Ok(b.link_feedback(*id, *story, now)?))?;
            writeln!(out, "Linked {id} to {story}")?;
        }
        FeedbackCommand::Convert { id, top } => {
            let placement = if *top {
                Placement::Top
            } else {
                Placement::Bottom
            };
            let story = update(path, |b| Ok(b.convert_feedback(*id, placement, now)?))?;
            writeln!(out, "{story}")?;
        }
        FeedbackCommand::Dismiss { id, reason } => {
            if reason.trim().is_empty() {
                bail!("--reason is empty: say why {id} is dismissed");
            }
            update(path, |b| Ok(b.dismiss_feedback(*id, reason, now)?))?;
            writeln!(out, "Dismissed {id}")?;
        }
        FeedbackCommand::Reopen { id } => {
            update(path, |b| Ok(b.reopen_feedback(*id, now)?))?;
            writeln!(out, "{id} is new again")?;
        }
    }
    Ok(())
}

/// The item `feedback add` takes in, each flag checked and named when
/// it is refused.
fn item_from(args: &FeedbackAddArgs, now: DateTime<Utc>) -> Result<Feedback> {
    let text = if args.text == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read the feedback's text from standard input")?;
        text
    } else {
        args.text.clone()
    };
    if text.trim().is_empty() {
        bail!("TEXT is empty: say what the customer said");
    }
    let customer = args.customer.trim();
    if customer.is_empty() {
        bail!("--customer is empty: say who it came from, a person or an organisation");
    }
    let mut item = Feedback::new(
        FeedbackId(1),
        text.trim(),
        customer,
        args.date.unwrap_or(now),
    );
    item.updated = now;
    item.importance = args.importance.unwrap_or_default();
    item.source = args
        .source
        .as_deref()
        .unwrap_or_default()
        .trim()
        .to_string();
    item.link = args
        .link
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string);
    Ok(item)
}

fn list(backlog: &Backlog, args: &FeedbackListArgs, out: &mut dyn Write) -> Result<()> {
    let shown: Vec<&Feedback> = backlog
        .feedback()
        .iter()
        .map(|f| &**f)
        .filter(|f| args.state.is_none_or(|s| f.state == s))
        .collect();
    if args.json {
        let rows: Vec<FeedbackJson> = shown.iter().map(|f| FeedbackJson::new(f)).collect();
        writeln!(out, "{}", json::pretty(&rows)?)?;
        return Ok(());
    }
    out.write_all(list_text(backlog, &shown, args.state).as_bytes())?;
    Ok(())
}

/// The table `feedback list` prints.
fn list_text(backlog: &Backlog, shown: &[&Feedback], state: Option<FeedbackState>) -> String {
    let all = backlog.feedback().len();
    if all == 0 {
        return "The inbox is empty. Take in feedback with `backlog feedback add TEXT \
                --customer WHO`, or import it with `backlog import FILE --into inbox`.\n"
            .to_string();
    }
    if shown.is_empty() {
        let state = state.map_or("", FeedbackState::as_str);
        return format!(
            "No feedback is {state} (the inbox has {}).\n",
            count(all, "item", "items")
        );
    }
    let rows: Vec<[String; 6]> = shown
        .iter()
        .map(|f| {
            [
                f.id.to_string(),
                f.state.to_string(),
                format!("{} {}", f.importance.value(), f.importance),
                one_line(&f.customer).into_owned(),
                f.story.map(|s| s.to_string()).unwrap_or_default(),
                one_line(f.summary()).into_owned(),
            ]
        })
        .collect();
    let header = ["ID", "STATE", "IMPORTANCE", "CUSTOMER", "STORY", "SAYS"];
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            rows.iter()
                .map(|row| row[c].width())
                .chain([header[c].width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    let line = |text: &mut String, cells: [&str; 6]| {
        for (c, cell) in cells.iter().enumerate() {
            if c + 1 == cells.len() {
                let _ = writeln!(text, "{cell}");
            } else {
                let pad = widths[c].saturating_sub(cell.width());
                let _ = write!(text, "{cell}{}  ", " ".repeat(pad));
            }
        }
    };
    line(&mut text, header);
    for row in &rows {
        line(&mut text, [0, 1, 2, 3, 4, 5].map(|c| row[c].as_str()));
    }
    if state.is_some() {
        let _ = writeln!(
            text,
            "\n{} of {} shown",
            shown.len(),
            count(all, "item", "items")
        );
    }
    text
}

/// One item of `feedback list --json`, every field present.
#[derive(Serialize)]
struct FeedbackJson<'a> {
    id: FeedbackId,
    state: FeedbackState,
    /// 0 to 3.
    importance: Importance,
    customer: &'a str,
    source: &'a str,
    date: DateTime<Utc>,
    link: Option<&'a str>,
    story: Option<StoryId>,
    reason: Option<&'a str>,
    text: &'a str,
    /// Where an import found it: the tracker and its id there.
    origin: Option<OriginJson<'a>>,
}

#[derive(Serialize)]
struct OriginJson<'a> {
    source: &'a str,
    id: &'a str,
}

impl<'a> FeedbackJson<'a> {
    fn new(f: &'a Feedback) -> Self {
        FeedbackJson {
            id: f.id,
            state: f.state,
            importance: f.importance,
            customer: &f.customer,
            source: &f.source,
            date: f.date,
            link: f.link.as_deref(),
            story: f.story,
            reason: f.reason.as_deref(),
            text: &f.text,
            origin: f.origin.as_ref().map(|o| OriginJson {
                source: &o.source,
                id: &o.id,
            }),
        }
    }
}
