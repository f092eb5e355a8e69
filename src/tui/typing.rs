//! Text inputs in forms and panels: one way to set up a `TextArea` and one
//! way to type into it, so every field behaves alike.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Style;
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

/// A text area holding `text`, the cursor at its end. A multi-line one
/// wraps at word boundaries.
#[must_use]
pub fn text_area(text: &str, multi_line: bool) -> TextArea<'static> {
    let lines: Vec<String> = if multi_line {
        text.lines().map(str::to_string).collect()
    } else {
        vec![text.to_string()]
    };
    let mut area = TextArea::new(if lines.is_empty() {
        vec![String::new()]
    } else {
        lines
    });
    area.set_cursor_line_style(Style::default());
    if multi_line {
        area.set_wrap_mode(WrapMode::WordOrGlyph);
    }
    area.move_cursor(CursorMove::Bottom);
    area.move_cursor(CursorMove::End);
    area
}

/// A key typed into a text area. As in a shell, Ctrl-U clears back to the
/// start of the line; every other key is the text area's own.
pub fn type_into(area: &mut TextArea<'static>, key: KeyEvent) {
    if key.code == KeyCode::Char('u') && key.modifiers == KeyModifiers::CONTROL {
        area.delete_line_by_head();
    } else {
        area.input(key);
    }
}

/// Text as one line: trimmed, with runs of white space (line breaks too)
/// made one space.
#[must_use]
pub fn single_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a one-line text area holds, as [`single_line`].
#[must_use]
pub fn typed_line(area: &TextArea<'_>) -> String {
    single_line(&area.lines().join(" "))
}
