//! Where the backlog file lives, and reading and writing it safely.
//!
//! The file is the user's work, so: a file that cannot be read is never
//! written over; every save replaces the file atomically and durably; and
//! writers take a lock beside the file so a CLI command and the TUI never
//! interleave their read-modify-write.

mod files;
mod format;
mod hash;
mod history;
mod meeting;
mod minutes;
mod objects;
mod reading;
mod recovery;
mod session;
mod view;

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result, bail};

use crate::model::Backlog;
use hash::{ContentHash, Hashing};

use files::write_atomically_with;
pub use files::{
    Lock, check_writable, follow_links, is_side_file, lock_path, side_files, write_atomically,
    write_beside,
};
pub use format::{SCHEMA, from_json, to_json, write_json};
use format::{Verbatim, write_json_keeping};
pub use history::{HISTORY_SCHEMA, history_path, load_history, save_history, set_aside_history};
pub use meeting::{journal_path, keep_journal, read_journal, remove_journal};
pub use minutes::{Minutes, list_minutes, minutes_folder, read_minutes, write_minutes};
pub use reading::Reading;
pub use recovery::{Kept, NotSaved};
pub use session::{Note, Outcome, Reads, Session, describe, write_conflicts};
pub use view::{load_view, save_view, view_path};

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
/// cheaply that someone else has written it since, unless it was written
/// moments before (see [`Fingerprint::may_miss_a_write`]). Two
/// fingerprints are equal when the file's length, time and inode are.
#[derive(Clone, Copy, Debug)]
pub struct Fingerprint {
    len: u64,
    modified: SystemTime,
    /// Every save is a new file renamed into place, so a new inode; but a
    /// file system may give the new file the inode the old one just gave
    /// up (ext4 does, when git checks out a file).
    inode: u64,
    /// When the fingerprint was taken.
    taken: SystemTime,
}

impl PartialEq for Fingerprint {
    fn eq(&self, other: &Self) -> bool {
        (self.len, self.modified, self.inode) == (other.len, other.modified, other.inode)
    }
}

impl Eq for Fingerprint {}

/// How coarse a file system's times may be: FAT keeps them to two
/// seconds, HFS+ and ext3 to one; a tick of the kernel's clock is far
/// less.
const TIME_GRAIN: Duration = Duration::from_secs(3);

impl Fingerprint {
    /// The file's fingerprint now; `None` when there is no file.
    ///
    /// # Errors
    /// When the file exists but cannot be examined.
    pub fn of(path: &Path) -> Result<Option<Self>> {
        match fs::metadata(path) {
            Ok(meta) => Ok(Some(Self::from_metadata(&meta)?)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("cannot examine {}", path.display())),
        }
    }

    fn from_metadata(meta: &fs::Metadata) -> io::Result<Self> {
        Ok(Fingerprint {
            len: meta.len(),
            modified: meta.modified()?,
            inode: inode(meta),
            taken: SystemTime::now(),
        })
    }

