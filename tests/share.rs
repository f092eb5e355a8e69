//! Sharing the backlog through git: `share init`, `share status` and
//! `sync`, run as a user would, with the real `git` on clones of a bare
//! repository in a temp dir. Git reads no config of the machine's or the
//! user's: its global config is a file of the test's, and HOME a folder
//! of the test's.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use backlog::interchange::diff::diff;
use backlog::model::Backlog;
use backlog::store;
use tempfile::TempDir;

/// A temp dir with git set up to read only what the test gives it.
struct World {
    dir: TempDir,
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("home")).unwrap();
        fs::write(
            dir.path().join("gitconfig"),
            "[init]\n\tdefaultBranch = main\n",
        )
        .unwrap();
        World { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// What git reads instead of the machine's config and the user's.
    fn git_vars(&self) -> [(&'static str, std::ffi::OsString); 4] {
        [
            ("HOME", self.path("home").into_os_string()),
            ("GIT_CONFIG_GLOBAL", self.path("gitconfig").into_os_string()),
            ("GIT_CONFIG_NOSYSTEM", "1".into()),
            ("GIT_TERMINAL_PROMPT", "0".into()),
        ]
    }

    fn git_env(&self, cmd: &mut Process) {
        cmd.envs(self.git_vars())
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE");
    }

    /// Run git in `folder`, which must succeed; its standard output.
    fn git(&self, folder: &Path, args: &[&str]) -> String {
        let mut cmd = Process::new("git");
        cmd.arg("-C").arg(folder).args(args);
        self.git_env(&mut cmd);
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// A new repository (or clone of `origin`) at `name`, with its own
    /// author.
    fn repo(&self, name: &str, origin: Option<&str>) -> PathBuf {
        let at = self.path(name);
        match origin {
            Some(origin) => {
                let from = self.path(origin);
                let args = [
                    "clone",
                    "--quiet",
                    from.to_str().unwrap(),
                    at.to_str().unwrap(),
                ];
                self.git(self.dir.path(), &args);
            }
            None => {
                self.git(self.dir.path(), &["init", "--quiet", at.to_str().unwrap()]);
            }
        }
        self.git(&at, &["config", "user.name", name]);
        self.git(
            &at,
            &["config", "user.email", &format!("{name}@example.com")],
        );
        at
    }

    /// backlog on the data file `file`, with git as [`World::git`] runs it.
    fn backlog(&self, file: &Path) -> Command {
        let mut cmd = Command::cargo_bin("backlog").unwrap();
        cmd.env("BACKLOG_FILE", file)
            .env("BACKLOG_CONFIG", self.path("config.toml"))
            .env("USER", "tester")
            .envs(self.git_vars())
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE");
        cmd
    }

    fn run(&self, file: &Path, args: &[&str]) -> String {
        let out = self.backlog(file).args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }

    /// `share init` with `path` as PATH, which tells how it names this
    /// program to git.
    fn share_init_on_path(&self, file: &Path, path: impl AsRef<std::ffi::OsStr>) -> String {
        let out = self
            .backlog(file)
            .env("PATH", path)
            .args(["share", "init"])
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }

    fn fail(&self, file: &Path, args: &[&str]) -> String {
        let out = self.backlog(file).args(args).assert().failure();
        String::from_utf8(out.get_output().stderr.clone()).unwrap()
    }

    /// A bare `origin` and `ann`'s clone of it, whose first commit, pushed,
    /// holds a backlog of two stories and the setup `share init` wrote.
    fn team(&self) -> PathBuf {
        self.git(
            self.dir.path(),
            &[
                "init",
                "--quiet",
                "--bare",
                self.path("origin.git").to_str().unwrap(),
            ],
        );
        let ann = self.repo("ann", Some("origin.git"));
        let file = ann.join("backlog.json");
        self.run(&file, &["add", "Story 1"]);
        self.run(&file, &["add", "Story 2"]);
        self.run(&file, &["share", "init"]);
        self.git(&ann, &["add", "."]);
        self.git(&ann, &["commit", "--quiet", "-m", "The backlog"]);
        self.git(&ann, &["push", "--quiet", "-u", "origin", "main"]);
        ann
    }

    /// A second clone of the team's repository, set up as its README
    /// says: `share init` once.
    fn clone(&self, name: &str) -> PathBuf {
        let at = self.repo(name, Some("origin.git"));
        self.run(&at.join("backlog.json"), &["share", "init"]);
        at
    }
}

fn head(world: &World, repo: &Path) -> String {
    world.git(repo, &["rev-parse", "HEAD"])
}

fn load(file: &Path) -> Backlog {
    store::load(file).unwrap().backlog
}

fn titles(file: &Path) -> Vec<String> {
    load(file).ranked().map(|s| s.title.clone()).collect()
}

/// The program's own folder, for a PATH on which `backlog` is it.
fn program_folder() -> PathBuf {
    assert_cmd::cargo::cargo_bin("backlog")
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn share_init_sets_up_the_repository_and_a_second_run_changes_nothing() {
    let world = World::new();
    let repo = world.repo("ann", None);
    let file = repo.join("backlog.json");
    world.run(&file, &["add", "Story 1"]);
    let path = std::env::join_paths(std::iter::once(program_folder()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let out = world.share_init_on_path(&file, &path);
    assert!(out.contains(".gitattributes: added"), "{out}");
    assert!(out.contains("the backlog on PATH is this program"), "{out}");
    assert_eq!(
        fs::read_to_string(repo.join(".gitattributes")).unwrap(),
        "backlog.json merge=backlog diff=backlog\n"
    );
    let config = |key: &str| world.git(&repo, &["config", "--local", key]);
    assert_eq!(
        config("merge.backlog.driver"),
        "backlog merge-driver %O %A %B %P --ours-by %X --theirs-by %Y\n"
    );
    assert_eq!(config("diff.backlog.textconv"), "backlog diff --textconv\n");
    assert!(!config("merge.backlog.name").trim().is_empty());
    // backlog's own files are left out of git, the data file is not.
    for name in [
        "backlog.json.history",
        "backlog.json.lock",
        "backlog.json.view",
        "backlog.json.meeting",
        "backlog.json.conflict-20261130T091200.000Z.json",
        "backlog.json.unsaved-20261130T091200.000Z.json",
        ".backlog.json.12.aB3dE9.tmp",
    ] {
        world.git(&repo, &["check-ignore", "--quiet", "--no-index", name]);
    }
    let mut cmd = Process::new("git");
    cmd.arg("-C")
        .arg(&repo)
        .args(["check-ignore", "--quiet", "--no-index", "backlog.json"]);
    world.git_env(&mut cmd);
    assert!(!cmd.status().unwrap().success(), "the data file is ignored");

    let files = |name: &str| fs::read(repo.join(name)).unwrap();
    let before = (
        files(".gitattributes"),
        files(".gitignore"),
        files(".git/config"),
    );
    let again = world.share_init_on_path(&file, &path);
    assert!(again.contains("Nothing to change"), "{again}");
    assert_eq!(
        (
            files(".gitattributes"),
            files(".gitignore"),
            files(".git/config")
        ),
        before
    );
}

#[test]
fn share_init_names_this_program_by_its_path_when_path_has_no_backlog() {
    let world = World::new();
    let repo = world.repo("ann", None);
    let file = repo.join("backlog.json");
    let out = world.share_init_on_path(&file, std::env::var_os("PATH").unwrap_or_default());
    assert!(out.contains("by its full path"), "{out}");
    let program = fs::canonicalize(assert_cmd::cargo::cargo_bin("backlog")).unwrap();
    let driver = world.git(&repo, &["config", "--local", "merge.backlog.driver"]);
    assert_eq!(
        driver.trim(),
        format!(
            "{} merge-driver %O %A %B %P --ours-by %X --theirs-by %Y",
            shell_words::quote(&program.to_string_lossy())
        )
    );
}

#[test]
fn share_init_works_for_a_data_file_below_the_top() {
    let world = World::new();
    let repo = world.repo("ann", None);
    fs::create_dir_all(repo.join("team/plan")).unwrap();
    let file = repo.join("team/plan/b.json");
    world.run(&file, &["add", "Story 1"]);
    let out = world.run(&file, &["share", "init"]);
    assert!(out.contains("Sharing team/plan/b.json"), "{out}");
    assert_eq!(
        fs::read_to_string(repo.join(".gitattributes")).unwrap(),
        "team/plan/b.json merge=backlog diff=backlog\n"
    );
    assert!(!repo.join("team/plan/.gitattributes").exists());
    let attributes = world.git(
        &repo,
        &["check-attr", "merge", "diff", "--", "team/plan/b.json"],
    );
    assert_eq!(
        attributes,
        "team/plan/b.json: merge: backlog\nteam/plan/b.json: diff: backlog\n"
    );
    world.git(
        &repo,
        &[
            "check-ignore",
            "--quiet",
            "--no-index",
            "team/plan/b.json.history",
        ],
    );
    let ignore = fs::read_to_string(repo.join(".gitignore")).unwrap();
    assert!(ignore.contains("\n/team/plan/b.json.lock\n"), "{ignore}");
    // An existing .gitignore keeps what it had, its last line unended.
    fs::write(repo.join(".gitignore"), "target").unwrap();
    world.run(&file, &["share", "init"]);
    let ignore = fs::read_to_string(repo.join(".gitignore")).unwrap();
    assert!(
        ignore.starts_with("target\n# backlog's own files"),
        "{ignore}"
    );
    assert!(world.run(&file, &["share", "status"]).contains("Set up"));
}

#[test]
fn share_init_outside_a_work_tree_refuses_and_writes_nothing() {
    let world = World::new();
    let folder = world.path("plain");
    fs::create_dir(&folder).unwrap();
    let file = folder.join("backlog.json");
    world.run(&file, &["add", "Story 1"]);
    let before = fs::read(&file).unwrap();
    for args in [&["share", "init"][..], &["share", "status"], &["sync"]] {
        let err = world.fail(&file, args);
        assert!(err.contains("is not in a git work tree"), "{args:?}: {err}");
    }
    assert_eq!(fs::read(&file).unwrap(), before);
    let mut left: Vec<_> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, ["backlog.json", "backlog.json.lock"]);
}

#[test]
fn share_status_says_what_a_new_clone_lacks_and_the_command_that_fixes_it() {
    let world = World::new();
    let repo = world.repo("ann", None);
    let file = repo.join("backlog.json");
    let before = world.run(&file, &["share", "status"]);
    assert!(
        before.contains("attribute merge=backlog: missing"),
        "{before}"
    );
    assert!(
        before.contains("merge driver (merge.backlog.driver): missing"),
        "{before}"
    );
    assert!(
        before.contains("readable diff (diff.backlog.textconv): missing"),
        "{before}"
    );
    assert!(
        before.contains("to fix it: backlog share init\n"),
        "{before}"
    );
    world.run(&file, &["share", "init"]);
    let after = world.run(&file, &["share", "status"]);
    assert!(after.contains("attribute merge=backlog: set"), "{after}");
    assert!(
        after.contains("merge driver (merge.backlog.driver): set"),
        "{after}"
    );
    assert!(after.contains("Set up"), "{after}");

    // A clone gets the attributes with the commit, and not the config.
    world.git(&repo, &["add", "."]);
    world.git(&repo, &["commit", "--quiet", "-m", "Share"]);
    let bob = world.path("bob");
    world.git(
        world.dir.path(),
        &[
            "clone",
            "--quiet",
            repo.to_str().unwrap(),
            bob.to_str().unwrap(),
        ],
    );
    let cloned = world.run(&bob.join("backlog.json"), &["share", "status"]);
    assert!(cloned.contains("attribute diff=backlog: set"), "{cloned}");
    assert!(
        cloned.contains("merge driver (merge.backlog.driver): missing"),
        "{cloned}"
    );
    assert!(cloned.contains("to fix it: backlog share init"), "{cloned}");
}

/// Each refusal leaves the data file, and the repository's HEAD, as they
/// were.
fn refuses(world: &World, repo: &Path, file: &Path, env: &[(&str, &str)], message: &str) {
    let before = (fs::read(file).unwrap(), head(world, repo));
    let mut cmd = world.backlog(file);
    cmd.arg("sync");
    for (key, value) in env {
        cmd.env(key, value);
    }
    let out = cmd.assert().failure();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains(message), "{err}");
    assert!(err.contains("nothing was done"), "{err}");
    assert_eq!((fs::read(file).unwrap(), head(world, repo)), before);
}

#[test]
fn sync_refuses_without_an_upstream() {
    let world = World::new();
    let repo = world.repo("ann", None);
    let file = repo.join("backlog.json");
    world.run(&file, &["add", "Story 1"]);
    world.run(&file, &["share", "init"]);
    world.git(&repo, &["add", "."]);
    world.git(&repo, &["commit", "--quiet", "-m", "The backlog"]);
    world.run(&file, &["add", "Story 2"]);
    refuses(&world, &repo, &file, &[], "the branch main has no upstream");
}

#[test]
fn sync_refuses_when_other_changes_are_in_the_way() {
    let world = World::new();
    let ann = world.team();
    let file = ann.join("backlog.json");
    // Staged changes to another file, or unstaged ones, are in the way.
    fs::write(ann.join("notes.md"), "first\n").unwrap();
    world.git(&ann, &["add", "notes.md"]);
    // A view someone committed before it was ignored, as well.
    fs::write(ann.join("backlog.json.view"), "{}\n").unwrap();
    world.git(&ann, &["add", "--force", "backlog.json.view"]);
    world.git(&ann, &["commit", "--quiet", "-m", "Notes"]);
    world.run(&file, &["add", "Story 3"]);
    fs::write(ann.join("notes.md"), "second\n").unwrap();
    world.git(&ann, &["add", "notes.md"]);
    refuses(&world, &ann, &file, &[], "other changes are in the way");
    world.git(&ann, &["reset", "--quiet", "--", "notes.md"]);
    refuses(&world, &ann, &file, &[], "notes.md");
    world.git(&ann, &["checkout", "--quiet", "--", "notes.md"]);
    // Backlog's own files changing is no reason to refuse, and an
    // untracked file is in nobody's way.
    fs::write(ann.join("backlog.json.view"), "{\"moved\": true}\n").unwrap();
    fs::write(ann.join("scratch.txt"), "mine\n").unwrap();
    let out = world.run(&file, &["sync"]);
    assert!(out.contains("Committed backlog.json"), "{out}");
}

#[test]
fn sync_refuses_when_git_is_missing() {
    let world = World::new();
    let ann = world.team();
    let file = ann.join("backlog.json");
    world.run(&file, &["add", "Story 3"]);
    let empty = world.path("no-git");
    fs::create_dir(&empty).unwrap();
    refuses(
        &world,
        &ann,
        &file,
        &[("PATH", empty.to_str().unwrap())],
        "git is not installed",
    );
}

#[test]
fn sync_refuses_where_the_merge_driver_is_not_set_up() {
    let world = World::new();
    world.team();
    let bob = world.repo("bob", Some("origin.git"));
    let file = bob.join("backlog.json");
    world.run(&file, &["add", "Story 3"]);
    refuses(&world, &bob, &file, &[], "run `backlog share init` once");
}

#[test]
fn sync_commits_pulls_and_pushes_when_one_side_changed() {
    let world = World::new();
    let ann = world.team();
    let bob = world.clone("bob");
    let ann_file = ann.join("backlog.json");
    let bob_file = bob.join("backlog.json");

    let at_head = load(&ann_file);
    world.run(&ann_file, &["add", "Story 3"]);
    world.run(&ann_file, &["edit", "S-1", "--title", "Story one"]);
    let summary = diff(&at_head, &load(&ann_file)).summary();
    let out = world.run(&ann_file, &["sync"]);
    assert!(
        out.contains(&format!("Committed backlog.json: {summary}\n")),
        "{out}"
    );
    assert!(
        out.contains("Pulled from origin/main: nothing came in"),
        "{out}"
    );
    assert!(out.contains("Pushed 1 commit to origin/main"), "{out}");
    let message = world.git(&ann, &["log", "-1", "--format=%s"]);
    assert_eq!(message.trim(), summary);
    // The commit holds the data file alone.
    let changed = world.git(&ann, &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(changed, "backlog.json\n");
    assert_eq!(world.git(&ann, &["status", "--porcelain"]), "");

    let out = world.run(&bob_file, &["sync"]);
    assert!(out.contains("backlog.json: no change to commit"), "{out}");
    assert!(
        out.contains(&format!("Pulled from origin/main: {summary}\n")),
        "{out}"
    );
    assert!(out.contains("Nothing to push"), "{out}");
    assert_eq!(titles(&bob_file), ["Story one", "Story 2", "Story 3"]);
    assert_eq!(head(&world, &bob), head(&world, &ann));

    // Nothing new on either side: nothing is done.
    let out = world.run(&bob_file, &["sync"]);
    assert!(out.contains("nothing came in"), "{out}");
    assert!(out.contains("Nothing to push"), "{out}");
}

#[test]
fn a_failed_push_says_so_and_that_the_next_sync_pushes_again() {
    let world = World::new();
    let ann = world.team();
    let file = ann.join("backlog.json");
    world.run(&file, &["add", "Story 3"]);
    // The remote refuses every push.
    let hook = world.path("origin.git/hooks/pre-receive");
    fs::write(&hook, "#!/bin/sh\necho closed for the night >&2\nexit 1\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let err = world.fail(&file, &["sync"]);
    assert!(err.contains("the push to origin/main failed"), "{err}");
    assert!(err.contains("closed for the night"), "{err}");
    assert!(
        err.contains("the next `backlog sync` pushes it again"),
        "{err}"
    );
    fs::remove_file(&hook).unwrap();
    let out = world.run(&file, &["sync"]);
    assert!(out.contains("Pushed 1 commit"), "{out}");
}

#[test]
fn sync_merges_when_both_sides_changed_different_stories() {
    let world = World::new();
    let ann = world.team();
    let bob = world.clone("bob");
    let ann_file = ann.join("backlog.json");
    let bob_file = bob.join("backlog.json");
    world.run(&ann_file, &["edit", "S-1", "--title", "Ann's story"]);
    world.run(&bob_file, &["edit", "S-2", "--title", "Bob's story"]);
    world.run(&ann_file, &["sync"]);
    let out = world.run(&bob_file, &["sync"]);
    assert!(out.contains("Pushed"), "{out}");
    world.run(&ann_file, &["sync"]);
    for file in [&ann_file, &bob_file] {
        assert_eq!(titles(file), ["Ann's story", "Bob's story"]);
    }
    assert_eq!(head(&world, &bob), head(&world, &ann));
}

/// Make `repo`'s merge driver one that keeps our side and records one
/// clash in the file's `conflicts` list, exiting 1, as backlog's own does
/// when both sides changed a field: this test is of `sync`, not of the
/// driver.
fn clashing_driver(world: &World, repo: &Path) {
    let script = world.path("clash.sh");
    fs::write(
        &script,
        "#!/bin/sh\nsed -i '1s/{/{\"conflicts\": [{\"story\": \"S-1\", \"field\": \"title\"}],/' \"$1\"\nexit 1\n",
    )
    .unwrap();
    let driver = format!("sh {} %A", script.display());
    world.git(repo, &["config", "merge.backlog.driver", &driver]);
}

#[test]
fn a_clash_is_reported_with_how_to_settle_it_and_the_next_sync_finishes_the_merge() {
    let world = World::new();
    let ann = world.team();
    let bob = world.clone("bob");
    clashing_driver(&world, &bob);
    let ann_file = ann.join("backlog.json");
    let bob_file = bob.join("backlog.json");
    world.run(&ann_file, &["edit", "S-1", "--title", "Ann's title"]);
    world.run(&ann_file, &["sync"]);
    world.run(&bob_file, &["edit", "S-1", "--title", "Bob's title"]);
    let ours = fs::read_to_string(&bob_file).unwrap();

    let err = world.fail(&bob_file, &["sync"]);
    assert!(err.contains("1 clash to settle"), "{err}");
    assert!(err.contains("backlog conflicts"), "{err}");
    assert!(
        err.contains("backlog resolve-conflict S-1 title --theirs"),
        "{err}"
    );
    assert!(
        err.contains("Settle them in `backlog` (! shows each"),
        "{err}"
    );
    assert!(err.contains("backlog sync` again"), "{err}");
    // While a clash is left, sync does nothing.
    let err = world.fail(&bob_file, &["sync"]);
    assert!(err.contains("1 clash to settle"), "{err}");
    assert!(err.contains("nothing was done"), "{err}");

    // Settled (here by hand: the file as it was, no clash left), the
    // next sync finishes the merge and pushes it.
    fs::write(&bob_file, &ours).unwrap();
    let out = world.run(&bob_file, &["sync"]);
    assert!(out.contains("Finished the merge"), "{out}");
    assert!(out.contains("Pushed 2 commits to origin/main"), "{out}");
    assert_eq!(world.git(&bob, &["status", "--porcelain"]), "");
    world.run(&ann_file, &["sync"]);
    assert_eq!(titles(&ann_file), ["Bob's title", "Story 2"]);
}

#[test]
fn a_clash_the_real_driver_records_on_a_pull_names_who_made_each_side() {
    let world = World::new();
    let ann = world.team();
    let bob = world.clone("bob");
    let ann_file = ann.join("backlog.json");
    let bob_file = bob.join("backlog.json");
    world.run(&ann_file, &["edit", "S-1", "--title", "Ann's title"]);
    world.run(&ann_file, &["sync"]);
    let anns = world.git(&ann, &["rev-parse", "--short", "HEAD"]);
    world.run(&bob_file, &["edit", "S-1", "--title", "Bob's title"]);
    let err = world.fail(&bob_file, &["sync"]);
    assert!(err.contains("resolve-conflict S-1 title --theirs"), "{err}");
    let listed = world.run(&bob_file, &["conflicts"]);
    assert_eq!(
        listed,
        format!(
            "S-1 title\n  base:   \"Story 1\"\n  ours:   \"Bob's title\" (bob, HEAD)\n  \
             theirs: \"Ann's title\" (ann, {})\n",
            anns.trim()
        )
    );
    assert!(
        !fs::read_to_string(&bob_file).unwrap().contains("<<<<<<<"),
        "no conflict markers"
    );
}

#[test]
fn a_merge_driver_that_fails_is_said_so_with_the_way_back() {
    let world = World::new();
    let ann = world.team();
    let bob = world.clone("bob");
    world.git(&bob, &["config", "merge.backlog.driver", "false"]);
    let ann_file = ann.join("backlog.json");
    let bob_file = bob.join("backlog.json");
    world.run(&ann_file, &["edit", "S-1", "--title", "Ann's title"]);
    world.run(&ann_file, &["sync"]);
    world.run(&bob_file, &["edit", "S-2", "--title", "Bob's title"]);
    let err = world.fail(&bob_file, &["sync"]);
    assert!(
        err.contains("the merge driver failed on backlog.json"),
        "{err}"
    );
    assert!(err.contains("`git merge --abort`"), "{err}");
}
