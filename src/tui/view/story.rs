//! The story pane: the selected story in full.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::theme;
use ratatui::style::Style;

use crate::model::{Comment, Product, Scale, Status, Story, ready};
use crate::text::{multi_line, one_line};
use crate::tui::app::{App, Focus};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let (border_type, border_style) = theme::border(app.focus == Focus::Story, app.color);
    let block = Block::bordered()
        .border_type(border_type)
        .border_style(border_style);
    let Some(story) = app.selected_story() else {
        let empty = Paragraph::new(Line::styled("No story selected.", theme::dim(app.color)))
            .block(block.title(" Story "));
        frame.render_widget(empty, area);
        return;
    };
    let block = block.title(Line::styled(format!(" {} ", story.id), theme::title()));
    let text = Paragraph::new(lines(story, &app.backlog.product, app.color))
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((app.story_scroll, 0));
    frame.render_widget(text, area);
}

/// The story as lines of text, before wrapping.
#[must_use]
pub fn lines(story: &Story, product: &Product, color: bool) -> Vec<Line<'static>> {
    let dim = theme::dim(color);
    let scale = product.settings.scale;
    let mut lines = vec![Line::styled(
        one_line(&story.title).into_owned(),
        theme::title(),
    )];

    let mut facts = vec![Span::styled(
        story.status.as_str(),
        theme::status(story.status, color),
    )];
    facts.push(Span::raw(" · "));
    facts.push(match story.points.map(|p| scale.describe(p)) {
        Some(text) if scale == Scale::TShirt && story.points.is_some_and(|p| scale.contains(p)) => {
            Span::raw(format!("size {text}"))
        }
        Some(text) => Span::raw(text),
        None => unestimated(color),
    });
    if let Some(name) = &story.epic {
        facts.push(Span::raw(" · "));
        facts.extend(epic_spans(name, product, color));
    }
    lines.push(Line::from(facts));
    lines.extend(readiness(story, product, color));
    lines.push(Line::from(""));

    match story.user_story_sentence() {
        Some(sentence) => lines.push(Line::from(one_line(&sentence).into_owned())),
        None => lines.push(Line::styled(
            "No user story yet: As a …, I want …, so that ….",
            dim,
        )),
    }

    if !story.description.is_empty() {
        lines.push(Line::from(""));
        for line in multi_line(&story.description).lines() {
            lines.push(Line::from(line.to_string()));
        }
    }

    lines.push(Line::from(""));
    lines.push(Line::styled("Acceptance criteria", theme::header()));
    if story.acceptance_criteria.is_empty() {
        lines.push(Line::styled("none yet", dim));
    }
    for criterion in &story.acceptance_criteria {
        let mark = if criterion.done { "[✓] " } else { "[ ] " };
        lines.push(Line::from(vec![
            Span::styled(mark, theme::title()),
            Span::raw(one_line(&criterion.text).into_owned()),
        ]));
    }

    if !story.comments.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::styled("Comments", theme::header()));
        for comment in &story.comments {
            lines.extend(comment_lines(comment, color));
        }
    }

    lines.push(Line::from(""));
    if !story.labels.is_empty() {
        let labels: Vec<String> = story
            .labels
            .iter()
            .map(|l| format!("#{}", one_line(l)))
            .collect();
        lines.push(Line::from(format!("Labels   {}", labels.join(" "))));
    }
    if let Some(name) = &story.epic {
        let mut spans = vec![Span::raw("Epic     ")];
        spans.extend(epic_spans(name, product, color));
        if let Some(epic) = product.epic(name) {
            if !epic.goal.is_empty() {
                spans.push(Span::styled(format!(" — {}", one_line(&epic.goal)), dim));
            }
            if let Some(release) = &epic.target_release {
                spans.push(Span::styled(
                    format!(" (release {})", one_line(release)),
                    dim,
                ));
            }
        }
        lines.push(Line::from(spans));
    }
    if let Some(from) = story.split_from {
        lines.push(Line::from(format!("Split from {from}")));
    }
    if !story.split_into.is_empty() {
        let into: Vec<String> = story.split_into.iter().map(ToString::to_string).collect();
        lines.push(Line::from(format!("Split into {}", into.join(", "))));
    }
    lines.push(Line::styled(
        format!("Created  {}", story.created.format("%Y-%m-%d %H:%M UTC")),
        dim,
    ));
    lines.push(Line::styled(
        format!("Updated  {}", story.updated.format("%Y-%m-%d %H:%M UTC")),
        dim,
    ));
    lines
}

/// The epic's marker and name, in its colour.
pub fn epic_spans(name: &str, product: &Product, color: bool) -> [Span<'static>; 2] {
    let (style, marker) = product.epic(name).map_or((Style::new(), '□'), |e| {
        (theme::epic(e.color, color), e.color.marker())
    });
    [
        Span::styled(format!("{marker} "), style),
        Span::styled(one_line(name).into_owned(), style),
    ]
}

/// The mark of a story with no estimate.
pub fn unestimated(color: bool) -> Span<'static> {
    Span::styled("? unestimated", theme::warning(color))
}

/// A story that meets the Definition of Ready.
pub fn ready_line(color: bool) -> Line<'static> {
    Line::styled("✓ Ready: meets the Definition of Ready", theme::good(color))
}

/// The Definition of Ready for this story: passed, or what it lacks.
/// Stories in progress, done or rejected are past it and show nothing.
fn readiness(story: &Story, product: &Product, color: bool) -> Vec<Line<'static>> {
    if !matches!(story.status, Status::Draft | Status::Ready) {
        return Vec::new();
    }
    let missing = ready::missing(story, &product.settings.ready);
    if missing.is_empty() {
        return vec![ready_line(color)];
    }
    let mut lines = Vec::new();
    match (&story.ready_override, story.status) {
        (Some(o), Status::Ready) => lines.push(Line::styled(
            format!(
                "! Set ready by {} on {} although it is not:",
                one_line(&o.by),
                o.at.format("%Y-%m-%d")
            ),
            theme::warning(color),
        )),
        _ => lines.push(Line::styled("✗ Not ready:", theme::warning(color))),
    }
    for reason in missing {
        lines.push(Line::styled(format!("  • {reason}"), theme::warning(color)));
    }
    lines
}

fn comment_lines(comment: &Comment, color: bool) -> Vec<Line<'static>> {
    let dim = theme::dim(color);
    let kind = match (comment.question, &comment.resolved) {
        (true, None) => Span::styled("? open question ", theme::warning(color)),
        (true, Some(_)) => Span::styled("✓ answered question ", dim),
        (false, _) => Span::raw(""),
    };
    let mut lines = vec![Line::from(vec![
        kind,
        Span::styled(
            format!(
                "{} · {}",
                one_line(&comment.author),
                comment.at.format("%Y-%m-%d %H:%M")
            ),
            dim,
        ),
    ])];
    for line in multi_line(&comment.text).lines() {
        lines.push(Line::from(format!("  {line}")));
    }
    lines
}
