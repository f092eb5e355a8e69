//! Worked examples from the frameworks' sources, hand-computed tables,
//! and the properties a proposed order keeps.

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::model::inputs::{IceCombine, Inputs, Moscow, Weight};
use crate::model::{InputValue, Placement, Points, Status, StoryId, StoryPatch};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap()
}

/// Stories "Story 1" to "Story n", in id order, with the inputs `set`
/// gives each (by its number).
fn backlog(n: u64, set: impl Fn(u64) -> Vec<(Input, f64)>) -> Backlog {
    let mut b = Backlog::new("Test");
    for i in 1..=n {
        let patch = StoryPatch {
            inputs: set(i)
                .into_iter()
                .map(|(input, v)| (input, Some(InputValue::Number(v))))
                .collect(),
            ..StoryPatch::title(format!("Story {i}"))
        };
        b.add(&patch, Placement::Bottom, now()).unwrap();
    }
    b
}

fn order(b: &Backlog, framework: Framework) -> Vec<u64> {
    let proposal = propose(b, framework, &Scoring::of(b, now()));
    proposal.ids(b).iter().map(|id| id.0).collect()
}

fn inputs_of(pairs: &[(Input, f64)]) -> Story {
    let mut story = Story::new(StoryId(1), crate::rank::Rank::first(), "s", now());
    for &(input, v) in pairs {
        input.set(&mut story.inputs, Some(InputValue::Number(v)));
    }
    story
}

fn scored(framework: Framework, story: &Story) -> Score {
    let b = Backlog::new("Test");
    score(framework, story, &Scoring::of(&b, now()))
}

#[test]
fn cd3_ranks_ten_over_two_below_thirty_over_four() {
    // Reinertsen and Arnold's example: 10 ÷ 2 = 5 comes after 30 ÷ 4 = 7.5.
    let b = backlog(2, |i| match i {
        1 => vec![(Input::CostOfDelay, 10.0), (Input::Duration, 2.0)],
        _ => vec![(Input::CostOfDelay, 30.0), (Input::Duration, 4.0)],
    });
    let scoring = Scoring::of(&b, now());
    let s1 = score(Framework::Cd3, b.get(StoryId(1)).unwrap(), &scoring);
    let s2 = score(Framework::Cd3, b.get(StoryId(2)).unwrap(), &scoring);
    assert_eq!(s1.value(), Some(5.0));
    assert_eq!(s2.value(), Some(7.5));
    assert_eq!(order(&b, Framework::Cd3), [2, 1]);
}

/// Five stories, WSJF and RICE worked by hand:
///
/// | story | value | time | risk | size | CoD | WSJF | reach | impact | conf | effort | RICE |
/// |---|---|---|---|---|---|---|---|---|---|---|---|
/// | 1 | 8  | 3  | 1 | 5  | 12 | 2.4  | 500  | 1    | 80  | 2   | 200  |
/// | 2 | 20 | 13 | 5 | 13 | 38 | 2.92 | 2000 | 0.5  | 50  | 4   | 125  |
/// | 3 | 3  | 2  | 1 | 1  | 6  | 6    | 100  | 3    | 100 | 0.5 | 600  |
/// | 4 | 13 | 8  | 8 | 20 | 29 | 1.45 | 1200 | 2    | 80  | 6   | 320  |
/// | 5 | 5  | 5  | 2 | 3  | 12 | 4    | 50   | 0.25 | 50  | 1   | 6.25 |
fn five_stories() -> Backlog {
    let rows: [[f64; 8]; 5] = [
        [8.0, 3.0, 1.0, 5.0, 500.0, 1.0, 80.0, 2.0],
        [20.0, 13.0, 5.0, 13.0, 2000.0, 0.5, 50.0, 4.0],
        [3.0, 2.0, 1.0, 1.0, 100.0, 3.0, 100.0, 0.5],
        [13.0, 8.0, 8.0, 20.0, 1200.0, 2.0, 80.0, 6.0],
        [5.0, 5.0, 2.0, 3.0, 50.0, 0.25, 50.0, 1.0],
    ];
    backlog(5, |i| {
        let row = rows[usize::try_from(i - 1).unwrap()];
        // WSJF's four inputs, then RICE's, as `Input::ALL` lists them.
        Input::ALL[..8].iter().copied().zip(row).collect()
    })
}

