//! How wide this terminal draws emoji sequences, asked once at start-up.
//!
//! The layout gives each grapheme the columns unicode-width gives it, and
//! terminals agree with that on single characters, but not on sequences:
//! tmux 3.3a draws a skin-toned emoji as the emoji and a separate swatch
//! (four columns, not two), and a keycap or an emoji-style heart in one.
//! A cell drawn wider than the layout gave it overwrites what follows (the
//! coder in "coder 🧑🏽‍💻 end" ate the rest of the sequence); drawn
//! narrower, it leaves a stale column. So before anything reads the keys,
//! one sample of each kind of sequence is written, and the terminal asked
//! where its cursor went. A kind it draws otherwise than the layout is
//! then drawn in a form whose width every terminal agrees on, as wide as
//! the layout gave it ([`Emoji::drawn`]); the text itself is untouched.

use std::borrow::Cow;
use std::io::{self, Write};
use std::time::{Duration, Instant};

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

/// Where the terminal's answers are read from, waiting at most so long.
pub trait Replies {
    /// Read what has come, waiting up to `wait` for something to; 0 when
    /// nothing came in time.
    ///
    /// # Errors
    /// When the terminal cannot be read.
    fn read(&mut self, buffer: &mut [u8], wait: Duration) -> io::Result<usize>;
}

/// Ask the terminal how wide it draws each kind of sequence: each sample
/// is written at the top left and followed by a request for the cursor's
/// position (DSR 6), whose answers come back in the same order; then the
/// row is cleared. A terminal that does not answer within `wait` (nor
/// finish an answer it started soon after) is taken to draw each kind as
/// the layout does. Anything else read meanwhile, such as a key pressed,
/// is lost.
///
/// # Errors
/// When the terminal cannot be written to. A failed read is taken as no
/// answer.
pub fn ask(out: &mut impl Write, replies: &mut impl Replies, wait: Duration) -> io::Result<Emoji> {
    let mut question = String::new();
    for sequence in Sequence::ALL {
        question.push_str("\x1b[1;1H");
        question.push_str(sequence.sample());
        question.push_str("\x1b[6n");
    }
    question.push_str("\x1b[1;1H\x1b[2K");
    out.write_all(question.as_bytes())?;
    out.flush()?;

    let start = Instant::now();
    // An answer begun just before the deadline gets a little longer, so
    // that its end is not taken for keys.
    let grace = wait + Duration::from_millis(50);
    let mut heard = Vec::new();
    let mut buffer = [0; 256];
    loop {
        let (columns, unfinished) = positions(&heard);
        let elapsed = start.elapsed();
        let limit = if unfinished { grace } else { wait };
        if columns.len() >= Sequence::ALL.len() || elapsed >= limit {
            let emoji = Sequence::ALL
                .into_iter()
                .zip(columns)
                .fold(Emoji::default(), |emoji, (sequence, column)| {
                    emoji.with(sequence, column.saturating_sub(1))
                });
            return Ok(emoji);
        }
        match replies.read(&mut buffer, limit.saturating_sub(elapsed)) {
            Ok(read) => heard.extend_from_slice(&buffer[..read]),
            Err(_) => return Ok(Emoji::default()),
        }
    }
}

/// The columns (counted from 1) of the cursor position reports in
/// `heard`, `ESC [ row ; column R`, in order, skipping anything else; and
/// whether it ends in the middle of one.
fn positions(heard: &[u8]) -> (Vec<u16>, bool) {
    let mut columns = Vec::new();
    let mut rest = heard;
    while let Some(at) = rest.iter().position(|&b| b == 0x1b) {
        rest = &rest[at..];
        let Some(report) = rest.strip_prefix(b"\x1b[") else {
            if rest.len() == 1 {
                return (columns, true);
            }
            rest = &rest[1..];
            continue;
        };
        let digits = report
            .iter()
            .take_while(|b| b.is_ascii_digit() || **b == b';')
            .count();
        match report.get(digits) {
            None => return (columns, true),
            Some(b'R') => {
                let numbers = std::str::from_utf8(&report[..digits]).unwrap_or_default();
                if let Some((_, column)) = numbers.split_once(';')
                    && let Ok(column) = column.parse()
                {
                    columns.push(column);
                }
            }
            Some(_) => {}
        }
        rest = &report[digits..];
    }
    (columns, false)
}

/// The terminal the TUI runs in, read straight from standard input.
#[cfg(unix)]
struct Terminal;

