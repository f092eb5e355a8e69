//! The three-way merge the TUI runs against other writers (and the git
//! merge driver will): a base backlog and two sides, each changed from it
//! by the model's own operations, merged.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use proptest::prelude::*;

use super::*;
use crate::model::backlog::renumber_story;

/// A change either side may make, with indexes picking stories and epics.
#[derive(Clone, Debug)]
enum Change {
    Title(usize, u8),
    Status(usize, u8),
    Points(usize, Option<u8>),
    Label(usize, u8),
    Epic(usize, Option<u8>),
    Move(usize, u8, usize),
    MoveTogether(Vec<usize>, u8, usize),
    Add(u8, usize, u8),
    Delete(usize),
    Split(usize),
    Comment(usize, u8),
    Vision(u8),
    Goal(u8),
    NewEpic(u8),
    RecolourEpic(usize, u8),
    RenameEpic(usize, u8),
    RemoveEpic(usize),
}

const WORDS: [&str; 4] = ["alpha", "bravo", "charlie", "delta"];
const EPICS: [&str; 3] = ["Checkout", "Search", "Billing"];

fn change() -> impl Strategy<Value = Change> {
    let i = || 0usize..64;
    prop_oneof![
        3 => (i(), 0u8..4).prop_map(|(s, w)| Change::Title(s, w)),
        2 => (i(), 0u8..5).prop_map(|(s, k)| Change::Status(s, k)),
        2 => (i(), prop::option::of(0u8..4)).prop_map(|(s, p)| Change::Points(s, p)),
        1 => (i(), 0u8..3).prop_map(|(s, l)| Change::Label(s, l)),
        1 => (i(), prop::option::of(0u8..3)).prop_map(|(s, e)| Change::Epic(s, e)),
        4 => (i(), 0u8..7, i()).prop_map(|(s, k, j)| Change::Move(s, k, j)),
        1 => (prop::collection::vec(i(), 1..4), 0u8..4, i())
            .prop_map(|(s, k, j)| Change::MoveTogether(s, k, j)),
        2 => (0u8..3, i(), 0u8..4).prop_map(|(p, a, w)| Change::Add(p, a, w)),
        1 => i().prop_map(Change::Delete),
        1 => i().prop_map(Change::Split),
        1 => (i(), 0u8..4).prop_map(|(s, w)| Change::Comment(s, w)),
        1 => (0u8..4).prop_map(Change::Vision),
        1 => (0u8..4).prop_map(Change::Goal),
        1 => (0u8..3).prop_map(Change::NewEpic),
        1 => (i(), 0u8..6).prop_map(|(e, c)| Change::RecolourEpic(e, c)),
        1 => (i(), 0u8..3).prop_map(|(e, n)| Change::RenameEpic(e, n)),
        1 => i().prop_map(Change::RemoveEpic),
    ]
}

fn story_at(b: &Backlog, i: usize) -> Option<StoryId> {
    let stories = b.stories_by_id();
    (!stories.is_empty()).then(|| stories[i % stories.len()].id)
}

/// Make `change` on `side` (one of "a" and "b", which the texts it writes
/// carry); a change the model refuses changes nothing, as the model
/// promises, and is checked.
fn make(b: &mut Backlog, side: &str, change: &Change) {
    let was = b.clone();
    let done = if let Some((s, patch)) = patch_for(side, change) {
        story_at(b, s).is_some_and(|id| b.edit(id, &patch, t0()).is_ok())
    } else {
        move_or_add(b, side, change) || change_product(b, side, change)
    };
    if !done {
        assert_eq!(*b, was, "a refused {change:?} changed the backlog");
    }
}

fn word(w: u8) -> &'static str {
    WORDS[usize::from(w)]
}

/// The story and the edit, for a change that edits one story.
fn patch_for(side: &str, change: &Change) -> Option<(usize, StoryPatch)> {
    let patch = match change {
        Change::Title(s, w) => (*s, StoryPatch::title(format!("{} {side}", word(*w)))),
        Change::Status(s, k) => {
            let status = [
                Status::Draft,
                Status::Ready,
                Status::InProgress,
                Status::Done,
                Status::Rejected,
            ][usize::from(*k)];
            let patch = StoryPatch {
                status: Some(status),
                override_ready: Some(Stamp {
                    at: t0(),
                    by: side.into(),
                }),
                ..StoryPatch::default()
            };
            (*s, patch)
        }
        Change::Points(s, p) => {
            let patch = StoryPatch {
                points: Some(p.map(|p| pts(f64::from(p) + 1.0))),
                ..StoryPatch::default()
            };
            (*s, patch)
        }
        Change::Label(s, l) => {
            let patch = StoryPatch {
                add_labels: vec![word(*l).to_string()],
                ..StoryPatch::default()
            };
            (*s, patch)
        }
        Change::Epic(s, e) => {
            let patch = StoryPatch {
                epic: Some(e.map(|e| EPICS[usize::from(e)].to_string())),
                new_epic: true,
                ..StoryPatch::default()
            };
            (*s, patch)
        }
        _ => return None,
    };
    Some(patch)
}

