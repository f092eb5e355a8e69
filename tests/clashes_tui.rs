//! The clashes panel (`!`): the fields a git merge left clashing, shown
//! with base, ours and theirs, and settled with ours, theirs or a value
//! typed, each an undoable change; driven through the real keymap and
//! update path, and drawn on a `TestBackend`.

mod common;

use backlog::cli::demo_backlog;
use backlog::model::{Backlog, Clash, StoryId};
use backlog::tui::app::App;
use backlog::tui::keymap::Context;
use common::{app, notice, press, screen, typed};
use serde_json::{Value, json};

/// The demo's story ranked at the top, selected as the app opens.
const TOP: StoryId = StoryId(2);
/// The demo's story ranked second.
const NEXT: StoryId = StoryId(1);

fn clash(story: Option<StoryId>, field: &str, base: Value, ours: Value, theirs: Value) -> Clash {
    Clash {
        story,
        field: field.into(),
        base,
        ours,
        theirs,
        ours_by: Some("Ann Owner".into()),
        theirs_by: Some("Ben Lead".into()),
    }
}

/// The demo as a merge of it left it: the top story's title and the
/// next one's estimate changed differently on each side, and the vision.
fn merged() -> Backlog {
    let mut backlog = demo_backlog();
    let title = backlog.get(TOP).unwrap().title.clone();
    let vision = backlog.product.vision.clone();
    backlog
        .record_clashes(vec![
            clash(
                Some(TOP),
                "title",
                json!("Set up the timetable"),
                json!(title),
                json!("Publish the open-studio timetable"),
            ),
            clash(Some(NEXT), "points", json!(2), json!(3), json!(5)),
            clash(
                None,
                "product.vision",
                json!(vision),
                json!(vision),
                json!("Every studio books its wheels without a spreadsheet"),
            ),
        ])
        .unwrap();
    backlog
}

fn fields(app: &App) -> Vec<String> {
    app.backlog
        .clashes()
        .iter()
        .map(|c| {
            let on = c
                .story
                .map_or_else(|| "product".into(), |id| id.to_string());
            format!("{on} {}", c.field)
        })
        .collect()
}

#[test]
fn the_table_marks_each_story_with_a_clash_and_the_story_pane_says_so() {
    let app = app(merged(), 100, 30);
    let shown = screen(&app);
    insta::assert_snapshot!(shown);
    // The two stories' rows, and the story pane of the selected one.
    assert!(shown.contains("S-2    ≠ Set up the weekly"), "{shown}");
    assert!(shown.contains("S-1    ≠ Sign in"), "{shown}");
    assert!(
        shown.contains("│≠ Clash on title from a git merge"),
        "{shown}"
    );
    assert_eq!(shown.matches('≠').count(), 3, "no other story:\n{shown}");
}

#[test]
fn the_panel_shows_each_clash_with_base_ours_and_theirs() {
    let mut app = app(merged(), 100, 30);
    press(&mut app, &["!"]);
    assert_eq!(app.top().context(), Context::Clashes);
    insta::assert_snapshot!("panel_100x30", screen(&app));
}

#[test]
fn the_panel_scrolls_to_the_clash_selected_at_80_by_24() {
    let mut backlog = merged();
    backlog
        .record_clashes(vec![
            clash(
                Some(StoryId(3)),
                "description",
                json!(""),
                json!("Ours"),
                json!("Theirs"),
            ),
            clash(
                Some(StoryId(8)),
                "status",
                json!("ready"),
                json!("in-progress"),
                json!("done"),
            ),
        ])
        .unwrap();
    let mut app = app(backlog, 80, 24);
    press(&mut app, &["!"]);
    insta::assert_snapshot!("panel_80x24", screen(&app));
    press(&mut app, &["G"]);
    let shown = screen(&app);
    insta::assert_snapshot!("panel_80x24_last", shown);
    assert!(shown.contains("▶ S-8"), "{shown}");
    assert!(!shown.contains("more below"), "{shown}");
    press(&mut app, &["k", "k"]);
    let shown = screen(&app);
    assert!(shown.contains("▶ Product · vision"), "{shown}");
    assert!(
        shown.contains("2 more above"),
        "the list stays put:\n{shown}"
    );
}

