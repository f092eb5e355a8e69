//! The command line, run as a user would, against a file in a temp dir.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

struct Env {
    _dir: TempDir,
    file: PathBuf,
    /// The config file; absent unless a test writes it.
    config: PathBuf,
}

impl Env {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("backlog.json");
        let config = dir.path().join("config.toml");
        Env {
            _dir: dir,
            file,
            config,
        }
    }

    fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("backlog").unwrap();
        cmd.env("BACKLOG_FILE", &self.file)
            .env("BACKLOG_CONFIG", &self.config)
            .env("USER", "tester")
            .env_remove("NO_COLOR");
        cmd
    }

    /// Run a command that must fail; returns its stderr.
    /// Each command fails, saying its message, and leaves the file as it
    /// was.
    fn refuses(&self, cases: &[(&[&str], &str)]) {
        let before = read(&self.file);
        for (args, message) in cases {
            let stderr = self.fail(args);
            assert!(stderr.contains(message), "{args:?}: {stderr}");
            assert_eq!(read(&self.file), before, "{args:?} changed the file");
        }
    }

    fn fail(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).assert().failure();
        String::from_utf8(out.get_output().stderr.clone()).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.run(args)).unwrap()
    }

    fn run(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }

    fn list_ids(&self) -> Vec<String> {
        let json: Value = serde_json::from_str(&self.run(&["list", "--json"])).unwrap();
        json.as_array()
            .unwrap()
            .iter()
            .map(|row| row["id"].as_str().unwrap().to_string())
            .collect()
    }
}

fn read(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap()
}

#[test]
fn add_list_show_round_trip() {
    let env = Env::new();
    assert_eq!(env.run(&["add", "First"]), "S-1\n");
    assert_eq!(
        env.run(&[
            "add",
            "Second",
            "--points",
            "5",
            "--label",
            "ux",
            "--label",
            "mobile",
            "--new-epic",
            "Checkout",
            "--as-a",
            "shopper",
            "--i-want",
            "to pay by card",
            "--so-that",
            "I need no cash",
            "--criterion",
            "Card is charged",
        ]),
        "S-2\n"
    );
    assert_eq!(env.list_ids(), ["S-1", "S-2"]);

    let list = env.run(&["list"]);
    assert!(
        list.contains("2  S-2  ✓     5  draft        ■ Checkout  Second"),
        "{list}"
    );

    let shown: Value = serde_json::from_str(&env.run(&["show", "s-2", "--json"])).unwrap();
    assert_eq!(shown["rank"], 2);
    assert_eq!(shown["points"], 5);
    assert_eq!(shown["labels"], serde_json::json!(["ux", "mobile"]));
    assert_eq!(shown["epic"], "Checkout");
    assert_eq!(shown["as_a"], "shopper");
    assert_eq!(shown["acceptance_criteria"][0]["text"], "Card is charged");
    assert_eq!(shown["acceptance_criteria"][0]["done"], false);

    let text = env.run(&["show", "S-2"]);
    assert!(
        text.starts_with("---\nid: S-2\nstatus: draft\nestimate: 5\n"),
        "{text}"
    );
    assert!(text.contains("# Second\n"), "{text}");
    assert!(text.contains("As a shopper,\nI want to pay by card,\nSo that I need no cash\n"));
    assert!(text.contains("- [ ] Card is charged"));
}

#[test]
fn list_json_has_the_documented_fields() {
    let env = Env::new();
    env.run(&["add", "Only", "--points", "0.5"]);
    let json: Value = serde_json::from_str(&env.run(&["list", "--json"])).unwrap();
    let row = json[0].as_object().unwrap();
    let keys: Vec<&str> = row.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "epic", "id", "labels", "points", "rank", "ready", "status", "title"
        ],
        "serde_json sorts keys when reading; the set is what matters"
    );
    assert_eq!(row["points"], 0.5);
    assert_eq!(row["status"], "draft");
}

#[test]
fn moves_of_every_kind() {
    let env = Env::new();
    for title in ["a", "b", "c", "d"] {
        env.run(&["add", title]);
    }
    env.run(&["move", "S-4", "--top"]);
    assert_eq!(env.list_ids(), ["S-4", "S-1", "S-2", "S-3"]);
    env.run(&["move", "S-4", "--bottom"]);
    env.run(&["move", "S-1", "--down"]);
    env.run(&["move", "S-3", "--up"]);
    assert_eq!(env.list_ids(), ["S-2", "S-3", "S-1", "S-4"]);
    env.run(&["move", "S-4", "--before", "S-3"]);
    env.run(&["move", "S-2", "--after", "S-1"]);
    assert_eq!(env.list_ids(), ["S-4", "S-3", "S-1", "S-2"]);
    let out = env.run(&["move", "S-2", "--to", "1"]);
    assert_eq!(out, "Moved S-2 from 4 to 1\n");
    assert_eq!(env.run(&["move", "S-2", "--up"]), "S-2 stays at 1\n");
}

#[test]
fn a_move_changes_one_line_of_the_file() {
    let env = Env::new();
    for title in ["a", "b", "c"] {
        env.run(&["add", title]);
    }
    let before = fs::read_to_string(&env.file).unwrap();
    env.run(&["move", "S-3", "--top"]);
    let after = fs::read_to_string(&env.file).unwrap();
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].0.contains("\"rank\""));
}

#[test]
fn edit_sets_and_clears_fields() {
    let env = Env::new();
    env.run(&[
        "add",
        "Story",
        "--points",
        "3",
        "--label",
        "a",
        "--new-epic",
        "E",
    ]);
    assert_eq!(
        env.run(&[
            "edit",
            "S-1",
            "--title",
            "Renamed",
            "--status",
            "in-progress",
            "--no-points",
            "--unlabel",
            "a",
            "--label",
            "b",
            "--no-epic",
            "--description",
            "Longer text",
        ]),
        "Updated S-1\n"
    );
    let shown: Value = serde_json::from_str(&env.run(&["show", "S-1", "--json"])).unwrap();
    assert_eq!(shown["title"], "Renamed");
    assert_eq!(shown["status"], "in-progress");
    assert_eq!(shown["points"], Value::Null);
    assert_eq!(shown["labels"], serde_json::json!(["b"]));
    assert_eq!(shown["epic"], Value::Null);
    assert_eq!(shown["description"], "Longer text");
}

#[test]
fn rm_never_reuses_the_id() {
    let env = Env::new();
    env.run(&["add", "a"]);
    env.run(&["add", "b"]);
    assert_eq!(env.run(&["rm", "S-2"]), "Removed S-2 b\n");
    assert_eq!(env.run(&["add", "c"]), "S-3\n");
    assert_eq!(env.list_ids(), ["S-1", "S-3"]);
}

#[test]
fn ids_never_wrap_round_and_a_full_file_still_reads() {
    let env = Env::new();
    let story = |id: &str| {
        format!(
            r#"{{"id": "{id}", "rank": "80", "title": "Last", "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z"}}"#
        )
    };
    for (next_id, id) in [(u64::MAX, "S-5"), (1, "S-18446744073709551615")] {
        let text = format!(
            "{{\"schema\": 2, \"next_id\": {next_id}, \"stories\": [{}]}}\n",
            story(id)
        );
        fs::write(&env.file, &text).unwrap();
        assert_eq!(env.list_ids(), [id]);
        env.refuses(&[
            (&["add", "One more"], "no story id is left"),
            (&["split", id, "--title", "Half"], "no story id is left"),
        ]);
    }
    // The last id there is room for is handed out, once.
    fs::write(
        &env.file,
        format!(
            "{{\"schema\": 2, \"next_id\": {}, \"stories\": []}}\n",
            u64::MAX - 1
        ),
    )
    .unwrap();
    assert_eq!(env.run(&["add", "Last"]), "S-18446744073709551614\n");
    // Said as it is: no largest story is named, only the counter's end.
    env.refuses(&[(
        &["add", "One more"],
        "no story id is left for a new story: the id counter has reached its end \
         (the next id would be S-18446744073709551615); ids are never reused",
    )]);
    assert_eq!(env.list_ids(), ["S-18446744073709551614"]);
}

#[test]
fn a_title_is_at_most_255_characters_and_an_old_longer_one_still_loads() {
    let env = Env::new();
    let long = "x".repeat(256);
    env.run(&["add", "Short", "--criterion", "One"]);
    env.refuses(&[
        (&["add", &long], "at most 255 characters"),
        (&["edit", "S-1", "--title", &long], "at most 255 characters"),
        (
            &["split", "S-1", "--title", &long],
            "at most 255 characters",
        ),
    ]);
    assert_eq!(env.run(&["add", &"x".repeat(255)]), "S-2\n");

    // A document with a title too long names its file and line.
    let document = env
        .run(&["show", "S-1"])
        .replace("# Short", &format!("# {long}"));
    let file = env.file.with_file_name("s1.md");
    fs::write(&file, &document).unwrap();
    let stderr = env.fail(&["edit", "S-1", "--from-file", file.to_str().unwrap()]);
    assert!(
        stderr.starts_with(&format!("{}:10: ", file.display())),
        "{stderr}"
    );
    assert!(stderr.contains("at most 255 characters"), "{stderr}");

    // A file from before the limit loads, and its story can be edited,
    // by flags or through its own document.
    let text = fs::read_to_string(&env.file).unwrap().replace(
        "\"title\": \"Short\"",
        &format!("\"title\": \"{}\"", "y".repeat(300)),
    );
    fs::write(&env.file, text).unwrap();
    assert!(env.run(&["list"]).contains(&"y".repeat(300)));
    env.run(&["edit", "S-1", "--description", "Still editable"]);
    let document = env.run(&["show", "S-1"]).replace("Still editable", "Again");
    env.cmd()
        .args(["edit", "S-1", "--from-file", "-"])
        .write_stdin(document)
        .assert()
        .success();
    assert_eq!(env.json(&["show", "S-1", "--json"])["description"], "Again");
}

