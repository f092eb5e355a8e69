//! Input as people give it: pasted text, the mouse, and Esc while
//! typing. Events go through the same path as the real loop's
//! (`handle_event`), and the screen is drawn on a `TestBackend`.

mod common;

use backlog::model::StoryId;
use backlog::tui::action::Effect;
use backlog::tui::app::App;
use backlog::tui::handle_event;
use backlog::tui::keymap::{Command, Context, Keymap};
use backlog::tui::screens::prompt::Prompt;
use common::{
    app, at, click, click_on, drag_to, let_go, mouse, notice, numbered, press, press_at, screen,
    wheel,
};
use ratatui::crossterm::event::Event;

const THREE_LINES: &str =
    "The card is charged once\nsee the refund story\nthen ask finance (d, y, q)";

fn paste(app: &mut App, text: &str) -> Option<Effect> {
    handle_event(app, Event::Paste(text.to_string()))
}

#[test]
fn three_lines_pasted_into_the_comment_prompt_are_one_comment_and_no_command() {
    let mut app = app(numbered(3), 100, 30);
    let before = app.backlog.clone();
    press(&mut app, &["j", "c"]);
    assert_eq!(paste(&mut app, THREE_LINES), None);
    // Still typing: nothing was kept, and no line ran as keys.
    assert_eq!(app.context(), Context::Prompt);
    assert_eq!(app.backlog, before);
    let prompt = app.screen::<Prompt>().unwrap();
    assert_eq!(
        prompt.input.text(),
        "The card is charged once see the refund story then ask finance (d, y, q)"
    );
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    let story = app.backlog.get(StoryId(2)).unwrap();
    assert_eq!(story.comments.len(), 1);
    assert_eq!(
        story.comments[0].text,
        "The card is charged once see the refund story then ask finance (d, y, q)"
    );
    // Nothing else changed: no status, no delete, no other story.
    assert_eq!(app.backlog.len(), 3);
    assert_eq!(story.status, before.get(StoryId(2)).unwrap().status);
}

#[test]
fn three_lines_pasted_into_the_description_are_three_lines_of_it() {
    let mut app = app(numbered(1), 100, 30);
    // The form, its description (the fifth row), typed into.
    press(&mut app, &["Enter", "j", "j", "j", "j", "Enter"]);
    assert_eq!(app.context(), Context::FormText);
    paste(&mut app, THREE_LINES);
    assert_eq!(app.context(), Context::FormText, "still typing");
    assert_eq!(press(&mut app, &["C-s"]), [Effect::Save]);
    assert_eq!(
        app.backlog.get(StoryId(1)).unwrap().description,
        THREE_LINES
    );
}

#[test]
fn a_paste_into_a_field_of_one_line_joins_its_lines_with_spaces() {
    let mut app = app(numbered(1), 100, 30);
    // The title, emptied, then pasted into.
    press(&mut app, &["Enter", "Enter", "C-u"]);
    paste(&mut app, "Pay\r\n  by card\r\n");
    press(&mut app, &["Enter"]);
    assert_eq!(app.backlog.get(StoryId(1)).unwrap().title, "Pay by card");
    // The search narrows as it would typed.
    press(&mut app, &["Esc", "/"]);
    paste(&mut app, "pay\nby");
    assert_eq!(app.row_count(), 1);
}

#[test]
fn a_paste_where_no_field_is_open_is_left_out_and_said_so() {
    let mut app = app(numbered(3), 100, 30);
    let before = app.backlog.clone();
    assert_eq!(paste(&mut app, "dy\nJJ\nq"), None);
    assert_eq!(app.backlog, before);
    assert_eq!(app.table.selected, 0);
    assert_eq!(app.context(), Context::Backlog);
    assert!(
        notice(&app).contains("paste is left out"),
        "{}",
        notice(&app)
    );
    assert!(screen(&app).contains("paste is left out"));
}

#[test]
fn a_paste_on_a_screen_too_small_does_nothing() {
    let mut app = app(numbered(1), 100, 30);
    press(&mut app, &["c"]);
    app.update(backlog::tui::action::Action::Resize(30, 8));
    paste(&mut app, "unseen");
    app.update(backlog::tui::action::Action::Resize(100, 30));
    assert_eq!(app.screen::<Prompt>().unwrap().input.text(), "");
}

