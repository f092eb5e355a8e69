//! The story picker: a story found by typing a few letters of its title
//! or id, as fzf finds a file. The backlog's stories are matched with
//! nucleo's fuzzy matcher (the helix editor's), best match first (ties in
//! rank order), the letters matched highlighted; with nothing typed,
//! every story in rank order. `Enter` takes the story selected, `Esc`
//! changes nothing.
//!
//! A backlog may hold 100,000 stories, and the picker must keep up with
//! typing. A letter typed onto the end of the search can only narrow the
//! matches, so then only the stories matched before are scored again;
//! the whole backlog is scored only when the search changes otherwise
//! (a letter deleted), or the backlog does. Only the rows on screen are
//! drawn, and only theirs are highlighted.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::fmt::Write;

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::{Screen, choice_row, meeting, picker_keys};
use crate::model::{Backlog, FeedbackId, Story};
use crate::text::one_line;
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::keymap::{Command, Context};
use crate::tui::layout::{Areas, centered, ellipsized, scrolled};
use crate::tui::screens::inbox;
use crate::tui::theme;
use crate::tui::typing::TextField;
use crate::words;

/// What the story picked is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Link feedback item to it.
    Link(FeedbackId),
    /// Put it on the meeting's agenda: the meeting under way goes to it.
    Agenda,
}

/// A story the search matches: how well, and its place in the backlog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    pub score: u32,
    pub position: usize,
}

/// The picker: what is typed, and the stories it matches, best first.
#[derive(Clone, Debug)]
pub struct StoryPicker {
    pub purpose: Purpose,
    pub query: TextField,
    /// The search the matches are for.
    matched: String,
    pub matches: Vec<Match>,
    /// The match selected, and the first on screen.
    pub selected: usize,
    pub scroll: usize,
    /// How many stories the last search scored: the work it cost.
    pub scored: usize,
    /// The matcher every search and frame uses: it keeps a scratch
    /// buffer that is costly to make, so it is made once.
    matcher: RefCell<Matcher>,
}

impl StoryPicker {
    /// A picker over `backlog`'s stories for `purpose`, every story
    /// listed in rank order until something is typed.
    #[must_use]
    pub fn new(purpose: Purpose, backlog: &Backlog) -> Self {
        let mut picker = StoryPicker {
            purpose,
            query: TextField::new("", false),
            matched: String::new(),
            matches: Vec::new(),
            selected: 0,
            scroll: 0,
            scored: 0,
            matcher: RefCell::new(Matcher::new(Config::DEFAULT)),
        };
        picker.rematch(backlog, false);
        picker
    }

    /// The story selected, if any matches.
    #[must_use]
    pub fn selected_story<'a>(&self, backlog: &'a Backlog) -> Option<&'a Story> {
        let found = self.matches.get(self.selected)?;
        backlog.at(found.position)
    }

    /// Match the search as it is now. `narrowing` when it is the search
    /// matched before with more typed after it: only the stories that
    /// matched then can match now.
    fn rematch(&mut self, backlog: &Backlog, narrowing: bool) {
        let query = self.query.text();
        let pattern = pattern(&query);
        self.selected = 0;
        self.scroll = 0;
        // Nothing typed: every story, in rank order, none of them read.
        if pattern.atoms.is_empty() {
            self.scored = 0;
            self.matches = (0..backlog.len())
                .map(|position| Match { score: 0, position })
                .collect();
            self.matched = query;
            return;
        }
        let matcher = self.matcher.get_mut();
        let mut haystack = String::new();
        let mut graphemes = Vec::new();
        let mut score = |position: usize| -> Option<Match> {
            let story = backlog.at(position)?;
            haystack_of(story, &mut haystack);
            let text = utf32(&haystack, &mut graphemes);
            pattern
                .score(text, matcher)
                .map(|score| Match { score, position })
        };
        let matches: Vec<Match> = if narrowing {
            self.scored = self.matches.len();
            self.matches
                .iter()
                .filter_map(|found| score(found.position))
                .collect()
        } else {
            self.scored = backlog.len();
            (0..backlog.len()).filter_map(&mut score).collect()
        };
        let mut matches = matches;
        matches.sort_unstable_by_key(|found| (Reverse(found.score), found.position));
        self.matches = matches;
        self.matched = query;
    }

    /// The search changed: match it again, as cheaply as it allows.
    fn searched(&mut self, backlog: &Backlog) {
        let query = self.query.text();
        // A backslash escapes a space in the matcher's words: text typed
        // after one may match what it did not.
        let narrowing =
            !self.matched.is_empty() && query.starts_with(&self.matched) && !query.contains('\\');
        self.rematch(backlog, narrowing);
    }

    /// Select the match `by` rows on, among those there are, scrolled
    /// into view of a list `shown` rows tall.
    fn step(&mut self, by: isize, shown: usize) {
        let last = self.matches.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(by).min(last);
        self.scroll = scrolled(self.scroll, self.selected, shown);
    }

    fn confirm(&self, ctx: &mut Ctx) {
        let Some(story) = self.selected_story(ctx.backlog()).map(|s| s.id) else {
            let cancel = ctx.key(Context::StoryPicker, Command::Cancel);
            ctx.warn(format!(
                "No story matches: type less, or {cancel} to change nothing"
            ));
            return;
        };
        ctx.close();
        match self.purpose {
            Purpose::Link(item) => inbox::link(item, story, ctx),
            Purpose::Agenda => meeting::put_on_agenda(story, ctx),
        }
    }
}