#[test]
fn bad_arguments_fail_cleanly_and_change_nothing() {
    let env = Env::new();
    env.run(&["add", "a"]);
    env.refuses(&[
        (&["show", "S-9"], "no story S-9"),
        (
            &["move", "S-1", "--to", "5"],
            "position 5 is out of range (1 to 1)",
        ),
        (
            &["move", "S-1", "--before", "S-1"],
            "before or after itself",
        ),
        (&["edit", "S-1"], "nothing to change"),
        (&["edit", "S-1", "--title", " "], "a story needs a title"),
        (&["edit", "S-1", "--status", "started"], "unknown status"),
        (&["add", "x", "--points", "lots"], "not a number of points"),
        (&["rm", "X-1"], "is not a story id"),
        (&["move", "S-1"], "required"),
        (&["move", "S-1", "--up", "--down"], "cannot be used with"),
        (&["init"], "already holds a backlog of 1 story"),
    ]);
}

#[test]
fn a_corrupt_file_fails_every_command_and_stays_as_it_was() {
    let env = Env::new();
    let corrupt = b"{\n  \"schema\": 1,\n  \"stories\": [ oops ]\n}\n";
    fs::write(&env.file, corrupt).unwrap();
    let commands: &[&[&str]] = &[
        &["list"],
        &["list", "--json"],
        &["show", "S-1"],
        &["add", "x"],
        &["edit", "S-1", "--title", "y"],
        &["move", "S-1", "--top"],
        &["rm", "S-1"],
        &[],
    ];
    for args in commands {
        env.cmd()
            .args(*args)
            .assert()
            .failure()
            .stderr(predicate::str::contains(env.file.display().to_string()))
            .stderr(predicate::str::contains("line 3 column"));
        assert_eq!(read(&env.file), corrupt, "{args:?} touched the file");
    }
}

#[test]
fn a_newer_schema_is_refused() {
    let env = Env::new();
    fs::write(&env.file, b"{\"schema\": 99, \"somethingNew\": true}").unwrap();
    env.cmd()
        .args(["add", "x"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("schema 99"))
        .stderr(predicate::str::contains("newer backlog"));
    assert_eq!(read(&env.file), b"{\"schema\": 99, \"somethingNew\": true}");
}

#[test]
fn a_story_missing_a_field_is_refused_with_its_line() {
    let env = Env::new();
    let text =
        "{\n  \"schema\": 1,\n  \"stories\": [\n    {\"id\": \"S-1\", \"rank\": \"80\"}\n  ]\n}\n";
    fs::write(&env.file, text).unwrap();
    env.cmd()
        .arg("list")
        .assert()
        .failure()
        .stderr(predicate::str::contains("missing field `title`"))
        .stderr(predicate::str::contains("line 4"));
}

#[test]
fn init_demo_writes_the_sample_once() {
    let env = Env::new();
    let out = env.run(&["init", "--demo"]);
    assert!(out.contains("30 stories"), "{out}");
    let json: Value = serde_json::from_str(&env.run(&["list", "--json"])).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 30);
    let epics: std::collections::BTreeSet<&str> =
        rows.iter().filter_map(|r| r["epic"].as_str()).collect();
    assert_eq!(epics.len(), 4);
    // Its releases are due six and fourteen weeks from the day it is
    // written, and 1.0 holds the first ten stories.
    let file: Value = serde_json::from_slice(&read(&env.file)).unwrap();
    let today = chrono::Local::now().date_naive();
    let due = |weeks: u64| {
        today
            .checked_add_days(chrono::Days::new(weeks * 7))
            .unwrap()
            .to_string()
    };
    let releases = file["releases"].as_array().unwrap();
    assert_eq!(releases[0]["name"], "1.0");
    assert_eq!(releases[0]["date"], due(6).as_str());
    assert!(releases[0]["line"].is_string());
    assert_eq!(releases[1]["name"], "1.1");
    assert_eq!(releases[1]["date"], due(14).as_str());
    env.cmd()
        .args(["init", "--demo"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "already holds a backlog of 30 stories",
        ));
}

/// The files beside the data file whose names start `backlog.json.replaced-`.
fn kept_beside(env: &Env) -> Vec<PathBuf> {
    fs::read_dir(env.file.parent().unwrap())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("backlog.json.replaced-")
        })
        .collect()
}

#[test]
fn init_replaces_a_backlog_that_holds_nothing_and_any_other_only_with_force() {
    let env = Env::new();
    // A first run made an empty backlog: the demo simply replaces it.
    env.run(&["init"]);
    assert!(env.file.exists());
    let out = env.run(&["init", "--demo"]);
    assert!(out.contains("with 30 stories"), "{out}");
    assert!(kept_beside(&env).is_empty(), "nothing worth keeping");

    // A backlog with stories: refused, naming --force; the file stays.
    env.refuses(&[
        (
            &["init", "--demo"][..],
            "already holds a backlog of 30 stories",
        ),
        (
            &["init", "--product", "Shop"],
            "`backlog init --product Shop --force` replaces it",
        ),
    ]);
    // With --force it is kept beside first, and the output says where.
    let before = read(&env.file);
    let out = env.run(&["init", "--product", "Shop", "--force"]);
    let kept = kept_beside(&env);
    assert_eq!(kept.len(), 1);
    assert_eq!(read(&kept[0]), before, "kept byte for byte");
    assert!(
        out.starts_with(&format!("Kept the old file as {}\n", kept[0].display())),
        "{out}"
    );
    assert!(env.list_ids().is_empty());
    assert_eq!(env.run(&["vision"]).lines().next(), Some("Shop"));

    // A product without stories is something too.
    env.refuses(&[(&["init", "--demo"], "already holds a product")]);

    // A file that cannot be read: refused as unreadable, or with --force
    // kept as it was and replaced.
    let broken = b"{ not json";
    fs::write(&env.file, broken).unwrap();
    env.refuses(&[(&["init", "--demo"], "line 1 column")]);
    env.refuses(&[(&["init", "--demo"], "--force")]);
    env.run(&["init", "--demo", "--force"]);
    assert!(kept_beside(&env).iter().any(|path| read(path) == broken));
    assert_eq!(env.list_ids().len(), 30);
}

#[test]
fn the_init_refusal_repeats_the_flags_given() {
    let env = Env::new();
    env.run(&["add", "Something"]);
    // Typing what the refusal suggests does what was asked, and not an
    // empty backlog instead of the demo.
    env.refuses(&[
        (
            &["init", "--demo"][..],
            "(`backlog init --demo --force` replaces it",
        ),
        (&["init"], "(`backlog init --force` replaces it"),
        (
            &["init", "--product", "Kiln's shop"],
            r"(`backlog init --product 'Kiln'\''s shop' --force` replaces it",
        ),
    ]);
    // A file other than the one a bare command finds is named too.
    let other = env.file.with_file_name("other.json");
    fs::copy(&env.file, &other).unwrap();
    let file = other.to_str().unwrap();
    let stderr = env.fail(&["--file", file, "init", "--demo"]);
    assert!(
        stderr.contains(&format!(
            "(`backlog --file {file} init --demo --force` replaces it"
        )),
        "{stderr}"
    );
    let typed = ["--file", file, "init", "--demo", "--force"];
    assert!(env.run(&typed).contains("with 30 stories"));
    assert_eq!(env.list_ids(), ["S-1"], "the file in use is untouched");
}

/// The undo history the TUI would have written for deleting `id` from the
/// backlog in `file`, which this deletes; returns the history file's bytes.
fn history_of_a_deletion(file: &Path, id: u64) -> Vec<u8> {
    use backlog::model::{HISTORY_LIMIT, History, Snapshot, StoryId};
    use backlog::store;
    let mut b = store::load(file).unwrap().backlog;
    let mut history = History::new(HISTORY_LIMIT);
    let before = Snapshot::take(&b, &[StoryId(id)], false);
    b.remove(StoryId(id)).unwrap();
    assert!(history.record("delete", chrono::Utc::now(), before, &b));
    store::save(file, &b).unwrap();
    store::save_history(file, &history).unwrap();
    read(&store::history_path(file))
}

#[test]
fn init_force_keeps_the_undo_history_with_the_old_file_and_undo_brings_nothing_back() {
    use backlog::store;
    let env = Env::new();
    for i in 1..=3 {
        env.run(&["add", &format!("old {i}")]);
    }
    let history = history_of_a_deletion(&env.file, 2);
    let out = env.run(&["init", "--demo", "--force"]);
    // Undo now finds nothing to bring back into the demo.
    let mut b = store::load(&env.file).unwrap().backlog;
    let mut undo = store::load_history(&env.file).unwrap();
    assert!(undo.undo(&mut b).is_err(), "undo brought something back");
    assert!(!store::history_path(&env.file).exists());
    // The history went with the kept file, whole, and `--file` on that
    // file opens it with its own undo.
    let kept = kept_beside(&env);
    let copy = kept
        .iter()
        .find(|p| p.extension().unwrap() == "json")
        .unwrap();
    let aside = store::history_path(copy);
    assert_eq!(read(&aside), history, "the user's history is never deleted");
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(
        out.contains(&format!("Kept its undo history as {}\n", aside.display())),
        "{out}"
    );
    let mut old = store::load(copy).unwrap().backlog;
    store::load_history(copy).unwrap().undo(&mut old).unwrap();
    assert_eq!(old.get(backlog::model::StoryId(2)).unwrap().title, "old 2");
}

