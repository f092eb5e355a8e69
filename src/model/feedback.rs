//! The customer's voice: feedback from support, sales and issue trackers,
//! triaged in the inbox into stories.
//!
//! An item is new until the product owner turns it into a story
//! (converted), ties it to a story that already answers it (linked), or
//! sets it aside with a reason (dismissed). A story's customer evidence
//! is the items linked to it or converted into it.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::product::name_key;
use super::story::StoryId;

/// A feedback item's stable id, shown as `F-7`. Ids are never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FeedbackId(pub u64);

impl fmt::Display for FeedbackId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "F-{}", self.0)
    }
}

impl FromStr for FeedbackId {
    type Err = String;

    /// Accepts `F-7`, `f-7` and a bare `7`.
    ///
    /// ```
    /// use backlog::model::FeedbackId;
    ///
    /// assert_eq!("F-7".parse::<FeedbackId>(), Ok(FeedbackId(7)));
    /// assert!("S-7".parse::<FeedbackId>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let digits = text
            .strip_prefix("F-")
            .or_else(|| text.strip_prefix("f-"))
            .unwrap_or(text);
        match digits.parse::<u64>() {
            Ok(n) if n > 0 && digits.bytes().all(|b| b.is_ascii_digit()) => Ok(FeedbackId(n)),
            _ => Err(format!(
                "{text:?} is not a feedback id (expected F-1, F-2, …)"
            )),
        }
    }
}

impl Serialize for FeedbackId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FeedbackId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// How much an item matters to the customer who raised it, on
/// Productboard's scale.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Importance {
    NotImportant,
    #[default]
    NiceToHave,
    Important,
    Critical,
}

impl Importance {
    pub const ALL: [Importance; 4] = [
        Importance::NotImportant,
        Importance::NiceToHave,
        Importance::Important,
        Importance::Critical,
    ];

    /// Its place on the scale: 0 to 3.
    #[must_use]
    pub fn value(self) -> u8 {
        match self {
            Importance::NotImportant => 0,
            Importance::NiceToHave => 1,
            Importance::Important => 2,
            Importance::Critical => 3,
        }
    }

    /// The importance at `value` on the scale, if it is on it.
    #[must_use]
    pub fn from_value(value: u8) -> Option<Importance> {
        Importance::ALL.get(usize::from(value)).copied()
    }

    /// What the product owner calls it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Importance::NotImportant => "not important",
            Importance::NiceToHave => "nice to have",
            Importance::Important => "important",
            Importance::Critical => "critical",
        }
    }
}

impl fmt::Display for Importance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Importance {
    type Err = String;

    /// `0` to `3`, or the name (`critical`, `nice to have`, …).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let by_value = text.parse::<u8>().ok().and_then(Importance::from_value);
        let key = |s: &str| s.to_lowercase().replace(['-', '_'], " ");
        by_value
            .or_else(|| {
                Importance::ALL
                    .into_iter()
                    .find(|i| i.as_str() == key(text))
            })
            .ok_or_else(|| {
                format!(
                    "unknown importance {text:?} (expected 0 not important, 1 nice to have, \
                     2 important or 3 critical)"
                )
            })
    }
}

impl Serialize for Importance {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.value())
    }
}

impl<'de> Deserialize<'de> for Importance {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = u8::deserialize(deserializer)?;
        Importance::from_value(value).ok_or_else(|| {
            serde::de::Error::custom(format!("importance {value} is off the scale (0 to 3)"))
        })
    }
}

/// Where a feedback item is in triage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FeedbackState {
    #[default]
    New,
    /// Tied to a story that already answers it.
    Linked,
    /// Turned into a story of its own.
    Converted,
    /// Set aside, with a reason.
    Dismissed,
}

impl FeedbackState {
    pub const ALL: [FeedbackState; 4] = [
        FeedbackState::New,
        FeedbackState::Linked,
        FeedbackState::Converted,
        FeedbackState::Dismissed,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FeedbackState::New => "new",
            FeedbackState::Linked => "linked",
            FeedbackState::Converted => "converted",
            FeedbackState::Dismissed => "dismissed",
        }
    }
}

impl fmt::Display for FeedbackState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FeedbackState {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        FeedbackState::ALL
            .into_iter()
            .find(|s| s.as_str() == text.trim())
            .ok_or_else(|| {
                format!(
                    "unknown feedback state {text:?} (expected new, linked, converted or dismissed)"
                )
            })
    }
}

