//! Release forecasts from the team's velocity: how many points a sprint
//! takes, which ranked stories fall into each coming sprint, and which a
//! date will, might and won't see done.
//!
//! Pure: no files, no terminal, no clock (the first sprint's start is
//! passed in). Each method says where it comes from.

pub mod burnup;
pub mod carlo;
pub mod lanes;
pub mod report;

use chrono::{Days, NaiveDate};

use crate::model::StoryId;

mod plan;

pub use plan::{
    Coming, Forecast, HORIZON, Landing, ReleaseForecast, Scope, Source, Track, coming_sprint,
    done_by_period, known_capacities,
};

/// How many of the last closed sprints the velocity is the mean of, as
/// Jira's release burndown takes it.
pub const SPRINTS_FOR_VELOCITY: usize = 3;

/// The mean points of the `last` sprints of `closed` (oldest first), or
/// of all of them when fewer closed; none when none closed.
#[must_use]
pub fn velocity(closed: &[f64], last: usize) -> Option<f64> {
    let taken = &closed[closed.len().saturating_sub(last.max(1))..];
    #[allow(
        clippy::cast_precision_loss,
        reason = "a count of sprints, far below 2^52"
    )]
    let count = taken.len() as f64;
    (!taken.is_empty()).then(|| taken.iter().sum::<f64>() / count)
}

/// How many sprints to leave out at each end of the sorted velocities for
/// a 90% confidence range, by Mike Cohn's table ("Advanced Agile
/// Planning", 2012; the Mountain Goat velocity range calculator): none
/// for up to 7 sprints, then 1 for 8 to 10, 2 for 11 and 12, 3 for 13 to
/// 15, 4 for 16 and 17, 5 for 18 to 20, 6 for 21 and 22, 7 for 23 to 25,
/// and 8 from 26.
#[must_use]
pub fn trimmed(sprints: usize) -> usize {
    match sprints {
        0..=7 => 0,
        8..=10 => 1,
        11..=12 => 2,
        13..=15 => 3,
        16..=17 => 4,
        18..=20 => 5,
        21..=22 => 6,
        23..=25 => 7,
        _ => 8,
    }
}

/// A range of velocities: the team will likely do at least `low` points
/// a sprint, and not more than `high`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    pub low: f64,
    pub high: f64,
}

/// Cohn's range: the velocities sorted, [`trimmed`] left out at each end,
/// the lowest and highest of the rest. None with no velocities.
#[must_use]
pub fn velocity_range(velocities: &[f64]) -> Option<Range> {
    let mut sorted = velocities.to_vec();
    sorted.sort_by(f64::total_cmp);
    let cut = trimmed(sorted.len());
    let kept = sorted.get(cut..sorted.len().saturating_sub(cut))?;
    Some(Range {
        low: *kept.first()?,
        high: *kept.last()?,
    })
}

/// A story still to do, in rank order, with its estimate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Planned {
    pub id: StoryId,
    pub points: Option<f64>,
}

/// What becomes of stories with no estimate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Unestimated {
    /// Counted at these points each.
    CountAs(f64),
    /// Left out of the plan, and listed as such.
    LeftOut,
}

impl Unestimated {
    /// The points `story` counts for: its estimate, else the default, else
    /// none (it is left out).
    fn points(self, story: &Planned) -> Option<f64> {
        match (story.points, self) {
            (Some(points), _) | (None, Unestimated::CountAs(points)) => Some(points),
            (None, Unestimated::LeftOut) => None,
        }
    }
}

/// One coming sprint as the plan fills it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SprintPlan {
    pub stories: Vec<StoryId>,
    /// The points of its stories.
    pub points: f64,
    /// What it could take: the velocity and what the sprint before left.
    pub capacity: f64,
    /// The points the sprint before left unused, carried into this one.
    pub carried_in: f64,
    /// Stories larger than the velocity: each has a sprint of its own, and
    /// more than the sprint can take.
    pub too_big: Vec<StoryId>,
}

impl SprintPlan {
    /// The points left unused, carried into the next sprint: `3 (= 20 + 7
    /// − 24)`; 0 when the sprint takes more than it can.
    #[must_use]
    pub fn left(&self) -> f64 {
        (self.capacity - self.points).max(0.0)
    }
}

/// The coming sprints filled with the stories to do.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fill {
    pub sprints: Vec<SprintPlan>,
    /// Stories with no estimate, left out as asked.
    pub left_out: Vec<StoryId>,
    /// Stories past the last sprint planned.
    pub beyond: Vec<StoryId>,
}

