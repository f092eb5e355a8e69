//! The table as drawn: only the visible rows are built, the release
//! plan's lines among them; and a release line selected, told of where
//! the story would be.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table as TableWidget, TableState, Wrap};
use unicode_width::UnicodeWidthStr;

use super::lines::LineKind;
use crate::forecast::{Forecast, Landing, Scope, Track, Unestimated};
use crate::model::ready::{self as readiness, Mark};
use crate::model::{Backlog, ReadyRules, Story};
use crate::priority::{self, Framework, Score, Scoring};
use crate::text::one_line;
use crate::tui::app::App;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{Drawn, OptionalColumns, Ruled, TableColumns, ellipsized, table_body};
use crate::tui::screens::story::epic_spans;
use crate::tui::theme;
use crate::words;

/// The pane's frame: what the table shows (the backlog, or its open
/// work) and of which product, the position, and the filters on.
fn block(app: &App, focused: bool) -> Block<'static> {
    let (border_type, border_style) = theme::border(focused, app.color);
    let filter = &app.table.filter;
    let product = one_line(&app.backlog.product.name);
    let shows = if filter.open { "Open work" } else { "Backlog" };
    let title = if product.is_empty() {
        format!(" {shows} ")
    } else {
        format!(" {shows} · {product} ")
    };
    let mut title = vec![Span::styled(title, theme::title())];
    // Sorted, the header says by what, so the order is never read as the
    // rank.
    if let Some(by) = app.table.sorted_by() {
        title.push(Span::styled(
            format!("· sorted: {} ", by.label()),
            theme::warning(app.color),
        ));
    }
    let mut block = Block::bordered()
        .border_type(border_type)
        .border_style(border_style)
        .title(Line::from(title));
    let shown = app.row_count();
    if shown > 0 {
        let count = if filter.is_active() {
            format!(
                " {}/{} of {} ",
                app.table.selected + 1,
                shown,
                app.backlog.len()
            )
        } else {
            format!(" {}/{} ", app.table.selected + 1, shown)
        };
        block = block.title(Line::from(count).alignment(Alignment::Right));
    }
    let key = |command| app.key(Context::Backlog, command);
    if filter.narrows_further() {
        block = block.title_bottom(Line::styled(
            format!(
                " filter: {} · {} clears ",
                filter.describe(),
                key(Command::ClearFilter)
            ),
            theme::warning(app.color),
        ));
    } else if filter.open {
        block = block.title_bottom(Line::styled(
            format!(
                " done and rejected hidden · {} shows them ",
                key(Command::ToggleOpenWork)
            ),
            theme::dim(app.color),
        ));
    }
    block
}

