//! Git's merge driver, and the clashes it leaves: `merge-driver`,
//! `conflicts` and `resolve-conflict`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use chrono::{DateTime, Utc};
use clap::Args;
use serde_json::Value;

use super::update;
use crate::model::{Backlog, Clash, Settle, StoryId, merge_files_by};
use crate::store;
use crate::text::one_line;
use crate::words::count;

/// What git hands its merge driver (`%O %A %B %P`, and the sides' names).
#[derive(Debug, Args)]
pub struct MergeDriverArgs {
    /// The common ancestor's version (git's %O)
    pub base: PathBuf,
    /// Our version, where the merged file is written (git's %A)
    pub ours: PathBuf,
    /// Their version (git's %B)
    pub theirs: PathBuf,
    /// The data file's path in the repository (git's %P), for messages
    pub path: Option<String>,
    /// Who our side is, for the clashes (git's %X)
    #[arg(long, value_name = "NAME")]
    pub ours_by: Option<String>,
    /// Who their side is, for the clashes (git's %Y)
    #[arg(long, value_name = "NAME")]
    pub theirs_by: Option<String>,
}

/// How `resolve-conflict` settles a clash.
#[derive(Debug, Args)]
pub struct ResolveConflictArgs {
    /// The story, e.g. S-12; or `product` for a clash on the product, its
    /// settings, an epic, a release, a sprint or a feedback item
    pub what: String,
    /// The field, as `backlog conflicts` lists it: title, points, deleted,
    /// …; for the product vision (or product.vision), settings.scale,
    /// epic:NAME, release:NAME, …
    pub field: String,
    #[command(flatten)]
    pub settle: SettleArgs,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct SettleArgs {
    /// Keep our side's value (the one the file holds)
    #[arg(long)]
    pub ours: bool,
    /// Take their side's value
    #[arg(long)]
    pub theirs: bool,
    /// Take this value instead: text for a text field, else JSON as the
    /// file spells the field
    #[arg(long, value_name = "TEXT")]
    pub value: Option<String>,
}

/// Read a side git hands the driver. The base may be empty: git gives an
/// empty ancestor when both sides added the file.
fn read_side(path: &Path, may_be_empty: bool) -> Result<Backlog> {
    let text = store::read(path)?.unwrap_or_default();
    if may_be_empty && text.trim().is_empty() {
        return Ok(Backlog::default());
    }
    store::parse(path, &text).context("it is not a backlog file this backlog can merge")
}

/// Merge the three versions git hands over and write the result over
/// ours. Clashes are an error after the file is written, so git marks
/// the path conflicted; any other error leaves ours as it was.
///
/// # Errors
/// When a side cannot be read, the result cannot be written, or the
/// merge recorded clashes.
pub fn merge_driver(args: &MergeDriverArgs, out: &mut dyn Write) -> Result<()> {
    let base = read_side(&args.base, true)?;
    let ours = read_side(&args.ours, false)?;
    let theirs = read_side(&args.theirs, false)?;
    let mut merged = merge_files_by(
        &base,
        &ours,
        &theirs,
        args.ours_by.as_deref(),
        args.theirs_by.as_deref(),
    );
    name_the_sides(&mut merged.backlog, args);
    store::write_atomically(&args.ours, store::to_json(&merged.backlog).as_bytes())?;
    let path = args
        .path
        .clone()
        .unwrap_or_else(|| args.ours.display().to_string());
    for (old, new) in &merged.renumbered {
        writeln!(out, "{path}: their new story {old} is now {new}")?;
    }
    let clashes = merged.backlog.clashes().len();
    if clashes > 0 {
        bail!(
            "{path}: {} both sides changed differently; ours are kept in the file. \
             `backlog conflicts` lists them, `backlog resolve-conflict` settles each, \
             then `git add {path}`",
            count(clashes, "field", "fields"),
        );
    }
    Ok(())
}

/// The clashes this merge recorded name each side as git did (`HEAD`, a
/// hash): they name who made it too. Git is asked once a side, and only
/// when a clash names that side, so a merge with no clash runs no git.
fn name_the_sides(backlog: &mut Backlog, args: &MergeDriverArgs) {
    let ours = std::cell::OnceCell::new();
    let theirs = std::cell::OnceCell::new();
    let named =
        |by: &mut Option<String>, label: &Option<String>, name: &std::cell::OnceCell<String>| {
            if let (Some(label), true) = (label, *by == *label) {
                *by = Some(name.get_or_init(|| who(label)).clone());
            }
        };
    let renamed: Vec<Clash> = backlog
        .clashes()
        .iter()
        .filter(|c| {
            (args.ours_by.is_some() && c.ours_by == args.ours_by)
                || (args.theirs_by.is_some() && c.theirs_by == args.theirs_by)
        })
        .cloned()
        .map(|mut clash| {
            named(&mut clash.ours_by, &args.ours_by, &ours);
            named(&mut clash.theirs_by, &args.theirs_by, &theirs);
            clash
        })
        .collect();
    if !renamed.is_empty() {
        backlog
            .record_clashes(renamed)
            .expect("the clashes name stories the backlog has");
    }
}

/// A side as git names it (`HEAD`, a branch, a commit's hash) with who
/// made its last commit, so a clash says whose each side is: `Ann, HEAD`,
/// `Ben, 4f2c1a9`. Git runs the driver at the work tree's top; a name it
/// cannot read as a commit (a criss-cross merge's virtual base) is kept
/// as it is.
fn who(label: &str) -> String {
    if label.is_empty() || label.starts_with('-') {
        return label.to_string();
    }
    let revision = format!("{label}^{{commit}}");
    let asked = super::git::run(
        Path::new("."),
        &["log", "-1", "--format=%an%x00%h", &revision, "--"],
    );
    let Ok(ran) = asked else {
        return label.to_string();
    };
    let Some((author, short)) = ran.stdout.trim_end().split_once('\0') else {
        return label.to_string();
    };
    if !ran.ok || author.is_empty() {
        return label.to_string();
    }
    // A hash reads better short; a name is kept as the user knows it.
    let named = if label.len() >= 40 && label.bytes().all(|b| b.is_ascii_hexdigit()) {
        short
    } else {
        label
    };
    format!("{author}, {named}")
}

/// One value of a clash, on one line.
fn shown(value: &Value) -> String {
    one_line(&value.to_string()).into_owned()
}

/// What the clash is on: the story, or the product.
fn subject(clash: &Clash) -> String {
    clash
        .story
        .map_or_else(|| "product".to_string(), |id| id.to_string())
}

/// List the clashes a merge left.
///
/// # Errors
/// When the file cannot be read or the output written.
pub fn conflicts(backlog: &Backlog, json: bool, out: &mut dyn Write) -> Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, backlog.clashes())?;
        writeln!(out)?;
        return Ok(());
    }
    if backlog.clashes().is_empty() {
        writeln!(out, "No clashes.")?;
        return Ok(());
    }
    for clash in backlog.clashes() {
        let by = |who: &Option<String>| {
            who.as_deref()
                .map_or_else(String::new, |who| format!(" ({})", one_line(who)))
        };
        writeln!(out, "{} {}", subject(clash), one_line(&clash.field))?;
        writeln!(out, "  base:   {}", shown(&clash.base))?;
        writeln!(
            out,
            "  ours:   {}{}",
            shown(&clash.ours),
            by(&clash.ours_by)
        )?;
        writeln!(
            out,
            "  theirs: {}{}",
            shown(&clash.theirs),
            by(&clash.theirs_by)
        )?;
    }
    Ok(())
}