#[test]
fn a_backlog_emptied_of_stories_or_with_a_history_does_not_hold_nothing() {
    let env = Env::new();
    env.run(&["add", "one"]);
    env.run(&["add", "two"]);
    env.run(&["rm", "S-1"]);
    env.run(&["rm", "S-2"]);
    // Ids up to S-2 were handed out: a new backlog would give them again.
    env.refuses(&[(
        &["init", "--demo"],
        "already holds a backlog whose stories were all deleted; their ids, up to S-2, \
         are never given again",
    )]);
    env.run(&["add", "three"]);
    // An undo history beside a file as a first run leaves it, or beside
    // no file at all.
    history_of_a_deletion(&env.file, 3);
    let history = backlog::store::history_path(&env.file);
    let said = format!(
        "{} holds the undo history of an earlier backlog\n\
         (`backlog init --demo --force` sets it aside and writes the new backlog)",
        history.display()
    );
    fs::write(&env.file, "{\"schema\": 2}\n").unwrap();
    env.refuses(&[(&["init", "--demo"], &said)]);
    fs::remove_file(&env.file).unwrap();
    assert!(env.fail(&["init", "--demo"]).contains(&said));
    assert!(!env.file.exists());
    let out = env.run(&["init", "--demo", "--force"]);
    assert!(!history.exists());
    assert!(out.starts_with("Kept its undo history as "), "{out}");
}

/// The files beside the data file whose names start `prefix`.
fn named_beside(env: &Env, prefix: &str) -> Vec<PathBuf> {
    let mut names: Vec<PathBuf> = fs::read_dir(env.file.parent().unwrap())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(prefix)
        })
        .collect();
    names.sort();
    names
}

#[test]
fn init_force_with_only_a_history_keeps_it_under_its_own_name_and_makes_no_empty_copy() {
    let env = Env::new();
    let history = backlog::store::history_path(&env.file);
    fs::write(&history, "[]\n").unwrap();
    let out = env.run(&["init", "--force"]);
    // No data file, so no copy of one: an empty "copy" would be a file
    // that does not read.
    assert_eq!(kept_beside(&env), Vec::<PathBuf>::new(), "{out}");
    let aside = named_beside(&env, "backlog.json.history.replaced-");
    assert_eq!(aside.len(), 1, "{out}");
    assert_eq!(read(&aside[0]), b"[]\n", "the history, byte for byte");
    assert_eq!(
        out,
        format!(
            "Kept its undo history as {}\nWrote {} with 0 stories\n",
            aside[0].display(),
            env.file.display()
        )
    );
    assert!(!history.exists());
    assert!(env.list_ids().is_empty());
}

#[test]
fn init_replaces_a_file_it_cannot_decode_only_with_force_and_keeps_its_bytes() {
    let env = Env::new();
    // UTF-16 (with its byte-order mark), and bytes that are not UTF-8.
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain("{\"schema\": 2}".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    for (bytes, why) in [
        (utf16, "is UTF-16"),
        (
            b"{\"product\": \"\xff\"}".to_vec(),
            "is not UTF-8 at byte offset 13",
        ),
    ] {
        for file in kept_beside(&env) {
            fs::remove_file(file).unwrap();
        }
        fs::write(&env.file, &bytes).unwrap();
        let replaces =
            "(`backlog init --demo --force` replaces it, keeping the old file beside it)";
        env.refuses(&[(&["init", "--demo"], why), (&["init", "--demo"], replaces)]);
        assert_eq!(kept_beside(&env), Vec::<PathBuf>::new());
        let out = env.run(&["init", "--demo", "--force"]);
        let kept = kept_beside(&env);
        assert_eq!(kept.len(), 1, "{out}");
        assert_eq!(read(&kept[0]), bytes, "kept byte for byte");
        assert_eq!(env.list_ids().len(), 30);
    }
}

#[cfg(unix)]
#[test]
fn init_force_never_keeps_or_replaces_a_directory_or_a_pipe() {
    use std::os::unix::fs::FileTypeExt;
    let env = Env::new();
    fs::create_dir(&env.file).unwrap();
    fs::write(env.file.join("inside"), "mine").unwrap();
    let stderr = env.fail(&["init", "--demo", "--force"]);
    assert!(
        stderr.contains("is a directory, not a backlog file"),
        "{stderr}"
    );
    assert_eq!(read(&env.file.join("inside")), b"mine");
    fs::remove_dir_all(&env.file).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&env.file)
        .status()
        .unwrap();
    assert!(made.success());
    let stderr = env.fail(&["init", "--demo", "--force"]);
    assert!(stderr.contains("is not a regular file"), "{stderr}");
    assert!(
        fs::symlink_metadata(&env.file)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    let parent = env.file.parent().unwrap();
    let names: Vec<_> = fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["backlog.json"], "nothing kept, nothing beside it");
}

#[cfg(unix)]
#[test]
fn init_force_on_a_read_only_file_writes_nothing_and_a_kept_copy_has_the_files_mode() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.run(&["add", "mine"]);
    let history = history_of_a_deletion(&env.file, 1);
    env.run(&["add", "still mine"]);
    let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let set_mode = |mode: u32| {
        fs::set_permissions(&env.file, fs::Permissions::from_mode(mode)).unwrap();
    };
    set_mode(0o444);
    env.refuses(&[(&["init", "--demo", "--force"], "is read-only")]);
    assert_eq!(
        kept_beside(&env),
        Vec::<PathBuf>::new(),
        "no copy left behind"
    );
    assert_eq!(read(&backlog::store::history_path(&env.file)), history);
    // A copy kept beside the file is as private as the file.
    set_mode(0o640);
    env.run(&["init", "--demo", "--force"]);
    let kept = kept_beside(&env);
    let copy = kept
        .iter()
        .find(|p| p.extension().unwrap() == "json")
        .unwrap();
    assert_eq!(mode(copy), 0o640);
}

#[test]
fn path_follows_flag_then_env_then_data_dir() {
    let env = Env::new();
    assert_eq!(env.run(&["path"]), format!("{}\n", env.file.display()));
    let out = env
        .cmd()
        .args(["--file", "/elsewhere/b.json", "path"])
        .assert()
        .success();
    assert_eq!(out.get_output().stdout, b"/elsewhere/b.json\n");

    let home = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("backlog")
        .unwrap()
        .env_remove("BACKLOG_FILE")
        .env_remove("XDG_DATA_HOME")
        .env("HOME", home.path())
        .arg("path")
        .assert()
        .success();
    let expected = home.path().join(".local/share/backlog/backlog.json");
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout).trim(),
        expected.display().to_string()
    );
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let env = Env::new();
    env.run(&["add", "evil\x1b[2Jtitle"]);
    let list = env.run(&["list"]);
    assert!(!list.contains('\x1b'));
    assert!(list.contains("evil\u{fffd}[2Jtitle"));
    let show = env.run(&["show", "S-1"]);
    assert!(!show.contains('\x1b'));
}

#[test]
fn json_output_escapes_invisible_and_reordering_characters() {
    let env = Env::new();
    // DEL, C1 controls (NEL, CSI), bidi overrides and isolates, zero-width
    // characters and the byte-order mark, each between two letters.
    let hidden = [
        '\u{7f}', '\u{85}', '\u{9b}', '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{200b}',
        '\u{200c}', '\u{200d}', '\u{feff}',
    ];
    let title: String = hidden.iter().flat_map(|&c| ['a', c]).chain(['z']).collect();
    env.run(&["epic", "add", "Ep\u{202e}ic"]);
    env.run(&["add", &title, "--epic", "Ep\u{202e}ic"]);
    env.run(&["comment", "S-1", "Why\u{9b}2J?", "--question"]);
    for args in [
        &["list", "--json"][..],
        &["show", "S-1", "--json"],
        &["ready", "--json"],
        &["epic", "list", "--json"],
    ] {
        let out = env.run(args);
        assert!(
            !out.chars().any(|c| hidden.contains(&c)),
            "{args:?} let one through: {out:?}"
        );
        assert!(out.contains("\\u202e"), "{args:?}: {out}");
    }
    // Escaped, not lost: a JSON reader gets the text back whole.
    let shown = env.json(&["show", "S-1", "--json"]);
    assert_eq!(shown["title"], title.as_str());
    assert_eq!(shown["epic"], "Ep\u{202e}ic");
    assert_eq!(shown["comments"][0]["text"], "Why\u{9b}2J?");
}

#[test]
fn the_tui_refuses_to_start_without_a_terminal() {
    let env = Env::new();
    env.cmd()
        .assert()
        .failure()
        .stderr(predicate::str::contains("needs a terminal"));
    assert!(!env.file.exists());
}

#[test]
fn a_keys_file_that_cannot_be_used_stops_the_tui_before_it_touches_anything() {
    let env = Env::new();
    let keys = env.config.with_file_name("keys.toml");
    fs::write(
        &keys,
        "[backlog]\nJ = \"move_down\"\nshift-j = \"move_up\"\n",
    )
    .unwrap();
    // Before the data file is made, and before the terminal is asked for.
    let stderr = env.fail(&[]);
    assert_eq!(
        stderr,
        format!(
            "backlog: cannot read keys {}: line 3 column 1: J is bound twice in [backlog]: \
             line 2 binds it already\n",
            keys.display()
        )
    );
    assert!(!env.file.exists());
    // A data file there is left byte for byte as it was.
    env.run(&["add", "Kept"]);
    let before = read(&env.file);
    fs::write(&keys, "[backlog]\nn = \"select_nxt\"\n").unwrap();
    assert!(
        env.fail(&[])
            .contains("line 2 column 5: there is no command \"select_nxt\"")
    );
    assert_eq!(read(&env.file), before);
}

