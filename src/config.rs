//! The user's settings file: who they are, for comments and overrides,
//! whether the TUI takes the mouse, and how refinement meetings are
//! timed.
//!
//! `$BACKLOG_CONFIG` names the file, else `config.toml` in the platform's
//! config directory (`~/.config/backlog/` on Linux). The user's keymap,
//! `keys.toml`, is beside it. A missing file means
//! the defaults; a file with an unknown key, a value of the wrong type or
//! a number out of its range is an error naming the file, line and
//! column, so a typo never passes silently.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde::de::{self, Deserializer, Unexpected, Visitor};

use crate::meeting::{AGENDA_STORIES, Timing};

/// The environment variable that names the config file.
pub const CONFIG_ENV: &str = "BACKLOG_CONFIG";

/// What the config file says. Every key is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The name written on comments, resolved questions and ready
    /// overrides.
    #[serde(default)]
    pub author: Option<String>,
    /// Whether the TUI takes the mouse (clicks, the wheel, dragging a row
    /// to rank it). Off, the terminal keeps the mouse for its own
    /// selecting and copying.
    #[serde(default)]
    pub mouse: Option<bool>,
    /// The `[meeting]` section: how refinement meetings are timed.
    #[serde(default)]
    pub meeting: MeetingSettings,
}

/// The `[meeting]` section: the refinement meeting's timeboxes and the
/// size of its default agenda. Every key is optional.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingSettings {
    #[serde(default)]
    timebox: Option<Within<1, 120>>,
    #[serde(default)]
    length: Option<Within<5, 480>>,
    #[serde(default)]
    stories: Option<Within<1, 50>>,
}

impl MeetingSettings {
    /// Minutes each story may take: 1 to 120, else the meeting's default.
    #[must_use]
    pub fn timebox(&self) -> u32 {
        self.timebox.map_or(Timing::STORY_MINUTES, Within::get)
    }

    /// The meeting's planned minutes: 5 to 480, else the meeting's default.
    #[must_use]
    pub fn length(&self) -> u32 {
        self.length.map_or(Timing::MEETING_MINUTES, Within::get)
    }

    /// How many stories a default agenda takes: 1 to 50, else the
    /// meeting's default.
    #[must_use]
    pub fn stories(&self) -> usize {
        self.stories
            .map_or(AGENDA_STORIES, |stories| stories.get() as usize)
    }
}

/// A whole number the file may set from `LEAST` to `MOST`. One outside
/// that range is refused where it is written, as a value of the wrong
/// type is, rather than clamped: a typo (`length = 600` for 60) should
/// be seen, not half obeyed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Within<const LEAST: u32, const MOST: u32>(u32);

impl<const LEAST: u32, const MOST: u32> Within<LEAST, MOST> {
    fn get(self) -> u32 {
        self.0
    }
}

impl<'de, const LEAST: u32, const MOST: u32> Deserialize<'de> for Within<LEAST, MOST> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Number<const LEAST: u32, const MOST: u32>;

        impl<const LEAST: u32, const MOST: u32> Number<LEAST, MOST> {
            fn within<E: de::Error>(
                self,
                number: Option<u32>,
                as_read: Unexpected,
            ) -> Result<u32, E> {
                number
                    .filter(|number| (LEAST..=MOST).contains(number))
                    .ok_or_else(|| E::invalid_value(as_read, &self))
            }
        }

        impl<const LEAST: u32, const MOST: u32> Visitor<'_> for Number<LEAST, MOST> {
            type Value = u32;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "a whole number from {LEAST} to {MOST}")
            }

            fn visit_i64<E: de::Error>(self, number: i64) -> Result<u32, E> {
                self.within(u32::try_from(number).ok(), Unexpected::Signed(number))
            }

            fn visit_u64<E: de::Error>(self, number: u64) -> Result<u32, E> {
                self.within(u32::try_from(number).ok(), Unexpected::Unsigned(number))
            }
        }

        deserializer
            .deserialize_u32(Number::<LEAST, MOST>)
            .map(Within)
    }
}

impl Config {
    /// Whether the TUI takes the mouse: unless the file says not.
    #[must_use]
    pub fn mouse(&self) -> bool {
        self.mouse.unwrap_or(true)
    }