/// The matcher's words of `query`, each matched fuzzily: the case
/// matters only when a capital is typed, and `é` matches `e` unless one
/// is typed, as fzf does.
fn pattern(query: &str) -> Pattern {
    Pattern::new(
        query,
        CaseMatching::Smart,
        Normalization::Smart,
        AtomKind::Fuzzy,
    )
}

/// What a story is matched on: its id, then its title.
fn haystack_of(story: &Story, haystack: &mut String) {
    haystack.clear();
    let _ = write!(haystack, "{} {}", story.id, story.title);
}

/// `text` as the matcher reads it: a character per grapheme (its first),
/// whose places are those the matcher reports matched. Its own
/// conversion takes a text whose graphemes start with ASCII for ASCII,
/// and counts such a text's places in bytes.
fn utf32<'a>(text: &'a str, graphemes: &'a mut Vec<char>) -> Utf32Str<'a> {
    if text.is_ascii() {
        return Utf32Str::Ascii(text.as_bytes());
    }
    graphemes.clear();
    graphemes.extend(
        text.graphemes(true)
            .filter_map(|grapheme| grapheme.chars().next()),
    );
    Utf32Str::Unicode(graphemes)
}

impl Screen for StoryPicker {
    fn context(&self) -> Context {
        Context::StoryPicker
    }

    fn takes_text(&self) -> bool {
        true
    }

    fn update(&mut self, command: Command, ctx: &mut Ctx) -> Option<Effect> {
        let shown = ctx.areas().map_or(1, |areas| geometry(areas.main).rows);
        let page = isize::try_from(shown).unwrap_or(isize::MAX);
        match command {
            Command::SelectNext => self.step(1, shown),
            Command::SelectPrevious => self.step(-1, shown),
            Command::PageDown => self.step(page, shown),
            Command::PageUp => self.step(-page, shown),
            Command::Confirm => self.confirm(ctx),
            Command::Cancel => ctx.close(),
            _ => {}
        }
        None
    }

    fn input(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        if self.query.type_key(key) {
            self.searched(ctx.backlog());
        }
    }

    fn paste(&mut self, text: &str, ctx: &mut Ctx) {
        if self.query.paste(text) {
            self.searched(ctx.backlog());
        }
    }

    fn render(&self, app: &App, areas: &Areas, frame: &mut Frame) {
        render(app, self, frame, geometry(areas.main));
    }

    /// The stories changed (another writer, an undo): the places matched
    /// are stale, so the search is matched again over them all.
    fn backlog_changed(&mut self, backlog: &Backlog) {
        self.rematch(backlog, false);
    }

    /// An item gone meanwhile (an undo, another writer) is not linked:
    /// the picker closes.
    fn follow(&mut self, _before: Option<&Story>, now: &Backlog) -> bool {
        match self.purpose {
            Purpose::Link(item) => now.feedback_item(item).is_ok(),
            Purpose::Agenda => true,
        }
    }
}

/// Where the picker's parts go over the screen `area`.
#[derive(Clone, Copy, Debug)]
struct Geometry {
    popup: Rect,
    /// What the story is picked for, then the search typed.
    about: Rect,
    search: Rect,
    /// How many stories match.
    count: Rect,
    list: Rect,
    keys: Rect,
    /// Rows of matches shown.
    rows: usize,
}

/// The picker over the pane's `area`: as wide as a story's title wants,
/// as tall as twenty matches, both the pane's at most; the status bar
/// below stays in sight, to say why a key did nothing.
fn geometry(area: Rect) -> Geometry {
    let popup = centered(area, 90, 28);
    let inner = Block::bordered().inner(popup);
    let row = |at: u16| {
        let y = inner.y.saturating_add(at).min(inner.bottom());
        Rect::new(inner.x, y, inner.width, u16::from(y < inner.bottom()))
    };
    // About, search, count and a blank line above the list; a blank line
    // and the keys below it.
    let list_height = inner.height.saturating_sub(6);
    let list = Rect::new(
        inner.x,
        inner.y.saturating_add(4).min(inner.bottom()),
        inner.width,
        list_height,
    );
    Geometry {
        popup,
        about: row(0),
        search: row(1),
        count: row(2),
        list,
        keys: row(inner.height.saturating_sub(1)),
        rows: usize::from(list_height).max(1),
    }
}

