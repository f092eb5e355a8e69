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
        let (Some(prev), Some(next)) = (prev, next) else {
            return FractionalIndex::new(prev.map(|r| &r.0), next.map(|r| &r.0)).map(Rank);
        };
        if prev >= next {
            return None;
        }
        // The crate computes `next[i] - 1` for every byte the keys share,
        // which overflows on a zero byte (keys near the top reach them).
        // Bytes both keys share are kept as they are, so only the part
        // after them goes to the crate; both parts still end in the
        // terminator, as the shorter key keeps at least its last byte.
        let (prev, next) = (prev.0.as_bytes(), next.0.as_bytes());
        let shared = prev
            .iter()
            .zip(next)
            .take(prev.len().min(next.len()) - 1)
            .take_while(|(a, b)| a == b)
            .count();
        let tail = |key: &[u8]| FractionalIndex::from_bytes(key[shared..].to_vec()).ok();
        let middle = FractionalIndex::new_between(&tail(prev)?, &tail(next)?)?;
        let mut bytes = prev[..shared].to_vec();
        bytes.extend_from_slice(middle.as_bytes());
        FractionalIndex::from_bytes(bytes).ok().map(Rank)
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

    /// Parse a key written by [`Rank`]'s `Display`: an even number of
    /// lowercase hex digits, two per byte, ending in `80`, the terminator
    /// byte every key ends with.
    ///
    /// ```
    /// use backlog::rank::Rank;
    ///
    /// assert_eq!(Rank::parse("7f80").unwrap().to_string(), "7f80");
    /// assert!(Rank::parse("7f8").is_err());
    /// assert!(Rank::parse("7F80").is_err());
    /// assert!(Rank::parse("7f").is_err());
    /// ```
    ///
    /// # Errors
    /// When the text is not a well-formed key.
    pub fn parse(text: &str) -> Result<Self, String> {
        // The crate decodes by slicing two bytes at a time: a multi-byte
        // character panics, and an odd last digit or a NUL is silently
        // dropped. So everything it would mis-read is refused here first.
        let hex = text.len().is_multiple_of(2)
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if text.is_empty() || !hex {
            return Err(format!(
                "invalid rank key {}: a rank key is an even number of lowercase hex digits (0-9, a-f)",
                quoted(text)
            ));
        }
        if !text.ends_with("80") {
            return Err(format!(
                "invalid rank key {}: a rank key ends in 80",
                quoted(text)
            ));
        }
        FractionalIndex::from_string(text)
            .map(Rank)
            .map_err(|e| format!("invalid rank key {}: {e}", quoted(text)))
    }
}

/// A key as a message shows it: quoted, escaped, and cut short, since a
/// broken file may hold anything there.
fn quoted(text: &str) -> String {
    const SHOWN: usize = 40;
    match text.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{:?}…", &text[..end]),
        None => format!("{text:?}"),
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

    #[test]
    fn a_key_with_a_multi_byte_character_is_refused_not_a_panic() {
        for key in ["a\u{e9}0", "\u{e9}80", "80\u{e9}", "8\u{1f600}0"] {
            let error = Rank::parse(key).unwrap_err();
            assert!(error.contains("lowercase hex"), "{key:?}: {error}");
        }
    }

    #[test]
    fn keys_that_are_not_even_length_lowercase_hex_are_refused_not_trimmed() {
        for key in [
            "1080f",
            "1080\u{0}",
            "1080 ",
            "8",
            "8G",
            "1080AB80",
            "0x80",
            "80\n",
        ] {
            assert!(Rank::parse(key).is_err(), "{key:?} was accepted");
        }
        let error = Rank::parse("1080f").unwrap_err();
        assert!(
            error.contains("even number of lowercase hex digits"),
            "{error}"
        );
        let error = Rank::parse("1081").unwrap_err();
        assert!(error.contains("ends in 80"), "{error}");
        assert_eq!(Rank::parse("10ff80").unwrap().to_string(), "10ff80");
        let long = "0".repeat(1000);
        assert!(Rank::parse(&long).unwrap_err().len() < 200, "cut short");
    }

    #[test]
    fn keys_holding_zero_bytes_still_order() {
        // Moving a story to the top again and again reaches keys that start
        // with a zero byte; the crate's own arithmetic overflows on those.
        let top = Rank::parse("0080").unwrap();
        let above = Rank::before(&top);
        assert_eq!(above.to_string(), "007f80");
        let between = Rank::between(Some(&above), Some(&top)).unwrap();
        assert!(above < between && between < top, "{between}");
        let low = Rank::parse("000180").unwrap();
        let lower = Rank::parse("000080").unwrap();
        let between = Rank::between(Some(&lower), Some(&low)).unwrap();
        assert!(lower < between && between < low, "{between}");
        assert!(Rank::between(Some(&top), Some(&above)).is_none());
        assert!(Rank::between(Some(&top), Some(&top)).is_none());
    }

    proptest::proptest! {
        #[test]
        fn between_any_two_parsed_keys_sorts_between_or_says_none(
            a in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..6),
            b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..6),
        ) {
            let key = |mut bytes: Vec<u8>| {
                bytes.push(0x80);
                let text = FractionalIndex::from_bytes(bytes).unwrap().to_string();
                Rank::parse(&text).unwrap()
            };
            let (a, b) = (key(a), key(b));
            match Rank::between(Some(&a), Some(&b)) {
                Some(middle) => proptest::prop_assert!(a < middle && middle < b),
                None => proptest::prop_assert!(a >= b),
            }
            proptest::prop_assert!(Rank::before(&a) < a && a < Rank::after(&a));
        }
    }
}
