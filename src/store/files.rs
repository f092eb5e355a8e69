//! The files on disk: where a save goes (links followed, folders checked),
//! with which permissions, through which temporary file, and the lock.
//!
//! Every file `backlog` writes beside the data file (the undo history,
//! the view, the meeting journal and minutes, conflict and recovery
//! files, the lock) takes the data file's permissions, so a private
//! backlog's copies are as private as it is.

use std::ffi::{OsStr, OsString};
use std::fs::{self, File, OpenOptions};
use std::hash::Hasher;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result, bail};

use super::minutes::{is_minutes_id, minutes_folder};
use super::{FILE_ENV, sibling};

/// Where saves to `path` go: `path` itself, or, when it is a symbolic
/// link, the file at the end of its links (as an absolute path). Saving
/// then replaces the file the link leads to, in that file's folder, and
/// the link stays a link.
///
/// # Errors
/// When a link leads to nothing (its target is missing), or round in a
/// loop.
pub fn follow_links(path: &Path) -> Result<PathBuf> {
    // As many links as Linux follows before it gives up.
    const MOST: usize = 40;
    let mut at = path.to_path_buf();
    // What the last link followed says, as the user would see it.
    let mut link_to: Option<PathBuf> = None;
    for _ in 0..=MOST {
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&at)
                    .with_context(|| format!("cannot read the link {}", at.display()))?;
                at = at.parent().unwrap_or(Path::new("")).join(&target);
                link_to = Some(target);
            }
            Ok(_) if link_to.is_none() => return Ok(at),
            Ok(_) => {
                let folder = fs::canonicalize(parent_dir(&at))
                    .with_context(|| format!("cannot find the folder of {}", at.display()))?;
                return Ok(folder.join(at.file_name().unwrap_or_default()));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let Some(target) = link_to else {
                    return Ok(at);
                };
                bail!(
                    "{} is a symbolic link to {}, which does not exist",
                    path.display(),
                    target.display()
                );
            }
            Err(e) => {
                return Err(e).with_context(|| format!("cannot examine {}", at.display()));
            }
        }
    }
    bail!("{} is a symbolic link in a loop of links", path.display())
}

/// Replace the file `path` with `bytes` atomically and durably: a
/// temporary file in the same folder, flushed to disk, renamed over the
/// old file, and the folder flushed so the rename survives a crash. A
/// link is followed, and the file it leads to replaced. The file keeps its
/// permissions; a new one is readable and writable by its owner only.
///
/// # Errors
/// When the file is not a regular file, is read-only (see
/// [`check_writable`]), its folder is missing (only backlog's own data
/// folder is made), or the folder cannot be written. The old file is
/// then as it was.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically_with(path, |file| file.write_all(bytes)).map(drop)
}

/// As [`write_atomically`], with the bytes written by `write` straight
/// into the temporary file, so that a large file is never held whole in
/// memory first. Returns what `write` returned, and the new file's
/// metadata as it was written: the file now at `path` is that one, unless
/// someone else has replaced it since.
///
/// # Errors
/// As [`write_atomically`], and when `write` fails; the old file is then
/// as it was.
pub fn write_atomically_with<T>(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<T>,
) -> Result<(T, fs::Metadata)> {
    let path = follow_links(path)?;
    refuse_all_but_a_file(&path)?;
    check_writable(&path)?;
    replace(&path, &path, mode_beside(&path), write)
}

/// Whether the data file at `path` is the user's to replace. As an editor
/// does, backlog refuses a file the user may not write, though its folder
/// would let a save replace it: one made read-only, or another user's
/// (replaced, it would become the user's, and its owner could no longer
/// write it). No file yet is a file to make.
///
/// # Errors
/// When the file is read-only, or read-only for this user: the message
/// says so, and whose it is.
pub fn check_writable(path: &Path) -> Result<()> {
    let Ok(meta) = fs::metadata(path) else {
        return Ok(());
    };
    if meta.permissions().readonly() {
        bail!("{} is read-only; nothing was written", path.display());
    }
    // Only the system knows all that decides it (owner, group, access
    // lists, root), and access(2) asks it without opening the file: the TUI
    // asks at every look, and an open for writing would tell every
    // watcher of the file (a sync client, an editor) that it was written.
    if may_not_write(path) {
        bail!(
            "{} is read-only for you (owned by {}); nothing was written",
            path.display(),
            owner(&meta)
        );
    }
    Ok(())
}

#[cfg(unix)]
fn may_not_write(path: &Path) -> bool {
    use nix::unistd::{AccessFlags, access};
    matches!(
        access(path, AccessFlags::W_OK),
        Err(nix::errno::Errno::EACCES)
    )
}

