//! What a refinement meeting records on a story's comments: decisions,
//! questions answered, comments their authors changed, over as many lines
//! as they need.

use super::*;

fn later(minutes: i64) -> DateTime<Utc> {
    t0() + chrono::Duration::minutes(minutes)
}

fn stamp(by: &str, minutes: i64) -> Stamp {
    Stamp {
        at: later(minutes),
        by: by.into(),
    }
}

/// S-1 with a comment by "dev" and a question by "po".
fn commented() -> Backlog {
    let mut b = backlog_of(1);
    b.comment(StoryId(1), Comment::new(t0(), "dev", "Looks big"))
        .unwrap();
    let question = Comment {
        question: true,
        ..Comment::new(t0(), "po", "Which cards?")
    };
    b.comment(StoryId(1), question).unwrap();
    b
}

fn comment(b: &Backlog, number: usize) -> &Comment {
    &b.get(StoryId(1)).unwrap().comments[number - 1]
}

#[test]
fn a_decision_is_a_comment_that_is_never_also_a_question() {
    let mut b = commented();
    let decision = Comment {
        decision: true,
        ..Comment::new(later(1), "po", "  Cards only.\n\nCash later.  ")
    };
    b.comment(StoryId(1), decision).unwrap();
    let story = b.get(StoryId(1)).unwrap();
    assert!(story.comments[2].decision);
    assert_eq!(story.comments[2].text, "Cards only.\n\nCash later.");
    assert_eq!(story.updated, later(1));
    // Nothing is open about a decision, and nothing resolves it.
    assert_eq!(story.open_questions(), 1);
    assert_eq!(
        b.resolve(StoryId(1), 3, Some(stamp("po", 2)), later(2)),
        Err(ModelError::NotAQuestion {
            id: StoryId(1),
            number: 3
        })
    );

    let before = b.clone();
    let both = Comment {
        question: true,
        decision: true,
        ..Comment::new(later(3), "po", "Cards?")
    };
    let refusal = b.comment(StoryId(1), both).unwrap_err();
    assert_eq!(
        refusal,
        ModelError::QuestionAndDecision {
            id: StoryId(1),
            number: 4
        }
    );
    assert_eq!(
        refusal.to_string(),
        "comment 4 on S-1 is both a question and a decision; a comment is one or the other"
    );
    assert_eq!(b, before);
}

#[test]
fn a_question_answered_keeps_its_answer_until_it_is_opened_again() {
    let mut b = commented();
    b.answer(
        StoryId(1),
        2,
        "  Visa and Mastercard.\nAmex later.\n",
        stamp("po", 5),
    )
    .unwrap();
    let answered = comment(&b, 2);
    assert_eq!(
        answered.answer.as_deref(),
        Some("Visa and Mastercard.\nAmex later.")
    );
    assert_eq!(answered.resolved, Some(stamp("po", 5)));
    let story = b.get(StoryId(1)).unwrap();
    assert_eq!(story.open_questions(), 0);
    assert_eq!(story.updated, later(5));

    // Answering again, or what is no open question, changes nothing.
    let before = b.clone();
    assert_eq!(
        b.answer(StoryId(1), 2, "Visa only.", stamp("dev", 6)),
        Err(ModelError::AlreadyResolved {
            id: StoryId(1),
            number: 2,
            by: "po".into(),
            at: later(5),
        })
    );
    assert_eq!(
        b.answer(StoryId(1), 1, "Yes.", stamp("po", 6)),
        Err(ModelError::NotAQuestion {
            id: StoryId(1),
            number: 1
        })
    );
    for number in [0, 3] {
        assert_eq!(
            b.answer(StoryId(1), number, "Yes.", stamp("po", 6)),
            Err(ModelError::UnknownComment {
                id: StoryId(1),
                number
            })
        );
    }
    assert_eq!(
        b.answer(StoryId(2), 1, "Yes.", stamp("po", 6)),
        Err(ModelError::UnknownStory(StoryId(2)))
    );
    assert_eq!(b, before);

    // Opened again, it has no answer; undo brings the answer back.
    let mut history = History::new(10);
    let snapshot = Snapshot::take(&b, &[StoryId(1)], false);
    b.resolve(StoryId(1), 2, None, later(7)).unwrap();
    history.record("reopen", later(7), snapshot, &b);
    assert_eq!(comment(&b, 2).answer, None);
    assert_eq!(comment(&b, 2).resolved, None);
    history.undo(&mut b).unwrap();
    assert_eq!(b, before);

    // An empty answer is no answer: the question stays open.
    b.resolve(StoryId(1), 2, None, later(8)).unwrap();
    let open = b.clone();
    assert_eq!(
        b.answer(StoryId(1), 2, " \n ", stamp("po", 9)),
        Err(ModelError::EmptyAnswer)
    );
    assert_eq!(b, open);
    // Resolved without an answer, as before answers were kept.
    b.resolve(StoryId(1), 2, Some(stamp("po", 9)), later(9))
        .unwrap();
    assert_eq!(comment(&b, 2).answer, None);
    assert_eq!(comment(&b, 2).resolved, Some(stamp("po", 9)));
}

