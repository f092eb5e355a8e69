//! What stays above the status bar until it is over or dismissed: a
//! failed save, then the alerts. Its lines come out of the table's, so
//! the table's rows are worked out with it, here, and drawn from the same
//! paragraphs.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::text::one_line;
use crate::tui::app::Notice;
use crate::tui::keymap::{Command, Context, Keymap};
use crate::tui::theme;

/// At most this share of the screen's lines (a third) goes to the messages
/// that last; only messages longer than that are cut short.
const LASTING_SHARE: u16 = 3;

/// What stays above the status bar, whatever the keys say, until it is
/// over or dismissed: why the file could not be saved (or read), then the
/// alerts, oldest first. Each is wrapped whole on lines of its own, so no
/// change looks saved that is not, and a conflict file's name can be read.
#[derive(Clone, Copy, Debug)]
pub struct Lasting<'a> {
    pub save_error: Option<&'a str>,
    pub alerts: &'a [Notice],
    /// The keys in force, and the context of the pane shown: where the
    /// key that puts a message away is looked up.
    pub keymap: &'a Keymap,
    pub context: Context,
}

impl<'a> Lasting<'a> {
    /// The messages in the order shown: `(is_error, text)`.
    pub(crate) fn messages(self) -> impl Iterator<Item = (bool, &'a str)> {
        let save_error = self.save_error.map(|text| (true, text));
        let alerts = self.alerts.iter().map(|a| (a.is_error(), a.text.as_str()));
        save_error.into_iter().chain(alerts)
    }

    /// How many lines the messages take on a screen `area`.
    #[must_use]
    pub fn height(&self, area: Rect) -> u16 {
        self.paragraphs(area, false)
            .iter()
            .map(|(_, lines)| lines)
            .sum()
    }

    /// Each message shown, wrapped to the screen `area`'s width, with the
    /// lines it takes: together no more than a third of the screen. Each
    /// message gets at least a line while lines are left, so the first
    /// never hides that others follow; one cut short ends in `…` and the
    /// key that shows it all, and the last one shown says how many more
    /// wait behind it. How to dismiss
    /// comes first, where nothing can cut it off: the dismiss key puts
    /// away the top one, and the next moves up into the room it leaves.
    pub(crate) fn paragraphs(&self, area: Rect, color: bool) -> Vec<(Paragraph<'static>, u16)> {
        let most = usize::from((area.height / LASTING_SHARE).max(1));
        let count = self.messages().count();
        let shown = count.min(most);
        let mut left = most;
        let mut paragraphs = Vec::with_capacity(shown);
        let (dismiss, read_all) = if count == 0 {
            (String::new(), String::new())
        } else {
            (
                self.keymap.label(self.context, Command::Dismiss),
                self.keymap.label(self.context, Command::ReadMessages),
            )
        };
        for (at, (is_error, text)) in self.messages().take(shown).enumerate() {
            let kind = if is_error { "Error" } else { "Note" };
            let label = if at == 0 {
                format!("{kind} ({dismiss} dismisses): ")
            } else {
                format!("{kind}: ")
            };
            let behind = if at + 1 == shown && count > shown {
                format!(" ({dismiss} for {} more)", count - shown)
            } else {
                String::new()
            };
            let style = if is_error {
                theme::error(color)
            } else {
                theme::title()
            };
            let message = Message {
                label,
                text,
                read_all: &read_all,
                behind,
                style,
            };
            // A line for each message after this one.
            let room = left - (shown - at - 1);
            let (paragraph, lines) = message.wrapped(area.width.max(1), room);
            left -= usize::from(lines);
            paragraphs.push((paragraph, lines));
        }
        paragraphs
    }
}

/// One lasting message as shown: its label, its text (as written), the
/// key that shows it all, and what follows it even when it is cut.
struct Message<'a> {
    label: String,
    text: &'a str,
    read_all: &'a str,
    behind: String,
    style: Style,
}

impl Message<'_> {
    fn paragraph(&self, shown: &str, cut: bool) -> Paragraph<'static> {
        // Cut short, it says how to read it whole.
        let whole = if cut {
            format!("… ({} shows it all)", self.read_all)
        } else {
            String::new()
        };
        let shown = format!("{shown}{whole}{}", self.behind);
        Paragraph::new(Line::from(vec![
            Span::styled(self.label.clone(), self.style),
            Span::styled(shown, self.style),
        ]))
        .wrap(Wrap { trim: true })
    }

    /// The message wrapped to `width`, within `most` lines (at least one),
    /// and the lines it takes: whole if it fits, else the longest start of
    /// it that fits, then `…`. It is measured (on every key, for the
    /// table's rows) only as far as the lines could hold: a clash with
    /// thousands of stories names each, and costs no more than a short one.
    fn wrapped(&self, width: u16, most: usize) -> (Paragraph<'static>, u16) {
        let most = most.max(1);
        let lines = |p: &Paragraph| p.line_count(width);
        // No more characters than the lines could hold, and wrapping only
        // ever takes more lines.
        let room = most * usize::from(width);
        let (head, more) = match self.text.char_indices().nth(room) {
            Some((at, _)) => (&self.text[..at], true),
            None => (self.text, false),
        };
        let text = one_line(head);
        if !more {
            let whole = self.paragraph(&text, false);
            let height = lines(&whole);
            if height <= most {
                return (whole, u16::try_from(height).unwrap_or(u16::MAX));
            }
        }
        let ends: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
        let start = |n: usize| &text[..ends.get(n).copied().unwrap_or(text.len())];
        let fits = |n: usize| lines(&self.paragraph(start(n), true)) <= most;
        let (mut short, mut long) = (0, ends.len());
        while short < long {
            let mid = (short + long).div_ceil(2);
            if fits(mid) {
                short = mid;
            } else {
                long = mid - 1;
            }
        }
        let cut = self.paragraph(start(short), true);
        let height = lines(&cut).min(most);
        (cut, u16::try_from(height).unwrap_or(u16::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::examined;
    use crate::tui::app::Level;

    #[test]
    fn a_clash_naming_every_story_of_a_large_backlog_is_measured_only_as_far_as_it_shows() {
        // A clash naming each of 100,000 stories: about 800,000 characters.
        let ids: Vec<String> = (1..=100_000).map(|n| format!("S-{n}")).collect();
        let text = format!("{} changed in the file too", ids.join(", "));
        let alerts = [Notice {
            text,
            level: Level::Warning,
        }];
        let keymap = Keymap::built_in();
        let lasting = Lasting {
            save_error: None,
            alerts: &alerts,
            keymap: &keymap,
            context: Context::Backlog,
        };
        // A third of 30 lines, 100 columns: at most 1,000 characters show.
        let area = Rect::new(0, 0, 100, 30);
        examined::take();
        let height = lasting.height(area);
        let looked = examined::take();
        assert_eq!(height, 10);
        assert!(looked <= 2_000, "{looked} characters looked at");
    }
}
