use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::model::{
    Comment, Criterion, Epic, EpicColor, EpicStories, FeedbackId, Move, Placement, Points, Stamp,
    Status, StoryPatch, merge,
};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap()
}

fn minutes(n: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(n)
}

fn backlog_of(n: usize) -> Backlog {
    let mut backlog = Backlog::new("Test");
    for i in 1..=n {
        let patch = StoryPatch {
            title: Some(format!("Story {i}")),
            add_criteria: vec![format!("first {i}"), format!("second {i}")],
            ..StoryPatch::default()
        };
        backlog.add(&patch, Placement::Bottom, t0()).unwrap();
    }
    backlog
}

fn ids(backlog: &Backlog) -> Vec<u64> {
    backlog.ranked().map(|s| s.id.0).collect()
}

/// Equal in everything but the next id, which undo never lowers.
fn same_but_next_id(now: &Backlog, then: &Backlog) -> bool {
    // Feedback ids, as story ids, are never handed out again.
    let mut product = then.product.clone();
    product.next_feedback = now.product.next_feedback;
    let then_raised =
        Backlog::from_parts(product, now.next_id(), then.stories_by_id().to_vec()).unwrap();
    *now == then_raised && ids(now) == ids(then)
}

/// Do `change` to `backlog`, recording it with snapshots of `touched`.
fn track<T>(
    history: &mut History,
    backlog: &mut Backlog,
    label: &str,
    touched: (&[StoryId], bool),
    change: impl FnOnce(&mut Backlog) -> T,
) -> T {
    let before = Snapshot::take(backlog, touched.0, touched.1);
    let out = change(backlog);
    history.record(label, t0(), before, backlog);
    out
}

#[test]
fn undo_and_redo_a_move() {
    let mut b = backlog_of(3);
    let start = b.clone();
    let mut h = History::default();
    track(&mut h, &mut b, "move S-3", (&[StoryId(3)], false), |b| {
        b.move_story(StoryId(3), Move::Top).unwrap()
    });
    let moved = b.clone();
    assert!(h.can_undo());
    assert!(!h.can_redo());
    assert_eq!(h.next_undo().unwrap().label, "move S-3");

    let undone = h.undo(&mut b).unwrap();
    assert_eq!(
        undone,
        Undone {
            label: "move S-3".into(),
            focus: Some(StoryId(3))
        }
    );
    assert_eq!(b, start);
    assert_eq!(ids(&b), [1, 2, 3]);
    assert!(!h.can_undo());
    assert_eq!(h.next_redo().unwrap().label, "move S-3");

    assert_eq!(h.redo(&mut b).unwrap().focus, Some(StoryId(3)));
    assert_eq!(b, moved);
    assert_eq!(h.redo(&mut b), Err(HistoryError::Nothing(Step::Redo)));
    h.undo(&mut b).unwrap();
    assert_eq!(h.undo(&mut b), Err(HistoryError::Nothing(Step::Undo)));
    assert_eq!(b, start);
}

/// Three stories rotated until a move must respread its neighbours: the
/// backlog then, and the move that respreads.
fn about_to_respread() -> (Backlog, usize, Move) {
    let mut b = backlog_of(3);
    for step in 0_u32.. {
        let (position, to) = if step.is_multiple_of(2) {
            (0, Move::To(2))
        } else {
            (2, Move::To(2))
        };
        if b.rekeyed_by_move(position, to).len() > 1 {
            return (b, position, to);
        }
        b.move_at(position, to).unwrap();
    }
    unreachable!("rotations come to a respread")
}

#[test]
fn undoing_a_move_that_respread_its_neighbours_puts_every_key_back() {
    let (mut b, position, to) = about_to_respread();
    let start = b.clone();
    let mut h = History::default();
    let rekeyed = b.rekeyed_by_move(position, to);
    track(&mut h, &mut b, "move", (&rekeyed, false), |b| {
        b.move_at(position, to).unwrap()
    });
    let moved = b.clone();
    let changed = start
        .stories_by_id()
        .iter()
        .zip(moved.stories_by_id())
        .filter(|(was, now)| was.rank != now.rank)
        .count();
    assert!(changed > 1, "the move respread its neighbours");
    assert_eq!(
        h.next_undo().unwrap().before.stories.len(),
        changed,
        "one step"
    );
    h.undo(&mut b).unwrap();
    assert_eq!(b, start, "every key as it was");
    h.redo(&mut b).unwrap();
    assert_eq!(b, moved);
}

#[test]
fn undoing_a_step_that_passed_a_key_from_one_story_to_another_puts_both_back() {
    // One step gave S-1 the key S-2 had, and S-2 a key past S-3 (a bulk
    // move or a respread can). Undo puts S-2 back first here: one story
    // at a time, it found its key still taken by S-1 and was moved off it.
    let mut b = backlog_of(3);
    let start = b.clone();
    let (one, two) = (
        b.get_arc(StoryId(1)).unwrap().clone(),
        b.get_arc(StoryId(2)).unwrap().clone(),
    );
    let mut h = History::default();
    let before = Snapshot::take(&b, &[StoryId(2), StoryId(1)], false);
    let mut moved_two = Story::clone(&two);
    moved_two.rank = crate::rank::Rank::after(&b.get(StoryId(3)).unwrap().rank);
    let mut moved_one = Story::clone(&one);
    moved_one.rank = two.rank.clone();
    b.put_all([Arc::new(moved_two), Arc::new(moved_one)]);
    assert_eq!(ids(&b), [1, 3, 2]);
    h.record("move", t0(), before, &b);
    let moved = b.clone();
    h.undo(&mut b).unwrap();
    assert_eq!(b, start);
    h.redo(&mut b).unwrap();
    assert_eq!(b, moved);
}

