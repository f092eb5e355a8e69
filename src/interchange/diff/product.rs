//! What changed in the product: its name, vision and goals, epics (paired
//! by name), releases and sprints (by name), settings and inbox. Its
//! clashes are paired in `clashes`.

use chrono::NaiveDate;
use serde::Serialize;

use super::{ClashSides, Renumbering};
use crate::model::{Backlog, Epic, Product, Release, Scale, StoryId};
use crate::rank::Rank;

/// One change to the product.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum ProductChange {
    Name {
        from: String,
        to: String,
    },
    Vision,
    GoalAdded {
        goal: String,
    },
    GoalRemoved {
        goal: String,
    },
    EpicAdded {
        name: String,
    },
    EpicRemoved {
        name: String,
    },
    EpicRenamed {
        from: String,
        to: String,
    },
    /// Which of its fields changed: `color`, `goal`, `target_release`.
    EpicChanged {
        name: String,
        fields: Vec<&'static str>,
    },
    ReleaseAdded {
        name: String,
        date: Option<NaiveDate>,
    },
    ReleaseRemoved {
        name: String,
    },
    ReleaseDate {
        name: String,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
    /// Its line moved: how many stories are above it, before and after
    /// (none when it has no line).
    ReleaseLine {
        name: String,
        from: Option<usize>,
        to: Option<usize>,
    },
    ReleaseStories {
        name: String,
        added: Vec<StoryId>,
        removed: Vec<StoryId>,
    },
    SprintAdded {
        name: String,
    },
    SprintRemoved {
        name: String,
    },
    SprintChanged {
        name: String,
    },
    /// Velocity entered by hand for sprints from before the backlog kept
    /// them.
    PastSprints,
    Scale {
        from: Scale,
        to: Scale,
    },
    /// Which settings changed, by the file's names: `ready`, `priority`,
    /// `plan`.
    Settings {
        parts: Vec<&'static str>,
    },
    /// Customer feedback in the inbox: how many items came, changed and
    /// went.
    Feedback {
        added: usize,
        changed: usize,
        removed: usize,
    },
    /// A merge left a clash on a part of the product, a setting, an
    /// epic, a release, a sprint or a feedback item.
    Clash(ClashSides),
    /// A later merge clashed on the same part with other values.
    ClashChanged(ClashSides),
    ClashSettled {
        field: String,
    },
}

/// The product's changes, and the epics renamed (old name, new name).
/// The stories `before`'s product names are compared as `after` numbers
/// them, so that a story renumbered is no change to what names it.
pub(super) fn changes(
    before: &Backlog,
    after: &Backlog,
    renumbering: &Renumbering,
) -> (Vec<ProductChange>, Vec<(String, String)>) {
    let old = renumbering.product_then();
    let (old, new) = (old.as_ref(), &after.product);
    let mut changes = Vec::new();
    if old.name != new.name {
        changes.push(ProductChange::Name {
            from: old.name.clone(),
            to: new.name.clone(),
        });
    }
    if old.vision != new.vision {
        changes.push(ProductChange::Vision);
    }
    for goal in new.goals.iter().filter(|g| !old.goals.contains(g)) {
        changes.push(ProductChange::GoalAdded { goal: goal.clone() });
    }
    for goal in old.goals.iter().filter(|g| !new.goals.contains(g)) {
        changes.push(ProductChange::GoalRemoved { goal: goal.clone() });
    }
    let renamed = epic_changes(old, after, renumbering, &mut changes);
    release_changes(before, old, after, &mut changes);
    let named = |sprints: &[crate::model::Sprint], name: &str| {
        sprints.iter().find(|s| s.name == name).cloned()
    };
    for sprint in &new.sprints {
        match named(&old.sprints, &sprint.name) {
            None => changes.push(ProductChange::SprintAdded {
                name: sprint.name.clone(),
            }),
            Some(was) if was != *sprint => changes.push(ProductChange::SprintChanged {
                name: sprint.name.clone(),
            }),
            Some(_) => {}
        }
    }
    for sprint in &old.sprints {
        if named(&new.sprints, &sprint.name).is_none() {
            changes.push(ProductChange::SprintRemoved {
                name: sprint.name.clone(),
            });
        }
    }
    if old.past_sprints != new.past_sprints {
        changes.push(ProductChange::PastSprints);
    }
    let (was, now) = (&old.settings, &new.settings);
    if was.scale != now.scale {
        changes.push(ProductChange::Scale {
            from: was.scale,
            to: now.scale,
        });
    }
    let parts: Vec<&'static str> = [
        ("ready", was.ready != now.ready),
        ("priority", was.priority != now.priority),
        ("plan", was.plan != now.plan),
    ]
    .into_iter()
    .filter_map(|(name, changed)| changed.then_some(name))
    .collect();
    if !parts.is_empty() {
        changes.push(ProductChange::Settings { parts });
    }
    feedback_changes(old, new, &mut changes);
    (changes, renamed)
}

