//! Customer feedback: triage into stories, the evidence stories gain,
//! and how items survive removal, merging and the file.

use super::*;
use crate::store::{from_json, to_json};

fn item(text: &str, customer: &str, importance: Importance) -> Feedback {
    let mut item = Feedback::new(FeedbackId(0), text, customer, t0());
    item.importance = importance;
    item.source = "support".into();
    item
}

fn with_story() -> (Backlog, StoryId) {
    let mut backlog = Backlog::new("Shop");
    let patch = StoryPatch {
        title: Some("Export invoices".into()),
        ..StoryPatch::default()
    };
    let id = backlog.add(&patch, Placement::Bottom, t0()).unwrap();
    (backlog, id)
}

#[test]
fn convert_link_and_dismiss_give_a_story_three_customers_evidence() {
    let (mut backlog, _) = with_story();
    let ask = |b: &mut Backlog, text, customer, importance| {
        b.add_feedback(item(text, customer, importance)).unwrap()
    };
    let first = ask(
        &mut backlog,
        "CSV export of invoices\nOur accountant needs them monthly.",
        "Acme",
        Importance::Critical,
    );
    let second = ask(
        &mut backlog,
        "Invoices to Excel please",
        "Globex",
        Importance::Important,
    );
    let third = ask(
        &mut backlog,
        "export invoices!!",
        "Initech",
        Importance::NiceToHave,
    );
    let again = ask(
        &mut backlog,
        "Still need that export",
        "ACME ",
        Importance::NiceToHave,
    );
    let spam = ask(
        &mut backlog,
        "Buy cheap watches",
        "spam bot",
        Importance::NotImportant,
    );
    assert_eq!(
        (first, spam),
        (FeedbackId(1), FeedbackId(5)),
        "ids count up from F-1"
    );

    let story = backlog
        .convert_feedback(first, Placement::Top, t0())
        .unwrap();
    for id in [second, third, again] {
        backlog.link_feedback(id, story, t0()).unwrap();
    }
    backlog.dismiss_feedback(spam, "spam", t0()).unwrap();

    let converted = backlog.get(story).unwrap();
    assert_eq!(converted.title, "CSV export of invoices");
    assert_eq!(converted.as_a, "customer");
    assert_eq!(converted.i_want, "", "the owner's to write");
    assert!(
        converted
            .description
            .starts_with("Our accountant needs them monthly.\n\nAsked for by Acme via support"),
        "{}",
        converted.description
    );
    assert_eq!(backlog.position(story), Ok(0));

    let evidence = backlog.evidence(story);
    assert_eq!(evidence.items, vec![first, second, third, again]);
    assert_eq!(evidence.customers, 3, "Acme twice counts once");
    // Acme at its highest (3), Globex 2, Initech 1.
    assert_eq!(evidence.importance, 6);
    let spam_item = backlog.feedback_item(spam).unwrap();
    assert_eq!(spam_item.state, FeedbackState::Dismissed);
    assert_eq!(spam_item.reason.as_deref(), Some("spam"));
    assert_eq!(
        backlog.convert_feedback(first, Placement::Top, t0()),
        Err(ModelError::Feedback(format!(
            "F-1 was converted into {story} already"
        )))
    );
}

#[test]
fn refused_triage_changes_nothing() {
    let (mut backlog, story) = with_story();
    let id = backlog
        .add_feedback(item("Dark mode", "Acme", Importance::Important))
        .unwrap();
    let before = backlog.clone();
    assert!(backlog.dismiss_feedback(id, "  ", t0()).is_err());
    assert_eq!(
        backlog.link_feedback(id, StoryId(99), t0()),
        Err(ModelError::UnknownStory(StoryId(99)))
    );
    assert_eq!(
        backlog.link_feedback(FeedbackId(9), story, t0()),
        Err(ModelError::UnknownFeedback(FeedbackId(9)))
    );
    assert!(
        backlog
            .add_feedback(item("", "Acme", Importance::Critical))
            .is_err()
    );
    assert!(
        backlog
            .add_feedback(item("Text", " ", Importance::Critical))
            .is_err()
    );
    assert_eq!(backlog.product, before.product);
}

