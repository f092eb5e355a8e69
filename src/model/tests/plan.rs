//! The release plan: releases and their lines, sprints, velocity, and
//! each story's status history.

use chrono::NaiveDate;

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn sprint(name: &str, start: NaiveDate) -> Sprint {
    Sprint::new(name, start)
}

fn above(b: &Backlog, release: &str) -> usize {
    let line = b.product.release(release).unwrap().line.clone().unwrap();
    b.above_line(&line)
}

fn with_line(n: usize, release: &str, above: usize) -> Backlog {
    let mut b = backlog_of(n);
    b.add_release(Release::new(release, Some(day(2027, 3, 1))))
        .unwrap();
    b.place_line(release, above).unwrap();
    b
}

#[test]
fn a_line_holds_the_stories_above_it_and_moves_one_story_at_a_time() {
    let mut b = with_line(5, "v1", 2);
    assert_eq!(above(&b, "v1"), 2);
    assert!(b.move_line("v1", false).unwrap());
    assert_eq!(above(&b, "v1"), 3);
    assert!(b.move_line("v1", true).unwrap());
    assert!(b.move_line("v1", true).unwrap());
    assert!(b.move_line("v1", true).unwrap());
    assert_eq!(above(&b, "v1"), 0);
    assert!(!b.move_line("v1", true).unwrap(), "nothing above the top");
    b.place_line("v1", 5).unwrap();
    assert!(!b.move_line("v1", false).unwrap(), "nothing below the end");
    assert!(matches!(
        b.place_line("v1", 6),
        Err(ModelError::PositionOutOfRange { .. })
    ));
}

#[test]
fn a_story_moved_next_to_a_line_keeps_to_the_side_of_the_story_it_passed() {
    // S-1 S-2 | v1 | S-3 S-4 S-5
    let mut b = with_line(5, "v1", 2);
    // S-4 up past S-3: just above S-3, still below the line.
    b.move_story(StoryId(4), Move::Up).unwrap();
    assert_eq!(ids(&b), [1, 2, 4, 3, 5]);
    assert_eq!(above(&b, "v1"), 2);
    // S-1 down past S-2: just below S-2, still above the line.
    b.move_story(StoryId(1), Move::Down).unwrap();
    assert_eq!(ids(&b), [2, 1, 4, 3, 5]);
    assert_eq!(above(&b, "v1"), 2);
    // Before and after a story work alike.
    b.move_story(StoryId(5), Move::Before(StoryId(4))).unwrap();
    assert_eq!(above(&b, "v1"), 2, "S-5 went under the line, above S-4");
    b.move_story(StoryId(3), Move::After(StoryId(1))).unwrap();
    assert_eq!(ids(&b), [2, 1, 3, 5, 4]);
    assert_eq!(above(&b, "v1"), 3, "S-3 went above the line, under S-1");
}

#[test]
fn a_story_moved_from_below_a_line_to_the_top_joins_the_release() {
    let mut b = with_line(5, "v1", 2);
    b.move_story(StoryId(5), Move::Top).unwrap();
    assert_eq!(above(&b, "v1"), 3);
    b.move_story(StoryId(1), Move::Bottom).unwrap();
    assert_eq!(above(&b, "v1"), 2);
    // Stories moved together keep to the side too.
    b.move_stories(&[StoryId(3), StoryId(4)], Destination::Before(StoryId(2)))
        .unwrap();
    assert_eq!(above(&b, "v1"), 4);
}

#[test]
fn two_lines_in_one_gap_keep_their_order() {
    let mut b = with_line(4, "v1", 2);
    b.add_release(Release::new("v2", Some(day(2027, 6, 1))))
        .unwrap();
    b.place_line("v2", 2).unwrap();
    let v1 = b.product.release("v1").unwrap().line.clone().unwrap();
    let v2 = b.product.release("v2").unwrap().line.clone().unwrap();
    assert!(v1 < v2, "the line placed later goes under the one there");
    // S-3, moved up past S-2, crosses neither line... it lands above S-2.
    b.move_story(StoryId(3), Move::Up).unwrap();
    assert_eq!((above(&b, "v1"), above(&b, "v2")), (3, 3));
}

