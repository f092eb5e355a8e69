//! The merge driver in git's hands: a repository in a temp dir, the
//! driver set up as `backlog share init` sets it, two branches changed as
//! two clones would, and a real `git merge`.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

struct Repo {
    dir: TempDir,
    home: TempDir,
}

impl Repo {
    /// A repository whose data file holds `titles`, committed on `main`,
    /// with the merge driver set up.
    fn with(titles: &[&str]) -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
            home: tempfile::tempdir().unwrap(),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.name", "Ann"]);
        repo.git(&["config", "user.email", "ann@example.com"]);
        let driver = format!(
            "{} merge-driver %O %A %B %P",
            assert_cmd::cargo::cargo_bin!("backlog").display()
        );
        repo.git(&["config", "merge.backlog.driver", &driver]);
        std::fs::write(
            repo.dir.path().join(".gitattributes"),
            "backlog.json merge=backlog\n",
        )
        .unwrap();
        std::fs::write(
            repo.dir.path().join(".gitignore"),
            "backlog.json.*\n.backlog*\n",
        )
        .unwrap();
        repo.backlog(&["init", "--product", "Shop"]);
        for title in titles {
            repo.backlog(&["add", title]);
        }
        repo.commit("base");
        repo
    }

    fn file(&self) -> PathBuf {
        self.dir.path().join("backlog.json")
    }

    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command
            .current_dir(self.dir.path())
            .env("HOME", self.home.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("BACKLOG_FILE", self.file())
            .env("BACKLOG_CONFIG", self.home.path().join("config.toml"))
            .env("USER", "tester");
        command
    }

    fn run(&self, program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Output {
        self.command(program).args(args).output().unwrap()
    }

    /// Run git, which must succeed.
    fn git(&self, args: &[&str]) -> String {
        let output = self.run("git", args);
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// Run backlog, which must succeed.
    fn backlog(&self, args: &[&str]) -> String {
        let output = self.run(assert_cmd::cargo::cargo_bin!("backlog"), args);
        assert!(
            output.status.success(),
            "backlog {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "backlog.json", ".gitattributes", ".gitignore"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    /// Change the data file on a new branch `theirs` and on `main`, each
    /// committed, then merge `theirs` into `main`: git's output.
    fn merge(&self, theirs: impl Fn(&Repo), ours: impl Fn(&Repo)) -> Output {
        self.git(&["checkout", "-q", "-b", "theirs"]);
        theirs(self);
        self.commit("theirs");
        self.git(&["checkout", "-q", "main"]);
        ours(self);
        self.commit("ours");
        self.run("git", &["merge", "--no-edit", "theirs"])
    }

    fn json(&self) -> Value {
        let text = std::fs::read_to_string(self.file()).unwrap();
        assert!(!text.contains("<<<<<<<"), "conflict markers in {text}");
        serde_json::from_str(&text).unwrap()
    }

    /// The titles in rank order, as `backlog list --json` gives them,
    /// which also shows the file loads.
    fn titles(&self) -> Vec<(String, String)> {
        let list: Value = serde_json::from_str(&self.backlog(&["list", "--json"])).unwrap();
        list.as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["id"].as_str().unwrap().to_string(),
                    s["title"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| ((*a).to_string(), (*b).to_string()))
        .collect()
}

fn story<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["stories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {json}"))
}

fn assert_merged(output: &Output) {
    assert!(
        output.status.success(),
        "git merge failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn stories_both_sides_added_are_all_kept_under_distinct_ids() {
    let repo = Repo::with(&["Login", "Search"]);
    let output = repo.merge(
        |r| {
            r.backlog(&["add", "Their cart"]);
            r.backlog(&["add", "Their checkout"]);
            // A reference to their new story follows it to its new id.
            r.backlog(&["link", "S-4", "--blocked-by", "S-3"]);
        },
        |r| {
            r.backlog(&["add", "Our wishlist"]);
        },
    );
    assert_merged(&output);
    assert_eq!(
        repo.titles(),
        pairs(&[
            ("S-1", "Login"),
            ("S-2", "Search"),
            ("S-3", "Our wishlist"),
            // Their S-3 took the next id free on both sides; their S-4
            // was free to keep its own.
            ("S-5", "Their cart"),
            ("S-4", "Their checkout"),
        ])
    );
    let json = repo.json();
    assert_eq!(
        story(&json, "S-4")["blocked_by"],
        serde_json::json!(["S-5"])
    );
    assert_eq!(json["next_id"], 6);
    assert!(json.get("conflicts").is_none());
}

#[test]
fn one_side_ranking_a_story_while_the_other_edits_it_keeps_both() {
    let repo = Repo::with(&["Login", "Search", "Cart"]);
    let output = repo.merge(
        |r| {
            r.backlog(&["edit", "S-3", "--points", "5", "--title", "Cart page"]);
        },
        |r| {
            r.backlog(&["move", "S-3", "--top"]);
        },
    );
    assert_merged(&output);
    assert_eq!(
        repo.titles(),
        pairs(&[("S-3", "Cart page"), ("S-1", "Login"), ("S-2", "Search")])
    );
    assert_eq!(story(&repo.json(), "S-3")["points"], 5);
}

#[test]
fn both_sides_moving_different_stories_keeps_both_moves() {
    let repo = Repo::with(&["A", "B", "C", "D"]);
    let output = repo.merge(
        |r| {
            r.backlog(&["move", "S-4", "--top"]);
        },
        |r| {
            r.backlog(&["move", "S-1", "--bottom"]);
        },
    );
    assert_merged(&output);
    assert_eq!(
        repo.titles(),
        pairs(&[("S-4", "D"), ("S-2", "B"), ("S-3", "C"), ("S-1", "A")])
    );
}

#[test]
fn different_fields_of_one_story_merge_without_a_clash() {
    let repo = Repo::with(&["Login"]);
    let output = repo.merge(
        |r| {
            r.backlog(&["edit", "S-1", "--points", "3"]);
        },
        |r| {
            r.backlog(&["edit", "S-1", "--title", "Log in with email"]);
        },
    );
    assert_merged(&output);
    let json = repo.json();
    assert_eq!(story(&json, "S-1")["title"], "Log in with email");
    assert_eq!(story(&json, "S-1")["points"], 3);
}

#[test]
fn a_story_deleted_on_one_side_and_edited_on_the_other_stays_edited_with_a_clash() {
    let repo = Repo::with(&["Login", "Search"]);
    let output = repo.merge(
        |r| {
            r.backlog(&["rm", "S-2"]);
        },
        |r| {
            r.backlog(&["edit", "S-2", "--title", "Search by name"]);
        },
    );
    assert!(!output.status.success(), "the deletion is a clash");
    let json = repo.json();
    assert_eq!(story(&json, "S-2")["title"], "Search by name");
    assert_eq!(
        json["conflicts"],
        serde_json::json!([{
            "story": "S-2", "field": "deleted", "base": false, "ours": false, "theirs": true,
        }])
    );
    // Taking their deletion removes the story and settles the merge.
    let said = repo.backlog(&["resolve-conflict", "S-2", "deleted", "--theirs"]);
    assert!(said.contains("No clashes are left"), "{said}");
    assert_eq!(repo.titles(), pairs(&[("S-1", "Login")]));
}

#[test]
fn the_same_title_edited_differently_is_a_clash_that_resolving_then_git_add_finishes() {
    let repo = Repo::with(&["Login"]);
    let output = repo.merge(
        |r| {
            r.backlog(&["edit", "S-1", "--title", "Sign in"]);
        },
        |r| {
            r.backlog(&["edit", "S-1", "--title", "Log in"]);
        },
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "git marks the path conflicted"
    );
    let status = repo.git(&["status", "--porcelain"]);
    assert!(status.contains("UU backlog.json"), "{status}");
    // The file opens, ours in it, the clash beside.
    assert_eq!(repo.titles(), pairs(&[("S-1", "Log in")]));
    let listed = repo.backlog(&["conflicts"]);
    assert_eq!(
        listed,
        "S-1 title\n  base:   \"Login\"\n  ours:   \"Log in\"\n  theirs: \"Sign in\"\n"
    );
    let said = repo.backlog(&["resolve-conflict", "S-1", "title", "--theirs"]);
    assert!(said.contains("`git add"), "{said}");
    assert_eq!(repo.titles(), pairs(&[("S-1", "Sign in")]));
    assert!(repo.json().get("conflicts").is_none());
    repo.git(&["add", "backlog.json"]);
    repo.git(&["commit", "-q", "--no-edit"]);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn the_sides_names_git_gives_are_recorded_with_the_clash() {
    let repo = Repo::with(&["Login"]);
    let driver = format!(
        "{} merge-driver %O %A %B %P --ours-by %X --theirs-by %Y",
        assert_cmd::cargo::cargo_bin!("backlog").display()
    );
    repo.git(&["config", "merge.backlog.driver", &driver]);
    repo.merge(
        |r| {
            r.git(&["config", "user.name", "Ben"]);
            r.backlog(&["edit", "S-1", "--points", "8"]);
        },
        |r| {
            r.git(&["config", "user.name", "Ann"]);
            r.backlog(&["edit", "S-1", "--points", "3"]);
        },
    );
    let clash = &repo.json()["conflicts"][0];
    // Who made each side's last commit, and the side as git names it.
    assert_eq!(clash["ours_by"], "Ann, HEAD");
    assert_eq!(clash["theirs_by"], "Ben, theirs");
}

#[test]
fn a_criss_cross_merge_goes_through_the_driver_with_a_virtual_base() {
    let repo = Repo::with(&["Login", "Search"]);
    // Two branches each take in the other's first change: two merge
    // bases, which the recursive strategy merges first.
    repo.git(&["checkout", "-q", "-b", "theirs"]);
    repo.backlog(&["add", "Their cart"]);
    repo.commit("theirs 1");
    repo.git(&["checkout", "-q", "main"]);
    repo.backlog(&["add", "Our wishlist"]);
    repo.commit("ours 1");
    repo.git(&["branch", "ours-1"]);
    repo.git(&["merge", "-q", "--no-edit", "theirs"]);
    repo.git(&["checkout", "-q", "theirs"]);
    repo.git(&["merge", "-q", "--no-edit", "ours-1"]);
    repo.backlog(&["edit", "S-1", "--points", "2"]);
    repo.commit("theirs 2");
    repo.git(&["checkout", "-q", "main"]);
    repo.backlog(&["edit", "S-2", "--points", "5"]);
    repo.commit("ours 2");
    let bases = repo.git(&["merge-base", "--all", "main", "theirs"]);
    assert_eq!(bases.lines().count(), 2, "a criss-cross: {bases}");
    let output = repo.run("git", &["merge", "--no-edit", "-s", "recursive", "theirs"]);
    assert_merged(&output);
    let json = repo.json();
    assert_eq!(story(&json, "S-1")["points"], 2);
    assert_eq!(story(&json, "S-2")["points"], 5);
    let titles: Vec<String> = repo.titles().into_iter().map(|(_, t)| t).collect();
    assert_eq!(titles.len(), 4, "{titles:?}");
    for title in ["Login", "Search", "Our wishlist", "Their cart"] {
        assert!(titles.iter().any(|t| t == title), "{title} in {titles:?}");
    }
}

#[test]
fn a_side_that_is_no_backlog_file_fails_the_driver_and_leaves_ours_alone() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| -> PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let good = "{\"schema\": 7, \"stories\": []}\n";
    let base = write("base", good);
    let ours = write("ours", good);
    let theirs = write("theirs", "<<<<<<< not json\n");
    let output = Command::new(assert_cmd::cargo::cargo_bin!("backlog"))
        .args(["merge-driver"])
        .args([&base, &ours, &theirs].map(|p: &PathBuf| p.as_path()))
        .arg("backlog.json")
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("line 1 column 1"), "{said}");
    assert!(said.contains("theirs"), "names the file: {said}");
    assert_eq!(std::fs::read_to_string(&ours).unwrap(), good);
}

#[test]
fn conflicts_lists_product_clashes_as_json_and_a_bad_value_changes_nothing() {
    let repo = Repo::with(&["Login"]);
    let output = repo.merge(
        |r| {
            r.backlog(&["vision", "--set", "Theirs"]);
            r.backlog(&["edit", "S-1", "--points", "8"]);
        },
        |r| {
            r.backlog(&["vision", "--set", "Ours"]);
            r.backlog(&["edit", "S-1", "--points", "3"]);
        },
    );
    assert_eq!(output.status.code(), Some(1));
    let listed: Value = serde_json::from_str(&repo.backlog(&["conflicts", "--json"])).unwrap();
    assert_eq!(
        listed,
        serde_json::json!([
            {"story": "S-1", "field": "points", "base": null, "ours": 3, "theirs": 8},
            {"field": "product.vision", "base": "", "ours": "Ours", "theirs": "Theirs"},
        ])
    );
    let before = std::fs::read(repo.file()).unwrap();
    for bad in [
        &["resolve-conflict", "S-1", "points", "--value", "lots"][..],
        &["resolve-conflict", "S-1", "title", "--theirs"],
        &["resolve-conflict", "S-9", "points", "--ours"],
        &["resolve-conflict", "nobody", "points", "--ours"],
    ] {
        let output = repo.run(assert_cmd::cargo::cargo_bin!("backlog"), bad);
        assert!(!output.status.success(), "{bad:?}");
        assert_eq!(std::fs::read(repo.file()).unwrap(), before, "{bad:?}");
    }
    let said = repo.backlog(&["resolve-conflict", "product", "vision", "--theirs"]);
    assert_eq!(
        said,
        "Settled the product's product.vision with theirs.\n1 clash left.\n"
    );
    let said = repo.backlog(&["resolve-conflict", "S-1", "points", "--value", "5"]);
    assert!(said.contains("No clashes are left"), "{said}");
    let json = repo.json();
    assert_eq!(json["vision"], "Theirs");
    assert_eq!(story(&json, "S-1")["points"], 5);
}
