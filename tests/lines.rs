//! The release plan in the backlog table: where each coming sprint ends
//! and each release's line, drawn between the rows; a story moved across
//! a line, a line moved as a story is, put under a story and taken out,
//! each undone at once; clicks and scrolling with the lines taking rows.

mod common;

use backlog::cli::demo_backlog;
use backlog::forecast::Scope;
use backlog::model::{Backlog, Points, Release, Sprint, StoryId, StoryPatch, parse_date};
use backlog::tui::app::App;
use backlog::tui::layout::Drawn;
use backlog::tui::screens::backlog::line_picker::LinePicker;
use backlog::tui::view;
use common::{app, click, fixed_clock, notice, numbered, order, press, screen, wheel};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Four sprints closed, two weeks each from 2026-09-21, with `points`
/// done in each.
fn close_sprints(b: &mut Backlog, points: [f64; 4]) {
    let mut start = parse_date("2026-09-21").unwrap();
    for (n, done) in points.into_iter().enumerate() {
        let name = format!("Sprint {}", 10 + n);
        b.add_sprint(Sprint::new(&name, start)).unwrap();
        b.close_sprint(&name, Some(done)).unwrap();
        start = start + chrono::Days::new(14);
    }
}

/// The demo backlog with four sprints closed (18, 21, 24 and 20 points:
/// a velocity of 21.67) and release 1.0, due 2027-01-15, holding the
/// first eight stories by its line: under S-6, above S-14.
fn planned() -> Backlog {
    let mut b = demo_backlog();
    close_sprints(&mut b, [18.0, 21.0, 24.0, 20.0]);
    let mut release = b.product.release("1.0").unwrap().clone();
    release.date = Some(parse_date("2027-01-15").unwrap());
    b.update_release("1.0", release).unwrap();
    b.place_line("1.0", 8).unwrap();
    b
}

/// How many stories are ranked above release `name`'s line.
fn line_of(app: &App, name: &str) -> Option<usize> {
    let release = app.backlog.product.release(name)?;
    Some(app.backlog.above_line(release.line.as_ref()?))
}

fn selected(app: &App) -> Option<u64> {
    app.selected_story().map(|s| s.id.0)
}

/// Select story `id` as a person would: `g`, then `j` until it is.
fn select(app: &mut App, id: u64) {
    press(app, &["g"]);
    for _ in 0..app.backlog.len() * 2 {
        if selected(app) == Some(id) {
            return;
        }
        press(app, &["j"]);
    }
    panic!("S-{id} never selected");
}

/// The release line selected, if one is.
fn selected_line(app: &App) -> Option<&str> {
    app.table.selected_line.as_deref()
}

/// What the forecast the table holds says release `name` is: how many
/// stories its line has above it.
fn forecast_above(app: &App, name: &str) -> Option<usize> {
    let forecast = app.table.plan.forecast.as_ref()?;
    match forecast.releases.iter().find(|r| r.name == name)?.scope {
        Scope::Line { above } => Some(above),
        Scope::Assigned => None,
    }
}

