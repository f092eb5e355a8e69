//! Formats that carry stories in and out of the backlog file.
//!
//! - [`document`]: one story as a Markdown document, for `$EDITOR`,
//!   `backlog show` and `backlog edit --from-file`.
//! - [`json`]: JSON for scripts, the `--json` of every command.

pub mod document;
pub mod json;