#[cfg(not(unix))]
fn may_not_write(_path: &Path) -> bool {
    false
}

/// Who owns the file, by name where the system has one.
#[cfg(unix)]
fn owner(meta: &fs::Metadata) -> String {
    use std::os::unix::fs::MetadataExt;
    let uid = meta.uid();
    match nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid)) {
        Ok(Some(user)) => user.name,
        _ => format!("user {uid}"),
    }
}

#[cfg(not(unix))]
fn owner(_meta: &fs::Metadata) -> String {
    "another user".to_string()
}

/// Write `path`, a file kept beside the data file `data` (the undo
/// history, a conflict or a recovery file), as [`write_atomically`] does,
/// with the data file's permissions.
///
/// # Errors
/// As [`write_atomically`], except that a read-only file of ours is
/// replaced all the same.
pub fn write_beside(data: &Path, path: &Path, bytes: &[u8]) -> Result<()> {
    replace(&follow_links(path)?, data, mode_beside(data), |file| {
        file.write_all(bytes)
    })
    .map(drop)
}

/// Replace `path`, the data file `data` or a file kept beside it, with
/// what `write` writes; returns what `write` returned and the new file's
/// metadata.
fn replace<T>(
    path: &Path,
    data: &Path,
    mode: u32,
    write: impl FnOnce(&mut File) -> io::Result<T>,
) -> Result<(T, fs::Metadata)> {
    let (temp, out) = written_temp_file(path, data, mode, write)?;
    // Taken from the new file itself, before it takes the name: a look at
    // the name afterwards could find a file someone else put there since.
    let written = temp
        .as_file()
        .metadata()
        .with_context(|| format!("cannot save {}", path.display()))?;
    temp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot save {}", path.display()))?;
    let dir = parent_dir(path);
    sync_dir(dir).with_context(|| format!("cannot flush {}", dir.display()))?;
    Ok((out, written))
}

/// Write `bytes` as a new file kept beside the data file `data`, as
/// [`write_beside`] does, under the first of the names `name(1)`,
/// `name(2)`, … (all in one folder, which must be there) that no file
/// has; returns that name. A file already there is never written over,
/// even one that appears while this writes, and none is ever seen half
/// written: the whole file takes the name in one step, or nothing does.
///
/// # Errors
/// When the file cannot be written; then there is none.
pub(crate) fn write_new_beside(
    data: &Path,
    name: impl Fn(u32) -> PathBuf,
    bytes: &[u8],
) -> Result<PathBuf> {
    let first = name(1);
    let (mut temp, ()) = written_temp_file(&first, data, mode_beside(data), |file| {
        file.write_all(bytes)
    })?;
    let mut again = 1;
    loop {
        let path = name(again);
        match temp.persist_noclobber(&path) {
            Ok(_) => {
                let dir = parent_dir(&path);
                sync_dir(dir).with_context(|| format!("cannot flush {}", dir.display()))?;
                return Ok(path);
            }
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => {
                temp = e.file;
                again += 1;
            }
            Err(e) => {
                return Err(e.error).with_context(|| format!("cannot save {}", path.display()));
            }
        }
    }
}

/// A temporary file beside `path`, the data file `data` or a file kept
/// beside it, holding what `write` wrote with `mode`, flushed to disk,
/// ready to take `path`'s name; and what `write` returned.
fn written_temp_file<T>(
    path: &Path,
    data: &Path,
    mode: u32,
    write: impl FnOnce(&mut File) -> io::Result<T>,
) -> Result<(tempfile::NamedTempFile, T)> {
    let dir = parent_dir(path);
    ensure_folder(dir)?;
    // A failure names the file the user asked to save: the temporary file
    // is ours, and gone once the save has failed.
    let not_saved = || format!("cannot save {}", path.display());
    let mut temp = temp_file_for(path, data)
        .with_context(|| format!("cannot make a file in {}", dir.display()))
        .with_context(not_saved)?;
    let kept = give_owner_of(temp.as_file(), data).with_context(not_saved)?;
    // The data file is refused rather than given away: its owner, or its
    // group's other members, could lose the right to write it. A file
    // kept beside it is the user's to write all the same (a recovery
    // file may be all that is left of their changes), and is as private
    // as the data file by its mode.
    if let Err(lost) = kept
        && path == data
    {
        bail!("{} {lost}; nothing was written", path.display());
    }
    // Through the file itself: the temporary file's own `Write` adds its
    // path to every error.
    let out = set_mode(temp.as_file(), mode)
        .and_then(|()| write(temp.as_file_mut()))
        .and_then(|out| temp.as_file().sync_all().map(|()| out))
        .with_context(not_saved)?;
    Ok((temp, out))
}

