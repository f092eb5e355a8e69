//! The release forecast of a whole backlog: its velocity, the coming
//! sprints filled in rank order, and when each release lands, at the low,
//! mean and high velocity.
//!
//! One walk of the backlog in rank order, over each story's packed
//! estimate and status ([`Backlog::ranked_briefs`]), fills the sprints at
//! all three velocities at once, so a move is forecast again within a
//! frame however large the backlog.

use chrono::{Days, NaiveDate};

use super::{Filler, Range, Unestimated, velocity, velocity_range};
use crate::model::{Backlog, Release, SprintState, StoryId};

/// How many sprints ahead the forecast looks: twenty years of two-week
/// sprints. Work further away is "beyond", not given a date.
pub const HORIZON: usize = 520;

/// Where the velocities come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Closed sprints and velocity entered by hand.
    Sprints,
    /// No sprint was ever recorded: the points of stories done in each
    /// of the last sprint-long periods, by their status history.
    DoneDates,
    /// Nothing to go on.
    Nothing,
}

/// One coming sprint: one the team recorded (planned or under way) or
/// one projected after them, and what the mean velocity puts in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Coming {
    pub name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Whether the team recorded it, rather than the forecast projecting
    /// it.
    pub state: Option<SprintState>,
    /// What it can take: its capacity, or the velocity, and what the
    /// sprint before left unused.
    pub capacity: f64,
    pub carried_in: f64,
    /// The points of the stories put in it.
    pub points: f64,
    /// The positions in the backlog (0-based, rank order) its stories
    /// come from: the open, counted stories among them are its stories.
    pub positions: std::ops::Range<usize>,
    /// How many stories it has.
    pub stories: usize,
    /// Stories larger than it can take, flagged, never dropped.
    pub too_big: Vec<StoryId>,
}

/// When a release's work is done, in a forecast.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Landing {
    /// Nothing of it is left to do.
    Done,
    /// In this coming sprint (0 for the first).
    Sprint(usize),
    /// Past the horizon, or never, with no velocity.
    Beyond,
}

/// How a release stands against its target date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Track {
    /// Done even at the low velocity by its date (or done already).
    OnTrack,
    /// Done by its date at the mean velocity, but not at the low one.
    AtRisk,
    /// Not done by its date even at the mean velocity.
    Late,
    /// It has no target date.
    NoDate,
    /// No velocity to forecast with.
    Unknown,
}

impl Track {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Track::OnTrack => "on track",
            Track::AtRisk => "at risk",
            Track::Late => "late",
            Track::NoDate => "no date",
            Track::Unknown => "unknown",
        }
    }
}

/// What a release is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every story ranked above its line: this many stories.
    Line { above: usize },
    /// The stories assigned to it, by hand and by epic.
    Assigned,
}

/// One release's forecast.
#[derive(Clone, Debug, PartialEq)]
pub struct ReleaseForecast {
    pub name: String,
    pub date: Option<NaiveDate>,
    pub scope: Scope,
    /// Its stories (but rejected ones), and their points.
    pub stories: usize,
    pub points: f64,
    /// The points of those done.
    pub done: f64,
    /// Its open stories with no estimate.
    pub unestimated: usize,
    /// The points still to do before it ships: its own and, as the
    /// backlog is done in rank order, every open story ranked above its
    /// last one.
    pub to_do: f64,
    pub low: Landing,
    pub mean: Landing,
    pub high: Landing,
    pub track: Track,
}

/// The release forecast of a backlog on a day.
#[derive(Clone, Debug, PartialEq)]
pub struct Forecast {
    pub today: NaiveDate,
    pub source: Source,
    /// The velocities gone by, oldest first, with the sprint's name.
    pub history: Vec<(String, f64)>,
    /// The mean of the last sprints ([`crate::model::PlanSettings`]).
    pub velocity: Option<f64>,
    /// Cohn's range over the whole history.
    pub range: Option<Range>,
    pub unestimated: Unestimated,
    /// Open stories with no estimate, left out of the forecast.
    pub left_out: usize,
    /// The coming sprints at the mean velocity, as far as the work goes
    /// (and at least the sprints the team recorded).
    pub sprints: Vec<Coming>,
    /// Open stories past the horizon at the mean velocity.
    pub beyond: usize,
    pub releases: Vec<ReleaseForecast>,
}

/// The capacities the coming sprints the team recorded have set: the
/// first of them, in order, then none.
#[must_use]
pub fn known_capacities(backlog: &Backlog) -> Vec<Option<f64>> {
    coming_recorded(backlog).map(|s| s.capacity).collect()
}

