//! Which stories the backlog table shows: the rows a [`Filter`] lets
//! through. The filter and its predicate are the model's, shared with
//! `backlog list`; what is here is the table's bookkeeping.
//!
//! With nothing active every story is a row and `Rows` costs nothing.
//! Otherwise `Rows` holds the rank positions of the matching stories, kept
//! up to date by each change without re-testing every story: a move or an
//! add only shifts positions, and an edit re-tests the one story it changed.
//!
//! A search that would test more stories than a key's time allows runs on
//! a thread of its own ([`SearchJob`]), over a copy of the backlog: the
//! letters show at once, and the table narrows when the answer comes
//! ([`Searching`] keeps which answer the table still wants).

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

pub use crate::model::filter::{EpicFilter, Filter};
use crate::model::{Backlog, Totals};
use crate::text::one_line;
use crate::tui::action::Action;

// What the status bar says of a filter is the TUI's, beside the rows.
impl Filter {
    /// The open-work view: done and rejected stories hidden, nothing else.
    #[must_use]
    pub fn open_work() -> Filter {
        Filter {
            open: true,
            ..Filter::default()
        }
    }

    /// Whether it narrows the table further than open work does: a
    /// search, a status, a label and so on.
    #[must_use]
    pub fn narrows_further(&self) -> bool {
        // Asked each frame, for the table's frame: no copy of the filter.
        self.is_active() && *self != Filter::open_work()
    }

    /// A short description for the table's frame, e.g. `/kiln · draft ·
    /// not ready`. Open work is left out: the frame's title says it.
    #[must_use]
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.query.trim().is_empty() {
            parts.push(format!("/{}", one_line(self.query.trim())));
        }
        if let Some(status) = self.status {
            parts.push(status.to_string());
        }
        if let Some(label) = &self.label {
            parts.push(format!("#{}", one_line(label)));
        }
        match &self.epic {
            Some(EpicFilter::Named(name)) => parts.push(format!("epic {}", one_line(name))),
            Some(EpicFilter::None) => parts.push("no epic".to_string()),
            None => {}
        }
        match self.ready {
            Some(true) => parts.push("ready".to_string()),
            Some(false) => parts.push("not ready".to_string()),
            None => {}
        }
        if self.unestimated {
            parts.push("unestimated".to_string());
        }
        parts.join(" · ")
    }
}

/// The rows of the table: every story, or the rank positions of those the
/// filter lets through, in rank order. The positions are shared by
/// copies until one changes: a search typed further hands them to its
/// thread without copying a million of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Rows {
    #[default]
    All,
    Only(Arc<Vec<usize>>),
}

impl Rows {
    /// Test every story against the filter.
    #[must_use]
    pub fn compute(backlog: &Backlog, filter: &Filter) -> Rows {
        Rows::counted(backlog, filter).0
    }

    /// [`Rows::compute`], and the points of the stories it lets through,
    /// added up as each is tested.
    #[must_use]
    pub fn counted(backlog: &Backlog, filter: &Filter) -> (Rows, Totals) {
        if !filter.is_active() {
            return (Rows::All, backlog.totals());
        }
        // On the loop a search always finishes.
        let Ok(found) = Rows::tested::<Infallible>(backlog, filter, 0..backlog.len(), || Ok(()));
        found
    }

    /// Test again only the stories shown now: right when the filter only
    /// got narrower, as when a search is typed further.
    #[must_use]
    pub fn narrowed(&self, backlog: &Backlog, filter: &Filter) -> Rows {
        self.narrowed_counted(backlog, filter).0
    }

    /// [`Rows::narrowed`], and the points of the stories left.
    #[must_use]
    pub fn narrowed_counted(&self, backlog: &Backlog, filter: &Filter) -> (Rows, Totals) {
        let Rows::Only(positions) = self else {
            return Rows::counted(backlog, filter);
        };
        let Ok(found) =
            Rows::tested::<Infallible>(backlog, filter, positions.iter().copied(), || Ok(()));
        found
    }

