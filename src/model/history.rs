//! Undo and redo: a bounded history of changes to the backlog.
//!
//! Each entry keeps the stories (and, when it changed, the product) that
//! one action touched, as they were before and after it. Undoing puts the
//! "before" copies back, whatever the action was, so the history needs no
//! inverse of each operation. Ids are never reused, so putting back never
//! lowers the backlog's next id.
//!
//! The TUI merges in changes other programs write to the file. Before an
//! entry is undone (or redone) every story it would overwrite must still be
//! as the entry left it; when one is not, the entry is refused and dropped
//! rather than silently undoing someone else's work.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::backlog::{Backlog, Clash, renumber, renumber_plan, renumber_story};
use super::feedback::{Feedback, FeedbackId};
use super::merge::same;
use super::product::{Epic, Product, ProductPart, epic_named};
use super::story::{Story, StoryId};

/// How many actions can be undone, unless told otherwise.
pub const HISTORY_LIMIT: usize = 200;

/// Some stories, and optionally the product, as they were at one moment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Name, vision, goals, epics and settings; `None` when not taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<Product>,
    /// Each story taken, `None` when it did not exist.
    #[serde(default, with = "slots")]
    pub stories: Vec<(StoryId, Option<Arc<Story>>)>,
    /// The clashes a git merge left; `None` when not taken. Settling one
    /// may change nothing else (taking ours), yet is a change to undo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clashes: Option<Vec<Clash>>,
}

impl Snapshot {
    /// The stories `ids` (each once, in the order given) and, when
    /// `product` is set, the product and the clashes a merge left.
    /// Costs O(ids · log n) and copies no story: stories are shared.
    #[must_use]
    pub fn take(backlog: &Backlog, ids: &[StoryId], product: bool) -> Snapshot {
        let mut seen = HashSet::with_capacity(ids.len());
        let stories = ids
            .iter()
            .filter(|id| seen.insert(**id))
            .map(|&id| (id, backlog.get_arc(id).cloned()))
            .collect();
        Snapshot {
            product: product.then(|| backlog.product.clone()),
            stories,
            clashes: product.then(|| backlog.clashes().to_vec()),
        }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.product.is_none() && self.stories.is_empty() && self.clashes.is_none()
    }

    /// Whether `backlog` still holds these stories exactly; if not, the
    /// story that differs. (The product is checked part by part, in
    /// [`step`].)
    fn check(&self, backlog: &Backlog) -> Result<(), StoryId> {
        for (id, kept) in &self.stories {
            let same = match (kept, backlog.get_arc(*id)) {
                (None, None) => true,
                (Some(kept), Some(now)) => same(kept, now),
                _ => false,
            };
            if !same {
                return Err(*id);
            }
        }
        Ok(())
    }

    /// Make `backlog` hold these stories; returns the story to select
    /// afterwards. (The product is put back part by part, in [`step`].)
    fn apply(&self, backlog: &mut Backlog) -> Option<StoryId> {
        let mut gone = None;
        // Stories go first, so none put back finds its key still held by
        // one that is going.
        for (id, kept) in &self.stories {
            if kept.is_none()
                && let Ok(story) = backlog.remove(*id)
            {
                gone.get_or_insert(story);
            }
        }
        backlog.put_all(self.stories.iter().filter_map(|(_, kept)| kept.clone()));
        self.stories
            .iter()
            .find_map(|(id, kept)| kept.as_ref().map(|_| *id))
            .or_else(|| gone.and_then(|story| backlog.nearest(&story.rank)))
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        for (id, story) in &mut self.stories {
            *id = renumber(*id, changes);
            if let Some(story) = story {
                renumber_story(story, changes);
            }
        }
        if let Some(product) = &mut self.product {
            renumber_plan(product, changes);
        }
        for clash in self.clashes.iter_mut().flatten() {
            if let Some(id) = &mut clash.story {
                *id = renumber(*id, changes);
            }
        }
    }
}

/// One action that can be undone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// What the action was, as the status bar names it: "move S-4".
    pub label: String,
    pub at: DateTime<Utc>,
    /// Only what the action changed: stories and a product that were the
    /// same before and after are left out.
    pub before: Snapshot,
    pub after: Snapshot,
}

/// Which way through the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Undo,
    Redo,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Step::Undo => "undo",
            Step::Redo => "redo",
        })
    }
}

/// An action undone or redone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undone {
    pub label: String,
    /// The story to select now: one the action touched that exists, else
    /// the one ranked nearest a story that went away (for an undone add,
    /// the story it was added after).
    pub focus: Option<StoryId>,
}

