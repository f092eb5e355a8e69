//! The agenda planned for the next meeting, before it starts: proposed
//! from the backlog as the table shows it, then reordered, shortened or
//! added to, and started.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{MeetingPane, pane_command};
use crate::meeting::{Meeting, default_agenda, place};
use crate::model::{Backlog, Status, StoryId};
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::ellipsized;
use crate::tui::screens::choice_row;
use crate::tui::screens::confirm::{Confirm, Question};
use crate::tui::screens::story_picker::{Purpose, StoryPicker};
use crate::tui::theme;
use crate::words;

/// What a key that takes a story off the agenda, or moves one on it,
/// says of an empty one.
const EMPTY: &str = "The agenda is empty";

/// What moving story `id` earlier or later on the agenda (`command`)
/// says when it is at that end already.
pub(super) fn at_the_end(id: StoryId, command: Command) -> String {
    if command == Command::AgendaEarlier {
        format!("{id} is first on the agenda")
    } else {
        format!("{id} is last on the agenda")
    }
}

/// The default agenda: the first `count` stories not yet ready, in rank
/// order.
#[must_use]
pub fn default_plan(backlog: &Backlog, count: usize) -> Vec<StoryId> {
    default_agenda(backlog.ranked(), count)
}

/// The agenda the backlog as the table shows it proposes: the stories
/// marked, in rank order; else the first stories not yet ready among
/// those the filter shows.
pub fn proposed(ctx: &mut Ctx) -> Vec<StoryId> {
    let (_, count) = ctx.timing();
    let table = ctx.table();
    let marked: Vec<StoryId> = table.table.marks.ids().collect();
    if !marked.is_empty() {
        let mut marked: Vec<(usize, StoryId)> = marked
            .into_iter()
            .filter_map(|id| place(table.backlog, id).map(|at| (at, id)))
            .collect();
        marked.sort_unstable();
        return marked.into_iter().map(|(_, id)| id).collect();
    }
    if table.table.filter.is_active() {
        let rows = table.table.row_count(table.backlog);
        let shown = (0..rows).filter_map(|row| table.table.story_at_row(row, table.backlog));
        return default_agenda(shown, count);
    }
    default_plan(table.backlog, count)
}

impl MeetingPane {
    /// The plan, made the default one if nothing changed it yet, to
    /// change.
    fn plan_mut(&mut self) -> &mut Vec<StoryId> {
        self.plan.get_or_insert_with(|| self.proposed.clone())
    }

    /// The plan as it stands: the default one while nothing changed it.
    fn planned(&self) -> &[StoryId] {
        self.plan.as_deref().unwrap_or(&self.proposed)
    }

    pub(super) fn update_plan(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        let selected = self.plan_selected;
        match command {
            Command::StartMeeting if ctx.has_unfinished() => {
                ctx.open(Confirm::new(Question::ResumeMeeting));
            }
            Command::StartMeeting => self.start(ctx),
            Command::EndMeeting if ctx.has_unfinished() => {
                ctx.open(Confirm::new(Question::EndMeeting));
            }
            Command::EndMeeting => {
                let start = ctx.key(Context::MeetingPlan, Command::StartMeeting);
                ctx.notify(format!("No meeting is under way: {start} starts one"));
            }
            Command::SelectNext | Command::SelectPrevious => {
                let len = self.planned().len();
                self.plan_selected = if command == Command::SelectNext {
                    (selected + 1).min(len.saturating_sub(1))
                } else {
                    selected.saturating_sub(1)
                };
            }
            Command::AgendaEarlier | Command::AgendaLater => {
                let plan = self.plan_mut();
                let other = if command == Command::AgendaEarlier {
                    selected.checked_sub(1)
                } else {
                    Some(selected + 1).filter(|&at| at < plan.len())
                };
                match (plan.get(selected).copied(), other) {
                    (Some(_), Some(other)) => {
                        plan.swap(selected, other);
                        self.plan_selected = other;
                    }
                    (Some(id), None) => ctx.notify(at_the_end(id, command)),
                    (None, _) => ctx.notify(EMPTY),
                }
            }
            Command::DropFromAgenda => {
                let plan = self.plan_mut();
                if selected < plan.len() {
                    let id = plan.remove(selected);
                    self.plan_selected = selected.min(plan.len().saturating_sub(1));
                    ctx.notify(format!("{id} is off the agenda"));
                } else {
                    ctx.notify(EMPTY);
                }
            }
            Command::AgendaLonger => {
                let backlog = ctx.backlog();
                let plan = self.plan.get_or_insert_with(|| self.proposed.clone());
                let next = backlog
                    .ranked()
                    .find(|s| s.status == Status::Draft && !plan.contains(&s.id))
                    .map(|s| s.id);
                match next {
                    Some(id) => plan.push(id),
                    None => ctx.notify("Every story not yet ready is on the agenda"),
                }
            }
            Command::AgendaShorter => {
                let plan = self.plan_mut();
                if plan.pop().is_none() {
                    ctx.notify(EMPTY);
                }
                let last = plan.len().saturating_sub(1);
                self.plan_selected = self.plan_selected.min(last);
            }
            Command::PickStory => ctx.open(StoryPicker::new(Purpose::Agenda, ctx.backlog())),
            Command::GoToStory => ctx.open(super::Ask::new(super::AskFor::GoTo, StoryId(0), "")),
            _ => {
                pane_command(command, ctx);
            }
        }
        None
    }

