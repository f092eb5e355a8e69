//! Text from outside (imports, other writers, hand edits) shown as text.
//!
//! What reaches the terminal must draw exactly as wide as the layout thinks,
//! and must not move the cursor, recolour the screen or reorder the line:
//!
//! - control and escape characters are shown as a visible stand-in, `�`
//!   (tabs and line breaks as spaces, where text takes one line);
//! - so are invisible format characters (Unicode's `Cf`): bidirectional
//!   overrides, embeddings, isolates and marks, which reorder what follows
//!   in terminals that lay text out right to left; zero-width spaces,
//!   joiners and non-joiners, word joiners, byte-order marks and the like,
//!   which the layout counts as nothing but some terminals draw as a
//!   column (tmux draws a soft hyphen as one); and the rest of `Cf`;
//! - emoji stay whole: a zero-width joiner between two pictographs (the
//!   family, the professions), variation selectors and skin tones, and the
//!   tags of a subdivision flag are kept;
//! - a combining mark with nothing before it on its line, which the
//!   terminal would put on whatever is drawn to its left (a border), gets a
//!   no-break space to sit on.
//!
//! The stored text is never changed: this is for showing it. The story
//! document, which must come back from an editor as it went out, keeps
//! everything but control characters ([`one_line_as_written`]).

use std::borrow::Cow;
use std::ops::Range;

use ratatui::buffer::CellWidth;
use unicode_properties::{GeneralCategory, UnicodeEmoji, UnicodeGeneralCategory, emoji};
use unicode_width::UnicodeWidthChar;

/// What stands in for a character that cannot be shown as itself.
const STAND_IN: char = '\u{fffd}';

/// What a combining mark with nothing to combine with sits on.
const MARK_BASE: char = '\u{a0}';

const ZWJ: char = '\u{200d}';

/// U+1F3F4 WAVING BLACK FLAG, which tags turn into a subdivision's flag.
const BLACK_FLAG: char = '\u{1f3f4}';

/// One line of text for the terminal: every control character (line
/// breaks included) and invisible format character replaced, tabs and
/// line breaks by spaces, anything else by `�`. See the module's notes.
#[must_use]
pub fn one_line(text: &str) -> Cow<'_, str> {
    clean(text, Lines::One, Invisible::StandIn)
}

/// Multi-line text for the terminal: line breaks are kept, everything
/// else is replaced as in [`one_line`].
#[must_use]
pub fn multi_line(text: &str) -> Cow<'_, str> {
    clean(text, Lines::Kept, Invisible::StandIn)
}

/// One line of text exactly as written but for its control characters
/// (line breaks included), replaced as in [`one_line`]: for a document
/// that must read back as it was written out, which a line-based format
/// cannot do for them.
#[must_use]
pub fn one_line_as_written(text: &str) -> Cow<'_, str> {
    clean(text, Lines::One, Invisible::Kept)
}

/// Multi-line text as written but for its control characters: line breaks
/// are kept, the rest replaced as in [`one_line_as_written`].
#[must_use]
pub fn multi_line_as_written(text: &str) -> Cow<'_, str> {
    clean(text, Lines::Kept, Invisible::Kept)
}

/// The part `part` of `text` (a byte range on character boundaries) as
/// [`one_line`] shows it within the whole of `text`: a row of a wrapped
/// line, or the stretch of a long one that fits on screen, without
/// showing all of it.
#[must_use]
pub fn one_line_part(text: &str, part: Range<usize>) -> Cow<'_, str> {
    clean_part(text, part, Lines::One, Invisible::StandIn)
}

/// What one cell of the screen may draw, given what the layout put in it
/// (a grapheme, with any zero-width characters that followed it): the
/// invisible format characters that text shown through [`one_line`] would
/// have had replaced are dropped, as are zero-width characters at its
/// start, which the terminal would put on the cell to the left. What is
/// left is padded with spaces to the columns the layout gave the cell (a
/// prepended mark such as U+0600 counts as a column), and a cell that
/// would draw nothing draws a space. So every cell takes exactly the
/// columns the layout gave it, whatever wrote it.
#[must_use]
pub fn cell(symbol: &str) -> Cow<'_, str> {
    if symbol.len() == 1 {
        return Cow::Borrowed(symbol);
    }
    let columns = usize::from(symbol.cell_width()).max(1);
    let kept = clean(symbol, Lines::One, Invisible::Dropped);
    let drawn = kept.trim_start_matches(|c: char| c.width() == Some(0));
    let drawn_columns = usize::from(drawn.cell_width());
    if drawn_columns == columns && drawn == symbol {
        return Cow::Borrowed(symbol);
    }
    // Without what was dropped, a sequence can come apart into parts
    // wider than it was: then it shows as not shown.
    let (shown, shown_columns) = match drawn_columns {
        0 => ("", 0),
        n if n > columns => ("\u{fffd}", 1),
        n => (drawn, n),
    };
    let mut cell = String::with_capacity(shown.len() + columns - shown_columns);
    cell.push_str(shown);
    cell.extend(std::iter::repeat_n(' ', columns - shown_columns));
    Cow::Owned(cell)
}

