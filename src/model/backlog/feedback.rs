//! Triage of customer feedback: items come in, and each is converted into
//! a story, linked to one, or dismissed with a reason.
//!
//! The items are kept in id order, so an item is found by a binary
//! search and a new one (the highest id yet) goes at the end.

use std::fmt::Write;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{Backlog, ModelError, Placement};
use crate::model::feedback::{Evidence, Feedback, FeedbackId, FeedbackState};
use crate::model::story::{StoryId, StoryPatch, fit_title};

impl Backlog {
    /// Every feedback item, in id order.
    #[must_use]
    pub fn feedback(&self) -> &[Arc<Feedback>] {
        &self.product.feedback
    }

    /// Feedback item `id`.
    ///
    /// # Errors
    /// When there is no such item.
    pub fn feedback_item(&self, id: FeedbackId) -> Result<&Feedback, ModelError> {
        self.product
            .feedback_item(id)
            .ok_or(ModelError::UnknownFeedback(id))
    }

    fn feedback_index(&self, id: FeedbackId) -> Result<usize, ModelError> {
        self.product
            .feedback
            .binary_search_by_key(&id, |f| f.id)
            .map_err(|_| ModelError::UnknownFeedback(id))
    }

    /// The id the next feedback item takes.
    #[must_use]
    pub fn next_feedback_id(&self) -> FeedbackId {
        FeedbackId(self.product.next_feedback.max(1))
    }

    /// Take in a feedback item, as new; its id is given here (the one in
    /// `item` is ignored). Returns the id.
    ///
    /// # Errors
    /// When its text or customer is empty, or no id is left.
    pub fn add_feedback(&mut self, mut item: Feedback) -> Result<FeedbackId, ModelError> {
        check_item(&item)?;
        let id = self.next_feedback_id();
        let after = id.0.checked_add(1).ok_or(ModelError::NoIdLeft)?;
        item.id = id;
        item.state = FeedbackState::New;
        item.story = None;
        item.reason = None;
        self.product.feedback.push(Arc::new(item));
        self.product.next_feedback = after;
        Ok(id)
    }

    /// Take in many items at once (an import), each as [`add_feedback`]
    /// would. Returns their ids, in the order given.
    ///
    /// # Errors
    /// When one has no text or customer, or no id is left. Nothing
    /// changes.
    ///
    /// [`add_feedback`]: Backlog::add_feedback
    pub fn add_feedback_items(
        &mut self,
        items: Vec<Feedback>,
    ) -> Result<Vec<FeedbackId>, ModelError> {
        items.iter().try_for_each(check_item)?;
        let first = self.next_feedback_id().0;
        let count = u64::try_from(items.len()).map_err(|_| ModelError::NoIdLeft)?;
        let after = first.checked_add(count).ok_or(ModelError::NoIdLeft)?;
        let mut ids = Vec::with_capacity(items.len());
        for (mut item, n) in items.into_iter().zip(first..) {
            item.id = FeedbackId(n);
            item.state = FeedbackState::New;
            item.story = None;
            item.reason = None;
            ids.push(item.id);
            self.product.feedback.push(Arc::new(item));
        }
        self.product.next_feedback = after;
        Ok(ids)
    }

    /// Change what item `id` says: its text, customer, source,
    /// importance, date and link, as `edited` has them. Its triage stays
    /// as it is.
    ///
    /// # Errors
    /// When there is no such item, or the text or customer is empty.
    pub fn edit_feedback(
        &mut self,
        id: FeedbackId,
        edited: &Feedback,
        now: DateTime<Utc>,
    ) -> Result<(), ModelError> {
        check_item(edited)?;
        self.change_item(id, now, |item| {
            item.text.clone_from(&edited.text);
            item.customer.clone_from(&edited.customer);
            item.source.clone_from(&edited.source);
            item.importance = edited.importance;
            item.date = edited.date;
            item.link.clone_from(&edited.link);
            Ok(())
        })
    }

    /// Tie item `id` to `story`, which answers it: the item becomes part
    /// of the story's customer evidence.
    ///
    /// # Errors
    /// When the item or the story is unknown.
    pub fn link_feedback(
        &mut self,
        id: FeedbackId,
        story: StoryId,
        now: DateTime<Utc>,
    ) -> Result<(), ModelError> {
        self.index(story)?;
        self.change_item(id, now, |item| {
            item.state = FeedbackState::Linked;
            item.story = Some(story);
            item.reason = None;
            Ok(())
        })
    }

    /// Turn item `id` into a new draft story, placed at `placement`, and
    /// link the item to it as converted. The story is filled in from the
    /// item: the first line is its title (cut at the title limit, the
    /// rest kept), the rest of the text its description with where the
    /// feedback came from, and a guess at who wants it ("As a customer") for
    /// the product owner to complete. Returns the story's id.
    ///
    /// # Errors
    /// When the item is unknown, or was converted already (into a story
    /// still there), or the placement names an unknown story.
    pub fn convert_feedback(
        &mut self,
        id: FeedbackId,
        placement: Placement,
        now: DateTime<Utc>,
    ) -> Result<StoryId, ModelError> {
        let item = Arc::clone(&self.product.feedback[self.feedback_index(id)?]);
        if item.state == FeedbackState::Converted
            && let Some(story) = item.story
        {
            return Err(ModelError::Feedback(format!(
                "{id} was converted into {story} already"
            )));
        }
        let patch = story_from(&item);
        let story = self.add(&patch, placement, now)?;
        self.change_item(id, now, |item| {
            item.state = FeedbackState::Converted;
            item.story = Some(story);
            item.reason = None;
            Ok(())
        })?;
        Ok(story)
    }

