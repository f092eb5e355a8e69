//! The meeting pane, driven through the real keymap with no terminal: a
//! meeting planned, started, run story by story (poker, criteria,
//! decisions, questions, moves, ready), timed by a clock the test moves,
//! left and resumed, and ended into minutes.

mod common;

use std::cell::Cell;

use backlog::meeting::Meeting;
use backlog::model::{Backlog, Placement, Points, Status, StoryId, StoryPatch};
use backlog::tui::action::{Action, Effect};
use backlog::tui::app::App;
use backlog::tui::keymap::{Command, Context};
use backlog::tui::screens::meeting::MeetingPane;
use chrono::{DateTime, Duration, Utc};
use common::{app, fixed_clock, notice, press, screen, typed};

thread_local! {
    /// How far the test has moved the clock, in seconds.
    static SECONDS: Cell<i64> = const { Cell::new(0) };
}

/// The fixed clock, moved on by [`later`]: each test runs on its own
/// thread, so each has its own.
fn moving_clock() -> DateTime<Utc> {
    fixed_clock() + Duration::seconds(SECONDS.with(Cell::get))
}

fn later(seconds: i64) {
    SECONDS.with(|s| s.set(s.get() + seconds));
}

/// Six drafts with a user-story sentence; S-5 is ready. S-1 has a
/// criterion and an open question.
fn refinable() -> Backlog {
    let mut b = Backlog::new("Invoicing");
    let titles = [
        "Export invoices as PDF",
        "Remind late payers by email",
        "Dark mode for the portal",
        "Pay by card",
        "Already ready",
        "Multi-currency invoices",
    ];
    for title in titles {
        let patch = StoryPatch {
            title: Some(title.into()),
            as_a: Some("bookkeeper".into()),
            i_want: Some(format!("to {}", title.to_lowercase())),
            so_that: Some("customers pay on time".into()),
            ..StoryPatch::default()
        };
        b.add(&patch, Placement::Bottom, fixed_clock()).unwrap();
    }
    let patch = StoryPatch {
        add_criteria: vec!["The PDF matches the invoice on screen".into()],
        ..StoryPatch::default()
    };
    b.edit(StoryId(1), &patch, fixed_clock()).unwrap();
    let mut question = backlog::model::Comment::new(fixed_clock(), "ben", "Is PDF/A required?");
    question.question = true;
    b.comment(StoryId(1), question).unwrap();
    let ready = StoryPatch {
        points: Some(Some(Points::new(2.0).unwrap())),
        add_criteria: vec!["Done".into()],
        status: Some(Status::Ready),
        ..StoryPatch::default()
    };
    b.edit(StoryId(5), &ready, fixed_clock()).unwrap();
    b
}

fn meeting_app(width: u16, height: u16) -> App {
    let mut app = app(refinable(), width, height);
    app.clock = moving_clock;
    app.agenda_size = 3;
    app
}

fn pane(app: &App) -> &MeetingPane {
    app.screen::<MeetingPane>().expect("the meeting pane")
}

fn meeting(app: &App) -> &Meeting {
    pane(app).meeting.as_ref().expect("a meeting under way")
}

fn agenda(app: &App) -> Vec<u64> {
    meeting(app).agenda().iter().map(|i| i.story.0).collect()
}

/// Leave `app`'s meeting (as `q` does), then start the app again at
/// `width` × `height` from its journal: the question to resume it first.
fn left_and_started_again(app: &mut App, width: u16, height: u16) -> App {
    let journal = app
        .screen_mut::<MeetingPane>()
        .unwrap()
        .leave(moving_clock())
        .unwrap();
    let mut again = meeting_app(width, height);
    again.offer_to_resume(Meeting::from_journal(&journal).unwrap());
    again
}

/// Plan a meeting from the backlog (`m`) and start it (`Enter`).
fn started(width: u16, height: u16) -> App {
    let mut app = meeting_app(width, height);
    press(&mut app, &["m", "Enter"]);
    assert!(pane(&app).meeting.is_some(), "{}", screen(&app));
    app
}