#[test]
fn keys_lists_the_keys_in_force_and_where_each_comes_from() {
    let env = Env::new();
    let keys = env.config.with_file_name("keys.toml");
    let out = env.run(&["keys"]);
    assert!(
        out.starts_with(&format!(
            "# The built-in keys; a keys.toml at {} would go over them.\n",
            keys.display()
        )),
        "{out}"
    );
    assert!(
        out.contains(
            "\n[backlog]\nj = \"select_next\"                  # select the next story · built in\n"
        ),
        "{out}"
    );
    assert!(out.contains("\n[form.field]\n"), "{out}");
    assert!(out.contains("\n\"?\" = \"help\""), "{out}");
    assert!(!out.contains("# no key"), "{out}");

    fs::write(
        &keys,
        "[backlog]\nn = \"select_next\"\ne = \"select_previous\"\n",
    )
    .unwrap();
    let out = env.run(&["keys"]);
    let path = keys.display();
    assert!(out.contains(&format!("# The built-in keys, with {path} over them.")));
    assert!(
        out.contains(&format!(
            "n = \"select_next\"                  # select the next story · {path}:2\n\
             j = \"select_next\"                  # select the next story · built in\n"
        )),
        "{out}"
    );
    assert!(
        out.contains(
            "# no key: edit_in_editor (edit the story as Markdown in $VISUAL / $EDITOR)\n"
        ),
        "{out}"
    );

    let json = env.json(&["keys", "--json"]);
    assert_eq!(json["file"], path.to_string());
    let backlog = &json["contexts"][0];
    assert_eq!(backlog["context"], "backlog");
    assert_eq!(backlog["falls_back_on"], Value::Null);
    assert_eq!(
        backlog["bindings"][0],
        serde_json::json!({
            "key": "n", "command": "select_next", "does": "select the next story",
            "from": "file", "line": 2
        })
    );
    assert_eq!(backlog["bindings"][1]["from"], "built-in");
    assert_eq!(backlog["bindings"][1]["line"], Value::Null);
    assert_eq!(backlog["unbound"][0]["command"], "edit_in_editor");
    let story = &json["contexts"][1];
    assert_eq!(story["context"], "story");
    assert_eq!(story["falls_back_on"], "backlog");

    // A file that cannot be used is an error here too, with its place.
    fs::write(&keys, "[backlog]\nn = \"select_next\"\n[tabel]\n").unwrap();
    let stderr = env.fail(&["keys"]);
    assert!(
        stderr.contains(&format!(
            "cannot read keys {path}: line 3 column 2: there is no key context [tabel]"
        )),
        "{stderr}"
    );
}

#[test]
fn help_is_everywhere() {
    let env = Env::new();
    let commands: &[&[&str]] = &[
        &["add"],
        &["list"],
        &["show"],
        &["edit"],
        &["split"],
        &["comment"],
        &["resolve"],
        &["ready"],
        &["move"],
        &["rm"],
        &["vision"],
        &["epic"],
        &["epic", "list"],
        &["epic", "add"],
        &["epic", "edit"],
        &["epic", "rm"],
        &["settings"],
        &["path"],
        &["keys"],
        &["init"],
    ];
    for command in commands {
        env.cmd()
            .args(*command)
            .arg("--help")
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage: backlog"));
    }
}

#[test]
fn escapes_quoted_from_a_bad_file_never_reach_the_terminal() {
    let env = Env::new();
    env.run(&["add", "x"]);
    let text = fs::read_to_string(&env.file)
        .unwrap()
        .replace("\"draft\"", "\"\\u001b]0;pwned\\u0007\\u001b[2J\"");
    fs::write(&env.file, text).unwrap();
    let out = env.cmd().arg("list").assert().failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("unknown variant"), "{stderr}");
    assert!(
        !stderr.contains('\x1b') && !stderr.contains('\x07'),
        "{stderr:?}"
    );
}

/// A story that passes the default Definition of Ready but for what a
/// test leaves out.
fn add_full(env: &Env, title: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "add",
        title,
        "--as-a",
        "shopper",
        "--i-want",
        "to pay",
        "--so-that",
        "I can leave",
        "--criterion",
        "Charged once",
    ];
    if !extra.contains(&"--points") && !extra.contains(&"--estimate") {
        args.extend_from_slice(&["--points", "3"]);
    }
    args.extend_from_slice(extra);
    env.run(&args).trim().to_string()
}

#[test]
fn show_prints_the_document_and_edit_reads_it_back() {
    let env = Env::new();
    add_full(
        &env,
        "Pay by card",
        &["--label", "payments", "--new-epic", "Checkout"],
    );
    let document = env.run(&["show", "S-1"]);
    assert_eq!(
        document,
        "---\nid: S-1\nstatus: draft\nestimate: 3\nepic: Checkout\nlabels: payments\nblocked-by:\n---\n\n\
         # Pay by card\n\n## User story\n\nAs a shopper,\nI want to pay,\nSo that I can leave\n\n\
         ## Description\n\n## Acceptance criteria\n\n- [ ] Charged once\n"
    );

    let edited = document
        .replace("estimate: 3", "estimate: 5")
        .replace("labels: payments", "labels: payments, web")
        .replace("epic: Checkout", "epic:")
        .replace("# Pay by card", "# Pay by card or phone")
        .replace(
            "- [ ] Charged once",
            "- [x] Charged once\n- [ ] Receipt sent",
        )
        .replace(
            "## Description\n",
            "## Description\n\nPhones too.\n\n### Wallets\nLater.\n",
        );
    let doc_file = env.file.with_file_name("story.md");
    fs::write(&doc_file, &edited).unwrap();
    let path = doc_file.to_str().unwrap();
    assert_eq!(
        env.run(&["edit", "S-1", "--from-file", path]),
        "Updated S-1\n"
    );

    let shown = env.json(&["show", "S-1", "--json"]);
    assert_eq!(shown["title"], "Pay by card or phone");
    assert_eq!(shown["points"], 5);
    assert_eq!(shown["epic"], Value::Null);
    assert_eq!(shown["labels"], serde_json::json!(["payments", "web"]));
    assert_eq!(shown["description"], "Phones too.\n\n### Wallets\nLater.");
    assert_eq!(
        shown["acceptance_criteria"],
        serde_json::json!([
            {"text": "Charged once", "done": true},
            {"text": "Receipt sent", "done": false},
        ])
    );
    // What was written out reads back to itself.
    assert_eq!(env.run(&["show", "S-1"]), edited);

    // Standard input works as well.
    env.cmd()
        .args(["edit", "S-1", "--from-file", "-"])
        .write_stdin("# From stdin\n")
        .assert()
        .success();
    let shown = env.json(&["show", "S-1", "--json"]);
    assert_eq!(shown["title"], "From stdin");
    assert_eq!(shown["points"], 5, "a key left out keeps its field");
    assert_eq!(shown["acceptance_criteria"], serde_json::json!([]));
}

#[test]
fn a_bad_document_names_file_and_line_and_changes_nothing() {
    let env = Env::new();
    add_full(&env, "Story", &[]);
    let before = read(&env.file);
    let doc_file = env.file.with_file_name("story.md");
    let cases: &[(&str, &str)] = &[
        (
            "---\nstatus: started\n---\n# T\n",
            ":2: unknown status \"started\"",
        ),
        ("---\nsize: big\n---\n# T\n", ":2: unknown key `size`"),
        (
            "---\nestimate: huge\n---\n# T\n",
            ":2: \"huge\" is not an estimate",
        ),
        ("\n## User story\n", ":2: expected the title"),
        (
            "# T\n## Acceptance criteria\n- [ ] a\nb\n",
            ":4: expected an acceptance criterion",
        ),
        (
            "# T\n## Description\n## Description\n",
            ":3: a second `## Description`",
        ),
        ("# T\n\x1b[2J\n", ":2: control character U+001B"),
    ];
    for (text, message) in cases {
        fs::write(&doc_file, text).unwrap();
        let stderr = env.fail(&["edit", "S-1", "--from-file", doc_file.to_str().unwrap()]);
        let expected = format!("{}{message}", doc_file.display());
        assert!(stderr.starts_with(&expected), "{text:?}: {stderr}");
        assert!(!stderr.contains('\x1b'));
        assert_eq!(read(&env.file), before, "{text:?} changed the file");
    }
    env.cmd()
        .args(["edit", "S-1", "--from-file", "-"])
        .write_stdin("---\nepic\n---\n# T\n")
        .assert()
        .failure()
        .stderr(predicate::str::starts_with(
            "<stdin>:2: expected `key: value`",
        ));
    // A document for another story is refused.
    fs::write(&doc_file, "---\nid: S-7\n---\n# T\n").unwrap();
    let stderr = env.fail(&["edit", "S-1", "--from-file", doc_file.to_str().unwrap()]);
    assert!(
        stderr.contains("is the document of S-7, not of S-1"),
        "{stderr}"
    );
    // And fields cannot be mixed in.
    let stderr = env.fail(&["edit", "S-1", "--from-file", "-", "--title", "x"]);
    assert!(stderr.contains("cannot be used with"), "{stderr}");
    assert_eq!(read(&env.file), before);
}

#[test]
fn every_field_is_settable_from_edit() {
    let env = Env::new();
    env.run(&[
        "add",
        "Story",
        "--criterion",
        "one",
        "--criterion",
        "two",
        "--criterion",
        "three",
        "--label",
        "a",
    ]);
    env.run(&[
        "edit",
        "S-1",
        "--check",
        "1",
        "--check",
        "3",
        "--remove-criterion",
        "2",
        "--criterion",
        "four",
        "--labels",
        "x, y",
        "--label",
        "z",
        "--estimate",
        "½",
    ]);
    let shown = env.json(&["show", "S-1", "--json"]);
    assert_eq!(
        shown["acceptance_criteria"],
        serde_json::json!([
            {"text": "one", "done": true},
            {"text": "three", "done": true},
            {"text": "four", "done": false},
        ])
    );
    assert_eq!(shown["labels"], serde_json::json!(["x", "y", "z"]));
    assert_eq!(shown["points"], 0.5);
    env.run(&["edit", "S-1", "--uncheck", "1", "--labels", ""]);
    let shown = env.json(&["show", "S-1", "--json"]);
    assert_eq!(shown["acceptance_criteria"][0]["done"], false);
    assert_eq!(shown["labels"], serde_json::json!([]));

    env.run(&["settings", "--scale", "t-shirt"]);
    env.run(&["edit", "S-1", "--estimate", "XL"]);
    assert_eq!(env.json(&["show", "S-1", "--json"])["points"], 8);
    assert!(env.run(&["show", "S-1"]).contains("estimate: XL\n"));
    env.run(&["edit", "S-1", "--no-estimate"]);
    assert_eq!(env.json(&["show", "S-1", "--json"])["points"], Value::Null);
    env.run(&["edit", "S-1", "--points", "13"]);
    assert_eq!(env.json(&["show", "S-1", "--json"])["points"], 13);

    env.refuses(&[
        (
            &["edit", "S-1", "--check", "4"][..],
            "S-1 has no acceptance criterion 4",
        ),
        (
            &["edit", "S-1", "--remove-criterion", "0"],
            "no acceptance criterion 0",
        ),
        (
            &["edit", "S-1", "--check", "1", "--uncheck", "1"],
            "both checked and unchecked",
        ),
        (
            &["edit", "S-1", "--estimate", "huge"],
            "--estimate: \"huge\" is not an estimate",
        ),
        (&["edit", "S-1", "--force"], "nothing to change"),
    ]);
}

