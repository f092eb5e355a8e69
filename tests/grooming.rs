//! Grooming in the TUI: the story form, estimates, the Definition of
//! Ready, comments and questions, splitting, search and filters. Keys go
//! through the real keymap; screens are drawn on a `TestBackend`.

mod common;

use backlog::cli::demo_backlog;
use backlog::model::{
    Backlog, Comment, Criterion, Points, Scale, Stamp, Status, StoryId, StoryPatch,
};
use backlog::tui::action::Effect;
use backlog::tui::app::App;
use backlog::tui::keymap::Context;
use backlog::tui::screens::confirm::{Confirm, Question};
use backlog::tui::screens::editor_error::EditorError;
use backlog::tui::screens::form::{Field, StoryForm};
use backlog::tui::screens::settings::SettingsPanel;
use common::{app, fixed_clock, notice, numbered, order, press, reload, screen, shown, typed};

fn story(app: &App, id: u64) -> &backlog::model::Story {
    app.backlog.get(StoryId(id)).unwrap()
}

fn field(app: &App) -> Field {
    let form = app.screen::<StoryForm>().expect("the form is open");
    form.field(app.backlog.get(form.id).unwrap())
}

/// Whether the question "set it to ready anyway?" is asked.
fn asks_ready_anyway(app: &App) -> bool {
    matches!(
        app.screen::<Confirm>().map(|c| &c.question),
        Some(Question::ReadyAnyway { .. })
    )
}

/// Open the form on the selected story and go to `target`.
fn go_to(app: &mut App, target: Field) {
    if app.screen::<StoryForm>().is_none() {
        press(app, &["Enter"]);
    }
    for _ in 0..60 {
        press(app, &["k"]);
    }
    for _ in 0..60 {
        if field(app) == target {
            return;
        }
        press(app, &["j"]);
    }
    panic!("no field {target:?}");
}

#[test]
fn a_full_story_written_in_the_form_becomes_ready() {
    let mut app = app(numbered(3), 100, 30);
    press(&mut app, &["j", "Enter"]);
    assert_eq!(app.screen::<StoryForm>().unwrap().id, StoryId(2));
    assert_eq!(field(&app), Field::Title);

    go_to(&mut app, Field::AsA);
    press(&mut app, &["Enter"]);
    typed(&mut app, "studio member");
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    go_to(&mut app, Field::IWant);
    press(&mut app, &["Enter"]);
    typed(&mut app, "to book a wheel");
    press(&mut app, &["Enter"]);
    go_to(&mut app, Field::SoThat);
    press(&mut app, &["Enter"]);
    typed(&mut app, "I can throw after work");
    press(&mut app, &["Enter"]);

    press(&mut app, &["a"]);
    typed(&mut app, "Booking confirms the wheel");
    press(&mut app, &["Enter"]);
    assert_eq!(field(&app), Field::Criterion(0));
    press(&mut app, &["a"]);
    typed(&mut app, "Full sessions cannot be booked");
    press(&mut app, &["Enter"]);
    assert_eq!(field(&app), Field::Criterion(1));

    go_to(&mut app, Field::Estimate);
    press(&mut app, &["l", "l", "l", "l"]);
    let s = story(&app, 2);
    assert_eq!(s.as_a, "studio member");
    assert_eq!(s.i_want, "to book a wheel");
    assert_eq!(s.so_that, "I can throw after work");
    assert_eq!(
        s.acceptance_criteria
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>(),
        [
            "Booking confirms the wheel",
            "Full sessions cannot be booked"
        ]
    );
    assert_eq!(s.points, Some(Points::new(5.0).unwrap()));
    assert!(screen(&app).contains("✓ Ready: meets the Definition of Ready"));

    // Ready it: no question asked, no override.
    go_to(&mut app, Field::Status);
    press(&mut app, &["l"]);
    assert_eq!(story(&app, 2).status, Status::Ready);
    assert_eq!(story(&app, 2).ready_override, None);
    press(&mut app, &["Esc"]);
    assert_eq!(app.context(), Context::Backlog);
}

#[test]
fn ctrl_g_cancels_a_field_and_enter_or_esc_keeps_it() {
    let mut app = app(numbered(2), 100, 30);
    press(&mut app, &["Enter", "Enter"]);
    typed(&mut app, " changed");
    press(&mut app, &["C-g"]);
    assert_eq!(story(&app, 1).title, "Story 1");
    assert!(
        app.screen::<StoryForm>().is_some(),
        "Ctrl-G left the field, not the form"
    );
    press(&mut app, &["Enter"]);
    typed(&mut app, " renamed");
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    assert_eq!(story(&app, 1).title, "Story 1 renamed");
    press(&mut app, &["Enter"]);
    typed(&mut app, " again");
    assert_eq!(press(&mut app, &["Esc"]), [Effect::Save]);
    assert_eq!(story(&app, 1).title, "Story 1 renamed again");
    assert_eq!(
        app.context(),
        Context::Form,
        "Esc left the field, not the form"
    );
    press(&mut app, &["u"]);
    assert_eq!(story(&app, 1).title, "Story 1 renamed");
    // An empty title is refused and the text stays to be fixed.
    press(&mut app, &["Enter", "C-u"]);
    press(&mut app, &["Enter"]);
    assert!(app.notice.as_ref().unwrap().is_error());
    assert_eq!(story(&app, 1).title, "Story 1 renamed");
}

#[test]
fn the_description_takes_several_lines_and_ctrl_s_keeps_it() {
    let mut app = app(numbered(1), 80, 24);
    go_to(&mut app, Field::Description);
    press(&mut app, &["Enter"]);
    typed(&mut app, "First line");
    press(&mut app, &["Enter"]);
    typed(&mut app, "Second line");
    assert_eq!(story(&app, 1).description, "", "nothing kept yet");
    assert_eq!(press(&mut app, &["C-s"]), [Effect::Save]);
    assert_eq!(story(&app, 1).description, "First line\nSecond line");
}

#[test]
fn criteria_are_checked_reordered_edited_and_removed() {
    let mut app = app(with_criteria(&["one", "two", "three"]), 100, 30);
    let texts = |app: &App| -> Vec<String> {
        story(app, 1)
            .acceptance_criteria
            .iter()
            .map(|c| format!("{}{}", if c.done { "x " } else { "" }, c.text))
            .collect()
    };
    go_to(&mut app, Field::Criterion(0));
    press(&mut app, &["Space"]);
    assert_eq!(texts(&app), ["x one", "two", "three"]);
    press(&mut app, &["J"]);
    assert_eq!(texts(&app), ["two", "x one", "three"]);
    assert_eq!(field(&app), Field::Criterion(1), "the row follows it");
    press(&mut app, &["K", "K"]);
    assert_eq!(texts(&app), ["x one", "two", "three"]);
    press(&mut app, &["j", "Enter", "C-u"]);
    typed(&mut app, "TWO");
    press(&mut app, &["Enter"]);
    assert_eq!(texts(&app), ["x one", "TWO", "three"]);
    // A criterion added after the selected one.
    press(&mut app, &["a"]);
    typed(&mut app, "two and a half");
    press(&mut app, &["Enter"]);
    assert_eq!(texts(&app), ["x one", "TWO", "two and a half", "three"]);
    press(&mut app, &["d"]);
    assert_eq!(texts(&app), ["x one", "TWO", "three"]);
}

