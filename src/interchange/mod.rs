//! Formats that carry stories in and out of the backlog file.
//!
//! - [`document`]: one story as a Markdown document, for `$EDITOR`,
//!   `backlog show` and `backlog edit --from-file`.
//! - [`diff`]: what changed between two backlogs, in a product owner's
//!   words, and one backlog as lines for git's `textconv`.
//! - [`json`]: JSON for scripts, the `--json` of every command.
//! - [`export`]: the whole backlog for people and other tools:
//!   Markdown, HTML, CSV and the data file's JSON.
//!
//! An importer brings titles as long as the tracker allowed: cut each with
//! [`crate::model::fit_title`], which keeps a title within the limit at a
//! word (never inside a character as the reader sees it) and moves the
//! rest to the top of the description, so nothing is lost.

pub mod diff;
pub mod document;
pub mod export;
pub mod import;
pub mod json;