#[test]
fn m_plans_the_first_stories_not_ready_and_enter_starts_on_the_first() {
    let mut app = meeting_app(100, 30);
    press(&mut app, &["m"]);
    assert_eq!(app.context(), Context::MeetingPlan);
    let plan = pane(&app).plan.clone().unwrap();
    assert_eq!(plan, [StoryId(1), StoryId(2), StoryId(3)]);
    // Reordered and shortened before it starts.
    press(&mut app, &["J", "x"]);
    assert_eq!(pane(&app).plan.clone().unwrap(), [StoryId(2), StoryId(3)]);
    press(&mut app, &["+"]);
    assert_eq!(
        pane(&app).plan.clone().unwrap(),
        [StoryId(2), StoryId(3), StoryId(1)]
    );
    press(&mut app, &["Enter"]);
    assert_eq!(app.context(), Context::Meeting);
    assert_eq!(agenda(&app), [2, 3, 1]);
    assert_eq!(meeting(&app).story(), StoryId(2));
    assert!(
        notice(&app).contains("The meeting starts"),
        "{}",
        notice(&app)
    );
}

#[test]
fn marked_stories_are_the_agenda_in_rank_order() {
    let mut app = meeting_app(100, 30);
    press(&mut app, &["j", "j", "j", "Space", "k", "k", "Space", "m"]);
    assert_eq!(pane(&app).plan.clone().unwrap(), [StoryId(2), StoryId(4)]);
}

#[test]
fn next_and_previous_walk_the_agenda_and_say_where_it_ends() {
    let mut app = started(100, 30);
    press(&mut app, &["n", "n"]);
    assert_eq!(meeting(&app).story(), StoryId(3));
    press(&mut app, &["n"]);
    assert_eq!(meeting(&app).story(), StoryId(3));
    assert!(
        notice(&app).contains("E ends the meeting"),
        "{}",
        notice(&app)
    );
    press(&mut app, &["p", "p", "p"]);
    assert_eq!(meeting(&app).story(), StoryId(1));
    assert!(notice(&app).contains("first story"), "{}", notice(&app));
}

#[test]
fn poker_rounds_show_the_spread_and_one_key_agrees_on_the_median() {
    let mut app = started(100, 30);
    press(&mut app, &["v"]);
    typed(&mut app, "3 5 5 8 13");
    press(&mut app, &["Enter"]);
    let round = meeting(&app).round().unwrap().clone();
    assert_eq!(round.votes.len(), 5);
    let shown = screen(&app);
    assert!(shown.contains("Round 1: 3 5 5 8 13"), "{shown}");
    assert!(shown.contains("median 5"), "{shown}");
    assert!(
        shown.contains("card 1 (3) and card 5 (13) explain first"),
        "{shown}"
    );
    // A second round replaces the first on screen; both are kept.
    press(&mut app, &["v"]);
    typed(&mut app, "5 5 8 5");
    press(&mut app, &["Enter"]);
    assert_eq!(meeting(&app).current().rounds.len(), 2);
    assert!(screen(&app).contains("Round 2: 5 5 8 5"));
    press(&mut app, &["a"]);
    assert_eq!(
        app.backlog.get(StoryId(1)).unwrap().points,
        Points::new(5.0).ok()
    );
    // Undone like any other change.
    press(&mut app, &["u"]);
    assert_eq!(app.backlog.get(StoryId(1)).unwrap().points, None);
}

#[test]
fn a_card_that_is_no_estimate_is_named_and_the_cards_stay_to_fix() {
    let mut app = started(100, 30);
    press(&mut app, &["v"]);
    typed(&mut app, "3 five");
    press(&mut app, &["Enter"]);
    assert!(notice(&app).starts_with("card 2"), "{}", notice(&app));
    assert_eq!(app.context(), Context::Prompt);
    press(&mut app, &["C-g"]);
    assert!(meeting(&app).round().is_none());
    press(&mut app, &["a"]);
    assert!(
        notice(&app).contains("No poker round yet"),
        "{}",
        notice(&app)
    );
}