/// Moves, adds, deletes, splits and comments; false for a change it does
/// not make, or one the model refused.
fn move_or_add(b: &mut Backlog, side: &str, change: &Change) -> bool {
    let story = |i: &usize| story_at(b, *i);
    match change {
        Change::Move(s, kind, j) => story(s).is_some_and(|id| {
            let anchor = story_at(b, *j).unwrap_or(id);
            let to = match kind {
                0 => Move::Up,
                1 => Move::Down,
                2 => Move::Top,
                3 => Move::Bottom,
                4 => Move::Before(anchor),
                5 => Move::After(anchor),
                _ => Move::To(j % (b.len() + 1) + 1),
            };
            b.move_story(id, to).is_ok()
        }),
        Change::MoveTogether(stories, kind, j) => {
            let ids: Vec<StoryId> = stories.iter().filter_map(story).collect();
            story(j).is_some_and(|anchor| {
                let to = match kind {
                    0 => Destination::Top,
                    1 => Destination::Bottom,
                    2 => Destination::Before(anchor),
                    _ => Destination::After(anchor),
                };
                b.move_stories(&ids, to).is_ok()
            })
        }
        Change::Add(place, anchor, w) => {
            let placement = match (place, story(anchor)) {
                (0, _) => Placement::Top,
                (1, _) | (_, None) => Placement::Bottom,
                (_, Some(anchor)) => Placement::After(anchor),
            };
            let title = format!("new {} {side}{}", word(*w), b.next_id());
            b.add(&StoryPatch::title(title), placement, t0()).is_ok()
        }
        Change::Delete(s) => story(s).is_some_and(|id| b.remove(id).is_ok()),
        Change::Split(s) => story(s).is_some_and(|id| {
            b.split(id, &format!("half {side}{}", b.next_id()), &[], t0())
                .is_ok()
        }),
        Change::Comment(s, w) => story(s).is_some_and(|id| {
            let comment = Comment {
                at: t0(),
                author: side.into(),
                text: word(*w).into(),
                question: false,
                resolved: None,
                decision: false,
                answer: None,
                edited: None,
            };
            b.comment(id, comment).is_ok()
        }),
        _ => false,
    }
}

/// Changes to the product's parts; false for a change it does not make,
/// or one the model refused.
fn change_product(b: &mut Backlog, side: &str, change: &Change) -> bool {
    let epic_at = |b: &Backlog, e: usize| {
        let epics = &b.product.epics;
        (!epics.is_empty()).then(|| epics[e % epics.len()].clone())
    };
    match change {
        Change::Vision(w) => {
            b.product.vision = format!("{} {side}", word(*w));
            true
        }
        Change::Goal(w) => {
            b.product.goals.push(format!("{} {side}", word(*w)));
            true
        }
        Change::NewEpic(e) => b
            .add_epic(Epic {
                name: EPICS[usize::from(*e)].to_string(),
                color: b.product.next_color(),
                goal: String::new(),
                target_release: None,
            })
            .is_ok(),
        Change::RecolourEpic(e, c) => epic_at(b, *e).is_some_and(|mut epic| {
            let name = epic.name.clone();
            epic.color = EpicColor::ALL[usize::from(*c) % EpicColor::ALL.len()];
            b.update_epic(&name, epic, t0()).is_ok()
        }),
        Change::RenameEpic(e, n) => epic_at(b, *e).is_some_and(|mut epic| {
            let name = epic.name.clone();
            epic.name = format!("{} {side}", EPICS[usize::from(*n)]);
            b.update_epic(&name, epic, t0()).is_ok()
        }),
        Change::RemoveEpic(e) => epic_at(b, *e).is_some_and(|epic| {
            b.remove_epic(&epic.name, &EpicStories::Unassign, t0())
                .is_ok()
        }),
        _ => false,
    }
}

