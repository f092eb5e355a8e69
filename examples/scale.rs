//! The scale issue's table: for each size asked, one Markdown row of what
//! a product owner waits for, each figure beside the floor it is read
//! against, measured in the same run. See BENCHMARKS.md, "Scale: the
//! issue's table".
//!
//! ```sh
//! cargo run --release --example scale -- 1000 10000 100k 1M
//! ```
//!
//! For each size it makes a backlog with the benches' generator
//! (`benches/common`) in a temporary directory, and points the program at
//! it alone (`BACKLOG_FILE`, `BACKLOG_CONFIG`, `HOME`), never the user's
//! data. Then, against the release binary, which it builds first:
//!
//! - the floors: reading the file once (from the page cache: it was just
//!   written) and writing and `fsync`ing the same bytes once;
//! - CLI writes (`move --top`, `add`, `edit --title`) as processes: the
//!   median wall time of a few, and the highest peak memory among them
//!   (the kernel's `ru_maxrss` of the child, taken by a helper process of
//!   this example that runs nothing else);
//! - the TUI in a pseudo-terminal of 100×30 that answers the start-up
//!   probe as a terminal does: the time from starting it until its first
//!   frame is drawn (the loading screen, for a backlog that takes longer
//!   than a frame to read), and until the first row of the ranking is;
//!   then, once nothing is loading, `J`, and
//!   the time until the file on disk changes (the change is checked in
//!   the file); its peak memory (`VmHWM`) just before `q`;
//! - every key to its redrawn screen, in this process as the benches time
//!   them (the app on a `TestBackend` of 100×30): `j`; `J`, a change
//!   (the story moves down one, and the change is kept for undo), each
//!   after a copy of the backlog is taken and let go on another thread
//!   as the TUI's saving thread does; and search words typed letter by
//!   letter, both the key with its frame and the time
//!   until the table shows the rows (a search of more than 2,000 stories
//!   runs on a thread, as the TUI's loop runs it); beside them the frame
//!   floor, ratatui drawing a screenful of plain text.
//!
//! Progress and the figures behind each cell go to standard error; the
//! table to standard output.

use std::fmt::Write as _;
use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result, bail, ensure};
use backlog::model::StoryId;
use backlog::store;
use backlog::tui::action::Action;
use backlog::tui::app::App;
use backlog::tui::{handle_key, view};
use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[path = "../benches/common/mod.rs"]
mod common;

/// The terminal's size, for the TUI and for the frames timed in process.
const COLS: u16 = 100;
const ROWS: u16 = 30;

/// Presses of `j` timed, each with its frame.
const PRESSES: usize = 200;

/// Words typed into the search letter by letter: beginnings of common
/// words of the generator's vocabulary, so that the first letters match
/// most stories and the last far fewer, as on real text.
const SEARCHED: &[&str] = &["inv", "pay", "re", "ex", "ord"];

/// The first argument that has this example run one CLI write and
/// report its time and peak memory: the kernel keeps the largest peak of
/// all the children a process waited for, so each write gets a process
/// of its own to wait for it.
const ONE_WRITE: &str = "--one-write";

/// Longest any one wait for the TUI may take, at a million stories on a
/// slow machine.
const PATIENCE: Duration = Duration::from_secs(600);

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(ONE_WRITE) {
        return one_write(&args[1..]);
    }
    ensure!(
        !cfg!(debug_assertions),
        "run it in release mode: cargo run --release --example scale -- 1000 10000"
    );
    let sizes = args
        .iter()
        .map(|arg| stories(arg))
        .collect::<Result<Vec<_>>>()?;
    if sizes.is_empty() {
        bail!(
            "usage: cargo run --release --example scale -- STORIES [STORIES…] (such as 1000 100k 1M)"
        );
    }
    let program = release_binary()?;
    println!("{HEADER}");
    for stories in sizes {
        let row = measure(stories, &program)
            .with_context(|| format!("measuring at {stories} stories"))?;
        println!("{row}");
    }
    Ok(())
}

