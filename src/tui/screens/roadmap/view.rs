//! The roadmap pane as drawn. Every mark reads without colour: a
//! release's track is a word with its sign (`✓ on track`, `! at risk`,
//! `✗ late`), the selected story has its `▶`, the section shown its
//! brackets, and without colour the burnup's lines are drawn with their
//! own characters, named in the legend.

use std::fmt::Write as _;

use chrono::{Datelike, Days, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::geometry::{Geometry, MIN_HEIGHT, MIN_WIDTH};
use super::plan::{Mark, Plan, Row, lane_rows};
use super::{Odds, RoadmapPane, Section};
use crate::forecast::burnup::{Burnup, Projection};
use crate::forecast::lanes::EpicProgress;
use crate::forecast::{
    Coming, Forecast, HORIZON, Landing, ReleaseForecast, Scope, Source, Track, Unestimated,
};
use crate::model::{Backlog, Points, SprintState};
use crate::text::one_line;
use crate::tui::app::App;
use crate::tui::keymap::{Command, Context, Keymap};
use crate::tui::layout::{Areas, ellipsized};
use crate::tui::screens::story::epic_spans;
use crate::tui::theme;
use crate::words::{count, number};

/// The labels before the head's lines, this wide.
const LABEL: usize = 9;

/// A bar of progress, this many cells wide.
const BAR: usize = 12;

pub fn render(pane: &RoadmapPane, app: &App, areas: &Areas, frame: &mut Frame) {
    let product = one_line(&app.backlog.product.name);
    let title = if product.is_empty() {
        " Roadmap ".to_string()
    } else {
        format!(" Roadmap · {product} ")
    };
    let back = format!(
        " {} backlog ",
        app.key(Context::Roadmap, Command::ShowPane1)
    );
    let (border_type, border_style) = theme::border(true, app.color);
    let block = Block::bordered()
        .border_type(border_type)
        .border_style(border_style)
        .title(Line::styled(title, theme::title()))
        .title(Line::from(back).alignment(Alignment::Right));
    frame.render_widget(block, areas.main);
    let Some(geometry) = Geometry::of(areas.main, pane, &app.backlog, &app.keymap) else {
        // The rows below the pane (the status bar, the keys, messages
        // that last) come on top of its own.
        let below = areas.screen.height.saturating_sub(areas.main.height);
        let text = format!(
            "Too small for the roadmap: it needs a terminal of {MIN_WIDTH}×{}, and this one \
             is {}×{}.",
            MIN_HEIGHT.saturating_add(below),
            areas.screen.width,
            areas.screen.height
        );
        let inside = Block::bordered().inner(areas.main);
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inside);
        return;
    };
    let wide = geometry.boxes.is_some();
    let head = head(
        pane,
        &app.backlog,
        &app.keymap,
        geometry.inner.width,
        wide,
        app.color,
    );
    frame.render_widget(Paragraph::new(head), geometry.head);
    let Some(plan) = &pane.plan else {
        return;
    };
    frame.render_widget(
        Paragraph::new(releases(pane, plan, app, &geometry)),
        geometry.releases,
    );
    if let Some(boxes) = geometry.boxes {
        for (section, area) in Section::ALL.into_iter().zip(boxes) {
            let focused = section == pane.section;
            let (border_type, border_style) = theme::border(focused, app.color);
            let style = if focused {
                theme::selected()
            } else {
                theme::title()
            };
            let title = Line::styled(format!(" {} ", section.name()), style);
            frame.render_widget(
                Block::bordered()
                    .border_type(border_type)
                    .border_style(border_style)
                    .title(title),
                area,
            );
        }
    } else {
        frame.render_widget(
            Paragraph::new(fit(tabs(pane, app).spans, geometry.tabs.width)),
            geometry.tabs,
        );
    }
    if !geometry.timeline.is_empty() {
        timeline(pane, plan, app, geometry.timeline, frame);
    }
    if !geometry.chart.is_empty() {
        burnup(plan, app, geometry.chart, frame);
    }
    if !geometry.lanes.is_empty() {
        lanes(pane, plan, app, geometry.lanes, frame);
    }
}

/// A day as the pane shows it: "15 Jan" within the coming months (and
/// the last two), with the year further off.
fn day(date: NaiveDate, today: NaiveDate) -> String {
    let ahead = (date - today).num_days();
    if (-60..=300).contains(&ahead) {
        date.format("%-d %b").to_string()
    } else {
        date.format("%-d %b %Y").to_string()
    }
}

