//! The product backlog: its stories, their order, and every change to them.
//!
//! Stories are kept sorted by id (as in the file) and ordered by rank key
//! through `order`, a list of indexes into `stories`. A move therefore
//! shifts eight-byte indexes, not whole stories, and rewrites one rank key
//! (a few, in a place crowded by many moves: see [`Backlog::move_story`]).
//!
//! Each story sits behind an `Arc`, so copying a backlog (the TUI hands a
//! copy to its saving thread) copies pointers, and a change copies only
//! the story it touches.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::ops::Range;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::feedback::{FeedbackId, FeedbackState};
use super::history::Snapshot;
use super::plan::{Release, StatusChange};
use super::product::{Epic, EpicColor, Product, name_key, same_name};
use super::ready;

mod clashes;
mod comments;
mod feedback;
mod import;
mod links;
mod plan;
mod reorder;
use super::stories::Stories;
use super::story::{
    Criterion, MAX_TITLE_LENGTH, Override, Stamp, Status, Story, StoryId, StoryPatch, label_name,
};
use crate::rank::{self, Rank};
use crate::words::count as count_of;
pub use clashes::{Clash, DELETED, Settle};

/// Why a change to the backlog was refused. Nothing was changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelError {
    UnknownStory(StoryId),
    EmptyTitle,
    /// A new title longer than [`MAX_TITLE_LENGTH`] characters.
    TitleTooLong {
        length: usize,
    },
    /// A 1-based position outside `1..=len`.
    PositionOutOfRange {
        position: usize,
        len: usize,
    },
    /// A story cannot be placed before or after itself.
    RelativeToItself(StoryId),
    DuplicateId(StoryId),
    /// The id counter has reached its end: ids are never reused.
    NoIdLeft,
    /// Set to ready while failing the Definition of Ready, with no override.
    NotReady {
        id: StoryId,
        missing: Vec<String>,
    },
    UnknownEpic(String),
    /// An epic's stories cannot move to the epic itself when it is
    /// deleted: the name of the epic, as it is spelled.
    MoveToItself(String),
    /// The name of the epic there already is, as it is spelled.
    DuplicateEpic(String),
    EmptyEpicName,
    /// A 1-based comment number the story does not have.
    UnknownComment {
        id: StoryId,
        number: usize,
    },
    EmptyComment,
    /// A comment is a question or a decision, never both: the 1-based
    /// comment that is (or would be) both.
    QuestionAndDecision {
        id: StoryId,
        number: usize,
    },
    /// An answer belongs to a resolved question; this 1-based comment,
    /// read from a file, has one and is not that.
    AnswerWithoutQuestion {
        id: StoryId,
        number: usize,
    },
    EmptyAnswer,
    /// Only its author edits a comment: whose this 1-based one is.
    NotYourComment {
        id: StoryId,
        number: usize,
        author: String,
    },
    /// Only questions are resolved; this 1-based comment is not one.
    NotAQuestion {
        id: StoryId,
        number: usize,
    },
    /// The question is resolved already: resolving it again would only
    /// write over who resolved it, and when.
    AlreadyResolved {
        id: StoryId,
        number: usize,
        by: String,
        at: DateTime<Utc>,
    },
    /// The question is open already.
    AlreadyOpen {
        id: StoryId,
        number: usize,
    },
    /// A 1-based acceptance-criterion number the story does not have.
    UnknownCriterion {
        id: StoryId,
        number: usize,
    },
    /// A prioritisation input off its scale: what was said, and why.
    OffScale(String),
    /// A story cannot be blocked by itself.
    BlockedByItself(StoryId),
    /// The link would close a loop of stories each blocked by the next:
    /// the loop, from the story changed back to it.
    DependencyCycle(Vec<StoryId>),
    /// An order for the whole backlog that leaves this story out.
    LeftOut(StoryId),
    UnknownRelease(String),
    /// The name of the release there already is, as it is spelled.
    DuplicateRelease(String),
    UnknownSprint(String),
    /// The name of the sprint (or past sprint) there already is.
    DuplicateSprint(String),
    /// A release, sprint or velocity refused: why, in the product
    /// owner's words.
    Plan(String),
    UnknownFeedback(FeedbackId),
    DuplicateFeedback(FeedbackId),
    /// A feedback item refused: why, in the product owner's words.
    Feedback(String),
    /// A clash that cannot be settled so: why.
    Clash(String),
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::UnknownStory(id) => write!(f, "no story {id} in the backlog"),
            ModelError::EmptyTitle => f.write_str("a story needs a title"),
            ModelError::TitleTooLong { length } => write!(
                f,
                "a title is at most {MAX_TITLE_LENGTH} characters, and this one has {length}: \
                 put the rest in the description"
            ),
            ModelError::PositionOutOfRange { position, len: 0 } => {
                write!(
                    f,
                    "position {position} is out of range: the backlog is empty"
                )
            }
            ModelError::PositionOutOfRange { position, len } => {
                write!(f, "position {position} is out of range (1 to {len})")
            }
            ModelError::RelativeToItself(id) => {
                write!(f, "cannot place {id} before or after itself")
            }
            ModelError::DuplicateId(id) => write!(f, "story {id} appears twice"),
            // The counter stops only at the largest id there is: a story
            // given it would leave nothing for the counter to move on to.
            ModelError::NoIdLeft => write!(
                f,
                "no story id is left for a new story: the id counter has reached its end \
                 (the next id would be S-{}); ids are never reused",
                u64::MAX
            ),
            ModelError::NotReady { id, missing } => {
                write!(f, "{id} is not ready: {}", missing.join("; "))
            }
            ModelError::UnknownEpic(name) => write!(f, "no epic {name:?}"),
            ModelError::MoveToItself(name) => {
                write!(f, "cannot move {name}'s stories to {name} itself")
            }
            ModelError::DuplicateEpic(name) => write!(f, "there is already an epic {name:?}"),
            ModelError::EmptyEpicName => f.write_str("an epic needs a name"),
            ModelError::UnknownComment { id, number } => {
                write!(f, "{id} has no comment {number}")
            }
            ModelError::EmptyComment => f.write_str("a comment needs some text"),
            ModelError::QuestionAndDecision { id, number } => write!(
                f,
                "comment {number} on {id} is both a question and a decision; \
                 a comment is one or the other"
            ),
            ModelError::AnswerWithoutQuestion { id, number } => write!(
                f,
                "comment {number} on {id} has an answer but is not a resolved question"
            ),
            ModelError::EmptyAnswer => f.write_str("an answer needs some text"),
            ModelError::NotYourComment { id, number, author } => write!(
                f,
                "comment {number} on {id} is {author}'s; only its author may edit it"
            ),
            ModelError::NotAQuestion { id, number } => write!(
                f,
                "comment {number} on {id} is not a question; only questions are resolved"
            ),
            ModelError::AlreadyResolved { id, number, by, at } => write!(
                f,
                "question {number} on {id} is already resolved (by {by} on {})",
                at.format("%Y-%m-%d")
            ),
            ModelError::AlreadyOpen { id, number } => {
                write!(f, "question {number} on {id} is already open")
            }
            ModelError::UnknownCriterion { id, number } => {
                write!(f, "{id} has no acceptance criterion {number}")
            }
            ModelError::OffScale(why)
            | ModelError::Plan(why)
            | ModelError::Feedback(why)
            | ModelError::Clash(why) => f.write_str(why),
            ModelError::UnknownFeedback(id) => write!(f, "no feedback {id} in the inbox"),
            ModelError::DuplicateFeedback(id) => write!(f, "feedback {id} appears twice"),
            ModelError::BlockedByItself(id) => write!(f, "{id} cannot be blocked by itself"),
            ModelError::LeftOut(id) => write!(f, "the order leaves {id} out"),
            ModelError::UnknownRelease(name) => write!(f, "no release {name:?}"),
            ModelError::DuplicateRelease(name) => {
                write!(f, "there is already a release {name:?}")
            }
            ModelError::UnknownSprint(name) => write!(f, "no sprint {name:?}"),
            ModelError::DuplicateSprint(name) => write!(f, "there is already a sprint {name:?}"),
            ModelError::DependencyCycle(cycle) => {
                let names: Vec<String> = cycle.iter().map(ToString::to_string).collect();
                write!(
                    f,
                    "that would make a loop of stories each blocked by the next: {}",
                    names.join(" → ")
                )
            }
        }
    }
}

impl std::error::Error for ModelError {}

/// Where a story goes when it is moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
    Top,
    Bottom,
    Before(StoryId),
    After(StoryId),
    /// A 1-based position in the backlog.
    To(usize),
}

/// Where a new story goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    Top,
    Bottom,
    After(StoryId),
}

/// Where stories moved together go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    Top,
    Bottom,
    Before(StoryId),
    After(StoryId),
}

/// A move that happened: 0-based positions before and after.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moved {
    pub from: usize,
    pub to: usize,
}

/// What happens to an epic's stories when the epic is deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EpicStories {
    /// They stay in the backlog, in no epic.
    Unassign,
    /// They move to another epic.
    MoveTo(String),
    /// They are deleted with it.
    Delete,
}