#[test]
fn esc_after_typing_two_description_lines_keeps_them_and_one_u_undoes_it() {
    let mut app = app(numbered(1), 80, 24);
    press(&mut app, &["Enter", "j", "j", "j", "j", "Enter"]);
    common::typed(&mut app, "Paid by card");
    press(&mut app, &["Enter"]);
    common::typed(&mut app, "or by voucher");
    assert_eq!(press(&mut app, &["Esc"]), [Effect::Save]);
    assert_eq!(
        app.backlog.get(StoryId(1)).unwrap().description,
        "Paid by card\nor by voucher"
    );
    assert_eq!(
        app.context(),
        Context::Form,
        "out of the field, in the form"
    );
    press(&mut app, &["u"]);
    assert_eq!(app.backlog.get(StoryId(1)).unwrap().description, "");
    assert!(
        notice(&app).contains("description of S-1"),
        "{}",
        notice(&app)
    );
}

#[test]
fn cancelling_a_field_has_a_key_of_its_own_shown_while_typing() {
    let mut app = app(numbered(1), 100, 30);
    press(&mut app, &["Enter", "j", "j", "j", "j", "Enter"]);
    common::typed(&mut app, "Thrown away");
    let cancel = app.key(Context::FormText, Command::CancelField);
    assert_eq!(cancel, "Ctrl-G", "not Esc");
    assert!(screen(&app).contains("Ctrl-G cancel"), "{}", screen(&app));
    press(&mut app, &["C-g"]);
    assert_eq!(app.backlog.get(StoryId(1)).unwrap().description, "");
    assert_eq!(app.context(), Context::Form);
}

#[test]
fn esc_in_the_comment_prompt_keeps_what_was_typed_and_with_nothing_typed_closes() {
    let mut app = app(numbered(1), 100, 30);
    press(&mut app, &["c"]);
    common::typed(&mut app, "Ask finance first");
    assert_eq!(press(&mut app, &["Esc"]), [Effect::Save]);
    assert_eq!(app.context(), Context::Backlog);
    let story = app.backlog.get(StoryId(1)).unwrap();
    assert_eq!(story.comments[0].text, "Ask finance first");
    // Nothing typed: nothing to keep, and nothing said against it.
    let before = app.backlog.clone();
    assert_eq!(press(&mut app, &["c", "Esc"]), []);
    assert_eq!(app.context(), Context::Backlog);
    assert_eq!(app.backlog, before);
    assert_eq!(app.notice, None);
    // Ctrl-G cancels what was typed.
    press(&mut app, &["a"]);
    common::typed(&mut app, "Never meant");
    assert_eq!(press(&mut app, &["C-g"]), []);
    assert_eq!(app.backlog, before);
}

#[test]
fn esc_while_typing_in_the_panels_keeps_the_text() {
    let mut app = app(numbered(1), 100, 30);
    // The vision, two lines of it.
    press(&mut app, &["V", "j", "Enter"]);
    common::typed(&mut app, "Pottery for all");
    press(&mut app, &["Enter"]);
    common::typed(&mut app, "in every town");
    assert_eq!(press(&mut app, &["Esc"]), [Effect::Save]);
    assert_eq!(app.backlog.product.vision, "Pottery for all\nin every town");
    assert_eq!(app.context(), Context::Vision);
    // A new epic's name.
    press(&mut app, &["Esc", "E", "a"]);
    common::typed(&mut app, "Glazes");
    assert_eq!(press(&mut app, &["Esc"]), [Effect::Save]);
    assert!(app.backlog.product.epic("Glazes").is_some());
    assert_eq!(app.context(), Context::Epics);
    // Nothing typed: Esc only stops typing.
    let before = app.backlog.clone();
    assert_eq!(press(&mut app, &["a", "Esc"]), []);
    assert_eq!(app.context(), Context::Epics);
    assert_eq!(app.backlog, before);
}

#[test]
fn the_help_pages_with_pgdn_and_pgup_and_goes_to_its_ends_with_g_and_shift_g() {
    use backlog::tui::screens::help::{self, Help};
    let mut app = app(numbered(3), 80, 24);
    let scroll = |app: &App| app.screen::<Help>().map(|h| usize::from(h.scroll));
    let limit = help::scroll_limit(&app.keymap, app.size, &app.pane_titles());
    press(&mut app, &["?", "PgDn"]);
    let page = scroll(&app).unwrap();
    // A page is the box's rows: the 24 rows less its border.
    assert_eq!(page, 22);
    press(&mut app, &["PgDn"]);
    assert_eq!(scroll(&app), Some(2 * page));
    press(&mut app, &["PgUp"]);
    assert_eq!(scroll(&app), Some(page));
    press(&mut app, &["G"]);
    assert_eq!(scroll(&app), Some(limit));
    press(&mut app, &["PgDn"]);
    assert_eq!(scroll(&app), Some(limit), "no further than its end");
    let end = screen(&app);
    press(&mut app, &["PgUp"]);
    assert_ne!(screen(&app), end, "a page back shows at once");
    press(&mut app, &["g"]);
    assert_eq!(scroll(&app), Some(0));
    press(&mut app, &["End", "Home"]);
    assert_eq!(scroll(&app), Some(0));
}

