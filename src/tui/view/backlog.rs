//! The backlog pane: the ranked table, built only for the visible rows.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

use super::theme;
use crate::text::one_line;
use crate::tui::app::{App, Focus};

/// Below this pane width the status column is left out.
const NARROW: u16 = 56;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let (border_type, border_style) = theme::border(app.focus == Focus::Backlog, app.color);
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
    if !app.backlog.is_empty() {
        block = block.title(
            Line::from(format!(" {}/{} ", app.selected + 1, app.backlog.len()))
                .alignment(Alignment::Right),
        );
    }

    if app.backlog.is_empty() {
        let text = vec![
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
        ];
        let empty = Paragraph::new(text)
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
    // A narrow pane gives the title the room the status column would take;
    // the story pane still shows the status.
    let columns = if area.width >= NARROW { 5 } else { 4 };
    let rows = app
        .backlog
        .ranked_range(app.scroll, visible)
        .map(|(position, story)| {
            let points = story
                .points
                .map_or_else(|| "-".to_string(), |p| p.to_string());
            Row::new(
                [
                    Cell::from(Line::from((position + 1).to_string()).alignment(Alignment::Right)),
                    Cell::from(story.id.to_string()),
                    Cell::from(one_line(&story.title).into_owned()),
                    Cell::from(Line::from(points).alignment(Alignment::Right)),
                    Cell::from(Span::styled(
                        story.status.as_str(),
                        theme::status(story.status, app.color),
                    )),
                ]
                .into_iter()
                .take(columns),
            )
        });
    let widths = [
        Constraint::Length(u16::try_from(rank_width).unwrap_or(u16::MAX)),
        Constraint::Length(u16::try_from(id_width).unwrap_or(u16::MAX)),
        Constraint::Fill(1),
        Constraint::Length(3),
        Constraint::Length(11),
    ];
    let header = Row::new(
        [
            Cell::from(Line::from("#").alignment(Alignment::Right)),
            Cell::from("ID"),
            Cell::from("Title"),
            Cell::from("Pts"),
            Cell::from("Status"),
        ]
        .into_iter()
        .take(columns),
    )
    .style(theme::header());
    let table = Table::new(rows, &widths[..columns])
        .header(header)
        .block(block)
        .column_spacing(1)
        .row_highlight_style(theme::selected())
        .highlight_symbol("▶ ");
    // Only the visible rows were built, so the selection is relative to
    // the first of them and the table never scrolls by itself.
    let mut state =
        TableState::default().with_selected(Some(app.selected.saturating_sub(app.scroll)));
    frame.render_stateful_widget(table, area, &mut state);
}

fn digits(n: usize) -> usize {
    n.to_string().len()
}
