//! The inputs panel: a story's prioritisation inputs, to weigh it. It
//! lists the inputs of the framework picked (every input, with none
//! picked), each with its value or "missing", and the score they give.
//! A value is typed on the framework's own scale and kept as one undo
//! step; one off the scale is refused with the values allowed, and the
//! field stays open to put it right.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{Screen, choice_row, clicked_row};
use crate::model::{Backlog, Input, PrioritySettings, Story, StoryId, StoryPatch, renumber};
use crate::priority::{self, Framework, Scoring};
use crate::text::one_line;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{Areas, centered, ellipsized};
use crate::tui::theme;
use crate::tui::typing::TextField;

/// The box is this wide at most.
const WIDTH: u16 = 80;
/// Columns of an input's name: the longest, "risk reduction /
/// opportunity enablement", and a space.
const LABEL_WIDTH: usize = 40;
/// Lines below the inputs: a blank, the score, what the selected input
/// takes, a blank, the keys.
const BELOW: usize = 5;

/// The panel over story `id`, on an input, typing its value or not.
#[derive(Clone, Debug)]
pub struct WeighPanel {
    pub id: StoryId,
    pub row: usize,
    pub typing: Option<TextField>,
}

impl WeighPanel {
    #[must_use]
    pub fn new(id: StoryId) -> Self {
        WeighPanel {
            id,
            row: 0,
            typing: None,
        }
    }

    /// The input selected, of those `inputs`.
    fn selected_input(&self, inputs: &[Input]) -> Option<Input> {
        inputs
            .get(self.row.min(inputs.len().saturating_sub(1)))
            .copied()
    }

    /// Keep the value typed for the selected input: set it (nothing
    /// typed: clear it). Refused, the field stays open with what was
    /// typed, and the status bar says what the input takes.
    fn keep(&mut self, ctx: &mut Ctx) {
        let inputs = inputs(ctx.framework(), &ctx.backlog().product.settings.priority);
        let (Some(input), Some(typing)) = (self.selected_input(&inputs), &self.typing) else {
            return;
        };
        let text = typing.line();
        let value = if text.trim().is_empty() {
            None
        } else {
            match input.parse(&text, &ctx.backlog().product.settings.priority) {
                Ok(value) => Some(value),
                Err(why) => {
                    ctx.fail(crate::words::capitalised(&why));
                    return;
                }
            }
        };
        if set(self.id, input, value, ctx) {
            self.typing = None;
        }
    }
}

/// The inputs the panel lists: the framework's, or, with none picked
/// (or a weighted engine that reads none), every input.
fn inputs(framework: Option<Framework>, settings: &PrioritySettings) -> Vec<Input> {
    match framework.map(|f| f.inputs(settings)) {
        Some(inputs) if !inputs.is_empty() => inputs,
        _ => Input::ALL.to_vec(),
    }
}

/// Set (or clear) story `id`'s `input`, as one undo step; say so. False
/// when refused.
fn set(id: StoryId, input: Input, value: Option<crate::model::InputValue>, ctx: &mut Ctx) -> bool {
    let patch = StoryPatch {
        inputs: vec![(input, value)],
        ..StoryPatch::default()
    };
    if !ctx.edit_story(id, &patch) {
        return false;
    }
    ctx.notify(match value {
        Some(value) => format!("{id}: {} is {value}", input.label()),
        None => format!("{id}: {} is cleared", input.label()),
    });
    true
}

impl Screen for WeighPanel {
    fn context(&self) -> Context {
        if self.typing.is_some() {
            Context::PanelLine
        } else {
            Context::Weigh
        }
    }

    fn takes_text(&self) -> bool {
        self.typing.is_some()
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        if let Some(typing) = &self.typing {
            match command {
                Command::KeepField => self.keep(ctx),
                // Done typing: what was typed is kept, nothing typed is
                // nothing lost.
                Command::StopTyping if typing.is_changed() => self.keep(ctx),
                Command::StopTyping | Command::CancelField => self.typing = None,
                _ => {}
            }
            return None;
        }
        let list = inputs(ctx.framework(), &ctx.backlog().product.settings.priority);
        let last = list.len().saturating_sub(1);
        match command {
            Command::SelectNext => self.row = (self.row + 1).min(last),
            Command::SelectPrevious => self.row = self.row.min(last).saturating_sub(1),
            Command::EditField => {
                let now = self
                    .selected_input(&list)
                    .zip(ctx.backlog().get(self.id))
                    .and_then(|(input, story)| input.get(&story.inputs));
                let text = now.map(|v| v.to_string()).unwrap_or_default();
                self.typing = Some(TextField::new(&text, false));
            }
            Command::ClearValue => {
                if let Some(input) = self.selected_input(&list) {
                    let had = ctx
                        .backlog()
                        .get(self.id)
                        .and_then(|story| input.get(&story.inputs));
                    if had.is_some() {
                        set(self.id, input, None, ctx);
                    } else {
                        ctx.notify(format!("{}: {} has no value", self.id, input.label()));
                    }
                }
            }
            Command::Undo => {
                ctx.undo(false, Some(self.id));
            }
            Command::Redo => {
                ctx.undo(true, Some(self.id));
            }
            Command::Close => ctx.close(),
            _ => {}
        }
        None
    }