#[test]
fn criteria_are_added_and_checked_off_and_ready_follows_the_definition() {
    let mut app = started(100, 30);
    press(&mut app, &["n", "c"]);
    typed(&mut app, "A reminder goes out 7 days late");
    press(&mut app, &["Enter"]);
    let story = app.backlog.get(StoryId(2)).unwrap();
    assert_eq!(
        story.acceptance_criteria[0].text,
        "A reminder goes out 7 days late"
    );
    press(&mut app, &["Space"]);
    assert!(app.backlog.get(StoryId(2)).unwrap().acceptance_criteria[0].done);
    // Not estimated: ready asks first.
    press(&mut app, &["r"]);
    assert_eq!(app.context(), Context::Confirm);
    press(&mut app, &["n", "+", "r"]);
    assert_eq!(app.backlog.get(StoryId(2)).unwrap().status, Status::Ready);
    assert!(
        notice(&app).contains("meets the Definition of Ready"),
        "{}",
        notice(&app)
    );
}

#[test]
fn decisions_and_questions_take_several_lines_and_answers_are_kept() {
    let mut app = started(100, 30);
    press(&mut app, &["d"]);
    assert_eq!(app.context(), Context::MeetingNote);
    typed(&mut app, "Plain PDF will do.");
    press(&mut app, &["C-j"]);
    typed(&mut app, "PDF/A only if a customer asks.");
    press(&mut app, &["Enter"]);
    let story = app.backlog.get(StoryId(1)).unwrap();
    let decision = story.comments.last().unwrap();
    assert!(decision.decision);
    assert_eq!(
        decision.text,
        "Plain PDF will do.\nPDF/A only if a customer asks."
    );
    assert_eq!(decision.author, "po");
    // The one open question is answered; the answer stays with it.
    press(&mut app, &["A"]);
    typed(&mut app, "No: plain PDF");
    press(&mut app, &["Enter"]);
    let question = &app.backlog.get(StoryId(1)).unwrap().comments[0];
    assert!(question.resolved.is_some());
    assert_eq!(question.answer.as_deref(), Some("No: plain PDF"));
    let shown = screen(&app);
    assert!(shown.contains("Answer: No: plain PDF"), "{shown}");
}

#[test]
fn only_its_author_edits_a_comment() {
    let mut app = started(100, 30);
    // Rows: criterion 1, then the question (ben's), then a comment of ours.
    press(&mut app, &["C"]);
    typed(&mut app, "Check with finance");
    press(&mut app, &["Enter", "j", "e"]);
    assert!(notice(&app).contains("ben's"), "{}", notice(&app));
    press(&mut app, &["j", "e"]);
    assert_eq!(app.context(), Context::MeetingNote);
    press(&mut app, &["End"]);
    typed(&mut app, " first");
    press(&mut app, &["Enter"]);
    let comment = app
        .backlog
        .get(StoryId(1))
        .unwrap()
        .comments
        .last()
        .unwrap()
        .clone();
    assert_eq!(comment.text, "Check with finance first");
    assert!(comment.edited.is_some());
}

#[test]
fn a_move_to_the_top_is_kept_with_where_it_came_from() {
    let mut app = started(100, 30);
    press(&mut app, &["n", "n", "T"]);
    assert_eq!(common::order(&app)[0], 3);
    let moved = meeting(&app).current().moved.clone().unwrap();
    assert_eq!((moved.from_place, moved.to_place), (3, 1));
    assert!(notice(&app).contains("from #3 to #1"), "{}", notice(&app));
}

#[test]
fn go_to_a_story_by_id_puts_it_on_the_agenda_after_the_one_on_screen() {
    let mut app = started(100, 30);
    press(&mut app, &[":"]);
    typed(&mut app, "S-6");
    press(&mut app, &["Enter"]);
    assert_eq!(agenda(&app), [1, 6, 2, 3]);
    assert_eq!(meeting(&app).story(), StoryId(6));
    press(&mut app, &[":"]);
    typed(&mut app, "S-99");
    press(&mut app, &["Enter"]);
    assert!(notice(&app).contains("no S-99"), "{}", notice(&app));
}

