//! `backlog roadmap`: a roadmap document to paste into a wiki, for
//! talking to stakeholders: the product's vision and goals, the releases
//! against their forecast, the coming sprints with their stories, and
//! now / next / later by epic.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use anyhow::Result;
use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use super::TodayArgs;
use super::forecast::landing_text;
use crate::cli::count;
use crate::forecast::lanes::{EpicProgress, Lanes};
use crate::forecast::report::{self, points_json, sprint_stories};
use crate::forecast::{Coming, Forecast, Landing, ReleaseForecast, Scope, Track, Unestimated};
use crate::interchange::json;
use crate::model::{Backlog, SprintState};
use crate::store;
use crate::text::{multi_line, one_line};
use crate::words::number;

/// What `backlog roadmap` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RoadmapFormat {
    /// A Markdown document
    Markdown,
    /// JSON: the product, the forecast as `forecast --json` gives it, and
    /// the lanes
    Json,
}

/// `backlog roadmap`.
#[derive(Debug, Args)]
pub struct RoadmapArgs {
    /// markdown (a document to paste into a wiki) or json
    #[arg(long, value_name = "FORMAT", default_value = "markdown")]
    pub format: RoadmapFormat,
    #[command(flatten)]
    pub today: TodayArgs,
}

pub(in crate::cli) fn roadmap(args: &RoadmapArgs, path: &Path, out: &mut dyn Write) -> Result<()> {
    let backlog = store::load(path)?.backlog;
    let forecast = Forecast::of(&backlog, args.today.day());
    let lanes = Lanes::of(&backlog, &forecast);
    match args.format {
        RoadmapFormat::Json => {
            let product = &backlog.product;
            let value = json!({
                "product": product.name,
                "vision": product.vision,
                "goals": product.goals,
                "forecast": report::to_json(&forecast, &backlog, None),
                "lanes": {
                    "now": lane_json(&lanes.now),
                    "next": lane_json(&lanes.next),
                    "later": lane_json(&lanes.later),
                    "done": lane_json(&lanes.done),
                },
            });
            writeln!(out, "{}", json::pretty(&value)?)?;
        }
        RoadmapFormat::Markdown => {
            out.write_all(markdown(&forecast, &backlog, &lanes).as_bytes())?;
        }
    }
    Ok(())
}

fn lane_json(lane: &[EpicProgress]) -> Value {
    lane.iter()
        .map(|e| json!({"epic": e.name, "done": points_json(e.done), "points": points_json(e.points)}))
        .collect()
}

/// Text as Markdown shows it literally: on one line, with the characters
/// that would format it (emphasis, links, code, a table's bars, HTML)
/// escaped.
fn md(text: &str) -> String {
    let mut escaped = String::new();
    for c in one_line(text).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#'
        ) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// When a release lands: at the mean velocity, and between the high
/// velocity's landing and the low's: `Sprint 8 (2027-02-28); between
/// Sprint 7 (2027-02-14) and Sprint 9 (2027-03-14)`.
fn range_text(forecast: &Forecast, backlog: &Backlog, release: &ReleaseForecast) -> String {
    if forecast.velocity.is_none() && release.mean != Landing::Done {
        return "unknown".to_string();
    }
    let at = |landing: Landing| landing_text(forecast, backlog, landing);
    let mean = at(release.mean);
    if release.low == release.high {
        return mean;
    }
    match (release.high, release.low) {
        (_, Landing::Beyond) if release.high == release.mean => {
            format!("{mean}, at worst beyond the horizon")
        }
        (high, Landing::Beyond) => format!("{mean}; from {} at the earliest", at(high)),
        (_, low) if release.high == release.mean => format!("{mean}, at worst {}", at(low)),
        (high, _) if release.low == release.mean => format!("{mean}, at best {}", at(high)),
        (high, low) => format!("{mean}; between {} and {}", at(high), at(low)),
    }
}

/// The coming sprints the roadmap lists: as far as the last release
/// lands at the mean velocity (all of them when none lands in one), and
/// at least those the team recorded.
fn sprints_shown(forecast: &Forecast) -> usize {
    let recorded = forecast
        .sprints
        .iter()
        .filter(|s| s.state.is_some())
        .count();
    let last_release = forecast
        .releases
        .iter()
        .filter_map(|r| match r.mean {
            Landing::Sprint(k) => Some(k + 1),
            _ => None,
        })
        .max();
    last_release
        .unwrap_or(forecast.sprints.len())
        .max(recorded)
        .min(forecast.sprints.len())
}

