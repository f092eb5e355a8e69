//! The interactive backlog: terminal setup and restore, and the event loop.
//! The only code that touches the terminal.
//!
//! ```text
//! key ─keymap (top screen's context)→ Command ─App::update→ top screen's update
//! paste, mouse ─────────────────────→ Action ──App::update→ top screen's paste / mouse
//!       └→ state, changed only through Ctx::change (undo step + save) (+ Effect) ─loop→ save / $EDITOR / quit
//! view::render(&App): the pane shown, then each screen over it → frame
//! ```
//!
//! See ARCHITECTURE.md for the screens, the stack and the layout.

pub mod action;
pub mod app;
pub mod ctx;
pub mod filter;
pub mod keymap;
pub mod layout;
pub mod loading;
mod panics;
pub mod probe;
mod round_trip;
pub mod saved_view;
pub mod screens;
pub mod sort;
pub mod sync;
pub(crate) mod theme;
pub mod typing;
mod update;
pub mod view;

use std::collections::VecDeque;
use std::fs;
use std::io::{self, IsTerminal};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::crossterm::{cursor, execute};

use self::action::{Action, Effect};
use self::app::App;
use self::keymap::{Command, Keymap};
use self::loading::{Loader, Loading};
use self::panics::{PanicHook, caught};
use self::saved_view::SavedView;
use self::screens::editor_error::EditorError;
use self::screens::meeting;
use self::sync::{LastSave, Link, Progress};
use crate::interchange::export::{self, Format, Options};
use crate::meeting::{Meeting, Timing};
use crate::model::{Backlog, StoryId, renumber};
use crate::store::Session;
use crate::{config, store};

/// The option after (or before) `current` in `options`, round the end.
pub(crate) fn cycle<T: Clone + PartialEq>(options: &[T], current: &T, forward: bool) -> T {
    let at = options.iter().position(|o| o == current).unwrap_or(0);
    let len = options.len();
    options[if forward {
        (at + 1) % len
    } else {
        (at + len - 1) % len
    }]
    .clone()
}

/// Turn one key press into an action through the keymap and apply it: the
/// same path for the real loop and for tests.
pub fn handle_key(app: &mut App, key: KeyEvent) -> Option<Effect> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let (context, takes_text) = app.key_context();
    let action = app.keymap.action_for(context, takes_text, key)?;
    // A screen too small shows only that it is: a key there would act on
    // what cannot be seen (answer a question, estimate a story). Quitting
    // still works, and a resize is no key.
    if layout::is_too_small(app.size) && action != Action::Command(Command::Quit) {
        return None;
    }
    app.update(action)
}

/// Apply one event from the terminal: a key through the keymap
/// ([`handle_key`]), pasted text as text for the field being typed, a
/// click, drag or wheel for the screen on top, a resize. The same path
/// for the real loop and for tests.
pub fn handle_event(app: &mut App, event: Event) -> Option<Effect> {
    // As a key, a paste or a click would act on a screen that cannot be
    // seen.
    let usable = !layout::is_too_small(app.size);
    match event {
        Event::Key(key) => handle_key(app, key),
        Event::Paste(text) if usable => app.update(Action::Paste(text)),
        Event::Mouse(mouse) if usable && app.mouse && acts(mouse) => {
            app.update(Action::Mouse(mouse))
        }
        Event::Resize(width, height) => app.update(Action::Resize(width, height)),
        _ => None,
    }
}

/// Whether a mouse event is one the screens act on: the left button
/// pressed, dragged or let go, and the wheel. Moving the pointer alone
/// is nothing, and clears no message.
fn acts(mouse: MouseEvent) -> bool {
    matches!(
        mouse.kind,
        MouseEventKind::Down(MouseButton::Left)
            | MouseEventKind::Drag(MouseButton::Left)
            | MouseEventKind::Up(MouseButton::Left)
            | MouseEventKind::ScrollDown
            | MouseEventKind::ScrollUp
    )
}

/// Give the terminal back as it was before the TUI: pastes and the
/// mouse as the terminal handles them without us, out of raw mode and
/// the alternate screen. Each step is tried whatever became of the one before, and a
/// terminal that is gone is no error: there is nothing left to restore.
pub(crate) fn restore_terminal() {
    let _ = execute!(io::stdout(), DisableBracketedPaste, DisableMouseCapture);
    // `ratatui::restore` reports its own failure on stderr, which panics
    // when the terminal is gone.
    let _ = ratatui::try_restore();
}

