//! Everything that can happen to the TUI, as data: a key's command, a
//! paste, the mouse, or an event from the terminal or the event loop;
//! and the work the loop is asked to do.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use super::filter::Rows;
use super::keymap::Command;
use crate::forecast::carlo::{self, Percentiles, Simulation};
use crate::interchange::export::Format;
use crate::model::{Backlog, StoryId, Totals};
use crate::store::Note;

/// What reaches the app: a key's command, through the keymap, a paste or
/// the mouse, or an event from the terminal or the event loop.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// What a key asks for, as the keymap has it.
    Command(Command),
    /// A key typed into the field being typed: one the screen's context
    /// does not bind.
    Input(KeyEvent),
    /// Text pasted (the terminal marked it as a paste): text for the field
    /// being typed, never keys.
    Paste(String),
    /// A click, a drag or the wheel, where the pointer is: for the screen
    /// on top to make sense of by the layout.
    Mouse(MouseEvent),
    /// The terminal now has this many columns and rows.
    Resize(u16, u16),
    /// The loop read the file, changed by another program, and merged it
    /// with this session's changes: show the result.
    Reloaded {
        backlog: Box<Backlog>,
        note: Note,
        /// This session's new stories that had to take new ids: (old, new).
        renumbered: Vec<(StoryId, StoryId)>,
    },
    /// The loop could not save or read the file; show why.
    SyncFailed(String),
    /// What failed, and the status bar said, works again.
    SyncRecovered(Failure),
    /// The data file is read-only (`true`), or no longer (`false`).
    FileReadOnly(bool),
    /// The external editor closed: its text, or why it failed.
    Edited {
        id: StoryId,
        /// The document as it was handed to the editor.
        original: String,
        result: Result<String, String>,
    },
    /// A Monte Carlo forecast asked for with [`MonteCarlo`] `job` is
    /// done: each target's percentiles, or why there are none.
    Simulated {
        job: u64,
        result: Result<Vec<Percentiles>, String>,
    },
    /// A search handed to a thread ([`SearchJob`](super::filter::SearchJob)
    /// `job`) is done: the rows it lets through and their points, or none
    /// when a newer search made it pointless.
    Searched {
        job: u64,
        found: Option<(Rows, Totals)>,
    },
    /// An export asked for with [`Effect::Export`] is written (what to
    /// say of it), or why not.
    Exported(Result<String, String>),
    /// A second went by while a meeting runs: its clocks move on.
    Tick,
    /// The minutes asked for with [`Effect::EndMeeting`] are written
    /// (what to say of it), or why not: the meeting then goes on.
    MeetingEnded(Result<String, String>),
    /// The meeting's journal cannot be kept beside the data file: why.
    JournalFailed(String),
}

impl Action {
    /// Whether it comes from the event loop rather than the user (a key,
    /// a paste, the mouse): it is the app's to take in, whatever screen is
    /// on top.
    #[must_use]
    pub fn is_system(&self) -> bool {
        !matches!(
            self,
            Action::Command(_) | Action::Input(_) | Action::Paste(_) | Action::Mouse(_)
        )
    }
}

impl From<Command> for Action {
    fn from(command: Command) -> Self {
        Action::Command(command)
    }
}

/// A Monte Carlo forecast for a thread of its own, off the event loop,
/// with everything it needs: a screen asks for it
/// ([`Screen::background`](super::screens::Screen::background)), the loop
/// runs it, and its answer comes back as [`Action::Simulated`] with its
/// `job`, by which the screen knows an answer it no longer wants.
#[derive(Clone, Debug, PartialEq)]
pub struct MonteCarlo {
    pub job: u64,
    /// As [`Simulation`] has them.
    pub history: Vec<f64>,
    pub targets: Vec<f64>,
    pub known: Vec<Option<f64>>,
    pub runs: usize,
    pub seed: u64,
    pub horizon: usize,
}

impl MonteCarlo {
    /// Play the runs out: the answer, for the app.
    #[must_use]
    pub fn run(&self) -> Action {
        let result = carlo::simulate(&Simulation {
            history: &self.history,
            targets: &self.targets,
            known: &self.known,
            runs: self.runs,
            seed: self.seed,
            horizon: self.horizon,
        });
        Action::Simulated {
            job: self.job,
            result: result.map_err(|refused| refused.to_string()),
        }
    }
}

/// A kind of failure of the saving link, each over its own way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Looking at the file for other writers' changes: over when the file
    /// reads again.
    Read,
    /// Saving the backlog: over when a save works.
    Save,
    /// Writing the undo history beside the file: over when it is written.
    History,
}

/// Work for the event loop, which owns the terminal and the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// The backlog changed: have it on disk within a second.
    Save,
    /// Bring the file up to date, then hand what
    /// [`App::hand_to_editor`](super::app::App::hand_to_editor) gives for
    /// story `id` to the external editor, and report back with
    /// [`Action::Edited`].
    OpenEditor { id: StoryId },
    /// Write the backlog as `format` to the file `to` (as typed: `~/` is
    /// the home folder), and report back with [`Action::Exported`].
    Export { format: Format, to: PathBuf },
    /// Write `minutes` of the meeting started at `started` beside the
    /// data file, put its journal away, and report back with
    /// [`Action::MeetingEnded`].
    EndMeeting {
        minutes: String,
        started: DateTime<Utc>,
    },
    /// Save what is unsaved, restore the terminal, exit.
    Quit,
}