#[test]
fn the_panel_opens_on_the_selected_storys_clash() {
    let mut app = app(merged(), 100, 30);
    press(&mut app, &["j", "!"]);
    assert_eq!(app.table.selected_story(&app.backlog).unwrap().id, NEXT);
    let shown = screen(&app);
    assert!(shown.contains("▶ S-1"), "{shown}");
    assert!(shown.contains("2 of 3"), "{shown}");
}

#[test]
fn theirs_settles_the_field_and_undo_brings_the_clash_back() {
    let mut app = app(merged(), 100, 30);
    let before = app.backlog.clone();
    press(&mut app, &["!", "t"]);
    assert_eq!(
        app.backlog.get(TOP).unwrap().title,
        "Publish the open-studio timetable"
    );
    assert_eq!(fields(&app), ["S-1 points", "product product.vision"]);
    assert_eq!(
        notice(&app),
        "Settled S-2's title with theirs · 2 clashes left"
    );
    // The panel stays, on the next clash.
    assert!(screen(&app).contains("▶ S-1"));

    press(&mut app, &["u"]);
    assert_eq!(app.backlog, before, "the title and the clash are back");
    press(&mut app, &["C-r"]);
    assert_eq!(fields(&app), ["S-1 points", "product product.vision"]);
}

#[test]
fn ours_keeps_the_file_as_it_is_and_is_a_change_to_undo() {
    let mut app = app(merged(), 100, 30);
    let story = app.backlog.get(TOP).unwrap().clone();
    press(&mut app, &["!", "o"]);
    assert_eq!(
        *app.backlog.get(TOP).unwrap(),
        story,
        "the story is untouched"
    );
    assert_eq!(fields(&app).len(), 2);
    press(&mut app, &["Esc", "u"]);
    assert_eq!(fields(&app).len(), 3, "undone from the backlog too");
}

#[test]
fn a_value_typed_settles_the_clash_and_one_that_cannot_be_stays_to_fix() {
    let mut app = app(merged(), 100, 30);
    press(&mut app, &["!", "j", "e"]);
    assert_eq!(app.top().context(), Context::Prompt);
    let shown = screen(&app);
    assert!(
        shown.contains("S-1's points: 3"),
        "seeded with ours:\n{shown}"
    );
    press(&mut app, &["C-u"]);
    typed(&mut app, "lots");
    press(&mut app, &["Enter"]);
    assert_eq!(app.top().context(), Context::Prompt, "kept to fix");
    assert!(notice(&app).contains("takes JSON"), "{}", notice(&app));
    assert_eq!(fields(&app).len(), 3, "nothing settled");

    press(&mut app, &["C-u"]);
    typed(&mut app, "13");
    press(&mut app, &["Enter"]);
    assert_eq!(app.top().context(), Context::Clashes);
    assert_eq!(
        app.backlog
            .get(NEXT)
            .unwrap()
            .points
            .map(backlog::model::Points::value),
        Some(13.0)
    );
    assert_eq!(
        notice(&app),
        "Settled S-1's points with your value · 2 clashes left"
    );
}

#[test]
fn a_text_field_takes_the_text_typed_as_it_is() {
    let mut app = app(merged(), 100, 30);
    press(&mut app, &["!", "e", "C-u"]);
    typed(&mut app, "Set up: \"weekly\" sessions");
    press(&mut app, &["Enter"]);
    assert_eq!(
        app.backlog.get(TOP).unwrap().title,
        "Set up: \"weekly\" sessions"
    );
}

