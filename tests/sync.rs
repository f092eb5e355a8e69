//! Two writers: the TUI's session and a CLI command on the same file.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use backlog::model::{Backlog, Move, Placement, StoryId, StoryPatch};
use backlog::store::{self, Outcome, Session};
use backlog::tui::action::{Action, Failure};
use backlog::tui::sync::{self, BeforeStep, LastSave, Link, Progress, Step};
use chrono::Utc;
use common::notice;
use tempfile::TempDir;

fn setup(n: usize) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backlog.json");
    let mut b = Backlog::new("Shop");
    for i in 1..=n {
        b.add(
            &StoryPatch::title(format!("Story {i}")),
            Placement::Bottom,
            Utc::now(),
        )
        .unwrap();
    }
    store::save(&path, &b).unwrap();
    (dir, path)
}

/// What `backlog add TITLE` does.
fn cli_add(path: &Path, title: &str) -> StoryId {
    store::update(path, |b| {
        Ok(b.add(&StoryPatch::title(title), Placement::Bottom, Utc::now())?)
    })
    .unwrap()
}

fn titles(b: &Backlog) -> Vec<String> {
    b.ranked().map(|s| s.title.clone()).collect()
}

fn on_disk(path: &Path) -> Backlog {
    store::load(path).unwrap().backlog
}

fn reloaded(outcome: Outcome) -> (Backlog, String) {
    match outcome {
        Outcome::Reloaded { backlog, note } | Outcome::Merged { backlog, note, .. } => {
            (backlog, note.text)
        }
        other => panic!("expected a reload or merge, got {other:?}"),
    }
}

fn file_beside(dir: &Path, marker: &str) -> PathBuf {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains(marker))
        .unwrap_or_else(|| panic!("no {marker} file"))
}

/// A clock the test moves by hand. The link's pauses (before a save,
/// before a failed save's retry, between looks for other writers) go by
/// it, so a test neither sleeps through them nor depends on the machine's
/// speed; only the saving thread's work takes real time, and the helpers
/// below wait for that.
#[derive(Clone)]
struct HandClock(Arc<Mutex<Instant>>);

impl HandClock {
    fn new() -> HandClock {
        HandClock(Arc::new(Mutex::new(Instant::now())))
    }

    /// The clock as the link reads it.
    fn for_link(&self) -> sync::Clock {
        let now = Arc::clone(&self.0);
        Box::new(move || *now.lock().unwrap())
    }

    fn now(&self) -> Instant {
        *self.0.lock().unwrap()
    }

    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }

    /// How far the clock has moved since `then`.
    fn since(&self, then: Instant) -> Duration {
        self.now() - then
    }
}

/// A link to the file at `path` on a clock of its own.
fn open(path: &Path) -> (Link, Backlog, HandClock) {
    let clock = HandClock::new();
    let (link, backlog) = Link::open(path, clock.for_link()).unwrap();
    (link, backlog, clock)
}

/// As [`open`], with the saving thread running `hook` before each step.
fn open_with(path: &Path, hook: BeforeStep) -> (Link, Backlog, HandClock) {
    let clock = HandClock::new();
    let (link, backlog) = Link::open_with(path, clock.for_link(), hook).unwrap();
    (link, backlog, clock)
}

/// What the event loop does between two ticks: wait, in real time, for
/// the saving thread's answer while it works, else let the clock run to
/// the link's next deadline.
fn pass_time(link: &Link, clock: &HandClock) {
    if link.is_busy() {
        std::thread::sleep(Duration::from_millis(1));
    } else {
        clock.advance(link.next_deadline());
    }
}

#[test]
fn an_idle_session_picks_up_another_writers_story() {
    let (_dir, path) = setup(2);
    let (mut session, ours) = Session::open(&path).unwrap();
    assert_eq!(ours.len(), 2);
    assert_eq!(session.reload_if_changed(), Outcome::Unchanged);
    cli_add(&path, "From the CLI");
    let (theirs, note) = reloaded(session.reload_if_changed());
    assert_eq!(titles(&theirs), ["Story 1", "Story 2", "From the CLI"]);
    assert!(note.starts_with("Reloaded"), "{note}");
    assert_eq!(session.reload_if_changed(), Outcome::Unchanged);
}

#[test]
fn a_split_half_we_deleted_is_not_told_of_as_renumbered() {
    let (_dir, path) = setup(3);
    let (mut session, mut ours) = Session::open(&path).unwrap();
    // The TUI splits S-1 into S-4 and deletes S-4; the CLI adds S-4.
    ours.split(StoryId(1), "Half", &[], Utc::now()).unwrap();
    ours.remove(StoryId(4)).unwrap();
    assert_eq!(cli_add(&path, "From the CLI"), StoryId(4));

    let (merged, note) = reloaded(session.save(&ours));
    assert!(!note.contains("is now"), "{note}");
    assert_eq!(merged.get(StoryId(4)).unwrap().title, "From the CLI");
    // Our S-1 names our half, which is gone, not the CLI's story.
    assert_eq!(merged.get(StoryId(1)).unwrap().split_into, [StoryId(5)]);
}

#[test]
fn a_save_merges_instead_of_overwriting() {
    let (_dir, path) = setup(3);
    let (mut session, mut ours) = Session::open(&path).unwrap();
    // The TUI moves and adds; before it saves, the CLI adds too.
    ours.move_story(StoryId(3), Move::Top).unwrap();
    let mine = ours
        .add(
            &StoryPatch::title("From the TUI"),
            Placement::Bottom,
            Utc::now(),
        )
        .unwrap();
    let theirs_id = cli_add(&path, "From the CLI");
    assert_eq!(mine, theirs_id, "both took the next id");

    let (merged, note) = reloaded(session.save(&ours));
    assert!(note.contains("your new S-4 is now S-5"), "{note}");
    // The TUI's story went after Story 2, last once Story 3 had moved up;
    // the CLI's after Story 3's old place, which is further down.
    let expected = [
        "Story 3",
        "Story 1",
        "Story 2",
        "From the TUI",
        "From the CLI",
    ];
    assert_eq!(titles(&merged), expected);
    assert_eq!(on_disk(&path), merged);

    // The next change saves plainly on top of the merge.
    let mut ours = merged;
    ours.move_story(StoryId(5), Move::Top).unwrap();
    assert_eq!(session.save(&ours), Outcome::Saved);
    assert_eq!(on_disk(&path), ours);
}