/// Give `temp`, the new file about to replace a file backlog writes, the
/// owner and group of the data file `data` (none yet: the user's), as far
/// as the system lets this user: only root gives a file to another user,
/// and anyone gives their own file to a group they are in. Otherwise a
/// save would make the data file the user's (the system makes every new
/// file so), and a group-writable file could no longer be written by its
/// group. Returns `Err` with what the file would lose, when it would.
///
/// # Errors
/// When the new file cannot be examined, or changing its owner fails for
/// another reason than being refused.
#[cfg(unix)]
fn give_owner_of(temp: &File, data: &Path) -> io::Result<Result<(), String>> {
    use nix::errno::Errno;
    use nix::unistd::{Gid, Uid, fchown};
    use std::os::unix::fs::MetadataExt;
    let Ok(want) = fs::metadata(data) else {
        return Ok(Ok(()));
    };
    let has = temp.metadata()?;
    let root = Uid::effective().is_root();
    let uid = (want.uid() != has.uid() && root).then(|| Uid::from_raw(want.uid()));
    let gid = (want.gid() != has.gid()).then(|| Gid::from_raw(want.gid()));
    if uid.is_none() && gid.is_none() {
        return Ok(Ok(()));
    }
    match fchown(temp, uid, gid) {
        Ok(()) => Ok(Ok(())),
        // EINVAL: an owner the system cannot store here (an id outside a
        // user namespace's range).
        Err(Errno::EPERM | Errno::EINVAL) => {
            let group = group_name(want.gid());
            Ok(Err(match (uid, gid) {
                (Some(_), Some(_)) => format!(
                    "would no longer belong to {} and group {group}",
                    owner(&want)
                ),
                (Some(_), None) => format!("would no longer belong to {}", owner(&want)),
                _ => format!("would no longer belong to group {group} (you are not in it)"),
            }))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(unix))]
fn give_owner_of(_temp: &File, _data: &Path) -> io::Result<Result<(), String>> {
    Ok(Ok(()))
}

/// A group by its name where the system has one.
#[cfg(unix)]
fn group_name(gid: u32) -> String {
    use nix::unistd::{Gid, Group};
    match Group::from_gid(Gid::from_raw(gid)) {
        Ok(Some(group)) => group.name,
        _ => gid.to_string(),
    }
}

/// The data file must be a regular file, or not there yet (links
/// followed). A directory or a pipe would give an OS error at best and
/// hang at worst (opening a FIFO waits for a writer), and nothing is to
/// be made beside one.
///
/// # Errors
/// When `path` is a directory, or anything else but a regular file.
pub(crate) fn refuse_all_but_a_file(path: &Path) -> Result<()> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            bail!("{} is a directory, not a backlog file", path.display())
        }
        Ok(meta) if !meta.is_file() => {
            bail!("{} is not a regular file", path.display())
        }
        _ => Ok(()),
    }
}

/// The permissions of a file written beside the data file `data`, the
/// data file itself included: the data file's own, and always readable
/// and writable by its owner. Before there is a data file, its owner's
/// only: a backlog holds customers' names and what they said.
#[cfg(unix)]
fn mode_beside(data: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(data).map_or(0o600, |meta| meta.permissions().mode() & 0o777 | 0o600)
}

#[cfg(not(unix))]
fn mode_beside(_data: &Path) -> u32 {
    0o600
}

