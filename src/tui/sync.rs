//! Keeping the TUI and the file in step while other programs write it.
//!
//! The session remembers the backlog as last read or written (`base`) and
//! the exact text of the file then. Before each save, under the lock, it
//! reads the file: if the text is not what it last saw, someone else wrote
//! it, and the session merges its own unsaved change on top
//! (`model::merge`) instead of writing over theirs. Every second while idle
//! it looks at the file's metadata and reloads it when that changed.
//! Stories both sides changed keep the file's version; ours go to a
//! conflict file beside it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use chrono::Utc;
use serde_json::json;

use super::action::Action;
use crate::model::{Backlog, Merged, merge};
use crate::store::{self, Fingerprint, Lock};

/// Save once the user pauses this long...
const QUIET: Duration = Duration::from_millis(300);
/// ...or at the latest this long after the first unsaved change.
const AT_MOST: Duration = Duration::from_millis(800);
/// How often to look for other writers while idle, and to retry a failed
/// save.
const CHECK_EVERY: Duration = Duration::from_secs(1);

pub struct Session {
    path: PathBuf,
    /// The backlog as last read from or written to the file.
    base: Backlog,
    /// The file's text then; `None` when there was no file.
    text: Option<String>,
    fingerprint: Option<Fingerprint>,
    first_unsaved: Option<Instant>,
    last_change: Instant,
    last_check: Instant,
    /// After a failed save, when to try again.
    retry_at: Option<Instant>,
}

/// What the file said when read.
struct Read {
    text: Option<String>,
    fingerprint: Option<Fingerprint>,
}

impl Session {
    /// Read the backlog at `path` and start keeping it in step.
    ///
    /// # Errors
    /// When the file cannot be read or parsed: nothing is written.
    pub fn open(path: &Path) -> Result<(Self, Backlog)> {
        let fingerprint = Fingerprint::of(path)?;
        let text = store::read(path)?;
        let backlog = match &text {
            Some(text) => store::parse(path, text)?,
            None => Backlog::default(),
        };
        let now = Instant::now();
        let session = Session {
            path: path.to_path_buf(),
            base: backlog.clone(),
            text,
            fingerprint,
            first_unsaved: None,
            last_change: now,
            last_check: now,
            retry_at: None,
        };
        Ok((session, backlog))
    }

    /// The backlog in memory changed.
    pub fn changed(&mut self) {
        let now = Instant::now();
        self.first_unsaved.get_or_insert(now);
        self.last_change = now;
    }

    #[must_use]
    pub fn has_unsaved(&self) -> bool {
        self.first_unsaved.is_some()
    }

    /// When `tick` next has work: a save, or a look for other writers.
    fn due(&self) -> Instant {
        match self.first_unsaved {
            Some(first) => {
                let save_at = (self.last_change + QUIET).min(first + AT_MOST);
                self.retry_at.map_or(save_at, |retry| retry.max(save_at))
            }
            None => self.last_check + CHECK_EVERY,
        }
    }

    /// How long the loop may wait for a key before `tick` has work.
    #[must_use]
    pub fn next_deadline(&self) -> Duration {
        self.due().saturating_duration_since(Instant::now())
    }

    /// Save if a save is due, else look for other writers if a check is
    /// due. Returns what the app must be told.
    pub fn tick(&mut self, ours: &Backlog) -> Option<Action> {
        if Instant::now() < self.due() {
            None
        } else if self.has_unsaved() {
            self.save(ours)
        } else {
            self.reload_if_changed(ours)
        }
    }

    fn read(&self) -> Result<Read, String> {
        let fingerprint = Fingerprint::of(&self.path).map_err(|e| format!("{e:#}"))?;
        let text = store::read(&self.path).map_err(|e| format!("{e:#}"))?;
        Ok(Read { text, fingerprint })
    }

    /// With no unsaved change: reload the file if someone else wrote it.
    pub fn reload_if_changed(&mut self, ours: &Backlog) -> Option<Action> {
        self.last_check = Instant::now();
        let now = Fingerprint::of(&self.path).ok()?;
        // A file removed under us is not "every story deleted": the next
        // save writes it again.
        if now == self.fingerprint || now.is_none() {
            return None;
        }
        let read = match self.read() {
            Ok(read) => read,
            Err(message) => return Some(Action::SyncFailed(message)),
        };
        self.fingerprint = read.fingerprint;
        if read.text == self.text {
            return None;
        }
        match self.merge_from(ours, read) {
            Ok((merged, conflict_file)) => {
                let note = describe(
                    &merged,
                    conflict_file.as_deref(),
                    "Reloaded: the file was changed by another program",
                );
                Some(Action::Reloaded {
                    backlog: Box::new(merged.backlog),
                    note,
                })
            }
            Err(message) => Some(Action::SyncFailed(message)),
        }
    }

