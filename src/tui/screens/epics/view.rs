//! The epics panel as drawn: the selected story, every epic with its
//! stories, points, target release and goal, the highlighted epic in
//! full, the input while a name or goal is typed, and the question asked
//! before an epic is deleted.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Cell, Clear, Paragraph, Row, Table, TableState, Wrap};
use unicode_width::UnicodeWidthStr;

use super::{EpicStep, EpicsPanel, delete_choices};
use crate::model::{Epic, EpicStories, Product};
use crate::text::one_line;
use crate::tui::app::App;
use crate::tui::keymap::{Command, Context, Keymap};
use crate::tui::layout::{self, centered, truncated};
use crate::tui::screens::choice_row;
use crate::tui::screens::overview::Overview;
use crate::tui::screens::story::epic_spans;
use crate::tui::theme;
use crate::tui::view::{BoxStyle, keys_line, message_box};
use crate::words;

/// The panel is at most this wide, so its columns stay readable.
const MAX_WIDTH: u16 = 110;

/// Where the panel's parts go over `area`.
pub(super) struct Geometry {
    pub popup: Rect,
    /// The selected story's line.
    pub story: Rect,
    /// The epics' table, its header first.
    pub table: Rect,
    /// The highlighted epic in full.
    pub details: Rect,
    /// The input, while a name, goal or release is typed.
    pub input: Rect,
    /// The first epic the table shows.
    pub first: usize,
}

/// The panel's parts over `area`: as tall as what it shows (the story,
/// the table, the highlighted epic in full, and the input while typing),
/// the table scrolled so the highlighted epic shows, its keys named from
/// the keymap `keys`. Both the drawing and a click ask here.
pub(super) fn geometry(
    product: &Product,
    keys: &Keymap,
    panel: &EpicsPanel,
    area: Rect,
) -> Geometry {
    let epics = &product.epics;
    let row = panel.row.min(epics.len().saturating_sub(1));
    let typing = matches!(panel.step, EpicStep::Typing { .. });
    let width = area.width.min(MAX_WIDTH);
    let details_height = epics.get(row).map_or(0, |epic| {
        let details = Paragraph::new(details(product, keys, epic, false)).wrap(Wrap { trim: true });
        u16::try_from(details.line_count(width.saturating_sub(2))).unwrap_or(u16::MAX)
    });
    let table_height = u16::try_from(epics.len().max(1) + 1).unwrap_or(u16::MAX);
    let typing_height = if typing { 2 } else { 0 };
    let height = 2 + 2 + table_height + 1 + details_height + typing_height;
    let popup = centered(area, width, height);
    let inner = Block::bordered().inner(popup);
    let [story, _, table, _, details, _, input] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(2),
        Constraint::Length(1),
        Constraint::Length(details_height),
        Constraint::Length(typing_height / 2),
        Constraint::Length(typing_height / 2),
    ])
    .areas(inner);
    // As few rows scrolled as show the highlighted epic below the header.
    let shown = usize::from(table.height.saturating_sub(1)).max(1);
    Geometry {
        popup,
        story,
        table,
        details,
        input,
        first: (row + 1).saturating_sub(shown),
    }
}

/// The epic at a click on `column`, `row` of the panel's table, if any.
pub(super) fn epic_at(geometry: &Geometry, epics: usize, column: u16, row: u16) -> Option<usize> {
    let body = Rect {
        y: geometry.table.y + 1,
        height: geometry.table.height.saturating_sub(1),
        ..geometry.table
    };
    let at = geometry.first + layout::row_at(body, column, row)?;
    (at < epics).then_some(at)
}

