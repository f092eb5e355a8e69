//! `backlog sprint`: the team's sprints, from planned through under way
//! to closed, when their completed points become the velocity.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use anyhow::{Result, bail};
use chrono::NaiveDate;
use clap::{Args, Subcommand};

use super::{TodayArgs, capacity, completed, ids, mean_of_text, sprint_named, table};
use crate::cli::{count, note, update, update_if_changed};
use crate::forecast::report::{points_json, sprint_stories};
use crate::forecast::{Forecast, velocity};
use crate::interchange::json;
use crate::model::{
    Backlog, Points, SPRINT_DAYS, Sprint, SprintState, Status, StoryId, parse_date,
};
use crate::store;
use crate::text::one_line;
use crate::words::number;

#[derive(Debug, Subcommand)]
pub enum SprintCommand {
    /// List the sprints: dates, days, state, capacity, the stories
    /// committed and the points completed
    List {
        /// Print JSON (see the README for its fields)
        #[arg(long)]
        json: bool,
    },
    /// Add a sprint; sprints may not overlap
    Add(SprintAddArgs),
    /// Start a sprint: the team commits to the stories the forecast puts
    /// in it, or to those given
    Start(SprintStartArgs),
    /// Close a sprint, recording the points done: its velocity
    Close(SprintCloseArgs),
    /// Change a sprint's name, dates, capacity or completed points
    Edit(SprintEditArgs),
    /// Remove a sprint (a closed one's velocity leaves the history)
    #[command(visible_alias = "rm")]
    Remove {
        /// The sprint's name
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct SprintAddArgs {
    /// The sprint's name, unique in the backlog, e.g. "Sprint 14"
    pub name: String,
    /// Its first day
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub start: NaiveDate,
    /// Its length in calendar days [default: 14]
    #[arg(long, value_name = "N", conflicts_with = "end")]
    pub days: Option<u32>,
    /// Its last day, instead of --days
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub end: Option<NaiveDate>,
    /// The points it can take, when that differs from the velocity (a
    /// holiday, a smaller team) [default: the velocity]
    #[arg(long, value_name = "POINTS", allow_negative_numbers = true, value_parser = capacity)]
    pub capacity: Option<f64>,
}

#[derive(Debug, Args)]
pub struct SprintStartArgs {
    /// The sprint's name
    pub name: String,
    /// The stories committed to, comma- or space-separated [default: the
    /// stories the forecast puts in the sprint]
    #[arg(long, value_name = "IDS", value_delimiter = ',', num_args = 1..)]
    pub commit: Option<Vec<StoryId>>,
    #[command(flatten)]
    pub today: TodayArgs,
}

#[derive(Debug, Args)]
pub struct SprintCloseArgs {
    /// The sprint's name
    pub name: String,
    /// The points done [default: the points of the committed stories done,
    /// or with none committed, of the stories done during the sprint]
    #[arg(long, value_name = "POINTS", allow_negative_numbers = true, value_parser = completed)]
    pub completed: Option<f64>,
}

#[derive(Debug, Args)]
pub struct SprintEditArgs {
    /// The sprint's current name
    pub name: String,
    /// A new name
    #[arg(long = "name", value_name = "NEW")]
    pub new_name: Option<String>,
    /// A new first day; the sprint keeps its length unless --end is given
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub start: Option<NaiveDate>,
    /// A new length in calendar days
    #[arg(long, value_name = "N", conflicts_with = "end")]
    pub days: Option<u32>,
    /// A new last day
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub end: Option<NaiveDate>,
    /// The points it can take
    #[arg(
        long,
        value_name = "POINTS",
        allow_negative_numbers = true,
        value_parser = capacity,
        conflicts_with = "no_capacity"
    )]
    pub capacity: Option<f64>,
    /// Take the velocity as its capacity again
    #[arg(long)]
    pub no_capacity: bool,
    /// The points done, for a closed sprint
    #[arg(long, value_name = "POINTS", allow_negative_numbers = true, value_parser = completed)]
    pub completed: Option<f64>,
}

