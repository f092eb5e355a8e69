//! The epics panel over the panes: every epic with its size, target
//! release and goal. The selected story is put in an epic or taken out of
//! its own; epics are added, renamed, recoloured, given a goal or a target
//! release, and deleted with a choice of what becomes of their stories.

mod view;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};

use crate::model::{Backlog, Epic, EpicStories, ModelError, Product, StoryPatch};
use crate::text::one_line;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::filter::EpicFilter;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::Areas;
use crate::tui::screens::Screen;
use crate::tui::screens::backlog::bulk;
use crate::tui::screens::overview::Overview;
use crate::tui::typing::TextField;
use crate::words;

/// The panel's state, and the counts it shows (each epic's stories and
/// points), worked out when it opens and after each change rather than
/// on every frame.
#[derive(Clone, Debug)]
pub struct EpicsPanel {
    /// Index into the product's epics of the highlighted one.
    pub row: usize,
    pub step: EpicStep,
    pub overview: Overview,
}

/// What the panel is doing.
#[derive(Clone, Debug, Default)]
pub enum EpicStep {
    /// Moving between epics.
    #[default]
    Browse,
    /// Typing a name, goal or target release.
    Typing {
        field: EpicField,
        input: Box<TextField>,
    },
    /// Asking whether to delete this epic, which has no stories.
    ConfirmDelete(String),
    /// Asking what becomes of the stories of this epic when it is
    /// deleted: `choice` is one of [`delete_choices`], kept as what it
    /// says rather than where it is, so another program adding or removing
    /// an epic meanwhile cannot turn "move them" into "delete them".
    Deleting { epic: String, choice: EpicStories },
}

/// What is being typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EpicField {
    /// The name of a new epic.
    New,
    /// A new name for this epic.
    Name(String),
    /// This epic's goal.
    Goal(String),
    /// This epic's target release.
    Release(String),
}

impl EpicField {
    /// The label before the input.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            EpicField::New => "New epic's name: ".to_string(),
            EpicField::Name(name) => format!("Rename {}: ", one_line(name)),
            EpicField::Goal(name) => format!("Goal of {}: ", one_line(name)),
            EpicField::Release(name) => {
                format!("Target release of {} (empty: none): ", one_line(name))
            }
        }
    }
}

impl EpicsPanel {
    #[must_use]
    pub fn new(backlog: &Backlog) -> Self {
        EpicsPanel {
            row: 0,
            step: EpicStep::Browse,
            overview: Overview::of(backlog),
        }
    }

    #[must_use]
    pub fn is_typing(&self) -> bool {
        matches!(self.step, EpicStep::Typing { .. })
    }
}

/// What can become of an epic's stories when it is deleted, in the order
/// the panel offers them: left in no epic, moved to each other epic,
/// deleted with it.
#[must_use]
pub fn delete_choices(product: &Product, epic: &str) -> Vec<EpicStories> {
    let mut choices = vec![EpicStories::Unassign];
    choices.extend(
        product
            .epics
            .iter()
            .filter(|e| e.name != epic)
            .map(|e| EpicStories::MoveTo(e.name.clone())),
    );
    choices.push(EpicStories::Delete);
    choices
}

/// The step's kind, copied out so the handlers can borrow the panel.
#[derive(Clone, Copy)]
enum Stage {
    Browse,
    Typing,
    Confirm,
    Deleting,
}

impl Screen for EpicsPanel {
    fn context(&self) -> Context {
        match self.step {
            EpicStep::Browse => Context::Epics,
            EpicStep::Typing { .. } => Context::PanelLine,
            EpicStep::ConfirmDelete(_) => Context::EpicConfirm,
            EpicStep::Deleting { .. } => Context::EpicDelete,
        }
    }

