//! The TUI while the data file is read: the terminal is taken and the
//! first frame drawn at once, the file read on a thread of its own
//! ([`Loader`]), and the screen says how far it has got.
//!
//! Until the backlog is there, keys are kept, never lost: once it is, the
//! event loop hands them to the app in the order they were typed, as if
//! typed then, so `/inv` typed meanwhile ends in the search for "inv".
//! What a key means depends on the keys before it (after `/`, `q` is a
//! letter of the search), so none is acted on early, but one: quitting,
//! which writes nothing, since nothing has changed.
//!
//! Where rows will be, the screen says the backlog is loading. Rows from
//! a first look at the file (each story's rank and id) would not be the
//! rows the table opens on: the view kept from the last run filters and
//! sorts them, the Definition of Ready marks them, and every one of those
//! needs each story whole.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use anyhow::{Result, anyhow};
use ratatui::Frame;
use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind};
use ratatui::layout::Alignment;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::action::{Action, Effect};
use super::keymap::{Command, Context, Key, Keymap};
use super::layout::Areas;
use super::panics::caught;
use super::theme;
use super::view::too_small;
use crate::model::Backlog;
use crate::store::{Reading, Session};

/// How wide the progress bar is, at most.
const BAR: usize = 40;

/// The file, read: the session that keeps it from now on, and its
/// backlog.
pub type Read = Result<(Session, Backlog)>;

/// The data file being read on a thread of its own.
pub struct Loader {
    /// How far the read has got.
    pub reading: Arc<Reading>,
    read: Receiver<Read>,
}

impl Loader {
    /// Start reading the data file at `path`. Its fingerprint is taken
    /// before it is read, as [`Session::open`] takes it, so a write made
    /// meanwhile is noticed by the first look for other writers.
    #[must_use]
    pub fn start(path: &Path) -> Loader {
        let reading = Arc::new(Reading::default());
        let (done, read) = mpsc::channel();
        let (file, counting, sender) = (path.to_path_buf(), Arc::clone(&reading), done.clone());
        let spawned = thread::Builder::new()
            .name("backlog-load".into())
            .spawn(move || {
                let _ = sender.send(open(&file, &counting));
            });
        // A thread that cannot start leaves the read to this one.
        if spawned.is_err() {
            let _ = done.send(open(path, &reading));
        }
        Loader { reading, read }
    }

    /// The file, read, when it is, waiting at most `wait`; `None` while it
    /// is still being read.
    #[must_use]
    pub fn read_within(&self, wait: Duration) -> Option<Read> {
        match self.read.recv_timeout(wait) {
            Ok(read) => Some(read),
            Err(RecvTimeoutError::Timeout) => None,
            // The reader answers whatever happens, a panic included; gone
            // without a word, it is said so rather than waited for.
            Err(RecvTimeoutError::Disconnected) => {
                Some(Err(anyhow!("reading the file stopped unexpectedly")))
            }
        }
    }

    /// The file, read, waiting for it as long as it takes.
    ///
    /// # Errors
    /// When the file cannot be read or parsed, as [`Session::open`] says.
    pub fn wait(self) -> Read {
        self.read
            .recv()
            .unwrap_or_else(|_| Err(anyhow!("reading the file stopped unexpectedly")))
    }
}

/// Read the file at `path`; a panic is an error like any other, and says
/// so.
fn open(path: &Path, reading: &Arc<Reading>) -> Read {
    caught(|| Session::open_reporting(path, reading)).unwrap_or_else(|panic| {
        Err(anyhow!(
            "reading {} failed unexpectedly ({panic})",
            path.display()
        ))
    })
}

/// The app before the backlog is there: what the screen shows, and the
/// keys kept for the backlog.
pub struct Loading {
    /// The data file as the status bar shows it.
    pub file_label: String,
    pub keymap: Arc<Keymap>,
    /// Terminal size in columns and rows, as last reported: the app
    /// opens at it once the backlog is there.
    pub size: (u16, u16),
    /// Colour on, unless `NO_COLOR` is set.
    pub color: bool,
    /// The key context the TUI opens in: what a key typed first means.
    pub opens_in: Context,
    /// How much of the file is read, in percent, once that is known.
    percent: Option<u8>,
    /// Keys and pastes, in the order they came, for the backlog.
    kept: Vec<Event>,
}

impl Loading {
    #[must_use]
    pub fn new(keymap: Arc<Keymap>, file_label: impl Into<String>) -> Self {
        Loading {
            file_label: file_label.into(),
            keymap,
            size: (80, 24),
            color: true,
            opens_in: Context::Backlog,
            percent: None,
            kept: Vec::new(),
        }
    }

    /// Take one event from the terminal: a key that quits asks the loop
    /// to quit ([`Effect::Quit`]); any other key, and a paste, is kept
    /// for the backlog; a resize is taken in. A click or the wheel is let
    /// go: it points at a place on the loading screen, where nothing is.
    pub fn handle_event(&mut self, event: Event) -> Option<Effect> {
        match event {
            Event::Key(key) if key.kind == KeyEventKind::Release => None,
            Event::Key(key) if self.quits_now(key) => Some(Effect::Quit),
            Event::Key(_) | Event::Paste(_) => {
                self.kept.push(event);
                None
            }
            Event::Resize(width, height) => {
                self.size = (width, height);
                None
            }
            _ => None,
        }
    }

