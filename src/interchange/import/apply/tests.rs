use chrono::{TimeZone, Utc};

use super::*;
use crate::model::{FeedbackState, Placement, StoryPatch};
use crate::store::{from_json, to_json};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()
}

fn options() -> Options {
    Options {
        target: Target::Backlog,
        update: false,
        top: false,
        now: now(),
    }
}

fn record(line: usize, key: &str, title: &str) -> Record {
    Record {
        line,
        source: "github:acme/shop".into(),
        key: Some(key.into()),
        link: Some(format!("https://github.com/acme/shop/issues/{key}")),
        title: title.into(),
        ..Record::default()
    }
}

fn records(name: &str, format: Format, records: Vec<Record>) -> Input {
    Input {
        name: name.into(),
        format,
        content: Content::Records(Read {
            records,
            ..Read::default()
        }),
    }
}

fn github(records_in: Vec<Record>) -> Input {
    records("issues.json", Format::GitHub, records_in)
}

fn import(backlog: &mut Backlog, inputs: Vec<Input>, options: &Options) -> Summary {
    apply(backlog, inputs, options, &mut || {}).unwrap()
}

fn titles(backlog: &Backlog) -> Vec<String> {
    backlog.ranked().map(|s| s.title.clone()).collect()
}

#[test]
fn records_become_stories_below_the_backlog_each_knowing_its_origin() {
    let mut b = Backlog::new("Shop");
    b.add(&StoryPatch::title("Mine"), Placement::Bottom, now())
        .unwrap();
    let mut first = record(2, "12", &"word ".repeat(60));
    first.description = "Details.".into();
    first.labels = vec!["#UX".into(), "ux".into()];
    first.epic = Some("Checkout".into());
    first.points = Some(3.0);
    first.status = Some("In Progress".into());
    first.created = Some(Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap());
    let mut second = record(9, "13", "Pay by card");
    second.as_a = Some(" shopper ".into());
    second.criteria = vec![("Charged once".into(), true), (" ".into(), false)];
    let summary = import(&mut b, vec![github(vec![first, second])], &options());

    assert_eq!(titles(&b)[0], "Mine");
    let file = &summary.files[0];
    assert_eq!(file.stories, [StoryId(2), StoryId(3)]);
    assert_eq!((file.read, file.already, file.skipped), (2, 0, 0));
    let story = b.get(StoryId(2)).unwrap();
    assert_eq!(story.title.chars().count(), 254, "cut at a word");
    assert!(story.description.ends_with("word\n\nDetails."));
    assert_eq!(story.labels, ["UX"]);
    assert_eq!(story.epic.as_deref(), Some("Checkout"));
    assert_eq!(story.status, Status::InProgress);
    assert_eq!(
        story.created,
        Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap()
    );
    assert!(story.status_history[0].guessed);
    let origin = story.origin.as_ref().unwrap();
    assert!(origin.is("github:acme/shop", "12"));
    assert_eq!(
        origin.link.as_deref(),
        Some("https://github.com/acme/shop/issues/12")
    );
    let second = b.get(StoryId(3)).unwrap();
    assert_eq!(second.as_a, "shopper");
    assert_eq!(second.acceptance_criteria.len(), 1);
    assert_eq!(second.created, now(), "no date given: now");
    assert_eq!(second.status, Status::Draft);
    assert!(b.product.epic("Checkout").is_some());
}

#[test]
fn importing_the_same_records_again_adds_and_changes_nothing() {
    let mut b = Backlog::new("Shop");
    let file = || github(vec![record(2, "12", "Pay"), record(3, "13", "Ship")]);
    import(&mut b, vec![file()], &options());
    let before = to_json(&b);
    let summary = import(&mut b, vec![file()], &options());
    assert_eq!(summary.files[0].already, 2);
    assert!(summary.files[0].stories.is_empty());
    assert!(!summary.changed());
    assert_eq!(to_json(&b), before);
    // With --update and nothing new at the source, nothing changes either.
    let update = Options {
        update: true,
        ..options()
    };
    let summary = import(&mut b, vec![file()], &update);
    assert_eq!((summary.files[0].already, summary.files[0].updated), (2, 0));
    assert_eq!(to_json(&b), before);
}

