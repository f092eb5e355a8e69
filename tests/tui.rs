//! The TUI without a terminal: keys go through the real keymap and update
//! path, and the screen is drawn on a `TestBackend` at fixed sizes.

mod common;

use backlog::cli::demo_backlog;
use backlog::model::{Backlog, Placement, StoryId, StoryPatch};
use backlog::tui::action::{Action, Effect, Failure};
use backlog::tui::app::App;
use backlog::tui::keymap::Context;
use backlog::tui::screens::backlog::BacklogPane;
use backlog::tui::screens::backlog::Focus;
use backlog::tui::screens::confirm::{Confirm, Question};
use backlog::tui::screens::help::{self, Help};
use backlog::tui::screens::prompt::{Prompt, Purpose};
use backlog::tui::screens::story::StoryPane;
use common::{
    app, backlog_pane, clash, fixed_clock, numbered, order, press, reload, screen,
    scrolled_through, squeezed, typed,
};

fn backlog_pane_mut(app: &mut App) -> &mut BacklogPane {
    app.screen_mut::<BacklogPane>().expect("the backlog pane")
}

/// How far the story pane shows the selected story scrolled.
fn story_scroll(app: &App) -> usize {
    let selected = app.selected_story().map(|s| s.id);
    backlog_pane(app).story.scroll_of(selected)
}

#[test]
fn selection_moves_and_stays_in_bounds() {
    let mut app = app(numbered(50), 100, 30);
    press(&mut app, &["k"]);
    assert_eq!(app.table.selected, 0);
    press(&mut app, &["j", "Down", "j"]);
    assert_eq!(app.table.selected, 3);
    press(&mut app, &["Up"]);
    assert_eq!(app.table.selected, 2);
    press(&mut app, &["G"]);
    assert_eq!(app.table.selected, 49);
    press(&mut app, &["j"]);
    assert_eq!(app.table.selected, 49);
    press(&mut app, &["g"]);
    assert_eq!(app.table.selected, 0);
    press(&mut app, &["End"]);
    assert_eq!(app.table.selected, 49);
    press(&mut app, &["Home"]);
    assert_eq!(app.table.selected, 0);
}

#[test]
fn paging_scrolls_so_the_selection_stays_visible() {
    let mut app = app(numbered(100), 100, 30);
    let rows = app.table_rows();
    assert!(rows > 5);
    press(&mut app, &["PgDn"]);
    assert_eq!(app.table.selected, rows);
    assert!(app.table.scroll <= app.table.selected && app.table.selected < app.table.scroll + rows);
    press(&mut app, &["PgDn", "PgDn", "PgUp"]);
    assert_eq!(app.table.selected, 2 * rows);
    press(&mut app, &["G"]);
    assert_eq!(app.table.scroll, 100 - rows);
    press(&mut app, &["g"]);
    assert_eq!(app.table.scroll, 0);
    // A smaller terminal still shows the selection.
    press(&mut app, &["G"]);
    app.update(Action::Resize(60, 12));
    let rows = app.table_rows();
    assert!(app.table.scroll <= 99 && 99 < app.table.scroll + rows);
}

#[test]
fn after_a_resize_the_selection_and_the_rows_above_it_fill_the_table() {
    let mut app = app(numbered(30), 80, 24);
    press(&mut app, &["j", "j", "j"]);
    app.update(Action::Resize(40, 10));
    app.update(Action::Resize(80, 24));
    assert_eq!(app.table.scroll, 0, "rows 1-3 hidden");
    assert!(screen(&app).contains("Story 1 "));
    // Deeper down, the selection ends at the bottom, the rows above it
    // showing.
    press(&mut app, &["PgDn", "PgDn", "j"]);
    let selected = app.table.selected;
    app.update(Action::Resize(40, 10));
    app.update(Action::Resize(80, 24));
    assert_eq!(app.table.selected, selected);
    assert_eq!(app.table.scroll, selected + 1 - app.table_rows());
    // So too when a message above the status bar goes, and gives its
    // lines back to the table.
    app.update(Action::SyncFailed(FULL_DISK.into()));
    press(&mut app, &["g"]);
    while app.table.scroll == 0 {
        press(&mut app, &["j"]);
    }
    assert!(
        app.table.selected < 9,
        "the table has rows for it without the message"
    );
    press(&mut app, &["Esc"]);
    assert_eq!(app.table.scroll, 0);
}

#[test]
fn moves_rerank_the_selected_story_and_ask_for_a_save() {
    let mut app = app(numbered(5), 100, 30);
    press(&mut app, &["j", "j"]);
    assert_eq!(press(&mut app, &["J"]), [Effect::Save]);
    assert_eq!(order(&app), [1, 2, 4, 3, 5]);
    assert_eq!(app.table.selected, 3, "the selection follows the story");
    press(&mut app, &["K", "K"]);
    assert_eq!(order(&app), [1, 3, 2, 4, 5]);
    press(&mut app, &["S-Down"]);
    assert_eq!(order(&app), [1, 2, 3, 4, 5]);
    press(&mut app, &["S-Up"]);
    assert_eq!(order(&app), [1, 3, 2, 4, 5]);
    press(&mut app, &["B"]);
    assert_eq!(order(&app), [1, 2, 4, 5, 3]);
    assert_eq!(app.table.selected, 4);
    press(&mut app, &["T"]);
    assert_eq!(order(&app), [3, 1, 2, 4, 5]);
    assert_eq!(app.table.selected, 0);
    // Already at the top: nothing changes, nothing to save.
    assert!(press(&mut app, &["T", "K"]).is_empty());
}

#[test]
fn adding_puts_the_story_after_the_selection() {
    let mut app = app(numbered(3), 100, 30);
    press(&mut app, &["j", "a"]);
    assert_eq!(
        app.screen::<Prompt>().map(|p| p.purpose),
        Some(Purpose::NewStory)
    );
    typed(&mut app, "Pay by cardx");
    press(&mut app, &["Backspace"]);
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    assert_eq!(app.context(), Context::Backlog);
    assert_eq!(order(&app), [1, 2, 4, 3]);
    assert_eq!(app.table.selected, 2);
    let story = app.backlog.get(StoryId(4)).unwrap();
    assert_eq!(story.title, "Pay by card");
    assert_eq!(story.created, fixed_clock());
    assert_eq!(app.notice.as_ref().unwrap().text, "Added S-4");
}

