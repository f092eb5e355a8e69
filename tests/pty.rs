//! The real binary in a pseudo-terminal: what a person at a keyboard gets.
//! Keys go in as bytes, the screen comes out as escape sequences, and the
//! data file is checked afterwards.

#![cfg(unix)]

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 30;
const COLS: u16 = 100;

struct Tui {
    child: Box<dyn Child + Send + Sync>,
    /// Shared with the reader, which answers the program's questions.
    keys: Arc<Mutex<Box<dyn Write + Send>>>,
    screen: Arc<Mutex<Vec<u8>>>,
    /// The program's output is all read: it has exited and closed the
    /// terminal.
    read_all: Arc<AtomicBool>,
    // Kept open so the terminal stays alive until the test ends it.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Tui {
    fn start(file: &Path) -> Tui {
        Tui::start_with(file, &[])
    }

    /// Start with extra environment variables, such as `EDITOR`.
    fn start_with(file: &Path, env: &[(&str, &Path)]) -> Tui {
        Tui::run(file, &[], env)
    }

    /// Run `backlog ARGS --file FILE` in the terminal, with extra
    /// environment variables.
    fn run(file: &Path, args: &[&str], env: &[(&str, &Path)]) -> Tui {
        Tui::launch(file, args, env, Terminal::default())
    }

    /// As [`Tui::run`], in a terminal that does more than show what it
    /// is sent.
    fn launch(file: &Path, args: &[&str], env: &[(&str, &Path)], terminal: Terminal) -> Tui {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_backlog"));
        cmd.args(args);
        cmd.arg("--file");
        cmd.arg(file);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        // Never the user's own config, editor or author.
        let config = file.with_file_name("config.toml");
        cmd.env("BACKLOG_CONFIG", &config);
        cmd.env("EDITOR", "false");
        cmd.env_remove("VISUAL");
        for (name, value) in env {
            cmd.env(name, value);
        }
        let keys = Arc::new(Mutex::new(pty.master.take_writer().unwrap()));
        // Typed before the program has started: the terminal holds them.
        keys.lock()
            .unwrap()
            .write_all(terminal.ahead.as_bytes())
            .unwrap();
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let screen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&screen);
        let read_all = Arc::new(AtomicBool::new(false));
        let done = Arc::clone(&read_all);
        let answer_to = Arc::clone(&keys);
        std::thread::spawn(move || {
            let mut answers = terminal.answers.map(Answers::new);
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut output = sink.lock().unwrap();
                output.extend_from_slice(&buf[..n]);
                if let Some(answers) = &mut answers {
                    let reply = answers.to(&output);
                    let mut keys = answer_to.lock().unwrap();
                    // The terminal may be gone already.
                    let _ = keys.write_all(&reply).and_then(|()| keys.flush());
                }
            }
            done.store(true, Ordering::Release);
        });
        Tui {
            child,
            keys,
            screen,
            read_all,
            _master: pty.master,
        }
    }

    /// Everything the program wrote, escape sequences and all.
    fn output(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().unwrap()).into_owned()
    }

    /// The screen as a person sees it now: the output run through a
    /// terminal emulator.
    fn screen(&self) -> String {
        let size = |n| std::num::NonZeroU16::new(n).unwrap();
        let mut terminal = vt100::Parser::new(size(ROWS), size(COLS), 0);
        terminal.process(&self.screen.lock().unwrap());
        terminal.screen().contents()
    }

    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "{text:?} never appeared; the screen shows:\n{}",
            self.screen()
        );
    }

    /// Wait for `text`, which may be wrapped over several lines, even
    /// within a word.
    fn wait_for_wrapped(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if squeezed(&self.screen()).contains(&squeezed(text)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "{text:?} never appeared; the screen shows:\n{}",
            self.screen()
        );
    }

    fn type_keys(&mut self, keys: &str) {
        let mut writer = self.keys.lock().unwrap();
        writer.write_all(keys.as_bytes()).unwrap();
        writer.flush().unwrap();
    }

    /// Paste `text` as a terminal does: marked as a paste
    /// (`ESC [200~` … `ESC [201~`) when the program asked for that
    /// (`ESC [?2004h`, and not `l` since), else as if typed, each line
    /// break a carriage return.
    fn paste(&mut self, text: &str) {
        let output = self.output();
        let marked = output.rfind("\x1b[?2004h") > output.rfind("\x1b[?2004l");
        let text = text.replace('\n', "\r");
        if marked {
            self.type_keys(&format!("\x1b[200~{text}\x1b[201~"));
        } else {
            self.type_keys(&text);
        }
    }

    fn signal(&self, signal: &str) {
        let pid = self.child.process_id().unwrap().to_string();
        let status = Command::new("kill").args([signal, &pid]).status().unwrap();
        assert!(status.success());
    }

    fn wait_exit(&mut self) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                // What it wrote last may not be read yet.
                while !self.read_all.load(Ordering::Acquire) && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(10));
                }
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.child.kill().unwrap();
        panic!("the TUI did not exit; the screen shows:\n{}", self.screen());
    }
}

