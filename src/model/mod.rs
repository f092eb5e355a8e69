//! The domain: the backlog, its stories and the operations on them.
//!
//! No terminal and no file I/O here: every operation is a pure change to
//! memory that either succeeds or returns a [`ModelError`] and changes nothing.

mod backlog;
mod merge;
mod story;

pub use backlog::{Backlog, ModelError, Move, Moved, Placement, renumber};
pub use merge::{Merged, merge};
pub use story::{Criterion, Points, Status, Story, StoryId, StoryPatch};

#[cfg(test)]
mod tests;