/// Set exactly `mode`, whatever the umask.
#[cfg(unix)]
fn set_mode(file: &File, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_file: &File, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// Set `mode` when the file has other permissions: a file that has them
/// already is left untouched, even when it is not ours to change.
#[cfg(unix)]
fn set_mode_if_other(file: &File, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if file.metadata()?.permissions().mode() & 0o777 == mode {
        return Ok(());
    }
    set_mode(file, mode)
}

#[cfg(not(unix))]
fn set_mode_if_other(_file: &File, _mode: u32) -> io::Result<()> {
    Ok(())
}

pub(crate) fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// The folder a file goes in must exist, and is made only when it is
/// backlog's own data folder.
fn ensure_folder(dir: &Path) -> Result<()> {
    if !folder_is_there(dir)? {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    Ok(())
}

/// Whether the folder `dir` is there (`false`: it is backlog's own data
/// folder, not made yet, which the first save makes). Anywhere else a
/// missing folder is an error, for reading as for writing: it is more
/// likely a typo or a drive that is not mounted than a wish for a new
/// one, and a backlog read from it could never be saved.
///
/// # Errors
/// When `dir` is missing (and not backlog's own), or is not a folder.
pub(crate) fn folder_is_there(dir: &Path) -> Result<bool> {
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(true),
        Ok(_) => bail!("{} is not a folder", dir.display()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if default_folder().as_deref() == Some(dir) {
                return Ok(false);
            }
            bail!(
                "the folder {} does not exist; make it first, or choose another file with --file or {FILE_ENV}",
                dir.display()
            )
        }
        Err(e) => Err(e).with_context(|| format!("cannot examine {}", dir.display())),
    }
}

/// Make `folder`, a folder of backlog's beside the data file (the
/// minutes'), when it is not there, durably; the folder it goes in must
/// be there, as for any file kept beside the data file.
///
/// # Errors
/// When it cannot be made, or something other than a folder has its name.
pub(crate) fn make_folder(folder: &Path) -> Result<()> {
    let parent = parent_dir(folder);
    ensure_folder(parent)?;
    match fs::create_dir(folder) {
        // The new folder is an entry in its parent, lost in a crash
        // unless that is flushed too, and what is written in it with it.
        Ok(()) => sync_dir(parent).with_context(|| format!("cannot flush {}", parent.display())),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            if fs::metadata(folder).is_ok_and(|meta| meta.is_dir()) {
                Ok(())
            } else {
                bail!("{} is not a folder", folder.display())
            }
        }
        Err(e) => Err(e).with_context(|| format!("cannot create {}", folder.display())),
    }
}

/// backlog's own data folder: `~/.local/share/backlog` on Linux.
pub(crate) fn default_folder() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "backlog").map(|dirs| dirs.data_dir().to_path_buf())
}

#[cfg(unix)]
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
pub(crate) fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// Letters and digits tempfile puts in each temporary file's name.
const TEMP_RANDOM: usize = 6;
const TEMP_SUFFIX: &str = ".tmp";
/// A temporary file is never this old while its save is under way.
const STALE_AFTER: Duration = Duration::from_secs(60);
/// The most of the data file's name a temporary file's name repeats, in
/// bytes. The rest of the temporary name takes about 20 more, and a
/// folder takes names of up to 255: a longer data file's name is cut.
const NAME_IN_TEMP: usize = 64;
/// What stands for the part of a long name that is cut: `~` and a hash
/// of the whole name, in hex.
const HASH_DIGITS: usize = 8;

/// The data file's name as the temporary files for it, and for the files
/// kept beside it, repeat it. A long name is cut to its first bytes (on
/// a character's boundary), followed by `~` and a hash of the whole
/// name, so it stays recognisable, and two long names that start alike
/// never take each other's temporary files for their own.
fn name_in_temp(data: &OsStr) -> OsString {
    if data.len() <= NAME_IN_TEMP {
        return data.to_os_string();
    }
    // FNV, unlike std's hasher, is the same in every build, so a file a
    // crash left is recognised by the next version too.
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(data.as_encoded_bytes());
    let hash = hasher.finish() & 0xffff_ffff;
    let name = data.to_string_lossy();
    let most = NAME_IN_TEMP - 1 - HASH_DIGITS;
    let cut = (0..=most).rev().find(|&at| name.is_char_boundary(at));
    let start = &name[..cut.unwrap_or(0)];
    OsString::from(format!("{start}~{hash:0HASH_DIGITS$x}"))
}

/// A new temporary file for `path`, which is the data file `data` or a
/// file kept beside it (`backlog.json.history`), named for the data file,
/// for which of its files it is, and for this process:
/// `.backlog.json.<pid>.<random>.tmp`, `.backlog.json.history.<pid>.<random>.tmp`.
/// A crash leaves it behind; the name says whose it is, so it can be
/// cleared away without touching a file another data file's save, or a
/// live save, is writing.
fn temp_file_for(path: &Path, data: &Path) -> io::Result<tempfile::NamedTempFile> {
    let name = path.file_name().unwrap_or_default();
    let data_name = data.file_name().unwrap_or_default();
    let mut prefix = OsString::from(".");
    // Only the data file's name is cut: what follows it says which of its
    // files this is (`.history`), and is short.
    match name
        .to_string_lossy()
        .strip_prefix(&*data_name.to_string_lossy())
    {
        Some(which) => {
            prefix.push(name_in_temp(data_name));
            prefix.push(which);
        }
        None => prefix.push(name_in_temp(name)),
    }
    prefix.push(format!(".{}.", std::process::id()));
    // Made here rather than by `tempfile_in`, whose errors name the
    // temporary file: a failure is reported as the user's file not saved.
    tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(TEMP_SUFFIX)
        .rand_bytes(TEMP_RANDOM)
        .make_in(parent_dir(path), |at| {
            let mut options = OpenOptions::new();
            options.read(true).write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            options.open(at)
        })
}

