//! Drawing: one function per pane or overlay, each reading `&App`.
//!
//! The layout is a pure function of the terminal size, shared with
//! `App::table_rows` so scrolling and drawing agree on what fits.

mod backlog;
mod editor;
mod epics;
mod overlay;
mod status;
mod story;
mod text_area;
mod theme;
mod vision;
mod wrap;

pub use overlay::{FILTER_ROWS, help_lines};
pub use status::Lasting;
pub use story::{paragraphs as story_paragraphs, scrolled_to as story_scrolled_to};
pub use wrap::{Wrapped, wrap};

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use super::app::{App, Mode};
use super::probe::Emoji;

/// Below this the screen only says it is too small.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

/// At this width and above the panes sit side by side.
pub const WIDE: u16 = 100;

/// Where each part of the screen goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Areas {
    pub backlog: Rect,
    pub story: Rect,
    /// The lines of a failed save and the alerts, above the status bar;
    /// none without them.
    pub lasting: Rect,
    pub status: Rect,
    pub keys: Rect,
}

/// The layout for a terminal of `width` × `height`, with the lines the
/// `lasting` messages need, if any, or `None` when it is too small to use.
#[must_use]
pub fn layout(area: Rect, lasting: Option<&Lasting>) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let [main, lasting, status, keys] = Layout::vertical([
        Constraint::Min(0),
        Constraint::Length(lasting.map_or(0, |lasting| lasting.height(area))),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let [backlog, story] = if area.width >= WIDE {
        Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(main)
    } else {
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(main)
    };
    Some(Areas {
        backlog,
        story,
        lasting,
        status,
        keys,
    })
}

/// How many backlog rows are visible at a terminal size: the pane less its
/// border and header.
#[must_use]
pub fn table_rows((width, height): (u16, u16), lasting: Option<&Lasting>) -> usize {
    layout(Rect::new(0, 0, width, height), lasting)
        .map_or(0, |a| usize::from(a.backlog.height.saturating_sub(3)))
}

/// Draw the whole screen.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let lasting = Lasting::of(app);
    let Some(areas) = layout(area, Some(&lasting)) else {
        overlay::too_small(frame, area);
        return;
    };
    backlog::render(app, frame, areas.backlog);
    match app.mode.editor() {
        Some(editor) => {
            // Stacked, the form takes both panes: it needs the rows.
            let form = if area.width >= WIDE {
                areas.story
            } else {
                areas.backlog.union(areas.story)
            };
            editor::render(app, editor, frame, form);
        }
        None => story::render(app, frame, areas.story),
    }
    status::render(app, frame, areas.status);
    status::render_lasting(&lasting, app.color, frame, areas.lasting);
    match &app.mode {
        Mode::Prompt(prompt, input) => {
            status::render_prompt(app, prompt.label(), input, frame, areas.keys);
        }
        Mode::Searching { input, .. } => {
            status::render_prompt(app, "Search: ", input, frame, areas.keys);
        }
        _ => status::render_keys(app, frame, areas.keys),
    }
    match &app.mode {
        Mode::Normal | Mode::Prompt(..) | Mode::Searching { .. } | Mode::Editing(_) => {}
        Mode::ConfirmDelete(id) => overlay::confirm_delete(app, *id, frame, area),
        Mode::ConfirmReady { id, missing, .. } => {
            overlay::confirm_ready(app, *id, missing, frame, area);
        }
        Mode::Filtering(row) => overlay::filter(app, *row, frame, area),
        Mode::Settings(row) => overlay::settings(app, *row, frame, area),
        Mode::Splitting(split) => overlay::split(app, split, frame, area),
        Mode::EditorError { id, error, .. } => {
            overlay::editor_error(app, *id, error, frame, area);
        }
        Mode::Help(scroll) => overlay::help(app, *scroll, frame, area),
        Mode::Epics(panel) => epics::render(app, panel, frame, areas.backlog.union(areas.story)),
        Mode::Vision(panel) => vision::render(app, panel, frame, areas.backlog.union(areas.story)),
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
