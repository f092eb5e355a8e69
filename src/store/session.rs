//! Keeping a long-running writer (the TUI) in step with the file while
//! other programs write it too.
//!
//! The session remembers the backlog as last read or written (`base`), and
//! what the file was then: its fingerprint and a hash of its bytes, not
//! its text. Before each save, under the lock, it looks at the file: if it
//! is not what it last saw, someone else wrote it, and the session reads
//! it and merges the caller's change on top (`model::merge`) instead of
//! writing over theirs. Stories both sides changed keep the file's
//! version; the caller's go to a conflict file beside it.
//!
//! Looking costs one `stat` when the fingerprint settles it, and a read of
//! the file to hash it (kept nowhere, parsed never) when a write could hide
//! behind the same fingerprint (see [`Fingerprint::may_miss_a_write`]).
//! Only a file someone else changed is read whole and parsed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use serde_json::json;

use super::{ContentHash, Contents, Fingerprint, Lock, NotSaved, Reading, Seen};
use crate::model::{Backlog, Merged, StoryId, merge};

/// What to tell the user about a merge or reload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub text: String,
    /// Where our side of a clash was written, when there was one.
    pub conflict_file: Option<PathBuf>,
}

/// What a save or a check found and did.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// Nothing to do: the file is as last seen.
    Unchanged,
    /// The caller's backlog was written as given.
    Saved,
    /// The file had been changed by someone else; the caller's change was
    /// merged into it and the merge written.
    Merged {
        backlog: Backlog,
        note: Note,
        /// The caller's new stories whose ids the other writer had taken:
        /// (old, new).
        renumbered: Vec<(StoryId, StoryId)>,
    },
    /// (Checks only.) The file was changed by someone else; this is it now.
    Reloaded { backlog: Backlog, note: Note },
    /// Nothing was written; the message says why.
    Failed(String),
}

pub struct Session {
    path: PathBuf,
    /// The backlog as last read from or written to the file.
    base: Backlog,
    /// A hash of the file's bytes then; `None` when there was no file.
    hash: Option<ContentHash>,
    fingerprint: Option<Fingerprint>,
    /// Why the file, as it is now, cannot be read: a look or a save at a
    /// file that has not changed since says so again, without reading it
    /// again.
    unreadable: Option<String>,
    /// How many times the file was read whole (to be parsed), and how
    /// many read only to be hashed.
    reads: Reads,
}

/// How often a session read the file, and how.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reads {
    /// Read whole and parsed: at the start, and when someone else wrote it.
    pub whole: u64,
    /// Read a piece at a time to be hashed, and kept nowhere: when a write
    /// could hide behind an unchanged fingerprint.
    pub hashed: u64,
}

/// What a look at the file found.
enum Look {
    /// The file is as last seen, or gone (the next save writes it again).
    /// The fingerprint is the one just taken.
    AsSeen(Option<Fingerprint>),
    /// The file is the one last found unreadable, unchanged since.
    StillUnreadable(String),
    /// Someone else wrote it: this is what it says now.
    Changed(Contents),
}

impl Session {
    /// Read the backlog at `path` and start keeping it in step.
    ///
    /// # Errors
    /// When the file cannot be read or parsed: nothing is written.
    pub fn open(path: &Path) -> Result<(Self, Backlog)> {
        Session::open_reporting(path, &Arc::default())
    }

    /// As [`Session::open`], counting how far the read has got into
    /// `reading` as it goes, for another thread to show.
    ///
    /// # Errors
    /// As [`Session::open`].
    pub fn open_reporting(path: &Path, reading: &Arc<Reading>) -> Result<(Self, Backlog)> {
        let Contents {
            text,
            hash,
            fingerprint,
        } = super::read_hashed(path, reading)?;
        let (backlog, _) = super::parse_keeping(path, text.as_deref(), reading, false)?;
        let session = Session {
            path: path.to_path_buf(),
            // Apart, on the reading thread: a plain copy would share the
            // lists, and the caller's first change would copy them (at a
            // million stories, about 25 ms on the TUI's event loop).
            base: backlog.unshared(),
            hash,
            fingerprint,
            unreadable: None,
            reads: Reads {
                whole: 1,
                hashed: 0,
            },
        };
        // Done once the copy apart is made too: all of it is the read's.
        reading.done();
        Ok((session, backlog))
    }

    /// The data file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How often this session has read the file, and how.
    #[must_use]
    pub fn reads(&self) -> Reads {
        self.reads
    }

    fn read(&mut self) -> Result<Contents, String> {
        self.reads.whole += 1;
        super::read_hashed(&self.path, &Reading::default()).map_err(|e| format!("{e:#}"))
    }

