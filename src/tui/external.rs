//! `App::update` for editing a story in `$VISUAL` / `$EDITOR`: the story
//! goes out as a Markdown document and comes back as one change, or not at
//! all. Running the editor is the event loop's work.

use super::action::Effect;
use super::app::{App, Change, Mode};
use crate::interchange::document;
use crate::model::{Status, StoryId, ready};

impl App {
    /// Ask the loop to open the selected (or edited) story in the editor.
    pub(super) fn open_editor(&mut self) -> Option<Effect> {
        let Some(story) = self.current_story() else {
            self.warn("No story to edit");
            return None;
        };
        let (id, text) = (story.id, document::render(story, &self.backlog.product));
        self.handed_out = Some(text.clone());
        Some(Effect::OpenEditor { id, text })
    }

    /// Edit the text of a document that could not be read, once more.
    pub(super) fn edit_again(&mut self) -> Option<Effect> {
        let Mode::EditorError { id, text, .. } = std::mem::take(&mut self.mode) else {
            return None;
        };
        // The user's text goes out again, now against the story as it is.
        self.handed_out = self
            .backlog
            .get(id)
            .map(|s| document::render(s, &self.backlog.product));
        Some(Effect::OpenEditor { id, text })
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
        let base = self.handed_out.take().or_else(|| current.clone());
        let theirs = base.as_deref() != Some(original);
        let text = match result {
            Ok(text) => text,
            Err(why) if theirs => {
                self.mode = Mode::EditorError {
                    id,
                    text: original.to_string(),
                    error: format!("{why}; your text is as it was"),
                };
                return None;
            }
            Err(why) => {
                self.warn(format!("{why}; {id} is unchanged"));
                return None;
            }
        };
        if !theirs && text == original {
            self.notify(format!("No change to {id}"));
            return None;
        }
        if self.backlog.get(id).is_none() {
            self.mode = Mode::EditorError {
                id,
                text,
                error: format!("{id} was deleted elsewhere meanwhile"),
            };
            return None;
        }
        if current != base {
            // Applying the document would write over what another program
            // changed while the editor was open.
            self.mode = Mode::EditorError {
                id,
                text,
                error: format!(
                    "{id} was changed elsewhere while you edited it, and your text would undo that change"
                ),
            };
            return None;
        }
        let doc = match document::parse(&text, self.backlog.product.settings.scale) {
            Ok(doc) => doc,
            Err(e) => {
                self.mode = Mode::EditorError {
                    id,
                    text,
                    error: e.to_string(),
                };
                return None;
            }
        };
        if let Some(other) = doc.id.filter(|other| *other != id) {
            self.mode = Mode::EditorError {
                id,
                text,
                error: format!("line 2: this is the document of {other}, not of {id}"),
            };
            return None;
        }
        let mut patch = doc.patch();
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
        let what = Change::story(format!("edit of {id} in the editor"), id);
        if self.change(what, |b| b.edit(id, &patch, now)).is_none() {
            // Refused by the model (an empty title, say): nothing changed,
            // and the text is not lost.
            let error = self.notice.take().map_or_else(String::new, |n| n.text);
            self.mode = Mode::EditorError { id, text, error };
            return None;
        }
        if let Ok(position) = self.backlog.position(id) {
            self.story_changed(position);
        }
        self.notify(format!("Updated {id} from the editor"));
        let effect = Some(Effect::Save);
        if asks {
            self.mode = Mode::ConfirmReady {
                id,
                missing,
                editor: None,
            };
        }
        effect
    }

    /// Throw away a document that could not be read.
    pub(super) fn discard_edit(&mut self) {
        if let Mode::EditorError { id, .. } = std::mem::take(&mut self.mode) {
            self.notify(format!("Discarded your edit; {id} is unchanged"));
        }
    }
}
