//! One line typed on the bottom line, over the key hints: a new story's
//! title, a comment, an open question, kept or cancelled with the keys of
//! the `prompt` context. Stopping typing keeps it too (with nothing typed,
//! it closes): only cancelling throws typed text away.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

use super::Screen;
use crate::model::{Comment, Placement, StoryId, StoryPatch, renumber};
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::Areas;
use crate::tui::typing::TextField;
use crate::tui::view::render_prompt;

/// What the line is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    NewStory,
    Comment(StoryId),
    Question(StoryId),
}

impl Purpose {
    /// The prompt's label.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Purpose::NewStory => "New story title: ",
            Purpose::Comment(_) => "Comment: ",
            Purpose::Question(_) => "Open question: ",
        }
    }
}

/// A line being typed.
#[derive(Clone, Debug)]
pub struct Prompt {
    pub purpose: Purpose,
    pub input: TextField,
}

impl Prompt {
    #[must_use]
    pub fn new(purpose: Purpose) -> Self {
        Prompt {
            purpose,
            input: TextField::new("", false),
        }
    }
}

impl Screen for Prompt {
    fn context(&self) -> Context {
        Context::Prompt
    }

    fn takes_text(&self) -> bool {
        true
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        match command {
            Command::KeepField => {
                let text = self.input.text().trim().to_string();
                if submit(self.purpose, text, ctx) {
                    ctx.close();
                }
            }
            // Done typing: what was typed is kept; nothing typed is
            // nothing lost.
            Command::StopTyping => {
                let text = self.input.text().trim().to_string();
                if text.is_empty() || submit(self.purpose, text, ctx) {
                    ctx.close();
                }
            }
            Command::CancelField => ctx.close(),
            _ => {}
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
            self.purpose.label(),
            &self.input,
            &hints,
            app.color,
            frame,
            areas.keys,
        );
    }

    fn story(&self) -> Option<StoryId> {
        match self.purpose {
            Purpose::NewStory => None,
            Purpose::Comment(id) | Purpose::Question(id) => Some(id),
        }
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        if let Purpose::Comment(id) | Purpose::Question(id) = &mut self.purpose {
            *id = renumber(*id, changes);
        }
    }
}

/// Keep what was typed; true when it was kept.
fn submit(purpose: Purpose, text: String, ctx: &mut Ctx) -> bool {
    if text.is_empty() {
        let cancel = ctx.key(Context::Prompt, Command::CancelField);
        ctx.warn(match purpose {
            Purpose::NewStory => format!("A story needs a title: type one, or {cancel} to cancel"),
            Purpose::Comment(_) | Purpose::Question(_) => {
                format!("Type some text, or {cancel} to cancel")
            }
        });
        return false;
    }
    let now = ctx.now();
    match purpose {
        Purpose::NewStory => {
            let placement = match ctx.table().selected_story() {
                Some(story) => Placement::After(story.id),
                None => Placement::Bottom,
            };
            let next = StoryId(ctx.backlog().next_id());
            let Some(id) = ctx.change(format!("add {next}"), |b| {
                b.add(&StoryPatch::title(text), placement, now)
            }) else {
                return false;
            };
            ctx.table().story_added(id);
            ctx.notify(format!("Added {id}"));
        }
        Purpose::Comment(id) | Purpose::Question(id) => {
            let question = matches!(purpose, Purpose::Question(_));
            let comment = Comment {
                at: now,
                author: ctx.author().to_string(),
                text,
                question,
                resolved: None,
                decision: false,
                answer: None,
                edited: None,
            };
            let label = if question {
                format!("question on {id}")
            } else {
                format!("comment on {id}")
            };
            if ctx.change(label, |b| b.comment(id, comment)).is_none() {
                return false;
            }
            ctx.table().story_changed(id);
            ctx.notify(if question {
                format!("Asked on {id}: open questions keep it from being ready")
            } else {
                format!("Commented on {id}")
            });
        }
    }
    true
}
