//! The vision panel over the panes: the product's name, its vision (several lines, kept
//! with Ctrl-S) and its goals, one line each, added, edited, removed and
//! reordered.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::Screen;
use crate::text::{multi_line, one_line};
use crate::tui::action::{Action, Effect, PanelAction};
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::Context;
use crate::tui::layout::{Areas, centered};
use crate::tui::theme;
use crate::tui::typing::{text_area, type_into, typed_line};
use crate::tui::view::draw_text_area;

/// The panel's state.
#[derive(Clone, Debug, Default)]
pub struct VisionPanel {
    /// The selected row: the name, the vision, then one per goal.
    pub row: usize,
    /// The text being typed, while a row is typed into.
    pub typing: Option<Typing>,
}

/// A row being typed into.
#[derive(Clone, Debug)]
pub struct Typing {
    pub field: VisionField,
    pub input: TextArea<'static>,
}

impl Typing {
    #[must_use]
    pub fn is_multi_line(&self) -> bool {
        self.field == VisionField::Vision
    }
}

/// What is being typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VisionField {
    Name,
    Vision,
    /// The goal at this index.
    Goal(usize),
    /// A new goal, to go in at this index.
    NewGoal(usize),
}

/// A row of the panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VisionRow {
    Name,
    Vision,
    Goal(usize),
}

impl VisionRow {
    /// The row at `row`, for a product with `goals` goals.
    #[must_use]
    pub fn at(row: usize, goals: usize) -> VisionRow {
        match row.min(goals + 1) {
            0 => VisionRow::Name,
            1 => VisionRow::Vision,
            n => VisionRow::Goal(n - 2),
        }
    }

    /// The index of the row showing goal `i`.
    #[must_use]
    pub fn of_goal(i: usize) -> usize {
        i + 2
    }
}

impl VisionPanel {
    #[must_use]
    pub fn is_typing(&self) -> bool {
        self.typing.is_some()
    }
}

impl Screen for VisionPanel {
    fn context(&self) -> Context {
        match &self.typing {
            None => Context::Vision,
            Some(typing) if typing.is_multi_line() => Context::PanelText,
            Some(_) => Context::PanelLine,
        }
    }

    fn takes_text(&self) -> bool {
        self.is_typing()
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> Option<Effect> {
        self.act(&action, ctx);
        None
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        render(app, self, frame, areas.main);
    }
}

impl VisionPanel {
    fn act(&mut self, action: &Action, ctx: &mut Ctx) {
        let goals = ctx.backlog().product.goals.len();
        let row = VisionRow::at(self.row, goals);
        if let Some(typing) = &mut self.typing {
            match action {
                Action::Input(key) => type_into(&mut typing.input, *key),
                Action::Panel(PanelAction::Keep) => {
                    self.keep_text(ctx);
                }
                Action::Panel(PanelAction::Cancel) => self.typing = None,
                _ => {}
            }
            return;
        }
        let Action::Panel(action) = *action else {
            return;
        };
        match (action, row) {
            (PanelAction::Next, _) => self.row = (self.row + 1).min(goals + 1),
            (PanelAction::Prev, _) => self.row = self.row.min(goals + 1).saturating_sub(1),
            (PanelAction::Edit, row) => {
                let product = &ctx.backlog().product;
                let (field, text) = match row {
                    VisionRow::Name => (VisionField::Name, product.name.as_str()),
                    VisionRow::Vision => (VisionField::Vision, product.vision.as_str()),
                    VisionRow::Goal(i) => (VisionField::Goal(i), product.goals[i].as_str()),
                };
                self.typing = Some(Typing {
                    field,
                    input: text_area(text, field == VisionField::Vision),
                });
            }
            (PanelAction::Add, row) => {
                let at = match row {
                    VisionRow::Goal(i) => i + 1,
                    _ => goals,
                };
                self.typing = Some(Typing {
                    field: VisionField::NewGoal(at),
                    input: text_area("", false),
                });
            }
            (PanelAction::Delete, VisionRow::Goal(i)) => {
                let removed = ctx.backlog().product.goals[i].clone();
                let done = ctx.change("remove a goal", |b| {
                    b.product.goals.remove(i);
                    Ok(())
                });
                if done.is_some() {
                    self.row = self.row.min(goals);
                    ctx.notify(format!("Removed the goal \"{}\"", one_line(&removed)));
                }
            }
            (PanelAction::MoveDown, VisionRow::Goal(i)) if i + 1 < goals => {
                self.swap_goals(i, i + 1, ctx);
            }
            (PanelAction::MoveUp, VisionRow::Goal(i)) if i > 0 => {
                self.swap_goals(i, i - 1, ctx);
            }
            (PanelAction::MoveDown | PanelAction::MoveUp, VisionRow::Goal(_)) => {}
            (PanelAction::Delete | PanelAction::MoveDown | PanelAction::MoveUp, _) => {
                ctx.warn("That key works on a goal: select one with j/k");
            }
            (PanelAction::Close, _) => ctx.close(),
            _ => {}
        }
    }

