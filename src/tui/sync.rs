//! The TUI's side of saving. A worker thread owns the file's
//! [`Session`], so turning a large backlog into JSON and writing it never
//! holds up a key press; the event loop only clones the backlog to hand it
//! over.
//!
//! One request is in flight at a time: a save of a snapshot, or a look for
//! other writers, asked for only while the file has every change (a failed
//! save's retry reads the file itself). When an answer brings a backlog
//! from the file (merged or reloaded), the changes the file lacks, made
//! meanwhile or held by a failed save, are merged on top of it with the
//! same three-way merge, so nothing typed is lost.

use std::collections::VecDeque;
use std::mem;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use anyhow::Result;

use super::action::{Action, Failure};
use super::panics::caught;
use crate::model::{Backlog, History, StoryId, merge};
use crate::store::{self, Kept, NotSaved, Note, Outcome, Session};

/// Save once the user pauses this long...
const QUIET: Duration = Duration::from_millis(300);
/// ...or at the latest this long after the first unsaved change.
const AT_MOST: Duration = Duration::from_millis(800);
/// How often to look for other writers while idle (writing again an undo
/// history that failed), and to retry a failed save.
const CHECK_EVERY: Duration = Duration::from_secs(1);
/// How often to look for the worker's answer while it works.
const ANSWER_POLL: Duration = Duration::from_millis(20);

enum Request {
    Save {
        snapshot: Backlog,
        revision: u64,
        /// The undo history, to be written beside the file after it.
        history: Option<History>,
        /// The view, to be written beside the file (see [`Link::view_changed`]).
        view: Option<String>,
    },
    Check {
        /// An undo history whose write failed, to try again: the file has
        /// every change it holds, since nothing is unsaved.
        history: Option<History>,
        view: Option<String>,
    },
    /// The last save, when the TUI ends: what the file cannot take is kept
    /// elsewhere. With no snapshot, only the history is written.
    Last {
        snapshot: Option<Backlog>,
        history: Option<History>,
        view: Option<String>,
    },
    /// Free a large backlog off the event loop's thread.
    Discard(Backlog),
}

#[allow(
    clippy::large_enum_variant,
    reason = "one reply a save or a look, at most a few a second: its size costs nothing"
)]
enum Reply {
    Saved {
        snapshot: Backlog,
        revision: u64,
        outcome: Outcome,
        /// See [`Apart`].
        apart: Apart,
        history: HistoryWrite,
        read_only: bool,
    },
    Checked {
        outcome: Outcome,
        apart: Apart,
        history: HistoryWrite,
        read_only: bool,
    },
    Last(Result<(), LastSave>),
}

/// When the file brought a backlog (a reload, or a save that merged): a
/// copy of it apart from the one the reply brings, which the link keeps
/// as its base. The app is shown this one, so that its next change does
/// not copy the base's lists on the event loop; made on the saving
/// thread, as that copy costs about 25 ms at a million stories.
type Apart = Option<Backlog>;

/// A copy apart of the backlog `outcome` brings, if it brings one.
fn apart(outcome: &Outcome) -> Apart {
    match outcome {
        Outcome::Reloaded { backlog, .. } | Outcome::Merged { backlog, .. } => {
            Some(backlog.unshared())
        }
        Outcome::Saved | Outcome::Unchanged | Outcome::Failed(_) => None,
    }
}

/// What became of the undo history sent with a save or a look.
enum HistoryWrite {
    /// None was sent.
    NotSent,
    Written,
    /// Not written, because the backlog was not: it would undo changes
    /// the file never got. It goes with the next save that works.
    Held(Box<History>),
    /// It could not be written: the history back, to try again, and why.
    Failed(Box<(History, String)>),
}

/// Why the last save left something unwritten.
#[derive(Debug)]
pub enum LastSave {
    /// The data file lacks the user's last `changes` changes.
    NotSaved { not_saved: NotSaved, changes: u64 },
    /// The backlog is saved, but not its undo history: why.
    History(String),
}

impl LastSave {
    /// Whether the user's changes could not be written anywhere.
    #[must_use]
    pub fn kept_nowhere(&self) -> bool {
        matches!(
            self,
            LastSave::NotSaved {
                not_saved: NotSaved {
                    kept: Kept::Nowhere { .. },
                    ..
                },
                ..
            }
        )
    }