/// A sprint's days: "12–25 Jan", "29 Dec–11 Jan".
fn days(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> String {
    let (from, to) = (day(start, today), day(end, today));
    let same_month = start.month() == end.month() && start.year() == end.year();
    if same_month && from.len() <= 6 && to.len() <= 6 {
        format!("{}–{to}", start.day())
    } else {
        format!("{from}–{to}")
    }
}

/// A bar of `width` cells, filled by the share `part` of `whole`, in
/// eighths: `████▌░░░`.
fn bar(part: f64, whole: f64, width: usize) -> String {
    const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let share = if whole > 0.0 {
        (part / whole).clamp(0.0, 1.0)
    } else {
        0.0
    };
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "a share of a bar a few cells wide"
    )]
    let eighths = (share * (width * 8) as f64).round() as usize;
    let mut text: String = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        text.push(EIGHTHS[eighths % 8]);
    }
    let drawn = text.chars().count();
    text.push_str(&"░".repeat(width - drawn));
    text
}

/// `spans` cut to `width` columns, the span that crosses the edge ended
/// with `…`.
fn fit(spans: Vec<Span<'static>>, width: u16) -> Line<'static> {
    let mut left = usize::from(width);
    let mut kept = Vec::with_capacity(spans.len());
    for span in spans {
        let wide = span.content.width();
        if wide <= left {
            left -= wide;
            kept.push(span);
            continue;
        }
        let cut = ellipsized(&span.content, u16::try_from(left).unwrap_or(0));
        if !cut.is_empty() {
            kept.push(Span::styled(cut, span.style));
        }
        break;
    }
    Line::from(kept)
}

/// `text` in at most `rows` rows of `width` columns, broken between
/// words, the last row ended with `…` when there is more.
fn wrapped(text: &str, width: usize, rows: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut words = text.split_whitespace().peekable();
    while out.len() + 1 < rows {
        let mut row = String::new();
        while let Some(word) = words.peek() {
            let needed = row.width() + usize::from(!row.is_empty()) + word.width();
            if needed > width && !row.is_empty() {
                break;
            }
            if !row.is_empty() {
                row.push(' ');
            }
            row.push_str(word);
            words.next();
            if row.width() >= width {
                break;
            }
        }
        if row.is_empty() {
            break;
        }
        out.push(row);
    }
    let rest: Vec<&str> = words.collect();
    if !rest.is_empty() {
        out.push(ellipsized(
            &rest.join(" "),
            u16::try_from(width).unwrap_or(0),
        ));
    }
    out
}

fn label(text: &str) -> Span<'static> {
    Span::styled(format!("{text:<LABEL$}"), theme::title())
}

/// The vision, the goals and where the plan stands, each row cut to
/// `width`: the vision two rows on a `wide` pane, one on a small one;
/// with no velocity, what the forecast needs, in up to three rows.
pub fn head(
    pane: &RoadmapPane,
    backlog: &Backlog,
    keys: &Keymap,
    width: u16,
    wide: bool,
    color: bool,
) -> Vec<Line<'static>> {
    let dim = theme::dim(color);
    let text_width = usize::from(width).saturating_sub(LABEL).max(1);
    let product = &backlog.product;
    let mut lines = Vec::new();
    let vision = one_line(&product.vision);
    if vision.trim().is_empty() {
        let open = keys.label(Context::Backlog, Command::OpenVision);
        lines.push(fit(
            vec![
                label("Vision"),
                Span::styled(format!("none yet: {open} in the backlog writes it"), dim),
            ],
            width,
        ));
    } else {
        for (i, row) in wrapped(&vision, text_width, if wide { 2 } else { 1 })
            .into_iter()
            .enumerate()
        {
            let first = if i == 0 { label("Vision") } else { label("") };
            lines.push(fit(vec![first, Span::raw(row)], width));
        }
    }
    if !product.goals.is_empty() {
        let goals: Vec<String> = product
            .goals
            .iter()
            .map(|g| one_line(g).into_owned())
            .collect();
        lines.push(fit(
            vec![label("Goals"), Span::raw(goals.join(" · "))],
            width,
        ));
    }
    let Some(plan) = &pane.plan else {
        lines.push(fit(
            vec![label("Plan"), Span::styled("working it out…", dim)],
            width,
        ));
        return lines;
    };
    // Two rows at most, three to say what a forecast needs.
    let (said, rows, style) = match plan_said(pane, plan, backlog) {
        Ok(said) => (said, 2, Style::new()),
        Err(needs) => (needs, 3, theme::warning(color)),
    };
    for (i, row) in wrapped(&said, text_width, rows).into_iter().enumerate() {
        let first = if i == 0 { label("Plan") } else { label("") };
        lines.push(fit(vec![first, Span::styled(row, style)], width));
    }
    lines
}

