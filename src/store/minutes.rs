//! Minutes of refinement meetings: Markdown files in a folder beside the
//! data file, named for it (`backlog.json` → `backlog-minutes/`), one for
//! each meeting, named for when it started (`2026-11-30-0912.md`; a
//! second meeting started in the same minute gets `-2`, and so on).
//!
//! Minutes are a record: each is written whole, once, and never written
//! over. What they say is the meeting's to write; here they are files
//! with the data file's permissions, found and read by their id.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use chrono::{DateTime, Local, NaiveDateTime};

use super::files::{make_folder, write_new_beside};
use super::read;

/// One meeting's minutes, as kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Minutes {
    /// When the meeting started, in local time, and which of those
    /// started in that minute: `2026-11-30-0912`, `2026-11-30-0912-2`.
    pub id: String,
    /// The Markdown file.
    pub path: PathBuf,
    /// The first line, its leading `# ` taken off; the id when the file
    /// starts without such a title.
    pub title: String,
}

/// How a minutes id writes the meeting's start. Every field is of fixed
/// width, so ids sort as the meetings started.
const START: &str = "%Y-%m-%d-%H%M";
/// How long that is: `2026-11-30-0912`.
const START_LEN: usize = 15;

/// The folder that keeps the minutes of the data file `data`'s meetings:
/// beside it, named for its name without the extension
/// (`backlog.json` → `backlog-minutes`).
#[must_use]
pub fn minutes_folder(data: &Path) -> PathBuf {
    let mut name = data.file_stem().unwrap_or_default().to_os_string();
    name.push("-minutes");
    data.with_file_name(name)
}

/// Whether `id` is the id of minutes (see [`Minutes::id`]).
pub(crate) fn is_minutes_id(id: &str) -> bool {
    order_of(id).is_some()
}

/// Where minutes with id `id` come among the others: by when the meeting
/// started, then which of those started in that minute (1 for the
/// first). `None` when `id` is no minutes' id.
fn order_of(id: &str) -> Option<(&str, u32)> {
    let start = id.get(..START_LEN)?;
    // Written back as it was read: no shorter field, no sign, no space.
    let read = NaiveDateTime::parse_from_str(start, START).ok()?;
    if read.format(START).to_string() != start {
        return None;
    }
    let again = match &id[START_LEN..] {
        "" => 1,
        rest => {
            let number = rest.strip_prefix('-')?;
            if number.starts_with('0') || !number.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            number.parse().ok().filter(|&again| again >= 2)?
        }
    };
    Some((start, again))
}

/// Write `text`, the minutes of the meeting that started at `started`,
/// as a new file in the minutes' folder beside `data` (made when first
/// needed); returns the minutes as kept. Minutes already there are never
/// written over: a meeting started in the same minute as others gets the
/// next free id (`2026-11-30-0912-2`). The file is written whole, with
/// the data file's permissions, and durably.
///
/// # Errors
/// When the folder or the file cannot be made or written; then no
/// minutes are left half written.
pub fn write_minutes(data: &Path, started: DateTime<Local>, text: &str) -> Result<Minutes> {
    let folder = minutes_folder(data);
    make_folder(&folder)?;
    let start = started.format(START).to_string();
    let id_for = |again: u32| {
        if again == 1 {
            start.clone()
        } else {
            format!("{start}-{again}")
        }
    };
    let path = write_new_beside(
        data,
        |again| folder.join(format!("{}.md", id_for(again))),
        text.as_bytes(),
    )?;
    let id = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let title = title_of(text.lines().next().unwrap_or_default(), &id);
    Ok(Minutes { id, path, title })
}

/// Every meeting's minutes kept beside `data`, oldest first: the files in
/// the minutes' folder named `<id>.md`; anything else there is left
/// out. No folder, no minutes.
///
/// # Errors
/// When the folder, or the first line of minutes in it, cannot be read:
/// the message names it.
pub fn list_minutes(data: &Path) -> Result<Vec<Minutes>> {
    kept(data)?
        .into_iter()
        .map(|(id, path)| {
            let title = title_of(&first_line(&path)?, &id);
            Ok(Minutes { id, path, title })
        })
        .collect()
}