#[test]
fn a_true_conflict_keeps_the_file_and_writes_ours_beside_it() {
    let (dir, path) = setup(2);
    let (mut session, mut ours) = Session::open(&path).unwrap();
    ours.edit(StoryId(1), &StoryPatch::title("TUI title"), Utc::now())
        .unwrap();
    store::update(&path, |b| {
        Ok(b.edit(StoryId(1), &StoryPatch::title("CLI title"), Utc::now())?)
    })
    .unwrap();

    let (merged, note) = reloaded(session.save(&ours));
    assert_eq!(merged.get(StoryId(1)).unwrap().title, "CLI title");
    assert_eq!(on_disk(&path).get(StoryId(1)).unwrap().title, "CLI title");
    assert!(note.contains("S-1 changed in the file too"), "{note}");
    let conflict = file_beside(dir.path(), ".conflict-");
    let name = conflict.file_name().unwrap().to_string_lossy().into_owned();
    assert!(note.contains(&name), "{note}");
    let text = fs::read_to_string(conflict).unwrap();
    assert!(text.contains("TUI title"), "{text}");
}

#[test]
fn an_unreadable_file_is_never_written_and_nothing_is_lost() {
    let (dir, path) = setup(1);
    let (mut session, mut ours) = Session::open(&path).unwrap();
    ours.add(
        &StoryPatch::title("Precious"),
        Placement::Bottom,
        Utc::now(),
    )
    .unwrap();
    fs::write(&path, "{ broken").unwrap();

    match session.save(&ours) {
        Outcome::Failed(message) => {
            assert!(message.contains("line 1 column"), "{message}");
            assert!(message.contains("nothing is written"), "{message}");
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    assert_eq!(fs::read_to_string(&path).unwrap(), "{ broken");

    let error = session.save_or_recover(&ours).unwrap_err().message(1);
    assert_eq!(fs::read_to_string(&path).unwrap(), "{ broken");
    let recovery = file_beside(dir.path(), ".unsaved-");
    assert!(error.contains(&recovery.display().to_string()), "{error}");
    assert_eq!(store::load(&recovery).unwrap().backlog, ours);
}

#[test]
fn a_deleted_file_is_written_again_not_taken_as_deleting_everything() {
    let (_dir, path) = setup(2);
    let (mut session, mut ours) = Session::open(&path).unwrap();
    fs::remove_file(&path).unwrap();
    assert_eq!(session.reload_if_changed(), Outcome::Unchanged);
    ours.move_story(StoryId(2), Move::Top).unwrap();
    assert_eq!(session.save(&ours), Outcome::Saved);
    assert_eq!(on_disk(&path), ours);
}

/// Set the file's time, as a file system that keeps coarse times (or a
/// write in the same tick of its clock) would leave it.
fn set_time(path: &Path, time: std::time::SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

#[test]
fn a_save_reads_back_no_file_nobody_changed() {
    let (_dir, path) = setup(3);
    // Written long ago: its fingerprint alone says it is unchanged.
    set_time(
        &path,
        std::time::SystemTime::now() - Duration::from_secs(3600),
    );
    let (mut session, mut ours) = Session::open(&path).unwrap();
    let opened = store::Reads {
        whole: 1,
        hashed: 0,
    };
    assert_eq!(session.reads(), opened);
    ours.move_story(StoryId(3), Move::Top).unwrap();
    assert_eq!(session.save(&ours), Outcome::Saved);
    assert_eq!(session.reads(), opened, "the save read the file back");
    assert_eq!(on_disk(&path), ours);

    // Our own save was moments ago: a write could hide behind its
    // fingerprint, so the next save hashes the file, and reads it no
    // further.
    ours.move_story(StoryId(1), Move::Top).unwrap();
    assert_eq!(session.save(&ours), Outcome::Saved);
    let hashed = store::Reads {
        whole: 1,
        hashed: 1,
    };
    assert_eq!(session.reads(), hashed);
    assert_eq!(on_disk(&path), ours);
    assert_eq!(session.reload_if_changed(), Outcome::Unchanged);
    assert_eq!(session.reads().whole, 1);
}

#[test]
fn a_write_in_the_same_tick_with_the_same_size_is_still_merged_by_a_save() {
    let (_dir, path) = setup(2);
    let (mut session, mut ours) = Session::open(&path).unwrap();
    ours.move_story(StoryId(2), Move::Top).unwrap();
    // Another program rewrites the file in place (same inode) with as
    // many bytes, in the same tick of the file system's clock.
    let before = fs::metadata(&path).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("Story 1", "Story A")).unwrap();
    set_time(&path, before.modified().unwrap());
    let after = fs::metadata(&path).unwrap();
    assert_eq!(after.len(), before.len());
    assert_eq!(
        std::os::unix::fs::MetadataExt::ino(&after),
        std::os::unix::fs::MetadataExt::ino(&before)
    );

    let (merged, _) = reloaded(session.save(&ours));
    assert_eq!(titles(&merged), ["Story 2", "Story A"]);
    assert_eq!(on_disk(&path), merged);
    assert_eq!(session.reads().whole, 2, "{:?}", session.reads());
}

#[test]
fn opening_a_corrupt_file_fails_and_leaves_it() {
    let (_dir, path) = setup(0);
    fs::write(&path, "[1, 2").unwrap();
    let error = format!("{:#}", Session::open(&path).err().unwrap());
    assert!(error.contains("line 1 column 5"), "{error}");
    assert_eq!(fs::read_to_string(&path).unwrap(), "[1, 2");
}

/// Tick the link until it has nothing in flight and nothing unsaved,
/// keeping what it tells the app.
fn settle(link: &mut Link, current: &mut Backlog, clock: &HandClock) -> Vec<Action> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut told = Vec::new();
    loop {
        while let Some(action) = link.tick(current) {
            if let Action::Reloaded { backlog, .. } = &action {
                current.clone_from(backlog);
            }
            told.push(action);
        }
        if !link.is_busy() && !link.has_unsaved() {
            return told;
        }
        assert!(
            Instant::now() < deadline,
            "the link never settled: {told:?}"
        );
        pass_time(link, clock);
    }
}

#[test]
fn after_a_save_the_apps_backlog_shares_its_lists_with_no_copy() {
    let (_dir, path) = setup(3);
    let (mut link, mut ours, clock) = open(&path);
    // Nor from the start: the session and the link keep copies apart.
    assert!(!ours.shares_lists());
    ours.move_story(StoryId(3), Move::Top).unwrap();
    link.changed();
    assert!(settle(&mut link, &mut ours, &clock).is_empty());
    assert_eq!(on_disk(&path), ours);
    // The link and the saving thread keep what the file holds apart from
    // the app's backlog, so the app's next change copies no list on the
    // event loop (at a million stories, about 20 ms).
    assert!(!ours.shares_lists());
}

/// Tick until the link tells the app to show another backlog, and show
/// it: the backlog the app is given, not a copy of it.
fn take_reload(link: &mut Link, ours: &mut Backlog, clock: &HandClock) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        while let Some(action) = link.tick(ours) {
            if let Action::Reloaded { backlog, .. } = action {
                *ours = *backlog;
                return;
            }
        }
        assert!(Instant::now() < deadline, "the link never reloaded");
        pass_time(link, clock);
    }
}

