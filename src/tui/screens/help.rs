//! The help: every key of every screen, from the live keymap, in a box
//! over the screen that scrolls as far as its last line and no further.

use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::backlog::TitleMark;
use super::{Screen, scroll_asked, wheel_asked};
use crate::model::EpicColor;
use crate::model::ready::Mark;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context, Key, Keymap};
use crate::tui::layout::{self, Areas};
use crate::tui::theme;
use crate::tui::typing::EDITING;

/// The help, scrolled this many rows.
#[derive(Clone, Debug)]
pub struct Help {
    pub scroll: u16,
    /// The panes' names, in the order of their number keys.
    panes: Vec<&'static str>,
}

impl Help {
    /// The help, with a section on the panes named `panes`.
    #[must_use]
    pub fn new(panes: Vec<&'static str>) -> Self {
        Help { scroll: 0, panes }
    }
}

impl Screen for Help {
    fn context(&self) -> Context {
        Context::Help
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        if command == Command::Close {
            ctx.close();
            return None;
        }
        let (shown, hidden) = rows(ctx.keymap(), ctx.size(), &self.panes);
        if let Some(wanted) = scroll_asked(command, usize::from(self.scroll), shown) {
            self.scroll = u16::try_from(wanted.min(hidden)).unwrap_or(u16::MAX);
        }
        None
    }

    /// The wheel scrolls the help, as far as its last line.
    fn mouse(&mut self, mouse: MouseEvent, ctx: &mut Ctx) {
        if let Some(wanted) = wheel_asked(mouse.kind, usize::from(self.scroll)) {
            let (_, hidden) = rows(ctx.keymap(), ctx.size(), &self.panes);
            self.scroll = u16::try_from(wanted.min(hidden)).unwrap_or(u16::MAX);
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        let text = text(&app.keymap, app.color, &self.panes);
        let (popup, hidden) = layout::text_box(areas.screen, WIDTH, &text);
        let mut block = Block::bordered().title(" Keys ");
        if hidden > 0 {
            let pair = |first, second| app.keymap.pair(Context::Help, first, second);
            let keys = format!(
                " {} scroll  {} page  {} top, end ",
                pair(Command::ScrollDown, Command::ScrollUp),
                pair(Command::PageDown, Command::PageUp),
                pair(Command::ScrollToTop, Command::ScrollToEnd)
            );
            block = block.title_bottom(Line::from(keys).right_aligned());
        }
        let scroll = self.scroll.min(u16::try_from(hidden).unwrap_or(u16::MAX));
        frame.render_widget(Clear, popup);
        frame.render_widget(text.block(block).scroll((scroll, 0)), popup);
    }
}

/// The help box is at most this wide.
const WIDTH: u16 = 78;

/// The keys' column of a line of the help: `keys`, padded to the
/// column, and never run into what follows when they are wider.
fn keys_column(keys: &str, color: bool) -> Span<'static> {
    Span::styled(format!("{keys:<15} "), theme::key(color))
}

/// The help's section on `context`: each command it offers that has a
/// key, with its keys and what it does.
fn section(keys: &Keymap, context: Context, color: bool, lines: &mut Vec<Line<'static>>) {
    let mut title = context.title().to_string();
    if let Some((from, command)) = context.opened_by()
        && let Some(key) = keys.key(from, command)
    {
        title = format!("{title} ({})", key.label());
    }
    lines.push(Line::styled(title, theme::header()));
    // A key that quits in the backlog quits everywhere it is bound to:
    // the first section says so once.
    let says_quit = |key: &Key| {
        context != Context::Backlog
            && keys
                .keys(Context::Backlog, Command::Quit)
                .any(|quit| quit == *key)
    };
    for offer in context.offers() {
        // The number keys have a section of their own, with the panes.
        if offer.command.pane().is_some() {
            continue;
        }
        let bound: Vec<String> = keys
            .keys(context, offer.command)
            .filter(|key| offer.command != Command::Quit || !says_quit(key))
            .map(Key::label)
            .collect();
        if bound.is_empty() {
            continue;
        }
        lines.push(Line::from(vec![
            keys_column(&bound.join(" "), color),
            Span::raw(offer.help),
        ]));
    }
    lines.push(Line::from(""));
}