/// Where the plan stands: the velocity, its range and how many sprints
/// it is the mean of, the points to do, the unestimated stories, and
/// whether there are sprints enough for a Monte Carlo forecast; with no
/// velocity, the points to do and what the forecast needs, as an error.
fn plan_said(pane: &RoadmapPane, plan: &Plan, backlog: &Backlog) -> Result<String, String> {
    let forecast = &plan.forecast;
    let to_do = plan.burnup.start.scope - plan.burnup.start.done;
    let mut said = vec![format!("{} pts to do", number(to_do))];
    match forecast.unestimated {
        _ if forecast.left_out == 0 => {}
        Unestimated::LeftOut => said.push(format!(
            "{} left out",
            count(
                forecast.left_out,
                "unestimated story",
                "unestimated stories"
            )
        )),
        Unestimated::CountAs(points) => {
            said.push(format!("unestimated count as {}", number(points)));
        }
    }
    let Some(velocity) = forecast.velocity else {
        let needs = forecast.needs().unwrap_or_default();
        return Err(format!("{} · {needs}", said.join(" · ")));
    };
    let last = forecast
        .history
        .len()
        .min(backlog.product.settings.plan.velocity_sprints.max(1));
    let over = match forecast.source {
        Source::DoneDates => format!("{last} sprint-long periods, by done dates"),
        _ => count(last, "sprint", "sprints"),
    };
    said.insert(
        0,
        format!("velocity {} (mean of the last {over})", number(velocity)),
    );
    if let Some(range) = forecast.range
        && range.low < range.high
    {
        said.insert(
            1,
            format!("likely {}–{}", number(range.low), number(range.high)),
        );
    }
    if let Odds::TooFew { have } = pane.odds {
        said.push(format!(
            "Monte Carlo needs {} sprints of velocity; {have} so far",
            crate::forecast::carlo::FEWEST_SPRINTS
        ));
    }
    Ok(said.join(" · "))
}

/// A release's track as a sign and a word, styled.
fn track(track: Track, color: bool) -> Span<'static> {
    match track {
        Track::OnTrack => Span::styled("✓ on track", theme::good(color)),
        Track::AtRisk => Span::styled("! at risk", theme::warning(color)),
        Track::Late => Span::styled("✗ late", theme::error(color)),
        Track::NoDate => Span::styled("no target date", theme::dim(color)),
        Track::Unknown => Span::styled("? unknown", theme::dim(color)),
    }
}

/// When a landing is: a day, "now" when done, "later" past the horizon.
fn landing(forecast: &Forecast, backlog: &Backlog, at: Landing) -> String {
    match at {
        Landing::Done => "now".to_string(),
        at => forecast
            .landing_date(backlog, at)
            .map_or_else(|| "later".to_string(), |d| day(d, forecast.today)),
    }
}

/// When the forecast sees a release done: "lands 8 Jan–5 Feb (mean 22
/// Jan)", from the high velocity's day to the low's.
fn lands(forecast: &Forecast, backlog: &Backlog, release: &ReleaseForecast) -> String {
    if forecast.velocity.is_none() {
        return "no forecast without a velocity".to_string();
    }
    if release.mean == Landing::Done {
        return "done".to_string();
    }
    if release.mean == Landing::Beyond {
        return if forecast.velocity.is_some_and(|v| v <= 0.0) {
            "never at a velocity of 0".to_string()
        } else {
            format!("not within {HORIZON} sprints")
        };
    }
    let [high, mean, low] =
        [release.high, release.mean, release.low].map(|at| landing(forecast, backlog, at));
    if high == low {
        format!("lands {mean}")
    } else {
        format!("lands {high}–{low} (mean {mean})")
    }
}

