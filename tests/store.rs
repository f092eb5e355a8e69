//! The data file: round trip, layout, atomic replace, refusal of bad files,
//! and writers that never lose each other's changes.
//!
//! The writers' test runs in `cargo test` on a file that starts empty,
//! and, ignored, on one of 100,000 stories, the scale issue's size:
//! `cargo test --release --test store -- --ignored writers`. There
//! `BACKLOG_WRITERS_STORIES` sets the stories the file starts with. A
//! debug build takes seconds for each write at that size, so `cargo test`
//! could not afford it.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use backlog::model::{
    Backlog, Comment, Criterion, EpicStories, History, Move, Placement, Points, Snapshot, Stamp,
    Status, StoryId, StoryPatch,
};
use backlog::store::{self, Fingerprint};
use chrono::{TimeZone, Utc};

fn sample() -> Backlog {
    let now = Utc.with_ymd_and_hms(2026, 11, 2, 10, 30, 0).unwrap();
    let mut b = Backlog::new("Shop");
    b.product.vision = "Everyone pays in one tap.".into();
    for i in 1..=11 {
        let patch = StoryPatch {
            title: Some(format!("Story {i}")),
            points: Some(Some(Points::new(f64::from(i % 4) + 0.5).unwrap())),
            add_labels: vec!["ux".into()],
            add_criteria: vec![format!("criterion {i}")],
            ..StoryPatch::default()
        };
        b.add(&patch, Placement::Bottom, now).unwrap();
    }
    b.move_story(StoryId(11), Move::Top).unwrap();
    b.edit(
        StoryId(2),
        &StoryPatch {
            status: Some(Status::InProgress),
            epic: Some(Some("Checkout".into())),
            new_epic: true,
            ..StoryPatch::default()
        },
        now,
    )
    .unwrap();
    b
}

#[test]
fn save_then_load_gives_the_same_backlog() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/backlog.json");
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let b = sample();
    store::save(&path, &b).unwrap();
    let loaded = store::load(&path).unwrap();
    assert_eq!(loaded.backlog, b);
    assert_eq!(loaded.fingerprint, Fingerprint::of(&path).unwrap());
    let ranked: Vec<u64> = loaded.backlog.ranked().map(|s| s.id.0).collect();
    assert_eq!(ranked[0], 11);
    let criteria = &loaded.backlog.get(StoryId(3)).unwrap().acceptance_criteria;
    assert_eq!(
        criteria,
        &[Criterion {
            text: "criterion 3".into(),
            done: false
        }]
    );
}

#[test]
fn the_file_is_pretty_stable_and_sorted_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    store::save(&path, &sample()).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    let head = format!(
        "{{\n  \"schema\": {},\n  \"product\": \"Shop\",\n",
        store::SCHEMA
    );
    assert!(text.starts_with(&head), "{text}");
    assert!(text.ends_with("}\n"));
    let ids: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("\"id\": \""))
        .map(|l| l.trim_end_matches("\","))
        .collect();
    let expected: Vec<String> = (1..=11).map(|i| format!("S-{i}")).collect();
    assert_eq!(ids, expected, "S-2 before S-10, whatever the rank order");
    // Field order is fixed.
    let fields: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.contains("\"id\": \"S-1\""))
        .take_while(|l| !l.starts_with("    }"))
        // A story's own fields are indented six spaces.
        .filter_map(|l| l.strip_prefix("      \"")?.split('"').next())
        .collect();
    assert_eq!(
        fields,
        [
            "id",
            "rank",
            "title",
            "as_a",
            "i_want",
            "so_that",
            "description",
            "acceptance_criteria",
            "points",
            "status",
            "labels",
            "epic",
            "created",
            "updated"
        ]
    );
    // Saving the same backlog twice writes the same bytes.
    store::save(&path, &store::load(&path).unwrap().backlog).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn save_replaces_atomically_and_leaves_no_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    fs::write(&path, "old").unwrap();
    // A reader holding the old file keeps seeing the old bytes: the save is
    // a rename over it, not a rewrite in place.
    let held = fs::File::open(&path).unwrap();
    store::save(&path, &sample()).unwrap();
    let mut old = String::new();
    std::io::Read::read_to_string(&mut &held, &mut old).unwrap();
    assert_eq!(old, "old");
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["backlog.json"]);
}

#[test]
fn a_missing_file_is_an_empty_backlog_and_is_not_created_by_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    let loaded = store::load(&path).unwrap();
    assert!(loaded.backlog.is_empty());
    assert_eq!(loaded.fingerprint, None);
    assert!(!path.exists());
}

fn assert_refused(text: &str, expected: &[&str]) {
    assert_bytes_refused(text.as_bytes(), expected);
}

fn assert_bytes_refused(bytes: &[u8], expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    fs::write(&path, bytes).unwrap();
    let error = format!("{:#}", store::load(&path).unwrap_err());
    assert!(error.contains(&path.display().to_string()), "{error}");
    for part in expected {
        assert!(error.contains(part), "{error:?} lacks {part:?}");
    }
    // A writer that reads first must also refuse, and leave the bytes.
    assert!(store::update(&path, |_| Ok(())).is_err());
    assert!(store::Session::open(&path).is_err());
    assert_eq!(fs::read(&path).unwrap(), bytes);
}

#[test]
fn a_file_that_is_not_utf8_is_refused_at_its_first_bad_byte() {
    let text = store::to_json(&sample());
    let at = text.find("Story 7").unwrap() + 6;
    let line = text[..at].lines().count();
    let column = at - text[..at].rfind('\n').unwrap();
    for bad in [&[0xff][..], &[0xc3, 0x28], &[0xe2, 0x82]] {
        let mut bytes = text.as_bytes().to_vec();
        bytes.splice(at..at, bad.iter().copied());
        assert_bytes_refused(
            &bytes,
            &[&format!(
                "is not UTF-8 at byte offset {at} (line {line} column {column}); save it as UTF-8"
            )],
        );
    }
    // Cut short in the middle of a character, at the very end.
    let mut bytes = text.as_bytes().to_vec();
    bytes.extend_from_slice(&[0xe2, 0x82]);
    assert_bytes_refused(&bytes, &[&format!("at byte offset {}", text.len())]);
}

#[test]
fn a_utf16_file_is_refused_as_utf16() {
    let text = store::to_json(&sample());
    let little: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let big: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let sign = "it starts with a UTF-16 byte-order mark";
    let mut with_mark = vec![0xff, 0xfe];
    with_mark.extend_from_slice(&little);
    assert_bytes_refused(&with_mark, &["is UTF-16 (", sign, "); save it as UTF-8"]);
    let mut with_mark = vec![0xfe, 0xff];
    with_mark.extend_from_slice(&big);
    assert_bytes_refused(&with_mark, &["is UTF-16", sign]);
    for bytes in [little, big] {
        assert_bytes_refused(
            &bytes,
            &["is UTF-16 (every other byte is zero); save it as UTF-8"],
        );
    }
}

#[test]
fn a_save_writes_byte_for_byte_what_to_json_makes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    let mut b = sample();
    // Escapes, text beyond ASCII, and a story longer than the buffer the
    // text is streamed through.
    let description =
        "Quotes \" and \\ back, tabs\t, \u{1b}[31m, caf\u{e9} \u{1f600}\n".repeat(20_000);
    b.edit(
        StoryId(4),
        &StoryPatch {
            description: Some(description),
            ..StoryPatch::default()
        },
        Utc.with_ymd_and_hms(2026, 11, 2, 11, 0, 0).unwrap(),
    )
    .unwrap();
    let fingerprint = store::save(&path, &b).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), store::to_json(&b));
    assert_eq!(Some(fingerprint), Fingerprint::of(&path).unwrap());
    let mut streamed = Vec::new();
    store::write_json(&b, &mut streamed).unwrap();
    assert_eq!(streamed, store::to_json(&b).into_bytes());
}

