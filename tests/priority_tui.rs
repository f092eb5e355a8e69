//! Prioritisation in the TUI: picking a framework gives the table a score
//! column, `w` explains a score, the inputs panel weighs a story, and the
//! priority pane suggests an order the owner accepts a story at a time,
//! or whole; each acceptance one undo step.

mod common;

use backlog::cli::demo_backlog;
use backlog::model::{Backlog, Input, InputValue, Moscow, Points, StoryId, StoryPatch};
use backlog::priority::Framework;
use backlog::tui::keymap::Context;
use backlog::tui::screens::priority::PriorityPane;
use common::{app, fixed_clock, numbered, order, press, screen, squeezed, typed};

/// WSJF's inputs: user-business value, time criticality, risk reduction
/// and job size.
fn wsjf(backlog: &mut Backlog, id: u64, [value, time, risk, size]: [f64; 4]) {
    let number = |n: f64| Some(InputValue::Number(n));
    let patch = StoryPatch {
        inputs: vec![
            (Input::Value, number(value)),
            (Input::TimeCriticality, number(time)),
            (Input::RiskReduction, number(risk)),
            (Input::JobSize, number(size)),
        ],
        ..StoryPatch::default()
    };
    backlog.edit(StoryId(id), &patch, fixed_clock()).unwrap();
}

/// Six stories, the first five weighed for WSJF, the sixth not:
/// S-1 (1+1+1)/5 = 0.6, S-2 (8+5+3)/8 = 2, S-3 (13+8+5)/2 = 13,
/// S-4 (3+2+1)/1 = 6, S-5 (20+13+8)/13 = 3.15, S-6 unscored.
/// Suggested: S-3, S-4, S-5, S-2, S-1, and S-6 in its place.
fn weighed() -> Backlog {
    let mut b = numbered(6);
    wsjf(&mut b, 1, [1.0, 1.0, 1.0, 5.0]);
    wsjf(&mut b, 2, [8.0, 5.0, 3.0, 8.0]);
    wsjf(&mut b, 3, [13.0, 8.0, 5.0, 2.0]);
    wsjf(&mut b, 4, [3.0, 2.0, 1.0, 1.0]);
    wsjf(&mut b, 5, [20.0, 13.0, 8.0, 13.0]);
    b
}

/// Pick `framework` with the picker, as a person would: `p`, down to it,
/// `Enter`.
fn pick(app: &mut backlog::tui::app::App, framework: Framework) {
    press(app, &["p", "g"]);
    let at = Framework::ALL.iter().position(|f| *f == framework).unwrap();
    for _ in 0..at {
        press(app, &["j"]);
    }
    press(app, &["Enter"]);
    assert_eq!(app.table.framework, Some(framework));
}

#[test]
fn picking_a_framework_shows_its_score_column_and_none_takes_it_away() {
    let mut app = app(weighed(), 100, 30);
    assert!(!screen(&app).contains("WSJF"));
    pick(&mut app, Framework::Wsjf);
    let shown = screen(&app);
    assert!(shown.contains("WSJF"), "{shown}");
    for score in ["0.6", "13", "3.15", "unscored"] {
        assert!(shown.contains(score), "{score}\n{shown}");
    }
    // None is the last choice.
    press(&mut app, &["p", "G", "Enter"]);
    assert_eq!(app.table.framework, None);
    assert!(!screen(&app).contains("unscored"));
    // Escape changes nothing.
    press(&mut app, &["p", "g", "Esc"]);
    assert_eq!(app.table.framework, None);
}

#[test]
fn the_score_column_shows_on_a_narrow_terminal_beside_a_title() {
    let mut app = app(weighed(), 40, 12);
    pick(&mut app, Framework::Wsjf);
    let shown = screen(&app);
    assert!(
        shown.contains("WSJF") && shown.contains("Story 1"),
        "{shown}"
    );
}

