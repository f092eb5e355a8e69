//! The roadmap pane, pane `4`: the release plan for talking to
//! stakeholders. The product vision and goals; each release's target
//! date against its forecast (the low, mean and high velocity's landing,
//! on track, at risk or late), its progress and its Monte Carlo odds; a
//! timeline of the coming sprints with the stories that fall into each
//! and the releases due and done where they fall; a burnup chart; and
//! the epics in now / next / later lanes.
//!
//! The plan is worked out when the pane is shown and after each change
//! while it is (a story moved in the backlog moves the forecast at once),
//! never per frame; only the timeline's rows on screen are drawn. The
//! Monte Carlo forecast, ten thousand runs, is asked of the event loop,
//! which runs it on a thread of its own: until its answer comes the pane
//! says it is simulating, and an answer to a question no longer asked
//! (the backlog changed meanwhile) is left.
//!
//! Below 100 columns and 30 rows the timeline, the burnup and the lanes
//! take turns below the releases, one at a time; above, they sit side by
//! side. The section key moves between them either way.

mod geometry;
pub mod plan;
mod view;

use chrono::{DateTime, NaiveDate, Utc};
use ratatui::Frame;
use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use self::geometry::Geometry;
pub use self::plan::Plan;
use self::plan::{Row, place_of, story_in};
use super::Screen;
use super::backlog::lines::today;
use super::pane_command;
use crate::forecast::carlo::{FEWEST_SPRINTS, Percentiles};
use crate::forecast::{HORIZON, known_capacities};
use crate::model::{Backlog, StoryId};
use crate::priority::Framework;
use crate::tui::action::{Effect, MonteCarlo};
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{self, Areas};

/// How many runs the pane's Monte Carlo forecast plays: the usual count,
/// which a modern machine plays in well under a frame's worth of waiting.
pub const RUNS: usize = 10_000;

/// The seed of the pane's Monte Carlo forecast: fixed, so the same
/// backlog shows the same odds every time it is looked at.
pub const SEED: u64 = 1;

/// The parts below the releases, in the order the section key visits
/// them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Section {
    #[default]
    Timeline,
    Burnup,
    Lanes,
}

impl Section {
    pub const ALL: [Section; 3] = [Section::Timeline, Section::Burnup, Section::Lanes];

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Section::Timeline => "Timeline",
            Section::Burnup => "Burnup",
            Section::Lanes => "Now · Next · Later",
        }
    }
}

/// What the Monte Carlo forecast asks: the velocities drawn from, each
/// release's points to do, the capacities known ahead.
#[derive(Clone, Debug, PartialEq)]
struct Question {
    history: Vec<f64>,
    targets: Vec<f64>,
    known: Vec<Option<f64>>,
}

/// Where the Monte Carlo forecast stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Odds {
    /// Nothing to forecast: no release, or the pane not yet shown.
    #[default]
    Nothing,
    /// Fewer sprints of velocity than it draws from: this many.
    TooFew { have: usize },
    /// Asked as `job`, not yet answered.
    Simulating { job: u64 },
    /// Each release's percentiles (in the forecast's order), or why there
    /// are none.
    Answered(Result<Vec<Percentiles>, String>),
}

/// The roadmap pane.
#[derive(Clone, Debug, Default)]
pub struct RoadmapPane {
    /// The section the keys act on (and, on a small screen, the one
    /// shown).
    pub section: Section,
    /// The timeline row selected (a story's) and the first on screen.
    pub selected: usize,
    pub scroll: usize,
    /// The first row of the lanes on screen.
    pub lanes_scroll: usize,
    /// The story selected, followed through the changes that move it.
    pub story: Option<StoryId>,
    /// The plan, worked out when the pane is shown and after each change.
    pub plan: Option<Plan>,
    pub odds: Odds,
    /// The question the odds answer, or will.
    asked: Option<Question>,
    /// The last Monte Carlo forecast asked for.
    job: u64,
    /// One asked for, not yet handed to the loop.
    wanted: Option<MonteCarlo>,
}

