//! Stories brought in whole from outside, many at once: an import.
//!
//! Adding them one by one would cost a search of the backlog for each
//! (its labels' spellings, its place in the order), and would give each
//! key from the gap the one before left, longer and longer; here the
//! backlog is walked once and the keys come from one even spread.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{Backlog, EpicIndex, ModelError, Totals, check_title};
use crate::model::product::name_key;
use crate::model::story::{Story, StoryId, label_name};
use crate::rank::Rank;

impl Backlog {
    /// Add `stories`, each as it is but for its id and rank key, given
    /// here: ids from [`Backlog::next_id`] on and keys in one even spread
    /// ([`Rank::spread_between`]), both in the order given, so a caller
    /// that links the stories to one another (a blocker, a split) knows
    /// their ids beforehand. They go below the last story, above any
    /// release line under it, or with `top` above the first, below any
    /// line over it, as [`Backlog::add`] places one story. Each epic a
    /// story names is spelled as the backlog spells it, or created, and
    /// each label likewise takes the spelling the backlog gives it.
    /// Returns their ids.
    ///
    /// # Errors
    /// When a title is empty or too long, or no ids are left for them
    /// all. Nothing changes.
    pub fn add_imported(
        &mut self,
        stories: Vec<Story>,
        top: bool,
    ) -> Result<Vec<StoryId>, ModelError> {
        if stories.is_empty() {
            return Ok(Vec::new());
        }
        for story in &stories {
            check_title(&story.title)?;
        }
        let first = self.next_id;
        let count = u64::try_from(stories.len()).map_err(|_| ModelError::NoIdLeft)?;
        let after = first.checked_add(count).ok_or(ModelError::NoIdLeft)?;
        let keys = self.imported_keys(stories.len(), top);
        let mut spellings = self.label_spellings();
        let mut epics = EpicIndex::of(&self.product);
        let start = self.stories.len();
        let mut ids = Vec::with_capacity(stories.len());
        for ((mut story, rank), n) in stories.into_iter().zip(keys).zip(first..) {
            story.id = StoryId(n);
            story.rank = rank;
            story.title = story.title.trim().to_string();
            respell_labels(&mut story, &mut spellings);
            let mut story = Arc::new(story);
            let _ = epics.adopt(&mut self.product, &mut story);
            self.totals += Totals::of(&story);
            ids.push(story.id);
            // Ids only grow, so each belongs at the end of `stories`.
            self.stories.push(story);
        }
        let added = start..self.stories.len();
        if top {
            let below = std::mem::take(&mut self.order);
            self.order = Arc::new(added.chain(below.iter().copied()).collect());
        } else {
            self.order_mut().extend(added);
        }
        self.next_id = after;
        Ok(ids)
    }

    /// Put stories a repeated import refreshed (`--update`) in place of
    /// the stories with their ids, where those are in the backlog: each
    /// keeps its rank key, is stamped as changed `now` when it changed,
    /// with a change of status recorded as any other, and spells its
    /// labels and epic as the backlog does (an epic it names that there
    /// is not yet is created).
    ///
    /// # Errors
    /// When a story is unknown, or a new title is empty or too long.
    /// Nothing changes.
    pub fn refresh_imported(
        &mut self,
        stories: Vec<Story>,
        now: DateTime<Utc>,
    ) -> Result<(), ModelError> {
        let mut placed = Vec::with_capacity(stories.len());
        for story in stories {
            let index = self.index(story.id)?;
            if story.title != self.stories[index].title {
                check_title(&story.title)?;
            }
            placed.push((index, story));
        }
        let mut spellings = self.label_spellings();
        for (index, mut story) in placed {
            story.rank = self.stories[index].rank.clone();
            respell_labels(&mut story, &mut spellings);
            self.replace(index, story, now);
        }
        Ok(())
    }

    /// `n` keys, spread evenly in the room below the last story (up to
    /// the first release line under it), or with `top` above the first.
    fn imported_keys(&self, n: usize, top: bool) -> Vec<Rank> {
        let mut lines: Vec<&Rank> = self
            .product
            .releases
            .iter()
            .filter_map(|r| r.line.as_ref())
            .collect();
        lines.sort();
        let first = self.at(0).map(|s| &s.rank);
        let last = self
            .len()
            .checked_sub(1)
            .and_then(|p| self.at(p))
            .map(|s| &s.rank);
        let (prev, next) = if top {
            let over = lines.iter().rev().find(|l| first.is_none_or(|f| **l < f));
            (over.copied(), first)
        } else {
            let under = lines.iter().find(|l| last.is_none_or(|p| **l > p));
            (last, under.copied())
        };
        // Keys too close together for the spread (a hand-edited file's)
        // leave the line aside rather than fail the import.
        Rank::spread_between(prev, next, n)
            .or_else(|| {
                if top {
                    Rank::spread_between(None, next, n)
                } else {
                    Rank::spread_between(prev, None, n)
                }
            })
            .expect("there is always room past the end of the backlog")
    }

