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
use crate::model::{Backlog, Comment, Scale, Status, Story, ready};
use crate::tui::app::App;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{ellipsized, wrap};
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
        let title = Line::styled(meeting.current().before.title.clone(), big());
        let mut lines = hanging(Vec::new(), title, body.width);
        lines.push(Line::from(""));
        lines.extend(hanging(
            Vec::new(),
            Line::styled(
                format!("This story is gone from the backlog: {drop} takes it off the agenda."),
                theme::warning(color),
            ),
            body.width,
        ));
        frame.render_widget(Paragraph::new(lines), body);
        return;
    };
    let selected = if pane.on == Some(id) {
        pane.selected
    } else {
        0
    };
    let (lines, selected_line) = story_lines(story, meeting, app, selected, body.width);
    // The row selected stays in view, with a line of what follows.
    let before = selected_line.unwrap_or(0);
    let scroll = (before + 2).saturating_sub(usize::from(body.height));
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(scroll)
        .take(usize::from(body.height))
        .collect();
    frame.render_widget(Paragraph::new(shown), body);
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

/// Lines of text wrapped to `width` columns after `lead`: the first row
/// starts with `lead`, the rows it wraps onto with as much space, so the
/// text hangs clear of its label. Shown as the story pane shows text: a
/// control character never reaches the terminal.
fn hanging(lead: Vec<Span<'static>>, body: Line<'_>, width: u16) -> Vec<Line<'static>> {
    let indent = u16::try_from(Line::from(lead.clone()).width()).unwrap_or(u16::MAX);
    let rows = wrap([body], width.saturating_sub(indent).max(1), 0..usize::MAX).rows;
    let mut lead = Some(lead);
    rows.into_iter()
        .map(|row| {
            let mut spans = lead
                .take()
                .unwrap_or_else(|| vec![Span::raw(" ".repeat(usize::from(indent)))]);
            spans.extend(row.spans);
            Line::from(spans)
        })
        .collect()
}

/// The story's lines wrapped to `width` columns, and which of them starts
/// the row selected.
fn story_lines(
    story: &Story,
    meeting: &Meeting,
    app: &App,
    selected: usize,
    width: u16,
) -> (Vec<Line<'static>>, Option<usize>) {
    let color = app.color;
    let label = |text: &str| Span::styled(format!("{text:<LABEL$}"), theme::dim(color));
    let mut lines = hanging(Vec::new(), Line::styled(story.title.clone(), big()), width);
    lines.push(Line::from(""));
    let sentence = [
        ("As a", &story.as_a),
        ("I want", &story.i_want),
        ("so that", &story.so_that),
    ];
    if sentence.iter().any(|(_, text)| !text.trim().is_empty()) {
        for (name, text) in sentence {
            let value = if text.trim().is_empty() {
                Line::styled("…", theme::warning(color))
            } else {
                Line::styled(text.trim().to_string(), big())
            };
            lines.extend(hanging(vec![label(name)], value, width));
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
        let chosen = row == selected;
        if chosen {
            selected_line = Some(lines.len());
        }
        let lead = vec![pointer(chosen), Span::raw(format!("{mark} {}. ", at + 1))];
        let rows = hanging(lead, Line::raw(criterion.text.clone()), width);
        lines.extend(highlighted(chosen, rows));
        row += 1;
    }
    lines.push(Line::from(""));
    let scale = app.backlog.product.settings.scale;
    lines.push(estimate_line(story, scale, color));
    for line in poker_lines(story, meeting, scale, app) {
        lines.extend(hanging(Vec::new(), line, width));
    }
    lines.extend(hanging(
        Vec::new(),
        ready_line(story, &app.backlog, color),
        width,
    ));
    if !story.comments.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            "Questions, decisions and comments",
            theme::header(),
        ));
    }
    for comment in &story.comments {
        let chosen = row == selected;
        if chosen {
            selected_line = Some(lines.len());
        }
        lines.extend(highlighted(
            chosen,
            comment_lines(comment, chosen, color, width),
        ));
        row += 1;
    }
    (lines, selected_line)
}

/// A comment: its mark (an open question, a question answered, a
/// decision), its text line by line, who wrote it, and an answer under it.
fn comment_lines(comment: &Comment, chosen: bool, color: bool, width: u16) -> Vec<Line<'static>> {
    let (mark, style) = if comment.is_open_question() {
        ("? ", theme::warning(color))
    } else if comment.question {
        ("✓ ", theme::good(color))
    } else if comment.decision {
        ("» ", theme::title())
    } else {
        ("· ", Style::new())
    };
    let edited = if comment.edited.is_some() {
        ", edited"
    } else {
        ""
    };
    let signed = Span::styled(format!("  {}{edited}", comment.author), theme::dim(color));
    let text: Vec<&str> = comment.text.trim().lines().collect();
    let mut lines = Vec::new();
    for (n, line) in text.iter().enumerate() {
        let lead = if n == 0 {
            vec![pointer(chosen), Span::styled(mark, style)]
        } else {
            vec![Span::raw("    ")]
        };
        let mut body = vec![Span::styled((*line).to_string(), style)];
        if n + 1 == text.len() {
            body.push(signed.clone());
        }
        lines.extend(hanging(lead, Line::from(body), width));
    }
    if let Some(answer) = &comment.answer {
        for (n, line) in answer.trim().lines().enumerate() {
            let lead = if n == 0 {
                "    Answer: "
            } else {
                "            "
            };
            lines.extend(hanging(
                vec![Span::styled(lead, theme::dim(color))],
                Line::raw(line.to_string()),
                width,
            ));
        }
    }
    lines
}

/// The pointer before a row that can be selected.
fn pointer(chosen: bool) -> Span<'static> {
    Span::raw(if chosen { "▶ " } else { "  " })
}

/// `rows` highlighted when they are the row selected.
fn highlighted(chosen: bool, rows: Vec<Line<'static>>) -> Vec<Line<'static>> {
    if chosen {
        rows.into_iter()
            .map(|row| row.style(theme::selected()))
            .collect()
    } else {
        rows
    }
}

/// The width of the labels before the story's parts.
const LABEL: usize = 10;

/// The estimate.
fn estimate_line(story: &Story, scale: Scale, color: bool) -> Line<'static> {
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
fn poker_lines(story: &Story, meeting: &Meeting, scale: Scale, app: &App) -> Vec<Line<'static>> {
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
fn ready_line(story: &Story, backlog: &Backlog, color: bool) -> Line<'static> {
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
        lines.extend(hanging(
            vec![Span::raw("· ")],
            Line::raw(topic.text.clone()),
            width,
        ));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