/// What the pseudo-terminal does beyond showing what it is sent: by
/// default, nothing (it never answers a question, as no terminal would).
#[derive(Clone, Copy, Default)]
struct Terminal {
    /// Keys typed before the program starts, as one types ahead of a slow
    /// start.
    ahead: &'static str,
    /// Answer each request for the cursor's position, as a terminal does;
    /// when the first comes, these keys are typed first.
    answers: Option<&'static str>,
}

/// A terminal's answers to the requests for the cursor's position
/// (`ESC [ 6 n`) in what a program wrote: where the cursor is by then
/// (`ESC [ row ; column R`), as a terminal emulator has it.
struct Answers {
    terminal: vt100::Parser,
    /// How much of the output the emulator has been given.
    fed: usize,
    /// Typed just as the first request comes.
    keys: Option<&'static str>,
}

impl Answers {
    fn new(keys: &'static str) -> Answers {
        let size = |n| std::num::NonZeroU16::new(n).unwrap();
        Answers {
            terminal: vt100::Parser::new(size(ROWS), size(COLS), 0),
            fed: 0,
            keys: Some(keys),
        }
    }

    /// What the terminal sends back for the requests in `output` (all the
    /// program wrote so far) not answered yet.
    fn to(&mut self, output: &[u8]) -> Vec<u8> {
        const REQUEST: &[u8] = b"\x1b[6n";
        let mut reply = Vec::new();
        while let Some(at) = output[self.fed..]
            .windows(REQUEST.len())
            .position(|w| w == REQUEST)
        {
            let end = self.fed + at + REQUEST.len();
            self.terminal.process(&output[self.fed..end]);
            self.fed = end;
            if let Some(keys) = self.keys.take() {
                reply.extend_from_slice(keys.as_bytes());
            }
            let (row, column) = self.terminal.screen().cursor_position();
            reply.extend_from_slice(format!("\x1b[{};{}R", row + 1, column + 1).as_bytes());
        }
        // A request cut off at the end is found whole next time.
        let whole = output.len().saturating_sub(REQUEST.len() - 1).max(self.fed);
        self.terminal.process(&output[self.fed..whole]);
        self.fed = whole;
        reply
    }
}

/// `text` without its spaces and line breaks, to find what is wrapped.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Run `backlog ARGS --file FILE` and check it succeeds.
fn cli(file: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_backlog"))
        .args(args)
        .arg("--file")
        .arg(file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    out
}

/// What `backlog ARGS --file FILE` prints, as JSON.
fn cli_json(file: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_slice(&cli(file, args).stdout).unwrap()
}

/// An executable shell script `name` in `dir`: a stand-in for `$EDITOR`.
fn script(dir: &Path, name: &str, body: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// Wait (ten seconds at most) until `done` holds; `what` says what was
/// waited for when it never does.
fn wait_until(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "waited in vain: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn titles(file: &Path) -> Vec<String> {
    let rows = cli_json(file, &["list", "--json"]);
    rows.as_array()
        .unwrap()
        .iter()
        .map(|row| row["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn add_three_move_the_third_to_the_top_quit_and_find_it_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    let mut tui = Tui::start(&file);
    tui.wait_for("No stories yet");
    for (n, title) in ["First", "Second", "Third"].iter().enumerate() {
        tui.type_keys(&format!("a{title}\r"));
        tui.wait_for(&format!("Added S-{}", n + 1));
    }
    tui.type_keys("T");
    tui.type_keys("q");
    assert_eq!(tui.wait_exit(), 0);
    // The terminal is given back: the alternate screen is left.
    assert!(tui.output().contains("\x1b[?1049l"));
    assert_eq!(titles(&file), ["Third", "First", "Second"]);

    // And the TUI shows it so on the next start.
    let mut tui = Tui::start(&file);
    tui.wait_for("Third");
    tui.type_keys("q");
    assert_eq!(tui.wait_exit(), 0);
}

#[test]
fn a_story_added_from_the_cli_appears_and_both_changes_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    let mut tui = Tui::start(&file);
    tui.wait_for("No stories yet");
    tui.type_keys("aFrom the TUI\r");
    tui.wait_for("Added S-1");
    // Once the TUI's story is on disk, the CLI's takes the next id.
    wait_until("the TUI's story is saved", || {
        titles(&file) == ["From the TUI"]
    });
    let added = cli(&file, &["add", "From the CLI"]);
    assert_eq!(added.stdout, b"S-2\n");
    tui.wait_for("From the CLI");
    tui.type_keys("GT");
    tui.type_keys("q");
    assert_eq!(tui.wait_exit(), 0);
    assert_eq!(titles(&file), ["From the CLI", "From the TUI"]);
}

#[test]
fn a_hangup_or_kill_right_after_a_change_still_saves_it() {
    for signal in ["-HUP", "-TERM"] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("backlog.json");
        let mut tui = Tui::start(&file);
        tui.wait_for("No stories yet");
        tui.type_keys("aLast words\r");
        tui.wait_for("Added S-1");
        // Well inside the time a save waits for more keys.
        tui.signal(signal);
        tui.wait_exit();
        assert_eq!(titles(&file), ["Last words"], "after {signal}");
    }
}

#[test]
fn a_broken_file_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    std::fs::write(&file, "{\n  \"schema\": 1,\n  oops\n}\n").unwrap();
    let mut tui = Tui::start(&file);
    tui.wait_for("line 3 column");
    assert_ne!(tui.wait_exit(), 0);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "{\n  \"schema\": 1,\n  oops\n}\n"
    );
}

