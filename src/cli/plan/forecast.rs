//! `backlog forecast`: the velocity, the coming sprints filled in rank
//! order, and when each release lands, as text; with `--json`, the
//! forecast's one JSON form ([`report::to_json`]).

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use anyhow::{Result, anyhow};
use chrono::NaiveDate;
use clap::Args;
use serde_json::json;

use super::velocity::summary;
use super::{TodayArgs, ids, table};
use crate::cli::count;
use crate::forecast::carlo::{Percentiles, Refused};
use crate::forecast::report::{self, landing_of, simulate_releases};
use crate::forecast::{
    Coming, Forecast, HORIZON, Landing, ReleaseForecast, Scope, Split, Track, Unestimated,
};
use crate::interchange::json;
use crate::model::{Backlog, SprintState, StoryId, parse_date};
use crate::store;
use crate::text::one_line;
use crate::words::number;

/// The seed of the Monte Carlo draws when none is given: any fixed one
/// keeps the forecast the same from one run to the next.
pub const DEFAULT_SEED: u64 = 1;

/// `backlog forecast`.
#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// Print JSON (see the README for its fields)
    #[arg(long)]
    pub json: bool,
    /// Also run a Monte Carlo forecast of N runs (10000 is usual): each
    /// release's sprint and date at 50 %, 85 % and 95 % confidence
    #[arg(long, value_name = "N")]
    pub monte_carlo: Option<usize>,
    /// The seed of the Monte Carlo draws: the same seed gives the same
    /// forecast [default: 1]
    #[arg(long, value_name = "S", requires = "monte_carlo")]
    pub seed: Option<u64>,
    /// What a day will, might and won't see done, by the velocity's range
    /// over the sprints that end by then (Mike Cohn's will have / might
    /// have / won't have)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub by: Option<NaiveDate>,
    #[command(flatten)]
    pub today: TodayArgs,
}

