//! Dependencies between stories: a story is blocked by others, which must
//! be done first. The links are kept true through every change: no story
//! is blocked by itself or, through others, by a story it blocks; a story
//! deleted is no longer anyone's blocker; a story split leaves each half
//! blocked as the whole was, and blocking what the whole blocked.

use std::collections::HashSet;

use super::{Backlog, ModelError};
use crate::model::story::{Story, StoryId};

impl Backlog {
    /// Refuse `story`'s blockers (as a change would leave them) when one
    /// is unknown, is the story itself, or is blocked, through others, by
    /// the story: a loop, named from the story back to it.
    pub(super) fn check_blockers(&self, story: &Story) -> Result<(), ModelError> {
        for &blocker in &story.blocked_by {
            if blocker == story.id {
                return Err(ModelError::BlockedByItself(blocker));
            }
            self.index(blocker)?;
        }
        for &blocker in &story.blocked_by {
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
    pub(super) fn unlink(&mut self, gone: &[StoryId]) {
        for index in 0..self.stories.len() {
            if self.stories[index]
                .blocked_by
                .iter()
                .any(|id| gone.contains(id))
            {
                self.stories
                    .make_mut_links(index)
                    .blocked_by
                    .retain(|id| !gone.contains(id));
            }
        }
    }

    /// Every story blocked by `whole` is blocked by `half` too: after a
    /// split.
    pub(super) fn also_blocked_by(&mut self, whole: StoryId, half: StoryId) {
        for index in 0..self.stories.len() {
            let story = &self.stories[index];
            if story.id != half
                && story.blocked_by.contains(&whole)
                && !story.blocked_by.contains(&half)
            {
                self.stories.make_mut_links(index).blocked_by.push(half);
            }
        }
    }

    /// A number that changes whenever a story's links may have: the same
    /// number as before a change means the change linked and unlinked
    /// nothing.
    #[must_use]
    pub fn links_changed(&self) -> u64 {
        self.stories.links_changed()
    }

    /// The stories `id` blocks, in id order. It looks at every story, so
    /// a screen asks once per story shown, not per frame.
    #[must_use]
    pub fn blocks(&self, id: StoryId) -> Vec<StoryId> {
        self.stories
            .iter()
            .filter(|s| s.blocked_by.contains(&id))
            .map(|s| s.id)
            .collect()
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

/// Which stories each story blocks: every story's `blocked_by` turned
/// round, for a screen that shows what the selected story blocks on every
/// key. Built once from a backlog ([`Blocking::of`], a look at every
/// story), then kept up to date from what each change touched
/// ([`Blocking::follow`], a look at those stories only).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Blocking {
    /// Blocker → the stories blocked by it, in id order.
    blocked: std::collections::HashMap<StoryId, Vec<StoryId>>,
}

impl Blocking {
    /// Every link of `backlog`.
    #[must_use]
    pub fn of(backlog: &Backlog) -> Blocking {
        let mut blocking = Blocking::default();
        // Stories come in id order, so each list is built sorted.
        for story in backlog.stories_by_id() {
            for &blocker in &story.blocked_by {
                blocking.blocked.entry(blocker).or_default().push(story.id);
            }
        }
        blocking
    }

    /// The stories `id` blocks, in id order.
    #[must_use]
    pub fn blocks(&self, id: StoryId) -> &[StoryId] {
        self.blocked.get(&id).map_or(&[], Vec::as_slice)
    }

    /// Follow a change that touched `before` (each story as it was, `None`
    /// when the change added it), `backlog` being as the change left it.
    pub fn follow(
        &mut self,
        before: &[(StoryId, Option<std::sync::Arc<Story>>)],
        backlog: &Backlog,
    ) {
        for (id, was) in before {
            let old = was.as_ref().map_or(&[][..], |s| s.blocked_by.as_slice());
            let new = backlog
                .get(*id)
                .map_or(&[][..], |s| s.blocked_by.as_slice());
            if old == new {
                continue;
            }
            for blocker in old.iter().filter(|b| !new.contains(b)) {
                if let Some(list) = self.blocked.get_mut(blocker) {
                    list.retain(|s| s != id);
                    if list.is_empty() {
                        self.blocked.remove(blocker);
                    }
                }
            }
            for &blocker in new.iter().filter(|b| !old.contains(b)) {
                let list = self.blocked.entry(blocker).or_default();
                if let Err(at) = list.binary_search(id) {
                    list.insert(at, *id);
                }
            }
        }
    }
}