#[test]
fn without_update_nothing_already_here_changes_even_when_the_source_did() {
    let mut b = Backlog::new("Shop");
    import(
        &mut b,
        vec![github(vec![record(2, "12", "Pay")])],
        &options(),
    );
    let before = to_json(&b);
    let summary = import(
        &mut b,
        vec![github(vec![record(2, "12", "Pay now")])],
        &options(),
    );
    assert_eq!(summary.files[0].already, 1);
    assert_eq!(to_json(&b), before);
}

#[test]
fn update_takes_the_sources_changes_and_keeps_the_product_owners() {
    let mut b = Backlog::new("Shop");
    let mut was = record(2, "12", "Pay");
    was.description = "Old text.".into();
    was.labels = vec!["web".into()];
    import(&mut b, vec![github(vec![was])], &options());
    // The product owner rewrites the description and estimates it here.
    let patch = StoryPatch {
        description: Some("Our words.".into()),
        points: Some(Some(Points::new(5.0).unwrap())),
        ..StoryPatch::default()
    };
    b.edit(StoryId(1), &patch, now()).unwrap();
    // The source changes the title, the description and the status.
    let mut now_there = record(2, "12", "Pay by card");
    now_there.description = "New text.".into();
    now_there.labels = vec!["WEB".into()];
    now_there.status = Some("closed".into());
    let update = Options {
        update: true,
        ..options()
    };
    let summary = import(&mut b, vec![github(vec![now_there.clone()])], &update);
    let story = b.get(StoryId(1)).unwrap();
    assert_eq!(story.title, "Pay by card");
    assert_eq!(story.description, "Our words.");
    assert_eq!(story.points, Some(Points::new(5.0).unwrap()));
    assert_eq!(
        story.labels,
        ["web"],
        "the same label, in the backlog's spelling"
    );
    assert_eq!(story.status, Status::Done);
    assert_eq!(story.status_history.last().unwrap().at, now());
    assert_eq!(summary.files[0].updated, 1);
    assert_eq!(summary.kept, [("S-1".to_string(), vec!["description"])]);
    // Told once: the source's change is seen now (which is a change to
    // save), and the same file again changes and tells nothing.
    assert!(summary.changed());
    let before = to_json(&b);
    let summary = import(&mut b, vec![github(vec![now_there])], &update);
    assert!(summary.kept.is_empty());
    assert_eq!(to_json(&b), before);
}

#[test]
fn an_item_converted_into_a_story_is_not_imported_again_as_a_story() {
    let mut b = Backlog::new("Shop");
    let inbox = Options {
        target: Target::Inbox,
        ..options()
    };
    import(&mut b, vec![github(vec![record(2, "12", "Pay")])], &inbox);
    let item = b.feedback()[0].id;
    b.convert_feedback(item, Placement::Bottom, now()).unwrap();
    let summary = import(
        &mut b,
        vec![github(vec![record(2, "12", "Pay")])],
        &options(),
    );
    assert_eq!(summary.files[0].already, 1);
    assert_eq!(b.len(), 1, "only the story the item was converted into");
}

#[test]
fn a_key_twice_in_one_import_is_taken_the_first_time() {
    let mut b = Backlog::new("Shop");
    let summary = import(
        &mut b,
        vec![
            github(vec![record(2, "12", "Pay")]),
            records(
                "more.json",
                Format::GitHub,
                vec![record(5, "12", "Pay again"), record(6, "14", "Ship")],
            ),
        ],
        &options(),
    );
    assert_eq!(titles(&b), ["Pay", "Ship"]);
    let more = &summary.files[1];
    assert_eq!(more.skipped, 1);
    assert_eq!(more.problems[0].line, 5);
    assert_eq!(
        more.problems[0].what,
        "12 appears again (first at issues.json:2); skipped"
    );
}

#[test]
fn a_record_without_a_key_is_known_by_its_title() {
    let mut b = Backlog::new("Shop");
    let keyless = || {
        let mut r = record(2, "", "Pay by card");
        r.key = None;
        github(vec![r])
    };
    import(&mut b, vec![keyless()], &options());
    let origin = b.get(StoryId(1)).unwrap().origin.clone().unwrap();
    assert!(origin.id.starts_with("title-"), "{}", origin.id);
    let summary = import(&mut b, vec![keyless()], &options());
    assert_eq!(summary.files[0].already, 1);
    assert_eq!(b.len(), 1);
}

