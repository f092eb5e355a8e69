//! The epics panel (`E`) and the vision panel (`V`), driven through the
//! real keymap and update path, and drawn on a `TestBackend`.

mod common;

use backlog::cli::demo_backlog;
use backlog::model::{Backlog, EpicColor, EpicStories, Placement, StoryPatch};
use backlog::tui::action::{Action, Effect};
use backlog::tui::app::App;
use backlog::tui::filter::EpicFilter;
use backlog::tui::keymap::Context;
use backlog::tui::screens::epics::{EpicStep, EpicsPanel};
use backlog::tui::screens::vision::VisionPanel;
use common::{
    app, fixed_clock, notice, order, press, reload, screen, scrolled_through, shown, typed,
};

fn demo() -> App {
    app(demo_backlog(), 100, 30)
}

/// Clear a one-line input, whatever it holds: the cursor starts at the
/// end, and Ctrl-J deletes back to the start of the line.
fn clear(app: &mut App) {
    press(app, &["C-u"]);
}

fn epic_names(app: &App) -> Vec<String> {
    let epics = &app.backlog.product.epics;
    epics.iter().map(|e| e.name.clone()).collect()
}

/// Ids of the stories in an epic, in rank order.
fn in_epic(app: &App, name: &str) -> Vec<u64> {
    app.backlog
        .ranked()
        .filter(|s| s.epic.as_deref() == Some(name))
        .map(|s| s.id.0)
        .collect()
}

/// Open the epics panel and highlight the epic called `name`.
fn open_at(app: &mut App, name: &str) {
    press(app, &["E"]);
    let at = epic_names(app).iter().position(|n| n == name).unwrap();
    for _ in 0..at {
        press(app, &["j"]);
    }
}

/// Filter the table on an epic, through the filter panel.
fn filter_on_epic(app: &mut App, name: &str) {
    press(app, &["f", "j", "j"]);
    let wanted = Some(EpicFilter::Named(name.to_string()));
    for _ in 0..app.backlog.product.epics.len() + 2 {
        if app.table.filter.epic == wanted {
            break;
        }
        press(app, &["l"]);
    }
    assert_eq!(app.table.filter.epic, wanted, "no epic {name} to filter on");
    press(app, &["Enter"]);
}

fn step(app: &App) -> &EpicStep {
    match app.screen::<EpicsPanel>() {
        Some(panel) => &panel.step,
        None => panic!("the epics panel is not open: {:?}", app.context()),
    }
}

// The epics panel.

#[test]
fn e_opens_the_epics_panel_and_esc_q_or_e_close_it() {
    let mut app = demo();
    for close in ["Esc", "q", "E"] {
        press(&mut app, &["E"]);
        assert!(app.screen::<EpicsPanel>().is_some());
        press(&mut app, &[close]);
        assert_eq!(app.context(), Context::Backlog, "{close} did not close");
    }
}

#[test]
fn selection_stays_within_the_epics() {
    let mut app = demo();
    press(&mut app, &["E", "k"]);
    let row = |app: &App| app.screen::<EpicsPanel>().unwrap().row;
    assert_eq!(row(&app), 0);
    press(&mut app, &["j", "Down", "j", "j", "j", "j"]);
    assert_eq!(row(&app), 3);
    press(&mut app, &["Up"]);
    assert_eq!(row(&app), 2);
}

#[test]
fn a_creates_an_epic_in_the_next_free_colour() {
    let mut app = demo();
    press(&mut app, &["E", "a"]);
    assert!(matches!(step(&app), EpicStep::Typing { .. }));
    // Letters are text while typing, not panel keys.
    let effects = typed(&mut app, "Gift cards");
    assert!(effects.is_empty());
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    let epic = app.backlog.product.epic("Gift cards").unwrap();
    assert_eq!(epic.color, EpicColor::Cyan);
    assert!(epic.goal.is_empty() && epic.target_release.is_none());
    assert!(
        notice(&app).contains("Added epic Gift cards"),
        "{}",
        notice(&app)
    );
    // Back to browsing, on the new epic.
    assert!(matches!(step(&app), EpicStep::Browse));
    assert_eq!(app.screen::<EpicsPanel>().unwrap().row, 4);
}

