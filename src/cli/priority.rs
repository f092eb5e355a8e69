//! Prioritisation from the command line: `score` weighs stories with a
//! framework and says why, `rank` proposes the order the framework gives
//! (and, with `--apply`, puts the backlog in it as one change), `link`
//! says which stories block which.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, Utc};
use clap::Args;
use serde::Serialize;

use super::{count, note, update_if_changed};
use crate::interchange::json;
use crate::model::{Backlog, ModelError, Story, StoryId, StoryPatch};
use crate::priority::{self, Explanation, Framework, Score, Scoring};
use crate::store;
use crate::text::one_line;
use crate::words::number;

/// `backlog score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The framework: wsjf, rice, ice, moscow, value-effort, cd3 or weighted
    #[arg(long, value_name = "FRAMEWORK", default_value = "wsjf")]
    pub by: Framework,
    /// Only these stories (ids such as S-12); all open stories when none
    pub ids: Vec<StoryId>,
    /// Show each score term by term: every input, its weight and the result
    #[arg(long)]
    pub explain: bool,
    /// Include done and rejected stories
    #[arg(long)]
    pub all: bool,
    /// Print JSON (see the README for its fields)
    #[arg(long)]
    pub json: bool,
}

/// `backlog rank`.
#[derive(Debug, Args)]
pub struct RankArgs {
    /// The framework: wsjf, rice, ice, moscow, value-effort, cd3 or weighted
    #[arg(long, value_name = "FRAMEWORK")]
    pub by: Framework,
    /// Put the backlog in the proposed order, as one change; without it,
    /// nothing changes
    #[arg(long)]
    pub apply: bool,
    /// Print JSON (see the README for its fields)
    #[arg(long)]
    pub json: bool,
}

/// `backlog link`.
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The story's id, e.g. S-12
    pub id: StoryId,
    /// A story that must be done before this one (repeat for more)
    #[arg(long, value_name = "ID")]
    pub blocked_by: Vec<StoryId>,
    /// A story that must wait for this one (repeat for more)
    #[arg(long, value_name = "ID")]
    pub blocks: Vec<StoryId>,
    /// Take away the link with this story, whichever way it goes (repeat
    /// for more)
    #[arg(long, value_name = "ID")]
    pub unlink: Vec<StoryId>,
}

/// One story of `score --json`.
#[derive(Serialize)]
struct ScoreJson<'a> {
    rank: usize,
    id: StoryId,
    title: &'a str,
    status: crate::model::Status,
    /// `scored`, `unscored` or `invalid`.
    result: &'static str,
    score: Option<f64>,
    class: Option<&'static str>,
    missing: &'a [&'static str],
    why: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    terms: Option<Vec<TermJson<'a>>>,
}

#[derive(Serialize)]
struct TermJson<'a> {
    name: &'a str,
    value: Option<&'a str>,
    weight: Option<f64>,
    adds: Option<f64>,
}

#[derive(Serialize)]
struct ScoresJson<'a> {
    framework: &'static str,
    formula: String,
    stories: Vec<ScoreJson<'a>>,
    warning: Option<String>,
}

/// A scored story, as `score` lists it.
struct Scored<'a> {
    rank: usize,
    story: &'a Story,
    score: Score,
    why: Option<Explanation>,
}

