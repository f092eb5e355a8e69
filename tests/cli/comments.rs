//! `comment` and `resolve` as a refinement meeting uses them: decisions,
//! answers, comments changed by their authors, text over several lines.

use super::*;

/// S-1 with comment 1 by Ann Smith (from the config file) and question 2
/// by tester (from `$USER`, once the config file is gone).
fn meeting() -> Env {
    let env = Env::new();
    add_full(&env, "Pay by card", &[]);
    fs::write(&env.config, "author = \"Ann Smith\"\n").unwrap();
    env.run(&["comment", "S-1", "Looks big"]);
    fs::remove_file(&env.config).unwrap();
    env.run(&["comment", "S-1", "Which cards?", "--question"]);
    env
}

#[test]
fn a_decision_is_recorded_and_never_also_a_question() {
    let env = meeting();
    assert_eq!(
        env.run(&["comment", "S-1", "Cards only.\nCash later.", "--decision"]),
        "Added decision 3 to S-1\n"
    );
    let shown = env.json(&["show", "S-1", "--json"]);
    let decision = &shown["comments"][2];
    assert_eq!(decision["decision"], true);
    assert_eq!(decision["question"], false);
    assert_eq!(
        decision["text"], "Cards only.\nCash later.",
        "its lines kept"
    );
    // Every field is there for scripts, whatever the comment.
    let feedback = &shown["comments"][0];
    assert_eq!(feedback["decision"], false);
    assert_eq!(feedback["answer"], Value::Null);
    assert_eq!(feedback["edited"], Value::Null);
    assert!(feedback.as_object().unwrap().contains_key("answer"));

    env.refuses(&[
        (
            &["comment", "S-1", "Cards?", "--question", "--decision"],
            "'--question' cannot be used with '--decision'",
        ),
        (
            &["resolve", "S-1", "3", "--answer", "Yes"],
            "comment 3 on S-1 is not a question",
        ),
    ]);
}

#[test]
fn a_question_is_answered_once_and_reopening_it_drops_the_answer() {
    let env = meeting();
    env.refuses(&[
        (
            &["resolve", "S-1", "2", "--answer", " \n "],
            "an answer needs some text",
        ),
        (
            &["resolve", "S-1", "2", "--answer", "Visa", "--reopen"],
            "'--answer <TEXT>' cannot be used with '--reopen'",
        ),
        (
            &["resolve", "S-1", "1", "--answer", "Visa"],
            "comment 1 on S-1 is not a question",
        ),
    ]);
    assert_eq!(
        env.run(&[
            "resolve",
            "S-1",
            "2",
            "--answer",
            " Visa and Mastercard.\nAmex later. "
        ]),
        "Answered question 2 on S-1\n"
    );
    let shown = env.json(&["show", "S-1", "--json"]);
    let question = &shown["comments"][1];
    assert_eq!(question["answer"], "Visa and Mastercard.\nAmex later.");
    assert_eq!(question["resolved"]["by"], "tester");
    assert_eq!(shown["ready"], true);

    // The same answer again is no change; another would be lost, so it
    // is refused.
    let before = read(&env.file);
    let date = question["resolved"]["at"].as_str().unwrap()[..10].to_string();
    assert_eq!(
        env.run(&[
            "resolve",
            "S-1",
            "2",
            "--answer",
            "Visa and Mastercard.\nAmex later."
        ]),
        format!("Question 2 on S-1 is already resolved (by tester on {date}); nothing changed\n")
    );
    assert_eq!(read(&env.file), before);
    env.refuses(&[(
        &["resolve", "S-1", "2", "--answer", "Visa only"],
        &format!(
            "question 2 on S-1 is already resolved (by tester on {date}), with the answer \
             \"Visa and Mastercard. Amex later.\"; to answer it anew, open it again with \
             --reopen first"
        ),
    )]);

    env.run(&["resolve", "S-1", "2", "--reopen"]);
    let question = &env.json(&["show", "S-1", "--json"])["comments"][1];
    assert_eq!(question["answer"], Value::Null);
    assert_eq!(question["resolved"], Value::Null);
    // Resolved without an answer, as ever.
    assert_eq!(
        env.run(&["resolve", "S-1", "2"]),
        "Resolved question 2 on S-1\n"
    );
    assert_eq!(
        env.json(&["show", "S-1", "--json"])["comments"][1]["answer"],
        Value::Null
    );
}