pub(in crate::cli) fn sprint(
    command: Option<&SprintCommand>,
    path: &Path,
    out: &mut dyn Write,
) -> Result<()> {
    let Some(command) = command else {
        return list(&store::load(path)?.backlog, false, out);
    };
    match command {
        SprintCommand::List { json } => list(&store::load(path)?.backlog, *json, out),
        SprintCommand::Add(args) => add(args, path, out),
        SprintCommand::Start(args) => start(args, path, out),
        SprintCommand::Close(args) => close(args, path, out),
        SprintCommand::Edit(args) => edit(args, path, out),
        SprintCommand::Remove { name } => remove(name, path, out),
    }
}

/// The length of a sprint from `start` given as `--days` or `--end`;
/// none when neither is given.
fn length(
    name: &str,
    start: NaiveDate,
    days: Option<u32>,
    end: Option<NaiveDate>,
) -> Result<Option<u32>> {
    if days == Some(0) {
        bail!("--days 0: a sprint is at least one day long");
    }
    let Some(end) = end else {
        return Ok(days);
    };
    if end < start {
        bail!(
            "sprint {:?} would end on {end}, before it starts on {start}: --end is its last \
             day, on or after its first",
            one_line(name)
        );
    }
    let days = u32::try_from((end - start).num_days() + 1)
        .map_err(|_| anyhow::anyhow!("sprint {:?} is far too long", one_line(name)))?;
    Ok(Some(days))
}

/// `2027-01-04 to 2027-01-17 (14 days)`.
fn span(sprint: &Sprint) -> String {
    format!(
        "{} to {} ({})",
        sprint.start,
        sprint.end(),
        count(sprint.days as usize, "day", "days")
    )
}

fn capacity_text(capacity: Option<f64>) -> String {
    capacity.map_or_else(
        || "capacity from the velocity".to_string(),
        |c| format!("capacity {}", number(c)),
    )
}

fn add(args: &SprintAddArgs, path: &Path, out: &mut dyn Write) -> Result<()> {
    let days = length(&args.name, args.start, args.days, args.end)?.unwrap_or(SPRINT_DAYS);
    let sprint = update(path, |b| {
        let mut sprint = Sprint::new(args.name.clone(), args.start);
        sprint.days = days;
        sprint.capacity = args.capacity;
        b.add_sprint(sprint)?;
        Ok(b.product
            .sprint(args.name.trim())
            .cloned()
            .expect("a sprint just added is there"))
    })?;
    writeln!(
        out,
        "Added sprint {}: {}, {}",
        one_line(&sprint.name),
        span(&sprint),
        capacity_text(sprint.capacity)
    )?;
    Ok(())
}

/// The points of `ids`' estimates.
fn points_of(backlog: &Backlog, ids: &[StoryId]) -> f64 {
    // From 0.0: an empty f64 sum is -0.0.
    ids.iter()
        .filter_map(|id| backlog.get(*id)?.points)
        .map(Points::value)
        .fold(0.0, |a, b| a + b)
}

fn start(args: &SprintStartArgs, path: &Path, out: &mut dyn Write) -> Result<()> {
    let today = args.today.day();
    // Why the forecast committed to nothing, when it did.
    let mut empty_because = None;
    let (sprint, points) = update(path, |b| {
        let name = sprint_named(b, &args.name)?;
        let committed = if let Some(ids) = &args.commit {
            ids.clone()
        } else {
            let forecast = Forecast::of(b, today);
            let ids: Vec<StoryId> = forecast
                .sprints
                .iter()
                .find(|s| s.state.is_some() && s.name == name)
                .map(|s| sprint_stories(&forecast, b, s).map(|s| s.id).collect())
                .unwrap_or_default();
            if ids.is_empty() {
                empty_because = Some(forecast.needs().map_or_else(
                    || "the forecast puts no story in it".to_string(),
                    |needs| format!("the forecast has {needs}"),
                ));
            }
            ids
        };
        b.start_sprint(&name, &committed)?;
        let sprint = b
            .product
            .sprint(&name)
            .cloned()
            .expect("the sprint started");
        let points = points_of(b, &sprint.committed);
        Ok((sprint, points))
    })?;
    let name = one_line(&sprint.name);
    if sprint.committed.is_empty() {
        writeln!(
            out,
            "Started sprint {name}, {}, with nothing committed",
            span(&sprint)
        )?;
        if let Some(why) = empty_because {
            note(&format!(
                "{why}; give the stories with `backlog sprint start NAME --commit IDS`"
            ));
        }
        return Ok(());
    }
    let whose = if args.commit.is_some() {
        ""
    } else {
        ", the stories the forecast puts in it"
    };
    writeln!(
        out,
        "Started sprint {name}, {}, with {} committed ({} points){whose}: {}",
        span(&sprint),
        count(sprint.committed.len(), "story", "stories"),
        number(points),
        ids(&sprint.committed, usize::MAX)
    )?;
    Ok(())
}

