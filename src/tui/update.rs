//! `App::update`: every change to the TUI's state, with no I/O.

use ratatui::crossterm::event::Event;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::action::{Action, Effect};
use super::app::{App, Focus, Mode};
use super::view::{help_lines, story_lines};
use crate::model::{Move, Placement, StoryPatch, renumber};
use crate::text::one_line;

impl App {
    /// Apply one action. Returns the work the event loop must do, if any.
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        // A notice answers the last key; the next key clears it.
        if !matches!(
            action,
            Action::Resize(..)
                | Action::Reloaded { .. }
                | Action::SyncFailed(_)
                | Action::SyncRecovered
        ) {
            self.notice = None;
        }
        match action {
            Action::SelectDown => self.step(1),
            Action::SelectUp => self.step(-1),
            Action::SelectFirst => self.select(0),
            Action::SelectLast => self.select(self.backlog.len().saturating_sub(1)),
            Action::PageDown => self.select(self.selected + self.table_rows().max(1)),
            Action::PageUp => self.select(self.selected.saturating_sub(self.table_rows().max(1))),
            Action::MoveUp => return self.move_selected(Move::Up),
            Action::MoveDown => return self.move_selected(Move::Down),
            Action::MoveTop => return self.move_selected(Move::Top),
            Action::MoveBottom => return self.move_selected(Move::Bottom),
            Action::StartAdd => self.mode = Mode::Adding(Input::default()),
            Action::StartDelete => match self.selected_story() {
                Some(story) => self.mode = Mode::ConfirmDelete(story.id),
                None => self.warn("Nothing to delete: the backlog is empty"),
            },
            Action::ToggleFocus => {
                self.focus = match self.focus {
                    Focus::Backlog => Focus::Story,
                    Focus::Story => Focus::Backlog,
                };
            }
            Action::ToggleHelp => {
                self.mode = match self.mode {
                    Mode::Help(_) => Mode::Normal,
                    _ => Mode::Help(0),
                };
            }
            Action::Quit => return Some(Effect::Quit),
            Action::Input(key) => {
                if let Mode::Adding(input) = &mut self.mode {
                    input.handle_event(&Event::Key(key));
                }
            }
            Action::Submit => return self.submit(),
            Action::Cancel => self.mode = Mode::Normal,
            Action::Confirm => return self.confirm(),
            Action::Resize(width, height) => {
                self.size = (width, height);
                self.keep_selection_visible();
            }
            Action::Reloaded {
                backlog,
                note,
                renumbered,
            } => {
                let selected_id = self.selected_story().map(|s| renumber(s.id, &renumbered));
                if let Mode::ConfirmDelete(id) = &mut self.mode {
                    *id = renumber(*id, &renumbered);
                }
                self.backlog = *backlog;
                // Stay on the same story wherever it now is; if it is
                // gone, stay at the same place in the list.
                let position = selected_id
                    .and_then(|id| self.backlog.position(id).ok())
                    .unwrap_or(self.selected);
                self.select(position);
                if note.conflict_file.is_some() {
                    self.raise(note.text, false);
                } else {
                    self.notify(note.text);
                }
            }
            Action::SyncFailed(message) => self.raise(message, true),
            Action::SyncRecovered => {
                if self.alert.as_ref().is_some_and(|a| a.is_error) {
                    self.alert = None;
                }
                self.notify("Saved again");
            }
            Action::Dismiss => self.alert = None,
        }
        None
    }

    fn step(&mut self, delta: i16) {
        if let Mode::Help(scroll) = &mut self.mode {
            let last_line = u16::try_from(help_lines(false).len()).unwrap_or(u16::MAX);
            *scroll = scroll.saturating_add_signed(delta).min(last_line);
            return;
        }
        if self.focus == Focus::Story {
            let last_line = self.selected_story().map_or(0, |story| {
                story_lines(story, self.color).len().saturating_sub(1)
            });
            self.story_scroll = self
                .story_scroll
                .saturating_add_signed(delta)
                .min(u16::try_from(last_line).unwrap_or(u16::MAX));
            return;
        }
        self.select(self.selected.saturating_add_signed(isize::from(delta)));
    }

    fn move_selected(&mut self, to: Move) -> Option<Effect> {
        if self.backlog.is_empty() {
            self.warn("Nothing to move: the backlog is empty");
            return None;
        }
        match self.backlog.move_at(self.selected, to) {
            Ok(moved) if moved.from == moved.to => None,
            Ok(moved) => {
                self.select(moved.to);
                Some(Effect::Save)
            }
            Err(e) => {
                self.warn(e.to_string());
                None
            }
        }
    }

    fn submit(&mut self) -> Option<Effect> {
        let Mode::Adding(input) = &self.mode else {
            return None;
        };
        let title = input.value().trim().to_string();
        if title.is_empty() {
            self.warn("A story needs a title: type one, or Esc to cancel");
            return None;
        }
        let placement = match self.selected_story() {
            Some(story) => Placement::After(story.id),
            None => Placement::Bottom,
        };
        match self
            .backlog
            .add(&StoryPatch::title(title), placement, (self.clock)())
        {
            Ok(id) => {
                self.mode = Mode::Normal;
                if let Ok(position) = self.backlog.position(id) {
                    self.select(position);
                }
                self.notify(format!("Added {id}"));
                Some(Effect::Save)
            }
            Err(e) => {
                self.warn(e.to_string());
                None
            }
        }
    }

    fn confirm(&mut self) -> Option<Effect> {
        let Mode::ConfirmDelete(id) = self.mode else {
            return None;
        };
        self.mode = Mode::Normal;
        match self.backlog.remove(id) {
            Ok(story) => {
                self.select(self.selected);
                self.notify(format!("Deleted {id} {}", one_line(&story.title)));
                Some(Effect::Save)
            }
            Err(e) => {
                self.warn(e.to_string());
                None
            }
        }
    }
}
