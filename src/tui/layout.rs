//! Geometry, shared by `update` and the drawing: where each part of the
//! screen goes, how many table rows fit, how many rows a text wraps to,
//! and how far a thing may scroll. Both sides ask here, so a key never
//! scrolls to a place the screen cannot show, nor stops short of one.
//!
//! Everything here is a pure function of the terminal's size and of what
//! is shown; nothing is remembered from the last frame.

mod lasting;
pub mod ruled;
pub mod wrap;

use ratatui::layout::{Constraint, Flex, Layout, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

pub use lasting::Lasting;
pub use ruled::{Drawn, Ruled};
pub use wrap::{Wrapped, ellipsized, truncated, wrap};

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
    /// `lasting` messages need, if any, and the story pane beside the
    /// table unless it is `story_hidden`; `None` when it is too small to
    /// use.
    #[must_use]
    pub fn of(
        (width, height): (u16, u16),
        lasting: Option<&Lasting>,
        story_hidden: bool,
    ) -> Option<Areas> {
        let area = Rect::new(0, 0, width, height);
        let lines = lasting.map_or(0, |lasting| lasting.height(area));
        Areas::within(area, lines, story_hidden)
    }

    /// The layout of `area`, as [`Areas::of`], with `lasting_lines` lines
    /// for the lasting messages ([`Lasting::height`]): the drawing wraps
    /// them anyway, and counts their lines as it does.
    #[must_use]
    pub fn within(area: Rect, lasting_lines: u16, story_hidden: bool) -> Option<Areas> {
        if is_too_small((area.width, area.height)) {
            return None;
        }
        let [main, lasting, status, keys] = Layout::vertical([
            Constraint::Min(0),
            Constraint::Length(lasting_lines),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let [backlog, story] = if story_hidden {
            // The table takes the pane; the story pane keeps its place, empty.
            let story = Rect::new(main.right(), main.y, 0, main.height);
            [main, story]
        } else if area.width >= WIDE {
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
    /// stacked, or with the story pane hidden, it takes both panes, since
    /// it needs the rows.
    #[must_use]
    pub fn form(&self) -> Rect {
        if self.screen.width >= WIDE && !self.story.is_empty() {
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

/// Where a list scrolled to `scroll` must scroll to show row `selected`
/// in `shown` rows.
#[must_use]
pub fn scrolled(scroll: usize, selected: usize, shown: usize) -> usize {
    let shown = shown.max(1);
    scroll
        .min(selected)
        .max((selected + 1).saturating_sub(shown))
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
pub fn table_rows(size: (u16, u16), lasting: Option<&Lasting>, story_hidden: bool) -> usize {
    Areas::of(size, lasting, story_hidden).map_or(0, |areas| areas.table_rows())
}

/// How many columns the story pane's text has at a terminal size. A
/// failed save's lines take height, never width, so they are left out.
#[must_use]
pub fn story_width(size: (u16, u16)) -> u16 {
    Areas::of(size, None, false).map_or(0, |areas| areas.story.width.saturating_sub(2))
}

/// The columns the table may show beyond its own, as the user chose them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OptionalColumns {
    /// The story's labels, after the title.
    pub labels: bool,
    /// The day the story last changed, at the end.
    pub updated: bool,
    /// The width the score of the framework picked asks for; 0 with
    /// none picked.
    pub score: u16,
}

/// Below this table width the status column is left out.
const NARROW_TABLE: u16 = 56;
/// From this table width the table has an epic column.
const EPIC_TABLE: u16 = 70;
/// Columns the title gets before an optional column takes any: most
/// titles read whole in this many.
pub const TITLE_ROOM: u16 = 48;
/// Columns the title keeps when the score column takes its room: the
/// score is what the owner picked a framework to see, so it comes
/// before the rest of the title, but a title of fewer columns reads as
/// nothing.
pub const TITLE_BESIDE_SCORE: u16 = 12;
/// The selection's `▶` and a marked story's `*`, before the rank.
pub const GUTTER: u16 = 2;
const EPIC_WIDTH: u16 = 14;
const POINTS_WIDTH: u16 = 3;
const STATUS_WIDTH: u16 = 11;
const LABELS_WIDTH: u16 = 16;
/// A day: `2026-11-20`.
const UPDATED_WIDTH: u16 = 10;

/// The backlog table's columns in a table `width` columns wide (its
/// border included), each as wide as it is drawn, 0 when left out. A
/// narrow table gives the title the room the epic and status columns
/// would take; a wide one gives the title [`TITLE_ROOM`] first, then
/// each optional column asked for in turn, and what is left to the title
/// again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableColumns {
    /// The gutter and the rank.
    pub rank: u16,
    pub id: u16,
    /// The readiness mark.
    pub ready: u16,
    pub title: u16,
    pub labels: u16,
    pub epic: u16,
    pub score: u16,
    pub points: u16,
    pub status: u16,
    pub updated: u16,
}

impl TableColumns {
    /// The columns of a table `width` wide whose ranks take `rank_digits`
    /// and ids `id_width`, with the optional columns `wanted`.
    #[must_use]
    pub fn of(width: u16, rank_digits: u16, id_width: u16, wanted: OptionalColumns) -> Self {
        let mut columns = TableColumns {
            rank: GUTTER + rank_digits,
            id: id_width,
            ready: 1,
            title: 0,
            labels: 0,
            epic: if width >= EPIC_TABLE { EPIC_WIDTH } else { 0 },
            score: 0,
            points: POINTS_WIDTH,
            status: if width >= NARROW_TABLE {
                STATUS_WIDTH
            } else {
                0
            },
            updated: 0,
        };
        // Inside the border; each column shown but the first has a space
        // before it, the title's included.
        let inside = width.saturating_sub(2);
        let others: u16 = columns
            .widths()
            .iter()
            .filter(|w| **w > 0)
            .map(|w| w + 1)
            .sum();
        let mut title = inside.saturating_sub(others);
        // The column and the space before it.
        if wanted.score > 0 && title > TITLE_BESIDE_SCORE + wanted.score {
            columns.score = wanted.score;
            title -= wanted.score + 1;
        }
        for (asked, room, column) in [
            (wanted.labels, LABELS_WIDTH, &mut columns.labels),
            (wanted.updated, UPDATED_WIDTH, &mut columns.updated),
        ] {
            // The column and the space before it.
            if asked && title > TITLE_ROOM + room {
                *column = room;
                title -= room + 1;
            }
        }
        columns.title = title;
        columns
    }

    /// Every column's width in the order drawn, the title's 0 until it is
    /// worked out.
    #[must_use]
    pub fn widths(&self) -> [u16; 10] {
        [
            self.rank,
            self.id,
            self.ready,
            self.title,
            self.labels,
            self.epic,
            self.score,
            self.points,
            self.status,
            self.updated,
        ]
    }
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

/// How far a [`wrapped_box`] over `area`, at most `width` columns wide,
/// scrolls toward row `wanted`, measured as it is drawn: as far as puts
/// the last row of its text at the bottom, as [`box_scrolled_to`] has it.
/// `paragraphs` gives the text afresh for each time it is laid out.
#[must_use]
pub fn wrapped_box_scrolled_to<'a, P: IntoIterator<Item = Line<'a>>>(
    area: Rect,
    width: u16,
    paragraphs: impl Fn() -> P,
    wanted: usize,
) -> usize {
    let (_, shown) = wrapped_box(area, width, paragraphs());
    box_scrolled_to(paragraphs(), box_text_width(area, width), shown, wanted)
}

/// Columns of text inside a bordered box over `area` at most `width`
/// columns wide, as [`wrapped_box`] lays it out.
#[must_use]
pub fn box_text_width(area: Rect, width: u16) -> u16 {
    width.min(area.width).saturating_sub(2)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn both() -> OptionalColumns {
        OptionalColumns {
            labels: true,
            updated: true,
            score: 0,
        }
    }

    /// The width the columns take, with a space before each but the first.
    fn used(columns: &TableColumns) -> u16 {
        let shown: Vec<u16> = columns.widths().into_iter().filter(|w| *w > 0).collect();
        shown.iter().sum::<u16>() + u16::try_from(shown.len()).unwrap() - 1
    }

    #[test]
    fn the_columns_fill_the_table_inside_its_border() {
        let scored = OptionalColumns { score: 8, ..both() };
        for width in [40, 56, 70, 80, 100, 140, 200, 400] {
            for wanted in [OptionalColumns::default(), both(), scored] {
                let columns = TableColumns::of(width, 3, 5, wanted);
                assert_eq!(used(&columns), width - 2, "{width}: {columns:?}");
            }
        }
    }

    #[test]
    fn the_title_gets_its_room_before_an_optional_column_and_the_rest_after() {
        // 80 columns: no room beyond the title's, whatever is asked.
        let narrow = TableColumns::of(80, 2, 4, both());
        assert_eq!((narrow.labels, narrow.updated), (0, 0));
        assert_eq!(narrow.title, 35);
        // Room for the labels, not yet for the day as well.
        let labels_only = TableColumns::of(120, 2, 4, both());
        assert!(labels_only.labels > 0 && labels_only.updated == 0);
        assert!(labels_only.title >= TITLE_ROOM);
        // Room for both, and the title takes what is left.
        let wide = TableColumns::of(200, 2, 4, both());
        assert!(wide.labels > 0 && wide.updated > 0);
        assert!(wide.title > TITLE_ROOM);
        // Not asked for: the title takes it all.
        let plain = TableColumns::of(200, 2, 4, OptionalColumns::default());
        assert_eq!(plain.title, wide.title + wide.labels + wide.updated + 2);
    }

    #[test]
    fn the_score_takes_its_room_before_the_title_keeps_more_than_a_little() {
        let scored = |width| TableColumns::of(width, 2, 4, OptionalColumns { score: 8, ..both() });
        // 80 columns: the score shows where labels and the day do not.
        let narrow = scored(80);
        assert_eq!((narrow.score, narrow.labels, narrow.updated), (8, 0, 0));
        assert_eq!(narrow.title, 35 - 9);
        // The narrowest screen still shows a title worth reading, and the
        // score only beside one.
        let tiny = scored(40);
        assert!(tiny.title >= TITLE_BESIDE_SCORE, "{tiny:?}");
        let too_tiny = TableColumns::of(
            40,
            2,
            4,
            OptionalColumns {
                score: 18,
                ..both()
            },
        );
        assert_eq!(too_tiny.score, 0);
    }

    #[test]
    fn a_hidden_story_pane_gives_the_table_the_pane() {
        let shown = Areas::of((80, 24), None, false).unwrap();
        let hidden = Areas::of((80, 24), None, true).unwrap();
        assert!(hidden.table_rows() > shown.table_rows() + 5);
        assert_eq!(hidden.backlog, hidden.main);
        assert!(hidden.story.is_empty());
        // The form, which takes the story pane's place on a wide screen,
        // takes the pane then.
        let wide = Areas::of((120, 30), None, true).unwrap();
        assert_eq!(wide.form(), wide.main);
        let beside = Areas::of((120, 30), None, false).unwrap();
        assert_eq!(beside.form(), beside.story);
    }
}
