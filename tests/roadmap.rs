//! The roadmap pane, pane `4`: the release plan on a timeline, its keys,
//! the forecast following every change, the Monte Carlo forecast worked
//! out off the event loop, and how it looks at 120×40 and 80×24.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::thread;

use backlog::cli::demo_backlog;
use backlog::model::{Backlog, Placement, Points, Release, Sprint, StoryId, StoryPatch};
use backlog::tui::action::Action;
use backlog::tui::app::App;
use backlog::tui::handle_event;
use backlog::tui::keymap::{Context, Keymap};
use backlog::tui::screens::roadmap::{Odds, RoadmapPane, Section};
use chrono::{Days, NaiveDate};
use common::{app, backlog_pane, fixed_clock, notice, press, reload, screen, squeezed};
use ratatui::crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The demo backlog with four closed sprints (18, 21, 19 and 23 points)
/// and a fifth under way, release 1.0 due 18 December with its line
/// under the twelfth story, and 1.1, the target of two epics, due 12
/// March.
fn planned() -> Backlog {
    let mut b = demo_backlog();
    for (i, points) in [18.0, 21.0, 19.0, 23.0].into_iter().enumerate() {
        let name = format!("Sprint {}", 10 + i);
        let start = day(2026, 9, 14) + Days::new(14 * i as u64);
        b.add_sprint(Sprint::new(&name, start)).unwrap();
        b.close_sprint(&name, Some(points)).unwrap();
    }
    b.add_sprint(Sprint::new("Sprint 14", day(2026, 11, 9)))
        .unwrap();
    b.start_sprint("Sprint 14", &[StoryId(8), StoryId(5)])
        .unwrap();
    let mut first = b.product.release("1.0").unwrap().clone();
    first.date = Some(day(2026, 12, 18));
    b.update_release("1.0", first).unwrap();
    b.place_line("1.0", 12).unwrap();
    let mut second = b.product.release("1.1").unwrap().clone();
    second.date = Some(day(2027, 3, 12));
    b.update_release("1.1", second).unwrap();
    b
}

/// A backlog with no velocity to go on: estimated stories, none done,
/// no sprint, and a release due in the spring.
fn without_velocity() -> Backlog {
    let mut b = Backlog::new("Kilnhouse");
    b.product.vision = "Members book wheel time from their phone.".into();
    b.product.goals = vec!["A small studio switches over in an afternoon".into()];
    for (title, points) in [
        ("Sign in with an email link", 3.0),
        ("Book a wheel for a session", 5.0),
        ("Cancel a booking", 2.0),
        ("Pay for a membership", 8.0),
    ] {
        let patch = StoryPatch {
            points: Some(Some(Points::new(points).unwrap())),
            ..StoryPatch::title(title)
        };
        b.add(&patch, Placement::Bottom, fixed_clock()).unwrap();
    }
    b.add_release(Release::new("1.0", Some(day(2027, 4, 30))))
        .unwrap();
    b.place_line("1.0", 3).unwrap();
    b
}

fn pane(app: &App) -> &RoadmapPane {
    app.screen::<RoadmapPane>().expect("the roadmap pane")
}

/// Run the Monte Carlo forecasts the app asks for, each on a thread of
/// its own as the event loop does, and hand each answer back.
fn simulate(app: &mut App) -> usize {
    let jobs = app.take_work();
    let asked = jobs.len();
    for job in jobs {
        let answer = thread::spawn(move || job.run()).join().unwrap();
        app.update(answer);
    }
    asked
}

/// The planned backlog's roadmap at `width` × `height`, its Monte Carlo
/// forecast in.
fn roadmap(width: u16, height: u16) -> App {
    let mut app = app(planned(), width, height);
    press(&mut app, &["4"]);
    assert_eq!(simulate(&mut app), 1);
    app
}

/// The screen's line that contains `text`.
fn line_with<'a>(shown: &'a str, text: &str) -> &'a str {
    shown
        .lines()
        .find(|line| line.contains(text))
        .unwrap_or_else(|| panic!("no line with {text:?} in\n{shown}"))
}

