//! The table's state: which stories it shows (the filter, and the rows
//! it lets through, kept up to date by each change without testing every
//! story again), the points they hold (likewise), which is selected, and
//! how far it is scrolled; the order it shows them in, the rank's or a
//! sort's; and the release plan it rules between its rows, worked out
//! again when the backlog changes, never as it is drawn.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::lines::{Plan, next_row, today};
use super::marks::Marks;
use crate::model::{Backlog, Story, StoryId, Totals};
use crate::priority::Framework;
use crate::tui::filter::{Filter, Rows, Searching};
use crate::tui::layout::{Drawn, OptionalColumns, Ruled};
use crate::tui::sort::{SortBy, Sorted, Sorter};

/// What the table shows and where it is.
#[derive(Clone, Debug, Default)]
pub struct Table {
    /// What the table is narrowed to.
    pub filter: Filter,
    /// The stories the table shows, as the filter leaves them.
    pub rows: Rows,
    /// The points of the stories the rows show, while a filter is on
    /// (without one, the backlog's own totals are the table's). Kept up
    /// to date as the rows are, so the status bar need not add up a
    /// filtered backlog on every key.
    pub shown: Totals,
    /// The stories the last change touched, as they were before it, by
    /// id: what the rows' totals take back as they follow the change.
    pub changed_from: Vec<(StoryId, Option<Arc<Story>>)>,
    /// A change the totals could not follow: they are added up again
    /// once the key is handled.
    pub recount: bool,
    /// 0-based row of the selected story (its rank position when no
    /// filter is on); while a release line is selected, the row below it.
    pub selected: usize,
    /// The release whose line is selected instead of a story, by name:
    /// the keys that move a story move it.
    pub selected_line: Option<String>,
    /// The first row on screen, counting the lines drawn between the
    /// stories' rows ([`Ruled`]).
    pub scroll: usize,
    /// The stories marked to be acted on together: each is shown.
    pub marks: Marks,
    /// The columns beyond its own the user asked the table to show, where
    /// it has room.
    pub columns: OptionalColumns,
    /// The story pane is hidden: the table takes the pane's room too.
    pub story_hidden: bool,
    /// The prioritisation framework the owner picked, if any: the table
    /// shows its score, and the priority pane proposes its order.
    pub framework: Option<Framework>,
    /// The stories shown sorted by something other than rank, when the
    /// owner asked: the rank is untouched, and moving waits for rank
    /// order.
    pub sorted: Option<Sorted>,
    /// The release forecast of the backlog as it is, and the lines it
    /// rules between the rows.
    pub plan: Plan,
    /// The search running off the event loop, if one is: the rows are
    /// the answer to the query before until its answer comes.
    pub searching: Searching,
}

impl Table {
    /// Score the stories by `framework`, or by none: the score column
    /// comes and goes with it, as wide as the framework's scores read.
    pub fn set_framework(&mut self, framework: Option<Framework>) {
        self.framework = framework;
        self.columns.score = framework.map_or(0, score_width);
    }