#[test]
fn plain_csv_files_number_their_rows_apart() {
    let mut b = Backlog::new("Shop");
    let csv = |name: &str, title: &str| {
        let mut r = record(2, "1", title);
        r.source = "csv".into();
        records(name, Format::Csv, vec![r])
    };
    import(
        &mut b,
        vec![csv("a/stories.csv", "Pay"), csv("feedback.csv", "Ship")],
        &options(),
    );
    assert_eq!(titles(&b), ["Pay", "Ship"]);
    let origin = b.get(StoryId(1)).unwrap().origin.clone().unwrap();
    assert!(origin.is("csv:stories.csv", "1"));
    // The same file from another folder is the same file.
    let summary = import(&mut b, vec![csv("stories.csv", "Pay")], &options());
    assert_eq!(summary.files[0].already, 1);
}

#[test]
fn statuses_map_to_ours_and_unknown_ones_are_drafts_told_once() {
    let mut b = Backlog::new("Shop");
    let with = |line, key, status: &str| {
        let mut r = record(line, key, &format!("Story {key}"));
        r.status = Some(status.into());
        r
    };
    let summary = import(
        &mut b,
        vec![github(vec![
            with(2, "1", "Blocked"),
            with(3, "2", "Won't Do"),
            with(4, "3", "Blocked"),
            with(5, "4", "QA"),
            with(6, "5", "ready"),
        ])],
        &options(),
    );
    let statuses: Vec<Status> = b.ranked().map(|s| s.status).collect();
    assert_eq!(
        statuses,
        [
            Status::Draft,
            Status::Rejected,
            Status::Draft,
            Status::Draft,
            Status::Draft
        ]
    );
    assert_eq!(
        summary.unknown_statuses,
        [("Blocked".to_string(), 2), ("QA".to_string(), 1)]
    );
    // Ready, but with no user story, criteria or estimate.
    assert_eq!(summary.not_ready, [StoryId(5)]);
}

#[test]
fn a_story_that_meets_the_definition_of_ready_comes_in_ready() {
    let mut b = Backlog::new("Shop");
    let mut r = record(2, "1", "Pay");
    r.status = Some("Ready".into());
    r.as_a = Some("shopper".into());
    r.i_want = Some("to pay".into());
    r.so_that = Some("I get it".into());
    r.criteria = vec![("Charged".into(), false)];
    r.points = Some(3.0);
    let summary = import(&mut b, vec![github(vec![r])], &options());
    assert!(summary.not_ready.is_empty());
    assert_eq!(b.get(StoryId(1)).unwrap().status, Status::Ready);
}

#[test]
fn rows_without_a_title_or_with_a_bad_estimate_are_reported_by_line() {
    let mut b = Backlog::new("Shop");
    let mut odd = record(4, "2", "Odd");
    odd.points = Some(2.3);
    let mut input = github(vec![record(3, "1", "  "), odd]);
    if let Content::Records(read) = &mut input.content {
        read.problems.push(Problem {
            line: 2,
            what: "the row has 3 fields where the header has 5".into(),
        });
    }
    let summary = import(&mut b, vec![input], &options());
    let file = &summary.files[0];
    let lines: Vec<usize> = file.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [2, 3, 4]);
    assert_eq!(file.skipped, 2);
    assert!(file.problems[2].what.contains("imported without it"));
    assert_eq!(titles(&b), ["Odd"]);
    assert_eq!(b.get(StoryId(1)).unwrap().points, None);
}