    /// The stories at rank positions `positions` (ascending) the filter
    /// lets through, and their points. Every [`STORIES_BETWEEN_LOOKS`]
    /// stories `look` may give up: a search on a thread does when a newer
    /// one has made it pointless.
    fn tested<E>(
        backlog: &Backlog,
        filter: &Filter,
        positions: impl Iterator<Item = usize>,
        mut look: impl FnMut() -> Result<(), E>,
    ) -> Result<(Rows, Totals), E> {
        let words = filter.words();
        let rules = &backlog.product.settings.ready;
        let mut totals = Totals::default();
        let mut shown = Vec::new();
        for (tested, p) in positions.enumerate() {
            if tested % STORIES_BETWEEN_LOOKS == 0 {
                look()?;
            }
            if let Some(story) = backlog.at(p)
                && filter.matches(story, &words, rules)
            {
                totals += Totals::of(story);
                shown.push(p);
            }
        }
        Ok((Rows::Only(Arc::new(shown)), totals))
    }

    /// The points of the stories shown, added up: for when a change could
    /// not say what it did to them.
    #[must_use]
    pub fn totals(&self, backlog: &Backlog) -> Totals {
        match self {
            Rows::All => backlog.totals(),
            Rows::Only(positions) => positions
                .iter()
                .filter_map(|&p| backlog.at(p))
                .map(Totals::of)
                .sum(),
        }
    }

    #[must_use]
    pub fn len(&self, backlog: &Backlog) -> usize {
        match self {
            Rows::All => backlog.len(),
            Rows::Only(positions) => positions.len(),
        }
    }

    /// The rank position shown at `row`.
    #[must_use]
    pub fn position(&self, row: usize, backlog: &Backlog) -> Option<usize> {
        match self {
            Rows::All => (row < backlog.len()).then_some(row),
            Rows::Only(positions) => positions.get(row).copied(),
        }
    }

    /// The row showing rank position `position`.
    ///
    /// # Errors
    /// When that story is not shown: the row it would be at.
    pub fn row_of(&self, position: usize) -> Result<usize, usize> {
        match self {
            Rows::All => Ok(position),
            Rows::Only(positions) => positions.binary_search(&position),
        }
    }

    /// A story moved from rank position `from` to `to`; it still matches.
    pub fn moved(&mut self, from: usize, to: usize) {
        let Rows::Only(positions) = self else { return };
        let positions = Arc::make_mut(positions);
        for p in positions.iter_mut() {
            *p = if *p == from {
                to
            } else if from < to && (from + 1..=to).contains(p) {
                *p - 1
            } else if to < from && (to..from).contains(p) {
                *p + 1
            } else {
                *p
            };
        }
        // Only the moved story can be out of place.
        positions.sort_unstable();
    }

    /// A story was inserted at rank position `at`; `shown` says whether
    /// the filter lets it through.
    pub fn inserted(&mut self, at: usize, shown: bool) {
        let Rows::Only(positions) = self else { return };
        let positions = Arc::make_mut(positions);
        let row = positions.partition_point(|&p| p < at);
        for p in &mut positions[row..] {
            *p += 1;
        }
        if shown {
            positions.insert(row, at);
        }
    }

    /// The story at rank position `at` was removed.
    pub fn removed(&mut self, at: usize) {
        let Rows::Only(positions) = self else { return };
        let positions = Arc::make_mut(positions);
        let row = positions.partition_point(|&p| p < at);
        if positions.get(row) == Some(&at) {
            positions.remove(row);
        }
        for p in &mut positions[row..] {
            *p -= 1;
        }
    }

    /// The stories at rank positions `from` (ascending) moved together,
    /// in their order, to positions `to..`: the others close up behind
    /// them and make room for them, as in [`Backlog::move_stories`]. No
    /// story is tested again.
    pub fn moved_together(&mut self, from: &[usize], to: usize) {
        let Rows::Only(positions) = self else { return };
        let positions = Arc::make_mut(positions);
        let block = from.len();
        for p in positions.iter_mut() {
            *p = match from.binary_search(p) {
                Ok(k) => to + k,
                // Its place among the stories that stayed, then past the
                // block if it is below it.
                Err(before) => {
                    let among_rest = *p - before;
                    if among_rest < to {
                        among_rest
                    } else {
                        among_rest + block
                    }
                }
            };
        }
        positions.sort_unstable();
    }

    /// The stories at rank positions `gone` (ascending) were removed.
    pub fn removed_all(&mut self, gone: &[usize]) {
        let Rows::Only(positions) = self else { return };
        let positions = Arc::make_mut(positions);
        positions.retain(|p| gone.binary_search(p).is_err());
        for p in positions.iter_mut() {
            *p -= gone.partition_point(|&g| g < *p);
        }
    }

