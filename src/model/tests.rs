use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::rank::Rank;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap()
}

/// Stories "Story 1" to "Story `n`", S-1 to S-`n`, added one by one.
pub(super) fn backlog_of(n: usize) -> Backlog {
    let mut backlog = Backlog::new("Test");
    for i in 1..=n {
        backlog
            .add(
                &StoryPatch::title(format!("Story {i}")),
                Placement::Bottom,
                t0(),
            )
            .unwrap();
    }
    backlog
}

fn ids(backlog: &Backlog) -> Vec<u64> {
    backlog.ranked().map(|s| s.id.0).collect()
}

fn ranks(backlog: &Backlog) -> Vec<String> {
    backlog.ranked().map(|s| s.rank.to_string()).collect()
}

#[test]
fn add_appends_with_fresh_ids_and_placements() {
    let mut b = backlog_of(3);
    assert_eq!(ids(&b), [1, 2, 3]);
    let top = b
        .add(&StoryPatch::title("Top"), Placement::Top, t0())
        .unwrap();
    assert_eq!(top, StoryId(4));
    let after = b
        .add(
            &StoryPatch::title("After 1"),
            Placement::After(StoryId(1)),
            t0(),
        )
        .unwrap();
    assert_eq!(ids(&b), [4, 1, after.0, 2, 3]);
}

#[test]
fn add_refuses_empty_title_and_unknown_anchor() {
    let mut b = backlog_of(1);
    assert_eq!(
        b.add(&StoryPatch::title("  "), Placement::Bottom, t0()),
        Err(ModelError::EmptyTitle)
    );
    assert_eq!(
        b.add(&StoryPatch::title("x"), Placement::After(StoryId(9)), t0()),
        Err(ModelError::UnknownStory(StoryId(9)))
    );
    assert_eq!(b.len(), 1);
    assert_eq!(b.next_id(), 2);
}

#[test]
fn ids_are_never_reused() {
    let mut b = backlog_of(3);
    b.remove(StoryId(3)).unwrap();
    let id = b
        .add(&StoryPatch::title("New"), Placement::Bottom, t0())
        .unwrap();
    assert_eq!(id, StoryId(4));
    // Also after a reload that lost the counter.
    let stories = b.stories_by_id().to_vec();
    let reloaded = Backlog::from_parts(Product::default(), 1, stories).unwrap();
    assert_eq!(reloaded.next_id(), 5);
}

/// A backlog whose id counter is at `next_id`, holding one story with
/// `last` as its id.
fn counter_at(next_id: u64, last: u64) -> Backlog {
    let story = Story::new(StoryId(last), Rank::first(), "Last", t0());
    Backlog::from_parts(Product::default(), next_id, vec![story]).unwrap()
}

#[test]
fn ids_never_wrap_round_past_the_largest() {
    let too_many = || StoryPatch::title("Too many");
    // The last id there is room for is handed out once, then none.
    let mut b = counter_at(u64::MAX - 1, 5);
    let id = b.add(&too_many(), Placement::Bottom, t0()).unwrap();
    assert_eq!(id, StoryId(u64::MAX - 1));
    assert_eq!(b.next_id(), u64::MAX);
    b.remove(id).unwrap();
    let full = b.clone();
    assert_eq!(
        b.add(&too_many(), Placement::Bottom, t0()),
        Err(ModelError::NoIdLeft)
    );
    assert_eq!(
        b.split(StoryId(5), "Half", &[], t0()),
        Err(ModelError::NoIdLeft)
    );
    assert_eq!(b, full, "a refused add changes nothing");
    // True whichever id the file holds: it names no largest story, only
    // the counter's end.
    assert_eq!(
        ModelError::NoIdLeft.to_string(),
        "no story id is left for a new story: the id counter has reached its end \
         (the next id would be S-18446744073709551615); ids are never reused"
    );
    // A file whose counter or stories leave no room still loads.
    for mut b in [counter_at(u64::MAX, 5), counter_at(1, u64::MAX)] {
        assert_eq!(b.next_id(), u64::MAX);
        assert_eq!(
            b.add(&too_many(), Placement::Top, t0()),
            Err(ModelError::NoIdLeft)
        );
    }
    // Putting back (undo) or renumbering onto the largest ids leaves no
    // room either.
    let mut b = backlog_of(1);
    b.put(Arc::new(Story::new(
        StoryId(u64::MAX),
        Rank::first(),
        "x",
        t0(),
    )));
    assert_eq!(b.next_id(), u64::MAX);
    let b = backlog_of(1).renumbered(&[(StoryId(1), StoryId(u64::MAX))]);
    assert_eq!(b.next_id(), u64::MAX);
}

#[test]
fn a_merge_with_no_id_left_for_a_new_story_keeps_it_as_a_conflict() {
    let base = counter_at(u64::MAX - 1, 5);
    let mut ours = base.clone();
    let mine = ours
        .add(&StoryPatch::title("Mine"), Placement::Bottom, t0())
        .unwrap();
    let mut theirs = base.clone();
    theirs
        .add(&StoryPatch::title("Theirs"), Placement::Bottom, t0())
        .unwrap();
    let merged = merge(&base, &ours, &theirs);
    assert_eq!(merged.backlog.get(mine).unwrap().title, "Theirs");
    assert_eq!(merged.conflicts.len(), 1);
    assert_eq!(merged.conflicts[0].title, "Mine");
    assert!(merged.renumbered.is_empty());
    assert_eq!(merged.backlog.next_id(), u64::MAX);
}

#[test]
fn a_move_rewrites_only_the_moved_story_key() {
    let mut b = backlog_of(5);
    let before = ranks(&b);
    let moved = b.move_story(StoryId(5), Move::Top).unwrap();
    assert_eq!(moved, Moved { from: 4, to: 0 });
    assert_eq!(ids(&b), [5, 1, 2, 3, 4]);
    let after: Vec<String> = b.ranked().skip(1).map(|s| s.rank.to_string()).collect();
    assert_eq!(after, before[..4]);
}

#[test]
fn every_move_kind() {
    let mut b = backlog_of(5);
    b.move_story(StoryId(1), Move::Down).unwrap();
    assert_eq!(ids(&b), [2, 1, 3, 4, 5]);
    b.move_story(StoryId(3), Move::Up).unwrap();
    assert_eq!(ids(&b), [2, 3, 1, 4, 5]);
    b.move_story(StoryId(2), Move::Bottom).unwrap();
    assert_eq!(ids(&b), [3, 1, 4, 5, 2]);
    b.move_story(StoryId(2), Move::Before(StoryId(1))).unwrap();
    assert_eq!(ids(&b), [3, 2, 1, 4, 5]);
    b.move_story(StoryId(3), Move::After(StoryId(4))).unwrap();
    assert_eq!(ids(&b), [2, 1, 4, 3, 5]);
    b.move_story(StoryId(5), Move::To(2)).unwrap();
    assert_eq!(ids(&b), [2, 5, 1, 4, 3]);
    // Already there: nothing changes.
    assert_eq!(
        b.move_story(StoryId(2), Move::Up).unwrap(),
        Moved { from: 0, to: 0 }
    );
    assert_eq!(
        b.move_story(StoryId(3), Move::Down).unwrap(),
        Moved { from: 4, to: 4 }
    );
}

#[test]
fn bad_moves_are_refused_and_change_nothing() {
    let mut b = backlog_of(3);
    let before = b.clone();
    assert_eq!(
        b.move_story(StoryId(1), Move::To(4)),
        Err(ModelError::PositionOutOfRange {
            position: 4,
            len: 3
        })
    );
    assert_eq!(
        b.move_story(StoryId(1), Move::To(0)),
        Err(ModelError::PositionOutOfRange {
            position: 0,
            len: 3
        })
    );
    assert_eq!(
        b.move_story(StoryId(1), Move::Before(StoryId(1))),
        Err(ModelError::RelativeToItself(StoryId(1)))
    );
    assert_eq!(
        b.move_story(StoryId(9), Move::Top),
        Err(ModelError::UnknownStory(StoryId(9)))
    );
    assert_eq!(
        b.move_story(StoryId(1), Move::After(StoryId(9))),
        Err(ModelError::UnknownStory(StoryId(9)))
    );
    assert_eq!(b, before);
}