fn close(args: &SprintCloseArgs, path: &Path, out: &mut dyn Write) -> Result<()> {
    let (sprint, points, taken, velocities, last) = update(path, |b| {
        let name = sprint_named(b, &args.name)?;
        let before = b
            .product
            .sprint(&name)
            .cloned()
            .expect("the sprint is there");
        let taken = match args.completed {
            Some(_) => ", as given".to_string(),
            None => taken_from(b, &before),
        };
        let points = b.close_sprint(&name, args.completed)?;
        let velocities: Vec<f64> = b.velocities().into_iter().map(|(_, p)| p).collect();
        let last = b.product.settings.plan.velocity_sprints;
        Ok((before, points, taken, velocities, last))
    })?;
    writeln!(
        out,
        "Closed sprint {} with {} points done{taken}",
        one_line(&sprint.name),
        number(points)
    )?;
    if let Some(mean) = velocity(&velocities, last) {
        let of = velocities.len().min(last.max(1));
        writeln!(
            out,
            "The velocity is now {} points a sprint, {}",
            number(mean),
            mean_of_text(of)
        )?;
    }
    Ok(())
}

/// What [`Backlog::points_done_in`] takes for `sprint`, in words, to
/// follow "with 21 points done".
fn taken_from(backlog: &Backlog, sprint: &Sprint) -> String {
    let is_done = |id: &StoryId| backlog.get(*id).is_some_and(|s| s.status == Status::Done);
    if !sprint.committed.is_empty() {
        let (done, not): (Vec<StoryId>, Vec<StoryId>) =
            sprint.committed.iter().partition(|id| is_done(id));
        let committed = count(sprint.committed.len(), "story", "stories");
        if done.is_empty() {
            return format!(
                ": none of the {committed} committed to it is done ({})",
                ids(&not, usize::MAX)
            );
        }
        let mut text = format!(
            ": the points of the {} done of the {committed} committed to it ({})",
            done.len(),
            ids(&done, usize::MAX)
        );
        if !not.is_empty() {
            let _ = write!(text, "; not done: {}", ids(&not, usize::MAX));
        }
        return text;
    }
    let within = |day: NaiveDate| sprint.start <= day && day <= sprint.end();
    let done: Vec<StoryId> = backlog
        .ranked()
        .filter(|s| s.done_at().is_some_and(|at| within(at.date_naive())))
        .map(|s| s.id)
        .collect();
    let from = format!("from {} to {}", sprint.start, sprint.end());
    if done.is_empty() {
        format!(": no story was committed to it, and none was done {from}")
    } else {
        format!(
            ": the points of the {} done {from}, as none was committed to it ({})",
            count(done.len(), "story", "stories"),
            ids(&done, usize::MAX)
        )
    }
}

