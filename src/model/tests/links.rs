//! Stories blocked by others: links checked as they are made, and kept
//! true through deletes, splits and merges.

use super::*;

fn link(b: &mut Backlog, id: u64, blockers: &[u64]) -> Result<(), ModelError> {
    let patch = StoryPatch {
        add_blocked_by: blockers.iter().map(|&n| StoryId(n)).collect(),
        ..StoryPatch::default()
    };
    b.edit(StoryId(id), &patch, t0())
}

fn blocked_by(b: &Backlog, id: u64) -> Vec<u64> {
    b.get(StoryId(id))
        .unwrap()
        .blocked_by
        .iter()
        .map(|s| s.0)
        .collect()
}

#[test]
fn a_loop_is_refused_and_named() {
    let mut b = backlog_of(4);
    link(&mut b, 1, &[2]).unwrap();
    link(&mut b, 2, &[3]).unwrap();
    let was = b.clone();
    let err = link(&mut b, 3, &[1]).unwrap_err();
    assert_eq!(
        err,
        ModelError::DependencyCycle(vec![StoryId(3), StoryId(1), StoryId(2), StoryId(3)])
    );
    assert_eq!(
        err.to_string(),
        "that would make a loop of stories each blocked by the next: S-3 → S-1 → S-2 → S-3"
    );
    assert_eq!(b, was, "nothing changed");
    assert_eq!(
        link(&mut b, 4, &[4]),
        Err(ModelError::BlockedByItself(StoryId(4)))
    );
    assert_eq!(
        link(&mut b, 4, &[9]),
        Err(ModelError::UnknownStory(StoryId(9)))
    );
    // Not a loop: two stories blocked by one.
    link(&mut b, 4, &[3, 2]).unwrap();
    assert_eq!(blocked_by(&b, 4), [3, 2]);
    // Linking twice keeps one link.
    link(&mut b, 4, &[3]).unwrap();
    assert_eq!(blocked_by(&b, 4), [3, 2]);
    assert_eq!(b.blocks(StoryId(3)), [StoryId(2), StoryId(4)]);
}

#[test]
fn a_deleted_story_blocks_nothing_and_undo_brings_its_links_back() {
    let mut b = backlog_of(3);
    link(&mut b, 1, &[2]).unwrap();
    link(&mut b, 3, &[2, 1]).unwrap();
    let (removed, step) = b.watched(|b| b.remove(StoryId(2)));
    removed.unwrap();
    assert_eq!(blocked_by(&b, 1), Vec::<u64>::new());
    assert_eq!(blocked_by(&b, 3), [1]);
    // The stories unlinked are part of the change, so undo puts them back.
    let touched: Vec<StoryId> = step.stories.iter().map(|(id, _)| *id).collect();
    assert!(
        touched.contains(&StoryId(1)) && touched.contains(&StoryId(3)),
        "{touched:?}"
    );

    let mut b = backlog_of(3);
    link(&mut b, 3, &[1, 2]).unwrap();
    b.remove_stories(&[StoryId(1), StoryId(2)]).unwrap();
    assert_eq!(blocked_by(&b, 3), Vec::<u64>::new());
}

#[test]
fn each_half_of_a_split_is_blocked_as_the_whole_was_and_blocks_what_it_blocked() {
    let mut b = backlog_of(3);
    link(&mut b, 2, &[1]).unwrap();
    link(&mut b, 3, &[2]).unwrap();
    let half = b.split(StoryId(2), "The other half", &[], t0()).unwrap();
    assert_eq!(half, StoryId(4));
    assert_eq!(blocked_by(&b, 4), [1]);
    assert_eq!(blocked_by(&b, 2), [1]);
    assert_eq!(blocked_by(&b, 3), [2, 4]);
}

#[test]
fn a_blocker_ranked_below_the_story_it_blocks_is_found_while_open() {
    let mut b = backlog_of(3);
    // S-1 is at the top and waits for S-3 at the bottom.
    link(&mut b, 1, &[3]).unwrap();
    let s1 = b.get(StoryId(1)).unwrap().clone();
    assert_eq!(b.blockers_below(&s1), [StoryId(3)]);
    let done = StoryPatch {
        status: Some(Status::Done),
        ..StoryPatch::default()
    };
    b.edit(StoryId(3), &done, t0()).unwrap();
    let s1 = b.get(StoryId(1)).unwrap().clone();
    assert!(b.blockers_below(&s1).is_empty(), "done, it blocks nothing");
}