/// What the files kept beside the data file add to its name: one file
/// each (the undo history, the view, a refinement meeting's journal)...
const KEPT_BESIDE: [&str; 3] = [".history", ".view", ".meeting"];
/// ...and the starts of those stamped with the time they were written.
const STAMPED_BESIDE: [&str; 3] = [".conflict-", ".unsaved-", ".replaced-"];

/// The names of backlog's own files for the data file `data`, other than
/// the data file and its minutes: the lock, the undo history (and those
/// set aside), the view, a meeting's journal, the conflict, unsaved and
/// replaced copies, and the temporary files of saves (the minutes'
/// included). Each is a list of literal parts of a name, relative to the
/// data file's folder, with any run of characters but `/` between two
/// parts: `["backlog.json.conflict-", ""]` is every conflict file. They
/// are the user's own, never the team's: `share init` keeps them out of
/// git, and `sync` lets them be changed.
#[must_use]
pub fn side_files(data: &Path) -> Vec<Vec<String>> {
    let name = data.file_name().unwrap_or_default().to_string_lossy();
    let exact = |suffix: &str| vec![format!("{name}{suffix}")];
    let any_after = |start: &str| vec![format!("{name}{start}"), String::new()];
    let minutes = minutes_folder(data);
    let minutes = minutes.file_name().unwrap_or_default().to_string_lossy();
    let mut files = vec![exact(".lock")];
    files.extend(KEPT_BESIDE.iter().map(|suffix| exact(suffix)));
    // The history set aside: `.history.too-large-…`, `.history.replaced-…`.
    files.push(any_after(".history."));
    files.extend(STAMPED_BESIDE.iter().map(|start| any_after(start)));
    let in_temp = name_in_temp(data.file_name().unwrap_or_default());
    files.push(vec![
        format!(".{}", in_temp.to_string_lossy()),
        TEMP_SUFFIX.to_string(),
    ]);
    files.push(vec![".backlog-".to_string(), TEMP_SUFFIX.to_string()]);
    files.push(vec![format!("{minutes}/."), TEMP_SUFFIX.to_string()]);
    files
}

/// Whether `name`, relative to the data file's folder, is one of
/// `patterns` as [`side_files`] gives them.
#[must_use]
pub fn is_side_file(patterns: &[Vec<String>], name: &str) -> bool {
    patterns.iter().any(|parts| matches_parts(parts, name))
}

fn matches_parts(parts: &[String], name: &str) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return name.is_empty();
    };
    let Some(mut left) = name.strip_prefix(first.as_str()) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return left.is_empty();
    };
    for part in middle {
        let Some(at) = left.find(part.as_str()) else {
            return false;
        };
        if left[..at].contains('/') {
            return false;
        }
        left = &left[at + part.len()..];
    }
    left.len() >= last.len()
        && left.ends_with(last.as_str())
        && !left[..left.len() - last.len()].contains('/')
}

/// A temporary file of ours, as its name tells.
#[derive(Debug, PartialEq)]
enum TempFile {
    /// For the data file itself.
    DataFile,
    /// For a file kept beside it, written by process `pid`.
    Beside { pid: u32 },
    /// `.backlog-XXXXXX.tmp`, the only name earlier versions gave a
    /// temporary file, whatever the data file was called.
    OlderVersion,
}

impl TempFile {
    /// What a file named `name`, in the data file `data`'s folder, is: a
    /// temporary file for `data` or one of the files kept beside it
    /// (`.history`, `.view`, `.meeting`, `.conflict-…`, `.unsaved-…`,
    /// `.replaced-…`), one an older version left, or nothing of ours.
    fn named(name: &OsStr, data: &OsStr) -> Option<Self> {
        let name = name.as_encoded_bytes();
        let older = name
            .strip_prefix(b".backlog-")
            .and_then(|rest| rest.strip_suffix(TEMP_SUFFIX.as_bytes()));
        if older.is_some_and(is_random) {
            return Some(TempFile::OlderVersion);
        }
        let (kind, pid) = split_temp_name(
            name.strip_prefix(b".")?
                .strip_prefix(name_in_temp(data).as_encoded_bytes())?,
        )?;
        if kind.is_empty() {
            return Some(TempFile::DataFile);
        }
        let beside = KEPT_BESIDE.iter().any(|which| kind == which.as_bytes())
            || STAMPED_BESIDE
                .iter()
                .any(|start| kind.starts_with(start.as_bytes()));
        beside.then_some(TempFile::Beside { pid })
    }