#[test]
fn only_its_author_edits_a_comment_and_it_says_it_was_edited() {
    let mut b = commented();
    b.edit_comment(StoryId(1), 1, " Looks big:\nsplit it? ", stamp("dev", 4))
        .unwrap();
    let edited = comment(&b, 1);
    assert_eq!(edited.text, "Looks big:\nsplit it?");
    assert_eq!(edited.edited, Some(stamp("dev", 4)));
    assert_eq!(edited.at, t0(), "still made when it was");
    assert_eq!(b.get(StoryId(1)).unwrap().updated, later(4));

    let before = b.clone();
    let refusal = b
        .edit_comment(StoryId(1), 1, "Small.", stamp("po", 5))
        .unwrap_err();
    assert_eq!(
        refusal,
        ModelError::NotYourComment {
            id: StoryId(1),
            number: 1,
            author: "dev".into()
        }
    );
    assert_eq!(
        refusal.to_string(),
        "comment 1 on S-1 is dev's; only its author may edit it"
    );
    assert_eq!(
        b.edit_comment(StoryId(1), 1, "  ", stamp("dev", 5)),
        Err(ModelError::EmptyComment)
    );
    assert_eq!(
        b.edit_comment(StoryId(1), 3, "More.", stamp("dev", 5)),
        Err(ModelError::UnknownComment {
            id: StoryId(1),
            number: 3
        })
    );
    // The same text again is no change: not marked, not even the time.
    b.edit_comment(StoryId(1), 1, "Looks big:\nsplit it?\n", stamp("dev", 6))
        .unwrap();
    assert_eq!(b, before);
    // The last edit is the one kept.
    b.edit_comment(StoryId(1), 1, "Split it.", stamp("dev", 7))
        .unwrap();
    assert_eq!(comment(&b, 1).edited, Some(stamp("dev", 7)));
}

#[test]
fn a_comment_that_contradicts_itself_is_refused_on_reading() {
    let story = |comment: Comment| {
        let mut story = Story::new(StoryId(3), Rank::first(), "Pay", t0());
        story.comments.push(Comment::new(t0(), "po", "Fine"));
        story.comments.push(comment);
        story
    };
    let both = Comment {
        question: true,
        decision: true,
        ..Comment::new(t0(), "po", "Cards?")
    };
    assert_eq!(
        Backlog::from_parts(Product::new("P"), 4, vec![story(both)]).unwrap_err(),
        ModelError::QuestionAndDecision {
            id: StoryId(3),
            number: 2
        }
    );
    let unasked = Comment {
        answer: Some("Yes".into()),
        ..Comment::new(t0(), "po", "Cards")
    };
    let open = Comment {
        question: true,
        ..unasked.clone()
    };
    for comment in [unasked, open] {
        let refusal = Backlog::from_parts(Product::new("P"), 4, vec![story(comment)]).unwrap_err();
        assert_eq!(
            refusal.to_string(),
            "comment 2 on S-3 has an answer but is not a resolved question"
        );
    }
    let answered = Comment {
        question: true,
        resolved: Some(stamp("po", 1)),
        answer: Some("Yes".into()),
        ..Comment::new(t0(), "po", "Cards?")
    };
    assert!(Backlog::from_parts(Product::new("P"), 4, vec![story(answered)]).is_ok());
}
