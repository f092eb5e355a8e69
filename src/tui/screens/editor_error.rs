//! The choice after `$EDITOR` gave back a document that cannot be
//! applied: what is wrong, and edit the same text again or discard it;
//! when the text names an epic there is not, also create it and apply
//! the text. The story is unchanged until then, and the text is kept.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::text::Line;

use super::Screen;
use crate::model::{Story, StoryId, renumber};
use crate::text::one_line;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::Areas;
use crate::tui::round_trip;
use crate::tui::theme;
use crate::tui::view::{BoxStyle, keys_line, message_box};

/// An epic a story document named that the backlog lacks, and the story
/// as it was when the document was refused: creating the epic applies
/// the document only over that very story, never over a change made
/// elsewhere since.
#[derive(Clone, Debug)]
pub struct UnknownEpic {
    pub name: String,
    pub story: Arc<Story>,
}

/// A document that was not applied.
#[derive(Clone, Debug)]
pub struct EditorError {
    pub id: StoryId,
    /// The user's text, as the editor gave it back.
    pub text: String,
    /// Why it was not applied.
    pub error: String,
    /// Set when the text was refused for naming an epic there is not.
    pub unknown_epic: Option<UnknownEpic>,
}

impl Screen for EditorError {
    fn context(&self) -> Context {
        if self.unknown_epic.is_some() {
            Context::EditorErrorEpic
        } else {
            Context::EditorError
        }
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        match command {
            // The loop takes the text from here (`App::hand_to_editor`),
            // which closes this.
            Command::EditAgain => return Some(Effect::OpenEditor { id: self.id }),
            Command::CreateEpicAndApply => {
                let Some(unknown) = &self.unknown_epic else {
                    return None;
                };
                ctx.close();
                let id = self.id;
                let text = std::mem::take(&mut self.text);
                if ctx.backlog().get(id) == Some(&*unknown.story) {
                    round_trip::apply(ctx, id, text, true);
                } else {
                    round_trip::not_applied(
                        ctx,
                        id,
                        text,
                        format!(
                            "{id} was changed elsewhere meanwhile, and your text would undo that change"
                        ),
                    );
                }
            }
            Command::DiscardEdit => {
                ctx.close();
                ctx.notify(format!("Discarded your edit; {} is unchanged", self.id));
            }
            _ => {}
        }
        None
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        let id = self.id;
        let hints = self.hints(&app.keymap);
        let lines = vec![
            Line::from(format!("Your edit of {id} was not applied:")).style(theme::title()),
            Line::from(""),
            Line::styled(one_line(&self.error).into_owned(), theme::error(app.color)),
            Line::from(""),
            Line::from(format!(
                "{id} is unchanged, and your text is kept until you choose."
            )),
            Line::from(""),
            // The keys the box takes, from the keymap: an unknown epic adds
            // the one that creates it.
            keys_line(
                app.color,
                &hints
                    .iter()
                    .map(|(key, hint)| (key.as_str(), *hint))
                    .collect::<Vec<_>>(),
            ),
        ];
        let style = BoxStyle {
            width: 70,
            spare_rows: 2,
            centred_text: false,
        };
        message_box(frame, areas.screen, "Not saved", lines, style);
    }

    fn story(&self) -> Option<StoryId> {
        Some(self.id)
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        self.id = renumber(self.id, changes);
    }
}
