//! The settings panel: the backlog's estimate scale and its Definition
//! of Ready, changed where the grooming happens, with how many stories
//! are ready under them.

use ratatui::Frame;
use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};

use super::overview::Overview;
use super::{Screen, choice_row};
use crate::model::{Backlog, Points, Rule, Scale, Settings};
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::cycle;
use crate::tui::keymap::{Command, Context, Keymap};
use crate::tui::layout::{self, Areas};
use crate::tui::theme;
use crate::tui::view::{BoxStyle, keys_line, message_box, message_box_area};

/// The panel's rows: the scale, then each rule, with the maximum estimate
/// right after the rule it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingRow {
    Scale,
    Rule(Rule),
    MaxPoints,
}

pub const SETTING_ROWS: [SettingRow; 7] = [
    SettingRow::Scale,
    SettingRow::Rule(Rule::UserStory),
    SettingRow::Rule(Rule::AcceptanceCriteria),
    SettingRow::Rule(Rule::Estimated),
    SettingRow::Rule(Rule::SmallEnough),
    SettingRow::MaxPoints,
    SettingRow::Rule(Rule::NoOpenQuestions),
];

/// The settings panel, with this row selected, and the counts it shows,
/// worked out when it opens and after each change rather than on every
/// frame.
#[derive(Clone, Debug)]
pub struct SettingsPanel {
    pub row: usize,
    pub overview: Overview,
}

impl SettingsPanel {
    #[must_use]
    pub fn new(backlog: &Backlog) -> Self {
        SettingsPanel {
            row: 0,
            overview: Overview::of(backlog),
        }
    }
}

impl Screen for SettingsPanel {
    fn context(&self) -> Context {
        Context::Settings
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        match command {
            Command::SelectNext => self.row = (self.row + 1).min(SETTING_ROWS.len() - 1),
            Command::SelectPrevious => self.row = self.row.saturating_sub(1),
            Command::NextValue => change(self.row, true, ctx),
            Command::PreviousValue => change(self.row, false, ctx),
            Command::Close => ctx.close(),
            _ => {}
        }
        None
    }

