//! `backlog share init` and `share status`: setting up a git repository
//! so that git merges the data file with backlog's merge driver and shows
//! its changes with the semantic diff, and keeps backlog's own files
//! beside it (history, lock, view, …) out of the repository.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use anyhow::{Context, Result};
use clap::Subcommand;

use super::git::{self, Repo};
use crate::store;

#[derive(Debug, Subcommand)]
pub enum ShareCommand {
    /// Set up the git repository that holds the data file: the merge
    /// driver and the readable diff in .gitattributes and .git/config,
    /// and backlog's own files in .gitignore. Running it again changes
    /// nothing
    Init,
    /// Say whether the repository is set up for the data file, what is
    /// missing and the command that fixes it
    Status,
}

/// The attributes that hand the data file to backlog.
const ATTRIBUTES: [(&str, &str); 2] = [("merge", "backlog"), ("diff", "backlog")];
const DRIVER_NAME: &str = "merge.backlog.name";
const DRIVER: &str = "merge.backlog.driver";
const TEXTCONV: &str = "diff.backlog.textconv";

/// What `share init` sets in the repository's config, and why the
/// command is named as it is.
struct Config {
    program: String,
    why: String,
}

impl Config {
    /// Git runs the driver and the diff with its own `PATH`: `backlog`
    /// alone only when that finds this very program, else its full path.
    fn for_this_program() -> Result<Config> {
        let exe = std::env::current_exe().context("cannot tell where this program is")?;
        let exe = fs::canonicalize(&exe).unwrap_or(exe);
        let on_path = std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|folder| folder.join("backlog"))
                .find(|file| file.is_file())
        });
        Ok(match on_path {
            Some(found) if fs::canonicalize(&found).is_ok_and(|found| found == exe) => Config {
                program: "backlog".into(),
                why: "the backlog on PATH is this program".into(),
            },
            Some(found) => Config {
                program: shell_words::quote(&exe.to_string_lossy()).into_owned(),
                why: format!(
                    "this program by its full path: the backlog on PATH is another one, {}",
                    found.display()
                ),
            },
            None => Config {
                program: shell_words::quote(&exe.to_string_lossy()).into_owned(),
                why: "this program by its full path: there is no backlog on PATH".into(),
            },
        })
    }

    /// The repository's config keys and their values.
    fn keys(&self) -> [(&'static str, String); 3] {
        [
            (
                DRIVER_NAME,
                "backlog: merges the backlog story by story".to_string(),
            ),
            (
                DRIVER,
                format!(
                    "{} merge-driver %O %A %B %P --ours-by %X --theirs-by %Y",
                    self.program
                ),
            ),
            (TEXTCONV, format!("{} diff --textconv", self.program)),
        ]
    }
}

pub(crate) fn share(command: &ShareCommand, path: &Path, out: &mut dyn Write) -> Result<()> {
    let repo = Repo::of(path)?;
    match command {
        ShareCommand::Init => init(&repo, path, out),
        ShareCommand::Status => status(&repo, path, out),
    }
}

fn init(repo: &Repo, path: &Path, out: &mut dyn Write) -> Result<()> {
    let file = repo.file();
    writeln!(out, "Sharing {file} in {}", repo.top.display())?;
    let mut changed = false;

    let attributes_line = format!(
        "{} {}",
        git::attributes_pattern(&file),
        ATTRIBUTES
            .map(|(key, value)| format!("{key}={value}"))
            .join(" ")
    );
    if attributes_set(repo)? {
        writeln!(out, ".gitattributes: {file} already goes to backlog")?;
    } else {
        append_lines(
            &repo.top.join(".gitattributes"),
            std::slice::from_ref(&attributes_line),
        )?;
        writeln!(out, ".gitattributes: added `{attributes_line}`")?;
        changed = true;
    }

    let config = Config::for_this_program()?;
    for (key, value) in config.keys() {
        let now = repo.config(key)?;
        if now.as_deref() == Some(value.as_str()) {
            writeln!(out, ".git/config: {key} already `{value}`")?;
            continue;
        }
        let ran = repo.git(&["config", "--local", key, &value])?;
        if !ran.ok {
            anyhow::bail!("git cannot set {key}: {}", ran.complaint());
        }
        match now {
            Some(was) => writeln!(out, ".git/config: {key} = `{value}` (was `{was}`)")?,
            None => writeln!(out, ".git/config: {key} = `{value}`")?,
        }
        changed = true;
    }
    writeln!(out, "  (the merge driver and the diff run {})", config.why)?;

    let ignore = repo.top.join(".gitignore");
    let patterns: Vec<String> = store::side_files(path)
        .iter()
        .map(|parts| git::ignore_pattern(&repo.folder, parts))
        .collect();
    let there = read_lines(&ignore)?;
    let missing: Vec<String> = patterns
        .into_iter()
        .filter(|pattern| !there.contains(pattern))
        .collect();
    if missing.is_empty() {
        writeln!(out, ".gitignore: backlog's own files already left out")?;
    } else {
        let mut lines = vec![format!(
            "# backlog's own files beside {file} (undo history, lock, view, meeting \
             journal, conflict and unsaved copies): each user's, not the team's"
        )];
        lines.extend(missing.iter().cloned());
        append_lines(&ignore, &lines)?;
        for pattern in &missing {
            writeln!(out, ".gitignore: added {pattern}")?;
        }
        changed = true;
    }

    if changed {
        writeln!(
            out,
            "Commit .gitattributes and .gitignore, so that whoever clones gets them; \
             each clone runs `backlog share init` once for its own .git/config"
        )?;
    } else {
        writeln!(out, "Nothing to change: {file} is shared already")?;
    }
    Ok(())
}