#[test]
fn a_hand_computed_wsjf_and_rice_table_gives_the_expected_orders() {
    let b = five_stories();
    let scoring = Scoring::of(&b, now());
    let values = |framework| -> Vec<f64> {
        b.ranked()
            .map(|s| score(framework, s, &scoring).value().unwrap())
            .map(|v| (v * 100.0).round() / 100.0)
            .collect()
    };
    assert_eq!(values(Framework::Wsjf), [2.4, 2.92, 6.0, 1.45, 4.0]);
    assert_eq!(values(Framework::Rice), [200.0, 125.0, 600.0, 320.0, 6.25]);
    assert_eq!(order(&b, Framework::Wsjf), [3, 5, 2, 1, 4]);
    assert_eq!(order(&b, Framework::Rice), [3, 4, 1, 2, 5]);
}

#[test]
fn a_missing_input_leaves_a_story_unscored_and_in_its_place() {
    // S-2 lacks its job size; the others are scored and reordered round it.
    let b = backlog(4, |i| {
        let mut set = vec![
            (
                Input::Value,
                [1.0, 20.0, 8.0, 13.0][usize::try_from(i - 1).unwrap()],
            ),
            (Input::TimeCriticality, 1.0),
            (Input::RiskReduction, 1.0),
        ];
        if i != 2 {
            set.push((Input::JobSize, 1.0));
        }
        set
    });
    let scoring = Scoring::of(&b, now());
    let s2 = score(Framework::Wsjf, b.get(StoryId(2)).unwrap(), &scoring);
    assert_eq!(
        s2,
        Score::Unscored {
            missing: vec!["job-size"]
        }
    );
    assert_eq!(s2.to_string(), "unscored: needs job-size");
    assert_eq!(order(&b, Framework::Wsjf), [4, 2, 3, 1]);
}

#[test]
fn a_zero_divisor_from_a_hand_edited_file_is_an_error_not_an_infinity() {
    let story = inputs_of(&[
        (Input::Value, 1.0),
        (Input::TimeCriticality, 1.0),
        (Input::RiskReduction, 1.0),
        (Input::JobSize, 0.0),
    ]);
    let wsjf = scored(Framework::Wsjf, &story);
    assert!(matches!(wsjf, Score::Invalid(_)), "{wsjf:?}");
    assert!(wsjf.to_string().contains("job size of 0"), "{wsjf}");
    let rice = inputs_of(&[
        (Input::Reach, 1.0),
        (Input::Impact, 1.0),
        (Input::Confidence, 100.0),
        (Input::Effort, 0.0),
    ]);
    assert!(matches!(scored(Framework::Rice, &rice), Score::Invalid(_)));
    let cd3 = inputs_of(&[(Input::CostOfDelay, 5.0), (Input::Duration, -1.0)]);
    assert!(matches!(scored(Framework::Cd3, &cd3), Score::Invalid(_)));
}

#[test]
fn ice_multiplies_or_averages_as_the_backlog_says() {
    let story = inputs_of(&[
        (Input::IceImpact, 8.0),
        (Input::IceConfidence, 5.0),
        (Input::IceEase, 2.0),
    ]);
    assert_eq!(scored(Framework::Ice, &story).value(), Some(80.0));
    let mut b = Backlog::new("Test");
    b.product.settings.priority.ice = IceCombine::Mean;
    let mean = score(Framework::Ice, &story, &Scoring::of(&b, now()));
    assert_eq!(mean.value(), Some(5.0));
}

#[test]
fn moscow_sorts_must_first_and_keeps_the_manual_order_within() {
    let mut b = backlog(5, |_| Vec::new());
    for (id, m) in [
        (1, Moscow::Could),
        (2, Moscow::Must),
        (3, Moscow::Wont),
        (4, Moscow::Must),
        (5, Moscow::Should),
    ] {
        let patch = StoryPatch {
            inputs: vec![(Input::Moscow, Some(InputValue::Moscow(m)))],
            ..StoryPatch::default()
        };
        b.edit(StoryId(id), &patch, now()).unwrap();
    }
    assert_eq!(order(&b, Framework::Moscow), [2, 4, 5, 1, 3]);
    let s2 = score(
        Framework::Moscow,
        b.get(StoryId(2)).unwrap(),
        &Scoring::of(&b, now()),
    );
    assert_eq!(s2.short(), "Must have");
}

