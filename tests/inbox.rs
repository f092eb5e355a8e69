//! The inbox pane, pane `5`: customer feedback triaged from the keyboard
//! (converted into a story, linked to one through the story picker,
//! dismissed with a reason, reopened, weighed), each one undoable change;
//! the views and orders of its list; the customer evidence the story
//! pane shows; and how it all looks at 80×24 and 120×40.

mod common;

use std::sync::Arc;

use backlog::cli::{demo_backlog, planned_demo};
use backlog::model::{
    Backlog, Feedback, FeedbackId, FeedbackState, Importance, Placement, Status, StoryId,
    StoryPatch,
};
use backlog::tui::action::{Action, Effect};
use backlog::tui::app::App;
use backlog::tui::keymap::Context;
use backlog::tui::screens::form::StoryForm;
use backlog::tui::screens::inbox::{InboxPane, Order, Shown};
use backlog::tui::screens::story_picker::StoryPicker;
use chrono::{NaiveDate, TimeZone, Utc};
use common::{app, fixed_clock, notice, order, press, screen, typed};

/// One piece of feedback: said by `customer` via `source` on November
/// `day`, this important.
fn said(customer: &str, source: &str, importance: Importance, day: u32, text: &str) -> Feedback {
    let date = Utc.with_ymd_and_hms(2026, 11, day, 10, 30, 0).unwrap();
    let mut item = Feedback::new(FeedbackId(1), text, customer, date);
    item.source = source.to_string();
    item.importance = importance;
    item
}

/// The demo backlog with seven items in its inbox: F-1 converted into
/// S-25, F-2 dismissed, F-3 linked to S-17, F-4 linked to S-28, and F-5
/// to F-7 new, the newest last.
fn inboxed() -> Backlog {
    use Importance::{Critical, Important, NiceToHave};
    let mut b = demo_backlog();
    let mut linked_on = said(
        "Marrow Street Pottery",
        "GitHub",
        NiceToHave,
        15,
        "Dark mode for the kiln log\nThe glaze room is dim in the evenings, and the white \
         screen is blinding.",
    );
    linked_on.link = Some("https://github.com/kilnhouse/kilnhouse/issues/41".into());
    let ids = b
        .add_feedback_items(vec![
            said(
                "Harbour Clay Collective",
                "sales",
                Important,
                1,
                "Can we upload our member list instead of typing it in?",
            ),
            said(
                "Old Mill Ceramics",
                "support",
                NiceToHave,
                5,
                "Could the app switch our kiln on and off remotely?",
            ),
            said(
                "Priya Natarajan",
                "support",
                Critical,
                10,
                "Nobody told me my card had expired\nMy membership lapsed and I was turned \
                 away at the door.",
            ),
            said(
                "Dana Whitlock",
                "sales",
                Important,
                12,
                "We'd sell gift vouchers at Christmas if members could buy them in the app.",
            ),
            linked_on,
            said(
                "Harbour Clay Collective",
                "support",
                Critical,
                18,
                "Members can't tell which wheel they booked\nWhen two people book the same \
                 session the confirmation doesn't say which wheel is whose.",
            ),
            said(
                "Sam Okafor",
                "email",
                NiceToHave,
                19,
                "Let me book the same slot every week in one go.",
            ),
        ])
        .unwrap();
    let now = fixed_clock();
    b.link_feedback(ids[0], StoryId(25), now).unwrap();
    set_state(&mut b, ids[0], FeedbackState::Converted);
    b.dismiss_feedback(ids[1], "Kiln controllers are out of scope", now)
        .unwrap();
    b.link_feedback(ids[2], StoryId(17), now).unwrap();
    b.link_feedback(ids[3], StoryId(28), now).unwrap();
    b
}

/// Mark item `id` as `state`, as an older conversion left it.
fn set_state(b: &mut Backlog, id: FeedbackId, state: FeedbackState) {
    let item = b.product.feedback.iter_mut().find(|f| f.id == id).unwrap();
    Arc::make_mut(item).state = state;
}

