//! The status picker: every status in a list, so that any status is one
//! choice away, draft to in-progress included, rather than a walk round
//! the cycle. It sets the selected story's status, or every marked
//! story's; choosing ready for a story that fails the Definition of Ready
//! still asks first.

use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::backlog::bulk;
use super::{Screen, choice_row, clicked_row, picker_keys};
use crate::model::{Backlog, Status, Story, StoryId, renumber};
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{Areas, centered};
use crate::tui::theme;
use crate::words;

/// The picker, over the stories it sets, with a status highlighted.
#[derive(Clone, Debug)]
pub struct StatusPicker {
    /// The stories the chosen status goes to: the selected one, or those
    /// marked.
    pub stories: Vec<StoryId>,
    /// Index into [`Status::ALL`] of the status highlighted.
    pub row: usize,
    /// How many of the stories have each status, in [`Status::ALL`]'s
    /// order: worked out when it opens and when the backlog changes,
    /// since the stories marked may be thousands and a frame looks at
    /// none of them.
    having: [usize; Status::ALL.len()],
}

impl StatusPicker {
    /// A picker for `stories` of `backlog`, starting on the status `now`
    /// (the selected story's), so that a step either way is a key.
    #[must_use]
    pub fn new(stories: Vec<StoryId>, now: Option<Status>, backlog: &Backlog) -> Self {
        let row = now
            .and_then(|status| Status::ALL.iter().position(|s| *s == status))
            .unwrap_or(0);
        let mut picker = StatusPicker {
            stories,
            row,
            having: [0; Status::ALL.len()],
        };
        picker.backlog_changed(backlog);
        picker
    }

    /// The status highlighted.
    #[must_use]
    pub fn status(&self) -> Status {
        Status::ALL[self.row.min(Status::ALL.len() - 1)]
    }
}

impl Screen for StatusPicker {
    fn context(&self) -> Context {
        Context::StatusPicker
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        match command {
            Command::SelectNext => self.row = (self.row + 1).min(Status::ALL.len() - 1),
            Command::SelectPrevious => self.row = self.row.saturating_sub(1),
            Command::SelectFirst => self.row = 0,
            Command::SelectLast => self.row = Status::ALL.len() - 1,
            Command::Confirm => {
                ctx.close();
                let status = self.status();
                let changes = self.stories.iter().map(|id| (*id, status)).collect();
                bulk::set_statuses(changes, ctx);
            }
            Command::Cancel => ctx.close(),
            _ => {}
        }
        None
    }

    /// A click on a status selects it; the key that sets it still sets it.
    fn mouse(&mut self, mouse: MouseEvent, ctx: &mut Ctx) {
        if let Some(row) = ctx
            .areas()
            .and_then(|areas| clicked_row(mouse, popup(areas.screen), Status::ALL.len()))
        {
            self.row = row;
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        render(app, self, frame, popup(areas.screen));
    }

    fn story(&self) -> Option<StoryId> {
        match self.stories.as_slice() {
            [id] => Some(*id),
            _ => None,
        }
    }

    fn follow(&mut self, _before: Option<&Story>, now: &Backlog) -> bool {
        // A story gone meanwhile (another writer, an undo) is not set.
        self.stories.retain(|id| now.get(*id).is_some());
        !self.stories.is_empty()
    }

    fn backlog_changed(&mut self, backlog: &Backlog) {
        self.having = [0; Status::ALL.len()];
        for story in self.stories.iter().filter_map(|id| backlog.get(*id)) {
            if let Some(at) = Status::ALL.iter().position(|s| *s == story.status) {
                self.having[at] += 1;
            }
        }
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        for id in &mut self.stories {
            *id = renumber(*id, changes);
        }
    }
}

/// Where the picker goes over `area`: a row per status, then a blank line
/// and its keys, in a border.
fn popup(area: Rect) -> Rect {
    let height = u16::try_from(Status::ALL.len() + 2 + 2).unwrap_or(u16::MAX);
    centered(area, 40, height)
}

/// The list of statuses in `popup`, each with how many of the stories
/// have it when there are several, the highlighted one marked.
fn render(app: &App, picker: &StatusPicker, frame: &mut Frame, popup: Rect) {
    let title = match picker.stories.as_slice() {
        [id] => format!(" Status of {id} "),
        stories => format!(
            " Status of {} ",
            words::count(stories.len(), "marked story", "marked stories")
        ),
    };
    let mut lines: Vec<Line> = Status::ALL
        .iter()
        .enumerate()
        .zip(picker.having)
        .map(|((row, status), having)| {
            let now = match (picker.stories.len(), having) {
                (_, 0) => String::new(),
                (1, _) => "  (now)".to_string(),
                (_, having) => format!("  ({having} now)"),
            };
            choice_row(
                row == picker.row,
                [
                    Span::styled(status.as_str(), theme::status(*status, app.color)),
                    Span::styled(now, theme::dim(app.color)),
                ],
            )
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(picker_keys(app, Context::StatusPicker, "sets it"));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(title)),
        popup,
    );
}
