//! `backlog diff`, run as a user would: two files, git revisions of the
//! data file read with the real `git` binary in a temp repository, and
//! `--textconv` as git's diff driver runs it. Git never reads the
//! machine's configuration here: the global file is a temp one, the
//! system file is off, and HOME is the temp dir.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

struct Repo {
    dir: TempDir,
    /// The data file, in a folder below the repository's top.
    file: PathBuf,
}

impl Repo {
    /// A git repository with the demo backlog in `plan/backlog.json`, not
    /// yet committed.
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".gitconfig"), "").unwrap();
        fs::create_dir(dir.path().join("plan")).unwrap();
        let file = dir.path().join("plan").join("backlog.json");
        let repo = Repo { dir, file };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.name", "Ann"]);
        repo.git(&["config", "user.email", "ann@example.com"]);
        fs::write(&repo.file, backlog::cli::DEMO).unwrap();
        repo
    }

    fn top(&self) -> &Path {
        self.dir.path()
    }

    fn isolate(&self, cmd: &mut Process) {
        cmd.env("GIT_CONFIG_GLOBAL", self.top().join(".gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.top())
            .env("TZ", "UTC")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE");
    }

    fn git(&self, args: &[&str]) -> String {
        let mut cmd = Process::new("git");
        self.isolate(&mut cmd);
        let out = cmd.current_dir(self.top()).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    /// `backlog` on the data file, run from the repository's top.
    fn backlog(&self) -> Command {
        let mut cmd = Command::cargo_bin("backlog").unwrap();
        cmd.env("GIT_CONFIG_GLOBAL", self.top().join(".gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.top())
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .current_dir(self.top())
            .env("BACKLOG_FILE", &self.file)
            .env("BACKLOG_CONFIG", self.top().join("config.toml"))
            .env("USER", "tester");
        cmd
    }

    fn run(&self, args: &[&str]) -> String {
        let out = self.backlog().args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }

    fn fail(&self, args: &[&str]) -> String {
        let out = self.backlog().args(args).assert().failure();
        String::from_utf8(out.get_output().stderr.clone()).unwrap()
    }
}

/// The scripted changes the snapshot shows, made through the CLI.
fn groom(repo: &Repo) {
    repo.run(&["add", "Gift cards", "--after", "S-1"]);
    repo.run(&["move", "S-7", "--top"]);
    repo.run(&["edit", "S-9", "--status", "done", "--points", "5"]);
    repo.run(&[
        "edit",
        "S-4",
        "--title",
        "Pay for firing by the shelf",
        "--i-want",
        "to pay per shelf",
    ]);
    repo.run(&[
        "edit",
        "S-6",
        "--criterion",
        "A failed card is retried once",
        "--label",
        "billing",
    ]);
    repo.run(&["comment", "S-6", "--question", "Which card processor?"]);
    repo.run(&["rm", "S-30"]);
    repo.run(&["epic", "add", "Gifts", "--goal", "Members give studio time"]);
    repo.run(&["release", "edit", "1.0", "--date", "2027-01-15"]);
}

#[test]
fn render_of_a_morning_of_grooming_on_the_demo() {
    let repo = Repo::new();
    let before = repo.top().join("before.json");
    fs::write(&before, backlog::cli::DEMO).unwrap();
    groom(&repo);
    let text = repo.run(&["diff", before.to_str().unwrap()]);
    insta::assert_snapshot!(text);
}

#[test]
fn two_files_and_json() {
    let repo = Repo::new();
    let (before, after) = (repo.top().join("a.json"), repo.top().join("b.json"));
    fs::write(&before, backlog::cli::DEMO).unwrap();
    repo.run(&["edit", "S-9", "--status", "done"]);
    repo.run(&["move", "S-7", "--top"]);
    fs::copy(&repo.file, &after).unwrap();
    let json: Value =
        serde_json::from_str(&repo.run(&["diff", "a.json", "b.json", "--json"])).unwrap();
    assert_eq!(json["product"], Value::Array(vec![]));
    let stories = json["stories"].as_array().unwrap();
    assert_eq!(stories[0]["id"], "S-7");
    assert_eq!(stories[0]["place"], 1);
    assert_eq!(
        stories[0]["changes"],
        serde_json::json!([{"change": "moved", "from": place_in_demo("S-7"), "to": 1}])
    );
    let s9 = stories.iter().find(|s| s["id"] == "S-9").unwrap();
    assert_eq!(s9["changes"][0]["change"], "status");
    assert_eq!(s9["changes"][0]["to"], "done");
    // The same files the other way round tell the change undone.
    let back = repo.run(&["diff", "b.json", "a.json"]);
    assert!(
        back.contains(&format!("  moved from #1 to #{}\n", place_in_demo("S-7"))),
        "{back}"
    );
    assert_eq!(repo.run(&["diff", "a.json", "a.json"]), "No change.\n");
}

fn place_in_demo(id: &str) -> usize {
    let demo = backlog::cli::demo_backlog();
    demo.position(id.parse().unwrap()).unwrap() + 1
}

#[test]
fn revisions_of_the_data_file_in_git() {
    let repo = Repo::new();
    // Not in HEAD (there is none yet): everything is added.
    let first = repo.run(&["diff"]);
    assert!(first.contains("  added at #1\n"), "{first}");
    repo.commit("demo");
    assert_eq!(repo.run(&["diff"]), "No change.\n");
    repo.run(&["edit", "S-9", "--status", "done"]);
    let working = repo.run(&["diff"]);
    assert!(
        working.contains("S-9 ") && working.contains("  status ready → done\n"),
        "{working}"
    );
    repo.commit("S-9 done");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.run(&["move", "S-7", "--top"]);
    repo.commit("S-7 to the top");
    // One revision: against the file as it is now.
    let one = repo.run(&["diff", "HEAD~2"]);
    assert!(
        one.contains("  status ready → done\n") && one.contains("  moved from"),
        "{one}"
    );
    // Two revisions.
    let two = repo.run(&["diff", "main", "feature"]);
    assert!(two.starts_with("#1 S-7 "), "{two}");
    assert!(!two.contains("status"), "{two}");
    // Run from the data file's own folder, too.
    let inside = repo
        .backlog()
        .current_dir(repo.top().join("plan"))
        .args(["diff", "main", "feature"])
        .assert()
        .success();
    assert_eq!(String::from_utf8_lossy(&inside.get_output().stdout), two);
}

#[test]
fn a_revision_without_the_file_is_an_empty_backlog_before() {
    let repo = Repo::new();
    fs::write(repo.top().join("README"), "hello\n").unwrap();
    repo.git(&["add", "README"]);
    repo.git(&["commit", "-q", "-m", "readme"]);
    repo.commit("demo");
    let json: Value =
        serde_json::from_str(&repo.run(&["diff", "HEAD~1", "HEAD", "--json"])).unwrap();
    let stories = json["stories"].as_array().unwrap();
    assert_eq!(stories.len(), backlog::cli::demo_backlog().len());
    assert!(stories.iter().all(|s| s["changes"][0]["change"] == "added"));
}

#[test]
fn errors_say_what_was_not_found_and_bad_usage_exits_2() {
    let repo = Repo::new();
    repo.commit("demo");
    let before = fs::read(&repo.file).unwrap();
    let no_revision = repo.fail(&["diff", "nosuch"]);
    assert!(
        no_revision.contains("nosuch is not a file") && no_revision.contains("no revision nosuch"),
        "{no_revision}"
    );
    let outside = tempfile::tempdir().unwrap();
    let lone = outside.path().join("backlog.json");
    fs::write(&lone, backlog::cli::DEMO).unwrap();
    let not_git = repo
        .backlog()
        .current_dir(outside.path())
        .env("BACKLOG_FILE", &lone)
        .env("GIT_CEILING_DIRECTORIES", outside.path().parent().unwrap())
        .arg("diff")
        .assert()
        .failure();
    let said = String::from_utf8_lossy(&not_git.get_output().stderr).into_owned();
    assert!(said.contains("is not in a git repository"), "{said}");
    let bad = repo.top().join("bad.json");
    fs::write(&bad, "{\n  \"schema\": 6,\n  oops\n}\n").unwrap();
    let unreadable = repo.fail(&["diff", "bad.json", "HEAD"]);
    assert!(
        unreadable.contains("bad.json") && unreadable.contains("line 3"),
        "{unreadable}"
    );
    for args in [
        &["diff", "a", "b", "c"][..],
        &["diff", "HEAD", "--textconv", "x.json"][..],
    ] {
        repo.backlog().args(args).assert().code(2);
    }
    assert_eq!(
        fs::read(&repo.file).unwrap(),
        before,
        "diff changed the data file"
    );
}

#[test]
fn git_log_and_git_diff_read_as_the_semantic_change_through_textconv() {
    let repo = Repo::new();
    let binary = assert_cmd::cargo::cargo_bin("backlog");
    let textconv = format!("'{}' diff --textconv", binary.display());
    repo.git(&["config", "diff.backlog.textconv", &textconv]);
    fs::write(
        repo.top().join(".gitattributes"),
        "plan/backlog.json diff=backlog\n",
    )
    .unwrap();
    repo.commit("demo");
    repo.run(&[
        "edit",
        "S-9",
        "--status",
        "done",
        "--criterion",
        "Fired loads are logged",
    ]);
    let diff = repo.git(&["diff"]);
    assert!(diff.contains("\n-  S-9 [ready] "), "{diff}");
    assert!(diff.contains("\n+  S-9 [done] "), "{diff}");
    assert!(
        diff.contains("\n+  criterion [ ]: Fired loads are logged\n"),
        "{diff}"
    );
    assert!(!diff.contains("\"status\""), "{diff}");
    repo.commit("S-9 done");
    repo.run(&["move", "S-7", "--top"]);
    repo.commit("S-7 to the top");
    let log = repo.git(&["log", "-p", "--format=commit %s", "plan/backlog.json"]);
    let moved = &log[..log.find("commit S-9 done").unwrap()];
    // A move is its line taken out in one place and put in at another,
    // and nothing else: no other story's line changes.
    let changed: Vec<&str> = moved
        .lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++")
                && !l.starts_with("---")
        })
        .collect();
    assert_eq!(changed.len(), 2, "{moved}");
    assert!(changed.iter().all(|l| l.contains("S-7 [")), "{moved}");
    assert!(log.contains("@@ S-9 "), "hunks name their story: {log}");
}

#[test]
fn textconv_of_a_file_that_is_no_backlog_shows_it_as_it_is() {
    let repo = Repo::new();
    let broken = repo.top().join("broken.json");
    fs::write(&broken, "<<<<<<< ours\n{}\n>>>>>>> theirs\n").unwrap();
    let out = repo
        .backlog()
        .args(["diff", "--textconv", broken.to_str().unwrap()])
        .assert()
        .success();
    let output = out.get_output();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "<<<<<<< ours\n{}\n>>>>>>> theirs\n"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("broken.json"));
}

#[test]
fn every_change_the_json_gives_is_in_the_readmes_json_section() {
    let repo = Repo::new();
    let before = repo.top().join("before.json");
    fs::write(&before, backlog::cli::DEMO).unwrap();
    groom(&repo);
    let json: Value =
        serde_json::from_str(&repo.run(&["diff", before.to_str().unwrap(), "--json"])).unwrap();
    assert!(documented_in_the_readme(&json) >= 10, "{json}");
}

/// Check each change `json` (`diff --json`'s output) gives, and its
/// fields, are in the README's JSON section; how many changes it gave.
fn documented_in_the_readme(json: &Value) -> usize {
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("`backlog diff --json` prints").unwrap();
    let section = &readme[start..];
    let section = &section[..section.find("\n#").unwrap()];
    let stories = json["stories"].as_array().unwrap();
    let kinds = (stories.iter())
        .flat_map(|s| s["changes"].as_array().unwrap())
        .chain(json["product"].as_array().unwrap());
    let mut seen = 0;
    for change in kinds {
        let kind = change["change"].as_str().unwrap();
        assert!(
            section.contains(&format!("`{kind}`")),
            "{kind} is not in the README"
        );
        for field in change.as_object().unwrap().keys() {
            assert!(
                section.contains(&format!("`{field}`")),
                "{kind}'s {field} is not in the README"
            );
        }
        seen += 1;
    }
    for field in ["id", "title", "place", "changes"] {
        assert!(stories[0].get(field).is_some(), "{field}");
        assert!(section.contains(&format!("\"{field}\"")), "{field}");
    }
    seen
}

/// A copy of the demo beside the data file, as a side of a merge.
fn demo_copy(repo: &Repo, name: &str) -> String {
    let path = repo.top().join(name);
    fs::write(&path, backlog::cli::DEMO).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn clashes_a_merge_left_and_their_settling() {
    let repo = Repo::new();
    let file = |name: &str| demo_copy(&repo, name);
    let (base, ours, theirs) = (file("base.json"), file("ours.json"), file("theirs.json"));
    for (side, points, vision) in [
        (&ours, "5", "Clay for all"),
        (&theirs, "8", "Kilns for all"),
    ] {
        repo.run(&["--file", side, "edit", "S-9", "--points", points]);
        repo.run(&["--file", side, "vision", "--set", vision]);
    }
    repo.backlog()
        .args(["merge-driver", &base, &ours, &theirs])
        .args(["--ours-by", "HEAD", "--theirs-by", "feature"])
        .assert()
        .code(1);
    let merged = repo.run(&["diff", &base, &ours]);
    insta::assert_snapshot!(merged);
    let json: Value = serde_json::from_str(&repo.run(&["diff", &base, &ours, "--json"])).unwrap();
    let s9 = json["stories"].as_array().unwrap();
    assert_eq!(s9.len(), 1, "{json}");
    assert_eq!(
        s9[0]["changes"][1],
        serde_json::json!({
            "change": "clash", "field": "points", "base": 3, "ours": 5, "theirs": 8,
            "ours_by": "HEAD", "theirs_by": "feature"
        })
    );
    assert_eq!(json["product"][1]["change"], "clash", "{json}");
    assert_eq!(json["product"][1]["field"], "product.vision", "{json}");
    let lines = repo.run(&["diff", "--textconv", &ours]);
    assert!(
        lines.contains("\n  clash on points: ours 5 (HEAD), theirs 8 (feature)\n"),
        "{lines}"
    );

    let settled = file("settled.json");
    fs::copy(&ours, &settled).unwrap();
    repo.run(&[
        "--file",
        &settled,
        "resolve-conflict",
        "S-9",
        "points",
        "--theirs",
    ]);
    repo.run(&[
        "--file",
        &settled,
        "resolve-conflict",
        "product",
        "vision",
        "--ours",
    ]);
    let text = repo.run(&["diff", &ours, &settled]);
    assert!(
        text.contains("S-9 ") && text.contains("  estimate 5 → 8\n  clash on points settled\n"),
        "{text}"
    );
    assert!(
        text.ends_with("Product\n  clash on vision settled\n"),
        "{text}"
    );
    let json: Value =
        serde_json::from_str(&repo.run(&["diff", &ours, &settled, "--json"])).unwrap();
    assert_eq!(
        json["product"],
        serde_json::json!([{"change": "clash-settled", "field": "product.vision"}])
    );
}

#[test]
fn stories_the_merge_driver_renumbered_read_as_renumbered() {
    let repo = Repo::new();
    let (base, ann, ben) = (
        demo_copy(&repo, "base.json"),
        demo_copy(&repo, "ann.json"),
        demo_copy(&repo, "ben.json"),
    );
    for title in ["Gift cards for members", "Print a kiln log"] {
        repo.run(&["--file", &ann, "add", title]);
    }
    for title in ["Waitlist text alerts", "Glaze inventory"] {
        repo.run(&["--file", &ben, "add", title]);
    }
    // Ben pulls second: his side is ours, and Ann's stories take new ids.
    let said = repo.run(&["merge-driver", &base, &ben, &ann]);
    assert!(said.contains("S-33"), "{said}");
    // What Ann sees when she pulls the merge.
    let text = repo.run(&["diff", &ann, &ben]);
    insta::assert_snapshot!(text);
    let json: Value = serde_json::from_str(&repo.run(&["diff", &ann, &ben, "--json"])).unwrap();
    let s33 = (json["stories"].as_array().unwrap().iter())
        .find(|s| s["id"] == "S-33")
        .unwrap();
    assert_eq!(
        s33["changes"],
        serde_json::json!([{"change": "renumbered", "from": "S-31"}])
    );
    documented_in_the_readme(&json);
}
