//! The screens: one module each, owning its state, its key context, how
//! its keys change it (`update`, and `input`, `paste` and `mouse` for
//! typed keys, pastes and the mouse), how it is drawn (`render`) and its
//! key hints.
//!
//! They stack: a dialog over a panel over a pane. The top-level panes
//! sit side by side, one shown at a time and switched with the number
//! keys, each remembering its own state; panels and dialogs stack over
//! the pane shown, and only the top one gets the keys. A new pane is one
//! module and one line in [`panes`].

pub mod backlog;
pub mod clashes;
pub mod confirm;
pub mod editor_error;
pub mod epics;
pub mod explain;
pub mod export;
pub mod filter;
pub mod form;
pub mod framework_picker;
pub mod help;
pub mod inbox;
pub mod meeting;
pub mod messages;
pub mod overview;
pub mod priority;
pub mod prompt;
pub mod roadmap;
pub mod search;
pub mod settings;
pub mod split;
pub mod status_picker;
pub mod story;
pub mod story_picker;
pub mod vision;
pub mod weigh;

use std::any::Any;

use chrono::{DateTime, Utc};

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};

use super::action::{Effect, MonteCarlo};
use super::app::App;
use super::ctx::Ctx;
use super::keymap::{Command, Context, Keymap};
use super::layout::{self, Areas};
use super::theme;
use crate::forecast::carlo::Percentiles;
use crate::model::{Backlog, Story, StoryId};
use crate::priority::Framework;

/// A pane, panel or dialog.
pub trait Screen: Any {
    /// Where its keys are looked up in the keymap.
    fn context(&self) -> Context;

    /// A top-level pane's name, as the help and the other panes show it.
    fn title(&self) -> Option<&'static str> {
        None
    }

    /// Whether a key the keymap does not bind is text typed into it.
    fn takes_text(&self) -> bool {
        false
    }

    /// Do what a key's command asks. The backlog is changed only through
    /// [`Ctx::change`], which also asks for a save; what is returned is
    /// other work for the event loop.
    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect>;

    /// A key typed into it (one its context does not bind, while it
    /// [`takes_text`](Screen::takes_text)).
    fn input(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        let _ = (key, ctx);
    }

    /// Text pasted into it, while it [`takes_text`](Screen::takes_text):
    /// text for the field being typed, never keys.
    fn paste(&mut self, text: &str, ctx: &mut Ctx) {
        let _ = (text, ctx);
    }

    /// A click, a drag or the wheel, where the pointer is: what is there
    /// comes from the layout, as the drawing has it.
    fn mouse(&mut self, event: MouseEvent, ctx: &mut Ctx) {
        let _ = (event, ctx);
    }

    /// Draw it, reading the app and never changing it. Each screen takes
    /// the area of `areas` that is its own: a pane the main area, a
    /// dialog the middle of the screen.
    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame);

    /// Its key hints for the status bar, from the keys in force: key
    /// and what it does.
    fn hints(&self, keys: &Keymap) -> Vec<(String, &'static str)> {
        keys.hints(self.context())
    }

    /// The story it is about, which it follows through changes made under
    /// it (another program's, an undo).
    fn story(&self) -> Option<StoryId> {
        None
    }

    /// A change made under it left the backlog `now`, its story having
    /// been `before`. False when it has nothing left to show and closes.
    fn follow(&mut self, before: Option<&Story>, now: &Backlog) -> bool {
        let _ = (before, now);
        true
    }

    /// The backlog changed, by anyone: counts it shows are stale.
    fn backlog_changed(&mut self, backlog: &Backlog) {
        let _ = backlog;
    }

    /// The scores it shows are stale: the backlog changed, or another
    /// framework (`framework`, if any) was picked. `now` is the app's
    /// clock, for the weighted engine's age.
    fn scores_stale(
        &mut self,
        backlog: &Backlog,
        framework: Option<Framework>,
        now: DateTime<Utc>,
    ) {
        let _ = (backlog, framework, now);
    }

    /// A merge gave some of this session's new stories other ids: every
    /// id it holds follows.
    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        let _ = changes;
    }

    /// A Monte Carlo forecast it wants run off the event loop, handed
    /// over once: the loop runs it on a thread of its own and brings the
    /// answer back to [`Screen::simulated`].
    fn background(&mut self) -> Option<MonteCarlo> {
        None
    }

    /// The answer to Monte Carlo forecast `job`: one it no longer wants
    /// (the backlog changed since it asked) it leaves.
    fn simulated(&mut self, job: u64, result: &Result<Vec<Percentiles>, String>) {
        let _ = (job, result);
    }
}

