//! The inbox's questions, typed on the bottom line as every prompt is
//! (the keys of the `prompt` context): why an item is dismissed, and
//! for an item added here, what the customer said and who they are.
//! Stopping typing keeps what was typed, as in every prompt; only
//! cancelling throws it away.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

use super::Added;
use crate::model::{Backlog, Feedback, FeedbackId, Story};
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::Areas;
use crate::tui::screens::Screen;
use crate::tui::typing::TextField;
use crate::tui::view::render_prompt;

/// What is asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Asking {
    /// Why item is dismissed: a reason is needed.
    Reason(FeedbackId),
    /// What the customer said, for a new item.
    Text,
    /// Who said `text`, for a new item.
    Customer { text: String },
}

/// A question being answered.
#[derive(Clone, Debug)]
pub struct Ask {
    pub asking: Asking,
    pub input: TextField,
    added: Added,
}

impl Ask {
    /// Ask `asking`, the answer starting as `text`; an item added is told
    /// to `added`.
    #[must_use]
    pub fn new(asking: Asking, text: &str, added: Added) -> Self {
        Ask {
            asking,
            input: TextField::new(text, false),
            added,
        }
    }

    fn label(&self) -> String {
        match &self.asking {
            Asking::Reason(id) => format!("Why dismiss {id}? "),
            Asking::Text => "Customer feedback: ".to_string(),
            Asking::Customer { .. } => "From which customer: ".to_string(),
        }
    }

    /// Keep what was typed; true when it was kept.
    fn submit(&self, ctx: &mut Ctx) -> bool {
        let typed = self.input.line();
        let cancel = ctx.key(Context::Prompt, Command::CancelField);
        if typed.is_empty() {
            ctx.warn(match &self.asking {
                Asking::Reason(id) => {
                    format!("Say why {id} is dismissed, or {cancel} to keep it")
                }
                Asking::Text => format!("Type what the customer said, or {cancel} to cancel"),
                Asking::Customer { .. } => {
                    format!("Name the customer (a person or company), or {cancel} to cancel")
                }
            });
            return false;
        }
        let now = ctx.now();
        match &self.asking {
            Asking::Reason(id) => {
                let id = *id;
                if ctx
                    .change(format!("dismiss {id}"), |b| {
                        b.dismiss_feedback(id, &typed, now)
                    })
                    .is_none()
                {
                    return false;
                }
                let reopen = ctx.key(Context::Inbox, Command::ReopenFeedback);
                ctx.notify(format!("Dismissed {id} · {reopen} reopens it"));
            }
            Asking::Text => {
                ctx.open(Ask::new(
                    Asking::Customer { text: typed },
                    "",
                    self.added.clone(),
                ));
            }
            Asking::Customer { text } => {
                let next = ctx.backlog().next_feedback_id();
                let item = Feedback::new(next, text.clone(), typed, now);
                let Some(id) = ctx.change(format!("add {next}"), |b| b.add_feedback(item)) else {
                    return false;
                };
                self.added.set(id);
                let up = ctx.key(Context::Inbox, Command::ImportanceUp);
                ctx.notify(format!(
                    "Added {id}, {}: {up} makes it more important",
                    crate::model::Importance::default()
                ));
            }
        }
        true
    }
}

impl Screen for Ask {
    fn context(&self) -> Context {
        Context::Prompt
    }

    fn takes_text(&self) -> bool {
        true
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        let closes = match command {
            Command::KeepField => self.submit(ctx),
            // Done typing: what was typed is kept; nothing typed is
            // nothing lost.
            Command::StopTyping => self.input.line().is_empty() || self.submit(ctx),
            Command::CancelField => true,
            _ => false,
        };
        if closes {
            ctx.close();
        }
        None
    }

    fn input(&mut self, key: KeyEvent, _ctx: &mut Ctx) {
        self.input.type_key(key);
    }

    fn paste(&mut self, text: &str, _ctx: &mut Ctx) {
        self.input.paste(text);
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        let hints = self.hints(&app.keymap);
        render_prompt(
            &self.label(),
            &self.input,
            &hints,
            app.color,
            frame,
            areas.keys,
        );
    }

    /// The item being dismissed gone meanwhile (an undo, another
    /// writer), the question goes.
    fn follow(&mut self, _before: Option<&Story>, now: &Backlog) -> bool {
        match self.asking {
            Asking::Reason(id) => now.feedback_item(id).is_ok(),
            Asking::Text | Asking::Customer { .. } => true,
        }
    }
}
