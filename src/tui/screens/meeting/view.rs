//! The presenter: the story on screen in large clear type for a room
//! watching a shared terminal, its clocks, and beside it the agenda,
//! the story's place in the backlog and the parking lot. Ids and dates
//! are dimmed: the room reads the story, not its bookkeeping.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::MeetingPane;
use crate::meeting::timebox::{Left, clock};
use crate::meeting::{Meeting, place};
use crate::model::{Backlog, Scale, Status, Story, ready};
use crate::tui::app::App;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::ellipsized;
use crate::tui::theme;

/// A row of the story on screen the keys select: a criterion, or a
/// comment (a question, a decision), by its place on the story.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    Criterion(usize),
    Comment(usize),
}

impl Row {
    /// The rows of `story`, in the order shown: its criteria, then its
    /// comments.
    #[must_use]
    pub fn all(story: &Story) -> Vec<Row> {
        (0..story.acceptance_criteria.len())
            .map(Row::Criterion)
            .chain((0..story.comments.len()).map(Row::Comment))
            .collect()
    }
}

/// The side strip's width at a main area `width` columns wide.
fn strip_width(width: u16) -> u16 {
    if width >= 96 { 30 } else { 24 }
}

pub fn render(pane: &MeetingPane, meeting: &Meeting, app: &App, area: Rect, frame: &mut Frame) {
    let now = (app.clock)();
    let [story_area, strip] = Layout::horizontal([
        Constraint::Min(40),
        Constraint::Length(strip_width(area.width)),
    ])
    .areas(area);
    render_story(pane, meeting, app, now, story_area, frame);
    render_strip(meeting, app, now, strip, frame);
}

fn render_story(
    pane: &MeetingPane,
    meeting: &Meeting,
    app: &App,
    now: DateTime<Utc>,
    area: Rect,
    frame: &mut Frame,
) {
    let color = app.color;
    let id = meeting.story();
    let position = format!(
        " Refinement meeting · story {} of {} ",
        meeting.current_index() + 1,
        meeting.agenda().len()
    );
    let block = Block::bordered()
        .border_type(theme::border(true, color).0)
        .border_style(theme::border(true, color).1)
        .title(Line::styled(position, theme::title()))
        .title(Line::styled(format!(" {id} "), theme::dim(color)).alignment(Alignment::Right));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let inner = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    let [clocks, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
    frame.render_widget(
        Paragraph::new(clock_line(meeting, now, color, clocks.width)),
        clocks,
    );
    let Some(story) = app.backlog.get(id) else {
        let drop = app.key(Context::Meeting, Command::DropFromAgenda);
        let lines = vec![
            Line::styled(meeting.current().before.title.clone(), big()),
            Line::from(""),
            Line::styled(
                format!("This story is gone from the backlog: {drop} takes it off the agenda."),
                theme::warning(color),
            ),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
        return;
    };
    let selected = if pane.on == Some(id) {
        pane.selected
    } else {
        0
    };
    let (lines, selected_line) = story_lines(story, meeting, app, selected);
    let before = selected_line.map_or(0, |at| {
        Paragraph::new(lines[..at].to_vec())
            .wrap(Wrap { trim: false })
            .line_count(body.width)
    });
    // The row selected stays in view, with a line of what follows.
    let scroll = (before + 2).saturating_sub(usize::from(body.height));
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        body,
    );
}

/// The title's style: as large as a terminal's text goes.
fn big() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// The story's timebox on the left, the meeting's on the right.
fn clock_line(meeting: &Meeting, now: DateTime<Utc>, color: bool, width: u16) -> Line<'static> {
    let left = meeting.story_left(now);
    let story = match left {
        Left::Remaining(_) if !left.ran_out() => Span::styled(
            format!("⏱ {left} of {} min", meeting.story_minutes),
            theme::good(color).add_modifier(Modifier::BOLD),
        ),
        _ => Span::styled(
            format!("⏱ Time is up: {left}"),
            theme::error(color).add_modifier(Modifier::BOLD),
        ),
    };
    let meeting_left = meeting.meeting_left(now);
    let whole = format!("Meeting {} · {meeting_left}", clock(meeting.elapsed(now)));
    let style = if meeting_left.ran_out() {
        theme::warning(color)
    } else {
        theme::dim(color)
    };
    let used = story.width() + whole.chars().count();
    let gap = usize::from(width).saturating_sub(used).max(2);
    Line::from(vec![
        story,
        Span::raw(" ".repeat(gap)),
        Span::styled(whole, style),
    ])
}

