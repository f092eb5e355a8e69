//! JSON for scripts (`--json`): pretty-printed, with every character that
//! is invisible on a terminal, or reorders the text around it, written as
//! a `\uXXXX` escape: the characters the screen shows as a stand-in
//! ([`crate::text::is_invisible`]), one predicate for both.
//!
//! `serde_json` escapes only the characters JSON requires (below U+0020, `"`
//! and `\`). A script that pipes our output to a terminal would otherwise
//! pass on C1 controls (U+009B is a one-byte CSI to many terminals), bidi
//! overrides that show text in another order than it is stored, and
//! zero-width characters that hide in plain sight. An escape is lossless:
//! any JSON reader gets the same string back.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

use crate::text::is_invisible;

/// `value` as pretty-printed JSON, with the characters [`is_hidden`] names
/// escaped.
///
/// # Errors
/// When `value` cannot be serialized (a map with non-string keys, say).
pub fn pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, Escaping::default());
    value.serialize(&mut serializer)?;
    // The formatter writes only what serde_json gives it (valid UTF-8)
    // and ASCII escapes.
    Ok(String::from_utf8(out).expect("JSON output is UTF-8"))
}

/// Whether `c` is escaped in JSON output beyond what JSON requires: each
/// character the screen would not show as itself ([`is_invisible`]: DEL
/// and the C1 controls, every format character, the line and paragraph
/// separators). Unlike the screen, JSON escapes a zero-width joiner or a
/// tag even inside an emoji: a script gets the same text back either way,
/// and a rule with no exceptions is one a reader can check.
#[must_use]
pub fn is_hidden(c: char) -> bool {
    is_invisible(c)
}

/// `serde_json`'s pretty layout, escaping [`is_hidden`] characters inside
/// strings. Every string, keys included, reaches `write_string_fragment`,
/// and the layout never writes one of these characters itself, so nothing
/// outside a string is touched.
#[derive(Default)]
struct Escaping {
    layout: PrettyFormatter<'static>,
}

impl Formatter for Escaping {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (at, c) in fragment.char_indices().filter(|(_, c)| is_hidden(*c)) {
            writer.write_all(&fragment.as_bytes()[start..at])?;
            // JSON escapes UTF-16 code units: a character past the Basic
            // Multilingual Plane (a tag, say) is a surrogate pair.
            for unit in c.encode_utf16(&mut [0; 2]) {
                write!(writer, "\\u{unit:04x}")?;
            }
            start = at + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.layout.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.layout.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.layout.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.layout.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.layout.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.layout.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.layout.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.layout.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.layout.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::one_line;

    #[test]
    fn every_character_the_screen_hides_is_escaped() {
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            if c != '\t' && c != '\n' && c != '\r' && one_line(&text) != text {
                assert!(
                    is_hidden(c),
                    "U+{:04X} is shown as a stand-in",
                    u32::from(c)
                );
            }
        }
    }

    #[test]
    fn hidden_characters_are_escaped_inside_strings_and_read_back_whole() {
        let value = serde_json::json!({
            "ti\u{202e}tle": ["a\u{85}b", "\u{7f}", "\u{200d}\u{feff}", "plain ✓ 👩‍💻"],
            "n": 1,
        });
        let text = pretty(&value).unwrap();
        // Line breaks are the layout's; those in strings serde_json escapes.
        assert!(!text.chars().any(|c| c != '\n' && is_hidden(c)), "{text}");
        assert!(text.contains(r#""ti\u202etle""#), "{text}");
        assert!(text.contains(r#""a\u0085b""#), "{text}");
        assert!(text.contains(r#""\u007f""#), "{text}");
        assert!(text.contains(r#""\u200d\ufeff""#), "{text}");
        assert!(text.contains(r#""plain ✓ 👩\u200d💻""#), "{text}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            value
        );
        // Format characters past the first plane too, as surrogate pairs.
        let value = serde_json::json!(["a\u{600}b\u{e0001}c"]);
        let text = pretty(&value).unwrap();
        assert!(text.contains(r#""a\u0600b\udb40\udc01c""#), "{text}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            value
        );
        // The layout is serde_json's own.
        let plain = serde_json::json!({"a": [1, {"b": null}], "c": "d"});
        assert_eq!(
            pretty(&plain).unwrap(),
            serde_json::to_string_pretty(&plain).unwrap()
        );
    }
}
