//! Every story as a row of CSV, in rank order, for spreadsheets and for
//! `backlog import`, which reads it back: the columns are named as the
//! import maps them.
//!
//! - `acceptance criteria`: one per line, `- [ ] text` or `- [x] text`,
//!   as the story document writes them (a line break inside one becomes
//!   a space, or it would read back as two);
//! - `points`: the estimate in points (`5`, `0.5`), as `list --json`
//!   gives it, whatever the scale; empty when unestimated;
//! - `labels`: joined by `, `;
//! - `created`: RFC 3339, in UTC.
//!
//! Quoting is the `csv` crate's (RFC 4180): a field with a comma, a quote
//! or a line break is quoted, so descriptions of many lines stay one
//! field.

use chrono::SecondsFormat;

use crate::model::{Backlog, Story};

/// The header row, exactly.
pub const COLUMNS: [&str; 12] = [
    "id",
    "title",
    "as a",
    "i want",
    "so that",
    "description",
    "acceptance criteria",
    "points",
    "status",
    "labels",
    "epic",
    "created",
];

/// Every story of `backlog` in rank order, under [`COLUMNS`].
#[must_use]
pub fn render(backlog: &Backlog) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to memory fails only on a row of another length, which
    // `row` never gives.
    writer
        .write_record(COLUMNS)
        .expect("a CSV header writes to memory");
    for story in backlog.ranked() {
        writer
            .write_record(row(story))
            .expect("a CSV row writes to memory");
    }
    let bytes = writer.into_inner().expect("CSV flushes to memory");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

/// A story's fields, in the order of [`COLUMNS`].
fn row(story: &Story) -> [String; 12] {
    let criteria: Vec<String> = story
        .acceptance_criteria
        .iter()
        .map(|c| {
            let mark = if c.done { 'x' } else { ' ' };
            if c.text.contains(['\n', '\r']) {
                let text: Vec<&str> = c.text.lines().map(str::trim).collect();
                format!("- [{mark}] {}", text.join(" "))
            } else {
                format!("- [{mark}] {}", c.text)
            }
        })
        .collect();
    [
        story.id.to_string(),
        story.title.clone(),
        story.as_a.clone(),
        story.i_want.clone(),
        story.so_that.clone(),
        story.description.clone(),
        criteria.join("\n"),
        story.points.map(|p| p.to_string()).unwrap_or_default(),
        story.status.to_string(),
        story.labels.join(", "),
        story.epic.clone().unwrap_or_default(),
        story.created.to_rfc3339_opts(SecondsFormat::AutoSi, true),
    ]
}