/// The story's lines, and which of them is the row selected.
fn story_lines<'a>(
    story: &'a Story,
    meeting: &Meeting,
    app: &App,
    selected: usize,
) -> (Vec<Line<'a>>, Option<usize>) {
    let color = app.color;
    let label = |text: &'static str| Span::styled(format!("{text:<LABEL$}"), theme::dim(color));
    let mut lines = vec![Line::styled(story.title.as_str(), big()), Line::from("")];
    let sentence = [
        ("As a", &story.as_a),
        ("I want", &story.i_want),
        ("so that", &story.so_that),
    ];
    if sentence.iter().any(|(_, text)| !text.trim().is_empty()) {
        for (name, text) in sentence {
            let value = if text.trim().is_empty() {
                Span::styled("…", theme::warning(color))
            } else {
                Span::styled(text.trim(), big())
            };
            lines.push(Line::from(vec![label(name), value]));
        }
    } else {
        lines.push(Line::styled(
            "No user-story sentence yet.",
            theme::warning(color),
        ));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled("Acceptance criteria", theme::header()));
    let mut selected_line = None;
    let mut row = 0;
    if story.acceptance_criteria.is_empty() {
        let add = app.key(Context::Meeting, Command::AddCriterion);
        lines.push(Line::styled(
            format!("  None yet: {add} adds one."),
            theme::warning(color),
        ));
    }
    for (at, criterion) in story.acceptance_criteria.iter().enumerate() {
        let mark = if criterion.done { "☑" } else { "☐" };
        if row == selected {
            selected_line = Some(lines.len());
        }
        lines.push(pointed(
            row == selected,
            vec![
                Span::raw(format!("{mark} {}. ", at + 1)),
                Span::raw(criterion.text.as_str()),
            ],
        ));
        row += 1;
    }
    lines.push(Line::from(""));
    let scale = app.backlog.product.settings.scale;
    lines.push(estimate_line(story, scale, color));
    lines.extend(poker_lines(story, meeting, scale, app));
    lines.push(ready_line(story, &app.backlog, color));
    if !story.comments.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            "Questions, decisions and comments",
            theme::header(),
        ));
    }
    for comment in &story.comments {
        if row == selected {
            selected_line = Some(lines.len());
        }
        let (mark, style) = if comment.is_open_question() {
            ("? ", theme::warning(color))
        } else if comment.question {
            ("✓ ", theme::good(color))
        } else if comment.decision {
            ("» ", theme::title())
        } else {
            ("· ", Style::new())
        };
        let mut text: Vec<&str> = comment.text.trim().lines().collect();
        if text.is_empty() {
            text.push("");
        }
        let edited = if comment.edited.is_some() {
            " (edited)"
        } else {
            ""
        };
        let mut first = vec![Span::styled(mark, style), Span::styled(text[0], style)];
        if text.len() == 1 {
            first.push(Span::styled(
                format!("  {}{edited}", comment.author),
                theme::dim(color),
            ));
        }
        lines.push(pointed(row == selected, first));
        for (n, more) in text.iter().enumerate().skip(1) {
            let mut spans = vec![Span::raw("  "), Span::styled(*more, style)];
            if n == text.len() - 1 {
                spans.push(Span::styled(
                    format!("  {}{edited}", comment.author),
                    theme::dim(color),
                ));
            }
            lines.push(pointed(false, spans));
        }
        if let Some(answer) = &comment.answer {
            for (n, line) in answer.trim().lines().enumerate() {
                let lead = if n == 0 { "  Answer: " } else { "          " };
                lines.push(pointed(
                    false,
                    vec![Span::styled(lead, theme::dim(color)), Span::raw(line)],
                ));
            }
        }
        row += 1;
    }
    (lines, selected_line)
}