/// Places stories, in rank order, into coming sprints, as the Azure
/// Boards forecast tool does: a sprint takes stories while they fit, and
/// the points it leaves unused are carried into the next (20 a sprint, 7
/// carried in, 24 taken: 3 carried on). A story that does not fit goes
/// to the next sprint; one larger than a sprint's capacity goes into a
/// sprint of its own, flagged, never dropped. A sprint that can take
/// nothing (a capacity of 0: a holiday), or less than a story no larger
/// than the velocity, is passed over, and what it could take is carried
/// on.
#[derive(Clone, Debug)]
pub struct Filler<'a> {
    velocity: f64,
    /// The capacities of the first sprints, where the team set one.
    known: &'a [Option<f64>],
    /// The sprint being filled, from 0.
    sprint: usize,
    capacity: f64,
    carried_in: f64,
    used: f64,
    /// Whether the sprint being filled has a story yet.
    started: bool,
}

impl<'a> Filler<'a> {
    /// Sprints each able to take `velocity` points, but for the first
    /// ones, which take what `known` gives where it gives a capacity.
    #[must_use]
    pub fn new(velocity: f64, known: &'a [Option<f64>]) -> Self {
        let mut filler = Filler {
            velocity,
            known,
            sprint: 0,
            capacity: 0.0,
            carried_in: 0.0,
            used: 0.0,
            started: false,
        };
        filler.capacity = filler.own_capacity(0);
        filler
    }

    /// What sprint `k` can take of itself, before anything carried in.
    fn own_capacity(&self, k: usize) -> f64 {
        self.known
            .get(k)
            .copied()
            .flatten()
            .unwrap_or(self.velocity)
            .max(0.0)
    }

    /// Whether any sprint can take anything: with a velocity of 0 and no
    /// capacity known ahead, nothing is ever done.
    #[must_use]
    pub fn can_plan(&self) -> bool {
        self.velocity > 0.0 || self.known.iter().flatten().any(|c| *c > 0.0)
    }

    fn next_sprint(&mut self) {
        let carried = if self.started {
            (self.capacity - self.used).max(0.0)
        } else {
            self.capacity
        };
        self.sprint += 1;
        self.carried_in = carried;
        self.capacity = self.own_capacity(self.sprint) + carried;
        self.used = 0.0;
        self.started = false;
    }

    /// Place a story of `points`: the sprint (from 0) it falls in, and
    /// whether it is larger than that sprint can take. None when no
    /// sprint can take anything ([`Filler::can_plan`]), or past `horizon`
    /// sprints.
    pub fn place(&mut self, points: f64, horizon: usize) -> Option<(usize, bool)> {
        if !self.can_plan() {
            return None;
        }
        if self.started && self.used + points > self.capacity {
            self.next_sprint();
        }
        // Sprints that can take nothing are passed over, as far as the
        // horizon; so is one too small for a story an ordinary sprint
        // takes (a holiday with a few points carried in), which would
        // otherwise be flagged there as too big. What it could take is
        // carried on.
        while !self.started
            && (self.capacity <= 0.0 || (points > self.capacity && points <= self.velocity))
            && self.sprint < horizon
        {
            self.next_sprint();
        }
        if self.sprint >= horizon {
            return None;
        }
        self.started = true;
        self.used += points;
        Some((self.sprint, points > self.own_capacity(self.sprint)))
    }

    /// The sprint being filled, from 0.
    #[must_use]
    pub fn sprint(&self) -> usize {
        self.sprint
    }

    /// The sprint being filled: what it can take (its own capacity and
    /// what was carried in), what was carried in, and what it holds.
    #[must_use]
    pub fn current(&self) -> (f64, f64, f64) {
        (self.capacity, self.carried_in, self.used)
    }
}

/// Fill `sprints` coming sprints, each able to take `velocity` points,
/// with `stories` in rank order, as [`Filler`] places them. A velocity of
/// 0 or less plans nothing.
#[must_use]
pub fn fill(stories: &[Planned], velocity: f64, sprints: usize, unestimated: Unestimated) -> Fill {
    let mut plan = Fill::default();
    let mut filler = Filler::new(velocity, &[]);
    for story in stories {
        let Some(points) = unestimated.points(story) else {
            plan.left_out.push(story.id);
            continue;
        };
        let Some((k, too_big)) = filler.place(points, sprints) else {
            plan.beyond.push(story.id);
            continue;
        };
        while plan.sprints.len() <= k {
            plan.sprints.push(SprintPlan::default());
        }
        let (capacity, carried_in, used) = filler.current();
        let sprint = &mut plan.sprints[k];
        sprint.stories.push(story.id);
        sprint.points = used;
        sprint.capacity = capacity;
        sprint.carried_in = carried_in;
        if too_big {
            sprint.too_big.push(story.id);
        }
    }
    plan
}