    /// The story at rank position `at` changed; `shown` says whether the
    /// filter lets it through now.
    pub fn changed(&mut self, at: usize, shown: bool) {
        let Rows::Only(positions) = self else { return };
        let positions = Arc::make_mut(positions);
        match (positions.binary_search(&at), shown) {
            (Ok(row), false) => {
                positions.remove(row);
            }
            (Err(row), true) => positions.insert(row, at),
            _ => {}
        }
    }
}

/// Stories a search tests on the event loop at most: reading every field
/// of a story costs up to 3 µs on a busy machine (BENCHMARKS.md, "Search
/// as a user types"), so about 6 ms. A search of more goes to a thread,
/// so that no key waits for it.
pub const SEARCHED_ON_THE_LOOP: usize = 2_000;

/// How many stories a search on a thread tests between two looks at
/// whether a newer one has made it pointless.
const STORIES_BETWEEN_LOOKS: usize = 1024;

/// The searches run off the event loop, and which answer the table waits
/// for: only the newest search's, for the backlog as it is now.
#[derive(Clone, Debug)]
pub struct Searching {
    /// Searches of more stories than this go to a thread.
    pub on_the_loop_up_to: usize,
    /// The query the rows are the answer to: what a query typed further
    /// may narrow from while a newer answer is awaited.
    rows_query: String,
    /// The newest search handed out; the threads of older ones see it
    /// and stop.
    newest: Arc<AtomicU64>,
    /// The search whose answer the table waits for.
    awaited: Option<u64>,
    /// A search for the loop to start.
    ready: Option<SearchJob>,
}

impl Default for Searching {
    fn default() -> Self {
        Searching {
            on_the_loop_up_to: SEARCHED_ON_THE_LOOP,
            rows_query: String::new(),
            newest: Arc::default(),
            awaited: None,
            ready: None,
        }
    }
}

impl Searching {
    /// Whether the table waits for a search's answer: its rows are still
    /// those of the search before.
    #[must_use]
    pub fn is_awaited(&self) -> bool {
        self.awaited.is_some()
    }

    /// The query the rows shown are the answer to.
    #[must_use]
    pub fn rows_query(&self) -> &str {
        &self.rows_query
    }

    /// The rows are the answer to `query` now: no other is awaited, and
    /// a search still running stops.
    pub fn settled(&mut self, query: &str) {
        query.clone_into(&mut self.rows_query);
        if self.awaited.take().is_some() {
            self.newest.fetch_add(1, Ordering::Relaxed);
        }
        self.ready = None;
    }

    /// Hand out a search of `backlog` through `filter`, testing only the
    /// rank positions `within` when given: its answer is the one awaited
    /// from now on.
    pub fn start(&mut self, backlog: &Backlog, filter: &Filter, within: Option<Arc<Vec<usize>>>) {
        let job = self.newest.fetch_add(1, Ordering::Relaxed) + 1;
        self.awaited = Some(job);
        self.ready = Some(SearchJob {
            job,
            backlog: backlog.clone(),
            filter: filter.clone(),
            within,
            newest: Arc::clone(&self.newest),
        });
    }

    /// As [`Searching::start`], over every story, after a change the rows
    /// could not follow: the rows shown answer no query now, so a query
    /// typed further is searched afresh, not narrowed from them.
    pub fn start_afresh(&mut self, backlog: &Backlog, filter: &Filter) {
        self.rows_query.clear();
        self.start(backlog, filter, None);
    }

    /// The search for the loop to start, handed over once.
    pub fn take(&mut self) -> Option<SearchJob> {
        self.ready.take()
    }

    /// Whether `job`'s answer is the one awaited, for the filter's query
    /// `query`; if so, it is no longer awaited.
    pub fn answered(&mut self, job: u64, query: &str) -> bool {
        if self.awaited != Some(job) {
            return false;
        }
        self.awaited = None;
        query.clone_into(&mut self.rows_query);
        true
    }
}

/// A search for a thread of its own, over a copy of the backlog as it was
/// when the query was typed. Its answer comes back as
/// [`Action::Searched`] with its `job`.
#[derive(Clone, Debug)]
pub struct SearchJob {
    pub job: u64,
    backlog: Backlog,
    filter: Filter,
    within: Option<Arc<Vec<usize>>>,
    newest: Arc<AtomicU64>,
}

