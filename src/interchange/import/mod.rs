//! Stories and customer feedback from other trackers: CSV (with Jira's
//! and Linear's exports among its dialects), GitHub and GitLab issues
//! JSON, Taskwarrior's `task export`, and this program's own JSON export.
//!
//! Reading is in two steps. A format's reader turns a file's bytes into
//! [`Record`]s, one per row or issue, with no knowledge of the backlog,
//! and names each row it cannot read ([`Problem`]); then the records are
//! applied to the backlog as stories or inbox items, found again by
//! their origin when the same source is imported twice.

use std::fmt;

use chrono::{DateTime, Utc};

/// One story or feedback item as a source gave it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record {
    /// Where it starts in its file: the 1-based line of a CSV row, or of
    /// an issue in a JSON array.
    pub line: usize,
    /// The tracker and project it belongs to, such as `github:acme/shop`,
    /// `gitlab:group/project`, `jira`, `linear`, `taskwarrior` or
    /// `csv:stories.csv` (a CSV's file name): with `key`, what finds it
    /// again on the next import.
    pub source: String,
    /// Its id at the source (`12`, `SHOP-12`, a UUID); `None` when the
    /// source gives none.
    pub key: Option<String>,
    pub link: Option<String>,
    pub title: String,
    pub description: String,
    /// The user-story sentence, when the source has one (this program's
    /// own CSV export does).
    pub as_a: Option<String>,
    pub i_want: Option<String>,
    pub so_that: Option<String>,
    /// Acceptance criteria, each with whether it is met.
    pub criteria: Vec<(String, bool)>,
    pub points: Option<f64>,
    pub labels: Vec<String>,
    /// The status as the source names it (`open`, `In Progress`,
    /// `completed`): mapped to a story status when applied.
    pub status: Option<String>,
    pub epic: Option<String>,
    pub created: Option<DateTime<Utc>>,
    /// Who raised it: a reporter, author or customer.
    pub customer: Option<String>,
    /// How much it matters to the customer, as the source says it (`3`,
    /// `critical`, Jira's `High`): an inbox item's importance.
    pub importance: Option<String>,
    /// Where feedback came in (a CSV's `source` or `channel` column:
    /// support, sales, …), when the file says.
    pub channel: Option<String>,
}

/// A row or issue that could not be read, and why; the others still are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The 1-based line where it starts.
    pub line: usize,
    pub what: String,
}

/// A file format `backlog import` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Any CSV with a header row, its columns mapped by name.
    Csv,
    /// Jira's CSV export.
    Jira,
    /// Linear's CSV export.
    Linear,
    /// `gh issue list --json number,title,body,labels,url,createdAt,author`.
    GitHub,
    /// GitLab's REST API issues list.
    GitLab,
    /// `task export`.
    Taskwarrior,
    /// This program's own JSON export (the data file's format).
    Backlog,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Csv,
        Format::Jira,
        Format::Linear,
        Format::GitHub,
        Format::GitLab,
        Format::Taskwarrior,
        Format::Backlog,
    ];

    /// The name `--format` takes.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jira => "jira",
            Format::Linear => "linear",
            Format::GitHub => "github",
            Format::GitLab => "gitlab",
            Format::Taskwarrior => "taskwarrior",
            Format::Backlog => "json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A record's field, as `--map field=column` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Title,
    Description,
    AsA,
    IWant,
    SoThat,
    Criteria,
    Points,
    Labels,
    Status,
    Epic,
    Key,
    Link,
    Created,
    Customer,
    Importance,
    Channel,
}

/// Columns the user named for fields (`--map points=Size`), over the
/// mapping by header.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mapping {
    pub columns: Vec<(Field, String)>,
}

/// What reading one file gave.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Read {
    pub records: Vec<Record>,
    /// Rows or issues skipped, and why.
    pub problems: Vec<Problem>,
    /// What the user should know that is not a problem with a row: the
    /// columns no field was mapped to, say.
    pub notes: Vec<String>,
    /// The fields the file has no place for (a CSV without a points
    /// column): `--update` leaves them as they are, rather than reading
    /// the column's absence as the source emptying them.
    pub absent: Vec<Field>,
}
pub mod apply;
mod csv;
mod read;
#[cfg(test)]
mod testing;
mod trackers;
mod values;
pub use read::{detect, read};