#[test]
fn an_action_that_changed_nothing_is_not_recorded() {
    let mut b = backlog_of(2);
    let mut h = History::default();
    track(&mut h, &mut b, "move S-1", (&[StoryId(1)], false), |b| {
        b.move_story(StoryId(1), Move::Bottom).unwrap()
    });
    h.undo(&mut b).unwrap();
    // Already at the top, and a refused edit: neither is an action, and
    // neither takes away the redo.
    let before = Snapshot::take(&b, &[StoryId(1)], true);
    b.move_story(StoryId(1), Move::Up).unwrap();
    assert!(!h.record("move S-1", t0(), before, &b));
    let before = Snapshot::take(&b, &[StoryId(2)], false);
    assert!(b.edit(StoryId(2), &StoryPatch::title(""), t0()).is_err());
    assert!(!h.record("edit S-2", t0(), before, &b));
    assert_eq!(h.undo_len(), 0);
    assert!(h.can_redo());
}

#[test]
fn only_what_changed_is_kept() {
    let mut b = backlog_of(3);
    let mut h = History::default();
    let all = [StoryId(1), StoryId(2), StoryId(3), StoryId(2)];
    track(&mut h, &mut b, "edit S-2", (&all, true), |b| {
        b.edit(StoryId(2), &StoryPatch::title("Two"), minutes(1))
            .unwrap();
    });
    let entry = h.next_undo().unwrap();
    assert_eq!(entry.before.product, None);
    assert_eq!(entry.after.product, None);
    let kept: Vec<StoryId> = entry.after.stories.iter().map(|(id, _)| *id).collect();
    assert_eq!(kept, [StoryId(2)]);
    assert_eq!(entry.before.stories[0].1.as_ref().unwrap().title, "Story 2");
    // So a story it did not change may change elsewhere meanwhile.
    b.edit(StoryId(1), &StoryPatch::title("Elsewhere"), minutes(2))
        .unwrap();
    h.undo(&mut b).unwrap();
    assert_eq!(b.get(StoryId(2)).unwrap().title, "Story 2");
    assert_eq!(b.get(StoryId(1)).unwrap().title, "Elsewhere");
}

#[test]
fn the_oldest_actions_go_beyond_the_limit() {
    let mut b = backlog_of(4);
    let mut h = History::new(3);
    for i in 1..=5u64 {
        let id = StoryId(i % 4 + 1);
        track(&mut h, &mut b, &format!("move {i}"), (&[id], false), |b| {
            b.move_story(id, Move::Top).unwrap()
        });
    }
    assert_eq!(h.undo_len(), 3);
    let labels: Vec<&str> = h.undoable().map(|e| e.label.as_str()).collect();
    assert_eq!(labels, ["move 5", "move 4", "move 3"]);
    for _ in 0..3 {
        h.undo(&mut b).unwrap();
    }
    assert_eq!(h.undo(&mut b), Err(HistoryError::Nothing(Step::Undo)));
    h.set_limit(1);
    assert_eq!(h.undo_len(), 0);
    assert_eq!(h.next_redo().unwrap().label, "move 3");
    h.redo(&mut b).unwrap();
    assert!(!h.can_redo());

    let mut none = History::new(0);
    track(&mut none, &mut b, "move", (&[StoryId(1)], false), |b| {
        b.move_story(StoryId(1), Move::Bottom).unwrap()
    });
    assert!(!none.can_undo());
}

#[test]
fn a_new_action_clears_the_redo() {
    let mut b = backlog_of(3);
    let mut h = History::default();
    track(&mut h, &mut b, "move S-3", (&[StoryId(3)], false), |b| {
        b.move_story(StoryId(3), Move::Top).unwrap()
    });
    h.undo(&mut b).unwrap();
    assert!(h.can_redo());
    track(&mut h, &mut b, "move S-2", (&[StoryId(2)], false), |b| {
        b.move_story(StoryId(2), Move::Top).unwrap()
    });
    assert!(!h.can_redo());
    assert_eq!(h.redo(&mut b), Err(HistoryError::Nothing(Step::Redo)));
    assert_eq!(ids(&b), [2, 1, 3]);
}

