//! `App::update` for editing a story in `$VISUAL` / `$EDITOR`: the story
//! goes out as a Markdown document and comes back as one change, or not at
//! all. Running the editor is the event loop's work.

use std::fmt::Write as _;

use super::action::{Action, Effect};
use super::app::{App, Handout, Mode, UnknownEpic};
use super::keymap;
use super::screens::confirm::{Confirm, Question};
use crate::interchange::document;
use crate::model::{ModelError, Status, StoryId, ready};
use crate::text::one_line;

impl App {
    /// Ask the loop to open the selected (or edited) story in the editor.
    pub(super) fn open_editor(&mut self) -> Option<Effect> {
        let Some(story) = self.current_story() else {
            self.warn("No story to edit");
            return None;
        };
        Some(Effect::OpenEditor { id: story.id })
    }

    /// Edit the text of a document that could not be applied, once more.
    pub(super) fn edit_again(&mut self) -> Option<Effect> {
        let Mode::EditorError { id, .. } = &self.mode else {
            return None;
        };
        Some(Effect::OpenEditor { id: *id })
    }

    /// The text to hand the editor for story `id`, once the file is up to
    /// date: the user's own text when they are editing it again, else the
    /// story's document as it is now. `None` (and a message) when the
    /// story is gone.
    pub fn hand_to_editor(&mut self, id: StoryId) -> Option<String> {
        let base = self
            .backlog
            .get(id)
            .map(|s| document::render(s, &self.backlog.product));
        if let Mode::EditorError {
            id: theirs,
            text,
            error,
            ..
        } = &self.mode
            && *theirs == id
        {
            let (text, error) = (text.clone(), error.clone());
            self.mode = Mode::Normal;
            self.handed_out = Some(Handout {
                base,
                error: Some(error),
            });
            return Some(text);
        }
        let Some(text) = base else {
            self.warn(format!("{id} is gone: deleted elsewhere"));
            return None;
        };
        self.handed_out = Some(Handout {
            base: Some(text.clone()),
            error: None,
        });
        Some(text)
    }

    /// The user's text was not applied: show why, and keep it for them to
    /// edit again or discard.
    fn not_applied(
        &mut self,
        id: StoryId,
        text: String,
        error: impl Into<String>,
    ) -> Option<Effect> {
        self.mode = Mode::EditorError {
            id,
            text,
            error: error.into(),
            unknown_epic: None,
        };
        None
    }

    /// Create the epic a refused document named, and apply the document:
    /// the explicit "create" that a typo never gets by accident. Only
    /// over the story as it was when the document was refused.
    pub(super) fn create_epic_and_apply(&mut self) -> Option<Effect> {
        let Mode::EditorError {
            id,
            text,
            unknown_epic: Some(unknown),
            ..
        } = &self.mode
        else {
            return None;
        };
        let (id, text) = (*id, text.clone());
        if self.backlog.get(id) != Some(&*unknown.story) {
            return self.not_applied(
                id,
                text,
                format!(
                    "{id} was changed elsewhere meanwhile, and your text would undo that change"
                ),
            );
        }
        self.apply_document(id, text, true)
    }

    /// The editor closed with `result`: apply the document as one change,
    /// or say why not and keep the user's text.
    pub(super) fn edited(
        &mut self,
        id: StoryId,
        original: &str,
        result: Result<String, String>,
    ) -> Option<Effect> {
        // The story's own document now, and when the editor opened: text
        // handed out that was not the story's is the user's, which is never
        // dropped unasked.
        let current = self
            .backlog
            .get(id)
            .map(|s| document::render(s, &self.backlog.product));
        let handout = self.handed_out.take().unwrap_or(Handout {
            base: current.clone(),
            error: None,
        });
        let base = handout.base;
        let theirs = base.as_deref() != Some(original);
        let text = match result {
            Ok(text) => text,
            Err(why) if theirs => {
                return self.not_applied(
                    id,
                    original.to_string(),
                    format!("{why}; your text is as it was"),
                );
            }
            Err(why) => {
                self.warn(format!("{why}; {id} is unchanged"));
                return None;
            }
        };
        // Text that comes back as it went out was not meant to be applied:
        // quitting an editor is cancelling.
        if text == original {
            if theirs {
                let why = handout.error.unwrap_or_default();
                return self.not_applied(
                    id,
                    text,
                    format!("{why} (your text came back unchanged)"),
                );
            }
            self.notify(format!("No change to {id}"));
            return None;
        }
        if self.backlog.get(id).is_none() {
            return self.not_applied(id, text, format!("{id} was deleted elsewhere meanwhile"));
        }
        if current != base {
            // Applying the document would write over what another program
            // changed while the editor was open.
            return self.not_applied(
                id,
                text,
                format!("{id} was changed elsewhere while you edited it, and your text would undo that change"),
            );
        }
        self.apply_document(id, text, false)
    }