    /// The configured author, else `$USER`, else `"unknown"`.
    #[must_use]
    pub fn author(&self) -> String {
        self.author_or(std::env::var("USER").ok().as_deref())
    }

    /// The configured author, else `user` (the login name), else
    /// `"unknown"`; a blank name counts as none. Apart from [`Config::author`]
    /// so that tests can say what `$USER` is.
    fn author_or(&self, user: Option<&str>) -> String {
        [self.author.as_deref(), user]
            .into_iter()
            .flatten()
            .map(str::trim)
            .find(|name| !name.is_empty())
            .unwrap_or("unknown")
            .to_string()
    }
}

/// Where the config file is: `$BACKLOG_CONFIG`, else `config.toml` in the
/// config directory; `None` when there is no home directory to look in.
#[must_use]
pub fn path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    directories::ProjectDirs::from("", "", "backlog").map(|d| d.config_dir().join("config.toml"))
}

/// Where the user's keymap file is: `keys.toml` beside the config file
/// (see [`path`]).
#[must_use]
pub fn keys_path() -> Option<PathBuf> {
    path().map(|config| config.with_file_name("keys.toml"))
}

/// Read the config file (see [`path`]); the defaults when there is none.
///
/// # Errors
/// When the file exists but cannot be read, is not valid TOML, or has an
/// unknown key or a wrong type: the message names the file, line and column.
pub fn load() -> Result<Config> {
    match path() {
        Some(path) => load_from(&path),
        None => Ok(Config::default()),
    }
}

/// Read the config file at `path`; the defaults when it does not exist.
///
/// # Errors
/// As [`load`].
pub fn load_from(path: &Path) -> Result<Config> {
    match fs::read_to_string(path) {
        Ok(text) => parse(path, &text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Config::default()),
        Err(e) => Err(e).with_context(|| format!("cannot read config {}", path.display())),
    }
}

