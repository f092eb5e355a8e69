//! Three-way merge of two changed copies of one backlog.
//!
//! When the TUI finds the file changed under it, its own unsaved change
//! (`ours`, from `base`) is re-applied on top of the file (`theirs`) story by
//! story. A story only one side touched takes that side's version; a story
//! both sides changed differently is a conflict: the file's version wins and
//! ours is handed back so the caller can keep it somewhere safe.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::backlog::{Backlog, renumber_story};
use super::product::{Epic, EpicColor, Product, ProductPart, epic_named, same_name};
use super::story::{Story, StoryId};

/// What merging produced.
#[derive(Debug)]
pub struct Merged {
    pub backlog: Backlog,
    /// Our versions of stories both sides changed; the file's versions won.
    /// Also new stories of ours whose id the other writer took when no id
    /// was left to give them instead.
    pub conflicts: Vec<Story>,
    /// Stories we deleted that were changed elsewhere, so they were kept.
    pub kept_deleted: Vec<StoryId>,
    /// Our product (name, vision, goals, epics, settings), when both sides
    /// changed one of its parts differently; the file's parts won.
    pub conflicting_product: Option<Product>,
    /// New stories of ours whose ids the other writer had already taken.
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
    let (product, conflicting_product) =
        merge_product(&base.product, &ours.product, &theirs.product);

    let base_by_id: HashMap<StoryId, &Arc<Story>> =
        base.stories_by_id().iter().map(|s| (s.id, s)).collect();
    let ours_by_id: HashMap<StoryId, &Arc<Story>> =
        ours.stories_by_id().iter().map(|s| (s.id, s)).collect();

    let mut stories = Vec::with_capacity(theirs.len().max(ours.len()));
    // Positions in `stories` of our versions, whose references to our
    // renumbered new stories must follow them.
    let mut ours_at = Vec::new();
    let mut conflicts = Vec::new();
    let mut kept_deleted = Vec::new();

    // Every story the file has: keep, take ours, or drop (we deleted it).
    for t in theirs.stories_by_id() {
        match (base_by_id.get(&t.id), ours_by_id.get(&t.id)) {
            (Some(b), Some(o)) => {
                let (story, conflict) = pick_story(b, o, t);
                if !Arc::ptr_eq(&story, t) {
                    ours_at.push(stories.len());
                }
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
            // Added by the other writer, or an id both sides created: the
            // latter is renumbered below, so the file's story stays as is.
            (None, _) => stories.push(Arc::clone(t)),
        }
    }

    let theirs_ids: HashSet<StoryId> = theirs.stories_by_id().iter().map(|s| s.id).collect();
    // Our stories the file lacks: new ones are added; ones the other
    // writer deleted are gone unless we changed them.
    let mut next_id = theirs.next_id().max(ours.next_id());
    let mut renumbered = Vec::new();
    for o in ours.stories_by_id() {
        match base_by_id.get(&o.id) {
            None => {
                let mut story = Arc::clone(o);
                if o.id.0 < theirs.next_id() || theirs_ids.contains(&o.id) {
                    // With no id left to give it, it is kept with the
                    // conflicts rather than lost or given a used id.
                    let Some(after) = next_id.checked_add(1) else {
                        conflicts.push(Story::clone(o));
                        continue;
                    };
                    let new_id = StoryId(next_id);
                    next_id = after;
                    renumbered.push((o.id, new_id));
                    Arc::make_mut(&mut story).id = new_id;
                }
                ours_at.push(stories.len());
                stories.push(story);
            }
            Some(b) => {
                if !theirs_ids.contains(&o.id) && !same(b, o) {
                    conflicts.push(Story::clone(o));
                }
            }
        }
    }

    if !renumbered.is_empty() {
        for at in ours_at {
            // The ids themselves are already new; this updates the splits
            // they refer to.
            let id = stories[at].id;
            renumber_story(&mut stories[at], &renumbered);
            Arc::make_mut(&mut stories[at]).id = id;
        }
    }
    let backlog = Backlog::from_parts(product, next_id, stories)
        .expect("merged ids are distinct: renumbering avoids every id the file has");
    Merged {
        backlog,
        conflicts,
        kept_deleted,
        conflicting_product,
        renumbered,
    }
}

/// Each part of the product merges on its own; ours is handed back whole
/// when any part clashed.
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

/// Goals both sides only added to keep both sides' additions; any other
/// pair of changes merges as one value. True when they clashed.
fn merge_goals(base: &[String], ours: &[String], theirs: &[String]) -> (Vec<String>, bool) {
    if ours.starts_with(base) && theirs.starts_with(base) {
        let mut goals = theirs.to_vec();
        for goal in &ours[base.len()..] {
            if !goals.contains(goal) {
                goals.push(goal.clone());
            }
        }
        return (goals, false);
    }
    let (goals, clash) = pick(&base.to_vec(), &ours.to_vec(), &theirs.to_vec());
    (goals, clash.is_some())
}

/// Epics merge one by one, by name (in any case), as stories do by id:
/// one side adding an epic while the other recolours another is no clash.
/// The file's order is kept, with our new epics after it. True when one
/// epic was changed differently on both sides (the file's version stays).
fn merge_epics(base: &[Epic], ours: &[Epic], theirs: &[Epic]) -> (Vec<Epic>, bool) {
    let find = |epics: &[Epic], name: &str| epic_named(epics, name).cloned();
    let mut names: Vec<&str> = theirs.iter().map(|e| e.name.as_str()).collect();
    for epic in ours.iter().chain(base) {
        if !names.iter().any(|name| same_name(name, &epic.name)) {
            names.push(&epic.name);
        }
    }
    let mut clashed = false;
    let mut epics = Vec::new();
    for name in names {
        let (base, theirs) = (find(base, name), find(theirs, name));
        let mut ours = find(ours, name);
        // Both sides added it: the same epic, whatever case each wrote it
        // in, so its spelling alone is no clash. The file's spelling stays.
        if base.is_none()
            && let (Some(ours), Some(theirs)) = (&mut ours, &theirs)
        {
            ours.name.clone_from(&theirs.name);
        }
        let (epic, clash) = pick(&base, &ours, &theirs);
        clashed |= clash.is_some();
        epics.extend(epic);
    }
    // Each side gave an epic it added the first colour free there, so two
    // added at once share one: ours takes a colour still free, if any.
    for at in 0..epics.len() {
        let name = &epics[at].name;
        let ours_alone = epic_named(base, name).is_none() && epic_named(theirs, name).is_none();
        let color = epics[at].color;
        let shared = epics
            .iter()
            .enumerate()
            .any(|(other, e)| other != at && e.color == color);
        let free = EpicColor::ALL
            .into_iter()
            .find(|c| !epics.iter().any(|e| e.color == *c));
        if ours_alone
            && shared
            && let Some(free) = free
        {
            epics[at].color = free;
        }
    }
    (epics, clashed)
}
