//! Yes/no questions about a story, or the stories marked: delete them, or
//! set them to ready although they fail the Definition of Ready. Nothing
//! changes until the answer is yes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Screen, meeting};
use crate::model::{Stamp, Status, StoryId, StoryPatch, renumber};
use crate::priority::{self, Framework};
use crate::text::one_line;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{Areas, ellipsized};
use crate::tui::screens::backlog::bulk;
use crate::tui::theme;
use crate::tui::view::{BoxStyle, keys_line, message_box};
use crate::words;

/// What is asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Question {
    /// Delete the story.
    Delete(StoryId),
    /// Set the story to ready although it lacks what is listed; the
    /// override is recorded on it.
    ReadyAnyway { id: StoryId, missing: Vec<String> },
    /// Delete the stories marked, these.
    DeleteMarked(Vec<StoryId>),
    /// Give each story its status, as one change, although those
    /// `not_ready` (with what each lacks) fail the Definition of Ready:
    /// the override is recorded on each.
    StatusesAnyway {
        changes: Vec<(StoryId, Status)>,
        not_ready: Vec<(StoryId, Vec<String>)>,
    },
    /// Put every story in the place `framework` suggests, as one change:
    /// `moves` stories would move, as the suggestion stood when asked.
    Reorder { framework: Framework, moves: usize },
    /// End the refinement meeting (the one under way, else the one left
    /// unfinished) and write its minutes.
    EndMeeting,
    /// Resume the meeting left unfinished.
    ResumeMeeting,
}

/// A question waiting for its answer.
#[derive(Clone, Debug)]
pub struct Confirm {
    pub question: Question,
}

impl Confirm {
    #[must_use]
    pub fn new(question: Question) -> Self {
        Confirm { question }
    }
}

impl Screen for Confirm {
    fn context(&self) -> Context {
        Context::Confirm
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        match command {
            Command::Confirm => {
                ctx.close();
                match &self.question {
                    Question::Delete(id) => delete(*id, ctx),
                    Question::ReadyAnyway { id, .. } => ready_anyway(*id, ctx),
                    Question::DeleteMarked(ids) => bulk::delete_all(ids, ctx),
                    Question::StatusesAnyway { changes, not_ready } => {
                        let overridden: Vec<StoryId> =
                            not_ready.iter().map(|(id, _)| *id).collect();
                        bulk::apply_statuses(changes, &overridden, ctx);
                    }
                    Question::Reorder { framework, .. } => reorder(*framework, ctx),
                    Question::EndMeeting => return meeting::end(ctx),
                    Question::ResumeMeeting => meeting::resume(ctx),
                }
            }
            Command::Cancel => ctx.close(),
            _ => {}
        }
        None
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        let area = areas.screen;
        let yes = app.key(Context::Confirm, Command::Confirm);
        let no = app.key(Context::Confirm, Command::Cancel);
        match &self.question {
            Question::Delete(id) => {
                let style = BoxStyle {
                    width: 50,
                    spare_rows: 0,
                    centred_text: true,
                };
                let title = app.backlog.get(*id).map_or_else(String::new, |s| {
                    ellipsized(&s.title, text_width(area, style))
                });
                let lines = vec![
                    Line::from(format!("Delete {id}?")).style(theme::title()),
                    Line::from(title),
                    Line::from(""),
                    keys_line(app.color, &[(&yes, "delete"), (&no, "keep")]),
                ];
                message_box(frame, area, "Delete story", lines, style);
            }
            Question::ReadyAnyway { id, missing } => {
                let mut lines = vec![
                    Line::from(format!("{id} does not meet the Definition of Ready:"))
                        .style(theme::title()),
                    Line::from(""),
                ];
                for reason in missing {
                    lines.push(Line::from(format!("• {}", one_line(reason))));
                }
                lines.push(Line::from(""));
                lines.push(Line::from(
                    "Set it to ready anyway? The override is recorded on the story.",
                ));
                lines.push(Line::from(""));
                lines.push(keys_line(
                    app.color,
                    &[(&yes, "set ready"), (&no, "leave it")],
                ));
                let style = BoxStyle {
                    width: 64,
                    spare_rows: 2,
                    centred_text: false,
                };
                message_box(frame, area, "Not ready", lines, style);
            }
            Question::DeleteMarked(ids) => render_delete_marked(app, ids, frame, area),
            Question::StatusesAnyway { changes, not_ready } => {
                render_statuses_anyway(app, changes.len(), not_ready, frame, area);
            }
            Question::Reorder { framework, moves } => {
                let lines = vec![
                    Line::from(format!(
                        "Put every story in the place {} suggests?",
                        framework.name()
                    ))
                    .style(theme::title()),
                    Line::from(format!(
                        "{} move; unscored stories keep their places.",
                        words::count(*moves, "story", "stories")
                    )),
                    Line::from("One undo puts the whole order back."),
                    Line::from(""),
                    keys_line(app.color, &[(&yes, "reorder"), (&no, "leave it")]),
                ];
                let style = BoxStyle {
                    width: 64,
                    spare_rows: 0,
                    centred_text: true,
                };
                message_box(frame, area, "Accept the suggested order", lines, style);
            }
            Question::EndMeeting => {
                let lines = vec![
                    Line::from("End the meeting and write its minutes?").style(theme::title()),
                    Line::from("Everything changed in it is in the backlog already."),
                    Line::from(""),
                    keys_line(app.color, &[(&yes, "end it"), (&no, "go on")]),
                ];
                let style = BoxStyle {
                    width: 60,
                    spare_rows: 0,
                    centred_text: true,
                };
                message_box(frame, area, "End the meeting", lines, style);
            }
            Question::ResumeMeeting => render_resume(app, frame, area),
        }
    }

