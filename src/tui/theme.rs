//! Styles. Colour is a bonus: every distinction also shows as text,
//! reverse video, weight or border shape, so `NO_COLOR` loses nothing.

use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::BorderType;

use crate::model::{EpicColor, Status};

pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
}

pub fn header() -> Style {
    Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

pub fn dim(color: bool) -> Style {
    if color {
        Style::new().fg(Color::DarkGray)
    } else {
        Style::new().add_modifier(Modifier::DIM)
    }
}

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn error(color: bool) -> Style {
    let style = Style::new().add_modifier(Modifier::BOLD);
    if color { style.fg(Color::Red) } else { style }
}

pub fn key(color: bool) -> Style {
    let style = Style::new().add_modifier(Modifier::BOLD);
    if color { style.fg(Color::Cyan) } else { style }
}

pub fn status(status: Status, color: bool) -> Style {
    if !color {
        return Style::new();
    }
    match status {
        Status::Draft => Style::new(),
        Status::Ready => Style::new().fg(Color::Cyan),
        Status::InProgress => Style::new().fg(Color::Yellow),
        Status::Done => Style::new().fg(Color::Green),
        Status::Rejected => Style::new().fg(Color::DarkGray),
    }
}

/// The focused pane gets a thick border, the other a plain one.
pub fn border(focused: bool, color: bool) -> (BorderType, Style) {
    match (focused, color) {
        (true, true) => (BorderType::Thick, Style::new().fg(Color::Cyan)),
        (true, false) => (BorderType::Thick, Style::new()),
        (false, _) => (BorderType::Plain, dim(color)),
    }
}

/// Something the product owner should look at: unestimated, not ready.
pub fn warning(color: bool) -> Style {
    if color {
        Style::new().fg(Color::Yellow)
    } else {
        Style::new()
    }
}

/// Something in order: a ready story.
pub fn good(color: bool) -> Style {
    if color {
        Style::new().fg(Color::Green)
    } else {
        Style::new()
    }
}

/// An epic's own colour; without colour its marker tells epics apart.
pub fn epic(epic: EpicColor, color: bool) -> Style {
    if !color {
        return Style::new();
    }
    Style::new().fg(match epic {
        EpicColor::Blue => Color::Blue,
        EpicColor::Green => Color::Green,
        EpicColor::Magenta => Color::Magenta,
        EpicColor::Yellow => Color::Yellow,
        EpicColor::Cyan => Color::Cyan,
        EpicColor::Red => Color::Red,
    })
}
