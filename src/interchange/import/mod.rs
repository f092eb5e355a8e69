//! Stories and customer feedback from other trackers: CSV (with Jira's
//! and Linear's exports among its dialects), GitHub and GitLab issues
//! JSON, Taskwarrior's `task export`, and this program's own JSON export.
//!
//! Reading is in two steps. A format's reader turns a file's bytes into
//! [`Record`]s, one per row or issue, with no knowledge of the backlog,
//! and names each row it cannot read ([`Problem`]); then the records are
//! applied to the backlog as stories or inbox items, found again by
//! their origin when the same source is imported twice.

use chrono::{DateTime, Utc};

/// One story or feedback item as a source gave it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record {
    /// Where it starts in its file: the 1-based line of a CSV row, or of
    /// an issue in a JSON array.
    pub line: usize,
    /// The tracker and project it belongs to, such as `github:acme/shop`,
    /// `gitlab:group/project`, `jira`, `linear`, `taskwarrior` or `csv`:
    /// with `key`, what finds it again on the next import.
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
}

/// A row or issue that could not be read, and why; the others still are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The 1-based line where it starts.
    pub line: usize,
    pub what: String,
}
