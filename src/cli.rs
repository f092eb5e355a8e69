//! The command line: clap definitions and the non-interactive commands.
//!
//! Each command that writes is one short read-modify-write under the file
//! lock ([`store::update`]), so it never loses a change the TUI or another
//! command made a moment before.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};
use serde::Serialize;

use crate::model::{
    Backlog, Criterion, Move, Placement, Points, Status, Story, StoryId, StoryPatch,
};
use crate::store;
use crate::text::{multi_line, one_line};

/// The bundled sample backlog that `backlog init --demo` writes.
pub const DEMO: &str = include_str!("../assets/demo.json");

#[derive(Debug, Parser)]
#[command(
    name = "backlog",
    version,
    about = "A terminal backlog manager for product owners",
    long_about = "A terminal backlog manager for product owners.\n\n\
        Run without a command to open the backlog in the terminal UI; use a \
        command to script it. The data file is --file PATH, else \
        $BACKLOG_FILE, else backlog.json in your data directory (see \
        `backlog path`)."
)]
pub struct Cli {
    /// The backlog file to use [default: `$BACKLOG_FILE`, else the data directory]
    #[arg(long, global = true, value_name = "PATH")]
    pub file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add a story at the bottom of the backlog and print its id
    Add(AddArgs),
    /// List the stories in rank order
    List {
        /// Print JSON (see the README for its fields)
        #[arg(long)]
        json: bool,
    },
    /// Show one story in full
    Show {
        /// The story's id, e.g. S-12
        id: StoryId,
        /// Print JSON (see the README for its fields)
        #[arg(long)]
        json: bool,
    },
    /// Change a story's fields
    Edit(EditArgs),
    /// Move a story within the backlog
    Move(MoveArgs),
    /// Remove a story (its id is never reused)
    Rm {
        /// The story's id, e.g. S-12
        id: StoryId,
    },
    /// Print the path of the data file in use
    Path,
    /// Create the data file: empty, or with the bundled sample backlog
    Init {
        /// Write the sample backlog: a small product with 30 stories in 4 epics
        #[arg(long)]
        demo: bool,
        /// The product's name, for an empty backlog
        #[arg(long, conflicts_with = "demo")]
        product: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The story's title
    pub title: String,
    /// Estimate in story points
    #[arg(long, value_name = "N")]
    pub points: Option<Points>,
    /// A label (repeat for more)
    #[arg(long = "label", value_name = "L")]
    pub labels: Vec<String>,
    /// The epic the story belongs to
    #[arg(long, value_name = "E")]
    pub epic: Option<String>,
    /// Who wants it: "As a …"
    #[arg(long, value_name = "WHO")]
    pub as_a: Option<String>,
    /// What they want: "I want …"
    #[arg(long, value_name = "WHAT")]
    pub i_want: Option<String>,
    /// Why: "so that …"
    #[arg(long, value_name = "WHY")]
    pub so_that: Option<String>,
    /// A longer description
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// An acceptance criterion (repeat for more)
    #[arg(long = "criterion", value_name = "TEXT")]
    pub criteria: Vec<String>,
    /// Put the story at the top instead of the bottom
    #[arg(long, conflicts_with = "after")]
    pub top: bool,
    /// Put the story right after this one
    #[arg(long, value_name = "ID")]
    pub after: Option<StoryId>,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The story's id, e.g. S-12
    pub id: StoryId,
    /// A new title
    #[arg(long)]
    pub title: Option<String>,
    /// Estimate in story points
    #[arg(long, value_name = "N", conflicts_with = "no_points")]
    pub points: Option<Points>,
    /// Remove the estimate
    #[arg(long)]
    pub no_points: bool,
    /// draft, ready, in-progress, done or rejected
    #[arg(long, value_name = "S")]
    pub status: Option<Status>,
    /// Add a label (repeat for more)
    #[arg(long = "label", value_name = "L")]
    pub labels: Vec<String>,
    /// Remove a label (repeat for more)
    #[arg(long = "unlabel", value_name = "L")]
    pub unlabels: Vec<String>,
    /// Put the story in this epic
    #[arg(long, value_name = "E", conflicts_with = "no_epic")]
    pub epic: Option<String>,
    /// Take the story out of its epic
    #[arg(long)]
    pub no_epic: bool,
    /// Who wants it: "As a …"
    #[arg(long, value_name = "WHO")]
    pub as_a: Option<String>,
    /// What they want: "I want …"
    #[arg(long, value_name = "WHAT")]
    pub i_want: Option<String>,
    /// Why: "so that …"
    #[arg(long, value_name = "WHY")]
    pub so_that: Option<String>,
    /// Replace the description
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Add an acceptance criterion (repeat for more)
    #[arg(long = "criterion", value_name = "TEXT")]
    pub criteria: Vec<String>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("where").required(true).multiple(false)))]