#[test]
fn too_many_musts_are_warned_of_as_dsdm_advises() {
    let story = |m: Moscow, points: f64| {
        let mut s = Story::new(StoryId(1), crate::rank::Rank::first(), "s", now());
        s.inputs.moscow = Some(m);
        s.points = Some(Points::new(points).unwrap());
        s
    };
    let plan = [
        story(Moscow::Must, 8.0),
        story(Moscow::Must, 5.0),
        story(Moscow::Should, 3.0),
        story(Moscow::Could, 2.0),
        story(Moscow::Wont, 13.0),
    ];
    let share = must_share(&plan);
    assert_eq!(
        (share.must_points, share.planned_points),
        (13.0, 18.0),
        "won't is not planned"
    );
    let warning = share.warning().unwrap();
    assert!(warning.starts_with("Musts are 72% of the planned effort (13 of 18 points)"));
    let under = must_share(&plan[1..]);
    assert_eq!(under.share(), Some(0.5));
    assert!(under.warning().is_none());
}

#[test]
fn the_value_effort_quadrants_come_quick_wins_first() {
    // (value, job size): a money pit, a quick win, a fill-in, a major
    // project; thresholds at 8.
    let b = backlog(4, |i| {
        let (v, e) =
            [(2.0, 13.0), (13.0, 2.0), (3.0, 3.0), (20.0, 13.0)][usize::try_from(i - 1).unwrap()];
        vec![(Input::Value, v), (Input::JobSize, e)]
    });
    assert_eq!(order(&b, Framework::ValueEffort), [2, 4, 3, 1]);
    let scoring = Scoring::of(&b, now());
    let pit = score(Framework::ValueEffort, b.get(StoryId(1)).unwrap(), &scoring);
    assert!(pit.short().starts_with("Money pit"), "{}", pit.short());
}

#[test]
fn the_weighted_engine_sums_its_terms_and_explains_each() {
    let mut b = backlog(1, |_| vec![(Input::Value, 8.0)]);
    b.product.settings.priority.weights = vec![
        Weight {
            term: "value".parse().unwrap(),
            coefficient: 2.0,
        },
        Weight {
            term: "label:security".parse().unwrap(),
            coefficient: 5.0,
        },
        Weight {
            term: "age".parse().unwrap(),
            coefficient: 1.0,
        },
    ];
    let patch = StoryPatch {
        add_labels: vec!["Security".into()],
        ..StoryPatch::default()
    };
    b.edit(StoryId(1), &patch, now()).unwrap();
    let scoring = Scoring {
        now: now() + chrono::Duration::days(73),
        ..Scoring::of(&b, now())
    };
    let story = b.get(StoryId(1)).unwrap();
    // 2 × 8 + 5 × 1 + 1 × 73/365.
    assert_eq!(
        score(Framework::Weighted, story, &scoring).value(),
        Some(21.2)
    );
    let why = explain(Framework::Weighted, story, &scoring);
    assert_eq!(why.lines.len(), 3);
    assert_eq!(why.lines[1].adds, Some(5.0));
    let text = why.to_string();
    assert!(text.contains("label:security    1 × 5 = +5"), "{text}");
    assert!(text.ends_with("= 21.2"), "{text}");
    // A numeric term the story lacks leaves it unscored.
    b.product.settings.priority.weights.push(Weight {
        term: "points".parse().unwrap(),
        coefficient: 1.0,
    });
    let scoring = Scoring::of(&b, now());
    let story = b.get(StoryId(1)).unwrap();
    assert_eq!(
        score(Framework::Weighted, story, &scoring),
        Score::Unscored {
            missing: vec!["points"]
        }
    );
}

#[test]
fn a_wsjf_explanation_shows_each_input_the_cost_of_delay_and_the_result() {
    let b = five_stories();
    let story = b.get(StoryId(2)).unwrap();
    let why = explain(Framework::Wsjf, story, &Scoring::of(&b, now()));
    let text = why.to_string();
    assert_eq!(
        text,
        "WSJF: (user-business value + time criticality + risk reduction) ÷ job size\n\
         \x20 user-business value                      20\n\
         \x20 time criticality                         13\n\
         \x20 risk reduction / opportunity enablement   5\n\
         \x20 Cost of Delay                            38\n\
         \x20 job size                                 13\n\
         \x20 = 2.92"
    );
}

