//! Three-way merge of two changed copies of one backlog.
//!
//! When the TUI finds the file changed under it, its own unsaved change
//! (`ours`, from `base`) is re-applied on top of the file (`theirs`) story by
//! story. A story only one side touched takes that side's version; a story
//! both sides changed differently is a conflict: the file's version wins and
//! ours is handed back so the caller can keep it somewhere safe.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::backlog::{Backlog, renumber_plan, renumber_story};
use super::feedback::{Feedback, FeedbackId};
use super::product::{Epic, EpicColor, Product, ProductPart, name_key};
use super::story::{Story, StoryId};
use crate::rank::Rank;

mod files;
pub use files::{Merged3, merge_files, merge_files_by};

/// What merging produced.
#[derive(Debug)]
pub struct Merged {
    pub backlog: Backlog,
    /// Our versions of stories both sides changed; the file's versions won.
    /// They name our new stories by the ids the merge gave them (see
    /// `renumbered`). Also new stories of ours whose id the other writer
    /// took when no id was left to give them instead.
    pub conflicts: Vec<Story>,
    /// Stories we deleted that were changed elsewhere, so they were kept.
    pub kept_deleted: Vec<StoryId>,
    /// Our product (name, vision, goals, epics, settings), when both sides
    /// changed one of its parts differently; the file's parts won.
    pub conflicting_product: Option<Product>,
    /// New stories of ours whose ids the other writer had already taken,
    /// and new ones of ours since deleted that a split of ours still names
    /// (so undo brings them back under an id of their own).
    pub renumbered: Vec<(StoryId, StoryId)>,
}

impl Merged {
    #[must_use]
    pub fn has_conflicts(&self) -> bool {
        !self.conflicts.is_empty()
            || !self.kept_deleted.is_empty()
            || self.conflicting_product.is_some()
    }
}

fn pick<T: PartialEq + Clone>(base: &T, ours: &T, theirs: &T) -> (T, Option<T>) {
    if ours == base || ours == theirs {
        (theirs.clone(), None)
    } else if theirs == base {
        (ours.clone(), None)
    } else {
        (theirs.clone(), Some(ours.clone()))
    }
}

/// A story both sides still share unchanged is the same allocation, so
/// most stories compare by pointer without looking inside.
pub(super) fn same(a: &Arc<Story>, b: &Arc<Story>) -> bool {
    Arc::ptr_eq(a, b) || a == b
}

/// A story's place and its content merge separately: the product owner
/// ranking a story while a teammate sets its status is no conflict.
fn pick_story(
    base: &Arc<Story>,
    ours: &Arc<Story>,
    theirs: &Arc<Story>,
) -> (Arc<Story>, Option<Story>) {
    if same(ours, base) || same(ours, theirs) {
        return (Arc::clone(theirs), None);
    }
    if same(theirs, base) {
        return (Arc::clone(ours), None);
    }
    let moved_only = |side: &Story| side.same_but_rank(base);
    let stayed = |side: &Story| side.rank == base.rank;
    if moved_only(ours) && stayed(theirs) {
        let mut story = Story::clone(theirs);
        story.rank = ours.rank.clone();
        (Arc::new(story), None)
    } else if moved_only(theirs) && stayed(ours) {
        let mut story = Story::clone(ours);
        story.rank = theirs.rank.clone();
        (Arc::new(story), None)
    } else {
        (Arc::clone(theirs), Some(Story::clone(ours)))
    }
}