    /// For the status bar, when the TUI stays open after a quit because
    /// nothing could be kept: what the user can still do and, while the
    /// next quit (the key `quit`) goes ahead, the changes it `loses`
    /// (counted now).
    #[must_use]
    pub fn make_room(&self, quit: &str, loses: Option<u64>) -> String {
        let cause = match self {
            LastSave::NotSaved { not_saved, .. } => &not_saved.cause,
            LastSave::History(why) => why,
        };
        let advice = format!("nothing saved anywhere: make room, then {quit}");
        match loses {
            Some(1) => format!("{advice} · {quit} now loses your last change · {cause}"),
            Some(changes) => {
                format!("{advice} · {quit} now loses your last {changes} changes · {cause}")
            }
            None => format!("{advice} · {cause}"),
        }
    }
}

impl std::fmt::Display for LastSave {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LastSave::NotSaved { not_saved, changes } => f.write_str(&not_saved.message(*changes)),
            LastSave::History(why) => {
                write!(f, "your backlog is saved, but not its undo history: {why}")
            }
        }
    }
}

impl std::error::Error for LastSave {}

/// A panic while saving, as the status bar says it. The worker carries on:
/// one bad save must not stop the next, and the user's work is still in
/// memory.
fn unexpected(panic: &str) -> String {
    format!("saving failed unexpectedly ({panic}); your changes are kept here")
}

/// A panic while looking at the file for other writers' changes: nothing
/// was being saved.
fn unexpected_read(panic: &str) -> String {
    format!("reading the file failed unexpectedly ({panic}); your backlog is kept here")
}

/// Which of the worker's steps is about to touch the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// A save, the last one included.
    Save,
    /// A look for other writers.
    Check,
    /// Within a look, the file read, found changed, and about to be taken
    /// in.
    TakeIn,
}

/// Where the link reads the time, for the pause before a save, a failed
/// save's retry and the look for other writers. The program passes
/// `Instant::now`; tests pass a clock they move by hand, so that they
/// neither sleep through these pauses nor depend on the machine's speed.
pub type Clock = Box<dyn Fn() -> Instant + Send>;

/// Run on the saving thread before each [`Step`]. The program's does
/// nothing; tests make a step panic, to show that a panic is survived.
pub type BeforeStep = Box<dyn FnMut(Step) + Send>;

/// The program's [`BeforeStep`]: nothing, except in a debug build run by
/// a test that asks (`BACKLOG_TEST_PANIC_ON_SAVE=1`) for the first save to
/// panic. A release build has no such code at all.
fn planted() -> BeforeStep {
    #[cfg(debug_assertions)]
    if std::env::var_os("BACKLOG_TEST_PANIC_ON_SAVE").is_some_and(|v| v == "1") {
        let mut first = true;
        return Box::new(move |step| {
            let panics = step == Step::Save && mem::take(&mut first);
            assert!(!panics, "a fault injected for testing");
        });
    }
    Box::new(|_| {})
}

fn work(
    session: &mut Session,
    path: &Path,
    before: &mut BeforeStep,
    requests: &Receiver<Request>,
    replies: &Sender<Reply>,
) {
    for request in requests {
        let reply = match request {
            Request::Save {
                snapshot,
                revision,
                history,
                view,
            } => {
                // The snapshot shares the app's lists until this copy is
                // let go: kept as the base of the next merge, it would
                // have the app's next change copy them on the event loop.
                let snapshot = unshared(snapshot);
                write_view(path, view);
                let outcome = save(session, before, &snapshot);
                let history = match history {
                    Some(history) if matches!(outcome, Outcome::Failed(_)) => {
                        HistoryWrite::Held(Box::new(history))
                    }
                    history => write_history(path, history),
                };
                Reply::Saved {
                    apart: apart(&outcome),
                    outcome,
                    snapshot,
                    revision,
                    history,
                    read_only: store::is_read_only(path),
                }
            }
            Request::Check { history, view } => {
                write_view(path, view);
                let outcome = caught(|| {
                    before(Step::Check);
                    session.reload_if_changed_with(|| before(Step::TakeIn))
                })
                .unwrap_or_else(|panic| Outcome::Failed(unexpected_read(&panic)));
                Reply::Checked {
                    apart: apart(&outcome),
                    outcome,
                    history: write_history(path, history),
                    // The user may make it writable (or not) at any time.
                    read_only: store::is_read_only(path),
                }
            }
            Request::Last {
                snapshot,
                history,
                view,
            } => {
                write_view(path, view);
                Reply::Last(last_save(
                    session,
                    path,
                    before,
                    snapshot.as_ref(),
                    history.as_ref(),
                ))
            }
            Request::Discard(backlog) => {
                drop(backlog);
                continue;
            }
        };
        if replies.send(reply).is_err() {
            break;
        }
    }
}

