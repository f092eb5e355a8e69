//! The meeting pane, pane `6`: the refinement meeting, run from the
//! backlog while the team watches.
//!
//! Before a meeting it shows the agenda planned: proposed from the
//! backlog as the table shows it (the stories marked, else the first
//! stories not yet ready among those the filter shows), to reorder,
//! shorten and add to. During one it is the presenter: the story on
//! screen in large clear type, its timebox and the meeting's clocks,
//! and beside it the agenda and the parking lot. Each key does what
//! happens in the room (a poker round, a criterion, a decision, a move)
//! through the same undoable changes as the rest of the app; the
//! meeting keeps the rest (the rounds, the time, the parked topics) and
//! the event loop keeps its journal beside the data file, so a meeting
//! left by `q` or a crash is resumed where it was.

mod ask;
mod plan;
mod view;

use std::any::Any;

use chrono::{DateTime, Local, Offset, TimeZone, Utc};
use ratatui::Frame;

pub use self::ask::{Ask, AskFor};
pub use self::view::Row;
use super::confirm::{Confirm, Question};
use super::form::StoryForm;
use super::split::Split;
use super::story_picker::{Purpose, StoryPicker};
use super::{Screen, backlog, pane_command};
use crate::meeting::{Meeting, minutes, place};
use crate::model::{Backlog, Move, Status, Story, StoryId, StoryPatch, ready};
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::Areas;

/// The pane's name, as the help and the status bar show it.
pub const TITLE: &str = "Meeting";

/// How often a running meeting's journal is kept when nothing else
/// changed it: its clocks lose at most this much to a crash.
const KEEP_EVERY_SECONDS: i64 = 10;

/// The meeting pane: the meeting under way, or the agenda planned for
/// the next one.
#[derive(Clone, Debug, Default)]
pub struct MeetingPane {
    /// The meeting under way.
    pub meeting: Option<Meeting>,
    /// The agenda planned for the next meeting, once something changed
    /// it; until then, the default one.
    pub plan: Option<Vec<StoryId>>,
    /// The default agenda: worked out as the backlog changes and as the
    /// pane is shown, never as it is drawn, which would look through the
    /// backlog each frame.
    proposed: Vec<StoryId>,
    /// The story selected in the plan.
    pub plan_selected: usize,
    /// The row selected on the story on screen: a criterion or a comment.
    pub selected: usize,
    /// The story the selection is on: another starts at its first row.
    pub on: Option<StoryId>,
    /// The meeting changed since its journal was last kept.
    changed: bool,
    /// The meeting is being ended: its minutes are being written.
    ending: bool,
}

impl MeetingPane {
    /// The meeting's journal to keep beside the data file at `now`, when
    /// it is due: the meeting changed, or its clocks ran a while.
    pub fn journal_due(&mut self, now: DateTime<Utc>) -> Option<String> {
        let meeting = self.meeting.as_mut()?;
        let stale =
            meeting.is_running() && (now - meeting.kept_at()).num_seconds() >= KEEP_EVERY_SECONDS;
        if !(std::mem::take(&mut self.changed) || stale) {
            return None;
        }
        Some(meeting.to_journal(now))
    }

    /// Whether a meeting runs: its clocks are on screen and tick.
    #[must_use]
    pub fn is_running(&self) -> bool {
        self.meeting.as_ref().is_some_and(Meeting::is_running)
    }

    /// Stop the meeting's clocks at `now` and keep its journal as it is
    /// then: the app quits, and the meeting is resumed next time.
    pub fn leave(&mut self, now: DateTime<Utc>) -> Option<String> {
        let meeting = self.meeting.as_mut()?;
        meeting.pause(now);
        Some(meeting.to_journal(now))
    }

    /// The minutes asked for were written (`done`), or not: the meeting
    /// is over, or goes on.
    pub fn ended(&mut self, done: bool, now: DateTime<Utc>) {
        self.ending = false;
        if done {
            self.meeting = None;
            self.plan = None;
            self.plan_selected = 0;
            self.changed = false;
        } else if let Some(meeting) = &mut self.meeting {
            meeting.resume(now);
            self.changed = true;
        }
    }