pub(super) fn render(app: &App, panel: &EpicsPanel, frame: &mut Frame, area: Rect) {
    let epics = &app.backlog.product.epics;
    let row = panel.row.min(epics.len().saturating_sub(1));
    let geometry = geometry(&app.backlog.product, &app.keymap, panel, area);
    let popup = geometry.popup;
    let block = Block::bordered()
        .border_type(BorderType::Thick)
        .border_style(theme::border(true, app.color).1)
        .title(Line::styled(
            format!(" Epics · {} ", epics.len()),
            theme::title(),
        ));
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    if inner.height < 3 || inner.width < 20 {
        return;
    }
    let (story_area, table_area, details_area, input_area) = (
        geometry.story,
        geometry.table,
        geometry.details,
        geometry.input,
    );
    frame.render_widget(Paragraph::new(story_line(app)), story_area);
    if epics.is_empty() {
        frame.render_widget(
            Paragraph::new(vec![
                Line::styled("No epics yet.", theme::title()),
                Line::from(vec![
                    Span::styled(
                        app.key(Context::Epics, Command::AddEpic),
                        theme::key(app.color),
                    ),
                    Span::raw(format!(
                        " adds one: type its name, {} keeps it.",
                        app.key(Context::PanelLine, Command::KeepField)
                    )),
                ]),
            ])
            .wrap(Wrap { trim: true }),
            table_area,
        );
    } else {
        table(
            app,
            &panel.overview,
            (row, geometry.first),
            frame,
            table_area,
        );
    }
    if let Some(epic) = epics.get(row) {
        let details = Paragraph::new(details(&app.backlog.product, &app.keymap, epic, app.color))
            .wrap(Wrap { trim: true });
        frame.render_widget(details, details_area);
    }
    match &panel.step {
        EpicStep::Typing { field, input } => {
            let label = field.label();
            let width = u16::try_from(label.width()).unwrap_or(u16::MAX);
            let [label_area, field_area] =
                Layout::horizontal([Constraint::Length(width), Constraint::Min(1)])
                    .areas(input_area);
            frame.render_widget(
                Paragraph::new(Span::styled(label, theme::key(app.color))),
                label_area,
            );
            input.render(frame, field_area, app.color);
        }
        EpicStep::ConfirmDelete(epic) => confirm(app, epic, frame, area),
        EpicStep::Deleting { epic, choice } => {
            choose(app, &panel.overview, epic, choice, frame, area);
        }
        EpicStep::Browse => {}
    }
}

/// The story the panel puts in an epic and takes out of one: the
/// stories marked, when there are.
fn story_line(app: &App) -> Line<'static> {
    let marked = app.table.marks.len();
    if marked > 0 {
        return Line::from(vec![
            Span::styled("Marked ", theme::title()),
            Span::raw(format!(
                "{}: each goes into the epic, or out of its own",
                words::count(marked, "story", "stories")
            )),
        ]);
    }
    let Some(story) = app.selected_story() else {
        return Line::styled(
            format!(
                "No story selected: {} and {} act on the backlog's selected story.",
                app.key(Context::Epics, Command::PutInEpic),
                app.key(Context::Epics, Command::TakeOutOfEpic)
            ),
            theme::dim(app.color),
        );
    };
    let mut spans = vec![
        Span::styled("Story ", theme::title()),
        Span::raw(format!(
            "{} {} · ",
            story.id,
            truncated(&story.title, app.size.0)
        )),
    ];
    match &story.epic {
        Some(name) => {
            spans.push(Span::raw("in "));
            spans.extend(epic_spans(name, &app.backlog.product, app.color));
        }
        None => spans.push(Span::styled("in no epic", theme::dim(app.color))),
    }
    Line::from(spans)
}

/// The epics' table, `row` highlighted and `first` the first shown.
fn table(
    app: &App,
    overview: &Overview,
    (row, first): (usize, usize),
    frame: &mut Frame,
    area: Rect,
) {
    let product = &app.backlog.product;
    let dim = theme::dim(app.color);
    let rows = product.epics.iter().map(|epic| {
        let (count, points) = overview.epic(&epic.name);
        let release = epic.target_release.as_deref().map_or_else(
            || Span::styled("—", dim),
            |r| Span::raw(one_line(r).into_owned()),
        );
        let goal = if epic.goal.trim().is_empty() {
            Span::styled("no goal yet", dim)
        } else {
            Span::raw(one_line(&epic.goal).into_owned())
        };
        Row::new(vec![
            Cell::from(Line::from(
                epic_spans(&epic.name, product, app.color).to_vec(),
            )),
            Cell::from(Line::from(count.to_string()).alignment(Alignment::Right)),
            Cell::from(Line::from(format!("{points}")).alignment(Alignment::Right)),
            Cell::from(release),
            Cell::from(goal),
        ])
    });
    // Room for the longest name and its marker, within reason.
    let name_width = product
        .epics
        .iter()
        .map(|e| one_line(&e.name).width() + 2)
        .max()
        .unwrap_or(4)
        .clamp(6, 24);
    let widths = [
        Constraint::Length(u16::try_from(name_width).unwrap_or(24)),
        Constraint::Length(7),
        Constraint::Length(5),
        Constraint::Length(7),
        Constraint::Fill(1),
    ];
    let header = Row::new(vec![
        Cell::from("Epic"),
        Cell::from(Line::from("Stories").alignment(Alignment::Right)),
        Cell::from(Line::from("Pts").alignment(Alignment::Right)),
        Cell::from("Release"),
        Cell::from("Goal"),
    ])
    .style(theme::header());
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme::selected())
        .highlight_symbol("▶ ");
    // Scrolled as the layout says, so a click finds the epic drawn.
    let mut state = TableState::default()
        .with_offset(first)
        .with_selected(Some(row));
    frame.render_stateful_widget(table, area, &mut state);
}