/// A CLI write makes again only the stories it changed: the others go
/// back as the file spelled them. A file backlog wrote comes out as a
/// whole save would write it.
#[test]
fn a_cli_write_writes_unchanged_stories_back_as_they_were_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    store::save(&path, &sample()).unwrap();
    let when = Utc.with_ymd_and_hms(2026, 11, 3, 9, 0, 0).unwrap();
    let retitle = |b: &mut Backlog, id: u64, title: &str| {
        let patch = StoryPatch {
            title: Some(title.into()),
            ..StoryPatch::default()
        };
        b.edit(StoryId(id), &patch, when)
            .map_err(anyhow::Error::from)
    };
    store::update(&path, |b| retitle(b, 5, "Five, renamed")).unwrap();
    let written = fs::read_to_string(&path).unwrap();
    let loaded = store::load(&path).unwrap().backlog;
    assert_eq!(loaded.get(StoryId(5)).unwrap().title, "Five, renamed");
    assert_eq!(written, store::to_json(&loaded));

    // Story 7 spelled by hand on one line: still the same story, so it
    // stays so, while story 3, changed, is written in the file's layout.
    let story_7 = serde_json::to_string(loaded.get(StoryId(7)).unwrap()).unwrap();
    let pretty_7 = serde_json::to_string_pretty(loaded.get(StoryId(7)).unwrap())
        .unwrap()
        .replace('\n', "\n    ");
    assert!(
        written.contains(&pretty_7),
        "story 7 as written:\n{written}"
    );
    fs::write(&path, written.replace(&pretty_7, &story_7)).unwrap();
    store::update(&path, |b| retitle(b, 3, "Three, renamed")).unwrap();
    let written = fs::read_to_string(&path).unwrap();
    assert!(written.contains(&story_7), "story 7 kept as spelled");
    let mut expected = loaded;
    retitle(&mut expected, 3, "Three, renamed").unwrap();
    assert_eq!(store::load(&path).unwrap().backlog, expected);
    assert_eq!(
        written.replace(&story_7, &pretty_7),
        store::to_json(&expected)
    );
}

/// What reading a file folds (here one label spelled twice on a story)
/// changes the story, so it is written anew, not as it was read.
#[test]
fn a_story_reading_folded_is_written_anew_by_a_cli_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    let text = store::to_json(&sample());
    let doubled = text.replacen(
        "\"labels\": [\n        \"ux\"\n      ]",
        "\"labels\": [\n        \"ux\",\n        \"UX\"\n      ]",
        1,
    );
    assert_ne!(doubled, text, "the sample has a story labelled ux");
    fs::write(&path, &doubled).unwrap();
    store::update(&path, |b| {
        b.move_story(StoryId(9), Move::Top)?;
        Ok(())
    })
    .unwrap();
    let written = fs::read_to_string(&path).unwrap();
    assert!(!written.contains("\"UX\""), "the label folded:\n{written}");
    assert_eq!(
        written,
        store::to_json(&store::load(&path).unwrap().backlog)
    );
}

/// Past a few thousand stories they are read on more than one thread; a
/// story that does not read is still reported where it is in the file,
/// the first one in the file when there are two.
#[test]
fn a_bad_story_in_a_large_file_is_reported_where_it_is() {
    let b = many(9_000);
    let text = store::to_json(&b);
    let spoil = |text: &str, id: u64| {
        let at = text.find(&format!("\"id\": \"S-{id}\"")).unwrap();
        let mut spoiled = text.to_string();
        spoiled.insert_str(at, "\"colour\": 1, ");
        let before = &spoiled[..at];
        let line = before.matches('\n').count() + 1;
        // serde places an unknown field at its closing quote.
        let column = at - before.rfind('\n').unwrap() + "\"colour".len();
        (spoiled, format!("line {line} column {column}"))
    };
    let (late, late_place) = spoil(&text, 8_000);
    let message = store::from_json(&late).unwrap_err();
    assert!(
        message.starts_with("unknown field `colour`") && message.ends_with(&late_place),
        "{message} (expected at {late_place})"
    );
    let (both, early_place) = spoil(&late, 3_000);
    let message = store::from_json(&both).unwrap_err();
    assert!(
        message.ends_with(&early_place),
        "{message} (expected at {early_place})"
    );

    // A story that is not an object, placed on its own first line.
    let at = text.find("\"id\": \"S-6000\"").unwrap();
    let brace = text[..at].rfind('{').unwrap();
    let mut spoiled = text.clone();
    spoiled.insert_str(brace, "7, ");
    let (line, column) = (
        text[..brace].matches('\n').count() + 1,
        brace - text[..brace].rfind('\n').unwrap(),
    );
    let message = store::from_json(&spoiled).unwrap_err();
    assert_eq!(
        message,
        format!(
            "invalid type: integer `7`, expected a JSON object ({{ … }}) at line {line} column {column}"
        )
    );
}

/// The TUI shows how far its read of the file has got, from another
/// thread: the read counts as it goes, on each thread it parses on, to a
/// hundred percent once the backlog is read.
#[test]
fn a_session_counts_how_far_its_read_has_got() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    let reading = Arc::new(store::Reading::default());
    let (_, read) = store::Session::open_reporting(&path, &reading).unwrap();
    assert!(read.is_empty());
    assert_eq!(reading.percent(), None, "no file, nothing to count");

    // Enough to be parsed on more than one thread.
    let b = many(9_000);
    store::save(&path, &b).unwrap();
    let reading = Arc::new(store::Reading::default());
    let (_, read) = store::Session::open_reporting(&path, &reading).unwrap();
    assert_eq!(read, b);
    assert_eq!(reading.percent(), Some(100));

    // A file that does not parse is refused in the same words.
    let text = fs::read_to_string(&path)
        .unwrap()
        .replacen("\"Story 5 of many\"", "5", 1);
    fs::write(&path, &text).unwrap();
    let reporting = store::Session::open_reporting(&path, &Arc::default());
    let refused = format!("{:#}", store::Session::open(&path).err().unwrap());
    assert!(
        refused.contains(&format!("cannot read {}", path.display()))
            && refused.contains("line ")
            && refused.contains("column "),
        "{refused}"
    );
    assert_eq!(
        format!("{:#}", reporting.err().unwrap()),
        format!("{:#}", store::Session::open(&path).err().unwrap())
    );
    assert_eq!(
        format!("{:#}", store::load(&path).unwrap_err()),
        format!("{:#}", store::Session::open(&path).err().unwrap())
    );
}

#[test]
fn a_utf8_byte_order_mark_is_read_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    let b = sample();
    let text = store::to_json(&b);
    fs::write(&path, format!("\u{feff}{text}")).unwrap();
    assert_eq!(store::load(&path).unwrap().backlog, b);
    store::update(&path, |b| {
        Ok(b.add(&StoryPatch::title("Twelve"), Placement::Bottom, Utc::now())?)
    })
    .unwrap();
    let saved = fs::read_to_string(&path).unwrap();
    let after = store::load(&path).unwrap().backlog;
    assert_eq!(saved, format!("\u{feff}{}", store::to_json(&after)));
    // The TUI's session sees its own save as its own, mark and all.
    let (mut session, mut ours) = store::Session::open(&path).unwrap();
    ours.remove(StoryId(12)).unwrap();
    assert_eq!(session.save(&ours), store::Outcome::Saved);
    // Touched, the file is read again, and its text, mark left out, is
    // what the session wrote.
    let touched = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(touched)
        .unwrap();
    assert_eq!(session.reload_if_changed(), store::Outcome::Unchanged);
    ours.remove(StoryId(11)).unwrap();
    assert_eq!(session.save(&ours), store::Outcome::Saved);
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        format!("\u{feff}{}", store::to_json(&ours))
    );
    // A mark in the middle is no mark: the parser refuses it, placed.
    assert_refused(&text.replacen('{', "{\u{feff}", 1), &["line 1 column"]);
}

#[test]
fn a_directory_in_place_of_the_file_is_named_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    fs::create_dir(&path).unwrap();
    for error in [
        store::load(&path).unwrap_err(),
        store::update(&path, |_| Ok(())).unwrap_err(),
        store::Session::open(&path).map(drop).unwrap_err(),
    ] {
        let error = format!("{error:#}");
        assert!(
            error.contains(&format!("{} is a directory", path.display())),
            "{error}"
        );
    }
    assert!(fs::read_dir(&path).unwrap().next().is_none());
}

#[cfg(unix)]
#[test]
fn no_lock_is_made_beside_a_directory_or_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("somedir");
    fs::create_dir(&folder).unwrap();
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    for (path, what) in [
        (&folder, "is a directory, not a backlog file"),
        (&fifo, "is not a regular file"),
    ] {
        let expected = format!("{} {what}", path.display());
        let out = backlog_on(path, &["add", "x"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(&expected), "{stderr}");
        let error = format!("{:#}", store::Lock::acquire(path).unwrap_err());
        assert!(error.contains(&expected), "{error}");
    }
    assert_eq!(names_in(dir.path()), ["fifo", "somedir"]);
}

