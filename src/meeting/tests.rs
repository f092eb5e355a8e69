use chrono::{FixedOffset, TimeZone, Utc};

use super::*;
use crate::model::{Comment, Move, Placement, Stamp, Status, StoryPatch};

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap() + Duration::seconds(seconds)
}

/// A backlog of `titles`, S-1 first, each a draft with a user-story
/// sentence, as a refinement meeting finds them.
fn backlog(titles: &[&str]) -> Backlog {
    let mut backlog = Backlog::new("Acme");
    for title in titles {
        let patch = StoryPatch {
            title: Some((*title).to_string()),
            as_a: Some("bookkeeper".into()),
            i_want: Some(format!("to {}", title.to_lowercase())),
            so_that: Some("customers pay on time".into()),
            ..StoryPatch::default()
        };
        backlog.add(&patch, Placement::Bottom, at(-3600)).unwrap();
    }
    backlog
}

/// A meeting on `agenda` of `backlog`, started at 0:00 by ana.
fn started(agenda: &[StoryId], backlog: &Backlog) -> Meeting {
    Meeting::start(agenda, backlog, Timing::default(), "ana", at(0)).unwrap()
}

fn ids(meeting: &Meeting) -> Vec<u64> {
    meeting.agenda().iter().map(|item| item.story.0).collect()
}

#[test]
fn a_meeting_starts_on_its_first_story_leaving_out_unknown_and_repeated_ones() {
    let backlog = backlog(&["One", "Two", "Three"]);
    let agenda = [StoryId(2), StoryId(9), StoryId(1), StoryId(2)];
    let meeting = started(&agenda, &backlog);
    assert_eq!(ids(&meeting), [2, 1]);
    assert_eq!(meeting.story(), StoryId(2));
    assert_eq!(meeting.current().place_before, 2);
    assert!(meeting.current().discussed());
    assert!(!meeting.agenda()[1].discussed());
    let none = Meeting::start(&[StoryId(9)], &backlog, Timing::default(), "ana", at(0));
    assert!(none.unwrap_err().contains("no story to discuss"));
}

#[test]
fn each_story_counts_its_own_time_over_every_visit() {
    let backlog = backlog(&["One", "Two"]);
    let mut meeting = started(&[StoryId(1), StoryId(2)], &backlog);
    assert!(meeting.next(at(120)));
    assert!(!meeting.next(at(130)), "no story after the last");
    assert!(meeting.previous(at(180)));
    assert_eq!(meeting.story_spent(at(240)), Duration::seconds(180));
    assert_eq!(
        meeting.agenda()[1].spent.spent(at(240)),
        Duration::seconds(60)
    );
    assert_eq!(meeting.elapsed(at(240)), Duration::seconds(240));
    assert_eq!(meeting.story_left(at(240)).to_string(), "2:00 left");
    assert_eq!(meeting.story_left(at(400)).to_string(), "0:40 over");
    assert!(meeting.story_left(at(400)).ran_out());
    assert_eq!(meeting.meeting_left(at(600)).to_string(), "50:00 left");
}

#[test]
fn the_agenda_is_reordered_shortened_and_extended_with_the_story_on_screen_kept() {
    let backlog = backlog(&["One", "Two", "Three", "Four"]);
    let mut meeting = started(&[StoryId(1), StoryId(2)], &backlog);
    assert!(meeting.shift(0, false));
    assert_eq!(ids(&meeting), [2, 1]);
    assert_eq!(meeting.story(), StoryId(1), "the story on screen stays");
    assert!(!meeting.shift(1, false), "the last goes no later");
    assert!(meeting.bring_up(StoryId(4), &backlog, at(10)));
    assert_eq!(ids(&meeting), [2, 1, 4]);
    assert_eq!(meeting.story(), StoryId(4));
    assert!(
        meeting.bring_up(StoryId(2), &backlog, at(20)),
        "on it already: gone to"
    );
    assert_eq!(ids(&meeting), [2, 1, 4]);
    assert_eq!(meeting.story(), StoryId(2));
    assert!(meeting.append(StoryId(3), &backlog));
    assert!(!meeting.append(StoryId(3), &backlog));
    assert!(!meeting.bring_up(StoryId(99), &backlog, at(20)));
    // Taking off the story on screen shows the next; a story discussed
    // stays in the record, one never taken up does not.
    assert!(meeting.drop_item(0, at(30)));
    assert_eq!(ids(&meeting), [1, 4, 3]);
    assert_eq!(meeting.story(), StoryId(1));
    assert_eq!(meeting.dropped().len(), 1);
    assert!(meeting.drop_item(2, at(31)));
    assert_eq!(meeting.dropped().len(), 1, "S-3 was never discussed");
    assert!(meeting.drop_item(1, at(32)));
    assert!(!meeting.drop_item(0, at(33)), "the last story stays");
    assert_eq!(ids(&meeting), [1]);
}