/// How the letters the search matched stand out: without colour too.
fn matched_style(color: bool) -> Style {
    let style = Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    if color {
        style.fg(Color::Yellow)
    } else {
        style
    }
}

fn render(app: &App, picker: &StoryPicker, frame: &mut Frame, at: Geometry) {
    let (title, about) = match picker.purpose {
        Purpose::Link(item) => {
            let summary = app
                .backlog
                .feedback_item(item)
                .map(|f| f.summary().to_string())
                .unwrap_or_default();
            (
                format!(" Link {item} to a story "),
                format!("{item} {summary}"),
            )
        }
        Purpose::Agenda => {
            let running = app
                .screen::<meeting::MeetingPane>()
                .is_some_and(|pane| pane.meeting.is_some());
            let about = if running {
                "The meeting goes to it; a story on the agenda already is gone to."
            } else {
                "It joins the end of the agenda planned."
            };
            (" Put a story on the agenda ".to_string(), about.to_string())
        }
    };
    frame.render_widget(Clear, at.popup);
    frame.render_widget(Block::bordered().title(title), at.popup);
    frame.render_widget(
        Paragraph::new(Line::styled(
            ellipsized(&about, at.about.width),
            theme::dim(app.color),
        )),
        at.about,
    );
    let label = "Find: ";
    let label_width = u16::try_from(label.len()).unwrap_or(0);
    frame.render_widget(
        Paragraph::new(Span::styled(label, theme::key(app.color))),
        at.search,
    );
    let field = Rect {
        x: at.search.x.saturating_add(label_width),
        width: at.search.width.saturating_sub(label_width),
        ..at.search
    };
    picker.query.render(frame, field, app.color);
    let count = match (picker.matches.len(), app.backlog.len()) {
        (_, 0) => "The backlog has no stories yet.".to_string(),
        (0, _) => "No story matches.".to_string(),
        (n, all) if n == all && picker.matched.is_empty() => format!(
            "{}, in rank order: type to find one",
            words::count(all, "story", "stories")
        ),
        (n, all) => format!(
            "{n} of {} match, best first",
            words::count(all, "story", "stories")
        ),
    };
    frame.render_widget(
        Paragraph::new(Line::styled(count, theme::dim(app.color))),
        at.count,
    );
    let scroll = scrolled(picker.scroll, picker.selected, at.rows);
    let pattern = pattern(&picker.matched);
    let mut matcher = picker.matcher.borrow_mut();
    let lines: Vec<Line> = picker
        .matches
        .iter()
        .enumerate()
        .skip(scroll)
        .take(at.rows)
        .filter_map(|(row, found)| {
            let story = app.backlog.at(found.position)?;
            Some(story_row(
                story,
                &pattern,
                &mut matcher,
                row == picker.selected,
                at.list.width,
                app.color,
            ))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), at.list);
    frame.render_widget(
        Paragraph::new(picker_keys(app, Context::StoryPicker, "links it")),
        at.keys,
    );
}

/// A story's row in `width` columns: its id and title as matched, the
/// letters the search matched standing out, then its status.
fn story_row(
    story: &Story,
    pattern: &Pattern,
    matcher: &mut Matcher,
    selected: bool,
    width: u16,
    color: bool,
) -> Line<'static> {
    let mut haystack = String::new();
    haystack_of(story, &mut haystack);
    let mut graphemes = Vec::new();
    let mut indices = Vec::new();
    pattern.indices(utf32(&haystack, &mut graphemes), matcher, &mut indices);
    indices.sort_unstable();
    indices.dedup();
    let status = format!(" · {}", story.status);
    // The `▶ ` before it, and the status after.
    let room = usize::from(width).saturating_sub(2 + status.width());
    let mut spans = highlighted(&haystack, &indices, room, matched_style(color));
    spans.push(Span::styled(
        status,
        theme::status(story.status, color).patch(theme::dim(color)),
    ));
    choice_row(selected, spans)
}