    /// The selected story.
    #[must_use]
    pub fn selected_story<'a>(&self, backlog: &'a Backlog) -> Option<&'a Story> {
        backlog.at(self.selected_position(backlog)?)
    }

    /// The rank position of the selected story: none while a release
    /// line is selected.
    #[must_use]
    pub fn selected_position(&self, backlog: &Backlog) -> Option<usize> {
        if self.selected_line.is_some() {
            return None;
        }
        self.position(self.selected, backlog)
    }

    /// Whether the lines of the release plan are drawn between the rows:
    /// only in rank order, and with no filter but the open work's. Sorted,
    /// the rows are not the order the plan follows; narrowed further, the
    /// lines of many sprints would pile up between two rows.
    #[must_use]
    pub fn lines_shown(&self) -> bool {
        self.sorted.is_none() && !self.filter.narrows_further()
    }

    /// The rows as drawn: the stories' rows, and the lines between them
    /// when they are shown.
    #[must_use]
    pub fn ruled(&self, backlog: &Backlog) -> Ruled {
        let count = self.row_count(backlog);
        if !self.lines_shown() || count == 0 {
            return Ruled::plain(count);
        }
        let above = self
            .plan
            .lines
            .iter()
            .map(|line| match self.rows.row_of(line.above) {
                Ok(row) | Err(row) => row,
            })
            .collect();
        Ruled::new(above, count)
    }

    /// The line of the release selected, among the lines drawn.
    #[must_use]
    pub fn selected_line_index(&self) -> Option<usize> {
        let name = self.selected_line.as_deref()?;
        self.lines_shown()
            .then(|| self.plan.release_line(name))
            .flatten()
    }

    /// The drawn row of the selection: the release line selected, else
    /// the selected story's row.
    #[must_use]
    pub fn selected_drawn(&self, ruled: &Ruled) -> usize {
        match self.selected_line_index() {
            Some(line) if line < ruled.lines() => ruled.line_row(line),
            _ => ruled.story_row(self.selected),
        }
    }

    /// The rank position shown at `row`, in the rank's order or the
    /// sort's.
    #[must_use]
    pub fn position(&self, row: usize, backlog: &Backlog) -> Option<usize> {
        match &self.sorted {
            Some(sorted) => sorted.position(row),
            None => self.rows.position(row, backlog),
        }
    }

    /// The row showing rank position `position`.
    ///
    /// # Errors
    /// When that story is not shown: the row nearest to where it would be.
    pub fn row_of(&self, position: usize) -> Result<usize, usize> {
        match &self.sorted {
            Some(sorted) => sorted.row_of(position),
            None => self.rows.row_of(position),
        }
    }

    /// What the table is sorted by, when not by rank.
    #[must_use]
    pub fn sorted_by(&self) -> Option<SortBy> {
        self.sorted.as_ref().map(|sorted| sorted.by)
    }

    /// How many rows the table has.
    #[must_use]
    pub fn row_count(&self, backlog: &Backlog) -> usize {
        self.rows.len(backlog)
    }

    /// The story shown at a row.
    #[must_use]
    pub fn story_at_row<'a>(&self, row: usize, backlog: &'a Backlog) -> Option<&'a Story> {
        backlog.at(self.position(row, backlog)?)
    }

    /// The points of the stories the table shows: all of them, and the
    /// open ones'.
    #[must_use]
    pub fn totals(&self, backlog: &Backlog) -> Totals {
        if self.filter.is_active() {
            self.shown
        } else {
            backlog.totals()
        }
    }

    /// Whether the filter lets a story through.
    #[must_use]
    pub fn shows(&self, story: &Story, backlog: &Backlog) -> bool {
        !self.filter.is_active()
            || self
                .filter
                .matches(story, &self.filter.words(), &backlog.product.settings.ready)
    }
}

/// Columns a framework's scores read in: a number or "unscored" for
/// most; MoSCoW's priorities and the quadrants, with their value, are
/// words.
#[must_use]
pub fn score_width(framework: Framework) -> u16 {
    match framework {
        Framework::Moscow => 11,
        Framework::ValueEffort => 18,
        _ => 8,
    }
}

/// The table with what keeping it right needs: the backlog it shows, and
/// how many of its rows fit on screen.
pub struct TableMut<'a> {
    pub table: &'a mut Table,
    pub backlog: &'a Backlog,
    /// Rows on screen, as the layout has them now.
    pub fits: usize,
    /// Now, for a sort by a score that counts age.
    pub now: DateTime<Utc>,
}

impl<'a> TableMut<'a> {
    /// The selected story.
    #[must_use]
    pub fn selected_story(&self) -> Option<&Story> {
        self.table.selected_story(self.backlog)
    }

