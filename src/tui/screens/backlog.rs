//! The backlog pane, pane `1`: the ranked table, built only for the
//! visible rows, beside the story pane; `Tab` moves the focus between
//! them. Browsing, ranking and grooming keys act here.
//!
//! The table's state ([`Table`]: the filter, the rows it lets through,
//! the selection and the scroll) is what every panel and dialog over the
//! backlog acts on, "the selected story"; the app keeps it beside the
//! screens, and they reach it through [`Ctx::table`].

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table as TableWidget, TableState, Wrap};

use super::Screen;
use super::confirm::{Confirm, Question};
use super::epics::EpicsPanel;
use super::filter::{FilterPanel, clear_filter};
use super::form::StoryForm;
use super::help::Help;
use super::prompt::{Prompt, Purpose};
use super::search::Search;
use super::settings::SettingsPanel;
use super::split::Split;
use super::story::{StoryPane, epic_spans};
use super::vision::VisionPanel;
use crate::model::ready::{self as readiness, Mark};
use crate::model::{Backlog, Move, ReadyRules, Status, Story, StoryId, StoryPatch, ready};
use crate::text::one_line;
use crate::tui::action::{Action, Effect, PanelAction};
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::cycle;
use crate::tui::filter::{Filter, Rows};
use crate::tui::keymap::Context;
use crate::tui::layout::{Areas, truncated};
use crate::tui::theme;

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
        match action {
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
            Action::ToggleFocus => {
                self.focus = match self.focus {
                    Focus::Backlog => Focus::Story,
                    Focus::Story => Focus::Backlog,
                };
            }
            Action::StartAdd => ctx.open(Prompt::new(Purpose::NewStory)),
            Action::StartSearch => {
                let query = ctx.table().table.filter.query.clone();
                ctx.open(Search::new(&query));
            }
            Action::StartFilter => ctx.open(FilterPanel::default()),
            Action::ClearFilter => clear_filter(ctx),
            Action::StartSettings => {
                let panel = SettingsPanel::new(ctx.backlog());
                ctx.open(panel);
            }
            Action::Panel(PanelAction::OpenEpics) => {
                let panel = EpicsPanel::new(ctx.backlog());
                ctx.open(panel);
            }
            Action::Panel(PanelAction::OpenVision) => ctx.open(VisionPanel::default()),
            Action::ToggleHelp => ctx.open(Help::default()),
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
        render_table(app, self.focus == Focus::Backlog, frame, areas.backlog);
        self.story
            .render(app, self.focus == Focus::Story, frame, areas.story);
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        self.story.renumber(changes);
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

/// What the table shows and where it is.
#[derive(Clone, Debug, Default)]
pub struct Table {
    /// What the table is narrowed to.
    pub filter: Filter,
    /// The stories the table shows, as the filter leaves them.
    pub rows: Rows,
    /// 0-based row of the selected story (its rank position when no
    /// filter is on).
    pub selected: usize,
    /// The first row on screen.
    pub scroll: usize,
}

impl Table {
    /// The selected story.
    #[must_use]
    pub fn selected_story<'a>(&self, backlog: &'a Backlog) -> Option<&'a Story> {
        backlog.at(self.selected_position(backlog)?)
    }

    /// The rank position of the selected story.
    #[must_use]
    pub fn selected_position(&self, backlog: &Backlog) -> Option<usize> {
        self.rows.position(self.selected, backlog)
    }

    /// How many rows the table has.
    #[must_use]
    pub fn row_count(&self, backlog: &Backlog) -> usize {
        self.rows.len(backlog)
    }

    /// The story shown at a row.
    #[must_use]
    pub fn story_at_row<'a>(&self, row: usize, backlog: &'a Backlog) -> Option<&'a Story> {
        backlog.at(self.rows.position(row, backlog)?)
    }

    /// Whether the filter lets a story through.
    #[must_use]
    pub fn shows(&self, story: &Story, backlog: &Backlog) -> bool {
        !self.filter.is_active()
            || self
                .filter
                .matches(story, &self.filter.words(), &backlog.product.settings.ready)
    }
}