#[test]
fn edit_applies_a_patch_and_stamps_the_time() {
    let mut b = backlog_of(1);
    let later = t0() + chrono::Duration::hours(2);
    let patch = StoryPatch {
        title: Some("Pay by card".into()),
        as_a: Some("member".into()),
        i_want: Some("to pay by card".into()),
        so_that: Some("I need no cash".into()),
        points: Some(Some(Points::new(5.0).unwrap())),
        status: Some(Status::Ready),
        add_labels: vec!["payments".into(), "payments".into(), "ux".into()],
        epic: Some(Some("Checkout".into())),
        new_epic: true,
        add_criteria: vec!["Card is charged".into()],
        ..StoryPatch::default()
    };
    b.edit(StoryId(1), &patch, later).unwrap();
    let s = b.get(StoryId(1)).unwrap();
    assert_eq!(s.title, "Pay by card");
    assert_eq!(s.labels, ["payments", "ux"]);
    assert_eq!(s.updated, later);
    assert_eq!(s.created, t0());
    assert_eq!(
        s.user_story_sentence().unwrap(),
        "As a member, I want to pay by card, so that I need no cash."
    );

    let unlabel = StoryPatch {
        remove_labels: vec!["ux".into()],
        points: Some(None),
        epic: Some(None),
        ..StoryPatch::default()
    };
    b.edit(StoryId(1), &unlabel, later).unwrap();
    let s = b.get(StoryId(1)).unwrap();
    assert_eq!(s.labels, ["payments"]);
    assert_eq!(s.points, None);
    assert_eq!(s.epic, None);

    assert_eq!(
        b.edit(StoryId(1), &StoryPatch::title(""), later),
        Err(ModelError::EmptyTitle)
    );
    assert_eq!(
        b.edit(StoryId(7), &StoryPatch::title("x"), later),
        Err(ModelError::UnknownStory(StoryId(7)))
    );
}

#[test]
fn an_edit_that_changes_nothing_keeps_the_timestamp() {
    let mut b = backlog_of(1);
    b.edit(
        StoryId(1),
        &StoryPatch::title("Story 1"),
        t0() + chrono::Duration::days(1),
    )
    .unwrap();
    assert_eq!(b.get(StoryId(1)).unwrap().updated, t0());
}

#[test]
fn equal_rank_keys_are_separated_on_load_in_id_order() {
    let b = backlog_of(3);
    let mut stories: Vec<Story> = b.stories_by_id().iter().map(|s| Story::clone(s)).collect();
    let shared = stories[0].rank.clone();
    stories[2].rank = shared.clone();
    stories[1].rank = shared;
    let mut loaded = Backlog::from_parts(Product::default(), 4, stories).unwrap();
    assert_eq!(ids(&loaded), [1, 2, 3]);
    let keys = ranks(&loaded);
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
    // Moves into any gap still work.
    loaded.move_story(StoryId(3), Move::To(2)).unwrap();
    assert_eq!(ids(&loaded), [1, 3, 2]);
}

#[test]
fn duplicate_ids_are_refused() {
    let b = backlog_of(2);
    let mut stories: Vec<Story> = b.stories_by_id().iter().map(|s| Story::clone(s)).collect();
    stories[1].id = StoryId(1);
    assert_eq!(
        Backlog::from_parts(Product::default(), 3, stories),
        Err(ModelError::DuplicateId(StoryId(1)))
    );
}

#[test]
fn merge_keeps_both_sides_changes() {
    let base = backlog_of(4);
    let later = t0() + chrono::Duration::minutes(5);
    let mut ours = base.clone();
    ours.move_story(StoryId(4), Move::Top).unwrap();
    ours.edit(StoryId(2), &StoryPatch::title("Ours"), later)
        .unwrap();
    let mine = ours
        .add(&StoryPatch::title("Mine"), Placement::Bottom, later)
        .unwrap();
    let mut theirs = base.clone();
    let other = theirs
        .add(&StoryPatch::title("Theirs"), Placement::Bottom, later)
        .unwrap();
    theirs.remove(StoryId(1)).unwrap();
    assert_eq!(mine, other, "both sides took the same id");

    let merged = merge(&base, &ours, &theirs);
    assert!(!merged.has_conflicts());
    let b = &merged.backlog;
    let titles: Vec<&str> = b.ranked().map(|s| s.title.as_str()).collect();
    // Ours went after Story 3, which had been last before Story 4 moved
    // up; theirs after Story 4's old place. Both keys say so.
    assert_eq!(titles, ["Story 4", "Ours", "Story 3", "Mine", "Theirs"]);
    assert_eq!(merged.renumbered, [(StoryId(5), StoryId(6))]);
    assert_eq!(b.next_id(), 7);
}

#[test]
fn merge_conflict_keeps_the_file_and_returns_ours() {
    let base = backlog_of(2);
    let later = t0() + chrono::Duration::minutes(5);
    let mut ours = base.clone();
    ours.edit(StoryId(1), &StoryPatch::title("Ours"), later)
        .unwrap();
    ours.remove(StoryId(2)).unwrap();
    let mut theirs = base.clone();
    theirs
        .edit(StoryId(1), &StoryPatch::title("Theirs"), later)
        .unwrap();
    theirs
        .edit(StoryId(2), &StoryPatch::title("Kept"), later)
        .unwrap();

    let merged = merge(&base, &ours, &theirs);
    assert!(merged.has_conflicts());
    assert_eq!(merged.backlog.get(StoryId(1)).unwrap().title, "Theirs");
    assert_eq!(merged.conflicts[0].title, "Ours");
    assert_eq!(merged.kept_deleted, [StoryId(2)]);
    assert_eq!(merged.backlog.get(StoryId(2)).unwrap().title, "Kept");
}

#[test]
fn merge_with_no_local_change_is_the_file() {
    let base = backlog_of(3);
    let mut theirs = base.clone();
    theirs.move_story(StoryId(3), Move::Top).unwrap();
    let merged = merge(&base, &base, &theirs);
    assert_eq!(merged.backlog, theirs);
}

#[test]
fn merge_takes_the_place_from_one_side_and_the_content_from_the_other() {
    let base = backlog_of(3);
    let later = t0() + chrono::Duration::minutes(5);
    let mut ours = base.clone();
    ours.move_story(StoryId(3), Move::Top).unwrap();
    let mut theirs = base.clone();
    theirs
        .edit(StoryId(3), &StoryPatch::title("Renamed"), later)
        .unwrap();
    let merged = merge(&base, &ours, &theirs);
    assert!(!merged.has_conflicts());
    let titles: Vec<&str> = merged.backlog.ranked().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["Renamed", "Story 1", "Story 2"]);
    // And the other way round.
    let merged = merge(&base, &theirs, &ours);
    assert!(!merged.has_conflicts());
    assert_eq!(merged.backlog.ranked().next().unwrap().title, "Renamed");
    // Both moving it differently is a conflict; the file's place wins.
    let mut elsewhere = base.clone();
    elsewhere.move_story(StoryId(3), Move::To(2)).unwrap();
    let merged = merge(&base, &ours, &elsewhere);
    assert_eq!(merged.conflicts.len(), 1);
    assert_eq!(ids(&merged.backlog), [1, 3, 2]);
}

#[test]
fn renumbering_moves_ids_and_keeps_the_order() {
    let mut b = backlog_of(3);
    b.move_story(StoryId(3), Move::Top).unwrap();
    let moved = b.renumbered(&[(StoryId(3), StoryId(7))]);
    assert_eq!(ids(&moved), [7, 1, 2]);
    assert_eq!(moved.next_id(), 8);
    assert!(moved.get(StoryId(3)).is_none());
    assert_eq!(
        renumber(
            StoryId(3),
            &[(StoryId(3), StoryId(7)), (StoryId(7), StoryId(9))]
        ),
        StoryId(9)
    );
    assert_eq!(b.renumbered(&[]), b);
}

