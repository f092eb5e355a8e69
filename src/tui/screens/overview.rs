//! The overview pane, pane `3`: the backlog in numbers. How many stories
//! and points there are in each status and each epic, and how many of
//! the stories still to be taken on meet the Definition of Ready. The
//! counts are worked out in one pass when the pane is shown and after
//! each change while it is, never per frame; the settings and epics
//! panels show some of them too.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::Alignment;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::Screen;
use super::story::epic_spans;
use crate::model::{Backlog, Points, Status, Story, ready};
use crate::text::one_line;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{Areas, truncated};
use crate::tui::theme;
use crate::words::number;

/// Stories and their points, and of those still to be taken on (draft
/// or ready), how many meet the Definition of Ready.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Size {
    pub stories: usize,
    pub points: f64,
    pub open: usize,
    pub ready: usize,
}

impl Size {
    fn add(&mut self, story: &Story, is_ready: Option<bool>) {
        self.stories += 1;
        self.points += story.points.map_or(0.0, Points::value);
        if let Some(is_ready) = is_ready {
            self.open += 1;
            self.ready += usize::from(is_ready);
        }
    }
}

/// Counts over the whole backlog, in one pass.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overview {
    /// Draft and ready stories, and how many of them meet the Definition
    /// of Ready.
    pub open: usize,
    pub ready: usize,
    /// Each epic's stories, by the epic's name.
    pub epics: HashMap<String, Size>,
    /// The stories in no epic.
    pub no_epic: Size,
    /// The stories in each status, in [`Status::ALL`]'s order.
    pub statuses: [Size; Status::ALL.len()],
}

impl Overview {
    #[must_use]
    pub fn of(backlog: &Backlog) -> Overview {
        let rules = &backlog.product.settings.ready;
        let mut overview = Overview::default();
        for story in backlog.stories_by_id() {
            let is_ready = matches!(story.status, Status::Draft | Status::Ready)
                .then(|| ready::is_ready(story, rules));
            if let Some(is_ready) = is_ready {
                overview.open += 1;
                overview.ready += usize::from(is_ready);
            }
            let status = Status::ALL
                .iter()
                .position(|s| *s == story.status)
                .unwrap_or(0);
            overview.statuses[status].add(story, is_ready);
            match &story.epic {
                Some(epic) => overview
                    .epics
                    .entry(epic.clone())
                    .or_default()
                    .add(story, is_ready),
                None => overview.no_epic.add(story, is_ready),
            }
        }
        overview
    }

    /// An epic's stories and points.
    #[must_use]
    pub fn epic(&self, name: &str) -> (usize, f64) {
        self.epics
            .get(name)
            .map_or((0, 0.0), |size| (size.stories, size.points))
    }
}

/// The overview pane, scrolled this many rows.
#[derive(Clone, Debug, Default)]
pub struct OverviewPane {
    pub scroll: usize,
    pub overview: Overview,
}

impl Screen for OverviewPane {
    fn context(&self) -> Context {
        Context::Pane
    }

    fn title(&self) -> Option<&'static str> {
        Some("Overview")
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        // As far as the last line shows at the bottom of the pane.
        let shown = ctx
            .areas()
            .map_or(0, |areas| usize::from(areas.main.height.saturating_sub(2)));
        let last = lines(&self.overview, ctx.backlog(), false)
            .len()
            .saturating_sub(shown);
        match command {
            Command::ScrollDown => self.scroll = (self.scroll + 1).min(last),
            Command::ScrollUp => self.scroll = self.scroll.saturating_sub(1).min(last),
            Command::Help => ctx.open(super::help::Help::new(ctx.pane_titles())),
            Command::StartMeeting => super::meeting::open(ctx),
            Command::OpenClashes => super::clashes::open(ctx),
            Command::Dismiss => ctx.dismiss(),
            _ => {}
        }
        None
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        let product = one_line(&app.backlog.product.name);
        let title = if product.is_empty() {
            " Overview ".to_string()
        } else {
            format!(" Overview · {product} ")
        };
        // The first pane is the backlog.
        let back = format!(" {} backlog ", app.key(Context::Pane, Command::ShowPane1));
        let block = Block::bordered()
            .border_type(theme::border(true, app.color).0)
            .border_style(theme::border(true, app.color).1)
            .title(Line::styled(title, theme::title()))
            .title(Line::from(back).alignment(Alignment::Right));
        let lines = lines(&self.overview, &app.backlog, app.color);
        let scroll = u16::try_from(self.scroll).unwrap_or(u16::MAX);
        frame.render_widget(
            Paragraph::new(lines).block(block).scroll((scroll, 0)),
            areas.main,
        );
    }

    fn backlog_changed(&mut self, backlog: &Backlog) {
        self.overview = Overview::of(backlog);
    }
}