#[test]
fn letters_typed_in_the_prompt_are_text_not_commands() {
    let mut app = app(numbered(2), 100, 30);
    press(&mut app, &["a"]);
    typed(&mut app, "qdJT?");
    assert_eq!(
        app.screen::<Prompt>().map(|p| p.purpose),
        Some(Purpose::NewStory)
    );
    press(&mut app, &["Enter"]);
    assert_eq!(app.backlog.get(StoryId(3)).unwrap().title, "qdJT?");
}

#[test]
fn an_empty_title_is_refused_and_ctrl_g_cancels() {
    let mut app = app(numbered(1), 100, 30);
    press(&mut app, &["a"]);
    typed(&mut app, "   ");
    assert!(press(&mut app, &["Enter"]).is_empty());
    assert_eq!(
        app.screen::<Prompt>().map(|p| p.purpose),
        Some(Purpose::NewStory)
    );
    assert!(app.notice.as_ref().unwrap().is_error());
    typed(&mut app, "half-typed");
    assert!(press(&mut app, &["C-g"]).is_empty());
    assert_eq!(app.context(), Context::Backlog);
    assert_eq!(app.backlog.len(), 1);
}

#[test]
fn the_first_story_of_an_empty_backlog() {
    let mut app = app(Backlog::default(), 100, 30);
    press(&mut app, &["a"]);
    typed(&mut app, "First");
    press(&mut app, &["Enter"]);
    assert_eq!(order(&app), [1]);
    assert_eq!(app.table.selected, 0);
}

#[test]
fn delete_asks_first() {
    let mut app = app(numbered(3), 100, 30);
    press(&mut app, &["j", "d"]);
    assert_eq!(
        app.screen::<Confirm>().map(|c| &c.question),
        Some(&Question::Delete(StoryId(2)))
    );
    assert!(press(&mut app, &["n"]).is_empty());
    assert_eq!(app.backlog.len(), 3);
    press(&mut app, &["d"]);
    assert!(press(&mut app, &["Esc"]).is_empty());
    assert_eq!(app.backlog.len(), 3);
    press(&mut app, &["d", "j"]);
    assert_eq!(app.context(), Context::Confirm, "other keys wait");
    assert_eq!(press(&mut app, &["y"]), [Effect::Save]);
    assert_eq!(order(&app), [1, 3]);
    assert_eq!(app.table.selected, 1);
    // Deleting the last story selects the new last one.
    press(&mut app, &["d", "y"]);
    assert_eq!(order(&app), [1]);
    assert_eq!(app.table.selected, 0);
    press(&mut app, &["d", "y"]);
    assert!(app.backlog.is_empty());
    assert!(press(&mut app, &["d", "J"]).is_empty());
    assert!(app.notice.as_ref().unwrap().is_error());
}

#[test]
fn tab_switches_focus_and_keys_then_scroll_the_story() {
    let mut app = app(numbered(3), 100, 30);
    press(&mut app, &["Tab"]);
    assert_eq!(backlog_pane(&app).focus, Focus::Story);
    press(&mut app, &["j", "j"]);
    assert_eq!(app.table.selected, 0);
    assert_eq!(story_scroll(&app), 2);
    for _ in 0..50 {
        press(&mut app, &["j"]);
    }
    let story = app.selected_story().unwrap();
    let weighing = backlog::tui::screens::story::Weighing {
        framework: None,
        now: common::fixed_clock(),
    };
    let last_row = backlog::tui::screens::story::scrolled_to(
        story,
        &app.backlog.product,
        weighing,
        &backlog::tui::screens::story::Links::of(story, &app.backlog),
        app.size,
        usize::MAX,
    );
    assert!(last_row > 2 && last_row < 50);
    assert_eq!(
        story_scroll(&app),
        last_row,
        "scrolling stops at the story's end"
    );
    press(&mut app, &["Tab", "j"]);
    assert_eq!(backlog_pane(&app).focus, Focus::Backlog);
    assert_eq!(app.table.selected, 1);
    assert_eq!(story_scroll(&app), 0, "a new story starts at its top");
}

#[test]
fn help_opens_and_closes() {
    let mut app = app(numbered(3), 100, 30);
    let scroll = |app: &backlog::tui::app::App| app.screen::<Help>().map(|help| help.scroll);
    press(&mut app, &["?"]);
    assert_eq!(scroll(&app), Some(0));
    press(&mut app, &["j"]);
    assert_eq!(scroll(&app), Some(1));
    // As far as the help's last row shows at the bottom of its box, and
    // no further: a key past it would change nothing on screen.
    let limit = help::scroll_limit(&app.keymap, app.size, &app.pane_titles());
    assert!(limit > 1, "the help is longer than the screen");
    for _ in 0..limit + 10 {
        press(&mut app, &["j"]);
    }
    assert_eq!(
        scroll(&app).map(usize::from),
        Some(limit),
        "scrolling stops where the end of the help shows"
    );
    let last = help::lines(&app.keymap, false, &app.pane_titles())
        .last()
        .unwrap()
        .to_string();
    assert!(squeezed(&screen(&app)).contains(&squeezed(&last)));
    for _ in 0..limit + 10 {
        press(&mut app, &["k"]);
    }
    assert_eq!(scroll(&app), Some(0));
    assert_eq!(app.table.selected, 0, "help keys do not move the selection");
    press(&mut app, &["?"]);
    assert_eq!(app.context(), Context::Backlog);
    press(&mut app, &["?", "Esc"]);
    assert_eq!(app.context(), Context::Backlog);
}

/// The help's rows as shown, scrolled as far down as `j` takes it.
fn help_at_its_end(app: &mut backlog::tui::app::App) -> String {
    press(app, &["?"]);
    let mut shown = screen(app);
    loop {
        press(app, &["j"]);
        let next = screen(app);
        if next == shown {
            return shown;
        }
        shown = next;
    }
}

