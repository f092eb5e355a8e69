//! The backlog pane, pane `1`: the ranked table, built only for the
//! visible rows, beside the story pane; `Tab` moves the focus between
//! them. Browsing, ranking and grooming keys act here.
//!
//! The table's state ([`Table`]: the filter, the rows it lets through,
//! the selection and the scroll) is what every panel and dialog over the
//! backlog acts on, "the selected story"; the app keeps it beside the
//! screens, and they reach it through [`Ctx::table`]. Between its rows
//! go where each coming sprint ends and each release's line (`lines`).

pub mod bulk;
pub mod line_picker;
pub mod lines;
mod marks;
mod table;
mod view;

pub use lines::{LineKind, Plan, PlanLine};
pub use marks::Marks;
pub use table::{Table, TableMut, score_width};
pub use view::{TitleMark, score_cell};

use ratatui::Frame;
use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Position;

use crate::model::{Backlog, Move, Status, Story, StoryId, StoryPatch, ready, renumber};
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::cycle;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{self, Areas, Drawn};
use crate::tui::screens::Screen;
use crate::tui::screens::confirm::{Confirm, Question};
use crate::tui::screens::epics::EpicsPanel;
use crate::tui::screens::explain::ExplainPanel;
use crate::tui::screens::export::ExportPicker;
use crate::tui::screens::filter::{FilterPanel, clear_filter};
use crate::tui::screens::form::StoryForm;
use crate::tui::screens::framework_picker::FrameworkPicker;
use crate::tui::screens::help::Help;
use crate::tui::screens::prompt::{Prompt, Purpose};
use crate::tui::screens::search::Search;
use crate::tui::screens::settings::SettingsPanel;
use crate::tui::screens::split::Split;
use crate::tui::screens::status_picker::StatusPicker;
use crate::tui::screens::story::StoryPane;
use crate::tui::screens::vision::VisionPanel;
use crate::tui::screens::weigh::WeighPanel;
use crate::tui::sort::SortBy;
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
    /// A story being dragged to a new rank, from the press of the button
    /// to its release.
    pub drag: Option<Drag>,
}