fn edit(args: &SprintEditArgs, path: &Path, out: &mut dyn Write) -> Result<()> {
    if args.new_name.is_none()
        && args.start.is_none()
        && args.days.is_none()
        && args.end.is_none()
        && args.capacity.is_none()
        && !args.no_capacity
        && args.completed.is_none()
    {
        bail!(
            "nothing to change: give --name, --start, --days, --end, --capacity, \
             --no-capacity or --completed"
        );
    }
    let mut unchanged = String::new();
    let changed = update_if_changed(path, |b| {
        let name = sprint_named(b, &args.name)?;
        let before = b
            .product
            .sprint(&name)
            .cloned()
            .expect("the sprint is there");
        let mut sprint = before.clone();
        if let Some(new) = &args.new_name {
            sprint.name = new.trim().to_string();
        }
        if let Some(start) = args.start {
            sprint.start = start;
        }
        if let Some(days) = length(&sprint.name, sprint.start, args.days, args.end)? {
            sprint.days = days;
        }
        if let Some(capacity) = args.capacity {
            sprint.capacity = Some(capacity);
        }
        if args.no_capacity {
            sprint.capacity = None;
        }
        if let Some(points) = args.completed {
            if sprint.state != SprintState::Closed {
                bail!(
                    "sprint {:?} is {}: its completed points are recorded when it closes \
                     (`backlog sprint close NAME --completed POINTS`)",
                    one_line(&sprint.name),
                    sprint.state
                );
            }
            sprint.completed = Some(points);
        }
        let new_name = sprint.name.clone();
        b.update_sprint(&name, sprint)?;
        let after = b
            .product
            .sprint(&new_name)
            .cloned()
            .expect("the sprint changed is there");
        if after == before {
            unchanged = after.name;
            return Ok(None);
        }
        Ok(Some(after))
    })?;
    match changed {
        Some(sprint) => {
            let mut text = format!(
                "Updated sprint {}: {}, {}",
                one_line(&sprint.name),
                span(&sprint),
                capacity_text(sprint.capacity)
            );
            if let Some(points) = sprint.completed {
                let _ = write!(text, ", {} points completed", number(points));
            }
            writeln!(out, "{text}")?;
        }
        None => writeln!(out, "No change to sprint {}", one_line(&unchanged))?,
    }
    Ok(())
}

fn remove(name: &str, path: &Path, out: &mut dyn Write) -> Result<()> {
    let sprint = update(path, |b| {
        let name = sprint_named(b, name)?;
        Ok(b.remove_sprint(&name)?)
    })?;
    let mut text = format!("Removed sprint {}", one_line(&sprint.name));
    if let (SprintState::Closed, Some(points)) = (sprint.state, sprint.completed) {
        let _ = write!(
            text,
            "; its velocity, {} points, leaves the history",
            number(points)
        );
    }
    writeln!(out, "{text}")?;
    Ok(())
}

fn list(backlog: &Backlog, json: bool, out: &mut dyn Write) -> Result<()> {
    let sprints = &backlog.product.sprints;
    if json {
        let rows: Vec<serde_json::Value> = sprints
            .iter()
            .map(|s| {
                serde_json::json!({
                    "name": s.name,
                    "start": s.start.to_string(),
                    "end": s.end().to_string(),
                    "days": s.days,
                    "state": s.state,
                    "capacity": s.capacity.map(points_json),
                    "committed": s.committed,
                    "committed_points": points_json(points_of(backlog, &s.committed)),
                    "completed": s.completed.map(points_json),
                })
            })
            .collect();
        writeln!(out, "{}", json::pretty(&rows)?)?;
        return Ok(());
    }
    if sprints.is_empty() {
        writeln!(
            out,
            "No sprints yet: add one with `backlog sprint add NAME --start YYYY-MM-DD`."
        )?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = sprints
        .iter()
        .map(|s| {
            let committed = if s.committed.is_empty() {
                "-".to_string()
            } else {
                format!(
                    "{}, {} points",
                    count(s.committed.len(), "story", "stories"),
                    number(points_of(backlog, &s.committed))
                )
            };
            vec![
                one_line(&s.name).into_owned(),
                s.start.to_string(),
                s.end().to_string(),
                s.days.to_string(),
                s.state.to_string(),
                s.capacity.map_or_else(|| "velocity".into(), number),
                committed,
                s.completed.map_or_else(|| "-".into(), number),
            ]
        })
        .collect();
    let header = [
        "Sprint",
        "Start",
        "End",
        "Days",
        "State",
        "Capacity",
        "Committed",
        "Completed",
    ];
    let mut text = table(&header, &rows, &[3, 5, 7]);
    let history = backlog.velocities();
    if history.is_empty() {
        text.push_str("\nNo velocity yet: close a sprint to record one.\n");
    } else {
        let last = backlog.product.settings.plan.velocity_sprints;
        let points: Vec<f64> = history.iter().map(|(_, p)| *p).collect();
        if let Some(mean) = velocity(&points, last) {
            let _ = writeln!(
                text,
                "\nVelocity: {} points a sprint, {}",
                number(mean),
                mean_of_text(points.len().min(last.max(1)))
            );
        }
    }
    out.write_all(text.as_bytes())?;
    Ok(())
}
