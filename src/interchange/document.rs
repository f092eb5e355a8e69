//! One story as a Markdown document: what `backlog show` prints, what
//! `$EDITOR` edits, and what `backlog edit --from-file` reads back.
//!
//! ```text
//! ---
//! id: S-12
//! status: draft
//! estimate: 5
//! epic: Checkout
//! labels: payments, mobile
//! blocked-by: S-3, S-9
//! ---
//!
//! # Pay by card
//!
//! ## User story
//!
//! As a shopper,
//! I want to pay by card,
//! So that I need no cash.
//!
//! ## Description
//!
//! Free Markdown, any number of lines.
//!
//! ## Acceptance criteria
//!
//! - [ ] The card is charged once
//! - [x] A receipt is sent
//!
//! ## Comments
//!
//! <!-- read-only … -->
//!
//! 1. Ann, 2026-03-02 10:15 UTC, question answered by Bo 2026-03-03 09:00 UTC: Which cards?
//!    Answer: Visa and Mastercard.
//! 2. Bo, 2026-03-03 09:05 UTC, decision: Cards only for now.
//! ```
//!
//! The front matter holds `key: value` lines. `id` is read-only; a key
//! left out keeps that field as it is, a key with no value clears it.
//! The body replaces the story's text: a section left out is emptied.
//! A heading that is not one of the four section names is part of the
//! description; a description line that would read as a section heading
//! is written with a leading backslash (Markdown's own escape). The
//! comments section, and the customer evidence (the feedback linked to
//! the story) after it, are for reading only and ignored when parsed: a
//! comment's further lines, and a question's answer, are indented under
//! it, so none of them reads as a heading that would end the section.
//!
//! Text from the editor is not trusted: a tab becomes four spaces, a
//! line may end in `\r\n`, and any other control character is refused
//! with its line. Text written out keeps the story's text as written but
//! for control characters, which a line cannot hold: the document comes
//! back from the editor and is applied, so anything changed for showing
//! would be written into the story. `backlog show` passes it through
//! [`crate::text`] on its way to a terminal.

use std::fmt::{self, Write as _};

use crate::model::{
    Comment, Criterion, Feedback, ModelError, Points, Product, Scale, Stamp, Status, Story,
    StoryId, StoryPatch, story_ids,
};
use crate::text::{multi_line_as_written, one_line_as_written};

/// A document that cannot be read, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocError {
    /// 1-based line number.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for DocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for DocError {}

/// A parsed document: the story's fields as the document gives them.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// The front matter's `id`, if it has one. Read-only: a caller applying
    /// the document to a story checks that it matches.
    pub id: Option<StoryId>,
    /// `None` when the front matter leaves the key out.
    pub status: Option<Status>,
    /// `None` when left out; `Some(None)` when empty (unestimated).
    pub points: Option<Option<Points>>,
    /// `None` when left out; `Some(None)` when empty (no epic).
    pub epic: Option<Option<String>>,
    /// `None` when left out.
    pub labels: Option<Vec<String>>,
    /// The stories this one is blocked by: `None` when left out,
    /// `Some(vec![])` when empty (blocked by none).
    pub blocked_by: Option<Vec<StoryId>>,
    pub title: String,
    pub as_a: String,
    pub i_want: String,
    pub so_that: String,
    pub description: String,
    pub criteria: Vec<Criterion>,
    /// The 1-based lines of the title and of the `epic` key, for a change
    /// the backlog refuses because of one of them.
    pub title_line: usize,
    pub epic_line: Option<usize>,
    /// The 1-based line of the `blocked-by` key, for a link the backlog
    /// refuses (a loop, an unknown story, the story itself).
    pub blocked_by_line: Option<usize>,
}

