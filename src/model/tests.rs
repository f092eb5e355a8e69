use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;

use super::*;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap()
}

fn backlog_of(n: usize) -> Backlog {
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
fn renaming_an_epic_carries_to_its_stories_and_adds_no_other_epic() {
    let mut b = backlog_of(3);
    let in_checkout = StoryPatch {
        epic: Some(Some("Checkout".into())),
        ..StoryPatch::default()
    };
    b.edit(StoryId(1), &in_checkout, t0()).unwrap();
    b.edit(StoryId(3), &in_checkout, t0()).unwrap();
    let mut epic = b.product.epic("Checkout").unwrap().clone();
    epic.name = "Payments".into();
    b.update_epic("Checkout", epic, t0()).unwrap();
    let names: Vec<&str> = b.product.epics.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Payments"]);
    assert_eq!(b.epic_size("Payments").0, 2);
    assert_eq!(b.epic_size("Checkout").0, 0);
}