    fn story(&self) -> Option<StoryId> {
        match &self.question {
            Question::Delete(id) | Question::ReadyAnyway { id, .. } => Some(*id),
            Question::DeleteMarked(_)
            | Question::StatusesAnyway { .. }
            | Question::Reorder { .. }
            | Question::EndMeeting
            | Question::ResumeMeeting => None,
        }
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        match &mut self.question {
            Question::Delete(id) | Question::ReadyAnyway { id, .. } => {
                *id = renumber(*id, changes);
            }
            Question::DeleteMarked(ids) => {
                for id in ids {
                    *id = renumber(*id, changes);
                }
            }
            Question::StatusesAnyway {
                changes: to,
                not_ready,
            } => {
                for (id, _) in to {
                    *id = renumber(*id, changes);
                }
                for (id, _) in not_ready {
                    *id = renumber(*id, changes);
                }
            }
            Question::Reorder { .. } | Question::EndMeeting | Question::ResumeMeeting => {}
        }
    }
}

/// Offer to resume the meeting left unfinished, saying what it was.
fn render_resume(app: &App, frame: &mut Frame, area: Rect) {
    let yes = app.key(Context::Confirm, Command::Confirm);
    let no = app.key(Context::Confirm, Command::Cancel);
    let mut lines =
        vec![Line::from("A refinement meeting was left unfinished.").style(theme::title())];
    if let Some(meeting) = &app.unfinished {
        let started = meeting
            .started
            .with_timezone(&chrono::Local)
            .format("%a %-d %b, %H:%M");
        let discussed = meeting.agenda().iter().filter(|i| i.discussed()).count();
        lines.push(Line::from(format!(
            "Started {started} by {}.",
            one_line(&meeting.facilitator)
        )));
        lines.push(Line::from(format!(
            "{discussed} of {} discussed in {}.",
            words::count(meeting.agenda().len(), "story", "stories"),
            crate::meeting::timebox::clock(meeting.elapsed(meeting.kept_at()))
        )));
    }
    lines.push(Line::from(
        "What it changed is in the backlog; its minutes are kept.",
    ));
    lines.push(Line::from(""));
    lines.push(keys_line(
        app.color,
        &[(&yes, "resume it"), (&no, "not now")],
    ));
    let style = BoxStyle {
        width: 64,
        spare_rows: 2,
        centred_text: true,
    };
    message_box(frame, area, "Resume the meeting?", lines, style);
}

/// Ask whether to delete the marked stories `ids`, naming them.
fn render_delete_marked(app: &App, ids: &[StoryId], frame: &mut Frame, area: Rect) {
    let style = BoxStyle {
        width: 60,
        spare_rows: 0,
        centred_text: false,
    };
    let mut lines = vec![
        Line::from(format!(
            "Delete {}?",
            words::count(ids.len(), "marked story", "marked stories")
        ))
        .style(theme::title()),
    ];
    lines.extend(listed(app, ids, text_width(area, style)));
    let (yes, no) = answers(app);
    lines.push(Line::from(""));
    lines.push(keys_line(app.color, &[(&yes, "delete"), (&no, "keep")]));
    message_box(frame, area, "Delete stories", lines, style);
}

/// Columns of text inside a question's box over `area`: a title longer
/// than that is cut to fit, since a line that wrapped would push the keys
/// that answer out of the box, which is as tall as its lines.
fn text_width(area: Rect, style: BoxStyle) -> u16 {
    style.width.min(area.width).saturating_sub(2)
}

