//! Looking without reordering: the table sorted by points, status, epic,
//! age or score, the rank untouched; the moving keys refused while it is,
//! naming the key back to rank order; the sort kept with the view.

mod common;

use backlog::cli::demo_backlog;
use backlog::model::{Backlog, Status};
use backlog::priority::Framework;
use backlog::tui::app::App;
use backlog::tui::handle_event;
use backlog::tui::saved_view::SavedView;
use backlog::tui::sort::SortBy;
use common::{app, notice, order, press, screen, shown};
use ratatui::crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

/// The stories shown sorted by points as a fresh sort has them: most
/// first, unestimated last, ties in rank order.
fn by_points(app: &App) -> Vec<u64> {
    let mut rows: Vec<(usize, u64, Option<f64>)> = (0..app.row_count())
        .map(|row| {
            let position = app.table.position(row, &app.backlog).unwrap();
            let story = app.backlog.at(position).unwrap();
            (
                position,
                story.id.0,
                story.points.map(backlog::model::Points::value),
            )
        })
        .collect();
    rows.sort_by(|a, b| {
        let key = |p: Option<f64>| (p.is_none(), -p.unwrap_or(0.0));
        let (ka, kb) = (key(a.2), key(b.2));
        ka.0.cmp(&kb.0)
            .then(ka.1.total_cmp(&kb.1))
            .then(a.0.cmp(&b.0))
    });
    rows.into_iter().map(|(_, id, _)| id).collect()
}

#[test]
fn y_sorts_by_points_without_touching_the_rank_and_shift_y_goes_back() {
    let mut app = app(demo_backlog(), 100, 30);
    app.open_view(Ok(None));
    let rank = order(&app);
    let in_rank = shown(&app);
    press(&mut app, &["j", "j"]);
    let selected = app.selected_story().unwrap().id;
    press(&mut app, &["y"]);
    assert_eq!(app.table.sorted_by(), Some(SortBy::Points));
    assert_eq!(shown(&app), by_points(&app));
    assert_ne!(shown(&app), in_rank);
    assert_eq!(order(&app), rank, "the rank is untouched");
    assert_eq!(
        app.selected_story().unwrap().id,
        selected,
        "on the same story"
    );
    assert!(
        screen(&app).contains("· sorted: Points ↓ "),
        "{}",
        screen(&app)
    );
    assert!(
        notice(&app).contains("Sorted by points, most first"),
        "{}",
        notice(&app)
    );
    assert!(
        notice(&app).contains("Y goes back to rank order"),
        "{}",
        notice(&app)
    );
    // Nothing changed: nothing to save or undo.
    assert_eq!(app.history.undo_len(), 0);

    // An estimate changed moves the story where it now sorts, and the
    // selection with it.
    press(&mut app, &["g"]);
    let top = app.selected_story().unwrap().id;
    press(&mut app, &["-", "-", "-"]);
    assert_eq!(shown(&app), by_points(&app));
    assert_eq!(
        app.selected_story().unwrap().id,
        top,
        "the selection follows"
    );
    assert_ne!(app.table.selected, 0, "it sorts lower now");
    // A story added, one deleted: still sorted.
    press(&mut app, &["a"]);
    common::typed(&mut app, "A new one");
    press(&mut app, &["Enter"]);
    assert_eq!(shown(&app), by_points(&app));
    assert_eq!(app.selected_story().unwrap().title, "A new one");
    press(&mut app, &["d", "y"]);
    assert_eq!(shown(&app), by_points(&app));

    press(&mut app, &["Y"]);
    assert_eq!(app.table.sorted_by(), None);
    assert_eq!(notice(&app), "In rank order again");
    assert!(!screen(&app).contains("sorted:"));
    let positions: Vec<usize> = (0..app.row_count())
        .map(|row| app.table.position(row, &app.backlog).unwrap())
        .collect();
    assert!(positions.is_sorted(), "rank order again");
    press(&mut app, &["Y"]);
    assert_eq!(notice(&app), "The table is in rank order already");
}