#[test]
fn renaming_a_release_renames_it_on_its_epics_and_deleting_it_clears_them() {
    let mut b = backlog_of(2);
    b.add_epic(Epic {
        name: "Billing".into(),
        color: EpicColor::Blue,
        goal: String::new(),
        target_release: None,
    })
    .unwrap();
    b.add_release(Release::new("1.0", None)).unwrap();
    b.product.epics[0].target_release = Some("1.0".into());
    let renamed = Release {
        name: "1.0 GA".into(),
        ..b.product.release("1.0").unwrap().clone()
    };
    b.update_release("1.0", renamed).unwrap();
    assert_eq!(b.product.epics[0].target_release.as_deref(), Some("1.0 GA"));
    assert_eq!(
        b.add_release(Release::new("1.0 ga", None)),
        Err(ModelError::DuplicateRelease("1.0 GA".into()))
    );
    b.remove_release("1.0 ga").unwrap();
    assert_eq!(b.product.epics[0].target_release, None);
}

#[test]
fn an_older_files_epic_targets_become_releases_without_dates() {
    let mut product = Product::new("Old");
    for (name, target) in [("A", "1.0"), ("B", "1.1"), ("C", "1.0 "), ("D", "")] {
        product.epics.push(Epic {
            name: name.into(),
            color: EpicColor::Blue,
            goal: String::new(),
            target_release: Some(target.into()),
        });
    }
    let b = Backlog::from_parts(product, 1, Vec::<Story>::new()).unwrap();
    let names: Vec<(&str, Option<NaiveDate>)> = b
        .product
        .releases
        .iter()
        .map(|r| (r.name.as_str(), r.date))
        .collect();
    assert_eq!(names, [("1.0", None), ("1.1", None)]);
    assert_eq!(b.product.epics[3].target_release, None);
    let release = b.product.release("1.0").unwrap().clone();
    assert!(b.assigned_to(&release).is_empty());
}

#[test]
fn sprints_that_could_not_be_are_refused_and_nothing_changes() {
    let mut b = backlog_of(2);
    b.add_sprint(sprint("S1", day(2026, 12, 28))).unwrap();
    let was = b.clone();
    let overlap = b
        .add_sprint(sprint("S2", day(2027, 1, 10)))
        .unwrap_err()
        .to_string();
    assert!(
        overlap.contains("overlaps sprint \"S1\" (2026-12-28 to 2027-01-10)"),
        "{overlap}"
    );
    let mut negative = sprint("S2", day(2027, 1, 11));
    negative.capacity = Some(-3.0);
    assert!(
        b.add_sprint(negative)
            .unwrap_err()
            .to_string()
            .contains("0 or more")
    );
    let mut empty = sprint("S2", day(2027, 1, 11));
    empty.days = 0;
    assert!(
        b.add_sprint(empty)
            .unwrap_err()
            .to_string()
            .contains("ends before it starts")
    );
    assert_eq!(
        b.add_sprint(sprint("s1", day(2027, 2, 1))),
        Err(ModelError::DuplicateSprint("S1".into()))
    );
    assert_eq!(b, was);
    // Kept in start order, whatever order they come in.
    b.add_sprint(sprint("S0", day(2026, 12, 14))).unwrap();
    let names: Vec<&str> = b.product.sprints.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["S0", "S1"]);
}

#[test]
fn a_sprint_starts_closes_and_gives_its_velocity() {
    let mut b = backlog_of(3);
    let done = |b: &mut Backlog, id: u64, points: f64, at| {
        let patch = StoryPatch {
            points: Some(Some(Points::new(points).unwrap())),
            status: Some(Status::Done),
            ..StoryPatch::default()
        };
        b.edit(StoryId(id), &patch, at).unwrap();
    };
    b.add_sprint(sprint("S1", day(2026, 11, 2))).unwrap();
    b.add_sprint(sprint("S2", day(2026, 11, 16))).unwrap();
    b.start_sprint("S1", &[StoryId(1), StoryId(2)]).unwrap();
    assert!(
        b.start_sprint("S2", &[])
            .unwrap_err()
            .to_string()
            .contains("under way")
    );
    done(
        &mut b,
        1,
        5.0,
        Utc.with_ymd_and_hms(2026, 11, 5, 9, 0, 0).unwrap(),
    );
    done(
        &mut b,
        3,
        8.0,
        Utc.with_ymd_and_hms(2026, 11, 6, 9, 0, 0).unwrap(),
    );
    // Of the stories committed, only S-1 is done.
    assert_eq!(b.close_sprint("S1", None), Ok(5.0));
    assert!(
        b.close_sprint("S1", None)
            .unwrap_err()
            .to_string()
            .contains("closed already")
    );
    assert_eq!(b.close_sprint("S2", Some(13.0)), Ok(13.0));
    b.add_past_sprint(PastSprint {
        sprint: "S0".into(),
        points: 21.0,
        ended: None,
    })
    .unwrap();
    assert!(matches!(
        b.add_past_sprint(PastSprint {
            sprint: "s2".into(),
            points: 1.0,
            ended: None,
        }),
        Err(ModelError::DuplicateSprint(_))
    ));
    assert_eq!(
        b.velocities(),
        [("S0".into(), 21.0), ("S1".into(), 5.0), ("S2".into(), 13.0)]
    );
}