/// A base of a few stories changed a little, and two sides changed from
/// it independently.
fn three() -> impl Strategy<Value = (Backlog, Backlog, Backlog)> {
    let changes = || prop::collection::vec(change(), 0..12);
    (0usize..7, changes(), changes(), changes()).prop_map(|(n, base, a, b)| {
        let mut start = backlog_of(n);
        for change in &base {
            make(&mut start, "base", change);
        }
        let (mut ours, mut theirs) = (start.clone(), start.clone());
        for change in &a {
            make(&mut ours, "a", change);
        }
        for change in &b {
            make(&mut theirs, "b", change);
        }
        (start, ours, theirs)
    })
}

fn by_id(b: &Backlog) -> HashMap<StoryId, &Arc<Story>> {
    b.stories_by_id().iter().map(|s| (s.id, s)).collect()
}

/// Each story of a merge, named so that the two orders of merging can be
/// compared: a story of the base by its id, a new one by the side that
/// added it and the id it had there (the file's new stories keep their
/// ids, ours are renumbered past them, so the ids differ between the two
/// orders). Everything a story says of other stories is named so too.
fn normalised(merged: &Merged, base: &Backlog, ours: &Backlog, theirs: &Backlog) -> Vec<String> {
    let base_ids: BTreeSet<StoryId> = base.stories_by_id().iter().map(|s| s.id).collect();
    let back: HashMap<StoryId, StoryId> = merged
        .renumbered
        .iter()
        .map(|&(old, new)| (new, old))
        .collect();
    let theirs_ids: BTreeSet<StoryId> = theirs.stories_by_id().iter().map(|s| s.id).collect();
    let ours_title: HashMap<StoryId, &str> = ours
        .stories_by_id()
        .iter()
        .map(|s| (s.id, s.title.as_str()))
        .collect();
    let name = |id: StoryId| -> String {
        if base_ids.contains(&id) {
            return format!("{id}");
        }
        if let Some(old) = back.get(&id) {
            return format!("{} {old}", ours_title.get(old).copied().unwrap_or("?"));
        }
        let title = merged.backlog.get(id).map_or("?", |s| s.title.as_str());
        // An id ours was moved away from names none of ours now.
        let moved_away = merged.renumbered.iter().any(|&(old, _)| old == id);
        if theirs_ids.contains(&id) || moved_away {
            format!("{title} {id}")
        } else {
            format!("{} {id}", ours_title.get(&id).copied().unwrap_or(title))
        }
    };
    merged
        .backlog
        .ranked()
        .map(|story| {
            let mut story = story.clone();
            let id = name(story.id);
            let from = story.split_from.map(name);
            let into: Vec<String> = story.split_into.iter().map(|&id| name(id)).collect();
            story.split_from = None;
            story.split_into = Vec::new();
            story.id = StoryId(0);
            story.rank = Rank::first();
            format!("{id} | from {from:?} into {into:?} | {story:?}")
        })
        .collect()
}

#[test]
fn a_split_whose_half_we_deleted_does_not_name_the_files_new_story() {
    // We split S-2 into S-3 and deleted S-3; the other writer split S-2
    // too, into a story of its own it also called S-3. Our S-2 names our
    // S-3, which moves past the file's ids: both changed S-2, a clash,
    // whichever side is the file.
    let base = backlog_of(2);
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.split(StoryId(2), "Our half", &[], t0()).unwrap();
    ours.remove(StoryId(3)).unwrap();
    theirs.split(StoryId(2), "Their half", &[], t0()).unwrap();
    for (ours, theirs) in [(&ours, &theirs), (&theirs, &ours)] {
        let merged = merge(&base, ours, theirs);
        assert_eq!(merged.renumbered, [(StoryId(3), StoryId(4))]);
        assert_eq!(merged.conflicts.len(), 1, "both changed S-2");
        assert_eq!(merged.conflicts[0].split_into, [StoryId(4)]);
        assert_eq!(
            merged.backlog.get(StoryId(2)),
            theirs.get(StoryId(2)),
            "the file's S-2"
        );
    }
}