#[derive(Clone, Debug)]
enum Op {
    Up(usize),
    Down(usize),
    Top(usize),
    Bottom(usize),
    Before(usize, usize),
    After(usize, usize),
    To(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        any::<usize>().prop_map(Op::Up),
        any::<usize>().prop_map(Op::Down),
        any::<usize>().prop_map(Op::Top),
        any::<usize>().prop_map(Op::Bottom),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::Before(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::After(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::To(a, b)),
    ]
}

/// The same move on a plain `Vec` of ids, the obviously right model.
fn apply_to_vec(v: &mut Vec<u64>, id: u64, to: Move) -> bool {
    let from = v.iter().position(|&x| x == id).unwrap();
    let item = v.remove(from);
    let at = match to {
        Move::Up => from.saturating_sub(1),
        Move::Down => (from + 1).min(v.len()),
        Move::Top => 0,
        Move::Bottom => v.len(),
        Move::Before(a) | Move::After(a) if a.0 == id => {
            v.insert(from, item);
            return false;
        }
        Move::Before(a) => v.iter().position(|&x| x == a.0).unwrap(),
        Move::After(a) => v.iter().position(|&x| x == a.0).unwrap() + 1,
        Move::To(n) if n == 0 || n > v.len() + 1 => {
            v.insert(from, item);
            return false;
        }
        Move::To(n) => n - 1,
    };
    v.insert(at, item);
    true
}

proptest! {
    #[test]
    fn any_sequence_of_moves_matches_a_vec(n in 1usize..12, ops in prop::collection::vec(op(), 0..60)) {
        let mut b = backlog_of(n);
        let mut model: Vec<u64> = (1..=n as u64).collect();
        for op in ops {
            let pick = |i: usize| StoryId(model[i % n]);
            let (id, to) = match op {
                Op::Up(i) => (pick(i), Move::Up),
                Op::Down(i) => (pick(i), Move::Down),
                Op::Top(i) => (pick(i), Move::Top),
                Op::Bottom(i) => (pick(i), Move::Bottom),
                Op::Before(i, j) => (pick(i), Move::Before(pick(j))),
                Op::After(i, j) => (pick(i), Move::After(pick(j))),
                Op::To(i, p) => (pick(i), Move::To(p % (n + 2))),
            };
            let ok = apply_to_vec(&mut model, id.0, to);
            prop_assert_eq!(b.move_story(id, to).is_ok(), ok);
            prop_assert_eq!(ids(&b), model.clone());
        }
        // Every story exactly once, keys strictly ascending, and the order
        // survives a rebuild from the stored parts (that is, from the keys).
        let mut seen = ids(&b);
        seen.sort_unstable();
        prop_assert_eq!(seen, (1..=n as u64).collect::<Vec<_>>());
        let keys = ranks(&b);
        prop_assert!(keys.windows(2).all(|w| w[0] < w[1]));
        let rebuilt = Backlog::from_parts(Product::default(), 0, b.stories_by_id().to_vec()).unwrap();
        prop_assert_eq!(ids(&rebuilt), model);
    }
}

#[test]
fn renaming_an_epic_carries_its_stories_and_leaves_one_epic() {
    let mut b = Backlog::new("Test");
    let in_epic = StoryPatch {
        title: Some("a".into()),
        epic: Some(Some("Old".into())),
        new_epic: true,
        ..StoryPatch::default()
    };
    b.add(&in_epic, Placement::Bottom, t0()).unwrap();
    let mut epic = b.product.epic("Old").unwrap().clone();
    epic.name = "New".into();
    b.update_epic("Old", epic, t0()).unwrap();
    let names: Vec<&str> = b.product.epics.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["New"]);
    assert_eq!(b.get(StoryId(1)).unwrap().epic.as_deref(), Some("New"));
    let text = crate::store::to_json(&b);
    assert_eq!(crate::store::from_json(&text).unwrap(), b);
}

// --- Schema 2: put, split, the Definition of Ready, comments, epics ---

fn epic(name: &str) -> Epic {
    Epic {
        name: name.into(),
        color: EpicColor::Blue,
        goal: String::new(),
        target_release: None,
    }
}

fn epic_names(backlog: &Backlog) -> Vec<&str> {
    backlog
        .product
        .epics
        .iter()
        .map(|e| e.name.as_str())
        .collect()
}

fn pts(value: f64) -> Points {
    Points::new(value).unwrap()
}

#[test]
fn put_inserts_or_replaces_a_story_exactly_and_keeps_the_rank_order() {
    let mut b = backlog_of(3);
    let start = b.clone();
    let two = b.remove(StoryId(2)).unwrap();
    assert_eq!(ids(&b), [1, 3]);
    b.put(Arc::clone(&two));
    assert_eq!(b, start);
    assert!(Arc::ptr_eq(b.get_arc(StoryId(2)).unwrap(), &two));

    // Replacing with a new rank moves it; new content and points count.
    let mut three = Story::clone(b.get(StoryId(3)).unwrap());
    three.rank = Rank::before(&b.get(StoryId(1)).unwrap().rank);
    three.points = Some(pts(5.0));
    three.epic = Some("Checkout".into());
    b.put(Arc::new(three));
    assert_eq!(ids(&b), [3, 1, 2]);
    assert!((b.total_points() - 5.0).abs() < f64::EPSILON);
    assert_eq!(epic_names(&b), ["Checkout"], "an epic it names is added");
    assert_eq!(b.next_id(), 4);

    // A story with a new id goes in by its rank and moves the next id on.
    let mut nine = Story::clone(b.get(StoryId(1)).unwrap());
    nine.id = StoryId(9);
    nine.rank = Rank::after(&b.get(StoryId(2)).unwrap().rank);
    b.put(Arc::new(nine));
    assert_eq!(ids(&b), [3, 1, 2, 9]);
    assert_eq!(b.next_id(), 10);
    let by_id: Vec<u64> = b.stories_by_id().iter().map(|s| s.id.0).collect();
    assert_eq!(by_id, [1, 2, 3, 9]);
    assert_eq!(b.position(StoryId(9)), Ok(3));
}

#[test]
fn put_with_a_key_another_story_has_taken_goes_just_after_it() {
    let mut b = backlog_of(4);
    // As when S-1 moved into the gap S-2 left, and got the key S-2 had
    // there; then S-2 is put back.
    let mut one = Story::clone(b.get(StoryId(1)).unwrap());
    one.rank = b.get(StoryId(2)).unwrap().rank.clone();
    let two = b.remove(StoryId(2)).unwrap();
    b.put(Arc::new(one));
    b.put(two);
    let keys = ranks(&b);
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
    assert_eq!(ids(&b), [1, 2, 3, 4]);
    // And the other way round: the story already there keeps its place.
    let mut four = Story::clone(b.get(StoryId(4)).unwrap());
    four.rank = b.get(StoryId(1)).unwrap().rank.clone();
    b.put(Arc::new(four));
    assert_eq!(ids(&b), [1, 4, 2, 3]);
    let keys = ranks(&b);
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
    b.move_story(StoryId(3), Move::After(StoryId(1))).unwrap();
    assert_eq!(ids(&b), [1, 3, 4, 2]);
}

#[test]
fn split_moves_criteria_to_a_new_story_ranked_right_after() {
    let mut b = backlog_of(3);
    let patch = StoryPatch {
        as_a: Some("member".into()),
        points: Some(Some(pts(8.0))),
        add_labels: vec!["ux".into()],
        epic: Some(Some("Checkout".into())),
        new_epic: true,
        add_criteria: vec!["one".into(), "two".into(), "three".into()],
        ..StoryPatch::default()
    };
    b.edit(StoryId(2), &patch, t0()).unwrap();
    let later = t0() + chrono::Duration::hours(1);
    let new = b
        .split(StoryId(2), " Second half ", &[0, 2], later)
        .unwrap();
    assert_eq!(new, StoryId(4));
    assert_eq!(ids(&b), [1, 2, 4, 3]);
    let kept = b.get(StoryId(2)).unwrap();
    let half = b.get(new).unwrap();
    let texts = |s: &Story| -> Vec<String> {
        s.acceptance_criteria
            .iter()
            .map(|c| c.text.clone())
            .collect()
    };
    assert_eq!(texts(kept), ["two"]);
    assert_eq!(texts(half), ["one", "three"]);
    assert_eq!(half.title, "Second half");
    assert_eq!(half.epic.as_deref(), Some("Checkout"));
    assert_eq!(half.labels, ["ux"]);
    assert_eq!(half.as_a, "member");
    assert_eq!(half.points, None, "the new half is estimated on its own");
    assert_eq!(half.status, Status::Draft);
    assert_eq!(half.split_from, Some(StoryId(2)));
    assert_eq!(kept.split_into, [new]);
    assert_eq!(kept.updated, later);
    assert_eq!(epic_names(&b), ["Checkout"]);
}

#[test]
fn a_bad_split_is_refused_and_changes_nothing() {
    let mut b = backlog_of(2);
    b.edit(
        StoryId(1),
        &StoryPatch {
            add_criteria: vec!["one".into()],
            ..StoryPatch::default()
        },
        t0(),
    )
    .unwrap();
    let before = b.clone();
    assert_eq!(
        b.split(StoryId(1), "Half", &[0, 1], t0()),
        Err(ModelError::UnknownCriterion {
            id: StoryId(1),
            number: 2
        })
    );
    assert_eq!(
        b.split(StoryId(1), "  ", &[0], t0()),
        Err(ModelError::EmptyTitle)
    );
    assert_eq!(
        b.split(StoryId(7), "Half", &[], t0()),
        Err(ModelError::UnknownStory(StoryId(7)))
    );
    assert_eq!(b, before);
    assert_eq!(b.next_id(), 3);
}

