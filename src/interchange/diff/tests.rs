//! Tests of the semantic diff, one kind of change at a time, on the demo
//! backlog.

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};

use super::*;
use crate::cli::demo_backlog;
use crate::model::{
    Clash, Criterion, DELETED, Epic, EpicColor, Move, Placement, Release, Settle, Stamp, StoryPatch,
};
use crate::rank::Rank;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap()
}

fn id(n: u64) -> StoryId {
    StoryId(n)
}

/// The backlog with one story changed in place, its rank untouched.
fn changed(backlog: &Backlog, n: u64, change: impl FnOnce(&mut Story)) -> Backlog {
    let mut after = backlog.clone();
    let mut story = after.get(id(n)).unwrap().clone();
    change(&mut story);
    after.put(Arc::new(story));
    after
}

/// The changes told of one story.
fn of(diff: &Diff, n: u64) -> Vec<StoryChange> {
    diff.stories
        .iter()
        .find(|s| s.id == id(n))
        .map(|s| s.changes.clone())
        .unwrap_or_default()
}

fn moved_ids(diff: &Diff) -> Vec<StoryId> {
    diff.stories
        .iter()
        .filter(|s| {
            s.changes
                .iter()
                .any(|c| matches!(c, StoryChange::Moved { .. }))
        })
        .map(|s| s.id)
        .collect()
}

fn place(backlog: &Backlog, n: u64) -> usize {
    backlog.position(id(n)).unwrap() + 1
}

#[test]
fn the_same_backlog_is_no_change() {
    let before = demo_backlog();
    let diff = diff(&before, &before.clone());
    assert!(diff.is_empty());
    assert_eq!(diff.summary(), "no change");
    assert_eq!(diff.render(), "");
}

#[test]
fn an_added_story_is_told_with_its_place_and_shifts_no_one() {
    let before = demo_backlog();
    let mut after = before.clone();
    let patch = StoryPatch {
        title: Some("Gift cards".into()),
        ..StoryPatch::default()
    };
    let new = after.add(&patch, Placement::Top, now()).unwrap();
    let diff = diff(&before, &after);
    assert_eq!(diff.stories.len(), 1, "{diff:#?}");
    assert_eq!(diff.stories[0].id, new);
    assert_eq!(diff.stories[0].place, Some(1));
    assert_eq!(of(&diff, new.0), [StoryChange::Added { place: 1 }]);
    assert_eq!(diff.summary(), "1 added");
}

#[test]
fn a_removed_story_comes_last_with_the_place_it_had_and_shifts_no_one() {
    let before = demo_backlog();
    let top = before.at(0).unwrap().id;
    let mut after = before.clone();
    after.remove(top).unwrap();
    let diff = diff(&before, &after);
    assert_eq!(diff.stories.len(), 1, "{diff:#?}");
    assert_eq!(diff.stories[0].place, None);
    assert_eq!(of(&diff, top.0), [StoryChange::Removed { place: 1 }]);
    assert_eq!(diff.summary(), "1 removed");
}

#[test]
fn a_moved_story_is_moved_and_the_stories_it_passed_only_shifted() {
    let before = demo_backlog();
    let twelfth = before.at(11).unwrap().id;
    let mut after = before.clone();
    after.move_story(twelfth, Move::To(3)).unwrap();
    let diff = diff(&before, &after);
    assert_eq!(moved_ids(&diff), [twelfth], "{diff:#?}");
    assert_eq!(
        of(&diff, twelfth.0),
        [StoryChange::Moved { from: 12, to: 3 }]
    );
    assert_eq!(diff.summary(), format!("{twelfth} moved to #3"));
}

#[test]
fn of_two_stories_swapped_the_one_whose_key_changed_moved() {
    let before = demo_backlog();
    let (first, second) = (before.at(0).unwrap().id, before.at(1).unwrap().id);
    let mut down = before.clone();
    down.move_story(first, Move::Down).unwrap();
    assert_eq!(moved_ids(&diff(&before, &down)), [first]);
    let mut up = before.clone();
    up.move_story(second, Move::Up).unwrap();
    assert_eq!(moved_ids(&diff(&before, &up)), [second]);
}

