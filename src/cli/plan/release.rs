//! `backlog release`: releases, each with a target date and a scope,
//! either everything ranked above its line in the backlog or the stories
//! assigned to it (by hand, and through the epics that target it).

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use anyhow::{Result, bail};
use chrono::NaiveDate;
use clap::{ArgGroup, Args, Subcommand};

use super::{TodayArgs, ids, listed, release_named};
use crate::cli::{count, note, update, update_if_changed};
use crate::forecast::Forecast;
use crate::forecast::report::release_json;
use crate::interchange::json;
use crate::model::{Backlog, Release, StoryId, parse_date};
use crate::store;
use crate::text::one_line;

#[derive(Debug, Subcommand)]
pub enum ReleaseCommand {
    /// List the releases: target date, scope, points, done, the forecast
    /// range and whether each is on track
    List {
        /// Print JSON (see the README for its fields)
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        today: TodayArgs,
    },
    /// Add a release with its target date
    Add(ReleaseAddArgs),
    /// Rename a release or move its target date
    Edit(ReleaseEditArgs),
    /// Place, move or remove a release's line in the backlog: the stories
    /// ranked above it are the release
    Line(ReleaseLineArgs),
    /// Assign stories to a release (taking them from any other)
    Assign {
        /// The release's name
        name: String,
        /// The stories, e.g. S-3 S-7
        #[arg(required = true, value_name = "IDS")]
        ids: Vec<StoryId>,
    },
    /// Take stories out of the release they are assigned to
    Unassign {
        /// The stories, e.g. S-3 S-7
        #[arg(required = true, value_name = "IDS")]
        ids: Vec<StoryId>,
    },
    /// Remove a release; epics that target it target none
    #[command(visible_alias = "rm")]
    Remove {
        /// The release's name
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct ReleaseAddArgs {
    /// The release's name, unique in the backlog, e.g. 2.0 or "Spring launch"
    pub name: String,
    /// The day it should ship (needed)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// Give it a line just under this story: it and every story above it
    /// are the release
    #[arg(long, value_name = "ID", conflicts_with = "line_at")]
    pub line_after: Option<StoryId>,
    /// Give it a line under the first N stories (0: at the top)
    #[arg(long, value_name = "N")]
    pub line_at: Option<usize>,
}

#[derive(Debug, Args)]
pub struct ReleaseEditArgs {
    /// The release's current name
    pub name: String,
    /// A new name; the epics that target it follow
    #[arg(long = "name", value_name = "NEW")]
    pub new_name: Option<String>,
    /// A new target date
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("place").required(true).args(["after", "at", "top", "remove"])))]
pub struct ReleaseLineArgs {
    /// The release's name
    pub name: String,
    /// Put the line just under this story
    #[arg(long, value_name = "ID")]
    pub after: Option<StoryId>,
    /// Put the line under the first N stories (0: at the top)
    #[arg(long, value_name = "N")]
    pub at: Option<usize>,
    /// Put the line at the top: no story above it
    #[arg(long)]
    pub top: bool,
    /// Take the line away: the release is then the stories assigned to it
    #[arg(long)]
    pub remove: bool,
}

pub(in crate::cli) fn release(
    command: Option<&ReleaseCommand>,
    path: &Path,
    out: &mut dyn Write,
) -> Result<()> {
    let Some(command) = command else {
        let today = TodayArgs { today: None };
        return list(&store::load(path)?.backlog, false, today.day(), out);
    };
    match command {
        ReleaseCommand::List { json, today } => {
            list(&store::load(path)?.backlog, *json, today.day(), out)
        }
        ReleaseCommand::Add(args) => add(args, path, out),
        ReleaseCommand::Edit(args) => edit(args, path, out),
        ReleaseCommand::Line(args) => line(args, path, out),
        ReleaseCommand::Assign { name, ids } => assign(name, ids, path, out),
        ReleaseCommand::Unassign { ids } => unassign(ids, path, out),
        ReleaseCommand::Remove { name } => remove(name, path, out),
    }
}

/// Where a line goes: under the first this many stories.
fn above(backlog: &Backlog, after: Option<StoryId>, at: Option<usize>) -> Result<Option<usize>> {
    if let Some(id) = after {
        return Ok(Some(backlog.position(id)? + 1));
    }
    if let Some(n) = at
        && n > backlog.len()
    {
        bail!(
            "--at {n}: the backlog has {}, so a line goes under 0 to {} of them",
            count(backlog.len(), "story", "stories"),
            backlog.len()
        );
    }
    Ok(at)
}

