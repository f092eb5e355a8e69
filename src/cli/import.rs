//! `backlog import`: stories and customer issues from other trackers'
//! files (or another backlog file) into the backlog or the inbox, as one
//! change to the data file, with a summary on standard error.
//!
//! Every file is read, and its format told, before the data file is
//! touched: a file that cannot be read at all stops the whole import, so
//! nothing comes in from some files and not from others. Within a file,
//! a row that cannot be read is skipped and told of; the rest come in.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::update_if_changed;
use crate::interchange::import::apply::{
    self, Content, FileSummary, Input, Options, Summary, Target,
};
use crate::interchange::import::{self, Field, Format, Mapping};
use crate::store;
use crate::text::one_line;
use crate::words::count;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The files to import: CSV (Jira's and Linear's exports among them),
    /// GitHub or GitLab issues JSON, Taskwarrior's `task export`, or a
    /// backlog file (`backlog export --format json`)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The format of every file: csv, jira, linear, github, gitlab,
    /// taskwarrior or json (a backlog file); told from each file's content
    /// when not given
    #[arg(long, value_name = "F", value_parser = format_named)]
    pub format: Option<Format>,
    /// Where the records go: backlog (as stories) or inbox (as customer
    /// feedback)
    #[arg(long, value_name = "WHERE", value_parser = target_named, default_value = "backlog")]
    pub into: Target,
    /// Read a field from a CSV column of your naming, over the mapping by
    /// header, e.g. --map points=Size (repeat for more)
    #[arg(long = "map", value_name = "FIELD=COLUMN", value_parser = field_column)]
    pub map: Vec<(Field, String)>,
    /// Refresh stories and items already here from the source, field by
    /// field; a field changed here since the last import is kept
    #[arg(long)]
    pub update: bool,
    /// Put the new stories above the backlog instead of below it
    #[arg(long)]
    pub top: bool,
    /// Name the source the records come from, over the one the file gives
    /// (a plain CSV's is its file name): the same source imported again,
    /// under another file name, adds nothing
    #[arg(long, value_name = "NAME", value_parser = source_named)]
    pub source: Option<String>,
}

fn source_named(text: &str) -> Result<String, String> {
    let name = text.trim();
    if name.is_empty() {
        return Err("a source needs a name".into());
    }
    Ok(name.to_string())
}

/// The import's progress is shown from this many records on: below it an
/// import is over before a bar would tell anything.
const BAR_FROM: usize = 300;

/// How many problems the summary lists; the rest are counted.
const PROBLEMS_LISTED: usize = 20;

/// How many story or item ids a line of the summary lists.
const IDS_LISTED: usize = 10;

/// Import `args.files` into the data file at `path`, as one change, and
/// write the summary to `report` (standard error, for the command). With
/// `bar`, a progress bar is drawn on standard error once the files hold
/// more than a few hundred records.
///
/// # Errors
/// When a file cannot be read, or its format told, or nothing at all
/// could be read from the files, or the data file cannot be read or
/// written. Nothing is imported then.
pub fn import(
    args: &ImportArgs,
    path: &Path,
    now: DateTime<Utc>,
    report: &mut dyn Write,
    bar: bool,
) -> Result<()> {
    if let Some(file) = args.files.iter().find(|f| same_file(f, path)) {
        bail!(
            "{} is the data file itself: its stories are here already",
            file.display()
        );
    }
    let progress = Progress::new(bar);
    let mapping = Mapping {
        columns: args.map.clone(),
    };
    let mut inputs = read_all(&args.files, args.format, &mapping, &progress)?;
    if let Some(source) = &args.source {
        for input in &mut inputs {
            if let Content::Records(read) = &mut input.content {
                for record in &mut read.records {
                    record.source.clone_from(source);
                }
            }
        }
    }
    nothing_read(&inputs)?;
    let total = inputs.iter().map(size).sum();
    progress.applying(total);
    let options = Options {
        target: args.into,
        update: args.update,
        top: args.top,
        now,
    };
    let mut summary = None;
    update_if_changed(path, |backlog| {
        let done = apply::apply(backlog, inputs, &options, &mut || progress.tick())
            .map_err(anyhow::Error::msg)?;
        progress.saving();
        let changed = done.changed();
        summary = Some(done);
        Ok(changed.then_some(()))
    })?;
    progress.finish();
    if let Some(summary) = summary {
        report.write_all(summary_text(&summary).as_bytes())?;
    }
    Ok(())
}

