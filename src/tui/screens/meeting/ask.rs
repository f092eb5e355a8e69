//! What a meeting asks to be typed: the team's cards, a criterion, a
//! topic to park, a story to go to on the bottom line; a decision, a
//! question, an answer or a comment, which may take several lines, in a
//! box over the story.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use super::MeetingPane;
use crate::meeting::poker::Round;
use crate::model::{Comment, Stamp, StoryId, StoryPatch, renumber};
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{Areas, centered};
use crate::tui::screens::Screen;
use crate::tui::theme;
use crate::tui::typing::TextField;
use crate::tui::view::{keys_line, render_prompt};

/// What is being typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AskFor {
    /// The team's planning poker cards.
    Cards,
    Criterion,
    Decision,
    Question,
    Comment,
    /// The answer to question number (from 1).
    Answer(usize),
    /// Comment number's new text (from 1).
    Edit(usize),
    /// A topic for the parking lot.
    Park,
    /// A story's id to go to.
    GoTo,
}

impl AskFor {
    /// Whether the text may take several lines.
    #[must_use]
    pub fn is_note(self) -> bool {
        matches!(
            self,
            AskFor::Decision
                | AskFor::Question
                | AskFor::Comment
                | AskFor::Answer(_)
                | AskFor::Edit(_)
        )
    }

    /// Whether it is about the story on screen, which must still be there.
    #[must_use]
    pub fn needs_story(self) -> bool {
        !matches!(self, AskFor::Park | AskFor::GoTo | AskFor::Cards)
    }

    fn label(self, id: StoryId) -> String {
        match self {
            AskFor::Cards => "Cards (e.g. 3 5 5 8): ".into(),
            AskFor::Criterion => "New acceptance criterion: ".into(),
            AskFor::Decision => format!(" Decision on {id} "),
            AskFor::Question => format!(" Open question on {id} "),
            AskFor::Comment => format!(" Comment on {id} "),
            AskFor::Answer(n) => format!(" Answer to question {n} on {id} "),
            AskFor::Edit(n) => format!(" Comment {n} on {id} "),
            AskFor::Park => "Park a topic: ".into(),
            AskFor::GoTo => "Go to story (e.g. S-22): ".into(),
        }
    }
}

/// Text being typed for the meeting.
#[derive(Clone, Debug)]
pub struct Ask {
    pub what: AskFor,
    /// The story on screen when it was asked.
    pub id: StoryId,
    pub input: TextField,
}

impl Ask {
    #[must_use]
    pub fn new(what: AskFor, id: StoryId, text: &str) -> Self {
        Ask {
            what,
            id,
            input: TextField::new(text, what.is_note()),
        }
    }

    fn keep(&self, ctx: &mut Ctx) {
        let text = self.input.text().trim().to_string();
        if text.is_empty() {
            let cancel = ctx.key(self.context(), Command::CancelField);
            ctx.warn(format!("Type some text, or {cancel} to cancel"));
            return;
        }
        if answered(self.what, self.id, &text, ctx) {
            ctx.close();
        }
    }
}

impl Screen for Ask {
    fn context(&self) -> Context {
        if self.what.is_note() {
            Context::MeetingNote
        } else {
            Context::Prompt
        }
    }

