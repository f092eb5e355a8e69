//! The vision panel over the panes: the product's name, its vision
//! (several lines) and its goals, one line each, added, edited, removed
//! and reordered.

mod view;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};

use crate::text::one_line;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::Areas;
use crate::tui::screens::Screen;
use crate::tui::typing::TextField;

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
    pub input: TextField,
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

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        self.act(command, ctx);
        None
    }

    fn input(&mut self, key: KeyEvent, _ctx: &mut Ctx) {
        if let Some(typing) = &mut self.typing {
            typing.input.type_key(key);
        }
    }

    fn paste(&mut self, text: &str, _ctx: &mut Ctx) {
        if let Some(typing) = &mut self.typing {
            typing.input.paste(text);
        }
    }

    /// A click on a row, while none is typed into, selects it.
    fn mouse(&mut self, mouse: MouseEvent, ctx: &mut Ctx) {
        if self.typing.is_some() || mouse.kind != MouseEventKind::Down(MouseButton::Left) {
            return;
        }
        if let Some(areas) = ctx.areas()
            && let Some(row) = view::row_at(
                &ctx.backlog().product,
                ctx.keymap(),
                self,
                areas.main,
                mouse.column,
                mouse.row,
            )
        {
            self.row = row;
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        view::render(app, self, frame, areas.main);
    }
}

impl VisionPanel {
    fn act(&mut self, command: Command, ctx: &mut Ctx) {
        let goals = ctx.backlog().product.goals.len();
        let row = VisionRow::at(self.row, goals);
        if self.typing.is_some() {
            match command {
                Command::KeepField => {
                    self.keep_text(ctx);
                }
                Command::StopTyping => self.stop_typing(ctx),
                Command::CancelField => self.typing = None,
                _ => {}
            }
            return;
        }
        match (command, row) {
            (Command::SelectNext, _) => self.row = (self.row + 1).min(goals + 1),
            (Command::SelectPrevious, _) => self.row = self.row.min(goals + 1).saturating_sub(1),
            (Command::EditField, row) => {
                let product = &ctx.backlog().product;
                let (field, text) = match row {
                    VisionRow::Name => (VisionField::Name, product.name.as_str()),
                    VisionRow::Vision => (VisionField::Vision, product.vision.as_str()),
                    VisionRow::Goal(i) => (VisionField::Goal(i), product.goals[i].as_str()),
                };
                self.typing = Some(Typing {
                    field,
                    input: TextField::new(text, field == VisionField::Vision),
                });
            }
            (Command::AddGoal, row) => {
                let at = match row {
                    VisionRow::Goal(i) => i + 1,
                    _ => goals,
                };
                self.typing = Some(Typing {
                    field: VisionField::NewGoal(at),
                    input: TextField::new("", false),
                });
            }
            (Command::RemoveGoal, VisionRow::Goal(i)) => {
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
            (Command::MoveDown, VisionRow::Goal(i)) if i + 1 < goals => {
                self.swap_goals(i, i + 1, ctx);
            }
            (Command::MoveUp, VisionRow::Goal(i)) if i > 0 => {
                self.swap_goals(i, i - 1, ctx);
            }
            (Command::MoveDown | Command::MoveUp, VisionRow::Goal(_)) => {}
            (Command::RemoveGoal | Command::MoveDown | Command::MoveUp, _) => {
                let select = ctx.keymap().pair(
                    Context::Vision,
                    Command::SelectNext,
                    Command::SelectPrevious,
                );
                ctx.warn(format!(
                    "That key works on a goal: select one with {select}"
                ));
            }
            (Command::Close, _) => ctx.close(),
            _ => {}
        }
    }

    /// Done typing: what was typed is kept, unless nothing was typed, or
    /// a new goal was left blank, which loses nothing.
    fn stop_typing(&mut self, ctx: &mut Ctx) {
        let Some(typing) = &self.typing else {
            return;
        };
        let blank_goal = matches!(typing.field, VisionField::NewGoal(_))
            && typing.input.text().trim().is_empty();
        if !typing.input.is_changed() || blank_goal {
            self.typing = None;
        } else {
            self.keep_text(ctx);
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
            typing.input.text().trim().to_string()
        } else {
            typing.input.line()
        };
        let product = &ctx.backlog().product;
        let goals = product.goals.len();
        let (row, notice) = match field {
            VisionField::Name if text.is_empty() => {
                let cancel = ctx.key(Context::PanelLine, Command::CancelField);
                ctx.warn(format!(
                    "The product needs a name: type one, or {cancel} to leave it"
                ));
                return None;
            }
            VisionField::NewGoal(_) if text.is_empty() => {
                let cancel = ctx.key(Context::PanelLine, Command::CancelField);
                ctx.warn(format!("Type the goal, or {cancel} to leave it"));
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
