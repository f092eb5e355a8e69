//! The table as drawn: only the visible rows are built.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table as TableWidget, TableState, Wrap};

use crate::model::ready::{self as readiness, Mark};
use crate::model::{ReadyRules, Story};
use crate::text::one_line;
use crate::tui::app::App;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{table_body, truncated};
use crate::tui::screens::story::epic_spans;
use crate::tui::theme;

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
            format!(
                " filter: {} · {} clears ",
                app.table.filter.describe(),
                app.key(Context::Backlog, Command::ClearFilter)
            ),
            theme::warning(app.color),
        ));
    }
    block
}

/// Draw the table in `area`, its border thick when it has the focus.
pub(super) fn render_table(app: &App, focused: bool, frame: &mut Frame, area: Rect) {
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

    let visible = usize::from(table_body(area).height);
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
    let key = |command| app.key(Context::Backlog, command);
    if app.backlog.is_empty() {
        vec![
            Line::from(""),
            Line::styled("No stories yet.", theme::title()),
            Line::from(""),
            Line::from(vec![
                Span::raw("Press "),
                Span::styled(key(Command::AddStory), theme::key(app.color)),
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
                Span::styled(key(Command::ClearFilter), theme::key(app.color)),
                Span::raw(" shows every story, "),
                Span::styled(key(Command::OpenFilter), theme::key(app.color)),
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