/// The help's lines: every binding of every context, from the keymap
/// `keys`, and after the backlog's the number keys of the panes named
/// `panes`.
#[must_use]
pub fn lines(keys: &Keymap, color: bool, panes: &[&str]) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for context in Context::ALL {
        section(keys, context, color, &mut lines);
        if context == Context::Backlog {
            lines.push(Line::styled("Panes", theme::header()));
            for (index, pane) in panes.iter().enumerate() {
                let bound: Vec<String> = Command::show_pane(index)
                    .into_iter()
                    .flat_map(|command| keys.keys(Context::Backlog, command))
                    .map(Key::label)
                    .collect();
                lines.push(Line::from(vec![
                    keys_column(&bound.join(" "), color),
                    Span::raw(format!("show the {} pane", pane.to_lowercase())),
                ]));
            }
            lines.push(Line::from(""));
            marks(color, &mut lines);
        }
    }
    lines.push(Line::styled("Editing text in any field", theme::header()));
    for key in EDITING {
        let keys: Vec<String> = key.keys.iter().map(|k| k.label()).collect();
        lines.push(Line::from(vec![
            keys_column(&keys.join(" "), color),
            Span::raw(key.help),
        ]));
    }
    lines
}

/// What the marks on the screen mean: the table's ready column and
/// points, each epic's marker, the selection and the marked stories,
/// criteria, questions. The
/// ready marks and the epics' markers are the model's own, so a new one
/// shows here too.
fn marks(color: bool, lines: &mut Vec<Line<'static>>) {
    lines.push(Line::styled("Marks", theme::header()));
    let key = |text: String| keys_column(&text, color);
    let ready = [Mark::Ready, Mark::NotReady, Mark::ReadyAnyway].map(|m| m.symbol().to_string());
    lines.push(Line::from(vec![
        key(ready.join(" ")),
        Span::raw("R column: ready, not ready, set ready although not"),
    ]));
    lines.push(Line::from(vec![
        key(String::new()),
        Span::raw("(by the Definition of Ready; draft and ready stories)"),
    ]));
    lines.push(Line::from(vec![
        key("?".to_string()),
        Span::raw("Pts column: not estimated yet"),
    ]));
    lines.push(Line::from(vec![
        key(TitleMark::Clash.symbol().to_string()),
        Span::raw("before a title: a git merge left a clash to settle"),
    ]));
    lines.push(Line::from(vec![
        key(TitleMark::Blocked.symbol().to_string()),
        Span::raw("before a title: blocked by a story still open"),
    ]));
    lines.push(Line::from(vec![
        key(TitleMark::AboveBlocker.symbol().to_string()),
        Span::raw("ranked above a story it is blocked by, still open"),
    ]));
    let mut markers: Vec<Span<'static>> = EpicColor::ALL
        .iter()
        .map(|c| Span::styled(format!("{} ", c.marker()), theme::epic(*c, color)))
        .collect();
    markers.push(Span::raw(" ".repeat(16 - 2 * EpicColor::ALL.len())));
    let names: Vec<String> = EpicColor::ALL.iter().map(ToString::to_string).collect();
    markers.push(Span::raw(format!(
        "an epic, by its colour: {}",
        names.join(", ")
    )));
    lines.push(Line::from(markers));
    lines.push(Line::from(vec![
        key("□".to_string()),
        Span::raw("an epic the product does not list"),
    ]));
    lines.push(Line::from(vec![
        key("▶".to_string()),
        Span::raw("the selected row"),
    ]));
    lines.push(Line::from(vec![
        key("*".to_string()),
        Span::raw("a marked story: what changes stories acts on all marked"),
    ]));
    lines.push(Line::from(vec![
        key("[✓] [ ]".to_string()),
        Span::raw("an acceptance criterion met, or not yet"),
    ]));
    lines.push(Line::from(vec![
        key("[→]".to_string()),
        Span::raw("splitting: the criterion goes to the new story"),
    ]));
    lines.push(Line::from(vec![
        key("? ✓".to_string()),
        Span::raw("a question open, or answered"),
    ]));
    lines.push(Line::from(""));
}

/// The help as one paragraph, wrapped: a line too long for the screen
/// goes on below, never cut.
fn text(keys: &Keymap, color: bool, panes: &[&str]) -> Paragraph<'static> {
    Paragraph::new(lines(keys, color, panes)).wrap(Wrap { trim: false })
}

/// How far the help, with the panes named `panes`, scrolls on a screen of
/// `size`: its rows hidden below the box, wrapped as drawn.
#[must_use]
pub fn scroll_limit(keys: &Keymap, size: (u16, u16), panes: &[&str]) -> usize {
    rows(keys, size, panes).1
}

/// The help's rows on a screen of `size`, with the keys `keys`: how many
/// the box shows, and how many are hidden below it.
fn rows(keys: &Keymap, (width, height): (u16, u16), panes: &[&str]) -> (usize, usize) {
    let (popup, hidden) = layout::text_box(
        Rect::new(0, 0, width, height),
        WIDTH,
        &text(keys, false, panes),
    );
    (usize::from(popup.height.saturating_sub(2)), hidden)
}
