//! Reading a file in any import format into records.
//! (Filled in by the readers' branch; the signatures are what the import
//! command builds on.)

use super::{Format, Mapping, Read};

/// The format of a file, told from its content; `None` when it is none
/// this program reads.
#[must_use]
pub fn detect(_bytes: &[u8]) -> Option<Format> {
    None
}

/// Read `bytes`, the file `name`, as `format` (not [`Format::Backlog`],
/// which the import command reads itself), with `mapping` over the
/// columns' names.
///
/// # Errors
/// When the file as a whole cannot be read as `format`: saying where.
pub fn read(_bytes: &[u8], format: Format, _mapping: &Mapping, name: &str) -> Result<Read, String> {
    Err(format!("{name}: reading {format} is not built yet"))
}
