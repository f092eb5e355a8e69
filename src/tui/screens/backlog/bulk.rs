//! What acts on the marked stories together: moving them, estimating
//! them, setting their status or epic, deleting them. Each is one change,
//! which one undo takes back, as Jira's bulk change is one operation; the
//! marks stay (but on deleted stories), so the next key acts on the same
//! stories.

use std::fmt::Write as _;

use crate::model::{Destination, Move, Stamp, Status, StoryId, StoryPatch, ready};
use crate::text::one_line;
use crate::tui::ctx::Ctx;
use crate::tui::cycle;
use crate::tui::screens::confirm::{Confirm, Question};
use crate::words;

/// "4 stories", for the status bar and the undo step's name.
fn stories(count: usize) -> String {
    words::count(count, "story", "stories")
}

/// Move the marked stories together, in their order: up past the story
/// shown above the first of them, down past the one below the last, to
/// the top or the bottom (of the stories shown, with a filter on).
/// Stories marked apart come together.
pub(super) fn move_marked(to: Move, ctx: &mut Ctx) {
    let table = ctx.table();
    let marked = table.marked();
    let (Some(&(first, _)), Some(&(last, _))) = (marked.first(), marked.last()) else {
        return;
    };
    let rows = &table.table.rows;
    let backlog = table.backlog;
    let row_of = |position: usize| rows.row_of(position).unwrap_or_default();
    let id_at = |row: usize| {
        rows.position(row, backlog)
            .and_then(|p| backlog.at(p))
            .map(|s| s.id)
    };
    let marks = &table.table.marks;
    let filtered = table.table.filter.is_active();
    let count = table.table.row_count(backlog);
    // The first (or last) story shown that is not marked.
    let first_unmarked = || (0..count).filter_map(id_at).find(|id| !marks.contains(*id));
    let last_unmarked = || {
        (0..count)
            .rev()
            .filter_map(id_at)
            .find(|id| !marks.contains(*id))
    };
    let top = || {
        if filtered {
            first_unmarked().map(Destination::Before)
        } else {
            Some(Destination::Top)
        }
    };
    let bottom = || {
        if filtered {
            last_unmarked().map(Destination::After)
        } else {
            Some(Destination::Bottom)
        }
    };
    let destination = match to {
        Move::Up => row_of(first)
            .checked_sub(1)
            .and_then(id_at)
            .map(Destination::Before)
            .or_else(top),
        Move::Down => id_at(row_of(last) + 1)
            .map(Destination::After)
            .or_else(bottom),
        Move::Top => top(),
        Move::Bottom => bottom(),
        Move::Before(_) | Move::After(_) | Move::To(_) => None,
    };
    let Some(destination) = destination else {
        return;
    };
    let selected = table.selected_story().map(|s| s.id);
    let (from, ids): (Vec<usize>, Vec<StoryId>) = marked.into_iter().unzip();
    let whither = match to {
        Move::Up => "up",
        Move::Down => "down",
        Move::Top => "to the top",
        _ => "to the bottom",
    };
    let what = format!("move {} {whither}", stories(ids.len()));
    let Some(block) = ctx.change(what, |b| b.move_stories(&ids, destination)) else {
        return;
    };
    ctx.table().moved_together(&from, block.start, selected);
    // Only a move that changed the order says so: at the top already,
    // nothing happened.
    if from.iter().zip(block).any(|(was, now)| *was != now) {
        ctx.notify(format!("Moved {} {whither}", stories(ids.len())));
    }
}

/// Step each marked story's estimate one step up (or down) the scale;
/// those at the end of it stay.
pub(super) fn estimate_marked(up: bool, ctx: &mut Ctx) {
    let marked = ctx.table().marked();
    let backlog = ctx.backlog();
    let scale = backlog.product.settings.scale;
    let edits: Vec<(StoryId, StoryPatch)> = marked
        .iter()
        .filter_map(|&(_, id)| {
            let was = backlog.get(id)?.points;
            let points = if up {
                Some(scale.step_up(was))
            } else {
                scale.step_down(was)
            };
            (points != was).then(|| {
                let patch = StoryPatch {
                    points: Some(points),
                    ..StoryPatch::default()
                };
                (id, patch)
            })
        })
        .collect();
    let way = if up { "up" } else { "down" };
    if edits.is_empty() {
        ctx.notify(format!(
            "No marked story has a step {way} the {} scale to take",
            scale.as_str()
        ));
        return;
    }
    let what = format!("estimate of {}", stories(edits.len()));
    if edit_all(what, &edits, ctx) {
        let left = marked.len() - edits.len();
        let mut said = format!("{} estimated one step {way}", stories(edits.len()));
        if left > 0 {
            let _ = write!(said, "; {left} at the end of the scale stayed");
        }
        ctx.notify(said);
    }
}

/// Set each marked story to the status after (or before) its own.
pub(super) fn step_marked_status(forward: bool, ctx: &mut Ctx) {
    let marked = ctx.table().marked();
    let backlog = ctx.backlog();
    let changes = marked
        .iter()
        .filter_map(|&(_, id)| Some((id, cycle(&Status::ALL, &backlog.get(id)?.status, forward))))
        .collect();
    set_statuses(changes, ctx);
}