#[test]
fn only_its_author_edits_a_comment() {
    let env = meeting();
    // tester's question is tester's to change.
    assert_eq!(
        env.run(&[
            "comment",
            "S-1",
            "--edit",
            "2",
            "Which cards,\nand which currency?"
        ]),
        "Edited comment 2 on S-1\n"
    );
    let question = &env.json(&["show", "S-1", "--json"])["comments"][1];
    assert_eq!(question["text"], "Which cards,\nand which currency?");
    assert_eq!(question["question"], true, "still a question");
    assert_eq!(question["edited"]["by"], "tester");
    // The same text again writes nothing.
    let before = read(&env.file);
    assert_eq!(
        env.run(&[
            "comment",
            "S-1",
            "--edit",
            "2",
            "Which cards,\nand which currency?"
        ]),
        "No change to comment 2 on S-1\n"
    );
    assert_eq!(read(&env.file), before);

    env.refuses(&[
        (
            &["comment", "S-1", "--edit", "1", "Small"],
            "comment 1 on S-1 is Ann Smith's; only its author may edit it",
        ),
        (
            &["comment", "S-1", "--edit", "3", "More"],
            "S-1 has no comment 3",
        ),
        (
            &["comment", "S-1", "--edit", "2", "  "],
            "a comment needs some text",
        ),
        (
            &["comment", "S-1", "--edit", "2", "Why?", "--decision"],
            "'--edit <N>' cannot be used with '--decision'",
        ),
    ]);
    // Ann, named in the config file again, may.
    fs::write(&env.config, "author = \"Ann Smith\"\n").unwrap();
    assert_eq!(
        env.run(&["comment", "S-1", "--edit", "1", "Small enough"]),
        "Edited comment 1 on S-1\n"
    );
}

#[test]
fn show_says_what_each_comment_is_and_its_document_still_reads_back() {
    let env = meeting();
    env.run(&[
        "comment",
        "S-1",
        "Cards only.\n\n## Description\nCash later.",
        "--decision",
    ]);
    env.run(&["resolve", "S-1", "2", "--answer", "Visa.\nAmex later."]);
    env.run(&["comment", "S-1", "--edit", "2", "Which cards?\nAnd when?"]);
    let document = env.run(&["show", "S-1"]);
    let comments = document.split("## Comments\n").nth(1).unwrap();
    let shown = env.json(&["show", "S-1", "--json"]);
    // As the document writes a time: to the minute.
    let minute = |at: &Value| {
        let at = at.as_str().unwrap();
        format!("{} {} UTC", &at[..10], &at[11..16])
    };
    let (question, decision) = (&shown["comments"][1], &shown["comments"][2]);
    let (asked, answered, edited, decided) = (
        minute(&question["at"]),
        minute(&question["resolved"]["at"]),
        minute(&question["edited"]["at"]),
        minute(&decision["at"]),
    );
    assert!(
        comments.contains(&format!(
            "2. tester, {asked}, question answered by tester {answered}, edited {edited}: \
             Which cards?\n   And when?\n   Answer: Visa.\n   Amex later.\n3. tester, \
             {decided}, decision: Cards only.\n\n   ## Description\n   Cash later.\n"
        )),
        "{document}"
    );
    // Read back, the document changes nothing: the comments are shown,
    // not read.
    let before = read(&env.file);
    env.cmd()
        .args(["edit", "S-1", "--from-file", "-"])
        .write_stdin(document)
        .assert()
        .success()
        .stdout("No change to S-1\n");
    assert_eq!(read(&env.file), before);
}

/// The names at the top level of the README's `{"a", "b": …}` shape, in
/// the order it lists them.
fn fields_of(shape: &str) -> Vec<&str> {
    let mut fields = Vec::new();
    let (mut depth, mut name_from) = (0, None);
    for (at, c) in shape.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            '"' if depth == 1 => match name_from.take() {
                Some(from) => fields.push(&shape[from..at]),
                None => name_from = Some(at + 1),
            },
            _ => {}
        }
    }
    fields
}

#[test]
fn show_json_gives_each_comment_the_fields_the_readme_lists() {
    let env = meeting();
    env.run(&["resolve", "S-1", "2", "--answer", "Visa"]);
    let shown = env.json(&["show", "S-1", "--json"]);
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let row = readme
        .lines()
        .find(|line| line.starts_with("| `comments` |"))
        .expect("the README's table of show --json lists the comments");
    // `| `comments` | array | `{…}`, oldest first…`: the shape is the
    // second thing in backticks.
    let shape = row.split('`').nth(3).unwrap();
    let mut documented = fields_of(shape);
    documented.sort_unstable();
    for comment in shown["comments"].as_array().unwrap() {
        // serde_json sorts keys when reading; the set is what matters.
        let given: Vec<&str> = comment
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(given, documented, "{row}");
    }
}
