//! Moving a set of stories together, as the visual selection will: one
//! change, the stories in their own order, short keys.

use std::collections::HashSet;

use proptest::prelude::*;

use super::*;
use crate::model::History;
use crate::model::Snapshot;

fn sids(ids: &[u64]) -> Vec<StoryId> {
    ids.iter().copied().map(StoryId).collect()
}

/// The same move on a plain `Vec` of ids: the stories in their order,
/// taken out, and put back together at the place.
fn moved_in_vec(v: &[u64], ids: &[u64], to: Destination) -> Vec<u64> {
    let moving: HashSet<u64> = ids.iter().copied().collect();
    let block: Vec<u64> = v.iter().copied().filter(|id| moving.contains(id)).collect();
    let mut rest: Vec<u64> = v
        .iter()
        .copied()
        .filter(|id| !moving.contains(id))
        .collect();
    let at = match to {
        Destination::Top => 0,
        Destination::Bottom => rest.len(),
        Destination::Before(anchor) => rest.iter().position(|&id| id == anchor.0).unwrap(),
        Destination::After(anchor) => rest.iter().position(|&id| id == anchor.0).unwrap() + 1,
    };
    rest.splice(at..at, block);
    rest
}

#[test]
fn stories_move_together_in_their_own_order_wherever_they_are_named() {
    let mut b = backlog_of(8);
    let positions = b
        .move_stories(&sids(&[7, 2, 5, 2]), Destination::Top)
        .unwrap();
    assert_eq!(positions, 0..3);
    assert_eq!(ids(&b), [2, 5, 7, 1, 3, 4, 6, 8]);
    b.move_stories(&sids(&[1, 5]), Destination::Bottom).unwrap();
    assert_eq!(ids(&b), [2, 7, 3, 4, 6, 8, 5, 1]);
    let positions = b
        .move_stories(&sids(&[8, 2]), Destination::After(StoryId(4)))
        .unwrap();
    assert_eq!(ids(&b), [7, 3, 4, 2, 8, 6, 5, 1]);
    assert_eq!(positions, 3..5);
    b.move_stories(&sids(&[5, 7]), Destination::Before(StoryId(3)))
        .unwrap();
    assert_eq!(ids(&b), [7, 5, 3, 4, 2, 8, 6, 1]);
    let keys = ranks(&b);
    assert!(keys.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn a_bulk_move_that_cannot_be_done_changes_nothing() {
    let mut b = backlog_of(4);
    let start = b.clone();
    assert_eq!(
        b.move_stories(&sids(&[1, 9]), Destination::Top),
        Err(ModelError::UnknownStory(StoryId(9)))
    );
    assert_eq!(
        b.move_stories(&sids(&[1]), Destination::After(StoryId(9))),
        Err(ModelError::UnknownStory(StoryId(9)))
    );
    assert_eq!(
        b.move_stories(&sids(&[1, 3]), Destination::Before(StoryId(3))),
        Err(ModelError::RelativeToItself(StoryId(3)))
    );
    assert_eq!(b, start);
    // Stories already where they are asked to go: nothing to change.
    assert_eq!(b.move_stories(&sids(&[2, 1]), Destination::Top), Ok(0..2));
    assert_eq!(b.move_stories(&[], Destination::Bottom), Ok(4..4));
    assert_eq!(b, start);
    assert!(
        b.rekeyed_by_moving(&sids(&[1, 2]), Destination::Top)
            .is_empty()
    );
}

#[test]
fn a_thousand_scattered_stories_go_to_the_top_with_short_keys_and_no_one_else_changes() {
    let mut b = spread_backlog(10_000);
    let start = b.clone();
    let scattered: Vec<StoryId> = (1..=1_000).map(|i| StoryId(i * 10 - 3)).collect();
    let expected = moved_in_vec(
        &ids(&b),
        &scattered.iter().map(|s| s.0).collect::<Vec<_>>(),
        Destination::Top,
    );
    assert_eq!(
        b.rekeyed_by_moving(&scattered, Destination::Top).len(),
        1_000
    );
    b.move_stories(&scattered, Destination::Top).unwrap();
    assert_eq!(ids(&b), expected);
    let moving: HashSet<StoryId> = scattered.iter().copied().collect();
    for (was, now) in start.stories_by_id().iter().zip(b.stories_by_id()) {
        if moving.contains(&was.id) {
            // The top story's key is 1/10,001 of the way through the key
            // space: a thousand keys above it take five bytes.
            assert!(now.rank.size() <= 5, "{}: {}", now.id, now.rank);
        } else {
            assert!(Arc::ptr_eq(was, now), "{} changed", was.id);
        }
    }
}

#[test]
fn a_bulk_move_is_one_undo_step_that_puts_back_every_key() {
    let mut b = spread_backlog(50);
    let start = b.clone();
    let mut h = History::default();
    let moving = sids(&[40, 3, 17, 29]);
    let to = Destination::After(StoryId(1));
    let before = Snapshot::take(&b, &b.rekeyed_by_moving(&moving, to), false);
    b.move_stories(&moving, to).unwrap();
    assert!(h.record("move 4 stories", t0(), before, &b));
    let moved = b.clone();
    assert_eq!(h.undo_len(), 1);
    h.undo(&mut b).unwrap();
    assert_eq!(b, start, "every key as it was");
    h.redo(&mut b).unwrap();
    assert_eq!(b, moved);
}

#[test]
fn a_block_moved_into_a_crowded_gap_respreads_the_crowd_with_it() {
    let mut b = backlog_of(6);
    // Rotate stories 2 and 3 until the gap after story 1 is crowded.
    for step in 0..40_u32 {
        let id = if step.is_multiple_of(2) { 2 } else { 3 };
        b.move_story(StoryId(id), Move::After(StoryId(1))).unwrap();
    }
    let crowded = b.get(StoryId(3)).unwrap().rank.size();
    let moving = sids(&[6, 5, 4]);
    let to = Destination::After(StoryId(b.at(1).unwrap().id.0));
    let expected = moved_in_vec(&ids(&b), &[4, 5, 6], to);
    let rekeyed = b.rekeyed_by_moving(&moving, to);
    b.move_stories(&moving, to).unwrap();
    assert_eq!(ids(&b), expected);
    assert!(ranks(&b).windows(2).all(|w| w[0] < w[1]));
    assert!(
        b.ranked().all(|s| s.rank.size() <= crate::rank::LONGEST),
        "{crowded}"
    );
    assert!(rekeyed.len() >= 3);
}

proptest! {
    #[test]
    fn any_bulk_move_matches_a_vec(
        n in 1usize..30,
        moves in prop::collection::vec(
            (prop::collection::vec(any::<usize>(), 0..8), 0u8..4, any::<usize>()),
            1..40,
        ),
    ) {
        let mut b = backlog_of(n);
        let mut h = History::default();
        let mut states = vec![b.clone()];
        for (picks, kind, anchor) in moves {
            let order = ids(&b);
            let chosen: Vec<u64> = picks.iter().map(|i| order[i % n]).collect();
            let anchor = StoryId(order[anchor % n]);
            let to = match kind {
                0 => Destination::Top,
                1 => Destination::Bottom,
                2 => Destination::Before(anchor),
                _ => Destination::After(anchor),
            };
            let stories = sids(&chosen);
            let rekeyed = b.rekeyed_by_moving(&stories, to);
            let before = Snapshot::take(&b, &rekeyed, false);
            let was = b.clone();
            match b.move_stories(&stories, to) {
                Ok(positions) => {
                    let expected = moved_in_vec(&order, &chosen, to);
                    prop_assert_eq!(ids(&b), expected);
                    let block: HashSet<u64> = chosen.iter().copied().collect();
                    prop_assert_eq!(positions.len(), block.len());
                    prop_assert!(b.ranked().skip(positions.start).take(positions.len()).all(|s| block.contains(&s.id.0)));
                }
                Err(error) => {
                    prop_assert_eq!(error, ModelError::RelativeToItself(anchor));
                    prop_assert_eq!(&b, &was);
                }
            }
            prop_assert!(ranks(&b).windows(2).all(|w| w[0] < w[1]));
            for (then, now) in was.stories_by_id().iter().zip(b.stories_by_id()) {
                prop_assert!(then.rank == now.rank || rekeyed.contains(&now.id), "{} not said", now.id);
            }
            if h.record("move", t0(), before, &b) {
                states.push(b.clone());
            }
        }
        for state in states.iter().rev().skip(1) {
            h.undo(&mut b).unwrap();
            prop_assert_eq!(&b, state);
        }
    }
}

#[test]
fn marked_stories_are_edited_together_all_or_none() {
    let mut b = backlog_of(5);
    let mut h = History::default();
    let start = b.clone();
    let estimate = |points: f64| StoryPatch {
        points: Some(Some(pts(points))),
        ..StoryPatch::default()
    };
    let edits = vec![(StoryId(2), estimate(3.0)), (StoryId(4), estimate(5.0))];
    let (result, before) = b.watched(|b| b.edit_stories(&edits, t0()));
    result.unwrap();
    assert_eq!(b.get(StoryId(2)).unwrap().points, Some(pts(3.0)));
    assert_eq!(b.get(StoryId(4)).unwrap().points, Some(pts(5.0)));
    assert!((b.total_points() - 8.0).abs() < f64::EPSILON);
    assert!(h.record("estimate of 2 stories", t0(), before, &b));
    h.undo(&mut b).unwrap();
    assert_eq!(b, start, "one step undoes them all");

    // One refused (ready, not meeting the Definition of Ready, with no
    // override), none made.
    let ready = StoryPatch {
        status: Some(Status::Ready),
        ..StoryPatch::default()
    };
    let edits = vec![(StoryId(1), estimate(2.0)), (StoryId(3), ready)];
    let refused = b.edit_stories(&edits, t0());
    assert!(matches!(
        refused,
        Err(ModelError::NotReady { id: StoryId(3), .. })
    ));
    assert_eq!(b, start);
    let unknown = vec![(StoryId(1), estimate(2.0)), (StoryId(9), estimate(2.0))];
    assert_eq!(
        b.edit_stories(&unknown, t0()),
        Err(ModelError::UnknownStory(StoryId(9)))
    );
    assert_eq!(b, start);
}

#[test]
fn marked_stories_are_removed_together_in_one_pass_and_come_back_with_one_undo() {
    let mut b = spread_backlog(10);
    let mut h = History::default();
    let start = b.clone();
    let patch = StoryPatch {
        points: Some(Some(pts(2.0))),
        ..StoryPatch::default()
    };
    b.edit(StoryId(4), &patch, t0()).unwrap();
    b.edit(StoryId(6), &patch, t0()).unwrap();
    let estimated = b.clone();
    let (removed, before) = b.watched(|b| b.remove_stories(&sids(&[9, 4, 1, 4])));
    let removed: Vec<u64> = removed.unwrap().iter().map(|s| s.id.0).collect();
    assert_eq!(removed, [1, 4, 9]);
    assert_eq!(ids(&b), [2, 3, 5, 6, 7, 8, 10]);
    assert!((b.total_points() - 2.0).abs() < f64::EPSILON);
    assert_eq!(b.next_id(), 11, "ids are not reused");
    assert!(h.record("delete 3 stories", t0(), before, &b));
    h.undo(&mut b).unwrap();
    assert_eq!(b, estimated);
    assert!(start.ranked().map(|s| s.id).eq(b.ranked().map(|s| s.id)));
    // An unknown story: none removed.
    assert_eq!(
        b.remove_stories(&sids(&[2, 99])),
        Err(ModelError::UnknownStory(StoryId(99)))
    );
    assert_eq!(b, estimated);
}