    /// Select a row (clamped to the table) and scroll it into view. A
    /// range being marked reaches it.
    pub fn select(&mut self, row: usize) {
        self.table.selected_line = None;
        let last = self.table.row_count(self.backlog).saturating_sub(1);
        self.table.selected = row.min(last);
        if self.table.marks.is_drawing() {
            let (table, backlog) = (&mut *self.table, self.backlog);
            let (rows, sorted) = (&table.rows, &table.sorted);
            table.marks.reach(table.selected, |row| {
                match sorted {
                    Some(sorted) => sorted.position(row),
                    None => rows.position(row, backlog),
                }
                .and_then(|p| backlog.at(p))
                .map(|s| s.id)
            });
        }
        self.keep_selection_visible();
    }

    /// Start marking a range at the selected story (`mark_range`), or,
    /// while one is drawn, stop, keeping what it marked. False when there
    /// is no story to start at.
    pub fn mark_range(&mut self) -> bool {
        if self.table.marks.is_drawing() {
            self.table.marks.stop();
            return true;
        }
        let Some(id) = self.selected_story().map(|s| s.id) else {
            return false;
        };
        self.table.marks.start(self.table.selected, id);
        true
    }

    /// Mark the selected story, or unmark it (`toggle_mark`); while a
    /// range is drawn, stop it instead, keeping what it marked. The story,
    /// and whether it is marked now.
    pub fn toggle_mark(&mut self) -> Option<(StoryId, bool)> {
        let id = self.selected_story()?.id;
        if self.table.marks.is_drawing() {
            self.table.marks.stop();
            return Some((id, true));
        }
        Some((id, self.table.marks.toggle(id)))
    }

    /// Unmark every story; how many were marked.
    pub fn clear_marks(&mut self) -> usize {
        let count = self.table.marks.len();
        self.table.marks.clear();
        count
    }

    /// The marked stories in rank order, with their rank positions.
    #[must_use]
    pub fn marked(&self) -> Vec<(usize, StoryId)> {
        let mut marked: Vec<(usize, StoryId)> = self
            .table
            .marks
            .ids()
            .filter_map(|id| Some((self.backlog.position(id).ok()?, id)))
            .collect();
        marked.sort_unstable();
        marked
    }

    /// Marks stay only on stories shown, so that nothing hidden is acted
    /// on: after the rows were worked out again.
    fn keep_marks_shown(&mut self) {
        if self.table.marks.is_empty() {
            return;
        }
        let (table, backlog) = (&mut *self.table, self.backlog);
        let rows = &table.rows;
        table
            .marks
            .retain(|&id| backlog.position(id).is_ok_and(|p| rows.row_of(p).is_ok()));
    }

    /// Select the line `line` (of those drawn) when it is a release's,
    /// and scroll it into view: the keys that move a story then move it.
    pub fn select_line(&mut self, line: usize) {
        let Some(name) = self.table.plan.release_name(line) else {
            return;
        };
        self.table.selected_line = Some(name.to_string());
        let ruled = self.table.ruled(self.backlog);
        if line < ruled.lines() {
            let last = self.table.row_count(self.backlog).saturating_sub(1);
            self.table.selected = ruled.line_above(line).min(last);
        }
        self.keep_selection_visible();
    }

    /// Select the row `delta` rows from the selected one, a story's or a
    /// release line's: where a sprint ends is passed over, since nothing
    /// there can be acted on.
    pub fn step(&mut self, delta: isize) {
        let ruled = self.table.ruled(self.backlog);
        let mut drawn = self.table.selected_drawn(&ruled);
        let mut left = delta.unsigned_abs();
        let mut landed = None;
        while left > 0 {
            let next = if delta > 0 {
                drawn.checked_add(1)
            } else {
                drawn.checked_sub(1)
            };
            let Some((next, found)) = next.and_then(|next| Some((next, ruled.at(next)?))) else {
                break;
            };
            drawn = next;
            if let Drawn::Line(line) = found
                && !self.table.plan.is_release(line)
            {
                continue;
            }
            left -= 1;
            landed = Some(found);
        }
        match landed {
            Some(Drawn::Story(row)) => self.select(row),
            Some(Drawn::Line(line)) => self.select_line(line),
            None => self.keep_selection_visible(),
        }
    }