/// The Monte Carlo odds of release `r`: "50% by 22 Jan · 85% by 5 Feb ·
/// 95% by 19 Feb", or where they stand.
fn odds(pane: &RoadmapPane, forecast: &Forecast, backlog: &Backlog, r: usize) -> Option<String> {
    match &pane.odds {
        Odds::Nothing | Odds::TooFew { .. } => None,
        Odds::Simulating { .. } => Some("Monte Carlo simulating…".to_string()),
        Odds::Answered(Err(why)) => Some(format!("no Monte Carlo: {}", one_line(why))),
        Odds::Answered(Ok(percentiles)) => {
            let p = percentiles.get(r)?;
            let when = |sprint: Option<u32>| match sprint {
                Some(0) => "now".to_string(),
                Some(s) => usize::try_from(s - 1).map_or_else(
                    |_| "later".to_string(),
                    |k| landing(forecast, backlog, Landing::Sprint(k)),
                ),
                None => "later".to_string(),
            };
            let [p50, p85, p95] = [p.p50, p.p85, p.p95].map(when);
            // Percentiles that fall on the same day are said once.
            Some(if p50 == p95 {
                format!("50/85/95% by {p50}")
            } else if p50 == p85 {
                format!("50/85% by {p50} · 95% by {p95}")
            } else if p85 == p95 {
                format!("50% by {p50} · 85/95% by {p85}")
            } else {
                format!("50% by {p50} · 85% by {p85} · 95% by {p95}")
            })
        }
    }
}

/// Two rows a release: its name, target date, track and landing; then
/// its progress bar, its odds and its scope. A row says how many more
/// there are when the pane is too short for all.
fn releases(pane: &RoadmapPane, plan: &Plan, app: &App, geometry: &Geometry) -> Vec<Line<'static>> {
    let forecast = &plan.forecast;
    let (color, width) = (app.color, geometry.releases.width);
    let dim = theme::dim(color);
    if forecast.releases.is_empty() {
        return vec![Line::styled(
            "No releases yet: `backlog release add` makes one",
            dim,
        )];
    }
    let mut lines = Vec::new();
    for (r, release) in forecast
        .releases
        .iter()
        .enumerate()
        .take(geometry.releases_shown)
    {
        let name = ellipsized(&one_line(&release.name), 16);
        let mut first = vec![Span::styled(format!("◆ {name}  "), theme::title())];
        if let Some(date) = release.date {
            first.push(Span::raw(format!("due {}  ", day(date, forecast.today))));
        }
        first.push(track(release.track, color));
        first.push(Span::raw(format!(
            "  {}",
            lands(forecast, &app.backlog, release)
        )));
        lines.push(fit(first, width));
        let mut second = vec![
            Span::raw("  "),
            Span::styled(bar(release.done, release.points, BAR), theme::good(color)),
            Span::raw(format!(
                " {} of {} pts done",
                number(release.done),
                number(release.points)
            )),
        ];
        if release.unestimated > 0 {
            second.push(Span::styled(
                format!(" · {} unestimated", release.unestimated),
                theme::warning(color),
            ));
        }
        if let Some(odds) = odds(pane, forecast, &app.backlog, r) {
            second.push(Span::raw(format!(" · {odds}")));
        }
        let scope = match release.scope {
            Scope::Line { above } => {
                format!(" · the {} above its line", count(above, "story", "stories"))
            }
            Scope::Assigned => {
                format!(" · {} assigned", count(release.stories, "story", "stories"))
            }
        };
        second.push(Span::styled(scope, dim));
        lines.push(fit(second, width));
    }
    let more = forecast.releases.len() - geometry.releases_shown;
    if more > 0 {
        lines.push(fit(
            vec![Span::styled(
                format!(
                    "+{}: each is marked in the timeline",
                    count(more, "more release", "more releases")
                ),
                dim,
            )],
            width,
        ));
    }
    lines
}

/// The width of a section's tab, the gap after it included.
#[must_use]
pub fn tab_width(section: Section) -> u16 {
    u16::try_from(section.name().width() + 3).unwrap_or(u16::MAX)
}

/// The sections as tabs, the one shown in brackets, and the key that
/// goes to the next.
fn tabs(pane: &RoadmapPane, app: &App) -> Line<'static> {
    let mut spans: Vec<Span> = Section::ALL
        .into_iter()
        .map(|section| {
            if section == pane.section {
                Span::styled(format!("[{}] ", section.name()), theme::selected())
            } else {
                Span::styled(format!(" {}  ", section.name()), theme::dim(app.color))
            }
        })
        .collect();
    let key = app.key(Context::Roadmap, Command::SwitchFocus);
    spans.push(Span::styled(format!(" {key} next"), theme::key(app.color)));
    Line::from(spans)
}

