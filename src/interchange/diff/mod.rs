//! The semantic diff: what changed between two backlogs, in a product
//! owner's words. `backlog diff` prints it, `backlog sync` takes its
//! one-line summary as the commit message, and git shows the line
//! rendering of [`textconv`] in `git log -p`.
//!
//! Stories are compared one pass by id, or by who they are when a merge
//! renumbered them (see `renumbered`); what is told of each comes in the
//! rank order of the "after" side, then the stories removed, in the rank
//! order they had. The clashes a git merge left are told with the story
//! they are on, or with the product's changes.

mod clashes;
mod moved;
mod product;
mod render;
mod renumbered;
pub mod textconv;

use std::collections::HashMap;

use serde::Serialize;

use crate::model::{Backlog, Comment, Input, Points, Scale, Status, Story, StoryId};

pub use clashes::ClashSides;
pub use product::ProductChange;
use renumbered::Renumbering;

/// What changed between two backlogs: see [`diff`].
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Diff {
    /// The stories with changes: those of the "after" side in its rank
    /// order, then the removed ones in the rank order they had.
    pub stories: Vec<StoryDiff>,
    /// Changes to the product: its name, vision, goals, epics, releases,
    /// sprints, settings and inbox, then the clashes on them.
    pub product: Vec<ProductChange>,
}

/// The changes to one story.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoryDiff {
    pub id: StoryId,
    /// Its title now; a removed story's last title.
    pub title: String,
    /// Its 1-based place in the "after" backlog; none when removed.
    pub place: Option<usize>,
    pub changes: Vec<StoryChange>,
}

/// An estimate, with how the backlog's scale writes it (`L`, `5`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Estimate {
    pub points: Points,
    pub label: String,
}

impl Estimate {
    fn on(scale: Scale, points: Option<Points>) -> Option<Estimate> {
        points.map(|points| Estimate {
            points,
            label: scale.label(points),
        })
    }
}

/// What a comment is, as the diff names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommentKind {
    Comment,
    Question,
    Decision,
}

impl CommentKind {
    fn of(comment: &Comment) -> Self {
        if comment.question {
            CommentKind::Question
        } else if comment.decision {
            CommentKind::Decision
        } else {
            CommentKind::Comment
        }
    }
}

/// One change to a story. Places are 1-based.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum StoryChange {
    Added {
        place: usize,
    },
    Removed {
        place: usize,
    },
    /// The same story (see [`diff`]) under another id: a git merge gave
    /// it the next free one, as the other side had added a story under
    /// its id too.
    Renumbered {
        from: StoryId,
    },
    /// Moved for a reason of its own (see [`diff`]), not shifted by
    /// stories added, removed or moved past it.
    Moved {
        from: usize,
        to: usize,
    },
    Status {
        from: Status,
        to: Status,
    },
    Estimate {
        from: Option<Estimate>,
        to: Option<Estimate>,
    },
    Title {
        from: String,
        to: String,
    },
    /// Which parts of the user story sentence changed: `as_a`, `i_want`,
    /// `so_that`.
    UserStory {
        parts: Vec<&'static str>,
    },
    Description,
    CriterionAdded {
        text: String,
    },
    CriterionRemoved {
        text: String,
    },
    CriterionChecked {
        text: String,
    },
    CriterionUnchecked {
        text: String,
    },
    LabelAdded {
        label: String,
    },
    LabelRemoved {
        label: String,
    },
    Epic {
        from: Option<String>,
        to: Option<String>,
    },
    CommentAdded {
        kind: CommentKind,
        author: String,
        text: String,
    },
    CommentEdited {
        kind: CommentKind,
        author: String,
        text: String,
    },
    CommentRemoved {
        kind: CommentKind,
        author: String,
        text: String,
    },
    QuestionAnswered {
        text: String,
        by: String,
        answer: Option<String>,
    },
    QuestionReopened {
        text: String,
    },
    SplitInto {
        stories: Vec<StoryId>,
    },
    BlockedBy {
        story: StoryId,
    },
    NoLongerBlockedBy {
        story: StoryId,
    },
    /// The prioritisation inputs that changed, by the CLI's names.
    Priority {
        inputs: Vec<&'static str>,
    },
    /// A merge left a clash on one of its fields.
    Clash(ClashSides),
    /// A later merge clashed on the same field with other values.
    ClashChanged(ClashSides),
    ClashSettled {
        field: String,
    },
}

impl Diff {
    /// Whether nothing a product owner would see changed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.stories.is_empty() && self.product.is_empty()
    }
}

