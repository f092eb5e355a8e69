//! What the roadmap pane shows, worked out once when the pane is shown
//! and after each change while it is, never per frame: the forecast, the
//! burnup, the timeline's rows (counted, not built: only the rows on
//! screen are drawn) and the epics' lanes.

use chrono::NaiveDate;

use crate::forecast::burnup::Burnup;
use crate::forecast::lanes::Lanes;
use crate::forecast::{Forecast, Landing};
use crate::model::{Backlog, Story};

/// Everything the pane draws from the backlog, on one day.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub forecast: Forecast,
    pub burnup: Burnup,
    pub timeline: Timeline,
    pub lanes: Lanes,
}

impl Plan {
    /// The plan of `backlog` on `today`.
    #[must_use]
    pub fn of(backlog: &Backlog, today: NaiveDate) -> Plan {
        let forecast = Forecast::of(backlog, today);
        let burnup = Burnup::of(backlog, &forecast);
        let timeline = Timeline::of(&forecast);
        let lanes = Lanes::of(backlog, &forecast);
        Plan {
            forecast,
            burnup,
            timeline,
            lanes,
        }
    }
}

/// Something the timeline marks between its stories.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Release `release` (its place in the forecast's releases) is due
    /// on a day of this sprint (before the first sprint: in the first).
    Due(usize),
    /// Release `release` is done in this sprint, at the mean velocity.
    Lands(usize),
    /// This many stories fall past the last sprint the forecast plans.
    Beyond(usize),
}

/// One coming sprint's rows: its heading, its stories, then its marks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SprintRows {
    /// The row of its heading.
    pub heading: usize,
    pub stories: usize,
    pub marks: Vec<Mark>,
}

/// What a row of the timeline shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    /// The heading of coming sprint `k`.
    Sprint(usize),
    /// The `nth` story (from 0) of coming sprint `sprint`.
    Story {
        sprint: usize,
        nth: usize,
    },
    Mark(Mark),
}

/// The timeline: each coming sprint with its stories, and the releases
/// due and done where they fall; after the last sprint, the releases due
/// later.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    pub sprints: Vec<SprintRows>,
    /// The marks after the last sprint.
    pub after: Vec<Mark>,
    pub rows: usize,
}

impl Timeline {
    fn of(forecast: &Forecast) -> Timeline {
        let mut marks: Vec<Vec<(NaiveDate, Mark)>> = vec![Vec::new(); forecast.sprints.len()];
        let mut after: Vec<(NaiveDate, Mark)> = Vec::new();
        for (r, release) in forecast.releases.iter().enumerate() {
            if let Landing::Sprint(k) = release.mean
                && let Some(sprint) = forecast.sprints.get(k)
            {
                marks[k].push((sprint.end, Mark::Lands(r)));
            }
            let Some(due) = release.date else { continue };
            // The first sprint ending on or after the day; one due before
            // the first sprint is marked in it, as overdue.
            match forecast.sprints.iter().position(|s| due <= s.end) {
                Some(k) => marks[k].push((due, Mark::Due(r))),
                None => after.push((due, Mark::Due(r))),
            }
        }
        // Past the horizon: only with a velocity that plans anything.
        if forecast.beyond > 0 && forecast.velocity.is_some_and(|v| v > 0.0) {
            after.insert(0, (NaiveDate::MIN, Mark::Beyond(forecast.beyond)));
        }
        after.sort_by_key(|(day, _)| *day);
        let mut row = 0;
        let sprints = forecast
            .sprints
            .iter()
            .zip(marks)
            .map(|(sprint, mut marks)| {
                // By day; a release due on the day it lands, due first.
                marks.sort_by_key(|(day, mark)| (*day, matches!(mark, Mark::Lands(_))));
                let rows = SprintRows {
                    heading: row,
                    stories: sprint.stories,
                    marks: marks.into_iter().map(|(_, mark)| mark).collect(),
                };
                row += 1 + rows.stories + rows.marks.len();
                rows
            })
            .collect();
        Timeline {
            sprints,
            rows: row + after.len(),
            after: after.into_iter().map(|(_, mark)| mark).collect(),
        }
    }