/// The first and last day of sprint `k` (0 for the first), each sprint
/// `days` long and the first starting on `start`: calendar days, right
/// across month and year ends. None past the calendar's end.
#[must_use]
pub fn sprint_dates(start: NaiveDate, days: u32, k: usize) -> Option<(NaiveDate, NaiveDate)> {
    let days = u64::from(days.max(1));
    let first = start.checked_add_days(Days::new(days.checked_mul(u64::try_from(k).ok()?)?))?;
    let last = first.checked_add_days(Days::new(days - 1))?;
    Some((first, last))
}

/// What a number of sprints will, might and won't see done, by the
/// velocity range: what the low velocity reaches is `will`, what only the
/// high one reaches `might`, the rest `wont`. Stories in rank order, as
/// [`fill`] takes them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Split {
    pub will: Vec<StoryId>,
    pub might: Vec<StoryId>,
    pub wont: Vec<StoryId>,
}

/// Split `stories` for `sprints` sprints by `range` (Cohn's "will have /
/// might have / won't have" for a date). Unestimated stories go as
/// `unestimated` says; one left out is in none of the three.
#[must_use]
pub fn split(stories: &[Planned], range: Range, sprints: usize, unestimated: Unestimated) -> Split {
    #[allow(
        clippy::cast_precision_loss,
        reason = "a count of sprints, far below 2^52"
    )]
    let sprints = sprints as f64;
    let (low, high) = (range.low * sprints, range.high * sprints);
    let mut split = Split::default();
    let mut total = 0.0;
    for story in stories {
        let Some(points) = unestimated.points(story) else {
            continue;
        };
        total += points;
        if total <= low {
            split.will.push(story.id);
        } else if total <= high {
            split.might.push(story.id);
        } else {
            split.wont.push(story.id);
        }
    }
    split
}

#[cfg(test)]
#[allow(
    clippy::float_cmp,
    reason = "the points here are whole numbers, exact in f64"
)]
mod tests {
    use super::*;

    fn planned(points: &[f64]) -> Vec<Planned> {
        points
            .iter()
            .zip(1..)
            .map(|(&p, id)| Planned {
                id: StoryId(id),
                points: Some(p),
            })
            .collect()
    }

    fn ids(ids: &[StoryId]) -> Vec<u64> {
        ids.iter().map(|id| id.0).collect()
    }

    #[test]
    fn velocity_is_the_mean_of_the_last_three_closed_sprints() {
        assert_eq!(
            velocity(&[10.0, 30.0, 20.0, 25.0], SPRINTS_FOR_VELOCITY),
            Some(25.0)
        );
        assert_eq!(velocity(&[12.0, 18.0], SPRINTS_FOR_VELOCITY), Some(15.0));
        assert_eq!(velocity(&[], SPRINTS_FOR_VELOCITY), None);
    }

    #[test]
    fn cohns_table_at_its_boundaries() {
        for (sprints, cut) in [
            (0, 0),
            (7, 0),
            (8, 1),
            (10, 1),
            (11, 2),
            (12, 2),
            (13, 3),
            (15, 3),
            (16, 4),
            (17, 4),
            (18, 5),
            (20, 5),
            (21, 6),
            (22, 6),
            (23, 7),
            (25, 7),
            (26, 8),
            (50, 8),
        ] {
            assert_eq!(trimmed(sprints), cut, "{sprints} sprints");
        }
        // His slide's nine velocities: the lowest and highest go.
        let range =
            velocity_range(&[27.0, 34.0, 35.0, 38.0, 39.0, 40.0, 40.0, 41.0, 45.0]).unwrap();
        assert_eq!(
            range,
            Range {
                low: 34.0,
                high: 41.0
            }
        );
        assert_eq!(velocity_range(&[]), None);
    }

    #[test]
    fn unused_points_carry_into_the_next_sprint_as_azure_boards_does() {
        // 20 a sprint: the first takes 13 and leaves 7 (the next story, 8,
        // does not fit); the second can take 20 + 7 and takes 24, leaving
        // 3 (= 20 + 7 - 24).
        let plan = fill(
            &planned(&[5.0, 8.0, 8.0, 8.0, 8.0, 13.0]),
            20.0,
            3,
            Unestimated::LeftOut,
        );
        assert_eq!(ids(&plan.sprints[0].stories), [1, 2]);
        assert_eq!(plan.sprints[0].left(), 7.0);
        let second = &plan.sprints[1];
        assert_eq!(ids(&second.stories), [3, 4, 5]);
        assert_eq!(
            (second.carried_in, second.capacity, second.points),
            (7.0, 27.0, 24.0)
        );
        assert_eq!(second.left(), 3.0);
        assert_eq!(plan.sprints[2].capacity, 23.0);
        assert_eq!(ids(&plan.sprints[2].stories), [6]);
    }