#[test]
fn ready_needs_the_definition_of_ready_or_an_override() {
    let mut b = backlog_of(1);
    let ready = StoryPatch {
        status: Some(Status::Ready),
        ..StoryPatch::default()
    };
    let before = b.clone();
    let Err(ModelError::NotReady { id, missing }) = b.edit(StoryId(1), &ready, t0()) else {
        panic!("an empty story became ready");
    };
    assert_eq!(id, StoryId(1));
    assert_eq!(
        missing,
        [
            "user-story sentence lacks \"as a\", \"I want\", \"so that\"",
            "no acceptance criteria",
            "not estimated"
        ]
    );
    assert_eq!(b, before);

    let po = Stamp {
        at: t0(),
        by: "po".into(),
    };
    let overriding = StoryPatch {
        override_ready: Some(po.clone()),
        ..ready.clone()
    };
    b.edit(StoryId(1), &overriding, t0()).unwrap();
    let story = b.get(StoryId(1)).unwrap();
    assert_eq!(story.status, Status::Ready);
    let recorded = story.ready_override.as_ref().unwrap();
    assert_eq!((recorded.at, recorded.by.as_str()), (po.at, "po"));
    assert_eq!(recorded.missing, missing);

    // Once it passes, becoming ready again needs no override and drops it.
    let fill = StoryPatch {
        status: Some(Status::Draft),
        as_a: Some("member".into()),
        i_want: Some("to pay".into()),
        so_that: Some("I can leave".into()),
        points: Some(Some(pts(3.0))),
        add_criteria: vec!["paid".into()],
        ..StoryPatch::default()
    };
    b.edit(StoryId(1), &fill, t0()).unwrap();
    b.edit(StoryId(1), &ready, t0()).unwrap();
    let story = b.get(StoryId(1)).unwrap();
    assert_eq!(story.status, Status::Ready);
    assert_eq!(story.ready_override, None);

    // Too big is a reason of its own.
    let big = StoryPatch {
        status: Some(Status::Draft),
        points: Some(Some(pts(21.0))),
        ..StoryPatch::default()
    };
    b.edit(StoryId(1), &big, t0()).unwrap();
    assert_eq!(
        b.edit(StoryId(1), &ready, t0()),
        Err(ModelError::NotReady {
            id: StoryId(1),
            missing: vec!["estimate 21 is above the maximum of 13: split it".into()],
        })
    );
    // A rule switched off is not asked.
    b.product.settings.ready.small_enough = false;
    b.edit(StoryId(1), &ready, t0()).unwrap();
}

#[test]
fn open_questions_count_against_ready_until_resolved() {
    let mut b = backlog_of(1);
    let question = |text: &str| Comment {
        at: t0(),
        author: "dev".into(),
        text: text.into(),
        question: true,
        resolved: None,
        decision: false,
        answer: None,
        edited: None,
    };
    b.comment(StoryId(1), question(" Which cards? ")).unwrap();
    b.comment(StoryId(1), question("Which currency?")).unwrap();
    let note = Comment {
        question: false,
        ..question("Looks good")
    };
    b.comment(StoryId(1), note).unwrap();
    let story = b.get(StoryId(1)).unwrap();
    assert_eq!(story.comments[0].text, "Which cards?");
    assert_eq!(story.open_questions(), 2);
    let rules = ReadyRules::default();
    assert!(ready::missing(story, &rules).contains(&ready::Missing::OpenQuestions(2)));

    let answered = Stamp {
        at: t0(),
        by: "po".into(),
    };
    let later = t0() + chrono::Duration::minutes(3);
    b.resolve(StoryId(1), 1, Some(answered.clone()), later)
        .unwrap();
    let story = b.get(StoryId(1)).unwrap();
    assert_eq!(story.comments[0].resolved, Some(answered));
    assert_eq!(story.updated, later);
    assert!(ready::missing(story, &rules).contains(&ready::Missing::OpenQuestions(1)));
    b.resolve(
        StoryId(1),
        2,
        Some(Stamp {
            at: t0(),
            by: "po".into(),
        }),
        later,
    )
    .unwrap();
    let story = b.get(StoryId(1)).unwrap();
    assert!(
        !ready::missing(story, &rules)
            .iter()
            .any(|m| matches!(m, ready::Missing::OpenQuestions(_)))
    );
    // Opened again.
    b.resolve(StoryId(1), 2, None, later).unwrap();
    assert_eq!(b.get(StoryId(1)).unwrap().open_questions(), 1);

    let before = b.clone();
    // Resolving a resolved question again keeps who resolved it and when;
    // opening an open one is no change either.
    assert_eq!(
        b.resolve(
            StoryId(1),
            1,
            Some(Stamp {
                at: later,
                by: "someone else".into()
            }),
            later
        ),
        Err(ModelError::AlreadyResolved {
            id: StoryId(1),
            number: 1,
            by: "po".into(),
            at: t0(),
        })
    );
    assert_eq!(
        b.resolve(StoryId(1), 2, None, later),
        Err(ModelError::AlreadyOpen {
            id: StoryId(1),
            number: 2
        })
    );
    assert_eq!(
        b.resolve(StoryId(1), 4, None, later),
        Err(ModelError::UnknownComment {
            id: StoryId(1),
            number: 4
        })
    );
    assert_eq!(
        b.resolve(StoryId(1), 0, None, later),
        Err(ModelError::UnknownComment {
            id: StoryId(1),
            number: 0
        })
    );
    assert_eq!(
        b.comment(StoryId(1), question("  ")),
        Err(ModelError::EmptyComment)
    );
    assert_eq!(
        b.comment(StoryId(5), question("?")),
        Err(ModelError::UnknownStory(StoryId(5)))
    );
    assert_eq!(b, before);
}

#[test]
fn renaming_an_epic_carries_the_name_to_its_stories() {
    let mut b = backlog_of(3);
    for id in [1, 3] {
        b.edit(StoryId(id), &into_epic("Checkout", true), t0())
            .unwrap();
    }
    b.add_epic(epic("Search")).unwrap();
    let later = t0() + chrono::Duration::hours(1);
    let renamed = Epic {
        goal: "Pay in one tap".into(),
        ..epic(" Payments ")
    };
    b.update_epic("Checkout", renamed, later).unwrap();
    assert_eq!(
        epic_names(&b),
        ["Payments", "Search"],
        "renamed in place, once"
    );
    assert_eq!(b.product.epic("Payments").unwrap().goal, "Pay in one tap");
    for id in [1, 3] {
        let story = b.get(StoryId(id)).unwrap();
        assert_eq!(story.epic.as_deref(), Some("Payments"));
        assert_eq!(story.updated, later);
    }
    assert_eq!(b.get(StoryId(2)).unwrap().epic, None);
    assert_eq!(b.epic_stories("Payments"), [StoryId(1), StoryId(3)]);

    // Changing only the goal leaves the stories alone.
    let goal_only = Epic {
        goal: "Pay".into(),
        ..epic("Payments")
    };
    b.update_epic("Payments", goal_only, later + chrono::Duration::hours(1))
        .unwrap();
    assert_eq!(b.get(StoryId(1)).unwrap().updated, later);

    let before = b.clone();
    assert_eq!(
        b.update_epic("Payments", epic("Search"), later),
        Err(ModelError::DuplicateEpic("Search".into()))
    );
    assert_eq!(
        b.update_epic("Nowhere", epic("X"), later),
        Err(ModelError::UnknownEpic("Nowhere".into()))
    );
    assert_eq!(
        b.update_epic("Payments", epic(" "), later),
        Err(ModelError::EmptyEpicName)
    );
    assert_eq!(
        b.add_epic(epic("Search")),
        Err(ModelError::DuplicateEpic("Search".into()))
    );
    assert_eq!(b, before);
}

fn two_epics() -> Backlog {
    let mut b = backlog_of(4);
    for (id, name) in [(1, "Checkout"), (2, "Checkout"), (3, "Search")] {
        let patch = StoryPatch {
            points: Some(Some(pts(2.0))),
            ..into_epic(name, true)
        };
        b.edit(StoryId(id), &patch, t0()).unwrap();
    }
    b
}

