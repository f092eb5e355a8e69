//! The release plan ruled between the table's rows: where each coming
//! sprint ends at the team's velocity, and each release's line. The
//! forecast behind them is worked out once per change to the backlog
//! (one walk of it), and kept with the table; a frame or a key only
//! looks lines up.
//!
//! A release line is moved as a story is: selected (`j`/`k` stop on it,
//! `[`/`]` jump to one), then `J`/`K`/`T`/`B`. A story moved next to a
//! line crosses it rather than the story beyond: the line goes past the
//! story instead ([`Backlog::place_line_by`]), one change, undone at once.
//! Where a sprint ends follows from the points, so nothing moves it.

use chrono::{DateTime, Local, NaiveDate, Utc};

use crate::forecast::{Forecast, Source};
use crate::model::{Backlog, Move, StoryId};
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{Drawn, Ruled};

use super::line_picker::LinePicker;
use super::table::Table;

/// The day a forecast is made for: the user's local date.
#[must_use]
pub fn today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Local).date_naive()
}

/// The forecast of the backlog as it was last changed, and the lines it
/// puts between the table's rows, in the order drawn.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// None when there is nothing to draw: no release has a line and no
    /// sprint's velocity is known.
    pub forecast: Option<Forecast>,
    pub lines: Vec<PlanLine>,
    /// The day it was worked out for.
    pub day: Option<NaiveDate>,
}

/// A line between the table's rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanLine {
    /// How many stories are ranked above it: it is drawn just above the
    /// story at that rank position.
    pub above: usize,
    pub kind: LineKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// Where the forecast's coming sprint of that number (0 the first)
    /// ends.
    SprintEnds(usize),
    /// The line of the forecast's release of that number.
    Release(usize),
}

impl Plan {
    /// The plan of `backlog` on `today`: where each coming sprint ends,
    /// when the team records its sprints or their velocity (a team that
    /// never did may not work in sprints, and is not shown sprints made
    /// up from its done dates), and each release's line. Where a sprint
    /// ends and a line fall together, the sprint's end comes first; lines
    /// together come in their order in the ranking.
    #[must_use]
    pub fn of(backlog: &Backlog, today: NaiveDate) -> Plan {
        // A backlog with no release line and no sprint's velocity has no
        // line to draw: the forecast (a walk of every story) is not made
        // after each change of a backlog that does not plan releases.
        let product = &backlog.product;
        let plans = product.releases.iter().any(|r| r.line.is_some())
            || !product.past_sprints.is_empty()
            || product
                .sprints
                .iter()
                .any(|s| s.state == crate::model::SprintState::Closed);
        if !plans {
            return Plan {
                forecast: None,
                lines: Vec::new(),
                day: Some(today),
            };
        }
        let forecast = Forecast::of(backlog, today);
        let mut lines: Vec<PlanLine> = Vec::new();
        if forecast.source == Source::Sprints {
            lines.extend(
                forecast
                    .sprints
                    .iter()
                    .enumerate()
                    .map(|(k, sprint)| PlanLine {
                        above: sprint.positions.end,
                        kind: LineKind::SprintEnds(k),
                    }),
            );
        }
        let mut releases: Vec<(usize, _, usize)> = backlog
            .product
            .releases
            .iter()
            .enumerate()
            .filter_map(|(r, release)| {
                let line = release.line.as_ref()?;
                Some((backlog.above_line(line), line, r))
            })
            .collect();
        releases.sort();
        lines.extend(releases.into_iter().map(|(above, _, r)| PlanLine {
            above,
            kind: LineKind::Release(r),
        }));
        // Stable: the sprints' ends and the lines each stay in order.
        lines.sort_by_key(|line| (line.above, matches!(line.kind, LineKind::Release(_))));
        Plan {
            forecast: Some(forecast),
            lines,
            day: Some(today),
        }
    }

    /// The day it was worked out for, once it has been.
    #[must_use]
    pub fn today(&self) -> Option<NaiveDate> {
        self.day
    }

    /// Whether line `line` is a release's, which can be selected and
    /// moved.
    #[must_use]
    pub fn is_release(&self, line: usize) -> bool {
        self.release_name(line).is_some()
    }

    /// The name of the release whose line `line` is, if it is one.
    #[must_use]
    pub fn release_name(&self, line: usize) -> Option<&str> {
        match self.lines.get(line)?.kind {
            LineKind::Release(r) => Some(self.forecast.as_ref()?.releases.get(r)?.name.as_str()),
            LineKind::SprintEnds(_) => None,
        }
    }

