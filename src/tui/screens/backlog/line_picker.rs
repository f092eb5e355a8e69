//! The release picker of `place_release_line`: every release in a list,
//! with its date and where its line is now, to choose the one whose line
//! goes under the selected story.

use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::lines::put_line_under;
use crate::model::{Backlog, Story, StoryId, renumber};
use crate::text::one_line;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{Areas, centered, ellipsized};
use crate::tui::screens::{Screen, choice_row, clicked_row, picker_keys};
use crate::tui::theme;

/// The picker, for the story the line goes under, with a release
/// highlighted (an index into the product's releases).
#[derive(Clone, Debug)]
pub struct LinePicker {
    pub story: StoryId,
    pub row: usize,
}

impl LinePicker {
    /// A picker for a line under `story`, starting on the first release
    /// with no line yet (the one most likely wanted), else the first.
    #[must_use]
    pub fn new(story: StoryId, backlog: &Backlog) -> Self {
        let row = backlog
            .product
            .releases
            .iter()
            .position(|r| r.line.is_none())
            .unwrap_or(0);
        LinePicker { story, row }
    }
}

/// How many releases the backlog has: the picker's rows.
fn releases(backlog: &Backlog) -> usize {
    backlog.product.releases.len()
}

impl Screen for LinePicker {
    fn context(&self) -> Context {
        Context::LinePicker
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        let last = releases(ctx.backlog()).saturating_sub(1);
        match command {
            Command::SelectNext => self.row = (self.row + 1).min(last),
            Command::SelectPrevious => self.row = self.row.saturating_sub(1),
            Command::SelectFirst => self.row = 0,
            Command::SelectLast => self.row = last,
            Command::Confirm => {
                ctx.close();
                let name = ctx
                    .backlog()
                    .product
                    .releases
                    .get(self.row)
                    .map(|r| r.name.clone());
                if let Some(name) = name {
                    put_line_under(&name, self.story, ctx);
                }
            }
            Command::Cancel => ctx.close(),
            _ => {}
        }
        None
    }

    /// A click on a release highlights it; the key that picks still
    /// picks.
    fn mouse(&mut self, mouse: MouseEvent, ctx: &mut Ctx) {
        let rows = releases(ctx.backlog());
        if let Some(row) = ctx
            .areas()
            .and_then(|areas| clicked_row(mouse, popup(areas.screen, rows), rows))
        {
            self.row = row;
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        render(app, self, frame, areas.screen);
    }

    fn story(&self) -> Option<StoryId> {
        Some(self.story)
    }

    /// The story gone (another writer, an undo), or every release, there
    /// is nothing to put a line under or to put: the picker closes.
    fn follow(&mut self, _before: Option<&Story>, now: &Backlog) -> bool {
        self.row = self.row.min(releases(now).saturating_sub(1));
        now.get(self.story).is_some() && releases(now) > 0
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        self.story = renumber(self.story, changes);
    }
}

/// Where the picker goes over `area`: a row per release, then a blank
/// line and its keys, in a border.
fn popup(area: Rect, releases: usize) -> Rect {
    let height = u16::try_from(releases + 2 + 2).unwrap_or(u16::MAX);
    centered(area, 60, height)
}

/// The releases, each with its date and where its line is now, the
/// highlighted one pointed at.
fn render(app: &App, picker: &LinePicker, frame: &mut Frame, area: Rect) {
    let backlog = &app.backlog;
    let releases = &backlog.product.releases;
    let popup = popup(area, releases.len());
    let name_width = releases
        .iter()
        .map(|r| one_line(&r.name).chars().count())
        .max()
        .unwrap_or(0)
        .min(20);
    // Inside the border, less the pointer, the name and the gap.
    let room = popup
        .width
        .saturating_sub(2 + 2 + u16::try_from(name_width + 2).unwrap_or(u16::MAX));
    let mut lines: Vec<Line> = releases
        .iter()
        .enumerate()
        .map(|(row, release)| {
            let date = release
                .date
                .map_or_else(|| "no date".to_string(), |d| format!("due {d}"));
            let line = match &release.line {
                Some(line) => match backlog.above_line(line) {
                    0 => "line above every story".to_string(),
                    above => format!("line under #{above}"),
                },
                None => "no line".to_string(),
            };
            let name = ellipsized(
                &one_line(&release.name),
                u16::try_from(name_width).unwrap_or(u16::MAX),
            );
            choice_row(
                row == picker.row,
                [
                    Span::raw(format!("{name:<name_width$}  ")),
                    Span::styled(
                        ellipsized(&format!("{date} · {line}"), room),
                        theme::dim(app.color),
                    ),
                ],
            )
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(picker_keys(app, Context::LinePicker, "puts its line there"));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().title(format!(" A release line under {} ", picker.story))),
        popup,
    );
}
