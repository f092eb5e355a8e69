//! The inbox as drawn: the list of items, only the rows on screen built,
//! and beside it (or below, on a narrow terminal) the selected item in
//! full. Text from outside (what customers wrote, their names, the
//! trackers') is shown as text, as everywhere: control and escape
//! characters show as stand-ins, never reach the terminal.

use std::fmt::Write;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{Focus, InboxPane, Shown};
use crate::model::{Backlog, Feedback, FeedbackState, Importance};
use crate::text::one_line;
use crate::tui::app::App;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::scrolled;
use crate::tui::layout::{self, Areas, ellipsized, wrap};
use crate::tui::screens::story::{Linked, text_lines};
use crate::tui::theme;

/// Where the pane's parts go in its area, for the keys and the drawing
/// alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Geometry {
    /// The list, bordered, with a row of column names.
    pub list: Rect,
    /// The list's rows of items.
    pub body: Rect,
    /// The selected item, bordered.
    pub detail: Rect,
}

impl Geometry {
    /// The pane laid out in `main`: side by side from
    /// [`layout::WIDE`] columns, else the list above the item; split as
    /// the backlog pane is, so that the story form, opened on a story
    /// converted here, covers the item as it covers the story pane.
    #[must_use]
    pub fn of(main: Rect) -> Geometry {
        let [list, detail] = if main.width >= layout::WIDE {
            Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(main)
        } else {
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(main)
        };
        Geometry {
            list,
            body: layout::table_body(list),
            detail,
        }
    }

    /// How many items the list shows.
    #[must_use]
    pub fn rows(&self) -> usize {
        usize::from(self.body.height)
    }

    /// Columns of the item's text, inside its border.
    #[must_use]
    pub fn text_width(&self) -> u16 {
        self.detail.width.saturating_sub(2)
    }
}

/// An importance as three marks, filled to its place on the scale: it
/// reads without colour, and in three columns.
#[must_use]
pub fn importance_marks(importance: Importance) -> &'static str {
    match importance {
        Importance::NotImportant => "○○○",
        Importance::NiceToHave => "●○○",
        Importance::Important => "●●○",
        Importance::Critical => "●●●",
    }
}

/// The list's columns in `width` columns (inside its border), each as
/// wide as it is drawn, 0 when left out: the text keeps room to read,
/// the source going first, then the customer's width, then the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Columns {
    pub id: u16,
    pub state: u16,
    pub importance: u16,
    pub date: u16,
    pub customer: u16,
    pub source: u16,
    pub text: u16,
}

/// The `▶ ` before a row.
const GUTTER: u16 = 2;
/// `converted`, the longest state.
const STATE: u16 = 9;
const IMPORTANCE: u16 = 3;
/// `2026-11-20`.
const DATE: u16 = 10;
const CUSTOMER: u16 = 16;
const CUSTOMER_NARROW: u16 = 10;
const SOURCE: u16 = 10;
/// The text's columns below which the others give way.
const TEXT_ROOM: u16 = 24;

impl Columns {
    /// The columns of a list `width` wide whose ids take `id`, with a
    /// state column when the list shows items of every state.
    #[must_use]
    pub fn of(width: u16, id: u16, with_state: bool) -> Columns {
        let mut columns = Columns {
            id,
            state: if with_state { STATE } else { 0 },
            importance: IMPORTANCE,
            date: DATE,
            customer: CUSTOMER,
            source: SOURCE,
            text: 0,
        };
        let text = |c: &Columns| {
            let others: u16 = [c.id, c.state, c.importance, c.date, c.customer, c.source]
                .iter()
                .filter(|w| **w > 0)
                .map(|w| w + 1)
                .sum();
            width.saturating_sub(GUTTER + others)
        };
        if text(&columns) < TEXT_ROOM {
            columns.source = 0;
        }
        if text(&columns) < TEXT_ROOM {
            columns.customer = CUSTOMER_NARROW;
        }
        if text(&columns) < TEXT_ROOM {
            columns.date = 0;
        }
        columns.text = text(&columns);
        columns
    }
}

pub(super) fn render(pane: &InboxPane, app: &App, areas: &Areas, frame: &mut Frame) {
    let geometry = Geometry::of(areas.main);
    render_list(pane, app, geometry, frame);
    let focused = pane.focus == Focus::Item;
    render_item(pane, app, focused, geometry.detail, frame);
}

