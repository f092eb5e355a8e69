//! The story form: a story as a form, one row per field and one per
//! acceptance criterion and comment. A row is changed in place (estimate,
//! status, epic, criteria) or typed into with a text area; each kept
//! change is saved at once and can be undone on its own.

mod fields;
mod view;

pub use fields::{CriterionRef, Field, Refusal, cycle_epic, fields, patch_for, text_of};

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

use super::Screen;
use super::backlog::{step_estimate, step_status};
use crate::model::{Backlog, Criterion, Stamp, Story, StoryId, StoryPatch, renumber};
use crate::text::one_line;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::Areas;
use crate::tui::typing::TextField;

/// The form's state: which story, which row, and the text being typed.
#[derive(Clone, Debug)]
pub struct StoryForm {
    pub id: StoryId,
    /// Index into [`fields`] of the story.
    pub row: usize,
    /// The field being typed into, while one is.
    pub typing: Option<Typing>,
}

/// A field being typed into.
#[derive(Clone, Debug)]
pub struct Typing {
    pub field: Field,
    pub area: TextField,
    /// The criterion it is about (the one edited, or the one a new one goes
    /// after), so that a change made elsewhere meanwhile cannot redirect
    /// what is kept.
    pub anchor: Option<CriterionRef>,
    /// A name no epic has, typed into the epic field and kept once: the
    /// status bar asked, and keeping the same name again makes the epic.
    pub new_epic: Option<String>,
}

impl StoryForm {
    #[must_use]
    pub fn new(id: StoryId) -> Self {
        StoryForm {
            id,
            row: 0,
            typing: None,
        }
    }

    /// The field at the current row of `story`'s form.
    #[must_use]
    pub fn field(&self, story: &Story) -> Field {
        let fields = fields(story);
        fields[self.row.min(fields.len() - 1)]
    }

    /// Start typing into `field` of `story`, starting from `text`; a new
    /// criterion goes after the one at index `after`, or at the end.
    pub fn open(&mut self, story: &Story, field: Field, text: &str, after: Option<usize>) {
        let anchor = match field {
            Field::Criterion(i) => Some(i),
            Field::NewCriterion => after,
            _ => None,
        }
        .and_then(|i| CriterionRef::of(&story.acceptance_criteria, i));
        self.typing = Some(Typing {
            field,
            area: TextField::new(text, field.is_multi_line()),
            anchor,
            new_epic: None,
        });
    }

    /// The story changed under the form (another program, an undo): stay
    /// on the same field, finding a criterion or comment by its text.
    fn follow_story(&mut self, old: &Story, new: &Story) {
        let field = self.field(old);
        let same = match field {
            Field::Criterion(i) => CriterionRef::of(&old.acceptance_criteria, i)
                .and_then(|c| c.find(&new.acceptance_criteria))
                .map_or(Field::NewCriterion, Field::Criterion),
            Field::Comment(i) => old
                .comments
                .get(i)
                .and_then(|c| new.comments.iter().position(|n| n == c))
                .map_or(Field::BlockedBy, Field::Comment),
            other => other,
        };
        self.row = fields(new)
            .iter()
            .position(|f| *f == same)
            .unwrap_or(self.row);
    }

    /// Undo (or redo) the newest change, staying on this story and its
    /// field; when the story is gone with it, the form closes.
    fn undo(&mut self, redo: bool, ctx: &mut Ctx) {
        let before = ctx.backlog().get_arc(self.id).cloned();
        if ctx.undo(redo, Some(self.id)).is_none() {
            return;
        }
        match (before, ctx.backlog().get(self.id)) {
            (Some(before), Some(now)) => self.follow_story(&before, now),
            (_, None) => ctx.close(),
            (None, Some(_)) => {}
        }
    }

