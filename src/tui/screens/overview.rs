//! Counts over the whole backlog, in one pass: what the settings and
//! epics panels show.

use std::collections::HashMap;

use crate::model::{Backlog, Points, Status, ready};

/// Counts over the whole backlog, in one pass.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overview {
    /// Draft and ready stories, and how many of them meet the Definition
    /// of Ready.
    pub open: usize,
    pub ready: usize,
    /// Each epic's stories and points.
    pub epics: HashMap<String, (usize, f64)>,
}

impl Overview {
    #[must_use]
    pub fn of(backlog: &Backlog) -> Overview {
        let rules = &backlog.product.settings.ready;
        let mut overview = Overview::default();
        for story in backlog.stories_by_id() {
            if matches!(story.status, Status::Draft | Status::Ready) {
                overview.open += 1;
                overview.ready += usize::from(ready::is_ready(story, rules));
            }
            if let Some(epic) = &story.epic {
                let size = overview.epics.entry(epic.clone()).or_default();
                size.0 += 1;
                size.1 += story.points.map_or(0.0, Points::value);
            }
        }
        overview
    }

    /// An epic's stories and points.
    #[must_use]
    pub fn epic(&self, name: &str) -> (usize, f64) {
        self.epics.get(name).copied().unwrap_or_default()
    }
}