    /// Merge `ours` into the file's new text; the result becomes `base`.
    /// Also returns the conflict file, when there were conflicts.
    fn merge_from(
        &mut self,
        ours: &Backlog,
        read: Read,
    ) -> Result<(Merged, Option<PathBuf>), String> {
        let theirs = match &read.text {
            Some(text) => store::parse(&self.path, text).map_err(|e| {
                format!("{e:#} — not saved; your changes are kept here until the file is fixed")
            })?,
            None => self.base.clone(),
        };
        let merged = merge(&self.base, ours, &theirs);
        let conflict_file = if merged.has_conflicts() {
            Some(
                self.write_conflicts(&merged)
                    .map_err(|e| format!("{e:#}"))?,
            )
        } else {
            None
        };
        self.base = merged.backlog.clone();
        self.text = read.text;
        Ok((merged, conflict_file))
    }

    /// Save `ours`, merging first if the file changed under us. Returns a
    /// `Reloaded` action when the result differs from `ours`, and
    /// `SyncFailed` when nothing could be saved.
    pub fn save(&mut self, ours: &Backlog) -> Option<Action> {
        match self.try_save(ours) {
            Ok(action) => {
                self.retry_at = None;
                action
            }
            Err(message) => {
                self.retry_at = Some(Instant::now() + CHECK_EVERY);
                Some(Action::SyncFailed(message))
            }
        }
    }

    fn try_save(&mut self, ours: &Backlog) -> Result<Option<Action>, String> {
        let _lock = Lock::acquire(&self.path).map_err(|e| format!("{e:#}"))?;
        self.last_check = Instant::now();
        let read = self.read()?;
        let (to_save, action) = if read.text.is_none() || read.text == self.text {
            (ours, None)
        } else {
            let (merged, conflict_file) = self.merge_from(ours, read)?;
            let note = describe(
                &merged,
                conflict_file.as_deref(),
                "Merged with changes made by another program",
            );
            let action = Action::Reloaded {
                backlog: Box::new(merged.backlog),
                note,
            };
            (&self.base, Some(action))
        };
        let text = store::to_json(to_save);
        let fingerprint = store::save_text(&self.path, &text)
            .map_err(|e| format!("{e:#} — not saved; your changes are kept here"))?;
        if action.is_none() {
            self.base = ours.clone();
        }
        self.text = Some(text);
        self.fingerprint = Some(fingerprint);
        self.first_unsaved = None;
        Ok(action)
    }

    /// Save before quitting. If that fails, write the backlog to a
    /// recovery file beside the data file so nothing is lost.
    ///
    /// # Errors
    /// When the save failed: the message names the recovery file, or says
    /// that not even it could be written.
    pub fn save_on_exit(&mut self, ours: &Backlog) -> Result<()> {
        if !self.has_unsaved() {
            return Ok(());
        }
        let Err(failure) = self.try_save(ours) else {
            return Ok(());
        };
        let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
        let recovery = store::sibling(&self.path, &format!(".unsaved-{stamp}.json"));
        store::write_atomically(&recovery, store::to_json(ours).as_bytes())?;
        Err(anyhow!(
            "{failure}\nYour backlog as you left it is in {}",
            recovery.display()
        ))
    }

    fn write_conflicts(&self, merged: &Merged) -> Result<PathBuf> {
        let stamp = Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
        let file = store::sibling(&self.path, &format!(".conflict-{stamp}.json"));
        let record = json!({
            "note": "Changes made in the backlog TUI that clashed with changes made \
                     elsewhere at the same time. The data file kept the other version; \
                     these are the TUI's.",
            "product": merged.conflicting_product,
            "vision": merged.conflicting_vision,
            "deleted_in_tui_but_kept": merged.kept_deleted.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "stories": merged.conflicts,
        });
        let text = serde_json::to_string_pretty(&record)? + "\n";
        store::write_atomically(&file, text.as_bytes())?;
        Ok(file)
    }
}

/// The status-bar note for a merge.
fn describe(merged: &Merged, conflict_file: Option<&Path>, headline: &str) -> String {
    let mut note = headline.to_string();
    let clashed: Vec<String> = merged
        .conflicts
        .iter()
        .map(|s| s.id)
        .chain(merged.kept_deleted.iter().copied())
        .map(|id| id.to_string())
        .collect();
    if !clashed.is_empty()
        || merged.conflicting_product.is_some()
        || merged.conflicting_vision.is_some()
    {
        let what = if clashed.is_empty() {
            "the product".to_string()
        } else {
            clashed.join(", ")
        };
        let _ = write!(
            note,
            "; {what} changed here and there: kept the file's version"
        );
    }
    if let Some(file) = conflict_file {
        let _ = write!(note, ", yours is in {}", file.display());
    }
    for (old, new) in &merged.renumbered {
        let _ = write!(note, "; your new {old} is now {new}");
    }
    note
}