/// The data file as the status bar shows it: `~` for the home directory.
#[must_use]
pub fn display_path(path: &Path) -> String {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    match home
        .as_deref()
        .and_then(|home| path.strip_prefix(home).ok())
    {
        Some(rest) => format!("~/{}", rest.display()),
        None => path.display().to_string(),
    }
}

/// Write the backlog in memory (the latest change in it, saved or not)
/// as `format` to the file `to`, as typed (`~/` is the home folder, and
/// a relative name is in the folder the TUI was started in), never over
/// `data`, the data file; then tell the app where it went, or why it did
/// not. What [`Effect::Export`] asks of the loop.
pub fn export_to(app: &mut App, format: Format, to: &Path, data: &Path) {
    let to = match (to.strip_prefix("~"), std::env::var_os("HOME")) {
        (Ok(rest), Some(home)) => Path::new(&home).join(rest),
        _ => to.to_path_buf(),
    };
    let options = Options::default();
    let text = export::render(&app.backlog, format, options);
    let said = export::write(&to, data, &text)
        .map(|()| {
            let to = std::path::absolute(&to).unwrap_or(to);
            let stories = export::stories_in(&app.backlog, format, options);
            export::written(stories, format, &display_path(&to))
        })
        .map_err(|e| format!("{e:#}"));
    app.update(Action::Exported(said));
}

/// Open the backlog in the terminal until the user quits.
///
/// # Errors
/// When the file cannot be read (nothing is shown and nothing written), the
/// terminal fails, or the last save fails (then a recovery file is named).
pub fn run(path: &Path) -> Result<()> {
    run_with(path, None)
}

/// Open the backlog in the terminal, with a refinement meeting planned
/// on `agenda` when there is one (`backlog meeting`): the meeting pane
/// shown, its agenda proposed, to start with one key.
///
/// # Errors
/// As [`run`].
pub fn run_with(path: &Path, agenda: Option<Vec<StoryId>>) -> Result<()> {
    // Keys first: with keys that cannot be used, nothing is touched, the
    // data file no more than the terminal.
    let keymap = match config::keys_path() {
        Some(keys) => Keymap::load(&keys)?,
        None => Keymap::built_in(),
    };
    // The file is read on a thread of its own from now on, while the
    // terminal is taken and the first frame drawn.
    let loader = Loader::start(path);
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        // A broken file is the news, terminal or not.
        loader.wait()?;
        bail!(
            "the backlog TUI needs a terminal; to script it, use a command such as `backlog list` (see `backlog --help`)"
        );
    }
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    // A broken config is reported once the backlog is there, not fatal to
    // grooming.
    let config = config::load();
    let mouse = config
        .as_ref()
        .map_or_else(|_| config::Config::default().mouse(), config::Config::mouse);

    // A closed terminal or `kill` ends the loop like quitting, so it saves.
    // SIGQUIT too: Ctrl-\ sends it while `$EDITOR` has the terminal, and
    // by default it would kill us with the terminal still raw.
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGQUIT,
    ] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("cannot listen for termination signals")?;
    }

    let hook = PanicHook::install();
    let mut terminal = match take_terminal(mouse) {
        Ok(terminal) => terminal,
        Err(e) => {
            give_back(hook);
            return Err(e).context("cannot take over the terminal");
        }
    };
    // Before anything is drawn, since it draws its samples where the
    // screen starts, and before the key reader starts, which would have
    // to wait for the answers: both read through crossterm's one reader,
    // so a key typed meanwhile is kept, not taken for an answer.
    let emoji = probe::ask_terminal();
    let input = match Input::spawn() {
        Ok(input) => input,
        Err(e) => {
            give_back(hook);
            return Err(e.into());
        }
    };
    let mut loading = Loading::new(keymap, display_path(path));
    loading.color = color;
    if agenda.is_some() {
        loading.opens_in = keymap::Context::MeetingPlan;
    }
    // Until the file is read nothing can change, so a panic, a quit or a
    // file that cannot be read leaves with nothing written.
    let loaded = panic::catch_unwind(AssertUnwindSafe(|| {
        load(&mut terminal, &mut loading, &loader, &input, &stop)
    }));
    let (session, backlog) = match loaded {
        Ok(Ok(Some(read))) => read,
        Ok(Ok(None)) => {
            give_back(hook);
            return Ok(());
        }
        Ok(Err(e)) => {
            give_back(hook);
            return Err(e);
        }
        Err(panic) => {
            give_back(hook);
            panic::resume_unwind(panic)
        }
    };
    // The saving thread starts with the backlog read and what the file
    // was when it was read: a write made since is noticed at its first
    // look.
    let mut link = match Link::start(session, Box::new(std::time::Instant::now)) {
        Ok(link) => link,
        Err(e) => {
            give_back(hook);
            return Err(e);
        }
    };
    let mut app = open_app(path, backlog, &loading, config, agenda);
    app.update(Action::FileReadOnly(link.is_read_only()));
    app.emoji = emoji;

    // A panic here restores the terminal (the hook) and is caught so the
    // last changes are still saved before it goes on.
    let kept = VecDeque::from(loading.into_kept());
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        event_loop(&mut terminal, &mut app, &mut link, &stop, &input, kept)
    }));
    close(path, &mut app, link, hook, result)
}