#[test]
fn both_sides_splitting_one_story_is_a_clash_not_a_lost_link() {
    // Each side split S-1, and each called its new half S-2: S-1 says
    // "split into S-2" on both sides, about two different stories. Ours
    // moves to S-3; the merge must not take the two S-1s for the same.
    let base = backlog_of(1);
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.split(StoryId(1), "Our half", &[], t0()).unwrap();
    theirs.split(StoryId(1), "Their half", &[], t0()).unwrap();
    let merged = merge(&base, &ours, &theirs);
    assert_eq!(merged.renumbered, [(StoryId(2), StoryId(3))]);
    let b = &merged.backlog;
    assert_eq!(b.get(StoryId(3)).unwrap().title, "Our half");
    assert_eq!(b.get(StoryId(3)).unwrap().split_from, Some(StoryId(1)));
    assert_eq!(
        b.get(StoryId(1)).unwrap().split_into,
        [StoryId(2)],
        "the file's"
    );
    assert_eq!(merged.conflicts.len(), 1, "both changed S-1");
    assert_eq!(
        merged.conflicts[0].split_into,
        [StoryId(3)],
        "ours, as merged"
    );
}

#[test]
fn a_respread_here_and_edits_elsewhere_merge_without_a_clash() {
    // Rotations until the next move must respread its neighbours; the
    // other writer retitles the neighbours meanwhile.
    let mut base = backlog_of(3);
    let (position, to) = (0..1_000)
        .map(|step: u32| {
            if step.is_multiple_of(2) {
                (0, Move::To(2))
            } else {
                (2, Move::To(2))
            }
        })
        .find(|&(position, to)| {
            let respreads = base.rekeyed_by_move(position, to).len() > 1;
            if !respreads {
                base.move_at(position, to).unwrap();
            }
            respreads
        })
        .expect("rotations come to a respread");
    let mut ours = base.clone();
    let rekeyed = ours.rekeyed_by_move(position, to);
    ours.move_at(position, to).unwrap();
    let mut theirs = base.clone();
    for id in &rekeyed {
        theirs
            .edit(*id, &StoryPatch::title(format!("Theirs {id}")), t0())
            .unwrap();
    }
    let merged = merge(&base, &ours, &theirs);
    assert!(!merged.has_conflicts());
    assert_eq!(ids(&merged.backlog), ids(&ours), "our order");
    for id in &rekeyed {
        let story = merged.backlog.get(*id).unwrap();
        assert_eq!(story.title, format!("Theirs {id}"), "their words");
        assert_eq!(story.rank, ours.get(*id).unwrap().rank, "our key");
    }
}

#[test]
fn a_goal_written_twice_or_again_survives_a_merge() {
    let mut base = backlog_of(1);
    base.product.goals = vec!["Grow".into()];
    let mut side = base.clone();
    side.product
        .goals
        .extend(["Keep".into(), "Keep".into(), "Grow".into()]);
    for merged in [merge(&base, &side, &base), merge(&base, &base, &side)] {
        assert_eq!(merged.backlog.product.goals, side.product.goals);
    }
}

