//! Where each part of the roadmap pane goes, for the keys, the mouse
//! and the drawing alike: the vision and the releases at the top, then
//! the timeline, the burnup and the lanes, side by side when the pane is
//! large, else one at a time below a row of tabs.

use ratatui::layout::{Constraint, Layout, Position, Rect};

use super::plan::Plan;
use super::{RoadmapPane, Section, view};
use crate::model::Backlog;
use crate::tui::keymap::Keymap;

/// Below this (the pane's own area, its border included) the pane says
/// it is too small.
pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 14;

/// From this size inside its border the pane shows the timeline, the
/// burnup and the lanes at once.
const WIDE_WIDTH: u16 = 96;
const WIDE_HEIGHT: u16 = 28;

/// The fewest rows left for the sections: below the releases on a
/// small pane, and beside each other on a large one.
const SECTION_ROWS: u16 = 4;
const WIDE_SECTION_ROWS: u16 = 16;

/// The rows the tallest lane takes, with its title.
#[must_use]
pub fn lane_rows(plan: &Plan) -> usize {
    super::plan::lane_rows(&plan.lanes) + usize::from(!plan.lanes.done.is_empty()) * 2
}

/// The pane laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Geometry {
    /// Inside the pane's border.
    pub inner: Rect,
    /// The vision, the goals and the velocity.
    pub head: Rect,
    pub releases: Rect,
    /// How many releases have their two rows; a row after them says how
    /// many more there are, when some are left out.
    pub releases_shown: usize,
    /// The row of section tabs, on a small pane; none on a large one.
    pub tabs: Rect,
    /// Where each section's content goes (none when it is not shown),
    /// and on a large pane its box.
    pub timeline: Rect,
    pub chart: Rect,
    pub lanes: Rect,
    pub boxes: Option<[Rect; 3]>,
}

impl Geometry {
    /// The pane at `main` (its border included); none when too small.
    #[must_use]
    pub fn of(main: Rect, pane: &RoadmapPane, backlog: &Backlog, keys: &Keymap) -> Option<Self> {
        if main.width < MIN_WIDTH || main.height < MIN_HEIGHT {
            return None;
        }
        let inner = Rect::new(main.x + 1, main.y + 1, main.width - 2, main.height - 2);
        let wide = inner.width >= WIDE_WIDTH && inner.height >= WIDE_HEIGHT;
        let head = view::head(pane, backlog, keys, inner.width, wide, false).len();
        let head = u16::try_from(head).unwrap_or(u16::MAX).min(inner.height);
        let releases = pane.plan.as_ref().map_or(0, |p| p.forecast.releases.len());
        let room = inner
            .height
            .saturating_sub(head)
            .saturating_sub(if wide {
                WIDE_SECTION_ROWS
            } else {
                1 + SECTION_ROWS
            })
            .max(1);
        let (release_rows, releases_shown) = if releases == 0 {
            (1, 0)
        } else if releases * 2 <= usize::from(room) {
            (u16::try_from(releases * 2).unwrap_or(room), releases)
        } else {
            // The row that says how many more.
            (room, usize::from(room - 1) / 2)
        };
        let [head, releases, tabs, body] = Layout::vertical([
            Constraint::Length(head),
            Constraint::Length(release_rows),
            Constraint::Length(u16::from(!wide)),
            Constraint::Min(0),
        ])
        .areas(inner);
        let mut geometry = Geometry {
            inner,
            head,
            releases,
            releases_shown,
            tabs,
            timeline: Rect::default(),
            chart: Rect::default(),
            lanes: Rect::default(),
            boxes: None,
        };
        if wide {
            let [left, right] =
                Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                    .areas(body);
            let [chart, lanes] =
                Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)])
                    .areas(right);
            let inside = |r: Rect| {
                Rect::new(
                    r.x + 1,
                    r.y + 1,
                    r.width.saturating_sub(2),
                    r.height.saturating_sub(2),
                )
            };
            geometry.boxes = Some([left, chart, lanes]);
            geometry.timeline = inside(left);
            geometry.chart = inside(chart);
            geometry.lanes = inside(lanes);
        } else {
            match pane.section {
                Section::Timeline => geometry.timeline = body,
                Section::Burnup => geometry.chart = body,
                Section::Lanes => geometry.lanes = body,
            }
        }
        Some(geometry)
    }

    /// The section whose content (or box) is at `column`, `row`.
    #[must_use]
    pub fn section_at(&self, column: u16, row: u16) -> Option<Section> {
        let at = Position::new(column, row);
        let areas = self
            .boxes
            .unwrap_or([self.timeline, self.chart, self.lanes]);
        Section::ALL
            .into_iter()
            .zip(areas)
            .find(|(_, area)| area.contains(at))
            .map(|(section, _)| section)
    }

    /// The section whose tab is at `column`, `row`.
    #[must_use]
    pub fn tab_at(&self, column: u16, row: u16) -> Option<Section> {
        if !self.tabs.contains(Position::new(column, row)) {
            return None;
        }
        let mut x = self.tabs.x;
        for section in Section::ALL {
            let width = view::tab_width(section);
            if column < x + width {
                return Some(section);
            }
            x += width;
        }
        None
    }
}