#[test]
fn estimates_step_along_the_backlog_scale() {
    let mut app = app(numbered(1), 100, 30);
    press(&mut app, &["+"]);
    assert_eq!(story(&app, 1).points, Some(Points::new(1.0).unwrap()));
    press(&mut app, &["+", "=", "+"]);
    assert_eq!(story(&app, 1).points, Some(Points::new(5.0).unwrap()));
    assert_eq!(app.notice.as_ref().unwrap().text, "S-1 estimated at 5");
    press(&mut app, &["-"]);
    assert_eq!(story(&app, 1).points, Some(Points::new(3.0).unwrap()));
    press(&mut app, &["-", "-", "-"]);
    assert_eq!(
        story(&app, 1).points,
        None,
        "below the smallest: unestimated"
    );
    assert!(press(&mut app, &["-"]).is_empty());

    app.backlog.product.settings.scale = Scale::TShirt;
    press(&mut app, &["+", "+", "+"]);
    assert_eq!(story(&app, 1).points, Some(Points::new(3.0).unwrap()));
    assert_eq!(app.notice.as_ref().unwrap().text, "S-1 estimated at M");
    assert!(screen(&app).contains("size M (3 points)"));
    // Off the T-shirt scale there is no size to show.
    let patch = StoryPatch {
        points: Some(Some(Points::new(13.0).unwrap())),
        ..StoryPatch::default()
    };
    app.backlog.edit(StoryId(1), &patch, fixed_clock()).unwrap();
    assert!(
        screen(&app).contains("draft · 13 points"),
        "{}",
        screen(&app)
    );
}

#[test]
fn setting_ready_asks_for_an_override_when_the_story_is_not() {
    let mut app = app(numbered(1), 100, 30);
    press(&mut app, &["s"]);
    let Some(Question::ReadyAnyway { missing, .. }) = app.screen::<Confirm>().map(|c| &c.question)
    else {
        panic!("no question asked");
    };
    assert_eq!(missing.len(), 3, "{missing:?}");
    assert!(screen(&app).contains("does not meet the Definition of Ready"));
    press(&mut app, &["n"]);
    assert_eq!(story(&app, 1).status, Status::Draft);
    press(&mut app, &["s", "y"]);
    let s = story(&app, 1);
    assert_eq!(s.status, Status::Ready);
    let record = s.ready_override.as_ref().unwrap();
    assert_eq!(record.by, "po");
    assert_eq!(record.missing.len(), 3);
    assert!(screen(&app).contains("! Set ready by po"));
    // Leaving ready and coming back asks again.
    press(&mut app, &["s", "S"]);
    assert!(asks_ready_anyway(&app));
}

#[test]
fn an_open_question_keeps_a_story_from_being_ready() {
    let mut app = app(demo_backlog(), 100, 30);
    // S-12 is ready in the demo.
    let row = shown(&app).iter().position(|id| *id == 12).unwrap();
    for _ in 0..row {
        press(&mut app, &["j"]);
    }
    assert!(screen(&app).contains("✓ Ready"));
    press(&mut app, &["Q"]);
    typed(&mut app, "Which clay bodies do we stock?");
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    let s = story(&app, 12);
    assert_eq!(s.open_questions(), 1);
    assert_eq!(s.comments[0].author, "po");
    assert_eq!(s.comments[0].at, fixed_clock());
    let text = screen(&app);
    assert!(text.contains("1 open question"), "{text}");
    assert!(text.contains("? open question"), "{text}");
    press(&mut app, &["c"]);
    typed(&mut app, "Ask the studio");
    press(&mut app, &["Enter"]);
    assert_eq!(story(&app, 12).comments.len(), 2);
    assert_eq!(story(&app, 12).open_questions(), 1);
    // An empty comment is refused.
    press(&mut app, &["c", "Enter"]);
    assert!(app.notice.as_ref().unwrap().is_error());
    press(&mut app, &["Esc"]);

    // The question is answered: resolved in the form, the story is ready.
    go_to(&mut app, Field::Comment(1));
    press(&mut app, &["Space"]);
    assert!(
        app.notice.as_ref().unwrap().is_error(),
        "a comment is not resolved"
    );
    go_to(&mut app, Field::Comment(0));
    assert_eq!(press(&mut app, &["Space"]), [Effect::Save]);
    let resolved = story(&app, 12).comments[0].resolved.clone().unwrap();
    assert_eq!(resolved.by, "po");
    assert_eq!(story(&app, 12).open_questions(), 0);
    assert!(screen(&app).contains("✓ Ready"));
    press(&mut app, &["Space"]);
    assert_eq!(story(&app, 12).open_questions(), 1, "opened again");
}

#[test]
fn splitting_moves_the_chosen_criteria_to_a_story_right_after() {
    let mut b = numbered(3);
    b.edit(
        StoryId(2),
        &StoryPatch {
            add_criteria: vec!["a".into(), "b".into(), "c".into()],
            add_labels: vec!["ux".into()],
            epic: Some(Some("Checkout".into())),
            new_epic: true,
            ..StoryPatch::default()
        },
        fixed_clock(),
    )
    .unwrap();
    let mut app = app(b, 100, 30);
    press(&mut app, &["j", "x"]);
    press(&mut app, &["C-u"]);
    typed(&mut app, "Story 2, part two");
    press(&mut app, &["Tab", "j", "Space", "j", "Space"]);
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    assert_eq!(order(&app), [1, 2, 4, 3]);
    let (old, new) = (story(&app, 2), story(&app, 4));
    assert_eq!(new.title, "Story 2, part two");
    assert_eq!(
        old.acceptance_criteria,
        [Criterion {
            text: "a".into(),
            done: false
        }]
    );
    assert_eq!(new.acceptance_criteria.len(), 2);
    assert_eq!(new.labels, ["ux"]);
    assert_eq!(new.epic.as_deref(), Some("Checkout"));
    assert_eq!(old.split_into, [StoryId(4)]);
    assert_eq!(new.split_from, Some(StoryId(2)));
    assert_eq!(app.selected_story().unwrap().id, StoryId(4));
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "Split S-2 into S-4, taking 2 criteria"
    );
}

#[test]
fn splitting_can_be_cancelled_and_needs_a_title() {
    let mut app = app(numbered(2), 100, 30);
    press(&mut app, &["x", "C-u", "Enter"]);
    assert!(app.notice.as_ref().unwrap().is_error());
    press(&mut app, &["C-g"]);
    assert_eq!(app.context(), Context::Backlog);
    assert_eq!(order(&app), [1, 2]);
    // Esc stops typing the title, keeping it, and a second Esc (on the
    // criteria) cancels.
    press(&mut app, &["x"]);
    typed(&mut app, " (part two)");
    press(&mut app, &["Esc"]);
    assert_eq!(app.context(), Context::SplitCriteria);
    press(&mut app, &["Tab"]);
    assert_eq!(
        app.screen::<backlog::tui::screens::split::Split>()
            .unwrap()
            .title
            .text(),
        "Story 1 (part two)"
    );
    press(&mut app, &["Esc", "Esc"]);
    assert_eq!(app.context(), Context::Backlog);
    assert_eq!(order(&app), [1, 2]);
}