/// Why nothing was undone or redone. The backlog is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HistoryError {
    Nothing(Step),
    /// Another program changed a story the entry would overwrite (`None`:
    /// the product). The entry has been dropped, so the next step goes on
    /// to the one before it.
    ChangedSince {
        step: Step,
        label: String,
        id: Option<StoryId>,
    },
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HistoryError::Nothing(step) => write!(f, "nothing to {step}"),
            HistoryError::ChangedSince { step, label, id } => {
                write!(f, "can't {step} {label:?}: ")?;
                match id {
                    Some(id) => write!(f, "{id} changed since in another program"),
                    None => {
                        f.write_str("the product or its epics changed since in another program")
                    }
                }
            }
        }
    }
}

impl std::error::Error for HistoryError {}

/// Actions that can be undone, newest last, and actions undone that can be
/// redone, most recently undone last.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    #[serde(default)]
    // Entries are shared, so the TUI's copy for the saving thread, made on
    // every change, copies pointers.
    undo: VecDeque<Arc<Entry>>,
    #[serde(default)]
    redo: Vec<Arc<Entry>>,
    /// A setting of the program, not of the file.
    #[serde(skip, default = "limit")]
    limit: usize,
}

fn limit() -> usize {
    HISTORY_LIMIT
}

impl Default for History {
    fn default() -> Self {
        History::new(HISTORY_LIMIT)
    }
}

impl History {
    /// An empty history keeping at most `limit` actions.
    #[must_use]
    pub fn new(limit: usize) -> Self {
        History {
            undo: VecDeque::new(),
            redo: Vec::new(),
            limit,
        }
    }

    #[must_use]
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Keep at most `limit` actions from now on, dropping the oldest.
    pub fn set_limit(&mut self, limit: usize) {
        self.limit = limit;
        self.trim();
    }

    /// Drop the oldest actions beyond the limit (a file may hold more,
    /// from a hand edit or a build that kept more).
    pub(crate) fn trim(&mut self) {
        while self.undo.len() > self.limit {
            self.undo.pop_front();
        }
        // The most recently undone is last; the first is farthest away.
        let excess = self.redo.len().saturating_sub(self.limit);
        self.redo.drain(..excess);
    }

    /// Record an action done to `backlog`. `before` is what
    /// [`Snapshot::take`] gave just before the action; the same stories
    /// (and product) are taken again now. Only what changed is kept: an
    /// action that changed nothing is not recorded, and returns false.
    /// A recorded action clears what could be redone.
    pub fn record(
        &mut self,
        label: impl Into<String>,
        at: DateTime<Utc>,
        mut before: Snapshot,
        backlog: &Backlog,
    ) -> bool {
        let ids: Vec<StoryId> = before.stories.iter().map(|(id, _)| *id).collect();
        let mut after = Snapshot::take(backlog, &ids, before.product.is_some());
        // Taken with the product, or on their own when only they were.
        after.clashes = before.clashes.as_ref().map(|_| backlog.clashes().to_vec());
        if before.clashes == after.clashes {
            before.clashes = None;
            after.clashes = None;
        }
        if before.product == after.product {
            before.product = None;
            after.product = None;
        }
        if let (Some(was), Some(is)) = (&mut before.product, &mut after.product) {
            keep_changed_feedback(was, is);
        }
        let changed: Vec<bool> = before
            .stories
            .iter()
            .zip(&after.stories)
            .map(|((_, was), (_, now))| match (was, now) {
                (Some(was), Some(now)) => !same(was, now),
                (None, None) => false,
                _ => true,
            })
            .collect();
        let keep = |snapshot: &mut Snapshot| {
            let mut flags = changed.iter();
            snapshot
                .stories
                .retain(|_| flags.next().copied().unwrap_or(false));
        };
        keep(&mut before);
        keep(&mut after);
        if before.is_empty() {
            return false;
        }
        self.redo.clear();
        self.undo.push_back(Arc::new(Entry {
            label: label.into(),
            at,
            before,
            after,
        }));
        self.trim();
        true
    }

