//! The story pane: the selected story in full, beside (or below) the
//! table, scrolled by the keys of its context (`story`) when it has the
//! focus. How a story reads (its paragraphs, epic markers, readiness) is
//! here too, for the other screens that show one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use chrono::{DateTime, Utc};

use crate::model::{
    Backlog, Comment, Input, Product, Scale, Status, Story, StoryId, ready, renumber,
};
use crate::priority::{self, Framework, Score, Scoring};
use crate::text::one_line;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::layout::{self, wrap};
use crate::tui::screens::backlog::TitleMark;
use crate::tui::screens::inbox::importance_marks;
use crate::tui::theme;
use crate::words;

/// How far the pane is scrolled, and on which story: another story
/// starts at its top, and this one is where it was left.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoryPane {
    pub story: Option<StoryId>,
    pub scroll: usize,
}

impl StoryPane {
    /// The rows scrolled for `story`, the one shown.
    #[must_use]
    pub fn scroll_of(&self, story: Option<StoryId>) -> usize {
        if story.is_some() && story == self.story {
            self.scroll
        } else {
            0
        }
    }

    /// Scroll the selected story `delta` rows, as far as its last row.
    pub fn scroll_by(&mut self, delta: isize, ctx: &mut Ctx) {
        let Some(story) = ctx.selected_story() else {
            return;
        };
        let wanted = self.scroll_of(Some(story.id)).saturating_add_signed(delta);
        let weighing = Weighing {
            framework: ctx.framework(),
            now: ctx.now(),
        };
        let rows = scrolled_to(
            story,
            &ctx.backlog().product,
            weighing,
            &Links::of(story, ctx.backlog()),
            ctx.size(),
            wanted,
        );
        self.story = Some(story.id);
        self.scroll = rows;
    }

    pub fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        self.story = self.story.map(|id| renumber(id, changes));
    }

    /// Draw the selected story in `area`, its border thick when the pane
    /// has the focus.
    pub fn render(&self, app: &App, focused: bool, frame: &mut Frame, area: Rect) {
        let (border_type, border_style) = theme::border(focused, app.color);
        let block = Block::bordered()
            .border_type(border_type)
            .border_style(border_style);
        let Some(story) = app.selected_story() else {
            let empty = Paragraph::new(Line::styled("No story selected.", theme::dim(app.color)))
                .block(block.title(" Story "));
            frame.render_widget(empty, area);
            return;
        };
        let block = block.title(Line::styled(format!(" {} ", story.id), theme::title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let scroll = self.scroll_of(Some(story.id));
        let shown = scroll..scroll.saturating_add(usize::from(inner.height));
        let weighing = Weighing {
            framework: app.table.framework,
            now: (app.clock)(),
        };
        let links = Links::of(story, &app.backlog);
        let text = paragraphs(story, &app.backlog.product, weighing, &links, app.color);
        frame.render_widget(Paragraph::new(wrap(text, inner.width, shown).rows), inner);
    }
}

/// What the story pane's priority section weighs a story by: the
/// framework picked, if any, and now (for the weighted engine's age).
#[derive(Clone, Copy, Debug)]
pub struct Weighing {
    pub framework: Option<Framework>,
    pub now: DateTime<Utc>,
}

/// How far the story pane, on a terminal of `size`, scrolls toward row
/// `wanted`: as far as its last row at most.
#[must_use]
pub fn scrolled_to(
    story: &Story,
    product: &Product,
    weighing: Weighing,
    links: &Links,
    size: (u16, u16),
    wanted: usize,
) -> usize {
    layout::scrolled_to(
        paragraphs(story, product, weighing, links, false),
        layout::story_width(size),
        wanted,
    )
}

/// The lines of a text as written: a paragraph each, made as they are
/// reached. Line and paragraph separators end a line as a line break does.
pub fn text_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut lines = text.split(['\n', '\u{2028}', '\u{2029}']).peekable();
    // As `str::lines`: a break at the end starts no empty line.
    std::iter::from_fn(move || {
        let line = lines.next()?;
        (!(line.is_empty() && lines.peek().is_none())).then_some(line)
    })
}

