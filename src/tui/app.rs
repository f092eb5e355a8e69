//! `App`: the backlog being groomed plus the state of the screen.

use std::any::Any;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::action::{Action, Effect};
use super::ctx::Ctx;
use super::keymap::{self, Context};
use super::screens::Screen;
use super::screens::backlog::{Table, TableMut};
pub use super::screens::overview::Overview;

use super::editor::Editor;
use super::layout::{self, Lasting};
use super::probe::Emoji;
use crate::model::{Backlog, History, ModelError, Story, StoryId};

/// What the keys currently do.
#[derive(Clone, Debug, Default)]
pub enum Mode {
    #[default]
    Normal,
    /// The story editor.
    Editing(Box<Editor>),
}

/// Which pane the movement keys act on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Focus {
    #[default]
    Backlog,
    Story,
}

/// A message: in the status bar until the next key, or, as an alert, on
/// lines of its own above it until dismissed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

pub struct App {
    pub backlog: Backlog,
    /// The backlog table: its filter, rows, selection and scroll.
    pub table: Table,
    /// How far the story pane is scrolled, and for which story: another
    /// story starts at its top.
    pub story_scrolled: (Option<StoryId>, usize),
    pub focus: Focus,
    pub mode: Mode,
    /// Terminal size in columns and rows, as last reported.
    pub size: (u16, u16),
    pub notice: Option<Notice>,
    /// Messages that stay until dismissed with Esc, oldest first: a clash
    /// with another writer, what reading an older file folded together, a
    /// config that cannot be read. One does not replace another: at start
    /// there may be three.
    pub alerts: Vec<Notice>,
    /// Why the file could not be saved (or read): on the status bar
    /// whatever else it says, so no change looks saved that is not, until
    /// a save works again or Esc.
    pub save_error: Option<String>,
    /// The data file as the status bar shows it.
    pub file_label: String,
    /// The data file is read-only: the status bar says so for as long as
    /// it is, changes or not, as an editor's `[RO]`.
    pub read_only: bool,
    /// Colour on, unless `NO_COLOR` is set; the screen reads without it.
    pub color: bool,
    /// How wide the terminal draws emoji sequences, where it said.
    pub emoji: Emoji,
    /// The clock new stories are stamped with; fixed in tests.
    pub clock: fn() -> DateTime<Utc>,
    /// Who comments and overrides are recorded as.
    pub author: String,
    /// Every change made here, to undo and redo.
    pub history: History,
    /// What was handed to `$EDITOR` last.
    pub handed_out: Option<Handout>,
    /// Panels and dialogs over the pane, bottom first: the last one gets
    /// the keys.
    pub(super) stack: Vec<Box<dyn Screen>>,
}

/// A document handed to `$EDITOR`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handout {
    /// The story's own document at the time: what comes back applies only
    /// if the story is still so.
    pub base: Option<String>,
    /// When the text handed out was the user's own (edited again after it
    /// was not applied), why it was not.
    pub error: Option<String>,
}

impl App {
    #[must_use]
    pub fn new(backlog: Backlog, file_label: impl Into<String>) -> Self {
        App {
            backlog,
            table: Table::default(),
            story_scrolled: (None, 0),
            focus: Focus::Backlog,
            mode: Mode::Normal,
            size: (80, 24),
            notice: None,
            alerts: Vec::new(),
            save_error: None,
            file_label: file_label.into(),
            read_only: false,
            color: true,
            emoji: Emoji::default(),
            clock: Utc::now,
            author: crate::config::Config::default().author(),
            history: History::default(),
            handed_out: None,
            stack: Vec::new(),
        }
    }

    /// The key context of the screen on top, and whether a key it does
    /// not bind is text typed into it.
    #[must_use]
    pub fn key_context(&self) -> (Context, bool) {
        match self.stack.last() {
            Some(top) => (top.context(), top.takes_text()),
            None => (self.mode.context(), self.mode.takes_text()),
        }
    }

    /// The key context of the screen on top.
    #[must_use]
    pub fn context(&self) -> Context {
        self.key_context().0
    }

    /// The key hints of the screen on top.
    #[must_use]
    pub fn hints(&self) -> Vec<(String, &'static str)> {
        match self.stack.last() {
            Some(top) => top.hints(),
            None => keymap::hints(self.mode.context()),
        }
    }

    /// The topmost open screen of type `T`, to read its state.
    #[must_use]
    pub fn screen<T: Screen>(&self) -> Option<&T> {
        self.stack
            .iter()
            .rev()
            .find_map(|screen| (&**screen as &dyn Any).downcast_ref::<T>())
    }

    /// The stories the open screens are about, as they are now: to follow
    /// them through a change made under them.
    pub(super) fn in_hand(&self) -> Vec<Option<Arc<Story>>> {
        self.stack
            .iter()
            .map(|screen| {
                screen
                    .story()
                    .and_then(|id| self.backlog.get_arc(id).cloned())
            })
            .collect()
    }