/// The story selected in the timeline.
fn selected(app: &App) -> Option<StoryId> {
    pane(app).selected_story(&app.backlog).map(|(_, id)| id)
}

#[test]
fn pane_4_is_the_roadmap_with_its_own_keys() {
    let mut app = app(planned(), 120, 40);
    press(&mut app, &["4"]);
    assert_eq!(app.context(), Context::Roadmap);
    let shown = screen(&app);
    assert!(shown.contains("Roadmap · Kilnhouse"), "{shown}");
    // The hints name the pane's keys.
    assert!(
        shown.contains("j/k select  Tab section  Enter in backlog"),
        "{shown}"
    );
    press(&mut app, &["1"]);
    assert_eq!(app.context(), Context::Backlog);
}

#[test]
fn the_selection_steps_over_the_sprints_stories_only() {
    let mut app = app(planned(), 80, 24);
    press(&mut app, &["4"]);
    // The first story of the sprint under way, then the next ones; the
    // sprint's heading between them is passed over.
    assert_eq!(selected(&app), Some(StoryId(8)));
    press(&mut app, &["j", "j", "j"]);
    assert_eq!(selected(&app), Some(StoryId(10)));
    press(&mut app, &["j"]);
    assert_eq!(selected(&app), Some(StoryId(6)), "past Sprint 15's heading");
    press(&mut app, &["k"]);
    assert_eq!(selected(&app), Some(StoryId(10)));
    // The last story planned, and back to the first; a page down lands
    // on a story, and the selection stays on screen.
    press(&mut app, &["G"]);
    let last = selected(&app).unwrap();
    assert!(
        screen(&app).contains(&format!("▶ {last}")),
        "{}",
        screen(&app)
    );
    press(&mut app, &["g"]);
    assert_eq!(selected(&app), Some(StoryId(8)));
    press(&mut app, &["PgDn"]);
    let paged = selected(&app).unwrap();
    assert_ne!(paged, StoryId(8));
    assert!(
        screen(&app).contains(&format!("▶ {paged}")),
        "{}",
        screen(&app)
    );
    press(&mut app, &["PgUp", "PgUp", "k"]);
    assert_eq!(selected(&app), Some(StoryId(8)));
    // Back at the first story, its sprint's heading shows above it.
    let shown = screen(&app);
    let rows: Vec<&str> = shown.lines().collect();
    let first = rows.iter().position(|r| r.contains("▶ S-8")).unwrap();
    assert!(rows[first - 1].contains("Sprint 14"), "{shown}");
}

#[test]
fn the_section_key_goes_round_the_timeline_the_burnup_and_the_lanes() {
    let mut app = app(planned(), 80, 24);
    press(&mut app, &["4"]);
    assert!(screen(&app).contains("[Timeline]"), "{}", screen(&app));
    press(&mut app, &["Tab"]);
    assert_eq!(pane(&app).section, Section::Burnup);
    let shown = screen(&app);
    assert!(shown.contains("[Burnup]"), "{shown}");
    assert!(
        shown.contains("= scope  # done  h high  m mean  l low"),
        "{shown}"
    );
    // The keys that select stories do nothing to the chart.
    press(&mut app, &["j"]);
    assert_eq!(selected(&app), Some(StoryId(8)));
    press(&mut app, &["Tab"]);
    assert_eq!(pane(&app).section, Section::Lanes);
    assert!(screen(&app).contains("Now · to 6 Dec"), "{}", screen(&app));
    press(&mut app, &["Tab"]);
    assert_eq!(pane(&app).section, Section::Timeline);
}