#[derive(Clone, Debug)]
pub struct Backlog {
    /// Name, vision, goals, epics and settings.
    pub product: Product,
    next_id: u64,
    /// Sorted by id.
    stories: Stories,
    /// Indexes into `stories`, in rank order. Shared by copies until one
    /// changes, as the stories are.
    order: Arc<Vec<usize>>,
    /// Sums of all estimates, and of the open stories', kept up to date
    /// by every change so the status bar need not walk the whole backlog
    /// each frame.
    totals: Totals,
    /// What reading it folded together: see [`Backlog::folded`]. Nearly
    /// always nothing, so one pointer: the backlog is copied whole to the
    /// TUI's saving thread, and kept small in the messages it goes in.
    folded: Option<Arc<Vec<String>>>,
    /// What a git merge could not settle: see [`Backlog::clashes`].
    clashes: Vec<Clash>,
}

impl PartialEq for Backlog {
    fn eq(&self, other: &Self) -> bool {
        // Every field is named, so a new one cannot be forgotten here.
        // The total follows from the stories, and what was folded on
        // reading is news for the user, not part of the backlog.
        let Backlog {
            product,
            next_id,
            stories,
            order,
            totals: _,
            folded: _,
            clashes,
        } = self;
        *product == other.product
            && *next_id == other.next_id
            && *stories == other.stories
            && *order == other.order
            && *clashes == other.clashes
    }
}

fn points_of(story: &Story) -> f64 {
    story.points.map_or(0.0, super::Points::value)
}

/// Story points added up: of every story counted, and of those still
/// open (neither done nor rejected), the work left. Estimates are whole or
/// half points, which `f64` adds and takes away exactly, so a total kept
/// up to date change by change stays what adding them all up gives.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Totals {
    pub points: f64,
    pub open: f64,
}

impl Totals {
    /// What one story adds to a total.
    #[must_use]
    pub fn of(story: &Story) -> Totals {
        let points = points_of(story);
        Totals {
            points,
            open: if story.status.is_open() { points } else { 0.0 },
        }
    }
}

impl std::ops::AddAssign for Totals {
    fn add_assign(&mut self, other: Totals) {
        self.points += other.points;
        self.open += other.open;
    }
}

impl std::ops::SubAssign for Totals {
    fn sub_assign(&mut self, other: Totals) {
        self.points -= other.points;
        self.open -= other.open;
    }
}

impl std::iter::Sum for Totals {
    fn sum<I: Iterator<Item = Totals>>(totals: I) -> Totals {
        let mut sum = Totals::default();
        for total in totals {
            sum += total;
        }
        sum
    }
}

impl Default for Backlog {
    fn default() -> Self {
        Backlog::new("")
    }
}

impl Backlog {
    #[must_use]
    pub fn new(product: impl Into<String>) -> Self {
        Backlog {
            product: Product::new(product),
            next_id: 1,
            stories: Stories::default(),
            order: Arc::default(),
            totals: Totals::default(),
            folded: None,
            clashes: Vec::new(),
        }
    }

    /// Build a backlog from stored parts. Stories may come in any order;
    /// `next_id` is raised past the highest id so ids are never reused (a
    /// story holding the largest id leaves no room for another), and
    /// rank keys that collide (two people ranking a story into the same gap)
    /// are made distinct, keeping their order by id.
    ///
    /// Epics that stories name but the product lacks are added. Names
    /// that differ only by case (an older build kept them apart) are
    /// folded into one, and no text is lost: the first epic of a name
    /// keeps its colour, and its goal takes in a later one's goal and
    /// target release where they differ; every story spells its epic as
    /// the epic does. Likewise each label gets the spelling it has first,
    /// in id order, without a leading `#`, and a label that is nothing but
    /// `#` is dropped. What was folded is said in [`Backlog::folded`].
    ///
    /// # Errors
    /// When two stories share an id, or a comment contradicts itself
    /// (see [`Comment::contradiction`](crate::model::Comment::contradiction)).
    pub fn from_parts(
        mut product: Product,
        next_id: u64,
        stories: Vec<impl Into<Arc<Story>>>,
    ) -> Result<Self, ModelError> {
        let mut stories: Vec<Arc<Story>> = stories.into_iter().map(Into::into).collect();
        stories.sort_by_key(|s| s.id);
        guess_when_done(&mut stories);
        adopt_releases(&mut product);
        if let Some(pair) = stories.windows(2).find(|w| w[0].id == w[1].id) {
            return Err(ModelError::DuplicateId(pair[0].id));
        }
        if let Some(refusal) = stories.iter().find_map(|story| {
            (story.comments.iter().enumerate())
                .find_map(|(i, comment)| comment.contradiction(story.id, i + 1))
        }) {
            return Err(refusal);
        }
        settle_feedback(&mut product, &stories)?;
        let highest = stories.last().map_or(0, |s| s.id.0);
        let mut order: Vec<usize> = (0..stories.len()).collect();
        order.sort_by(|&a, &b| {
            (&stories[a].rank, stories[a].id).cmp(&(&stories[b].rank, stories[b].id))
        });
        let totals = stories.iter().map(|s| Totals::of(s)).sum();
        let (mut folded, folded_epics) = fold_epics(&mut product.epics, &stories);
        folded.extend(fold_labels(&mut stories));
        let mut backlog = Backlog {
            product,
            // A file may hold the largest id there is; reading it must
            // not overflow (adding a story after it is another matter).
            next_id: next_id.max(highest.saturating_add(1)),
            stories: Stories::new(stories),
            order: Arc::new(order),
            totals,
            folded: None,
            clashes: Vec::new(),
        };
        backlog.separate_equal_ranks();
        // Every story passes through `adopt_epic`'s rule, through an index
        // of the epics: a search of them all for each story made a file
        // of many epics take seconds to read. Stories of a folded epic are
        // told of with it; others that spelled their epic otherwise than
        // the epic does are told of here.
        let mut stories = std::mem::take(&mut backlog.stories).into_vec();
        let mut epics = EpicIndex::of(&backlog.product);
        let mut respelled: Vec<(String, String, usize)> = Vec::new();
        let mut respelled_at: HashMap<String, usize> = HashMap::new();
        for story in &mut stories {
            if let Some(named) = epics.adopt(&mut backlog.product, story)
                && let Some(spelled) = &story.epic
                && !folded_epics.contains(&named)
            {
                if let Some(&at) = respelled_at.get(&named) {
                    respelled[at].2 += 1;
                } else {
                    respelled_at.insert(named.clone(), respelled.len());
                    respelled.push((named, spelled.clone(), 1));
                }
            }
        }
        backlog.stories = Stories::new(stories);
        let told = respelled.len().min(NOTES_OF_A_KIND);
        let untold = respelled.len() - told;
        folded.extend(
            respelled
                .into_iter()
                .take(told)
                .map(|(named, spelled, count)| {
                    format!(
                        "{} named epic {named:?}, which is spelled {spelled:?}, and now {}",
                        count_of(count, "story", "stories"),
                        if count == 1 {
                            "spells it so"
                        } else {
                            "spell it so"
                        }
                    )
                }),
        );
        if untold > 0 {
            folded.push(format!(
                "and the stories of {} now spell {} as {} spelled",
                count_of(untold, "more epic", "more epics"),
                if untold == 1 {
                    "its name"
                } else {
                    "their names"
                },
                if untold == 1 { "it is" } else { "they are" },
            ));
        }
        backlog.folded = (!folded.is_empty()).then(|| Arc::new(folded));
        Ok(backlog)
    }

    /// Make `change`, and work out what it touched: the product, and each
    /// story it added, changed or removed, as they were before, ready for
    /// [`History::record`](super::History::record). The backlog's own
    /// operations note each story they touch, so no caller says (or can
    /// forget) what a change touches; the cost is that of what was
    /// touched. A change watched inside another joins it, and gives an
    /// empty snapshot of its own.
    pub fn watched<T, E>(
        &mut self,
        change: impl FnOnce(&mut Backlog) -> Result<T, E>,
    ) -> (Result<T, E>, Snapshot) {
        let fresh = self.stories.watch();
        let product = fresh.then(|| self.product.clone());
        let clashes = fresh.then(|| self.clashes.clone());
        let result = change(self);
        let stories = if fresh {
            self.stories.unwatch()
        } else {
            Vec::new()
        };
        (
            result,
            Snapshot {
                product,
                stories,
                clashes,
            },
        )
    }

    /// What reading the backlog folded together, for the user: epics and
    /// labels an older build kept apart by case, and how. Empty for a
    /// backlog made in memory, and for nearly every file. Saving the
    /// backlog makes the folding last: the file is then written folded.
    #[must_use]
    pub fn folded(&self) -> &[String] {
        self.folded.as_deref().map_or(&[], Vec::as_slice)
    }

    fn separate_equal_ranks(&mut self) {
        for pos in 1..self.order.len() {
            let prev = self.order[pos - 1];
            let this = self.order[pos];
            if self.stories[this].rank > self.stories[prev].rank {
                continue;
            }
            let next = self.order[pos + 1..]
                .iter()
                .map(|&i| &self.stories[i].rank)
                .find(|r| **r > self.stories[prev].rank);
            let key = Rank::between(Some(&self.stories[prev].rank), next)
                .unwrap_or_else(|| Rank::after(&self.stories[prev].rank));
            self.stories.make_mut(this).rank = key;
        }
    }

