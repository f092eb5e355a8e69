//! What a screen's `update` may do beyond its own state: read the
//! backlog, change it (only through [`Ctx::change`], which records the
//! undo step and asks for a save), undo, keep the table's rows right,
//! answer on the status bar, and open or close screens.

use chrono::{DateTime, Utc};

use super::app::{App, Level, Notice};
use super::keymap::{Command, Context, Keymap};
use super::layout::{Areas, Lasting};
use super::screens::Screen;
use super::screens::backlog::TableMut;
use crate::meeting::{Meeting, Timing};
use crate::model::{Backlog, HistoryError, ModelError, Story, StoryId, StoryPatch, Undone};
use crate::priority::Framework;
use crate::words::capitalised;

pub struct Ctx<'a> {
    app: &'a mut App,
    /// The screen being updated goes.
    closing: bool,
    /// Screens to put over it (or in its place, when it goes), bottom
    /// first.
    opening: Vec<Box<dyn Screen>>,
    /// The backlog changed: the loop saves it, and the screens are told.
    changed: bool,
    /// Something else the loop must save (the undo history alone).
    save: bool,
    /// What the screens count from the backlog is stale, the backlog
    /// being the same (another framework picked).
    stale: bool,
    /// The pane to show once the update is over.
    show_pane: Option<usize>,
}

/// What an update asked of the screens and the loop, once it is over.
pub(super) struct Outcome {
    pub closing: bool,
    pub opening: Vec<Box<dyn Screen>>,
    pub changed: bool,
    pub save: bool,
    pub stale: bool,
    pub show_pane: Option<usize>,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(app: &'a mut App) -> Self {
        Ctx {
            app,
            closing: false,
            opening: Vec::new(),
            changed: false,
            save: false,
            stale: false,
            show_pane: None,
        }
    }

    pub(super) fn finish(self) -> Outcome {
        Outcome {
            closing: self.closing,
            opening: self.opening,
            changed: self.changed,
            save: self.save,
            stale: self.changed || self.stale,
            show_pane: self.show_pane,
        }
    }

    /// The backlog, to read.
    #[must_use]
    pub fn backlog(&self) -> &Backlog {
        &self.app.backlog
    }

    /// The meeting left unfinished, if there is one, taken to resume or
    /// end.
    pub fn take_unfinished(&mut self) -> Option<Meeting> {
        self.app.unfinished.take()
    }

    /// Whether a meeting was left unfinished.
    #[must_use]
    pub fn has_unfinished(&self) -> bool {
        self.app.unfinished.is_some()
    }

    /// How long stories and meetings take, and how many stories an agenda
    /// proposes.
    #[must_use]
    pub fn timing(&self) -> (Timing, usize) {
        (self.app.timing, self.app.agenda_size)
    }

    /// Whether the data file is read-only.
    #[must_use]
    pub fn read_only(&self) -> bool {
        self.app.read_only
    }

    /// The topmost open screen of type `T` but the one being updated, to
    /// set its state: a dialog's answer for the pane under it.
    pub fn screen_mut<T: Screen>(&mut self) -> Option<&mut T> {
        self.app.screen_mut::<T>()
    }

    /// Change the backlog with `f`, recorded as one undo step called
    /// `label` ("move S-4"), and saved. What it touched the backlog works
    /// out itself. On a refusal the status bar says why, nothing changed,
    /// and `None` comes back.
    pub fn change<T>(
        &mut self,
        label: impl Into<String>,
        f: impl FnOnce(&mut Backlog) -> Result<T, ModelError>,
    ) -> Option<T> {
        self.change_as(label, false, f)
    }

    /// As [`Ctx::change`], for a step of a gesture begun with one (a drag
    /// that ranks a story row by row): it joins the undo step the gesture
    /// began, if that is still the newest and called `label`, so one undo
    /// puts back the whole gesture.
    pub fn change_more<T>(
        &mut self,
        label: impl Into<String>,
        f: impl FnOnce(&mut Backlog) -> Result<T, ModelError>,
    ) -> Option<T> {
        self.change_as(label, true, f)
    }

    fn change_as<T>(
        &mut self,
        label: impl Into<String>,
        more: bool,
        f: impl FnOnce(&mut Backlog) -> Result<T, ModelError>,
    ) -> Option<T> {
        let (result, before) = self.app.backlog.watched(f);
        match result {
            Ok(value) => {
                // For the table's totals to follow, as its rows do.
                let mut changed_from = before.stories.clone();
                changed_from.sort_unstable_by_key(|(id, _)| *id);
                self.app.table.changed_from = changed_from;
                let now = self.now();
                let history = &mut self.app.history;
                let recorded = if more {
                    history.record_more(label, now, before, &self.app.backlog)
                } else {
                    history.record(label, now, before, &self.app.backlog)
                };
                if recorded {
                    self.changed = true;
                }
                Some(value)
            }
            Err(e) => {
                self.fail(e.to_string());
                None
            }
        }
    }

