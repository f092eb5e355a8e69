//! What the readers' tests share: the fixture files, and the records
//! and problems a read gave, in a form easy to compare.

use chrono::{DateTime, Utc};

use super::Read;

/// The bytes of `tests/fixtures/import/NAME`.
pub(super) fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub(super) fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

pub(super) fn strings(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|&t| t.to_owned()).collect()
}

/// Each problem's line and what it says.
pub(super) fn problems(read: &Read) -> Vec<(usize, &str)> {
    read.problems
        .iter()
        .map(|p| (p.line, p.what.as_str()))
        .collect()
}