    /// What a file named `name` in the minutes' folder is: a temporary
    /// file for minutes (`.2026-11-30-0912.md.<pid>.<random>.tmp`), or
    /// nothing of ours.
    fn named_in_minutes(name: &OsStr) -> Option<Self> {
        let (file, pid) = split_temp_name(name.as_encoded_bytes().strip_prefix(b".")?)?;
        let id = std::str::from_utf8(file).ok()?.strip_suffix(".md")?;
        is_minutes_id(id).then_some(TempFile::Beside { pid })
    }

    /// Whether no save can still be writing it. The data file is only
    /// saved under the lock, which the caller holds, so a temporary file
    /// for it is a crash's. Files beside it may be written without the
    /// lock (the TUI writes its undo history after a save): theirs are a
    /// crash's when the process is gone, or when it is too old to be a
    /// save under way (which also covers a process id used again). An
    /// older version's may be a live save of another data file in the
    /// folder, not under our lock: only its age tells.
    fn is_stale(&self, modified: io::Result<SystemTime>) -> bool {
        let old = modified
            .ok()
            .and_then(|at| SystemTime::now().duration_since(at).ok())
            .is_some_and(|age| age > STALE_AFTER);
        match self {
            TempFile::DataFile => true,
            TempFile::Beside { pid } => old || process_is_gone(*pid),
            TempFile::OlderVersion => old,
        }
    }
}

/// What a temporary file's name says after its leading `.` and the data
/// file's name (if any): which file it is for, and the process writing
/// it. `None` for a name not exactly of the form `<which>.<pid>.<random>.tmp`.
fn split_temp_name(rest: &[u8]) -> Option<(&[u8], u32)> {
    let rest = rest.strip_suffix(TEMP_SUFFIX.as_bytes())?;
    let (rest, random) = rest.split_at(rest.iter().rposition(|&b| b == b'.')?);
    if !is_random(&random[1..]) {
        return None;
    }
    let (which, pid) = rest.split_at(rest.iter().rposition(|&b| b == b'.')?);
    let pid = &pid[1..];
    if pid.is_empty() || !pid.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some((which, std::str::from_utf8(pid).ok()?.parse().ok()?))
}

/// The random part of a temporary file's name, as tempfile makes it.
fn is_random(part: &[u8]) -> bool {
    part.len() == TEMP_RANDOM && part.iter().all(u8::is_ascii_alphanumeric)
}

/// Whether process `pid` has ended, as far as the system can tell.
fn process_is_gone(pid: u32) -> bool {
    // Where there is no /proc (another system, or a container without
    // one) nobody can tell, and age alone decides.
    let proc = Path::new("/proc");
    proc.join("self").exists() && !proc.join(pid.to_string()).exists()
}

/// Remove the temporary files crashed saves left beside the data file
/// `data` and in its minutes' folder (see [`TempFile`]); nothing else is
/// touched. Call it holding the lock.
fn remove_stale_temp_files(data: &Path) {
    let Some(name) = data.file_name() else {
        return;
    };
    remove_stale_in(parent_dir(data), |file| TempFile::named(file, name));
    remove_stale_in(&minutes_folder(data), TempFile::named_in_minutes);
}

/// Remove the stale temporary files of ours in `folder`, `ours` telling
/// which they are.
fn remove_stale_in(folder: &Path, ours: impl Fn(&OsStr) -> Option<TempFile>) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let stale = ours(&entry.file_name())
            .is_some_and(|temp| temp.is_stale(entry.metadata().and_then(|meta| meta.modified())));
        if stale {
            // One that cannot be removed now is tried again next time.
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Open the lock file `lock` to read, when opening it to write was
/// refused (`refused`): a colleague's lock in a shared folder may be
/// theirs to write, but taking a lock needs no more than reading it, and
/// the save that follows says whose the data file is.
fn open_to_read(lock: &Path, refused: io::Error) -> io::Result<File> {
    if refused.kind() != io::ErrorKind::PermissionDenied {
        return Err(refused);
    }
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW);
    options.open(lock).map_err(|_| refused)
}

/// The lock file beside a data file.
#[must_use]
pub fn lock_path(path: &Path) -> PathBuf {
    sibling(path, ".lock")
}

