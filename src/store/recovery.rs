//! What becomes of a backlog the data file cannot take when the program
//! ends (a full disk, a file that cannot be read): it is kept in a recovery
//! file beside the data file or, when that fails too, in the system's
//! temporary directory, and the user is told what was not saved and where
//! it is.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::model::Backlog;

/// A last save that failed, and where the backlog went instead.
#[derive(Debug)]
pub struct NotSaved {
    /// The data file, as it was before: not written.
    pub file: PathBuf,
    /// Whether there was a data file at all; if not, none was made.
    pub existed: bool,
    pub cause: String,
    pub kept: Kept,
}

/// Where a backlog the data file could not take was kept.
#[derive(Debug)]
pub enum Kept {
    /// In a recovery file beside the data file.
    Beside(PathBuf),
    /// Not beside it (why), but in the system's temporary directory, in a
    /// file only the user can read.
    Elsewhere { beside: String, file: PathBuf },
    /// Nowhere: why not beside the data file, and why not in the
    /// temporary directory.
    Nowhere { beside: String, elsewhere: String },
}

impl NotSaved {
    /// Keep `backlog`, which the data file `file` could not take (because
    /// of `cause`), wherever it can be kept.
    #[must_use]
    pub fn keep(file: &Path, backlog: &Backlog, cause: String) -> NotSaved {
        let kept = match super::write_recovery(file, backlog) {
            Ok(recovery) => Kept::Beside(recovery),
            // A full disk or a read-only directory takes no recovery file
            // either; the temporary directory is often elsewhere.
            Err(beside) => match write_elsewhere(file, backlog) {
                Ok(elsewhere) => Kept::Elsewhere {
                    beside: format!("{beside:#}"),
                    file: elsewhere,
                },
                Err(elsewhere) => Kept::Nowhere {
                    beside: format!("{beside:#}"),
                    elsewhere: format!("{elsewhere:#}"),
                },
            },
        };
        NotSaved {
            file: file.to_path_buf(),
            existed: fs::symlink_metadata(file).is_ok(),
            cause,
            kept,
        }
    }

    /// What to tell the user on the way out: what was not saved, why, and
    /// where it is. `changes` counts the changes the file lacks.
    #[must_use]
    pub fn message(&self, changes: u64) -> String {
        let file = self.file.display();
        let what = if changes == 1 {
            "your last change is".to_string()
        } else {
            format!("your last {changes} changes are")
        };
        let mut text = format!(
            "{what} not saved in {file}: {}
",
            self.cause
        );
        match &self.kept {
            Kept::Beside(recovery) => {
                let _ = write!(
                    text,
                    "Your backlog as you left it is in {}",
                    recovery.display()
                );
            }
            Kept::Elsewhere {
                beside,
                file: elsewhere,
            } => {
                let _ = write!(
                    text,
                    "Not even a recovery file could be written beside it ({beside}), so your \
                     backlog as you left it is in {} (only you can read it). Move it somewhere \
                     safe: the temporary directory may be emptied when the computer restarts",
                    elsewhere.display()
                );
            }
            Kept::Nowhere { beside, elsewhere } => {
                let _ = write!(
                    text,
                    "Not even a recovery file could be written, beside it ({beside}) or in the \
                     temporary directory ({elsewhere}), so {} lost",
                    if changes == 1 { "it is" } else { "they are" }
                );
            }
        }
        let left = if self.existed {
            "is unchanged"
        } else {
            "was not created"
        };
        let _ = write!(text, ".\n{file} {left}.");
        text
    }
}

/// Write `backlog` to a new file in the system's temporary directory,
/// readable only by the user (others can list that directory), named for
/// the data file; returns the file.
fn write_elsewhere(data: &Path, backlog: &Backlog) -> Result<PathBuf> {
    let name = data.file_name().unwrap_or_default().to_string_lossy();
    let mut file = tempfile::Builder::new()
        .prefix(&format!("{name}.unsaved-"))
        .suffix(".json")
        .tempfile()
        .context("cannot make a file in the temporary directory")?;
    file.write_all(super::to_json(backlog).as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .with_context(|| format!("cannot write {}", file.path().display()))?;
    let (_, path) = file
        .keep()
        .with_context(|| "cannot keep the file in the temporary directory".to_string())?;
    Ok(path)
}