#[test]
fn y_goes_round_the_sorts_and_back_to_rank_order() {
    let mut app = app(demo_backlog(), 100, 30);
    let mut seen = Vec::new();
    for _ in 0..5 {
        press(&mut app, &["y"]);
        seen.push(app.table.sorted_by());
    }
    // No framework picked: nothing to score by.
    assert_eq!(
        seen,
        [
            Some(SortBy::Points),
            Some(SortBy::Status),
            Some(SortBy::Epic),
            Some(SortBy::Age),
            None
        ]
    );
    app.table.framework = Some(Framework::Wsjf);
    press(&mut app, &["y"]);
    assert_eq!(app.table.sorted_by(), Some(SortBy::Score));
    assert!(screen(&app).contains("sorted: Score ↓"));
    // No story has WSJF inputs: all unscored, in rank order.
    let positions: Vec<usize> = (0..app.row_count())
        .map(|row| app.table.position(row, &app.backlog).unwrap())
        .collect();
    assert!(positions.is_sorted());
    // Status: draft first, in rank order among them.
    let mut app = app_sorted(SortBy::Status);
    let statuses: Vec<Status> = (0..app.row_count())
        .map(|row| app.story_at_row(row).unwrap().status)
        .collect();
    let mut expected = statuses.clone();
    expected.sort_by_key(|s| Status::ALL.iter().position(|x| x == s));
    assert_eq!(statuses, expected);
    press(&mut app, &["Y"]);
}

#[test]
fn sorting_by_score_puts_the_best_first_the_unscored_last_and_follows_the_framework() {
    use backlog::model::{Input, InputValue, StoryId, StoryPatch};
    let mut b = common::numbered(5);
    // WSJF: S-2 (8+5+3)/8 = 2, S-4 (3+2+1)/1 = 6; RICE: S-2 only, and
    // MoSCoW: S-5 must, S-1 could.
    let set = |b: &mut Backlog, id: u64, inputs: Vec<(Input, InputValue)>| {
        let patch = StoryPatch {
            inputs: inputs.into_iter().map(|(i, v)| (i, Some(v))).collect(),
            ..StoryPatch::default()
        };
        b.edit(StoryId(id), &patch, common::fixed_clock()).unwrap();
    };
    let n = InputValue::Number;
    for (id, [value, time, risk, size]) in [(2, [8.0, 5.0, 3.0, 8.0]), (4, [3.0, 2.0, 1.0, 1.0])] {
        set(
            &mut b,
            id,
            vec![
                (Input::Value, n(value)),
                (Input::TimeCriticality, n(time)),
                (Input::RiskReduction, n(risk)),
                (Input::JobSize, n(size)),
            ],
        );
    }
    set(
        &mut b,
        5,
        vec![(
            Input::Moscow,
            InputValue::Moscow(backlog::model::Moscow::Must),
        )],
    );
    set(
        &mut b,
        1,
        vec![(
            Input::Moscow,
            InputValue::Moscow(backlog::model::Moscow::Could),
        )],
    );
    let mut app = app(b, 100, 30);
    app.table.set_framework(Some(Framework::Wsjf));
    while app.table.sorted_by() != Some(SortBy::Score) {
        press(&mut app, &["y"]);
    }
    assert_eq!(
        shown(&app),
        [4, 2, 1, 3, 5],
        "best first, the unscored in rank order"
    );
    // Another framework picked: the sort follows it.
    press(&mut app, &["p", "g"]);
    let at = Framework::ALL
        .iter()
        .position(|f| *f == Framework::Moscow)
        .unwrap();
    for _ in 0..at {
        press(&mut app, &["j"]);
    }
    press(&mut app, &["Enter"]);
    assert_eq!(app.table.framework, Some(Framework::Moscow));
    assert_eq!(app.table.sorted_by(), Some(SortBy::Score));
    assert_eq!(
        shown(&app),
        [5, 1, 2, 3, 4],
        "must, could, then the unscored"
    );
    // No framework: back to rank order.
    press(&mut app, &["p", "G", "Enter"]);
    assert_eq!(app.table.sorted_by(), None);
    assert_eq!(shown(&app), [1, 2, 3, 4, 5]);
}

fn app_sorted(by: SortBy) -> App {
    let mut app = app(demo_backlog(), 100, 30);
    while app.table.sorted_by() != Some(by) {
        press(&mut app, &["y"]);
    }
    app
}

