//! Typing a search on the bottom line: the table narrows as it changes.
//! `Enter` keeps it as a filter, `Esc` goes back to the search before.

use ratatui::Frame;

use super::Screen;
use crate::tui::action::{Action, Effect};
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::Context;
use crate::tui::layout::Areas;
use crate::tui::typing::TextField;
use crate::tui::view::render_prompt;

/// A search being typed.
#[derive(Clone, Debug)]
pub struct Search {
    pub input: TextField,
    /// The query to go back to on `Esc`.
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

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> Option<Effect> {
        match action {
            Action::Input(key) => {
                let changed = self.input.type_key(key);
                if changed {
                    ctx.table().search(self.input.text());
                }
            }
            Action::Paste(text) => {
                let changed = self.input.paste(&text);
                if changed {
                    ctx.table().search(self.input.text());
                }
            }
            Action::Submit => {
                ctx.close();
                ctx.say_how_many_shown();
            }
            Action::Cancel => {
                ctx.close();
                let mut table = ctx.table();
                table.table.filter.query = std::mem::take(&mut self.before);
                table.refilter();
            }
            _ => {}
        }
        None
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        let hints = self.hints();
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
