//! Text typed into a field: every input (a prompt, the search, split's
//! title, a form's field, a panel's name, goal or vision) is a
//! [`TextField`], with one set of editing keys ([`EDITING`]) and one way
//! of drawing it, so every field behaves and looks alike.
//!
//! A ratatui-textarea `TextArea` holds the text and the cursor; which key
//! does what is decided here, not by it, so the keys are the ones the
//! help and the README list.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use super::keymap::Key;

/// What an editing key does to the text or its cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    Left,
    Right,
    WordLeft,
    WordRight,
    LineStart,
    LineEnd,
    Up,
    Down,
    DeleteBefore,
    DeleteAfter,
    DeleteWordBefore,
    DeleteWordAfter,
    DeleteToLineStart,
    DeleteToLineEnd,
    /// Put back what the last of the deletions above took.
    PutBack,
    NewLine,
}

/// Keys that edit the text in a field, what they do, and how the help
/// says it.
pub struct EditingKey {
    pub keys: &'static [Stroke],
    pub edit: Edit,
    pub help: &'static str,
}

/// A key as a field reads it: its code, with Ctrl or Alt held or not.
/// (Shift only selects the case of a letter, and is not looked at.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stroke {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Stroke {
    const fn plain(code: KeyCode) -> Stroke {
        Stroke {
            code,
            ctrl: false,
            alt: false,
        }
    }

    const fn ctrl(code: KeyCode) -> Stroke {
        Stroke {
            code,
            ctrl: true,
            alt: false,
        }
    }

    const fn alt(code: KeyCode) -> Stroke {
        Stroke {
            code,
            ctrl: false,
            alt: true,
        }
    }

    fn of(key: KeyEvent) -> Stroke {
        Stroke {
            code: key.code,
            ctrl: key.modifiers.contains(KeyModifiers::CONTROL),
            alt: key.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// How the help and the README show it, as the keymap shows keys.
    #[must_use]
    pub fn label(self) -> String {
        let modifiers = if self.ctrl {
            KeyModifiers::CONTROL
        } else {
            KeyModifiers::NONE
        };
        let code = match self.code {
            // A letter with Alt shows as it does with Ctrl: `Alt-B`.
            KeyCode::Char(c) if self.alt => KeyCode::Char(c.to_ascii_uppercase()),
            code => code,
        };
        let key = Key { code, modifiers }.label();
        if self.alt { format!("Alt-{key}") } else { key }
    }
}

const fn char(c: char) -> KeyCode {
    KeyCode::Char(c)
}

/// The editing keys of every field, as readline and Emacs have them (a
/// shell's keys), with the arrows, Home and End.
pub static EDITING: &[EditingKey] = &[
    EditingKey {
        keys: &[Stroke::plain(KeyCode::Left), Stroke::ctrl(char('b'))],
        edit: Edit::Left,
        help: "one character left",
    },
    EditingKey {
        keys: &[Stroke::plain(KeyCode::Right), Stroke::ctrl(char('f'))],
        edit: Edit::Right,
        help: "one character right",
    },
    EditingKey {
        keys: &[Stroke::ctrl(KeyCode::Left), Stroke::alt(char('b'))],
        edit: Edit::WordLeft,
        help: "one word left",
    },
    EditingKey {
        keys: &[Stroke::ctrl(KeyCode::Right), Stroke::alt(char('f'))],
        edit: Edit::WordRight,
        help: "one word right",
    },
    EditingKey {
        keys: &[Stroke::plain(KeyCode::Home), Stroke::ctrl(char('a'))],
        edit: Edit::LineStart,
        help: "to the start of the line",
    },
    EditingKey {
        keys: &[Stroke::plain(KeyCode::End), Stroke::ctrl(char('e'))],
        edit: Edit::LineEnd,
        help: "to the end of the line",
    },
    EditingKey {
        keys: &[Stroke::plain(KeyCode::Up), Stroke::ctrl(char('p'))],
        edit: Edit::Up,
        help: "the line above (in a text of several lines)",
    },
    EditingKey {
        keys: &[Stroke::plain(KeyCode::Down), Stroke::ctrl(char('n'))],
        edit: Edit::Down,
        help: "the line below (in a text of several lines)",
    },
    EditingKey {
        keys: &[Stroke::plain(KeyCode::Backspace), Stroke::ctrl(char('h'))],
        edit: Edit::DeleteBefore,
        help: "delete the character before the cursor",
    },
    EditingKey {
        keys: &[Stroke::plain(KeyCode::Delete), Stroke::ctrl(char('d'))],
        edit: Edit::DeleteAfter,
        help: "delete the character under the cursor",
    },
    EditingKey {
        keys: &[Stroke::ctrl(char('w')), Stroke::alt(KeyCode::Backspace)],
        edit: Edit::DeleteWordBefore,
        help: "delete the word before the cursor",
    },
    EditingKey {
        keys: &[Stroke::alt(char('d')), Stroke::ctrl(KeyCode::Delete)],
        edit: Edit::DeleteWordAfter,
        help: "delete the word after the cursor",
    },
    EditingKey {
        keys: &[Stroke::ctrl(char('u'))],
        edit: Edit::DeleteToLineStart,
        help: "delete back to the start of the line",
    },
    EditingKey {
        keys: &[Stroke::ctrl(char('k'))],
        edit: Edit::DeleteToLineEnd,
        help: "delete to the end of the line",
    },
    EditingKey {
        keys: &[Stroke::ctrl(char('y'))],
        edit: Edit::PutBack,
        help: "put back what the last of those deleted",
    },
    EditingKey {
        keys: &[Stroke::plain(KeyCode::Enter), Stroke::ctrl(char('j'))],
        edit: Edit::NewLine,
        help: "a new line, where the text takes several",
    },
];

/// The edit a key makes in a field, if it is an editing key.
#[must_use]
pub fn edit_for(key: KeyEvent) -> Option<Edit> {
    let stroke = Stroke::of(key);
    EDITING
        .iter()
        .find(|k| k.keys.contains(&stroke))
        .map(|k| k.edit)
}

/// Text being typed: on one line, or on several (a description, the
/// vision).
#[derive(Clone, Debug)]
pub struct TextField {
    area: TextArea<'static>,
    multi_line: bool,
    /// Something was typed, pasted or deleted since it opened.
    changed: bool,
}

impl TextField {
    /// A field holding `text`, the cursor at its end. One of several
    /// lines wraps at word boundaries.
    #[must_use]
    pub fn new(text: &str, multi_line: bool) -> Self {
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
        // Its own undo is never used (`Ctrl-U` deletes, and `u` undoes
        // what was kept): keeping every edit to undo would only cost.
        area.set_max_histories(0);
        if multi_line {
            area.set_wrap_mode(WrapMode::WordOrGlyph);
        }
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        TextField {
            area,
            multi_line,
            changed: false,
        }
    }

    /// Whether it takes several lines.
    #[must_use]
    pub fn is_multi_line(&self) -> bool {
        self.multi_line
    }

    /// Whether anything was typed, pasted or deleted since it opened.
    #[must_use]
    pub fn is_changed(&self) -> bool {
        self.changed
    }

    /// The text as typed: lines joined with line breaks.
    #[must_use]
    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    /// The text as one line: trimmed, with runs of white space (line
    /// breaks too) made one space, as [`single_line`].
    #[must_use]
    pub fn line(&self) -> String {
        single_line(&self.text())
    }

    /// A key typed into the field: an editing key ([`EDITING`]) edits,
    /// a character without Ctrl or Alt is typed, and any other key does
    /// nothing. True when the text changed.
    pub fn type_key(&mut self, key: KeyEvent) -> bool {
        let area = &mut self.area;
        let changed = match edit_for(key) {
            Some(Edit::NewLine) if self.multi_line => {
                area.insert_newline();
                true
            }
            // A line break never goes into a field of one line.
            Some(Edit::NewLine) => false,
            Some(Edit::PutBack) => {
                let text = area.yank_text();
                let text = if self.multi_line {
                    text
                } else {
                    text.replace('\n', " ")
                };
                area.insert_str(text)
            }
            Some(edit) => edited(area, edit),
            None => match key.code {
                // However a terminal sends it, a line break is one.
                KeyCode::Char('\n' | '\r') if self.multi_line => {
                    area.insert_newline();
                    true
                }
                KeyCode::Char('\n' | '\r') => false,
                KeyCode::Char(c)
                    if !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    area.insert_char(c);
                    true
                }
                _ => false,
            },
        };
        self.changed |= changed;
        changed
    }

    /// Pasted text, put in at the cursor as text, never as keys: its line
    /// breaks start new lines where the field takes several, and are
    /// spaces where it takes one, each line trimmed and blank ones left
    /// out. Any other character goes in as typed, and shows as typed text
    /// does (a control character as `�`). True when the text changed.
    pub fn paste(&mut self, text: &str) -> bool {
        let text = if self.multi_line {
            // `\r\n` and a lone `\r` (as old Mac text has) are line breaks
            // too.
            text.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            text.split(['\n', '\r'])
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let changed = self.area.insert_str(&text);
        self.changed |= changed;
        changed
    }

    /// Draw it in `rect`, the cursor in sight.
    pub fn render(&self, frame: &mut Frame, rect: Rect, color: bool) {
        super::view::draw_text_area(&self.area, frame, rect, color, true);
    }

    /// Draw it in `rect` while another part of the screen has the keys:
    /// the cursor's place is kept in sight, but not marked.
    pub fn render_unfocused(&self, frame: &mut Frame, rect: Rect, color: bool) {
        super::view::draw_text_area(&self.area, frame, rect, color, false);
    }
}

/// Make `edit` (a move or a deletion) in `area`; true when the text
/// changed.
fn edited(area: &mut TextArea<'static>, edit: Edit) -> bool {
    let cursor = |area: &mut TextArea<'static>, to: CursorMove| {
        area.move_cursor(to);
        false
    };
    match edit {
        Edit::Left => cursor(area, CursorMove::Back),
        Edit::Right => cursor(area, CursorMove::Forward),
        Edit::WordLeft => cursor(area, CursorMove::WordBack),
        Edit::WordRight => cursor(area, CursorMove::WordForward),
        Edit::LineStart => cursor(area, CursorMove::Head),
        Edit::LineEnd => cursor(area, CursorMove::End),
        Edit::Up => cursor(area, CursorMove::Up),
        Edit::Down => cursor(area, CursorMove::Down),
        Edit::DeleteBefore => area.delete_char(),
        Edit::DeleteAfter => area.delete_next_char(),
        Edit::DeleteWordBefore => area.delete_word(),
        Edit::DeleteWordAfter => area.delete_next_word(),
        Edit::DeleteToLineStart => area.delete_line_by_head(),
        Edit::DeleteToLineEnd => area.delete_line_by_end(),
        // Handled by the field, which knows whether it takes lines.
        Edit::PutBack | Edit::NewLine => false,
    }
}