/// Set each story to its status. One becoming ready that fails the
/// Definition of Ready asks first (the override is recorded on it);
/// stories already so are left as they are.
pub fn set_statuses(changes: Vec<(StoryId, Status)>, ctx: &mut Ctx) {
    let backlog = ctx.backlog();
    let changes: Vec<(StoryId, Status)> = changes
        .into_iter()
        .filter(|(id, status)| backlog.get(*id).is_some_and(|s| s.status != *status))
        .collect();
    if changes.is_empty() {
        ctx.notify("No status to change: each is so already");
        return;
    }
    let rules = &backlog.product.settings.ready;
    let not_ready: Vec<(StoryId, Vec<String>)> = changes
        .iter()
        .filter(|(_, status)| *status == Status::Ready)
        .filter_map(|&(id, _)| {
            let missing = ready::reasons(backlog.get(id)?, rules);
            (!missing.is_empty()).then_some((id, missing))
        })
        .collect();
    match (changes.as_slice(), not_ready.is_empty()) {
        // One story asks as it always has.
        ([(id, _)], false) => {
            let (id, missing) = (*id, not_ready.into_iter().next().map(|(_, m)| m));
            ctx.open(Confirm::new(Question::ReadyAnyway {
                id,
                missing: missing.unwrap_or_default(),
            }));
        }
        ([(id, status)], true) => {
            let patch = StoryPatch {
                status: Some(*status),
                ..StoryPatch::default()
            };
            if ctx.edit_story(*id, &patch) {
                ctx.notify(format!("{id} is {status}"));
            }
        }
        (_, false) => ctx.open(Confirm::new(Question::StatusesAnyway {
            changes,
            not_ready,
        })),
        (_, true) => apply_statuses(&changes, &[], ctx),
    }
}

/// Set each story to its status as one change; those `overridden` are
/// set ready although they fail the Definition of Ready, and the
/// override is recorded on each.
pub fn apply_statuses(changes: &[(StoryId, Status)], overridden: &[StoryId], ctx: &mut Ctx) {
    let stamp = Stamp {
        at: ctx.now(),
        by: ctx.author().to_string(),
    };
    let edits: Vec<(StoryId, StoryPatch)> = changes
        .iter()
        .map(|&(id, status)| {
            let patch = StoryPatch {
                status: Some(status),
                override_ready: overridden.contains(&id).then(|| stamp.clone()),
                ..StoryPatch::default()
            };
            (id, patch)
        })
        .collect();
    let what = format!("status of {}", stories(edits.len()));
    if !edit_all(what, &edits, ctx) {
        return;
    }
    let first = changes[0].1;
    let mut said = if changes.iter().all(|(_, status)| *status == first) {
        format!("{} are {first}", stories(changes.len()))
    } else {
        format!("{} have a new status", stories(changes.len()))
    };
    if !overridden.is_empty() {
        let _ = write!(said, " ({} set ready anyway, recorded)", overridden.len());
    }
    ctx.notify(said);
}

/// Put each marked story in epic `epic` (`None`: in no epic), as one
/// change; false when there is nothing to do or it was refused.
pub fn set_marked_epic(epic: Option<&str>, ctx: &mut Ctx) -> bool {
    let marked = ctx.table().marked();
    let backlog = ctx.backlog();
    let edits: Vec<(StoryId, StoryPatch)> = marked
        .iter()
        .filter(|&&(_, id)| backlog.get(id).is_some_and(|s| s.epic.as_deref() != epic))
        .map(|&(_, id)| {
            let patch = StoryPatch {
                epic: Some(epic.map(str::to_string)),
                ..StoryPatch::default()
            };
            (id, patch)
        })
        .collect();
    let name = epic.map(one_line);
    if edits.is_empty() {
        ctx.notify(match &name {
            Some(name) => format!("Every marked story is in {name} already"),
            None => "No marked story is in an epic".to_string(),
        });
        return false;
    }
    let what = format!("epic of {}", stories(edits.len()));
    if !edit_all(what, &edits, ctx) {
        return false;
    }
    ctx.notify(match &name {
        Some(name) => format!("{} now in {name}", stories(edits.len())),
        None => format!("{} taken out of their epics", stories(edits.len())),
    });
    true
}

/// Delete the stories `ids` as one change.
pub fn delete_all(ids: &[StoryId], ctx: &mut Ctx) {
    let mut gone: Vec<(usize, StoryId)> = ids
        .iter()
        .filter_map(|&id| Some((ctx.backlog().position(id).ok()?, id)))
        .collect();
    gone.sort_unstable();
    let what = format!("delete {}", stories(gone.len()));
    let present: Vec<StoryId> = gone.iter().map(|(_, id)| *id).collect();
    if ctx.change(what, |b| b.remove_stories(&present)).is_none() {
        return;
    }
    ctx.table().removed_all(&gone);
    ctx.notify(format!("Deleted {}", stories(gone.len())));
}

/// Make `edits` as one change called `what`, keeping the table's rows
/// right; false when refused (the status bar says why).
fn edit_all(what: String, edits: &[(StoryId, StoryPatch)], ctx: &mut Ctx) -> bool {
    let now = ctx.now();
    if ctx.change(what, |b| b.edit_stories(edits, now)).is_none() {
        return false;
    }
    let mut table = ctx.table();
    for (id, _) in edits {
        table.story_changed(*id);
    }
    true
}
