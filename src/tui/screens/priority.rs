//! The priority pane, pane `2`: the order the framework picked
//! suggests, beside the manual rank, which stays the truth. A row per
//! story in the suggested order: its place now, its suggested place, how
//! far it would move (`↑3`, `↓2`, `=`), its id, title and score. The
//! owner accepts one suggestion (that story alone moves to its suggested
//! place) or all of them (asked first), each one undoable change.
//!
//! The suggestion is worked out when the pane is shown and after each
//! change, or another framework picked, while it is: never per frame or
//! per key. Only the rows on screen are drawn.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::Screen;
use super::backlog::score_width;
use super::confirm::{Confirm, Question};
use super::explain::ExplainPanel;
use super::framework_picker::FrameworkPicker;
use super::pane_command;
use crate::model::{Backlog, Move, StoryId};
use crate::priority::{self, Framework, Proposal, Scoring};
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context, Keymap};
use crate::tui::layout::{Areas, ellipsized, scrolled};
use crate::tui::theme;
use crate::words;

/// What the pane shows of a framework's suggestion, worked out once per
/// change.
#[derive(Clone, Debug)]
pub struct Suggested {
    pub proposal: Proposal,
    /// The suggested places of the stories it cannot score, in order:
    /// they keep their places.
    pub unscored: Vec<usize>,
    /// How many stories it would move.
    pub moves: usize,
    /// MoSCoW's warning, when the Musts take more than their share.
    pub must_warning: Option<String>,
}

impl Suggested {
    /// The suggestion of `framework` for `backlog`, now.
    #[must_use]
    pub fn of(backlog: &Backlog, framework: Framework, now: chrono::DateTime<chrono::Utc>) -> Self {
        let proposal = priority::propose(backlog, framework, &Scoring::of(backlog, now));
        let unscored = proposal
            .order
            .iter()
            .enumerate()
            // Open stories only: finished ones are not scored at all.
            .filter(|(_, manual)| {
                proposal.scores[**manual].value().is_none()
                    && backlog.at(**manual).is_some_and(|s| s.status.is_open())
            })
            .map(|(place, _)| place)
            .collect();
        let moves = proposal
            .then
            .iter()
            .enumerate()
            .filter(|(now, then)| now != *then)
            .count();
        let must_warning = (framework == Framework::Moscow)
            .then(|| priority::must_share(backlog.ranked()).warning())
            .flatten();
        Suggested {
            proposal,
            unscored,
            moves,
            must_warning,
        }
    }
}

/// The priority pane: the row selected and the first on screen, in the
/// suggested order (or among the unscored stories alone).
#[derive(Clone, Debug, Default)]
pub struct PriorityPane {
    pub selected: usize,
    pub scroll: usize,
    /// Only the stories the framework cannot score are listed.
    pub unscored_only: bool,
    /// The story selected, followed through the changes that move it.
    pub story: Option<StoryId>,
    /// The framework's suggestion, with none picked `None`.
    pub suggested: Option<Suggested>,
}

impl PriorityPane {
    /// How many rows it lists.
    #[must_use]
    pub fn row_count(&self) -> usize {
        match &self.suggested {
            None => 0,
            Some(s) if self.unscored_only => s.unscored.len(),
            Some(s) => s.proposal.order.len(),
        }
    }

    /// The suggested place listed at `row`.
    #[must_use]
    pub fn place_at(&self, row: usize) -> Option<usize> {
        let suggested = self.suggested.as_ref()?;
        if self.unscored_only {
            suggested.unscored.get(row).copied()
        } else {
            (row < suggested.proposal.order.len()).then_some(row)
        }
    }

    /// The story at `row`: its place now and its suggested place.
    #[must_use]
    pub fn places_at(&self, row: usize) -> Option<(usize, usize)> {
        let then = self.place_at(row)?;
        let now = *self.suggested.as_ref()?.proposal.order.get(then)?;
        Some((now, then))
    }

    /// Select `row` (clamped to the rows), scrolled into view of a pane
    /// `shown` rows tall.
    fn select(&mut self, row: usize, shown: usize, backlog: &Backlog) {
        let last = self.row_count().saturating_sub(1);
        self.selected = row.min(last);
        self.scroll = scrolled(self.scroll, self.selected, shown);
        self.story = self
            .places_at(self.selected)
            .and_then(|(now, _)| backlog.at(now))
            .map(|s| s.id);
    }

    /// Rows of stories the pane shows in `areas`.
    fn shown(&self, areas: Option<Areas>, backlog: &Backlog, keymap: &Keymap) -> usize {
        areas.map_or(1, |areas| {
            let header = header(self, backlog, keymap, false);
            geometry(areas.main, &header).1.height.into()
        })
    }

