//! A burnup chart's numbers: per past sprint the work known (scope) and
//! the work completed, and from where the team stands the lines its low,
//! mean and high velocity draw up to the scope.
//!
//! Completed is the velocity history added up, sprint by sprint, so the
//! chart agrees with the forecast however the velocity was recorded
//! (closed sprints, entered by hand, or the done dates). The scope at a
//! sprint's end is what had been completed by then plus the points of
//! the stories (rejected ones aside) that had been created by then and
//! were not yet done: the work known then, as far as the stories of today
//! can tell (a story deleted since, or re-estimated, counts as it is
//! now). So the gap between the two lines is always the work waiting,
//! and today it is the open points the forecast places in sprints.
//!
//! Pure: "today" comes with the forecast, and each history entry's end
//! day comes from the backlog's own records of it.

use chrono::{Days, NaiveDate};

use super::{Forecast, Source, Unestimated};
use crate::model::{Backlog, PastSprint, Points, SPRINT_DAYS, SprintState, Status};

/// The chart at one day: the work known, and completed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mark {
    pub day: NaiveDate,
    pub scope: f64,
    pub done: f64,
}

/// A forecast line: from where the team stands, `velocity` points each
/// sprint of `days` days, up to the scope.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projection {
    pub velocity: f64,
    /// The day it reaches the scope: the start plus the remaining points'
    /// share of sprints, in days, rounded up. None for a velocity of 0, or
    /// past the calendar's end.
    pub reaches: Option<NaiveDate>,
}

/// A burnup chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Burnup {
    /// Where the first sprint of the history started (completed 0), then
    /// each sprint's end, oldest first. Empty with no history.
    pub past: Vec<Mark>,
    /// Where the forecast lines start: the day before the first coming
    /// sprint (or today, with none), the points completed (the whole
    /// history), and the scope (completed plus the work open now).
    pub start: Mark,
    /// The length of a sprint the lines climb by.
    pub sprint_days: u32,
    /// The lines at the low, mean and high velocity, where there is one.
    pub low: Option<Projection>,
    pub mean: Option<Projection>,
    pub high: Option<Projection>,
}

impl Burnup {
    /// The burnup of `backlog` as `forecast` (of that backlog) sees it.
    #[must_use]
    pub fn of(backlog: &Backlog, forecast: &Forecast) -> Burnup {
        let sprint_days = backlog
            .product
            .sprints
            .iter()
            .rfind(|s| s.state == SprintState::Closed)
            .or_else(|| backlog.product.sprints.last())
            .map_or(SPRINT_DAYS, |s| s.days.max(1));
        let start_day = forecast
            .sprints
            .first()
            .and_then(|s| s.start.checked_sub_days(Days::new(1)))
            .unwrap_or(forecast.today);
        let ends = history_ends(backlog, forecast, start_day, sprint_days);
        // The done dates' periods end today, which may be after the day
        // before the first coming sprint: the lines start where they end.
        let start_day = ends.last().map_or(start_day, |end| start_day.max(*end));
        // The days the chart marks: the first sprint's start and each
        // end; then every story open now, whenever it was made, for the
        // start of the lines.
        let mut days = Vec::with_capacity(ends.len() + 2);
        if let Some(first) = ends.first() {
            days.push(
                first
                    .checked_sub_days(Days::new(u64::from(sprint_days)))
                    .unwrap_or(*first),
            );
        }
        days.extend(&ends);
        days.push(NaiveDate::MAX);
        let waiting = waiting_on(backlog, forecast.unestimated, &days);

        let mut done = 0.0;
        let mut past = Vec::with_capacity(days.len() - 1);
        for (i, day) in days[..days.len() - 1].iter().enumerate() {
            if i > 0 {
                done += forecast.history[i - 1].1;
            }
            past.push(Mark {
                day: *day,
                scope: done + waiting[i],
                done,
            });
        }
        let completed: f64 = forecast.history.iter().map(|(_, p)| p).sum();
        let start = Mark {
            day: start_day,
            scope: completed + waiting[days.len() - 1],
            done: completed,
        };
        let line = |velocity: Option<f64>| {
            velocity.map(|velocity| Projection {
                velocity,
                reaches: reaches(start, velocity, sprint_days),
            })
        };
        Burnup {
            past,
            start,
            sprint_days,
            low: line(forecast.range.map(|r| r.low)),
            mean: line(forecast.velocity),
            high: line(forecast.range.map(|r| r.high)),
        }
    }

    /// The scope: the work known where the lines start.
    #[must_use]
    pub fn scope(&self) -> f64 {
        self.start.scope
    }
}

/// The day a line from `start` climbing `velocity` points every
/// `sprint_days` days reaches the scope: `start` itself when nothing is
/// left, none when it never does.
fn reaches(start: Mark, velocity: f64, sprint_days: u32) -> Option<NaiveDate> {
    let left = start.scope - start.done;
    if left <= 0.0 {
        return Some(start.day);
    }
    if velocity <= 0.0 || !velocity.is_finite() {
        return None;
    }
    let days = (left / velocity * f64::from(sprint_days)).ceil();
    // Past twenty thousand years the calendar ends anyway.
    if days > 1e7 {
        return None;
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a whole, positive number of days below 1e7"
    )]
    let days = days as u64;
    start.day.checked_add_days(Days::new(days))
}

