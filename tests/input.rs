//! Input as people give it: pasted text, the mouse, and Esc while
//! typing. Events go through the same path as the real loop's
//! (`handle_event`), and the screen is drawn on a `TestBackend`.

mod common;

use backlog::model::StoryId;
use backlog::tui::action::Effect;
use backlog::tui::app::App;
use backlog::tui::handle_event;
use backlog::tui::keymap::Context;
use backlog::tui::screens::prompt::Prompt;
use common::{app, numbered, press, screen};
use ratatui::crossterm::event::Event;

const THREE_LINES: &str =
    "The card is charged once\nsee the refund story\nthen ask finance (d, y, q)";

fn paste(app: &mut App, text: &str) -> Option<Effect> {
    handle_event(app, Event::Paste(text.to_string()))
}

fn notice(app: &App) -> String {
    app.notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default()
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
    let cancel = Context::FormText.key_for(&backlog::tui::action::Action::Cancel);
    assert_eq!(cancel.as_deref(), Some("Ctrl-G"), "not Esc");
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
    let limit = help::scroll_limit(app.size, &app.pane_titles());
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
    let text = help::lines(false, &["Backlog"])
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
    for mark in ["▶", "□", "[→]", "[✓] [ ]"] {
        assert!(text.contains(mark), "no {mark}");
    }
}
