//! Messages that must not hide each other: a failed save and a clash
//! with another writer stay, whole or readable whole, whatever the keys
//! say; of the notices that come before the next key, the most serious
//! is shown.

mod common;

use backlog::tui::action::{Action, Failure};
use backlog::tui::app::{App, Level};
use backlog::tui::keymap::{Command, Context};
use backlog::tui::screens::messages::Messages;
use common::{app, clash, numbered, press, reload, screen, squeezed};

/// A save failed on a full disk, with a path far longer than a third of
/// an 80×24 screen holds.
fn endless_failure() -> String {
    format!(
        "cannot write {}/backlog.json: No space left on device",
        "/very/deep".repeat(200)
    )
}

/// What the link tells the app when it read in another writer's changes
/// without a clash, and they change nothing here.
fn reloaded(app: &mut App, text: &str) {
    let theirs = app.backlog.clone();
    reload(app, theirs, text, Vec::new());
}

#[test]
fn a_failed_save_cut_short_is_read_whole_with_a_key_and_stays() {
    let mut app = app(numbered(3), 80, 24);
    let failure = endless_failure();
    app.update(Action::SyncFailed(failure.clone()));
    press(&mut app, &["j"]);
    let shown = squeezed(&screen(&app));
    assert!(!shown.contains("Nospaceleft"), "cut short");
    let key = app.key(Context::Backlog, Command::ReadMessages);
    assert!(
        shown.contains(&squeezed(&format!("… ({key} shows it all)"))),
        "{shown}"
    );
    press(&mut app, &[key.as_str()]);
    assert_eq!(app.context(), Context::Messages);
    // Scrolled to its end, the box shows the rest of it.
    press(&mut app, &["G"]);
    let end = squeezed(&screen(&app));
    assert!(end.contains("backlog.json:Nospaceleft"), "{end}");
    assert!(
        end.contains("ondevice│└"),
        "the last row at the bottom: {end}"
    );
    let scrolled = app.screen::<Messages>().unwrap().scroll;
    assert!(scrolled > 0);
    // Every row of it can be reached, and no further.
    press(&mut app, &["j"]);
    assert_eq!(app.screen::<Messages>().unwrap().scroll, scrolled);
    press(&mut app, &["PgUp", "g"]);
    assert_eq!(app.screen::<Messages>().unwrap().scroll, 0);
    assert!(squeezed(&screen(&app)).contains("│Error:cannotwrite│"));
    // Closing the box leaves the message where it was, until Esc.
    press(&mut app, &["Esc"]);
    assert_eq!(app.context(), Context::Backlog);
    assert_eq!(app.save_error.as_deref(), Some(failure.as_str()));
    press(&mut app, &["Esc"]);
    assert_eq!(app.save_error, None);
    press(&mut app, &[key.as_str()]);
    assert_eq!(app.context(), Context::Backlog, "nothing to read");
}

#[test]
fn a_clash_that_comes_after_a_keys_answer_shows_at_once_beside_it() {
    let mut app = app(numbered(3), 80, 24);
    press(&mut app, &["+"]);
    clash(&mut app, "S-2 changed in the file too; yours is in x.json");
    let shown = screen(&app);
    assert!(shown.contains("S-1 estimated at 1"), "{shown}");
    assert!(
        shown.contains("Note (Esc dismisses): S-2 changed in the file too"),
        "{shown}"
    );
    // The next key's answer replaces the last, never the note.
    press(&mut app, &["j"]);
    assert!(screen(&app).contains("S-2 changed in the file too"));
}

#[test]
fn a_refusal_is_not_hidden_by_news_that_comes_before_the_next_key() {
    let mut app = app(numbered(2), 100, 30);
    // The split refused: no title.
    press(&mut app, &["x", "C-u", "Enter"]);
    let refusal = app.notice.clone().unwrap();
    assert!(refusal.is_error(), "{refusal:?}");
    // Another writer's changes come in, and a save works again: neither
    // takes the refusal's place.
    reloaded(&mut app, "Reloaded: S-2 changed elsewhere");
    app.update(Action::SyncRecovered(Failure::Save));
    assert_eq!(app.notice.as_ref(), Some(&refusal));
    assert!(screen(&app).contains("The new story needs a title"));
    // The next key's answer takes it.
    press(&mut app, &["C-g", "j"]);
    assert_eq!(app.notice, None);
    reloaded(&mut app, "Reloaded: S-2 changed elsewhere");
    assert_eq!(app.notice.as_ref().unwrap().level, Level::Info);
}

/// A git pull that brings clashes while the TUI is open says so, and how
/// to settle them, until dismissed or none is left.
#[test]
fn clashes_a_pull_brings_are_said_with_how_to_settle_them() {
    use backlog::model::Clash;
    let mut app = common::app(common::numbered(2), 100, 30);
    let mut theirs = app.backlog.clone();
    theirs
        .record_clashes(vec![Clash {
            story: Some(backlog::model::StoryId(1)),
            field: "title".into(),
            base: "Story 1".into(),
            ours: "Story one".into(),
            theirs: "First story".into(),
            ours_by: None,
            theirs_by: None,
        }])
        .unwrap();
    common::reload(&mut app, theirs, "Read in", Vec::new());
    let said: Vec<&str> = app.alerts.iter().map(|a| a.text.as_str()).collect();
    assert!(
        said.iter()
            .any(|t| t.contains("1 clash a git merge left, marked ≠")
                && t.contains("! shows them to settle each")
                && t.contains("`git add` or `backlog sync` finishes the merge")),
        "{said:?}"
    );
    // Settled elsewhere (`backlog resolve-conflict`), the message goes.
    let mut settled = app.backlog.clone();
    settled
        .settle_clash(
            Some(backlog::model::StoryId(1)),
            "title",
            backlog::model::Settle::Theirs,
            common::fixed_clock(),
        )
        .unwrap();
    common::reload(&mut app, settled, "Read in", Vec::new());
    assert!(
        !app.alerts.iter().any(|a| a.text.contains("clash")),
        "{:?}",
        app.alerts
    );
}
