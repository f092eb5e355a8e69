//! The order a framework proposes, and how far each story would move.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::model::{Backlog, StoryId};

use super::{Framework, Score, Scoring, score};

/// The order a framework proposes for the whole backlog, beside the
/// manual one. Positions are 0-based places in the manual order.
#[derive(Clone, Debug)]
pub struct Proposal {
    pub framework: Framework,
    /// Each story's score, by its place in the manual order; a story
    /// done or rejected is not scored (unscored, with nothing missing).
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

/// The order `framework` proposes. Open stories it scores take the places
/// the open scored stories hold now, best score first; a tie keeps the
/// manual order. Every other story (unscored, not scoreable, done or
/// rejected) keeps its place, unless a dependency moves it: no story is
/// ever put above an open story it is blocked by. Stories that block
/// each other round a loop (a file merged from two writers can hold one)
/// go among themselves in the order wanted.
#[must_use]
pub fn propose(backlog: &Backlog, framework: Framework, scoring: &Scoring) -> Proposal {
    // One pass over the stories: each is looked at once.
    let mut scores = Vec::with_capacity(backlog.len());
    let mut movable = Vec::with_capacity(backlog.len());
    let mut scored = Vec::with_capacity(backlog.len());
    // Links, as the story blocked and its blocker, gathered on the same
    // walk: each story is looked at once, which is most of the time a
    // proposal takes at this size.
    let mut links: Vec<(usize, StoryId)> = Vec::new();
    for (place, story) in backlog.ranked().enumerate() {
        links.extend(story.blocked_by.iter().map(|&blocker| (place, blocker)));
        // Finished work keeps its place whatever it would score: it is
        // not scored, and reads as unscored with nothing missing.
        let score = if story.status.is_open() {
            score(framework, story, scoring)
        } else {
            Score::Unscored {
                missing: Vec::new(),
            }
        };
        let moves = score.value().is_some();
        if moves {
            scored.push(place);
        }
        movable.push(moves);
        scores.push(score);
    }
    // Stable: a tie keeps the manual order.
    scored.sort_by(|&a, &b| scores[a].best_first(&scores[b]));
    let mut best = scored.into_iter();
    let wanted: Vec<usize> = movable
        .iter()
        .enumerate()
        .map(|(place, &moves)| {
            if moves {
                best.next()
                    .expect("as many scored stories as places they hold")
            } else {
                place
            }
        })
        .collect();
    let order = respecting_blockers(backlog, &links, wanted);
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
fn respecting_blockers(
    backlog: &Backlog,
    links: &[(usize, StoryId)],
    wanted: Vec<usize>,
) -> Vec<usize> {
    let n = wanted.len();
    // Edges blocker → blocked, as manual places, from the blockers still
    // open (a story done blocks nothing; one gone, nothing either).
    let edges_of = |&(blocked, blocker): &(usize, StoryId)| {
        let open = backlog.get(blocker).is_some_and(|b| b.status.is_open());
        open.then(|| backlog.position(blocker).ok())
            .flatten()
            .map(|at| (at, blocked))
    };
    let mut edges: Vec<(usize, usize)> = links.iter().filter_map(edges_of).collect();
    if edges.is_empty() {
        return wanted;
    }
    edges.sort_unstable();
    edges.dedup();
    // Links round a loop (two writers' links merged can make one) are
    // not followed among the stories of the loop: they go in the order
    // wanted, each still below its blockers outside the loop.
    let looped = loops(n, &edges, &starts_of(n, &edges));
    edges.retain(|&(blocker, blocked)| looped[blocker] != looped[blocked]);
    let starts = starts_of(n, &edges);
    let mut waiting = vec![0usize; n];
    for &(_, blocked) in &edges {
        waiting[blocked] += 1;
    }
    let mut rank_wanted = vec![0usize; n];
    for (i, &p) in wanted.iter().enumerate() {
        rank_wanted[p] = i;
    }
    // The wanted order is walked once; a story still waiting for a
    // blocker is passed over, and comes back through `released` (by its
    // wanted rank, always before the walk's next) once its last blocker
    // is placed. Only stories with blockers touch the heap.
    let mut released: BinaryHeap<Reverse<usize>> = BinaryHeap::new();
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut next = 0;
    while order.len() < n {
        let p = if let Some(Reverse(i)) = released.pop() {
            wanted[i]
        } else {
            while next < n && (placed[wanted[next]] || waiting[wanted[next]] > 0) {
                next += 1;
            }
            // With loops left out, every story is reached.
            wanted[next]
        };
        if placed[p] {
            continue;
        }
        placed[p] = true;
        order.push(p);
        for &(_, blocked) in &edges[starts[p]..starts[p + 1]] {
            waiting[blocked] = waiting[blocked].saturating_sub(1);
            if waiting[blocked] == 0 && !placed[blocked] && rank_wanted[blocked] < next {
                released.push(Reverse(rank_wanted[blocked]));
            }
        }
    }
    order
}

/// Where each story's edges start in `edges` (sorted by blocker): the
/// edges of story `p` are `edges[starts[p]..starts[p + 1]]`.
fn starts_of(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut starts = vec![0usize; n + 1];
    for &(blocker, _) in edges {
        starts[blocker + 1] += 1;
    }
    for i in 0..n {
        starts[i + 1] += starts[i];
    }
    starts
}

/// Each story's loop: stories that block one another round a loop share
/// a number, and a story on no loop has one of its own (Tarjan's strongly
/// connected components, walked without recursion). O(stories + edges).
fn loops(n: usize, edges: &[(usize, usize)], starts: &[usize]) -> Vec<usize> {
    const NONE: usize = usize::MAX;
    let mut index = vec![NONE; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    // Stories on no edge keep numbers of their own: their place.
    let mut component: Vec<usize> = (0..n).collect();
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = n;
    for root in 0..n {
        if index[root] != NONE || starts[root] == starts[root + 1] {
            continue;
        }
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        // Each story being walked, and the next of its edges to follow.
        let mut walk = vec![(root, starts[root])];
        while let Some(&mut (v, ref mut edge)) = walk.last_mut() {
            if *edge < starts[v + 1] {
                let w = edges[*edge].1;
                *edge += 1;
                if index[w] == NONE {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    walk.push((w, starts[w]));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            walk.pop();
            if let Some(&(u, _)) = walk.last() {
                low[u] = low[u].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// How far a story would move from place `now` to place `then`, readable
/// without colour: `↑3`, `↓2`, or `=`.
#[must_use]
pub fn movement(now: usize, then: usize) -> String {
    match now.cmp(&then) {
        std::cmp::Ordering::Greater => format!("↑{}", now - then),
        std::cmp::Ordering::Less => format!("↓{}", then - now),
        std::cmp::Ordering::Equal => "=".to_string(),
    }
}
