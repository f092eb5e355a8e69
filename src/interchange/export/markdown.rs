//! The readable backlog as Markdown, for every team member: the product's
//! vision and goals, then the stories in rank order grouped by epic, each
//! with its user-story sentence, estimate, status, readiness, labels,
//! customer evidence and acceptance criteria.
//!
//! It reads as plain text and renders as Markdown (`CommonMark`, with
//! GitHub's task lists for the criteria). No tables: a story's text may
//! hold any character, and a list reads on a narrow screen. The user's
//! text is written as stored; only what would break the document's
//! structure is escaped, with Markdown's own backslash:
//!
//! - a line break inside a one-line field (a title, a criterion) would
//!   end its heading or list item: it becomes a space;
//! - `<` before a letter, `/`, `!` or `?` could open raw HTML, which can
//!   hide the rest of the document (an unclosed `<!--`);
//! - `#`s at the end of a heading would be read as its closing marks;
//! - in the vision, a line starting with `#` would be a heading, one of
//!   only `=` or `-` would make the line above one, and a fence (three
//!   backticks or tildes) would turn the rest into code.

use std::fmt::Write as _;

use super::{Entry, Group, Readable, estimate_text, progress_text, sentence};

/// The document.
#[must_use]
pub fn render(readable: &Readable) -> String {
    let product = &readable.backlog.product;
    let mut text = String::new();
    let _ = writeln!(text, "# {}\n", heading(&readable.title()));
    let _ = writeln!(text, "{}\n", readable.summary());
    if !product.vision.trim().is_empty() {
        let _ = writeln!(text, "## Vision\n\n{}\n", block(product.vision.trim()));
    }
    let goals: Vec<&String> = product
        .goals
        .iter()
        .filter(|g| !g.trim().is_empty())
        .collect();
    if !goals.is_empty() {
        text.push_str("## Goals\n\n");
        for (i, goal) in goals.iter().enumerate() {
            let _ = writeln!(text, "{}. {}", i + 1, inline(goal.trim()));
        }
        text.push('\n');
    }
    for group in &readable.groups {
        group_markdown(&mut text, readable, group);
    }
    let trimmed = text.trim_end().len();
    text.truncate(trimmed);
    text.push('\n');
    text
}

fn group_markdown(text: &mut String, readable: &Readable, group: &Group) {
    match group.name {
        Some(name) => {
            let _ = writeln!(text, "## {}\n", heading(name));
            let mut about = Vec::new();
            if let Some(epic) = group.epic {
                if !epic.goal.trim().is_empty() {
                    about.push(format!("Goal: {}", inline(epic.goal.trim())));
                }
                if let Some(release) = &epic.target_release {
                    about.push(format!("Release: {}", inline(release)));
                }
            }
            about.push(format!("Progress: {}", progress_text(group.progress)));
            let _ = writeln!(text, "{}\n", about.join(" · "));
        }
        None => text.push_str("## No epic\n\n"),
    }
    for entry in &group.stories {
        story_markdown(text, readable, entry);
    }
}

fn story_markdown(text: &mut String, readable: &Readable, entry: &Entry) {
    let story = entry.story;
    let scale = readable.backlog.product.settings.scale;
    let _ = writeln!(
        text,
        "### {}. {} {}\n",
        entry.position,
        story.id,
        heading(&story.title)
    );
    if let Some(sentence) = sentence(story) {
        let _ = writeln!(text, "{}\n", inline(&sentence));
    }
    let _ = writeln!(text, "- Estimate: {}", estimate_text(story.points, scale));
    let _ = writeln!(text, "- Status: {}", story.status);
    if let Some(readiness) = entry.readiness.text() {
        let _ = writeln!(text, "- Readiness: {readiness}");
    }
    if !story.labels.is_empty() {
        let labels: Vec<String> = story.labels.iter().map(|l| inline(l)).collect();
        let _ = writeln!(text, "- Labels: {}", labels.join(", "));
    }
    if let Some(voice) = &entry.voice {
        let customers: Vec<String> = voice
            .customers
            .iter()
            .map(|(name, importance)| format!("{} ({importance})", inline(name)))
            .collect();
        let _ = writeln!(
            text,
            "- Customers: {}: {}",
            voice.headline(),
            customers.join(", ")
        );
    }
    text.push('\n');
    if !story.acceptance_criteria.is_empty() {
        text.push_str("Acceptance criteria:\n\n");
        for criterion in &story.acceptance_criteria {
            let mark = if criterion.done { 'x' } else { ' ' };
            let _ = writeln!(text, "- [{mark}] {}", inline(&criterion.text));
        }
        text.push('\n');
    }
}

/// One line of the user's text inside a line of Markdown: line breaks
/// become spaces, and a `<` that could open raw HTML is escaped.
#[must_use]
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(' ');
            }
            '<' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                out.push_str("\\<");
            }
            c => out.push(c),
        }
    }
    out
}

/// Text for a heading: as [`inline`], with `#`s at its end (which a
/// heading would drop as its closing marks) escaped.
fn heading(text: &str) -> String {
    let mut line = inline(text.trim());
    let trimmed = line.trim_end_matches('#').len();
    if trimmed < line.len() {
        line.insert(trimmed, '\\');
    }
    line
}

/// Text of several lines (the vision) as Markdown paragraphs: each line
/// as [`inline`], and a line that would start a heading or a code fence,
/// or underline the line above into a heading, escaped.
fn block(text: &str) -> String {
    text.lines()
        .map(|line| {
            let line = inline(line);
            let body = line.trim_start_matches(' ');
            let indent = line.len() - body.len();
            let underline =
                !body.is_empty() && body.trim_end().chars().all(|c| c == '=' || c == '-');
            if indent <= 3
                && (body.starts_with('#')
                    || body.starts_with("```")
                    || body.starts_with("~~~")
                    || underline)
            {
                format!("{}\\{body}", &line[..indent])
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