#[test]
fn removing_a_story_puts_its_feedback_back_in_the_inbox() {
    let (mut backlog, story) = with_story();
    let id = backlog
        .add_feedback(item("Dark mode", "Acme", Importance::Important))
        .unwrap();
    backlog.link_feedback(id, story, t0()).unwrap();
    backlog.remove(story).unwrap();
    let item = backlog.feedback_item(id).unwrap();
    assert_eq!((item.state, item.story), (FeedbackState::New, None));
}

#[test]
fn feedback_survives_the_file_and_a_repeated_id_is_placed() {
    let (mut backlog, story) = with_story();
    let a = backlog
        .add_feedback(item("Dark mode", "Acme", Importance::Important))
        .unwrap();
    backlog
        .add_feedback(item("Bulk edit", "Globex", Importance::Critical))
        .unwrap();
    backlog.link_feedback(a, story, t0()).unwrap();
    let text = to_json(&backlog);
    let head = format!("{{\n  \"schema\": {},", crate::store::SCHEMA);
    assert!(text.starts_with(&head), "{text}");
    let read = from_json(&text).unwrap();
    assert_eq!(read.product, backlog.product);
    assert_eq!(read.next_feedback_id(), FeedbackId(3));

    let twice = text.replacen("\"id\": \"F-2\"", "\"id\": \"F-1\"", 1);
    let error = from_json(&twice).unwrap_err();
    assert!(
        error.starts_with("feedback F-1 appears twice, again at line "),
        "{error}"
    );
}

#[test]
fn an_item_naming_a_story_not_there_reads_as_new() {
    let (mut backlog, story) = with_story();
    let id = backlog
        .add_feedback(item("Dark mode", "Acme", Importance::Important))
        .unwrap();
    backlog.link_feedback(id, story, t0()).unwrap();
    let text = to_json(&backlog).replace(&format!("\"story\": \"{story}\""), "\"story\": \"S-40\"");
    let read = from_json(&text).unwrap();
    let item = read.feedback_item(id).unwrap();
    assert_eq!((item.state, item.story), (FeedbackState::New, None));
}

#[test]
fn triage_on_one_side_and_intake_on_the_other_both_survive_a_merge() {
    let (mut base, story) = with_story();
    let old = base
        .add_feedback(item("Dark mode", "Acme", Importance::Important))
        .unwrap();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    ours.link_feedback(old, story, t0()).unwrap();
    let our_new = ours
        .add_feedback(item("Bulk edit", "Globex", Importance::Critical))
        .unwrap();
    let their_new = theirs
        .add_feedback(item("SSO", "Initech", Importance::Critical))
        .unwrap();
    assert_eq!(our_new, their_new, "both took F-2");

    let merged = merge(&base, &ours, &theirs);
    assert!(!merged.has_conflicts());
    let items = merged.backlog.feedback();
    let said: Vec<(String, &str, FeedbackState)> = items
        .iter()
        .map(|f| (f.id.to_string(), f.summary(), f.state))
        .collect();
    assert_eq!(
        said,
        vec![
            ("F-1".to_string(), "Dark mode", FeedbackState::Linked),
            ("F-2".to_string(), "SSO", FeedbackState::New),
            ("F-3".to_string(), "Bulk edit", FeedbackState::New),
        ]
    );
    assert_eq!(merged.backlog.next_feedback_id(), FeedbackId(4));

    // Both triaging the same item differently is a clash: the file's stays.
    let mut ours = base.clone();
    let mut theirs = base.clone();
    ours.link_feedback(old, story, t0()).unwrap();
    theirs.dismiss_feedback(old, "duplicate", t0()).unwrap();
    let merged = merge(&base, &ours, &theirs);
    assert!(merged.conflicting_product.is_some());
    assert_eq!(
        merged.backlog.feedback_item(old).unwrap().state,
        FeedbackState::Dismissed
    );
}

#[test]
fn undo_puts_triage_back() {
    let (mut backlog, _) = with_story();
    let id = backlog
        .add_feedback(item("Dark mode", "Acme", Importance::Important))
        .unwrap();
    let mut history = History::new(10);
    let (result, before) = backlog.watched(|b| b.convert_feedback(id, Placement::Bottom, t0()));
    let story = result.unwrap();
    assert!(history.record("convert", t0(), before, &backlog));
    history.undo(&mut backlog).unwrap();
    assert!(backlog.get(story).is_none());
    assert_eq!(backlog.feedback_item(id).unwrap().state, FeedbackState::New);
}

