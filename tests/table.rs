//! The backlog table, where the user's eyes are: titles cut with a mark,
//! the columns a wide terminal gives room to, the story pane hidden, the
//! open work, the marked stories and what acts on them, the status
//! picker, the status bar's totals, and the view kept between runs.

mod common;

use backlog::cli::demo_backlog;
use backlog::model::{Points, Status, StoryId, Totals};
use backlog::tui::action::{Action, Effect};
use backlog::tui::app::App;
use backlog::tui::filter::EpicFilter;
use backlog::tui::keymap::Context;
use backlog::tui::layout::TableColumns;
use backlog::tui::saved_view::SavedView;
use backlog::tui::screens::confirm::{Confirm, Question};
use backlog::tui::screens::status_picker::StatusPicker;
use common::{app, notice, numbered, order, press, reload, screen};

/// The table's rows as drawn, between its borders.
fn table_lines(app: &App) -> Vec<String> {
    let (width, _) = app.size;
    let areas = app.areas().expect("a usable size");
    let text = screen(app);
    text.lines()
        .skip(usize::from(areas.backlog.y) + 2)
        .take(app.row_count().min(app.table_rows()))
        .map(|line| {
            let line = line.trim_matches('"');
            let chars: Vec<char> = line.chars().collect();
            let end = usize::from(areas.backlog.width)
                .min(chars.len())
                .min(usize::from(width));
            chars[1..end - 1].iter().collect()
        })
        .collect()
}

#[test]
fn a_title_too_long_for_its_column_ends_in_a_mark_never_cut_unmarked() {
    for (width, height) in [(80, 24), (100, 30), (160, 40)] {
        let mut app = app(demo_backlog(), width, height);
        press(&mut app, &["G"]);
        let areas = app.areas().unwrap();
        // 30 stories: ranks of two digits, ids up to S-30.
        let columns = TableColumns::of(areas.backlog.width, 2, 4, app.table.columns);
        let start = usize::from(columns.rank + columns.id + columns.ready + 3);
        for (row, line) in table_lines(&app).iter().enumerate() {
            let story = app.story_at_row(app.table.scroll + row).unwrap();
            let shown: String = line
                .chars()
                .skip(start)
                .take(usize::from(columns.title))
                .collect();
            let shown = shown.trim_end();
            match shown.strip_suffix('…') {
                Some(cut) => assert!(
                    story.title.starts_with(cut) && cut.len() < story.title.len(),
                    "{width}x{height}: {shown:?} for {:?}",
                    story.title
                ),
                None => assert_eq!(shown, story.title, "{width}x{height}: cut without a mark"),
            }
        }
    }
}

#[test]
fn z_hides_the_story_pane_so_the_table_takes_the_screen_and_shows_it_again() {
    let mut app = app(demo_backlog(), 80, 24);
    let rows = app.table_rows();
    press(&mut app, &["Tab", "z"]);
    assert!(app.table_rows() >= rows + 8, "{} rows", app.table_rows());
    assert_eq!(
        app.context(),
        Context::Backlog,
        "the focus comes back to the table"
    );
    assert!(!screen(&app).contains("┌ S-2 "), "no story pane");
    // Tab has no pane to go to, and says how to bring it back.
    press(&mut app, &["Tab"]);
    assert_eq!(app.context(), Context::Backlog);
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.as_str()),
        Some("The story pane is hidden: z shows it")
    );
    press(&mut app, &["G", "z"]);
    assert_eq!(app.table_rows(), rows);
    assert!(screen(&app).contains("┌ S-30 "), "the story pane is back");
    assert_eq!(app.table.scroll, 30 - rows, "the selection stays in view");
}

#[test]
fn snapshot_story_pane_hidden_at_80x24() {
    let mut app = app(demo_backlog(), 80, 24);
    press(&mut app, &["z", "j", "j"]);
    insta::assert_snapshot!(screen(&app));
}

/// The table's header row, as drawn.
fn table_header(app: &App) -> String {
    let areas = app.areas().expect("a usable size");
    let width = usize::from(areas.backlog.width);
    let text = screen(app);
    let line = text.lines().nth(usize::from(areas.backlog.y) + 1).unwrap();
    line.trim_matches('"').chars().take(width).collect()
}

