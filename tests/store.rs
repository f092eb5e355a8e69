//! The data file: round trip, layout, atomic replace, refusal of bad files,
//! and writers that never lose each other's changes.

use std::fs;
use std::path::Path;

use backlog::model::{
    Backlog, Criterion, EpicStories, History, Move, Placement, Points, Snapshot, Status, StoryId,
    StoryPatch,
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
    assert!(text.starts_with("{\n  \"schema\": 2,\n  \"product\": \"Shop\",\n"));
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
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    fs::write(&path, text).unwrap();
    let error = format!("{:#}", store::load(&path).unwrap_err());
    assert!(error.contains(&path.display().to_string()), "{error}");
    for part in expected {
        assert!(error.contains(part), "{error:?} lacks {part:?}");
    }
    // A writer that reads first must also refuse, and leave the bytes.
    assert!(store::update(&path, |_| Ok(())).is_err());
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
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
    assert_refused("{\"schema\": 3}", &["schema 3", "newer backlog"]);
}

#[test]
fn duplicate_ids_are_refused() {
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
        &["S-2 appears twice", &format!("again at line {line}")],
    );
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
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    std::thread::scope(|scope| {
        for writer in 0..4 {
            let path = &path;
            scope.spawn(move || add_many(path, writer, 15));
        }
    });
    let b = store::load(&path).unwrap().backlog;
    assert_eq!(b.len(), 60);
    assert_eq!(b.next_id(), 61);
}

#[cfg(unix)]
#[test]
fn a_save_keeps_the_files_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    store::save(&path, &sample()).unwrap();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o644, "a new file is readable by the team");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    store::save(&path, &sample()).unwrap();
    assert_eq!(mode(&path), 0o640, "a replaced file keeps its mode");
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
    // Saved, it is a schema-2 file with the epics listed.
    store::save(&path, &b).unwrap();
    let saved = fs::read_to_string(&path).unwrap();
    assert!(saved.starts_with("{\n  \"schema\": 2,"), "{saved}");
    assert!(saved.contains("\"epics\": [\n    {\n      \"name\": \"Checkout\""));
    assert_eq!(store::load(&path).unwrap().backlog, b);
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