/// Whether `c` is invisible on a terminal, or moves or reorders the text
/// around it: a control character, a format character (Unicode's `Cf`:
/// bidi controls, zero-width spaces and joiners, tags and the rest), or a
/// line or paragraph separator. [`one_line`] shows each as a stand-in (or
/// a space), but for the joiners and tags that hold an emoji together.
/// For whatever else must keep such characters out of sight, such as the
/// JSON written for scripts.
#[must_use]
pub fn is_invisible(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    c.is_control()
        || c.general_category() == GeneralCategory::Format
        || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Whether line breaks are kept.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lines {
    One,
    Kept,
}

/// What becomes of an invisible format character.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Invisible {
    StandIn,
    Dropped,
    Kept,
}

/// What one character is shown as.
enum Shown {
    Same,
    As(char),
    Dropped,
    /// Itself, after a [`MARK_BASE`].
    Based,
}

fn clean(text: &str, lines: Lines, invisible: Invisible) -> Cow<'_, str> {
    clean_part(text, 0..text.len(), lines, invisible)
}

/// `text[part]` as [`clean`] shows it within the whole of `text`.
fn clean_part(text: &str, part: Range<usize>, lines: Lines, invisible: Invisible) -> Cow<'_, str> {
    // Printable ASCII is shown as it is and never attaches to what came
    // before: most text is only that, and is passed over at a byte's cost.
    if text.as_bytes()[part.clone()]
        .iter()
        .all(|b| (b' '..=b'~').contains(b))
    {
        return Cow::Borrowed(&text[part]);
    }
    let mut out: Option<String> = None;
    // The last character on this line that was not an extender (a mark,
    // a skin tone, a kept joiner or tag): what the next one attaches to.
    // It is known afresh after any character shown the same whatever came
    // before it, so showing can start at the last of those before `part`.
    let mut base: Option<char> = None;
    let from = text[..part.start]
        .char_indices()
        .rev()
        .find(|&(_, c)| starts_afresh(c))
        .map_or(0, |(at, _)| at);
    let mut chars = text[from..]
        .char_indices()
        .map(|(at, c)| (from + at, c))
        .peekable();
    while let Some((at, c)) = chars.next() {
        if at >= part.end {
            break;
        }
        if matches!(c, ' '..='~') {
            if let Some(out) = &mut out {
                out.push(c);
            }
            base = Some(c);
            continue;
        }
        let next = chars.peek().map(|&(_, next)| next);
        let (drawn, based) = match show(c, base, next, lines, invisible) {
            Shown::Same => (Some(c), false),
            Shown::As(stand_in) => (Some(stand_in), false),
            Shown::Dropped => (None, false),
            Shown::Based => (Some(c), true),
        };
        if at >= part.start {
            if drawn != Some(c) || based {
                out.get_or_insert_with(|| text[part.start..at].to_string());
            }
            if let Some(out) = &mut out {
                if based {
                    out.push(MARK_BASE);
                }
                out.extend(drawn);
            }
        }
        if based {
            base = Some(MARK_BASE);
        }
        match drawn {
            Some('\n') => base = None,
            Some(drawn) if !is_extender(drawn) => base = Some(drawn),
            _ => {}
        }
    }
    out.map_or(Cow::Borrowed(&text[part]), Cow::Owned)
}

/// A character shown the same whatever came before it, which the next one
/// then attaches to (or, a line break, nothing does).
fn starts_afresh(c: char) -> bool {
    let zero_width_letter =
        c.width() == Some(0) && !c.is_control() && c.general_category() != GeneralCategory::Format;
    !(is_extender(c)
        || zero_width_letter
        || matches!(c, '\r' | '\u{2028}' | '\u{2029}')
        || emoji::is_tag_character(c))
}