pub struct MoveArgs {
    /// The story's id, e.g. S-12
    pub id: StoryId,
    /// One place up
    #[arg(long, group = "where")]
    pub up: bool,
    /// One place down
    #[arg(long, group = "where")]
    pub down: bool,
    /// To the top
    #[arg(long, group = "where")]
    pub top: bool,
    /// To the bottom
    #[arg(long, group = "where")]
    pub bottom: bool,
    /// Right before this story
    #[arg(long, group = "where", value_name = "ID")]
    pub before: Option<StoryId>,
    /// Right after this story
    #[arg(long, group = "where", value_name = "ID")]
    pub after: Option<StoryId>,
    /// To this 1-based position
    #[arg(long, group = "where", value_name = "N")]
    pub to: Option<usize>,
}

impl MoveArgs {
    fn target(&self) -> Move {
        match (self.before, self.after, self.to) {
            (Some(id), _, _) => Move::Before(id),
            (_, Some(id), _) => Move::After(id),
            (_, _, Some(n)) => Move::To(n),
            _ if self.up => Move::Up,
            _ if self.down => Move::Down,
            _ if self.top => Move::Top,
            _ => Move::Bottom,
        }
    }
}

impl EditArgs {
    fn patch(&self) -> StoryPatch {
        StoryPatch {
            title: self.title.clone(),
            as_a: self.as_a.clone(),
            i_want: self.i_want.clone(),
            so_that: self.so_that.clone(),
            description: self.description.clone(),
            points: if self.no_points {
                Some(None)
            } else {
                self.points.map(Some)
            },
            status: self.status,
            add_labels: self.labels.clone(),
            remove_labels: self.unlabels.clone(),
            epic: if self.no_epic {
                Some(None)
            } else {
                self.epic.clone().map(Some)
            },
            add_criteria: self.criteria.clone(),
            ..StoryPatch::default()
        }
    }
}

