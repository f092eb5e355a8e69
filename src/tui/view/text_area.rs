//! Text areas, drawn as text is shown everywhere else: an invisible or
//! control character as `�`, one column, so the cursor shows where it is
//! and every key moves it. The text area (ratatui-textarea) holds the text
//! as typed, wraps it and moves the cursor; this only draws it, and only
//! the stretch of each row that fits, however long the text.

use ratatui::Frame;
use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Widget};
use ratatui_textarea::{DataCursor, TextArea};
use unicode_segmentation::UnicodeSegmentation;

use crate::text::one_line_part;

/// Draw `area` in `rect`: its rows as it wraps them, scrolled as it
/// scrolls, each shown as [`one_line_part`] shows text.
pub fn render(area: &TextArea<'_>, frame: &mut Frame, rect: Rect, color: bool) {
    if rect.is_empty() {
        return;
    }
    // The text area lays out its rows and follows the cursor while it is
    // drawn: drawn off screen first, it keeps doing both as it always has.
    area.render(rect, &mut Buffer::empty(rect));
    let (top, _) = area.scroll_offset();
    let top = usize::from(top);
    let height = usize::from(rect.height);
    // Where each row on screen starts, and the one after the last, which
    // ends it; past the text's last row the area answers with that row.
    let mut starts: Vec<DataCursor> = Vec::with_capacity(height + 1);
    for row in top..=top + height {
        let start = area.screen_to_data(row, 0);
        if starts.last() == Some(&start) {
            break;
        }
        starts.push(start);
    }
    let lines = area.lines();
    let cursor = area.cursor();
    let selection = area.selection_range();
    let style = Styles {
        cursor: Style::new().add_modifier(Modifier::REVERSED),
        selected: if color {
            Style::new().bg(Color::LightBlue)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        },
    };
    frame.render_widget(Clear, rect);
    let mut offsets = Offsets::default();
    // What of each line is selected, worked out once for the line.
    let mut selected_in: Option<(usize, std::ops::Range<usize>)> = None;
    for (y, (i, &DataCursor(index, from))) in (rect.y..).zip(starts.iter().enumerate().take(height))
    {
        let text = lines[index].as_str();
        // A row ends where the next row of its line starts.
        let to = starts
            .get(i + 1)
            .filter(|next| next.0 == index)
            .map(|next| next.1);
        let holds = |col: usize| from <= col && to.is_none_or(|to| col < to);
        // Asked for in order along the line, so that it is read once.
        let start = offsets.byte(text, index, from);
        let cursor_at =
            (cursor.0 == index && holds(cursor.1)).then(|| offsets.byte(text, index, cursor.1));
        let row = start..to.map_or(text.len(), |to| offsets.byte(text, index, to));
        let selected = selection.and_then(|((r0, c0), (r1, c1))| {
            if index < r0 || index > r1 {
                return None;
            }
            if selected_in.as_ref().is_none_or(|(line, _)| *line != index) {
                let mut along = Offsets::default();
                let begin = if index == r0 {
                    along.byte(text, index, c0)
                } else {
                    0
                };
                let end = if index == r1 {
                    along.byte(text, index, c1)
                } else {
                    text.len()
                };
                selected_in = Some((index, begin..end));
            }
            let (_, range) = selected_in.as_ref()?;
            Some(range.start.max(row.start)..range.end.min(row.end))
        });
        // The cursor after the text's last character, when that ends a
        // full row, goes to the start of the row below if it is free.
        let room_below = i + 1 < height && i + 1 == starts.len();
        let (line, cursor_below) = visible_row(
            text, row, cursor_at, selected, rect.width, room_below, &style,
        );
        frame.buffer_mut().set_line(rect.x, y, &line, rect.width);
        if cursor_below {
            frame
                .buffer_mut()
                .set_span(rect.x, y + 1, &Span::styled(" ", style.cursor), 1);
        }
    }
}

struct Styles {
    cursor: Style,
    selected: Style,
}

/// Byte offsets of character columns in a line, counted once per line
/// while they are asked for in order.
#[derive(Default)]
struct Offsets {
    line: usize,
    col: usize,
    byte: usize,
}

impl Offsets {
    fn byte(&mut self, text: &str, line: usize, col: usize) -> usize {
        if line != self.line || col < self.col {
            *self = Offsets {
                line,
                col: 0,
                byte: 0,
            };
        }
        let ahead = &text[self.byte..];
        let step = ahead
            .char_indices()
            .nth(col - self.col)
            .map_or(ahead.len(), |(at, _)| at);
        self.byte += step;
        self.col = col;
        self.byte
    }
}

/// Characters looked at on each side of the cursor, and along a row: far
/// more than a row of `width` columns can show.
fn reach(width: u16) -> usize {
    16 * (usize::from(width) + 2)
}

