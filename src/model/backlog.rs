//! The product backlog: its stories, their order, and every change to them.
//!
//! Stories are kept sorted by id (as in the file) and ordered by rank key
//! through `order`, a list of indexes into `stories`. A move therefore
//! shifts eight-byte indexes, not whole stories, and rewrites one rank key.
//!
//! Each story sits behind an `Arc`, so copying a backlog (the TUI hands a
//! copy to its saving thread) copies pointers, and a change copies only
//! the story it touches.

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::story::{Criterion, Story, StoryId, StoryPatch};
use crate::rank::Rank;

/// Why a change to the backlog was refused. Nothing was changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelError {
    UnknownStory(StoryId),
    EmptyTitle,
    /// A 1-based position outside `1..=len`.
    PositionOutOfRange {
        position: usize,
        len: usize,
    },
    /// A story cannot be placed before or after itself.
    RelativeToItself(StoryId),
    DuplicateId(StoryId),
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::UnknownStory(id) => write!(f, "no story {id} in the backlog"),
            ModelError::EmptyTitle => f.write_str("a story needs a title"),
            ModelError::PositionOutOfRange { position, len: 0 } => {
                write!(
                    f,
                    "position {position} is out of range: the backlog is empty"
                )
            }
            ModelError::PositionOutOfRange { position, len } => {
                write!(f, "position {position} is out of range (1 to {len})")
            }
            ModelError::RelativeToItself(id) => {
                write!(f, "cannot place {id} before or after itself")
            }
            ModelError::DuplicateId(id) => write!(f, "story {id} appears twice"),
        }
    }
}

impl std::error::Error for ModelError {}

/// Where a story goes when it is moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
    Top,
    Bottom,
    Before(StoryId),
    After(StoryId),
    /// A 1-based position in the backlog.
    To(usize),
}

/// Where a new story goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    Top,
    Bottom,
    After(StoryId),
}

/// A move that happened: 0-based positions before and after.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moved {
    pub from: usize,
    pub to: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Backlog {
    pub product: String,
    pub vision: String,
    next_id: u64,
    /// Sorted by id.
    stories: Vec<Arc<Story>>,
    /// Indexes into `stories`, in rank order.
    order: Vec<usize>,
    /// Sum of all estimates, kept up to date by every change so the status
    /// bar need not walk the whole backlog each frame. Estimates are whole
    /// or half points, which `f64` adds exactly.
    total_points: f64,
}

fn points_of(story: &Story) -> f64 {
    story.points.map_or(0.0, super::Points::value)
}

impl Default for Backlog {
    fn default() -> Self {
        Backlog::new("")
    }
}

impl Backlog {
    #[must_use]
    pub fn new(product: impl Into<String>) -> Self {
        Backlog {
            product: product.into(),
            vision: String::new(),
            next_id: 1,
            stories: Vec::new(),
            order: Vec::new(),
            total_points: 0.0,
        }
    }

    /// Build a backlog from stored parts. Stories may come in any order;
    /// `next_id` is raised past the highest id so ids are never reused, and
    /// rank keys that collide (two people ranking a story into the same gap)
    /// are made distinct, keeping their order by id.
    ///
    /// # Errors
    /// When two stories share an id.
    pub fn from_parts(
        product: String,
        vision: String,
        next_id: u64,
        stories: Vec<impl Into<Arc<Story>>>,
    ) -> Result<Self, ModelError> {
        let mut stories: Vec<Arc<Story>> = stories.into_iter().map(Into::into).collect();
        stories.sort_by_key(|s| s.id);
        if let Some(pair) = stories.windows(2).find(|w| w[0].id == w[1].id) {
            return Err(ModelError::DuplicateId(pair[0].id));
        }
        let highest = stories.last().map_or(0, |s| s.id.0);
        let mut order: Vec<usize> = (0..stories.len()).collect();
        order.sort_by(|&a, &b| {
            (&stories[a].rank, stories[a].id).cmp(&(&stories[b].rank, stories[b].id))
        });
        let total_points = stories.iter().map(|s| points_of(s)).sum();
        let mut backlog = Backlog {
            product,
            vision,
            next_id: next_id.max(highest + 1),
            stories,
            order,
            total_points,
        };
        backlog.separate_equal_ranks();
        Ok(backlog)
    }

    fn separate_equal_ranks(&mut self) {
        for pos in 1..self.order.len() {
            let prev = self.order[pos - 1];
            let this = self.order[pos];
            if self.stories[this].rank > self.stories[prev].rank {
                continue;
            }
            let next = self.order[pos + 1..]
                .iter()
                .map(|&i| &self.stories[i].rank)
                .find(|r| **r > self.stories[prev].rank);
            let key = Rank::between(Some(&self.stories[prev].rank), next)
                .unwrap_or_else(|| Rank::after(&self.stories[prev].rank));
            Arc::make_mut(&mut self.stories[this]).rank = key;
        }
    }