    /// The line of release `name`, if it has one.
    #[must_use]
    pub fn release_line(&self, name: &str) -> Option<usize> {
        (0..self.lines.len()).find(|&line| self.release_name(line) == Some(name))
    }
}

/// The first row from drawn row `from` up or down (`downward`) that
/// something can be done with: a story, or a release line. Where a
/// sprint ends is passed over.
pub(super) fn next_row(plan: &Plan, ruled: &Ruled, from: usize, downward: bool) -> Option<Drawn> {
    let mut drawn = from;
    loop {
        drawn = if downward {
            drawn.checked_add(1)?
        } else {
            drawn.checked_sub(1)?
        };
        match ruled.at(drawn)? {
            Drawn::Line(line) if !plan.is_release(line) => {}
            found => return Some(found),
        }
    }
}

/// The release line right above (`Move::Up`) or below (`Move::Down`)
/// the selected story, where a sprint may end between them: the one a
/// move that way crosses.
fn line_beside(table: &Table, backlog: &Backlog, to: Move) -> Option<String> {
    let downward = match to {
        Move::Up => false,
        Move::Down => true,
        _ => return None,
    };
    let ruled = table.ruled(backlog);
    let drawn = table.selected_drawn(&ruled);
    match next_row(&table.plan, &ruled, drawn, downward)? {
        Drawn::Line(line) => table.plan.release_name(line).map(str::to_string),
        Drawn::Story(_) => None,
    }
}

/// Move the selected story `to` across the release line beside it, if
/// there is one that way: the line goes past the story, so the story
/// passes no other. False when there is no line to cross.
pub(super) fn cross(to: Move, ctx: &mut Ctx) -> bool {
    let table = ctx.table();
    let Some(name) = line_beside(table.table, table.backlog, to) else {
        return false;
    };
    let Some(id) = table.selected_story().map(|s| s.id) else {
        return false;
    };
    // Up, the story goes above the line: the line goes just below it.
    let up = to == Move::Up;
    let side = if up { "above" } else { "below" };
    let label = format!("move {id} {side} the {name} line");
    if ctx
        .change(label, |b| b.place_line_by(&name, id, up))
        .is_some()
    {
        ctx.notify(format!("{id} is {side} the {name} line now"));
    }
    true
}

/// What a release line moves past: a story, to just beside it on the
/// far side (below it, when the flag says so), or another release's
/// line, to take its place.
enum Past {
    Story(StoryId, bool),
    Line(String),
}

/// Move the selected release line as a story would move (`command`:
/// up, down, to the top, to the bottom of the stories shown): past the
/// next story, or past the release line next to it. It stays selected.
pub(super) fn move_selected_line(command: Command, ctx: &mut Ctx) {
    let table = ctx.table();
    let (table, backlog) = (&*table.table, table.backlog);
    let Some(line) = table.selected_line_index() else {
        return;
    };
    let Some(name) = table.plan.release_name(line).map(str::to_string) else {
        return;
    };
    let ruled = table.ruled(backlog);
    let id_at = |row: usize| table.story_at_row(row, backlog).map(|s| s.id);
    let last = table.row_count(backlog).saturating_sub(1);
    let past = match command {
        Command::MoveUp | Command::MoveDown => {
            let down = command == Command::MoveDown;
            match next_row(&table.plan, &ruled, ruled.line_row(line), down) {
                Some(Drawn::Story(row)) => id_at(row).map(|id| Past::Story(id, down)),
                Some(Drawn::Line(other)) => table
                    .plan
                    .release_name(other)
                    .map(|other| Past::Line(other.to_string())),
                None => None,
            }
        }
        Command::MoveToTop => id_at(0).map(|id| Past::Story(id, false)),
        Command::MoveToBottom => id_at(last).map(|id| Past::Story(id, true)),
        _ => None,
    };
    let Some(past) = past else {
        return;
    };
    let label = format!("move the {name} line");
    match past {
        Past::Story(id, below) => ctx.change(label, |b| b.place_line_by(&name, id, below)),
        Past::Line(other) => ctx.change(label, |b| b.swap_lines(&name, &other)),
    };
}

