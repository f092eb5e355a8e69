//! The release plan from the command line: sprints, releases, velocity,
//! the forecast and the roadmap, run as a user would.

use super::*;

/// The day every forecast here is made on: a Monday.
const TODAY: &str = "2027-01-04";

impl Env {
    /// Stories S-1, S-2, … with these estimates (0 for none), in rank
    /// order.
    fn stories(&self, points: &[u32]) {
        for (i, &p) in points.iter().enumerate() {
            let title = format!("Story {}", i + 1);
            if p == 0 {
                self.run(&["add", &title]);
            } else {
                self.run(&["add", &title, "--points", &p.to_string()]);
            }
        }
    }

    /// Past sprints S1, S2, … with these velocities, each ended two weeks
    /// after the one before.
    fn velocities(&self, points: &[u32]) {
        let mut ended = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        for (i, p) in points.iter().enumerate() {
            self.run(&[
                "velocity",
                "add",
                &p.to_string(),
                "--sprint",
                &format!("S{}", i + 1),
                "--ended",
                &ended.to_string(),
            ]);
            ended = ended + chrono::Days::new(14);
        }
    }

    fn forecast(&self) -> Value {
        self.json(&["forecast", "--json", "--today", TODAY])
    }
}

fn ids_of(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().or_else(|| v["id"].as_str()).unwrap())
        .collect()
}

#[test]
fn sprints_are_added_listed_started_and_closed() {
    let env = Env::new();
    env.stories(&[5, 8, 3, 13]);
    env.velocities(&[10, 12, 14]);
    assert_eq!(
        env.run(&["sprint", "add", "Sprint 4", "--start", TODAY]),
        "Added sprint Sprint 4: 2027-01-04 to 2027-01-17 (14 days), capacity from the velocity\n"
    );
    assert_eq!(
        env.run(&[
            "sprint",
            "add",
            "Sprint 5",
            "--start",
            "2027-01-18",
            "--end",
            "2027-01-29",
            "--capacity",
            "6"
        ]),
        "Added sprint Sprint 5: 2027-01-18 to 2027-01-29 (12 days), capacity 6\n"
    );
    let list = env.run(&["sprint", "list"]);
    assert!(
        list.contains("Sprint 4  2027-01-04  2027-01-17    14  planned  velocity  -"),
        "{list}"
    );
    assert!(
        list.contains("Sprint 5  2027-01-18  2027-01-29    12  planned         6  -"),
        "{list}"
    );

    // Without --commit the team commits to what the forecast puts in the
    // sprint: at 12 a sprint, 5 + 8 > 12, so S-1 alone.
    let started = env.run(&["sprint", "start", "sprint 4", "--today", TODAY]);
    assert_eq!(
        started,
        "Started sprint Sprint 4, 2027-01-04 to 2027-01-17 (14 days), with 1 story committed \
         (5 points), the stories the forecast puts in it: S-1\n"
    );
    env.refuses(&[(
        &["sprint", "start", "Sprint 5", "--commit", "S-2"],
        "sprint \"Sprint 4\" is under way: close it before starting another",
    )]);
    assert_eq!(
        env.run(&["sprint", "edit", "sprint 4", "--name", "Sprint 4"]),
        "No change to sprint Sprint 4\n"
    );
    env.run(&["edit", "S-1", "--status", "done"]);
    env.run(&["edit", "S-3", "--status", "done"]);
    // The points of the committed stories that are done: S-3, done but
    // not committed, does not count.
    let closed = env.run(&["sprint", "close", "Sprint 4"]);
    assert_eq!(
        closed,
        "Closed sprint Sprint 4 with 5 points done: the points of the 1 done of the 1 story \
         committed to it (S-1)\nThe velocity is now 10.33 points a sprint, the mean of the \
         last 3 sprints\n"
    );
    env.run(&["sprint", "start", "Sprint 5", "--commit", "S-2,S-4"]);
    let closed = env.run(&["sprint", "close", "Sprint 5", "--completed", "6"]);
    assert!(
        closed.starts_with("Closed sprint Sprint 5 with 6 points done, as given\n"),
        "{closed}"
    );

    let list = env.json(&["sprint", "list", "--json"]);
    assert_eq!(
        list,
        serde_json::json!([
            {"name": "Sprint 4", "start": "2027-01-04", "end": "2027-01-17", "days": 14,
             "state": "closed", "capacity": null, "committed": ["S-1"],
             "committed_points": 5, "completed": 5},
            {"name": "Sprint 5", "start": "2027-01-18", "end": "2027-01-29", "days": 12,
             "state": "closed", "capacity": 6, "committed": ["S-2", "S-4"],
             "committed_points": 21, "completed": 6},
        ])
    );

    // Closed sprints join the history, after the velocity entered by hand.
    let text = env.run(&["velocity", "list", "--today", TODAY]);
    assert!(text.contains("Sprint 4       5  closed sprint"), "{text}");
    assert!(
        text.contains("S1            10  entered by hand, ended 2026-11-01"),
        "{text}"
    );

    env.refuses(&[(&["sprint", "close", "Sprint 5"], "is closed already")]);
    assert_eq!(
        env.run(&["sprint", "remove", "Sprint 5"]),
        "Removed sprint Sprint 5; its velocity, 6 points, leaves the history\n"
    );
}