/// Where an imported story or feedback item came from: the tracker, its
/// id there and its link, and what the tracker said last time it was
/// imported, so that a re-import finds it again and `--update` can tell a
/// change at the source from one made here.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Origin {
    /// The tracker and project, such as `github:acme/shop` or `jira`.
    pub source: String,
    /// Its id there, such as `12` or `SHOP-12`.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// A fingerprint of each field as the source last had it, by field
    /// name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub seen: BTreeMap<String, String>,
}

impl Origin {
    /// Whether this is the item `source` calls `id`.
    #[must_use]
    pub fn is(&self, source: &str, id: &str) -> bool {
        self.source == source && self.id == id
    }
}

/// One piece of customer feedback.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    pub id: FeedbackId,
    /// What the customer said; its first line stands for it in lists.
    pub text: String,
    /// The person or organisation it came from.
    pub customer: String,
    /// Where it came in: support, sales, GitHub, …
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub importance: Importance,
    /// When the customer said it.
    pub date: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default)]
    pub state: FeedbackState,
    /// The story it is linked to or was converted into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<StoryId>,
    /// Why it was dismissed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    pub updated: DateTime<Utc>,
}

impl Feedback {
    /// A new item, not yet triaged.
    #[must_use]
    pub fn new(
        id: FeedbackId,
        text: impl Into<String>,
        customer: impl Into<String>,
        now: DateTime<Utc>,
    ) -> Self {
        Feedback {
            id,
            text: text.into(),
            customer: customer.into(),
            source: String::new(),
            importance: Importance::default(),
            date: now,
            link: None,
            state: FeedbackState::New,
            story: None,
            reason: None,
            origin: None,
            updated: now,
        }
    }

    /// The first line of its text, which stands for it in lists.
    #[must_use]
    pub fn summary(&self) -> &str {
        self.text
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .unwrap_or_default()
    }

    /// Whether it counts as evidence for `story`.
    #[must_use]
    pub fn supports(&self, story: StoryId) -> bool {
        self.story == Some(story)
            && matches!(self.state, FeedbackState::Linked | FeedbackState::Converted)
    }
}

/// Which customers asked for a story, and how much it matters to them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// The items linked to the story or converted into it, oldest first.
    pub items: Vec<FeedbackId>,
    /// How many different customers they came from (names compared as
    /// [`customer_key`] does: case and spacing aside).
    pub customers: usize,
    /// The customers' importance summed: each customer counts once, at
    /// the highest importance any of their items gave, so one customer
    /// writing in ten times does not outweigh ten customers.
    pub importance: u32,
}

impl Evidence {
    /// The evidence `items` give `story`.
    #[must_use]
    pub fn of<'a>(story: StoryId, items: impl IntoIterator<Item = &'a Feedback>) -> Evidence {
        let mut supporting: Vec<&Feedback> =
            items.into_iter().filter(|f| f.supports(story)).collect();
        supporting.sort_by_key(|f| (f.date, f.id));
        let mut by_customer: BTreeMap<String, Importance> = BTreeMap::new();
        for item in &supporting {
            let most = by_customer
                .entry(customer_key(&item.customer))
                .or_insert(item.importance);
            *most = (*most).max(item.importance);
        }
        Evidence {
            items: supporting.iter().map(|f| f.id).collect(),
            customers: by_customer.len(),
            importance: by_customer.values().map(|i| u32::from(i.value())).sum(),
        }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// A customer's name as evidence counts customers: without case, and
/// with its spaces trimmed and runs of them taken as one, so "ACME  Corp "
/// and "Acme Corp" are one customer.
#[must_use]
pub fn customer_key(name: &str) -> String {
    name_key(&name.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The customer evidence of every story that has some, found in one walk
/// of the items: for lists and exports that show it on each story.
#[must_use]
pub fn evidence_by_story<'a>(
    items: impl IntoIterator<Item = &'a Feedback>,
) -> BTreeMap<StoryId, Evidence> {
    let mut grouped: BTreeMap<StoryId, Vec<&Feedback>> = BTreeMap::new();
    for item in items {
        if let Some(story) = item.story.filter(|&s| item.supports(s)) {
            grouped.entry(story).or_default().push(item);
        }
    }
    grouped
        .into_iter()
        .map(|(story, items)| (story, Evidence::of(story, items)))
        .collect()
}
