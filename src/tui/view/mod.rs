//! Drawing the whole screen from `&App`: the pane shown, the status bar,
//! the messages that last, the key hints, then each panel and dialog over
//! the pane, laid out by [`super::layout`], which `update` asks too. Each
//! screen draws itself; what several draw with is here.

mod status;
mod text_area;
mod widgets;

pub use status::render_prompt;
pub use text_area::render as draw_text_area;
pub use widgets::{BoxStyle, keys_line, message_box, message_box_area, too_small};

use ratatui::Frame;

use super::app::App;
use super::layout::Areas;
use super::probe::Emoji;

/// Draw the whole screen.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    // Wrapped once a frame, for their height and for drawing: a message
    // too long for its lines is cut by trying lengths, which is not free.
    let lasting = app.lasting().paragraphs(area, app.color);
    let lines = lasting.iter().map(|(_, lines)| lines).sum();
    let Some(areas) = Areas::within(area, lines, app.table.story_hidden) else {
        widgets::too_small(frame, area);
        return;
    };
    app.shown_pane().render(app, &areas, frame);
    status::render(app, frame, areas.status);
    status::render_lasting(lasting, frame, areas.lasting);
    status::render_keys(app, frame, areas.keys);
    // Panels and dialogs over the pane, the top one last.
    for screen in app.stack() {
        screen.render(app, &areas, frame);
    }
    draw_exactly(frame, &app.emoji);
}

/// Whether `symbol` is one character that takes a column or two and is
/// neither invisible nor a mover of text: such a cell needs no cleaning.
fn is_one_visible_character(symbol: &str) -> bool {
    if let [byte] = symbol.as_bytes() {
        return (b' '..=b'~').contains(byte);
    }
    let mut chars = symbol.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => {
            !crate::text::is_invisible(c)
                && unicode_width::UnicodeWidthChar::width(c).is_some_and(|w| w > 0)
        }
        _ => false,
    }
}

/// Make each cell draw exactly the columns the layout gave it, whatever
/// drew it: a zero-width character the layout put in a cell would shift
/// the rest of the row, and an emoji sequence this terminal draws wider or
/// narrower than the layout would overwrite the next cell or leave one.
fn draw_exactly(frame: &mut Frame, emoji: &Emoji) {
    for cell in &mut frame.buffer_mut().content {
        let symbol = cell.symbol();
        // Nearly every cell is one visible character (a letter, a space, a
        // border): it draws as laid out, and costs no more than a look.
        if is_one_visible_character(symbol) {
            continue;
        }
        let cleaned = crate::text::cell(symbol);
        let drawn = emoji.drawn(&cleaned);
        if *drawn != *symbol {
            let drawn = drawn.into_owned();
            cell.set_symbol(&drawn);
        }
    }
}
