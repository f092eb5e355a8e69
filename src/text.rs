//! Text from outside (imports, other writers, hand edits) shown as text.
//!
//! Control and escape characters would move the cursor or recolour the
//! terminal, so they never reach it: each is shown as a visible stand-in.

use std::borrow::Cow;

/// One line of text with every control character (newlines included)
/// replaced: tabs and line breaks become spaces, anything else `�`.
#[must_use]
pub fn one_line(text: &str) -> Cow<'_, str> {
    clean(text, false)
}

/// Multi-line text: line breaks are kept, other control characters are
/// replaced as in [`one_line`].
#[must_use]
pub fn multi_line(text: &str) -> Cow<'_, str> {
    clean(text, true)
}

fn clean(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter(|&c| c != '\r')
            .map(|c| match c {
                '\n' if keep_newlines => '\n',
                '\n' | '\t' => ' ',
                c if c.is_control() => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_never_pass() {
        assert_eq!(one_line("a\x1b[31mb\nc\td"), "a\u{fffd}[31mb c d");
        assert_eq!(multi_line("a\r\nb\x07"), "a\nb\u{fffd}");
        assert!(matches!(one_line("plain ✓"), Cow::Borrowed(_)));
    }
}
