//! The framework picker: every prioritisation framework in a list, with
//! what it computes, and "none" to stop scoring. Picking one gives the
//! backlog table its score column and the priority pane its suggested
//! order; the manual rank is left as it is.

use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{Screen, choice_row, clicked_row, picker_keys};
use crate::priority::Framework;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{Areas, centered, ellipsized};
use crate::tui::theme;

/// The choices, in order: each framework, then none.
const CHOICES: usize = Framework::ALL.len() + 1;

/// The picker, with a choice highlighted: an index into
/// [`Framework::ALL`], or its length for none.
#[derive(Clone, Debug)]
pub struct FrameworkPicker {
    pub row: usize,
}

impl FrameworkPicker {
    /// A picker starting on the framework picked now (`None`: on none),
    /// so that a step either way is a key.
    #[must_use]
    pub fn new(now: Option<Framework>) -> Self {
        let row = now
            .and_then(|f| Framework::ALL.iter().position(|g| *g == f))
            .unwrap_or(Framework::ALL.len());
        FrameworkPicker { row }
    }

    /// The choice highlighted: a framework, or none.
    #[must_use]
    pub fn choice(&self) -> Option<Framework> {
        Framework::ALL.get(self.row).copied()
    }
}

impl Screen for FrameworkPicker {
    fn context(&self) -> Context {
        Context::FrameworkPicker
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        match command {
            Command::SelectNext => self.row = (self.row + 1).min(CHOICES - 1),
            Command::SelectPrevious => self.row = self.row.saturating_sub(1),
            Command::SelectFirst => self.row = 0,
            Command::SelectLast => self.row = CHOICES - 1,
            Command::Confirm => {
                ctx.close();
                pick(self.choice(), ctx);
            }
            Command::Cancel => ctx.close(),
            _ => {}
        }
        None
    }

    /// A click on a choice highlights it; the key that picks still picks.
    fn mouse(&mut self, mouse: MouseEvent, ctx: &mut Ctx) {
        if let Some(row) = ctx
            .areas()
            .and_then(|areas| clicked_row(mouse, popup(areas.screen), CHOICES))
        {
            self.row = row;
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        render(app, self, frame, popup(areas.screen));
    }
}

/// Score the stories by `framework`, or stop scoring; say which, and
/// what it computes.
pub fn pick(framework: Option<Framework>, ctx: &mut Ctx) {
    ctx.table().set_framework(framework);
    // The priority pane's suggested order is the framework's.
    ctx.counts_stale();
    match framework {
        Some(framework) => {
            let formula = framework.formula(&ctx.backlog().product.settings.priority);
            ctx.notify(format!("Scored by {}: {formula}", framework.name()));
        }
        None => ctx.notify("No framework: the stories are not scored"),
    }
}

/// Where the picker goes over `area`: a row per choice, then a blank
/// line and its keys, in a border.
fn popup(area: Rect) -> Rect {
    let height = u16::try_from(CHOICES + 2 + 2).unwrap_or(u16::MAX);
    centered(area, 76, height)
}

/// The choices in `popup`, each framework with its formula, the one
/// picked now marked, the highlighted one pointed at.
fn render(app: &App, picker: &FrameworkPicker, frame: &mut Frame, popup: Rect) {
    let settings = &app.backlog.product.settings.priority;
    let now = app.table.framework;
    let name_width = Framework::ALL
        .iter()
        .map(|f| f.name().chars().count())
        .max()
        .unwrap_or(0);
    // Inside the border, less the pointer, the name and the gaps.
    let room = popup
        .width
        .saturating_sub(2 + 2 + u16::try_from(name_width + 2).unwrap_or(u16::MAX));
    let mut lines: Vec<Line> = (0..CHOICES)
        .map(|row| {
            let choice = Framework::ALL.get(row).copied();
            let name = choice.map_or("none", Framework::name);
            let what = choice.map_or_else(
                || "no score column, no suggested order".to_string(),
                |f| f.formula(settings),
            );
            let picked = if choice == now { " (now)" } else { "" };
            choice_row(
                row == picker.row,
                [
                    Span::raw(format!("{name:<name_width$}  ")),
                    Span::styled(
                        ellipsized(&format!("{what}{picked}"), room),
                        theme::dim(app.color),
                    ),
                ],
            )
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(picker_keys(app, Context::FrameworkPicker, "scores by it"));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Score stories by ")),
        popup,
    );
}
