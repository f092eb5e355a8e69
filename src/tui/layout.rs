//! Geometry, shared by `update` and the drawing: where each part of the
//! screen goes, how many table rows fit, how many rows a text wraps to,
//! and how far a thing may scroll. Both sides ask here, so a key never
//! scrolls to a place the screen cannot show, nor stops short of one.
//!
//! Everything here is a pure function of the terminal's size and of what
//! is shown; nothing is remembered from the last frame.

mod lasting;
pub mod wrap;

use ratatui::layout::{Constraint, Flex, Layout, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

pub use lasting::Lasting;
pub use wrap::{Wrapped, truncated, wrap};

/// Below this the screen only says it is too small.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

/// At this width and above the panes sit side by side.
pub const WIDE: u16 = 100;

/// Where each part of the screen goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Areas {
    /// The whole screen, which dialogs centre in.
    pub screen: Rect,
    /// Where a pane goes: the backlog table and the story pane together.
    pub main: Rect,
    pub backlog: Rect,
    pub story: Rect,
    /// The lines of a failed save and the alerts, above the status bar;
    /// none without them.
    pub lasting: Rect,
    pub status: Rect,
    pub keys: Rect,
}

impl Areas {
    /// The screen laid out at `size` (columns, rows), with the lines the
    /// `lasting` messages need, if any; `None` when it is too small to
    /// use.
    #[must_use]
    pub fn of((width, height): (u16, u16), lasting: Option<&Lasting>) -> Option<Areas> {
        Areas::within(Rect::new(0, 0, width, height), lasting)
    }

