//! Where the backlog file lives, and reading and writing it safely.
//!
//! The file is the user's work, so: a file that cannot be read is never
//! written over; every save replaces the file atomically and durably; and
//! writers take a lock beside the file so a CLI command and the TUI never
//! interleave their read-modify-write.

mod files;
mod format;
mod history;
mod recovery;
mod session;

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result, bail};

use crate::model::Backlog;

pub use files::{Lock, follow_links, lock_path, write_atomically, write_beside};
pub use format::{SCHEMA, from_json, to_json};
pub use history::{HISTORY_SCHEMA, history_path, load_history, save_history, set_aside_history};
pub use recovery::{Kept, NotSaved};
pub use session::{Note, Outcome, Session, describe, write_conflicts};

/// The environment variable that names the data file.
pub const FILE_ENV: &str = "BACKLOG_FILE";

/// The data file to use: `--file`, else `$BACKLOG_FILE`, else `backlog.json`
/// in the platform's data directory (`~/.local/share/backlog` on Linux).
/// A symbolic link is followed to the file it leads to, so the lock and
/// the files kept beside the data file are beside that file.
///
/// # Errors
/// When no home directory can be found to put the default file in, or the
/// path is a link that leads to nothing.
pub fn resolve_path(flag: Option<&Path>) -> Result<PathBuf> {
    let path = if let Some(path) = flag {
        path.to_path_buf()
    } else if let Some(path) = std::env::var_os(FILE_ENV).filter(|p| !p.is_empty()) {
        PathBuf::from(path)
    } else {
        files::default_folder()
            .context(
                "cannot find a home directory for the data file; pass --file PATH or set BACKLOG_FILE",
            )?
            .join("backlog.json")
    };
    follow_links(&path)
}

/// What the file looked like when last read or written: enough to notice
/// cheaply that someone else has written it since.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    len: u64,
    modified: SystemTime,
    /// Every save is a new file renamed into place, so a new inode.
    inode: u64,
}

impl Fingerprint {
    /// The file's fingerprint now; `None` when there is no file.
    ///
    /// # Errors
    /// When the file exists but cannot be examined.
    pub fn of(path: &Path) -> Result<Option<Self>> {
        match fs::metadata(path) {
            Ok(meta) => Ok(Some(Fingerprint {
                len: meta.len(),
                modified: meta.modified()?,
                inode: inode(&meta),
            })),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("cannot examine {}", path.display())),
        }
    }
}

#[cfg(unix)]
fn inode(meta: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_meta: &fs::Metadata) -> u64 {
    0
}

/// A backlog as read from disk, with the fingerprint of what was read.
#[derive(Debug)]
pub struct Loaded {
    pub backlog: Backlog,
    pub fingerprint: Option<Fingerprint>,
}

/// Whether the file is there and its permissions say it is read-only: a
/// file the user protected, which no save may replace.
#[must_use]
pub fn is_read_only(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|meta| meta.permissions().readonly())
}

/// Read the backlog. A missing file is an empty backlog.
///
/// # Errors
/// When the file cannot be read or parsed; the message names the path and,
/// for a parse error, the line and column.
pub fn load(path: &Path) -> Result<Loaded> {
    let (text, fingerprint) = read_with_fingerprint(path)?;
    let backlog = parse_or_empty(path, text.as_deref())?;
    Ok(Loaded {
        backlog,
        fingerprint,
    })
}

/// The backlog in the file's text; no file (`None`) is an empty backlog.
///
/// # Errors
/// As [`parse`].
pub(crate) fn parse_or_empty(path: &Path, text: Option<&str>) -> Result<Backlog> {
    text.map_or_else(|| Ok(Backlog::default()), |text| parse(path, text))
}

/// The file's text (`None` when there is no file) and its fingerprint.
///
/// # Errors
/// When the file exists but cannot be examined or read.
pub fn read_with_fingerprint(path: &Path) -> Result<(Option<String>, Option<Fingerprint>)> {
    // Fingerprint first: if the file changes while we read, the stale
    // fingerprint makes the next check read it again rather than miss it.
    let fingerprint = Fingerprint::of(path)?;
    Ok((read(path)?, fingerprint))
}