pub(super) fn score(
    args: &ScoreArgs,
    path: &Path,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<()> {
    let backlog = store::load(path)?.backlog;
    for &id in &args.ids {
        backlog.get(id).ok_or(ModelError::UnknownStory(id))?;
    }
    let scoring = Scoring::of(&backlog, now);
    let mut rows: Vec<Scored> = backlog
        .ranked()
        .enumerate()
        .filter(|(_, s)| {
            if args.ids.is_empty() {
                args.all || s.status.is_open()
            } else {
                args.ids.contains(&s.id)
            }
        })
        .map(|(rank, story)| Scored {
            rank: rank + 1,
            story,
            score: priority::score(args.by, story, &scoring),
            why: args
                .explain
                .then(|| priority::explain(args.by, story, &scoring)),
        })
        .collect();
    rows.sort_by(listed_first);
    let warning = (args.by == Framework::Moscow)
        .then(|| priority::must_share(backlog.ranked()).warning())
        .flatten();
    let settings = &backlog.product.settings.priority;
    if args.json {
        let stories = rows.iter().map(score_json).collect();
        let shown = ScoresJson {
            framework: args.by.key(),
            formula: args.by.formula(settings),
            stories,
            warning,
        };
        writeln!(out, "{}", json::pretty(&shown)?)?;
        return Ok(());
    }
    out.write_all(score_text(args, settings, &rows, warning.as_deref()).as_bytes())?;
    Ok(())
}

/// Best first, ties in rank order; then the unscored and those that
/// cannot be scored, in rank order.
fn listed_first(a: &Scored, b: &Scored) -> std::cmp::Ordering {
    let kind = |s: &Score| match s {
        Score::Scored { .. } => 0,
        Score::Unscored { .. } => 1,
        Score::Invalid(_) => 2,
    };
    kind(&a.score)
        .cmp(&kind(&b.score))
        .then_with(|| a.score.best_first(&b.score))
        .then(a.rank.cmp(&b.rank))
}

/// What `score` prints for people.
fn score_text(
    args: &ScoreArgs,
    settings: &crate::model::PrioritySettings,
    rows: &[Scored],
    warning: Option<&str>,
) -> String {
    let mut text = format!("{}: {}\n", args.by.name(), args.by.formula(settings));
    let scored: Vec<&Scored> = rows.iter().filter(|r| r.score.value().is_some()).collect();
    if !scored.is_empty() {
        let width = scored
            .iter()
            .map(|r| r.score.short().chars().count())
            .max()
            .unwrap_or(0)
            .max("Score".len());
        let _ = writeln!(
            text,
            "\n{:>5}  {:<7} {:<width$}  Title",
            "Rank", "Id", "Score"
        );
        for row in &scored {
            let _ = writeln!(
                text,
                "{:>5}  {:<7} {:<width$}  {}",
                row.rank,
                row.story.id.to_string(),
                row.score.short(),
                one_line(&row.story.title)
            );
        }
    }
    // Stories missing the same inputs are listed together: a framework
    // new to a backlog leaves most stories lacking all of them.
    let mut lacking: Vec<(&[&'static str], Vec<String>)> = Vec::new();
    let mut invalid = Vec::new();
    for row in rows {
        match &row.score {
            Score::Unscored { missing } => {
                let id = row.story.id.to_string();
                match lacking.iter_mut().find(|(m, _)| *m == missing.as_slice()) {
                    Some((_, ids)) => ids.push(id),
                    None => lacking.push((missing.as_slice(), vec![id])),
                }
            }
            Score::Invalid(why) => {
                invalid.push(format!("  {} cannot be scored: {why}", row.story.id));
            }
            Score::Scored { .. } => {}
        }
    }
    let unscored = lacking.iter().map(|(_, ids)| ids.len()).sum::<usize>() + invalid.len();
    if unscored > 0 {
        let _ = writeln!(
            text,
            "\nUnscored: {} (they keep their place)",
            count(unscored, "story", "stories")
        );
        for (missing, ids) in &lacking {
            let _ = writeln!(text, "  needing {}: {}", missing.join(", "), ids.join(", "));
        }
        for line in &invalid {
            let _ = writeln!(text, "{line}");
        }
    }
    if rows.is_empty() {
        text.push_str("\nNo stories to score.\n");
    }
    for row in rows {
        if let Some(why) = &row.why {
            let _ = writeln!(
                text,
                "\n{} {}\n{why}",
                row.story.id,
                one_line(&row.story.title)
            );
        }
    }
    if let Some(warning) = warning {
        let _ = writeln!(text, "\nWarning: {warning}");
    }
    text
}

fn score_json<'a>(row: &'a Scored) -> ScoreJson<'a> {
    let (result, missing, why): (_, &[&'static str], _) = match &row.score {
        Score::Scored { .. } => ("scored", &[], None),
        Score::Unscored { missing } => ("unscored", missing, None),
        Score::Invalid(why) => ("invalid", &[], Some(why.as_str())),
    };
    let class = match &row.score {
        Score::Scored {
            class: Some(class), ..
        } => Some(class.name),
        _ => None,
    };
    ScoreJson {
        rank: row.rank,
        id: row.story.id,
        title: &row.story.title,
        status: row.story.status,
        result,
        score: row.score.value(),
        class,
        missing,
        why,
        terms: row.why.as_ref().map(|why| {
            why.lines
                .iter()
                .map(|line| TermJson {
                    name: &line.name,
                    value: line.value.as_deref(),
                    weight: line.weight,
                    adds: line.adds,
                })
                .collect()
        }),
    }
}

/// One move of `rank --json`.
#[derive(Serialize)]
struct MoveJson<'a> {
    id: StoryId,
    title: &'a str,
    from: usize,
    to: usize,
    score: Option<f64>,
}

#[derive(Serialize)]
struct RankJson<'a> {
    framework: &'static str,
    applied: bool,
    moves: Vec<MoveJson<'a>>,
}