#[test]
fn with_nothing_committed_a_sprint_counts_what_was_done_in_its_days() {
    let mut b = backlog_of(3);
    b.add_sprint(sprint("S1", day(2026, 11, 2))).unwrap();
    for (id, d) in [(1, 3), (2, 15), (3, 16)] {
        let patch = StoryPatch {
            points: Some(Some(Points::new(2.0).unwrap())),
            status: Some(Status::Done),
            ..StoryPatch::default()
        };
        let at = Utc.with_ymd_and_hms(2026, 11, d, 12, 0, 0).unwrap();
        b.edit(StoryId(id), &patch, at).unwrap();
    }
    // The 2nd to the 15th: S-1 and S-2.
    assert_eq!(b.points_done_in("S1"), Ok(4.0));
}

#[test]
fn each_status_change_is_recorded_and_gives_when_a_story_was_done() {
    let mut b = backlog_of(1);
    let at = |d| Utc.with_ymd_and_hms(2026, 11, d, 9, 0, 0).unwrap();
    let to = |status| StoryPatch {
        status: Some(status),
        ..StoryPatch::default()
    };
    b.edit(StoryId(1), &to(Status::InProgress), at(2)).unwrap();
    b.edit(StoryId(1), &StoryPatch::title("Renamed"), at(3))
        .unwrap();
    b.edit(StoryId(1), &to(Status::Done), at(6)).unwrap();
    let story = b.get(StoryId(1)).unwrap();
    let changes: Vec<(Status, Status)> = story
        .status_history
        .iter()
        .map(|c| (c.from, c.to))
        .collect();
    assert_eq!(
        changes,
        [
            (Status::Draft, Status::InProgress),
            (Status::InProgress, Status::Done)
        ]
    );
    assert_eq!(story.done_at(), Some(at(6)));
    assert_eq!(story.cycle_time(), Some(chrono::Duration::days(4)));
    // Reopened: no longer done.
    b.edit(StoryId(1), &to(Status::InProgress), at(7)).unwrap();
    assert_eq!(b.get(StoryId(1)).unwrap().done_at(), None);
}

#[test]
fn an_older_files_done_story_is_taken_as_done_when_it_last_changed() {
    let mut story = Story::new(StoryId(1), Rank::first(), "Old", t0());
    story.status = Status::Done;
    story.updated = Utc.with_ymd_and_hms(2026, 10, 5, 9, 0, 0).unwrap();
    let b = Backlog::from_parts(Product::new("Old"), 2, vec![story]).unwrap();
    let story = b.get(StoryId(1)).unwrap();
    assert_eq!(story.done_at(), Some(story.updated));
    assert!(story.status_history[0].guessed);
    assert_eq!(story.cycle_time(), None, "a guess gives no cycle time");
    // Read again, it is not guessed twice.
    let again = Backlog::from_parts(b.product.clone(), 2, b.stories_by_id().to_vec()).unwrap();
    assert_eq!(again.get(StoryId(1)).unwrap().status_history.len(), 1);
}

#[test]
fn a_deleted_story_leaves_the_release_it_was_assigned_to() {
    let mut b = backlog_of(3);
    b.add_release(Release::new("v1", Some(day(2027, 1, 1))))
        .unwrap();
    b.assign_release(&[StoryId(1), StoryId(2)], Some("v1"))
        .unwrap();
    let (result, before) = b.watched(|b| b.remove(StoryId(1)));
    result.unwrap();
    assert_eq!(b.product.release("v1").unwrap().stories, [StoryId(2)]);
    let mut history = History::default();
    assert!(history.record("delete", t0(), before, &b));
    history.undo(&mut b).unwrap();
    assert_eq!(
        b.product.release("v1").unwrap().stories,
        [StoryId(1), StoryId(2)],
        "undo puts the assignment back"
    );
}

fn move_strategy() -> impl Strategy<Value = (u64, u8, u64)> {
    (1u64..=8, 0u8..6, 1u64..=8)
}