    #[test]
    fn a_story_waits_past_a_holiday_it_does_not_fit_rather_than_being_flagged_in_it() {
        // 20 a sprint; the second is a holiday (a capacity of 0), which can
        // take only the 3 points carried into it.
        let known = [None, Some(0.0)];
        let mut filler = Filler::new(20.0, &known);
        assert_eq!(filler.place(17.0, 10), Some((0, false)));
        // 5 points fit any ordinary sprint: they wait for the third, which
        // can take 20 and the 3 the holiday left.
        assert_eq!(filler.place(5.0, 10), Some((2, false)));
        assert_eq!(filler.current(), (23.0, 3.0, 5.0));
        // A story larger than the velocity still takes the next sprint
        // whatever it can take, flagged.
        assert_eq!(filler.place(30.0, 10), Some((3, true)));
    }

    #[test]
    fn a_release_that_fits_exactly_ends_on_the_sprint_boundary() {
        let plan = fill(
            &planned(&[10.0, 10.0, 5.0, 15.0]),
            20.0,
            2,
            Unestimated::LeftOut,
        );
        assert_eq!(ids(&plan.sprints[0].stories), [1, 2]);
        assert_eq!(plan.sprints[0].left(), 0.0);
        assert_eq!(ids(&plan.sprints[1].stories), [3, 4]);
        assert!(plan.beyond.is_empty());
    }

    #[test]
    fn a_story_larger_than_the_velocity_is_flagged_not_dropped() {
        let plan = fill(&planned(&[3.0, 40.0, 5.0]), 20.0, 4, Unestimated::LeftOut);
        assert_eq!(ids(&plan.sprints[0].stories), [1]);
        assert_eq!(ids(&plan.sprints[1].stories), [2]);
        assert_eq!(ids(&plan.sprints[1].too_big), [2]);
        assert_eq!(plan.sprints[1].left(), 0.0, "nothing carried past it");
        assert_eq!(ids(&plan.sprints[2].stories), [3]);
    }

    #[test]
    fn unestimated_stories_are_counted_at_a_default_or_left_out_and_listed() {
        let mut stories = planned(&[8.0, 8.0]);
        stories.insert(
            1,
            Planned {
                id: StoryId(9),
                points: None,
            },
        );
        let left = fill(&stories, 10.0, 3, Unestimated::LeftOut);
        assert_eq!(ids(&left.left_out), [9]);
        assert_eq!(left.sprints.len(), 2);
        // Counted at 3: the first sprint leaves 2, the second can take 12
        // and takes 3 + 8.
        let counted = fill(&stories, 10.0, 3, Unestimated::CountAs(3.0));
        assert!(counted.left_out.is_empty());
        assert_eq!(ids(&counted.sprints[1].stories), [9, 2]);
    }

    #[test]
    fn stories_past_the_last_sprint_are_beyond_it_and_no_velocity_plans_nothing() {
        let plan = fill(&planned(&[8.0, 8.0, 8.0]), 10.0, 2, Unestimated::LeftOut);
        assert_eq!(plan.sprints.len(), 2);
        assert_eq!(ids(&plan.beyond), [3]);
        let none = fill(&planned(&[8.0]), 0.0, 2, Unestimated::LeftOut);
        assert!(none.sprints.is_empty());
        assert_eq!(ids(&none.beyond), [1]);
    }

    #[test]
    fn sprint_dates_cross_month_and_year_ends() {
        let start = NaiveDate::from_ymd_opt(2026, 12, 21).unwrap();
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            sprint_dates(start, 14, 0),
            Some((date(2026, 12, 21), date(2027, 1, 3)))
        );
        assert_eq!(
            sprint_dates(start, 14, 1),
            Some((date(2027, 1, 4), date(2027, 1, 17)))
        );
        // Across February of a leap year.
        let feb = date(2028, 2, 21);
        assert_eq!(
            sprint_dates(feb, 14, 0),
            Some((date(2028, 2, 21), date(2028, 3, 5)))
        );
        assert_eq!(sprint_dates(date(262_000, 1, 1), 14, usize::MAX), None);
    }

    #[test]
    fn a_date_splits_the_backlog_into_will_might_and_wont() {
        // 3 sprints at 10 to 14: at least 30 points, at most 42.
        let split = split(
            &planned(&[10.0, 10.0, 10.0, 8.0, 5.0]),
            Range {
                low: 10.0,
                high: 14.0,
            },
            3,
            Unestimated::LeftOut,
        );
        assert_eq!(ids(&split.will), [1, 2, 3]);
        assert_eq!(ids(&split.might), [4]);
        assert_eq!(ids(&split.wont), [5]);
    }
}
