//! Which stories moved for a reason of their own, as [`super::diff`]
//! defines it: all but the largest set of stories in the same order on
//! both sides, preferring stories whose rank key did not change.

use std::collections::{HashMap, HashSet};

use super::Renumbering;
use crate::model::{Backlog, StoryId};

/// The stories on both sides that moved, by their ids in `after`.
/// `before_places` are the 1-based places of `before`'s stories.
///
/// A heaviest increasing subsequence of the stories' places before, taken
/// in the order after, in O(n log n) with a Fenwick tree of prefix
/// maxima. A story whose key did not change weighs more than all the
/// others together, so the set kept holds as many of them as any set can,
/// and then as many stories as it can.
pub(super) fn moved(
    before: &Backlog,
    after: &Backlog,
    renumbering: &Renumbering,
    before_places: &HashMap<StoryId, usize>,
) -> HashSet<StoryId> {
    let both: Vec<(StoryId, usize, u64)> = {
        let heavy = u64::try_from(after.len()).unwrap_or(u64::MAX - 1) + 1;
        after
            .ranked()
            .filter_map(|story| {
                let old = renumbering.was(story)?;
                let same_key = old.rank == story.rank;
                Some((
                    story.id,
                    before_places[&old.id],
                    if same_key { heavy } else { 1 },
                ))
            })
            .collect()
    };
    // best[i]: the heaviest chain ending at the i-th story; back[i]: the
    // story before it in that chain.
    let mut tree = PrefixMax::new(before.len());
    let mut best = Vec::with_capacity(both.len());
    let mut back = Vec::with_capacity(both.len());
    for (i, &(_, place, weight)) in both.iter().enumerate() {
        let (weight_before, previous) = tree.max_below(place);
        best.push(weight_before + weight);
        back.push(previous);
        tree.raise(place, (weight_before + weight, Some(i)));
    }
    let mut kept = vec![false; both.len()];
    let mut at = (0..both.len()).max_by_key(|&i| best[i]);
    while let Some(i) = at {
        kept[i] = true;
        at = back[i];
    }
    both.iter()
        .zip(kept)
        .filter(|(_, kept)| !kept)
        .map(|((id, _, _), _)| *id)
        .collect()
}

/// Prefix maxima over 1-based places, each with the story it came from.
struct PrefixMax {
    tree: Vec<(u64, Option<usize>)>,
}

impl PrefixMax {
    fn new(len: usize) -> Self {
        PrefixMax {
            tree: vec![(0, None); len + 1],
        }
    }

    /// The largest value at a place before `place`.
    fn max_below(&self, place: usize) -> (u64, Option<usize>) {
        let mut best = (0, None);
        let mut at = place - 1;
        while at > 0 {
            if self.tree[at].0 > best.0 {
                best = self.tree[at];
            }
            at &= at - 1;
        }
        best
    }

    fn raise(&mut self, place: usize, value: (u64, Option<usize>)) {
        let mut at = place;
        while at < self.tree.len() {
            if value.0 > self.tree[at].0 {
                self.tree[at] = value;
            }
            at += at & at.wrapping_neg();
        }
    }
}
