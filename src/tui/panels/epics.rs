//! The epics panel: every epic with its size, target release and goal.
//! The selected story is put in an epic or taken out of its own; epics
//! are added, renamed, recoloured, given a goal or a target release, and
//! deleted with a choice of what becomes of their stories.

use ratatui_textarea::TextArea;

use crate::model::{Epic, EpicStories, ModelError, Product, StoryPatch};
use crate::text::one_line;
use crate::tui::action::{Effect, PanelAction};
use crate::tui::app::{App, Mode};
use crate::tui::filter::EpicFilter;
use crate::tui::typing::{text_area, type_into, typed_line};
use crate::words;

/// The panel's state.
#[derive(Clone, Debug, Default)]
pub struct EpicsPanel {
    /// Index into the product's epics of the highlighted one.
    pub row: usize,
    pub step: EpicStep,
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
        input: Box<TextArea<'static>>,
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

/// The step's kind, copied out so the handlers can borrow the app.
#[derive(Clone, Copy)]
enum Stage {
    Browse,
    Typing,
    Confirm,
    Deleting,
}

impl App {
    fn epics_panel(&mut self) -> Option<&mut EpicsPanel> {
        match &mut self.mode {
            Mode::Epics(panel) => Some(panel),
            _ => None,
        }
    }

    /// The highlighted epic's name, if there are epics.
    fn highlighted_epic(&self) -> Option<String> {
        let Mode::Epics(panel) = &self.mode else {
            return None;
        };
        let epics = &self.backlog.product.epics;
        epics
            .get(panel.row.min(epics.len().saturating_sub(1)))
            .map(|e| e.name.clone())
    }

    pub(super) fn epics_action(&mut self, action: PanelAction) -> Option<Effect> {
        let count = self.backlog.product.epics.len();
        let Mode::Epics(panel) = &mut self.mode else {
            return None;
        };
        // The file may have been reloaded with fewer epics.
        panel.row = panel.row.min(count.saturating_sub(1));
        let stage = match panel.step {
            EpicStep::Browse => Stage::Browse,
            EpicStep::Typing { .. } => Stage::Typing,
            EpicStep::ConfirmDelete(_) => Stage::Confirm,
            EpicStep::Deleting { .. } => Stage::Deleting,
        };
        match (stage, action) {
            (Stage::Browse, PanelAction::Next) => {
                panel.row = (panel.row + 1).min(count.saturating_sub(1));
            }
            (Stage::Browse, PanelAction::Prev) => panel.row = panel.row.saturating_sub(1),
            (Stage::Browse, PanelAction::Assign) => return self.assign_story(),
            (Stage::Browse, PanelAction::Unassign) => return self.unassign_story(),
            (Stage::Browse, PanelAction::Add) => {
                panel.step = EpicStep::Typing {
                    field: EpicField::New,
                    input: Box::new(text_area("", false)),
                };
            }
            (
                Stage::Browse,
                PanelAction::Rename | PanelAction::EditGoal | PanelAction::EditRelease,
            ) => {
                self.start_epic_typing(action);
            }
            (Stage::Browse, PanelAction::NextColor) => return self.recolour_epic(),
            (Stage::Browse, PanelAction::Delete) => self.start_epic_delete(),
            (Stage::Browse, PanelAction::Close) => self.mode = Mode::Normal,
            (Stage::Typing, PanelAction::Type(key)) => {
                if let EpicStep::Typing { input, .. } = &mut panel.step {
                    type_into(input, key);
                }
            }
            (Stage::Typing, PanelAction::Keep) => return self.keep_epic_text(),
            (Stage::Deleting, PanelAction::Next | PanelAction::Prev) => {
                if let EpicStep::Deleting { epic, choice } = &mut panel.step {
                    let choices = delete_choices(&self.backlog.product, epic);
                    let at = choices.iter().position(|c| c == choice).unwrap_or(0);
                    let at = if action == PanelAction::Next {
                        (at + 1).min(choices.len() - 1)
                    } else {
                        at.saturating_sub(1)
                    };
                    *choice = choices[at].clone();
                }
            }
            (Stage::Confirm | Stage::Deleting, PanelAction::Keep) => return self.delete_epic(),
            (Stage::Typing | Stage::Confirm | Stage::Deleting, PanelAction::Cancel) => {
                panel.step = EpicStep::Browse;
            }
            _ => {}
        }
        None
    }