    /// Whether the file is as last seen, and if not what it says now.
    /// The file is read whole only when it changed; when its fingerprint
    /// could hide a write, it is hashed first.
    fn look(&mut self) -> Result<Look, String> {
        let now = Fingerprint::of(&self.path).map_err(|e| format!("{e:#}"))?;
        if now.is_none() {
            return Ok(Look::AsSeen(None));
        }
        if now == self.fingerprint {
            let settled = self.fingerprint.is_some_and(|f| !f.may_miss_a_write());
            match (&self.unreadable, settled) {
                (Some(why), true) => return Ok(Look::StillUnreadable(why.clone())),
                (None, true) => return Ok(Look::AsSeen(now)),
                // The hash is of the last file that read, not of this one.
                (Some(_), false) => {}
                (None, false) => {
                    self.reads.hashed += 1;
                    let hash = ContentHash::of_file(&self.path).map_err(|e| format!("{e:#}"))?;
                    if hash.is_some() && hash == self.hash {
                        return Ok(Look::AsSeen(now));
                    }
                }
            }
        }
        let read = self.read()?;
        if read.text.is_none() {
            return Ok(Look::AsSeen(None));
        }
        // Touched, or written again with the same bytes: nothing to take in.
        if read.hash == self.hash {
            return Ok(Look::AsSeen(read.fingerprint));
        }
        Ok(Look::Changed(read))
    }

    /// For a caller with no unsaved change: has someone else written the
    /// file? Cheap (one `stat`) when nobody has, except in the few seconds
    /// after a write, when the file is read to be hashed (see
    /// [`Fingerprint::may_miss_a_write`]). `Unchanged` means the file
    /// reads, as last seen; a file that cannot be read fails at each look
    /// until it is fixed.
    pub fn reload_if_changed(&mut self) -> Outcome {
        self.reload_if_changed_with(|| {})
    }

    /// As [`Session::reload_if_changed`], running `taking_in` when the look
    /// has read a file that changed, before taking it in: tests make it
    /// panic there.
    pub fn reload_if_changed_with(&mut self, taking_in: impl FnOnce()) -> Outcome {
        let read = match self.look() {
            // A file removed under us is not "every story deleted": the
            // next save writes it again.
            Ok(Look::AsSeen(None)) => {
                self.unreadable = None;
                return Outcome::Unchanged;
            }
            Ok(Look::StillUnreadable(cause)) => {
                return Outcome::Failed(unreadable(cause).while_running());
            }
            Ok(Look::AsSeen(Some(now))) => {
                self.fingerprint = Some(now);
                self.unreadable = None;
                return Outcome::Unchanged;
            }
            Ok(Look::Changed(read)) => read,
            Err(message) => return Outcome::Failed(message),
        };
        taking_in();
        // What the session last saw changes only once the file is taken
        // in: a look cut short (by a panic) must leave the next look to
        // read the file again, not find its fingerprint already seen.
        // With no unsaved change, "ours" is the base: the merge is theirs.
        let Contents {
            text,
            fingerprint,
            hash,
        } = read;
        match self.merge_from(&self.base, text) {
            Ok((merged, conflict_file)) => {
                let note = Note {
                    text: describe(
                        &merged,
                        conflict_file.as_deref(),
                        "Reloaded: the file was changed by another program",
                    ),
                    conflict_file,
                };
                self.base = merged.backlog.clone();
                self.hash = hash;
                self.fingerprint = fingerprint;
                self.unreadable = None;
                Outcome::Reloaded {
                    note,
                    backlog: merged.backlog,
                }
            }
            Err(unsaved) => {
                // A file that cannot be read fails each look until it
                // changes, without being read again. Anything else (the
                // conflict file) leaves the next look to try the same file
                // again.
                if unsaved.meaning == Some(UNREADABLE) {
                    self.fingerprint = fingerprint;
                    self.unreadable = Some(unsaved.cause.clone());
                }
                Outcome::Failed(unsaved.while_running())
            }
        }
    }

    /// Merge `ours` into the file's new text, which is let go once it is
    /// parsed. Also returns the conflict file, when there were conflicts.
    fn merge_from(
        &self,
        ours: &Backlog,
        text: Option<String>,
    ) -> Result<(Merged, Option<PathBuf>), Unsaved> {
        let theirs = match text {
            Some(text) => {
                super::parse(&self.path, &text).map_err(|e| unreadable(format!("{e:#}")))?
            }
            None => self.base.clone(),
        };
        let merged = merge(&self.base, ours, &theirs);
        let conflict_file = if merged.has_conflicts() {
            Some(write_conflicts(&self.path, &merged).map_err(Unsaved::from)?)
        } else {
            None
        };
        Ok((merged, conflict_file))
    }

    /// The backlog as last read or written: apart from the one the
    /// session was opened with (see [`Backlog::unshared`]), which the
    /// caller goes on to change.
    #[must_use]
    pub fn base(&self) -> &Backlog {
        &self.base
    }

    /// Save `ours`, merging first if the file changed under us.
    pub fn save(&mut self, ours: &Backlog) -> Outcome {
        match self.try_save(ours) {
            Ok(outcome) => outcome,
            Err(unsaved) => Outcome::Failed(unsaved.while_running()),
        }
    }

