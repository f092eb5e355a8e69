use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::model::{Backlog, Placement, Stamp};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap()
}

fn pts(v: f64) -> Points {
    Points::new(v).unwrap()
}

/// A backlog with one full story, S-1.
fn sample(scale: Scale) -> Backlog {
    let mut backlog = Backlog::new("Shop");
    backlog.product.settings.scale = scale;
    let patch = StoryPatch {
        title: Some("Pay by card".into()),
        as_a: Some("shopper".into()),
        i_want: Some("to pay by card".into()),
        so_that: Some("I need no cash.".into()),
        description: Some("Cards only.\n\n## Notes\nVisa first.".into()),
        points: Some(Some(pts(3.0))),
        labels: Some(vec!["payments".into(), "mobile".into()]),
        epic: Some(Some("Checkout".into())),
        new_epic: true,
        criteria: Some(vec![
            Criterion {
                text: "Charged once".into(),
                done: false,
            },
            Criterion {
                text: "Receipt sent".into(),
                done: true,
            },
        ]),
        ..StoryPatch::default()
    };
    backlog.add(&patch, Placement::Bottom, t0()).unwrap();
    backlog
        .comment(
            StoryId(1),
            Comment {
                at: t0(),
                author: "Ann".into(),
                text: "Which cards?\n## Description\nAll of them?".into(),
                question: true,
                resolved: None,
                decision: false,
                answer: None,
                edited: None,
            },
        )
        .unwrap();
    backlog
}

const SAMPLE_TSHIRT: &str = "\
---
id: S-1
status: draft
estimate: M
epic: Checkout
labels: payments, mobile
blocked-by:
---

# Pay by card

## User story

As a shopper,
I want to pay by card,
So that I need no cash.

## Description

Cards only.

## Notes
Visa first.

## Acceptance criteria

- [ ] Charged once
- [x] Receipt sent

## Comments

<!-- Read-only: these comments are shown for reference and ignored when this document is read back. Add one with `backlog comment`. -->

1. Ann, 2026-11-01 09:00 UTC, open question: Which cards?
   ## Description
   All of them?
";

#[test]
fn renders_the_documented_format() {
    let backlog = sample(Scale::TShirt);
    let story = backlog.get(StoryId(1)).unwrap();
    assert_eq!(render(story, &backlog.product), SAMPLE_TSHIRT);
}

#[test]
fn reads_back_what_it_renders() {
    let doc = parse(SAMPLE_TSHIRT, Scale::TShirt).unwrap();
    assert_eq!(doc.id, Some(StoryId(1)));
    assert_eq!(doc.status, Some(Status::Draft));
    assert_eq!(doc.points, Some(Some(pts(3.0))));
    assert_eq!(doc.epic, Some(Some("Checkout".to_string())));
    assert_eq!(
        doc.labels,
        Some(vec!["payments".to_string(), "mobile".to_string()])
    );
    assert_eq!(doc.title, "Pay by card");
    assert_eq!(doc.as_a, "shopper");
    assert_eq!(doc.i_want, "to pay by card");
    assert_eq!(doc.so_that, "I need no cash.");
    assert_eq!(doc.description, "Cards only.\n\n## Notes\nVisa first.");
    assert_eq!(doc.criteria.len(), 2);
    assert!(doc.criteria[1].done);
}

#[test]
fn a_hand_written_document_needs_only_a_title() {
    let doc = parse("# Just a title\n", Scale::Fibonacci).unwrap();
    assert_eq!(doc.title, "Just a title");
    let patch = doc.patch();
    // No front matter: status, estimate, epic and labels stay as they are.
    assert_eq!(patch.status, None);
    assert_eq!(patch.points, None);
    assert_eq!(patch.epic, None);
    assert_eq!(patch.labels, None);
    // The body is the story's text: what it leaves out is emptied.
    assert_eq!(patch.description, Some(String::new()));
    assert_eq!(patch.criteria, Some(Vec::new()));
}

