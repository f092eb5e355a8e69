//! `App::update` for the story editor: what each editor key does.

use super::action::{Action, Effect};
use super::app::{App, Mode};
use super::editor::{self, CriterionRef, Editor, Field};
use super::keymap::Context;
use crate::model::{Stamp, StoryId, StoryPatch, renumber};
use crate::text::one_line;

impl App {
    /// An editor key that acts on the selected field.
    pub(super) fn editor_action(&mut self, action: &Action) -> Option<Effect> {
        let Mode::Editing(editor) = &self.mode else {
            return None;
        };
        let id = editor.id;
        let Some(story) = self.backlog.get(id) else {
            self.mode = Mode::Normal;
            self.warn(format!("{id} is gone: deleted elsewhere"));
            return None;
        };
        let field = editor.field(story);
        let criteria = story.acceptance_criteria.clone();
        match (action, field) {
            (Action::EditField, Field::Comment(_)) => {
                self.warn(
                    "Comments are kept as written: Esc, then c adds one; Space resolves a question",
                );
                None
            }
            (Action::ToggleDone, Field::Comment(i)) => self.toggle_resolved(i),
            (Action::EditField, Field::Status) => {
                // Stepped, not typed: Enter steps forward like l.
                self.step_value(field, true)
            }
            (Action::EditField, _) => {
                let text = editor::text_of(story, field, &self.backlog.product);
                let story = story.clone();
                if let Mode::Editing(editor) = &mut self.mode {
                    editor.open(&story, field, &text, None);
                }
                None
            }
            (Action::ValueNext | Action::ValuePrev, _) if field.steps() => {
                self.step_value(field, *action == Action::ValueNext)
            }
            (Action::ValueNext | Action::ValuePrev, _) => {
                self.warn("h/l change the estimate, status and epic; Enter types into a field");
                None
            }
            (Action::ToggleDone, Field::Criterion(i)) => {
                let mut criteria = criteria;
                criteria[i].done = !criteria[i].done;
                self.edit_story(id, &criteria_patch(criteria))
            }
            (Action::AddCriterion, _) => {
                let after = match field {
                    Field::Criterion(i) => Some(i),
                    _ => None,
                };
                let fields = editor::fields(story);
                let story = story.clone();
                if let Mode::Editing(editor) = &mut self.mode {
                    editor.row = fields
                        .iter()
                        .position(|f| *f == Field::NewCriterion)
                        .unwrap_or(0);
                    editor.open(&story, Field::NewCriterion, "", after);
                }
                None
            }
            (Action::RemoveCriterion, Field::Criterion(i)) => {
                let mut criteria = criteria;
                let removed = criteria.remove(i);
                let effect = self.edit_story(id, &criteria_patch(criteria));
                if effect.is_some() {
                    self.notify(format!("Removed \"{}\"", one_line(&removed.text)));
                }
                effect
            }
            (Action::CriterionDown, Field::Criterion(i)) if i + 1 < criteria.len() => {
                self.swap_criteria(criteria, i, i + 1)
            }
            (Action::CriterionUp, Field::Criterion(i)) if i > 0 => {
                self.swap_criteria(criteria, i, i - 1)
            }
            (Action::CriterionDown | Action::CriterionUp, Field::Criterion(_)) => None,
            (_, _) => {
                self.warn("That key works on an acceptance criterion: select one with j/k");
                None
            }
        }
    }

    /// Resolve the question at comment `i`, or open it again.
    fn toggle_resolved(&mut self, i: usize) -> Option<Effect> {
        let Mode::Editing(editor) = &self.mode else {
            return None;
        };
        let id = editor.id;
        // Only a question is resolved: the model says so of a comment.
        let comment = self.backlog.get(id)?.comments.get(i)?;
        let resolution = match comment.resolved {
            Some(_) => None,
            None => Some(Stamp {
                at: (self.clock)(),
                by: self.author.clone(),
            }),
        };
        let resolved = resolution.is_some();
        let now = (self.clock)();
        let label = if resolved { "resolve" } else { "reopen" };
        self.change(format!("{label} a question on {id}"), |b| {
            b.resolve(id, i + 1, resolution, now)
        })?;
        self.table_mut().story_changed(id);
        self.notify(if resolved {
            format!("Resolved the question on {id}")
        } else {
            format!("The question on {id} is open again")
        });
        Some(Effect::Save)
    }

    fn swap_criteria(
        &mut self,
        mut criteria: Vec<crate::model::Criterion>,
        from: usize,
        to: usize,
    ) -> Option<Effect> {
        let Mode::Editing(editor) = &self.mode else {
            return None;
        };
        let id = editor.id;
        criteria.swap(from, to);
        let effect = self.edit_story(id, &criteria_patch(criteria));
        if effect.is_some()
            && let Mode::Editing(editor) = &mut self.mode
        {
            // The row follows the criterion.
            editor.row = editor.row + to - from;
        }
        effect
    }

    /// Step the estimate, status or epic of the editor's story.
    fn step_value(&mut self, field: Field, forward: bool) -> Option<Effect> {
        let Mode::Editing(editor) = &self.mode else {
            return None;
        };
        let id = editor.id;
        let story = self.backlog.get(id)?;
        match field {
            Field::Estimate => self.step_estimate(forward),
            Field::Status => self.step_status(forward),
            Field::Epic => {
                let epic = editor::cycle_epic(story, &self.backlog.product, forward);
                if self.backlog.product.epics.is_empty() {
                    self.warn("No epics yet: Enter types a name, which makes one");
                    return None;
                }
                self.edit_story(
                    id,
                    &StoryPatch {
                        epic: Some(epic),
                        ..StoryPatch::default()
                    },
                )
            }
            _ => None,
        }
    }

