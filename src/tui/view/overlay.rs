//! Overlays drawn over the panes: help, delete confirmation, too small.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::{MIN_HEIGHT, MIN_WIDTH, theme};
use crate::model::StoryId;
use crate::text::one_line;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::filter::EpicFilter;
use crate::tui::keymap::{self, Binding};

/// A box of at most `width` × `height`, centred in `area`.
pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

pub fn too_small(frame: &mut Frame, area: Rect) {
    let text = format!(
        "Terminal too small: {}×{}. backlog needs at least {MIN_WIDTH}×{MIN_HEIGHT}.",
        area.width, area.height
    );
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        area,
    );
}

pub fn confirm_delete(app: &App, id: StoryId, frame: &mut Frame, area: Rect) {
    let title = app
        .backlog
        .get(id)
        .map_or_else(String::new, |s| one_line(&s.title).into_owned());
    let lines = vec![
        Line::from(format!("Delete {id}?")).style(theme::title()),
        Line::from(title),
        Line::from(""),
        Line::from(vec![
            Span::styled("y", theme::key(app.color)),
            Span::raw(" delete   "),
            Span::styled("n", theme::key(app.color)),
            Span::raw(" keep"),
        ]),
    ];
    let popup = centered(area, 50, 6);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().title(" Delete story "))
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        popup,
    );
}

/// Asking whether to set a story that is not ready to ready anyway.
pub fn confirm_ready(app: &App, id: StoryId, missing: &[String], frame: &mut Frame, area: Rect) {
    let mut lines = vec![
        Line::from(format!("{id} does not meet the Definition of Ready:")).style(theme::title()),
        Line::from(""),
    ];
    for reason in missing {
        lines.push(Line::from(format!("• {}", one_line(reason))));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(
        "Set it to ready anyway? The override is recorded on the story.",
    ));
    lines.push(Line::from(""));
    lines.push(Line::from(vec![
        Span::styled("y", theme::key(app.color)),
        Span::raw(" set ready   "),
        Span::styled("n", theme::key(app.color)),
        Span::raw(" leave it"),
    ]));
    let height = u16::try_from(lines.len() + 4).unwrap_or(u16::MAX);
    let popup = centered(area, 64, height);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().title(" Not ready "))
            .wrap(Wrap { trim: true }),
        popup,
    );
}

/// How many rows the filter panel has.
pub const FILTER_ROWS: usize = 5;

/// The filter panel: one row per kind of filter, with its value.
pub fn filter(app: &App, selected: usize, frame: &mut Frame, area: Rect) {
    let f = &app.filter;
    let any = || "any".to_string();
    let values = [
        ("Status", f.status.map_or_else(any, |s| s.to_string())),
        (
            "Label",
            f.label
                .as_deref()
                .map_or_else(any, |l| format!("#{}", one_line(l))),
        ),
        (
            "Epic",
            match &f.epic {
                None => any(),
                Some(EpicFilter::None) => "no epic".to_string(),
                Some(EpicFilter::Named(name)) => one_line(name).into_owned(),
            },
        ),
        (
            "Ready",
            match f.ready {
                None => any(),
                Some(true) => "ready".to_string(),
                Some(false) => "not ready".to_string(),
            },
        ),
        (
            "Unestimated",
            if f.unestimated {
                "only unestimated"
            } else {
                "any"
            }
            .to_string(),
        ),
    ];
    let mut lines: Vec<Line> = values
        .into_iter()
        .enumerate()
        .map(|(row, (name, value))| {
            let line = Line::from(vec![
                Span::raw(if row == selected { "▶ " } else { "  " }),
                Span::styled(format!("{name:<12}"), theme::title()),
                Span::raw(format!("‹ {value} ›")),
            ]);
            if row == selected {
                line.style(theme::selected())
            } else {
                line
            }
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::styled(
        format!("{} of {} stories shown", app.row_count(), app.backlog.len()),
        theme::dim(app.color),
    ));
    lines.push(Line::from(vec![
        Span::styled("j/k", theme::key(app.color)),
        Span::raw(" choose  "),
        Span::styled("h/l", theme::key(app.color)),
        Span::raw(" change  "),
        Span::styled("F", theme::key(app.color)),
        Span::raw(" clear  "),
        Span::styled("Enter", theme::key(app.color)),
        Span::raw(" done"),
    ]));
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let popup = centered(area, 48, height);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Filter ")),
        popup,
    );
}

fn section(title: &str, table: &[Binding], color: bool, lines: &mut Vec<Line<'static>>) {
    lines.push(Line::styled(title.to_string(), theme::header()));
    // Ctrl-C quits everywhere; the first section says so once.
    let show_quit = lines.len() == 1;
    for binding in table
        .iter()
        .filter(|b| show_quit || b.action != Action::Quit)
    {
        let keys: Vec<String> = binding.keys.iter().map(|k| k.label()).collect();
        lines.push(Line::from(vec![
            Span::styled(format!("{:<16}", keys.join(" ")), theme::key(color)),
            Span::raw(binding.help),
        ]));
    }
    lines.push(Line::from(""));
}

/// Every binding of every mode, straight from the keymap.
/// The help's lines: every binding of every mode, from the keymap.
#[must_use]
pub fn help_lines(color: bool) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    section("Backlog", keymap::NORMAL, color, &mut lines);
    section(
        "Typing a title or comment",
        keymap::PROMPT,
        color,
        &mut lines,
    );
    section("Search", keymap::SEARCH, color, &mut lines);
    section("Filter panel", keymap::FILTER, color, &mut lines);
    section(
        "Questions (delete, set ready anyway)",
        keymap::CONFIRM,
        color,
        &mut lines,
    );
    section("Epics panel (E)", keymap::EPICS, color, &mut lines);
    section(
        "Deleting an epic with stories",
        keymap::EPIC_DELETE,
        color,
        &mut lines,
    );
    section(
        "Deleting an epic without stories",
        keymap::EPIC_CONFIRM,
        color,
        &mut lines,
    );
    section("Vision panel (V)", keymap::VISION, color, &mut lines);
    section(
        "Typing a name, goal or release",
        keymap::PANEL_LINE,
        color,
        &mut lines,
    );
    section("Typing the vision", keymap::PANEL_TEXT, color, &mut lines);
    section("This help", keymap::HELP, color, &mut lines);
    lines.pop();
    lines
}

pub fn help(app: &App, scroll: u16, frame: &mut Frame, area: Rect) {
    let lines = help_lines(app.color);
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let popup = centered(area, 78, height);
    let hidden = height.saturating_sub(popup.height);
    let mut block = Block::bordered().title(" Keys ");
    if hidden > 0 {
        block = block.title_bottom(Line::from(" j/k scroll ").right_aligned());
    }
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll.min(hidden), 0)),
        popup,
    );
}