/// Where release `name`'s line sits now, in words.
fn line_text(backlog: &Backlog, name: &str) -> String {
    let release = backlog.product.release(name).expect("the release is there");
    let Some(line) = &release.line else {
        return "it has no line".to_string();
    };
    let above = backlog.above_line(line);
    match above.checked_sub(1).and_then(|p| backlog.at(p)) {
        None => "its line is at the top: no story is above it".to_string(),
        Some(story) => format!(
            "its line is under {}: the {} ranked above it {} the release",
            story.id,
            count(above, "story", "stories"),
            if above == 1 { "is" } else { "are" }
        ),
    }
}

/// A note when release `name` has a line but also stories assigned to it
/// (by hand or through its epics): they count only without the line.
fn note_assigned_under_line(backlog: &Backlog, name: &str) {
    let release = backlog.product.release(name).expect("the release is there");
    let assigned = backlog.assigned_to(release);
    if release.line.is_some() && !assigned.is_empty() {
        note(&format!(
            "release {} is what is ranked above its line; what is assigned to it ({}, by hand \
             or through its epics) counts only without one (`backlog release line NAME \
             --remove`)",
            one_line(&release.name),
            count(assigned.len(), "story", "stories")
        ));
    }
}

fn add(args: &ReleaseAddArgs, path: &Path, out: &mut dyn Write) -> Result<()> {
    let Some(date) = args.date else {
        bail!(
            "release {:?} needs a target date: give the day it should ship with --date \
             YYYY-MM-DD, e.g. `backlog release add {} --date 2027-03-31`",
            one_line(args.name.trim()),
            shell_words::quote(args.name.trim())
        );
    };
    let (name, line) = update(path, |b| {
        b.add_release(Release::new(args.name.clone(), Some(date)))?;
        let name = args.name.trim().to_string();
        let line = match above(b, args.line_after, args.line_at)? {
            Some(above) => {
                b.place_line(&name, above)?;
                Some(line_text(b, &name))
            }
            None => None,
        };
        Ok((name, line))
    })?;
    let name = one_line(&name);
    if let Some(line) = line {
        writeln!(out, "Added release {name}, target {date}; {line}")?;
        return Ok(());
    }
    writeln!(out, "Added release {name}, target {date}")?;
    note(&format!(
        "give it stories with `backlog release assign {0} IDS`, an epic with \
         `backlog epic edit EPIC --release {0}`, or a line in the backlog with \
         `backlog release line {0} --after ID`",
        shell_words::quote(&name)
    ));
    Ok(())
}

fn edit(args: &ReleaseEditArgs, path: &Path, out: &mut dyn Write) -> Result<()> {
    if args.new_name.is_none() && args.date.is_none() {
        bail!("nothing to change: give --name or --date");
    }
    let mut unchanged = String::new();
    let changed = update_if_changed(path, |b| {
        let name = release_named(b, &args.name)?;
        let before = b
            .product
            .release(&name)
            .cloned()
            .expect("the release is there");
        let mut release = before.clone();
        if let Some(new) = &args.new_name {
            release.name = new.trim().to_string();
        }
        if args.date.is_some() {
            release.date = args.date;
        }
        let epics: Vec<String> = b
            .product
            .epics_targeting(&name)
            .map(|e| e.name.clone())
            .collect();
        let new_name = release.name.trim().to_string();
        b.update_release(&name, release)?;
        let after = b
            .product
            .release(&new_name)
            .cloned()
            .expect("the release is there");
        if after == before {
            unchanged = after.name;
            return Ok(None);
        }
        let renamed = if after.name == before.name {
            Vec::new()
        } else {
            epics
        };
        Ok(Some((after, renamed)))
    })?;
    let Some((release, epics)) = changed else {
        writeln!(out, "No change to release {}", one_line(&unchanged))?;
        return Ok(());
    };
    let date = release
        .date
        .map_or_else(|| "no target date".to_string(), |d| format!("target {d}"));
    writeln!(out, "Updated release {}, {date}", one_line(&release.name))?;
    if !epics.is_empty() {
        let names: Vec<&str> = epics.iter().map(String::as_str).collect();
        let one = names.len() == 1;
        writeln!(
            out,
            "{} {} {} it by its new name",
            if one { "Epic" } else { "Epics" },
            listed(&names),
            if one { "targets" } else { "target" }
        )?;
    }
    Ok(())
}

fn line(args: &ReleaseLineArgs, path: &Path, out: &mut dyn Write) -> Result<()> {
    let (name, text) = update(path, |b| {
        let name = release_named(b, &args.name)?;
        if args.remove {
            if b.product.release(&name).is_some_and(|r| r.line.is_none()) {
                bail!("release {:?} has no line to remove", one_line(&name));
            }
            b.remove_line(&name)?;
            let release = b.product.release(&name).expect("the release is there");
            let assigned = b.assigned_to(release).len();
            return Ok((
                name,
                format!(
                    "its line is gone: the release is the {} assigned to it",
                    count(assigned, "story", "stories")
                ),
            ));
        }
        let above = if args.top {
            0
        } else {
            above(b, args.after, args.at)?.expect("clap asks for one place")
        };
        b.place_line(&name, above)?;
        Ok((name.clone(), line_text(b, &name)))
    })?;
    writeln!(out, "Release {}: {text}", one_line(&name))?;
    if !args.remove {
        note_assigned_under_line(&store::load(path)?.backlog, &name);
    }
    Ok(())
}