/// An exclusive lock on the data file, held until dropped.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Wait for and take the lock beside the file `path` leads to (so two
    /// links to one file exclude each other), then clear away what
    /// crashed saves left there.
    ///
    /// # Errors
    /// When the data file is a directory or anything but a regular file,
    /// or the lock file cannot be made or locked, or is a link.
    pub fn acquire(path: &Path) -> Result<Self> {
        let data = follow_links(path)?;
        refuse_all_but_a_file(&data)?;
        ensure_folder(parent_dir(&data))?;
        let lock = lock_path(&data);
        let mode = mode_beside(&data);
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).write(true);
        // A link planted at the lock's name would have us create or open
        // a file of someone else's choosing.
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(mode).custom_flags(libc::O_NOFOLLOW);
        }
        let file = options
            .open(&lock)
            .or_else(|e| open_to_read(&lock, e))
            .map_err(|e| {
            #[cfg(unix)]
            if e.raw_os_error() == Some(libc::ELOOP) {
                return anyhow::anyhow!(
                    "the lock file {} is a symbolic link; backlog does not follow links there (remove it)",
                    lock.display()
                );
            }
            anyhow::Error::new(e).context(format!("cannot open lock file {}", lock.display()))
        })?;
        // The mode above is for a new lock file; one made earlier (by an
        // older backlog, under another umask) is brought into line. A
        // colleague's lock in a shared folder is theirs to change, and
        // locks as well as it is.
        let _ = set_mode_if_other(&file, mode);
        file.lock()
            .with_context(|| format!("cannot lock {}", lock.display()))?;
        remove_stale_temp_files(&data);
        Ok(Lock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_file_is_named_for_its_file_and_process() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("b.json");
        let temp = temp_file_for(&data, &data).unwrap();
        let name = temp.path().file_name().unwrap();
        let text = name.to_string_lossy();
        let pid = std::process::id();
        assert!(text.starts_with(&format!(".b.json.{pid}.")), "{text}");
        assert!(text.ends_with(".tmp"), "{text}");
        let ours = TempFile::named(name, OsStr::new("b.json"));
        assert_eq!(ours, Some(TempFile::DataFile));
        assert_eq!(TempFile::named(name, OsStr::new("b.jso")), None);
        assert_eq!(TempFile::named(name, OsStr::new("a.json")), None);
        let history = temp_file_for(&sibling(&data, ".history"), &data).unwrap();
        let ours = TempFile::named(history.path().file_name().unwrap(), OsStr::new("b.json"));
        assert_eq!(ours, Some(TempFile::Beside { pid }));
        let journal = temp_file_for(&sibling(&data, ".meeting"), &data).unwrap();
        let ours = TempFile::named(journal.path().file_name().unwrap(), OsStr::new("b.json"));
        assert_eq!(ours, Some(TempFile::Beside { pid }));
        let folder = minutes_folder(&data);
        fs::create_dir(&folder).unwrap();
        let minutes = temp_file_for(&folder.join("2026-11-30-0912-2.md"), &data).unwrap();
        let ours = TempFile::named_in_minutes(minutes.path().file_name().unwrap());
        assert_eq!(ours, Some(TempFile::Beside { pid }));
    }

    #[test]
    fn only_names_of_our_exact_form_are_ours() {
        let ours = |name: &str| TempFile::named(OsStr::new(name), OsStr::new("b.json"));
        assert_eq!(ours(".b.json.12.aB3dE9.tmp"), Some(TempFile::DataFile));
        for name in [
            ".b.json.history.12.aB3dE9.tmp",
            ".b.json.view.12.aB3dE9.tmp",
            ".b.json.meeting.12.aB3dE9.tmp",
            ".b.json.conflict-20261128T154200.123Z.json.12.aB3dE9.tmp",
            ".b.json.unsaved-S-3-20261128T154200.123Z.md.12.aB3dE9.tmp",
            ".b.json.replaced-20261128T154200.123Z.json.12.aB3dE9.tmp",
        ] {
            assert_eq!(ours(name), Some(TempFile::Beside { pid: 12 }), "{name}");
        }
        assert_eq!(ours(".backlog-aB3dE9.tmp"), Some(TempFile::OlderVersion));
        // A data file may be named as the old temporary files began.
        let named_so = TempFile::named(
            OsStr::new(".backlog-aB3dE9.12.xYz123.tmp"),
            OsStr::new("backlog-aB3dE9"),
        );
        assert_eq!(named_so, Some(TempFile::DataFile));
        for name in [
            "b.json.12.aB3dE9.tmp",
            ".b.json.12.aB3dE9.tmp~",
            ".b.json.12.aB3dE.tmp",
            ".b.json.12.aB3dE9x.tmp",
            ".b.json.12.aB-dE9.tmp",
            ".b.json..aB3dE9.tmp",
            ".b.json.1x.aB3dE9.tmp",
            ".b.json.99999999999.aB3dE9.tmp",
            ".b.json.aB3dE9.tmp",
            ".b.json.bak.12.aB3dE9.tmp",
            ".b.jsonx.12.aB3dE9.tmp",
            ".backlog-aB3dE.tmp",
            ".backlog-aB3dE99.tmp",
            ".backlog-aB-dE9.tmp",
            ".backlog-aB3dE9.tmp.keep",
            "backlog-aB3dE9.tmp",
            ".tmp",
        ] {
            assert!(ours(name).is_none(), "{name}");
        }
        let in_minutes = |name: &str| TempFile::named_in_minutes(OsStr::new(name));
        for name in [
            ".2026-11-30-0912.md.12.aB3dE9.tmp",
            ".2026-11-30-0912-2.md.12.aB3dE9.tmp",
        ] {
            assert_eq!(
                in_minutes(name),
                Some(TempFile::Beside { pid: 12 }),
                "{name}"
            );
        }
        for name in [
            "2026-11-30-0912.md.12.aB3dE9.tmp",
            ".2026-11-30-0912.md.12.aB3dE9.tmp~",
            ".2026-11-30-0912.12.aB3dE9.tmp",
            ".2026-11-30-0912.txt.12.aB3dE9.tmp",
            ".notes.md.12.aB3dE9.tmp",
            ".2026-11-30-0912.md..aB3dE9.tmp",
            ".2026-11-30-0912.md.12.aB3dE.tmp",
            ".b.json.12.aB3dE9.tmp",
            ".tmp",
        ] {
            assert!(in_minutes(name).is_none(), "{name}");
        }
    }

    #[test]
    fn a_long_name_is_cut_in_a_temporary_files_name_and_still_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let start = "\u{e9}".repeat(100);
        let (one, other) = (format!("{start}one.json"), format!("{start}other.json"));
        let stem = name_in_temp(OsStr::new(&one));
        let stem = stem.to_string_lossy();
        assert!(stem.len() <= NAME_IN_TEMP, "{stem}");
        assert!(one.starts_with(stem.split('~').next().unwrap()), "{stem}");
        assert_ne!(name_in_temp(OsStr::new(&other)), *stem);
        // A short name is kept whole.
        assert_eq!(name_in_temp(OsStr::new("b.json")), "b.json");

        let data = dir.path().join(&one);
        let temps = [
            temp_file_for(&data, &data).unwrap(),
            temp_file_for(&sibling(&data, ".history"), &data).unwrap(),
            temp_file_for(&dir.path().join(&other), &dir.path().join(&other)).unwrap(),
        ];
        let [data_temp, history_temp, others] = temps.map(|temp| {
            let name = temp.path().file_name().unwrap().to_os_string();
            assert!(name.len() < 128, "{name:?}");
            name
        });
        let pid = std::process::id();
        let named = |name: &OsString| TempFile::named(name, OsStr::new(&one));
        assert_eq!(named(&data_temp), Some(TempFile::DataFile));
        assert_eq!(named(&history_temp), Some(TempFile::Beside { pid }));
        assert_eq!(named(&others), None);
    }

    #[test]
    fn temporary_files_are_stale_by_whose_they_are_and_their_age() {
        let young = Ok(SystemTime::now());
        let old = Ok(SystemTime::now() - STALE_AFTER * 2);
        let alive = TempFile::Beside {
            pid: std::process::id(),
        };
        assert!(TempFile::DataFile.is_stale(young));
        assert!(!alive.is_stale(Ok(SystemTime::now())));
        assert!(alive.is_stale(old));
        assert!(!TempFile::OlderVersion.is_stale(Ok(SystemTime::now())));
        assert!(TempFile::OlderVersion.is_stale(Ok(SystemTime::now() - STALE_AFTER * 2)));
    }

    #[test]
    fn side_files_are_backlogs_own_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("b.json");
        let patterns = side_files(&data);
        let temp = temp_file_for(&data, &data).unwrap();
        let temp = temp
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for name in [
            "b.json.lock",
            "b.json.history",
            "b.json.history.too-large-20261128T154200.000Z",
            "b.json.view",
            "b.json.meeting",
            "b.json.conflict-20261128T154200.000Z.json",
            "b.json.unsaved-S-3-20261128T154200.000Z.md",
            "b.json.replaced-20261128T154200.000Z.json",
            temp.as_str(),
            ".backlog-aB3dE9.tmp",
            "b-minutes/.2026-11-30-0912.md.12.aB3dE9.tmp",
        ] {
            assert!(is_side_file(&patterns, name), "{name}");
        }
        for name in [
            "b.json",
            "b-minutes/2026-11-30-0912.md",
            "a.json.lock",
            "b.json.lock2",
            "sub/b.json.view",
            "b-minutes/sub/.x.tmp",
        ] {
            assert!(!is_side_file(&patterns, name), "{name}");
        }
    }
}