impl Document {
    /// The line a refusal of this document's change is about, when it is
    /// about one line: a title too long, an epic that does not exist, a
    /// blocker that is not there or would close a loop.
    #[must_use]
    pub fn line_of(&self, refusal: &ModelError) -> Option<usize> {
        match refusal {
            ModelError::TitleTooLong { .. } | ModelError::EmptyTitle => Some(self.title_line),
            ModelError::UnknownEpic(_) => self.epic_line,
            ModelError::DependencyCycle(_) | ModelError::BlockedByItself(_) => self.blocked_by_line,
            ModelError::UnknownStory(id)
                if self
                    .blocked_by
                    .as_ref()
                    .is_some_and(|blockers| blockers.contains(id)) =>
            {
                self.blocked_by_line
            }
            _ => None,
        }
    }

    /// The change that makes a story what the document says: every text
    /// field, the whole list of acceptance criteria with their done flags,
    /// and each front-matter key the document gives.
    #[must_use]
    pub fn patch(&self) -> StoryPatch {
        StoryPatch {
            title: Some(self.title.clone()),
            as_a: Some(self.as_a.clone()),
            i_want: Some(self.i_want.clone()),
            so_that: Some(self.so_that.clone()),
            description: Some(self.description.clone()),
            points: self.points,
            status: self.status,
            epic: self.epic.clone(),
            criteria: Some(self.criteria.clone()),
            labels: self.labels.clone(),
            blocked_by: self.blocked_by.clone(),
            ..StoryPatch::default()
        }
    }
}

/// The body's sections, in the order they are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    UserStory,
    Description,
    AcceptanceCriteria,
    Comments,
    CustomerEvidence,
}

impl Section {
    const ALL: [Section; 5] = [
        Section::UserStory,
        Section::Description,
        Section::AcceptanceCriteria,
        Section::Comments,
        Section::CustomerEvidence,
    ];

    fn name(self) -> &'static str {
        match self {
            Section::UserStory => "User story",
            Section::Description => "Description",
            Section::AcceptanceCriteria => "Acceptance criteria",
            Section::Comments => "Comments",
            Section::CustomerEvidence => "Customer evidence",
        }
    }
}

/// The section a line heads, if it is `## ` and one of the known names
/// (any case). Headings start in the first column.
fn section_heading(line: &str) -> Option<Section> {
    let name = line.strip_prefix("## ")?.trim();
    Section::ALL
        .into_iter()
        .find(|s| s.name().eq_ignore_ascii_case(name))
}

/// A Markdown ATX heading of any level.
fn is_heading(line: &str) -> bool {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes)
        && line[hashes..]
            .chars()
            .next()
            .is_none_or(char::is_whitespace)
}

const FRONT_KEYS: &str = "id, status, estimate, epic, labels or blocked-by";

const COMMENTS_NOTE: &str = "<!-- Read-only: these comments are shown for reference and ignored \
     when this document is read back. Add one with `backlog comment`. -->";

