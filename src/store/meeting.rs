//! The meeting journal, beside the data file: `backlog.json.meeting`. The
//! refinement meeting under way, kept as it goes, so that a crash, a
//! closed terminal or quitting leaves it to be taken up again.
//!
//! What it holds is the meeting's to read and write; here it is only
//! text kept beside the data file, with the data file's permissions, as
//! the undo history and the view are. It is there while a meeting is
//! under way, and gone once it has ended.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::files::{parent_dir, sync_dir};
use super::{read, sibling, write_beside};

/// The meeting journal kept beside the data file `data`.
#[must_use]
pub fn journal_path(data: &Path) -> PathBuf {
    sibling(data, ".meeting")
}

/// Keep `json`, the meeting under way, in the journal beside `data`:
/// atomically and durably, so a crash leaves the journal as it was
/// before or as it is now, never half of it.
///
/// # Errors
/// When the journal cannot be written; the old one is intact.
pub fn keep_journal(data: &Path, json: &str) -> Result<()> {
    write_beside(data, &journal_path(data), json.as_bytes())
}

/// The journal's text; `None` when no meeting is under way.
///
/// # Errors
/// When it cannot be read, or is not UTF-8: the message names it.
pub fn read_journal(data: &Path) -> Result<Option<String>> {
    read(&journal_path(data))
}

/// Remove the journal, the meeting having ended; one that is not there
/// is gone already.
///
/// # Errors
/// When it is there and cannot be removed: the message names it.
pub fn remove_journal(data: &Path) -> Result<()> {
    let journal = journal_path(data);
    match fs::remove_file(&journal) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("cannot remove {}", journal.display())),
    }
    // Else a crash could bring an ended meeting back, to be ended (and
    // its minutes written) twice.
    let dir = parent_dir(&journal);
    sync_dir(dir).with_context(|| format!("cannot flush {}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journal_is_kept_beside_the_data_file() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("b.json");
        assert_eq!(journal_path(&data), dir.path().join("b.json.meeting"));
    }

    #[test]
    fn a_journal_is_kept_read_replaced_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("b.json");
        assert_eq!(read_journal(&data).unwrap(), None);
        keep_journal(&data, r#"{"agenda":["S-1"]}"#).unwrap();
        assert_eq!(
            read_journal(&data).unwrap().as_deref(),
            Some(r#"{"agenda":["S-1"]}"#)
        );
        keep_journal(&data, r#"{"agenda":["S-1","S-2"]}"#).unwrap();
        assert_eq!(
            read_journal(&data).unwrap().as_deref(),
            Some(r#"{"agenda":["S-1","S-2"]}"#)
        );
        remove_journal(&data).unwrap();
        assert_eq!(read_journal(&data).unwrap(), None);
        // Gone already is fine.
        remove_journal(&data).unwrap();
        let mut left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        left.sort();
        assert!(left.is_empty(), "{left:?}");
    }

    #[cfg(unix)]
    #[test]
    fn the_journal_takes_the_data_files_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("b.json");
        fs::write(&data, "{}").unwrap();
        fs::set_permissions(&data, fs::Permissions::from_mode(0o640)).unwrap();
        keep_journal(&data, "{}").unwrap();
        let mode = fs::metadata(journal_path(&data))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
    }

    #[test]
    fn an_unreadable_journal_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("b.json");
        fs::write(journal_path(&data), b"{\"note\": \"caf\xe9\"}").unwrap();
        let e = format!("{:#}", read_journal(&data).unwrap_err());
        assert!(e.contains("b.json.meeting"), "{e}");
        assert!(e.contains("not UTF-8"), "{e}");

        fs::remove_file(journal_path(&data)).unwrap();
        fs::create_dir(journal_path(&data)).unwrap();
        let e = format!("{:#}", read_journal(&data).unwrap_err());
        assert!(e.contains("b.json.meeting"), "{e}");
        let e = format!("{:#}", remove_journal(&data).unwrap_err());
        assert!(
            e.contains("cannot remove") && e.contains("b.json.meeting"),
            "{e}"
        );
    }
}
