//! Dependencies in the TUI: the story pane's "Blocked by" and "Blocks",
//! the table's marks on a blocked story and on one ranked above its
//! blocker, and the story form's "Blocked by" field.

mod common;

use backlog::cli::demo_backlog;
use backlog::model::{Backlog, StoryId, StoryPatch};
use backlog::tui::app::App;
use backlog::tui::screens::form::{Field, StoryForm, fields};
use common::{app, fixed_clock, press, screen, scrolled_through, squeezed, typed};

fn block(backlog: &mut Backlog, id: u64, by: &[u64]) {
    let patch = StoryPatch {
        blocked_by: Some(by.iter().copied().map(StoryId).collect()),
        ..StoryPatch::default()
    };
    backlog.edit(StoryId(id), &patch, fixed_clock()).unwrap();
}

/// The demo backlog with links: S-9 (6th) blocked by S-8 (4th, in
/// progress) and S-2 (done); S-10 (7th) by S-9; S-14 (9th) by S-7
/// (14th, a draft below it); S-13 only by S-3, which is done.
fn linked_demo() -> Backlog {
    let mut backlog = demo_backlog();
    block(&mut backlog, 9, &[8, 2]);
    block(&mut backlog, 10, &[9]);
    block(&mut backlog, 14, &[7]);
    block(&mut backlog, 13, &[3]);
    backlog
}

/// The table's row of story `id`, as drawn, without the story pane.
fn row_of(app: &App, id: u64) -> String {
    let id = format!(" S-{id} ");
    let width = usize::from(app.areas().unwrap().backlog.width);
    screen(app)
        .lines()
        .map(|line| {
            line.trim_matches('"')
                .chars()
                .take(width)
                .collect::<String>()
        })
        .find(|line| line.contains(&id))
        .unwrap_or_else(|| panic!("no row of{id}"))
}

#[test]
fn the_story_pane_shows_what_the_story_is_blocked_by_and_blocks() {
    let mut app = app(linked_demo(), 100, 30);
    press(&mut app, &["j", "j", "j", "j", "j"]);
    assert_eq!(app.selected_story().unwrap().id, StoryId(9));
    // Lines wrap in the pane: read without the spaces and borders.
    let pane = |app: &App| {
        let areas = app.areas().unwrap();
        let x = usize::from(areas.story.x);
        let text: String = screen(app)
            .lines()
            .map(|line| line.trim_matches('"').chars().skip(x).collect::<String>())
            .collect();
        squeezed(&text.replace(['│', '┃'], ""))
    };
    let text = pane(&app);
    assert!(
        text.contains("BlockedbyS-8Logapieceintothebisquequeue·in-progress"),
        "{text}"
    );
    assert!(
        text.contains("BlockedbyS-2Setuptheweeklyopen-studiotimetable·done"),
        "a done blocker reads as done: {text}"
    );
    assert!(text.contains("BlocksS-10Notifymembers"), "{text}");
    // The links follow the selection, and a change to the backlog.
    press(&mut app, &["j"]);
    let text = pane(&app);
    assert!(
        text.contains("BlockedbyS-9Markakilnloadasfired·ready"),
        "{text}"
    );
    assert!(!text.contains("Blocks"), "{text}");
    press(&mut app, &["k", "s"]);
    assert!(pane(&app).contains("S-10"), "still S-9's links");
    press(&mut app, &["j"]);
    let text = pane(&app);
    assert!(
        text.contains("BlockedbyS-9Markakilnloadasfired·in-progress"),
        "{text}"
    );
}

#[test]
fn the_table_marks_a_blocked_story_and_flags_one_ranked_above_its_blocker() {
    let app = app(linked_demo(), 100, 30);
    // Blocked by an open story: ⧗.
    assert!(
        row_of(&app, 9).contains("⧗ Mark a kiln load"),
        "{}",
        row_of(&app, 9)
    );
    assert!(row_of(&app, 10).contains("⧗ Notify members"));
    // Ranked above its blocker: ⚑, not ⧗.
    assert!(row_of(&app, 14).contains("⚑ Limit bookings"));
    // Blocked only by a story done: no mark.
    assert!(
        row_of(&app, 13).contains("✓ See my past"),
        "{}",
        row_of(&app, 13)
    );
    // The help says what both mean.
    let mut app = app;
    press(&mut app, &["?"]);
    let help = squeezed(&scrolled_through(&mut app, 80));
    assert!(
        help.contains("⧗beforeatitle:blockedbyastorystillopen"),
        "{help}"
    );
    assert!(
        help.contains("⚑rankedaboveastoryitisblockedby,stillopen"),
        "{help}"
    );
}

#[test]
fn the_story_form_links_a_story_and_refuses_a_loop_keeping_what_was_typed() {
    let mut backlog = demo_backlog();
    block(&mut backlog, 4, &[13]);
    let mut app = app(backlog, 100, 30);
    // S-13 is the 16th story.
    for _ in 0..15 {
        press(&mut app, &["j"]);
    }
    assert_eq!(app.selected_story().unwrap().id, StoryId(13));
    press(&mut app, &["Enter"]);
    let story = app.selected_story().unwrap().clone();
    let row = fields(&story)
        .iter()
        .position(|f| *f == Field::BlockedBy)
        .unwrap();
    app.screen_mut::<StoryForm>().unwrap().row = row;
    assert!(screen(&app).contains("Blocked by"));

    press(&mut app, &["Enter"]);
    typed(&mut app, "S-3 12");
    press(&mut app, &["Enter"]);
    let blockers = |app: &App| app.backlog.get(StoryId(13)).unwrap().blocked_by.clone();
    assert_eq!(blockers(&app), [StoryId(3), StoryId(12)]);
    assert!(screen(&app).contains("S-12 Sell a bag of clay"));

    // A loop: S-4 is blocked by S-13 already.
    press(&mut app, &["Enter"]);
    typed(&mut app, ", S-4");
    press(&mut app, &["Enter"]);
    let notice = app.notice.clone().unwrap();
    assert!(notice.is_error());
    assert_eq!(
        notice.text,
        "that would make a loop of stories each blocked by the next: S-13 → S-4 → S-13"
    );
    let form = app.screen::<StoryForm>().unwrap();
    let typing = form.typing.as_ref().expect("still typing");
    assert_eq!(typing.area.text(), "S-3, S-12, S-4");
    assert_eq!(blockers(&app), [StoryId(3), StoryId(12)]);

    // A word that is no id: said, and kept for correcting.
    typed(&mut app, "x");
    press(&mut app, &["Enter"]);
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("\"S-4x\" is not a story id"),
        "{:?}",
        app.notice
    );
    let form = app.screen::<StoryForm>().unwrap();
    assert_eq!(form.typing.as_ref().unwrap().area.text(), "S-3, S-12, S-4x");
    assert_eq!(blockers(&app), [StoryId(3), StoryId(12)]);
}

#[test]
fn snapshot_dependency_marks_at_80x24() {
    let app = app(linked_demo(), 80, 24);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_story_pane_blocked_by_and_blocks_at_80x24() {
    let mut app = app(linked_demo(), 80, 24);
    press(&mut app, &["j", "j", "j", "j", "j"]);
    insta::assert_snapshot!(screen(&app));
}