    fn takes_text(&self) -> bool {
        self.is_typing()
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        let count = ctx.backlog().product.epics.len();
        // The file may have been reloaded with fewer epics.
        self.row = self.row.min(count.saturating_sub(1));
        let stage = match self.step {
            EpicStep::Browse => Stage::Browse,
            EpicStep::Typing { .. } => Stage::Typing,
            EpicStep::ConfirmDelete(_) => Stage::Confirm,
            EpicStep::Deleting { .. } => Stage::Deleting,
        };
        match (stage, command) {
            (Stage::Browse, Command::SelectNext) => {
                self.row = (self.row + 1).min(count.saturating_sub(1));
            }
            (Stage::Browse, Command::SelectPrevious) => self.row = self.row.saturating_sub(1),
            (Stage::Browse, Command::PutInEpic) => self.assign_story(ctx),
            (Stage::Browse, Command::TakeOutOfEpic) => unassign_story(ctx),
            (Stage::Browse, Command::AddEpic) => {
                self.step = EpicStep::Typing {
                    field: EpicField::New,
                    input: Box::new(TextField::new("", false)),
                };
            }
            (
                Stage::Browse,
                Command::RenameEpic | Command::EditEpicGoal | Command::EditEpicRelease,
            ) => self.start_typing(command, ctx),
            (Stage::Browse, Command::NextColor) => self.recolour(ctx),
            (Stage::Browse, Command::DeleteEpic) => self.start_delete(ctx),
            (Stage::Browse, Command::Close) => ctx.close(),
            (Stage::Typing, Command::KeepField) => self.keep_text(ctx),
            (Stage::Typing, Command::StopTyping) => self.stop_typing(ctx),
            (Stage::Deleting, Command::SelectNext | Command::SelectPrevious) => {
                if let EpicStep::Deleting { epic, choice } = &mut self.step {
                    let choices = delete_choices(&ctx.backlog().product, epic);
                    let at = choices.iter().position(|c| c == choice).unwrap_or(0);
                    let at = if command == Command::SelectNext {
                        (at + 1).min(choices.len() - 1)
                    } else {
                        at.saturating_sub(1)
                    };
                    *choice = choices[at].clone();
                }
            }
            (Stage::Confirm | Stage::Deleting, Command::Confirm) => self.delete(ctx),
            (Stage::Typing, Command::CancelField)
            | (Stage::Confirm | Stage::Deleting, Command::Cancel) => {
                self.step = EpicStep::Browse;
            }
            _ => {}
        }
        None
    }

    fn input(&mut self, key: KeyEvent, _ctx: &mut Ctx) {
        if let EpicStep::Typing { input, .. } = &mut self.step {
            input.type_key(key);
        }
    }

    fn paste(&mut self, text: &str, _ctx: &mut Ctx) {
        if let EpicStep::Typing { input, .. } = &mut self.step {
            input.paste(text);
        }
    }

    /// A click on an epic's row, while browsing, highlights it.
    fn mouse(&mut self, mouse: MouseEvent, ctx: &mut Ctx) {
        if mouse.kind != MouseEventKind::Down(MouseButton::Left)
            || !matches!(self.step, EpicStep::Browse)
        {
            return;
        }
        let count = ctx.backlog().product.epics.len();
        if let Some(areas) = ctx.areas() {
            let geometry = view::geometry(&ctx.backlog().product, ctx.keymap(), self, areas.main);
            if let Some(row) = view::epic_at(&geometry, count, mouse.column, mouse.row) {
                self.row = row;
            }
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        view::render(app, self, frame, areas.main);
    }

    fn backlog_changed(&mut self, backlog: &Backlog) {
        self.overview = Overview::of(backlog);
    }
}

impl EpicsPanel {
    /// The highlighted epic's name, if there are epics.
    fn highlighted_epic(&self, backlog: &Backlog) -> Option<String> {
        let epics = &backlog.product.epics;
        epics
            .get(self.row.min(epics.len().saturating_sub(1)))
            .map(|e| e.name.clone())
    }

    /// Put the selected story (or the stories marked) in the highlighted
    /// epic, and close.
    fn assign_story(&mut self, ctx: &mut Ctx) {
        let Some(epic) = self.highlighted_epic(ctx.backlog()) else {
            no_epics_yet(ctx);
            return;
        };
        if !ctx.table().table.marks.is_empty() {
            ctx.close();
            bulk::set_marked_epic(Some(&epic), ctx);
            return;
        }
        let Some(story) = ctx.selected_story() else {
            ctx.warn("No story is selected: add one first");
            return;
        };
        let (id, already) = (story.id, story.epic.as_deref() == Some(epic.as_str()));
        ctx.close();
        if already {
            ctx.notify(format!("{id} is already in {}", one_line(&epic)));
            return;
        }
        let patch = StoryPatch {
            epic: Some(Some(epic.clone())),
            ..StoryPatch::default()
        };
        if ctx.edit_story(id, &patch) {
            ctx.notify(format!("{id} is now in {}", one_line(&epic)));
        }
    }

    /// Start typing a new name, goal or release for the highlighted epic.
    fn start_typing(&mut self, command: Command, ctx: &mut Ctx) {
        let Some(name) = self.highlighted_epic(ctx.backlog()) else {
            no_epics_yet(ctx);
            return;
        };
        let Some(epic) = ctx.backlog().product.epic(&name) else {
            return;
        };
        let (field, text) = match command {
            Command::RenameEpic => (EpicField::Name(name.clone()), name.clone()),
            Command::EditEpicGoal => (EpicField::Goal(name), epic.goal.clone()),
            _ => (
                EpicField::Release(name),
                epic.target_release.clone().unwrap_or_default(),
            ),
        };
        self.step = EpicStep::Typing {
            field,
            input: Box::new(TextField::new(&text, false)),
        };
    }

