//! `backlog diff`: what changed between two backlog files, or between
//! revisions of the data file in git, read with the `git` binary; and
//! `--textconv`, the lines git's `diff.backlog.textconv` shows.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;

use super::git;
use crate::interchange::diff::{diff as semantic_diff, textconv};
use crate::interchange::json;
use crate::model::Backlog;
use crate::store;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The backlog before: a file, else a git revision of the data file
    /// [default: HEAD]
    #[arg(value_name = "A", conflicts_with = "textconv")]
    pub before: Option<String>,
    /// The backlog after: a file, else a git revision of the data file
    /// [default: the data file as it is now]
    #[arg(value_name = "B", conflicts_with = "textconv")]
    pub after: Option<String>,
    /// Print JSON (see the README for its fields)
    #[arg(long, conflicts_with = "textconv")]
    pub json: bool,
    /// Print FILE as lines that git's line diff compares: what git's
    /// `diff.backlog.textconv` runs
    #[arg(long, value_name = "FILE")]
    pub textconv: Option<PathBuf>,
}

/// Print what changed from the first backlog to the second, or, with
/// `--textconv`, one file as lines.
///
/// # Errors
/// When a file cannot be read, or git cannot give a revision: what was
/// not found.
pub fn diff(args: &DiffArgs, path: &Path, out: &mut dyn Write) -> Result<()> {
    if let Some(file) = &args.textconv {
        return write_textconv(file, out);
    }
    let before = match &args.before {
        Some(side) => read_side(side, path)?,
        None => at_revision("HEAD", path)?,
    };
    let after = match &args.after {
        Some(side) => read_side(side, path)?,
        None => store::load(path)?.backlog,
    };
    let diff = semantic_diff(&before, &after);
    if args.json {
        writeln!(out, "{}", json::pretty(&diff)?)?;
    } else if diff.is_empty() {
        writeln!(out, "No change.")?;
    } else {
        write!(out, "{}", diff.render())?;
    }
    Ok(())
}

/// Git runs this on each side of a diff. A file that is not a backlog (one
/// left with conflict markers by a merge made before the driver was set
/// up, say) is shown as it is, with a warning, so that `git log -p` still
/// goes on past it.
fn write_textconv(file: &Path, out: &mut dyn Write) -> Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let text = store::decode(&file.display(), bytes)?;
    match store::parse(file, &text) {
        Ok(backlog) => write!(out, "{}", textconv::lines(&backlog))?,
        Err(e) => {
            super::note(&format!("{e:#}; shown as it is"));
            write!(out, "{text}")?;
        }
    }
    Ok(())
}

/// A backlog file when `side` names one that exists, else the data file
/// at the git revision `side`.
fn read_side(side: &str, path: &Path) -> Result<Backlog> {
    let file = Path::new(side);
    if file.is_file() {
        let text = store::read(file)?.unwrap_or_default();
        return store::parse(file, &text);
    }
    at_revision(side, path).with_context(|| format!("{side} is not a file"))
}

/// The data file at `path` as git holds it at `revision`; an empty
/// backlog when that revision does not have it (it was added since).
fn at_revision(revision: &str, path: &Path) -> Result<Backlog> {
    let folder = store::follow_links(path)?
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let name = path
        .file_name()
        .with_context(|| format!("{} names no file", path.display()))?;
    let prefix = git::run(&folder, &["rev-parse", "--show-prefix"])?;
    if !prefix.ok {
        bail!(
            "{} is not in a git repository, so it has no revision {revision} ({})",
            path.display(),
            prefix.complaint()
        );
    }
    let in_repository = format!(
        "{}{}",
        prefix.stdout.trim_end_matches('\n'),
        name.to_string_lossy()
    );
    let commit = format!("{revision}^{{commit}}");
    if !git::run(&folder, &["rev-parse", "--verify", "--quiet", &commit])?.ok {
        // A repository with no commit yet: before the first, nothing.
        if revision == "HEAD" {
            return Ok(Backlog::default());
        }
        bail!(
            "the git repository of {} has no revision {revision}",
            path.display()
        );
    }
    let object = format!("{revision}:{in_repository}");
    // `cat-file blob` gives the bytes as stored: never through a textconv.
    let bytes = match git::run_for_bytes(&folder, &["cat-file", "blob", &object])? {
        Ok(bytes) => bytes,
        // Not in that revision: the file was added after it, so before it
        // there was nothing. Asked only now, as reading it is the usual case.
        Err(_) if !git::run(&folder, &["cat-file", "-e", &object])?.ok => {
            return Ok(Backlog::default());
        }
        Err(said) => bail!("cannot read {object}: {said}"),
    };
    let text = store::decode(&object, bytes)?;
    store::from_json(&text).map_err(|e| anyhow::anyhow!("cannot read {object}: {e}"))
}