/// `text`, shown as [`one_line`] shows it, cut with `…` to `room`
/// columns, its units at `matched` (as the matcher counts them: bytes of
/// ASCII, else graphemes) in `style`.
fn highlighted(text: &str, matched: &[u32], room: usize, style: Style) -> Vec<Span<'static>> {
    let units: Vec<&str> = if text.is_ascii() {
        (0..text.len()).map(|i| &text[i..=i]).collect()
    } else {
        text.graphemes(true).collect()
    };
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_matched = false;
    let mut used = 0;
    let mut matched = matched.iter().peekable();
    for (at, unit) in units.iter().enumerate() {
        let shown = one_line(unit);
        let width = shown.width();
        // Room for this and, if more follows, the `…`.
        let more = at + 1 < units.len();
        if used + width + usize::from(more) > room {
            run.push('…');
            break;
        }
        used += width;
        let is_matched = matched
            .next_if(|&&i| usize::try_from(i).is_ok_and(|i| i == at))
            .is_some();
        if is_matched != run_matched && !run.is_empty() {
            let span = std::mem::take(&mut run);
            spans.push(if run_matched {
                Span::styled(span, style)
            } else {
                Span::raw(span)
            });
        }
        run_matched = is_matched;
        run.push_str(&shown);
    }
    if !run.is_empty() {
        spans.push(if run_matched {
            Span::styled(run, style)
        } else {
            Span::raw(run)
        });
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Placement, StoryPatch};

    fn backlog(titles: &[&str]) -> Backlog {
        let now = chrono::Utc::now();
        let mut backlog = Backlog::new("Picking");
        for title in titles {
            backlog
                .add(&StoryPatch::title(*title), Placement::Bottom, now)
                .unwrap();
        }
        backlog
    }

    fn typed(picker: &mut StoryPicker, text: &str, backlog: &Backlog) {
        for c in text.chars() {
            picker
                .query
                .type_key(KeyEvent::from(ratatui::crossterm::event::KeyCode::Char(c)));
            picker.searched(backlog);
        }
    }

    fn titles<'a>(picker: &StoryPicker, backlog: &'a Backlog) -> Vec<&'a str> {
        picker
            .matches
            .iter()
            .map(|m| backlog.at(m.position).unwrap().title.as_str())
            .collect()
    }

    #[test]
    fn with_nothing_typed_every_story_is_listed_in_rank_order() {
        let backlog = backlog(&["Pay by card", "Export members", "Book a wheel"]);
        let picker = StoryPicker::new(Purpose::Link(FeedbackId(1)), &backlog);
        assert_eq!(
            titles(&picker, &backlog),
            ["Pay by card", "Export members", "Book a wheel"]
        );
    }

    #[test]
    fn the_best_match_comes_first_and_what_does_not_match_goes() {
        let backlog = backlog(&[
            "Export the member list to CSV",
            "Pay by card",
            "Expected cost report",
            "Exports",
        ]);
        let mut picker = StoryPicker::new(Purpose::Link(FeedbackId(1)), &backlog);
        typed(&mut picker, "export", &backlog);
        let found = titles(&picker, &backlog);
        // Letters in order anywhere match, as in fzf; whole words first.
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(!found.contains(&"Pay by card"), "{found:?}");
        assert_eq!(found[2], "Expected cost report", "{found:?}");
        // Ids match too.
        let mut picker = StoryPicker::new(Purpose::Link(FeedbackId(1)), &backlog);
        typed(&mut picker, "S-2", &backlog);
        assert_eq!(titles(&picker, &backlog)[0], "Pay by card");
    }

    #[test]
    fn a_letter_typed_on_scores_only_the_stories_matched_before() {
        let many: Vec<String> = (0..2_000)
            .map(|i| {
                if i % 100 == 0 {
                    format!("Import members, batch {i}")
                } else {
                    format!("Story {i}")
                }
            })
            .collect();
        let titles: Vec<&str> = many.iter().map(String::as_str).collect();
        let backlog = backlog(&titles);
        let mut picker = StoryPicker::new(Purpose::Link(FeedbackId(1)), &backlog);
        typed(&mut picker, "i", &backlog);
        assert_eq!(picker.scored, 2_000, "the first letter scores them all");
        let after_i = picker.matches.len();
        typed(&mut picker, "m", &backlog);
        assert_eq!(picker.scored, after_i, "the second only those matched");
        typed(&mut picker, "port", &backlog);
        assert_eq!(picker.matches.len(), 20);
        // A letter deleted may widen the matches: all are scored again.
        picker.query.type_key(KeyEvent::from(
            ratatui::crossterm::event::KeyCode::Backspace,
        ));
        picker.searched(&backlog);
        assert_eq!(picker.scored, 2_000);
    }

    #[test]
    fn the_letters_matched_stand_out_and_control_characters_do_not_reach_the_screen() {
        let style = Style::new().add_modifier(Modifier::UNDERLINED);
        let spans = highlighted("S-1 Export", &[4, 5], 40, style);
        let text: Vec<(&str, bool)> = spans
            .iter()
            .map(|s| (s.content.as_ref(), s.style == style))
            .collect();
        assert_eq!(text, [("S-1 ", false), ("Ex", true), ("port", false)]);
        let spans = highlighted("S-1 \u{1b}[31mRed\u{7}", &[], 40, style);
        let shown: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(shown, "S-1 �[31mRed�");
        // Cut to its room, with a mark.
        let spans = highlighted("S-1 A long title", &[], 8, style);
        let shown: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(shown, "S-1 A l…");
    }
}