/// A copy of `shared` that shares no list with the app's backlog, once
/// `shared` is let go.
fn unshared(shared: Backlog) -> Backlog {
    let copy = shared.unshared();
    drop(shared);
    copy
}

/// Save `snapshot`; a panic is a failed save like any other.
fn save(session: &mut Session, before: &mut BeforeStep, snapshot: &Backlog) -> Outcome {
    caught(|| {
        before(Step::Save);
        session.save(snapshot)
    })
    .unwrap_or_else(|panic| Outcome::Failed(unexpected(&panic)))
}

/// Write the view, if it changed. A view that cannot be written is let
/// go: it is only where the TUI opens next time, and the next change of
/// view tries again.
fn write_view(path: &Path, view: Option<String>) {
    if let Some(view) = view {
        let _ = caught(|| store::save_view(path, &view));
    }
}

/// Write the undo history, if there is one to write.
fn write_history(path: &Path, history: Option<History>) -> HistoryWrite {
    let Some(history) = history else {
        return HistoryWrite::NotSent;
    };
    match save_history(path, &history) {
        None => HistoryWrite::Written,
        Some(why) => HistoryWrite::Failed(Box::new((history, why))),
    }
}

/// Write the undo history; why not, when it could not be.
fn save_history(path: &Path, history: &History) -> Option<String> {
    match caught(|| store::save_history(path, history)) {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(format!("{e:#}")),
        Err(panic) => Some(format!("it failed unexpectedly ({panic})")),
    }
}

fn last_save(
    session: &mut Session,
    path: &Path,
    before: &mut BeforeStep,
    snapshot: Option<&Backlog>,
    history: Option<&History>,
) -> Result<(), LastSave> {
    if let Some(snapshot) = snapshot {
        caught(|| {
            before(Step::Save);
            session.save_or_recover(snapshot)
        })
        .unwrap_or_else(|panic| {
            let cause = format!("saving failed unexpectedly ({panic})");
            Err(NotSaved::keep(path, snapshot, cause))
        })
        .map_err(|not_saved| LastSave::NotSaved {
            not_saved,
            // Only the link knows; it fills this in.
            changes: 0,
        })?;
    }
    match history.and_then(|history| save_history(path, history)) {
        Some(why) => Err(LastSave::History(why)),
        None => Ok(()),
    }
}

/// Where [`Link::sync_step`] got to.
#[derive(Debug)]
pub enum Progress {
    /// A save or a check is under way: step again.
    Working,
    /// The file brought news the app must be told; then step again.
    Told(Action),
    /// Nothing more to do (or no answer in time).
    Done,
}

pub struct Link {
    path: PathBuf,
    requests: Option<Sender<Request>>,
    replies: Receiver<Reply>,
    worker: Option<JoinHandle<()>>,
    /// Why the worker stopped, when a panic stopped it.
    stopped: Arc<Mutex<Option<String>>>,
    /// What the file holds, as far as this side knows: the base for
    /// merging the user's newer changes into what the worker brings back.
    synced: Backlog,
    /// Counts the user's changes; `saved` is the count the file has.
    revision: u64,
    saved: u64,
    in_flight: bool,
    first_unsaved: Option<Instant>,
    last_change: Instant,
    last_check: Instant,
    retry_at: Option<Instant>,
    /// The undo history as of the last change, not yet written.
    history: Option<History>,
    /// The view as of its last change, not yet written.
    view: Option<String>,
    /// What the app was told does not work, and not yet told is over.
    failing: Failing,
    /// What the app must still be told: one answer can bring two things.
    told: VecDeque<Action>,
    /// Whether the file is read-only, as last looked at.
    read_only: bool,
    clock: Clock,
}

/// Failures the app was told of, each until it is over, with what the
/// status bar said. Each kind ends its own way: a failed look at the file
/// when the file reads again, a failed save when a save works, the undo
/// history's when it is written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Failing {
    read: Option<String>,
    save: Option<String>,
    history: Option<String>,
}