    /// A click on a setting's row selects it.
    fn mouse(&mut self, mouse: MouseEvent, ctx: &mut Ctx) {
        if mouse.kind != MouseEventKind::Down(MouseButton::Left) {
            return;
        }
        let lines = lines(
            &ctx.backlog().product.settings,
            &self.overview,
            self.row,
            ctx.keymap(),
            false,
        );
        if let Some(areas) = ctx.areas()
            && let Some(row) = clicked_row(&lines, areas.screen, mouse)
        {
            self.row = row;
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        let lines = lines(
            &app.backlog.product.settings,
            &self.overview,
            self.row,
            &app.keymap,
            app.color,
        );
        message_box(frame, areas.screen, "Settings", lines, STYLE);
    }

    fn backlog_changed(&mut self, backlog: &Backlog) {
        self.overview = Overview::of(backlog);
    }
}

/// Change the value of the settings panel's selected row.
fn change(row: usize, forward: bool, ctx: &mut Ctx) {
    let settings = ctx.backlog().product.settings.clone();
    let notice = match SETTING_ROWS[row.min(SETTING_ROWS.len() - 1)] {
        SettingRow::Scale => {
            let scale = cycle(&Scale::ALL, &settings.scale, forward);
            let mut moved = None;
            let changed = ctx.change(format!("scale {scale}"), |b| {
                moved = b.product.settings.set_scale(scale);
                Ok(())
            });
            if changed.is_none() {
                return;
            }
            match moved {
                Some(moved) => format!("Estimates use the {scale} scale; {moved}"),
                None => format!("Estimates use the {scale} scale"),
            }
        }
        SettingRow::Rule(rule) => {
            let on = !settings.ready.is_on(rule);
            let what = if on { "on" } else { "off" };
            let changed = ctx.change(format!("rule {} {what}", rule.as_str()), |b| {
                b.product.settings.ready.set(rule, on);
                Ok(())
            });
            if changed.is_none() {
                return;
            }
            format!("Ready rule \"{}\" is {what}", rule.describe())
        }
        SettingRow::MaxPoints => {
            // The maximum steps along the scale in use, as estimates do.
            let scale = settings.scale;
            let current = settings.ready.max_points;
            let values = scale.values();
            let next = if forward {
                values.iter().copied().find(|v| *v > current.value())
            } else {
                values.iter().rev().copied().find(|v| *v < current.value())
            };
            let Some(max) = next.and_then(|v| Points::new(v).ok()) else {
                // Off the scale, the other way steps onto it.
                let key = |command| ctx.key(Context::Settings, command);
                let back = if forward {
                    (current > scale.top())
                        .then(|| format!("{} steps down to it", key(Command::PreviousValue)))
                } else {
                    (current < scale.bottom())
                        .then(|| format!("{} steps up to it", key(Command::NextValue)))
                };
                let at = scale.at_end(current, forward);
                ctx.notify(match back {
                    Some(back) => format!("The maximum is {at}: {back}"),
                    None => format!("The maximum is {at}"),
                });
                return;
            };
            let changed = ctx.change(format!("maximum estimate {max}"), |b| {
                b.product.settings.ready.max_points = max;
                Ok(())
            });
            if changed.is_none() {
                return;
            }
            format!(
                "Ready stories are estimated at {} or less",
                scale.describe(max)
            )
        }
    };
    // Readiness may have changed for every story: a ready filter with it.
    ctx.table().refilter();
    ctx.notify(notice);
}

/// How the panel's box is laid out.
const STYLE: BoxStyle = BoxStyle {
    width: 66,
    spare_rows: 1,
    centred_text: false,
};

/// The setting whose row a click on the panel (its `lines`, in a box
/// over `area`) is on, if any.
fn clicked_row(lines: &[Line], area: Rect, mouse: MouseEvent) -> Option<usize> {
    let inner = message_box_area(area, lines.len(), STYLE).inner(Margin::new(1, 1));
    let offset = layout::row_at(inner, mouse.column, mouse.row)?;
    layout::line_at(lines, inner.width, false, offset).filter(|&row| row < SETTING_ROWS.len())
}

/// The settings panel's lines: the estimate scale and each rule of the
/// Definition of Ready, with how many stories are ready under them, and
/// the panel's keys from the keymap `keys`.
fn lines(
    settings: &Settings,
    overview: &Overview,
    selected: usize,
    keys: &Keymap,
    color: bool,
) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = SETTING_ROWS
        .iter()
        .enumerate()
        .map(|(row, setting)| {
            let (name, value) = match setting {
                SettingRow::Scale => (
                    "Estimate scale".to_string(),
                    format!("‹ {} ›", settings.scale),
                ),
                SettingRow::Rule(rule) => (
                    format!("Ready: {}", rule.describe()),
                    if settings.ready.is_on(*rule) {
                        "[✓] on"
                    } else {
                        "[ ] off"
                    }
                    .to_string(),
                ),
                SettingRow::MaxPoints => (
                    "  the maximum".to_string(),
                    format!("‹ {} ›", settings.scale.describe(settings.ready.max_points)),
                ),
            };
            choice_row(
                row == selected,
                [
                    Span::styled(format!("{name:<44}"), theme::title()),
                    Span::raw(value),
                ],
            )
        })
        .collect();
    let (ready, open) = (overview.ready, overview.open);
    lines.push(Line::from(""));
    lines.push(Line::styled(
        if open == 1 {
            format!("{ready} of the 1 draft or ready story meets the Definition of Ready")
        } else {
            format!("{ready} of the {open} draft and ready stories meet the Definition of Ready")
        },
        theme::dim(color),
    ));
    let change = keys.pair(
        Context::Settings,
        Command::PreviousValue,
        Command::NextValue,
    );
    let choose = keys.pair(
        Context::Settings,
        Command::SelectNext,
        Command::SelectPrevious,
    );
    let close = keys.label(Context::Settings, Command::Close);
    lines.push(keys_line(
        color,
        &[(&choose, "choose"), (&change, "change"), (&close, "close")],
    ));
    lines
}
