//! `backlog export`: the backlog for people who will not open a terminal
//! (Markdown, HTML) and for other tools (CSV, JSON), on standard output
//! or to a file.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;

use crate::interchange::export::{self, Format, Options};
use crate::store;

/// `backlog export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// markdown, html, csv or json [default: from --out's extension
    /// (.md, .html, .csv, .json), else markdown]
    #[arg(long, value_name = "FORMAT", value_parser = str::parse::<Format>)]
    pub format: Option<Format>,
    /// Write to FILE instead of standard output; a file there is replaced
    /// whole, atomically. Never the data file itself
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Include done and rejected stories in markdown and html (csv and
    /// json always hold every story)
    #[arg(long)]
    pub all: bool,
}

impl ExportArgs {
    fn format(&self) -> Format {
        self.format.unwrap_or_else(|| {
            self.out
                .as_deref()
                .and_then(Format::of_file)
                .unwrap_or(Format::Markdown)
        })
    }
}

pub(super) fn export(args: &ExportArgs, path: &Path, out: &mut dyn Write) -> Result<()> {
    let backlog = store::load(path)?.backlog;
    let format = args.format();
    let options = Options { all: args.all };
    let text = export::render(&backlog, format, options);
    match &args.out {
        Some(to) => {
            export::write(to, path, &text)?;
            let stories = export::stories_in(&backlog, format, options);
            writeln!(
                out,
                "{}",
                export::written(stories, format, &to.display().to_string())
            )?;
        }
        // Redirected, the export is the user's text as stored; a terminal
        // gets it safe.
        None if std::io::stdout().is_terminal() => {
            out.write_all(export::for_terminal(&text, format).as_bytes())?;
        }
        None => out.write_all(text.as_bytes())?,
    }
    Ok(())
}