#[test]
fn empty_values_clear_and_forms_are_forgiving() {
    let text = "\r\n---\r\nestimate:\r\nepic:\r\nlabels:\r\nstatus: In-Progress\r\n---\r\n\
        # Title\r\n## user STORY\r\nAS AN engineer,\r\ni want\r\nso that it works.\r\n\
        ## Acceptance criteria\r\n* [X] done\r\n- [ ]   \r\n<!-- a note -->\r\n";
    let doc = parse(text, Scale::Fibonacci).unwrap();
    assert_eq!(doc.points, Some(None));
    assert_eq!(doc.epic, Some(None));
    assert_eq!(doc.labels, Some(vec![]));
    assert_eq!(doc.status, Some(Status::InProgress));
    assert_eq!(doc.as_a, "engineer");
    assert_eq!(doc.i_want, "");
    assert_eq!(doc.so_that, "it works.");
    assert_eq!(
        doc.criteria,
        [Criterion {
            text: "done".into(),
            done: true
        }]
    );
}

#[test]
fn estimates_read_on_the_scale() {
    let doc = |estimate: &str| format!("---\nestimate: {estimate}\n---\n# T\n");
    let read = |estimate: &str, scale| parse(&doc(estimate), scale).map(|d| d.points);
    assert_eq!(
        read("½", Scale::ModifiedFibonacci),
        Ok(Some(Some(pts(0.5))))
    );
    assert_eq!(read("xl", Scale::TShirt), Ok(Some(Some(pts(8.0)))));
    assert_eq!(read("13", Scale::TShirt), Ok(Some(Some(pts(13.0)))));
    assert_eq!(read("5", Scale::Fibonacci), Ok(Some(Some(pts(5.0)))));
}

#[test]
fn stray_headings_belong_to_the_description() {
    let text = "# T\n\n## Notes\nfirst\n\n## User story\nAs a user\n### More\nsecond\n\
        ## Description\n\\## Comments\n\\\\## Description\n## Acceptance criteria\n# Deep\nthird\n";
    let doc = parse(text, Scale::Fibonacci).unwrap();
    assert_eq!(doc.as_a, "user");
    assert_eq!(
        doc.description,
        "## Notes\nfirst\n\n### More\nsecond\n\n## Comments\n\\## Description\n\n# Deep\nthird"
    );
    assert!(doc.criteria.is_empty());
}

#[test]
fn the_comments_section_is_ignored() {
    let text =
        "# T\n## Comments\nanything at all\n- not a criterion\n## Acceptance criteria\n- [ ] a\n";
    let doc = parse(text, Scale::Fibonacci).unwrap();
    assert_eq!(doc.criteria.len(), 1);
}

#[test]
fn decisions_answers_and_edits_are_shown_and_read_back_as_nothing() {
    let mut backlog = sample(Scale::TShirt);
    let at = |minutes: i64| t0() + Duration::minutes(minutes);
    let stamp = |by: &str, minutes: i64| Stamp {
        at: at(minutes),
        by: by.into(),
    };
    backlog
        .answer(StoryId(1), 1, "Visa.\n---\n# Amex later", stamp("Bo", 5))
        .unwrap();
    let decision = Comment {
        decision: true,
        ..Comment::new(
            at(6),
            "Bo",
            "Cards only.\n\n## Acceptance criteria\n- [ ] cash",
        )
    };
    backlog.comment(StoryId(1), decision).unwrap();
    backlog
        .comment(StoryId(1), Comment::new(at(7), "Ann", "Fine"))
        .unwrap();
    backlog
        .edit_comment(
            StoryId(1),
            3,
            "Fine by me.\nAs a shopper, too",
            stamp("Ann", 8),
        )
        .unwrap();
    let story = backlog.get(StoryId(1)).unwrap();
    let text = render(story, &backlog.product);
    let comments = text.split_once("-->\n\n").unwrap().1;
    assert_eq!(
        comments,
        "1. Ann, 2026-11-01 09:00 UTC, question answered by Bo 2026-11-01 09:05 UTC: Which cards?\n\
         \x20  ## Description\n\
         \x20  All of them?\n\
         \x20  Answer: Visa.\n\
         \x20  ---\n\
         \x20  # Amex later\n\
         2. Bo, 2026-11-01 09:06 UTC, decision: Cards only.\n\
         \n\
         \x20  ## Acceptance criteria\n\
         \x20  - [ ] cash\n\
         3. Ann, 2026-11-01 09:07 UTC, edited 2026-11-01 09:08 UTC: Fine by me.\n\
         \x20  As a shopper, too\n"
    );
    // None of it is read: the document is the sample's.
    let doc = parse(&text, Scale::TShirt).unwrap();
    assert_eq!(doc, parse(SAMPLE_TSHIRT, Scale::TShirt).unwrap());
    // Resolved with no answer, and edited by another than its author (as
    // only a file can say), each is shown as it is.
    backlog.resolve(StoryId(1), 1, None, at(9)).unwrap();
    backlog
        .resolve(StoryId(1), 1, Some(stamp("Bo", 10)), at(10))
        .unwrap();
    let mut story = backlog.get(StoryId(1)).unwrap().clone();
    story.comments[2].edited = Some(stamp("Cy", 11));
    let text = render(&story, &backlog.product);
    assert!(
        text.contains("1. Ann, 2026-11-01 09:00 UTC, question resolved by Bo 2026-11-01 09:10 UTC: Which cards?\n   ## Description\n   All of them?\n2. "),
        "{text}"
    );
    assert!(
        text.contains(
            "3. Ann, 2026-11-01 09:07 UTC, edited by Cy 2026-11-01 09:11 UTC: Fine by me.\n"
        ),
        "{text}"
    );
}

