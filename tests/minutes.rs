//! `backlog minutes`, run as a user would, on minutes files in a temp dir:
//! written as a meeting writes them (`store::write_minutes`) and by hand.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use backlog::store;
use chrono::{DateTime, Local, TimeZone};
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
            .env("BACKLOG_CONFIG", self.dir.path().join("config.toml"));
        cmd
    }

    /// Run a command that must succeed; returns its stdout and stderr.
    fn run(&self, args: &[&str]) -> (String, String) {
        let out = self.cmd().args(args).assert().success();
        let out = out.get_output();
        (text(&out.stdout), text(&out.stderr))
    }

    /// Run a command that must fail; returns its stderr, and checks that
    /// it printed nothing.
    fn fail(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).assert().failure();
        assert_eq!(text(&out.get_output().stdout), "", "{args:?}");
        text(&out.get_output().stderr)
    }

    fn write(&self, started: DateTime<Local>, text: &str) -> store::Minutes {
        store::write_minutes(&self.file, started, text).unwrap()
    }

    fn folder(&self) -> PathBuf {
        self.dir.path().join("backlog-minutes")
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Local> {
    Local
        .with_ymd_and_hms(2026, 11, day, hour, minute, 0)
        .unwrap()
}

const MONDAY: &str = "# Refinement meeting · Mon 30 Nov 2026, 09:12–09:47 (35 min)\n\n\
    ## S-3 Pay by card\n\nEstimated 5 points.\n";

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn with_no_minutes_yet_each_form_says_so_and_nothing_is_made() {
    let env = Env::new();
    let folder = env.folder().display().to_string();
    for args in [&[][..], &["--last"], &["2026-11-30"]] {
        let stderr = env.fail(&[&["minutes"][..], args].concat());
        assert!(
            stderr.contains("there are no minutes yet"),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains(&folder), "{args:?}: {stderr}");
    }
    let (stdout, stderr) = env.run(&["minutes", "--list"]);
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("backlog: note: there are no minutes yet"),
        "{stderr}"
    );
    assert!(stderr.contains(&folder), "{stderr}");
    // Reading the minutes writes nothing: no folder, no lock, no data file.
    assert_eq!(names_in(env.dir.path()), Vec::<String>::new());
}

#[test]
fn the_newest_minutes_are_printed_as_written() {
    let env = Env::new();
    env.write(at(29, 14, 0), "# Sunday\n");
    env.write(at(30, 9, 12), MONDAY);
    // Written by hand, not by a meeting: printed all the same, byte for
    // byte, and an older one by its id.
    fs::write(
        env.folder().join("2026-11-28-1000.md"),
        "No title, *no* newline",
    )
    .unwrap();
    for args in [&["minutes"][..], &["minutes", "--last"]] {
        assert_eq!(
            env.run(args),
            (MONDAY.to_string(), String::new()),
            "{args:?}"
        );
    }
    let (stdout, _) = env.run(&["minutes", "2026-11-28-1000"]);
    assert_eq!(stdout, "No title, *no* newline");
}

#[test]
fn the_list_is_one_line_each_newest_last() {
    let env = Env::new();
    env.write(at(30, 9, 12), MONDAY);
    env.write(at(29, 14, 0), "# Sunday\n");
    env.write(at(30, 9, 12), "# Monday, again\n");
    fs::write(env.folder().join("2026-11-28-1000.md"), "No title\n").unwrap();
    // Not minutes: left out.
    fs::write(env.folder().join("notes.md"), "# Notes\n").unwrap();
    fs::write(env.folder().join("2026-11-30-0912.txt"), "# Text\n").unwrap();
    let (stdout, stderr) = env.run(&["minutes", "--list"]);
    assert_eq!(
        stdout,
        "2026-11-28-1000    2026-11-28-1000\n\
         2026-11-29-1400    Sunday\n\
         2026-11-30-0912    Refinement meeting · Mon 30 Nov 2026, 09:12–09:47 (35 min)\n\
         2026-11-30-0912-2  Monday, again\n"
    );
    assert_eq!(stderr, "");
}