#[test]
fn stories_given_new_keys_in_the_same_order_did_not_move() {
    // As a respread does: fresh keys for a run of stories, in their order.
    let before = demo_backlog();
    let mut after = before.clone();
    let run: Vec<Story> = before.ranked().skip(2).take(5).cloned().collect();
    // Each key moves up into the gap before the next story's.
    let keys: Vec<Rank> = (2..7)
        .map(|i| {
            let (here, next) = (&before.at(i).unwrap().rank, &before.at(i + 1).unwrap().rank);
            Rank::between(Some(here), Some(next)).unwrap()
        })
        .collect();
    after.put_all(
        run.into_iter()
            .zip(keys)
            .map(|(story, rank)| Arc::new(Story { rank, ..story })),
    );
    assert!(
        diff(&before, &after).is_empty(),
        "{:#?}",
        diff(&before, &after)
    );
}

#[test]
fn a_reordering_tells_the_fewest_moves() {
    let before = demo_backlog();
    let mut after = before.clone();
    let ids: Vec<StoryId> = before.ranked().map(|s| s.id).collect();
    after.move_story(ids[20], Move::Top).unwrap();
    after.move_story(ids[0], Move::Bottom).unwrap();
    after.move_story(ids[10], Move::To(5)).unwrap();
    let diff = diff(&before, &after);
    let mut moved = moved_ids(&diff);
    moved.sort();
    let mut expected = vec![ids[20], ids[0], ids[10]];
    expected.sort();
    assert_eq!(moved, expected, "{diff:#?}");
    assert_eq!(
        of(&diff, ids[0].0),
        [StoryChange::Moved {
            from: 1,
            to: after.len()
        }]
    );
}

#[test]
fn status_estimate_and_title_changes_are_told_from_and_to() {
    let before = demo_backlog();
    let after = changed(&before, 7, |s| {
        s.status = Status::Ready;
        s.points = Some(Points::new(8.0).unwrap());
        s.title = "Reprice glazes".into();
    });
    let was = before.get(id(7)).unwrap();
    let diff = diff(&before, &after);
    assert_eq!(
        of(&diff, 7),
        [
            StoryChange::Status {
                from: was.status,
                to: Status::Ready
            },
            StoryChange::Estimate {
                from: Estimate::on(Scale::Fibonacci, was.points),
                to: Estimate::on(Scale::Fibonacci, Some(Points::new(8.0).unwrap())),
            },
            StoryChange::Title {
                from: was.title.clone(),
                to: "Reprice glazes".into()
            },
        ]
    );
    assert!(
        diff.render().contains("  status draft → ready\n"),
        "{}",
        diff.render()
    );
    assert_eq!(diff.summary(), "S-7 ready, S-7 edited");
}

#[test]
fn estimates_read_on_the_scale_of_each_side() {
    let mut before = demo_backlog();
    before.product.settings.scale = Scale::TShirt;
    let after = changed(&before, 7, |s| s.points = Some(Points::new(8.0).unwrap()));
    let after = changed(&after, 8, |s| s.points = None);
    let text = diff(&before, &after).render();
    let was = before
        .get(id(7))
        .unwrap()
        .points
        .map(|p| Scale::TShirt.label(p));
    let was = was.unwrap_or_else(|| "?".into());
    assert!(text.contains(&format!("  estimate {was} → XL\n")), "{text}");
    assert!(text.contains(" → ?\n"), "{text}");
}

#[test]
fn the_user_story_and_description_say_which_part_changed_not_the_text() {
    let before = demo_backlog();
    let after = changed(&before, 4, |s| {
        s.i_want = "something else entirely".into();
        s.description.push_str("\nMore.");
    });
    let diff = diff(&before, &after);
    assert_eq!(
        of(&diff, 4),
        [
            StoryChange::UserStory {
                parts: vec!["i_want"]
            },
            StoryChange::Description
        ]
    );
    let text = diff.render();
    assert!(
        text.contains("  user story changed: I want\n  description changed\n"),
        "{text}"
    );
    assert!(!text.contains("something else"), "{text}");
}