#[test]
fn the_lanes_scroll_as_far_as_their_last_epic() {
    let mut b = planned();
    // Enough epics for the "now" lane to run past an 80×24 screen.
    for i in 0..8 {
        let name = format!("Extra {i}");
        b.add_epic(backlog::model::Epic {
            name: name.clone(),
            color: backlog::model::EpicColor::Blue,
            goal: String::new(),
            target_release: None,
        })
        .unwrap();
        let patch = StoryPatch {
            epic: Some(Some(name)),
            points: Some(Some(Points::new(1.0).unwrap())),
            ..StoryPatch::title(format!("Extra story {i}"))
        };
        b.add(&patch, Placement::Top, fixed_clock()).unwrap();
    }
    let mut app = app(b, 80, 24);
    press(&mut app, &["4", "Tab", "Tab"]);
    press(&mut app, &["j", "j"]);
    assert_eq!(pane(&app).lanes_scroll, 2);
    assert!(!screen(&app).contains("Extra 7"), "{}", screen(&app));
    // To the end: the last epic, its progress too, on the last rows.
    press(&mut app, &["G"]);
    let end = pane(&app).lanes_scroll;
    let shown = screen(&app);
    let rows: Vec<&str> = shown.lines().collect();
    assert!(rows[rows.len() - 5].contains("◆ Billing"), "{shown}");
    assert!(rows[rows.len() - 4].contains("0/19"), "{shown}");
    press(&mut app, &["j"]);
    assert_eq!(pane(&app).lanes_scroll, end, "no further than its end");
    press(&mut app, &["g"]);
    assert_eq!(pane(&app).lanes_scroll, 0);
    assert!(screen(&app).contains("Extra 7"), "{}", screen(&app));
}

#[test]
fn enter_shows_the_selected_story_in_the_backlog() {
    let mut app = app(planned(), 100, 30);
    press(&mut app, &["4", "j", "j", "Enter"]);
    assert_eq!(app.context(), Context::Backlog);
    assert_eq!(app.selected_story().map(|s| s.id), Some(StoryId(9)));
    // Back in the roadmap, the selection is where it was.
    press(&mut app, &["4"]);
    assert_eq!(selected(&app), Some(StoryId(9)));
    // Away from the timeline, Enter says where the stories are.
    press(&mut app, &["Tab", "Enter"]);
    assert_eq!(app.context(), Context::Roadmap);
    assert!(
        notice(&app).contains("Select a story in the timeline"),
        "{}",
        notice(&app)
    );
}

#[test]
fn enter_on_a_story_the_filter_hides_says_so_and_stays() {
    let mut app = app(planned(), 100, 30);
    // Only the stories in progress.
    press(&mut app, &["/"]);
    common::typed(&mut app, "bisque");
    press(&mut app, &["Enter", "4", "j", "j", "Enter"]);
    assert_eq!(app.context(), Context::Roadmap);
    assert!(
        notice(&app).starts_with("S-9 is hidden by the filter: F in the backlog shows"),
        "{}",
        notice(&app)
    );
}

#[test]
fn moving_a_story_above_a_release_line_changes_its_forecast_on_screen() {
    let mut app = roadmap(120, 40);
    let before = screen(&app);
    assert!(
        line_with(&before, "◆ 1.0").contains("lands 6 Dec"),
        "{before}"
    );
    assert!(before.contains("13 of 49 pts done"), "{before}");
    // In the backlog, S-22 (13 points, far below the line) goes to the
    // top, above 1.0's line.
    press(&mut app, &["1", "G", "k", "k", "k", "k", "k"]);
    assert_eq!(app.selected_story().map(|s| s.id), Some(StoryId(22)));
    press(&mut app, &["T", "4"]);
    let after = screen(&app);
    assert!(after.contains("13 of 62 pts done"), "{after}");
    assert!(
        line_with(&after, "◆ 1.0").contains("lands 20 Dec"),
        "{after}"
    );
    // Its Monte Carlo forecast is asked again, and the old one is gone.
    assert!(
        line_with(&after, "13 of 62").contains("Monte Carlo simulating…"),
        "{after}"
    );
    assert_eq!(simulate(&mut app), 1);
    assert!(
        line_with(&screen(&app), "13 of 62").contains("% by"),
        "{}",
        screen(&app)
    );
    // Undone from the roadmap, the forecast is as it was, and so are
    // its odds: the question is asked again.
    press(&mut app, &["u"]);
    assert_eq!(notice(&app), "Undid move S-22 (0 more)");
    let undone = screen(&app);
    assert!(
        line_with(&undone, "◆ 1.0").contains("lands 6 Dec"),
        "{undone}"
    );
    assert_eq!(simulate(&mut app), 1);
    press(&mut app, &["C-r"]);
    assert!(
        screen(&app).contains("13 of 62 pts done"),
        "{}",
        screen(&app)
    );
}