#[test]
fn a_comments_line_separators_break_its_lines_indented_under_it() {
    // A terminal breaks the line at U+2028 and U+2029 (`show` shows them
    // so), and the story pane does too: what follows must not read as a
    // heading there, nor leave the comments section.
    let mut backlog = sample(Scale::TShirt);
    let stamp = Stamp {
        at: t0(),
        by: "Bo".into(),
    };
    backlog
        .answer(StoryId(1), 1, "Visa.\u{2029}# Amex later", stamp)
        .unwrap();
    let decision = Comment {
        decision: true,
        ..Comment::new(t0(), "Bo", "Cards only.\u{2028}## Acceptance criteria")
    };
    backlog.comment(StoryId(1), decision).unwrap();
    let text = render(backlog.get(StoryId(1)).unwrap(), &backlog.product);
    let comments = text.split_once("-->\n\n").unwrap().1;
    assert_eq!(
        comments,
        "1. Ann, 2026-11-01 09:00 UTC, question answered by Bo 2026-11-01 09:00 UTC: Which cards?\n\
         \x20  ## Description\n\
         \x20  All of them?\n\
         \x20  Answer: Visa.\n\
         \x20  # Amex later\n\
         2. Bo, 2026-11-01 09:00 UTC, decision: Cards only.\n\
         \x20  ## Acceptance criteria\n"
    );
    let doc = parse(&text, Scale::TShirt).unwrap();
    assert_eq!(doc, parse(SAMPLE_TSHIRT, Scale::TShirt).unwrap());
}

#[test]
fn the_customer_evidence_is_shown_and_ignored_when_read_back() {
    use crate::model::{Feedback, FeedbackId, Importance};
    let mut backlog = sample(Scale::TShirt);
    for (customer, importance) in [
        ("Acme", Importance::Critical),
        ("Globex", Importance::NiceToHave),
    ] {
        let mut item = Feedback::new(
            FeedbackId(0),
            "Cards, please\nWe have no cash.",
            customer,
            t0(),
        );
        item.importance = importance;
        let id = backlog.add_feedback(item).unwrap();
        backlog.link_feedback(id, StoryId(1), t0()).unwrap();
    }
    let story = backlog.get(StoryId(1)).unwrap();
    let text = render(story, &backlog.product);
    assert!(
        text.ends_with(
            "## Customer evidence\n\n<!-- Read-only: the customer feedback linked to this story, \
             ignored when this document is read back. Triage it with `backlog feedback` or in \
             the inbox. -->\n\n2 customers, importance 4 in all.\n\n\
             - F-1 Acme (critical), 2026-11-01: Cards, please\n\
             - F-2 Globex (nice to have), 2026-11-01: Cards, please\n"
        ),
        "{text}"
    );
    let doc = parse(&text, Scale::TShirt).unwrap();
    assert_eq!(doc, parse(SAMPLE_TSHIRT, Scale::TShirt).unwrap());
}

