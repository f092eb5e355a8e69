//! How wide this terminal draws emoji sequences, asked once at start-up.
//!
//! The layout gives each grapheme the columns unicode-width gives it, and
//! terminals agree with that on single characters, but not on sequences:
//! tmux 3.3a draws a skin-toned emoji as the emoji and a separate swatch
//! (four columns, not two), and a keycap or an emoji-style heart in one.
//! A cell drawn wider than the layout gave it overwrites what follows (the
//! coder in "coder 🧑🏽‍💻 end" ate the rest of the sequence); drawn
//! narrower, it leaves a stale column. So before anything is drawn, one
//! sample of each kind of sequence is written, and the terminal asked
//! where its cursor went; the answers are read by the key reader's parser,
//! so a key typed meanwhile is never lost. A kind it draws otherwise than the layout is
//! then drawn in a form whose width every terminal agrees on, as wide as
//! the layout gave it ([`Emoji::drawn`]); the text itself is untouched.

use std::borrow::Cow;
use std::io::{self, Write};
use std::time::Duration;

use ratatui::buffer::CellWidth;
use unicode_properties::emoji;
use unicode_width::UnicodeWidthChar;

/// A kind of sequence terminals may draw otherwise than the layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sequence {
    /// Pictographs joined by zero-width joiners: 👨‍👩‍👧.
    Joined,
    /// An emoji with a skin tone: 👍🏽.
    SkinTone,
    /// A keycap: 1️⃣.
    Keycap,
    /// A character that is text by default, asked to be an emoji: ❤️.
    EmojiStyle,
    /// Two regional indicators: 🇫🇷.
    Flag,
    /// A black flag and tags: the flag of England.
    Tags,
}

impl Sequence {
    const ALL: [Sequence; 6] = [
        Sequence::Joined,
        Sequence::SkinTone,
        Sequence::Keycap,
        Sequence::EmojiStyle,
        Sequence::Flag,
        Sequence::Tags,
    ];

    /// What the terminal is asked to draw for this kind.
    #[must_use]
    pub fn sample(self) -> &'static str {
        match self {
            Sequence::Joined => "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}",
            Sequence::SkinTone => "\u{1f44d}\u{1f3fd}",
            Sequence::Keycap => "1\u{fe0f}\u{20e3}",
            Sequence::EmojiStyle => "\u{2764}\u{fe0f}",
            Sequence::Flag => "\u{1f1eb}\u{1f1f7}",
            Sequence::Tags => "\u{1f3f4}\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}",
        }
    }

    /// Whether `grapheme` is, or holds, a sequence of this kind.
    fn is_in(self, grapheme: &str) -> bool {
        let mut chars = grapheme.chars();
        match self {
            Sequence::Joined => grapheme.contains('\u{200d}'),
            Sequence::SkinTone => chars
                .skip(1)
                .any(|c| matches!(c, '\u{1f3fb}'..='\u{1f3ff}')),
            Sequence::Keycap => grapheme.contains('\u{20e3}'),
            Sequence::EmojiStyle => grapheme.contains('\u{fe0f}'),
            Sequence::Flag => {
                chars.next().is_some_and(emoji::is_regional_indicator)
                    && chars.next().is_some_and(emoji::is_regional_indicator)
            }
            Sequence::Tags => grapheme.chars().any(emoji::is_tag_character),
        }
    }
}

/// How wide this terminal draws each kind of sequence, as far as it said.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Emoji {
    /// The columns the terminal drew each sample in, in the order of
    /// [`Sequence::ALL`]; `None` where it did not say.
    widths: [Option<u16>; 6],
    /// Whether that is not what the layout gives the sample.
    differs: [bool; 6],
}

impl Emoji {
    /// The terminal drew the kind `sequence` in `columns` columns.
    #[must_use]
    pub fn with(mut self, sequence: Sequence, columns: u16) -> Emoji {
        if let Some(at) = Sequence::ALL.iter().position(|&s| s == sequence) {
            self.widths[at] = Some(columns);
            self.differs[at] = columns != sequence.sample().cell_width();
        }
        self
    }

    /// What a cell holding `symbol` draws on this terminal: itself, unless
    /// it is (or holds) a kind of sequence this terminal draws otherwise
    /// than the layout. Then it draws as [`plain`] draws it: as wide as the
    /// layout gave it, in characters whose width terminals agree on.
    #[must_use]
    pub fn drawn<'a>(&self, symbol: &'a str) -> Cow<'a, str> {
        // Every cell of every frame comes here: most are one character.
        if !self.differs.contains(&true) || symbol.chars().nth(1).is_none() {
            return Cow::Borrowed(symbol);
        }
        let differs = Sequence::ALL
            .iter()
            .zip(self.differs)
            .any(|(sequence, differs)| differs && sequence.is_in(symbol));
        if differs {
            Cow::Owned(plain(symbol))
        } else {
            Cow::Borrowed(symbol)
        }
    }
}

