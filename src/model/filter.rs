//! Search and filters: which stories a view shows. One predicate serves
//! the TUI's table and `backlog list`, so both always agree on what a
//! filter lets through.

use std::fmt::Write as _;

use super::backlog::Backlog;
use super::product::{ReadyRules, same_name};
use super::ready;
use super::story::{Status, Story, label_name};

/// What a view is narrowed to. Each part that is set must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Words that must all appear, in any case ([`has`]), in the id,
    /// title, user story, description, acceptance criteria, labels, epic
    /// or comments.
    pub query: String,
    pub status: Option<Status>,
    /// Only stories still open: neither done nor rejected.
    pub open: bool,
    /// A label, matched as labels are: without case or a leading `#`.
    pub label: Option<String>,
    pub epic: Option<EpicFilter>,
    /// `Some(true)`: only draft and ready stories that meet the
    /// Definition of Ready; `Some(false)`: only those that do not. Stories
    /// in progress, done or rejected are past it, and pass neither, as
    /// they have no ready mark ([`ready::meets`]).
    pub ready: Option<bool>,
    pub unestimated: bool,
}

/// An epic to filter on (matched without case), or stories in none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EpicFilter {
    Named(String),
    None,
}

impl Filter {
    #[must_use]
    pub fn is_active(&self) -> bool {
        *self != Filter::default()
    }

    /// Whether a story passes. `words` is the query, lowercased and split
    /// ([`Filter::words`]), worked out once per search rather than once
    /// per story; `rules` is the Definition of Ready the ready filter
    /// asks about.
    #[must_use]
    pub fn matches(&self, story: &Story, words: &[String], rules: &ReadyRules) -> bool {
        if self.status.is_some_and(|s| s != story.status) {
            return false;
        }
        if self.open && !story.status.is_open() {
            return false;
        }
        if let Some(label) = &self.label
            && !story.labels.iter().any(|l| same_name(l, label_name(label)))
        {
            return false;
        }
        match &self.epic {
            Some(EpicFilter::Named(name))
                if !story.epic.as_deref().is_some_and(|e| same_name(e, name)) =>
            {
                return false;
            }
            Some(EpicFilter::None) if story.epic.is_some() => return false,
            _ => {}
        }
        if self.unestimated && story.points.is_some() {
            return false;
        }
        if let Some(wanted) = self.ready
            && ready::meets(story, rules) != Some(wanted)
        {
            return false;
        }
        words.iter().all(|word| contains_word(story, word))
    }

    /// The query as lowercase words, as [`has`] takes them.
    #[must_use]
    pub fn words(&self) -> Vec<String> {
        self.query
            .split_whitespace()
            .map(str::to_lowercase)
            .collect()
    }

    /// The stories of `backlog` that pass, in rank order, each with its
    /// 0-based rank position in the whole backlog.
    pub fn matching<'a>(
        &self,
        backlog: &'a Backlog,
    ) -> impl Iterator<Item = (usize, &'a Story)> + 'a {
        let filter = self.clone();
        let words = self.words();
        let rules = &backlog.product.settings.ready;
        backlog
            .ranked()
            .enumerate()
            .filter(move |(_, story)| filter.matches(story, &words, rules))
    }
}

/// Letters of English text, most frequent first.
const LETTER_FREQUENCY: &[u8] = b"etaoinshrdlcumwfgypbvkjxqz";

/// How common a byte is in text: higher is rarer. Not a letter: rare.
fn rarity(byte: u8) -> usize {
    LETTER_FREQUENCY
        .iter()
        .position(|&b| b == byte.to_ascii_lowercase())
        .unwrap_or(LETTER_FREQUENCY.len())
}

