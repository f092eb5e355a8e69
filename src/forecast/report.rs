//! The release forecast as people and scripts read it: the one JSON form
//! of a [`Forecast`] (`backlog forecast --json`, `backlog roadmap
//! --format json`, and whatever else shows a forecast, so that a script
//! reads exactly the numbers the screen shows), the stories of a coming
//! sprint, the Monte Carlo run over every release, and the now / next /
//! later lanes of the roadmap by epic.
//!
//! Pure, as the rest of the forecast: no files, no clock.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::carlo::{self, Percentiles, Refused, Simulation};
use super::plan::{HORIZON, coming_sprint, known_capacities};
use super::{Coming, Forecast, Landing, ReleaseForecast, Scope, Source, Unestimated, trimmed};
use crate::model::{Backlog, SprintState, Story, StoryId};

/// Where a landing falls on the calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Landed {
    /// How many coming sprints until it is done: 0 when it is done
    /// already, 1 for the first coming sprint (as Monte Carlo counts).
    pub sprints: usize,
    /// The sprint it is done in; none when done already.
    pub sprint: Option<String>,
    /// That sprint's last day; today when done already.
    pub date: NaiveDate,
}

/// The coming sprint `k` (0 for the first): its name and last day, as the
/// forecast filled it, or past the sprints it filled (a Monte Carlo
/// percentile can fall there), as [`coming_sprint`] projects it.
#[must_use]
pub fn sprint_named(
    forecast: &Forecast,
    backlog: &Backlog,
    k: usize,
) -> Option<(String, NaiveDate)> {
    forecast
        .sprints
        .get(k)
        .map(|s| (s.name.clone(), s.end))
        .or_else(|| coming_sprint(backlog, forecast.today, k).map(|(name, _, end, _)| (name, end)))
}

/// Where `landing` falls: none for work beyond the horizon (or with no
/// velocity to forecast with).
#[must_use]
pub fn landed(forecast: &Forecast, backlog: &Backlog, landing: Landing) -> Option<Landed> {
    match landing {
        Landing::Done => Some(Landed {
            sprints: 0,
            sprint: None,
            date: forecast.today,
        }),
        Landing::Sprint(k) => sprint_named(forecast, backlog, k).map(|(name, date)| Landed {
            sprints: k + 1,
            sprint: Some(name),
            date,
        }),
        Landing::Beyond => None,
    }
}

/// The landing a Monte Carlo count of sprints means: 0 is done already,
/// `s` is coming sprint `s - 1`, none is past the horizon.
#[must_use]
pub fn landing_of(sprints: Option<u32>) -> Landing {
    match sprints.map(|s| usize::try_from(s).unwrap_or(usize::MAX)) {
        Some(0) => Landing::Done,
        Some(s) => Landing::Sprint(s - 1),
        None => Landing::Beyond,
    }
}

/// The stories the forecast puts in coming sprint `sprint`, in rank
/// order: the open stories it counts (estimated, or unestimated when
/// they count at a default) among its positions.
pub fn sprint_stories<'a>(
    forecast: &'a Forecast,
    backlog: &'a Backlog,
    sprint: &Coming,
) -> impl Iterator<Item = &'a Story> + 'a {
    sprint
        .positions
        .clone()
        .filter_map(|p| backlog.at(p))
        .filter(move |s| forecast.places(s))
}

/// The open stories with no estimate, in rank order: those the forecast
/// leaves out, or counts at the default.
#[must_use]
pub fn unestimated_stories(backlog: &Backlog) -> Vec<StoryId> {
    backlog
        .ranked()
        .filter(|s| s.status.is_open() && s.points.is_none())
        .map(|s| s.id)
        .collect()
}

