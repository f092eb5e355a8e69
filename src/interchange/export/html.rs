//! The backlog as one web page, for stakeholders who will not open a
//! terminal: the vision and goals, the epics with their progress, and
//! the ranked backlog, each story with its sentence, acceptance
//! criteria, readiness and customer evidence.
//!
//! The page stands alone: its style is inline, it has no script and
//! fetches nothing, so it can be mailed, opened offline and archived. It
//! is one column that fits a phone (a viewport tag, nothing of a fixed
//! width), prints without the screen's backgrounds and without splitting
//! a story over two pages, and reads without colour (every mark has its
//! words or its sign). It is valid HTML5: every piece of the user's text
//! is escaped ([`escape`]), and the characters HTML does not allow in a
//! document (controls, noncharacters) are shown as `�`, as the screen
//! shows them. A title and a customer's name, which often come from
//! another tracker, are isolated (`<bdi>`), so that a direction mark in
//! one cannot reorder the text around it.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{Entry, Group, Progress, Readable, Readiness, estimate_text, progress_text, sentence};
use crate::model::{Epic, EpicColor};
use crate::words::capitalised;

/// The page's style: one fluid column, the system's fonts, the epics'
/// colours, print and dark variants.
const STYLE: &str = r#"
:root { color-scheme: light dark; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0;
  --paper: #ffffff; --card: #f6f8fa; --ok: #1a7f37; --warn: #9a6700; --bar: #e1e6eb; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #e6edf3; --muted: #9198a1; --line: #3d444d; --paper: #0d1117;
    --card: #151b23; --ok: #4ac26b; --warn: #d29922; --bar: #2f363d; }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--paper); color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  overflow-wrap: anywhere; }
.page { max-width: 52rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .75rem; padding-bottom: .25rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.75rem 0 .5rem; }
h4 { font-size: 1rem; margin: 0 0 .35rem; line-height: 1.35; }
p { margin: .35rem 0; }
.summary, .about, .muted { color: var(--muted); }
.vision { white-space: pre-line; font-size: 1.05rem; }
.goals { padding-left: 1.5rem; }
.epics { list-style: none; padding: 0; margin: 0; display: grid; gap: .75rem;
  grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); }
.epic { border: 1px solid var(--line); border-radius: .5rem; padding: .75rem; background: var(--card); }
.epic h3 { margin: 0 0 .25rem; }
.epic p { margin: .2rem 0; }
.marker { font-style: normal; margin-right: .3rem; }
.bar { height: .5rem; border-radius: .25rem; background: var(--bar); overflow: hidden; margin: .5rem 0 .25rem; }
.bar > span { display: block; height: 100%; background: var(--ok); }
.story { border: 1px solid var(--line); border-radius: .5rem; padding: .75rem .9rem; margin: .75rem 0;
  background: var(--card); break-inside: avoid; page-break-inside: avoid; }