#[test]
fn a_name_taken_in_another_case_is_refused_and_a_case_change_renames() {
    let mut app = demo();
    let before = app.backlog.clone();
    press(&mut app, &["E", "a"]);
    typed(&mut app, "BILLING");
    assert_eq!(press(&mut app, &["Enter"]), []);
    assert_eq!(notice(&app), "there is already an epic \"Billing\"");
    assert_eq!(app.backlog, before);
    press(&mut app, &["C-g", "Esc"]);
    open_at(&mut app, "Billing");
    press(&mut app, &["r"]);
    clear(&mut app);
    typed(&mut app, "BILLING");
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    assert!(epic_names(&app).contains(&"BILLING".to_string()));
    assert_eq!(in_epic(&app, "BILLING").len(), 6);
    assert!(in_epic(&app, "Billing").is_empty());
    // Undone and redone like any rename.
    press(&mut app, &["Esc", "u"]);
    assert_eq!(app.backlog, before, "{}", notice(&app));
    press(&mut app, &["C-r"]);
    assert_eq!(epic_names(&app).len(), before.product.epics.len());
    assert_eq!(in_epic(&app, "BILLING").len(), 6);
}

#[test]
fn an_empty_or_taken_name_is_refused_and_ctrl_g_cancels() {
    let mut app = demo();
    press(&mut app, &["E", "a"]);
    assert!(press(&mut app, &["Enter"]).is_empty());
    assert!(app.notice.as_ref().unwrap().is_error());
    assert!(matches!(step(&app), EpicStep::Typing { .. }));
    typed(&mut app, "Booking");
    assert!(press(&mut app, &["Enter"]).is_empty());
    assert!(notice(&app).contains("already an epic"), "{}", notice(&app));
    // Esc keeps it as Enter does: refused again, and still typing.
    assert!(press(&mut app, &["Esc"]).is_empty());
    assert!(matches!(step(&app), EpicStep::Typing { .. }));
    press(&mut app, &["C-g"]);
    assert!(matches!(step(&app), EpicStep::Browse));
    assert_eq!(app.backlog.product.epics.len(), 4);
}

#[test]
fn rename_carries_to_the_stories_and_the_filter() {
    let mut app = demo();
    let members = in_epic(&app, "Booking");
    assert!(!members.is_empty());
    // Filter on the epic first: the table must still show its stories.
    filter_on_epic(&mut app, "Booking");
    assert!(members.len() > 2 && members.len() < 30, "{members:?}");
    assert_eq!(shown(&app), members);
    open_at(&mut app, "Booking");
    press(&mut app, &["r"]);
    clear(&mut app);
    typed(&mut app, "Bookings");
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    assert_eq!(in_epic(&app, "Bookings"), members);
    assert!(in_epic(&app, "Booking").is_empty());
    assert_eq!(
        epic_names(&app),
        ["Studio admin", "Bookings", "Billing", "Kiln queue"]
    );
    assert_eq!(
        app.table.filter.epic,
        Some(EpicFilter::Named("Bookings".to_string()))
    );
    assert_eq!(shown(&app), members);
    assert!(notice(&app).contains("Renamed Booking to Bookings"));
}

#[test]
fn an_unchanged_name_changes_nothing() {
    let mut app = demo();
    open_at(&mut app, "Billing");
    assert!(press(&mut app, &["r", "Enter"]).is_empty());
    assert!(matches!(step(&app), EpicStep::Browse));
    assert_eq!(epic_names(&app)[2], "Billing");
}

#[test]
fn c_steps_the_colour() {
    let mut app = demo();
    open_at(&mut app, "Booking");
    assert_eq!(press(&mut app, &["c"]), [Effect::Save]);
    assert_eq!(
        app.backlog.product.epic("Booking").unwrap().color,
        EpicColor::Green.next()
    );
    assert_eq!(notice(&app), "Booking is magenta now");
}

#[test]
fn g_edits_the_goal() {
    let mut app = demo();
    open_at(&mut app, "Billing");
    press(&mut app, &["g"]);
    clear(&mut app);
    typed(&mut app, "Pay   at the door");
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    assert_eq!(
        app.backlog.product.epic("Billing").unwrap().goal,
        "Pay at the door"
    );
    // Ctrl-G leaves it as it was.
    press(&mut app, &["g"]);
    typed(&mut app, " and online");
    assert!(press(&mut app, &["C-g"]).is_empty());
    assert_eq!(
        app.backlog.product.epic("Billing").unwrap().goal,
        "Pay at the door"
    );
}