    /// Whether another write could leave the file with this very
    /// fingerprint: the file was written so shortly before the
    /// fingerprint was taken that a write after it may get the same
    /// time, and the same length and inode (git checking out another
    /// revision of the same length does). Such a file is read to know
    /// whether it changed, as git does with a "racily clean" file.
    #[must_use]
    pub fn may_miss_a_write(&self) -> bool {
        self.modified + TIME_GRAIN > self.taken
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

/// What a save wrote: the new file's fingerprint, and a hash of its
/// bytes for when the fingerprint cannot tell (see
/// [`Fingerprint::may_miss_a_write`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Seen {
    pub fingerprint: Fingerprint,
    pub hash: ContentHash,
}

/// A backlog as read from disk, with the fingerprint of what was read.
#[derive(Debug)]
pub struct Loaded {
    pub backlog: Backlog,
    pub fingerprint: Option<Fingerprint>,
}

/// Whether saves to the file are refused as [`check_writable`] refuses
/// them: the TUI marks such a file from the start.
#[must_use]
pub fn is_read_only(path: &Path) -> bool {
    check_writable(path).is_err()
}

/// Read the backlog. A missing file is an empty backlog, in a folder that
/// is there (see [`read`]).
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
    parse_keeping(path, text, &Arc::default(), false).map(|(backlog, _)| backlog)
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

/// What the file held when it was read, for a reader that must later
/// tell whether it changed (the TUI's session).
pub(crate) struct Contents {
    /// `None` when there is no file.
    pub text: Option<String>,
    /// A hash of the bytes read: there whenever the text is.
    pub hash: Option<ContentHash>,
    /// Taken before the read; `None` when there was no file then.
    pub fingerprint: Option<Fingerprint>,
}

/// The file's text, a hash of its bytes, and its fingerprint, the
/// bytes read counted into `reading` as they come.
///
/// # Errors
/// As [`read_with_fingerprint`].
pub(crate) fn read_hashed(path: &Path, reading: &Reading) -> Result<Contents> {
    // Fingerprint first, as in `read_with_fingerprint`. A file made
    // between the two has none, so it is looked at again.
    let fingerprint = Fingerprint::of(path)?;
    // Each piece is hashed as it comes, while it is in the cache.
    let mut hashing = Hashing::new(io::sink());
    let Some(bytes) = read_bytes_with(path, reading, |piece| {
        // A sink takes everything.
        let _ = hashing.write_all(piece);
    })?
    else {
        return Ok(Contents {
            text: None,
            hash: None,
            fingerprint: None,
        });
    };
    Ok(Contents {
        text: Some(decode(&path.display(), bytes)?),
        hash: Some(hashing.finish()),
        fingerprint,
    })
}

/// The file's text, or `None` when there is no file. A UTF-8 byte-order
/// mark is left out of the text ([`save`] keeps it in the file).
///
/// # Errors
/// When the file exists but cannot be read, or is not text in UTF-8: the
/// message says what it is instead and, for a byte that is not UTF-8,
/// where it is. When there is no file and no folder for it either
/// (other than backlog's own data folder, made by the first save).
pub fn read(path: &Path) -> Result<Option<String>> {
    read_bytes(path)?
        .map(|bytes| decode(&path.display(), bytes))
        .transpose()
}

/// The file's bytes, or `None` when there is no file (see [`read`]).
fn read_bytes(path: &Path) -> Result<Option<Vec<u8>>> {
    read_bytes_with(path, &Reading::default(), |_| {})
}

/// How much of the file is read at a time by [`read_bytes_with`]: a
/// hundredth of a second's reading, so that its progress moves smoothly.
const READ_PIECE: u64 = 4 * 1024 * 1024;

/// As [`read_bytes`], a piece at a time: each piece is handed to `each`
/// as it comes, and counted into `reading`.
fn read_bytes_with(
    path: &Path,
    reading: &Reading,
    mut each: impl FnMut(&[u8]),
) -> Result<Option<Vec<u8>>> {
    files::refuse_all_but_a_file(path)?;
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            // No file is an empty backlog, but a link to no file, or a
            // folder that is not there, is a mistake (a folder not synced
            // or mounted, a typo), and says so.
            let file = follow_links(path)?;
            files::folder_is_there(files::parent_dir(&file))?;
            return Ok(None);
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let mut read_all = || -> io::Result<Vec<u8>> {
        let len = file.metadata()?.len();
        reading.opened(len);
        let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        loop {
            let start = bytes.len();
            let read = (&mut file).take(READ_PIECE).read_to_end(&mut bytes)?;
            if read == 0 {
                return Ok(bytes);
            }
            each(&bytes[start..]);
            reading.read(read);
        }
    };
    read_all()
        .map(Some)
        .with_context(|| format!("cannot read {}", path.display()))
}

const BYTE_ORDER_MARK: &[u8] = "\u{feff}".as_bytes();

/// A file's bytes as text, its byte-order mark dropped: the data file's,
/// or a backlog file being imported, `name` naming it in the error.
///
/// # Errors
/// When the bytes are UTF-16, or not UTF-8: where, and what to do.
pub fn decode(name: &dyn std::fmt::Display, bytes: Vec<u8>) -> Result<String> {
    if let Some(sign) = utf16_sign(&bytes) {
        bail!("{name} is UTF-16 ({sign}); save it as UTF-8");
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let (line, column) = line_and_column(e.as_bytes(), at);
        anyhow::anyhow!(
            "{name} is not UTF-8 at byte offset {at} (line {line} column {column}); save it as UTF-8"
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
    parse_or_empty(path, Some(text))
}

/// As [`parse_or_empty`], counting what is done into `reading` as it
/// goes, and keeping each story's text beside it when `keep` says so (see
/// [`Verbatim`]).
///
/// # Errors
/// As [`parse`].
pub(crate) fn parse_keeping<'a>(
    path: &Path,
    text: Option<&'a str>,
    reading: &Arc<Reading>,
    keep: bool,
) -> Result<(Backlog, Verbatim<'a>)> {
    let Some(text) = text else {
        return Ok((Backlog::default(), Verbatim::default()));
    };
    format::read_json_reporting(text, reading, keep)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))
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
    save_seen(path, backlog).map(|seen| seen.fingerprint)
}