#[test]
fn corrupt_files_are_refused_with_line_and_column_and_left_untouched() {
    assert_refused("{\n  \"schema\": 1,,\n}", &["line 2 column"]);
    assert_refused("", &["line 1 column 0"]);
    assert_refused(
        "{\"schema\": 1, \"stories\": [{\"id\": \"S-1\", \"rank\": \"80\", \"title\": \"t\"}]}",
        &["missing field `created`", "line 1"],
    );
    assert_refused(
        "{\"schema\": 1,\n \"stories\": [{\"id\": \"S-1\", \"rank\": \"zz\", \"title\": \"t\"}]}",
        &["invalid rank key", "line 2"],
    );
    assert_refused("{\"schema\": 1, \"extra\": 1}", &["unknown field `extra`"]);
    let newer = store::SCHEMA + 1;
    assert_refused(
        &format!("{{\"schema\": {newer}}}"),
        &[&format!("schema {newer}"), "newer backlog"],
    );
}

/// The demo backlog's text with its first rank key replaced by `key`,
/// and the line and column serde reports for a bad value there.
fn demo_with_first_rank(key: &str) -> (String, String) {
    let text = store::to_json(&backlog::cli::demo_backlog());
    let at = text.find("\"rank\": \"").unwrap();
    let end = at + 9 + text[at + 9..].find('"').unwrap();
    let changed = format!(
        "{}\"rank\": {}{}",
        &text[..at],
        serde_json::json!(key),
        &text[end + 1..]
    );
    let line = text[..at].lines().count();
    (changed, format!("line {line} column"))
}

#[test]
fn a_rank_key_with_a_multi_byte_character_is_refused_with_its_place() {
    let (text, place) = demo_with_first_rank("a\u{e9}0");
    assert_refused(&text, &["invalid rank key \"a\u{e9}0\"", &place]);
    // The binary says so and exits 1, not 101 with a backtrace.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    fs::write(&path, &text).unwrap();
    for args in [&["list"][..], &["add", "x"]] {
        let out = assert_cmd::Command::cargo_bin("backlog")
            .unwrap()
            .arg("--file")
            .arg(&path)
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(&path.display().to_string()), "{stderr}");
        assert!(stderr.contains(&place), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn rank_keys_that_are_not_even_length_lowercase_hex_are_refused_not_trimmed() {
    for key in ["1080f", "1080\u{0}", "1081", "10A080", ""] {
        let (text, place) = demo_with_first_rank(key);
        assert_refused(&text, &["invalid rank key", &place]);
    }
}

#[test]
fn duplicate_ids_are_refused_at_the_second_one() {
    let b = sample();
    let text = store::to_json(&b).replace("\"id\": \"S-3\"", "\"id\": \"S-2\"");
    let line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("\"id\": \"S-2\""))
        .nth(1)
        .unwrap()
        .0
        + 1;
    assert_refused(
        &text,
        &[
            "story S-2 appears twice",
            &format!("again at line {line} column 13"),
        ],
    );
    // An id written another way that reads the same is the same id, and
    // text that only looks like an id is no story's.
    let text = store::to_json(&b)
        .replace(
            "\"title\": \"Story 1\"",
            "\"title\": \"\\\"id\\\": \\\"S-4\\\"\"",
        )
        .replace("\"id\": \"S-5\"", "\"id\" :\"4\"");
    let line = text
        .lines()
        .position(|l| l.contains("\"id\" :\"4\""))
        .unwrap()
        + 1;
    assert_refused(
        &text,
        &[
            "story S-4 appears twice",
            &format!("again at line {line} column 13"),
        ],
    );
}

#[test]
fn an_epic_named_twice_is_refused_at_the_second_one() {
    let b = sample();
    let text = store::to_json(&b).replacen(
        "\"epics\": [\n",
        "\"epics\": [\n    {\"name\": \"Checkout\", \"color\": \"red\"},\n",
        1,
    );
    let second = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("\"name\": \"Checkout\""))
        .nth(1)
        .unwrap()
        .0
        + 1;
    assert_refused(
        &text,
        &[
            "epic \"Checkout\" appears twice",
            &format!("again at line {second} column 15"),
        ],
    );
}

#[test]
fn a_file_that_is_not_a_json_object_is_refused_with_its_place() {
    assert_refused(
        "[2]",
        &[
            "expected a JSON object",
            "line 1 column 1",
            "found an array",
        ],
    );
    assert_refused(
        "\n  [{\"schema\": 2}]",
        &[
            "expected a JSON object",
            "line 2 column 3",
            "found an array",
        ],
    );
    assert_refused("2", &["line 1 column 1", "found a number"]);
    assert_refused("\"backlog\"", &["line 1 column 1", "found a string"]);
    assert_refused("null", &["line 1 column 1", "found null"]);
    assert_refused("[1, 2", &["line 1 column 5"]);
}

/// Where `serde_json` places a value that starts with `value`, the first
/// time it is in `text`: its line, and its column counted as `serde_json`
/// counts it (the bytes before it on its line).
fn place_of(text: &str, value: &str) -> String {
    let at = text.find(value).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let column = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    format!("line {line} column {column}")
}

/// serde reads a struct from an array of its fields' values as readily
/// as from an object: each of these would load, and be written back as
/// objects by the next save. Every struct in the file is read from a JSON
/// object only, and anything else is refused at its place.
#[test]
fn a_struct_written_as_an_array_is_refused_with_its_place() {
    const AT: &str = "\"2026-01-01T00:00:00Z\"";
    let story = |fields: &str| {
        format!(
            "{{\"schema\": 2, \"next_id\": 2, \"stories\": [\n  {{\"id\": \"S-1\", \"rank\": \"80\", \
             \"title\": \"t\", \"created\": {AT}, \"updated\": {AT}{fields}}}]}}"
        )
    };
    // Each file, and where in it the array stands for a struct.
    let cases = [
        ("{\"schema\": 2, \"settings\": []}".to_string(), "[]"),
        (
            "{\"schema\": 2, \"epics\": [[\"A\", \"red\"]]}".into(),
            "[\"A\"",
        ),
        (
            "{\"schema\": 2, \"settings\": {\"ready\": [true, true, true, true, 13, true]}}".into(),
            "[true",
        ),
        (
            format!(
                "{{\"schema\": 2, \"next_id\": 2, \"stories\": [\n  [\"S-1\", \"80\", \"t\", \"\", \"\", \"\", \
                 \"\", [], null, \"draft\", [], null, {AT}, {AT}]]}}"
            ),
            "[\"S-1\"",
        ),
        (
            story(", \"acceptance_criteria\": [[\"Pays\", false]]"),
            "[\"Pays\"",
        ),
        (
            story(&format!(", \"comments\": [[{AT}, \"po\", \"Why?\"]]")),
            "[\"2026",
        ),
        (
            story(&format!(
                ", \"comments\": [{{\"at\": {AT}, \"author\": \"po\", \"text\": \"Why?\", \
                 \"question\": true, \"resolved\": [{AT}, \"po\"]}}]"
            )),
            "[\"2026",
        ),
        (
            story(&format!(", \"ready_override\": [{AT}, \"po\", []]")),
            "[\"2026",
        ),
    ];
    for (text, array) in cases {
        assert_refused(
            &text,
            &[
                "invalid type: sequence, expected a JSON object ({ … })",
                &place_of(&text, array),
            ],
        );
    }
}

#[test]
fn an_undo_history_written_as_arrays_is_refused_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    let history_file = store::history_path(&path);
    for (text, array) in [
        ("{\"schema\": 1, \"history\": [[], []]}", "[["),
        (
            "{\"schema\": 1, \"history\": {\"undo\": [{\"label\": \"move S-1\", \
             \"at\": \"2026-01-01T00:00:00Z\", \"before\": [null, []], \"after\": {}}]}}",
            "[null",
        ),
    ] {
        fs::write(&history_file, text).unwrap();
        let error = format!("{:#}", store::load_history(&path).unwrap_err());
        assert!(error.contains("expected a JSON object"), "{error}");
        assert!(error.contains(&place_of(text, array)), "{error}");
        assert_eq!(fs::read_to_string(&history_file).unwrap(), text);
    }
}

fn add_many(path: &Path, writer: usize, count: usize) {
    for i in 0..count {
        store::update(path, |b| {
            Ok(b.add(
                &StoryPatch::title(format!("writer {writer} story {i}")),
                Placement::Bottom,
                Utc::now(),
            )?)
        })
        .unwrap();
    }
}

#[test]
fn concurrent_writers_under_the_lock_lose_nothing() {
    writers_lose_nothing(0);
}

#[test]
#[ignore = "takes minutes: cargo test --release --test store -- --ignored writers"]
fn concurrent_writers_at_100k_stories_lose_nothing() {
    let stories = std::env::var("BACKLOG_WRITERS_STORIES").map_or(100_000, |n| {
        n.parse()
            .expect("BACKLOG_WRITERS_STORIES is a number of stories")
    });
    writers_lose_nothing(stories);
}