    /// Record an action done to `backlog` as more of the newest one, when
    /// that has the same `label` and nothing has been undone since: the
    /// steps of one gesture (a drag that ranks a story row by row) are
    /// one action to undo, which puts back each story as it was before
    /// the first step. Otherwise it is recorded as [`History::record`]
    /// records it. An action that, with its new steps, changes nothing
    /// in the end (a story dragged back where it was) is no longer kept.
    /// True when the history changed.
    pub fn record_more(
        &mut self,
        label: impl Into<String>,
        at: DateTime<Utc>,
        before: Snapshot,
        backlog: &Backlog,
    ) -> bool {
        let label = label.into();
        let continues = self.redo.is_empty() && self.undo.back().is_some_and(|e| e.label == label);
        if !continues {
            return self.record(label, at, before, backlog);
        }
        let Some(newest) = self.undo.pop_back() else {
            return false;
        };
        let mut first = newest.before.clone();
        for (id, story) in before.stories {
            if !first.stories.iter().any(|(kept, _)| *kept == id) {
                first.stories.push((id, story));
            }
        }
        if first.clashes.is_none() {
            first.clashes = before.clashes;
        }
        match (&mut first.product, before.product) {
            (None, now) => first.product = now,
            // The newest entry keeps only the feedback items it changed:
            // the rest, as they were before the gesture, are as they were
            // before this step.
            (Some(first), Some(now)) => {
                let touched = newest
                    .after
                    .product
                    .as_ref()
                    .map_or(&[][..], |p| &p.feedback[..]);
                first.feedback = feedback_before(&first.feedback, touched, &now.feedback);
            }
            (Some(_), None) => {}
        }
        // Taken again from the backlog now, and kept only where it differs.
        self.record(label, at, first, backlog);
        true
    }

    /// Undo the newest action.
    ///
    /// # Errors
    /// [`HistoryError::Nothing`] when there is nothing to undo;
    /// [`HistoryError::ChangedSince`] when another program changed what the
    /// action left, in which case the action is dropped from the history.
    /// Either way the backlog is unchanged.
    pub fn undo(&mut self, backlog: &mut Backlog) -> Result<Undone, HistoryError> {
        let entry = self
            .undo
            .pop_back()
            .ok_or(HistoryError::Nothing(Step::Undo))?;
        let undone = step(
            Step::Undo,
            &entry.after,
            &entry.before,
            &entry.label,
            backlog,
        )?;
        self.redo.push(entry);
        Ok(undone)
    }

    /// Redo the action undone last.
    ///
    /// # Errors
    /// As [`History::undo`].
    pub fn redo(&mut self, backlog: &mut Backlog) -> Result<Undone, HistoryError> {
        let entry = self.redo.pop().ok_or(HistoryError::Nothing(Step::Redo))?;
        let redone = step(
            Step::Redo,
            &entry.before,
            &entry.after,
            &entry.label,
            backlog,
        )?;
        self.undo.push_back(entry);
        self.trim();
        Ok(redone)
    }

    #[must_use]
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    #[must_use]
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// How many actions can be undone.
    #[must_use]
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// How many actions can be redone.
    #[must_use]
    pub fn redo_len(&self) -> usize {
        self.redo.len()
    }

    /// Nothing to undo and nothing to redo.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.undo.is_empty() && self.redo.is_empty()
    }

    /// The action the next undo would undo.
    #[must_use]
    pub fn next_undo(&self) -> Option<&Entry> {
        self.undo.back().map(|e| &**e)
    }

    /// The action the next redo would redo.
    #[must_use]
    pub fn next_redo(&self) -> Option<&Entry> {
        self.redo.last().map(|e| &**e)
    }

    /// Actions that can be undone, newest first.
    #[must_use]
    pub fn undoable(&self) -> impl ExactSizeIterator<Item = &Entry> + '_ {
        self.undo.iter().rev().map(|e| &**e)
    }

    /// Actions that can be redone, the next first.
    #[must_use]
    pub fn redoable(&self) -> impl ExactSizeIterator<Item = &Entry> + '_ {
        self.redo.iter().rev().map(|e| &**e)
    }

    /// A copy with only the newest `undo` actions to undo and the next
    /// `redo` to redo. Entries are shared, so this copies pointers.
    #[must_use]
    pub fn keeping(&self, undo: usize, redo: usize) -> History {
        History {
            undo: self
                .undo
                .iter()
                .skip(self.undo.len().saturating_sub(undo))
                .cloned()
                .collect(),
            redo: self.redo[self.redo.len().saturating_sub(redo)..].to_vec(),
            limit: self.limit,
        }
    }

    /// Follow a merge that gave some of our new stories other ids (as
    /// [`Merged::renumbered`](super::Merged) lists them), so the actions
    /// that made them can still be undone. Labels keep the old ids.
    pub fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        if changes.is_empty() {
            return;
        }
        for entry in self.undo.iter_mut().chain(self.redo.iter_mut()) {
            let entry = Arc::make_mut(entry);
            entry.before.renumber(changes);
            entry.after.renumber(changes);
        }
    }
}

