//! Text areas, drawn as text is shown everywhere else: an invisible or
//! control character as `�`, one column, so the cursor shows where it is
//! and every key moves it. The text area (ratatui-textarea) holds the text
//! as typed and moves the cursor; this lays out and draws what it holds.
//! It cannot use the text area's own rows: the text area counts a
//! zero-width character as nothing, where it shows as a column, so its
//! rows are wider than the field. A wrapped field is laid out as the story
//! pane lays text out ([`Typed`]); a one-line field shows the stretch of
//! its line that holds the cursor. Either way the text is read only as far
//! as the rows shown and the cursor need.

use std::collections::VecDeque;
use std::ops::{ControlFlow, Range};

use ratatui::Frame;
use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Widget};
use ratatui_textarea::{TextArea, WrapMode};

use crate::text::one_line_graphemes;
use crate::tui::layout::wrap::{Typed, Wrapped};

/// A place in a text area's text: the line, and the byte in it.
type Place = (usize, usize);

/// Draw `area` in `rect`, its text shown as [`one_line_graphemes`] shows
/// text, the cursor always in sight, and marked when `focused`.
pub fn render(area: &TextArea<'_>, frame: &mut Frame, rect: Rect, color: bool, focused: bool) {
    if rect.is_empty() {
        return;
    }
    // The text area moves its cursor up and down by its own rows, and
    // scrolls to keep the cursor in sight, as it is drawn: drawn off screen
    // first, it keeps both up to date, and where it scrolled to is where
    // this scrolls to, as near as the rows shown allow.
    area.render(rect, &mut Buffer::empty(rect));
    let lines = area.lines();
    let place = |(line, col): (usize, usize)| (line, byte_of(&lines[line], col));
    let cursor = area.cursor();
    let marks = Marks {
        cursor: place((cursor.0, cursor.1)),
        selected: area
            .selection_range()
            .map(|(start, end)| place(start)..place(end)),
        cursor_style: if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        },
        selected_style: if color {
            Style::new().bg(Color::LightBlue)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        },
    };
    let (top, _) = area.scroll_offset();
    let top = usize::from(top);
    let height = usize::from(rect.height);
    let rows = if area.wrap_mode() == WrapMode::None {
        // A row is a line, as it is to the text area.
        let mut top = top.min(marks.cursor.0);
        if marks.cursor.0 >= top + height {
            top = marks.cursor.0 + 1 - height;
        }
        lines
            .iter()
            .enumerate()
            .skip(top)
            .take(height)
            .map(|(i, line)| one_row(line, i, &marks, rect.width))
            .collect()
    } else {
        let top = area.screen_to_data(top, 0);
        let shown_from = place((top.0, top.1));
        wrapped_rows(lines, &marks, rect.width, height, shown_from)
    };
    frame.render_widget(Clear, rect);
    for (y, row) in (rect.y..).zip(&rows) {
        frame.buffer_mut().set_line(rect.x, y, row, rect.width);
    }
}

/// The byte of `line` where its character `col` starts (its end, past
/// the last).
fn byte_of(line: &str, col: usize) -> usize {
    line.char_indices()
        .nth(col)
        .map_or(line.len(), |(at, _)| at)
}

/// Where the cursor and the selection are, and how each shows.
struct Marks {
    cursor: Place,
    selected: Option<Range<Place>>,
    cursor_style: Style,
    selected_style: Style,
}

impl Marks {
    /// The style of the grapheme that shows bytes `source` of line `line`.
    fn style(&self, line: usize, source: &Range<usize>) -> Style {
        if self.cursor.0 == line && source.contains(&self.cursor.1) {
            self.cursor_style
        } else if self
            .selected
            .as_ref()
            .is_some_and(|selected| selected.contains(&(line, source.start)))
        {
            self.selected_style
        } else {
            Style::new()
        }
    }

    /// Whether the cursor is after the last character of line `line`,
    /// where it takes a cell of its own.
    fn at_end_of(&self, line: usize, text: &str) -> bool {
        self.cursor == (line, text.len())
    }
}