#[test]
fn a_colemak_keys_file_works_and_a_conflicting_one_stops_before_the_screen_is_taken() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    for title in ["First", "Second", "Third"] {
        cli(&file, &["add", title]);
    }
    // Beside the config file the TUI is given.
    let keys = dir.path().join("keys.toml");
    std::fs::write(
        &keys,
        "[backlog]\nn = \"select_next\"\ne = \"select_previous\"\n",
    )
    .unwrap();
    let mut tui = Tui::start(&file);
    tui.wait_for("n/e select");
    tui.type_keys("nn");
    tui.wait_for(" 3/3 ");
    // `e` selects: the external editor (`false`) would say it failed.
    tui.type_keys("e");
    tui.wait_for(" 2/3 ");
    tui.type_keys("q");
    assert_eq!(tui.wait_exit(), 0);

    std::fs::write(
        &keys,
        "[backlog]\nn = \"select_next\"\n\n[form]\nJ = \"move_down\"\nshift-j = \"move_up\"\n",
    )
    .unwrap();
    let before = std::fs::read(&file).unwrap();
    let mut tui = Tui::start(&file);
    tui.wait_for("line 6 column 1: J is bound twice in [form]");
    assert_ne!(tui.wait_exit(), 0);
    // The screen was never taken over, so there is nothing to give back.
    assert!(!tui.output().contains("\x1b[?1049h"), "{:?}", tui.output());
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

/// A stand-in for `$EDITOR`: each run makes the next of three edits to the
/// document it is given, and counts its runs in `runs`.
const FAKE_EDITOR: &str = r#"#!/bin/sh
dir=$(dirname "$0")
n=$(cat "$dir/runs" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$dir/runs"
case $n in
  1) sed -i -e 's/^# .*/# Edited in the editor/' -e 's/^estimate:.*/estimate: 5/' "$1" ;;
  2) sed -i -e 's/^status:.*/status: someday/' -e 's/^# .*/# Never saved/' "$1" ;;
  3) grep -q '^status: someday' "$1" || exit 3
     sed -i -e 's/^status: someday/status: in-progress/' "$1" ;;
esac
"#;

fn story_json(file: &Path) -> serde_json::Value {
    cli_json(file, &["show", "S-1", "--json"])
}

#[test]
fn a_story_edited_in_editor_with_a_mistake_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    let editor = script(dir.path(), "fake-editor.sh", FAKE_EDITOR);
    cli(&file, &["add", "Original", "--as-a", "member"]);

    let mut tui = Tui::start_with(&file, &[("EDITOR", &editor)]);
    tui.wait_for("Original");
    // A valid edit comes back as one change.
    tui.type_keys("e");
    tui.wait_for("Updated S-1 from the editor");
    tui.wait_for("Edited in the editor");
    // A mistake: the error and its line are shown, the story is unchanged.
    tui.type_keys("e");
    tui.wait_for("was not applied");
    tui.wait_for("line 3");
    std::thread::sleep(Duration::from_millis(1200));
    let story = story_json(&file);
    assert_eq!(story["title"], "Edited in the editor");
    assert_eq!(story["status"], "draft");
    assert_eq!(story["points"], 5);
    // Edit again: the editor gets the user's own text back, and the fix
    // is applied, title and all.
    tui.type_keys("e");
    tui.wait_for("Updated S-1 from the editor");
    tui.type_keys("q");
    assert_eq!(tui.wait_exit(), 0);
    let story = story_json(&file);
    assert_eq!(story["title"], "Never saved");
    assert_eq!(story["status"], "in-progress");
    assert_eq!(story["as_a"], "member");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("runs"))
            .unwrap()
            .trim(),
        "3"
    );
}

