//! The command line: clap definitions and the non-interactive commands.
//!
//! Each command that writes is one short read-modify-write under the file
//! lock ([`update`], over [`store::update`]), so it never loses a change the
//! TUI or another command made a moment before, and a command that fails
//! changes nothing.
//!
//! - `story`: commands that change stories (add, edit, split, comment, …)
//! - `product`: vision, epics and settings
//! - `output`: what the reading commands print, as text and JSON
//! - `priority`: scores, the order a framework proposes, and dependencies
//! - `keys`: the TUI's keys in force, and where each comes from
//! - `plan`: sprints, releases, velocity, the forecast and the roadmap
//! - `export`: the backlog as Markdown, HTML, CSV or JSON
//! - `import`, `feedback`: other trackers' files in; customer feedback
//! - `minutes`: the minutes refinement meetings left
//! - `diff`: what changed between two backlogs, or revisions in git
//! - `share`, `sync`: the backlog shared through git (`git` runs it)
//! - `clashes`: git's merge driver, and listing and settling its clashes

mod clashes;
mod demo_inbox;
mod diff;
mod export;
mod feedback;
mod git;
pub mod import;
mod keys;
pub mod meeting;
mod minutes;
mod output;
mod plan;
mod priority;
mod product;
mod share;
mod story;
mod sync;

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::Utc;
use clap::{Parser, Subcommand};

pub use clashes::{MergeDriverArgs, ResolveConflictArgs, SettleArgs};
pub use diff::DiffArgs;
pub use export::ExportArgs;
pub use feedback::{FeedbackAddArgs, FeedbackCommand, FeedbackListArgs};
pub use import::ImportArgs;
pub use minutes::MinutesArgs;
pub use output::ListArgs;
pub use plan::{
    ForecastArgs, ReleaseAddArgs, ReleaseCommand, ReleaseEditArgs, ReleaseLineArgs, RoadmapArgs,
    RoadmapFormat, SprintAddArgs, SprintCloseArgs, SprintCommand, SprintEditArgs, SprintStartArgs,
    TodayArgs, VelocityAddArgs, VelocityCommand,
};
pub use priority::{LinkArgs, RankArgs, ScoreArgs};
pub use product::{EpicAddArgs, EpicCommand, EpicEditArgs, EpicRmArgs, SettingsArgs, VisionArgs};
pub use share::ShareCommand;
pub use story::{AddArgs, CommentArgs, EditArgs, MoveArgs, ResolveArgs, SplitArgs};

use crate::model::{Backlog, Product, StoryId};
use crate::store;
use crate::text::one_line;
pub(crate) use crate::words::count;

/// The bundled sample backlog that `backlog init --demo` writes.
pub const DEMO: &str = include_str!("../../assets/demo.json");

