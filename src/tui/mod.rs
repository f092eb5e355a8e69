//! The interactive backlog: terminal setup and restore, and the event loop.
//! The only code that touches the terminal.
//!
//! ```text
//! key ─keymap→ Action ─App::update→ state (+ Effect) ─loop→ save / quit
//! view::render(&App) → frame
//! ```

pub mod action;
pub mod app;
mod editing;
pub mod editor;
pub mod filter;
pub mod keymap;
pub mod panels;
pub mod sync;
mod update;
pub mod view;

use std::io::{self, IsTerminal};
use std::mem;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event, KeyEvent, KeyEventKind};

use self::action::{Action, Effect};
use self::app::App;
use self::sync::Link;

/// Turn one key press into an action through the keymap and apply it: the
/// same path for the real loop and for tests.
pub fn handle_key(app: &mut App, key: KeyEvent) -> Option<Effect> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let action = keymap::action_for(&app.mode, key)?;
    app.update(action)
}

/// The data file as the status bar shows it: `~` for the home directory.
#[must_use]
pub fn display_path(path: &Path) -> String {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    match home
        .as_deref()
        .and_then(|home| path.strip_prefix(home).ok())
    {
        Some(rest) => format!("~/{}", rest.display()),
        None => path.display().to_string(),
    }
}

/// Open the backlog in the terminal until the user quits.
///
/// # Errors
/// When the file cannot be read (nothing is shown and nothing written), the
/// terminal fails, or the last save fails (then a recovery file is named).
pub fn run(path: &Path) -> Result<()> {
    // Read first: a broken file is the news, terminal or not.
    let (mut link, backlog) = Link::open(path)?;
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        bail!(
            "the backlog TUI needs a terminal; to script it, use a command such as `backlog list` (see `backlog --help`)"
        );
    }
    let mut app = App::new(backlog, display_path(path));
    app.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());

    // A closed terminal or `kill` ends the loop like `q`, so it saves.
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("cannot listen for termination signals")?;
    }

    let mut terminal = ratatui::init();
    // A panic restores the terminal (ratatui's hook) and is caught here so
    // the last changes are still saved before it goes on.
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        event_loop(&mut terminal, &mut app, &mut link, &stop)
    }));
    // Whatever ended the loop, unsaved work goes to disk (or a recovery
    // file) first: after a hangup, touching the terminal may fail.
    let saved = link.finish(&mut app.backlog);
    // `ratatui::restore` reports its own failure on stderr, which panics
    // when the terminal is gone; there is nothing left to restore then.
    let _ = ratatui::try_restore();
    match result {
        Ok(result) => result.and(saved),
        Err(panic) => {
            if let Err(e) = saved {
                eprintln!("backlog: {e:#}");
            }
            panic::resume_unwind(panic)
        }
    }
}

/// Read terminal events on their own thread. crossterm's `poll` never
/// returns once the terminal is gone (crossterm issue #793), so the loop
/// waits on this channel instead: a hangup then still reaches the loop as a
/// signal, and the loop saves and exits.
fn spawn_input() -> Receiver<Event> {
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        while let Ok(event) = event::read() {
            if sender.send(event).is_err() {
                break;
            }
        }
    });
    receiver
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    link: &mut Link,
    stop: &AtomicBool,
) -> Result<()> {
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    let input = spawn_input();
    // Draw only when something may have changed, not on every wake-up to
    // poll the saving thread.
    let mut redraw = true;
    loop {
        // Checked before drawing: after a hangup there is no terminal to
        // draw on, and the work must be saved rather than lost in a failed
        // draw.
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        if mem::take(&mut redraw) {
            terminal.draw(|frame| view::render(app, frame))?;
        }
        let wait = link.next_deadline().min(Duration::from_millis(250));
        let event = input.recv_timeout(wait);
        redraw = event.is_ok();
        let effect = match event {
            Ok(Event::Key(key)) => handle_key(app, key),
            Ok(Event::Resize(width, height)) => app.update(Action::Resize(width, height)),
            Ok(_) | Err(RecvTimeoutError::Timeout) => None,
            // The terminal is gone: save and leave.
            Err(RecvTimeoutError::Disconnected) => Some(Effect::Quit),
        };
        match effect {
            Some(Effect::Save) => link.changed(),
            Some(Effect::Quit) => return Ok(()),
            None => {}
        }
        if let Some(action) = link.tick(&app.backlog) {
            app.update(action);
            redraw = true;
        }
    }
}
