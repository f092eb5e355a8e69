//! The inbox pane, pane `5`: the customer's voice. Feedback from support,
//! sales and issue trackers waits here until the product owner triages
//! it: converts an item into a draft story of its own, links it to a
//! story that already answers it (found in the story picker), or
//! dismisses it with a reason. Each is one change, saved and undone like
//! any other; the stories then show their customer evidence.
//!
//! A list of the items, the new ones (the triage queue) newest first
//! unless asked otherwise, beside (or above) the selected item in full.
//! The list is worked out when the pane is shown and after each change,
//! never per frame, and only its rows on screen are drawn: an import may
//! bring 17,000 items.

mod ask;
mod offer;
pub mod rows;
mod view;

use std::cell::Cell;
use std::rc::Rc;

use ratatui::Frame;
use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Position;

pub use self::ask::{Ask, Asking};
pub use self::offer::OpenStory;
pub use self::rows::{Counts, Order, Shown, listed};
pub use self::view::{Geometry, importance_marks};
use super::Screen;
use super::story_picker::{Purpose, StoryPicker};
use super::{pane_command, show_in_backlog};
use crate::model::{Backlog, Feedback, FeedbackId, FeedbackState, Importance, Placement, StoryId};
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{self, Areas, scrolled};
use crate::words;

/// Which half of the pane the keys that move act on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Focus {
    #[default]
    List,
    /// The selected item in full, to scroll.
    Item,
}

/// Where an item added from the pane is told to it, to be selected once
/// it is listed: the question that adds it is a screen of its own.
#[derive(Clone, Debug, Default)]
pub struct Added(Rc<Cell<Option<FeedbackId>>>);

impl Added {
    fn set(&self, id: FeedbackId) {
        self.0.set(Some(id));
    }

    fn take(&self) -> Option<FeedbackId> {
        self.0.take()
    }
}

/// The inbox pane.
#[derive(Clone, Debug, Default)]
pub struct InboxPane {
    pub shown: Shown,
    pub order: Order,
    pub focus: Focus,
    /// The items listed, in order.
    pub rows: Vec<FeedbackId>,
    /// How many items there are in each state.
    pub counts: Counts,
    /// The row selected, and the first on screen.
    pub selected: usize,
    pub scroll: usize,
    /// The item selected, followed through the changes that move it.
    pub item: Option<FeedbackId>,
    /// How far the selected item is scrolled.
    pub item_scroll: usize,
    added: Added,
}

impl InboxPane {
    /// List the items again as `backlog` has them now, the selection
    /// staying on its item if it is still listed, else at the same row:
    /// an item triaged out of the list leaves the next one selected.
    pub fn relist(&mut self, backlog: &Backlog) {
        if let Some(added) = self.added.take() {
            if !matches!(self.shown, Shown::New | Shown::All) {
                self.shown = Shown::New;
            }
            self.item = Some(added);
        }
        let items = backlog.feedback();
        self.counts = Counts::of(items);
        self.rows = listed(items, self.shown, self.order);
        let row = self
            .item
            .and_then(|id| self.rows.iter().position(|r| *r == id));
        let last = self.rows.len().saturating_sub(1);
        self.selected = row.unwrap_or(self.selected).min(last);
        self.follow_selection();
    }