/// Merge `ours` and `theirs`, both descended from `base`.
#[must_use]
pub fn merge(base: &Backlog, ours: &Backlog, theirs: &Backlog) -> Merged {
    let base_by_id: HashMap<StoryId, &Arc<Story>> =
        base.stories_by_id().iter().map(|s| (s.id, s)).collect();
    let theirs_ids: HashSet<StoryId> = theirs.stories_by_id().iter().map(|s| s.id).collect();

    // Our new stories whose ids the file has taken (or used: ids are
    // never reused) move past them first, and every story of ours that
    // names them follows, so that an id means the same story on both
    // sides before any story is weighed: both sides splitting one story
    // into "S-4" split it into two different stories.
    let mut next_id = theirs.next_id().max(ours.next_id());
    let mut renumbered = Vec::new();
    let mut conflicts = Vec::new();
    let mut no_id_left = HashSet::new();
    let taken = |id: StoryId| id.0 < theirs.next_id() || theirs_ids.contains(&id);
    let ours_ids: HashSet<StoryId> = ours.stories_by_id().iter().map(|s| s.id).collect();
    // A new story of ours we have since deleted, whose id the file took
    // for another: a split or a link that names it names ours, not the
    // file's, so it moves past too (undo may bring it back).
    let mut gone: Vec<StoryId> = ours
        .stories_by_id()
        .iter()
        .flat_map(|o| {
            o.split_from
                .iter()
                .chain(&o.split_into)
                .chain(&o.blocked_by)
        })
        .copied()
        .filter(|&id| {
            id.0 >= base.next_id() && !ours_ids.contains(&id) && !base_by_id.contains_key(&id)
        })
        .filter(|&id| taken(id))
        .collect();
    gone.sort_unstable();
    gone.dedup();
    for id in gone {
        if let Some(after) = next_id.checked_add(1) {
            renumbered.push((id, StoryId(next_id)));
            next_id = after;
        }
    }
    for o in ours.stories_by_id() {
        if base_by_id.contains_key(&o.id) || !taken(o.id) {
            continue;
        }
        // With no id left to give it, it is kept with the conflicts
        // rather than lost or given a used id.
        if let Some(after) = next_id.checked_add(1) {
            renumbered.push((o.id, StoryId(next_id)));
            next_id = after;
        } else {
            conflicts.push(Story::clone(o));
            no_id_left.insert(o.id);
        }
    }
    let ours_stories: Vec<Arc<Story>> = ours
        .stories_by_id()
        .iter()
        .filter(|o| !no_id_left.contains(&o.id))
        .map(|o| {
            let mut story = Arc::clone(o);
            renumber_story(&mut story, &renumbered);
            story
        })
        .collect();
    let ours_by_id: HashMap<StoryId, &Arc<Story>> =
        ours_stories.iter().map(|s| (s.id, s)).collect();
    let (product, conflicting_product) = merge_renumbered_product(base, ours, theirs, &renumbered);

    let mut stories = Vec::with_capacity(theirs.len().max(ours.len()));
    let mut kept_deleted = Vec::new();
    // Every story the file has: keep, take ours, or drop (we deleted it).
    for t in theirs.stories_by_id() {
        match (base_by_id.get(&t.id), ours_by_id.get(&t.id)) {
            (Some(b), Some(o)) => {
                let (story, conflict) = pick_story(b, o, t);
                stories.push(story);
                conflicts.extend(conflict);
            }
            (Some(b), None) => {
                if same(b, t) {
                    // We deleted it and nobody else touched it.
                } else {
                    kept_deleted.push(t.id);
                    stories.push(Arc::clone(t));
                }
            }
            // Added by the other writer (ours of the same id moved past).
            (None, _) => stories.push(Arc::clone(t)),
        }
    }
    // Our stories the file lacks: new ones are added; ones the other
    // writer deleted are gone unless we changed them.
    for o in &ours_stories {
        match base_by_id.get(&o.id) {
            None => stories.push(Arc::clone(o)),
            Some(b) => {
                if !theirs_ids.contains(&o.id) && !same(b, o) {
                    conflicts.push(Story::clone(o));
                }
            }
        }
    }

    order_ties(&mut stories);
    let mut backlog = Backlog::from_parts(product, next_id, stories)
        .expect("merged ids are distinct: renumbering avoids every id the file has");
    files::keep_clashes(&mut backlog, base, ours, theirs);
    Merged {
        backlog,
        conflicts,
        kept_deleted,
        conflicting_product,
        renumbered,
    }
}