#[test]
fn the_help_explains_the_marks_the_screen_uses() {
    use backlog::model::EpicColor;
    use backlog::tui::screens::help;
    let text = help::lines(&Keymap::built_in(), false, &["Backlog"])
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("✓ ✗ !"), "{text}");
    assert!(text.contains("R column: ready, not ready, set ready although not"));
    for color in EpicColor::ALL {
        assert!(text.contains(color.marker()), "no {color} marker");
        assert!(text.contains(color.to_string().as_str()));
    }
    for mark in ["▶", "*", "□", "[→]", "[✓] [ ]"] {
        assert!(text.contains(mark), "no {mark}");
    }
}

#[test]
fn a_click_selects_the_row_clicked_and_focuses_the_half_clicked() {
    use backlog::tui::screens::backlog::{BacklogPane, Focus};
    let mut app = app(numbered(30), 100, 30);
    let focus = |app: &App| app.screen::<BacklogPane>().unwrap().focus;
    click_on(&mut app, "Story 5 ");
    assert_eq!(app.selected_story().unwrap().id, StoryId(5));
    assert_eq!(focus(&app), Focus::Backlog);
    // The story pane, clicked, takes the focus; the selection stays.
    click_on(&mut app, "Acceptance criteria");
    assert_eq!(focus(&app), Focus::Story);
    assert_eq!(app.selected_story().unwrap().id, StoryId(5));
    click_on(&mut app, "Story 9 ");
    assert_eq!(focus(&app), Focus::Backlog);
    assert_eq!(app.selected_story().unwrap().id, StoryId(9));
    // Below the last row, or on the status bar, selects nothing.
    let mut app = common::app(numbered(3), 100, 30);
    click_on(&mut app, "Story 2 ");
    let (column, row) = at(&app, "Story 3 ");
    click(&mut app, (column, row + 3));
    click_on(&mut app, "3 stories");
    assert_eq!(app.selected_story().unwrap().id, StoryId(2));
}

#[test]
fn the_wheel_scrolls_the_table_the_story_and_the_help() {
    let mut app = app(numbered(60), 100, 30);
    let on_table = at(&app, "Story 2 ");
    wheel(&mut app, true, on_table);
    assert_eq!(app.table.scroll, 3);
    // The selection stays on screen, on the nearest row shown.
    assert_eq!(app.table.selected, 3);
    wheel(&mut app, true, on_table);
    wheel(&mut app, false, on_table);
    assert_eq!(app.table.scroll, 3);
    for _ in 0..40 {
        wheel(&mut app, true, on_table);
    }
    assert_eq!(
        app.table.scroll,
        60 - app.table_rows(),
        "no further than the end"
    );
    // The help.
    press(&mut app, &["?"]);
    wheel(&mut app, true, (50, 15));
    let help = app.screen::<backlog::tui::screens::help::Help>().unwrap();
    assert_eq!(help.scroll, 3);
}