/// The highlighted epic: colour and release, then its goal in full; the
/// keys that set them, from `keys`, where they are not set.
fn details(product: &Product, keys: &Keymap, epic: &Epic, color: bool) -> Vec<Line<'static>> {
    let dim = theme::dim(color);
    let mut first: Vec<Span> = epic_spans(&epic.name, product, color).to_vec();
    first.push(Span::raw(format!(" · {}", epic.color)));
    first.push(match &epic.target_release {
        Some(release) => Span::raw(format!(" · release {}", one_line(release))),
        None => Span::styled(
            format!(
                " · no target release ({} sets one)",
                keys.label(Context::Epics, Command::EditEpicRelease)
            ),
            dim,
        ),
    });
    let goal = if epic.goal.trim().is_empty() {
        Line::styled(
            format!(
                "No goal yet: {} sets one.",
                keys.label(Context::Epics, Command::EditEpicGoal)
            ),
            dim,
        )
    } else {
        Line::from(vec![
            Span::styled("Goal ", theme::title()),
            Span::raw(one_line(&epic.goal).into_owned()),
        ])
    };
    vec![Line::from(first), goal]
}

/// Asking whether to delete an epic with no stories.
fn confirm(app: &App, epic: &str, frame: &mut Frame, area: Rect) {
    let mut title = vec![Span::styled("Delete the epic ", theme::title())];
    title.extend(epic_spans(epic, &app.backlog.product, app.color));
    title.push(Span::styled("?", theme::title()));
    let lines = vec![
        Line::from(title),
        Line::from("It has no stories."),
        Line::from(""),
        keys_line(
            app.color,
            &[
                (&app.key(Context::EpicConfirm, Command::Confirm), "delete"),
                (&app.key(Context::EpicConfirm, Command::Cancel), "keep"),
            ],
        ),
    ];
    let style = BoxStyle {
        width: 50,
        spare_rows: 0,
        centred_text: true,
    };
    message_box(frame, area, "Delete epic", lines, style);
}

/// Asking what becomes of an epic's stories when it is deleted.
fn choose(
    app: &App,
    overview: &Overview,
    epic: &str,
    chosen: &EpicStories,
    frame: &mut Frame,
    area: Rect,
) {
    let product = &app.backlog.product;
    let (count, points) = overview.epic(epic);
    let mut title = vec![Span::styled("Delete the epic ", theme::title())];
    title.extend(epic_spans(epic, product, app.color));
    title.push(Span::styled("?", theme::title()));
    let (stories, them) = if count == 1 {
        ("story", "it")
    } else {
        ("stories", "them")
    };
    let mut lines = vec![
        Line::from(title),
        Line::from(format!(
            "It has {count} {stories} ({points} pts). What becomes of {them}?"
        )),
        Line::from(""),
    ];
    for option in delete_choices(product, epic) {
        let is_chosen = option == *chosen;
        let mut spans = Vec::new();
        match option {
            EpicStories::Unassign => spans.push(Span::raw(format!("Keep {them}, in no epic"))),
            EpicStories::MoveTo(other) => {
                spans.push(Span::raw(format!("Move {them} to ")));
                spans.extend(epic_spans(&other, product, app.color));
            }
            EpicStories::Delete => spans.push(Span::styled(
                format!("Delete {them} with the epic"),
                theme::warning(app.color),
            )),
        }
        lines.push(choice_row(is_chosen, spans));
    }
    lines.push(Line::from(""));
    let choose = app.keymap.pair(
        Context::EpicDelete,
        Command::SelectNext,
        Command::SelectPrevious,
    );
    lines.push(keys_line(
        app.color,
        &[
            (&choose, "choose"),
            (&app.key(Context::EpicDelete, Command::Confirm), "delete"),
            (
                &app.key(Context::EpicDelete, Command::Cancel),
                "keep the epic",
            ),
        ],
    ));
    let style = BoxStyle {
        width: 62,
        spare_rows: 0,
        centred_text: false,
    };
    message_box(frame, area, "Delete epic", lines, style);
}
