//! Another backlog file imported: restored whole into an empty backlog,
//! or its stories and feedback added to this one's, renumbered.

use std::collections::HashMap;

use super::fields::{StoryFields, item_fingerprints};
use super::{Found, Run};
use crate::model::{
    Backlog, Feedback, FeedbackState, MAX_TITLE_LENGTH, Origin, Story, StoryId, fit_title,
};

impl Run<'_> {
    pub(super) fn backlog_file(&mut self, file: usize, other: Backlog, tick: &mut dyn FnMut()) {
        let summary = &mut self.summary.files[file];
        summary.read = other.len() + other.feedback().len();
        if holds_nothing(self.backlog) && self.stories.is_empty() && self.items.is_empty() {
            let (was, now) = (&self.backlog.product.name, &other.product.name);
            if !was.is_empty() && was != now {
                summary.notes.push(format!(
                    "the product was called {was:?} here, and is now {now:?}, as in the file"
                ));
            }
            summary.restored = true;
            summary.stories = other.stories_by_id().iter().map(|s| s.id).collect();
            summary.items = other.feedback().iter().map(|f| f.id).collect();
            *self.backlog = other;
            self.known = super::known_origins(self.backlog);
            return;
        }
        let source = if other.product.name.trim().is_empty() {
            "backlog".to_string()
        } else {
            format!("backlog:{}", other.product.name.trim())
        };
        // Each of its stories' ids, and the id the story has here: new, or
        // one already here, found by its origin.
        let mut ids: HashMap<StoryId, StoryId> = HashMap::new();
        let first_new = self.stories.len();
        for story in other.ranked() {
            tick();
            let origin = story.origin.clone().unwrap_or_else(|| Origin {
                source: source.clone(),
                id: story.id.to_string(),
                link: None,
                seen: StoryFields::of(story).fingerprints(),
            });
            let key = (origin.source.clone(), origin.id.clone());
            if !self.first_time(file, 0, &key) {
                continue;
            }
            match self.known.get(&key).copied() {
                Some(found) => {
                    self.summary.files[file].already += 1;
                    if let Found::Story(here) = found {
                        ids.insert(story.id, here);
                        if self.options.update {
                            self.refresh_story(file, here, &StoryFields::of(story), origin.link);
                        }
                    }
                }
                None if story.title.trim().is_empty() => {
                    self.skip(file, 0, format!("{} has no title; skipped", story.id));
                }
                None => {
                    let id = self.next_story();
                    ids.insert(story.id, id);
                    self.new_epic(&other, story);
                    let mut story = story.clone();
                    if story.title.chars().count() > MAX_TITLE_LENGTH {
                        // A file from before the limit: nothing is lost.
                        (story.title, story.description) =
                            fit_title(&story.title, &story.description);
                    }
                    story.id = id;
                    story.origin = Some(origin);
                    self.summary.files[file].stories.push(id);
                    self.stories.push(story);
                }
            }
        }
        // Links among its stories follow them here; a link to a story not
        // brought in goes.
        let here = |id: &StoryId| ids.get(id).copied();
        for story in &mut self.stories[first_new..] {
            story.blocked_by = story.blocked_by.iter().filter_map(here).collect();
            story.split_from = story.split_from.as_ref().and_then(here);
            story.split_into = story.split_into.iter().filter_map(here).collect();
        }
        for item in other.feedback() {
            tick();
            self.backlog_item(file, &source, item, &ids);
        }
    }

    /// One of the other backlog's feedback items.
    fn backlog_item(
        &mut self,
        file: usize,
        source: &str,
        item: &Feedback,
        ids: &HashMap<StoryId, StoryId>,
    ) {
        let origin = item.origin.clone().unwrap_or_else(|| Origin {
            source: source.to_string(),
            id: item.id.to_string(),
            link: None,
            seen: item_fingerprints(item),
        });
        let key = (origin.source.clone(), origin.id.clone());
        if !self.first_time(file, 0, &key) {
            return;
        }
        if let Some(found) = self.known.get(&key).copied() {
            self.summary.files[file].already += 1;
            if let (Found::Item(here), true) = (found, self.options.update) {
                self.refresh_item(file, here, item);
            }
            return;
        }
        let mut item = item.clone();
        item.id = self.next_item();
        item.origin = Some(origin);
        item.story = item.story.and_then(|story| ids.get(&story).copied());
        if item.story.is_none() && item.state != FeedbackState::Dismissed {
            item.state = FeedbackState::New;
        }
        if item.state != FeedbackState::New {
            self.triage.push((self.items.len(), item.clone()));
        }
        self.summary.files[file].items.push(item.id);
        self.items.push(item);
    }

    /// The epic `story` names, as `other` has it, when this backlog has
    /// no epic of that name: made with the other's colour and goal (not
    /// its target release, which names a release of the other backlog).
    fn new_epic(&mut self, other: &Backlog, story: &Story) {
        let Some(name) = story.epic.as_deref() else {
            return;
        };
        if self.backlog.product.epic(name).is_some()
            || self
                .epics
                .iter()
                .any(|e| crate::model::same_name(&e.name, name))
        {
            return;
        }
        if let Some(epic) = other.product.epic(name) {
            let mut epic = epic.clone();
            epic.target_release = None;
            self.epics.push(epic);
        }
    }
}

/// Whether `backlog` holds nothing a restore would lose: no stories, no
/// feedback, no id handed out, and no product but perhaps a name.
fn holds_nothing(backlog: &Backlog) -> bool {
    backlog.holds_nothing_but_a_name()
}
