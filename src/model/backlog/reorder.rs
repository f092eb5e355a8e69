//! Putting the whole backlog in an order given at once: a proposed order
//! accepted whole, as one change.

use super::{Backlog, ModelError};
use crate::model::story::StoryId;
use crate::rank::{LONGEST, Rank};

impl Backlog {
    /// Put the stories in the order `ids` gives, every story once. The
    /// longest run of stories already in that order among themselves keeps
    /// its keys; only the others get new keys, between their new
    /// neighbours', so the change is as small as the order allows (as a
    /// move is), and a place grown crowded is respread as a move's would
    /// be ([`crate::rank::respread`]), so keys stay short.
    ///
    /// # Errors
    /// When `ids` names a story the backlog lacks, names one twice, or
    /// leaves one out. Nothing changes.
    pub fn reorder(&mut self, ids: &[StoryId]) -> Result<(), ModelError> {
        let n = self.order.len();
        let mut seen = vec![false; self.stories.len()];
        let mut order = Vec::with_capacity(n);
        for &id in ids {
            let index = self.index(id)?;
            if std::mem::replace(&mut seen[index], true) {
                return Err(ModelError::DuplicateId(id));
            }
            order.push(index);
        }
        if let Some(left_out) = seen.iter().position(|s| !s) {
            return Err(ModelError::LeftOut(self.stories[left_out].id));
        }
        if order == *self.order {
            return Ok(());
        }
        // Where each story is now, in the new order: the stories on the
        // longest rising run keep their keys.
        let mut now = vec![0; self.stories.len()];
        for (position, &index) in self.order.iter().enumerate() {
            now[index] = position;
        }
        let places: Vec<usize> = order.iter().map(|&index| now[index]).collect();
        let kept = longest_rising(&places);
        self.order = std::sync::Arc::new(order);
        // The runs between kept stories, first given keys evenly between
        // their kept neighbours (all in order again), then respread where
        // that made a key too long.
        let mut runs = Vec::new();
        let mut start = None;
        for position in 0..=n {
            let moved = kept.get(position).is_some_and(|k| !k);
            match (moved, start) {
                (true, None) => start = Some(position),
                (false, Some(s)) => {
                    runs.push(s..position);
                    start = None;
                }
                _ => {}
            }
        }
        let mut crowded = Vec::new();
        for run in &runs {
            let prev = run
                .start
                .checked_sub(1)
                .map(|p| self.stories[self.order[p]].rank.clone());
            let next = (run.end < n).then(|| self.stories[self.order[run.end]].rank.clone());
            let keys = Rank::spread_between(prev.as_ref(), next.as_ref(), run.len())
                .expect("kept stories' keys rise, so there is room between them");
            if keys.iter().any(|key| key.size() > LONGEST) {
                crowded.push(run.clone());
            }
            for (position, key) in run.clone().zip(keys) {
                let index = self.order[position];
                if self.stories[index].rank != key {
                    self.stories.make_mut(index).rank = key;
                }
            }
        }
        for run in crowded {
            self.rekey(run, false);
        }
        Ok(())
    }
}

/// Which places of `values` make up a longest strictly rising run (not
/// necessarily contiguous): patience sorting, O(n log n).
fn longest_rising(values: &[usize]) -> Vec<bool> {
    // tails[k]: the place of the smallest last value of a rising run of
    // length k + 1; before[i]: the place before i on its run.
    let mut tails: Vec<usize> = Vec::new();
    let mut before = vec![usize::MAX; values.len()];
    for (i, &value) in values.iter().enumerate() {
        let k = tails.partition_point(|&t| values[t] < value);
        if k > 0 {
            before[i] = tails[k - 1];
        }
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut kept = vec![false; values.len()];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        kept[i] = true;
        at = (before[i] != usize::MAX).then(|| before[i]);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::longest_rising;

    #[test]
    fn the_longest_rising_run_is_found() {
        let kept = longest_rising(&[3, 0, 1, 4, 2, 5]);
        assert_eq!(kept, [false, true, true, false, true, true]);
        assert_eq!(longest_rising(&[]), Vec::<bool>::new());
        assert_eq!(longest_rising(&[2, 1, 0]).iter().filter(|k| **k).count(), 1);
    }
}