.rank { display: inline-block; min-width: 1.75rem; color: var(--muted); font-variant-numeric: tabular-nums; }
.id { color: var(--muted); font-weight: normal; margin-right: .25rem; }
.facts { display: flex; flex-wrap: wrap; gap: .25rem .5rem; padding: 0; margin: .4rem 0; list-style: none; font-size: .9rem; }
.facts li { border: 1px solid var(--line); border-radius: 1rem; padding: 0 .55rem; background: var(--paper); }
.ready { color: var(--ok); }
.not-ready { color: var(--warn); }
.voice { font-size: .95rem; }
.criteria { list-style: none; padding: 0; margin: .4rem 0 0; }
.criteria li { padding-left: 1.6rem; text-indent: -1.6rem; }
.criteria .box { display: inline-block; width: 1.6rem; text-indent: 0; }
.criteria .done { color: var(--muted); }
footer { margin-top: 3rem; font-size: .85rem; color: var(--muted); }
@media print {
  :root { --ink: #000; --muted: #444; --line: #999; --paper: #fff; --card: #fff; --bar: #ddd; }
  body { font-size: 11pt; }
  .page { max-width: none; padding: 0; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .epic, .story { break-inside: avoid; page-break-inside: avoid; }
  .bar, .bar > span { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// The page.
#[must_use]
pub fn render(readable: &Readable) -> String {
    let product = &readable.backlog.product;
    let title = readable.title();
    let mut page = String::new();
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<div class=\"page\">\n\
         <header>\n<h1>{}</h1>\n<p class=\"summary\">{}</p>\n</header>\n<main>\n",
        escape(&title),
        escape(&title),
        escape(&readable.summary())
    );
    if !product.vision.trim().is_empty() {
        let _ = writeln!(
            page,
            "<section>\n<h2>Vision</h2>\n<p class=\"vision\">{}</p>",
            escape(product.vision.trim())
        );
        page.push_str("</section>\n");
    }
    let goals: Vec<&String> = product
        .goals
        .iter()
        .filter(|g| !g.trim().is_empty())
        .collect();
    if !goals.is_empty() {
        page.push_str("<section>\n<h2>Goals</h2>\n<ol class=\"goals\">\n");
        for goal in goals {
            let _ = writeln!(page, "<li>{}</li>", escape(goal.trim()));
        }
        page.push_str("</ol>\n</section>\n");
    }
    if !readable.epics.is_empty() {
        page.push_str("<section>\n<h2>Epics</h2>\n<ul class=\"epics\">\n");
        for (epic, progress) in &readable.epics {
            epic_card(&mut page, epic, *progress);
        }
        page.push_str("</ul>\n</section>\n");
    }
    if !readable.groups.is_empty() {
        page.push_str("<section>\n<h2>Backlog</h2>\n");
        for group in &readable.groups {
            group_html(&mut page, readable, group);
        }
        page.push_str("</section>\n");
    }
    page.push_str(
        "</main>\n<footer>\n<p>Exported by backlog. Each story's number is its place in the \
         ranked backlog.</p>\n</footer>\n</div>\n</body>\n</html>\n",
    );
    page
}

/// An epic in the overview: its name, goal, release and progress bar.
fn epic_card(page: &mut String, epic: &Epic, progress: Progress) {
    let _ = writeln!(
        page,
        "<li class=\"epic\">\n<h3 class=\"epic-name\">{}{}</h3>",
        marker(epic.color),
        escape(&epic.name)
    );
    if !epic.goal.trim().is_empty() {
        let _ = writeln!(page, "<p>{}</p>", escape(epic.goal.trim()));
    }
    if let Some(release) = &epic.target_release {
        let _ = writeln!(page, "<p class=\"muted\">Release {}</p>", escape(release));
    }
    let percent = progress.percent().unwrap_or(0);
    let _ = writeln!(
        page,
        "<div class=\"bar\" role=\"img\" aria-label=\"{percent} % done\">\
         <span style=\"width: {percent}%\"></span></div>\n<p class=\"muted\">{}</p>\n</li>",
        escape(&progress_text(progress))
    );
}

fn group_html(page: &mut String, readable: &Readable, group: &Group) {
    page.push_str("<section>\n");
    match (group.name, group.epic) {
        (Some(_), Some(epic)) => {
            let _ = writeln!(
                page,
                "<h3>{}{}</h3>\n<p class=\"about\">{}</p>",
                marker(epic.color),
                escape(&epic.name),
                escape(&progress_text(group.progress))
            );
        }
        (Some(name), None) => {
            let _ = writeln!(page, "<h3>{}</h3>", escape(name));
        }
        (None, _) => page.push_str("<h3>No epic</h3>\n"),
    }
    for entry in &group.stories {
        story_html(page, readable, entry);
    }
    page.push_str("</section>\n");
}

fn story_html(page: &mut String, readable: &Readable, entry: &Entry) {
    let story = entry.story;
    let scale = readable.backlog.product.settings.scale;
    let _ = writeln!(
        page,
        "<article class=\"story\" id=\"{}\">\n<h4><span class=\"rank\">{}</span> \
         <span class=\"id\">{}</span> <bdi>{}</bdi></h4>",
        story.id,
        entry.position,
        story.id,
        escape(&story.title)
    );
    if let Some(sentence) = sentence(story) {
        let _ = writeln!(page, "<p>{}</p>", escape(&sentence));
    }
    let _ = write!(
        page,
        "<ul class=\"facts\">\n<li>{}</li>\n<li>{}</li>\n",
        escape(&estimate_text(story.points, scale)),
        story.status
    );
    for label in &story.labels {
        let _ = writeln!(page, "<li>#{}</li>", escape(label));
    }
    page.push_str("</ul>\n");
    match &entry.readiness {
        Readiness::Ready => page.push_str("<p class=\"ready\">✓ Ready</p>\n"),
        readiness @ (Readiness::NotReady(_) | Readiness::ReadyAnyway(_)) => {
            let sign = if matches!(readiness, Readiness::NotReady(_)) {
                '✗'
            } else {
                '!'
            };
            let text = readiness.text().unwrap_or_default();
            let _ = writeln!(
                page,
                "<p class=\"not-ready\">{sign} {}</p>",
                escape(&capitalised(&text))
            );
        }
        Readiness::Past => {}
    }
    if let Some(voice) = &entry.voice {
        let customers: Vec<String> = voice
            .customers
            .iter()
            .map(|(name, importance)| format!("<bdi>{}</bdi> ({importance})", escape(name)))
            .collect();
        let _ = writeln!(
            page,
            "<p class=\"voice\">{}: {}</p>",
            escape(&capitalised(&voice.headline())),
            customers.join(", ")
        );
    }
    if !story.acceptance_criteria.is_empty() {
        page.push_str("<ul class=\"criteria\" aria-label=\"Acceptance criteria\">\n");
        for criterion in &story.acceptance_criteria {
            let (class, sign, state) = if criterion.done {
                (" class=\"done\"", '☑', "met")
            } else {
                ("", '☐', "not met yet")
            };
            let _ = writeln!(
                page,
                "<li{class}><span class=\"box\" role=\"img\" aria-label=\"{state}\">{sign}</span>{}</li>",
                escape(&criterion.text)
            );
        }
        page.push_str("</ul>\n");
    }
    page.push_str("</article>\n");
}

/// The epic's marker, in its colour: the sign keeps epics apart on paper
/// and without colour, as in the TUI.
fn marker(color: EpicColor) -> String {
    let css = match color {
        EpicColor::Blue => "#2f6fde",
        EpicColor::Green => "#2da44e",
        EpicColor::Magenta => "#bf3989",
        EpicColor::Yellow => "#bf8700",
        EpicColor::Cyan => "#1b98b5",
        EpicColor::Red => "#cf222e",
    };
    format!(
        "<i class=\"marker\" style=\"color: {css}\" aria-hidden=\"true\">{}</i>",
        color.marker()
    )
}

/// The user's text as HTML shows it literally, in an element or an
/// attribute: `&`, `<`, `>` and both quotes as character references, and
/// what an HTML document may not hold (controls but tab, line feed,
/// carriage return and form feed; noncharacters), each a parse error even
/// as a reference, as `�`.
#[must_use]
pub fn escape(text: &str) -> Cow<'_, str> {
    let plain = |c: char| !matches!(c, '&' | '<' | '>' | '"' | '\'') && !forbidden(c);
    if text.chars().all(plain) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if forbidden(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether HTML's parser reports `c` as an error wherever it stands: a
/// control character other than the white space HTML knows, or a
/// noncharacter.
fn forbidden(c: char) -> bool {
    let noncharacter = ('\u{fdd0}'..='\u{fdef}').contains(&c) || (u32::from(c) & 0xfffe) == 0xfffe;
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')) || noncharacter
}
