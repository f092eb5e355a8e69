//! The TUI's search as it is typed: on the event loop for a backlog small
//! enough, and on a thread beyond that, where the letters show at once
//! and the table narrows when the answer comes. Here the thread's work is
//! run by hand, in the order a test wants, so that each case is certain.

mod common;

use backlog::model::{Backlog, Placement, StoryPatch};
use backlog::tui::action::Action;
use backlog::tui::app::App;
use backlog::tui::filter::{Filter, Rows};
use common::{app, fixed_clock, press, reload, screen, shown, typed};

/// A few stories whose titles share beginnings, one with its word only
/// in a label, one only in a comment.
fn kilns() -> Backlog {
    let mut b = Backlog::new("Studio");
    for (title, label) in [
        ("Kiln queue", None),
        ("Glaze library", None),
        ("Kiln report", None),
        ("Été timetable", None),
        ("kiln QUEUE photo", None),
        ("Wheel booking", Some("KILN-room")),
        ("Members list", None),
    ] {
        let patch = StoryPatch {
            labels: label.map(|l| vec![l.to_string()]),
            ..StoryPatch::title(title)
        };
        b.add(&patch, Placement::Bottom, fixed_clock()).unwrap();
    }
    b
}

/// An app whose every search goes to a thread, however small the
/// backlog.
fn searching_off_the_loop(backlog: Backlog) -> App {
    let mut app = app(backlog, 100, 30);
    app.table.searching.on_the_loop_up_to = 0;
    app
}

/// The search "kiln", answered off the loop and kept with `Enter`.
fn kiln_kept() -> App {
    let mut app = searching_off_the_loop(kilns());
    press(&mut app, &["/"]);
    typed(&mut app, "kiln");
    answer(&mut app);
    press(&mut app, &["Enter"]);
    app
}

/// What a fresh search for `query` shows in `app`'s backlog.
fn fresh(app: &App, query: &str) -> Vec<u64> {
    let filter = Filter {
        query: query.into(),
        ..app.table.filter.clone()
    };
    match Rows::compute(&app.backlog, &filter) {
        Rows::All => app.backlog.ranked().map(|s| s.id.0).collect(),
        Rows::Only(positions) => positions
            .iter()
            .map(|&p| app.backlog.at(p).unwrap().id.0)
            .collect(),
    }
}

/// Run the search the app handed out, as the loop's thread would, and
/// hand its answer back.
fn answer(app: &mut App) {
    let job = app.take_search().expect("a search was handed out");
    app.update(job.run());
}

#[test]
fn a_search_typed_letter_by_letter_narrows_the_table_on_the_loop() {
    let mut app = app(kilns(), 100, 30);
    press(&mut app, &["/"]);
    let mut query = String::new();
    for letter in "kiln q".chars() {
        query.push(letter);
        typed(&mut app, &letter.to_string());
        assert!(
            app.take_search().is_none(),
            "a small backlog is searched at once"
        );
        assert_eq!(shown(&app), fresh(&app, &query), "{query:?}");
    }
    assert_eq!(shown(&app), [1, 5]);
    press(&mut app, &["Esc"]);
    assert!(screen(&app).contains("/kiln q"), "{}", screen(&app));
}

#[test]
fn the_search_finds_accents_in_any_case_and_labels() {
    let mut app = app(kilns(), 100, 30);
    press(&mut app, &["/"]);
    typed(&mut app, "ÉTÉ");
    assert_eq!(shown(&app), [4]);
    press(&mut app, &["C-u"]);
    typed(&mut app, "room");
    assert_eq!(shown(&app), [6], "the word is only in a label");
}

#[test]
fn off_the_loop_the_letters_show_at_once_and_the_rows_when_the_answer_comes() {
    let mut app = searching_off_the_loop(kilns());
    let all = shown(&app);
    press(&mut app, &["/"]);
    let mut query = String::new();
    for letter in "kiln q".chars() {
        query.push(letter);
        let before = shown(&app);
        typed(&mut app, &letter.to_string());
        assert_eq!(shown(&app), before, "the rows wait for the answer");
        assert!(
            screen(&app).contains(&format!("Search: {query}")),
            "{}",
            screen(&app)
        );
        answer(&mut app);
        assert_eq!(shown(&app), fresh(&app, &query), "{query:?}");
    }
    assert_eq!(shown(&app), [1, 5]);
    assert_ne!(shown(&app), all);
    // Going back to a shorter query searches the whole backlog again.
    press(&mut app, &["Backspace", "Backspace"]);
    answer(&mut app);
    assert_eq!(shown(&app), fresh(&app, "kiln"));
    assert_eq!(shown(&app), [1, 3, 5, 6]);
}