#[test]
fn a_story_changed_elsewhere_is_not_undone_and_its_action_is_dropped() {
    let mut b = backlog_of(3);
    let mut h = History::default();
    track(&mut h, &mut b, "move S-2", (&[StoryId(2)], false), |b| {
        b.move_story(StoryId(2), Move::Top).unwrap()
    });
    track(&mut h, &mut b, "edit S-3", (&[StoryId(3)], false), |b| {
        b.edit(StoryId(3), &StoryPatch::title("Mine"), minutes(1))
            .unwrap();
    });
    // Another program edits S-3; the TUI merges it in.
    b.edit(StoryId(3), &StoryPatch::title("Theirs"), minutes(2))
        .unwrap();
    let merged = b.clone();
    let error = h.undo(&mut b).unwrap_err();
    assert_eq!(
        error,
        HistoryError::ChangedSince {
            step: Step::Undo,
            label: "edit S-3".into(),
            id: Some(StoryId(3)),
        }
    );
    assert_eq!(
        error.to_string(),
        "can't undo \"edit S-3\": S-3 changed since in another program"
    );
    assert_eq!(b, merged);
    assert!(!h.can_redo(), "a refused action is not redoable either");
    // The next undo goes on to the move.
    assert_eq!(h.undo(&mut b).unwrap().label, "move S-2");
    assert_eq!(ids(&b), [1, 2, 3]);
    assert_eq!(b.get(StoryId(3)).unwrap().title, "Theirs");
}

#[test]
fn a_redo_is_refused_when_the_story_changed_since_it_was_undone() {
    let mut b = backlog_of(2);
    let mut h = History::default();
    track(&mut h, &mut b, "delete S-1", (&[StoryId(1)], false), |b| {
        b.remove(StoryId(1)).unwrap()
    });
    h.undo(&mut b).unwrap();
    b.edit(StoryId(1), &StoryPatch::title("Theirs"), minutes(1))
        .unwrap();
    let merged = b.clone();
    let error = h.redo(&mut b).unwrap_err();
    assert_eq!(
        error.to_string(),
        "can't redo \"delete S-1\": S-1 changed since in another program"
    );
    assert_eq!(b, merged);
    assert!(!h.can_redo() && !h.can_undo());
}

#[test]
fn a_product_part_changed_elsewhere_is_not_undone_but_other_parts_are_no_bar() {
    let mut b = backlog_of(1);
    let mut h = History::default();
    let epic = Epic {
        name: "Checkout".into(),
        color: EpicColor::Blue,
        goal: String::new(),
        target_release: None,
    };
    track(&mut h, &mut b, "add epic Checkout", (&[], true), |b| {
        b.add_epic(epic).unwrap();
    });
    track(&mut h, &mut b, "edit the vision", (&[], true), |b| {
        b.product.vision = "Ours".into();
    });
    // Elsewhere: the settings change, and the epic gets a goal.
    b.product.settings.ready.max_points = Points::new(8.0).unwrap();
    let mut changed = b.product.epic("Checkout").unwrap().clone();
    changed.goal = "Theirs".into();
    b.update_epic("Checkout", changed, t0()).unwrap();

    // The vision is undone; the settings changed elsewhere stay.
    h.undo(&mut b).unwrap();
    assert_eq!(b.product.vision, "");
    assert_eq!(
        b.product.settings.ready.max_points,
        Points::new(8.0).unwrap()
    );

    // Adding the epic is not undone over the goal given elsewhere.
    let merged = b.clone();
    let error = h.undo(&mut b).unwrap_err();
    assert_eq!(
        error,
        HistoryError::ChangedSince {
            step: Step::Undo,
            label: "add epic Checkout".into(),
            id: None,
        }
    );
    assert!(
        error
            .to_string()
            .contains("the product or its epics changed")
    );
    assert_eq!(b, merged);
    assert_eq!(
        HistoryError::Nothing(Step::Undo).to_string(),
        "nothing to undo"
    );
}

#[test]
fn undoing_an_add_keeps_the_next_id_and_selects_the_story_it_followed() {
    let mut b = backlog_of(3);
    let mut h = History::default();
    let new = StoryId(b.next_id());
    track(&mut h, &mut b, "add", (&[new], false), |b| {
        b.add(
            &StoryPatch::title("New"),
            Placement::After(StoryId(1)),
            t0(),
        )
        .unwrap()
    });
    assert_eq!(ids(&b), [1, 4, 2, 3]);
    let undone = h.undo(&mut b).unwrap();
    assert_eq!(undone.focus, Some(StoryId(1)));
    assert_eq!(ids(&b), [1, 2, 3]);
    assert_eq!(b.next_id(), 5, "S-4 is not given out again");
    assert_eq!(h.redo(&mut b).unwrap().focus, Some(new));
    assert_eq!(ids(&b), [1, 4, 2, 3]);

    // Added at the top, there is nothing before it: the one after it.
    let top = StoryId(b.next_id());
    track(&mut h, &mut b, "add", (&[top], false), |b| {
        b.add(&StoryPatch::title("Top"), Placement::Top, t0())
            .unwrap()
    });
    assert_eq!(h.undo(&mut b).unwrap().focus, Some(StoryId(1)));
    let next = b
        .add(&StoryPatch::title("Next"), Placement::Bottom, t0())
        .unwrap();
    assert_eq!(next, StoryId(6));
}

#[test]
fn undoing_a_split_restores_both_stories() {
    let mut b = backlog_of(2);
    let start = b.clone();
    let mut h = History::default();
    let new = StoryId(b.next_id());
    track(
        &mut h,
        &mut b,
        "split S-1 into S-3",
        (&[StoryId(1), new], false),
        |b| b.split(StoryId(1), "Half", &[1], minutes(1)).unwrap(),
    );
    let split = b.clone();
    assert_eq!(h.undo(&mut b).unwrap().focus, Some(StoryId(1)));
    assert!(same_but_next_id(&b, &start));
    assert_eq!(h.redo(&mut b).unwrap().focus, Some(StoryId(1)));
    assert_eq!(b, split);
}

