//! The clashes a git merge left in the file: each field both sides
//! changed differently, with what it was at the base and what each side
//! made of it. The file holds ours until the product owner keeps it,
//! takes theirs or types a value of their own; each is one change to
//! undo. When the last is settled, the panel says that `git add`
//! finishes the merge; it stays open until closed, so an undo there
//! brings the clash back into view.

mod edit;
mod view;

use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;

use super::{Screen, clicked_row, show_in_backlog};
use crate::model::{Clash, Settle, StoryId};
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::Areas;

pub use edit::EditClash;

/// The panel, over whichever pane it was opened from. The clashes are
/// the backlog's, read as it is drawn, so another writer's settling shows
/// at once; the panel holds only which is selected and which is at the
/// top of the list.
#[derive(Clone, Debug, Default)]
pub struct ClashesPanel {
    /// Index into [`Backlog::clashes`](crate::model::Backlog::clashes).
    pub selected: usize,
    /// The first clash shown, when they do not all fit.
    pub top: usize,
}

/// Open the panel on the selected story's first clash (else the first),
/// or say there is none to settle.
pub fn open(ctx: &mut Ctx) {
    let clashes = ctx.backlog().clashes();
    if clashes.is_empty() {
        ctx.notify("No clashes: a git merge left none in the file");
        return;
    }
    let selected = ctx
        .selected_story()
        .and_then(|story| clashes.iter().position(|c| c.story == Some(story.id)))
        .unwrap_or(0);
    let mut panel = ClashesPanel { selected, top: 0 };
    panel.keep_selected_shown(ctx);
    ctx.open(panel);
}

impl ClashesPanel {
    /// The clash selected, if any is left.
    fn clash<'a>(&self, ctx: &'a Ctx) -> Option<&'a Clash> {
        let clashes = ctx.backlog().clashes();
        clashes.get(self.selected.min(clashes.len().saturating_sub(1)))
    }

    fn select(&mut self, selected: usize, ctx: &Ctx) {
        let last = ctx.backlog().clashes().len().saturating_sub(1);
        self.selected = selected.min(last);
        self.keep_selected_shown(ctx);
    }

    /// Scroll so the clash selected is in full view.
    fn keep_selected_shown(&mut self, ctx: &Ctx) {
        let shown = ctx
            .areas()
            .map_or(1, |areas| view::clashes_shown(areas.screen));
        self.top = view::top_for(self.selected, self.top, shown);
    }
}

impl Screen for ClashesPanel {
    fn context(&self) -> Context {
        Context::Clashes
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        let count = ctx.backlog().clashes().len();
        match command {
            Command::SelectNext => self.select(self.selected + 1, ctx),
            Command::SelectPrevious => self.select(self.selected.saturating_sub(1), ctx),
            Command::SelectFirst => self.select(0, ctx),
            Command::SelectLast => self.select(count, ctx),
            Command::TakeOurs | Command::TakeTheirs => {
                if let Some(clash) = self.clash(ctx) {
                    let (story, field) = (clash.story, clash.field.clone());
                    let settle = if command == Command::TakeOurs {
                        Settle::Ours
                    } else {
                        Settle::Theirs
                    };
                    settle_clash(story, &field, settle, ctx);
                    self.select(self.selected, ctx);
                }
            }
            Command::EditClash => {
                if let Some(clash) = self.clash(ctx) {
                    let edit = EditClash::new(clash);
                    ctx.open(edit);
                }
            }
            Command::ShowInBacklog => match self.clash(ctx).map(|c| c.story) {
                Some(Some(id)) => {
                    ctx.close();
                    show_in_backlog(id, ctx);
                }
                Some(None) => ctx.warn("That clash is the product's, not a story's"),
                None => {}
            },
            Command::Undo | Command::Redo => {
                ctx.undo(command == Command::Redo, None);
                self.select(self.selected, ctx);
            }
            Command::Close => ctx.close(),
            _ => {}
        }
        None
    }

    /// A click on a clash selects it.
    fn mouse(&mut self, mouse: MouseEvent, ctx: &mut Ctx) {
        let Some(areas) = ctx.areas() else {
            return;
        };
        let popup = view::popup(areas.screen, ctx.backlog().clashes().len());
        let rows = usize::from(popup.height);
        if let Some(row) = clicked_row(mouse, popup, rows)
            && let Some(at) = view::clash_at_row(row, self.top)
            && at < ctx.backlog().clashes().len()
        {
            self.select(at, ctx);
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        view::render(app, self, frame, areas.screen);
    }
}

/// Settle the clash on `field` of `story` (the product's, for none) as one
/// change, and say what is left: with none, how the merge is finished.
/// False when the backlog refused (the status bar says why).
pub fn settle_clash(story: Option<StoryId>, field: &str, settle: Settle, ctx: &mut Ctx) -> bool {
    let what = named(story, field);
    let side = match &settle {
        Settle::Ours => "ours",
        Settle::Theirs => "theirs",
        Settle::Value(_) => "your value",
    };
    let now = ctx.now();
    let label = format!("settle {what}");
    if ctx
        .change(label, |b| b.settle_clash(story, field, settle, now))
        .is_none()
    {
        return false;
    }
    match story {
        Some(id) if ctx.backlog().get(id).is_some() => ctx.table().story_changed(id),
        // Settled by removing the story, or a product part the table's
        // rows may name (an epic): the rows are worked out again.
        _ => {
            let keep = ctx.selected_story().map(|s| s.id);
            ctx.table().recompute(keep);
        }
    }
    let left = ctx.backlog().clashes().len();
    if left == 0 {
        // The panel says which was settled; the path is the news.
        ctx.notify(format!(
            "No clashes left: `git add {}` or `backlog sync` finishes the merge",
            ctx.file_label()
        ));
    } else {
        ctx.notify(format!(
            "Settled {what} with {side} · {} left",
            crate::words::count(left, "clash", "clashes")
        ));
    }
    true
}

/// The clash on `field` of `story` in words: "S-4's title", "the
/// product's vision".
fn named(story: Option<StoryId>, field: &str) -> String {
    match story {
        Some(id) => format!("{id}'s {field}"),
        None => format!(
            "the product's {}",
            field.strip_prefix("product.").unwrap_or(field)
        ),
    }
}