    /// Accept the selected story's suggestion: it alone moves to its
    /// suggested place, as one undoable change.
    fn accept_one(&mut self, ctx: &mut Ctx) {
        let Some((now, then)) = self.places_at(self.selected) else {
            ctx.warn("No story is selected");
            return;
        };
        let Some(id) = ctx.backlog().at(now).map(|s| s.id) else {
            return;
        };
        let unscored = self
            .suggested
            .as_ref()
            .is_some_and(|s| s.proposal.scores[now].value().is_none());
        if let Some(status) = ctx
            .backlog()
            .get(id)
            .map(|s| s.status)
            .filter(|s| !s.is_open())
        {
            ctx.notify(format!("{id} is {status}: it keeps its place"));
            return;
        }
        if unscored {
            ctx.notify(format!("{id} is unscored: it keeps its place"));
            return;
        }
        if now == then {
            ctx.notify(format!("{id} is at its suggested place already"));
            return;
        }
        // The place assumed the stories round it move too: taken alone,
        // the story stops where it would pass a link.
        let (to, held) = place_keeping_links(ctx.backlog(), now, then);
        if let Some(held) = held.filter(|_| to == now) {
            ctx.notify(if then < now {
                format!("{id} stays: {held} must come first; accept its suggestion, or all of them")
            } else {
                format!("{id} stays: {held} waits for it; accept its suggestion, or all of them")
            });
            return;
        }
        let keep = ctx.selected_story().map(|s| s.id);
        let Some(moved) = ctx.change(format!("move {id}"), |b| b.move_at(now, Move::To(to + 1)))
        else {
            return;
        };
        let mut table = ctx.table();
        table.moved(moved.from, moved.to);
        // The backlog table stays on the story it was on.
        table.reselect(keep);
        match held {
            Some(held) => ctx.notify(format!(
                "Moved {id} from {} to {}, as far as {held} lets it (the suggestion was {})",
                now + 1,
                to + 1,
                then + 1
            )),
            None => ctx.notify(format!("Moved {id} from {} to {}", now + 1, to + 1)),
        }
    }

    /// Ask whether to put every story in its suggested place.
    fn accept_all(&self, ctx: &mut Ctx) {
        let (Some(framework), Some(suggested)) = (ctx.framework(), &self.suggested) else {
            return;
        };
        if suggested.moves == 0 {
            ctx.notify("The backlog is in the suggested order already");
            return;
        }
        ctx.open(Confirm::new(Question::Reorder {
            framework,
            moves: suggested.moves,
        }));
    }
}

impl Screen for PriorityPane {
    fn context(&self) -> Context {
        Context::Priority
    }