#[test]
fn removing_an_epic_unassigns_moves_or_deletes_its_stories() {
    let epic_of = |b: &Backlog, id: u64| b.get(StoryId(id)).unwrap().epic.clone();

    let mut b = two_epics();
    assert_eq!(b.epic_size("Checkout"), (2, 4.0));
    let deleted = b
        .remove_epic("Checkout", &EpicStories::Unassign, t0())
        .unwrap();
    assert!(deleted.is_empty());
    assert_eq!(epic_names(&b), ["Search"]);
    assert_eq!((epic_of(&b, 1), epic_of(&b, 2)), (None, None));
    assert_eq!(epic_of(&b, 3).as_deref(), Some("Search"));

    let mut b = two_epics();
    b.remove_epic("Checkout", &EpicStories::MoveTo("Search".into()), t0())
        .unwrap();
    assert_eq!(epic_names(&b), ["Search"]);
    assert_eq!(
        b.epic_stories("Search"),
        [StoryId(1), StoryId(2), StoryId(3)]
    );

    let mut b = two_epics();
    let deleted = b
        .remove_epic("Checkout", &EpicStories::Delete, t0())
        .unwrap();
    let gone: Vec<StoryId> = deleted.iter().map(|s| s.id).collect();
    assert_eq!(gone, [StoryId(1), StoryId(2)]);
    assert_eq!(ids(&b), [3, 4]);
    assert!((b.total_points() - 2.0).abs() < f64::EPSILON);
    assert_eq!(b.next_id(), 5);

    let mut b = two_epics();
    let before = b.clone();
    // Moving an epic's stories to itself, in any case, is its own mistake:
    // the epic is there.
    for itself in ["Checkout", "CHECKOUT"] {
        let refused = b.remove_epic("checkout", &EpicStories::MoveTo(itself.into()), t0());
        assert_eq!(refused, Err(ModelError::MoveToItself("Checkout".into())));
        assert_eq!(
            refused.unwrap_err().to_string(),
            "cannot move Checkout's stories to Checkout itself"
        );
    }
    assert_eq!(
        b.remove_epic("Checkout", &EpicStories::MoveTo("Nowhere".into()), t0()),
        Err(ModelError::UnknownEpic("Nowhere".into()))
    );
    assert_eq!(
        b.remove_epic("Nowhere", &EpicStories::Unassign, t0()),
        Err(ModelError::UnknownEpic("Nowhere".into()))
    );
    assert_eq!(b, before);
}

#[test]
fn nearest_is_the_story_before_a_place_else_the_one_after() {
    let b = backlog_of(3);
    let rank = |id: u64| b.get(StoryId(id)).unwrap().rank.clone();
    let between = Rank::between(Some(&rank(1)), Some(&rank(2))).unwrap();
    assert_eq!(b.nearest(&between), Some(StoryId(1)));
    assert_eq!(b.nearest(&Rank::before(&rank(1))), Some(StoryId(1)));
    assert_eq!(b.nearest(&Rank::after(&rank(3))), Some(StoryId(3)));
    assert_eq!(Backlog::default().nearest(&rank(1)), None);
}

#[test]
fn a_comma_separates_labels_however_they_are_given() {
    let mut b = backlog_of(1);
    let patch = StoryPatch {
        add_labels: vec!["a,b".into(), " c ".into(), "a".into()],
        ..StoryPatch::default()
    };
    b.edit(StoryId(1), &patch, t0()).unwrap();
    assert_eq!(b.get(StoryId(1)).unwrap().labels, ["a", "b", "c"]);
    let patch = StoryPatch {
        labels: Some(vec!["x, y".into()]),
        ..StoryPatch::default()
    };
    b.edit(StoryId(1), &patch, t0()).unwrap();
    assert_eq!(b.get(StoryId(1)).unwrap().labels, ["x", "y"]);
    let patch = StoryPatch {
        remove_labels: vec!["x,y".into()],
        ..StoryPatch::default()
    };
    b.edit(StoryId(1), &patch, t0()).unwrap();
    assert!(b.get(StoryId(1)).unwrap().labels.is_empty());
}

#[test]
fn epics_and_goals_added_on_both_sides_are_all_kept() {
    let mut base = backlog_of(1);
    base.add_epic(epic("Booking")).unwrap();
    base.product.goals = vec!["One".into()];
    let mut ours = base.clone();
    let mut theirs = base.clone();
    ours.add_epic(epic("Mobile")).unwrap();
    ours.product.goals.push("Ours".into());
    theirs.add_epic(epic("Payments")).unwrap();
    theirs.product.goals.push("Theirs".into());
    let mut recoloured = theirs.product.epic("Booking").unwrap().clone();
    recoloured.color = EpicColor::Red;
    theirs.update_epic("Booking", recoloured, t0()).unwrap();
    // The same lists whichever side is the file: each side's additions
    // after the base's, the lesser list first.
    for merged in [merge(&base, &ours, &theirs), merge(&base, &theirs, &ours)] {
        assert!(!merged.has_conflicts(), "{:?}", merged.conflicting_product);
        assert_eq!(
            epic_names(&merged.backlog),
            ["Booking", "Mobile", "Payments"]
        );
        assert_eq!(
            merged.backlog.product.epic("Booking").unwrap().color,
            EpicColor::Red
        );
        assert_eq!(merged.backlog.product.goals, ["One", "Ours", "Theirs"]);
    }

    // The same epic changed differently on both sides: the file's stays.
    let mut ours = base.clone();
    let mut mine = ours.product.epic("Booking").unwrap().clone();
    mine.goal = "Ours".into();
    ours.update_epic("Booking", mine, t0()).unwrap();
    let merged = merge(&base, &ours, &theirs);
    assert!(merged.conflicting_product.is_some());
    assert_eq!(merged.backlog.product.epic("Booking").unwrap().goal, "");
}

#[test]
fn titles_are_at_most_255_characters_but_longer_old_ones_still_load() {
    let long = |n: usize| "é".repeat(n);
    let mut b = backlog_of(1);
    let before = b.clone();
    let too_long = ModelError::TitleTooLong { length: 256 };
    assert!(too_long.to_string().contains("at most 255 characters"));
    assert_eq!(
        b.add(&StoryPatch::title(long(256)), Placement::Bottom, t0()),
        Err(too_long.clone())
    );
    assert_eq!(
        b.edit(StoryId(1), &StoryPatch::title(long(256)), t0()),
        Err(too_long.clone())
    );
    assert_eq!(
        b.split(StoryId(1), &long(256), &[], t0()),
        Err(too_long.clone())
    );
    assert_eq!(b, before, "nothing changed");
    // Spaces around it are not counted; 255 characters are fine.
    let id = b
        .add(
            &StoryPatch::title(format!("  {}  ", long(255))),
            Placement::Bottom,
            t0(),
        )
        .unwrap();
    assert_eq!(b.get(id).unwrap().title, long(255));

    // A file from before the limit keeps its long title, and the story can
    // still be edited, even with the whole title given again as it is (a
    // story document always gives it).
    let mut story = Story::new(StoryId(1), Rank::first(), long(300), t0());
    story.description = "Old".into();
    let mut old = Backlog::from_parts(Product::default(), 2, vec![story]).unwrap();
    let patch = StoryPatch {
        title: Some(long(300)),
        description: Some("New".into()),
        ..StoryPatch::default()
    };
    old.edit(StoryId(1), &patch, t0()).unwrap();
    assert_eq!(old.get(StoryId(1)).unwrap().description, "New");
    // A new long title is refused there too.
    assert_eq!(
        old.edit(StoryId(1), &StoryPatch::title(long(299)), t0()),
        Err(ModelError::TitleTooLong { length: 299 })
    );
}

#[test]
fn an_imported_long_title_is_cut_at_a_word_and_the_rest_opens_the_description() {
    // Short titles and descriptions pass as they are.
    assert_eq!(
        fit_title("Pay by card", "Any card"),
        ("Pay by card".to_string(), "Any card".to_string())
    );
    // Words of five letters and a space: the cut falls on the last space
    // at or before the 255th character.
    let words = vec!["word5"; 100].join(" ");
    let (title, description) = fit_title(&words, "The details.");
    assert_eq!(title.chars().count(), 251);
    assert!(title.ends_with("word5"));
    let rest = description.strip_suffix("\n\nThe details.").unwrap();
    assert_eq!(format!("{title} {rest}"), words, "nothing is lost");
    // A space right after the 255th character keeps 255.
    let exact = format!("{} tail", "x".repeat(255));
    assert_eq!(fit_title(&exact, ""), ("x".repeat(255), "tail".to_string()));
    // One word longer than the limit is cut at the limit itself.
    let (title, description) = fit_title(&"ü".repeat(300), "");
    assert_eq!(title, "ü".repeat(255));
    assert_eq!(description, "ü".repeat(45));
    // A cut never parts a letter from its accent, nor an emoji sequence.
    let accent = format!("{}e\u{301}y", "x".repeat(254));
    let (title, description) = fit_title(&accent, "");
    assert_eq!(title, "x".repeat(254));
    assert_eq!(description, "e\u{301}y");
    let family = "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}";
    let emoji = format!("{}{family}", "x".repeat(253));
    let (title, description) = fit_title(&emoji, "");
    assert_eq!(
        (title.as_str(), description.as_str()),
        (&*"x".repeat(253), family)
    );
    // One letter under more marks than the limit can only be cut at it.
    let marked = format!("a{}", "\u{301}".repeat(300));
    assert_eq!(fit_title(&marked, "").0.chars().count(), MAX_TITLE_LENGTH);
    // Whatever comes in, the title fits.
    for n in [0, 1, 254, 255, 256, 600] {
        let text = "ab c".repeat(n);
        let (title, _) = fit_title(&text, "");
        assert!(title.chars().count() <= MAX_TITLE_LENGTH, "{n}");
    }
}

