//! The status bar (file, counts, notices), the key hints, and the prompt.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::text::one_line;
use crate::tui::app::{App, Notice};
use crate::tui::keymap::{Command, Context};
use crate::tui::theme;
use crate::tui::typing::TextField;
use crate::words::number;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let count = app.backlog.len();
    let stories = crate::words::count(count, "story", "stories");
    let shown = if app.table.filter.is_active() {
        format!("{} of ", app.row_count())
    } else {
        String::new()
    };
    // The points of the stories shown, and of the open work among them
    // (the same, in the open-work view): kept as each change is made, so
    // a frame adds nothing up.
    let totals = app.table.totals(&app.backlog);
    // Whole and half points add up exactly; a fraction kept from an older
    // file may not, so a total is shown to two places at most.
    let (all, open) = (number(totals.points), number(totals.open));
    let points = if open == all {
        format!("{all} pts")
    } else {
        format!("{all} pts · {open} pts open")
    };
    let read_only = if app.read_only { " [read-only]" } else { "" };
    let marks = &app.table.marks;
    let marked = if marks.is_empty() {
        String::new()
    } else {
        let unmark = app.key(Context::Backlog, Command::Dismiss);
        format!(" · {} marked ({unmark} unmarks)", marks.len())
    };
    let mut facts = format!(
        " {shown}{stories} · {points}{marked} · {}{read_only}",
        app.file_label
    );
    if facts.width() > usize::from(area.width) {
        // The file's name says more than the start of its directory.
        let name = app.file_label.rsplit('/').next().unwrap_or_default();
        facts = format!(" {shown}{stories} · {points}{marked} · {name}{read_only}");
    }

    let facts = Line::styled(facts, theme::dim(app.color));
    // A failed save and the alerts have lines of their own above (see
    // `Lasting`): the bar answers each key.
    let Some(notice) = &app.notice else {
        frame.render_widget(Paragraph::new(facts), area);
        return;
    };
    let notice = notice_line(notice, app.color);
    // The notice matters more than the facts: it gets the room it needs.
    let wanted = u16::try_from(notice.width() + 2).unwrap_or(u16::MAX);
    let [left_area, right_area] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(wanted.min(area.width)),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(facts), left_area);
    frame.render_widget(Paragraph::new(flush_right(notice, right_area)), right_area);
}

/// The lasting messages, as `Lasting::paragraphs` wrapped them, in
/// `area`, above the status bar.
pub fn render_lasting(paragraphs: Vec<(Paragraph<'static>, u16)>, frame: &mut Frame, area: Rect) {
    let rows = Layout::vertical(
        paragraphs
            .iter()
            .map(|(_, lines)| Constraint::Length(*lines)),
    )
    .split(area);
    for ((paragraph, _), row) in paragraphs.into_iter().zip(rows.iter()) {
        frame.render_widget(paragraph, *row);
    }
}

/// `line` against the right edge of `area`, unless it is too long: then
/// its start, which says what happened, is what shows.
fn flush_right(line: Line<'static>, area: Rect) -> Line<'static> {
    if line.width() > usize::from(area.width) {
        line
    } else {
        line.right_aligned()
    }
}

fn notice_line(notice: &Notice, color: bool) -> Line<'static> {
    // Messages quote the file (a path, a bad value), whatever made it.
    let text = one_line(&notice.text).into_owned();
    if notice.is_error() {
        Line::from(vec![
            Span::styled("Error: ", theme::error(color)),
            Span::styled(text, theme::error(color)),
        ])
    } else {
        Line::from(Span::styled(text, theme::title()))
    }
}

pub fn render_keys(app: &App, frame: &mut Frame, area: Rect) {
    let mut hints = app.hints();
    let width = |hints: &[(String, &str)]| -> usize {
        1 + hints
            .iter()
            .map(|(keys, what)| keys.width() + what.width() + 3)
            .sum::<usize>()
    };
    // On a narrow terminal drop hints after the first two (select, move):
    // top and bottom go first, help and quit last.
    while width(&hints) > usize::from(area.width) && hints.len() > 2 {
        hints.remove(2);
    }
    let mut spans = vec![Span::raw(" ")];
    spans.extend(hint_spans(hints, app.color, "  "));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Each hint as its key, styled, and what it does, then `gap`.
fn hint_spans(
    hints: Vec<(String, &'static str)>,
    color: bool,
    gap: &'static str,
) -> impl Iterator<Item = Span<'static>> {
    hints.into_iter().flat_map(move |(keys, what)| {
        [
            Span::styled(keys, theme::key(color)),
            Span::raw(format!(" {what}{gap}")),
        ]
    })
}

/// A line typed on the bottom line, labelled, with the screen's key
/// `hints` right of it and the cursor in it.
pub fn render_prompt(
    label: &str,
    input: &TextField,
    hints: &[(String, &'static str)],
    color: bool,
    frame: &mut Frame,
    area: Rect,
) {
    let label = format!(" {label}");
    let label_width = u16::try_from(label.as_str().width()).unwrap_or(u16::MAX);
    let keys: Line = hint_spans(hints.to_vec(), color, " ").collect();
    let keys_width = u16::try_from(keys.width()).unwrap_or(u16::MAX);
    let [label_area, field, keys_area] = Layout::horizontal([
        Constraint::Length(label_width),
        Constraint::Min(1),
        Constraint::Length(keys_width),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(keys), keys_area);
    frame.render_widget(
        Paragraph::new(Span::styled(label, theme::key(color))),
        label_area,
    );
    input.render(frame, field, color);
}