#[cfg(unix)]
impl Replies for Terminal {
    fn read(&mut self, buffer: &mut [u8], wait: Duration) -> io::Result<usize> {
        use std::os::fd::AsFd;

        use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

        let stdin = io::stdin();
        let mut ready = [PollFd::new(stdin.as_fd(), PollFlags::POLLIN)];
        let wait = PollTimeout::try_from(wait).unwrap_or(PollTimeout::MAX);
        if poll(&mut ready, wait)? == 0 {
            return Ok(0);
        }
        // From the file descriptor, not `Stdin`, whose buffer would keep
        // what it read past the answers from the key reader.
        Ok(nix::unistd::read(stdin.as_fd(), buffer)?)
    }
}

/// How wide the terminal on standard output draws each kind of sequence:
/// [`ask`]ed with a fifth of a second to answer, on the alternate screen
/// before the key reader starts (which would take the answers for keys).
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

    /// A terminal that answers with `replies`, one read at a time, each
    /// after `delay`, and then says nothing.
    struct Fake {
        replies: VecDeque<&'static [u8]>,
        delay: Duration,
        waited: Duration,
    }

    impl Replies for Fake {
        fn read(&mut self, buffer: &mut [u8], wait: Duration) -> io::Result<usize> {
            let Some(&reply) = self.replies.front() else {
                std::thread::sleep(wait);
                self.waited += wait;
                return Ok(0);
            };
            if self.delay > wait {
                std::thread::sleep(wait);
                self.waited += wait;
                self.delay -= wait;
                return Ok(0);
            }
            std::thread::sleep(self.delay);
            self.waited += self.delay;
            buffer[..reply.len()].copy_from_slice(reply);
            self.replies.pop_front();
            Ok(reply.len())
        }
    }

    fn fake(replies: &[&'static [u8]], delay: Duration) -> Fake {
        Fake {
            replies: replies.iter().copied().collect(),
            delay,
            waited: Duration::ZERO,
        }
    }

    #[test]
    fn the_answers_give_each_kind_its_width() {
        let mut written = Vec::new();
        // A key pressed meanwhile ("x", an arrow) is passed over.
        let mut terminal = fake(
            &[
                b"\x1b[1;3R\x1b[1;5Rx\x1b[A\x1b[1;",
                b"2R\x1b[1;2R",
                b"\x1b[1;3R\x1b[1;3R",
            ],
            Duration::ZERO,
        );
        let emoji = ask(&mut written, &mut terminal, Duration::from_millis(200)).unwrap();
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
        assert_eq!(terminal.waited, Duration::ZERO, "no waiting once all came");
    }

    #[test]
    fn a_terminal_that_does_not_answer_is_taken_to_draw_as_laid_out() {
        let wait = Duration::from_millis(30);
        let mut silent = fake(&[], Duration::ZERO);
        let start = Instant::now();
        let emoji = ask(&mut Vec::new(), &mut silent, wait).unwrap();
        assert_eq!(emoji, Emoji::default());
        assert!(start.elapsed() < wait + Duration::from_millis(100));
        // Answers too late are left (the key reader takes them for what
        // they are); those in time count.
        let mut slow = fake(&[b"\x1b[1;3R", b"\x1b[1;5R"], Duration::from_millis(20));
        let emoji = ask(&mut Vec::new(), &mut slow, wait).unwrap();
        assert_eq!(emoji, Emoji::default().with(Sequence::Joined, 2));
        // An answer begun in time is read to its end.
        let mut cut = fake(&[b"\x1b[1;3R\x1b[1;", b"5R"], Duration::from_millis(20));
        let emoji = ask(&mut Vec::new(), &mut cut, Duration::from_millis(25)).unwrap();
        assert_eq!(
            emoji,
            Emoji::default()
                .with(Sequence::Joined, 2)
                .with(Sequence::SkinTone, 4)
        );
    }

    #[test]
    fn a_terminal_that_cannot_be_read_is_taken_to_draw_as_laid_out() {
        struct Broken;
        impl Replies for Broken {
            fn read(&mut self, _: &mut [u8], _: Duration) -> io::Result<usize> {
                Err(io::Error::other("gone"))
            }
        }
        let emoji = ask(&mut Vec::new(), &mut Broken, Duration::from_millis(50)).unwrap();
        assert_eq!(emoji, Emoji::default());
    }
}
