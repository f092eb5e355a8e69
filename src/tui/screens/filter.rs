//! The filter panel: one row per kind of filter (status, label, epic,
//! readiness, estimate, open work), each stepped through its values; the
//! table narrows as they change.

use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{Screen, choice_row, clicked_row};
use crate::model::Status;
use crate::text::one_line;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::cycle;
use crate::tui::filter::{EpicFilter, Filter};
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{Areas, centered};
use crate::tui::theme;

/// The filter panel, with this row selected.
#[derive(Clone, Debug, Default)]
pub struct FilterPanel {
    pub row: usize,
}

impl Screen for FilterPanel {
    fn context(&self) -> Context {
        Context::Filter
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        match command {
            Command::SelectNext => self.row = (self.row + 1).min(ROWS - 1),
            Command::SelectPrevious => self.row = self.row.saturating_sub(1),
            Command::NextValue => step_value(self.row, true, ctx),
            Command::PreviousValue => step_value(self.row, false, ctx),
            Command::ClearFilter => clear_filter(ctx),
            Command::Close => {
                ctx.close();
                ctx.say_how_many_shown();
            }
            _ => {}
        }
        None
    }

    /// A click on a filter's row selects it.
    fn mouse(&mut self, mouse: MouseEvent, ctx: &mut Ctx) {
        if let Some(row) = ctx
            .areas()
            .and_then(|areas| clicked_row(mouse, popup(areas.screen), ROWS))
        {
            self.row = row;
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        render(app, self.row, frame, popup(areas.screen));
    }
}

/// Where the panel goes over `area`: a row per filter, then a blank
/// line, how many stories are shown, and its keys, in a border.
fn popup(area: Rect) -> Rect {
    let height = u16::try_from(ROWS + 3 + 2).unwrap_or(u16::MAX);
    centered(area, 48, height)
}

/// Clear the search and every filter, and say so.
pub fn clear_filter(ctx: &mut Ctx) {
    if ctx.table().clear_filter() {
        ctx.notify("Showing every story");
    } else {
        ctx.notify("No filter is on");
    }
}

/// Step the value of row `row` of the panel.
fn step_value(row: usize, forward: bool, ctx: &mut Ctx) {
    let mut table = ctx.table();
    let (filter, backlog) = (&mut table.table.filter, table.backlog);
    match row {
        0 => {
            let options: Vec<Option<Status>> = std::iter::once(None)
                .chain(Status::ALL.into_iter().map(Some))
                .collect();
            filter.status = cycle(&options, &filter.status, forward);
        }
        1 => {
            let mut labels: Vec<&String> = backlog
                .stories_by_id()
                .iter()
                .flat_map(|s| s.labels.iter())
                .collect();
            labels.sort();
            labels.dedup();
            let options: Vec<Option<String>> = std::iter::once(None)
                .chain(labels.into_iter().cloned().map(Some))
                .collect();
            filter.label = cycle(&options, &filter.label, forward);
        }
        2 => {
            let options: Vec<Option<EpicFilter>> = std::iter::once(None)
                .chain(
                    backlog
                        .product
                        .epics
                        .iter()
                        .map(|e| Some(EpicFilter::Named(e.name.clone()))),
                )
                .chain(std::iter::once(Some(EpicFilter::None)))
                .collect();
            filter.epic = cycle(&options, &filter.epic, forward);
        }
        3 => {
            filter.ready = cycle(&[None, Some(true), Some(false)], &filter.ready, forward);
        }
        4 => filter.unestimated = !filter.unestimated,
        _ => filter.open = !filter.open,
    }
    table.refilter();
}

/// How many rows the panel has.
const ROWS: usize = 6;

/// Each row's filter and its value, as the panel shows them.
fn values(f: &Filter) -> [(&'static str, String); ROWS] {
    let any = || "any".to_string();
    [
        ("Status", f.status.map_or_else(any, |s| s.to_string())),
        (
            "Label",
            f.label
                .as_deref()
                .map_or_else(any, |l| format!("#{}", one_line(l))),
        ),
        (
            "Epic",
            match &f.epic {
                None => any(),
                Some(EpicFilter::None) => "no epic".to_string(),
                Some(EpicFilter::Named(name)) => one_line(name).into_owned(),
            },
        ),
        (
            "Ready",
            match f.ready {
                None => any(),
                Some(true) => "ready".to_string(),
                Some(false) => "not ready".to_string(),
            },
        ),
        (
            "Unestimated",
            if f.unestimated {
                "only unestimated"
            } else {
                "any"
            }
            .to_string(),
        ),
        (
            "Open work",
            if f.open {
                "only: no done, no rejected"
            } else {
                "any"
            }
            .to_string(),
        ),
    ]
}

/// The filter panel in `popup`: one row per kind of filter, with its
/// value.
fn render(app: &App, selected: usize, frame: &mut Frame, popup: Rect) {
    let mut lines: Vec<Line> = values(&app.table.filter)
        .into_iter()
        .enumerate()
        .map(|(row, (name, value))| {
            choice_row(
                row == selected,
                [
                    Span::styled(format!("{name:<12}"), theme::title()),
                    Span::raw(format!("‹ {value} ›")),
                ],
            )
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::styled(
        format!(
            "{} of {} {} shown",
            app.row_count(),
            app.backlog.len(),
            if app.backlog.len() == 1 {
                "story"
            } else {
                "stories"
            }
        ),
        theme::dim(app.color),
    ));
    let keys = &app.keymap;
    let key = |command| app.key(Context::Filter, command);
    lines.push(Line::from(vec![
        Span::styled(
            keys.pair(
                Context::Filter,
                Command::SelectNext,
                Command::SelectPrevious,
            ),
            theme::key(app.color),
        ),
        Span::raw(" choose  "),
        Span::styled(
            keys.pair(Context::Filter, Command::PreviousValue, Command::NextValue),
            theme::key(app.color),
        ),
        Span::raw(" change  "),
        Span::styled(key(Command::ClearFilter), theme::key(app.color)),
        Span::raw(" clear  "),
        Span::styled(key(Command::Close), theme::key(app.color)),
        Span::raw(" done"),
    ]));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Filter ")),
        popup,
    );
}