/// Check that `backlog` holds `expected`, then make it hold `target`.
fn step(
    step: Step,
    expected: &Snapshot,
    target: &Snapshot,
    label: &str,
    backlog: &mut Backlog,
) -> Result<Undone, HistoryError> {
    let refused = |id| HistoryError::ChangedSince {
        step,
        label: label.to_string(),
        id,
    };
    expected.check(backlog).map_err(|id| refused(Some(id)))?;
    if let Some(clashes) = &expected.clashes
        && backlog.clashes() != clashes.as_slice()
    {
        // Another writer settled or added one meanwhile.
        return Err(refused(None));
    }
    let product = expected.product.as_ref().zip(target.product.as_ref());
    let epics = product.map_or_else(Vec::new, |(was, will_be)| {
        changed_epics(&was.epics, &will_be.epics)
    });
    if let Some((was, will_be)) = product {
        if !product_parts_hold(was, will_be, &epics, &backlog.product) {
            return Err(refused(None));
        }
        // An epic the step takes away must not be left named by a story
        // another program put in it meanwhile.
        let dropped: Vec<&str> = epics
            .iter()
            .copied()
            .filter(|name| will_be.epic(name).is_none())
            .collect();
        let restored: HashSet<StoryId> = target.stories.iter().map(|(id, _)| *id).collect();
        if let Some(story) = backlog.stories_by_id().iter().find(|s| {
            !restored.contains(&s.id) && s.epic.as_deref().is_some_and(|e| dropped.contains(&e))
        }) {
            return Err(refused(Some(story.id)));
        }
    }
    // The product first: a story put back spells its epic as the product
    // has it then, so it must be the product of the story's moment (an
    // epic renamed in another case, say).
    if let Some((was, will_be)) = product {
        put_product_parts(was, will_be, &epics, &mut backlog.product);
    }
    let focus = target.apply(backlog);
    if let Some(clashes) = &target.clashes {
        backlog.put_clashes(clashes.clone());
    }
    Ok(Undone {
        label: label.to_string(),
        focus,
    })
}

/// The epics that differ between `a` and `b`, by name.
fn changed_epics<'a>(a: &'a [Epic], b: &'a [Epic]) -> Vec<&'a str> {
    let mut names: Vec<&str> = Vec::new();
    for epic in a.iter().chain(b) {
        if !names.contains(&epic.name.as_str())
            && epic_named(a, &epic.name) != epic_named(b, &epic.name)
        {
            names.push(&epic.name);
        }
    }
    names
}

/// Whether each part of the product that an action changed (from
/// `expected` to `target`, `epics` among them) is still as `expected` in
/// `now`: a change made elsewhere to another part, or to another epic, does
/// not block it.
fn product_parts_hold(expected: &Product, target: &Product, epics: &[&str], now: &Product) -> bool {
    ProductPart::all().into_iter().all(|part| match part {
        ProductPart::Epics => epics
            .iter()
            .all(|name| expected.epic(name) == now.epic(name)),
        // Item by item: another item taken in or triaged meanwhile does
        // not block it, and the id counter never does.
        ProductPart::Feedback => changed_feedback(&expected.feedback, &target.feedback)
            .into_iter()
            .all(|id| item(&expected.feedback, id) == item(&now.feedback, id)),
        part => expected.same_part(target, part) || expected.same_part(now, part),
    })
}

/// Put back in `now` the parts of the product an action changed (from
/// `expected` to `target`, `epics` among them), as `target` has them,
/// leaving the rest as it is now.
fn put_product_parts(expected: &Product, target: &Product, epics: &[&str], now: &mut Product) {
    for part in ProductPart::all() {
        match part {
            ProductPart::Epics => put_epics(target, epics, now),
            ProductPart::Feedback => put_feedback(expected, target, now),
            part => {
                if !expected.same_part(target, part) {
                    now.take_part(target, part);
                }
            }
        }
    }
}

/// The feedback item `id` in `items` (in id order), if there.
fn item(items: &[Arc<Feedback>], id: FeedbackId) -> Option<&Arc<Feedback>> {
    items
        .binary_search_by_key(&id, |f| f.id)
        .ok()
        .map(|at| &items[at])
}