/// The file's text, or `None` when there is no file. A UTF-8 byte-order
/// mark is left out of the text ([`save_text`] keeps it in the file).
///
/// # Errors
/// When the file exists but cannot be read, or is not text in UTF-8: the
/// message says what it is instead and, for a byte that is not UTF-8,
/// where it is.
pub fn read(path: &Path) -> Result<Option<String>> {
    // A directory or a pipe would give an OS error at best and hang at
    // worst (opening a FIFO waits for a writer).
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            bail!("{} is a directory, not a backlog file", path.display())
        }
        Ok(meta) if !meta.is_file() => {
            bail!("{} is not a regular file", path.display())
        }
        _ => {}
    }
    match fs::read(path) {
        Ok(bytes) => decode(path, bytes).map(Some),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // No file is an empty backlog, but a link to no file is a
            // mistake (a folder not synced or mounted), and says so.
            follow_links(path)?;
            Ok(None)
        }
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

const BYTE_ORDER_MARK: &[u8] = "\u{feff}".as_bytes();

fn decode(path: &Path, bytes: Vec<u8>) -> Result<String> {
    if let Some(sign) = utf16_sign(&bytes) {
        bail!("{} is UTF-16 ({sign}); save it as UTF-8", path.display());
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let (line, column) = line_and_column(e.as_bytes(), at);
        anyhow::anyhow!(
            "{} is not UTF-8 at byte offset {at} (line {line} column {column}); save it as UTF-8",
            path.display()
        )
    })?;
    if text.as_bytes().starts_with(BYTE_ORDER_MARK) {
        text.drain(..BYTE_ORDER_MARK.len());
    }
    Ok(text)
}

/// Why the bytes look like UTF-16, if they do: its byte-order mark, or
/// text mostly in ASCII with every other byte zero.
fn utf16_sign(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Some("it starts with a UTF-16 byte-order mark");
    }
    let sample = &bytes[..bytes.len().min(64) & !1];
    let zero = |first: usize| sample.iter().skip(first).step_by(2).all(|&b| b == 0);
    let some = |first: usize| sample.iter().skip(first).step_by(2).any(|&b| b != 0);
    ((zero(1) && some(0)) || (zero(0) && some(1))).then_some("every other byte is zero")
}

/// Parse the text of the file at `path`.
///
/// # Errors
/// A message naming the path and the line and column of the problem.
pub fn parse(path: &Path, text: &str) -> Result<Backlog> {
    from_json(text).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))
}

/// Write the backlog atomically and durably: a temporary file in the same
/// directory, flushed to disk, renamed over the old file, and the directory
/// flushed so the rename survives a crash. Returns the new fingerprint.
/// Hold the [`Lock`] while saving: whoever takes it next removes the data
/// file's temporary files as a crash's.
///
/// # Errors
/// As [`write_atomically`]; the old file is intact.
pub fn save(path: &Path, backlog: &Backlog) -> Result<Fingerprint> {
    save_text(path, &to_json(backlog))
}

/// As [`save`], for text already made by [`to_json`].
///
/// # Errors
/// As [`save`].
pub fn save_text(path: &Path, text: &str) -> Result<Fingerprint> {
    // A file saved with a byte-order mark (Notepad writes one) keeps it:
    // dropping it would change the whole file, which nobody asked for.
    if starts_with_byte_order_mark(path) {
        write_atomically(path, &[BYTE_ORDER_MARK, text.as_bytes()].concat())?;
    } else {
        write_atomically(path, text.as_bytes())?;
    }
    Fingerprint::of(path)?.context("the file vanished right after it was saved")
}

fn starts_with_byte_order_mark(path: &Path) -> bool {
    let mut start = [0; BYTE_ORDER_MARK.len()];
    File::open(path)
        .and_then(|mut file| file.read_exact(&mut start))
        .is_ok()
        && start == BYTE_ORDER_MARK
}