/// `grapheme` in a form whose width terminals agree on, as wide as the
/// layout gives the grapheme: a flag as its two letters (🇫🇷 as `FR`);
/// anything else as its first character, padded with spaces (🧑🏽‍💻 as 🧑,
/// 1️⃣ as `1 `, ❤️ as `❤ `).
#[must_use]
pub fn plain(grapheme: &str) -> String {
    let columns = usize::from(grapheme.cell_width()).max(1);
    let mut chars = grapheme.chars();
    let (mut shown, used) = match (chars.next(), chars.next()) {
        (Some(a), Some(b))
            if emoji::is_regional_indicator(a) && emoji::is_regional_indicator(b) =>
        {
            (format!("{}{}", letter(a), letter(b)), 2)
        }
        (Some(first), _) => match first.width() {
            Some(width @ 1..=2) if width <= columns => (first.to_string(), width),
            _ => ("\u{fffd}".to_string(), 1),
        },
        (None, _) => (String::new(), 0),
    };
    shown.extend(std::iter::repeat_n(' ', columns.saturating_sub(used)));
    shown
}

/// The capital letter a regional indicator stands for.
fn letter(indicator: char) -> char {
    let offset = u32::from(indicator) - 0x1f1e6;
    char::from_u32(u32::from('A') + offset).unwrap_or('?')
}

/// The terminal's input, as the probe needs it: never read by the probe
/// itself, so that keys typed meanwhile reach the key reader as the keys
/// they are.
pub trait Replies {
    /// Whether input is waiting to be read, waiting up to `wait` for some
    /// to come. Nothing is read.
    ///
    /// # Errors
    /// When the terminal cannot be looked at.
    fn waiting(&mut self, wait: Duration) -> io::Result<bool>;

    /// The column (counted from 0) of the next report of the cursor's
    /// position, read by the key reader's own parser: anything else it
    /// reads meanwhile (a key) is kept there for the key reader.
    ///
    /// # Errors
    /// When no report comes, or the terminal cannot be read.
    fn column(&mut self) -> io::Result<u16>;
}

/// Ask the terminal how wide it draws each kind of sequence: each sample
/// is written at the top left and followed by a request for the cursor's
/// position (DSR 6), whose answers come back in the same order; then the
/// row is cleared. A terminal that does not start answering within `wait`
/// is taken to draw each kind as the layout does.
///
/// Input is never read here (see [`Replies`]), so no key is lost: keys
/// typed ahead are waiting before anything is asked, and then nothing is
/// (the answers would come after them); a key pressed while the answers
/// come is kept for the key reader by the parser that reads them.
///
/// # Errors
/// When the terminal cannot be written to. A terminal that cannot be
/// read is taken as not answering.
pub fn ask(out: &mut impl Write, replies: &mut impl Replies, wait: Duration) -> io::Result<Emoji> {
    if replies.waiting(Duration::ZERO).unwrap_or(true) {
        return Ok(Emoji::default());
    }
    let mut question = String::new();
    for sequence in Sequence::ALL {
        question.push_str("\x1b[1;1H");
        question.push_str(sequence.sample());
        question.push_str("\x1b[6n");
    }
    question.push_str("\x1b[1;1H\x1b[2K");
    out.write_all(question.as_bytes())?;
    out.flush()?;

    // Only once something has come is it read: the parser waits for each
    // report as long as it likes, and a terminal that never answers must
    // not hold up the start. Answers later than `wait` reach the key
    // reader, which takes them for what they are, not for keys.
    if !replies.waiting(wait).unwrap_or(false) {
        return Ok(Emoji::default());
    }
    let mut emoji = Emoji::default();
    for sequence in Sequence::ALL {
        match replies.column() {
            Ok(column) => emoji = emoji.with(sequence, column),
            Err(_) => break,
        }
    }
    Ok(emoji)
}

/// The terminal the TUI runs in: standard input, looked at with `poll`,
/// and read through crossterm's event reader, the one the key reader uses.
#[cfg(unix)]
struct Terminal;

