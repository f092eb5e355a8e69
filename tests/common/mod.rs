//! Driving the TUI without a terminal, shared by the TUI test files: keys
//! go through the real keymap and update path, and the screen is drawn on
//! a `TestBackend` at a fixed size.

#![allow(dead_code, reason = "each test file uses its own part of this")]

use backlog::model::{Backlog, Placement, StoryId, StoryPatch};
use backlog::store::Note;
use backlog::tui::action::{Action, Effect};
use backlog::tui::app::App;
use backlog::tui::screens::backlog::BacklogPane;
use backlog::tui::{handle_event, handle_key, view};
use chrono::{DateTime, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

pub fn fixed_clock() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap()
}

/// An app on `backlog` at `width` × `height`, without colour, on a fixed
/// clock, as author "po".
pub fn app(backlog: Backlog, width: u16, height: u16) -> App {
    let mut app = App::new(backlog, "~/.local/share/backlog/backlog.json");
    app.clock = fixed_clock;
    app.color = false;
    app.author = "po".to_string();
    app.update(Action::Resize(width, height));
    app
}

/// Stories "Story 1" to "Story n", ranked in id order.
pub fn numbered(n: usize) -> Backlog {
    let mut b = Backlog::new("Numbers");
    for i in 1..=n {
        b.add(
            &StoryPatch::title(format!("Story {i}")),
            Placement::Bottom,
            fixed_clock(),
        )
        .unwrap();
    }
    b
}

/// Press keys named as tmux names them (`Enter`, `Esc`, `Down`, `S-Down`,
/// `C-c`, `C-s`, `Tab`, `PgDn`, `Space`, …), or any single character.
pub fn press(app: &mut App, keys: &[&str]) -> Vec<Effect> {
    keys.iter()
        .filter_map(|key| handle_key(app, key_event(key)))
        .collect()
}

/// The key named as tmux names it (see [`press`]), as the terminal
/// reports it.
pub fn key_event(key: &str) -> KeyEvent {
    let (code, modifiers) = match key {
        "Enter" => (KeyCode::Enter, KeyModifiers::NONE),
        "Esc" => (KeyCode::Esc, KeyModifiers::NONE),
        "Tab" => (KeyCode::Tab, KeyModifiers::NONE),
        "Space" => (KeyCode::Char(' '), KeyModifiers::NONE),
        "Down" => (KeyCode::Down, KeyModifiers::NONE),
        "Up" => (KeyCode::Up, KeyModifiers::NONE),
        "Left" => (KeyCode::Left, KeyModifiers::NONE),
        "Right" => (KeyCode::Right, KeyModifiers::NONE),
        "S-Down" => (KeyCode::Down, KeyModifiers::SHIFT),
        "S-Up" => (KeyCode::Up, KeyModifiers::SHIFT),
        "PgDn" => (KeyCode::PageDown, KeyModifiers::NONE),
        "PgUp" => (KeyCode::PageUp, KeyModifiers::NONE),
        "Home" => (KeyCode::Home, KeyModifiers::NONE),
        "End" => (KeyCode::End, KeyModifiers::NONE),
        "Backspace" => (KeyCode::Backspace, KeyModifiers::NONE),
        "Del" => (KeyCode::Delete, KeyModifiers::NONE),
        // A letter with Ctrl (`C-g`) or Alt (`M-b`).
        chord if chord.len() == 3 && (chord.starts_with("C-") || chord.starts_with("M-")) => {
            let letter = chord.chars().nth(2).unwrap();
            let modifier = if chord.starts_with("C-") {
                KeyModifiers::CONTROL
            } else {
                KeyModifiers::ALT
            };
            (KeyCode::Char(letter), modifier)
        }
        text => {
            let mut chars = text.chars();
            let c = chars.next().unwrap();
            assert!(chars.next().is_none(), "unknown key {text}");
            let shift = if c.is_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            (KeyCode::Char(c), shift)
        }
    };
    KeyEvent::new(code, modifiers)
}

/// Type text, a character at a time.
pub fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        let s = c.to_string();
        effects.extend(press(app, &[s.as_str()]));
    }
    effects
}

/// Story ids in rank order.
pub fn order(app: &App) -> Vec<u64> {
    app.backlog.ranked().map(|s| s.id.0).collect()
}

/// The backlog pane, which every app has.
pub fn backlog_pane(app: &App) -> &BacklogPane {
    app.screen::<BacklogPane>().expect("the backlog pane")
}