/// Draw the table in `area`, its border thick when it has the focus.
pub(super) fn render_table(app: &App, focused: bool, frame: &mut Frame, area: Rect) {
    let block = block(app, focused);
    let shown = app.row_count();
    if shown == 0 {
        let empty = Paragraph::new(empty_message(app))
            .block(block)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true });
        frame.render_widget(empty, area);
        return;
    }

    let body = table_body(area);
    let ruled = app.table.ruled(&app.backlog);
    let rank_digits = digits(app.backlog.len()).max(1);
    let columns = table_columns(&app.backlog, area.width, app.table.columns);
    // Each row drawn is scored as it is built: a score is a few sums of
    // the story's own inputs, so the column costs what the rows shown do.
    let scoring = Scoring::of(&app.backlog, (app.clock)());
    let framework = app.table.framework.filter(|_| columns.score > 0);
    let product = &app.backlog.product;
    let scale = product.settings.scale;
    let rules = &product.settings.ready;
    let scroll = app.table.scroll;
    let end = (scroll + usize::from(body.height)).min(ruled.len());
    // A line's row is left empty here, and drawn across the columns
    // below, once the table is.
    let rows = (scroll..end).filter_map(|drawn| {
        let row = match ruled.at(drawn)? {
            Drawn::Story(row) => row,
            Drawn::Line(_) => return Some(Row::new(Vec::<Cell>::new())),
        };
        let position = app.table.position(row, &app.backlog)?;
        let story = app.backlog.at(position)?;
        let points = story.points.map_or_else(
            || Span::styled("?", theme::warning(app.color)),
            |p| Span::raw(scale.label(p)),
        );
        // The selection shows as a `▶` as well as in reverse video, and a
        // marked story as a `*`, so both read without colour.
        let pointer = if row == app.table.selected && app.table.selected_line.is_none() {
            "▶"
        } else {
            " "
        };
        let mark = if app.table.marks.contains(story.id) {
            Span::styled("*", theme::key(app.color))
        } else {
            Span::raw(" ")
        };
        let mut cells = vec![
            Cell::from(Line::from(vec![
                Span::raw(pointer),
                mark,
                Span::raw(format!("{:>rank_digits$}", position + 1)),
            ])),
            Cell::from(story.id.to_string()),
            Cell::from(ready_mark(story, rules, app.color)),
            // A title too long for its column ends in `…`, never cut
            // unmarked; only what the column shows of it is read.
            Cell::from(title(story, &app.backlog, columns.title, app.color)),
        ];
        if columns.labels > 0 {
            let labels: Vec<String> = story.labels.iter().map(|l| format!("#{l}")).collect();
            cells.push(Cell::from(ellipsized(&labels.join(" "), columns.labels)));
        }
        if columns.epic > 0 {
            cells.push(Cell::from(
                story.epic.as_deref().map_or_else(Line::default, |name| {
                    Line::from(epic_spans(name, product, app.color).to_vec())
                }),
            ));
        }
        if let Some(framework) = framework {
            let score = priority::score(framework, story, &scoring);
            cells.push(Cell::from(score_cell(&score, columns.score, app.color)));
        }
        cells.push(Cell::from(Line::from(points).alignment(Alignment::Right)));
        if columns.status > 0 {
            cells.push(Cell::from(Span::styled(
                story.status.as_str(),
                theme::status(story.status, app.color),
            )));
        }
        if columns.updated > 0 {
            cells.push(Cell::from(Span::styled(
                story.updated.format("%Y-%m-%d").to_string(),
                theme::dim(app.color),
            )));
        }
        Some(Row::new(cells))
    });
    let headers = headers(app, rank_digits);
    let (widths, header): (Vec<Constraint>, Vec<Cell>) = columns
        .widths()
        .into_iter()
        .zip(headers)
        .filter(|(width, _)| *width > 0)
        .map(|(width, header)| (Constraint::Length(width), Cell::from(header)))
        .unzip();
    let table = TableWidget::new(rows, widths)
        .header(Row::new(header).style(theme::header()))
        .block(block)
        .column_spacing(1)
        .row_highlight_style(theme::selected());
    // Only the visible rows were built, so the selection is relative to
    // the first of them and the table never scrolls by itself.
    let selected = app.table.selected_drawn(&ruled);
    let mut state = TableState::default().with_selected(Some(selected.saturating_sub(scroll)));
    frame.render_stateful_widget(table, area, &mut state);
    draw_lines(app, &ruled, frame, body);
}

/// Draw the release plan's lines shown in the table's `body`, across
/// its columns, over the rows left empty for them.
fn draw_lines(app: &App, ruled: &Ruled, frame: &mut Frame, body: Rect) {
    let Some(forecast) = &app.table.plan.forecast else {
        return;
    };
    let scroll = app.table.scroll;
    let selected = app
        .table
        .selected_line_index()
        .map(|_| app.table.selected_drawn(ruled));
    let end = (scroll + usize::from(body.height)).min(ruled.len());
    for drawn in scroll..end {
        if let Some(Drawn::Line(line)) = ruled.at(drawn) {
            let kind = app.table.plan.lines[line].kind;
            let offset = u16::try_from(drawn - scroll).unwrap_or(u16::MAX);
            let rect = Rect::new(body.x, body.y.saturating_add(offset), body.width, 1);
            let chosen = selected == Some(drawn);
            frame.render_widget(plan_line(app, forecast, kind, chosen, body.width), rect);
        }
    }
}