    /// Done typing: what was typed is kept, unless nothing was typed, or
    /// a new epic's name was left blank, which loses nothing.
    fn stop_typing(&mut self, ctx: &mut Ctx) {
        if let EpicStep::Typing { field, input } = &self.step {
            let blank_new = *field == EpicField::New && input.line().is_empty();
            if input.is_changed() && !blank_new {
                self.keep_text(ctx);
            } else {
                self.step = EpicStep::Browse;
            }
        }
    }

    /// Keep what was typed: a new epic, or a new name, goal or release.
    fn keep_text(&mut self, ctx: &mut Ctx) {
        let EpicStep::Typing { field, input } = &self.step else {
            return;
        };
        let (field, text) = (field.clone(), input.line());
        let kept = match &field {
            EpicField::New => {
                let what = format!("add epic {}", one_line(&text));
                let added = ctx.change(what, |b| {
                    let color = b.product.next_color();
                    b.add_epic(Epic {
                        name: text.clone(),
                        color,
                        goal: String::new(),
                        target_release: None,
                    })
                });
                if added.is_some() {
                    self.row = ctx.backlog().product.epics.len() - 1;
                    Kept::Changed(format!(
                        "Added epic {}: {} renames, {} sets its goal",
                        one_line(&text),
                        ctx.key(Context::Epics, Command::RenameEpic),
                        ctx.key(Context::Epics, Command::EditEpicGoal)
                    ))
                } else {
                    Kept::Refused
                }
            }
            EpicField::Name(old) => rename_epic(old, &text, ctx),
            EpicField::Goal(name) => edit_epic(name, ctx, |e| {
                let notice = if text.is_empty() {
                    format!("{} has no goal now", one_line(&e.name))
                } else {
                    format!("{}'s goal is set", one_line(&e.name))
                };
                e.goal.clone_from(&text);
                notice
            }),
            EpicField::Release(name) => edit_epic(name, ctx, |e| {
                let notice = if text.is_empty() {
                    format!("{} has no target release now", one_line(&e.name))
                } else {
                    format!("{} targets release {}", one_line(&e.name), one_line(&text))
                };
                e.target_release = (!text.is_empty()).then(|| text.clone());
                notice
            }),
        };
        match kept {
            // Still typing: the text can be put right.
            Kept::Refused => {}
            Kept::Unchanged => self.step = EpicStep::Browse,
            Kept::Changed(notice) => {
                self.step = EpicStep::Browse;
                ctx.notify(notice);
            }
        }
    }

    fn recolour(&mut self, ctx: &mut Ctx) {
        let Some(name) = self.highlighted_epic(ctx.backlog()) else {
            no_epics_yet(ctx);
            return;
        };
        let recoloured = edit_epic(&name, ctx, |e| {
            e.color = e.color.next();
            format!("{} is {} now", one_line(&e.name), e.color)
        });
        if let Kept::Changed(notice) = recoloured {
            ctx.notify(notice);
        }
    }

    /// Ask before deleting the highlighted epic: yes or no when it has no
    /// stories, else what becomes of them.
    fn start_delete(&mut self, ctx: &mut Ctx) {
        let Some(epic) = self.highlighted_epic(ctx.backlog()) else {
            ctx.warn("No epics yet: nothing to delete");
            return;
        };
        let (count, _) = ctx.backlog().epic_size(&epic);
        self.step = if count == 0 {
            EpicStep::ConfirmDelete(epic)
        } else {
            EpicStep::Deleting {
                epic,
                choice: EpicStories::Unassign,
            }
        };
    }

