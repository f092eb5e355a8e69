//! The story form as drawn: one row per field, the selected one marked,
//! the field being typed into shown as a text area, and the Definition of
//! Ready checked live at the bottom.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::{Field, StoryForm, fields};
use crate::model::{Comment, Product, Story, ready};
use crate::text::one_line;
use crate::tui::app::App;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::wrap;
use crate::tui::screens::story::{epic_spans, linked_line, ready_line, text_lines, unestimated};
use crate::tui::theme;

/// Width of the label column.
const LABEL: u16 = 14;
/// Lines of the description shown when it is not being typed into.
const DESCRIPTION_PREVIEW: usize = 3;

pub(super) fn render(app: &App, form: &StoryForm, frame: &mut Frame, area: Rect) {
    let Some(story) = app.backlog.get(form.id) else {
        return;
    };
    let product = &app.backlog.product;
    let block = Block::bordered()
        .border_type(BorderType::Thick)
        .border_style(theme::border(true, app.color).1)
        .title(Line::styled(
            format!(" Editing {} ", story.id),
            theme::title(),
        ));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    if inner.height < 3 || inner.width < LABEL + 4 {
        return;
    }
    let ready_lines = ready_lines(story, product, app.color);
    let ready_height = u16::try_from(wrapped_rows(&ready_lines, inner.width))
        .unwrap_or(1)
        .min(inner.height / 3);
    let [field_rows, _, ready_area] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(ready_height),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(ready_lines).wrap(Wrap { trim: true }),
        ready_area,
    );

    let fields = fields(story);
    let selected = form.row.min(fields.len() - 1);
    let value_width = field_rows.width.saturating_sub(LABEL);
    let heights: Vec<u16> = fields
        .iter()
        .enumerate()
        .map(|(row, field)| {
            let typing = row == selected && form.typing.is_some();
            height(app, story, *field, typing, value_width, field_rows.height)
        })
        .collect();
    // Scroll so the selected row is on screen, the rows above it first.
    let mut first = 0;
    while first < selected && heights[first..=selected].iter().sum::<u16>() > field_rows.height {
        first += 1;
    }
    let mut y = field_rows.y;
    for (row, field) in fields.iter().enumerate().skip(first) {
        let h = heights[row].min(field_rows.y + field_rows.height - y);
        if h == 0 {
            break;
        }
        let is_selected = row == selected;
        let label_area = Rect::new(field_rows.x, y, LABEL, 1);
        let value_area = Rect::new(field_rows.x + LABEL, y, value_width, h);
        // "Criteria" labels the first criterion row only, and so on.
        let show_label = match field {
            Field::Criterion(i) | Field::Comment(i) => *i == 0,
            Field::NewCriterion => story.acceptance_criteria.is_empty(),
            _ => true,
        };
        let label = if show_label { field.label() } else { "" };
        let label_line = if is_selected {
            Line::styled(format!("▶ {label:<11} "), theme::selected())
        } else {
            Line::styled(format!("  {label:<11} "), theme::title())
        };
        frame.render_widget(Paragraph::new(label_line), label_area);
        if let (Some(typing), true) = (&form.typing, is_selected) {
            typing.area.render(frame, value_area, app.color);
        } else {
            let value = value_lines(app, story, *field, app.color);
            let rows = wrap(value, value_area.width, 0..usize::from(h)).rows;
            frame.render_widget(Paragraph::new(rows), value_area);
        }
        y += h;
    }
}

/// Rows a field takes: its value as drawn, wrapped, at most three; the
/// description while typed into gets half the form.
fn height(app: &App, story: &Story, field: Field, typing: bool, width: u16, room: u16) -> u16 {
    let most = if field == Field::Description {
        DESCRIPTION_PREVIEW
    } else {
        3
    };
    let rows = match field {
        Field::Description if typing => return (room / 2).max(3),
        _ if typing => 1,
        _ => wrap(value_lines(app, story, field, false), width, 0..most).laid_out,
    };
    u16::try_from(rows.clamp(1, most)).unwrap_or(1)
}

/// Roughly how many rows `lines` take wrapped in `width` columns. Word
/// wrapping leaves rows short, so callers ask with a little less than the
/// full width.
fn wrapped_rows(lines: &[Line], width: u16) -> usize {
    let usable = usize::from(width).max(1);
    lines
        .iter()
        .map(|line| line.width().div_ceil(usable).max(1))
        .sum()
}