/// The story as a document, estimates written on the backlog's scale.
#[must_use]
pub fn render(story: &Story, product: &Product) -> String {
    let scale = product.settings.scale;
    let mut out = String::from("---\n");
    let mut key = |name: &str, value: &str| {
        if value.is_empty() {
            let _ = writeln!(out, "{name}:");
        } else {
            let _ = writeln!(out, "{name}: {value}");
        }
    };
    key("id", &story.id.to_string());
    key("status", story.status.as_str());
    key(
        "estimate",
        &story.points.map(|p| scale.label(p)).unwrap_or_default(),
    );
    key(
        "epic",
        &one_line_as_written(story.epic.as_deref().unwrap_or_default()),
    );
    let labels: Vec<_> = story
        .labels
        .iter()
        .map(|l| one_line_as_written(l))
        .collect();
    key("labels", &labels.join(", "));
    let blockers: Vec<String> = story.blocked_by.iter().map(ToString::to_string).collect();
    key("blocked-by", &blockers.join(", "));
    out.push_str("---\n\n");
    let _ = write!(
        out,
        "# {}\n\n## User story\n\n",
        one_line_as_written(&story.title)
    );
    // `As a` and `I want` end in a comma, which reading takes off again;
    // `So that` ends the sentence as written.
    for (prefix, text, end) in [
        ("As a", &story.as_a, ","),
        ("I want", &story.i_want, ","),
        ("So that", &story.so_that, ""),
    ] {
        if text.is_empty() {
            let _ = writeln!(out, "{prefix}");
        } else {
            let _ = writeln!(out, "{prefix} {}{end}", one_line_as_written(text));
        }
    }
    out.push_str("\n## Description\n\n");
    if !story.description.is_empty() {
        for line in multi_line_as_written(&story.description).lines() {
            if section_heading(line.trim_start_matches('\\')).is_some() {
                out.push('\\');
            }
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str("## Acceptance criteria\n\n");
    for c in &story.acceptance_criteria {
        let mark = if c.done { 'x' } else { ' ' };
        let _ = writeln!(out, "- [{mark}] {}", one_line_as_written(&c.text));
    }
    if !story.comments.is_empty() {
        if !story.acceptance_criteria.is_empty() {
            out.push('\n');
        }
        let _ = write!(out, "## Comments\n\n{COMMENTS_NOTE}\n\n");
        for (n, comment) in story.comments.iter().enumerate() {
            render_comment(&mut out, n + 1, comment);
        }
    }
    render_evidence(&mut out, story, product);
    out
}

const EVIDENCE_NOTE: &str = "<!-- Read-only: the customer feedback linked to this story, \
     ignored when this document is read back. Triage it with `backlog feedback` or in the \
     inbox. -->";

/// The customers who asked for the story, most important first, when
/// any did.
fn render_evidence(out: &mut String, story: &Story, product: &Product) {
    let evidence = product.evidence(story.id);
    if evidence.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "\n## Customer evidence\n\n{EVIDENCE_NOTE}\n\n{}, importance {} in all.\n\n",
        crate::words::count(evidence.customers, "customer", "customers"),
        evidence.importance
    );
    let mut items: Vec<&Feedback> = evidence
        .items
        .iter()
        .filter_map(|&id| product.feedback_item(id))
        .collect();
    items.sort_by(|a, b| b.importance.cmp(&a.importance).then(b.date.cmp(&a.date)));
    for item in items {
        let _ = writeln!(
            out,
            "- {} {} ({}), {}: {}",
            item.id,
            one_line_as_written(&item.customer),
            item.importance,
            item.date.format("%Y-%m-%d"),
            one_line_as_written(item.summary())
        );
    }
}

fn render_comment(out: &mut String, number: usize, comment: &Comment) {
    let when = |stamp: &Stamp| stamp.at.format("%Y-%m-%d %H:%M UTC");
    let kind = match (&comment.resolved, comment.question) {
        (_, false) if comment.decision => ", decision".to_string(),
        (_, false) => String::new(),
        (None, true) => ", open question".to_string(),
        (Some(stamp), true) => format!(
            ", question {} by {} {}",
            if comment.answer.is_some() {
                "answered"
            } else {
                "resolved"
            },
            one_line_as_written(&stamp.by),
            when(stamp)
        ),
    };
    // Only its author edits a comment; a file may say otherwise, and is
    // shown as it says.
    let edited = match &comment.edited {
        Some(stamp) if stamp.by == comment.author => format!(", edited {}", when(stamp)),
        Some(stamp) => format!(
            ", edited by {} {}",
            one_line_as_written(&stamp.by),
            when(stamp)
        ),
        None => String::new(),
    };
    let _ = write!(
        out,
        "{number}. {}, {}{kind}{edited}:",
        one_line_as_written(&comment.author),
        comment.at.format("%Y-%m-%d %H:%M UTC"),
    );
    write_indented(out, &comment.text);
    if let Some(answer) = &comment.answer {
        out.push_str("   Answer:");
        write_indented(out, answer);
    }
}

/// `text` after what the line holds so far, and a line break: its
/// further lines indented under the comment they belong to, so none
/// reads as a heading or leaves the comments section. A line or paragraph
/// separator breaks a line too, as a terminal and the story pane break
/// it: the section is only read, never read back, so nothing is lost.
fn write_indented(out: &mut String, text: &str) {
    let text = multi_line_as_written(text).replace(['\u{2028}', '\u{2029}'], "\n");
    for (i, line) in text.lines().enumerate() {
        match (i, line.is_empty()) {
            (0, _) => {
                let _ = write!(out, " {line}");
            }
            (_, true) => out.push('\n'),
            (_, false) => {
                let _ = write!(out, "\n   {line}");
            }
        }
    }
    out.push('\n');
}

/// Read a document; estimates are read on `scale` (a T-shirt size, `½`
/// or points).
///
/// # Errors
/// The first problem, with its 1-based line: an unclosed front matter, an
/// unknown or repeated key, a bad id, status or estimate, a missing or
/// empty title, a repeated section, a line in the user story or the
/// acceptance criteria that is not one of theirs, or a control character.
pub fn parse(text: &str, scale: Scale) -> Result<Document, DocError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = clean_lines(text)?;
    let mut reader = Reader {
        doc: Document {
            id: None,
            status: None,
            points: None,
            epic: None,
            labels: None,
            blocked_by: None,
            title: String::new(),
            as_a: String::new(),
            i_want: String::new(),
            so_that: String::new(),
            description: String::new(),
            criteria: Vec::new(),
            title_line: 1,
            epic_line: None,
            blocked_by_line: None,
        },
        scale,
        lines: &lines,
        at: 0,
    };
    reader.skip_blank();
    reader.front_matter()?;
    reader.skip_blank();
    reader.title()?;
    reader.body()?;
    Ok(reader.doc)
}