fn coming_recorded(backlog: &Backlog) -> impl Iterator<Item = &crate::model::Sprint> {
    backlog
        .product
        .sprints
        .iter()
        .filter(|s| s.state != SprintState::Closed)
}

/// The `k`th coming sprint (0 for the first): its name, first and last
/// day, and state when the team recorded it. Past the recorded ones, the
/// sprints follow on, as long as the last recorded one (or the last
/// closed one, or two weeks), numbered on from its name.
#[must_use]
pub fn coming_sprint(
    backlog: &Backlog,
    today: NaiveDate,
    k: usize,
) -> Option<(String, NaiveDate, NaiveDate, Option<SprintState>)> {
    Calendar::of(backlog, today)?.sprint(k)
}

/// The coming sprints' days, worked out once for a forecast: those the
/// team recorded, and where the projected ones start.
struct Calendar<'a> {
    recorded: Vec<&'a crate::model::Sprint>,
    /// The name the projected sprints are numbered on from.
    name: &'a str,
    days: u32,
    /// The first projected sprint's first day.
    start: NaiveDate,
}

impl<'a> Calendar<'a> {
    fn of(backlog: &'a Backlog, today: NaiveDate) -> Option<Calendar<'a>> {
        let recorded: Vec<&crate::model::Sprint> = coming_recorded(backlog).collect();
        let last = recorded
            .last()
            .copied()
            .or_else(|| backlog.product.sprints.last());
        let (name, days, mut start) = match last {
            Some(last) => (
                last.name.as_str(),
                last.days.max(1),
                last.end().checked_add_days(Days::new(1))?,
            ),
            None => ("", crate::model::SPRINT_DAYS, today),
        };
        // Closed sprints long past: the next starts in step with them, on
        // or before today.
        if recorded.is_empty() && last.is_some() {
            let behind = (today - start).num_days() / i64::from(days);
            if behind > 0 {
                let skipped = u64::try_from(behind).ok()? * u64::from(days);
                start = start.checked_add_days(Days::new(skipped))?;
            }
        }
        Some(Calendar {
            recorded,
            name,
            days,
            start,
        })
    }

    fn sprint(&self, k: usize) -> Option<(String, NaiveDate, NaiveDate, Option<SprintState>)> {
        if let Some(sprint) = self.recorded.get(k) {
            return Some((
                sprint.name.clone(),
                sprint.start,
                sprint.end(),
                Some(sprint.state),
            ));
        }
        let ahead = k - self.recorded.len();
        let (first, last_day) = super::sprint_dates(self.start, self.days, ahead)?;
        Some((projected_name(self.name, ahead + 1), first, last_day, None))
    }
}

/// The name of the sprint `ahead` after one called `last`: "Sprint 14"
/// is followed by "Sprint 15"; a name without a number by "Sprint +1".
fn projected_name(last: &str, ahead: usize) -> String {
    let digits = last.len() - last.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (stem, number) = last.split_at(last.len() - digits);
    match number.parse::<u64>() {
        Ok(n) if !number.is_empty() => {
            format!("{stem}{}", n.saturating_add(ahead as u64))
        }
        _ if last.is_empty() => format!("Sprint +{ahead}"),
        _ => format!("{last} +{ahead}"),
    }
}

/// The points of stories done in each of the `periods` sprint-long
/// periods (of `days` days) that end on `today`, oldest first: a
/// velocity for a team that never recorded sprints.
#[must_use]
pub fn done_by_period(backlog: &Backlog, today: NaiveDate, days: u32, periods: usize) -> Vec<f64> {
    let days = i64::from(days.max(1));
    let mut points = vec![0.0; periods];
    for brief in backlog.briefs() {
        let (Some(done), Some(estimate)) = (brief.done, brief.points()) else {
            continue;
        };
        let ago = (today - done).num_days();
        if ago < 0 {
            continue;
        }
        let Ok(back) = usize::try_from(ago / days) else {
            continue;
        };
        if back < periods {
            points[periods - 1 - back] += estimate;
        }
    }
    points
}

/// How many sprint-long periods of done stories stand in for a velocity
/// history when no sprint was recorded.
const DONE_PERIODS: usize = 6;

/// Where one release's work ends in the ranking, and what it holds.
struct Cut {
    /// The release, in the product's order.
    release: usize,
    /// Its work is every open story at a position before this.
    end: usize,
}

/// One velocity's walk: its filler and where the last story went.
struct Walk<'a> {
    filler: Filler<'a>,
    /// The sprint of the last story placed, if any.
    last: Option<usize>,
    /// Whether a story fell past the horizon.
    beyond: bool,
}