#[test]
fn done_work_keeps_its_place() {
    let mut b = five_stories();
    let done = StoryPatch {
        status: Some(Status::Done),
        ..StoryPatch::default()
    };
    b.edit(StoryId(3), &done, now()).unwrap();
    // S-3 scores best but is done: it stays third.
    assert_eq!(order(&b, Framework::Wsjf), [5, 2, 3, 1, 4]);
}

#[test]
fn a_story_never_goes_above_its_open_blockers() {
    let mut b = five_stories();
    // S-3 (best) waits for S-4 (worst); S-5 for S-1.
    for (id, blocker) in [(3, 4), (5, 1)] {
        let patch = StoryPatch {
            add_blocked_by: vec![StoryId(blocker)],
            ..StoryPatch::default()
        };
        b.edit(StoryId(id), &patch, now()).unwrap();
    }
    assert_eq!(order(&b, Framework::Wsjf), [2, 1, 5, 4, 3]);
}

#[test]
fn accepting_the_whole_proposal_is_one_change_with_short_keys() {
    let mut b = five_stories();
    let proposal = propose(&b, Framework::Rice, &Scoring::of(&b, now()));
    let ids = proposal.ids(&b);
    let (done, step) = b.watched(|b| b.reorder(&ids));
    done.unwrap();
    let ranked: Vec<u64> = b.ranked().map(|s| s.id.0).collect();
    assert_eq!(ranked, [3, 4, 1, 2, 5]);
    // S-1 and S-2 (or another longest run in order) keep their keys.
    assert!(
        step.stories.len() < 5,
        "{} stories re-keyed",
        step.stories.len()
    );
    assert!(b.ranked().all(|s| s.rank.size() <= crate::rank::LONGEST));
    let again = propose(&b, Framework::Rice, &Scoring::of(&b, now()));
    assert!(again.is_manual());
}

/// A backlog of up to 12 stories with WSJF inputs (some missing), some
/// done, blockers only on stories added before (so no loop), ranked in
/// any order.
fn wsjf_backlog() -> impl Strategy<Value = Backlog> {
    let scale = [1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0];
    let story = (
        prop::option::of(prop::sample::select(scale.to_vec())),
        prop::sample::select(scale.to_vec()),
        prop::sample::select(scale.to_vec()),
        prop::sample::select(scale.to_vec()),
        prop::bool::weighted(0.15),
        prop::collection::vec(0usize..12, 0..2),
    );
    let shuffle = prop::collection::vec(any::<u32>(), 12);
    (prop::collection::vec(story, 1..12), shuffle).prop_map(move |(rows, shuffle)| {
        let mut b = Backlog::new("Test");
        for (i, (value, time, risk, size, done, blockers)) in rows.iter().enumerate() {
            let mut inputs = vec![
                (Input::TimeCriticality, Some(InputValue::Number(*time))),
                (Input::RiskReduction, Some(InputValue::Number(*risk))),
                (Input::JobSize, Some(InputValue::Number(*size))),
            ];
            if let Some(value) = value {
                inputs.push((Input::Value, Some(InputValue::Number(*value))));
            }
            let patch = StoryPatch {
                inputs,
                status: done.then_some(Status::Done),
                // Only stories added before: never a loop.
                add_blocked_by: blockers
                    .iter()
                    .filter(|&&k| k < i)
                    .map(|&k| StoryId(k as u64 + 1))
                    .collect(),
                ..StoryPatch::title(format!("Story {}", i + 1))
            };
            b.add(&patch, Placement::Bottom, now()).unwrap();
        }
        // Ranked in any order, so a story may be ranked above its
        // blocker, or a done or unscored one be where a link must move it.
        let mut ids: Vec<StoryId> = b.ranked().map(|s| s.id).collect();
        ids.sort_by_key(|id| shuffle[usize::try_from(id.0 - 1).unwrap()]);
        b.reorder(&ids).unwrap();
        b
    })
}