/// After the loop, whatever ended it (`result`, a panic included): the
/// last save, the meeting under way and an unapplied edit kept, the
/// terminal given back, and then what the user must know said.
fn close(
    path: &Path,
    app: &mut App,
    link: Link,
    hook: PanicHook,
    result: thread::Result<Result<()>>,
) -> Result<()> {
    // Whatever ended the loop, unsaved work goes to disk (or a recovery
    // file) first: after a hangup, touching the terminal may fail.
    let saved = link.finish(&mut app.backlog);
    // The meeting under way stops its clocks, to be resumed next time.
    let now = (app.clock)();
    let left = meeting::of(&mut app.panes)
        .and_then(|pane| pane.leave(now))
        .map(|journal| store::keep_journal(path, &journal));
    // A story document that was not applied, not yet fixed or discarded,
    // is the user's writing: keep it beside the data file.
    let kept = app.screen::<EditorError>().map(|unapplied| {
        store::write_unsaved_text(path, &unapplied.id.to_string(), &unapplied.text)
    });
    give_back(hook);
    match kept {
        Some(Ok(file)) => eprintln!("backlog: your unapplied edit is kept in {}", file.display()),
        Some(Err(e)) => eprintln!("backlog: your unapplied edit could not be kept: {e:#}"),
        None => {}
    }
    match left {
        Some(Ok(())) => eprintln!(
            "backlog: the refinement meeting is kept; `backlog` or `backlog meeting` resumes it"
        ),
        Some(Err(e)) => eprintln!("backlog: the meeting's journal could not be kept: {e:#}"),
        None => {}
    }
    match result {
        Ok(result) => result.and(saved.map_err(anyhow::Error::from)),
        Err(panic) => {
            if let Err(e) = saved {
                eprintln!("backlog: {e:#}");
            }
            panic::resume_unwind(panic)
        }
    }
}

/// The app on `backlog`, read from `path`, as it opens: with the keys
/// and colours `loading` had, the config's settings (or why there are
/// none), the undo history, the view where the user left off, the
/// messages about the file, and the meeting left unfinished or asked for
/// with `agenda`.
fn open_app(
    path: &Path,
    backlog: Backlog,
    loading: &Loading,
    config: Result<config::Config>,
    agenda: Option<Vec<StoryId>>,
) -> App {
    let mut app = App::new(backlog, loading.file_label.clone());
    app.keymap = Arc::clone(&loading.keymap);
    app.color = loading.color;
    // The terminal's size as the loading screen last had it: asked once
    // when the terminal was taken, and every resize since.
    let (width, height) = loading.size;
    app.update(Action::Resize(width, height));
    // What reading an older file folded together: written so at the next save.
    if !app.backlog.folded().is_empty() {
        app.raise(app.backlog.folded().join("; "), false);
    }
    app.tell_clashes(0);
    // Comments and overrides are signed as the config says.
    match config {
        Ok(config) => {
            app.author = config.author();
            app.mouse = config.mouse();
            (app.timing, app.agenda_size) = meeting_settings(&config);
        }
        Err(e) => app.raise(format!("{e:#}; comments are signed {}", app.author), true),
    }
    match store::load_history(path) {
        Ok(history) => app.history = history,
        Err(e) => {
            let kept = store::set_aside_history(path).map_or_else(
                |e| format!("{e:#}"),
                |aside| format!("kept as {}", aside.display()),
            );
            app.raise(format!("{e:#}; undo starts afresh ({kept})"), true);
        }
    }
    // Where the user left off, else the open work.
    app.open_view(store::load_view(path).map_err(|e| format!("{e:#}")));
    open_meeting(&mut app, path, agenda);
    app
}

