//! Looking at the table in another order than the rank, without touching
//! it: by score (the framework picked), points, status, epic or age. The
//! rank stays the truth; a sorted table shows the stories the filter lets
//! through in another order, ties in rank order, and the keys that move
//! stories wait for rank order.
//!
//! The order is worked out, O(n log n), when a sort is picked or the
//! stories shown change wholesale (a filter, an undo, a reload). A key
//! that only moves the selection reads it in O(1) either way; a change to
//! one story (an edit, an add, a delete) puts that story in its place
//! among the others, found by halving, with no sorting again.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use super::filter::Rows;
use crate::model::{Backlog, Status, Story, same_name};
use crate::priority::{self, Framework, Score, Scoring};

/// What the table can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortBy {
    /// The score of the framework picked, highest first; unscored last.
    Score,
    /// The estimate, largest first; unestimated last.
    Points,
    /// The status, in the order work goes: draft first.
    Status,
    /// The epic, in the order the product lists its epics; no epic last.
    Epic,
    /// When the story was added, oldest first.
    Age,
}

impl SortBy {
    pub const ALL: [SortBy; 5] = [
        SortBy::Score,
        SortBy::Points,
        SortBy::Status,
        SortBy::Epic,
        SortBy::Age,
    ];

    /// Its name in the view file.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            SortBy::Score => "score",
            SortBy::Points => "points",
            SortBy::Status => "status",
            SortBy::Epic => "epic",
            SortBy::Age => "age",
        }
    }

    /// The table's header says it so, the arrow the way the values go
    /// down the rows.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            SortBy::Score => "Score ↓",
            SortBy::Points => "Points ↓",
            SortBy::Status => "Status ↑",
            SortBy::Epic => "Epic ↑",
            SortBy::Age => "Age ↓",
        }
    }

    /// What comes first, in words.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            SortBy::Score => "score, highest first, unscored last",
            SortBy::Points => "points, most first",
            SortBy::Status => "status, draft first",
            SortBy::Epic => "epic, in the epics' order",
            SortBy::Age => "age, oldest first",
        }
    }

    /// The sort after `now` (none: rank order) round the list; score only
    /// with a framework picked to score by.
    #[must_use]
    pub fn next(now: Option<SortBy>, framework: Option<Framework>) -> Option<SortBy> {
        let at = now.and_then(|by| SortBy::ALL.iter().position(|b| *b == by));
        let next = at.map_or(0, |at| at + 1);
        let by = SortBy::ALL.get(next).copied()?;
        if by == SortBy::Score && framework.is_none() {
            return SortBy::next(Some(by), framework);
        }
        Some(by)
    }
}

impl fmt::Display for SortBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for SortBy {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        SortBy::ALL
            .into_iter()
            .find(|by| by.key() == text.trim())
            .ok_or_else(|| format!("unknown sort {text:?}"))
    }
}

/// Where a story sorts: compared field by field, least first, a story
/// with nothing to sort by after every other.
#[derive(Clone, Copy, Debug, PartialEq)]
struct SortKey {
    missing: bool,
    class: i64,
    value: f64,
}

impl SortKey {
    const MISSING: SortKey = SortKey {
        missing: true,
        class: 0,
        value: 0.0,
    };

    fn cmp(&self, other: &SortKey) -> Ordering {
        self.missing
            .cmp(&other.missing)
            .then(self.class.cmp(&other.class))
            .then(self.value.total_cmp(&other.value))
    }
}

/// What sorting reads: the sort, the backlog, and for scores the
/// framework picked and now (a weighted score may count age).
#[derive(Clone, Copy)]
pub struct Sorter<'a> {
    pub by: SortBy,
    pub backlog: &'a Backlog,
    pub framework: Option<Framework>,
    pub now: DateTime<Utc>,
}