/// A patch that puts a story in `name`, creating it when `new` says so.
fn into_epic(name: &str, new: bool) -> StoryPatch {
    StoryPatch {
        epic: Some(Some(name.into())),
        new_epic: new,
        ..StoryPatch::default()
    }
}

#[test]
fn epic_names_match_without_case_and_an_unknown_one_is_made_only_when_asked() {
    let mut b = backlog_of(3);
    b.add_epic(epic("Billing")).unwrap();
    // Any spelling finds the epic, and the story takes the epic's own.
    b.edit(StoryId(1), &into_epic("billing", false), t0())
        .unwrap();
    assert_eq!(b.get(StoryId(1)).unwrap().epic.as_deref(), Some("Billing"));
    let id = b
        .add(
            &StoryPatch {
                title: Some("New".into()),
                ..into_epic("BILLING", true)
            },
            Placement::Bottom,
            t0(),
        )
        .unwrap();
    assert_eq!(b.get(id).unwrap().epic.as_deref(), Some("Billing"));
    assert_eq!(epic_names(&b), ["Billing"]);
    assert_eq!(b.product.epic("bILLING").unwrap().name, "Billing");
    assert_eq!(b.epic_size("billing").0, 2);
    assert_eq!(b.epic_stories("BILLING"), [StoryId(1), id]);

    // An epic that does not exist is refused, unless asked for.
    let before = b.clone();
    assert_eq!(
        b.edit(StoryId(2), &into_epic("Bilings", false), t0()),
        Err(ModelError::UnknownEpic("Bilings".into()))
    );
    let new_story = StoryPatch {
        title: Some("x".into()),
        ..into_epic("Bilings", false)
    };
    assert_eq!(
        b.add(&new_story, Placement::Bottom, t0()),
        Err(ModelError::UnknownEpic("Bilings".into()))
    );
    assert_eq!(b, before);
    b.edit(StoryId(2), &into_epic("Search", true), t0())
        .unwrap();
    assert_eq!(epic_names(&b), ["Billing", "Search"]);

    // Adding or renaming to a name taken in another case is refused, and
    // the message names the epic there is.
    let before = b.clone();
    assert_eq!(
        b.add_epic(epic("BILLING")),
        Err(ModelError::DuplicateEpic("Billing".into()))
    );
    assert_eq!(
        b.update_epic("search", epic("billing"), t0()),
        Err(ModelError::DuplicateEpic("Billing".into()))
    );
    assert_eq!(b, before);
    // A change of case alone is a rename, carried to the stories.
    b.update_epic("billing", epic("BILLING"), t0()).unwrap();
    assert_eq!(epic_names(&b), ["BILLING", "Search"]);
    assert_eq!(b.get(StoryId(1)).unwrap().epic.as_deref(), Some("BILLING"));
    // Removing and moving to, by any spelling.
    b.remove_epic("search", &EpicStories::MoveTo("billing".into()), t0())
        .unwrap();
    assert_eq!(epic_names(&b), ["BILLING"]);
    assert_eq!(b.get(StoryId(2)).unwrap().epic.as_deref(), Some("BILLING"));
    assert_eq!(
        b.remove_epic("Billing", &EpicStories::MoveTo("BILLING".into()), t0()),
        Err(ModelError::MoveToItself("BILLING".into()))
    );
}

#[test]
fn epics_spelled_twice_in_an_old_file_are_folded_into_one() {
    let mut billing = epic("Billing");
    billing.color = EpicColor::Magenta;
    let mut second = epic("billing");
    second.goal = "Pay at the desk".into();
    second.target_release = Some("1.1".into());
    let product = Product {
        epics: vec![billing, epic("Booking"), second],
        ..Product::default()
    };
    let mut stories = Vec::new();
    for (id, name) in [
        (1, "billing"),
        (2, "Billing"),
        (3, "BILLING"),
        (4, "booking"),
    ] {
        let mut story = Story::new(StoryId(id), Rank::first(), "s", t0());
        story.epic = Some(name.into());
        stories.push(story);
    }
    let b = Backlog::from_parts(product, 5, stories).unwrap();
    assert_eq!(epic_names(&b), ["Billing", "Booking"]);
    let kept = b.product.epic("Billing").unwrap();
    assert_eq!(kept.color, EpicColor::Magenta, "the first one's colour");
    assert_eq!(kept.goal, "Pay at the desk", "what only the other had");
    assert_eq!(kept.target_release.as_deref(), Some("1.1"));
    let names: Vec<_> = b.ranked().map(|s| s.epic.clone().unwrap()).collect();
    assert_eq!(names, ["Billing", "Billing", "Billing", "Booking"]);
}

#[test]
fn folding_an_old_file_keeps_every_goal_and_release_and_says_what_it_did() {
    let billing = Epic {
        goal: "Customers pay online".into(),
        target_release: Some("1.0".into()),
        color: EpicColor::Blue,
        ..epic("Billing")
    };
    let second = Epic {
        goal: "Invoices by post".into(),
        target_release: Some("2.0".into()),
        color: EpicColor::Red,
        ..epic("billing")
    };
    let product = Product {
        epics: vec![billing, second],
        ..Product::default()
    };
    let mut stories = Vec::new();
    for (id, epic, labels) in [
        (1, "Billing", vec!["#UX"]),
        (2, "billing", vec!["ux", "#"]),
        (3, "billing", vec!["Ux"]),
    ] {
        let mut story = Story::new(StoryId(id), Rank::first(), "s", t0());
        story.epic = Some(epic.into());
        story.labels = labels.into_iter().map(String::from).collect();
        stories.push(story);
    }
    let b = Backlog::from_parts(product, 4, stories).unwrap();
    assert_eq!(epic_names(&b), ["Billing"]);
    let kept = b.product.epic("Billing").unwrap();
    assert_eq!(kept.color, EpicColor::Blue);
    assert_eq!(kept.target_release.as_deref(), Some("1.0"));
    assert_eq!(
        kept.goal,
        "Customers pay online [as \"billing\": Invoices by post; also targeted release 2.0]"
    );
    for id in 1..=3 {
        let story = b.get(StoryId(id)).unwrap();
        assert_eq!(story.epic.as_deref(), Some("Billing"));
        assert_eq!(story.labels, ["UX"], "S-{id}");
    }
    let notes = b.folded().join("\n");
    assert_eq!(b.folded().len(), 3, "{notes}");
    for said in [
        "epics \"Billing\" and \"billing\" differ only by case",
        "its 2 stories join \"Billing\"",
        "its goal is added to the goal",
        "its target release, 2.0, is noted in the goal (the target stays 1.0)",
        "its colour, red, gives way to blue",
        "label \"UX\" is one label whatever its case or a leading #, so \
         \"#UX\" (on S-1), \"ux\" (on S-2), \"Ux\" (on S-3) are written \"UX\" now",
        "a label with no name is dropped: \"#\" (on S-2)",
    ] {
        assert!(notes.contains(said), "{said:?} not in:\n{notes}");
    }
    // Written out and read again, the file holds nothing more to fold.
    let again = Backlog::from_parts(b.product.clone(), 4, b.stories_by_id().to_vec()).unwrap();
    assert!(again.folded().is_empty(), "{:?}", again.folded());
    assert_eq!(again, b);
}

#[test]
fn epics_and_labels_compare_names_with_one_key() {
    // Capital sigma lowercases to a final sigma at the end of a word, and
    // to a plain one elsewhere: both are one letter.
    let (capitals, final_sigma, plain_sigma) = ("ΟΔΟΣ", "οδος", "οδοσ");
    for (a, b) in [
        (capitals, final_sigma),
        (capitals, plain_sigma),
        (final_sigma, plain_sigma),
    ] {
        assert!(same_name(a, b), "{a} {b}");
        assert_eq!(name_key(a), name_key(b), "{a} {b}");
    }
    let mut stories = Vec::new();
    for (id, label) in [(1, capitals), (2, final_sigma), (3, plain_sigma)] {
        let mut story = Story::new(StoryId(id), Rank::first(), "s", t0());
        story.labels = vec![label.into()];
        story.epic = Some(label.into());
        stories.push(story);
    }
    let b = Backlog::from_parts(Product::default(), 4, stories).unwrap();
    assert_eq!(epic_names(&b), [capitals]);
    for story in b.stories_by_id() {
        assert_eq!(story.labels, [capitals]);
        assert_eq!(story.epic.as_deref(), Some(capitals));
    }
}