/// "18 of 24 (75%)", or "none" of nothing.
fn share(part: usize, of: usize) -> String {
    if of == 0 {
        return "none to take on".to_string();
    }
    // Whole percent, rounded down: 23 of 24 is not 100%.
    let percent = part * 100 / of;
    format!("{part} of {of} ({percent}%)")
}

/// The width of the tables' first column.
const WIDTH: usize = 24;

/// A table row: a name `width` columns wide, then the size's columns.
fn row(name: Vec<Span<'static>>, size: &Size, width: usize) -> Line<'static> {
    let shown: usize = name.iter().map(Span::width).sum();
    let mut spans = name;
    spans.push(Span::raw(" ".repeat(width.saturating_sub(shown))));
    spans.push(Span::raw(format!(
        "{:>8} {:>8}   {}",
        size.stories,
        number(size.points),
        if size.open == 0 {
            "—".to_string()
        } else {
            format!("{} of {}", size.ready, size.open)
        }
    )));
    Line::from(spans)
}

/// The pane's lines, top to bottom.
fn lines(overview: &Overview, backlog: &Backlog, color: bool) -> Vec<Line<'static>> {
    let dim = theme::dim(color);
    let all: f64 = overview.statuses.iter().map(|s| s.points).sum();
    let to_do: f64 = Status::ALL
        .iter()
        .zip(&overview.statuses)
        .filter(|(status, _)| !matches!(status, Status::Done | Status::Rejected))
        .map(|(_, size)| size.points)
        .sum();
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Definition of Ready  ", theme::title()),
            Span::raw(format!(
                "{} draft and ready stories meet it",
                share(overview.ready, overview.open)
            )),
        ]),
        Line::from(vec![
            Span::styled("Points               ", theme::title()),
            Span::raw(format!(
                "{} in all, {} still to do (draft, ready, in progress)",
                number(all),
                number(to_do)
            )),
        ]),
        Line::from(""),
    ];
    let header = |name: &str| {
        Line::styled(
            format!(
                "{name:<WIDTH$}{:>8} {:>8}   {}",
                "Stories", "Points", "DoR met"
            ),
            theme::header(),
        )
    };
    lines.push(header("Status"));
    for (status, size) in Status::ALL.iter().zip(&overview.statuses) {
        let name = Span::styled(status.as_str(), theme::status(*status, color));
        lines.push(row(vec![name], size, WIDTH));
    }
    lines.push(Line::from(""));
    lines.push(header("Epic"));
    let product = &backlog.product;
    for epic in &product.epics {
        let size = overview.epics.get(&epic.name).copied().unwrap_or_default();
        let [marker, name] = epic_spans(&epic.name, product, color);
        // A long name is cut to its column.
        let cut = truncated(&name.content, u16::try_from(WIDTH - 3).unwrap_or(0));
        let name = Span::styled(cut, name.style);
        lines.push(row(vec![marker, name], &size, WIDTH));
    }
    lines.push(row(
        vec![Span::styled("  no epic", dim)],
        &overview.no_epic,
        WIDTH,
    ));
    lines
}