#[test]
fn weighing_a_story_keeps_each_value_as_one_undo_step_on_its_scale() {
    let mut app = app(numbered(3), 100, 30);
    pick(&mut app, Framework::Wsjf);
    press(&mut app, &["W"]);
    assert_eq!(app.context(), Context::Weigh);
    // The value: 8, kept with Enter.
    press(&mut app, &["Enter"]);
    assert_eq!(app.context(), Context::PanelLine);
    typed(&mut app, "8");
    press(&mut app, &["Enter"]);
    let story = app.backlog.get(StoryId(1)).unwrap();
    assert_eq!(story.inputs.value, Some(8.0));
    assert_eq!(app.context(), Context::Weigh);
    // Off the scale: refused with the values allowed, nothing changes,
    // and the field stays open on what was typed.
    press(&mut app, &["j", "Enter"]);
    typed(&mut app, "4");
    press(&mut app, &["Enter"]);
    let notice = app.notice.clone().expect("a refusal");
    assert!(
        notice.text.contains("one of 1, 2, 3, 5, 8, 13 or 20"),
        "{notice:?}"
    );
    assert_eq!(app.context(), Context::PanelLine);
    assert_eq!(
        app.backlog.get(StoryId(1)).unwrap().inputs.time_criticality,
        None
    );
    // Put right, and left with Esc: kept, as any field's Esc keeps.
    press(&mut app, &["Backspace"]);
    typed(&mut app, "5");
    press(&mut app, &["Esc"]);
    assert_eq!(
        app.backlog.get(StoryId(1)).unwrap().inputs.time_criticality,
        Some(5.0)
    );
    // Ctrl-G throws what was typed away.
    press(&mut app, &["j", "Enter"]);
    typed(&mut app, "3");
    press(&mut app, &["C-g"]);
    assert_eq!(app.context(), Context::Weigh);
    assert_eq!(
        app.backlog.get(StoryId(1)).unwrap().inputs.risk_reduction,
        None
    );
    // The clear key removes a value; each change is one undo step.
    press(&mut app, &["k", "x"]);
    assert_eq!(
        app.backlog.get(StoryId(1)).unwrap().inputs.time_criticality,
        None
    );
    press(&mut app, &["u"]);
    assert_eq!(
        app.backlog.get(StoryId(1)).unwrap().inputs.time_criticality,
        Some(5.0)
    );
    press(&mut app, &["u"]);
    assert_eq!(
        app.backlog.get(StoryId(1)).unwrap().inputs.time_criticality,
        None
    );
    assert_eq!(app.backlog.get(StoryId(1)).unwrap().inputs.value, Some(8.0));
    press(&mut app, &["Esc"]);
    assert_eq!(app.context(), Context::Backlog);
}

#[test]
fn with_no_framework_the_inputs_panel_lists_every_input() {
    let mut app = app(numbered(2), 120, 40);
    press(&mut app, &["W"]);
    let shown = screen(&app);
    for input in Input::ALL {
        assert!(shown.contains(input.label()), "{}\n{shown}", input.label());
    }
    assert!(shown.contains("p picks one"), "{shown}");
}

#[test]
fn the_story_pane_shows_the_inputs_missing_and_the_score() {
    let mut b = numbered(2);
    let patch = StoryPatch {
        inputs: vec![(Input::Value, Some(InputValue::Number(8.0)))],
        ..StoryPatch::default()
    };
    b.edit(StoryId(1), &patch, fixed_clock()).unwrap();
    let mut app = app(b, 120, 40);
    let shown = screen(&app);
    assert!(shown.contains("Priority") && shown.contains("user-business value: 8"));
    pick(&mut app, Framework::Wsjf);
    let shown = squeezed(&screen(&app));
    assert!(shown.contains("timecriticality:missing"), "{shown}");
    assert!(
        shown.contains("Score:unscored:needstime-criticality,"),
        "{shown}"
    );
}

#[test]
fn w_explains_the_score_term_by_term_or_says_how_to_pick_a_framework() {
    let mut app = app(weighed(), 100, 30);
    press(&mut app, &["j", "j", "w"]);
    assert_eq!(app.context(), Context::Explain);
    let shown = screen(&app);
    assert!(
        shown.contains("No framework is picked, so nothing is scored: p picks one."),
        "{shown}"
    );
    press(&mut app, &["Esc"]);
    pick(&mut app, Framework::Wsjf);
    press(&mut app, &["w"]);
    let shown = screen(&app);
    for term in [
        "user-business value",
        "Cost of Delay",
        "26",
        "job size",
        "= 13",
    ] {
        assert!(shown.contains(term), "{term}\n{shown}");
    }
    // Unscored: what is missing.
    press(&mut app, &["Esc", "G", "w"]);
    let shown = squeezed(&screen(&app));
    assert!(shown.contains("missing"), "{shown}");
    assert!(
        shown.contains(
            "Unscoreduntilvalue,time-criticality,risk-reduction,job-sizeareset:Wsetsthem."
        ),
        "{shown}"
    );
    // Over the priority pane, where W weighs nothing, it says where W does.
    press(&mut app, &["Esc", "2", "G", "w"]);
    assert_eq!(app.context(), Context::Explain);
    let shown = squeezed(&screen(&app));
    // (The line wraps after "on the".)
    assert!(shown.contains("areset:Wonthe"), "{shown}");
    assert!(shown.contains("backlogsetsthem."), "{shown}");
}

#[test]
fn the_priority_pane_says_how_to_pick_a_framework_without_one() {
    let mut app = app(weighed(), 100, 30);
    press(&mut app, &["2"]);
    assert_eq!(app.context(), Context::Priority);
    let shown = screen(&app);
    assert!(shown.contains("No framework is picked."), "{shown}");
    assert!(shown.contains("p picks one"), "{shown}");
    pick(&mut app, Framework::Wsjf);
    assert!(
        screen(&app).contains("5 stories would move"),
        "{}",
        screen(&app)
    );
}