#[derive(Debug, Parser)]
#[command(
    name = "backlog",
    version,
    about = "A terminal backlog manager for product owners",
    long_about = "A terminal backlog manager for product owners.\n\n\
        Run without a command to open the backlog in the terminal UI; use a \
        command to script it. The data file is --file PATH, else \
        $BACKLOG_FILE, else backlog.json in your data directory (see \
        `backlog path`). Your name for comments comes from the config file: \
        $BACKLOG_CONFIG, else config.toml in your config directory; your \
        keys for the terminal UI from keys.toml beside it (see `backlog keys`)."
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
    /// List the stories in rank order, all or those a filter lets through
    List(ListArgs),
    /// Show one story in full, as the Markdown document `edit --from-file` reads
    Show {
        /// The story's id, e.g. S-12
        id: StoryId,
        /// Print JSON (see the README for its fields)
        #[arg(long)]
        json: bool,
    },
    /// Change a story's fields, from flags or from a Markdown document
    Edit(EditArgs),
    /// Split a story: a new story after it takes some of its acceptance criteria
    Split(SplitArgs),
    /// Comment on a story, ask a question about it or record a decision;
    /// or change the text of a comment of yours
    Comment(CommentArgs),
    /// Mark a question on a story resolved, with its answer if given (or
    /// open again); one that already is stays as it is, and is said to be
    Resolve(ResolveArgs),
    /// List the draft and ready stories that fail the Definition of Ready, and why
    Ready {
        /// Print JSON (see the README for its fields)
        #[arg(long)]
        json: bool,
    },
    /// Move a story within the backlog
    Move(MoveArgs),
    /// Score the open stories with a prioritisation framework, best first,
    /// and list those it cannot score and why
    Score(ScoreArgs),
    /// Print the order a framework proposes, and how far each story would
    /// move; --apply puts the backlog in it as one change
    Rank(RankArgs),
    /// Show or change which stories block a story
    Link(LinkArgs),
    /// Remove a story (its id is never reused)
    Rm {
        /// The story's id, e.g. S-12
        id: StoryId,
    },
    /// Show or change the product's name, vision and goals
    Vision(VisionArgs),
    /// List, add, change or remove epics
    Epic {
        #[command(subcommand)]
        command: Option<EpicCommand>,
    },
    /// Show or change the estimate scale and the Definition of Ready
    Settings(SettingsArgs),
    /// List, add, start, close, change or remove the team's sprints
    Sprint {
        #[command(subcommand)]
        command: Option<SprintCommand>,
    },
    /// List, add, change or remove releases, their lines in the backlog
    /// and the stories assigned to them
    Release {
        #[command(subcommand)]
        command: Option<ReleaseCommand>,
    },
    /// List the velocity history, enter past sprints' velocity, and set
    /// how the forecast counts
    Velocity {
        #[command(subcommand)]
        command: Option<VelocityCommand>,
    },
    /// Forecast which stories fall into each coming sprint and when each
    /// release lands, as a range from the velocity history
    Forecast(ForecastArgs),
    /// Print a roadmap document to paste into a wiki: vision, releases,
    /// the coming sprints' stories, and now / next / later by epic
    Roadmap(RoadmapArgs),
    /// Export the backlog: Markdown for the team, one HTML page for
    /// stakeholders, CSV for spreadsheets, or the data file's JSON; to
    /// standard output or --out FILE. Markdown and HTML leave out done and
    /// rejected stories unless --all
    Export(ExportArgs),
    /// Import stories (or, with --into inbox, customer issues) from other
    /// trackers' files or a backlog file, as one change; a summary goes to
    /// stderr
    Import(ImportArgs),
    /// Take in, list and triage customer feedback: add, list, link,
    /// convert, dismiss, reopen
    Feedback {
        #[command(subcommand)]
        command: Option<FeedbackCommand>,
    },
    /// Run a refinement meeting in the terminal UI: its agenda the stories
    /// named, else the first stories not yet ready (of those a filter
    /// passes). A meeting left unfinished is offered first
    Meeting(meeting::MeetingArgs),
    /// Print the minutes of a refinement meeting, as written (Markdown):
    /// the newest, or those with ID; or --list them all
    Minutes(MinutesArgs),
    /// Print what changed between two backlogs, in a product owner's
    /// words: files, or git revisions of the data file (`HEAD~1`, `main
    /// feature`); with no argument, HEAD against the data file now
    Diff(DiffArgs),
    /// Set up the git repository that holds the data file for sharing
    /// it (init), or say whether it is (status)
    Share {
        #[command(subcommand)]
        command: ShareCommand,
    },
    /// Share the backlog through git in one step: commit the data file
    /// (the message says what changed), pull with a merge, push, and say
    /// what came in and any clash to settle
    Sync,
    /// Print the path of the data file in use
    Path,
    /// Print the TUI's keys, context by context: what each does, and whether
    /// it is built in or from your keys.toml (and its line). The text is a
    /// keymap file itself
    Keys {
        /// Print JSON (see the README for its fields)
        #[arg(long)]
        json: bool,
    },
    /// Create the data file: empty, or with the bundled sample backlog. A
    /// file that holds nothing yet is replaced; any other needs --force
    Init {
        /// Write the sample backlog: a small product with 30 stories in 4 epics
        #[arg(long)]
        demo: bool,
        /// The product's name, for an empty backlog
        #[arg(long, conflicts_with = "demo")]
        product: Option<String>,
        /// Replace a file that holds a backlog (or cannot be read); the old
        /// file is kept beside it first, and the path printed
        #[arg(long)]
        force: bool,
    },
    /// Git's merge driver for the data file (`backlog merge-driver %O %A
    /// %B %P`): merges story by story and field by field, writes the
    /// result over ours, and exits non-zero when both sides changed a
    /// field differently, recording each clash in the file
    MergeDriver(MergeDriverArgs),
    /// List the clashes a git merge left in the file: story, field, and
    /// the base's, ours' and theirs' values
    Conflicts {
        /// Print JSON (see the README for its fields)
        #[arg(long)]
        json: bool,
    },
    /// Settle a clash a git merge left: keep ours, take theirs, or give a
    /// value; once none are left, `git add` finishes the merge
    ResolveConflict(ResolveConflictArgs),
}