/// The part of the row `row` of `text` that fits in `width` columns, the
/// cursor (at byte `cursor`) in it: from the row's start, or, when the
/// cursor would be past the right edge, with the cursor at the right edge.
/// With `room_below`, a cursor after a full row is left to the row below
/// instead (then says so).
fn visible_row(
    text: &str,
    row: std::ops::Range<usize>,
    cursor: Option<usize>,
    selected: Option<std::ops::Range<usize>>,
    width: u16,
    room_below: bool,
    style: &Styles,
) -> (Line<'static>, bool) {
    let reach = reach(width);
    let from = cursor.map_or(row.start, |at| {
        text[row.start..at]
            .char_indices()
            .rev()
            .nth(reach)
            .map_or(row.start, |(back, _)| row.start + back)
    });
    let ahead = cursor.unwrap_or(from);
    let to = text[ahead..row.end]
        .char_indices()
        .nth(reach)
        .map_or(row.end, |(forward, _)| ahead + forward);
    let shown = one_line_part(text, from..to);
    let offset = |at: usize| one_line_part(text, from..at).len();
    let cursor_at = cursor.map(offset);
    let selected =
        selected.map(|range| offset(range.start.max(from))..offset(range.end.clamp(from, to)));

    // Each grapheme with its columns and style; the cursor past the end of
    // the text is a space.
    let mut cells: Vec<(&str, usize, Style)> = Vec::new();
    let mut cursor_cell = None;
    for (at, grapheme) in shown.grapheme_indices(true) {
        let end = at + grapheme.len();
        let mut cell_style = Style::new();
        if selected.as_ref().is_some_and(|s| s.contains(&at)) {
            cell_style = style.selected;
        }
        if cursor_at.is_some_and(|c| at <= c && c < end) {
            cell_style = style.cursor;
            cursor_cell = Some(cells.len());
        }
        cells.push((grapheme, usize::from(grapheme.cell_width()), cell_style));
    }
    let width = usize::from(width);
    let mut cursor_below = false;
    if cursor_at.is_some() && cursor_cell.is_none() {
        let full = from == row.start && cells.iter().map(|c| c.1).sum::<usize>() == width;
        if full && room_below {
            cursor_below = true;
        } else {
            cursor_cell = Some(cells.len());
            cells.push((" ", 1, style.cursor));
        }
    }

    let first = match cursor_cell {
        Some(at) => {
            let mut first = at;
            let mut used = cells[at].1;
            while first > 0 && used + cells[first - 1].1 <= width {
                first -= 1;
                used += cells[first].1;
            }
            first
        }
        None => 0,
    };
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for &(grapheme, columns, cell_style) in &cells[first..] {
        if used + columns > width {
            break;
        }
        used += columns;
        match spans.last_mut() {
            Some(span) if span.style == cell_style => span.content.to_mut().push_str(grapheme),
            _ => spans.push(Span::styled(grapheme.to_string(), cell_style)),
        }
    }
    (Line::from(spans), cursor_below)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLE: Styles = Styles {
        cursor: Style::new().add_modifier(Modifier::REVERSED),
        selected: Style::new().add_modifier(Modifier::UNDERLINED),
    };

    /// The row as drawn: its text, with the cursor's cell in brackets.
    fn drawn(text: &str, cursor: Option<usize>, width: u16) -> String {
        let (line, below) = visible_row(text, 0..text.len(), cursor, None, width, false, &STYLE);
        assert!(!below);
        line.spans
            .iter()
            .map(|span| {
                if span.style == STYLE.cursor {
                    format!("[{}]", span.content)
                } else {
                    span.content.to_string()
                }
            })
            .collect()
    }

    #[test]
    fn invisible_characters_show_and_take_the_cursor() {
        let text = "Evil \u{202e}title\u{200b}";
        assert_eq!(drawn(text, Some(5), 20), "Evil [\u{fffd}]title\u{fffd}");
        assert_eq!(
            drawn(text, Some(text.len()), 20),
            "Evil \u{fffd}title\u{fffd}[ ]"
        );
    }

    #[test]
    fn the_cursor_inside_a_grapheme_marks_all_of_it() {
        // On the accent of "é" written as e and a combining mark.
        assert_eq!(drawn("cafe\u{301}s", Some(4), 10), "caf[e\u{301}]s");
        let family = "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}";
        let text = format!("a{family}b");
        assert_eq!(drawn(&text, Some(5), 10), format!("a[{family}]b"));
    }

    #[test]
    fn a_selection_is_marked_as_shown() {
        // "é" as e and a combining mark, then an invisible character.
        let text = "cafe\u{301} \u{200b}ok";
        let (line, _) = visible_row(text, 0..text.len(), None, Some(3..10), 20, false, &STYLE);
        let selected: String = line
            .spans
            .iter()
            .filter(|span| span.style == STYLE.selected)
            .map(|span| span.content.as_ref())
            .collect();
        assert_eq!(selected, "e\u{301} \u{fffd}");
    }

    #[test]
    fn a_row_too_long_keeps_the_cursor_at_the_right_edge() {
        let text = "0123456789abcdef";
        assert_eq!(drawn(text, Some(0), 8), "[0]1234567");
        assert_eq!(drawn(text, Some(7), 8), "0123456[7]");
        assert_eq!(drawn(text, Some(9), 8), "2345678[9]");
        assert_eq!(drawn(text, Some(text.len()), 8), "9abcdef[ ]");
        // However long the line, only its end is looked at.
        let long = "word ".repeat(200_000);
        assert_eq!(drawn(&long, Some(long.len()), 8), "d word [ ]");
    }
}