pub(in crate::cli) fn forecast(
    args: &ForecastArgs,
    path: &Path,
    out: &mut dyn Write,
) -> Result<()> {
    let backlog = store::load(path)?.backlog;
    let forecast = Forecast::of(&backlog, args.today.day());
    let seed = args.seed.unwrap_or(DEFAULT_SEED);
    let carlo = args
        .monte_carlo
        .map(|runs| simulate_releases(&forecast, &backlog, runs, seed).map_err(refused))
        .transpose()?;
    let by = args
        .by
        .map(|date| by_date(&forecast, &backlog, date))
        .transpose()?;
    if args.json {
        let mut value = report::to_json(&forecast, &backlog, carlo.as_deref());
        if let Some(runs) = args.monte_carlo {
            value["monte_carlo"] = json!({"runs": runs, "seed": seed});
        }
        if let Some(by) = &by {
            value["by"] = by.json();
        }
        writeln!(out, "{}", json::pretty(&value)?)?;
        return Ok(());
    }
    let mut text = format!("Forecast on {}\n\n", forecast.today);
    text.push_str(&summary(&forecast, &backlog));
    if !forecast.history.is_empty() {
        let history: Vec<String> = forecast
            .history
            .iter()
            .map(|(name, points)| format!("{} {}", one_line(name), number(*points)))
            .collect();
        let _ = writeln!(text, "History: {}", history.join(", "));
    }
    if let Some(velocity) = forecast.velocity {
        let _ = writeln!(
            text,
            "\nComing sprints, filled in rank order at {} points a sprint\n",
            number(velocity)
        );
        text.push_str(&sprints_text(&forecast, &backlog));
    }
    if !forecast.releases.is_empty() {
        text.push_str("\nReleases\n");
        for (r, release) in forecast.releases.iter().enumerate() {
            text.push('\n');
            let carlo = carlo.as_ref().and_then(|c| c.get(r));
            text.push_str(&release_text(&forecast, &backlog, release, carlo));
        }
    }
    let unestimated = unestimated_text(&forecast, &backlog);
    if !unestimated.is_empty() {
        text.push('\n');
        text.push_str(&unestimated);
    }
    if forecast.beyond > 0 && forecast.velocity.is_some() {
        let _ = writeln!(
            text,
            "{} past the forecast's horizon of {HORIZON} sprints",
            count(forecast.beyond, "open story lies", "open stories lie")
        );
    }
    if let Some(by) = &by {
        text.push_str(&by.text());
    }
    if let Some(runs) = args.monte_carlo {
        let _ = writeln!(
            text,
            "\nMonte Carlo: {} drawing on the {} of history, seed {seed}",
            count(runs, "run", "runs"),
            count(forecast.history.len(), "sprint", "sprints")
        );
    }
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// What a day will, might and won't see done (`--by`).
struct ByDate {
    date: NaiveDate,
    sprints: usize,
    split: Split,
}

fn by_date(forecast: &Forecast, backlog: &Backlog, date: NaiveDate) -> Result<ByDate> {
    let (sprints, split) = forecast.by_date(backlog, date).ok_or_else(|| {
        anyhow!(
            "--by {date}: {}",
            forecast.needs().unwrap_or("no velocity range to split by")
        )
    })?;
    Ok(ByDate {
        date,
        sprints,
        split,
    })
}

impl ByDate {
    fn json(&self) -> serde_json::Value {
        let ids = |ids: &[StoryId]| ids.iter().map(ToString::to_string).collect::<Vec<_>>();
        json!({
            "date": self.date.to_string(),
            "sprints": self.sprints,
            "will": ids(&self.split.will),
            "might": ids(&self.split.might),
            "wont": self.split.wont.len(),
        })
    }

    fn text(&self) -> String {
        let ids = |ids: &[StoryId]| {
            if ids.is_empty() {
                "none".to_string()
            } else {
                ids.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        format!(
            "\nBy {} ({} end by then):\n  Will have: {}\n  Might have: {}\n  Won't have: {}\n",
            self.date,
            count(self.sprints, "sprint", "sprints"),
            ids(&self.split.will),
            ids(&self.split.might),
            count(self.split.wont.len(), "story", "stories"),
        )
    }
}

/// A refused Monte Carlo forecast, said with what to do instead.
fn refused(why: Refused) -> anyhow::Error {
    match why {
        Refused::TooFewSprints { .. } => anyhow!(
            "{why}, too few to give a confidence; `backlog forecast` without --monte-carlo \
             gives the range from the velocities there are"
        ),
        _ => anyhow!("{why}"),
    }
}

/// What a sprint can take, the Azure Boards way: `27 (= 20 + 7)` when the
/// sprint before left 7 points unused.
fn capacity_text(sprint: &Coming) -> String {
    if sprint.carried_in > 0.0 {
        format!(
            "{} (= {} + {})",
            number(sprint.capacity),
            number(sprint.capacity - sprint.carried_in),
            number(sprint.carried_in)
        )
    } else {
        number(sprint.capacity)
    }
}

fn state_text(state: Option<SprintState>) -> &'static str {
    state.map_or("projected", SprintState::as_str)
}

/// The coming sprints as a table, then the stories too big for theirs.
fn sprints_text(forecast: &Forecast, backlog: &Backlog) -> String {
    let rows: Vec<Vec<String>> = forecast
        .sprints
        .iter()
        .map(|s| {
            vec![
                one_line(&s.name).into_owned(),
                format!("{} to {}", s.start, s.end),
                state_text(s.state).to_string(),
                capacity_text(s),
                number(s.points),
                s.stories.to_string(),
            ]
        })
        .collect();
    let mut text = table(
        &["Sprint", "Dates", "State", "Capacity", "Points", "Stories"],
        &rows,
        &[4, 5],
    );
    for sprint in &forecast.sprints {
        for id in &sprint.too_big {
            let points = backlog
                .get(*id)
                .and_then(|s| s.points)
                .map_or_else(String::new, |p| format!(" ({} points)", number(p.value())));
            let _ = writeln!(
                text,
                "! {id}{points} is larger than {} can take: flagged, and planned there on its own",
                one_line(&sprint.name)
            );
        }
    }
    if forecast.sprints.is_empty() {
        text = "Nothing left to plan: every story is done, or left out.\n".to_string();
    }
    text
}

/// Where a landing falls, in words: `Sprint 8 (2027-02-28)`.
pub(super) fn landing_text(forecast: &Forecast, backlog: &Backlog, landing: Landing) -> String {
    match report::landed(forecast, backlog, landing) {
        Some(landed) => match landed.sprint {
            Some(sprint) => format!("{} ({})", one_line(&sprint), landed.date),
            None => "done".to_string(),
        },
        None if forecast.velocity.is_none() => "unknown".to_string(),
        None => format!("beyond the horizon ({HORIZON} sprints)"),
    }
}

/// One release as `forecast` and `release list` show it: its target and
/// track, scope, points, and when it lands.
pub(super) fn release_text(
    forecast: &Forecast,
    backlog: &Backlog,
    release: &ReleaseForecast,
    carlo: Option<&Percentiles>,
) -> String {
    let name = one_line(&release.name);
    let mut text = match (release.date, release.track) {
        (None, Track::OnTrack) => format!("{name}  no target date, done\n"),
        (None, _) => format!(
            "{name}  no target date (give one with `backlog release edit {} --date YYYY-MM-DD`)\n",
            shell_words::quote(&name)
        ),
        (Some(date), Track::Unknown) => {
            format!("{name}  target {date}: no forecast without a velocity\n")
        }
        (Some(date), track) => format!("{name}  target {date}: {}\n", track.as_str()),
    };
    let scope = match release.scope {
        Scope::Line { above: 0 } => "nothing: its line is at the top of the backlog".to_string(),
        Scope::Line { above } => format!(
            "the {} ranked above its line (under {})",
            count(above, "story", "stories"),
            backlog
                .at(above - 1)
                .map_or_else(String::new, |s| s.id.to_string())
        ),
        Scope::Assigned if release.stories == 0 => {
            "no stories yet: assign some, or give it a line".to_string()
        }
        Scope::Assigned => format!(
            "the {} assigned to it, by hand or through its epics",
            count(release.stories, "story", "stories")
        ),
    };
    let _ = writeln!(text, "  Scope: {scope}");
    let own = release.points - release.done;
    let mut points = format!(
        "  Points: {}, {} done, {} to do before it ships",
        number(release.points),
        number(release.done),
        number(release.to_do)
    );
    if (release.to_do - own).abs() > 1e-9 {
        points.push_str(" (its own and those of the open stories ranked above its last)");
    }
    if release.unestimated > 0 {
        let how = match forecast.unestimated {
            Unestimated::LeftOut => "left out".to_string(),
            Unestimated::CountAs(p) => format!("counted as {} points each", number(p)),
        };
        let _ = write!(
            points,
            "; {} unestimated, {how}",
            count(release.unestimated, "open story", "open stories")
        );
    }
    text.push_str(&points);
    text.push('\n');
    if release.mean == Landing::Done {
        text.push_str("  Forecast: done\n");
    } else if forecast.velocity.is_some() {
        let at = |l: Landing| landing_text(forecast, backlog, l);
        let lands = if release.low == release.high {
            format!(
                "{}, at the low, mean and high velocity alike",
                at(release.mean)
            )
        } else {
            format!(
                "{} at the mean velocity; {} at the high, {} at the low",
                at(release.mean),
                at(release.high),
                at(release.low)
            )
        };
        let _ = writeln!(text, "  Forecast: {lands}");
    }
    if let Some(p) = carlo {
        let at = |s: Option<u32>| landing_text(forecast, backlog, landing_of(s));
        let _ = writeln!(
            text,
            "  Monte Carlo: 50 % by {}, 85 % by {}, 95 % by {}",
            at(p.p50),
            at(p.p85),
            at(p.p95)
        );
    }
    text
}

/// Which open stories have no estimate, and what the forecast does with
/// them; nothing when there are none.
fn unestimated_text(forecast: &Forecast, backlog: &Backlog) -> String {
    let stories = report::unestimated_stories(backlog);
    if stories.is_empty() {
        return String::new();
    }
    let what = count(stories.len(), "open story has", "open stories have");
    match forecast.unestimated {
        Unestimated::LeftOut => format!(
            "Unestimated: {what} no estimate and {} left out of the forecast: {}\n\
             (estimate them, or count each as some points with \
             `backlog settings --unestimated POINTS`)\n",
            if stories.len() == 1 { "is" } else { "are" },
            ids(&stories, 20)
        ),
        Unestimated::CountAs(points) => format!(
            "Unestimated: {what} no estimate and {} counted as {} points each: {}\n",
            if stories.len() == 1 { "is" } else { "are" },
            number(points),
            ids(&stories, 20)
        ),
    }
}