#[test]
fn stories_both_sides_put_in_one_place_come_in_the_same_order_either_way() {
    let base = backlog_of(2);
    let (mut a, mut b) = (base.clone(), base.clone());
    a.add(&StoryPatch::title("From a"), Placement::Top, t0())
        .unwrap();
    b.add(&StoryPatch::title("From b"), Placement::Top, t0())
        .unwrap();
    let titles = |merged: &Merged| -> Vec<String> {
        merged.backlog.ranked().map(|s| s.title.clone()).collect()
    };
    let (ab, ba) = (merge(&base, &a, &b), merge(&base, &b, &a));
    assert_eq!(titles(&ab), ["From a", "From b", "Story 1", "Story 2"]);
    assert_eq!(titles(&ab), titles(&ba));
    assert!(ranks(&ab.backlog).windows(2).all(|w| w[0] < w[1]));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_story_is_lost_or_duplicated((base, ours, theirs) in three()) {
        let merged = merge(&base, &ours, &theirs);
        let (base_by, ours_by, theirs_by) = (by_id(&base), by_id(&ours), by_id(&theirs));
        let in_merge: BTreeMap<StoryId, &Story> =
            merged.backlog.ranked().map(|s| (s.id, s)).collect();
        prop_assert_eq!(in_merge.len(), merged.backlog.len(), "an id twice");
        let renumbered: HashMap<StoryId, StoryId> = merged.renumbered.iter().copied().collect();
        let kept_aside: BTreeSet<StoryId> = merged.conflicts.iter().map(|s| s.id).collect();
        // Every story of the file is there, but one we deleted that the
        // file left as it was.
        for (id, t) in &theirs_by {
            let deleted_by_us = base_by.get(id).is_some_and(|b| **b == **t) && !ours_by.contains_key(id);
            prop_assert_eq!(in_merge.contains_key(id), !deleted_by_us, "{} of the file", id);
        }
        // Every story of ours is there (renumbered when the file took its
        // id), or kept aside as a conflict when the file deleted it after
        // we changed it; one we left as it was may go with the file.
        for (id, o) in &ours_by {
            if !base_by.contains_key(id) {
                let now = renumbered.get(id).copied().unwrap_or(*id);
                prop_assert!(in_merge.get(&now).is_some_and(|s| s.title == o.title), "our new {} is {}", id, now);
            } else if !theirs_by.contains_key(id) {
                prop_assert!(!in_merge.contains_key(id));
                let changed = base_by.get(id).is_some_and(|b| **b != **o);
                prop_assert_eq!(kept_aside.contains(id), changed, "{} deleted in the file", id);
            }
        }
        // And nothing else: a story of the merge comes from the file or
        // from us.
        for id in in_merge.keys() {
            let ours_new = merged.renumbered.iter().any(|(_, new)| new == id);
            prop_assert!(theirs_by.contains_key(id) || ours_by.contains_key(id) || ours_new, "{} from nowhere", id);
        }
        // Both sides' changes to one story, and ours kept aside whole (as
        // the merge names our stories).
        for conflict in &merged.conflicts {
            let ours_said = ours_by.get(&conflict.id).is_some_and(|o| {
                let mut o = Arc::clone(o);
                renumber_story(&mut o, &merged.renumbered);
                *o == *conflict
            });
            prop_assert!(ours_said, "{} kept aside", conflict.id);
        }
        let keys = ranks(&merged.backlog);
        prop_assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn merging_a_side_with_the_base_gives_that_side((base, side, _) in three()) {
        for merged in [merge(&base, &side, &base), merge(&base, &base, &side)] {
            prop_assert!(!merged.has_conflicts());
            prop_assert!(merged.renumbered.is_empty());
            prop_assert_eq!(&merged.backlog, &side);
            prop_assert_eq!(ids(&merged.backlog), ids(&side));
        }
    }

    /// The same stories in the same order, saying the same, and the same
    /// product, whichever side is the file. Only ids may differ: where
    /// both sides took an id, the file's story keeps it and ours moves
    /// past (so where the id counter ends differs too), which is why the
    /// stories are compared by `normalised`.
    #[test]
    fn merges_without_a_clash_are_symmetric((base, a, b) in three()) {
        let ab = merge(&base, &a, &b);
        let ba = merge(&base, &b, &a);
        prop_assert_eq!(ab.has_conflicts(), ba.has_conflicts());
        if !ab.has_conflicts() {
            prop_assert_eq!(normalised(&ab, &base, &a, &b), normalised(&ba, &base, &b, &a));
            prop_assert_eq!(&ab.backlog.product, &ba.backlog.product);
        }
    }
}

mod files;

/// A git pull brought clashes into the file while the TUI had a change
/// of its own: the TUI's merge keeps them (they are the file's record of
/// what waits to be settled), and one the TUI settled stays settled.
#[test]
fn clashes_in_the_file_survive_another_writers_merge() {
    let now = chrono::Utc::now();
    let mut base = Backlog::new("P");
    for title in ["One", "Two"] {
        base.add(&StoryPatch::title(title), Placement::Bottom, now)
            .unwrap();
    }
    let clash = |field: &str| Clash {
        story: Some(StoryId(1)),
        field: field.into(),
        base: "One".into(),
        ours: "Uno".into(),
        theirs: "Eins".into(),
        ours_by: None,
        theirs_by: None,
    };
    let mut theirs = base.clone();
    theirs.record_clashes(vec![clash("title")]).unwrap();
    let mut ours = base.clone();
    ours.edit(StoryId(2), &StoryPatch::title("Two, edited"), now)
        .unwrap();
    let merged = merge(&base, &ours, &theirs);
    assert_eq!(merged.backlog.clashes(), &[clash("title")]);
    assert_eq!(merged.backlog.get(StoryId(2)).unwrap().title, "Two, edited");
    // Settled on our side since: it stays settled.
    let mut settled = theirs.clone();
    settled
        .settle_clash(Some(StoryId(1)), "title", Settle::Ours, now)
        .unwrap();
    let merged = merge(&theirs, &settled, &theirs);
    assert!(merged.backlog.clashes().is_empty());
}
