//! The vision panel: the product's name, its vision (several lines, kept
//! with Ctrl-S) and its goals, one line each, added, edited, removed and
//! reordered.

use ratatui_textarea::TextArea;

use crate::text::one_line;
use crate::tui::action::{Effect, PanelAction};
use crate::tui::app::{App, Mode};
use crate::tui::typing::{text_area, type_into, typed_line};

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

impl App {
    fn vision_panel(&mut self) -> Option<&mut VisionPanel> {
        match &mut self.mode {
            Mode::Vision(panel) => Some(panel),
            _ => None,
        }
    }

    pub(super) fn vision_action(&mut self, action: PanelAction) -> Option<Effect> {
        let goals = self.backlog.product.goals.len();
        let Mode::Vision(panel) = &mut self.mode else {
            return None;
        };
        let row = VisionRow::at(panel.row, goals);
        if let Some(typing) = &mut panel.typing {
            match action {
                PanelAction::Type(key) => {
                    type_into(&mut typing.input, key);
                }
                PanelAction::Keep => return self.keep_vision_text(),
                PanelAction::Cancel => panel.typing = None,
                _ => {}
            }
            return None;
        }
        match (action, row) {
            (PanelAction::Next, _) => panel.row = (panel.row + 1).min(goals + 1),
            (PanelAction::Prev, _) => panel.row = panel.row.min(goals + 1).saturating_sub(1),
            (PanelAction::Edit, row) => {
                let product = &self.backlog.product;
                let (field, text) = match row {
                    VisionRow::Name => (VisionField::Name, product.name.as_str()),
                    VisionRow::Vision => (VisionField::Vision, product.vision.as_str()),
                    VisionRow::Goal(i) => (VisionField::Goal(i), product.goals[i].as_str()),
                };
                panel.typing = Some(Typing {
                    field,
                    input: text_area(text, field == VisionField::Vision),
                });
            }
            (PanelAction::Add, row) => {
                let at = match row {
                    VisionRow::Goal(i) => i + 1,
                    _ => goals,
                };
                panel.typing = Some(Typing {
                    field: VisionField::NewGoal(at),
                    input: text_area("", false),
                });
            }
            (PanelAction::Delete, VisionRow::Goal(i)) => {
                let removed = self.backlog.product.goals[i].clone();
                self.change("remove a goal", |b| {
                    b.product.goals.remove(i);
                    Ok(())
                })?;
                if let Some(panel) = self.vision_panel() {
                    panel.row = panel.row.min(goals);
                }
                self.notify(format!("Removed the goal \"{}\"", one_line(&removed)));
                return Some(Effect::Save);
            }
            (PanelAction::MoveDown, VisionRow::Goal(i)) if i + 1 < goals => {
                return self.swap_goals(i, i + 1);
            }
            (PanelAction::MoveUp, VisionRow::Goal(i)) if i > 0 => {
                return self.swap_goals(i, i - 1);
            }
            (PanelAction::MoveDown | PanelAction::MoveUp, VisionRow::Goal(_)) => {}
            (PanelAction::Delete | PanelAction::MoveDown | PanelAction::MoveUp, _) => {
                self.warn("That key works on a goal: select one with j/k");
            }
            (PanelAction::Close, _) => self.mode = Mode::Normal,
            _ => {}
        }
        None
    }

    /// Swap two goals; the selection follows the one moved.
    fn swap_goals(&mut self, from: usize, to: usize) -> Option<Effect> {
        self.change("move a goal", |b| {
            b.product.goals.swap(from, to);
            Ok(())
        })?;
        if let Some(panel) = self.vision_panel() {
            panel.row = VisionRow::of_goal(to);
        }
        Some(Effect::Save)
    }

    /// Keep what was typed into the name, the vision or a goal. Text as it
    /// was changes nothing; a goal emptied is removed.
    fn keep_vision_text(&mut self) -> Option<Effect> {
        let Mode::Vision(panel) = &self.mode else {
            return None;
        };
        let typing = panel.typing.as_ref()?;
        let field = typing.field;
        let text = if typing.is_multi_line() {
            typing.input.lines().join("\n").trim().to_string()
        } else {
            typed_line(&typing.input)
        };
        let product = &self.backlog.product;
        let goals = product.goals.len();
        let (row, notice) = match field {
            VisionField::Name if text.is_empty() => {
                self.warn("The product needs a name: type one, or Esc to leave it");
                return None;
            }
            VisionField::NewGoal(_) if text.is_empty() => {
                self.warn("Type the goal, or Esc to leave it");
                return None;
            }
            VisionField::Name if text == product.name => (None, None),
            VisionField::Vision if text == product.vision => (None, None),
            VisionField::Goal(i) if product.goals.get(i) == Some(&text) => (None, None),
            VisionField::Goal(i) if i >= goals => {
                self.warn("That goal is gone: removed elsewhere");
                return None;
            }
            VisionField::Name => {
                let notice = format!("The product is called {} now", one_line(&text));
                self.change("rename the product", |b| {
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
                self.change("edit the vision", |b| {
                    b.product.vision = text;
                    Ok(())
                })?;
                (None, Some(notice.to_string()))
            }
            VisionField::Goal(i) if text.is_empty() => {
                let removed = product.goals[i].clone();
                self.change("remove a goal", |b| {
                    b.product.goals.remove(i);
                    Ok(())
                })?;
                (
                    Some(VisionRow::of_goal(i).min(goals)),
                    Some(format!("Removed the goal \"{}\"", one_line(&removed))),
                )
            }
            VisionField::Goal(i) => {
                self.change("edit a goal", |b| {
                    b.product.goals[i] = text;
                    Ok(())
                })?;
                (None, Some("The goal is kept".to_string()))
            }
            VisionField::NewGoal(at) => {
                let at = at.min(goals);
                self.change("add a goal", |b| {
                    b.product.goals.insert(at, text);
                    Ok(())
                })?;
                (Some(VisionRow::of_goal(at)), Some("Goal added".to_string()))
            }
        };
        if let Some(panel) = self.vision_panel() {
            panel.typing = None;
            if let Some(row) = row {
                panel.row = row;
            }
        }
        let notice = notice?;
        self.notify(notice);
        Some(Effect::Save)
    }
}