impl Failing {
    /// What the status bar should say while some failure lasts, and of
    /// which kind: the backlog's own before its undo history's.
    fn shown(&self) -> Option<(Failure, &String)> {
        [
            (Failure::Save, &self.save),
            (Failure::Read, &self.read),
            (Failure::History, &self.history),
        ]
        .into_iter()
        .find_map(|(kind, message)| Some((kind, message.as_ref()?)))
    }
}

impl Link {
    /// Read the backlog at `path` and start the worker that keeps it,
    /// timing saves and looks by `clock`.
    ///
    /// # Errors
    /// When the file cannot be read or parsed: nothing is written.
    pub fn open(path: &Path, clock: Clock) -> Result<(Self, Backlog)> {
        Link::open_with(path, clock, planted())
    }

    /// As [`Link::open`], with the worker running `before` ahead of each
    /// step it takes.
    ///
    /// # Errors
    /// As [`Link::open`].
    pub fn open_with(path: &Path, clock: Clock, before: BeforeStep) -> Result<(Self, Backlog)> {
        let (session, backlog) = Session::open(path)?;
        let link = Link::start_with(session, clock, before)?;
        Ok((link, backlog))
    }

    /// Start the worker that keeps `session`'s file, as [`Link::open`]
    /// does, for a session opened already: the TUI reads the file on a
    /// thread of its own while its first frame shows.
    ///
    /// # Errors
    /// When the worker's thread cannot start.
    pub fn start(session: Session, clock: Clock) -> Result<Self> {
        Link::start_with(session, clock, planted())
    }

    /// As [`Link::start`], with the worker running `before` ahead of each
    /// step it takes.
    ///
    /// # Errors
    /// As [`Link::start`].
    fn start_with(session: Session, clock: Clock, mut before: BeforeStep) -> Result<Self> {
        let path = session.path().to_path_buf();
        // What the file holds, apart from the app's backlog as the
        // session's own copy is.
        let synced = session.base().clone();
        let (requests, inbox) = mpsc::channel();
        let (outbox, replies) = mpsc::channel();
        let file = path.clone();
        let stopped = Arc::new(Mutex::new(None));
        let why = Arc::clone(&stopped);
        let worker = thread::Builder::new()
            .name("backlog-save".into())
            .spawn(move || {
                let mut session = session;
                // Each step catches its own panics; this is for one
                // between them. The reason is in place before the replies'
                // channel closes, which is how the link learns of it.
                if let Err(panic) =
                    caught(|| work(&mut session, &file, &mut before, &inbox, &outbox))
                {
                    *why.lock().unwrap_or_else(PoisonError::into_inner) = Some(panic);
                }
            })?;
        let now = clock();
        Ok(Link {
            read_only: store::is_read_only(&path),
            path,
            requests: Some(requests),
            replies,
            worker: Some(worker),
            stopped,
            synced,
            revision: 0,
            saved: 0,
            in_flight: false,
            first_unsaved: None,
            last_change: now,
            last_check: now,
            retry_at: None,
            history: None,
            view: None,
            failing: Failing::default(),
            told: VecDeque::new(),
            clock,
        })
    }

    /// The data file the backlog is kept in.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The backlog in memory changed.
    pub fn changed(&mut self) {
        let now = (self.clock)();
        self.revision += 1;
        self.first_unsaved.get_or_insert(now);
        self.last_change = now;
    }

    /// The undo history changed: write it beside the file with the next
    /// save.
    pub fn history_changed(&mut self, history: History) {
        self.history = Some(history);
    }

    /// The view changed (`view`, the view file's text): write it beside
    /// the file with the next save, or the next look for other writers,
    /// within a second when nothing changes, so moving about costs no
    /// write of its own.
    pub fn view_changed(&mut self, view: String) {
        self.view = Some(view);
    }

    /// The view to write with the next request, if it changed. Nothing
    /// is written beside a read-only data file, such as a colleague's in
    /// a shared folder: the view is kept only while the TUI runs.
    fn view_to_write(&mut self) -> Option<String> {
        self.view.take().filter(|_| !self.read_only)
    }

    /// The worker is gone: why, as far as is known.
    fn stopped(&self) -> String {
        match &*self.stopped.lock().unwrap_or_else(PoisonError::into_inner) {
            Some(panic) => format!("saving stopped unexpectedly ({panic})"),
            None => "saving stopped unexpectedly".to_string(),
        }
    }