    /// Swap two goals; the selection follows the one moved.
    fn swap_goals(&mut self, from: usize, to: usize, ctx: &mut Ctx) {
        let done = ctx.change("move a goal", |b| {
            b.product.goals.swap(from, to);
            Ok(())
        });
        if done.is_some() {
            self.row = VisionRow::of_goal(to);
        }
    }

    /// Keep what was typed into the name, the vision or a goal. Text as it
    /// was changes nothing; a goal emptied is removed.
    fn keep_text(&mut self, ctx: &mut Ctx) -> Option<()> {
        let typing = self.typing.as_ref()?;
        let field = typing.field;
        let text = if typing.is_multi_line() {
            typing.input.lines().join("\n").trim().to_string()
        } else {
            typed_line(&typing.input)
        };
        let product = &ctx.backlog().product;
        let goals = product.goals.len();
        let (row, notice) = match field {
            VisionField::Name if text.is_empty() => {
                ctx.warn("The product needs a name: type one, or Esc to leave it");
                return None;
            }
            VisionField::NewGoal(_) if text.is_empty() => {
                ctx.warn("Type the goal, or Esc to leave it");
                return None;
            }
            VisionField::Name if text == product.name => (None, None),
            VisionField::Vision if text == product.vision => (None, None),
            VisionField::Goal(i) if product.goals.get(i) == Some(&text) => (None, None),
            VisionField::Goal(i) if i >= goals => {
                ctx.warn("That goal is gone: removed elsewhere");
                return None;
            }
            VisionField::Name => {
                let notice = format!("The product is called {} now", one_line(&text));
                ctx.change("rename the product", |b| {
                    b.product.name = text;
                    Ok(())
                })?;
                (None, Some(notice))
            }
            VisionField::Vision => {
                let notice = if text.is_empty() {
                    "The vision is cleared"
                } else {
                    "The vision is kept"
                };
                ctx.change("edit the vision", |b| {
                    b.product.vision = text;
                    Ok(())
                })?;
                (None, Some(notice.to_string()))
            }
            VisionField::Goal(i) if text.is_empty() => {
                let removed = product.goals[i].clone();
                ctx.change("remove a goal", |b| {
                    b.product.goals.remove(i);
                    Ok(())
                })?;
                (
                    Some(VisionRow::of_goal(i).min(goals)),
                    Some(format!("Removed the goal \"{}\"", one_line(&removed))),
                )
            }
            VisionField::Goal(i) => {
                ctx.change("edit a goal", |b| {
                    b.product.goals[i] = text;
                    Ok(())
                })?;
                (None, Some("The goal is kept".to_string()))
            }
            VisionField::NewGoal(at) => {
                let at = at.min(goals);
                ctx.change("add a goal", |b| {
                    b.product.goals.insert(at, text);
                    Ok(())
                })?;
                (Some(VisionRow::of_goal(at)), Some("Goal added".to_string()))
            }
        };
        self.typing = None;
        if let Some(row) = row {
            self.row = row;
        }
        ctx.notify(notice?);
        Some(())
    }
}

/// The panel is at most this wide: a vision reads better in a column.
const MAX_WIDTH: u16 = 100;
/// Width of the label column.
const LABEL: u16 = 10;

/// One line of the goals list: a goal, or the input for a new one.
enum GoalEntry<'a> {
    Goal(usize, &'a str),
    New,
}

fn render(app: &App, panel: &VisionPanel, frame: &mut Frame, area: Rect) {
    let popup = centered(area, MAX_WIDTH, area.height);
    let product = &app.backlog.product;
    let block = Block::bordered()
        .border_type(BorderType::Thick)
        .border_style(theme::border(true, app.color).1)
        .title(Line::styled(" Product vision and goals ", theme::title()));
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    if inner.height < 3 || inner.width < LABEL + 10 {
        return;
    }
    let goals = product.goals.len();
    let typing_field = panel.typing.as_ref().map(|t| t.field);
    let mut entries: Vec<GoalEntry> = product
        .goals
        .iter()
        .enumerate()
        .map(|(i, g)| GoalEntry::Goal(i, g.as_str()))
        .collect();
    if let Some(VisionField::NewGoal(at)) = typing_field {
        entries.insert(at.min(goals), GoalEntry::New);
    }
    // The goals take what they need, leaving the vision a few lines.
    let goals_height = u16::try_from(entries.len().max(1))
        .unwrap_or(u16::MAX)
        .min(inner.height.saturating_sub(7).max(1));
    // The vision gets the lines it wraps to, the goals follow it; while
    // it is typed into, it gets all the room there is.
    let room = inner.height.saturating_sub(3 + goals_height).max(1);
    let vision_height = if typing_field == Some(VisionField::Vision) {
        room
    } else {
        let lines = vision_text(app).line_count(inner.width.saturating_sub(LABEL));
        u16::try_from(lines).unwrap_or(u16::MAX).clamp(1, room)
    };
    let [name_area, _, vision_area, _, goals_area, _] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(vision_height),
        Constraint::Length(1),
        Constraint::Length(goals_height),
        Constraint::Min(0),
    ])
    .areas(inner);

    name_and_vision(app, panel, frame, name_area, vision_area);
    goal_lines(app, panel, &entries, frame, goals_area);
}

