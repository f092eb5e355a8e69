//! `backlog velocity`: the velocity of sprints the backlog did not keep,
//! entered by hand; the history the forecast draws on; and how it counts
//! (how many last sprints the velocity is the mean of, and what an
//! unestimated story counts for).

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use anyhow::{Result, bail};
use chrono::NaiveDate;
use clap::{Args, Subcommand};

use super::{TodayArgs, mean_of_text, sentence, table};
use crate::cli::{count, update};
use crate::forecast::report::{mean_of, velocity_json};
use crate::forecast::{Forecast, Source, trimmed};
use crate::interchange::json;
use crate::model::{Backlog, PastSprint, parse_date, parse_points, same_name};
use crate::store;
use crate::text::one_line;
use crate::words::number;

#[derive(Debug, Subcommand)]
pub enum VelocityCommand {
    /// List each past sprint's velocity, their mean, Cohn's range and
    /// where they come from
    List {
        /// Print JSON (see the README for its fields)
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        today: TodayArgs,
    },
    /// Enter the velocity of a past sprint the backlog did not keep
    Add(VelocityAddArgs),
    /// Forget the velocity entered for a past sprint
    #[command(visible_alias = "rm")]
    Remove {
        /// The past sprint's name
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct VelocityAddArgs {
    /// The points the team completed in that sprint
    #[arg(allow_negative_numbers = true, value_parser = velocity_points)]
    pub points: f64,
    /// The sprint's name, e.g. S12
    #[arg(long, value_name = "NAME")]
    pub sprint: String,
    /// The day it ended: entries are taken in that order (those without
    /// one first, as entered)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub ended: Option<NaiveDate>,
}

fn velocity_points(text: &str) -> Result<f64, String> {
    parse_points(text, "velocity")
}

pub(in crate::cli) fn velocity(
    command: Option<&VelocityCommand>,
    path: &Path,
    out: &mut dyn Write,
) -> Result<()> {
    let Some(command) = command else {
        let today = TodayArgs { today: None };
        return list(&store::load(path)?.backlog, false, today.day(), out);
    };
    match command {
        VelocityCommand::List { json, today } => {
            list(&store::load(path)?.backlog, *json, today.day(), out)
        }
        VelocityCommand::Add(args) => {
            let name = update(path, |b| {
                b.add_past_sprint(PastSprint {
                    sprint: args.sprint.clone(),
                    points: args.points,
                    ended: args.ended,
                })?;
                Ok(args.sprint.trim().to_string())
            })?;
            let ended = args
                .ended
                .map_or_else(String::new, |d| format!(", ended {d}"));
            writeln!(
                out,
                "Entered a velocity of {} points for sprint {}{ended}",
                number(args.points),
                one_line(&name)
            )?;
            Ok(())
        }
        VelocityCommand::Remove { name } => {
            let past = update(path, |b| {
                if !b
                    .product
                    .past_sprints
                    .iter()
                    .any(|p| same_name(&p.sprint, name))
                    && let Some(sprint) = b.product.sprint(name)
                {
                    bail!(
                        "sprint {:?} is one the backlog keeps, not a velocity entered by \
                         hand: change its completed points with `backlog sprint edit NAME \
                         --completed POINTS`, or remove it with `backlog sprint remove NAME`",
                        one_line(&sprint.name)
                    );
                }
                Ok(b.remove_past_sprint(name)?)
            })?;
            writeln!(
                out,
                "Removed the velocity of sprint {} ({} points)",
                one_line(&past.sprint),
                number(past.points)
            )?;
            Ok(())
        }
    }
}

/// Where the velocities come from, in words.
pub(super) fn source_text(forecast: &Forecast, backlog: &Backlog) -> String {
    match forecast.source {
        Source::Sprints => {
            let entered = !backlog.product.past_sprints.is_empty();
            let closed = forecast.history.len() > backlog.product.past_sprints.len();
            match (entered, closed) {
                (true, true) => "closed sprints and velocity entered by hand",
                (true, false) => "velocity entered by hand",
                _ => "closed sprints",
            }
            .to_string()
        }
        Source::DoneDates => format!(
            "no sprint is recorded, so each of the last {} is the points of the stories \
             done in it, by their status history",
            count(
                forecast.history.len(),
                "sprint-long period",
                "sprint-long periods"
            )
        ),
        Source::Nothing => "nothing yet".to_string(),
    }
}

/// The velocity, its range and its source, a line each.
pub(super) fn summary(forecast: &Forecast, backlog: &Backlog) -> String {
    let mut text = String::new();
    let Some(mean) = forecast.velocity else {
        let _ = writeln!(text, "{}.", sentence(forecast.needs().unwrap_or_default()));
        return text;
    };
    let _ = writeln!(
        text,
        "Velocity: {} points a sprint, {}",
        number(mean),
        mean_of_text(mean_of(forecast, backlog))
    );
    if let Some(range) = forecast.range {
        let sprints = forecast.history.len();
        let cut = trimmed(sprints);
        let cut = if cut == 0 {
            "none left out at either end".to_string()
        } else {
            format!("the {cut} lowest and {cut} highest left out")
        };
        let _ = writeln!(
            text,
            "Range: {} to {} points a sprint (Cohn's range over {}, {cut})",
            number(range.low),
            number(range.high),
            count(sprints, "sprint", "sprints")
        );
    }
    let _ = writeln!(text, "From: {}", source_text(forecast, backlog));
    if mean <= 0.0 {
        let _ = writeln!(
            text,
            "At 0 points a sprint the forecast places stories only in sprints given a \
             capacity, until the last {} see some done",
            count(mean_of(forecast, backlog), "sprint", "sprints")
        );
    }
    text
}

fn list(backlog: &Backlog, json: bool, today: NaiveDate, out: &mut dyn Write) -> Result<()> {
    let forecast = Forecast::of(backlog, today);
    if json {
        writeln!(out, "{}", json::pretty(&velocity_json(&forecast, backlog))?)?;
        return Ok(());
    }
    let mut text = summary(&forecast, backlog);
    if !forecast.history.is_empty() {
        let rows: Vec<Vec<String>> = forecast
            .history
            .iter()
            .map(|(name, points)| {
                let past = backlog
                    .product
                    .past_sprints
                    .iter()
                    .find(|p| p.sprint == *name);
                let from = match (forecast.source, past) {
                    (Source::Sprints, Some(past)) => past.ended.map_or_else(
                        || "entered by hand".to_string(),
                        |d| format!("entered by hand, ended {d}"),
                    ),
                    (Source::Sprints, None) => "closed sprint".to_string(),
                    _ => "stories done".to_string(),
                };
                vec![one_line(name).into_owned(), number(*points), from]
            })
            .collect();
        text.push('\n');
        text.push_str(&table(&["Sprint", "Points", "From"], &rows, &[1]));
    }
    out.write_all(text.as_bytes())?;
    Ok(())
}
