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
//!   no-break space to sit on;
//! - a grapheme (a letter and the marks on it, an emoji sequence) of more
//!   than 33 characters, a letter and 32 marks, which no language writes
//!   but a file may hold at any length, is shown as its first character
//!   and `�`: so what a row costs to lay out and draw never grows with its
//!   graphemes.
//!
//! The stored text is never changed: this is for showing it. The story
//! document, which must come back from an editor as it went out, keeps
//! everything but control characters ([`one_line_as_written`]).

use std::borrow::Cow;
use std::ops::{ControlFlow, Range};

use ratatui::buffer::CellWidth;
use unicode_properties::{GeneralCategory, UnicodeEmoji, UnicodeGeneralCategory, emoji};
use unicode_segmentation::GraphemeCursor;
use unicode_width::UnicodeWidthChar;

/// Characters looked at while text is shown, counted in tests: the work
/// of showing text must grow with the text and no faster, and a count
/// says so on any machine, where a time would not.
#[cfg(test)]
pub(crate) mod examined {
    use std::cell::Cell;

    thread_local! {
        static COUNT: Cell<usize> = const { Cell::new(0) };
    }

    pub fn add(chars: usize) {
        COUNT.with(|count| count.set(count.get() + chars));
    }

    /// The count since it was last taken.
    pub fn take() -> usize {
        COUNT.with(|count| count.replace(0))
    }
}

#[cfg(not(test))]
pub(crate) mod examined {
    pub fn add(_chars: usize) {}
}

/// The most characters a grapheme is shown with: a letter and 32 marks
/// on it, far more than any script stacks.
const MOST_IN_A_GRAPHEME: usize = 33;

/// How much of a grapheme too long to show is kept to find where it ends:
/// a few characters, enough for the rules that look back (an emoji
/// joined on, a conjunct's consonant after a virama).
const KEPT_OF_TOO_LONG: usize = 8;

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

/// Each grapheme of `text` as [`one_line`] shows it, in order, with the
/// bytes of `text` it shows, until `each` breaks: for the stretch of a
/// long text that shows, at the cost of the text read so far. The ranges
/// cover the text end to end (unless it shows nothing); what is not shown
/// (a `\r`, the rest of a grapheme too long to show) belongs to the
/// grapheme before it, or at the start, to the first.
pub fn one_line_graphemes<B>(
    text: &str,
    mut each: impl FnMut(&str, Range<usize>) -> ControlFlow<B>,
) -> ControlFlow<B> {
    let mut cleaner = Cleaner::new(Lines::One, Invisible::StandIn);
    // The grapheme being read: what it shows, and where in `text` it starts.
    let mut grapheme = String::new();
    let mut from = 0;
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < text.len() {
        // Printable ASCII between printable ASCII is a grapheme of its own,
        // shown as written: most text is only that, read at a byte's cost.
        if cleaner.grapheme.ends_in_ascii()
            && is_printable_ascii(bytes[at])
            && bytes
                .get(at + 1)
                .is_none_or(|&next| is_printable_ascii(next))
        {
            if !grapheme.is_empty() {
                each(&grapheme, from..at)?;
                grapheme.clear();
                from = at;
            }
            cleaner.plain(char::from(bytes[at]));
            // What showed nothing before it, at the start, is its.
            each(&text[at..=at], from..at + 1)?;
            at += 1;
            from = at;
            continue;
        }
        let c = text[at..].chars().next().unwrap_or_default();
        let next = at + c.len_utf8();
        let shown = cleaner.step(c, &text[next..]);
        for &(shown, starts) in shown.as_slice() {
            if starts && !grapheme.is_empty() {
                each(&grapheme, from..at)?;
                grapheme.clear();
                from = at;
            }
            grapheme.push(shown);
        }
        at = next;
    }
    if !grapheme.is_empty() {
        each(&grapheme, from..text.len())?;
    }
    ControlFlow::Continue(())
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
    // Printable ASCII is shown as it is and never attaches to what came
    // before: most text is only that, and is passed over at a byte's cost.
    let plain = text.bytes().position(|b| !is_printable_ascii(b));
    examined::add(plain.unwrap_or(text.len()));
    if plain.is_none() {
        return Cow::Borrowed(text);
    }
    let mut cleaner = Cleaner::new(lines, invisible);
    let mut out: Option<String> = None;
    for (at, c) in text.char_indices() {
        if matches!(c, ' '..='~') && cleaner.grapheme.ends_in_ascii() {
            cleaner.plain(c);
            if let Some(out) = &mut out {
                out.push(c);
            }
            continue;
        }
        let shown = cleaner.step(c, &text[at + c.len_utf8()..]);
        let shown = shown.as_slice();
        if out.is_none() && matches!(shown, [(same, _)] if *same == c) {
            continue;
        }
        out.get_or_insert_with(|| text[..at].to_string())
            .extend(shown.iter().map(|&(shown, _)| shown));
    }
    out.map_or(Cow::Borrowed(text), Cow::Owned)
}

fn is_printable_ascii(byte: u8) -> bool {
    (b' '..=b'~').contains(&byte)
}

