//! A story's comments: feedback, questions and their answers, and the
//! decisions a team takes. Comments are numbered from 1 in the order
//! they were made, as `backlog show` lists them, and never removed, so a
//! number stays the comment it names.

use super::{Backlog, ModelError};
use crate::model::story::{Comment, Stamp, Story, StoryId};
use chrono::{DateTime, Utc};

impl Backlog {
    /// Add a comment, question or decision to a story. Its text is
    /// trimmed at both ends; the lines inside it are kept.
    ///
    /// # Errors
    /// When the story is unknown, the text is empty, or the comment is
    /// both a question and a decision (or carries an answer unasked).
    pub fn comment(&mut self, id: StoryId, comment: Comment) -> Result<(), ModelError> {
        let index = self.index(id)?;
        let text = comment.text.trim();
        if text.is_empty() {
            return Err(ModelError::EmptyComment);
        }
        let mut story = Story::clone(&self.stories[index]);
        if let Some(refusal) = comment.contradiction(id, story.comments.len() + 1) {
            return Err(refusal);
        }
        let now = comment.at;
        story.comments.push(Comment {
            text: text.to_string(),
            ..comment
        });
        self.replace(index, story, now);
        Ok(())
    }

    /// Mark the story's 1-based question `number` resolved, without an
    /// answer, or open again with `None` (which drops the answer it was
    /// given: the undo history keeps it).
    ///
    /// # Errors
    /// When the story or the comment is unknown, the comment is not a
    /// question, or the question is already resolved (or open). Nothing
    /// changes.
    pub fn resolve(
        &mut self,
        id: StoryId,
        number: usize,
        resolution: Option<Stamp>,
        now: DateTime<Utc>,
    ) -> Result<(), ModelError> {
        self.settle(id, number, resolution, None, now)
    }

    /// Resolve the story's open 1-based question `number` with `answer`
    /// (trimmed at both ends, its lines kept): `by` says who answered,
    /// and when.
    ///
    /// # Errors
    /// As [`Backlog::resolve`] (the story or comment unknown, not a
    /// question, already resolved), and when the answer is empty.
    /// Nothing changes.
    pub fn answer(
        &mut self,
        id: StoryId,
        number: usize,
        answer: &str,
        by: Stamp,
    ) -> Result<(), ModelError> {
        let now = by.at;
        self.settle(id, number, Some(by), Some(answer), now)
    }

    /// Change the text of the story's 1-based comment `number` to `text`
    /// (trimmed at both ends, its lines kept), as its author `by` says,
    /// and mark it edited by them then. The same text again is no change:
    /// nothing is marked or written.
    ///
    /// # Errors
    /// When the story or the comment is unknown, `by` is not the
    /// comment's author (the error names whose it is), or the text is
    /// empty. Nothing changes.
    pub fn edit_comment(
        &mut self,
        id: StoryId,
        number: usize,
        text: &str,
        by: Stamp,
    ) -> Result<(), ModelError> {
        let index = self.index(id)?;
        let comment = comment_at(&self.stories[index], number)?;
        if comment.author != by.by {
            return Err(ModelError::NotYourComment {
                id,
                number,
                author: comment.author.clone(),
            });
        }
        let text = text.trim();
        if text.is_empty() {
            return Err(ModelError::EmptyComment);
        }
        if comment.text == text {
            return Ok(());
        }
        let mut story = Story::clone(&self.stories[index]);
        let now = by.at;
        let comment = &mut story.comments[number - 1];
        comment.text = text.to_string();
        comment.edited = Some(by);
        self.replace(index, story, now);
        Ok(())
    }
    /// Resolve question `number` (with its answer, trimmed, if given) or
    /// open it again with `None`, which drops its answer: what
    /// [`Backlog::resolve`] and [`Backlog::answer`] both do.
    fn settle(
        &mut self,
        id: StoryId,
        number: usize,
        resolution: Option<Stamp>,
        answer: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), ModelError> {
        let index = self.index(id)?;
        let mut story = Story::clone(&self.stories[index]);
        let comment = question_mut(&mut story, number)?;
        match (&comment.resolved, &resolution) {
            (Some(was), Some(_)) => return Err(already_resolved(id, number, was)),
            (None, None) => return Err(ModelError::AlreadyOpen { id, number }),
            _ => {}
        }
        let answer = answer.map(str::trim);
        if answer.is_some_and(str::is_empty) {
            return Err(ModelError::EmptyAnswer);
        }
        comment.resolved = resolution;
        comment.answer = answer.map(str::to_string);
        self.replace(index, story, now);
        Ok(())
    }
}

/// The story's 1-based comment `number`.
fn comment_at(story: &Story, number: usize) -> Result<&Comment, ModelError> {
    number
        .checked_sub(1)
        .and_then(|i| story.comments.get(i))
        .ok_or(ModelError::UnknownComment {
            id: story.id,
            number,
        })
}

/// The story's 1-based comment `number`, to change, when it is a question.
fn question_mut(story: &mut Story, number: usize) -> Result<&mut Comment, ModelError> {
    let id = story.id;
    let comment = number
        .checked_sub(1)
        .and_then(|i| story.comments.get_mut(i))
        .ok_or(ModelError::UnknownComment { id, number })?;
    if comment.question {
        Ok(comment)
    } else {
        Err(ModelError::NotAQuestion { id, number })
    }
}

fn already_resolved(id: StoryId, number: usize, was: &Stamp) -> ModelError {
    ModelError::AlreadyResolved {
        id,
        number,
        by: was.by.clone(),
        at: was.at,
    }
}
