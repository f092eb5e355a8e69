//! The git merge driver's merge: field by field, ours kept and a clash
//! recorded where both sides changed one field differently.

use serde_json::json;

use super::*;
use crate::model::{Clash, DELETED, Settle, merge_files};

fn edit(b: &mut Backlog, id: u64, patch: &StoryPatch) {
    b.edit(StoryId(id), patch, t0()).unwrap();
}

fn titled(title: &str) -> StoryPatch {
    StoryPatch::title(title)
}

fn pointed(points: f64) -> StoryPatch {
    StoryPatch {
        points: Some(Some(pts(points))),
        ..StoryPatch::default()
    }
}

fn titles(b: &Backlog) -> Vec<(u64, String)> {
    b.ranked().map(|s| (s.id.0, s.title.clone())).collect()
}

fn story_clash(id: u64, field: &str, base: Value, ours: Value, theirs: Value) -> Clash {
    Clash {
        story: Some(StoryId(id)),
        field: field.into(),
        base,
        ours,
        theirs,
        ours_by: None,
        theirs_by: None,
    }
}

use serde_json::Value;

/// The merged backlog as a file and back: the same backlog.
fn reads_back(b: &Backlog) {
    let text = crate::store::to_json(b);
    assert!(!text.contains("<<<<<<<"));
    assert_eq!(crate::store::from_json(&text).unwrap(), *b);
}

#[test]
fn stories_both_sides_added_under_one_id_keep_ours_and_move_theirs_with_their_references() {
    let base = backlog_of(2);
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.add(&titled("Ours"), Placement::Bottom, t0()).unwrap();
    theirs
        .add(&titled("Theirs"), Placement::Bottom, t0())
        .unwrap();
    let half = theirs.split(StoryId(3), "Their half", &[], t0()).unwrap();
    assert_eq!(half, StoryId(4));
    let blocked = StoryPatch {
        blocked_by: Some(vec![StoryId(3)]),
        ..StoryPatch::default()
    };
    edit(&mut theirs, 1, &blocked);
    let merged = merge_files(&base, &ours, &theirs);
    let b = &merged.backlog;
    assert_eq!(merged.renumbered, [(StoryId(3), StoryId(5))]);
    assert_eq!(b.get(StoryId(3)).unwrap().title, "Ours");
    assert_eq!(b.get(StoryId(5)).unwrap().title, "Theirs");
    assert_eq!(b.get(StoryId(5)).unwrap().split_into, [StoryId(4)]);
    assert_eq!(b.get(StoryId(4)).unwrap().split_from, Some(StoryId(5)));
    assert_eq!(b.get(StoryId(1)).unwrap().blocked_by, [StoryId(5)]);
    assert!(b.clashes().is_empty());
    reads_back(b);
}

#[test]
fn theirs_new_story_a_release_names_follows_it_to_its_new_id() {
    let base = backlog_of(1);
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.add(&titled("Ours"), Placement::Bottom, t0()).unwrap();
    theirs
        .add(&titled("Theirs"), Placement::Bottom, t0())
        .unwrap();
    theirs.product.releases.push(Release {
        stories: vec![StoryId(2)],
        ..Release::new("R1", None)
    });
    let merged = merge_files(&base, &ours, &theirs);
    assert_eq!(merged.backlog.product.releases[0].stories, [StoryId(3)]);
}

#[test]
fn different_fields_of_one_story_merge_without_a_clash() {
    let base = backlog_of(1);
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    edit(&mut ours, 1, &titled("Ours"));
    edit(&mut theirs, 1, &pointed(5.0));
    let merged = merge_files(&base, &ours, &theirs).backlog;
    let story = merged.get(StoryId(1)).unwrap();
    assert_eq!(
        (story.title.as_str(), story.points),
        ("Ours", Some(pts(5.0)))
    );
    assert!(merged.clashes().is_empty());
}

#[test]
fn one_field_changed_differently_keeps_ours_and_records_the_clash() {
    let base = backlog_of(1);
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    edit(&mut ours, 1, &titled("Ours"));
    edit(&mut theirs, 1, &titled("Theirs"));
    edit(&mut theirs, 1, &pointed(3.0));
    let merged = merge_files(&base, &ours, &theirs).backlog;
    assert_eq!(merged.get(StoryId(1)).unwrap().title, "Ours");
    assert_eq!(merged.get(StoryId(1)).unwrap().points, Some(pts(3.0)));
    assert_eq!(
        merged.clashes(),
        [story_clash(
            1,
            "title",
            json!("Story 1"),
            json!("Ours"),
            json!("Theirs")
        )]
    );
    reads_back(&merged);
}

#[test]
fn one_side_ranking_a_story_the_other_edits_keeps_both() {
    let base = backlog_of(3);
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.move_story(StoryId(3), Move::Top).unwrap();
    edit(&mut theirs, 3, &titled("Edited"));
    let merged = merge_files(&base, &ours, &theirs).backlog;
    assert_eq!(
        titles(&merged),
        [
            (3, "Edited".into()),
            (1, "Story 1".into()),
            (2, "Story 2".into())
        ]
    );
}