/// The list's title: how many items wait in triage, of how many, and
/// what else is shown.
fn title(pane: &InboxPane) -> String {
    let counts = &pane.counts;
    let new = counts.of_state(FeedbackState::New);
    let mut title = format!(" Inbox — {new} new of {} ", counts.all);
    match pane.shown.state() {
        Some(FeedbackState::New) => {}
        None => title.push_str("· showing all "),
        Some(state) => {
            let _ = write!(title, "· showing {} {state} ", pane.rows.len());
        }
    }
    title
}

fn render_list(pane: &InboxPane, app: &App, geometry: Geometry, frame: &mut Frame) {
    let focused = pane.focus == Focus::List;
    let (border_type, border_style) = theme::border(focused, app.color);
    let order = format!(" {} ", pane.order.describe());
    let block = Block::bordered()
        .border_type(border_type)
        .border_style(border_style)
        .title(Line::styled(title(pane), theme::title()))
        .title(Line::styled(order, theme::dim(app.color)).alignment(Alignment::Right));
    frame.render_widget(block, geometry.list);
    let body = geometry.body;
    if pane.rows.is_empty() {
        let empty = empty_lines(pane, app);
        frame.render_widget(
            Paragraph::new(empty).wrap(Wrap { trim: true }),
            Rect {
                y: body.y.saturating_sub(1),
                height: body.height.saturating_add(1),
                ..body
            },
        );
        return;
    }
    let feedback = app.backlog.feedback();
    let id_width = feedback.last().map_or(3, |item| item.id.to_string().len());
    let id_width = u16::try_from(id_width).unwrap_or(u16::MAX);
    let columns = Columns::of(body.width, id_width, pane.shown == Shown::All);
    let names = Rect {
        y: body.y.saturating_sub(1),
        height: 1,
        ..body
    };
    frame.render_widget(
        Paragraph::new(Line::styled(header(columns), theme::header())),
        names,
    );
    let shown = usize::from(body.height);
    let scroll = scrolled(pane.scroll, pane.selected, shown);
    let rows: Vec<Line> = pane
        .rows
        .iter()
        .enumerate()
        .skip(scroll)
        .take(shown)
        .filter_map(|(row, id)| {
            let item = app.backlog.feedback_item(*id).ok()?;
            Some(item_row(item, columns, row == pane.selected, app.color))
        })
        .collect();
    frame.render_widget(Paragraph::new(rows), body);
}

/// The column names, over the columns shown.
fn header(columns: Columns) -> String {
    let mut names = " ".repeat(usize::from(GUTTER));
    for (name, width) in [
        ("ID", columns.id),
        ("State", columns.state),
        ("Imp", columns.importance),
        ("Date", columns.date),
        ("Customer", columns.customer),
        ("Source", columns.source),
        ("Feedback", columns.text),
    ] {
        if width > 0 {
            let name = ellipsized(name, width);
            let _ = write!(names, "{name:<w$} ", w = usize::from(width));
        }
    }
    names.trim_end().to_string()
}

/// An item's row: its text cut to its column, and every text from
/// outside shown as text.
fn item_row(item: &Feedback, columns: Columns, selected: bool, color: bool) -> Line<'static> {
    let cell = |text: &str, width: u16| {
        let shown = ellipsized(text, width);
        // Padded by the columns it takes, which a wide character makes
        // more than its characters.
        let used = unicode_width::UnicodeWidthStr::width(shown.as_str());
        format!(
            "{shown}{} ",
            " ".repeat(usize::from(width).saturating_sub(used))
        )
    };
    let mut spans = vec![Span::raw(if selected { "▶ " } else { "  " })];
    spans.push(Span::styled(
        cell(&item.id.to_string(), columns.id),
        theme::title(),
    ));
    if columns.state > 0 {
        spans.push(Span::styled(
            cell(item.state.as_str(), columns.state),
            state_style(item.state, color),
        ));
    }
    spans.push(Span::raw(cell(
        importance_marks(item.importance),
        columns.importance,
    )));
    if columns.date > 0 {
        spans.push(Span::styled(
            cell(&item.date.format("%Y-%m-%d").to_string(), columns.date),
            theme::dim(color),
        ));
    }
    spans.push(Span::raw(cell(&item.customer, columns.customer)));
    if columns.source > 0 {
        spans.push(Span::styled(
            cell(&item.source, columns.source),
            theme::dim(color),
        ));
    }
    spans.push(Span::raw(ellipsized(item.summary(), columns.text)));
    let line = Line::from(spans);
    if selected {
        line.style(theme::selected())
    } else {
        line
    }
}