#[test]
fn ready_is_refused_with_reasons_unless_forced_and_the_override_is_recorded() {
    let env = Env::new();
    env.run(&["add", "Vague"]);
    let before = read(&env.file);
    let stderr = env.fail(&["edit", "S-1", "--status", "ready"]);
    assert!(stderr.contains("S-1 is not ready"), "{stderr}");
    assert!(stderr.contains("no acceptance criteria"), "{stderr}");
    assert!(stderr.contains("not estimated"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(read(&env.file), before);

    fs::write(&env.config, "author = \"Pat Owner\"\n").unwrap();
    let out = env.run(&["edit", "S-1", "--status", "ready", "--force"]);
    assert!(out.starts_with("Updated S-1: ready by override"), "{out}");
    let shown = env.json(&["show", "S-1", "--json"]);
    assert_eq!(shown["status"], "ready");
    assert_eq!(shown["ready"], false);
    assert_eq!(shown["ready_override"]["by"], "Pat Owner");
    let missing = shown["ready_override"]["missing"].as_array().unwrap();
    assert!(missing.iter().any(|m| m == "not estimated"), "{missing:?}");
    assert_eq!(shown["not_ready"], shown["ready_override"]["missing"]);

    // A story that meets the Definition of Ready needs no force.
    add_full(&env, "Clear", &[]);
    assert_eq!(
        env.run(&["edit", "S-2", "--status", "ready"]),
        "Updated S-2\n"
    );
    assert_eq!(
        env.json(&["show", "S-2", "--json"])["ready_override"],
        Value::Null
    );
}

#[test]
fn comments_and_questions_carry_the_configured_author() {
    let env = Env::new();
    add_full(&env, "Story", &[]);
    fs::write(&env.config, "# me\nauthor = \"Ann Smith\"\n").unwrap();
    assert_eq!(
        env.run(&["comment", "S-1", "Looks good"]),
        "Added comment 1 to S-1\n"
    );
    assert_eq!(
        env.run(&["comment", "S-1", "Which cards?", "--question"]),
        "Added question 2 to S-1\n"
    );
    let shown = env.json(&["show", "S-1", "--json"]);
    assert_eq!(shown["comments"][0]["author"], "Ann Smith");
    assert_eq!(shown["comments"][0]["question"], false);
    assert_eq!(shown["comments"][1]["question"], true);
    assert_eq!(shown["comments"][1]["resolved"], Value::Null);
    assert_eq!(shown["not_ready"], serde_json::json!(["1 open question"]));
    let document = env.run(&["show", "S-1"]);
    assert!(document.contains("## Comments\n"), "{document}");
    assert!(document.contains("1. Ann Smith, "), "{document}");
    assert!(
        document.contains(", open question: Which cards?\n"),
        "{document}"
    );

    assert!(
        env.fail(&["resolve", "S-1", "1"])
            .contains("not a question")
    );
    assert!(
        env.fail(&["resolve", "S-1", "3"])
            .contains("S-1 has no comment 3")
    );
    assert!(
        env.fail(&["comment", "S-1", "  "])
            .contains("a comment needs some text")
    );
    assert_eq!(
        env.run(&["resolve", "S-1", "2"]),
        "Resolved question 2 on S-1\n"
    );
    let shown = env.json(&["show", "S-1", "--json"]);
    assert_eq!(shown["comments"][1]["resolved"]["by"], "Ann Smith");
    assert_eq!(shown["ready"], true);
    assert_eq!(
        env.run(&["resolve", "S-1", "2", "--reopen"]),
        "Reopened question 2 on S-1\n"
    );
    assert_eq!(env.json(&["show", "S-1", "--json"])["ready"], false);

    // Without a config file, $USER signs.
    fs::remove_file(&env.config).unwrap();
    env.run(&["comment", "S-1", "Me again"]);
    assert_eq!(
        env.json(&["show", "S-1", "--json"])["comments"][2]["author"],
        "tester"
    );
}

#[test]
fn a_bad_config_is_reported_with_its_line_and_stops_only_what_needs_it() {
    let env = Env::new();
    add_full(&env, "Story", &[]);
    fs::write(&env.config, "author = \"Ann\"\nauthr = \"typo\"\n").unwrap();
    let before = read(&env.file);
    let stderr = env.fail(&["comment", "S-1", "hello"]);
    assert!(
        stderr.contains(&env.config.display().to_string()),
        "{stderr}"
    );
    assert!(stderr.contains("line 2 column 1"), "{stderr}");
    assert!(stderr.contains("unknown field `authr`"), "{stderr}");
    assert_eq!(read(&env.file), before);
    fs::write(&env.config, "author = [1]\n").unwrap();
    let stderr = env.fail(&["edit", "S-1", "--status", "ready", "--force"]);
    assert!(stderr.contains("line 1 column 10"), "{stderr}");
    assert_eq!(read(&env.file), before);
    // Commands that do not sign anything still work.
    env.run(&["list"]);
    env.run(&["edit", "S-1", "--title", "Renamed"]);
}

#[test]
fn ready_lists_what_keeps_stories_from_being_ready() {
    let env = Env::new();
    assert_eq!(
        env.run(&["ready"]),
        "There are no draft or ready stories.\n"
    );
    add_full(&env, "Fine", &[]);
    assert_eq!(
        env.run(&["ready"]),
        "The one draft or ready story meets the Definition of Ready.\n"
    );
    env.run(&["add", "Vague", "--top"]);
    add_full(&env, "Huge", &["--points", "21"]);
    env.run(&["add", "Finished"]);
    env.run(&["edit", "S-4", "--status", "done"]);
    let text = env.run(&["ready"]);
    assert!(
        text.starts_with("2 of 3 draft and ready stories are not ready:\n"),
        "{text}"
    );
    let vague = text.find("S-2").unwrap();
    let huge = text.find("S-3").unwrap();
    assert!(vague < huge, "rank order: {text}");
    assert!(text.contains("- no acceptance criteria"), "{text}");
    assert!(
        text.contains("- estimate 21 is above the maximum of 13: split it"),
        "{text}"
    );
    assert!(!text.contains("S-4"), "done stories are not listed: {text}");

    let json = env.json(&["ready", "--json"]);
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["id"], "S-2");
    assert_eq!(rows[0]["rank"], 1);
    assert_eq!(
        rows[1]["not_ready"],
        serde_json::json!(["estimate 21 is above the maximum of 13: split it"])
    );

    env.run(&[
        "settings",
        "--max-points",
        "21",
        "--disable",
        "user-story",
        "--disable",
        "acceptance-criteria",
        "--disable",
        "estimated",
    ]);
    assert!(env.run(&["ready"]).starts_with("All 3 draft"));
}

#[test]
fn vision_shows_and_changes_name_vision_and_goals() {
    let env = Env::new();
    let text = env.run(&["vision"]);
    assert!(text.contains("has no name"), "{text}");
    assert!(text.contains("No vision yet"), "{text}");
    let text = env.run(&[
        "vision",
        "--product",
        "Shop",
        "--set",
        "Sell pots\nto everyone",
        "--add-goal",
        "First",
        "--add-goal",
        "Second",
    ]);
    assert_eq!(
        text,
        "Shop\n\nVision\n\n  Sell pots\n  to everyone\n\nGoals\n\n  1. First\n  2. Second\n"
    );
    let text = env.run(&["vision", "--remove-goal", "1"]);
    assert!(text.ends_with("Goals\n\n  1. Second\n"), "{text}");
    let before = read(&env.file);
    assert!(
        env.fail(&["vision", "--remove-goal", "5"])
            .contains("there is no goal 5")
    );
    assert!(
        env.fail(&["vision", "--add-goal", " "])
            .contains("a goal needs some text")
    );
    assert_eq!(read(&env.file), before);
}

#[test]
fn epics_are_listed_added_edited_and_removed() {
    let env = Env::new();
    assert!(env.run(&["epic"]).starts_with("No epics yet"));
    assert_eq!(
        env.run(&[
            "epic",
            "add",
            "Checkout",
            "--goal",
            "Pay fast",
            "--release",
            "1.0"
        ]),
        "Added epic Checkout (blue)\n"
    );
    assert_eq!(
        env.run(&["epic", "add", "Search", "--color", "red"]),
        "Added epic Search (red)\n"
    );
    add_full(&env, "a", &["--epic", "Checkout", "--points", "5"]);
    add_full(&env, "b", &["--epic", "Checkout", "--points", "8"]);
    let list = env.run(&["epic", "list"]);
    assert_eq!(
        list,
        "■ Checkout  blue       2 stories     13 points  release 1.0\n    Pay fast\n\
         ★ Search    red        0 stories      0 points\n"
    );
    let json = env.json(&["epic", "list", "--json"]);
    assert_eq!(json[0]["stories"], 2);
    assert_eq!(json[0]["points"], 13.0);
    assert_eq!(json[0]["target_release"], "1.0");
    assert_eq!(json[1]["color"], "red");

    assert_eq!(
        env.run(&[
            "epic",
            "edit",
            "Checkout",
            "--name",
            "Payments",
            "--color",
            "green",
            "--no-release"
        ]),
        "Updated epic Payments\n"
    );
    assert_eq!(env.json(&["show", "S-1", "--json"])["epic"], "Payments");
    assert_eq!(
        env.json(&["epic", "list", "--json"])[0]["target_release"],
        Value::Null
    );
    assert_eq!(
        env.run(&[
            "epic",
            "rm",
            "Payments",
            "--stories",
            "move",
            "--to",
            "Search"
        ]),
        "Removed epic Payments; its 2 stories moved to Search\n"
    );
    assert_eq!(env.json(&["show", "S-2", "--json"])["epic"], "Search");
    assert_eq!(
        env.run(&["epic", "rm", "Search", "--stories", "unassign"]),
        "Removed epic Search; its 2 stories are in no epic now\n"
    );
    assert_eq!(env.json(&["show", "S-2", "--json"])["epic"], Value::Null);
    env.run(&["epic", "add", "Doomed"]);
    env.run(&["edit", "S-1", "--epic", "Doomed"]);
    assert_eq!(
        env.run(&["epic", "rm", "Doomed", "--stories", "delete"]),
        "Removed epic Doomed and its story S-1\n"
    );
    assert_eq!(env.list_ids(), ["S-2"]);
    env.run(&["epic", "add", "Empty"]);
    assert_eq!(env.run(&["epic", "rm", "Empty"]), "Removed epic Empty\n");
}

#[test]
fn settings_show_and_change_the_scale_and_the_rules() {
    let env = Env::new();
    let text = env.run(&["settings"]);
    assert!(
        text.starts_with("Estimate scale: fibonacci (1, 2, 3, 5, 8, 13, 21)\n"),
        "{text}"
    );
    assert!(text.contains("[on ] no-open-questions"), "{text}");
    assert!(
        text.contains("estimate at or below the maximum: 13 points"),
        "{text}"
    );
    let text = env.run(&[
        "settings",
        "--scale",
        "modified-fibonacci",
        "--disable",
        "no-open-questions",
        "--max-points",
        "20",
    ]);
    assert!(
        text.starts_with(
            "Estimate scale: modified-fibonacci (0, ½, 1, 2, 3, 5, 8, 13, 20, 40, 100)\n"
        ),
        "{text}"
    );
    assert!(text.contains("[off] no-open-questions"), "{text}");
    assert!(text.contains("maximum: 20 points"), "{text}");
    let text = env.run(&["settings", "--enable", "no-open-questions"]);
    assert!(text.contains("[on ] no-open-questions"), "{text}");
    env.refuses(&[
        (&["settings", "--scale", "decimal"][..], "unknown scale"),
        (&["settings", "--enable", "speedy"], "unknown rule"),
        (
            &[
                "settings",
                "--enable",
                "estimated",
                "--disable",
                "estimated",
            ],
            "both enabled and disabled",
        ),
        (&["settings", "--max-points=-1"], "is not an estimate"),
    ]);
}

#[test]
fn split_moves_criteria_to_a_new_story_after_the_original() {
    let env = Env::new();
    env.run(&[
        "add",
        "Big",
        "--criterion",
        "a",
        "--criterion",
        "b",
        "--criterion",
        "c",
        "--new-epic",
        "E",
    ]);
    env.run(&["add", "Next"]);
    assert_eq!(
        env.run(&["split", "S-1", "--title", "Part two", "--criteria", "2,3"]),
        "S-3\n"
    );
    assert_eq!(env.list_ids(), ["S-1", "S-3", "S-2"]);
    let original = env.json(&["show", "S-1", "--json"]);
    assert_eq!(
        original["acceptance_criteria"],
        serde_json::json!([{"text": "a", "done": false}])
    );
    assert_eq!(original["split_into"], serde_json::json!(["S-3"]));
    let part = env.json(&["show", "S-3", "--json"]);
    assert_eq!(part["split_from"], "S-1");
    assert_eq!(part["epic"], "E");
    assert_eq!(part["acceptance_criteria"].as_array().unwrap().len(), 2);
    env.refuses(&[
        (
            &["split", "S-1", "--title", "x", "--criteria", "4"][..],
            "S-1 has no acceptance criterion 4",
        ),
        (
            &["split", "S-1", "--title", "x", "--criteria", "0"],
            "numbered from 1",
        ),
        (&["split", "S-1", "--title", " "], "a story needs a title"),
        (&["split", "S-9", "--title", "x"], "no story S-9"),
    ]);
}

#[test]
fn epic_mistakes_are_refused_and_change_nothing() {
    let env = Env::new();
    env.run(&["epic", "add", "Payments"]);
    env.run(&["epic", "add", "Search"]);
    add_full(&env, "a", &["--epic", "Payments"]);
    add_full(&env, "b", &["--epic", "Payments"]);
    env.refuses(&[
        (
            &["epic", "rm", "Payments"][..],
            "epic \"Payments\" has 2 stories: say what happens to them with --stories",
        ),
        (
            &["epic", "rm", "Payments", "--stories", "move"],
            "--stories move needs --to",
        ),
        (
            &["epic", "rm", "Payments", "--to", "Search"],
            "--to goes with --stories move",
        ),
        (
            &[
                "epic",
                "rm",
                "Payments",
                "--stories",
                "move",
                "--to",
                "Nope",
            ],
            "no epic \"Nope\"",
        ),
        (&["epic", "rm", "Nope"], "no epic \"Nope\""),
        (
            &[
                "epic",
                "rm",
                "payments",
                "--stories",
                "move",
                "--to",
                "PAYMENTS",
            ],
            "cannot move Payments's stories to Payments itself",
        ),
        (&["epic", "add", "Search"], "already an epic \"Search\""),
        (&["epic", "edit", "Search"], "nothing to change"),
        (
            &["epic", "edit", "Search", "--name", "Payments"],
            "already an epic \"Payments\"",
        ),
        (&["epic", "add", "Odd", "--color", "pink"], "unknown colour"),
    ]);
}

#[test]
fn epic_names_match_without_case_and_a_new_one_is_made_only_when_asked() {
    let env = Env::new();
    env.run(&["epic", "add", "Billing"]);
    env.run(&["add", "Pay"]);
    env.run(&["edit", "S-1", "--epic", "billing"]);
    assert_eq!(env.json(&["show", "S-1", "--json"])["epic"], "Billing");
    env.run(&["add", "Refund", "--epic", "BILLING"]);
    assert_eq!(env.json(&["show", "S-2", "--json"])["epic"], "Billing");
    env.refuses(&[
        (
            &["epic", "add", "BILLING"],
            "there is already an epic \"Billing\"",
        ),
        (
            &["edit", "S-1", "--epic", "Bilings"],
            "no epic \"Bilings\" (the epics are \"Billing\"); --new-epic NAME makes a new one",
        ),
        (&["add", "x", "--epic", "Nope"], "no epic \"Nope\""),
        (
            &["edit", "S-1", "--new-epic", "billing"],
            "already an epic \"Billing\"",
        ),
        (
            &["add", "x", "--new-epic", "BILLING"],
            "put the story in it with --epic",
        ),
    ]);
    let epics = env.json(&["epic", "list", "--json"]);
    assert_eq!(epics.as_array().unwrap().len(), 1, "{epics}");
    // Asked for: made, in the first colour no epic has.
    env.run(&["edit", "S-2", "--new-epic", "Refunds"]);
    env.run(&["add", "Third", "--new-epic", "Search"]);
    let epics = env.json(&["epic", "list", "--json"]);
    let colours: Vec<&str> = epics
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["color"].as_str().unwrap())
        .collect();
    assert_eq!(colours, ["blue", "green", "magenta"]);
    // Epic commands take any spelling, and say the epic's own.
    assert_eq!(
        env.run(&["epic", "edit", "REFUNDS", "--goal", "Money back"]),
        "Updated epic Refunds\n"
    );
    assert_eq!(
        env.run(&[
            "epic",
            "rm",
            "search",
            "--stories",
            "move",
            "--to",
            "billing"
        ]),
        "Removed epic Search; its 1 story moved to Billing\n"
    );
    assert_eq!(env.json(&["show", "S-3", "--json"])["epic"], "Billing");
}