    /// Whether the file is read-only: the app says so from the start, as an
    /// editor does, and is told when that changes.
    #[must_use]
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Whether a save or a look for other writers is under way.
    #[must_use]
    pub fn is_busy(&self) -> bool {
        self.in_flight
    }

    #[must_use]
    pub fn has_unsaved(&self) -> bool {
        self.revision != self.saved
    }

    /// How many changes the file lacks.
    #[must_use]
    pub fn unsaved_changes(&self) -> u64 {
        self.revision - self.saved
    }

    fn send(&mut self, request: Request) -> bool {
        self.requests
            .as_ref()
            .is_some_and(|requests| requests.send(request).is_ok())
    }

    fn discard(&mut self, backlog: Backlog) {
        // If the worker is gone the backlog is simply freed here.
        self.send(Request::Discard(backlog));
    }

    fn save_due(&self) -> Option<Instant> {
        let first = self.first_unsaved?;
        let at = (self.last_change + QUIET).min(first + AT_MOST);
        Some(self.retry_at.map_or(at, |retry| retry.max(at)))
    }

    /// How long the loop may wait for a key before `tick` has work.
    #[must_use]
    pub fn next_deadline(&self) -> Duration {
        if !self.told.is_empty() {
            return Duration::ZERO;
        }
        if self.in_flight {
            return ANSWER_POLL;
        }
        let due = self.save_due().unwrap_or(self.last_check + CHECK_EVERY);
        due.saturating_duration_since((self.clock)())
    }