#[test]
fn optional_columns_show_where_the_title_has_its_room_first() {
    let mut app = app(demo_backlog(), 100, 30);
    press(&mut app, &["L"]);
    assert!(app.table.columns.labels);
    assert!(
        !table_header(&app).contains("Labels"),
        "no room beside the story"
    );
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.as_str()),
        Some("The labels column shows once the table is wider: z hides the story pane")
    );
    // The whole width, but still too little: the title comes first.
    press(&mut app, &["z", "L", "L"]);
    assert!(!table_header(&app).contains("Labels"));
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.as_str()),
        Some("The labels column shows once the table is wider: the title comes first")
    );
    app.update(Action::Resize(120, 30));
    assert!(table_header(&app).contains("Labels"));
    assert!(screen(&app).contains("#mobile #core "));
    press(&mut app, &["U"]);
    assert!(!table_header(&app).contains("Updated"), "not yet");
    app.update(Action::Resize(140, 30));
    let header = table_header(&app);
    assert!(
        header.contains("Labels") && header.contains("Updated"),
        "{header}"
    );
    press(&mut app, &["L"]);
    assert!(!app.table.columns.labels);
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.as_str()),
        Some("The labels column is hidden")
    );
    assert!(!table_header(&app).contains("Labels"));
}

#[test]
fn snapshot_labels_and_updated_columns_at_160x30() {
    let mut app = app(demo_backlog(), 160, 30);
    press(&mut app, &["z", "L", "U", "j", "j"]);
    insta::assert_snapshot!(screen(&app));
}

/// The table's frame, its top line.
fn frame_title(app: &App) -> String {
    screen(app).lines().next().unwrap().to_string()
}

/// What the status bar said last.
#[test]
fn o_switches_between_open_work_and_every_story() {
    let mut app = app(demo_backlog(), 100, 30);
    press(&mut app, &["o"]);
    assert!(frame_title(&app).contains("Open work · Kilnhouse"));
    let shown: Vec<_> = (0..app.row_count())
        .map(|row| app.story_at_row(row).unwrap())
        .collect();
    assert!(shown.iter().all(|s| s.status.is_open()));
    let open = app.backlog.ranked().filter(|s| s.status.is_open()).count();
    assert_eq!(shown.len(), open);
    assert_eq!(
        notice(&app),
        format!("Open work: done and rejected stories hidden · {open} of 30 shown")
    );
    assert!(screen(&app).contains(" done and rejected hidden · o shows them "));
    press(&mut app, &["o"]);
    assert!(frame_title(&app).contains("Backlog · Kilnhouse"));
    assert_eq!(app.row_count(), 30);
    assert_eq!(notice(&app), "Every story shown: 30");
    // Beside a search, only the search stays.
    press(&mut app, &["/"]);
    common::typed(&mut app, "member");
    press(&mut app, &["Enter", "o"]);
    let drawn = screen(&app);
    assert!(
        drawn.contains("Open work · Kilnhouse") && drawn.contains("filter: /member · F clears")
    );
    press(&mut app, &["o"]);
    assert!(notice(&app).starts_with("Done and rejected stories shown too · "));
}

#[test]
fn the_backlog_opens_on_its_open_work_when_it_has_any() {
    let mut opened = app(demo_backlog(), 100, 30);
    opened.open_view(Ok(None));
    assert!(opened.table.filter.open);
    assert!(frame_title(&opened).contains("Open work"));
    assert!(
        opened.selected_story().unwrap().status.is_open(),
        "the first story shown is open work, not finished work"
    );
    // Nothing open: every story, not an empty table.
    let mut finished = demo_backlog();
    let ids: Vec<_> = finished.ranked().map(|s| s.id).collect();
    for id in ids {
        let done = backlog::model::StoryPatch {
            status: Some(backlog::model::Status::Done),
            ..backlog::model::StoryPatch::default()
        };
        finished.edit(id, &done, common::fixed_clock()).unwrap();
    }
    let mut opened = app(finished, 100, 30);
    opened.open_view(Ok(None));
    assert!(!opened.table.filter.is_active());
    assert_eq!(opened.row_count(), 30);
}

