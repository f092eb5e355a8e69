//! The split dialog: a new story right after the selected one, in its
//! epic with its labels, taking the acceptance criteria chosen.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::{Screen, choice_row};
use crate::model::{Story, StoryId, renumber};
use crate::text::one_line;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{Areas, centered};
use crate::tui::theme;
use crate::tui::typing::TextField;

/// The split dialog: the story split, and what the new one takes.
#[derive(Clone, Debug)]
pub struct Split {
    pub id: StoryId,
    /// The new story's title.
    pub title: TextField,
    /// For each acceptance criterion, whether it moves to the new story.
    pub moving: Vec<bool>,
    /// The criteria as they were when the dialog opened: `moving` is about
    /// these, so a change made elsewhere meanwhile is noticed, not acted
    /// on by position.
    pub criteria: Vec<crate::model::Criterion>,
    /// The criterion under the cursor.
    pub row: usize,
    /// Keys go to the criteria list rather than the title.
    pub on_list: bool,
}

impl Split {
    /// The dialog on `story`, its title to start from.
    #[must_use]
    pub fn of(story: &Story) -> Self {
        Split {
            id: story.id,
            title: TextField::new(&story.title, false),
            moving: vec![false; story.acceptance_criteria.len()],
            criteria: story.acceptance_criteria.clone(),
            row: 0,
            on_list: false,
        }
    }

    /// Make the new story, right after the original.
    fn submit(&mut self, ctx: &mut Ctx) {
        let id = self.id;
        let title = self.title.line();
        if title.is_empty() {
            ctx.warn("The new story needs a title");
            return;
        }
        let moving: Vec<usize> = self
            .moving
            .iter()
            .enumerate()
            .filter(|(_, m)| **m)
            .map(|(i, _)| i)
            .collect();
        let current = ctx.backlog().get(id).map(|s| s.acceptance_criteria.clone());
        if current.as_ref() != Some(&self.criteria) {
            let Some(current) = current else {
                ctx.close();
                ctx.warn(format!("{id} is gone: deleted elsewhere"));
                return;
            };
            self.moving = vec![false; current.len()];
            self.row = 0;
            self.criteria = current;
            ctx.warn("The criteria changed elsewhere meanwhile: choose again");
            return;
        }
        let now = ctx.now();
        let next = StoryId(ctx.backlog().next_id());
        let what = format!("split {id} into {next}");
        let Some(new_id) = ctx.change(what, |b| b.split(id, &title, &moving, now)) else {
            return;
        };
        ctx.close();
        ctx.table().story_changed(id);
        ctx.table().story_added(new_id);
        let criteria = match moving.len() {
            0 => String::new(),
            1 => ", taking 1 criterion".to_string(),
            n => format!(", taking {n} criteria"),
        };
        ctx.notify(format!("Split {id} into {new_id}{criteria}"));
    }
}

impl Screen for Split {
    fn context(&self) -> Context {
        if self.on_list {
            Context::SplitCriteria
        } else {
            Context::Split
        }
    }

    fn takes_text(&self) -> bool {
        !self.on_list
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        match command {
            Command::SwitchFocus if self.moving.is_empty() => {
                ctx.warn("The story has no acceptance criteria to move");
            }
            Command::SwitchFocus => self.on_list = !self.on_list,
            // The title is kept as typed; the dialog stays, for the
            // criteria or the split.
            Command::StopTyping => self.on_list = true,
            Command::SelectNext => {
                self.row = (self.row + 1).min(self.moving.len().saturating_sub(1));
            }
            Command::SelectPrevious => self.row = self.row.saturating_sub(1),
            Command::ToggleMoving => {
                if let Some(moving) = self.moving.get_mut(self.row) {
                    *moving = !*moving;
                }
            }
            Command::Confirm => self.submit(ctx),
            Command::Cancel => ctx.close(),
            _ => {}
        }
        None
    }

    fn input(&mut self, key: KeyEvent, _ctx: &mut Ctx) {
        self.title.type_key(key);
    }

    fn paste(&mut self, text: &str, _ctx: &mut Ctx) {
        self.title.paste(text);
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        render(app, self, frame, areas.screen);
    }

    fn story(&self) -> Option<StoryId> {
        Some(self.id)
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        self.id = renumber(self.id, changes);
    }
}

/// The split dialog: the new story's title, and which criteria it takes.
fn render(app: &App, split: &Split, frame: &mut Frame, area: Rect) {
    let Some(story) = app.backlog.get(split.id) else {
        return;
    };
    let width = area.width.min(76);
    let criteria = story.acceptance_criteria.len();
    let height = u16::try_from(criteria.max(1) + 9).unwrap_or(u16::MAX);
    let popup = centered(area, width, height);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_type(BorderType::Thick)
        .title(format!(" Split {} ", split.id));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [intro, label, field, _, list_label, list, _, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(Line::styled(
            format!(
                "A new story right after {}, in its epic, with its labels.",
                split.id
            ),
            theme::dim(app.color),
        )),
        intro,
    );
    let focus = |on: bool| {
        if on {
            theme::key(app.color)
        } else {
            theme::title()
        }
    };
    frame.render_widget(
        Paragraph::new(Line::styled("New story's title:", focus(!split.on_list))),
        label,
    );
    if split.on_list {
        split.title.render_unfocused(frame, field, app.color);
    } else {
        split.title.render(frame, field, app.color);
    }
    frame.render_widget(
        Paragraph::new(Line::styled(
            "Criteria that move to the new story:",
            focus(split.on_list),
        )),
        list_label,
    );
    let lines = split_criteria(split, app.color);
    let skip = split
        .row
        .saturating_sub(usize::from(list.height.saturating_sub(1)));
    frame.render_widget(
        Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()),
        list,
    );
    let context = split.context();
    let key = |command| app.key(context, command);
    let hints = if split.on_list {
        format!(
            "{} choose  {} move/keep  {} title  {} split  {} cancel",
            app.keymap
                .pair(context, Command::SelectNext, Command::SelectPrevious),
            key(Command::ToggleMoving),
            key(Command::SwitchFocus),
            key(Command::Confirm),
            key(Command::Cancel)
        )
    } else {
        format!(
            "type the title  {} criteria  {} split  {} cancel",
            key(Command::SwitchFocus),
            key(Command::Confirm),
            key(Command::Cancel)
        )
    };
    frame.render_widget(
        Paragraph::new(Line::styled(hints, theme::dim(app.color))),
        keys,
    );
}

/// The split dialog's criteria, each marked staying or moving.
fn split_criteria(split: &Split, color: bool) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = split
        .criteria
        .iter()
        .zip(&split.moving)
        .enumerate()
        .map(|(row, (criterion, moving))| {
            let mark = if *moving { "[→] " } else { "[ ] " };
            choice_row(
                split.on_list && row == split.row,
                [
                    Span::styled(mark, theme::title()),
                    Span::raw(one_line(&criterion.text).into_owned()),
                ],
            )
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(
            "  none: the story has no criteria",
            theme::dim(color),
        ));
    }
    lines
}
