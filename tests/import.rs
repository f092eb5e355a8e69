//! `backlog import` and `backlog feedback`, run as a user would, against
//! files in a temp dir.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use backlog::model::{Backlog, Placement, StoryPatch};
use backlog::store::to_json;
use chrono::{TimeZone, Utc};
use serde_json::Value;
use tempfile::TempDir;

struct Env {
    dir: TempDir,
    file: PathBuf,
}

impl Env {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("backlog.json");
        Env { dir, file }
    }

    fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("backlog").unwrap();
        cmd.env("BACKLOG_FILE", &self.file)
            .env("BACKLOG_CONFIG", self.dir.path().join("config.toml"))
            .env("USER", "tester");
        cmd
    }

    /// Run a command that must succeed; its stdout and stderr.
    fn run(&self, args: &[&str]) -> (String, String) {
        let out = self.cmd().args(args).assert().success();
        let output = out.get_output();
        (
            String::from_utf8(output.stdout.clone()).unwrap(),
            String::from_utf8(output.stderr.clone()).unwrap(),
        )
    }

    /// Run a command that must fail; its stderr.
    fn fail(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).assert().failure();
        String::from_utf8(out.get_output().stderr.clone()).unwrap()
    }

    /// Write `text` to a file in the temp dir; its path.
    fn write(&self, name: &str, text: impl AsRef<[u8]>) -> String {
        let path = self.dir.path().join(name);
        fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }

    fn data(&self) -> Option<Vec<u8>> {
        fs::read(&self.file).ok()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.run(args).0).unwrap()
    }
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// The demo backlog with feedback in it, linked and dismissed, as the
/// data file holds it: what `backlog export --format json` writes.
fn exported() -> String {
    let mut backlog = backlog::cli::demo_backlog();
    let at = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
    let first = backlog.ranked().next().unwrap().id;
    for (text, customer) in [("Faster checkout", "Acme"), ("Dark mode", "Globex")] {
        let item = backlog::model::Feedback::new(backlog::model::FeedbackId(1), text, customer, at);
        backlog.add_feedback(item).unwrap();
    }
    let ids: Vec<_> = backlog.feedback().iter().map(|f| f.id).collect();
    backlog.link_feedback(ids[0], first, at).unwrap();
    backlog.dismiss_feedback(ids[1], "not now", at).unwrap();
    to_json(&backlog)
}

#[test]
fn a_json_export_imported_into_an_empty_file_gives_the_same_file_byte_for_byte() {
    let env = Env::new();
    let export = exported();
    let backup = env.write("backup.json", &export);
    let (out, err) = env.run(&["import", &backup]);
    assert_eq!(out, "");
    assert!(
        err.contains("backup.json (json): restored whole: 30 stories, 2 feedback items"),
        "{err}"
    );
    assert_eq!(env.data().unwrap(), export.as_bytes());
    // Named, the format is not told from the content, with the same end.
    let named = Env::new();
    let backup = named.write("backup.json", &export);
    named.run(&["import", "--format", "json", &backup]);
    assert_eq!(named.data().unwrap(), export.as_bytes());
}

