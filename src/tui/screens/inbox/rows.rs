//! Which feedback items the inbox lists, and in what order: a view by
//! triage state (the new items, the triage queue, unless asked
//! otherwise) in an order the owner picks, newest first unless asked
//! otherwise. Worked out when the pane is shown and after each change,
//! never per frame: an inbox may hold an import of 17,000 items.

use std::cmp::Reverse;
use std::sync::Arc;

use crate::model::{Feedback, FeedbackId, FeedbackState};

/// Which items the list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shown {
    /// The items not yet triaged: the queue the owner works through.
    #[default]
    New,
    All,
    Linked,
    Converted,
    Dismissed,
}

impl Shown {
    /// In the order the filter key steps through them.
    pub const ALL: [Shown; 5] = [
        Shown::New,
        Shown::All,
        Shown::Linked,
        Shown::Converted,
        Shown::Dismissed,
    ];

    /// The state it shows; `None` for every item.
    #[must_use]
    pub fn state(self) -> Option<FeedbackState> {
        match self {
            Shown::New => Some(FeedbackState::New),
            Shown::All => None,
            Shown::Linked => Some(FeedbackState::Linked),
            Shown::Converted => Some(FeedbackState::Converted),
            Shown::Dismissed => Some(FeedbackState::Dismissed),
        }
    }

    /// The view after this one, round to the first.
    #[must_use]
    pub fn next(self) -> Shown {
        crate::tui::cycle(&Shown::ALL, &self, true)
    }

    /// Whether `item` is listed in this view.
    #[must_use]
    pub fn shows(self, item: &Feedback) -> bool {
        self.state().is_none_or(|state| item.state == state)
    }
}

/// The order the list is in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Order {
    #[default]
    Newest,
    Oldest,
    /// Critical first; of the same importance, the newest first.
    MostImportant,
}

impl Order {
    pub const ALL: [Order; 3] = [Order::Newest, Order::Oldest, Order::MostImportant];

    #[must_use]
    pub fn next(self) -> Order {
        crate::tui::cycle(&Order::ALL, &self, true)
    }

    /// What the status bar calls it.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Order::Newest => "newest first",
            Order::Oldest => "oldest first",
            Order::MostImportant => "most important first, then newest",
        }
    }
}

/// How many items there are in each state, and in all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub all: usize,
    /// In [`FeedbackState::ALL`]'s order.
    pub by_state: [usize; FeedbackState::ALL.len()],
}

impl Counts {
    #[must_use]
    pub fn of(items: &[Arc<Feedback>]) -> Counts {
        let mut counts = Counts {
            all: items.len(),
            ..Counts::default()
        };
        for item in items {
            counts.by_state[state_index(item.state)] += 1;
        }
        counts
    }

    /// How many items are in `state`.
    #[must_use]
    pub fn of_state(&self, state: FeedbackState) -> usize {
        self.by_state[state_index(state)]
    }

    /// How many items `shown` lists.
    #[must_use]
    pub fn shown(&self, shown: Shown) -> usize {
        shown.state().map_or(self.all, |state| self.of_state(state))
    }
}

fn state_index(state: FeedbackState) -> usize {
    FeedbackState::ALL
        .iter()
        .position(|s| *s == state)
        .unwrap_or(0)
}

/// The ids of the items of `items` that `shown` lists, in `order`. Ties
/// (the same moment, or the same importance and moment) go by id, the
/// later taken in first when the newest are, so the order never depends
/// on how the file happened to be sorted.
#[must_use]
pub fn listed(items: &[Arc<Feedback>], shown: Shown, order: Order) -> Vec<FeedbackId> {
    let mut listed: Vec<&Feedback> = items
        .iter()
        .map(|item| &**item)
        .filter(|item| shown.shows(item))
        .collect();
    match order {
        Order::Newest => listed.sort_unstable_by_key(|item| Reverse((item.date, item.id))),
        Order::Oldest => listed.sort_unstable_by_key(|item| (item.date, item.id)),
        Order::MostImportant => {
            listed.sort_unstable_by_key(|item| Reverse((item.importance, item.date, item.id)));
        }
    }
    listed.into_iter().map(|item| item.id).collect()
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::model::Importance;

    fn item(id: u64, day: u32, importance: Importance, state: FeedbackState) -> Arc<Feedback> {
        let date = Utc.with_ymd_and_hms(2026, 11, day, 9, 0, 0).unwrap();
        let mut item = Feedback::new(FeedbackId(id), format!("item {id}"), "Acme", date);
        item.importance = importance;
        item.state = state;
        Arc::new(item)
    }

    fn items() -> Vec<Arc<Feedback>> {
        use FeedbackState::{Converted, Dismissed, Linked, New};
        use Importance::{Critical, Important, NiceToHave};
        vec![
            item(1, 3, NiceToHave, New),
            item(2, 5, Critical, Linked),
            // Taken in later, said earlier: an import of an old issue.
            item(3, 1, Important, New),
            item(4, 5, NiceToHave, New),
            item(5, 4, Critical, Dismissed),
            item(6, 2, Important, Converted),
        ]
    }

    fn ids(listed: &[FeedbackId]) -> Vec<u64> {
        listed.iter().map(|id| id.0).collect()
    }

    #[test]
    fn the_new_items_are_listed_newest_first_by_default() {
        let listed = listed(&items(), Shown::default(), Order::default());
        assert_eq!(ids(&listed), [4, 1, 3]);
    }

    #[test]
    fn each_view_lists_its_state_and_all_of_them_every_item() {
        let items = items();
        let by = |shown| ids(&listed(&items, shown, Order::Oldest));
        assert_eq!(by(Shown::All), [3, 6, 1, 5, 2, 4]);
        assert_eq!(by(Shown::Linked), [2]);
        assert_eq!(by(Shown::Converted), [6]);
        assert_eq!(by(Shown::Dismissed), [5]);
        let counts = Counts::of(&items);
        for shown in Shown::ALL {
            assert_eq!(counts.shown(shown), by(shown).len(), "{shown:?}");
        }
        assert_eq!(counts.of_state(FeedbackState::New), 3);
    }

    #[test]
    fn the_most_important_come_first_and_the_newest_of_them() {
        let listed = listed(&items(), Shown::All, Order::MostImportant);
        assert_eq!(ids(&listed), [2, 5, 6, 3, 4, 1]);
    }

    #[test]
    fn the_views_and_orders_go_round() {
        let mut shown = Shown::New;
        for _ in Shown::ALL {
            shown = shown.next();
        }
        assert_eq!(shown, Shown::New);
        assert_eq!(Shown::New.next(), Shown::All);
        assert_eq!(Order::MostImportant.next(), Order::Newest);
    }
}