#[test]
fn the_suggested_order_shows_how_far_each_story_would_move() {
    let mut app = app(weighed(), 100, 30);
    pick(&mut app, Framework::Wsjf);
    press(&mut app, &["2"]);
    let shown = screen(&app);
    let rows: Vec<&str> = shown
        .lines()
        .filter(|line| line.contains("Story "))
        .collect();
    let read: Vec<Vec<&str>> = rows
        .iter()
        .map(|row| {
            row.trim_matches(|c| c == '"' || c == '┃' || c == ' ' || c == '▶')
                .split_whitespace()
                .collect()
        })
        .collect();
    // Now, then, the move, the id.
    let expected = [
        ["3", "1", "↑2", "S-3"],
        ["4", "2", "↑2", "S-4"],
        ["5", "3", "↑2", "S-5"],
        ["2", "4", "↓2", "S-2"],
        ["1", "5", "↓4", "S-1"],
        ["6", "6", "=", "S-6"],
    ];
    for (row, want) in read.iter().zip(expected) {
        assert_eq!(&row[..4], want, "{shown}");
    }
    assert!(rows[5].contains("unscored"), "{shown}");
    assert!(
        shown.contains("1 unscored, kept in place: f lists them."),
        "{shown}"
    );
    // Only the unscored, and back.
    press(&mut app, &["f"]);
    let pane = app.screen::<PriorityPane>().unwrap();
    assert_eq!(pane.row_count(), 1);
    assert_eq!(pane.places_at(0), Some((5, 5)));
    press(&mut app, &["f"]);
    assert_eq!(app.screen::<PriorityPane>().unwrap().row_count(), 6);
}

#[test]
fn accepting_one_suggestion_moves_exactly_that_story_and_u_takes_it_back() {
    let mut app = app(weighed(), 100, 30);
    pick(&mut app, Framework::Wsjf);
    press(&mut app, &["2"]);
    let before = order(&app);
    // The second row: S-4, from place 4 to 2.
    press(&mut app, &["j", "a"]);
    assert_eq!(order(&app), vec![1, 4, 2, 3, 5, 6]);
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.as_str()),
        Some("Moved S-4 from 4 to 2")
    );
    // The selection stays on S-4, now at its suggested place.
    let pane = app.screen::<PriorityPane>().unwrap();
    assert_eq!(pane.story, Some(StoryId(4)));
    press(&mut app, &["u"]);
    assert_eq!(order(&app), before);
    // An unscored story keeps its place.
    press(&mut app, &["G", "a"]);
    assert_eq!(order(&app), before);
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.as_str()),
        Some("S-6 is unscored: it keeps its place")
    );
}

#[test]
fn accepting_one_suggestion_never_puts_a_story_above_an_open_blocker() {
    let mut b = weighed();
    let link = |b: &mut Backlog, id: u64, blocker: u64| {
        let patch = StoryPatch {
            add_blocked_by: vec![StoryId(blocker)],
            ..StoryPatch::default()
        };
        b.edit(StoryId(id), &patch, fixed_clock()).unwrap();
    };
    // S-4 waits for S-3; S-2 waits for S-1.
    link(&mut b, 4, 3);
    link(&mut b, 2, 1);
    let mut app = app(b, 100, 30);
    pick(&mut app, Framework::Wsjf);
    press(&mut app, &["2"]);
    let before = order(&app);
    // Suggested: S-3, S-4, S-5, S-1, S-2, S-6. S-4 alone would pass S-3.
    press(&mut app, &["j", "a"]);
    assert_eq!(order(&app), before, "S-4 stays below S-3");
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.as_str()),
        Some("S-4 stays: S-3 must come first; accept its suggestion, or all of them")
    );
    // S-3 first, then S-4 can follow it.
    press(&mut app, &["k", "a"]);
    assert_eq!(order(&app), vec![3, 1, 2, 4, 5, 6]);
    press(&mut app, &["j", "a"]);
    assert_eq!(order(&app), vec![3, 4, 1, 2, 5, 6]);
    // S-1 going down alone would pass S-2, which waits for it: it goes as
    // far as just above S-2, and says so.
    let s1 = app.backlog.position(StoryId(1)).unwrap();
    let pane = app.screen::<PriorityPane>().unwrap();
    let row = (0..pane.row_count())
        .position(|row| pane.places_at(row).map(|(now, _)| now) == Some(s1))
        .unwrap();
    press(&mut app, &["g"]);
    for _ in 0..row {
        press(&mut app, &["j"]);
    }
    press(&mut app, &["a"]);
    assert_eq!(order(&app), vec![3, 4, 1, 2, 5, 6], "S-1 stays above S-2");
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.as_str()),
        Some("S-1 stays: S-2 waits for it; accept its suggestion, or all of them")
    );
}