    fn try_save(&mut self, ours: &Backlog) -> Result<Outcome, Unsaved> {
        let _lock = Lock::acquire(&self.path).map_err(Unsaved::from)?;
        let look = self.look().map_err(|cause| Unsaved {
            cause,
            meaning: None,
        })?;
        if let Look::StillUnreadable(cause) = look {
            return Err(unreadable(cause));
        }
        let (written, outcome) = if let Look::Changed(read) = look {
            let (merged, conflict_file) = self.merge_from(ours, read.text)?;
            let note = Note {
                text: describe(
                    &merged,
                    conflict_file.as_deref(),
                    "Merged with changes made by another program",
                ),
                conflict_file,
            };
            let outcome = Outcome::Merged {
                backlog: merged.backlog.clone(),
                note,
                renumbered: merged.renumbered.clone(),
            };
            (merged.backlog, outcome)
        } else {
            (ours.clone(), Outcome::Saved)
        };
        let Seen { fingerprint, hash } =
            super::save_seen(&self.path, &written).map_err(|e| Unsaved {
                cause: format!("{e:#}"),
                meaning: Some(NOT_WRITTEN),
            })?;
        // Only now is this what the file holds.
        self.base = written;
        self.hash = Some(hash);
        self.fingerprint = Some(fingerprint);
        self.unreadable = None;
        Ok(outcome)
    }

    /// The last save, when the program ends. If the file cannot take it,
    /// the backlog is kept in a recovery file beside it, or failing that
    /// in the system's temporary directory.
    ///
    /// # Errors
    /// When the save failed: why, and where the backlog was kept, if
    /// anywhere.
    pub fn save_or_recover(&mut self, ours: &Backlog) -> Result<(), NotSaved> {
        match self.try_save(ours) {
            Ok(_) => Ok(()),
            Err(unsaved) => {
                let mut not_saved = NotSaved::keep(&self.path, ours, unsaved.cause);
                // One that was here, though its folder has gone since,
                // is still there to be unchanged.
                not_saved.existed |= self.hash.is_some();
                Err(not_saved)
            }
        }
    }
}

/// Why a save wrote nothing.
struct Unsaved {
    cause: String,
    /// What that means while the program runs on, if more than the cause.
    meaning: Option<&'static str>,
}

const UNREADABLE: &str = "nothing is written to it until it is fixed; your backlog is kept here";
const NOT_WRITTEN: &str = "not saved; your changes are kept here";

/// The file cannot be read, for `cause`.
fn unreadable(cause: String) -> Unsaved {
    Unsaved {
        cause,
        meaning: Some(UNREADABLE),
    }
}

impl Unsaved {
    fn while_running(self) -> String {
        match self.meaning {
            Some(meaning) => format!("{} — {meaning}", self.cause),
            None => self.cause,
        }
    }
}

impl From<anyhow::Error> for Unsaved {
    fn from(e: anyhow::Error) -> Self {
        Unsaved {
            cause: format!("{e:#}"),
            meaning: None,
        }
    }
}

/// Write our side of a merge's conflicts to a file beside `path`, and
/// return that file.
///
/// # Errors
/// When the file cannot be written.
pub fn write_conflicts(path: &Path, merged: &Merged) -> Result<PathBuf> {
    let record = json!({
        "note": "Changes made in the backlog TUI that clashed with changes made \
                 elsewhere at the same time. The data file kept the other version; \
                 these are the TUI's.",
        "product": merged.conflicting_product,
        "deleted_in_tui_but_kept": merged.kept_deleted.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "stories": merged.conflicts,
    });
    let text = serde_json::to_string_pretty(&record)? + "\n";
    super::write_stamped(path, ".conflict-", ".json", text.as_bytes())
}

/// The status-bar note for a merge: what clashed, where our side went,
/// which new stories were renumbered.
#[must_use]
pub fn describe(merged: &Merged, conflict_file: Option<&Path>, headline: &str) -> String {
    let ids = |ids: &mut dyn Iterator<Item = StoryId>| {
        ids.map(|id| id.to_string()).collect::<Vec<_>>().join(", ")
    };
    let mut parts = Vec::new();
    if !merged.conflicts.is_empty() {
        let clashed = ids(&mut merged.conflicts.iter().map(|s| s.id));
        parts.push(format!(
            "{clashed} changed in the file too: the file's version stays"
        ));
    }
    if !merged.kept_deleted.is_empty() {
        let kept = ids(&mut merged.kept_deleted.iter().copied());
        parts.push(format!("{kept} changed in the file, so it is back"));
    }
    if merged.conflicting_product.is_some() {
        parts.push("the product changed in the file too: the file's version stays".into());
    }
    if let Some(file) = conflict_file {
        // The file sits beside the data file; its name is what fits.
        let name = file.file_name().map_or_else(
            || file.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        );
        parts.push(format!("yours is in {name}"));
    }
    // A clash is the news; the headline only says where changes came from.
    if parts.is_empty() && !headline.is_empty() {
        parts.push(headline.to_string());
    }
    // A deleted story of ours moved past the file's ids is not news.
    for (old, new) in &merged.renumbered {
        if merged.backlog.get(*new).is_some() {
            parts.push(format!("your new {old} is now {new}"));
        }
    }
    parts.join("; ")
}