#[test]
fn t_edits_the_target_release_and_empty_clears_it() {
    let mut app = demo();
    open_at(&mut app, "Kiln queue");
    press(&mut app, &["t"]);
    clear(&mut app);
    typed(&mut app, "2.0");
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    let release = |app: &App| {
        app.backlog
            .product
            .epic("Kiln queue")
            .unwrap()
            .target_release
            .clone()
    };
    assert_eq!(release(&app).as_deref(), Some("2.0"));
    assert_eq!(notice(&app), "Kiln queue targets release 2.0");
    press(&mut app, &["t"]);
    clear(&mut app);
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    assert_eq!(release(&app), None);
}

#[test]
fn enter_puts_the_selected_story_in_the_epic_and_closes() {
    let mut app = demo();
    let id = app.selected_story().unwrap().id;
    assert_ne!(
        app.selected_story().unwrap().epic.as_deref(),
        Some("Billing")
    );
    open_at(&mut app, "Billing");
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    assert_eq!(app.context(), Context::Backlog);
    assert_eq!(
        app.backlog.get(id).unwrap().epic.as_deref(),
        Some("Billing")
    );
    assert_eq!(notice(&app), format!("{id} is now in Billing"));
    // Again: nothing to change, and it says so.
    open_at(&mut app, "Billing");
    assert!(press(&mut app, &["Enter"]).is_empty());
    assert_eq!(notice(&app), format!("{id} is already in Billing"));
}

#[test]
fn x_or_backspace_take_the_story_out_of_its_epic() {
    let mut app = demo();
    let id = app.selected_story().unwrap().id;
    assert!(app.selected_story().unwrap().epic.is_some());
    assert_eq!(press(&mut app, &["E", "x"]), [Effect::Save]);
    assert_eq!(app.context(), Context::Backlog);
    assert_eq!(app.backlog.get(id).unwrap().epic, None);
    assert!(notice(&app).starts_with(&format!("{id} taken out of")));
    // In no epic now: Backspace says so and changes nothing.
    assert!(press(&mut app, &["E", "Backspace"]).is_empty());
    assert_eq!(notice(&app), format!("{id} is in no epic"));
    assert!(app.screen::<EpicsPanel>().is_some());
}

#[test]
fn assigning_needs_a_story_and_an_epic() {
    let mut app = app(Backlog::new("Empty"), 80, 24);
    press(&mut app, &["E", "Enter"]);
    assert!(notice(&app).contains("No epics yet"));
    press(&mut app, &["a"]);
    typed(&mut app, "Onboarding");
    press(&mut app, &["Enter", "Enter"]);
    assert!(notice(&app).contains("No story is selected"));
    assert!(app.screen::<EpicsPanel>().is_some());
}

#[test]
fn deleting_an_epic_without_stories_asks_yes_or_no() {
    let mut app = demo();
    press(&mut app, &["E", "a"]);
    typed(&mut app, "Someday");
    press(&mut app, &["Enter", "d"]);
    assert!(matches!(step(&app), EpicStep::ConfirmDelete(_)));
    assert!(press(&mut app, &["n"]).is_empty());
    assert!(app.backlog.product.epic("Someday").is_some());
    press(&mut app, &["d", "Esc"]);
    assert!(app.backlog.product.epic("Someday").is_some());
    assert_eq!(press(&mut app, &["d", "y"]), [Effect::Save]);
    assert!(app.backlog.product.epic("Someday").is_none());
    assert_eq!(notice(&app), "Deleted epic Someday");
    assert!(matches!(step(&app), EpicStep::Browse));
    assert_eq!(app.screen::<EpicsPanel>().unwrap().row, 3);
}

#[test]
fn deleting_an_epic_can_leave_its_stories_in_no_epic() {
    let mut app = demo();
    let members = in_epic(&app, "Booking");
    open_at(&mut app, "Booking");
    press(&mut app, &["d"]);
    assert!(matches!(
        step(&app),
        EpicStep::Deleting {
            choice: EpicStories::Unassign,
            ..
        }
    ));
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    assert!(app.backlog.product.epic("Booking").is_none());
    assert_eq!(app.backlog.len(), 30);
    for id in &members {
        let story = app.backlog.stories_by_id().iter().find(|s| s.id.0 == *id);
        assert_eq!(story.unwrap().epic, None);
    }
    assert_eq!(
        notice(&app),
        format!(
            "Deleted epic Booking; its {} stories are in no epic",
            members.len()
        )
    );
}