/// What the story pane shows of the backlog around a story: the stories
/// it is linked with by dependencies, looked up as it is drawn, at the
/// cost of its own links, from the links turned round that the backlog
/// keeps ([`Backlog::blocking`]); and the fields of it a git merge left
/// clashing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Links {
    /// The stories it is blocked by, as the story lists them.
    pub blocked_by: Vec<Linked>,
    /// The stories blocked by it, in id order.
    pub blocks: Vec<Linked>,
    /// Its fields both sides of a git merge changed differently.
    pub clashes: Vec<String>,
}

impl Links {
    /// `story`'s links in `backlog`.
    #[must_use]
    pub fn of(story: &Story, backlog: &Backlog) -> Links {
        Links {
            blocked_by: story
                .blocked_by
                .iter()
                .map(|&id| Linked::of(id, backlog))
                .collect(),
            blocks: backlog
                .blocking()
                .blocks(story.id)
                .iter()
                .map(|&id| Linked::of(id, backlog))
                .collect(),
            clashes: backlog
                .clashes()
                .iter()
                .filter(|c| c.story == Some(story.id))
                .map(|c| c.field.clone())
                .collect(),
        }
    }
}

/// A story linked with the one shown: its id, title and status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Linked {
    pub id: StoryId,
    /// `None` when the backlog has no such story.
    pub story: Option<(String, Status)>,
}

impl Linked {
    #[must_use]
    pub fn of(id: StoryId, backlog: &Backlog) -> Linked {
        Linked {
            id,
            story: backlog.get(id).map(|s| (s.title.clone(), s.status)),
        }
    }

    /// `S-3 Card API · in-progress`: the status in words, so a story done
    /// reads as done without colour.
    #[must_use]
    pub fn spans(&self, color: bool) -> Vec<Span<'static>> {
        let mut spans = vec![Span::styled(self.id.to_string(), theme::title())];
        match &self.story {
            Some((title, status)) => {
                spans.push(Span::raw(format!(" {} · ", one_line(title))));
                spans.push(Span::styled(status.as_str(), theme::status(*status, color)));
            }
            None => spans.push(Span::styled(" is not in the backlog", theme::dim(color))),
        }
        spans
    }
}

/// Story `id` as a line of a list of linked stories.
#[must_use]
pub fn linked_line(id: StoryId, backlog: &Backlog, color: bool) -> Line<'static> {
    Line::from(Linked::of(id, backlog).spans(color))
}

/// The fields of the story a git merge left clashing, first thing, so a
/// product owner grooming it knows the file holds only one side yet.
fn clash_line(links: &Links, color: bool) -> Option<Line<'static>> {
    if links.clashes.is_empty() {
        return None;
    }
    Some(Line::from(vec![
        Span::styled(
            format!("{} Clash ", TitleMark::Clash.symbol()),
            theme::error(color),
        ),
        Span::raw(format!(
            "on {} from a git merge: the file holds ours until it is settled",
            links.clashes.join(", ")
        )),
    ]))
}

/// The story pane's lines of what `story` is blocked by and blocks.
fn link_lines(links: &Links, color: bool) -> Vec<Line<'static>> {
    let rows = links
        .blocked_by
        .iter()
        .map(|linked| ("Blocked by ", linked))
        .chain(links.blocks.iter().map(|linked| ("Blocks     ", linked)));
    rows.map(|(label, linked)| {
        let mut spans = vec![Span::styled(label, theme::header())];
        spans.extend(linked.spans(color));
        Line::from(spans)
    })
    .collect()
}