    /// Start the meeting on the plan.
    fn start(&mut self, ctx: &mut Ctx) {
        if ctx.read_only() {
            ctx.warn("The data file is read-only: a meeting would change nothing");
            return;
        }
        let (timing, _) = ctx.timing();
        let now = ctx.now();
        let author = ctx.author().to_string();
        match Meeting::start(self.planned(), ctx.backlog(), timing, &author, now) {
            Ok(meeting) => {
                let stories = meeting.agenda().len();
                self.meeting = Some(meeting);
                self.selected = 0;
                self.touched();
                ctx.notify(format!(
                    "The meeting starts: {} on the agenda, {} min each",
                    words::count(stories, "story", "stories"),
                    timing.story_minutes
                ));
            }
            Err(why) => {
                let add = ctx.key(Context::MeetingPlan, Command::PickStory);
                ctx.warn(format!("Nothing to start with, {why}: {add} adds a story"));
            }
        }
    }
}

pub fn render(pane: &MeetingPane, app: &App, area: Rect, frame: &mut Frame) {
    let color = app.color;
    let key = |command| app.key(Context::MeetingPlan, command);
    let block = Block::bordered()
        .border_type(theme::border(true, color).0)
        .border_style(theme::border(true, color).1)
        .title(Line::styled(
            " Refinement meeting: the agenda ",
            theme::title(),
        ))
        .title(
            Line::from(format!(" {} starts it ", key(Command::StartMeeting)))
                .alignment(Alignment::Right),
        );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let timing = app.timing;
    let plan = pane.planned();
    let mut lines = Vec::new();
    if let Some(unfinished) = &app.unfinished {
        let started = unfinished
            .started
            .with_timezone(&chrono::Local)
            .format("%a %-d %b, %H:%M");
        lines.push(Line::styled(
            format!(
                "The meeting started {started} was left unfinished: {} resumes it, {} ends it and writes its minutes.",
                key(Command::StartMeeting),
                key(Command::EndMeeting)
            ),
            theme::warning(color),
        ));
        lines.push(Line::from(""));
    }
    lines.push(Line::from(format!(
        "{} for {} min, {} min a story. The room sees one story at a time.",
        words::count(plan.len(), "story", "stories"),
        timing.meeting_minutes,
        timing.story_minutes
    )));
    lines.push(Line::from(""));
    let width = inner.width.saturating_sub(16);
    for (at, id) in plan.iter().enumerate() {
        let Some(story) = app.backlog.get(*id) else {
            continue;
        };
        let place = place(&app.backlog, *id).map_or(String::new(), |p| format!("#{p}"));
        lines.push(choice_row(
            at == pane.plan_selected,
            vec![
                Span::raw(format!("{}. ", at + 1)),
                Span::raw(ellipsized(&story.title, width)),
                Span::styled(
                    format!("  {id} {place} {}", story.status),
                    theme::dim(color),
                ),
            ],
        ));
    }
    if plan.is_empty() {
        lines.push(Line::styled(
            format!(
                "No story on the agenda: {} finds one to add, {} adds the next not ready.",
                key(Command::PickStory),
                key(Command::AgendaLonger)
            ),
            theme::warning(color),
        ));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(
        format!(
            "{} adds a story · {} takes one off · {} {} reorder · {} {} more or fewer",
            key(Command::PickStory),
            key(Command::DropFromAgenda),
            key(Command::AgendaEarlier),
            key(Command::AgendaLater),
            key(Command::AgendaLonger),
            key(Command::AgendaShorter)
        ),
        theme::dim(color),
    ));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