impl Walk<'_> {
    fn landing(&self) -> Landing {
        match self.last {
            _ if self.beyond => Landing::Beyond,
            Some(k) => Landing::Sprint(k),
            None => Landing::Done,
        }
    }

    fn place(&mut self, points: f64) -> Option<(usize, bool)> {
        let placed = self.filler.place(points, HORIZON);
        match placed {
            Some((k, _)) => self.last = Some(k),
            None => self.beyond = true,
        }
        placed
    }
}

impl Forecast {
    /// The forecast of `backlog` on `today`.
    #[must_use]
    pub fn of(backlog: &Backlog, today: NaiveDate) -> Forecast {
        let settings = &backlog.product.settings.plan;
        let mut history = backlog.velocities();
        let mut source = Source::Sprints;
        if history.is_empty() {
            let days = backlog
                .product
                .sprints
                .last()
                .map_or(crate::model::SPRINT_DAYS, |s| s.days);
            let done = done_by_period(backlog, today, days, DONE_PERIODS);
            if done.iter().any(|p| *p > 0.0) {
                source = Source::DoneDates;
                history = done
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let ago = crate::words::count(DONE_PERIODS - i, "sprint", "sprints");
                        (format!("{ago} ago"), p)
                    })
                    .collect();
            } else {
                source = Source::Nothing;
            }
        }
        let points: Vec<f64> = history.iter().map(|(_, p)| *p).collect();
        let mean = velocity(&points, settings.velocity_sprints);
        let range = velocity_range(&points);
        let unestimated = settings
            .unestimated
            .map_or(Unestimated::LeftOut, Unestimated::CountAs);
        Forecast::with(backlog, today, source, history, mean, range, unestimated)
    }

    #[allow(
        clippy::too_many_lines,
        reason = "one walk of the backlog does every velocity and release at once"
    )]
    fn with(
        backlog: &Backlog,
        today: NaiveDate,
        source: Source,
        history: Vec<(String, f64)>,
        mean: Option<f64>,
        range: Option<Range>,
        unestimated: Unestimated,
    ) -> Forecast {
        let known = known_capacities(backlog);
        let releases = &backlog.product.releases;
        // Where each release's work ends in the ranking.
        let mut cuts: Vec<Cut> = Vec::with_capacity(releases.len());
        let mut assigned: Vec<Vec<StoryId>> = vec![Vec::new(); releases.len()];
        for (r, release) in releases.iter().enumerate() {
            let end = if let Some(line) = &release.line {
                backlog.above_line(line)
            } else {
                assigned[r] = backlog.assigned_to(release);
                assigned[r]
                    .iter()
                    .filter(|id| backlog.get(**id).is_some_and(|s| s.status.is_open()))
                    .filter_map(|id| backlog.position(*id).ok())
                    .max()
                    .map_or(0, |p| p + 1)
            };
            cuts.push(Cut { release: r, end });
        }
        cuts.sort_by_key(|c| c.end);

        let walks_at = |v: Option<f64>| v.map(|v| Filler::new(v, &known));
        let mut walks: [Option<Walk>; 3] = [
            walks_at(range.map(|r| r.low)),
            walks_at(mean),
            walks_at(range.map(|r| r.high)),
        ]
        .map(|f| {
            f.map(|filler| Walk {
                filler,
                last: None,
                beyond: false,
            })
        });
        let mut landings = vec![[Landing::Beyond; 3]; releases.len()];
        let mut line_totals = vec![(0usize, 0.0f64, 0.0f64, 0usize); releases.len()];
        let mut to_do = vec![0.0; releases.len()];
        let (mut stories, mut points, mut done, mut open_unestimated) = (0, 0.0, 0.0, 0);
        let mut sprints: Vec<Coming> = Vec::new();
        let mut left_out = 0;
        let mut beyond = 0;
        let mut running = 0.0;
        // Open stories counted so far: with none before its end, a release
        // is done, with or without a velocity.
        let mut counted_so_far = 0usize;
        let mut next_cut = 0;
        // Gathered first, in a loop of nothing but loads: the walk below
        // branches on each story's status, and reading the briefs in rank
        // order inside it (a cache miss each, behind each branch) took
        // four times as long as reading them here.
        let briefs: Vec<crate::model::Brief> = backlog.ranked_briefs().collect();
        let n = briefs.len();
        let mut settle = |position: usize,
                          walks: &[Option<Walk>; 3],
                          totals: (usize, f64, f64, usize),
                          (running, counted): (f64, usize),
                          next_cut: &mut usize| {
            while let Some(cut) = cuts.get(*next_cut)
                && cut.end <= position
            {
                for (v, walk) in walks.iter().enumerate() {
                    landings[cut.release][v] = match walk {
                        Some(walk) => walk.landing(),
                        None if counted == 0 => Landing::Done,
                        None => Landing::Beyond,
                    };
                }
                line_totals[cut.release] = totals;
                to_do[cut.release] = running;
                *next_cut += 1;
            }
        };
        // The low and high walks matter only as far as the last release;
        // a walk past the horizon places nothing more.
        let last_cut = cuts.last().map_or(0, |c| c.end);
        let mut next_end = cuts.first().map_or(usize::MAX, |c| c.end);
        for (position, brief) in briefs.iter().enumerate() {
            if position >= next_end {
                let totals = (stories, points, done, open_unestimated);
                let so_far = (running, counted_so_far);
                settle(position, &walks, totals, so_far, &mut next_cut);
                next_end = cuts.get(next_cut).map_or(usize::MAX, |c| c.end);
            }
            if brief.status == crate::model::Status::Rejected {
                continue;
            }
            let estimate = brief.points();
            stories += 1;
            points += estimate.unwrap_or(0.0);
            if !brief.status.is_open() {
                done += estimate.unwrap_or(0.0);
                continue;
            }
            let counted = match (estimate, unestimated) {
                (Some(p), _) | (None, Unestimated::CountAs(p)) => p,
                (None, Unestimated::LeftOut) => {
                    left_out += 1;
                    open_unestimated += 1;
                    continue;
                }
            };
            if estimate.is_none() {
                open_unestimated += 1;
            }
            running += counted;
            counted_so_far += 1;
            if position < last_cut {
                for walk in [0, 2] {
                    if let Some(walk) = &mut walks[walk]
                        && !walk.beyond
                    {
                        walk.place(counted);
                    }
                }
            }
            let Some(walk) = &mut walks[1] else {
                beyond += 1;
                continue;
            };
            if walk.beyond {
                beyond += 1;
                continue;
            }
            let Some((k, too_big)) = walk.place(counted) else {
                beyond += 1;
                continue;
            };
            while sprints.len() <= k {
                let start = sprints.last().map_or(position, |s| s.positions.end);
                sprints.push(Coming {
                    name: String::new(),
                    start: today,
                    end: today,
                    state: None,
                    capacity: 0.0,
                    carried_in: 0.0,
                    points: 0.0,
                    positions: start..start,
                    stories: 0,
                    too_big: Vec::new(),
                });
            }
            let (capacity, carried_in, used) = walk.filler.current();
            let sprint = &mut sprints[k];
            sprint.capacity = capacity;
            sprint.carried_in = carried_in;
            sprint.points = used;
            sprint.positions.end = position + 1;
            sprint.stories += 1;
            if too_big {
                sprint
                    .too_big
                    .push(backlog.at(position).map_or(StoryId(0), |s| s.id));
            }
        }
        settle(
            n,
            &walks,
            (stories, points, done, open_unestimated),
            (running, counted_so_far),
            &mut next_cut,
        );

        // The sprints the team recorded show even when empty.
        while sprints.len() < known.len() {
            let start = sprints.last().map_or(0, |s| s.positions.end);
            sprints.push(Coming {
                name: String::new(),
                start: today,
                end: today,
                state: None,
                capacity: known[sprints.len()].or(mean).unwrap_or(0.0),
                carried_in: 0.0,
                points: 0.0,
                positions: start..start,
                stories: 0,
                too_big: Vec::new(),
            });
        }
        let calendar = Calendar::of(backlog, today);
        for (k, sprint) in sprints.iter_mut().enumerate() {
            if let Some((name, start, end, state)) = calendar.as_ref().and_then(|c| c.sprint(k)) {
                sprint.name = name;
                sprint.start = start;
                sprint.end = end;
                sprint.state = state;
            }
        }

        let end_of = |landing: Landing| match landing {
            Landing::Done => Some(today),
            Landing::Sprint(k) => calendar.as_ref()?.sprint(k).map(|(_, _, end, _)| end),
            Landing::Beyond => None,
        };
        let releases = releases
            .iter()
            .enumerate()
            .map(|(r, release)| {
                let [low, at_mean, high] = landings[r];
                let (scope, (stories, points, done, unestimated)) = match release.line {
                    Some(_) => {
                        let end = cuts.iter().find(|c| c.release == r).map_or(0, |c| c.end);
                        (Scope::Line { above: end }, line_totals[r])
                    }
                    None => (Scope::Assigned, assigned_totals(backlog, &assigned[r])),
                };
                let track = track(
                    release,
                    mean.is_some(),
                    end_of(low),
                    end_of(at_mean),
                    at_mean,
                );
                ReleaseForecast {
                    name: release.name.clone(),
                    date: release.date,
                    scope,
                    stories,
                    points,
                    done,
                    unestimated,
                    to_do: to_do[r],
                    low,
                    mean: at_mean,
                    high,
                    track,
                }
            })
            .collect();
        Forecast {
            today,
            source,
            history,
            velocity: mean,
            range,
            unestimated,
            left_out,
            sprints,
            beyond,
            releases,
        }
    }

    /// The last day of the coming sprint a landing falls in: today for
    /// work done, none for work beyond the horizon.
    #[must_use]
    pub fn landing_date(&self, backlog: &Backlog, landing: Landing) -> Option<NaiveDate> {
        match landing {
            Landing::Done => Some(self.today),
            Landing::Sprint(k) => self
                .sprints
                .get(k)
                .map(|s| s.end)
                .or_else(|| coming_sprint(backlog, self.today, k).map(|(_, _, end, _)| end)),
            Landing::Beyond => None,
        }
    }

    /// What `date` will, might and won't see done, by Mike Cohn's
    /// "will have / might have / won't have" ([`super::split`]): the
    /// open stories in rank order against the range's low and high
    /// velocity over the coming sprints that end by then. With them, how
    /// many sprints those are. None with no velocity range.
    #[must_use]
    pub fn by_date(&self, backlog: &Backlog, date: NaiveDate) -> Option<(usize, super::Split)> {
        let range = self.range?;
        let calendar = Calendar::of(backlog, self.today)?;
        let sprints = (0..HORIZON)
            .take_while(|&k| calendar.sprint(k).is_some_and(|(_, _, end, _)| end <= date))
            .count();
        let stories: Vec<super::Planned> = backlog
            .ranked()
            .filter(|story| story.status.is_open())
            .map(|story| super::Planned {
                id: story.id,
                points: story.points.map(crate::model::Points::value),
            })
            .collect();
        Some((
            sprints,
            super::split(&stories, range, sprints, self.unestimated),
        ))
    }

    /// Whether `story` is one the coming sprints take: open, and
    /// estimated or counted at the default, as the walk places them.
    #[must_use]
    pub fn places(&self, story: &crate::model::Story) -> bool {
        story.status.is_open()
            && (story.points.is_some() || matches!(self.unestimated, Unestimated::CountAs(_)))
    }

    /// What the forecast needs and lacks, in a sentence, when it has no
    /// velocity to go on.
    #[must_use]
    pub fn needs(&self) -> Option<&'static str> {
        (self.velocity.is_none()).then_some(
            "no velocity yet: close a sprint (backlog sprint close), enter the velocity of \
             past sprints (backlog velocity add 21 --sprint S12), or mark stories done so \
             their done dates give one",
        )
    }
}