    /// Select the story a screenful down (`pages` 1) or up (-1).
    pub fn page(&mut self, pages: isize) {
        let ruled = self.table.ruled(self.backlog);
        let rows = isize::try_from(self.fits.max(1)).unwrap_or(isize::MAX);
        let drawn = self.table.selected_drawn(&ruled);
        let target = drawn.saturating_add_signed(pages.saturating_mul(rows));
        if let Some(row) = ruled.story_near(target, pages > 0) {
            self.select(row);
        }
    }

    /// Search for `query`, as it is typed: typed further, only the
    /// stories shown can still match, and only they are tested again. A
    /// search of more stories than a key's time allows is handed to a
    /// thread: the rows stay as they are until its answer comes
    /// ([`TableMut::searched`]).
    pub fn search(&mut self, query: String) {
        self.table.filter.query = query;
        let shown_for = self.table.searching.rows_query();
        let narrowing =
            !shown_for.trim().is_empty() && self.table.filter.query.starts_with(shown_for);
        let tested = if narrowing {
            self.table.rows.len(self.backlog)
        } else {
            self.backlog.len()
        };
        let searching = &mut self.table.searching;
        if tested > searching.on_the_loop_up_to && self.table.filter.is_active() {
            let within = match (&self.table.rows, narrowing) {
                (Rows::Only(positions), true) => Some(positions.clone()),
                _ => None,
            };
            searching.start(self.backlog, &self.table.filter, within);
        } else if narrowing {
            // A filter moves no story: the selected story's rank position
            // still holds, no search needed.
            let position = self.table.selected_position(self.backlog);
            (self.table.rows, self.table.shown) = self
                .table
                .rows
                .narrowed_counted(self.backlog, &self.table.filter);
            self.table.searching.settled(&self.table.filter.query);
            self.resort();
            self.keep_marks_shown();
            self.select_position(position);
        } else {
            self.refilter();
        }
    }

    /// The answer of the search handed to a thread as `job`: the rows,
    /// when it is the answer awaited (for the query as it is now, and the
    /// backlog as it is now), staying on the selected story if it is
    /// still shown. An older answer is dropped; a search that failed is
    /// done here instead.
    pub fn searched(&mut self, job: u64, found: Option<(Rows, Totals)>) {
        if !self.table.searching.answered(job, &self.table.filter.query) {
            return;
        }
        let Some((rows, shown)) = found else {
            let id = self.selected_story().map(|s| s.id);
            self.recompute_here(id);
            return;
        };
        let id = self.selected_story().map(|s| s.id);
        (self.table.rows, self.table.shown) = (rows, shown);
        self.table.recount = false;
        self.resort();
        self.keep_marks_shown();
        self.reselect(id);
    }

    /// The backlog changed while a search ran off the event loop: its
    /// answer would be for the backlog before, so the search starts
    /// again over the backlog as it is now.
    pub fn search_again(&mut self) {
        if self.table.searching.is_awaited() {
            self.table
                .searching
                .start(self.backlog, &self.table.filter, None);
        }
    }

    /// Clear the search and every filter; false when none was on.
    pub fn clear_filter(&mut self) -> bool {
        if !self.table.filter.is_active() {
            return false;
        }
        self.table.filter = Filter::default();
        self.refilter();
        true
    }

    /// Test every story against the filter again, staying on the selected
    /// story if it is still shown, else on the nearest row.
    pub fn refilter(&mut self) {
        let id = self.selected_story().map(|s| s.id);
        self.recompute(id);
    }