#[test]
fn a_sprint_closed_with_no_commitment_counts_the_stories_done_during_it() {
    let env = Env::new();
    env.stories(&[5, 3, 2]);
    // Under way now, as the stories are done now.
    let start = chrono::Local::now().date_naive() - chrono::Days::new(3);
    let end = start + chrono::Days::new(13);
    env.run(&["sprint", "add", "S1", "--start", &start.to_string()]);
    env.run(&["edit", "S-1", "--status", "done"]);
    env.run(&["edit", "S-3", "--status", "done"]);
    env.refuses(&[(
        &["sprint", "edit", "S1", "--completed", "1"],
        "sprint \"S1\" is planned: its completed points are recorded when it closes",
    )]);
    assert_eq!(
        env.run(&["sprint", "close", "S1"]),
        format!(
            "Closed sprint S1 with 7 points done: the points of the 2 stories done from {start} \
             to {end}, as none was committed to it (S-1, S-3)\nThe velocity is now 7 points a \
             sprint, the last sprint's\n"
        )
    );
    assert_eq!(
        env.run(&["sprint", "edit", "s1", "--completed", "8"]),
        format!(
            "Updated sprint S1: {start} to {end} (14 days), capacity from the velocity, 8 points \
             completed\n"
        )
    );
    // Nothing done in it: 0 points, not "-0".
    env.run(&["sprint", "add", "S2", "--start", "2030-01-07"]);
    assert!(env.run(&["sprint", "close", "S2"]).starts_with(
        "Closed sprint S2 with 0 points done: no story was committed to it, and none was \
             done from 2030-01-07 to 2030-01-20\n"
    ));
}

#[test]
fn overlapping_sprints_are_refused_and_the_file_is_unchanged() {
    let env = Env::new();
    env.run(&["sprint", "add", "Sprint 1", "--start", "2027-01-04"]);
    env.refuses(&[
        (
            &["sprint", "add", "Sprint 2", "--start", "2027-01-17"],
            "sprint \"Sprint 2\" (2027-01-17 to 2027-01-30) overlaps sprint \"Sprint 1\" \
             (2027-01-04 to 2027-01-17): sprints follow one another",
        ),
        (
            &[
                "sprint",
                "add",
                "Sprint 0",
                "--start",
                "2026-12-28",
                "--days",
                "8",
            ],
            "overlaps sprint \"Sprint 1\"",
        ),
        (
            &["sprint", "add", "sprint 1", "--start", "2027-02-01"],
            "there is already a sprint \"Sprint 1\"",
        ),
        (
            &[
                "sprint",
                "add",
                "Sprint 2",
                "--start",
                "2027-02-01",
                "--end",
                "2027-01-31",
            ],
            "sprint \"Sprint 2\" would end on 2027-01-31, before it starts on 2027-02-01",
        ),
        (
            &[
                "sprint",
                "add",
                "Sprint 2",
                "--start",
                "2027-02-01",
                "--days",
                "0",
            ],
            "a sprint is at least one day long",
        ),
        (
            &["sprint", "edit", "Sprint 9", "--days", "10"],
            "no sprint \"Sprint 9\" (the sprints are Sprint 1)",
        ),
    ]);
    // The next sprint starts the day after.
    env.run(&["sprint", "add", "Sprint 2", "--start", "2027-01-18"]);
    env.refuses(&[(
        &["sprint", "edit", "Sprint 1", "--days", "15"],
        "overlaps sprint \"Sprint 2\"",
    )]);
}