/// Ids, in rank order, of the stories whose text holds every one of
/// `words` in any case: worked out here from the stories themselves, not
/// with the model's filter, so that a filter that loses matches (or finds
/// too many) shows.
fn mentioning(app: &App, words: &[&str]) -> Vec<u64> {
    app.backlog
        .ranked()
        .filter(|s| {
            let mut text = vec![
                s.title.as_str(),
                s.description.as_str(),
                s.as_a.as_str(),
                s.i_want.as_str(),
                s.so_that.as_str(),
            ];
            text.extend(s.acceptance_criteria.iter().map(|c| c.text.as_str()));
            text.extend(s.labels.iter().map(String::as_str));
            text.extend(s.epic.as_deref());
            for comment in &s.comments {
                text.push(comment.text.as_str());
                text.extend(comment.answer.as_deref());
            }
            let text = text.join("\n").to_lowercase();
            words.iter().all(|word| text.contains(word))
        })
        .map(|s| s.id.0)
        .collect()
}

/// Ids, in rank order, of the stories `keep` picks.
fn picked(app: &App, keep: impl Fn(&backlog::model::Story) -> bool) -> Vec<u64> {
    app.backlog
        .ranked()
        .filter(|s| keep(s))
        .map(|s| s.id.0)
        .collect()
}

#[test]
fn search_narrows_as_you_type_and_esc_goes_back() {
    let mut app = app(demo_backlog(), 100, 30);
    press(&mut app, &["/"]);
    typed(&mut app, "kiln");
    let kiln = mentioning(&app, &["kiln"]);
    assert!(kiln.len() > 2 && kiln.len() < 30, "{kiln:?}");
    assert_eq!(shown(&app), kiln);
    typed(&mut app, " queue");
    let queue = mentioning(&app, &["kiln", "queue"]);
    assert!(queue.len() > 1 && queue.len() < kiln.len(), "{queue:?}");
    assert_eq!(shown(&app), queue);
    // Any case, in any part of the story: the title, the user story, a
    // criterion, a label, the epic, a comment.
    press(&mut app, &["C-u"]);
    typed(&mut app, "KILN Fired");
    assert_eq!(app.table.filter.query, "KILN Fired");
    let fired = mentioning(&app, &["kiln", "fired"]);
    assert!(!fired.is_empty());
    assert_eq!(shown(&app), fired);
    press(&mut app, &["C-g"]);
    assert_eq!(shown(&app), order(&app), "Ctrl-G goes back to no search");
    // Esc keeps the search, as Enter does.
    press(&mut app, &["/"]);
    typed(&mut app, "kiln");
    press(&mut app, &["Esc"]);
    assert_eq!(app.context(), Context::Backlog);
    assert_eq!(shown(&app), kiln);
    press(&mut app, &["F"]);
    press(&mut app, &["/"]);
    typed(&mut app, "s-12");
    assert_eq!(shown(&app), [12], "ids are searched too");
    press(&mut app, &["Enter"]);
    assert_eq!(app.context(), Context::Backlog);
    assert!(screen(&app).contains("filter: /s-12"));
    press(&mut app, &["F"]);
    assert_eq!(shown(&app), order(&app));
}

#[test]
fn filters_combine_and_one_key_clears_them() {
    let mut app = app(demo_backlog(), 100, 30);
    let rules = app.backlog.product.settings.ready.clone();
    let draft = |s: &backlog::model::Story| s.status == Status::Draft;
    let not_ready = |s: &backlog::model::Story| !backlog::model::ready::is_ready(s, &rules);
    let unestimated = |s: &backlog::model::Story| s.points.is_none();
    // Each filter leaves out some of what the one before let through, so
    // each is seen to act.
    let drafts = picked(&app, draft);
    let drafts_not_ready = picked(&app, |s| draft(s) && not_ready(s));
    let all_three = picked(&app, |s| draft(s) && not_ready(s) && unestimated(s));
    assert!(!all_three.is_empty());
    assert!(all_three.len() < drafts_not_ready.len(), "{all_three:?}");
    assert!(
        drafts_not_ready.len() < drafts.len(),
        "{drafts_not_ready:?}"
    );
    assert!(drafts.len() < 30, "{drafts:?}");

    press(&mut app, &["f"]);
    press(&mut app, &["l"]); // status: draft
    assert_eq!(shown(&app), drafts);
    press(&mut app, &["j", "j", "j", "l", "l"]); // ready: not ready
    assert_eq!(shown(&app), drafts_not_ready);
    press(&mut app, &["j", "Space"]); // unestimated only
    assert_eq!(shown(&app), all_three);
    press(&mut app, &["Enter"]);
    assert_eq!(shown(&app), all_three);
    let text = screen(&app);
    assert!(
        text.contains("filter: draft · not ready · unestimated"),
        "{text}"
    );
    press(&mut app, &["F"]);
    assert_eq!(shown(&app), order(&app));
    assert!(!app.table.filter.is_active());
}

#[test]
fn moving_in_a_filtered_view_goes_past_the_visible_neighbours() {
    let mut b = numbered(6);
    for id in [2, 4, 6] {
        b.edit(
            StoryId(id),
            &StoryPatch {
                add_labels: vec!["even".into()],
                ..StoryPatch::default()
            },
            fixed_clock(),
        )
        .unwrap();
    }
    let mut app = app(b, 100, 30);
    press(&mut app, &["f", "j", "l", "Enter"]);
    assert_eq!(shown(&app), [2, 4, 6]);
    press(&mut app, &["G", "K"]);
    // S-6 goes just above S-4, not just above S-5.
    assert_eq!(order(&app), [1, 2, 3, 6, 4, 5]);
    assert_eq!(shown(&app), [2, 6, 4]);
    assert_eq!(app.selected_story().unwrap().id, StoryId(6));
    press(&mut app, &["T"]);
    assert_eq!(order(&app), [1, 6, 2, 3, 4, 5]);
    press(&mut app, &["B"]);
    assert_eq!(order(&app), [1, 2, 3, 4, 6, 5]);
    assert!(press(&mut app, &["J"]).is_empty(), "already the last shown");
}

#[test]
fn an_edited_story_stays_shown_while_selected() {
    let mut app = app(numbered(3), 100, 30);
    press(&mut app, &["f", "j", "j", "j", "j", "Space", "Enter"]);
    assert_eq!(shown(&app), [1, 2, 3]);
    press(&mut app, &["j", "+"]);
    assert_eq!(shown(&app), [1, 2, 3], "it stays until the filter changes");
    press(
        &mut app,
        &["f", "j", "j", "j", "j", "Space", "Space", "Enter"],
    );
    assert_eq!(shown(&app), [1, 3]);
}

#[test]
fn snapshot_story_form() {
    let mut app = app(demo_backlog(), 100, 30);
    press(&mut app, &["j", "j", "j", "Enter", "j", "j", "j", "j", "j"]);
    insta::assert_snapshot!(screen(&app));
}