/// A line between the rows, across the table `width` columns wide:
/// `── Sprint 14 ends 2026-11-29 · 21 of 27 pts ──────`, or
/// `── v2.0 line · due 2027-03-01 · on track ─────`, after the pointer
/// when `chosen`. A release line reads bolder than a sprint's end, and
/// each says which it is in words, so both read without colour.
fn plan_line(
    app: &App,
    forecast: &Forecast,
    kind: LineKind,
    chosen: bool,
    width: u16,
) -> Line<'static> {
    let (spans, style): (Vec<(String, Style)>, Style) = match kind {
        LineKind::SprintEnds(k) => {
            let style = theme::dim(app.color);
            let Some(sprint) = forecast.sprints.get(k) else {
                return Line::default();
            };
            let mut text = format!(
                "{} ends {} · {} of {} pts",
                one_line(&sprint.name),
                sprint.end,
                words::number(sprint.points),
                words::number(sprint.capacity)
            );
            if !sprint.too_big.is_empty() {
                let _ = write!(
                    text,
                    " · {} larger than a sprint",
                    words::count(sprint.too_big.len(), "story", "stories")
                );
            }
            (vec![(text, style)], style)
        }
        LineKind::Release(r) => {
            let style = theme::title();
            let Some(release) = forecast.releases.get(r) else {
                return Line::default();
            };
            let mut spans = vec![(format!("{} line", one_line(&release.name)), style)];
            spans.push(match release.date {
                Some(date) => (format!(" · due {date}"), style),
                None => (" · no date".to_string(), style),
            });
            if let Some(track) = track_style(release.track, app.color) {
                spans.push((" · ".to_string(), style));
                spans.push((release.track.as_str().to_string(), track));
            }
            (spans, style)
        }
    };
    let pointer = if chosen { "▶ " } else { "  " };
    // The pointer, `── ` before the words, ` ` and at least `──` after.
    let room = usize::from(width).saturating_sub(2 + 3 + 1 + 2);
    let text_width: usize = spans.iter().map(|(text, _)| text.width()).sum();
    let spans = if text_width > room {
        let all: String = spans.into_iter().map(|(text, _)| text).collect();
        let cut = ellipsized(&all, u16::try_from(room).unwrap_or(u16::MAX));
        vec![(cut, style)]
    } else {
        spans
    };
    let used: usize = spans.iter().map(|(text, _)| text.width()).sum();
    let rule = usize::from(width).saturating_sub(2 + 3 + used + 1);
    let mut line = vec![Span::raw(pointer), Span::styled("── ", style)];
    line.extend(
        spans
            .into_iter()
            .map(|(text, style)| Span::styled(text, style)),
    );
    line.push(Span::styled(format!(" {}", "─".repeat(rule)), style));
    Line::from(line)
}

/// How a release's standing reads: on track, at risk or late, coloured
/// to match; nothing to say without a date or a velocity.
fn track_style(track: Track, color: bool) -> Option<Style> {
    match track {
        Track::OnTrack => Some(theme::good(color)),
        Track::AtRisk => Some(theme::warning(color)),
        Track::Late => Some(theme::error(color)),
        Track::NoDate | Track::Unknown => None,
    }
}