#[test]
fn an_answer_to_an_older_query_is_dropped() {
    let mut app = searching_off_the_loop(kilns());
    let all = shown(&app);
    press(&mut app, &["/"]);
    typed(&mut app, "g");
    let for_g = app.take_search().unwrap();
    typed(&mut app, "l");
    let for_gl = app.take_search().unwrap();
    // The older search sees it is outdated and gives no rows; even one
    // that finished gives rows for a query no longer typed.
    let outdated = for_g.run();
    assert_eq!(
        outdated,
        Action::Searched {
            job: for_g.job,
            found: None
        }
    );
    app.update(outdated);
    assert_eq!(shown(&app), all, "nothing shown for an outdated answer");
    app.update(Action::Searched {
        job: for_g.job,
        found: Some((
            Rows::Only(vec![0].into()),
            backlog::model::Totals::default(),
        )),
    });
    assert_eq!(shown(&app), all, "nothing shown for an outdated answer");
    app.update(for_gl.run());
    assert_eq!(shown(&app), [2]);
}

#[test]
fn a_change_while_a_search_runs_starts_it_again_over_the_backlog_as_it_is() {
    let mut app = kiln_kept();
    assert_eq!(shown(&app), [1, 3, 5, 6]);
    press(&mut app, &["/"]);
    typed(&mut app, " q");
    let before_the_move = app.take_search().unwrap();
    // The selected story moves down while the search runs.
    let selected = app.table.selected_story(&app.backlog).unwrap().id;
    press(&mut app, &["Esc", "J"]);
    assert_ne!(
        app.backlog.position(selected).unwrap(),
        0,
        "the story moved"
    );
    app.update(before_the_move.run());
    answer(&mut app);
    assert_eq!(shown(&app), fresh(&app, "kiln q"));
}

#[test]
fn another_writers_change_is_tested_against_the_search() {
    let mut app = app(kilns(), 100, 30);
    press(&mut app, &["/"]);
    typed(&mut app, "kiln");
    press(&mut app, &["Enter"]);
    assert_eq!(shown(&app), [1, 3, 5, 6]);
    let mut theirs = app.backlog.clone();
    let members = backlog::model::StoryId(7);
    theirs
        .edit(
            members,
            &StoryPatch::title("Members' kiln shelves"),
            fixed_clock(),
        )
        .unwrap();
    reload(&mut app, theirs, "Ann changed S-7", Vec::new());
    assert_eq!(shown(&app), [1, 3, 5, 6, 7]);
}

#[test]
fn quitting_while_a_search_runs_quits() {
    let mut app = searching_off_the_loop(kilns());
    press(&mut app, &["/"]);
    typed(&mut app, "kiln");
    let running = app.take_search().unwrap();
    let effects = press(&mut app, &["Enter", "q"]);
    assert!(
        effects.contains(&backlog::tui::action::Effect::Quit),
        "{effects:?}"
    );
    // Keeping the search still awaits its answer: one that comes after
    // the quit is taken in without harm.
    app.update(running.run());
}

#[test]
fn only_a_search_of_more_stories_than_a_key_allows_goes_to_a_thread() {
    use backlog::tui::filter::SEARCHED_ON_THE_LOOP;
    let mut small = app(common::numbered(SEARCHED_ON_THE_LOOP), 100, 30);
    press(&mut small, &["/"]);
    typed(&mut small, "77");
    assert!(small.take_search().is_none());
    assert_eq!(shown(&small), fresh(&small, "77"));

    let mut big = app(common::numbered(SEARCHED_ON_THE_LOOP + 1), 100, 30);
    press(&mut big, &["/"]);
    typed(&mut big, "7");
    assert_eq!(shown(&big).len(), SEARCHED_ON_THE_LOOP + 1, "not yet");
    answer(&mut big);
    assert_eq!(shown(&big), fresh(&big, "7"));
    // Typed further, the stories left are few enough to test at once.
    typed(&mut big, "77");
    assert!(big.take_search().is_none());
    assert_eq!(shown(&big), fresh(&big, "777"));
}