/// Stories the two sides put in one place (both added or moved a story
/// into the same gap, which gives the same key) go in an order that does
/// not depend on which side is ours: by what they say, not by id, as our
/// new stories are renumbered past the file's. Each after the first gets
/// a key between the shared one and the next key up, so the backlog built
/// from them keeps that order.
fn order_ties(stories: &mut [Arc<Story>]) {
    let mut by_rank: Vec<usize> = (0..stories.len()).collect();
    by_rank.sort_by(|&a, &b| stories[a].rank.cmp(&stories[b].rank));
    let mut start = 0;
    while start < by_rank.len() {
        let rank = stories[by_rank[start]].rank.clone();
        let end = start
            + by_rank[start..]
                .iter()
                .take_while(|&&i| stories[i].rank == rank)
                .count();
        if end - start > 1 {
            let tied = &mut by_rank[start..end];
            let said: Vec<(String, StoryId)> = tied
                .iter()
                .map(|&i| (content(&stories[i]), stories[i].id))
                .collect();
            let mut order: Vec<usize> = (0..tied.len()).collect();
            order.sort_by(|&a, &b| said[a].cmp(&said[b]));
            let sorted: Vec<usize> = order.iter().map(|&k| tied[k]).collect();
            let next = by_rank.get(end).map(|&i| stories[i].rank.clone());
            let keys = Rank::spread_between(Some(&rank), next.as_ref(), sorted.len() - 1)
                .expect("the next key up is past the shared one");
            for (&i, key) in sorted[1..].iter().zip(keys) {
                Arc::make_mut(&mut stories[i]).rank = key;
            }
        }
        start = end;
    }
}

/// What a story says, without what names it (its id, the ids of stories
/// split from it or into it, or blocking it) or places it: JSON, for a
/// total order.
fn content(story: &Story) -> String {
    let mut said = story.clone();
    said.id = StoryId(0);
    said.rank = Rank::first();
    said.split_from = None;
    said.split_into = Vec::new();
    said.blocked_by = Vec::new();
    serde_json::to_string(&said).expect("a story is JSON")
}

/// Each part of the product merges on its own; ours is handed back whole
/// when any part clashed.
/// [`merge_product`], our releases and sprints naming our `renumbered`
/// stories as they are now called.
fn merge_renumbered_product(
    base: &Backlog,
    ours: &Backlog,
    theirs: &Backlog,
    renumbered: &[(StoryId, StoryId)],
) -> (Product, Option<Product>) {
    if renumbered.is_empty() {
        return merge_product(&base.product, &ours.product, &theirs.product);
    }
    let mut our_product = ours.product.clone();
    renumber_plan(&mut our_product, renumbered);
    merge_product(&base.product, &our_product, &theirs.product)
}

fn merge_product(base: &Product, ours: &Product, theirs: &Product) -> (Product, Option<Product>) {
    let mut merged = theirs.clone();
    let mut clashed = false;
    for part in ProductPart::all() {
        clashed |= match part {
            ProductPart::Goals => {
                let (goals, clash) = merge_goals(&base.goals, &ours.goals, &theirs.goals);
                merged.goals = goals;
                clash
            }
            ProductPart::Epics => {
                let (epics, clash) = merge_epics(&base.epics, &ours.epics, &theirs.epics);
                merged.epics = epics;
                clash
            }
            ProductPart::Feedback => {
                let (items, next, clash) = merge_feedback(base, ours, theirs);
                merged.feedback = items;
                merged.next_feedback = next;
                clash
            }
            // As `pick`: the file's unless only ours changed it.
            part if ours.same_part(base, part) || ours.same_part(theirs, part) => false,
            part if theirs.same_part(base, part) => {
                merged.take_part(ours, part);
                false
            }
            _ => true,
        };
    }
    (merged, clashed.then(|| ours.clone()))
}