/// The issue's walk-through, as a new user would do it on the demo
/// backlog: write a full story, see it become ready, ask a question, split
/// it, search for it, and undo the split after restarting.
#[test]
fn groom_a_story_on_the_demo_then_undo_its_split_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    cli(&file, &["init", "--demo"]);
    let pause = || std::thread::sleep(Duration::from_millis(150));

    let mut tui = Tui::start(&file);
    tui.wait_for("Kilnhouse");
    tui.type_keys("aExport bookings to a calendar\r");
    tui.wait_for("Added S-31");
    // 1. The whole story, in the editor.
    tui.type_keys("\r");
    tui.wait_for("Editing S-31");
    for text in [
        "studio member",
        "to add my bookings to my phone calendar",
        "I never miss a session",
    ] {
        tui.type_keys(&format!("j\r{text}\r"));
    }
    tui.type_keys("aEach booking has a calendar link\r");
    tui.type_keys("aCancelled bookings leave the calendar\r");
    tui.type_keys("++++");
    // 2. Ready, and the table says so.
    tui.wait_for("✓ Ready: meets the Definition of Ready");
    pause();
    tui.type_keys("\x1b");
    // Only the backlog's key hints say this; a key right after Esc would
    // read as Alt and that key.
    tui.wait_for("J/K move");
    pause();
    // 3. A question makes it not ready.
    tui.type_keys("QWhich calendar apps do members use?\r");
    tui.wait_for("1 open question");
    // 4. Split off the second criterion.
    tui.type_keys("x\x15Keep cancelled bookings off the calendar\tj ");
    pause();
    tui.type_keys("\r");
    tui.wait_for("Split S-31 into S-32");
    // 5. Search for it.
    tui.type_keys("/calendar\r");
    tui.wait_for("filter: /calendar");
    tui.type_keys("q");
    assert_eq!(tui.wait_exit(), 0);
    let story = story_json(&file);
    assert_eq!(
        story["title"], "Sign in with an email link",
        "S-1 untouched"
    );

    // 6. Restart, and undo the split.
    let mut tui = Tui::start(&file);
    tui.wait_for("Kilnhouse");
    tui.type_keys("u");
    tui.wait_for("Undid split S-31 into S-32");
    tui.type_keys("q");
    assert_eq!(tui.wait_exit(), 0);
    let all = titles(&file);
    assert!(all.contains(&"Export bookings to a calendar".to_string()));
    assert!(
        !all.iter().any(|t| t.starts_with("Keep cancelled")),
        "{all:?}"
    );
    let s31 = cli_json(&file, &["show", "S-31", "--json"]);
    assert_eq!(s31["acceptance_criteria"].as_array().unwrap().len(), 2);
    assert_eq!(s31["points"], 5);
    assert_eq!(s31["as_a"], "studio member");
}

#[test]
fn quitting_before_fixing_an_unreadable_document_keeps_it_beside_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    let editor = script(
        dir.path(),
        "breaks-it.sh",
        "#!/bin/sh\nsed -i -e 's/^status:.*/status: someday/' \"$1\"\n",
    );
    cli(&file, &["add", "Original"]);
    let mut tui = Tui::start_with(&file, &[("EDITOR", &editor)]);
    tui.wait_for("Original");
    tui.type_keys("e");
    tui.wait_for("was not applied");
    tui.type_keys("\x03");
    assert_eq!(tui.wait_exit(), 0);
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".unsaved-S-1-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(
        std::fs::read_to_string(&kept[0])
            .unwrap()
            .contains("status: someday")
    );
    assert_eq!(story_json(&file)["status"], "draft");
}

#[test]
fn ctrl_backslash_quits_like_kill_saving_and_giving_the_terminal_back() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    let mut tui = Tui::start(&file);
    tui.wait_for("No stories yet");
    tui.type_keys("aLast words\r");
    tui.wait_for("Added S-1");
    // What the terminal sends for Ctrl-\ when it is not in raw mode (say,
    // while `$EDITOR` has it).
    tui.signal("-QUIT");
    assert_eq!(tui.wait_exit(), 0);
    assert!(
        tui.output().contains("\x1b[?1049l"),
        "the alternate screen is left"
    );
    assert_eq!(titles(&file), ["Last words"]);
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "only a debug build can be asked to make a save panic"
)]
fn a_panic_on_the_saving_thread_is_a_failed_save_and_the_tui_keeps_working() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    // A debug build's saving thread panics on its first save when asked.
    let mut tui = Tui::start_with(
        &file,
        &[
            ("BACKLOG_TEST_PANIC_ON_SAVE", Path::new("1")),
            ("RUST_BACKTRACE", Path::new("1")),
        ],
    );
    tui.wait_for("No stories yet");
    tui.type_keys("aFirst\r");
    // Where it happened, too.
    tui.wait_for_wrapped(
        "saving failed unexpectedly (a fault injected for testing, at src/tui/sync.rs:",
    );
    assert!(!tui.screen().contains("panicked"), "{}", tui.screen());
    // Still raw: single keys act at once, unechoed, and `q` needs no Enter.
    tui.type_keys("aSecond\r");
    tui.wait_for(" 2/2 ");
    tui.type_keys("K");
    tui.wait_for("Saved again");
    tui.type_keys("q");
    assert_eq!(tui.wait_exit(), 0);
    assert_eq!(titles(&file), ["Second", "First"]);
    // The whole report, once the terminal is given back.
    let output = tui.output();
    let restored = output.rfind("\x1b[?1049l").unwrap();
    let report = output
        .find("backlog: thread 'backlog-save' panicked at src/tui/sync.rs:")
        .unwrap_or_else(|| panic!("no report in {output:?}"));
    assert!(report > restored, "{output:?}");
    assert!(output[report..].contains("a fault injected for testing"));
    assert!(output[report..].contains("stack backtrace:"));
}

#[test]
fn a_read_only_file_is_said_so_at_once_and_nothing_is_written_beside_it() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    cli(&file, &["add", "Saved before"]);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&file).unwrap();
    let mut tui = Tui::start(&file);
    tui.wait_for("Saved before");
    // Before any key.
    tui.wait_for("[read-only]");
    // A change of view, which would be kept beside a file of one's own.
    tui.type_keys("o");
    tui.wait_for("Every story shown");
    tui.type_keys("+");
    tui.wait_for("is read-only; nothing was written");
    std::thread::sleep(Duration::from_millis(300));
    tui.type_keys("q");
    tui.wait_exit();
    assert_eq!(std::fs::read(&file).unwrap(), before);
    assert!(!dir.path().join("backlog.json.history").exists());
    assert!(!dir.path().join("backlog.json.view").exists());
}