#[test]
fn criteria_added_removed_checked_off_and_unchecked() {
    let before = changed(&demo_backlog(), 7, |s| {
        s.acceptance_criteria = vec![
            Criterion {
                text: "one".into(),
                done: false,
            },
            Criterion {
                text: "two".into(),
                done: true,
            },
            Criterion {
                text: "three".into(),
                done: false,
            },
        ];
    });
    let after = changed(&before, 7, |s| {
        s.acceptance_criteria = vec![
            Criterion {
                text: "one".into(),
                done: true,
            },
            Criterion {
                text: "two".into(),
                done: false,
            },
            Criterion {
                text: "four".into(),
                done: false,
            },
        ];
    });
    assert_eq!(
        of(&diff(&before, &after), 7),
        [
            StoryChange::CriterionChecked { text: "one".into() },
            StoryChange::CriterionUnchecked { text: "two".into() },
            StoryChange::CriterionAdded {
                text: "four".into()
            },
            StoryChange::CriterionRemoved {
                text: "three".into()
            },
        ]
    );
}

#[test]
fn labels_and_epic() {
    let before = changed(&demo_backlog(), 7, |s| {
        s.labels = vec!["ui".into(), "old".into()];
        s.epic = None;
    });
    let epic = before.product.epics[0].name.clone();
    let after = changed(&before, 7, |s| {
        s.labels = vec!["ui".into(), "new".into()];
        s.epic = Some(epic.clone());
    });
    assert_eq!(
        of(&diff(&before, &after), 7),
        [
            StoryChange::LabelAdded {
                label: "new".into()
            },
            StoryChange::LabelRemoved {
                label: "old".into()
            },
            StoryChange::Epic {
                from: None,
                to: Some(epic)
            },
        ]
    );
}

#[test]
fn comments_added_edited_and_questions_answered_and_reopened() {
    let question = Comment {
        question: true,
        ..Comment::new(now(), "Ann", "Which kilns?")
    };
    let before = changed(&demo_backlog(), 7, |s| {
        s.comments = vec![question.clone(), Comment::new(now(), "Bob", "typo")];
    });
    let answered = Comment {
        resolved: Some(Stamp {
            at: now(),
            by: "Cy".into(),
        }),
        answer: Some("Both".into()),
        ..question.clone()
    };
    let decision = Comment {
        decision: true,
        ..Comment::new(now() + chrono::Duration::minutes(1), "Dee", "Ship it")
    };
    let after = changed(&before, 7, |s| {
        s.comments = vec![
            answered.clone(),
            Comment::new(now(), "Bob", "fixed"),
            decision,
        ];
    });
    let diff = diff(&before, &after);
    assert_eq!(
        of(&diff, 7),
        [
            StoryChange::QuestionAnswered {
                text: "Which kilns?".into(),
                by: "Cy".into(),
                answer: Some("Both".into())
            },
            StoryChange::CommentEdited {
                kind: CommentKind::Comment,
                author: "Bob".into(),
                text: "fixed".into()
            },
            StoryChange::CommentAdded {
                kind: CommentKind::Decision,
                author: "Dee".into(),
                text: "Ship it".into()
            },
        ]
    );
    let reopened = changed(&after, 7, |s| s.comments[0] = question.clone());
    assert_eq!(
        of(&super::diff(&after, &reopened), 7),
        [StoryChange::QuestionReopened {
            text: "Which kilns?".into()
        }]
    );
}

#[test]
fn a_split_and_dependencies() {
    let before = demo_backlog();
    let mut after = before.clone();
    let original = before.get(id(7)).unwrap();
    let moving: Vec<usize> = (0..original.acceptance_criteria.len().min(1)).collect();
    let new = after
        .split(id(7), "The other half", &moving, now())
        .unwrap();
    let after = changed(&after, 7, |s| s.blocked_by = vec![id(2)]);
    let diff = diff(&before, &after);
    let changes = of(&diff, 7);
    assert!(
        changes.contains(&StoryChange::SplitInto { stories: vec![new] }),
        "{changes:#?}"
    );
    assert!(
        changes.contains(&StoryChange::BlockedBy { story: id(2) }),
        "{changes:#?}"
    );
    assert!(of(&diff, new.0).contains(&StoryChange::Added {
        place: place(&after, new.0)
    }));
    let unblocked = changed(&after, 7, |s| s.blocked_by.clear());
    assert_eq!(
        of(&super::diff(&after, &unblocked), 7),
        [StoryChange::NoLongerBlockedBy { story: id(2) }]
    );
}

