//! Benchmarks over a generated backlog of 100,000 stories: loading and
//! saving the file, drawing the TUI (one frame, and one move of the
//! selected story followed by a frame), and moving many stories at once,
//! in the model and through the TUI's marks. Beside them, the release
//! forecast of the whole backlog after a move, and a Monte Carlo one.
//!
//! Run with `cargo bench --bench backlog`; see BENCHMARKS.md for targets.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use backlog::forecast::Forecast;
use backlog::forecast::carlo::{self, Simulation};
use backlog::model::{
    Backlog, Destination, History, Move, Product, Release, Snapshot, Sprint, Story, StoryId,
    StoryPatch,
};
use backlog::priority::{self, Framework, Scoring};
use backlog::store;
use backlog::tui::action::Action;
use backlog::tui::app::App;
use backlog::tui::filter::{Filter, Rows};
use backlog::tui::keymap::Command;
use backlog::tui::view;
use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use criterion::{BatchSize, Criterion, SamplingMode, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

mod common;
use common::{LABELS, Lcg};

/// Stories in the generated backlog.
const STORIES: usize = 100_000;

/// Terminal size for the TUI benchmarks.
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(seconds, 0).single().expect("valid time")
}

/// The backlog every bench here measures: `n` real-looking stories of
/// about 1.1 KB each once saved, whose rank order is a shuffle of their
/// id order (`benches/common`, shared with the scale examples).
fn generate(n: usize) -> Backlog {
    common::backlog(n)
}

/// The app at `WIDTH` × `HEIGHT` with the middle story selected.
fn app_in_the_middle(backlog: Backlog) -> App {
    let mut app = App::new(backlog, "bench.json");
    app.update(Action::Resize(WIDTH, HEIGHT));
    app.update(Command::SelectLast);
    while app.table.selected > STORIES / 2 {
        app.update(Command::PageUp);
    }
    let drawn = app.table.selected_drawn(&app.table.ruled(&app.backlog));
    assert!(
        app.table.scroll > 0 && app.table.scroll <= drawn,
        "selection on screen"
    );
    app
}

/// `first` and `second` by turns, so that what one does the next undoes
/// and the state does not drift.
fn by_turns(first_now: &mut bool, first: Command, second: Command) -> Command {
    let action = if *first_now { first } else { second };
    *first_now = !*first_now;
    action
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("a test terminal")
}