/// What changed from `before` to `after`.
///
/// Stories are paired by id, but for a story a git merge *renumbered*:
/// a story of `before` whose id `after` has not, or gave a story created
/// at another time, and a story of `after` at an id likewise new to it,
/// created in the same instant as the first, the only such pair either
/// way (the title telling apart stories created together, as a bulk
/// import makes them). It is told under its new id, with its changes
/// against its old version; the story its old id went to reads as added,
/// and what named it (blockers, splits, releases, sprints, the inbox, its
/// clashes) followed it and is no change.
///
/// A story is *moved* when it is out of order with the rest: the stories
/// on both sides that keep their order are the largest such set,
/// preferring those whose rank key did not change (a move rewrites the
/// key of the story moved, and at most a few neighbours respread with
/// it), and every other story on both sides is moved. So a story that
/// only shifted because others were added, removed or moved past it is
/// not moved, and of two stories swapped, the one whose key changed is.
///
/// An epic removed and one added in the same change are a rename when
/// they agree in colour, goal and target release, or hold the same
/// stories; its stories' epic changing with it is the rename, not told
/// story by story.
///
/// Clashes a merge left are paired by story and field: one only `after`
/// has is added, one whose sides' values differ changed, one only
/// `before` has settled. A story's clashes come last among its changes,
/// a removed story's too (taking a deletion settles its clash); the
/// product's come after its other changes.
#[must_use]
pub fn diff(before: &Backlog, after: &Backlog) -> Diff {
    let renumbering = Renumbering::between(before, after);
    let before_places: HashMap<StoryId, usize> = before
        .ranked()
        .enumerate()
        .map(|(i, s)| (s.id, i + 1))
        .collect();
    let moved = moved::moved(before, after, &renumbering, &before_places);
    let (mut product, renamed) = product::changes(before, after, &renumbering);
    let (mut clashes, product_clashes) = clashes::changes(before, after, &renumbering);
    product.extend(product_clashes);
    let scales = (before.product.settings.scale, after.product.settings.scale);
    let mut stories = Vec::new();
    for (i, story) in after.ranked().enumerate() {
        let place = i + 1;
        let mut changes = match renumbering.was(story) {
            None => vec![StoryChange::Added { place }],
            Some(old) => {
                let mut changes = Vec::new();
                if old.id != story.id {
                    changes.push(StoryChange::Renumbered { from: old.id });
                }
                if moved.contains(&story.id) {
                    changes.push(StoryChange::Moved {
                        from: before_places[&old.id],
                        to: place,
                    });
                }
                let old = renumbering.story_then(old);
                if !old.same_but_rank(story) {
                    story_changes(&old, story, scales, &renamed, &mut changes);
                }
                changes
            }
        };
        changes.extend(clashes.on_stories.remove(&story.id).into_iter().flatten());
        if !changes.is_empty() {
            stories.push(StoryDiff {
                id: story.id,
                title: story.title.clone(),
                place: Some(place),
                changes,
            });
        }
    }
    stories.extend(
        before
            .ranked()
            .zip(1..)
            .filter(|(s, _)| renumbering.id_now(s.id).is_none())
            .map(|(s, place)| {
                let mut changes = vec![StoryChange::Removed { place }];
                changes.extend(clashes.on_removed.remove(&s.id).into_iter().flatten());
                StoryDiff {
                    id: s.id,
                    title: s.title.clone(),
                    place: None,
                    changes,
                }
            }),
    );
    Diff { stories, product }
}