    /// The same backlog with some stories' ids changed, as a merge reports
    /// them (`old`, `new`), applied in order.
    #[must_use]
    pub fn renumbered(&self, changes: &[(StoryId, StoryId)]) -> Backlog {
        if changes.is_empty() {
            return self.clone();
        }
        let stories: Vec<Arc<Story>> = self
            .stories
            .iter()
            .map(|story| {
                let mut story = Arc::clone(story);
                renumber_story(&mut story, changes);
                story
            })
            .collect();
        let next_id = changes
            .iter()
            .map(|(_, new)| new.0.saturating_add(1))
            .fold(self.next_id, u64::max);
        let mut product = self.product.clone();
        renumber_plan(&mut product, changes);
        let mut backlog = Backlog::from_parts(product, next_id, stories)
            .expect("renumbering moves ids past every id in use");
        backlog.clashes = self
            .clashes
            .iter()
            .map(|clash| Clash {
                story: clash.story.map(|id| renumber(id, changes)),
                ..clash.clone()
            })
            .collect();
        backlog
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.stories.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.stories.is_empty()
    }

    /// Whether the backlog holds nothing but perhaps the product's name:
    /// no stories, no product data, no feedback, no id handed out. A
    /// backlog like it can be replaced losing nothing.
    #[must_use]
    pub fn holds_nothing_but_a_name(&self) -> bool {
        self.is_empty()
            && self.next_id <= 1
            && self.product
                == Product {
                    name: self.product.name.clone(),
                    ..Product::default()
                }
    }

    /// The id the next new story will get. A story takes this id and
    /// leaves the one after it for the next, so at `u64::MAX` no id is
    /// left: the counter cannot go past it, and it never wraps round to
    /// ids already used.
    #[must_use]
    pub fn next_id(&self) -> u64 {
        self.next_id
    }

    /// A copy that shares no list with this backlog, where a plain clone
    /// shares them until one side changes, which then copies them. A
    /// thread that keeps a copy long (the TUI's saving thread) takes this
    /// one, so that the first change after a save does not pay for the
    /// copy on the event loop: at a million stories, copying the list
    /// reaches into every story, about 20 ms. The stories themselves are
    /// still shared: each is copied when it changes.
    #[must_use]
    pub fn unshared(&self) -> Backlog {
        Backlog {
            stories: self.stories.unshared(),
            order: Arc::new(self.order.to_vec()),
            ..self.clone()
        }
    }

    /// Whether a copy of this backlog shares its lists still: a change
    /// would copy them first.
    #[must_use]
    pub fn shares_lists(&self) -> bool {
        Arc::strong_count(&self.order) > 1 || self.stories.shares_lists()
    }

    /// Stories in id order, as they are stored.
    #[must_use]
    pub fn stories_by_id(&self) -> &[Arc<Story>] {
        &self.stories
    }