/// Feedback items merge one by one, by id, as stories do: one writer
/// triaging an item while another takes in new ones is no clash. Our new
/// items whose ids the other writer took move past every id either side
/// has used. Returns the items in id order, the id counter, and whether
/// one item was changed differently on both sides (the file's version
/// stays).
fn merge_feedback(
    base: &Product,
    ours: &Product,
    theirs: &Product,
) -> (Vec<Arc<Feedback>>, u64, bool) {
    let by_id = |items: &[Arc<Feedback>]| -> HashMap<FeedbackId, Arc<Feedback>> {
        items.iter().map(|f| (f.id, Arc::clone(f))).collect()
    };
    let (base_by_id, ours_by_id) = (by_id(&base.feedback), by_id(&ours.feedback));
    let theirs_ids: HashSet<FeedbackId> = theirs.feedback.iter().map(|f| f.id).collect();
    let mut next = theirs.next_feedback.max(ours.next_feedback);
    let mut clash = false;
    let mut items = Vec::with_capacity(theirs.feedback.len().max(ours.feedback.len()));
    for t in &theirs.feedback {
        match (base_by_id.get(&t.id), ours_by_id.get(&t.id)) {
            (Some(b), Some(o)) => {
                let (item, clashed) = pick(b, o, t);
                clash |= clashed.is_some();
                items.push(item);
            }
            // We removed it: gone, unless the other writer changed it.
            (Some(b), None) => {
                if b != t {
                    items.push(Arc::clone(t));
                }
            }
            (None, _) => items.push(Arc::clone(t)),
        }
    }
    for o in &ours.feedback {
        match base_by_id.get(&o.id) {
            None if theirs_ids.contains(&o.id) || o.id.0 < theirs.next_feedback => {
                let mut item = Feedback::clone(o);
                next = next.max(1);
                item.id = FeedbackId(next);
                next = next.saturating_add(1);
                items.push(Arc::new(item));
            }
            None => items.push(Arc::clone(o)),
            // The other writer removed it: gone, unless we changed it.
            Some(b) if !theirs_ids.contains(&o.id) && b != o => items.push(Arc::clone(o)),
            Some(_) => {}
        }
    }
    items.sort_by_key(|f| f.id);
    if let Some(highest) = items.last() {
        next = next.max(highest.id.0.saturating_add(1));
    }
    (items, next, clash)
}

/// Goals both sides only added to keep both sides' additions, each as
/// many times as that side wrote it; a goal both added is kept once (as
/// many times as both wrote it). The two sides' additions follow the
/// base's goals in an order that does not depend on which side is ours,
/// the lesser list first, so merging either way gives the same goals. Any
/// other pair of changes merges as one value. True when they clashed.
fn merge_goals(base: &[String], ours: &[String], theirs: &[String]) -> (Vec<String>, bool) {
    if ours.starts_with(base) && theirs.starts_with(base) {
        let (ours, theirs) = (&ours[base.len()..], &theirs[base.len()..]);
        let (first, second) = if theirs <= ours {
            (theirs, ours)
        } else {
            (ours, theirs)
        };
        let mut unmatched: Vec<&String> = first.iter().collect();
        let mut goals = base.to_vec();
        goals.extend_from_slice(first);
        for goal in second {
            match unmatched.iter().position(|added| *added == goal) {
                Some(at) => {
                    unmatched.swap_remove(at);
                }
                None => goals.push(goal.clone()),
            }
        }
        return (goals, false);
    }
    let (goals, clash) = pick(&base.to_vec(), &ours.to_vec(), &theirs.to_vec());
    (goals, clash.is_some())
}

