//! The messages about the file in full: a failed save and every note
//! (a clash with another writer, what reading an older file folded
//! together), however long, in a box over the screen that scrolls to
//! its last line. The lines above the status bar show what a third of
//! the screen holds of them; this shows the rest.

use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{Screen, scroll_asked, wheel_asked};
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{self, Areas, Lasting, wrap};
use crate::tui::theme;

/// The box is at most this wide: a message reads better in a column.
const WIDTH: u16 = 100;

/// The messages box, scrolled this many rows.
#[derive(Clone, Debug, Default)]
pub struct Messages {
    pub scroll: usize,
}

impl Screen for Messages {
    fn context(&self) -> Context {
        Context::Messages
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        if command == Command::Close {
            ctx.close();
            return None;
        }
        let page = ctx
            .areas()
            .map_or(1, |areas| geometry(&areas, &ctx.lasting()).1);
        if let Some(wanted) = scroll_asked(command, self.scroll, page) {
            self.scroll_to(wanted, ctx);
        }
        None
    }

    /// The wheel scrolls the messages, as far as their last line.
    fn mouse(&mut self, mouse: MouseEvent, ctx: &mut Ctx) {
        if let Some(wanted) = wheel_asked(mouse.kind, self.scroll) {
            self.scroll_to(wanted, ctx);
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        let lasting = app.lasting();
        let (popup, shown) = geometry(areas, &lasting);
        let mut block = Block::bordered().title(" Messages about the file ");
        let hidden = layout::box_scrolled_to(
            paragraphs(&lasting, false),
            text_width(areas),
            shown,
            usize::MAX,
        );
        if hidden > 0 {
            let keys = app
                .keymap
                .hints(Context::Messages)
                .into_iter()
                .map(|(keys, what)| format!("{keys} {what}"))
                .collect::<Vec<_>>()
                .join("  ");
            block = block.title_bottom(Line::from(format!(" {keys} ")).right_aligned());
        }
        let scroll = self.scroll.min(hidden);
        let rows = wrap(
            paragraphs(&lasting, app.color),
            text_width(areas),
            scroll..scroll + shown,
        )
        .rows;
        frame.render_widget(Clear, popup);
        frame.render_widget(Paragraph::new(rows).block(block), popup);
    }
}

impl Messages {
    /// Scroll to row `wanted`, or as near as the last line lets it.
    fn scroll_to(&mut self, wanted: usize, ctx: &Ctx) {
        let Some(areas) = ctx.areas() else {
            return;
        };
        let lasting = ctx.lasting();
        self.scroll = layout::wrapped_box_scrolled_to(
            areas.screen,
            WIDTH,
            || paragraphs(&lasting, false),
            wanted,
        );
    }
}

/// The box, and how many rows of text it shows.
fn geometry(areas: &Areas, lasting: &Lasting) -> (Rect, usize) {
    layout::wrapped_box(areas.screen, WIDTH, paragraphs(lasting, false))
}

/// Columns of text inside the box.
fn text_width(areas: &Areas) -> u16 {
    layout::box_text_width(areas.screen, WIDTH)
}

/// Each message as a paragraph, labelled, a blank line between.
fn paragraphs<'a>(lasting: &Lasting<'a>, color: bool) -> impl Iterator<Item = Line<'a>> + 'a {
    let lasting = *lasting;
    lasting
        .messages()
        .enumerate()
        .flat_map(move |(at, (is_error, text))| {
            let (label, style) = if is_error {
                ("Error: ", theme::error(color))
            } else {
                ("Note: ", theme::title())
            };
            let gap = (at > 0).then(|| Line::from(""));
            gap.into_iter().chain(std::iter::once(Line::from(vec![
                Span::styled(label, style),
                Span::styled(text, style),
            ])))
        })
}