/// Everything but the place that changed on a story, in the order the
/// story form shows its fields.
fn story_changes(
    old: &Story,
    new: &Story,
    (old_scale, new_scale): (Scale, Scale),
    renamed: &[(String, String)],
    changes: &mut Vec<StoryChange>,
) {
    if old.status != new.status {
        changes.push(StoryChange::Status {
            from: old.status,
            to: new.status,
        });
    }
    if old.points != new.points {
        changes.push(StoryChange::Estimate {
            from: Estimate::on(old_scale, old.points),
            to: Estimate::on(new_scale, new.points),
        });
    }
    if old.title != new.title {
        changes.push(StoryChange::Title {
            from: old.title.clone(),
            to: new.title.clone(),
        });
    }
    let parts: Vec<&'static str> = [
        ("as_a", &old.as_a, &new.as_a),
        ("i_want", &old.i_want, &new.i_want),
        ("so_that", &old.so_that, &new.so_that),
    ]
    .into_iter()
    .filter(|(_, a, b)| a != b)
    .map(|(name, _, _)| name)
    .collect();
    if !parts.is_empty() {
        changes.push(StoryChange::UserStory { parts });
    }
    if old.description != new.description {
        changes.push(StoryChange::Description);
    }
    criteria_changes(old, new, changes);
    for label in new.labels.iter().filter(|l| !old.labels.contains(l)) {
        changes.push(StoryChange::LabelAdded {
            label: label.clone(),
        });
    }
    for label in old.labels.iter().filter(|l| !new.labels.contains(l)) {
        changes.push(StoryChange::LabelRemoved {
            label: label.clone(),
        });
    }
    let by_rename = |from: &Option<String>, to: &Option<String>| match (from, to) {
        (Some(from), Some(to)) => renamed.iter().any(|(a, b)| a == from && b == to),
        _ => false,
    };
    if old.epic != new.epic && !by_rename(&old.epic, &new.epic) {
        changes.push(StoryChange::Epic {
            from: old.epic.clone(),
            to: new.epic.clone(),
        });
    }
    comment_changes(old, new, changes);
    let split: Vec<StoryId> = (new.split_into.iter())
        .filter(|id| !old.split_into.contains(id))
        .copied()
        .collect();
    if !split.is_empty() {
        changes.push(StoryChange::SplitInto { stories: split });
    }
    for &story in new
        .blocked_by
        .iter()
        .filter(|b| !old.blocked_by.contains(b))
    {
        changes.push(StoryChange::BlockedBy { story });
    }
    for &story in old
        .blocked_by
        .iter()
        .filter(|b| !new.blocked_by.contains(b))
    {
        changes.push(StoryChange::NoLongerBlockedBy { story });
    }
    let inputs: Vec<&'static str> = Input::ALL
        .into_iter()
        .filter(|input| input.get(&old.inputs) != input.get(&new.inputs))
        .map(Input::key)
        .collect();
    if !inputs.is_empty() {
        changes.push(StoryChange::Priority { inputs });
    }
}

/// Criteria are paired by their text: one whose text changed is told as
/// one removed and one added, which is what a reader needs to see.
fn criteria_changes(old: &Story, new: &Story, changes: &mut Vec<StoryChange>) {
    let was = |text: &str| old.acceptance_criteria.iter().find(|c| c.text == text);
    for criterion in &new.acceptance_criteria {
        let text = criterion.text.clone();
        match was(&criterion.text) {
            None => changes.push(StoryChange::CriterionAdded { text }),
            Some(before) if !before.done && criterion.done => {
                changes.push(StoryChange::CriterionChecked { text });
            }
            Some(before) if before.done && !criterion.done => {
                changes.push(StoryChange::CriterionUnchecked { text });
            }
            Some(_) => {}
        }
    }
    for criterion in &old.acceptance_criteria {
        if !new
            .acceptance_criteria
            .iter()
            .any(|c| c.text == criterion.text)
        {
            changes.push(StoryChange::CriterionRemoved {
                text: criterion.text.clone(),
            });
        }
    }
}

/// Comments are paired by when and by whom they were written, which no
/// edit changes.
fn comment_changes(old: &Story, new: &Story, changes: &mut Vec<StoryChange>) {
    let same = |a: &Comment, b: &Comment| a.at == b.at && a.author == b.author;
    for comment in &new.comments {
        let kind = CommentKind::of(comment);
        let Some(was) = old.comments.iter().find(|c| same(c, comment)) else {
            changes.push(StoryChange::CommentAdded {
                kind,
                author: comment.author.clone(),
                text: comment.text.clone(),
            });
            continue;
        };
        if was.text != comment.text {
            changes.push(StoryChange::CommentEdited {
                kind,
                author: comment.author.clone(),
                text: comment.text.clone(),
            });
        }
        match (&was.resolved, &comment.resolved) {
            (None, Some(stamp)) => changes.push(StoryChange::QuestionAnswered {
                text: comment.text.clone(),
                by: stamp.by.clone(),
                answer: comment.answer.clone(),
            }),
            (Some(_), None) => changes.push(StoryChange::QuestionReopened {
                text: comment.text.clone(),
            }),
            _ => {}
        }
    }
    for comment in &old.comments {
        if !new.comments.iter().any(|c| same(c, comment)) {
            changes.push(StoryChange::CommentRemoved {
                kind: CommentKind::of(comment),
                author: comment.author.clone(),
                text: comment.text.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests;