/// The ids of the feedback items that differ between `a` and `b` (each in
/// id order): in one and not the other, or changed.
fn changed_feedback(a: &[Arc<Feedback>], b: &[Arc<Feedback>]) -> Vec<FeedbackId> {
    let mut ids: Vec<FeedbackId> = a
        .iter()
        .chain(b)
        .map(|f| f.id)
        .filter(|&id| item(a, id) != item(b, id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Keep in the two sides of an action only the feedback items it
/// changed: an inbox of thousands of items is not copied into every
/// entry of the history (nor its file) for one item triaged. Undo and
/// redo go item by item, so they need no more.
fn keep_changed_feedback(before: &mut Product, after: &mut Product) {
    let changed = changed_feedback(&before.feedback, &after.feedback);
    before
        .feedback
        .retain(|f| changed.binary_search(&f.id).is_ok());
    after
        .feedback
        .retain(|f| changed.binary_search(&f.id).is_ok());
}

/// The feedback as it was before a gesture, from the items its earlier
/// steps kept (`first`, as they were before it, and `touched`, as those
/// steps left them) and the whole feedback before this step (`now`).
fn feedback_before(
    first: &[Arc<Feedback>],
    touched: &[Arc<Feedback>],
    now: &[Arc<Feedback>],
) -> Vec<Arc<Feedback>> {
    let kept = |id: FeedbackId| item(first, id).is_some() || item(touched, id).is_some();
    let mut items: Vec<Arc<Feedback>> = now
        .iter()
        .filter(|f| !kept(f.id))
        .chain(first)
        .cloned()
        .collect();
    items.sort_by_key(|f| f.id);
    items
}

/// Put back in `now` each feedback item the step changes (from
/// `expected` to `target`), as `target` has it; the id counter only
/// ever goes up, so an id handed out is never handed out again.
fn put_feedback(expected: &Product, target: &Product, now: &mut Product) {
    for id in changed_feedback(&expected.feedback, &target.feedback) {
        let at = now.feedback.binary_search_by_key(&id, |f| f.id);
        match (item(&target.feedback, id), at) {
            (Some(kept), Ok(at)) => now.feedback[at] = Arc::clone(kept),
            (Some(kept), Err(at)) => now.feedback.insert(at, Arc::clone(kept)),
            (None, Ok(at)) => {
                now.feedback.remove(at);
            }
            (None, Err(_)) => {}
        }
    }
    now.next_feedback = now.next_feedback.max(target.next_feedback);
}

/// Put back in `now` the epics `epics`, as `target` has them.
fn put_epics(target: &Product, epics: &[&str], now: &mut Product) {
    for &name in epics {
        let at = now.epics.iter().position(|e| e.name == name);
        match (target.epic(name), at) {
            (Some(epic), Some(at)) => now.epics[at] = epic.clone(),
            (Some(epic), None) => {
                // Where the action had it, as near as the list allows.
                let place = target
                    .epics
                    .iter()
                    .position(|e| e.name == name)
                    .unwrap_or(now.epics.len())
                    .min(now.epics.len());
                now.epics.insert(place, epic.clone());
            }
            (None, Some(at)) => {
                now.epics.remove(at);
            }
            (None, None) => {}
        }
    }
    // Putting stories back may have added an epic at the end; when the
    // step changed the epics, they take the order it left them in, any
    // others after them.
    if epics.is_empty() {
        return;
    }
    now.epics.sort_by_key(|e| {
        target
            .epics
            .iter()
            .position(|t| t.name == e.name)
            .unwrap_or(usize::MAX)
    });
}

/// A snapshot's stories in the file: `{"id": "S-4", "story": {…}}`, the
/// story `null` when it did not exist.
mod slots {
    use std::sync::Arc;

    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::model::story::{Story, StoryId};

    type Slots = Vec<(StoryId, Option<Arc<Story>>)>;

    #[derive(Serialize)]
    struct SlotOut<'a> {
        id: StoryId,
        story: Option<&'a Story>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct SlotIn {
        id: StoryId,
        story: Option<Story>,
    }

    pub fn serialize<S: Serializer>(
        stories: &[(StoryId, Option<Arc<Story>>)],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(stories.iter().map(|(id, story)| SlotOut {
            id: *id,
            story: story.as_deref(),
        }))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Slots, D::Error> {
        Vec::<SlotIn>::deserialize(deserializer)?
            .into_iter()
            .map(|slot| match slot.story {
                Some(story) if story.id != slot.id => Err(D::Error::custom(format!(
                    "story {} is filed under {}",
                    story.id, slot.id
                ))),
                story => Ok((slot.id, story.map(Arc::new))),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