fn pane(app: &App) -> &InboxPane {
    app.screen::<InboxPane>().expect("the inbox pane")
}

/// The ids the inbox lists, top to bottom.
fn listed(app: &App) -> Vec<u64> {
    pane(app).rows.iter().map(|id| id.0).collect()
}

fn item(app: &App, id: u64) -> &Feedback {
    app.backlog.feedback_item(FeedbackId(id)).unwrap()
}

/// The inbox of `backlog`, shown, at `width` × `height`.
fn inbox(backlog: Backlog, width: u16, height: u16) -> App {
    let mut app = app(backlog, width, height);
    press(&mut app, &["5"]);
    app
}

/// The id of the item selected in the inbox.
fn selected(app: &App) -> Option<u64> {
    pane(app).selected_item(&app.backlog).map(|item| item.id.0)
}

#[test]
fn pane_5_is_the_inbox_of_new_items_newest_first() {
    let app = inbox(inboxed(), 120, 40);
    assert_eq!(app.context(), Context::Inbox);
    assert_eq!(listed(&app), [7, 6, 5]);
    assert_eq!(selected(&app), Some(7));
    let shown = screen(&app);
    assert!(shown.contains("Inbox — 3 new of 7"), "{shown}");
    assert!(
        shown.contains("j/k select  c convert  l link  x dismiss  f show  a add"),
        "{shown}"
    );
    // The item in full beside the list.
    assert!(
        shown.contains("Sam Okafor · via email · 2026-11-19"),
        "{shown}"
    );
}

#[test]
fn the_filter_key_goes_round_new_all_linked_converted_dismissed() {
    let mut app = inbox(inboxed(), 120, 40);
    let views = [
        (Shown::All, vec![7, 6, 5, 4, 3, 2, 1], "showing all"),
        (Shown::Linked, vec![4, 3], "showing 2 linked"),
        (Shown::Converted, vec![1], "showing 1 converted"),
        (Shown::Dismissed, vec![2], "showing 1 dismissed"),
        (Shown::New, vec![7, 6, 5], "3 new of 7"),
    ];
    for (shown, rows, title) in views {
        press(&mut app, &["f"]);
        assert_eq!(pane(&app).shown, shown);
        assert_eq!(listed(&app), rows, "{shown:?}");
        assert!(screen(&app).contains(title), "{}", screen(&app));
    }
    assert_eq!(
        notice(&app),
        "New items shown: 3 of 7 · f shows the next view"
    );
}

#[test]
fn the_order_key_goes_round_newest_oldest_and_most_important_first() {
    let mut app = inbox(inboxed(), 120, 40);
    press(&mut app, &["y"]);
    assert_eq!(pane(&app).order, Order::Oldest);
    assert_eq!(listed(&app), [5, 6, 7]);
    // The selection stays on its item.
    assert_eq!(selected(&app), Some(7));
    press(&mut app, &["y"]);
    assert_eq!(listed(&app), [6, 7, 5], "critical first, then the newest");
    assert!(screen(&app).contains("most important first"));
    press(&mut app, &["y"]);
    assert_eq!(pane(&app).order, Order::Newest);
}