/// A problem at a line of a file the user gave, printed as compilers do
/// (`FILE:LINE: message`) so an editor can jump to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocatedError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LocatedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for LocatedError {}

/// Run a command against the data file at `path`, printing to `out`.
///
/// # Errors
/// Any failure, with a message for the user; the file is left as it was.
pub fn run(command: &Command, path: &Path, out: &mut dyn Write) -> Result<()> {
    let now = Utc::now();
    match command {
        Command::Add(args) => story::add(args, path, now, out)?,
        Command::List(args) => output::list(&store::load(path)?.backlog, args, out)?,
        Command::Show { id, json } => output::show(&store::load(path)?.backlog, *id, *json, out)?,
        Command::Edit(args) => story::edit(args, path, now, out)?,
        Command::Split(args) => story::split(args, path, now, out)?,
        Command::Comment(args) => story::comment(args, path, now, out)?,
        Command::Resolve(args) => story::resolve(args, path, now, out)?,
        Command::Ready { json } => output::ready(&store::load(path)?.backlog, *json, out)?,
        Command::Move(args) => story::move_story(args, path, out)?,
        Command::Score(args) => priority::score(args, path, now, out)?,
        Command::Rank(args) => priority::rank(args, path, now, out)?,
        Command::Link(args) => priority::link(args, path, now, out)?,
        Command::Rm { id } => {
            let story = update(path, |b| Ok(b.remove(*id)?))?;
            writeln!(out, "Removed {id} {}", one_line(&story.title))?;
        }
        Command::Vision(args) => product::vision(args, path, out)?,
        Command::Epic { command } => product::epic(command.as_ref(), path, now, out)?,
        Command::Settings(args) => product::settings(args, path, out)?,
        Command::Sprint { command } => plan::sprint(command.as_ref(), path, out)?,
        Command::Release { command } => plan::release(command.as_ref(), path, out)?,
        Command::Velocity { command } => plan::velocity(command.as_ref(), path, out)?,
        Command::Forecast(args) => plan::forecast(args, path, out)?,
        Command::Roadmap(args) => plan::roadmap(args, path, out)?,
        Command::Export(args) => export::export(args, path, out)?,
        Command::Import(args) => {
            let mut stderr = std::io::stderr();
            let bar = std::io::IsTerminal::is_terminal(&stderr);
            // Not locked for the whole import: the bar draws on it from
            // the threads reading the files.
            import::import(args, path, now, &mut stderr, bar)?;
        }
        Command::Feedback { command } => feedback::feedback(command.as_ref(), path, now, out)?,
        Command::Minutes(args) => minutes::minutes(args, path, out)?,
        Command::Diff(args) => diff::diff(args, path, out)?,
        Command::Share { command } => share::share(command, path, out)?,
        Command::Sync => sync::sync(path, out)?,
        Command::Path => writeln!(out, "{}", path.display())?,
        // The meeting is the terminal UI's: `main` opens it.
        Command::Meeting(_) => {
            bail!("the meeting runs in the terminal UI: run `backlog meeting` in a terminal")
        }
        Command::Keys { json } => keys::keys(*json, out)?,
        Command::MergeDriver(args) => clashes::merge_driver(args, out)?,
        Command::Conflicts { json } => {
            clashes::conflicts(&store::load(path)?.backlog, *json, out)?;
        }
        Command::ResolveConflict(args) => clashes::resolve_conflict(args, path, now, out)?,
        Command::Init {
            demo,
            product,
            force,
        } => {
            let backlog = if *demo {
                planned_demo(now.with_timezone(&chrono::Local).date_naive())
            } else {
                Backlog::new(product.clone().unwrap_or_default())
            };
            let again = init_again(path, *demo, product.as_deref());
            init(&backlog, *force, &again, path, out)?;
        }
    }
    Ok(())
}