#[test]
fn a_date_not_written_yyyy_mm_dd_is_refused_naming_the_form() {
    let env = Env::new();
    env.run(&["sprint", "add", "Sprint 1", "--start", "2027-01-04"]);
    let form = "dates are written YYYY-MM-DD, such as 2027-01-04";
    env.refuses(&[
        (&["sprint", "add", "Sprint 2", "--start", "18/1/2027"], form),
        (&["sprint", "add", "Sprint 2", "--start", "2027-1-18"], form),
        (
            &["sprint", "add", "Sprint 2", "--start", "2027-02-30"],
            form,
        ),
        (
            &[
                "sprint",
                "add",
                "Sprint 2",
                "--start",
                "2027-01-18",
                "--end",
                "soon",
            ],
            form,
        ),
        (&["release", "add", "1.0", "--date", "March"], form),
        (
            &[
                "velocity", "add", "20", "--sprint", "S0", "--ended", "20261220",
            ],
            form,
        ),
        (&["forecast", "--today", "tomorrow"], form),
        (&["roadmap", "--today", "2027-01-04T10:00"], form),
    ]);
}

#[test]
fn negative_points_are_refused() {
    let env = Env::new();
    env.run(&["sprint", "add", "Sprint 1", "--start", "2027-01-04"]);
    env.refuses(&[
        (
            &[
                "sprint",
                "add",
                "Sprint 2",
                "--start",
                "2027-01-18",
                "--capacity",
                "-3",
            ],
            "capacity -3 is negative: it is points the team can do, 0 or more",
        ),
        (
            &["sprint", "edit", "Sprint 1", "--capacity=-1"],
            "capacity -1 is negative",
        ),
        (
            &[
                "sprint",
                "add",
                "Sprint 2",
                "--start",
                "2027-01-18",
                "--capacity",
                "lots",
            ],
            "capacity \"lots\" is not a number of points",
        ),
        (
            &["velocity", "add", "-5", "--sprint", "S0"],
            "velocity -5 is negative",
        ),
        (
            &["sprint", "close", "Sprint 1", "--completed", "-2"],
            "completed -2 is negative",
        ),
    ]);
}

#[test]
fn a_release_without_a_date_is_refused_saying_how_to_give_one() {
    let env = Env::new();
    env.stories(&[3]);
    env.refuses(&[(
        &["release", "add", "Spring launch"],
        "release \"Spring launch\" needs a target date: give the day it should ship with --date \
         YYYY-MM-DD, e.g. `backlog release add 'Spring launch' --date 2027-03-31`",
    )]);
    assert_eq!(
        env.run(&[
            "release",
            "add",
            "1.0",
            "--date",
            "2027-03-31",
            "--line-at",
            "1"
        ]),
        "Added release 1.0, target 2027-03-31; its line is under S-1: the 1 story ranked above \
         it is the release\n"
    );
    env.refuses(&[
        (&["release", "add", "1.0", "--date", "2027-06-30"], "1.0"),
        (
            &["release", "edit", "2.0", "--date", "2027-06-30"],
            "no release \"2.0\" (the releases are 1.0)",
        ),
        (
            &["release", "line", "1.0", "--at", "5"],
            "--at 5: the backlog has 1 story, so a line goes under 0 to 1 of them",
        ),
    ]);
}

/// Four sprints of 12, 20, 18 and 22: the velocity is the mean of the
/// last three, (20 + 18 + 22) / 3 = 20, and as four sprints trim none
/// by Cohn's table, the range is the lowest and highest, 12 to 22.
/// The stories, 8 8 5 8 13 3 5 13, fill the sprints so:
///
/// - at 20: 8+8 (5 more would make 21), 4 left; then 24 (= 20 + 4) takes
///   5+8 (13 more would make 26), 11 left; then 31 (= 20 + 11) takes
///   13+3+5 = 21, 10 left; then 30 takes 13.
/// - at 12: 8, then 16 (= 12 + 4) takes 8+5, then 15 (= 12 + 3) takes 8.
/// - at 22: 8+8+5, then 23 (= 22 + 1) takes 8+13.
///
/// Release 1.0 is the four stories above its line (29 points): done in
/// the second sprint at 20 and 22, the third at 12. Due on the second's
/// last day, it is at risk.
fn worked_by_hand() -> Env {
    let env = Env::new();
    env.stories(&[8, 8, 5, 8, 13, 3, 5, 13]);
    env.velocities(&[12, 20, 18, 22]);
    env.run(&["sprint", "add", "Sprint 5", "--start", TODAY]);
    env.run(&[
        "release",
        "add",
        "1.0",
        "--date",
        "2027-01-31",
        "--line-after",
        "S-4",
    ]);
    env
}

