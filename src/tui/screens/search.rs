//! Typing a search on the bottom line: the table narrows as it changes.
//! Keeping it keeps it as a filter; cancelling goes back to the search
//! before.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

use super::Screen;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::Areas;
use crate::tui::typing::TextField;
use crate::tui::view::render_prompt;

/// A search being typed.
#[derive(Clone, Debug)]
pub struct Search {
    pub input: TextField,
    /// The query to go back to when the search is cancelled.
    pub before: String,
}

impl Search {
    /// A search starting from the table's query now.
    #[must_use]
    pub fn new(query: &str) -> Self {
        Search {
            input: TextField::new(query, false),
            before: query.to_string(),
        }
    }
}

impl Screen for Search {
    fn context(&self) -> Context {
        Context::Search
    }

    fn takes_text(&self) -> bool {
        true
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        match command {
            Command::KeepField => {
                ctx.close();
                ctx.say_how_many_shown();
            }
            Command::CancelField => {
                ctx.close();
                // As a search typed: a big backlog is searched off the loop.
                ctx.table().search(std::mem::take(&mut self.before));
            }
            _ => {}
        }
        None
    }

    fn input(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        if self.input.type_key(key) {
            ctx.table().search(self.input.text());
        }
    }

    fn paste(&mut self, text: &str, ctx: &mut Ctx) {
        if self.input.paste(text) {
            ctx.table().search(self.input.text());
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        let hints = self.hints(&app.keymap);
        render_prompt(
            "Search: ",
            &self.input,
            &hints,
            app.color,
            frame,
            areas.keys,
        );
    }
}
