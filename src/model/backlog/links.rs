//! Dependencies between stories: a story is blocked by others, which must
//! be done first. The links are kept true through every change: no story
//! is blocked by itself or, through others, by a story it blocks; a story
//! deleted is no longer anyone's blocker; a story split leaves each half
//! blocked as the whole was, and blocking what the whole blocked.

use std::collections::HashSet;
use std::sync::Arc;

use super::{Backlog, ModelError};
use crate::model::stories::Blocking;
use crate::model::story::{Story, StoryId};

impl Backlog {
    /// Refuse the blockers a change gives `story` (those it `had` aside)
    /// when one is unknown, is the story itself, or is blocked, through
    /// others, by the story: a loop, named from the story back to it.
    pub(super) fn check_blockers(&self, story: &Story, had: &[StoryId]) -> Result<(), ModelError> {
        // Links the story had stand as they are: a file merged from two
        // writers may name a story since deleted, and that must not stop
        // the story from being edited.
        let added: Vec<StoryId> = story
            .blocked_by
            .iter()
            .copied()
            .filter(|id| !had.contains(id))
            .collect();
        for &blocker in &added {
            if blocker == story.id {
                return Err(ModelError::BlockedByItself(blocker));
            }
            self.index(blocker)?;
        }
        for &blocker in &added {
            if let Some(path) = self.blocked_path(blocker, story.id) {
                let mut cycle = vec![story.id];
                cycle.extend(path);
                return Err(ModelError::DependencyCycle(cycle));
            }
        }
        Ok(())
    }

    /// A chain `from` → … → `to`, each blocked by the next, when there is
    /// one: depth first, each story looked at once.
    fn blocked_path(&self, from: StoryId, to: StoryId) -> Option<Vec<StoryId>> {
        let mut seen = HashSet::new();
        // Each entry: a story on the path and how many of its blockers
        // have been tried.
        let mut path: Vec<(StoryId, usize)> = vec![(from, 0)];
        seen.insert(from);
        while let Some(&mut (id, ref mut tried)) = path.last_mut() {
            if id == to {
                return Some(path.iter().map(|(id, _)| *id).collect());
            }
            let blockers = self.get(id).map_or(&[][..], |s| &s.blocked_by[..]);
            match blockers.get(*tried) {
                Some(&next) => {
                    *tried += 1;
                    if seen.insert(next) {
                        path.push((next, 0));
                    }
                }
                None => {
                    path.pop();
                }
            }
        }
        None
    }

    /// The stories `gone` blocked no longer name them: after a delete.
    /// Only the stories they blocked are looked at.
    pub(super) fn unlink(&mut self, gone: &[StoryId]) {
        let mut waiting: Vec<StoryId> = gone
            .iter()
            .flat_map(|&id| self.stories.blocking().blocks(id).to_vec())
            .collect();
        waiting.sort_unstable();
        waiting.dedup();
        let mut gone = gone.to_vec();
        gone.sort_unstable();
        for id in waiting {
            let Ok(index) = self.index(id) else { continue };
            let mut story = Story::clone(&self.stories[index]);
            story
                .blocked_by
                .retain(|blocker| gone.binary_search(blocker).is_err());
            self.stories.set(index, Arc::new(story));
        }
    }

    /// Every story blocked by `whole` is blocked by `half` too: after a
    /// split. Only the stories `whole` blocks are looked at.
    pub(super) fn also_blocked_by(&mut self, whole: StoryId, half: StoryId) {
        for id in self.stories.blocking().blocks(whole).to_vec() {
            let Ok(index) = self.index(id) else { continue };
            if id == half || self.stories[index].blocked_by.contains(&half) {
                continue;
            }
            let mut story = Story::clone(&self.stories[index]);
            story.blocked_by.push(half);
            self.stories.set(index, Arc::new(story));
        }
    }

    /// The stories `id` blocks, in id order.
    #[must_use]
    pub fn blocks(&self, id: StoryId) -> Vec<StoryId> {
        self.stories.blocking().blocks(id).to_vec()
    }

    /// Which stories each story blocks, kept with every change.
    #[must_use]
    pub fn blocking(&self) -> &Blocking {
        self.stories.blocking()
    }

    /// The blockers of `story` still to be done (neither done nor
    /// rejected, and in the backlog).
    pub fn open_blockers<'a>(&'a self, story: &'a Story) -> impl Iterator<Item = &'a Story> + 'a {
        story
            .blocked_by
            .iter()
            .filter_map(|&id| self.get(id))
            .filter(|blocker| blocker.status.is_open())
    }

    /// The open blockers of `story` ranked below it: the order has it
    /// done before what it waits for.
    #[must_use]
    pub fn blockers_below(&self, story: &Story) -> Vec<StoryId> {
        let Ok(at) = self.position(story.id) else {
            return Vec::new();
        };
        self.open_blockers(story)
            .filter(|blocker| self.position(blocker.id).is_ok_and(|p| p > at))
            .map(|blocker| blocker.id)
            .collect()
    }
}