/// How a release stands: against its date, by when the low and mean
/// velocities see it done.
fn track(
    release: &Release,
    has_velocity: bool,
    low: Option<NaiveDate>,
    mean: Option<NaiveDate>,
    at_mean: Landing,
) -> Track {
    if at_mean == Landing::Done {
        return Track::OnTrack;
    }
    let Some(date) = release.date else {
        return Track::NoDate;
    };
    if !has_velocity {
        return Track::Unknown;
    }
    // The range (Cohn's, over every sprint) and the mean (of the last
    // few) are told apart: a low end above a recent slump's mean must not
    // call a release on track that the mean sees late.
    match (low, mean) {
        (_, Some(mean)) if mean > date => Track::Late,
        (_, None) => Track::Late,
        (Some(low), _) if low <= date => Track::OnTrack,
        _ => Track::AtRisk,
    }
}

/// Stories, points, points done, and open stories unestimated, of the
/// stories assigned to a release (rejected ones aside).
fn assigned_totals(backlog: &Backlog, ids: &[StoryId]) -> (usize, f64, f64, usize) {
    let mut totals = (0, 0.0, 0.0, 0);
    for story in ids.iter().filter_map(|id| backlog.get(*id)) {
        if story.status == crate::model::Status::Rejected {
            continue;
        }
        let points = story.points.map_or(0.0, crate::model::Points::value);
        totals.0 += 1;
        totals.1 += points;
        if story.status.is_open() {
            totals.3 += usize::from(story.points.is_none());
        } else {
            totals.2 += points;
        }
    }
    totals
}