#[test]
fn deleting_an_epic_with_one_story_says_it_in_the_singular() {
    let mut app = demo();
    // Leave Booking one story.
    for id in in_epic(&app, "Booking").into_iter().skip(1) {
        let patch = StoryPatch {
            epic: Some(None),
            ..StoryPatch::default()
        };
        app.backlog
            .edit(backlog::model::StoryId(id), &patch, fixed_clock())
            .unwrap();
    }
    open_at(&mut app, "Booking");
    press(&mut app, &["d"]);
    let shown = screen(&app);
    assert!(
        shown.contains("It has 1 story (5 pts). What becomes of it?"),
        "{shown}"
    );
    assert!(shown.contains("Keep it, in no epic"), "{shown}");
    press(&mut app, &["Enter"]);
    assert_eq!(
        notice(&app),
        "Deleted epic Booking; its 1 story is in no epic"
    );
}

#[test]
fn deleting_an_epic_can_move_its_stories_to_another() {
    let mut app = demo();
    let members = in_epic(&app, "Booking");
    let mut both = in_epic(&app, "Kiln queue");
    both.extend(&members);
    both.sort_unstable();
    open_at(&mut app, "Booking");
    // Choices: no epic, Studio admin, Billing, Kiln queue, delete.
    press(&mut app, &["d", "l", "Right", "j"]);
    assert!(
        matches!(step(&app), EpicStep::Deleting { choice: EpicStories::MoveTo(name), .. } if name == "Kiln queue")
    );
    press(&mut app, &["h", "Down"]);
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    let mut moved = in_epic(&app, "Kiln queue");
    moved.sort_unstable();
    assert_eq!(moved, both);
    assert_eq!(
        notice(&app),
        format!(
            "Deleted epic Booking; its {} stories moved to Kiln queue",
            members.len()
        )
    );
}

#[test]
fn deleting_an_epic_can_delete_its_stories_and_esc_keeps_everything() {
    let mut app = demo();
    let members = in_epic(&app, "Billing");
    open_at(&mut app, "Billing");
    press(&mut app, &["d", "j", "j", "j", "j", "j", "j", "Esc"]);
    assert!(matches!(step(&app), EpicStep::Browse));
    assert_eq!(app.backlog.len(), 30);
    // The last choice, however far one presses past it.
    assert_eq!(
        press(&mut app, &["d", "j", "j", "j", "j", "j", "Enter"]),
        [Effect::Save]
    );
    assert_eq!(app.backlog.len(), 30 - members.len());
    assert!(app.backlog.product.epic("Billing").is_none());
    assert_eq!(
        notice(&app),
        format!("Deleted epic Billing and its {} stories", members.len())
    );
    // The table no longer shows them, and the selection is in range.
    assert_eq!(app.row_count(), 30 - members.len());
    assert!(app.table.selected < app.row_count());
}

#[test]
fn deleting_the_epic_filtered_on_clears_that_filter() {
    let mut app = demo();
    let members = in_epic(&app, "Billing");
    assert!(members.len() > 2 && members.len() < 30, "{members:?}");
    filter_on_epic(&mut app, "Billing");
    assert_eq!(shown(&app), members);
    open_at(&mut app, "Billing");
    press(&mut app, &["d", "Enter"]);
    assert_eq!(app.table.filter.epic, None);
    assert_eq!(shown(&app), order(&app));
}

// The vision panel.

fn vision_row(app: &App) -> usize {
    match app.screen::<VisionPanel>() {
        Some(panel) => panel.row,
        None => panic!("the vision panel is not open: {:?}", app.context()),
    }
}

fn goals(app: &App) -> Vec<String> {
    app.backlog.product.goals.clone()
}

#[test]
fn v_opens_the_vision_panel_and_esc_q_or_v_close_it() {
    let mut app = demo();
    for close in ["Esc", "q", "V"] {
        press(&mut app, &["V"]);
        assert!(app.screen::<VisionPanel>().is_some());
        press(&mut app, &[close]);
        assert_eq!(app.context(), Context::Backlog, "{close} did not close");
    }
}

#[test]
fn the_vision_is_typed_over_several_lines_and_kept_with_ctrl_s() {
    let mut app = demo();
    press(&mut app, &["V", "j", "Enter"]);
    // Start afresh: select all the text there is and replace it.
    for _ in 0..app.backlog.product.vision.len() {
        press(&mut app, &["Backspace"]);
    }
    typed(&mut app, "Clay for everyone.");
    assert!(
        press(&mut app, &["Enter"]).is_empty(),
        "Enter is a new line"
    );
    typed(&mut app, "Kilns for all.");
    assert_eq!(press(&mut app, &["C-s"]), [Effect::Save]);
    assert_eq!(
        app.backlog.product.vision,
        "Clay for everyone.\nKilns for all."
    );
    assert_eq!(notice(&app), "The vision is kept");
    assert!(
        app.screen::<VisionPanel>()
            .is_some_and(|p| p.typing.is_none())
    );
}