/// Whether `file` is the data file at `path`, however either is named.
fn same_file(file: &Path, path: &Path) -> bool {
    match (file.canonicalize(), path.canonicalize()) {
        (Ok(file), Ok(path)) => file == path,
        _ => false,
    }
}

/// Records, stories and items a file holds.
fn size(input: &Input) -> usize {
    match &input.content {
        Content::Records(read) => read.records.len(),
        Content::Backlog(backlog) => backlog.len() + backlog.feedback().len(),
    }
}

/// Refuse an import in which not one record could be read: every file a
/// tracker's with no rows, or none but rows that could not be read.
fn nothing_read(inputs: &[Input]) -> Result<()> {
    let mut problems = String::new();
    for input in inputs {
        match &input.content {
            Content::Backlog(_) => return Ok(()),
            Content::Records(read) if !read.records.is_empty() => return Ok(()),
            Content::Records(read) => {
                for problem in &read.problems {
                    let _ = write!(
                        problems,
                        "\n{}:{}: {}",
                        one_line(&input.name),
                        problem.line,
                        one_line(&problem.what)
                    );
                }
            }
        }
    }
    let files: Vec<String> = inputs
        .iter()
        .map(|i| one_line(&i.name).into_owned())
        .collect();
    bail!(
        "nothing could be read from {}: no story or issue came in{problems}",
        files.join(", ")
    )
}

/// Read every file, in parallel, and tell its format. All or nothing:
/// the first file (in the order given) that cannot be read is the error.
fn read_all(
    files: &[PathBuf],
    format: Option<Format>,
    mapping: &Mapping,
    progress: &Progress,
) -> Result<Vec<Input>> {
    let sizes: Vec<u64> = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .collect();
    progress.reading(sizes.iter().sum());
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(files.len());
    let mut read: Vec<(usize, Result<Input, String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let at = next.fetch_add(1, Ordering::Relaxed);
                        let Some(file) = files.get(at) else {
                            return done;
                        };
                        let input = read_one(file, format, mapping);
                        progress.read(sizes[at], input.as_ref().map_or(0, size));
                        done.push((at, input));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a file's reader does not panic"))
            .collect()
    });
    read.sort_by_key(|(at, _)| *at);
    let mut inputs = Vec::with_capacity(read.len());
    let mut refused = Vec::new();
    for (_, input) in read {
        match input {
            Ok(input) => inputs.push(input),
            Err(why) => refused.push(why),
        }
    }
    if !refused.is_empty() {
        progress.finish();
        bail!(
            "{}\nnothing was imported: fix or leave out {}",
            refused.join("\n"),
            if refused.len() == 1 {
                "that file"
            } else {
                "those files"
            }
        );
    }
    Ok(inputs)
}

/// Read one file as `format`, or as the format its content tells.
fn read_one(file: &Path, format: Option<Format>, mapping: &Mapping) -> Result<Input, String> {
    let name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {name}: {e}"))?;
    let format = format
        .or_else(|| is_backlog_file(&bytes).then_some(Format::Backlog))
        .or_else(|| import::detect(&bytes))
        .ok_or_else(|| {
            format!(
                "{name}: its format cannot be told from its content; name it with --format \
                 ({})",
                format_names()
            )
        })?;
    let content = if format == Format::Backlog {
        Content::Backlog(Box::new(backlog_file(&name, bytes)?))
    } else {
        Content::Records(import::read(&bytes, format, mapping, &name)?)
    };
    Ok(Input {
        name,
        format,
        content,
    })
}

/// Whether `bytes` look like a backlog file: a JSON object whose first
/// field is the schema, as every build writes it.
fn is_backlog_file(bytes: &[u8]) -> bool {
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut rest = text.trim_ascii_start();
    let Some(after) = rest.strip_prefix(b"{") else {
        return false;
    };
    rest = after.trim_ascii_start();
    rest.starts_with(b"\"schema\"")
}