    /// Stories in rank order.
    #[must_use]
    pub fn ranked(&self) -> impl ExactSizeIterator<Item = &Story> + DoubleEndedIterator + '_ {
        self.order.iter().map(|&i| &*self.stories[i])
    }

    /// The story at a 0-based rank position.
    #[must_use]
    pub fn at(&self, position: usize) -> Option<&Story> {
        self.order.get(position).map(|&i| &*self.stories[i])
    }

    /// The order, to change: copied first while a copy of the backlog
    /// shares it.
    fn order_mut(&mut self) -> &mut Vec<usize> {
        Arc::make_mut(&mut self.order)
    }

    fn index(&self, id: StoryId) -> Result<usize, ModelError> {
        self.stories
            .binary_search_by_key(&id, |s| s.id)
            .map_err(|_| ModelError::UnknownStory(id))
    }

    #[must_use]
    pub fn get(&self, id: StoryId) -> Option<&Story> {
        self.index(id).ok().map(|i| &*self.stories[i])
    }

    /// The shared copy of a story: cloning it copies a pointer.
    #[must_use]
    pub fn get_arc(&self, id: StoryId) -> Option<&Arc<Story>> {
        self.index(id).ok().map(|i| &self.stories[i])
    }

    /// The story ranked nearest to where a story with `rank` would go: the
    /// one just before that place, else the one just after. What to
    /// select once a story has gone.
    #[must_use]
    pub fn nearest(&self, rank: &Rank) -> Option<StoryId> {
        let at = self
            .order
            .partition_point(|&i| self.stories[i].rank < *rank);
        at.checked_sub(1)
            .and_then(|p| self.at(p))
            .or_else(|| self.at(at))
            .map(|s| s.id)
    }

    /// The 0-based rank position of a story.
    ///
    /// # Errors
    /// When there is no such story.
    pub fn position(&self, id: StoryId) -> Result<usize, ModelError> {
        let index = self.index(id)?;
        // The order is sorted by key (ties by id), so the story is found
        // by its key; walking the order is only a guard for an order that
        // broke that rule.
        let key = (&self.stories[index].rank, id);
        let at = self
            .order
            .partition_point(|&i| (&self.stories[i].rank, self.stories[i].id) < key);
        if self.order.get(at) == Some(&index) {
            return Ok(at);
        }
        Ok(self
            .order
            .iter()
            .position(|&i| i == index)
            .expect("every story is in the order"))
    }

    /// Sum of all estimates.
    #[must_use]
    pub fn total_points(&self) -> f64 {
        self.totals.points
    }

    /// Sums of all estimates, and of the open stories' estimates.
    #[must_use]
    pub fn totals(&self) -> Totals {
        self.totals
    }

    /// Add a story; returns its new id.
    ///
    /// # Errors
    /// When the title is empty or too long, the placement names an unknown
    /// story, or no id is left.
    pub fn add(
        &mut self,
        patch: &StoryPatch,
        placement: Placement,
        now: DateTime<Utc>,
    ) -> Result<StoryId, ModelError> {
        check_title(patch.title.as_deref().unwrap_or_default())?;
        let position = match placement {
            Placement::Top => 0,
            Placement::Bottom => self.order.len(),
            Placement::After(anchor) => self.position(anchor)? + 1,
        };
        let after = self.next_id.checked_add(1).ok_or(ModelError::NoIdLeft)?;
        let rank = self.rank_for_gap(position);
        let id = StoryId(self.next_id);
        let mut story = Story::new(id, rank, String::new(), now);
        apply_patch(&mut story, patch);
        self.settle_patched(&mut story, patch)?;
        self.check_ready(&mut story, Status::Draft, patch)?;
        if story.status != Status::Draft {
            story.status_history.push(StatusChange {
                from: Status::Draft,
                to: story.status,
                at: now,
                guessed: false,
            });
        }
        let mut story = Arc::new(story);
        let _ = self.adopt_epic(&mut story);
        self.totals += Totals::of(&story);
        self.next_id = after;
        // Ids only grow, so the new story belongs at the end of `stories`.
        self.stories.push(story);
        let index = self.stories.len() - 1;
        self.order_mut().insert(position, index);
        // Its key, from the gap it went in, keeps to the side of any
        // release line there that the story it went next to is on.
        self.rekey(position..position + 1, placement == Placement::Top);
        Ok(id)
    }

    /// Change a story's fields.
    ///
    /// # Errors
    /// When the story is unknown, or the new title is empty or too long (a
    /// title longer than the limit from before it was set may stay as it
    /// is). Nothing changes.
    pub fn edit(
        &mut self,
        id: StoryId,
        patch: &StoryPatch,
        now: DateTime<Utc>,
    ) -> Result<(), ModelError> {
        let (index, story) = self.patched(id, patch)?;
        self.replace(index, story, now);
        Ok(())
    }

    /// The story `id` as `patch` would leave it, and where it is, for
    /// [`Backlog::edit`] and [`Backlog::edit_stories`]; nothing changes.
    fn patched(&self, id: StoryId, patch: &StoryPatch) -> Result<(usize, Story), ModelError> {
        let index = self.index(id)?;
        if let Some(title) = &patch.title
            && title.trim() != self.stories[index].title
        {
            check_title(title)?;
        }
        let mut story = Story::clone(&self.stories[index]);
        apply_patch(&mut story, patch);
        self.settle_patched(&mut story, patch)?;
        self.check_ready(&mut story, self.stories[index].status, patch)?;
        Ok((index, story))
    }

    /// Change several stories, each with its own patch, as one change:
    /// the visual selection's bulk edit (an estimate, a status, an epic
    /// for every story marked). All or nothing: when one edit would be
    /// refused (an unknown story, a story set ready that is not, with no
    /// override), none is made.
    ///
    /// # Errors
    /// As [`Backlog::edit`], for the first edit refused. Nothing changes.
    pub fn edit_stories(
        &mut self,
        edits: &[(StoryId, StoryPatch)],
        now: DateTime<Utc>,
    ) -> Result<(), ModelError> {
        let edited = edits
            .iter()
            .map(|(id, patch)| self.patched(*id, patch))
            .collect::<Result<Vec<_>, ModelError>>()?;
        for (index, story) in edited {
            self.replace(index, story, now);
        }
        Ok(())
    }

    /// A story a patch changed names its labels as the backlog spells
    /// them. An epic it names that does not exist is refused, unless the
    /// patch asks for it (it is then added with the story, by
    /// [`Backlog::adopt_epic`], which also spells it as the epic does).
    fn settle_patched(&self, story: &mut Story, patch: &StoryPatch) -> Result<(), ModelError> {
        let settings = &self.product.settings.priority;
        for (input, value) in &patch.inputs {
            if let Some(value) = value
                && !input.admits(*value, settings)
            {
                return Err(ModelError::OffScale(format!(
                    "{} {value} is off its scale: it takes {}",
                    input.label(),
                    input.allowed(settings)
                )));
            }
        }
        if patch.blocked_by.is_some() || !patch.add_blocked_by.is_empty() {
            let had = self
                .get(story.id)
                .map_or(&[][..], |s| s.blocked_by.as_slice());
            self.check_blockers(story, had)?;
        }
        if patch.epic.is_some()
            && !patch.new_epic
            && let Some(name) = &story.epic
            && self.product.epic(name).is_none()
        {
            return Err(ModelError::UnknownEpic(name.clone()));
        }
        if patch.labels.is_some() || !patch.add_labels.is_empty() {
            // The spelling other stories give a label; a story alone in
            // having it may change how it is written.
            for label in &mut story.labels {
                let known = self
                    .stories
                    .iter()
                    .filter(|other| other.id != story.id)
                    .flat_map(|other| &other.labels)
                    .find(|known| same_name(known, label));
                if let Some(known) = known
                    && known != label
                {
                    label.clone_from(known);
                }
            }
        }
        Ok(())
    }

    /// Put a changed copy of the story at `index` in its place, stamping
    /// it when it really changed.
    fn replace(&mut self, index: usize, story: Story, now: DateTime<Utc>) {
        let mut story = Arc::new(story);
        // Spelled as the epic is before comparing: naming the story's epic
        // in another case changes nothing.
        let _ = self.adopt_epic(&mut story);
        if story == self.stories[index] {
            // Unchanged: keep the shared copy and its timestamp.
            return;
        }
        let was = self.stories[index].status;
        let changed = Arc::make_mut(&mut story);
        changed.updated = now;
        if changed.status != was {
            changed.status_history.push(StatusChange {
                from: was,
                to: changed.status,
                at: now,
                guessed: false,
            });
        }
        self.totals += Totals::of(&story);
        self.totals -= Totals::of(&self.stories[index]);
        self.stories.set(index, story);
    }

    /// A story becoming ready must pass the Definition of Ready, or carry
    /// an override, which is recorded on it. A story that passes needs no
    /// override, so an old one is dropped.
    fn check_ready(
        &self,
        story: &mut Story,
        was: Status,
        patch: &StoryPatch,
    ) -> Result<(), ModelError> {
        if story.status != Status::Ready || was == Status::Ready {
            return Ok(());
        }
        let missing = ready::reasons(story, &self.product.settings.ready);
        if missing.is_empty() {
            story.ready_override = None;
            return Ok(());
        }
        match &patch.override_ready {
            Some(Stamp { at, by }) => {
                story.ready_override = Some(Override {
                    at: *at,
                    by: by.clone(),
                    missing,
                });
                Ok(())
            }
            None => Err(ModelError::NotReady {
                id: story.id,
                missing,
            }),
        }
    }

    /// The one way a story comes into the backlog, whatever brings it (a
    /// new story, a change, undo and redo, a file read, a merge): the epic
    /// it names is spelled as that epic is, whatever case the story had
    /// it in, and an epic the product lacks is created. Returns the name
    /// the story had when it was spelled otherwise.
    fn adopt_epic(&mut self, story: &mut Arc<Story>) -> Option<String> {
        let name = story.epic.as_deref()?;
        match self.product.epic(name) {
            Some(epic) if epic.name == name => None,
            Some(epic) => {
                let spelled = Some(epic.name.clone());
                std::mem::replace(&mut Arc::make_mut(story).epic, spelled)
            }
            None => {
                let epic = Epic {
                    name: name.to_string(),
                    color: self.product.next_color(),
                    goal: String::new(),
                    target_release: None,
                };
                self.product.epics.push(epic);
                None
            }
        }
    }

    /// Put a story back as given (id, rank and all), replacing the story
    /// with its id if there is one. Undo and redo use this. The epic it
    /// names is spelled as the epic is now (renamed in another case since,
    /// say), or added when the product lacks it, as for any other change;
    /// a rank key another story has taken since is made distinct.
    pub fn put(&mut self, story: Arc<Story>) {
        self.put_all([story]);
    }

    /// [`Backlog::put`] several stories, as one step: keys are made
    /// distinct only once all of them are back. A step that re-keyed
    /// stories among themselves (a respread, a bulk move) may have given
    /// one story's old key to another; put back one at a time, the first
    /// would find its key still taken and be moved off it.
    pub fn put_all(&mut self, stories: impl IntoIterator<Item = Arc<Story>>) {
        let ids: Vec<StoryId> = stories
            .into_iter()
            .map(|story| {
                let id = story.id;
                self.put_in_order(story);
                id
            })
            .collect();
        for id in ids {
            if let Ok(index) = self.index(id) {
                self.keep_rank_distinct(index);
            }
        }
    }

    /// [`Backlog::put`] but for keeping keys distinct.
    fn put_in_order(&mut self, mut story: Arc<Story>) {
        let _ = self.adopt_epic(&mut story);
        if let Ok(index) = self.index(story.id) {
            let same_rank = self.stories[index].rank == story.rank;
            self.totals += Totals::of(&story);
            self.totals -= Totals::of(&self.stories[index]);
            if same_rank {
                self.stories.set(index, story);
                return;
            }
            let at = self
                .position(story.id)
                .expect("every story is in the order");
            self.order_mut().remove(at);
            self.stories.set(index, story);
            self.insert_in_order(index);
        } else {
            let index = self
                .stories
                .binary_search_by_key(&story.id, |s| s.id)
                .expect_err("the id is not in the backlog");
            for i in self.order_mut() {
                if *i >= index {
                    *i += 1;
                }
            }
            self.totals += Totals::of(&story);
            self.next_id = self.next_id.max(story.id.0.saturating_add(1));
            self.stories.insert(index, story);
            self.insert_in_order(index);
        }
    }

    /// Keys are kept distinct (see `separate_equal_ranks`). A story put
    /// back with a key another story has taken since (moved into the same
    /// gap, which gives the same key) goes just after that story.
    fn keep_rank_distinct(&mut self, index: usize) {
        let rank = &self.stories[index].rank;
        let first = self
            .order
            .partition_point(|&i| self.stories[i].rank < *rank);
        let end = self
            .order
            .partition_point(|&i| self.stories[i].rank <= *rank);
        if end - first < 2 {
            return;
        }
        let next = self.order.get(end).map(|&i| &self.stories[i].rank);
        let key = Rank::between(Some(rank), next).unwrap_or_else(|| Rank::after(rank));
        let at = first
            + self.order[first..end]
                .iter()
                .position(|&i| i == index)
                .expect("the story is among those with its key");
        self.order_mut().remove(at);
        self.stories.make_mut(index).rank = key;
        self.insert_in_order(index);
    }

    /// Place `stories[index]` (absent from `order`) by its rank key.
    fn insert_in_order(&mut self, index: usize) {
        let key = (&self.stories[index].rank, self.stories[index].id);
        let at = self
            .order
            .partition_point(|&i| (&self.stories[i].rank, self.stories[i].id) < key);
        self.order_mut().insert(at, index);
    }

    /// Split a story: a new story titled `title`, ranked right after it,
    /// in the same epic with the same labels, takes the acceptance
    /// criteria at the 0-based `moving` indexes. Both record the split.
    /// Returns the new story's id.
    ///
    /// # Errors
    /// When the story is unknown, the title is empty or too long, an index
    /// names no criterion, or no id is left. Nothing changes.
    pub fn split(
        &mut self,
        id: StoryId,
        title: &str,
        moving: &[usize],
        now: DateTime<Utc>,
    ) -> Result<StoryId, ModelError> {
        let index = self.index(id)?;
        let title = check_title(title)?;
        let original = &self.stories[index];
        if let Some(&bad) = moving
            .iter()
            .find(|&&i| i >= original.acceptance_criteria.len())
        {
            return Err(ModelError::UnknownCriterion {
                id,
                number: bad + 1,
            });
        }
        let mut kept = Story::clone(original);
        let mut taken = Vec::new();
        kept.acceptance_criteria = Vec::new();
        for (i, criterion) in original.acceptance_criteria.iter().enumerate() {
            if moving.contains(&i) {
                taken.push(criterion.clone());
            } else {
                kept.acceptance_criteria.push(criterion.clone());
            }
        }
        let patch = StoryPatch {
            title: Some(title.to_string()),
            as_a: Some(original.as_a.clone()),
            labels: Some(original.labels.clone()),
            epic: Some(original.epic.clone()),
            // The original's epic: it exists, as every epic a story names.
            new_epic: true,
            criteria: Some(taken),
            // Half the work is blocked as the whole was (by the stories
            // there are: a merged file may name one deleted since).
            blocked_by: Some(
                original
                    .blocked_by
                    .iter()
                    .copied()
                    .filter(|&blocker| self.index(blocker).is_ok())
                    .collect(),
            ),
            ..StoryPatch::default()
        };
        let new_id = self.add(&patch, Placement::After(id), now)?;
        let new_index = self.index(new_id)?;
        self.stories.make_mut(new_index).split_from = Some(id);
        // What waited for the whole waits for each half.
        self.also_blocked_by(id, new_id);
        kept.split_into.push(new_id);
        self.replace(index, kept, now);
        Ok(new_id)
    }

    /// Add an epic.
    ///
    /// # Errors
    /// When the name is empty or taken.
    pub fn add_epic(&mut self, mut epic: Epic) -> Result<(), ModelError> {
        epic.name = epic.name.trim().to_string();
        if epic.name.is_empty() {
            return Err(ModelError::EmptyEpicName);
        }
        if let Some(there) = self.product.epic(&epic.name) {
            return Err(ModelError::DuplicateEpic(there.name.clone()));
        }
        self.product.epics.push(epic);
        adopt_releases(&mut self.product);
        Ok(())
    }

    /// Change an epic (named in any case); a new name is carried to its
    /// stories. A new name may differ from the old one by case alone.
    ///
    /// # Errors
    /// When the epic is unknown, or the new name empty or another epic's.
    pub fn update_epic(
        &mut self,
        name: &str,
        mut epic: Epic,
        now: DateTime<Utc>,
    ) -> Result<(), ModelError> {
        let at = self.epic_index(name)?;
        epic.name = epic.name.trim().to_string();
        if epic.name.is_empty() {
            return Err(ModelError::EmptyEpicName);
        }
        if let Some(other) = self
            .product
            .epics
            .iter()
            .enumerate()
            .find(|(i, e)| *i != at && same_name(&e.name, &epic.name))
        {
            return Err(ModelError::DuplicateEpic(other.1.name.clone()));
        }
        let old_name = std::mem::take(&mut self.product.epics[at].name);
        let new_name = epic.name.clone();
        // The epic takes its new name before its stories do: a story naming
        // an epic the product lacks would otherwise add a second one.
        self.product.epics[at] = epic;
        adopt_releases(&mut self.product);
        if new_name != old_name {
            for index in self.stories_in_epic(&old_name) {
                let mut story = Story::clone(&self.stories[index]);
                story.epic = Some(new_name.clone());
                self.replace(index, story, now);
            }
        }
        Ok(())
    }

    /// Delete an epic, doing `stories` with its stories. Returns the
    /// stories deleted with it, if any.
    ///
    /// # Errors
    /// When the epic, or the one its stories move to, is unknown, or the
    /// stories would move to the epic itself.
    pub fn remove_epic(
        &mut self,
        name: &str,
        stories: &EpicStories,
        now: DateTime<Utc>,
    ) -> Result<Vec<Arc<Story>>, ModelError> {
        let at = self.epic_index(name)?;
        let stories = match stories {
            EpicStories::MoveTo(other) => {
                let to = self.epic_index(other)?;
                if to == at {
                    return Err(ModelError::MoveToItself(
                        self.product.epics[at].name.clone(),
                    ));
                }
                EpicStories::MoveTo(self.product.epics[to].name.clone())
            }
            other => other.clone(),
        };
        let stories = &stories;
        let members = self.stories_in_epic(name);
        let mut deleted = Vec::new();
        match stories {
            EpicStories::Delete => {
                let ids: Vec<StoryId> = members.iter().map(|&i| self.stories[i].id).collect();
                for id in ids {
                    deleted.push(self.remove(id)?);
                }
            }
            EpicStories::Unassign | EpicStories::MoveTo(_) => {
                let to = match stories {
                    EpicStories::MoveTo(other) => Some(other.clone()),
                    _ => None,
                };
                for index in members {
                    let mut story = Story::clone(&self.stories[index]);
                    story.epic.clone_from(&to);
                    self.replace(index, story, now);
                }
            }
        }
        self.product.epics.remove(at);
        Ok(deleted)
    }

    /// Where the epic `name` (in any case) is in the product's list.
    fn epic_index(&self, name: &str) -> Result<usize, ModelError> {
        self.product
            .epics
            .iter()
            .position(|e| same_name(&e.name, name))
            .ok_or_else(|| ModelError::UnknownEpic(name.to_string()))
    }

    /// Indexes into `stories` of the stories in an epic.
    fn stories_in_epic(&self, name: &str) -> Vec<usize> {
        (0..self.stories.len())
            .filter(|&i| in_epic(&self.stories[i], name))
            .collect()
    }

    /// The ids of an epic's stories, in id order.
    #[must_use]
    pub fn epic_stories(&self, name: &str) -> Vec<StoryId> {
        self.stories_in_epic(name)
            .into_iter()
            .map(|i| self.stories[i].id)
            .collect()
    }

    /// How many stories an epic has, and how many points.
    #[must_use]
    pub fn epic_size(&self, name: &str) -> (usize, f64) {
        self.stories
            .iter()
            .filter(|s| in_epic(s, name))
            .fold((0, 0.0), |(n, p), s| (n + 1, p + points_of(s)))
    }

    /// Remove a story for good; its id is not reused.
    ///
    /// # Errors
    /// When the story is unknown.
    pub fn remove(&mut self, id: StoryId) -> Result<Arc<Story>, ModelError> {
        let index = self.index(id)?;
        self.order_mut().retain(|&i| i != index);
        for i in self.order_mut() {
            if *i > index {
                *i -= 1;
            }
        }
        let story = self.stories.remove(index);
        self.totals -= Totals::of(&story);
        self.unlink(&[id]);
        self.unassign(&[id]);
        self.unlink_feedback(&[id]);
        self.drop_clashes_of(&[id]);
        Ok(story)
    }

    /// Remove several stories for good, as one change; their ids are not
    /// reused. Returns them, in id order. The backlog is walked once,
    /// however many go.
    ///
    /// # Errors
    /// When a story is unknown. Nothing changes.
    pub fn remove_stories(&mut self, ids: &[StoryId]) -> Result<Vec<Arc<Story>>, ModelError> {
        let mut indexes = ids
            .iter()
            .map(|&id| self.index(id))
            .collect::<Result<Vec<usize>, ModelError>>()?;
        indexes.sort_unstable();
        indexes.dedup();
        self.order_mut()
            .retain(|i| indexes.binary_search(i).is_err());
        for i in self.order_mut() {
            *i -= indexes.partition_point(|&gone| gone < *i);
        }
        let removed = self.stories.remove_all(&indexes);
        for story in &removed {
            self.totals -= Totals::of(story);
        }
        let gone: Vec<StoryId> = removed.iter().map(|s| s.id).collect();
        self.unlink(&gone);
        self.unassign(&gone);
        self.unlink_feedback(&gone);
        self.drop_clashes_of(&gone);
        Ok(removed)
    }

    /// Move a story. Its rank key changes, and nothing else, unless the
    /// key would grow past [`rank::LONGEST`] bytes (moves into the same
    /// place again and again): then the few neighbours crowded around the
    /// place get fresh, short keys with it, in the same order (see
    /// [`rank::respread`]). [`Backlog::rekeyed_by_move`] says beforehand
    /// which stories that is, for undo.
    ///
    /// # Errors
    /// When a story is unknown, the position is out of range, or a story is
    /// placed relative to itself. Nothing changes.
    pub fn move_story(&mut self, id: StoryId, to: Move) -> Result<Moved, ModelError> {
        let from = self.position(id)?;
        self.move_from(from, id, to)
    }

    /// As [`Backlog::move_story`], for a caller that already knows the
    /// story's position (the TUI's selection), so no search is needed.
    ///
    /// # Errors
    /// As [`Backlog::move_story`], and when `position` holds no story.
    pub fn move_at(&mut self, position: usize, to: Move) -> Result<Moved, ModelError> {
        let id = self
            .at(position)
            .map(|s| s.id)
            .ok_or(ModelError::PositionOutOfRange {
                position: position + 1,
                len: self.len(),
            })?;
        self.move_from(position, id, to)
    }

    /// The stories whose rank keys [`Backlog::move_at`] with the same
    /// arguments would change: the story moved and the neighbours, if any,
    /// respread with it. What undo must keep a copy of before the move.
    /// Just the story when the move would be refused or change nothing.
    #[must_use]
    pub fn rekeyed_by_move(&self, position: usize, to: Move) -> Vec<StoryId> {
        let Some(story) = self.at(position) else {
            return Vec::new();
        };
        let target = match self.target(position, story.id, to) {
            Ok(target) if target != position => target,
            _ => return vec![story.id],
        };
        let at = |i: usize| self.order[moved_order(i, position, target)];
        let (window, _) = self.keys_for(target..target + 1, at);
        window.map(|i| self.stories[at(i)].id).collect()
    }

    fn move_from(&mut self, from: usize, id: StoryId, to: Move) -> Result<Moved, ModelError> {
        let target = self.target(from, id, to)?;
        if target == from {
            return Ok(Moved { from, to: from });
        }
        // Only the stories between the two places shift: a move to the next
        // place costs the same in a backlog of any size.
        if target > from {
            self.order_mut()[from..=target].rotate_left(1);
        } else {
            self.order_mut()[target..=from].rotate_right(1);
        }
        // Placed before a story, it stays on that story's side of a
        // line; placed after one, on that one's.
        let upward = match to {
            Move::Up | Move::Top | Move::Before(_) => true,
            Move::Down | Move::Bottom | Move::After(_) => false,
            Move::To(_) => target < from,
        };
        self.rekey(target..target + 1, upward);
        Ok(Moved { from, to: target })
    }

    /// The 0-based position the story at `from` has once moved `to`.
    fn target(&self, from: usize, id: StoryId, to: Move) -> Result<usize, ModelError> {
        let last = self
            .order
            .len()
            .checked_sub(1)
            .ok_or(ModelError::UnknownStory(id))?;
        let relative = |anchor: StoryId| {
            if anchor == id {
                Err(ModelError::RelativeToItself(id))
            } else {
                self.position(anchor)
            }
        };
        Ok(match to {
            Move::Up => from.saturating_sub(1),
            Move::Down => (from + 1).min(last),
            Move::Top => 0,
            Move::Bottom => last,
            Move::Before(anchor) => {
                let p = relative(anchor)?;
                if p > from { p - 1 } else { p }
            }
            Move::After(anchor) => {
                let p = relative(anchor)?;
                if p > from { p } else { p + 1 }
            }
            Move::To(n) => {
                if n == 0 || n > self.order.len() {
                    return Err(ModelError::PositionOutOfRange {
                        position: n,
                        len: self.order.len(),
                    });
                }
                n - 1
            }
        })
    }

    /// Move a set of stories, given by id in any order and each counted
    /// once, together `to` a place, keeping their order among themselves:
    /// the visual selection's move. One change, so one undo step; the
    /// stories get keys spread evenly between their new neighbours
    /// ([`Rank::spread_between`]), as short as the room there allows, and
    /// other stories' keys change only when that room is too tight (see
    /// [`Backlog::move_story`]). [`Backlog::rekeyed_by_moving`] says
    /// beforehand which stories change.
    ///
    /// Returns the 0-based positions the stories now hold.
    ///
    /// # Errors
    /// When a story or the anchor is unknown, or the anchor is one of the
    /// stories moved. Nothing changes.
    pub fn move_stories(
        &mut self,
        ids: &[StoryId],
        to: Destination,
    ) -> Result<Range<usize>, ModelError> {
        let (order, block) = self.order_after_moving(ids, to)?;
        if order != *self.order {
            self.order = Arc::new(order);
            let upward = matches!(to, Destination::Top | Destination::Before(_));
            self.rekey(block.clone(), upward);
        }
        Ok(block)
    }

    /// As [`Backlog::rekeyed_by_move`], for [`Backlog::move_stories`]: the
    /// stories whose keys it would change. The stories given, when the
    /// move would be refused; none when it would change nothing.
    #[must_use]
    pub fn rekeyed_by_moving(&self, ids: &[StoryId], to: Destination) -> Vec<StoryId> {
        let Ok((order, block)) = self.order_after_moving(ids, to) else {
            return ids.to_vec();
        };
        if order == *self.order {
            return Vec::new();
        }
        let (window, _) = self.keys_for(block, |i| order[i]);
        window.map(|i| self.stories[order[i]].id).collect()
    }

    /// The order once `ids` have moved `to` their place, and the positions
    /// they hold in it.
    fn order_after_moving(
        &self,
        ids: &[StoryId],
        to: Destination,
    ) -> Result<(Vec<usize>, Range<usize>), ModelError> {
        let mut moving = vec![false; self.stories.len()];
        for &id in ids {
            moving[self.index(id)?] = true;
        }
        let anchor = match to {
            Destination::Before(anchor) | Destination::After(anchor) => {
                let index = self.index(anchor)?;
                if moving[index] {
                    return Err(ModelError::RelativeToItself(anchor));
                }
                Some(index)
            }
            Destination::Top | Destination::Bottom => None,
        };
        let mut rest = Vec::with_capacity(self.order.len());
        let mut block = Vec::new();
        let mut anchor_at = 0;
        for &i in self.order.iter() {
            if moving[i] {
                block.push(i);
            } else {
                if Some(i) == anchor {
                    anchor_at = rest.len();
                }
                rest.push(i);
            }
        }
        let target = match to {
            Destination::Top => 0,
            Destination::Bottom => rest.len(),
            Destination::Before(_) => anchor_at,
            Destination::After(_) => anchor_at + 1,
        };
        let moved = target..target + block.len();
        rest.splice(target..target, block);
        Ok((rest, moved))
    }

    /// Give the stories at `block` of the order, which has just changed
    /// there, keys that put them in their places (and the neighbours that
    /// must change with them, fresh keys).
    ///
    /// Release lines take part as members of the order, each where it is
    /// among the stories not moved: respread with their neighbours when
    /// the place is crowded, never crossed by a story that did not move.
    /// The stories moved keep to the side of a line that the story they
    /// were placed next to is on: the one under them when `upward`, else
    /// the one over them (see `plan.rs`).
    fn rekey(&mut self, block: Range<usize>, upward: bool) {
        let lines = self.lines_around(&block, upward);
        if lines.is_empty() {
            let (window, keys) = self.keys_for(block, |i| self.order[i]);
            for (i, key) in window.zip(keys) {
                let index = self.order[i];
                if self.stories[index].rank != key {
                    self.stories.make_mut(index).rank = key;
                }
            }
            return;
        }
        // The order with the lines in it: a line at `at` comes just before
        // the story at `at` of the order.
        let places: Vec<usize> = lines
            .iter()
            .enumerate()
            .map(|(j, (at, _))| at + j)
            .collect();
        let line_at = |c: usize| places.binary_search(&c).ok();
        let story_at = |c: usize| c - places.partition_point(|&p| p < c);
        let len = self.order.len() + lines.len();
        let before = lines.partition_point(|(at, _)| *at <= block.start);
        let members = block.start + before..block.end + before;
        let (window, keys) = rank::respread(len, members, |c| match line_at(c) {
            Some(j) => &lines[j].1,
            None => &self.stories[self.order[story_at(c)]].rank,
        });
        let mut moved_lines = Vec::new();
        for (c, key) in window.zip(keys) {
            if let Some(j) = line_at(c) {
                moved_lines.push((lines[j].1.clone(), key));
            } else {
                let index = self.order[story_at(c)];
                if self.stories[index].rank != key {
                    self.stories.make_mut(index).rank = key;
                }
            }
        }
        for (old, new) in moved_lines {
            for release in &mut self.product.releases {
                if release.line.as_ref() == Some(&old) {
                    release.line = Some(new.clone());
                }
            }
        }
    }

    /// [`rank::respread`] over an order given as position → index into
    /// `stories`.
    fn keys_for(
        &self,
        block: Range<usize>,
        at: impl Fn(usize) -> usize,
    ) -> (Range<usize>, Vec<Rank>) {
        rank::respread(self.order.len(), block, |i| &self.stories[at(i)].rank)
    }

    /// A key for a story inserted at `position` of the current order, that
    /// is, between the stories now at `position - 1` and `position`.
    fn rank_for_gap(&self, position: usize) -> Rank {
        let prev = position
            .checked_sub(1)
            .and_then(|p| self.at(p))
            .map(|s| &s.rank);
        let next = self.at(position).map(|s| &s.rank);
        // Keys are kept distinct (see `separate_equal_ranks`), so a gap
        // always has room; the fallback only keeps a broken invariant from
        // becoming a panic.
        Rank::between(prev, next)
            .or_else(|| prev.map(Rank::after))
            .unwrap_or_else(Rank::first)
    }
}