#[test]
fn a_topic_parked_shows_in_the_strip() {
    let mut app = started(100, 30);
    press(&mut app, &["P"]);
    typed(&mut app, "Dunning fees");
    press(&mut app, &["Enter"]);
    assert_eq!(meeting(&app).parking_lot()[0].text, "Dunning fees");
    assert!(screen(&app).contains("· Dunning fees"));
}

#[test]
fn the_timebox_runs_out_on_screen_and_never_moves_on_by_itself() {
    let mut app = started(100, 30);
    later(4 * 60 + 30);
    app.update(Action::Tick);
    assert!(
        screen(&app).contains("⏱ 0:30 left of 5 min"),
        "{}",
        screen(&app)
    );
    later(90);
    app.update(Action::Tick);
    let shown = screen(&app);
    assert!(shown.contains("Time is up: 1:00 over"), "{shown}");
    assert!(shown.contains("Meeting 6:00 · 54:00 left"), "{shown}");
    assert_eq!(meeting(&app).story(), StoryId(1));
    // The next story has its own timebox.
    press(&mut app, &["n"]);
    assert!(screen(&app).contains("⏱ 5:00 left of 5 min"));
}

#[test]
fn the_journal_is_kept_when_the_meeting_changes_and_every_few_seconds() {
    let mut app = started(100, 30);
    let now = moving_clock();
    let pane = app.screen_mut::<MeetingPane>().unwrap();
    assert!(pane.journal_due(now).is_some(), "started: kept");
    assert!(pane.journal_due(now).is_none(), "nothing new");
    later(10);
    let pane = app.screen_mut::<MeetingPane>().unwrap();
    assert!(pane.journal_due(moving_clock()).is_some(), "the clocks ran");
    press(&mut app, &["n"]);
    let pane = app.screen_mut::<MeetingPane>().unwrap();
    let journal = pane.journal_due(moving_clock()).unwrap();
    assert_eq!(Meeting::from_journal(&journal).unwrap().story(), StoryId(2));
}

#[test]
fn a_meeting_left_is_offered_again_and_resumed_where_it_was() {
    let mut app = started(100, 30);
    press(&mut app, &["n"]);
    later(60);
    // Next time: the question comes first.
    let mut again = left_and_started_again(&mut app, 100, 30);
    assert_eq!(again.context(), Context::Confirm);
    assert!(
        screen(&again).contains("Resume the meeting?"),
        "{}",
        screen(&again)
    );
    press(&mut again, &["y"]);
    assert_eq!(again.context(), Context::Meeting);
    assert_eq!(meeting(&again).story(), StoryId(2));
    assert!(meeting(&again).is_running());
}

#[test]
fn not_now_leaves_it_for_later_and_m_asks_again() {
    let mut app = started(100, 30);
    let mut again = left_and_started_again(&mut app, 100, 30);
    press(&mut again, &["n"]);
    assert_eq!(again.context(), Context::Backlog);
    press(&mut again, &["m"]);
    assert_eq!(again.context(), Context::Confirm);
    press(&mut again, &["n", "6"]);
    assert!(
        screen(&again).contains("was left unfinished"),
        "{}",
        screen(&again)
    );
}

#[test]
fn ending_asks_first_then_hands_the_minutes_to_the_loop() {
    let mut app = started(100, 30);
    press(&mut app, &["v"]);
    typed(&mut app, "3 3");
    press(&mut app, &["Enter", "a", "E"]);
    assert_eq!(app.context(), Context::Confirm);
    let effects = press(&mut app, &["y"]);
    let Some(Effect::EndMeeting { minutes, started }) = effects.last() else {
        panic!("no minutes asked for: {effects:?}");
    };
    assert_eq!(*started, fixed_clock());
    assert!(minutes.starts_with("# Refinement meeting · "), "{minutes}");
    assert!(minutes.contains("## Estimates"), "{minutes}");
    assert!(
        minutes.contains("**S-1** Export invoices as PDF: none → 3 points"),
        "{minutes}"
    );
    // Written: the pane plans the next one.
    app.update(Action::MeetingEnded(Ok("The meeting is over".into())));
    assert!(pane(&app).meeting.is_none());
    assert_eq!(app.context(), Context::MeetingPlan);
}