/// Write `backlog` as the data file. A file there that holds nothing (a
/// first run made it) is simply replaced; one that holds a backlog, or
/// cannot be read, only with `force`, and kept beside it first, with its
/// undo history. `again` is the command that forces it, for the refusal.
fn init(
    backlog: &Backlog,
    force: bool,
    again: &str,
    path: &Path,
    out: &mut dyn Write,
) -> Result<()> {
    let _lock = store::Lock::acquire(path)?;
    let history = store::history_path(path);
    // The lock refused a directory or a pipe in its place: what is left
    // is a file, and one that cannot be read or decoded holds something
    // all the same, which `--force` keeps byte for byte.
    let what = match store::read(path) {
        Err(e) => Some(format!("{e:#}")),
        Ok(None) => None,
        Ok(Some(text)) => match store::parse(path, &text) {
            Ok(old) if holds_nothing(&old) => None,
            Ok(old) if old.is_empty() && old.product != Product::default() => Some(format!(
                "{} already holds a product (its name, vision, goals, epics or settings)",
                path.display()
            )),
            // Ids are never reused: a backlog whose stories were all
            // deleted still has handed out the ids before its counter.
            Ok(old) if old.is_empty() => Some(format!(
                "{} already holds a backlog whose stories were all deleted; \
                 their ids, up to S-{}, are never given again",
                path.display(),
                old.next_id() - 1
            )),
            Ok(old) => Some(format!(
                "{} already holds a backlog of {}",
                path.display(),
                count(old.len(), "story", "stories")
            )),
            Err(e) => Some(format!("{e:#}")),
        },
    };
    // Undo would bring back the stories of whatever it was the history of.
    let what = match what {
        None if history.exists() => Some(format!(
            "{} holds the undo history of an earlier backlog\n(`{again}` sets it aside \
             and writes the new backlog)",
            history.display()
        )),
        Some(what) => Some(format!(
            "{what}\n(`{again}` replaces it, keeping the old file beside it)"
        )),
        None => None,
    };
    let mut kept = Kept::default();
    if let Some(what) = what {
        if !force {
            bail!("{what}");
        }
        kept = keep_replaced(path, &history)?;
    }
    if let Err(e) = store::save(path, backlog) {
        // Nothing was replaced: what was kept for it goes back.
        return Err(kept.put_back(path, &history, e));
    }
    if let Some(file) = &kept.file {
        writeln!(out, "Kept the old file as {}", file.display())?;
    }
    if let Some(history) = &kept.history {
        writeln!(out, "Kept its undo history as {}", history.display())?;
    }
    writeln!(
        out,
        "Wrote {} with {}",
        path.display(),
        count(backlog.len(), "story", "stories")
    )?;
    Ok(())
}

/// What a first run leaves: no stories, no product data, no id handed
/// out. (Its history file is asked about apart.)
fn holds_nothing(backlog: &Backlog) -> bool {
    backlog.holds_nothing_but_a_name() && backlog.product.name.is_empty()
}

/// The files `init --force` kept of the backlog it replaces.
#[derive(Default)]
struct Kept {
    /// The data file as it was, byte for byte.
    file: Option<PathBuf>,
    /// Its undo history, moved from beside the data file.
    history: Option<PathBuf>,
}

/// Keep the data file at `path` (if there is one), byte for byte, beside
/// it, and move its undo history `history` (if there is one) to go with
/// the copy: `backlog.json.replaced-<time>.json` and
/// `backlog.json.replaced-<time>.json.history`, so `--file` on the copy
/// opens it with its own undo. A history without a data file is moved to
/// a name of its own, `backlog.json.history.replaced-<time>`. The history
/// is moved, never deleted; when anything fails, nothing is left kept.
fn keep_replaced(path: &Path, history: &Path) -> Result<Kept> {
    let mut kept = Kept::default();
    // The file as it is, whatever it holds (it may not even be UTF-8),
    // with its permissions. A copy is made only of a file there is.
    match std::fs::read(path) {
        Ok(bytes) => {
            kept.file = Some(store::write_stamped(path, ".replaced-", ".json", &bytes)?);
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(e).with_context(|| {
                format!(
                    "cannot read {} to keep it; nothing was written",
                    path.display()
                )
            });
        }
    }
    if history.exists() {
        let moved = match &kept.file {
            Some(file) => {
                let aside = store::history_path(file);
                store::move_to_new(history, &aside).map(|()| aside)
            }
            None => store::move_stamped(history, ".replaced-", ""),
        };
        match moved {
            Ok(aside) => kept.history = Some(aside),
            Err(e) => return Err(kept.put_back(path, history, e)),
        }
    }
    Ok(kept)
}

