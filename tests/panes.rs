//! The top-level panes: switched with the number keys, each keeping its
//! own state while another is shown; the overview pane's counts.

mod common;

use backlog::cli::demo_backlog;
use backlog::model::{Status, StoryId, StoryPatch};
use backlog::tui::keymap::Context;
use backlog::tui::screens::backlog::Focus;
use backlog::tui::screens::overview::OverviewPane;
use common::{
    app, backlog_pane, fixed_clock, numbered, press, reload, screen, scrolled_through, typed,
};

#[test]
fn number_keys_switch_panes_and_each_keeps_its_own_state() {
    // Short enough that the overview scrolls.
    let mut app = app(demo_backlog(), 100, 14);
    press(&mut app, &["j", "j", "j", "Tab", "j", "j"]);
    let selected = app.table.selected;
    let story_scroll = backlog_pane(&app).story.clone();
    press(&mut app, &["3"]);
    assert_eq!(app.context(), Context::Pane);
    let shown = screen(&app);
    assert!(shown.contains("Overview · Kilnhouse"), "{shown}");
    press(&mut app, &["j", "j"]);
    assert_eq!(app.screen::<OverviewPane>().unwrap().scroll, 2);
    // The backlog pane is as it was left, focus and all.
    press(&mut app, &["1"]);
    assert_eq!(app.context(), Context::Story);
    assert_eq!(app.table.selected, selected);
    assert_eq!(backlog_pane(&app).focus, Focus::Story);
    assert_eq!(backlog_pane(&app).story, story_scroll);
    // And so is the overview.
    press(&mut app, &["3"]);
    assert_eq!(app.screen::<OverviewPane>().unwrap().scroll, 2);
    // Panels open over the pane shown, and keys go to them.
    press(&mut app, &["?"]);
    assert_eq!(app.context(), Context::Help);
    press(&mut app, &["Esc", "1"]);
    assert_eq!(app.context(), Context::Story);
}

#[test]
fn a_number_with_no_pane_says_which_there_are() {
    let mut app = app(numbered(3), 100, 30);
    press(&mut app, &["9"]);
    assert_eq!(app.context(), Context::Backlog);
    let notice = app.notice.as_ref().expect("a message");
    assert_eq!(
        notice.text,
        "No pane 9: 1 backlog, 2 priority, 3 overview, 4 roadmap, 5 inbox, 6 meeting"
    );
}

#[test]
fn a_digit_typed_into_a_field_is_text() {
    let mut app = app(numbered(3), 100, 30);
    press(&mut app, &["a"]);
    typed(&mut app, "Sprint 2");
    press(&mut app, &["Enter"]);
    assert_eq!(app.context(), Context::Backlog);
    assert_eq!(app.backlog.get(StoryId(4)).unwrap().title, "Sprint 2");
}

/// The overview's row starting `name`: its words after the name.
fn row<'a>(shown: &'a str, name: &str) -> Vec<&'a str> {
    let border: &[char] = &['"', '│', '┃', ' '];
    let line = shown
        .lines()
        .map(|line| line.trim_matches(border))
        .find(|line| line.starts_with(name))
        .unwrap_or_else(|| panic!("no row {name} in\n{shown}"));
    line[name.len()..].split_whitespace().collect()
}

#[test]
fn the_overview_counts_stories_and_points_by_status_and_epic() {
    let mut app = app(demo_backlog(), 100, 40);
    press(&mut app, &["3"]);
    let shown = screen(&app);
    for status in Status::ALL {
        let stories: Vec<_> = app
            .backlog
            .ranked()
            .filter(|s| s.status == status)
            .collect();
        let points: f64 = stories
            .iter()
            .map(|s| s.points.map_or(0.0, backlog::model::Points::value))
            .sum();
        let cells = row(&shown, status.as_str());
        assert_eq!(cells[0], stories.len().to_string(), "{status}: {shown}");
        assert_eq!(cells[1], format!("{points}"), "{status}: {shown}");
    }
    // The Definition of Ready: of the draft and ready stories, those that
    // meet it.
    let rules = &app.backlog.product.settings.ready;
    let open: Vec<_> = app
        .backlog
        .ranked()
        .filter(|s| matches!(s.status, Status::Draft | Status::Ready))
        .collect();
    let ready = open
        .iter()
        .filter(|s| backlog::model::ready::is_ready(s, rules))
        .count();
    let said = format!(
        "{ready} of {} ({}%) draft and ready stories meet it",
        open.len(),
        ready * 100 / open.len()
    );
    assert!(shown.contains(&said), "{said}\n{shown}");
    // Each epic, and the stories in none.
    let billing = app.backlog.epic_stories("Billing").len();
    let marker = app.backlog.product.epic("Billing").unwrap().color.marker();
    let billing_row = row(&shown, &format!("{marker} Billing"));
    assert_eq!(billing_row[0], billing.to_string(), "{shown}");
    let in_none = app.backlog.ranked().filter(|s| s.epic.is_none()).count();
    assert_eq!(row(&shown, "no epic")[0], in_none.to_string(), "{shown}");
}

#[test]
fn the_overview_counts_again_when_the_backlog_changes_under_it() {
    let mut app = app(numbered(4), 100, 30);
    press(&mut app, &["3"]);
    assert_eq!(row(&screen(&app), "done")[0], "0");
    let mut theirs = app.backlog.clone();
    let done = StoryPatch {
        status: Some(Status::Done),
        ..StoryPatch::default()
    };
    theirs.edit(StoryId(2), &done, fixed_clock()).unwrap();
    reload(&mut app, theirs, "Reloaded", Vec::new());
    assert_eq!(row(&screen(&app), "done")[0], "1");
    // A change made in the backlog pane shows when the overview is shown.
    press(&mut app, &["1", "+", "3"]);
    assert_eq!(row(&screen(&app), "draft")[1], "1");
}

#[test]
fn snapshot_overview_80x24() {
    let mut app = app(demo_backlog(), 80, 24);
    press(&mut app, &["3"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn the_help_lists_each_pane_with_its_number_key() {
    let mut app = app(numbered(3), 120, 60);
    press(&mut app, &["?"]);
    let shown = scrolled_through(&mut app, 60);
    assert!(
        shown.contains("1               show the backlog pane"),
        "{shown}"
    );
    assert!(
        shown.contains("2               show the priority pane"),
        "{shown}"
    );
    assert!(
        shown.contains("3               show the overview pane"),
        "{shown}"
    );
    assert!(
        shown.contains("4               show the roadmap pane"),
        "{shown}"
    );
}