    /// The backlog changed under the meeting, or the pane is shown:
    /// stories gone from it leave the agenda and the plan, and the default
    /// agenda of `count` stories is worked out again.
    pub fn follow_backlog(&mut self, backlog: &Backlog, now: DateTime<Utc>, count: usize) {
        if let Some(meeting) = &mut self.meeting {
            let agenda = |m: &Meeting| m.agenda().iter().map(|i| i.story).collect::<Vec<_>>();
            let before = agenda(meeting);
            meeting.follow(backlog, now);
            // Only a story leaving or joining the agenda changes the
            // meeting's record: what else changed is in the backlog.
            self.changed |= agenda(meeting) != before;
        }
        match &mut self.plan {
            Some(plan) => {
                plan.retain(|id| backlog.get(*id).is_some());
                self.plan_selected = self.plan_selected.min(plan.len().saturating_sub(1));
            }
            None => self.proposed = plan::default_plan(backlog, count),
        }
    }

    /// The story on screen, as the backlog has it (none once removed).
    fn story<'a>(&self, backlog: &'a Backlog) -> Option<&'a Story> {
        backlog.get(self.meeting.as_ref()?.story())
    }

    /// The meeting's rows of the story on screen, and the one selected
    /// (held within them).
    fn selected_row(&self, backlog: &Backlog) -> Option<Row> {
        let story = self.story(backlog)?;
        let rows = Row::all(story);
        let on = if self.on == Some(story.id) {
            self.selected
        } else {
            0
        };
        rows.get(on.min(rows.len().saturating_sub(1))).copied()
    }

    /// The meeting changed: its journal is kept again.
    fn touched(&mut self) {
        self.changed = true;
    }

    fn update_meeting(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        let now = ctx.now();
        let meeting = self.meeting.as_mut()?;
        let id = meeting.story();
        match command {
            Command::NextStory | Command::PreviousStory => {
                let next = command == Command::NextStory;
                let went = if next {
                    meeting.next(now)
                } else {
                    meeting.previous(now)
                };
                if went {
                    self.selected = 0;
                    self.touched();
                } else if next {
                    let end = ctx.key(Context::Meeting, Command::EndMeeting);
                    ctx.notify(format!(
                        "That was the last story on the agenda: {end} ends the meeting"
                    ));
                } else {
                    ctx.notify("This is the first story on the agenda");
                }
            }
            Command::SelectNext | Command::SelectPrevious => {
                let rows = self.story(ctx.backlog()).map_or(0, |s| Row::all(s).len());
                let at = if self.on == Some(id) {
                    self.selected
                } else {
                    0
                };
                self.on = Some(id);
                self.selected = if command == Command::SelectNext {
                    (at + 1).min(rows.saturating_sub(1))
                } else {
                    at.saturating_sub(1)
                };
            }
            Command::PlayPoker => Self::ask(AskFor::Cards, id, ctx),
            Command::AgreeEstimate => agree(meeting, id, ctx),
            Command::EstimateUp | Command::EstimateDown => {
                backlog::step_estimate(id, command == Command::EstimateUp, Context::Meeting, ctx);
            }
            Command::AddCriterion => Self::ask(AskFor::Criterion, id, ctx),
            Command::ToggleDone => self.toggle(id, ctx),
            Command::RecordDecision => Self::ask(AskFor::Decision, id, ctx),
            Command::AskQuestion => Self::ask(AskFor::Question, id, ctx),
            Command::Comment => Self::ask(AskFor::Comment, id, ctx),
            Command::AnswerQuestion => self.answer(id, ctx),
            Command::EditComment => self.edit_comment(id, ctx),
            Command::MarkReady => mark_ready(id, ctx),
            Command::SplitStory => match ctx.backlog().get(id) {
                Some(story) => ctx.open(Split::of(story)),
                None => gone(id, ctx),
            },
            Command::OpenForm => {
                if ctx.backlog().get(id).is_some() {
                    ctx.open(StoryForm::new(id));
                } else {
                    gone(id, ctx);
                }
            }
            Command::MoveUp | Command::MoveDown | Command::MoveToTop => {
                let to = match command {
                    Command::MoveUp => Move::Up,
                    Command::MoveDown => Move::Down,
                    _ => Move::Top,
                };
                self.move_story(id, to, ctx);
            }
            Command::ParkTopic => Self::ask(AskFor::Park, id, ctx),
            Command::GoToStory => Self::ask(AskFor::GoTo, id, ctx),
            Command::PickStory => ctx.open(StoryPicker::new(Purpose::Agenda, ctx.backlog())),
            Command::AgendaEarlier | Command::AgendaLater => {
                let at = meeting.current_index();
                if meeting.shift(at, command == Command::AgendaEarlier) {
                    self.touched();
                } else {
                    ctx.notify(plan::at_the_end(id, command));
                }
            }
            Command::DropFromAgenda => {
                let at = meeting.current_index();
                if meeting.drop_item(at, now) {
                    self.selected = 0;
                    self.touched();
                    ctx.notify(format!("{id} is off the agenda"));
                } else {
                    let end = ctx.key(Context::Meeting, Command::EndMeeting);
                    ctx.warn(format!(
                        "{id} is the last story on the agenda: {end} ends the meeting"
                    ));
                }
            }
            Command::EndMeeting => ctx.open(Confirm::new(Question::EndMeeting)),
            _ => {
                pane_command(command, ctx);
            }
        }
        None
    }

    /// Ask for text about story `id`.
    fn ask(what: AskFor, id: StoryId, ctx: &mut Ctx) {
        if what.needs_story() && ctx.backlog().get(id).is_none() {
            gone(id, ctx);
            return;
        }
        ctx.open(Ask::new(what, id, ""));
    }

    /// Check off the criterion selected (or uncheck it); on an open
    /// question, answer it.
    fn toggle(&self, id: StoryId, ctx: &mut Ctx) {
        match self.selected_row(ctx.backlog()) {
            Some(Row::Criterion(at)) => {
                let Some(story) = ctx.backlog().get(id) else {
                    return;
                };
                let mut criteria = story.acceptance_criteria.clone();
                criteria[at].done = !criteria[at].done;
                let done = criteria[at].done;
                let patch = StoryPatch {
                    criteria: Some(criteria),
                    ..StoryPatch::default()
                };
                if ctx.edit_story(id, &patch) {
                    ctx.notify(if done {
                        format!("Criterion {} of {id} checked off", at + 1)
                    } else {
                        format!("Criterion {} of {id} unchecked", at + 1)
                    });
                }
            }
            Some(Row::Comment(_)) => self.answer(id, ctx),
            None => {
                let add = ctx.key(Context::Meeting, Command::AddCriterion);
                ctx.warn(format!(
                    "{id} has no acceptance criteria yet: {add} adds one"
                ));
            }
        }
    }

    /// Answer the question selected, or the only open one.
    fn answer(&self, id: StoryId, ctx: &mut Ctx) {
        let Some(story) = ctx.backlog().get(id) else {
            gone(id, ctx);
            return;
        };
        let open: Vec<usize> = story
            .comments
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_open_question())
            .map(|(at, _)| at)
            .collect();
        let number = match self.selected_row(ctx.backlog()) {
            Some(Row::Comment(at)) if open.contains(&at) => at,
            _ if open.len() == 1 => open[0],
            _ if open.is_empty() => {
                let ask = ctx.key(Context::Meeting, Command::AskQuestion);
                ctx.warn(format!("{id} has no open question: {ask} asks one"));
                return;
            }
            _ => {
                let select = ctx.key(Context::Meeting, Command::SelectNext);
                ctx.warn(format!(
                    "{id} has {} open questions: select one with {select}",
                    open.len()
                ));
                return;
            }
        };
        ctx.open(Ask::new(AskFor::Answer(number + 1), id, ""));
    }

    /// Edit the comment selected, if it is the user's own.
    fn edit_comment(&self, id: StoryId, ctx: &mut Ctx) {
        let Some(story) = ctx.backlog().get(id) else {
            gone(id, ctx);
            return;
        };
        let Some(Row::Comment(at)) = self.selected_row(ctx.backlog()) else {
            let select = ctx.key(Context::Meeting, Command::SelectNext);
            ctx.warn(format!("Select a comment to edit with {select}"));
            return;
        };
        let comment = &story.comments[at];
        if comment.author != ctx.author() {
            ctx.warn(format!(
                "That comment is {}'s: only its author edits it",
                comment.author
            ));
            return;
        }
        let text = comment.text.clone();
        ctx.open(Ask::new(AskFor::Edit(at + 1), id, &text));
    }

    /// Move story `id` in the backlog, the meeting keeping where from.
    fn move_story(&mut self, id: StoryId, to: Move, ctx: &mut Ctx) {
        let Some(before) = ctx.backlog().get(id).cloned() else {
            gone(id, ctx);
            return;
        };
        let Some(from) = place(ctx.backlog(), id) else {
            return;
        };
        let Some(moved) = ctx.change(format!("move {id}"), |b| b.move_story(id, to)) else {
            return;
        };
        if moved.from == moved.to {
            ctx.notify(match to {
                Move::Down => format!("{id} is last in the backlog"),
                _ => format!("{id} is first in the backlog"),
            });
            return;
        }
        ctx.table().moved(moved.from, moved.to);
        let Some(rank) = ctx.backlog().get(id).map(|s| s.rank.clone()) else {
            return;
        };
        let (meeting, backlog) = (self.meeting.as_mut(), ctx.backlog());
        if let Some(meeting) = meeting {
            meeting.moved(
                &before,
                (from, before.rank.clone()),
                (moved.to + 1, rank),
                backlog,
            );
        }
        self.touched();
        ctx.notify(format!("{id} moved from #{from} to #{}", moved.to + 1));
    }
}