fn show(
    c: char,
    base: Option<char>,
    next: Option<char>,
    lines: Lines,
    invisible: Invisible,
) -> Shown {
    match c {
        '\r' => Shown::Dropped,
        '\n' if lines == Lines::Kept => Shown::Same,
        '\n' | '\t' => Shown::As(' '),
        c if c.is_control() => Shown::As(STAND_IN),
        _ if invisible == Invisible::Kept => Shown::Same,
        // Line and paragraph separators break lines as `\n` does, in what
        // lays text out; a terminal draws them as it likes.
        '\u{2028}' | '\u{2029}' => match (invisible, lines) {
            (Invisible::Dropped, _) => Shown::Dropped,
            (_, Lines::Kept) => Shown::As('\n'),
            (_, Lines::One) => Shown::As(' '),
        },
        ZWJ if base.is_some_and(is_pictograph) && next.is_some_and(is_pictograph) => Shown::Same,
        c if emoji::is_tag_character(c) && base == Some(BLACK_FLAG) => Shown::Same,
        c if c.general_category() == GeneralCategory::Format => match invisible {
            Invisible::Dropped => Shown::Dropped,
            _ => Shown::As(STAND_IN),
        },
        c if invisible == Invisible::StandIn && base.is_none() && c.width() == Some(0) => {
            Shown::Based
        }
        _ => Shown::Same,
    }
}

/// A character that joins the one before it rather than standing alone.
fn is_extender(c: char) -> bool {
    matches!(
        c.general_category(),
        GeneralCategory::NonspacingMark
            | GeneralCategory::EnclosingMark
            | GeneralCategory::SpacingMark
    ) || is_skin_tone(c)
        || c == ZWJ
        || emoji::is_tag_character(c)
}

fn is_skin_tone(c: char) -> bool {
    matches!(c, '\u{1f3fb}'..='\u{1f3ff}')
}