/// The text's lines with tabs expanded and `\r\n` accepted; any other
/// control character is an error.
fn clean_lines(text: &str) -> Result<Vec<String>, DocError> {
    text.split('\n')
        .enumerate()
        .map(|(i, line)| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if let Some(c) = line.chars().find(|&c| c.is_control() && c != '\t') {
                return Err(DocError {
                    line: i + 1,
                    message: format!("control character U+{:04X} is not allowed", u32::from(c)),
                });
            }
            Ok(line.replace('\t', "    "))
        })
        .collect()
}

struct Reader<'a> {
    doc: Document,
    scale: Scale,
    lines: &'a [String],
    /// 0-based index of the next line.
    at: usize,
}

fn error(line: usize, message: impl Into<String>) -> DocError {
    DocError {
        line,
        message: message.into(),
    }
}

/// Where the body's lines go.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Between the title and the first section.
    Preamble,
    In(Section),
    /// Under a heading that is no section of ours: the description.
    Extra,
}

impl Reader<'_> {
    fn skip_blank(&mut self) {
        while self.lines.get(self.at).is_some_and(|l| l.trim().is_empty()) {
            self.at += 1;
        }
    }

    fn front_matter(&mut self) -> Result<(), DocError> {
        if self.lines.get(self.at).map(|l| l.trim_end()) != Some("---") {
            return Ok(());
        }
        let start = self.at + 1;
        let end = self.lines[start..]
            .iter()
            .position(|l| l.trim_end() == "---")
            .map(|offset| start + offset)
            .ok_or_else(|| {
                error(
                    start,
                    "the front matter that starts here has no closing `---` line",
                )
            })?;
        let lines = self.lines;
        let mut seen: Vec<(&str, usize)> = Vec::new();
        for (index, line) in lines.iter().enumerate().take(end).skip(start) {
            let number = index + 1;
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let Some((key, value)) = line.split_once(':') else {
                return Err(error(
                    number,
                    format!("expected `key: value` in the front matter, found {line:?}"),
                ));
            };
            let (key, value) = (key.trim(), value.trim());
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                return Err(error(
                    number,
                    format!("`{key}` is given twice (first on line {first})"),
                ));
            }
            let at = |message: String| error(number, message);
            match key {
                "id" => {
                    self.doc.id = if value.is_empty() {
                        None
                    } else {
                        Some(value.parse().map_err(at)?)
                    };
                }
                "status" => {
                    self.doc.status = Some(value.to_ascii_lowercase().parse().map_err(at)?);
                }
                "estimate" => {
                    self.doc.points = Some(if value.is_empty() {
                        None
                    } else {
                        Some(self.scale.parse_estimate(value).map_err(at)?)
                    });
                }
                "epic" => {
                    self.doc.epic = Some((!value.is_empty()).then(|| value.to_string()));
                    self.doc.epic_line = Some(number);
                }
                "labels" => {
                    self.doc.labels = Some(
                        value
                            .split(',')
                            .map(str::trim)
                            .filter(|l| !l.is_empty())
                            .map(str::to_string)
                            .collect(),
                    );
                }
                "blocked-by" => {
                    // Ids as people type them: `S-3, S-9`, `3 9`.
                    self.doc.blocked_by = Some(story_ids(value).map_err(at)?);
                    self.doc.blocked_by_line = Some(number);
                }
                _ => {
                    return Err(at(format!(
                        "unknown key `{key}` in the front matter (expected {FRONT_KEYS})"
                    )));
                }
            }
            seen.push((key, number));
        }
        self.at = end + 1;
        Ok(())
    }

    fn title(&mut self) -> Result<(), DocError> {
        let Some(line) = self.lines.get(self.at) else {
            // The text's last line, not the empty one after its final newline.
            let trailing = self.lines.len() > 1 && self.lines.last().is_some_and(String::is_empty);
            let last = self.lines.len() - usize::from(trailing);
            return Err(error(
                last.max(1),
                "the document has no title: start it with a `# Title` line",
            ));
        };
        let number = self.at + 1;
        let title = match line.strip_prefix('#') {
            Some(rest) if rest.is_empty() || rest.starts_with(char::is_whitespace) => rest.trim(),
            _ => {
                return Err(error(
                    number,
                    format!("expected the title as a `# Title` line, found {line:?}"),
                ));
            }
        };
        if title.is_empty() {
            return Err(error(number, "the title is empty"));
        }
        self.doc.title = title.to_string();
        self.doc.title_line = number;
        self.at += 1;
        Ok(())
    }

    fn body(&mut self) -> Result<(), DocError> {
        let mut place = Place::Preamble;
        let mut seen: Vec<(Section, usize)> = Vec::new();
        let mut story_lines: [Option<usize>; 3] = [None; 3];
        // The description's blocks: its own section and any stray headings.
        let lines = self.lines;
        let mut blocks: Vec<Vec<&str>> = Vec::new();
        for (index, line) in lines.iter().enumerate().skip(self.at) {
            let number = index + 1;
            let line = line.as_str();
            if let Some(section) = section_heading(line) {
                if let Some((_, first)) = seen.iter().find(|(s, _)| *s == section) {
                    return Err(error(
                        number,
                        format!(
                            "a second `## {}` section (the first is on line {first})",
                            section.name()
                        ),
                    ));
                }
                seen.push((section, number));
                if section == Section::Description {
                    blocks.push(Vec::new());
                }
                place = Place::In(section);
                continue;
            }
            match place {
                Place::In(Section::Description) | Place::Extra => {
                    blocks
                        .last_mut()
                        .expect("a block is open")
                        .push(unescape(line));
                    continue;
                }
                Place::In(Section::Comments | Section::CustomerEvidence) => continue,
                Place::Preamble | Place::In(Section::UserStory | Section::AcceptanceCriteria) => {}
            }
            let trimmed = line.trim();
            if trimmed.is_empty() || is_html_comment(trimmed) {
                continue;
            }
            if is_heading(line) {
                blocks.push(vec![line]);
                place = Place::Extra;
                continue;
            }
            match place {
                Place::In(Section::UserStory) => {
                    self.user_story_line(trimmed, number, &mut story_lines)?;
                }
                Place::In(Section::AcceptanceCriteria) => {
                    if let Some(criterion) = criterion(trimmed) {
                        if !criterion.text.is_empty() {
                            self.doc.criteria.push(criterion);
                        }
                    } else {
                        return Err(error(
                            number,
                            format!(
                                "expected an acceptance criterion as `- [ ] text` or `- [x] text`, found {trimmed:?}"
                            ),
                        ));
                    }
                }
                _ => {
                    return Err(error(
                        number,
                        "text outside any section: put it under `## Description`",
                    ));
                }
            }
        }
        let blocks: Vec<String> = blocks
            .iter()
            .filter_map(|block| {
                let first = block.iter().position(|l| !l.trim().is_empty())?;
                let last = block.iter().rposition(|l| !l.trim().is_empty())?;
                Some(block[first..=last].join("\n"))
            })
            .collect();
        self.doc.description = blocks.join("\n\n");
        Ok(())
    }

    fn user_story_line(
        &mut self,
        line: &str,
        number: usize,
        seen: &mut [Option<usize>; 3],
    ) -> Result<(), DocError> {
        let parts: [(&[&str], &str); 3] = [
            (&["as a", "as an"], "As a"),
            (&["i want"], "I want"),
            (&["so that"], "So that"),
        ];
        for (slot, (prefixes, name)) in parts.iter().enumerate() {
            let Some(rest) = prefixes.iter().find_map(|p| strip_word_prefix(line, p)) else {
                continue;
            };
            if let Some(first) = seen[slot] {
                return Err(error(
                    number,
                    format!("a second `{name}` line (the first is on line {first})"),
                ));
            }
            seen[slot] = Some(number);
            let rest = rest.trim();
            let text = if slot == 2 {
                rest
            } else {
                rest.strip_suffix(',').unwrap_or(rest).trim_end()
            };
            let field = match slot {
                0 => &mut self.doc.as_a,
                1 => &mut self.doc.i_want,
                _ => &mut self.doc.so_that,
            };
            *field = text.to_string();
            return Ok(());
        }
        Err(error(
            number,
            format!(
                "expected a user-story line starting `As a`, `I want` or `So that`, found {line:?}"
            ),
        ))
    }
}