#[test]
fn at_the_end_of_the_help_each_k_scrolls_it_back_a_line() {
    for (width, height) in [(100, 30), (60, 20)] {
        let mut app = app(numbered(3), width, height);
        let end = help_at_its_end(&mut app);
        let lines = help::lines(&app.keymap, false, &app.pane_titles());
        let last = lines.last().unwrap().to_string();
        assert!(squeezed(&end).contains(&squeezed(&last)), "{end}");
        // Pressing on past the end changes nothing, and each k shows a
        // line more above.
        for _ in 0..20 {
            press(&mut app, &["j"]);
        }
        assert_eq!(screen(&app), end, "at {width}x{height}");
        let mut before = end;
        for k in 1..=20 {
            press(&mut app, &["k"]);
            let shown = screen(&app);
            assert_ne!(shown, before, "k number {k} at {width}x{height}");
            before = shown;
        }
    }
}

#[test]
fn a_help_line_too_long_for_a_narrow_screen_wraps_whole() {
    let mut app = app(numbered(3), 60, 20);
    press(&mut app, &["?"]);
    let seen = scrolled_through(&mut app, 200);
    assert!(seen.contains("as you type"), "{seen}");
}

#[test]
fn q_and_ctrl_c_quit_from_anywhere_sensible() {
    let mut app = app(numbered(1), 100, 30);
    assert_eq!(press(&mut app, &["q"]), [Effect::Quit]);
    assert_eq!(press(&mut app, &["C-c"]), [Effect::Quit]);
    press(&mut app, &["a"]);
    assert_eq!(press(&mut app, &["C-c"]), [Effect::Quit]);
}

#[test]
fn a_reload_keeps_the_selected_story() {
    let mut app = app(numbered(4), 100, 30);
    press(&mut app, &["j", "j"]);
    let mut changed = app.backlog.clone();
    changed
        .move_story(StoryId(3), backlog::model::Move::Top)
        .unwrap();
    reload(&mut app, changed, "Reloaded", Vec::new());
    assert_eq!(app.selected_story().unwrap().id, StoryId(3));
    assert_eq!(app.table.selected, 0);
    assert_eq!(app.notice.as_ref().unwrap().text, "Reloaded");
}

#[test]
fn file_alerts_stay_until_dismissed_or_resolved() {
    let mut app = app(numbered(3), 100, 30);
    clash(&mut app, "S-1 changed in the file too");
    press(&mut app, &["j", "J", "a"]);
    typed(&mut app, "New");
    press(&mut app, &["Enter"]);
    // The key's answer on the bar, the note on a line of its own.
    let shown = screen(&app);
    assert!(shown.contains("Added S-4"), "{shown}");
    assert!(
        shown.contains("Note (Esc dismisses): S-1 changed in the file too"),
        "{shown}"
    );
    press(&mut app, &["j"]);
    assert!(screen(&app).contains("Note (Esc dismisses): S-1 changed in the file too"));
    press(&mut app, &["Esc"]);
    assert!(!screen(&app).contains("changed in the file too"));

    app.update(Action::SyncFailed("cannot read backlog.json".into()));
    press(&mut app, &["k", "k"]);
    assert!(screen(&app).contains("Error (Esc dismisses): cannot read backlog.json"));
    app.update(Action::SyncRecovered(Failure::Save));
    assert!(!screen(&app).contains("cannot read"));
    assert!(screen(&app).contains("Saved again"));
}

#[test]
fn a_failed_save_stays_on_the_status_bar_until_a_save_works_or_esc() {
    let mut app = app(numbered(3), 100, 30);
    let failure = "cannot write backlog.json: No space left on device";
    app.update(Action::SyncFailed(failure.into()));
    // Each key's own message shows beside it, never instead of it: the
    // change must not look saved.
    press(&mut app, &["+"]);
    let shown = screen(&app);
    assert!(shown.contains("S-1 estimated at 1"), "{shown}");
    assert!(
        shown.contains(&format!("Error (Esc dismisses): {failure}")),
        "{shown}"
    );
    press(&mut app, &["j", "u"]);
    let shown = screen(&app);
    assert!(shown.contains("Undid estimate of S-1"), "{shown}");
    assert!(shown.contains(failure), "{shown}");
    // A save that works puts it away...
    app.update(Action::SyncRecovered(Failure::Save));
    let shown = screen(&app);
    assert!(!shown.contains(failure), "{shown}");
    assert!(shown.contains("Saved again"), "{shown}");
    // ...and so does Esc, leaving a clash with another writer for the next.
    clash(&mut app, "S-2 changed in the file too");
    app.update(Action::SyncFailed(failure.into()));
    press(&mut app, &["k"]);
    assert!(screen(&app).contains(failure));
    press(&mut app, &["Esc"]);
    let shown = screen(&app);
    assert!(!shown.contains(failure), "{shown}");
    assert!(
        shown.contains("Note (Esc dismisses): S-2 changed in the file too"),
        "{shown}"
    );

    // A failure too long for one line is shown whole, on lines of its own,
    // and the key's answer still shows.
    app.update(Action::SyncFailed(FULL_DISK.into()));
    press(&mut app, &["+"]);
    let shown = screen(&app);
    assert!(shown.contains("S-1 estimated at 1"), "{shown}");
    assert!(
        squeezed(&shown).contains(&squeezed(&format!("Error (Esc dismisses): {FULL_DISK}"))),
        "{shown}"
    );
}

/// A save failed on a full disk, as the session says it, with a long path.
const FULL_DISK: &str = "cannot write /home/annemarie.vandenberg/Documents/product-backlogs/\
    kilnhouse-studio-booking/.backlog.json.48213.Xk3p9Q.tmp: No space left on device (os error \
    28) — not saved; your changes are kept here";