/// The binary the tests run is the one users get: no file name, and no
/// test build, makes a save fail on purpose unless the test asks.
#[test]
fn the_tested_binary_saves_a_file_of_any_name_at_once() {
    let dir = tempfile::tempdir().unwrap();
    // The name an earlier test build's saving thread panicked on.
    let file = dir.path().join("panics-on-first-save.json");
    let mut tui = Tui::start(&file);
    tui.wait_for("No stories yet");
    tui.type_keys("aFirst\r");
    tui.wait_for("Added S-1");
    // Saved within a second; a failed save would be retried a second
    // later and then say "Saved again".
    wait_until("the story is saved", || !titles(&file).is_empty());
    std::thread::sleep(Duration::from_millis(1500));
    let screen = tui.screen();
    assert!(!screen.contains("unexpectedly"), "{screen}");
    assert!(!screen.contains("Saved again"), "{screen}");
    tui.type_keys("q");
    assert_eq!(tui.wait_exit(), 0);
    assert_eq!(titles(&file), ["First"]);
}

/// The TUI on a backlog with "Saved before", after its folder went away
/// under it (to `moved` in the temp dir; a plain file takes its place, so
/// nothing can be written there, whoever runs the test) with no temporary
/// folder to fall back on either; the user adds `title`, which cannot be
/// saved, and presses q once. The temp dir, the backlog's file, the TUI.
fn quit_with_nowhere_to_save(title: &str) -> (tempfile::TempDir, std::path::PathBuf, Tui) {
    let top = tempfile::tempdir().unwrap();
    let dir = top.path().join("data");
    let file = dir.join("backlog.json");
    std::fs::create_dir(&dir).unwrap();
    cli(&file, &["add", "Saved before"]);
    let no_temp = top.path().join("no-temp");
    std::fs::write(&no_temp, "a file, not a directory").unwrap();
    let mut tui = Tui::start_with(&file, &[("TMPDIR", &no_temp)]);
    tui.wait_for("Saved before");
    std::fs::rename(&dir, top.path().join("moved")).unwrap();
    std::fs::write(&dir, "not a directory").unwrap();
    tui.type_keys(&format!("a{title}\r"));
    tui.wait_for("Error (Esc dismisses): cannot examine");
    tui.type_keys("q");
    (top, file, tui)
}

#[test]
fn quitting_when_nothing_can_be_saved_anywhere_stays_until_there_is_room() {
    let (top, file, mut tui) = quit_with_nowhere_to_save("Not yet saved");
    tui.wait_for_wrapped(
        "nothing saved anywhere: make room, then q · q now loses your last change",
    );
    // The user makes room; the next quit saves.
    let dir = file.parent().unwrap();
    std::fs::remove_file(dir).unwrap();
    std::fs::rename(top.path().join("moved"), dir).unwrap();
    tui.type_keys("q");
    assert_eq!(tui.wait_exit(), 0);
    assert_eq!(titles(&file), ["Saved before", "Not yet saved"]);
}

#[test]
fn quitting_again_when_nothing_can_be_saved_says_what_is_lost() {
    let (_top, file, mut tui) = quit_with_nowhere_to_save("Lost");
    tui.wait_for_wrapped("q now loses your last change");
    tui.type_keys("q");
    assert_ne!(tui.wait_exit(), 0);
    let said = tui.screen();
    assert!(
        said.contains(&format!(
            "your last change is not saved in {}",
            file.display()
        )),
        "{said}"
    );
    assert!(said.contains("so it is lost."), "{said}");
}

#[test]
fn a_change_after_a_quit_that_could_save_nothing_makes_the_next_quit_try_again() {
    let (_top, _file, mut tui) = quit_with_nowhere_to_save("Lost");
    tui.wait_for_wrapped("q now loses your last change");
    // One more change: the warning no longer counts them all, so it no
    // longer says what q loses, and q tries again.
    tui.type_keys("aAlso lost\r");
    tui.wait_for("Added S-3");
    assert!(!tui.screen().contains("q now"), "{}", tui.screen());
    tui.type_keys("q");
    tui.wait_for_wrapped("q now loses your last 2 changes");
    tui.type_keys("q");
    assert_ne!(tui.wait_exit(), 0);
    let said = tui.screen();
    assert!(said.contains("your last 2 changes are not saved"), "{said}");
}

/// A title with what would reorder or shift a terminal's columns.
const MOVING_TITLE: &str = "Pay \u{202e}later\u{202c} with\u{200b}out \u{2066}fees\u{2069}";

#[test]
fn list_and_ready_show_text_that_moves_columns_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    cli(&file, &["add", MOVING_TITLE]);
    for command in ["list", "ready"] {
        let out = String::from_utf8(cli(&file, &[command]).stdout).unwrap();
        assert!(
            out.contains("Pay \u{fffd}later\u{fffd} with\u{fffd}out \u{fffd}fees\u{fffd}"),
            "{command}: {out:?}"
        );
    }
    // What scripts read is the title as written.
    assert_eq!(titles(&file), [MOVING_TITLE]);
}