#[test]
fn an_old_file_with_an_epic_spelled_twice_loads_as_one() {
    let env = Env::new();
    env.run(&["epic", "add", "Billing"]);
    env.run(&["add", "a", "--epic", "Billing"]);
    env.run(&["add", "b"]);
    // What an older build let happen: a second epic in another case.
    let text = fs::read_to_string(&env.file).unwrap().replace(
        "\"epics\": [",
        "\"epics\": [\n    {\"name\": \"billing\", \"color\": \"green\", \"goal\": \"Pay\"},",
    );
    let text = text.replacen("\"epic\": null", "\"epic\": \"billing\"", 1);
    fs::write(&env.file, text).unwrap();
    let epics = env.json(&["epic", "list", "--json"]);
    let epics = epics.as_array().unwrap();
    assert_eq!(epics.len(), 1, "{epics:?}");
    assert_eq!(epics[0]["name"], "billing", "the first one in the file");
    assert_eq!(epics[0]["stories"], 2);
    assert_eq!(env.json(&["show", "S-1", "--json"])["epic"], "billing");
}

#[test]
fn folding_an_old_file_loses_no_text_and_is_told_when_the_file_is_written() {
    let env = Env::new();
    let story = |id: u64, epic: &str, labels: &str| {
        format!(
            r#"{{"id": "S-{id}", "rank": "8{id}80", "title": "Story {id}", "epic": "{epic}",
                "labels": [{labels}], "created": "2026-01-01T00:00:00Z",
                "updated": "2026-01-01T00:00:00Z"}}"#
        )
    };
    // What an older build let happen: one epic twice, in two cases, each
    // with a goal and a release of its own.
    let text = format!(
        r#"{{"schema": 2, "next_id": 4,
            "epics": [
              {{"name": "Billing", "color": "blue", "goal": "Pay online", "target_release": "1.0"}},
              {{"name": "billing", "color": "red", "goal": "Invoices by post", "target_release": "2.0"}}
            ],
            "stories": [{}, {}, {}]}}"#,
        story(1, "Billing", "\"UX\""),
        story(2, "billing", "\"#ux\", \"#\""),
        story(3, "billing", "")
    );
    fs::write(&env.file, &text).unwrap();
    // Reading changes nothing, and tells nothing.
    env.cmd().args(["list"]).assert().success().stderr("");
    assert_eq!(fs::read_to_string(&env.file).unwrap(), text);
    let epics = env.json(&["epic", "list", "--json"]);
    assert_eq!(epics.as_array().unwrap().len(), 1);
    let goal = "Pay online [as \"billing\": Invoices by post; also targeted release 2.0]";
    assert_eq!(epics[0]["goal"], goal);
    assert_eq!(epics[0]["target_release"], "1.0");
    // The first command that writes writes the file folded, and says how.
    let out = env.cmd().args(["add", "Next"]).assert().success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    for said in [
        "backlog: note: epics \"Billing\" and \"billing\" differ only by case, so they are \
         one epic now, \"Billing\" (\"billing\": its 2 stories join \"Billing\"; its goal is \
         added to the goal; its target release, 2.0, is noted in the goal (the target stays \
         1.0); its colour, red, gives way to blue)\n",
        "backlog: note: label \"UX\" is one label whatever its case or a leading #, so \
         \"#ux\" (on S-2) is written \"UX\" now\n",
        "backlog: note: a label with no name is dropped: \"#\" (on S-2)\n",
    ] {
        assert!(stderr.contains(said), "{said}\nnot in:\n{stderr}");
    }
    let written: Value = serde_json::from_str(&fs::read_to_string(&env.file).unwrap()).unwrap();
    assert_eq!(written["epics"].as_array().unwrap().len(), 1);
    assert_eq!(written["epics"][0]["goal"], goal);
    // Once written, there is nothing more to tell.
    env.cmd()
        .args(["add", "After"])
        .assert()
        .success()
        .stderr("");
}