/// The story in full as paragraphs, before wrapping; text is as written,
/// shown when it is laid out. The description and comments come a line at
/// a time, as far as they are read. `links` are shown when they are the
/// story's.
pub fn paragraphs<'a>(
    story: &'a Story,
    product: &'a Product,
    weighing: Weighing,
    links: &Links,
    color: bool,
) -> impl Iterator<Item = Line<'a>> + 'a {
    let dim = theme::dim(color);
    let scale = product.settings.scale;
    let mut head = vec![Line::from(Span::styled(
        story.title.as_str(),
        theme::title(),
    ))];

    let mut facts = vec![Span::styled(
        story.status.as_str(),
        theme::status(story.status, color),
    )];
    facts.push(Span::raw(" · "));
    facts.push(match story.points.map(|p| scale.describe(p)) {
        Some(text) if scale == Scale::TShirt && story.points.is_some_and(|p| scale.contains(p)) => {
            Span::raw(format!("size {text}"))
        }
        Some(text) => Span::raw(text),
        None => unestimated(color),
    });
    if let Some(name) = &story.epic {
        facts.push(Span::raw(" · "));
        facts.extend(epic_spans(name, product, color));
    }
    head.push(Line::from(facts));
    head.extend(clash_line(links, color));
    head.extend(readiness(story, product, color));
    head.extend(link_lines(links, color));
    head.push(Line::from(""));

    match story.user_story_sentence() {
        Some(sentence) => head.push(Line::from(Span::raw(sentence))),
        None => head.push(Line::styled(
            "No user story yet: As a …, I want …, so that ….",
            dim,
        )),
    }
    if !story.description.is_empty() {
        head.push(Line::from(""));
    }
    let description = text_lines(&story.description).map(|line| Line::from(Span::raw(line)));

    let mut criteria = vec![
        Line::from(""),
        Line::styled("Acceptance criteria", theme::header()),
    ];
    if story.acceptance_criteria.is_empty() {
        criteria.push(Line::styled("none yet", dim));
    }
    for criterion in &story.acceptance_criteria {
        let mark = if criterion.done { "[✓] " } else { "[ ] " };
        criteria.push(Line::from(vec![
            Span::styled(mark, theme::title()),
            Span::raw(criterion.text.as_str()),
        ]));
    }
    criteria.extend(priority_lines(story, product, weighing, color));
    criteria.extend(evidence_lines(story, product, color));
    if !story.comments.is_empty() {
        criteria.push(Line::from(""));
        criteria.push(Line::styled("Comments", theme::header()));
    }
    let comments = story
        .comments
        .iter()
        .flat_map(move |comment| comment_lines(comment, color));

    head.into_iter()
        .chain(description)
        .chain(criteria)
        .chain(comments)
        .chain(tail(story, product, color))
}

/// The story's priority: the framework picked, each of its inputs with
/// the story's value or "missing", and the score. With none picked, the
/// inputs the story has, if any.
fn priority_lines(
    story: &Story,
    product: &Product,
    weighing: Weighing,
    color: bool,
) -> Vec<Line<'static>> {
    let dim = theme::dim(color);
    let settings = &product.settings.priority;
    let mut lines = vec![Line::from("")];
    let inputs = if let Some(framework) = weighing.framework {
        lines.push(Line::from(vec![
            Span::styled("Priority", theme::header()),
            Span::styled(format!(" · {}", framework.name()), dim),
        ]));
        framework.inputs(settings)
    } else {
        let set: Vec<Input> = Input::ALL
            .into_iter()
            .filter(|input| input.get(&story.inputs).is_some())
            .collect();
        if set.is_empty() {
            return Vec::new();
        }
        lines.push(Line::styled("Priority", theme::header()));
        set
    };
    for input in inputs {
        let value = match input.get(&story.inputs) {
            Some(value) => Span::raw(value.to_string()),
            None => Span::styled("missing", theme::warning(color)),
        };
        lines.push(Line::from(vec![
            Span::raw(format!("  {}: ", input.label())),
            value,
        ]));
    }
    if let Some(framework) = weighing.framework {
        let scoring = Scoring::new(product, weighing.now);
        let score = priority::score(framework, story, &scoring);
        let style = match score {
            Score::Scored { .. } => theme::title(),
            Score::Unscored { .. } => theme::warning(color),
            Score::Invalid(_) => theme::error(color),
        };
        lines.push(Line::from(vec![
            Span::raw("  Score: "),
            Span::styled(score.to_string(), style),
        ]));
    }
    lines
}