#[test]
fn a_story_moved_twice_keeps_where_it_came_from() {
    let mut backlog = backlog(&["One", "Two", "Three"]);
    let mut meeting = started(&[StoryId(3)], &backlog);
    let before = backlog.get(StoryId(3)).unwrap().clone();
    backlog.move_story(StoryId(3), Move::Up).unwrap();
    let middle = backlog.get(StoryId(3)).unwrap().rank.clone();
    meeting.moved(
        &before,
        (3, before.rank.clone()),
        (2, middle.clone()),
        &backlog,
    );
    let again = backlog.get(StoryId(3)).unwrap().clone();
    backlog.move_story(StoryId(3), Move::Top).unwrap();
    let top = backlog.get(StoryId(3)).unwrap().rank.clone();
    meeting.moved(&again, (2, middle), (1, top.clone()), &backlog);
    let moved = meeting.current().moved.clone().unwrap();
    assert_eq!((moved.from_place, moved.to_place), (3, 1));
    assert_eq!(moved.from_rank, before.rank);
    assert_eq!(moved.to_rank, top);
}

#[test]
fn a_journal_read_back_resumes_counting_only_up_to_when_it_was_kept() {
    let backlog = backlog(&["One", "Two"]);
    let mut meeting = started(&[StoryId(1), StoryId(2)], &backlog);
    meeting.park("Pricing for resellers", at(30)).unwrap();
    let journal = meeting.to_journal(at(60));
    // The program dies at 0:65; it is started again an hour later.
    let mut back = Meeting::from_journal(&journal).unwrap();
    assert_eq!(back.parking_lot()[0].text, "Pricing for resellers");
    assert_eq!(back.parking_lot()[0].during, Some(StoryId(1)));
    back.resume(at(3600));
    assert_eq!(back.elapsed(at(3630)), Duration::seconds(90));
    assert_eq!(back.story_spent(at(3630)), Duration::seconds(90));
    assert!(Meeting::from_journal("{}").is_err());
    let newer = journal.replacen("\"version\": 1", "\"version\": 99", 1);
    assert!(
        Meeting::from_journal(&newer)
            .unwrap_err()
            .contains("newer backlog")
    );
}

#[test]
fn a_story_removed_from_the_backlog_leaves_the_agenda() {
    let mut backlog = backlog(&["One", "Two"]);
    let mut meeting = started(&[StoryId(1), StoryId(2)], &backlog);
    backlog.remove(StoryId(1)).unwrap();
    assert!(meeting.follow(&backlog, at(10)));
    assert_eq!(ids(&meeting), [2]);
    assert_eq!(meeting.story(), StoryId(2));
    assert_eq!(meeting.dropped()[0].story, StoryId(1));
    backlog.remove(StoryId(2)).unwrap();
    assert!(!meeting.follow(&backlog, at(20)), "nothing left to show");
}

#[test]
fn parked_topics_need_words() {
    let backlog = backlog(&["One"]);
    let mut meeting = started(&[StoryId(1)], &backlog);
    assert!(meeting.park("  ", at(1)).is_err());
    meeting.park("SSO", at(2)).unwrap();
    assert_eq!(meeting.unpark(0).unwrap().text, "SSO");
    assert_eq!(meeting.unpark(0), None);
}