/// Epics merge one by one, by name (in any case), as stories do by id:
/// one side adding an epic while the other recolours another is no clash.
/// True when one epic was changed differently on both sides (the file's
/// version stays).
///
/// Nothing depends on which side is ours, so merging either way gives
/// the same epics. The list keeps the order of the side that changed which
/// epics there are (so merging a side with the base gives that side); when
/// both did, the base's come first in the base's order, then each side's
/// new ones, the lesser list of names first. An epic both sides added is
/// spelled as the lesser of their spellings. Each side gave an epic it
/// added the first colour free there, so two added at once (one on each
/// side) may share one: the one whose name sorts later takes a colour
/// still free, if any.
fn merge_epics(base: &[Epic], ours: &[Epic], theirs: &[Epic]) -> (Vec<Epic>, bool) {
    let keys =
        |epics: &[Epic]| -> Vec<String> { epics.iter().map(|e| name_key(&e.name)).collect() };
    let (base_keys, ours_keys, theirs_keys) = (keys(base), keys(ours), keys(theirs));
    let added = |side: &[String], other: &[String]| -> Vec<String> {
        side.iter()
            .filter(|key| !base_keys.contains(key) && !other.contains(key))
            .cloned()
            .collect()
    };
    let (ours_added, theirs_added) = (added(&ours_keys, &[]), added(&theirs_keys, &[]));
    let mut order: Vec<String> = if ours_keys == base_keys {
        theirs_keys.clone()
    } else if theirs_keys == base_keys {
        ours_keys.clone()
    } else {
        let (first, second) = if theirs_added <= ours_added {
            (&theirs_added, &ours_added)
        } else {
            (&ours_added, &theirs_added)
        };
        base_keys
            .iter()
            .chain(first)
            .chain(second)
            .cloned()
            .collect()
    };
    // An epic one side deleted and the other changed is weighed too.
    for key in theirs_keys.iter().chain(&ours_keys).chain(&base_keys) {
        if !order.contains(key) {
            order.push(key.clone());
        }
    }
    let mut seen = HashSet::new();
    order.retain(|key| seen.insert(key.clone()));

    let find = |epics: &[Epic], key: &str| epics.iter().find(|e| name_key(&e.name) == key).cloned();
    let mut clashed = false;
    let mut epics = Vec::new();
    for key in &order {
        let (base, mut ours, mut theirs) = (find(base, key), find(ours, key), find(theirs, key));
        // Both sides added it: the same epic, whatever case each wrote it
        // in, so its spelling alone is no clash.
        if base.is_none()
            && let (Some(ours), Some(theirs)) = (&mut ours, &mut theirs)
        {
            let spelled = ours.name.clone().min(theirs.name.clone());
            ours.name.clone_from(&spelled);
            theirs.name = spelled;
        }
        let (epic, clash) = pick(&base, &ours, &theirs);
        clashed |= clash.is_some();
        epics.extend(epic);
    }
    let ours_alone = added(&ours_keys, &theirs_keys);
    let theirs_alone = added(&theirs_keys, &ours_keys);
    let mut new: Vec<(String, bool)> = ours_alone
        .into_iter()
        .map(|key| (key, true))
        .chain(theirs_alone.into_iter().map(|key| (key, false)))
        .collect();
    new.sort();
    for (at, (key, of_ours)) in new.iter().enumerate() {
        let color_of = |key: &str| {
            epics
                .iter()
                .find(|e| name_key(&e.name) == key)
                .map(|e| e.color)
        };
        let Some(color) = color_of(key) else {
            continue;
        };
        let shared = new[..at]
            .iter()
            .any(|(other, other_ours)| other_ours != of_ours && color_of(other) == Some(color));
        let free = EpicColor::ALL
            .into_iter()
            .find(|c| !epics.iter().any(|e| e.color == *c));
        if shared
            && let Some(free) = free
            && let Some(epic) = epics.iter_mut().find(|e| name_key(&e.name) == *key)
        {
            epic.color = free;
        }
    }
    (epics, clashed)
}