/// Text as one line: trimmed, with runs of white space (line breaks too)
/// made one space.
#[must_use]
pub fn single_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    fn typed(field: &mut TextField, text: &str) {
        for c in text.chars() {
            field.type_key(key(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    #[test]
    fn the_same_keys_edit_a_field_of_one_line_and_one_of_several() {
        for multi_line in [false, true] {
            let mut field = TextField::new("", multi_line);
            typed(&mut field, "one two three");
            field.type_key(key(KeyCode::Char('w'), KeyModifiers::CONTROL));
            assert_eq!(field.text(), "one two ", "Ctrl-W");
            field.type_key(key(KeyCode::Char('b'), KeyModifiers::ALT));
            field.type_key(key(KeyCode::Char('u'), KeyModifiers::CONTROL));
            assert_eq!(field.text(), "two ", "Ctrl-U");
            field.type_key(key(KeyCode::Char('e'), KeyModifiers::CONTROL));
            field.type_key(key(KeyCode::Char('y'), KeyModifiers::CONTROL));
            assert_eq!(field.text(), "two one ", "Ctrl-Y");
            field.type_key(key(KeyCode::Char('a'), KeyModifiers::CONTROL));
            field.type_key(key(KeyCode::Char('k'), KeyModifiers::CONTROL));
            assert_eq!(field.text(), "", "Ctrl-K");
            // Ctrl-J is a line break where lines are taken, else nothing.
            typed(&mut field, "a");
            field.type_key(key(KeyCode::Char('j'), KeyModifiers::CONTROL));
            typed(&mut field, "b");
            let expected = if multi_line { "a\nb" } else { "ab" };
            assert_eq!(field.text(), expected, "Ctrl-J");
        }
    }

    #[test]
    fn keys_with_ctrl_or_alt_that_edit_nothing_type_nothing() {
        let mut field = TextField::new("x", false);
        assert!(!field.type_key(key(KeyCode::Char('z'), KeyModifiers::CONTROL)));
        assert!(!field.type_key(key(KeyCode::Char('v'), KeyModifiers::ALT)));
        assert!(!field.type_key(key(KeyCode::Tab, KeyModifiers::NONE)));
        assert_eq!(field.text(), "x");
        assert!(!field.is_changed());
        assert!(field.type_key(key(KeyCode::Char('Y'), KeyModifiers::SHIFT)));
        assert_eq!(field.text(), "xY");
        assert!(field.is_changed());
    }

    #[test]
    fn a_paste_is_lines_where_lines_are_taken_else_one_line() {
        let pasted = "  First line\r\nsecond line\n\n\tthird\rfourth ";
        let mut one = TextField::new("Note: ", false);
        one.paste(pasted);
        assert_eq!(one.text(), "Note: First line second line third fourth");
        let mut several = TextField::new("", true);
        several.paste(pasted);
        assert_eq!(
            several.text(),
            "  First line\nsecond line\n\n\tthird\nfourth "
        );
        // Control characters go in as typed text does, to show as `�`.
        let mut field = TextField::new("", false);
        field.paste("a\u{1b}[31mb\u{7}");
        assert_eq!(field.text(), "a\u{1b}[31mb\u{7}");
    }

    #[test]
    fn every_editing_key_has_a_label() {
        let labels: Vec<String> = EDITING
            .iter()
            .flat_map(|k| k.keys.iter().map(|s| s.label()))
            .collect();
        assert!(labels.contains(&"Alt-B".to_string()), "{labels:?}");
        assert!(labels.contains(&"Ctrl-U".to_string()), "{labels:?}");
        assert!(labels.contains(&"Ctrl-←".to_string()), "{labels:?}");
        let mut unique = labels.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), labels.len(), "a key edits twice");
        // As the keymap's, each fits the help box beside its keys.
        for key in EDITING {
            assert!(key.help.chars().count() <= 60, "{:?}", key.help);
        }
    }
}