    /// A key that acts on the selected field, or on the story.
    fn act(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        let id = self.id;
        let Some(story) = ctx.backlog().get(id) else {
            ctx.close();
            ctx.warn(format!("{id} is gone: deleted elsewhere"));
            return None;
        };
        let field = self.field(story);
        let criteria = story.acceptance_criteria.clone();
        let key = |command| ctx.key(Context::Form, command);
        match (command, field) {
            (Command::EditField, Field::Comment(_)) => {
                let message = format!(
                    "Comments are kept as written: {}, then {} adds one; {} resolves a question",
                    key(Command::Close),
                    ctx.key(Context::Backlog, Command::Comment),
                    key(Command::ToggleDone)
                );
                ctx.warn(message);
            }
            (Command::ToggleDone, Field::Comment(i)) => toggle_resolved(id, i, ctx),
            // Stepped, not typed: it steps forward as next_value does.
            (Command::EditField, Field::Status) => step_status(id, true, ctx),
            (Command::EditField, _) => {
                let text = text_of(story, field, &ctx.backlog().product);
                let story = story.clone();
                self.open(&story, field, &text, None);
            }
            (Command::NextValue | Command::PreviousValue, _) if field.steps() => {
                step_value(id, field, command == Command::NextValue, ctx);
            }
            (Command::NextValue | Command::PreviousValue, _) => {
                let message = format!(
                    "{} change the estimate, status and epic; {} types into a field",
                    ctx.keymap()
                        .pair(Context::Form, Command::PreviousValue, Command::NextValue),
                    key(Command::EditField)
                );
                ctx.warn(message);
            }
            (Command::ToggleDone, Field::Criterion(i)) => {
                let mut criteria = criteria;
                criteria[i].done = !criteria[i].done;
                ctx.edit_story(id, &criteria_patch(criteria));
            }
            (Command::AddCriterion, _) => {
                let after = match field {
                    Field::Criterion(i) => Some(i),
                    _ => None,
                };
                let story = story.clone();
                self.row = fields(&story)
                    .iter()
                    .position(|f| *f == Field::NewCriterion)
                    .unwrap_or(0);
                self.open(&story, Field::NewCriterion, "", after);
            }
            (Command::RemoveCriterion, Field::Criterion(i)) => {
                let mut criteria = criteria;
                let removed = criteria.remove(i);
                if ctx.edit_story(id, &criteria_patch(criteria)) {
                    ctx.notify(format!("Removed \"{}\"", one_line(&removed.text)));
                }
            }
            (Command::MoveDown, Field::Criterion(i)) if i + 1 < criteria.len() => {
                self.swap_criteria(criteria, i, i + 1, ctx);
            }
            (Command::MoveUp, Field::Criterion(i)) if i > 0 => {
                self.swap_criteria(criteria, i, i - 1, ctx);
            }
            (Command::MoveDown | Command::MoveUp, Field::Criterion(_)) => {}
            (
                Command::ToggleDone
                | Command::RemoveCriterion
                | Command::MoveDown
                | Command::MoveUp,
                _,
            ) => {
                let message = format!(
                    "That key works on an acceptance criterion: select one with {}",
                    ctx.keymap()
                        .pair(Context::Form, Command::SelectNext, Command::SelectPrevious)
                );
                ctx.warn(message);
            }
            (Command::EstimateUp | Command::EstimateDown, _) => {
                step_estimate(id, command == Command::EstimateUp, Context::Form, ctx);
            }
            (Command::EditInEditor, _) => return Some(Effect::OpenEditor { id }),
            _ => {}
        }
        None
    }

    fn swap_criteria(
        &mut self,
        mut criteria: Vec<Criterion>,
        from: usize,
        to: usize,
        ctx: &mut Ctx,
    ) {
        criteria.swap(from, to);
        if ctx.edit_story(self.id, &criteria_patch(criteria)) {
            // The row follows the criterion.
            self.row = self.row + to - from;
        }
    }

