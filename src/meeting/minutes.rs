//! The minutes a meeting leaves, in Markdown: what the room looked at,
//! for how long, and what changed. A change is what differs between a
//! story as the meeting found it and as the backlog has it at the end,
//! so what was undone in the meeting is not in the minutes, and a story
//! the meeting moved is told only if it stands elsewhere among the
//! stories there before the meeting.
//!
//! Sections with nothing to say are left out: the minutes list what
//! happened and nothing else.

use std::fmt::Write as _;

use chrono::{DateTime, Duration, FixedOffset, Utc};

use super::poker::Round;
use super::timebox::{Timebox, clock};
use super::{Item, Meeting};
use crate::model::{Backlog, Comment, Points, Scale, Status, Story};

/// The minutes of `meeting`, ended at `now` with the backlog as
/// `backlog`, its times shown at `offset` (the local time zone then).
#[must_use]
pub fn write(
    meeting: &Meeting,
    backlog: &Backlog,
    now: DateTime<Utc>,
    offset: FixedOffset,
) -> String {
    let scale = backlog.product.settings.scale;
    let mut items: Vec<&Item> = meeting
        .agenda()
        .iter()
        .chain(meeting.dropped())
        .filter(|item| item.discussed())
        // A story the meeting made (a split) and then took back (an
        // undo) was never there to tell of.
        .filter(|item| backlog.get(item.story).is_some() || item.before.created < meeting.started)
        .collect();
    items.sort_by_key(|item| item.taken_up.unwrap_or(u32::MAX));
    let stories: Vec<Discussed> = items
        .into_iter()
        .map(|item| Discussed {
            item,
            now: backlog.get(item.story),
            title: backlog
                .get(item.story)
                .map_or(item.before.title.as_str(), |story| story.title.as_str()),
        })
        .collect();
    let mut out = String::new();
    header(&mut out, meeting, backlog, now, offset, stories.len());
    discussed(&mut out, meeting, &stories, now);
    estimates(&mut out, &stories, scale);
    section(&mut out, "Made ready", &stories, made_ready);
    changes(&mut out, meeting, &stories, backlog);
    talk(&mut out, &stories, (meeting.started, now));
    parking_lot(&mut out, meeting, backlog);
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// What changed in the stories discussed: status, criteria, rank,
/// splits, removals.
fn changes(out: &mut String, meeting: &Meeting, stories: &[Discussed], backlog: &Backlog) {
    section(out, "Other status changes", stories, |story, out| {
        let (before, now) = (story.item.before.status, story.now?.status);
        (before != now && now != Status::Ready).then(|| {
            let _ = write!(out, "{} → {}", before.as_str(), now.as_str());
        })
    });
    section(out, "Acceptance criteria added", stories, |story, out| {
        let added: Vec<&str> = story
            .now?
            .acceptance_criteria
            .iter()
            .filter(|c| {
                !story
                    .item
                    .before
                    .acceptance_criteria
                    .iter()
                    .any(|b| b.text == c.text)
            })
            .map(|c| c.text.as_str())
            .collect();
        sub_list(out, added)
    });
    section(
        out,
        "Acceptance criteria checked off",
        stories,
        |story, out| {
            let checked: Vec<&str> = story
                .now?
                .acceptance_criteria
                .iter()
                .filter(|c| {
                    c.done
                        && story
                            .item
                            .before
                            .acceptance_criteria
                            .iter()
                            .any(|b| b.text == c.text && !b.done)
                })
                .map(|c| c.text.as_str())
                .collect();
            sub_list(out, checked)
        },
    );
    section(out, "Rank changes", stories, |story, out| {
        let (from, to) = rank_change(story, meeting, backlog)?;
        let _ = write!(out, "#{from} → #{to}");
        Some(())
    });
    section(out, "Splits", stories, |story, out| {
        let new: Vec<String> = story
            .now?
            .split_into
            .iter()
            .filter(|id| !story.item.before.split_into.contains(id))
            .map(|id| match backlog.get(*id) {
                Some(part) => format!("{id} {}", part.title),
                None => id.to_string(),
            })
            .collect();
        (!new.is_empty()).then(|| {
            let _ = write!(out, "split off {}", new.join("; "));
        })
    });
    section(out, "Removed from the backlog", stories, |story, out| {
        story.now.is_none().then(|| out.push_str("removed"))
    });
}

/// Where the meeting moved a story in the ranking: from its place when
/// the meeting took it up to that place less the stories it passed (or
/// plus those that passed it). Only the stories there before the meeting
/// and still there count: a story split off or removed around it is no
/// change of its rank, and neither is a move the meeting later undid by
/// moving another story back past it. `None` when it stands where it
/// stood.
fn rank_change(story: &Discussed, meeting: &Meeting, backlog: &Backlog) -> Option<(usize, usize)> {
    story.item.moved.as_ref()?;
    let (item, now) = (story.item, story.now?);
    if now.rank == item.before.rank {
        return None;
    }
    let (mut ahead_before, mut ahead_now) = (0, 0);
    for other in backlog.ranked() {
        if other.id == now.id || other.created >= meeting.started {
            continue;
        }
        // The meeting moves only stories on its agenda, each of which
        // keeps its key from before; every other story's is as it was.
        let key_before = meeting
            .item(other.id)
            .map_or(&other.rank, |item| &item.before.rank);
        ahead_before += usize::from((key_before, other.id) < (&item.before.rank, now.id));
        ahead_now += usize::from((&other.rank, other.id) < (&now.rank, now.id));
    }
    let from = item.place_before;
    let to = (from + ahead_now).checked_sub(ahead_before)?;
    (to != from).then_some((from, to))
}

/// What was said on them: decisions, questions answered and still open,
/// comments, made during the meeting (`window`).
fn talk(out: &mut String, stories: &[Discussed], window: (DateTime<Utc>, DateTime<Utc>)) {
    section(out, "Decisions", stories, |story, out| {
        let texts: Vec<String> = new_comments(story, window)
            .filter(|c| c.decision)
            .map(signed)
            .collect();
        sub_list(out, texts.iter().map(String::as_str).collect())
    });
    section(out, "Questions answered", stories, |story, out| {
        let answered: Vec<String> = story
            .now?
            .comments
            .iter()
            .filter(|c| c.question)
            .filter_map(|c| {
                let resolved = c.resolved.as_ref()?;
                (resolved.at >= window.0 && resolved.at <= window.1).then(|| {
                    let answer = c
                        .answer
                        .as_deref()
                        .unwrap_or("(resolved without an answer)");
                    format!(
                        "{}\n- Answer ({}): {}",
                        c.text.trim(),
                        resolved.by,
                        indented(answer, "  ")
                    )
                })
            })
            .collect();
        sub_list(out, answered.iter().map(String::as_str).collect())
    });
    section(out, "Open questions", stories, |story, out| {
        let open: Vec<String> = new_comments(story, window)
            .filter(|c| c.is_open_question())
            .map(signed)
            .collect();
        sub_list(out, open.iter().map(String::as_str).collect())
    });
    section(out, "Comments", stories, |story, out| {
        let plain: Vec<String> = new_comments(story, window)
            .filter(|c| !c.question && !c.decision)
            .map(signed)
            .collect();
        sub_list(out, plain.iter().map(String::as_str).collect())
    });
}

/// A story the meeting discussed: its agenda item, and the story as the
/// backlog has it now (none once removed).
struct Discussed<'a> {
    item: &'a Item,
    now: Option<&'a Story>,
    title: &'a str,
}