/// The table with what keeping it right needs: the backlog it shows, and
/// how many of its rows fit on screen.
pub struct TableMut<'a> {
    pub table: &'a mut Table,
    pub backlog: &'a Backlog,
    /// Rows on screen, as the layout has them now.
    pub fits: usize,
}

impl TableMut<'_> {
    /// The selected story.
    #[must_use]
    pub fn selected_story(&self) -> Option<&Story> {
        self.table.selected_story(self.backlog)
    }

    /// Select a row (clamped to the table) and scroll it into view.
    pub fn select(&mut self, row: usize) {
        let last = self.table.row_count(self.backlog).saturating_sub(1);
        self.table.selected = row.min(last);
        self.keep_selection_visible();
    }

    /// Select the row `delta` rows from the selected one.
    pub fn step(&mut self, delta: isize) {
        self.select(self.table.selected.saturating_add_signed(delta));
    }

    /// Select the row a screenful down (`pages` 1) or up (-1).
    pub fn page(&mut self, pages: isize) {
        let rows = isize::try_from(self.fits.max(1)).unwrap_or(isize::MAX);
        self.step(pages.saturating_mul(rows));
    }

    /// Search for `query`, as it is typed: typed further, only the
    /// stories shown can still match, and only they are tested again.
    pub fn search(&mut self, query: String) {
        let old = std::mem::replace(&mut self.table.filter.query, query);
        if !old.trim().is_empty() && self.table.filter.query.starts_with(&old) {
            // A filter moves no story: the selected story's rank position
            // still holds, no search needed.
            let position = self.table.selected_position(self.backlog);
            self.table.rows = self.table.rows.narrowed(self.backlog, &self.table.filter);
            self.select_position(position);
        } else {
            self.refilter();
        }
    }

    /// Clear the search and every filter; false when none was on.
    pub fn clear_filter(&mut self) -> bool {
        if !self.table.filter.is_active() {
            return false;
        }
        self.table.filter = Filter::default();
        self.refilter();
        true
    }

    /// Test every story against the filter again, staying on the selected
    /// story if it is still shown, else on the nearest row.
    pub fn refilter(&mut self) {
        let id = self.selected_story().map(|s| s.id);
        self.recompute(id);
    }

    /// Test every story against the filter again after the backlog changed
    /// in ways the rows cannot follow (a reload, an undo, stories deleted),
    /// and select `keep` (taken before the change) wherever it now is.
    pub fn recompute(&mut self, keep: Option<StoryId>) {
        self.table.rows = Rows::compute(self.backlog, &self.table.filter);
        self.reselect(keep);
    }

    /// A story was just added: show it, filter or not, and select it.
    pub fn story_added(&mut self, id: StoryId) {
        if let Ok(position) = self.backlog.position(id) {
            self.table.rows.inserted(position, true);
            if let Ok(row) = self.table.rows.row_of(position) {
                self.select(row);
            }
        }
    }

    /// After a change to story `id` (not a move): keep the rows right.
    /// The selected story stays shown even if it no longer matches, so
    /// editing it never makes it vanish. Finding the story's place walks
    /// the order, so it is done only when a filter is on.
    pub fn story_changed(&mut self, id: StoryId) {
        if !self.table.filter.is_active() {
            return;
        }
        let Ok(position) = self.backlog.position(id) else {
            return;
        };
        let selected = self.table.selected_position(self.backlog) == Some(position);
        let shown = selected
            || self
                .backlog
                .at(position)
                .is_some_and(|s| self.table.shows(s, self.backlog));
        self.table.rows.changed(position, shown);
        if let Ok(row) = self.table.rows.row_of(position)
            && selected
        {
            self.table.selected = row;
        }
    }

    /// A story moved from rank position `from` to `to`: its row follows,
    /// and stays selected.
    pub fn moved(&mut self, from: usize, to: usize) {
        self.table.rows.moved(from, to);
        if let Ok(row) = self.table.rows.row_of(to) {
            self.select(row);
        }
    }

    /// The story at rank position `at` is gone: the selection stays at the
    /// same row, or the new last one.
    pub fn removed(&mut self, at: usize) {
        self.table.rows.removed(at);
        self.select(self.table.selected);
    }

    /// Select the story `id` wherever it now is; if it is not shown, stay
    /// at the same row.
    pub fn reselect(&mut self, id: Option<StoryId>) {
        let position = id.and_then(|id| self.backlog.position(id).ok());
        self.select_position(position);
    }

    /// Select the row showing rank position `position`, or the row it
    /// would be at; with none, stay at the same row.
    pub fn select_position(&mut self, position: Option<usize>) {
        let row = position.map_or(self.table.selected, |p| match self.table.rows.row_of(p) {
            Ok(row) | Err(row) => row,
        });
        self.select(row);
    }

    /// The table has more rows than before (the terminal grew, a message
    /// above the status bar went): scroll back so the selection and the
    /// rows above it fill them, rather than leave rows above hidden.
    pub fn fill(&mut self) {
        let rows = self.fits.max(1);
        self.table.scroll = self
            .table
            .scroll
            .min((self.table.selected + 1).saturating_sub(rows));
        self.keep_selection_visible();
    }

    pub fn keep_selection_visible(&mut self) {
        let rows = self.fits.max(1);
        let table = &mut *self.table;
        if table.selected < table.scroll {
            table.scroll = table.selected;
        } else if table.selected >= table.scroll + rows {
            table.scroll = table.selected + 1 - rows;
        }
        // Never leave empty rows below the last story while rows above
        // are hidden (after a resize or a delete near the end).
        table.scroll = table
            .scroll
            .min(table.row_count(self.backlog).saturating_sub(rows));
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

/// Below this pane width the status column is left out.
const NARROW: u16 = 56;
/// From this pane width the table has an epic column.
const WIDE_TABLE: u16 = 70;

/// The pane's frame: product name, position, and the filter when one is on.
fn block(app: &App, focused: bool) -> Block<'static> {
    let (border_type, border_style) = theme::border(focused, app.color);
    let product = one_line(&app.backlog.product.name);
    let title = if product.is_empty() {
        " Backlog ".to_string()
    } else {
        format!(" Backlog · {product} ")
    };
    let mut block = Block::bordered()
        .border_type(border_type)
        .border_style(border_style)
        .title(Line::styled(title, theme::title()));
    let shown = app.row_count();
    if shown > 0 {
        let count = if app.table.filter.is_active() {
            format!(
                " {}/{} of {} ",
                app.table.selected + 1,
                shown,
                app.backlog.len()
            )
        } else {
            format!(" {}/{} ", app.table.selected + 1, shown)
        };
        block = block.title(Line::from(count).alignment(Alignment::Right));
    }
    if app.table.filter.is_active() {
        block = block.title_bottom(Line::styled(
            format!(" filter: {} · F clears ", app.table.filter.describe()),
            theme::warning(app.color),
        ));
    }
    block
}

