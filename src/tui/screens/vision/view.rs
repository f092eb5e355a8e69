//! The vision panel as drawn: the product's name, its vision in full,
//! and its goals, numbered; the row being typed into shows its text
//! input in place.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::{VisionField, VisionPanel, VisionRow};
use crate::model::Product;
use crate::text::{multi_line, one_line};
use crate::tui::app::App;
use crate::tui::keymap::{Command, Context, Keymap};
use crate::tui::layout::{self, centered};
use crate::tui::theme;

/// The panel is at most this wide: a vision reads better in a column.
const MAX_WIDTH: u16 = 100;
/// Width of the label column.
const LABEL: u16 = 10;

/// One line of the goals list: a goal, or the input for a new one.
enum GoalEntry<'a> {
    Goal(usize, &'a str),
    New,
}

/// Where the panel's rows go.
pub(super) struct Geometry {
    pub name: Rect,
    pub vision: Rect,
    pub goals: Rect,
}

/// The panel's box over `area`.
fn popup(area: Rect) -> Rect {
    centered(area, MAX_WIDTH, area.height)
}

/// The panel's rows over `area`: the name, the vision as many lines as it
/// wraps to (all the room there is while typed into), and the goals
/// (with a new one's input while it is typed), which take what they need
/// but leave the vision a few lines. Both the drawing and a click ask
/// here, with the keymap `keys` the empty vision names its keys from.
/// `None` when the box is too small to show them.
pub(super) fn geometry(
    product: &Product,
    keys: &Keymap,
    panel: &VisionPanel,
    area: Rect,
) -> Option<Geometry> {
    let inner = Block::bordered().inner(popup(area));
    if inner.height < 3 || inner.width < LABEL + 10 {
        return None;
    }
    let typing_field = panel.typing.as_ref().map(|t| t.field);
    let new_goal = matches!(typing_field, Some(VisionField::NewGoal(_)));
    let entries = product.goals.len() + usize::from(new_goal);
    let goals_height = u16::try_from(entries.max(1))
        .unwrap_or(u16::MAX)
        .min(inner.height.saturating_sub(7).max(1));
    let room = inner.height.saturating_sub(3 + goals_height).max(1);
    let vision_height = if typing_field == Some(VisionField::Vision) {
        room
    } else {
        let lines = vision_text(product, keys, false).line_count(inner.width.saturating_sub(LABEL));
        u16::try_from(lines).unwrap_or(u16::MAX).clamp(1, room)
    };
    let [name, _, vision, _, goals, _] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(vision_height),
        Constraint::Length(1),
        Constraint::Length(goals_height),
        Constraint::Min(0),
    ])
    .areas(inner);
    Some(Geometry {
        name,
        vision,
        goals,
    })
}

/// The first goal line shown in `goals`, so that the one at `focus`
/// (selected or typed into) shows.
fn first_goal(focus: Option<usize>, goals: Rect) -> usize {
    focus.map_or(0, |f| (f + 1).saturating_sub(usize::from(goals.height)))
}

/// The panel's row (the name, the vision, then each goal) at a click on
/// `column`, `row`, while no row is typed into.
pub(super) fn row_at(
    product: &Product,
    keys: &Keymap,
    panel: &VisionPanel,
    area: Rect,
    column: u16,
    row: u16,
) -> Option<usize> {
    let geometry = geometry(product, keys, panel, area)?;
    let at = Position::new(column, row);
    if geometry.name.contains(at) {
        return Some(0);
    }
    if geometry.vision.contains(at) {
        return Some(1);
    }
    let selected = VisionRow::at(panel.row, product.goals.len());
    let focus = match selected {
        VisionRow::Goal(i) => Some(i),
        _ => None,
    };
    let goal = first_goal(focus, geometry.goals) + layout::row_at(geometry.goals, column, row)?;
    (goal < product.goals.len()).then(|| VisionRow::of_goal(goal))
}

pub(super) fn render(app: &App, panel: &VisionPanel, frame: &mut Frame, area: Rect) {
    let popup = popup(area);
    let product = &app.backlog.product;
    let block = Block::bordered()
        .border_type(BorderType::Thick)
        .border_style(theme::border(true, app.color).1)
        .title(Line::styled(" Product vision and goals ", theme::title()));
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    let Some(geometry) = geometry(product, &app.keymap, panel, area) else {
        return;
    };
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
    name_and_vision(app, panel, frame, geometry.name, geometry.vision);
    goal_lines(app, panel, &entries, frame, geometry.goals);
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
            t.input.render(frame, value(name_area), app.color);
        }
        _ if product.name.trim().is_empty() => frame.render_widget(
            Paragraph::new(Line::styled(
                format!(
                    "none yet ({} to name it)",
                    app.key(Context::Vision, Command::EditField)
                ),
                dim,
            )),
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
            t.input.render(frame, value(vision_area), app.color);
        }
        _ => {
            let area = value(vision_area);
            let text = vision_text(&app.backlog.product, &app.keymap, app.color);
            let hidden = text.line_count(area.width) > usize::from(area.height);
            frame.render_widget(text, area);
            if hidden && area.height > 0 {
                let last = Rect::new(area.x, area.y + area.height - 1, area.width, 1);
                frame.render_widget(Clear, last);
                frame.render_widget(
                    Paragraph::new(Line::styled(
                        format!(
                            "… more: {} shows it all",
                            app.key(Context::Vision, Command::EditField)
                        ),
                        dim,
                    )),
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
            Paragraph::new(Line::styled(
                format!(
                    "none yet ({} adds one)",
                    app.key(Context::Vision, Command::AddGoal)
                ),
                dim,
            )),
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
    let first = first_goal(focus, goals_area);
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
                    t.input.render(frame, value(row), app.color);
                }
            }
            GoalEntry::Goal(i, _) if typing_field == Some(VisionField::Goal(*i)) => {
                if let Some(t) = typing {
                    t.input.render(frame, value(row), app.color);
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

/// The vision, wrapped, or what to write when there is none, with the
/// keys for it from `keys`.
fn vision_text(product: &Product, keys: &Keymap, color: bool) -> Paragraph<'static> {
    let vision = &product.vision;
    if vision.trim().is_empty() {
        Paragraph::new(Line::styled(
            format!(
                "none yet: what the product is for, and for whom ({} to write; {} keeps)",
                keys.label(Context::Vision, Command::EditField),
                keys.label(Context::PanelText, Command::KeepField)
            ),
            theme::dim(color),
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