#[test]
fn a_backlog_files_stories_join_a_backlog_once_however_often_imported() {
    let env = Env::new();
    env.run(&["add", "Mine"]);
    let backup = env.write("demo.json", exported());
    let (_, err) = env.run(&["import", &backup]);
    assert!(
        err.contains(
            "demo.json (json): 30 new stories, S-2 to S-31; 2 new inbox items, F-1 to F-2"
        ),
        "{err}"
    );
    let list = env.json(&["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 31);
    assert_eq!(list[0]["title"], "Mine", "ours stay on top");
    let feedback = env.json(&["feedback", "list", "--json"]);
    assert_eq!(feedback[0]["state"], "linked");
    assert_eq!(feedback[0]["story"], "S-2");
    assert_eq!(feedback[1]["state"], "dismissed");

    let before = env.data().unwrap();
    let (_, err) = env.run(&["import", &backup]);
    assert!(
        err.contains("demo.json (json): nothing new; 32 already here"),
        "{err}"
    );
    assert_eq!(env.data().unwrap(), before);
}

#[test]
fn new_stories_go_above_the_backlog_with_top() {
    let env = Env::new();
    env.run(&["add", "Mine"]);
    let mut other = Backlog::new("Other");
    let at = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
    for title in ["A", "B"] {
        other
            .add(&StoryPatch::title(title), Placement::Bottom, at)
            .unwrap();
    }
    let file = env.write("other.json", to_json(&other));
    env.run(&["import", "--top", &file]);
    let list = env.json(&["list", "--json"]);
    let titles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["A", "B", "Mine"]);
}

#[test]
fn a_file_whose_format_cannot_be_told_stops_the_whole_import() {
    let env = Env::new();
    env.run(&["add", "Mine"]);
    let before = env.data().unwrap();
    let backup = env.write("backup.json", exported());
    // Any text with a first line reads as a CSV header, so a file of
    // notes is a CSV with no title column.
    let notes = env.write("notes.txt", "Just some notes.\n");
    let err = env.fail(&["import", &backup, &notes]);
    assert!(
        err.contains("notes.txt has no title column (its columns are Just some notes.)"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(env.data().unwrap(), before);
}

#[test]
fn a_broken_backlog_file_is_named_with_its_place_and_nothing_is_written() {
    let env = Env::new();
    let broken = env.write("broken.json", "{\n  \"schema\": 5,\n  \"stories\": [\n");
    let err = env.fail(&["import", &broken]);
    assert!(err.contains("cannot read"), "{err}");
    assert!(err.contains("broken.json as a backlog file"), "{err}");
    assert!(err.contains("line 4 column 0"), "{err}");
    assert!(env.data().is_none(), "no data file was made");
    let bytes = env.write("latin1.json", b"{\"schema\": 5, \"product\": \"Caf\xe9\"}");
    let err = env.fail(&["import", &bytes]);
    assert!(
        err.contains("is not UTF-8 at byte offset 29 (line 1 column 30)"),
        "{err}"
    );
}

#[test]
fn a_missing_file_or_an_unknown_format_is_refused() {
    let env = Env::new();
    let err = env.fail(&["import", "no-such-file.csv"]);
    assert!(err.contains("cannot read no-such-file.csv"), "{err}");
    let err = env.fail(&["import", "--format", "xml", "x.xml"]);
    assert!(err.contains("--format"), "{err}");
    assert!(err.contains("unknown format \"xml\""), "{err}");
    let err = env.fail(&["import", "--into", "outbox", "x.csv"]);
    assert!(err.contains("neither backlog nor inbox"), "{err}");
    let err = env.fail(&["import", "--map", "size=Size", "x.csv"]);
    assert!(err.contains("unknown field \"size\""), "{err}");
    assert!(env.data().is_none());
}

#[test]
fn the_data_file_is_not_imported_into_itself() {
    let env = Env::new();
    env.run(&["add", "Mine"]);
    let before = env.data().unwrap();
    let itself = env.file.to_string_lossy().into_owned();
    let err = env.fail(&["import", &itself]);
    assert!(err.contains("is the data file itself"), "{err}");
    assert_eq!(env.data().unwrap(), before);
}

#[test]
fn a_backlog_file_does_not_go_into_the_inbox() {
    let env = Env::new();
    let backup = env.write("backup.json", exported());
    let err = env.fail(&["import", "--into", "inbox", &backup]);
    assert!(err.contains("backup.json is a backlog file"), "{err}");
    assert!(env.data().is_none());
}

/// A backlog of `n` stories, as a file's text.
fn many(n: usize) -> String {
    let mut backlog = Backlog::new("Many");
    let at = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
    let stories = (1..=n)
        .map(|i| {
            backlog::model::Story::new(
                backlog::model::StoryId(1),
                backlog::rank::Rank::first(),
                format!("Story {i}"),
                at,
            )
        })
        .collect();
    backlog.add_imported(stories, false).unwrap();
    to_json(&backlog)
}

#[test]
fn no_progress_bar_is_drawn_on_a_pipe() {
    let env = Env::new();
    env.run(&["add", "Mine"]);
    let file = env.write("many.json", many(400));
    let (_, err) = env.run(&["import", &file]);
    assert_eq!(
        err,
        "many.json (json): 400 new stories, S-2 to S-401\n".replace(
            "many.json",
            &env.dir.path().join("many.json").to_string_lossy()
        )
    );
}

#[cfg(unix)]
#[test]
fn a_progress_bar_is_drawn_on_a_terminal_and_cleared() {
    use std::io::Read as _;

    use portable_pty::{CommandBuilder, PtySize, native_pty_system};

    let env = Env::new();
    env.run(&["add", "Mine"]);
    let file = env.write("many.json", many(2_000));
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_backlog"));
    cmd.args(["import", &file, "--file"]);
    cmd.arg(&env.file);
    cmd.env("TERM", "xterm-256color");
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let reading = std::thread::spawn(move || {
        let mut output = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            output.extend_from_slice(&buf[..n]);
        }
        String::from_utf8_lossy(&output).into_owned()
    });
    // A bar drawn from another thread than the one holding standard
    // error once hung the import: the test waits a minute, not forever.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the import did not end");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    drop(pty.master);
    let output = reading.join().unwrap();
    assert!(status.success(), "{output}");
    assert!(output.contains("importing"), "{output:?}");
    assert!(output.contains("2000 new stories"), "{output:?}");
}

#[test]
fn feedback_is_taken_in_listed_and_triaged_from_the_command_line() {
    let env = Env::new();
    env.run(&["add", "Export invoices"]);
    let (out, _) = env.run(&[
        "feedback",
        "add",
        "We need PDF invoices\nOur accountant asks every month.",
        "--customer",
        "Acme Corp",
        "--importance",
        "critical",
        "--source",
        "support",
        "--link",
        "https://help.example/t/1",
        "--date",
        "2026-11-01",
    ]);
    assert_eq!(out, "F-1\n");
    let (out, _) = env.run(&[
        "feedback",
        "add",
        "PDF please",
        "--customer",
        "Globex",
        "--importance",
        "2",
    ]);
    assert_eq!(out, "F-2\n");
    let (out, _) = env.run(&["feedback", "add", "Dark mode", "--customer", "Initech"]);
    assert_eq!(out, "F-3\n");

    let (out, _) = env.run(&["feedback", "link", "F-1", "S-1"]);
    assert_eq!(out, "Linked F-1 to S-1\n");
    env.run(&["feedback", "link", "F-2", "S-1"]);
    let (out, _) = env.run(&[
        "feedback",
        "dismiss",
        "F-3",
        "--reason",
        "not for this product",
    ]);
    assert_eq!(out, "Dismissed F-3\n");
    let (out, _) = env.run(&["feedback", "list"]);
    assert_eq!(
        out,
        "ID   STATE      IMPORTANCE      CUSTOMER   STORY  SAYS\n\
         F-1  linked     3 critical      Acme Corp  S-1    We need PDF invoices\n\
         F-2  linked     2 important     Globex     S-1    PDF please\n\
         F-3  dismissed  1 nice to have  Initech           Dark mode\n"
    );
    let (out, _) = env.run(&["feedback"]);
    assert!(out.starts_with("ID   STATE"), "bare, it lists: {out}");

    let (out, _) = env.run(&["feedback", "reopen", "F-3"]);
    assert_eq!(out, "F-3 is new again\n");
    let (out, _) = env.run(&["feedback", "convert", "F-3"]);
    assert_eq!(out, "S-2\n");
    let show = env.json(&["show", "S-2", "--json"]);
    assert_eq!(show["title"], "Dark mode");

    let json = env.json(&["feedback", "list", "--json", "--state", "linked"]);
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert_eq!(json[0]["id"], "F-1");
    assert_eq!(json[0]["importance"], 3);
    assert_eq!(json[0]["customer"], "Acme Corp");
    assert_eq!(json[0]["source"], "support");
    assert_eq!(json[0]["link"], "https://help.example/t/1");
    assert_eq!(json[0]["date"], "2026-11-01T00:00:00Z");
    assert_eq!(json[0]["story"], "S-1");
    assert_eq!(
        json[0]["text"],
        "We need PDF invoices\nOur accountant asks every month."
    );
    let (out, _) = env.run(&["feedback", "list", "--state", "new"]);
    assert_eq!(out, "No feedback is new (the inbox has 3 items).\n");
}

#[test]
fn feedback_text_can_come_from_standard_input() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["feedback", "add", "-", "--customer", "Acme"])
        .write_stdin("Subject: invoices\n\nPlease send them as PDF.\n")
        .assert()
        .success();
    assert_eq!(String::from_utf8_lossy(&out.get_output().stdout), "F-1\n");
    let json = env.json(&["feedback", "list", "--json"]);
    assert_eq!(
        json[0]["text"],
        "Subject: invoices\n\nPlease send them as PDF."
    );
}