#[test]
fn undoing_a_delete_restores_the_story_in_its_place() {
    let mut b = backlog_of(3);
    let start = b.clone();
    let mut h = History::default();
    track(&mut h, &mut b, "delete S-2", (&[StoryId(2)], false), |b| {
        b.remove(StoryId(2)).unwrap()
    });
    assert_eq!(h.undo(&mut b).unwrap().focus, Some(StoryId(2)));
    assert_eq!(b, start);
    assert_eq!(h.redo(&mut b).unwrap().focus, Some(StoryId(1)));
    assert_eq!(ids(&b), [1, 3]);
}

#[test]
fn the_history_survives_serialising_and_checks_by_value() {
    let mut b = backlog_of(3);
    let mut h = History::default();
    let new = StoryId(b.next_id());
    track(&mut h, &mut b, "add S-4", (&[new], true), |b| {
        let patch = StoryPatch {
            title: Some("New".into()),
            epic: Some(Some("Checkout".into())),
            new_epic: true,
            ..StoryPatch::default()
        };
        b.add(&patch, Placement::Top, t0()).unwrap()
    });
    track(&mut h, &mut b, "move S-1", (&[StoryId(1)], false), |b| {
        b.move_story(StoryId(1), Move::Bottom).unwrap()
    });
    h.undo(&mut b).unwrap();
    let text = serde_json::to_string_pretty(&h).unwrap();
    assert!(text.contains("\"story\": null"), "{text}");
    let mut loaded: History = serde_json::from_str(&text).unwrap();
    assert_eq!(loaded, h);
    assert_eq!(loaded.limit(), HISTORY_LIMIT);
    // Nothing is shared with the backlog any more: checks compare values.
    let mut other = b.clone();
    h.redo(&mut b).unwrap();
    loaded.redo(&mut other).unwrap();
    assert_eq!(other, b);
    loaded.undo(&mut other).unwrap();
    loaded.undo(&mut other).unwrap();
    assert!(other.get(new).is_none());
    assert!(other.product.epics.is_empty());

    let misfiled = text.replacen("\"id\": \"S-1\",\n", "\"id\": \"S-9\",\n", 1);
    let error = serde_json::from_str::<History>(&misfiled).unwrap_err();
    assert!(error.to_string().contains("is filed under S-9"), "{error}");
}

#[test]
fn renumbered_stories_can_still_be_undone() {
    let base = backlog_of(3);
    let mut ours = base.clone();
    let mut h = History::default();
    let new = StoryId(ours.next_id());
    track(&mut h, &mut ours, "add S-4", (&[new], false), |b| {
        b.add(&StoryPatch::title("Ours"), Placement::Top, t0())
            .unwrap()
    });
    let mut theirs = base.clone();
    theirs
        .add(&StoryPatch::title("Theirs"), Placement::Bottom, t0())
        .unwrap();
    let merged = merge(&base, &ours, &theirs);
    assert_eq!(merged.renumbered, [(StoryId(4), StoryId(5))]);
    let mut b = merged.backlog;
    h.renumber(&merged.renumbered);
    h.undo(&mut b).unwrap();
    assert_eq!(ids(&b), [1, 2, 3, 4]);
    assert_eq!(b.get(StoryId(4)).unwrap().title, "Theirs");
    h.redo(&mut b).unwrap();
    assert_eq!(ids(&b), [5, 1, 2, 3, 4]);
}

// --- Any mix of actions, undone to the start and redone to the end ---

#[derive(Clone, Debug)]
enum Op {
    Edit(usize, Box<StoryPatch>),
    Move(usize, u8, usize),
    Delete(usize),
    Add(u8, usize, Option<usize>),
    Split(usize, Vec<usize>),
    Comment(usize, bool),
    Resolve(usize, usize, bool),
    AddEpic(usize),
    RenameEpic(usize, usize),
    RemoveEpic(usize, u8, usize),
    AddFeedback(u8),
    LinkFeedback(usize, usize),
    ConvertFeedback(usize),
    DismissFeedback(usize),
    ReopenFeedback(usize),
}

const EPICS: [&str; 5] = ["Checkout", "Search", "Onboarding", "Billing", "Reports"];

fn epic_name() -> impl Strategy<Value = String> {
    (0..EPICS.len()).prop_map(|i| EPICS[i].to_string())
}

fn label() -> impl Strategy<Value = String> {
    prop_oneof![Just("ux"), Just("api"), Just("bug"), Just(" ")].prop_map(str::to_string)
}

fn status() -> impl Strategy<Value = Status> {
    prop_oneof![
        Just(Status::Draft),
        Just(Status::InProgress),
        Just(Status::Done),
        Just(Status::Rejected),
        Just(Status::Ready),
    ]
}

fn criterion() -> impl Strategy<Value = Criterion> {
    ("[a-c ]{0,3}", any::<bool>()).prop_map(|(text, done)| Criterion { text, done })
}