fn bench_store(c: &mut Criterion) {
    let backlog = generate(STORIES);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let load_path = dir.path().join("load.json");
    let save_path = dir.path().join("save.json");
    store::save(&load_path, &backlog).expect("setup save");
    let text = store::to_json(&backlog);
    eprintln!("{STORIES} stories: a file of {} bytes", text.len());
    assert_eq!(
        store::load(&load_path).expect("setup load").backlog,
        backlog,
        "the file round-trips"
    );

    let mut group = c.benchmark_group("store_100k");
    // A single iteration takes tens to hundreds of milliseconds: few flat
    // samples keep the whole run short. Freeing a loaded backlog (over a
    // million allocations, tens of milliseconds) is not part of
    // loading, so it is left out of the time.
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(7));
    group.bench_function("load", |b| {
        b.iter_with_large_drop(|| store::load(black_box(&load_path)).expect("load"));
    });
    group.bench_function("save", |b| {
        b.iter(|| store::save(black_box(&save_path), black_box(&backlog)).expect("save"));
    });
    // Floors for the two above, in the same run: what reading the same
    // bytes, and writing and flushing them, cost on this machine's disk
    // with no parsing and no serialising. A figure is read beside these,
    // since machines differ.
    group.bench_function("read_floor", |b| {
        b.iter_with_large_drop(|| std::fs::read(black_box(&load_path)).expect("read"));
    });
    let floor_path = dir.path().join("floor.json");
    group.bench_function("write_floor", |b| {
        b.iter(|| {
            let mut file = std::fs::File::create(black_box(&floor_path)).expect("create");
            std::io::Write::write_all(&mut file, text.as_bytes()).expect("write");
            file.sync_all().expect("flush");
        });
    });
    group.bench_function("to_json", |b| {
        b.iter(|| store::to_json(black_box(&backlog)));
    });
    group.bench_function("from_json", |b| {
        b.iter_with_large_drop(|| store::from_json(black_box(&text)).expect("parse"));
    });
    group.bench_function("from_parts", |b| {
        b.iter_batched(
            || backlog.stories_by_id().to_vec(),
            |stories| Backlog::from_parts(Product::default(), 0, stories).expect("distinct"),
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

/// The TUI's save of a 100k backlog with one story changed, through the
/// session that keeps it in step with other writers, beside writing and
/// flushing the same bytes; and a CLI write of one story (`store::update`:
/// load, change, save).
fn bench_save(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("backlog.json");
    store::save(&path, &generate(STORIES)).expect("setup save");
    let (mut session, mut backlog) = store::Session::open(&path).expect("setup open");
    let text = store::to_json(&backlog);
    let story = StoryId(u64::try_from(STORIES / 2).expect("small"));
    let titles = [
        "A title of forty-four characters, changed: one",
        "A title of forty-four characters, changed: two",
    ];
    let mut turn = 0;
    let mut change = move |backlog: &mut Backlog| {
        turn = 1 - turn;
        let patch = StoryPatch::title(titles[turn]);
        backlog
            .edit(story, &patch, at(1_800_000_000))
            .expect("edit");
    };

    let mut group = c.benchmark_group("save_100k");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(7));
    // Each save follows the one before by less than the file system's
    // time grain, as a TUI's saves do while its user works: the file is
    // hashed (read, kept nowhere) before it is written, never parsed.
    group.bench_function("tui_session_save", |b| {
        b.iter(|| {
            change(&mut backlog);
            let outcome = session.save(black_box(&backlog));
            assert_eq!(outcome, store::Outcome::Saved);
        });
    });
    assert_eq!(session.reads().whole, 1, "no save read the file whole");
    let floor_path = dir.path().join("floor.json");
    group.bench_function("write_floor", |b| {
        b.iter(|| {
            let mut file = std::fs::File::create(black_box(&floor_path)).expect("create");
            std::io::Write::write_all(&mut file, text.as_bytes()).expect("write");
            file.sync_all().expect("flush");
        });
    });
    group.bench_function("cli_update_one_story", |b| {
        b.iter(|| {
            store::update(black_box(&path), |backlog| {
                change(backlog);
                Ok(())
            })
            .expect("update");
        });
    });
    group.finish();
}

fn bench_tui(c: &mut Criterion) {
    let mut group = c.benchmark_group("tui_100k");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));

    let mut app = app_in_the_middle(generate(STORIES));
    let mut term = terminal();
    group.bench_function("frame", |b| {
        b.iter(|| {
            term.draw(|f| view::render(black_box(&app), f))
                .expect("draw");
        });
    });

    // The floor for a frame, in the same run: ratatui filling and diffing
    // a screen of the same size with plain text, with none of our work.
    let screenful = "x".repeat(usize::from(WIDTH) * usize::from(HEIGHT));
    group.bench_function("frame_floor", |b| {
        b.iter(|| {
            term.draw(|f| {
                let text = ratatui::widgets::Paragraph::new(black_box(screenful.as_str()))
                    .wrap(ratatui::widgets::Wrap { trim: false });
                f.render_widget(text, f.area());
            })
            .expect("draw");
        });
    });

    // Up then down, so the story and the selection end where they began.
    let start = app.table.selected;
    let mut up = true;
    group.bench_function("move_and_redraw", |b| {
        b.iter(|| {
            app.update(by_turns(&mut up, Command::MoveUp, Command::MoveDown));
            term.draw(|f| view::render(black_box(&app), f))
                .expect("draw");
        });
    });
    if !up {
        app.update(Command::MoveDown);
    }
    assert_eq!(app.table.selected, start, "the moves cancel out");

    let mut up = true;
    group.bench_function("move_only", |b| {
        b.iter(|| app.update(by_turns(&mut up, Command::MoveUp, Command::MoveDown)));
    });

    // What a save costs the event loop: the worker thread serialises and
    // writes, but the loop hands it a copy of the backlog. Freeing the copy
    // is the worker's job too, so it is left out.
    group.bench_function("save_handoff", |b| {
        b.iter_with_large_drop(|| black_box(&app.backlog).clone());
    });

    // Refinement: stepping the selected story's estimate, one key each.
    let mut up = true;
    group.bench_function("estimate_step", |b| {
        b.iter(|| {
            app.update(by_turns(
                &mut up,
                Command::EstimateUp,
                Command::EstimateDown,
            ))
        });
    });

    // One key of an incremental search: every story is tested again.
    group.bench_function("search_keystroke", |b| {
        let filter = Filter {
            query: "invoice export".to_string(),
            ..Filter::default()
        };
        b.iter(|| Rows::compute(black_box(&app.backlog), black_box(&filter)));
    });

    // A key typed onto a search already narrowed to a few stories: only
    // those are tested again.
    group.bench_function("search_keystroke_narrowing", |b| {
        let mut filter = Filter {
            query: "invoice".to_string(),
            ..Filter::default()
        };
        let shown = Rows::compute(&app.backlog, &filter);
        filter.query.push_str(" e");
        b.iter(|| black_box(&shown).narrowed(black_box(&app.backlog), black_box(&filter)));
    });

    // Moving within a filtered view: the rows follow without testing
    // every story again.
    app.table.filter.label = Some(LABELS[0].to_string());
    app.table.rows = Rows::compute(&app.backlog, &app.table.filter);
    app.update(Command::SelectFirst);
    for _ in 0..app.row_count() / 2 {
        app.update(Command::SelectNext);
    }
    let mut up = true;
    group.bench_function("filtered_move_and_redraw", |b| {
        b.iter(|| {
            app.update(by_turns(&mut up, Command::MoveUp, Command::MoveDown));
            term.draw(|f| view::render(black_box(&app), f))
                .expect("draw");
        });
    });
    group.finish();
}