impl Kept {
    /// Undo [`keep_replaced`], when the data file was not replaced after
    /// all (it is read-only, say, or the history would not move): the
    /// copy goes, and the history comes back. Returns `why`, with
    /// anything that could not be undone.
    fn put_back(&self, path: &Path, history: &Path, why: anyhow::Error) -> anyhow::Error {
        let mut left = Vec::new();
        if let Some(aside) = &self.history
            && std::fs::rename(aside, history).is_err()
        {
            left.push(format!("the undo history is now {}", aside.display()));
        }
        if let Some(file) = &self.file
            && std::fs::remove_file(file).is_err()
        {
            left.push(format!(
                "a copy of {} is left as {}",
                path.display(),
                file.display()
            ));
        }
        if left.is_empty() {
            why
        } else {
            anyhow::anyhow!("{why:#}; {}", left.join("; "))
        }
    }
}

/// The `init` command given, with `--force`: what a refusal suggests, so
/// that typing it does what was asked (the demo, a product's name) and
/// not something else. `--file` is named when the file in use is not the
/// one a bare command would find.
fn init_again(path: &Path, demo: bool, product: Option<&str>) -> String {
    let mut words = vec!["init"];
    if demo {
        words.push("--demo");
    }
    if let Some(product) = product {
        words.push("--product");
        words.push(product);
    }
    words.push("--force");
    command_for(path, &words)
}

/// The command `backlog WORDS…` on the data file at `path`, for a message
/// to suggest: `--file` is named when the file is not the one a bare
/// command would find.
pub(crate) fn command_for(path: &Path, words: &[&str]) -> String {
    let mut all: Vec<String> = vec!["backlog".into()];
    if store::resolve_path(None).ok().as_deref() != Some(path) {
        all.push("--file".into());
        all.push(path.to_string_lossy().into_owned());
    }
    all.extend(words.iter().map(|word| (*word).to_string()));
    shell_words::join(all)
}

/// As [`store::update`]; once the change is written, what reading the file
/// folded together ([`Backlog::folded`]: epics and labels an older build
/// kept apart by case) is told on standard error, as the file holds it
/// apart no more. A command that only reads changes nothing, and says
/// nothing of it.
pub(crate) fn update<T>(path: &Path, change: impl FnOnce(&mut Backlog) -> Result<T>) -> Result<T> {
    let mut folded = Vec::new();
    let out = store::update(path, |b| {
        folded = b.folded().to_vec();
        change(b)
    })?;
    for text in &folded {
        note(text);
    }
    Ok(out)
}

/// As [`update`], for a change that may find nothing to do: when
/// `change` gives `Ok(None)` nothing is written, and the file stays as it
/// was, byte for byte (its time too, so a TUI watching it has nothing to
/// reload).
pub(crate) fn update_if_changed<T>(
    path: &Path,
    change: impl FnOnce(&mut Backlog) -> Result<Option<T>>,
) -> Result<Option<T>> {
    /// `update` writes only when its change succeeds: this is how
    /// "nothing to write" gets through it.
    #[derive(Debug)]
    struct NothingChanged;
    impl fmt::Display for NothingChanged {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("nothing changed")
        }
    }
    impl std::error::Error for NothingChanged {}

    match update(path, |b| change(b)?.ok_or_else(|| NothingChanged.into())) {
        Ok(value) => Ok(Some(value)),
        Err(e) if e.is::<NothingChanged>() => Ok(None),
        Err(e) => Err(e),
    }
}

/// Tell the user something worth knowing about a command that worked, on
/// standard error: standard output stays what scripts read (`add` prints
/// only the new id).
pub(crate) fn note(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "backlog: note: {text}");
}

/// The bundled sample backlog.
#[must_use]
pub fn demo_backlog() -> Backlog {
    store::from_json(DEMO).expect("the bundled demo backlog is valid")
}

/// The sample backlog as `init --demo` writes it on `today`: its releases
/// due six and fourteen weeks on, and 1.0's line under its first ten
/// stories, so the release plan has something to forecast once the
/// team's velocity is entered; and its customers' feedback of the last
/// few weeks in the inbox.
#[must_use]
pub fn planned_demo(today: chrono::NaiveDate) -> Backlog {
    let mut backlog = demo_backlog();
    for (name, weeks) in [("1.0", 6), ("1.1", 14)] {
        let Some(release) = backlog.product.release(name).cloned() else {
            continue;
        };
        let date = today.checked_add_days(chrono::Days::new(weeks * 7));
        let dated = crate::model::Release { date, ..release };
        backlog
            .update_release(name, dated)
            .expect("the demo's releases are there");
    }
    if backlog.product.release("1.0").is_some() {
        backlog
            .place_line("1.0", 10.min(backlog.len()))
            .expect("the demo has stories");
    }
    demo_inbox::add_demo_feedback(&mut backlog, today);
    backlog
}