    /// Put the selected story in the highlighted epic, and close.
    fn assign_story(&mut self) -> Option<Effect> {
        let Some(epic) = self.highlighted_epic() else {
            self.warn("No epics yet: a adds one");
            return None;
        };
        let Some(story) = self.selected_story() else {
            self.warn("No story is selected: add one first");
            return None;
        };
        let (id, already) = (story.id, story.epic.as_deref() == Some(epic.as_str()));
        self.mode = Mode::Normal;
        if already {
            self.notify(format!("{id} is already in {}", one_line(&epic)));
            return None;
        }
        let patch = StoryPatch {
            epic: Some(Some(epic.clone())),
            ..StoryPatch::default()
        };
        let effect = self.edit_story(id, &patch)?;
        self.notify(format!("{id} is now in {}", one_line(&epic)));
        Some(effect)
    }

    /// Take the selected story out of its epic, and close.
    fn unassign_story(&mut self) -> Option<Effect> {
        let Some(story) = self.selected_story() else {
            self.warn("No story is selected: add one first");
            return None;
        };
        let id = story.id;
        let Some(epic) = story.epic.clone() else {
            self.warn(format!("{id} is in no epic"));
            return None;
        };
        self.mode = Mode::Normal;
        let patch = StoryPatch {
            epic: Some(None),
            ..StoryPatch::default()
        };
        let effect = self.edit_story(id, &patch)?;
        self.notify(format!("{id} taken out of {}", one_line(&epic)));
        Some(effect)
    }

    /// Start typing a new name, goal or release for the highlighted epic.
    fn start_epic_typing(&mut self, action: PanelAction) {
        let Some(name) = self.highlighted_epic() else {
            self.warn("No epics yet: a adds one");
            return;
        };
        let Some(epic) = self.backlog.product.epic(&name) else {
            return;
        };
        let (field, text) = match action {
            PanelAction::Rename => (EpicField::Name(name.clone()), name.clone()),
            PanelAction::EditGoal => (EpicField::Goal(name), epic.goal.clone()),
            _ => (
                EpicField::Release(name),
                epic.target_release.clone().unwrap_or_default(),
            ),
        };
        if let Some(panel) = self.epics_panel() {
            panel.step = EpicStep::Typing {
                field,
                input: Box::new(text_area(&text, false)),
            };
        }
    }

    /// Keep what was typed: a new epic, or a new name, goal or release.
    fn keep_epic_text(&mut self) -> Option<Effect> {
        let Mode::Epics(panel) = &self.mode else {
            return None;
        };
        let EpicStep::Typing { field, input } = &panel.step else {
            return None;
        };
        let (field, text) = (field.clone(), typed_line(input));
        let (effect, notice) = match &field {
            EpicField::New => {
                let what = format!("add epic {}", one_line(&text));
                self.change(what, |b| {
                    let color = b.product.next_color();
                    b.add_epic(Epic {
                        name: text.clone(),
                        color,
                        goal: String::new(),
                        target_release: None,
                    })
                })?;
                let count = self.backlog.product.epics.len();
                if let Some(panel) = self.epics_panel() {
                    panel.row = count - 1;
                }
                (
                    Some(Effect::Save),
                    format!("Added epic {}: r renames, g sets its goal", one_line(&text)),
                )
            }
            EpicField::Name(old) => self.rename_epic(old, &text)?,
            EpicField::Goal(name) => self.edit_epic(name, |e| {
                let notice = if text.is_empty() {
                    format!("{} has no goal now", one_line(&e.name))
                } else {
                    format!("{}'s goal is set", one_line(&e.name))
                };
                e.goal.clone_from(&text);
                notice
            })?,
            EpicField::Release(name) => self.edit_epic(name, |e| {
                let notice = if text.is_empty() {
                    format!("{} has no target release now", one_line(&e.name))
                } else {
                    format!("{} targets release {}", one_line(&e.name), one_line(&text))
                };
                e.target_release = (!text.is_empty()).then(|| text.clone());
                notice
            })?,
        };
        if let Some(panel) = self.epics_panel() {
            panel.step = EpicStep::Browse;
        }
        if effect.is_some() {
            self.notify(notice);
        }
        effect
    }