/// Take the estimate the last round points to.
fn agree(meeting: &Meeting, id: StoryId, ctx: &mut Ctx) {
    let scale = ctx.backlog().product.settings.scale;
    let Some(points) = meeting.suggested(scale) else {
        let play = ctx.key(Context::Meeting, Command::PlayPoker);
        ctx.warn(format!("No poker round yet: {play} types the team's cards"));
        return;
    };
    if ctx.backlog().get(id).is_none() {
        gone(id, ctx);
        return;
    }
    let patch = StoryPatch {
        points: Some(Some(points)),
        ..StoryPatch::default()
    };
    if ctx.edit_story(id, &patch) {
        ctx.notify(format!("{id} estimated at {}", scale.label(points)));
    }
}

/// Set story `id` ready; failing the Definition of Ready, ask first.
fn mark_ready(id: StoryId, ctx: &mut Ctx) {
    let Some(story) = ctx.backlog().get(id) else {
        gone(id, ctx);
        return;
    };
    if story.status == Status::Ready {
        ctx.notify(format!("{id} is ready already"));
        return;
    }
    let missing = ready::reasons(story, &ctx.backlog().product.settings.ready);
    if !missing.is_empty() {
        ctx.open(Confirm::new(Question::ReadyAnyway { id, missing }));
        return;
    }
    let patch = StoryPatch {
        status: Some(Status::Ready),
        ..StoryPatch::default()
    };
    if ctx.edit_story(id, &patch) {
        ctx.notify(format!("{id} is ready: it meets the Definition of Ready"));
    }
}

