//! `App::update` for editing a story in `$VISUAL` / `$EDITOR`: the story
//! goes out as a Markdown document and comes back as one change, or not at
//! all. Running the editor is the event loop's work.

use super::action::Effect;
use super::app::{App, Change, Mode};
use crate::interchange::document;
use crate::model::{Status, StoryId, StoryPatch, ready};

impl App {
    /// Ask the loop to open the selected (or edited) story in the editor.
    pub(super) fn open_editor(&mut self) -> Option<Effect> {
        let Some(story) = self.current_story() else {
            self.warn("No story to edit");
            return None;
        };
        let text = document::render(story, &self.backlog.product);
        Some(Effect::OpenEditor { id: story.id, text })
    }

    /// Edit the text of a document that could not be read, once more.
    pub(super) fn edit_again(&mut self) -> Option<Effect> {
        let Mode::EditorError { id, text, .. } = std::mem::take(&mut self.mode) else {
            return None;
        };
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
        let text = match result {
            Ok(text) => text,
            Err(why) => {
                self.warn(format!("{why}; {id} is unchanged"));
                return None;
            }
        };
        if text == original {
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
        // Becoming ready while not ready asks first, as the status key does:
        // the rest of the edit is kept either way.
        let asks = patch.status == Some(Status::Ready)
            && self
                .backlog
                .get(id)
                .is_some_and(|s| s.status != Status::Ready);
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
            let story = self.backlog.get(id)?;
            let missing: Vec<String> = ready::missing(story, &self.backlog.product.settings.ready)
                .iter()
                .map(ToString::to_string)
                .collect();
            if missing.is_empty() {
                let status = StoryPatch {
                    status: Some(Status::Ready),
                    ..StoryPatch::default()
                };
                return self.edit_story(id, &status).or(effect);
            }
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