/// A number of stories: `1000`, `100_000`, `100k` or `1M`.
fn stories(arg: &str) -> Result<usize> {
    let plain = arg.replace('_', "");
    let (digits, times) = match plain.strip_suffix(['k', 'K']) {
        Some(digits) => (digits, 1_000),
        None => match plain.strip_suffix('M') {
            Some(digits) => (digits, 1_000_000),
            None => (plain.as_str(), 1),
        },
    };
    let n: usize = digits
        .parse()
        .with_context(|| format!("{arg:?} is not a number of stories"))?;
    ensure!(n > 0, "a backlog of no stories has nothing to measure");
    Ok(n * times)
}

/// The release build of the program, built now so that it is the code
/// checked out.
fn release_binary() -> Result<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let built = Command::new(cargo)
        .args(["build", "--release", "--bin", "backlog"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .context("cannot run cargo to build the release binary")?;
    ensure!(built.success(), "the release binary did not build");
    let examples = std::env::current_exe()?;
    let program = examples
        .parent()
        .and_then(Path::parent)
        .context("this example is not in a target directory")?
        .join("backlog");
    ensure!(program.is_file(), "no program at {}", program.display());
    Ok(program)
}

const HEADER: &str = "\
| stories (file) | floors: read / write+fsync | `move --top` | `add` | `edit --title` | first frame / first row | on disk after `J` | TUI peak | frame floor | `j` median / worst | `J` median / worst | search key median / worst | search rows median / worst |
|---|---|---|---|---|---|---|---|---|---|---|---|---|";

/// One size's figures.
struct Row {
    stories: usize,
    file: u64,
    read_floor: Duration,
    write_floor: Duration,
    /// Each CLI write: its median time and its highest peak, in bytes.
    writes: Vec<(Duration, u64)>,
    first_frame: Duration,
    ranking_drawn: Duration,
    on_disk: Duration,
    tui_peak: u64,
    frame_floor: Duration,
    j: Vec<Duration>,
    move_down: Vec<Duration>,
    search_key: Vec<Duration>,
    search_rows: Vec<Duration>,
}

impl std::fmt::Display for Row {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let file = size(self.file);
        let times = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-9);
        let cli_floor = self.read_floor + self.write_floor;
        write!(
            f,
            "| {} ({}) | {} / {} |",
            count(self.stories),
            megabytes(self.file),
            time(self.read_floor),
            time(self.write_floor)
        )?;
        for (took, peak) in &self.writes {
            write!(
                f,
                " {} ({:.1}× floor), {} ({:.1}× file) |",
                time(*took),
                times(*took, cli_floor),
                megabytes(*peak),
                size(*peak) / file
            )?;
        }
        write!(
            f,
            " {} / {} ({:.1}× read) | {} ({:.1}× write) | {} ({:.1}× file) | {} |",
            time(self.first_frame),
            time(self.ranking_drawn),
            times(self.ranking_drawn, self.read_floor),
            time(self.on_disk),
            times(self.on_disk, self.write_floor),
            megabytes(self.tui_peak),
            size(self.tui_peak) / file,
            time(self.frame_floor)
        )?;
        for spread in [
            &self.j,
            &self.move_down,
            &self.search_key,
            &self.search_rows,
        ] {
            write!(f, " {} / {} |", time(median(spread)), time(worst(spread)))?;
        }
        Ok(())
    }
}

fn count(stories: usize) -> String {
    match stories {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}M", n / 1_000_000),
        n if n >= 1_000 && n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}

/// A size in bytes, to divide.
fn size(bytes: u64) -> f64 {
    #[allow(
        clippy::cast_precision_loss,
        reason = "sizes of files and memory, far below 2^52 bytes"
    )]
    let bytes = bytes as f64;
    bytes
}

fn megabytes(bytes: u64) -> String {
    let mb = size(bytes) / 1e6;
    if mb < 10.0 {
        format!("{mb:.1} MB")
    } else {
        format!("{mb:.0} MB")
    }
}

