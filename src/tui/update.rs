//! `App::update`: every change to the TUI's state, with no I/O. What the
//! event loop reports (a resize, the file read or not saved, `$EDITOR`
//! done) the app takes in itself; a key's command, typed text, a paste
//! and the mouse go to the screen on top.

use super::action::{Action, Effect, Failure};
use super::app::{App, Level};
use super::keymap::{Command, Context};
use super::screens::backlog::TitleMark;
use super::screens::meeting::MeetingPane;
use super::screens::messages::Messages;
use crate::model::{Backlog, StoryId, renumber};
use crate::store::Note;

impl App {
    /// Apply one action: a command or an event. Returns the work the
    /// event loop must do, if any.
    pub fn update(&mut self, action: impl Into<Action>) -> Option<Effect> {
        self.apply(action.into())
    }

    fn apply(&mut self, action: Action) -> Option<Effect> {
        if action.is_system() {
            return self.take_in(action);
        }
        // A notice answers the last key; the next key clears it.
        self.notice = None;
        match action {
            Action::Command(Command::Quit) => Some(Effect::Quit),
            Action::Command(Command::ReadMessages) => {
                self.read_messages();
                None
            }
            Action::Command(command) => match command.pane() {
                Some(index) => {
                    self.show_pane(index);
                    None
                }
                None => self.update_top(|top, ctx| top.update(command, ctx)),
            },
            Action::Input(key) => self.update_top(|top, ctx| {
                top.input(key, ctx);
                None
            }),
            // Pasted text is never commands: with no field to take it, it
            // goes nowhere, and says so.
            Action::Paste(_) if !self.top().takes_text() => {
                self.warn("Nothing here takes text: the paste is left out");
                None
            }
            Action::Paste(text) => self.update_top(|top, ctx| {
                top.paste(&text, ctx);
                None
            }),
            Action::Mouse(event) => self.update_top(|top, ctx| {
                top.mouse(event, ctx);
                None
            }),
            _ => None,
        }
    }

    /// Say, as a message that stays, that the file holds clashes a git
    /// merge left, when it holds more than `before`: they wait to be
    /// settled, and the merge to be finished. Once none is left, the
    /// message goes.
    pub fn tell_clashes(&mut self, before: usize) {
        let now = self.backlog.clashes().len();
        if now > before {
            let open = self.key(Context::Backlog, Command::OpenClashes);
            self.raise_clash_alert(format!(
                "the file holds {} a git merge left, marked {} before the title: {open} shows them to settle each (ours, theirs or your own), then `git add` or `backlog sync` finishes the merge",
                crate::words::count(now, "clash", "clashes"),
                TitleMark::Clash.symbol(),
            ));
        }
    }

    /// Show the messages about the file in full, in a box over the
    /// screen; there being none, say so.
    fn read_messages(&mut self) {
        if self.lasting().messages().next().is_some() {
            self.stack.push(Box::new(Messages::default()));
        } else {
            self.notify("No message about the file");
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
            Action::Simulated { job, result } => {
                for screen in self.panes.iter_mut().chain(&mut self.stack) {
                    screen.simulated(job, &result);
                }
            }
            Action::Searched { job, found } => self.table_mut().searched(job, found),
            // The answer to the key that asked for it.
            Action::Exported(said) => {
                self.notice = None;
                match said {
                    Ok(text) => self.notify(text),
                    Err(why) => self.tell(why, Level::Error),
                }
            }
            Action::MeetingEnded(result) => {
                let now = (self.clock)();
                if let Some(pane) = self.screen_mut::<MeetingPane>() {
                    pane.ended(result.is_ok(), now);
                }
                // The next meeting's default agenda, without the stories
                // this one made ready.
                self.meeting_follows();
                match result {
                    Ok(said) => self.notify(said),
                    // The minutes could not be written: the meeting goes
                    // on, its journal kept, so nothing of it is lost.
                    Err(why) => self.tell(why, Level::Error),
                }
            }
            Action::JournalFailed(why) => self.raise(why, true),
            Action::Edited {
                id,
                original,
                result,
            } => {
                // The user's answer to the editor, as a key's.
                self.notice = None;
                return self.edited(id, &original, result);
            }
            // A tick changes nothing: the clocks are read as the screen
            // is drawn.
            _ => {}
        }
        None
    }

    /// Show the backlog as the file has it now, merged with this session's
    /// changes, staying on the same story wherever it now is.
    fn reloaded(&mut self, backlog: Backlog, note: Note, renumbered: &[(StoryId, StoryId)]) {
        let clashes = self.backlog.clashes().len();
        let selected_id = self.selected_story().map(|s| renumber(s.id, renumbered));
        let in_hand = self.in_hand();
        for screen in self.panes.iter_mut().chain(&mut self.stack) {
            screen.renumber(renumbered);
        }
        self.table.marks.renumber(renumbered);
        // Not on the loop: the key after the reload would wait for it.
        crate::store::free_beside(std::mem::replace(&mut self.backlog, backlog));
        self.tell_clashes(clashes);
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
