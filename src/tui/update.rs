//! `App::update`: every change to the TUI's state, with no I/O.

use ratatui::crossterm::event::{Event, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::action::{Action, Effect, Failure};
use super::app::{App, Change, Focus, Mode, Overview, Prompt};
use super::cycle;
use super::editor::{self, Editor};
use super::filter::{EpicFilter, Filter};
use super::settings::SETTING_ROWS;
use super::typing::type_into;
use super::view::{FILTER_ROWS, help_lines, story_scrolled_to};
use crate::model::{
    Backlog, Comment, HistoryError, Move, Placement, Stamp, Status, StoryId, StoryPatch, ready,
    renumber,
};
use crate::store::Note;
use crate::text::one_line;

impl App {
    /// Apply one action. Returns the work the event loop must do, if any.
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        let reload = matches!(action, Action::Reloaded { .. });
        let effect = self.dispatch(action);
        // The panels that show counts over the whole backlog get them
        // fresh when they open and when the backlog changes under them.
        self.overview = if matches!(self.mode, Mode::Settings(_) | Mode::Epics(_)) {
            match self.overview.take() {
                Some(overview) if !reload && effect != Some(Effect::Save) => Some(overview),
                _ => Some(Overview::of(&self.backlog)),
            }
        } else {
            None
        };
        effect
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
            Action::SelectFirst => self.select(0),
            Action::SelectLast => self.select(self.row_count().saturating_sub(1)),
            Action::PageDown => self.select(self.selected + self.table_rows().max(1)),
            Action::PageUp => self.select(self.selected.saturating_sub(self.table_rows().max(1))),
            Action::MoveUp => return self.move_selected(Move::Up),
            Action::MoveDown => return self.move_selected(Move::Down),
            Action::MoveTop => return self.move_selected(Move::Top),
            Action::MoveBottom => return self.move_selected(Move::Bottom),
            Action::StartAdd => self.mode = Mode::Prompt(Prompt::NewStory, Input::default()),
            Action::StartDelete => match self.selected_story() {
                Some(story) => self.mode = Mode::ConfirmDelete(story.id),
                None => self.warn("Nothing to delete: no story is selected"),
            },
            Action::StartComment => self.start_prompt(Prompt::Comment),
            Action::StartQuestion => self.start_prompt(Prompt::Question),
            Action::EstimateUp => return self.step_estimate(true),
            Action::EstimateDown => return self.step_estimate(false),
            Action::StatusNext => return self.step_status(true),
            Action::StatusPrev => return self.step_status(false),
            Action::StartEdit => match self.selected_story() {
                Some(story) => self.mode = Mode::Editing(Box::new(Editor::new(story.id))),
                None => self.warn("No story to edit: add one with a"),
            },
            Action::ToggleDone if matches!(self.mode, Mode::Splitting(_)) => self.split_toggle(),
            Action::EditField
            | Action::ValueNext
            | Action::ValuePrev
            | Action::ToggleDone
            | Action::AddCriterion
            | Action::RemoveCriterion
            | Action::CriterionDown
            | Action::CriterionUp => return self.editor_action(&action),
            Action::StartSearch => {
                let before = self.filter.query.clone();
                self.mode = Mode::Searching {
                    input: Input::new(before.clone()),
                    before,
                };
            }
            Action::StartFilter => self.mode = Mode::Filtering(0),
            Action::StartSettings => self.mode = Mode::Settings(0),
            Action::SettingNext => return self.change_setting(true),
            Action::SettingPrev => return self.change_setting(false),
            Action::ClearFilter => {
                if self.filter.is_active() {
                    self.filter = Filter::default();
                    self.refilter();
                    self.notify("Showing every story");
                } else {
                    self.notify("No filter is on");
                }
            }
            Action::FilterNext => self.cycle_filter(true),
            Action::FilterPrev => self.cycle_filter(false),
            Action::ToggleFocus if matches!(self.mode, Mode::Splitting(_)) => self.split_switch(),
            Action::ToggleFocus => {
                self.focus = match self.focus {
                    Focus::Backlog => Focus::Story,
                    Focus::Story => Focus::Backlog,
                };
            }
            Action::StartSplit => self.start_split(),
            Action::OpenEditor => return self.open_editor(),
            Action::Edited {
                id,
                original,
                result,
            } => return self.edited(id, &original, result),
            Action::EditAgain => return self.edit_again(),
            Action::CreateEpicAndApply => return self.create_epic_and_apply(),
            Action::Undo => return self.undo(false),
            Action::Redo => return self.undo(true),
            Action::ToggleHelp => {
                self.mode = match self.mode {
                    Mode::Help(_) => Mode::Normal,
                    _ => Mode::Help(0),
                };
            }
            Action::Quit => return Some(Effect::Quit),
            Action::Input(key) => self.type_key(key),
            Action::Submit => return self.submit(),
            Action::Cancel => self.cancel(),
            Action::Confirm => return self.confirm(),
            Action::Resize(width, height) => {
                self.size = (width, height);
                self.keep_selection_visible();
            }
            Action::Reloaded {
                backlog,
                note,
                renumbered,
            } => self.reloaded(*backlog, note, &renumbered),
            // The failed save's lines come and go above the status bar.
            Action::SyncFailed(message) => {
                self.save_error = Some(message);
                self.keep_selection_visible();
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
                self.keep_selection_visible();
            }
            Action::FileReadOnly(read_only) => self.read_only = read_only,
            // One Esc puts away one message, the failed save first, then
            // the oldest alert.
            Action::Dismiss => {
                if self.save_error.take().is_none() && !self.alerts.is_empty() {
                    self.alerts.remove(0);
                }
                self.keep_selection_visible();
            }
            Action::Panel(action) => return self.panel_action(action),
        }
        None
    }

    /// Show the backlog as the file has it now, merged with this session's
    /// changes, staying on the same story wherever it now is.
    fn reloaded(&mut self, backlog: Backlog, note: Note, renumbered: &[(StoryId, StoryId)]) {
        let selected_id = self.selected_story().map(|s| renumber(s.id, renumbered));
        let editing = self.editor_story();
        self.mode.renumber(renumbered);
        self.backlog = backlog;
        self.follow_editor(editing.as_ref());
        self.history.renumber(renumbered);
        // If the story is gone, stay at the same place in the list.
        self.recompute_rows(selected_id);
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
    fn start_prompt(&mut self, prompt: fn(StoryId) -> Prompt) {
        match self.selected_story() {
            Some(story) => self.mode = Mode::Prompt(prompt(story.id), Input::default()),
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
                self.recompute_rows(keep);
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
        let event = Event::Key(key);
        match &mut self.mode {
            Mode::Prompt(_, input) => {
                input.handle_event(&event);
            }
            Mode::Editing(editor) => {
                if let Some(typing) = &mut editor.typing {
                    type_into(&mut typing.area, key);
                }
            }
            Mode::Splitting(split) => {
                split.title.handle_event(&event);
            }
            Mode::Searching { input, .. } => {
                let changed = input.handle_event(&event).is_some_and(|c| c.value);
                if changed {
                    let query = input.value().to_string();
                    let old = std::mem::replace(&mut self.filter.query, query);
                    // Typed further: only the stories shown can still match.
                    if !old.trim().is_empty() && self.filter.query.starts_with(&old) {
                        // A filter moves no story: the selected story's
                        // rank position still holds, no search needed.
                        let position = self.selected_position();
                        self.rows = self.rows.narrowed(&self.backlog, &self.filter);
                        self.select_position(position);
                    } else {
                        self.refilter();
                    }
                }
            }
            _ => {}
        }
    }

    fn step(&mut self, delta: i16) {
        match &mut self.mode {
            Mode::Help(scroll) => {
                let last_line = u16::try_from(help_lines(false).len()).unwrap_or(u16::MAX);
                *scroll = scroll.saturating_add_signed(delta).min(last_line);
                return;
            }
            Mode::Filtering(row) => {
                *row = row
                    .saturating_add_signed(isize::from(delta))
                    .min(FILTER_ROWS - 1);
                return;
            }
            Mode::Settings(row) => {
                *row = row
                    .saturating_add_signed(isize::from(delta))
                    .min(SETTING_ROWS.len() - 1);
                return;
            }
            Mode::Splitting(_) => {
                self.split_step(isize::from(delta));
                return;
            }
            Mode::Editing(editor) => {
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
            _ => {}
        }
        if self.focus == Focus::Story {
            let wanted = self.story_scroll.saturating_add_signed(isize::from(delta));
            self.story_scroll = self.selected_story().map_or(0, |story| {
                story_scrolled_to(story, &self.backlog.product, self.size, wanted)
            });
            return;
        }
        self.select(self.selected.saturating_add_signed(isize::from(delta)));
    }

    /// Move the selected story. With a filter on, it moves past its
    /// neighbours in the table, wherever they are in the whole backlog.
    fn move_selected(&mut self, to: Move) -> Option<Effect> {
        let Some(position) = self.selected_position() else {
            self.warn("Nothing to move: no story is selected");
            return None;
        };
        let to = if self.filter.is_active() {
            let last = self.row_count().saturating_sub(1);
            let neighbour = |row: usize| self.story_at_row(row).map(|s| s.id);
            let relative = match to {
                Move::Up if self.selected > 0 => neighbour(self.selected - 1).map(Move::Before),
                Move::Down if self.selected < last => neighbour(self.selected + 1).map(Move::After),
                Move::Top if self.selected > 0 => neighbour(0).map(Move::Before),
                Move::Bottom if self.selected < last => neighbour(last).map(Move::After),
                _ => None,
            };
            relative?
        } else {
            to
        };
        let id = self.backlog.at(position)?.id;
        let rekeyed = self.backlog.rekeyed_by_move(position, to);
        let moved = self.change(Change::stories(format!("move {id}"), rekeyed), |b| {
            b.move_at(position, to)
        })?;
        if moved.from == moved.to {
            return None;
        }
        self.rows.moved(moved.from, moved.to);
        if let Ok(row) = self.rows.row_of(moved.to) {
            self.select(row);
        }
        Some(Effect::Save)
    }

    /// Edit a story with `patch`, keeping the table's rows right.
    pub(super) fn edit_story(&mut self, id: StoryId, patch: &StoryPatch) -> Option<Effect> {
        let now = (self.clock)();
        self.change(Change::story(label_for(id, patch), id), |b| {
            b.edit(id, patch, now)
        })?;
        // Finding the story's place walks the order: only a filter needs it.
        self.story_changed(id);
        Some(Effect::Save)
    }

    /// The story keys act on: the one in the editor, else the selected one.
    pub(super) fn current_story(&self) -> Option<&crate::model::Story> {
        match &self.mode {
            Mode::Editing(editor) => self.backlog.get(editor.id),
            _ => self.selected_story(),
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
                let editor = match std::mem::take(&mut self.mode) {
                    Mode::Editing(editor) => Some(editor),
                    _ => None,
                };
                self.mode = Mode::ConfirmReady {
                    id,
                    missing,
                    editor,
                };
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

    /// Step the value of the filter panel's selected row.
    fn cycle_filter(&mut self, forward: bool) {
        let Mode::Filtering(row) = self.mode else {
            return;
        };
        match row {
            0 => {
                let options: Vec<Option<Status>> = std::iter::once(None)
                    .chain(Status::ALL.into_iter().map(Some))
                    .collect();
                self.filter.status = cycle(&options, &self.filter.status, forward);
            }
            1 => {
                let mut labels: Vec<&String> = self
                    .backlog
                    .stories_by_id()
                    .iter()
                    .flat_map(|s| s.labels.iter())
                    .collect();
                labels.sort();
                labels.dedup();
                let options: Vec<Option<String>> = std::iter::once(None)
                    .chain(labels.into_iter().cloned().map(Some))
                    .collect();
                self.filter.label = cycle(&options, &self.filter.label, forward);
            }
            2 => {
                let options: Vec<Option<EpicFilter>> = std::iter::once(None)
                    .chain(
                        self.backlog
                            .product
                            .epics
                            .iter()
                            .map(|e| Some(EpicFilter::Named(e.name.clone()))),
                    )
                    .chain(std::iter::once(Some(EpicFilter::None)))
                    .collect();
                self.filter.epic = cycle(&options, &self.filter.epic, forward);
            }
            3 => {
                self.filter.ready = cycle(
                    &[None, Some(true), Some(false)],
                    &self.filter.ready,
                    forward,
                );
            }
            _ => self.filter.unestimated = !self.filter.unestimated,
        }
        self.refilter();
    }

    fn cancel(&mut self) {
        match std::mem::take(&mut self.mode) {
            Mode::Searching { before, .. } => {
                self.filter.query = before;
                self.refilter();
            }
            Mode::Editing(mut editor) if editor.typing.is_some() => {
                editor.typing = None;
                self.mode = Mode::Editing(editor);
            }
            Mode::ConfirmReady {
                editor: Some(editor),
                ..
            } => self.mode = Mode::Editing(editor),
            mode @ Mode::EditorError { .. } => {
                self.mode = mode;
                self.discard_edit();
            }
            _ => {}
        }
    }

    fn submit(&mut self) -> Option<Effect> {
        match &self.mode {
            Mode::Prompt(prompt, input) => {
                let (prompt, text) = (*prompt, input.value().trim().to_string());
                self.submit_prompt(prompt, text)
            }
            Mode::Editing(_) => self.keep_field(),
            Mode::Splitting(_) => self.split_submit(),
            Mode::Searching { .. } | Mode::Filtering(_) => {
                self.mode = Mode::Normal;
                if self.filter.is_active() {
                    let shown = self.row_count();
                    self.notify(format!(
                        "{shown} of {} shown · F shows all",
                        self.backlog.len()
                    ));
                }
                None
            }
            _ => None,
        }
    }

    fn submit_prompt(&mut self, prompt: Prompt, text: String) -> Option<Effect> {
        if text.is_empty() {
            self.warn(match prompt {
                Prompt::NewStory => "A story needs a title: type one, or Esc to cancel",
                Prompt::Comment(_) | Prompt::Question(_) => "Type some text, or Esc to cancel",
            });
            return None;
        }
        let now = (self.clock)();
        match prompt {
            Prompt::NewStory => {
                let placement = match self.selected_story() {
                    Some(story) => Placement::After(story.id),
                    None => Placement::Bottom,
                };
                let next = StoryId(self.backlog.next_id());
                let what = Change::story(format!("add {next}"), next);
                let id = self.change(what, |b| b.add(&StoryPatch::title(text), placement, now))?;
                self.mode = Mode::Normal;
                self.story_added(id);
                self.notify(format!("Added {id}"));
            }
            Prompt::Comment(id) | Prompt::Question(id) => {
                let question = matches!(prompt, Prompt::Question(_));
                let comment = Comment {
                    at: now,
                    author: self.author.clone(),
                    text,
                    question,
                    resolved: None,
                };
                let what = if question {
                    Change::story(format!("question on {id}"), id)
                } else {
                    Change::story(format!("comment on {id}"), id)
                };
                self.change(what, |b| b.comment(id, comment))?;
                self.mode = Mode::Normal;
                self.story_changed(id);
                self.notify(if question {
                    format!("Asked on {id}: open questions keep it from being ready")
                } else {
                    format!("Commented on {id}")
                });
            }
        }
        Some(Effect::Save)
    }

    fn confirm(&mut self) -> Option<Effect> {
        match std::mem::take(&mut self.mode) {
            Mode::ConfirmDelete(id) => {
                let position = self.backlog.position(id).ok();
                let story =
                    self.change(Change::story(format!("delete {id}"), id), |b| b.remove(id))?;
                if let Some(position) = position {
                    self.rows.removed(position);
                }
                self.select(self.selected);
                self.notify(format!("Deleted {id} {}", one_line(&story.title)));
                Some(Effect::Save)
            }
            Mode::ConfirmReady { id, editor, .. } => {
                if let Some(editor) = editor {
                    self.mode = Mode::Editing(editor);
                }
                self.set_ready_anyway(id)
            }
            other => {
                self.mode = other;
                None
            }
        }
    }

    /// Set a story to ready although it fails the Definition of Ready; the
    /// override is recorded on the story.
    fn set_ready_anyway(&mut self, id: StoryId) -> Option<Effect> {
        let patch = StoryPatch {
            status: Some(Status::Ready),
            override_ready: Some(Stamp {
                at: (self.clock)(),
                by: self.author.clone(),
            }),
            ..StoryPatch::default()
        };
        let now = (self.clock)();
        let what = Change::story(format!("ready override on {id}"), id);
        self.change(what, |b| b.edit(id, &patch, now))?;
        self.story_changed(id);
        self.notify(format!("{id} is ready (override recorded)"));
        Some(Effect::Save)
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// What the status bar calls an edit when it is undone.
fn label_for(id: StoryId, patch: &StoryPatch) -> String {
    let what = if patch.points.is_some() {
        "estimate of"
    } else if patch.status.is_some() {
        "status of"
    } else if patch.criteria.is_some() || !patch.add_criteria.is_empty() {
        "criteria of"
    } else if patch.epic.is_some() {
        "epic of"
    } else if patch.labels.is_some() {
        "labels of"
    } else if patch.title.is_some() {
        "title of"
    } else if patch.description.is_some() {
        "description of"
    } else if patch.as_a.is_some() || patch.i_want.is_some() || patch.so_that.is_some() {
        "user story of"
    } else {
        "edit of"
    };
    format!("{what} {id}")
}