#[test]
fn a_label_has_one_spelling_without_a_hash() {
    let env = Env::new();
    env.run(&[
        "add", "a", "--label", "#ux", "--label", "UX", "--label", "Mobile",
    ]);
    env.run(&["add", "b", "--label", "ux", "--label", "#mobile"]);
    assert_eq!(
        env.json(&["show", "S-1", "--json"])["labels"],
        serde_json::json!(["ux", "Mobile"])
    );
    assert_eq!(
        env.json(&["show", "S-2", "--json"])["labels"],
        serde_json::json!(["ux", "Mobile"])
    );
    env.run(&["edit", "S-2", "--unlabel", "#MOBILE"]);
    assert_eq!(
        env.json(&["show", "S-2", "--json"])["labels"],
        serde_json::json!(["ux"])
    );
    assert!(env.run(&["show", "S-1"]).contains("labels: ux, Mobile\n"));
    // An old file with both spellings loads folded.
    let text =
        fs::read_to_string(&env.file)
            .unwrap()
            .replacen("\"ux\",", "\"#ux\",\n        \"ux\",", 1);
    fs::write(&env.file, &text).unwrap();
    assert!(text.contains("\"#ux\""), "{text}");
    assert_eq!(
        env.json(&["show", "S-1", "--json"])["labels"],
        serde_json::json!(["ux", "Mobile"])
    );
}