#[test]
fn convert_makes_a_draft_at_the_bottom_and_offers_the_story_form() {
    let mut app = inbox(inboxed(), 120, 40);
    let stories = app.backlog.len();
    let effects = press(&mut app, &["c"]);
    assert!(effects.contains(&Effect::Save), "saved: {effects:?}");
    let story = StoryId(31);
    let made = app.backlog.get(story).expect("the story made");
    assert_eq!(
        made.title,
        "Let me book the same slot every week in one go."
    );
    assert_eq!(made.status, Status::Draft);
    assert_eq!(made.as_a, "customer");
    assert_eq!(*order(&app).last().unwrap(), 31, "at the bottom");
    assert_eq!(item(&app, 7).state, FeedbackState::Converted);
    assert_eq!(item(&app, 7).story, Some(story));
    // The next item is selected; the backlog table keeps its selection.
    assert_eq!(selected(&app), Some(6));
    assert_ne!(app.selected_story().map(|s| s.id), Some(story));
    // The form is offered, and opens on the story, over the inbox.
    assert_eq!(app.context(), Context::Confirm);
    assert!(screen(&app).contains("F-7 is now S-31"), "{}", screen(&app));
    press(&mut app, &["y"]);
    assert_eq!(app.screen::<StoryForm>().map(|f| f.id), Some(story));
    press(&mut app, &["Esc"]);
    assert_eq!(app.context(), Context::Inbox);
    // The backlog has it selected.
    assert_eq!(app.selected_story().map(|s| s.id), Some(story));

    // One undo takes the story back and the item is new again.
    press(&mut app, &["u"]);
    assert_eq!(app.backlog.len(), stories);
    assert_eq!(item(&app, 7).state, FeedbackState::New);
    assert_eq!(listed(&app), [7, 6, 5]);
    assert_eq!(notice(&app), "Undid convert F-7 (0 more)");
    press(&mut app, &["C-r"]);
    assert_eq!(item(&app, 7).state, FeedbackState::Converted);
}

#[test]
fn the_offer_of_the_form_can_wait() {
    let mut app = inbox(inboxed(), 80, 24);
    press(&mut app, &["c", "n"]);
    assert_eq!(app.context(), Context::Inbox);
    assert!(app.screen::<StoryForm>().is_none());
    assert!(app.backlog.get(StoryId(31)).is_some(), "the draft stays");
    // A converted item is not converted twice.
    press(&mut app, &["f", "k", "c"]);
    assert_eq!(selected(&app), Some(7));
    assert_eq!(
        notice(&app),
        "F-7 was converted into S-31 already: Enter shows it"
    );
    assert!(app.backlog.get(StoryId(32)).is_none());
}

#[test]
fn link_through_the_picker_by_a_few_letters_of_a_title() {
    let mut app = inbox(inboxed(), 120, 40);
    press(&mut app, &["j"]);
    assert_eq!(selected(&app), Some(6));
    press(&mut app, &["l"]);
    assert_eq!(app.context(), Context::StoryPicker);
    typed(&mut app, "wheel");
    let picker = app.screen::<StoryPicker>().unwrap();
    let first = picker.selected_story(&app.backlog).unwrap();
    assert!(
        first.title.to_lowercase().contains("wheel"),
        "{}",
        first.title
    );
    // The best match for the owner's words, then the next.
    press(&mut app, &["Down"]);
    let second = app
        .screen::<StoryPicker>()
        .unwrap()
        .selected_story(&app.backlog)
        .unwrap()
        .id;
    let effects = press(&mut app, &["Enter"]);
    assert!(effects.contains(&Effect::Save));
    assert_eq!(app.context(), Context::Inbox);
    assert_eq!(item(&app, 6).state, FeedbackState::Linked);
    assert_eq!(item(&app, 6).story, Some(second));
    assert!(notice(&app).starts_with(&format!("Linked F-6 to {second}")));
    assert_eq!(listed(&app), [7, 5], "out of the triage queue");
    press(&mut app, &["u"]);
    assert_eq!(item(&app, 6).state, FeedbackState::New);
    assert_eq!(item(&app, 6).story, None);
}

