//! Two writers: the TUI's session and a CLI command on the same file.

use std::fs;
use std::path::{Path, PathBuf};

use backlog::model::{Backlog, Move, Placement, StoryId, StoryPatch};
use backlog::store;
use backlog::tui::action::Action;
use backlog::tui::sync::Session;
use chrono::Utc;
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

fn reloaded(action: Option<Action>) -> (Backlog, String) {
    match action {
        Some(Action::Reloaded { backlog, note }) => (*backlog, note),
        other => panic!("expected a reload, got {other:?}"),
    }
}

#[test]
fn an_idle_session_picks_up_another_writers_story() {
    let (_dir, path) = setup(2);
    let (mut session, ours) = Session::open(&path).unwrap();
    assert!(
        session.reload_if_changed(&ours).is_none(),
        "nothing changed yet"
    );
    cli_add(&path, "From the CLI");
    let (theirs, note) = reloaded(session.reload_if_changed(&ours));
    assert_eq!(titles(&theirs), ["Story 1", "Story 2", "From the CLI"]);
    assert!(note.starts_with("Reloaded"), "{note}");
    assert!(session.reload_if_changed(&theirs).is_none());
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
    session.changed();
    let theirs_id = cli_add(&path, "From the CLI");
    assert_eq!(mine, theirs_id, "both took the next id");

    let (merged, note) = reloaded(session.save(&ours));
    assert!(!session.has_unsaved());
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
    assert_eq!(titles(&on_disk(&path)), expected);
    assert_eq!(on_disk(&path), merged);

    // The next change saves plainly on top of the merge.
    let mut ours = merged;
    ours.move_story(StoryId(5), Move::Top).unwrap();
    session.changed();
    assert!(session.save(&ours).is_none());
    assert_eq!(on_disk(&path), ours);
}

#[test]
fn a_true_conflict_keeps_the_file_and_writes_ours_beside_it() {
    let (dir, path) = setup(2);
    let (mut session, mut ours) = Session::open(&path).unwrap();
    ours.edit(StoryId(1), &StoryPatch::title("TUI title"), Utc::now())
        .unwrap();
    session.changed();
    store::update(&path, |b| {
        Ok(b.edit(StoryId(1), &StoryPatch::title("CLI title"), Utc::now())?)
    })
    .unwrap();

    let (merged, note) = reloaded(session.save(&ours));
    assert_eq!(merged.get(StoryId(1)).unwrap().title, "CLI title");
    assert_eq!(on_disk(&path).get(StoryId(1)).unwrap().title, "CLI title");
    assert!(note.contains("S-1 changed here and there"), "{note}");

    let conflict = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains(".conflict-"))
        .expect("a conflict file");
    assert!(note.contains(&conflict.display().to_string()), "{note}");
    let text = fs::read_to_string(conflict).unwrap();
    assert!(text.contains("TUI title"), "{text}");
}

#[test]
fn an_unreadable_file_is_never_written_and_nothing_is_lost_on_exit() {
    let (dir, path) = setup(1);
    let (mut session, mut ours) = Session::open(&path).unwrap();
    ours.add(
        &StoryPatch::title("Precious"),
        Placement::Bottom,
        Utc::now(),
    )
    .unwrap();
    session.changed();
    fs::write(&path, "{ broken").unwrap();

    match session.save(&ours) {
        Some(Action::SyncFailed(message)) => {
            assert!(message.contains("line 1 column"), "{message}");
            assert!(message.contains("not saved"), "{message}");
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    assert_eq!(fs::read_to_string(&path).unwrap(), "{ broken");
    assert!(session.has_unsaved());

    let error = format!("{:#}", session.save_on_exit(&ours).unwrap_err());
    assert!(error.contains(".unsaved-"), "{error}");
    assert_eq!(fs::read_to_string(&path).unwrap(), "{ broken");
    let recovery = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains(".unsaved-"))
        .unwrap();
    let recovered = store::load(&recovery).unwrap().backlog;
    assert_eq!(recovered, ours);
}

#[test]
fn a_deleted_file_is_written_again_not_taken_as_deleting_everything() {
    let (_dir, path) = setup(2);
    let (mut session, mut ours) = Session::open(&path).unwrap();
    fs::remove_file(&path).unwrap();
    assert!(session.reload_if_changed(&ours).is_none());
    ours.move_story(StoryId(2), Move::Top).unwrap();
    session.changed();
    assert!(session.save(&ours).is_none());
    assert_eq!(on_disk(&path), ours);
}

#[test]
fn opening_a_corrupt_file_fails_and_leaves_it() {
    let (_dir, path) = setup(0);
    fs::write(&path, "[1, 2").unwrap();
    let error = format!("{:#}", Session::open(&path).err().unwrap());
    assert!(error.contains("line 1 column 5"), "{error}");
    assert_eq!(fs::read_to_string(&path).unwrap(), "[1, 2");
}

#[test]
fn save_on_exit_with_nothing_unsaved_writes_nothing() {
    let (_dir, path) = setup(1);
    let before = fs::metadata(&path).unwrap().modified().unwrap();
    let (mut session, ours) = Session::open(&path).unwrap();
    session.save_on_exit(&ours).unwrap();
    assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), before);
}
