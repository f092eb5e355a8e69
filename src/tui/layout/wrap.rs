//! Text laid out in rows, only as far as is asked. A story's text may run
//! to megabytes, of which a pane shows a screenful: a frame's work must
//! stop at the bottom of what shows, and grow with the text no further.
//! The story pane and its scroll limit both lay text out here, so they
//! agree on its rows.
//!
//! Text is shown as [`one_line_graphemes`] shows it, a grapheme at a time.
//! Rows break at white space: a word that does not fit moves to the next
//! row, whole when it fits in one, and a longer word breaks between
//! graphemes; white space that does not fit at the end of a row goes, and
//! so does white space at the start of a row wrapped onto. A text being
//! typed keeps its white space, moved to the next row instead, so that
//! the cursor has a place on every character ([`Typed`]).

use std::mem;
use std::ops::{ControlFlow, Range};

use ratatui::buffer::CellWidth;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::text::{one_line, one_line_graphemes};

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
    /// Where each row laid out starts, for a text being typed: the line,
    /// and the byte in it of the row's first grapheme.
    pub starts: Vec<(usize, usize)>,
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
    let mut layout = Layout::new(width, rows, false);
    for paragraph in paragraphs {
        if layout.paragraph(&paragraph).is_break() {
            break;
        }
    }
    layout.finish()
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
    let _ = one_line_graphemes(text, |grapheme, _| {
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

/// `text` shown in one row of `columns` columns, as [`crate::text::one_line`]
/// shows it: whole when it fits, else cut and ended with `…`, so a cut
/// never passes for the whole. The cut falls between words when a word
/// ends in the last quarter of the row, rather than in the middle of one;
/// otherwise the row is filled, and the word it ends in is cut. However long the text,
/// only what the row could show is read.
#[must_use]
pub fn ellipsized(text: &str, columns: u16) -> String {
    let columns = usize::from(columns);
    // Shown, no character takes more columns than it has bytes: a text of
    // no more bytes than the columns fits, as nearly every title does,
    // and is not measured.
    if text.len() <= columns {
        return one_line(text).into_owned();
    }
    if columns == 0 {
        return String::new();
    }
    // The start that leaves a column for the `…`, and the end of its last
    // whole word.
    let mut start = String::new();
    let mut word_end: Option<usize> = None;
    let mut used = 0;
    let mut fits = true;
    let _ = one_line_graphemes(text, |grapheme, _| {
        let width = usize::from(grapheme.cell_width());
        if used + width > columns {
            fits = false;
            return ControlFlow::Break(());
        }
        // White space after a word that ends where the `…` still fits,
        // late enough in the row that little is given up for it.
        if grapheme.chars().all(char::is_whitespace)
            && used < columns
            && used >= columns - columns / 4
        {
            word_end = Some(start.len());
        }
        used += width;
        if used < columns {
            start.push_str(grapheme);
        }
        ControlFlow::Continue(())
    });
    if fits {
        return one_line(text).into_owned();
    }
    if let Some(end) = word_end {
        start.truncate(end);
    }
    // A word cut short, or a list cut after a comma, ends at the mark.
    let kept = start.trim_end_matches(|c: char| c.is_whitespace() || ",;:".contains(c));
    format!("{kept}…")
}

/// A text being typed, laid out as [`wrap`] lays text out but for its
/// white space, which is kept: each grapheme is given with its style, so
/// a cursor and a selection show on the graphemes they are on, and where
/// each row starts is kept, so the cursor's row can be found.
pub struct Typed {
    layout: Layout,
}

impl Typed {
    /// Rows `rows` of a text in `width` columns (at least one).
    #[must_use]
    pub fn new(width: u16, rows: Range<usize>) -> Self {
        Typed {
            layout: Layout::new(width.max(1), rows, true),
        }
    }

    /// Lay out the next grapheme of the line, shown as `grapheme`, which
    /// starts at byte `at` of the line; breaks once the rows asked for are
    /// laid out.
    pub fn push(&mut self, grapheme: &str, style: Style, at: usize) -> ControlFlow<()> {
        self.layout.push(grapheme, style, at, Style::new())
    }

    /// End the line; breaks once the rows asked for are laid out.
    pub fn end_line(&mut self) -> ControlFlow<()> {
        self.layout.end_paragraph(Style::new())
    }

    /// Where the last row begun starts, if one has anything on it yet.
    #[must_use]
    pub fn last_start(&self) -> Option<(usize, usize)> {
        self.layout.done.starts.last().copied()
    }

    #[must_use]
    pub fn finish(self) -> Wrapped {
        self.layout.finish()
    }
}

/// A grapheme a row may break at.
fn is_space(grapheme: &str) -> bool {
    grapheme
        .chars()
        .all(|c| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}'))
}

/// A grapheme of the word being read: its length, columns and style,
/// and where it starts in its paragraph.
#[derive(Clone, Copy)]
struct WordCell {
    len: usize,
    columns: usize,
    style: Style,
    at: usize,
}

struct Layout {
    width: usize,
    wanted: Range<usize>,
    /// White space is kept, moved to the next row when it does not fit,
    /// and where each row starts is noted.
    typed: bool,
    /// The paragraph being laid out, and the row, counted from the first.
    paragraph: usize,
    row: usize,
    /// What the row holds so far (only for rows asked for), its width, and
    /// whether anything was put on it.
    line: Vec<Span<'static>>,
    line_width: usize,
    row_started: bool,
    /// The word being read, not yet placed: its text, its graphemes and
    /// its width.
    word: String,
    word_cells: Vec<WordCell>,
    word_width: usize,
    /// The row was wrapped onto: white space at its start goes.
    wrapped: bool,
    done: Wrapped,
}

impl Layout {
    fn new(width: u16, wanted: Range<usize>, typed: bool) -> Self {
        Layout {
            width: usize::from(width),
            wanted,
            typed,
            paragraph: 0,
            row: 0,
            line: Vec::new(),
            line_width: 0,
            row_started: false,
            word: String::new(),
            word_cells: Vec::new(),
            word_width: 0,
            wrapped: false,
            done: Wrapped::default(),
        }
    }

    fn finish(mut self) -> Wrapped {
        self.done.laid_out = self.row;
        self.done
    }

    fn paragraph(&mut self, paragraph: &Line<'_>) -> ControlFlow<()> {
        // Where each grapheme starts in the paragraph, its spans end to end.
        let mut offset = 0;
        for span in &paragraph.spans {
            one_line_graphemes(&span.content, |grapheme, source| {
                self.push(grapheme, span.style, offset + source.start, paragraph.style)
            })?;
            offset += span.content.len();
        }
        self.end_paragraph(paragraph.style)
    }

    fn end_paragraph(&mut self, line_style: Style) -> ControlFlow<()> {
        self.place_word(self.word_cells.len());
        let flow = if self.line_width == 0 && self.wrapped {
            ControlFlow::Continue(())
        } else {
            self.end_row(line_style)
        };
        self.wrapped = false;
        self.paragraph += 1;
        flow
    }

    fn push(
        &mut self,
        grapheme: &str,
        style: Style,
        at: usize,
        line_style: Style,
    ) -> ControlFlow<()> {
        self.done.graphemes += 1;
        let columns = usize::from(grapheme.cell_width());
        // Wider than a row (a wide character in a one-column pane): it
        // cannot show anywhere.
        if columns > self.width {
            return ControlFlow::Continue(());
        }
        if is_space(grapheme) {
            self.place_word(self.word_cells.len());
            if self.line_width == 0 && self.wrapped && !self.typed {
                return ControlFlow::Continue(());
            }
            if self.line_width + columns > self.width {
                self.wrap_row(line_style)?;
                if !self.typed {
                    return ControlFlow::Continue(());
                }
            }
            self.put(grapheme, columns, style, at);
            return ControlFlow::Continue(());
        }
        self.word.push_str(grapheme);
        self.word_cells.push(WordCell {
            len: grapheme.len(),
            columns,
            style,
            at,
        });
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
                .take_while(|cell| {
                    used += cell.columns;
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
        let mut from = 0;
        for cell in &word_cells[..cells] {
            self.put(
                &word[from..from + cell.len],
                cell.columns,
                cell.style,
                cell.at,
            );
            self.word_width -= cell.columns;
            from += cell.len;
        }
        word.drain(..from);
        word_cells.drain(..cells);
        self.word = word;
        self.word_cells = word_cells;
    }

    fn put(&mut self, grapheme: &str, columns: usize, style: Style, at: usize) {
        self.line_width += columns;
        if !self.row_started {
            self.row_started = true;
            if self.typed {
                self.done.starts.push((self.paragraph, at));
            }
        }
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
        if !self.row_started && self.typed {
            // An empty line.
            self.done.starts.push((self.paragraph, 0));
        }
        let spans = mem::take(&mut self.line);
        if self.wanted.contains(&self.row) {
            self.done.rows.push(Line::from(spans).style(line_style));
        }
        self.row += 1;
        self.line_width = 0;
        self.row_started = false;
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
    use crate::text::examined;

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
    fn a_long_run_of_marks_costs_its_length() {
        // One letter under 300,000 marks (600 KB), as a description and
        // as a title from a file older than the title limit.
        let text = format!("a{} end", "\u{301}".repeat(300_000));
        let chars = text.chars().count();
        examined::take();
        let shown = rows(&text, 40);
        let looked = examined::take();
        assert!(looked <= 2 * chars, "{looked} characters looked at");
        assert!(shown == ["a\u{fffd} end"], "{} rows", shown.len());
        let shown = truncated(&text, 40);
        let looked = examined::take();
        assert!(looked <= 2 * chars, "{looked} characters looked at");
        assert!(shown == "a\u{fffd} end", "{} characters", shown.len());
    }

    #[test]
    fn a_cut_title_ends_in_a_mark_and_between_words_where_it_can() {
        let title = "Book a wheel for an evening session";
        assert_eq!(ellipsized(title, 40), title, "it fits");
        assert_eq!(ellipsized(title, 35), title, "exactly");
        assert_eq!(ellipsized(title, 34), "Book a wheel for an evening…");
        assert_eq!(ellipsized(title, 20), "Book a wheel for an…");
        assert_eq!(ellipsized(title, 12), "Book a whee…");
        // No word ends in the row's last quarter: cut inside one, marked.
        assert_eq!(
            ellipsized("Internationalisation of receipts", 12),
            "Internation…"
        );
        assert_eq!(
            ellipsized("Refunds, receipts and returns", 17),
            "Refunds, receipt…"
        );
        assert_eq!(
            ellipsized("Refunds, receipts and returns", 19),
            "Refunds, receipts…"
        );
        assert_eq!(ellipsized("日本語のタイトル", 7), "日本語…");
        assert_eq!(ellipsized("Kiln", 1), "…");
        assert_eq!(ellipsized("Kiln", 0), "");
        // Shown as text, whatever it holds.
        assert_eq!(
            ellipsized("Pay \u{202e}by card now", 13),
            "Pay \u{fffd}by card…"
        );
    }

    #[test]
    fn a_cut_title_reads_only_what_its_row_shows() {
        let text = "word ".repeat(1_000_000);
        examined::take();
        let shown = ellipsized(&text, 40);
        let looked = examined::take();
        assert!(looked <= 100, "{looked} characters looked at");
        assert!(shown.ends_with('…'), "{shown}");
    }

    #[test]
    fn a_cell_shows_the_start_of_a_long_text() {
        let text = format!("Pay \u{202e}by card{}", " and more".repeat(1_000_000));
        assert_eq!(truncated(&text, 12), "Pay \u{fffd}by card");
        assert_eq!(truncated("日本語", 5), "日本");
    }
}