/// Whether `text` contains `word` (already lowercased by
/// [`str::to_lowercase`], as [`Filter::words`] does), ignoring case as
/// Unicode's lowercase mapping does: the answer is always that of
/// `text.to_lowercase().contains(word)`, so "été" finds "ÉTÉ", and
/// "strasse" does not find "Straße" (lowercase keeps ß as it is).
#[must_use]
pub fn has(text: &str, word: &str) -> bool {
    if word.is_empty() {
        return true;
    }
    if !word.is_ascii() {
        // The lowercase of ASCII text is ASCII: nothing to fold.
        return !text.is_ascii() && text.to_lowercase().contains(word);
    }
    // This is the search's inner loop over the whole backlog, and nearly
    // all text is ASCII: an ASCII byte never occurs inside a multi-byte
    // character, so jump between the places where the word's rarest letter
    // occurs, in either case, and compare bytes around them, rather than
    // lowercase the text or try every position.
    let (bytes, wanted) = (text.as_bytes(), word.as_bytes());
    let Some((offset, &rare)) = wanted.iter().enumerate().max_by_key(|(_, b)| rarity(**b)) else {
        return true;
    };
    let found = memchr::memchr2_iter(rare, rare.to_ascii_uppercase(), bytes).any(|at| {
        at.checked_sub(offset)
            .and_then(|start| bytes.get(start..start + wanted.len()))
            .is_some_and(|candidate| candidate.eq_ignore_ascii_case(wanted))
    });
    // Two characters beyond ASCII lowercase to an ASCII letter: the
    // Kelvin sign to `k`, and `İ` to `i` and a combining dot. Only text
    // holding one of them can match a word with those letters in a way
    // the bytes do not show.
    found
        || (wanted.iter().any(|&b| b == b'k' || b == b'i')
            && (text.contains('\u{212A}') || text.contains('\u{130}'))
            && text.to_lowercase().contains(word))
}