    /// The layout of `area`, as [`Areas::of`].
    #[must_use]
    pub fn within(area: Rect, lasting: Option<&Lasting>) -> Option<Areas> {
        if is_too_small((area.width, area.height)) {
            return None;
        }
        let [main, lasting, status, keys] = Layout::vertical([
            Constraint::Min(0),
            Constraint::Length(lasting.map_or(0, |lasting| lasting.height(area))),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let [backlog, story] = if area.width >= WIDE {
            Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(main)
        } else {
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(main)
        };
        Some(Areas {
            screen: area,
            main,
            backlog,
            story,
            lasting,
            status,
            keys,
        })
    }

    /// How many backlog rows show: the pane less its border and header.
    #[must_use]
    pub fn table_rows(&self) -> usize {
        usize::from(table_body(self.backlog).height)
    }

    /// Where the story form goes: beside the table on a wide screen;
    /// stacked, it takes both panes, since it needs the rows.
    #[must_use]
    pub fn form(&self) -> Rect {
        if self.screen.width >= WIDE {
            self.story
        } else {
            self.main
        }
    }
}

/// Where a table's rows go in a bordered pane `area` with a header row:
/// inside the border, below the header. The first of them shows the
/// table's first row scrolled to.
#[must_use]
pub fn table_body(area: Rect) -> Rect {
    Rect::new(
        area.x.saturating_add(1),
        area.y.saturating_add(2),
        area.width.saturating_sub(2),
        area.height.saturating_sub(3),
    )
}

/// Which row of `rect` the cell at `column`, `row` is in (0 its top),
/// if it is in it at all.
#[must_use]
pub fn row_at(rect: Rect, column: u16, row: u16) -> Option<usize> {
    rect.contains(Position::new(column, row))
        .then(|| usize::from(row - rect.y))
}

/// How many rows the wheel scrolls a notch, as most programs do.
pub const WHEEL_ROWS: u16 = 3;

/// Whether a screen of `size` (columns, rows) is too small to show
/// anything but that.
#[must_use]
pub fn is_too_small((width, height): (u16, u16)) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

/// How many backlog rows are visible at a terminal size: none when it is
/// too small.
#[must_use]
pub fn table_rows(size: (u16, u16), lasting: Option<&Lasting>) -> usize {
    Areas::of(size, lasting).map_or(0, |areas| areas.table_rows())
}

/// How many columns the story pane's text has at a terminal size. A
/// failed save's lines take height, never width, so they are left out.
#[must_use]
pub fn story_width(size: (u16, u16)) -> u16 {
    Areas::of(size, None).map_or(0, |areas| areas.story.width.saturating_sub(2))
}

/// How far a text of `paragraphs`, wrapped to `width` columns, scrolls
/// toward row `wanted`: as far as its last row at most. The text is laid
/// out only as far as that, as it is for drawing.
#[must_use]
pub fn scrolled_to<'a>(
    paragraphs: impl IntoIterator<Item = Line<'a>>,
    width: u16,
    wanted: usize,
) -> usize {
    let wanted = wanted.min(usize::MAX - 1);
    let rows = wrap(paragraphs, width, wanted..wanted + 1);
    wanted.min(rows.laid_out.saturating_sub(1))
}

/// A box of at most `width` × `height`, centred in `area`.
#[must_use]
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// A bordered box for `text` over the screen `area`: at most `width`
/// columns wide, as tall as the text wraps to (the screen's height at
/// most), centred; and how many of its rows are hidden below, which is
/// as far as it scrolls. The drawing scrolls no further than this either,
/// so every key that scrolls shows it.
#[must_use]
pub fn text_box(area: Rect, width: u16, text: &Paragraph) -> (Rect, usize) {
    let width = width.min(area.width);
    let rows = text.line_count(width.saturating_sub(2));
    let height = u16::try_from(rows.saturating_add(2)).unwrap_or(u16::MAX);
    let popup = centered(area, width, height);
    let hidden = rows.saturating_sub(usize::from(popup.height.saturating_sub(2)));
    (popup, hidden)
}

/// A bordered box over `area` for the text of `paragraphs`, laid out as
/// [`wrap`] lays text out: at most `width` columns wide, as tall as the
/// text (the area's height at most), centred. Returns the box and how
/// many rows of text it shows. Only as much of the text is laid out as
/// the box can show, however long it is.
#[must_use]
pub fn wrapped_box<'a>(
    area: Rect,
    width: u16,
    paragraphs: impl IntoIterator<Item = Line<'a>>,
) -> (Rect, usize) {
    let width = width.min(area.width);
    let most = usize::from(area.height.saturating_sub(2));
    let rows = wrap(paragraphs, width.saturating_sub(2), 0..most).laid_out;
    let height = u16::try_from(rows.saturating_add(2)).unwrap_or(u16::MAX);
    let popup = centered(area, width, height);
    (popup, usize::from(popup.height.saturating_sub(2)))
}

/// How far a box showing `shown` rows of `paragraphs`, wrapped to
/// `width` columns, scrolls toward row `wanted`: as far as puts the last
/// row at the bottom of the box, and no further. The text is laid out
/// only as far as that.
#[must_use]
pub fn box_scrolled_to<'a>(
    paragraphs: impl IntoIterator<Item = Line<'a>>,
    width: u16,
    shown: usize,
    wanted: usize,
) -> usize {
    let shown_at_least_one = shown.max(1);
    let wanted = wanted.min(usize::MAX - shown_at_least_one);
    let laid_out = wrap(paragraphs, width, wanted..wanted + shown_at_least_one).laid_out;
    wanted.min(laid_out.saturating_sub(shown))
}

/// Which of `lines`, wrapped in `width` columns as a paragraph that
/// wraps them (`Wrap { trim }`) and drawn from its top, shows on row
/// `row` of it: for a click on a list whose lines may wrap.
#[must_use]
pub fn line_at(lines: &[Line], width: u16, trim: bool, row: usize) -> Option<usize> {
    let mut top = 0;
    for (at, line) in lines.iter().enumerate() {
        let rows = Paragraph::new(line.clone())
            .wrap(Wrap { trim })
            .line_count(width)
            .max(1);
        if row < top + rows {
            return Some(at);
        }
        top += rows;
    }
    None
}