    /// Take the worker's answer if there is one, and start a save or a
    /// check when one is due. Returns what the app must be told; call
    /// again until it returns `None`, before the next key, since a change
    /// made between two answers would be lost under a reload.
    pub fn tick(&mut self, current: &Backlog) -> Option<Action> {
        if let Some(action) = self.told.pop_front() {
            return Some(action);
        }
        if self.in_flight {
            return match self.replies.try_recv() {
                Ok(reply) => {
                    self.apply(reply, current);
                    self.told.pop_front()
                }
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Disconnected) => {
                    self.in_flight = false;
                    self.requests = None;
                    Some(Action::SyncFailed(format!(
                        "{}; quit to write your backlog to a recovery file",
                        self.stopped()
                    )))
                }
            };
        }
        let now = (self.clock)();
        if self.save_due().is_some_and(|due| now >= due) {
            self.start_save(current);
        } else if self.first_unsaved.is_none() && now >= self.last_check + CHECK_EVERY {
            self.start_check();
        }
        None
    }

    /// Hand the worker a copy of `current` to save, with the undo history.
    fn start_save(&mut self, current: &Backlog) -> bool {
        let request = Request::Save {
            snapshot: current.clone(),
            revision: self.revision,
            history: self.history.take(),
            view: self.view_to_write(),
        };
        self.in_flight = self.send(request);
        self.in_flight
    }

    /// Have the worker look for changes other programs made, and write
    /// again an undo history whose write failed: with nothing unsaved, no
    /// save would carry it, and the failure would stay on the status bar
    /// after its cause is gone.
    fn start_check(&mut self) -> bool {
        self.last_check = (self.clock)();
        let request = Request::Check {
            history: self.history.take(),
            view: self.view_to_write(),
        };
        self.in_flight = self.send(request);
        self.in_flight
    }

    /// Merge what the user changed since `base` into `theirs`, the file's
    /// newer backlog; clashes keep the file's version and ours is written
    /// beside it. `renumbered` holds the ids the file's side already moved
    /// (applied to `base` and `current` first) and gains any this merge
    /// moves.
    fn catch_up(
        &self,
        base: &Backlog,
        current: &Backlog,
        theirs: &Backlog,
        note: &mut Note,
        renumbered: &mut Vec<(StoryId, StoryId)>,
    ) -> Backlog {
        let merged = merge(
            &base.renumbered(renumbered),
            &current.renumbered(renumbered),
            theirs,
        );
        if merged.has_conflicts() {
            let file = store::write_conflicts(&self.path, &merged).ok();
            let more = store::describe(&merged, file.as_deref(), "");
            note.text = format!("{}; {more}", note.text);
            if note.conflict_file.is_none() {
                note.conflict_file = file;
            }
        }
        renumbered.extend_from_slice(&merged.renumbered);
        merged.backlog
    }

    /// Take `theirs`, what the file now holds, as the synced state, and
    /// tell the app what to show: `theirs` itself (its copy `apart`, when
    /// the saving thread made one), or, when the file lacks some of the
    /// user's changes, those changes merged on top. `base` is what those
    /// changes were made on: what the file held as far as this side knew.
    fn adopt(
        &mut self,
        base: &Backlog,
        current: &Backlog,
        (theirs, apart): (Backlog, Apart),
        mut note: Note,
        mut renumbered: Vec<(StoryId, StoryId)>,
    ) -> Action {
        // Not only the changes made since the request: a change a failed
        // save still holds is as much the user's.
        let shown = if self.has_unsaved() {
            // The merge makes lists of its own.
            if let Some(apart) = apart {
                self.discard(apart);
            }
            self.catch_up(base, current, &theirs, &mut note, &mut renumbered)
        } else {
            apart.unwrap_or_else(|| theirs.clone())
        };
        let old = mem::replace(&mut self.synced, theirs);
        self.discard(old);
        Action::Reloaded {
            backlog: Box::new(shown),
            note,
            renumbered,
        }
    }

    /// Take in the worker's answer, queueing what the app must be told.
    fn apply(&mut self, reply: Reply, current: &Backlog) {
        self.in_flight = false;
        let before = self.failing.clone();
        // A failure reported now, which the status bar must show even
        // when it repeats the last one: Esc may have put that away.
        let mut fresh = None;
        let mut reloaded = None;
        match reply {
            Reply::Saved {
                snapshot,
                revision,
                outcome,
                apart,
                history,
                read_only,
            } => {
                self.note_read_only(read_only);
                fresh = self.took_history(history);
                match outcome {
                    Outcome::Saved => {
                        self.after_save(revision);
                        let old = mem::replace(&mut self.synced, snapshot);
                        self.discard(old);
                    }
                    Outcome::Merged {
                        backlog: theirs,
                        note,
                        renumbered,
                    } => {
                        self.after_save(revision);
                        reloaded =
                            Some(self.adopt(&snapshot, current, (theirs, apart), note, renumbered));
                        self.discard(snapshot);
                    }
                    Outcome::Failed(message) => {
                        self.retry_at = Some((self.clock)() + CHECK_EVERY);
                        self.discard(snapshot);
                        self.failing.save = Some(message.clone());
                        fresh = Some(message);
                    }
                    Outcome::Unchanged | Outcome::Reloaded { .. } => {}
                }
            }
            Reply::Checked {
                outcome,
                apart,
                history,
                read_only,
            } => {
                self.note_read_only(read_only);
                fresh = self.took_history(history);
                match outcome {
                    Outcome::Reloaded {
                        backlog: theirs,
                        note,
                    } => {
                        self.failing.read = None;
                        let base = self.synced.clone();
                        reloaded =
                            Some(self.adopt(&base, current, (theirs, apart), note, Vec::new()));
                    }
                    Outcome::Unchanged => self.failing.read = None,
                    Outcome::Failed(message) => {
                        self.failing.read = Some(message.clone());
                        fresh = Some(message);
                    }
                    Outcome::Saved | Outcome::Merged { .. } => {}
                }
            }
            // Only `last_save` asks for it, and waits for the answer there.
            Reply::Last(_) => {}
        }
        // The failure first: the reload's note (which story took a new id)
        // must be what the status bar says last.
        let news = match fresh {
            Some(message) => Some(Action::SyncFailed(message)),
            // Once one kind is over, what still fails shows in its place.
            None if self.failing != before => match self.failing.shown() {
                Some((_, message)) => Some(Action::SyncFailed(message.clone())),
                // What the status bar said is what is over.
                None => before.shown().map(|(over, _)| Action::SyncRecovered(over)),
            },
            None => None,
        };
        self.told.extend(news);
        self.told.extend(reloaded);
    }

    /// Take in what became of an undo history sent to be written; returns
    /// the failure to report, if it failed.
    fn took_history(&mut self, history: HistoryWrite) -> Option<String> {
        match history {
            HistoryWrite::NotSent => {}
            HistoryWrite::Written => self.failing.history = None,
            HistoryWrite::Held(history) => {
                self.history.get_or_insert(*history);
            }
            HistoryWrite::Failed(failed) => {
                let (history, why) = *failed;
                // Kept to try again, unless a newer one waits.
                self.history.get_or_insert(history);
                let message = format!("the undo history could not be saved: {why}");
                self.failing.history = Some(message.clone());
                return Some(message);
            }
        }
        None
    }

    fn note_read_only(&mut self, read_only: bool) {
        if read_only != mem::replace(&mut self.read_only, read_only) {
            self.told.push_back(Action::FileReadOnly(read_only));
        }
    }

    /// The file has what the user had changed up to `revision`: a save
    /// worked, and any failed one is over.
    fn after_save(&mut self, revision: u64) {
        self.saved = revision;
        if !self.has_unsaved() {
            self.first_unsaved = None;
        }
        self.retry_at = None;
        // The save read the file first, so it reads again too.
        self.failing.save = None;
        self.failing.read = None;
    }

    /// One step of bringing the file and the app level now, waiting at
    /// most `wait`: save what is unsaved (a save takes in what another
    /// program wrote), else, if `check` is set, look once for changes
    /// another program made; either clears `check`. The
    /// caller applies what it is told before the next step, so each save
    /// carries the app's latest backlog; before and after the TUI hands
    /// the terminal to an external editor, it steps until
    /// [`Progress::Done`]. `wait` is real time, not the link's clock: it
    /// bounds how long the worker may take to answer.
    pub fn sync_step(&mut self, current: &Backlog, check: &mut bool, wait: Duration) -> Progress {
        if let Some(action) = self.told.pop_front() {
            return Progress::Told(action);
        }
        if self.in_flight {
            return match self.replies.recv_timeout(wait) {
                Ok(reply) => {
                    self.apply(reply, current);
                    self.told
                        .pop_front()
                        .map_or(Progress::Working, Progress::Told)
                }
                // Not answered in time: `tick` takes the answer later.
                Err(_) => Progress::Done,
            };
        }
        let started = if self.has_unsaved() {
            // A save reads the file first and merges what others wrote, so
            // it is the look `check` asks for; a check instead would read
            // the file in under changes it lacks. A failed save waiting for
            // its retry is tried once more now, when a look is asked for.
            let due = self.retry_at.is_none() || *check;
            *check = false;
            due && self.start_save(current)
        } else if mem::take(check) {
            self.start_check()
        } else {
            false
        };
        if started {
            Progress::Working
        } else {
            Progress::Done
        }
    }

    /// Save what is unsaved, and the undo history, now, as the last save:
    /// what the data file cannot take is kept in a recovery file. Waits
    /// for the worker's answer in flight first; `current` is updated if it
    /// brought changes from the file.
    ///
    /// # Errors
    /// When something was not written: what, and where it was kept
    /// instead, if anywhere. Unless it was kept nowhere, the changes count
    /// as saved from now on.
    pub fn last_save(&mut self, current: &mut Backlog) -> Result<(), LastSave> {
        if self.in_flight
            && let Ok(reply) = self.replies.recv()
        {
            self.apply(reply, current);
        }
        // What the file brought is saved with the rest; the app is told
        // the rest when the TUI stays open.
        for action in mem::take(&mut self.told) {
            match action {
                Action::Reloaded { backlog, .. } => *current = *backlog,
                action => self.told.push_back(action),
            }
        }
        let changes = self.unsaved_changes();
        let history = self.history.take();
        let request = Request::Last {
            snapshot: self.has_unsaved().then(|| current.clone()),
            history: history.clone(),
            view: self.view_to_write(),
        };
        let answer = if self.send(request) {
            self.replies.recv().ok()
        } else {
            None
        };
        let mut last = match answer {
            Some(Reply::Last(last)) => last,
            // The worker is gone: keep what is unsaved from here.
            _ if changes == 0 => Ok(()),
            _ => Err(LastSave::NotSaved {
                not_saved: NotSaved::keep(&self.path, current, self.stopped()),
                changes,
            }),
        };
        if let Err(LastSave::NotSaved { changes: count, .. }) = &mut last {
            *count = changes;
        }
        if last.as_ref().is_err_and(LastSave::kept_nowhere) {
            // For the next try, once the user has made room.
            self.history = history;
        } else {
            self.saved = self.revision;
            self.first_unsaved = None;
        }
        last
    }

    /// The last save, when the TUI ends (see [`Link::last_save`]), and the
    /// worker's end.
    ///
    /// # Errors
    /// As [`Link::last_save`].
    pub fn finish(mut self, current: &mut Backlog) -> Result<(), LastSave> {
        let last = self.last_save(current);
        // Closing the channel ends the worker.
        self.requests = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
        last
    }
}