fn patch() -> impl Strategy<Value = StoryPatch> {
    let text = || prop::option::of("[a-c ]{0,4}");
    (
        (text(), text(), text(), text()),
        prop::option::of(prop::option::of(0u8..30)),
        prop::option::of(status()),
        any::<bool>(),
        prop::collection::vec(label(), 0..3),
        prop::collection::vec(label(), 0..2),
        prop::option::of(prop::collection::vec(label(), 0..3)),
        prop::option::of(prop::option::of(epic_name())),
        prop::option::of(prop::collection::vec(criterion(), 0..3)),
        prop::collection::vec("[a-c ]{0,3}", 0..2),
    )
        .prop_map(
            |(
                (title, as_a, i_want, description),
                points,
                status,
                overriding,
                add_labels,
                remove_labels,
                labels,
                epic,
                criteria,
                add_criteria,
            )| StoryPatch {
                title,
                as_a,
                i_want,
                description,
                points: points.map(|p| p.map(|p| Points::new(f64::from(p) / 2.0).unwrap())),
                status,
                add_labels,
                remove_labels,
                labels,
                epic,
                criteria,
                add_criteria,
                override_ready: overriding.then(|| Stamp {
                    at: t0(),
                    by: "po".into(),
                }),
                ..StoryPatch::default()
            },
        )
}

fn op() -> impl Strategy<Value = Op> {
    let i = || 0usize..64;
    prop_oneof![
        4 => (i(), patch()).prop_map(|(s, p)| Op::Edit(s, Box::new(p))),
        4 => (i(), 0u8..7, i()).prop_map(|(s, k, j)| Op::Move(s, k, j)),
        1 => i().prop_map(Op::Delete),
        2 => (0u8..3, i(), prop::option::of(0..EPICS.len())).prop_map(|(p, a, e)| Op::Add(p, a, e)),
        2 => (i(), prop::collection::vec(0usize..4, 0..3)).prop_map(|(s, m)| Op::Split(s, m)),
        2 => (i(), any::<bool>()).prop_map(|(s, q)| Op::Comment(s, q)),
        1 => (i(), 0usize..4, any::<bool>()).prop_map(|(s, n, r)| Op::Resolve(s, n, r)),
        1 => (0..EPICS.len()).prop_map(Op::AddEpic),
        1 => (i(), 0..EPICS.len()).prop_map(|(e, n)| Op::RenameEpic(e, n)),
        1 => (i(), 0u8..3, i()).prop_map(|(e, how, to)| Op::RemoveEpic(e, how, to)),
        2 => (0u8..4).prop_map(Op::AddFeedback),
        2 => (i(), i()).prop_map(|(f, s)| Op::LinkFeedback(f, s)),
        1 => i().prop_map(Op::ConvertFeedback),
        1 => i().prop_map(Op::DismissFeedback),
        1 => i().prop_map(Op::ReopenFeedback),
    ]
}

fn story_at(b: &Backlog, i: usize) -> StoryId {
    let stories = b.stories_by_id();
    if stories.is_empty() {
        StoryId(999)
    } else {
        stories[i % stories.len()].id
    }
}

fn epic_at(b: &Backlog, i: usize) -> String {
    let epics = &b.product.epics;
    if epics.is_empty() {
        "Nowhere".into()
    } else {
        epics[i % epics.len()].name.clone()
    }
}

/// What the TUI should snapshot for an action: the stories it may touch,
/// and whether it may touch the product.
fn touches(b: &Backlog, op: &Op) -> (Vec<StoryId>, bool) {
    let next = StoryId(b.next_id());
    match op {
        Op::Edit(s, patch) => (vec![story_at(b, *s)], patch.epic.is_some()),
        Op::Move(s, kind, j) => {
            let id = story_at(b, *s);
            match b.position(id) {
                Ok(position) => (b.rekeyed_by_move(position, move_of(b, *kind, *j)), false),
                Err(_) => (vec![id], false),
            }
        }
        // A story removed puts its feedback back in the inbox.
        Op::Delete(s) => (vec![story_at(b, *s)], true),
        Op::Comment(s, _) | Op::Resolve(s, ..) => (vec![story_at(b, *s)], false),
        Op::ConvertFeedback(_) => (vec![next], true),
        Op::Add(_, _, epic) => (vec![next], epic.is_some()),
        Op::Split(s, _) => (vec![story_at(b, *s), next], false),
        Op::AddEpic(_)
        | Op::AddFeedback(_)
        | Op::LinkFeedback(..)
        | Op::DismissFeedback(_)
        | Op::ReopenFeedback(_) => (vec![], true),
        Op::RenameEpic(e, _) | Op::RemoveEpic(e, ..) => (b.epic_stories(&epic_at(b, *e)), true),
    }
}

fn move_of(b: &Backlog, kind: u8, j: usize) -> Move {
    match kind {
        0 => Move::Up,
        1 => Move::Down,
        2 => Move::Top,
        3 => Move::Bottom,
        4 => Move::Before(story_at(b, j)),
        5 => Move::After(story_at(b, j)),
        _ => Move::To(j % (b.len() + 2)),
    }
}

