//! `backlog minutes`: the minutes refinement meetings left beside the
//! data file, printed as written (Markdown), or listed.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::Result;
use clap::Args;

use crate::store::{self, Minutes};
use crate::text::{multi_line, one_line};

/// `backlog minutes`.
#[derive(Debug, Args)]
pub struct MinutesArgs {
    /// Print the newest minutes (as with no argument)
    #[arg(long, conflicts_with_all = ["list", "id"])]
    pub last: bool,
    /// List the minutes, newest last: each one's id, then its title
    #[arg(long, conflicts_with = "id")]
    pub list: bool,
    /// The minutes to print: their id, e.g. 2026-11-30-0912, or the start
    /// of it that only theirs has, e.g. 2026-11-30
    pub id: Option<String>,
}

pub(super) fn minutes(args: &MinutesArgs, path: &Path, out: &mut dyn Write) -> Result<()> {
    // Redirected, the minutes are the text as written; a terminal gets
    // it safe, as text from the backlog always is.
    let terminal = std::io::stdout().is_terminal();
    if args.list {
        let all = store::list_minutes(path)?;
        if all.is_empty() {
            super::note(&none_yet(path));
        }
        list(&all, terminal, out)?;
        return Ok(());
    }
    let text = store::read_minutes(path, args.id.as_deref())?.1;
    if terminal {
        out.write_all(multi_line(&text).as_bytes())?;
    } else {
        out.write_all(text.as_bytes())?;
    }
    Ok(())
}

/// One line for each of `all`: the id, then the title.
fn list(all: &[Minutes], terminal: bool, out: &mut dyn Write) -> Result<()> {
    let width = all
        .iter()
        .map(|minutes| minutes.id.len())
        .max()
        .unwrap_or(0);
    for minutes in all {
        let title = if terminal {
            one_line(&minutes.title)
        } else {
            minutes.title.as_str().into()
        };
        writeln!(out, "{:width$}  {title}", minutes.id)?;
    }
    Ok(())
}

fn none_yet(path: &Path) -> String {
    format!(
        "there are no minutes yet (a refinement meeting's minutes are kept in {})",
        store::minutes_folder(path).display()
    )
}
