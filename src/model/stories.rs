//! The backlog's stories, sorted by id, and what a change did to them.
//!
//! Every change to the list goes through the few methods here, so while a
//! change is watched ([`Backlog::watched`](super::Backlog::watched)) each
//! story it replaces, adds or removes is noted as it was before, however
//! deep in the backlog's operations that happens. The undo history then
//! keeps exactly what changed, without the caller saying what it would
//! touch, and at the cost of what was touched, not of the backlog's size.

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::Arc;

use chrono::NaiveDate;

use super::story::{Status, Story, StoryId};

/// A story as it was before a change: `None` when the change added it.
pub type Before = (StoryId, Option<Arc<Story>>);

#[derive(Clone, Debug, Default)]
pub(super) struct Stories {
    /// Shared with every copy of the backlog until one of them changes
    /// (then that one copies it): a copy for the search thread or the
    /// saving thread costs nothing, where copying a million stories'
    /// pointers reaches into every story.
    list: Arc<Vec<Arc<Story>>>,
    /// While a change is watched: the stories it touched, as they were,
    /// each the first time it was touched (later times too, dropped when
    /// the watch ends).
    seen: Option<Vec<Before>>,
    /// Every story's `blocked_by` turned round, kept with each change
    /// here: what a story blocks is found without looking through every
    /// story.
    blocking: Arc<Blocking>,
    /// Each story's estimate and status, in the list's order, packed
    /// small: the release forecast walks the whole backlog in rank order
    /// on every move, and reading these costs a tenth of reaching into
    /// each story.
    briefs: Arc<Vec<Brief>>,
}

/// What the release forecast needs of a story: its estimate and status.
#[derive(Clone, Copy, Debug)]
pub struct Brief {
    /// NaN when it has no estimate. Kept whole, as an `f64`: an older
    /// file's estimate may be any number (2.3), which an `f32` would show
    /// as 2.299999952.
    points: f64,
    pub status: Status,
    /// The day it was last done, while it is done: a team's velocity
    /// from its done stories is read from here.
    pub done: Option<NaiveDate>,
}

/// An unknown estimate is the same as another: NaN inside, which never
/// equals itself, so the estimates compare as bits.
impl PartialEq for Brief {
    fn eq(&self, other: &Self) -> bool {
        self.points.to_bits() == other.points.to_bits()
            && self.status == other.status
            && self.done == other.done
    }
}

impl Brief {
    #[must_use]
    pub fn of(story: &Story) -> Brief {
        Brief {
            points: story.points.map_or(f64::NAN, super::story::Points::value),
            status: story.status,
            done: story.done_at().map(|at| at.date_naive()),
        }
    }

    /// Its estimate, when it has one.
    #[must_use]
    pub fn points(self) -> Option<f64> {
        (!self.points.is_nan()).then_some(self.points)
    }
}

/// Which stories each story blocks: every story's `blocked_by` turned
/// round. The backlog keeps it with every change
/// ([`Backlog::blocking`](super::Backlog::blocking)); [`Blocking::of`]
/// builds it afresh.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Blocking {
    /// Blocker → the stories blocked by it, in id order.
    blocked: HashMap<StoryId, Vec<StoryId>>,
}

impl Blocking {
    /// Every link of `stories`.
    #[must_use]
    pub fn of<'a>(stories: impl IntoIterator<Item = &'a Arc<Story>>) -> Blocking {
        let mut blocking = Blocking::default();
        for story in stories {
            blocking.add(story);
        }
        blocking
    }

    /// The stories `id` blocks, in id order.
    #[must_use]
    pub fn blocks(&self, id: StoryId) -> &[StoryId] {
        self.blocked.get(&id).map_or(&[], Vec::as_slice)
    }

    fn add(&mut self, story: &Story) {
        for &blocker in &story.blocked_by {
            let list = self.blocked.entry(blocker).or_default();
            if let Err(at) = list.binary_search(&story.id) {
                list.insert(at, story.id);
            }
        }
    }

    fn take_away(&mut self, story: &Story) {
        for blocker in &story.blocked_by {
            if let Some(list) = self.blocked.get_mut(blocker) {
                list.retain(|s| *s != story.id);
                if list.is_empty() {
                    self.blocked.remove(blocker);
                }
            }
        }
    }
}

impl Deref for Stories {
    type Target = [Arc<Story>];

    fn deref(&self) -> &[Arc<Story>] {
        &self.list
    }
}

impl Stories {
    /// A list already sorted by id.
    pub(super) fn new(list: Vec<Arc<Story>>) -> Self {
        let blocking = Blocking::of(&list);
        let briefs = list.iter().map(|story| Brief::of(story)).collect();
        Stories {
            list: Arc::new(list),
            seen: None,
            blocking: Arc::new(blocking),
            briefs: Arc::new(briefs),
        }
    }

    /// A copy that shares none of its lists with this one (the stories in
    /// them are still shared): see [`Backlog::unshared`](super::Backlog::unshared).
    pub(super) fn unshared(&self) -> Self {
        Stories {
            list: Arc::new(self.list.to_vec()),
            seen: None,
            blocking: Arc::new((*self.blocking).clone()),
            briefs: Arc::new(self.briefs.to_vec()),
        }
    }