/// A backlog file's bytes, read as the data file is.
fn backlog_file(name: &str, bytes: Vec<u8>) -> Result<crate::model::Backlog, String> {
    let text = store::decode(&name, bytes).map_err(|e| e.to_string())?;
    store::from_json(&text).map_err(|e| format!("cannot read {name} as a backlog file: {e}"))
}

/// The names `--format` takes.
fn format_names() -> String {
    let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
    names.join(", ")
}

fn format_named(text: &str) -> Result<Format, String> {
    Format::ALL
        .into_iter()
        .find(|f| f.as_str() == text.trim().to_lowercase())
        .ok_or_else(|| format!("unknown format {text:?} (expected {})", format_names()))
}

fn target_named(text: &str) -> Result<Target, String> {
    match text.trim().to_lowercase().as_str() {
        "backlog" => Ok(Target::Backlog),
        "inbox" => Ok(Target::Inbox),
        _ => Err(format!("{text:?} is neither backlog nor inbox")),
    }
}

/// The fields `--map` names, as it takes them (case, spaces, hyphens and
/// underscores aside).
const FIELDS: [(&str, Field); 16] = [
    ("title", Field::Title),
    ("description", Field::Description),
    ("as a", Field::AsA),
    ("i want", Field::IWant),
    ("so that", Field::SoThat),
    ("criteria", Field::Criteria),
    ("points", Field::Points),
    ("labels", Field::Labels),
    ("status", Field::Status),
    ("epic", Field::Epic),
    ("key", Field::Key),
    ("link", Field::Link),
    ("created", Field::Created),
    ("customer", Field::Customer),
    ("importance", Field::Importance),
    ("channel", Field::Channel),
];

fn field_column(text: &str) -> Result<(Field, String), String> {
    let squeeze = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    let Some((field, column)) = text.split_once('=') else {
        return Err(format!(
            "{text:?} is not FIELD=COLUMN (such as points=Size)"
        ));
    };
    let column = column.trim();
    if column.is_empty() {
        return Err(format!("{text:?} names no column after the ="));
    }
    FIELDS
        .iter()
        .find(|(name, _)| squeeze(name) == squeeze(field))
        .map(|(_, field)| (*field, column.to_string()))
        .ok_or_else(|| {
            let names: Vec<&str> = FIELDS.iter().map(|(name, _)| *name).collect();
            format!(
                "unknown field {:?} (expected one of {})",
                field.trim(),
                names.join(", ")
            )
        })
}

/// The summary an import writes: what each file gave, what was skipped
/// and why, and what the product owner should look at.
fn summary_text(summary: &Summary) -> String {
    let mut text = String::new();
    let mut problems_left = PROBLEMS_LISTED;
    let mut untold = 0;
    for file in &summary.files {
        let name = one_line(&file.name);
        let _ = writeln!(text, "{name} ({}): {}", file.format, file_parts(file));
        for note in &file.notes {
            let _ = writeln!(text, "  note: {}", one_line(note));
        }
        for problem in &file.problems {
            if problems_left == 0 {
                untold += 1;
                continue;
            }
            problems_left -= 1;
            let place = if problem.line == 0 {
                name.to_string()
            } else {
                format!("{name}:{}", problem.line)
            };
            let _ = writeln!(text, "  {place}: {}", one_line(&problem.what));
        }
    }
    if untold > 0 {
        let _ = writeln!(
            text,
            "  and {}",
            count(untold, "more problem", "more problems")
        );
    }
    text.push_str(&to_look_at(summary));
    text
}

/// What a file gave: `12 new stories, S-31 to S-42; 3 already here (1
/// updated); 1 skipped`.
fn file_parts(file: &FileSummary) -> String {
    let mut parts = Vec::new();
    if file.restored {
        parts.push(format!(
            "restored whole: {}, {}",
            count(file.stories.len(), "story", "stories"),
            count(file.items.len(), "feedback item", "feedback items")
        ));
    } else {
        if !file.stories.is_empty() {
            parts.push(format!(
                "{}, {}",
                count(file.stories.len(), "new story", "new stories"),
                span(&file.stories)
            ));
        }
        if !file.items.is_empty() {
            parts.push(format!(
                "{}, {}",
                count(file.items.len(), "new inbox item", "new inbox items"),
                span(&file.items)
            ));
        }
        if file.stories.is_empty() && file.items.is_empty() {
            parts.push("nothing new".into());
        }
    }
    if file.already > 0 {
        let mut already = format!("{} already here", file.already);
        if file.updated > 0 {
            let _ = write!(already, " ({} updated)", file.updated);
        }
        parts.push(already);
    }
    if file.skipped > 0 {
        parts.push(format!("{} skipped", file.skipped));
    }
    parts.join("; ")
}