#[test]
fn show_is_safe_on_a_terminal_and_exact_when_redirected() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    cli(&file, &["add", MOVING_TITLE]);
    let mut shown = Tui::run(&file, &["show", "S-1"], &[]);
    assert_eq!(shown.wait_exit(), 0);
    let output = shown.output();
    assert!(output.contains("# Pay \u{fffd}later"), "{output:?}");
    assert!(!output.contains('\u{202e}'), "{output:?}");
    // Redirected, it is data: `edit --from-file` reads it back unchanged.
    let document = cli(&file, &["show", "S-1"]).stdout;
    let document = String::from_utf8(document).unwrap();
    assert!(
        document.contains(&format!("# {MOVING_TITLE}\n")),
        "{document:?}"
    );
    let doc = dir.path().join("s1.md");
    std::fs::write(&doc, document.replace("estimate:", "estimate: 3")).unwrap();
    cli(
        &file,
        &["edit", "S-1", "--from-file", doc.to_str().unwrap()],
    );
    assert_eq!(titles(&file), [MOVING_TITLE]);
}

#[test]
fn minutes_are_safe_on_a_terminal_and_exact_when_redirected() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    let started =
        chrono::TimeZone::with_ymd_and_hms(&chrono::Local, 2026, 11, 30, 9, 12, 0).unwrap();
    let minutes = format!("# Refinement \u{1b}[2Jmeeting\n\n## S-1 {MOVING_TITLE}\n");
    backlog::store::write_minutes(&file, started, &minutes).unwrap();
    for args in [&["minutes"][..], &["minutes", "--list"]] {
        let mut shown = Tui::run(&file, args, &[]);
        assert_eq!(shown.wait_exit(), 0, "{args:?}");
        let output = shown.output();
        assert!(
            output.contains("Refinement \u{fffd}[2Jmeeting"),
            "{args:?}: {output:?}"
        );
        assert!(!output.contains('\u{1b}'), "{args:?}: {output:?}");
    }
    assert_eq!(cli(&file, &["minutes"]).stdout, minutes.as_bytes());
}

#[test]
fn an_edit_in_the_editor_keeps_text_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    let editor = script(
        dir.path(),
        "estimates.sh",
        "#!/bin/sh\nsed -i -e 's/^estimate:.*/estimate: 5/' \"$1\"\n",
    );
    cli(&file, &["add", MOVING_TITLE]);
    let mut tui = Tui::start_with(&file, &[("EDITOR", &editor)]);
    tui.wait_for("Pay");
    tui.type_keys("e");
    tui.wait_for("Updated S-1 from the editor");
    tui.type_keys("q");
    assert_eq!(tui.wait_exit(), 0);
    assert!(!tui.output().contains('\u{202e}'));
    let story = story_json(&file);
    assert_eq!(story["title"], MOVING_TITLE);
    assert_eq!(story["points"], 5);
}

#[test]
fn keys_typed_before_the_tui_starts_are_acted_on() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    cli(&file, &["init", "--demo"]);
    let terminal = Terminal {
        ahead: "jjj",
        answers: None,
    };
    let mut tui = Tui::launch(&file, &[], &[], terminal);
    // The demo opens on its open work: 26 of its 30 stories.
    tui.wait_for("4/26 of 30");
    tui.type_keys("q");
    assert_eq!(tui.wait_exit(), 0);
}

#[test]
fn a_key_pressed_while_the_tui_asks_the_terminal_how_it_draws_is_acted_on() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    cli(&file, &["init", "--demo"]);
    let terminal = Terminal {
        ahead: "",
        answers: Some("j"),
    };
    let mut tui = Tui::launch(&file, &[], &[], terminal);
    tui.wait_for("2/26 of 30");
    // The answers, taken for what they are, typed nothing more.
    tui.type_keys("j");
    tui.wait_for("3/26 of 30");
    tui.type_keys("q");
    assert_eq!(tui.wait_exit(), 0);
}

#[test]
fn three_lines_pasted_into_the_comment_prompt_are_one_comment_and_run_no_command() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    cli(&file, &["add", "Pay by card"]);
    cli(&file, &["add", "Refunds"]);
    let mut tui = Tui::start(&file);
    tui.wait_for("Pay by card");
    tui.type_keys("c");
    tui.wait_for("Comment:");
    // Lines that, typed, would keep the first, then delete the story.
    tui.paste("Charge once\nd\ny");
    tui.wait_for("Charge once d y");
    tui.type_keys("\r");
    tui.wait_for("Commented on S-1");
    // Into a description, the lines stay lines.
    tui.type_keys("\rjjjj\r");
    tui.wait_for("Ctrl-S");
    tui.paste("First\nsecond\nthird");
    tui.wait_for("third");
    // Kept, the form closed (its hints go), and quit.
    tui.type_keys("\x13");
    tui.type_keys("\x1b");
    tui.wait_for("search");
    tui.type_keys("q");
    assert_eq!(tui.wait_exit(), 0);
    let story = story_json(&file);
    assert_eq!(story["comments"][0]["text"], "Charge once d y");
    assert_eq!(story["description"], "First\nsecond\nthird");
    assert_eq!(titles(&file), ["Pay by card", "Refunds"], "nothing deleted");
}