#[test]
fn both_sides_moving_different_stories_keeps_both_moves() {
    let base = backlog_of(4);
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.move_story(StoryId(1), Move::Bottom).unwrap();
    theirs.move_story(StoryId(4), Move::Top).unwrap();
    let merged = merge_files(&base, &ours, &theirs).backlog;
    let order: Vec<u64> = merged.ranked().map(|s| s.id.0).collect();
    assert_eq!(order, [4, 2, 3, 1]);
}

#[test]
fn a_story_deleted_on_one_side_and_edited_on_the_other_stays_edited_and_the_deletion_is_a_clash() {
    let base = backlog_of(2);
    let (mut deleted, mut edited) = (base.clone(), base.clone());
    deleted.remove(StoryId(2)).unwrap();
    edit(&mut edited, 2, &titled("Edited"));
    // Either way round: the edit stays, and the side that deleted it
    // says `true`.
    let merged = merge_files(&base, &deleted, &edited).backlog;
    assert_eq!(merged.get(StoryId(2)).unwrap().title, "Edited");
    assert_eq!(
        merged.clashes(),
        [story_clash(
            2,
            DELETED,
            json!(false),
            json!(true),
            json!(false)
        )]
    );
    let mut merged = merge_files(&base, &edited, &deleted).backlog;
    assert_eq!(merged.get(StoryId(2)).unwrap().title, "Edited");
    assert_eq!(
        merged.clashes(),
        [story_clash(
            2,
            DELETED,
            json!(false),
            json!(false),
            json!(true)
        )]
    );
    merged
        .settle_clash(Some(StoryId(2)), DELETED, Settle::Theirs, t0())
        .unwrap();
    assert!(merged.get(StoryId(2)).is_none());
    assert!(merged.clashes().is_empty());
}

#[test]
fn a_story_deleted_on_one_side_and_untouched_on_the_other_is_gone() {
    let base = backlog_of(2);
    let mut ours = base.clone();
    ours.remove(StoryId(1)).unwrap();
    let merged = merge_files(&base, &ours, &base).backlog;
    assert!(merged.get(StoryId(1)).is_none());
    assert!(merged.clashes().is_empty());
}

#[test]
fn labels_and_criteria_both_sides_added_are_all_kept() {
    let base = backlog_of(1);
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    let adding = |label: &str, criterion: &str| StoryPatch {
        add_labels: vec![label.into()],
        add_criteria: vec![criterion.into()],
        ..StoryPatch::default()
    };
    edit(&mut ours, 1, &adding("web", "Works offline"));
    edit(&mut theirs, 1, &adding("mobile", "Loads fast"));
    let merged = merge_files(&base, &ours, &theirs).backlog;
    let story = merged.get(StoryId(1)).unwrap();
    assert_eq!(story.labels, ["web", "mobile"]);
    let criteria: Vec<&str> = story
        .acceptance_criteria
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(criteria, ["Works offline", "Loads fast"]);
    assert!(merged.clashes().is_empty());
}

#[test]
fn comments_both_sides_wrote_are_all_kept_in_time_order() {
    let base = backlog_of(1);
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    let at = |minutes| t0() + chrono::Duration::minutes(minutes);
    theirs
        .comment(StoryId(1), Comment::new(at(1), "bo", "first"))
        .unwrap();
    ours.comment(StoryId(1), Comment::new(at(2), "ann", "second"))
        .unwrap();
    let merged = merge_files(&base, &ours, &theirs).backlog;
    let said: Vec<&str> = merged
        .get(StoryId(1))
        .unwrap()
        .comments
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(said, ["first", "second"]);
}

#[test]
fn product_fields_settings_and_epics_merge_one_by_one() {
    let mut base = backlog_of(1);
    base.add_epic(epic("Checkout")).unwrap();
    base.add_epic(epic("Search")).unwrap();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.product.vision = "Our vision".into();
    theirs.product.vision = "Their vision".into();
    ours.product.name = "Our name".into();
    theirs.product.settings.ready.user_story = !base.product.settings.ready.user_story;
    let mut recoloured = epic("Checkout");
    recoloured.color = EpicColor::ALL[3];
    ours.update_epic("Checkout", recoloured.clone(), t0())
        .unwrap();
    let mut other = epic("Checkout");
    other.color = EpicColor::ALL[4];
    theirs.update_epic("Checkout", other.clone(), t0()).unwrap();
    theirs.add_epic(epic("Billing")).unwrap();
    let merged = merge_files(&base, &ours, &theirs).backlog;
    assert_eq!(merged.product.name, "Our name");
    assert_eq!(merged.product.vision, "Our vision");
    assert_eq!(merged.product.settings, theirs.product.settings);
    let names: Vec<&str> = merged
        .product
        .epics
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(names, ["Checkout", "Search", "Billing"]);
    assert_eq!(merged.product.epics[0].color, EpicColor::ALL[3]);
    let fields: Vec<(&Option<StoryId>, &str)> = merged
        .clashes()
        .iter()
        .map(|c| (&c.story, c.field.as_str()))
        .collect();
    assert_eq!(
        fields,
        [(&None, "product.vision"), (&None, "epic:Checkout")]
    );
    reads_back(&merged);
}