fn time(took: Duration) -> String {
    let ms = took.as_secs_f64() * 1e3;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 1_000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.2} s", ms / 1e3)
    }
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

fn worst(times: &[Duration]) -> Duration {
    times.iter().max().copied().unwrap_or_default()
}

/// Where one size is measured: a temporary directory holding the data
/// file, its config and home, and nothing of the user's.
struct Place {
    _dir: tempfile::TempDir,
    home: PathBuf,
    file: PathBuf,
    config: PathBuf,
}

impl Place {
    fn new() -> Result<Place> {
        let dir = tempfile::Builder::new().prefix("backlog-scale").tempdir()?;
        let home = dir.path().to_path_buf();
        Ok(Place {
            file: home.join("backlog.json"),
            config: home.join("config.toml"),
            home,
            _dir: dir,
        })
    }

    /// The variables every program measured runs with.
    fn environment(&self) -> Vec<(&'static str, &Path)> {
        vec![
            ("BACKLOG_FILE", &self.file),
            ("BACKLOG_CONFIG", &self.config),
            ("HOME", &self.home),
            ("XDG_DATA_HOME", &self.home),
            ("XDG_CONFIG_HOME", &self.home),
        ]
    }
}

fn measure(stories: usize, program: &Path) -> Result<Row> {
    let place = Place::new()?;
    eprintln!(
        "{stories} stories: making the file in {}",
        place.home.display()
    );
    let backlog = common::backlog(stories);
    // What the TUI, started first, shows on its first row.
    let first = backlog.ranked().next().context("a story")?;
    let first = (first.id, first.title.clone());
    // Moved and edited: stories from the middle of the ranking, as a
    // refinement meeting reaches them.
    let middle: Vec<StoryId> = backlog
        .ranked()
        .skip(stories / 2)
        .take(8)
        .map(|story| story.id)
        .collect();
    store::save(&place.file, &backlog)?;
    drop(backlog);
    let file = fs::metadata(&place.file)?.len();

    let (read_floor, write_floor) = floors(&place)?;
    eprintln!(
        "  {file} bytes; floors: read {}, write and fsync {}",
        time(read_floor),
        time(write_floor)
    );

    let tui = tui(&place, program, &first)?;
    eprintln!(
        "  TUI: first frame {}, first row {}, on disk after J {}, peak {}",
        time(tui.first_frame),
        time(tui.ranking_drawn),
        time(tui.on_disk),
        megabytes(tui.peak)
    );
    // Fewer runs of each CLI write at a million stories, where one takes
    // seconds; a median of three still drops one outlier.
    let runs = if stories >= 500_000 { 3 } else { 5 };
    let mut writes = Vec::new();
    for what in ["move", "add", "edit"] {
        let mut took = Vec::new();
        let mut peak = 0;
        for run in 0..runs {
            let id = middle[run % middle.len()].to_string();
            let args: Vec<String> = match what {
                "move" => vec!["move".into(), id, "--top".into()],
                "add" => vec![
                    "add".into(),
                    format!("Added from the command line, run {run}"),
                ],
                _ => vec![
                    "edit".into(),
                    id,
                    "--title".into(),
                    format!("Edited from the command line, run {run}"),
                ],
            };
            let (time_taken, run_peak) = cli_write(&place, program, &args)?;
            took.push(time_taken);
            peak = peak.max(run_peak);
        }
        eprintln!(
            "  {what}: {} (runs {}), peak {}",
            time(median(&took)),
            took.iter().map(|t| time(*t)).collect::<Vec<_>>().join(", "),
            megabytes(peak)
        );
        writes.push((median(&took), peak));
    }

    let keys = keys(&place.file)?;
    Ok(Row {
        stories,
        file,
        read_floor,
        write_floor,
        writes,
        first_frame: tui.first_frame,
        ranking_drawn: tui.ranking_drawn,
        on_disk: tui.on_disk,
        tui_peak: tui.peak,
        frame_floor: keys.frame_floor,
        j: keys.j,
        move_down: keys.move_down,
        search_key: keys.search_key,
        search_rows: keys.search_rows,
    })
}