#[test]
fn every_moving_key_is_refused_in_a_sorted_view_naming_the_key_back() {
    let mut app = app_sorted(SortBy::Points);
    let before: Backlog = app.backlog.clone();
    let refusal = "Sorted by points: stories move in rank order only, Y goes back to it";
    for key in ["J", "K", "T", "B", "S-Down", "S-Up"] {
        press(&mut app, &["j", key]);
        assert_eq!(notice(&app), refusal, "{key}");
        assert!(app.notice.as_ref().unwrap().is_error(), "{key}");
    }
    // Marked stories too.
    press(&mut app, &["Space", "j", "Space"]);
    for key in ["J", "K", "T", "B"] {
        press(&mut app, &[key]);
        assert_eq!(notice(&app), refusal, "{key} with stories marked");
    }
    // And a drag.
    let body = app.areas().unwrap().backlog;
    let at = |row: u16| (body.x + 10, body.y + 2 + row);
    let mouse = |app: &mut App, kind, (column, row)| {
        handle_event(
            app,
            Event::Mouse(MouseEvent {
                kind,
                column,
                row,
                modifiers: KeyModifiers::NONE,
            }),
        )
    };
    mouse(&mut app, MouseEventKind::Down(MouseButton::Left), at(1));
    mouse(&mut app, MouseEventKind::Drag(MouseButton::Left), at(3));
    assert_eq!(notice(&app), refusal, "a drag");
    mouse(&mut app, MouseEventKind::Drag(MouseButton::Left), at(4));
    mouse(&mut app, MouseEventKind::Up(MouseButton::Left), at(4));
    assert_eq!(app.backlog, before, "nothing moved");
    assert_eq!(app.history.undo_len(), 0);
    // Back in rank order, the same key moves.
    press(&mut app, &["Esc", "Y", "J"]);
    assert_ne!(app.backlog, before);
}

#[test]
fn a_keymap_of_ones_own_is_the_one_the_refusal_names() {
    use backlog::tui::keymap::Keymap;
    let overlay = "[backlog]\nctrl-o = \"rank_order\"\n";
    let keymap = Keymap::with_file(std::path::Path::new("keys.toml"), overlay).unwrap();
    let mut app = app(demo_backlog(), 100, 30);
    app.keymap = std::sync::Arc::new(keymap);
    press(&mut app, &["y", "J"]);
    assert!(
        notice(&app).contains("Ctrl-O goes back to it"),
        "{}",
        notice(&app)
    );
}

#[test]
fn the_sort_is_kept_with_the_view_and_an_older_view_file_still_reads() {
    let mut before = app(demo_backlog(), 100, 30);
    before.open_view(Ok(None));
    press(&mut before, &["y", "j", "j"]);
    let kept = SavedView::of(&before);
    assert_eq!(kept.sort.as_deref(), Some("points"));
    let mut after = app(demo_backlog(), 100, 30);
    after.open_view(Ok(Some(kept.to_json())));
    assert_eq!(after.table.sorted_by(), Some(SortBy::Points));
    assert_eq!(shown(&after), shown(&before));
    assert_eq!(
        after.selected_story().map(|s| s.id),
        before.selected_story().map(|s| s.id)
    );
    // A view file from before sorting: rank order, and nothing to say.
    let older = r#"{"schema": 1, "pane": "backlog", "open_work": true}"#;
    let mut app = app(demo_backlog(), 100, 30);
    app.open_view(Ok(Some(older.to_string())));
    assert_eq!(app.table.sorted_by(), None);
    assert_eq!(notice(&app), "");
    // A sort by score with no framework kept (or one this build does not
    // know) is rank order, with the moving keys free.
    for framework in ["", r#", "framework": "kano""#] {
        let text = format!(r#"{{"schema": 1, "pane": "backlog", "sort": "score"{framework}}}"#);
        let mut kept = common::app(demo_backlog(), 100, 30);
        kept.open_view(Ok(Some(text)));
        assert_eq!(kept.table.sorted_by(), None, "{framework}");
    }
}

#[test]
fn snapshot_sorted_by_points_at_80x24() {
    let mut app = app(demo_backlog(), 80, 24);
    app.open_view(Ok(None));
    press(&mut app, &["y"]);
    insta::assert_snapshot!(screen(&app));
}