/// The ids `list` prints as JSON with these flags.
fn listed(env: &Env, flags: &[&str]) -> Vec<String> {
    let mut args = vec!["list", "--json"];
    args.extend_from_slice(flags);
    let rows = env.json(&args);
    rows.as_array()
        .unwrap()
        .iter()
        .map(|row| row["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn list_search_reads_labels_epics_comments_and_folds_case_beyond_ascii() {
    let env = Env::new();
    env.run(&["epic", "add", "Été Onboarding"]);
    env.run(&["add", "Welcome mail", "--epic", "Été Onboarding"]);
    env.run(&["add", "Refunds", "--label", "Payments"]);
    env.run(&["add", "Kiosk mode"]);
    env.run(&["comment", "S-3", "Ask the VENDOR in Zürich"]);
    env.run(&["add", "Résumé upload"]);
    for (query, expected) in [
        ("ÉTÉ onboard", vec!["S-1"]),
        ("payments", vec!["S-2"]),
        ("vendor zÜrich", vec!["S-3"]),
        ("RÉSUMÉ", vec!["S-4"]),
        ("resume", vec![]),
    ] {
        assert_eq!(listed(&env, &["--search", query]), expected, "{query:?}");
    }
}

#[test]
fn list_takes_the_tuis_filters() {
    let env = Env::new();
    env.run(&["init", "--demo"]);
    let all = env.json(&["list", "--json"]);
    let all = all.as_array().unwrap();
    let ids_where = |keep: &dyn Fn(&Value) -> bool| -> Vec<String> {
        all.iter()
            .filter(|row| keep(row))
            .map(|row| row["id"].as_str().unwrap().to_string())
            .collect()
    };
    let cases: Vec<(Vec<&str>, Vec<String>)> = vec![
        (
            vec!["--status", "draft"],
            ids_where(&|r| r["status"] == "draft"),
        ),
        (
            vec!["--open"],
            ids_where(&|r| r["status"] != "done" && r["status"] != "rejected"),
        ),
        (
            vec!["--label", "#UX"],
            ids_where(&|r| r["labels"].as_array().unwrap().contains(&"ux".into())),
        ),
        (
            vec!["--epic", "billing"],
            ids_where(&|r| r["epic"] == "Billing"),
        ),
        (vec!["--no-epic"], ids_where(&|r| r["epic"].is_null())),
        (vec!["--unestimated"], ids_where(&|r| r["points"].is_null())),
    ];
    for (flags, expected) in &cases {
        assert!(!expected.is_empty(), "{flags:?} picks nothing in the demo");
        assert!(expected.len() < all.len(), "{flags:?} picks everything");
        assert_eq!(&listed(&env, flags), expected, "{flags:?}");
    }
    // Ready and not ready split the stories not yet taken on (draft and
    // ready), as their marks and `ready` in the JSON do; the stories
    // `ready` reports are among the not ready.
    let ready = listed(&env, &["--ready"]);
    let not_ready = listed(&env, &["--not-ready"]);
    assert_eq!(ready, ids_where(&|r| r["ready"] == true));
    assert_eq!(not_ready, ids_where(&|r| r["ready"] == false));
    let taken_on = ids_where(&|r| r["ready"].is_null());
    assert_eq!(
        taken_on,
        ids_where(&|r| !["draft", "ready"].contains(&r["status"].as_str().unwrap()))
    );
    assert!(
        !taken_on.is_empty(),
        "the demo has stories under way or done"
    );
    assert_eq!(ready.len() + not_ready.len() + taken_on.len(), all.len());
    let reported = env.json(&["ready", "--json"]);
    for row in reported.as_array().unwrap() {
        assert!(not_ready.contains(&row["id"].as_str().unwrap().to_string()));
    }
    // The search looks in the text, in any case, every word.
    assert_eq!(listed(&env, &["--search", "KILN fired load"]), ["S-9"]);
    assert_eq!(
        listed(&env, &["--search", "kiln"]),
        [
            "S-8", "S-9", "S-10", "S-16", "S-25", "S-11", "S-19", "S-24", "S-23", "S-27", "S-30"
        ],
        "the demo mentions kilns in these eleven stories (their text, the \
         Kiln queue epic, a comment), ranked so"
    );
    // Filters combine; the text table says how many it shows.
    let both = listed(&env, &["--open", "--epic", "Billing", "--not-ready"]);
    let open = listed(&env, &["--open"]);
    let billing = listed(&env, &["--epic", "Billing"]);
    let expected: Vec<String> = billing
        .iter()
        .filter(|id| open.contains(id) && not_ready.contains(id))
        .cloned()
        .collect();
    assert_eq!(both, expected);
    let text = env.run(&["list", "--open", "--epic", "Billing", "--not-ready"]);
    assert!(
        text.ends_with(&format!("\n{} of 30 stories shown\n", both.len())),
        "{text}"
    );
    assert_eq!(
        env.run(&["list", "--search", "nothing like this"]),
        "No story matches (the backlog has 30 stories).\n"
    );
    env.refuses(&[(
        &["list", "--epic", "Bill"],
        "no epic \"Bill\" (the epics are",
    )]);
}

#[test]
fn list_marks_stories_as_the_tui_does() {
    let env = Env::new();
    env.run(&["epic", "add", "Billing"]);
    env.run(&["add", "Unestimated draft", "--epic", "Billing"]);
    add_full(&env, "Ready to go", &["--points", "3"]);
    env.run(&["add", "Forced", "--points", "5"]);
    env.run(&["edit", "S-3", "--status", "ready", "--force"]);
    env.run(&["add", "Under way", "--points", "2"]);
    env.run(&["edit", "S-4", "--status", "in-progress"]);
    let text = env.run(&["list"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "#  ID   R   PTS  STATUS       EPIC       TITLE",
            "1  S-1  ✗     ?  draft        ■ Billing  Unestimated draft",
            "2  S-2  ✓     3  draft                   Ready to go",
            "3  S-3  !     5  ready                   Forced",
            "4  S-4        2  in-progress             Under way",
        ],
        "{text}"
    );
    // The JSON says the same; a story under way is past the question, and
    // no filter of readiness shows it.
    let json = env.json(&["list", "--json"]);
    let ready: Vec<&Value> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["ready"])
        .collect();
    assert_eq!(
        ready,
        [
            &Value::Bool(false),
            &true.into(),
            &false.into(),
            &Value::Null
        ]
    );
    assert_eq!(listed(&env, &["--ready"]), ["S-2"]);
    assert_eq!(listed(&env, &["--not-ready"]), ["S-1", "S-3"]);
    // Estimates read on the backlog's scale, as in the TUI.
    env.run(&["settings", "--scale", "t-shirt"]);
    assert!(env.run(&["list"]).contains("  ✓     M  draft"));
}

#[test]
fn an_estimate_off_the_scale_is_kept_and_the_user_is_told() {
    let env = Env::new();
    let note = "backlog: note: S-1 is estimated at 4 points, which is not on the \
                fibonacci scale (1, 2, 3, 5, 8, 13, 21)\n";
    env.cmd()
        .args(["add", "Odd", "--points", "4"])
        .assert()
        .success()
        .stdout("S-1\n")
        .stderr(note);
    assert_eq!(env.json(&["show", "S-1", "--json"])["points"], 4);
    // On the scale: not a word.
    env.cmd()
        .args(["edit", "S-1", "--estimate", "5"])
        .assert()
        .success()
        .stdout("Updated S-1\n")
        .stderr("");
    for flags in [&["--points", "40"][..], &["--estimate", "50"]] {
        env.cmd()
            .args(["edit", "S-1"])
            .args(flags)
            .assert()
            .success()
            .stderr(predicate::str::contains(format!(
                "{} points, which is not on the fibonacci",
                flags[1]
            )));
    }
    // From a document too.
    let document = env
        .run(&["show", "S-1"])
        .replace("estimate: 50", "estimate: 6");
    env.cmd()
        .args(["edit", "S-1", "--from-file", "-"])
        .write_stdin(document)
        .assert()
        .success()
        .stderr(predicate::str::contains("6 points, which is not on"));
    // On the T-shirt scale, sizes read and print by name.
    env.run(&["settings", "--scale", "t-shirt"]);
    env.cmd()
        .args(["edit", "S-1", "--points", "13"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "13 points, which is not on the t-shirt scale (XS, S, M, L, XL)",
        ));
}

#[test]
fn the_maximum_estimate_is_set_and_shown_on_the_scale_in_use() {
    let env = Env::new();
    // A new scale takes the maximum onto it, in the same change, and says
    // so: 13 is above every T-shirt size, where the rule could never fail.
    env.cmd()
        .args(["settings", "--scale", "t-shirt"])
        .assert()
        .success()
        .stdout(predicate::str::contains("maximum: XL (8 points)\n"))
        .stderr(
            "backlog: note: the maximum is now XL (8 points), on the t-shirt scale \
             (it was 13 points)\n",
        );
    env.cmd()
        .args(["settings", "--scale", "fibonacci"])
        .assert()
        .success()
        .stdout(predicate::str::contains("maximum: 8 points\n"))
        .stderr("");
    let text = env.run(&["settings", "--scale", "t-shirt", "--max-points", "L"]);
    assert!(text.contains("maximum: L (5 points)\n"), "{text}");
    env.cmd()
        .args(["settings", "--max-points", "13"])
        .assert()
        .success()
        .stdout(predicate::str::contains("maximum: 13 points\n"))
        .stderr(predicate::str::contains(
            "the maximum, 13 points, is not on the t-shirt scale",
        ));
    // Said whenever the settings show it, not only as it is set.
    for args in [&["settings"][..], &["settings", "--disable", "user-story"]] {
        env.cmd()
            .args(args)
            .assert()
            .success()
            .stderr(predicate::str::contains(
                "the maximum, 13 points, is not on the t-shirt scale",
            ));
    }
    env.refuses(&[(
        &["settings", "--max-points", "huge"],
        "--max-points: \"huge\" is not an estimate",
    )]);
}

#[test]
fn add_takes_an_estimate_on_the_scale_and_a_status_with_the_rules_of_edit() {
    let env = Env::new();
    env.run(&["settings", "--scale", "t-shirt"]);
    assert_eq!(env.run(&["add", "Sized", "--estimate", "m"]), "S-1\n");
    assert_eq!(env.json(&["show", "S-1", "--json"])["points"], 3);
    env.run(&["add", "Started", "--status", "in-progress"]);
    assert_eq!(
        env.json(&["show", "S-2", "--json"])["status"],
        "in-progress"
    );
    // Ready only when it meets the Definition of Ready, as with edit.
    env.refuses(&[
        (
            &["add", "Thin", "--status", "ready"],
            "is not ready: user-story sentence lacks",
        ),
        (&["add", "Thin", "--status", "ready"], "--force"),
        (
            &["add", "x", "--points", "3", "--estimate", "M"],
            "cannot be used with",
        ),
        (
            &["add", "x", "--estimate", "huge"],
            "--estimate: \"huge\" is not an estimate",
        ),
    ]);
    assert_eq!(env.list_ids(), ["S-1", "S-2"], "nothing was added");
    assert_eq!(
        add_full(&env, "Whole", &["--estimate", "S", "--status", "ready"]),
        "S-3"
    );
    let whole = env.json(&["show", "S-3", "--json"]);
    assert_eq!(whole["status"], "ready");
    assert!(whole["ready_override"].is_null());
    // Forced: set ready, and the override is recorded and told.
    env.cmd()
        .args(["add", "Thin", "--status", "ready", "--force"])
        .assert()
        .success()
        .stdout("S-4\n")
        .stderr(predicate::str::contains(
            "note: S-4 is ready by override, although user-story sentence lacks",
        ));
    let forced = env.json(&["show", "S-4", "--json"]);
    assert_eq!(forced["status"], "ready");
    assert_eq!(forced["ready_override"]["by"], "tester");
}

#[test]
fn a_command_that_changes_nothing_says_so_and_leaves_the_file_alone() {
    let env = Env::new();
    env.run(&["epic", "add", "Billing"]);
    env.run(&["add", "Same", "--epic", "Billing"]);
    env.run(&["add", "Other"]);
    env.run(&["comment", "S-1", "Which cards?", "--question"]);
    env.run(&["resolve", "S-1", "1"]);
    let before = read(&env.file);
    let modified = fs::metadata(&env.file).unwrap().modified().unwrap();
    let resolved = env.json(&["show", "S-1", "--json"])["comments"][0]["resolved"].clone();
    let date = resolved["at"].as_str().unwrap()[..10].to_string();
    // Resolving it again: told, not redone; the resolution stays.
    assert_eq!(
        env.run(&["resolve", "S-1", "1"]),
        format!("Question 1 on S-1 is already resolved (by tester on {date}); nothing changed\n")
    );
    assert_eq!(
        env.json(&["show", "S-1", "--json"])["comments"][0]["resolved"],
        resolved
    );
    // The story's own document read back, the same value again, a move to
    // where it is, an epic left as it is.
    let document = env.run(&["show", "S-1"]);
    env.cmd()
        .args(["edit", "S-1", "--from-file", "-"])
        .write_stdin(document)
        .assert()
        .success()
        .stdout("No change to S-1\n");
    assert_eq!(
        env.run(&["edit", "S-1", "--title", "Same"]),
        "No change to S-1\n"
    );
    assert_eq!(env.run(&["move", "S-1", "--top"]), "S-1 stays at 1\n");
    assert_eq!(
        env.run(&["epic", "edit", "billing", "--name", "Billing"]),
        "No change to epic Billing\n"
    );
    // Compared as the backlog keeps them: a name is trimmed.
    assert_eq!(
        env.run(&["epic", "edit", "billing", "--name", " Billing "]),
        "No change to epic Billing\n"
    );
    // The settings and the product as they are already.
    for args in [
        &["settings", "--scale", "fibonacci"][..],
        &["settings", "--enable", "estimated", "--max-points", "13"],
        &["vision", "--product", " "],
        &["vision", "--set", ""],
    ] {
        let out = env.cmd().args(args).assert().success();
        let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(
            stderr.contains("backlog: note: nothing changed: the "),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(read(&env.file), before);
    assert_eq!(
        fs::metadata(&env.file).unwrap().modified().unwrap(),
        modified
    );
    // Reopened, then reopened again.
    assert_eq!(
        env.run(&["resolve", "S-1", "1", "--reopen"]),
        "Reopened question 1 on S-1\n"
    );
    assert_eq!(
        env.run(&["resolve", "S-1", "1", "--reopen"]),
        "Question 1 on S-1 is already open; nothing changed\n"
    );
}

#[test]
fn counts_of_one_are_said_in_the_singular() {
    let env = Env::new();
    env.run(&["epic", "add", "Billing"]);
    env.run(&["epic", "add", "Other"]);
    add_full(&env, "Only", &["--epic", "Billing", "--points", "1"]);
    assert!(
        env.run(&["epic", "list"])
            .contains("1 story        1 point"),
        "{}",
        env.run(&["epic", "list"])
    );
    env.refuses(&[(
        &["epic", "rm", "Billing"],
        "has 1 story: say what happens to it",
    )]);
    assert_eq!(
        env.run(&[
            "epic",
            "rm",
            "billing",
            "--stories",
            "move",
            "--to",
            "other"
        ]),
        "Removed epic Billing; its 1 story moved to Other\n"
    );
    assert_eq!(
        env.run(&["epic", "rm", "Other", "--stories", "unassign"]),
        "Removed epic Other; its 1 story is in no epic now\n"
    );
    env.run(&["add", "Vague"]);
    assert!(
        env.run(&["ready"])
            .starts_with("1 of 2 draft and ready stories is not ready:\n"),
        "{}",
        env.run(&["ready"])
    );
    env.run(&["rm", "S-1"]);
    assert_eq!(
        env.run(&["ready"]),
        "The one draft or ready story is not ready:\n\n   1  S-2  draft  Vague\n      - user-story sentence lacks \"as a\", \"I want\", \"so that\"\n      - no acceptance criteria\n      - not estimated\n"
    );
}

#[path = "cli/comments.rs"]
mod comments;

#[path = "cli/plan.rs"]
mod plan;

#[path = "cli/priority.rs"]
mod priority;
