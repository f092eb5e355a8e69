//! The backlog pane, pane `1`: the ranked table, built only for the
//! visible rows, beside the story pane; `Tab` moves the focus between
//! them. Browsing, ranking and grooming keys act here.
//!
//! The table's state ([`Table`]: the filter, the rows it lets through,
//! the selection and the scroll) is what every panel and dialog over the
//! backlog acts on, "the selected story"; the app keeps it beside the
//! screens, and they reach it through [`Ctx::table`].

pub mod bulk;
mod marks;
mod table;
mod view;

pub use marks::Marks;
pub use table::{Table, TableMut};

use ratatui::Frame;

use crate::model::{Move, Status, StoryId, StoryPatch, ready};
use crate::tui::action::{Action, Effect, PanelAction};
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::cycle;
use crate::tui::keymap::Context;
use crate::tui::layout::Areas;
use crate::tui::screens::Screen;
use crate::tui::screens::confirm::{Confirm, Question};
use crate::tui::screens::epics::EpicsPanel;
use crate::tui::screens::filter::{FilterPanel, clear_filter};
use crate::tui::screens::form::StoryForm;
use crate::tui::screens::help::Help;
use crate::tui::screens::prompt::{Prompt, Purpose};
use crate::tui::screens::search::Search;
use crate::tui::screens::settings::SettingsPanel;
use crate::tui::screens::split::Split;
use crate::tui::screens::status_picker::StatusPicker;
use crate::tui::screens::story::StoryPane;
use crate::tui::screens::vision::VisionPanel;
use crate::words;

/// Which half of the pane the movement keys act on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Focus {
    #[default]
    Backlog,
    Story,
}

/// The backlog pane: the table (its state is the app's [`Table`]) and
/// the story pane.
#[derive(Clone, Debug, Default)]
pub struct BacklogPane {
    pub focus: Focus,
    pub story: StoryPane,
}

impl Screen for BacklogPane {
    fn context(&self) -> Context {
        match self.focus {
            Focus::Backlog => Context::Backlog,
            Focus::Story => Context::Story,
        }
    }

    fn title(&self) -> Option<&'static str> {
        Some("Backlog")
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> Option<Effect> {
        let selected = ctx.selected_story().map(|s| s.id);
        // With stories marked, the keys that change stories act on them
        // all, as one change each.
        let marked = !ctx.table().table.marks.is_empty();
        match action {
            Action::MoveUp if marked => bulk::move_marked(Move::Up, ctx),
            Action::MoveDown if marked => bulk::move_marked(Move::Down, ctx),
            Action::MoveTop if marked => bulk::move_marked(Move::Top, ctx),
            Action::MoveBottom if marked => bulk::move_marked(Move::Bottom, ctx),
            Action::EstimateUp if marked => bulk::estimate_marked(true, ctx),
            Action::EstimateDown if marked => bulk::estimate_marked(false, ctx),
            Action::StatusNext if marked => bulk::step_marked_status(true, ctx),
            Action::StatusPrev if marked => bulk::step_marked_status(false, ctx),
            Action::StartDelete if marked => {
                let ids = ctx.table().marked().into_iter().map(|(_, id)| id).collect();
                ctx.open(Confirm::new(Question::DeleteMarked(ids)));
            }
            Action::ChooseStatus => choose_status(ctx),
            Action::MarkRange => mark_range(ctx),
            Action::ToggleMark => toggle_mark(ctx),
            Action::Dismiss if marked => {
                let count = ctx.table().clear_marks();
                ctx.notify(format!("{count} unmarked"));
            }
            Action::SelectDown | Action::SelectUp if self.focus == Focus::Story => {
                let delta = if action == Action::SelectDown { 1 } else { -1 };
                self.story.scroll_by(delta, ctx);
            }
            Action::SelectDown => ctx.table().step(1),
            Action::SelectUp => ctx.table().step(-1),
            Action::SelectFirst => ctx.table().select(0),
            Action::SelectLast => ctx.table().select(usize::MAX),
            Action::PageDown => ctx.table().page(1),
            Action::PageUp => ctx.table().page(-1),
            Action::MoveUp => move_selected(Move::Up, ctx),
            Action::MoveDown => move_selected(Move::Down, ctx),
            Action::MoveTop => move_selected(Move::Top, ctx),
            Action::MoveBottom => move_selected(Move::Bottom, ctx),
            Action::ToggleFocus if ctx.table().table.story_hidden => {
                let show = key_for(&Action::ToggleStoryPane);
                ctx.notify(format!("The story pane is hidden: {show} shows it"));
            }
            Action::ToggleFocus => {
                self.focus = match self.focus {
                    Focus::Backlog => Focus::Story,
                    Focus::Story => Focus::Backlog,
                };
            }
            Action::ToggleStoryPane => {
                let hidden = !ctx.table().table.story_hidden;
                ctx.table().table.story_hidden = hidden;
                // The table's rows change: the selection and the rows above
                // it fill them, as after a resize.
                ctx.table().fill();
                if hidden {
                    self.focus = Focus::Backlog;
                }
            }
            Action::ToggleLabels | Action::ToggleUpdated => toggle_column(&action, ctx),
            Action::StartAdd => ctx.open(Prompt::new(Purpose::NewStory)),
            Action::StartSearch => {
                let query = ctx.table().table.filter.query.clone();
                ctx.open(Search::new(&query));
            }
            Action::StartFilter => ctx.open(FilterPanel::default()),
            Action::ClearFilter => clear_filter(ctx),
            Action::ToggleOpenWork => toggle_open_work(ctx),
            Action::StartSettings => {
                let panel = SettingsPanel::new(ctx.backlog());
                ctx.open(panel);
            }
            Action::Panel(PanelAction::OpenEpics) => {
                let panel = EpicsPanel::new(ctx.backlog());
                ctx.open(panel);
            }
            Action::Panel(PanelAction::OpenVision) => ctx.open(VisionPanel::default()),
            Action::ToggleHelp => ctx.open(Help::new(ctx.pane_titles())),
            Action::Undo => {
                ctx.undo(false, None);
            }
            Action::Redo => {
                ctx.undo(true, None);
            }
            Action::Dismiss => ctx.dismiss(),
            action => return on_selected(&action, selected, ctx),
        }
        None
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        view::render_table(app, self.focus == Focus::Backlog, frame, areas.backlog);
        if !app.table.story_hidden {
            self.story
                .render(app, self.focus == Focus::Story, frame, areas.story);
        }
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        self.story.renumber(changes);
    }
}