/// A scripted meeting, the way the room would run it, through the same
/// model changes the meeting pane makes; its minutes are compared with
/// the document expected, word for word.
#[test]
fn the_minutes_of_a_scripted_meeting_are_the_document_expected() {
    let mut backlog = backlog(&[
        "Export invoices as PDF",
        "Remind late payers",
        "Dark mode",
        "Pay by card",
    ]);
    backlog.get(StoryId(4)).unwrap();
    let agenda = [StoryId(1), StoryId(2), StoryId(3)];
    let mut meeting = started(&agenda, &backlog);
    let scale = backlog.product.settings.scale;

    // S-1: two rounds of poker, the second agreed; a decision.
    meeting.play(poker::Round::parse("3 5 5 8 13", scale).unwrap());
    meeting.play(poker::Round::parse("5 5 8 5", scale).unwrap());
    let points = meeting.suggested(scale).unwrap();
    let estimate = StoryPatch {
        points: Some(Some(points)),
        ..StoryPatch::default()
    };
    backlog.edit(StoryId(1), &estimate, at(200)).unwrap();
    let mut decision = Comment::new(at(250), "ana", "PDF/A is not needed:\nplain PDF will do.");
    decision.decision = true;
    backlog.comment(StoryId(1), decision).unwrap();

    // S-2, over its timebox: a criterion, an estimate, ready; a question
    // asked and answered, another left open; a topic parked.
    meeting.next(at(300));
    let criterion = StoryPatch {
        add_criteria: vec!["A reminder goes out 7 days after the due date".into()],
        points: Some(Some(Points::new(3.0).unwrap())),
        ..StoryPatch::default()
    };
    backlog.edit(StoryId(2), &criterion, at(400)).unwrap();
    let mut asked = Comment::new(at(420), "ben", "Email or SMS?");
    asked.question = true;
    backlog.comment(StoryId(2), asked).unwrap();
    let stamp = Stamp {
        at: at(450),
        by: "ana".into(),
    };
    backlog
        .answer(StoryId(2), 1, "Email first; SMS later.", stamp)
        .unwrap();
    let ready = StoryPatch {
        status: Some(Status::Ready),
        ..StoryPatch::default()
    };
    backlog.edit(StoryId(2), &ready, at(500)).unwrap();
    meeting
        .park("Dunning fees need legal advice", at(550))
        .unwrap();
    let mut open = Comment::new(at(600), "ben", "Which languages?");
    open.question = true;
    backlog.comment(StoryId(3), open).unwrap();

    // S-3 goes to the top; an estimate given and then undone is not a
    // change (the backlog is as it was).
    meeting.next(at(700));
    let guess = StoryPatch {
        points: Some(Some(Points::new(8.0).unwrap())),
        ..StoryPatch::default()
    };
    backlog.edit(StoryId(3), &guess, at(710)).unwrap();
    let undone = StoryPatch {
        points: Some(None),
        ..StoryPatch::default()
    };
    backlog.edit(StoryId(3), &undone, at(720)).unwrap();
    let before = backlog.get(StoryId(3)).unwrap().clone();
    let moved = backlog.move_story(StoryId(3), Move::Top).unwrap();
    let rank = backlog.get(StoryId(3)).unwrap().rank.clone();
    meeting.moved(
        &before,
        (moved.from + 1, before.rank.clone()),
        (moved.to + 1, rank),
        &backlog,
    );
    let end = at(840);
    let offset = FixedOffset::east_opt(3600).unwrap();
    let minutes = minutes::write(&meeting, &backlog, end, offset);
    let expected = include_str!("../../tests/fixtures/meeting/minutes.md");
    assert_eq!(minutes, expected, "the minutes:\n{minutes}");
}

/// The minutes of `meeting` ended at `end`, in UTC.
fn minutes_at(meeting: &Meeting, backlog: &Backlog, end: DateTime<Utc>) -> String {
    minutes::write(meeting, backlog, end, FixedOffset::east_opt(0).unwrap())
}

fn estimated(backlog: &mut Backlog, id: u64, points: f64) {
    let patch = StoryPatch {
        points: Some(Some(Points::new(points).unwrap())),
        ..StoryPatch::default()
    };
    backlog.edit(StoryId(id), &patch, at(-60)).unwrap();
}

#[test]
fn a_story_removed_mid_meeting_is_told_removed_not_as_its_estimate_taken_away() {
    let mut backlog = backlog(&["One", "Two", "Three"]);
    estimated(&mut backlog, 1, 5.0);
    estimated(&mut backlog, 2, 3.0);
    let agenda = [StoryId(1), StoryId(2), StoryId(3)];
    let mut meeting = started(&agenda, &backlog);
    meeting.next(at(60));
    let scale = backlog.product.settings.scale;
    meeting.play(poker::Round::parse("5 8", scale).unwrap());
    meeting.next(at(120));
    backlog.remove(StoryId(1)).unwrap();
    backlog.remove(StoryId(2)).unwrap();
    assert!(meeting.follow(&backlog, at(130)));
    let minutes = minutes_at(&meeting, &backlog, at(180));
    assert!(
        minutes.contains(
            "## Removed from the backlog\n\n- **S-1** One: removed\n- **S-2** Two: removed\n"
        ),
        "{minutes}"
    );
    // S-1's estimate was not changed; S-2's rounds were played before it
    // went.
    assert!(!minutes.contains("5 points → none"), "{minutes}");
    assert!(!minutes.contains("3 points → none"), "{minutes}");
    assert!(
        minutes
            .contains("## Estimates\n\n- **S-2** Two: removed from the backlog\n  - Round 1: 5 8"),
        "{minutes}"
    );
    assert!(
        !minutes.contains("**S-1** One: removed from the backlog"),
        "{minutes}"
    );
}