/// The Monte Carlo forecast of every release, in the forecast's order
/// ([`carlo::simulate`]): `runs` runs drawing from the forecast's
/// velocity history, each release's target its `to_do` (its open points
/// and those ranked above its last story), the coming sprints the team
/// recorded with a capacity taking those capacities, as far as
/// [`HORIZON`].
///
/// # Errors
/// As [`carlo::simulate`]: with fewer than [`carlo::FEWEST_SPRINTS`]
/// sprints of history, or no runs.
pub fn simulate_releases(
    forecast: &Forecast,
    backlog: &Backlog,
    runs: usize,
    seed: u64,
) -> Result<Vec<Percentiles>, Refused> {
    let history: Vec<f64> = forecast.history.iter().map(|(_, p)| *p).collect();
    let targets: Vec<f64> = forecast.releases.iter().map(|r| r.to_do).collect();
    let known = known_capacities(backlog);
    carlo::simulate(&Simulation {
        history: &history,
        targets: &targets,
        known: &known,
        runs,
        seed,
        horizon: HORIZON,
    })
}

/// The forecast as JSON: what `backlog forecast --json` prints and the
/// roadmap pane shows, number for number. `carlo`, when given, is
/// [`simulate_releases`]' result for the same forecast, and adds each
/// release's `monte_carlo`.
///
/// ```json
/// {"today": "2027-01-04",
///  "velocity": {"source", "mean", "mean_of", "range": {"low", "high"}, "trimmed",
///               "history": [{"sprint", "points", "entered"}], "needs"},
///  "unestimated": {"counted_as", "left_out", "stories": ["S-4"]},
///  "sprints": [{"name", "start", "end", "state", "capacity", "own_capacity",
///               "carried_in", "points", "left", "stories": [{"id", "title", "points"}],
///               "too_big": ["S-9"]}],
///  "beyond": 0,
///  "releases": [see release_json]}
/// ```
///
/// Points are numbers (whole ones without a fraction); dates are
/// `YYYY-MM-DD`; `state` is `planned`, `active` or `projected` (a sprint
/// the forecast adds after those recorded).
#[must_use]
pub fn to_json(forecast: &Forecast, backlog: &Backlog, carlo: Option<&[Percentiles]>) -> Value {
    let sprints: Vec<Value> = forecast
        .sprints
        .iter()
        .map(|s| sprint_json(forecast, backlog, s))
        .collect();
    let releases: Vec<Value> = forecast
        .releases
        .iter()
        .enumerate()
        .map(|(r, release)| release_json(forecast, backlog, release, carlo.and_then(|c| c.get(r))))
        .collect();
    let counted_as = match forecast.unestimated {
        Unestimated::CountAs(points) => points_json(points),
        Unestimated::LeftOut => Value::Null,
    };
    json!({
        "today": forecast.today.to_string(),
        "velocity": velocity_json(forecast, backlog),
        "unestimated": {
            "counted_as": counted_as,
            "left_out": forecast.left_out,
            "stories": unestimated_stories(backlog),
        },
        "sprints": sprints,
        "beyond": forecast.beyond,
        "releases": releases,
    })
}

/// The velocity part of [`to_json`], which `backlog velocity list --json`
/// prints on its own.
#[must_use]
pub fn velocity_json(forecast: &Forecast, backlog: &Backlog) -> Value {
    let source = match forecast.source {
        Source::Sprints => "sprints",
        Source::DoneDates => "done-dates",
        Source::Nothing => "nothing",
    };
    let entered = |name: &str| {
        forecast.source == Source::Sprints
            && backlog
                .product
                .past_sprints
                .iter()
                .any(|p| p.sprint == name)
    };
    let history: Vec<Value> = forecast
        .history
        .iter()
        .map(|(name, points)| {
            json!({"sprint": name, "points": points_json(*points), "entered": entered(name)})
        })
        .collect();
    let range = forecast.range.map_or(
        Value::Null,
        |r| json!({"low": points_json(r.low), "high": points_json(r.high)}),
    );
    json!({
        "source": source,
        "mean": forecast.velocity.map_or(Value::Null, points_json),
        "mean_of": mean_of(forecast, backlog),
        "range": range,
        "trimmed": trimmed(forecast.history.len()),
        "history": history,
        "needs": forecast.needs(),
    })
}

/// How many sprints the mean velocity is the mean of: the last of the
/// setting's number, or all when fewer closed.
#[must_use]
pub fn mean_of(forecast: &Forecast, backlog: &Backlog) -> usize {
    let last = backlog.product.settings.plan.velocity_sprints.max(1);
    forecast.history.len().min(last)
}