#[test]
fn the_forecast_json_gives_the_numbers_worked_out_by_hand() {
    let env = worked_by_hand();
    let json = env.forecast();
    assert_eq!(json["today"], TODAY);
    let velocity = &json["velocity"];
    assert_eq!(velocity["source"], "sprints");
    assert_eq!(velocity["mean"], 20);
    assert_eq!(velocity["mean_of"], 3);
    assert_eq!(velocity["range"]["low"], 12);
    assert_eq!(velocity["range"]["high"], 22);
    assert_eq!(velocity["trimmed"], 0);
    assert_eq!(velocity["history"].as_array().unwrap().len(), 4);
    assert_eq!(velocity["history"][0]["entered"], true);
    assert_eq!(velocity["needs"], Value::Null);

    // Name, last day, state, capacity (= own + carried in), points: stories.
    let sprints: Vec<String> = json["sprints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{} {} {} {} (= {} + {}) {}: {}",
                s["name"].as_str().unwrap(),
                s["end"].as_str().unwrap(),
                s["state"].as_str().unwrap(),
                s["capacity"],
                s["own_capacity"],
                s["carried_in"],
                s["points"],
                ids_of(&s["stories"]).join(" ")
            )
        })
        .collect();
    assert_eq!(
        sprints,
        [
            "Sprint 5 2027-01-17 planned 20 (= 20 + 0) 16: S-1 S-2",
            "Sprint 6 2027-01-31 projected 24 (= 20 + 4) 13: S-3 S-4",
            "Sprint 7 2027-02-14 projected 31 (= 20 + 11) 21: S-5 S-6 S-7",
            "Sprint 8 2027-02-28 projected 30 (= 20 + 10) 13: S-8",
        ]
    );
    assert_eq!(json["sprints"][1]["left"], 11);
    assert_eq!(json["beyond"], 0);

    let release = &json["releases"][0];
    assert_eq!(release["name"], "1.0");
    assert_eq!(release["date"], "2027-01-31");
    assert_eq!(
        release["scope"],
        serde_json::json!({"kind": "line", "above": 4, "after": "S-4"})
    );
    for (field, value) in [("stories", 4), ("points", 29), ("done", 0), ("to_do", 29)] {
        assert_eq!(release[field], value, "{field}");
    }
    let landing = &release["landing"];
    assert_eq!(
        landing["mean"],
        serde_json::json!({"sprints": 2, "sprint": "Sprint 6", "date": "2027-01-31"})
    );
    assert_eq!(landing["high"]["sprint"], "Sprint 6");
    assert_eq!(landing["low"]["sprint"], "Sprint 7");
    assert_eq!(landing["low"]["date"], "2027-02-14");
    assert_eq!(release["track"], "at-risk");
}