/// `line` without `prefix` (any ASCII case) when a space or the line's
/// end follows it.
fn strip_word_prefix<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    let head = line.get(..prefix.len())?;
    let rest = &line[prefix.len()..];
    (head.eq_ignore_ascii_case(prefix) && rest.chars().next().is_none_or(char::is_whitespace))
        .then_some(rest)
}

fn is_html_comment(line: &str) -> bool {
    line.starts_with("<!--") && line.ends_with("-->")
}

/// A checkbox item: `- [ ] text`, `- [x] text` (or `*` for `-`).
fn criterion(line: &str) -> Option<Criterion> {
    let rest = line
        .strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))?;
    let (done, text) = if let Some(text) = rest.strip_prefix("[ ]") {
        (false, text)
    } else if let Some(text) = rest
        .strip_prefix("[x]")
        .or_else(|| rest.strip_prefix("[X]"))
    {
        (true, text)
    } else {
        return None;
    };
    Some(Criterion {
        text: text.trim().to_string(),
        done,
    })
}

/// A description line written with a backslash before what would read as
/// a section heading loses that one backslash.
fn unescape(line: &str) -> &str {
    match line.strip_prefix('\\') {
        Some(rest) if section_heading(rest.trim_start_matches('\\')).is_some() => rest,
        _ => line,
    }
}

#[cfg(test)]
mod tests;