/// The customers who asked for the story: how many, their importance
/// summed (each customer once, at their highest), and each item linked
/// to it or converted into it, newest first. A story no customer asked
/// for shows nothing, not an empty heading. The items are walked for
/// this one story, as it is drawn: never for every row of a table.
fn evidence_lines<'a>(story: &Story, product: &'a Product, color: bool) -> Vec<Line<'a>> {
    let evidence = product.evidence(story.id);
    if evidence.is_empty() {
        return Vec::new();
    }
    let dim = theme::dim(color);
    let mut lines = vec![
        Line::from(""),
        Line::from(vec![
            Span::styled("Customer evidence", theme::header()),
            Span::styled(
                format!(
                    " · {} · importance {}",
                    words::count(evidence.customers, "customer", "customers"),
                    evidence.importance
                ),
                dim,
            ),
        ]),
    ];
    let found = evidence
        .items
        .iter()
        .rev()
        .filter_map(|&id| product.feedback_item(id));
    for item in found {
        lines.push(Line::from(vec![
            Span::raw(format!("  {} ", importance_marks(item.importance))),
            Span::styled(item.customer.as_str(), theme::title()),
            Span::raw(": "),
            Span::raw(item.summary()),
            Span::styled(format!(" ({})", item.id), dim),
        ]));
    }
    lines
}

/// What the story pane ends with: labels, epic, splits, dates.
fn tail<'a>(story: &'a Story, product: &'a Product, color: bool) -> Vec<Line<'a>> {
    let dim = theme::dim(color);
    let mut tail = vec![Line::from("")];
    if !story.labels.is_empty() {
        let labels: Vec<String> = story
            .labels
            .iter()
            .map(|l| format!("#{}", one_line(l)))
            .collect();
        tail.push(Line::from(format!("Labels   {}", labels.join(" "))));
    }
    if let Some(name) = &story.epic {
        let mut spans = vec![Span::raw("Epic     ")];
        spans.extend(epic_spans(name, product, color));
        if let Some(epic) = product.epic(name) {
            if !epic.goal.is_empty() {
                spans.push(Span::styled(format!(" — {}", one_line(&epic.goal)), dim));
            }
            if let Some(release) = &epic.target_release {
                spans.push(Span::styled(
                    format!(" (release {})", one_line(release)),
                    dim,
                ));
            }
        }
        tail.push(Line::from(spans));
    }
    if let Some(from) = story.split_from {
        tail.push(Line::from(format!("Split from {from}")));
    }
    if !story.split_into.is_empty() {
        let into: Vec<String> = story.split_into.iter().map(ToString::to_string).collect();
        tail.push(Line::from(format!("Split into {}", into.join(", "))));
    }
    tail.push(Line::styled(
        format!("Created  {}", story.created.format("%Y-%m-%d %H:%M UTC")),
        dim,
    ));
    if let Some(done) = story.done_at() {
        let how = match story.cycle_time() {
            Some(took) => format!(
                ", {} after work started",
                words::count(usize::try_from(took.num_days()).unwrap_or(0), "day", "days",)
            ),
            None if story.status_history.iter().any(|c| c.guessed) => " (guessed)".to_string(),
            None => String::new(),
        };
        tail.push(Line::styled(
            format!("Done     {}{how}", done.format("%Y-%m-%d %H:%M UTC")),
            dim,
        ));
    }
    tail.push(Line::styled(
        format!("Updated  {}", story.updated.format("%Y-%m-%d %H:%M UTC")),
        dim,
    ));
    tail
}

/// The epic's marker and name, in its colour.
#[must_use]
pub fn epic_spans(name: &str, product: &Product, color: bool) -> [Span<'static>; 2] {
    let (style, marker) = product.epic(name).map_or((Style::new(), '□'), |e| {
        (theme::epic(e.color, color), e.color.marker())
    });
    [
        Span::styled(format!("{marker} "), style),
        Span::styled(one_line(name).into_owned(), style),
    ]
}

/// The mark of a story with no estimate.
#[must_use]
pub fn unestimated(color: bool) -> Span<'static> {
    Span::styled("? unestimated", theme::warning(color))
}