/// A backlog of three stories, S-3 blocked by S-1 and S-2.
fn linked() -> Backlog {
    let mut backlog = Backlog::new("Shop");
    for title in ["Card form", "Card API", "Pay by card"] {
        backlog
            .add(&StoryPatch::title(title), Placement::Bottom, t0())
            .unwrap();
    }
    let patch = StoryPatch {
        blocked_by: Some(vec![StoryId(1), StoryId(2)]),
        ..StoryPatch::default()
    };
    backlog.edit(StoryId(3), &patch, t0()).unwrap();
    backlog
}

#[test]
fn the_stories_a_story_is_blocked_by_round_trip() {
    let mut backlog = linked();
    let story = backlog.get(StoryId(3)).unwrap().clone();
    let text = render(&story, &backlog.product);
    assert!(
        text.contains("\nlabels:\nblocked-by: S-1, S-2\n---\n"),
        "{text}"
    );
    let doc = parse(&text, Scale::Fibonacci).unwrap();
    assert_eq!(doc.blocked_by, Some(vec![StoryId(1), StoryId(2)]));
    assert_eq!(doc.blocked_by_line, Some(7));
    backlog.edit(StoryId(3), &doc.patch(), t0()).unwrap();
    assert_eq!(backlog.get(StoryId(3)).unwrap(), &story);

    // Emptied, the story is blocked by none; changed, by the new ones.
    let emptied = text.replace("blocked-by: S-1, S-2", "blocked-by:");
    let doc = parse(&emptied, Scale::Fibonacci).unwrap();
    backlog.edit(StoryId(3), &doc.patch(), t0()).unwrap();
    assert!(backlog.get(StoryId(3)).unwrap().blocked_by.is_empty());
    let story = backlog.get(StoryId(3)).unwrap().clone();
    assert!(render(&story, &backlog.product).contains("\nblocked-by:\n"));
    let changed = text.replace("blocked-by: S-1, S-2", "blocked-by: 2");
    let doc = parse(&changed, Scale::Fibonacci).unwrap();
    backlog.edit(StoryId(3), &doc.patch(), t0()).unwrap();
    assert_eq!(backlog.get(StoryId(3)).unwrap().blocked_by, [StoryId(2)]);
}

#[test]
fn blockers_read_as_people_type_them_and_left_out_stay() {
    let read = |value: &str| {
        parse(
            &format!("---\nblocked-by: {value}\n---\n# T\n"),
            Scale::Fibonacci,
        )
        .map(|d| d.blocked_by)
    };
    let ids = |ids: &[u64]| Ok(Some(ids.iter().copied().map(StoryId).collect()));
    assert_eq!(read("S-3, S-9"), ids(&[3, 9]));
    assert_eq!(read("s-3 9,,  12"), ids(&[3, 9, 12]));
    assert_eq!(read(""), ids(&[]));
    // Left out, as every key: the story keeps its blockers.
    let doc = parse("# T\n", Scale::Fibonacci).unwrap();
    assert_eq!(doc.patch().blocked_by, None);
}

#[test]
fn a_blocker_refused_points_at_its_line() {
    let text = "---\nid: S-1\nblocked-by: S-2\n---\n# T\n";
    let doc = parse(text, Scale::Fibonacci).unwrap();
    let cycle = ModelError::DependencyCycle(vec![StoryId(1), StoryId(2), StoryId(1)]);
    assert_eq!(doc.line_of(&cycle), Some(3));
    assert_eq!(
        doc.line_of(&ModelError::BlockedByItself(StoryId(1))),
        Some(3)
    );
    assert_eq!(doc.line_of(&ModelError::UnknownStory(StoryId(2))), Some(3));
    // Not one of its blockers: no line of it is to blame.
    assert_eq!(doc.line_of(&ModelError::UnknownStory(StoryId(7))), None);
    // Through a backlog: a loop is refused, named, and nothing changes.
    let mut backlog = linked();
    let before = backlog.clone();
    let text = render(backlog.get(StoryId(1)).unwrap(), &backlog.product)
        .replace("blocked-by:", "blocked-by: S-3");
    let doc = parse(&text, Scale::Fibonacci).unwrap();
    let refusal = backlog.edit(StoryId(1), &doc.patch(), t0()).unwrap_err();
    assert!(refusal.to_string().contains("S-1 → S-3 → S-1"), "{refusal}");
    assert_eq!(doc.line_of(&refusal), Some(7));
    assert_eq!(backlog.get(StoryId(1)), before.get(StoryId(1)));
}