/// The top-level panes, in the order of their number keys: `1` shows the
/// first. A new pane is a module and a line here: it takes the keys of
/// `Context::Pane` (scrolling, help, quit, the number keys), interpreted
/// by its own `update`, until it needs a key context of its own.
#[must_use]
pub fn panes() -> Vec<Box<dyn Screen>> {
    vec![
        Box::new(backlog::BacklogPane::default()),
        Box::new(priority::PriorityPane::default()),
        Box::new(overview::OverviewPane::default()),
        Box::new(roadmap::RoadmapPane::default()),
        Box::new(inbox::InboxPane::default()),
        Box::new(meeting::MeetingPane::default()),
    ]
}

/// The commands every top-level pane answers alike: undo and redo (the
/// selection left as the pane has it), help, and putting a message away.
/// True when `command` was one of them, and done.
pub fn pane_command(command: Command, ctx: &mut Ctx) -> bool {
    match command {
        Command::Undo | Command::Redo => {
            ctx.undo(command == Command::Redo, None);
        }
        Command::Help => ctx.open(help::Help::new(ctx.pane_titles())),
        Command::StartMeeting => meeting::open(ctx),
        Command::OpenClashes => clashes::open(ctx),
        Command::Dismiss => ctx.dismiss(),
        _ => return false,
    }
    true
}

/// Show story `id` in the backlog pane, selected there; one the filter
/// hides stays hidden, and the status bar says which key shows it.
pub fn show_in_backlog(id: StoryId, ctx: &mut Ctx) {
    if ctx.backlog().get(id).is_none() {
        ctx.warn(format!("{id} is not in the backlog"));
        return;
    }
    ctx.table().reselect(Some(id));
    if ctx.selected_story().map(|s| s.id) != Some(id) {
        let clear = ctx.key(Context::Backlog, Command::ClearFilter);
        ctx.warn(format!(
            "{id} is hidden by the filter: {clear} in the backlog shows every story"
        ));
        return;
    }
    ctx.show_pane(0);
}

/// The row a box of text scrolled to row `scroll`, showing `page` rows,
/// is asked to scroll to by `command`, before the box holds it to its last
/// row (the end is asked for as `usize::MAX`); `None` for a command that
/// does not scroll. The help and the messages scroll alike.
#[must_use]
pub fn scroll_asked(command: Command, scroll: usize, page: usize) -> Option<usize> {
    let page = page.max(1);
    match command {
        Command::ScrollDown => Some(scroll.saturating_add(1)),
        Command::ScrollUp => Some(scroll.saturating_sub(1)),
        Command::PageDown => Some(scroll.saturating_add(page)),
        Command::PageUp => Some(scroll.saturating_sub(page)),
        Command::ScrollToTop => Some(0),
        Command::ScrollToEnd => Some(usize::MAX),
        _ => None,
    }
}

/// The row the wheel (`kind`) asks a box of text scrolled to row `scroll`
/// to scroll to, before the box holds it to its last row; `None` for any
/// other use of the mouse.
#[must_use]
pub fn wheel_asked(kind: MouseEventKind, scroll: usize) -> Option<usize> {
    let wheel = usize::from(layout::WHEEL_ROWS);
    match kind {
        MouseEventKind::ScrollDown => Some(scroll.saturating_add(wheel)),
        MouseEventKind::ScrollUp => Some(scroll.saturating_sub(wheel)),
        _ => None,
    }
}

/// A row of a list to choose from, of `spans`: pointed at with `▶` and
/// highlighted when it is the one chosen, indented to match when not.
#[must_use]
pub fn choice_row<'a>(chosen: bool, spans: impl IntoIterator<Item = Span<'a>>) -> Line<'a> {
    let mut row = vec![Span::raw(if chosen { "▶ " } else { "  " })];
    row.extend(spans);
    let line = Line::from(row);
    if chosen {
        line.style(theme::selected())
    } else {
        line
    }
}

/// The keys line at the foot of a picker in `context`: the key that
/// confirms, doing what `confirms` says, and the key that cancels,
/// changing nothing.
#[must_use]
pub fn picker_keys(app: &App, context: Context, confirms: &str) -> Line<'static> {
    let key = |command| app.key(context, command);
    Line::from(vec![
        Span::styled(key(Command::Confirm), theme::key(app.color)),
        Span::raw(format!(" {confirms}  ")),
        Span::styled(key(Command::Cancel), theme::key(app.color)),
        Span::raw(" changes nothing"),
    ])
}

/// Which of the first `rows` lines of a list drawn from the top of a
/// bordered box at `popup` a left click lands on, if any.
#[must_use]
pub fn clicked_row(mouse: MouseEvent, popup: Rect, rows: usize) -> Option<usize> {
    if mouse.kind != MouseEventKind::Down(MouseButton::Left) {
        return None;
    }
    layout::row_at(popup.inner(Margin::new(1, 1)), mouse.column, mouse.row)
        .filter(|&row| row < rows)
}