#[test]
fn records_go_into_the_inbox_as_customer_feedback() {
    let mut b = Backlog::new("Shop");
    let mut asked = record(2, "7", "Export to PDF");
    asked.description = "We print every invoice.".into();
    asked.customer = Some("Acme Corp".into());
    asked.importance = Some("High".into());
    asked.created = Some(Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap());
    let mut plain = record(3, "8", "Dark mode");
    plain.importance = Some("someday".into());
    let inbox = Options {
        target: Target::Inbox,
        ..options()
    };
    let summary = import(&mut b, vec![github(vec![asked, plain])], &inbox);
    assert!(b.is_empty());
    let items = b.feedback();
    assert_eq!(summary.files[0].items, [items[0].id, items[1].id]);
    assert_eq!(items[0].text, "Export to PDF\n\nWe print every invoice.");
    assert_eq!(items[0].customer, "Acme Corp");
    assert_eq!(items[0].importance, Importance::Important);
    assert_eq!(items[0].source, "GitHub");
    assert_eq!(items[0].date.to_string(), "2026-05-01 00:00:00 UTC");
    assert_eq!(items[1].customer, "GitHub", "no customer: the tracker");
    assert_eq!(items[1].importance, Importance::NiceToHave);
    assert_eq!(summary.unknown_importances, [("someday".to_string(), 1)]);
    // Again: nothing new, into the inbox or the backlog.
    let summary = import(
        &mut b,
        vec![github(vec![record(3, "8", "Dark")])],
        &options(),
    );
    assert_eq!(summary.files[0].already, 1);
    assert!(b.is_empty());
}

#[test]
fn an_inbox_item_is_refreshed_and_keeps_its_triage() {
    let mut b = Backlog::new("Shop");
    let inbox = Options {
        target: Target::Inbox,
        ..options()
    };
    import(&mut b, vec![github(vec![record(2, "7", "Export")])], &inbox);
    let id = b.feedback()[0].id;
    b.dismiss_feedback(id, "not for us", now()).unwrap();
    let update = Options {
        update: true,
        ..inbox
    };
    let summary = import(
        &mut b,
        vec![github(vec![record(2, "7", "Export to PDF")])],
        &update,
    );
    let item = b.feedback_item(id).unwrap();
    assert_eq!(item.text, "Export to PDF");
    assert_eq!(item.state, FeedbackState::Dismissed);
    assert_eq!(summary.files[0].updated, 1);
}

#[test]
fn new_stories_go_above_the_backlog_with_top() {
    let mut b = Backlog::new("Shop");
    b.add(&StoryPatch::title("Mine"), Placement::Bottom, now())
        .unwrap();
    let top = Options {
        top: true,
        ..options()
    };
    import(
        &mut b,
        vec![github(vec![record(2, "1", "A"), record(3, "2", "B")])],
        &top,
    );
    assert_eq!(titles(&b), ["A", "B", "Mine"]);
}

fn other_backlog() -> Backlog {
    let mut other = from_json(crate::cli::DEMO).unwrap();
    let first = other.ranked().next().unwrap().id;
    let second = other.ranked().nth(1).unwrap().id;
    let blocked = StoryPatch {
        add_blocked_by: vec![first],
        ..StoryPatch::default()
    };
    other.edit(second, &blocked, now()).unwrap();
    other
        .add_feedback(Feedback::new(FeedbackId(1), "Faster", "Acme", now()))
        .unwrap();
    let item = other.feedback()[0].id;
    other.link_feedback(item, first, now()).unwrap();
    other
}

#[test]
fn a_backlog_file_into_an_empty_backlog_is_restored_whole() {
    let other = other_backlog();
    let text = to_json(&other);
    let mut b = Backlog::new("");
    let input = Input {
        name: "backup.json".into(),
        format: Format::Backlog,
        content: Content::Backlog(Box::new(from_json(&text).unwrap())),
    };
    let summary = import(&mut b, vec![input], &options());
    assert!(summary.files[0].restored);
    assert_eq!(summary.files[0].stories.len(), other.len());
    assert_eq!(to_json(&b), text);
}