/// The ids and files of the minutes kept beside `data`, oldest first,
/// as [`list_minutes`] finds them, none of them read.
fn kept(data: &Path) -> Result<Vec<(String, PathBuf)>> {
    let folder = minutes_folder(data);
    let cannot_list = || format!("cannot list the minutes in {}", folder.display());
    let entries = match fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(cannot_list),
    };
    let mut all = Vec::new();
    for entry in entries {
        let entry = entry.with_context(cannot_list)?;
        let name = entry.file_name();
        let Some(id) = name.to_str().and_then(|name| name.strip_suffix(".md")) else {
            continue;
        };
        let path = entry.path();
        if !is_minutes_id(id) || !fs::metadata(&path).is_ok_and(|meta| meta.is_file()) {
            continue;
        }
        all.push((id.to_string(), path));
    }
    all.sort_by(|(one, _), (other, _)| order_of(one).cmp(&order_of(other)));
    Ok(all)
}

/// The minutes with id `id`, or the only ones whose id starts with it
/// (`2026-11-30` for the only meeting that day); with no `id`, the
/// newest. And their text. Only the file asked for is read.
///
/// # Errors
/// When no minutes' id is or starts with `id`, or more than one starts
/// with it: the message lists the ids there are, or says there are no
/// minutes yet and where they would be. When the file cannot be read.
pub fn read_minutes(data: &Path, id: Option<&str>) -> Result<(Minutes, String)> {
    let all = kept(data)?;
    let none_yet = || {
        format!(
            "there are no minutes yet (a refinement meeting's minutes are kept in {})",
            minutes_folder(data).display()
        )
    };
    let ids = |minutes: &[&(String, PathBuf)]| {
        minutes
            .iter()
            .map(|(id, _)| id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (id, path) = match id {
        None => all.last().ok_or_else(|| anyhow!(none_yet()))?,
        Some(id) => {
            let starting: Vec<&(String, PathBuf)> = all
                .iter()
                .filter(|(kept, _)| !id.is_empty() && kept.starts_with(id))
                .collect();
            match (all.iter().find(|(kept, _)| kept == id), &starting[..]) {
                (Some(exact), _) => exact,
                (None, [only]) => *only,
                _ if all.is_empty() => bail!("no minutes {id:?}: {}", none_yet()),
                (None, []) => bail!(
                    "no minutes {id:?}; the minutes there are: {}",
                    ids(&all.iter().collect::<Vec<_>>())
                ),
                (None, several) => bail!(
                    "{id:?} starts more than one minutes' id: {}; give more of it",
                    ids(several)
                ),
            }
        }
    };
    let Some(text) = read(path)? else {
        bail!("cannot read {}: it is gone", path.display());
    };
    let minutes = Minutes {
        id: id.clone(),
        path: path.clone(),
        title: title_of(text.lines().next().unwrap_or_default(), id),
    };
    Ok((minutes, text))
}

/// The first line of the file at `path`; bytes that are not UTF-8 shown
/// as `�`, as only a title is wanted.
fn first_line(path: &Path) -> Result<String> {
    let cannot_read = || format!("cannot read {}", path.display());
    let mut line = Vec::new();
    File::open(path)
        .map(BufReader::new)
        .and_then(|mut file| file.read_until(b'\n', &mut line))
        .with_context(cannot_read)?;
    Ok(String::from_utf8_lossy(&line).into_owned())
}

/// The title in minutes whose first line is `line`: what follows a
/// leading `# ` (after a byte-order mark, as an editor may write one),
/// else the minutes' id.
fn title_of(line: &str, id: &str) -> String {
    line.trim_start_matches('\u{feff}')
        .strip_prefix("# ")
        .map(str::trim)
        .filter(|title| !title.is_empty())
        .unwrap_or(id)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32, minute: u32) -> DateTime<Local> {
        Local
            .with_ymd_and_hms(2026, 11, day, hour, minute, 0)
            .unwrap()
    }

    const TEXT: &str =
        "# Refinement meeting · Mon 30 Nov 2026, 09:12–09:47 (35 min)\n\nS-3 estimated 5.\n";

    #[test]
    fn the_folder_is_named_for_the_data_file() {
        let folder = |data: &str| minutes_folder(Path::new(data));
        assert_eq!(folder("/x/backlog.json"), Path::new("/x/backlog-minutes"));
        assert_eq!(folder("/x/shop.v2.json"), Path::new("/x/shop.v2-minutes"));
        assert_eq!(folder("/x/plain"), Path::new("/x/plain-minutes"));
        assert_eq!(folder("backlog.json"), Path::new("backlog-minutes"));
    }

    #[test]
    fn ids_are_the_start_and_which_meeting_of_that_minute() {
        for id in ["2026-11-30-0912", "2026-11-30-0912-2", "2026-11-30-2359-17"] {
            assert!(is_minutes_id(id), "{id}");
        }
        for id in [
            "",
            "2026-11-30",
            "2026-11-30-912",
            "2026-11-30-09120",
            "2026-13-30-0912",
            "2026-11-31-0912",
            "2026-11-30-2412",
            "2026-11-30-0960",
            "2026-11-30-0912-1",
            "2026-11-30-0912-0",
            "2026-11-30-0912-02",
            "2026-11-30-0912-",
            "2026-11-30-0912-x",
            "2026-11-30-0912-+3",
            "2026-11-30T0912",
            "+026-11-30-0912",
            "2026-11-30-0912é",
        ] {
            assert!(!is_minutes_id(id), "{id}");
        }
        assert!(order_of("2026-11-30-0912-2") < order_of("2026-11-30-0912-10"));
        assert!(order_of("2026-11-30-0912-10") < order_of("2026-11-30-0913"));
    }

    #[test]
    fn minutes_are_written_named_for_the_start_and_never_over_others() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("backlog.json");
        let first = write_minutes(&data, at(30, 9, 12), TEXT).unwrap();
        assert_eq!(first.id, "2026-11-30-0912");
        assert_eq!(
            first.path,
            dir.path().join("backlog-minutes/2026-11-30-0912.md")
        );
        assert_eq!(
            first.title,
            "Refinement meeting · Mon 30 Nov 2026, 09:12–09:47 (35 min)"
        );
        let second = write_minutes(&data, at(30, 9, 12), "# Again\n").unwrap();
        let third = write_minutes(&data, at(30, 9, 12), "no title\n").unwrap();
        let fourth = write_minutes(&data, at(30, 9, 12), "\u{feff}# Marked\r\n").unwrap();
        assert_eq!(fourth.title, "Marked");
        assert_eq!(second.id, "2026-11-30-0912-2");
        assert_eq!(third.id, "2026-11-30-0912-3");
        assert_eq!(third.title, "2026-11-30-0912-3");
        assert_eq!(fs::read_to_string(&first.path).unwrap(), TEXT);
        assert_eq!(fs::read_to_string(&second.path).unwrap(), "# Again\n");
        assert_eq!(list_minutes(&data).unwrap(), [first, second, third, fourth]);
        // Nothing else is left in the folder: no temporary file.
        assert_eq!(fs::read_dir(minutes_folder(&data)).unwrap().count(), 4);
    }

    #[cfg(unix)]
    #[test]
    fn minutes_take_the_data_files_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("b.json");
        let minutes = write_minutes(&data, at(30, 9, 12), TEXT).unwrap();
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&minutes.path), 0o600);
        fs::write(&data, "{}").unwrap();
        fs::set_permissions(&data, fs::Permissions::from_mode(0o640)).unwrap();
        let minutes = write_minutes(&data, at(30, 10, 0), TEXT).unwrap();
        assert_eq!(mode(&minutes.path), 0o640);
    }

    #[test]
    fn minutes_need_the_data_files_folder_and_no_file_in_their_folders_place() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("nope/b.json");
        let e = format!(
            "{:#}",
            write_minutes(&data, at(30, 9, 12), TEXT).unwrap_err()
        );
        assert!(e.contains("does not exist"), "{e}");
        assert!(!dir.path().join("nope").exists());

        let data = dir.path().join("b.json");
        fs::write(minutes_folder(&data), "not a folder").unwrap();
        let e = format!(
            "{:#}",
            write_minutes(&data, at(30, 9, 12), TEXT).unwrap_err()
        );
        assert!(e.contains("b-minutes is not a folder"), "{e}");
        let e = format!("{:#}", list_minutes(&data).unwrap_err());
        assert!(e.contains("cannot list the minutes in"), "{e}");
    }

    #[test]
    fn the_list_holds_only_minutes_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("backlog.json");
        assert_eq!(list_minutes(&data).unwrap(), []);
        let folder = minutes_folder(&data);
        fs::create_dir(&folder).unwrap();
        for (name, text) in [
            ("2026-11-30-1400.md", "# Afternoon\r\nrest"),
            ("2026-11-30-0912-10.md", "# Tenth"),
            ("2026-11-30-0912-2.md", "# Second\n"),
            ("2026-11-30-0912.md", "\u{feff}# First\n"),
            ("2026-11-29-0900.md", "#Not a title\n"),
            ("2026-11-28-0900.md", "# \n"),
            ("2026-11-27-0900.md", "# Caf\u{e9} \u{1f600}\n"),
            ("notes.md", "# Notes\n"),
            ("2026-11-30-0912.txt", "# Text\n"),
            (".2026-11-30-0912.md.12.aB3dE9.tmp", "# Half\n"),
        ] {
            fs::write(folder.join(name), text).unwrap();
        }
        fs::write(folder.join("2026-11-26-0900.md"), b"# Caf\xe9\n").unwrap();
        fs::create_dir(folder.join("2026-11-25-0900.md")).unwrap();
        let listed: Vec<(String, String)> = list_minutes(&data)
            .unwrap()
            .into_iter()
            .map(|minutes| (minutes.id, minutes.title))
            .collect();
        let expected = [
            ("2026-11-26-0900", "Caf\u{fffd}"),
            ("2026-11-27-0900", "Caf\u{e9} \u{1f600}"),
            ("2026-11-28-0900", "2026-11-28-0900"),
            ("2026-11-29-0900", "2026-11-29-0900"),
            ("2026-11-30-0912", "First"),
            ("2026-11-30-0912-2", "Second"),
            ("2026-11-30-0912-10", "Tenth"),
            ("2026-11-30-1400", "Afternoon"),
        ]
        .map(|(id, title)| (id.to_string(), title.to_string()));
        assert_eq!(listed, expected);
    }

    #[test]
    fn minutes_are_read_by_their_id_or_the_start_of_only_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("backlog.json");
        let e = format!("{:#}", read_minutes(&data, Some("2026-11-30")).unwrap_err());
        assert!(e.contains("there are no minutes yet"), "{e}");
        assert!(e.contains("backlog-minutes"), "{e}");

        write_minutes(&data, at(29, 9, 0), "# Sunday\n").unwrap();
        write_minutes(&data, at(30, 9, 12), TEXT).unwrap();
        write_minutes(&data, at(30, 9, 12), "# Again\n").unwrap();
        let (minutes, text) = read_minutes(&data, Some("2026-11-29")).unwrap();
        assert_eq!(
            (minutes.id.as_str(), text.as_str()),
            ("2026-11-29-0900", "# Sunday\n")
        );
        // An exact id wins over the longer ids it starts.
        let (minutes, text) = read_minutes(&data, Some("2026-11-30-0912")).unwrap();
        assert_eq!(
            (minutes.id.as_str(), text.as_str()),
            ("2026-11-30-0912", TEXT)
        );
        let (minutes, _) = read_minutes(&data, Some("2026-11-30-0912-")).unwrap();
        assert_eq!(minutes.id, "2026-11-30-0912-2");

        let e = format!("{:#}", read_minutes(&data, Some("2026-11-30")).unwrap_err());
        assert!(
            e.contains("starts more than one minutes' id: 2026-11-30-0912, 2026-11-30-0912-2"),
            "{e}"
        );
        for unknown in ["2026-12", "", "../backlog"] {
            let e = format!("{:#}", read_minutes(&data, Some(unknown)).unwrap_err());
            assert!(
                e.contains(
                    "the minutes there are: 2026-11-29-0900, 2026-11-30-0912, 2026-11-30-0912-2"
                ),
                "{e}"
            );
        }
    }
}