#[test]
fn dragging_a_row_with_the_mouse_ranks_it_and_one_u_undoes_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    cli(&file, &["init", "--demo"]);
    let before = titles(&file);
    let mut tui = Tui::start(&file);
    // Every story, so the rows dragged over are the backlog's own order.
    tui.wait_for("1/26 of 30");
    tui.type_keys("og");
    tui.wait_for("1/30");
    // The mouse as an xterm reports it (SGR, 1-based): the left button
    // pressed on the first row (the table's rows start on the third line),
    // dragged down two rows, let go.
    tui.type_keys("\x1b[<0;20;3M");
    tui.type_keys("\x1b[<32;20;4M");
    tui.type_keys("\x1b[<32;20;5M");
    tui.type_keys("\x1b[<0;20;5m");
    tui.wait_for("3/30");
    tui.type_keys("u");
    // One step, the whole drag.
    tui.wait_for("(0 more)");
    tui.wait_for("Undid move S-");
    tui.type_keys("\x12");
    tui.wait_for("Redid move S-");
    tui.type_keys("q");
    assert_eq!(tui.wait_exit(), 0);
    let mut dragged = before.clone();
    let first = dragged.remove(0);
    dragged.insert(2, first);
    assert_eq!(titles(&file), dragged);
    // The terminal was asked for the mouse, and given it back.
    let output = tui.output();
    assert!(output.contains("\x1b[?1000h"), "mouse not taken");
    assert!(output.contains("\x1b[?1000l"), "mouse not given back");
}

#[test]
fn the_view_comes_back_on_the_next_start_from_a_file_as_private_as_the_backlog() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    cli(&file, &["init", "--demo"]);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let backlog = std::fs::read(&file).unwrap();
    let mut tui = Tui::start(&file);
    tui.wait_for("Open work · Kilnhouse");
    tui.type_keys("/member\r");
    tui.wait_for("filter: /member");
    tui.type_keys("jz");
    tui.wait_for("2/23 of 30");
    let view = file.with_file_name("backlog.json.view");
    // Kept within a second or two, not only at the end.
    wait_until("the view is written", || view.exists());
    tui.type_keys("q");
    assert_eq!(tui.wait_exit(), 0);
    let mode = std::fs::metadata(&view).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "the view is as private as the backlog");
    let kept = std::fs::read_to_string(&view).unwrap();
    assert!(kept.contains("\"search\": \"member\""), "{kept}");

    let mut tui = Tui::start(&file);
    tui.wait_for("2/23 of 30");
    // The frame's last line of the table, drawn after its first: the
    // screen is whole from the top to there, not caught half drawn.
    tui.wait_for("filter: /member");
    let screen = tui.screen();
    assert!(screen.contains("Open work · Kilnhouse"), "{screen}");
    assert!(
        !screen.contains("┌ S-"),
        "the story pane stays hidden:\n{screen}"
    );
    tui.type_keys("q");
    assert_eq!(tui.wait_exit(), 0);
    // A view is no change to the backlog.
    assert_eq!(std::fs::read(&file).unwrap(), backlog);
}

/// The refinement meeting as a new user runs it on the demo: three
/// stories, one estimated with poker, one given a criterion and made
/// ready, one moved to the top, a decision; the program killed mid-way
/// offers to resume it, and the minutes say exactly what changed.
#[test]
fn a_meeting_killed_mid_way_is_resumed_and_its_minutes_list_exactly_its_changes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    cli(&file, &["init", "--demo"]);
    let pause = || std::thread::sleep(Duration::from_millis(150));
    let mut tui = Tui::run(&file, &["meeting", "--top", "3"], &[]);
    tui.wait_for("Enter starts it");
    tui.type_keys("\r");
    tui.wait_for("story 1 of 3");
    tui.type_keys("v3 5 5 8\r");
    tui.wait_for("Round 1: 3 5 5 8");
    tui.type_keys("a");
    tui.wait_for("estimated at 5");
    tui.type_keys("n");
    tui.wait_for("story 2 of 3");
    tui.type_keys("cA member whose card fails twice gets an email\r");
    tui.wait_for("Criterion added");
    tui.type_keys("r");
    tui.wait_for("is ready");
    tui.type_keys("n");
    tui.wait_for("story 3 of 3");
    tui.type_keys("T");
    tui.wait_for("to #1");
    tui.type_keys("dPausing is free for the first month\r");
    tui.wait_for("Decision recorded");
    // Everything changed is in the backlog, and the meeting's journal
    // beside it, before the program dies.
    wait_until("the decision saved", || {
        std::fs::read_to_string(&file).is_ok_and(|t| t.contains("Pausing is free"))
    });
    let journal = file.with_file_name("backlog.json.meeting");
    wait_until("the journal kept", || journal.exists());
    pause();
    tui.signal("-KILL");

    let mut tui = Tui::start(&file);
    tui.wait_for("Resume the meeting?");
    tui.type_keys("y");
    tui.wait_for("story 3 of 3");
    tui.type_keys("E");
    tui.wait_for("End the meeting and write its minutes?");
    tui.type_keys("y");
    tui.wait_for("The meeting is over");
    tui.type_keys("q");
    assert_eq!(tui.wait_exit(), 0);
    assert!(!journal.exists(), "the journal is put away");

    let minutes = String::from_utf8(cli(&file, &["minutes"]).stdout).unwrap();
    let headings: Vec<&str> = minutes.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## Stories discussed",
            "## Estimates",
            "## Made ready",
            "## Acceptance criteria added",
            "## Rank changes",
            "## Decisions",
        ],
        "{minutes}"
    );
    for line in [
        "- **S-26** Keep session times right when the clocks change: 3 points → 5 points",
        "  - Round 1: 3 5 5 8 (median 5; spread 3–8)",
        "- **S-17** Remind members about failed payments: meets the Definition of Ready",
        "  - A member whose card fails twice gets an email",
        "- **S-7** Pause a membership for up to two months: #14 → #1",
        "  - Pausing is free for the first month",
    ] {
        assert!(minutes.contains(line), "{line:?} in\n{minutes}");
    }
}