fn perform(b: &mut Backlog, op: &Op, now: DateTime<Utc>) -> bool {
    match op {
        Op::Edit(s, patch) => b.edit(story_at(b, *s), patch, now).is_ok(),
        Op::Move(s, kind, j) => b.move_story(story_at(b, *s), move_of(b, *kind, *j)).is_ok(),
        Op::Delete(s) => b.remove(story_at(b, *s)).is_ok(),
        Op::Add(place, anchor, epic) => {
            let placement = match place {
                0 => Placement::Top,
                1 => Placement::Bottom,
                _ => Placement::After(story_at(b, *anchor)),
            };
            let patch = StoryPatch {
                title: Some(format!("New {}", b.next_id())),
                epic: epic.map(|e| Some(EPICS[e].to_string())),
                ..StoryPatch::default()
            };
            b.add(&patch, placement, now).is_ok()
        }
        Op::Split(s, moving) => b.split(story_at(b, *s), "Half", moving, now).is_ok(),
        Op::Comment(s, question) => {
            let comment = Comment {
                at: now,
                author: "po".into(),
                text: "Why?".into(),
                question: *question,
                resolved: None,
                decision: false,
                answer: None,
                edited: None,
            };
            b.comment(story_at(b, *s), comment).is_ok()
        }
        Op::Resolve(s, number, resolve) => {
            let resolution = resolve.then(|| Stamp {
                at: now,
                by: "dev".into(),
            });
            b.resolve(story_at(b, *s), *number, resolution, now).is_ok()
        }
        Op::AddEpic(n) => b
            .add_epic(Epic {
                name: EPICS[*n].to_string(),
                color: b.product.next_color(),
                goal: String::new(),
                target_release: None,
            })
            .is_ok(),
        Op::RenameEpic(e, n) => {
            let name = epic_at(b, *e);
            let mut epic = b.product.epic(&name).cloned().unwrap_or_else(|| Epic {
                name: name.clone(),
                color: EpicColor::Red,
                goal: String::new(),
                target_release: None,
            });
            epic.name = EPICS[*n].to_string();
            epic.goal = format!("goal {n}");
            b.update_epic(&name, epic, now).is_ok()
        }
        Op::RemoveEpic(e, how, to) => {
            let stories = match how {
                0 => EpicStories::Unassign,
                1 => EpicStories::Delete,
                _ => EpicStories::MoveTo(epic_at(b, *to)),
            };
            b.remove_epic(&epic_at(b, *e), &stories, now).is_ok()
        }
        Op::AddFeedback(c) => {
            let customer = ["Acme", "Globex", "Initech", "Umbrella"][usize::from(*c)];
            let item = crate::model::Feedback::new(FeedbackId(0), "Please", customer, now);
            b.add_feedback(item).is_ok()
        }
        Op::LinkFeedback(f, s) => {
            let story = story_at(b, *s);
            b.link_feedback(feedback_at(b, *f), story, now).is_ok()
        }
        Op::ConvertFeedback(f) => b
            .convert_feedback(feedback_at(b, *f), Placement::Bottom, now)
            .is_ok(),
        Op::DismissFeedback(f) => b.dismiss_feedback(feedback_at(b, *f), "no", now).is_ok(),
        Op::ReopenFeedback(f) => b.reopen_feedback(feedback_at(b, *f), now).is_ok(),
    }
}

fn feedback_at(b: &Backlog, i: usize) -> FeedbackId {
    let items = b.feedback();
    if items.is_empty() {
        FeedbackId(999)
    } else {
        items[i % items.len()].id
    }
}

/// What every change must keep: epic names distinct, and every epic a
/// story names exists.
fn epics_hold_together(b: &Backlog) -> Result<(), String> {
    let names: Vec<&str> = b.product.epics.iter().map(|e| e.name.as_str()).collect();
    if let Some(twice) = names
        .iter()
        .enumerate()
        .find(|(i, n)| names[..*i].contains(n))
    {
        return Err(format!("epic {} appears twice", twice.1));
    }
    match b
        .stories_by_id()
        .iter()
        .find(|s| s.epic.as_deref().is_some_and(|e| !names.contains(&e)))
    {
        Some(s) => Err(format!("{} names a missing epic", s.id)),
        None => Ok(()),
    }
}

