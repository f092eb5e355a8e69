//! Pieces the screens draw with: a box of text over the screen, a line
//! of keys; and what shows instead of everything on a screen too small.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::tui::layout::{MIN_HEIGHT, MIN_WIDTH, centered};
use crate::tui::theme;

/// A line of keys and what they do: `y delete   n keep`.
#[must_use]
pub fn keys_line(color: bool, keys: &[(&str, &str)]) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, (key, what)) in keys.iter().enumerate() {
        let gap = if i + 1 < keys.len() { "   " } else { "" };
        spans.push(Span::styled((*key).to_string(), theme::key(color)));
        spans.push(Span::raw(format!(" {what}{gap}")));
    }
    Line::from(spans)
}

/// How a message box lays out its text.
#[derive(Clone, Copy)]
pub struct BoxStyle {
    pub width: u16,
    /// Rows beyond one per line, for lines that wrap.
    pub spare_rows: u16,
    pub centred_text: bool,
}

/// Where [`message_box`] puts a box of `lines` lines over `area`.
#[must_use]
pub fn message_box_area(area: Rect, lines: usize, style: BoxStyle) -> Rect {
    let height = u16::try_from(lines + 2)
        .unwrap_or(u16::MAX)
        .saturating_add(style.spare_rows);
    centered(area, style.width, height)
}

/// A bordered box of text over the screen, centred, as tall as its lines.
pub fn message_box(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    style: BoxStyle,
) {
    let popup = message_box_area(area, lines.len(), style);
    let alignment = if style.centred_text {
        Alignment::Center
    } else {
        Alignment::Left
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().title(format!(" {title} ")))
            .alignment(alignment)
            .wrap(Wrap { trim: false }),
        popup,
    );
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