fn gone(id: StoryId, ctx: &mut Ctx) {
    let drop = ctx.key(Context::Meeting, Command::DropFromAgenda);
    ctx.warn(format!(
        "{id} is gone from the backlog: {drop} takes it off the agenda"
    ));
}

/// The meeting pane's place among the panes.
fn pane_index(ctx: &Ctx) -> Option<usize> {
    ctx.pane_titles().iter().position(|t| *t == TITLE)
}

/// The key that plans or starts a meeting, from any pane: go back to the
/// meeting under way; else offer to resume one left unfinished; else plan
/// one from the backlog as the table shows it, and show it.
pub fn open(ctx: &mut Ctx) {
    let Some(index) = pane_index(ctx) else {
        return;
    };
    if ctx.has_unfinished() {
        ctx.open(Confirm::new(Question::ResumeMeeting));
        return;
    }
    let planned = plan::proposed(ctx);
    if let Some(pane) = ctx.screen_mut::<MeetingPane>()
        && pane.meeting.is_none()
    {
        pane.plan = Some(planned);
        pane.plan_selected = 0;
    }
    ctx.show_pane(index);
}

/// Resume the meeting left unfinished, showing it.
pub fn resume(ctx: &mut Ctx) {
    let now = ctx.now();
    let Some(mut meeting) = ctx.take_unfinished() else {
        return;
    };
    meeting.resume(now);
    meeting.follow(ctx.backlog(), now);
    let stories = meeting.agenda().len();
    if let Some(pane) = ctx.screen_mut::<MeetingPane>() {
        pane.meeting = Some(meeting);
        pane.selected = 0;
        pane.touched();
    }
    if let Some(index) = pane_index(ctx) {
        ctx.show_pane(index);
    }
    ctx.notify(format!(
        "The meeting goes on where it was left ({} on the agenda)",
        crate::words::count(stories, "story", "stories")
    ));
}