/// Give the terminal back, then say in full what the status bar said of
/// the panics off the TUI's thread in short.
fn give_back(hook: PanicHook) {
    restore_terminal();
    for report in hook.reports() {
        eprintln!("backlog: {report}");
    }
    drop(hook);
}

/// How often the loading screen may be drawn again, at most: the
/// progress moves on far more often than a person can see.
const FRAME: Duration = Duration::from_millis(16);

/// Show the loading screen until the file is read, its progress drawn at
/// most once a [`FRAME`], and again on a resize; keys are kept for the
/// backlog. The file, read; `None` when the user quit first, the terminal
/// went or a signal came: then nothing was written.
fn load(
    terminal: &mut DefaultTerminal,
    loading: &mut Loading,
    loader: &Loader,
    input: &Input,
    stop: &AtomicBool,
) -> Result<Option<(Session, Backlog)>> {
    let size = terminal.size()?;
    loading.handle_event(Event::Resize(size.width, size.height));
    let mut redraw = true;
    loop {
        // Waited for before the first frame too: a file read within a
        // frame shows the backlog at once, with no loading screen flashed
        // before it.
        if let Some(read) = loader.read_within(FRAME) {
            return read.map(Some);
        }
        if stop.load(Ordering::Relaxed) {
            return Ok(None);
        }
        loop {
            let event = match input.events.try_recv() {
                Ok(event) => event,
                Err(TryRecvError::Empty) => break,
                // The terminal is gone, or the reader failed.
                Err(TryRecvError::Disconnected) => match input.failure() {
                    Some(panic) => bail!("reading the keyboard failed unexpectedly ({panic})"),
                    None => return Ok(None),
                },
            };
            redraw |= matches!(event, Event::Key(_) | Event::Paste(_) | Event::Resize(..));
            if loading.handle_event(event) == Some(Effect::Quit) {
                return Ok(None);
            }
        }
        redraw |= loading.progress(loader.reading.percent());
        // Each pass waits a frame for the read above: at most one draw
        // a frame.
        if redraw {
            terminal.draw(|frame| loading.render(frame))?;
            redraw = false;
        }
    }
}

/// The terminal in raw mode on the alternate screen, as `ratatui::init`
/// leaves it, but without ratatui's panic hook (ours is [`PanicHook`]),
/// with pastes marked as such (a paste is text, never keys), and with
/// the mouse taken when `mouse`.
fn take_terminal(mouse: bool) -> io::Result<DefaultTerminal> {
    terminal::enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    if mouse {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(io::stdout()))
}

/// The app changed: have it, and its undo history, on disk soon.
fn saved(link: &mut Link, app: &App) {
    link.changed();
    link.history_changed(app.history.clone());
}

/// Tell the app what the saving thread found; returns the stories of ours
/// a merge renumbered, as (old, new).
fn tell(app: &mut App, link: &mut Link, action: Action) -> Vec<(StoryId, StoryId)> {
    let renumbered = match &action {
        Action::Reloaded { renumbered, .. } => renumbered.clone(),
        _ => Vec::new(),
    };
    app.update(action);
    // They are renumbered in the undo history too; the history on disk
    // must follow.
    if !renumbered.is_empty() {
        saved(link, app);
    }
    renumbered
}

/// Save what is unsaved and take in what other programs changed, now (a
/// few seconds at most): around handing the terminal to an editor.
/// Returns the stories of ours a merge renumbered meanwhile.
fn sync_now(app: &mut App, link: &mut Link) -> Vec<(StoryId, StoryId)> {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let mut check = true;
    let mut renumbered = Vec::new();
    loop {
        let wait = deadline.saturating_duration_since(std::time::Instant::now());
        match link.sync_step(&app.backlog, &mut check, wait) {
            Progress::Working => {}
            Progress::Told(action) => renumbered.extend(tell(app, link, action)),
            Progress::Done => return renumbered,
        }
    }
}

/// Terminal events, read on their own thread. crossterm's `poll` never
/// returns once the terminal is gone (crossterm issue #793), so the loop
/// waits on this channel instead: a hangup then still reaches the loop as a
/// signal, and the loop saves and exits.
///
/// The reader can be paused, so that an external editor gets the keys.
struct Input {
    events: Receiver<Event>,
    /// Asked to stop reading...
    pause: Arc<AtomicBool>,
    /// ...and, once it has, this says so.
    paused: Arc<AtomicBool>,
    /// Why the reader stopped, if it panicked.
    failed: Arc<Mutex<Option<String>>>,
}