/// A story that meets the Definition of Ready.
#[must_use]
pub fn ready_line(color: bool) -> Line<'static> {
    Line::styled("✓ Ready: meets the Definition of Ready", theme::good(color))
}

/// The Definition of Ready for this story: passed, or what it lacks.
/// Stories in progress, done or rejected are past it and show nothing.
fn readiness(story: &Story, product: &Product, color: bool) -> Vec<Line<'static>> {
    if !matches!(story.status, Status::Draft | Status::Ready) {
        return Vec::new();
    }
    let missing = ready::missing(story, &product.settings.ready);
    if missing.is_empty() {
        return vec![ready_line(color)];
    }
    let mut lines = Vec::new();
    match (&story.ready_override, story.status) {
        (Some(o), Status::Ready) => lines.push(Line::styled(
            format!(
                "! Set ready by {} on {} although it is not:",
                one_line(&o.by),
                o.at.format("%Y-%m-%d")
            ),
            theme::warning(color),
        )),
        _ => lines.push(Line::styled("✗ Not ready:", theme::warning(color))),
    }
    for reason in missing {
        lines.push(Line::styled(format!("  • {reason}"), theme::warning(color)));
    }
    lines
}

/// A comment as the pane shows it: what kind it is, who and when (and
/// whether its author changed it since), its text, and a question's
/// answer under it, every further line indented under the comment.
fn comment_lines(comment: &Comment, color: bool) -> impl Iterator<Item = Line<'_>> {
    let dim = theme::dim(color);
    let kind = match (comment.question, &comment.resolved) {
        (true, None) => Span::styled("? open question ", theme::warning(color)),
        (true, Some(_)) if comment.answer.is_some() => Span::styled("✓ answered question ", dim),
        (true, Some(_)) => Span::styled("✓ resolved question ", dim),
        (false, _) if comment.decision => Span::styled("» decision ", theme::title()),
        (false, _) => Span::raw(""),
    };
    let edited = if comment.edited.is_some() {
        " (edited)"
    } else {
        ""
    };
    let header = Line::from(vec![
        kind,
        Span::styled(
            format!(
                "{} · {}{edited}",
                one_line(&comment.author),
                comment.at.format("%Y-%m-%d %H:%M")
            ),
            dim,
        ),
    ]);
    let answer = comment.answer.iter().flat_map(|answer| {
        text_lines(answer).enumerate().map(|(i, line)| {
            let lead = if i == 0 {
                Span::styled("  Answer: ", theme::title())
            } else {
                Span::raw("    ")
            };
            Line::from(vec![lead, Span::raw(line)])
        })
    });
    std::iter::once(header)
        .chain(
            text_lines(&comment.text)
                .map(|line| Line::from(vec![Span::raw("  "), Span::raw(line)])),
        )
        .chain(answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Backlog, Placement, StoryPatch};
    use crate::text::examined;

    #[test]
    fn scrolling_a_story_with_a_long_run_of_marks_costs_its_length() {
        // One letter under 300,000 marks (600 KB) as the description.
        let now = chrono::Utc::now();
        let mut backlog = Backlog::new("Marks");
        let id = backlog
            .add(&StoryPatch::title("Marks"), Placement::Bottom, now)
            .unwrap();
        let marks = 300_000;
        let patch = StoryPatch {
            description: Some(format!("a{}", "\u{301}".repeat(marks))),
            ..StoryPatch::default()
        };
        backlog.edit(id, &patch, now).unwrap();
        let story = backlog.get(id).unwrap();
        examined::take();
        let weighing = Weighing {
            framework: None,
            now,
        };
        let links = Links::of(story, &backlog);
        let last = scrolled_to(
            story,
            &backlog.product,
            weighing,
            &links,
            (100, 30),
            usize::MAX,
        );
        let looked = examined::take();
        assert!(looked <= 2 * marks, "{looked} characters looked at");
        // To the last row, "Updated …", below the description's one row.
        assert!((8..20).contains(&last), "scrolled to row {last}");
    }
}