/// The last day of each sprint of the forecast's history, oldest first.
/// Closed sprints know theirs; a velocity entered by hand knows its own
/// when it was given one, else it is taken to end a sprint before the
/// next entry (the last entry, the day before the first coming sprint);
/// the done dates' periods end every `sprint_days` up to today.
fn history_ends(
    backlog: &Backlog,
    forecast: &Forecast,
    start: NaiveDate,
    sprint_days: u32,
) -> Vec<NaiveDate> {
    let count = forecast.history.len();
    let step = |day: NaiveDate, back: usize| {
        u64::try_from(back)
            .ok()
            .and_then(|back| back.checked_mul(u64::from(sprint_days)))
            .and_then(|days| day.checked_sub_days(Days::new(days)))
            .unwrap_or(NaiveDate::MIN)
    };
    let known: Vec<Option<NaiveDate>> = match forecast.source {
        Source::Nothing => return Vec::new(),
        Source::DoneDates => {
            return (0..count)
                .map(|i| step(forecast.today, count - 1 - i))
                .collect();
        }
        // As `Backlog::velocities` takes them: entered by hand by the day
        // they ended (none first), then the closed sprints.
        Source::Sprints => {
            let mut past: Vec<&PastSprint> = backlog.product.past_sprints.iter().collect();
            past.sort_by_key(|p| p.ended);
            past.into_iter()
                .map(|p| p.ended)
                .chain(
                    backlog
                        .product
                        .sprints
                        .iter()
                        .filter(|s| s.state == SprintState::Closed)
                        .map(|s| Some(s.end())),
                )
                .collect()
        }
    };
    if known.len() != count {
        // Not the history the forecast has: sprints one after another.
        return (0..count).map(|i| step(start, count - 1 - i)).collect();
    }
    let mut ends = vec![start; count];
    let mut next = start;
    for (i, day) in known.iter().enumerate().rev() {
        let end = day.unwrap_or_else(|| if i + 1 == count { next } else { step(next, 1) });
        ends[i] = end;
        next = end;
    }
    ends
}

/// For each of `days` (in order), the points of the stories, rejected
/// ones aside, created by the end of that day and not done by then:
/// each story counted once, as a span of days, then added up.
fn waiting_on(backlog: &Backlog, unestimated: Unestimated, days: &[NaiveDate]) -> Vec<f64> {
    // Each story adds its points from the first day it was waiting on to
    // the first day it was no longer.
    let mut change = vec![0.0; days.len() + 1];
    for story in backlog.stories_by_id() {
        if story.status == Status::Rejected {
            continue;
        }
        let points = match (story.points, unestimated) {
            (Some(points), _) => Points::value(points),
            (None, Unestimated::CountAs(points)) => points,
            (None, Unestimated::LeftOut) => continue,
        };
        let created = story.created.date_naive();
        let from = days.partition_point(|day| *day < created);
        let until = match (story.status, story.done_at()) {
            (Status::Done, Some(done)) => {
                let done = done.date_naive();
                days.partition_point(|day| *day < done)
            }
            // Done, with no record of when: done before anything here.
            (Status::Done, None) => 0,
            _ => days.len(),
        };
        if from < until {
            change[from] += points;
            change[until] -= points;
        }
    }
    let mut running = 0.0;
    change[..days.len()]
        .iter()
        .map(|c| {
            running += c;
            running
        })
        .collect()
}