/// The product's name and its vision, or their inputs while typed into.
fn name_and_vision(
    app: &App,
    panel: &VisionPanel,
    frame: &mut Frame,
    name_area: Rect,
    vision_area: Rect,
) {
    let product = &app.backlog.product;
    let selected = VisionRow::at(panel.row, product.goals.len());
    let typing = panel.typing.as_ref();
    let dim = theme::dim(app.color);

    // The row typed into is marked, else the selected one.
    let marked =
        |row: VisionRow, field: VisionField| typing.map_or(selected == row, |t| t.field == field);
    label(
        frame,
        name_area,
        "Name",
        marked(VisionRow::Name, VisionField::Name),
    );
    match typing {
        Some(t) if t.field == VisionField::Name => {
            draw_text_area(&t.input, frame, value(name_area), app.color);
        }
        _ if product.name.trim().is_empty() => frame.render_widget(
            Paragraph::new(Line::styled("none yet (Enter to name it)", dim)),
            value(name_area),
        ),
        _ => frame.render_widget(
            Paragraph::new(Line::styled(
                one_line(&product.name).into_owned(),
                theme::title(),
            )),
            value(name_area),
        ),
    }

    label(
        frame,
        vision_area,
        "Vision",
        marked(VisionRow::Vision, VisionField::Vision),
    );
    match typing {
        Some(t) if t.field == VisionField::Vision => {
            draw_text_area(&t.input, frame, value(vision_area), app.color);
        }
        _ => {
            let area = value(vision_area);
            let text = vision_text(app);
            let hidden = text.line_count(area.width) > usize::from(area.height);
            frame.render_widget(text, area);
            if hidden && area.height > 0 {
                let last = Rect::new(area.x, area.y + area.height - 1, area.width, 1);
                frame.render_widget(Clear, last);
                frame.render_widget(
                    Paragraph::new(Line::styled("… more: Enter shows it all", dim)),
                    last,
                );
            }
        }
    }
}