impl Input {
    fn spawn() -> io::Result<Input> {
        let (sender, events) = mpsc::channel();
        let pause = Arc::new(AtomicBool::new(false));
        let paused = Arc::new(AtomicBool::new(false));
        let failed = Arc::new(Mutex::new(None));
        let (want, ack, why) = (Arc::clone(&pause), Arc::clone(&paused), Arc::clone(&failed));
        // Named, for the report of a panic on it.
        thread::Builder::new()
            .name("backlog-keys".into())
            .spawn(move || {
                let read = caught(|| Input::read(&sender, &want, &ack));
                if let Err(panic) = read {
                    *why.lock().unwrap_or_else(PoisonError::into_inner) = Some(panic);
                }
            })?;
        Ok(Input {
            events,
            pause,
            paused,
            failed,
        })
    }

    /// Send terminal events until the loop stops listening or the terminal
    /// is gone.
    fn read(sender: &mpsc::Sender<Event>, want: &AtomicBool, ack: &AtomicBool) {
        loop {
            if want.load(Ordering::Acquire) {
                ack.store(true, Ordering::Release);
                thread::sleep(Duration::from_millis(10));
                continue;
            }
            ack.store(false, Ordering::Release);
            match event::poll(Duration::from_millis(50)) {
                Ok(true) => match event::read() {
                    Ok(event) => {
                        if sender.send(event).is_err() {
                            break;
                        }
                    }
                    Err(_) => break,
                },
                Ok(false) => {}
                Err(_) => break,
            }
        }
    }

    /// Why the reader stopped, if it panicked.
    fn failure(&self) -> Option<String> {
        self.failed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    /// Stop reading the terminal until `resume`. Waits (briefly) for the
    /// reader to finish the read it is in.
    fn pause(&self) {
        self.pause.store(true, Ordering::Release);
        let deadline = std::time::Instant::now() + Duration::from_millis(500);
        while !self.paused.load(Ordering::Acquire) && std::time::Instant::now() < deadline {
            thread::sleep(Duration::from_millis(5));
        }
    }

    fn resume(&self) {
        self.pause.store(false, Ordering::Release);
    }
}

/// The Monte Carlo forecasts the screens asked for, and the searches of
/// a big backlog the table asked for, each run on a thread of its own so
/// that ten thousand runs or a million stories never hold up a key, and
/// their answers, which come back to the loop.
struct Forecasts {
    answer: mpsc::Sender<Action>,
    answers: Receiver<Action>,
    /// How many are running.
    running: usize,
}

/// How often the loop looks for a Monte Carlo forecast's or a search's
/// answer while one runs.
const ANSWER_POLL: Duration = Duration::from_millis(20);

impl Forecasts {
    fn new() -> Self {
        let (answer, answers) = mpsc::channel();
        Forecasts {
            answer,
            answers,
            running: 0,
        }
    }

    /// Start each forecast the screens want, and the search the table
    /// wants. Its answer, or why there is none (a panic, a thread that
    /// would not start), always comes.
    fn start(&mut self, app: &mut App) {
        for job in app.take_work() {
            let id = job.job;
            self.spawn(
                "backlog-forecast",
                move || job.run(),
                move |why| Action::Simulated {
                    job: id,
                    result: Err(format!("the Monte Carlo forecast {why}")),
                },
            );
        }
        if let Some(search) = app.take_search() {
            let job = search.job;
            // No answer, for a search that failed: the table then searches
            // on the loop instead.
            self.spawn(
                "backlog-search",
                move || search.run(),
                move |_| Action::Searched { job, found: None },
            );
        }
    }

    /// Run `work` on a thread of its own, named `name`, and send its
    /// answer to the loop; if it panics, or the thread cannot start,
    /// `failed`'s answer, told why.
    fn spawn(
        &mut self,
        name: &str,
        work: impl FnOnce() -> Action + Send + 'static,
        failed: impl FnOnce(String) -> Action + Send + Clone + 'static,
    ) {
        let sender = self.answer.clone();
        let failed_there = failed.clone();
        let spawned = thread::Builder::new().name(name.into()).spawn(move || {
            let action = caught(work)
                .unwrap_or_else(|panic| failed_there(format!("failed unexpectedly ({panic})")));
            let _ = sender.send(action);
        });
        if let Err(e) = spawned {
            let _ = self.answer.send(failed(format!("could not start: {e}")));
        }
        self.running += 1;
    }