/// A story being ranked by dragging its row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Drag {
    pub id: StoryId,
    /// It has moved already: the next move joins that undo step, so the
    /// whole drag is undone at once.
    pub moved: bool,
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

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        let selected = ctx.selected_story().map(|s| s.id);
        // With stories marked, the keys that change stories act on them
        // all, as one change each.
        let marked = !ctx.table().table.marks.is_empty();
        let sorted = ctx.table().table.sorted.is_some();
        let on_line = ctx.table().table.selected_line_index().is_some();
        match command {
            Command::MoveUp | Command::MoveDown | Command::MoveToTop | Command::MoveToBottom
                if on_line =>
            {
                lines::move_selected_line(command, ctx);
            }
            Command::DeleteStory if on_line => lines::remove_selected_line(ctx),
            Command::MoveUp | Command::MoveDown | Command::MoveToTop | Command::MoveToBottom
                if sorted =>
            {
                refuse_move_when_sorted(ctx);
            }
            Command::SelectNextLine => lines::select_next_line(true, ctx),
            Command::SelectPreviousLine => lines::select_next_line(false, ctx),
            Command::PlaceLine => lines::place_line(ctx),
            Command::SortTable => sort_table(ctx),
            Command::RankOrder => rank_order(ctx),
            Command::MoveUp if marked => bulk::move_marked(Move::Up, ctx),
            Command::MoveDown if marked => bulk::move_marked(Move::Down, ctx),
            Command::MoveToTop if marked => bulk::move_marked(Move::Top, ctx),
            Command::MoveToBottom if marked => bulk::move_marked(Move::Bottom, ctx),
            Command::EstimateUp if marked => bulk::estimate_marked(true, ctx),
            Command::EstimateDown if marked => bulk::estimate_marked(false, ctx),
            Command::NextStatus if marked => bulk::step_marked_status(true, ctx),
            Command::PreviousStatus if marked => bulk::step_marked_status(false, ctx),
            Command::DeleteStory if marked => {
                let ids = ctx.table().marked().into_iter().map(|(_, id)| id).collect();
                ctx.open(Confirm::new(Question::DeleteMarked(ids)));
            }
            Command::ChooseStatus => choose_status(ctx),
            Command::MarkRange => mark_range(ctx),
            Command::ToggleMark => toggle_mark(ctx),
            Command::Dismiss if marked => {
                let count = ctx.table().clear_marks();
                ctx.notify(format!("{count} unmarked"));
            }
            Command::ScrollDown => self.story.scroll_by(1, ctx),
            Command::ScrollUp => self.story.scroll_by(-1, ctx),
            Command::SelectNext => ctx.table().step(1),
            Command::SelectPrevious => ctx.table().step(-1),
            Command::SelectFirst => ctx.table().select(0),
            Command::SelectLast => ctx.table().select(usize::MAX),
            Command::PageDown => ctx.table().page(1),
            Command::PageUp => ctx.table().page(-1),
            Command::MoveUp => move_selected(Move::Up, ctx),
            Command::MoveDown => move_selected(Move::Down, ctx),
            Command::MoveToTop => move_selected(Move::Top, ctx),
            Command::MoveToBottom => move_selected(Move::Bottom, ctx),
            Command::SwitchFocus if ctx.table().table.story_hidden => {
                let show = ctx.key(Context::Backlog, Command::ToggleStoryPane);
                ctx.notify(format!("The story pane is hidden: {show} shows it"));
            }
            Command::SwitchFocus => {
                self.focus = match self.focus {
                    Focus::Backlog => Focus::Story,
                    Focus::Story => Focus::Backlog,
                };
            }
            Command::ToggleStoryPane => {
                let hidden = !ctx.table().table.story_hidden;
                ctx.table().table.story_hidden = hidden;
                // The table's rows change: the selection and the rows above
                // it fill them, as after a resize.
                ctx.table().fill();
                if hidden {
                    self.focus = Focus::Backlog;
                }
            }
            Command::ToggleLabels | Command::ToggleUpdated => toggle_column(command, ctx),
            Command::AddStory => ctx.open(Prompt::new(Purpose::NewStory)),
            Command::Search => {
                let query = ctx.table().table.filter.query.clone();
                ctx.open(Search::new(&query));
            }
            Command::OpenFilter => ctx.open(FilterPanel::default()),
            Command::ClearFilter => clear_filter(ctx),
            Command::ToggleOpenWork => toggle_open_work(ctx),
            Command::OpenSettings => {
                let panel = SettingsPanel::new(ctx.backlog());
                ctx.open(panel);
            }
            Command::OpenEpics => {
                let panel = EpicsPanel::new(ctx.backlog());
                ctx.open(panel);
            }
            Command::OpenVision => ctx.open(VisionPanel::default()),
            Command::ChooseFramework => ctx.open(FrameworkPicker::new(ctx.framework())),
            Command::Export => ctx.open(ExportPicker::default()),
            Command::StartMeeting => super::meeting::open(ctx),
            Command::OpenClashes => super::clashes::open(ctx),
            Command::Help => ctx.open(Help::new(ctx.pane_titles())),
            Command::Undo | Command::Redo => undo(command == Command::Redo, ctx),
            Command::Dismiss => ctx.dismiss(),
            command => return on_selected(command, selected, ctx),
        }
        None
    }

    /// A click focuses the half clicked, and on a row selects it; a drag
    /// from a row ranks its story where the pointer goes; the wheel
    /// scrolls the half it is over. Where things are is the layout's.
    fn mouse(&mut self, mouse: MouseEvent, ctx: &mut Ctx) {
        let Some(areas) = ctx.areas() else {
            return;
        };
        let at = Position::new(mouse.column, mouse.row);
        let (on_table, on_story) = (areas.backlog.contains(at), areas.story.contains(at));
        let body = layout::table_body(areas.backlog);
        let wheel = isize::try_from(layout::WHEEL_ROWS).unwrap_or(1);
        match mouse.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let delta = if mouse.kind == MouseEventKind::ScrollDown {
                    wheel
                } else {
                    -wheel
                };
                if on_table {
                    ctx.table().scroll_by(delta);
                } else if on_story {
                    self.story.scroll_by(delta, ctx);
                }
            }
            MouseEventKind::Down(MouseButton::Left) => {
                self.drag = None;
                if on_story {
                    self.focus = Focus::Story;
                }
                if !on_table {
                    return;
                }
                self.focus = Focus::Backlog;
                let Some(offset) = layout::row_at(body, mouse.column, mouse.row) else {
                    return;
                };
                let mut table = ctx.table();
                let ruled = table.table.ruled(table.backlog);
                match ruled.at(table.table.scroll + offset) {
                    Some(Drawn::Story(row)) => {
                        table.select(row);
                        self.drag = table.selected_story().map(|s| Drag {
                            id: s.id,
                            moved: false,
                        });
                    }
                    // A release line is selected as a story is; where a
                    // sprint ends, nothing is.
                    Some(Drawn::Line(line)) => table.select_line(line),
                    None => {}
                }
            }
            MouseEventKind::Drag(MouseButton::Left) => {
                // Above or below the rows, the story goes one past the
                // first or last shown, and the table scrolls with it.
                let table = ctx.table();
                let scroll = table.table.scroll;
                let target = if mouse.row < body.y {
                    scroll.saturating_sub(1)
                } else if mouse.row >= body.bottom() {
                    scroll + usize::from(body.height)
                } else {
                    scroll + usize::from(mouse.row - body.y)
                };
                self.drag_to(target, ctx);
            }
            MouseEventKind::Up(MouseButton::Left) => self.drag = None,
            _ => {}
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        view::render_table(app, self.focus == Focus::Backlog, frame, areas.backlog);
        if app.table.story_hidden {
            return;
        }
        let focused = self.focus == Focus::Story;
        match app.table.selected_line_index() {
            Some(line) => view::render_release(app, line, focused, frame, areas.story),
            None => self.story.render(app, focused, frame, areas.story),
        }
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        self.story.renumber(changes);
        if let Some(drag) = &mut self.drag {
            drag.id = renumber(drag.id, changes);
        }
    }

    /// A change made under a drag (another program's, an undo) ends it:
    /// the next move must not join an undo step from before it.
    fn follow(&mut self, _before: Option<&Story>, _now: &Backlog) -> bool {
        self.drag = None;
        true
    }
}