    fn title(&self) -> Option<&'static str> {
        Some("Priority")
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        let shown = self.shown(ctx.areas(), ctx.backlog(), ctx.keymap());
        let page = isize::try_from(shown).unwrap_or(isize::MAX);
        let step = |pane: &mut PriorityPane, by: isize, ctx: &Ctx| {
            let row = pane.selected.saturating_add_signed(by);
            pane.select(row, shown, ctx.backlog());
        };
        match command {
            Command::SelectNext => step(self, 1, ctx),
            Command::SelectPrevious => step(self, -1, ctx),
            Command::PageDown => step(self, page, ctx),
            Command::PageUp => step(self, -page, ctx),
            Command::SelectFirst => self.select(0, shown, ctx.backlog()),
            Command::SelectLast => self.select(usize::MAX, shown, ctx.backlog()),
            Command::ChooseFramework => ctx.open(FrameworkPicker::new(ctx.framework())),
            Command::ExplainScore => match self.places_at(self.selected) {
                Some((now, _)) => {
                    if let Some(id) = ctx.backlog().at(now).map(|s| s.id) {
                        ctx.open(ExplainPanel::new(id, Context::Priority));
                    }
                }
                None => ctx.warn("No story to explain the score of"),
            },
            Command::AcceptSuggestion => self.accept_one(ctx),
            Command::AcceptAll => self.accept_all(ctx),
            Command::ToggleUnscored => {
                self.unscored_only = !self.unscored_only;
                self.scroll = 0;
                let rows = self.row_count();
                self.select(0, shown, ctx.backlog());
                ctx.notify(if self.unscored_only {
                    format!(
                        "{} shown: the framework cannot score them",
                        words::count(rows, "unscored story", "unscored stories")
                    )
                } else {
                    "Every story shown, in the suggested order".to_string()
                });
            }
            command => {
                pane_command(command, ctx);
            }
        }
        None
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        let (border_type, border_style) = theme::border(true, app.color);
        let title = match app.table.framework {
            Some(framework) => format!(" Suggested order · {} ", framework.name()),
            None => " Suggested order ".to_string(),
        };
        let back = format!(
            " {} backlog ",
            app.key(Context::Priority, Command::ShowPane1)
        );
        let block = Block::bordered()
            .border_type(border_type)
            .border_style(border_style)
            .title(Line::styled(title, theme::title()))
            .title(Line::from(back).alignment(Alignment::Right));
        let header = header(self, &app.backlog, &app.keymap, app.color);
        let (header_area, body) = geometry(areas.main, &header);
        frame.render_widget(block, areas.main);
        frame.render_widget(
            Paragraph::new(header).wrap(Wrap { trim: true }),
            header_area,
        );
        if let (Some(suggested), Some(framework)) = (&self.suggested, app.table.framework) {
            render_rows(app, self, suggested, framework, frame, body);
        }
    }

    /// The suggestion is worked out again, and the selection stays on
    /// the story it was on, wherever that now is.
    fn scores_stale(
        &mut self,
        backlog: &Backlog,
        framework: Option<Framework>,
        now: chrono::DateTime<chrono::Utc>,
    ) {
        self.suggested = framework.map(|f| Suggested::of(backlog, f, now));
        let place = self
            .story
            .and_then(|id| backlog.position(id).ok())
            .and_then(|manual| self.suggested.as_ref()?.proposal.then.get(manual).copied());
        let row = match place {
            Some(place) if self.unscored_only => self
                .suggested
                .as_ref()
                .and_then(|s| s.unscored.binary_search(&place).ok()),
            place => place,
        };
        let last = self.row_count().saturating_sub(1);
        self.selected = row.unwrap_or(self.selected).min(last);
        self.story = self
            .places_at(self.selected)
            .and_then(|(now, _)| backlog.at(now))
            .map(|s| s.id);
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        self.story = self.story.map(|id| crate::model::renumber(id, changes));
    }
}

/// The lines above the rows: the framework and its formula, how many
/// stories would move, how many are unscored and how to see them, and
/// MoSCoW's warning; with no framework, how to pick one.
fn header(
    pane: &PriorityPane,
    backlog: &Backlog,
    keys: &Keymap,
    color: bool,
) -> Vec<Line<'static>> {
    let key = |command| keys.label(Context::Priority, command);
    let Some(suggested) = &pane.suggested else {
        return vec![
            Line::from(""),
            Line::styled("No framework is picked.", theme::title()),
            Line::from(format!(
                "{} picks one (WSJF, RICE, ICE, MoSCoW, value/effort, CD3 or the weighted \
                 engine): this pane then shows the order it suggests beside the rank.",
                key(Command::ChooseFramework)
            )),
        ];
    };
    let framework = suggested.proposal.framework;
    let settings = &backlog.product.settings.priority;
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{}: ", framework.name()), theme::header()),
        Span::raw(framework.formula(settings)),
    ])];
    let moving = if suggested.moves == 0 {
        "The backlog is in the suggested order.".to_string()
    } else {
        format!(
            "{} would move: {} accepts one, {} all.",
            words::count(suggested.moves, "story", "stories"),
            key(Command::AcceptSuggestion),
            key(Command::AcceptAll)
        )
    };
    let unscored = match (suggested.unscored.len(), pane.unscored_only) {
        (0, _) => " Every story is scored.".to_string(),
        (n, false) => format!(
            " {} unscored, kept in place: {} lists them.",
            n,
            key(Command::ToggleUnscored)
        ),
        (n, true) => format!(
            " Listing the {n} unscored: {} lists every story.",
            key(Command::ToggleUnscored)
        ),
    };
    lines.push(Line::from(vec![
        Span::raw(moving),
        Span::styled(unscored, theme::dim(color)),
    ]));
    if let Some(warning) = &suggested.must_warning {
        lines.push(Line::styled(warning.clone(), theme::warning(color)));
    }
    lines
}

/// Inside the pane's border in `area`: the header, as tall as it wraps
/// to, then a row of column names, then the rows.
fn geometry(area: Rect, header: &[Line]) -> (Rect, Rect) {
    let inside = Rect::new(
        area.x.saturating_add(1),
        area.y.saturating_add(1),
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    );
    let height = Paragraph::new(header.to_vec())
        .wrap(Wrap { trim: true })
        .line_count(inside.width);
    let height = u16::try_from(height).unwrap_or(u16::MAX).min(inside.height);
    let header_area = Rect::new(inside.x, inside.y, inside.width, height);
    // A blank line, then the column names.
    let skip = height.saturating_add(2).min(inside.height);
    let body = Rect::new(
        inside.x,
        inside.y + skip,
        inside.width,
        inside.height - skip,
    );
    (header_area, body)
}