/// Write `backlog` to a recovery file beside `path`, for when `path`
/// itself cannot take it; returns the recovery file.
///
/// # Errors
/// When not even the recovery file can be written.
pub fn write_recovery(path: &Path, backlog: &Backlog) -> Result<PathBuf> {
    let recovery = stamped(path, ".unsaved-", ".json");
    write_beside(path, &recovery, to_json(backlog).as_bytes())?;
    Ok(recovery)
}

/// Keep text the user wrote that could not be applied (a story document
/// from `$EDITOR` that did not parse, when the TUI ends before they chose):
/// a Markdown file beside the data file. Returns its path.
///
/// # Errors
/// When the file cannot be written.
pub fn write_unsaved_text(path: &Path, what: &str, text: &str) -> Result<PathBuf> {
    let file = stamped(path, &format!(".unsaved-{what}-"), ".md");
    write_beside(path, &file, text.as_bytes())?;
    Ok(file)
}

/// A file beside `path` named for now, `<name><before><time><after>`
/// (`backlog.json.unsaved-20261128T154200.123Z.json`), so that each one
/// kept is kept apart.
pub(crate) fn stamped(path: &Path, before: &str, after: &str) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    sibling(path, &format!("{before}{stamp}{after}"))
}

/// Parse a JSON file that begins with a schema number. When the text does
/// not parse, the schema is checked first: a file from a newer build is
/// reported as that, not as the field error it causes.
pub(crate) fn parse_versioned<T: serde::de::DeserializeOwned>(
    text: &str,
    schema_of: fn(&T) -> u32,
    check: fn(u32) -> Result<(), String>,
) -> Result<T, String> {
    #[derive(serde::Deserialize)]
    struct SchemaOnly {
        schema: u32,
    }
    // serde reads a struct from an array of its fields as readily as from
    // an object: `[2]` would be a schema-2 file with nothing in it.
    refuse_all_but_an_object(text)?;
    let file: T = match serde_json::from_str(text) {
        Ok(file) => file,
        Err(e) => {
            if let Ok(SchemaOnly { schema }) = serde_json::from_str(text) {
                check(schema)?;
            }
            return Err(e.to_string());
        }
    };
    check(schema_of(&file))?;
    Ok(file)
}

/// The file must hold one JSON object. Any other JSON value is refused
/// here with its place; the rest (nothing at all, a syntax error) is left
/// to the parser, which places it as well.
fn refuse_all_but_an_object(text: &str) -> Result<(), String> {
    let Some((at, first)) = text
        .char_indices()
        .find(|(_, c)| !matches!(c, ' ' | '\t' | '\n' | '\r'))
    else {
        return Ok(());
    };
    let found = match first {
        '[' => "an array",
        '"' => "a string",
        '-' | '0'..='9' => "a number",
        't' | 'f' => "true or false",
        'n' => "null",
        _ => return Ok(()),
    };
    // Broken JSON is reported where it breaks, as for any file.
    serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| e.to_string())?;
    let (line, column) = line_and_column(text.as_bytes(), at);
    Err(format!(
        "expected a JSON object ({{ … }}) at line {line} column {column}, found {found}"
    ))
}

/// The line and column of the byte at `offset`, counted as the JSON
/// parser counts them (from 1, columns in bytes), so every message about
/// a file names places alike.
pub(crate) fn line_and_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    (line, offset - line_start + 1)
}

/// `path` with `suffix` appended to its file name.
#[must_use]
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Read the backlog under the lock, let `change` modify it, and save it if
/// `change` succeeds. The one path every CLI command that writes takes.
///
/// # Errors
/// When the file cannot be read, `change` fails, or the save fails. In each
/// case the file is as it was.
pub fn update<T>(path: &Path, change: impl FnOnce(&mut Backlog) -> Result<T>) -> Result<T> {
    let _lock = Lock::acquire(path)?;
    let mut backlog = load(path)?.backlog;
    let out = change(&mut backlog)?;
    save(path, &backlog)?;
    Ok(out)
}

/// Refuse to go on when the file exists; used by `init`.
///
/// # Errors
/// When the file exists.
pub fn ensure_absent(path: &Path) -> Result<()> {
    if path.exists() {
        bail!(
            "{} already exists; move it away first if you want a fresh backlog",
            path.display()
        );
    }
    Ok(())
}