#[test]
fn settling_the_last_clash_says_how_to_finish_the_merge() {
    let mut app = app(merged(), 100, 30);
    press(&mut app, &["!", "o", "t", "t"]);
    assert!(app.backlog.clashes().is_empty());
    assert_eq!(
        app.backlog.product.vision,
        "Every studio books its wheels without a spreadsheet"
    );
    let told = notice(&app).to_string();
    assert!(
        told == "No clashes left: `git add ~/.local/share/backlog/backlog.json` or `backlog sync` finishes the merge",
        "{told}"
    );
    let shown = screen(&app);
    insta::assert_snapshot!("panel_none_left", shown);
    assert!(!shown.contains('≠'), "no story is marked:\n{shown}");
    assert!(shown.contains("No clashes are left."), "{shown}");
    // Keys on an empty panel do nothing, and say nothing wrong.
    press(&mut app, &["o", "t", "e", "j"]);
    assert_eq!(app.top().context(), Context::Clashes);
    press(&mut app, &["Esc"]);
    assert_eq!(app.top().context(), Context::Backlog);
}

#[test]
fn enter_shows_the_clashs_story_in_the_backlog() {
    let mut app = app(merged(), 100, 30);
    press(&mut app, &["!", "j", "Enter"]);
    assert_eq!(app.top().context(), Context::Backlog);
    assert_eq!(app.table.selected_story(&app.backlog).unwrap().id, NEXT);
    press(&mut app, &["!", "G", "Enter"]);
    assert_eq!(app.top().context(), Context::Clashes);
    assert_eq!(notice(&app), "That clash is the product's, not a story's");
}

#[test]
fn with_no_clash_the_key_says_there_is_none() {
    let mut app = app(demo_backlog(), 100, 30);
    press(&mut app, &["!"]);
    assert_eq!(app.top().context(), Context::Backlog);
    assert_eq!(
        notice(&app),
        "No clashes: a git merge left none in the file"
    );
}

#[test]
fn the_panel_opens_from_the_other_panes_too() {
    let mut app = app(merged(), 100, 30);
    for pane in ["2", "3", "4", "5", "6"] {
        press(&mut app, &[pane, "!"]);
        assert_eq!(app.top().context(), Context::Clashes, "pane {pane}");
        press(&mut app, &["Esc"]);
    }
}

#[test]
fn a_clash_another_writer_settles_leaves_the_panel_and_the_edit_under_way() {
    use backlog::model::Settle;
    let mut app = app(merged(), 100, 30);
    press(&mut app, &["!", "e"]);
    // `backlog resolve-conflict S-2 title --theirs` in another terminal.
    let mut theirs = app.backlog.clone();
    theirs
        .settle_clash(Some(TOP), "title", Settle::Theirs, common::fixed_clock())
        .unwrap();
    common::reload(
        &mut app,
        theirs,
        "Reloaded: S-2 changed elsewhere",
        Vec::new(),
    );
    typed(&mut app, " now");
    press(&mut app, &["Enter"]);
    assert_eq!(notice(&app), "That clash is settled already");
    assert_eq!(
        app.backlog.get(TOP).unwrap().title,
        "Publish the open-studio timetable",
        "theirs stands"
    );
    assert_eq!(app.top().context(), Context::Clashes);
    let shown = screen(&app);
    assert!(shown.contains("1 of 2"), "{shown}");
}

#[test]
fn a_click_on_a_clash_selects_it() {
    let mut app = app(merged(), 100, 30);
    press(&mut app, &["!"]);
    common::click_on(&mut app, "S-1 Sign in with an email link · points");
    assert!(screen(&app).contains("2 of 3"), "{}", screen(&app));
    // A click on the gap above a clash selects none.
    let (column, row) = common::at(&app, "Product · vision");
    common::click(&mut app, (column, row - 1));
    assert!(screen(&app).contains("2 of 3"), "{}", screen(&app));
    common::click(&mut app, (column, row));
    assert!(screen(&app).contains("3 of 3"), "{}", screen(&app));
}