impl RoadmapPane {
    /// Work the plan out again for `backlog` on `today`, the selection
    /// staying on its story wherever it now is, and ask for the Monte
    /// Carlo forecast again if what it is asked changed.
    pub fn replan(&mut self, backlog: &Backlog, today: NaiveDate) {
        let plan = Plan::of(backlog, today);
        self.ask_odds(backlog, &plan);
        let row = self
            .story
            .and_then(|id| backlog.position(id).ok())
            .and_then(|p| place_of(backlog, &plan.forecast, p))
            .and_then(|(k, nth)| plan.timeline.story_row(k, nth));
        let timeline = &plan.timeline;
        self.selected = row
            .or_else(|| timeline.story_from(self.selected, true))
            .or_else(|| timeline.story_from(self.selected, false))
            .unwrap_or(0);
        self.plan = Some(plan);
        self.story = self.selected_story(backlog).map(|(_, id)| id);
    }

    fn ask_odds(&mut self, backlog: &Backlog, plan: &Plan) {
        let forecast = &plan.forecast;
        let history: Vec<f64> = forecast.history.iter().map(|(_, p)| *p).collect();
        if forecast.releases.is_empty() {
            self.odds = Odds::Nothing;
            self.asked = None;
            return;
        }
        if history.len() < FEWEST_SPRINTS {
            self.odds = Odds::TooFew {
                have: history.len(),
            };
            self.asked = None;
            return;
        }
        let question = Question {
            history,
            targets: forecast.releases.iter().map(|r| r.to_do).collect(),
            known: known_capacities(backlog),
        };
        // The same question: the answer there is, or the one coming,
        // stands.
        if self.asked.as_ref() == Some(&question) {
            return;
        }
        self.job += 1;
        self.odds = Odds::Simulating { job: self.job };
        self.wanted = Some(MonteCarlo {
            job: self.job,
            history: question.history.clone(),
            targets: question.targets.clone(),
            known: question.known.clone(),
            runs: RUNS,
            seed: SEED,
            horizon: HORIZON,
        });
        self.asked = Some(question);
    }

    /// The story at the selected row, with its place in the backlog.
    #[must_use]
    pub fn selected_story(&self, backlog: &Backlog) -> Option<(usize, StoryId)> {
        let plan = self.plan.as_ref()?;
        let Some(Row::Story { sprint, nth }) = plan.timeline.row(self.selected) else {
            return None;
        };
        story_in(backlog, &plan.forecast, sprint, nth).map(|(p, story)| (p, story.id))
    }

    /// Select the story row nearest `row` going `down` (else up), the
    /// timeline `shown` rows tall scrolled to show it.
    fn select(&mut self, row: usize, down: bool, shown: usize, backlog: &Backlog) {
        let Some(plan) = &self.plan else { return };
        let timeline = &plan.timeline;
        if let Some(row) = timeline
            .story_from(row, down)
            .or_else(|| timeline.story_from(row, !down))
        {
            self.selected = row;
        }
        self.scroll = timeline.scrolled(self.scroll, self.selected, shown);
        self.story = self.selected_story(backlog).map(|(_, id)| id);
    }

    fn geometry(&self, ctx: &Ctx) -> Option<Geometry> {
        let areas = ctx.areas()?;
        Geometry::of(areas.main, self, ctx.backlog(), ctx.keymap())
    }

    /// The selection or the lanes moved by a key, in the section the
    /// keys act on.
    fn step(&mut self, command: Command, ctx: &Ctx) {
        let geometry = self.geometry(ctx);
        match self.section {
            Section::Timeline => {
                let shown = geometry.map_or(1, |g| usize::from(g.timeline.height));
                let page = shown.max(1);
                let (row, down) = match command {
                    Command::SelectNext => (self.selected + 1, true),
                    Command::SelectPrevious => match self.selected.checked_sub(1) {
                        Some(row) => (row, false),
                        None => (0, true),
                    },
                    Command::PageDown => (self.selected.saturating_add(page), true),
                    Command::PageUp => (self.selected.saturating_sub(page), false),
                    Command::SelectFirst => (0, true),
                    Command::SelectLast => (usize::MAX, false),
                    _ => return,
                };
                self.select(row, down, shown, ctx.backlog());
            }
            Section::Lanes => {
                // Below the lanes' titles.
                let shown = geometry.map_or(1, |g| usize::from(g.lanes.height.saturating_sub(1)));
                let rows = self.plan.as_ref().map_or(0, geometry::lane_rows);
                let last = rows.saturating_sub(shown);
                let wanted = super::scroll_asked(lane_scroll(command), self.lanes_scroll, shown);
                if let Some(wanted) = wanted {
                    self.lanes_scroll = wanted.min(last);
                }
            }
            Section::Burnup => {}
        }
    }