    /// How long the loop may wait for a key: not long while a forecast
    /// or a search runs, so its answer shows as soon as it comes.
    fn wait(&self, wait: Duration) -> Duration {
        if self.running > 0 {
            wait.min(ANSWER_POLL)
        } else {
            wait
        }
    }

    /// Hand the answers that came to the app; whether any did.
    fn take_in(&mut self, app: &mut App) -> bool {
        let mut any = false;
        while let Ok(action) = self.answers.try_recv() {
            self.running = self.running.saturating_sub(1);
            app.update(action);
            any = true;
        }
        any
    }
}

/// Offer the meeting left unfinished beside `path`, if one was; plan the
/// meeting `agenda` asks for, if it does.
fn open_meeting(app: &mut App, path: &Path, agenda: Option<Vec<StoryId>>) {
    // A meeting left unfinished is offered first; one asked for is planned.
    match store::read_journal(path) {
        Ok(Some(text)) => match Meeting::from_journal(&text) {
            Ok(meeting) => app.offer_to_resume(meeting),
            Err(why) => app.raise(
                format!(
                    "the meeting journal {} cannot be read ({why}); it is left as it is",
                    display_path(&store::journal_path(path))
                ),
                true,
            ),
        },
        Ok(None) => {}
        Err(e) => app.raise(format!("{e:#}"), true),
    }
    if let Some(agenda) = agenda {
        app.plan_meeting(agenda);
    }
}

/// How long stories and meetings take, and how many stories an agenda
/// proposes, as the config's `[meeting]` says.
fn meeting_settings(config: &config::Config) -> (Timing, usize) {
    let meeting = &config.meeting;
    (
        Timing {
            story_minutes: i64::from(meeting.timebox()),
            meeting_minutes: i64::from(meeting.length()),
        },
        meeting.stories(),
    )
}

/// How often a running meeting's clocks are redrawn.
const TICK: Duration = Duration::from_secs(1);

/// The tick a running meeting's clocks move on by: the loop wakes for
/// it, and the app is told.
struct Clock {
    last: std::time::Instant,
    /// A meeting runs: its clocks are on screen.
    ticking: bool,
}

impl Default for Clock {
    fn default() -> Self {
        Clock {
            last: std::time::Instant::now(),
            ticking: false,
        }
    }
}

impl Clock {
    /// How long the loop may wait for a key, at most `wait`: until the
    /// next tick while a meeting runs.
    fn wait(&mut self, app: &mut App, wait: Duration) -> Duration {
        self.ticking = meeting::of(&mut app.panes).is_some_and(|pane| pane.is_running());
        if self.ticking {
            wait.min(
                TICK.saturating_sub(self.last.elapsed())
                    .max(Duration::from_millis(1)),
            )
        } else {
            wait
        }
    }