/// The first key bound to `action` in the backlog, as the help shows it.
fn key_for(action: &Action) -> String {
    Context::Backlog.key_for(action).unwrap_or_default()
}

/// Open the status picker on the marked stories, else the selected one.
fn choose_status(ctx: &mut Ctx) {
    let table = ctx.table();
    let marked: Vec<StoryId> = table.marked().into_iter().map(|(_, id)| id).collect();
    let Some(selected) = table.selected_story() else {
        ctx.warn("No story is selected");
        return;
    };
    let now = selected.status;
    let stories = if marked.is_empty() {
        vec![selected.id]
    } else {
        marked
    };
    ctx.open(StatusPicker::new(stories, Some(now)));
}

/// Start marking a range at the selected story, or stop; say which.
fn mark_range(ctx: &mut Ctx) {
    let mut table = ctx.table();
    if !table.mark_range() {
        ctx.warn("No story to mark");
        return;
    }
    let (drawing, count) = (table.table.marks.is_drawing(), table.table.marks.len());
    if drawing {
        let stop = key_for(&Action::MarkRange);
        ctx.notify(format!("Marking: move to mark a range, {stop} to stop"));
    } else {
        ctx.notify(format!(
            "{} marked",
            words::count(count, "story", "stories")
        ));
    }
}

/// Mark the selected story, or unmark it; say so.
fn toggle_mark(ctx: &mut Ctx) {
    let Some((id, marked)) = ctx.table().toggle_mark() else {
        ctx.warn("No story to mark");
        return;
    };
    let count = ctx.table().table.marks.len();
    let all = words::count(count, "story", "stories");
    ctx.notify(if marked {
        format!("{id} marked: {all} marked")
    } else {
        format!("{id} unmarked: {all} marked")
    });
}

/// Show only the open work, or every status again; say what shows.
fn toggle_open_work(ctx: &mut Ctx) {
    let mut table = ctx.table();
    table.table.filter.open = !table.table.filter.open;
    table.refilter();
    let (open, narrowed) = (table.table.filter.open, table.table.filter.is_active());
    let shown = table.table.row_count(table.backlog);
    let all = table.backlog.len();
    ctx.notify(if open {
        format!("Open work: done and rejected stories hidden · {shown} of {all} shown")
    } else if narrowed {
        format!("Done and rejected stories shown too · {shown} of {all} shown")
    } else {
        format!("Every story shown: {all}")
    });
}

/// Show or hide an optional column; say so, and when the table has no
/// room for it, what would give it some.
fn toggle_column(action: &Action, ctx: &mut Ctx) {
    let table = ctx.table();
    let columns = &mut table.table.columns;
    let (shown, name) = if *action == Action::ToggleLabels {
        columns.labels = !columns.labels;
        (columns.labels, "labels")
    } else {
        columns.updated = !columns.updated;
        (columns.updated, "updated")
    };
    if !shown {
        ctx.notify(format!("The {name} column is hidden"));
        return;
    }
    let wanted = ctx.table().table.columns;
    let fits = ctx.areas().is_some_and(|areas| {
        let columns = view::table_columns(ctx.backlog(), areas.backlog.width, wanted);
        if *action == Action::ToggleLabels {
            columns.labels > 0
        } else {
            columns.updated > 0
        }
    });
    if fits {
        ctx.notify(format!("The {name} column is shown"));
    } else if ctx.table().table.story_hidden {
        ctx.notify(format!(
            "The {name} column shows once the table is wider: the title comes first"
        ));
    } else {
        let hide = key_for(&Action::ToggleStoryPane);
        ctx.notify(format!(
            "The {name} column shows once the table is wider: {hide} hides the story pane"
        ));
    }
}