#[test]
fn a_renamed_epic_is_one_change_not_one_per_story() {
    let before = demo_backlog();
    let old = before.product.epics[0].clone();
    let mut after = before.clone();
    let renamed = Epic {
        name: "Studio running".into(),
        ..old.clone()
    };
    after.update_epic(&old.name, renamed, now()).unwrap();
    let diff = diff(&before, &after);
    assert_eq!(
        diff.product,
        [ProductChange::EpicRenamed {
            from: old.name.clone(),
            to: "Studio running".into()
        }]
    );
    assert!(diff.stories.is_empty(), "{diff:#?}");
    assert_eq!(
        diff.summary(),
        format!("epic {} renamed Studio running", old.name)
    );
}

#[test]
fn epics_added_removed_and_changed() {
    let before = demo_backlog();
    let mut after = before.clone();
    after.product.epics[1].goal = "A new goal".into();
    after.product.epics.push(Epic {
        name: "Gifts".into(),
        color: EpicColor::Red,
        goal: "Gift cards".into(),
        target_release: None,
    });
    let removed = after.product.epics.remove(2);
    let diff = diff(&before, &after);
    assert!(diff.product.contains(&ProductChange::EpicChanged {
        name: before.product.epics[1].name.clone(),
        fields: vec!["goal"]
    }));
    assert!(diff.product.contains(&ProductChange::EpicAdded {
        name: "Gifts".into()
    }));
    assert!(diff.product.contains(&ProductChange::EpicRemoved {
        name: removed.name.clone()
    }));
}

#[test]
fn releases_vision_goals_and_settings() {
    let before = demo_backlog();
    let mut after = before.clone();
    let day = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    after.product.releases[0].date = Some(day);
    after.product.releases.push(Release::new("2.0", None));
    after.product.vision.push_str(" And more.");
    after.product.goals.push("Be loved".into());
    after.product.settings.scale = Scale::TShirt;
    after.product.settings.ready.no_open_questions =
        !before.product.settings.ready.no_open_questions;
    let diff = diff(&before, &after);
    let first = before.product.releases[0].clone();
    assert_eq!(
        diff.product,
        [
            ProductChange::Vision,
            ProductChange::GoalAdded {
                goal: "Be loved".into()
            },
            ProductChange::ReleaseDate {
                name: first.name.clone(),
                from: first.date,
                to: Some(day)
            },
            ProductChange::ReleaseAdded {
                name: "2.0".into(),
                date: None
            },
            ProductChange::Scale {
                from: Scale::Fibonacci,
                to: Scale::TShirt
            },
            ProductChange::Settings {
                parts: vec!["ready"]
            },
        ]
    );
    let text = diff.render();
    assert!(text.starts_with("Product\n  vision changed\n"), "{text}");
    assert!(
        text.contains(&format!("  release {} due 2027-03-01 (was", first.name)),
        "{text}"
    );
}

#[test]
fn the_summary_counts_additions_and_names_moves_and_statuses() {
    let before = demo_backlog();
    let mut after = before.clone();
    for title in ["One", "Two", "Three"] {
        let patch = StoryPatch {
            title: Some(title.into()),
            ..StoryPatch::default()
        };
        after.add(&patch, Placement::Bottom, now()).unwrap();
    }
    let fourth = after.at(3).unwrap().id;
    after.move_story(fourth, Move::Top).unwrap();
    let after = changed(&after, 9, |s| s.status = Status::Done);
    assert_eq!(
        diff(&before, &after).summary(),
        format!("3 added, {fourth} moved to #1, S-9 done")
    );
}

#[test]
fn a_summary_counts_what_is_too_many_to_name() {
    let before = demo_backlog();
    let mut after = before.clone();
    for n in 1..=5 {
        after = changed(&after, n, |s| s.title.push('!'));
    }
    assert_eq!(diff(&before, &after).summary(), "5 edited");
}

#[test]
fn ten_thousand_stories_with_a_move_tell_one_move() {
    let mut before = Backlog::new("Big");
    for n in 0..10_000 {
        let patch = StoryPatch {
            title: Some(format!("Story {n}")),
            ..StoryPatch::default()
        };
        before.add(&patch, Placement::Bottom, now()).unwrap();
    }
    let mut after = before.clone();
    after.move_story(id(9_000), Move::To(10)).unwrap();
    after.remove(id(5)).unwrap();
    let diff = diff(&before, &after);
    assert_eq!(moved_ids(&diff), [id(9_000)]);
    assert_eq!(diff.stories.len(), 2);
}