fn error_of(text: &str) -> DocError {
    parse(text, Scale::Fibonacci).expect_err(text)
}

#[test]
fn each_error_names_its_line() {
    let cases: &[(&str, usize, &str)] = &[
        ("---\nid: S-1\n# T\n", 1, "no closing `---`"),
        ("---\ncolour: red\n---\n# T\n", 2, "unknown key `colour`"),
        ("---\n\nstatus: started\n---\n# T\n", 3, "unknown status"),
        ("---\nestimate: huge\n---\n# T\n", 2, "is not an estimate"),
        ("---\nestimate: -3\n---\n# T\n", 2, "is not an estimate"),
        ("---\nid: X-1\n---\n# T\n", 2, "is not a story id"),
        (
            "---\nid: S-1\nblocked-by: S-2, S-x\n---\n# T\n",
            3,
            "\"S-x\" is not a story id",
        ),
        (
            "---\nepic: a\nepic: b\n---\n# T\n",
            3,
            "given twice (first on line 2)",
        ),
        ("---\njust words\n---\n# T\n", 2, "expected `key: value`"),
        ("---\nid: S-1\n---\n", 3, "has no title"),
        ("---\nid: S-1\n---", 3, "has no title"),
        ("", 1, "has no title"),
        ("\n\n## User story\n", 3, "expected the title"),
        ("#    \n", 1, "the title is empty"),
        ("#Title\n", 1, "expected the title"),
        ("# T\nsome words\n", 2, "text outside any section"),
        (
            "# T\n## Description\n## User story\n## description\n",
            4,
            "a second `## Description` section (the first is on line 2)",
        ),
        (
            "# T\n## User story\nAs a user\nWe want\n",
            4,
            "expected a user-story line",
        ),
        (
            "# T\n## User story\nAs a user\nas a admin\n",
            4,
            "a second `As a` line (the first is on line 3)",
        ),
        (
            "# T\n## Acceptance criteria\n- [ ] ok\n- nope\n",
            4,
            "expected an acceptance criterion",
        ),
        (
            "# T\n## Acceptance criteria\n\n[x] nope\n",
            4,
            "expected an acceptance criterion",
        ),
        (
            "# T\n## Description\nfine\nbad \x1b[2J\n",
            4,
            "control character U+001B",
        ),
        ("# T\x07\n", 1, "control character U+0007"),
        ("# T\rX\n", 1, "control character U+000D"),
    ];
    for (text, line, message) in cases {
        let e = error_of(text);
        assert_eq!(e.line, *line, "{text:?}: {e}");
        assert!(e.message.contains(message), "{text:?}: {e}");
        assert_eq!(e.to_string(), format!("line {line}: {}", e.message));
    }
}

#[test]
fn tabs_become_spaces() {
    let doc = parse("# A\tB\n## Description\n\tcode\n", Scale::Fibonacci).unwrap();
    assert_eq!(doc.title, "A    B");
    assert_eq!(doc.description, "    code");
}

#[test]
fn rendering_never_writes_control_characters() {
    let mut backlog = sample(Scale::Fibonacci);
    let evil = StoryPatch {
        title: Some("bad\x1b[2Jtitle".into()),
        description: Some("one\r\ntwo\x07".into()),
        labels: Some(vec!["a\nb".into()]),
        ..StoryPatch::default()
    };
    backlog.edit(StoryId(1), &evil, t0()).unwrap();
    let text = render(backlog.get(StoryId(1)).unwrap(), &backlog.product);
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    assert!(parse(&text, Scale::Fibonacci).is_ok());
}