/// Move story `id` as the meeting pane does, the meeting keeping where
/// from.
fn move_in_meeting(meeting: &mut Meeting, backlog: &mut Backlog, id: u64, to: Move) {
    let id = StoryId(id);
    let before = backlog.get(id).unwrap().clone();
    let moved = backlog.move_story(id, to).unwrap();
    let rank = backlog.get(id).unwrap().rank.clone();
    meeting.moved(
        &before,
        (moved.from + 1, before.rank.clone()),
        (moved.to + 1, rank),
        backlog,
    );
}

#[test]
fn two_stories_swapped_and_swapped_back_are_no_rank_change() {
    let mut backlog = backlog(&["One", "Two", "Three"]);
    let agenda = [StoryId(3), StoryId(2)];
    let mut meeting = started(&agenda, &backlog);
    move_in_meeting(&mut meeting, &mut backlog, 3, Move::Up);
    meeting.next(at(60));
    // S-2, pushed down by S-3, is moved back up over it.
    move_in_meeting(&mut meeting, &mut backlog, 2, Move::Up);
    let order: Vec<u64> = backlog.ranked().map(|s| s.id.0).collect();
    assert_eq!(order, [1, 2, 3], "the backlog is as it was");
    let minutes = minutes_at(&meeting, &backlog, at(120));
    assert!(!minutes.contains("## Rank changes"), "{minutes}");
}

#[test]
fn a_rank_change_is_told_against_the_stories_there_before_and_after() {
    let mut backlog = backlog(&["One", "Two", "Three", "Four", "Five"]);
    let agenda = [StoryId(5), StoryId(3)];
    let mut meeting = started(&agenda, &backlog);
    // S-5 goes up one; S-3 goes to the top, which puts S-5 a place lower
    // than the meeting left it when it moved, though still above S-4.
    move_in_meeting(&mut meeting, &mut backlog, 5, Move::Up);
    meeting.next(at(60));
    move_in_meeting(&mut meeting, &mut backlog, 3, Move::Top);
    // A split of S-1 adds a story after it: no story's rank changed for it.
    backlog
        .split(StoryId(1), "One, the rest", &[], at(90))
        .unwrap();
    let order: Vec<u64> = backlog.ranked().map(|s| s.id.0).collect();
    assert_eq!(order, [3, 1, 6, 2, 5, 4]);
    let minutes = minutes_at(&meeting, &backlog, at(120));
    assert!(
        minutes.contains("## Rank changes\n\n- **S-5** Five: #5 → #4\n- **S-3** Three: #3 → #1\n"),
        "{minutes}"
    );
}

#[test]
fn a_story_split_off_joins_the_agenda_right_after_once() {
    let mut backlog = backlog(&["One", "Two"]);
    let mut meeting = started(&[StoryId(1), StoryId(2)], &backlog);
    let part = backlog
        .split(StoryId(1), "One, the rest", &[], at(10))
        .unwrap();
    assert!(meeting.follow(&backlog, at(10)));
    assert_eq!(ids(&meeting), [1, part.0, 2]);
    assert_eq!(meeting.story(), StoryId(1), "the story on screen stays");
    // Taken off, it stays off.
    assert!(meeting.drop_item(1, at(20)));
    meeting.follow(&backlog, at(30));
    assert_eq!(ids(&meeting), [1, 2]);
}

#[test]
fn a_split_undone_in_the_meeting_leaves_nothing_in_the_minutes() {
    let mut backlog = backlog(&["One", "Two"]);
    let mut meeting = started(&[StoryId(1), StoryId(2)], &backlog);
    let before = backlog.clone();
    let part = backlog
        .split(StoryId(1), "One, the rest", &[], at(10))
        .unwrap();
    meeting.follow(&backlog, at(10));
    assert!(meeting.next(at(20)));
    assert_eq!(meeting.story(), part);
    // Undone: the backlog is as it was.
    let backlog = before;
    meeting.follow(&backlog, at(30));
    assert_eq!(ids(&meeting), [1, 2]);
    let text = minutes::write(
        &meeting,
        &backlog,
        at(60),
        FixedOffset::east_opt(0).unwrap(),
    );
    assert!(!text.contains(&part.to_string()), "{text}");
    assert!(!text.contains("Removed"), "{text}");
    assert!(!text.contains("Splits"), "{text}");
}