/// Draw the table in `area`, its border thick when it has the focus.
fn render_table(app: &App, focused: bool, frame: &mut Frame, area: Rect) {
    let block = block(app, focused);
    let shown = app.row_count();
    if shown == 0 {
        let empty = Paragraph::new(empty_message(app))
            .block(block)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true });
        frame.render_widget(empty, area);
        return;
    }

    let visible = usize::from(area.height.saturating_sub(3));
    let rank_width = digits(app.backlog.len()).max(1);
    let id_width = app
        .backlog
        .stories_by_id()
        .last()
        .map_or(3, |s| s.id.to_string().len());
    // A narrow pane gives the title the room the epic and status columns
    // would take; the story pane still shows both.
    let wide = area.width >= NARROW;
    let epic_width = if area.width >= WIDE_TABLE { 14 } else { 0 };
    let product = &app.backlog.product;
    let scale = product.settings.scale;
    let rules = &product.settings.ready;
    let end = (app.table.scroll + visible).min(shown);
    let rows = (app.table.scroll..end).filter_map(|row| {
        let position = app.table.rows.position(row, &app.backlog)?;
        let story = app.backlog.at(position)?;
        let points = story.points.map_or_else(
            || Span::styled("?", theme::warning(app.color)),
            |p| Span::raw(scale.label(p)),
        );
        let mut cells = vec![
            Cell::from(Line::from((position + 1).to_string()).alignment(Alignment::Right)),
            Cell::from(story.id.to_string()),
            Cell::from(ready_mark(story, rules, app.color)),
            // However long the title, the cell shows at most the pane's
            // width of it.
            Cell::from(truncated(&story.title, area.width)),
        ];
        if epic_width > 0 {
            cells.push(Cell::from(
                story.epic.as_deref().map_or_else(Line::default, |name| {
                    Line::from(epic_spans(name, product, app.color).to_vec())
                }),
            ));
        }
        cells.push(Cell::from(Line::from(points).alignment(Alignment::Right)));
        if wide {
            cells.push(Cell::from(Span::styled(
                story.status.as_str(),
                theme::status(story.status, app.color),
            )));
        }
        Some(Row::new(cells))
    });
    let mut widths = vec![
        Constraint::Length(u16::try_from(rank_width).unwrap_or(u16::MAX)),
        Constraint::Length(u16::try_from(id_width).unwrap_or(u16::MAX)),
        Constraint::Length(1),
        Constraint::Fill(1),
    ];
    let mut header = vec![
        Cell::from(Line::from("#").alignment(Alignment::Right)),
        Cell::from("ID"),
        Cell::from("R"),
        Cell::from("Title"),
    ];
    if epic_width > 0 {
        widths.push(Constraint::Length(epic_width));
        header.push(Cell::from("Epic"));
    }
    widths.push(Constraint::Length(3));
    header.push(Cell::from("Pts"));
    if wide {
        widths.push(Constraint::Length(11));
        header.push(Cell::from("Status"));
    }
    let table = TableWidget::new(rows, widths)
        .header(Row::new(header).style(theme::header()))
        .block(block)
        .column_spacing(1)
        .row_highlight_style(theme::selected())
        .highlight_symbol("▶ ");
    // Only the visible rows were built, so the selection is relative to
    // the first of them and the table never scrolls by itself.
    let mut state = TableState::default()
        .with_selected(Some(app.table.selected.saturating_sub(app.table.scroll)));
    frame.render_stateful_widget(table, area, &mut state);
}