/// A coming sprint's heading: "Sprint 15 · 12–25 Jan · 24 of 27 (= 20 +
/// 7) pts · under way".
fn heading(sprint: &Coming, today: NaiveDate, color: bool) -> Vec<Span<'static>> {
    let mut text = format!(
        "{} · {} · ",
        one_line(&sprint.name),
        days(sprint.start, sprint.end, today)
    );
    let (points, capacity) = (number(sprint.points), number(sprint.capacity));
    let _ = if sprint.stories == 0 {
        write!(text, "nothing planned of {capacity} pts")
    } else if sprint.carried_in > 0.0 {
        let own = number(sprint.capacity - sprint.carried_in);
        let carried = number(sprint.carried_in);
        write!(text, "{points} of {capacity} (= {own} + {carried}) pts")
    } else {
        write!(text, "{points} of {capacity} pts")
    };
    match sprint.state {
        Some(SprintState::Active) => text.push_str(" · under way"),
        Some(SprintState::Planned) => text.push_str(" · planned"),
        _ => {}
    }
    let mut spans = vec![Span::styled(text, theme::header())];
    if !sprint.too_big.is_empty() {
        let ids: Vec<String> = sprint.too_big.iter().map(ToString::to_string).collect();
        let larger = if ids.len() == 1 { "is" } else { "are" };
        spans.push(Span::styled(
            format!(" {} {larger} bigger than a sprint", ids.join(", ")),
            theme::warning(color),
        ));
    }
    spans
}

/// A mark between the timeline's stories.
fn mark(mark: Mark, plan: &Plan, first_start: Option<NaiveDate>, color: bool) -> Line<'static> {
    let forecast = &plan.forecast;
    let name = |r: usize| {
        forecast
            .releases
            .get(r)
            .map_or_else(String::new, |release| one_line(&release.name).into_owned())
    };
    match mark {
        Mark::Due(r) => {
            let release = &forecast.releases[r];
            let date = release.date.unwrap_or(forecast.today);
            let when = if first_start.is_some_and(|start| date < start) {
                "was due"
            } else {
                "due"
            };
            Line::from(vec![
                Span::styled(
                    format!("  ◆ {} {when} {} ", name(r), day(date, forecast.today)),
                    theme::title(),
                ),
                track(release.track, color),
            ])
        }
        Mark::Lands(r) => Line::styled(
            format!("  ● {} lands here at the mean velocity", name(r)),
            theme::title(),
        ),
        Mark::Beyond(n) => Line::styled(
            format!(
                "  … {} past {HORIZON} sprints",
                count(n, "more story", "more stories")
            ),
            theme::dim(color),
        ),
    }
}