#[test]
fn minutes_that_cannot_be_written_leave_the_meeting_going() {
    let mut app = started(100, 30);
    press(&mut app, &["E", "y"]);
    app.update(Action::MeetingEnded(Err("disk full".into())));
    assert!(meeting(&app).is_running());
    assert_eq!(notice(&app), "disk full");
}

#[test]
fn keys_of_the_meeting_are_in_the_help_and_the_hints() {
    let app = started(100, 30);
    assert_eq!(app.key(Context::Meeting, Command::PlayPoker), "v");
    assert_eq!(app.key(Context::Backlog, Command::StartMeeting), "m");
    let hints: Vec<&str> = app.hints().iter().map(|(_, what)| *what).collect();
    assert!(hints.contains(&"poker"), "{hints:?}");
}

/// The presenter with a round played, a question open, a decision and a
/// parked topic, at the size of a call shared at 100×30.
fn presented(width: u16, height: u16) -> App {
    let mut app = started(width, height);
    press(&mut app, &["v"]);
    typed(&mut app, "3 5 5 8 13");
    press(&mut app, &["Enter", "d"]);
    typed(&mut app, "Plain PDF will do.");
    press(&mut app, &["Enter", "P"]);
    typed(&mut app, "Dunning fees need legal advice");
    press(&mut app, &["Enter", "Esc"]);
    later(200);
    app.update(Action::Tick);
    app
}

#[test]
fn snapshot_presenter_100x30() {
    insta::assert_snapshot!(screen(&presented(100, 30)));
}

#[test]
fn snapshot_presenter_80x24() {
    insta::assert_snapshot!(screen(&presented(80, 24)));
}