#[test]
fn after_another_writers_change_is_taken_in_the_apps_backlog_shares_no_list() {
    let (_dir, path) = setup(3);
    let (mut link, mut ours, clock) = open(&path);
    // Taken in by a look, with nothing unsaved.
    cli_add(&path, "From the CLI");
    take_reload(&mut link, &mut ours, &clock);
    assert_eq!(titles(&ours).last().unwrap(), "From the CLI");
    assert!(!ours.shares_lists());
    // Taken in by a save that merged.
    ours.move_story(StoryId(3), Move::Top).unwrap();
    link.changed();
    cli_add(&path, "Again from the CLI");
    take_reload(&mut link, &mut ours, &clock);
    assert_eq!(titles(&ours)[0], "Story 3");
    assert_eq!(titles(&ours).last().unwrap(), "Again from the CLI");
    assert!(!ours.shares_lists());
    assert!(settle(&mut link, &mut ours, &clock).is_empty());
    assert_eq!(on_disk(&path), ours);
}

#[test]
fn the_link_saves_in_the_background_within_a_second() {
    let (_dir, path) = setup(2);
    let (mut link, mut ours, clock) = open(&path);
    ours.move_story(StoryId(2), Move::Top).unwrap();
    link.changed();
    // A save waits for the user to pause...
    assert!(link.tick(&ours).is_none());
    assert!(!link.is_busy(), "saved before the user paused");
    // ...but not long.
    let changed = clock.now();
    assert!(settle(&mut link, &mut ours, &clock).is_empty());
    assert!(
        clock.since(changed) <= Duration::from_secs(1),
        "{:?}",
        clock.since(changed)
    );
    assert_eq!(on_disk(&path), ours);
    link.finish(&mut ours).unwrap();
}

#[test]
fn a_user_who_never_pauses_still_has_each_change_on_disk_within_a_second() {
    let (_dir, path) = setup(3);
    let (mut link, mut ours, clock) = open(&path);
    // When each change was made, oldest first, while the file lacks it.
    let mut unsaved = std::collections::VecDeque::new();
    // A key every tenth of a second, for five seconds: never the pause a
    // save waits for.
    for _ in 0..50 {
        clock.advance(Duration::from_millis(100));
        ours.move_story(ours.at(2).unwrap().id, Move::Top).unwrap();
        link.changed();
        unsaved.push_back(clock.now());
        assert!(link.tick(&ours).is_none());
        // The saving thread's work takes no time on the link's clock.
        while link.is_busy() {
            std::thread::sleep(Duration::from_millis(1));
            assert!(link.tick(&ours).is_none());
        }
        let saved = unsaved.len() - usize::try_from(link.unsaved_changes()).unwrap();
        unsaved.drain(..saved);
        if let Some(&oldest) = unsaved.front() {
            assert!(
                clock.since(oldest) < Duration::from_secs(1),
                "a change {:?} old is not on disk yet",
                clock.since(oldest)
            );
        }
    }
    settle(&mut link, &mut ours, &clock);
    assert_eq!(on_disk(&path), ours);
    link.finish(&mut ours).unwrap();
}

#[test]
fn the_link_reloads_another_writers_change_while_idle() {
    let (_dir, path) = setup(2);
    let (mut link, mut ours, clock) = open(&path);
    cli_add(&path, "From the CLI");
    let added = clock.now();
    let told = tick_until(&mut link, &mut ours, &clock, |a| {
        matches!(a, Action::Reloaded { .. })
    });
    assert_eq!(titles(&ours), ["Story 1", "Story 2", "From the CLI"]);
    assert!(
        clock.since(added) <= Duration::from_secs(1),
        "a look for other writers once a second; this one came after {:?}: {told:?}",
        clock.since(added)
    );
    link.finish(&mut ours).unwrap();
}

#[test]
fn changes_made_while_a_save_is_in_flight_survive_a_merge() {
    let (_dir, path) = setup(3);
    let (mut link, mut ours, clock) = open(&path);
    // The TUI moves a story and, once the save is due, sends it...
    ours.move_story(StoryId(3), Move::Top).unwrap();
    link.changed();
    // ...after the CLI has added one, so the worker will have to merge.
    cli_add(&path, "From the CLI");
    clock.advance(Duration::from_secs(1));
    assert!(link.tick(&ours).is_none());
    assert!(link.is_busy(), "the save goes out");
    // Meanwhile the user keeps going.
    ours.edit(
        StoryId(1),
        &StoryPatch::title("Renamed meanwhile"),
        Utc::now(),
    )
    .unwrap();
    link.changed();
    let told = settle(&mut link, &mut ours, &clock);
    assert!(
        told.iter().any(|a| matches!(a, Action::Reloaded { .. })),
        "{told:?}"
    );
    let expected = ["Story 3", "Renamed meanwhile", "Story 2", "From the CLI"];
    assert_eq!(titles(&ours), expected);
    assert_eq!(titles(&on_disk(&path)), expected);
    link.finish(&mut ours).unwrap();
}

#[test]
fn finish_saves_what_is_unsaved_at_once() {
    let (_dir, path) = setup(1);
    let (mut link, mut ours, _) = open(&path);
    ours.add(
        &StoryPatch::title("Last word"),
        Placement::Bottom,
        Utc::now(),
    )
    .unwrap();
    link.changed();
    link.finish(&mut ours).unwrap();
    assert_eq!(on_disk(&path), ours);
}

#[test]
fn finish_with_nothing_unsaved_writes_nothing() {
    let (_dir, path) = setup(1);
    let before = fs::read(&path).unwrap();
    let modified = fs::metadata(&path).unwrap().modified().unwrap();
    let (link, mut ours, _) = open(&path);
    link.finish(&mut ours).unwrap();
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), modified);
}