fn without_links(b: &Backlog) -> Backlog {
    let mut b = b.clone();
    let ids: Vec<StoryId> = b.ranked().map(|s| s.id).collect();
    for id in ids {
        let patch = StoryPatch {
            blocked_by: Some(Vec::new()),
            ..StoryPatch::default()
        };
        b.edit(id, &patch, now()).unwrap();
    }
    b
}

proptest! {
    #[test]
    fn scaling_every_cost_of_delay_input_keeps_the_wsjf_order(b in wsjf_backlog(), k in 1u32..5) {
        // The scale is whatever the inputs are; multiplying them is allowed
        // on a scale that holds the results.
        let mut scaled = b.clone();
        let mut wide = scaled.product.settings.priority.clone();
        wide.wsjf_scale = (1..=100).collect();
        scaled.product.settings.priority = wide;
        let ids: Vec<StoryId> = scaled.ranked().map(|s| s.id).collect();
        let k = f64::from(k);
        for id in ids {
            let story = scaled.get(id).unwrap().clone();
            let mut inputs = Inputs::default();
            for input in [Input::Value, Input::TimeCriticality, Input::RiskReduction] {
                if let Some(v) = input.number(&story.inputs) {
                    input.set(&mut inputs, Some(InputValue::Number(v * k)));
                }
            }
            let patch = StoryPatch {
                inputs: [Input::Value, Input::TimeCriticality, Input::RiskReduction]
                    .into_iter()
                    .map(|i| (i, i.get(&inputs)))
                    .collect(),
                ..StoryPatch::default()
            };
            scaled.edit(id, &patch, now()).unwrap();
        }
        prop_assert_eq!(order(&b, Framework::Wsjf), order(&scaled, Framework::Wsjf));
    }

    #[test]
    fn raising_a_storys_value_never_lowers_its_place(b in wsjf_backlog(), pick in 0usize..12) {
        let b = without_links(&b);
        let ids: Vec<StoryId> = b.ranked().map(|s| s.id).collect();
        let id = ids[pick % ids.len()];
        // Raised from a value it has: from none, it was unscored and kept
        // its place, which no score promises to keep.
        let story = b.get(id).unwrap();
        prop_assume!(story.inputs.value.is_some() && story.status.is_open());
        let place = |b: &Backlog| {
            let p = propose(b, Framework::Wsjf, &Scoring::of(b, now()));
            p.ids(b).iter().position(|x| *x == id).unwrap()
        };
        let before = place(&b);
        let mut raised = b.clone();
        let patch = StoryPatch {
            inputs: vec![(Input::Value, Some(InputValue::Number(20.0)))],
            ..StoryPatch::default()
        };
        raised.edit(id, &patch, now()).unwrap();
        prop_assert!(place(&raised) <= before);
    }

    #[test]
    fn ties_keep_the_manual_order_and_unscored_stories_never_move(b in wsjf_backlog()) {
        let b = without_links(&b);
        let scoring = Scoring::of(&b, now());
        let p = propose(&b, Framework::Wsjf, &scoring);
        for (now, story) in b.ranked().enumerate() {
            if !story.status.is_open() || p.scores[now].value().is_none() {
                prop_assert_eq!(p.then[now], now, "{} moved", story.id);
            }
        }
        // Of the stories the proposal moves (open and scored), in the
        // order proposed, those tied keep their manual order.
        let open: Vec<bool> = b.ranked().map(|s| s.status.is_open()).collect();
        let moved: Vec<usize> = p
            .order
            .iter()
            .copied()
            .filter(|&now| open[now] && p.scores[now].value().is_some())
            .collect();
        for pair in moved.windows(2) {
            let (a, c) = (&p.scores[pair[0]], &p.scores[pair[1]]);
            if a.value() == c.value() {
                prop_assert!(pair[0] < pair[1], "a tie out of manual order");
            }
        }
    }

    #[test]
    fn a_proposed_order_never_puts_a_story_above_an_open_blocker(b in wsjf_backlog()) {
        let p = propose(&b, Framework::Wsjf, &Scoring::of(&b, now()));
        let ids = p.ids(&b);
        let place = |id: StoryId| ids.iter().position(|x| *x == id).unwrap();
        for story in b.ranked() {
            for blocker in b.open_blockers(story) {
                prop_assert!(place(blocker.id) < place(story.id), "{} above {}", story.id, blocker.id);
            }
        }
        let mut applied = b.clone();
        applied.reorder(&ids).unwrap();
        let ranked: Vec<StoryId> = applied.ranked().map(|s| s.id).collect();
        prop_assert_eq!(ranked, ids);
    }
}

