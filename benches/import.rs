//! Benchmark of `backlog import` at the size of a real export: 17,195
//! GitLab issues in 33 CSV files, 15 MB in all, most of it long Markdown
//! descriptions (the target: under 2 s in all on a 2-core machine). The
//! files are generated in the same shape, and imported through the same
//! function the command runs, into a new data file each time. Beside it,
//! the same stories as one backlog file (`export --format json`) added to
//! a backlog: the import without the CSV readers.
//!
//! Run with `cargo bench --bench import`; see BENCHMARKS.md for targets.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use backlog::cli::ImportArgs;
use backlog::cli::import::import;
use backlog::interchange::import::apply::Target;
use backlog::model::{Backlog, Placement, StoryPatch};
use backlog::store;
use chrono::{DateTime, TimeZone, Utc};
use criterion::{BatchSize, Criterion, SamplingMode, criterion_group, criterion_main};

mod common;
use common::{Lcg, VERBS};

/// Issues in the export, and the files they came in.
const ISSUES: usize = 17_195;
const FILES: usize = 33;

const OBJECTS: &[&str] = &[
    "monthly invoices",
    "customer contacts",
    "open support tickets",
    "warehouse stock levels",
    "release notes",
    "team calendars",
    "payment reminders",
    "audit logs",
];
const WORDS: &[&str] = &[
    "the", "customer", "wants", "to", "see", "report", "with", "every", "line", "and", "total",
    "page", "when", "filter", "is", "set", "so", "that", "finance", "can", "close", "month",
    "without", "asking", "support", "again", "export", "shows", "date", "amount", "status",
];
const STATES: &[&str] = &["opened", "opened", "opened", "closed"];
const LABELS: &[&str] = &[
    "backend",
    "frontend",
    "UX",
    "api",
    "bug",
    "feature",
    "performance",
    "security",
    "workflow::ready",
    "priority::high",
];

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000 + seconds, 0)
        .single()
        .expect("a valid time")
}

/// A sentence of `n` words.
fn sentence(rng: &mut Lcg, n: usize) -> String {
    let mut text = String::new();
    for i in 0..n {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(rng.pick(WORDS));
    }
    text
}

/// A long Markdown description, as GitLab issues have: headings, a list,
/// a task list, a code block, a quote, commas and quotes to escape.
fn description(rng: &mut Lcg) -> String {
    let mut text = String::new();
    let words = 18 + rng.below(20);
    let _ = writeln!(text, "## Summary\n\n{}.\n", sentence(rng, words));
    let _ = writeln!(text, "## Steps\n");
    for step in 1..=2 + rng.below(4) {
        let _ = writeln!(
            text,
            "{step}. {}, then \"{}\"",
            sentence(rng, 6),
            sentence(rng, 3)
        );
    }
    let _ = writeln!(text, "\n## Acceptance\n");
    for _ in 0..2 + rng.below(3) {
        let _ = writeln!(text, "- [ ] {}", sentence(rng, 7));
    }
    let _ = writeln!(
        text,
        "\n```sql\nSELECT id, total FROM invoices WHERE month = '2026-11';\n```\n"
    );
    let words = 12 + rng.below(10);
    let _ = write!(text, "> {}", sentence(rng, words));
    text
}

/// A CSV field, quoted, its quotes doubled.
fn quoted(field: &str) -> String {
    format!("\"{}\"", field.replace('"', "\"\""))
}