#[test]
fn feedback_refused_names_the_flag_and_changes_nothing() {
    let env = Env::new();
    env.run(&["feedback", "add", "Dark mode", "--customer", "Initech"]);
    let before = env.data().unwrap();
    for (args, message) in [
        (
            &[
                "feedback",
                "add",
                "x",
                "--customer",
                "A",
                "--importance",
                "7",
            ][..],
            "invalid value '7' for '--importance <0-3>'",
        ),
        (
            &["feedback", "add", "x", "--customer", " "],
            "--customer is empty",
        ),
        (
            &["feedback", "add", " ", "--customer", "A"],
            "TEXT is empty",
        ),
        (
            &[
                "feedback",
                "add",
                "x",
                "--customer",
                "A",
                "--date",
                "1/11/2026",
            ],
            "invalid value '1/11/2026' for '--date <DATE>'",
        ),
        (&["feedback", "link", "F-9", "S-1"], "no story S-1"),
        (
            &["feedback", "dismiss", "F-9", "--reason", "x"],
            "no feedback F-9 in the inbox",
        ),
        (
            &["feedback", "dismiss", "F-1", "--reason", " "],
            "--reason is empty",
        ),
        (
            &["feedback", "list", "--state", "open"],
            "unknown feedback state",
        ),
    ] {
        let err = env.fail(args);
        assert!(err.contains(message), "{args:?}: {err}");
        assert_eq!(env.data().unwrap(), before, "{args:?} changed the file");
    }
}

