//! `App`: the backlog being groomed, what the screen shows of it, and the
//! screens: the top-level panes, one shown at a time, and the stack of
//! panels and dialogs over it. How actions reach them is in `update.rs`.

use std::any::Any;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::action::{Effect, MonteCarlo};
use super::ctx::Ctx;
use super::filter::SearchJob;
use super::keymap::{Command, Context, Keymap};
use super::layout::{self, Areas, Lasting};
use super::probe::Emoji;
use super::screens::backlog::{Table, TableMut};
use super::screens::confirm::{Confirm, Question};
use super::screens::meeting::{self, MeetingPane};
use super::screens::{self, Screen};
use crate::meeting::{Meeting, Timing};
use crate::model::{Backlog, History, Story, StoryId};

/// A message: in the status bar until the next key, or, as an alert, on
/// lines of its own above it until dismissed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub level: Level,
}

impl Notice {
    /// Whether it is shown as an error: a warning or an error.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.level > Level::Info
    }
}

/// How much a message matters, least first. Of the messages that come
/// before the next key, the most serious is the one shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// What a key did, or what the file did.
    Info,
    /// A key that could not do what it does: nothing to act on, text to
    /// put right.
    Warning,
    /// A change refused, or a step that failed.
    Error,
}

pub struct App {
    pub backlog: Backlog,
    /// The backlog table: its filter, rows, selection and scroll. The
    /// backlog pane draws it, and every panel and dialog over the backlog
    /// acts on its selected story.
    pub table: Table,
    /// Terminal size in columns and rows, as last reported.
    pub size: (u16, u16),
    pub notice: Option<Notice>,
    /// Messages that stay until dismissed, oldest first: a clash with
    /// another writer, what reading an older file folded together, a
    /// config that cannot be read. One does not replace another: at start
    /// there may be three.
    pub alerts: Vec<Notice>,
    /// The alert that says the file holds clashes a git merge left, if
    /// raised: withdrawn once none is left.
    clash_alert: Option<String>,
    /// Why the file could not be saved (or read): on the status bar
    /// whatever else it says, so no change looks saved that is not, until
    /// a save works again or it is dismissed.
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
    /// Whether the mouse is taken (the config's `mouse`): clicks, the
    /// wheel and drags act only then.
    pub mouse: bool,
    /// Every change made here, to undo and redo.
    pub history: History,
    /// What was handed to `$EDITOR` last.
    pub handed_out: Option<Handout>,
    /// The keys in force: the built-in keymap, with the user's over it.
    pub keymap: Arc<Keymap>,
    /// The top-level panes, in the order of their number keys, each with
    /// its own state, kept while another is shown.
    pub(super) panes: Vec<Box<dyn Screen>>,
    /// The pane shown.
    pub(super) pane: usize,
    /// The panes' names, in order: asked while a pane is out of `panes`
    /// for its update.
    pane_titles: Vec<&'static str>,
    /// The key context of the pane shown, which says which key puts a
    /// lasting message away: asked, like the titles, while the pane is
    /// out for its update.
    pane_context: Context,
    /// Panels and dialogs over the pane, bottom first: the last one gets
    /// the keys.
    pub(super) stack: Vec<Box<dyn Screen>>,
    /// A meeting left unfinished (by `q`, a crash, a closed terminal),
    /// read from its journal at start: offered to be resumed.
    pub unfinished: Option<Meeting>,
    /// How long stories and meetings take, and how many stories an
    /// agenda proposes (the config's `[meeting]`).
    pub timing: Timing,
    pub agenda_size: usize,
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
        let panes = screens::panes();
        let pane_titles = panes
            .iter()
            .map(|pane| pane.title().unwrap_or_default())
            .collect();
        let pane_context = panes[0].context();
        let mut app = App {
            backlog,
            table: Table::default(),
            size: (80, 24),
            notice: None,
            alerts: Vec::new(),
            clash_alert: None,
            save_error: None,
            file_label: file_label.into(),
            read_only: false,
            color: true,
            emoji: Emoji::default(),
            clock: Utc::now,
            author: crate::config::Config::default().author(),
            mouse: crate::config::Config::default().mouse(),
            history: History::default(),
            handed_out: None,
            keymap: Keymap::built_in(),
            panes,
            pane: 0,
            pane_titles,
            pane_context,
            stack: Vec::new(),
            unfinished: None,
            timing: Timing::default(),
            agenda_size: crate::meeting::AGENDA_STORIES,
        };
        // The release plan the table draws between its rows, for today.
        app.table_mut();
        app
    }

    /// Offer to resume `meeting`, left unfinished: the question is the
    /// first thing on screen.
    pub fn offer_to_resume(&mut self, meeting: Meeting) {
        self.unfinished = Some(meeting);
        self.stack
            .push(Box::new(Confirm::new(Question::ResumeMeeting)));
    }

    /// Show the meeting pane with a meeting planned on `agenda` (the
    /// default agenda when it is empty), to start with one key; a meeting
    /// left unfinished is offered first.
    pub fn plan_meeting(&mut self, agenda: Vec<StoryId>) {
        let Some(index) = self.pane_titles.iter().position(|t| *t == meeting::TITLE) else {
            return;
        };
        if let Some(pane) = self.screen_mut::<MeetingPane>() {
            pane.plan = (!agenda.is_empty()).then_some(agenda);
            pane.plan_selected = 0;
        }
        self.show_pane(index);
    }

    /// The screen on top: the last panel or dialog, else the pane shown.
    #[must_use]
    pub fn top(&self) -> &dyn Screen {
        match self.stack.last() {
            Some(top) => &**top,
            None => &*self.panes[self.pane],
        }
    }

    /// The key context of the screen on top, and whether a key it does
    /// not bind is text typed into it.
    #[must_use]
    pub fn key_context(&self) -> (Context, bool) {
        let top = self.top();
        (top.context(), top.takes_text())
    }

    /// The key context of the screen on top.
    #[must_use]
    pub fn context(&self) -> Context {
        self.top().context()
    }

    /// The key hints of the screen on top.
    #[must_use]
    pub fn hints(&self) -> Vec<(String, &'static str)> {
        self.top().hints(&self.keymap)
    }

    /// The key that runs `command` in `context`, as the help shows it.
    #[must_use]
    pub fn key(&self, context: Context, command: Command) -> String {
        self.keymap.label(context, command)
    }

    /// Every open screen, bottom first: the panes (shown or not), then
    /// the stack.
    fn screens(&self) -> impl DoubleEndedIterator<Item = &dyn Screen> {
        self.panes.iter().chain(&self.stack).map(|s| &**s)
    }

    /// The topmost open screen of type `T`, to read its state.
    #[must_use]
    pub fn screen<T: Screen>(&self) -> Option<&T> {
        self.screens()
            .rev()
            .find_map(|screen| (screen as &dyn Any).downcast_ref::<T>())
    }

    /// The topmost open screen of type `T`, to set its state (tests put a
    /// pane where keys would take long to bring it).
    pub fn screen_mut<T: Screen>(&mut self) -> Option<&mut T> {
        self.panes
            .iter_mut()
            .chain(&mut self.stack)
            .rev()
            .find_map(|screen| (&mut **screen as &mut dyn Any).downcast_mut::<T>())
    }

    /// The panes' names, in the order of their number keys.
    #[must_use]
    pub fn pane_titles(&self) -> Vec<&'static str> {
        self.pane_titles.clone()
    }

    /// The pane shown, drawn under the stack.
    pub(super) fn shown_pane(&self) -> &dyn Screen {
        &*self.panes[self.pane]
    }

    /// The panels and dialogs, bottom first.
    pub(super) fn stack(&self) -> impl Iterator<Item = &dyn Screen> {
        self.stack.iter().map(|s| &**s)
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
        let mut table = TableMut {
            table: &mut self.table,
            backlog: &self.backlog,
            fits,
            now: (self.clock)(),
        };
        table.forecast_for_today();
        table
    }

    /// How many backlog rows fit on screen at the current size.
    #[must_use]
    pub fn table_rows(&self) -> usize {
        layout::table_rows(self.size, Some(&self.lasting()), self.table.story_hidden)
    }

    /// The screen as it is laid out now, or `None` when it is too small.
    #[must_use]
    pub fn areas(&self) -> Option<Areas> {
        Areas::of(self.size, Some(&self.lasting()), self.table.story_hidden)
    }

    /// What stays above the status bar: a failed save, then the alerts.
    #[must_use]
    pub fn lasting(&self) -> Lasting<'_> {
        Lasting {
            save_error: self.save_error.as_deref(),
            alerts: &self.alerts,
            keymap: &self.keymap,
            context: self.pane_context,
        }
    }

    pub(super) fn notify(&mut self, text: impl Into<String>) {
        self.tell(text, Level::Info);
    }

    pub(super) fn warn(&mut self, text: impl Into<String>) {
        self.tell(text, Level::Warning);
    }

    /// Say `text` on the status bar, unless something more serious has
    /// been said since the last key: that stays, so a refusal is never
    /// hidden by the news that follows it (another writer's changes read
    /// in, say) before it could be read.
    pub(super) fn tell(&mut self, text: impl Into<String>, level: Level) {
        if self.notice.as_ref().is_some_and(|n| n.level > level) {
            return;
        }
        self.notice = Some(Notice {
            text: text.into(),
            level,
        });
    }

    /// A message that stays until dismissed, after any there are: about
    /// the file, not a key. The same message twice is shown once.
    pub fn raise(&mut self, text: impl Into<String>, is_error: bool) {
        let alert = Notice {
            text: text.into(),
            level: if is_error { Level::Error } else { Level::Info },
        };
        if !self.alerts.contains(&alert) {
            self.alerts.push(alert);
            // Its lines come out of the table's.
            self.table_mut().keep_selection_visible();
        }
    }

    /// Raise `text` as the alert about the clashes in the file, in place
    /// of any raised before: the count in it is the news.
    pub(super) fn raise_clash_alert(&mut self, text: String) {
        self.withdraw_clash_alert();
        self.clash_alert = Some(text.clone());
        self.raise(text, true);
    }

    fn withdraw_clash_alert(&mut self) {
        if let Some(text) = self.clash_alert.take() {
            self.alerts.retain(|alert| alert.text != text);
        }
    }

    /// The stories the open screens are about, as they are now: to follow
    /// them through a change made under them.
    pub(super) fn in_hand(&self) -> Vec<Option<Arc<Story>>> {
        self.screens()
            .map(|screen| {
                screen
                    .story()
                    .and_then(|id| self.backlog.get_arc(id).cloned())
            })
            .collect()
    }

    /// After a change made under them, each open screen follows its story
    /// (`before`, as [`App::in_hand`] gave it); a panel or dialog with
    /// nothing left to show closes.
    pub(super) fn follow(&mut self, before: Vec<Option<Arc<Story>>>) {
        let mut before = before.into_iter();
        let backlog = &self.backlog;
        for pane in &mut self.panes {
            pane.follow(before.next().flatten().as_deref(), backlog);
        }
        self.stack
            .retain_mut(|screen| screen.follow(before.next().flatten().as_deref(), backlog));
    }

    /// The backlog changed: the screens showing counts of it (the pane
    /// shown and the stack) work them out again.
    pub(super) fn backlog_changed(&mut self) {
        self.table_mut().search_again();
        if self.backlog.clashes().is_empty() {
            self.withdraw_clash_alert();
        }
        self.table_mut().forecast_again();
        let (framework, now) = (self.table.framework, (self.clock)());
        self.meeting_follows();
        let pane = &mut self.panes[self.pane];
        pane.backlog_changed(&self.backlog);
        pane.scores_stale(&self.backlog, framework, now);
        for screen in &mut self.stack {
            screen.backlog_changed(&self.backlog);
            screen.scores_stale(&self.backlog, framework, now);
        }
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

    /// Let the screen on top (the last panel or dialog, else the pane
    /// shown) take a key with `update`. What it asks of the screens (open,
    /// close) and of the loop (save) is done after.
    pub(super) fn update_top(
        &mut self,
        update: impl FnOnce(&mut dyn Screen, &mut Ctx) -> Option<Effect>,
    ) -> Option<Effect> {
        // The screen is taken out for its update, so that the Ctx can lend
        // the rest of the app; a pane goes back to its place after, and
        // nothing during the update asks which pane is shown.
        let (mut top, pane) = match self.stack.pop() {
            Some(top) => (top, None),
            None => (self.panes.remove(self.pane), Some(self.pane)),
        };
        let mut ctx = Ctx::new(self);
        let effect = update(&mut *top, &mut ctx);
        let outcome = ctx.finish();
        match pane {
            // A pane does not close: it is one of the panes.
            Some(at) => {
                self.pane_context = top.context();
                self.panes.insert(at, top);
            }
            None if outcome.closing => {}
            None => self.stack.push(top),
        }
        self.stack.extend(outcome.opening);
        if outcome.stale {
            self.backlog_changed();
        }
        self.changes_counted();
        if let Some(index) = outcome.show_pane {
            self.show_pane(index);
        }
        effect.or((outcome.changed || outcome.save).then_some(Effect::Save))
    }

    /// The Monte Carlo forecasts the screens want run off the event loop,
    /// each handed over once: the loop runs them, and their answers come
    /// back as [`Action::Simulated`](super::action::Action::Simulated).
    pub fn take_work(&mut self) -> Vec<MonteCarlo> {
        self.panes
            .iter_mut()
            .chain(&mut self.stack)
            .filter_map(|screen| screen.background())
            .collect()
    }

    /// The search the table wants run off the event loop, handed over
    /// once: the loop runs it, and its answer comes back as
    /// [`Action::Searched`](super::action::Action::Searched).
    pub fn take_search(&mut self) -> Option<SearchJob> {
        self.table.searching.take()
    }

    /// The table's totals have followed the update's changes (or are added
    /// up again, when a change could not say what it did); what they were
    /// taken from is let go.
    fn changes_counted(&mut self) {
        if self.table.recount {
            self.table_mut().recount();
        }
        self.table.changed_from = Vec::new();
    }

    /// Do `f` with a Ctx over the whole app, as a screen's update would
    /// (the screens it opens go on top), for what the loop reports rather
    /// than a key.
    pub(super) fn with_ctx(&mut self, f: impl FnOnce(&mut Ctx)) -> Option<Effect> {
        let mut ctx = Ctx::new(self);
        f(&mut ctx);
        let outcome = ctx.finish();
        self.stack.extend(outcome.opening);
        if outcome.stale {
            self.backlog_changed();
        }
        self.changes_counted();
        (outcome.changed || outcome.save).then_some(Effect::Save)
    }

    /// The meeting pane follows the backlog, shown or not. A story gone
    /// from the backlog (an undo, another writer) leaves the agenda; with
    /// none left, the meeting still has its minutes to write, and stays on
    /// its last story's record.
    pub(super) fn meeting_follows(&mut self) {
        let now = (self.clock)();
        if let Some(pane) = meeting::of(&mut self.panes) {
            pane.follow_backlog(&self.backlog, now, self.agenda_size);
        }
    }

    /// Show the pane at `index`, with counts fresh; say so when there is
    /// none.
    pub(super) fn show_pane(&mut self, index: usize) {
        if index >= self.panes.len() {
            let panes: Vec<String> = self
                .pane_titles()
                .iter()
                .enumerate()
                .map(|(i, title)| format!("{} {}", i + 1, title.to_lowercase()))
                .collect();
            self.warn(format!("No pane {}: {}", index + 1, panes.join(", ")));
            return;
        }
        self.pane = index;
        self.pane_context = self.panes[index].context();
        self.panes[index].backlog_changed(&self.backlog);
        self.panes[index].scores_stale(&self.backlog, self.table.framework, (self.clock)());
        if self.pane_titles[index] == meeting::TITLE {
            self.meeting_follows();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn of_the_notices_before_the_next_key_the_most_serious_is_shown() {
        let mut app = App::new(Backlog::new("x"), "backlog.json");
        app.tell("a warning", Level::Warning);
        app.notify("news");
        assert_eq!(app.notice.as_ref().unwrap().text, "a warning");
        app.tell("an error", Level::Error);
        app.warn("another warning");
        app.notify("more news");
        assert_eq!(app.notice.as_ref().unwrap().text, "an error");
        // As serious: the newer says more.
        app.tell("a second error", Level::Error);
        assert_eq!(app.notice.as_ref().unwrap().text, "a second error");
        // A key starts afresh.
        app.update(Command::SelectNext);
        app.notify("news");
        assert_eq!(app.notice.as_ref().unwrap().level, Level::Info);
    }
}