#[test]
fn ctrl_g_leaves_the_vision_as_it_was() {
    let mut app = demo();
    let before = app.backlog.product.vision.clone();
    press(&mut app, &["V", "j", "Enter"]);
    typed(&mut app, " And mugs.");
    assert!(press(&mut app, &["C-g"]).is_empty());
    assert_eq!(app.backlog.product.vision, before);
    assert!(
        app.screen::<VisionPanel>()
            .is_some_and(|p| p.typing.is_none())
    );
    // Kept unchanged: nothing to save.
    press(&mut app, &["Enter"]);
    assert!(press(&mut app, &["C-s"]).is_empty());
}

#[test]
fn the_product_name_is_edited_on_the_first_row() {
    let mut app = demo();
    press(&mut app, &["V", "Enter"]);
    clear(&mut app);
    assert!(press(&mut app, &["Enter"]).is_empty());
    assert!(notice(&app).contains("needs a name"));
    typed(&mut app, "Kilnhouse Pro");
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    assert_eq!(app.backlog.product.name, "Kilnhouse Pro");
}

#[test]
fn goals_are_added_after_the_selected_one() {
    let mut app = demo();
    let mut expected = goals(&app);
    // On the vision row, a goal goes at the end.
    press(&mut app, &["V", "j", "a"]);
    typed(&mut app, "Runs on any phone");
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    expected.push("Runs on any phone".to_string());
    assert_eq!(goals(&app), expected);
    assert_eq!(vision_row(&app), 2 + 3);
    // On the first goal, the next one goes after it.
    press(&mut app, &["k", "k", "k", "o"]);
    assert_eq!(vision_row(&app), 2);
    typed(&mut app, "Second");
    press(&mut app, &["Enter"]);
    expected.insert(1, "Second".to_string());
    assert_eq!(goals(&app), expected);
    assert_eq!(vision_row(&app), 3);
    // An empty new goal is refused.
    press(&mut app, &["a"]);
    assert!(press(&mut app, &["Enter"]).is_empty());
    assert!(app.notice.as_ref().unwrap().is_error());
    press(&mut app, &["Esc"]);
    assert_eq!(goals(&app), expected);
}

#[test]
fn goals_are_edited_and_emptying_one_removes_it() {
    let mut app = demo();
    let mut expected = goals(&app);
    press(&mut app, &["V", "j", "j", "j", "Enter"]);
    clear(&mut app);
    typed(&mut app, "Nobody asks where their pot is");
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    expected[1] = "Nobody asks where their pot is".to_string();
    assert_eq!(goals(&app), expected);
    press(&mut app, &["Enter"]);
    clear(&mut app);
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    expected.remove(1);
    assert_eq!(goals(&app), expected);
}

#[test]
fn d_removes_a_goal_and_only_a_goal() {
    let mut app = demo();
    let mut expected = goals(&app);
    press(&mut app, &["V"]);
    assert!(press(&mut app, &["d"]).is_empty());
    assert!(app.notice.as_ref().unwrap().is_error());
    for _ in 0..10 {
        press(&mut app, &["j"]);
    }
    assert_eq!(vision_row(&app), 4);
    assert_eq!(press(&mut app, &["Del"]), [Effect::Save]);
    let removed = expected.pop().unwrap();
    assert_eq!(goals(&app), expected);
    assert_eq!(notice(&app), format!("Removed the goal \"{removed}\""));
    // The selection stays on a row that exists.
    assert_eq!(vision_row(&app), 3);
}

#[test]
fn shift_j_and_k_reorder_the_goals() {
    let mut app = demo();
    let before = goals(&app);
    press(&mut app, &["V", "j", "j"]);
    assert_eq!(press(&mut app, &["J"]), [Effect::Save]);
    assert_eq!(
        goals(&app),
        [before[1].clone(), before[0].clone(), before[2].clone()]
    );
    assert_eq!(vision_row(&app), 3, "the selection follows the goal");
    press(&mut app, &["S-Down"]);
    assert_eq!(
        goals(&app),
        [before[1].clone(), before[2].clone(), before[0].clone()]
    );
    // At the bottom it stays.
    assert!(press(&mut app, &["J"]).is_empty());
    assert_eq!(press(&mut app, &["K", "K"]), [Effect::Save, Effect::Save]);
    assert_eq!(goals(&app), before);
    assert!(press(&mut app, &["K"]).is_empty());
}