#[test]
fn accepting_all_asks_first_and_is_one_undo_step() {
    let mut app = app(weighed(), 100, 30);
    pick(&mut app, Framework::Wsjf);
    press(&mut app, &["2"]);
    let before = order(&app);
    press(&mut app, &["A"]);
    assert_eq!(app.context(), Context::Confirm);
    press(&mut app, &["n"]);
    assert_eq!(order(&app), before);
    press(&mut app, &["A", "y"]);
    assert_eq!(order(&app), vec![3, 4, 5, 2, 1, 6]);
    assert!(screen(&app).contains("The backlog is in the suggested order."));
    press(&mut app, &["u"]);
    assert_eq!(order(&app), before);
    press(&mut app, &["C-r"]);
    assert_eq!(order(&app), vec![3, 4, 5, 2, 1, 6]);
}

#[test]
fn moscow_warns_when_the_musts_take_more_than_sixty_percent() {
    let mut b = numbered(3);
    for (id, priority, points) in [
        (1, Moscow::Must, 8.0),
        (2, Moscow::Must, 5.0),
        (3, Moscow::Could, 3.0),
    ] {
        let patch = StoryPatch {
            inputs: vec![(Input::Moscow, Some(InputValue::Moscow(priority)))],
            points: Some(Some(Points::new(points).unwrap())),
            ..StoryPatch::default()
        };
        b.edit(StoryId(id), &patch, fixed_clock()).unwrap();
    }
    let mut app = app(b, 120, 30);
    pick(&mut app, Framework::Moscow);
    press(&mut app, &["2"]);
    let shown = squeezed(&screen(&app));
    assert!(
        shown.contains("Mustsare81%oftheplannedeffort(13of16points)"),
        "{shown}"
    );
}

/// The demo backlog with WSJF inputs on its first five open stories.
fn demo_weighed() -> Backlog {
    let mut b = demo_backlog();
    let ids: Vec<u64> = b
        .ranked()
        .filter(|s| s.status.is_open())
        .take(5)
        .map(|s| s.id.0)
        .collect();
    let inputs = [
        [8.0, 5.0, 3.0, 8.0],
        [13.0, 8.0, 5.0, 2.0],
        [3.0, 2.0, 1.0, 1.0],
        [1.0, 1.0, 1.0, 5.0],
        [20.0, 13.0, 8.0, 13.0],
    ];
    for (id, values) in ids.iter().zip(inputs) {
        wsjf(&mut b, *id, values);
    }
    b
}

#[test]
fn snapshot_wsjf_column_80x24() {
    let mut app = app(demo_weighed(), 80, 24);
    pick(&mut app, Framework::Wsjf);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_wsjf_column_120x40() {
    let mut app = app(demo_weighed(), 120, 40);
    pick(&mut app, Framework::Wsjf);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_explanation_80x24() {
    let mut app = app(demo_weighed(), 80, 24);
    pick(&mut app, Framework::Wsjf);
    press(&mut app, &["j", "j", "j", "j", "w"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_explanation_120x40() {
    let mut app = app(demo_weighed(), 120, 40);
    pick(&mut app, Framework::Weighted);
    press(&mut app, &["j", "j", "j", "j", "w"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_inputs_panel_80x24() {
    let mut app = app(demo_weighed(), 80, 24);
    pick(&mut app, Framework::Wsjf);
    press(&mut app, &["G", "W", "j", "Enter"]);
    typed(&mut app, "13");
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_inputs_panel_120x40() {
    let mut app = app(demo_weighed(), 120, 40);
    pick(&mut app, Framework::Rice);
    press(&mut app, &["W"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_suggested_order_80x24() {
    let mut app = app(demo_weighed(), 80, 24);
    pick(&mut app, Framework::Wsjf);
    press(&mut app, &["2", "j"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_suggested_order_120x40() {
    let mut app = app(demo_weighed(), 120, 40);
    pick(&mut app, Framework::Wsjf);
    press(&mut app, &["2"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn the_framework_picked_and_its_column_come_back_with_the_view() {
    use backlog::tui::saved_view::SavedView;
    let mut before = app(weighed(), 100, 30);
    before.open_view(Ok(None));
    pick(&mut before, Framework::Rice);
    press(&mut before, &["2"]);
    let text = SavedView::of(&before).to_json();
    let mut after = app(weighed(), 100, 30);
    after.open_view(Ok(Some(text)));
    assert_eq!(after.table.framework, Some(Framework::Rice));
    assert_eq!(after.context(), Context::Priority);
    assert!(screen(&after).contains("Suggested order · RICE"));
    press(&mut after, &["1"]);
    assert!(screen(&after).contains("RICE"), "{}", screen(&after));
}