/// Parse the text of the config file at `path`.
///
/// # Errors
/// As [`load`].
pub fn parse(path: &Path, text: &str) -> Result<Config> {
    match toml::from_str(text) {
        Ok(config) => Ok(config),
        Err(e) => {
            let (line, column) = e
                .span()
                .map_or((1, 1), |span| line_column(text, span.start));
            bail!(
                "cannot read config {}: line {line} column {column}: {}",
                path.display(),
                e.message().trim_end()
            )
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn reads_the_author() {
        let (_dir, path) = write("# who I am\nauthor = \"Ann Smith\"\n");
        let config = load_from(&path).unwrap();
        assert_eq!(config.author(), "Ann Smith");
    }

    #[test]
    fn a_missing_file_is_the_defaults_and_stays_missing() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.toml");
        let config = load_from(&missing).unwrap();
        assert_eq!(config, Config::default());
        assert!(!missing.exists(), "reading the config wrote it");
    }

    #[test]
    fn the_author_is_the_configured_name_else_the_login_name_else_unknown() {
        let with = |author: Option<&str>| Config {
            author: author.map(str::to_string),
            ..Config::default()
        };
        assert_eq!(
            with(Some(" Ann Smith ")).author_or(Some("ann")),
            "Ann Smith"
        );
        assert_eq!(with(None).author_or(Some("ann")), "ann");
        assert_eq!(with(Some("  ")).author_or(Some(" ann\n")), "ann");
        assert_eq!(with(Some("")).author_or(Some(" ")), "unknown");
        assert_eq!(with(None).author_or(None), "unknown");
    }

    #[test]
    fn unknown_keys_and_wrong_types_name_file_line_and_column() {
        let (_dir, path) = write("author = \"Ann\"\n\ncolour = \"red\"\n");
        let e = load_from(&path).unwrap_err().to_string();
        assert!(e.contains(&path.display().to_string()), "{e}");
        assert!(e.contains("line 3 column 1"), "{e}");
        assert!(e.contains("unknown field `colour`"), "{e}");

        let (_dir, path) = write("author = 42\n");
        let e = load_from(&path).unwrap_err().to_string();
        assert!(e.contains("line 1 column 10"), "{e}");

        let (_dir, path) = write("author = \"Ann\n");
        let e = load_from(&path).unwrap_err().to_string();
        assert!(e.contains("line 1 column"), "{e}");
    }

    #[test]
    fn the_mouse_is_taken_unless_the_file_says_not() {
        assert!(Config::default().mouse());
        let (_dir, path) = write("mouse = false\n");
        assert!(!load_from(&path).unwrap().mouse());
        let (_dir, path) = write("mouse = true\n");
        assert!(load_from(&path).unwrap().mouse());
        let (_dir, path) = write("author = \"Ann\"\nmouse = \"off\"\n");
        let e = load_from(&path).unwrap_err().to_string();
        assert!(e.contains("line 2 column 9"), "{e}");
    }

    #[test]
    fn the_meeting_is_timed_as_the_file_says_else_by_the_defaults() {
        let meeting = Config::default().meeting;
        assert_eq!(
            (meeting.timebox(), meeting.length(), meeting.stories()),
            (5, 60, 5)
        );
        let (_dir, path) = write("author = \"Ann\"\n\n[meeting]\ntimebox = 8\nstories = 12\n");
        let meeting = load_from(&path).unwrap().meeting;
        assert_eq!(
            (meeting.timebox(), meeting.length(), meeting.stories()),
            (8, 60, 12)
        );
        let (_dir, path) = write("meeting = { timebox = 1, length = 480, stories = 50 }\n");
        let meeting = load_from(&path).unwrap().meeting;
        assert_eq!(
            (meeting.timebox(), meeting.length(), meeting.stories()),
            (1, 480, 50)
        );
        let (_dir, path) = write("[meeting]\ntimebox = 120\nlength = 5\nstories = 1\n");
        let meeting = load_from(&path).unwrap().meeting;
        assert_eq!(
            (meeting.timebox(), meeting.length(), meeting.stories()),
            (120, 5, 1)
        );
    }

    #[test]
    fn a_meeting_value_out_of_range_or_of_the_wrong_type_names_file_line_and_column() {
        for (text, place, message) in [
            (
                "[meeting]\ntimebox = 0\n",
                "line 2 column 11",
                "invalid value: integer `0`, expected a whole number from 1 to 120",
            ),
            (
                "[meeting]\ntimebox = 121\n",
                "line 2 column 11",
                "expected a whole number from 1 to 120",
            ),
            (
                "[meeting]\nlength = 4\n",
                "line 2 column 10",
                "invalid value: integer `4`, expected a whole number from 5 to 480",
            ),
            (
                "[meeting]\nlength = 481\n",
                "line 2 column 10",
                "expected a whole number from 5 to 480",
            ),
            (
                "[meeting]\n\nstories = 51\n",
                "line 3 column 11",
                "invalid value: integer `51`, expected a whole number from 1 to 50",
            ),
            (
                "[meeting]\nstories = -1\n",
                "line 2 column 11",
                "invalid value: integer `-1`, expected a whole number from 1 to 50",
            ),
            (
                "[meeting]\ntimebox = 9999999999999\n",
                "line 2 column 11",
                "invalid value: integer `9999999999999`, expected a whole number from 1 to 120",
            ),
            (
                "[meeting]\ntimebox = \"5\"\n",
                "line 2 column 11",
                "invalid type: string \"5\", expected a whole number from 1 to 120",
            ),
            (
                "[meeting]\ntimebox = 5.5\n",
                "line 2 column 11",
                "invalid type: floating point `5.5`, expected a whole number from 1 to 120",
            ),
            (
                "meeting = { length = 3 }\n",
                "line 1 column 22",
                "expected a whole number from 5 to 480",
            ),
            (
                "[meeting]\nagenda = 3\n",
                "line 2 column 1",
                "unknown field `agenda`, expected one of `timebox`, `length`, `stories`",
            ),
            (
                "meeting = 5\n",
                "line 1 column 11",
                "invalid type: integer `5`",
            ),
        ] {
            let (_dir, path) = write(text);
            let e = load_from(&path).unwrap_err().to_string();
            assert!(e.contains(&path.display().to_string()), "{text:?}: {e}");
            assert!(e.contains(place), "{text:?}: {e}");
            assert!(e.contains(message), "{text:?}: {e}");
        }
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_column("ab\nçd", 5), (2, 2));
        assert_eq!(line_column("", 0), (1, 1));
    }
}
