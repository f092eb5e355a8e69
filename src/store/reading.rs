//! How far a read of the data file has got, for another thread to show
//! while it goes on: the TUI draws its first frame at once and says
//! "loading 38 %…" until the backlog is read.
//!
//! A read has three steps, each counted in bytes as it goes: the file
//! read from disk, each story's text found in it, and each story's text
//! parsed; then the backlog is put together from the stories, which
//! cannot be counted. The share each step has of the whole is what it
//! took of a read of a hundred thousand stories (and of a million) on a
//! machine of two cores: reading the file (and hashing it, and checking
//! it is UTF-8) about a sixth, finding the stories another sixth,
//! parsing them on both cores half, putting the backlog together (ranked,
//! its epics and labels indexed) the last eighth. So the share shown
//! moves at about the same speed throughout, and stays below 90 % until
//! the read is done.

use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// What each counted step weighs, a byte of it: reading, finding,
/// parsing.
const WEIGHTS: [u128; 3] = [10, 10, 30];

/// What putting the backlog together weighs, once every story is parsed.
const PUTTING_TOGETHER: u128 = 7;

/// How far one read has got. Shared between the thread reading and
/// those that show it; every count only grows.
#[derive(Debug)]
pub struct Reading {
    /// The file's length, once it is open; 0 before, or for no file.
    len: AtomicU64,
    /// The bytes of all the stories' text, once they are found: until
    /// then, [`UNKNOWN`].
    stories: AtomicU64,
    /// Bytes read from disk.
    read: AtomicU64,
    /// Bytes of story text found in the file's text.
    found: AtomicU64,
    /// Bytes of story text parsed.
    parsed: AtomicU64,
    /// The backlog is read.
    done: AtomicBool,
}

/// The stories' bytes before they are all found: nearly the whole file,
/// which stands in for them until then.
const UNKNOWN: u64 = u64::MAX;

impl Default for Reading {
    fn default() -> Self {
        Reading {
            len: AtomicU64::new(0),
            stories: AtomicU64::new(UNKNOWN),
            read: AtomicU64::new(0),
            found: AtomicU64::new(0),
            parsed: AtomicU64::new(0),
            done: AtomicBool::new(false),
        }
    }
}

impl Reading {
    /// How much of the read is done, in whole percent, never past 100;
    /// `None` until the file's length is known, or when there is no file
    /// or nothing in it.
    #[must_use]
    pub fn percent(&self) -> Option<u8> {
        let len = self.len.load(Ordering::Relaxed);
        if len == 0 {
            return None;
        }
        if self.done.load(Ordering::Relaxed) {
            return Some(100);
        }
        let stories = match self.stories.load(Ordering::Relaxed) {
            UNKNOWN => len,
            stories => stories,
        };
        // Each step's share in thousandths, weighed.
        let share = |count: &AtomicU64, of: u64| {
            let count = u128::from(count.load(Ordering::Relaxed));
            if of == 0 {
                1000
            } else {
                count.min(u128::from(of)) * 1000 / u128::from(of)
            }
        };
        let done: u128 = [
            share(&self.read, len),
            share(&self.found, stories),
            share(&self.parsed, stories),
        ]
        .into_iter()
        .zip(WEIGHTS)
        .map(|(share, weight)| share * weight)
        .sum();
        let whole = 10 * (WEIGHTS.iter().sum::<u128>() + PUTTING_TOGETHER);
        Some(u8::try_from(done / whole).unwrap_or(100))
    }

    pub(crate) fn opened(&self, len: u64) {
        self.len.store(len, Ordering::Relaxed);
    }

    pub(crate) fn read(&self, bytes: usize) {
        add(&self.read, bytes);
    }

    fn found(&self, bytes: usize) {
        add(&self.found, bytes);
    }

    /// Every story is found: their text has `bytes` in all.
    pub(crate) fn all_found(&self, bytes: usize) {
        let bytes = u64::try_from(bytes).unwrap_or(UNKNOWN - 1);
        self.stories
            .store(bytes.min(UNKNOWN - 1), Ordering::Relaxed);
    }

    pub(crate) fn parsed(&self, bytes: usize) {
        add(&self.parsed, bytes);
    }

    /// The backlog is read, and put together.
    pub(crate) fn done(&self) {
        self.done.store(true, Ordering::Relaxed);
    }

    /// Count the stories found while `find` runs on this thread: the
    /// file's structure is read by serde, which can be handed nothing but
    /// the text, so what it finds is counted where this thread keeps it
    /// (see [`story_found`]).
    pub(crate) fn finding<T>(self: &Arc<Self>, find: impl FnOnce() -> T) -> T {
        let before = FINDING.replace(Some(Arc::clone(self)));
        let found = find();
        FINDING.set(before);
        found
    }
}

fn add(count: &AtomicU64, bytes: usize) {
    count.fetch_add(u64::try_from(bytes).unwrap_or(u64::MAX), Ordering::Relaxed);
}

thread_local! {
    /// The read whose stories this thread is finding, if any.
    static FINDING: Cell<Option<Arc<Reading>>> = const { Cell::new(None) };
}

/// A story's text of `bytes` was found, in the read this thread is
/// finding stories for (see [`Reading::finding`]), if any.
pub(crate) fn story_found(bytes: usize) {
    FINDING.with(|finding| {
        let reading = finding.take();
        if let Some(reading) = &reading {
            reading.found(bytes);
        }
        finding.set(reading);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_share_done_weighs_each_step_and_ends_at_a_hundred() {
        let reading = Reading::default();
        assert_eq!(reading.percent(), None);
        reading.opened(1000);
        assert_eq!(reading.percent(), Some(0));
        reading.read(1000);
        assert_eq!(reading.percent(), Some(17));
        // Too many read, as when the file grew: still a whole read.
        reading.read(10);
        reading.found(500);
        assert_eq!(reading.percent(), Some(26));
        // The stories are most of the file, not all of it.
        reading.found(300);
        reading.all_found(800);
        assert_eq!(reading.percent(), Some(35));
        reading.parsed(400);
        assert_eq!(reading.percent(), Some(61));
        reading.parsed(400);
        assert_eq!(
            reading.percent(),
            Some(87),
            "the backlog is not yet put together"
        );
        reading.done();
        assert_eq!(reading.percent(), Some(100));
    }

    #[test]
    fn a_file_without_stories_has_none_to_find_or_parse() {
        let reading = Reading::default();
        reading.opened(50);
        reading.read(50);
        reading.all_found(0);
        assert_eq!(reading.percent(), Some(87));
    }

    #[test]
    fn stories_are_found_for_the_read_this_thread_is_finding_for() {
        let reading = Arc::new(Reading::default());
        reading.opened(100);
        story_found(50);
        assert_eq!(reading.percent(), Some(0));
        reading.finding(|| story_found(50));
        assert_eq!(reading.percent(), Some(8));
        story_found(50);
        assert_eq!(reading.percent(), Some(8));
    }
}