impl Sorter<'_> {
    fn key(&self, story: &Story) -> SortKey {
        let known = |class: i64, value: f64| SortKey {
            missing: false,
            class,
            value,
        };
        match self.by {
            SortBy::Score => {
                let Some(framework) = self.framework else {
                    return SortKey::MISSING;
                };
                let scoring = Scoring::of(self.backlog, self.now);
                match priority::score(framework, story, &scoring) {
                    Score::Scored { value, class } => {
                        known(-i64::from(class.map_or(0, |c| c.order)), -value)
                    }
                    Score::Unscored { .. } | Score::Invalid(_) => SortKey::MISSING,
                }
            }
            SortBy::Points => story
                .points
                .map_or(SortKey::MISSING, |p| known(0, -p.value())),
            SortBy::Status => {
                let at = Status::ALL.iter().position(|s| *s == story.status);
                known(rank_of(at), 0.0)
            }
            SortBy::Epic => story.epic.as_deref().map_or(SortKey::MISSING, |name| {
                let epics = &self.backlog.product.epics;
                let at = epics.iter().position(|e| same_name(&e.name, name));
                known(rank_of(at), 0.0)
            }),
            SortBy::Age => known(story.created.timestamp_millis(), 0.0),
        }
    }

    /// The key of the story at rank position `position`.
    fn key_at(&self, position: usize) -> SortKey {
        self.backlog
            .at(position)
            .map_or(SortKey::MISSING, |story| self.key(story))
    }
}

/// A place in a list as a key; not in it, after all.
fn rank_of(at: Option<usize>) -> i64 {
    at.and_then(|at| i64::try_from(at).ok()).unwrap_or(i64::MAX)
}

/// A rank position no row shows.
const NOT_SHOWN: usize = usize::MAX;

/// The table's rows in a sorted order: which rank position each row
/// shows, and back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sorted {
    pub by: SortBy,
    /// The framework the scores were worked out with.
    pub framework: Option<Framework>,
    /// The rank position each row shows, top row first.
    order: Vec<usize>,
    /// The row each rank position is shown at, or [`NOT_SHOWN`].
    rows: Vec<usize>,
}

