//! `App::update` for the split dialog.

use tui_input::Input;

use super::action::Effect;
use super::app::{App, Mode, Split};
use crate::model::StoryId;

impl App {
    /// Open the split dialog on the selected story, its title to start from.
    pub(super) fn start_split(&mut self) {
        let Some(story) = self.selected_story() else {
            self.warn("No story to split");
            return;
        };
        self.mode = Mode::Splitting(Box::new(Split {
            id: story.id,
            title: Input::new(story.title.clone()),
            moving: vec![false; story.acceptance_criteria.len()],
            criteria: story.acceptance_criteria.clone(),
            row: 0,
            on_list: false,
        }));
    }

    /// Switch the dialog's keys between the title and the criteria.
    pub(super) fn split_switch(&mut self) {
        let Mode::Splitting(split) = &mut self.mode else {
            return;
        };
        if split.moving.is_empty() {
            self.warn("The story has no acceptance criteria to move");
        } else {
            split.on_list = !split.on_list;
        }
    }

    pub(super) fn split_step(&mut self, delta: isize) {
        if let Mode::Splitting(split) = &mut self.mode {
            split.row = split
                .row
                .saturating_add_signed(delta)
                .min(split.moving.len().saturating_sub(1));
        }
    }

    pub(super) fn split_toggle(&mut self) {
        if let Mode::Splitting(split) = &mut self.mode
            && let Some(moving) = split.moving.get_mut(split.row)
        {
            *moving = !*moving;
        }
    }

    /// Make the new story, right after the original.
    pub(super) fn split_submit(&mut self) -> Option<Effect> {
        let Mode::Splitting(split) = &self.mode else {
            return None;
        };
        let id = split.id;
        let title = split.title.value().trim().to_string();
        if title.is_empty() {
            self.warn("The new story needs a title");
            return None;
        }
        let moving: Vec<usize> = split
            .moving
            .iter()
            .enumerate()
            .filter(|(_, m)| **m)
            .map(|(i, _)| i)
            .collect();
        let current = self.backlog.get(id).map(|s| s.acceptance_criteria.clone());
        if current.as_ref() != Some(&split.criteria) {
            let Some(current) = current else {
                self.mode = Mode::Normal;
                self.warn(format!("{id} is gone: deleted elsewhere"));
                return None;
            };
            if let Mode::Splitting(split) = &mut self.mode {
                split.moving = vec![false; current.len()];
                split.row = 0;
                split.criteria = current;
            }
            self.warn("The criteria changed elsewhere meanwhile: choose again");
            return None;
        }
        let now = (self.clock)();
        let next = StoryId(self.backlog.next_id());
        let what = format!("split {id} into {next}");
        let new_id = self.change(what, |b| b.split(id, &title, &moving, now))?;
        self.mode = Mode::Normal;
        self.table_mut().story_changed(id);
        self.table_mut().story_added(new_id);
        let criteria = match moving.len() {
            0 => String::new(),
            1 => ", taking 1 criterion".to_string(),
            n => format!(", taking {n} criteria"),
        };
        self.notify(format!("Split {id} into {new_id}{criteria}"));
        Some(Effect::Save)
    }
}