    /// After a change made under them, each open screen follows its story
    /// (`before`, as [`App::in_hand`] gave it); one with nothing left to
    /// show closes.
    pub(super) fn follow(&mut self, before: Vec<Option<Arc<Story>>>) {
        let mut before = before.into_iter();
        let backlog = &self.backlog;
        self.stack
            .retain_mut(|screen| screen.follow(before.next().flatten().as_deref(), backlog));
    }

    /// Close the screen on top when it is a `T`.
    pub(super) fn close_top<T: Screen>(&mut self) {
        if self
            .stack
            .last()
            .is_some_and(|top| (&**top as &dyn Any).is::<T>())
        {
            self.stack.pop();
        }
    }

    /// Do `f` with a Ctx over the whole app, as a screen's update would
    /// (the screens it opens go on top), for what the loop reports rather
    /// than a key.
    pub(super) fn with_ctx(&mut self, f: impl FnOnce(&mut Ctx)) -> Option<Effect> {
        let mut ctx = Ctx::new(self);
        f(&mut ctx);
        let outcome = ctx.finish();
        self.stack.extend(outcome.opening);
        if outcome.changed {
            for screen in &mut self.stack {
                screen.backlog_changed(&self.backlog);
            }
        }
        (outcome.changed || outcome.save).then_some(Effect::Save)
    }

    /// Open a screen over the rest.
    pub(super) fn open(&mut self, screen: impl Screen) {
        self.stack.push(Box::new(screen));
    }

    /// Apply an action to the screen on top.
    pub(super) fn update_top(&mut self, action: Action) -> Option<Effect> {
        let mut top = self.stack.pop()?;
        let mut ctx = Ctx::new(self);
        let effect = top.update(action, &mut ctx);
        let outcome = ctx.finish();
        if !outcome.closing {
            self.stack.push(top);
        }
        self.stack.extend(outcome.opening);
        if outcome.changed {
            for screen in &mut self.stack {
                screen.backlog_changed(&self.backlog);
            }
        }
        effect.or((outcome.changed || outcome.save).then_some(Effect::Save))
    }

    /// The story selected in the table.
    #[must_use]
    pub fn selected_story(&self) -> Option<&Story> {
        self.table.selected_story(&self.backlog)
    }

    /// The rank position of the selected story.
    #[must_use]
    pub fn selected_position(&self) -> Option<usize> {
        self.table.selected_position(&self.backlog)
    }

    /// How many rows the table has.
    #[must_use]
    pub fn row_count(&self) -> usize {
        self.table.row_count(&self.backlog)
    }

    /// The story shown at a table row.
    #[must_use]
    pub fn story_at_row(&self, row: usize) -> Option<&Story> {
        self.table.story_at_row(row, &self.backlog)
    }

    /// The table, to keep right after a change.
    pub(super) fn table_mut(&mut self) -> TableMut<'_> {
        let fits = self.table_rows();
        TableMut {
            table: &mut self.table,
            backlog: &self.backlog,
            fits,
        }
    }

    /// How far the story pane is scrolled: for the selected story only.
    #[must_use]
    pub fn story_scroll(&self) -> usize {
        let (story, rows) = self.story_scrolled;
        if story.is_some() && story == self.selected_story().map(|s| s.id) {
            rows
        } else {
            0
        }
    }

    /// Run a change to the backlog and record it for undo, called `label`
    /// ("move S-4") when it is undone. What it touched is worked out by
    /// the backlog as it goes. On success the caller gets its result; on a
    /// refusal the status bar says why and nothing changed.
    pub(super) fn change<T>(
        &mut self,
        label: impl Into<String>,
        f: impl FnOnce(&mut Backlog) -> Result<T, ModelError>,
    ) -> Option<T> {
        let (result, before) = self.backlog.watched(f);
        match result {
            Ok(value) => {
                self.history
                    .record(label, (self.clock)(), before, &self.backlog);
                Some(value)
            }
            Err(e) => {
                self.warn(e.to_string());
                None
            }
        }
    }

    /// How many backlog rows fit on screen at the current size.
    #[must_use]
    pub fn table_rows(&self) -> usize {
        layout::table_rows(self.size, Some(&self.lasting()))
    }

    /// What stays above the status bar: a failed save, then the alerts.
    #[must_use]
    pub fn lasting(&self) -> Lasting<'_> {
        Lasting {
            save_error: self.save_error.as_deref(),
            alerts: &self.alerts,
        }
    }

    pub(super) fn notify(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error: false,
        });
    }

    /// A message that stays until dismissed, after any there are: about
    /// the file, not a key. The same message twice is shown once.
    pub fn raise(&mut self, text: impl Into<String>, is_error: bool) {
        let alert = Notice {
            text: text.into(),
            is_error,
        };
        if !self.alerts.contains(&alert) {
            self.alerts.push(alert);
            // Its lines come out of the table's.
            self.table_mut().keep_selection_visible();
        }
    }

    pub(super) fn warn(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error: true,
        });
    }
}