/// The lines that ask the product owner to look again: words the
/// sources used that are not known here, stories not ready, and changes
/// made here that were kept.
fn to_look_at(summary: &Summary) -> String {
    let mut text = String::new();
    let words = |counts: &[(String, usize)]| {
        counts
            .iter()
            .map(|(words, n)| format!("\"{}\" ({n})", one_line(words)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !summary.unknown_statuses.is_empty() {
        let _ = writeln!(
            text,
            "Statuses not known here, so those stories are drafts: {}",
            words(&summary.unknown_statuses)
        );
    }
    if !summary.unknown_importances.is_empty() {
        let _ = writeln!(
            text,
            "Importances not known here, so those items are nice to have (1): {}",
            words(&summary.unknown_importances)
        );
    }
    let one = summary.not_ready.len() == 1;
    if !summary.not_ready.is_empty() {
        let _ = writeln!(
            text,
            "{} the source calls ready {} not meet the Definition of Ready, so {} not ready \
             here: {}",
            count(summary.not_ready.len(), "story", "stories"),
            if one { "does" } else { "do" },
            if one { "it is" } else { "they are" },
            listed(summary.not_ready.iter().map(ToString::to_string))
        );
    }
    if !summary.kept.is_empty() {
        let _ = writeln!(
            text,
            "Kept the changes made here where the source changed them too: {}",
            listed(
                summary
                    .kept
                    .iter()
                    .map(|(id, fields)| format!("{id} ({})", fields.join(", ")))
            )
        );
    }
    text
}

/// Ids as a span, `S-31 to S-42`, or the one id.
fn span<T: std::fmt::Display>(ids: &[T]) -> String {
    match ids {
        [] => String::new(),
        [one] => one.to_string(),
        [first, .., last] => format!("{first} to {last}"),
    }
}

/// The first few of `items`, and how many more.
fn listed(items: impl ExactSizeIterator<Item = String>) -> String {
    let total = items.len();
    let mut shown: Vec<String> = items.take(IDS_LISTED).collect();
    if total > shown.len() {
        shown.push(format!("and {} more", total - shown.len()));
    }
    shown.join(", ")
}

/// The progress bar: drawn on standard error, and only there when it is
/// a terminal, from [`BAR_FROM`] records on; otherwise it draws nothing.
struct Progress {
    bar: Option<ProgressBar>,
    /// Records read so far, to tell when the bar is worth drawing.
    records: AtomicUsize,
}

impl Progress {
    fn new(shown: bool) -> Progress {
        let bar = shown.then(|| ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()));
        Progress {
            bar,
            records: AtomicUsize::new(0),
        }
    }

    fn style(&self, template: &str, message: &'static str) {
        if let Some(bar) = &self.bar {
            bar.set_style(
                ProgressStyle::with_template(template)
                    .expect("the template is valid")
                    .progress_chars("=> "),
            );
            bar.set_message(message);
        }
    }

    fn reading(&self, bytes: u64) {
        self.style("{msg:9} [{bar:30}] {bytes}/{total_bytes}", "reading");
        if let Some(bar) = &self.bar {
            bar.set_length(bytes);
        }
    }

    /// A file of `bytes` was read, with `records` in it.
    fn read(&self, bytes: u64, records: usize) {
        let so_far = self.records.fetch_add(records, Ordering::Relaxed) + records;
        if let Some(bar) = &self.bar {
            if so_far > BAR_FROM && bar.is_hidden() {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
            bar.inc(bytes);
        }
    }

    fn applying(&self, records: usize) {
        self.style("{msg:9} [{bar:30}] {pos}/{len}", "importing");
        if let Some(bar) = &self.bar {
            if records > BAR_FROM && bar.is_hidden() {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
            bar.set_position(0);
            bar.set_length(records as u64);
        }
    }

    fn tick(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    fn saving(&self) {
        self.style("{msg:9} [{bar:30}] {pos}/{len}", "saving");
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    /// An import that fails leaves no bar behind its message.
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::import::{Problem, Read};
    use crate::model::StoryId;

    /// What reading a file of `records` rows gave.
    fn read_of(records: usize) -> Read {
        Read {
            records: vec![import::Record::default(); records],
            ..Read::default()
        }
    }

    fn file(name: &str) -> FileSummary {
        FileSummary {
            name: name.into(),
            format: Format::GitHub,
            read: 0,
            stories: Vec::new(),
            items: Vec::new(),
            already: 0,
            updated: 0,
            skipped: 0,
            problems: Vec::new(),
            notes: Vec::new(),
            restored: false,
        }
    }

    #[test]
    fn the_summary_says_what_each_file_gave_and_neutralises_the_sources_text() {
        let mut issues = file("issues.json");
        issues.stories = (31..=42).map(StoryId).collect();
        issues.already = 3;
        issues.updated = 1;
        issues.skipped = 1;
        issues.problems.push(Problem {
            line: 14,
            what: "title \u{1b}[2J has no end; skipped".into(),
        });
        let mut again = file("old.json");
        again.already = 5;
        let summary = Summary {
            files: vec![issues, again],
            unknown_statuses: vec![("Blocked\u{7}".into(), 2)],
            unknown_importances: Vec::new(),
            not_ready: vec![StoryId(33)],
            kept: vec![("S-4".into(), vec!["title", "status"])],
            refreshed: 1,
        };
        assert_eq!(
            summary_text(&summary),
            "issues.json (github): 12 new stories, S-31 to S-42; 3 already here (1 updated); \
             1 skipped\n  issues.json:14: title \u{fffd}[2J has no end; skipped\n\
             old.json (github): nothing new; 5 already here\n\
             Statuses not known here, so those stories are drafts: \"Blocked\u{fffd}\" (2)\n\
             1 story the source calls ready does not meet the Definition of Ready, so it is \
             not ready here: S-33\n\
             Kept the changes made here where the source changed them too: S-4 (title, status)\n"
        );
    }

    #[test]
    fn the_summary_lists_twenty_problems_and_counts_the_rest() {
        let mut big = file("big.csv");
        big.problems = (1..=25)
            .map(|line| Problem {
                line,
                what: "bad".into(),
            })
            .collect();
        let text = summary_text(&Summary {
            files: vec![big],
            ..Summary::default()
        });
        assert!(text.contains("big.csv:20: bad\n"));
        assert!(!text.contains("big.csv:21"));
        assert!(text.ends_with("  and 5 more problems\n"), "{text}");
    }

    #[test]
    fn nothing_read_is_an_error_naming_the_rows() {
        let mut read = read_of(0);
        read.problems.push(Problem {
            line: 2,
            what: "no title".into(),
        });
        let inputs = vec![Input {
            name: "empty.csv".into(),
            format: Format::Csv,
            content: Content::Records(read),
        }];
        let refused = nothing_read(&inputs).unwrap_err().to_string();
        assert_eq!(
            refused,
            "nothing could be read from empty.csv: no story or issue came in\nempty.csv:2: no title"
        );
        let some = vec![Input {
            name: "one.csv".into(),
            format: Format::Csv,
            content: Content::Records(read_of(1)),
        }];
        assert!(nothing_read(&some).is_ok());
    }

    #[test]
    fn map_names_a_field_and_a_column() {
        assert_eq!(
            field_column("Story-Points=Size").ok(),
            None,
            "points, not story points"
        );
        assert_eq!(
            field_column("as_a= Persona ").unwrap(),
            (Field::AsA, "Persona".into())
        );
        assert!(field_column("points").unwrap_err().contains("FIELD=COLUMN"));
        assert!(
            field_column("size=Size")
                .unwrap_err()
                .contains("unknown field")
        );
    }

    #[test]
    fn a_backlog_file_is_told_by_its_schema_coming_first() {
        assert!(is_backlog_file(b"\xef\xbb\xbf{\n  \"schema\": 5,"));
        assert!(!is_backlog_file(b"[{\"number\": 1}]"));
        assert!(!is_backlog_file(b"{\"title\": \"x\", \"schema\": 5}"));
    }
}