    pub(super) fn shares_lists(&self) -> bool {
        Arc::strong_count(&self.list) > 1
            || Arc::strong_count(&self.briefs) > 1
            || Arc::strong_count(&self.blocking) > 1
    }

    /// The list, to rebuild it whole (while a file is read).
    pub(super) fn into_vec(self) -> Vec<Arc<Story>> {
        Arc::unwrap_or_clone(self.list)
    }

    fn note(&mut self, index: usize) {
        if let Some(seen) = &mut self.seen {
            let story = &self.list[index];
            seen.push((story.id, Some(Arc::clone(story))));
        }
    }

    /// The story at `index`, to change in place: anything but its
    /// `blocked_by`, estimate and status, which change only through
    /// [`Stories::set`], so that what each story blocks, and each story's
    /// [`Brief`], stay known.
    pub(super) fn make_mut(&mut self, index: usize) -> &mut Story {
        self.note(index);
        Arc::make_mut(&mut Arc::make_mut(&mut self.list)[index])
    }

    /// Which stories each story blocks.
    pub(super) fn blocking(&self) -> &Blocking {
        &self.blocking
    }

    /// The estimate and status of the story at `index`.
    pub(super) fn brief(&self, index: usize) -> Brief {
        self.briefs[index]
    }

    /// Every story's estimate and status, in id order.
    pub(super) fn briefs(&self) -> &[Brief] {
        &self.briefs
    }

    /// Put `story` at `index`, in place of the one there.
    pub(super) fn set(&mut self, index: usize, story: Arc<Story>) {
        self.note(index);
        if self.list[index].blocked_by != story.blocked_by {
            let blocking = Arc::make_mut(&mut self.blocking);
            blocking.take_away(&self.list[index]);
            blocking.add(&story);
        }
        let brief = Brief::of(&story);
        if self.briefs[index] != brief {
            Arc::make_mut(&mut self.briefs)[index] = brief;
        }
        Arc::make_mut(&mut self.list)[index] = story;
    }

    /// Add `story` at `index` (the place its id sorts to).
    pub(super) fn insert(&mut self, index: usize, story: Arc<Story>) {
        if let Some(seen) = &mut self.seen {
            seen.push((story.id, None));
        }
        if !story.blocked_by.is_empty() {
            Arc::make_mut(&mut self.blocking).add(&story);
        }
        Arc::make_mut(&mut self.briefs).insert(index, Brief::of(&story));
        Arc::make_mut(&mut self.list).insert(index, story);
    }

    /// Add `story`, whose id is the highest.
    pub(super) fn push(&mut self, story: Arc<Story>) {
        self.insert(self.list.len(), story);
    }

    pub(super) fn remove(&mut self, index: usize) -> Arc<Story> {
        self.note(index);
        if !self.list[index].blocked_by.is_empty() {
            Arc::make_mut(&mut self.blocking).take_away(&self.list[index]);
        }
        Arc::make_mut(&mut self.briefs).remove(index);
        Arc::make_mut(&mut self.list).remove(index)
    }

    /// Remove the stories at `indexes` (ascending, each once), in one
    /// pass over the list; they come back in that order.
    pub(super) fn remove_all(&mut self, indexes: &[usize]) -> Vec<Arc<Story>> {
        for &index in indexes {
            self.note(index);
            if !self.list[index].blocked_by.is_empty() {
                Arc::make_mut(&mut self.blocking).take_away(&self.list[index]);
            }
        }
        let mut removed = Vec::with_capacity(indexes.len());
        let mut gone = indexes.iter().peekable();
        let mut kept = Vec::with_capacity(self.list.len() - indexes.len());
        let list = Arc::unwrap_or_clone(std::mem::take(&mut self.list));
        for (at, story) in list.into_iter().enumerate() {
            if gone.next_if(|&&index| index == at).is_some() {
                removed.push(story);
            } else {
                kept.push(story);
            }
        }
        self.briefs = Arc::new(kept.iter().map(|story| Brief::of(story)).collect());
        self.list = Arc::new(kept);
        removed
    }

    /// Start noting what is touched; false when a watch is already on
    /// (an operation watched inside another joins it).
    pub(super) fn watch(&mut self) -> bool {
        if self.seen.is_some() {
            return false;
        }
        self.seen = Some(Vec::new());
        true
    }

    /// Stop noting, and give each story touched once, as it was first.
    pub(super) fn unwatch(&mut self) -> Vec<Before> {
        let mut seen = self.seen.take().unwrap_or_default();
        let mut first = std::collections::HashSet::with_capacity(seen.len());
        seen.retain(|(id, _)| first.insert(*id));
        seen
    }
}