    /// The same backlog with some stories' ids changed, as a merge reports
    /// them (`old`, `new`), applied in order.
    #[must_use]
    pub fn renumbered(&self, changes: &[(StoryId, StoryId)]) -> Backlog {
        if changes.is_empty() {
            return self.clone();
        }
        let stories: Vec<Arc<Story>> = self
            .stories
            .iter()
            .map(|story| {
                let id = renumber(story.id, changes);
                if id == story.id {
                    Arc::clone(story)
                } else {
                    let mut story = Story::clone(story);
                    story.id = id;
                    Arc::new(story)
                }
            })
            .collect();
        let next_id = changes
            .iter()
            .map(|(_, new)| new.0 + 1)
            .fold(self.next_id, u64::max);
        Backlog::from_parts(self.product.clone(), self.vision.clone(), next_id, stories)
            .expect("renumbering moves ids past every id in use")
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.stories.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.stories.is_empty()
    }

    /// The id the next new story will get.
    #[must_use]
    pub fn next_id(&self) -> u64 {
        self.next_id
    }

    /// Stories in id order, as they are stored.
    #[must_use]
    pub fn stories_by_id(&self) -> &[Arc<Story>] {
        &self.stories
    }

    /// Stories in rank order.
    #[must_use]
    pub fn ranked(&self) -> impl ExactSizeIterator<Item = &Story> + DoubleEndedIterator + '_ {
        self.order.iter().map(|&i| &*self.stories[i])
    }

    /// The story at a 0-based rank position.
    #[must_use]
    pub fn at(&self, position: usize) -> Option<&Story> {
        self.order.get(position).map(|&i| &*self.stories[i])
    }

    /// Stories at 0-based rank positions `range`, clipped to the backlog.
    pub fn ranked_range(
        &self,
        start: usize,
        count: usize,
    ) -> impl Iterator<Item = (usize, &Story)> + '_ {
        let start = start.min(self.order.len());
        let end = start.saturating_add(count).min(self.order.len());
        self.order[start..end]
            .iter()
            .enumerate()
            .map(move |(offset, &i)| (start + offset, &*self.stories[i]))
    }

    fn index(&self, id: StoryId) -> Result<usize, ModelError> {
        self.stories
            .binary_search_by_key(&id, |s| s.id)
            .map_err(|_| ModelError::UnknownStory(id))
    }

    #[must_use]
    pub fn get(&self, id: StoryId) -> Option<&Story> {
        self.index(id).ok().map(|i| &*self.stories[i])
    }

    /// The 0-based rank position of a story.
    ///
    /// # Errors
    /// When there is no such story.
    pub fn position(&self, id: StoryId) -> Result<usize, ModelError> {
        let index = self.index(id)?;
        Ok(self
            .order
            .iter()
            .position(|&i| i == index)
            .expect("every story is in the order"))
    }

    /// Sum of all estimates.
    #[must_use]
    pub fn total_points(&self) -> f64 {
        self.total_points
    }

    /// Add a story; returns its new id.
    ///
    /// # Errors
    /// When the title is empty or the placement names an unknown story.
    pub fn add(
        &mut self,
        patch: &StoryPatch,
        placement: Placement,
        now: DateTime<Utc>,
    ) -> Result<StoryId, ModelError> {
        let title = patch.title.as_deref().map(str::trim).unwrap_or_default();
        if title.is_empty() {
            return Err(ModelError::EmptyTitle);
        }
        let position = match placement {
            Placement::Top => 0,
            Placement::Bottom => self.order.len(),
            Placement::After(anchor) => self.position(anchor)? + 1,
        };
        let rank = self.rank_for_gap(position);
        let id = StoryId(self.next_id);
        let mut story = Story {
            id,
            rank,
            title: String::new(),
            as_a: String::new(),
            i_want: String::new(),
            so_that: String::new(),
            description: String::new(),
            acceptance_criteria: Vec::new(),
            points: None,
            status: super::Status::Draft,
            labels: Vec::new(),
            epic: None,
            created: now,
            updated: now,
        };
        apply_patch(&mut story, patch);
        self.total_points += points_of(&story);
        self.next_id += 1;
        // Ids only grow, so the new story belongs at the end of `stories`.
        self.stories.push(Arc::new(story));
        self.order.insert(position, self.stories.len() - 1);
        Ok(id)
    }

    /// Change a story's fields.
    ///
    /// # Errors
    /// When the story is unknown or the new title is empty. Nothing changes.
    pub fn edit(
        &mut self,
        id: StoryId,
        patch: &StoryPatch,
        now: DateTime<Utc>,
    ) -> Result<(), ModelError> {
        let index = self.index(id)?;
        if patch.title.as_deref().is_some_and(|t| t.trim().is_empty()) {
            return Err(ModelError::EmptyTitle);
        }
        let mut story = Story::clone(&self.stories[index]);
        apply_patch(&mut story, patch);
        if story == *self.stories[index] {
            // Unchanged: keep the shared copy and its timestamp.
            return Ok(());
        }
        story.updated = now;
        self.total_points += points_of(&story) - points_of(&self.stories[index]);
        self.stories[index] = Arc::new(story);
        Ok(())
    }

    /// Remove a story for good; its id is not reused.
    ///
    /// # Errors
    /// When the story is unknown.
    pub fn remove(&mut self, id: StoryId) -> Result<Arc<Story>, ModelError> {
        let index = self.index(id)?;
        self.order.retain(|&i| i != index);
        for i in &mut self.order {
            if *i > index {
                *i -= 1;
            }
        }
        let story = self.stories.remove(index);
        self.total_points -= points_of(&story);
        Ok(story)
    }

    /// Move a story; only its rank key changes.
    ///
    /// # Errors
    /// When a story is unknown, the position is out of range, or a story is
    /// placed relative to itself. Nothing changes.
    pub fn move_story(&mut self, id: StoryId, to: Move) -> Result<Moved, ModelError> {
        let from = self.position(id)?;
        self.move_from(from, id, to)
    }

    /// As [`Backlog::move_story`], for a caller that already knows the
    /// story's position (the TUI's selection), so no search is needed.
    ///
    /// # Errors
    /// As [`Backlog::move_story`], and when `position` holds no story.
    pub fn move_at(&mut self, position: usize, to: Move) -> Result<Moved, ModelError> {
        let id = self
            .at(position)
            .map(|s| s.id)
            .ok_or(ModelError::PositionOutOfRange {
                position: position + 1,
                len: self.len(),
            })?;
        self.move_from(position, id, to)
    }

    fn move_from(&mut self, from: usize, id: StoryId, to: Move) -> Result<Moved, ModelError> {
        let last = self
            .order
            .len()
            .checked_sub(1)
            .ok_or(ModelError::UnknownStory(id))?;
        let relative = |backlog: &Self, anchor: StoryId| {
            if anchor == id {
                Err(ModelError::RelativeToItself(id))
            } else {
                backlog.position(anchor)
            }
        };
        // Target: the 0-based position the story has once moved.
        let target = match to {
            Move::Up => from.saturating_sub(1),
            Move::Down => (from + 1).min(last),
            Move::Top => 0,
            Move::Bottom => last,
            Move::Before(anchor) => {
                let p = relative(self, anchor)?;
                if p > from { p - 1 } else { p }
            }
            Move::After(anchor) => {
                let p = relative(self, anchor)?;
                if p > from { p } else { p + 1 }
            }
            Move::To(n) => {
                if n == 0 || n > self.order.len() {
                    return Err(ModelError::PositionOutOfRange {
                        position: n,
                        len: self.order.len(),
                    });
                }
                n - 1
            }
        };
        if target == from {
            return Ok(Moved { from, to: from });
        }
        let index = self.order.remove(from);
        let rank = self.rank_for_gap(target);
        self.order.insert(target, index);
        Arc::make_mut(&mut self.stories[index]).rank = rank;
        Ok(Moved { from, to: target })
    }

    /// A key for a story inserted at `position` of the current order, that
    /// is, between the stories now at `position - 1` and `position`.
    fn rank_for_gap(&self, position: usize) -> Rank {
        let prev = position
            .checked_sub(1)
            .and_then(|p| self.at(p))
            .map(|s| &s.rank);
        let next = self.at(position).map(|s| &s.rank);
        // Keys are kept distinct (see `separate_equal_ranks`), so a gap
        // always has room; the fallback only keeps a broken invariant from
        // becoming a panic.
        Rank::between(prev, next)
            .or_else(|| prev.map(Rank::after))
            .unwrap_or_else(Rank::first)
    }
}