/// Four writers add fifteen stories each, at once, to a file of
/// `stories` stories: every one of them is there after, and no id was
/// given twice.
fn writers_lose_nothing(stories: usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    if stories > 0 {
        store::save(&path, &many(stories)).unwrap();
    }
    let size = fs::metadata(&path).map_or(0, |m| m.len());
    let started = std::time::Instant::now();
    std::thread::scope(|scope| {
        for writer in 0..4 {
            let path = &path;
            scope.spawn(move || add_many(path, writer, 15));
        }
    });
    println!(
        "60 writes on {stories} stories ({size} bytes) took {:.1?}",
        started.elapsed()
    );
    let b = store::load(&path).unwrap().backlog;
    assert_eq!(b.len(), stories + 60);
    assert_eq!(b.next_id(), u64::try_from(stories).unwrap() + 61);
    let titles: std::collections::HashSet<&str> =
        b.ranked().map(|story| story.title.as_str()).collect();
    for writer in 0..4 {
        for i in 0..15 {
            let title = format!("writer {writer} story {i}");
            assert!(titles.contains(title.as_str()), "{title} is lost");
        }
    }
}

/// A backlog of `n` stories, each with a user story, a description and a
/// criterion: about a kilobyte each once saved.
fn many(n: usize) -> Backlog {
    let now = Utc.with_ymd_and_hms(2026, 11, 2, 10, 30, 0).unwrap();
    let mut b = Backlog::new("Many");
    for i in 1..=n {
        let patch = StoryPatch {
            title: Some(format!("Story {i} of many")),
            as_a: Some("studio member".into()),
            i_want: Some(format!("to book class {i} from the timetable")),
            so_that: Some("I never miss a session I paid for".into()),
            description: Some(format!(
                "Members book class {i} from the weekly timetable. The booking shows in \
                 their calendar, and a reminder goes out the day before.\n\n- the class \
                 and its teacher\n- the room, with a map\n- what to bring: an apron, \
                 and clay if the studio has none left"
            )),
            points: Some(Some(
                Points::new(f64::from(u32::try_from(i % 8).unwrap())).unwrap(),
            )),
            add_labels: vec!["booking".into()],
            add_criteria: vec![format!("Class {i} shows in the member's calendar")],
            ..StoryPatch::default()
        };
        b.add(&patch, Placement::Bottom, now).unwrap();
    }
    b
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// Write every kind of file kept beside the data file at `path`, and
/// return them: the undo history, a conflict file, a recovery file, a kept
/// story document, and the lock.
#[cfg(unix)]
fn files_beside(path: &Path) -> Vec<std::path::PathBuf> {
    let mut b = sample();
    store::save_history(path, &some_history(&mut b)).unwrap();
    let base = store::load(path).unwrap().backlog;
    let merged = backlog::model::merge(&base, &b, &base);
    drop(store::Lock::acquire(path).unwrap());
    vec![
        store::history_path(path),
        store::write_conflicts(path, &merged).unwrap(),
        store::write_recovery(path, &b).unwrap(),
        store::write_unsaved_text(path, "S-3", "# Story 3\n").unwrap(),
        store::lock_path(path),
    ]
}

#[cfg(unix)]
#[test]
fn every_file_beside_the_data_file_takes_its_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    store::save(&path, &sample()).unwrap();
    assert_eq!(mode(&path), 0o600, "a new data file is its owner's only");
    for file in files_beside(&path) {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    // Shared with the team, so are its copies; a replaced file keeps it.
    set_mode(&path, 0o640);
    store::save(&path, &sample()).unwrap();
    assert_eq!(mode(&path), 0o640, "a replaced file keeps its mode");
    let beside = files_beside(&path);
    for file in &beside[..4] {
        assert_eq!(mode(file), 0o640, "{}", file.display());
    }
    // Before there is a data file, the history is private too.
    let other = dir.path().join("other.json");
    store::save_history(&other, &History::default()).unwrap();
    assert_eq!(mode(&store::history_path(&other)), 0o600);
}

#[cfg(unix)]
#[test]
fn a_new_data_file_and_its_lock_are_private_whatever_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    let status = std::process::Command::new("sh")
        .args(["-c", "umask 000 && exec \"$0\" --file \"$1\" add x"])
        .arg(env!("CARGO_BIN_EXE_backlog"))
        .arg(&path)
        .env("BACKLOG_CONFIG", dir.path().join("config.toml"))
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&store::lock_path(&path)), 0o600);
}

/// An older backlog made its lock with the umask's permissions: the lock
/// of anyone who upgrades is already there, and must become private too.
#[cfg(unix)]
#[test]
fn an_existing_lock_takes_the_data_files_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("n.json");
    let lock = store::lock_path(&path);
    fs::write(&lock, "").unwrap();
    set_mode(&lock, 0o666);
    let status = std::process::Command::new("sh")
        .args(["-c", "umask 000 && exec \"$0\" --file \"$1\" add x"])
        .arg(env!("CARGO_BIN_EXE_backlog"))
        .arg(&path)
        .env("BACKLOG_CONFIG", dir.path().join("config.toml"))
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&lock), 0o600);
    // Shared with the team, the lock follows the data file.
    set_mode(&path, 0o660);
    drop(store::Lock::acquire(&path).unwrap());
    assert_eq!(mode(&lock), 0o660);
}

