//! Ordering keys for the backlog: fractional indexes, as Jira's `LexoRank`.
//!
//! A story's place in the backlog is a key that sorts between its neighbours'
//! keys, so moving one story rewrites that story's key and nothing else. The
//! keys come from the `fractional_index` crate and are stored as lowercase
//! hex strings, whose byte order is the key order.

use std::fmt;

use fractional_index::FractionalIndex;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A story's rank key. Lower keys come first in the backlog.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rank(FractionalIndex);

impl Rank {
    /// The key for the first story of an empty backlog.
    #[must_use]
    pub fn first() -> Self {
        Rank(FractionalIndex::default())
    }

    /// A key that sorts before `next`.
    #[must_use]
    pub fn before(next: &Rank) -> Self {
        Rank(FractionalIndex::new_before(&next.0))
    }

    /// A key that sorts after `prev`.
    #[must_use]
    pub fn after(prev: &Rank) -> Self {
        Rank(FractionalIndex::new_after(&prev.0))
    }

    /// A key strictly between `prev` and `next` (either may be absent, for
    /// the ends of the backlog). `None` when `prev >= next`, which only
    /// happens when two stories share a key.
    ///
    /// ```
    /// use backlog::rank::Rank;
    ///
    /// let first = Rank::first();
    /// let last = Rank::after(&first);
    /// let middle = Rank::between(Some(&first), Some(&last)).unwrap();
    /// assert!(first < middle && middle < last);
    /// // The text form sorts the same way, so a file diff reads in order.
    /// assert!(first.to_string() < middle.to_string());
    /// assert!(Rank::between(Some(&last), Some(&first)).is_none());
    /// ```
    #[must_use]
    pub fn between(prev: Option<&Rank>, next: Option<&Rank>) -> Option<Self> {
        FractionalIndex::new(prev.map(|r| &r.0), next.map(|r| &r.0)).map(Rank)
    }

    /// `n` evenly spread keys of equal length, in ascending order.
    ///
    /// Appending one story at a time grows keys by a byte every 127 stories;
    /// a generated or imported backlog uses this instead, so its keys stay
    /// short: digits in base 254 (bytes 1..=254), as many as `n` needs, then
    /// the terminator byte 0x80 every key ends with.
    #[must_use]
    pub fn spread(n: usize) -> Vec<Self> {
        const BASE: u128 = 254;
        let mut digits = 1u32;
        while BASE.pow(digits) <= n as u128 {
            digits += 1;
        }
        let span = BASE.pow(digits);
        let step = span / (n as u128 + 1);
        (1..=n as u128)
            .map(|i| {
                let mut value = i * step;
                let mut bytes = vec![0u8; digits as usize + 1];
                for slot in (0..digits as usize).rev() {
                    // value % BASE < 254, so the digit fits in 1..=254.
                    bytes[slot] = u8::try_from(value % BASE).unwrap_or(0) + 1;
                    value /= BASE;
                }
                bytes[digits as usize] = 0x80;
                Rank(FractionalIndex::from_bytes(bytes).expect("terminated key"))
            })
            .collect()
    }

    /// Parse a key written by [`Rank`]'s `Display`.
    ///
    /// # Errors
    /// When the text is not a well-formed key.
    pub fn parse(text: &str) -> Result<Self, String> {
        FractionalIndex::from_string(text)
            .map(Rank)
            .map_err(|e| format!("invalid rank key {text:?}: {e}"))
    }
}

impl fmt::Display for Rank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_string())
    }
}

impl Serialize for Rank {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for Rank {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Rank::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn between_sorts_between() {
        let a = Rank::first();
        let c = Rank::after(&a);
        let b = Rank::between(Some(&a), Some(&c)).unwrap();
        assert!(a < b && b < c);
        assert!(Rank::between(Some(&c), Some(&a)).is_none());
        assert!(Rank::before(&a) < a);
    }

    #[test]
    fn spread_is_ascending_short_and_round_trips() {
        for n in [0, 1, 2, 253, 254, 255, 1000, 100_000] {
            let keys = Rank::spread(n);
            assert_eq!(keys.len(), n);
            assert!(keys.windows(2).all(|w| w[0] < w[1]), "n = {n}");
            if let Some(last) = keys.last() {
                assert!(last.to_string().len() <= 8, "n = {n}: {last}");
                assert_eq!(Rank::parse(&last.to_string()).unwrap(), *last);
            }
        }
    }

    #[test]
    fn keys_order_as_their_text() {
        let keys = Rank::spread(500);
        let texts: Vec<String> = keys.iter().map(ToString::to_string).collect();
        assert!(texts.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn bad_keys_are_refused() {
        assert!(Rank::parse("").is_err());
        assert!(Rank::parse("zz").is_err());
        assert!(Rank::parse("08").is_err());
    }
}