/// Where the story at position `i` of an order, once the story at `from`
/// has moved to `to`, was before the move.
fn moved_order(i: usize, from: usize, to: usize) -> usize {
    if i == to {
        from
    } else if from < to && (from..to).contains(&i) {
        i + 1
    } else if to < from && (to + 1..=from).contains(&i) {
        i - 1
    } else {
        i
    }
}

/// Whether a story is in the epic `name`, spelled in any case.
fn in_epic(story: &Story, name: &str) -> bool {
    story.epic.as_deref().is_some_and(|e| same_name(e, name))
}

/// How many notes of one kind reading a file tells in full (epics folded,
/// epics respelled, labels folded); the rest are summed up in one more.
/// A file of thousands to fold is told of in a few lines, not thousands.
const NOTES_OF_A_KIND: usize = 5;

/// The product's epics by name while a file is read, so that each story
/// finds its epic in one look (see [`Backlog::adopt_epic`], whose rule
/// this follows): by its exact name first, as nearly every story names
/// it, else by its [`name_key`].
struct EpicIndex {
    /// Looked up for every story: FNV, as for labels (see
    /// [`fold_labels`]).
    exact: fnv::FnvHashMap<String, usize>,
    by_key: HashMap<String, usize>,
    /// How many epics have each colour, in [`EpicColor::ALL`]'s order.
    uses: [usize; EpicColor::ALL.len()],
}