#[test]
fn a_story_put_back_spells_its_epic_as_the_epic_is_spelled_now() {
    let mut b = backlog_of(2);
    b.edit(StoryId(1), &into_epic("Billing", true), t0())
        .unwrap();
    let older = Arc::clone(b.get_arc(StoryId(1)).unwrap());
    b.update_epic("billing", epic("BILLING"), t0()).unwrap();
    // Undo or redo puts back a copy from before the rename.
    b.put(older);
    assert_eq!(b.get(StoryId(1)).unwrap().epic.as_deref(), Some("BILLING"));
    assert_eq!(epic_names(&b), ["BILLING"]);
    // And a story new to the backlog, spelled another way.
    let mut new = Story::new(StoryId(7), Rank::first(), "New", t0());
    new.epic = Some("billing".into());
    b.put(Arc::new(new));
    assert_eq!(b.get(StoryId(7)).unwrap().epic.as_deref(), Some("BILLING"));
    assert_eq!(epic_names(&b), ["BILLING"]);
}

#[test]
fn undoing_a_rename_in_another_case_puts_back_the_old_spelling_everywhere() {
    let mut b = backlog_of(2);
    b.edit(StoryId(1), &into_epic("Billing", true), t0())
        .unwrap();
    let start = b.clone();
    let mut history = History::new(HISTORY_LIMIT);
    let before = Snapshot::take(&b, &b.epic_stories("Billing"), true);
    b.update_epic("Billing", epic("BILLING"), t0()).unwrap();
    history.record("rename", t0(), before, &b);
    let renamed = b.clone();
    history.undo(&mut b).unwrap();
    assert_eq!(b, start);
    assert_eq!(b.get(StoryId(1)).unwrap().epic.as_deref(), Some("Billing"));
    history.redo(&mut b).unwrap();
    assert_eq!(b, renamed);
    assert_eq!(b.get(StoryId(1)).unwrap().epic.as_deref(), Some("BILLING"));
}

#[test]
fn epics_added_on_both_sides_in_different_cases_merge_into_one() {
    let base = backlog_of(2);
    let mut ours = base.clone();
    ours.edit(StoryId(1), &into_epic("billing", true), t0())
        .unwrap();
    let mut theirs = base.clone();
    theirs
        .edit(StoryId(2), &into_epic("Billing", true), t0())
        .unwrap();
    let merged = merge(&base, &ours, &theirs);
    // Both added the same epic: no clash, though they spelled it apart.
    assert!(!merged.has_conflicts(), "{:?}", merged.conflicting_product);
    let merged = merged.backlog;
    assert_eq!(epic_names(&merged), ["Billing"]);
    for id in [1, 2] {
        assert_eq!(
            merged.get(StoryId(id)).unwrap().epic.as_deref(),
            Some("Billing")
        );
    }
}

#[test]
fn a_new_epic_gets_a_colour_no_epic_has_while_there_is_one() {
    let mut b = backlog_of(1);
    let colors =
        |b: &Backlog| -> Vec<EpicColor> { b.product.epics.iter().map(|e| e.color).collect() };
    for i in 0..6 {
        let color = b.product.next_color();
        assert!(
            !colors(&b).contains(&color),
            "epic {i} took a colour in use"
        );
        b.add_epic(Epic {
            color,
            ..epic(&format!("E{i}"))
        })
        .unwrap();
    }
    // Past six, each colour is used once more before any is used a third
    // time.
    for i in 6..12 {
        let color = b.product.next_color();
        let uses = colors(&b).iter().filter(|c| **c == color).count();
        assert_eq!(uses, 1, "epic {i} took a colour used {uses} times");
        b.add_epic(Epic {
            color,
            ..epic(&format!("E{i}"))
        })
        .unwrap();
    }

    // Two writers each adding an epic at once both picked the first free
    // colour: the one whose name sorts later takes another free one,
    // whichever side is the file.
    let base = backlog_of(1);
    let mut ours = base.clone();
    ours.edit(StoryId(1), &into_epic("Ours", true), t0())
        .unwrap();
    let mut theirs = base.clone();
    theirs
        .add_epic(Epic {
            color: theirs.product.next_color(),
            ..epic("Theirs")
        })
        .unwrap();
    let merged = merge(&base, &ours, &theirs).backlog;
    let colours = colors(&merged);
    assert_eq!(colours.len(), 2);
    assert_ne!(colours[0], colours[1], "{colours:?}");
    let other_way = merge(&base, &theirs, &ours).backlog;
    assert_eq!(merged.product.epics, other_way.product.epics);
}

#[test]
fn labels_have_one_spelling_without_a_hash_whatever_the_case() {
    let mut b = backlog_of(3);
    let labels = |b: &Backlog, id: u64| b.get(StoryId(id)).unwrap().labels.clone();
    let add = |labels: &[&str]| StoryPatch {
        add_labels: labels.iter().map(|l| (*l).to_string()).collect(),
        ..StoryPatch::default()
    };
    b.edit(
        StoryId(1),
        &add(&["#ux", "UX", "ux", "##Mobile", "#"]),
        t0(),
    )
    .unwrap();
    assert_eq!(labels(&b, 1), ["ux", "Mobile"]);
    // Another story takes the spelling the backlog already uses.
    b.edit(StoryId(2), &add(&["#UX", "mobile"]), t0()).unwrap();
    assert_eq!(labels(&b, 2), ["ux", "Mobile"]);
    // Removing, in any spelling.
    let remove = StoryPatch {
        remove_labels: vec!["#MOBILE".into()],
        ..StoryPatch::default()
    };
    b.edit(StoryId(2), &remove, t0()).unwrap();
    assert_eq!(labels(&b, 2), ["ux"]);
    let replace = StoryPatch {
        labels: Some(vec!["#a, A, b".into()]),
        ..StoryPatch::default()
    };
    b.edit(StoryId(3), &replace, t0()).unwrap();
    assert_eq!(labels(&b, 3), ["a", "b"]);

    // An old file with both spellings loads folded: the first spelling
    // seen, in id order, for every story.
    let mut stories = Vec::new();
    for (id, spelled) in [(1, vec!["#ux", "ux"]), (2, vec!["UX", "x"]), (3, vec!["y"])] {
        let mut story = Story::new(StoryId(id), Rank::first(), "s", t0());
        story.labels = spelled.into_iter().map(String::from).collect();
        stories.push(story);
    }
    let old = Backlog::from_parts(Product::default(), 4, stories).unwrap();
    assert_eq!(labels(&old, 1), ["ux"]);
    assert_eq!(labels(&old, 2), ["ux", "x"]);
    assert_eq!(labels(&old, 3), ["y"]);
    // A story whose labels were fine is the same allocation as before.
    let arc3 = old.get_arc(StoryId(3)).unwrap().clone();
    let again = Backlog::from_parts(Product::default(), 4, old.stories_by_id().to_vec()).unwrap();
    assert!(Arc::ptr_eq(again.get_arc(StoryId(3)).unwrap(), &arc3));
}

/// Stories S-1 to S-`n`, ranked in id order, each as `shape` makes it
/// from its number.
fn stories_shaped(n: u64, shape: impl Fn(u64, &mut Story)) -> Vec<Story> {
    (1..=n)
        .zip(Rank::spread(usize::try_from(n).unwrap()))
        .map(|(id, rank)| {
            let mut story = Story::new(StoryId(id), rank, "s", t0());
            shape(id, &mut story);
            story
        })
        .collect()
}

/// Stories S-1 to S-`n` ranked in id order by spread keys, as a generated
/// or imported backlog has them.
fn spread_backlog(n: usize) -> Backlog {
    let stories = stories_shaped(n as u64, |_, _| {});
    Backlog::from_parts(Product::default(), n as u64 + 1, stories).unwrap()
}

/// How long reading `stories` into a backlog takes, and the backlog.
fn timed_from_parts(product: Product, stories: Vec<Story>) -> (std::time::Duration, Backlog) {
    let next = stories.len() as u64 + 1;
    let start = std::time::Instant::now();
    let b = Backlog::from_parts(product, next, stories).unwrap();
    (start.elapsed(), b)
}