/// The table's rows as drawn, each as its text, top to bottom.
fn table_rows(app: &App) -> Vec<String> {
    let area = app.areas().unwrap().backlog;
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| view::render(app, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    (area.top()..area.bottom())
        .map(|y| {
            (area.left()..area.right())
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect()
}

/// The screen's row (0 the top) of the table's row that shows `text`.
fn row_showing(app: &App, text: &str) -> u16 {
    let rows = table_rows(app);
    let row = rows
        .iter()
        .position(|row| row.contains(text))
        .unwrap_or_else(|| panic!("{text:?} is not in the table:\n{}", rows.join("\n")));
    app.areas().unwrap().backlog.top() + u16::try_from(row).unwrap()
}

/// Whether the table shows `text`.
fn table_shows(app: &App, text: &str) -> bool {
    table_rows(app).iter().any(|row| row.contains(text))
}

#[test]
fn a_story_just_below_a_release_line_moved_up_crosses_it_and_passes_no_story() {
    let mut app = app(planned(), 120, 40);
    select(&mut app, 14);
    let before = order(&app);
    press(&mut app, &["K"]);
    assert_eq!(order(&app), before, "no story was passed");
    assert_eq!(line_of(&app, "1.0"), Some(9));
    assert_eq!(selected(&app), Some(14));
    assert_eq!(notice(&app), "S-14 is above the 1.0 line now");
    // The forecast follows at once, and the screen with it.
    assert_eq!(forecast_above(&app, "1.0"), Some(9));
    assert!(row_showing(&app, "S-14 ") < row_showing(&app, "1.0 line"));
    // One step undoes it.
    press(&mut app, &["u"]);
    assert_eq!(line_of(&app, "1.0"), Some(8));
    assert_eq!(forecast_above(&app, "1.0"), Some(8));
    assert_eq!(order(&app), before);
    assert!(row_showing(&app, "S-14 ") > row_showing(&app, "1.0 line"));
}

#[test]
fn a_story_just_above_a_release_line_moved_down_crosses_it() {
    let mut app = app(planned(), 120, 40);
    select(&mut app, 6);
    let before = order(&app);
    press(&mut app, &["J"]);
    assert_eq!(order(&app), before);
    assert_eq!(line_of(&app, "1.0"), Some(7));
    assert_eq!(notice(&app), "S-6 is below the 1.0 line now");
    assert!(row_showing(&app, "S-6 ") > row_showing(&app, "1.0 line"));
    press(&mut app, &["u"]);
    assert_eq!(line_of(&app, "1.0"), Some(8));
    // Across it again the other way, then on past the next story.
    press(&mut app, &["J", "K", "K"]);
    assert_eq!(line_of(&app, "1.0"), Some(8));
    assert_eq!(app.backlog.position(StoryId(6)).unwrap(), 6);
}

#[test]
fn where_a_sprint_ends_is_no_line_to_cross() {
    let mut app = app(planned(), 120, 40);
    // S-6 is the first story of the second sprint: the sprint's end is
    // drawn above it, and K moves it past S-10 as ever.
    select(&mut app, 6);
    let shown = screen(&app);
    assert!(
        row_showing(&app, "Sprint 14 ends") < row_showing(&app, "S-6 "),
        "{shown}"
    );
    press(&mut app, &["K"]);
    assert_eq!(app.backlog.position(StoryId(6)).unwrap(), 6);
    assert_eq!(line_of(&app, "1.0"), Some(8));
    // 19 points fit the first sprint now, S-10's 3 more do not: it ends
    // between them, drawn there in the same frame.
    let shown = screen(&app);
    let ends = row_showing(&app, "Sprint 14 ends");
    assert!(
        row_showing(&app, "S-6 ") < ends && ends < row_showing(&app, "S-10 "),
        "{shown}"
    );
}

#[test]
fn a_release_line_is_selected_and_moved_as_a_story_is() {
    let mut app = app(planned(), 120, 40);
    select(&mut app, 6);
    // `j` stops on the line, which then shows in the story's place.
    press(&mut app, &["j"]);
    assert_eq!(selected_line(&app), Some("1.0"));
    assert_eq!(selected(&app), None);
    let shown = screen(&app);
    assert!(shown.contains("▶ ── 1.0 line"), "{shown}");
    assert!(shown.contains("8 stories above the line"), "{shown}");
    let before = order(&app);
    let mut places = Vec::new();
    for key in ["J", "J", "K", "T", "B"] {
        press(&mut app, &[key]);
        places.push(line_of(&app, "1.0").unwrap());
        assert_eq!(selected_line(&app), Some("1.0"), "after {key}");
    }
    assert_eq!(places, [9, 10, 9, 0, 30]);
    assert_eq!(order(&app), before, "no story moved");
    let mut undone = Vec::new();
    for _ in 0..5 {
        press(&mut app, &["u"]);
        undone.push(line_of(&app, "1.0").unwrap());
        assert_eq!(selected_line(&app), Some("1.0"), "still selected");
    }
    assert_eq!(undone, [0, 9, 10, 9, 8]);
    press(&mut app, &["C-r"]);
    assert_eq!(line_of(&app, "1.0"), Some(9));
    assert_eq!(selected_line(&app), Some("1.0"));
}

#[test]
fn release_lines_side_by_side_trade_places_a_row_at_a_time() {
    let mut b = planned();
    let mut release = b.product.release("1.1").unwrap().clone();
    release.date = Some(parse_date("2027-03-01").unwrap());
    b.update_release("1.1", release).unwrap();
    b.place_line("1.1", 8).unwrap();
    let mut app = app(b, 120, 40);
    let key = |app: &App, name: &str| app.backlog.product.release(name).unwrap().line.clone();
    select(&mut app, 6);
    press(&mut app, &["j"]);
    assert_eq!(selected_line(&app), Some("1.0"));
    assert!(key(&app, "1.0") < key(&app, "1.1"));
    // Past the 1.1 line first, then past S-14.
    press(&mut app, &["J"]);
    assert!(key(&app, "1.0") > key(&app, "1.1"));
    assert_eq!(line_of(&app, "1.0"), Some(8));
    press(&mut app, &["J"]);
    assert_eq!(line_of(&app, "1.0"), Some(9));
    assert_eq!(line_of(&app, "1.1"), Some(8));
}

#[test]
fn the_line_keys_jump_to_the_next_and_previous_release_line() {
    let mut app = app(planned(), 120, 40);
    press(&mut app, &["g", "]"]);
    assert_eq!(selected_line(&app), Some("1.0"));
    press(&mut app, &["]"]);
    assert_eq!(notice(&app), "No release line below");
    assert_eq!(selected_line(&app), Some("1.0"));
    press(&mut app, &["G", "["]);
    assert_eq!(selected_line(&app), Some("1.0"));
    press(&mut app, &["j"]);
    assert_eq!(selected(&app), Some(14));
}

#[test]
fn a_release_line_is_put_under_the_selected_story_picking_the_release() {
    let mut app = app(planned(), 120, 40);
    select(&mut app, 4);
    let position = app.backlog.position(StoryId(4)).unwrap();
    press(&mut app, &["R"]);
    // 1.1, which has no line yet, is offered first.
    let picker = app.screen::<LinePicker>().expect("the release picker");
    assert_eq!(picker.story, StoryId(4));
    let shown = screen(&app);
    assert!(shown.contains("A release line under S-4"), "{shown}");
    assert!(shown.contains("▶ 1.1"), "{shown}");
    press(&mut app, &["Enter"]);
    assert!(app.screen::<LinePicker>().is_none());
    assert_eq!(line_of(&app, "1.1"), Some(position + 1));
    assert_eq!(selected_line(&app), Some("1.1"), "the new line is selected");
    assert!(notice(&app).starts_with("The 1.1 line is under S-4"));
    press(&mut app, &["u"]);
    assert_eq!(line_of(&app, "1.1"), None);
    // Esc puts none.
    select(&mut app, 4);
    press(&mut app, &["R", "Esc"]);
    assert_eq!(line_of(&app, "1.1"), None);
}

#[test]
fn with_one_release_its_line_goes_under_the_story_at_once() {
    let mut b = numbered(6);
    b.add_release(Release::new("v2.0", None)).unwrap();
    let mut app = app(b, 100, 30);
    select(&mut app, 3);
    press(&mut app, &["R"]);
    assert_eq!(line_of(&app, "v2.0"), Some(3));
    assert_eq!(selected_line(&app), Some("v2.0"));
    // With none, the status bar says where releases come from.
    let mut app = common::app(numbered(6), 100, 30);
    press(&mut app, &["R"]);
    assert!(
        notice(&app).contains("backlog release add"),
        "{}",
        notice(&app)
    );
}

#[test]
fn d_takes_the_selected_line_out_and_u_puts_it_back() {
    let mut app = app(planned(), 120, 40);
    press(&mut app, &["]", "d"]);
    assert_eq!(line_of(&app, "1.0"), None);
    assert!(app.backlog.len() == 30, "no story deleted");
    assert_eq!(selected(&app), Some(14), "the story below it is selected");
    assert!(!table_shows(&app, "1.0 line"));
    press(&mut app, &["u"]);
    assert_eq!(line_of(&app, "1.0"), Some(8));
    assert!(table_shows(&app, "1.0 line"));
}

#[test]
fn a_story_key_on_a_selected_line_says_a_line_is_selected() {
    let mut app = app(planned(), 120, 40);
    press(&mut app, &["]", "s"]);
    assert_eq!(
        notice(&app),
        "The 1.0 line is selected, not a story: j/k select a story"
    );
}

#[test]
fn sorted_or_narrowed_the_table_draws_no_line_and_says_why() {
    let mut app = app(planned(), 120, 40);
    press(&mut app, &["y"]);
    assert!(!table_shows(&app, "1.0 line") && !table_shows(&app, " ends "));
    press(&mut app, &["]"]);
    assert!(notice(&app).contains("rank order only"), "{}", notice(&app));
    press(&mut app, &["Y", "/"]);
    common::typed(&mut app, "kiln");
    press(&mut app, &["Enter", "]"]);
    assert!(!table_shows(&app, "1.0 line"));
    assert!(
        notice(&app).contains("without a filter"),
        "{}",
        notice(&app)
    );
    // The open work alone hides only stories that take no sprint's
    // points: the lines show.
    press(&mut app, &["F", "o"]);
    assert!(table_shows(&app, "Open work"));
    assert!(table_shows(&app, "1.0 line") && table_shows(&app, "Sprint 14 ends"));
}

#[test]
fn a_team_that_never_recorded_a_sprint_sees_its_release_lines_and_no_sprint_ends() {
    let mut b = demo_backlog();
    b.place_line("1.0", 8).unwrap();
    let app = app(b, 120, 40);
    assert!(table_shows(&app, "1.0 line · no date"));
    assert!(!table_shows(&app, " ends "));
}

#[test]
fn an_estimate_changed_moves_where_the_sprints_end_at_once() {
    let mut app = app(planned(), 120, 40);
    let ends = |app: &App| {
        let forecast = app.table.plan.forecast.as_ref().unwrap();
        forecast.sprints[0].positions.end
    };
    assert_eq!(ends(&app), 7);
    // S-10 at 13 points no longer fits the first sprint with the others.
    select(&mut app, 10);
    press(&mut app, &["+", "+", "+"]);
    assert_eq!(
        app.backlog.get(StoryId(10)).unwrap().points,
        Some(Points::new(13.0).unwrap())
    );
    assert_eq!(ends(&app), 6);
    let shown = screen(&app);
    assert!(
        row_showing(&app, "Sprint 14 ends") < row_showing(&app, "S-10 "),
        "{shown}"
    );
}

#[test]
fn a_click_lands_on_the_story_drawn_where_it_is_clicked_below_the_lines() {
    let mut app = app(planned(), 120, 40);
    // Two lines are drawn above S-14: where sprint 14 ends, and 1.0's.
    let row = row_showing(&app, "S-14 ");
    click(&mut app, (10, row));
    assert_eq!(selected(&app), Some(14));
    let row = row_showing(&app, "S-16 ");
    click(&mut app, (10, row));
    assert_eq!(selected(&app), Some(16));
    // A release line clicked is selected; where a sprint ends is not.
    let row = row_showing(&app, "1.0 line");
    click(&mut app, (10, row));
    assert_eq!(selected_line(&app), Some("1.0"));
    let row = row_showing(&app, "Sprint 15 ends");
    click(&mut app, (10, row));
    assert_eq!(selected_line(&app), Some("1.0"));
}

#[test]
fn snapshot_lines_between_the_rows_at_120x40() {
    let app = app(planned(), 120, 40);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_lines_between_the_rows_at_80x24() {
    let mut app = app(planned(), 80, 24);
    // Down to the release line, past where sprint 14 ends.
    select(&mut app, 6);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_a_release_line_selected_at_120x40() {
    let mut app = app(planned(), 120, 40);
    press(&mut app, &["]"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_a_release_line_selected_at_80x24() {
    let mut app = app(planned(), 80, 24);
    press(&mut app, &["]"]);
    insta::assert_snapshot!(screen(&app));
}

/// Sixty stories of 3 points, a velocity of 9 (a sprint's end after
/// every third story), and the lines of releases `a` under story 10,
/// `b` and `c` together under story 40.
fn ruled_backlog() -> Backlog {
    let mut b = numbered(60);
    let patch = StoryPatch {
        points: Some(Some(Points::new(3.0).unwrap())),
        ..StoryPatch::default()
    };
    let edits: Vec<_> = (1..=60).map(|id| (StoryId(id), patch.clone())).collect();
    b.edit_stories(&edits, fixed_clock()).unwrap();
    close_sprints(&mut b, [9.0, 9.0, 9.0, 9.0]);
    for (name, above) in [("a", 10), ("b", 40), ("c", 40)] {
        b.add_release(Release::new(name, None)).unwrap();
        b.place_line(name, above).unwrap();
    }
    b
}

/// Whether the selection is on screen: its drawn row among those the
/// table shows.
fn selection_on_screen(app: &App) -> Result<(), String> {
    let ruled = app.table.ruled(&app.backlog);
    let drawn = app.table.selected_drawn(&ruled);
    let (scroll, fits) = (app.table.scroll, app.table_rows());
    if scroll <= drawn && drawn < scroll + fits {
        Ok(())
    } else {
        Err(format!(
            "selection at drawn row {drawn}, rows {scroll}..{}",
            scroll + fits
        ))
    }
}

#[test]
fn the_wheel_up_to_a_screen_of_lines_alone_selects_the_release_line_nearest() {
    // Three rows at 60x12: the selected S-43 shows with S-41 and S-42
    // above it, and a notch up shows the three lines drawn above those
    // alone (where sprint 26 ends, and the c and b lines).
    let mut app = app(ruled_backlog(), 80, 24);
    app.update(backlog::tui::action::Action::Resize(60, 12));
    press(&mut app, &["B", "K", "j", "j", "[", "k", "J", "PgDn"]);
    assert_eq!(selected(&app), Some(43));
    selection_on_screen(&app).unwrap();
    let table = app.areas().unwrap().backlog;
    wheel(&mut app, false, (table.x + 2, table.y + 2));
    selection_on_screen(&app).unwrap();
    assert_eq!(selected_line(&app), Some("b"));
    assert!(screen(&app).contains("▶ ── b line"), "{}", screen(&app));
}

#[test]
fn the_wheel_onto_where_a_sprint_ends_alone_scrolls_on_to_the_story_beyond() {
    // One row at 40x10: S-6 shows alone, and a notch up would show only
    // where sprint 14 ends, which cannot be selected.
    let mut app = app(ruled_backlog(), 40, 10);
    assert_eq!(app.table_rows(), 1);
    select(&mut app, 6);
    selection_on_screen(&app).unwrap();
    let table = app.areas().unwrap().backlog;
    wheel(&mut app, false, (table.x + 2, table.y + 2));
    selection_on_screen(&app).unwrap();
    assert_eq!(selected(&app), Some(3));
    assert!(screen(&app).contains("S-3"), "{}", screen(&app));
}

/// What a person might do to the table's place: keys that select, page,
/// move, jump to a line, the wheel, and a change of size.
#[derive(Clone, Debug)]
enum Step {
    Key(&'static str),
    Wheel(bool),
    Resize(u16, u16),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        8 => prop::sample::select(vec![
            "j", "k", "g", "G", "PgDn", "PgUp", "J", "K", "T", "B", "]", "[", "z", "u",
        ])
        .prop_map(Step::Key),
        2 => any::<bool>().prop_map(Step::Wheel),
        // At 40x10, the smallest drawn, the table has one row: a line
        // alone can fill it.
        1 => prop::sample::select(vec![(80, 24), (120, 40), (60, 12), (100, 30), (40, 10)])
            .prop_map(|(w, h)| Step::Resize(w, h)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// However the table is moved about, with lines taking rows between
    /// the stories, the selection is on screen, and no row below the
    /// last is left empty while rows above are hidden.
    #[test]
    fn the_selection_stays_on_screen_with_lines_between_the_rows(
        steps in prop::collection::vec(step(), 1..40)
    ) {
        let mut app = app(ruled_backlog(), 80, 24);
        for step in steps {
            match step {
                Step::Key(key) => {
                    press(&mut app, &[key]);
                }
                Step::Wheel(down) => {
                    // Over the table's rows, whatever they show.
                    let table = app.areas().unwrap().backlog;
                    wheel(&mut app, down, (table.x + 2, table.y + 2));
                }
                Step::Resize(width, height) => {
                    app.update(backlog::tui::action::Action::Resize(width, height));
                }
            }
            let ruled = app.table.ruled(&app.backlog);
            prop_assert!(ruled.lines() > 0);
            let drawn = app.table.selected_drawn(&ruled);
            let (scroll, fits) = (app.table.scroll, app.table_rows());
            prop_assert!(
                scroll <= drawn && drawn < scroll + fits,
                "selection at drawn row {drawn}, rows {scroll}..{}",
                scroll + fits
            );
            prop_assert!(scroll <= ruled.last_scroll(fits));
            // What is selected is what is drawn there.
            match ruled.at(drawn) {
                Some(Drawn::Story(row)) => prop_assert_eq!(row, app.table.selected),
                Some(Drawn::Line(line)) => prop_assert_eq!(
                    app.table.plan.release_name(line),
                    app.table.selected_line.as_deref()
                ),
                None => prop_assert!(false, "nothing drawn at the selection"),
            }
        }
    }
}