/// How many stories the large backlog below has: enough that a debug
/// build reads them for a good second after its first frame.
const LARGE: u64 = 20_000;

/// A backlog of [`LARGE`] stories of about a kilobyte each, as a real
/// one's descriptions make them, every thousandth about invoices: its
/// file's bytes, made once for every test that needs them.
fn large_backlog() -> &'static [u8] {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES.get_or_init(|| {
        let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 2, 10, 30, 0).unwrap();
        let description = "The finance team reconciles the ledger at the end of each month, \
                           and today that takes two people a whole day of copying numbers \
                           between screens. "
            .repeat(5);
        let mut backlog = backlog::model::Backlog::new("Back office");
        for i in 1..=LARGE {
            let title = if i % 1000 == 0 {
                format!("Send invoices, batch {i}")
            } else {
                format!("Story {i}")
            };
            let patch = backlog::model::StoryPatch {
                title: Some(title),
                description: Some(description.clone()),
                ..backlog::model::StoryPatch::default()
            };
            backlog
                .add(&patch, backlog::model::Placement::Bottom, now)
                .unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("backlog.json");
        backlog::store::save(&file, &backlog).unwrap();
        std::fs::read(&file).unwrap()
    })
}

/// The names of the files in `dir`, sorted.
fn files_in(dir: &Path) -> Vec<std::ffi::OsString> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    names.sort();
    names
}

#[test]
fn a_large_backlog_shows_its_loading_at_once_and_keys_typed_meanwhile_act_once_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    std::fs::write(&file, large_backlog()).unwrap();
    let mut tui = Tui::start(&file);
    // The first frame, before the file is read.
    tui.wait_for("loading");
    tui.type_keys("/inv");
    // Kept while the file was still being read.
    tui.wait_for("4 keys kept");
    // Once it is read, the search was typed: the table shows the twenty
    // stories about invoices.
    tui.wait_for(&format!("20 of {LARGE} stories"));
    assert!(tui.screen().contains("Search: inv"), "{}", tui.screen());
    // Ctrl-C quits from the search; nothing was changed, so nothing is
    // written to the data file.
    tui.type_keys("\x03");
    assert_eq!(tui.wait_exit(), 0);
    assert!(std::fs::read(&file).unwrap() == large_backlog());
}

#[test]
fn quitting_while_a_large_backlog_loads_quits_at_once_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    std::fs::write(&file, large_backlog()).unwrap();
    let files = files_in(dir.path());
    let mut tui = Tui::start(&file);
    tui.wait_for("loading");
    tui.type_keys("q");
    assert_eq!(tui.wait_exit(), 0);
    // It quit before the file was read: the screen never showed a story.
    assert!(!tui.output().contains("Story 1"), "{}", tui.screen());
    assert!(
        tui.output().contains("\x1b[?1049l"),
        "the terminal is given back"
    );
    assert!(std::fs::read(&file).unwrap() == large_backlog());
    assert_eq!(files_in(dir.path()), files, "no view, no history, no lock");
}

#[test]
fn a_large_file_that_cannot_be_read_is_reported_once_the_terminal_is_given_back() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backlog.json");
    // The last story's title is a number: found only once the rest is
    // read.
    let text = String::from_utf8(large_backlog().to_vec()).unwrap();
    let last = format!("\"Story {}\"", LARGE - 1);
    let at = text.rfind(&last).unwrap();
    let broken = format!("{}{}{}", &text[..at], LARGE - 1, &text[at + last.len()..]);
    std::fs::write(&file, &broken).unwrap();
    let files = files_in(dir.path());
    let line = text[..at].matches('\n').count() + 1;
    let mut tui = Tui::start(&file);
    tui.wait_for("loading");
    assert_ne!(tui.wait_exit(), 0);
    // Said on the terminal as it was, once the TUI has left it.
    let output = tui.output();
    let left = output
        .rfind("\x1b[?1049l")
        .expect("the terminal is given back");
    let said = &output[left..];
    assert!(
        said.contains(&format!("cannot read {}", file.display()))
            && said.contains(&format!("expected a string at line {line} column")),
        "{said:?}"
    );
    assert!(std::fs::read(&file).unwrap() == broken.as_bytes());
    assert_eq!(files_in(dir.path()), files, "nothing is written beside it");
}