/// The `height` rows of a wrapped text area in `width` columns that show:
/// from the row holding `shown_from`, or as near it as keeps the cursor's
/// row in sight.
fn wrapped_rows(
    lines: &[String],
    marks: &Marks,
    width: u16,
    height: usize,
    shown_from: Place,
) -> Vec<Line<'static>> {
    // Where rows start, as far as the row after the cursor's.
    let starts = lay_out(lines, marks, width, None, Some(marks.cursor)).starts;
    let row_of = |place: Place| {
        starts
            .partition_point(|&start| start <= place)
            .saturating_sub(1)
    };
    let cursor_row = row_of(marks.cursor);
    let mut top = row_of(shown_from).min(cursor_row);
    if cursor_row >= top + height {
        top = cursor_row + 1 - height;
    }
    lay_out(lines, marks, width, Some(top..top + height), None).rows
}

/// Lay `lines` out in rows of `width` columns, keeping the rows `rows`,
/// as far as the last of them, or with `until`, as far as the first row
/// that starts after that place.
fn lay_out(
    lines: &[String],
    marks: &Marks,
    width: u16,
    rows: Option<Range<usize>>,
    until: Option<Place>,
) -> Wrapped {
    // Rows from the last there can be are none, and never all laid out.
    let mut typed = Typed::new(width, rows.unwrap_or(usize::MAX..usize::MAX));
    let past = |typed: &Typed| until.is_some_and(|until| typed.last_start() > Some(until));
    let _ = lines.iter().enumerate().try_for_each(|(i, line)| {
        one_line_graphemes(line, |grapheme, source| {
            typed.push(grapheme, marks.style(i, &source), source.start)?;
            if past(&typed) {
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        })?;
        if marks.at_end_of(i, line) {
            typed.push(" ", marks.cursor_style, line.len())?;
        }
        typed.end_line()?;
        if past(&typed) {
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    typed.finish()
}

/// Line `i`, `text`, as a row of `width` columns that does not wrap: from
/// its start, or, when the cursor would be past the right edge, with the
/// cursor at the right edge. The line is read no further than that.
fn one_row(text: &str, i: usize, marks: &Marks, width: u16) -> Line<'static> {
    let width = usize::from(width);
    let has_cursor = marks.cursor.0 == i;
    let mut row = Row {
        cells: VecDeque::new(),
        used: 0,
        width,
        cut: false,
    };
    let mut cursor_seen = !has_cursor;
    let _ = one_line_graphemes(text, |grapheme, source| {
        let columns = usize::from(grapheme.cell_width());
        if cursor_seen && (row.cut || row.used + columns > width) {
            return ControlFlow::Break(());
        }
        let style = marks.style(i, &source);
        cursor_seen |= style == marks.cursor_style;
        row.keep(grapheme.to_string(), columns, style);
        ControlFlow::Continue(())
    });
    if has_cursor && marks.at_end_of(i, text) {
        row.keep(" ".to_string(), 1, marks.cursor_style);
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    for (grapheme, _, style) in row.cells {
        match spans.last_mut() {
            Some(span) if span.style == style => span.content.to_mut().push_str(&grapheme),
            _ => spans.push(Span::styled(grapheme, style)),
        }
    }
    Line::from(spans)
}

/// A row that does not wrap, as it is read: each grapheme shown with its
/// columns and style, only the last row's width of them.
struct Row {
    cells: VecDeque<(String, usize, Style)>,
    used: usize,
    width: usize,
    /// Graphemes at its start were left out to make room.
    cut: bool,
}

impl Row {
    fn keep(&mut self, grapheme: String, columns: usize, style: Style) {
        self.used += columns;
        self.cells.push_back((grapheme, columns, style));
        while self.used > self.width {
            let Some((_, columns, _)) = self.cells.pop_front() else {
                break;
            };
            self.used -= columns;
            self.cut = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::examined;

    fn marks(cursor: Option<usize>, selected: Option<Range<usize>>) -> Marks {
        Marks {
            // No cursor: on a line of its own.
            cursor: cursor.map_or((1, 0), |at| (0, at)),
            selected: selected.map(|range| (0, range.start)..(0, range.end)),
            cursor_style: Style::new().add_modifier(Modifier::REVERSED),
            selected_style: Style::new().add_modifier(Modifier::UNDERLINED),
        }
    }

    /// Spans as they read, the cursor's in brackets, a selection's in
    /// braces.
    fn read(line: &Line, marks: &Marks) -> String {
        line.spans
            .iter()
            .map(|span| {
                if span.style == marks.cursor_style {
                    format!("[{}]", span.content)
                } else if span.style == marks.selected_style {
                    format!("{{{}}}", span.content)
                } else {
                    span.content.to_string()
                }
            })
            .collect()
    }

    /// A one-line field as drawn: its text, the cursor's cell in brackets.
    fn drawn(text: &str, cursor: Option<usize>, width: u16) -> String {
        let marks = marks(cursor, None);
        read(&one_row(text, 0, &marks, width), &marks)
    }

    /// A wrapped field of `width` × `height` as drawn, row by row.
    fn wrapped(text: &str, cursor: usize, width: u16, height: usize) -> Vec<String> {
        let lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        let mut before = 0;
        let mut cursor_at = (0, 0);
        for (i, line) in lines.iter().enumerate() {
            if (before..=before + line.len()).contains(&cursor) {
                cursor_at = (i, cursor - before);
                break;
            }
            before += line.len() + 1;
        }
        let marks = Marks {
            cursor: cursor_at,
            ..marks(None, None)
        };
        wrapped_rows(&lines, &marks, width, height, (0, 0))
            .iter()
            .map(|row| read(row, &marks))
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
        // Anywhere in a grapheme too long to show: on its stand-in.
        let text = format!("x{} y", "\u{301}".repeat(100));
        assert_eq!(drawn(&text, Some(101), 10), "x[\u{fffd}] y");
    }

    #[test]
    fn a_selection_is_marked_as_shown() {
        // "é" as e and a combining mark, then an invisible character.
        let text = "cafe\u{301} \u{200b}ok";
        let marks = marks(None, Some(3..10));
        let row = one_row(text, 0, &marks, 20);
        assert_eq!(read(&row, &marks), "caf{e\u{301} \u{fffd}}ok");
    }

    #[test]
    fn a_row_too_long_keeps_the_cursor_at_the_right_edge() {
        let text = "0123456789abcdef";
        assert_eq!(drawn(text, Some(0), 8), "[0]1234567");
        assert_eq!(drawn(text, Some(7), 8), "0123456[7]");
        assert_eq!(drawn(text, Some(9), 8), "2345678[9]");
        assert_eq!(drawn(text, Some(text.len()), 8), "9abcdef[ ]");
        let long = "word ".repeat(200_000);
        assert_eq!(drawn(&long, Some(long.len()), 8), "d word [ ]");
        // From its start, the line is read only as far as the row goes.
        examined::take();
        assert_eq!(drawn(&long, Some(0), 8), "[w]ord wor");
        assert!(examined::take() < 100);
    }

    #[test]
    fn wrapped_rows_hold_what_shows_and_the_cursor() {
        // Each zero-width space shows as a column, so each row holds one
        // character fewer of the text than a terminal would count.
        let text = "ab\u{200b}cd\u{200b}ef\u{200b}gh";
        assert_eq!(
            wrapped(text, 5, 4, 5),
            ["ab\u{fffd}[c]", "d\u{fffd}ef", "\u{fffd}gh"]
        );
        // After a full row, the cursor starts the next.
        assert_eq!(wrapped("abcd", 4, 4, 5), ["abcd", "[ ]"]);
        // White space is kept, on the next row when it does not fit.
        assert_eq!(wrapped("abc de", 6, 3, 5), ["abc", " de", "[ ]"]);
        assert_eq!(wrapped("one\n\ntwo", 4, 8, 5), ["one", "[ ]", "two"]);
    }

    #[test]
    fn wrapped_rows_scroll_to_the_cursor() {
        let text = "0123456789abcdefghij";
        // The text area's own top row is kept while the cursor shows.
        assert_eq!(wrapped(text, 0, 4, 2), ["[0]123", "4567"]);
        assert_eq!(wrapped(text, 20, 4, 2), ["ghij", "[ ]"]);
        assert_eq!(wrapped(text, 9, 4, 2), ["4567", "8[9]ab"]);
    }

    #[test]
    fn a_wrapped_field_reads_its_text_only_as_far_as_it_shows() {
        let text = "word ".repeat(200_000);
        examined::take();
        assert_eq!(wrapped(&text, 0, 12, 2), ["[w]ord word ", "word word "]);
        assert!(examined::take() < 1_000);
    }
}
