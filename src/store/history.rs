//! The undo history's file, beside the data file: `backlog.json.history`.
//!
//! It is the TUI's memory of what it did, not the user's data, so a file
//! that cannot be read is reported and the caller may start afresh, after
//! setting the file aside rather than writing over it.
//!
//! Each entry holds whole stories, so a few changes to a story with a huge
//! description would make a huge file, rewritten on every save and read at
//! every start. The file is bounded in bytes as well as in entries: it
//! keeps the newest changes that fit in [`HISTORY_BYTES`]. The history in
//! memory is not cut, so a change too large for the file can still be
//! undone until the TUI ends.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use serde::{Deserialize, Serialize};

use super::{new_stamped, parse_versioned, read, sibling, write_beside};
use crate::model::{Entry, History};

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

/// About the most the history file takes. A typical change (one story,
/// before and after) takes one or two kilobytes, so 200 of them fit many
/// times over, and long descriptions still leave room for dozens; a save
/// writes it, and a start reads it, in tens of milliseconds at most. A
/// change larger than this alone is not kept in the file at all: it
/// would be written again on every save.
pub const HISTORY_BYTES: usize = 4 * 1024 * 1024;

/// A history file this much larger than [`HISTORY_BYTES`] was not written
/// by this build (an older one kept no bound): it is set aside unread, as
/// parsing it could hold up the start for seconds.
const FAR_OVER: u64 = 4;

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
    if let Some(bytes) = too_large(&path) {
        let mb = |bytes: u64| bytes.div_ceil(1024 * 1024);
        return Err(anyhow!(
            "{} is {} MB, far more than the {} MB an undo history is kept to, so it is not read",
            path.display(),
            mb(bytes),
            mb(HISTORY_BYTES as u64)
        ));
    }
    match read(&path)? {
        Some(text) => {
            parse_history(&text).map_err(|e| anyhow!("cannot read {}: {e}", path.display()))
        }
        None => Ok(History::default()),
    }
}

