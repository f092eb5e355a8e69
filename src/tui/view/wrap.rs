//! Text laid out in rows, only as far as is asked. A story's text may run
//! to megabytes, of which a pane shows a screenful: a frame's work must
//! stop at the bottom of what shows, and grow with the text no further.
//! The story pane and its scroll limit both lay text out here, so they
//! agree on its rows.
//!
//! Text is shown as [`one_line_part`] shows it, a stretch at a time. Rows
//! break at white space: a word that does not fit moves to the next row,
//! whole when it fits in one, and a longer word breaks between graphemes;
//! white space that does not fit at the end of a row goes, and so does
//! white space at the start of a row wrapped onto.

use std::mem;
use std::ops::{ControlFlow, Range};

use ratatui::buffer::CellWidth;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;

use crate::text::{one_line, one_line_part};

/// Characters of a text shown at a time: a few rows' worth, so that a
/// long text costs only the stretch laid out.
const STRETCH: usize = 1024;

/// Rows of text, laid out as far as was asked.
#[derive(Debug, Default)]
pub struct Wrapped {
    /// The rows asked for, as far as the text goes.
    pub rows: Vec<Line<'static>>,
    /// Rows laid out: to the end of those asked for, or all the text's
    /// when it ends first.
    pub laid_out: usize,
    /// Graphemes laid out, which the work grows with.
    pub graphemes: usize,
}

/// The rows `rows` of `paragraphs` wrapped to `width` columns. Each span
/// holds text as written, shown as [`crate::text::one_line`] shows it;
/// each paragraph starts a row. Nothing past the last row asked for is
/// laid out.
#[must_use]
pub fn wrap<'a>(
    paragraphs: impl IntoIterator<Item = Line<'a>>,
    width: u16,
    rows: Range<usize>,
) -> Wrapped {
    if width == 0 || rows.is_empty() {
        return Wrapped::default();
    }
    let mut layout = Layout {
        width: usize::from(width),
        wanted: rows,
        row: 0,
        line: Vec::new(),
        line_width: 0,
        word: String::new(),
        word_cells: Vec::new(),
        word_width: 0,
        wrapped: false,
        done: Wrapped::default(),
    };
    for paragraph in paragraphs {
        if layout.paragraph(&paragraph).is_break() {
            break;
        }
    }
    layout.done.laid_out = layout.row;
    layout.done
}

/// The start of `text`, shown as [`crate::text::one_line`] shows it, that
/// fits in `columns` columns: for a cell that shows no more, however long
/// the text.
#[must_use]
pub fn truncated(text: &str, columns: u16) -> String {
    let columns = usize::from(columns);
    // A text of no more characters than the columns fits or is cut where
    // it is drawn; only a longer one needs its start found here. Nearly
    // every title is such a text, and a frame shows dozens.
    if text.len() <= columns {
        return one_line(text).into_owned();
    }
    let mut start = String::new();
    let mut used = 0;
    let _ = shown_graphemes(text, |grapheme| {
        let width = usize::from(grapheme.cell_width());
        if used + width > columns {
            return ControlFlow::Break(());
        }
        used += width;
        start.push_str(grapheme);
        ControlFlow::Continue(())
    });
    start
}

/// Each grapheme of `text` as shown, in order, until `each` breaks; the
/// text is shown a stretch at a time, as far as it is read.
fn shown_graphemes(text: &str, mut each: impl FnMut(&str) -> ControlFlow<()>) -> ControlFlow<()> {
    let mut pending = String::new();
    let mut at = 0;
    while at < text.len() {
        let end = text[at..]
            .char_indices()
            .nth(STRETCH)
            .map_or(text.len(), |(ahead, _)| at + ahead);
        pending.push_str(&one_line_part(text, at..end));
        at = end;
        let mut used = 0;
        let mut graphemes = pending.grapheme_indices(true).peekable();
        while let Some((start, grapheme)) = graphemes.next() {
            // The last grapheme may go on in the next stretch.
            if graphemes.peek().is_none() && at < text.len() {
                break;
            }
            each(grapheme)?;
            used = start + grapheme.len();
        }
        pending.drain(..used);
    }
    ControlFlow::Continue(())
}

/// A grapheme a row may break at.
fn is_space(grapheme: &str) -> bool {
    grapheme
        .chars()
        .all(|c| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}'))
}

struct Layout {
    width: usize,
    wanted: Range<usize>,
    /// The row being laid out, counted from the first.
    row: usize,
    /// What it holds so far (only for rows asked for), and its width.
    line: Vec<Span<'static>>,
    line_width: usize,
    /// The word being read, not yet placed: its text, each grapheme's
    /// length, columns and style, and its width.
    word: String,
    word_cells: Vec<(usize, usize, Style)>,
    word_width: usize,
    /// The row was wrapped onto: white space at its start goes.
    wrapped: bool,
    done: Wrapped,
}

impl Layout {
    fn paragraph(&mut self, paragraph: &Line<'_>) -> ControlFlow<()> {
        for span in &paragraph.spans {
            shown_graphemes(&span.content, |grapheme| {
                self.push(grapheme, span.style, paragraph.style)
            })?;
        }
        self.place_word(self.word_cells.len());
        let flow = if self.line_width == 0 && self.wrapped {
            ControlFlow::Continue(())
        } else {
            self.end_row(paragraph.style)
        };
        self.wrapped = false;
        flow
    }