/// The release line selected, in the story pane's place: its date, what
/// is above it, when it lands at each velocity, and the keys that move
/// it.
pub(super) fn render_release(app: &App, line: usize, focused: bool, frame: &mut Frame, area: Rect) {
    let (border_type, border_style) = theme::border(focused, app.color);
    let block = Block::bordered()
        .border_type(border_type)
        .border_style(border_style);
    let plan = &app.table.plan;
    let (Some(forecast), Some(LineKind::Release(r))) =
        (&plan.forecast, plan.lines.get(line).map(|l| l.kind))
    else {
        frame.render_widget(block, area);
        return;
    };
    let Some(release) = forecast.releases.get(r) else {
        frame.render_widget(block, area);
        return;
    };
    let name = one_line(&release.name);
    let block = block.title(Line::styled(format!(" {name} line "), theme::title()));
    let mut text = Vec::new();
    let mut standing = vec![Span::raw(match release.date {
        Some(date) => format!("Due {date}"),
        None => "No target date".to_string(),
    })];
    if let Some(style) = track_style(release.track, app.color) {
        standing.push(Span::raw(" · "));
        standing.push(Span::styled(release.track.as_str(), style));
    }
    text.push(Line::from(standing));
    let above = match release.scope {
        Scope::Line { above } => above,
        Scope::Assigned => 0,
    };
    text.push(Line::from(format!(
        "{} above the line · {} of {} pts done",
        words::count(above, "story", "stories"),
        words::number(release.done),
        words::number(release.points)
    )));
    if release.unestimated > 0 {
        let counted = match forecast.unestimated {
            Unestimated::LeftOut => "left out".to_string(),
            Unestimated::CountAs(points) => {
                format!("counted as {} pts each", words::number(points))
            }
        };
        text.push(Line::styled(
            format!(
                "{} unestimated, {counted}",
                words::count(release.unestimated, "open story", "open stories")
            ),
            theme::warning(app.color),
        ));
    }
    text.push(Line::from(""));
    match (forecast.velocity, forecast.needs()) {
        (Some(velocity), _) => {
            let lands = |landing| landing_text(app, forecast, landing);
            text.push(Line::from(format!(
                "At {} pts a sprint: {}",
                words::number(velocity),
                lands(release.mean)
            )));
            if let Some(range) = forecast.range {
                text.push(Line::styled(
                    format!(
                        "At {} pts: {}; at {}: {}",
                        words::number(range.low),
                        lands(release.low),
                        words::number(range.high),
                        lands(release.high)
                    ),
                    theme::dim(app.color),
                ));
            }
        }
        (None, Some(needs)) => text.push(Line::styled(
            format!("No forecast: {needs}"),
            theme::dim(app.color),
        )),
        (None, None) => {}
    }
    text.push(Line::from(""));
    let key = |command| Span::styled(app.key(Context::Backlog, command), theme::key(app.color));
    text.push(Line::from(vec![
        key(Command::MoveDown),
        Span::raw(" / "),
        key(Command::MoveUp),
        Span::raw(" move the line past a story, "),
        key(Command::MoveToTop),
        Span::raw(" / "),
        key(Command::MoveToBottom),
        Span::raw(" to the top / bottom, "),
        key(Command::DeleteStory),
        Span::raw(" takes it out."),
    ]));
    frame.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: true }),
        area,
    );
}

/// When a release lands, in words: the last day of the sprint it lands
/// in, and the sprint's name where the forecast's sprints reach it.
fn landing_text(app: &App, forecast: &Forecast, landing: Landing) -> String {
    match landing {
        Landing::Done => "done already".to_string(),
        Landing::Beyond => "beyond the forecast's horizon".to_string(),
        Landing::Sprint(k) => {
            let by = forecast
                .landing_date(&app.backlog, landing)
                .map_or_else(String::new, |end| format!("by {end}"));
            match forecast.sprints.get(k) {
                Some(sprint) => format!("{by}, the end of {}", one_line(&sprint.name)),
                None => by,
            }
        }
    }
}

/// The columns' names, in the order drawn.
fn headers(app: &App, rank_digits: usize) -> [Line<'static>; 10] {
    [
        Line::from(format!("  {:>rank_digits$}", "#")),
        Line::from("ID"),
        Line::from("R"),
        Line::from("Title"),
        Line::from("Labels"),
        Line::from("Epic"),
        Line::from(app.table.framework.map_or("Score", Framework::name))
            .alignment(Alignment::Right),
        Line::from("Pts").alignment(Alignment::Right),
        Line::from("Status"),
        Line::from("Updated"),
    ]
}

/// The table's columns in a pane `width` wide, for `backlog`'s ranks and
/// ids, with the optional columns `wanted`.
pub(super) fn table_columns(
    backlog: &Backlog,
    width: u16,
    wanted: OptionalColumns,
) -> TableColumns {
    let rank_digits = digits(backlog.len()).max(1);
    // Ids only grow, so the last is the longest.
    let id_width = backlog
        .stories_by_id()
        .last()
        .map_or(3, |s| s.id.to_string().len());
    TableColumns::of(
        width,
        u16::try_from(rank_digits).unwrap_or(u16::MAX),
        u16::try_from(id_width).unwrap_or(u16::MAX),
        wanted,
    )
}

/// A story's score as its column shows it, `width` columns at most: the
/// value right-aligned as numbers are; a story the framework cannot
/// score says so in words, which read without colour.
#[must_use]
pub fn score_cell(score: &Score, width: u16, color: bool) -> Line<'static> {
    let text = ellipsized(&score.short(), width);
    match score {
        Score::Scored { .. } => Line::from(text).alignment(Alignment::Right),
        Score::Unscored { .. } => Line::styled(text, theme::dim(color)).alignment(Alignment::Right),
        Score::Invalid(_) => Line::styled(text, theme::error(color)).alignment(Alignment::Right),
    }
}