/// A pictograph a zero-width joiner may join (Unicode's
/// `Extended_Pictographic`, for the emoji there are): an emoji that is not
/// a keycap's digit, a flag's letter or a skin tone.
fn is_pictograph(c: char) -> bool {
    c.is_emoji_char() && !c.is_ascii() && !emoji::is_regional_indicator(c) && !is_skin_tone(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation;

    #[test]
    fn escapes_never_pass() {
        assert_eq!(one_line("a\x1b[31mb\nc\td"), "a\u{fffd}[31mb c d");
        assert_eq!(multi_line("a\r\nb\x07"), "a\nb\u{fffd}");
        assert!(matches!(one_line("plain ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn bidirectional_controls_are_shown_not_obeyed() {
        for c in ('\u{202a}'..='\u{202e}')
            .chain('\u{2066}'..='\u{2069}')
            .chain(['\u{200e}', '\u{200f}', '\u{61c}'])
        {
            let text = format!("pay {c}later");
            assert_eq!(
                one_line(&text),
                "pay \u{fffd}later",
                "U+{:04X}",
                u32::from(c)
            );
        }
        assert_eq!(
            multi_line("\u{202e}evil\u{202c}\nnext"),
            "\u{fffd}evil\u{fffd}\nnext"
        );
    }

    #[test]
    fn invisible_characters_are_shown() {
        for c in [
            '\u{200b}', '\u{200c}', '\u{feff}', '\u{ad}', '\u{180e}', '\u{fff9}',
        ]
        .into_iter()
        .chain('\u{2060}'..='\u{2064}')
        {
            let text = format!("zero{c}width");
            assert_eq!(
                one_line(&text),
                "zero\u{fffd}width",
                "U+{:04X}",
                u32::from(c)
            );
        }
        // A joiner between letters joins nothing a terminal draws.
        assert_eq!(one_line("a\u{200d}b"), "a\u{fffd}b");
        assert_eq!(one_line("\u{1f468}\u{200d}"), "\u{1f468}\u{fffd}");
        assert_eq!(one_line("a\u{e0067}"), "a\u{fffd}");
    }

    #[test]
    fn line_separators_break_lines_like_newlines() {
        assert_eq!(one_line("a\u{2028}b\u{2029}c"), "a b c");
        assert_eq!(multi_line("a\u{2028}b"), "a\nb");
    }

    #[test]
    fn emoji_sequences_stay_whole() {
        for emoji in [
            "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}", // family
            "\u{1f9d1}\u{1f3fd}\u{200d}\u{1f4bb}",         // technologist, skin tone
            "\u{1f3f3}\u{fe0f}\u{200d}\u{1f308}",          // rainbow flag
            "\u{2764}\u{fe0f}\u{200d}\u{1f525}",           // heart on fire
            "\u{1f468}\u{200d}\u{1f9b0}",                  // man, red hair
            "\u{1f1eb}\u{1f1f7}",                          // flag of France
            "1\u{fe0f}\u{20e3}",                           // keycap
            "\u{2764}\u{fe0f}",                            // heart, emoji style
            "\u{1f44d}\u{1f3fd}",                          // thumbs up, skin tone
            // England's flag: a black flag and tags.
            "\u{1f3f4}\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}",
        ] {
            let text = format!("a {emoji} b");
            assert!(matches!(one_line(&text), Cow::Borrowed(_)), "{emoji}");
        }
    }

    #[test]
    fn a_combining_mark_with_nothing_before_it_gets_a_base() {
        assert_eq!(one_line("\u{301}accent"), "\u{a0}\u{301}accent");
        assert_eq!(multi_line("a\n\u{301}b"), "a\n\u{a0}\u{301}b");
        // Marks on letters, or on what stands in for a character, are fine.
        assert!(matches!(one_line("e\u{301}te\u{301}"), Cow::Borrowed(_)));
        assert_eq!(one_line("\u{200b}\u{301}"), "\u{fffd}\u{301}");
    }

    #[test]
    fn text_as_written_keeps_all_but_control_characters() {
        let text = "\u{301}a\u{202e}b\u{200b}c\u{ad}d\u{2028}e";
        assert!(matches!(one_line_as_written(text), Cow::Borrowed(_)));
        assert_eq!(one_line_as_written("a\x1b\tb\nc"), "a\u{fffd} b c");
        assert_eq!(multi_line_as_written("a\r\nb\u{200d}"), "a\nb\u{200d}");
    }

    #[test]
    fn every_cell_draws_exactly_its_width() {
        assert_eq!(cell("a"), "a");
        assert_eq!(cell("b\u{202e}"), "b");
        assert_eq!(cell("h\u{200c}\u{200d}"), "h");
        assert_eq!(cell("\u{200b}"), " ");
        assert_eq!(cell("\u{301}A"), "A");
        assert_eq!(cell("e\u{301}"), "e\u{301}");
        let family = "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}";
        assert_eq!(cell(family), family);
        assert_eq!(cell("1\u{fe0f}\u{20e3}"), "1\u{fe0f}\u{20e3}");
    }

    #[test]
    fn a_cell_whose_invisible_character_goes_keeps_its_width() {
        // A prepended concatenation mark and the digit it goes before are
        // one grapheme, which the layout gives two columns.
        for grapheme in ["\u{600}1", "\u{110bd}1", "\u{605}\u{661}"] {
            let drawn = cell(grapheme);
            assert_eq!(
                drawn.cell_width(),
                grapheme.cell_width(),
                "{grapheme:?} drawn as {drawn:?}"
            );
        }
        assert_eq!(cell("\u{600}1"), "1 ");
    }

    /// Characters that make graphemes the layout and the terminal may
    /// count differently, mixed with any others.
    fn tricky_char() -> impl Strategy<Value = char> {
        prop_oneof![
            any::<char>(),
            prop::sample::select(vec![
                '\u{600}',
                '\u{605}',
                '\u{6dd}',
                '\u{110bd}',
                '\u{200b}',
                '\u{200c}',
                '\u{200d}',
                '\u{200e}',
                '\u{202e}',
                '\u{2066}',
                '\u{feff}',
                '\u{ad}',
                '\u{301}',
                '\u{20e3}',
                '\u{fe0f}',
                '\u{fe0e}',
                '\u{1f3fd}',
                '\u{1f1eb}',
                '\u{1f1f7}',
                '\u{e0067}',
                '\u{e007f}',
                '\u{1f3f4}',
                '\u{1f468}',
                '\u{2764}',
                '\u{1100}',
                '\u{1161}',
                '\u{ff76}',
                '\u{ff9e}',
                'a',
                '1',
                ' ',
            ]),
        ]
    }

    proptest! {
        #[test]
        fn a_text_shown_in_parts_reads_as_shown_whole(
            text in proptest::collection::vec(tricky_char(), 0..16),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..4),
        ) {
            let text: String = text.into_iter().collect();
            let boundaries: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
            let mut cuts: Vec<usize> = cuts
                .iter()
                .filter(|_| !boundaries.is_empty())
                .map(|i| boundaries[i.index(boundaries.len())])
                .collect();
            cuts.push(0);
            cuts.push(text.len());
            cuts.sort_unstable();
            let parts: String = cuts
                .windows(2)
                .map(|w| one_line_part(&text, w[0]..w[1]))
                .collect();
            prop_assert_eq!(parts, one_line(&text));
        }

        #[test]
        fn every_cell_is_as_wide_as_the_layout_made_it(
            text in proptest::collection::vec(tricky_char(), 1..12)
        ) {
            let text: String = text.into_iter().collect();
            // What ratatui puts in a cell: a grapheme without control
            // characters, which it filters out first.
            for grapheme in text.graphemes(true).filter(|g| !g.contains(char::is_control)) {
                let width = grapheme.cell_width().max(1);
                let drawn = cell(grapheme);
                prop_assert_eq!(drawn.cell_width(), width, "{:?} drawn as {:?}", grapheme, drawn);
            }
        }
    }
}