/// Ids of the stories the table shows, top to bottom.
pub fn shown(app: &App) -> Vec<u64> {
    (0..app.row_count())
        .filter_map(|row| app.story_at_row(row).map(|s| s.id.0))
        .collect()
}

/// The text of the app's notice on the status bar, or "" without one.
pub fn notice(app: &App) -> &str {
    app.notice.as_ref().map_or("", |n| n.text.as_str())
}

/// The screen as text, one quoted line per row.
pub fn screen(app: &App) -> String {
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| view::render(app, frame)).unwrap();
    terminal.backend().to_string()
}

/// Every screen from this one on as `j` steps down `steps` times, one
/// after another: how a test reads the whole of a help or pane longer
/// than the screen.
pub fn scrolled_through(app: &mut App, steps: usize) -> String {
    let mut seen = String::new();
    for _ in 0..steps {
        seen.push_str(&screen(app));
        press(app, &["j"]);
    }
    seen
}

/// What the link tells the app when it has read in another writer's
/// changes without a clash: their backlog, `note` for the status bar, and
/// the stories the merge renumbered, from the old id to the new.
pub fn reload(app: &mut App, theirs: Backlog, note: &str, renumbered: Vec<(StoryId, StoryId)>) {
    app.update(Action::Reloaded {
        backlog: Box::new(theirs),
        note: Note {
            text: note.into(),
            conflict_file: None,
        },
        renumbered,
    });
}

/// What the link tells the app of a clash with another writer: the
/// backlog as it is, and `text`, with the file the user's own version was
/// kept in.
pub fn clash(app: &mut App, text: &str) {
    app.update(Action::Reloaded {
        backlog: Box::new(app.backlog.clone()),
        note: Note {
            text: text.into(),
            conflict_file: Some("backlog.json.conflict-x.json".into()),
        },
        renumbered: Vec::new(),
    });
}

/// The screen's text without its spaces, line breaks and row quotes: a
/// message wrapped over several lines, even within a word, reads as one.
pub fn squeezed(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '"')
        .collect()
}

/// A mouse event at `column`, `row`, through the loop's path.
pub fn mouse(
    app: &mut App,
    kind: ratatui::crossterm::event::MouseEventKind,
    (column, row): (u16, u16),
) -> Option<Effect> {
    use ratatui::crossterm::event::MouseEvent;
    handle_event(
        app,
        Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }),
    )
}

pub fn press_at(app: &mut App, at: (u16, u16)) -> Option<Effect> {
    use ratatui::crossterm::event::{MouseButton, MouseEventKind};
    mouse(app, MouseEventKind::Down(MouseButton::Left), at)
}

pub fn drag_to(app: &mut App, at: (u16, u16)) -> Option<Effect> {
    use ratatui::crossterm::event::{MouseButton, MouseEventKind};
    mouse(app, MouseEventKind::Drag(MouseButton::Left), at)
}

pub fn let_go(app: &mut App, at: (u16, u16)) -> Option<Effect> {
    use ratatui::crossterm::event::{MouseButton, MouseEventKind};
    mouse(app, MouseEventKind::Up(MouseButton::Left), at)
}

pub fn click(app: &mut App, at: (u16, u16)) {
    press_at(app, at);
    let_go(app, at);
}

/// Click where `text` is drawn.
pub fn click_on(app: &mut App, text: &str) {
    let place = at(app, text);
    click(app, place);
}

pub fn wheel(app: &mut App, down: bool, at: (u16, u16)) {
    use ratatui::crossterm::event::MouseEventKind;
    let kind = if down {
        MouseEventKind::ScrollDown
    } else {
        MouseEventKind::ScrollUp
    };
    mouse(app, kind, at);
}

/// Where `text` is drawn on the screen (its first cell), as a person
/// would point at it.
pub fn at(app: &App, text: &str) -> (u16, u16) {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| backlog::tui::view::render(app, frame))
        .unwrap();
    let buffer = terminal.backend().buffer();
    for y in 0..height {
        let cells: Vec<&str> = (0..width).map(|x| buffer[(x, y)].symbol()).collect();
        let row: String = cells.concat();
        if let Some(byte) = row.find(text) {
            let mut seen = 0;
            let column = cells
                .iter()
                .position(|cell| {
                    seen += cell.len();
                    seen > byte
                })
                .unwrap();
            return (u16::try_from(column).unwrap(), y);
        }
    }
    panic!("{text:?} is not on the screen:\n{}", screen(app));
}