fn inbox_of(n: usize) -> (Backlog, StoryId) {
    let (mut backlog, story) = with_story();
    let items = (0..n)
        .map(|i| {
            item(
                &format!("Wish {i}"),
                &format!("Customer {i}"),
                Importance::Important,
            )
        })
        .collect();
    backlog.add_feedback_items(items).unwrap();
    (backlog, story)
}

#[test]
fn an_id_undone_is_never_handed_out_again() {
    let (mut backlog, _) = with_story();
    let mut history = History::new(10);
    let (added, before) =
        backlog.watched(|b| b.add_feedback(item("Hello", "Acme", Importance::Critical)));
    history.record("add", t0(), before, &backlog);
    history.undo(&mut backlog).unwrap();
    assert!(backlog.feedback().is_empty());
    let again = backlog
        .add_feedback(item("Other", "Globex", Importance::Critical))
        .unwrap();
    assert_ne!(added.unwrap(), again);
    assert_eq!(again, FeedbackId(2));
}

#[test]
fn an_entry_keeps_only_the_items_it_changed_and_undoes_them_alone() {
    let (mut backlog, story) = inbox_of(1000);
    let mut history = History::new(10);
    let (result, before) = backlog.watched(|b| b.link_feedback(FeedbackId(500), story, t0()));
    result.unwrap();
    history.record("link", t0(), before, &backlog);
    let entry = history.next_undo().unwrap();
    let kept = |s: &Snapshot| s.product.as_ref().unwrap().feedback.len();
    assert_eq!((kept(&entry.before), kept(&entry.after)), (1, 1));

    // Another writer's triage and intake meanwhile do not block the undo.
    backlog
        .dismiss_feedback(FeedbackId(7), "spam", t0())
        .unwrap();
    backlog
        .add_feedback(item("Late", "Initech", Importance::NiceToHave))
        .unwrap();
    history.undo(&mut backlog).unwrap();
    let state = |b: &Backlog, id| b.feedback_item(FeedbackId(id)).unwrap().state;
    assert_eq!(state(&backlog, 500), FeedbackState::New);
    assert_eq!(state(&backlog, 7), FeedbackState::Dismissed);
    assert_eq!(backlog.feedback().len(), 1001);
    history.redo(&mut backlog).unwrap();
    assert_eq!(state(&backlog, 500), FeedbackState::Linked);

    // The item the entry names changed elsewhere: the undo is refused.
    history.undo(&mut backlog).unwrap();
    backlog
        .dismiss_feedback(FeedbackId(500), "no", t0())
        .unwrap();
    assert!(history.redo(&mut backlog).is_err());
    assert_eq!(state(&backlog, 500), FeedbackState::Dismissed);
}

#[test]
fn the_steps_of_one_gesture_over_several_items_undo_together() {
    let (mut backlog, story) = inbox_of(20);
    let mut history = History::new(10);
    let (result, before) = backlog.watched(|b| b.link_feedback(FeedbackId(3), story, t0()));
    result.unwrap();
    history.record_more("triage", t0(), before, &backlog);
    let (result, before) = backlog.watched(|b| b.dismiss_feedback(FeedbackId(9), "dup", t0()));
    result.unwrap();
    history.record_more("triage", t0(), before, &backlog);
    let (result, before) =
        backlog.watched(|b| b.add_feedback(item("New", "Zed", Importance::Critical)));
    result.unwrap();
    history.record_more("triage", t0(), before, &backlog);
    assert_eq!(history.undo_len(), 1);
    history.undo(&mut backlog).unwrap();
    assert_eq!(backlog.feedback().len(), 20);
    assert!(
        backlog
            .feedback()
            .iter()
            .all(|f| f.state == FeedbackState::New)
    );
    history.redo(&mut backlog).unwrap();
    assert_eq!(backlog.feedback().len(), 21);
    assert_eq!(
        backlog.feedback_item(FeedbackId(9)).unwrap().state,
        FeedbackState::Dismissed
    );
}