/// The column names, then the rows on screen in `body` (the line above
/// it takes the names).
fn render_rows(
    app: &App,
    pane: &PriorityPane,
    suggested: &Suggested,
    framework: Framework,
    frame: &mut Frame,
    body: Rect,
) {
    let n = suggested.proposal.order.len();
    let places = n.to_string().len().max(4);
    let id_width = app
        .backlog
        .stories_by_id()
        .last()
        .map_or(3, |s| s.id.to_string().len());
    let score = usize::from(score_width(framework));
    // The pointer, the places, the move, the id and the score, each with
    // a space after.
    let fixed = 2 + (places + 1) * 2 + (places + 2) + (id_width + 1) + score + 1;
    let title = usize::from(body.width).saturating_sub(fixed);
    let title_columns = u16::try_from(title).unwrap_or(0);
    let names = Line::styled(
        format!(
            "  {:>places$} {:>places$} {:>w$} {:<id_width$} {:<title$} {:>score$}",
            "Now",
            "Then",
            "Move",
            "ID",
            "Title",
            framework.name(),
            w = places + 1,
        ),
        theme::header(),
    );
    let names_area = Rect::new(body.x, body.y.saturating_sub(1), body.width, 1);
    frame.render_widget(Paragraph::new(names), names_area);
    let shown = usize::from(body.height);
    let scroll = scrolled(pane.scroll, pane.selected, shown);
    let end = (scroll + shown).min(pane.row_count());
    let rows: Vec<Line> = (scroll..end)
        .filter_map(|row| {
            let (now, then) = pane.places_at(row)?;
            let story = app.backlog.at(now)?;
            let score_of = &suggested.proposal.scores[now];
            let cell = if story.status.is_open() {
                super::backlog::score_cell(score_of, u16::try_from(score).unwrap_or(0), app.color)
            } else {
                // Finished work is not scored: it says why it stays.
                Line::styled(story.status.as_str(), theme::dim(app.color))
            };
            let cell_text: String = cell.spans.iter().map(|s| s.content.as_ref()).collect();
            let moved = priority::movement(now, then);
            let move_style = if now == then {
                theme::dim(app.color)
            } else {
                theme::title()
            };
            let selected = row == pane.selected;
            let line = Line::from(vec![
                Span::raw(if selected { "▶ " } else { "  " }),
                Span::raw(format!("{:>places$} {:>places$} ", now + 1, then + 1)),
                Span::styled(format!("{moved:>w$} ", w = places + 1), move_style),
                Span::raw(format!("{:<id_width$} ", story.id.to_string())),
                Span::raw(format!(
                    "{:<title$} ",
                    ellipsized(&story.title, title_columns)
                )),
                Span::styled(format!("{cell_text:>score$}"), cell.style),
            ]);
            Some(if selected {
                line.style(theme::selected())
            } else {
                line
            })
        })
        .collect();
    frame.render_widget(Paragraph::new(rows), body);
}

/// Where the story at place `now` may go towards place `then` on its
/// own, without passing a link: up, no further than just below its
/// lowest open blocker above it; down, no further than just above the
/// first open story it blocks below it. The story that held it back, if
/// one did.
fn place_keeping_links(backlog: &Backlog, now: usize, then: usize) -> (usize, Option<StoryId>) {
    let Some(story) = backlog.at(now) else {
        return (now, None);
    };
    let place = |id: StoryId| backlog.position(id).ok();
    if then < now {
        let lowest = backlog
            .open_blockers(story)
            .filter_map(|blocker| place(blocker.id).map(|p| (p, blocker.id)))
            .filter(|&(p, _)| p >= then && p < now)
            .max();
        match lowest {
            Some((p, id)) => (p + 1, Some(id)),
            None => (then, None),
        }
    } else if story.status.is_open() {
        let first = backlog
            .blocks(story.id)
            .into_iter()
            .filter(|&id| backlog.get(id).is_some_and(|s| s.status.is_open()))
            .filter_map(|id| place(id).map(|q| (q, id)))
            .filter(|&(q, _)| q > now && q <= then)
            .min();
        match first {
            Some((q, id)) => (q - 1, Some(id)),
            None => (then, None),
        }
    } else {
        (then, None)
    }
}