impl EpicIndex {
    /// The index of `product`'s epics, whose names are one per key (the
    /// file's epics are folded first).
    fn of(product: &Product) -> Self {
        let mut index = EpicIndex {
            exact: fnv::FnvHashMap::default(),
            by_key: HashMap::with_capacity(product.epics.len()),
            uses: [0; EpicColor::ALL.len()],
        };
        for (at, epic) in product.epics.iter().enumerate() {
            index.add(at, epic);
        }
        index
    }

    fn add(&mut self, at: usize, epic: &Epic) {
        self.exact.insert(epic.name.clone(), at);
        self.by_key.entry(name_key(&epic.name)).or_insert(at);
        self.uses[epic.color as usize] += 1;
    }

    /// As [`Backlog::adopt_epic`]: the story spells its epic as the epic
    /// does, or the epic is added to `product`; returns the story's
    /// spelling when it changed.
    fn adopt(&mut self, product: &mut Product, story: &mut Arc<Story>) -> Option<String> {
        let name = story.epic.as_deref()?;
        if self.exact.contains_key(name) {
            return None;
        }
        if let Some(&at) = self.by_key.get(&name_key(name)) {
            let spelled = Some(product.epics[at].name.clone());
            return std::mem::replace(&mut Arc::make_mut(story).epic, spelled);
        }
        let epic = Epic {
            name: name.to_string(),
            color: EpicColor::least_used(self.uses),
            goal: String::new(),
            target_release: None,
        };
        self.add(product.epics.len(), &epic);
        product.epics.push(epic);
        None
    }
}

