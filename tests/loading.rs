//! The TUI while the data file is read: keys are kept, in order, and act
//! once the backlog is there, as the loop hands them to the app; a quit
//! quits at once; the status bar says how far the read has got.

mod common;

use backlog::model::{Backlog, Placement, StoryPatch};
use backlog::tui::action::Effect;
use backlog::tui::app::App;
use backlog::tui::handle_event;
use backlog::tui::keymap::Keymap;
use backlog::tui::loading::Loading;
use common::{app, fixed_clock, key_event, numbered, order, screen, shown};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    Event, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

/// The loading screen at 80 × 24, without colour, as the TUI opens on
/// the backlog with the built-in keys.
fn loading() -> Loading {
    let mut loading = Loading::new(Keymap::built_in(), "~/.local/share/backlog/backlog.json");
    loading.color = false;
    loading.handle_event(Event::Resize(80, 24));
    loading
}

/// Type keys named as tmux names them while the file is read: what each
/// asked of the loop.
fn type_while_loading(loading: &mut Loading, keys: &[&str]) -> Vec<Option<Effect>> {
    keys.iter()
        .map(|key| loading.handle_event(Event::Key(key_event(key))))
        .collect()
}

/// The keys kept, handed to the app on the backlog once it is read, as
/// the loop hands them: what they asked of the loop.
fn replay(loading: Loading, app: &mut App) -> Vec<Effect> {
    loading
        .into_kept()
        .into_iter()
        .filter_map(|event| handle_event(app, event))
        .collect()
}

fn drawn(loading: &Loading) -> String {
    let (width, height) = loading.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| loading.render(frame)).unwrap();
    terminal.backend().to_string()
}

fn invoicing() -> Backlog {
    let mut b = Backlog::new("Invoicing");
    for title in [
        "Pay by card",
        "Send invoices by mail",
        "Export the ledger",
        "Invite a colleague",
        "Remind late payers",
    ] {
        b.add(&StoryPatch::title(title), Placement::Bottom, fixed_clock())
            .unwrap();
    }
    b
}

#[test]
fn a_search_typed_while_loading_is_typed_once_the_backlog_is_there() {
    let mut loading = loading();
    let asked = type_while_loading(&mut loading, &["/", "i", "n", "v"]);
    assert_eq!(asked, [None, None, None, None]);
    assert_eq!(loading.kept().len(), 4);
    let mut app = app(invoicing(), 80, 24);
    let effects = replay(loading, &mut app);
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(shown(&app), [2, 4]);
    assert!(screen(&app).contains("/inv"), "{}", screen(&app));
}

#[test]
fn moves_of_the_selection_typed_while_loading_are_made_in_turn() {
    let mut loading = loading();
    type_while_loading(&mut loading, &["j", "j", "G", "k"]);
    let mut app = app(numbered(8), 80, 24);
    replay(loading, &mut app);
    assert_eq!(app.selected_story().unwrap().title, "Story 7");
}

#[test]
fn a_change_typed_while_loading_waits_for_the_backlog_and_is_saved_then() {
    let mut loading = loading();
    // Nothing to save, nothing to change yet: the move is kept.
    assert_eq!(type_while_loading(&mut loading, &["j", "J"]), [None, None]);
    let mut app = app(numbered(3), 80, 24);
    let effects = replay(loading, &mut app);
    assert_eq!(effects, [Effect::Save]);
    assert_eq!(order(&app), [1, 3, 2]);
}

#[test]
fn the_mouse_is_let_go_while_loading_as_it_points_at_nothing() {
    let mut loading = loading();
    let click = |kind| {
        Event::Mouse(MouseEvent {
            kind,
            column: 10,
            row: 4,
            modifiers: KeyModifiers::NONE,
        })
    };
    for kind in [
        MouseEventKind::Down(MouseButton::Left),
        MouseEventKind::Up(MouseButton::Left),
        MouseEventKind::ScrollDown,
    ] {
        assert_eq!(loading.handle_event(click(kind)), None);
    }
    // A key let go is no key either.
    let mut released = key_event("j");
    released.kind = KeyEventKind::Release;
    loading.handle_event(Event::Key(released));
    assert!(loading.kept().is_empty());
    // A paste is text for the field the keys before it opened.
    type_while_loading(&mut loading, &["c"]);
    loading.handle_event(Event::Paste("Ask finance".into()));
    let mut app = app(numbered(2), 80, 24);
    assert_eq!(replay(loading, &mut app), Vec::<Effect>::new());
    assert!(screen(&app).contains("Ask finance"), "{}", screen(&app));
}

