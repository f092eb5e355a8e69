//! A value of the product owner's own for a clash, typed on the bottom
//! line as every prompt is (the keys of the `prompt` context), starting
//! from ours: text for a text field, else JSON as the file spells it.
//! What cannot be the field's value is refused, saying why, and stays
//! to be fixed.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

use super::settle_clash;
use crate::model::{Clash, Settle, StoryId, renumber};
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::Areas;
use crate::tui::screens::Screen;
use crate::tui::typing::TextField;
use crate::tui::view::render_prompt;

/// The value being typed for the clash on `field` of `story`.
#[derive(Clone, Debug)]
pub struct EditClash {
    pub story: Option<StoryId>,
    pub field: String,
    pub input: TextField,
}

impl EditClash {
    /// A prompt for `clash`, holding ours to start from.
    #[must_use]
    pub fn new(clash: &Clash) -> Self {
        EditClash {
            story: clash.story,
            field: clash.field.clone(),
            input: TextField::new(&clash.typed(&clash.ours), false),
        }
    }

    fn label(&self) -> String {
        format!("{}: ", super::named(self.story, &self.field))
    }

    /// Settle the clash with what was typed; true when it was.
    fn submit(&self, ctx: &mut Ctx) -> bool {
        let Some(clash) = ctx
            .backlog()
            .clashes()
            .iter()
            .find(|c| c.is(self.story, &self.field))
        else {
            ctx.warn("That clash is settled already");
            return true;
        };
        match clash.value_typed(&self.input.text()) {
            Ok(value) => settle_clash(self.story, &self.field, Settle::Value(value), ctx),
            Err(e) => {
                let cancel = ctx.key(Context::Prompt, Command::CancelField);
                ctx.fail(format!("{e}; fix it, or {cancel} to cancel"));
                false
            }
        }
    }
}

impl Screen for EditClash {
    fn context(&self) -> Context {
        Context::Prompt
    }

    fn takes_text(&self) -> bool {
        true
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        match command {
            // Stopping typing keeps what was typed, as in every prompt.
            Command::KeepField | Command::StopTyping if self.submit(ctx) => ctx.close(),
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
            &self.label(),
            &self.input,
            &hints,
            app.color,
            frame,
            areas.keys,
        );
    }

    fn story(&self) -> Option<StoryId> {
        self.story
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        if let Some(id) = &mut self.story {
            *id = renumber(*id, changes);
        }
    }
}