#[test]
fn snapshot_open_work_at_80x24() {
    let mut app = app(demo_backlog(), 80, 24);
    app.open_view(Ok(None));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_open_work_at_120x30() {
    let mut app = app(demo_backlog(), 120, 30);
    app.open_view(Ok(None));
    press(&mut app, &["j", "j"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn the_filter_panel_shows_open_work_and_changes_it() {
    let mut app = app(demo_backlog(), 100, 30);
    app.open_view(Ok(None));
    press(&mut app, &["f", "G"]);
    // The last row, whatever the keys say: go down to it.
    press(&mut app, &["j", "j", "j", "j", "j"]);
    assert!(screen(&app).contains("Open work   ‹ only: no done, no rejected ›"));
    press(&mut app, &["l", "Enter"]);
    assert!(!app.table.filter.open);
    assert_eq!(app.row_count(), 30);
}

#[test]
fn the_view_comes_back_as_it_was_left() {
    let mut before = app(demo_backlog(), 120, 30);
    before.open_view(Ok(None));
    press(&mut before, &["/"]);
    common::typed(&mut before, "member");
    press(&mut before, &["Enter", "j", "L", "U", "z", "3"]);
    let kept = SavedView::of(&before);
    assert_eq!(kept.pane, "overview");
    let text = kept.to_json();

    let mut after = app(demo_backlog(), 120, 30);
    after.open_view(Ok(Some(text)));
    assert_eq!(SavedView::of(&after), kept);
    assert_eq!(after.table.filter, before.table.filter);
    assert_eq!(
        after.selected_story().map(|s| s.id),
        before.selected_story().map(|s| s.id)
    );
    assert!(after.table.story_hidden && after.table.columns.labels && after.table.columns.updated);
    assert!(screen(&after).contains("┏ Overview"), "{}", screen(&after));
    assert_eq!(notice(&after), "", "nothing to say");
}

#[test]
fn a_kept_view_naming_what_is_gone_is_left_out_with_a_word() {
    let view = SavedView {
        pane: "roadmap".into(),
        selected: Some(StoryId(99)),
        search: "member".into(),
        epic: Some("Gone".into()),
        label: Some("#nowhere".into()),
        ..SavedView::default()
    };
    let mut app = app(demo_backlog(), 100, 30);
    app.open_view(Ok(Some(view.to_json())));
    assert_eq!(app.table.filter.query, "member", "what is there is kept");
    assert_eq!(app.table.filter.epic, None);
    assert_eq!(app.table.filter.label, None);
    assert_eq!(app.table.selected, 0);
    assert_eq!(
        notice(&app),
        "The view kept from last time named epic Gone, label #nowhere, S-99, gone since: left out"
    );
    assert!(app.alerts.is_empty(), "a quiet word, not an alert");
    // An epic named in another case is the epic.
    let view = SavedView {
        epic: Some("BILLING".into()),
        ..SavedView::default()
    };
    let mut app = common::app(demo_backlog(), 100, 30);
    app.open_view(Ok(Some(view.to_json())));
    assert!(matches!(&app.table.filter.epic, Some(EpicFilter::Named(name)) if name == "Billing"));
}

#[test]
fn a_view_that_cannot_be_read_is_passed_over_with_a_word() {
    for kept in [
        Ok(Some("{ \"pane\": ".to_string())),
        Ok(Some("{ \"schema\": 9 }".to_string())),
        Ok(Some("[]".to_string())),
        Err("cannot read b.json.view: Permission denied".to_string()),
    ] {
        let mut app = app(demo_backlog(), 100, 30);
        app.open_view(kept.clone());
        assert!(
            app.table.filter.open,
            "{kept:?}: the open work, as with no view"
        );
        assert!(
            notice(&app).starts_with("The view kept from last time could not be read ("),
            "{kept:?}: {}",
            notice(&app)
        );
        assert!(app.alerts.is_empty());
        assert!(app.notice.as_ref().is_some_and(|n| !n.is_error()));
    }
}

/// The status bar's line of facts.
fn facts(app: &App) -> String {
    let text = screen(app);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len() - 2].trim_matches('"').trim().to_string()
}

/// The points of the stories the table shows, added up from its rows.
fn added_up(app: &App) -> Totals {
    (0..app.row_count())
        .map(|row| Totals::of(app.story_at_row(row).unwrap()))
        .sum()
}

#[test]
fn the_status_bar_totals_the_stories_shown_and_their_open_work() {
    let mut app = app(demo_backlog(), 100, 30);
    let all = app.backlog.totals();
    assert!(all.open < all.points, "the demo has finished work");
    assert_eq!(
        facts(&app),
        format!(
            "30 stories · {} pts · {} pts open · ~/.local/share/backlog/backlog.json",
            all.points, all.open
        )
    );
    // A search: the points of what it shows, not of the whole backlog.
    press(&mut app, &["/"]);
    common::typed(&mut app, "payment");
    press(&mut app, &["Enter"]);
    let shown = added_up(&app);
    assert!(shown.points < all.points);
    let expected = if shown.open.to_string() == shown.points.to_string() {
        format!("{} pts", shown.points)
    } else {
        format!("{} pts · {} pts open", shown.points, shown.open)
    };
    assert!(
        facts(&app).starts_with(&format!(
            "{} of 30 stories · {expected} · ",
            app.row_count()
        )),
        "{}",
        facts(&app)
    );
    // The open work: every point shown is open.
    press(&mut app, &["F", "o"]);
    assert!(facts(&app).starts_with(&format!("26 of 30 stories · {} pts · ", all.open)));
}

#[test]
fn the_totals_follow_every_change_without_adding_up_again() {
    // Keys that change, add, remove, move and undo stories, and narrow or
    // widen the view, in a fixed but mixed order.
    let keys = [
        "o", "+", "j", "s", "s", "j", "j", "+", "+", "-", "J", "K", "T", "B", "a", "x", "u", "C-r",
        "d", "y", "j", "S", "S", "/", "e", "Esc", "o", "j", "s", "s", "s", "u", "u", "f", "l",
        "Esc", "+", "d", "y", "u", "G", "s", "s", "a", "F", "o", "-", "-",
        // Marked stories, changed together.
        "g", "Space", "j", "j", "Space", "+", "+", "s", "s", "J", "K", "T", "-", "d", "y", "u", "v",
        "j", "j", "j", "v", "S", "+", "B", "o", "s", "s", "d", "y", "Esc", "u", "u",
    ];
    let mut app = app(demo_backlog(), 100, 30);
    for (at, key) in keys.iter().enumerate() {
        match *key {
            // A new story needs a title, a search a word.
            "a" => {
                press(&mut app, &["a"]);
                common::typed(&mut app, "New");
                press(&mut app, &["Enter"]);
            }
            "x" => {
                press(&mut app, &["Esc"]);
            }
            key => {
                press(&mut app, &[key]);
            }
        }
        // Not ready yet: set it anyway, so that statuses keep changing.
        if app
            .screen::<backlog::tui::screens::confirm::Confirm>()
            .is_some()
        {
            press(&mut app, &["y"]);
        }
        if app.context() != Context::Backlog {
            continue;
        }
        assert_eq!(
            app.table.totals(&app.backlog),
            added_up(&app),
            "after key {at} ({key})"
        );
    }
}

/// The marked stories' ids, in id order.
fn marked(app: &App) -> Vec<u64> {
    app.table.marks.ids().map(|id| id.0).collect()
}

#[test]
fn v_marks_a_range_that_follows_the_selection_until_v_again() {
    let mut app = app(numbered(10), 100, 30);
    press(&mut app, &["j", "v"]);
    assert_eq!(marked(&app), [2]);
    assert_eq!(notice(&app), "Marking: move to mark a range, v to stop");
    press(&mut app, &["j", "j"]);
    assert_eq!(marked(&app), [2, 3, 4]);
    press(&mut app, &["k"]);
    assert_eq!(marked(&app), [2, 3], "the range shrinks with the selection");
    press(&mut app, &["k", "k"]);
    assert_eq!(
        marked(&app),
        [1, 2],
        "and grows the other way past its start"
    );
    press(&mut app, &["G"]);
    assert_eq!(marked(&app), (2..=10).collect::<Vec<_>>());
    press(&mut app, &["k", "k", "v"]);
    assert_eq!(marked(&app), (2..=8).collect::<Vec<_>>());
    assert_eq!(notice(&app), "7 stories marked");
    // Stopped: the selection moves, the marks stay.
    press(&mut app, &["g", "j"]);
    assert_eq!(marked(&app), (2..=8).collect::<Vec<_>>());
    // Space unmarks one, and marks one.
    press(&mut app, &["Space"]);
    assert_eq!(marked(&app), (3..=8).collect::<Vec<_>>());
    assert_eq!(notice(&app), "S-2 unmarked: 6 stories marked");
    press(&mut app, &["G", "Space"]);
    assert_eq!(marked(&app), [3, 4, 5, 6, 7, 8, 10]);
    // A range leaves marked what was marked before it.
    press(&mut app, &["k", "v", "k", "k", "j", "j", "j"]);
    assert_eq!(marked(&app), [3, 4, 5, 6, 7, 8, 9, 10]);
    press(&mut app, &["k", "k", "k", "k"]);
    assert_eq!(marked(&app), [3, 4, 5, 6, 7, 8, 9, 10]);
    // Esc unmarks them all; then it dismisses messages again.
    press(&mut app, &["Esc"]);
    assert!(marked(&app).is_empty());
    assert_eq!(notice(&app), "8 unmarked");
}

#[test]
fn four_marked_stories_move_to_the_top_as_one_undoable_change() {
    let mut app = app(numbered(10), 100, 30);
    press(
        &mut app,
        &[
            "j", "j", "j", "v", "j", "v", "j", "j", "j", "Space", "j", "Space",
        ],
    );
    assert_eq!(marked(&app), [4, 5, 8, 9]);
    assert!(
        facts(&app).contains("· 4 marked (Esc unmarks) ·"),
        "{}",
        facts(&app)
    );
    assert_eq!(press(&mut app, &["T"]), [Effect::Save]);
    assert_eq!(order(&app), [4, 5, 8, 9, 1, 2, 3, 6, 7, 10]);
    assert_eq!(notice(&app), "Moved 4 stories to the top");
    assert_eq!(
        app.selected_story().unwrap().id,
        StoryId(9),
        "the selection follows its story"
    );
    assert_eq!(
        marked(&app),
        [4, 5, 8, 9],
        "the marks stay, for the next key"
    );
    press(&mut app, &["u"]);
    assert_eq!(
        order(&app),
        (1..=10).collect::<Vec<_>>(),
        "one undo puts all back"
    );
    assert_eq!(notice(&app), "Undid move 4 stories to the top (0 more)");
    press(&mut app, &["C-r"]);
    assert_eq!(order(&app), [4, 5, 8, 9, 1, 2, 3, 6, 7, 10]);
    // At the top already: nothing changes, nothing to save, nothing said.
    assert!(press(&mut app, &["T"]).is_empty());
    assert_eq!(notice(&app), "");
}

#[test]
fn marked_stories_move_together_past_their_neighbours() {
    let mut app = app(numbered(8), 100, 30);
    press(&mut app, &["j", "j", "Space", "j", "j", "Space"]);
    assert_eq!(marked(&app), [3, 5]);
    // Up past the story above the first; apart, they come together.
    press(&mut app, &["K"]);
    assert_eq!(order(&app), [1, 3, 5, 2, 4, 6, 7, 8]);
    press(&mut app, &["K"]);
    assert_eq!(order(&app), [3, 5, 1, 2, 4, 6, 7, 8]);
    press(&mut app, &["K"]);
    assert_eq!(
        order(&app),
        [3, 5, 1, 2, 4, 6, 7, 8],
        "at the top they stay"
    );
    press(&mut app, &["J", "J"]);
    assert_eq!(order(&app), [1, 2, 3, 5, 4, 6, 7, 8]);
    press(&mut app, &["B"]);
    assert_eq!(order(&app), [1, 2, 4, 6, 7, 8, 3, 5]);
    // Four moves; the one at the top changed nothing.
    for _ in 0..5 {
        press(&mut app, &["u"]);
    }
    assert_eq!(order(&app), (1..=8).collect::<Vec<_>>(), "a step each");
}

#[test]
fn in_a_filtered_view_marked_stories_move_past_the_stories_shown() {
    let mut app = app(demo_backlog(), 100, 30);
    app.open_view(Ok(None));
    // The first and third stories shown, below finished work.
    let shown = |app: &App, rows: usize| -> Vec<StoryId> {
        (0..rows)
            .map(|row| app.story_at_row(row).unwrap().id)
            .collect()
    };
    let [first, second, third, fourth] = shown(&app, 4)[..] else {
        unreachable!()
    };
    press(&mut app, &["Space", "j", "j", "Space"]);
    // Down past the story shown below the last of them.
    press(&mut app, &["J"]);
    assert_eq!(shown(&app, 4), [second, fourth, first, third]);
    // The top of the stories shown: above the first open story, below the
    // finished ones it hides.
    press(&mut app, &["T"]);
    assert_eq!(app.story_at_row(0).unwrap().id, first);
    assert_eq!(app.story_at_row(1).unwrap().id, third);
    let first_position = app.backlog.position(first).unwrap();
    assert!(first_position > 0, "the finished work stays above");
    assert_eq!(app.table.totals(&app.backlog), added_up(&app));
}

#[test]
fn marked_stories_are_estimated_set_and_deleted_together_each_as_one_change() {
    let mut app = app(numbered(6), 100, 30);
    press(&mut app, &["+", "+", "+", "+", "+", "+", "+", "+"]);
    assert_eq!(
        app.backlog
            .get(StoryId(1))
            .unwrap()
            .points
            .map(Points::value),
        Some(21.0)
    );
    press(&mut app, &["v", "j", "j", "v"]);
    assert_eq!(marked(&app), [1, 2, 3]);
    assert_eq!(press(&mut app, &["+"]), [Effect::Save]);
    let points = |app: &App, id| {
        app.backlog
            .get(StoryId(id))
            .unwrap()
            .points
            .map(Points::value)
    };
    assert_eq!(
        (points(&app, 1), points(&app, 2), points(&app, 3)),
        (Some(21.0), Some(1.0), Some(1.0))
    );
    assert_eq!(
        notice(&app),
        "2 stories estimated one step up; 1 at the end of the scale stayed"
    );
    press(&mut app, &["+", "u"]);
    assert_eq!(
        (points(&app, 2), points(&app, 3)),
        (Some(1.0), Some(1.0)),
        "one undo for both"
    );

    // Each to its next status; becoming ready asks once for all.
    press(&mut app, &["s"]);
    let question = app.screen::<Confirm>().map(|c| c.question.clone());
    let Some(Question::StatusesAnyway { changes, not_ready }) = question else {
        panic!("asks before setting stories ready: {question:?}");
    };
    assert_eq!(changes.len(), 3);
    assert_eq!(not_ready.len(), 3);
    assert!(screen(&app).contains("3 of the 3 stories do not meet the Definition of Ready:"));
    press(&mut app, &["y"]);
    for id in 1..=3 {
        let story = app.backlog.get(StoryId(id)).unwrap();
        assert_eq!(story.status, Status::Ready);
        assert_eq!(
            story.ready_override.as_ref().map(|o| o.by.as_str()),
            Some("po")
        );
    }
    assert_eq!(
        notice(&app),
        "3 stories are ready (3 set ready anyway, recorded)"
    );
    press(&mut app, &["u"]);
    assert!((1..=3).all(|id| app.backlog.get(StoryId(id)).unwrap().status == Status::Draft));
    // No: nothing changes.
    press(&mut app, &["s", "n"]);
    assert!((1..=3).all(|id| app.backlog.get(StoryId(id)).unwrap().status == Status::Draft));

    // Deleted together, after a question naming them; back with one undo.
    press(&mut app, &["d"]);
    assert!(screen(&app).contains("Delete 3 marked stories?"));
    assert!(screen(&app).contains("S-2 Story 2"));
    press(&mut app, &["y"]);
    assert_eq!(order(&app), [4, 5, 6]);
    assert!(marked(&app).is_empty());
    assert_eq!(notice(&app), "Deleted 3 stories");
    press(&mut app, &["u"]);
    assert_eq!(order(&app), [1, 2, 3, 4, 5, 6]);
}

#[test]
fn marked_stories_go_into_an_epic_together() {
    let mut app = app(demo_backlog(), 100, 30);
    press(&mut app, &["Space", "j", "Space", "j", "Space"]);
    let ids: Vec<StoryId> = app.table.marks.ids().collect();
    press(&mut app, &["E"]);
    assert!(screen(&app).contains("Marked 3 stories: each goes into the epic"));
    // The first epic.
    press(&mut app, &["Enter"]);
    let epic = app.backlog.product.epics[0].name.clone();
    for id in &ids {
        assert_eq!(
            app.backlog.get(*id).unwrap().epic.as_deref(),
            Some(epic.as_str())
        );
    }
    press(&mut app, &["E", "x"]);
    assert!(
        ids.iter()
            .all(|id| app.backlog.get(*id).unwrap().epic.is_none())
    );
    press(&mut app, &["u", "u"]);
    assert!(
        ids.iter()
            .any(|id| app.backlog.get(*id).unwrap().epic.as_deref() != Some(epic.as_str()))
    );
}

#[test]
fn a_story_hidden_by_a_search_loses_its_mark() {
    let mut app = app(numbered(12), 100, 30);
    press(&mut app, &["Space", "j", "Space", "G", "Space"]);
    assert_eq!(marked(&app), [1, 2, 12]);
    press(&mut app, &["/"]);
    common::typed(&mut app, "1");
    press(&mut app, &["Enter"]);
    assert_eq!(
        marked(&app),
        [1, 12],
        "S-2 is hidden: nothing hidden is acted on"
    );
    press(&mut app, &["F"]);
    assert_eq!(marked(&app), [1, 12]);
}

#[test]
fn snapshot_marked_stories_at_80x24() {
    let mut app = app(demo_backlog(), 80, 24);
    app.open_view(Ok(None));
    press(&mut app, &["j", "v", "j", "j", "v", "j", "j", "Space"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_marked_stories_at_120x30() {
    let mut app = app(demo_backlog(), 120, 30);
    press(&mut app, &["j", "j", "Space", "j", "j", "v", "j"]);
    insta::assert_snapshot!(screen(&app));
}

fn status(app: &App, id: u64) -> Status {
    app.backlog.get(StoryId(id)).unwrap().status
}

#[test]
fn t_sets_any_status_in_one_choice() {
    let mut app = app(numbered(3), 100, 30);
    press(&mut app, &["t"]);
    let picker = app.screen::<StatusPicker>().expect("the picker is open");
    assert_eq!(
        picker.status(),
        Status::Draft,
        "it starts on the story's status"
    );
    assert_eq!(app.context(), Context::StatusPicker);
    // Draft to in-progress: no walk through ready, no question.
    assert_eq!(press(&mut app, &["j", "j", "Enter"]), [Effect::Save]);
    assert_eq!(status(&app, 1), Status::InProgress);
    assert!(app.screen::<StatusPicker>().is_none());
    assert_eq!(notice(&app), "S-1 is in-progress");
    press(&mut app, &["u"]);
    assert_eq!(status(&app, 1), Status::Draft);
    // Esc changes nothing.
    assert!(press(&mut app, &["t", "G", "Esc"]).is_empty());
    assert_eq!(status(&app, 1), Status::Draft);
    assert_eq!(app.context(), Context::Backlog);
}

#[test]
fn choosing_ready_for_a_story_that_is_not_still_asks() {
    let mut app = app(numbered(3), 100, 30);
    press(&mut app, &["t", "j", "Enter"]);
    assert!(matches!(
        app.screen::<Confirm>().map(|c| &c.question),
        Some(Question::ReadyAnyway { id: StoryId(1), .. })
    ));
    press(&mut app, &["n"]);
    assert_eq!(status(&app, 1), Status::Draft);
    press(&mut app, &["t", "j", "Enter", "y"]);
    assert_eq!(status(&app, 1), Status::Ready);
    assert!(
        app.backlog
            .get(StoryId(1))
            .unwrap()
            .ready_override
            .is_some()
    );
}

#[test]
fn the_picker_sets_every_marked_story_as_one_change() {
    let mut app = app(numbered(4), 100, 30);
    press(&mut app, &["j", "s", "y", "j", "Space", "k", "Space"]);
    press(&mut app, &["t"]);
    assert!(screen(&app).contains("Status of 2 marked stories"));
    // One draft, one ready (set anyway) among them.
    assert!(screen(&app).contains("draft  (1 now)"));
    press(&mut app, &["G", "Enter"]);
    assert_eq!(
        (status(&app, 2), status(&app, 3)),
        (Status::Rejected, Status::Rejected)
    );
    assert_eq!(notice(&app), "2 stories are rejected");
    press(&mut app, &["u"]);
    assert_eq!(
        (status(&app, 2), status(&app, 3)),
        (Status::Ready, Status::Draft)
    );
    // Ready for both: S-2 is so already, and S-3 is not ready: asked as
    // for one story.
    press(&mut app, &["t", "g", "j", "Enter"]);
    assert!(matches!(
        app.screen::<Confirm>().map(|c| &c.question),
        Some(Question::ReadyAnyway { id: StoryId(3), .. })
    ));
    // Two stories not ready: one question names both.
    press(
        &mut app,
        &[
            "n", "Esc", "g", "j", "j", "Space", "j", "Space", "t", "j", "Enter",
        ],
    );
    let question = app.screen::<Confirm>().map(|c| c.question.clone());
    let Some(Question::StatusesAnyway { changes, not_ready }) = question else {
        panic!("{question:?}");
    };
    assert_eq!(
        changes,
        [(StoryId(3), Status::Ready), (StoryId(4), Status::Ready)]
    );
    assert_eq!(not_ready.len(), 2);
    press(&mut app, &["y"]);
    assert_eq!(
        (status(&app, 3), status(&app, 4)),
        (Status::Ready, Status::Ready)
    );
}

#[test]
fn snapshot_status_picker_at_80x24() {
    let mut app = app(demo_backlog(), 80, 24);
    press(&mut app, &["j", "j", "j", "t", "j"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_status_picker_for_marked_stories_at_120x30() {
    let mut app = app(demo_backlog(), 120, 30);
    press(&mut app, &["j", "j", "v", "j", "j", "j", "v", "t"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn a_marked_story_stays_marked_when_a_merge_gives_it_another_id() {
    let mut app = app(numbered(3), 100, 30);
    press(&mut app, &["G", "a"]);
    common::typed(&mut app, "Mine");
    press(&mut app, &["Enter", "Space", "g", "Space"]);
    assert_eq!(marked(&app), [1, 4]);
    // The file got "Theirs" as S-4; ours became S-5.
    let mut merged = app.backlog.clone();
    let mine = merged.remove(StoryId(4)).unwrap();
    let mut renumbered = backlog::model::Story::clone(&mine);
    renumbered.id = StoryId(5);
    merged.put(std::sync::Arc::new(renumbered));
    let theirs = backlog::model::StoryPatch::title("Theirs");
    merged
        .add(
            &theirs,
            backlog::model::Placement::Top,
            common::fixed_clock(),
        )
        .unwrap();
    reload(
        &mut app,
        merged,
        "Reloaded: changed elsewhere",
        vec![(StoryId(4), StoryId(5))],
    );
    assert_eq!(marked(&app), [1, 5], "Theirs, now S-4, is not marked");
}