/// A key that acts on the selected story, `selected`.
fn on_selected(action: &Action, selected: Option<StoryId>, ctx: &mut Ctx) -> Option<Effect> {
    let Some(id) = selected else {
        ctx.warn(match action {
            Action::StartDelete => "Nothing to delete: no story is selected",
            Action::StartEdit => "No story to edit: add one with a",
            Action::OpenEditor => "No story to edit",
            Action::StartSplit => "No story to split",
            _ => "No story is selected",
        });
        return None;
    };
    match action {
        Action::StartDelete => ctx.open(Confirm::new(Question::Delete(id))),
        Action::StartComment => ctx.open(Prompt::new(Purpose::Comment(id))),
        Action::StartQuestion => ctx.open(Prompt::new(Purpose::Question(id))),
        Action::StartEdit => ctx.open(StoryForm::new(id)),
        Action::StartSplit => {
            if let Some(story) = ctx.backlog().get(id) {
                let split = Split::of(story);
                ctx.open(split);
            }
        }
        Action::EstimateUp => step_estimate(id, true, ctx),
        Action::EstimateDown => step_estimate(id, false, ctx),
        Action::StatusNext => step_status(id, true, ctx),
        Action::StatusPrev => step_status(id, false, ctx),
        Action::OpenEditor => return Some(Effect::OpenEditor { id }),
        _ => {}
    }
    None
}

/// Move the selected story. With a filter on, it moves past its
/// neighbours in the table, wherever they are in the whole backlog.
fn move_selected(to: Move, ctx: &mut Ctx) {
    let table = ctx.table();
    let Some(position) = table.table.selected_position(table.backlog) else {
        ctx.warn("Nothing to move: no story is selected");
        return;
    };
    let to = if table.table.filter.is_active() {
        let selected = table.table.selected;
        let last = table.table.row_count(table.backlog).saturating_sub(1);
        let neighbour = |row: usize| table.table.story_at_row(row, table.backlog).map(|s| s.id);
        let relative = match to {
            Move::Up if selected > 0 => neighbour(selected - 1).map(Move::Before),
            Move::Down if selected < last => neighbour(selected + 1).map(Move::After),
            Move::Top if selected > 0 => neighbour(0).map(Move::Before),
            Move::Bottom if selected < last => neighbour(last).map(Move::After),
            _ => None,
        };
        let Some(relative) = relative else {
            return;
        };
        relative
    } else {
        to
    };
    let Some(id) = ctx.backlog().at(position).map(|s| s.id) else {
        return;
    };
    let Some(moved) = ctx.change(format!("move {id}"), |b| b.move_at(position, to)) else {
        return;
    };
    if moved.from != moved.to {
        ctx.table().moved(moved.from, moved.to);
    }
}

/// Step story `id`'s estimate one step up (or down) the backlog's scale;
/// at the end of it, say why nothing changed rather than seem broken.
pub(super) fn step_estimate(id: StoryId, up: bool, ctx: &mut Ctx) {
    let Some(story) = ctx.backlog().get(id) else {
        ctx.warn(format!("{id} is gone: deleted elsewhere"));
        return;
    };
    let scale = ctx.backlog().product.settings.scale;
    let (was, points) = if up {
        (story.points, Some(scale.step_up(story.points)))
    } else {
        (story.points, scale.step_down(story.points))
    };
    if points == was {
        ctx.notify(match was {
            None => format!("{id} is unestimated: - has nothing below"),
            Some(p) if p > scale.top() => {
                format!("{id} is at {}: - steps down to it", scale.at_end(p, true))
            }
            Some(p) => format!("{id} is at {}", scale.at_end(p, true)),
        });
        return;
    }
    let patch = StoryPatch {
        points: Some(points),
        ..StoryPatch::default()
    };
    if ctx.edit_story(id, &patch) {
        match points {
            Some(p) => ctx.notify(format!("{id} estimated at {}", scale.label(p))),
            None => ctx.notify(format!("{id} is unestimated")),
        }
    }
}

/// Set story `id` to the next (or previous) status. Becoming ready while
/// it fails the Definition of Ready asks first.
pub(super) fn step_status(id: StoryId, forward: bool, ctx: &mut Ctx) {
    let Some(story) = ctx.backlog().get(id) else {
        ctx.warn(format!("{id} is gone: deleted elsewhere"));
        return;
    };
    let status = cycle(&Status::ALL, &story.status, forward);
    if status == Status::Ready {
        let missing = ready::reasons(story, &ctx.backlog().product.settings.ready);
        if !missing.is_empty() {
            ctx.open(Confirm::new(Question::ReadyAnyway { id, missing }));
            return;
        }
    }
    let patch = StoryPatch {
        status: Some(status),
        ..StoryPatch::default()
    };
    if ctx.edit_story(id, &patch) {
        ctx.notify(format!("{id} is {status}"));
    }
}