#[test]
fn the_picker_finds_a_story_by_its_id_and_esc_changes_nothing() {
    let mut app = inbox(inboxed(), 80, 24);
    press(&mut app, &["l"]);
    typed(&mut app, "S-28");
    let picker = app.screen::<StoryPicker>().unwrap();
    assert_eq!(
        picker.selected_story(&app.backlog).map(|s| s.id),
        Some(StoryId(28))
    );
    press(&mut app, &["Esc"]);
    assert_eq!(app.context(), Context::Inbox);
    assert_eq!(item(&app, 7).state, FeedbackState::New);
    // Letters in order, anywhere, as the README has it.
    press(&mut app, &["l"]);
    typed(&mut app, "mbcsv");
    let picker = app.screen::<StoryPicker>().unwrap();
    let found = picker.selected_story(&app.backlog).unwrap();
    assert_eq!(found.title, "Export the member list to CSV");
    press(&mut app, &["Esc"]);
    // Nothing matched: Enter says so and the picker stays.
    press(&mut app, &["l"]);
    typed(&mut app, "zzqx");
    press(&mut app, &["Enter"]);
    assert_eq!(app.context(), Context::StoryPicker);
    assert!(
        notice(&app).starts_with("No story matches"),
        "{}",
        notice(&app)
    );
}

/// The letters drawn underlined on the screen's row that shows `text`:
/// what the story picker highlights as matched.
fn underlined_on_row_of(app: &App, text: &str) -> String {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Modifier;
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| backlog::tui::view::render(app, frame))
        .unwrap();
    let (_, y) = common::at(app, text);
    let buffer = terminal.backend().buffer();
    (0..width)
        .map(|x| &buffer[(x, y)])
        .filter(|cell| cell.modifier.contains(Modifier::UNDERLINED))
        .map(|cell| cell.symbol().to_string())
        .collect()
}

#[test]
fn the_picker_highlights_the_letters_matched() {
    let mut app = inbox(inboxed(), 120, 40);
    press(&mut app, &["l"]);
    typed(&mut app, "mbcsv");
    assert_eq!(
        underlined_on_row_of(&app, "Export the member list to CSV"),
        "mbCSV"
    );
    // Each word typed is matched on its own: the id, then the title.
    press(&mut app, &["Esc", "l"]);
    typed(&mut app, "S-2 Gift");
    assert_eq!(underlined_on_row_of(&app, "S-28 Gift vouchers"), "S-2Gift");
}

#[test]
fn dismiss_asks_why_and_takes_no_empty_reason() {
    let mut app = inbox(inboxed(), 80, 24);
    press(&mut app, &["x"]);
    assert_eq!(app.context(), Context::Prompt);
    assert!(
        screen(&app).contains("Why dismiss F-7?"),
        "{}",
        screen(&app)
    );
    press(&mut app, &["Enter"]);
    assert_eq!(app.context(), Context::Prompt, "still asking");
    assert_eq!(
        notice(&app),
        "Say why F-7 is dismissed, or Ctrl-G to keep it"
    );
    typed(&mut app, "Done by S-22's weekly courses");
    let effects = press(&mut app, &["Enter"]);
    assert!(effects.contains(&Effect::Save));
    assert_eq!(item(&app, 7).state, FeedbackState::Dismissed);
    assert_eq!(
        item(&app, 7).reason.as_deref(),
        Some("Done by S-22's weekly courses")
    );
    assert_eq!(listed(&app), [6, 5]);
    press(&mut app, &["u"]);
    assert_eq!(item(&app, 7).state, FeedbackState::New);
    assert_eq!(item(&app, 7).reason, None);
    // `d` asks too; cancelled, nothing changes.
    press(&mut app, &["d"]);
    typed(&mut app, "never mind");
    press(&mut app, &["C-g"]);
    assert_eq!(item(&app, 7).state, FeedbackState::New);
}

