use chrono::{TimeZone, Utc};

use super::markdown::inline;
use super::*;
use crate::model::{
    Backlog, Criterion, Epic, EpicColor, Feedback, FeedbackId, Placement, StoryId, StoryPatch,
};

fn day() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap()
}

fn epic(name: &str) -> Epic {
    Epic {
        name: name.into(),
        color: EpicColor::Green,
        goal: String::new(),
        target_release: None,
    }
}

fn add(b: &mut Backlog, title: &str, epic: Option<&str>, points: Option<f64>) -> StoryId {
    let patch = StoryPatch {
        title: Some(title.into()),
        epic: Some(epic.map(str::to_string)),
        points: Some(points.map(|p| Points::new(p).unwrap())),
        ..StoryPatch::default()
    };
    b.add(&patch, Placement::Bottom, day()).unwrap()
}

#[test]
fn epics_come_in_the_order_of_their_highest_ranked_story_and_no_epic_last() {
    let mut b = Backlog::new("Shop");
    b.add_epic(epic("Billing")).unwrap();
    b.add_epic(epic("Search")).unwrap();
    add(&mut b, "Loose", None, None);
    add(&mut b, "Find", Some("Search"), Some(3.0));
    add(&mut b, "Pay", Some("Billing"), Some(5.0));
    add(&mut b, "Find more", Some("Search"), Some(2.0));
    let readable = Readable::of(&b, Options::default());
    let groups: Vec<(Option<&str>, Vec<usize>)> = readable
        .groups
        .iter()
        .map(|g| (g.name, g.stories.iter().map(|e| e.position).collect()))
        .collect();
    assert_eq!(
        groups,
        [
            (Some("Search"), vec![2, 4]),
            (Some("Billing"), vec![3]),
            (None, vec![1])
        ]
    );
}

#[test]
fn done_and_rejected_stories_are_left_out_but_count_in_their_epics_progress() {
    let mut b = Backlog::new("Shop");
    b.add_epic(epic("Billing")).unwrap();
    let done = add(&mut b, "Invoice", Some("Billing"), Some(8.0));
    let rejected = add(&mut b, "Cheques", Some("Billing"), Some(13.0));
    add(&mut b, "Pay", Some("Billing"), Some(5.0));
    for (id, status) in [(done, Status::Done), (rejected, Status::Rejected)] {
        let patch = StoryPatch {
            status: Some(status),
            ..StoryPatch::default()
        };
        b.edit(id, &patch, day()).unwrap();
    }
    let readable = Readable::of(&b, Options::default());
    assert_eq!((readable.shown, readable.left_out), (1, 2));
    let billing = &readable.groups[0];
    assert_eq!(billing.stories.len(), 1);
    // The rejected story's points are no one's work.
    assert_eq!(
        billing.progress,
        Progress {
            done: 8.0,
            points: 13.0
        }
    );
    assert_eq!(
        progress_text(billing.progress),
        "8 of 13 points done (61 %)"
    );
    let all = Readable::of(&b, Options { all: true });
    assert_eq!((all.shown, all.left_out), (3, 0));
}

#[test]
fn evidence_names_each_customer_once_at_their_highest_importance_most_important_first() {
    let mut b = Backlog::new("Shop");
    let story = add(&mut b, "Pay", None, None);
    for (customer, importance, days) in [
        ("Globex", Importance::NiceToHave, 0),
        ("Acme", Importance::Important, 1),
        ("ACME ", Importance::Critical, 2),
        ("Initech", Importance::NiceToHave, 3),
    ] {
        let mut item = Feedback::new(FeedbackId(1), "Card, please", customer, day());
        item.importance = importance;
        item.date = day() + chrono::Days::new(days);
        let id = b.add_feedback(item).unwrap();
        b.link_feedback(id, story, day()).unwrap();
    }
    let readable = Readable::of(&b, Options::default());
    let voice = readable.groups[0].stories[0].voice.as_ref().unwrap();
    assert_eq!(
        voice.customers,
        [
            ("Acme", Importance::Critical),
            ("Globex", Importance::NiceToHave),
            ("Initech", Importance::NiceToHave)
        ]
    );
    assert_eq!(voice.importance, 5);
    assert_eq!(voice.headline(), "asked for by 3 customers (importance 5)");
}