#[test]
fn the_wheel_over_the_story_pane_scrolls_the_story() {
    use backlog::model::{Backlog, Placement, StoryPatch};
    use backlog::tui::screens::backlog::BacklogPane;
    let mut b = Backlog::new("x");
    let patch = StoryPatch {
        description: Some(
            (1..=60)
                .map(|n| format!("Paragraph {n}"))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        ..StoryPatch::title("Long")
    };
    b.add(&patch, Placement::Bottom, common::fixed_clock())
        .unwrap();
    let mut app = app(b, 100, 30);
    let on_story = at(&app, "Paragraph 1");
    wheel(&mut app, true, on_story);
    wheel(&mut app, true, on_story);
    let pane = &app.screen::<BacklogPane>().unwrap().story;
    assert_eq!(pane.scroll_of(Some(StoryId(1))), 6);
    assert_eq!(app.table.scroll, 0, "the table stays");
}

#[test]
fn dragging_a_row_ranks_its_story_as_the_pointer_goes_and_one_u_undoes_the_drag() {
    let mut app = app(numbered(8), 100, 30);
    let start = common::order(&app);
    let (column, row) = at(&app, "Story 2 ");
    assert_eq!(press_at(&mut app, (column, row)), None);
    assert_eq!(app.selected_story().unwrap().id, StoryId(2));
    // Row by row, the story follows the pointer.
    assert_eq!(drag_to(&mut app, (column, row + 1)), Some(Effect::Save));
    assert_eq!(common::order(&app), [1, 3, 2, 4, 5, 6, 7, 8]);
    drag_to(&mut app, (column, row + 2));
    drag_to(&mut app, (column, row + 4));
    assert_eq!(common::order(&app), [1, 3, 4, 5, 6, 2, 7, 8]);
    // And back, a little.
    drag_to(&mut app, (column, row + 3));
    assert_eq!(common::order(&app), [1, 3, 4, 5, 2, 6, 7, 8]);
    assert_eq!(app.selected_story().unwrap().id, StoryId(2));
    let_go(&mut app, (column, row + 3));
    // Moving the pointer after letting go moves nothing.
    drag_to(&mut app, (column, row + 6));
    assert_eq!(common::order(&app), [1, 3, 4, 5, 2, 6, 7, 8]);
    assert_eq!(app.history.undo_len(), 1, "one undo step for the drag");
    press(&mut app, &["u"]);
    assert_eq!(common::order(&app), start);
    assert!(notice(&app).contains("move S-2"), "{}", notice(&app));
    press(&mut app, &["C-r"]);
    assert_eq!(common::order(&app), [1, 3, 4, 5, 2, 6, 7, 8]);
}

#[test]
fn a_second_drag_is_a_second_undo_step() {
    let mut app = app(numbered(5), 100, 30);
    // The table's row, not the story pane's title.
    let (column, row) = at(&app, "1 S-1 ");
    press_at(&mut app, (column, row));
    drag_to(&mut app, (column, row + 1));
    let_go(&mut app, (column, row + 1));
    press_at(&mut app, (column, row + 1));
    drag_to(&mut app, (column, row + 2));
    let_go(&mut app, (column, row + 2));
    assert_eq!(common::order(&app), [2, 3, 1, 4, 5]);
    assert_eq!(app.history.undo_len(), 2);
    press(&mut app, &["u"]);
    assert_eq!(common::order(&app), [2, 1, 3, 4, 5]);
}

#[test]
fn dragging_past_the_last_row_shown_scrolls_the_table_with_the_story() {
    let mut app = app(numbered(40), 100, 30);
    let rows = app.table_rows();
    let (column, row) = at(&app, "Story 3 ");
    press_at(&mut app, (column, row));
    // On the border below the last row.
    let below = at(&app, "40 stories").1 - 1;
    for _ in 0..5 {
        drag_to(&mut app, (column, below));
    }
    let_go(&mut app, (column, below));
    let place = common::order(&app).iter().position(|&id| id == 3).unwrap();
    assert!(place >= rows, "{place}: past the rows first shown");
    assert!(app.table.scroll > 0);
    assert_eq!(app.selected_story().unwrap().id, StoryId(3));
    press(&mut app, &["u"]);
    assert_eq!(common::order(&app), (1..=40).collect::<Vec<u64>>());
}

#[test]
fn a_click_on_a_panel_row_selects_it() {
    use backlog::model::Status;
    use backlog::tui::screens::epics::EpicsPanel;
    use backlog::tui::screens::filter::FilterPanel;
    use backlog::tui::screens::settings::SettingsPanel;
    use backlog::tui::screens::status_picker::StatusPicker;
    use backlog::tui::screens::vision::VisionPanel;
    let mut app = app(backlog::cli::demo_backlog(), 100, 30);
    press(&mut app, &["f"]);
    click_on(&mut app, "Epic ");
    assert_eq!(app.screen::<FilterPanel>().unwrap().row, 2);
    press(&mut app, &["Enter", "O"]);
    click_on(&mut app, "Ready: estimated");
    assert_eq!(app.screen::<SettingsPanel>().unwrap().row, 3);
    press(&mut app, &["Esc", "E"]);
    click_on(&mut app, "Billing");
    let epics = &app.backlog.product.epics;
    let billing = epics.iter().position(|e| e.name == "Billing").unwrap();
    assert_eq!(app.screen::<EpicsPanel>().unwrap().row, billing);
    press(&mut app, &["Esc", "V"]);
    click_on(&mut app, "Vision");
    assert_eq!(app.screen::<VisionPanel>().unwrap().row, 1);
    let goal = app.backlog.product.goals[1].clone();
    click_on(&mut app, &goal[..20]);
    assert_eq!(app.screen::<VisionPanel>().unwrap().row, 3);
    click_on(&mut app, "Name");
    assert_eq!(app.screen::<VisionPanel>().unwrap().row, 0);
    // The status picker: a click selects a status, the key sets it.
    let mut app = common::app(numbered(3), 100, 30);
    press(&mut app, &["t"]);
    click_on(&mut app, "rejected");
    assert_eq!(app.screen::<StatusPicker>().unwrap().row, 4);
    click_on(&mut app, "in-progress");
    assert_eq!(app.screen::<StatusPicker>().unwrap().row, 2);
    assert_eq!(app.backlog.at(0).unwrap().status, Status::Draft);
    press(&mut app, &["Enter"]);
    assert_eq!(app.backlog.at(0).unwrap().status, Status::InProgress);
}

#[test]
fn with_the_mouse_turned_off_or_the_screen_too_small_a_click_does_nothing() {
    let mut app = app(numbered(10), 100, 30);
    let story_5 = at(&app, "Story 5 ");
    app.mouse = false;
    click(&mut app, story_5);
    assert_eq!(app.table.selected, 0);
    app.mouse = true;
    app.update(backlog::tui::action::Action::Resize(30, 8));
    click(&mut app, (3, 3));
    app.update(backlog::tui::action::Action::Resize(100, 30));
    assert_eq!(app.table.selected, 0);
    click(&mut app, story_5);
    assert_eq!(app.table.selected, 4);
}

#[test]
fn with_the_story_pane_hidden_a_click_or_a_drag_lands_on_the_row_drawn_there() {
    use backlog::tui::screens::backlog::{BacklogPane, Focus};
    let mut app = app(numbered(30), 80, 24);
    press(&mut app, &["z"]);
    // A row the table shows only with the story pane hidden.
    click_on(&mut app, "Story 15 ");
    assert_eq!(app.selected_story().unwrap().id, StoryId(15));
    let (column, row) = at(&app, "Story 15 ");
    press_at(&mut app, (column, row));
    drag_to(&mut app, (column, row + 2));
    let_go(&mut app, (column, row + 2));
    let order = common::order(&app);
    assert_eq!(order[14..17], [16, 17, 15]);

    // Wide, with both optional columns: where the story pane was is the
    // table's, a click on a row's last column selects that row.
    let mut app = common::app(numbered(30), 160, 30);
    press(&mut app, &["z", "L", "U"]);
    assert!(screen(&app).contains("Updated"), "{}", screen(&app));
    let (_, row) = at(&app, "Story 7 ");
    click(&mut app, (150, row));
    assert_eq!(app.selected_story().unwrap().id, StoryId(7));
    assert_eq!(app.screen::<BacklogPane>().unwrap().focus, Focus::Backlog);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]

    /// Clicks, drags and the wheel anywhere (off the screen too), between
    /// keys that open panels and the help, hide the story pane, mark
    /// stories or show the open work, at any size: nothing panics,
    /// the selection stays on a row, and every story is still there once.
    #[test]
    fn the_mouse_anywhere_breaks_nothing(
        (width, height) in (20u16..140, 5u16..50),
        events in proptest::collection::vec(
            (0u8..9, 0u16..160, 0u16..60),
            1..40,
        ),
    ) {
        use ratatui::crossterm::event::{MouseButton, MouseEventKind};
        let mut app = app(backlog::cli::demo_backlog(), width, height);
        for (what, column, row) in events {
            let kind = match what {
                0 => MouseEventKind::Down(MouseButton::Left),
                1 | 2 => MouseEventKind::Drag(MouseButton::Left),
                3 => MouseEventKind::Up(MouseButton::Left),
                4 => MouseEventKind::ScrollDown,
                5 => MouseEventKind::ScrollUp,
                6 => {
                    let keys = ["f", "O", "E", "V", "?", "Esc", "m", "Tab", "z", "v", "Space", "o"];
                    let key = keys[usize::from(column) % keys.len()];
                    press(&mut app, &[key]);
                    continue;
                }
                7 => MouseEventKind::Moved,
                _ => MouseEventKind::Down(MouseButton::Right),
            };
            mouse(&mut app, kind, (column, row));
            let _ = screen(&app);
        }
        let count = app.row_count();
        proptest::prop_assert!(count == 0 || app.table.selected < count);
        let mut ids: Vec<u64> = common::order(&app);
        ids.sort_unstable();
        ids.dedup();
        proptest::prop_assert_eq!(ids.len(), 30);
    }
}