#[test]
fn the_forecast_text_and_the_release_list_say_what_the_json_does() {
    let env = worked_by_hand();
    let release = env.forecast()["releases"][0].clone();
    let text = env.run(&["forecast", "--today", TODAY]);
    for line in [
        "Velocity: 20 points a sprint, the mean of the last 3 sprints",
        "Range: 12 to 22 points a sprint (Cohn's range over 4 sprints, none left out at either end)",
        "History: S1 12, S2 20, S3 18, S4 22",
        "Sprint 6  2027-01-18 to 2027-01-31  projected  24 (= 20 + 4)       13        2",
        "1.0  target 2027-01-31: at risk",
        "  Scope: the 4 stories ranked above its line (under S-4)",
        "  Points: 29, 0 done, 29 to do before it ships",
        "  Forecast: Sprint 6 (2027-01-31) at the mean velocity; Sprint 6 (2027-01-31) at the \
         high, Sprint 7 (2027-02-14) at the low",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    // And so does the release list, number for number.
    let releases = env.json(&["release", "list", "--json", "--today", TODAY]);
    assert_eq!(releases[0], release);

    // A move above the line changes the release at once: S-8 (13 points)
    // joins it, and at 20 a sprint, 13 then 8+8+5 leave the last 8 for
    // the third sprint, after its date.
    env.run(&["move", "S-8", "--top"]);
    let release = &env.forecast()["releases"][0];
    assert_eq!(release["points"], 42);
    assert_eq!(release["landing"]["mean"]["sprint"], "Sprint 7");
    assert_eq!(release["track"], "late");
}

#[test]
fn a_release_that_fits_exactly_lands_at_the_end_of_its_sprint() {
    let env = Env::new();
    env.stories(&[10, 10, 5, 15]);
    env.velocities(&[20, 20, 20]);
    env.run(&["sprint", "add", "Sprint 4", "--start", TODAY]);
    env.run(&[
        "release",
        "add",
        "1.0",
        "--date",
        "2027-01-17",
        "--line-after",
        "S-2",
    ]);
    let json = env.forecast();
    let release = &json["releases"][0];
    assert_eq!(release["landing"]["mean"]["sprint"], "Sprint 4");
    assert_eq!(release["landing"]["mean"]["date"], "2027-01-17");
    assert_eq!(release["track"], "on-track");
    let sprints = &json["sprints"];
    assert_eq!(ids_of(&sprints[0]["stories"]), ["S-1", "S-2"]);
    assert_eq!(sprints[0]["left"], 0);
    assert_eq!(sprints[1]["carried_in"], 0);
    assert_eq!(ids_of(&sprints[1]["stories"]), ["S-3", "S-4"]);
    // A point more and it spills into the next sprint.
    env.run(&["edit", "S-2", "--points", "13"]);
    let release = &env.forecast()["releases"][0];
    assert_eq!(release["landing"]["mean"]["sprint"], "Sprint 5");
    assert_eq!(release["track"], "late");
}

#[test]
fn a_story_larger_than_the_velocity_is_flagged_not_dropped() {
    let env = Env::new();
    env.stories(&[3, 21, 5]);
    env.velocities(&[10, 10, 10]);
    env.run(&["sprint", "add", "Sprint 4", "--start", TODAY]);
    let json = env.forecast();
    let sprints = &json["sprints"];
    assert_eq!(ids_of(&sprints[0]["stories"]), ["S-1"]);
    assert_eq!(ids_of(&sprints[1]["stories"]), ["S-2"]);
    assert_eq!(ids_of(&sprints[1]["too_big"]), ["S-2"]);
    assert_eq!(ids_of(&sprints[2]["stories"]), ["S-3"]);
    let text = env.run(&["forecast", "--today", TODAY]);
    assert!(
        text.contains(
            "! S-2 (21 points) is larger than Sprint 5 can take: flagged, and planned there on \
             its own"
        ),
        "{text}"
    );
}

#[test]
fn unestimated_stories_are_left_out_or_counted_and_the_forecast_says_which() {
    let env = Env::new();
    env.stories(&[5, 0, 5]);
    env.velocities(&[10, 10, 10]);
    let json = env.forecast();
    assert_eq!(json["unestimated"]["counted_as"], Value::Null);
    assert_eq!(json["unestimated"]["left_out"], 1);
    assert_eq!(ids_of(&json["unestimated"]["stories"]), ["S-2"]);
    assert_eq!(ids_of(&json["sprints"][0]["stories"]), ["S-1", "S-3"]);
    let text = env.run(&["forecast", "--today", TODAY]);
    assert!(
        text.contains(
            "Unestimated: 1 open story has no estimate and is left out of the forecast: S-2"
        ),
        "{text}"
    );
    env.run(&["settings", "--unestimated", "3"]);
    let json = env.forecast();
    assert_eq!(json["unestimated"]["counted_as"], 3);
    assert_eq!(json["unestimated"]["left_out"], 0);
    assert_eq!(ids_of(&json["sprints"][0]["stories"]), ["S-1", "S-2"]);
    let text = env.run(&["forecast", "--today", TODAY]);
    assert!(
        text.contains(
            "Unestimated: 1 open story has no estimate and is counted as 3 points each: S-2"
        ),
        "{text}"
    );
    env.run(&[
        "settings",
        "--velocity-sprints",
        "2",
        "--unestimated",
        "none",
    ]);
    assert_eq!(env.forecast()["velocity"]["mean_of"], 2);
}

#[test]
fn with_no_velocity_the_forecast_says_what_it_needs_and_still_lists_the_releases() {
    let env = Env::new();
    env.stories(&[5, 3]);
    env.run(&[
        "release",
        "add",
        "1.0",
        "--date",
        "2027-03-31",
        "--line-after",
        "S-2",
    ]);
    let text = env.run(&["forecast", "--today", TODAY]);
    assert!(
        text.contains(
            "No velocity yet: close a sprint (backlog sprint close), enter the velocity of past \
             sprints (backlog velocity add 21 --sprint S12), or mark stories done so their done \
             dates give one."
        ),
        "{text}"
    );
    assert!(
        text.contains("1.0  target 2027-03-31: no forecast without a velocity"),
        "{text}"
    );
    assert!(
        text.contains("  Points: 8, 0 done, 8 to do before it ships"),
        "{text}"
    );
    let json = env.forecast();
    assert_eq!(json["velocity"]["source"], "nothing");
    assert!(
        json["velocity"]["needs"]
            .as_str()
            .unwrap()
            .starts_with("no velocity yet")
    );
    assert_eq!(json["releases"][0]["track"], "unknown");
    assert_eq!(json["releases"][0]["landing"]["mean"], Value::Null);
}

#[test]
fn monte_carlo_with_a_seed_gives_the_same_forecast_twice_and_refuses_too_few_sprints() {
    let env = Env::new();
    env.stories(&[8, 8, 5, 8, 13, 3, 5, 13]);
    env.velocities(&[12, 20]);
    env.run(&[
        "release",
        "add",
        "1.0",
        "--date",
        "2027-03-31",
        "--line-after",
        "S-4",
    ]);
    let args = [
        "forecast",
        "--monte-carlo",
        "2000",
        "--seed",
        "7",
        "--today",
        TODAY,
    ];
    let before = read(&env.file);
    let refused = env.fail(&args);
    assert!(
        refused.contains(
            "a Monte Carlo forecast draws from at least 3 closed sprints and there are 2, too few \
             to give a confidence"
        ),
        "{refused}"
    );
    assert_eq!(read(&env.file), before);

    env.run(&["velocity", "add", "18", "--sprint", "S3"]);
    env.run(&["velocity", "add", "22", "--sprint", "S4"]);
    let first = env.run(&args);
    assert_eq!(env.run(&args), first);
    assert!(first.contains("  Monte Carlo: 50 % by Sprint "), "{first}");
    assert!(
        first.contains("Monte Carlo: 2000 runs drawing on the 4 sprints of history, seed 7"),
        "{first}"
    );
    let mut json_args = args.to_vec();
    json_args.push("--json");
    let json = env.json(&json_args);
    assert_eq!(env.json(&json_args), json);
    assert_eq!(json["monte_carlo"]["runs"], 2000);
    assert_eq!(json["monte_carlo"]["seed"], 7);
    let carlo = &json["releases"][0]["monte_carlo"];
    let sprints = |p: &str| carlo[p]["sprints"].as_u64().unwrap();
    assert!(sprints("p50") >= 1, "{carlo}");
    assert!(sprints("p50") <= sprints("p85") && sprints("p85") <= sprints("p95"));
    assert!(
        env.fail(&["forecast", "--seed", "7"])
            .contains("--monte-carlo")
    );
}

#[test]
fn releases_take_lines_stories_and_new_names() {
    let env = Env::new();
    env.stories(&[5, 3, 8, 2]);
    env.run(&["epic", "add", "Booking", "--release", "1.1"]);
    env.run(&["edit", "S-4", "--epic", "Booking"]);
    env.run(&["release", "add", "1.0", "--date", "2027-03-31"]);
    assert_eq!(
        env.run(&["release", "line", "1.0", "--after", "S-2"]),
        "Release 1.0: its line is under S-2: the 2 stories ranked above it are the release\n"
    );
    assert_eq!(
        env.run(&["release", "line", "1.0", "--top"]),
        "Release 1.0: its line is at the top: no story is above it\n"
    );
    assert_eq!(
        env.run(&["release", "line", "1.0", "--remove"]),
        "Release 1.0: its line is gone: the release is the 0 stories assigned to it\n"
    );
    assert_eq!(
        env.run(&["release", "assign", "1.0", "S-1", "S-3"]),
        "Assigned S-1, S-3 to release 1.0\n"
    );
    assert_eq!(
        env.run(&["release", "assign", "1.0", "S-1"]),
        "No change: it is assigned to release 1.0 already\n"
    );
    let list = env.json(&["release", "list", "--json", "--today", TODAY]);
    // 1.1 came first, made by the epic that targets it, with no date.
    assert_eq!(list[0]["name"], "1.1");
    assert_eq!(list[0]["date"], Value::Null);
    assert_eq!(list[0]["stories"], 1);
    assert_eq!(list[1]["name"], "1.0");
    assert_eq!(list[1]["scope"]["kind"], "assigned");
    assert_eq!(list[1]["stories"], 2);
    assert_eq!(list[1]["points"], 13);

    let out = env
        .cmd()
        .args(["release", "unassign", "S-3", "S-4"])
        .assert()
        .success();
    let output = out.get_output();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "Unassigned S-3, S-4: no release has them by hand now\n"
    );
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("S-4 is still in release 1.1 through its epic Booking"),
        "{output:?}"
    );
    assert_eq!(
        env.run(&[
            "release",
            "edit",
            "1.1",
            "--name",
            "2.0",
            "--date",
            "2027-06-30"
        ]),
        "Updated release 2.0, target 2027-06-30\nEpic Booking targets it by its new name\n"
    );
    let epics = env.json(&["epic", "list", "--json"]);
    assert_eq!(epics[0]["target_release"], "2.0");
    assert_eq!(
        env.run(&["release", "remove", "2.0"]),
        "Removed release 2.0; epic Booking targets no release now\n"
    );
    let text = env.run(&["release", "list", "--today", TODAY]);
    assert!(
        text.starts_with("1.0  target 2027-03-31: no forecast without a velocity\n"),
        "{text}"
    );
    assert!(
        text.contains("  Scope: the 1 story assigned to it, by hand or through its epics"),
        "{text}"
    );
}