    fn takes_text(&self) -> bool {
        true
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        match command {
            Command::StopTyping if self.input.text().trim().is_empty() => ctx.close(),
            Command::KeepField | Command::StopTyping => self.keep(ctx),
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
        let label = self.what.label(self.id);
        if !self.what.is_note() {
            render_prompt(&label, &self.input, &hints, app.color, frame, areas.keys);
            return;
        }
        let width = areas.main.width.saturating_sub(8).clamp(20, 90);
        let popup = centered(areas.main, width, 9);
        frame.render_widget(Clear, popup);
        let block = Block::bordered()
            .title(Line::styled(label, theme::title()))
            .border_type(theme::border(true, app.color).0)
            .border_style(theme::border(true, app.color).1);
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        let field = Rect {
            height: inner.height.saturating_sub(1),
            ..inner
        };
        self.input.render(frame, field, app.color);
        let mut keys: Vec<(&str, &str)> = hints.iter().map(|(k, w)| (k.as_str(), *w)).collect();
        keys.push(("Ctrl-J", "new line"));
        let foot = Rect {
            y: inner.y + inner.height.saturating_sub(1),
            height: 1,
            ..inner
        };
        frame.render_widget(Paragraph::new(keys_line(app.color, &keys)), foot);
    }

    fn story(&self) -> Option<StoryId> {
        self.what.needs_story().then_some(self.id)
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        self.id = renumber(self.id, changes);
    }
}

/// Do with `text` what was asked for, about story `id`. True when it was
/// taken; when not, the status bar says why and the text stays to be
/// put right.
pub fn answered(what: AskFor, id: StoryId, text: &str, ctx: &mut Ctx) -> bool {
    let now = ctx.now();
    let stamp = Stamp {
        at: now,
        by: ctx.author().to_string(),
    };
    match what {
        AskFor::Cards => cards(text, ctx),
        AskFor::Criterion => {
            let patch = StoryPatch {
                add_criteria: vec![text.to_string()],
                ..StoryPatch::default()
            };
            let done = ctx.edit_story(id, &patch);
            if done {
                ctx.notify(format!("Criterion added to {id}"));
            }
            done
        }
        AskFor::Decision | AskFor::Question | AskFor::Comment => {
            let mut comment = Comment::new(now, stamp.by, text);
            comment.decision = what == AskFor::Decision;
            comment.question = what == AskFor::Question;
            let label = match what {
                AskFor::Decision => "decision",
                AskFor::Question => "question",
                _ => "comment",
            };
            let done = ctx
                .change(format!("{label} on {id}"), |b| b.comment(id, comment))
                .is_some();
            if done {
                ctx.table().story_changed(id);
                ctx.notify(format!(
                    "{} recorded on {id}",
                    crate::words::capitalised(label)
                ));
            }
            done
        }
        AskFor::Answer(number) => {
            let done = ctx
                .change(format!("answer on {id}"), |b| {
                    b.answer(id, number, text, stamp)
                })
                .is_some();
            if done {
                ctx.table().story_changed(id);
                ctx.notify(format!("Question {number} on {id} answered"));
            }
            done
        }
        AskFor::Edit(number) => {
            let unchanged = ctx
                .backlog()
                .get(id)
                .and_then(|story| story.comments.get(number - 1))
                .is_some_and(|comment| comment.text.trim() == text.trim());
            if unchanged {
                ctx.notify(format!("Comment {number} on {id} is as it was"));
                return true;
            }
            let done = ctx
                .change(format!("edit comment on {id}"), |b| {
                    b.edit_comment(id, number, text, stamp)
                })
                .is_some();
            if done {
                ctx.notify(format!("Comment {number} on {id} edited"));
            }
            done
        }
        AskFor::Park => park(text, ctx),
        AskFor::GoTo => go_to(text, ctx),
    }
}

/// A planning poker round: on screen, and in the minutes.
fn cards(text: &str, ctx: &mut Ctx) -> bool {
    let scale = ctx.backlog().product.settings.scale;
    let round = match Round::parse(text, scale) {
        Ok(round) => round,
        Err(why) => {
            ctx.warn(why);
            return false;
        }
    };
    let spread = round.spread(scale);
    let agree = ctx.key(Context::Meeting, Command::AgreeEstimate);
    let Some(pane) = ctx.screen_mut::<MeetingPane>() else {
        return false;
    };
    let Some(meeting) = pane.meeting.as_mut() else {
        return false;
    };
    meeting.play(round);
    pane.touched();
    let said = if spread.consensus {
        format!("Consensus: {agree} takes {}", scale.label(spread.suggested))
    } else {
        format!(
            "The lowest and the highest speak first, then play again; {agree} takes {}",
            scale.label(spread.suggested)
        )
    };
    ctx.notify(said);
    true
}

fn park(text: &str, ctx: &mut Ctx) -> bool {
    let now = ctx.now();
    let Some(pane) = ctx.screen_mut::<MeetingPane>() else {
        return false;
    };
    let parked = pane.meeting.as_mut().map(|meeting| meeting.park(text, now));
    match parked {
        Some(Ok(())) => {
            pane.touched();
            ctx.notify("Parked: it goes in the minutes");
            true
        }
        Some(Err(why)) => {
            ctx.warn(why);
            false
        }
        None => false,
    }
}

fn go_to(text: &str, ctx: &mut Ctx) -> bool {
    let text = text.trim().trim_start_matches(':');
    let id = text
        .parse::<StoryId>()
        .ok()
        .or_else(|| text.parse::<u64>().ok().map(StoryId));
    let Some(id) = id else {
        ctx.warn(format!("{text:?} is not a story id: type one like S-22"));
        return false;
    };
    if ctx.backlog().get(id).is_none() {
        ctx.warn(format!("There is no {id} in the backlog"));
        return false;
    }
    super::put_on_agenda(id, ctx);
    true
}