/// Take the selected release line out of the backlog: the release is
/// then the stories assigned to it.
pub(super) fn remove_selected_line(ctx: &mut Ctx) {
    let table = ctx.table();
    let Some(name) = table
        .table
        .selected_line_index()
        .and_then(|line| table.table.plan.release_name(line))
        .map(str::to_string)
    else {
        return;
    };
    if ctx
        .change(format!("take out the {name} line"), |b| {
            b.remove_line(&name)
        })
        .is_some()
    {
        let undo = ctx.key(Context::Backlog, Command::Undo);
        ctx.notify(format!(
            "The {name} line is out: {name} is the stories assigned to it ({undo} puts the line back)"
        ));
    }
}

/// Why no release line is shown, when the table hides them: the key
/// that shows them.
fn lines_hidden(ctx: &mut Ctx) -> Option<String> {
    let table = ctx.table();
    let (sorted, filtered) = (
        table.table.sorted_by(),
        table.table.filter.narrows_further(),
    );
    if let Some(by) = sorted {
        let back = ctx.key(Context::Backlog, Command::RankOrder);
        return Some(format!(
            "Sorted by {}: release lines show in rank order only, {back} goes back to it",
            by.key()
        ));
    }
    if filtered {
        let clear = ctx.key(Context::Backlog, Command::ClearFilter);
        return Some(format!(
            "Release lines show without a filter (open work aside): {clear} clears it"
        ));
    }
    None
}

/// Select the next release line below the selection (`forward`) or
/// above it; say why when there is none.
pub(super) fn select_next_line(forward: bool, ctx: &mut Ctx) {
    if let Some(why) = lines_hidden(ctx) {
        ctx.warn(why);
        return;
    }
    let mut table = ctx.table();
    let ruled = table.table.ruled(table.backlog);
    let drawn = table.table.selected_drawn(&ruled);
    let plan = &table.table.plan;
    let mut releases = (0..ruled.lines()).filter(|&line| plan.is_release(line));
    let found = if forward {
        releases.find(|&line| ruled.line_row(line) > drawn)
    } else {
        releases.rfind(|&line| ruled.line_row(line) < drawn)
    };
    let any = (0..ruled.lines()).any(|line| plan.is_release(line));
    if let Some(line) = found {
        table.select_line(line);
        return;
    }
    if any {
        ctx.notify(if forward {
            "No release line below"
        } else {
            "No release line above"
        });
    } else {
        let place = ctx.key(Context::Backlog, Command::PlaceLine);
        ctx.notify(format!(
            "No release has a line in the backlog: {place} puts one under the selected story"
        ));
    }
}

/// Put a release's line under the selected story: the release's, when
/// there is one; else the one picked from a list.
pub(super) fn place_line(ctx: &mut Ctx) {
    if ctx.table().table.sorted.is_some() {
        if let Some(why) = lines_hidden(ctx) {
            ctx.warn(why);
        }
        return;
    }
    let Some(id) = ctx.selected_story().map(|s| s.id) else {
        let next = ctx.key(Context::Backlog, Command::SelectNext);
        ctx.warn(format!(
            "Select a story to put a release line under ({next} selects the next)"
        ));
        return;
    };
    let releases = &ctx.backlog().product.releases;
    match releases.as_slice() {
        [] => ctx.warn(
            "No release yet to draw a line for: `backlog release add` adds one, with its date",
        ),
        [release] => {
            let name = release.name.clone();
            put_line_under(&name, id, ctx);
        }
        _ => {
            let picker = LinePicker::new(id, ctx.backlog());
            ctx.open(picker);
        }
    }
}

/// Put release `name`'s line just under story `id`, and select it, so
/// that the keys that move a story move it from there.
pub fn put_line_under(name: &str, id: StoryId, ctx: &mut Ctx) {
    let label = format!("put the {name} line under {id}");
    if ctx
        .change(label, |b| b.place_line_by(name, id, true))
        .is_none()
    {
        return;
    }
    if let Some(why) = lines_hidden(ctx) {
        ctx.notify(format!("The {name} line is under {id}. {why}"));
        return;
    }
    // Selected where it now is once the plan is worked out again, after
    // this change.
    let mut table = ctx.table();
    table.table.selected_line = Some(name.to_string());
    table.keep_selection_visible();
    let (down, up) = (
        ctx.key(Context::Backlog, Command::MoveDown),
        ctx.key(Context::Backlog, Command::MoveUp),
    );
    ctx.notify(format!(
        "The {name} line is under {id}: {down}/{up} move it, as a story"
    ));
}