/// Epics whose names differ only by case (an older build kept them
/// apart) become one: the first, which keeps its name and colour. Nothing
/// written is lost: a goal or target release only a later one had is
/// taken, and where both had one and they differ, the later one's is
/// added to the goal, marked with the later epic's name. Returns what was
/// folded, as notes for the user, and the names of the epics folded away
/// (whose stories the notes count). Each epic is looked up once, by its
/// key, so a file of thousands costs no more than one pass.
fn fold_epics(epics: &mut Vec<Epic>, stories: &[Arc<Story>]) -> (Vec<String>, HashSet<String>) {
    let mut notes = Vec::new();
    let mut gone = HashSet::new();
    let mut first_of: HashMap<String, usize> = HashMap::with_capacity(epics.len());
    // Counted only when an epic is folded, which hardly a file needs.
    let mut stories_in: Option<HashMap<&str, usize>> = None;
    let mut kept_epics: Vec<Epic> = Vec::with_capacity(epics.len());
    for later in std::mem::take(epics) {
        let first = match first_of.entry(name_key(&later.name)) {
            Entry::Vacant(entry) => {
                entry.insert(kept_epics.len());
                kept_epics.push(later);
                continue;
            }
            Entry::Occupied(entry) => *entry.get(),
        };
        let stories_in = stories_in.get_or_insert_with(|| {
            let mut count = HashMap::new();
            for name in stories.iter().filter_map(|s| s.epic.as_deref()) {
                *count.entry(name).or_default() += 1;
            }
            count
        });
        let moved = stories_in.get(later.name.as_str()).copied().unwrap_or(0);
        let note = fold_epic(&mut kept_epics[first], &later, moved);
        if notes.len() < NOTES_OF_A_KIND {
            notes.push(note);
        }
        gone.insert(later.name);
    }
    *epics = kept_epics;
    let untold = gone.len() - notes.len();
    if untold > 0 {
        notes.push(format!(
            "and {} folded likewise into an epic whose name differs only by case",
            count_of(untold, "more epic", "more epics")
        ));
    }
    (notes, gone)
}

/// Fold the epic `later` into `kept`, whose name differs only by case;
/// `moved` of the stories name `later`. Returns the note that says how.
fn fold_epic(kept: &mut Epic, later: &Epic, moved: usize) -> String {
    let mut also = Vec::new();
    let mut told = Vec::new();
    if moved > 0 {
        told.push(if moved == 1 {
            format!("its story joins {:?}", kept.name)
        } else {
            format!("its {moved} stories join {:?}", kept.name)
        });
    }
    if !later.goal.is_empty() && later.goal != kept.goal {
        if kept.goal.is_empty() {
            kept.goal.clone_from(&later.goal);
            told.push("its goal is the goal now".to_string());
        } else {
            also.push(later.goal.clone());
            told.push("its goal is added to the goal".to_string());
        }
    }
    match (&kept.target_release, &later.target_release) {
        (None, Some(release)) => {
            told.push(format!("its target release, {release}, is the target now"));
            kept.target_release = Some(release.clone());
        }
        (Some(was), Some(release)) if was != release => {
            also.push(format!("also targeted release {release}"));
            told.push(format!(
                "its target release, {release}, is noted in the goal (the target stays {was})"
            ));
        }
        _ => {}
    }
    if !also.is_empty() {
        let added = format!("[as {:?}: {}]", later.name, also.join("; "));
        kept.goal = if kept.goal.is_empty() {
            added
        } else {
            format!("{} {added}", kept.goal)
        };
    }
    if later.color != kept.color {
        told.push(format!(
            "its colour, {}, gives way to {}",
            later.color, kept.color
        ));
    }
    let mut note = format!(
        "epics {:?} and {:?} differ only by case, so they are one epic now, {:?}",
        kept.name, later.name, kept.name
    );
    if !told.is_empty() {
        let _ = write!(note, " ({:?}: {})", later.name, told.join("; "));
    }
    note
}

/// Whether a story has a label twice, spelled exactly alike.
fn has_doubles(labels: &[String]) -> bool {
    // A story has a few labels: comparing each with those before it is
    // cheaper than hashing them, until a story has many.
    const FEW: usize = 16;
    if labels.len() <= FEW {
        return (1..labels.len()).any(|i| labels[..i].contains(&labels[i]));
    }
    let mut seen = fnv::FnvHashSet::default();
    !labels.iter().all(|label| seen.insert(label))
}

/// Every label spelled as it is first, in id order, without a leading
/// `#`, and once per story; a label with no name (`#` alone) is dropped.
/// Labels are told apart by [`name_key`], as everywhere. Only the few
/// distinct spellings get a key, and only a story whose labels change is
/// copied; every look-up is a hash, so the folding is one pass over the
/// labels however many there are. Returns what changed, as notes for the
/// user: a few in full, and how many more.
fn fold_labels(stories: &mut [Arc<Story>]) -> Vec<String> {
    // Labels in lowercase ASCII, none with a `#`, none twice on a story,
    // have one spelling each already: most files are so, and this look
    // costs a scan of their bytes where folding hashes every label.
    let plain = |label: &String| {
        !label.is_empty()
            && !label.starts_with('#')
            && label
                .bytes()
                .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    };
    if stories
        .iter()
        .all(|story| story.labels.iter().all(plain) && !has_doubles(&story.labels))
    {
        return Vec::new();
    }
    // Each spelling met, in the order first met, with the spelling its
    // label has first, when that is another. Every label of every story
    // is looked up: FNV hashes a short label several times faster than
    // the default, which resists attacks a backlog's own labels are no
    // source of.
    let mut respelled: Vec<(String, String)> = Vec::new();
    {
        let mut known: fnv::FnvHashSet<&str> = fnv::FnvHashSet::default();
        let mut first: HashMap<String, &str> = HashMap::new();
        for label in stories.iter().flat_map(|s| &s.labels) {
            if known.insert(label) {
                let spelling = *first
                    .entry(name_key(label_name(label)))
                    .or_insert_with(|| label_name(label));
                if spelling != label {
                    respelled.push((label.clone(), spelling.to_string()));
                }
            }
        }
    }
    let spelling_of: HashMap<&str, &str> = respelled
        .iter()
        .map(|(was, now)| (was.as_str(), now.as_str()))
        .collect();
    // The stories each spelling was on: the first few, and how many.
    let mut changed: HashMap<&str, (Vec<StoryId>, usize)> = HashMap::new();
    for story in stories.iter_mut() {
        let labels = &story.labels;
        if !labels.iter().any(|l| spelling_of.contains_key(l.as_str())) && !has_doubles(labels) {
            continue;
        }
        let mut on_story: fnv::FnvHashSet<&str> = fnv::FnvHashSet::default();
        let mut folded: Vec<String> = Vec::with_capacity(labels.len());
        for label in labels {
            let now = match spelling_of.get_key_value(label.as_str()) {
                Some((was, now)) => {
                    let (ids, count) = changed.entry(was).or_default();
                    if ids.len() < 3 {
                        ids.push(story.id);
                    }
                    *count += 1;
                    now
                }
                None => label.as_str(),
            };
            if !now.is_empty() && on_story.insert(now) {
                folded.push(now.to_string());
            }
        }
        Arc::make_mut(story).labels = folded;
    }
    label_notes(&respelled, &changed)
}

