//! Which stories kept who they are under a new id, as [`super::diff`]
//! defines it, and so which story of the older backlog each story of the
//! newer one is: the git merge driver gives a story the next free id when
//! the other side had added one under its id too.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::model::{Backlog, Product, Story, StoryId};

/// The stories `before` holds under another id in `after`, and with them
/// how the stories of the two sides pair up.
pub(super) struct Renumbering<'a> {
    before: &'a Backlog,
    after: &'a Backlog,
    /// Old id to new.
    to_after: HashMap<StoryId, StoryId>,
    /// New id to old.
    to_before: HashMap<StoryId, StoryId>,
}

impl<'a> Renumbering<'a> {
    /// A story of `before` at X is the story of `after` at Y ≠ X when the
    /// two were created in the same instant and neither id still holds
    /// the story it held (`after` has no X, or one created at another
    /// time; `before` has no Y, or one created at another time). The
    /// match must be the only one both ways: of stories created in the
    /// same instant (a bulk import), only one whose title is the same
    /// too; and, failing that, the stories are paired by id as usual.
    pub(super) fn between(before: &'a Backlog, after: &'a Backlog) -> Self {
        let mut renumbering = Renumbering {
            before,
            after,
            to_after: HashMap::new(),
            to_before: HashMap::new(),
        };
        let held = |side: &Backlog, story: &Story| {
            side.get(story.id)
                .is_some_and(|other| other.created == story.created)
        };
        let left: Vec<&Story> = (before.stories_by_id().iter())
            .map(AsRef::as_ref)
            .filter(|story| !held(after, story))
            .collect();
        // Only a story removed or renumbered leaves its id: most diffs have
        // none, and need not index every story.
        if left.is_empty() {
            return renumbering;
        }
        let (before_by_created, after_by_created) = (by_created(before), by_created(after));
        for old in left {
            let Some(new) = only_match(old, &after_by_created) else {
                continue;
            };
            let both_ways = only_match(new, &before_by_created).is_some_and(|o| o.id == old.id);
            if both_ways && !held(before, new) {
                renumbering.to_after.insert(old.id, new.id);
                renumbering.to_before.insert(new.id, old.id);
            }
        }
        renumbering
    }

    /// The story `story` of `after` was in `before`; none when it is new.
    pub(super) fn was(&self, story: &Story) -> Option<&'a Story> {
        self.before.get(self.id_then(story.id)?)
    }

    /// The id the story `after` has at `id` had in `before`; none when
    /// that id was another story's, renumbered since.
    pub(super) fn id_then(&self, id: StoryId) -> Option<StoryId> {
        match self.to_before.get(&id) {
            Some(&old) => Some(old),
            None if self.to_after.contains_key(&id) => None,
            None => Some(id),
        }
    }

    /// The id the story `before` had at `id` has in `after`; none when it
    /// was removed.
    pub(super) fn id_now(&self, id: StoryId) -> Option<StoryId> {
        match self.to_after.get(&id) {
            Some(&new) => Some(new),
            // Its id holds a story renumbered onto it: it went.
            None if self.to_before.contains_key(&id) => None,
            None => self.after.get(id).map(|_| id),
        }
    }

    /// An id `before` names as `after` numbers it: the stories renumbered
    /// moved, every other id stays.
    fn renumber(&self, id: StoryId) -> StoryId {
        self.to_after.get(&id).copied().unwrap_or(id)
    }

    /// A story of `before` with its id and the ids it names (split from
    /// and into, blockers) as `after` numbers them, so that only what
    /// changed besides differs from its version in `after`.
    pub(super) fn story_then<'s>(&self, story: &'s Story) -> Cow<'s, Story> {
        if self.to_after.is_empty() {
            return Cow::Borrowed(story);
        }
        let id = self.renumber(story.id);
        let split_from = story.split_from.map(|s| self.renumber(s));
        let split_into: Vec<StoryId> = story.split_into.iter().map(|&s| self.renumber(s)).collect();
        let blocked_by: Vec<StoryId> = story.blocked_by.iter().map(|&s| self.renumber(s)).collect();
        if (id, split_from, &split_into, &blocked_by)
            == (
                story.id,
                story.split_from,
                &story.split_into,
                &story.blocked_by,
            )
        {
            return Cow::Borrowed(story);
        }
        Cow::Owned(Story {
            id,
            split_from,
            split_into,
            blocked_by,
            ..story.clone()
        })
    }

    /// `before`'s product with the stories its releases, sprints and
    /// inbox name as `after` numbers them.
    pub(super) fn product_then(&self) -> Cow<'a, Product> {
        let product = &self.before.product;
        if self.to_after.is_empty() {
            return Cow::Borrowed(product);
        }
        let mut product = product.clone();
        for release in &mut product.releases {
            for id in &mut release.stories {
                *id = self.renumber(*id);
            }
        }
        for sprint in &mut product.sprints {
            for id in &mut sprint.committed {
                *id = self.renumber(*id);
            }
        }
        for item in &mut product.feedback {
            if let Some(story) = item.story
                && self.to_after.contains_key(&story)
            {
                std::sync::Arc::make_mut(item).story = Some(self.renumber(story));
            }
        }
        Cow::Owned(product)
    }

    /// The stories of an epic in `before`, as `after` numbers them, in id
    /// order.
    pub(super) fn epic_stories_then(&self, epic: &str) -> Vec<StoryId> {
        let mut stories = self.before.epic_stories(epic);
        if !self.to_after.is_empty() {
            for id in &mut stories {
                *id = self.renumber(*id);
            }
            stories.sort_unstable();
        }
        stories
    }
}

fn by_created(backlog: &Backlog) -> HashMap<DateTime<Utc>, Vec<&Story>> {
    let mut by_created: HashMap<DateTime<Utc>, Vec<&Story>> = HashMap::new();
    for story in backlog.stories_by_id() {
        by_created.entry(story.created).or_default().push(story);
    }
    by_created
}

/// The one story created when `story` was; of several, the one of them
/// with its title, if only one has it.
fn only_match<'a>(
    story: &Story,
    by_created: &HashMap<DateTime<Utc>, Vec<&'a Story>>,
) -> Option<&'a Story> {
    match by_created.get(&story.created)?.as_slice() {
        [one] => Some(one),
        several => {
            let mut titled = several.iter().filter(|s| s.title == story.title);
            match (titled.next(), titled.next()) {
                (Some(one), None) => Some(one),
                _ => None,
            }
        }
    }
}