#[test]
fn a_change_made_while_the_roadmap_is_shown_moves_the_forecast_at_once() {
    let mut app = roadmap(120, 40);
    // Another writer moves S-22 above the line.
    let mut theirs = app.backlog.clone();
    theirs
        .move_story(StoryId(22), backlog::model::Move::To(1))
        .unwrap();
    reload(&mut app, theirs, "Reloaded", Vec::new());
    let shown = screen(&app);
    assert!(shown.contains("13 of 62 pts done"), "{shown}");
    assert!(
        line_with(&shown, "◆ 1.0").contains("lands 20 Dec"),
        "{shown}"
    );
}

#[test]
fn the_monte_carlo_forecast_comes_from_another_thread_and_a_stale_one_is_left() {
    let mut app = app(planned(), 120, 40);
    press(&mut app, &["4"]);
    assert!(line_with(&screen(&app), "13 of 49").contains("Monte Carlo simulating…"));
    let first = app.take_work();
    assert_eq!(first.len(), 1, "asked once");
    assert!(app.take_work().is_empty(), "and handed over once");
    assert_eq!(first[0].targets.len(), 2);
    assert_eq!(first[0].history, [18.0, 21.0, 19.0, 23.0]);
    // Looking again asks nothing new: the question is the same.
    press(&mut app, &["1", "4"]);
    assert!(app.take_work().is_empty());
    // The backlog changes before the answer comes: a new question.
    press(&mut app, &["1", "G", "k", "k", "k", "k", "k", "T", "4"]);
    let second = app.take_work();
    assert_eq!(second.len(), 1);
    assert_ne!(first[0].job, second[0].job);
    let stale = thread::spawn({
        let job = first[0].clone();
        move || job.run()
    })
    .join()
    .unwrap();
    app.update(stale);
    assert!(
        matches!(pane(&app).odds, Odds::Simulating { .. }),
        "the answer to the old question is left"
    );
    assert!(screen(&app).contains("Monte Carlo simulating…"));
    let fresh = thread::spawn({
        let job = second[0].clone();
        move || job.run()
    })
    .join()
    .unwrap();
    app.update(fresh);
    let shown = screen(&app);
    assert!(!shown.contains("simulating"), "{shown}");
    assert!(line_with(&shown, "13 of 62").contains("% by"), "{shown}");
}

#[test]
fn a_failed_monte_carlo_forecast_says_why() {
    let mut app = app(planned(), 120, 40);
    press(&mut app, &["4"]);
    let job = app.take_work().remove(0);
    app.update(Action::Simulated {
        job: job.job,
        result: Err("the Monte Carlo forecast failed unexpectedly (boom)".into()),
    });
    let shown = screen(&app);
    assert!(
        shown.contains("no Monte Carlo: the Monte Carlo forecast failed"),
        "{shown}"
    );
}

#[test]
fn with_fewer_than_three_sprints_the_monte_carlo_forecast_says_so() {
    let mut b = planned();
    for name in ["Sprint 10", "Sprint 11"] {
        b.remove_sprint(name).unwrap();
    }
    let mut app = app(b, 120, 40);
    press(&mut app, &["4"]);
    assert!(app.take_work().is_empty());
    let shown = screen(&app);
    assert!(
        shown.contains("Monte Carlo needs 3 sprints of velocity; 2 so far"),
        "{shown}"
    );
    assert!(!shown.contains("simulating"), "{shown}");
}

