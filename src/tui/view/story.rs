//! The story pane: the selected story in full.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::theme;
use crate::model::Story;
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
    let text = Paragraph::new(lines(story, app.color))
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((app.story_scroll, 0));
    frame.render_widget(text, area);
}

/// The story as lines of text, before wrapping.
#[must_use]
pub fn lines(story: &Story, color: bool) -> Vec<Line<'static>> {
    let dim = theme::dim(color);
    let mut lines = vec![Line::styled(
        one_line(&story.title).into_owned(),
        theme::title(),
    )];

    let mut facts = vec![Span::styled(
        story.status.as_str(),
        theme::status(story.status, color),
    )];
    facts.push(Span::raw(" · "));
    facts.push(match story.points {
        Some(points) => Span::raw(format!("{points} pts")),
        None => Span::styled("unestimated", dim),
    });
    if let Some(epic) = &story.epic {
        facts.push(Span::raw(format!(" · epic {}", one_line(epic))));
    }
    lines.push(Line::from(facts));
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

    lines.push(Line::from(""));
    if !story.labels.is_empty() {
        let labels: Vec<String> = story
            .labels
            .iter()
            .map(|l| format!("#{}", one_line(l)))
            .collect();
        lines.push(Line::from(format!("Labels   {}", labels.join(" "))));
    }
    if let Some(epic) = &story.epic {
        lines.push(Line::from(format!("Epic     {}", one_line(epic))));
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