#[test]
fn the_textconv_lines_put_a_story_and_its_details_on_lines_of_their_own() {
    let before = demo_backlog();
    let text = textconv::lines(&before);
    let first = before.at(0).unwrap();
    assert!(
        text.contains(&format!(
            "\nBacklog in rank order\n  {} [{}] ",
            first.id, first.status
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("\n{} {}\n", first.id, first.title)),
        "{text}"
    );
    assert!(text.contains("\nEpic "), "{text}");
    assert!(text.lines().all(|l| !l.contains('\r')));
}

/// A clash as a merge between `HEAD` and `feature` records it.
fn clash(story: Option<u64>, field: &str, ours: &Value, theirs: &Value) -> Clash {
    Clash {
        story: story.map(id),
        field: field.into(),
        base: json!("base"),
        ours: ours.clone(),
        theirs: theirs.clone(),
        ours_by: Some("HEAD".into()),
        theirs_by: Some("feature".into()),
    }
}

fn with_clashes(backlog: &Backlog, clashes: Vec<Clash>) -> Backlog {
    let mut after = backlog.clone();
    after.record_clashes(clashes).unwrap();
    after
}

/// The heading `render` gives story `n` in `backlog`.
fn heading(backlog: &Backlog, n: u64) -> String {
    let story = backlog.get(id(n)).unwrap();
    format!("#{} S-{n} {}\n", place(backlog, n), story.title)
}

#[test]
fn a_clash_on_a_story_is_told_with_the_story() {
    let before = demo_backlog();
    let title = before.get(id(7)).unwrap().title.clone();
    let after = with_clashes(
        &before,
        vec![clash(
            Some(7),
            "title",
            &json!(title),
            &json!("Reprice glazes"),
        )],
    );
    let diff = diff(&before, &after);
    let sides = ClashSides::from(&after.clashes()[0]);
    assert_eq!(of(&diff, 7), [StoryChange::Clash(sides.clone())]);
    assert_eq!(
        diff.render(),
        format!(
            "{}  clash on title: ours \"{title}\" (HEAD), theirs \"Reprice glazes\" (feature)\n",
            heading(&after, 7)
        )
    );
    assert_eq!(diff.summary(), "1 clash");
    assert_eq!(
        serde_json::to_value(StoryChange::Clash(sides)).unwrap(),
        json!({
            "change": "clash", "field": "title", "base": "base", "ours": title,
            "theirs": "Reprice glazes", "ours_by": "HEAD", "theirs_by": "feature"
        })
    );
}

#[test]
fn a_clash_on_a_value_that_is_no_text_shows_it_as_the_file_spells_it() {
    let before = demo_backlog();
    let mut points = clash(Some(7), "points", &json!(5), &json!(8));
    points.ours_by = None;
    let after = with_clashes(&before, vec![points]);
    let text = diff(&before, &after).render();
    assert!(
        text.ends_with("  clash on points: ours 5, theirs 8 (feature)\n"),
        "{text}"
    );
}

#[test]
fn a_settled_clash_is_told_settled_and_is_no_edit() {
    let title = demo_backlog().get(id(7)).unwrap().title.clone();
    let before = with_clashes(
        &demo_backlog(),
        vec![clash(
            Some(7),
            "title",
            &json!(title),
            &json!("Reprice glazes"),
        )],
    );
    let mut kept = before.clone();
    kept.settle_clash(Some(id(7)), "title", Settle::Ours, now())
        .unwrap();
    let diff_kept = diff(&before, &kept);
    assert_eq!(
        diff_kept.render(),
        format!("{}  clash on title settled\n", heading(&kept, 7))
    );
    assert_eq!(diff_kept.summary(), "1 clash settled");
    assert_eq!(
        of(&diff_kept, 7),
        [StoryChange::ClashSettled {
            field: "title".into()
        }]
    );
    let mut taken = before.clone();
    taken
        .settle_clash(Some(id(7)), "title", Settle::Theirs, now())
        .unwrap();
    let diff_taken = diff(&before, &taken);
    assert_eq!(
        diff_taken.render(),
        format!(
            "{}  title changed (was \"{title}\")\n  clash on title settled\n",
            heading(&taken, 7)
        )
    );
    assert_eq!(diff_taken.summary(), "S-7 edited, 1 clash settled");
}

#[test]
fn a_clash_on_the_product_is_told_with_the_product() {
    let mut before = demo_backlog();
    before.product.vision = "Clay for all".into();
    let after = with_clashes(
        &before,
        vec![clash(
            None,
            "product.vision",
            &json!("Clay for all"),
            &json!("Kilns for all"),
        )],
    );
    let told = diff(&before, &after);
    assert!(told.stories.is_empty(), "{told:#?}");
    assert_eq!(
        told.product,
        [ProductChange::Clash(ClashSides::from(&after.clashes()[0]))]
    );
    assert_eq!(
        told.render(),
        "Product\n  clash on vision: ours \"Clay for all\" (HEAD), theirs \"Kilns for all\" (feature)\n"
    );
    assert_eq!(told.summary(), "1 clash");
    let mut settled = after.clone();
    settled
        .settle_clash(None, "product.vision", Settle::Theirs, now())
        .unwrap();
    let told = diff(&after, &settled);
    assert_eq!(
        told.product,
        [
            ProductChange::Vision,
            ProductChange::ClashSettled {
                field: "product.vision".into()
            }
        ]
    );
    assert_eq!(
        told.render(),
        "Product\n  vision changed\n  clash on vision settled\n"
    );
    assert_eq!(told.summary(), "vision changed, 1 clash settled");
}

#[test]
fn a_clash_whose_sides_changed_is_told_with_its_sides_now() {
    let before = with_clashes(
        &demo_backlog(),
        vec![clash(Some(7), "points", &json!(5), &json!(8))],
    );
    let after = with_clashes(
        &before,
        vec![clash(Some(7), "points", &json!(5), &json!(13))],
    );
    let told = diff(&before, &after);
    assert_eq!(
        of(&told, 7),
        [StoryChange::ClashChanged(ClashSides::from(
            &after.clashes()[0]
        ))]
    );
    assert_eq!(
        told.render(),
        format!(
            "{}  clash on points now: ours 5 (HEAD), theirs 13 (feature)\n",
            heading(&after, 7)
        )
    );
    assert_eq!(told.summary(), "1 clash changed");
    // Who the sides are is a label, not a change to settle.
    let mut renamed = clash(Some(7), "points", &json!(5), &json!(8));
    renamed.theirs_by = Some("origin/main".into());
    assert!(diff(&before, &with_clashes(&before, vec![renamed])).is_empty());
}

#[test]
fn a_story_one_side_deleted_clashes_and_settling_it_removes_it() {
    let before = demo_backlog();
    let title = before.get(id(7)).unwrap().title.clone();
    let after = with_clashes(
        &before,
        vec![clash(Some(7), DELETED, &json!(false), &json!(true))],
    );
    let told = diff(&before, &after);
    assert_eq!(
        told.render(),
        format!(
            "{}  clash: ours (HEAD) changed it, theirs (feature) deleted it\n",
            heading(&after, 7)
        )
    );
    let mut settled = after.clone();
    settled
        .settle_clash(Some(id(7)), DELETED, Settle::Theirs, now())
        .unwrap();
    let told = diff(&after, &settled);
    assert_eq!(
        told.render(),
        format!(
            "S-7 {title}\n  removed (was #{})\n  clash on deleting it settled\n",
            place(&after, 7)
        )
    );
    assert_eq!(told.summary(), "1 removed, 1 clash settled");
}

#[test]
fn the_summary_counts_clashes_added_changed_and_settled() {
    let demo = demo_backlog();
    let on_title = |n: u64, theirs: &str| {
        let title = &demo.get(id(n)).unwrap().title;
        clash(Some(n), "title", &json!(title), &json!(theirs))
    };
    let before = with_clashes(
        &demo,
        vec![on_title(1, "b"), on_title(2, "b"), on_title(3, "b")],
    );
    let mut after = with_clashes(
        &before,
        vec![
            on_title(3, "c"),
            clash(Some(4), "points", &json!(1), &json!(2)),
            clash(Some(5), "points", &json!(1), &json!(2)),
            clash(
                None,
                "settings.scale",
                &json!("fibonacci"),
                &json!("t-shirt"),
            ),
        ],
    );
    for n in [1, 2] {
        after
            .settle_clash(Some(id(n)), "title", Settle::Ours, now())
            .unwrap();
    }
    assert_eq!(
        diff(&before, &after).summary(),
        "3 clashes, 1 clash changed, 2 clashes settled"
    );
}

#[test]
fn the_textconv_lines_show_each_clash_under_what_it_is_on() {
    let before = demo_backlog();
    let backlog = with_clashes(
        &before,
        vec![
            clash(Some(7), "points", &json!(5), &json!(8)),
            clash(None, "product.vision", &json!("Clay"), &json!("Kilns")),
        ],
    );
    let text = textconv::lines(&backlog);
    let story = &text[text.find("\nS-7 ").unwrap()..];
    let story = &story[..story[1..].find("\n\n").unwrap() + 2];
    assert!(
        story.ends_with("\n  clash on points: ours 5 (HEAD), theirs 8 (feature)\n"),
        "{story}"
    );
    let product = &text[..=text.find("\n\n").unwrap()];
    assert!(
        product
            .ends_with("\n  clash on vision: ours \"Clay\" (HEAD), theirs \"Kilns\" (feature)\n"),
        "{product}"
    );
    assert!(!textconv::lines(&before).contains("  clash on "));
}

/// The demo with a story added at the bottom for each title, each
/// created at `created`, plus the minutes given.
fn with_new_stories(backlog: &Backlog, titles: &[(&str, i64)]) -> Backlog {
    let mut after = backlog.clone();
    for &(title, minutes) in titles {
        let patch = StoryPatch {
            title: Some(title.into()),
            ..StoryPatch::default()
        };
        after
            .add(
                &patch,
                Placement::Bottom,
                now() + chrono::Duration::minutes(minutes),
            )
            .unwrap();
    }
    after
}

/// Ann's backlog and the one Ben's sync made of it and his own: both
/// added S-31 and S-32 to the demo, and Ben, pulling second, kept his ids.
fn ann_and_bens_merge(ann: impl FnOnce(&mut Backlog)) -> (Backlog, Backlog) {
    let base = demo_backlog();
    let mut ann_side = with_new_stories(
        &base,
        &[("Gift cards for members", 0), ("Print a kiln log", 1)],
    );
    ann(&mut ann_side);
    let ben_side = with_new_stories(
        &base,
        &[("Waitlist text alerts", 60), ("Glaze inventory", 61)],
    );
    let merged = crate::model::merge_files(&base, &ben_side, &ann_side);
    assert_eq!(
        merged.renumbered,
        [(id(31), id(33)), (id(32), id(34))],
        "the merge this test stands on"
    );
    (ann_side, merged.backlog)
}

#[test]
fn stories_a_merge_renumbered_are_told_renumbered_and_the_others_added() {
    let (ann, merged) = ann_and_bens_merge(|_| {});
    let told = diff(&ann, &merged);
    assert_eq!(
        told.render(),
        "#31 S-33 Gift cards for members\n  renumbered from S-31\n\
         #32 S-31 Waitlist text alerts\n  added at #32\n\
         #33 S-32 Glaze inventory\n  added at #33\n\
         #34 S-34 Print a kiln log\n  renumbered from S-32\n"
    );
    assert_eq!(
        told.summary(),
        "2 added, S-31 renumbered to S-33, S-32 renumbered to S-34"
    );
    let json = serde_json::to_value(&told).unwrap();
    let s33 = (json["stories"].as_array().unwrap().iter())
        .find(|s| s["id"] == "S-33")
        .unwrap();
    assert_eq!(
        s33["changes"],
        json!([{"change": "renumbered", "from": "S-31"}])
    );
    // The other way round, Ben's view of Ann's stories coming in is plain
    // additions: his own stories kept their ids.
    let ben = with_new_stories(
        &demo_backlog(),
        &[("Waitlist text alerts", 60), ("Glaze inventory", 61)],
    );
    assert_eq!(diff(&ben, &merged).summary(), "2 added");
}

#[test]
fn a_story_renumbered_and_edited_tells_both_and_what_follows_it_is_no_change() {
    let clash_title = json!("Gift cards for members");
    let (ann, merged) = ann_and_bens_merge(|ann| {
        // What names S-31 follows it to S-33: Ann's other story's
        // blocker, a release, and a clash a merge of her own left on it.
        let mut kiln_log = ann.get(id(32)).unwrap().clone();
        kiln_log.blocked_by.push(id(31));
        ann.put(Arc::new(kiln_log));
        ann.product.releases[0].stories.push(id(31));
        ann.record_clashes(vec![clash(
            Some(31),
            "title",
            &clash_title,
            &json!("Gift vouchers"),
        )])
        .unwrap();
    });
    let merged_then = merged.clone();
    let mut after = changed(&merged, 33, |s| {
        s.title = "Gift vouchers for members".into();
        s.status = Status::Ready;
    });
    after.move_story(id(33), Move::Top).unwrap();
    let told = diff(&ann, &after);
    assert_eq!(
        of(&told, 33),
        [
            StoryChange::Renumbered { from: id(31) },
            StoryChange::Moved {
                from: place(&ann, 31),
                to: 1
            },
            StoryChange::Status {
                from: Status::Draft,
                to: Status::Ready
            },
            StoryChange::Title {
                from: "Gift cards for members".into(),
                to: "Gift vouchers for members".into()
            },
        ],
        "{told:#?}"
    );
    assert_eq!(of(&told, 34), [StoryChange::Renumbered { from: id(32) }]);
    assert!(told.product.is_empty(), "{told:#?}");
    assert_eq!(
        told.summary(),
        "2 added, S-31 renumbered to S-33, S-32 renumbered to S-34, S-33 moved to #1, S-33 ready, S-33 edited"
    );
    let text = told.render();
    assert!(
        text.starts_with(
            "#1 S-33 Gift vouchers for members\n  renumbered from S-31\n  moved from #31 to #1\n"
        ),
        "{text}"
    );
    // Renumbered and nothing else: its clash followed it, unchanged.
    assert_eq!(
        diff(&ann, &merged_then).summary(),
        "2 added, S-31 renumbered to S-33, S-32 renumbered to S-34"
    );
}

#[test]
fn stories_created_in_the_same_instant_are_not_taken_for_one_another() {
    // A bulk import gives its stories one created time.
    let before = with_new_stories(
        &demo_backlog(),
        &[("Gift cards for members", 0), ("Print a kiln log", 0)],
    );
    let mut after = before.clone();
    after.remove(id(31)).unwrap();
    after.remove(id(32)).unwrap();
    let after = with_new_stories(&after, &[("Glaze inventory", 0)]);
    let told = diff(&before, &after);
    assert_eq!(of(&told, 33), [StoryChange::Added { place: 31 }]);
    assert_eq!(told.summary(), "1 added, 2 removed");
    // Their titles tell them apart, where one matches.
    let mut after = before.clone();
    after.remove(id(31)).unwrap();
    after.remove(id(32)).unwrap();
    let after = with_new_stories(&after, &[("Print a kiln log", 0)]);
    let told = diff(&before, &after);
    assert_eq!(of(&told, 33), [StoryChange::Renumbered { from: id(32) }]);
    assert_eq!(told.summary(), "1 removed, S-32 renumbered to S-33");
}

#[test]
fn a_story_removed_and_another_added_stay_removed_and_added() {
    let before = with_new_stories(&demo_backlog(), &[("Gift cards for members", 0)]);
    let mut after = before.clone();
    after.remove(id(31)).unwrap();
    let after = with_new_stories(&after, &[("Gift cards for members", 5)]);
    let told = diff(&before, &after);
    assert_eq!(of(&told, 32), [StoryChange::Added { place: 31 }]);
    assert_eq!(of(&told, 31), [StoryChange::Removed { place: 31 }]);
    assert_eq!(told.summary(), "1 added, 1 removed");
}

#[test]
fn a_summary_counts_stories_renumbered_past_three() {
    let base = demo_backlog();
    let titles = |who: &str, minutes: i64| -> Vec<(String, i64)> {
        (0..5)
            .map(|n| (format!("{who}'s story {n}"), minutes + n))
            .collect()
    };
    let with = |titles: Vec<(String, i64)>| {
        let titles: Vec<(&str, i64)> = titles.iter().map(|(t, m)| (t.as_str(), *m)).collect();
        with_new_stories(&base, &titles)
    };
    let (ann, ben) = (with(titles("Ann", 0)), with(titles("Ben", 60)));
    let merged = crate::model::merge_files(&base, &ben, &ann).backlog;
    assert_eq!(diff(&ann, &merged).summary(), "5 added, 5 renumbered");
}
