//! After an item is converted: the offer to open its new story in the
//! story form, where the owner completes the user story the conversion
//! could only guess at. Saying no leaves the draft at the bottom of the
//! backlog, to be groomed later.

use ratatui::Frame;
use ratatui::text::Line;

use crate::model::{Backlog, FeedbackId, Story, StoryId, renumber};
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{Areas, ellipsized};
use crate::tui::screens::Screen;
use crate::tui::screens::form::StoryForm;
use crate::tui::theme;
use crate::tui::view::{BoxStyle, keys_line, message_box};

/// The question, about the story `item` became.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenStory {
    pub item: FeedbackId,
    pub story: StoryId,
}

const STYLE: BoxStyle = BoxStyle {
    width: 64,
    // For the lines a narrow terminal wraps.
    spare_rows: 2,
    centred_text: false,
};

impl Screen for OpenStory {
    fn context(&self) -> Context {
        Context::Confirm
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        match command {
            Command::Confirm => {
                ctx.close();
                // The backlog shows it selected once the form closes.
                ctx.table().reselect(Some(self.story));
                ctx.open(StoryForm::new(self.story));
            }
            Command::Cancel => ctx.close(),
            _ => {}
        }
        None
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        let Some(story) = app.backlog.get(self.story) else {
            return;
        };
        let yes = app.key(Context::Confirm, Command::Confirm);
        let no = app.key(Context::Confirm, Command::Cancel);
        let width = STYLE.width.min(areas.screen.width).saturating_sub(2);
        let mut lines = vec![
            Line::from(format!(
                "{} is now {}, a draft at the bottom:",
                self.item, story.id
            ))
            .style(theme::title()),
            Line::from(ellipsized(&story.title, width)),
            Line::from(""),
        ];
        // One line, whatever the title: a line that wrapped would push
        // the keys that answer out of the box, which is as tall as its
        // lines.
        if let Some(sentence) = story.user_story_sentence() {
            let guess = format!("A guess: {sentence}");
            lines.push(Line::from(ellipsized(&guess, width)));
        }
        lines.push(Line::from("Open it in the story form to complete it?"));
        lines.push(Line::from(""));
        lines.push(keys_line(app.color, &[(&yes, "open it"), (&no, "later")]));
        message_box(frame, areas.screen, "Converted", lines, STYLE);
    }

    fn story(&self) -> Option<StoryId> {
        Some(self.story)
    }

    /// The story gone meanwhile (an undo, another writer), there is
    /// nothing to open.
    fn follow(&mut self, _before: Option<&Story>, now: &Backlog) -> bool {
        now.get(self.story).is_some()
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        self.story = renumber(self.story, changes);
    }
}