/// The timeline's rows on screen in `area`: only they are built.
fn timeline(pane: &RoadmapPane, plan: &Plan, app: &App, area: Rect, frame: &mut Frame) {
    let forecast = &plan.forecast;
    let rows = &plan.timeline;
    let color = app.color;
    let first_start = forecast.sprints.first().map(|s| s.start);
    if forecast.sprints.is_empty() {
        let mut lines = vec![Line::styled(
            if forecast.needs().is_some() {
                "No sprints to forecast without a velocity: the plan above says what it needs."
            } else if forecast.beyond > 0 {
                "No sprint takes anything at a velocity of 0: nothing is planned."
            } else {
                "Nothing left to do: every story is done or rejected."
            },
            theme::dim(color),
        )];
        lines.extend(rows.after.iter().map(|m| mark(*m, plan, None, color)));
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
        return;
    }
    let shown = usize::from(area.height);
    let scroll = rows.scrolled(pane.scroll, pane.selected, shown);
    let end = (scroll + shown).min(rows.rows);
    let backlog = &app.backlog;
    let id_width = backlog
        .stories_by_id()
        .last()
        .map_or(3, |s| s.id.to_string().len());
    let focused = pane.section == Section::Timeline;
    // The stories of each sprint on screen, walked once.
    let mut walking: Option<(usize, Box<dyn Iterator<Item = usize> + '_>)> = None;
    let mut lines = Vec::with_capacity(shown);
    for row in scroll..end {
        let line = match rows.row(row) {
            Some(Row::Sprint(k)) => fit(
                heading(&forecast.sprints[k], forecast.today, color),
                area.width,
            ),
            Some(Row::Story { sprint, nth }) => {
                if walking.as_ref().is_none_or(|(k, _)| *k != sprint) {
                    let positions = forecast.sprints[sprint].positions.clone();
                    let stories = positions
                        .filter(move |p| backlog.at(*p).is_some_and(|s| forecast.places(s)))
                        .skip(nth);
                    walking = Some((sprint, Box::new(stories)));
                }
                let position = walking.as_mut().and_then(|(_, stories)| stories.next());
                match position.and_then(|p| backlog.at(p)) {
                    Some(story) => story_row(
                        story,
                        backlog,
                        row == pane.selected,
                        focused,
                        id_width,
                        area.width,
                        color,
                    ),
                    None => Line::default(),
                }
            }
            Some(Row::Mark(m)) => fit(mark(m, plan, first_start, color).spans, area.width),
            None => Line::default(),
        };
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// A story in the timeline: its id, epic, title, points and status.
fn story_row(
    story: &crate::model::Story,
    backlog: &Backlog,
    selected: bool,
    focused: bool,
    id_width: usize,
    width: u16,
    color: bool,
) -> Line<'static> {
    let points = story
        .points
        .map_or_else(|| "?".to_string(), |p| number(Points::value(p)));
    let marker = story.epic.as_deref().map_or_else(
        || Span::raw("  "),
        |epic| epic_spans(epic, &backlog.product, color)[0].clone(),
    );
    // The pointer, the id, the epic's marker, then the title up to the
    // points and the status.
    let fixed = 2 + id_width + 1 + 2 + 1 + 4 + 1 + 11;
    let title = usize::from(width).saturating_sub(fixed);
    let line = Line::from(vec![
        Span::raw(if selected { "▶ " } else { "  " }),
        Span::raw(format!("{:<id_width$} ", story.id.to_string())),
        marker,
        Span::raw(format!(
            "{:<title$} ",
            ellipsized(&story.title, u16::try_from(title).unwrap_or(0))
        )),
        Span::raw(format!("{points:>4} ")),
        Span::styled(
            format!("{:<11}", story.status.as_str()),
            theme::status(story.status, color),
        ),
    ]);
    if selected && focused {
        line.style(theme::selected())
    } else {
        line
    }
}

/// The burnup lines' characters and colours: without colour each line
/// has a character of its own, which the legend names.
struct Look {
    scope: (Marker, Style),
    done: (Marker, Style),
    high: (Marker, Style),
    mean: (Marker, Style),
    low: (Marker, Style),
}

impl Look {
    fn of(color: bool) -> Look {
        if color {
            let braille = |c| (Marker::Braille, Style::new().fg(c));
            Look {
                scope: braille(Color::Yellow),
                done: braille(Color::Green),
                high: braille(Color::Cyan),
                mean: braille(Color::Blue),
                low: braille(Color::Magenta),
            }
        } else {
            let own = |c| (Marker::Custom(c), Style::new());
            Look {
                scope: own('='),
                done: own('#'),
                high: own('h'),
                mean: own('m'),
                low: own('l'),
            }
        }
    }
}

/// A legend entry: the line's character (or a dash in its colour) and
/// its name.
fn legend(look: (Marker, Style), name: &str) -> Span<'static> {
    let sign = match look.0 {
        Marker::Custom(c) => c,
        _ => '━',
    };
    Span::styled(format!("{sign} {name}  "), look.1)
}

/// Days from `origin` as the chart's x.
fn x(day: NaiveDate, origin: NaiveDate) -> f64 {
    #[allow(
        clippy::cast_precision_loss,
        reason = "days between two dates, far below 2^52"
    )]
    let days = (day - origin).num_days() as f64;
    days
}

/// Where a forecast line ends on a chart running to `x_max`: where it
/// reaches the scope, or at the chart's edge.
fn line_end(burnup: &Burnup, line: Projection, origin: NaiveDate, x_max: f64) -> (f64, f64) {
    let start = burnup.start;
    let x_start = x(start.day, origin);
    match line.reaches.map(|d| x(d, origin)) {
        Some(reach) if reach <= x_max => (reach, start.scope),
        _ => {
            let climb = line.velocity * (x_max - x_start) / f64::from(burnup.sprint_days);
            (x_max, (start.done + climb).min(start.scope))
        }
    }
}