fn markdown(forecast: &Forecast, backlog: &Backlog, lanes: &Lanes) -> String {
    let product = &backlog.product;
    let mut text = if product.name.trim().is_empty() {
        "# Roadmap\n\n".to_string()
    } else {
        format!("# {} roadmap\n\n", md(&product.name))
    };
    match (forecast.velocity, forecast.range) {
        (Some(velocity), Some(range)) => {
            let _ = writeln!(
                text,
                "Forecast on {} from a velocity of {} points a sprint (between {} and {}).\n",
                forecast.today,
                number(velocity),
                number(range.low),
                number(range.high)
            );
        }
        _ => {
            let _ = writeln!(
                text,
                "Forecast on {}: {}.\n",
                forecast.today,
                forecast.needs().unwrap_or_default()
            );
        }
    }
    if !product.vision.trim().is_empty() {
        let vision: Vec<String> = multi_line(&product.vision).lines().map(md).collect();
        let _ = writeln!(text, "## Vision\n\n{}\n", vision.join("\n"));
    }
    if !product.goals.is_empty() {
        text.push_str("## Goals\n\n");
        for (i, goal) in product.goals.iter().enumerate() {
            let _ = writeln!(text, "{}. {}", i + 1, md(goal));
        }
        text.push('\n');
    }
    releases_markdown(&mut text, forecast, backlog);
    sprints_markdown(&mut text, forecast, backlog);
    text.push_str("## Now, next, later\n\n");
    if product.epics.is_empty() {
        text.push_str("No epics yet: the lanes show the work by epic.\n");
    }
    for (heading, lane) in [
        ("Now", &lanes.now),
        ("Next", &lanes.next),
        ("Later", &lanes.later),
        ("Done", &lanes.done),
    ] {
        if lane.is_empty() && (heading == "Done" || product.epics.is_empty()) {
            continue;
        }
        let _ = writeln!(text, "### {heading}\n");
        if lane.is_empty() {
            text.push_str("Nothing here.\n\n");
            continue;
        }
        for epic in lane {
            let _ = writeln!(
                text,
                "- **{}**: {} of {} points done{}",
                md(&epic.name),
                number(epic.done),
                number(epic.points),
                percent(epic)
            );
        }
        text.push('\n');
    }
    let trimmed = text.trim_end().len();
    text.truncate(trimmed);
    text.push('\n');
    text
}

/// ` (40 %)`, or nothing for an epic with no points.
fn percent(epic: &EpicProgress) -> String {
    if epic.points > 0.0 {
        format!(" ({:.0} %)", epic.done / epic.points * 100.0)
    } else {
        String::new()
    }
}

fn releases_markdown(text: &mut String, forecast: &Forecast, backlog: &Backlog) {
    text.push_str("## Releases\n\n");
    if forecast.releases.is_empty() {
        text.push_str("No releases yet.\n\n");
        return;
    }
    text.push_str("| Release | Target | Scope | Done | Forecast | Track |\n");
    text.push_str("|---|---|---|---|---|---|\n");
    for release in &forecast.releases {
        let scope = match release.scope {
            Scope::Line { above } => format!(
                "{} above its line, {} points",
                count(above, "story", "stories"),
                number(release.points)
            ),
            Scope::Assigned => format!(
                "{}, {} points",
                count(release.stories, "story", "stories"),
                number(release.points)
            ),
        };
        let track = match release.track {
            Track::Unknown | Track::NoDate => "",
            track => track.as_str(),
        };
        let _ = writeln!(
            text,
            "| {} | {} | {scope} | {} of {} points | {} | {track} |",
            md(&release.name),
            release
                .date
                .map_or_else(|| "none".into(), |d| d.to_string()),
            number(release.done),
            number(release.points),
            md(&range_text(forecast, backlog, release)),
        );
    }
    text.push('\n');
}

fn sprints_markdown(text: &mut String, forecast: &Forecast, backlog: &Backlog) {
    text.push_str("## Coming sprints\n\n");
    if forecast.velocity.is_none() {
        text.push_str("No forecast without a velocity.\n\n");
        return;
    }
    if forecast.sprints.is_empty() {
        text.push_str("Nothing left to plan.\n\n");
        return;
    }
    let shown = sprints_shown(forecast);
    for sprint in &forecast.sprints[..shown] {
        let state = match sprint.state {
            Some(SprintState::Active) => "Under way",
            Some(_) => "Planned",
            None => "Projected",
        };
        let _ = writeln!(
            text,
            "### {}: {} to {}\n\n{state}: {} of {} points\n",
            md(&sprint.name),
            sprint.start,
            sprint.end,
            number(sprint.points),
            number(sprint.capacity)
        );
        for line in story_lines(forecast, backlog, sprint) {
            let _ = writeln!(text, "- {line}");
        }
        if sprint.stories > 0 {
            text.push('\n');
        }
    }
    let rest = &forecast.sprints[shown..];
    if let Some(last) = rest.last() {
        let stories: usize = rest.iter().map(|s| s.stories).sum();
        let points: f64 = rest.iter().map(|s| s.points).sum();
        let _ = writeln!(
            text,
            "Then {} more, {} points, over {} to {} ({}).\n",
            count(stories, "story", "stories"),
            number(points),
            count(rest.len(), "more sprint", "more sprints"),
            md(&last.name),
            last.end
        );
    }
}

/// The stories the forecast puts in `sprint`, as `S-3 Title (5 points)`.
fn story_lines(forecast: &Forecast, backlog: &Backlog, sprint: &Coming) -> Vec<String> {
    sprint_stories(forecast, backlog, sprint)
        .map(|s| {
            let points = match (s.points, forecast.unestimated) {
                (Some(p), _) if p.whole() == Some(1) => "1 point".to_string(),
                (Some(p), _) => format!("{} points", number(p.value())),
                (None, Unestimated::CountAs(p)) => {
                    format!("unestimated, counted as {}", number(p))
                }
                (None, Unestimated::LeftOut) => "unestimated".to_string(),
            };
            let too_big = if sprint.too_big.contains(&s.id) {
                ", more than a sprint can take"
            } else {
                ""
            };
            format!("{} {} ({points}{too_big})", s.id, md(&s.title))
        })
        .collect()
}