impl Sorted {
    /// A sort by `by`, its order still to be worked out.
    #[must_use]
    pub fn by(by: SortBy) -> Sorted {
        Sorted {
            by,
            framework: None,
            order: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// The stories `rows` shows, sorted as `sorter` says, ties in rank
    /// order.
    #[must_use]
    pub fn of(rows: &Rows, sorter: &Sorter) -> Sorted {
        let backlog = sorter.backlog;
        let mut keyed: Vec<(SortKey, usize)> = (0..rows.len(backlog))
            .filter_map(|row| rows.position(row, backlog))
            .map(|position| (sorter.key_at(position), position))
            .collect();
        keyed.sort_unstable_by(|(a, p), (b, q)| a.cmp(b).then(p.cmp(q)));
        let mut sorted = Sorted {
            by: sorter.by,
            framework: sorter.framework,
            order: keyed.into_iter().map(|(_, position)| position).collect(),
            rows: vec![NOT_SHOWN; backlog.len()],
        };
        sorted.reindex(0);
        sorted
    }

    /// The rank position shown at `row`.
    #[must_use]
    pub fn position(&self, row: usize) -> Option<usize> {
        self.order.get(row).copied()
    }

    /// The row showing rank position `position`.
    ///
    /// # Errors
    /// When that story is not shown: the row of the next story in rank
    /// order that is, as near as the sorted table has to where it would
    /// be.
    pub fn row_of(&self, position: usize) -> Result<usize, usize> {
        match self.rows.get(position) {
            Some(&row) if row != NOT_SHOWN => Ok(row),
            _ => Err(self
                .rows
                .iter()
                .skip(position)
                .find(|&&row| row != NOT_SHOWN)
                .copied()
                .unwrap_or(self.order.len().saturating_sub(1))),
        }
    }

    /// Rows from `from` on show what `order` says.
    fn reindex(&mut self, from: usize) {
        for (row, &position) in self.order.iter().enumerate().skip(from) {
            if let Some(slot) = self.rows.get_mut(position) {
                *slot = row;
            }
        }
    }

    /// Show rank position `position` at the row its key sorts to.
    fn place(&mut self, position: usize, sorter: &Sorter) -> usize {
        let key = sorter.key_at(position);
        let row = self
            .order
            .partition_point(|&p| sorter.key_at(p).cmp(&key).then(p.cmp(&position)).is_lt());
        self.order.insert(row, position);
        row
    }

    /// Stop showing rank position `position`; the row it was at, if any.
    fn unplace(&mut self, position: usize) -> Option<usize> {
        let row = self
            .rows
            .get(position)
            .copied()
            .filter(|&r| r != NOT_SHOWN)?;
        self.order.remove(row);
        self.rows[position] = NOT_SHOWN;
        Some(row)
    }

    /// The story at rank position `at` changed (not its rank); `shown`
    /// says whether the table shows it now. It goes where its key sorts.
    pub fn changed(&mut self, at: usize, shown: bool, sorter: &Sorter) {
        let was = self.unplace(at);
        let now = shown.then(|| self.place(at, sorter));
        if let Some(from) = was.into_iter().chain(now).min() {
            self.reindex(from);
        }
    }

    /// A story was inserted at rank position `at`; `shown` says whether
    /// the table shows it.
    pub fn inserted(&mut self, at: usize, shown: bool, sorter: &Sorter) {
        for position in &mut self.order {
            if *position >= at {
                *position += 1;
            }
        }
        self.rows.insert(at.min(self.rows.len()), NOT_SHOWN);
        if shown {
            self.place(at, sorter);
        }
        self.reindex(0);
    }

    /// The story at rank position `at` was removed.
    pub fn removed(&mut self, at: usize) {
        self.unplace(at);
        if at < self.rows.len() {
            self.rows.remove(at);
        }
        for position in &mut self.order {
            if *position > at {
                *position -= 1;
            }
        }
        self.reindex(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Placement, Points, StoryPatch};

    fn backlog(points: &[Option<f64>]) -> Backlog {
        let mut b = Backlog::new("t");
        for (i, p) in points.iter().enumerate() {
            let patch = StoryPatch {
                points: Some(p.map(|p| Points::new(p).unwrap())),
                ..StoryPatch::title(format!("{i}"))
            };
            b.add(&patch, Placement::Bottom, Utc::now()).unwrap();
        }
        b
    }

    fn sorter(b: &Backlog) -> Sorter<'_> {
        Sorter {
            by: SortBy::Points,
            backlog: b,
            framework: None,
            now: Utc::now(),
        }
    }

    fn shown(sorted: &Sorted) -> Vec<usize> {
        (0..sorted.order.len())
            .map(|row| sorted.position(row).unwrap())
            .collect()
    }

    #[test]
    fn points_sort_most_first_unestimated_last_ties_in_rank_order() {
        let b = backlog(&[Some(3.0), None, Some(8.0), Some(3.0), Some(1.0)]);
        let sorted = Sorted::of(&Rows::All, &sorter(&b));
        assert_eq!(shown(&sorted), [2, 0, 3, 4, 1]);
        for row in 0..5 {
            assert_eq!(sorted.row_of(sorted.position(row).unwrap()), Ok(row));
        }
        let some = Sorted::of(&Rows::Only(vec![0, 1, 4].into()), &sorter(&b));
        assert_eq!(shown(&some), [0, 4, 1]);
        assert_eq!(some.row_of(2), Err(1), "S-3 hidden: by the next shown");
    }

    #[test]
    fn a_change_to_one_story_puts_it_where_a_fresh_sort_would() {
        let mut b = backlog(&[Some(3.0), None, Some(8.0), Some(3.0), Some(1.0)]);
        let mut sorted = Sorted::of(&Rows::All, &sorter(&b));
        // S-5 (at 4) estimated at 13.
        let patch = StoryPatch {
            points: Some(Some(Points::new(13.0).unwrap())),
            ..StoryPatch::default()
        };
        b.edit(crate::model::StoryId(5), &patch, Utc::now())
            .unwrap();
        sorted.changed(4, true, &sorter(&b));
        assert_eq!(sorted, Sorted::of(&Rows::All, &sorter(&b)));
        // A story added at the top, and one removed.
        let patch = StoryPatch {
            points: Some(Some(Points::new(5.0).unwrap())),
            ..StoryPatch::title("new")
        };
        b.add(&patch, Placement::Top, Utc::now()).unwrap();
        sorted.inserted(0, true, &sorter(&b));
        assert_eq!(sorted, Sorted::of(&Rows::All, &sorter(&b)));
        let gone = b.at(3).unwrap().id;
        b.remove(gone).unwrap();
        sorted.removed(3);
        assert_eq!(sorted, Sorted::of(&Rows::All, &sorter(&b)));
    }

    #[test]
    fn the_cycle_skips_score_without_a_framework_and_ends_in_rank_order() {
        assert_eq!(SortBy::next(None, None), Some(SortBy::Points));
        assert_eq!(
            SortBy::next(None, Some(Framework::Wsjf)),
            Some(SortBy::Score)
        );
        assert_eq!(SortBy::next(Some(SortBy::Age), None), None);
        for by in SortBy::ALL {
            assert_eq!(by.key().parse(), Ok(by));
        }
    }
}
