//! The `$EDITOR` round trip: the story goes out as a Markdown document and
//! comes back as one change, or not at all, the user's text then kept in
//! an [`EditorError`] to edit again or discard. Running the editor is the
//! event loop's work; this weighs what comes back.

use std::fmt::Write as _;
use std::sync::Arc;

use super::action::Effect;
use super::app::{App, Handout, Level};
use super::ctx::Ctx;
use super::keymap::{Command, Context};
use super::screens::confirm::{Confirm, Question};
use super::screens::editor_error::{EditorError, UnknownEpic};
use crate::interchange::document;
use crate::model::{ModelError, Status, StoryId, ready};
use crate::text::one_line;

impl App {
    /// The text to hand the editor for story `id`, once the file is up to
    /// date: the user's own text when they are editing it again (its
    /// choice then closes), else the story's document as it is now.
    /// `None` (and a message) when the story is gone.
    pub fn hand_to_editor(&mut self, id: StoryId) -> Option<String> {
        let base = self
            .backlog
            .get(id)
            .map(|s| document::render(s, &self.backlog.product));
        if let Some(theirs) = self.screen::<EditorError>()
            && theirs.id == id
        {
            let (text, error) = (theirs.text.clone(), theirs.error.clone());
            self.close_top::<EditorError>();
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
                return self.with_ctx(|ctx| {
                    not_applied(
                        ctx,
                        id,
                        original.to_string(),
                        format!("{why}; your text is as it was"),
                    );
                });
            }
            Err(why) => {
                self.tell(format!("{why}; {id} is unchanged"), Level::Error);
                return None;
            }
        };
        // Text that comes back as it went out was not meant to be applied:
        // quitting an editor is cancelling.
        if text == original {
            if theirs {
                let why = handout.error.unwrap_or_default();
                return self.with_ctx(|ctx| {
                    not_applied(
                        ctx,
                        id,
                        text,
                        format!("{why} (your text came back unchanged)"),
                    );
                });
            }
            self.notify(format!("No change to {id}"));
            return None;
        }
        let why = if self.backlog.get(id).is_none() {
            Some(format!("{id} was deleted elsewhere meanwhile"))
        } else if current != base {
            // Applying the document would write over what another program
            // changed while the editor was open.
            Some(format!(
                "{id} was changed elsewhere while you edited it, and your text would undo that change"
            ))
        } else {
            None
        };
        self.with_ctx(|ctx| match why {
            Some(why) => not_applied(ctx, id, text, why),
            None => apply(ctx, id, text, false),
        })
    }
}

/// The user's text was not applied: show why, and keep it for them to
/// edit again or discard.
pub(super) fn not_applied(ctx: &mut Ctx, id: StoryId, text: String, error: impl Into<String>) {
    ctx.open(EditorError {
        id,
        text,
        error: error.into(),
        unknown_epic: None,
    });
}

/// Apply a document from the editor to story `id`, or keep the text and
/// say why not. An epic it names that there is not is created only when
/// `new_epic` says so; otherwise the refusal offers it.
pub(super) fn apply(ctx: &mut Ctx, id: StoryId, text: String, new_epic: bool) {
    let product = &ctx.backlog().product;
    let doc = match document::parse(&text, product.settings.scale) {
        Ok(doc) => doc,
        Err(e) => return not_applied(ctx, id, text, e.to_string()),
    };
    if let Some(other) = doc.id.filter(|other| *other != id) {
        return not_applied(
            ctx,
            id,
            text,
            format!("line 2: this is the document of {other}, not of {id}"),
        );
    }
    let mut patch = doc.patch();
    patch.new_epic = new_epic;
    let epics_before = product.epics.len();
    // Becoming ready while the edited story would not be asks first, as
    // the status key does: the rest of the edit is kept either way, and
    // the answer is a change of its own. A story that would be ready
    // takes its new status with the rest, in one change.
    let missing = ctx.backlog().get(id).map_or_else(Vec::new, |story| {
        if patch.status == Some(Status::Ready) && story.status != Status::Ready {
            ready::reasons(&patch.applied_to(story), &product.settings.ready)
        } else {
            Vec::new()
        }
    });
    let asks = !missing.is_empty();
    if asks {
        patch.status = None;
    }
    let now = ctx.now();
    let before = ctx.backlog().get_arc(id).cloned();
    let mut refusal = None;
    let edit = |b: &mut crate::model::Backlog| {
        b.edit(id, &patch, now)
            .inspect_err(|e| refusal = Some(e.clone()))
    };
    if ctx
        .change(format!("edit of {id} in the editor"), edit)
        .is_none()
    {
        let line = refusal.as_ref().and_then(|e| doc.line_of(e));
        return refused(ctx, id, text, refusal, line);
    }
    // Text that differs but says the same (a blank line more) changes
    // nothing, and is told so, as an unchanged text is.
    if let (Some(before), Some(now)) = (&before, ctx.backlog().get_arc(id))
        && Arc::ptr_eq(before, now)
        && !asks
    {
        ctx.notify(format!("No change to {id}"));
        return;
    }
    ctx.table().story_changed(id);
    let product = &ctx.backlog().product;
    let scale = product.settings.scale;
    let off = patch
        .points
        .flatten()
        .and_then(|p| Some((scale.describe(p), scale.off_scale(p)?)));
    let mut created = String::new();
    for epic in product.epics.iter().skip(epics_before) {
        let _ = write!(
            created,
            "; created epic {} ({})",
            one_line(&epic.name),
            epic.color
        );
    }
    match off {
        Some((points, off)) => ctx.notify(format!(
            "Updated {id} from the editor{created}; its estimate, {points}, is {off}"
        )),
        None => ctx.notify(format!("Updated {id} from the editor{created}")),
    }
    if asks {
        ctx.open(Confirm::new(Question::ReadyAnyway { id, missing }));
    }
}

/// The model refused the document (a title too long, an epic there is
/// not, say): nothing changed, and the text is not lost. `line` is the
/// document's line the refusal is about, if any.
fn refused(
    ctx: &mut Ctx,
    id: StoryId,
    text: String,
    refusal: Option<ModelError>,
    line: Option<usize>,
) {
    let mut error = ctx.take_notice().map_or_else(String::new, |n| n.text);
    let unknown_epic = match (refusal, ctx.backlog().get_arc(id)) {
        (Some(ModelError::UnknownEpic(name)), Some(story)) => Some(UnknownEpic {
            name,
            story: Arc::clone(story),
        }),
        _ => None,
    };
    // Named as the box takes it, from the keymap.
    if unknown_epic.is_some() {
        let key = ctx.key(Context::EditorErrorEpic, Command::CreateEpicAndApply);
        let _ = write!(error, ": {key} creates it and applies your text");
    }
    let error = match line {
        Some(line) => format!("line {line}: {error}"),
        None => error,
    };
    ctx.open(EditorError {
        id,
        text,
        error,
        unknown_epic,
    });
}