proptest! {
    /// A move changes which side of a line the story moved is on, and no
    /// other story's: not even when keys crowded into one place are
    /// respread.
    #[test]
    fn only_the_story_moved_crosses_a_line(
        above in 0usize..=8,
        moves in prop::collection::vec(move_strategy(), 1..120),
    ) {
        let mut b = with_line(8, "v1", above);
        for (id, kind, anchor) in moves {
            let to = match kind {
                0 => Move::Up,
                1 => Move::Down,
                2 => Move::Top,
                3 => Move::Bottom,
                4 => Move::Before(StoryId(anchor)),
                _ => Move::After(StoryId(anchor)),
            };
            let line = b.product.release("v1").unwrap().line.clone().unwrap();
            let side = |b: &Backlog| -> Vec<(StoryId, bool)> {
                b.ranked().map(|s| (s.id, s.rank < line)).collect()
            };
            let mut was = side(&b);
            if b.move_story(StoryId(id), to).is_err() {
                continue;
            }
            let line = b.product.release("v1").unwrap().line.clone().unwrap();
            let mut now: Vec<(StoryId, bool)> = b.ranked().map(|s| (s.id, s.rank < line)).collect();
            was.retain(|(s, _)| *s != StoryId(id));
            now.retain(|(s, _)| *s != StoryId(id));
            was.sort();
            now.sort();
            prop_assert_eq!(was, now);
        }
    }
}

#[test]
fn stories_crowded_against_a_line_are_respread_without_crossing_it() {
    // S-1 | v1 | S-2 …: each story in turn goes just under the line,
    // between it and the story before, until the keys there are too long
    // and get respread.
    let mut b = with_line(200, "v1", 1);
    let mut prev = StoryId(2);
    for id in 3..=200 {
        b.move_story(StoryId(id), Move::Before(prev)).unwrap();
        assert_eq!(above(&b, "v1"), 1, "after moving S-{id}");
        prev = StoryId(id);
    }
    assert!(
        b.ranked()
            .all(|s| s.rank.size() <= crate::rank::LONGEST + 8)
    );
}

#[test]
fn a_story_added_next_to_a_line_keeps_to_the_side_of_the_story_it_follows() {
    let mut b = with_line(3, "v1", 1);
    b.add(
        &StoryPatch::title("After S-1"),
        Placement::After(StoryId(1)),
        t0(),
    )
    .unwrap();
    assert_eq!(above(&b, "v1"), 2);
    b.place_line("v1", 0).unwrap();
    b.add(&StoryPatch::title("On top"), Placement::Top, t0())
        .unwrap();
    assert_eq!(above(&b, "v1"), 0, "over the first story, under the line");
}

#[test]
fn an_epic_given_a_release_there_is_not_makes_it() {
    let mut b = backlog_of(1);
    b.add_release(Release::new("2.0", Some(day(2027, 5, 1))))
        .unwrap();
    let epic = Epic {
        name: "Search".into(),
        color: EpicColor::Green,
        goal: String::new(),
        target_release: Some("2.0".into()),
    };
    b.add_epic(epic.clone()).unwrap();
    let retargeted = Epic {
        target_release: Some("3.0".into()),
        ..epic
    };
    b.update_epic("Search", retargeted, t0()).unwrap();
    let names: Vec<&str> = b.product.releases.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["2.0", "3.0"]);
    assert_eq!(b.product.release("3.0").unwrap().date, None);
}
#[test]
fn a_sprint_in_which_nothing_was_done_closes_with_0_points_not_minus_0() {
    // An empty sum of f64 is -0.0, which the file would keep as -0.0 and
    // the screen show as "-0".
    let mut b = backlog_of(2);
    b.add_sprint(Sprint::new("S1", day(2027, 1, 4))).unwrap();
    let points = b.close_sprint("S1", None).unwrap();
    assert!(points == 0.0 && points.is_sign_positive(), "{points:?}");
    let completed = b.product.sprint("S1").unwrap().completed.unwrap();
    assert_eq!(crate::words::number(completed), "0");
}

#[test]
fn a_merge_that_renumbers_our_new_story_keeps_it_in_our_release() {
    let mut base = backlog_of(2);
    base.add_release(Release::new("v1", Some(day(2027, 1, 1))))
        .unwrap();
    let mut ours = base.clone();
    let mine = ours
        .add(&StoryPatch::title("Ours"), Placement::Bottom, t0())
        .unwrap();
    ours.assign_release(&[mine], Some("v1")).unwrap();
    let mut theirs = base.clone();
    theirs
        .add(&StoryPatch::title("Theirs"), Placement::Bottom, t0())
        .unwrap();
    let merged = merge(&base, &ours, &theirs);
    assert_eq!(merged.renumbered, [(StoryId(3), StoryId(4))]);
    let b = &merged.backlog;
    let assigned = &b.product.release("v1").unwrap().stories;
    assert_eq!(assigned, &[StoryId(4)]);
    assert_eq!(b.get(StoryId(4)).unwrap().title, "Ours");
}
