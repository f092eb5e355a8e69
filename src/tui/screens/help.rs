//! The help: every key of every screen, from the live keymap, in a box
//! over the screen that scrolls as far as its last line and no further.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::Screen;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context, Key, Keymap};
use crate::tui::layout::{self, Areas};
use crate::tui::theme;

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
        let last = scroll_limit(ctx.keymap(), ctx.size(), &self.panes);
        let last = u16::try_from(last).unwrap_or(u16::MAX);
        match command {
            Command::ScrollDown => self.scroll = self.scroll.saturating_add(1).min(last),
            Command::ScrollUp => self.scroll = self.scroll.saturating_sub(1).min(last),
            Command::Close => ctx.close(),
            _ => {}
        }
        None
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        let text = text(&app.keymap, app.color, &self.panes);
        let (popup, hidden) = layout::text_box(areas.screen, WIDTH, &text);
        let mut block = Block::bordered().title(" Keys ");
        if hidden > 0 {
            let scroll = app
                .keymap
                .pair(Context::Help, Command::ScrollDown, Command::ScrollUp);
            block = block.title_bottom(Line::from(format!(" {scroll} scroll ")).right_aligned());
        }
        let scroll = self.scroll.min(u16::try_from(hidden).unwrap_or(u16::MAX));
        frame.render_widget(Clear, popup);
        frame.render_widget(text.block(block).scroll((scroll, 0)), popup);
    }
}

/// The help box is at most this wide.
const WIDTH: u16 = 78;

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
            Span::styled(format!("{:<16}", bound.join(" ")), theme::key(color)),
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
                    Span::styled(format!("{:<16}", bound.join(" ")), theme::key(color)),
                    Span::raw(format!("show the {} pane", pane.to_lowercase())),
                ]));
            }
            lines.push(Line::from(""));
        }
    }
    lines.pop();
    lines
}

/// The help as one paragraph, wrapped: a line too long for the screen
/// goes on below, never cut.
fn text(keys: &Keymap, color: bool, panes: &[&str]) -> Paragraph<'static> {
    Paragraph::new(lines(keys, color, panes)).wrap(Wrap { trim: false })
}

/// How far the help, with the panes named `panes`, scrolls on a screen of
/// `size`: its rows hidden below the box, wrapped as drawn.
#[must_use]
pub fn scroll_limit(keys: &Keymap, (width, height): (u16, u16), panes: &[&str]) -> usize {
    layout::text_box(
        Rect::new(0, 0, width, height),
        WIDTH,
        &text(keys, false, panes),
    )
    .1
}