    /// Show the selected story in the backlog pane, selected there.
    fn show_in_backlog(&mut self, ctx: &mut Ctx) {
        if self.section != Section::Timeline {
            let section = ctx.key(Context::Roadmap, Command::SwitchFocus);
            ctx.warn(format!(
                "Select a story in the timeline first ({section} goes to it)"
            ));
            return;
        }
        let Some((_, id)) = self.selected_story(ctx.backlog()) else {
            ctx.warn("No story is selected: the timeline has none");
            return;
        };
        super::show_in_backlog(id, ctx);
    }
}

/// The lanes scroll by the keys that select in the timeline.
fn lane_scroll(command: Command) -> Command {
    match command {
        Command::SelectNext => Command::ScrollDown,
        Command::SelectPrevious => Command::ScrollUp,
        Command::SelectFirst => Command::ScrollToTop,
        Command::SelectLast => Command::ScrollToEnd,
        other => other,
    }
}

impl Screen for RoadmapPane {
    fn context(&self) -> Context {
        Context::Roadmap
    }

    fn title(&self) -> Option<&'static str> {
        Some("Roadmap")
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        match command {
            Command::SelectNext
            | Command::SelectPrevious
            | Command::SelectFirst
            | Command::SelectLast
            | Command::PageDown
            | Command::PageUp => self.step(command, ctx),
            Command::SwitchFocus => {
                let at = Section::ALL
                    .iter()
                    .position(|s| *s == self.section)
                    .unwrap_or(0);
                self.section = Section::ALL[(at + 1) % Section::ALL.len()];
            }
            Command::ShowInBacklog => self.show_in_backlog(ctx),
            // Undo and redo here try a move in the backlog, see it here, and
            // take it back.
            command => {
                pane_command(command, ctx);
            }
        }
        None
    }

    /// The wheel scrolls the section under the pointer; a click on a
    /// story in the timeline selects it, and on a section brings it.
    fn mouse(&mut self, event: MouseEvent, ctx: &mut Ctx) {
        let Some(geometry) = self.geometry(ctx) else {
            return;
        };
        if let Some(section) = geometry.section_at(event.column, event.row) {
            match event.kind {
                MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                    let down = event.kind == MouseEventKind::ScrollDown;
                    self.section = section;
                    let command = if down {
                        Command::SelectNext
                    } else {
                        Command::SelectPrevious
                    };
                    for _ in 0..layout::WHEEL_ROWS {
                        self.step(command, ctx);
                    }
                }
                MouseEventKind::Down(MouseButton::Left) => {
                    self.section = section;
                    if section == Section::Timeline
                        && let Some(row) =
                            layout::row_at(geometry.timeline, event.column, event.row)
                    {
                        let row = self.scroll + row;
                        let is_story = self
                            .plan
                            .as_ref()
                            .and_then(|p| p.timeline.row(row))
                            .is_some_and(|r| matches!(r, Row::Story { .. }));
                        if is_story {
                            let shown = usize::from(geometry.timeline.height);
                            self.select(row, true, shown, ctx.backlog());
                        }
                    }
                }
                _ => {}
            }
        } else if event.kind == MouseEventKind::Down(MouseButton::Left)
            && let Some(section) = geometry.tab_at(event.column, event.row)
        {
            self.section = section;
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        view::render(self, app, areas, frame);
    }

    /// The plan is worked out again here, the one call that brings the
    /// clock: when the pane is shown, and after every change while it is.
    fn scores_stale(&mut self, backlog: &Backlog, _: Option<Framework>, now: DateTime<Utc>) {
        self.replan(backlog, today(now));
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        self.story = self.story.map(|id| crate::model::renumber(id, changes));
    }

    fn background(&mut self) -> Option<MonteCarlo> {
        self.wanted.take()
    }

    fn simulated(&mut self, job: u64, result: &Result<Vec<Percentiles>, String>) {
        if self.odds == (Odds::Simulating { job }) {
            self.odds = Odds::Answered(result.clone());
        }
    }
}