/// Run a command against the data file at `path`, printing to `out`.
///
/// # Errors
/// Any failure, with a message for the user; the file is left as it was.
pub fn run(command: &Command, path: &Path, out: &mut dyn Write) -> Result<()> {
    let now = Utc::now();
    match command {
        Command::Add(args) => {
            let patch = StoryPatch {
                title: Some(args.title.clone()),
                as_a: args.as_a.clone(),
                i_want: args.i_want.clone(),
                so_that: args.so_that.clone(),
                description: args.description.clone(),
                points: args.points.map(Some),
                add_labels: args.labels.clone(),
                epic: args.epic.clone().map(Some),
                add_criteria: args.criteria.clone(),
                ..StoryPatch::default()
            };
            let placement = match (args.top, args.after) {
                (true, _) => Placement::Top,
                (_, Some(id)) => Placement::After(id),
                _ => Placement::Bottom,
            };
            let id = store::update(path, |b| Ok(b.add(&patch, placement, now)?))?;
            writeln!(out, "{id}")?;
        }
        Command::List { json } => {
            let backlog = store::load(path)?.backlog;
            if *json {
                let rows: Vec<ListJson> = backlog
                    .ranked()
                    .enumerate()
                    .map(|(i, s)| ListJson::new(i, s))
                    .collect();
                writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
            } else {
                out.write_all(list_text(&backlog).as_bytes())?;
            }
        }
        Command::Show { id, json } => {
            let backlog = store::load(path)?.backlog;
            let position = backlog.position(*id)?;
            let story = backlog.get(*id).expect("position found it");
            if *json {
                let shown = ShowJson::new(position, story);
                writeln!(out, "{}", serde_json::to_string_pretty(&shown)?)?;
            } else {
                out.write_all(show_text(position, story).as_bytes())?;
            }
        }
        Command::Edit(args) => {
            let patch = args.patch();
            if patch == StoryPatch::default() {
                bail!(
                    "nothing to change: give at least one field, e.g. --title or --points (see backlog edit --help)"
                );
            }
            store::update(path, |b| Ok(b.edit(args.id, &patch, now)?))?;
            writeln!(out, "Updated {}", args.id)?;
        }
        Command::Move(args) => {
            let moved = store::update(path, |b| Ok(b.move_story(args.id, args.target())?))?;
            if moved.from == moved.to {
                writeln!(out, "{} stays at {}", args.id, moved.to + 1)?;
            } else {
                writeln!(
                    out,
                    "Moved {} from {} to {}",
                    args.id,
                    moved.from + 1,
                    moved.to + 1
                )?;
            }
        }
        Command::Rm { id } => {
            let story = store::update(path, |b| Ok(b.remove(*id)?))?;
            writeln!(out, "Removed {id} {}", one_line(&story.title))?;
        }
        Command::Path => writeln!(out, "{}", path.display())?,
        Command::Init { demo, product } => {
            let _lock = store::Lock::acquire(path)?;
            store::ensure_absent(path)?;
            let backlog = if *demo {
                demo_backlog()
            } else {
                Backlog::new(product.clone().unwrap_or_default())
            };
            store::save(path, &backlog)?;
            writeln!(
                out,
                "Wrote {} with {} stories",
                path.display(),
                backlog.len()
            )?;
        }
    }
    Ok(())
}

/// The bundled sample backlog.
#[must_use]
pub fn demo_backlog() -> Backlog {
    store::from_json(DEMO).expect("the bundled demo backlog is valid")
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

/// `backlog show --json`: the list row and every other field of the story.
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
}

impl<'a> ShowJson<'a> {
    fn new(position: usize, s: &'a Story) -> Self {
        ShowJson {
            row: ListJson::new(position, s),
            as_a: &s.as_a,
            i_want: &s.i_want,
            so_that: &s.so_that,
            description: &s.description,
            acceptance_criteria: &s.acceptance_criteria,
            created: s.created,
            updated: s.updated,
        }
    }
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

fn show_text(position: usize, s: &Story) -> String {
    let mut text = format!("{}  {}\n", s.id, one_line(&s.title));
    let mut facts = vec![format!("rank {}", position + 1), s.status.to_string()];
    facts.push(
        s.points
            .map_or("unestimated".to_string(), |p| format!("{p} points")),
    );
    if let Some(epic) = &s.epic {
        facts.push(format!("epic {}", one_line(epic)));
    }
    if !s.labels.is_empty() {
        let labels: Vec<_> = s.labels.iter().map(|l| one_line(l)).collect();
        facts.push(format!("labels {}", labels.join(", ")));
    }
    let _ = writeln!(text, "{}", facts.join(" · "));
    if let Some(sentence) = s.user_story_sentence() {
        let _ = write!(text, "\n{}\n", one_line(&sentence));
    }
    if !s.description.is_empty() {
        let _ = write!(text, "\n{}\n", multi_line(&s.description));
    }
    if !s.acceptance_criteria.is_empty() {
        text.push_str("\nAcceptance criteria\n");
        for c in &s.acceptance_criteria {
            let mark = if c.done { "[x]" } else { "[ ]" };
            let _ = writeln!(text, "  {mark} {}", one_line(&c.text));
        }
    }
    let _ = write!(
        text,
        "\nCreated {} · updated {}\n",
        s.created.format("%Y-%m-%d %H:%M UTC"),
        s.updated.format("%Y-%m-%d %H:%M UTC")
    );
    text
}