pub(super) fn rank(
    args: &RankArgs,
    path: &Path,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<()> {
    let name = args.by.name();
    // What the proposal was when it was made: under the lock when it is
    // applied, so it is made from the file as it is then.
    let proposed = |b: &Backlog| {
        let proposal = priority::propose(b, args.by, &Scoring::of(b, now));
        let moves: Vec<(StoryId, usize, usize, Option<f64>)> = proposal
            .moves(b)
            .map(|m| (m.id, m.now, m.then, proposal.scores[m.now].value()))
            .collect();
        (proposal, moves)
    };
    let (backlog, moves, applied) = if args.apply {
        let mut moves = Vec::new();
        // The file as read under the lock, when it is in the order
        // already: not read again.
        let mut unchanged = None;
        let applied = update_if_changed(path, |b| {
            let (proposal, found) = proposed(b);
            moves = found;
            if proposal.is_manual() {
                unchanged = Some(b.clone());
                return Ok(None);
            }
            b.reorder(&proposal.ids(b))?;
            Ok(Some(b.clone()))
        })?;
        match applied {
            Some(b) => (b, moves, true),
            None => (
                unchanged.expect("a proposal found in order keeps the backlog"),
                moves,
                false,
            ),
        }
    } else {
        let backlog = store::load(path)?.backlog;
        let (_, moves) = proposed(&backlog);
        (backlog, moves, false)
    };
    // In the order proposed, as a reader checks it.
    let mut moves = moves;
    moves.sort_by_key(|&(_, _, to, _)| to);
    let title = |id: StoryId| backlog.get(id).map_or("", |s| s.title.as_str());
    if args.json {
        let shown = RankJson {
            framework: args.by.key(),
            applied,
            moves: moves
                .iter()
                .map(|&(id, from, to, score)| MoveJson {
                    id,
                    title: title(id),
                    from: from + 1,
                    to: to + 1,
                    score,
                })
                .collect(),
        };
        writeln!(out, "{}", json::pretty(&shown)?)?;
        return Ok(());
    }
    if moves.is_empty() {
        writeln!(out, "The backlog is in {name}'s order already.")?;
        return Ok(());
    }
    let mut text = if applied {
        format!(
            "Reordered by {name}: {} moved.\n",
            count(moves.len(), "story", "stories")
        )
    } else {
        format!(
            "{name} would move {} of {}:\n",
            count(moves.len(), "story", "stories"),
            backlog.len()
        )
    };
    for (id, from, to, score) in moves {
        let arrow = priority::movement(from, to);
        let _ = writeln!(
            text,
            "  {:<7} {:>5} → {:<5} {:<6} {:<8} {}",
            id.to_string(),
            from + 1,
            to + 1,
            arrow,
            score.map_or_else(|| "unscored".to_string(), number),
            one_line(title(id))
        );
    }
    if !applied {
        text.push_str("Nothing changed: run with --apply to put the backlog in this order.\n");
    }
    out.write_all(text.as_bytes())?;
    Ok(())
}

pub(super) fn link(
    args: &LinkArgs,
    path: &Path,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<()> {
    let id = args.id;
    if let Some(both) = args.blocked_by.iter().find(|b| args.blocks.contains(b)) {
        bail!("{id} cannot both wait for {both} and block it: that is a loop");
    }
    if let Some(both) = args
        .unlink
        .iter()
        .find(|u| args.blocked_by.contains(u) || args.blocks.contains(u))
    {
        bail!("{both} cannot be both linked and unlinked");
    }
    let changes = !(args.blocked_by.is_empty() && args.blocks.is_empty() && args.unlink.is_empty());
    let backlog = if changes {
        // The file as read under the lock, when the links were so already:
        // not read again.
        let mut unchanged = None;
        let changed = update_if_changed(path, |b| {
            if !make_links(b, args, now)? {
                unchanged = Some(b.clone());
                return Ok(None);
            }
            Ok(Some(b.clone()))
        })?;
        if let Some(b) = changed {
            b
        } else {
            note("nothing changed: the links were so already");
            unchanged.expect("a change that found nothing to do keeps the backlog")
        }
    } else {
        store::load(path)?.backlog
    };
    let story = backlog.get(id).ok_or(ModelError::UnknownStory(id))?;
    let named = |ids: &[StoryId]| -> String {
        ids.iter()
            .map(|&other| match backlog.get(other) {
                Some(s) if s.status.is_open() => format!("{other} {}", one_line(&s.title)),
                Some(s) => format!("{other} {} ({})", one_line(&s.title), s.status),
                None => format!("{other} (deleted)"),
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut text = String::new();
    if story.blocked_by.is_empty() {
        let _ = writeln!(text, "{id} is blocked by no story");
    } else {
        let _ = writeln!(text, "{id} is blocked by {}", named(&story.blocked_by));
    }
    let blocks = backlog.blocks(id);
    if blocks.is_empty() {
        let _ = writeln!(text, "{id} blocks no story");
    } else {
        let _ = writeln!(text, "{id} blocks {}", named(&blocks));
    }
    let below = backlog.blockers_below(story);
    if !below.is_empty() {
        let ids: Vec<String> = below.iter().map(ToString::to_string).collect();
        note(&format!(
            "{id} is ranked above {}, which it waits for",
            ids.join(", ")
        ));
    }
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// Make the links `args` asks for on `b`: whether any changed.
fn make_links(b: &mut Backlog, args: &LinkArgs, now: DateTime<Utc>) -> Result<bool> {
    let id = args.id;
    b.get(id).ok_or(ModelError::UnknownStory(id))?;
    // A story unlinked may be gone (a merged file can still name
    // it): only the link on this side is left to take away.
    let unlinked: Vec<StoryId> = args
        .unlink
        .iter()
        .copied()
        .filter(|&other| b.get(other).is_some())
        .collect();
    let touched: Vec<StoryId> = std::iter::once(id)
        .chain(args.blocks.iter().copied())
        .chain(unlinked.iter().copied())
        .collect();
    // An edit that changes nothing keeps the very same story.
    let before: Vec<Option<Arc<Story>>> = touched.iter().map(|&t| b.get_arc(t).cloned()).collect();
    let patch = StoryPatch {
        add_blocked_by: args.blocked_by.clone(),
        remove_blocked_by: args.unlink.clone(),
        ..StoryPatch::default()
    };
    b.edit(id, &patch, now).map_err(|e| link_refused(&e))?;
    for &other in args.blocks.iter().chain(&unlinked) {
        let patch = StoryPatch {
            add_blocked_by: if args.blocks.contains(&other) {
                vec![id]
            } else {
                Vec::new()
            },
            remove_blocked_by: if args.unlink.contains(&other) {
                vec![id]
            } else {
                Vec::new()
            },
            ..StoryPatch::default()
        };
        b.edit(other, &patch, now).map_err(|e| link_refused(&e))?;
    }
    let same = touched
        .iter()
        .zip(&before)
        .all(|(&t, was)| match (b.get_arc(t), was) {
            (Some(now), Some(was)) => Arc::ptr_eq(now, was),
            _ => false,
        });
    Ok(!same)
}

fn link_refused(e: &ModelError) -> anyhow::Error {
    anyhow!("{e}; nothing changed")
}