#[cfg(unix)]
impl Replies for Terminal {
    fn waiting(&mut self, wait: Duration) -> io::Result<bool> {
        use std::os::fd::AsFd;

        use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

        let stdin = io::stdin();
        let mut ready = [PollFd::new(stdin.as_fd(), PollFlags::POLLIN)];
        let wait = PollTimeout::try_from(wait).unwrap_or(PollTimeout::MAX);
        if poll(&mut ready, wait)? == 0 {
            return Ok(false);
        }
        // A terminal that hung up answers nothing, and crossterm's reader
        // would wait on it for ever (crossterm issue #793).
        let gone = PollFlags::POLLHUP | PollFlags::POLLERR | PollFlags::POLLNVAL;
        Ok(ready[0]
            .revents()
            .is_some_and(|r| r.contains(PollFlags::POLLIN) && !r.intersects(gone)))
    }

    fn column(&mut self) -> io::Result<u16> {
        // It asks once more itself, and takes the first report that comes:
        // the answer to our question. The answers to its own come later
        // and are kept by the reader unread, as reports, never as keys.
        ratatui::crossterm::cursor::position().map(|(column, _)| column)
    }
}

/// How wide the terminal on standard output draws each kind of sequence:
/// [`ask`]ed with a fifth of a second to start answering, on the
/// alternate screen before the key reader starts and anything is drawn.
#[must_use]
pub fn ask_terminal() -> Emoji {
    #[cfg(unix)]
    {
        ask(&mut io::stdout(), &mut Terminal, Duration::from_millis(200)).unwrap_or_default()
    }
    #[cfg(not(unix))]
    {
        Emoji::default()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use super::*;

    /// What tmux 3.3a said when asked by hand: a skin tone, a keycap and
    /// an emoji-style character are drawn otherwise; the rest as laid out.
    fn tmux() -> Emoji {
        Emoji::default()
            .with(Sequence::Joined, 2)
            .with(Sequence::SkinTone, 4)
            .with(Sequence::Keycap, 1)
            .with(Sequence::EmojiStyle, 1)
            .with(Sequence::Flag, 2)
            .with(Sequence::Tags, 2)
    }

    const CODER: &str = "\u{1f9d1}\u{1f3fd}\u{200d}\u{1f4bb}";
    const RAINBOW: &str = "\u{1f3f3}\u{fe0f}\u{200d}\u{1f308}";

    #[test]
    fn a_terminal_that_agrees_has_nothing_redrawn() {
        let agrees = Sequence::ALL
            .into_iter()
            .fold(Emoji::default(), |emoji, s| {
                emoji.with(s, s.sample().cell_width())
            });
        for emoji in [agrees, Emoji::default()] {
            for symbol in Sequence::ALL
                .map(Sequence::sample)
                .into_iter()
                .chain([CODER, RAINBOW, "a", "e\u{301}", "日"])
            {
                assert!(matches!(emoji.drawn(symbol), Cow::Borrowed(_)), "{symbol}");
            }
        }
    }

    #[test]
    fn each_kind_drawn_otherwise_is_drawn_plain_and_as_wide() {
        for (sequence, plain) in [
            (Sequence::Joined, "\u{1f468}"),
            (Sequence::SkinTone, "\u{1f44d}"),
            (Sequence::Keycap, "1 "),
            (Sequence::EmojiStyle, "\u{2764} "),
            (Sequence::Flag, "FR"),
            (Sequence::Tags, "\u{1f3f4}"),
        ] {
            let sample = sequence.sample();
            let emoji = Emoji::default().with(sequence, 1 + sample.cell_width());
            let drawn = emoji.drawn(sample);
            assert_eq!(drawn, plain, "{sequence:?}");
            assert_eq!(drawn.cell_width(), sample.cell_width(), "{sequence:?}");
            // Only that kind.
            for other in Sequence::ALL.into_iter().filter(|&s| s != sequence) {
                if !sequence.is_in(other.sample()) {
                    assert_eq!(emoji.drawn(other.sample()), other.sample());
                }
            }
        }
    }

    #[test]
    fn a_sequence_of_several_kinds_is_drawn_plain_if_any_is_drawn_otherwise() {
        let tmux = tmux();
        assert_eq!(tmux.drawn(CODER), "\u{1f9d1}");
        assert_eq!(tmux.drawn(RAINBOW), "\u{1f3f3} ");
        assert_eq!(tmux.drawn("\u{1f44d}\u{1f3fd}"), "\u{1f44d}");
        // The family and the flags tmux draws as laid out.
        let family = Sequence::Joined.sample();
        assert_eq!(tmux.drawn(family), family);
        assert_eq!(tmux.drawn("\u{1f1eb}\u{1f1f7}"), "\u{1f1eb}\u{1f1f7}");
        let joined_only = Emoji::default().with(Sequence::Joined, 4);
        assert_eq!(joined_only.drawn(CODER), "\u{1f9d1}");
        assert_eq!(
            joined_only.drawn("\u{1f44d}\u{1f3fd}"),
            "\u{1f44d}\u{1f3fd}"
        );
    }

    /// A terminal that has keys typed ahead or not, and, once asked,
    /// answers with `columns` in turn, then no more.
    struct Fake {
        typed_ahead: bool,
        columns: VecDeque<u16>,
        /// How long it was waited on for input.
        waited: Vec<Duration>,
        asked: usize,
    }

    impl Replies for Fake {
        fn waiting(&mut self, wait: Duration) -> io::Result<bool> {
            // Answers come only once asked, after the first look.
            let asked = !self.waited.is_empty();
            self.waited.push(wait);
            Ok(self.typed_ahead || (asked && !self.columns.is_empty()))
        }

        fn column(&mut self) -> io::Result<u16> {
            self.asked += 1;
            self.columns
                .pop_front()
                .ok_or_else(|| io::Error::other("no report within 2 s"))
        }
    }

    fn fake(typed_ahead: bool, columns: &[u16]) -> Fake {
        Fake {
            typed_ahead,
            columns: columns.iter().copied().collect(),
            waited: Vec::new(),
            asked: 0,
        }
    }

    const WAIT: Duration = Duration::from_millis(200);

    #[test]
    fn the_answers_give_each_kind_its_width() {
        let mut written = Vec::new();
        let mut terminal = fake(false, &[2, 4, 1, 1, 2, 2]);
        let emoji = ask(&mut written, &mut terminal, WAIT).unwrap();
        assert_eq!(emoji, tmux());
        // Each sample at the top left, then the question; the row is left
        // empty, the cursor at the top left.
        let written = String::from_utf8(written).unwrap();
        let expected: String = Sequence::ALL
            .iter()
            .map(|s| format!("\x1b[1;1H{}\x1b[6n", s.sample()))
            .chain(["\x1b[1;1H\x1b[2K".to_string()])
            .collect();
        assert_eq!(written, expected);
        // Input is looked for before asking, and then waited for.
        assert_eq!(terminal.waited, [Duration::ZERO, WAIT]);
        assert_eq!(terminal.asked, 6);
    }

    #[test]
    fn keys_typed_ahead_are_left_for_the_key_reader_and_nothing_is_asked() {
        let mut written = Vec::new();
        let mut terminal = fake(true, &[]);
        let emoji = ask(&mut written, &mut terminal, WAIT).unwrap();
        assert_eq!(emoji, Emoji::default());
        assert!(written.is_empty());
        assert_eq!(terminal.waited, [Duration::ZERO]);
        assert_eq!(terminal.asked, 0, "nothing is read");
    }

    #[test]
    fn a_terminal_that_does_not_answer_is_taken_to_draw_as_laid_out() {
        let mut terminal = fake(false, &[]);
        let emoji = ask(&mut Vec::new(), &mut terminal, WAIT).unwrap();
        assert_eq!(emoji, Emoji::default());
        assert_eq!(terminal.waited, [Duration::ZERO, WAIT]);
        assert_eq!(terminal.asked, 0, "nothing is read");
    }

    #[test]
    fn a_terminal_that_stops_answering_is_taken_at_what_it_said() {
        let mut terminal = fake(false, &[2, 4]);
        let emoji = ask(&mut Vec::new(), &mut terminal, WAIT).unwrap();
        assert_eq!(
            emoji,
            Emoji::default()
                .with(Sequence::Joined, 2)
                .with(Sequence::SkinTone, 4)
        );
        assert_eq!(terminal.asked, 3, "no more asked once one failed");
    }

    #[test]
    fn a_terminal_that_cannot_be_looked_at_is_not_asked() {
        struct Broken;
        impl Replies for Broken {
            fn waiting(&mut self, _: Duration) -> io::Result<bool> {
                Err(io::Error::other("gone"))
            }
            fn column(&mut self) -> io::Result<u16> {
                unreachable!("never read")
            }
        }
        let mut written = Vec::new();
        let emoji = ask(&mut written, &mut Broken, WAIT).unwrap();
        assert_eq!(emoji, Emoji::default());
        assert!(written.is_empty());
    }
}