/// The releases each of `ids` is in, by hand or through its epic, as
/// `S-3 (1.0, through its epic Booking)`.
fn still_in(backlog: &Backlog, ids: &[StoryId]) -> Vec<String> {
    let mut found = Vec::new();
    for &id in ids {
        let Some(story) = backlog.get(id) else {
            continue;
        };
        for release in &backlog.product.releases {
            if release.line.is_none() && backlog.assigned_to(release).contains(&id) {
                let epic = story.epic.as_deref().unwrap_or_default();
                found.push(format!(
                    "{id} is still in release {} through its epic {}",
                    one_line(&release.name),
                    one_line(epic)
                ));
            }
        }
    }
    found
}

fn assign(name: &str, stories: &[StoryId], path: &Path, out: &mut dyn Write) -> Result<()> {
    let mut unchanged = String::new();
    let changed = update_if_changed(path, |b| {
        let name = release_named(b, name)?;
        let release = b.product.release(&name).expect("the release is there");
        // Assigning again would only move them to the end of its list.
        if stories.iter().all(|id| release.stories.contains(id)) {
            unchanged = name;
            return Ok(None);
        }
        b.assign_release(stories, Some(&name))?;
        Ok(Some(name))
    })?;
    let Some(name) = changed else {
        writeln!(
            out,
            "No change: {} assigned to release {} already",
            if stories.len() == 1 {
                "it is"
            } else {
                "they are"
            },
            one_line(&unchanged)
        )?;
        return Ok(());
    };
    writeln!(
        out,
        "Assigned {} to release {}",
        ids(stories, usize::MAX),
        one_line(&name)
    )?;
    note_assigned_under_line(&store::load(path)?.backlog, &name);
    Ok(())
}

fn unassign(stories: &[StoryId], path: &Path, out: &mut dyn Write) -> Result<()> {
    let mut still = Vec::new();
    let changed = update_if_changed(path, |b| {
        let before = b.product.releases.clone();
        b.assign_release(stories, None)?;
        still = still_in(b, stories);
        Ok((b.product.releases != before).then_some(()))
    })?;
    let ids = ids(stories, usize::MAX);
    match changed {
        Some(()) => writeln!(out, "Unassigned {ids}: no release has them by hand now")?,
        None => writeln!(out, "No change: no release has {ids} by hand")?,
    }
    for line in still {
        note(&line);
    }
    Ok(())
}

fn remove(name: &str, path: &Path, out: &mut dyn Write) -> Result<()> {
    let (release, epics) = update(path, |b| {
        let name = release_named(b, name)?;
        let epics: Vec<String> = b
            .product
            .epics_targeting(&name)
            .map(|e| e.name.clone())
            .collect();
        Ok((b.remove_release(&name)?, epics))
    })?;
    write!(out, "Removed release {}", one_line(&release.name))?;
    if epics.is_empty() {
        writeln!(out)?;
    } else {
        let names: Vec<&str> = epics.iter().map(String::as_str).collect();
        let one = names.len() == 1;
        writeln!(
            out,
            "; {} {} {} no release now",
            if one { "epic" } else { "epics" },
            listed(&names),
            if one { "targets" } else { "target" },
        )?;
    }
    Ok(())
}

fn list(backlog: &Backlog, json: bool, today: NaiveDate, out: &mut dyn Write) -> Result<()> {
    let forecast = Forecast::of(backlog, today);
    if json {
        let rows: Vec<serde_json::Value> = forecast
            .releases
            .iter()
            .map(|r| release_json(&forecast, backlog, r, None))
            .collect();
        writeln!(out, "{}", json::pretty(&rows)?)?;
        return Ok(());
    }
    if forecast.releases.is_empty() {
        writeln!(
            out,
            "No releases yet: add one with `backlog release add NAME --date YYYY-MM-DD`."
        )?;
        return Ok(());
    }
    let mut text = String::new();
    for (r, release) in forecast.releases.iter().enumerate() {
        if r > 0 {
            text.push('\n');
        }
        text.push_str(&super::forecast::release_text(
            &forecast, backlog, release, None,
        ));
    }
    if let Some(needs) = forecast.needs() {
        let _ = write!(text, "\nNo forecast: {needs}.\n");
    }
    out.write_all(text.as_bytes())?;
    Ok(())
}