    /// Rename an epic; its stories take the new name. An unchanged name
    /// changes nothing.
    fn rename_epic(&mut self, old: &str, new: &str) -> Option<(Option<Effect>, String)> {
        if new == old {
            return Some((None, String::new()));
        }
        let now = (self.clock)();
        let (count, _) = self.backlog.epic_size(old);
        let what = format!("rename epic {} to {}", one_line(old), one_line(new));
        self.change(what, |b| {
            let mut epic = b
                .product
                .epic(old)
                .cloned()
                .ok_or_else(|| ModelError::UnknownEpic(old.to_string()))?;
            epic.name = new.to_string();
            b.update_epic(old, epic, now)
        })?;
        if self.table.filter.epic == Some(EpicFilter::Named(old.to_string())) {
            self.table.filter.epic = Some(EpicFilter::Named(new.to_string()));
        }
        self.table_mut().refilter();
        Some((
            Some(Effect::Save),
            format!(
                "Renamed {} to {}, with its {}",
                one_line(old),
                one_line(new),
                words::count(count, "story", "stories")
            ),
        ))
    }

    /// Change an epic's goal, release or colour with `edit`, which says
    /// what it did. An edit that leaves the epic as it was changes nothing.
    fn edit_epic(
        &mut self,
        name: &str,
        edit: impl FnOnce(&mut Epic) -> String,
    ) -> Option<(Option<Effect>, String)> {
        let Some(mut epic) = self.backlog.product.epic(name).cloned() else {
            self.warn(ModelError::UnknownEpic(name.to_string()).to_string());
            return None;
        };
        let notice = edit(&mut epic);
        if self.backlog.product.epic(name) == Some(&epic) {
            return Some((None, notice));
        }
        let now = (self.clock)();
        let what = format!("change epic {}", one_line(name));
        self.change(what, |b| b.update_epic(name, epic, now))?;
        Some((Some(Effect::Save), notice))
    }

    fn recolour_epic(&mut self) -> Option<Effect> {
        let Some(name) = self.highlighted_epic() else {
            self.warn("No epics yet: a adds one");
            return None;
        };
        let (effect, notice) = self.edit_epic(&name, |e| {
            e.color = e.color.next();
            format!("{} is {} now", one_line(&e.name), e.color)
        })?;
        self.notify(notice);
        effect
    }

    /// Ask before deleting the highlighted epic: yes or no when it has no
    /// stories, else what becomes of them.
    fn start_epic_delete(&mut self) {
        let Some(epic) = self.highlighted_epic() else {
            self.warn("No epics yet: nothing to delete");
            return;
        };
        let (count, _) = self.backlog.epic_size(&epic);
        if let Some(panel) = self.epics_panel() {
            panel.step = if count == 0 {
                EpicStep::ConfirmDelete(epic)
            } else {
                EpicStep::Deleting {
                    epic,
                    choice: EpicStories::Unassign,
                }
            };
        }
    }

    /// Delete the epic as confirmed or chosen.
    fn delete_epic(&mut self) -> Option<Effect> {
        let Mode::Epics(panel) = &mut self.mode else {
            return None;
        };
        let (epic, choice) = match &panel.step {
            EpicStep::ConfirmDelete(epic) => (epic.clone(), None),
            EpicStep::Deleting { epic, choice } => (epic.clone(), Some(choice.clone())),
            _ => return None,
        };
        let (count, _) = self.backlog.epic_size(&epic);
        let how = match choice {
            Some(choice) => choice,
            // Stories arrived since the question (from another writer):
            // ask about them rather than decide.
            None if count > 0 => {
                panel.step = EpicStep::Deleting {
                    epic,
                    choice: EpicStories::Unassign,
                };
                return None;
            }
            None => EpicStories::Unassign,
        };
        let selected = self.selected_story().map(|s| s.id);
        let now = (self.clock)();
        let what = format!("delete epic {}", one_line(&epic));
        let deleted = self.change(what, |b| b.remove_epic(&epic, &how, now))?;
        if self.table.filter.epic == Some(EpicFilter::Named(epic.clone())) {
            self.table.filter.epic = None;
        }
        // Stories may be gone: the table's rows are stale until recomputed,
        // so the selection is taken from before the change.
        self.table_mut().recompute(selected);
        let left = self.backlog.product.epics.len();
        if let Some(panel) = self.epics_panel() {
            panel.step = EpicStep::Browse;
            panel.row = panel.row.min(left.saturating_sub(1));
        }
        let name = one_line(&epic);
        self.notify(match how {
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
        Some(Effect::Save)
    }
}