/// Where a story id went after the renumbering `changes`, applied in order.
#[must_use]
pub fn renumber(mut id: StoryId, changes: &[(StoryId, StoryId)]) -> StoryId {
    for (old, new) in changes {
        if id == *old {
            id = *new;
        }
    }
    id
}

fn apply_patch(story: &mut Story, patch: &StoryPatch) {
    if let Some(title) = &patch.title {
        story.title = title.trim().to_string();
    }
    let set = |field: &mut String, value: &Option<String>| {
        if let Some(value) = value {
            *field = value.trim().to_string();
        }
    };
    set(&mut story.as_a, &patch.as_a);
    set(&mut story.i_want, &patch.i_want);
    set(&mut story.so_that, &patch.so_that);
    if let Some(description) = &patch.description {
        description.trim_end().clone_into(&mut story.description);
    }
    if let Some(points) = patch.points {
        story.points = points;
    }
    if let Some(status) = patch.status {
        story.status = status;
    }
    story
        .labels
        .retain(|l| !patch.remove_labels.iter().any(|r| r == l));
    for label in &patch.add_labels {
        let label = label.trim();
        if !label.is_empty() && !story.labels.iter().any(|l| l == label) {
            story.labels.push(label.to_string());
        }
    }
    if let Some(epic) = &patch.epic {
        story.epic = epic
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_string);
    }
    for text in &patch.add_criteria {
        let text = text.trim();
        if !text.is_empty() {
            story.acceptance_criteria.push(Criterion {
                text: text.to_string(),
                done: false,
            });
        }
    }
}