impl PartialEq for Stories {
    fn eq(&self, other: &Self) -> bool {
        // What a watch noted is not part of the backlog. Copies share
        // their list until one changes, and their stories until each
        // changes.
        Arc::ptr_eq(&self.list, &other.list)
            || (self.list.len() == other.list.len()
                && self
                    .list
                    .iter()
                    .zip(other.list.iter())
                    .all(|(a, b)| super::merge::same(a, b)))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use crate::model::tests::backlog_of;
    use crate::model::{Epic, EpicColor, History, Move, Placement, StoryId, StoryPatch};

    fn touched(snapshot: &crate::model::Snapshot) -> Vec<(u64, bool)> {
        let mut ids: Vec<(u64, bool)> = snapshot
            .stories
            .iter()
            .map(|(id, was)| (id.0, was.is_some()))
            .collect();
        ids.sort_unstable();
        ids
    }

    #[test]
    fn a_watched_change_gives_each_story_it_touched_as_it_was() {
        let now = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
        let mut b = backlog_of(5);
        let was = b.get_arc(StoryId(3)).cloned();
        let (moved, snapshot) = b.watched(|b| b.move_story(StoryId(3), Move::Top));
        moved.unwrap();
        assert_eq!(touched(&snapshot), [(3, true)]);
        assert_eq!(snapshot.stories[0].1, was);
        assert!(snapshot.product.is_some());

        // A split changes the story split and adds one that was not there.
        let (split, snapshot) = b.watched(|b| b.split(StoryId(2), "Half", &[], now));
        assert_eq!(split, Ok(StoryId(6)));
        assert_eq!(touched(&snapshot), [(2, true), (6, false)]);

        // Renaming an epic touches its stories, and no other.
        let epic = Epic {
            name: "Billing".into(),
            color: EpicColor::Blue,
            goal: String::new(),
            target_release: None,
        };
        b.add_epic(epic.clone()).unwrap();
        for id in [1, 4] {
            let patch = StoryPatch {
                epic: Some(Some("Billing".into())),
                ..StoryPatch::default()
            };
            b.edit(StoryId(id), &patch, now).unwrap();
        }
        let renamed = Epic {
            name: "Payments".into(),
            ..epic
        };
        let (result, snapshot) = b.watched(|b| b.update_epic("Billing", renamed, now));
        result.unwrap();
        assert_eq!(touched(&snapshot), [(1, true), (4, true)]);

        // A refused change touches nothing.
        let (refused, snapshot) = b.watched(|b| b.edit(StoryId(1), &StoryPatch::title(" "), now));
        assert!(refused.is_err());
        assert!(snapshot.stories.is_empty());
    }

    #[test]
    fn a_copy_shares_the_lists_until_a_change_and_sees_none_of_it() {
        let now = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
        let mut b = backlog_of(4);
        assert!(!b.shares_lists());
        let copy = b.clone();
        assert!(b.shares_lists() && copy.shares_lists());
        let ranked = |b: &crate::model::Backlog| b.ranked().map(|s| s.id.0).collect::<Vec<_>>();
        b.move_story(StoryId(4), Move::Top).unwrap();
        let done = StoryPatch {
            status: Some(crate::model::Status::Done),
            ..StoryPatch::default()
        };
        b.edit(StoryId(2), &done, now).unwrap();
        b.remove(StoryId(1)).unwrap();
        assert_eq!(ranked(&copy), [1, 2, 3, 4]);
        assert_eq!(ranked(&b), [4, 2, 3]);
        assert_eq!(
            copy.get(StoryId(2)).unwrap().status,
            crate::model::Status::Draft
        );
        assert_eq!(copy.briefs()[1].status, crate::model::Status::Draft);
        assert_eq!(b.briefs()[0].status, crate::model::Status::Done);
        // Apart: equal, and sharing nothing with any copy.
        let apart = b.unshared();
        assert_eq!(apart, b);
        assert!(!apart.shares_lists());
        drop(copy);
        assert!(!b.shares_lists());
        // A change that leaves every estimate and status as it was (a
        // story with none, whose estimate is NaN inside) copies no brief.
        let copy = b.clone();
        assert!(b.get(StoryId(3)).unwrap().points.is_none());
        b.edit(StoryId(3), &StoryPatch::title("Renamed"), now)
            .unwrap();
        assert!(std::ptr::eq(b.briefs(), copy.briefs()));
        assert!(!std::ptr::eq(b.stories_by_id(), copy.stories_by_id()));
    }

    #[test]
    fn what_a_watch_gives_is_what_undo_puts_back() {
        let now = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
        let mut b = backlog_of(4);
        let start = b.clone();
        let mut history = History::default();
        let (result, before) = b.watched(|b| {
            b.move_story(StoryId(4), Move::Top)?;
            b.remove(StoryId(2))?;
            b.add(&StoryPatch::title("New"), Placement::Top, now)
        });
        result.unwrap();
        assert!(history.record("several", now, before, &b));
        history.undo(&mut b).unwrap();
        // As it was, but for the id the new story took, never reused.
        assert_eq!(b.stories_by_id(), start.stories_by_id());
        assert!(b.ranked().map(|s| s.id).eq(start.ranked().map(|s| s.id)));
        // Nothing changed: nothing recorded.
        let (_, before) = b.watched(|b| b.move_story(StoryId(1), Move::Top));
        assert!(!history.record("nothing", now, before, &b));
    }
}
