//! Overlays drawn over the panes: help, delete confirmation, too small.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::status::input_field;
use crate::model::StoryId;
use crate::text::one_line;

use crate::tui::app::{App, Split};

use crate::tui::layout::{MIN_HEIGHT, MIN_WIDTH, centered};
use crate::tui::theme;

/// A line of keys and what they do: `y delete   n keep`.
#[must_use]
pub fn keys_line(color: bool, keys: &[(&str, &str)]) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, (key, what)) in keys.iter().enumerate() {
        let gap = if i + 1 < keys.len() { "   " } else { "" };
        spans.push(Span::styled((*key).to_string(), theme::key(color)));
        spans.push(Span::raw(format!(" {what}{gap}")));
    }
    Line::from(spans)
}

/// How a message box lays out its text.
#[derive(Clone, Copy)]
pub struct BoxStyle {
    pub width: u16,
    /// Rows beyond one per line, for lines that wrap.
    pub spare_rows: u16,
    pub centred_text: bool,
}

/// A bordered box of text over the screen, centred, as tall as its lines.
pub fn message_box(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    style: BoxStyle,
) {
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .saturating_add(style.spare_rows);
    let popup = centered(area, style.width, height);
    let alignment = if style.centred_text {
        Alignment::Center
    } else {
        Alignment::Left
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().title(format!(" {title} ")))
            .alignment(alignment)
            .wrap(Wrap { trim: false }),
        popup,
    );
}

pub fn too_small(frame: &mut Frame, area: Rect) {
    let text = format!(
        "Terminal too small: {}×{}. backlog needs at least {MIN_WIDTH}×{MIN_HEIGHT}.",
        area.width, area.height
    );
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// The split dialog: the new story's title, and which criteria it takes.
pub fn split(app: &App, split: &Split, frame: &mut Frame, area: Rect) {
    let Some(story) = app.backlog.get(split.id) else {
        return;
    };
    let width = area.width.min(76);
    let criteria = story.acceptance_criteria.len();
    let height = u16::try_from(criteria.max(1) + 9).unwrap_or(u16::MAX);
    let popup = centered(area, width, height);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_type(BorderType::Thick)
        .title(format!(" Split {} ", split.id));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [intro, label, field, _, list_label, list, _, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(Line::styled(
            format!(
                "A new story right after {}, in its epic, with its labels.",
                split.id
            ),
            theme::dim(app.color),
        )),
        intro,
    );
    let focus = |on: bool| {
        if on {
            theme::key(app.color)
        } else {
            theme::title()
        }
    };
    frame.render_widget(
        Paragraph::new(Line::styled("New story's title:", focus(!split.on_list))),
        label,
    );
    input_field(frame, &split.title, field, !split.on_list);
    frame.render_widget(
        Paragraph::new(Line::styled(
            "Criteria that move to the new story:",
            focus(split.on_list),
        )),
        list_label,
    );
    let lines = split_criteria(split, app.color);
    let skip = split
        .row
        .saturating_sub(usize::from(list.height.saturating_sub(1)));
    frame.render_widget(
        Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()),
        list,
    );
    let hints = if split.on_list {
        "j/k choose  Space move/keep  Tab title  Enter split  Esc cancel"
    } else {
        "type the title  Tab criteria  Enter split  Esc cancel"
    };
    frame.render_widget(
        Paragraph::new(Line::styled(hints, theme::dim(app.color))),
        keys,
    );
}

/// The split dialog's criteria, each marked staying or moving.
fn split_criteria(split: &Split, color: bool) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = split
        .criteria
        .iter()
        .zip(&split.moving)
        .enumerate()
        .map(|(row, (criterion, moving))| {
            let mark = if *moving { "[→] " } else { "[ ] " };
            let line = Line::from(vec![
                Span::raw(if split.on_list && row == split.row {
                    "▶ "
                } else {
                    "  "
                }),
                Span::styled(mark, theme::title()),
                Span::raw(one_line(&criterion.text).into_owned()),
            ]);
            if split.on_list && row == split.row {
                line.style(theme::selected())
            } else {
                line
            }
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(
            "  none: the story has no criteria",
            theme::dim(color),
        ));
    }
    lines
}

/// The document from `$EDITOR` was not applied: what is wrong, and what
/// can be done. Nothing has changed.
pub fn editor_error(app: &App, id: StoryId, error: &str, frame: &mut Frame, area: Rect) {
    let lines = vec![
        Line::from(format!("Your edit of {id} was not applied:")).style(theme::title()),
        Line::from(""),
        Line::styled(one_line(error).into_owned(), theme::error(app.color)),
        Line::from(""),
        Line::from(format!(
            "{id} is unchanged, and your text is kept until you choose."
        )),
        Line::from(""),
        // The keys the box takes, from the keymap: an unknown epic adds
        // the one that creates it.
        keys_line(
            app.color,
            &app.hints()
                .iter()
                .map(|(key, hint)| (key.as_str(), *hint))
                .collect::<Vec<_>>(),
        ),
    ];
    let style = BoxStyle {
        width: 70,
        spare_rows: 2,
        centred_text: false,
    };
    message_box(frame, area, "Not saved", lines, style);
}