fn epic_changes(
    old: &Product,
    after: &Backlog,
    renumbering: &Renumbering,
    changes: &mut Vec<ProductChange>,
) -> Vec<(String, String)> {
    let (old, new) = (&old.epics, &after.product.epics);
    let named = |epics: &'_ [Epic], name: &str| epics.iter().position(|e| e.name == name);
    let mut gone: Vec<&Epic> = old
        .iter()
        .filter(|e| named(new, &e.name).is_none())
        .collect();
    let mut renamed = Vec::new();
    for epic in new {
        if let Some(at) = named(old, &epic.name) {
            let was = &old[at];
            let fields: Vec<&'static str> = [
                ("color", was.color != epic.color),
                ("goal", was.goal != epic.goal),
                ("target_release", was.target_release != epic.target_release),
            ]
            .into_iter()
            .filter_map(|(name, changed)| changed.then_some(name))
            .collect();
            if !fields.is_empty() {
                changes.push(ProductChange::EpicChanged {
                    name: epic.name.clone(),
                    fields,
                });
            }
            continue;
        }
        let same = |was: &&Epic| {
            (was.color, &was.goal, &was.target_release)
                == (epic.color, &epic.goal, &epic.target_release)
                || {
                    let stories = renumbering.epic_stories_then(&was.name);
                    !stories.is_empty() && stories == after.epic_stories(&epic.name)
                }
        };
        if let Some(at) = gone.iter().position(same) {
            let was = gone.remove(at);
            renamed.push((was.name.clone(), epic.name.clone()));
            changes.push(ProductChange::EpicRenamed {
                from: was.name.clone(),
                to: epic.name.clone(),
            });
        } else {
            changes.push(ProductChange::EpicAdded {
                name: epic.name.clone(),
            });
        }
    }
    for epic in gone {
        changes.push(ProductChange::EpicRemoved {
            name: epic.name.clone(),
        });
    }
    renamed
}

/// `old` is `before`'s product, its stories numbered as `after`'s.
fn release_changes(
    before: &Backlog,
    old: &Product,
    after: &Backlog,
    changes: &mut Vec<ProductChange>,
) {
    let (old, new) = (&old.releases, &after.product.releases);
    let named = |releases: &'_ [Release], name: &str| -> Option<Release> {
        releases.iter().find(|r| r.name == name).cloned()
    };
    for release in new {
        let name = release.name.clone();
        let Some(was) = named(old, &release.name) else {
            changes.push(ProductChange::ReleaseAdded {
                name,
                date: release.date,
            });
            continue;
        };
        if was.date != release.date {
            changes.push(ProductChange::ReleaseDate {
                name: name.clone(),
                from: was.date,
                to: release.date,
            });
        }
        if was.line != release.line {
            changes.push(ProductChange::ReleaseLine {
                name: name.clone(),
                from: above(before, was.line.as_ref()),
                to: above(after, release.line.as_ref()),
            });
        }
        let added: Vec<StoryId> = (release.stories.iter())
            .filter(|id| !was.stories.contains(id))
            .copied()
            .collect();
        let removed: Vec<StoryId> = (was.stories.iter())
            .filter(|id| !release.stories.contains(id))
            .copied()
            .collect();
        if !added.is_empty() || !removed.is_empty() {
            changes.push(ProductChange::ReleaseStories {
                name,
                added,
                removed,
            });
        }
    }
    for release in old {
        if named(new, &release.name).is_none() {
            changes.push(ProductChange::ReleaseRemoved {
                name: release.name.clone(),
            });
        }
    }
}

/// How many stories are ranked above a release line.
fn above(backlog: &Backlog, line: Option<&Rank>) -> Option<usize> {
    let line = line?;
    Some(backlog.ranked().take_while(|s| s.rank < *line).count())
}

fn feedback_changes(old: &Product, new: &Product, changes: &mut Vec<ProductChange>) {
    let (old, new) = (&old.feedback, &new.feedback);
    if old == new {
        return;
    }
    let find = |items: &[std::sync::Arc<crate::model::Feedback>], item: &crate::model::Feedback| {
        items
            .binary_search_by_key(&item.id, |f| f.id)
            .ok()
            .map(|at| items[at].clone())
    };
    let mut added = 0;
    let mut changed = 0;
    for item in new {
        match find(old, item) {
            None => added += 1,
            Some(was) if *was != **item => changed += 1,
            Some(_) => {}
        }
    }
    let removed = old.iter().filter(|item| find(new, item).is_none()).count();
    if added + changed + removed > 0 {
        changes.push(ProductChange::Feedback {
            added,
            changed,
            removed,
        });
    }
}