fn state_style(state: FeedbackState, color: bool) -> ratatui::style::Style {
    match state {
        FeedbackState::New => theme::title(),
        FeedbackState::Linked | FeedbackState::Converted => theme::good(color),
        FeedbackState::Dismissed => theme::dim(color),
    }
}

/// What the list says when it lists nothing: how items come in, or that
/// the queue is triaged and how to see the rest.
fn empty_lines(pane: &InboxPane, app: &App) -> Vec<Line<'static>> {
    let key = |command| app.key(Context::Inbox, command);
    let dim = theme::dim(app.color);
    if pane.counts.all == 0 {
        return vec![
            Line::styled("The inbox is empty.", theme::title()),
            Line::styled(
                format!(
                    "Customer feedback waits here to be triaged. {} adds an item; \
                     `backlog feedback add` and `backlog import --into inbox` bring \
                     them in from scripts and trackers.",
                    key(Command::AddFeedback)
                ),
                dim,
            ),
        ];
    }
    let shown = pane.shown.state().map_or("items", |state| state.as_str());
    let more = key(Command::FilterByState);
    let said = if pane.shown == Shown::New {
        "No new items: the inbox is triaged.".to_string()
    } else {
        format!("No {shown} items.")
    };
    vec![
        Line::styled(said, theme::title()),
        Line::styled(format!("{more} shows the next view."), dim),
    ]
}

/// The selected item in full, in `area`.
fn render_item(pane: &InboxPane, app: &App, focused: bool, area: Rect, frame: &mut Frame) {
    let (border_type, border_style) = theme::border(focused, app.color);
    let block = Block::bordered()
        .border_type(border_type)
        .border_style(border_style);
    let Some(item) = pane.selected_item(&app.backlog) else {
        let empty = Paragraph::new(Line::styled("No item selected.", theme::dim(app.color)))
            .block(block.title(" Item "));
        frame.render_widget(empty, area);
        return;
    };
    let block = block.title(Line::styled(format!(" {} ", item.id), theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let shown = pane.item_scroll..pane.item_scroll.saturating_add(usize::from(inner.height));
    let lines = item_lines(item, &app.backlog, app.color);
    frame.render_widget(Paragraph::new(wrap(lines, inner.width, shown).rows), inner);
}

/// The item in full, as paragraphs before wrapping: who said it, where
/// and when; how much it matters and where it is in triage (the story it
/// is linked to or became, or why it was dismissed); its link; then what
/// the customer said. Text is as written, shown when it is laid out.
pub fn item_lines<'a>(
    item: &'a Feedback,
    backlog: &Backlog,
    color: bool,
) -> impl Iterator<Item = Line<'a>> + 'a {
    let dim = theme::dim(color);
    let mut who = vec![Span::styled(item.customer.as_str(), theme::title())];
    if !item.source.trim().is_empty() {
        who.push(Span::styled(" · via ", dim));
        who.push(Span::raw(item.source.as_str()));
    }
    who.push(Span::styled(
        format!(" · {}", item.date.format("%Y-%m-%d %H:%M UTC")),
        dim,
    ));
    let mut state = vec![
        Span::raw(format!(
            "{} {} ({}) · ",
            importance_marks(item.importance),
            item.importance,
            item.importance.value()
        )),
        Span::styled(item.state.as_str(), state_style(item.state, color)),
    ];
    match (item.state, item.story) {
        (FeedbackState::Linked, Some(story)) => {
            state.push(Span::raw(" to "));
            state.extend(Linked::of(story, backlog).spans(color));
        }
        (FeedbackState::Converted, Some(story)) => {
            state.push(Span::raw(" into "));
            state.extend(Linked::of(story, backlog).spans(color));
        }
        (FeedbackState::Dismissed, _) => {
            let reason = item.reason.as_deref().unwrap_or_default();
            state.push(Span::raw(format!(": {}", one_line(reason))));
        }
        _ => {}
    }
    let mut head = vec![Line::from(who), Line::from(state)];
    if let Some(link) = &item.link {
        head.push(Line::styled(link.as_str(), dim));
    }
    head.push(Line::from(""));
    head.into_iter()
        .chain(text_lines(&item.text).map(|line| Line::from(Span::raw(line))))
}
