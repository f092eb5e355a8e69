//! A story's score explained: the framework picked, its formula, each
//! term with its value (or that it is missing), its weight and what it
//! adds, then the result, in a box over the screen that scrolls as far
//! as its last line. The text is the one `backlog score --explain`
//! prints, worked out afresh for the one story on each frame and key.

use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{Screen, scroll_asked, wheel_asked};
use crate::model::{Backlog, Story, StoryId, renumber};
use crate::priority::{self, Framework, Scoring};
use crate::text::one_line;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context, Keymap};
use crate::tui::layout::{self, Areas, ellipsized};
use crate::tui::theme;

/// The box is at most this wide: the terms line up in a column.
const WIDTH: u16 = 90;

/// The explanation of story `id`'s score, scrolled this many rows.
#[derive(Clone, Debug)]
pub struct ExplainPanel {
    pub id: StoryId,
    pub scroll: usize,
    /// The context of the pane it was opened over, where the keys it
    /// names are looked up.
    pub from: Context,
}

impl ExplainPanel {
    #[must_use]
    pub fn new(id: StoryId, from: Context) -> Self {
        ExplainPanel {
            id,
            scroll: 0,
            from,
        }
    }

    /// The explanation's lines without colour, which wrap as the drawn
    /// ones do: what the keys measure the box by.
    fn plain_lines(&self, ctx: &Ctx) -> Vec<Line<'static>> {
        lines(
            ctx.backlog(),
            self.id,
            ctx.framework(),
            ctx.now(),
            ctx.keymap(),
            self.from,
            false,
        )
    }

    /// Scroll to row `wanted`, or as near as the last line lets it.
    fn scroll_to(&mut self, wanted: usize, ctx: &Ctx) {
        let Some(areas) = ctx.areas() else {
            return;
        };
        let text = self.plain_lines(ctx);
        self.scroll = layout::wrapped_box_scrolled_to(areas.screen, WIDTH, || text.clone(), wanted);
    }
}

impl Screen for ExplainPanel {
    fn context(&self) -> Context {
        Context::Explain
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        if command == Command::Close {
            ctx.close();
            return None;
        }
        let page = ctx.areas().map_or(1, |areas| {
            layout::wrapped_box(areas.screen, WIDTH, self.plain_lines(ctx)).1
        });
        if let Some(wanted) = scroll_asked(command, self.scroll, page) {
            self.scroll_to(wanted, ctx);
        }
        None
    }

    /// The wheel scrolls the explanation, as far as its last line.
    fn mouse(&mut self, mouse: MouseEvent, ctx: &mut Ctx) {
        if let Some(wanted) = wheel_asked(mouse.kind, self.scroll) {
            self.scroll_to(wanted, ctx);
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        let now = (app.clock)();
        let framework = app.table.framework;
        let text = lines(
            &app.backlog,
            self.id,
            framework,
            now,
            &app.keymap,
            self.from,
            app.color,
        );
        let (popup, shown) = layout::wrapped_box(areas.screen, WIDTH, text.clone());
        let hidden = layout::box_scrolled_to(text.clone(), text_width(areas), shown, usize::MAX);
        let title = match framework {
            Some(framework) => format!(" {} of {} ", framework.name(), self.id),
            None => format!(" Score of {} ", self.id),
        };
        let mut block = Block::bordered().title(title);
        let close = app.key(Context::Explain, Command::Close);
        let keys = if hidden > 0 {
            let pair = app
                .keymap
                .pair(Context::Explain, Command::ScrollDown, Command::ScrollUp);
            format!(" {pair} scroll  {close} close ")
        } else {
            format!(" {close} close ")
        };
        block = block.title_bottom(Line::from(keys).right_aligned());
        let scroll = self.scroll.min(hidden);
        let rows = layout::wrap(text, text_width(areas), scroll..scroll + shown).rows;
        frame.render_widget(Clear, popup);
        frame.render_widget(Paragraph::new(rows).block(block), popup);
    }

    fn story(&self) -> Option<StoryId> {
        Some(self.id)
    }

    /// The story gone (deleted elsewhere, an undo), there is nothing to
    /// explain.
    fn follow(&mut self, _before: Option<&Story>, now: &Backlog) -> bool {
        now.get(self.id).is_some()
    }

    fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        self.id = renumber(self.id, changes);
    }
}

/// Columns of text inside the box.
fn text_width(areas: &Areas) -> u16 {
    layout::box_text_width(areas.screen, WIDTH)
}

/// The explanation's lines: the story, then the framework's term by
/// term; with no framework picked, which key picks one.
fn lines(
    backlog: &Backlog,
    id: StoryId,
    framework: Option<Framework>,
    now: chrono::DateTime<chrono::Utc>,
    keymap: &Keymap,
    from: Context,
    color: bool,
) -> Vec<Line<'static>> {
    // A key of the pane underneath; one only the backlog has is named so.
    let key = |command: Command| match keymap.key(from, command) {
        Some(key) => key.label(),
        None => format!("{} on the backlog", keymap.label(Context::Backlog, command)),
    };
    let Some(story) = backlog.get(id) else {
        return vec![Line::from(format!("{id} is gone"))];
    };
    let mut lines = vec![
        Line::styled(
            format!(
                "{id} {}",
                ellipsized(&one_line(&story.title), WIDTH.saturating_sub(10))
            ),
            theme::title(),
        ),
        Line::from(""),
    ];
    let Some(framework) = framework else {
        let pick = key(Command::ChooseFramework);
        lines.push(Line::from(format!(
            "No framework is picked, so nothing is scored: {pick} picks one."
        )));
        return lines;
    };
    let explanation = priority::explain(framework, story, &Scoring::of(backlog, now));
    let text = explanation.to_string();
    for (at, line) in text.lines().enumerate() {
        let style = if at == 0 {
            theme::header()
        } else if line.contains("missing") {
            theme::warning(color)
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::styled(line.to_string(), style));
    }
    if let priority::Score::Unscored { missing } = &explanation.score {
        let weigh = key(Command::WeighStory);
        lines.push(Line::from(""));
        lines.push(Line::from(format!(
            "Unscored until {} {} set: {weigh} sets them.",
            missing.join(", "),
            if missing.len() == 1 { "is" } else { "are" }
        )));
    }
    lines
}