/// End the meeting under way (or the one left unfinished): its clocks
/// stop, and the loop is asked to write its minutes.
pub fn end(ctx: &mut Ctx) -> Option<Effect> {
    let now = ctx.now();
    if let Some(mut meeting) = ctx.take_unfinished()
        && let Some(pane) = ctx.screen_mut::<MeetingPane>()
    {
        // A crash leaves its clocks running in the journal: the meeting
        // stopped when the journal was last kept, not now.
        meeting.pause(meeting.kept_at());
        pane.meeting = Some(meeting);
    }
    let backlog = ctx.backlog().clone();
    let pane = ctx.screen_mut::<MeetingPane>()?;
    let meeting = pane.meeting.as_mut()?;
    meeting.pause(now);
    pane.ending = true;
    pane.changed = true;
    let started = meeting.started;
    let offset = Local.offset_from_utc_datetime(&started.naive_utc()).fix();
    let minutes = minutes::write(meeting, &backlog, now, offset);
    Some(Effect::EndMeeting { minutes, started })
}

/// A story picked for the agenda: the meeting under way goes to it; the
/// plan takes it.
pub fn put_on_agenda(story: StoryId, ctx: &mut Ctx) {
    let now = ctx.now();
    let backlog = ctx.backlog().clone();
    let Some(pane) = ctx.screen_mut::<MeetingPane>() else {
        return;
    };
    let said = if let Some(meeting) = &mut pane.meeting {
        meeting.bring_up(story, &backlog, now);
        pane.selected = 0;
        pane.touched();
        format!("{story} is on the agenda, on screen")
    } else {
        let plan = pane.plan.get_or_insert_with(|| pane.proposed.clone());
        if let Some(at) = plan.iter().position(|id| *id == story) {
            pane.plan_selected = at;
            format!("{story} is on the agenda already")
        } else {
            plan.push(story);
            pane.plan_selected = plan.len() - 1;
            format!("{story} is on the agenda")
        }
    };
    ctx.notify(said);
}

impl Screen for MeetingPane {
    fn context(&self) -> Context {
        if self.meeting.is_some() {
            Context::Meeting
        } else {
            Context::MeetingPlan
        }
    }

    fn title(&self) -> Option<&'static str> {
        Some(TITLE)
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        if self.ending {
            ctx.notify("The minutes are being written");
            return None;
        }
        if self.meeting.is_some() {
            self.update_meeting(command, ctx)
        } else {
            self.update_plan(command, ctx)
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        match &self.meeting {
            Some(meeting) => view::render(self, meeting, app, areas.main, frame),
            None => plan::render(self, app, areas.main, frame),
        }
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        if let Some(meeting) = &mut self.meeting {
            meeting.renumber(changes);
            self.changed = true;
        }
        if let Some(plan) = &mut self.plan {
            for id in plan {
                *id = crate::model::renumber(*id, changes);
            }
        }
        self.on = self.on.map(|id| crate::model::renumber(id, changes));
    }
}

/// The meeting pane among `panes`, to keep its journal.
pub fn of(panes: &mut [Box<dyn Screen>]) -> Option<&mut MeetingPane> {
    panes
        .iter_mut()
        .find_map(|pane| (&mut **pane as &mut dyn Any).downcast_mut::<MeetingPane>())
}

#[cfg(test)]
mod tests;
