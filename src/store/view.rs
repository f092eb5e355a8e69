//! The view file, beside the data file: `backlog.json.view`. What the
//! TUI showed when it last ran (the pane, the selected story, the search
//! and filters, the columns), so it opens there again.
//!
//! It is one user's way of looking at the backlog, not the backlog: it is
//! never merged, never read by a command, and losing it loses nothing.
//! What it holds is the TUI's to read; here it is only a file kept beside
//! the data file, with the data file's permissions, as the undo history.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::{read, sibling, write_beside};

/// The view file kept beside the data file `data`.
#[must_use]
pub fn view_path(data: &Path) -> PathBuf {
    sibling(data, ".view")
}

/// The view file's text; `None` when there is none.
///
/// # Errors
/// When it cannot be read (the message names it), or is not UTF-8.
pub fn load_view(data: &Path) -> Result<Option<String>> {
    read(&view_path(data))
}

/// Write the view file beside `data`, atomically and durably, with the
/// data file's permissions.
///
/// # Errors
/// When the file cannot be written; the old one is intact.
pub fn save_view(data: &Path, text: &str) -> Result<()> {
    write_beside(data, &view_path(data), text.as_bytes())
}
