//! The stories marked to be acted on together, as Jira's bulk change
//! acts on the issues ticked: `mark_range` marks a range, from the story
//! it was asked on to wherever the selection goes, and `toggle_mark`
//! marks or unmarks one story. Marks are kept by story, so they follow a story
//! that moves; a range being drawn is kept by row, and only the
//! selection moves while it is (any other key ends it first, keeping
//! what it marked).

use std::collections::BTreeSet;

use crate::model::{StoryId, renumber};

/// The marked stories, and the range being drawn, if any.
#[derive(Clone, Debug, Default)]
pub struct Marks {
    marked: BTreeSet<StoryId>,
    drawing: Option<Drawing>,
}

/// A range being drawn.
#[derive(Clone, Debug)]
struct Drawing {
    /// The row the range was started on.
    anchor: usize,
    /// The row the range reaches: the selection's.
    end: usize,
    /// What was marked before the range: a row the range leaves again
    /// stays as it was.
    before: BTreeSet<StoryId>,
}

impl Marks {
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.marked.is_empty()
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.marked.len()
    }

    #[must_use]
    pub fn contains(&self, id: StoryId) -> bool {
        self.marked.contains(&id)
    }

    /// The marked stories, in id order.
    pub fn ids(&self) -> impl Iterator<Item = StoryId> + '_ {
        self.marked.iter().copied()
    }

    /// Whether a range is being drawn.
    #[must_use]
    pub fn is_drawing(&self) -> bool {
        self.drawing.is_some()
    }

    pub(super) fn clear(&mut self) {
        self.marked.clear();
        self.drawing = None;
    }

    /// Mark story `id`, or unmark it; true when it is marked now.
    pub(super) fn toggle(&mut self, id: StoryId) -> bool {
        let marked = self.marked.insert(id);
        if !marked {
            self.marked.remove(&id);
        }
        marked
    }

    /// Start a range at `row`, which shows story `id`.
    pub(super) fn start(&mut self, row: usize, id: StoryId) {
        self.drawing = Some(Drawing {
            anchor: row,
            end: row,
            before: self.marked.clone(),
        });
        self.marked.insert(id);
    }

    /// Stop drawing the range, keeping what it marked.
    pub(super) fn stop(&mut self) {
        self.drawing = None;
    }

    /// Keep only the marks `keep` says to.
    pub(super) fn retain(&mut self, keep: impl FnMut(&StoryId) -> bool) {
        self.stop();
        self.marked.retain(keep);
    }

    /// A merge gave some of this session's new stories other ids: their
    /// marks follow.
    pub fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        if changes.is_empty() {
            return;
        }
        self.stop();
        let marked = std::mem::take(&mut self.marked);
        self.marked = marked.into_iter().map(|id| renumber(id, changes)).collect();
    }

    /// The range reaches `row` now; `id_at` says which story a row shows.
    /// Only the rows it takes in or leaves are looked at, so moving the
    /// end of a range of thousands costs the rows moved over.
    pub(super) fn reach(&mut self, row: usize, id_at: impl Fn(usize) -> Option<StoryId>) {
        let Some(drawing) = &mut self.drawing else {
            return;
        };
        let span = |end: usize| (drawing.anchor.min(end), drawing.anchor.max(end));
        let ((low, high), (new_low, new_high)) = (span(drawing.end), span(row));
        drawing.end = row;
        // Both spans hold the anchor: what changes is at their ends.
        let taken_in = (new_low..low).chain(high + 1..=new_high);
        let left = (low..new_low).chain(new_high + 1..=high);
        for id in taken_in.filter_map(&id_at) {
            self.marked.insert(id);
        }
        for id in left.filter_map(&id_at) {
            if !drawing.before.contains(&id) {
                self.marked.remove(&id);
            }
        }
    }
}