#[test]
fn with_no_velocity_it_says_what_the_forecast_needs_and_still_shows_the_releases() {
    let mut app = app(without_velocity(), 80, 24);
    press(&mut app, &["4"]);
    assert!(app.take_work().is_empty());
    let shown = screen(&app);
    assert!(shown.contains("no velocity yet: close a sprint"), "{shown}");
    assert!(line_with(&shown, "◆ 1.0").contains("due 30 Apr"), "{shown}");
    assert!(shown.contains("0 of 10 pts done"), "{shown}");
    assert!(shown.contains("18 pts to do"), "{shown}");
    press(&mut app, &["Tab"]);
    assert!(
        screen(&app).contains("No burnup without a velocity"),
        "{}",
        screen(&app)
    );
}

#[test]
fn the_pane_never_panics_and_says_when_it_is_too_small() {
    let mut app = roadmap(120, 40);
    let too_small = squeezed("Too small for the roadmap: it needs a terminal of 50×16");
    for width in (40..=130).step_by(7) {
        for height in (10..=44).step_by(3) {
            app.update(Action::Resize(width, height));
            // Each section shown in turn, moved about in.
            for _ in Section::ALL {
                // Read across the pane's rows, its border left out.
                let shown = squeezed(&screen(&app)).replace('┃', "");
                if width < 50 || height < 16 {
                    assert!(
                        shown.contains(&too_small) || shown.contains("Terminaltoosmall"),
                        "{width}×{height}:\n{}",
                        screen(&app)
                    );
                }
                press(&mut app, &["Tab", "j", "G", "PgUp"]);
            }
        }
    }
}

#[test]
fn the_help_lists_the_roadmaps_keys() {
    let mut app = app(planned(), 120, 60);
    press(&mut app, &["4", "?"]);
    let shown = common::scrolled_through(&mut app, 80);
    assert!(
        shown.contains("Roadmap pane: the release plan (4)"),
        "{shown}"
    );
    assert!(
        shown.contains("Tab             next section: the timeline, the burnup, the lanes"),
        "{shown}"
    );
    assert!(
        shown.contains("Enter           show the selected story in the backlog pane"),
        "{shown}"
    );
}

#[test]
fn the_roadmap_names_the_keys_in_force() {
    let keys = r#"
[roadmap]
tab = "none"
f2 = "switch_focus"
enter = "none"
f3 = "show_in_backlog"
"#;
    let mut app = app(without_velocity(), 80, 24);
    app.keymap = Arc::new(Keymap::with_file(Path::new("keys.toml"), keys).unwrap());
    press(&mut app, &["4"]);
    let shown = screen(&app);
    assert!(shown.contains("F2 next"), "{shown}");
    assert!(shown.contains("F2 section  F3 in backlog"), "{shown}");
    assert!(!shown.contains("Tab"), "{shown}");
    assert!(!shown.contains("Enter"), "{shown}");
}