/// How far a text has been shown: what the next character is shown as
/// depends on what came before it, on its line and in its grapheme.
#[derive(Clone)]
struct Cleaner {
    lines: Lines,
    invisible: Invisible,
    /// The last character on this line that was not an extender (a mark,
    /// a skin tone, a kept joiner or tag): what the next one attaches to.
    base: Option<char>,
    grapheme: Grapheme,
}

/// The characters one source character is shown as (at most two: a mark
/// and the base it is given), each with whether it starts a grapheme.
#[derive(Default)]
struct Step {
    shown: [(char, bool); 2],
    len: usize,
}

impl Step {
    fn push(&mut self, c: char, starts: bool) {
        self.shown[self.len] = (c, starts);
        self.len += 1;
    }

    fn as_slice(&self) -> &[(char, bool)] {
        &self.shown[..self.len]
    }
}

impl Cleaner {
    fn new(lines: Lines, invisible: Invisible) -> Self {
        Cleaner {
            lines,
            invisible,
            base: None,
            grapheme: Grapheme::default(),
        }
    }

    /// Show printable ASCII `c`, which starts a grapheme (the one before
    /// ends in ASCII) and is shown as written.
    fn plain(&mut self, c: char) {
        examined::add(1);
        self.base = Some(c);
        self.grapheme.start(c);
    }

    /// Show `c`, which `rest` follows.
    fn step(&mut self, c: char, rest: &str) -> Step {
        examined::add(1);
        let (drawn, count) = self.drawn(c, rest);
        let mut step = Step::default();
        // Text as written is kept whole, however long its graphemes.
        if self.invisible == Invisible::Kept {
            for &d in &drawn[..count] {
                step.push(d, false);
            }
            return step;
        }
        for (i, &d) in drawn[..count].iter().enumerate() {
            if !self.grapheme.goes_on_with(d) {
                step.push(d, true);
            } else if self.grapheme.too_long {
                // Dropped: the grapheme shows as its start and a stand-in.
            } else if self.grapheme.chars == 2
                && self.clone().grapheme_length(&drawn[i + 1..count], rest) > MOST_IN_A_GRAPHEME
            {
                self.grapheme.too_long = true;
                step.push(STAND_IN, true);
            } else {
                step.push(d, false);
            }
        }
        step
    }

    /// What `c` is drawn as, a grapheme's length aside: up to two
    /// characters, and how many.
    fn drawn(&mut self, c: char, rest: &str) -> ([char; 2], usize) {
        if matches!(c, ' '..='~') {
            self.base = Some(c);
            return ([c, c], 1);
        }
        let next = rest.chars().next();
        let (drawn, count) = match show(c, self.base, next, self.lines, self.invisible) {
            Shown::Same => ([c, c], 1),
            Shown::As(stand_in) => ([stand_in, stand_in], 1),
            Shown::Dropped => ([c, c], 0),
            Shown::Based => {
                self.base = Some(MARK_BASE);
                ([MARK_BASE, c], 2)
            }
        };
        if count > 0 {
            match drawn[count - 1] {
                '\n' => self.base = None,
                last if !is_extender(last) => self.base = Some(last),
                _ => {}
            }
        }
        (drawn, count)
    }

    /// How many characters the grapheme being shown has, `drawn` and then
    /// `rest` still to come, counted as far as one more than is shown.
    fn grapheme_length(mut self, drawn: &[char], rest: &str) -> usize {
        let mut ahead = rest.char_indices();
        let mut pending = [' '; 2];
        let mut count = drawn.len();
        pending[..count].copy_from_slice(drawn);
        loop {
            for &d in &pending[..count] {
                let so_far = self.grapheme.chars;
                if !self.grapheme.goes_on_with(d) {
                    return so_far;
                }
                if so_far == MOST_IN_A_GRAPHEME {
                    return so_far + 1;
                }
            }
            let Some((at, c)) = ahead.next() else {
                return self.grapheme.chars;
            };
            examined::add(1);
            (pending, count) = self.drawn(c, &rest[at + c.len_utf8()..]);
        }
    }
}

/// The grapheme being shown, as much of it as tells where it ends.
#[derive(Clone, Default)]
struct Grapheme {
    /// What it shows so far, before any is dropped: all of it, or the last
    /// few characters once it is too long.
    drawn: String,
    last: Option<char>,
    /// Characters in it so far.
    chars: usize,
    /// It has more characters than are shown.
    too_long: bool,
}

impl Grapheme {
    /// Whether `c` goes on this grapheme rather than starting the next,
    /// which it then does.
    fn goes_on_with(&mut self, c: char) -> bool {
        let goes_on = match self.last {
            None => false,
            // Only a prepended mark joins the character after it, and
            // none is ASCII.
            Some(last) if last.is_ascii() && c.is_ascii() => false,
            Some(_) => {
                // The rules of where a grapheme ends (Unicode's UAX #29)
                // need what it holds since it started, or for one too
                // long to show, its last few characters.
                self.drawn.push(c);
                let len = self.drawn.len();
                !GraphemeCursor::new(len - c.len_utf8(), len, true)
                    .is_boundary(&self.drawn, 0)
                    .unwrap_or(true)
            }
        };
        self.last = Some(c);
        if goes_on {
            self.chars += 1;
            if self.too_long && self.drawn.len() > 4 * MOST_IN_A_GRAPHEME {
                let keep = self
                    .drawn
                    .char_indices()
                    .rev()
                    .nth(KEPT_OF_TOO_LONG - 1)
                    .map_or(0, |(at, _)| at);
                self.drawn.drain(..keep);
            }
        } else {
            self.start(c);
        }
        goes_on
    }