/// The export's 33 files in `dir`, in the columns of GitLab's CSV export
/// of issues.
fn generate(dir: &Path) -> Vec<PathBuf> {
    let mut rng = Lcg(17_195);
    let mut paths = Vec::with_capacity(FILES);
    let mut bytes = 0;
    for file in 0..FILES {
        let mut text = String::from(
            "Title,Description,Issue ID,URL,State,Author,Author Username,Assignee,\
             Assignee Username,Confidential,Locked,Due Date,Created At (UTC),Updated At (UTC),\
             Closed At (UTC),Milestone,Weight,Labels,Time Estimate,Time Spent,Epic ID,Epic Title\n",
        );
        let first = file * ISSUES / FILES;
        let last = (file + 1) * ISSUES / FILES;
        for iid in first + 1..=last {
            let title = format!(
                "{} {} for {} (#{iid})",
                rng.pick(VERBS),
                rng.pick(OBJECTS),
                rng.pick(&["finance", "support", "sales", "the warehouse"])
            );
            let labels: Vec<&str> = (0..rng.below(4)).map(|_| rng.pick(LABELS)).collect();
            let created = at(i64::try_from(iid).expect("small") * 3_600);
            let weight = if rng.below(3) == 0 {
                String::new()
            } else {
                ["1", "2", "3", "5", "8"][rng.below(5)].to_string()
            };
            let epic = rng.below(40);
            let _ = writeln!(
                text,
                "{},{},{iid},https://gitlab.example.com/shop/web/-/issues/{iid},{},Ann Lee,ann,\
                 Bo Chen,bo,No,No,,{},{},,Release {},{weight},{},,,{epic},{}",
                quoted(&title),
                quoted(&description(&mut rng)),
                rng.pick(STATES),
                created.format("%Y-%m-%d %H:%M:%S"),
                created.format("%Y-%m-%d %H:%M:%S"),
                1 + iid % 12,
                quoted(&labels.join(",")),
                quoted(&format!("Epic {epic}")),
            );
        }
        bytes += text.len();
        let path = dir.join(format!("issues-{:02}.csv", file + 1));
        std::fs::write(&path, text).expect("write a generated file");
        paths.push(path);
    }
    eprintln!("{ISSUES} issues in {FILES} files: {bytes} bytes");
    paths
}

/// The same issues as one backlog file, as `export --format json` writes
/// it.
fn as_backlog_file(dir: &Path) -> PathBuf {
    let mut rng = Lcg(17_195);
    let mut backlog = Backlog::new("Web shop");
    for iid in 1..=ISSUES {
        let patch = StoryPatch {
            title: Some(format!(
                "{} {} (#{iid})",
                rng.pick(VERBS),
                rng.pick(OBJECTS)
            )),
            description: Some(description(&mut rng)),
            labels: Some(vec![rng.pick(LABELS).to_string()]),
            ..StoryPatch::default()
        };
        backlog
            .add(&patch, Placement::Bottom, at(0))
            .expect("a generated story");
    }
    let path = dir.join("web-shop.json");
    store::save(&path, &backlog).expect("save the generated backlog");
    path
}

fn args(files: Vec<PathBuf>) -> ImportArgs {
    ImportArgs {
        files,
        format: None,
        into: Target::Backlog,
        map: Vec::new(),
        update: false,
        top: false,
        source: None,
    }
}

/// A new data file in a folder of its own, holding one story, so an
/// imported backlog file is added to it rather than restored.
fn fresh(one_story: bool) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("backlog.json");
    if one_story {
        let mut backlog = Backlog::new("Ours");
        backlog
            .add(&StoryPatch::title("Ours"), Placement::Bottom, at(0))
            .expect("a story");
        store::save(&path, &backlog).expect("save");
    }
    (dir, path)
}

fn bench_import(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let csv = generate(dir.path());
    let json = as_backlog_file(dir.path());
    let now = at(100_000_000);
    let mut group = c.benchmark_group("import");
    // Each import takes around a second: a few flat samples.
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(20));
    // The floors, measured in the same run: reading the 33 files once,
    // and saving the backlog the import makes of them once.
    group.bench_function("floor_read_33_files", |b| {
        b.iter(|| {
            csv.iter()
                .map(|f| std::fs::read(f).expect("read").len())
                .sum::<usize>()
        });
    });
    let (_imported_dir, imported) = fresh(false);
    import(
        &args(csv.clone()),
        &imported,
        now,
        &mut std::io::sink(),
        false,
    )
    .expect("import");
    let made = store::load(&imported).expect("load").backlog;
    group.bench_function("floor_save_17k_imported", |b| {
        b.iter_batched(
            || fresh(false),
            |(_dir, path)| store::save(&path, &made).expect("save"),
            BatchSize::PerIteration,
        );
    });
    let gitlab = args(csv);
    group.bench_function("gitlab_csv_17k_in_33_files", |b| {
        b.iter_batched(
            || fresh(false),
            |(_dir, path)| {
                import(&gitlab, &path, now, &mut std::io::sink(), false).expect("import");
            },
            BatchSize::PerIteration,
        );
    });
    let backlog_file = args(vec![json]);
    group.bench_function("backlog_json_17k_added", |b| {
        b.iter_batched(
            || fresh(true),
            |(_dir, path)| {
                import(&backlog_file, &path, now, &mut std::io::sink(), false).expect("import");
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // Plots take a while to draw and nobody reads them here.
    config = Criterion::default().without_plots();
    targets = bench_import
}
criterion_main!(benches);