    /// Each label's spelling in the backlog, by its [`name_key`]: the
    /// first one met, in id order, as a file is read.
    fn label_spellings(&self) -> HashMap<String, String> {
        let mut spellings = HashMap::new();
        for label in self.stories.iter().flat_map(|s| &s.labels) {
            spellings
                .entry(name_key(label))
                .or_insert_with(|| label.clone());
        }
        spellings
    }
}

/// The story's labels as the backlog keeps them: without a leading `#`,
/// each once, spelled as the backlog (or an earlier story of the import)
/// first spelled it.
fn respell_labels(story: &mut Story, spellings: &mut HashMap<String, String>) {
    let mut labels: Vec<String> = Vec::with_capacity(story.labels.len());
    for label in story.labels.iter().flat_map(|l| l.split(',')) {
        let name = label_name(label);
        if name.is_empty() {
            continue;
        }
        let spelled = spellings
            .entry(name_key(name))
            .or_insert_with(|| name.to_string());
        if !labels.contains(spelled) {
            labels.push(spelled.clone());
        }
    }
    story.labels = labels;
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use crate::model::tests::backlog_of;
    use crate::model::{Backlog, ModelError, Release, Story, StoryId};
    use crate::rank::Rank;

    fn story(title: &str) -> Story {
        let now = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
        Story::new(StoryId(999), Rank::first(), title, now)
    }

    fn titles(b: &Backlog) -> Vec<String> {
        b.ranked().map(|s| s.title.clone()).collect()
    }

    #[test]
    fn imported_stories_go_below_the_backlog_or_above_it_with_short_keys() {
        let mut b = backlog_of(3);
        let ids = b.add_imported(vec![story("A"), story("B")], false).unwrap();
        assert_eq!(ids, [StoryId(4), StoryId(5)]);
        let ids = b.add_imported(vec![story("C"), story("D")], true).unwrap();
        assert_eq!(ids, [StoryId(6), StoryId(7)]);
        let ranked: Vec<u64> = b.ranked().map(|s| s.id.0).collect();
        assert_eq!(ranked, [6, 7, 1, 2, 3, 4, 5]);
        assert!(b.ranked().all(|s| s.rank.size() <= 3), "{:?}", titles(&b));
        assert_eq!(b.next_id(), 8);
        // The order kept is the order the keys give, as a file read back.
        let again = crate::store::from_json(&crate::store::to_json(&b)).unwrap();
        assert!(again.ranked().map(|s| s.id).eq(b.ranked().map(|s| s.id)));
    }

    #[test]
    fn thousands_of_imported_stories_take_keys_of_a_few_bytes() {
        let mut b = backlog_of(2);
        let many: Vec<Story> = (0..20_000).map(|i| story(&format!("S{i}"))).collect();
        b.add_imported(many, false).unwrap();
        assert!(b.ranked().map(|s| s.rank.size()).max() <= Some(4));
        assert!(
            b.ranked()
                .zip(b.ranked().skip(1))
                .all(|(a, c)| a.rank < c.rank)
        );
    }

    #[test]
    fn imported_stories_stay_above_a_release_line_under_the_backlog() {
        let mut b = backlog_of(2);
        b.add_release(Release::new("1.0", None)).unwrap();
        b.place_line("1.0", 2).unwrap();
        b.add_imported(vec![story("New")], false).unwrap();
        let line = b.product.release("1.0").unwrap().line.clone().unwrap();
        assert_eq!(b.above_line(&line), 3, "the new story is in the release");
    }

    #[test]
    fn imported_stories_take_the_backlogs_epics_and_labels_as_spelled() {
        let mut b = Backlog::new("P");
        let mut first = story("First");
        first.labels = vec!["UX".into()];
        first.epic = Some("Billing".into());
        b.add_imported(vec![first], false).unwrap();
        let mut second = story("Second");
        second.labels = vec!["#ux".into(), "api, Api".into(), " ".into()];
        second.epic = Some("billing".into());
        let mut third = story("Third");
        third.epic = Some("Search".into());
        b.add_imported(vec![second, third], false).unwrap();
        let second = b.get(StoryId(2)).unwrap();
        assert_eq!(second.labels, ["UX", "api"]);
        assert_eq!(second.epic.as_deref(), Some("Billing"));
        let epics: Vec<&str> = b.product.epics.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(epics, ["Billing", "Search"]);
    }

    #[test]
    fn an_import_with_a_title_refused_adds_nothing() {
        let mut b = backlog_of(2);
        let before = b.clone();
        let refused = b.add_imported(vec![story("Fine"), story("  ")], false);
        assert_eq!(refused, Err(ModelError::EmptyTitle));
        assert_eq!(b, before);
    }
}