    /// Tell the app a second went by, if one did while a meeting runs;
    /// whether it did (the screen is drawn again).
    fn tick(&mut self, app: &mut App) -> bool {
        if !self.ticking || self.last.elapsed() < TICK {
            return false;
        }
        self.last = std::time::Instant::now();
        app.update(Action::Tick);
        true
    }
}

/// Keep the meeting's journal beside the data file when it is due: it
/// changed, or its clocks ran a while. A failure is said once and stays
/// on screen, as a failed save does.
fn keep_journal(app: &mut App, path: &Path) {
    let now = (app.clock)();
    let Some(journal) = meeting::of(&mut app.panes).and_then(|pane| pane.journal_due(now)) else {
        return;
    };
    if let Err(e) = store::keep_journal(path, &journal) {
        app.update(Action::JournalFailed(format!(
            "the meeting's journal cannot be kept ({e:#}): a crash now would lose the meeting's record, not its changes"
        )));
    }
}

/// Write a meeting's minutes beside the data file `path`, then put its
/// journal away, and tell the app.
fn write_minutes(app: &mut App, path: &Path, minutes: &str, started: DateTime<Utc>) {
    let written = match store::write_minutes(path, started.with_timezone(&chrono::Local), minutes) {
        Ok(written) => written,
        Err(e) => {
            app.update(Action::MeetingEnded(Err(format!(
                "The minutes could not be written ({e:#}); the meeting goes on"
            ))));
            return;
        }
    };
    // With its minutes written the meeting is over, journal or not: going
    // on would have it ended, and its minutes written, twice.
    app.update(Action::MeetingEnded(Ok(format!(
        "The meeting is over: its minutes are in {} (`backlog minutes` prints them)",
        display_path(&written.path)
    ))));
    if let Err(e) = store::remove_journal(path) {
        app.update(Action::JournalFailed(format!(
            "The minutes are in {}, but the meeting's journal could not be put away ({e:#}): the next start offers to resume a meeting that is over",
            display_path(&written.path)
        )));
    }
}

/// The editor the user asked for: `$VISUAL`, else `$EDITOR`, else `vi`.
fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .into_iter()
        .filter_map(std::env::var_os)
        .map(|v| v.to_string_lossy().trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// Hand `text` to the external editor with the terminal given back to it,
/// and read what it saved. The terminal is taken again and fully redrawn
/// afterwards, whatever happened.
fn run_editor(
    screen: &mut DefaultTerminal,
    input: &Input,
    mouse: bool,
    id: StoryId,
    text: &str,
) -> Result<String, String> {
    let file = tempfile::Builder::new()
        .prefix(&format!("backlog-{id}-"))
        .suffix(".md")
        .tempfile()
        .map_err(|e| format!("cannot make a file for the editor: {e}"))?;
    fs::write(file.path(), text)
        .map_err(|e| format!("cannot write {}: {e}", file.path().display()))?;
    let command = editor_command();
    input.pause();
    // Give the terminal back as it was before the TUI: out of raw mode and
    // the alternate screen.
    let _ = terminal::disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    // Through the shell, so an editor given with arguments ("code -w")
    // works; the file is passed as "$1", never spliced into the command.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{command} \"$1\""))
        .arg("backlog-editor")
        .arg(file.path())
        .status();
    let _ = terminal::enable_raw_mode();
    let _ = execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste);
    if mouse {
        let _ = execute!(io::stdout(), EnableMouseCapture);
    }
    // Whatever the editor drew is not what ratatui thinks is on screen:
    // clear it and draw everything afresh. (`Terminal::clear` would ask the
    // terminal where its cursor is, racing the key reader for the answer.)
    if let Ok(size) = screen.size() {
        let _ = screen.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height));
    }
    input.resume();
    match status {
        Ok(status) if status.success() => fs::read_to_string(file.path())
            .map_err(|e| format!("cannot read back {}: {e}", file.path().display())),
        Ok(status) => Err(format!("the editor ({command}) quit with {status}")),
        Err(e) => Err(format!("cannot start the editor ({command}): {e}")),
    }
}

/// Hand story `id`'s document to `$EDITOR`, and apply what comes back.
fn edit_story(
    terminal: &mut DefaultTerminal,
    input: &Input,
    app: &mut App,
    link: &mut Link,
    id: StoryId,
) {
    // What was changed just before is on disk while the editor is open,
    // and the story handed out is as the file has it. A story just added
    // may take a new id in the merge.
    let id = renumber(id, &sync_now(app, link));
    if let Some(text) = app.hand_to_editor(id) {
        let result = run_editor(terminal, input, app.mouse, id, &text);
        // What others changed meanwhile comes in before the document is
        // weighed against it.
        let id = renumber(id, &sync_now(app, link));
        let action = Action::Edited {
            id,
            original: text,
            result,
        };
        if app.update(action) == Some(Effect::Save) {
            saved(link, app);
        }
    }
}

