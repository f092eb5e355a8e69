//! Where the backlog file lives, and reading and writing it safely.
//!
//! The file is the user's work, so: a file that cannot be read is never
//! written over; every save replaces the file atomically and durably; and
//! writers take a lock beside the file so a CLI command and the TUI never
//! interleave their read-modify-write.

mod format;
mod history;
mod recovery;
mod session;

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result, bail};

use crate::model::Backlog;

pub use format::{SCHEMA, from_json, to_json};
pub use history::{HISTORY_SCHEMA, history_path, load_history, save_history, set_aside_history};
pub use recovery::{Kept, NotSaved};
pub use session::{Note, Outcome, Session, describe, write_conflicts};

/// The environment variable that names the data file.
pub const FILE_ENV: &str = "BACKLOG_FILE";

/// The data file to use: `--file`, else `$BACKLOG_FILE`, else `backlog.json`
/// in the platform's data directory (`~/.local/share/backlog` on Linux).
///
/// # Errors
/// When no home directory can be found to put the default file in.
pub fn resolve_path(flag: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = flag {
        return Ok(path.to_path_buf());
    }
    if let Some(path) = std::env::var_os(FILE_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let dirs = directories::ProjectDirs::from("", "", "backlog").context(
        "cannot find a home directory for the data file; pass --file PATH or set BACKLOG_FILE",
    )?;
    Ok(dirs.data_dir().join("backlog.json"))
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

/// The file's text, or `None` when there is no file.
///
/// # Errors
/// When the file exists but cannot be read.
pub fn read(path: &Path) -> Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
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
///
/// # Errors
/// When the directory cannot be created or written; the old file is intact.
pub fn save(path: &Path, backlog: &Backlog) -> Result<Fingerprint> {
    save_text(path, &to_json(backlog))
}

/// As [`save`], for text already made by [`to_json`].
///
/// # Errors
/// As [`save`].
pub fn save_text(path: &Path, text: &str) -> Result<Fingerprint> {
    write_atomically(path, text.as_bytes())?;
    Fingerprint::of(path)?.context("the file vanished right after it was saved")
}

/// Replace `path` with `bytes` atomically and durably.
///
/// # Errors
/// When the directory cannot be created or written.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = parent_dir(path);
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".backlog-").suffix(".tmp");
    // A replaced file keeps its permissions; a new one is readable by
    // others, as files an editor creates usually are. Temporary files
    // would otherwise make it owner-only.
    #[cfg(unix)]
    builder.permissions(fs::metadata(path).map_or_else(
        |_| std::os::unix::fs::PermissionsExt::from_mode(0o644),
        |meta| meta.permissions(),
    ));
    let mut temp = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", temp.path().display()))?;
    temp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    sync_dir(dir).with_context(|| format!("cannot flush {}", dir.display()))?;
    Ok(())
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// Write `backlog` to a recovery file beside `path`, for when `path`
/// itself cannot take it; returns the recovery file.
///
/// # Errors
/// When not even the recovery file can be written.
pub fn write_recovery(path: &Path, backlog: &Backlog) -> Result<PathBuf> {
    let recovery = stamped(path, ".unsaved-", ".json");
    write_atomically(&recovery, to_json(backlog).as_bytes())?;
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
    write_atomically(&file, text.as_bytes())?;
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

/// The lock file beside a data file.
#[must_use]
pub fn lock_path(path: &Path) -> PathBuf {
    sibling(path, ".lock")
}

/// `path` with `suffix` appended to its file name.
#[must_use]
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// An exclusive lock on the data file, held until dropped.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Wait for and take the lock beside `path`.
    ///
    /// # Errors
    /// When the lock file cannot be created or locked.
    pub fn acquire(path: &Path) -> Result<Self> {
        let dir = parent_dir(path);
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let lock = lock_path(path);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock)
            .with_context(|| format!("cannot open lock file {}", lock.display()))?;
        file.lock()
            .with_context(|| format!("cannot lock {}", lock.display()))?;
        Ok(Lock { _file: file })
    }
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