/// The burnup chart: the scope and the points completed per past
/// sprint, then from where the team stands the lines of the high, mean
/// and low velocity up to the scope. A row above it names the lines and
/// says when the mean reaches the scope (two rows when one is too
/// narrow).
fn burnup(plan: &Plan, app: &App, area: Rect, frame: &mut Frame) {
    let burnup = &plan.burnup;
    let forecast = &plan.forecast;
    let color = app.color;
    let (Some(mean), false) = (burnup.mean, burnup.past.is_empty()) else {
        let text = format!(
            "No burnup without a velocity: {}. Scope: {} pts to do.",
            forecast.needs().unwrap_or("no sprint is recorded yet"),
            number(burnup.start.scope - burnup.start.done)
        );
        frame.render_widget(
            Paragraph::new(Line::styled(text, theme::dim(color))).wrap(Wrap { trim: true }),
            area,
        );
        return;
    };
    let look = Look::of(color);
    let legend = legend_rows(burnup, mean, forecast.today, &look, area.width);
    let [legend_area, chart_area] = Layout::vertical([
        Constraint::Length(u16::try_from(legend.len()).unwrap_or(1)),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(legend), legend_area);

    let origin = burnup.past[0].day;
    let x_start = x(burnup.start.day, origin);
    let sprint = f64::from(burnup.sprint_days);
    let mean_x = mean
        .reaches
        .map_or(x_start + 4.0 * sprint, |d| x(d, origin));
    let low_x = burnup
        .low
        .and_then(|l| l.reaches)
        .map_or(f64::INFINITY, |d| x(d, origin));
    // The low line in full, unless it runs past twice the mean's time.
    let x_max = low_x
        .min(x_start + 2.0 * (mean_x - x_start))
        .max(mean_x)
        .max(x_start + sprint);
    let scope_top = burnup
        .past
        .iter()
        .map(|m| m.scope)
        .fold(burnup.start.scope, f64::max);
    let y_max = (scope_top * 1.05).max(1.0);

    let mut scope: Vec<(f64, f64)> = burnup
        .past
        .iter()
        .map(|m| (x(m.day, origin), m.scope))
        .collect();
    scope.extend([(x_start, burnup.start.scope), (x_max, burnup.start.scope)]);
    let mut done: Vec<(f64, f64)> = burnup
        .past
        .iter()
        .map(|m| (x(m.day, origin), m.done))
        .collect();
    done.push((x_start, burnup.start.done));
    let from = (x_start, burnup.start.done);
    let ends = [burnup.high, Some(mean), burnup.low]
        .map(|line| line.map(|line| [from, line_end(burnup, line, origin, x_max)]));
    let dataset = |points, (marker, style): (Marker, Style)| {
        Dataset::default()
            .data(points)
            .graph_type(GraphType::Line)
            .marker(marker)
            .style(style)
    };
    let mut datasets = vec![
        dataset(&scope[..], look.scope),
        dataset(&done[..], look.done),
    ];
    for (points, look) in ends.iter().zip([look.high, look.mean, look.low]) {
        if let Some(points) = points {
            datasets.push(dataset(&points[..], look));
        }
    }
    let date_at = |at: f64| {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a day on the chart, from 0 to its last"
        )]
        let days = at.max(0.0).round() as u64;
        origin
            .checked_add_days(Days::new(days))
            .map_or_else(String::new, |d| day(d, forecast.today))
    };
    let axis = theme::dim(color);
    let chart = Chart::new(datasets)
        .x_axis(Axis::default().bounds([0.0, x_max]).style(axis).labels([
            date_at(0.0),
            date_at(x_max / 2.0),
            date_at(x_max),
        ]))
        .y_axis(Axis::default().bounds([0.0, y_max]).style(axis).labels([
            "0".to_string(),
            number((y_max / 2.0).round()),
            number(y_max.round()),
        ]))
        .legend_position(None);
    frame.render_widget(chart, chart_area);
}