    /// Whether `key` quits now. With no key kept it means what it means
    /// where the TUI opens; after others, what it means depends on them
    /// (`q` is text in a search they opened), so it waits its turn,
    /// unless it quits wherever the keys may have led.
    fn quits_now(&self, key: KeyEvent) -> bool {
        let quits = Action::Command(Command::Quit);
        if self.kept.is_empty() {
            self.keymap.action_for(self.opens_in, false, key) == Some(quits)
        } else {
            self.quits_everywhere(Key::from_event(key))
        }
    }

    fn quits_everywhere(&self, key: Key) -> bool {
        Context::ALL
            .iter()
            .all(|&context| self.keymap.command_for(context, key) == Some(Command::Quit))
    }

    /// The key that quits now, as the screen names it.
    fn quit_key(&self) -> Option<String> {
        let key = if self.kept.is_empty() {
            self.keymap.key(self.opens_in, Command::Quit)
        } else {
            (self.keymap.keys(self.opens_in, Command::Quit)).find(|key| self.quits_everywhere(*key))
        };
        key.map(Key::label)
    }

    /// The read has got to `percent`; whether that changes the screen.
    pub fn progress(&mut self, percent: Option<u8>) -> bool {
        percent != std::mem::replace(&mut self.percent, percent)
    }

    /// The keys and pastes kept for the backlog, first first.
    #[must_use]
    pub fn kept(&self) -> &[Event] {
        &self.kept
    }

    /// Hand over the keys and pastes kept for the backlog, first first.
    #[must_use]
    pub fn into_kept(self) -> Vec<Event> {
        self.kept
    }

    /// What the status bar says: `loading 38 %…`, and how many keys wait.
    #[must_use]
    pub fn status(&self) -> String {
        let loading = match self.percent {
            Some(percent) => format!("loading {percent} %…"),
            None => "loading…".to_string(),
        };
        match self.kept.len() {
            0 => loading,
            1 => format!("{loading} · 1 key kept"),
            keys => format!("{loading} · {keys} keys kept"),
        }
    }

    /// Draw the loading screen: where the panes will be, a frame that
    /// says the backlog is loading and how far it has got; below, the
    /// status bar and the key that quits, where the app will have them.
    pub fn render(&self, frame: &mut Frame) {
        let area = frame.area();
        let Some(areas) = Areas::within(area, 0, true) else {
            too_small(frame, area);
            return;
        };
        let (border_type, border_style) = theme::border(true, self.color);
        let block = Block::bordered()
            .border_type(border_type)
            .border_style(border_style)
            .title(Span::styled(" Backlog ", theme::title()));
        let inner = block.inner(areas.main);
        frame.render_widget(block, areas.main);
        let mut lines = vec![
            Line::from(""),
            Line::styled("Loading the backlog…", theme::title()),
            Line::from(""),
            self.bar(usize::from(inner.width)),
            Line::from(""),
            Line::from("Keys typed now are kept, and act in turn once it is loaded."),
        ];
        let quit = self.quit_key();
        if let Some(key) = &quit {
            lines.push(Line::from(vec![
                Span::styled(key.clone(), theme::key(self.color)),
                Span::raw(" quits at once."),
            ]));
        }
        frame.render_widget(
            Paragraph::new(lines)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true }),
            inner,
        );

        let status = self.status();
        let mut facts = format!(" {status} · {}", self.file_label);
        if facts.width() > usize::from(areas.status.width) {
            // The file's name says more than the start of its directory.
            let name = self.file_label.rsplit('/').next().unwrap_or_default();
            facts = format!(" {status} · {name}");
        }
        frame.render_widget(
            Paragraph::new(Line::styled(facts, theme::dim(self.color))),
            areas.status,
        );
        if let Some(key) = quit {
            let hint = Line::from(vec![
                Span::raw(" "),
                Span::styled(key, theme::key(self.color)),
                Span::raw(" quit"),
            ]);
            frame.render_widget(Paragraph::new(hint), areas.keys);
        }
    }

    /// How far the read has got, as a bar at most `width` wide with the
    /// percent after it; readable without colour, the part done drawn
    /// solid. Blank until the file's length is known.
    fn bar(&self, width: usize) -> Line<'static> {
        let Some(percent) = self.percent else {
            return Line::from("");
        };
        let label = format!(" {percent:>3} %");
        let cells = BAR.min(width.saturating_sub(label.len() + 2));
        let done = cells * usize::from(percent.min(100)) / 100;
        Line::from(vec![
            Span::raw("█".repeat(done)),
            Span::styled("░".repeat(cells - done), theme::dim(self.color)),
            Span::raw(label),
        ])
    }
}