#[test]
fn stories_round_a_loop_from_a_merged_file_are_all_placed_the_first_wanted_first() {
    // A loop cannot be linked, but two writers' links merged can make one.
    let b = five_stories();
    let mut stories: Vec<std::sync::Arc<Story>> = b.stories_by_id().to_vec();
    for (id, blocker) in [(1, 2), (2, 1)] {
        std::sync::Arc::make_mut(&mut stories[id - 1]).blocked_by = vec![StoryId(blocker)];
    }
    let looped = Backlog::from_parts(b.product.clone(), b.next_id(), stories).unwrap();
    let ids = order(&looped, Framework::Wsjf);
    assert_eq!(ids.len(), 5);
    // S-2 scores above S-1, so it goes first, S-1 after it.
    assert_eq!(ids, [3, 5, 2, 1, 4]);
}

/// Feedback from `customers` (name, importance), each linked to story
/// `id` of `b`.
fn asked_for(b: &mut Backlog, id: u64, customers: &[(&str, u8)]) {
    use crate::model::{Feedback, FeedbackId, Importance};
    for &(customer, importance) in customers {
        let mut item = Feedback::new(FeedbackId(0), "Please", customer, now());
        item.importance = Importance::from_value(importance).unwrap();
        let item = b.add_feedback(item).unwrap();
        b.link_feedback(item, StoryId(id), now()).unwrap();
    }
}

#[test]
fn customers_asking_are_a_storys_reach_when_none_is_set() {
    let rice = |_| {
        vec![
            (Input::Impact, 2.0),
            (Input::Confidence, 50.0),
            (Input::Effort, 1.0),
        ]
    };
    let mut b = backlog(3, rice);
    // Story 3 has a reach of its own, which stands over the customers.
    let patch = StoryPatch {
        inputs: vec![(Input::Reach, Some(InputValue::Number(10.0)))],
        ..StoryPatch::default()
    };
    b.edit(StoryId(3), &patch, now()).unwrap();
    asked_for(&mut b, 1, &[("Acme", 3), ("Globex", 1), ("acme", 1)]);
    asked_for(&mut b, 3, &[("Acme", 3)]);
    let scoring = Scoring::of(&b, now());
    let rice_of = |id| score(Framework::Rice, b.get(StoryId(id)).unwrap(), &scoring);
    // 2 customers × 2 × 50 % ÷ 1.
    assert_eq!(rice_of(1).value(), Some(2.0));
    assert_eq!(
        rice_of(2),
        Score::Unscored {
            missing: vec!["reach"]
        }
    );
    assert_eq!(rice_of(3).value(), Some(10.0));
    let why = explain(Framework::Rice, b.get(StoryId(1)).unwrap(), &scoring).to_string();
    assert!(why.contains("2 (customers asking)"), "{why}");
    // Story 2, unscored, keeps its place between them.
    assert_eq!(order(&b, Framework::Rice), [3, 2, 1]);
}

#[test]
fn the_weighted_engine_weighs_customers_and_their_demand() {
    let mut b = backlog(2, |_| Vec::new());
    b.product.settings.priority.weights = vec![
        Weight {
            term: "customers".parse().unwrap(),
            coefficient: 1.0,
        },
        Weight {
            term: "demand".parse().unwrap(),
            coefficient: 2.0,
        },
    ];
    asked_for(&mut b, 2, &[("Acme", 3), ("Globex", 2), ("ACME", 0)]);
    let scoring = Scoring::of(&b, now());
    let weighted = |id| score(Framework::Weighted, b.get(StoryId(id)).unwrap(), &scoring);
    // Nobody asking is a true zero, not a missing input.
    assert_eq!(weighted(1).value(), Some(0.0));
    // 2 customers × 1 + (3 + 2) × 2.
    assert_eq!(weighted(2).value(), Some(12.0));
    assert_eq!(order(&b, Framework::Weighted), [2, 1]);
}