/// The burnup's legend: each line's character (or colour) and name, and
/// how far along the team is and when the mean velocity gets it all
/// done; on two rows when one of `width` is too narrow.
fn legend_rows(
    burnup: &Burnup,
    mean: Projection,
    today: NaiveDate,
    look: &Look,
    width: u16,
) -> Vec<Line<'static>> {
    let mut names = vec![legend(look.scope, "scope"), legend(look.done, "done")];
    for (line, look, name) in [
        (burnup.high, look.high, "high"),
        (Some(mean), look.mean, "mean"),
        (burnup.low, look.low, "low"),
    ] {
        if line.is_some() {
            names.push(legend(look, name));
        }
    }
    let reaches = mean.reaches.map_or_else(
        || "the mean never gets there".to_string(),
        |d| format!("mean: all by {}", day(d, today)),
    );
    let summary = Span::raw(format!(
        "· {} of {} pts · {reaches}",
        number(burnup.start.done),
        number(burnup.start.scope)
    ));
    let wanted: usize = names.iter().map(Span::width).sum::<usize>() + summary.width();
    if wanted > usize::from(width) {
        vec![fit(names, width), fit(vec![summary], width)]
    } else {
        names.push(summary);
        vec![Line::from(names)]
    }
}

/// One epic in a lane: its marker and name, then its progress.
fn epic_rows(
    epic: &EpicProgress,
    backlog: &Backlog,
    width: u16,
    color: bool,
) -> [Line<'static>; 2] {
    let [marker, name] = epic_spans(&epic.name, &backlog.product, color);
    let name = Span::styled(
        ellipsized(&name.content, width.saturating_sub(2)),
        name.style,
    );
    let numbers = format!(" {}/{}", number(epic.done), number(epic.points));
    let bar_width = usize::from(width)
        .saturating_sub(2 + numbers.width())
        .clamp(1, BAR);
    [
        Line::from(vec![marker, name]),
        fit(
            vec![
                Span::raw("  "),
                Span::styled(bar(epic.done, epic.points, bar_width), theme::good(color)),
                Span::raw(numbers),
            ],
            width,
        ),
    ]
}

/// The epics in now / next / later lanes, side by side, each with its
/// progress (points done of all its points), scrolled together; the
/// epics with nothing left to do below them.
fn lanes(pane: &RoadmapPane, plan: &Plan, app: &App, area: Rect, frame: &mut Frame) {
    let lanes = &plan.lanes;
    let forecast = &plan.forecast;
    let color = app.color;
    let backlog = &app.backlog;
    if backlog.product.epics.is_empty() {
        let key = app.key(Context::Backlog, Command::OpenEpics);
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!("No epics yet: {key} in the backlog makes them"),
                theme::dim(color),
            ))
            .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let until = |k: usize| {
        k.checked_sub(1)
            .and_then(|k| forecast.sprints.get(k))
            .map(|s| format!(" · to {}", day(s.end, forecast.today)))
            .unwrap_or_default()
    };
    let next = match &lanes.next_release {
        Some(release) => format!(" · to {}", one_line(release)),
        None => until(lanes.next_until),
    };
    let columns = [
        (format!("Now{}", until(lanes.now_until)), &lanes.now),
        (format!("Next{next}"), &lanes.next),
        ("Later".to_string(), &lanes.later),
    ];
    let gap = 1;
    let width = area.width.saturating_sub(2 * gap) / 3;
    let body_rows = usize::from(area.height.saturating_sub(1));
    let total = super::geometry::lane_rows(plan);
    let scroll = pane.lanes_scroll.min(total.saturating_sub(body_rows));
    for (i, (title, epics)) in columns.into_iter().enumerate() {
        let offset = u16::try_from(i).unwrap_or(0) * (width + gap);
        let column = Rect::new(area.x + offset, area.y, width, area.height);
        let mut lines = vec![fit(vec![Span::styled(title, theme::header())], width)];
        let rows: Vec<Line> = if epics.is_empty() {
            vec![Line::styled("—", theme::dim(color))]
        } else {
            epics
                .iter()
                .flat_map(|epic| epic_rows(epic, backlog, width, color))
                .collect()
        };
        lines.extend(rows.into_iter().skip(scroll).take(body_rows));
        frame.render_widget(Paragraph::new(lines), column);
    }
    let done_row = lane_rows(lanes) + 1;
    if !lanes.done.is_empty() && done_row >= scroll && done_row - scroll < body_rows {
        let y = area.y + 1 + u16::try_from(done_row - scroll).unwrap_or(0);
        let mut spans = vec![Span::styled("Done  ", theme::title())];
        for epic in &lanes.done {
            let [marker, name] = epic_spans(&epic.name, &backlog.product, color);
            spans.extend([
                marker,
                name,
                Span::raw(format!(" {} pts  ", number(epic.points))),
            ]);
        }
        frame.render_widget(
            Paragraph::new(fit(spans, area.width)),
            Rect::new(area.x, y, area.width, 1),
        );
    }
}