#[test]
fn velocity_entered_by_hand_is_listed_and_removed() {
    let env = Env::new();
    env.velocities(&[12, 20, 18, 22]);
    let text = env.run(&["velocity", "list", "--today", TODAY]);
    assert_eq!(
        text,
        "Velocity: 20 points a sprint, the mean of the last 3 sprints\n\
         Range: 12 to 22 points a sprint (Cohn's range over 4 sprints, none left out at either end)\n\
         From: velocity entered by hand\n\
         \n\
         Sprint  Points  From\n\
         S1          12  entered by hand, ended 2026-11-01\n\
         S2          20  entered by hand, ended 2026-11-15\n\
         S3          18  entered by hand, ended 2026-11-29\n\
         S4          22  entered by hand, ended 2026-12-13\n"
    );
    env.refuses(&[
        (
            &["velocity", "add", "30", "--sprint", "s2"],
            "there is already a sprint \"S2\"",
        ),
        (&["velocity", "remove", "S9"], "no sprint \"S9\""),
    ]);
    assert_eq!(
        env.run(&["velocity", "remove", "s1"]),
        "Removed the velocity of sprint S1 (12 points)\n"
    );
    assert_eq!(env.json(&["velocity", "list", "--json"])["mean"], 20);
    env.run(&["sprint", "add", "Sprint 5", "--start", "2027-01-04"]);
    env.refuses(&[(
        &["velocity", "remove", "Sprint 5"],
        "sprint \"Sprint 5\" is one the backlog keeps, not a velocity entered by hand",
    )]);
}

