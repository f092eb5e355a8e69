//! `App::update`: every change to the TUI's state, with no I/O. What the
//! event loop reports (a resize, the file read or not saved, `$EDITOR`
//! done) the app takes in itself; a key's action goes to the screen on
//! top.

use super::action::{Action, Effect, Failure};
use super::app::App;
use crate::model::{Backlog, StoryId, renumber};
use crate::store::Note;

impl App {
    /// Apply one action. Returns the work the event loop must do, if any.
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        if action.is_system() {
            return self.take_in(action);
        }
        // A notice answers the last key; the next key clears it.
        self.notice = None;
        match action {
            Action::Quit => Some(Effect::Quit),
            Action::ShowPane(index) => {
                self.show_pane(index);
                None
            }
            action => self.update_top(action),
        }
    }

    /// What the event loop reports.
    fn take_in(&mut self, action: Action) -> Option<Effect> {
        match action {
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
            Action::Edited {
                id,
                original,
                result,
            } => {
                // The user's answer to the editor, as a key's.
                self.notice = None;
                return self.edited(id, &original, result);
            }
            _ => {}
        }
        None
    }

    /// Show the backlog as the file has it now, merged with this session's
    /// changes, staying on the same story wherever it now is.
    fn reloaded(&mut self, backlog: Backlog, note: Note, renumbered: &[(StoryId, StoryId)]) {
        let selected_id = self.selected_story().map(|s| renumber(s.id, renumbered));
        let in_hand = self.in_hand();
        for screen in self.panes.iter_mut().chain(&mut self.stack) {
            screen.renumber(renumbered);
        }
        self.table.marks.renumber(renumbered);
        self.backlog = backlog;
        self.follow(in_hand);
        self.backlog_changed();
        self.history.renumber(renumbered);
        // If the story is gone, stay at the same place in the list.
        self.table_mut().recompute(selected_id);
        if note.conflict_file.is_some() {
            self.raise(note.text, false);
        } else {
            self.notify(note.text);
        }
    }
}
