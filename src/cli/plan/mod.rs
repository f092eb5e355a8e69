//! The release plan from the command line: the team's sprints, releases
//! and their scope, velocity, the forecast, and the roadmap document.
//!
//! - `sprint`: add, start, close, change, remove and list sprints
//! - `release`: releases, their lines in the ranking, stories assigned
//! - `velocity`: velocity entered by hand, the history, how it counts
//! - `forecast`: the forecast as text (its JSON is
//!   [`crate::forecast::report::to_json`], which the roadmap pane reads too)
//! - `roadmap`: the roadmap document, in Markdown or JSON

mod forecast;
mod release;
mod roadmap;
mod sprint;
mod velocity;

use std::fmt::Write as _;

use chrono::{Local, NaiveDate};
use clap::Args;

pub use forecast::ForecastArgs;
pub(super) use forecast::forecast;
pub(super) use release::release;
pub use release::{ReleaseAddArgs, ReleaseCommand, ReleaseEditArgs, ReleaseLineArgs};
pub(super) use roadmap::roadmap;
pub use roadmap::{RoadmapArgs, RoadmapFormat};
pub(super) use sprint::sprint;
pub use sprint::{SprintAddArgs, SprintCloseArgs, SprintCommand, SprintEditArgs, SprintStartArgs};
pub(super) use velocity::velocity;
pub use velocity::{VelocityAddArgs, VelocityCommand};

use crate::model::{Backlog, ModelError, parse_points};
use crate::text::one_line;

/// The day a forecast is made on, for the commands that forecast.
#[derive(Debug, Args)]
pub struct TodayArgs {
    /// Forecast as on this day, YYYY-MM-DD, for scripts and tests
    /// [default: today]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::model::parse_date)]
    pub today: Option<NaiveDate>,
}

impl TodayArgs {
    /// The day given, else the local date today: sprints and releases are
    /// planned in the team's calendar days, not UTC's.
    fn day(&self) -> NaiveDate {
        self.today.unwrap_or_else(|| Local::now().date_naive())
    }
}

/// `--capacity` as typed: points, 0 or more.
fn capacity(text: &str) -> Result<f64, String> {
    parse_points(text, "capacity")
}

/// `--completed` as typed: points, 0 or more.
fn completed(text: &str) -> Result<f64, String> {
    parse_points(text, "completed")
}

/// A sprint's name as the backlog spells it, or an error that lists the
/// sprints there are (or says how to add one).
fn sprint_named(backlog: &Backlog, name: &str) -> Result<String, ModelError> {
    if let Some(sprint) = backlog.product.sprint(name) {
        return Ok(sprint.name.clone());
    }
    let names: Vec<&str> = backlog
        .product
        .sprints
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    Err(ModelError::Plan(if names.is_empty() {
        format!(
            "no sprint {:?}: there are no sprints yet; add one with \
             `backlog sprint add NAME --start YYYY-MM-DD`",
            one_line(name)
        )
    } else {
        format!(
            "no sprint {:?} (the sprints are {})",
            one_line(name),
            listed(&names)
        )
    }))
}

/// A release's name as the backlog spells it, or an error that lists the
/// releases there are (or says how to add one).
fn release_named(backlog: &Backlog, name: &str) -> Result<String, ModelError> {
    if let Some(release) = backlog.product.release(name) {
        return Ok(release.name.clone());
    }
    let names: Vec<&str> = backlog
        .product
        .releases
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    Err(ModelError::Plan(if names.is_empty() {
        format!(
            "no release {:?}: there are no releases yet; add one with \
             `backlog release add NAME --date YYYY-MM-DD`",
            one_line(name)
        )
    } else {
        format!(
            "no release {:?} (the releases are {})",
            one_line(name),
            listed(&names)
        )
    }))
}

/// Names for a sentence: `A, B and C`, each on one line.
fn listed(names: &[&str]) -> String {
    let names: Vec<String> = names.iter().map(|n| one_line(n).into_owned()).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// Story ids for a sentence, the first `most` of them and how many more.
fn ids(ids: &[crate::model::StoryId], most: usize) -> String {
    let shown: Vec<String> = ids.iter().take(most).map(ToString::to_string).collect();
    let mut text = shown.join(", ");
    if ids.len() > most {
        let _ = write!(text, " and {} more", ids.len() - most);
    }
    text
}

/// Rows in columns two spaces apart, under a header: the columns in
/// `right` (numbers) aligned right, the rest left; no trailing spaces.
fn table(header: &[&str], rows: &[Vec<String>], right: &[usize]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::new();
        for (i, (cell, width)) in cells.zip(&widths).enumerate() {
            let pad = " ".repeat(width - cell.chars().count());
            if i > 0 {
                text.push_str("  ");
            }
            if right.contains(&i) {
                text.push_str(&pad);
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.push_str(&pad);
            }
        }
        let mut text = text.trim_end().to_string();
        text.push('\n');
        text
    };
    let mut text = line(&mut header.iter().copied());
    for row in rows {
        text.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    text
}

/// `text` with its first letter a capital, to start a sentence.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// What the velocity is the mean of: `the mean of the last 3 sprints`,
/// or with one, `the last sprint's`.
fn mean_of_text(sprints: usize) -> String {
    if sprints == 1 {
        "the last sprint's".to_string()
    } else {
        format!("the mean of the last {sprints} sprints")
    }
}