#[test]
fn a_backlog_files_stories_are_added_renumbered_once() {
    let other = other_backlog();
    let mut b = Backlog::new("Mine");
    for title in ["One", "Two"] {
        b.add(&StoryPatch::title(title), Placement::Bottom, now())
            .unwrap();
    }
    let input = || Input {
        name: "demo.json".into(),
        format: Format::Backlog,
        content: Content::Backlog(Box::new(other.clone())),
    };
    let summary = import(&mut b, vec![input()], &options());
    let file = &summary.files[0];
    assert!(!file.restored);
    assert_eq!(file.stories.len(), other.len());
    assert_eq!(b.len(), other.len() + 2);
    // Theirs, below ours, in their order.
    let theirs: Vec<String> = other.ranked().map(|s| s.title.clone()).collect();
    assert_eq!(titles(&b)[2..], theirs[..]);
    // Renumbered past ours, in their rank order, their links with them.
    let source = format!("backlog:{}", other.product.name);
    let here_of = |id: StoryId| {
        b.stories_by_id()
            .iter()
            .find(|s| {
                s.origin
                    .as_ref()
                    .is_some_and(|o| o.is(&source, &id.to_string()))
            })
            .map(|s| s.id)
            .unwrap()
    };
    let ids: Vec<u64> = other.ranked().map(|s| here_of(s.id).0).collect();
    assert_eq!(ids, (3..3 + other.len() as u64).collect::<Vec<_>>());
    for story in other.stories_by_id() {
        let here = b.get(here_of(story.id)).unwrap();
        assert_eq!(here.title, story.title);
        let moved: Vec<StoryId> = story.blocked_by.iter().map(|&s| here_of(s)).collect();
        assert_eq!(here.blocked_by, moved);
        assert_eq!(here.split_from, story.split_from.map(here_of));
    }
    assert!(
        other
            .stories_by_id()
            .iter()
            .any(|s| !s.blocked_by.is_empty())
    );
    // Their epics, as they had them; their feedback, still linked.
    for epic in &other.product.epics {
        assert_eq!(b.product.epic(&epic.name).unwrap().color, epic.color);
    }
    let item = &b.feedback()[0];
    assert_eq!(item.state, FeedbackState::Linked);
    let first = here_of(other.ranked().next().unwrap().id);
    assert_eq!(item.story, Some(first));
    assert_eq!(b.evidence(first).customers, 1);

    let before = to_json(&b);
    let summary = import(&mut b, vec![input()], &options());
    assert_eq!(summary.files[0].already, other.len() + 1);
    assert_eq!(to_json(&b), before);
}

#[test]
fn a_backlog_file_does_not_go_into_the_inbox() {
    let mut b = Backlog::new("Mine");
    let input = Input {
        name: "demo.json".into(),
        format: Format::Backlog,
        content: Content::Backlog(Box::new(other_backlog())),
    };
    let inbox = Options {
        target: Target::Inbox,
        ..options()
    };
    let refused = apply(&mut b, vec![input], &inbox, &mut || {}).unwrap_err();
    assert!(refused.contains("demo.json is a backlog file"), "{refused}");
}

#[test]
fn a_change_kept_here_still_saves_what_the_source_now_says() {
    let mut b = Backlog::new("Shop");
    import(
        &mut b,
        vec![github(vec![record(2, "12", "Pay")])],
        &options(),
    );
    b.edit(StoryId(1), &StoryPatch::title("Pay by card"), now())
        .unwrap();
    let update = Options {
        update: true,
        ..options()
    };
    let there = || github(vec![record(2, "12", "Pay now")]);
    let summary = import(&mut b, vec![there()], &update);
    assert_eq!(summary.kept, [("S-1".to_string(), vec!["title"])]);
    assert_eq!(summary.files[0].updated, 0);
    assert!(
        summary.changed(),
        "the fingerprint of the source's title is new"
    );
    assert_eq!(b.get(StoryId(1)).unwrap().title, "Pay by card");
    let summary = import(&mut b, vec![there()], &update);
    assert!(summary.kept.is_empty());
    assert!(!summary.changed());
}

#[test]
fn an_undated_items_date_stays_when_updated_again_later() {
    let mut b = Backlog::new("Shop");
    let inbox = |at| Options {
        target: Target::Inbox,
        update: true,
        top: false,
        now: at,
    };
    let mut row = record(2, "12", "Pay by card");
    row.customer = Some("Acme".into());
    import(&mut b, vec![github(vec![row.clone()])], &inbox(now()));
    let later = now() + chrono::Duration::days(3);
    let summary = import(&mut b, vec![github(vec![row.clone()])], &inbox(later));
    assert_eq!(summary.files[0].updated, 0);
    let item = &b.feedback()[0];
    assert_eq!((item.date, item.updated), (now(), now()));

    // A date the source gives is refreshed as any field is.
    row.created = Some(now() - chrono::Duration::days(9));
    let summary = import(&mut b, vec![github(vec![row])], &inbox(later));
    assert_eq!(summary.files[0].updated, 0, "the first-seen date is kept");
}