#[test]
fn inputs_off_their_scale_are_refused_with_the_values_allowed() {
    let mut b = backlog_of(1);
    let set = |input: Input, value: f64| StoryPatch {
        inputs: vec![(input, Some(InputValue::Number(value)))],
        ..StoryPatch::default()
    };
    let err = b
        .edit(StoryId(1), &set(Input::JobSize, 0.0), t0())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "job size 0 is off its scale: it takes one of 1, 2, 3, 5, 8, 13 or 20"
    );
    let err = b
        .edit(StoryId(1), &set(Input::Effort, -1.0), t0())
        .unwrap_err();
    assert!(err.to_string().contains("at least 0.5"), "{err}");
    b.edit(StoryId(1), &set(Input::JobSize, 13.0), t0())
        .unwrap();
    assert_eq!(b.get(StoryId(1)).unwrap().inputs.job_size, Some(13.0));
    let clear = StoryPatch {
        inputs: vec![(Input::JobSize, None)],
        ..StoryPatch::default()
    };
    b.edit(StoryId(1), &clear, t0()).unwrap();
    assert!(b.get(StoryId(1)).unwrap().inputs.is_empty());
}

#[test]
fn a_merge_renumbers_the_links_to_our_new_stories() {
    let base = backlog_of(1);
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.add(&StoryPatch::title("Ours"), Placement::Bottom, t0())
        .unwrap();
    link(&mut ours, 1, &[2]).unwrap();
    theirs
        .add(&StoryPatch::title("Theirs"), Placement::Bottom, t0())
        .unwrap();
    let merged = merge(&base, &ours, &theirs);
    assert_eq!(merged.renumbered, [(StoryId(2), StoryId(3))]);
    assert_eq!(blocked_by(&merged.backlog, 1), [3], "ours, renumbered");
}

#[test]
fn a_link_to_a_story_a_merge_deleted_stops_no_edit_and_can_be_taken_away() {
    // We link S-1 to S-2 while the other writer deletes S-2: the merge
    // keeps our S-1 as we left it, naming a story there is not.
    let base = backlog_of(3);
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    link(&mut ours, 1, &[2]).unwrap();
    theirs.remove(StoryId(2)).unwrap();
    let mut b = merge(&base, &ours, &theirs).backlog;
    assert_eq!(blocked_by(&b, 1), [2]);
    let s1 = b.get(StoryId(1)).unwrap().clone();
    assert_eq!(
        b.open_blockers(&s1).count(),
        0,
        "a story gone blocks nothing"
    );
    // Linking more, retitling and splitting S-1 all work.
    link(&mut b, 1, &[3]).unwrap();
    b.edit(StoryId(1), &StoryPatch::title("Still editable"), t0())
        .unwrap();
    let half = b.split(StoryId(1), "Half", &[], t0()).unwrap();
    assert_eq!(
        blocked_by(&b, half.0),
        [3],
        "the half takes the links there are"
    );
    let unlink = StoryPatch {
        remove_blocked_by: vec![StoryId(2)],
        ..StoryPatch::default()
    };
    b.edit(StoryId(1), &unlink, t0()).unwrap();
    assert_eq!(blocked_by(&b, 1), [3]);
}

proptest! {
    /// The links turned round, kept by the backlog change by change (and
    /// through undo), are those found by looking at every story.
    #[test]
    fn the_blocking_kept_is_the_blocking_found_afresh(
        steps in prop::collection::vec((0u8..7, 1u64..7, 1u64..7), 1..30)
    ) {
        let mut b = backlog_of(6);
        let mut history = History::default();
        for (kind, id, other) in steps {
            if kind == 6 {
                let _ = history.undo(&mut b);
            } else {
                let (result, before) = b.watched(|b| match kind {
                    0 => link(b, id, &[other]),
                    1 => b.edit(StoryId(id), &StoryPatch {
                        remove_blocked_by: vec![StoryId(other)],
                        ..StoryPatch::default()
                    }, t0()),
                    2 => b.split(StoryId(id), "Half", &[], t0()).map(|_| ()),
                    3 => b.edit(StoryId(id), &StoryPatch::title("Retitled"), t0()),
                    4 => b.move_story(StoryId(id), Move::To(usize::try_from(other).unwrap()))
                        .map(|_| ()),
                    _ => b.remove(StoryId(id)).map(|_| ()),
                });
                if result.is_ok() {
                    history.record("step", t0(), before, &b);
                }
            }
            prop_assert_eq!(b.blocking(), &Blocking::of(b.stories_by_id()));
        }
    }
}
