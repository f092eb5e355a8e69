//! The clashes a git merge left, as the diff tells them: those the newer
//! side gained, those whose sides changed (a later merge clashed on the
//! same field again) and those settled. Clashes are paired by story and
//! field, as the backlog keeps at most one of each.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::{ProductChange, StoryChange};
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

/// The clashes' changes from `before` to `after`: the stories', by
/// story, and the product's. Those added or changed come in the order
/// `after` found them, then those settled in the order `before` had.
/// Only the sides' values make a clash changed: who the sides are is a
/// label, not something to settle.
pub(super) fn changes(
    before: &Backlog,
    after: &Backlog,
) -> (HashMap<StoryId, Vec<StoryChange>>, Vec<ProductChange>) {
    let was = |clash: &Clash| {
        before
            .clashes()
            .iter()
            .find(|c| c.is(clash.story, &clash.field))
    };
    let gained = after.clashes().iter().filter_map(|clash| match was(clash) {
        None => Some((clash.story, Told::Added(clash.into()))),
        Some(old) if (&old.ours, &old.theirs) != (&clash.ours, &clash.theirs) => {
            Some((clash.story, Told::Changed(clash.into())))
        }
        Some(_) => None,
    });
    let settled = (before.clashes().iter())
        .filter(|old| !after.clashes().iter().any(|c| c.is(old.story, &old.field)))
        .map(|old| (old.story, Told::Settled(old.field.clone())));
    let mut stories: HashMap<StoryId, Vec<StoryChange>> = HashMap::new();
    let mut product = Vec::new();
    for (story, told) in gained.chain(settled) {
        match story {
            Some(id) => stories.entry(id).or_default().push(told.for_story()),
            None => product.push(told.for_product()),
        }
    }
    (stories, product)
}