/// The app's loop, from the keys typed while the backlog was read,
/// `kept`: they are taken in first, in turn, as if typed now, and the
/// screen is drawn once they are all in.
fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    link: &mut Link,
    stop: &AtomicBool,
    input: &Input,
    mut kept: VecDeque<Event>,
) -> Result<()> {
    // Draw only when something may have changed, not on every wake-up to
    // poll the saving thread.
    let mut redraw = true;
    // Set when a quit could keep the user's changes nowhere, with how many
    // changes the user was told the next quit loses: that quit goes ahead.
    // A save that works ends it, and so does a change, which the user was
    // not told of: the next quit tries again.
    let mut quit_loses: Option<(LastSave, u64)> = None;
    // The view as last handed to the link to keep.
    let mut view = SavedView::of(app);
    let mut forecasts = Forecasts::new();
    let mut clock = Clock::default();
    loop {
        // Checked before drawing: after a hangup there is no terminal to
        // draw on, and the work must be saved rather than lost in a failed
        // draw.
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        forecasts.start(app);
        if redraw && kept.is_empty() {
            redraw = false;
            terminal.draw(|frame| view::render(app, frame))?;
        }
        let event = kept.pop_front().map_or_else(
            || {
                let wait = forecasts.wait(link.next_deadline().min(Duration::from_millis(250)));
                input.events.recv_timeout(clock.wait(app, wait))
            },
            Ok,
        );
        // The pointer moving over the screen changes nothing on it.
        redraw |= match &event {
            Ok(Event::Mouse(mouse)) => acts(*mouse),
            Ok(_) => true,
            Err(_) => false,
        };
        let effect = match event {
            Ok(event) => handle_event(app, event),
            Err(RecvTimeoutError::Timeout) => None,
            // The terminal is gone, or the reader failed: save and leave.
            Err(RecvTimeoutError::Disconnected) => match input.failure() {
                Some(panic) => bail!("reading the keyboard failed unexpectedly ({panic})"),
                None => Some(Effect::Quit),
            },
        };
        match effect {
            Some(Effect::Save) => saved(link, app),
            Some(Effect::OpenEditor { id }) => {
                edit_story(terminal, input, app, link, id);
                redraw = true;
            }
            Some(Effect::Export { format, to }) => {
                export_to(app, format, &to, link.path());
                redraw = true;
            }
            Some(Effect::EndMeeting { minutes, started }) => {
                write_minutes(app, link.path(), &minutes, started);
                redraw = true;
            }
            Some(Effect::Quit) => {
                if quit_loses.is_some() || !link.has_unsaved() {
                    return Ok(());
                }
                match link.last_save(&mut app.backlog) {
                    Ok(()) => return Ok(()),
                    // The user can still make room and try again: stay.
                    Err(last) if last.kept_nowhere() => {
                        let changes = link.unsaved_changes();
                        let quit = app.key(app.context(), Command::Quit);
                        app.update(Action::SyncFailed(last.make_room(&quit, Some(changes))));
                        quit_loses = Some((last, changes));
                        redraw = true;
                    }
                    Err(last) => return Err(last.into()),
                }
            }
            None => {}
        }
        redraw |= clock.tick(app);
        keep_journal(app, link.path());
        let now = SavedView::of(app);
        if now != view {
            link.view_changed(now.to_json());
            view = now;
        }
        if let Some((last, told)) = &quit_loses
            && link.unsaved_changes() != *told
        {
            let quit = app.key(app.context(), Command::Quit);
            app.update(Action::SyncFailed(last.make_room(&quit, None)));
            quit_loses = None;
            redraw = true;
        }
        // All of it before the next key: a key between a save's answer
        // and the reload it brings would be lost under the reload.
        while let Some(action) = link.tick(&app.backlog) {
            let action = match (action, &quit_loses) {
                // The retries fail too: what the user can do stays said.
                (Action::SyncFailed(_), Some((last, _))) => {
                    let quit = app.key(app.context(), Command::Quit);
                    Action::SyncFailed(last.make_room(&quit, Some(link.unsaved_changes())))
                }
                (action @ Action::SyncRecovered(_), _) => {
                    quit_loses = None;
                    action
                }
                (action, _) => action,
            };
            let _ = tell(app, link, action);
            redraw = true;
        }
        redraw |= forecasts.take_in(app);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Backlog, Placement, StoryPatch};

    #[test]
    fn minutes_written_end_the_meeting_even_when_its_journal_stays() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("backlog.json");
        // A journal that cannot be removed: a folder with a file in it.
        let journal = store::journal_path(&data);
        fs::create_dir(&journal).unwrap();
        fs::write(journal.join("kept"), "").unwrap();
        let now = Utc::now();
        let mut backlog = Backlog::new("Invoicing");
        backlog
            .add(&StoryPatch::title("Pay by card"), Placement::Bottom, now)
            .unwrap();
        let mut app = App::new(backlog, "backlog.json");
        let started = Meeting::start(&[StoryId(1)], &app.backlog, Timing::default(), "po", now);
        meeting::of(&mut app.panes).unwrap().meeting = Some(started.unwrap());
        write_minutes(&mut app, &data, "# Minutes\n", now);
        let written = fs::read_dir(store::minutes_folder(&data)).unwrap().count();
        assert_eq!(written, 1);
        // Over, so ending it again cannot write its minutes twice.
        assert!(meeting::of(&mut app.panes).unwrap().meeting.is_none());
        let alerts: Vec<&str> = app.alerts.iter().map(|a| a.text.as_str()).collect();
        assert!(
            alerts.iter().any(|a| a.contains("could not be put away")),
            "{alerts:?}"
        );
    }
}