/// The demo backlog with four sprints of history, a sprint under way,
/// target dates for its releases and a release line: the roadmap
/// document a product owner would paste into the wiki.
#[test]
fn snapshot_roadmap_markdown() {
    let env = Env::new();
    env.run(&["init", "--demo"]);
    env.velocities(&[16, 21, 18, 20]);
    env.run(&["sprint", "add", "Sprint 5", "--start", "2026-12-28"]);
    env.run(&["sprint", "start", "Sprint 5", "--commit", "S-8,S-5,S-9"]);
    env.run(&["release", "edit", "1.0", "--date", "2027-02-26"]);
    env.run(&["release", "edit", "1.1", "--date", "2027-04-30"]);
    env.run(&[
        "release",
        "add",
        "Beta",
        "--date",
        "2027-01-22",
        "--line-after",
        "S-6",
    ]);
    let markdown = env.run(&["roadmap", "--today", TODAY]);
    for name in ["1.0", "1.1", "Beta", "Sprint 5", "Sprint 6", "Booking"] {
        assert!(markdown.contains(name), "{name} in\n{markdown}");
    }
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!("roadmap_markdown", markdown);
    });

    let json = env.json(&["roadmap", "--format", "json", "--today", TODAY]);
    assert_eq!(json["product"], "Kilnhouse");
    assert_eq!(json["forecast"], env.forecast());
    // The same lanes as the roadmap pane's: in the order their first
    // stories come.
    let now: Vec<&str> = json["lanes"]["now"]
        .as_array()
        .unwrap()
        .iter()
        .map(|lane| lane["epic"].as_str().unwrap())
        .collect();
    assert_eq!(now, ["Kiln queue", "Booking", "Billing"]);
}