#[test]
fn feedback_list_shows_a_customers_escape_characters_as_text() {
    let env = Env::new();
    env.run(&[
        "feedback",
        "add",
        "Title \u{1b}[2J gone\nmore",
        "--customer",
        "Evil \u{1b}]0;owned\u{7} Inc",
    ]);
    let (out, _) = env.run(&["feedback", "list"]);
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    assert!(out.contains("Evil \u{fffd}]0;owned\u{fffd} Inc"), "{out}");
    assert!(out.contains("Title \u{fffd}[2J gone"), "{out}");
    let (out, _) = env.run(&["feedback", "list", "--json"]);
    assert!(!out.contains('\u{1b}'), "{out:?}");
}

#[test]
fn an_empty_inbox_says_how_to_fill_it() {
    let env = Env::new();
    let (out, _) = env.run(&["feedback", "list"]);
    assert!(out.starts_with("The inbox is empty."), "{out}");
}

// The readers' formats, end to end. They need the readers (the "parse"
// branch) and its fixtures in tests/fixtures/import/.

#[test]
fn github_issues_and_a_csv_go_into_the_inbox_and_again_add_nothing() {
    let env = Env::new();
    let (github, csv) = (fixture("github.json"), fixture("feedback.csv"));
    let (_, err) = env.run(&["import", "--into", "inbox", &github, &csv]);
    assert!(err.contains("github.json (github): "), "{err}");
    assert!(err.contains("new inbox items, F-1 to F-"), "{err}");
    assert!(err.contains("feedback.csv (csv): "), "{err}");
    let items = env.json(&["feedback", "list", "--json"]);
    let items = items.as_array().unwrap();
    assert!(items.len() >= 4, "{items:?}");
    assert!(items.iter().all(|i| i["state"] == "new"));

    // The new user's walk: convert one, link two more to it, dismiss one.
    let id = |i: usize| items[i]["id"].as_str().unwrap().to_string();
    let (story, _) = env.run(&["feedback", "convert", &id(0)]);
    let story = story.trim();
    env.run(&["feedback", "link", &id(1), story]);
    env.run(&["feedback", "link", &id(2), story]);
    env.run(&["feedback", "dismiss", &id(3), "--reason", "duplicate"]);
    let linked = env.json(&["feedback", "list", "--json"]);
    let supporting = linked
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["story"] == story)
        .count();
    assert_eq!(supporting, 3);
    // The fixtures' first three items come from three customers: the
    // story shows all three, and the export carries them.
    let shown = env.json(&["show", story, "--json"]);
    assert_eq!(shown["evidence"]["customers"], 3, "{shown}");
    assert_eq!(shown["evidence"]["items"].as_array().unwrap().len(), 3);
    let (document, _) = env.run(&["show", story]);
    assert!(document.contains("## Customer evidence"), "{document}");
    assert!(document.contains("3 customers, importance "), "{document}");
    let (markdown, _) = env.run(&["export", "--format", "markdown"]);
    assert!(
        markdown.contains("- Customers: asked for by 3 customers"),
        "{markdown}"
    );

    let before = env.data().unwrap();
    let (_, err) = env.run(&["import", "--into", "inbox", &github, &csv]);
    assert!(err.contains("nothing new"), "{err}");
    assert!(err.contains("already here"), "{err}");
    assert_eq!(env.data().unwrap(), before);
    // Into the backlog, the same issues are still the same issues.
    let (_, err) = env.run(&["import", &github]);
    assert!(err.contains("nothing new"), "{err}");
    assert_eq!(env.data().unwrap(), before);
}