    /// The item at the selected row.
    #[must_use]
    pub fn selected_item<'a>(&self, backlog: &'a Backlog) -> Option<&'a Feedback> {
        let id = *self.rows.get(self.selected)?;
        backlog.feedback_item(id).ok()
    }

    /// The item is the one at the selected row; another one starts at
    /// its top.
    fn follow_selection(&mut self) {
        let item = self.rows.get(self.selected).copied();
        if item != self.item {
            self.item_scroll = 0;
        }
        self.item = item;
    }

    /// Select `row` (clamped to the rows), scrolled into view of a list
    /// `shown` rows tall.
    fn select(&mut self, row: usize, shown: usize) {
        let last = self.rows.len().saturating_sub(1);
        self.selected = row.min(last);
        self.scroll = scrolled(self.scroll, self.selected, shown);
        self.follow_selection();
    }

    fn geometry(ctx: &Ctx) -> Option<Geometry> {
        ctx.areas().map(|areas| Geometry::of(areas.main))
    }

    /// The selected item's id, or a warning that there is none.
    fn selected_id(&self, ctx: &mut Ctx) -> Option<FeedbackId> {
        let id = self.selected_item(ctx.backlog()).map(|item| item.id);
        if id.is_none() {
            let add = ctx.key(Context::Inbox, Command::AddFeedback);
            ctx.warn(format!("No item is selected: {add} adds one"));
        }
        id
    }

    /// Turn the selected item into a draft story at the bottom of the
    /// backlog, and offer to open it in the story form, where its user
    /// story (a guess) is completed.
    fn convert(&self, ctx: &mut Ctx) {
        let Some(id) = self.selected_id(ctx) else {
            return;
        };
        let made = self
            .selected_item(ctx.backlog())
            .filter(|item| item.state == FeedbackState::Converted)
            .and_then(|item| item.story)
            .filter(|&story| ctx.backlog().get(story).is_some());
        if let Some(story) = made {
            let show = ctx.key(Context::Inbox, Command::ShowInBacklog);
            ctx.notify(format!(
                "{id} was converted into {story} already: {show} shows it"
            ));
            return;
        }
        let now = ctx.now();
        let keep = ctx.selected_story().map(|s| s.id);
        let Some(story) = ctx.change(format!("convert {id}"), |b| {
            b.convert_feedback(id, Placement::Bottom, now)
        }) else {
            return;
        };
        // The backlog table keeps its selection: it moves to the story
        // only if the owner opens it.
        let mut table = ctx.table();
        table.story_added(story);
        table.reselect(keep);
        ctx.notify(format!(
            "Converted {id} into {story}, a draft at the bottom"
        ));
        ctx.open(OpenStory { item: id, story });
    }

    fn link(&self, ctx: &mut Ctx) {
        let Some(id) = self.selected_id(ctx) else {
            return;
        };
        if ctx.backlog().is_empty() {
            ctx.warn(format!("No story to link {id} to: the backlog is empty"));
            return;
        }
        let picker = StoryPicker::new(Purpose::Link(id), ctx.backlog());
        ctx.open(picker);
    }

    fn dismiss(&self, ctx: &mut Ctx) {
        let Some(id) = self.selected_id(ctx) else {
            return;
        };
        // Dismissed already, the reason given can be put better.
        let reason = ctx
            .backlog()
            .feedback_item(id)
            .ok()
            .and_then(|item| item.reason.clone())
            .unwrap_or_default();
        ctx.open(Ask::new(Asking::Reason(id), &reason, self.added.clone()));
    }

    fn reopen(&self, ctx: &mut Ctx) {
        let Some(id) = self.selected_id(ctx) else {
            return;
        };
        if self
            .selected_item(ctx.backlog())
            .is_some_and(|item| item.state == FeedbackState::New)
        {
            ctx.notify(format!("{id} is new already"));
            return;
        }
        let now = ctx.now();
        if ctx
            .change(format!("reopen {id}"), |b| b.reopen_feedback(id, now))
            .is_some()
        {
            ctx.notify(format!("{id} is new again"));
        }
    }

    /// The selected item's importance one step up (or down) the scale;
    /// at its end, say why nothing changed.
    fn step_importance(&self, up: bool, ctx: &mut Ctx) {
        let Some(id) = self.selected_id(ctx) else {
            return;
        };
        let Some(item) = self.selected_item(ctx.backlog()).cloned() else {
            return;
        };
        let value = item.importance.value();
        let stepped = if up {
            value.checked_add(1)
        } else {
            value.checked_sub(1)
        };
        let Some(importance) = stepped.and_then(Importance::from_value) else {
            let end = if up { "top" } else { "bottom" };
            ctx.notify(format!(
                "{id} is {} already, the {end} of the scale",
                item.importance
            ));
            return;
        };
        let now = ctx.now();
        let edited = Feedback { importance, ..item };
        if ctx
            .change(format!("importance of {id}"), |b| {
                b.edit_feedback(id, &edited, now)
            })
            .is_some()
        {
            ctx.notify(format!("{id} is {importance} ({})", importance.value()));
        }
    }

    /// Show the story the selected item is linked to, or was converted
    /// into, in the backlog pane, selected there.
    fn show_story(&self, ctx: &mut Ctx) {
        let Some(id) = self.selected_id(ctx) else {
            return;
        };
        let Some(item) = self.selected_item(ctx.backlog()) else {
            return;
        };
        let Some(story) = item.story.filter(|&story| item.supports(story)) else {
            let (convert, link) = (
                ctx.key(Context::Inbox, Command::ConvertFeedback),
                ctx.key(Context::Inbox, Command::LinkFeedback),
            );
            let state = item.state;
            ctx.warn(format!(
                "{id} is {state}, on no story: {convert} converts it into one, {link} links it"
            ));
            return;
        };
        show_in_backlog(story, ctx);
    }

    fn next_view(&mut self, ctx: &mut Ctx) {
        let before = self.item;
        self.shown = self.shown.next();
        self.scroll = 0;
        self.relist(ctx.backlog());
        // An item the new view does not list leaves it at its top.
        if self.item != before {
            self.selected = 0;
            self.follow_selection();
        }
        let all = self.counts.all;
        let next = ctx.key(Context::Inbox, Command::FilterByState);
        ctx.notify(match self.shown.state() {
            None => format!("Every item shown: {all} · {next} shows the next view"),
            Some(state) => format!(
                "{} items shown: {} of {all} · {next} shows the next view",
                crate::words::capitalised(state.as_str()),
                self.rows.len()
            ),
        });
    }

    fn next_order(&mut self, ctx: &mut Ctx) {
        self.order = self.order.next();
        self.relist(ctx.backlog());
        ctx.notify(format!("Listed {}", self.order.describe()));
    }

    /// Scroll the selected item `delta` rows, as far as its last row.
    fn scroll_item(&mut self, delta: isize, ctx: &Ctx) {
        let (Some(geometry), Some(item)) = (Self::geometry(ctx), self.selected_item(ctx.backlog()))
        else {
            return;
        };
        let wanted = self.item_scroll.saturating_add_signed(delta);
        let lines = view::item_lines(item, ctx.backlog(), false);
        self.item_scroll = layout::scrolled_to(lines, geometry.text_width(), wanted);
    }
}