/// A schema-3 file (before releases were kept) whose epics name the
/// releases 1.0 and 1.1 opens with both, without dates.
#[test]
fn a_schema_3_files_epic_targets_become_releases_without_dates() {
    let env = Env::new();
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/schema-3-releases.json"
    );
    fs::copy(fixture, &env.file).unwrap();
    let text = env.run(&["release", "list", "--today", TODAY]);
    assert!(
        text.contains(
            "1.0  no target date (give one with `backlog release edit 1.0 --date YYYY-MM-DD`)\n\
             \x20 Scope: the 2 stories assigned to it, by hand or through its epics\n"
        ),
        "{text}"
    );
    assert!(text.contains("1.1  no target date, done\n"), "{text}");
    let json = env.json(&["release", "list", "--json", "--today", TODAY]);
    let names: Vec<(&str, &Value)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["name"].as_str().unwrap(), &r["date"]))
        .collect();
    assert_eq!(names, [("1.0", &Value::Null), ("1.1", &Value::Null)]);
    // Reading changed nothing; the first change writes this build's schema.
    assert_eq!(read(&env.file), fs::read(fixture).unwrap());
    env.run(&["release", "edit", "1.0", "--date", "2027-03-31"]);
    let saved: Value = serde_json::from_slice(&read(&env.file)).unwrap();
    assert_eq!(saved["schema"], backlog::store::SCHEMA);
    assert_eq!(saved["releases"][0]["date"], "2027-03-31");
}

#[test]
fn a_story_shows_its_status_history_and_when_it_was_done() {
    let env = Env::new();
    env.stories(&[3]);
    env.run(&["edit", "S-1", "--status", "in-progress"]);
    env.run(&["edit", "S-1", "--status", "done"]);
    let shown: Value = serde_json::from_str(&env.run(&["show", "S-1", "--json"])).unwrap();
    let changes: Vec<(&str, &str)> = shown["status_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["from"].as_str().unwrap(), c["to"].as_str().unwrap()))
        .collect();
    assert_eq!(changes, [("draft", "in-progress"), ("in-progress", "done")]);
    assert_eq!(shown["done_at"], shown["status_history"][1]["at"]);
    assert!(shown["cycle_time_days"].as_f64().unwrap() >= 0.0);
    env.run(&["edit", "S-1", "--status", "ready", "--force"]);
    let shown: Value = serde_json::from_str(&env.run(&["show", "S-1", "--json"])).unwrap();
    assert_eq!(shown["done_at"], Value::Null);
    assert_eq!(shown["cycle_time_days"], Value::Null);
}

#[test]
fn a_date_splits_the_backlog_into_will_might_and_wont_have() {
    let env = Env::new();
    env.stories(&[8, 8, 8, 8, 8]);
    // Range 10 to 20 (three sprints, none trimmed); two-week sprints
    // from today, 2027-01-04: two end by 2027-01-31.
    env.velocities(&[10, 20, 20]);
    let json = env.json(&["forecast", "--json", "--today", TODAY, "--by", "2027-01-31"]);
    let by = &json["by"];
    assert_eq!(by["sprints"], 2);
    // At least 20 points (S-1, S-2), at most 40 (to S-5).
    assert_eq!(ids_of(&by["will"]), ["S-1", "S-2"]);
    assert_eq!(ids_of(&by["might"]), ["S-3", "S-4", "S-5"]);
    assert_eq!(by["wont"], 0);
    let text = env.run(&["forecast", "--today", TODAY, "--by", "2027-01-31"]);
    assert!(
        text.contains("By 2027-01-31 (2 sprints end by then):\n  Will have: S-1, S-2\n  Might have: S-3, S-4, S-5\n  Won't have: 0 stories\n"),
        "{text}"
    );
    env.refuses(&[(&["forecast", "--by", "10 Jan"], "YYYY-MM-DD")]);
    let fresh = Env::new();
    fresh.stories(&[3]);
    fresh.refuses(&[(&["forecast", "--by", "2027-01-10"], "no velocity")]);
}
