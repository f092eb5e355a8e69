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
}

impl Env {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("backlog.json");
        Env { _dir: dir, file }
    }

    fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("backlog").unwrap();
        cmd.env("BACKLOG_FILE", &self.file).env_remove("NO_COLOR");
        cmd
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
            "--epic",
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
    assert!(list.contains("2  S-2     5  draft        Second"), "{list}");

    let shown: Value = serde_json::from_str(&env.run(&["show", "s-2", "--json"])).unwrap();
    assert_eq!(shown["rank"], 2);
    assert_eq!(shown["points"], 5);
    assert_eq!(shown["labels"], serde_json::json!(["ux", "mobile"]));
    assert_eq!(shown["epic"], "Checkout");
    assert_eq!(shown["as_a"], "shopper");
    assert_eq!(shown["acceptance_criteria"][0]["text"], "Card is charged");
    assert_eq!(shown["acceptance_criteria"][0]["done"], false);

    let text = env.run(&["show", "S-2"]);
    assert!(text.contains("As a shopper, I want to pay by card, so that I need no cash."));
    assert!(text.contains("[ ] Card is charged"));
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
        ["epic", "id", "labels", "points", "rank", "status", "title"],
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
        "add", "Story", "--points", "3", "--label", "a", "--epic", "E",
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
fn bad_arguments_fail_cleanly_and_change_nothing() {
    let env = Env::new();
    env.run(&["add", "a"]);
    let before = read(&env.file);
    let cases: &[(&[&str], &str)] = &[
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
        (&["init"], "already exists"),
    ];
    for (args, message) in cases {
        env.cmd()
            .args(*args)
            .assert()
            .failure()
            .stderr(predicate::str::contains(*message));
        assert_eq!(read(&env.file), before, "{args:?} changed the file");
    }
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
    env.cmd()
        .args(["init", "--demo"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("already exists"));
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
fn the_tui_refuses_to_start_without_a_terminal() {
    let env = Env::new();
    env.cmd()
        .assert()
        .failure()
        .stderr(predicate::str::contains("needs a terminal"));
    assert!(!env.file.exists());
}

#[test]
fn help_is_everywhere() {
    let env = Env::new();
    for command in ["add", "list", "show", "edit", "move", "rm", "path", "init"] {
        env.cmd()
            .args([command, "--help"])
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