/// Link feedback item `item` to `story`, as one change, and say so: what
/// the story picker does with the story picked.
pub fn link(item: FeedbackId, story: StoryId, ctx: &mut Ctx) {
    let now = ctx.now();
    if ctx
        .change(format!("link {item} to {story}"), |b| {
            b.link_feedback(item, story, now)
        })
        .is_none()
    {
        return;
    }
    let evidence = ctx.backlog().evidence(story);
    ctx.notify(format!(
        "Linked {item} to {story}: {} asked for it",
        words::count(evidence.customers, "customer", "customers")
    ));
}

impl Screen for InboxPane {
    fn context(&self) -> Context {
        match self.focus {
            Focus::List => Context::Inbox,
            Focus::Item => Context::InboxItem,
        }
    }

    fn title(&self) -> Option<&'static str> {
        Some("Inbox")
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        let shown = Self::geometry(ctx).map_or(1, |g| g.rows());
        let page = isize::try_from(shown).unwrap_or(isize::MAX);
        let step = |pane: &mut InboxPane, by: isize| {
            let row = pane.selected.saturating_add_signed(by);
            pane.select(row, shown);
        };
        match command {
            Command::SelectNext => step(self, 1),
            Command::SelectPrevious => step(self, -1),
            Command::PageDown => step(self, page),
            Command::PageUp => step(self, -page),
            Command::SelectFirst => self.select(0, shown),
            Command::SelectLast => self.select(usize::MAX, shown),
            Command::ScrollDown => self.scroll_item(1, ctx),
            Command::ScrollUp => self.scroll_item(-1, ctx),
            Command::SwitchFocus => {
                self.focus = match self.focus {
                    Focus::List => Focus::Item,
                    Focus::Item => Focus::List,
                };
            }
            Command::ConvertFeedback => self.convert(ctx),
            Command::LinkFeedback => self.link(ctx),
            Command::DismissFeedback => self.dismiss(ctx),
            Command::ReopenFeedback => self.reopen(ctx),
            Command::ImportanceUp => self.step_importance(true, ctx),
            Command::ImportanceDown => self.step_importance(false, ctx),
            Command::ShowInBacklog => self.show_story(ctx),
            Command::FilterByState => self.next_view(ctx),
            Command::SortTable => self.next_order(ctx),
            Command::AddFeedback => ctx.open(Ask::new(Asking::Text, "", self.added.clone())),
            command => {
                pane_command(command, ctx);
            }
        }
        None
    }

    /// A click on a row selects it and on either half focuses it; the
    /// wheel moves the selection in the list and scrolls the item.
    fn mouse(&mut self, event: MouseEvent, ctx: &mut Ctx) {
        let Some(geometry) = Self::geometry(ctx) else {
            return;
        };
        let at = Position::new(event.column, event.row);
        let on_list = geometry.list.contains(at);
        let on_item = geometry.detail.contains(at);
        let wheel = isize::try_from(layout::WHEEL_ROWS).unwrap_or(1);
        match event.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let delta = if event.kind == MouseEventKind::ScrollDown {
                    wheel
                } else {
                    -wheel
                };
                if on_list {
                    let row = self.selected.saturating_add_signed(delta);
                    self.select(row, geometry.rows());
                } else if on_item {
                    self.scroll_item(delta, ctx);
                }
            }
            MouseEventKind::Down(MouseButton::Left) => {
                if on_item {
                    self.focus = Focus::Item;
                }
                if !on_list {
                    return;
                }
                self.focus = Focus::List;
                if let Some(offset) = layout::row_at(geometry.body, event.column, event.row) {
                    let scroll = scrolled(self.scroll, self.selected, geometry.rows());
                    let row = scroll + offset;
                    if row < self.rows.len() {
                        self.scroll = scroll;
                        self.select(row, geometry.rows());
                    }
                }
            }
            _ => {}
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        view::render(self, app, areas, frame);
    }

    /// The items are listed again when the pane is shown, and after
    /// every change while it is, another program's included.
    fn backlog_changed(&mut self, backlog: &Backlog) {
        self.relist(backlog);
    }
}
