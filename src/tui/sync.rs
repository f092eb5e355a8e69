//! Keeping the TUI and the file in step while other programs write it.
//!
//! The TUI remembers the backlog as last read or written (`base`) and the
//! file's fingerprint then. Before each save, and every second while idle,
//! it checks the fingerprint; if the file changed, it reads it, merges its
//! own unsaved change on top (`model::merge`), and shows the result. Stories
//! both sides changed keep the file's version; ours go to a conflict file.

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
/// How often to look for other writers while idle.
const CHECK_EVERY: Duration = Duration::from_secs(1);

pub struct Session {
    path: PathBuf,
    base: Backlog,
    fingerprint: Option<Fingerprint>,
    first_unsaved: Option<Instant>,
    last_change: Instant,
    last_check: Instant,
    /// After a failed save, when to try again.
    retry_at: Option<Instant>,
    /// The fingerprint of a file we could not read; we wait for it to
    /// change rather than re-read it every tick.
    unreadable: Option<Option<Fingerprint>>,
}

impl Session {
    #[must_use]
    pub fn new(path: &Path, base: Backlog, fingerprint: Option<Fingerprint>) -> Self {
        let now = Instant::now();
        Session {
            path: path.to_path_buf(),
            base,
            fingerprint,
            first_unsaved: None,
            last_change: now,
            last_check: now,
            retry_at: None,
            unreadable: None,
        }
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
            self.check(ours)
        }
    }

    /// The file's fingerprint now, unless it is the unreadable file we
    /// already reported.
    fn file_changed(&mut self) -> Result<Option<Fingerprint>, String> {
        self.last_check = Instant::now();
        let now = Fingerprint::of(&self.path).map_err(|e| format!("{e:#}"))?;
        if self.unreadable == Some(now) {
            return Err(format!(
                "{} cannot be read; fix it and your changes will be saved into it",
                self.path.display()
            ));
        }
        Ok(now)
    }

    /// With no unsaved change: reload the file if someone else wrote it.
    fn check(&mut self, ours: &Backlog) -> Option<Action> {
        let now = match self.file_changed() {
            Ok(now) => now,
            // Nothing to lose while idle: the message was shown already.
            Err(_) => return None,
        };
        // A file removed under us is not "every story deleted": the next
        // save writes it again.
        if now == self.fingerprint || now.is_none() {
            return None;
        }
        match self.read_and_merge(ours, now) {
            Ok((merged, _)) => {
                let note = describe(&merged, "Reloaded: the file was changed by another program");
                let backlog = merged.backlog;
                self.base = backlog.clone();
                Some(Action::Reloaded {
                    backlog: Box::new(backlog),
                    note,
                })
            }
            Err(message) => Some(Action::SyncFailed(message)),
        }
    }

    /// Read the file, now at fingerprint `now`, and merge `ours` into it.
    fn read_and_merge(
        &mut self,
        ours: &Backlog,
        now: Option<Fingerprint>,
    ) -> Result<(Merged, Option<PathBuf>), String> {
        let loaded = match store::load(&self.path) {
            Ok(loaded) => loaded,
            Err(e) => {
                self.unreadable = Some(now);
                return Err(format!(
                    "{e:#} — not saved; your changes are kept here until the file is fixed"
                ));
            }
        };
        self.unreadable = None;
        self.fingerprint = loaded.fingerprint;
        let merged = merge(&self.base, ours, &loaded.backlog);
        let conflict_file = if merged.has_conflicts() {
            Some(
                self.write_conflicts(&merged)
                    .map_err(|e| format!("{e:#}"))?,
            )
        } else {
            None
        };
        Ok((merged, conflict_file))
    }

    /// Save `ours`, merging first if the file changed under us. Returns a
    /// `Reloaded` action when the result differs from `ours`.
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
        let now = self.file_changed()?;
        let (to_save, action) = if now == self.fingerprint || now.is_none() {
            (ours.clone(), None)
        } else {
            let (merged, conflict_file) = self.read_and_merge(ours, now)?;
            let mut note = describe(&merged, "Merged with changes made by another program");
            if let Some(file) = conflict_file {
                note.push_str(&format!("; your versions are in {}", file.display()));
            }
            let backlog = merged.backlog;
            let action = Action::Reloaded {
                backlog: Box::new(backlog.clone()),
                note,
            };
            (backlog, Some(action))
        };
        self.fingerprint =
            Some(store::save(&self.path, &to_save).map_err(|e| format!("{e:#} — not saved"))?);
        self.base = to_save;
        self.first_unsaved = None;
        Ok(action)
    }

    /// Save before quitting. If that fails, write the backlog to a
    /// recovery file beside the data file so nothing is lost.
    ///
    /// # Errors
    /// When not even the recovery file could be written, or to report
    /// where the recovery file is.
    pub fn save_on_exit(&mut self, ours: &Backlog) -> Result<()> {
        if !self.has_unsaved() {
            return Ok(());
        }
        let failure = match self.try_save(ours) {
            Ok(_) => return Ok(()),
            Err(message) => message,
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
        let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
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

fn describe(merged: &Merged, headline: &str) -> String {
    let mut note = headline.to_string();
    let clashes = merged.conflicts.len() + merged.kept_deleted.len();
    if clashes > 0 {
        let ids: Vec<String> = merged
            .conflicts
            .iter()
            .map(|s| s.id)
            .chain(merged.kept_deleted.iter().copied())
            .map(|id| id.to_string())
            .collect();
        note.push_str(&format!(
            "; {} changed both here and there, kept the file's: {}",
            if clashes == 1 {
                "a story was"
            } else {
                "stories were"
            },
            ids.join(", ")
        ));
    }
    for (old, new) in &merged.renumbered {
        note.push_str(&format!("; your new {old} is now {new}"));
    }
    note
}