    /// Stop typing, keeping what was typed as [`StoryForm::keep_field`]
    /// does, but never starting an epic: that takes the keep key itself.
    /// A field with nothing typed into it, or a new criterion left blank,
    /// just closes: nothing is lost.
    fn stop_typing(&mut self, ctx: &mut Ctx) {
        let Some(typing) = &self.typing else {
            return;
        };
        let blank_criterion =
            typing.field == Field::NewCriterion && typing.area.text().trim().is_empty();
        if !typing.area.is_changed() || blank_criterion {
            self.typing = None;
        } else {
            self.keep_field(ctx, false);
        }
    }

    /// Keep what was typed into the field. A name no epic has makes one
    /// only when `may_add_epic`, and asked twice.
    fn keep_field(&mut self, ctx: &mut Ctx, may_add_epic: bool) {
        let id = self.id;
        let Some(typing) = &self.typing else {
            return;
        };
        let (typed, anchor) = (typing.field, typing.anchor.clone());
        let text = typing.area.text();
        let Some(story) = ctx.backlog().get(id) else {
            ctx.close();
            ctx.warn(format!("{id} is gone: deleted elsewhere"));
            return;
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
                    let cancel = ctx.key(self.context(), Command::CancelField);
                    ctx.warn(format!(
                        "That criterion was changed elsewhere meanwhile: {cancel} leaves it"
                    ));
                    return;
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
        let product = &ctx.backlog().product;
        let mut patch = match patch_for(story, field, &text, product, insert_at) {
            Ok(patch) => patch,
            Err(refusal) => {
                let message = refusal.message(ctx.keymap(), self.context());
                ctx.warn(message);
                return;
            }
        };
        // A name no epic has makes one only when asked twice: a typo must
        // not quietly start an epic beside the one that was meant.
        let new_epic = match &patch.epic {
            Some(Some(name)) if product.epic(name).is_none() => Some(name.clone()),
            _ => None,
        };
        if let Some(name) = &new_epic {
            if typing.new_epic.as_ref() != Some(name) || !may_add_epic {
                self.ask_for_new_epic(name, ctx);
                return;
            }
            patch.new_epic = true;
        }
        if !ctx.edit_story(id, &patch) {
            return;
        }
        let scale = ctx.backlog().product.settings.scale;
        if let Some(Some(points)) = patch.points
            && let Some(off) = scale.off_scale(points)
        {
            ctx.notify(format!(
                "{id} is estimated at {}, which is {off}",
                scale.describe(points)
            ));
        }
        let created = new_epic.as_ref().and_then(|name| {
            let epic = ctx.backlog().product.epic(name)?;
            Some(format!(
                "Created epic {} ({}), with {id} in it",
                one_line(&epic.name),
                epic.color
            ))
        });
        if let Some(created) = created {
            ctx.notify(created);
        }
        self.typing = None;
        self.land_after(field, insert_at, text.trim().is_empty(), ctx);
    }

    /// After keeping what was typed into `field`, select the row it is
    /// now: a new criterion where it went in (after `insert_at`, or at
    /// the end), and a criterion emptied, which is gone, nowhere new.
    fn land_after(&mut self, field: Field, insert_at: Option<usize>, emptied: bool, ctx: &Ctx) {
        let Some(story) = ctx.backlog().get(self.id) else {
            return;
        };
        let landing = match field {
            // Land on the criterion just added.
            Field::NewCriterion => Some(Field::Criterion(insert_at.map_or_else(
                || story.acceptance_criteria.len().saturating_sub(1),
                |i| i + 1,
            ))),
            Field::Criterion(_) if emptied => None,
            other => Some(other),
        };
        let fields = fields(story);
        if let Some(row) = landing.and_then(|f| fields.iter().position(|x| *x == f)) {
            self.row = row;
        }
    }
}

impl StoryForm {
    /// Say that the epic `name` typed is not there yet, and that keeping
    /// it (again, or after stopping typing) makes it.
    fn ask_for_new_epic(&mut self, name: &str, ctx: &mut Ctx) {
        let context = self.context();
        ctx.notify(format!(
            "No epic {} yet: {} creates it, {} leaves the field as it was",
            one_line(name),
            ctx.key(context, Command::KeepField),
            ctx.key(context, Command::CancelField)
        ));
        if let Some(typing) = &mut self.typing {
            typing.new_epic = Some(name.to_string());
        }
    }
}

impl Screen for StoryForm {
    fn context(&self) -> Context {
        match &self.typing {
            None => Context::Form,
            Some(typing) if typing.field.is_multi_line() => Context::FormText,
            Some(_) => Context::FormField,
        }
    }