    /// Undo the newest change (or redo the newest undone): the screens
    /// under this one follow the stories they are about, the table selects
    /// `stay_on` if it is still there, else the story the change was about,
    /// and the status bar says what was done, or why not.
    pub fn undo(&mut self, redo: bool, stay_on: Option<StoryId>) -> Option<Undone> {
        let selected = self.selected_story().map(|s| s.id);
        let in_hand = self.app.in_hand();
        let result = if redo {
            self.app.history.redo(&mut self.app.backlog)
        } else {
            self.app.history.undo(&mut self.app.backlog)
        };
        match result {
            Ok(done) => {
                self.changed = true;
                self.app.follow(in_hand);
                let keep = stay_on
                    .filter(|id| self.backlog().get(*id).is_some())
                    .or(done.focus)
                    .or(selected);
                self.table().recompute(keep);
                let (verb, more) = if redo {
                    ("Redid", self.app.history.redo_len())
                } else {
                    ("Undid", self.app.history.undo_len())
                };
                self.notify(format!("{verb} {} ({more} more)", done.label));
                Some(done)
            }
            Err(e @ HistoryError::Nothing(_)) => {
                self.warn(capitalised(&e.to_string()));
                None
            }
            Err(e) => {
                // The refused change left the history: save that.
                self.save = true;
                self.fail(capitalised(&e.to_string()));
                None
            }
        }
    }

    /// Edit story `id` with `patch`, as one undo step named for what it
    /// changes, keeping the table's rows right. False when refused (the
    /// status bar says why).
    pub fn edit_story(&mut self, id: StoryId, patch: &StoryPatch) -> bool {
        let now = self.now();
        if self
            .change(label_for(id, patch), |b| b.edit(id, patch, now))
            .is_none()
        {
            return false;
        }
        // Finding the story's place walks the order: only a filter needs it.
        self.table().story_changed(id);
        true
    }

    /// The time a change is stamped with: the app's clock.
    #[must_use]
    pub fn now(&self) -> DateTime<Utc> {
        (self.app.clock)()
    }

    /// The data file, as the status bar names it.
    #[must_use]
    pub fn file_label(&self) -> &str {
        &self.app.file_label
    }

    /// Who comments and overrides are signed as.
    #[must_use]
    pub fn author(&self) -> &str {
        &self.app.author
    }

    /// The terminal's size in columns and rows.
    #[must_use]
    pub fn size(&self) -> (u16, u16) {
        self.app.size
    }

    /// The screen as it is laid out now, or `None` when it is too small.
    #[must_use]
    pub fn areas(&self) -> Option<Areas> {
        self.app.areas()
    }

    /// The messages about the file that stay above the status bar.
    #[must_use]
    pub fn lasting(&self) -> Lasting<'_> {
        self.app.lasting()
    }

    /// Put away the message about the file on top: a failed save first,
    /// then the oldest alert. Its lines go back to the table.
    pub fn dismiss(&mut self) {
        if self.app.save_error.take().is_none() && !self.app.alerts.is_empty() {
            self.app.alerts.remove(0);
        }
        self.table().fill();
    }

    /// The panes' names, in the order of their number keys.
    #[must_use]
    pub fn pane_titles(&self) -> Vec<&'static str> {
        self.app.pane_titles()
    }

    /// The keys in force.
    #[must_use]
    pub fn keymap(&self) -> &Keymap {
        &self.app.keymap
    }

    /// The key that runs `command` in `context`, for a message to name.
    #[must_use]
    pub fn key(&self, context: Context, command: Command) -> String {
        self.app.key(context, command)
    }

    /// The prioritisation framework the stories are scored by, if one is
    /// picked.
    #[must_use]
    pub fn framework(&self) -> Option<Framework> {
        self.app.table.framework
    }

    /// The story selected in the backlog table.
    #[must_use]
    pub fn selected_story(&self) -> Option<&Story> {
        self.app.selected_story()
    }

    /// Take back what the status bar was about to say (to show it
    /// elsewhere).
    pub fn take_notice(&mut self) -> Option<Notice> {
        self.app.notice.take()
    }

    pub fn notify(&mut self, text: impl Into<String>) {
        self.app.notify(text);
    }

    /// Say that a key could not do what it does, and why.
    pub fn warn(&mut self, text: impl Into<String>) {
        self.app.warn(text);
    }

    /// Say that a change was refused or a step failed.
    pub fn fail(&mut self, text: impl Into<String>) {
        self.app.tell(text, Level::Error);
    }

    /// Put `screen` over the one being updated.
    pub fn open(&mut self, screen: impl Screen) {
        self.opening.push(Box::new(screen));
    }

    /// What the screens work out from the backlog is stale although the
    /// backlog is not (another framework was picked): they work it out
    /// again after the key, as after a change.
    pub fn counts_stale(&mut self) {
        self.stale = true;
    }

    /// Close the screen being updated.
    pub fn close(&mut self) {
        self.closing = true;
    }

    /// Show the pane at `index` (`0` the backlog) once the update is over,
    /// as its number key would.
    pub fn show_pane(&mut self, index: usize) {
        self.show_pane = Some(index);
    }

    /// With a filter on, say how many stories it shows, and how to see
    /// them all.
    pub fn say_how_many_shown(&mut self) {
        if self.app.table.filter.is_active() {
            let shown = self.app.row_count();
            let all = self.app.backlog.len();
            let clear = self.key(Context::Backlog, Command::ClearFilter);
            self.notify(format!("{shown} of {all} shown · {clear} shows all"));
        }
    }

    /// The backlog table, to keep right after a change, or to move its
    /// selection.
    pub fn table(&mut self) -> TableMut<'_> {
        self.app.table_mut()
    }
}

/// What the status bar calls an edit when it is undone.
pub(super) fn label_for(id: StoryId, patch: &StoryPatch) -> String {
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
    } else if !patch.inputs.is_empty() {
        "priority inputs of"
    } else {
        "edit of"
    };
    format!("{what} {id}")
}
