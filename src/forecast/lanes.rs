//! The roadmap's now / next / later lanes by epic, with each epic's
//! progress, for talking to stakeholders: what the roadmap pane shows and
//! `backlog roadmap` writes, from one place.

use crate::forecast::{Forecast, Landing};
use crate::model::{Backlog, Points, Status, Story};

/// An epic and how far along it is: its points done of all its points
/// (rejected stories aside).
#[derive(Clone, Debug, PartialEq)]
pub struct EpicProgress {
    pub name: String,
    pub done: f64,
    pub points: f64,
}

/// The epics in lanes, for talking to stakeholders: now (stories in the
/// first two coming sprints), next (in the sprints after, up to the one
/// the next release lands in), later (the rest, by their first story's
/// rank; epics with no story planned last). Each epic is in the first
/// lane it has a story in. Epics with nothing left to do are done.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lanes {
    pub now: Vec<EpicProgress>,
    pub next: Vec<EpicProgress>,
    pub later: Vec<EpicProgress>,
    pub done: Vec<EpicProgress>,
    /// The coming sprints in "now": 0 to this (not included).
    pub now_until: usize,
    /// Those in "next", up to this one (not included).
    pub next_until: usize,
    /// The release "next" runs up to, if one lands after "now".
    pub next_release: Option<String>,
}

/// Each epic's progress, and whether it has open stories, by its place
/// in the product's epics; `epic_of` finds a story's.
fn progress(
    backlog: &Backlog,
    epic_of: &impl Fn(&Story) -> Option<usize>,
) -> (Vec<EpicProgress>, Vec<bool>) {
    let epics = &backlog.product.epics;
    let mut progress: Vec<EpicProgress> = epics
        .iter()
        .map(|e| EpicProgress {
            name: e.name.clone(),
            done: 0.0,
            points: 0.0,
        })
        .collect();
    let mut open = vec![false; epics.len()];
    for story in backlog.stories_by_id() {
        if story.status == Status::Rejected {
            continue;
        }
        let Some(e) = epic_of(story) else { continue };
        let points = story.points.map_or(0.0, Points::value);
        progress[e].points += points;
        if story.status == Status::Done {
            progress[e].done += points;
        } else {
            open[e] = true;
        }
    }
    (progress, open)
}

/// The sprints "now" takes: the one under way (or next) and the one
/// after.
const NOW_SPRINTS: usize = 2;

impl Lanes {
    /// The lanes of `backlog` as `forecast` plans it.
    #[must_use]
    pub fn of(backlog: &Backlog, forecast: &Forecast) -> Lanes {
        let epics = &backlog.product.epics;
        let index: fnv::FnvHashMap<&str, usize> = epics
            .iter()
            .enumerate()
            .map(|(i, e)| (e.name.as_str(), i))
            .collect();
        let epic_of = |story: &Story| {
            let name = story.epic.as_deref()?;
            index.get(name).copied().or_else(|| {
                epics
                    .iter()
                    .position(|e| crate::model::same_name(&e.name, name))
            })
        };
        let (progress, open) = progress(backlog, &epic_of);
        let now_until = NOW_SPRINTS.min(forecast.sprints.len());
        let next_release = forecast
            .releases
            .iter()
            .filter_map(|r| match r.mean {
                Landing::Sprint(k) if k >= now_until => Some((k, r.name.clone())),
                _ => None,
            })
            .min_by_key(|(k, _)| *k);
        let next_until = next_release
            .as_ref()
            .map_or(forecast.sprints.len(), |(k, _)| k + 1);
        // The lane of each epic: 0 now, 1 next, 2 later; in the order
        // their stories come.
        let mut lane: Vec<Option<usize>> = vec![None; epics.len()];
        let mut order = Vec::with_capacity(epics.len());
        let mut see = |story: &Story, at: usize, lane: &mut Vec<Option<usize>>| {
            if let Some(e) = epic_of(story)
                && lane[e].is_none()
                && story.status.is_open()
            {
                lane[e] = Some(at);
                order.push(e);
            }
        };
        // Walked only as far as every epic with work left has its lane:
        // a few sprints into a large backlog.
        let unplaced = |lane: &[Option<usize>]| {
            lane.iter()
                .zip(&open)
                .any(|(lane, open)| lane.is_none() && *open)
        };
        'sprints: for (k, sprint) in forecast.sprints.iter().enumerate() {
            let at = if k < now_until {
                0
            } else if k < next_until {
                1
            } else {
                2
            };
            for story in sprint.positions.clone().filter_map(|p| backlog.at(p)) {
                if forecast.places(story) {
                    see(story, at, &mut lane);
                }
            }
            if !unplaced(&lane) {
                break 'sprints;
            }
        }
        // Open stories in no sprint (unestimated, past the horizon, or no
        // velocity): later, by rank, while an epic is still unplaced.
        if unplaced(&lane) {
            for story in backlog.ranked() {
                see(story, 2, &mut lane);
                if !unplaced(&lane) {
                    break;
                }
            }
        }
        let mut lanes = Lanes {
            now_until,
            next_until,
            next_release: next_release.map(|(_, name)| name),
            ..Lanes::default()
        };
        for e in order {
            let epic = progress[e].clone();
            match lane[e] {
                Some(0) => lanes.now.push(epic),
                Some(1) => lanes.next.push(epic),
                _ => lanes.later.push(epic),
            }
        }
        for (e, epic) in progress.into_iter().enumerate() {
            if lane[e].is_none() {
                if open[e] || epic.points == 0.0 {
                    lanes.later.push(epic);
                } else {
                    lanes.done.push(epic);
                }
            }
        }
        lanes
    }
}