#[test]
fn q_or_ctrl_c_quits_at_once_while_loading() {
    for quit in ["q", "C-c"] {
        let mut loading = loading();
        assert_eq!(
            type_while_loading(&mut loading, &[quit]),
            [Some(Effect::Quit)],
            "{quit}"
        );
        assert!(loading.kept().is_empty());
    }
}

#[test]
fn after_other_keys_q_waits_its_turn_and_ctrl_c_still_quits_at_once() {
    let mut loading = loading();
    // After `/`, q is a letter of the search.
    let asked = type_while_loading(&mut loading, &["/", "q", "u"]);
    assert_eq!(asked, [None, None, None]);
    assert_eq!(
        type_while_loading(&mut loading, &["C-c"]),
        [Some(Effect::Quit)]
    );
    let mut app = app(numbered(3), 80, 24);
    replay(loading, &mut app);
    assert_eq!(app.table.filter.query, "qu");

    // After keys that leave the table as it is, q quits in its turn.
    let mut later = self::loading();
    let asked = type_while_loading(&mut later, &["j", "q"]);
    assert_eq!(asked, [None, None]);
    let mut app = self::app(numbered(3), 80, 24);
    assert_eq!(replay(later, &mut app), [Effect::Quit]);
}

#[test]
fn where_q_does_not_quit_it_is_kept() {
    // A keymap with no quit on q leaves q to the keys.
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys.toml");
    std::fs::write(&keys, "[backlog]\nq = \"none\"\nx = \"quit\"\n").unwrap();
    let mut loading = Loading::new(Keymap::load(&keys).unwrap(), "backlog.json");
    assert_eq!(type_while_loading(&mut loading, &["q"]), [None]);
    assert_eq!(type_while_loading(&mut loading, &["x"]), [None]);
    let mut loading = Loading::new(Keymap::load(&keys).unwrap(), "backlog.json");
    assert_eq!(
        type_while_loading(&mut loading, &["x"]),
        [Some(Effect::Quit)]
    );
}

#[test]
fn the_status_bar_says_how_far_the_read_has_got_and_how_many_keys_wait() {
    let mut loading = loading();
    assert_eq!(loading.status(), "loading…");
    assert!(loading.progress(Some(0)));
    assert_eq!(loading.status(), "loading 0 %…");
    assert!(loading.progress(Some(38)));
    assert!(!loading.progress(Some(38)), "the same share is not news");
    assert_eq!(loading.status(), "loading 38 %…");
    type_while_loading(&mut loading, &["j"]);
    assert_eq!(loading.status(), "loading 38 %… · 1 key kept");
    type_while_loading(&mut loading, &["j", "/"]);
    assert_eq!(loading.status(), "loading 38 %… · 3 keys kept");
    assert!(drawn(&loading).contains("loading 38 %… · 3 keys kept · ~/.local/share/backlog/"));
}

#[test]
fn a_resize_while_loading_is_drawn_at_its_size_and_kept_for_nothing() {
    let mut loading = loading();
    loading.progress(Some(50));
    loading.handle_event(Event::Resize(100, 30));
    assert_eq!(loading.size, (100, 30));
    assert!(loading.kept().is_empty());
    let screen = drawn(&loading);
    assert_eq!(screen.lines().count(), 30);
    assert!(screen.contains(" 50 %"), "{screen}");
    // Too small, it says so, as the app does.
    loading.handle_event(Event::Resize(30, 8));
    assert!(drawn(&loading).contains("Terminal too small"));
}

#[test]
fn snapshot_loading_at_80x24() {
    let mut loading = loading();
    loading.progress(Some(38));
    type_while_loading(&mut loading, &["j", "j"]);
    insta::assert_snapshot!(drawn(&loading));
}