#[test]
fn snapshot_a_long_failed_save_and_a_keys_answer_at_100x30() {
    let mut app = app(demo_backlog(), 100, 30);
    app.update(Action::SyncFailed(FULL_DISK.into()));
    press(&mut app, &["G", "+"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_a_long_failed_save_and_a_keys_answer_at_80x24() {
    let mut app = app(demo_backlog(), 80, 24);
    app.update(Action::SyncFailed(FULL_DISK.into()));
    press(&mut app, &["G", "+"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn a_failed_save_longer_than_its_share_of_the_screen_ends_in_how_to_dismiss_it() {
    let mut app = app(numbered(3), 80, 24);
    let endless = format!(
        "cannot write {}: No space left on device",
        "/very/deep".repeat(200)
    );
    app.update(Action::SyncFailed(endless));
    press(&mut app, &["j"]);
    let shown = screen(&app);
    let said = squeezed(&shown);
    assert!(
        said.contains("Error(Escdismisses):cannotwrite/very/deep"),
        "{shown}"
    );
    // Cut short where its share of the screen ends, and said to be,
    // with the key that shows it all.
    assert!(
        said.contains("/very/d") && said.contains("…(Mshowsitall)3stories"),
        "{shown}"
    );
    assert!(!said.contains("Nospaceleft"), "{shown}");
    assert!(app.table_rows() >= 5, "{shown}");
    // The selection stays in view as the lines come and go.
    press(&mut app, &["G"]);
    assert!(app.table.selected < app.table.scroll + app.table_rows());
}

/// A clash with another writer, as the link words it: the conflict
/// file's whole name is the news.
const CONFLICT: &str = "S-4, S-7 changed in the file too: the file's version stays; yours is \
    in backlog.json.conflict-20261129T203014.512Z.json";

/// The screen's rows between the panes and the status bar: the lines of
/// the failed save and the alerts.
fn lasting_lines(shown: &str) -> Vec<&str> {
    let rows: Vec<&str> = shown.lines().collect();
    let bottom = rows.len() - 2;
    let top = rows[..bottom]
        .iter()
        .rposition(|row| row.contains('┘') || row.contains('┛'))
        .unwrap();
    rows[top + 1..bottom].to_vec()
}

#[test]
fn a_conflict_note_shows_whole_on_lines_of_its_own_beside_each_keys_answer() {
    let mut app = app(numbered(3), 80, 24);
    clash(&mut app, CONFLICT);
    press(&mut app, &["+"]);
    let shown = screen(&app);
    assert!(shown.contains("S-1 estimated at 1"), "{shown}");
    assert!(squeezed(&shown).contains(&squeezed(CONFLICT)), "{shown}");
    press(&mut app, &["j", "k"]);
    assert!(squeezed(&screen(&app)).contains(&squeezed(CONFLICT)));
}

#[test]
fn alerts_raised_one_after_another_are_each_kept_until_dismissed() {
    let mut app = app(numbered(3), 100, 30);
    clash(
        &mut app,
        "S-1 changed in the file too; yours is in first.json",
    );
    clash(
        &mut app,
        "S-2 changed in the file too; yours is in second.json",
    );
    let shown = screen(&app);
    assert!(shown.contains("first.json"), "{shown}");
    assert!(shown.contains("second.json"), "{shown}");
    // The oldest goes first.
    press(&mut app, &["Esc"]);
    let shown = screen(&app);
    assert!(!shown.contains("first.json"), "{shown}");
    assert!(shown.contains("second.json"), "{shown}");
    press(&mut app, &["Esc"]);
    assert!(!screen(&app).contains("changed in the file"));
}

#[test]
fn a_failed_save_and_an_alert_share_a_third_of_the_screen_the_failed_save_first() {
    let mut app = app(numbered(30), 80, 24);
    app.update(Action::SyncFailed(FULL_DISK.into()));
    clash(&mut app, &CONFLICT.repeat(4));
    press(&mut app, &["G"]);
    let shown = screen(&app);
    let lines = lasting_lines(&shown);
    assert!(lines.len() <= 8, "{shown}");
    assert!(
        lines[0].contains("Error (Esc dismisses): cannot write"),
        "{shown}"
    );
    let said = squeezed(&lines.join(""));
    assert!(said.contains(&squeezed(FULL_DISK)), "{shown}");
    let note = said.find("Note:S-4,S-7changedinthefiletoo").unwrap();
    assert!(note > said.find("Nospaceleft").unwrap(), "{shown}");
    assert!(said.ends_with("…(Mshowsitall)"), "{shown}");
    // The selection stays in view, and Esc puts the failed save away
    // first: the note then has the lines.
    assert!(app.table.selected < app.table.scroll + app.table_rows());
    press(&mut app, &["Esc"]);
    let shown = screen(&app);
    assert!(!shown.contains("No space left"), "{shown}");
    assert!(lasting_lines(&shown)[0].starts_with("\"Note (Esc dismisses): S-4"));
}

#[test]
fn a_clash_naming_every_story_of_a_large_backlog_shows_its_start_and_keys_go_on() {
    // About 800,000 characters: what a key costs with it is counted in
    // the lasting messages' own tests, where its lines are measured only
    // as far as they can show.
    let ids: Vec<String> = (1..=100_000).map(|n| format!("S-{n}")).collect();
    let mut app = app(numbered(200), 100, 30);
    clash(
        &mut app,
        &format!("{} changed in the file too", ids.join(", ")),
    );
    press(&mut app, &["j", "j"]);
    assert_eq!(app.table.selected, 2);
    let shown = squeezed(&screen(&app));
    assert!(shown.contains("Note(Escdismisses):S-1,S-2,S-3"), "{shown}");
    assert!(shown.contains("showsitall"), "{shown}");
}

#[test]
fn snapshot_a_long_fold_note_and_a_keys_answer_at_80x24() {
    let mut app = app(demo_backlog(), 80, 24);
    app.raise(FOLDED, false);
    press(&mut app, &["G", "+"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_a_long_fold_note_and_a_keys_answer_at_100x30() {
    let mut app = app(demo_backlog(), 100, 30);
    app.raise(FOLDED, false);
    press(&mut app, &["G", "+"]);
    insta::assert_snapshot!(screen(&app));
}

/// What reading a file an older build wrote folds together, as the model
/// words it.
const FOLDED: &str = "epics \"Billing\" and \"billing\" differ only by case, so they are one \
    epic now, \"Billing\" (\"billing\": its 3 stories join \"Billing\"); epics \"Kiln queue\" \
    and \"kiln Queue\" differ only by case, so they are one epic now, \"Kiln queue\" \
    (\"kiln Queue\": its story joins \"Kiln queue\"); labels \"#ux\" and \"UX\" are one \
    label now, \"ux\" (4 stories)";

#[test]
fn snapshot_a_failed_save_and_a_conflict_note_at_80x24() {
    let mut app = app(demo_backlog(), 80, 24);
    app.update(Action::SyncFailed(FULL_DISK.into()));
    clash(&mut app, CONFLICT);
    press(&mut app, &["G", "+"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_a_failed_save_and_a_conflict_note_at_100x30() {
    let mut app = app(demo_backlog(), 100, 30);
    app.update(Action::SyncFailed(FULL_DISK.into()));
    clash(&mut app, CONFLICT);
    press(&mut app, &["G", "+"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn a_read_only_file_is_marked_on_the_status_bar_while_it_is_so() {
    let mut app = app(numbered(3), 100, 30);
    assert!(!screen(&app).contains("read-only"));
    app.update(Action::FileReadOnly(true));
    // Whatever the keys say meanwhile.
    press(&mut app, &["+", "j"]);
    let shown = screen(&app);
    assert!(shown.contains("backlog.json [read-only]"), "{shown}");
    app.update(Action::FileReadOnly(false));
    assert!(!screen(&app).contains("read-only"));
}

#[test]
fn snapshot_wide() {
    let mut app = app(demo_backlog(), 100, 30);
    press(&mut app, &["j", "j"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_narrow_stacked() {
    let mut app = app(demo_backlog(), 60, 20);
    press(&mut app, &["G"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_empty_backlog() {
    let app = app(Backlog::default(), 80, 24);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_after_adding_and_moving() {
    let mut app = app(numbered(3), 100, 30);
    press(&mut app, &["G", "a"]);
    typed(&mut app, "Third's sibling");
    press(&mut app, &["Enter", "T"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_add_prompt() {
    let mut app = app(numbered(3), 60, 20);
    press(&mut app, &["a"]);
    typed(&mut app, "Export to CSV");
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_delete_confirmation() {
    let mut app = app(demo_backlog(), 100, 30);
    press(&mut app, &["d"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_help() {
    let mut app = app(demo_backlog(), 100, 30);
    press(&mut app, &["?"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_narrow_leaves_out_the_status_column() {
    let app = app(demo_backlog(), 45, 14);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_too_small() {
    let app = app(demo_backlog(), 30, 8);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn on_a_screen_too_small_no_key_acts_but_quit() {
    let mut app = app(numbered(3), 100, 30);
    // A question asked before the screen shrank is not answered unseen.
    press(&mut app, &["s"]);
    assert_eq!(app.context(), Context::Confirm);
    app.update(Action::Resize(30, 8));
    let before = app.backlog.clone();
    let keys = [
        "y", "+", "s", "Esc", "d", "y", "J", "T", "a", "x", "Enter", "u", "C-r",
    ];
    for key in keys {
        assert!(press(&mut app, &[key]).is_empty(), "{key} acted");
    }
    assert_eq!(app.backlog, before);
    assert_eq!(app.context(), Context::Confirm);
    assert_eq!(press(&mut app, &["C-c"]), [Effect::Quit]);
    // Grown again, the question is still there, and keys act.
    app.update(Action::Resize(100, 30));
    assert!(screen(&app).contains("Set it to ready anyway?"));
    press(&mut app, &["n", "+"]);
    assert_ne!(app.backlog, before);
    app.update(Action::Resize(30, 8));
    assert_eq!(press(&mut app, &["q"]), [Effect::Quit]);
}

#[test]
fn the_status_bar_totals_points_beyond_any_one_estimate() {
    let mut b = Backlog::new("Big");
    for _ in 0..3 {
        let patch = StoryPatch {
            title: Some("Huge".into()),
            points: Some(Some(backlog::model::Points::new(10_000.0).unwrap())),
            ..StoryPatch::default()
        };
        b.add(&patch, Placement::Bottom, fixed_clock()).unwrap();
    }
    let app = app(b, 100, 30);
    assert!(screen(&app).contains("3 stories · 30000 pts"));
}

#[test]
fn help_lists_every_binding_of_the_keymap() {
    let mut app = app(numbered(1), 120, 60);
    press(&mut app, &["?"]);
    // The help may be longer than the screen: read it all by scrolling.
    let lines = help::lines(&app.keymap, false, &app.pane_titles()).len();
    let shown = scrolled_through(&mut app, lines);
    for offer in Context::Backlog.offers() {
        // The number keys are listed with the panes' names.
        if offer.command.pane().is_none() {
            assert!(shown.contains(offer.help), "help lacks {:?}", offer.help);
        }
    }
    for key in backlog::tui::typing::EDITING {
        assert!(shown.contains(key.help), "help lacks {:?}", key.help);
    }
}

#[test]
fn the_helps_keys_are_set_apart_from_what_they_do_however_long() {
    // `Ctrl-W Alt-Backspace` is wider than the keys' column.
    let app = app(numbered(1), 100, 30);
    for line in help::lines(&app.keymap, false, &app.pane_titles()) {
        if let [keys, does] = &line.spans[..] {
            assert!(
                keys.content.ends_with(' '),
                "{:?} runs into {:?}",
                keys.content,
                does.content
            );
        }
    }
}

#[test]
fn escape_sequences_in_titles_are_shown_as_text() {
    let mut b = Backlog::new("x");
    b.add(
        &StoryPatch::title("evil\x1b[2J\x07title"),
        Placement::Bottom,
        fixed_clock(),
    )
    .unwrap();
    let app = app(b, 100, 30);
    let shown = screen(&app);
    assert!(shown.contains("evil\u{fffd}[2J\u{fffd}title"), "{shown}");
}

#[test]
fn every_size_renders_without_panicking() {
    let mut app = app(demo_backlog(), 1, 1);
    press(&mut app, &["G"]);
    for width in (1..=130).step_by(3) {
        for height in 1..=40 {
            app.update(Action::Resize(width, height));
            screen(&app);
        }
    }
    // With a failed save's lines too.
    app.update(Action::SyncFailed(FULL_DISK.into()));
    for width in (1..=130).step_by(7) {
        for height in 1..=40 {
            app.update(Action::Resize(width, height));
            screen(&app);
        }
    }
    // Overlays too.
    for keys in [&["?"][..], &["Esc", "Esc", "d"], &["n", "a"]] {
        press(&mut app, keys);
        for (width, height) in [(1, 1), (10, 3), (40, 10), (45, 12)] {
            app.update(Action::Resize(width, height));
            screen(&app);
        }
    }
}

/// Titles holding what moves a terminal's columns: each row of the table
/// must keep its borders where the layout put them.
fn moving_text() -> Backlog {
    let mut b = Backlog::new("Widths");
    for title in [
        "Bidi \u{202e}override\u{202c} and \u{2066}isolate\u{2069} end",
        "Marks \u{200e}lrm \u{200f}rlm \u{61c}alm end",
        "Zero\u{200b}width\u{200c}non\u{200d}joiner \u{feff}bom \u{2060}wj end",
        "Soft\u{ad}hyphen and \u{2062}invisible times end",
        "\u{301}Lone mark at the start",
        "Family \u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467} and coder \u{1f9d1}\u{1f3fd}\u{200d}\u{1f4bb} end",
        "Flag \u{1f1eb}\u{1f1f7} keycap 1\u{fe0f}\u{20e3} heart \u{2764}\u{fe0f} end",
        "Plain",
    ] {
        b.add(&StoryPatch::title(title), Placement::Bottom, fixed_clock())
            .unwrap();
    }
    b
}

#[test]
fn text_that_moves_columns_keeps_every_cell_to_its_width() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use unicode_width::UnicodeWidthStr;

    let mut app = app(moving_text(), 100, 30);
    for row in 0..8 {
        // Each story in the story pane too.
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        terminal
            .draw(|frame| backlog::tui::view::render(&app, frame))
            .unwrap();
        let buffer = terminal.backend().buffer();
        for y in 0..30 {
            let mut x = 0;
            while x < 100 {
                let symbol = buffer[(x, y)].symbol();
                let width = symbol.width();
                assert!(
                    (1..=2).contains(&width),
                    "row {row}: cell ({x}, {y}) {symbol:?} draws {width} columns"
                );
                assert!(
                    !symbol.chars().any(|c| matches!(c,
                        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'
                        | '\u{200c}' | '\u{200e}' | '\u{200f}' | '\u{61c}' | '\u{feff}'
                        | '\u{ad}' | '\u{2060}'..='\u{2064}')),
                    "row {row}: cell ({x}, {y}) holds {symbol:?}"
                );
                x += u16::try_from(width).unwrap();
            }
        }
        press(&mut app, &["j"]);
    }
}

#[test]
fn snapshot_text_that_moves_columns() {
    let mut app = app(moving_text(), 100, 30);
    press(&mut app, &["j", "j"]);
    insta::assert_snapshot!(screen(&app));
}

/// The screen as drawn, cell by cell.
fn drawn(app: &backlog::tui::app::App) -> ratatui::buffer::Buffer {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| backlog::tui::view::render(app, frame))
        .unwrap();
    terminal.backend().buffer().clone()
}

/// Where a text area's cursor is drawn (reverse video, right of the
/// form's labels), and what that cell shows.
fn text_cursor(app: &backlog::tui::app::App) -> ((u16, u16), String) {
    use ratatui::style::Modifier;

    let buffer = drawn(app);
    let area = buffer.area;
    let cells: Vec<_> = (area.top()..area.bottom())
        .flat_map(|y| (area.left()..area.right()).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let cell = &buffer[(x, y)];
            cell.modifier.contains(Modifier::REVERSED) && !cell.modifier.contains(Modifier::BOLD)
        })
        .collect();
    assert_eq!(cells.len(), 1, "one cursor cell, not {cells:?}");
    (cells[0], buffer[cells[0]].symbol().to_string())
}

#[test]
fn an_invisible_character_being_typed_in_a_field_shows_and_holds_the_cursor() {
    let mut b = Backlog::new("x");
    b.add(
        &StoryPatch::title("Evil \u{202e}title"),
        Placement::Bottom,
        fixed_clock(),
    )
    .unwrap();
    let mut app = app(b, 100, 30);
    press(&mut app, &["Enter", "Enter", "Home"]);
    let mut seen = vec![text_cursor(&app)];
    for _ in 0..6 {
        press(&mut app, &["Right"]);
        seen.push(text_cursor(&app));
    }
    let shown: Vec<&str> = seen.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(shown, ["E", "v", "i", "l", " ", "\u{fffd}", "t"]);
    // Every key moved the cursor one column.
    for pair in seen.windows(2) {
        assert_eq!(pair[1].0.0, pair[0].0.0 + 1, "{pair:?}");
    }
    assert!(screen(&app).contains("Evil \u{fffd}title"));
    // Only shown so: the text is kept as typed.
    press(&mut app, &["Enter"]);
    assert_eq!(
        app.backlog.get(StoryId(1)).unwrap().title,
        "Evil \u{202e}title"
    );
}

/// A story whose description is one paragraph of `words` words, the last
/// of them "END".
fn long_description(words: usize) -> Backlog {
    let mut b = Backlog::new("Long");
    let id = b
        .add(
            &StoryPatch::title("Long read"),
            Placement::Bottom,
            fixed_clock(),
        )
        .unwrap();
    let description = format!("{}END", "lorem ipsum ".repeat(words / 2));
    b.edit(
        id,
        &StoryPatch {
            description: Some(description),
            ..StoryPatch::default()
        },
        fixed_clock(),
    )
    .unwrap();
    b
}

#[test]
fn the_story_pane_scrolls_to_the_end_of_a_long_description() {
    let mut app = app(long_description(2_000), 100, 30);
    press(&mut app, &["Tab"]);
    // As far down as it goes: the last row at the top.
    backlog_pane_mut(&mut app).story = StoryPane {
        story: Some(StoryId(1)),
        scroll: 60_000,
    };
    press(&mut app, &["j"]);
    let last = story_scroll(&app);
    assert!(screen(&app).contains("Updated  2026-11-20"));
    press(&mut app, &["j"]);
    assert_eq!(story_scroll(&app), last, "no further than the last row");
    // The description's end is just above the rest of the story.
    for _ in 0..10 {
        press(&mut app, &["k"]);
    }
    assert_eq!(story_scroll(&app), last - 10);
    let shown = screen(&app);
    assert!(shown.contains("lorem ipsum END"), "{shown}");
}

#[test]
fn at_60x20_the_story_pane_scrolls_to_the_last_of_thirty_wrapped_paragraphs() {
    // Each paragraph wraps to three rows of the pane's 58 columns: a limit
    // counted in unwrapped lines stopped near paragraph 10.
    let mut b = Backlog::new("Thirty");
    let id = b
        .add(
            &StoryPatch::title("Thirty"),
            Placement::Bottom,
            fixed_clock(),
        )
        .unwrap();
    let description = (1..=30)
        .map(|i| format!("Paragraph {i:02} {}", "of a long story ".repeat(9)))
        .collect::<Vec<_>>()
        .join("\n");
    let patch = StoryPatch {
        description: Some(description),
        ..StoryPatch::default()
    };
    b.edit(id, &patch, fixed_clock()).unwrap();
    let mut app = app(b, 60, 20);
    press(&mut app, &["Tab"]);
    let mut seen = String::new();
    for _ in 0..200 {
        press(&mut app, &["j"]);
        seen.push_str(&screen(&app));
    }
    assert!(seen.contains("Paragraph 30"), "{seen}");
    assert!(screen(&app).contains("Updated  2026-11-20"));
}

#[test]
fn a_frame_lays_out_only_the_rows_that_show_of_a_huge_description() {
    use backlog::tui::layout::wrap;
    use backlog::tui::screens::story::paragraphs as story_paragraphs;

    // About 5 MB in one paragraph, and as much again in short lines, under
    // a 5 MB title (from a file older than the title limit).
    let b = long_description(800_000);
    let mut story = b.get(StoryId(1)).unwrap().clone();
    story
        .description
        .push_str(&"\na short line".repeat(400_000));
    story.title = "t".repeat(5_000_000);
    let b = Backlog::from_parts(b.product.clone(), 2, vec![story]).unwrap();
    let app = app(b, 100, 30);
    let story = app.selected_story().unwrap();
    let product = &app.backlog.product;
    // The story pane at 100×30 is 40 columns and 26 rows inside.
    for scroll in [0, 1_000, 20_000] {
        let laid = wrap(
            story_paragraphs(
                story,
                product,
                backlog::tui::screens::story::Weighing {
                    framework: None,
                    now: common::fixed_clock(),
                },
                &backlog::tui::screens::story::Links::of(story, &app.backlog),
                false,
            ),
            40,
            scroll..scroll + 26,
        );
        assert_eq!(laid.rows.len(), 26);
        assert!(
            laid.graphemes <= (scroll + 26) * 41,
            "{} graphemes laid out to show rows {scroll}.. of a {}-byte story",
            laid.graphemes,
            story.description.len()
        );
    }
    // Drawing and scrolling take the same path.
    screen(&app);
}

#[test]
fn emoji_sequences_the_terminal_draws_otherwise_are_drawn_as_wide_as_laid_out() {
    use backlog::tui::probe::{Emoji, Sequence};

    // What tmux 3.3a answers at start-up.
    let tmux = Emoji::default()
        .with(Sequence::Joined, 2)
        .with(Sequence::SkinTone, 4)
        .with(Sequence::Keycap, 1)
        .with(Sequence::EmojiStyle, 1)
        .with(Sequence::Flag, 2)
        .with(Sequence::Tags, 2);
    let mut app = app(moving_text(), 100, 30);
    app.emoji = tmux;
    press(&mut app, &["G"]);
    let shown = screen(&app);
    let family = "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}";
    assert!(
        shown.contains(&format!("Family {family} and coder \u{1f9d1} end")),
        "{shown}"
    );
    assert!(
        shown.contains("Flag \u{1f1eb}\u{1f1f7} keycap 1  heart \u{2764}  end"),
        "{shown}"
    );
    // A terminal that agrees with the layout gets the sequences whole.
    app.emoji = Emoji::default();
    assert!(screen(&app).contains("coder \u{1f9d1}\u{1f3fd}\u{200d}\u{1f4bb} end"));
}

/// A story whose description is `words` words ("word00", "word01", …)
/// joined by zero-width spaces: one line, and to a terminal one word.
fn words_joined_invisibly(words: usize) -> Backlog {
    let mut b = Backlog::new("Joined");
    let id = b
        .add(
            &StoryPatch::title("Joined"),
            Placement::Bottom,
            fixed_clock(),
        )
        .unwrap();
    b.edit(
        id,
        &StoryPatch {
            description: Some(joined_words(0..words, "\u{200b}")),
            ..StoryPatch::default()
        },
        fixed_clock(),
    )
    .unwrap();
    b
}

fn joined_words(words: std::ops::Range<usize>, between: &str) -> String {
    words
        .map(|i| format!("word{i:02}"))
        .collect::<Vec<_>>()
        .join(between)
}

/// The story form's description field as drawn: its left column, its
/// width, its first row, and its rows' text.
struct Field {
    x: u16,
    width: u16,
    y: u16,
    rows: Vec<String>,
}

/// The field right of the selected label, "▶ Description", to the
/// editor's border, as far down as it shows text before the next field.
fn description_field(app: &backlog::tui::app::App) -> Field {
    let buffer = drawn(app);
    let area = buffer.area;
    let (label, y) = (area.top()..area.bottom())
        .flat_map(|y| (area.left()..area.right()).map(move |x| (x, y)))
        .find(|&(x, y)| buffer[(x, y)].symbol() == "▶" && buffer[(x + 2, y)].symbol() == "D")
        .expect("the description is selected");
    // The label column is 14 wide; the field ends at the border.
    let x = label + 14;
    let width = (x..area.right())
        .find(|&x| buffer[(x, y)].symbol() == "┃")
        .unwrap()
        - x;
    let text = |from: u16, to: u16, y: u16| {
        (from..to)
            .map(|x| buffer[(x, y)].symbol())
            .collect::<String>()
            .trim_end()
            .to_string()
    };
    // Down to a blank row, or the next field's label.
    let rows = (y..area.bottom())
        .take_while(|&row| row == y || text(label, x, row).is_empty())
        .map(|row| text(x, x + width, row))
        .take_while(|row| !row.is_empty())
        .collect();
    Field { x, width, y, rows }
}

#[test]
fn a_description_of_words_joined_invisibly_shows_whole_while_typed() {
    let mut app = app(words_joined_invisibly(40), 100, 30);
    press(&mut app, &["Enter", "j", "j", "j", "j", "Enter"]);
    let field = description_field(&app);
    let rows = &field.rows;
    // Every character shows, every row full but the last, and the cursor
    // after the last.
    assert_eq!(rows.concat(), joined_words(0..40, "\u{fffd}"), "{rows:#?}");
    let full = usize::from(field.width);
    assert!(
        rows[..rows.len() - 1]
            .iter()
            .all(|row| row.chars().count() == full)
    );
    let ((x, y), shown) = text_cursor(&app);
    assert_eq!(shown, " ");
    assert_eq!(y, field.y + u16::try_from(rows.len()).unwrap() - 1);
    assert_eq!(
        usize::from(x - field.x),
        rows.last().unwrap().chars().count()
    );
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn the_cursor_on_an_invisible_character_in_a_wrapped_row_shows_on_it() {
    let mut app = app(words_joined_invisibly(40), 100, 30);
    press(&mut app, &["Enter", "j", "j", "j", "j", "Enter", "Home"]);
    // To the zero-width space after word05: character 41, in the middle
    // of the second row of 26.
    for _ in 0..41 {
        press(&mut app, &["Right"]);
    }
    let field = description_field(&app);
    assert_eq!(field.width, 26);
    let ((x, y), shown) = text_cursor(&app);
    assert_eq!(shown, "\u{fffd}");
    assert_eq!((x - field.x, y - field.y), (15, 1), "{:#?}", field.rows);
    assert_eq!(
        field.rows[1],
        "3\u{fffd}word04\u{fffd}word05\u{fffd}word06\u{fffd}wor"
    );
    // Moving on moves it one column at a time, along the row and onto
    // the next.
    let mut at = (x, y);
    for _ in 0..12 {
        press(&mut app, &["Right"]);
        let (next, _) = text_cursor(&app);
        let expected = if at.0 + 1 == field.x + field.width {
            (field.x, at.1 + 1)
        } else {
            (at.0 + 1, at.1)
        };
        assert_eq!(next, expected);
        at = next;
    }
}

#[test]
fn typing_at_the_end_of_a_long_wrapped_line_keeps_the_cursor_after_it() {
    let mut b = Backlog::new("Typed");
    b.add(
        &StoryPatch::title("Typed"),
        Placement::Bottom,
        fixed_clock(),
    )
    .unwrap();
    let mut app = app(b, 100, 30);
    press(&mut app, &["Enter", "j", "j", "j", "j", "Enter"]);
    for word in 0..100 {
        if word > 0 {
            typed(&mut app, "\u{200b}");
        }
        typed(&mut app, &format!("word{word:02}"));
        // The cursor shows after all that was typed, and the rows down to
        // it show the text's end without a gap.
        let field = description_field(&app);
        let rows = &field.rows;
        let ((x, y), shown) = text_cursor(&app);
        assert_eq!(shown, " ", "after word{word:02}");
        let text = joined_words(0..word + 1, "\u{fffd}");
        assert!(
            text.ends_with(&rows.concat()),
            "after word{word:02}: {rows:#?}"
        );
        let last = rows.len() - 1;
        let after = rows[last].chars().count();
        let cursor = if after == usize::from(field.width) {
            (field.x, field.y + u16::try_from(last).unwrap() + 1)
        } else {
            (
                field.x + u16::try_from(after).unwrap(),
                field.y + u16::try_from(last).unwrap(),
            )
        };
        assert_eq!((x, y), cursor, "after word{word:02}: {rows:#?}");
    }
}

/// The text a comment prompt keeps, or the title the form keeps, after
/// `keys` typed into it.
fn kept_after(keys: &[&str], in_form: bool) -> String {
    let mut app = app(numbered(1), 100, 30);
    if in_form {
        // The title, emptied.
        press(&mut app, &["Enter", "Enter", "C-e", "C-u"]);
    } else {
        press(&mut app, &["c"]);
    }
    typed(&mut app, "one two three");
    press(&mut app, keys);
    press(&mut app, &["Enter"]);
    let story = app.backlog.get(StoryId(1)).unwrap();
    if in_form {
        story.title.clone()
    } else {
        story
            .comments
            .last()
            .map(|c| c.text.clone())
            .unwrap_or_default()
    }
}

#[test]
fn a_prompt_and_a_form_field_take_the_same_editing_keys() {
    // Before "three": Ctrl-U deletes back to the start of the line,
    // Ctrl-Y puts it back, Ctrl-J is nothing in a field of one line.
    let keys = [
        "Left", "Left", "Left", "Left", "Left", "C-u", "C-e", "Space", "C-y", "C-j",
    ];
    for in_form in [false, true] {
        assert_eq!(
            kept_after(&keys, in_form),
            "three one two",
            "in form: {in_form}"
        );
    }
}