/// The goals, numbered, scrolled so the one selected or typed into shows.
fn goal_lines(
    app: &App,
    panel: &VisionPanel,
    entries: &[GoalEntry],
    frame: &mut Frame,
    goals_area: Rect,
) {
    let selected = VisionRow::at(panel.row, app.backlog.product.goals.len());
    let typing = panel.typing.as_ref();
    let typing_field = typing.map(|t| t.field);
    let dim = theme::dim(app.color);
    if entries.is_empty() {
        label(frame, goals_area, "Goals", false);
        frame.render_widget(
            Paragraph::new(Line::styled("none yet (a adds one)", dim)),
            value(goals_area),
        );
        return;
    }
    // Scroll the list so the goal selected or typed into is on screen.
    let focus = entries.iter().position(|e| match e {
        GoalEntry::New => true,
        GoalEntry::Goal(i, _) => {
            typing_field == Some(VisionField::Goal(*i))
                || (typing.is_none() && selected == VisionRow::Goal(*i))
        }
    });
    let shown = usize::from(goals_area.height);
    let first = focus.map_or(0, |f| (f + 1).saturating_sub(shown));
    for (line, (index, entry)) in entries
        .iter()
        .enumerate()
        .skip(first)
        .take(shown)
        .enumerate()
    {
        let y = goals_area.y + u16::try_from(line).unwrap_or(0);
        let row = Rect::new(goals_area.x, y, goals_area.width, 1);
        let is_selected = focus == Some(index);
        label(
            frame,
            row,
            if index == 0 { "Goals" } else { "" },
            is_selected,
        );
        match entry {
            GoalEntry::New => {
                if let Some(t) = typing {
                    draw_text_area(&t.input, frame, value(row), app.color);
                }
            }
            GoalEntry::Goal(i, _) if typing_field == Some(VisionField::Goal(*i)) => {
                if let Some(t) = typing {
                    draw_text_area(&t.input, frame, value(row), app.color);
                }
            }
            GoalEntry::Goal(i, text) => frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled(format!("{}. ", i + 1), theme::title()),
                    Span::raw(one_line(text).into_owned()),
                ])),
                value(row),
            ),
        }
    }
}

/// The vision, wrapped, or what to write when there is none.
fn vision_text(app: &App) -> Paragraph<'static> {
    let vision = &app.backlog.product.vision;
    if vision.trim().is_empty() {
        Paragraph::new(Line::styled(
            "none yet: what the product is for, and for whom (Enter to write; Ctrl-S keeps)",
            theme::dim(app.color),
        ))
        .wrap(Wrap { trim: true })
    } else {
        Paragraph::new(multi_line(vision).into_owned()).wrap(Wrap { trim: false })
    }
}

/// A row's label, marked and reversed when the row is selected.
fn label(frame: &mut Frame, area: Rect, text: &str, is_selected: bool) {
    let line = if is_selected {
        Line::styled(format!("▶ {text:<7} "), theme::selected())
    } else {
        Line::styled(format!("  {text:<7} "), theme::title())
    };
    frame.render_widget(
        Paragraph::new(line),
        Rect::new(area.x, area.y, LABEL.min(area.width), area.height.min(1)),
    );
}

/// Where a row's value goes: right of the label.
fn value(area: Rect) -> Rect {
    Rect::new(
        area.x + LABEL,
        area.y,
        area.width.saturating_sub(LABEL),
        area.height,
    )
}
