//! The loader, fed thousands of damaged files: each one either loads or is
//! refused with a message naming the file. None panics, and none is ever
//! written to.
//!
//! Each case starts from a valid file (the demo backlog, a few made here,
//! an undo history) and damages it: flipped, inserted and deleted bytes,
//! pieces spliced from elsewhere, deep nesting, huge numbers, odd ids and
//! rank keys, values of the wrong kind, objects written as arrays of their
//! values, cut-off ends, other encodings.
//!
//! `BACKLOG_FUZZ_CASES=100000` runs that many cases (the default is a few
//! thousand, a few seconds). Each run prints its seed; a failure names its
//! case, keeps its input in a file, and `BACKLOG_FUZZ_SEED=<seed>
//! BACKLOG_FUZZ_CASE=<case>` runs that case alone again.

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use backlog::model::{Backlog, Comment, History, Move, Placement, Snapshot, StoryId, StoryPatch};
use backlog::store;
use chrono::{TimeZone, Utc};

const DEFAULT_CASES: u64 = 2000;
const DEFAULT_SEED: u64 = 0x5eed_0bac_c106;

/// splitmix64: a few lines, a fixed sequence for a seed, and good enough
/// spread for choosing mutations.
struct Random(u64);

impl Random {
    fn for_case(seed: u64, case: u64) -> Self {
        let mut random = Random(seed ^ case.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        random.next();
        random
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n` (which must not be 0).
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

fn from_env(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    let text = text.trim();
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name}={text} is not a number")))
}

/// Which cases to run: all of `BACKLOG_FUZZ_CASES`, or the one case
/// `BACKLOG_FUZZ_CASE` names.
fn plan(what: &str) -> (u64, std::ops::Range<u64>) {
    let seed = from_env("BACKLOG_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let cases = match from_env("BACKLOG_FUZZ_CASE") {
        Some(case) => case..case + 1,
        None => 0..from_env("BACKLOG_FUZZ_CASES").unwrap_or(DEFAULT_CASES),
    };
    eprintln!(
        "fuzzing {what}: seed {seed:#x}, cases {}..{} (BACKLOG_FUZZ_SEED, BACKLOG_FUZZ_CASES, BACKLOG_FUZZ_CASE)",
        cases.start, cases.end
    );
    (seed, cases)
}

/// Valid data files to start from: the demo, and a few made to hold what
/// the demo lacks (splits, ready overrides, questions, a schema-1 file).
fn data_seeds() -> Vec<Vec<u8>> {
    let at = Utc.with_ymd_and_hms(2026, 11, 2, 10, 30, 0).unwrap();
    let demo = include_bytes!("../assets/demo.json").to_vec();
    let mut small = Backlog::new("Shop");
    for i in 1..=6 {
        let patch = StoryPatch {
            title: Some(format!("Story {i}")),
            add_criteria: vec![format!("criterion {i}"), "another".into()],
            add_labels: vec!["ux".into()],
            epic: Some(Some(if i % 2 == 0 { "Checkout" } else { "Search" }.into())),
            new_epic: true,
            ..StoryPatch::default()
        };
        small.add(&patch, Placement::Bottom, at).unwrap();
    }
    small.move_story(StoryId(6), Move::Top).unwrap();
    small.split(StoryId(2), "Other half", &[1], at).unwrap();
    let question = Comment {
        at,
        author: "po".into(),
        text: "Which cards?".into(),
        question: true,
        resolved: None,
        decision: false,
        answer: None,
        edited: None,
    };
    small.comment(StoryId(3), question).unwrap();
    let schema_1 = r#"{"schema": 1, "product": "Shop", "vision": "One tap.", "next_id": 4, "stories": [
  {"id": "S-1", "rank": "80", "title": "One", "epic": "Checkout", "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z"},
  {"id": "S-2", "rank": "7f80", "title": "Two", "points": 2.5, "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z"},
  {"id": "S-3", "rank": "8180", "title": "Three", "labels": ["a", "b"], "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z"}]}"#;
    vec![
        demo,
        store::to_json(&small).into_bytes(),
        schema_1.as_bytes().to_vec(),
        b"{\"schema\": 2}".to_vec(),
    ]
}

/// A valid undo history to start from, and the data file it belongs to.
fn history_seed(dir: &Path) -> (Vec<u8>, Vec<u8>) {
    let at = Utc.with_ymd_and_hms(2026, 11, 3, 8, 0, 0).unwrap();
    let mut b = backlog::cli::demo_backlog();
    let mut history = History::default();
    let before = Snapshot::take(&b, &[StoryId(3)], false);
    b.move_story(StoryId(3), Move::Top).unwrap();
    history.record("move S-3", at, before, &b);
    let new = StoryId(b.next_id());
    let before = Snapshot::take(&b, &[StoryId(5), new], false);
    b.split(StoryId(5), "Other half", &[0], at).unwrap();
    history.record(format!("split S-5 into {new}"), at, before, &b);
    let before = Snapshot::take(&b, &[StoryId(2)], true);
    b.remove_epic("Booking", &backlog::model::EpicStories::Unassign, at)
        .unwrap();
    history.record("delete epic Booking", at, before, &b);
    history.undo(&mut b).unwrap();
    let data = dir.join("seed.json");
    store::save_history(&data, &history).unwrap();
    let text = fs::read(store::history_path(&data)).unwrap();
    (text, store::to_json(&b).into_bytes())
}

/// Where in `bytes` each `"key": ` is followed by a value: the value's
/// start and end (for a string, its quotes included).
fn values_of(bytes: &[u8], key: &str) -> Vec<(usize, usize)> {
    let needle = format!("\"{key}\": ");
    let needle = needle.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = find(&bytes[from..], needle) {
        let start = from + at + needle.len();
        let end = match bytes.get(start) {
            Some(b'"') => find(&bytes[start + 1..], b"\"").map(|n| start + n + 2),
            Some(_) => bytes[start..]
                .iter()
                .position(|b| matches!(b, b',' | b'}' | b']' | b'\n'))
                .map(|n| start + n),
            None => None,
        };
        if let Some(end) = end {
            found.push((start, end));
        }
        from = start;
    }
    found
}

/// Where each JSON object in `bytes` starts and ends (its braces
/// included), outermost last; braces in strings are left alone.
fn objects_in(bytes: &[u8]) -> Vec<(usize, usize)> {
    let (mut open, mut found) = (Vec::new(), Vec::new());
    let (mut in_string, mut escaped) = (false, false);
    for (at, &byte) in bytes.iter().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' => open.push(at),
            b'}' => found.extend(open.pop().map(|start| (start, at + 1))),
            _ => {}
        }
    }
    found
}

/// The object `object` as an array of its values, in the order written:
/// what serde would read as the same struct, field by field.
fn as_array(object: &[u8]) -> Option<Vec<u8>> {
    struct Values(Vec<serde_json::Value>);
    impl<'de> serde::Deserialize<'de> for Values {
        fn deserialize<D: serde::Deserializer<'de>>(json: D) -> Result<Self, D::Error> {
            struct InOrder;
            impl<'de> serde::de::Visitor<'de> for InOrder {
                type Value = Values;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Values, A::Error> {
                    let mut values = Vec::new();
                    while let Some((_, value)) = map.next_entry::<String, serde_json::Value>()? {
                        values.push(value);
                    }
                    Ok(Values(values))
                }
            }
            json.deserialize_map(InOrder)
        }
    }
    let Values(values) = serde_json::from_slice(object).ok()?;
    serde_json::to_vec(&values).ok()
}

/// Write one object of `bytes` as an array of its values.
fn object_as_array(r: &mut Random, bytes: &mut Vec<u8>) {
    let objects = objects_in(bytes);
    if objects.is_empty() {
        return;
    }
    let (start, end) = *r.pick(&objects);
    if let Some(array) = as_array(&bytes[start..end]) {
        bytes.splice(start..end, array);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

const ODD_IDS: &[&str] = &[
    "\"S-0\"",
    "\"S-18446744073709551615\"",
    "\"S-18446744073709551616\"",
    "\"S-9223372036854775808\"",
    "\"s-1\"",
    "\"1\"",
    "\"S-01\"",
    "\"S-\"",
    "\"S--1\"",
    "\"S-1x\"",
    "\"\"",
    "\"S-\u{ff11}\"",
    "\"S-1\u{0}\"",
    "1",
    "null",
];

const ODD_RANKS: &[&str] = &[
    "\"\"",
    "\"0\"",
    "\"80\"",
    "\"a\u{e9}0\"",
    "\"\u{e9}80\"",
    "\"1080f\"",
    "\"1080\\u0000\"",
    "\"1080\u{0}\"",
    "\"FF80\"",
    "\"ff\"",
    "\"00\"",
    "\"0080\"",
    "\"000080\"",
    "\"ffffffffff80\"",
    "\"8080808080\"",
    "\"0x80\"",
    "\" 80\"",
    "\"\u{1f600}80\"",
    "80",
    "null",
];

const ODD_NUMBERS: &[&str] = &[
    "1e999",
    "-1e999",
    "18446744073709551615",
    "18446744073709551616",
    "-1",
    "0",
    "1.5e308",
    "99999999999999999999999999999999",
    "0.0000000000000000000001",
    "-0",
    "NaN",
    "1.7976931348623157e308",
    "4294967296",
    "2.5",
];

const ODD_VALUES: &[&str] = &[
    "null",
    "true",
    "[]",
    "{}",
    "\"\"",
    "0",
    "[null]",
    "{\"\": 1}",
    "\"x\"",
    "[[]]",
];

const ODD_BYTES: &[&[u8]] = &[
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xe2\x82",
    b"\xed\xa0\x80",
    b"\xef\xbb\xbf",
    b"\"",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"\\u",
    b"\\ud800",
    "\u{e9}".as_bytes(),
    "\u{202e}".as_bytes(),
    b"\n",
];

const NESTINGS: &[&[u8]] = &[b"[", b"{\"a\": "];

const PREFIXES: &[&[u8]] = &[b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"[", b" "];

/// Replace one `key`'s value with one of `choices`.
fn replace_value(r: &mut Random, bytes: &mut Vec<u8>, key: &str, choices: &[&str]) {
    let spots = values_of(bytes, key);
    if spots.is_empty() {
        return;
    }
    let (start, end) = *r.pick(&spots);
    let choice = r.pick(choices).as_bytes();
    bytes.splice(start..end, choice.iter().copied());
}

/// Damage `bytes` once, in one of many ways; `others` are for splicing.
fn damage(r: &mut Random, bytes: &mut Vec<u8>, others: &[Vec<u8>]) {
    let at = |r: &mut Random, bytes: &Vec<u8>| r.below(bytes.len() + 1);
    match r.below(17) {
        0 => {
            if !bytes.is_empty() {
                let i = r.below(bytes.len());
                bytes[i] ^= 1 << r.below(8);
            }
        }
        1 => {
            if !bytes.is_empty() {
                let i = r.below(bytes.len());
                bytes[i] = u8::try_from(r.below(256)).unwrap();
            }
        }
        2 => {
            let i = at(r, bytes);
            let insert = r.pick(ODD_BYTES).to_vec();
            bytes.splice(i..i, insert);
        }
        3 => {
            let i = at(r, bytes);
            let end = (i + 1 + r.below(64)).min(bytes.len());
            bytes.drain(i.min(end)..end);
        }
        4 => {
            // Splice a piece of another valid file in.
            let other = r.pick(others);
            let from = r.below(other.len());
            let piece = other[from..(from + 1 + r.below(400)).min(other.len())].to_vec();
            let i = at(r, bytes);
            let end = (i + r.below(200)).min(bytes.len());
            bytes.splice(i..end, piece);
        }
        5 => {
            // Deep nesting, up to far past serde's limit.
            let depth = *r.pick(&[127, 128, 129, 1000, 100_000]);
            let open = *r.pick(NESTINGS);
            let i = if r.chance(2) { 0 } else { at(r, bytes) };
            let nest: Vec<u8> = open.repeat(depth);
            bytes.splice(i..i, nest);
        }
        6 => {
            let key = *r.pick(&["schema", "next_id", "points", "max_points"]);
            replace_value(r, bytes, key, ODD_NUMBERS);
        }
        7 => {
            let key = *r.pick(&["id", "split_from"]);
            replace_value(r, bytes, key, ODD_IDS);
        }
        8 => {
            // The id of one story given to another.
            let ids = values_of(bytes, "id");
            if ids.len() >= 2 {
                let (from, to) = (*r.pick(&ids), *r.pick(&ids));
                let id = bytes[from.0..from.1].to_vec();
                bytes.splice(to.0..to.1, id);
            }
        }
        9 => replace_value(r, bytes, "rank", ODD_RANKS),
        10 => {
            let key = *r.pick(&[
                "rank", "title", "stories", "epics", "settings", "status", "epic", "labels",
                "comments", "created", "history", "undo", "product", "color", "goals", "scale",
            ]);
            replace_value(r, bytes, key, ODD_VALUES);
        }
        11 => {
            let key = *r.pick(&["rank", "title", "description", "name"]);
            let long = format!("\"{}\"", "8".repeat(r.below(5000) * 2) + "80");
            replace_value(r, bytes, key, &[&long]);
        }
        12 => bytes.truncate(at(r, bytes)),
        13 => {
            let prefix = *r.pick(PREFIXES);
            bytes.splice(0..0, prefix.iter().copied());
        }
        14 => {
            // The whole file as UTF-16.
            let text = String::from_utf8_lossy(bytes).into_owned();
            *bytes = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        }
        15 => object_as_array(r, bytes),
        _ => {
            // A key the format does not have, or one twice.
            let key = *r.pick(&[
                "\"extra\": 1, ",
                "\"schema\": 2, ",
                "\"stories\": [], ",
                "\"id\": \"S-1\", ",
            ]);
            if let Some(i) = bytes.iter().position(|&b| b == b'{') {
                let at = i + 1 + usize::from(r.chance(2)) * r.below(bytes.len() - i);
                let at = at.min(bytes.len());
                bytes.splice(at..at, key.bytes());
            }
        }
    }
}

/// A damaged copy of one of `seeds`.
fn damaged(r: &mut Random, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = r.pick(seeds).clone();
    for _ in 0..=r.below(3) {
        damage(r, &mut bytes, seeds);
    }
    bytes
}

/// A run of any size both loads and refuses some: damage that always
/// broke the file, or never did, would test little.
fn assert_damage_varies(loaded: u64, refused: u64) {
    if loaded + refused >= 100 {
        assert!(
            loaded > 0 && refused > 0,
            "{loaded} loaded, {refused} refused"
        );
    }
}

/// Keep a failing input where it can be looked at, and say where.
fn keep(bytes: &[u8], seed: u64, case: u64) -> PathBuf {
    let kept = std::env::temp_dir().join(format!("backlog-fuzz-{seed:x}-{case}.json"));
    fs::write(&kept, bytes).unwrap();
    kept
}

/// Run `f`, turning a panic into a failure that names the case.
fn without_panic<T>(seed: u64, case: u64, bytes: &[u8], what: &str, f: impl FnOnce() -> T) -> T {
    panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        panic!(
            "{what} panicked on case {case} (BACKLOG_FUZZ_SEED={seed:#x} BACKLOG_FUZZ_CASE={case}); input kept in {}",
            keep(bytes, seed, case).display()
        )
    })
}

#[test]
fn damaged_data_files_load_or_are_refused_by_name_and_are_never_written() {
    let (seed, cases) = plan("data files");
    let seeds = data_seeds();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    let name = path.display().to_string();
    let (mut loaded, mut refused) = (0u64, 0u64);
    for case in cases {
        let mut r = Random::for_case(seed, case);
        let bytes = damaged(&mut r, &seeds);
        fs::write(&path, &bytes).unwrap();
        let fail = |problem: String| -> ! {
            panic!(
                "case {case} (BACKLOG_FUZZ_SEED={seed:#x} BACKLOG_FUZZ_CASE={case}): {problem}; input kept in {}",
                keep(&bytes, seed, case).display()
            )
        };
        let load = without_panic(seed, case, &bytes, "store::load", || store::load(&path));
        let session = without_panic(seed, case, &bytes, "Session::open", || {
            store::Session::open(&path).map(|(_, backlog)| backlog)
        });
        let failed_update = without_panic(seed, case, &bytes, "store::update", || {
            store::update(&path, |_| -> anyhow::Result<()> {
                anyhow::bail!("the change fails")
            })
        });
        match (&load, &session) {
            (Ok(file), Ok(backlog)) => {
                loaded += 1;
                if file.backlog != *backlog {
                    fail("load and Session::open read it differently".into());
                }
                // What loads saves as it loaded: saving changes nothing
                // the user did not change.
                let again = without_panic(seed, case, &bytes, "a round trip", || {
                    store::from_json(&store::to_json(backlog))
                });
                if again.as_ref() != Ok(backlog) {
                    fail(format!("it does not read back as saved: {again:?}"));
                }
                if failed_update.map(drop).map_err(|e| e.to_string())
                    != Err("the change fails".into())
                {
                    fail("an update whose change failed did not fail with it".into());
                }
            }
            (Err(load), Err(session)) => {
                refused += 1;
                for error in [load, session] {
                    let message = format!("{error:#}");
                    if !message.contains(&name) {
                        fail(format!("the message does not name the file: {message}"));
                    }
                }
                if failed_update.is_ok() {
                    fail("update went ahead on a file that does not load".into());
                }
            }
            _ => fail(format!(
                "load and Session::open disagree: {:?} / {:?}",
                load.as_ref().map(drop),
                session.as_ref().map(drop)
            )),
        }
        if fs::read(&path).unwrap() != bytes {
            fail("the file was written to".into());
        }
    }
    eprintln!("{loaded} loaded, {refused} refused");
    assert_damage_varies(loaded, refused);
}

#[test]
fn damaged_undo_histories_load_or_are_refused_by_name_and_are_never_written() {
    let (seed, cases) = plan("undo histories");
    let dir = tempfile::tempdir().unwrap();
    let (history, data) = history_seed(dir.path());
    let path = dir.path().join("backlog.json");
    fs::write(&path, &data).unwrap();
    let file = store::history_path(&path);
    let name = file.display().to_string();
    let seeds = [history, b"{\"schema\": 1, \"history\": {}}".to_vec()];
    let (mut loaded, mut refused) = (0u64, 0u64);
    for case in cases {
        let mut r = Random::for_case(seed, case);
        let bytes = damaged(&mut r, &seeds);
        fs::write(&file, &bytes).unwrap();
        let fail = |problem: String| -> ! {
            panic!(
                "case {case} (BACKLOG_FUZZ_SEED={seed:#x} BACKLOG_FUZZ_CASE={case}): {problem}; input kept in {}",
                keep(&bytes, seed, case).display()
            )
        };
        match without_panic(seed, case, &bytes, "store::load_history", || {
            store::load_history(&path)
        }) {
            Ok(_) => loaded += 1,
            Err(error) => {
                refused += 1;
                let message = format!("{error:#}");
                if !message.contains(&name) {
                    fail(format!("the message does not name the file: {message}"));
                }
            }
        }
        if fs::read(&file).unwrap() != bytes {
            fail("the history file was written to".into());
        }
    }
    assert_eq!(
        fs::read(&path).unwrap(),
        data,
        "the data file was written to"
    );
    eprintln!("{loaded} loaded, {refused} refused");
    assert_damage_varies(loaded, refused);
}

/// serde reads a struct from an array of its fields' values as readily as
/// from an object. Each object in each valid file, written so, makes a
/// file nobody wrote: refused, with the file's name and the place, and
/// left as it was.
#[test]
fn each_object_written_as_an_array_of_its_values_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (history, data) = history_seed(dir.path());
    let path = dir.path().join("backlog.json");
    let history_file = store::history_path(&path);
    let mut files = data_seeds();
    files.push(data.clone());
    let load_data = || store::load(&path).map(drop);
    let load_history = || store::load_history(&path).map(drop);
    let mut cases = 0;
    for (seeds, file, load) in [
        (&files, &path, &load_data as &dyn Fn() -> anyhow::Result<()>),
        (&vec![history], &history_file, &load_history),
    ] {
        fs::write(&path, &data).unwrap();
        for seed in seeds {
            for (start, end) in objects_in(seed) {
                let mut bytes = seed.clone();
                bytes.splice(start..end, as_array(&seed[start..end]).unwrap());
                fs::write(file, &bytes).unwrap();
                let error = format!("{:#}", load().unwrap_err());
                let text = String::from_utf8_lossy(&bytes);
                for part in [
                    &file.display().to_string(),
                    "expected a JSON object",
                    " column ",
                ] {
                    assert!(
                        error.contains(part),
                        "{error}\nlacks {part:?}, for:\n{text}"
                    );
                }
                assert_eq!(fs::read(file).unwrap(), bytes);
                cases += 1;
            }
        }
    }
    eprintln!("{cases} objects written as arrays, each refused");
    assert!(cases > 100, "{cases}");
}