    /// What row `row` shows, if there is one.
    #[must_use]
    pub fn row(&self, row: usize) -> Option<Row> {
        if row >= self.rows {
            return None;
        }
        let k = self
            .sprints
            .partition_point(|s| s.heading <= row)
            .checked_sub(1);
        let Some(k) = k else {
            return self.after.get(row).copied().map(Row::Mark);
        };
        let sprint = &self.sprints[k];
        let at = row - sprint.heading;
        if at == 0 {
            return Some(Row::Sprint(k));
        }
        if at <= sprint.stories {
            return Some(Row::Story {
                sprint: k,
                nth: at - 1,
            });
        }
        if let Some(mark) = sprint.marks.get(at - 1 - sprint.stories) {
            return Some(Row::Mark(*mark));
        }
        let past = sprint.heading + 1 + sprint.stories + sprint.marks.len();
        self.after.get(row - past).copied().map(Row::Mark)
    }

    /// The row of the `nth` story of sprint `k`.
    #[must_use]
    pub fn story_row(&self, k: usize, nth: usize) -> Option<usize> {
        let sprint = self.sprints.get(k)?;
        (nth < sprint.stories).then_some(sprint.heading + 1 + nth)
    }

    /// Where a timeline scrolled to `scroll`, `shown` rows tall, scrolls
    /// to show row `selected`: no further than it must, but with the
    /// heading of a sprint's first story in view when it is selected.
    #[must_use]
    pub fn scrolled(&self, scroll: usize, selected: usize, shown: usize) -> usize {
        let shown = shown.max(1);
        let top = match self.row(selected) {
            Some(Row::Story { nth: 0, .. }) if shown > 1 => selected - 1,
            _ => selected,
        };
        scroll
            .min(top)
            .max((selected + 1).saturating_sub(shown))
            .min(self.rows.saturating_sub(shown))
    }

    /// The first story row from `row` on, going `down` (else up), if any.
    #[must_use]
    pub fn story_from(&self, row: usize, down: bool) -> Option<usize> {
        let mut row = row.min(self.rows.checked_sub(1)?);
        loop {
            if matches!(self.row(row), Some(Row::Story { .. })) {
                return Some(row);
            }
            row = if down { row + 1 } else { row.checked_sub(1)? };
            if row >= self.rows {
                return None;
            }
        }
    }
}

/// The story of coming sprint `k` (of `forecast`) the timeline lists
/// `nth`, and where it is in the backlog.
#[must_use]
pub fn story_in<'a>(
    backlog: &'a Backlog,
    forecast: &Forecast,
    k: usize,
    nth: usize,
) -> Option<(usize, &'a Story)> {
    let sprint = forecast.sprints.get(k)?;
    sprint
        .positions
        .clone()
        .filter_map(|p| backlog.at(p).map(|story| (p, story)))
        .filter(|(_, story)| forecast.places(story))
        .nth(nth)
}

/// Where story `position` is in the timeline: its sprint and its place
/// among the sprint's stories.
#[must_use]
pub fn place_of(backlog: &Backlog, forecast: &Forecast, position: usize) -> Option<(usize, usize)> {
    let k = forecast
        .sprints
        .partition_point(|s| s.positions.end <= position);
    let sprint = forecast.sprints.get(k)?;
    if !sprint.positions.contains(&position) {
        return None;
    }
    let story = backlog.at(position)?;
    if !forecast.places(story) {
        return None;
    }
    let nth = (sprint.positions.start..position)
        .filter_map(|p| backlog.at(p))
        .filter(|story| forecast.places(story))
        .count();
    Some((k, nth))
}

/// The rows the tallest lane takes: two an epic.
#[must_use]
pub fn lane_rows(lanes: &Lanes) -> usize {
    2 * lanes.now.len().max(lanes.next.len()).max(lanes.later.len())
}