fn start(n: usize) -> Backlog {
    let mut b = backlog_of(n);
    if n > 0 {
        let patch = StoryPatch {
            epic: Some(Some("Checkout".into())),
            new_epic: true,
            add_labels: vec!["ux".into()],
            ..StoryPatch::default()
        };
        b.edit(StoryId(1), &patch, t0()).unwrap();
    }
    b
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn undoing_everything_gives_back_the_start_and_redoing_gives_back_the_end(
        n in 0usize..7,
        ops in prop::collection::vec(op(), 1..40),
    ) {
        let mut b = start(n);
        let mut h = History::default();
        let mut states = vec![b.clone()];
        for (k, op) in ops.iter().enumerate() {
            let now = minutes(i64::try_from(k).unwrap() + 1);
            let (ids, product) = touches(&b, op);
            let before = Snapshot::take(&b, &ids, product);
            let was = b.clone();
            let done = perform(&mut b, op, now);
            if !done {
                prop_assert_eq!(&b, &was, "a refused {:?} changed the backlog", op);
            }
            if let Err(broken) = epics_hold_together(&b) {
                prop_assert!(false, "after {:?}: {}", op, broken);
            }
            let recorded = h.record(format!("{op:?}"), now, before, &b);
            prop_assert_eq!(recorded, b != was, "{:?}", op);
            if recorded {
                states.push(b.clone());
            }
        }
        let end = b.clone();
        prop_assert_eq!(h.undo_len(), states.len() - 1);

        // Through the file's form halfway, so checks compare by value.
        let text = serde_json::to_string(&h).unwrap();
        let mut h: History = serde_json::from_str(&text).unwrap();

        for state in states.iter().rev().skip(1) {
            let undone = h.undo(&mut b).unwrap();
            prop_assert!(same_but_next_id(&b, state), "after undoing {}", undone.label);
            if let Some(focus) = undone.focus {
                prop_assert!(b.get(focus).is_some());
            }
        }
        prop_assert_eq!(h.undo(&mut b), Err(HistoryError::Nothing(Step::Undo)));
        prop_assert!(same_but_next_id(&b, &states[0]));
        prop_assert_eq!(b.next_id(), end.next_id());

        for state in states.iter().skip(1) {
            let redone = h.redo(&mut b).unwrap();
            prop_assert!(same_but_next_id(&b, state), "after redoing {}", redone.label);
        }
        prop_assert_eq!(h.redo(&mut b), Err(HistoryError::Nothing(Step::Redo)));
        prop_assert_eq!(&b, &end);
        prop_assert_eq!(ids(&b), ids(&end));
    }
}

#[test]
fn a_story_put_back_never_shares_its_rank_key() {
    // S-3 leaves a gap, S-4 moves into the same gap and so gets the same
    // key S-3 had there; S-4's move cannot be undone (changed elsewhere),
    // and S-3 is put back into the gap.
    let mut b = backlog_of(4);
    let mut h = History::default();
    track(&mut h, &mut b, "move S-3", (&[StoryId(3)], false), |b| {
        b.move_story(StoryId(3), Move::To(2)).unwrap()
    });
    track(&mut h, &mut b, "move S-3", (&[StoryId(3)], false), |b| {
        b.move_story(StoryId(3), Move::Bottom).unwrap()
    });
    track(&mut h, &mut b, "move S-4", (&[StoryId(4)], false), |b| {
        b.move_story(StoryId(4), Move::To(2)).unwrap()
    });
    b.edit(StoryId(4), &StoryPatch::title("Theirs"), minutes(1))
        .unwrap();
    assert!(h.undo(&mut b).is_err());
    h.undo(&mut b).unwrap();
    let keys: Vec<String> = b.ranked().map(|s| s.rank.to_string()).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
    assert_eq!(ids(&b), [1, 4, 3, 2]);
    // So a move into any gap lands there.
    b.move_story(StoryId(2), Move::After(StoryId(4))).unwrap();
    assert_eq!(ids(&b), [1, 4, 2, 3]);
}

#[test]
fn undoing_an_epic_rename_is_refused_when_a_story_joined_the_new_name_elsewhere() {
    let mut b = backlog_of(2);
    let in_x = StoryPatch {
        epic: Some(Some("X".into())),
        new_epic: true,
        ..StoryPatch::default()
    };
    b.edit(StoryId(1), &in_x, t0()).unwrap();
    let mut h = History::default();
    let members = b.epic_stories("X");
    track(
        &mut h,
        &mut b,
        "rename epic X to Y",
        (&members, true),
        |b| {
            let mut epic = b.product.epic("X").unwrap().clone();
            epic.name = "Y".into();
            b.update_epic("X", epic, t0()).unwrap();
        },
    );
    // Elsewhere: S-2 goes into Y, and the vision changes.
    let in_y = StoryPatch {
        epic: Some(Some("Y".into())),
        new_epic: true,
        ..StoryPatch::default()
    };
    b.edit(StoryId(2), &in_y, t0()).unwrap();
    b.product.vision = "Theirs".into();
    let merged = b.clone();
    let error = h.undo(&mut b).unwrap_err();
    assert_eq!(
        error,
        HistoryError::ChangedSince {
            step: Step::Undo,
            label: "rename epic X to Y".into(),
            id: Some(StoryId(2)),
        }
    );
    assert_eq!(b, merged, "no story is left naming an epic that is gone");
}

#[test]
fn the_steps_of_a_drag_are_one_action_to_undo() {
    let mut b = backlog_of(4);
    let start = b.clone();
    let mut h = History::default();
    let step = |h: &mut History, b: &mut Backlog, to: Move, first: bool| {
        let (moved, before) = b.watched(|b| b.move_story(StoryId(4), to));
        moved.unwrap();
        if first {
            h.record("move S-4", t0(), before, b);
        } else {
            h.record_more("move S-4", t0(), before, b);
        }
    };
    step(&mut h, &mut b, Move::Up, true);
    step(&mut h, &mut b, Move::Up, false);
    step(&mut h, &mut b, Move::Up, false);
    assert_eq!(ids(&b), [4, 1, 2, 3]);
    assert_eq!(h.undo_len(), 1, "one action");
    h.undo(&mut b).unwrap();
    assert!(same_but_next_id(&b, &start));
    h.redo(&mut b).unwrap();
    assert_eq!(ids(&b), [4, 1, 2, 3]);

    // Dragged back where it was: nothing left to undo of it.
    let mut h = History::default();
    let mut b = start.clone();
    step(&mut h, &mut b, Move::Up, true);
    step(&mut h, &mut b, Move::Down, false);
    assert_eq!(ids(&b), [1, 2, 3, 4]);
    assert!(same_but_next_id(&b, &start), "S-4 has its key back");
    assert_eq!(h.undo_len(), 0, "a drag that changed nothing is not kept");

    // Another action between, or one undone, starts a new action.
    let mut h = History::default();
    let mut b = start.clone();
    step(&mut h, &mut b, Move::Up, true);
    track(&mut h, &mut b, "move S-1", (&[StoryId(1)], false), |b| {
        b.move_story(StoryId(1), Move::Bottom).unwrap()
    });
    step(&mut h, &mut b, Move::Up, false);
    assert_eq!(h.undo_len(), 3);
    h.undo(&mut b).unwrap();
    step(&mut h, &mut b, Move::Top, false);
    assert_eq!(h.undo_len(), 3, "after an undo, a new action");
}

