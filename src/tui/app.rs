//! `App`: the backlog being groomed plus the state of the screen.

use chrono::{DateTime, Utc};
use tui_input::Input;

use super::view;
use crate::model::{Backlog, Story, StoryId};

/// What the keys currently do.
#[derive(Clone, Debug, Default)]
pub enum Mode {
    #[default]
    Normal,
    /// Typing the title of a new story.
    Adding(Input),
    /// Asking whether to delete this story.
    ConfirmDelete(StoryId),
    /// The key help, scrolled this many lines.
    Help(u16),
}

/// Which pane the movement keys act on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Focus {
    #[default]
    Backlog,
    Story,
}

/// A message in the status bar until the next key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

pub struct App {
    pub backlog: Backlog,
    /// 0-based rank position of the selected story.
    pub selected: usize,
    /// The first backlog row on screen.
    pub scroll: usize,
    /// Lines scrolled in the story pane.
    pub story_scroll: u16,
    pub focus: Focus,
    pub mode: Mode,
    /// Terminal size in columns and rows, as last reported.
    pub size: (u16, u16),
    pub notice: Option<Notice>,
    /// A message that stays until dismissed with Esc: a clash with another
    /// writer, or a file that cannot be saved.
    pub alert: Option<Notice>,
    /// The data file as the status bar shows it.
    pub file_label: String,
    /// Colour on, unless `NO_COLOR` is set; the screen reads without it.
    pub color: bool,
    /// The clock new stories are stamped with; fixed in tests.
    pub clock: fn() -> DateTime<Utc>,
}

impl App {
    #[must_use]
    pub fn new(backlog: Backlog, file_label: impl Into<String>) -> Self {
        App {
            backlog,
            selected: 0,
            scroll: 0,
            story_scroll: 0,
            focus: Focus::Backlog,
            mode: Mode::Normal,
            size: (80, 24),
            notice: None,
            alert: None,
            file_label: file_label.into(),
            color: true,
            clock: Utc::now,
        }
    }

    #[must_use]
    pub fn selected_story(&self) -> Option<&Story> {
        self.backlog.at(self.selected)
    }

    /// How many backlog rows fit on screen at the current size.
    #[must_use]
    pub fn table_rows(&self) -> usize {
        view::table_rows(self.size)
    }

    pub(super) fn notify(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error: false,
        });
    }

    /// A message that stays until dismissed: about the file, not a key.
    pub(super) fn raise(&mut self, text: impl Into<String>, is_error: bool) {
        self.alert = Some(Notice {
            text: text.into(),
            is_error,
        });
    }

    pub(super) fn warn(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error: true,
        });
    }

    /// Select a position (clamped to the backlog) and scroll it into view.
    pub(super) fn select(&mut self, position: usize) {
        let last = self.backlog.len().saturating_sub(1);
        let position = position.min(last);
        if position != self.selected {
            self.story_scroll = 0;
        }
        self.selected = position;
        self.keep_selection_visible();
    }

    pub(super) fn keep_selection_visible(&mut self) {
        let rows = self.table_rows().max(1);
        if self.selected < self.scroll {
            self.scroll = self.selected;
        } else if self.selected >= self.scroll + rows {
            self.scroll = self.selected + 1 - rows;
        }
        // Never leave empty rows below the last story while rows above
        // are hidden (after a resize or a delete near the end).
        self.scroll = self.scroll.min(self.backlog.len().saturating_sub(rows));
    }
}