/// Reading an old file folds its labels in one pass: 20,000 labels each
/// spelled with a `#` took seconds when each was looked up in a list of
/// the others, on every command that read the file. Time on a shared
/// machine is noisy, so the bound is generous: the quadratic folding took
/// far longer than it in a debug build, the linear one a small part of it.
#[test]
fn folding_many_labels_is_linear_and_tells_a_few_then_how_many_more() {
    let stories = stories_shaped(20_000, |id, story| {
        story.labels = vec![format!("#l{id}")];
    });
    let (took, b) = timed_from_parts(Product::default(), stories);
    assert!(took < std::time::Duration::from_secs(3), "took {took:?}");
    assert_eq!(b.get(StoryId(7)).unwrap().labels, ["l7"]);
    let notes = b.folded();
    assert_eq!(notes.len(), 6, "{notes:#?}");
    assert_eq!(
        notes[0],
        "label \"l1\" is one label whatever its case or a leading #, \
         so \"#l1\" (on S-1) is written \"l1\" now"
    );
    assert_eq!(notes[5], "and 19995 more labels lost their leading #");

    // Of a few more, told apart by what became of them.
    let stories = stories_shaped(8, |id, story| {
        story.labels = match id {
            1..=5 => vec![format!("#l{id}")],
            6 => vec!["#x".into()],
            _ => vec!["Y".into(), "y".into(), "#z".into()],
        };
    });
    let b = Backlog::from_parts(Product::default(), 9, stories).unwrap();
    let notes = b.folded();
    assert_eq!(notes.len(), 6, "{notes:#?}");
    assert_eq!(
        notes[5],
        "and 2 more labels lost their leading #, and 1 more label took its first spelling"
    );
}

/// Epics told apart only by case fold likewise: many of them cost one
/// pass, and are told of a few at a time.
#[test]
fn folding_many_epics_is_linear_and_tells_a_few_then_how_many_more() {
    let product = Product {
        epics: (1..=2_000)
            .flat_map(|i| [epic(&format!("E{i}")), epic(&format!("e{i}"))])
            .collect(),
        ..Product::default()
    };
    // A third of the stories name a folded epic, a third new epics, and
    // a third those new epics in capitals.
    let stories = stories_shaped(20_000, |id, story| {
        story.epic = Some(match id % 3 {
            0 => format!("e{}", id % 2_000 + 1),
            1 => format!("new {id}"),
            _ => format!("NEW {}", id - 1),
        });
    });
    let (took, b) = timed_from_parts(product, stories);
    assert!(took < std::time::Duration::from_secs(3), "took {took:?}");
    assert_eq!(b.product.epics.len(), 2_000 + 6_667);
    assert_eq!(b.get(StoryId(2)).unwrap().epic.as_deref(), Some("new 1"));
    assert_eq!(b.get(StoryId(3)).unwrap().epic.as_deref(), Some("E4"));
    let notes = b.folded();
    assert_eq!(notes.len(), 12, "{notes:#?}");
    assert!(notes[0].starts_with("epics \"E1\" and \"e1\" differ only by case"));
    assert_eq!(
        notes[5],
        "and 1995 more epics folded likewise into an epic whose name differs only by case"
    );
    assert_eq!(
        notes[6],
        "1 story named epic \"NEW 1\", which is spelled \"new 1\", and now spells it so"
    );
    assert_eq!(
        notes[11],
        "and the stories of 6662 more epics now spell their names as they are spelled"
    );
}

#[test]
fn a_folded_epic_tells_of_its_story_in_the_singular() {
    let product = Product {
        epics: vec![
            epic("Billing"),
            epic("billing"),
            epic("Booking"),
            epic("booking"),
        ],
        ..Product::default()
    };
    let stories = stories_shaped(3, |id, story| {
        story.epic = Some(if id == 1 { "billing" } else { "booking" }.into());
    });
    let b = Backlog::from_parts(product, 4, stories).unwrap();
    let notes = b.folded().join("\n");
    assert!(
        notes.contains("(\"billing\": its story joins \"Billing\")"),
        "{notes}"
    );
    assert!(
        notes.contains("(\"booking\": its 2 stories join \"Booking\")"),
        "{notes}"
    );
}

/// A change [`Backlog::totals`] must follow.
#[derive(Clone, Debug)]
enum Counted {
    Add(Option<u8>, u8),
    Estimate(usize, Option<u8>),
    Status(usize, u8),
    Remove(usize),
    PutBack,
}

fn counted() -> impl Strategy<Value = Counted> {
    let points = prop::option::of(0u8..6);
    let status = 0u8..5;
    prop_oneof![
        (points.clone(), status.clone()).prop_map(|(p, s)| Counted::Add(p, s)),
        (any::<usize>(), points).prop_map(|(i, p)| Counted::Estimate(i, p)),
        (any::<usize>(), status).prop_map(|(i, s)| Counted::Status(i, s)),
        any::<usize>().prop_map(Counted::Remove),
        Just(Counted::PutBack),
    ]
}

proptest! {
    #[test]
    fn totals_kept_change_by_change_are_what_adding_up_gives(
        changes in prop::collection::vec(counted(), 0..40),
    ) {
        // Half points too, which add exactly, as whole ones do.
        let value = |p: u8| pts(f64::from(p) / 2.0 + 0.5);
        let status = |s: u8| Status::ALL[usize::from(s)];
        let mut b = Backlog::new("Totals");
        b.product.settings.ready.estimated = false;
        b.product.settings.ready.user_story = false;
        b.product.settings.ready.acceptance_criteria = false;
        let mut removed = Vec::new();
        for change in changes {
            let pick = |b: &Backlog, i: usize| (!b.is_empty()).then(|| b.at(i % b.len()).unwrap().id);
            match change {
                Counted::Add(p, s) => {
                    let patch = StoryPatch {
                        points: Some(p.map(value)),
                        status: Some(status(s)),
                        ..StoryPatch::title("Story")
                    };
                    b.add(&patch, Placement::Bottom, t0()).unwrap();
                }
                Counted::Estimate(i, p) => {
                    if let Some(id) = pick(&b, i) {
                        let patch = StoryPatch { points: Some(p.map(value)), ..StoryPatch::default() };
                        b.edit(id, &patch, t0()).unwrap();
                    }
                }
                Counted::Status(i, s) => {
                    if let Some(id) = pick(&b, i) {
                        let patch = StoryPatch { status: Some(status(s)), ..StoryPatch::default() };
                        b.edit(id, &patch, t0()).unwrap();
                    }
                }
                Counted::Remove(i) => {
                    if let Some(id) = pick(&b, i) {
                        removed.push(b.remove(id).unwrap());
                    }
                }
                Counted::PutBack => {
                    if let Some(story) = removed.pop() {
                        b.put(story);
                    }
                }
            }
            let added_up: Totals = b.ranked().map(Totals::of).sum();
            prop_assert_eq!(b.totals(), added_up);
        }
    }
}

mod comments;
mod feedback;
mod links;
proptest! {
    /// The quick test prioritisation asks of every story says what the
    /// full list of reasons says.
    #[test]
    fn is_ready_agrees_with_what_is_missing(
        rules in (any::<[bool; 5]>(), 1u8..21),
        parts in any::<[bool; 3]>(),
        criteria in 0usize..2,
        points in prop::option::of(1u8..21),
        question in any::<bool>(),
    ) {
        let ([user_story, acceptance_criteria, estimated, small_enough, no_open_questions], max) = rules;
        let rules = ReadyRules {
            user_story,
            acceptance_criteria,
            estimated,
            small_enough,
            max_points: Points::new(f64::from(max)).unwrap(),
            no_open_questions,
        };
        let mut story = Story::new(StoryId(1), Rank::first(), "s", t0());
        let text = |on: bool| if on { "x".to_string() } else { " ".to_string() };
        story.as_a = text(parts[0]);
        story.i_want = text(parts[1]);
        story.so_that = text(parts[2]);
        story.acceptance_criteria = (0..criteria)
            .map(|_| Criterion { text: "c".into(), done: false })
            .collect();
        story.points = points.map(|p| Points::new(f64::from(p)).unwrap());
        if question {
            story.comments.push(Comment {
                at: t0(),
                author: "a".into(),
                text: "?".into(),
                question: true,
                resolved: None,
                decision: false,
                answer: None,
                edited: None,
            });
        }
        prop_assert_eq!(ready::is_ready(&story, &rules), ready::missing(&story, &rules).is_empty());
    }
}

mod merging;
mod moving_together;
mod plan;
mod rank_keys;
mod release_lines;