/// The `backlog` binary on `path`, with no config of the user's.
fn backlog_on(path: &Path, args: &[&str]) -> std::process::Output {
    let config = path.with_file_name("config.toml");
    assert_cmd::Command::cargo_bin("backlog")
        .unwrap()
        .arg("--file")
        .arg(path)
        .args(args)
        .env("BACKLOG_CONFIG", config)
        .output()
        .unwrap()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
#[test]
fn a_linked_data_file_is_saved_through_the_link() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let (real, work, other) = (
        dir.path().join("real"),
        dir.path().join("work"),
        dir.path().join("other"),
    );
    for folder in [&real, &work, &other] {
        fs::create_dir(folder).unwrap();
    }
    let target = real.join("b.json");
    store::save(&target, &sample()).unwrap();
    let link = work.join("b.json");
    symlink("../real/b.json", &link).unwrap();
    // A second link, through a first: both lead to the one file.
    symlink("../work/b.json", other.join("b.json")).unwrap();

    for (path, title) in [
        (&link, "Through the link"),
        (&other.join("b.json"), "Through two"),
    ] {
        let out = backlog_on(path, &["add", title]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let b = store::load(&target).unwrap().backlog;
    let titles: Vec<&str> = b.ranked().map(|s| s.title.as_str()).skip(11).collect();
    assert_eq!(titles, ["Through the link", "Through two"]);
    // The lock (and any file kept beside) is beside the file itself, so
    // two links to it exclude each other; nothing is left beside a link.
    assert_eq!(names_in(&real), ["b.json", "b.json.lock"]);
    assert_eq!(names_in(&work), ["b.json"]);
    assert_eq!(names_in(&other), ["b.json"]);
    let real_file = fs::canonicalize(&target).unwrap();
    assert_eq!(store::resolve_path(Some(&link)).unwrap(), real_file);
    let out = backlog_on(&link, &["path"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        real_file.display().to_string()
    );

    // Saved from the library by the link's name too, the link stays.
    store::save(&link, &sample()).unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(store::load(&target).unwrap().backlog, sample());
    // The link's lock is the file's: held through the link, the lock
    // beside the file cannot be taken.
    let held = store::Lock::acquire(&link).unwrap();
    let beside_the_file = fs::File::open(store::lock_path(&target)).unwrap();
    assert!(matches!(
        beside_the_file.try_lock(),
        Err(fs::TryLockError::WouldBlock)
    ));
    drop(held);
    beside_the_file.try_lock().unwrap();
}

#[cfg(unix)]
#[test]
fn a_link_to_nothing_is_named_as_such_and_nothing_is_made() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("b.json");
    symlink("../gone/b.json", &link).unwrap();
    let expected = format!(
        "{} is a symbolic link to ../gone/b.json, which does not exist",
        link.display()
    );
    for args in [&["list"][..], &["add", "x"], &["init"]] {
        let out = backlog_on(&link, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr.contains(&expected), "{args:?}: {stderr}");
    }
    for error in [
        store::load(&link).unwrap_err(),
        store::update(&link, |_| Ok(())).unwrap_err(),
        store::save(&link, &sample()).unwrap_err(),
    ] {
        assert!(format!("{error:#}").contains(&expected), "{error:#}");
    }
    assert_eq!(names_in(dir.path()), ["b.json"]);
    assert!(!dir.path().join("../gone").exists());
}

#[cfg(unix)]
#[test]
fn a_link_planted_at_the_lock_is_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.json");
    store::save(&path, &sample()).unwrap();
    let before = fs::read(&path).unwrap();
    let victim = dir.path().join("victim");
    fs::write(&victim, "precious").unwrap();
    symlink(&victim, store::lock_path(&path)).unwrap();
    let error = format!("{:#}", store::update(&path, |_| Ok(())).unwrap_err());
    assert!(error.contains("b.json.lock is a symbolic link"), "{error}");
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    // One that leads nowhere is not made to lead somewhere.
    fs::remove_file(&victim).unwrap();
    assert!(store::update(&path, |_| Ok(())).is_err());
    assert!(!victim.exists());
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[cfg(unix)]
#[test]
fn a_read_only_data_file_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    store::save(&path, &sample()).unwrap();
    set_mode(&path, 0o444);
    let before = fs::read(&path).unwrap();
    let expected = format!("{} is read-only; nothing was written", path.display());
    let add =
        |b: &mut Backlog| Ok(b.add(&StoryPatch::title("x"), Placement::Bottom, Utc::now())?);
    let error = format!("{:#}", store::update(&path, add).unwrap_err());
    assert!(error.contains(&expected), "{error}");
    let (mut session, mut ours) = store::Session::open(&path).unwrap();
    ours.remove(StoryId(1)).unwrap();
    match session.save(&ours) {
        store::Outcome::Failed(message) => assert!(message.contains(&expected), "{message}"),
        other => panic!("{other:?}"),
    }
    let out = backlog_on(&path, &["add", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&expected));
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(mode(&path), 0o444);
    assert_eq!(names_in(dir.path()), ["backlog.json", "backlog.json.lock"]);
}

/// A backlog whose file is about `bytes` long.
fn large(bytes: usize) -> Backlog {
    let mut b = sample();
    let patch = StoryPatch {
        description: Some("a long description ".repeat(bytes / 19)),
        ..StoryPatch::default()
    };
    b.edit(StoryId(1), &patch, Utc::now()).unwrap();
    b
}

/// A failed save names the file that was not saved, once, and no
/// temporary file: that is ours, not the user's, and it is gone.
fn assert_not_saved(error: &str, path: &Path, cause: &str) {
    let expected = format!("cannot save {}: {cause}", path.display());
    assert!(error.contains(&expected), "{error:?} lacks {expected:?}");
    assert!(!error.contains("/.b.json."), "{error}");
    assert!(!error.contains("at path"), "{error}");
    assert_eq!(
        error.matches(&path.display().to_string()).count(),
        1,
        "{error}"
    );
}

/// A write that fails part-way (here, past the largest file the process
/// may write, which any Unix can set up) is reported as the file not
/// saved, and leaves nothing behind.
#[cfg(unix)]
#[test]
fn a_write_that_fails_names_the_file_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.json");
    store::save(&path, &large(300_000)).unwrap();
    let before = fs::read(&path).unwrap();
    let out = std::process::Command::new("sh")
        // Ignored, the signal a write past the limit sends leaves the
        // write to fail with EFBIG, as a full disk fails it.
        .args([
            "-c",
            "trap '' XFSZ && ulimit -f 100 && exec \"$0\" --file \"$1\" add x",
        ])
        .arg(env!("CARGO_BIN_EXE_backlog"))
        .arg(&path)
        .env("BACKLOG_CONFIG", dir.path().join("config.toml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_not_saved(&stderr, &path, "File too large");
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(names_in(dir.path()), ["b.json", "b.json.lock"]);
}

/// A small file system of its own, unmounted when dropped.
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    /// `None` (and says why) where mounting is not allowed: only root
    /// may, and not in every container.
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let out = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .ok()?;
        if !out.status.success() {
            eprintln!(
                "skipped: cannot mount a tmpfs here ({})",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return None;
        }
        Some(Tmpfs(dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.0.path())
            .status();
    }
}

#[test]
fn a_full_disk_names_the_file_not_saved() {
    let Some(disk) = Tmpfs::mount("64k") else {
        return;
    };
    let path = disk.0.path().join("b.json");
    store::save(&path, &sample()).unwrap();
    let before = fs::read(&path).unwrap();
    let error = format!("{:#}", store::save(&path, &large(100_000)).unwrap_err());
    assert_not_saved(&error, &path, "No space left on device");
    let out = backlog_on(
        &path,
        &["edit", "S-1", "--description", &"x".repeat(100_000)],
    );
    assert_not_saved(
        &String::from_utf8_lossy(&out.stderr),
        &path,
        "No space left on device",
    );
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(names_in(disk.0.path()), ["b.json", "b.json.lock"]);
}

/// A file a colleague owns, in a folder the team may all write in: the
/// folder would let us replace it (by one we own), but the file is not
/// ours to write, so it is refused as an editor refuses it.
#[cfg(unix)]
#[test]
fn a_data_file_only_its_owner_may_write_is_read_only_for_others() {
    use std::os::unix::fs::MetadataExt;
    let Some(dir) = shared_dir() else {
        return;
    };
    let path = dir.path().join("b.json");
    store::save(&path, &sample()).unwrap();
    set_mode(&path, 0o644);
    // Its owner has saved it: the lock is theirs too, as readable as the
    // file, and taken all the same.
    drop(store::Lock::acquire(&path).unwrap());
    assert_eq!(mode(&store::lock_path(&path)), 0o644);
    refused_to_nobody(dir.path(), &path, "is read-only for you (owned by root)");
    assert_eq!(fs::metadata(&path).unwrap().uid(), 0);
    assert_eq!(mode(&path), 0o644);
}

/// A temp dir anyone may write in, for a test that runs backlog as
/// another user: `None` (and says so) unless the tests run as root.
#[cfg(unix)]
fn shared_dir() -> Option<tempfile::TempDir> {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    if fs::metadata(dir.path()).unwrap().uid() != 0 {
        eprintln!("skipped: only root can give files away and run backlog as another user");
        return None;
    }
    set_mode(dir.path(), 0o777);
    Some(dir)
}

/// The user `nobody`, and the group of that name.
const NOBODY: u32 = 65534;

/// Its owner and group, by number.
#[cfg(unix)]
fn owners(path: &Path) -> (u32, u32) {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::metadata(path).unwrap();
    (meta.uid(), meta.gid())
}

/// Run backlog on `path` as `nobody`, with a config in `dir` (there is
/// none): the exit code it gave, and what it said on stderr.
#[cfg(unix)]
fn as_nobody(dir: &Path, path: &Path, args: &[&str]) -> (Option<i32>, String) {
    use std::os::unix::process::CommandExt;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_backlog"))
        .arg("--file")
        .arg(path)
        .args(args)
        .env("BACKLOG_CONFIG", dir.join("config.toml"))
        .uid(NOBODY)
        .gid(NOBODY)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `backlog add` run as `nobody` on `path` is refused: it exits with 1,
/// names the file and says `why`, and the file stays byte for byte as it
/// was.
#[cfg(unix)]
fn refused_to_nobody(dir: &Path, path: &Path, why: &str) {
    let before = fs::read(path).unwrap();
    let (code, stderr) = as_nobody(dir, path, &["add", "x"]);
    assert_eq!(code, Some(1), "{stderr}");
    let expected = format!("{} {why}; nothing was written", path.display());
    assert!(stderr.contains(&expected), "{stderr}");
    assert_eq!(fs::read(path).unwrap(), before);
}

#[cfg(unix)]
fn chown(path: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
}

/// Root saving a user's file leaves it theirs: their owner and group, and
/// their mode (a save is a new file, which the system makes root's).
#[cfg(unix)]
#[test]
fn a_file_saved_by_root_keeps_its_owner_and_group() {
    let Some(dir) = shared_dir() else {
        return;
    };
    let path = dir.path().join("b.json");
    store::save(&path, &sample()).unwrap();
    chown(&path, NOBODY, NOBODY);
    set_mode(&path, 0o664);
    let out = backlog_on(&path, &["add", "x"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(store::load(&path).unwrap().backlog.len(), 12);
    assert_eq!(owners(&path), (NOBODY, NOBODY));
    assert_eq!(mode(&path), 0o664);
    // The files kept beside it are theirs too, so they can read them.
    let mut b = sample();
    store::save_history(&path, &some_history(&mut b)).unwrap();
    assert_eq!(owners(&store::history_path(&path)), (NOBODY, NOBODY));
}

/// A member of a file's group saving a colleague's group-writable file:
/// the file becomes the member's (only root gives a file away), but stays
/// the group's, so the colleague may still write it.
#[cfg(unix)]
#[test]
fn a_group_member_saving_a_colleagues_file_keeps_its_group() {
    let Some(dir) = shared_dir() else {
        return;
    };
    let team = 4242;
    let path = dir.path().join("b.json");
    store::save(&path, &sample()).unwrap();
    chown(&path, 0, team);
    set_mode(&path, 0o664);
    // setpriv sets the groups a process is in; std's Command clears them.
    let out = std::process::Command::new("setpriv")
        .args([
            &format!("--reuid={NOBODY}"),
            &format!("--regid={NOBODY}"),
            &format!("--groups={team}"),
        ])
        .arg(env!("CARGO_BIN_EXE_backlog"))
        .arg("--file")
        .arg(&path)
        .args(["add", "x"])
        .env("BACKLOG_CONFIG", dir.path().join("config.toml"))
        .output();
    let Ok(out) = out else {
        eprintln!("skipped: no setpriv to run backlog in a group");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(store::load(&path).unwrap().backlog.len(), 12);
    assert_eq!(owners(&path), (NOBODY, team));
    assert_eq!(mode(&path), 0o664);
}

/// A file anyone may write, of a group the user is not in: a save would
/// take it out of its group, which nobody asked for, so it is refused.
#[cfg(unix)]
#[test]
fn saving_a_file_of_a_group_one_is_not_in_is_refused() {
    let Some(dir) = shared_dir() else {
        return;
    };
    let path = dir.path().join("b.json");
    store::save(&path, &sample()).unwrap();
    set_mode(&path, 0o666);
    refused_to_nobody(
        dir.path(),
        &path,
        "would no longer belong to group root (you are not in it)",
    );
    assert_eq!(owners(&path), (0, 0));
    assert_eq!(mode(&path), 0o666);
    assert_eq!(names_in(dir.path()), ["b.json", "b.json.lock"]);
}

/// `init --force` keeps the old file before replacing it. When it cannot
/// read it, or the disk has no room for the copy, it replaces nothing and
/// leaves nothing beside it: not even an empty file under the copy's name.
#[cfg(unix)]
#[test]
fn init_force_that_cannot_keep_the_old_file_leaves_nothing_beside_it() {
    if let Some(disk) = Tmpfs::mount("64k") {
        let path = disk.0.path().join("b.json");
        store::save(&path, &large(40_000)).unwrap();
        let before = fs::read(&path).unwrap();
        let out = backlog_on(&path, &["init", "--demo", "--force"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("No space left on device"), "{stderr}");
        assert_eq!(fs::read(&path).unwrap(), before);
        assert_eq!(names_in(disk.0.path()), ["b.json", "b.json.lock"]);
    }
    let Some(dir) = shared_dir() else {
        return;
    };
    // Its owner may write it but not read it.
    let path = dir.path().join("b.json");
    store::save(&path, &sample()).unwrap();
    chown(&path, NOBODY, NOBODY);
    set_mode(&path, 0o200);
    let before = fs::read(&path).unwrap();
    let (code, stderr) = as_nobody(dir.path(), &path, &["init"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("Permission denied"), "{stderr}");
    assert!(stderr.contains("init --force` replaces it"), "{stderr}");
    let (code, stderr) = as_nobody(dir.path(), &path, &["init", "--force"]);
    assert_eq!(code, Some(1), "{stderr}");
    let expected = format!(
        "cannot read {} to keep it; nothing was written",
        path.display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(names_in(dir.path()), ["b.json", "b.json.lock"]);
}

#[test]
fn a_missing_folder_is_named_and_not_made() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("no/such");
    let path = folder.join("b.json");
    let expected = format!("the folder {} does not exist", folder.display());
    // Reading refuses it too, so the TUI (no command) does not open a
    // backlog it could never save, and `list` does not call it empty.
    for args in [&["add", "x"][..], &["init", "--demo"], &["list"], &[]] {
        let out = backlog_on(&path, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr.contains(&expected), "{args:?}: {stderr}");
    }
    for error in [
        store::save(&path, &sample()).unwrap_err(),
        store::load(&path).unwrap_err(),
        store::read(&path).unwrap_err(),
        store::Session::open(&path).map(drop).unwrap_err(),
        store::update(&path, |_| Ok(())).unwrap_err(),
    ] {
        let error = format!("{error:#}");
        assert!(error.contains(&expected), "{error}");
    }
    assert_eq!(names_in(dir.path()), Vec::<String>::new());
}

#[test]
fn backlogs_own_data_folder_is_made_when_missing() {
    let dir = tempfile::tempdir().unwrap();
    let data_home = dir.path().join("data");
    let backlog = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("backlog")
            .unwrap()
            .args(args)
            .env_remove("BACKLOG_FILE")
            .env("HOME", dir.path())
            .env("XDG_DATA_HOME", &data_home)
            .env("BACKLOG_CONFIG", dir.path().join("config.toml"))
            .output()
            .unwrap()
    };
    // Before the first change, it is an empty backlog, and reading it
    // makes nothing.
    let out = backlog(&["list"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!data_home.exists());
    let out = backlog(&["add", "x"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let b = store::load(&data_home.join("backlog/backlog.json"))
        .unwrap()
        .backlog;
    assert_eq!(b.len(), 1);
}

#[test]
fn temporary_files_crashed_saves_left_are_cleared_under_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    store::save(&path, &sample()).unwrap();
    let gone = {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        child.wait().unwrap();
        child.id()
    };
    let alive = std::process::id();
    let stale = [
        format!(".backlog.json.{gone}.aB3dE9.tmp"),
        // Under the lock, no save of the data file is under way.
        format!(".backlog.json.{alive}.aB3dE9.tmp"),
        format!(".backlog.json.history.{gone}.Zz0000.tmp"),
        format!(".backlog.json.conflict-20261128T154200.123Z.json.{gone}.abcdef.tmp"),
        format!(".backlog.json.unsaved-S-3-20261128T154200.123Z.md.{gone}.ABCDEF.tmp"),
        format!(".backlog.json.replaced-20261128T154200.123Z.json.{gone}.ABCDEF.tmp"),
        // Too old to be a save under way, whoever has the number now.
        format!(".backlog.json.unsaved-20261128T154200.123Z.json.{alive}.ABCDEF.tmp"),
        // An older backlog's only naming, as a crash left it.
        ".backlog-oLd123.tmp".to_string(),
        format!(".backlog.json.meeting.{gone}.aB3dE9.tmp"),
    ];
    let kept = [
        // A live process may be writing these right now.
        format!(".backlog.json.history.{alive}.Zz0000.tmp"),
        // Another data file's, in the same folder.
        format!(".other.json.{gone}.aB3dE9.tmp"),
        format!(".backlog.json.bak.{gone}.aB3dE9.tmp"),
        // Not exactly our naming.
        format!(".backlog.json.{gone}.aB3dE99.tmp"),
        format!("backlog.json.{gone}.aB3dE9.tmp"),
        format!(".backlog.json.{gone}.aB3dE9.tmp.keep"),
        ".backlog-aB3dE99.tmp".to_string(),
        "notes.tmp".to_string(),
        // An older backlog may be saving another data file in this folder
        // right now, not under our lock: one so young is left.
        ".backlog-aB3dE9.tmp".to_string(),
        format!(".backlog.json.meeting.{alive}.aB3dE9.tmp"),
    ];
    for name in stale.iter().chain(&kept) {
        fs::write(dir.path().join(name), "half a save").unwrap();
    }
    // Minutes are written in their own folder, and so are their
    // temporary files.
    let minutes = dir.path().join("backlog-minutes");
    fs::create_dir(&minutes).unwrap();
    let kept_minutes = [
        "2026-11-30-0912.md".to_string(),
        format!(".2026-11-30-0912-2.md.{alive}.aB3dE9.tmp"),
        format!(".notes.md.{gone}.aB3dE9.tmp"),
    ];
    for name in kept_minutes
        .iter()
        .chain([&format!(".2026-11-30-0912-2.md.{gone}.aB3dE9.tmp")])
    {
        fs::write(minutes.join(name), "# Minutes").unwrap();
    }
    let old = std::time::SystemTime::now() - std::time::Duration::from_mins(2);
    // Old, and not exactly our naming, these are left all the same.
    for name in [&stale[6], &stale[7], &kept[6], &kept[7]] {
        fs::File::options()
            .write(true)
            .open(dir.path().join(name))
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    let out = backlog_on(&path, &["add", "x"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut expected: Vec<String> = kept.to_vec();
    expected.extend([
        "backlog.json".into(),
        "backlog.json.lock".into(),
        "backlog-minutes".into(),
    ]);
    expected.sort();
    assert_eq!(names_in(dir.path()), expected);
    let mut expected = kept_minutes.to_vec();
    expected.sort();
    assert_eq!(names_in(&minutes), expected);
}

/// A file system takes names of up to 255 bytes: a temporary file's name
/// must not grow with the data file's.
#[test]
fn a_data_file_with_a_name_of_250_bytes_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let name = format!("{}.json", "\u{e9}".repeat(100) + &"b".repeat(45));
    assert_eq!(name.len(), 250);
    let path = dir.path().join(&name);
    store::save(&path, &sample()).unwrap();
    let out = backlog_on(&path, &["add", "x"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(store::load(&path).unwrap().backlog.len(), 12);
    assert_eq!(names_in(dir.path()), [name.clone(), format!("{name}.lock")]);
}

#[test]
fn a_schema_1_file_migrates_its_stories_epics_to_epic_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    let story = |id: u64, rank: &str, epic: Option<&str>| {
        let epic = epic.map_or("null".to_string(), |e| format!("\"{e}\""));
        format!(
            "{{\"id\": \"S-{id}\", \"rank\": \"{rank}\", \"title\": \"Story {id}\", \"epic\": {epic}, \
             \"created\": \"2026-01-01T00:00:00Z\", \"updated\": \"2026-01-01T00:00:00Z\"}}"
        )
    };
    let text = format!(
        "{{\"schema\": 1, \"product\": \"Shop\", \"vision\": \"One tap.\", \"next_id\": 4, \"stories\": [{}, {}, {}]}}",
        story(1, "80", Some("Checkout")),
        story(2, "7f80", Some("Search")),
        story(3, "8180", Some("Checkout")),
    );
    fs::write(&path, &text).unwrap();
    let b = store::load(&path).unwrap().backlog;
    let names: Vec<&str> = b.product.epics.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Checkout", "Search"]);
    assert_ne!(b.product.epics[0].color, b.product.epics[1].color);
    assert_eq!(b.product.vision, "One tap.");
    assert_eq!(b.product.settings, backlog::model::Settings::default());
    let ranked: Vec<u64> = b.ranked().map(|s| s.id.0).collect();
    assert_eq!(ranked, [2, 1, 3]);
    // Saved, it is a file of the schema in use with the epics listed.
    store::save(&path, &b).unwrap();
    let saved = fs::read_to_string(&path).unwrap();
    let head = format!("{{\n  \"schema\": {},", store::SCHEMA);
    assert!(saved.starts_with(&head), "{saved}");
    assert!(saved.contains("\"epics\": [\n    {\n      \"name\": \"Checkout\""));
    assert_eq!(store::load(&path).unwrap().backlog, b);
}

#[test]
fn a_schema_2_file_makes_releases_of_its_epics_targets_and_guesses_when_stories_were_done() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    let text = r#"{
  "schema": 2,
  "product": "Shop",
  "epics": [
    {"name": "Checkout", "color": "green", "target_release": "1.0"},
    {"name": "Search", "color": "blue", "target_release": "1.1"},
    {"name": "Admin", "color": "red", "target_release": "1.0"}
  ],
  "next_id": 3,
  "stories": [
    {"id": "S-1", "rank": "80", "title": "Pay", "epic": "Checkout", "points": 5,
     "status": "done", "created": "2026-01-01T00:00:00Z", "updated": "2026-02-03T10:00:00Z"},
    {"id": "S-2", "rank": "8180", "title": "Find", "epic": "Search", "points": 3,
     "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z"}
  ]
}
"#;
    fs::write(&path, text).unwrap();
    let b = store::load(&path).unwrap().backlog;
    let releases: Vec<(&str, bool)> = b
        .product
        .releases
        .iter()
        .map(|r| (r.name.as_str(), r.date.is_some()))
        .collect();
    assert_eq!(releases, [("1.0", false), ("1.1", false)]);
    let one = b.product.release("1.0").unwrap();
    let mut in_one = b.assigned_to(one);
    in_one.sort();
    assert_eq!(in_one, [StoryId(1)]);
    let done = b.get(StoryId(1)).unwrap();
    assert_eq!(
        done.done_at(),
        Some(Utc.with_ymd_and_hms(2026, 2, 3, 10, 0, 0).unwrap())
    );
    assert!(done.status_history[0].guessed);
    // Reading it changed nothing on disk; the first save writes the
    // schema in use with the releases, and reads back the same.
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
    store::save(&path, &b).unwrap();
    let saved = fs::read_to_string(&path).unwrap();
    let head = format!("{{\n  \"schema\": {},", store::SCHEMA);
    assert!(saved.starts_with(&head), "{saved}");
    assert!(
        saved.contains("\"releases\": [\n    {\n      \"name\": \"1.0\"\n    },"),
        "{saved}"
    );
    assert!(saved.contains("\"guessed\": true"), "{saved}");
    assert_eq!(store::load(&path).unwrap().backlog, b);
}

#[test]
fn a_schema_5_file_reads_as_it_is_and_keeps_what_a_meeting_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    let text = r#"{
  "schema": 5,
  "product": "Shop",
  "next_id": 2,
  "stories": [
    {"id": "S-1", "rank": "80", "title": "Pay",
     "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z",
     "comments": [
       {"at": "2026-01-01T00:00:00Z", "author": "po", "text": "Which cards?", "question": true,
        "resolved": {"at": "2026-01-02T00:00:00Z", "by": "po"}},
       {"at": "2026-01-01T00:00:00Z", "author": "dev", "text": "Looks big"}
     ]}
  ]
}
"#;
    fs::write(&path, text).unwrap();
    let mut b = store::load(&path).unwrap().backlog;
    let resolved = &b.get(StoryId(1)).unwrap().comments[0];
    assert!(resolved.resolved.is_some() && resolved.answer.is_none());
    assert!(!resolved.decision && resolved.edited.is_none());
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        text,
        "reading wrote nothing"
    );

    let now = Utc.with_ymd_and_hms(2026, 3, 2, 10, 15, 0).unwrap();
    let by = |who: &str| Stamp {
        at: now,
        by: who.into(),
    };
    let decision = Comment {
        decision: true,
        ..Comment::new(now, "po", "Cards only.\nCash later.")
    };
    b.comment(StoryId(1), decision).unwrap();
    let question = Comment {
        question: true,
        ..Comment::new(now, "dev", "Which currency?")
    };
    b.comment(StoryId(1), question).unwrap();
    b.answer(StoryId(1), 4, "Euro.", by("po")).unwrap();
    b.edit_comment(StoryId(1), 2, "Looks big: split it", by("dev"))
        .unwrap();
    store::save(&path, &b).unwrap();
    let saved = fs::read_to_string(&path).unwrap();
    let head = format!("{{\n  \"schema\": {},", store::SCHEMA);
    assert!(saved.starts_with(&head), "{saved}");
    // Each fact only where it is, and a text's lines kept.
    assert_eq!(saved.matches("\"decision\": true").count(), 1, "{saved}");
    assert!(!saved.contains("\"decision\": false"), "{saved}");
    assert!(
        saved.contains("\"text\": \"Cards only.\\nCash later.\""),
        "{saved}"
    );
    assert!(
        saved.contains("\"resolved\": {\n            \"at\": \"2026-03-02T10:15:00Z\",\n            \"by\": \"po\"\n          },\n          \"answer\": \"Euro.\"\n"),
        "{saved}"
    );
    assert_eq!(saved.matches("\"answer\"").count(), 1, "{saved}");
    assert_eq!(saved.matches("\"edited\"").count(), 1, "{saved}");
    assert_eq!(store::load(&path).unwrap().backlog, b);
}

#[test]
fn a_comment_that_contradicts_itself_is_refused_naming_its_story_and_place() {
    const AT: &str = "\"2026-01-01T00:00:00Z\"";
    let file = |comment: &str| {
        format!(
            "{{\"schema\": 6, \"next_id\": 4, \"stories\": [\n  {{\"comments\": [\n    \
             {{\"at\": {AT}, \"author\": \"po\", \"text\": \"Fine\"}},\n    {comment}],\n   \
             \"id\": \"S-3\", \"rank\": \"80\", \"title\": \"t\", \"created\": {AT}, \
             \"updated\": {AT}}}]}}"
        )
    };
    let both = format!(
        "{{\"at\": {AT}, \"author\": \"po\", \"text\": \"Cards?\", \"question\": true, \
         \"decision\": true}}"
    );
    assert_refused(
        &file(&both),
        &[
            "comment 2 on S-3 is both a question and a decision; a comment is one or the other",
            "at line 4 column 5",
        ],
    );
    let unasked =
        format!("{{\"at\": {AT}, \"author\": \"po\", \"text\": \"Cards\", \"answer\": \"Yes\"}}");
    assert_refused(
        &file(&unasked),
        &[
            "comment 2 on S-3 has an answer but is not a resolved question",
            "at line 4 column 5",
        ],
    );
}

#[test]
fn a_release_or_sprint_named_twice_is_refused_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    let text = "{\"schema\": 4,\n \"releases\": [{\"name\": \"1.0\"},\n  {\"name\": \"1.0\"}]}";
    fs::write(&path, text).unwrap();
    let error = format!("{:#}", store::load(&path).unwrap_err());
    assert!(
        error.contains("release \"1.0\" appears twice, again at line 3 column 12"),
        "{error}"
    );
    let text = "{\"schema\": 4, \"sprints\": [{\"name\": \"S1\", \"start\": \"2026-01-05\"}, {\"name\": \"s1\", \"start\": \"2026-01-19\"}]}";
    fs::write(&path, text).unwrap();
    let error = format!("{:#}", store::load(&path).unwrap_err());
    assert!(error.contains("sprint \"s1\" appears twice"), "{error}");
    let text = "{\"schema\": 4, \"sprints\": [{\"name\": \"S1\", \"start\": \"5 Jan\"}]}";
    fs::write(&path, text).unwrap();
    let error = format!("{:#}", store::load(&path).unwrap_err());
    assert!(error.contains("line 1 column"), "{error}");
}

fn some_history(b: &mut Backlog) -> History {
    let at = Utc.with_ymd_and_hms(2026, 11, 3, 8, 0, 0).unwrap();
    let mut history = History::default();
    let before = Snapshot::take(b, &[StoryId(3)], false);
    b.move_story(StoryId(3), Move::Top).unwrap();
    history.record("move S-3", at, before, b);
    let new = StoryId(b.next_id());
    let before = Snapshot::take(b, &[StoryId(5), new], false);
    b.split(StoryId(5), "Other half", &[0], at).unwrap();
    history.record(format!("split S-5 into {new}"), at, before, b);
    let before = Snapshot::take(b, &[StoryId(2)], true);
    b.remove_epic("Checkout", &EpicStories::Unassign, at)
        .unwrap();
    history.record("delete epic Checkout", at, before, b);
    history.undo(b).unwrap();
    history
}

#[test]
fn the_undo_history_round_trips_beside_the_data_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    assert_eq!(
        store::history_path(&path),
        dir.path().join("backlog.json.history")
    );
    let empty = store::load_history(&path).unwrap();
    assert!(empty.is_empty());
    assert!(!store::history_path(&path).exists());

    let mut b = sample();
    let history = some_history(&mut b);
    store::save_history(&path, &history).unwrap();
    let text = fs::read_to_string(store::history_path(&path)).unwrap();
    assert!(
        text.starts_with("{\n  \"schema\": 1,\n  \"history\": {"),
        "{text}"
    );
    let mut loaded = store::load_history(&path).unwrap();
    assert_eq!(loaded, history);
    assert_eq!(loaded.next_undo().unwrap().label, "split S-5 into S-12");
    assert_eq!(loaded.next_redo().unwrap().label, "delete epic Checkout");

    // The loaded history works on the backlog as loaded from its file.
    store::save(&path, &b).unwrap();
    let mut b = store::load(&path).unwrap().backlog;
    let start = b.clone();
    loaded.redo(&mut b).unwrap();
    assert!(b.product.epic("Checkout").is_none());
    loaded.undo(&mut b).unwrap();
    assert_eq!(b, start);
    assert_eq!(loaded.undo(&mut b).unwrap().focus, Some(StoryId(5)));
    assert!(b.get(StoryId(12)).is_none());
    assert_eq!(b.next_id(), 13);
    assert_eq!(loaded.undo(&mut b).unwrap().focus, Some(StoryId(3)));
    let ranked: Vec<u64> = b.ranked().map(|s| s.id.0).collect();
    assert_eq!(ranked[..3], [11, 1, 2]);
}

#[test]
fn an_unreadable_undo_history_is_reported_with_its_path_and_line_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    let history_file = store::history_path(&path);
    let check = |text: &str, expected: &[&str]| {
        fs::write(&history_file, text).unwrap();
        let error = format!("{:#}", store::load_history(&path).unwrap_err());
        assert!(
            error.contains(&history_file.display().to_string()),
            "{error}"
        );
        for part in expected {
            assert!(error.contains(part), "{error:?} lacks {part:?}");
        }
        assert_eq!(fs::read_to_string(&history_file).unwrap(), text);
    };
    check(
        "{\n  \"schema\": 1,\n  \"history\": {\"undo\": [,]}\n}",
        &["line 3 column"],
    );
    check(
        "{\"schema\": 1, \"history\": {}, \"x\": 0}",
        &["unknown field `x`"],
    );
    check(
        "{\"schema\": 2, \"history\": {\"undo\": [1]}}",
        &["schema 2", "newer backlog"],
    );
    check("", &["line 1 column 0"]);
    check("[1]", &["expected a JSON object", "line 1 column 1"]);
    fs::write(&history_file, b"{\"schema\": 1,\n \"history\": \xff}").unwrap();
    let error = format!("{:#}", store::load_history(&path).unwrap_err());
    assert!(
        error.contains(&format!(
            "{} is not UTF-8 at byte offset 26 (line 2 column 13)",
            history_file.display()
        )),
        "{error}"
    );

    let mut b = sample();
    store::save_history(&path, &some_history(&mut b)).unwrap();
    let text = fs::read_to_string(&history_file).unwrap();
    let broken = text.replacen("\"title\"", "\"tilte\"", 1);
    let line = broken.lines().position(|l| l.contains("tilte")).unwrap() + 1;
    check(&broken, &["unknown field `tilte`", &format!("line {line}")]);

    // Set aside, its bytes kept, and the next start is a fresh history.
    let aside = store::set_aside_history(&path).unwrap();
    assert_eq!(aside.parent(), history_file.parent());
    assert!(
        aside
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("backlog.json.history.unreadable-")
    );
    assert_eq!(fs::read_to_string(&aside).unwrap(), broken);
    assert!(store::load_history(&path).unwrap().is_empty());
}

/// `sample` with its S-2 title changed differently on two sides and
/// merged as git's merge driver merges: one clash.
fn sample_with_a_clash() -> Backlog {
    let now = Utc.with_ymd_and_hms(2026, 11, 3, 9, 0, 0).unwrap();
    let base = sample();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.edit(StoryId(2), &StoryPatch::title("Ours"), now)
        .unwrap();
    theirs
        .edit(StoryId(2), &StoryPatch::title("Theirs"), now)
        .unwrap();
    backlog::model::merge_files_by(&base, &ours, &theirs, Some("HEAD"), Some("feature")).backlog
}

#[test]
fn clashes_are_saved_at_the_end_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    let merged = sample_with_a_clash();
    store::save(&path, &merged).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    let tail = "  \"conflicts\": [\n    {\n      \"story\": \"S-2\",\n      \"field\": \"title\",\n      \"base\": \"Story 2\",\n      \"ours\": \"Ours\",\n      \"theirs\": \"Theirs\",\n      \"ours_by\": \"HEAD\",\n      \"theirs_by\": \"feature\"\n    }\n  ]\n}\n";
    assert!(text.ends_with(tail), "{text}");
    assert_eq!(store::load(&path).unwrap().backlog, merged);
    // With none, there is no list at all.
    assert!(!store::to_json(&sample()).contains("conflicts"));
}

#[test]
fn a_clash_naming_a_story_the_file_lacks_is_refused_where_it_is() {
    let text = store::to_json(&sample_with_a_clash()).replace(
        "\"story\": \"S-2\",\n      \"field\"",
        "\"story\": \"S-99\",\n      \"field\"",
    );
    let line = text.lines().position(|l| l.contains("S-99")).unwrap() + 1;
    assert_refused(
        &text,
        &[
            "a conflict names story S-99, which the file does not have",
            &format!("line {line} column 16"),
        ],
    );
}

#[test]
fn a_schema_6_file_reads_as_is() {
    let text = store::to_json(&sample()).replacen(
        &format!("\"schema\": {}", store::SCHEMA),
        "\"schema\": 6",
        1,
    );
    assert_eq!(store::from_json(&text).unwrap(), sample());
}