    /// Test every story against the filter again after the backlog changed
    /// in ways the rows cannot follow (a reload, an undo, stories deleted),
    /// and select `keep` (taken before the change) wherever it now is.
    ///
    /// A filter over more stories than a key's time allows is tested on a
    /// thread, as a search typed is. Until its answer comes the table
    /// shows `keep` alone: the rows shown before were rank positions in
    /// the backlog as it was, which a change may have given to other
    /// stories, so only the story the user had selected is certain, and
    /// keys pressed meanwhile act on it.
    pub fn recompute(&mut self, keep: Option<StoryId>) {
        if self.table.filter.is_active()
            && self.backlog.len() > self.table.searching.on_the_loop_up_to
        {
            let kept = keep.and_then(|id| self.backlog.position(id).ok());
            self.table.rows = Rows::Only(Arc::new(kept.into_iter().collect()));
            self.table.shown = self.table.rows.totals(self.backlog);
            self.table
                .searching
                .start_afresh(self.backlog, &self.table.filter);
            self.table.recount = false;
            self.resort();
            self.reselect(keep);
            return;
        }
        self.recompute_here(keep);
    }

    /// As [`TableMut::recompute`], testing every story on the event loop
    /// whatever their number.
    pub fn recompute_here(&mut self, keep: Option<StoryId>) {
        (self.table.rows, self.table.shown) = Rows::counted(self.backlog, &self.table.filter);
        self.table.searching.settled(&self.table.filter.query);
        self.table.recount = false;
        self.resort();
        self.keep_marks_shown();
        self.reselect(keep);
    }

