//! JSON for scripts (`--json`): pretty-printed, with every character that
//! is invisible on a terminal, or reorders the text around it, written as
//! a `\uXXXX` escape.
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

/// Whether `c` is escaped in JSON output beyond what JSON requires: DEL
/// and the C1 controls; the soft hyphen and other characters terminals
/// draw with no width (zero-width space, joiners, word joiner, invisible
/// operators, the byte-order mark); marks and overrides that change the
/// direction text is shown in (LRM, RLM, ALM, embeddings, overrides,
/// isolates); and the line and paragraph separators, which some readers
/// take for line breaks.
#[must_use]
pub fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{7f}'..='\u{9f}'
            | '\u{ad}'
            | '\u{61c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
    )
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
            // Every hidden character is in the Basic Multilingual Plane:
            // one escape each, no surrogate pairs.
            write!(writer, "\\u{:04x}", u32::from(c))?;
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

    #[test]
    fn hidden_characters_are_escaped_inside_strings_and_read_back_whole() {
        let value = serde_json::json!({
            "ti\u{202e}tle": ["a\u{85}b", "\u{7f}", "\u{200d}\u{feff}", "plain ✓ 👩‍💻"],
            "n": 1,
        });
        let text = pretty(&value).unwrap();
        assert!(!text.chars().any(is_hidden), "{text}");
        assert!(text.contains(r#""ti\u202etle""#), "{text}");
        assert!(text.contains(r#""a\u0085b""#), "{text}");
        assert!(text.contains(r#""\u007f""#), "{text}");
        assert!(text.contains(r#""\u200d\ufeff""#), "{text}");
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