/// What an empty table says: how to add a story, or how to see them all.
fn empty_message(app: &App) -> Vec<Line<'static>> {
    let key = |command| Span::styled(app.key(Context::Backlog, command), theme::key(app.color));
    if app.backlog.is_empty() {
        return vec![
            Line::from(""),
            Line::styled("No stories yet.", theme::title()),
            Line::from(""),
            Line::from(vec![
                Span::raw("Press "),
                key(Command::AddStory),
                Span::raw(" to add the first story,"),
            ]),
            Line::from("or quit and run `backlog init --demo`"),
            Line::from("for a sample backlog to try things on."),
        ];
    }
    let filter = &app.table.filter;
    if filter.open && !filter.narrows_further() {
        return vec![
            Line::from(""),
            Line::styled(
                "No open work: every story is done or rejected.",
                theme::title(),
            ),
            Line::from(""),
            Line::from(vec![
                key(Command::ToggleOpenWork),
                Span::raw(" shows them, "),
                key(Command::AddStory),
                Span::raw(" adds a story."),
            ]),
        ];
    }
    vec![
        Line::from(""),
        Line::styled("No story matches the filter.", theme::title()),
        Line::from(""),
        Line::from(vec![
            key(Command::ClearFilter),
            Span::raw(" shows every story, "),
            key(Command::OpenFilter),
            Span::raw(" changes the filter."),
        ]),
    ]
}

/// The Definition of Ready at a glance, for stories not yet taken on:
/// `✓` ready, `✗` not, `!` set ready although it is not. Stories in
/// progress, done or rejected are past it and show nothing.
fn ready_mark(story: &Story, rules: &ReadyRules, color: bool) -> Span<'static> {
    let Some(mark) = readiness::mark(story, rules) else {
        return Span::raw(" ");
    };
    let style = match mark {
        Mark::Ready => theme::good(color),
        Mark::NotReady => theme::warning(color),
        Mark::ReadyAnyway => theme::error(color),
    };
    Span::styled(mark.symbol().to_string(), style)
}

/// The title cell: the title in `width` columns, after its marks.
fn title(story: &Story, backlog: &Backlog, width: u16, color: bool) -> Line<'static> {
    let mut spans = Vec::new();
    if backlog.has_clash(story.id) {
        spans.push(Span::styled(TitleMark::Clash.symbol(), theme::error(color)));
        spans.push(Span::raw(" "));
    }
    if let Some(mark) = dependency_mark(story, backlog, color) {
        spans.push(mark);
        spans.push(Span::raw(" "));
    }
    // Each mark and the space after it take two of the title's columns.
    let marks = u16::try_from(spans.len()).unwrap_or(u16::MAX);
    spans.push(Span::raw(ellipsized(
        &story.title,
        width.saturating_sub(marks),
    )));
    Line::from(spans)
}

/// Dependencies at a glance, for open stories: `⚑` ranked above a story
/// it is blocked by that is still open (the order has it done before what
/// it waits for), else `⧗` blocked by an open story. A glyph each, so they
/// read without colour. Looked up by rank position, for the visible rows
/// only.
fn dependency_mark(story: &Story, backlog: &Backlog, color: bool) -> Option<Span<'static>> {
    if story.blocked_by.is_empty() || !story.status.is_open() {
        return None;
    }
    if !backlog.blockers_below(story).is_empty() {
        return Some(Span::styled(
            TitleMark::AboveBlocker.symbol(),
            theme::error(color),
        ));
    }
    backlog
        .open_blockers(story)
        .next()
        .map(|_| Span::styled(TitleMark::Blocked.symbol(), theme::warning(color)))
}

/// The marks the table puts before a title, as the help explains them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TitleMark {
    /// A git merge left a field of it that both sides changed
    /// differently, still to settle.
    Clash,
    /// Blocked by a story still open.
    Blocked,
    /// Ranked above a story it is blocked by that is still open.
    AboveBlocker,
}

impl TitleMark {
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            TitleMark::Clash => "≠",
            TitleMark::Blocked => "⧗",
            TitleMark::AboveBlocker => "⚑",
        }
    }
}

fn digits(n: usize) -> usize {
    n.to_string().len()
}