impl SearchJob {
    /// Test the stories: the answer, for the app, or none when a newer
    /// search made it pointless before it was done.
    #[must_use]
    pub fn run(&self) -> Action {
        let found = self.rows();
        Action::Searched {
            job: self.job,
            found,
        }
    }

    fn rows(&self) -> Option<(Rows, Totals)> {
        let (backlog, filter) = (&self.backlog, &self.filter);
        let look = || {
            if self.newest.load(Ordering::Relaxed) == self.job {
                Ok(())
            } else {
                Err(())
            }
        };
        match &self.within {
            Some(within) => Rows::tested(backlog, filter, within.iter().copied(), look),
            None => Rows::tested(backlog, filter, 0..backlog.len(), look),
        }
        .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Placement, StoryPatch};

    #[test]
    fn typing_further_narrows_to_what_a_fresh_search_finds() {
        let mut b = Backlog::new("t");
        for title in [
            "Kiln queue",
            "Kiln report",
            "Glaze library",
            "kiln QUEUE photo",
        ] {
            b.add(
                &StoryPatch::title(title),
                Placement::Bottom,
                chrono::Utc::now(),
            )
            .unwrap();
        }
        let mut filter = Filter::default();
        let mut rows = Rows::All;
        for query in ["k", "ki", "kiln", "kiln ", "kiln q", "kiln queue p"] {
            filter.query = query.to_string();
            rows = rows.narrowed(&b, &filter);
            assert_eq!(rows, Rows::compute(&b, &filter), "{query:?}");
        }
        assert_eq!(rows, Rows::Only(vec![3].into()));
    }

    #[test]
    fn positions_follow_moves_inserts_and_removals() {
        let mut rows = Rows::Only(vec![1, 3, 5, 8].into());
        rows.moved(5, 0);
        assert_eq!(rows, Rows::Only(vec![0, 2, 4, 8].into()));
        rows.moved(0, 6);
        assert_eq!(rows, Rows::Only(vec![1, 3, 6, 8].into()));
        rows.inserted(4, true);
        assert_eq!(rows, Rows::Only(vec![1, 3, 4, 7, 9].into()));
        rows.inserted(0, false);
        assert_eq!(rows, Rows::Only(vec![2, 4, 5, 8, 10].into()));
        rows.removed(5);
        assert_eq!(rows, Rows::Only(vec![2, 4, 7, 9].into()));
        rows.removed(3);
        assert_eq!(rows, Rows::Only(vec![2, 3, 6, 8].into()));
        rows.changed(2, false);
        rows.changed(7, true);
        assert_eq!(rows, Rows::Only(vec![3, 6, 7, 8].into()));
    }

    #[test]
    fn positions_follow_stories_moved_and_removed_together() {
        let mut b = Backlog::new("t");
        for i in 0..10 {
            let patch = StoryPatch::title(format!("{i}"));
            b.add(&patch, Placement::Bottom, chrono::Utc::now())
                .unwrap();
        }
        let shown_ids = |rows: &Rows, b: &Backlog| -> Vec<String> {
            (0..rows.len(b))
                .map(|row| b.at(rows.position(row, b).unwrap()).unwrap().title.clone())
                .collect()
        };
        // Shown: 1 3 4 6 8; 3, 6 and 9 move to before 2.
        let mut rows = Rows::Only(vec![1, 3, 4, 6, 8].into());
        let moving = [3, 6, 9];
        let ids: Vec<_> = moving.iter().map(|&p| b.at(p).unwrap().id).collect();
        let anchor = b.at(2).unwrap().id;
        let block = b
            .move_stories(&ids, crate::model::Destination::Before(anchor))
            .unwrap();
        rows.moved_together(&moving, block.start);
        assert_eq!(shown_ids(&rows, &b), ["1", "3", "6", "4", "8"]);
        // 3, 4 and 9 go: the rows close up.
        let gone: Vec<usize> = ["3", "4", "9"]
            .iter()
            .map(|t| b.ranked().position(|s| s.title == *t).unwrap())
            .collect();
        let mut gone_sorted = gone.clone();
        gone_sorted.sort_unstable();
        let ids: Vec<_> = gone_sorted.iter().map(|&p| b.at(p).unwrap().id).collect();
        b.remove_stories(&ids).unwrap();
        rows.removed_all(&gone_sorted);
        assert_eq!(shown_ids(&rows, &b), ["1", "6", "8"]);
    }
}
