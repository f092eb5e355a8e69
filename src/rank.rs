//! Ordering keys for the backlog: fractional indexes, as Jira's `LexoRank`.
//!
//! A story's place in the backlog is a key that sorts between its neighbours'
//! keys, so moving one story rewrites that story's key and nothing else. The
//! keys come from the `fractional_index` crate and are stored as lowercase
//! hex strings, whose byte order is the key order.
//!
//! A key between two close keys is longer than they are, so moves into the
//! same place again and again would grow a key by about a byte a move.
//! [`respread`] stops that: past [`LONGEST`] bytes, the few stories around
//! the place get fresh, short keys spread between their outer neighbours.

use std::fmt;
use std::ops::Range;

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

    /// A key that sorts before `next`: for a story going to the top.
    ///
    /// The crate's key is the shortest there is, but taking it every time
    /// spends a byte every 127 moves to the top. So it is taken only when
    /// it is at least two bytes shorter than `next`. Otherwise the key is
    /// `next`'s digits (the bytes before the terminator) less one, at the
    /// same length; when they are all zero, they go on with 0x7f 0xff,
    /// from which 32,768 keys step down at that length. `N` moves to the
    /// top then lengthen the top key by about two bytes per 32,768, not one
    /// per 127. [`Rank::after`] is the same upside down.
    ///
    /// ```
    /// use backlog::rank::Rank;
    ///
    /// let key = |text| Rank::parse(text).unwrap();
    /// assert_eq!(Rank::before(&key("0a0580")).to_string(), "0a0480");
    /// assert_eq!(Rank::before(&key("0a0080")).to_string(), "09ff80");
    /// assert_eq!(Rank::before(&key("000080")).to_string(), "00007fff80");
    /// assert_eq!(Rank::before(&key("0a050180")).to_string(), "0980");
    /// ```
    #[must_use]
    pub fn before(next: &Rank) -> Self {
        let shortest = FractionalIndex::new_before(&next.0);
        if shortest.as_bytes().len() + 2 <= next.size() {
            return Rank(shortest);
        }
        let [same_length, longer] = next.steps_down();
        same_length
            .or(longer)
            .expect("a longer key is always there")
    }

    /// A key that sorts after `prev`: for a story going to the bottom.
    /// As [`Rank::before`], upside down: the crate's key when it is at
    /// least two bytes shorter; else `prev`'s digits plus one at the same
    /// length; when they are all 0xff, they go on with 0x80 0x00, from
    /// which 32,768 keys step up at that length.
    ///
    /// ```
    /// use backlog::rank::Rank;
    ///
    /// let key = |text| Rank::parse(text).unwrap();
    /// assert_eq!(Rank::after(&key("f00580")).to_string(), "f00680");
    /// assert_eq!(Rank::after(&key("f0ff80")).to_string(), "f10080");
    /// assert_eq!(Rank::after(&key("ffff80")).to_string(), "ffff800080");
    /// assert_eq!(Rank::after(&key("80")).to_string(), "800080");
    /// ```
    #[must_use]
    pub fn after(prev: &Rank) -> Self {
        let shortest = FractionalIndex::new_after(&prev.0);
        if shortest.as_bytes().len() + 2 <= prev.size() {
            return Rank(shortest);
        }
        let [same_length, longer] = prev.steps_up();
        same_length
            .or(longer)
            .expect("a longer key is always there")
    }

    /// The bytes before the terminator.
    fn digits(&self) -> &[u8] {
        let bytes = self.0.as_bytes();
        &bytes[..bytes.len() - 1]
    }

    /// The key of these digits: they, then the terminator.
    fn ending(mut digits: Vec<u8>) -> Self {
        digits.push(TERMINATOR);
        Rank(FractionalIndex::from_bytes(digits).expect("terminated key"))
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
        let (prev, next) = match (prev, next) {
            (Some(prev), Some(next)) => (prev, next),
            (Some(prev), None) => return Some(Rank::after(prev)),
            (None, Some(next)) => return Some(Rank::before(next)),
            (None, None) => return Some(Rank::first()),
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

    /// Keys below this one, as [`Rank::before`] steps down: its digits
    /// less one at the same length (none when they are all zero), and
    /// its digits then 0x7f 0xff.
    fn steps_down(&self) -> [Option<Rank>; 2] {
        let mut digits = self.digits().to_vec();
        let same_length = digits.iter().rposition(|&byte| byte != 0).map(|last| {
            let mut less = digits.clone();
            less[last] -= 1;
            less[last + 1..].fill(0xff);
            Rank::ending(less)
        });
        digits.extend_from_slice(&[0x7f, 0xff]);
        [same_length, Some(Rank::ending(digits))]
    }

    /// Keys above this one, as [`Rank::after`] steps up: its digits plus
    /// one at the same length (none when they are all 0xff), and its
    /// digits then 0x80 0x00.
    fn steps_up(&self) -> [Option<Rank>; 2] {
        let mut digits = self.digits().to_vec();
        let same_length = digits.iter().rposition(|&byte| byte != 0xff).map(|last| {
            let mut more = digits.clone();
            more[last] += 1;
            more[last + 1..].fill(0);
            Rank::ending(more)
        });
        digits.extend_from_slice(&[TERMINATOR, 0]);
        [same_length, Some(Rank::ending(digits))]
    }

    /// `n` evenly spread keys of equal length, in ascending order: the
    /// keys for a whole order written at once (an import, a generated
    /// backlog), as short as `n` allows. [`Rank::spread_between`] does the
    /// same between two keys, for the stories of a bulk move.
    ///
    /// It is [`Rank::spread_between`] with no keys around them: keys of
    /// `d` digits (bytes 0..=255) and the terminator byte 0x80 every key
    /// ends with, `d` the fewest for which 256^`d` ≥ 2`n` + 1, so every gap,
    /// the ends included, has room for another key of the same length.
    ///
    /// ```
    /// use backlog::rank::Rank;
    ///
    /// let keys = Rank::spread(1_000);
    /// assert!(keys.windows(2).all(|w| w[0] < w[1]));
    /// assert!(keys.iter().all(|k| k.size() == 3));
    /// ```
    #[must_use]
    pub fn spread(n: usize) -> Vec<Self> {
        Rank::spread_between(None, None, n).expect("any count fits in 15 digits")
    }

    /// `n` keys in ascending order, strictly between `prev` and `next`
    /// (either may be absent, for the ends of the backlog), evenly spread
    /// and as short as they can be.
    ///
    /// Keys between `prev` and `next` all start with the bytes the two
    /// share, `p` of them; then come `d` digits and the terminator. Of the
    /// values `v` of `d` digits whose key falls between the two, the lowest
    /// `lo` and the highest `hi` are found, and `d` is the fewest for which
    /// the `c = hi - lo + 1` values leave a step `s = ⌊(c + 1) / (n + 1)⌋`
    /// of at least 2, so another key of the same length fits in every gap.
    /// The keys are then `v_i = lo + i·s - 1` for `i` in `1..=n`: equal
    /// gaps, with any remainder above the last.
    ///
    /// `None` when `prev >= next`, or when the keys would need more than
    /// 15 digits after the shared bytes (only keys that differ that late,
    /// from a hand-edited file, come so close).
    ///
    /// ```
    /// use backlog::rank::Rank;
    ///
    /// let (a, b) = (Rank::parse("1080").unwrap(), Rank::parse("1180").unwrap());
    /// let keys = Rank::spread_between(Some(&a), Some(&b), 3).unwrap();
    /// assert!(a < keys[0] && keys[0] < keys[1] && keys[1] < keys[2] && keys[2] < b);
    /// let texts: Vec<String> = keys.iter().map(ToString::to_string).collect();
    /// assert_eq!(texts, ["10bf80", "10ff80", "113f80"]);
    /// assert!(Rank::spread_between(Some(&b), Some(&a), 1).is_none());
    /// ```
    #[must_use]
    pub fn spread_between(prev: Option<&Rank>, next: Option<&Rank>, n: usize) -> Option<Vec<Self>> {
        Room::between(prev, next, n, 2).map(|room| room.keys(n))
    }

    /// How many bytes the key holds (the file shows two hex digits a
    /// byte), the terminator among them.
    #[must_use]
    pub fn size(&self) -> usize {
        self.0.as_bytes().len()
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

/// The byte every key ends with, which the crate's keys sort around.
const TERMINATOR: u8 = 0x80;

/// The most digits [`Room`] looks at after the shared bytes: 256^15 and
/// the arithmetic on it still fit in a `u128`.
const MOST_DIGITS: usize = 15;

/// Where `n` evenly spread keys fit: after `prefix`, values of `digits`
/// digits from `low`, `step` apart (see [`Rank::spread_between`] for the
/// names).
struct Room {
    /// Bytes every key starts with.
    prefix: Vec<u8>,
    digits: usize,
    low: u128,
    step: u128,
}

impl Room {
    /// Room between two keys (either may be absent, for the ends of the
    /// backlog), with at least `least_step` values from one key to the
    /// next.
    fn between(
        prev: Option<&Rank>,
        next: Option<&Rank>,
        n: usize,
        least_step: u128,
    ) -> Option<Room> {
        let (prev, next) = (prev.map(|r| r.0.as_bytes()), next.map(|r| r.0.as_bytes()));
        let shared = match (prev, next) {
            (Some(prev), Some(next)) => {
                if prev >= next {
                    return None;
                }
                // As in `Rank::between`: both parts after the shared bytes
                // keep at least their terminator.
                prev.iter()
                    .zip(next)
                    .take(prev.len().min(next.len()) - 1)
                    .take_while(|(a, b)| a == b)
                    .count()
            }
            _ => 0,
        };
        let prefix = prev.or(next).map_or(&[][..], |key| &key[..shared]);
        let prev = prev.map(|key| &key[shared..]);
        let next = next.map(|key| &key[shared..]);
        let wanted = least_step.checked_mul(n as u128 + 1)?;
        (1..=MOST_DIGITS).find_map(|digits| {
            let low = prev.map_or(Some(0), |key| lowest_after(key, digits))?;
            let high = next.map_or(Some(values(digits) - 1), |key| highest_before(key, digits))?;
            // c + 1 = high - low + 2 values, counting one past each end.
            let span = (high + 2).checked_sub(low)?;
            (span >= wanted).then(|| Room {
                prefix: prefix.to_vec(),
                digits,
                low,
                step: span / (n as u128 + 1),
            })
        })
    }

    /// How many bytes each key takes.
    fn size(&self) -> usize {
        self.prefix.len() + self.digits + 1
    }

    /// The `n` keys: `v_i = low + i·step - 1`.
    fn keys(&self, n: usize) -> Vec<Rank> {
        (1..=n as u128)
            .map(|i| {
                let value = (self.low + i * self.step - 1).to_be_bytes();
                let mut bytes = Vec::with_capacity(self.size());
                bytes.extend_from_slice(&self.prefix);
                bytes.extend_from_slice(&value[value.len() - self.digits..]);
                Rank::ending(bytes)
            })
            .collect()
    }
}

/// The first `digits` bytes of `key` as a number, with zeros past its end.
fn leading(key: &[u8], digits: usize) -> u128 {
    (0..digits).fold(0, |value, i| {
        value * 256 + u128::from(key.get(i).copied().unwrap_or(0))
    })
}

/// The lowest value `v` of `digits` digits whose key (`v`, then the
/// terminator) sorts after `key`. Byte order is the order of the keys
/// read as base-256 fractions, so that is the key's own leading digits,
/// or the next value when the key it makes is not past `key`: when `key`
/// goes on past them with a byte of at least the terminator.
fn lowest_after(key: &[u8], digits: usize) -> Option<u128> {
    let value = leading(key, digits);
    match key.get(digits) {
        Some(&byte) if byte >= TERMINATOR => value.checked_add(1),
        _ => Some(value),
    }
    .filter(|&v| v < values(digits))
}

/// How many values `digits` digits hold: 256^`digits`.
fn values(digits: usize) -> u128 {
    1 << (8 * digits)
}

/// The highest value `v` of `digits` digits whose key sorts before `key`:
/// the key's own leading digits when `key` goes on past them, after a byte
/// of at least the terminator, with more bytes still; else the value below.
fn highest_before(key: &[u8], digits: usize) -> Option<u128> {
    let value = leading(key, digits);
    match key.get(digits) {
        Some(&byte) if byte >= TERMINATOR && key.len() > digits + 1 => Some(value),
        _ => value.checked_sub(1),
    }
}

/// New keys for the stories at `block` of an order of `len` stories that
/// has just changed there (a story moved in, or a set of them), and for
/// the fewest neighbours that must change with them. `key(i)` is the key
/// of the story at position `i` of the new order, read only outside
/// `block`. Returns the positions whose keys change and their new keys,
/// ascending; the order itself is kept.
///
/// A single story takes [`Rank::between`] its neighbours, several take
/// [`Rank::spread_between`] them, and nothing else changes, while the new
/// keys are at most [`LONGEST`] bytes. Past that, the place is crowded:
/// a window of `w` positions around it grows a story at a time, on the
/// side that shortens the keys most (by turns when neither does), until
/// keys spread evenly between its outer neighbours, at least 2^16·`w`
/// values of their last digits apart, take at most [`RESPREAD`] bytes.
/// The step grows with the window, as the density thresholds of a
/// list-labelling scheme fall with the size of the range: after a large
/// window is respread, every small window in it has room to spare, so a
/// crowd that forms again near the place is respread in a small window.
/// Only stories crowded near the place change: nearly always a story or
/// two besides the moved one. A crowd that only ever grows (stories moved
/// to one place again and again, and never away) is respread whole now
/// and then, as in any list-labelling scheme; still only the crowd.
#[must_use]
pub fn respread<'a>(
    len: usize,
    block: Range<usize>,
    key: impl Fn(usize) -> &'a Rank,
) -> (Range<usize>, Vec<Rank>) {
    let outer = |window: &Range<usize>| {
        let prev = window.start.checked_sub(1).map(&key);
        let next = (window.end < len).then(|| key(window.end));
        (prev, next)
    };
    let (prev, next) = outer(&block);
    let keys = if block.len() == 1 {
        Rank::between(prev, next).map(|key| vec![key])
    } else {
        Rank::spread_between(prev, next, block.len())
    };
    if let Some(keys) = keys
        && keys.iter().all(|key| key.size() <= LONGEST)
    {
        return (block, keys);
    }
    let room = |window: &Range<usize>| {
        let (prev, next) = outer(window);
        Room::between(prev, next, window.len(), SPARE * window.len() as u128)
    };
    let size = |window: &Range<usize>| room(window).map_or(usize::MAX, |room| room.size());
    let mut window = block;
    let mut left_turn = true;
    while size(&window) > RESPREAD {
        let left = (window.start > 0).then(|| window.start - 1..window.end);
        let right = (window.end < len).then(|| window.start..window.end + 1);
        window = match (left, right) {
            (Some(left), Some(right)) => {
                let (by_left, by_right) = (size(&left), size(&right));
                let go_left = by_left < by_right || (by_left == by_right && left_turn);
                left_turn = !left_turn;
                if go_left { left } else { right }
            }
            (Some(window), None) | (None, Some(window)) => window,
            (None, None) => break,
        };
    }
    // The whole order always fits, if not with all the room asked for.
    let room = room(&window)
        .or_else(|| Room::between(None, None, len, 2))
        .expect("any backlog fits between no keys at all");
    let keys = room.keys(window.len());
    (window, keys)
}

/// The longest key a move leaves in place, in bytes; a longer one makes
/// [`respread`] give the neighbourhood fresh keys.
pub const LONGEST: usize = 16;

/// The longest keys [`respread`] gives a neighbourhood, in bytes: half of
/// [`LONGEST`], so that many moves into the same place can follow before
/// it is respread again.
pub const RESPREAD: usize = 8;

/// The least step from one respread key to the next, as a number of
/// their digits, for each story of the window: two bytes' worth. Keys
/// packed as tightly as they could be would leave the next moves into the
/// neighbourhood no room but in longer keys, and the respread after would
/// have to reach further.
const SPARE: u128 = 1 << 16;

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
        assert_eq!(above.to_string(), "007fff80");
        let between = Rank::between(Some(&above), Some(&top)).unwrap();
        assert!(above < between && between < top, "{between}");
        let low = Rank::parse("000180").unwrap();
        let lower = Rank::parse("000080").unwrap();
        let between = Rank::between(Some(&lower), Some(&low)).unwrap();
        assert!(lower < between && between < low, "{between}");
        assert!(Rank::between(Some(&top), Some(&above)).is_none());
        assert!(Rank::between(Some(&top), Some(&top)).is_none());
    }

    #[test]
    fn respread_changes_only_the_crowded_neighbours() {
        // Two neighbours whose keys share 15 bytes, from many moves into
        // the gap between them: a story moved in between needs 17 bytes.
        let mut keys = Rank::spread(10);
        let crowded = format!(
            "{}{}",
            keys[4].to_string().trim_end_matches("80"),
            "00".repeat(13)
        );
        keys[4] = Rank::parse(&format!("{crowded}0180")).unwrap();
        keys[5] = Rank::parse(&format!("{crowded}0280")).unwrap();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        let gap = Rank::between(Some(&keys[4]), Some(&keys[5])).unwrap();
        assert!(gap.size() > LONGEST, "{gap}");
        // The order once a story moved in between: positions 0-4 hold
        // keys 0-4, the story is at 5, and 6-10 hold keys 5-9.
        let key = |i: usize| &keys[if i < 5 { i } else { i - 1 }];
        let (window, new) = respread(11, 5..6, key);
        assert_eq!(
            window.len(),
            2,
            "the story and one crowded neighbour: {window:?}"
        );
        assert!(window.contains(&5));
        assert!(*key(window.start - 1) < new[0] && new[1] < *key(window.end));
        assert!(new[0] < new[1] && new.iter().all(|k| k.size() <= RESPREAD));
    }

    #[test]
    fn respread_leaves_keys_alone_while_they_are_short() {
        let keys = Rank::spread(10);
        let key = |i: usize| &keys[if i < 5 { i } else { i - 1 }];
        let (window, new) = respread(11, 5..6, key);
        assert_eq!(window, 5..6);
        assert_eq!(
            new,
            [Rank::between(Some(&keys[4]), Some(&keys[5])).unwrap()]
        );
        let (window, new) = respread(13, 5..8, |i| &keys[if i < 5 { i } else { i - 3 }]);
        assert_eq!(window, 5..8);
        assert_eq!(
            new,
            Rank::spread_between(Some(&keys[4]), Some(&keys[5]), 3).unwrap()
        );
    }

    #[test]
    fn before_and_after_step_at_their_own_length() {
        // Stories moved to the top and to the bottom again and again: the
        // crate's own keys would grow a byte every 127 moves, to 240 bytes
        // here; these grow two bytes in 32,768.
        let mut top = Rank::spread(1_000).remove(0);
        let mut bottom = Rank::spread(1_000).pop().unwrap();
        for _ in 0..30_000 {
            let above = Rank::before(&top);
            let below = Rank::after(&bottom);
            assert!(above < top && bottom < below);
            (top, bottom) = (above, below);
        }
        assert!(top.size() <= 5 && bottom.size() <= 5, "{top} {bottom}");
    }

    proptest::proptest! {
        #[test]
        fn spread_between_any_two_keys_is_ascending_and_between(
            a in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..6),
            b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..6),
            n in 1usize..300,
            ends in 0u8..4,
        ) {
            let (a, b) = (Rank::ending(a), Rank::ending(b));
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            let prev = (ends & 1 == 0).then_some(&a);
            let next = (ends & 2 == 0).then_some(&b);
            match Rank::spread_between(prev, next, n) {
                Some(keys) => {
                    proptest::prop_assert_eq!(keys.len(), n);
                    proptest::prop_assert!(keys.windows(2).all(|w| w[0] < w[1]));
                    proptest::prop_assert!(prev.is_none_or(|prev| *prev < keys[0]));
                    proptest::prop_assert!(next.is_none_or(|next| keys[n - 1] < *next));
                }
                None => proptest::prop_assert!(prev.zip(next).is_some_and(|(a, b)| a >= b)),
            }
        }

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