/// The size of the history file at `path`, when it is too large to read.
fn too_large(path: &Path) -> Option<u64> {
    let bytes = fs::metadata(path).ok()?.len();
    (bytes > FAR_OVER * HISTORY_BYTES as u64).then_some(bytes)
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

/// Move a history file [`load_history`] refused out of the way, keeping
/// its bytes, so the TUI can start an empty history without writing over
/// it. Returns where it went, named for why:
/// `backlog.json.history.too-large-<time>` for one too large to read,
/// else `backlog.json.history.unreadable-<time>`.
///
/// # Errors
/// When the file cannot be renamed.
pub fn set_aside_history(data: &Path) -> Result<PathBuf> {
    let path = history_path(data);
    let why = if too_large(&path).is_some() {
        ".too-large-"
    } else {
        ".unreadable-"
    };
    let aside = new_stamped(&path, why, "", chrono::Utc::now())
        .with_context(|| format!("cannot move {} aside", path.display()))?;
    if let Err(e) = fs::rename(&path, &aside) {
        let _ = fs::remove_file(&aside);
        return Err(e).with_context(|| {
            format!(
                "cannot move {} aside to {}",
                path.display(),
                aside.display()
            )
        });
    }
    Ok(aside)
}

/// Write the history beside `data`, atomically and durably: the newest
/// changes that fit in [`HISTORY_BYTES`].
///
/// # Errors
/// When the file cannot be written; the old one is intact.
pub fn save_history(data: &Path, history: &History) -> Result<()> {
    let path = history_path(data);
    let kept = within(history, HISTORY_BYTES);
    let file = FileOut {
        schema: HISTORY_SCHEMA,
        history: kept.as_ref().unwrap_or(history),
    };
    let mut text = serde_json::to_string_pretty(&file).context("cannot write the undo history")?;
    text.push('\n');
    write_beside(data, &path, text.as_bytes())
}

/// The newest changes to undo and the next to redo (taken in turns, each
/// list without gaps) that together fit in `bytes`; `None` when they all
/// do. Measuring stops at `bytes`, so a huge change costs no more to find
/// too large than one that just fits.
fn within(history: &History, bytes: usize) -> Option<History> {
    let mut room = bytes;
    let mut take = |entry: Option<&Entry>| {
        let size = entry.and_then(|entry| size_within(entry, room))?;
        room -= size;
        Some(())
    };
    let (mut undoable, mut redoable) = (history.undoable(), history.redoable());
    let (mut undo, mut redo) = (0, 0);
    let (mut undo_fits, mut redo_fits) = (true, true);
    while undo_fits || redo_fits {
        undo_fits = undo_fits && take(undoable.next()).is_some();
        undo += usize::from(undo_fits);
        redo_fits = redo_fits && take(redoable.next()).is_some();
        redo += usize::from(redo_fits);
    }
    (undo < history.undo_len() || redo < history.redo_len()).then(|| history.keeping(undo, redo))
}

/// The size of `entry` in the file, if it is at most `room`.
fn size_within(entry: &Entry, room: usize) -> Option<usize> {
    /// Counts what is written, and fails once it is more than `room`.
    struct Measure {
        written: usize,
        room: usize,
    }
    impl io::Write for Measure {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.written += buf.len();
            if self.written > self.room {
                Err(io::Error::other("over the room left"))
            } else {
                Ok(buf.len())
            }
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut measure = Measure { written: 0, room };
    serde_json::to_writer_pretty(&mut measure, entry).ok()?;
    Some(measure.written)
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::model::{Backlog, Placement, Points, Snapshot, StoryId, StoryPatch};

    /// A story with a description of `bytes` bytes, estimated `steps`
    /// times, each step recorded.
    fn estimated(bytes: usize, steps: u32) -> (Backlog, History) {
        let mut backlog = Backlog::new("Huge");
        let patch = StoryPatch {
            title: Some("Huge".into()),
            description: Some("x".repeat(bytes)),
            ..StoryPatch::default()
        };
        let id = backlog.add(&patch, Placement::Bottom, Utc::now()).unwrap();
        let mut history = History::default();
        for step in 1..=steps {
            let before = Snapshot::take(&backlog, &[id], true);
            let patch = StoryPatch {
                points: Some(Some(Points::new(f64::from(step)).unwrap())),
                ..StoryPatch::default()
            };
            backlog.edit(id, &patch, Utc::now()).unwrap();
            history.record(format!("estimate {step}"), Utc::now(), before, &backlog);
        }
        (backlog, history)
    }

    fn saved_and_loaded(history: &History) -> (u64, History) {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("backlog.json");
        save_history(&data, history).unwrap();
        let size = fs::metadata(history_path(&data)).unwrap().len();
        (size, load_history(&data).unwrap())
    }

    #[test]
    fn the_file_keeps_the_newest_changes_that_fit_in_its_bound() {
        // Each step keeps the story before and after: about 3 MB.
        let (_, history) = estimated(1_500_000, 3);
        let (size, loaded) = saved_and_loaded(&history);
        assert!(size <= HISTORY_BYTES as u64, "{size} bytes");
        assert_eq!(loaded.undo_len(), 1);
        assert_eq!(loaded.next_undo().unwrap().label, "estimate 3");
        // The history in memory is whole.
        assert_eq!(history.undo_len(), 3);
    }

    #[test]
    fn a_change_larger_than_the_bound_alone_is_not_kept_in_the_file() {
        let (_, history) = estimated(3_000_000, 1);
        let (size, loaded) = saved_and_loaded(&history);
        assert!(size < 1024, "{size} bytes");
        assert!(loaded.is_empty());
    }

    #[test]
    fn redo_shares_the_room_with_undo_nearest_first() {
        let (mut backlog, mut history) = estimated(1_000_000, 4);
        history.undo(&mut backlog).unwrap();
        history.undo(&mut backlog).unwrap();
        // Two to undo, two to redo, about 2 MB each: the nearest of each.
        let (size, loaded) = saved_and_loaded(&history);
        assert!(size <= HISTORY_BYTES as u64, "{size} bytes");
        assert_eq!(loaded.next_undo().unwrap().label, "estimate 2");
        assert_eq!(loaded.next_redo().unwrap().label, "estimate 3");
        assert_eq!((loaded.undo_len(), loaded.redo_len()), (1, 1));
        assert_eq!(
            backlog.get(StoryId(1)).unwrap().points.map(Points::value),
            Some(2.0)
        );
    }

    #[test]
    fn a_history_file_far_over_the_bound_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("backlog.json");
        // A valid history, padded: reading it would work, but slowly.
        let padding = " ".repeat(usize::try_from(FAR_OVER).unwrap() * HISTORY_BYTES + 1);
        let text = format!("{{\"schema\": 1,{padding}\"history\": {{}}}}");
        fs::write(history_path(&data), &text).unwrap();
        let error = format!("{:#}", load_history(&data).unwrap_err());
        assert!(error.contains("17 MB, far more than the 4 MB"), "{error}");
        assert!(error.contains(&history_path(&data).display().to_string()));
        assert_eq!(fs::read_to_string(history_path(&data)).unwrap(), text);
        // Set aside, it is named for what it is: readable, but too large.
        let aside = set_aside_history(&data).unwrap();
        let name = aside.file_name().unwrap().to_string_lossy();
        assert!(
            name.starts_with("backlog.json.history.too-large-"),
            "{name}"
        );
        assert_eq!(fs::read_to_string(&aside).unwrap(), text);
    }
}
