//! Yes/no questions about a story, or the stories marked: delete them, or
//! set them to ready although they fail the Definition of Ready. Nothing
//! changes until the answer is yes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::Screen;
use crate::model::{Stamp, Status, StoryId, StoryPatch, renumber};
use crate::text::one_line;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{Areas, ellipsized, truncated};
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
                let title = app
                    .backlog
                    .get(*id)
                    .map_or_else(String::new, |s| truncated(&s.title, area.width));
                let lines = vec![
                    Line::from(format!("Delete {id}?")).style(theme::title()),
                    Line::from(title),
                    Line::from(""),
                    keys_line(app.color, &[(&yes, "delete"), (&no, "keep")]),
                ];
                let style = BoxStyle {
                    width: 50,
                    spare_rows: 0,
                    centred_text: true,
                };
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
        }
    }

    fn story(&self) -> Option<StoryId> {
        match &self.question {
            Question::Delete(id) | Question::ReadyAnyway { id, .. } => Some(*id),
            Question::DeleteMarked(_) | Question::StatusesAnyway { .. } => None,
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
        }
    }
}

/// Ask whether to delete the marked stories `ids`, naming them.
fn render_delete_marked(app: &App, ids: &[StoryId], frame: &mut Frame, area: Rect) {
    let mut lines = vec![
        Line::from(format!(
            "Delete {}?",
            words::count(ids.len(), "marked story", "marked stories")
        ))
        .style(theme::title()),
    ];
    lines.extend(listed(app, ids, area.width));
    let (yes, no) = answers(app);
    lines.push(Line::from(""));
    lines.push(keys_line(app.color, &[(&yes, "delete"), (&no, "keep")]));
    let style = BoxStyle {
        width: 60,
        spare_rows: 0,
        centred_text: false,
    };
    message_box(frame, area, "Delete stories", lines, style);
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

/// The first of the stories `ids`, a line each, and how many more.
fn listed(app: &App, ids: &[StoryId], width: u16) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = ids
        .iter()
        .take(LISTED)
        .filter_map(|id| app.backlog.get(*id))
        .map(|story| {
            let room = width
                .saturating_sub(u16::try_from(story.id.to_string().len() + 6).unwrap_or(u16::MAX));
            Line::from(format!("{} {}", story.id, ellipsized(&story.title, room)))
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
