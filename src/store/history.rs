//! The undo history's file, beside the data file: `backlog.json.history`.
//!
//! It is the TUI's memory of what it did, not the user's data, so a file
//! that cannot be read is reported and the caller may start afresh, after
//! setting the file aside rather than writing over it.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use serde::{Deserialize, Serialize};

use super::{parse_versioned, read, sibling, stamped, write_beside};
use crate::model::History;

/// The history schema this build writes, and the newest it reads.
///
/// - 1: undoable and redoable entries, each with the stories and product
///   before and after.
pub const HISTORY_SCHEMA: u32 = 1;

#[derive(Serialize)]
struct FileOut<'a> {
    schema: u32,
    history: &'a History,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    schema: u32,
    history: History,
}

/// The history file kept beside the data file `data`.
#[must_use]
pub fn history_path(data: &Path) -> PathBuf {
    sibling(data, ".history")
}

/// Read the history kept beside `data`. No file is an empty history.
///
/// # Errors
/// When the file cannot be read, cannot be parsed (the message names the
/// path, line and column), or comes from a newer `backlog`.
pub fn load_history(data: &Path) -> Result<History> {
    let path = history_path(data);
    match read(&path)? {
        Some(text) => {
            parse_history(&text).map_err(|e| anyhow!("cannot read {}: {e}", path.display()))
        }
        None => Ok(History::default()),
    }
}

fn parse_history(text: &str) -> Result<History, String> {
    let file: FileIn = parse_versioned(text, |f: &FileIn| f.schema, check_schema)?;
    let mut history = file.history;
    history.trim();
    Ok(history)
}

fn check_schema(schema: u32) -> Result<(), String> {
    if schema > HISTORY_SCHEMA {
        Err(format!(
            "the undo history has schema {schema}, written by a newer backlog; this one reads schema {HISTORY_SCHEMA} and older"
        ))
    } else if schema == 0 {
        Err(format!(
            "schema 0 is not an undo history schema (expected 1 to {HISTORY_SCHEMA})"
        ))
    } else {
        Ok(())
    }
}

/// Move an unreadable history file out of the way, keeping its bytes, so
/// the TUI can start an empty history without writing over it. Returns
/// where it went: `backlog.json.history.unreadable-<time>`.
///
/// # Errors
/// When the file cannot be renamed.
pub fn set_aside_history(data: &Path) -> Result<PathBuf> {
    let path = history_path(data);
    let aside = stamped(&path, ".unreadable-", "");
    fs::rename(&path, &aside).with_context(|| {
        format!(
            "cannot move {} aside to {}",
            path.display(),
            aside.display()
        )
    })?;
    Ok(aside)
}

/// Write the history beside `data`, atomically and durably.
///
/// # Errors
/// When the file cannot be written; the old one is intact.
pub fn save_history(data: &Path, history: &History) -> Result<()> {
    let path = history_path(data);
    let file = FileOut {
        schema: HISTORY_SCHEMA,
        history,
    };
    let mut text = serde_json::to_string_pretty(&file).context("cannot write the undo history")?;
    text.push('\n');
    write_beside(data, &path, text.as_bytes())
}