/// A row that can be selected: pointed at and highlighted when it is.
fn pointed(chosen: bool, spans: Vec<Span<'_>>) -> Line<'_> {
    let mut row = vec![Span::raw(if chosen { "▶ " } else { "  " })];
    row.extend(spans);
    let line = Line::from(row);
    if chosen {
        line.style(theme::selected())
    } else {
        line
    }
}

/// The width of the labels before the story's parts.
const LABEL: usize = 10;

/// The estimate.
fn estimate_line<'a>(story: &Story, scale: Scale, color: bool) -> Line<'a> {
    let estimate = match story.points {
        Some(points) if scale == Scale::TShirt => scale.label(points),
        Some(points) => format!("{} points", scale.label(points)),
        None => "not estimated".to_string(),
    };
    Line::from(vec![
        Span::styled(format!("{:<LABEL$}", "Estimate"), theme::dim(color)),
        Span::styled(estimate, big()),
    ])
}

/// The last poker round played on the story: its cards, what they say,
/// who speaks first, and the key that agrees; or the key that plays one.
fn poker_lines<'a>(story: &Story, meeting: &Meeting, scale: Scale, app: &App) -> Vec<Line<'a>> {
    let color = app.color;
    let lead = |text: &'static str| Span::styled(format!("{text:<LABEL$}"), theme::dim(color));
    let round = meeting
        .item(story.id)
        .and_then(|item| item.rounds.last().map(|r| (r, item.rounds.len())));
    let Some((round, n)) = round else {
        let play = app.key(Context::Meeting, Command::PlayPoker);
        return vec![Line::from(vec![
            lead("Poker"),
            Span::styled(format!("{play} types the team's cards"), theme::dim(color)),
        ])];
    };
    let spread = round.spread(scale);
    let cards: Vec<String> = round.votes.iter().map(|p| scale.label(*p)).collect();
    let agree = app.key(Context::Meeting, Command::AgreeEstimate);
    let mut first = vec![
        lead("Poker"),
        Span::styled(format!("Round {n}: "), theme::dim(color)),
        Span::styled(cards.join(" "), big()),
    ];
    let take = Span::styled(
        format!("  {agree} takes {}", scale.label(spread.suggested)),
        theme::key(color),
    );
    if spread.consensus {
        first.push(Span::styled("  consensus", theme::good(color)));
        first.push(take);
        return vec![Line::from(first)];
    }
    first.push(Span::raw(format!(
        "  median {}",
        label(scale, spread.median)
    )));
    first.push(take);
    let who = |cards: &[usize], value: f64| {
        let numbers: Vec<String> = cards.iter().map(|at| (at + 1).to_string()).collect();
        let word = if numbers.len() == 1 { "card" } else { "cards" };
        format!("{word} {} ({})", numbers.join(", "), label(scale, value))
    };
    let mut second = vec![
        lead(""),
        Span::raw(format!(
            "{} and {} explain first",
            who(&spread.speak_low, spread.lowest),
            who(&spread.speak_high, spread.highest),
        )),
    ];
    if spread.steps > 1 {
        second.push(Span::styled(" · far apart", theme::warning(color)));
    }
    vec![Line::from(first), Line::from(second)]
}

fn label(scale: Scale, value: f64) -> String {
    crate::model::Points::new(value).map_or_else(|_| value.to_string(), |p| scale.label(p))
}

/// What the Definition of Ready still misses.
fn ready_line<'a>(story: &Story, backlog: &Backlog, color: bool) -> Line<'a> {
    let rules = &backlog.product.settings.ready;
    let lead = Span::styled(format!("{:<LABEL$}", "Ready"), theme::dim(color));
    if story.status == Status::Ready {
        return Line::from(vec![
            lead,
            Span::styled("ready ✓", theme::good(color).add_modifier(Modifier::BOLD)),
        ]);
    }
    let missing = ready::reasons(story, rules);
    if missing.is_empty() {
        Line::from(vec![
            lead,
            Span::styled("meets the Definition of Ready", theme::good(color)),
            Span::styled(format!(" · {}", story.status), theme::dim(color)),
        ])
    } else {
        Line::from(vec![
            lead,
            Span::styled(
                format!("not yet: {}", missing.join(" · ")),
                theme::warning(color),
            ),
        ])
    }
}

/// The agenda, the story's place in the backlog, and the parking lot.
fn render_strip(meeting: &Meeting, app: &App, now: DateTime<Utc>, area: Rect, frame: &mut Frame) {
    let color = app.color;
    let block = Block::bordered()
        .border_type(theme::border(false, color).0)
        .border_style(theme::border(false, color).1)
        .title(Line::styled(" Agenda ", theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width;
    let mut lines = Vec::new();
    for (at, item) in meeting.agenda().iter().enumerate() {
        let on_screen = at == meeting.current_index();
        let story = app.backlog.get(item.story);
        let title = story.map_or(item.before.title.as_str(), |s| s.title.as_str());
        let ready = story.is_some_and(|s| s.status == Status::Ready);
        let spent = item.spent.spent(now);
        let time = if item.discussed() {
            clock(spent)
        } else {
            String::new()
        };
        let mark = if ready { "✓" } else { " " };
        let lead = format!("{}{mark}{}. ", if on_screen { "▶" } else { " " }, at + 1);
        let room =
            usize::from(width).saturating_sub(lead.chars().count() + time.chars().count() + 1);
        let title = ellipsized(title, u16::try_from(room).unwrap_or(0));
        let gap = room.saturating_sub(unicode_width::UnicodeWidthStr::width(title.as_str()));
        let style = if on_screen {
            theme::selected()
        } else {
            Style::new()
        };
        lines.push(
            Line::from(vec![
                Span::raw(lead),
                Span::raw(title),
                Span::raw(" ".repeat(gap + 1)),
                Span::styled(time, theme::dim(color)),
            ])
            .style(style),
        );
    }
    lines.push(Line::from(""));
    if let Some(at) = place(&app.backlog, meeting.story()) {
        lines.push(Line::styled(
            format!("#{at} of {} in the backlog", app.backlog.len()),
            theme::dim(color),
        ));
    }
    if let Some(moved) = &meeting.current().moved {
        lines.push(Line::styled(
            format!("Moved here from #{}", moved.from_place),
            theme::dim(color),
        ));
    }
    lines.push(Line::from(""));
    let parked = meeting.parking_lot();
    lines.push(Line::styled(
        format!("Parking lot ({})", parked.len()),
        theme::header(),
    ));
    if parked.is_empty() {
        let park = app.key(Context::Meeting, Command::ParkTopic);
        lines.push(Line::styled(
            format!("{park} parks a topic"),
            theme::dim(color),
        ));
    }
    for topic in parked {
        lines.push(Line::from(format!(
            "· {}",
            topic.text.lines().next().unwrap_or("")
        )));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