#[test]
fn reopen_puts_an_item_back_in_the_triage_queue() {
    let mut app = inbox(inboxed(), 80, 24);
    press(&mut app, &["o"]);
    assert_eq!(notice(&app), "F-7 is new already");
    // The dismissed item.
    press(&mut app, &["f", "f", "f", "f"]);
    assert_eq!(listed(&app), [2]);
    let effects = press(&mut app, &["o"]);
    assert!(effects.contains(&Effect::Save));
    assert_eq!(item(&app, 2).state, FeedbackState::New);
    assert_eq!(item(&app, 2).reason, None);
    assert!(listed(&app).is_empty());
    assert!(
        screen(&app).contains("No dismissed items."),
        "{}",
        screen(&app)
    );
    press(&mut app, &["u"]);
    assert_eq!(item(&app, 2).state, FeedbackState::Dismissed);
    assert_eq!(listed(&app), [2]);
}

#[test]
fn importance_steps_along_the_scale_and_says_where_it_ends() {
    let mut app = inbox(inboxed(), 80, 24);
    assert_eq!(item(&app, 7).importance, Importance::NiceToHave);
    let effects = press(&mut app, &["+"]);
    assert!(effects.contains(&Effect::Save));
    assert_eq!(item(&app, 7).importance, Importance::Important);
    assert_eq!(notice(&app), "F-7 is important (2)");
    press(&mut app, &["=", "+"]);
    assert_eq!(item(&app, 7).importance, Importance::Critical);
    assert_eq!(
        notice(&app),
        "F-7 is critical already, the top of the scale"
    );
    press(&mut app, &["-", "-", "-", "-"]);
    assert_eq!(item(&app, 7).importance, Importance::NotImportant);
    assert_eq!(
        notice(&app),
        "F-7 is not important already, the bottom of the scale"
    );
    // Each step is a change of its own.
    press(&mut app, &["u"]);
    assert_eq!(item(&app, 7).importance, Importance::NiceToHave);
    assert_eq!(notice(&app), "Undid importance of F-7 (4 more)");
}

#[test]
fn enter_on_a_linked_item_shows_its_story_in_the_backlog() {
    let mut app = inbox(inboxed(), 120, 40);
    press(&mut app, &["Enter"]);
    assert_eq!(app.context(), Context::Inbox, "a new item has no story");
    assert_eq!(
        notice(&app),
        "F-7 is new, on no story: c converts it into one, l links it"
    );
    press(&mut app, &["f", "f"]);
    assert_eq!(selected(&app), Some(4));
    press(&mut app, &["Enter"]);
    assert_eq!(app.context(), Context::Backlog);
    assert_eq!(app.selected_story().map(|s| s.id), Some(StoryId(28)));
    // The story shows the customers who asked for it.
    let shown = screen(&app);
    assert!(
        shown.contains("Customer evidence · 1 customer · importance 2"),
        "{shown}"
    );
}

#[test]
fn an_item_typed_in_is_new_nice_to_have_and_selected() {
    let mut app = inbox(inboxed(), 80, 24);
    press(&mut app, &["a"]);
    assert!(
        screen(&app).contains("Customer feedback:"),
        "{}",
        screen(&app)
    );
    typed(&mut app, "Please text me when my pots are out");
    press(&mut app, &["Enter"]);
    assert!(
        screen(&app).contains("From which customer:"),
        "{}",
        screen(&app)
    );
    // No customer, no item.
    press(&mut app, &["Enter"]);
    assert_eq!(app.context(), Context::Prompt);
    typed(&mut app, "Fern Lopez");
    let effects = press(&mut app, &["Enter"]);
    assert!(effects.contains(&Effect::Save));
    let added = item(&app, 8);
    assert_eq!(added.customer, "Fern Lopez");
    assert_eq!(added.text, "Please text me when my pots are out");
    assert_eq!(added.importance, Importance::NiceToHave);
    assert_eq!(added.state, FeedbackState::New);
    assert_eq!(added.date, fixed_clock());
    assert_eq!(selected(&app), Some(8));
    assert_eq!(
        notice(&app),
        "Added F-8, nice to have: + makes it more important"
    );
    press(&mut app, &["u"]);
    assert!(app.backlog.feedback_item(FeedbackId(8)).is_err());
}