#[test]
fn settling_takes_ours_theirs_or_a_value_and_refuses_a_bad_one() {
    let base = backlog_of(1);
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    for (side, title, points) in [(&mut ours, "Ours", 1.0), (&mut theirs, "Theirs", 2.0)] {
        edit(side, 1, &titled(title));
        edit(side, 1, &pointed(points));
    }
    ours.product.vision = "Ours".into();
    theirs.product.vision = "Theirs".into();
    let mut merged = merge_files(&base, &ours, &theirs).backlog;
    assert_eq!(merged.clashes().len(), 3);
    let was = merged.clone();
    assert!(matches!(
        merged.settle_clash(
            Some(StoryId(1)),
            "points",
            Settle::Value(json!("lots")),
            t0()
        ),
        Err(ModelError::Clash(_))
    ));
    assert!(matches!(
        merged.settle_clash(Some(StoryId(1)), "title", Settle::Value(json!(" ")), t0()),
        Err(ModelError::EmptyTitle)
    ));
    assert!(
        merged
            .settle_clash(None, "title", Settle::Ours, t0())
            .is_err()
    );
    assert_eq!(merged, was, "a refused settling changes nothing");
    merged
        .settle_clash(Some(StoryId(1)), "title", Settle::Theirs, t0())
        .unwrap();
    merged
        .settle_clash(Some(StoryId(1)), "points", Settle::Value(json!(8)), t0())
        .unwrap();
    merged
        .settle_clash(None, "product.vision", Settle::Ours, t0())
        .unwrap();
    let story = merged.get(StoryId(1)).unwrap();
    assert_eq!(
        (story.title.as_str(), story.points),
        ("Theirs", Some(pts(8.0)))
    );
    assert_eq!(merged.product.vision, "Ours");
    assert!(merged.clashes().is_empty());
}

#[test]
fn a_story_removed_takes_its_clashes_with_it() {
    let base = backlog_of(2);
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    edit(&mut ours, 1, &titled("Ours"));
    edit(&mut theirs, 1, &titled("Theirs"));
    let mut merged = merge_files(&base, &ours, &theirs).backlog;
    merged.remove(StoryId(1)).unwrap();
    assert!(merged.clashes().is_empty());
    reads_back(&merged);
}

#[test]
fn clashes_either_side_brought_are_kept_and_ones_settled_since_the_base_are_gone() {
    let base = backlog_of(2);
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    edit(&mut ours, 1, &titled("Ours"));
    edit(&mut theirs, 1, &titled("Theirs"));
    let with_clash = merge_files(&base, &ours, &theirs).backlog;
    let mut settled = with_clash.clone();
    settled
        .settle_clash(Some(StoryId(1)), "title", Settle::Ours, t0())
        .unwrap();
    let mut elsewhere = with_clash.clone();
    edit(&mut elsewhere, 2, &pointed(1.0));
    let merged = merge_files(&with_clash, &settled, &elsewhere).backlog;
    assert!(merged.clashes().is_empty());
    assert_eq!(merged.get(StoryId(2)).unwrap().points, Some(pts(1.0)));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_driver_loses_no_story_repeats_no_id_and_writes_a_file_that_reads(
        (base, ours, theirs) in three()
    ) {
        let merged = merge_files(&base, &ours, &theirs);
        let b = &merged.backlog;
        let text = crate::store::to_json(b);
        prop_assert_eq!(&crate::store::from_json(&text).unwrap(), b);
        let ids: Vec<StoryId> = b.stories_by_id().iter().map(|s| s.id).collect();
        let mut unique = ids.clone();
        unique.dedup();
        prop_assert_eq!(&ids, &unique);
        let base_ids = by_id(&base);
        // A story a side kept is in the merge, unless the other side
        // deleted it and the side kept it as it was.
        let kept = |side: &Backlog, other: &Backlog, renumbered: &[(StoryId, StoryId)]| {
            side.stories_by_id().iter().all(|s| {
                let untouched_and_deleted_there = base_ids.get(&s.id).is_some_and(|b| **b == *s)
                    && other.get(s.id).is_none();
                untouched_and_deleted_there || b.get(renumber(s.id, renumbered)).is_some()
            })
        };
        prop_assert!(kept(&ours, &theirs, &[]));
        prop_assert!(kept(&theirs, &ours, &merged.renumbered));
        // A story each side added is a story of its own, never one
        // merged into the other side's under a shared id.
        let added = |side: &Backlog, renumbered: &[(StoryId, StoryId)]| -> Vec<StoryId> {
            side.stories_by_id()
                .iter()
                .filter(|s| !base_ids.contains_key(&s.id))
                .map(|s| renumber(s.id, renumbered))
                .collect()
        };
        let ours_added = added(&ours, &[]);
        prop_assert!(
            added(&theirs, &merged.renumbered).iter().all(|id| !ours_added.contains(id))
        );
    }

    #[test]
    fn when_ours_is_the_base_the_driver_gives_theirs((base, _, theirs) in three()) {
        prop_assert_eq!(merge_files(&base, &base, &theirs).backlog, theirs);
    }
}
