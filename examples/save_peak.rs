//! How much memory and time one save takes at a given size: the TUI's
//! (through its session, with one story changed) and a CLI write of one
//! story (`store::update`). For BENCHMARKS.md; the criterion benches time
//! the same at 100k, this one also reaches a million stories.
//!
//! ```sh
//! cargo run --release --example save_peak -- make 1000000 /tmp/1m.json
//! cargo run --release --example save_peak -- tui /tmp/1m.json
//! cargo run --release --example save_peak -- cli /tmp/1m.json
//! ```
//!
//! `make` writes a backlog of that many stories of about 1.1 KB each;
//! each other run is a process of its own, so its peak is its own. The
//! peak is the kernel's high-water mark of resident memory (`VmHWM`),
//! reset just before the save, so what loading took is left out of it.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use backlog::model::{Backlog, StoryId, StoryPatch};
use backlog::store;
use chrono::Utc;

#[path = "../benches/common/mod.rs"]
mod common;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["make", stories, path] => make(stories.parse()?, Path::new(path)),
        ["tui", path] => tui(Path::new(path)),
        ["cli", path] => cli(Path::new(path)),
        _ => bail!("usage: save_peak make STORIES FILE | tui FILE | cli FILE"),
    }
}

/// The benches' backlog of real-looking stories (`benches/common`).
fn make(stories: usize, path: &Path) -> Result<()> {
    store::save(path, &common::backlog(stories))?;
    let size = std::fs::metadata(path)?.len();
    println!(
        "{stories} stories: {size} bytes, {} a story",
        size / stories.max(1) as u64
    );
    Ok(())
}

/// The TUI's way: open a session, change one story, save; then save
/// again at once, as the next change would be within the file system's
/// time grain (the file is hashed then, not read back).
fn tui(path: &Path) -> Result<()> {
    let (mut session, mut backlog) = store::Session::open(path)?;
    let middle = StoryId(backlog.len() as u64 / 2);
    for round in ["first", "second"] {
        change(&mut backlog, middle, round)?;
        let before = resident()?;
        reset_peak()?;
        let start = Instant::now();
        let outcome = session.save(&backlog);
        let took = start.elapsed();
        if outcome != store::Outcome::Saved {
            bail!("the save did not save: {outcome:?}");
        }
        report(&format!("tui save, {round}"), took, before)?;
    }
    println!("reads: {:?}", session.reads());
    Ok(())
}

/// A CLI write: load under the lock, change one story, save.
fn cli(path: &Path) -> Result<()> {
    let before = resident()?;
    reset_peak()?;
    let start = Instant::now();
    store::update(path, |backlog| {
        let middle = StoryId(backlog.len() as u64 / 2);
        change(backlog, middle, "cli")
    })?;
    report("cli update", start.elapsed(), before)
}

fn change(backlog: &mut Backlog, story: StoryId, what: &str) -> Result<()> {
    let patch = StoryPatch {
        title: Some(format!("Changed by the {what} save")),
        add_criteria: vec![what.to_string()],
        ..StoryPatch::default()
    };
    backlog.edit(story, &patch, Utc::now())?;
    Ok(())
}

fn report(what: &str, took: std::time::Duration, before: u64) -> Result<()> {
    println!(
        "{what}: {:.3} s; resident before {} MB, peak during {} MB",
        took.as_secs_f64(),
        before / 1024,
        peak()? / 1024
    );
    Ok(())
}

/// A field of /proc/self/status, in kB.
fn status(field: &str) -> Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .with_context(|| format!("no {field} in /proc/self/status"))?;
    Ok(line.trim().trim_end_matches(" kB").trim().parse()?)
}

fn resident() -> Result<u64> {
    status("VmRSS:")
}

fn peak() -> Result<u64> {
    status("VmHWM:")
}

/// Start the high-water mark again from what is resident now (Linux).
fn reset_peak() -> Result<()> {
    std::fs::write("/proc/self/clear_refs", "5").context("cannot reset the peak")
}
