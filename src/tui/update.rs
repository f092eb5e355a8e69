//! `App::update`: every change to the TUI's state, with no I/O.

use ratatui::crossterm::event::KeyEvent;

use super::action::{Action, Effect, Failure, PanelAction};
use super::app::{App, Focus, Mode};
use super::cycle;
use super::editor::{self, Editor};
use super::screens::confirm::{Confirm, Question};
use super::screens::epics::EpicsPanel;
use super::screens::filter::FilterPanel;
use super::screens::help::Help;
use super::screens::prompt::{Prompt, Purpose};
use super::screens::search::Search;
use super::screens::settings::SettingsPanel;
use super::screens::split::Split;
use super::screens::vision::VisionPanel;
use super::typing::type_into;
use super::view::story_scrolled_to;
use crate::model::{Backlog, HistoryError, Move, Status, StoryId, StoryPatch, ready, renumber};
use crate::store::Note;

impl App {
    /// Apply one action. Returns the work the event loop must do, if any.
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        if self.stack.is_empty() || action.is_system() {
            self.dispatch(action)
        } else if action == Action::Quit {
            self.notice = None;
            Some(Effect::Quit)
        } else {
            // A notice answers the last key; the next key clears it.
            self.notice = None;
            self.update_top(action)
        }
    }

    #[allow(
        clippy::too_many_lines,
        reason = "one flat dispatch, a line or two per action, reads best whole"
    )]
    fn dispatch(&mut self, action: Action) -> Option<Effect> {
        // A notice answers the last key; the next key clears it.
        if !matches!(
            action,
            Action::Resize(..)
                | Action::Reloaded { .. }
                | Action::SyncFailed(_)
                | Action::SyncRecovered(_)
                | Action::FileReadOnly(_)
        ) {
            self.notice = None;
        }
        match action {
            Action::SelectDown => self.step(1),
            Action::SelectUp => self.step(-1),
            Action::SelectFirst => self.table_mut().select(0),
            Action::SelectLast => self.table_mut().select(usize::MAX),
            Action::PageDown => self.table_mut().page(1),
            Action::PageUp => self.table_mut().page(-1),
            Action::MoveUp => return self.move_selected(Move::Up),
            Action::MoveDown => return self.move_selected(Move::Down),
            Action::MoveTop => return self.move_selected(Move::Top),
            Action::MoveBottom => return self.move_selected(Move::Bottom),
            Action::StartAdd => self.open(Prompt::new(Purpose::NewStory)),
            Action::StartDelete => match self.selected_story() {
                Some(story) => self.open(Confirm::new(Question::Delete(story.id))),
                None => self.warn("Nothing to delete: no story is selected"),
            },
            Action::StartComment => self.start_prompt(Purpose::Comment),
            Action::StartQuestion => self.start_prompt(Purpose::Question),
            Action::EstimateUp => return self.step_estimate(true),
            Action::EstimateDown => return self.step_estimate(false),
            Action::StatusNext => return self.step_status(true),
            Action::StatusPrev => return self.step_status(false),
            Action::StartEdit => match self.selected_story() {
                Some(story) => self.mode = Mode::Editing(Box::new(Editor::new(story.id))),
                None => self.warn("No story to edit: add one with a"),
            },
            Action::EditField
            | Action::ValueNext
            | Action::ValuePrev
            | Action::ToggleDone
            | Action::AddCriterion
            | Action::RemoveCriterion
            | Action::CriterionDown
            | Action::CriterionUp => return self.editor_action(&action),
            Action::StartSearch => {
                let search = Search::new(&self.table.filter.query);
                self.open(search);
            }
            Action::StartFilter => self.open(FilterPanel::default()),
            Action::StartSettings => {
                let panel = SettingsPanel::new(&self.backlog);
                self.open(panel);
            }
            Action::ClearFilter => {
                if self.table_mut().clear_filter() {
                    self.notify("Showing every story");
                } else {
                    self.notify("No filter is on");
                }
            }
            Action::ToggleFocus => {
                self.focus = match self.focus {
                    Focus::Backlog => Focus::Story,
                    Focus::Story => Focus::Backlog,
                };
            }
            Action::StartSplit => match self.selected_story() {
                Some(story) => {
                    let split = Split::of(story);
                    self.open(split);
                }
                None => self.warn("No story to split"),
            },
            Action::OpenEditor => match self.current_story() {
                Some(story) => return Some(Effect::OpenEditor { id: story.id }),
                None => self.warn("No story to edit"),
            },
            Action::Edited {
                id,
                original,
                result,
            } => return self.edited(id, &original, result),
            Action::Undo => return self.undo(false),
            Action::Redo => return self.undo(true),
            Action::ToggleHelp => self.open(Help::default()),
            Action::Quit => return Some(Effect::Quit),
            Action::Input(key) => self.type_key(key),
            Action::Submit => return self.submit(),
            Action::Cancel => self.cancel(),
            Action::Resize(width, height) => {
                self.size = (width, height);
                self.table_mut().fill();
            }
            Action::Reloaded {
                backlog,
                note,
                renumbered,
            } => self.reloaded(*backlog, note, &renumbered),
            // The failed save's lines come and go above the status bar.
            Action::SyncFailed(message) => {
                self.save_error = Some(message);
                self.table_mut().keep_selection_visible();
            }
            Action::SyncRecovered(over) => {
                self.save_error = None;
                // Only a save that worked may say so: a file that reads
                // again has saved nothing.
                self.notify(match over {
                    Failure::Read => "The file reads again",
                    Failure::Save => "Saved again",
                    Failure::History => "The undo history is written again",
                });
                self.table_mut().fill();
            }
            Action::FileReadOnly(read_only) => self.read_only = read_only,
            // One Esc puts away one message, the failed save first, then
            // the oldest alert.
            Action::Dismiss => {
                if self.save_error.take().is_none() && !self.alerts.is_empty() {
                    self.alerts.remove(0);
                }
                self.table_mut().fill();
            }
            Action::Panel(PanelAction::OpenEpics) => {
                let panel = EpicsPanel::new(&self.backlog);
                self.open(panel);
            }
            Action::Panel(PanelAction::OpenVision) => self.open(VisionPanel::default()),
            // The keys of the screens that moved out of the modes.
            _ => {}
        }
        None
    }

    /// Show the backlog as the file has it now, merged with this session's
    /// changes, staying on the same story wherever it now is.
    fn reloaded(&mut self, backlog: Backlog, note: Note, renumbered: &[(StoryId, StoryId)]) {
        let selected_id = self.selected_story().map(|s| renumber(s.id, renumbered));
        let editing = self.editor_story();
        let in_hand = self.in_hand();
        self.mode.renumber(renumbered);
        for screen in &mut self.stack {
            screen.renumber(renumbered);
        }
        self.backlog = backlog;
        self.follow_editor(editing.as_ref());
        self.follow(in_hand);
        for screen in &mut self.stack {
            screen.backlog_changed(&self.backlog);
        }
        self.history.renumber(renumbered);
        // If the story is gone, stay at the same place in the list.
        self.table_mut().recompute(selected_id);
        if note.conflict_file.is_some() {
            self.raise(note.text, false);
        } else {
            self.notify(note.text);
        }
    }

    /// The story in the editor, as it is now: to follow it through a change
    /// made under the editor.
    fn editor_story(&self) -> Option<crate::model::Story> {
        self.mode
            .editor()
            .and_then(|e| self.backlog.get(e.id))
            .cloned()
    }

    /// The editor's story changed under it (`before`): stay on the same
    /// field.
    fn follow_editor(&mut self, before: Option<&crate::model::Story>) {
        let Mode::Editing(editor) = &mut self.mode else {
            return;
        };
        if let (Some(before), Some(now)) = (before, self.backlog.get(editor.id)) {
            editor.follow(before, now);
        }
    }

    /// Open a prompt about the selected story.
    fn start_prompt(&mut self, purpose: fn(StoryId) -> Purpose) {
        match self.selected_story() {
            Some(story) => self.open(Prompt::new(purpose(story.id))),
            None => self.warn("No story is selected"),
        }
    }

    /// Undo the newest change (or redo the newest undone one), and select
    /// the story it was about.
    fn undo(&mut self, redo: bool) -> Option<Effect> {
        let selected = self.selected_story().map(|s| s.id);
        let edited = self.editor_story();
        let result = if redo {
            self.history.redo(&mut self.backlog)
        } else {
            self.history.undo(&mut self.backlog)
        };
        match result {
            Ok(done) => {
                // In the editor the selection stays on the story edited,
                // whichever story the undone change was about.
                let keep = match self.mode.editor().map(|e| e.id) {
                    Some(id) if self.backlog.get(id).is_some() => {
                        self.follow_editor(edited.as_ref());
                        Some(id)
                    }
                    Some(_) => {
                        self.mode = Mode::Normal;
                        done.focus.or(selected)
                    }
                    None => done.focus.or(selected),
                };
                self.table_mut().recompute(keep);
                let verb = if redo { "Redid" } else { "Undid" };
                let more = if redo {
                    self.history.redo_len()
                } else {
                    self.history.undo_len()
                };
                self.notify(format!("{verb} {} ({more} more)", done.label));
                Some(Effect::Save)
            }
            Err(e @ HistoryError::Nothing(_)) => {
                self.warn(capitalised(&e.to_string()));
                None
            }
            Err(e) => {
                // The refused change left the history: save that.
                self.warn(capitalised(&e.to_string()));
                Some(Effect::Save)
            }
        }
    }

    /// A key typed into a prompt or the search.
    fn type_key(&mut self, key: KeyEvent) {
        match &mut self.mode {
            Mode::Editing(editor) => {
                if let Some(typing) = &mut editor.typing {
                    type_into(&mut typing.area, key);
                }
            }
            Mode::Normal => {}
        }
    }

    fn step(&mut self, delta: i16) {
        if let Mode::Editing(editor) = &mut self.mode {
            let rows = self
                .backlog
                .get(editor.id)
                .map_or(1, |s| editor::fields(s).len());
            editor.row = editor
                .row
                .saturating_add_signed(isize::from(delta))
                .min(rows - 1);
            return;
        }
        if self.focus == Focus::Story {
            let wanted = self
                .story_scroll()
                .saturating_add_signed(isize::from(delta));
            self.story_scrolled = self.selected_story().map_or((None, 0), |story| {
                let rows = story_scrolled_to(story, &self.backlog.product, self.size, wanted);
                (Some(story.id), rows)
            });
            return;
        }
        self.table_mut().step(isize::from(delta));
    }

    /// Move the selected story. With a filter on, it moves past its
    /// neighbours in the table, wherever they are in the whole backlog.
    fn move_selected(&mut self, to: Move) -> Option<Effect> {
        let Some(position) = self.selected_position() else {
            self.warn("Nothing to move: no story is selected");
            return None;
        };
        let to = if self.table.filter.is_active() {
            let last = self.row_count().saturating_sub(1);
            let neighbour = |row: usize| self.story_at_row(row).map(|s| s.id);
            let relative = match to {
                Move::Up if self.table.selected > 0 => {
                    neighbour(self.table.selected - 1).map(Move::Before)
                }
                Move::Down if self.table.selected < last => {
                    neighbour(self.table.selected + 1).map(Move::After)
                }
                Move::Top if self.table.selected > 0 => neighbour(0).map(Move::Before),
                Move::Bottom if self.table.selected < last => neighbour(last).map(Move::After),
                _ => None,
            };
            relative?
        } else {
            to
        };
        let id = self.backlog.at(position)?.id;
        let moved = self.change(format!("move {id}"), |b| b.move_at(position, to))?;
        if moved.from == moved.to {
            return None;
        }
        self.table.rows.moved(moved.from, moved.to);
        if let Ok(row) = self.table.rows.row_of(moved.to) {
            self.table_mut().select(row);
        }
        Some(Effect::Save)
    }

    /// Edit a story with `patch`, keeping the table's rows right.
    pub(super) fn edit_story(&mut self, id: StoryId, patch: &StoryPatch) -> Option<Effect> {
        let now = (self.clock)();
        self.change(super::ctx::label_for(id, patch), |b| b.edit(id, patch, now))?;
        // Finding the story's place walks the order: only a filter needs it.
        self.table_mut().story_changed(id);
        Some(Effect::Save)
    }

    /// The story keys act on: the one in the editor, else the selected one.
    pub(super) fn current_story(&self) -> Option<&crate::model::Story> {
        match &self.mode {
            Mode::Editing(editor) => self.backlog.get(editor.id),
            Mode::Normal => self.selected_story(),
        }
    }

    pub(super) fn step_estimate(&mut self, up: bool) -> Option<Effect> {
        let Some(story) = self.current_story() else {
            self.warn("No story is selected");
            return None;
        };
        let scale = self.backlog.product.settings.scale;
        let points = if up {
            Some(scale.step_up(story.points))
        } else {
            scale.step_down(story.points)
        };
        let id = story.id;
        if points == story.points {
            // The key did nothing: say why rather than seem broken.
            self.notify(match story.points {
                None => format!("{id} is unestimated: - has nothing below"),
                Some(p) if p > scale.top() => {
                    format!("{id} is at {}: - steps down to it", scale.at_end(p, true))
                }
                Some(p) => format!("{id} is at {}", scale.at_end(p, true)),
            });
            return None;
        }
        let effect = self.edit_story(
            id,
            &StoryPatch {
                points: Some(points),
                ..StoryPatch::default()
            },
        );
        if effect.is_some() {
            match points {
                Some(p) => self.notify(format!("{id} estimated at {}", scale.label(p))),
                None => self.notify(format!("{id} is unestimated")),
            }
        }
        effect
    }

    pub(super) fn step_status(&mut self, forward: bool) -> Option<Effect> {
        let Some(story) = self.current_story() else {
            self.warn("No story is selected");
            return None;
        };
        let status = cycle(&Status::ALL, &story.status, forward);
        let id = story.id;
        if status == Status::Ready {
            let missing = ready::reasons(story, &self.backlog.product.settings.ready);
            if !missing.is_empty() {
                self.open(Confirm::new(Question::ReadyAnyway { id, missing }));
                return None;
            }
        }
        let effect = self.edit_story(
            id,
            &StoryPatch {
                status: Some(status),
                ..StoryPatch::default()
            },
        );
        if effect.is_some() {
            self.notify(format!("{id} is {status}"));
        }
        effect
    }

    fn cancel(&mut self) {
        match std::mem::take(&mut self.mode) {
            Mode::Editing(mut editor) if editor.typing.is_some() => {
                editor.typing = None;
                self.mode = Mode::Editing(editor);
            }
            _ => {}
        }
    }

    fn submit(&mut self) -> Option<Effect> {
        match &self.mode {
            Mode::Editing(_) => self.keep_field(),
            Mode::Normal => None,
        }
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
