//! Yes/no questions about a story: delete it, or set it to ready although
//! it fails the Definition of Ready. Nothing changes until the answer is
//! yes.

use ratatui::Frame;
use ratatui::text::Line;

use super::Screen;
use crate::model::{Stamp, Status, StoryId, StoryPatch, renumber};
use crate::text::one_line;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{Areas, truncated};
use crate::tui::theme;
use crate::tui::view::{BoxStyle, keys_line, message_box};

/// What is asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Question {
    /// Delete the story.
    Delete(StoryId),
    /// Set the story to ready although it lacks what is listed; the
    /// override is recorded on it.
    ReadyAnyway { id: StoryId, missing: Vec<String> },
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
        }
    }

    fn story(&self) -> Option<StoryId> {
        match &self.question {
            Question::Delete(id) | Question::ReadyAnyway { id, .. } => Some(*id),
        }
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        match &mut self.question {
            Question::Delete(id) | Question::ReadyAnyway { id, .. } => {
                *id = renumber(*id, changes);
            }
        }
    }
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