/// Whether git gives the data file both of [`ATTRIBUTES`], from
/// whichever attributes file.
fn attributes_set(repo: &Repo) -> Result<bool> {
    let keys = ATTRIBUTES.map(|(key, _)| key);
    let values = repo.attributes(&keys)?;
    Ok(ATTRIBUTES
        .iter()
        .zip(&values)
        .all(|((_, wanted), value)| value == wanted))
}

/// Whether git hands the data file to a merge driver of backlog's: the
/// attributes say so and the driver is set (to whichever program).
pub(crate) fn driver_set(repo: &Repo) -> Result<bool> {
    Ok(attributes_set(repo)? && repo.config(DRIVER)?.is_some())
}

fn status(repo: &Repo, path: &Path, out: &mut dyn Write) -> Result<()> {
    let file = repo.file();
    writeln!(out, "{file} in {}", repo.top.display())?;
    let mut missing = Vec::new();

    let keys = ATTRIBUTES.map(|(key, _)| key);
    let values = repo.attributes(&keys)?;
    for ((key, wanted), value) in ATTRIBUTES.iter().zip(&values) {
        let what = format!("attribute {key}={wanted}");
        if value == wanted {
            writeln!(out, "{what}: set")?;
        } else if value == "unspecified" {
            writeln!(out, "{what}: missing")?;
            missing.push(what);
        } else {
            writeln!(out, "{what}: set to {key}={value} instead")?;
            missing.push(what);
        }
    }

    let config = Config::for_this_program()?;
    for (key, value) in config.keys() {
        if key == DRIVER_NAME {
            // Only a name git shows; the driver works without it.
            continue;
        }
        let what = match key {
            DRIVER => format!("merge driver ({key})"),
            _ => format!("readable diff ({key})"),
        };
        match repo.config(key)? {
            Some(now) if now == value => writeln!(out, "{what}: set")?,
            Some(now) => {
                writeln!(out, "{what}: `{now}`, not `{value}`")?;
                missing.push(what);
            }
            None => {
                writeln!(out, "{what}: missing")?;
                missing.push(what);
            }
        }
    }

    if missing.is_empty() {
        writeln!(out, "Set up: git merges and shows {file} with backlog")?;
    } else {
        writeln!(
            out,
            "Not set up ({}); to fix it: {}",
            missing.join(", "),
            super::command_for(path, &["share", "init"])
        )?;
    }
    Ok(())
}

/// The lines of a text file; none when there is no file.
fn read_lines(file: &Path) -> Result<Vec<String>> {
    match fs::read_to_string(file) {
        Ok(text) => Ok(text.lines().map(str::to_string).collect()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", file.display())),
    }
}

/// Add `lines` at the end of a text file, made if need be. Appending
/// never touches what the file holds, and keeps whatever it was made
/// with: these files are the team's, committed, not backlog's own.
fn append_lines(file: &Path, lines: &[String]) -> Result<()> {
    let text = match fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", file.display())),
    };
    let mut added = String::new();
    if !text.is_empty() && !text.ends_with(b"\n") {
        added.push('\n');
    }
    for line in lines {
        added.push_str(line);
        added.push('\n');
    }
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .and_then(|mut f| f.write_all(added.as_bytes()))
        .with_context(|| format!("cannot write {}", file.display()))
}