/// One coming sprint of [`to_json`].
fn sprint_json(forecast: &Forecast, backlog: &Backlog, sprint: &Coming) -> Value {
    let state = match sprint.state {
        Some(SprintState::Planned) => "planned",
        Some(SprintState::Active) => "active",
        Some(SprintState::Closed) => "closed",
        None => "projected",
    };
    let stories: Vec<Value> = sprint_stories(forecast, backlog, sprint)
        .map(|s| json!({"id": s.id, "title": s.title, "points": s.points}))
        .collect();
    json!({
        "name": sprint.name,
        "start": sprint.start.to_string(),
        "end": sprint.end.to_string(),
        "state": state,
        "capacity": points_json(sprint.capacity),
        "own_capacity": points_json(sprint.capacity - sprint.carried_in),
        "carried_in": points_json(sprint.carried_in),
        "points": points_json(sprint.points),
        "left": points_json((sprint.capacity - sprint.points).max(0.0)),
        "stories": stories,
        "too_big": sprint.too_big,
    })
}

/// One release as `backlog release list --json` prints it, and as each
/// entry of [`to_json`]'s `releases`:
///
/// ```json
/// {"name", "date" (or null), "scope": {"kind": "line", "above": 12, "after": "S-12"}
///                                   or {"kind": "assigned"},
///  "stories", "points", "done", "unestimated", "to_do",
///  "landing": {"low", "mean", "high"}, "track",
///  "monte_carlo": {"p50", "p85", "p95"}}
/// ```
///
/// A landing is `{"sprints", "sprint", "date"}` ([`Landed`]) or null
/// (beyond the horizon, or no velocity); `track` is `on-track`,
/// `at-risk`, `late`, `no-date` or `unknown`; `monte_carlo` is there only
/// when `carlo` is given.
#[must_use]
pub fn release_json(
    forecast: &Forecast,
    backlog: &Backlog,
    release: &ReleaseForecast,
    carlo: Option<&Percentiles>,
) -> Value {
    let landing = |l: Landing| landed_json(landed(forecast, backlog, l));
    let scope = match release.scope {
        Scope::Line { above } => json!({
            "kind": "line",
            "above": above,
            "after": above.checked_sub(1).and_then(|p| backlog.at(p)).map(|s| s.id),
        }),
        Scope::Assigned => json!({"kind": "assigned"}),
    };
    let mut value = json!({
        "name": release.name,
        "date": release.date.map(|d| d.to_string()),
        "scope": scope,
        "stories": release.stories,
        "points": points_json(release.points),
        "done": points_json(release.done),
        "unestimated": release.unestimated,
        "to_do": points_json(release.to_do),
        "landing": {
            "low": landing(release.low),
            "mean": landing(release.mean),
            "high": landing(release.high),
        },
        "track": release.track.as_str().replace(' ', "-"),
    });
    if let Some(p) = carlo {
        let at = |s: Option<u32>| landing(landing_of(s));
        value["monte_carlo"] = json!({"p50": at(p.p50), "p85": at(p.p85), "p95": at(p.p95)});
    }
    value
}

fn landed_json(landed: Option<Landed>) -> Value {
    landed.map_or(
        Value::Null,
        |l| json!({"sprints": l.sprints, "sprint": l.sprint, "date": l.date.to_string()}),
    )
}

/// Points as JSON: a whole number without a fraction, as estimates are
/// written (`21`, not `21.0`); null for what is not a number. Every
/// number of points the plan's JSON gives is written so.
#[must_use]
pub fn points_json(points: f64) -> Value {
    // Whole numbers below 2^53 are exact as integers.
    if points.fract() == 0.0 && points.abs() < 9_007_199_254_740_992.0 {
        #[allow(
            clippy::cast_possible_truncation,
            reason = "a whole number below 2^53, exact in i64"
        )]
        let whole = points as i64;
        Value::from(whole)
    } else {
        Value::from(points)
    }
}
