//! The git merge driver on two 10,000-story files with 100 changes on
//! each side: edits, moves and new stories (whose ids collide, so theirs
//! are renumbered), as `git merge` runs it: read three files, merge,
//! write ours. The issue asks for well under half a second.
//!
//! Run with `cargo bench --bench merge_driver`; see BENCHMARKS.md.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use backlog::cli::{Command, MergeDriverArgs, run};
use backlog::model::{Backlog, Move, Placement, Points, StoryId, StoryPatch};
use backlog::store;
use chrono::{TimeZone, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

mod common;
use common::{Lcg, VERBS};

/// Stories in each file.
const STORIES: usize = 10_000;

/// Changes on each side.
const CHANGES: usize = 100;

fn base() -> Backlog {
    let now = Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap();
    let mut rng = Lcg(0x5eed);
    let mut backlog = Backlog::new("Back office");
    for i in 0..STORIES {
        let title = format!("{} report {i}", rng.pick(VERBS));
        backlog
            .add(&StoryPatch::title(title), Placement::Bottom, now)
            .expect("a title");
    }
    backlog
}

/// `base` with `CHANGES` changes: a third edits (`field` says which),
/// a third moves, a third adds.
fn changed(base: &Backlog, seed: u64, titles: bool) -> Backlog {
    let now = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
    let mut rng = Lcg(seed);
    let mut side = base.clone();
    for change in 0..CHANGES {
        let id = StoryId(u64::try_from(rng.below(STORIES)).expect("small") + 1);
        match change % 3 {
            0 if titles => {
                let patch = StoryPatch::title(format!("{} ledger {change}", rng.pick(VERBS)));
                side.edit(id, &patch, now).expect("an edit");
            }
            0 => {
                let patch = StoryPatch {
                    points: Some(Some(Points::new(3.0).expect("an estimate"))),
                    ..StoryPatch::default()
                };
                side.edit(id, &patch, now).expect("an edit");
            }
            1 => {
                side.move_story(id, Move::To(rng.below(STORIES) + 1))
                    .expect("a move");
            }
            _ => {
                let title = format!("New {} {change}", rng.pick(VERBS));
                side.add(&StoryPatch::title(title), Placement::Top, now)
                    .expect("a new story");
            }
        }
    }
    side
}

fn bench_merge_driver(c: &mut Criterion) {
    let base = base();
    let ours = changed(&base, 1, true);
    let theirs = changed(&base, 2, false);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = |name: &str| dir.path().join(name);
    store::save(&path("base.json"), &base).expect("setup save");
    store::save(&path("theirs.json"), &theirs).expect("setup save");
    let ours_text = store::to_json(&ours);
    let args = MergeDriverArgs {
        base: path("base.json"),
        ours: path("ours.json"),
        theirs: path("theirs.json"),
        path: Some("backlog.json".into()),
        ours_by: None,
        theirs_by: None,
    };
    let command = Command::MergeDriver(args);
    let write_ours = |at: &Path| std::fs::write(at, &ours_text).expect("setup write");

    let mut group = c.benchmark_group("merge_driver_10k");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("100_changes_each_side", |b| {
        b.iter_batched(
            || write_ours(&path("ours.json")),
            |()| {
                let mut out = Vec::new();
                // No clash: the sides edit different fields.
                run(black_box(&command), &path("unused.json"), &mut out).expect("merged");
                out
            },
            BatchSize::PerIteration,
        );
    });
    // The floor: what any driver must do, read and parse the three files
    // and write ours once, with no merging.
    group.bench_function("floor_read_three_write_one", |b| {
        b.iter_batched(
            || write_ours(&path("ours.json")),
            |()| {
                let sides = ["base.json", "ours.json", "theirs.json"]
                    .map(|name| store::load(&path(name)).expect("a backlog").backlog);
                store::save(&path("ours.json"), black_box(&sides[1])).expect("saved");
                sides
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, bench_merge_driver);
criterion_main!(benches);