fn header(
    out: &mut String,
    meeting: &Meeting,
    backlog: &Backlog,
    now: DateTime<Utc>,
    offset: FixedOffset,
    discussed: usize,
) {
    let start = meeting.started.with_timezone(&offset);
    let end = now.with_timezone(&offset);
    let elapsed = meeting.elapsed(now);
    let _ = writeln!(
        out,
        "# Refinement meeting · {}, {}–{} ({})\n",
        start.format("%a %-d %b %Y"),
        start.format("%H:%M"),
        end.format("%H:%M"),
        minutes(elapsed)
    );
    let product = backlog.product.name.trim();
    let product = if product.is_empty() {
        String::new()
    } else {
        format!(" for {product}")
    };
    let _ = writeln!(
        out,
        "Run by {}{product}. {} in {}, against {} planned; each story had {}.\n",
        meeting.facilitator,
        crate::words::count(discussed, "story", "stories") + " discussed",
        minutes(elapsed),
        minutes(Duration::minutes(meeting.meeting_minutes)),
        minutes(Duration::minutes(meeting.story_minutes)),
    );
}

fn discussed(out: &mut String, meeting: &Meeting, stories: &[Discussed], now: DateTime<Utc>) {
    out.push_str("## Stories discussed\n\n");
    let timebox = Timebox::minutes(meeting.story_minutes);
    for story in stories {
        let spent = story.item.spent.spent(now);
        let left = timebox.left(spent);
        let over = if left.ran_out() && spent > timebox.limit {
            format!(" ({left})")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "- **{}** {} · {}{over}",
            story.item.story,
            story.title,
            clock(spent)
        );
    }
    out.push('\n');
}

fn estimates(out: &mut String, stories: &[Discussed], scale: Scale) {
    let mut body = String::new();
    for story in stories {
        let before = story.item.before.points;
        let played = !story.item.rounds.is_empty();
        let change = match story.now.map(|now| now.points) {
            // Its estimate went with it: only rounds played are worth telling.
            None if played => "removed from the backlog".to_string(),
            Some(now) if now != before => {
                format!("{} → {}", estimate(scale, before), estimate(scale, now))
            }
            Some(Some(points)) if played => format!("{}, unchanged", estimate(scale, Some(points))),
            Some(None) if played => "no estimate agreed".to_string(),
            _ => continue,
        };
        let _ = writeln!(body, "- **{}** {}: {change}", story.item.story, story.title);
        for (n, round) in story.item.rounds.iter().enumerate() {
            let _ = writeln!(body, "  - Round {}: {}", n + 1, round_text(round, scale));
        }
    }
    if !body.is_empty() {
        let _ = write!(out, "## Estimates\n\n{body}\n");
    }
}