    fn input(&mut self, key: KeyEvent, _ctx: &mut Ctx) {
        if let Some(typing) = &mut self.typing {
            typing.type_key(key);
        }
    }

    fn paste(&mut self, text: &str, _ctx: &mut Ctx) {
        if let Some(typing) = &mut self.typing {
            typing.paste(text);
        }
    }

    /// A click on an input, while none is typed, selects it.
    fn mouse(&mut self, mouse: MouseEvent, ctx: &mut Ctx) {
        if self.typing.is_some() {
            return;
        }
        let count = inputs(ctx.framework(), &ctx.backlog().product.settings.priority).len();
        if let Some(row) = ctx
            .areas()
            .and_then(|areas| clicked_row(mouse, popup(areas.screen, count), count))
        {
            self.row = row;
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        render(app, self, frame, areas.screen);
    }

    fn story(&self) -> Option<StoryId> {
        Some(self.id)
    }

    /// The story gone (deleted elsewhere, an undo), there is nothing to
    /// weigh.
    fn follow(&mut self, _before: Option<&Story>, now: &Backlog) -> bool {
        now.get(self.id).is_some()
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        self.id = renumber(self.id, changes);
    }
}

/// The score the inputs give by `framework`; with none picked, how to
/// pick one.
fn score_line(app: &App, framework: Option<Framework>, story: &Story) -> Line<'static> {
    let Some(framework) = framework else {
        let pick = app.key(Context::Backlog, Command::ChooseFramework);
        return Line::styled(
            format!("No framework picked: every input is listed ({pick} picks one)"),
            theme::dim(app.color),
        );
    };
    let score = priority::score(framework, story, &Scoring::of(&app.backlog, (app.clock)()));
    Line::from(vec![
        Span::styled(format!("{}: ", framework.name()), theme::header()),
        Span::raw(score.to_string()),
    ])
}

/// Where the panel goes over `area`, for `count` inputs.
fn popup(area: Rect, count: usize) -> Rect {
    let height = u16::try_from(count + BELOW + 2).unwrap_or(u16::MAX);
    centered(area, WIDTH, height)
}

/// The panel in a box over the screen `area`: an input a row, the score,
/// what the selected input takes, and the keys; the value being typed
/// drawn over its row.
fn render(app: &App, panel: &WeighPanel, frame: &mut Frame, area: Rect) {
    let Some(story) = app.backlog.get(panel.id) else {
        return;
    };
    let settings = &app.backlog.product.settings.priority;
    let framework = app.table.framework;
    let list = inputs(framework, settings);
    let popup = popup(area, list.len());
    let row = panel.row.min(list.len().saturating_sub(1));
    let dim = theme::dim(app.color);
    let mut lines: Vec<Line> = list
        .iter()
        .enumerate()
        .map(|(at, input)| {
            let value = match input.get(&story.inputs) {
                Some(value) => Span::raw(value.to_string()),
                None => Span::styled("missing", theme::warning(app.color)),
            };
            choice_row(
                at == row,
                [Span::raw(format!("{:<LABEL_WIDTH$}", input.label())), value],
            )
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(score_line(app, framework, story));
    let takes = list
        .get(row)
        .map(|input| format!("{} takes {}", input.label(), input.allowed(settings)))
        .unwrap_or_default();
    let inside = popup.width.saturating_sub(2);
    lines.push(Line::styled(ellipsized(&takes, inside), dim));
    lines.push(Line::from(""));
    let keys: Vec<(String, &str)> = if panel.typing.is_some() {
        app.keymap.hints(Context::PanelLine)
    } else {
        app.keymap.hints(Context::Weigh)
    };
    let keys: Vec<(&str, &str)> = keys.iter().map(|(k, w)| (k.as_str(), *w)).collect();
    lines.push(crate::tui::view::keys_line(app.color, &keys));
    let room = usize::from(inside).saturating_sub(12);
    let title = format!(
        " Weigh {} {} ",
        story.id,
        ellipsized(&one_line(&story.title), u16::try_from(room).unwrap_or(0))
    );
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(title)),
        popup,
    );
    if let Some(typing) = &panel.typing {
        // Over the value of the selected row, inside the border.
        let x = popup.x + 1 + 2 + u16::try_from(LABEL_WIDTH).unwrap_or(0);
        let y = popup.y + 1 + u16::try_from(row).unwrap_or(0);
        let width = popup.right().saturating_sub(x + 1);
        typing.render(frame, Rect::new(x, y, width, 1), app.color);
    }
}