    /// Apply a document from the editor to story `id`, or keep the text
    /// and say why not. An epic it names that there is not is created only
    /// when `new_epic` says so; otherwise the refusal offers it.
    fn apply_document(&mut self, id: StoryId, text: String, new_epic: bool) -> Option<Effect> {
        let doc = match document::parse(&text, self.backlog.product.settings.scale) {
            Ok(doc) => doc,
            Err(e) => return self.not_applied(id, text, e.to_string()),
        };
        if let Some(other) = doc.id.filter(|other| *other != id) {
            return self.not_applied(
                id,
                text,
                format!("line 2: this is the document of {other}, not of {id}"),
            );
        }
        let mut patch = doc.patch();
        patch.new_epic = new_epic;
        let epics_before = self.backlog.product.epics.len();
        // Becoming ready while the edited story would not be asks first, as
        // the status key does: the rest of the edit is kept either way, and
        // the answer is a change of its own. A story that would be ready
        // takes its new status with the rest, in one change.
        let missing = self.backlog.get(id).map_or_else(Vec::new, |story| {
            if patch.status == Some(Status::Ready) && story.status != Status::Ready {
                ready::reasons(
                    &patch.applied_to(story),
                    &self.backlog.product.settings.ready,
                )
            } else {
                Vec::new()
            }
        });
        let asks = !missing.is_empty();
        if asks {
            patch.status = None;
        }
        self.mode = Mode::Normal;
        let now = (self.clock)();
        let what = format!("edit of {id} in the editor");
        let before = self.backlog.get_arc(id).cloned();
        let mut refusal = None;
        let edit = |b: &mut crate::model::Backlog| {
            b.edit(id, &patch, now)
                .inspect_err(|e| refusal = Some(e.clone()))
        };
        if self.change(what, edit).is_none() {
            let line = refusal.as_ref().and_then(|e| doc.line_of(e));
            return self.refused(id, text, refusal, line);
        }
        // Text that differs but says the same (a blank line more) changes
        // nothing, and is told so, as an unchanged text is.
        if let (Some(before), Some(now)) = (&before, self.backlog.get_arc(id))
            && std::sync::Arc::ptr_eq(before, now)
            && !asks
        {
            self.notify(format!("No change to {id}"));
            return None;
        }
        self.table_mut().story_changed(id);
        let scale = self.backlog.product.settings.scale;
        let off = patch
            .points
            .flatten()
            .and_then(|p| Some((scale.describe(p), scale.off_scale(p)?)));
        let mut created = String::new();
        for epic in self.backlog.product.epics.iter().skip(epics_before) {
            let _ = write!(
                created,
                "; created epic {} ({})",
                one_line(&epic.name),
                epic.color
            );
        }
        match off {
            Some((points, off)) => self.notify(format!(
                "Updated {id} from the editor{created}; its estimate, {points}, is {off}"
            )),
            None => self.notify(format!("Updated {id} from the editor{created}")),
        }
        let effect = Some(Effect::Save);
        if asks {
            self.open(Confirm::new(Question::ReadyAnyway { id, missing }));
        }
        effect
    }

    /// The model refused the document (a title too long, an epic there is
    /// not, say): nothing changed, and the text is not lost. `line` is the
    /// document's line the refusal is about, if any.
    fn refused(
        &mut self,
        id: StoryId,
        text: String,
        refusal: Option<ModelError>,
        line: Option<usize>,
    ) -> Option<Effect> {
        let mut error = self.notice.take().map_or_else(String::new, |n| n.text);
        let unknown_epic = match (refusal, self.backlog.get_arc(id)) {
            (Some(ModelError::UnknownEpic(name)), Some(story)) => Some(UnknownEpic {
                name,
                story: std::sync::Arc::clone(story),
            }),
            _ => None,
        };
        // Named as the box takes it, from the keymap.
        if unknown_epic.is_some()
            && let Some(key) = key_for(keymap::EDITOR_ERROR_EPIC, &Action::CreateEpicAndApply)
        {
            let _ = write!(error, ": {key} creates it and applies your text");
        }
        let error = match line {
            Some(line) => format!("line {line}: {error}"),
            None => error,
        };
        self.not_applied(id, text, error);
        if let Mode::EditorError {
            unknown_epic: slot, ..
        } = &mut self.mode
        {
            *slot = unknown_epic;
        }
        None
    }

    /// Throw away a document that was not applied.
    pub(super) fn discard_edit(&mut self) {
        if let Mode::EditorError { id, .. } = std::mem::take(&mut self.mode) {
            self.notify(format!("Discarded your edit; {id} is unchanged"));
        }
    }
}

/// The first key bound to `action` in `table`, as the help shows it.
fn key_for(table: &[keymap::Binding], action: &Action) -> Option<String> {
    table
        .iter()
        .find(|b| b.action == *action)
        .map(|b| b.keys[0].label())
}