#[test]
fn minutes_of_meetings_started_in_the_same_minute_are_all_kept() {
    let env = Env::new();
    let first = env.write(at(30, 9, 12), MONDAY);
    let second = env.write(at(30, 9, 12), "# Second\n");
    let third = env.write(at(30, 9, 12), "# Third\n");
    assert_eq!(
        [first.id, second.id, third.id],
        ["2026-11-30-0912", "2026-11-30-0912-2", "2026-11-30-0912-3"]
    );
    assert_eq!(
        names_in(&env.folder()),
        [
            "2026-11-30-0912-2.md",
            "2026-11-30-0912-3.md",
            "2026-11-30-0912.md"
        ]
    );
    // An exact id is taken as it is, though longer ids start with it.
    assert_eq!(env.run(&["minutes", "2026-11-30-0912"]).0, MONDAY);
    assert_eq!(env.run(&["minutes", "2026-11-30-0912-2"]).0, "# Second\n");
    assert_eq!(env.run(&["minutes"]).0, "# Third\n");
}

#[test]
fn minutes_are_found_by_the_start_of_their_id_when_only_theirs_has_it() {
    let env = Env::new();
    env.write(at(29, 14, 0), "# Sunday\n");
    env.write(at(30, 9, 12), MONDAY);
    env.write(at(30, 16, 5), "# Monday afternoon\n");
    assert_eq!(env.run(&["minutes", "2026-11-29"]).0, "# Sunday\n");
    assert_eq!(
        env.run(&["minutes", "2026-11-30-16"]).0,
        "# Monday afternoon\n"
    );

    let stderr = env.fail(&["minutes", "2026-11-30"]);
    assert!(
        stderr.contains(
            "\"2026-11-30\" starts more than one minutes' id: 2026-11-30-0912, 2026-11-30-1605; give more of it"
        ),
        "{stderr}"
    );
    let stderr = env.fail(&["minutes", "2026-12-01"]);
    assert!(
        stderr.contains(
            "no minutes \"2026-12-01\"; the minutes there are: 2026-11-29-1400, 2026-11-30-0912, 2026-11-30-1605"
        ),
        "{stderr}"
    );
}

#[test]
fn last_list_and_an_id_exclude_one_another() {
    let env = Env::new();
    env.write(at(30, 9, 12), MONDAY);
    for args in [
        &["minutes", "--last", "--list"][..],
        &["minutes", "--last", "2026-11-30"],
        &["minutes", "--list", "2026-11-30"],
    ] {
        let stderr = env.fail(args);
        assert!(stderr.contains("cannot be used with"), "{args:?}: {stderr}");
    }
}

#[test]
fn the_minutes_are_those_of_the_file_in_use() {
    let env = Env::new();
    env.write(at(30, 9, 12), MONDAY);
    let other = env.dir.path().join("other.json");
    store::write_minutes(&other, at(30, 10, 0), "# Other\n").unwrap();
    assert_eq!(env.run(&["minutes"]).0, MONDAY);
    let flag = other.to_str().unwrap();
    assert_eq!(env.run(&["--file", flag, "minutes"]).0, "# Other\n");
    assert!(
        env.dir
            .path()
            .join("other-minutes/2026-11-30-1000.md")
            .is_file()
    );
}

#[cfg(unix)]
#[test]
fn a_linked_data_files_minutes_are_beside_the_file_it_leads_to() {
    let env = Env::new();
    let shared = env.dir.path().join("shared");
    fs::create_dir(&shared).unwrap();
    let data = shared.join("team.json");
    fs::write(&data, "").unwrap();
    std::os::unix::fs::symlink(&data, &env.file).unwrap();
    store::write_minutes(&data, at(30, 9, 12), MONDAY).unwrap();
    assert_eq!(env.run(&["minutes"]).0, MONDAY);
}

#[test]
fn backlog_meeting_checks_its_agenda_before_it_takes_the_terminal() {
    let env = Env::new();
    env.run(&["init", "--demo"]);
    let before = fs::read(&env.file).unwrap();
    let unknown = env.fail(&["meeting", "S-7", "S-99"]);
    assert!(unknown.contains("not in the backlog: S-99"), "{unknown}");
    let none = env.fail(&["meeting", "--top", "0"]);
    assert!(none.contains("--top 0 leaves nothing to discuss"), "{none}");
    let epic = env.fail(&["meeting", "--epic", "Nope"]);
    assert!(epic.contains("Nope"), "{epic}");
    // With a good agenda, it needs a terminal, and says so.
    let no_terminal = env.fail(&["meeting", "--top", "2"]);
    assert!(no_terminal.contains("needs a terminal"), "{no_terminal}");
    assert_eq!(fs::read(&env.file).unwrap(), before, "nothing written");
    assert!(!env.file.with_file_name("backlog.json.meeting").exists());
}
