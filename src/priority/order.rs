//! The order a framework proposes, and how far each story would move.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use crate::model::{Backlog, StoryId};

use super::{Framework, Score, Scoring, score};

/// The order a framework proposes for the whole backlog, beside the
/// manual one. Positions are 0-based places in the manual order.
#[derive(Clone, Debug)]
pub struct Proposal {
    pub framework: Framework,
    /// Each story's score, by its place in the manual order.
    pub scores: Vec<Score>,
    /// The manual places in the proposed order: `order[i]` is the story
    /// proposed for place `i`.
    pub order: Vec<usize>,
    /// The proposed place of the story at each manual place.
    pub then: Vec<usize>,
}

/// One story's move, as the proposal would make it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub id: StoryId,
    /// Its place now and in the proposal, 0-based.
    pub now: usize,
    pub then: usize,
}

impl Suggestion {
    /// How many places it would move up (down, negative).
    #[must_use]
    pub fn up_by(&self) -> i64 {
        i64::try_from(self.now).unwrap_or(i64::MAX) - i64::try_from(self.then).unwrap_or(i64::MAX)
    }
}

impl Proposal {
    /// The story at manual place `now`, and where the proposal puts it.
    #[must_use]
    pub fn suggestion(&self, backlog: &Backlog, now: usize) -> Option<Suggestion> {
        Some(Suggestion {
            id: backlog.at(now)?.id,
            now,
            then: *self.then.get(now)?,
        })
    }

    /// The stories the proposal moves, in manual order.
    pub fn moves<'a>(&'a self, backlog: &'a Backlog) -> impl Iterator<Item = Suggestion> + 'a {
        (0..self.then.len())
            .filter(|&now| self.then[now] != now)
            .filter_map(|now| self.suggestion(backlog, now))
    }

    /// The ids in the proposed order, for [`Backlog::reorder`].
    #[must_use]
    pub fn ids(&self, backlog: &Backlog) -> Vec<StoryId> {
        self.order
            .iter()
            .filter_map(|&now| backlog.at(now).map(|s| s.id))
            .collect()
    }

    /// Whether the proposal is the manual order.
    #[must_use]
    pub fn is_manual(&self) -> bool {
        self.then.iter().enumerate().all(|(now, &then)| now == then)
    }
}

/// Higher first: the class, then the value.
fn best_first(a: &Score, b: &Score) -> Ordering {
    match (a, b) {
        (
            Score::Scored {
                value: va,
                class: ca,
            },
            Score::Scored {
                value: vb,
                class: cb,
            },
        ) => {
            let (ca, cb) = (ca.map_or(0, |c| c.order), cb.map_or(0, |c| c.order));
            cb.cmp(&ca).then(vb.total_cmp(va))
        }
        _ => Ordering::Equal,
    }
}

/// The order `framework` proposes. Open stories it scores take the places
/// the open scored stories hold now, best score first; a tie keeps the
/// manual order. Every other story (unscored, not scoreable, done or
/// rejected) keeps its place, unless a dependency moves it: no story is
/// ever put above an open story it is blocked by. Where stories block
/// each other round a loop (a file merged from two writers can hold
/// one), the one ranked first goes first.
#[must_use]
pub fn propose(backlog: &Backlog, framework: Framework, scoring: &Scoring) -> Proposal {
    let scores: Vec<Score> = backlog
        .ranked()
        .map(|story| score(framework, story, scoring))
        .collect();
    let movable: Vec<bool> = backlog
        .ranked()
        .zip(&scores)
        .map(|(story, score)| story.status.is_open() && score.value().is_some())
        .collect();
    let mut scored: Vec<usize> = (0..scores.len()).filter(|&p| movable[p]).collect();
    // Stable: a tie keeps the manual order.
    scored.sort_by(|&a, &b| best_first(&scores[a], &scores[b]));
    let mut best = scored.into_iter();
    let wanted: Vec<usize> = (0..scores.len())
        .map(|p| {
            if movable[p] {
                best.next()
                    .expect("as many scored stories as places they hold")
            } else {
                p
            }
        })
        .collect();
    let order = respecting_blockers(backlog, wanted);
    let mut then = vec![0; order.len()];
    for (place, &now) in order.iter().enumerate() {
        then[now] = place;
    }
    Proposal {
        framework,
        scores,
        order,
        then,
    }
}

/// `wanted` (manual places in the order wanted) changed as little as it
/// takes to put every story below the open stories it is blocked by: each
/// place takes the story wanted first of those whose blockers are placed.
fn respecting_blockers(backlog: &Backlog, wanted: Vec<usize>) -> Vec<usize> {
    let n = wanted.len();
    // Edges blocker → blocked, as manual places.
    let mut edges: Vec<(usize, usize)> = Vec::new();
    for (blocked, story) in backlog.ranked().enumerate() {
        for blocker in backlog.open_blockers(story) {
            if let Ok(at) = backlog.position(blocker.id) {
                edges.push((at, blocked));
            }
        }
    }
    if edges.is_empty() {
        return wanted;
    }
    edges.sort_unstable();
    edges.dedup();
    let mut waiting = vec![0usize; n];
    for &(_, blocked) in &edges {
        waiting[blocked] += 1;
    }
    // Where each story's edges start in `edges`.
    let mut starts = vec![0usize; n + 1];
    for &(blocker, _) in &edges {
        starts[blocker + 1] += 1;
    }
    for i in 0..n {
        starts[i + 1] += starts[i];
    }
    let mut rank_wanted = vec![0usize; n];
    for (i, &p) in wanted.iter().enumerate() {
        rank_wanted[p] = i;
    }
    let mut free: BinaryHeap<Reverse<usize>> = (0..n)
        .filter(|&p| waiting[p] == 0)
        .map(|p| Reverse(rank_wanted[p]))
        .collect();
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    // The next story wanted not yet placed: taken when a loop leaves no
    // story free.
    let mut next_wanted = 0;
    while order.len() < n {
        let p = if let Some(Reverse(i)) = free.pop() {
            wanted[i]
        } else {
            while placed[wanted[next_wanted]] {
                next_wanted += 1;
            }
            wanted[next_wanted]
        };
        if placed[p] {
            continue;
        }
        placed[p] = true;
        order.push(p);
        for &(_, blocked) in &edges[starts[p]..starts[p + 1]] {
            waiting[blocked] = waiting[blocked].saturating_sub(1);
            if waiting[blocked] == 0 && !placed[blocked] {
                free.push(Reverse(rank_wanted[blocked]));
            }
        }
    }
    order
}