    /// What sorting by `by` reads now.
    fn sorter(&self, by: SortBy) -> Sorter<'a> {
        Sorter {
            by,
            backlog: self.backlog,
            framework: self.table.framework,
            now: self.now,
        }
    }

    /// Sort the stories shown again, as they are now, when the table is
    /// sorted: after they changed wholesale.
    pub fn resort(&mut self) {
        if let Some(by) = self.table.sorted_by() {
            self.table.sorted = Some(Sorted::of(&self.table.rows, &self.sorter(by)));
        }
    }

    /// Score the stories by `framework`, or by none: a table sorted by
    /// score is sorted again by the new scores (in rank order with none).
    pub fn set_framework(&mut self, framework: Option<Framework>) {
        self.table.set_framework(framework);
        let by_score = self
            .table
            .sorted
            .as_ref()
            .is_some_and(|sorted| sorted.by == SortBy::Score && sorted.framework != framework);
        if by_score {
            self.sort(framework.map(|_| SortBy::Score));
        }
    }

    /// Show the stories sorted by `by`, or in rank order (`None`),
    /// staying on the selected story.
    pub fn sort(&mut self, by: Option<SortBy>) {
        let keep = self.selected_story().map(|s| s.id);
        self.table.sorted = by.map(Sorted::by);
        self.resort();
        self.reselect(keep);
    }

    /// Add the shown stories' points up again, when a change could not
    /// say what it did to them.
    pub fn recount(&mut self) {
        if self.table.recount {
            self.table.shown = self.table.rows.totals(self.backlog);
            self.table.recount = false;
        }
    }

    /// Take back from the totals what story `id` added before the last
    /// change, when it was shown; when the change did not say, add them
    /// all up again later.
    fn uncount(&mut self, id: StoryId) {
        let table = &mut *self.table;
        match table.changed_from.binary_search_by_key(&id, |(id, _)| *id) {
            // A story the change added counted nothing before it.
            Ok(at) => {
                if let Some(before) = &table.changed_from[at].1 {
                    table.shown -= Totals::of(before);
                }
            }
            Err(_) => table.recount = true,
        }
    }

    /// Add to the totals what story `id` adds now.
    fn count(&mut self, id: StoryId) {
        if let Some(story) = self.backlog.get(id) {
            self.table.shown += Totals::of(story);
        }
    }

    /// A story was just added: show it, filter or not, and select it.
    pub fn story_added(&mut self, id: StoryId) {
        self.table.marks.stop();
        if let Ok(position) = self.backlog.position(id) {
            if self.table.filter.is_active() {
                self.count(id);
            }
            self.table.rows.inserted(position, true);
            if let Some(by) = self.table.sorted_by() {
                let sorter = self.sorter(by);
                if let Some(sorted) = &mut self.table.sorted {
                    sorted.inserted(position, true, &sorter);
                }
            }
            if let Ok(row) = self.table.row_of(position) {
                self.select(row);
            }
        }
    }

    /// After a change to story `id` (not a move): keep the rows right.
    /// The selected story, and a marked one, stay shown even if they no
    /// longer match, so editing them never makes them vanish. Finding the
    /// story's place walks the order, so it is done only when a filter is
    /// on or the table is sorted; sorted, the story goes where it now
    /// sorts, and the selection with it.
    pub fn story_changed(&mut self, id: StoryId) {
        self.table.marks.stop();
        let filtered = self.table.filter.is_active();
        if !filtered && self.table.sorted.is_none() {
            return;
        }
        let Ok(position) = self.backlog.position(id) else {
            return;
        };
        let selected = self.table.selected_position(self.backlog) == Some(position);
        let shown = selected
            || self.table.marks.contains(id)
            || self
                .backlog
                .at(position)
                .is_some_and(|s| self.table.shows(s, self.backlog));
        if filtered {
            if self.table.rows.row_of(position).is_ok() {
                self.uncount(id);
            }
            if shown {
                self.count(id);
            }
            self.table.rows.changed(position, shown);
        }
        if let Some(by) = self.table.sorted_by() {
            let sorter = self.sorter(by);
            if let Some(sorted) = &mut self.table.sorted {
                sorted.changed(position, shown, &sorter);
            }
        }
        if let Ok(row) = self.table.row_of(position)
            && selected
        {
            self.select(row);
        }
    }

    /// A story moved from rank position `from` to `to`: its row follows,
    /// and stays selected.
    pub fn moved(&mut self, from: usize, to: usize) {
        self.table.marks.stop();
        self.table.rows.moved(from, to);
        // A sorted table moves nothing itself; a move made elsewhere
        // (another pane's) is sorted in again.
        self.resort();
        if let Ok(row) = self.table.row_of(to) {
            self.select(row);
        }
    }

    /// The stories at rank positions `from` (ascending) moved together,
    /// in their order, to positions `to..`: their rows follow, and the
    /// selection stays on story `keep`.
    pub fn moved_together(&mut self, from: &[usize], to: usize, keep: Option<StoryId>) {
        self.table.marks.stop();
        self.table.rows.moved_together(from, to);
        self.resort();
        self.reselect(keep);
    }

    /// The stories `gone` (with their rank positions before, ascending)
    /// were removed: the selection stays at the same row, or the new last
    /// one.
    pub fn removed_all(&mut self, gone: &[(usize, StoryId)]) {
        if self.table.filter.is_active() {
            for &(position, id) in gone {
                if self.table.rows.row_of(position).is_ok() {
                    self.uncount(id);
                }
            }
        }
        let positions: Vec<usize> = gone.iter().map(|(position, _)| *position).collect();
        self.table.rows.removed_all(&positions);
        self.resort();
        let backlog = self.backlog;
        self.table.marks.retain(|id| backlog.get(*id).is_some());
        self.select(self.table.selected);
    }

    /// The story at rank position `at` is gone: the selection stays at the
    /// same row, or the new last one.
    pub fn removed(&mut self, at: usize) {
        let backlog = self.backlog;
        self.table.marks.retain(|id| backlog.get(*id).is_some());
        if self.table.filter.is_active() && self.table.rows.row_of(at).is_ok() {
            // The story the change removed: the one it touched that is gone.
            let gone = self.table.changed_from.iter().find_map(|(id, before)| {
                before.as_ref().filter(|_| self.backlog.get(*id).is_none())
            });
            match gone {
                Some(story) => self.table.shown -= Totals::of(story),
                None => self.table.recount = true,
            }
        }
        self.table.rows.removed(at);
        if let Some(sorted) = &mut self.table.sorted {
            sorted.removed(at);
        }
        self.select(self.table.selected);
    }

    /// Select the story `id` wherever it now is; if it is not shown, stay
    /// at the same row.
    pub fn reselect(&mut self, id: Option<StoryId>) {
        let position = id.and_then(|id| self.backlog.position(id).ok());
        self.select_position(position);
    }

    /// Select the row showing rank position `position`, or the row it
    /// would be at; with none, stay at the same row.
    pub fn select_position(&mut self, position: Option<usize>) {
        let row = position.map_or(self.table.selected, |p| match self.table.row_of(p) {
            Ok(row) | Err(row) => row,
        });
        self.select(row);
    }

    /// The table has more rows than before (the terminal grew, a message
    /// above the status bar went): scroll back so the selection and the
    /// rows above it fill them, rather than leave rows above hidden.
    pub fn fill(&mut self) {
        let rows = self.fits.max(1);
        let ruled = self.table.ruled(self.backlog);
        let drawn = self.table.selected_drawn(&ruled);
        self.table.scroll = self.table.scroll.min((drawn + 1).saturating_sub(rows));
        self.keep_selection_visible();
    }

    /// Scroll the table `delta` rows (the wheel), no further than its
    /// ends; the selection stays on screen, moved to the nearest row
    /// shown that can be selected: a story, or a release line.
    pub fn scroll_by(&mut self, delta: isize) {
        let rows = self.fits.max(1);
        let ruled = self.table.ruled(self.backlog);
        let scroll = self
            .table
            .scroll
            .saturating_add_signed(delta)
            .min(ruled.last_scroll(rows));
        self.table.scroll = scroll;
        let drawn = self.table.selected_drawn(&ruled);
        let last_shown = (scroll + rows - 1).min(ruled.len().saturating_sub(1));
        // The lines between the rows can fill a short table: the nearest
        // story may then be off screen, while a release line is on it.
        let nearest = if drawn < scroll {
            next_row(&self.table.plan, &ruled, scroll - 1, true)
        } else if drawn > last_shown {
            next_row(&self.table.plan, &ruled, last_shown + 1, false)
        } else {
            return;
        };
        match nearest {
            Some(Drawn::Story(row)) => {
                self.table.selected_line = None;
                self.table.selected = row;
            }
            Some(Drawn::Line(line)) => {
                self.table.selected_line = self.table.plan.release_name(line).map(str::to_string);
                let last = self.table.row_count(self.backlog).saturating_sub(1);
                self.table.selected = ruled.line_above(line).min(last);
            }
            None => {}
        }
        // Where only sprints' ends are on screen, nothing there can be
        // selected: the table scrolls on to the row that was, or back to
        // the selection, rather than hide it.
        let drawn = self.table.selected_drawn(&ruled);
        self.table.scroll = ruled.scrolled_to_show(self.table.scroll, drawn, drawn, rows);
    }

    /// Scroll so that the selection shows, with the lines just above a
    /// selected story where there is room: where the sprint before it
    /// ends, which no key selects.
    pub fn keep_selection_visible(&mut self) {
        let ruled = self.table.ruled(self.backlog);
        let drawn = self.table.selected_drawn(&ruled);
        let top = if self.table.selected_line_index().is_some() {
            drawn
        } else {
            drawn - ruled.lines_above(self.table.selected).len()
        };
        self.table.scroll = ruled.scrolled_to_show(self.table.scroll, top, drawn, self.fits);
    }

    /// Forecast the backlog again, as it is now, and rule the lines
    /// where they now fall: after every change to it, by anyone. The
    /// release line selected stays selected wherever it went; gone, the
    /// story below where it was is.
    pub fn forecast_again(&mut self) {
        self.table.plan = Plan::of(self.backlog, today(self.now));
        match self.table.selected_line_index() {
            Some(line) => self.select_line(line),
            None if self.table.selected_line.is_some() => self.select(self.table.selected),
            None => self.keep_selection_visible(),
        }
    }

    /// Forecast again when the day has changed since the last forecast,
    /// which dates the coming sprints from today.
    pub fn forecast_for_today(&mut self) {
        if self.table.plan.today() != Some(today(self.now)) {
            self.forecast_again();
        }
    }
}