#[cfg(test)]
#[allow(
    clippy::float_cmp,
    reason = "the points here are whole numbers, exact in f64"
)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::model::{
        Epic, EpicColor, PastSprint, Placement, Points, Sprint, Status, StoryPatch,
    };

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Stories S-1 … of `points` each, in rank order; the velocity of
    /// past sprints `history`; the last of them ended the day before
    /// `2026-12-21`, a Monday.
    fn planned(points: &[f64], history: &[f64]) -> Backlog {
        let mut b = Backlog::new("Plan");
        let at = Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap();
        for (i, &p) in points.iter().enumerate() {
            let patch = StoryPatch {
                points: Some(Some(Points::new(p).unwrap())),
                ..StoryPatch::title(format!("Story {}", i + 1))
            };
            b.add(&patch, Placement::Bottom, at).unwrap();
        }
        for (i, &v) in history.iter().enumerate() {
            b.add_past_sprint(PastSprint {
                sprint: format!("Sprint {}", i + 1),
                points: v,
                ended: None,
            })
            .unwrap();
        }
        b
    }

    fn today() -> NaiveDate {
        day(2026, 12, 21)
    }

    #[test]
    fn a_release_line_lands_where_its_points_fill_the_sprints() {
        // 20 a sprint (the mean of the last three); the line under the
        // first four stories (5 + 8 + 8 + 8 = 29): the second sprint.
        let mut b = planned(&[5.0, 8.0, 8.0, 8.0, 8.0, 13.0], &[10.0, 20.0, 20.0, 20.0]);
        b.add_release(Release::new("v1", Some(day(2027, 1, 24))))
            .unwrap();
        b.place_line("v1", 4).unwrap();
        let f = Forecast::of(&b, today());
        assert_eq!(f.velocity, Some(20.0));
        assert_eq!(
            f.range,
            Some(Range {
                low: 10.0,
                high: 20.0
            })
        );
        let v1 = &f.releases[0];
        assert_eq!(v1.scope, Scope::Line { above: 4 });
        assert_eq!((v1.stories, v1.points, v1.to_do), (4, 29.0, 29.0));
        assert_eq!(v1.mean, Landing::Sprint(1));
        assert_eq!(v1.high, Landing::Sprint(1));
        // At 10 a sprint, with what each leaves carried on: 5 (5 left) |
        // 8 of 15 (7 left) | 8 + 8 of 17: the third.
        assert_eq!(v1.low, Landing::Sprint(2));
        // Sprints follow on from today, two weeks each, across the year's
        // end: the second ends on 17 January.
        assert_eq!(f.sprints[0].name, "Sprint +1");
        assert_eq!(
            (f.sprints[1].start, f.sprints[1].end),
            (day(2027, 1, 4), day(2027, 1, 17))
        );
        assert_eq!(f.landing_date(&b, v1.mean), Some(day(2027, 1, 17)));
        // Due 24 January: done by then at 20 a sprint, not at 10 (31 Jan).
        assert_eq!(f.landing_date(&b, v1.low), Some(day(2027, 1, 31)));
        assert_eq!(v1.track, Track::AtRisk);
        // The sprints carry unused points on: 13 in the first, 7 left.
        assert_eq!(f.sprints[0].points, 13.0);
        assert_eq!(f.sprints[1].carried_in, 7.0);
        assert_eq!(f.sprints[1].capacity, 27.0);
        assert_eq!(f.sprints[1].positions, 2..5);
    }

    #[test]
    fn moving_a_story_above_the_line_moves_the_release() {
        let mut b = planned(&[10.0, 10.0, 10.0, 10.0], &[20.0, 20.0, 20.0]);
        b.add_release(Release::new("v1", Some(day(2027, 1, 3))))
            .unwrap();
        b.place_line("v1", 2).unwrap();
        let before = Forecast::of(&b, today());
        assert_eq!(before.releases[0].mean, Landing::Sprint(0));
        assert_eq!(before.releases[0].track, Track::OnTrack);
        b.move_story(StoryId(4), crate::model::Move::Top).unwrap();
        let after = Forecast::of(&b, today());
        assert_eq!(after.releases[0].to_do, 30.0);
        assert_eq!(after.releases[0].mean, Landing::Sprint(1));
        assert_eq!(after.releases[0].track, Track::Late);
    }

    #[test]
    fn a_release_of_assigned_stories_waits_for_its_lowest_ranked_one() {
        let mut b = planned(&[10.0, 10.0, 10.0, 10.0], &[20.0, 20.0, 20.0]);
        b.add_epic(Epic {
            name: "Billing".into(),
            color: EpicColor::Blue,
            goal: String::new(),
            target_release: Some("1.1".into()),
        })
        .unwrap();
        let patch = StoryPatch {
            epic: Some(Some("Billing".into())),
            ..StoryPatch::default()
        };
        b.edit(StoryId(4), &patch, Utc::now()).unwrap();
        // The epic's release is made with it, without a date.
        b.assign_release(&[StoryId(1)], Some("1.1")).unwrap();
        let f = Forecast::of(&b, today());
        let release = &f.releases[0];
        assert_eq!(release.scope, Scope::Assigned);
        assert_eq!((release.stories, release.points), (2, 20.0));
        // S-4 is fourth in rank: everything above it comes first.
        assert_eq!(release.to_do, 40.0);
        assert_eq!(release.mean, Landing::Sprint(1));
        assert_eq!(release.track, Track::NoDate);
    }

    #[test]
    fn a_planned_sprints_capacity_wins_over_the_velocity() {
        let mut b = planned(&[10.0, 10.0, 10.0], &[20.0, 20.0, 20.0]);
        let mut holiday = Sprint::new("Sprint 4", today());
        holiday.capacity = Some(10.0);
        b.add_sprint(holiday).unwrap();
        let f = Forecast::of(&b, today());
        assert_eq!(f.sprints[0].name, "Sprint 4");
        assert_eq!(f.sprints[0].capacity, 10.0);
        assert_eq!(f.sprints[0].stories, 1);
        // Projected sprints are numbered on from the last recorded.
        assert_eq!(f.sprints[1].name, "Sprint 5");
        assert_eq!(f.sprints[1].capacity, 20.0);
        assert_eq!(f.sprints[1].stories, 2);
    }

    #[test]
    fn with_no_velocity_the_forecast_says_what_it_needs() {
        let mut b = planned(&[3.0, 5.0], &[]);
        b.add_release(Release::new("v1", Some(day(2027, 1, 3))))
            .unwrap();
        b.place_line("v1", 2).unwrap();
        let f = Forecast::of(&b, today());
        assert_eq!(f.source, Source::Nothing);
        assert!(f.needs().unwrap().contains("velocity add"));
        assert_eq!(f.releases[0].mean, Landing::Beyond);
        assert_eq!(f.releases[0].track, Track::Unknown);
        assert_eq!(f.releases[0].points, 8.0);
        assert!(f.sprints.is_empty());
    }

    #[test]
    fn a_team_without_sprints_has_a_velocity_from_its_done_dates() {
        let mut b = planned(&[3.0, 5.0, 8.0], &[]);
        let done = StoryPatch {
            status: Some(Status::Done),
            ..StoryPatch::default()
        };
        // Done 3 and 17 days before today: in the last two periods.
        b.edit(
            StoryId(1),
            &done,
            Utc.with_ymd_and_hms(2026, 12, 18, 9, 0, 0).unwrap(),
        )
        .unwrap();
        b.edit(
            StoryId(2),
            &done,
            Utc.with_ymd_and_hms(2026, 12, 4, 9, 0, 0).unwrap(),
        )
        .unwrap();
        let f = Forecast::of(&b, today());
        assert_eq!(f.source, Source::DoneDates);
        let points: Vec<f64> = f.history.iter().map(|(_, p)| *p).collect();
        assert_eq!(points, [0.0, 0.0, 0.0, 0.0, 5.0, 3.0]);
        assert_eq!(f.velocity, Some(8.0 / 3.0));
    }

    #[test]
    fn unestimated_stories_are_left_out_or_counted_as_the_settings_say() {
        let mut b = planned(&[5.0], &[10.0, 10.0, 10.0]);
        let at = Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap();
        b.add(&StoryPatch::title("No estimate"), Placement::Bottom, at)
            .unwrap();
        let f = Forecast::of(&b, today());
        assert_eq!((f.unestimated, f.left_out), (Unestimated::LeftOut, 1));
        assert_eq!(f.sprints[0].stories, 1);
        b.product.settings.plan.unestimated = Some(3.0);
        let f = Forecast::of(&b, today());
        assert_eq!((f.unestimated, f.left_out), (Unestimated::CountAs(3.0), 0));
        assert_eq!(f.sprints[0].points, 8.0);
    }

    #[test]
    fn a_release_the_mean_sees_late_is_late_whatever_the_range_says() {
        // The last three sprints slumped (mean 10); over all thirteen,
        // Cohn's range leaves three out at each end: 30 to 30. Due in one
        // sprint, 20 points: the range's low end does it, the mean not.
        let mut history = vec![30.0; 10];
        history.extend([10.0, 10.0, 10.0]);
        let mut b = planned(&[10.0, 10.0], &history);
        b.add_release(Release::new("v1", Some(day(2027, 1, 3))))
            .unwrap();
        b.place_line("v1", 2).unwrap();
        let f = Forecast::of(&b, today());
        assert_eq!(f.velocity, Some(10.0));
        assert_eq!(
            f.range,
            Some(Range {
                low: 30.0,
                high: 30.0
            })
        );
        assert_eq!(f.releases[0].low, Landing::Sprint(0));
        assert_eq!(f.releases[0].mean, Landing::Sprint(1));
        assert_eq!(f.releases[0].track, Track::Late);
    }

    #[test]
    fn a_date_splits_the_open_stories_into_will_might_and_wont() {
        // Range 10 to 20; two sprints end by 17 January: at least 20
        // points, at most 40.
        let b = planned(&[10.0, 10.0, 10.0, 10.0, 10.0], &[10.0, 20.0, 20.0]);
        let f = Forecast::of(&b, today());
        let (sprints, split) = f.by_date(&b, day(2027, 1, 17)).unwrap();
        assert_eq!(sprints, 2);
        let ids = |ids: &[StoryId]| ids.iter().map(|id| id.0).collect::<Vec<_>>();
        assert_eq!(ids(&split.will), [1, 2]);
        assert_eq!(ids(&split.might), [3, 4]);
        assert_eq!(ids(&split.wont), [5]);
        // Before the first sprint ends, nothing is sure.
        let (sprints, split) = f.by_date(&b, day(2026, 12, 22)).unwrap();
        assert_eq!(sprints, 0);
        assert!(split.will.is_empty() && split.might.is_empty());
        assert_eq!(
            Forecast::of(&planned(&[1.0], &[]), today()).by_date(&b, today()),
            None
        );
    }

    #[test]
    fn projected_sprints_are_numbered_on_from_the_last_one() {
        assert_eq!(projected_name("Sprint 14", 1), "Sprint 15");
        assert_eq!(projected_name("S9", 3), "S12");
        assert_eq!(projected_name("Autumn", 2), "Autumn +2");
        assert_eq!(projected_name("", 1), "Sprint +1");
    }

    /// A story of `points`, with `status`, added (and so changed to that
    /// status) on `on`.
    fn add(backlog: &mut Backlog, points: f64, status: Status, on: NaiveDate) {
        let patch = StoryPatch {
            points: Some(Some(Points::new(points).unwrap())),
            status: Some(status),
            ..StoryPatch::title("A story")
        };
        let at = Utc.from_utc_datetime(&on.and_hms_opt(12, 0, 0).unwrap());
        backlog.add(&patch, Placement::Bottom, at).unwrap();
    }

    #[test]
    fn a_release_with_nothing_left_to_do_is_done_even_with_no_velocity() {
        // Done long before the periods the done dates are read from: there
        // is no velocity, but nothing of the release is left to do.
        let mut backlog = Backlog::new("Test");
        add(&mut backlog, 5.0, Status::Done, day(2020, 1, 6));
        add(&mut backlog, 3.0, Status::Draft, day(2020, 1, 6));
        backlog
            .add_release(Release::new("1.0", Some(day(2027, 3, 31))))
            .unwrap();
        backlog.place_line("1.0", 1).unwrap();
        let forecast = Forecast::of(&backlog, day(2027, 1, 4));
        assert_eq!(forecast.velocity, None);
        let release = &forecast.releases[0];
        assert_eq!(
            (release.low, release.mean, release.high),
            (Landing::Done, Landing::Done, Landing::Done)
        );
        assert_eq!(release.track, Track::OnTrack);
        assert_eq!(
            forecast.landing_date(&backlog, release.mean),
            Some(day(2027, 1, 4))
        );
    }

    #[test]
    fn the_periods_of_done_stories_are_named_in_the_singular_for_one() {
        let mut backlog = Backlog::new("Test");
        add(&mut backlog, 5.0, Status::Done, day(2027, 1, 1));
        let forecast = Forecast::of(&backlog, day(2027, 1, 4));
        assert_eq!(forecast.source, Source::DoneDates);
        let names: Vec<&str> = forecast.history.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "6 sprints ago",
                "5 sprints ago",
                "4 sprints ago",
                "3 sprints ago",
                "2 sprints ago",
                "1 sprint ago"
            ]
        );
    }
}