    /// Start the next grapheme with `c`.
    fn start(&mut self, c: char) {
        self.drawn.clear();
        self.drawn.push(c);
        self.last = Some(c);
        self.chars = 1;
        self.too_long = false;
    }

    /// Whether it ends in ASCII, which nothing ASCII joins on to.
    fn ends_in_ascii(&self) -> bool {
        self.last.is_none_or(|last| last.is_ascii())
    }
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
    fn a_letter_with_too_many_marks_shows_as_the_letter_and_a_stand_in() {
        let marks = "\u{301}".repeat(32);
        let most = format!("e{marks} t");
        assert!(matches!(one_line(&most), Cow::Borrowed(_)));
        assert_eq!(one_line(&format!("e{marks}\u{301} t")), "e\u{fffd} t");
        assert_eq!(
            multi_line(&format!("a\n{marks}\u{301}\nb")),
            "a\n\u{a0}\u{fffd}\nb"
        );
        // Any grapheme too long: jamo that make one Hangul syllable, emoji
        // joined on and on.
        let jamo = "\u{1100}".repeat(40);
        assert_eq!(one_line(&format!("{jamo}\u{1161}!")), "\u{1100}\u{fffd}!");
        let joined = "\u{1f468}\u{200d}".repeat(20);
        assert_eq!(
            one_line(&format!("{joined}\u{1f467} ok")),
            "\u{1f468}\u{fffd} ok"
        );
        // Text as written keeps them whole.
        let long = format!("e{marks}\u{301}");
        assert!(matches!(one_line_as_written(&long), Cow::Borrowed(_)));
    }

    /// `text` shown by `show`, and how many characters were looked at.
    fn looked_at<T>(text: &str, show: impl Fn(&str) -> T) -> (T, usize) {
        examined::take();
        let shown = show(text);
        (shown, examined::take())
    }

    #[test]
    fn a_huge_title_is_shown_at_the_cost_of_its_length() {
        // What `list` and `show` print: a title from a file older than the
        // title limit, one letter under 300,000 marks.
        let title = format!("a{} end", "\u{301}".repeat(300_000));
        let chars = title.chars().count();
        for show in [one_line, multi_line] {
            let (shown, looked) = looked_at(&title, |title| show(title).into_owned());
            assert!(looked <= 2 * chars, "{looked} characters looked at");
            assert!(shown == "a\u{fffd} end", "{} characters shown", shown.len());
        }
        let (shown, looked) = looked_at(&title, |title| {
            let mut shown = String::new();
            let _ = one_line_graphemes(title, |grapheme, _| {
                shown.push_str(grapheme);
                ControlFlow::<()>::Continue(())
            });
            shown
        });
        assert!(looked <= 2 * chars, "{looked} characters looked at");
        assert!(shown == "a\u{fffd} end", "{} characters shown", shown.len());
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
        fn a_text_shown_grapheme_by_grapheme_reads_as_shown_whole(
            text in proptest::collection::vec(tricky_char(), 0..16),
        ) {
            let text: String = text.into_iter().collect();
            let whole = one_line(&text);
            let mut graphemes = Vec::new();
            let mut covered = 0;
            let _ = one_line_graphemes(&text, |grapheme, source| {
                assert_eq!(source.start, covered, "{text:?}");
                covered = source.end;
                graphemes.push(grapheme.to_string());
                ControlFlow::<()>::Continue(())
            });
            // Text that shows nothing (a lone `\r`) has no grapheme.
            prop_assert!(covered == text.len() || graphemes.is_empty());
            // The graphemes are those of the text shown, as anything
            // that draws it finds them.
            let found: Vec<&str> = whole.graphemes(true).collect();
            prop_assert_eq!(graphemes, found);
        }

        #[test]
        fn a_grapheme_too_long_is_its_start_and_a_stand_in(
            start in tricky_char(),
            more in proptest::collection::vec(tricky_char(), 40..80),
            end in tricky_char(),
        ) {
            let text: String = std::iter::once(start).chain(more).chain([end]).collect();
            let mut longest = 0;
            let _ = one_line_graphemes(&text, |grapheme, _| {
                longest = longest.max(grapheme.chars().count());
                ControlFlow::<()>::Continue(())
            });
            prop_assert!(longest <= MOST_IN_A_GRAPHEME, "{:?}", text);
            for grapheme in one_line(&text).graphemes(true) {
                prop_assert!(grapheme.chars().count() <= MOST_IN_A_GRAPHEME + 1, "{:?}", text);
            }
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