#[test]
fn each_trackers_export_imports_as_stories_and_again_adds_nothing() {
    for (name, format) in [
        ("github.json", "github"),
        ("gitlab.json", "gitlab"),
        ("jira.csv", "jira"),
        ("linear.csv", "linear"),
        ("taskwarrior.json", "taskwarrior"),
        ("stories.csv", "csv"),
    ] {
        let env = Env::new();
        let file = fixture(name);
        let (_, err) = env.run(&["import", &file]);
        assert!(err.contains(&format!("{name} ({format}): ")), "{err}");
        assert!(err.contains("new stor"), "{name}: {err}");
        let list = env.json(&["list", "--json"]);
        assert!(!list.as_array().unwrap().is_empty(), "{name}");
        let before = env.data().unwrap();
        let (_, err) = env.run(&["import", "--format", format, &file]);
        assert!(err.contains("nothing new"), "{name}: {err}");
        assert_eq!(env.data().unwrap(), before, "{name}");
    }
}

#[test]
fn a_row_that_cannot_be_read_is_reported_by_line_and_the_rest_come_in() {
    for name in ["missing-title.csv", "duplicate-ids.csv"] {
        let env = Env::new();
        let (_, err) = env.run(&["import", &fixture(name)]);
        assert!(err.contains(&format!("{name}:")), "{name}: {err}");
        assert!(err.contains("skipped"), "{name}: {err}");
        assert!(err.contains("new stor"), "{name}: {err}");
    }
}

#[test]
fn a_file_not_in_utf8_is_named_with_its_place_and_nothing_is_written() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["import", &fixture("not-utf8.csv")])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not-utf8.csv"), "{err}");
    if !out.status.success() {
        assert!(env.data().is_none(), "a failed import writes nothing");
    }
}