/// One story with what a refinement meeting records on it: a question
/// answered over two lines, a decision of two paragraphs, and a comment
/// its author changed.
fn after_a_meeting() -> Backlog {
    let mut b = numbered(1);
    let at = |minutes| fixed_clock() + chrono::Duration::minutes(minutes);
    let question = Comment {
        question: true,
        ..Comment::new(at(0), "dev", "Which cards?")
    };
    b.comment(StoryId(1), question).unwrap();
    let by = |who: &str, minutes| Stamp {
        at: at(minutes),
        by: who.into(),
    };
    b.answer(
        StoryId(1),
        1,
        "Visa and Mastercard.\nAmex later.",
        by("po", 1),
    )
    .unwrap();
    let decision = Comment {
        decision: true,
        ..Comment::new(
            at(2),
            "po",
            "Cards only for now.\n\nCash in the next release.",
        )
    };
    b.comment(StoryId(1), decision).unwrap();
    b.comment(StoryId(1), Comment::new(at(3), "dev", "Looks big"))
        .unwrap();
    b.edit_comment(StoryId(1), 3, "Looks big: split it?", by("dev", 4))
        .unwrap();
    b
}

#[test]
fn snapshot_story_pane_after_a_meeting_at_100x30() {
    let app = app(after_a_meeting(), 100, 30);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn the_story_form_shows_decisions_answers_and_edits() {
    let mut app = app(after_a_meeting(), 120, 30);
    go_to(&mut app, Field::Comment(0));
    let shown = screen(&app);
    // Each on its own rows, which the form wraps at its width.
    for part in [
        "▶ Comments    ✓ dev: Which cards? Answer: Visa",
        "and Mastercard. Amex later.",
        "» po: Cards only for now.  Cash in",
        "  dev: Looks big: split it?",
        "(edited)",
    ] {
        assert!(shown.contains(part), "{part:?} not in\n{shown}");
    }
}

#[test]
fn snapshot_story_form_at_80x24_typing_the_description() {
    let mut app = app(demo_backlog(), 80, 24);
    press(
        &mut app,
        &["j", "j", "j", "Enter", "j", "j", "j", "j", "Enter"],
    );
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_ready_marks_and_epics() {
    let app = app(demo_backlog(), 140, 34);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_filtered_view() {
    let mut app = app(demo_backlog(), 100, 30);
    press(&mut app, &["/"]);
    typed(&mut app, "member");
    press(&mut app, &["Enter", "f", "j", "j", "j", "l", "l", "Enter"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn snapshot_split_dialog() {
    let mut app = app(demo_backlog(), 80, 24);
    press(&mut app, &["j", "j", "x", "Tab", "j", "Space"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn every_change_is_undone_and_redone_and_the_status_bar_says_which() {
    let mut b = numbered(4);
    b.edit(
        StoryId(2),
        &StoryPatch {
            add_criteria: vec!["a".into(), "b".into()],
            ..StoryPatch::default()
        },
        fixed_clock(),
    )
    .unwrap();
    let mut app = app(b, 100, 30);
    let original = app.backlog.clone();
    press(&mut app, &["J", "+", "s"]); // move, estimate, status (asks)
    press(&mut app, &["n"]);
    press(&mut app, &["j", "x", "Enter"]); // split S-2 keeping its title
    press(&mut app, &["c"]);
    typed(&mut app, "note");
    press(&mut app, &["Enter", "a"]);
    typed(&mut app, "new");
    press(&mut app, &["Enter", "k", "d", "y"]); // delete the split-off story
    press(&mut app, &["Enter", "Enter"]);
    typed(&mut app, " edited");
    press(&mut app, &["Enter", "Esc"]);
    let changed = app.backlog.clone();
    assert_ne!(changed, original);
    let steps = app.history.undo_len();
    assert_eq!(
        steps, 7,
        "move, estimate, split, comment, add, delete, title"
    );

    assert_eq!(press(&mut app, &["u"]), [Effect::Save]);
    let notice = &app.notice.as_ref().unwrap().text;
    assert!(notice.starts_with("Undid title of S-"), "{notice}");
    for _ in 1..steps {
        press(&mut app, &["u"]);
    }
    assert_eq!(order(&app), [1, 2, 3, 4]);
    for story in original.ranked() {
        assert_eq!(app.backlog.get(story.id), Some(story), "{}", story.id);
    }
    assert!(press(&mut app, &["u"]).is_empty());
    assert_eq!(app.notice.as_ref().unwrap().text, "Nothing to undo");

    for _ in 0..steps {
        press(&mut app, &["C-r"]);
    }
    assert_eq!(app.backlog, changed);
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .starts_with("Redid title of")
    );
}

#[test]
fn undo_works_inside_the_form_and_selects_the_story() {
    let mut app = app(numbered(3), 100, 30);
    press(&mut app, &["G", "Enter", "Enter"]);
    typed(&mut app, "!");
    press(&mut app, &["Enter"]);
    assert_eq!(story(&app, 3).title, "Story 3!");
    press(&mut app, &["u"]);
    assert_eq!(story(&app, 3).title, "Story 3");
    assert!(app.screen::<StoryForm>().is_some());
    press(&mut app, &["Esc", "g", "u"]);
    assert!(app.notice.as_ref().unwrap().is_error(), "nothing left");
    press(&mut app, &["C-r"]);
    assert_eq!(story(&app, 3).title, "Story 3!");
    assert_eq!(app.selected_story().unwrap().id, StoryId(3));
}

#[test]
fn a_change_made_elsewhere_since_is_not_undone_over() {
    let mut app = app(numbered(2), 100, 30);
    press(&mut app, &["+"]);
    // Another program changes S-1 again; the merge brings it in.
    let mut theirs = app.backlog.clone();
    theirs
        .edit(StoryId(1), &StoryPatch::title("Theirs"), fixed_clock())
        .unwrap();
    reload(&mut app, theirs, "Reloaded: changed elsewhere", Vec::new());
    assert_eq!(press(&mut app, &["u"]), [Effect::Save]);
    let notice = app.notice.as_ref().unwrap();
    assert!(notice.is_error());
    assert!(notice.text.contains("S-1 changed since"), "{}", notice.text);
    assert_eq!(story(&app, 1).title, "Theirs");
    assert_eq!(story(&app, 1).points, Some(Points::new(1.0).unwrap()));
}

fn document_of(app: &App, id: u64) -> String {
    backlog::interchange::document::render(story(app, id), &app.backlog.product)
}

fn edited(app: &mut App, id: u64, original: &str, text: &str) -> Option<Effect> {
    app.update(backlog::tui::action::Action::Edited {
        id: StoryId(id),
        original: original.to_string(),
        result: Ok(text.to_string()),
    })
}

#[test]
fn e_hands_the_story_to_the_editor_and_its_document_comes_back_as_one_change() {
    let mut app = app(numbered(2), 100, 30);
    let effects = press(&mut app, &["e"]);
    assert_eq!(effects, [Effect::OpenEditor { id: StoryId(1) }]);
    // The loop brings the file up to date, then asks what to hand out.
    let original = app.hand_to_editor(StoryId(1)).unwrap();
    assert_eq!(original, document_of(&app, 1));
    let text = original
        .replace("# Story 1", "# Story one")
        .replace("estimate: \n", "estimate: 8\n")
        .replace("estimate:\n", "estimate: 8\n");
    assert_eq!(edited(&mut app, 1, &original, &text), Some(Effect::Save));
    assert_eq!(story(&app, 1).title, "Story one");
    assert_eq!(story(&app, 1).points, Some(Points::new(8.0).unwrap()));
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "Updated S-1 from the editor"
    );
    press(&mut app, &["u"]);
    assert_eq!(
        story(&app, 1).title,
        "Story 1",
        "one undo takes it all back"
    );
    assert_eq!(story(&app, 1).points, None);

    assert_eq!(edited(&mut app, 1, &original, &original), None);
    assert_eq!(app.notice.as_ref().unwrap().text, "No change to S-1");
    // Text that differs but says the same is no change either.
    let same = format!("\n{original}\n\n");
    assert_eq!(edited(&mut app, 1, &original, &same), None);
    assert_eq!(app.notice.as_ref().unwrap().text, "No change to S-1");
    app.update(backlog::tui::action::Action::Edited {
        id: StoryId(1),
        original: original.clone(),
        result: Err("the editor (vi) quit with exit status: 1".into()),
    });
    assert!(app.notice.as_ref().unwrap().is_error());
}

#[test]
fn a_document_with_a_mistake_changes_nothing_and_can_be_fixed_or_discarded() {
    let mut app = app(numbered(1), 100, 30);
    let before = app.backlog.clone();
    let original = document_of(&app, 1);
    let broken = original
        .replace("status: draft", "status: someday")
        .replace("# Story 1", "# Kept title");
    assert_eq!(edited(&mut app, 1, &original, &broken), None);
    let Some(EditorError { error, text, .. }) = app.screen::<EditorError>() else {
        panic!("no error shown");
    };
    assert!(error.starts_with("line 3:"), "{error}");
    assert_eq!(text, &broken);
    assert_eq!(app.backlog, before, "nothing half-applied");
    assert!(screen(&app).contains("was not applied"));
    // Edit again: the user's own text goes back to the editor.
    assert_eq!(
        press(&mut app, &["e"]),
        [Effect::OpenEditor { id: StoryId(1) }]
    );
    assert_eq!(app.hand_to_editor(StoryId(1)).as_ref(), Some(&broken));
    let fixed = broken.replace("status: someday", "status: in-progress");
    assert_eq!(edited(&mut app, 1, &broken, &fixed), Some(Effect::Save));
    assert_eq!(story(&app, 1).title, "Kept title");
    assert_eq!(story(&app, 1).status, Status::InProgress);

    // Or discard it.
    let now = document_of(&app, 1);
    let again = now.replace("# Kept title", "#");
    let current = app.backlog.clone();
    edited(&mut app, 1, &now, &again);
    assert!(app.screen::<EditorError>().is_some());
    press(&mut app, &["d"]);
    assert_eq!(app.context(), Context::Backlog);
    assert_eq!(app.backlog, current);
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "Discarded your edit; S-1 is unchanged"
    );
}

#[test]
fn a_document_setting_ready_asks_for_the_override_after_keeping_the_rest() {
    let mut app = app(numbered(1), 100, 30);
    let original = document_of(&app, 1);
    let text = original
        .replace("status: draft", "status: ready")
        .replace("# Story 1", "# Ready, I say");
    edited(&mut app, 1, &original, &text);
    assert_eq!(story(&app, 1).title, "Ready, I say");
    assert_eq!(story(&app, 1).status, Status::Draft);
    assert!(asks_ready_anyway(&app));
    press(&mut app, &["y"]);
    assert_eq!(story(&app, 1).status, Status::Ready);
    assert!(story(&app, 1).ready_override.is_some());
}

#[test]
fn the_settings_panel_changes_the_scale_and_the_definition_of_ready() {
    let mut app = app(demo_backlog(), 100, 30);
    let rules = |app: &App| app.backlog.product.settings.ready.clone();
    press(&mut app, &["O"]);
    assert_eq!(app.screen::<SettingsPanel>().map(|p| p.row), Some(0));
    assert_eq!(press(&mut app, &["l"]), [Effect::Save]);
    assert_eq!(app.backlog.product.settings.scale, Scale::ModifiedFibonacci);
    press(&mut app, &["l"]);
    assert_eq!(app.backlog.product.settings.scale, Scale::TShirt);
    press(&mut app, &["h", "h"]);
    assert_eq!(app.backlog.product.settings.scale, Scale::Fibonacci);

    // The T-shirt scale took the maximum down to XL (8), and back on
    // Fibonacci it stays there. S-23 (21 points) is too big; a larger
    // maximum lets it through.
    assert_eq!(rules(&app).max_points, Points::new(8.0).unwrap());
    let s23 = story(&app, 23).clone();
    assert!(!backlog::model::ready::is_ready(&s23, &rules(&app)));
    press(&mut app, &["j", "j", "j", "j", "j"]);
    press(&mut app, &["l", "l"]);
    assert_eq!(rules(&app).max_points, Points::new(21.0).unwrap());
    let missing = backlog::model::ready::missing(&s23, &rules(&app));
    assert!(
        missing
            .iter()
            .all(|m| m.rule() != backlog::model::Rule::SmallEnough),
        "{missing:?}"
    );
    // The questions rule off: S-11, with its open question, is ready.
    press(&mut app, &["j", "Space"]);
    assert!(!rules(&app).no_open_questions);
    assert!(backlog::model::ready::is_ready(
        story(&app, 11),
        &rules(&app)
    ));
    assert!(screen(&app).contains("[ ] off"));
    press(&mut app, &["Esc"]);
    assert_eq!(app.context(), Context::Backlog);
    // Each change is undone on its own.
    press(&mut app, &["u"]);
    assert!(rules(&app).no_open_questions);
    assert_eq!(
        app.notice.as_ref().unwrap().text.split(" (").next(),
        Some("Undid rule no-open-questions off")
    );
}

#[test]
fn snapshot_settings_panel() {
    let mut app = app(demo_backlog(), 100, 30);
    press(&mut app, &["O", "j", "j", "j", "j"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn the_form_follows_its_story_when_a_merge_renumbers_it() {
    let mut app = app(numbered(3), 100, 30);
    press(&mut app, &["G", "a"]);
    typed(&mut app, "Mine");
    press(&mut app, &["Enter", "Enter"]);
    assert_eq!(app.screen::<StoryForm>().unwrap().id, StoryId(4));
    // The file got "Theirs" as S-4; ours became S-5.
    let mut merged = app.backlog.clone();
    let mine = merged.remove(StoryId(4)).unwrap();
    let mut renumbered = backlog::model::Story::clone(&mine);
    renumbered.id = StoryId(5);
    merged.put(std::sync::Arc::new(renumbered));
    merged
        .add(
            &StoryPatch::title("Theirs"),
            backlog::model::Placement::Top,
            fixed_clock(),
        )
        .ok();
    let theirs_id = merged
        .ranked()
        .find(|s| s.title == "Theirs")
        .map(|s| s.id)
        .unwrap();
    reload(
        &mut app,
        merged,
        "Reloaded: changed elsewhere",
        vec![(StoryId(4), StoryId(5))],
    );
    assert_eq!(app.screen::<StoryForm>().unwrap().id, StoryId(5));
    press(&mut app, &["Enter", "C-u"]);
    typed(&mut app, "Edited");
    press(&mut app, &["Enter"]);
    assert_eq!(story(&app, 5).title, "Edited");
    assert_eq!(app.backlog.get(theirs_id).unwrap().title, "Theirs");
}

#[test]
fn text_typed_while_criteria_change_elsewhere_lands_where_it_was_meant() {
    let mut app = app(with_criteria(&["one", "two"]), 100, 30);
    // Typing into criterion "two" while another program adds one first.
    go_to(&mut app, Field::Criterion(1));
    press(&mut app, &["Enter", "C-u"]);
    typed(&mut app, "TWO");
    reload_criteria(&mut app, |criteria| {
        criteria.insert(
            0,
            Criterion {
                text: "zero".into(),
                done: false,
            },
        );
    });
    press(&mut app, &["Enter"]);
    assert_eq!(criteria_texts(&app), ["zero", "one", "TWO"]);
    assert_eq!(field(&app), Field::Criterion(2), "the row followed it");

    // Typing an estimate while a criterion arrives: still the estimate.
    go_to(&mut app, Field::Estimate);
    press(&mut app, &["Enter"]);
    typed(&mut app, "5");
    let mut theirs = app.backlog.clone();
    theirs
        .edit(
            StoryId(1),
            &StoryPatch {
                add_criteria: vec!["three".into()],
                ..StoryPatch::default()
            },
            fixed_clock(),
        )
        .unwrap();
    reload(&mut app, theirs, "Reloaded: changed elsewhere", Vec::new());
    press(&mut app, &["Enter"]);
    assert_eq!(story(&app, 1).points, Some(Points::new(5.0).unwrap()));
    assert_eq!(story(&app, 1).acceptance_criteria.len(), 4);
}

#[test]
fn undo_in_the_form_keeps_the_selection_on_the_story_edited() {
    let mut app = app(numbered(3), 100, 30);
    press(&mut app, &["G", "+", "g", "Enter", "u"]);
    assert_eq!(story(&app, 3).points, None, "S-3's estimate undone");
    assert_eq!(app.screen::<StoryForm>().unwrap().id, StoryId(1));
    assert_eq!(app.selected_story().unwrap().id, StoryId(1));
}

#[test]
fn the_users_own_text_survives_an_editor_that_quits_or_changes_nothing() {
    let mut app = app(numbered(1), 100, 30);
    let original = document_of(&app, 1);
    let broken = original.replace("status: draft", "status: someday");
    edited(&mut app, 1, &original, &broken);
    assert!(app.screen::<EditorError>().is_some());
    // Edit again, and quit the editor without saving: still theirs to fix.
    press(&mut app, &["e"]);
    edited(&mut app, 1, &broken, &broken);
    let Some(EditorError { text, .. }) = app.screen::<EditorError>() else {
        panic!("the text was dropped");
    };
    assert_eq!(text, &broken);
    // Edit again, and the editor fails: still kept.
    press(&mut app, &["e"]);
    app.update(backlog::tui::action::Action::Edited {
        id: StoryId(1),
        original: broken.clone(),
        result: Err("the editor (vi) quit with exit status: 1".into()),
    });
    let Some(EditorError { text, error, .. }) = app.screen::<EditorError>() else {
        panic!("the text was dropped");
    };
    assert_eq!(text, &broken);
    assert!(error.contains("exit status: 1"), "{error}");
}

#[test]
fn a_document_that_makes_the_story_ready_is_one_change_to_undo() {
    let mut app = app(numbered(1), 100, 30);
    let original = document_of(&app, 1);
    let text = original
        .replace("status: draft", "status: ready")
        .replace("estimate:", "estimate: 3")
        .replace(
            "As a\nI want\nSo that\n",
            "As a member,\nI want to book,\nSo that I can throw\n",
        )
        .replace(
            "## Acceptance criteria\n",
            "## Acceptance criteria\n\n- [ ] It books\n",
        );
    assert_eq!(edited(&mut app, 1, &original, &text), Some(Effect::Save));
    assert_eq!(app.context(), Context::Backlog, "no question: it is ready");
    assert_eq!(story(&app, 1).status, Status::Ready);
    assert_eq!(story(&app, 1).points, Some(Points::new(3.0).unwrap()));
    press(&mut app, &["u"]);
    assert_eq!(story(&app, 1).status, Status::Draft);
    assert_eq!(story(&app, 1).points, None, "one undo took it all back");
}

#[test]
fn a_split_chosen_against_criteria_changed_elsewhere_asks_again() {
    let mut app = app(with_criteria(&["A", "B", "C"]), 100, 30);
    press(&mut app, &["x", "Tab", "j", "Space"]); // B moves
    reload_criteria(&mut app, |criteria| {
        criteria.remove(0);
    });
    assert!(press(&mut app, &["Enter"]).is_empty());
    assert!(app.notice.as_ref().unwrap().text.contains("choose again"));
    assert_eq!(app.backlog.len(), 1, "nothing split");
    // Chosen again, against what is there now.
    press(&mut app, &["Space"]); // B, now first
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    assert_eq!(
        story(&app, 2).acceptance_criteria,
        [Criterion {
            text: "B".into(),
            done: false
        }]
    );
}

#[test]
fn a_document_never_writes_over_a_change_made_elsewhere_while_the_editor_was_open() {
    let mut app = app(numbered(1), 100, 30);
    assert_eq!(
        press(&mut app, &["e"]),
        [Effect::OpenEditor { id: StoryId(1) }]
    );
    let original = &app.hand_to_editor(StoryId(1)).unwrap();
    // Another program renames the story while the editor is open (the
    // loop takes it in when the editor closes, before the document).
    let mut theirs = app.backlog.clone();
    theirs
        .edit(StoryId(1), &StoryPatch::title("Theirs"), fixed_clock())
        .unwrap();
    reload(&mut app, theirs, "Reloaded: changed elsewhere", Vec::new());
    let mine = original.replace("status: draft", "status: in-progress");
    assert_eq!(edited(&mut app, 1, original, &mine), None);
    let Some(EditorError { error, .. }) = app.screen::<EditorError>() else {
        panic!("applied over their change");
    };
    assert!(error.contains("changed elsewhere"), "{error}");
    assert_eq!(story(&app, 1).title, "Theirs");
    assert_eq!(story(&app, 1).status, Status::Draft);
    // Quitting the editor on it again changes nothing: still a choice.
    press(&mut app, &["e"]);
    let text = app.hand_to_editor(StoryId(1)).unwrap();
    assert_eq!(text, mine);
    assert_eq!(edited(&mut app, 1, &mine, &mine), None);
    assert!(app.screen::<EditorError>().is_some());
    assert_eq!(story(&app, 1).title, "Theirs");
    // Edited again, it goes in against the story as it is now.
    press(&mut app, &["e"]);
    let text = app.hand_to_editor(StoryId(1)).unwrap();
    assert_eq!(text, mine);
    let fixed = mine.replace("# Story 1", "# Theirs");
    assert_eq!(edited(&mut app, 1, &mine, &fixed), Some(Effect::Save));
    assert_eq!(story(&app, 1).title, "Theirs");
    assert_eq!(story(&app, 1).status, Status::InProgress);
}

fn with_criteria(texts: &[&str]) -> backlog::model::Backlog {
    let mut b = numbered(1);
    b.edit(
        StoryId(1),
        &StoryPatch {
            add_criteria: texts.iter().map(|t| (*t).to_string()).collect(),
            ..StoryPatch::default()
        },
        fixed_clock(),
    )
    .unwrap();
    b
}

/// Another program changes S-1's criteria with `change`; the merge brings
/// it in.
fn reload_criteria(app: &mut App, change: impl FnOnce(&mut Vec<Criterion>)) {
    let mut theirs = app.backlog.clone();
    let mut criteria = story(app, 1).acceptance_criteria.clone();
    change(&mut criteria);
    let patch = StoryPatch {
        criteria: Some(criteria),
        ..StoryPatch::default()
    };
    theirs.edit(StoryId(1), &patch, fixed_clock()).unwrap();
    reload(app, theirs, "Reloaded: changed elsewhere", Vec::new());
}

fn criteria_texts(app: &App) -> Vec<String> {
    story(app, 1)
        .acceptance_criteria
        .iter()
        .map(|c| c.text.clone())
        .collect()
}

#[test]
fn criteria_that_read_the_same_are_told_apart() {
    // A new criterion after the second of two "A"s goes after that one.
    let mut app = app(with_criteria(&["A", "B", "A"]), 100, 30);
    go_to(&mut app, Field::Criterion(2));
    press(&mut app, &["a"]);
    typed(&mut app, "NEW");
    press(&mut app, &["Enter"]);
    assert_eq!(criteria_texts(&app), ["A", "B", "A", "NEW"]);

    // An unrelated change elsewhere leaves the row on the second "A".
    let mut app = self::app(with_criteria(&["A", "A"]), 100, 30);
    go_to(&mut app, Field::Criterion(1));
    let mut theirs = app.backlog.clone();
    theirs.product.vision = "Theirs".into();
    reload(&mut app, theirs, "Reloaded: changed elsewhere", Vec::new());
    assert_eq!(field(&app), Field::Criterion(1));

    // Typing into the first "A" while another program rewords it: which
    // "A" was meant can no longer be told, so nothing is overwritten.
    go_to(&mut app, Field::Criterion(0));
    press(&mut app, &["Enter", "C-u"]);
    typed(&mut app, "MINE");
    reload_criteria(&mut app, |criteria| criteria[0].text = "A2".into());
    assert!(press(&mut app, &["Enter"]).is_empty());
    assert!(app.notice.as_ref().unwrap().is_error());
    assert_eq!(criteria_texts(&app), ["A2", "A"]);
}

#[test]
fn the_settings_panel_counts_once_and_again_after_each_change() {
    let mut app = app(demo_backlog(), 100, 30);
    let counts = |app: &App| app.screen::<SettingsPanel>().map(|p| p.overview.clone());
    press(&mut app, &["O"]);
    let before = counts(&app).expect("counted on opening");
    assert_eq!((before.ready, before.open), (18, 24));
    press(&mut app, &["j"]);
    assert_eq!(
        counts(&app).as_ref(),
        Some(&before),
        "moving is not a change"
    );
    // The user-story rule off: no story lacks anything it asked.
    press(&mut app, &["Space"]);
    let after = counts(&app).unwrap();
    assert!(after.ready >= before.ready);
    assert_eq!(
        after,
        backlog::tui::screens::overview::Overview::of(&app.backlog)
    );
    press(&mut app, &["Esc"]);
    assert!(counts(&app).is_none());
}

#[test]
fn a_title_over_255_characters_is_refused_wherever_it_is_typed() {
    let long = "x".repeat(256);
    let refused = |app: &App| {
        let notice = app.notice.as_ref().expect("a message");
        assert!(notice.is_error(), "{}", notice.text);
        assert!(
            notice.text.contains("at most 255 characters"),
            "{}",
            notice.text
        );
    };
    let mut app = app(numbered(1), 100, 30);
    let before = app.backlog.clone();
    // The story form: the text stays to be shortened.
    press(&mut app, &["Enter", "Enter", "C-u"]);
    typed(&mut app, &long);
    assert_eq!(press(&mut app, &["Enter"]), []);
    refused(&app);
    assert!(app.screen::<StoryForm>().unwrap().typing.is_some());
    // Esc keeps it as Enter does: refused, and still there.
    assert_eq!(press(&mut app, &["Esc"]), []);
    refused(&app);
    assert!(app.screen::<StoryForm>().unwrap().typing.is_some());
    press(&mut app, &["C-g", "Esc"]);
    // The add prompt.
    press(&mut app, &["a"]);
    typed(&mut app, &long);
    assert_eq!(press(&mut app, &["Enter"]), []);
    refused(&app);
    assert_eq!(app.context(), Context::Prompt);
    press(&mut app, &["C-g"]);
    // The split dialog's new title.
    press(&mut app, &["x"]);
    typed(&mut app, &long);
    assert_eq!(press(&mut app, &["Enter"]), []);
    refused(&app);
    assert_eq!(app.context(), Context::Split);
    press(&mut app, &["C-g"]);
    assert_eq!(app.backlog, before);
    // $EDITOR: the document is not applied, and says which line.
    let original = document_of(&app, 1);
    let text = original.replace("# Story 1", &format!("# {long}"));
    assert_eq!(edited(&mut app, 1, &original, &text), None);
    let Some(EditorError { error, .. }) = app.screen::<EditorError>() else {
        panic!("not refused");
    };
    assert!(error.starts_with("line 10: "), "{error}");
    assert!(error.contains("at most 255 characters"), "{error}");
    assert_eq!(app.backlog, before);
}

#[test]
fn an_epic_typed_in_any_case_is_the_epic_and_a_new_name_asks_before_it_makes_one() {
    let mut app = app(demo_backlog(), 100, 30);
    let epics = app.backlog.product.epics.len();
    let id = app.selected_story().unwrap().id.0;
    go_to(&mut app, Field::Epic);
    press(&mut app, &["Enter", "C-u"]);
    typed(&mut app, "billing");
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    assert_eq!(story(&app, id).epic.as_deref(), Some("Billing"));
    assert_eq!(app.backlog.product.epics.len(), epics, "no second Billing");

    // A name no epic has: the first Enter asks, and changes nothing.
    press(&mut app, &["Enter", "C-u"]);
    typed(&mut app, "Glaze library");
    let before = app.backlog.clone();
    assert_eq!(press(&mut app, &["Enter"]), []);
    let notice = app.notice.clone().unwrap();
    assert!(
        notice
            .text
            .contains("No epic Glaze library yet: Enter creates it, Ctrl-G leaves"),
        "{}",
        notice.text
    );
    assert_eq!(app.backlog, before);
    assert!(app.screen::<StoryForm>().unwrap().typing.is_some());
    // Esc, which stops typing, never makes an epic: it asks again.
    assert_eq!(press(&mut app, &["Esc"]), []);
    assert_eq!(app.backlog, before);
    assert!(app.screen::<StoryForm>().unwrap().typing.is_some());
    // The second makes it, in the first colour no epic has.
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    assert_eq!(story(&app, id).epic.as_deref(), Some("Glaze library"));
    let made = app.backlog.product.epic("glaze LIBRARY").unwrap();
    assert_eq!(made.color, backlog::model::EpicColor::Cyan);
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("Created epic Glaze library (cyan)"),
        "{:?}",
        app.notice
    );

    // A story document naming an epic there is not is not applied.
    press(&mut app, &["Esc", "Esc"]);
    let original = document_of(&app, id);
    let text = original.replace("epic: Glaze library", "epic: Glazes");
    assert_eq!(edited(&mut app, id, &original, &text), None);
    let Some(EditorError { error, .. }) = app.screen::<EditorError>() else {
        panic!("not refused");
    };
    assert!(error.starts_with("line 5: no epic \"Glazes\""), "{error}");
    // The box offers to create it, with the key it takes, and names no
    // key it does not.
    assert!(
        error.ends_with(": c creates it and applies your text"),
        "{error}"
    );
    let shown = screen(&app);
    assert!(shown.contains("c create the epic and apply"), "{shown}");
    assert!(!shown.contains("epics panel"), "{shown}");
    // Asked explicitly, it creates the epic and applies the document as
    // one change.
    let epics = app.backlog.product.epics.len();
    assert_eq!(press(&mut app, &["c"]), [Effect::Save]);
    assert_eq!(app.context(), Context::Backlog);
    assert_eq!(story(&app, id).epic.as_deref(), Some("Glazes"));
    assert_eq!(app.backlog.product.epics.len(), epics + 1);
    let color = app.backlog.product.epic("Glazes").unwrap().color;
    assert_eq!(
        common::notice(&app),
        format!(
            "Updated {} from the editor; created epic Glazes ({color})",
            StoryId(id)
        )
    );
    press(&mut app, &["u"]);
    assert_eq!(story(&app, id).epic.as_deref(), Some("Glaze library"));
    assert_eq!(app.backlog.product.epics.len(), epics, "undone whole");

    // Changed elsewhere since the refusal: the text is not applied over it.
    let original = document_of(&app, id);
    let text = original.replace("epic: Glaze library", "epic: Slips");
    edited(&mut app, id, &original, &text);
    let patch = StoryPatch {
        title: Some("Renamed elsewhere".into()),
        ..StoryPatch::default()
    };
    app.backlog
        .edit(StoryId(id), &patch, fixed_clock())
        .unwrap();
    assert!(press(&mut app, &["c"]).is_empty());
    let Some(EditorError {
        error,
        unknown_epic,
        ..
    }) = app.screen::<EditorError>()
    else {
        panic!("the text was dropped");
    };
    assert!(error.contains("changed elsewhere meanwhile"), "{error}");
    assert!(unknown_epic.is_none(), "no second offer over the change");
    assert!(app.backlog.product.epic("Slips").is_none());
    // Other refusals offer no creating, and `c` does nothing there.
    press(&mut app, &["d"]);
    let original = document_of(&app, id);
    let text = original.replacen("status: ", "status: sleeping-", 1);
    edited(&mut app, id, &original, &text);
    assert!(press(&mut app, &["c"]).is_empty());
    assert!(app.screen::<EditorError>().is_some());
    assert!(!screen(&app).contains("create the epic"));
}

#[test]
fn a_key_that_cannot_step_the_estimate_says_why() {
    let mut app = app(numbered(1), 100, 30);
    // Nothing below an unestimated story.
    assert!(press(&mut app, &["-"]).is_empty());
    assert_eq!(notice(&app), "S-1 is unestimated: - has nothing below");
    // Nothing above the top of the scale.
    for _ in 0..7 {
        press(&mut app, &["+"]);
    }
    assert_eq!(story(&app, 1).points, Some(Points::new(21.0).unwrap()));
    assert!(press(&mut app, &["+"]).is_empty());
    assert_eq!(
        notice(&app),
        "S-1 is at 21 points, the top of the fibonacci scale"
    );
    // A story estimated above the top, in the form too.
    go_to(&mut app, Field::Estimate);
    press(&mut app, &["Enter", "C-u"]);
    typed(&mut app, "40");
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    assert_eq!(
        notice(&app),
        "S-1 is estimated at 40 points, which is not on the fibonacci scale (1, 2, 3, 5, 8, 13, 21)"
    );
    assert!(press(&mut app, &["+"]).is_empty());
    assert!(
        notice(&app).contains("above the top of the fibonacci scale (21)"),
        "{}",
        notice(&app)
    );
    // A typed estimate off the scale is kept, and said to be off it.
    press(&mut app, &["Enter", "C-u"]);
    typed(&mut app, "4");
    assert_eq!(press(&mut app, &["Enter"]), [Effect::Save]);
    assert_eq!(story(&app, 1).points, Some(Points::new(4.0).unwrap()));
    assert!(notice(&app).contains("4 points, which is not on the fibonacci scale"));
    press(&mut app, &["Enter", "C-u"]);
    typed(&mut app, "5");
    press(&mut app, &["Enter"]);
    assert_eq!(notice(&app), "", "on the scale: nothing to say");
    // A story document with one says so as well.
    press(&mut app, &["Esc"]);
    let original = document_of(&app, 1);
    let text = original.replace("estimate: 5", "estimate: 7");
    assert_eq!(edited(&mut app, 1, &original, &text), Some(Effect::Save));
    assert_eq!(
        notice(&app),
        "Updated S-1 from the editor; its estimate, 7 points, is not on the fibonacci scale (1, 2, 3, 5, 8, 13, 21)"
    );
}

#[test]
fn the_maximum_estimate_steps_along_and_shows_on_the_scale_in_use() {
    let mut app = app(demo_backlog(), 100, 30);
    let max = |app: &App| app.backlog.product.settings.ready.max_points;
    assert_eq!(max(&app), Points::new(13.0).unwrap());
    press(&mut app, &["O", "l"]);
    assert_eq!(app.backlog.product.settings.scale, Scale::ModifiedFibonacci);
    assert_eq!(notice(&app), "Estimates use the modified-fibonacci scale");
    // 13 is above every T-shirt size: the maximum moves onto the scale
    // with it, in the same change, and the user is told.
    press(&mut app, &["l"]);
    assert_eq!(app.backlog.product.settings.scale, Scale::TShirt);
    assert_eq!(max(&app), Points::new(8.0).unwrap());
    assert_eq!(
        notice(&app),
        "Estimates use the t-shirt scale; the maximum is now XL (8 points), \
         on the t-shirt scale (it was 13 points)"
    );
    press(&mut app, &["Esc", "u"]);
    assert_eq!(
        max(&app),
        Points::new(13.0).unwrap(),
        "one change, undone whole"
    );
    press(&mut app, &["C-r"]);
    assert_eq!(max(&app), Points::new(8.0).unwrap());
    press(&mut app, &["O", "j", "j", "j", "j", "j"]);
    assert!(
        screen(&app).contains("‹ XL (8 points) ›"),
        "{}",
        screen(&app)
    );
    assert!(press(&mut app, &["l"]).is_empty());
    assert_eq!(
        notice(&app),
        "The maximum is XL (8 points), the top of the t-shirt scale"
    );
    press(&mut app, &["h"]);
    assert_eq!(max(&app), Points::new(5.0).unwrap());
    assert!(
        screen(&app).contains("‹ L (5 points) ›"),
        "{}",
        screen(&app)
    );
    assert_eq!(
        notice(&app),
        "Ready stories are estimated at L (5 points) or less"
    );
    // A maximum off the scale (from the command line, or an old file) is
    // said to be above the top, or below the bottom, not at it.
    app.backlog.product.settings.ready.max_points = Points::new(13.0).unwrap();
    assert!(press(&mut app, &["l"]).is_empty());
    assert_eq!(
        notice(&app),
        "The maximum is 13 points, above the top of the t-shirt scale (XL): h steps down to it"
    );
    press(&mut app, &["h"]);
    assert_eq!(max(&app), Points::new(8.0).unwrap());
    app.backlog.product.settings.ready.max_points = Points::new(0.5).unwrap();
    assert!(press(&mut app, &["h"]).is_empty());
    assert_eq!(
        notice(&app),
        "The maximum is ½ point, below the bottom of the t-shirt scale (XS): l steps up to it"
    );
}