#[test]
fn an_item_added_while_another_view_is_shown_shows_the_new_items() {
    let mut app = inbox(inboxed(), 80, 24);
    press(&mut app, &["f", "f", "a"]);
    typed(&mut app, "Gift vouchers, please");
    press(&mut app, &["Enter"]);
    typed(&mut app, "Ann");
    press(&mut app, &["Enter"]);
    assert_eq!(pane(&app).shown, Shown::New);
    assert_eq!(selected(&app), Some(8));
}

#[test]
fn with_nothing_to_act_on_the_keys_say_so() {
    let mut app = inbox(demo_backlog(), 80, 24);
    let shown = screen(&app);
    assert!(shown.contains("The inbox is empty."), "{shown}");
    for key in ["c", "l", "x", "o", "+", "Enter"] {
        press(&mut app, &[key]);
        assert_eq!(app.context(), Context::Inbox, "{key}");
        assert_eq!(notice(&app), "No item is selected: a adds one", "{key}");
    }
}

#[test]
fn another_writers_new_items_keep_the_selection_where_it_was() {
    let mut app = inbox(inboxed(), 80, 24);
    press(&mut app, &["j"]);
    assert_eq!(selected(&app), Some(6));
    let mut theirs = app.backlog.clone();
    theirs
        .add_feedback(said(
            "Ann",
            "support",
            Importance::Critical,
            20,
            "Newer still",
        ))
        .unwrap();
    common::reload(
        &mut app,
        theirs,
        "Read in another writer's changes",
        Vec::new(),
    );
    assert_eq!(listed(&app), [8, 7, 6, 5]);
    assert_eq!(selected(&app), Some(6));
}

#[test]
fn tab_focuses_the_item_whose_keys_scroll_it() {
    let mut b = inboxed();
    let long: Vec<String> = (1..=60)
        .map(|n| format!("Line {n} of a long message"))
        .collect();
    b.add_feedback(said(
        "Ann",
        "email",
        Importance::Important,
        20,
        &long.join("\n"),
    ))
    .unwrap();
    let mut app = inbox(b, 80, 24);
    assert_eq!(selected(&app), Some(8));
    press(&mut app, &["Tab"]);
    assert_eq!(app.context(), Context::InboxItem);
    assert!(screen(&app).contains("Ann · via email"), "{}", screen(&app));
    press(&mut app, &["j", "j", "j"]);
    assert_eq!(pane(&app).item_scroll, 3);
    assert!(
        !screen(&app).contains("Ann · via email"),
        "{}",
        screen(&app)
    );
    // As far as its last line, and no further.
    for _ in 0..100 {
        press(&mut app, &["j"]);
    }
    assert!(screen(&app).contains("Line 60 of"), "{}", screen(&app));
    let end = pane(&app).item_scroll;
    assert!(end < 70, "{end}");
    // The inbox's keys still act; Tab goes back to the list.
    press(&mut app, &["+"]);
    assert_eq!(item(&app, 8).importance, Importance::Critical);
    press(&mut app, &["Tab", "j"]);
    assert_eq!(selected(&app), Some(7));
    assert_eq!(pane(&app).item_scroll, 0, "another item starts at its top");
}

