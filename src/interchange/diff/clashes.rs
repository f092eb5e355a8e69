//! The clashes a git merge left, as the diff tells them: those the newer
//! side gained, those whose sides changed (a later merge clashed on the
//! same field again) and those settled. Clashes are paired by story and
//! field, as the backlog keeps at most one of each.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::{ProductChange, Renumbering, StoryChange};
use crate::model::{Backlog, Clash, StoryId};

/// A clash as the diff tells it: the field as the file spells it (what
/// `backlog resolve-conflict` takes), and what the base and each side had.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClashSides {
    pub field: String,
    pub base: Value,
    pub ours: Value,
    pub theirs: Value,
    /// Who each side is, where git said.
    pub ours_by: Option<String>,
    pub theirs_by: Option<String>,
}

impl From<&Clash> for ClashSides {
    fn from(clash: &Clash) -> Self {
        ClashSides {
            field: clash.field.clone(),
            base: clash.base.clone(),
            ours: clash.ours.clone(),
            theirs: clash.theirs.clone(),
            ours_by: clash.ours_by.clone(),
            theirs_by: clash.theirs_by.clone(),
        }
    }
}

/// What became of one clash.
enum Told {
    Added(ClashSides),
    Changed(ClashSides),
    Settled(String),
}

impl Told {
    fn for_story(self) -> StoryChange {
        match self {
            Told::Added(sides) => StoryChange::Clash(sides),
            Told::Changed(sides) => StoryChange::ClashChanged(sides),
            Told::Settled(field) => StoryChange::ClashSettled { field },
        }
    }

    fn for_product(self) -> ProductChange {
        match self {
            Told::Added(sides) => ProductChange::Clash(sides),
            Told::Changed(sides) => ProductChange::ClashChanged(sides),
            Told::Settled(field) => ProductChange::ClashSettled { field },
        }
    }
}

/// The clashes on stories, told with the story they are on.
pub(super) struct StoryClashes {
    /// By the id in `after` of a story still there.
    pub on_stories: HashMap<StoryId, Vec<StoryChange>>,
    /// By the id in `before` of a story removed: only settled ones.
    pub on_removed: HashMap<StoryId, Vec<StoryChange>>,
}

/// The clashes' changes from `before` to `after`: the stories', by
/// story, and the product's. Those added or changed come in the order
/// `after` found them, then those settled in the order `before` had.
/// Only the sides' values make a clash changed: who the sides are is a
/// label, not something to settle. A clash on a story renumbered is
/// paired with the one on its old id.
pub(super) fn changes(
    before: &Backlog,
    after: &Backlog,
    renumbering: &Renumbering,
) -> (StoryClashes, Vec<ProductChange>) {
    let was = |clash: &Clash| {
        let story = match clash.story {
            Some(id) => Some(renumbering.id_then(id)?),
            None => None,
        };
        before.clashes().iter().find(|c| c.is(story, &clash.field))
    };
    let gained = after.clashes().iter().filter_map(|clash| match was(clash) {
        None => Some((clash.story, Told::Added(clash.into()))),
        Some(old) if (&old.ours, &old.theirs) != (&clash.ours, &clash.theirs) => {
            Some((clash.story, Told::Changed(clash.into())))
        }
        Some(_) => None,
    });
    let mut clashes = StoryClashes {
        on_stories: HashMap::new(),
        on_removed: HashMap::new(),
    };
    let mut product = Vec::new();
    for (story, told) in gained {
        match story {
            Some(id) => clashes
                .on_stories
                .entry(id)
                .or_default()
                .push(told.for_story()),
            None => product.push(told.for_product()),
        }
    }
    let still =
        |story: Option<StoryId>, field: &str| after.clashes().iter().any(|c| c.is(story, field));
    for old in before.clashes() {
        let settled = Told::Settled(old.field.clone());
        match old.story.map(|id| (id, renumbering.id_now(id))) {
            None if !still(None, &old.field) => product.push(settled.for_product()),
            Some((_, Some(now))) if !still(Some(now), &old.field) => {
                clashes
                    .on_stories
                    .entry(now)
                    .or_default()
                    .push(settled.for_story());
            }
            Some((id, None)) => {
                clashes
                    .on_removed
                    .entry(id)
                    .or_default()
                    .push(settled.for_story());
            }
            _ => {}
        }
    }
    (clashes, product)
}
