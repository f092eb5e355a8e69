//! The view, kept between runs: the pane shown, the selected story, the
//! search and filters, the sort, the optional columns and whether the
//! story pane is hidden come back when the TUI opens again. The file
//! (`backlog.json.view`, see [`crate::store::view_path`]) is this user's
//! way of looking at the backlog, not the backlog: it is never merged or
//! shared, and a file that cannot be read, or names a story, an epic or a
//! label that is gone, is passed over with a word on the status bar,
//! never an error.
//!
//! With no view kept, the backlog opens on its open work, when it has
//! any: what is done or rejected is history, not the next thing to do.

use serde::{Deserialize, Serialize};

use super::app::App;
use super::filter::{EpicFilter, Filter};
use super::sort::{SortBy, Sorted};
use crate::model::{Backlog, Status, StoryId, label_name, same_name};
use crate::text::one_line;

/// The view file's schema this build writes, and the newest it reads.
const VIEW_SCHEMA: u32 = 1;

/// The view as the file keeps it. Every field may be left out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedView {
    pub schema: u32,
    /// The pane shown, by its name (`backlog`, `overview`).
    pub pane: String,
    pub selected: Option<StoryId>,
    pub search: String,
    pub status: Option<Status>,
    /// Open work only: done and rejected stories hidden.
    pub open_work: bool,
    pub label: Option<String>,
    /// An epic, by name; stories in no epic with `no_epic`.
    pub epic: Option<String>,
    pub no_epic: bool,
    pub ready: Option<bool>,
    pub unestimated: bool,
    pub labels_column: bool,
    pub updated_column: bool,
    pub story_pane_hidden: bool,
    /// The prioritisation framework picked, by its key (`wsjf`).
    pub framework: Option<String>,
    /// What the table is sorted by (`points`), when not by rank.
    pub sort: Option<String>,
}

impl Default for SavedView {
    fn default() -> Self {
        SavedView {
            schema: VIEW_SCHEMA,
            pane: String::new(),
            selected: None,
            search: String::new(),
            status: None,
            open_work: false,
            label: None,
            epic: None,
            no_epic: false,
            ready: None,
            unestimated: false,
            labels_column: false,
            updated_column: false,
            story_pane_hidden: false,
            framework: None,
            sort: None,
        }
    }
}

impl SavedView {
    /// The view `app` shows now.
    #[must_use]
    pub fn of(app: &App) -> SavedView {
        let table = &app.table;
        let filter = &table.filter;
        let (epic, no_epic) = match &filter.epic {
            Some(EpicFilter::Named(name)) => (Some(name.clone()), false),
            Some(EpicFilter::None) => (None, true),
            None => (None, false),
        };
        SavedView {
            schema: VIEW_SCHEMA,
            pane: app
                .pane_titles()
                .get(app.pane)
                .map(|title| title.to_lowercase())
                .unwrap_or_default(),
            selected: app.selected_story().map(|s| s.id),
            search: filter.query.clone(),
            status: filter.status,
            open_work: filter.open,
            label: filter.label.clone(),
            epic,
            no_epic,
            ready: filter.ready,
            unestimated: filter.unestimated,
            labels_column: table.columns.labels,
            updated_column: table.columns.updated,
            story_pane_hidden: table.story_hidden,
            framework: table.framework.map(|f| f.key().to_string()),
            sort: table.sorted_by().map(|by| by.key().to_string()),
        }
    }

    /// The view as the file keeps it.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Read a view file's text.
    ///
    /// # Errors
    /// When it is not a view this build reads: why, with the place.
    pub fn parse(text: &str) -> Result<SavedView, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        // serde would take an array for a struct, its fields in order.
        if !value.is_object() {
            return Err("it is not a JSON object".to_string());
        }
        let view: SavedView = serde_json::from_value(value).map_err(|e| e.to_string())?;
        if view.schema > VIEW_SCHEMA {
            return Err(format!(
                "it has schema {}, written by a newer backlog",
                view.schema
            ));
        }
        Ok(view)
    }

    /// The filter it keeps, less what names an epic or a label the
    /// backlog no longer has; what was left out, for the user.
    fn filter(&self, backlog: &Backlog) -> (Filter, Vec<String>) {
        let mut gone = Vec::new();
        let epic = match &self.epic {
            Some(name) => {
                let epic = backlog.product.epic(name);
                if epic.is_none() {
                    gone.push(format!("epic {}", one_line(name)));
                }
                epic.map(|epic| EpicFilter::Named(epic.name.clone()))
            }
            None => self.no_epic.then_some(EpicFilter::None),
        };
        let label = self.label.as_ref().and_then(|label| {
            let name = label_name(label);
            let used = backlog
                .stories_by_id()
                .iter()
                .any(|s| s.labels.iter().any(|l| same_name(l, name)));
            if !used {
                gone.push(format!("label #{}", one_line(name)));
            }
            used.then(|| label.clone())
        });
        let filter = Filter {
            query: self.search.clone(),
            status: self.status,
            open: self.open_work,
            label,
            epic,
            ready: self.ready,
            unestimated: self.unestimated,
        };
        (filter, gone)
    }
}

impl App {
    /// Open on the view kept from last time (`kept`: the file's text, if
    /// there is one, or why it could not be read), else on the open work
    /// when there is any. What the kept view named that is gone is left
    /// out, and the status bar says so; a file that cannot be read is
    /// passed over the same way.
    pub fn open_view(&mut self, kept: Result<Option<String>, String>) {
        let view = match kept.and_then(|text| text.map(|t| SavedView::parse(&t)).transpose()) {
            Ok(Some(view)) => view,
            Ok(None) => return self.open_on_open_work(),
            Err(why) => {
                self.open_on_open_work();
                self.notify(format!(
                    "The view kept from last time could not be read ({}): it is left aside",
                    one_line(&why)
                ));
                return;
            }
        };
        let (filter, mut gone) = view.filter(&self.backlog);
        self.table.columns.labels = view.labels_column;
        self.table.columns.updated = view.updated_column;
        self.table.story_hidden = view.story_pane_hidden;
        // A framework this build does not know is passed over.
        self.table
            .set_framework(view.framework.as_deref().and_then(|f| f.parse().ok()));
        // Likewise a sort, and a sort by score with no framework to score
        // by; the rows are sorted as they are worked out.
        let framework = self.table.framework;
        self.table.sorted = view
            .sort
            .as_deref()
            .and_then(|by| by.parse().ok())
            .filter(|by| *by != SortBy::Score || framework.is_some())
            .map(Sorted::by);
        self.table.filter = filter;
        let selected = view.selected.filter(|id| self.backlog.get(*id).is_some());
        if let Some(id) = view.selected
            && selected.is_none()
        {
            gone.push(id.to_string());
        }
        // On the loop whatever the backlog's size: keys typed while the
        // file was read act on these rows as soon as they are there.
        self.table_mut().recompute_here(selected);
        if let Some(pane) = self
            .pane_titles()
            .iter()
            .position(|title| title.eq_ignore_ascii_case(&view.pane))
        {
            self.show_pane(pane);
        }
        if !gone.is_empty() {
            self.notify(format!(
                "The view kept from last time named {}, gone since: left out",
                gone.join(", ")
            ));
        }
    }

    /// Show the open work, when there is any: stories neither done nor
    /// rejected.
    fn open_on_open_work(&mut self) {
        if self.backlog.ranked().any(|s| s.status.is_open()) {
            self.table.filter = Filter::open_work();
            self.table_mut().recompute_here(None);
        }
    }
}