#[test]
fn a_click_selects_an_item_and_focuses_the_half_clicked() {
    let mut app = inbox(inboxed(), 120, 40);
    common::click_on(&mut app, "Dark mode for the kiln log");
    assert_eq!(selected(&app), Some(5));
    common::click_on(&mut app, "Marrow Street Pottery · via GitHub");
    assert_eq!(app.context(), Context::InboxItem);
    common::click_on(&mut app, "Sam Okafor");
    assert_eq!(app.context(), Context::Inbox);
    assert_eq!(selected(&app), Some(7));
    // The wheel over the list moves the selection, to the last at most.
    let at = common::at(&app, "Members can't tell");
    common::wheel(&mut app, true, at);
    assert_eq!(selected(&app), Some(5));
    // Over the item, the wheel scrolls it.
    let mut b = inboxed();
    let long: Vec<String> = (1..=40).map(|n| format!("Line {n}")).collect();
    b.add_feedback(said(
        "Ann",
        "email",
        Importance::Important,
        20,
        &long.join("\n"),
    ))
    .unwrap();
    let mut app = inbox(b, 120, 40);
    let at = common::at(&app, "Ann · via email");
    common::wheel(&mut app, true, at);
    assert_eq!(pane(&app).item_scroll, 3);
    assert_eq!(selected(&app), Some(8));
}

#[test]
fn the_help_lists_the_inbox_and_its_keys() {
    let mut app = inbox(inboxed(), 120, 60);
    press(&mut app, &["?"]);
    let shown = common::scrolled_through(&mut app, 400);
    assert!(
        shown.contains("Inbox pane: customer feedback to triage (5)"),
        "{shown}"
    );
    assert!(shown.contains("show the inbox pane"), "{shown}");
    for line in [
        "c               convert the item into a draft story, at the bottom",
        "l               link the item to a story, found by its title or id",
        "x d             dismiss the item, saying why",
        "Story picker: type part of a title or id (l)",
    ] {
        assert!(shown.contains(line), "{line} in\n{shown}");
    }
}

