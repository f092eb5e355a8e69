//! The release plan kept true through every change: releases and their
//! lines in the ranking, the team's sprints, and velocity entered by
//! hand.
//!
//! A release line is a rank key that sits between two stories' keys, so a
//! story is above it or below it by its key alone, and moving a story
//! never touches the line. A story moved next to a line keeps to the side
//! of the story it was moved next to: moved up past a story, it lands
//! just above that story, below any line there; moved down, just below,
//! above any line.

use std::ops::Range;

use chrono::NaiveDate;

use super::{Backlog, ModelError};
use crate::model::plan::{PastSprint, Release, Sprint, SprintState};
use crate::model::product::same_name;
use crate::model::stories::Brief;
use crate::model::story::{Points, Status, StoryId};
use crate::rank::Rank;

impl Backlog {
    /// Each story's estimate and status, in rank order: what the release
    /// forecast walks, packed small.
    #[must_use]
    pub fn ranked_briefs(&self) -> impl ExactSizeIterator<Item = Brief> + '_ {
        self.order.iter().map(|&i| self.stories.brief(i))
    }

    /// Each story's estimate, status and done day, in id order: read
    /// in one sequential sweep.
    #[must_use]
    pub fn briefs(&self) -> &[Brief] {
        self.stories.briefs()
    }

    /// How many stories are ranked above `line`.
    #[must_use]
    pub fn above_line(&self, line: &Rank) -> usize {
        self.order
            .partition_point(|&i| self.stories[i].rank < *line)
    }

    /// The rank keys of the release lines, lowest (highest ranked) first.
    fn line_keys(&self) -> Vec<&Rank> {
        let mut keys: Vec<&Rank> = self
            .product
            .releases
            .iter()
            .filter_map(|r| r.line.as_ref())
            .collect();
        keys.sort();
        keys
    }

    /// The release lines, in rank order, each with where it falls in the
    /// order once the stories at `block` (just moved there, their keys
    /// not yet changed) are given theirs: before the story at that place.
    /// A line in the gap the block was put in is over the block when the
    /// stories moved `upward` (keeping to the story under them), else
    /// under it.
    pub(super) fn lines_around(&self, block: &Range<usize>, upward: bool) -> Vec<(usize, Rank)> {
        let mut lines: Vec<Rank> = self
            .product
            .releases
            .iter()
            .filter_map(|r| r.line.clone())
            .collect();
        if lines.is_empty() {
            return Vec::new();
        }
        lines.sort();
        let (start, end) = (block.start, block.end);
        let over =
            |part: &[usize], line: &Rank| part.partition_point(|&i| self.stories[i].rank < *line);
        lines
            .into_iter()
            .map(|line| {
                // The stories not moved are in key order: those before
                // the block, then those after it.
                let before = over(&self.order[..start], &line);
                let at = if before < start {
                    before
                } else {
                    match over(&self.order[end..], &line) {
                        0 if upward => start,
                        after => end + after,
                    }
                };
                (at, line)
            })
            .collect()
    }

    /// Put the line of release `name` under the first `above` stories of
    /// the backlog (below any other line already there), so that they are
    /// the release.
    ///
    /// # Errors
    /// When there is no such release, or `above` is past the backlog's
    /// end.
    pub fn place_line(&mut self, name: &str, above: usize) -> Result<(), ModelError> {
        let at = self.release_index(name)?;
        self.put_line(at, above, false)
    }

    /// Put the line of release `name` next to story `id`: just below it
    /// (above any other line there) when `below`, else just above it
    /// (below any other line there). A line put next to a story keeps to
    /// it, as a story moved next to one does, so no other line comes
    /// between them.
    ///
    /// # Errors
    /// When there is no such release or story.
    pub fn place_line_by(
        &mut self,
        name: &str,
        id: StoryId,
        below: bool,
    ) -> Result<(), ModelError> {
        let at = self.release_index(name)?;
        let position = self.position(id)?;
        self.put_line(at, position + usize::from(below), below)
    }

    /// Put release `at`'s line under the first `above` stories: the
    /// `first` of the lines there, or the last.
    fn put_line(&mut self, at: usize, above: usize, first: bool) -> Result<(), ModelError> {
        if above > self.order.len() {
            return Err(ModelError::PositionOutOfRange {
                position: above,
                len: self.order.len(),
            });
        }
        let prev = above
            .checked_sub(1)
            .map(|p| self.stories[self.order[p]].rank.clone());
        let next = self.order.get(above).map(|&i| self.stories[i].rank.clone());
        let own = self.product.releases[at].line.clone();
        let others: Vec<Rank> = self
            .line_keys()
            .into_iter()
            .filter(|l| {
                Some(*l) != own.as_ref()
                    && prev.as_ref().is_none_or(|p| *l > p)
                    && next.as_ref().is_none_or(|n| *l < n)
            })
            .cloned()
            .collect();
        let (low, high) = if first {
            (prev, others.first().cloned().or(next))
        } else {
            (others.last().cloned().or(prev), next)
        };
        let key = Rank::between(low.as_ref(), high.as_ref())
            .or_else(|| low.as_ref().map(Rank::after))
            .unwrap_or_else(Rank::first);
        self.product.releases[at].line = Some(key);
        Ok(())
    }

    /// Move the line of release `name` one story up or down: past the
    /// story, to just beside it (above any other line below it, below
    /// any line above it), so it passes no other line. Returns whether it
    /// moved (a line at the top or bottom goes no further).
    ///
    /// # Errors
    /// When there is no such release, or it has no line.
    pub fn move_line(&mut self, name: &str, up: bool) -> Result<bool, ModelError> {
        let at = self.release_index(name)?;
        let Some(line) = &self.product.releases[at].line else {
            return Err(ModelError::Plan(format!(
                "release {:?} has no line in the backlog: place one first",
                self.product.releases[at].name
            )));
        };
        let above = self.above_line(line);
        let to = if up {
            above.checked_sub(1)
        } else {
            (above < self.order.len()).then_some(above + 1)
        };
        let Some(to) = to else {
            return Ok(false);
        };
        self.put_line(at, to, !up)?;
        Ok(true)
    }

    /// Swap the lines of releases `a` and `b`: each takes the other's
    /// place in the ranking, and with it the other's stories. Two lines
    /// side by side change order so.
    ///
    /// # Errors
    /// When either release is unknown or has no line. Nothing changes.
    pub fn swap_lines(&mut self, a: &str, b: &str) -> Result<(), ModelError> {
        let (a, b) = (self.release_index(a)?, self.release_index(b)?);
        for at in [a, b] {
            if self.product.releases[at].line.is_none() {
                return Err(ModelError::Plan(format!(
                    "release {:?} has no line in the backlog: place one first",
                    self.product.releases[at].name
                )));
            }
        }
        let line = self.product.releases[a].line.take();
        self.product.releases[a].line = std::mem::replace(&mut self.product.releases[b].line, line);
        Ok(())
    }

    /// Take release `name`'s line out of the backlog: its scope is then
    /// the stories assigned to it.
    ///
    /// # Errors
    /// When there is no such release.
    pub fn remove_line(&mut self, name: &str) -> Result<(), ModelError> {
        let at = self.release_index(name)?;
        self.product.releases[at].line = None;
        Ok(())
    }

    fn release_index(&self, name: &str) -> Result<usize, ModelError> {
        self.product
            .release_at(name)
            .ok_or_else(|| ModelError::UnknownRelease(name.to_string()))
    }

    /// Add a release.
    ///
    /// # Errors
    /// When its name is empty or taken. Nothing changes.
    pub fn add_release(&mut self, mut release: Release) -> Result<(), ModelError> {
        release.name = release.name.trim().to_string();
        self.check_release_name(&release.name, None)?;
        for &id in &release.stories {
            self.index(id)?;
        }
        self.product.releases.push(release);
        Ok(())
    }

    fn check_release_name(&self, name: &str, keeping: Option<usize>) -> Result<(), ModelError> {
        if name.is_empty() {
            return Err(ModelError::Plan("a release needs a name".into()));
        }
        match self.release_index(name) {
            Ok(at) if Some(at) != keeping => Err(ModelError::DuplicateRelease(
                self.product.releases[at].name.clone(),
            )),
            _ => Ok(()),
        }
    }

    /// Change release `name` to `release`: a new name is the new target
    /// of the epics that targeted it.
    ///
    /// # Errors
    /// When there is no such release, or the new name is empty or another
    /// release's. Nothing changes.
    pub fn update_release(&mut self, name: &str, mut release: Release) -> Result<(), ModelError> {
        let at = self.release_index(name)?;
        release.name = release.name.trim().to_string();
        self.check_release_name(&release.name, Some(at))?;
        let old = std::mem::replace(&mut self.product.releases[at], release);
        let new = &self.product.releases[at].name;
        if *new != old.name {
            for epic in &mut self.product.epics {
                if epic.targets(&old.name) {
                    epic.target_release = Some(new.clone());
                }
            }
        }
        Ok(())
    }

    /// Delete release `name`; epics that targeted it target none.
    ///
    /// # Errors
    /// When there is no such release.
    pub fn remove_release(&mut self, name: &str) -> Result<Release, ModelError> {
        let at = self.release_index(name)?;
        let release = self.product.releases.remove(at);
        for epic in &mut self.product.epics {
            if epic.targets(&release.name) {
                epic.target_release = None;
            }
        }
        Ok(release)
    }

    /// Assign `ids` to release `name` (taking them out of any other
    /// release they were assigned to), or with no name, to none.
    ///
    /// # Errors
    /// When a story or the release is unknown. Nothing changes.
    pub fn assign_release(
        &mut self,
        ids: &[StoryId],
        name: Option<&str>,
    ) -> Result<(), ModelError> {
        for &id in ids {
            self.index(id)?;
        }
        let at = name.map(|name| self.release_index(name)).transpose()?;
        self.unassign(ids);
        if let Some(at) = at {
            let stories = &mut self.product.releases[at].stories;
            for &id in ids {
                if !stories.contains(&id) {
                    stories.push(id);
                }
            }
        }
        Ok(())
    }

    /// Stories deleted leave the releases they were assigned to.
    pub(super) fn unassign(&mut self, ids: &[StoryId]) {
        for release in &mut self.product.releases {
            if release.stories.iter().any(|id| ids.contains(id)) {
                release.stories.retain(|id| !ids.contains(id));
            }
        }
    }

    /// The stories in release `release`'s scope that are assigned to it:
    /// by hand, and through the epics that target it.
    #[must_use]
    pub fn assigned_to(&self, release: &Release) -> Vec<StoryId> {
        let mut ids = release.stories.clone();
        let epics: Vec<&str> = self
            .product
            .epics_targeting(&release.name)
            .map(|e| e.name.as_str())
            .collect();
        if !epics.is_empty() {
            ids.extend(
                self.stories
                    .iter()
                    .filter(|s| s.epic.as_deref().is_some_and(|e| epics.contains(&e)))
                    .map(|s| s.id)
                    .filter(|id| !release.stories.contains(id)),
            );
        }
        ids
    }

    fn sprint_index(&self, name: &str) -> Result<usize, ModelError> {
        self.product
            .sprint_at(name)
            .ok_or_else(|| ModelError::UnknownSprint(name.to_string()))
    }

    /// Refuse a sprint that could not be: no name, a name another sprint
    /// has (`keeping` aside), no days, a capacity below 0, or days shared
    /// with another sprint.
    fn check_sprint(&self, sprint: &Sprint, keeping: Option<usize>) -> Result<(), ModelError> {
        if sprint.name.is_empty() {
            return Err(ModelError::Plan("a sprint needs a name".into()));
        }
        if let Ok(at) = self.sprint_index(&sprint.name)
            && Some(at) != keeping
        {
            return Err(ModelError::DuplicateSprint(
                self.product.sprints[at].name.clone(),
            ));
        }
        if let Some(past) = self
            .product
            .past_sprints
            .iter()
            .find(|p| same_name(&p.sprint, &sprint.name))
        {
            return Err(ModelError::DuplicateSprint(past.sprint.clone()));
        }
        if sprint.days == 0 {
            return Err(ModelError::Plan(format!(
                "sprint {:?} ends before it starts: a sprint is at least one day long",
                sprint.name
            )));
        }
        if let Some(capacity) = sprint.capacity
            && !(capacity.is_finite() && capacity >= 0.0)
        {
            return Err(ModelError::Plan(format!(
                "sprint {:?} has a capacity of {capacity}: a capacity is points, 0 or more",
                sprint.name
            )));
        }
        if let Some(completed) = sprint.completed
            && !(completed.is_finite() && completed >= 0.0)
        {
            return Err(ModelError::Plan(format!(
                "sprint {:?} completed {completed} points: completed points are 0 or more",
                sprint.name
            )));
        }
        for (at, other) in self.product.sprints.iter().enumerate() {
            if Some(at) != keeping && sprint.overlaps(other) {
                return Err(ModelError::Plan(format!(
                    "sprint {:?} ({} to {}) overlaps sprint {:?} ({} to {}): sprints follow \
                     one another",
                    sprint.name,
                    sprint.start,
                    sprint.end(),
                    other.name,
                    other.start,
                    other.end()
                )));
            }
        }
        for &id in &sprint.committed {
            self.index(id)?;
        }
        Ok(())
    }

    /// Add a sprint, kept among the others in start order.
    ///
    /// # Errors
    /// See `check_sprint`: nothing changes.
    pub fn add_sprint(&mut self, mut sprint: Sprint) -> Result<(), ModelError> {
        sprint.name = sprint.name.trim().to_string();
        self.check_sprint(&sprint, None)?;
        let at = self
            .product
            .sprints
            .partition_point(|s| s.start < sprint.start);
        self.product.sprints.insert(at, sprint);
        Ok(())
    }

    /// Change sprint `name` to `sprint`.
    ///
    /// # Errors
    /// When there is no such sprint, or the change would make one that
    /// could not be (see `add_sprint`). Nothing changes.
    pub fn update_sprint(&mut self, name: &str, mut sprint: Sprint) -> Result<(), ModelError> {
        let at = self.sprint_index(name)?;
        sprint.name = sprint.name.trim().to_string();
        self.check_sprint(&sprint, Some(at))?;
        self.product.sprints.remove(at);
        let to = self
            .product
            .sprints
            .partition_point(|s| s.start < sprint.start);
        self.product.sprints.insert(to, sprint);
        Ok(())
    }

    /// Delete sprint `name`.
    ///
    /// # Errors
    /// When there is no such sprint.
    pub fn remove_sprint(&mut self, name: &str) -> Result<Sprint, ModelError> {
        let at = self.sprint_index(name)?;
        Ok(self.product.sprints.remove(at))
    }

    /// Start sprint `name`, the team committing to `committed`.
    ///
    /// # Errors
    /// When there is no such sprint, another is under way, it is closed,
    /// or a story is unknown. Nothing changes.
    pub fn start_sprint(&mut self, name: &str, committed: &[StoryId]) -> Result<(), ModelError> {
        let at = self.sprint_index(name)?;
        if let Some(active) = self
            .product
            .sprints
            .iter()
            .enumerate()
            .find(|(i, s)| *i != at && s.state == SprintState::Active)
        {
            return Err(ModelError::Plan(format!(
                "sprint {:?} is under way: close it before starting another",
                active.1.name
            )));
        }
        let sprint = &self.product.sprints[at];
        if sprint.state == SprintState::Closed {
            return Err(ModelError::Plan(format!(
                "sprint {:?} is closed already",
                sprint.name
            )));
        }
        for &id in committed {
            self.index(id)?;
        }
        let sprint = &mut self.product.sprints[at];
        sprint.state = SprintState::Active;
        sprint.committed = committed.to_vec();
        Ok(())
    }

    /// The points done in sprint `name`: of the stories committed to it
    /// that are done, or when none were recorded, of every story done
    /// between its first and last day.
    ///
    /// # Errors
    /// When there is no such sprint.
    pub fn points_done_in(&self, name: &str) -> Result<f64, ModelError> {
        let sprint = &self.product.sprints[self.sprint_index(name)?];
        let done = |id: &StoryId| {
            self.get(*id)
                .filter(|s| s.status == Status::Done)
                .and_then(|s| s.points)
                .map_or(0.0, Points::value)
        };
        // Added up from 0.0: an empty `sum` of f64 is -0.0, which the file
        // would keep and the screen show as "-0".
        if !sprint.committed.is_empty() {
            return Ok(sprint.committed.iter().map(done).fold(0.0, |a, b| a + b));
        }
        let within = |day: NaiveDate| sprint.start <= day && day <= sprint.end();
        Ok(self
            .stories
            .iter()
            .filter(|s| s.done_at().is_some_and(|at| within(at.date_naive())))
            .filter_map(|s| s.points)
            .map(Points::value)
            .fold(0.0, |a, b| a + b))
    }

    /// Close sprint `name` with `completed` points done, or when not
    /// given, [`Backlog::points_done_in`] it. Returns the points.
    ///
    /// # Errors
    /// When there is no such sprint, it is closed already, or `completed`
    /// is below 0. Nothing changes.
    pub fn close_sprint(&mut self, name: &str, completed: Option<f64>) -> Result<f64, ModelError> {
        let at = self.sprint_index(name)?;
        if self.product.sprints[at].state == SprintState::Closed {
            return Err(ModelError::Plan(format!(
                "sprint {:?} is closed already",
                self.product.sprints[at].name
            )));
        }
        let points = match completed {
            Some(points) => points,
            None => self.points_done_in(name)?,
        };
        let mut sprint = self.product.sprints[at].clone();
        sprint.state = SprintState::Closed;
        sprint.completed = Some(points);
        self.check_sprint(&sprint, Some(at))?;
        self.product.sprints[at] = sprint;
        Ok(points)
    }

    /// Record the velocity of a sprint the backlog did not keep.
    ///
    /// # Errors
    /// When the points are below 0, or a sprint of that name is recorded
    /// already. Nothing changes.
    pub fn add_past_sprint(&mut self, mut past: PastSprint) -> Result<(), ModelError> {
        past.sprint = past.sprint.trim().to_string();
        if past.sprint.is_empty() {
            return Err(ModelError::Plan("a past sprint needs a name".into()));
        }
        if !(past.points.is_finite() && past.points >= 0.0) {
            return Err(ModelError::Plan(format!(
                "a velocity of {} points: velocity is points done, 0 or more",
                past.points
            )));
        }
        let taken = self
            .product
            .past_sprints
            .iter()
            .map(|p| &p.sprint)
            .chain(self.product.sprints.iter().map(|s| &s.name))
            .find(|n| same_name(n, &past.sprint));
        if let Some(taken) = taken {
            return Err(ModelError::DuplicateSprint(taken.clone()));
        }
        self.product.past_sprints.push(past);
        Ok(())
    }

    /// Forget the velocity entered for past sprint `name`.
    ///
    /// # Errors
    /// When no velocity was entered for it.
    pub fn remove_past_sprint(&mut self, name: &str) -> Result<PastSprint, ModelError> {
        let at = self
            .product
            .past_sprints
            .iter()
            .position(|p| same_name(&p.sprint, name))
            .ok_or_else(|| ModelError::UnknownSprint(name.to_string()))?;
        Ok(self.product.past_sprints.remove(at))
    }

    /// The velocities of past sprints, oldest first: those entered by
    /// hand (by the day they ended, those without one first, as entered),
    /// then the closed sprints', in start order.
    #[must_use]
    pub fn velocities(&self) -> Vec<(String, f64)> {
        let mut past: Vec<&PastSprint> = self.product.past_sprints.iter().collect();
        past.sort_by_key(|p| p.ended);
        past.into_iter()
            .map(|p| (p.sprint.clone(), p.points))
            .chain(
                self.product
                    .sprints
                    .iter()
                    .filter(|s| s.state == SprintState::Closed)
                    .map(|s| (s.name.clone(), s.completed.unwrap_or(0.0))),
            )
            .collect()
    }
}
