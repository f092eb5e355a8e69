//! The domain: the backlog, its stories and the operations on them.
//!
//! No terminal and no file I/O here: every operation is a pure change to
//! memory that either succeeds or returns a [`ModelError`] and changes nothing.

mod backlog;
mod feedback;
pub mod filter;
mod history;
pub mod inputs;
mod merge;
mod plan;
mod product;
pub mod ready;
mod stories;
mod story;

pub use backlog::{
    Backlog, Clash, DELETED, Destination, EpicStories, ModelError, Move, Moved, Placement, Settle,
    Totals, renumber,
};
pub use feedback::{
    Evidence, Feedback, FeedbackId, FeedbackState, Importance, Origin, customer_key,
    evidence_by_story,
};
pub use history::{Entry, HISTORY_LIMIT, History, HistoryError, Snapshot, Step, Undone};
pub use inputs::{Input, InputValue, Inputs, Moscow, PrioritySettings, StoryInputs};
pub use merge::{Merged, Merged3, merge, merge_files, merge_files_by};
pub use plan::{
    PastSprint, Release, SPRINT_DAYS, Sprint, SprintState, StatusChange, parse_date, parse_points,
};
pub use product::{
    Epic, EpicColor, PlanSettings, Product, ProductPart, ReadyRules, Rule, Scale, Settings, TSHIRT,
    name_key, same_name,
};
pub use stories::{Blocking, Brief};
pub use story::{
    Comment, Criterion, MAX_TITLE_LENGTH, Override, Points, Stamp, Status, Story, StoryId,
    StoryPatch, fit_title, label_name, story_ids,
};

#[cfg(test)]
mod tests;