/// One line of printable text, now and then one that reads as Markdown
/// structure (a heading, an escaped heading, a checkbox, a rule).
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "\\PC{0,24}",
        1 => prop::sample::select(vec![
            "## Description",
            "## acceptance criteria",
            "\\## Comments",
            "\\\\## User story",
            "## Notes",
            "# Heading",
            "---",
            "- [ ] looks like a criterion",
            "As a user",
            "<!-- comment -->",
            "",
            "   ",
        ])
        .prop_map(str::to_string),
    ]
}

fn points() -> impl Strategy<Value = Option<Points>> {
    prop_oneof![
        Just(None),
        (0u32..=40).prop_map(|h| Some(pts(f64::from(h) / 2.0))),
        (0u32..=20_000).prop_map(|h| Some(pts(f64::from(h) / 2.0))),
    ]
}

prop_compose! {
    fn story_patch()(
        title in "\\PC{0,30}".prop_filter("a title", |t| !t.trim().is_empty()),
        as_a in "\\PC{0,20}",
        i_want in "\\PC{0,20}",
        so_that in "\\PC{0,20}",
        description in prop::collection::vec(line(), 0..6),
        criteria in prop::collection::vec(("\\PC{0,20}", any::<bool>()), 0..4),
        points in points(),
        status in prop::sample::select(Status::ALL.to_vec()),
        // A comma separates labels, so a label cannot hold one.
        labels in prop::collection::vec("[^,\\p{C}]{0,12}", 0..4),
        epic in prop::option::of("\\PC{0,12}"),
    ) -> StoryPatch {
        // A description's leading blank lines are not kept by the
        // document (nor shown anywhere), so the story starts without them.
        let first = description.iter().position(|l| !l.trim().is_empty());
        let description = first.map_or_else(String::new, |f| description[f..].join("\n"));
        StoryPatch {
            title: Some(title),
            as_a: Some(as_a),
            i_want: Some(i_want),
            so_that: Some(so_that),
            description: Some(description),
            criteria: Some(
                criteria
                    .into_iter()
                    .map(|(text, done)| Criterion { text, done })
                    .collect(),
            ),
            points: Some(points),
            status: Some(status),
            labels: Some(labels),
            epic: Some(epic),
            new_epic: true,
            override_ready: Some(Stamp { at: t0(), by: "test".into() }),
            ..StoryPatch::default()
        }
    }
}

proptest! {
    #[test]
    fn render_then_parse_gives_the_story_back(
        patch in story_patch(),
        scale in prop::sample::select(Scale::ALL.to_vec()),
        // Each comment's lines, what it is (feedback, an open question, a
        // decision, an answered question), an answer's lines, and whether
        // its author edited it.
        comments in prop::collection::vec(
            (
                prop::collection::vec(line(), 1..4),
                0u8..4,
                prop::collection::vec(line(), 1..3),
                any::<bool>(),
            ),
            0..3,
        ),
    ) {
        let mut backlog = Backlog::new("P");
        backlog.product.settings.scale = scale;
        let id = backlog.add(&patch, Placement::Bottom, t0()).unwrap();
        let by = |who: &str| Stamp { at: t0(), by: who.into() };
        for (lines, kind, answer, edited) in comments {
            let text = lines.join("\n");
            let comment = Comment {
                question: matches!(kind, 1 | 3),
                decision: kind == 2,
                ..Comment::new(t0(), "A", text.clone())
            };
            if backlog.comment(id, comment).is_err() {
                continue;
            }
            let number = backlog.get(id).unwrap().comments.len();
            if kind == 3 {
                let _ = backlog.answer(id, number, &answer.join("\n"), by("B"));
            }
            if edited {
                backlog.edit_comment(id, number, &format!("{text}\n## Description"), by("A")).unwrap();
            }
        }
        let before = backlog.get(id).unwrap().clone();
        let text = render(&before, &backlog.product);
        let doc = parse(&text, scale).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(doc.id, Some(id));
        backlog.edit(id, &doc.patch(), t0() + Duration::hours(1)).unwrap();
        prop_assert_eq!(backlog.get(id).unwrap(), &before, "{}", text);
    }
}