fn bench_model(c: &mut Criterion) {
    let mut group = c.benchmark_group("model_100k");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    let backlog = generate(STORIES);
    // A visual selection of 1,000 stories scattered all through the
    // backlog (ids are shuffled against the rank order), moved to the top
    // as one undoable change: the stories it re-keys, the copy undo keeps,
    // the move, the record. Each iteration starts from a copy that shares
    // its stories with the original, as the TUI's backlog shares them with
    // the undo history, so the moved stories are copied as they would be.
    // Freeing the result is left out.
    let selection: Vec<StoryId> = (0..1_000).map(|i| StoryId(i * 100 + 1)).collect();
    group.bench_function("bulk_move_1000", |b| {
        b.iter_batched(
            || (backlog.clone(), History::default()),
            |(mut backlog, mut history)| {
                let rekeyed = backlog.rekeyed_by_moving(&selection, Destination::Top);
                let before = Snapshot::take(&backlog, &rekeyed, false);
                backlog
                    .move_stories(black_box(&selection), Destination::Top)
                    .expect("the stories exist");
                history.record("move 1,000 stories", at(0), before, &backlog);
                (backlog, history)
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

/// The visual selection's move through the TUI: 1,000 stories marked
/// all through the backlog (every hundredth row), moved to the top and
/// then to the bottom by turns, each as one undoable change, as `T` and
/// `B` do with stories marked. Beyond the model's move it takes the
/// marked stories' places, the undo record, and the table following.
fn bench_bulk_move(c: &mut Criterion) {
    let mut group = c.benchmark_group("tui_100k");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    let mut app = App::new(generate(STORIES), "bench.json");
    app.update(Action::Resize(WIDTH, HEIGHT));
    for _ in 0..1_000 {
        app.update(Command::ToggleMark);
        for _ in 0..100 {
            app.update(Command::SelectNext);
        }
    }
    assert_eq!(app.table.marks.len(), 1_000, "a thousand marked");
    let mut top = true;
    group.bench_function("bulk_move_1000", |b| {
        b.iter(|| {
            app.update(by_turns(
                &mut top,
                Command::MoveToTop,
                Command::MoveToBottom,
            ))
        });
    });
    group.finish();
}

/// One story of about 7.5 MB: a title and a description of one paragraph
/// each (a title that long comes only from a file older than its limit).
fn huge_story() -> Backlog {
    let mut story = Story::clone(&common::backlog(1).stories_by_id()[0]);
    story.title = "long ".repeat(500_000);
    story.description = format!("{}end", "lorem ipsum ".repeat(420_000));
    Backlog::from_parts(Product::new("Huge"), 2, vec![story]).expect("one story")
}

fn bench_huge_story(c: &mut Criterion) {
    let mut group = c.benchmark_group("tui_huge_story");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    let mut app = App::new(huge_story(), "bench.json");
    app.update(Action::Resize(WIDTH, HEIGHT));
    app.update(Command::SwitchFocus);
    let mut term = terminal();
    group.bench_function("frame", |b| {
        b.iter(|| {
            term.draw(|f| view::render(black_box(&app), f))
                .expect("draw");
        });
    });
    // Scrolling the story pane a row down and back, a long way down it.
    for _ in 0..1_000 {
        app.update(Command::ScrollDown);
    }
    let mut down = true;
    group.bench_function("scroll_and_redraw", |b| {
        b.iter(|| {
            app.update(by_turns(&mut down, Command::ScrollDown, Command::ScrollUp));
            term.draw(|f| view::render(black_box(&app), f))
                .expect("draw");
        });
    });
    let mut up = true;
    group.bench_function("estimate_step_and_redraw", |b| {
        b.iter(|| {
            app.update(by_turns(
                &mut up,
                Command::EstimateUp,
                Command::EstimateDown,
            ));
            term.draw(|f| view::render(black_box(&app), f))
                .expect("draw");
        });
    });
    group.finish();
}

/// `generate(n)` with WSJF inputs on six stories in seven (the others
/// unscored) and, on one story in fifty, a link to a story made a little
/// before it (so links never loop).
fn prioritised(n: usize) -> Backlog {
    const SAFE: [f64; 7] = [1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0];
    let mut rng = Lcg(0xbeef);
    let backlog = generate(n);
    let stories: Vec<Arc<Story>> = backlog
        .stories_by_id()
        .iter()
        .map(|story| {
            let mut story = Arc::clone(story);
            let s = Arc::make_mut(&mut story);
            if rng.below(7) != 0 {
                s.inputs.value = Some(SAFE[rng.below(SAFE.len())]);
                s.inputs.time_criticality = Some(SAFE[rng.below(SAFE.len())]);
                s.inputs.risk_reduction = Some(SAFE[rng.below(SAFE.len())]);
                s.inputs.job_size = Some(SAFE[rng.below(SAFE.len())]);
            }
            if s.id.0 > 10 && rng.below(50) == 0 {
                s.blocked_by = vec![StoryId(s.id.0 - 7)];
            }
            story
        })
        .collect();
    Backlog::from_parts(backlog.product.clone(), backlog.next_id(), stories)
        .expect("ids are distinct")
}

/// Scoring every story of a 100k backlog and proposing the order, beside
/// the floor under it: sorting as many scores, with nothing else.
fn bench_priority(c: &mut Criterion) {
    let mut group = c.benchmark_group("priority_100k");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    let backlog = prioritised(STORIES);
    let now = at(1_800_000_000);
    let scoring = Scoring::of(&backlog, now);
    for framework in [Framework::Wsjf, Framework::Weighted] {
        group.bench_function(format!("propose_{}", framework.key()), |b| {
            b.iter(|| priority::propose(black_box(&backlog), framework, &scoring));
        });
    }
    // A frame of the table with the WSJF column, beside the same frame
    // without it (both 120x40, the middle story selected).
    let mut app = app_in_the_middle(backlog.clone());
    let mut term = terminal();
    group.bench_function("frame_without_score", |b| {
        b.iter(|| {
            term.draw(|f| view::render(black_box(&app), f))
                .expect("draw");
        });
    });
    app.table.set_framework(Some(Framework::Wsjf));
    group.bench_function("frame_with_score", |b| {
        b.iter(|| {
            term.draw(|f| view::render(black_box(&app), f))
                .expect("draw");
        });
    });
    let mut rng = Lcg(7);
    let scores: Vec<(f64, usize)> = (0..STORIES)
        .map(|i| {
            (
                f64::from(u32::try_from(rng.below(1_000)).expect("small")),
                i,
            )
        })
        .collect();
    group.bench_function("sort_floor", |b| {
        b.iter_batched(
            || scores.clone(),
            |mut scores| {
                scores.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                scores
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

/// `backlog` with the release plan of a team two years in: 50 closed
/// sprints of two weeks (20 to 40 points each), and three releases with
/// their lines at a hundredth, a fifth and three fifths of the ranking.
fn with_release_plan(mut backlog: Backlog) -> Backlog {
    let mut rng = Lcg(0x51a7);
    let mut start = NaiveDate::from_ymd_opt(2024, 12, 2).expect("a day");
    for n in 0..50 {
        let name = format!("Sprint {}", n + 1);
        backlog
            .add_sprint(Sprint::new(&name, start))
            .expect("sprints follow one another");
        let points = 20.0 + f64::from(u32::try_from(rng.below(21)).expect("small"));
        backlog
            .close_sprint(&name, Some(points))
            .expect("an open sprint");
        start = start + Days::new(14);
    }
    for (name, share) in [("v1", 100), ("v2", 5), ("v3", 3)] {
        let due = NaiveDate::from_ymd_opt(2027, 6, 1).expect("a day");
        backlog
            .add_release(Release::new(name, Some(due)))
            .expect("a new release");
        let above = if name == "v3" {
            STORIES * share / 5
        } else {
            STORIES / share
        };
        backlog.place_line(name, above).expect("within the backlog");
    }
    backlog
}

/// The release forecast at 100,000 stories with 50 sprints of history
/// and three release lines: on its own, the plain move of a story, and
/// the two together, which is what a move costs before the lines can be
/// drawn where they now fall (the issue asks under 2 ms). Then the whole
/// of it through the TUI: the key, the forecast again, the frame.
fn bench_forecast(c: &mut Criterion) {
    let mut group = c.benchmark_group("forecast_100k");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).expect("a day");
    let mut backlog = with_release_plan(generate(STORIES));
    let forecast = Forecast::of(&backlog, today);
    assert!(
        forecast.velocity.is_some() && forecast.releases.len() == 3,
        "a velocity and three releases to forecast"
    );
    group.bench_function("forecast", |b| {
        b.iter(|| Forecast::of(black_box(&backlog), today));
    });
    // The floor under it: reading every story's estimate once, in rank
    // order, and adding them up.
    group.bench_function("walk_floor", |b| {
        b.iter(|| {
            black_box(&backlog)
                .ranked_briefs()
                .filter_map(backlog::model::Brief::points)
                .sum::<f64>()
        });
    });

    // Up then down by turns, so the story ends where it began.
    let middle = STORIES / 2;
    let mut up = true;
    let mut move_once = |backlog: &mut Backlog| {
        let (from, to) = if up {
            (middle, Move::Up)
        } else {
            (middle - 1, Move::Down)
        };
        up = !up;
        backlog.move_at(from, to).expect("a story there")
    };
    group.bench_function("move", |b| {
        b.iter(|| move_once(black_box(&mut backlog)));
    });
    group.bench_function("move_and_forecast", |b| {
        b.iter(|| {
            move_once(&mut backlog);
            Forecast::of(black_box(&backlog), today)
        });
    });

    let mut app = app_in_the_middle(backlog);
    let mut term = terminal();
    let mut up = true;
    group.bench_function("move_and_redraw_with_lines", |b| {
        b.iter(|| {
            app.update(by_turns(&mut up, Command::MoveUp, Command::MoveDown));
            term.draw(|f| view::render(black_box(&app), f))
                .expect("draw");
        });
    });
    // The roadmap pane shown and drawn: its plan (the forecast, the
    // burnup, each epic's progress) is worked out each time it is shown,
    // then the backlog pane again.
    let mut roadmap = true;
    group.bench_function("show_roadmap_and_draw", |b| {
        b.iter(|| {
            app.update(by_turns(
                &mut roadmap,
                Command::ShowPane4,
                Command::ShowPane1,
            ));
            term.draw(|f| view::render(black_box(&app), f))
                .expect("draw");
        });
    });
    group.finish();
}

/// A Monte Carlo release forecast of 10,000 runs over 50 closed sprints
/// (velocities of 20 to 40 points), for five targets up to about 500
/// sprints away at the mean velocity: about five million sprints drawn.
fn bench_monte_carlo(c: &mut Criterion) {
    let mut group = c.benchmark_group("forecast");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    let mut rng = Lcg(0xca51);
    let history: Vec<f64> = (0..50)
        .map(|_| 20.0 + f64::from(u32::try_from(rng.below(21)).expect("small")))
        .collect();
    let mean = history.iter().sum::<f64>() / 50.0;
    let targets: Vec<f64> = [30.0, 100.0, 250.0, 400.0, 500.0]
        .iter()
        .map(|sprints| sprints * mean)
        .collect();
    let simulation = Simulation {
        history: &history,
        targets: &targets,
        known: &[],
        runs: 10_000,
        seed: 1,
        horizon: 520,
    };
    let forecast = carlo::simulate(&simulation).expect("enough sprints");
    assert!(
        forecast.iter().all(|p| p.p95.is_some()),
        "every target is done within the horizon: {forecast:?}"
    );
    group.bench_function("monte_carlo_10000", |b| {
        b.iter(|| carlo::simulate(black_box(&simulation)));
    });
    // The floor under it: as many draws from the history as the runs
    // make (each run to the last target, about 500 sprints), added up.
    group.bench_function("draw_floor", |b| {
        b.iter(|| {
            let mut rng = fastrand::Rng::with_seed(1);
            let mut sum = 0.0;
            for _ in 0..10_000 * 500 {
                sum += history[rng.usize(..history.len())];
            }
            sum
        });
    });
    group.finish();
}

/// The text the search reads in each story, end to end: what one pass
/// of memchr over the same bytes, the floor beside the search, scans.
fn searched_text(backlog: &Backlog) -> Vec<u8> {
    let mut text = Vec::new();
    for story in backlog.ranked() {
        for field in [
            &story.title,
            &story.as_a,
            &story.i_want,
            &story.so_that,
            &story.description,
        ] {
            text.extend_from_slice(field.as_bytes());
        }
        for check in &story.acceptance_criteria {
            text.extend_from_slice(check.text.as_bytes());
        }
        for label in &story.labels {
            text.extend_from_slice(label.as_bytes());
        }
        text.extend_from_slice(story.epic.as_deref().unwrap_or_default().as_bytes());
    }
    text
}

/// Each key of a search typed letter by letter at 100,000 stories: the
/// first key tests every story, each further one the stories the key
/// before left. These run on the search's thread; what a key costs the
/// event loop itself is the handoff and a frame (`key_and_redraw`).
fn bench_search(c: &mut Criterion) {
    let mut group = c.benchmark_group("search_100k");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    let backlog = generate(STORIES);
    let word = "invoice";
    let mut shown: Option<Rows> = None;
    for typed in 1..=word.len() {
        let filter = Filter {
            query: word[..typed].to_string(),
            ..Filter::default()
        };
        let name = format!("rows/{}", &word[..typed]);
        match &shown {
            None => group.bench_function(&name, |b| {
                b.iter(|| Rows::counted(black_box(&backlog), black_box(&filter)));
            }),
            Some(before) => group.bench_function(&name, |b| {
                b.iter(|| black_box(before).narrowed_counted(black_box(&backlog), &filter));
            }),
        };
        shown = Some(match &shown {
            None => Rows::compute(&backlog, &filter),
            Some(before) => before.narrowed(&backlog, &filter),
        });
    }
    // A word in no story: every story read to its end, in every field.
    let nowhere = Filter {
        query: "zqxj".to_string(),
        ..Filter::default()
    };
    group.bench_function("rows/zqxj", |b| {
        b.iter(|| Rows::counted(black_box(&backlog), black_box(&nowhere)));
    });

    // The floor: one pass of memchr over the same text, for a byte that
    // is not in it.
    let text = searched_text(&backlog);
    group.bench_function("memchr_floor", |b| {
        b.iter(|| memchr::memchr(0, black_box(&text)));
    });

    // A key as the event loop has it: the letter shows, the search is
    // handed to a thread (a copy of the backlog goes with it), and the
    // screen is drawn. Freeing the copy is the thread's, so left out.
    let mut app = app_in_the_middle(backlog);
    let mut term = terminal();
    app.update(Command::Search);
    app.update(Action::Input(KeyEvent::from(KeyCode::Char('i'))));
    let mut typing = true;
    group.bench_function("key_and_redraw", |b| {
        b.iter_with_large_drop(|| {
            let key = if typing {
                KeyCode::Char('n')
            } else {
                KeyCode::Backspace
            };
            typing = !typing;
            app.update(Action::Input(KeyEvent::from(key)));
            term.draw(|f| view::render(black_box(&app), f))
                .expect("draw");
            app.take_search().expect("a search handed out")
        });
    });

    // An undo and a redo by turns, the search on: the rows cannot follow
    // an undo, so they are worked out on a thread, as a search typed is.
    backlog::tui::handle_key(&mut app, KeyEvent::from(KeyCode::Enter));
    if let Some(job) = app.take_search() {
        app.update(job.run());
    }
    app.update(Command::MoveDown);
    let mut undoing = true;
    group.bench_function("undo_and_redraw", |b| {
        b.iter_with_large_drop(|| {
            app.update(by_turns(&mut undoing, Command::Undo, Command::Redo));
            term.draw(|f| view::render(black_box(&app), f))
                .expect("draw");
            app.take_search().expect("a search handed out")
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // Plots take a while to draw and nobody reads them here.
    config = Criterion::default().without_plots();
    targets = bench_store, bench_save, bench_tui, bench_bulk_move, bench_huge_story, bench_model, bench_priority,
        bench_monte_carlo, bench_forecast, bench_search
}
criterion_main!(benches);