/// The clash's subject as the command line names it.
fn story_of(what: &str) -> Result<Option<StoryId>> {
    if what.eq_ignore_ascii_case("product") {
        return Ok(None);
    }
    what.parse::<StoryId>().map(Some).map_err(|e| {
        anyhow!("{e}; name a story (e.g. S-12) or `product` for a clash on the product")
    })
}

/// A product field as the clash names it: the product's own parts may
/// be named without `product.`.
fn product_field(field: &str) -> String {
    match field {
        "name" | "vision" | "goals" | "past_sprints" => format!("product.{field}"),
        other => other.to_string(),
    }
}

/// Settle one clash, as one change to the file.
///
/// # Errors
/// When there is no such clash or the value does not fit the field; the
/// file is left as it was.
pub fn resolve_conflict(
    args: &ResolveConflictArgs,
    path: &Path,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<()> {
    let story = story_of(&args.what)?;
    let field = if story.is_none() {
        product_field(&args.field)
    } else {
        args.field.clone()
    };
    let what = story.map_or_else(|| "the product".to_string(), |id| id.to_string());
    let left = update(path, |backlog| {
        let clash = backlog
            .clashes()
            .iter()
            .find(|c| c.is(story, &field))
            .ok_or_else(|| {
                anyhow!("{what} has no clash on {field:?}; `backlog conflicts` lists them")
            })?;
        let settle = match (&args.settle.value, args.settle.theirs) {
            (Some(text), _) => Settle::Value(clash.value_typed(text).map_err(|e| anyhow!(e))?),
            (None, true) => Settle::Theirs,
            (None, false) => Settle::Ours,
        };
        backlog.settle_clash(story, &field, settle, now)?;
        Ok(backlog.clashes().len())
    })?;
    let side = match (&args.settle.value, args.settle.theirs) {
        (Some(_), _) => "your value",
        (None, true) => "theirs",
        (None, false) => "ours",
    };
    writeln!(out, "Settled {what}'s {} with {side}.", one_line(&field))?;
    if left == 0 {
        writeln!(
            out,
            "No clashes are left: `git add {}` finishes the merge.",
            path.display()
        )?;
    } else {
        writeln!(out, "{} left.", count(left, "clash", "clashes"))?;
    }
    Ok(())
}