#[cfg(test)]
#[allow(
    clippy::float_cmp,
    reason = "the points here are whole numbers, exact in f64"
)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::model::{Placement, Sprint, StoryPatch};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(day: NaiveDate) -> chrono::DateTime<Utc> {
        Utc.from_utc_datetime(&day.and_hms_opt(10, 0, 0).unwrap())
    }

    /// Stories of `points`, each created on its day.
    fn backlog(stories: &[(f64, NaiveDate)]) -> Backlog {
        let mut b = Backlog::new("Burnup");
        for (i, (points, created)) in stories.iter().enumerate() {
            let patch = StoryPatch {
                points: Some(Some(Points::new(*points).unwrap())),
                ..StoryPatch::title(format!("Story {i}"))
            };
            b.add(&patch, Placement::Bottom, at(*created)).unwrap();
        }
        b
    }

    fn closed(b: &mut Backlog, name: &str, start: NaiveDate, points: f64) {
        b.add_sprint(Sprint::new(name, start)).unwrap();
        b.close_sprint(name, Some(points)).unwrap();
    }

    fn done(b: &mut Backlog, n: u64, on: NaiveDate) {
        let patch = StoryPatch {
            status: Some(Status::Done),
            ..StoryPatch::default()
        };
        b.edit(crate::model::StoryId(n), &patch, at(on)).unwrap();
    }

    #[test]
    fn completed_adds_up_the_velocity_and_scope_is_completed_plus_the_work_waiting() {
        // Two closed sprints, 1-14 and 15-28 September; the next starts
        // 29 September, in step with them.
        let mut b = backlog(&[
            (5.0, day(2026, 8, 20)),
            (8.0, day(2026, 9, 3)),
            (3.0, day(2026, 9, 20)),
            (13.0, day(2026, 10, 2)),
        ]);
        done(&mut b, 1, day(2026, 9, 10));
        closed(&mut b, "S1", day(2026, 9, 1), 5.0);
        closed(&mut b, "S2", day(2026, 9, 15), 7.0);
        let today = day(2026, 10, 5);
        let forecast = Forecast::of(&b, today);
        let burnup = Burnup::of(&b, &forecast);
        let marks: Vec<(NaiveDate, f64, f64)> = burnup
            .past
            .iter()
            .map(|m| (m.day, m.scope, m.done))
            .collect();
        assert_eq!(
            marks,
            [
                // The first sprint's start: S-1 waiting.
                (day(2026, 8, 31), 5.0, 0.0),
                // S1's end: S-1 done, S-2 waiting.
                (day(2026, 9, 14), 5.0 + 8.0, 5.0),
                // S2's end: S-2 and S-3 waiting.
                (day(2026, 9, 28), 12.0 + 11.0, 12.0),
            ]
        );
        // Where the lines start, the day before the first coming sprint,
        // with the work open today: S-4, made since, too.
        assert_eq!(burnup.start.day, day(2026, 9, 28));
        assert_eq!((burnup.start.done, burnup.scope()), (12.0, 12.0 + 24.0));
        // 24 points to go at 6 a sprint of 14 days: 56 days.
        let mean = burnup.mean.unwrap();
        assert_eq!(mean.velocity, 6.0);
        assert_eq!(mean.reaches, Some(day(2026, 11, 23)));
        // Cohn's range over two sprints: 5 to 7.
        assert_eq!(burnup.low.unwrap().velocity, 5.0);
        assert_eq!(burnup.high.unwrap().velocity, 7.0);
    }

    #[test]
    fn velocity_entered_by_hand_without_a_day_ends_a_sprint_before_the_next() {
        let mut b = backlog(&[(8.0, day(2026, 1, 1))]);
        for (name, points) in [("P1", 3.0), ("P2", 4.0)] {
            b.add_past_sprint(PastSprint {
                sprint: name.into(),
                points,
                ended: None,
            })
            .unwrap();
        }
        closed(&mut b, "S3", day(2026, 3, 2), 5.0);
        let forecast = Forecast::of(&b, day(2026, 3, 20));
        let burnup = Burnup::of(&b, &forecast);
        let days: Vec<NaiveDate> = burnup.past.iter().map(|m| m.day).collect();
        // S3 ends 15 March; P2 a sprint before, P1 a sprint before that,
        // and the history starts a sprint before P1's end.
        assert_eq!(
            days,
            [
                day(2026, 2, 1),
                day(2026, 2, 15),
                day(2026, 3, 1),
                day(2026, 3, 15)
            ]
        );
        let done: Vec<f64> = burnup.past.iter().map(|m| m.done).collect();
        assert_eq!(done, [0.0, 3.0, 7.0, 12.0]);
    }

    #[test]
    fn done_dates_give_periods_up_to_today_where_the_lines_start() {
        let today = day(2026, 3, 31);
        let mut b = backlog(&[(5.0, day(2026, 1, 1)), (3.0, day(2026, 1, 2))]);
        done(&mut b, 1, day(2026, 3, 20));
        let forecast = Forecast::of(&b, today);
        assert_eq!(forecast.source, Source::DoneDates);
        let burnup = Burnup::of(&b, &forecast);
        let last = burnup.past.last().unwrap();
        assert_eq!((last.day, last.done), (today, 5.0));
        assert_eq!(burnup.start.day, today);
        assert_eq!((burnup.start.done, burnup.scope()), (5.0, 8.0));
    }

    #[test]
    fn with_no_velocity_there_is_scope_and_no_line() {
        let b = backlog(&[(5.0, day(2026, 1, 1)), (3.0, day(2026, 1, 2))]);
        let forecast = Forecast::of(&b, day(2026, 2, 1));
        let burnup = Burnup::of(&b, &forecast);
        assert!(burnup.past.is_empty());
        assert_eq!((burnup.start.done, burnup.scope()), (0.0, 8.0));
        assert_eq!((burnup.low, burnup.mean, burnup.high), (None, None, None));
    }

    #[test]
    fn a_line_that_never_climbs_never_reaches_the_scope() {
        let start = Mark {
            day: day(2026, 1, 1),
            scope: 10.0,
            done: 4.0,
        };
        assert_eq!(reaches(start, 0.0, 14), None);
        assert_eq!(reaches(start, 1e-300, 14), None);
        assert_eq!(reaches(start, 6.0, 14), Some(day(2026, 1, 15)));
        let finished = Mark {
            done: 10.0,
            ..start
        };
        assert_eq!(reaches(finished, 0.0, 14), Some(day(2026, 1, 1)));
    }
}