    /// Keep what was typed into the editor's field.
    pub(super) fn keep_field(&mut self) -> Option<Effect> {
        let Mode::Editing(editor) = &self.mode else {
            return None;
        };
        let id = editor.id;
        let Some(typing) = &editor.typing else {
            return None;
        };
        let (typed, anchor) = (typing.field, typing.anchor.clone());
        let text = typing.area.lines().join("\n");
        let Some(story) = self.backlog.get(id) else {
            self.mode = Mode::Normal;
            self.warn(format!("{id} is gone: deleted elsewhere"));
            return None;
        };
        // The field typed into, found again by what it was about: another
        // program may have added or removed criteria meanwhile.
        let found = |anchor: &Option<CriterionRef>| {
            anchor
                .as_ref()
                .and_then(|a| a.find(&story.acceptance_criteria))
        };
        let (field, insert_at) = match typed {
            Field::Criterion(_) => {
                let Some(now) = found(&anchor) else {
                    self.warn("That criterion was changed elsewhere meanwhile: Esc leaves it");
                    return None;
                };
                (Field::Criterion(now), None)
            }
            // After the criterion it was to follow, wherever that is now;
            // at the end if it cannot be told.
            Field::NewCriterion => (Field::NewCriterion, found(&anchor)),
            other => (other, None),
        };
        let text = if typed.is_multi_line() {
            text
        } else {
            // A one-line field never keeps a line break.
            text.lines().collect::<Vec<_>>().join(" ")
        };
        let mut patch =
            match editor::patch_for(story, field, &text, &self.backlog.product, insert_at) {
                Ok(patch) => patch,
                Err(message) => {
                    self.warn(message);
                    return None;
                }
            };
        // A name no epic has makes one only when asked twice: a typo must
        // not quietly start an epic beside the one that was meant.
        let new_epic = match &patch.epic {
            Some(Some(name)) if self.backlog.product.epic(name).is_none() => Some(name.clone()),
            _ => None,
        };
        if let Some(name) = &new_epic {
            if typing.new_epic.as_ref() != Some(name) {
                self.notify(format!(
                    "No epic {} yet: Enter again creates it, Esc cancels",
                    one_line(name)
                ));
                if let Mode::Editing(editor) = &mut self.mode
                    && let Some(typing) = &mut editor.typing
                {
                    typing.new_epic = Some(name.clone());
                }
                return None;
            }
            patch.new_epic = true;
        }
        let effect = self.edit_story(id, &patch)?;
        let scale = self.backlog.product.settings.scale;
        if let Some(Some(points)) = patch.points
            && let Some(off) = scale.off_scale(points)
        {
            self.notify(format!(
                "{id} is estimated at {}, which is {off}",
                scale.describe(points)
            ));
        }
        if let Some(name) = &new_epic
            && let Some(epic) = self.backlog.product.epic(name)
        {
            self.notify(format!(
                "Created epic {} ({}), with {id} in it",
                one_line(&epic.name),
                epic.color
            ));
        }
        let story = self.backlog.get(id)?;
        let landing = match field {
            // Land on the criterion just added.
            Field::NewCriterion => Some(Field::Criterion(insert_at.map_or_else(
                || story.acceptance_criteria.len().saturating_sub(1),
                |i| i + 1,
            ))),
            Field::Criterion(_) if text.trim().is_empty() => None,
            other => Some(other),
        };
        let fields = editor::fields(story);
        if let Mode::Editing(editor) = &mut self.mode {
            editor.typing = None;
            if let Some(row) = landing.and_then(|f| fields.iter().position(|x| *x == f)) {
                editor.row = row;
            }
        }
        Some(effect)
    }
}

fn criteria_patch(criteria: Vec<crate::model::Criterion>) -> StoryPatch {
    StoryPatch {
        criteria: Some(criteria),
        ..StoryPatch::default()
    }
}

/// The editor is in a `Box` inside the mode; tests and views read it here.
impl Mode {
    /// Every story id the mode holds follows a renumbering (a merge gave
    /// new stories of this session new ids).
    pub(super) fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        if changes.is_empty() {
            return;
        }
        if let Mode::Editing(editor) = self {
            editor.id = renumber(editor.id, changes);
        }
    }

    /// The key context of the mode.
    #[must_use]
    pub fn context(&self) -> Context {
        match self {
            Mode::Normal => Context::Backlog,
            Mode::Editing(editor) => match &editor.typing {
                None => Context::Form,
                Some(typing) if typing.field.is_multi_line() => Context::FormText,
                Some(_) => Context::FormField,
            },
        }
    }

    /// Whether a key the keymap does not bind is text typed into it.
    #[must_use]
    pub fn takes_text(&self) -> bool {
        match self {
            Mode::Editing(editor) => editor.typing.is_some(),
            Mode::Normal => false,
        }
    }

    #[must_use]
    pub fn editor(&self) -> Option<&Editor> {
        match self {
            Mode::Editing(editor) => Some(editor),
            Mode::Normal => None,
        }
    }
}