#[test]
fn finish_on_an_unreadable_file_writes_a_recovery_file() {
    let (dir, path) = setup(1);
    let (mut link, mut ours, _) = open(&path);
    ours.add(
        &StoryPatch::title("Precious"),
        Placement::Bottom,
        Utc::now(),
    )
    .unwrap();
    link.changed();
    fs::write(&path, "not json").unwrap();
    let error = link.finish(&mut ours).unwrap_err().to_string();
    assert!(error.contains("line 1 column"), "{error}");
    assert!(
        error.starts_with(&format!(
            "your last change is not saved in {}",
            path.display()
        )),
        "{error}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "not json");
    let recovery = file_beside(dir.path(), ".unsaved-");
    assert!(error.contains(&recovery.display().to_string()), "{error}");
    assert_eq!(store::load(&recovery).unwrap().backlog, ours);
}

#[test]
fn a_delete_confirmed_after_a_renumbering_deletes_the_right_story() {
    use backlog::tui::app::App;
    use backlog::tui::handle_key;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    let key = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    let (_dir, path) = setup(2);
    let (mut link, backlog, clock) = open(&path);
    let mut app = App::new(backlog, "backlog.json");
    app.update(Action::Resize(100, 30));
    // The TUI adds "Mine" (S-3 here) and selects it...
    handle_key(&mut app, key('G'));
    handle_key(&mut app, key('a'));
    for c in "Mine".chars() {
        handle_key(&mut app, key(c));
    }
    handle_key(&mut app, KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    link.changed();
    // ...while the CLI takes S-3 for "Theirs".
    assert_eq!(cli_add(&path, "Theirs"), StoryId(3));
    // The user asks to delete "Mine"; the save merges and renumbers it.
    handle_key(&mut app, key('d'));
    let mut current = app.backlog.clone();
    for action in settle(&mut link, &mut current, &clock) {
        app.update(action);
    }
    assert_eq!(app.selected_story().unwrap().title, "Mine");
    handle_key(&mut app, key('y'));
    link.changed();
    let mut current = app.backlog.clone();
    settle(&mut link, &mut current, &clock);
    assert_eq!(titles(&on_disk(&path)), ["Story 1", "Story 2", "Theirs"]);
    link.finish(&mut app.backlog).unwrap();
}

#[test]
fn a_move_and_an_edit_of_the_same_story_both_survive() {
    let (_dir, path) = setup(3);
    let (mut session, mut ours) = Session::open(&path).unwrap();
    ours.move_story(StoryId(3), Move::Top).unwrap();
    store::update(&path, |b| {
        let patch = StoryPatch {
            status: Some(backlog::model::Status::InProgress),
            ..StoryPatch::default()
        };
        Ok(b.edit(StoryId(3), &patch, Utc::now())?)
    })
    .unwrap();
    let (merged, note) = reloaded(session.save(&ours));
    assert!(!note.contains("changed in the file too"), "{note}");
    assert_eq!(titles(&merged), ["Story 3", "Story 1", "Story 2"]);
    assert_eq!(
        merged.get(StoryId(3)).unwrap().status,
        backlog::model::Status::InProgress
    );
    assert_eq!(on_disk(&path), merged);
}

#[test]
fn a_story_deleted_here_but_changed_in_the_file_comes_back() {
    let (dir, path) = setup(2);
    let (mut session, mut ours) = Session::open(&path).unwrap();
    ours.remove(StoryId(1)).unwrap();
    store::update(&path, |b| {
        Ok(b.edit(StoryId(1), &StoryPatch::title("Still wanted"), Utc::now())?)
    })
    .unwrap();
    let (merged, note) = reloaded(session.save(&ours));
    assert_eq!(titles(&merged), ["Still wanted", "Story 2"]);
    assert!(
        note.starts_with("S-1 changed in the file, so it is back"),
        "{note}"
    );
    file_beside(dir.path(), ".conflict-");
}

#[test]
fn the_undo_history_is_saved_beside_the_file_and_survives_a_restart() {
    let (_dir, path) = setup(2);
    let (mut link, mut ours, clock) = open(&path);
    let mut history = backlog::model::History::default();
    let before = backlog::model::Snapshot::take(&ours, &[StoryId(2)], false);
    ours.move_story(StoryId(2), Move::Top).unwrap();
    history.record("move S-2", Utc::now(), before, &ours);
    link.changed();
    link.history_changed(history.clone());
    settle(&mut link, &mut ours, &clock);
    let kept = store::load_history(&path).unwrap();
    assert_eq!(kept.undo_len(), 1);

    // A change the history has not seen yet is written on the way out.
    let before = backlog::model::Snapshot::take(&ours, &[StoryId(1)], false);
    ours.move_story(StoryId(1), Move::Top).unwrap();
    history.record("move S-1", Utc::now(), before, &ours);
    link.changed();
    link.history_changed(history);
    link.finish(&mut ours).unwrap();

    // Restarted: the file and its history agree, so both moves undo.
    let mut reopened = on_disk(&path);
    let mut history = store::load_history(&path).unwrap();
    assert_eq!(history.undo(&mut reopened).unwrap().label, "move S-1");
    assert_eq!(history.undo(&mut reopened).unwrap().label, "move S-2");
    assert_eq!(titles(&reopened), ["Story 1", "Story 2"]);
}

/// What the loop does around `$EDITOR`: step until done, taking in what
/// the file brings.
fn sync_now(link: &mut Link, current: &mut Backlog) -> Vec<Action> {
    let mut check = true;
    let mut told = Vec::new();
    // A save, a merge's answer and a check: a handful of steps at most.
    for _ in 0..20 {
        match link.sync_step(current, &mut check, Duration::from_secs(5)) {
            Progress::Working => {}
            Progress::Told(action) => {
                if let Action::Reloaded { backlog, .. } = &action {
                    current.clone_from(backlog);
                }
                told.push(action);
            }
            Progress::Done => return told,
        }
    }
    panic!("syncing never finished: {told:?}");
}

#[test]
fn syncing_now_writes_a_pending_change_at_once() {
    let (_dir, path) = setup(2);
    let (mut link, mut ours, _) = open(&path);
    ours.move_story(StoryId(2), Move::Top).unwrap();
    link.changed();
    // Well inside the pause a save waits for.
    let told = sync_now(&mut link, &mut ours);
    assert!(told.is_empty(), "{told:?}");
    assert!(!link.has_unsaved());
    assert_eq!(titles(&on_disk(&path)), ["Story 2", "Story 1"]);
    link.finish(&mut ours).unwrap();
}

#[test]
fn syncing_now_with_a_check_in_flight_keeps_the_other_writers_change() {
    let (_dir, path) = setup(2);
    let (mut link, mut ours, clock) = open(&path);
    cli_add(&path, "Theirs");
    // Idle for a second: the link starts looking for other writers.
    clock.advance(Duration::from_secs(1));
    assert!(link.tick(&ours).is_none());
    assert!(link.is_busy(), "a look for other writers is under way");
    // The user changes something while that look is under way.
    ours.move_story(StoryId(2), Move::Top).unwrap();
    link.changed();
    sync_now(&mut link, &mut ours);
    assert_eq!(titles(&on_disk(&path)), ["Story 2", "Story 1", "Theirs"]);
    assert_eq!(titles(&ours), ["Story 2", "Story 1", "Theirs"]);
    // Nothing is left to write that would undo it on the way out.
    link.finish(&mut ours).unwrap();
    assert_eq!(titles(&on_disk(&path)), ["Story 2", "Story 1", "Theirs"]);
}

/// A worker hook that makes the first save panic.
fn panics_on_first_save() -> BeforeStep {
    let mut first = true;
    Box::new(move |step| {
        let panics = step == Step::Save && std::mem::take(&mut first);
        assert!(!panics, "a fault injected for testing");
    })
}

#[test]
fn a_save_that_panics_is_reported_as_failed_and_retried_within_a_second() {
    let (_dir, path) = setup(0);
    let (mut link, mut ours, clock) = open_with(&path, panics_on_first_save());
    ours.add(&StoryPatch::title("Kept"), Placement::Bottom, Utc::now())
        .unwrap();
    link.changed();
    let told = tick_until(&mut link, &mut ours, &clock, failed);
    let Some(Action::SyncFailed(message)) = told.last() else {
        unreachable!()
    };
    assert!(message.contains("saving failed unexpectedly"), "{message}");
    assert!(
        message.contains("a fault injected for testing"),
        "{message}"
    );
    // Nothing else changes: the retry alone saves it.
    let failed_at = clock.now();
    let told = tick_until(&mut link, &mut ours, &clock, recovered);
    assert_eq!(told, [Action::SyncRecovered(Failure::Save)]);
    assert!(
        clock.since(failed_at) <= Duration::from_secs(1),
        "retried {:?} later",
        clock.since(failed_at)
    );
    assert!(!link.has_unsaved());
    assert_eq!(titles(&on_disk(&path)), ["Kept"]);
    link.finish(&mut ours).unwrap();
}

#[test]
fn a_last_save_that_panics_still_keeps_the_backlog_in_a_recovery_file() {
    let (dir, path) = setup(0);
    let before = fs::read(&path).unwrap();
    let (mut link, mut ours, _) = open_with(&path, panics_on_first_save());
    ours.add(
        &StoryPatch::title("Precious"),
        Placement::Bottom,
        Utc::now(),
    )
    .unwrap();
    link.changed();
    let error = link.finish(&mut ours).unwrap_err().to_string();
    assert!(error.contains("saving failed unexpectedly"), "{error}");
    assert_eq!(
        fs::read(&path).unwrap(),
        before,
        "the data file is untouched"
    );
    let recovery = file_beside(dir.path(), ".unsaved-");
    assert!(error.contains(&recovery.display().to_string()), "{error}");
    assert_eq!(store::load(&recovery).unwrap().backlog, ours);
}

/// Put a plain file where the data file's directory was, so nothing can be
/// written in it (whoever runs the test, root included); returns where the
/// directory went.
fn block_directory(dir: &Path) -> PathBuf {
    let moved = dir.with_extension("moved");
    fs::rename(dir, &moved).unwrap();
    fs::write(dir, "not a directory").unwrap();
    moved
}

#[test]
fn a_last_save_the_directory_cannot_take_is_kept_in_the_temporary_directory() {
    let top = tempfile::tempdir().unwrap();
    let dir = top.path().join("data");
    let path = dir.join("backlog.json");
    fs::create_dir(&dir).unwrap();
    store::save(&path, &Backlog::new("Shop")).unwrap();
    let (mut link, mut ours, _) = open(&path);
    for title in ["One", "Two"] {
        ours.add(&StoryPatch::title(title), Placement::Bottom, Utc::now())
            .unwrap();
        link.changed();
    }
    let moved = block_directory(&dir);
    let error = link.finish(&mut ours).unwrap_err();
    assert!(!error.kept_nowhere());
    let message = error.to_string();
    assert!(
        message.starts_with(&format!(
            "your last 2 changes are not saved in {}: cannot",
            path.display()
        )),
        "{message}"
    );
    assert!(
        message.contains("Not even a recovery file could be written beside it"),
        "{message}"
    );
    assert!(message.ends_with(&format!("{} is unchanged.", path.display())));
    // The file it names, in the temporary directory, holds the backlog and
    // only its owner can read it.
    let kept = message
        .split(" is in ")
        .nth(1)
        .and_then(|rest| rest.split(" (only you can read it)").next())
        .map_or_else(|| panic!("no file named in {message}"), PathBuf::from);
    assert!(kept.starts_with(std::env::temp_dir()), "{}", kept.display());
    let loaded = store::load(&kept).unwrap().backlog;
    #[cfg(unix)]
    let mode = std::os::unix::fs::PermissionsExt::mode(&fs::metadata(&kept).unwrap().permissions());
    fs::remove_file(&kept).unwrap();
    assert_eq!(loaded, ours);
    #[cfg(unix)]
    assert_eq!(mode & 0o077, 0, "{mode:o}");
    assert_eq!(
        store::load(&moved.join("backlog.json")).unwrap().backlog,
        Backlog::new("Shop")
    );
}

#[test]
fn when_nothing_can_be_kept_the_message_says_so_and_what_is_lost() {
    let not_saved = store::NotSaved {
        file: PathBuf::from("/full/backlog.json"),
        existed: true,
        cause: "cannot write /full/.backlog-x.tmp: No space left on device".into(),
        kept: store::Kept::Nowhere {
            beside: "cannot write /full/backlog.json.unsaved-x.json: No space left on device"
                .into(),
            elsewhere: "cannot write /tmp/x: No space left on device".into(),
        },
    };
    assert_eq!(
        not_saved.message(3),
        "your last 3 changes are not saved in /full/backlog.json: cannot write \
         /full/.backlog-x.tmp: No space left on device\nNot even a recovery file could be \
         written, beside it (cannot write /full/backlog.json.unsaved-x.json: No space left on \
         device) or in the temporary directory (cannot write /tmp/x: No space left on device), \
         so they are lost.\n/full/backlog.json is unchanged."
    );
}

/// Tick the link until it tells the app something `wanted` picks (within
/// ten seconds), keeping what it tells the app.
fn tick_until(
    link: &mut Link,
    current: &mut Backlog,
    clock: &HandClock,
    wanted: impl Fn(&Action) -> bool,
) -> Vec<Action> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut told = Vec::new();
    while Instant::now() < deadline {
        while let Some(action) = link.tick(current) {
            if let Action::Reloaded { backlog, .. } = &action {
                current.clone_from(backlog);
            }
            let done = wanted(&action);
            told.push(action);
            if done {
                return told;
            }
        }
        pass_time(link, clock);
    }
    panic!("never told what was wanted; told {told:?}");
}

fn failed(action: &Action) -> bool {
    matches!(action, Action::SyncFailed(_))
}

fn recovered(action: &Action) -> bool {
    matches!(action, Action::SyncRecovered(_))
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_save_after_the_file_reads_again_puts_a_failed_read_away() {
    let (_dir, path) = setup(1);
    let good = fs::read(&path).unwrap();
    let (mut link, mut ours, clock) = open(&path);
    // A look for other writers finds the file broken.
    fs::write(&path, "{ broken").unwrap();
    let told = tick_until(&mut link, &mut ours, &clock, failed);
    let Some(Action::SyncFailed(message)) = told.last() else {
        unreachable!()
    };
    assert!(message.contains("nothing is written"), "{message}");
    // The user puts it back and adds a story: it is saved, and the bar
    // must not go on saying nothing is.
    fs::write(&path, &good).unwrap();
    ours.add(&StoryPatch::title("Added"), Placement::Bottom, Utc::now())
        .unwrap();
    link.changed();
    let told = tick_until(&mut link, &mut ours, &clock, recovered);
    assert!(!told.iter().any(failed), "{told:?}");
    settle(&mut link, &mut ours, &clock);
    assert_eq!(titles(&on_disk(&path)), ["Story 1", "Added"]);
    link.finish(&mut ours).unwrap();
}

#[test]
fn a_file_still_broken_is_reported_at_each_look_not_taken_as_unchanged() {
    let (_dir, path) = setup(1);
    let (mut session, _) = Session::open(&path).unwrap();
    fs::write(&path, "{ broken").unwrap();
    for _ in 0..2 {
        match session.reload_if_changed() {
            Outcome::Failed(message) => assert!(message.contains("line 1 column"), "{message}"),
            other => panic!("expected a failure, got {other:?}"),
        }
    }
}

#[cfg(unix)]
#[test]
fn a_retry_that_has_to_merge_puts_the_failed_save_away() {
    let (_dir, path) = setup(1);
    let (mut link, mut ours, clock) = open(&path);
    set_mode(&path, 0o444);
    ours.add(&StoryPatch::title("Ours"), Placement::Bottom, Utc::now())
        .unwrap();
    link.changed();
    let told = tick_until(&mut link, &mut ours, &clock, failed);
    let Some(Action::SyncFailed(message)) = told.last() else {
        unreachable!()
    };
    assert!(message.contains("is read-only"), "{message}");
    // Writable again, and another program writes meanwhile: the retry
    // merges, and the file holds both.
    set_mode(&path, 0o644);
    cli_add(&path, "Theirs");
    let mut told = tick_until(&mut link, &mut ours, &clock, recovered);
    told.extend(settle(&mut link, &mut ours, &clock));
    assert!(!told.iter().any(failed), "{told:?}");
    assert!(
        told.iter().any(|a| matches!(a, Action::Reloaded { .. })),
        "{told:?}"
    );
    let mut kept = titles(&on_disk(&path));
    assert_eq!(titles(&ours), kept);
    kept.sort();
    assert_eq!(kept, ["Ours", "Story 1", "Theirs"]);
    link.finish(&mut ours).unwrap();
}

/// A move of story `id` to the top, recorded in `history`.
fn move_to_top(ours: &mut Backlog, history: &mut backlog::model::History, id: StoryId) {
    let before = backlog::model::Snapshot::take(ours, &[id], false);
    ours.move_story(id, Move::Top).unwrap();
    history.record(format!("move {id}"), Utc::now(), before, ours);
}

#[test]
fn the_next_history_written_puts_a_failed_history_away() {
    let (_dir, path) = setup(2);
    let (mut link, mut ours, clock) = open(&path);
    let in_the_way = store::history_path(&path);
    fs::create_dir(&in_the_way).unwrap();
    let mut history = backlog::model::History::default();
    move_to_top(&mut ours, &mut history, StoryId(2));
    link.changed();
    link.history_changed(history.clone());
    let told = tick_until(&mut link, &mut ours, &clock, failed);
    let Some(Action::SyncFailed(message)) = told.last() else {
        unreachable!()
    };
    assert!(message.contains("undo history"), "{message}");
    fs::remove_dir(&in_the_way).unwrap();
    move_to_top(&mut ours, &mut history, StoryId(1));
    link.changed();
    link.history_changed(history);
    let told = tick_until(&mut link, &mut ours, &clock, recovered);
    assert!(!told.iter().any(failed), "{told:?}");
    assert_eq!(store::load_history(&path).unwrap().undo_len(), 2);
    link.finish(&mut ours).unwrap();
}

#[cfg(unix)]
#[test]
fn a_save_that_fails_writes_no_undo_history_until_one_works() {
    let (_dir, path) = setup(2);
    let (mut link, mut ours, clock) = open(&path);
    set_mode(&path, 0o444);
    let mut history = backlog::model::History::default();
    move_to_top(&mut ours, &mut history, StoryId(2));
    link.changed();
    link.history_changed(history);
    tick_until(&mut link, &mut ours, &clock, failed);
    // The history would undo a change the file never got.
    assert!(!store::history_path(&path).exists());
    set_mode(&path, 0o644);
    tick_until(&mut link, &mut ours, &clock, recovered);
    link.finish(&mut ours).unwrap();
    // Restarted, the change undoes.
    let mut reopened = on_disk(&path);
    let mut history = store::load_history(&path).unwrap();
    assert_eq!(history.undo(&mut reopened).unwrap().label, "move S-2");
    assert_eq!(titles(&reopened), ["Story 1", "Story 2"]);
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_said_so_from_the_start_until_it_is_writable() {
    let (_dir, path) = setup(1);
    set_mode(&path, 0o444);
    let (mut link, mut ours, clock) = open(&path);
    assert!(link.is_read_only());
    set_mode(&path, 0o644);
    let told = tick_until(&mut link, &mut ours, &clock, |a| {
        *a == Action::FileReadOnly(false)
    });
    assert!(!link.is_read_only(), "{told:?}");
    link.finish(&mut ours).unwrap();
}

#[test]
fn a_last_save_of_a_file_that_never_was_says_it_was_not_created() {
    let top = tempfile::tempdir().unwrap();
    let dir = top.path().join("data");
    let path = dir.join("backlog.json");
    fs::create_dir(&dir).unwrap();
    let (mut link, mut ours, _) = open(&path);
    ours.add(&StoryPatch::title("First"), Placement::Bottom, Utc::now())
        .unwrap();
    link.changed();
    block_directory(&dir);
    let message = link.finish(&mut ours).unwrap_err().to_string();
    let kept = message
        .split(" is in ")
        .nth(1)
        .and_then(|rest| rest.split(" (only you can read it)").next())
        .map_or_else(|| panic!("no file named in {message}"), PathBuf::from);
    fs::remove_file(&kept).unwrap();
    assert!(
        message.ends_with(&format!("{} was not created.", path.display())),
        "{message}"
    );
}

#[test]
fn a_message_about_a_file_that_never_was_says_it_was_not_created() {
    let not_saved = store::NotSaved {
        file: PathBuf::from("/new/backlog.json"),
        existed: false,
        cause: "cannot write in /new: No space left on device".into(),
        kept: store::Kept::Beside(PathBuf::from("/new/backlog.json.unsaved-x.json")),
    };
    let message = not_saved.message(1);
    assert!(
        message.ends_with("\n/new/backlog.json was not created."),
        "{message}"
    );
}

#[test]
fn a_look_at_the_file_that_panics_is_a_failed_read_not_a_failed_save() {
    let (_dir, path) = setup(1);
    let mut first = true;
    let hook: BeforeStep = Box::new(move |step| {
        let panics = step == Step::Check && std::mem::take(&mut first);
        assert!(!panics, "a fault injected for testing");
    });
    let (mut link, mut ours, clock) = open_with(&path, hook);
    let told = tick_until(&mut link, &mut ours, &clock, failed);
    let Some(Action::SyncFailed(message)) = told.last() else {
        unreachable!()
    };
    assert!(
        message.starts_with("reading the file failed unexpectedly (a fault injected for testing"),
        "{message}"
    );
    // The next look reads it.
    tick_until(&mut link, &mut ours, &clock, recovered);
    link.finish(&mut ours).unwrap();
}

#[test]
fn the_make_room_warning_says_what_to_do_first_and_what_q_now_loses() {
    let last = LastSave::NotSaved {
        not_saved: store::NotSaved {
            file: PathBuf::from("/full/backlog.json"),
            existed: true,
            cause: "cannot write /full/.backlog-x.tmp: No space left on device".into(),
            kept: store::Kept::Nowhere {
                beside: "cannot write /full/backlog.json.unsaved-x.json".into(),
                elsewhere: "cannot write /tmp/x".into(),
            },
        },
        changes: 1,
    };
    assert_eq!(
        last.make_room("q", Some(4)),
        "nothing saved anywhere: make room, then q · q now loses your last 4 changes · \
         cannot write /full/.backlog-x.tmp: No space left on device"
    );
    assert!(
        last.make_room("q", Some(1))
            .contains(" · q now loses your last change · ")
    );
    // Named as the keymap has it.
    assert!(
        last.make_room("Ctrl-Q", Some(1))
            .starts_with("nothing saved anywhere: make room, then Ctrl-Q · Ctrl-Q now loses")
    );
    assert_eq!(
        last.make_room("q", None),
        "nothing saved anywhere: make room, then q · cannot write /full/.backlog-x.tmp: No \
         space left on device"
    );
}

/// What another program does to the file (git checkout, a sync client,
/// an editor saving): a new file put in its place by a rename, with the
/// mode it had.
#[cfg(unix)]
fn rewrite_in_place(path: &Path, change: impl FnOnce(&mut Backlog)) {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(path).unwrap().permissions().mode();
    let mut theirs = on_disk(path);
    change(&mut theirs);
    let new = path.with_extension("new");
    store::save(&new, &theirs).unwrap();
    fs::rename(&new, path).unwrap();
    set_mode(path, mode);
}

fn retitle(backlog: &mut Backlog, id: u64, title: &str) {
    backlog
        .edit(StoryId(id), &StoryPatch::title(title), Utc::now())
        .unwrap();
}

/// A read-only file of two stories, and a link that has failed to save
/// "Ours" as the second's title.
#[cfg(unix)]
fn a_refused_retitle() -> (TempDir, PathBuf, Link, Backlog) {
    let (dir, path) = setup(2);
    set_mode(&path, 0o444);
    let (mut link, mut ours, clock) = open(&path);
    retitle(&mut ours, 2, "Ours");
    link.changed();
    tick_until(&mut link, &mut ours, &clock, failed);
    (dir, path, link, ours)
}

#[cfg(unix)]
#[test]
fn a_change_a_read_only_file_refused_outlives_another_programs_rewrite() {
    let (dir, path, mut link, mut ours) = a_refused_retitle();
    rewrite_in_place(&path, |theirs| retitle(theirs, 1, "Theirs"));
    // Around `$EDITOR`: save what is unsaved and look at the file.
    sync_now(&mut link, &mut ours);
    assert_eq!(ours.get(StoryId(2)).unwrap().title, "Ours");
    assert!(link.has_unsaved());
    let error = link.finish(&mut ours).unwrap_err().to_string();
    assert!(error.contains("is read-only"), "{error}");
    let recovery = file_beside(dir.path(), ".unsaved-");
    assert!(error.contains(&recovery.display().to_string()), "{error}");
    let kept = store::load(&recovery).unwrap().backlog;
    assert_eq!(kept.get(StoryId(2)).unwrap().title, "Ours");
}

#[cfg(unix)]
#[test]
fn syncing_now_retries_a_failed_save_at_once_and_it_takes_in_the_file() {
    let (_dir, path, mut link, mut ours) = a_refused_retitle();
    // Writable again, and rewritten by another program, before the retry
    // a second later.
    set_mode(&path, 0o644);
    rewrite_in_place(&path, |theirs| retitle(theirs, 1, "Theirs"));
    sync_now(&mut link, &mut ours);
    assert!(!link.has_unsaved());
    assert_eq!(titles(&on_disk(&path)), ["Theirs", "Ours"]);
    assert_eq!(titles(&ours), ["Theirs", "Ours"]);
    link.finish(&mut ours).unwrap();
}

#[test]
fn a_look_that_panics_after_reading_the_file_reads_it_again_at_the_next() {
    let (_dir, path) = setup(1);
    let mut first = true;
    let hook: BeforeStep = Box::new(move |step| {
        let panics = step == Step::TakeIn && std::mem::take(&mut first);
        assert!(!panics, "a fault injected for testing");
    });
    let (mut link, mut ours, clock) = open_with(&path, hook);
    cli_add(&path, "From the CLI");
    let told = tick_until(&mut link, &mut ours, &clock, failed);
    let Some(Action::SyncFailed(message)) = told.last() else {
        unreachable!()
    };
    assert!(
        message.contains("a fault injected for testing"),
        "{message}"
    );
    // The next look reads the file, and its story comes in.
    tick_until(&mut link, &mut ours, &clock, |a| {
        matches!(a, Action::Reloaded { .. })
    });
    assert_eq!(titles(&ours), ["Story 1", "From the CLI"]);
    link.finish(&mut ours).unwrap();
}

/// Tick the link, telling the app all it is told, until `done` holds of
/// the app (within ten seconds).
fn tell_app_until(
    link: &mut Link,
    app: &mut backlog::tui::app::App,
    clock: &HandClock,
    done: impl Fn(&backlog::tui::app::App) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        while let Some(action) = link.tick(&app.backlog) {
            app.update(action);
            if done(app) {
                return;
            }
        }
        pass_time(link, clock);
    }
    panic!("never came; the app says {:?}", app.notice);
}

#[test]
fn the_end_of_a_failed_read_says_the_file_reads_again_not_that_it_saved() {
    let (_dir, path) = setup(1);
    let good = fs::read(&path).unwrap();
    let (mut link, ours, clock) = open(&path);
    let mut app = backlog::tui::app::App::new(ours, "backlog.json");
    fs::write(&path, "{ broken").unwrap();
    tell_app_until(&mut link, &mut app, &clock, |app| app.save_error.is_some());
    // Put back as it was: nothing was changed, so nothing is saved.
    fs::write(&path, &good).unwrap();
    tell_app_until(&mut link, &mut app, &clock, |app| app.save_error.is_none());
    assert_eq!(notice(&app), "The file reads again");
    assert_eq!(fs::read(&path).unwrap(), good);
    link.finish(&mut app.backlog).unwrap();
}

#[test]
fn the_end_of_a_failed_undo_history_says_it_is_written_again() {
    let (_dir, path) = setup(2);
    let (mut link, ours, clock) = open(&path);
    let mut app = backlog::tui::app::App::new(ours, "backlog.json");
    let in_the_way = store::history_path(&path);
    fs::create_dir(&in_the_way).unwrap();
    let mut history = backlog::model::History::default();
    move_to_top(&mut app.backlog, &mut history, StoryId(2));
    link.changed();
    link.history_changed(history.clone());
    tell_app_until(&mut link, &mut app, &clock, |app| app.save_error.is_some());
    fs::remove_dir(&in_the_way).unwrap();
    move_to_top(&mut app.backlog, &mut history, StoryId(1));
    link.changed();
    link.history_changed(history);
    tell_app_until(&mut link, &mut app, &clock, |app| app.save_error.is_none());
    assert_eq!(notice(&app), "The undo history is written again");
    link.finish(&mut app.backlog).unwrap();
}

#[test]
fn a_failed_undo_history_is_written_again_within_a_second_of_its_cause_going() {
    let (_dir, path) = setup(2);
    let (mut link, mut ours, clock) = open(&path);
    let in_the_way = store::history_path(&path);
    fs::create_dir(&in_the_way).unwrap();
    let mut history = backlog::model::History::default();
    move_to_top(&mut ours, &mut history, StoryId(2));
    link.changed();
    link.history_changed(history);
    tick_until(&mut link, &mut ours, &clock, failed);
    assert_eq!(titles(&on_disk(&path)), ["Story 2", "Story 1"]);
    // The user clears the way and changes nothing more.
    fs::remove_dir(&in_the_way).unwrap();
    let cleared = clock.now();
    let told = tick_until(&mut link, &mut ours, &clock, recovered);
    assert!(!told.iter().any(failed), "{told:?}");
    assert!(
        clock.since(cleared) <= Duration::from_secs(1),
        "written again {:?} later: {told:?}",
        clock.since(cleared)
    );
    assert_eq!(store::load_history(&path).unwrap().undo_len(), 1);
    link.finish(&mut ours).unwrap();
}

/// Run git in `repo`, reading no config but the repository's own.
fn git(repo: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .env("HOME", repo)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A repository holding the data file of `setup(2)`, committed as it is
/// and again with story 1's title `renamed` (a second revision).
fn repository(renamed: &str) -> (TempDir, PathBuf) {
    let (dir, path) = setup(2);
    git(dir.path(), &["init", "--quiet", "--initial-branch=main"]);
    git(dir.path(), &["config", "user.name", "Ann"]);
    git(dir.path(), &["config", "user.email", "ann@example.com"]);
    git(dir.path(), &["add", "backlog.json"]);
    git(dir.path(), &["commit", "--quiet", "-m", "Two stories"]);
    store::update(&path, |b| {
        Ok(b.edit(StoryId(1), &StoryPatch::title(renamed), Utc::now())?)
    })
    .unwrap();
    git(dir.path(), &["commit", "--quiet", "-am", "Renamed"]);
    (dir, path)
}

#[test]
fn a_git_checkout_that_rewrites_the_file_is_read_in_as_another_writers_change() {
    let (dir, path) = repository("Story one, renamed");
    let (mut link, mut ours, clock) = open(&path);
    git(
        dir.path(),
        &["checkout", "--quiet", "HEAD~1", "--", "backlog.json"],
    );
    tick_until(&mut link, &mut ours, &clock, |a| {
        matches!(a, Action::Reloaded { .. })
    });
    assert_eq!(titles(&ours), ["Story 1", "Story 2"]);

    // A change of ours not yet saved is merged with what git wrote.
    ours.move_story(StoryId(2), Move::Top).unwrap();
    link.changed();
    git(
        dir.path(),
        &["checkout", "--quiet", "HEAD", "--", "backlog.json"],
    );
    settle(&mut link, &mut ours, &clock);
    let expected = ["Story 2", "Story one, renamed"];
    assert_eq!(titles(&ours), expected);
    assert_eq!(titles(&on_disk(&path)), expected);
    link.finish(&mut ours).unwrap();
}

#[test]
fn a_git_checkout_the_file_times_cannot_tell_apart_is_still_read_in() {
    // Two revisions of the same length. Git writes the other one in a
    // new file, which the file system often gives the old one's inode
    // (ext4 does); a file system that keeps times to the second, or a
    // checkout in the same tick of its clock, gives it the same time.
    // Nothing the link can see cheaply tells the files apart then. Each
    // round goes back to the other revision, its time set to the file's
    // before, as such a file system would leave it.
    let (dir, path) = repository("Story 9");
    let (mut link, mut ours, clock) = open(&path);
    for round in 0..10 {
        let (revision, first) = if round % 2 == 0 {
            ("HEAD~1", "Story 1")
        } else {
            ("HEAD", "Story 9")
        };
        let before = fs::metadata(&path).unwrap();
        git(
            dir.path(),
            &["checkout", "--quiet", revision, "--", "backlog.json"],
        );
        fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(before.modified().unwrap())
            .unwrap();
        assert_eq!(fs::metadata(&path).unwrap().len(), before.len());
        tick_until(&mut link, &mut ours, &clock, |a| {
            matches!(a, Action::Reloaded { .. })
        });
        assert_eq!(titles(&ours), [first, "Story 2"], "round {round}");
    }
    link.finish(&mut ours).unwrap();
}

/// The TUI reads the file on a thread of its own and starts its link
/// once the backlog is there: a story another program added meanwhile,
/// after the read, is taken in at the link's first look, as the file's
/// fingerprint was taken before the read.
#[test]
fn a_story_added_while_the_tui_was_loading_is_taken_in_at_the_first_look() {
    let (_dir, path) = setup(2);
    let loader = backlog::tui::loading::Loader::start(&path);
    let (session, mut ours) = loader.wait().unwrap();
    cli_add(&path, "From the CLI");
    let clock = HandClock::new();
    let mut link = Link::start(session, clock.for_link()).unwrap();
    tick_until(&mut link, &mut ours, &clock, |a| {
        matches!(a, Action::Reloaded { .. })
    });
    assert_eq!(titles(&ours), ["Story 1", "Story 2", "From the CLI"]);
    // Nothing was written by the TUI: the file is the CLI's.
    assert_eq!(on_disk(&path), ours);
    link.finish(&mut ours).unwrap();
}