impl BacklogPane {
    /// Move the story being dragged to drawn row `target` (or the last
    /// row), past the stories shown between: each move after the first
    /// joins the first's undo step. Dragged onto a line, the story stays
    /// on its near side.
    fn drag_to(&mut self, target: usize, ctx: &mut Ctx) {
        let Some(drag) = self.drag else {
            return;
        };
        if ctx.table().table.sorted.is_some() {
            // Said once: the drag ends here.
            self.drag = None;
            refuse_move_when_sorted(ctx);
            return;
        }
        let table = ctx.table();
        // Only the selected story is dragged: a key that moved the
        // selection away meanwhile ended the drag.
        if table.selected_story().map(|s| s.id) != Some(drag.id) {
            self.drag = None;
            return;
        }
        let current = table.table.selected;
        let ruled = table.table.ruled(table.backlog);
        let downward = target > table.table.selected_drawn(&ruled);
        let Some(target) = ruled.story_near(target, !downward) else {
            return;
        };
        let (Some(position), Some(other)) = (
            table.table.selected_position(table.backlog),
            table
                .table
                .story_at_row(target, table.backlog)
                .map(|s| s.id),
        ) else {
            return;
        };
        let to = match target.cmp(&current) {
            std::cmp::Ordering::Equal => return,
            std::cmp::Ordering::Less => Move::Before(other),
            std::cmp::Ordering::Greater => Move::After(other),
        };
        let label = format!("move {}", drag.id);
        let moved = if drag.moved {
            ctx.change_more(label, |b| b.move_at(position, to))
        } else {
            ctx.change(label, |b| b.move_at(position, to))
        };
        let Some(moved) = moved else {
            self.drag = None;
            return;
        };
        self.drag = Some(Drag {
            moved: true,
            ..drag
        });
        if moved.from != moved.to {
            ctx.table().moved(moved.from, moved.to);
        }
    }
}

/// Undo the newest change (or redo the newest undone). One to no story
/// (a release line moved) leaves the line selected, if it was, wherever
/// the plan now puts it; otherwise the story the change was about is.
fn undo(redo: bool, ctx: &mut Ctx) {
    let line = ctx.table().table.selected_line.clone();
    let done = ctx.undo(redo, None);
    if line.is_some() && done.is_some_and(|done| done.focus.is_none()) {
        ctx.table().table.selected_line = line;
    }
}

/// A story is moved in rank order only: sorted, the rows are not the
/// rank, and a story moved among them would land nowhere the owner sees.
fn refuse_move_when_sorted(ctx: &mut Ctx) {
    let Some(by) = ctx.table().table.sorted_by() else {
        return;
    };
    let back = ctx.key(Context::Backlog, Command::RankOrder);
    ctx.warn(format!(
        "Sorted by {}: stories move in rank order only, {back} goes back to it",
        by.key()
    ));
}