    /// Delete the epic as confirmed or chosen.
    fn delete(&mut self, ctx: &mut Ctx) {
        let (epic, choice) = match &self.step {
            EpicStep::ConfirmDelete(epic) => (epic.clone(), None),
            EpicStep::Deleting { epic, choice } => (epic.clone(), Some(choice.clone())),
            _ => return,
        };
        let (count, _) = ctx.backlog().epic_size(&epic);
        let how = match choice {
            Some(choice) => choice,
            // Stories arrived since the question (from another writer):
            // ask about them rather than decide.
            None if count > 0 => {
                self.step = EpicStep::Deleting {
                    epic,
                    choice: EpicStories::Unassign,
                };
                return;
            }
            None => EpicStories::Unassign,
        };
        let selected = ctx.selected_story().map(|s| s.id);
        let now = ctx.now();
        let what = format!("delete epic {}", one_line(&epic));
        let Some(deleted) = ctx.change(what, |b| b.remove_epic(&epic, &how, now)) else {
            return;
        };
        let mut table = ctx.table();
        if table.table.filter.epic == Some(EpicFilter::Named(epic.clone())) {
            table.table.filter.epic = None;
        }
        // Stories may be gone: the table's rows are stale until recomputed,
        // so the selection is taken from before the change.
        table.recompute(selected);
        let left = ctx.backlog().product.epics.len();
        self.step = EpicStep::Browse;
        self.row = self.row.min(left.saturating_sub(1));
        let name = one_line(&epic);
        ctx.notify(match how {
            _ if count == 0 => format!("Deleted epic {name}"),
            EpicStories::Unassign => format!(
                "Deleted epic {name}; its {} {} in no epic",
                words::count(count, "story", "stories"),
                if count == 1 { "is" } else { "are" }
            ),
            EpicStories::MoveTo(other) => format!(
                "Deleted epic {name}; its {} moved to {}",
                words::count(count, "story", "stories"),
                one_line(&other)
            ),
            EpicStories::Delete => {
                format!(
                    "Deleted epic {name} and its {}",
                    words::count(deleted.len(), "story", "stories")
                )
            }
        });
    }
}

/// Say there is no epic to act on, and how to add one.
fn no_epics_yet(ctx: &mut Ctx) {
    let add = ctx.key(Context::Epics, Command::AddEpic);
    ctx.warn(format!("No epics yet: {add} adds one"));
}

/// Take the selected story (or the stories marked) out of its epic, and
/// close.
fn unassign_story(ctx: &mut Ctx) {
    if !ctx.table().table.marks.is_empty() {
        ctx.close();
        bulk::set_marked_epic(None, ctx);
        return;
    }
    let Some(story) = ctx.selected_story() else {
        ctx.warn("No story is selected: add one first");
        return;
    };
    let id = story.id;
    let Some(epic) = story.epic.clone() else {
        ctx.warn(format!("{id} is in no epic"));
        return;
    };
    ctx.close();
    let patch = StoryPatch {
        epic: Some(None),
        ..StoryPatch::default()
    };
    if ctx.edit_story(id, &patch) {
        ctx.notify(format!("{id} taken out of {}", one_line(&epic)));
    }
}

/// What keeping a name, goal, release or colour did.
enum Kept {
    /// The model refused it (the status bar says why).
    Refused,
    /// It was as before: nothing changed, nothing to say.
    Unchanged,
    /// It changed, as this says.
    Changed(String),
}

/// Rename an epic; its stories take the new name. An unchanged name
/// changes nothing.
fn rename_epic(old: &str, new: &str, ctx: &mut Ctx) -> Kept {
    if new == old {
        return Kept::Unchanged;
    }
    let now = ctx.now();
    let (count, _) = ctx.backlog().epic_size(old);
    let what = format!("rename epic {} to {}", one_line(old), one_line(new));
    let renamed = ctx.change(what, |b| {
        let mut epic = b
            .product
            .epic(old)
            .cloned()
            .ok_or_else(|| ModelError::UnknownEpic(old.to_string()))?;
        epic.name = new.to_string();
        b.update_epic(old, epic, now)
    });
    if renamed.is_none() {
        return Kept::Refused;
    }
    let mut table = ctx.table();
    if table.table.filter.epic == Some(EpicFilter::Named(old.to_string())) {
        table.table.filter.epic = Some(EpicFilter::Named(new.to_string()));
    }
    table.refilter();
    Kept::Changed(format!(
        "Renamed {} to {}, with its {}",
        one_line(old),
        one_line(new),
        words::count(count, "story", "stories")
    ))
}

/// Change an epic's goal, release or colour with `edit`, which says what
/// it did. An edit that leaves the epic as it was changes nothing.
fn edit_epic(name: &str, ctx: &mut Ctx, edit: impl FnOnce(&mut Epic) -> String) -> Kept {
    let Some(mut epic) = ctx.backlog().product.epic(name).cloned() else {
        ctx.warn(ModelError::UnknownEpic(name.to_string()).to_string());
        return Kept::Refused;
    };
    let notice = edit(&mut epic);
    if ctx.backlog().product.epic(name) == Some(&epic) {
        return Kept::Unchanged;
    }
    let now = ctx.now();
    let what = format!("change epic {}", one_line(name));
    match ctx.change(what, |b| b.update_epic(name, epic, now)) {
        Some(()) => Kept::Changed(notice),
        None => Kept::Refused,
    }
}