/// As [`save`]; also returns the hash of the bytes written.
///
/// The text is made as it is written, through a buffer into the
/// temporary file, never whole in memory: at a million stories it is
/// over a gigabyte.
pub(crate) fn save_seen(path: &Path, backlog: &Backlog) -> Result<Seen> {
    save_keeping(path, backlog, &Verbatim::default())
}

/// As [`save_seen`], writing the stories `verbatim` holds unchanged as
/// they were read.
fn save_keeping(path: &Path, backlog: &Backlog, verbatim: &Verbatim<'_>) -> Result<Seen> {
    // A file saved with a byte-order mark (Notepad writes one) keeps it:
    // dropping it would change the whole file, which nobody asked for.
    let mark = starts_with_byte_order_mark(path);
    let (hash, written) = write_atomically_with(path, |file| {
        let mut hashing = Hashing::new(file);
        let mut out = BufWriter::with_capacity(WRITE_BUFFER, &mut hashing);
        if mark {
            out.write_all(BYTE_ORDER_MARK)?;
        }
        write_json_keeping(backlog, verbatim, &mut out)?;
        out.flush()?;
        drop(out);
        Ok(hashing.finish())
    })?;
    let fingerprint = Fingerprint::from_metadata(&written)
        .with_context(|| format!("cannot examine {}", path.display()))?;
    Ok(Seen { fingerprint, hash })
}

/// How much of the file's text a save gathers before each write to the
/// file: serde hands it over a few bytes at a time.
const WRITE_BUFFER: usize = 256 * 1024;

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
    write_stamped(path, ".unsaved-", ".json", to_json(backlog).as_bytes())
}

/// Keep text the user wrote that could not be applied (a story document
/// from `$EDITOR` that did not parse, when the TUI ends before they chose):
/// a Markdown file beside the data file. Returns its path.
///
/// # Errors
/// When the file cannot be written.
pub fn write_unsaved_text(path: &Path, what: &str, text: &str) -> Result<PathBuf> {
    write_stamped(path, &format!(".unsaved-{what}-"), ".md", text.as_bytes())
}

/// Write `bytes` to a new file beside the data file `path`, named by
/// [`new_stamped`], as [`write_beside`] does; returns the file.
///
/// # Errors
/// When the file cannot be made or written; then there is none.
pub(crate) fn write_stamped(
    path: &Path,
    before: &str,
    after: &str,
    bytes: &[u8],
) -> Result<PathBuf> {
    let file = new_stamped(path, before, after, chrono::Utc::now())
        .with_context(|| format!("cannot make a file beside {}", path.display()))?;
    if let Err(e) = write_beside(path, &file, bytes) {
        let _ = fs::remove_file(&file);
        return Err(e);
    }
    Ok(file)
}

/// Move the file `from` to a new name beside it, named for now as
/// [`new_stamped`] names it (`backlog.json.history.replaced-<time>`);
/// returns the new name.
///
/// # Errors
/// When no new name can be made, or the file cannot be moved; then it is
/// where it was, and nothing is left under a new name.
pub(crate) fn move_stamped(from: &Path, before: &str, after: &str) -> Result<PathBuf> {
    let to = new_stamped(from, before, after, chrono::Utc::now())
        .with_context(|| format!("cannot move {} aside", from.display()))?;
    rename_onto_held(from, &to)?;
    Ok(to)
}

/// Move the file `from` to `to`, a name nothing has: it is taken first,
/// as an empty file, so that whatever may have come there meanwhile is
/// never written over.
///
/// # Errors
/// When `to` is taken, or the file cannot be moved; then it is where it
/// was, and nothing is left at `to`.
pub(crate) fn move_to_new(from: &Path, to: &Path) -> Result<()> {
    new_file(to)
        .with_context(|| format!("cannot move {} aside to {}", from.display(), to.display()))?;
    rename_onto_held(from, to)
}