#[test]
fn snapshot_agenda_planned_100x30() {
    let mut app = meeting_app(100, 30);
    press(&mut app, &["m"]);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn the_question_to_resume_shows_its_keys_at_80x24() {
    let mut app = started(80, 24);
    let again = left_and_started_again(&mut app, 80, 24);
    let shown = screen(&again);
    assert!(shown.contains("y resume it   n not now"), "{shown}");
    assert!(
        shown.contains("1 of 3 stories discussed in 0:00."),
        "{shown}"
    );
}

#[test]
fn a_meeting_ended_after_a_crash_counts_its_time_up_to_its_last_journal() {
    let mut app = started(100, 30);
    later(60);
    // The journal a crash leaves: kept a minute in, its clocks running.
    let journal = app
        .screen_mut::<MeetingPane>()
        .unwrap()
        .journal_due(moving_clock())
        .unwrap();
    // An hour later it is ended without being resumed.
    later(3600);
    let mut again = meeting_app(100, 30);
    again.offer_to_resume(Meeting::from_journal(&journal).unwrap());
    let effects = press(&mut again, &["n", "6", "E", "y"]);
    let Some(Effect::EndMeeting { minutes, .. }) = effects.last() else {
        panic!("no minutes asked for: {effects:?}");
    };
    assert!(minutes.contains("1 story discussed in 1 min,"), "{minutes}");
    assert!(
        minutes.contains("**S-1** Export invoices as PDF · 1:00\n"),
        "{minutes}"
    );
}

#[test]
fn a_change_to_the_backlog_alone_does_not_keep_the_journal_again() {
    let mut app = started(100, 30);
    let now = moving_clock();
    assert!(
        app.screen_mut::<MeetingPane>()
            .unwrap()
            .journal_due(now)
            .is_some()
    );
    // An estimate is in the backlog: the meeting's record is as it was.
    press(&mut app, &["+"]);
    assert!(app.backlog.get(StoryId(1)).unwrap().points.is_some());
    let pane = app.screen_mut::<MeetingPane>().unwrap();
    assert!(pane.journal_due(now).is_none());
    // A story leaving the agenda is the meeting's own change.
    press(&mut app, &["n"]);
    app.screen_mut::<MeetingPane>().unwrap().journal_due(now);
    press(&mut app, &["p", "x"]);
    typed(&mut app, "Export invoices as CSV");
    press(&mut app, &["Enter", ":"]);
    typed(&mut app, "S-7");
    press(&mut app, &["Enter"]);
    app.screen_mut::<MeetingPane>().unwrap().journal_due(now);
    press(&mut app, &["u"]);
    assert!(app.backlog.get(StoryId(7)).is_none());
    let pane = app.screen_mut::<MeetingPane>().unwrap();
    assert!(pane.journal_due(now).is_some());
}

#[test]
fn the_default_agenda_shown_follows_the_backlog_until_it_is_changed() {
    let mut app = meeting_app(100, 30);
    press(&mut app, &["6"]);
    assert_eq!(app.context(), Context::MeetingPlan);
    let shown = screen(&app);
    assert!(shown.contains("1. Export invoices as PDF"), "{shown}");
    // S-1 rejected elsewhere leaves the agenda not yet changed.
    let ready = StoryPatch {
        status: Some(Status::Rejected),
        ..StoryPatch::default()
    };
    let mut theirs = app.backlog.clone();
    theirs.edit(StoryId(1), &ready, fixed_clock()).unwrap();
    common::reload(&mut app, theirs, "S-1 is rejected", Vec::new());
    let shown = screen(&app);
    assert!(shown.contains("1. Remind late payers by email"), "{shown}");
    assert!(shown.contains("3. Pay by card"), "{shown}");
    press(&mut app, &["Enter"]);
    assert_eq!(agenda(&app), [2, 3, 4]);
}

#[test]
fn moving_a_story_past_either_end_of_the_agenda_says_so() {
    let mut app = started(100, 30);
    press(&mut app, &["<"]);
    assert_eq!(notice(&app), "S-1 is first on the agenda");
    press(&mut app, &["n", "n", ">"]);
    assert_eq!(notice(&app), "S-3 is last on the agenda");
    assert_eq!(agenda(&app), [1, 2, 3]);
    let mut app = meeting_app(100, 30);
    press(&mut app, &["m", "K"]);
    assert_eq!(notice(&app), "S-1 is first on the agenda");
    press(&mut app, &["-", "-", "-", "-"]);
    assert_eq!(notice(&app), "The agenda is empty");
    press(&mut app, &["x"]);
    assert_eq!(notice(&app), "The agenda is empty");
    press(&mut app, &["E"]);
    assert!(
        notice(&app).contains("Enter starts one"),
        "{}",
        notice(&app)
    );
}

#[test]
fn the_question_to_resume_shows_who_ran_the_meeting_as_text() {
    let mut app = meeting_app(100, 30);
    app.author = "po\u{1b}[2J\u{7}".into();
    press(&mut app, &["m", "Enter"]);
    let again = left_and_started_again(&mut app, 100, 30);
    let shown = screen(&again);
    assert!(shown.contains("by po\u{fffd}[2J\u{fffd}."), "{shown}");
}

#[test]
fn a_comment_kept_as_it_was_says_so_and_changes_nothing() {
    let mut app = started(100, 30);
    press(&mut app, &["C"]);
    typed(&mut app, "Check with finance");
    press(&mut app, &["Enter", "j", "j", "e", "Enter"]);
    assert!(notice(&app).contains("is as it was"), "{}", notice(&app));
    let comment = app
        .backlog
        .get(StoryId(1))
        .unwrap()
        .comments
        .last()
        .unwrap()
        .clone();
    assert!(comment.edited.is_none());
}