/// Ask whether to set `count` stories' statuses although those
/// `not_ready` fail the Definition of Ready, saying what each lacks.
fn render_statuses_anyway(
    app: &App,
    count: usize,
    not_ready: &[(StoryId, Vec<String>)],
    frame: &mut Frame,
    area: Rect,
) {
    let mut lines = vec![
        Line::from(format!(
            "{} of the {} do not meet the Definition of Ready:",
            not_ready.len(),
            words::count(count, "story", "stories")
        ))
        .style(theme::title()),
        Line::from(""),
    ];
    for (id, missing) in not_ready.iter().take(LISTED) {
        lines.push(Line::from(format!(
            "• {id}: {}",
            one_line(&missing.join("; "))
        )));
    }
    if not_ready.len() > LISTED {
        lines.push(Line::from(format!(
            "  and {} more",
            not_ready.len() - LISTED
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(
        "Set them anyway? Each override is recorded on its story.",
    ));
    let (yes, no) = answers(app);
    lines.push(Line::from(""));
    lines.push(keys_line(
        app.color,
        &[(&yes, "set them all"), (&no, "change none")],
    ));
    let style = BoxStyle {
        width: 64,
        spare_rows: 2,
        centred_text: false,
    };
    message_box(frame, area, "Not ready", lines, style);
}

/// How many stories a question about marked stories names, at most.
const LISTED: usize = 6;

/// The keys that answer yes and no, as the keymap has them.
fn answers(app: &App) -> (String, String) {
    (
        app.key(Context::Confirm, Command::Confirm),
        app.key(Context::Confirm, Command::Cancel),
    )
}

/// The first of the stories `ids`, a line each `width` columns at most,
/// and how many more.
fn listed(app: &App, ids: &[StoryId], width: u16) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = ids
        .iter()
        .take(LISTED)
        .filter_map(|id| app.backlog.get(*id))
        .map(|story| {
            let id = story.id.to_string();
            let room = width.saturating_sub(u16::try_from(id.len() + 1).unwrap_or(u16::MAX));
            Line::from(format!("{id} {}", ellipsized(&story.title, room)))
        })
        .collect();
    if ids.len() > LISTED {
        lines.push(Line::from(format!("and {} more", ids.len() - LISTED)));
    }
    lines
}

fn delete(id: StoryId, ctx: &mut Ctx) {
    let position = ctx.backlog().position(id).ok();
    let Some(story) = ctx.change(format!("delete {id}"), |b| b.remove(id)) else {
        return;
    };
    match position {
        Some(position) => ctx.table().removed(position),
        None => ctx.table().keep_selection_visible(),
    }
    ctx.notify(format!("Deleted {id} {}", one_line(&story.title)));
}

/// Put every story in the place `framework` suggests, as the backlog is
/// now (another writer may have changed it since the question was asked),
/// as one change.
fn reorder(framework: Framework, ctx: &mut Ctx) {
    let proposal = priority::propose(
        ctx.backlog(),
        framework,
        &priority::Scoring::of(ctx.backlog(), ctx.now()),
    );
    let moves = proposal.moves(ctx.backlog()).count();
    let ids = proposal.ids(ctx.backlog());
    let keep = ctx.selected_story().map(|s| s.id);
    if ctx
        .change(format!("reorder by {}", framework.name()), |b| {
            b.reorder(&ids)
        })
        .is_none()
    {
        return;
    }
    ctx.table().recompute(keep);
    ctx.notify(format!(
        "Reordered by {}: {} moved",
        framework.name(),
        words::count(moves, "story", "stories")
    ));
}

/// Set a story to ready although it fails the Definition of Ready; the
/// override is recorded on the story.
fn ready_anyway(id: StoryId, ctx: &mut Ctx) {
    let now = ctx.now();
    let patch = StoryPatch {
        status: Some(Status::Ready),
        override_ready: Some(Stamp {
            at: now,
            by: ctx.author().to_string(),
        }),
        ..StoryPatch::default()
    };
    if ctx
        .change(format!("ready override on {id}"), |b| {
            b.edit(id, &patch, now)
        })
        .is_some()
    {
        ctx.table().story_changed(id);
        ctx.notify(format!("{id} is ready (override recorded)"));
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::model::{Backlog, Placement, StoryPatch};
    use crate::tui::action::Action;
    use crate::tui::view;

    /// The screen with `question` asked over a backlog of three stories
    /// whose titles are longer than the question's box is wide, on a
    /// terminal wider than the box.
    fn asked(question: Question) -> String {
        let now = chrono::Utc::now();
        let mut backlog = Backlog::new("Long titles");
        for n in 1..=3 {
            let title = format!("Story {n} {}", "word ".repeat(20));
            backlog
                .add(&StoryPatch::title(title), Placement::Bottom, now)
                .unwrap();
        }
        let mut app = App::new(backlog, "backlog.json");
        app.color = false;
        app.update(Action::Resize(140, 40));
        app.stack.push(Box::new(Confirm::new(question)));
        let mut terminal = Terminal::new(TestBackend::new(140, 40)).unwrap();
        terminal.draw(|frame| view::render(&app, frame)).unwrap();
        terminal.backend().to_string()
    }

    #[test]
    fn a_long_title_is_cut_to_the_box_and_the_answers_still_show() {
        for question in [
            Question::Delete(StoryId(1)),
            Question::DeleteMarked(vec![StoryId(1), StoryId(2)]),
        ] {
            let screen = asked(question.clone());
            assert!(
                screen.contains("y delete") && screen.contains("n keep"),
                "{question:?}: the keys that answer show\n{screen}"
            );
            assert!(
                screen.contains("Story 1 word"),
                "{question:?}: the title shows\n{screen}"
            );
            assert!(
                screen.contains('…'),
                "{question:?}: the title is cut with a mark\n{screen}"
            );
        }
    }
}