/// Sort the table by the next of score (with a framework picked), points,
/// status, epic and age, then show it in rank order again; say which.
fn sort_table(ctx: &mut Ctx) {
    let table = ctx.table();
    let next = SortBy::next(table.table.sorted_by(), table.table.framework);
    ctx.table().sort(next);
    let back = ctx.key(Context::Backlog, Command::RankOrder);
    ctx.notify(match next {
        Some(by) => format!(
            "Sorted by {}; {back} goes back to rank order",
            by.describe()
        ),
        None => "In rank order again".to_string(),
    });
}

/// Show the table in rank order again.
fn rank_order(ctx: &mut Ctx) {
    if ctx.table().table.sorted.is_none() {
        ctx.notify("The table is in rank order already");
        return;
    }
    ctx.table().sort(None);
    ctx.notify("In rank order again");
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
    ctx.open(StatusPicker::new(stories, Some(now), ctx.backlog()));
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
        let stop = ctx.key(Context::Backlog, Command::MarkRange);
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
fn toggle_column(command: Command, ctx: &mut Ctx) {
    let table = ctx.table();
    let columns = &mut table.table.columns;
    let (shown, name) = if command == Command::ToggleLabels {
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
        if command == Command::ToggleLabels {
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
        let hide = ctx.key(Context::Backlog, Command::ToggleStoryPane);
        ctx.notify(format!(
            "The {name} column shows once the table is wider: {hide} hides the story pane"
        ));
    }
}

/// A key that acts on the selected story, `selected`.
fn on_selected(command: Command, selected: Option<StoryId>, ctx: &mut Ctx) -> Option<Effect> {
    let Some(id) = selected else {
        if let Some(name) = ctx.table().table.selected_line.clone() {
            let (next, previous) = (
                ctx.key(Context::Backlog, Command::SelectNext),
                ctx.key(Context::Backlog, Command::SelectPrevious),
            );
            ctx.warn(format!(
                "The {name} line is selected, not a story: {next}/{previous} select a story"
            ));
            return None;
        }
        let message = match command {
            Command::DeleteStory => "Nothing to delete: no story is selected".to_string(),
            Command::OpenForm => format!(
                "No story to edit: add one with {}",
                ctx.key(Context::Backlog, Command::AddStory)
            ),
            Command::EditInEditor => "No story to edit".to_string(),
            Command::SplitStory => "No story to split".to_string(),
            Command::ExplainScore => "No story to explain the score of".to_string(),
            Command::WeighStory => "No story to weigh".to_string(),
            _ => "No story is selected".to_string(),
        };
        ctx.warn(message);
        return None;
    };
    match command {
        Command::DeleteStory => ctx.open(Confirm::new(Question::Delete(id))),
        Command::Comment => ctx.open(Prompt::new(Purpose::Comment(id))),
        Command::AskQuestion => ctx.open(Prompt::new(Purpose::Question(id))),
        Command::OpenForm => ctx.open(StoryForm::new(id)),
        Command::SplitStory => {
            if let Some(story) = ctx.backlog().get(id) {
                let split = Split::of(story);
                ctx.open(split);
            }
        }
        Command::EstimateUp => step_estimate(id, true, Context::Backlog, ctx),
        Command::EstimateDown => step_estimate(id, false, Context::Backlog, ctx),
        Command::NextStatus => step_status(id, true, ctx),
        Command::PreviousStatus => step_status(id, false, ctx),
        Command::EditInEditor => return Some(Effect::OpenEditor { id }),
        Command::ExplainScore => ctx.open(ExplainPanel::new(id, Context::Backlog)),
        Command::WeighStory => ctx.open(WeighPanel::new(id)),
        _ => {}
    }
    None
}

/// Move the selected story. With a filter on, it moves past its
/// neighbours in the table, wherever they are in the whole backlog.
fn move_selected(to: Move, ctx: &mut Ctx) {
    // Next to a release line, the story crosses it, and passes no story.
    if ctx.table().table.lines_shown() && lines::cross(to, ctx) {
        return;
    }
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
/// at the end of it, say why nothing changed rather than seem broken,
/// naming the key of the `context` the user is in.
pub(crate) fn step_estimate(id: StoryId, up: bool, context: Context, ctx: &mut Ctx) {
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
        let down = ctx.key(context, Command::EstimateDown);
        ctx.notify(match was {
            None => format!("{id} is unestimated: {down} has nothing below"),
            Some(p) if p > scale.top() => {
                format!(
                    "{id} is at {}: {down} steps down to it",
                    scale.at_end(p, true)
                )
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