/// Whether a word of the query is in the story: its id, title, user
/// story, description, acceptance criteria, labels, epic, or comments
/// (their text and answers).
fn contains_word(story: &Story, word: &str) -> bool {
    // Only a word that could be part of an id ("s-12", "12", "-1") is
    // looked for in it, so the id is not written out for every story.
    let in_id = word
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b's' || b == b'-')
        && {
            let mut id = String::new();
            let _ = write!(id, "{}", story.id);
            has(&id, word)
        };
    in_id
        || has(&story.title, word)
        || has(&story.as_a, word)
        || has(&story.i_want, word)
        || has(&story.so_that, word)
        || has(&story.description, word)
        || story.acceptance_criteria.iter().any(|c| has(&c.text, word))
        || story.labels.iter().any(|label| has(label, word))
        || story.epic.as_deref().is_some_and(|epic| has(epic, word))
        || story.comments.iter().any(|comment| {
            has(&comment.text, word) || comment.answer.as_deref().is_some_and(|a| has(a, word))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Comment, Placement, StoryPatch};
    use proptest::prelude::*;

    #[test]
    fn words_match_anywhere_ignoring_case() {
        assert!(has("Book a Wheel", "wheel"));
        assert!(has("BOOK A WHEEL", "book a"));
        assert!(has("Café crème", "caf"));
        assert!(has("Café crème", "crème"));
        assert!(!has("Café crème", "cafe"));
        assert!(!has("whee", "wheel"), "no match past the end");
        assert!(has("ÄPFEL", "äpfel"));
    }

    #[test]
    fn case_folds_beyond_ascii() {
        assert!(has("Un été à Paris", "été"));
        assert!(has("UN ÉTÉ À PARIS", &"été".to_lowercase()));
        assert!(has("un été", &"ÉTÉ".to_lowercase()));
        assert!(has("ΟΔΥΣΣΕΙΑ", &"οδυσσεια".to_lowercase()));
        // Lowercase, not full case folding: ß stays ß.
        assert!(has("STRAẞE", &"straße".to_lowercase()));
        assert!(!has("Straße", &"STRASSE".to_lowercase()));
        // Characters beyond ASCII whose lowercase is an ASCII letter.
        assert!(has("500 \u{212A}", "k"));
        assert!(has("\u{130}stanbul", &"İstanbul".to_lowercase()));
        assert!(has("\u{130}stanbul", "i"));
        assert!(!has("plain ascii", "é"));
    }

    #[test]
    fn the_search_reads_labels_epic_and_comments_too() {
        let now = chrono::Utc::now();
        let rank = crate::rank::Rank::spread(1).remove(0);
        let mut story = Story::new(crate::model::StoryId(7), rank, "Plain title", now);
        story.labels = vec!["Payments".into()];
        story.epic = Some("Été Onboarding".into());
        let mut comment = Comment::new(now, "ann", "Ask the KIOSK vendor");
        comment.answer = Some("Zürich office".into());
        story.comments.push(comment);
        let finds = |query: &str| {
            let filter = Filter {
                query: query.into(),
                ..Filter::default()
            };
            filter.matches(&story, &filter.words(), &ReadyRules::default())
        };
        for query in [
            "PAYMENTS",
            "été onboard",
            "kiosk",
            "ZÜRICH",
            "s-7 title kiosk",
        ] {
            assert!(finds(query), "{query:?}");
        }
        for query in ["ann", "refunds", "title refunds"] {
            assert!(!finds(query), "{query:?}");
        }
    }

    #[test]
    fn open_leaves_out_done_and_rejected_and_labels_and_epics_ignore_case() {
        let mut b = Backlog::new("t");
        let now = chrono::Utc::now();
        for (title, status, label, epic) in [
            ("a", Status::Draft, "UX", "Billing"),
            ("b", Status::Done, "UX", "Billing"),
            ("c", Status::Rejected, "UX", "Billing"),
            ("d", Status::InProgress, "UX", "Billing"),
            ("e", Status::Draft, "API", "Billing"),
            ("f", Status::Draft, "UX", "Booking"),
        ] {
            let patch = StoryPatch {
                status: Some(status),
                labels: Some(vec![label.into()]),
                epic: Some(Some(epic.into())),
                new_epic: true,
                ..StoryPatch::title(title)
            };
            b.add(&patch, Placement::Bottom, now).unwrap();
        }
        let titles = |filter: &Filter| -> Vec<String> {
            filter.matching(&b).map(|(_, s)| s.title.clone()).collect()
        };
        let open = Filter {
            open: true,
            ..Filter::default()
        };
        assert_eq!(titles(&open), ["a", "d", "e", "f"]);
        let label = Filter {
            label: Some("#ux".into()),
            ..Filter::default()
        };
        assert_eq!(titles(&label), ["a", "b", "c", "d", "f"]);
        let epic = Filter {
            epic: Some(EpicFilter::Named("BILLING".into())),
            ..Filter::default()
        };
        assert_eq!(titles(&epic), ["a", "b", "c", "d", "e"]);
        let both = Filter {
            label: label.label.clone(),
            ..epic
        };
        assert_eq!(titles(&both), ["a", "b", "c", "d"]);
    }

    #[test]
    fn ready_and_not_ready_are_about_stories_not_yet_taken_on() {
        let mut b = Backlog::new("t");
        b.product.settings.ready = ReadyRules {
            user_story: false,
            acceptance_criteria: false,
            estimated: true,
            small_enough: false,
            max_points: b.product.settings.ready.max_points,
            no_open_questions: false,
        };
        let now = chrono::Utc::now();
        let estimated = Some(Some(crate::model::Points::new(3.0).unwrap()));
        for (title, status, points) in [
            ("draft ready", Status::Draft, estimated),
            ("draft not", Status::Draft, None),
            ("ready", Status::Ready, estimated),
            ("doing", Status::InProgress, estimated),
            ("doing, unestimated", Status::InProgress, None),
            ("done", Status::Done, estimated),
            ("rejected", Status::Rejected, None),
        ] {
            let patch = StoryPatch {
                status: Some(status),
                points,
                ..StoryPatch::title(title)
            };
            b.add(&patch, Placement::Bottom, now).unwrap();
        }
        let titles = |ready: bool| -> Vec<String> {
            let filter = Filter {
                ready: Some(ready),
                ..Filter::default()
            };
            filter.matching(&b).map(|(_, s)| s.title.clone()).collect()
        };
        assert_eq!(titles(true), ["draft ready", "ready"]);
        assert_eq!(titles(false), ["draft not"]);
    }

    proptest! {
        /// The byte-level jump is only a shortcut: on any text, with the
        /// letters that fold in unusual ways mixed in, it agrees with
        /// lowercasing both and looking for one in the other.
        #[test]
        fn has_agrees_with_lowercase_contains(
            text in "[a-zA-Z \u{212A}\u{130}\u{307}éÉßẞΣσς.-]{0,40}",
            word in "[a-zA-Z \u{212A}\u{130}\u{307}éÉßẞΣσς.-]{0,4}",
        ) {
            let word = word.to_lowercase();
            prop_assert_eq!(has(&text, &word), text.to_lowercase().contains(&word));
        }
    }
}