    fn push(&mut self, grapheme: &str, style: Style, line_style: Style) -> ControlFlow<()> {
        self.done.graphemes += 1;
        let columns = usize::from(grapheme.cell_width());
        // Wider than a row (a wide character in a one-column pane): it
        // cannot show anywhere.
        if columns > self.width {
            return ControlFlow::Continue(());
        }
        if is_space(grapheme) {
            self.place_word(self.word_cells.len());
            if self.line_width == 0 && self.wrapped {
                return ControlFlow::Continue(());
            }
            if self.line_width + columns > self.width {
                return self.wrap_row(line_style);
            }
            self.put(grapheme, columns, style);
            return ControlFlow::Continue(());
        }
        self.word.push_str(grapheme);
        self.word_cells.push((grapheme.len(), columns, style));
        self.word_width += columns;
        if self.line_width + self.word_width <= self.width {
            return ControlFlow::Continue(());
        }
        if self.line_width > 0 {
            self.wrap_row(line_style)?;
        }
        // A word wider than a row: as much as fits, the rest after.
        while self.word_width > self.width {
            let mut used = 0;
            let fits = self
                .word_cells
                .iter()
                .take_while(|&&(_, columns, _)| {
                    used += columns;
                    used <= self.width
                })
                .count();
            self.place_word(fits);
            self.wrap_row(line_style)?;
        }
        ControlFlow::Continue(())
    }

    /// Put the first `cells` graphemes of the word being read on the row.
    fn place_word(&mut self, cells: usize) {
        let mut word = mem::take(&mut self.word);
        let mut word_cells = mem::take(&mut self.word_cells);
        let mut at = 0;
        for &(len, columns, style) in &word_cells[..cells] {
            self.put(&word[at..at + len], columns, style);
            self.word_width -= columns;
            at += len;
        }
        word.drain(..at);
        word_cells.drain(..cells);
        self.word = word;
        self.word_cells = word_cells;
    }

    fn put(&mut self, grapheme: &str, columns: usize, style: Style) {
        self.line_width += columns;
        if !self.wanted.contains(&self.row) {
            return;
        }
        match self.line.last_mut() {
            Some(span) if span.style == style => span.content.to_mut().push_str(grapheme),
            _ => self.line.push(Span::styled(grapheme.to_string(), style)),
        }
    }

    fn wrap_row(&mut self, line_style: Style) -> ControlFlow<()> {
        let flow = self.end_row(line_style);
        self.wrapped = true;
        flow
    }

    /// End the row; stop once the rows asked for are all laid out.
    fn end_row(&mut self, line_style: Style) -> ControlFlow<()> {
        let spans = mem::take(&mut self.line);
        if self.wanted.contains(&self.row) {
            self.done.rows.push(Line::from(spans).style(line_style));
        }
        self.row += 1;
        self.line_width = 0;
        self.wrapped = false;
        if self.row >= self.wanted.end {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows as they read (a space left at the end of one shows as
    /// nothing).
    fn rows(text: &str, width: u16) -> Vec<String> {
        let paragraphs = text.split('\n').map(|line| Line::from(Span::raw(line)));
        wrap(paragraphs, width, 0..usize::MAX)
            .rows
            .iter()
            .map(|row| row.to_string().trim_end().to_string())
            .collect()
    }

    #[test]
    fn words_move_to_the_next_row_whole() {
        assert_eq!(
            rows("As a member I want to log a piece", 12),
            ["As a member", "I want to", "log a piece"]
        );
        assert_eq!(rows("one\n\ntwo", 12), ["one", "", "two"]);
        assert_eq!(rows("", 12), [""]);
        // White space that does not fit, or starts a row wrapped onto, goes;
        // white space a paragraph starts with stays.
        assert_eq!(rows("  abcdef  ghijkl", 8), ["  abcdef", "ghijkl"]);
    }

    #[test]
    fn a_word_longer_than_a_row_breaks_between_graphemes() {
        assert_eq!(
            rows("see https://example.com/a/long/path now", 10),
            ["see", "https://ex", "ample.com/", "a/long/pat", "h now"]
        );
        // A wide character never splits.
        assert_eq!(
            rows("日本語のテキスト", 5),
            ["日本", "語の", "テキ", "スト"]
        );
    }

    #[test]
    fn text_is_shown_as_text() {
        assert_eq!(
            rows("pay \u{202e}later\tnow", 20),
            ["pay \u{fffd}later now"]
        );
        let family = "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}";
        assert_eq!(
            rows(&format!("a {family} b"), 20),
            [format!("a {family} b")]
        );
    }

    #[test]
    fn only_the_rows_asked_for_are_laid_out() {
        let text = "word ".repeat(1_000_000);
        let wrapped = wrap([Line::from(Span::raw(text.as_str()))], 40, 100..110);
        assert_eq!(wrapped.rows.len(), 10);
        assert_eq!(wrapped.laid_out, 110);
        // Eight words and their spaces a row.
        assert!(
            wrapped.graphemes <= 110 * 41,
            "{} graphemes laid out",
            wrapped.graphemes
        );
        // One word as long: the same.
        let text = "x".repeat(5_000_000);
        let wrapped = wrap([Line::from(Span::raw(text.as_str()))], 40, 0..30);
        assert_eq!(wrapped.rows[29].to_string(), "x".repeat(40));
        assert!(wrapped.graphemes <= 30 * 41);
    }

    #[test]
    fn a_cell_shows_the_start_of_a_long_text() {
        let text = format!("Pay \u{202e}by card{}", " and more".repeat(1_000_000));
        assert_eq!(truncated(&text, 12), "Pay \u{fffd}by card");
        assert_eq!(truncated("日本語", 5), "日本");
    }
}