#[test]
fn the_demo_has_an_inbox_at_work() {
    let b = planned_demo(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
    let states: Vec<FeedbackState> = b.feedback().iter().map(|f| f.state).collect();
    let count = |state| states.iter().filter(|s| **s == state).count();
    assert!(count(FeedbackState::New) >= 3, "{states:?}");
    assert!(count(FeedbackState::Linked) >= 1, "{states:?}");
    assert_eq!(count(FeedbackState::Converted), 1, "{states:?}");
    assert_eq!(b.len(), 30, "no story is added for it");
    // Said in the weeks before the day it is written.
    let today = Utc.with_ymd_and_hms(2026, 11, 20, 23, 59, 0).unwrap();
    assert!(b.feedback().iter().all(|f| f.date <= today));
    let evidence = b.evidence(StoryId(17));
    assert_eq!(evidence.customers, 1);
    let app = inbox(b, 80, 24);
    assert!(
        screen(&app).contains("Inbox — 3 new of 7"),
        "{}",
        screen(&app)
    );
}

/// Items whose text, customer and source carry an escape sequence that
/// would turn the terminal red and a bell.
fn escaping() -> Backlog {
    let mut b = inboxed();
    let mut item = said(
        "Evil\u{1b}[31m Corp",
        "support\u{7}",
        Importance::Critical,
        20,
        "Red \u{1b}[31malert\u{7} in the title\nAnd \u{1b}[2J in the body",
    );
    item.link = Some("https://example.com/\u{1b}[0m".into());
    b.add_feedback(item).unwrap();
    b
}

#[test]
fn escape_and_control_characters_never_reach_the_screen() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut app = inbox(escaping(), width, height);
        press(&mut app, &["f"]);
        let shown = screen(&app);
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "{shown}"
        );
        assert!(shown.contains("Red �[31malert�"), "{shown}");
    }
    let app = inbox(escaping(), 80, 24);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_inbox_80x24() {
    let app = inbox(inboxed(), 80, 24);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_inbox_of_every_state_120x40() {
    let mut app = inbox(inboxed(), 120, 40);
    press(&mut app, &["f", "j", "j", "j"]);
    assert_eq!(selected(&app), Some(4));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_inbox_of_every_state_80x24() {
    let mut app = inbox(inboxed(), 80, 24);
    press(&mut app, &["f", "G"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_dismissed_80x24() {
    let mut app = inbox(inboxed(), 80, 24);
    press(&mut app, &["f", "f", "f", "f"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_story_picker_80x24() {
    let mut app = inbox(inboxed(), 80, 24);
    press(&mut app, &["l"]);
    typed(&mut app, "memb");
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_story_picker_120x40() {
    let mut app = inbox(inboxed(), 120, 40);
    press(&mut app, &["j", "l"]);
    typed(&mut app, "book");
    press(&mut app, &["Down"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_convert_offer_80x24() {
    let mut app = inbox(inboxed(), 80, 24);
    press(&mut app, &["c"]);
    insta::assert_snapshot!(screen(&app));
}

/// The backlog with S-28 selected: two customers asked for it.
fn with_evidence(width: u16, height: u16) -> App {
    let mut b = inboxed();
    b.link_feedback(FeedbackId(6), StoryId(28), fixed_clock())
        .unwrap();
    let mut app = inbox(b, width, height);
    press(&mut app, &["f", "f"]);
    assert_eq!(selected(&app), Some(6));
    press(&mut app, &["Enter"]);
    assert_eq!(app.selected_story().map(|s| s.id), Some(StoryId(28)));
    app
}

#[test]
fn the_story_pane_shows_the_customers_who_asked_for_it() {
    let app = with_evidence(120, 40);
    let shown = screen(&app);
    assert!(
        shown.contains("Customer evidence · 2 customers · importance 5"),
        "{shown}"
    );
    // Newest first: F-6 (critical) said on the 18th, F-4 on the 12th.
    let newest = shown
        .find("●●● Harbour Clay Collective: Members can't")
        .unwrap();
    let older = shown
        .find("●●○ Dana Whitlock: We'd sell gift vouchers")
        .unwrap();
    assert!(newest < older, "{shown}");
    // A story no customer asked for shows no heading at all.
    let mut other = common::app(inboxed(), 120, 40);
    press(&mut other, &["g"]);
    assert!(
        !screen(&other).contains("Customer evidence"),
        "{}",
        screen(&other)
    );
}

#[test]
fn snapshot_story_pane_with_evidence_120x40() {
    let app = with_evidence(120, 40);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_story_pane_with_evidence_80x24() {
    let mut app = with_evidence(80, 24);
    // Scrolled down to the evidence, below the criteria.
    press(&mut app, &["Tab", "j", "j", "j", "j", "j", "j"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn no_terminal_size_makes_it_panic() {
    let mut b = escaping();
    b.add(
        &StoryPatch::title("A story"),
        Placement::Bottom,
        fixed_clock(),
    )
    .unwrap();
    let mut app = inbox(b, 80, 24);
    for width in (1..=130).step_by(9) {
        for height in (1..=44).step_by(5) {
            app.update(Action::Resize(width, height));
            screen(&app);
            press(&mut app, &["j", "f", "Tab", "j", "Tab", "G"]);
            screen(&app);
            // The picker and the questions too.
            press(&mut app, &["l"]);
            screen(&app);
            press(&mut app, &["Esc", "x"]);
            screen(&app);
            press(&mut app, &["C-g"]);
        }
    }
}

#[test]
fn an_inbox_of_seventeen_thousand_items_draws_only_its_rows() {
    let mut b = demo_backlog();
    let items = (0..17_000)
        .map(|n| {
            said(
                &format!("Customer {}", n % 900),
                "gitlab",
                Importance::NiceToHave,
                1 + u32::try_from(n % 28).unwrap(),
                &format!("Issue {n}: something to fix"),
            )
        })
        .collect();
    b.add_feedback_items(items).unwrap();
    let mut app = inbox(b, 120, 40);
    assert!(
        screen(&app).contains("Inbox — 17000 new of 17000"),
        "{}",
        screen(&app)
    );
    press(&mut app, &["G", "c", "n", "u"]);
    assert_eq!(pane(&app).rows.len(), 17_000);
    assert_eq!(item(&app, 1).state, FeedbackState::New);
}