// Help and drawing.

#[test]
fn help_lists_the_panels_keys() {
    let mut app = app(demo_backlog(), 120, 60);
    press(&mut app, &["?"]);
    let lines = backlog::tui::screens::help::lines(&app.keymap, false, &app.pane_titles());
    let shown = scrolled_through(&mut app, lines.len());
    for context in [
        Context::Epics,
        Context::EpicDelete,
        Context::EpicConfirm,
        Context::Vision,
        Context::PanelLine,
        Context::PanelText,
    ] {
        for offer in context.offers() {
            assert!(shown.contains(offer.help), "help lacks {:?}", offer.help);
        }
    }
}

#[test]
fn panels_render_at_every_size_without_panicking() {
    let mut app = app(demo_backlog(), 100, 30);
    for keys in [
        &["E"][..],
        &["r"],
        &["Esc", "d"],
        &["Esc", "Esc", "V"],
        &["j", "Enter"],
        &["Esc", "j", "a"],
    ] {
        press(&mut app, keys);
        for width in (1..=130).step_by(7) {
            for height in (1..=40).step_by(3) {
                app.update(Action::Resize(width, height));
                screen(&app);
            }
        }
    }
}

#[test]
fn snapshot_epics_panel_wide() {
    let mut app = demo();
    press(&mut app, &["j", "j", "E", "j"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_epics_panel_80x24() {
    let mut app = app(demo_backlog(), 80, 24);
    press(&mut app, &["E", "j", "j", "r"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_epics_panel_empty() {
    let mut b = Backlog::new("Fresh");
    b.add(
        &StoryPatch::title("First story"),
        Placement::Bottom,
        fixed_clock(),
    )
    .unwrap();
    let mut app = app(b, 80, 24);
    press(&mut app, &["E"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_epic_delete_choices() {
    let mut app = app(demo_backlog(), 80, 24);
    press(&mut app, &["E", "j", "d", "j", "j"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_vision_panel_wide() {
    let mut app = demo();
    press(&mut app, &["V", "j", "j", "j"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_vision_panel_80x24() {
    let mut app = app(demo_backlog(), 80, 24);
    press(&mut app, &["V", "j"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_vision_typing_80x24() {
    let mut app = app(demo_backlog(), 80, 24);
    press(&mut app, &["V", "j", "j", "a"]);
    typed(&mut app, "Works offline in the glaze room");
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn the_chosen_fate_of_the_stories_holds_when_epics_change_elsewhere() {
    let mut app = demo();
    let members = in_epic(&app, "Booking");
    open_at(&mut app, "Booking");
    // Choices: no epic, Studio admin, Billing, Kiln queue, delete.
    press(&mut app, &["d", "l", "l", "l"]);
    // Another program deletes Studio admin meanwhile.
    let mut theirs = app.backlog.clone();
    theirs
        .remove_epic("Studio admin", &EpicStories::Unassign, fixed_clock())
        .unwrap();
    reload(&mut app, theirs, "changed elsewhere", Vec::new());
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    assert_eq!(app.backlog.len(), 30, "nothing deleted");
    for id in &members {
        let story = app.backlog.stories_by_id().iter().find(|s| s.id.0 == *id);
        assert_eq!(story.unwrap().epic.as_deref(), Some("Kiln queue"));
    }
}

#[test]
fn deleting_an_epic_with_its_stories_keeps_the_selection_where_it_was() {
    let mut app = demo();
    // Select a story outside Booking, below some Booking stories.
    let target = app
        .backlog
        .ranked()
        .skip(10)
        .find(|s| s.epic.as_deref() != Some("Booking"))
        .map(|s| s.id)
        .unwrap();
    for _ in 0..app.backlog.len() {
        if app.selected_story().unwrap().id == target {
            break;
        }
        press(&mut app, &["j"]);
    }
    assert_eq!(app.selected_story().unwrap().id, target);
    open_at(&mut app, "Booking");
    press(&mut app, &["d", "h", "h", "h", "h", "l", "l", "l", "l"]);
    assert!(matches!(
        step(&app),
        EpicStep::Deleting {
            choice: EpicStories::Delete,
            ..
        }
    ));
    press(&mut app, &["Enter"]);
    assert_eq!(app.selected_story().unwrap().id, target);
}