#[test]
fn readiness_says_what_a_story_lacks_and_nothing_past_ready() {
    let mut b = Backlog::new("Shop");
    let id = add(&mut b, "Pay", None, Some(3.0));
    let readable = Readable::of(&b, Options::default());
    assert_eq!(
        readable.groups[0].stories[0].readiness.text().unwrap(),
        "not ready: user-story sentence lacks \"as a\", \"I want\", \"so that\"; \
         no acceptance criteria"
    );
    let patch = StoryPatch {
        as_a: Some("shopper".into()),
        i_want: Some("to pay".into()),
        so_that: Some("I leave".into()),
        criteria: Some(vec![Criterion {
            text: "Paid".into(),
            done: false,
        }]),
        ..StoryPatch::default()
    };
    b.edit(id, &patch, day()).unwrap();
    let readable = Readable::of(&b, Options::default());
    assert_eq!(readable.groups[0].stories[0].readiness, Readiness::Ready);
    let patch = StoryPatch {
        status: Some(Status::InProgress),
        ..StoryPatch::default()
    };
    b.edit(id, &patch, day()).unwrap();
    let readable = Readable::of(&b, Options::default());
    assert_eq!(readable.groups[0].stories[0].readiness.text(), None);
}

#[test]
fn estimates_read_on_the_backlogs_scale() {
    let points = |p: f64| Some(Points::new(p).unwrap());
    assert_eq!(estimate_text(points(5.0), Scale::Fibonacci), "5 points");
    assert_eq!(estimate_text(points(1.0), Scale::Fibonacci), "1 point");
    assert_eq!(estimate_text(points(3.0), Scale::TShirt), "M (3 points)");
    assert_eq!(
        estimate_text(points(0.5), Scale::ModifiedFibonacci),
        "½ point"
    );
    assert_eq!(estimate_text(None, Scale::Fibonacci), "not estimated");
}

#[test]
fn markdown_escapes_only_what_would_break_its_structure() {
    assert_eq!(inline("Pay by card"), "Pay by card");
    assert_eq!(inline("one\ntwo\r\nthree"), "one two three");
    assert_eq!(inline("a <!-- b"), "a \\<!-- b");
    assert_eq!(inline("x < y, a <b>"), "x < y, a \\<b>");
    assert_eq!(inline("#42 *fast* | C#"), "#42 *fast* | C#");
    let mut b = Backlog::new("Shop ##");
    b.product.vision = "# Big\n```\nunder\n===\n  ~~~ fence".into();
    add(&mut b, "Fix #", None, None);
    let text = markdown::render(&Readable::of(&b, Options::default()));
    assert!(text.starts_with("# Shop ## backlog\n"), "{text}");
    assert!(text.contains("### 1. S-1 Fix \\#\n"), "{text}");
    assert!(
        text.contains("\\# Big\n\\```\nunder\n\\===\n  \\~~~ fence\n"),
        "{text}"
    );
}

#[test]
fn html_escapes_every_piece_of_text_and_shows_what_html_forbids_as_a_stand_in() {
    assert_eq!(
        html::escape("<a href=\"x\">Tom & 'Jerry'</a>"),
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
    );
    assert_eq!(
        html::escape("bell\u{7}\u{0}\u{9b}\u{fdd0}\u{ffff}"),
        "bell�����"
    );
    assert_eq!(html::escape("tab\tline\nok"), "tab\tline\nok");
}

#[test]
fn a_terminal_gets_no_control_character_and_json_still_reads_the_same() {
    let mut b = Backlog::new("Shop");
    add(&mut b, "Pay \u{1b}[31mnow\u{202e} \u{9b}2J", None, None);
    for format in [Format::Markdown, Format::Html, Format::Csv] {
        let shown = for_terminal(&render(&b, format, Options::default()), format).into_owned();
        assert!(
            !shown.contains(['\u{1b}', '\u{202e}', '\u{9b}']),
            "{format}: {shown:?}"
        );
    }
    let json = render(&b, Format::Json, Options::default());
    let shown = for_terminal(&json, Format::Json);
    assert!(!shown.contains(['\u{1b}', '\u{202e}', '\u{9b}']), "{shown}");
    let read: serde_json::Value = serde_json::from_str(&shown).unwrap();
    let stored: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(read, stored);
}

#[test]
fn a_format_is_told_by_its_name_and_by_a_files_extension() {
    for format in Format::ALL {
        assert_eq!(format.as_str().parse::<Format>(), Ok(format));
        assert_eq!(
            Format::of_file(std::path::Path::new(format.file_name())),
            Some(format)
        );
    }
    assert_eq!(
        Format::of_file(std::path::Path::new("Out.HTM")),
        Some(Format::Html)
    );
    assert_eq!(Format::of_file(std::path::Path::new("notes.txt")), None);
    assert!("pdf".parse::<Format>().is_err());
}