#[test]
fn snapshot_roadmap_120x40() {
    let app = roadmap(120, 40);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_roadmap_80x24() {
    let app = roadmap(80, 24);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_roadmap_burnup_80x24() {
    let mut app = roadmap(80, 24);
    press(&mut app, &["Tab"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_roadmap_lanes_80x24() {
    let mut app = roadmap(80, 24);
    press(&mut app, &["Tab", "Tab"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_roadmap_without_velocity_80x24() {
    let mut app = app(without_velocity(), 80, 24);
    press(&mut app, &["4"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn the_backlog_pane_is_left_as_it_was() {
    let mut app = app(planned(), 100, 30);
    press(&mut app, &["j", "j", "4", "j", "1"]);
    assert_eq!(
        backlog_pane(&app).focus,
        backlog::tui::screens::backlog::Focus::Backlog
    );
    assert_eq!(app.table.selected, 2);
}

/// Where `text` is first drawn on the screen: its column and row.
fn at(app: &App, text: &str) -> (u16, u16) {
    let shown = screen(app);
    for (row, line) in shown.lines().enumerate() {
        // Each row is quoted.
        let line = &line[1..];
        if let Some(at) = line.find(text) {
            let column = line[..at].chars().count();
            return (u16::try_from(column).unwrap(), u16::try_from(row).unwrap());
        }
    }
    panic!("no {text:?} in\n{shown}");
}

/// The mouse used where `text` is drawn.
fn mouse(app: &mut App, kind: MouseEventKind, text: &str) {
    let (column, row) = at(app, text);
    handle_event(
        app,
        Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }),
    );
}

#[test]
fn a_click_selects_a_story_or_a_section_and_the_wheel_scrolls() {
    let mut app = app(planned(), 80, 24);
    press(&mut app, &["4"]);
    let left = MouseEventKind::Down(MouseButton::Left);
    mouse(&mut app, left, "S-6 ");
    assert_eq!(selected(&app), Some(StoryId(6)));
    // A click on a sprint's heading selects nothing.
    mouse(&mut app, left, "Sprint 15");
    assert_eq!(selected(&app), Some(StoryId(6)));
    // The wheel steps the selection three stories, scrolling with it.
    mouse(&mut app, MouseEventKind::ScrollDown, "Sprint 15");
    assert_eq!(selected(&app), Some(StoryId(12)));
    assert!(screen(&app).contains("▶ S-12"), "{}", screen(&app));
    mouse(&mut app, left, "Burnup");
    assert_eq!(pane(&app).section, Section::Burnup);
    mouse(&mut app, left, "Now · Next");
    assert_eq!(pane(&app).section, Section::Lanes);
    // On a large screen a click on a section gives it the keys.
    let mut app = roadmap(120, 40);
    mouse(&mut app, left, "210");
    assert_eq!(pane(&app).section, Section::Burnup);
}

#[test]
fn a_team_with_no_sprints_is_forecast_from_its_done_dates_and_a_velocity_of_0_plans_nothing() {
    // The demo's done stories were done more than three periods ago:
    // the last three periods did nothing.
    let mut app = app(demo_backlog(), 120, 40);
    press(&mut app, &["4"]);
    let shown = screen(&app);
    assert!(
        shown.contains("velocity 0 (mean of the last 3 sprint-long periods, by done dates)"),
        "{shown}"
    );
    assert!(
        line_with(&shown, "◆ 1.0").contains("never at a velocity of 0"),
        "{shown}"
    );
    assert!(
        shown.contains("No sprint takes anything at a velocity of 0"),
        "{shown}"
    );
    assert!(shown.contains("the mean never gets there"), "{shown}");
}

#[test]
fn an_empty_backlog_says_what_the_roadmap_needs() {
    let mut app = app(Backlog::new("Empty"), 80, 24);
    press(&mut app, &["4"]);
    let shown = screen(&app);
    assert!(
        shown.contains("Vision   none yet: V in the backlog writes it"),
        "{shown}"
    );
    assert!(shown.contains("No releases yet"), "{shown}");
    assert!(shown.contains("0 pts to do · no velocity yet"), "{shown}");
    press(&mut app, &["Tab", "Tab"]);
    assert!(
        screen(&app).contains("No epics yet: E in the backlog makes them"),
        "{}",
        screen(&app)
    );
    press(&mut app, &["j", "G", "Enter"]);
    assert_eq!(app.context(), Context::Roadmap);
}

#[test]
fn on_a_short_screen_the_releases_come_before_the_sections_rows() {
    let app = roadmap(60, 16);
    let shown = screen(&app);
    assert!(line_with(&shown, "◆ 1.0").contains("due 18 Dec"), "{shown}");
    assert!(
        shown.contains("+1 more release: each is marked in the timeline"),
        "{shown}"
    );
    // The tabs are cut to the pane, never run into its border.
    assert!(line_with(&shown, "[Timeline]").ends_with("┃\""), "{shown}");
}