#[test]
fn a_csv_export_imports_back_to_the_same_stories() {
    // The columns `backlog export --format csv` writes.
    let csv = "id,title,as a,i want,so that,description,acceptance criteria,points,status,labels,epic,created\n\
        S-1,Pay by card,shopper,to pay by card,I need no cash,\"Cards only.\n\nNo cash.\",\"- [x] Charged once\n- [ ] Receipt sent\",5,ready,\"payments, web\",Checkout,2026-03-01T09:00:00Z\n\
        S-2,Refunds,,,,,,,in-progress,,,2026-03-02T10:30:00Z\n";
    let env = Env::new();
    let file = env.write("export.csv", csv);
    let (_, err) = env.run(&["import", &file]);
    assert!(err.contains("2 new stories, S-1 to S-2"), "{err}");
    let story = env.json(&["show", "S-1", "--json"]);
    assert_eq!(story["title"], "Pay by card");
    assert_eq!(story["as_a"], "shopper");
    assert_eq!(story["i_want"], "to pay by card");
    assert_eq!(story["so_that"], "I need no cash");
    assert_eq!(story["description"], "Cards only.\n\nNo cash.");
    assert_eq!(story["acceptance_criteria"][0]["text"], "Charged once");
    assert_eq!(story["acceptance_criteria"][0]["done"], true);
    assert_eq!(story["acceptance_criteria"][1]["done"], false);
    assert_eq!(story["points"], 5);
    assert_eq!(story["status"], "ready");
    assert_eq!(story["labels"], serde_json::json!(["payments", "web"]));
    assert_eq!(story["epic"], "Checkout");
    assert_eq!(story["created"], "2026-03-01T09:00:00Z");
    let second = env.json(&["show", "S-2", "--json"]);
    assert_eq!(second["status"], "in-progress");
}

#[test]
fn two_spreadsheets_of_one_name_are_kept_apart_by_naming_their_sources() {
    let env = Env::new();
    let a = env.write("a-export.csv", "id,title\n1,Pay by card\n2,Refunds\n");
    let b = env.write("b-export.csv", "id,title\n1,Dark mode\n2,SSO login\n");
    env.run(&["import", "--source", "finance", &a]);
    env.run(&["import", "--source", "product", &b]);
    let list = env.json(&["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 4, "{list}");
    // The same source under another file name adds nothing.
    let renamed = env.write("finance-0314.csv", "id,title\n1,Pay by card\n2,Refunds\n");
    let before = env.data().unwrap();
    let (_, err) = env.run(&["import", "--source", "finance", &renamed]);
    assert!(err.contains("nothing new; 2 already here"), "{err}");
    assert_eq!(env.data().unwrap(), before);
    let err = env.fail(&["import", "--source", " ", &renamed]);
    assert!(err.contains("a source needs a name"), "{err}");
}

#[test]
fn a_column_the_file_no_longer_has_is_left_alone_by_update() {
    let env = Env::new();
    let full = env.write("s.csv", "id,title,points\n1,Pay by card,5\n2,Refunds,3\n");
    env.run(&["import", &full]);
    // Next month's file has no estimates at all: that is no news about
    // them, and the titles it does have still refresh.
    let fewer = env.write("s.csv", "id,title\n1,Pay by card now\n2,Refunds\n");
    let (_, err) = env.run(&["import", "--update", &fewer]);
    assert!(err.contains("(1 updated)"), "{err}");
    let list = env.json(&["list", "--json"]);
    let seen: Vec<(String, f64)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["title"].as_str().unwrap().to_string(),
                s["points"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("Pay by card now".to_string(), 5.0),
            ("Refunds".to_string(), 3.0)
        ]
    );
    // An empty cell under a column the file has is the source emptying it.
    let emptied = env.write(
        "s.csv",
        "id,title,points\n1,Pay by card now,\n2,Refunds,3\n",
    );
    env.run(&["import", "--update", &emptied]);
    let list = env.json(&["list", "--json"]);
    assert!(list[0]["points"].is_null(), "{list}");
}