/// What folding the labels did, for the user: for each label, the
/// spellings it had (`respelled`, each with the one it has now, in the
/// order first met) and the stories they were on (`changed`: the first
/// few and how many). A few labels are told of in full, the rest counted.
fn label_notes(
    respelled: &[(String, String)],
    changed: &HashMap<&str, (Vec<StoryId>, usize)>,
) -> Vec<String> {
    let on = |was: &str| {
        let (ids, count) = changed.get(was)?;
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        Some(match count - ids.len() {
            0 => format!("on {}", ids.join(", ")),
            more => format!("on {} and {more} more", ids.join(", ")),
        })
    };
    // Each label's spellings, the labels in the order first met, so the
    // notes read the same each time.
    let mut spellings_of: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for (was, now) in respelled {
        let i = *at.entry(now).or_insert_with(|| {
            spellings_of.push((now, Vec::new()));
            spellings_of.len() - 1
        });
        spellings_of[i].1.push(was);
    }
    let mut notes = Vec::new();
    let (mut told, mut lost_a_hash, mut took_a_spelling) = (0, 0, 0);
    for (now, wases) in spellings_of {
        let named = |was: &&str| Some(format!("{was:?} ({})", on(was)?));
        if !now.is_empty() && told == NOTES_OF_A_KIND {
            if wases.iter().all(|was| label_name(was) == now) {
                lost_a_hash += 1;
            } else {
                took_a_spelling += 1;
            }
            continue;
        }
        let mut spellings: Vec<String> = wases
            .iter()
            .filter_map(named)
            .take(NOTES_OF_A_KIND)
            .collect();
        if spellings.is_empty() {
            continue;
        }
        let many = wases.len() > 1;
        if wases.len() > spellings.len() {
            spellings.push(format!(
                "and {}",
                count_of(
                    wases.len() - spellings.len(),
                    "more spelling",
                    "more spellings"
                )
            ));
        }
        let verb = if many { "are" } else { "is" };
        let spellings = spellings.join(", ");
        notes.push(if now.is_empty() {
            let what = if many {
                "labels with no name"
            } else {
                "a label with no name"
            };
            format!("{what} {verb} dropped: {spellings}")
        } else {
            told += 1;
            format!(
                "label {now:?} is one label whatever its case or a leading #, \
                 so {spellings} {verb} written {now:?} now"
            )
        });
    }
    let mut untold = Vec::new();
    if lost_a_hash > 0 {
        untold.push(format!(
            "{} lost {} leading #",
            count_of(lost_a_hash, "more label", "more labels"),
            if lost_a_hash == 1 { "its" } else { "their" }
        ));
    }
    if took_a_spelling > 0 {
        untold.push(format!(
            "{} took {} first spelling",
            count_of(took_a_spelling, "more label", "more labels"),
            if took_a_spelling == 1 { "its" } else { "their" }
        ));
    }
    if !untold.is_empty() {
        notes.push(format!("and {}", untold.join(", and ")));
    }
    notes
}

/// A new title, trimmed, when it is neither empty nor too long. Titles
/// are short so that the table, the history and every export stay light;
/// the story's text belongs in its description.
fn check_title(title: &str) -> Result<&str, ModelError> {
    let title = title.trim();
    let length = title.chars().count();
    if length == 0 {
        Err(ModelError::EmptyTitle)
    } else if length > MAX_TITLE_LENGTH {
        Err(ModelError::TitleTooLong { length })
    } else {
        Ok(title)
    }
}

/// A done story from before stories kept their status history (an older
/// file, or one edited by hand) is taken to have been done when it last
/// changed, marked as a guess: velocity and cycle time need a day.
fn guess_when_done(stories: &mut [Arc<Story>]) {
    for story in stories {
        if story.status == Status::Done && story.done_at().is_none() {
            let story = Arc::make_mut(story);
            let from = story
                .status_history
                .last()
                .map_or(Status::InProgress, |change| change.to);
            story.status_history.push(StatusChange {
                from,
                to: Status::Done,
                at: story.updated,
                guessed: true,
            });
        }
    }
}

/// Each release an epic targets is a release of the product, spelled as
/// the release is: an older file named them as free text, so each name
/// becomes a release without a date, as does a release an epic is given
/// that there is not yet.
fn adopt_releases(product: &mut Product) {
    for epic in &mut product.epics {
        let Some(target) = &epic.target_release else {
            continue;
        };
        let target = target.trim();
        if target.is_empty() {
            epic.target_release = None;
            continue;
        }
        match product.releases.iter().find(|r| same_name(&r.name, target)) {
            Some(release) => {
                if release.name != target {
                    epic.target_release = Some(release.name.clone());
                }
            }
            None => product
                .releases
                .push(Release::new(target.to_string(), None)),
        }
    }
}

/// A story with its own id and the ids it refers to (splits, blockers)
/// renumbered.
pub(super) fn renumber_story(story: &mut Arc<Story>, changes: &[(StoryId, StoryId)]) {
    let id = renumber(story.id, changes);
    let from = story.split_from.map(|s| renumber(s, changes));
    let into: Vec<StoryId> = story
        .split_into
        .iter()
        .map(|s| renumber(*s, changes))
        .collect();
    let blocked_by: Vec<StoryId> = story
        .blocked_by
        .iter()
        .map(|s| renumber(*s, changes))
        .collect();
    if id != story.id
        || from != story.split_from
        || into != story.split_into
        || blocked_by != story.blocked_by
    {
        let story = Arc::make_mut(story);
        story.id = id;
        story.split_from = from;
        story.split_into = into;
        story.blocked_by = blocked_by;
    }
}

/// The stories a product's releases are assigned and its sprints were
/// committed to, renumbered.
pub(super) fn renumber_plan(product: &mut Product, changes: &[(StoryId, StoryId)]) {
    for release in &mut product.releases {
        for id in &mut release.stories {
            *id = renumber(*id, changes);
        }
    }
    for sprint in &mut product.sprints {
        for id in &mut sprint.committed {
            *id = renumber(*id, changes);
        }
    }
    for item in &mut product.feedback {
        if let Some(story) = item.story {
            let renumbered = renumber(story, changes);
            if renumbered != story {
                Arc::make_mut(item).story = Some(renumbered);
            }
        }
    }
}

/// The feedback items in id order, each id once, the counter past them
/// all, and any item that names a story not in `stories` (sorted by id)
/// back in the inbox as new: a merge or a hand edit may have taken the
/// story away, and the customer's word is kept rather than pointing
/// nowhere.
fn settle_feedback(product: &mut Product, stories: &[Arc<Story>]) -> Result<(), ModelError> {
    product.feedback.sort_by_key(|f| f.id);
    if let Some(pair) = product.feedback.windows(2).find(|w| w[0].id == w[1].id) {
        return Err(ModelError::DuplicateFeedback(pair[0].id));
    }
    if let Some(highest) = product.feedback.last() {
        product.next_feedback = product.next_feedback.max(highest.id.0.saturating_add(1));
    }
    for item in &mut product.feedback {
        let known = |id: StoryId| stories.binary_search_by_key(&id, |s| s.id).is_ok();
        let settled = match (item.state, item.story) {
            (FeedbackState::Linked | FeedbackState::Converted, Some(story)) => known(story),
            (FeedbackState::New | FeedbackState::Dismissed, None) => true,
            _ => false,
        };
        if !settled {
            let item = Arc::make_mut(item);
            item.story = None;
            item.state = if item.reason.is_some() {
                FeedbackState::Dismissed
            } else {
                FeedbackState::New
            };
        }
    }
    Ok(())
}

/// Where a story id went after the renumbering `changes`, applied in order.
#[must_use]
pub fn renumber(mut id: StoryId, changes: &[(StoryId, StoryId)]) -> StoryId {
    for (old, new) in changes {
        if id == *old {
            id = *new;
        }
    }
    id
}

impl StoryPatch {
    /// `story` as this patch would leave it, before any check: to ask
    /// whether the result would be ready, say.
    #[must_use]
    pub fn applied_to(&self, story: &Story) -> Story {
        let mut story = story.clone();
        apply_patch(&mut story, self);
        story
    }
}

fn apply_patch(story: &mut Story, patch: &StoryPatch) {
    if let Some(title) = &patch.title {
        story.title = title.trim().to_string();
    }
    let set = |field: &mut String, value: &Option<String>| {
        if let Some(value) = value {
            *field = value.trim().to_string();
        }
    };
    set(&mut story.as_a, &patch.as_a);
    set(&mut story.i_want, &patch.i_want);
    set(&mut story.so_that, &patch.so_that);
    if let Some(description) = &patch.description {
        description.trim_end().clone_into(&mut story.description);
    }
    if let Some(points) = patch.points {
        story.points = points;
    }
    if let Some(status) = patch.status {
        story.status = status;
    }
    // A comma separates labels wherever they are written (the story
    // document, the editor), so one never holds a comma.
    let split = |labels: &[String]| -> Vec<String> {
        labels
            .iter()
            .flat_map(|l| l.split(','))
            .map(label_name)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    };
    let has = |labels: &[String], label: &str| labels.iter().any(|l| same_name(l, label));
    if let Some(labels) = &patch.labels {
        story.labels.clear();
        for label in split(labels) {
            if !has(&story.labels, &label) {
                story.labels.push(label);
            }
        }
    }
    let removed = split(&patch.remove_labels);
    story.labels.retain(|l| !has(&removed, l));
    for label in split(&patch.add_labels) {
        if !has(&story.labels, &label) {
            story.labels.push(label);
        }
    }
    if let Some(epic) = &patch.epic {
        story.epic = epic
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_string);
    }
    if let Some(criteria) = &patch.criteria {
        story.acceptance_criteria = criteria
            .iter()
            .filter(|c| !c.text.trim().is_empty())
            .map(|c| Criterion {
                text: c.text.trim().to_string(),
                done: c.done,
            })
            .collect();
    }
    for text in &patch.add_criteria {
        let text = text.trim();
        if !text.is_empty() {
            story.acceptance_criteria.push(Criterion {
                text: text.to_string(),
                done: false,
            });
        }
    }
    for (input, value) in &patch.inputs {
        input.set(&mut story.inputs, *value);
    }
    if let Some(blockers) = &patch.blocked_by {
        story.blocked_by.clear();
        for id in blockers {
            if !story.blocked_by.contains(id) {
                story.blocked_by.push(*id);
            }
        }
    }
    story
        .blocked_by
        .retain(|id| !patch.remove_blocked_by.contains(id));
    for id in &patch.add_blocked_by {
        if !story.blocked_by.contains(id) {
            story.blocked_by.push(*id);
        }
    }
}