fn title_clash(id: u64, ours: &str, theirs: &str) -> Clash {
    Clash {
        story: Some(StoryId(id)),
        field: "title".into(),
        base: format!("Story {id}").into(),
        ours: ours.into(),
        theirs: theirs.into(),
        ours_by: Some("Ann".into()),
        theirs_by: None,
    }
}

/// Settle a clash as the TUI does: watched, then recorded.
fn settle(h: &mut History, b: &mut Backlog, id: u64, how: crate::model::Settle) {
    let (settled, before) =
        b.watched(|b| b.settle_clash(Some(StoryId(id)), "title", how, minutes(1)));
    settled.unwrap();
    assert!(h.record("settle", t0(), before, b), "recorded");
}

#[test]
fn settling_a_clash_with_ours_is_a_change_to_undo_and_redo() {
    let mut b = backlog_of(3);
    b.record_clashes(vec![title_clash(2, "Story 2", "Theirs 2")])
        .unwrap();
    let start = b.clone();
    let mut h = History::default();
    // Ours is what the file holds already: only the clash goes.
    settle(&mut h, &mut b, 2, crate::model::Settle::Ours);
    assert!(b.clashes().is_empty());
    assert_eq!(b.get(StoryId(2)).unwrap().title, "Story 2");
    let settled = b.clone();
    let entry = h.next_undo().unwrap();
    assert!(entry.after.stories.is_empty(), "the story did not change");
    assert_eq!(entry.after.clashes.as_deref(), Some(&[][..]));

    h.undo(&mut b).unwrap();
    assert_eq!(b, start, "the clash is back");
    h.redo(&mut b).unwrap();
    assert_eq!(b, settled);
}

#[test]
fn settling_with_theirs_undoes_the_field_and_the_clash_together() {
    let mut b = backlog_of(3);
    b.record_clashes(vec![
        title_clash(2, "Story 2", "Theirs 2"),
        title_clash(3, "Story 3", "Theirs 3"),
    ])
    .unwrap();
    let start = b.clone();
    let mut h = History::default();
    settle(&mut h, &mut b, 2, crate::model::Settle::Theirs);
    settle(
        &mut h,
        &mut b,
        3,
        crate::model::Settle::Value("Mine".into()),
    );
    assert_eq!(b.get(StoryId(2)).unwrap().title, "Theirs 2");
    assert_eq!(b.get(StoryId(3)).unwrap().title, "Mine");
    assert!(b.clashes().is_empty());

    h.undo(&mut b).unwrap();
    assert_eq!(b.clashes(), &[title_clash(3, "Story 3", "Theirs 3")]);
    assert_eq!(b.get(StoryId(3)).unwrap().title, "Story 3");
    h.undo(&mut b).unwrap();
    assert_eq!(b, start);
}

#[test]
fn a_removed_story_takes_its_clash_and_undoing_brings_both_back() {
    let mut b = backlog_of(3);
    b.record_clashes(vec![title_clash(2, "Story 2", "Theirs 2")])
        .unwrap();
    let start = b.clone();
    let mut h = History::default();
    let (removed, before) = b.watched(|b| b.remove(StoryId(2)));
    removed.unwrap();
    h.record("delete S-2", t0(), before, &b);
    assert!(b.clashes().is_empty());
    h.undo(&mut b).unwrap();
    assert_eq!(b, start);
    h.redo(&mut b).unwrap();
    assert!(b.clashes().is_empty());
    assert!(b.get(StoryId(2)).is_none());
}

#[test]
fn an_undo_is_refused_when_another_writer_changed_the_clashes_since() {
    let mut b = backlog_of(3);
    b.record_clashes(vec![
        title_clash(2, "Story 2", "Theirs 2"),
        title_clash(3, "Story 3", "Theirs 3"),
    ])
    .unwrap();
    let mut h = History::default();
    settle(&mut h, &mut b, 2, crate::model::Settle::Ours);
    // `backlog resolve-conflict` in another terminal settles the other.
    b.settle_clash(Some(StoryId(3)), "title", crate::model::Settle::Ours, t0())
        .unwrap();
    let now = b.clone();
    assert!(matches!(
        h.undo(&mut b),
        Err(HistoryError::ChangedSince { id: None, .. })
    ));
    assert_eq!(b, now, "nothing changed");
}