/// A round as the minutes tell it: the cards, the median, and who spoke
/// first.
fn round_text(round: &Round, scale: Scale) -> String {
    let cards: Vec<String> = round.votes.iter().map(|p| scale.label(*p)).collect();
    let spread = round.spread(scale);
    let median =
        Points::new(spread.median).map_or_else(|_| spread.median.to_string(), |p| scale.label(p));
    if spread.consensus {
        format!("{} (consensus)", cards.join(" "))
    } else {
        format!(
            "{} (median {median}; spread {}–{})",
            cards.join(" "),
            label(scale, spread.lowest),
            label(scale, spread.highest),
        )
    }
}

fn label(scale: Scale, value: f64) -> String {
    Points::new(value).map_or_else(|_| value.to_string(), |p| scale.label(p))
}

/// An estimate, or "none".
fn estimate(scale: Scale, points: Option<Points>) -> String {
    match points {
        None => "none".to_string(),
        Some(p) if scale == Scale::TShirt => scale.label(p),
        Some(p) if scale.label(p) == "1" => "1 point".to_string(),
        Some(p) => format!("{} points", scale.label(p)),
    }
}

fn made_ready(story: &Discussed, out: &mut String) -> Option<()> {
    let now = story.now?;
    if story.item.before.status == Status::Ready || now.status != Status::Ready {
        return None;
    }
    match &now.ready_override {
        Some(done) if story.item.before.ready_override.as_ref() != Some(done) => {
            let _ = write!(
                out,
                "set ready by {} although it lacked: {}",
                done.by,
                done.missing.join("; ")
            );
        }
        _ => out.push_str("meets the Definition of Ready"),
    }
    Some(())
}

/// A section of the minutes with a line for each story `line` has
/// something to say of (it writes what follows the story's name, and
/// returns `None` when it has nothing); left out when none has.
fn section(
    out: &mut String,
    heading: &str,
    stories: &[Discussed],
    mut line: impl FnMut(&Discussed, &mut String) -> Option<()>,
) {
    let mut body = String::new();
    for story in stories {
        let mut text = String::new();
        if line(story, &mut text).is_some() && !text.is_empty() {
            let sep = if text.starts_with('\n') { ":" } else { ": " };
            let _ = writeln!(
                body,
                "- **{}** {}{sep}{text}",
                story.item.story, story.title
            );
        }
    }
    if !body.is_empty() {
        let _ = write!(out, "## {heading}\n\n{body}\n");
    }
}

/// Texts as a list under the story's line; `None` when there are none.
fn sub_list(out: &mut String, texts: Vec<&str>) -> Option<()> {
    if texts.is_empty() {
        return None;
    }
    for text in texts {
        let _ = write!(out, "\n  - {}", indented(text.trim(), "    "));
    }
    Some(())
}

/// `text` with every line after the first indented by `indent`, so a
/// comment of several lines stays in its list item.
fn indented(text: &str, indent: &str) -> String {
    text.trim()
        .lines()
        .collect::<Vec<_>>()
        .join(&format!("\n{indent}"))
}

/// The comments made on a story during the meeting (`window`), oldest
/// first.
fn new_comments<'a>(
    story: &'a Discussed,
    window: (DateTime<Utc>, DateTime<Utc>),
) -> impl Iterator<Item = &'a Comment> {
    story
        .now
        .into_iter()
        .flat_map(|s| &s.comments)
        .filter(move |c| c.at >= window.0 && c.at <= window.1)
}

/// A comment's text and who said it.
fn signed(comment: &Comment) -> String {
    format!("{} ({})", comment.text.trim(), comment.author)
}

fn parking_lot(out: &mut String, meeting: &Meeting, backlog: &Backlog) {
    if meeting.parking_lot().is_empty() {
        return;
    }
    out.push_str("## Parking lot\n\n");
    for parked in meeting.parking_lot() {
        let during = parked.during.map_or(String::new(), |id| {
            let title = backlog
                .get(id)
                .map_or(String::new(), |s| format!(" {}", s.title));
            format!(" (came up on {id}{title})")
        });
        let _ = writeln!(out, "- {}{during}", indented(&parked.text, "  "));
    }
    out.push('\n');
}

/// A length of time in whole minutes, rounded: "35 min", "1 h 05 min".
fn minutes(time: Duration) -> String {
    let minutes = (time.num_seconds().max(0) + 30) / 60;
    match minutes {
        0 => "under a minute".to_string(),
        m if m < 60 => format!("{m} min"),
        m if m % 60 == 0 => format!("{} h", m / 60),
        m => format!("{} h {:02} min", m / 60, m % 60),
    }
}