/// A field's value as paragraphs, text as written (shown when laid out).
fn value_lines<'a>(app: &App, story: &'a Story, field: Field, color: bool) -> Vec<Line<'a>> {
    let product = &app.backlog.product;
    let key = |command| app.key(Context::Form, command);
    let dim = theme::dim(color);
    let text = |t: &'a str, empty: String| {
        if t.trim().is_empty() {
            Line::styled(empty, dim)
        } else {
            Line::from(Span::raw(t))
        }
    };
    match field {
        Field::Title => vec![Line::from(Span::styled(
            story.title.as_str(),
            theme::title(),
        ))],
        Field::AsA => vec![text(
            &story.as_a,
            format!("who wants it? ({} to type)", key(Command::EditField)),
        )],
        Field::IWant => vec![text(&story.i_want, "what do they want?".to_string())],
        Field::SoThat => vec![text(&story.so_that, "why? the value it brings".to_string())],
        Field::Description => {
            if story.description.trim().is_empty() {
                let keep = app.key(Context::FormText, Command::KeepField);
                return vec![Line::styled(
                    format!("none ({} to write; {keep} keeps)", key(Command::EditField)),
                    dim,
                )];
            }
            // Each line takes a row at least: the preview needs no more.
            text_lines(&story.description)
                .take(DESCRIPTION_PREVIEW)
                .map(|line| Line::from(Span::raw(line)))
                .collect()
        }
        Field::Criterion(i) => {
            let Some(c) = story.acceptance_criteria.get(i) else {
                return Vec::new();
            };
            let mark = if c.done { "[✓] " } else { "[ ] " };
            vec![Line::from(vec![
                Span::styled(mark, theme::title()),
                Span::raw(c.text.as_str()),
            ])]
        }
        Field::NewCriterion => vec![Line::styled(
            format!("+ add a criterion ({})", key(Command::AddCriterion)),
            dim,
        )],
        Field::Estimate => vec![estimate_line(app, story, color)],
        Field::Status => vec![Line::from(vec![
            Span::raw("‹ "),
            Span::styled(story.status.as_str(), theme::status(story.status, color)),
            Span::raw(" ›"),
        ])],
        Field::Labels => {
            if story.labels.is_empty() {
                vec![Line::styled("none (comma-separated)", dim)]
            } else {
                let labels: Vec<String> = story
                    .labels
                    .iter()
                    .map(|l| format!("#{}", one_line(l)))
                    .collect();
                vec![Line::from(labels.join(" "))]
            }
        }
        Field::Comment(i) => story
            .comments
            .get(i)
            .map(|c| vec![comment_line(c, color)])
            .unwrap_or_default(),
        Field::BlockedBy => blocked_by_lines(app, story, color),
        Field::Epic => {
            let mut spans = vec![Span::raw("‹ ")];
            match &story.epic {
                Some(name) => spans.extend(epic_spans(name, product, color)),
                None => spans.push(Span::styled("none", dim)),
            }
            spans.push(Span::raw(" ›"));
            vec![Line::from(spans)]
        }
    }
}

/// A comment on one line: its mark (an open or resolved question, a
/// decision), who wrote it, its text, whether its author edited it, and a
/// question's answer.
fn comment_line(c: &Comment, color: bool) -> Line<'_> {
    let mark = match (c.question, &c.resolved) {
        (true, None) => Span::styled("? ", theme::warning(color)),
        (true, Some(_)) => Span::styled("✓ ", theme::good(color)),
        (false, _) if c.decision => Span::styled("» ", theme::title()),
        (false, _) => Span::raw("  "),
    };
    let dim = theme::dim(color);
    let mut spans = vec![
        mark,
        Span::styled(format!("{}: ", one_line(&c.author)), dim),
        Span::raw(c.text.as_str()),
    ];
    if c.edited.is_some() {
        spans.push(Span::styled(" (edited)", dim));
    }
    if let Some(answer) = &c.answer {
        spans.push(Span::styled(" Answer: ", theme::title()));
        spans.push(Span::raw(answer.as_str()));
    }
    Line::from(spans)
}

/// The stories it is blocked by, a line each, with their titles and
/// statuses; or how to type them.
fn blocked_by_lines(app: &App, story: &Story, color: bool) -> Vec<Line<'static>> {
    if story.blocked_by.is_empty() {
        return vec![Line::styled(
            format!(
                "none (ids, e.g. S-3, S-9; {} to type)",
                app.key(Context::Form, Command::EditField)
            ),
            theme::dim(color),
        )];
    }
    story
        .blocked_by
        .iter()
        .map(|&id| linked_line(id, &app.backlog, color))
        .collect()
}

/// The estimate row: the estimate, the keys that step it, and the scale.
fn estimate_line<'a>(app: &App, story: &Story, color: bool) -> Line<'a> {
    let scale = app.backlog.product.settings.scale;
    let value = story
        .points
        .map(|p| scale.describe(p))
        .map_or_else(|| unestimated(color), Span::raw);
    let keys = &app.keymap;
    Line::from(vec![
        Span::raw("‹ "),
        value,
        Span::raw(" ›"),
        Span::styled(
            format!(
                "  {} or {} · {scale}",
                keys.pair(Context::Form, Command::PreviousValue, Command::NextValue),
                keys.pair(Context::Form, Command::EstimateDown, Command::EstimateUp),
            ),
            theme::dim(color),
        ),
    ])
}

/// The Definition of Ready, live: passed, or what is missing.
fn ready_lines(story: &Story, product: &Product, color: bool) -> Vec<Line<'static>> {
    let reasons = ready::reasons(story, &product.settings.ready);
    if reasons.is_empty() {
        return vec![ready_line(color)];
    }
    vec![Line::styled(
        format!("✗ Not ready: {}", reasons.join("; ")),
        theme::warning(color),
    )]
}