    fn takes_text(&self) -> bool {
        self.typing.is_some()
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        match command {
            Command::SelectNext | Command::SelectPrevious => {
                let rows = ctx.backlog().get(self.id).map_or(1, |s| fields(s).len());
                self.row = if command == Command::SelectNext {
                    (self.row + 1).min(rows - 1)
                } else {
                    self.row.saturating_sub(1).min(rows - 1)
                };
            }
            Command::KeepField => self.keep_field(ctx, true),
            Command::StopTyping => self.stop_typing(ctx),
            Command::CancelField => self.typing = None,
            Command::Close => ctx.close(),
            Command::Undo => self.undo(false, ctx),
            Command::Redo => self.undo(true, ctx),
            command => return self.act(command, ctx),
        }
        None
    }

    fn input(&mut self, key: KeyEvent, _ctx: &mut Ctx) {
        if let Some(typing) = &mut self.typing {
            typing.area.type_key(key);
        }
    }

    fn paste(&mut self, text: &str, _ctx: &mut Ctx) {
        if let Some(typing) = &mut self.typing {
            typing.area.paste(text);
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        view::render(app, self, frame, areas.form());
    }

    fn story(&self) -> Option<StoryId> {
        Some(self.id)
    }

    fn follow(&mut self, before: Option<&Story>, now: &Backlog) -> bool {
        if let (Some(before), Some(now)) = (before, now.get(self.id)) {
            self.follow_story(before, now);
        }
        true
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        self.id = renumber(self.id, changes);
    }
}

/// Resolve the question at comment `i` of story `id`, or open it again.
fn toggle_resolved(id: StoryId, i: usize, ctx: &mut Ctx) {
    // Only a question is resolved: the model says so of a comment.
    let Some(comment) = ctx.backlog().get(id).and_then(|s| s.comments.get(i)) else {
        return;
    };
    let now = ctx.now();
    let resolution = match comment.resolved {
        Some(_) => None,
        None => Some(Stamp {
            at: now,
            by: ctx.author().to_string(),
        }),
    };
    let resolved = resolution.is_some();
    let label = if resolved { "resolve" } else { "reopen" };
    if ctx
        .change(format!("{label} a question on {id}"), |b| {
            b.resolve(id, i + 1, resolution, now)
        })
        .is_none()
    {
        return;
    }
    ctx.table().story_changed(id);
    ctx.notify(if resolved {
        format!("Resolved the question on {id}")
    } else {
        format!("The question on {id} is open again")
    });
}

/// Step the estimate, status or epic of story `id`.
fn step_value(id: StoryId, field: Field, forward: bool, ctx: &mut Ctx) {
    match field {
        Field::Estimate => step_estimate(id, forward, Context::Form, ctx),
        Field::Status => step_status(id, forward, ctx),
        Field::Epic => {
            let product = &ctx.backlog().product;
            if product.epics.is_empty() {
                let edit = ctx.key(Context::Form, Command::EditField);
                ctx.warn(format!(
                    "No epics yet: {edit} types a name, which makes one"
                ));
                return;
            }
            let Some(story) = ctx.backlog().get(id) else {
                return;
            };
            let epic = cycle_epic(story, product, forward);
            let patch = StoryPatch {
                epic: Some(epic),
                ..StoryPatch::default()
            };
            ctx.edit_story(id, &patch);
        }
        _ => {}
    }
}

fn criteria_patch(criteria: Vec<Criterion>) -> StoryPatch {
    StoryPatch {
        criteria: Some(criteria),
        ..StoryPatch::default()
    }
}