/// What an empty table says: how to add a story, or how to see them all.
fn empty_message(app: &App) -> Vec<Line<'static>> {
    if app.backlog.is_empty() {
        vec![
            Line::from(""),
            Line::styled("No stories yet.", theme::title()),
            Line::from(""),
            Line::from(vec![
                Span::raw("Press "),
                Span::styled("a", theme::key(app.color)),
                Span::raw(" to add the first story,"),
            ]),
            Line::from("or quit and run `backlog init --demo`"),
            Line::from("for a sample backlog to try things on."),
        ]
    } else {
        vec![
            Line::from(""),
            Line::styled("No story matches the filter.", theme::title()),
            Line::from(""),
            Line::from(vec![
                Span::styled("F", theme::key(app.color)),
                Span::raw(" shows every story, "),
                Span::styled("f", theme::key(app.color)),
                Span::raw(" changes the filter."),
            ]),
        ]
    }
}

/// The Definition of Ready at a glance, for stories not yet taken on:
/// `✓` ready, `✗` not, `!` set ready although it is not. Stories in
/// progress, done or rejected are past it and show nothing.
fn ready_mark(story: &Story, rules: &ReadyRules, color: bool) -> Span<'static> {
    let Some(mark) = readiness::mark(story, rules) else {
        return Span::raw(" ");
    };
    let style = match mark {
        Mark::Ready => theme::good(color),
        Mark::NotReady => theme::warning(color),
        Mark::ReadyAnyway => theme::error(color),
    };
    Span::styled(mark.symbol().to_string(), style)
}

fn digits(n: usize) -> usize {
    n.to_string().len()
}