/// Reading the file once, and writing and `fsync`ing the same bytes once
/// beside it: what no read or write of this file can beat on this disk.
fn floors(place: &Place) -> Result<(Duration, Duration)> {
    let started = Instant::now();
    let bytes = fs::read(&place.file)?;
    let read = started.elapsed();
    let floor = place.home.join("floor.json");
    let started = Instant::now();
    let mut file = fs::File::create(&floor)?;
    file.write_all(&bytes)?;
    file.sync_all()?;
    let write = started.elapsed();
    drop(file);
    fs::remove_file(&floor)?;
    Ok((read, write))
}

/// One CLI write through a helper process of this example: its wall time
/// and its peak memory in bytes.
fn cli_write(place: &Place, program: &Path, args: &[String]) -> Result<(Duration, u64)> {
    let mut helper = Command::new(std::env::current_exe()?);
    helper.arg(ONE_WRITE).arg(program).args(args);
    for (name, value) in place.environment() {
        helper.env(name, value);
    }
    let out = helper
        .env("USER", "scale")
        .env("EDITOR", "false")
        .env_remove("VISUAL")
        .output()?;
    ensure!(
        out.status.success(),
        "`backlog {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8(out.stdout)?;
    let (nanos, peak) = said
        .trim()
        .split_once(' ')
        .with_context(|| format!("the helper said {said:?}"))?;
    Ok((
        Duration::from_nanos(nanos.parse()?),
        peak.parse::<u64>()? * 1024,
    ))
}

/// The helper: run the program once with `args`, and say how long it
/// took in nanoseconds and its peak resident memory in kB.
fn one_write(args: &[String]) -> Result<()> {
    use nix::sys::resource::{UsageWho, getrusage};
    let (program, args) = args.split_first().context("no program to run")?;
    let started = Instant::now();
    let out = Command::new(program).args(args).output()?;
    let took = started.elapsed();
    if !out.status.success() {
        bail!(
            "{:?}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    // On Linux, the largest peak among the waited-for children, in kB:
    // here, of the one child.
    let peak = getrusage(UsageWho::RUSAGE_CHILDREN)?.max_rss();
    println!("{} {peak}", took.as_nanos());
    Ok(())
}

/// What the TUI in a terminal gave.
struct Tui {
    first_frame: Duration,
    ranking_drawn: Duration,
    on_disk: Duration,
    peak: u64,
}

/// The TUI in a pseudo-terminal: time to its first frame, a move by `J`
/// until it is on disk, its peak memory, and `q`.
fn tui(place: &Place, program: &Path, first: &(StoryId, String)) -> Result<Tui> {
    // The view the TUI starts on is every story, the first selected (the
    // open work is its default); and the file is an hour old, as a file
    // opened in the morning mostly is: a save within the file system's
    // time grain of the file's time would hash it first (BENCHMARKS.md,
    // `save_100k`).
    let view = store::view_path(&place.file);
    fs::write(&view, "{}\n")?;
    fs::File::options()
        .write(true)
        .open(&place.file)?
        .set_modified(SystemTime::now() - Duration::from_secs(3600))?;

    let (id, title) = first;
    let title: String = title.chars().take(12).collect();
    let mut terminal = Pty::start(place, program, format!(" {id} "), title)?;
    let (first_frame, ranking_drawn) = terminal.await_first_row()?;
    terminal.await_loaded()?;

    let before = Stat::of(&place.file)?;
    let pressed = Instant::now();
    terminal.type_keys("J")?;
    let seen = place.home.join("seen.json");
    loop {
        if Stat::of(&place.file)? != before {
            break;
        }
        ensure!(
            pressed.elapsed() < PATIENCE,
            "the TUI did not save the move within {PATIENCE:?}"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let on_disk = pressed.elapsed();
    link_now(&place.file, &seen)?;
    let peak = terminal.peak()?;
    terminal.quit()?;

    let moved = store::load(&seen)?.backlog;
    let second = moved.ranked().nth(1).map(|story| story.id);
    ensure!(
        second == Some(*id),
        "after J the file has {second:?} second, not {id}, which was first"
    );
    fs::remove_file(&seen)?;
    Ok(Tui {
        first_frame,
        ranking_drawn,
        on_disk,
        peak,
    })
}

/// Hard-link `file` as `to`: the file as it is now, whatever is renamed
/// over it next. Linux refuses (`ENOENT`) when a rename replaces the file
/// between finding it and linking it; the new file is there at once.
fn link_now(file: &Path, to: &Path) -> Result<()> {
    for _ in 0..100 {
        match fs::hard_link(file, to) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            linked => return Ok(linked?),
        }
    }
    bail!("{} stayed missing", file.display())
}

/// The data file as `stat` sees it: a save changes its inode, and mostly
/// its size and time.
#[derive(PartialEq)]
struct Stat(u64, SystemTime, u64);

impl Stat {
    fn of(file: &Path) -> Result<Stat> {
        let meta = fs::metadata(file)?;
        Ok(Stat(meta.len(), meta.modified()?, meta.ino()))
    }
}

/// The program in a pseudo-terminal, its output run through a terminal
/// emulator as it comes.
struct Pty {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    keys: Arc<Mutex<Box<dyn Write + Send>>>,
    screen: Arc<Mutex<Screen>>,
    started: Instant,
    // Kept open so the terminal stays alive until the program ends.
    _master: Box<dyn MasterPty + Send>,
}

/// What the terminal shows, and when the first row of the ranking first
/// showed.
struct Screen {
    terminal: vt100::Parser,
    /// Output not yet given to the emulator: the start of a request for
    /// the cursor's position, cut off at the end of a read.
    unread: Vec<u8>,
    /// On one line, the first story's id and the beginning of its title.
    id: String,
    title: String,
    /// When anything of the TUI's was first on screen: the loading
    /// screen, for a backlog that takes more than a frame to read.
    first_drawn: Option<Instant>,
    first_row: Option<Instant>,
}

impl Screen {
    const REQUEST: &[u8] = b"\x1b[6n";

    /// Take in what the program wrote; the reply is the terminal's
    /// answer to each request for the cursor's position, as a terminal
    /// gives it (the TUI asks at start-up, and waits a while for none).
    fn take(&mut self, output: &[u8]) -> Vec<u8> {
        self.unread.extend_from_slice(output);
        let mut reply = Vec::new();
        while let Some(at) = self
            .unread
            .windows(Self::REQUEST.len())
            .position(|w| w == Self::REQUEST)
        {
            let end = at + Self::REQUEST.len();
            self.terminal.process(&self.unread[..end]);
            self.unread.drain(..end);
            let (row, column) = self.terminal.screen().cursor_position();
            write!(reply, "\x1b[{};{}R", row + 1, column + 1).expect("to memory");
        }
        let cut_off = (1..Self::REQUEST.len())
            .rev()
            .find(|&n| self.unread.ends_with(&Self::REQUEST[..n]))
            .unwrap_or(0);
        let whole = self.unread.len() - cut_off;
        self.terminal.process(&self.unread[..whole]);
        self.unread.drain(..whole);
        if self.first_drawn.is_none() && !self.terminal.screen().contents().trim().is_empty() {
            self.first_drawn = Some(Instant::now());
        }
        if self.first_row.is_none() && self.shows_first_row() {
            self.first_row = Some(Instant::now());
        }
        reply
    }

    fn shows_first_row(&self) -> bool {
        self.terminal
            .screen()
            .contents()
            .lines()
            .any(|line| line.contains(&self.id) && line.contains(&self.title))
    }
}

impl Pty {
    fn start(place: &Place, program: &Path, id: String, title: String) -> Result<Pty> {
        let size = |n| std::num::NonZeroU16::new(n).expect("not zero");
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .map_err(|e| anyhow::anyhow!("no pseudo-terminal: {e}"))?;
        let mut cmd = CommandBuilder::new(program);
        for (name, value) in place.environment() {
            cmd.env(name, value);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("USER", "scale");
        cmd.env("EDITOR", "false");
        cmd.env_remove("VISUAL");
        cmd.env_remove("NO_COLOR");
        let keys: Arc<Mutex<Box<dyn Write + Send>>> = Arc::new(Mutex::new(
            pty.master
                .take_writer()
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        ));
        let screen = Arc::new(Mutex::new(Screen {
            terminal: vt100::Parser::new(size(ROWS), size(COLS), 0),
            unread: Vec::new(),
            id,
            title,
            first_drawn: None,
            first_row: None,
        }));
        let mut reader = pty
            .master
            .try_clone_reader()
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let started = Instant::now();
        let child = pty
            .slave
            .spawn_command(cmd)
            .map_err(|e| anyhow::anyhow!("cannot start the TUI: {e}"))?;
        drop(pty.slave);
        let (sink, answer_to) = (Arc::clone(&screen), Arc::clone(&keys));
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let reply = sink.lock().expect("the screen").take(&buf[..n]);
                if !reply.is_empty() {
                    let mut keys = answer_to.lock().expect("the keys");
                    // The program may be gone already.
                    let _ = keys.write_all(&reply).and_then(|()| keys.flush());
                }
            }
        });
        Ok(Pty {
            child,
            keys,
            screen,
            started,
            _master: pty.master,
        })
    }

    fn contents(&self) -> String {
        self.screen
            .lock()
            .expect("the screen")
            .terminal
            .screen()
            .contents()
    }

    /// How long after its start the TUI drew its first frame, and the
    /// first row of the ranking.
    fn await_first_row(&mut self) -> Result<(Duration, Duration)> {
        loop {
            let screen = self.screen.lock().expect("the screen");
            if let (Some(drawn), Some(row)) = (screen.first_drawn, screen.first_row) {
                return Ok((drawn - self.started, row - self.started));
            }
            drop(screen);
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "the TUI ended ({status:?}) before it showed the first story; it showed:\n{}",
                    self.contents()
                );
            }
            ensure!(
                self.started.elapsed() < PATIENCE,
                "the first story never showed; the screen shows:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_micros(500));
        }
    }

    /// Wait until the status bar no longer says the backlog is loading,
    /// and a little more, so that the key is timed on a TUI at rest.
    fn await_loaded(&self) -> Result<()> {
        let waited = Instant::now();
        while self.contents().to_lowercase().contains("loading") {
            ensure!(
                waited.elapsed() < PATIENCE,
                "still loading after {PATIENCE:?}"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(300));
        Ok(())
    }

    fn type_keys(&self, keys: &str) -> Result<()> {
        let mut writer = self.keys.lock().expect("the keys");
        writer.write_all(keys.as_bytes())?;
        writer.flush()?;
        Ok(())
    }

    /// The kernel's high-water mark of the program's resident memory, in
    /// bytes.
    fn peak(&self) -> Result<u64> {
        let pid = self.child.process_id().context("the TUI has no pid")?;
        let status = fs::read_to_string(format!("/proc/{pid}/status"))?;
        let kb = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .context("no VmHWM in /proc/PID/status")?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse::<u64>()?;
        Ok(kb * 1024)
    }

    /// `q`, and wait until it has ended, as it should, with success.
    fn quit(&mut self) -> Result<()> {
        self.type_keys("q")?;
        let asked = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                ensure!(
                    status.success(),
                    "the TUI quit with {status:?}; it showed:\n{}",
                    self.contents()
                );
                return Ok(());
            }
            if asked.elapsed() > PATIENCE {
                self.child.kill()?;
                bail!("the TUI did not quit; it showed:\n{}", self.contents());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// Keys timed in this process, to their redrawn screen.
struct Keys {
    frame_floor: Duration,
    j: Vec<Duration>,
    move_down: Vec<Duration>,
    search_key: Vec<Duration>,
    search_rows: Vec<Duration>,
}

fn key(c: char) -> KeyEvent {
    KeyEvent::from(KeyCode::Char(c))
}

/// `j`, and searches typed letter by letter, on the app as the TUI
/// builds it from the file, each key followed by its frame; and, for
/// each letter of a search, the time until the table shows its rows.
fn keys(file: &Path) -> Result<Keys> {
    eprintln!("  keys: loading the file in this process");
    let mut app = App::new(store::load(file)?.backlog, file.display().to_string());
    app.update(Action::Resize(COLS, ROWS));
    let mut terminal = Terminal::new(TestBackend::new(COLS, ROWS))?;
    let mut draw = |app: &App| -> Result<()> {
        terminal.draw(|f| view::render(app, f))?;
        Ok(())
    };
    draw(&app)?;

    let mut floor = Terminal::new(TestBackend::new(COLS, ROWS))?;
    let screenful = "x".repeat(usize::from(COLS) * usize::from(ROWS));
    let mut frame_floor = Vec::new();
    for _ in 0..PRESSES {
        let started = Instant::now();
        floor.draw(|f| {
            let text = ratatui::widgets::Paragraph::new(screenful.as_str())
                .wrap(ratatui::widgets::Wrap { trim: false });
            f.render_widget(text, f.area());
        })?;
        frame_floor.push(started.elapsed());
    }

    let mut j = Vec::new();
    for _ in 0..PRESSES {
        let started = Instant::now();
        handle_key(&mut app, key('j'));
        draw(&app)?;
        j.push(started.elapsed());
    }

    // Each `J` after a save, as the TUI's loop hands the saving thread a
    // copy and that thread keeps one apart (untimed).
    let mut move_down = Vec::new();
    for _ in 0..PRESSES / 10 {
        let snapshot = app.backlog.clone();
        std::thread::spawn(move || drop(snapshot.unshared()))
            .join()
            .map_err(|_| anyhow::anyhow!("the copy panicked"))?;
        let started = Instant::now();
        handle_key(&mut app, key('J'));
        draw(&app)?;
        move_down.push(started.elapsed());
    }

    let mut search_key = Vec::new();
    let mut search_rows = Vec::new();
    let mut by_letter = String::new();
    handle_key(&mut app, key('/'));
    draw(&app)?;
    for word in SEARCHED {
        for (at, letter) in word.char_indices() {
            let started = Instant::now();
            handle_key(&mut app, key(letter));
            draw(&app)?;
            let shown = started.elapsed();
            search_key.push(shown);
            answer(&mut app)?;
            draw(&app)?;
            let rows = started.elapsed();
            search_rows.push(rows);
            let _ = write!(
                by_letter,
                " {}: key {}, rows {} ({} rows);",
                &word[..at + letter.len_utf8()],
                time(shown),
                time(rows),
                app.row_count()
            );
        }
        // Back to every story before the next word, untimed.
        handle_key(
            &mut app,
            KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
        );
        answer(&mut app)?;
    }
    handle_key(&mut app, KeyEvent::from(KeyCode::Esc));
    eprintln!("  search by letter:{by_letter}");
    Ok(Keys {
        frame_floor: median(&frame_floor),
        j,
        move_down,
        search_key,
        search_rows,
    })
}

/// Run the search the app handed out, if any, on a thread of its own as
/// the TUI's loop does, and give the app its answer.
fn answer(app: &mut App) -> Result<()> {
    if let Some(search) = app.take_search() {
        let found = std::thread::spawn(move || search.run())
            .join()
            .map_err(|_| anyhow::anyhow!("the search panicked"))?;
        app.update(found);
    }
    Ok(())
}