#[test]
fn going_back_to_the_search_before_is_searched_off_the_loop_too() {
    let mut app = kiln_kept();
    press(&mut app, &["/"]);
    typed(&mut app, " q");
    answer(&mut app);
    assert_eq!(shown(&app), [1, 5]);
    press(&mut app, &["C-g"]);
    assert_eq!(app.table.filter.query, "kiln");
    answer(&mut app);
    assert_eq!(shown(&app), [1, 3, 5, 6]);
}

/// The selected story's id.
fn selected(app: &App) -> u64 {
    app.table.selected_story(&app.backlog).unwrap().id.0
}

#[test]
fn an_undo_under_a_search_is_tested_off_the_loop_showing_the_selected_story_meanwhile() {
    let mut app = kiln_kept();
    press(&mut app, &["j"]);
    assert_eq!(shown(&app), [1, 3, 5, 6]);
    assert_eq!(selected(&app), 3);
    press(&mut app, &["J"]);
    assert!(app.take_search().is_none(), "a move keeps the rows");
    press(&mut app, &["u"]);
    let job = app
        .take_search()
        .expect("an undo's rows are worked out on a thread");
    // The rows before were places in the backlog before the undo: only
    // the selected story is certain until the answer comes.
    assert_eq!(shown(&app), [3]);
    assert_eq!(selected(&app), 3, "the undone story stays selected");
    // A key meanwhile acts on it: here it is marked.
    press(&mut app, &["Space"]);
    app.update(job.run());
    assert_eq!(shown(&app), fresh(&app, "kiln"));
    assert_eq!(shown(&app), [1, 3, 5, 6]);
    assert_eq!(selected(&app), 3);
    assert!(app.table.marks.contains(backlog::model::StoryId(3)));
    assert_eq!(app.table.marks.len(), 1);
}

#[test]
fn another_writers_change_under_a_search_is_tested_off_the_loop() {
    use backlog::model::StoryId;
    let mut app = kiln_kept();
    press(&mut app, &["j", "j", "j"]);
    assert_eq!(shown(&app), [1, 3, 5, 6]);
    assert_eq!(selected(&app), 6);
    // They removed two stories shown, and named S-7 for the kiln.
    let mut theirs = app.backlog.clone();
    theirs.remove_stories(&[StoryId(1), StoryId(3)]).unwrap();
    theirs
        .edit(
            StoryId(7),
            &StoryPatch::title("Members' kiln shelves"),
            fixed_clock(),
        )
        .unwrap();
    reload(&mut app, theirs, "Ann changed the backlog", Vec::new());
    let job = app.take_search().expect("worked out on a thread");
    // Meanwhile only the selected story is shown: rows worked out before
    // the change could name stories that are gone or moved.
    assert_eq!(shown(&app), [6]);
    assert_eq!(selected(&app), 6, "the selected story stays selected");
    app.update(job.run());
    assert_eq!(shown(&app), [5, 6, 7]);
    assert_eq!(shown(&app), fresh(&app, "kiln"));
    assert_eq!(selected(&app), 6);
}

/// The view kept from last time is worked out on the loop however large
/// the backlog: keys typed while the file was read act on its rows as
/// soon as they are there, not on every story.
#[test]
fn the_view_opened_at_start_is_worked_out_before_any_key() {
    use backlog::model::{Status, StoryId};
    let mut backlog = kilns();
    let done = StoryPatch {
        status: Some(Status::Done),
        ..StoryPatch::default()
    };
    backlog.edit(StoryId(1), &done, fixed_clock()).unwrap();
    let mut app = searching_off_the_loop(backlog);
    app.open_view(Ok(None));
    assert!(app.take_search().is_none(), "worked out on the loop");
    assert_eq!(shown(&app), [2, 3, 4, 5, 6, 7], "the open work, S-1 done");
    // A key acts on the first story shown, not on the done S-1.
    press(&mut app, &["j"]);
    assert_eq!(selected(&app), 3);
}
