//! The release plan's records: releases, the team's sprints, the
//! velocity of sprints before the backlog kept them, and each story's
//! status history.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::story::{Status, StoryId};
use crate::rank::Rank;

/// A release: what ships together, and when it should.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// Unique within the backlog, whatever the case; epics name their
    /// target release by it.
    pub name: String,
    /// The day it should ship. A release made from an older file's epic
    /// targets has none until the product owner gives it one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Where its line sits in the ranking, as a rank key between two
    /// stories': every open story ranked above it is in the release. With
    /// no line, the release is the stories assigned to it and the stories
    /// of the epics that target it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<Rank>,
    /// Stories assigned to it by hand.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stories: Vec<StoryId>,
}

impl Release {
    #[must_use]
    pub fn new(name: impl Into<String>, date: Option<NaiveDate>) -> Self {
        Release {
            name: name.into(),
            date,
            line: None,
            stories: Vec::new(),
        }
    }
}

/// The length of a sprint when none is given: two weeks, as Scrum teams
/// most often run them.
pub const SPRINT_DAYS: u32 = 14;

fn sprint_days() -> u32 {
    SPRINT_DAYS
}

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes the field by reference"
)]
fn is_sprint_days(days: &u32) -> bool {
    *days == SPRINT_DAYS
}

/// One of the team's sprints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sprint {
    /// Unique within the backlog, whatever the case.
    pub name: String,
    pub start: NaiveDate,
    /// Its length in calendar days.
    #[serde(default = "sprint_days", skip_serializing_if = "is_sprint_days")]
    pub days: u32,
    /// The points it can take, when the team knows it differs from the
    /// velocity (a holiday, a smaller team); the forecast then uses this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<f64>,
    #[serde(default)]
    pub state: SprintState,
    /// The stories the team committed to when it started.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub committed: Vec<StoryId>,
    /// The points done when it closed: its velocity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<f64>,
}

impl Sprint {
    #[must_use]
    pub fn new(name: impl Into<String>, start: NaiveDate) -> Self {
        Sprint {
            name: name.into(),
            start,
            days: SPRINT_DAYS,
            capacity: None,
            state: SprintState::Planned,
            committed: Vec::new(),
            completed: None,
        }
    }

    /// Its last day.
    #[must_use]
    pub fn end(&self) -> NaiveDate {
        self.start
            .checked_add_days(Days::new(u64::from(self.days.max(1) - 1)))
            .unwrap_or(NaiveDate::MAX)
    }

    /// Whether it shares a day with `other`.
    #[must_use]
    pub fn overlaps(&self, other: &Sprint) -> bool {
        self.start <= other.end() && other.start <= self.end()
    }
}

/// Where a sprint is in its life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SprintState {
    #[default]
    Planned,
    Active,
    Closed,
}

impl SprintState {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            SprintState::Planned => "planned",
            SprintState::Active => "active",
            SprintState::Closed => "closed",
        }
    }
}

impl fmt::Display for SprintState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The velocity of a sprint the backlog did not keep: a team's past
/// sprints, entered by hand (`backlog velocity add 21 --sprint S12`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PastSprint {
    pub sprint: String,
    pub points: f64,
    /// The day it ended, when known: entries are taken in date order,
    /// those without one first, as entered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<NaiveDate>,
}

/// A change of a story's status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub from: Status,
    pub to: Status,
    pub at: DateTime<Utc>,
    /// Not seen happening but guessed: an older file's done story is
    /// taken to have been done when it last changed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub guessed: bool,
}

/// A calendar day as people type it: ISO `YYYY-MM-DD`.
///
/// ```
/// use backlog::model::parse_date;
///
/// assert_eq!(parse_date("2027-01-04").unwrap().to_string(), "2027-01-04");
/// assert!(parse_date("4/1/2027").is_err());
/// ```
///
/// # Errors
/// Anything else, saying which form is accepted.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    shaped
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| {
            format!("{text:?} is not a date: dates are written YYYY-MM-DD, such as 2027-01-04")
        })
}

/// Points as people type them for a capacity or a velocity: a number, 0
/// or more.
///
/// # Errors
/// A negative number or anything not a number, saying so.
pub fn parse_points(text: &str, what: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(points) if points.is_finite() && points >= 0.0 => Ok(points),
        Ok(points) if points < 0.0 => Err(format!(
            "{what} {text} is negative: it is points the team can do, 0 or more"
        )),
        _ => Err(format!("{what} {text:?} is not a number of points")),
    }
}

impl FromStr for SprintState {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        [
            SprintState::Planned,
            SprintState::Active,
            SprintState::Closed,
        ]
        .into_iter()
        .find(|s| s.as_str() == text.trim())
        .ok_or_else(|| {
            format!("unknown sprint state {text:?} (expected planned, active or closed)")
        })
    }
}
