//! How the clashes panel is drawn: a box over the screen, a few lines of
//! each clash (what it is on, then the base, ours and theirs, each on a
//! line of its own and labelled, so it reads without colour), the one
//! selected marked, and the keys at its foot.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use serde_json::Value;

use super::ClashesPanel;
use crate::model::{Clash, DELETED};
use crate::text::one_line;
use crate::tui::app::App;
use crate::tui::layout::{centered, ellipsized};
use crate::tui::screens::choice_row;
use crate::tui::theme;

/// The box is at most this wide: values read better in a column.
const WIDTH: u16 = 100;
/// Rows a clash takes: a gap, then what it is on, base, ours, theirs.
const ROWS_EACH: usize = 5;
/// Rows above the clashes: a line saying what they are.
const ROWS_ABOVE: usize = 1;
/// The columns of a value's label: "theirs  ".
const LABEL: usize = 8;

/// Rows of the screen the box leaves free: the status bar and the keys
/// below it, and as many above, so it sits in the middle.
const ROWS_FREE: u16 = 4;

/// Where the box goes over `screen`, holding `count` clashes (or the
/// word that none is left), as many as fit.
#[must_use]
pub fn popup(screen: Rect, count: usize) -> Rect {
    // With none left, three lines say how the merge is finished.
    let rows = ROWS_ABOVE.max(3 * usize::from(count == 0))
        + ROWS_EACH * count.min(clashes_shown(screen))
        + 2;
    let height = u16::try_from(rows).unwrap_or(u16::MAX);
    centered(
        screen,
        WIDTH.min(screen.width.saturating_sub(4)),
        height.min(screen.height.saturating_sub(ROWS_FREE)),
    )
}

/// How many clashes the tallest box `screen` allows shows in full.
#[must_use]
pub fn clashes_shown(screen: Rect) -> usize {
    let inner = usize::from(screen.height.saturating_sub(ROWS_FREE + 2));
    (inner.saturating_sub(ROWS_ABOVE) / ROWS_EACH).max(1)
}

/// The first clash to show so that `selected` is in full view, moving
/// the list no more than it must from `top`.
#[must_use]
pub fn top_for(selected: usize, top: usize, shown: usize) -> usize {
    let shown = shown.max(1);
    if selected < top {
        selected
    } else if selected >= top + shown {
        selected + 1 - shown
    } else {
        top
    }
}

/// The clash on row `row` inside the box, the list starting at `top`.
#[must_use]
pub fn clash_at_row(row: usize, top: usize) -> Option<usize> {
    let row = row.checked_sub(ROWS_ABOVE)?;
    // A click on the gap above a clash is on none.
    (row % ROWS_EACH > 0).then_some(top + row / ROWS_EACH)
}

pub fn render(app: &App, panel: &ClashesPanel, frame: &mut Frame, screen: Rect) {
    let clashes = app.backlog.clashes();
    let popup = popup(screen, clashes.len());
    let width = usize::from(popup.width.saturating_sub(2));
    let shown = clashes_shown(screen);
    let selected = panel.selected.min(clashes.len().saturating_sub(1));
    let top = top_for(selected, panel.top.min(selected), shown);
    let dim = theme::dim(app.color);

    let title = match clashes.len() {
        0 => " Clashes a git merge left ".to_string(),
        n => format!(" Clashes a git merge left · {} of {n} ", selected + 1),
    };
    let mut lines = Vec::new();
    if clashes.is_empty() {
        lines.push(Line::styled("No clashes are left.", theme::title()));
        lines.push(Line::raw(ellipsized(
            &format!("`git add {}` finishes the merge,", app.file_label),
            popup.width.saturating_sub(2),
        )));
        lines.push(Line::raw("or `backlog sync`, which also pushes it."));
    } else {
        lines.push(Line::styled(
            ellipsized(
                "Both sides changed each of these differently; the file holds ours until it is settled.",
                popup.width.saturating_sub(2),
            ),
            dim,
        ));
    }
    for (at, clash) in clashes.iter().enumerate().skip(top).take(shown) {
        lines.push(Line::from(""));
        lines.extend(clash_lines(app, clash, at == selected, width));
    }
    // The keys are on the status bar, as for every panel.
    let more = clashes.len().saturating_sub(top + shown);
    let mut block = Block::bordered().title(Line::styled(title, theme::title()));
    if more > 0 {
        block = block.title_bottom(Line::styled(format!(" {more} more below "), dim));
    }
    if top > 0 {
        block = block.title(Line::styled(format!(" {top} more above "), dim).right_aligned());
    }
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}

/// A clash's lines: what it is on (marked when selected), then base,
/// ours and theirs, with who each side is where git said.
fn clash_lines(app: &App, clash: &Clash, selected: bool, width: usize) -> Vec<Line<'static>> {
    let dim = theme::dim(app.color);
    let (subject, title) = match clash.story {
        Some(id) => (
            id.to_string(),
            app.backlog
                .get(id)
                .map(|s| one_line(&s.title).into_owned())
                .unwrap_or_default(),
        ),
        None => ("Product".to_string(), String::new()),
    };
    // The product's own parts read without the prefix the file gives
    // them, as `backlog resolve-conflict` takes them.
    let field = clash.field.strip_prefix("product.").unwrap_or(&clash.field);
    let field = format!(" · {field}");
    // The title gives way first: the subject and the field are the clash.
    let room = width.saturating_sub(2 + subject.chars().count() + 1 + field.chars().count());
    let title = if title.is_empty() {
        String::new()
    } else {
        format!(
            " {}",
            ellipsized(&title, u16::try_from(room).unwrap_or(u16::MAX))
        )
    };
    let mut lines = vec![choice_row(
        selected,
        [
            Span::styled(subject, theme::title()),
            Span::raw(title),
            Span::styled(field, theme::header()),
        ],
    )];
    let sides = [
        ("base", &clash.base, None, dim),
        (
            "ours",
            &clash.ours,
            clash.ours_by.as_deref(),
            ratatui::style::Style::new(),
        ),
        (
            "theirs",
            &clash.theirs,
            clash.theirs_by.as_deref(),
            ratatui::style::Style::new(),
        ),
    ];
    for (label, value, by, style) in sides {
        let by = by.map_or_else(String::new, |who| format!("  ({})", one_line(who)));
        let room = width.saturating_sub(2 + LABEL + by.chars().count());
        let value = ellipsized(
            &shown(clash, value),
            u16::try_from(room).unwrap_or(u16::MAX),
        );
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(format!("{label:<LABEL$}"), theme::header()),
            Span::styled(value, style),
            Span::styled(by, dim),
        ]));
    }
    lines
}

/// A value as the panel shows it: text as it reads, whether a story was
/// deleted in words, anything else as the file spells it.
fn shown(clash: &Clash, value: &Value) -> String {
    match value {
        Value::Bool(deleted) if clash.field == DELETED => {
            if *deleted { "deleted" } else { "kept" }.to_string()
        }
        Value::Null => "(none)".to_string(),
        Value::String(text) if text.is_empty() => "(empty)".to_string(),
        Value::String(text) => one_line(text).into_owned(),
        other => one_line(&other.to_string()).into_owned(),
    }
}
