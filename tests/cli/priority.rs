//! `score`, `rank`, `link`, the inputs `edit` sets and the prioritisation
//! settings, run as a user would.

use super::*;

/// Five stories with WSJF and RICE inputs (the table in the priority
/// module's tests: WSJF order S-3, S-5, S-2, S-1, S-4; RICE order S-3,
/// S-4, S-1, S-2, S-5).
fn five() -> Env {
    let env = Env::new();
    let rows = [
        ["8", "3", "1", "5", "500", "1", "80", "2"],
        ["20", "13", "5", "13", "2000", "0.5", "50", "4"],
        ["3", "2", "1", "1", "100", "3", "100", "0.5"],
        ["13", "8", "8", "20", "1200", "2", "80", "6"],
        ["5", "5", "2", "3", "50", "0.25", "50", "1"],
    ];
    let inputs = [
        "value",
        "time-criticality",
        "risk-reduction",
        "job-size",
        "reach",
        "impact",
        "confidence",
        "effort",
    ];
    for (i, row) in rows.iter().enumerate() {
        let id = env.run(&["add", &format!("Story {}", i + 1)]);
        let mut args = vec!["edit".to_string(), id.trim().to_string()];
        for (input, value) in inputs.iter().zip(row) {
            args.push("--set".into());
            args.push(format!("{input}={value}"));
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        env.run(&args);
    }
    env
}

#[test]
fn score_lists_best_first_and_explains_term_by_term() {
    let env = five();
    let text = env.run(&["score"]);
    let ids: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .filter(|w| w.starts_with("S-"))
        .collect();
    assert_eq!(ids, ["S-3", "S-5", "S-2", "S-1", "S-4"], "{text}");
    assert!(text.contains("    3  S-3     6      Story 3"), "{text}");

    let why = env.run(&["score", "S-2", "--explain"]);
    assert!(
        why.contains("  Cost of Delay                            38"),
        "{why}"
    );
    assert!(why.contains("  = 2.92"), "{why}");

    let json = env.json(&["score", "--by", "rice", "--json", "--explain"]);
    assert_eq!(json["framework"], "rice");
    let first = &json["stories"][0];
    assert_eq!(first["id"], "S-3");
    assert_eq!(first["score"], 600.0);
    assert_eq!(first["terms"][0]["name"], "reach");
}

#[test]
fn a_story_missing_an_input_is_listed_as_unscored_not_zero() {
    let env = five();
    env.run(&["add", "No inputs"]);
    env.run(&["edit", "S-1", "--unset", "job-size"]);
    let text = env.run(&["score"]);
    assert!(
        text.contains("Unscored: 2 stories (they keep their place)"),
        "{text}"
    );
    assert!(text.contains("  needing job-size: S-1"), "{text}");
    assert!(
        text.contains("  needing value, time-criticality, risk-reduction, job-size: S-6"),
        "{text}"
    );
    let json = env.json(&["score", "--json"]);
    let s6 = json["stories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "S-6")
        .unwrap();
    assert_eq!(s6["result"], "unscored");
    assert_eq!(s6["score"], Value::Null);
}

#[test]
fn inputs_off_their_scale_are_refused_with_the_values_allowed() {
    let env = five();
    env.refuses(&[
        (
            &["edit", "S-1", "--set", "job-size=0"],
            "job size 0 is off its scale: it takes one of 1, 2, 3, 5, 8, 13 or 20",
        ),
        (&["edit", "S-1", "--set", "effort=-1"], "at least 0.5"),
        (&["edit", "S-1", "--set", "impact=4"], "3 (massive)"),
        (
            &["edit", "S-1", "--set", "colour=3"],
            "unknown prioritisation input",
        ),
        (&["edit", "S-1", "--set", "job-size"], "give INPUT=VALUE"),
        (
            &["edit", "S-1", "--set", "value=8", "--unset", "value"],
            "both set and unset",
        ),
        (&["score", "--by", "kano"], "unknown framework"),
        (&["score", "S-99"], "no story S-99"),
    ]);
    // On a wider scale, set in the settings, 4 is allowed.
    env.run(&["settings", "--wsjf-scale", "1-21"]);
    env.run(&["edit", "S-1", "--set", "value=4"]);
    let json = env.json(&["show", "S-1", "--json"]);
    assert_eq!(json["priority"]["value"], 4.0);
}

#[test]
fn rank_changes_nothing_without_apply_and_one_change_with_it() {
    let env = five();
    let before = read(&env.file);
    let text = env.run(&["rank", "--by", "rice"]);
    assert!(
        text.starts_with("RICE would move 4 stories of 5:\n"),
        "{text}"
    );
    assert!(text.contains("  S-3         3 → 1     ↑2"), "{text}");
    assert!(text.contains("Nothing changed: run with --apply"), "{text}");
    assert_eq!(read(&env.file), before, "rank without --apply wrote");

    let text = env.run(&["rank", "--by", "rice", "--apply"]);
    assert!(
        text.starts_with("Reordered by RICE: 4 stories moved.\n"),
        "{text}"
    );
    assert_eq!(env.list_ids(), ["S-3", "S-4", "S-1", "S-2", "S-5"]);
    // Short keys, and only the stories off the longest run in order got
    // new ones.
    let file: Value = serde_json::from_slice(&read(&env.file)).unwrap();
    let keys: Vec<&str> = file["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["rank"].as_str().unwrap())
        .collect();
    assert!(keys.iter().all(|k| k.len() <= 2 * 16), "{keys:?}");
    let after = read(&env.file);
    assert_eq!(
        env.run(&["rank", "--by", "rice", "--apply"]),
        "The backlog is in RICE's order already.\n"
    );
    assert_eq!(read(&env.file), after, "nothing to apply wrote");
    let json = env.json(&["rank", "--by", "wsjf", "--json"]);
    assert_eq!(json["applied"], false);
    assert_eq!(json["moves"][0]["id"], "S-5", "first in the order proposed");
}

#[test]
fn links_are_made_shown_undone_and_loops_refused() {
    let env = five();
    let text = env.run(&["link", "S-3", "--blocked-by", "S-4", "--blocks", "S-5"]);
    assert_eq!(
        text,
        "S-3 is blocked by S-4 Story 4\nS-3 blocks S-5 Story 5\n"
    );
    env.refuses(&[
        (
            &["link", "S-4", "--blocked-by", "S-5"],
            "that would make a loop of stories each blocked by the next: S-4 → S-5 → S-3 → S-4",
        ),
        (
            &["link", "S-4", "--blocked-by", "S-4"],
            "S-4 cannot be blocked by itself",
        ),
        (&["link", "S-4", "--blocked-by", "S-9"], "no story S-9"),
    ]);
    // S-3 is best by WSJF but waits for S-4, the worst: never above it.
    let json = env.json(&["rank", "--by", "wsjf", "--json"]);
    let to = |id: &str| {
        json["moves"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .map(|m| m["to"].as_u64().unwrap())
    };
    assert!(to("S-3").unwrap_or(3) > to("S-4").unwrap_or(4));
    let json = env.json(&["show", "S-3", "--json"]);
    assert_eq!(json["blocked_by"], serde_json::json!(["S-4"]));
    assert_eq!(json["blocks"], serde_json::json!(["S-5"]));
    assert_eq!(
        env.run(&["link", "S-3", "--unlink", "S-4", "--unlink", "S-5"]),
        "S-3 is blocked by no story\nS-3 blocks no story\n"
    );
    // Deleting a blocker unlinks it.
    env.run(&["link", "S-1", "--blocked-by", "S-2"]);
    env.run(&["rm", "S-2"]);
    assert_eq!(
        env.run(&["link", "S-1"]),
        "S-1 is blocked by no story\nS-1 blocks no story\n"
    );
}

#[test]
fn the_prioritisation_settings_are_shown_and_bad_ones_refused() {
    let env = five();
    let text = env.run(&[
        "settings",
        "--ice",
        "mean",
        "--weight",
        "label:security=3",
        "--weight",
        "age=0",
        "--quadrant-value",
        "13",
    ]);
    assert!(
        text.contains("  ICE           the mean of impact, confidence and ease"),
        "{text}"
    );
    assert!(
        text.contains("  Value/effort  high value from 13, high effort from 8"),
        "{text}"
    );
    assert!(
        text.contains(
            "  Weighted      1 × value + 1 × time-criticality + 1 × risk-reduction − 1 × job-size + 2 × ready + 3 × label:security"
        ),
        "{text}"
    );
    env.refuses(&[
        (&["settings", "--wsjf-scale", "0,1,2"], "starts at 1"),
        (&["settings", "--wsjf-scale", "3,2"], "must rise"),
        (&["settings", "--weight", "colour=2"], "unknown term"),
        (&["settings", "--weight", "moscow=2"], "a category"),
        (&["settings", "--quadrant-effort", "0"], "a number above 0"),
    ]);
    let text = env.run(&["settings", "--default-weights"]);
    assert!(text.contains("+ 2 × ready + 2 × age\n"), "{text}");
}

#[test]
fn the_forecast_settings_are_shown_and_bad_ones_refused() {
    let env = five();
    let text = env.run(&["settings"]);
    assert!(
        text.contains("  Velocity      the mean of the last 3 sprints\n  Unestimated   left out of the forecast\n"),
        "{text}"
    );
    let text = env.run(&["settings", "--velocity-sprints", "5", "--unestimated", "3"]);
    assert!(
        text.contains(
            "  Velocity      the mean of the last 5 sprints\n  Unestimated   counted as 3 points\n"
        ),
        "{text}"
    );
    env.refuses(&[
        (&["settings", "--unestimated", "-2"], "negative"),
        (
            &["settings", "--unestimated", "lots"],
            "not a number of points",
        ),
        (&["settings", "--velocity-sprints", "0"], "1 sprint or more"),
    ]);
    let text = env.run(&["settings", "--unestimated", "none"]);
    assert!(
        text.contains("  Unestimated   left out of the forecast\n"),
        "{text}"
    );
}