/// Move `from` onto `to`, an empty file made to hold the name; when the
/// move fails, the empty file goes.
fn rename_onto_held(from: &Path, to: &Path) -> Result<()> {
    if let Err(e) = fs::rename(from, to) {
        let _ = fs::remove_file(to);
        return Err(e)
            .with_context(|| format!("cannot move {} aside to {}", from.display(), to.display()));
    }
    Ok(())
}

/// Make `path`, empty and private; an error when there is a file there.
fn new_file(path: &Path) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop)
}

/// The time in a stamped file's name, to the millisecond, in UTC.
const STAMP: &str = "%Y%m%dT%H%M%S%.3fZ";

/// Make a new, empty, private file beside `path` named for `at`,
/// `<name><before><time><after>` (`backlog.json.unsaved-20261128T154200.123Z.json`),
/// so that each one kept is kept apart: two stamped in the same
/// millisecond (two conflict files, a recovery file and an `init --force`
/// copy) get `-2`, `-3`, … after the time, never one name. It holds the
/// name for the caller, who writes it or moves a file onto it, and
/// removes it when that fails ([`write_stamped`], [`move_stamped`]).
fn new_stamped(
    path: &Path,
    before: &str,
    after: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> io::Result<PathBuf> {
    let stamp = at.format(STAMP).to_string();
    let mut again = 1;
    loop {
        let count = if again == 1 {
            String::new()
        } else {
            format!("-{again}")
        };
        let file = sibling(path, &format!("{before}{stamp}{count}{after}"));
        match new_file(&file) {
            Ok(()) => return Ok(file),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => again += 1,
            Err(e) => return Err(e),
        }
    }
}

/// Parse a JSON file that begins with a schema number. When the text does
/// not parse, the schema is checked first: a file from a newer build is
/// reported as that, not as the field error it causes.
pub(crate) fn parse_versioned<'a, T: serde::Deserialize<'a>>(
    text: &'a str,
    schema_of: fn(&T) -> u32,
    check: fn(u32) -> Result<(), String>,
) -> Result<T, String> {
    #[derive(serde::Deserialize)]
    struct SchemaOnly {
        schema: u32,
    }
    // A struct is read from an object only (see `objects`); the file
    // itself, anything else, is said so plainly, where it starts.
    refuse_all_but_an_object(text)?;
    let file: T = match objects::from_str(text) {
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
///
/// The stories `change` leaves as they were are written back as they were
/// read, not made again (see [`Verbatim`]).
pub fn update<T>(path: &Path, change: impl FnOnce(&mut Backlog) -> Result<T>) -> Result<T> {
    let _lock = Lock::acquire(path)?;
    let text = read(path)?;
    let (mut backlog, verbatim) = parse_keeping(path, text.as_deref(), &Arc::default(), true)?;
    let out = change(&mut backlog)?;
    save_keeping(path, &backlog, &verbatim)?;
    drop(verbatim);
    // The command is done: it ends while its backlog is freed.
    free_beside((backlog, text));
    Ok(out)
}

/// Free `large` (a backlog, its text) on a thread of its own: one
/// allocation at a time, a backlog of a hundred thousand stories takes a
/// tenth of a second to free, which no one should wait for. Freed here
/// if no thread can start.
pub fn free_beside<T: Send + 'static>(large: T) {
    let _ = thread::Builder::new()
        .name("backlog-free".into())
        .spawn(move || drop(large));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_stamped_in_the_same_millisecond_are_kept_apart() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("b.json");
        let at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 28, 15, 42, 0).unwrap();
        let names: Vec<String> = (0..3)
            .map(|_| {
                let file = new_stamped(&data, ".conflict-", ".json", at).unwrap();
                write_beside(&data, &file, b"{}").unwrap();
                file.file_name().unwrap().to_string_lossy().into_owned()
            })
            .collect();
        assert_eq!(
            names,
            [
                "b.json.conflict-20261128T154200.000Z.json",
                "b.json.conflict-20261128T154200.000Z-2.json",
                "b.json.conflict-20261128T154200.000Z-3.json",
            ]
        );
    }
}
