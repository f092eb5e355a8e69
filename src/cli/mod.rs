//! The command line: clap definitions and the non-interactive commands.
//!
//! Each command that writes is one short read-modify-write under the file
//! lock ([`store::update`]), so it never loses a change the TUI or another
//! command made a moment before, and a command that fails changes nothing.
//!
//! - `story`: commands that change stories (add, edit, split, comment, …)
//! - `product`: vision, epics and settings
//! - `output`: what the reading commands print, as text and JSON

mod output;
mod product;
mod story;

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::Utc;
use clap::{Parser, Subcommand};

pub use output::ListArgs;
pub use product::{EpicAddArgs, EpicCommand, EpicEditArgs, EpicRmArgs, SettingsArgs, VisionArgs};
pub use story::{AddArgs, CommentArgs, EditArgs, MoveArgs, ResolveArgs, SplitArgs};

use crate::model::{Backlog, Product, StoryId};
use crate::store;
use crate::text::one_line;

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
        $BACKLOG_CONFIG, else config.toml in your config directory."
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
    /// Comment on a story, or ask a question about it
    Comment(CommentArgs),
    /// Mark a question on a story resolved (or open again); one that already
    /// is stays as it is, and is said to be
    Resolve(ResolveArgs),
    /// List the draft and ready stories that fail the Definition of Ready, and why
    Ready {
        /// Print JSON (see the README for its fields)
        #[arg(long)]
        json: bool,
    },
    /// Move a story within the backlog
    Move(MoveArgs),
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
    /// Print the path of the data file in use
    Path,
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
        Command::Rm { id } => {
            let story = store::update(path, |b| Ok(b.remove(*id)?))?;
            writeln!(out, "Removed {id} {}", one_line(&story.title))?;
        }
        Command::Vision(args) => product::vision(args, path, out)?,
        Command::Epic { command } => product::epic(command.as_ref(), path, now, out)?,
        Command::Settings(args) => product::settings(args, path, out)?,
        Command::Path => writeln!(out, "{}", path.display())?,
        Command::Init {
            demo,
            product,
            force,
        } => {
            let backlog = if *demo {
                demo_backlog()
            } else {
                Backlog::new(product.clone().unwrap_or_default())
            };
            init(&backlog, *force, path, out)?;
        }
    }
    Ok(())
}

/// Write `backlog` as the data file. A file there that holds nothing (a
/// first run made it) is simply replaced; one that holds a backlog, or
/// cannot be read, only with `force`, and kept beside it first.
fn init(backlog: &Backlog, force: bool, path: &Path, out: &mut dyn Write) -> Result<()> {
    let _lock = store::Lock::acquire(path)?;
    let what = match store::read(path)? {
        None => None,
        Some(text) => match store::parse(path, &text) {
            Ok(old) if old.is_empty() && old.product == Product::default() => None,
            Ok(old) if old.is_empty() => Some(format!(
                "{} already holds a product (its name, vision, goals, epics or settings)",
                path.display()
            )),
            Ok(old) => Some(format!(
                "{} already holds a backlog of {}",
                path.display(),
                count(old.len(), "story", "stories")
            )),
            Err(e) => Some(format!("{e:#}")),
        },
    };
    let kept = match what {
        None => None,
        Some(what) if !force => {
            bail!("{what}\n(`backlog init --force` replaces it, keeping the old file beside it)")
        }
        Some(_) => {
            // The file as it is, byte for byte, whatever it holds.
            let bytes = std::fs::read(path)
                .with_context(|| format!("cannot read {} to keep it", path.display()))?;
            let kept = store::stamped(path, ".replaced-", ".json");
            store::write_atomically(&kept, &bytes)?;
            Some(kept)
        }
    };
    store::save(path, backlog)?;
    if let Some(kept) = kept {
        writeln!(out, "Kept the old file as {}", kept.display())?;
    }
    writeln!(
        out,
        "Wrote {} with {}",
        path.display(),
        count(backlog.len(), "story", "stories")
    )?;
    Ok(())
}

/// As [`store::update`], for a change that may find nothing to do: when
/// `change` gives `Ok(None)` nothing is written, and the file stays as it
/// was, byte for byte (its time too, so a TUI watching it has nothing to
/// reload).
pub(crate) fn update_if_changed<T>(
    path: &Path,
    change: impl FnOnce(&mut Backlog) -> Result<Option<T>>,
) -> Result<Option<T>> {
    /// `store::update` writes only when its change succeeds: this is how
    /// "nothing to write" gets through it.
    #[derive(Debug)]
    struct NothingChanged;
    impl fmt::Display for NothingChanged {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("nothing changed")
        }
    }
    impl std::error::Error for NothingChanged {}

    match store::update(path, |b| change(b)?.ok_or_else(|| NothingChanged.into())) {
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

/// A count and what is counted, in the singular when it is one:
/// `count(1, "story", "stories")` is "1 story".
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The bundled sample backlog.
#[must_use]
pub fn demo_backlog() -> Backlog {
    store::from_json(DEMO).expect("the bundled demo backlog is valid")
}