    /// Set item `id` aside, saying why.
    ///
    /// # Errors
    /// When the item is unknown or the reason is empty.
    pub fn dismiss_feedback(
        &mut self,
        id: FeedbackId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), ModelError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ModelError::Feedback(
                "say why it is dismissed: a reason is needed".into(),
            ));
        }
        self.change_item(id, now, |item| {
            item.state = FeedbackState::Dismissed;
            item.story = None;
            item.reason = Some(reason.to_string());
            Ok(())
        })
    }

    /// Put item `id` back in the inbox as new: no longer linked,
    /// converted or dismissed. A story it was converted into stays.
    ///
    /// # Errors
    /// When the item is unknown.
    pub fn reopen_feedback(
        &mut self,
        id: FeedbackId,
        now: DateTime<Utc>,
    ) -> Result<(), ModelError> {
        self.change_item(id, now, |item| {
            item.state = FeedbackState::New;
            item.story = None;
            item.reason = None;
            Ok(())
        })
    }

    /// Replace item `item.id` as it is (an import refreshing it), keeping
    /// its triage as it is here.
    ///
    /// # Errors
    /// When the item is unknown, or its text or customer is empty.
    pub fn put_feedback(&mut self, item: Feedback) -> Result<(), ModelError> {
        check_item(&item)?;
        let at = self.feedback_index(item.id)?;
        let was = &self.product.feedback[at];
        let item = Feedback {
            state: was.state,
            story: was.story,
            reason: was.reason.clone(),
            ..item
        };
        self.product.feedback[at] = Arc::new(item);
        Ok(())
    }

    /// The customers who asked for `story`, and how much it matters to
    /// them.
    #[must_use]
    pub fn evidence(&self, story: StoryId) -> Evidence {
        self.product.evidence(story)
    }

    fn change_item(
        &mut self,
        id: FeedbackId,
        now: DateTime<Utc>,
        change: impl FnOnce(&mut Feedback) -> Result<(), ModelError>,
    ) -> Result<(), ModelError> {
        let at = self.feedback_index(id)?;
        let mut item = Feedback::clone(&self.product.feedback[at]);
        change(&mut item)?;
        if item != *self.product.feedback[at] {
            item.updated = now;
            self.product.feedback[at] = Arc::new(item);
        }
        Ok(())
    }

    /// Items that named stories now gone go back to the inbox as new, so
    /// the customer's voice is heard again rather than lost with them.
    pub(super) fn unlink_feedback(&mut self, gone: &[StoryId]) {
        if self.product.feedback.is_empty() {
            return;
        }
        // Sorted once, so removing many stories from a large inbox is
        // not every item against every story.
        let mut gone = gone.to_vec();
        gone.sort_unstable();
        for item in &mut self.product.feedback {
            if item.story.is_some_and(|s| gone.binary_search(&s).is_ok()) {
                let item = Arc::make_mut(item);
                item.state = FeedbackState::New;
                item.story = None;
            }
        }
    }
}

fn check_item(item: &Feedback) -> Result<(), ModelError> {
    if item.text.trim().is_empty() {
        return Err(ModelError::Feedback("feedback needs some text".into()));
    }
    if item.customer.trim().is_empty() {
        return Err(ModelError::Feedback(
            "feedback needs a customer: the person or organisation it came from".into(),
        ));
    }
    Ok(())
}

/// A draft story from a feedback item, as [`Backlog::convert_feedback`]
/// describes.
fn story_from(item: &Feedback) -> StoryPatch {
    let summary = item.summary();
    let rest = item
        .text
        .trim()
        .strip_prefix(summary)
        .unwrap_or_default()
        .trim();
    let mut from = format!("Asked for by {}", item.customer.trim());
    if !item.source.trim().is_empty() {
        let _ = write!(from, " via {}", item.source.trim());
    }
    let _ = write!(from, " on {}", item.date.format("%Y-%m-%d"));
    if let Some(link) = &item.link {
        let _ = write!(from, ": {link}");
    }
    let _ = write!(from, " ({}).", item.id);
    let body = if rest.is_empty() {
        from
    } else {
        format!("{rest}\n\n{from}")
    };
    let (title, description) = fit_title(summary, &body);
    StoryPatch {
        title: Some(title),
        // A guess at who wants it, for the product owner to complete
        // with what they want and why: a customer's words are seldom a
        // user story as they stand ("Checkout fails with a saved card").
        as_a: Some("customer".into()),
        description: Some(description),
        ..StoryPatch::default()
    }
}
