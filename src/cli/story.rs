//! Commands that change stories: add, edit, split, comment, resolve, move.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use chrono::{DateTime, Utc};
use clap::Args;

use super::{LocatedError, note, update, update_if_changed};
use crate::config;
use crate::interchange::document;
use crate::model::{
    Backlog, Comment, Criterion, Input, InputValue, ModelError, Move, Placement, Points, Stamp,
    Status, Story, StoryId, StoryPatch,
};
use crate::text::one_line;
use crate::words::capitalised;

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The story's title, at most 255 characters
    pub title: String,
    /// Estimate in story points
    #[arg(long, value_name = "N", conflicts_with = "estimate")]
    pub points: Option<Points>,
    /// Estimate on the backlog's scale: points, ½, or a size XS, S, M, L, XL
    #[arg(long, value_name = "E")]
    pub estimate: Option<String>,
    /// draft (the default), ready, in-progress, done or rejected; ready is
    /// refused, with the reasons, when the story fails the Definition of Ready
    #[arg(long, value_name = "S")]
    pub status: Option<Status>,
    /// Set the status to ready although the story fails the Definition of
    /// Ready; the override is recorded with your name from the config file
    #[arg(long)]
    pub force: bool,
    /// A label (repeat for more)
    #[arg(long = "label", value_name = "L")]
    pub labels: Vec<String>,
    /// The epic the story belongs to (named in any case; it must exist)
    #[arg(long, value_name = "E", conflicts_with = "new_epic")]
    pub epic: Option<String>,
    /// Put the story in a new epic, made now in the first colour no epic has
    #[arg(long, value_name = "NAME")]
    pub new_epic: Option<String>,
    #[command(flatten)]
    pub user_story: UserStoryArgs,
    /// A longer description
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// An acceptance criterion (repeat for more)
    #[arg(long = "criterion", value_name = "TEXT")]
    pub criteria: Vec<String>,
    /// Put the story at the top instead of the bottom
    #[arg(long, conflicts_with = "after")]
    pub top: bool,
    /// Put the story right after this one
    #[arg(long, value_name = "ID")]
    pub after: Option<StoryId>,
}

/// The three parts of the user-story sentence, for `add` and `edit`.
#[derive(Debug, Args)]
pub struct UserStoryArgs {
    /// Who wants it: "As a …"
    #[arg(long, value_name = "WHO")]
    pub as_a: Option<String>,
    /// What they want: "I want …"
    #[arg(long, value_name = "WHAT")]
    pub i_want: Option<String>,
    /// Why: "so that …"
    #[arg(long, value_name = "WHY")]
    pub so_that: Option<String>,
}

impl UserStoryArgs {
    /// Put what was given into `patch`.
    fn fill(&self, patch: &mut StoryPatch) {
        patch.as_a.clone_from(&self.as_a);
        patch.i_want.clone_from(&self.i_want);
        patch.so_that.clone_from(&self.so_that);
    }
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The story's id, e.g. S-12
    pub id: StoryId,
    /// Read the whole story from a Markdown document, as `backlog show`
    /// prints it (`-` reads standard input)
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = [
            "title", "points", "estimate", "no_points", "status", "label", "unlabel",
            "labels", "epic", "new_epic", "no_epic", "as_a", "i_want", "so_that", "description",
            "criteria", "check", "uncheck", "remove_criterion", "set", "unset",
        ]
    )]
    pub from_file: Option<PathBuf>,
    /// A new title, at most 255 characters
    #[arg(long)]
    pub title: Option<String>,
    /// Estimate in story points
    #[arg(long, value_name = "N", conflicts_with_all = ["no_points", "estimate"])]
    pub points: Option<Points>,
    /// Estimate on the backlog's scale: points, ½, or a size XS, S, M, L, XL
    #[arg(long, value_name = "E", conflicts_with = "no_points")]
    pub estimate: Option<String>,
    /// Remove the estimate
    #[arg(long, visible_alias = "no-estimate")]
    pub no_points: bool,
    /// draft, ready, in-progress, done or rejected
    #[arg(long, value_name = "S")]
    pub status: Option<Status>,
    /// Set the status to ready although the story fails the Definition of
    /// Ready; the override is recorded with your name from the config file
    #[arg(long)]
    pub force: bool,
    /// Add a label (repeat for more)
    #[arg(long, value_name = "L")]
    pub label: Vec<String>,
    /// Remove a label (repeat for more)
    #[arg(long, value_name = "L")]
    pub unlabel: Vec<String>,
    /// Replace all labels with these, comma-separated ("" for none)
    #[arg(long, value_name = "A,B")]
    pub labels: Option<String>,
    /// Put the story in this epic (named in any case; it must exist)
    #[arg(long, value_name = "E", conflicts_with_all = ["no_epic", "new_epic"])]
    pub epic: Option<String>,
    /// Put the story in a new epic, made now in the first colour no epic has
    #[arg(long, value_name = "NAME", conflicts_with = "no_epic")]
    pub new_epic: Option<String>,
    /// Take the story out of its epic
    #[arg(long)]
    pub no_epic: bool,
    #[command(flatten)]
    pub user_story: UserStoryArgs,
    /// Replace the description
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Add an acceptance criterion (repeat for more)
    #[arg(long = "criterion", value_name = "TEXT")]
    pub criteria: Vec<String>,
    /// Mark acceptance criterion N done (1-based; repeat for more)
    #[arg(long, value_name = "N")]
    pub check: Vec<usize>,
    /// Mark acceptance criterion N not done (1-based; repeat for more)
    #[arg(long, value_name = "N")]
    pub uncheck: Vec<usize>,
    /// Remove acceptance criterion N (1-based, as numbered before this
    /// edit; repeat for more)
    #[arg(long, value_name = "N")]
    pub remove_criterion: Vec<usize>,
    /// Set a prioritisation input, INPUT=VALUE, on its framework's scale
    /// (repeat for more): value, time-criticality, risk-reduction and
    /// job-size (WSJF); reach, impact, confidence and effort (RICE);
    /// ice-impact, ice-confidence and ease (ICE); moscow; cost-of-delay
    /// and duration (CD3)
    #[arg(long, value_name = "INPUT=VALUE")]
    pub set: Vec<String>,
    /// Clear a prioritisation input (repeat for more)
    #[arg(long, value_name = "INPUT")]
    pub unset: Vec<Input>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("where").required(true).multiple(false)))]
pub struct MoveArgs {
    /// The story's id, e.g. S-12
    pub id: StoryId,
    /// One place up
    #[arg(long, group = "where")]
    pub up: bool,
    /// One place down
    #[arg(long, group = "where")]
    pub down: bool,
    /// To the top
    #[arg(long, group = "where")]
    pub top: bool,
    /// To the bottom
    #[arg(long, group = "where")]
    pub bottom: bool,
    /// Right before this story
    #[arg(long, group = "where", value_name = "ID")]
    pub before: Option<StoryId>,
    /// Right after this story
    #[arg(long, group = "where", value_name = "ID")]
    pub after: Option<StoryId>,
    /// To this 1-based position
    #[arg(long, group = "where", value_name = "N")]
    pub to: Option<usize>,
}

#[derive(Debug, Args)]
pub struct SplitArgs {
    /// The story to split, e.g. S-12
    pub id: StoryId,
    /// The new story's title, at most 255 characters
    #[arg(long)]
    pub title: String,
    /// Acceptance criteria that move to the new story (1-based, comma-separated)
    #[arg(long, value_name = "N,M", value_delimiter = ',')]
    pub criteria: Vec<usize>,
}

#[derive(Debug, Args)]
pub struct CommentArgs {
    /// The story's id, e.g. S-12
    pub id: StoryId,
    /// What you have to say, over several lines if need be; with --edit,
    /// the comment's new text
    pub text: String,
    /// Ask a question: an open question keeps the story from being ready
    #[arg(long, conflicts_with = "decision")]
    pub question: bool,
    /// Record a decision the team took
    #[arg(long)]
    pub decision: bool,
    /// Change the text of comment N (as `backlog show` numbers the
    /// comments) instead of adding one; only its author may
    #[arg(long, value_name = "N", conflicts_with_all = ["question", "decision"])]
    pub edit: Option<usize>,
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// The story's id, e.g. S-12
    pub id: StoryId,
    /// The question's number, as `backlog show` lists the comments
    pub number: usize,
    /// Open the question again (its answer, if it had one, goes)
    #[arg(long)]
    pub reopen: bool,
    /// The question's answer, over several lines if need be
    #[arg(long, value_name = "TEXT", conflicts_with = "reopen")]
    pub answer: Option<String>,
}

impl MoveArgs {
    fn target(&self) -> Move {
        match (self.before, self.after, self.to) {
            (Some(id), _, _) => Move::Before(id),
            (_, Some(id), _) => Move::After(id),
            (_, _, Some(n)) => Move::To(n),
            _ if self.up => Move::Up,
            _ if self.down => Move::Down,
            _ if self.top => Move::Top,
            _ => Move::Bottom,
        }
    }
}

impl EditArgs {
    /// The change the flags ask for, apart from the parts that depend on
    /// the backlog (the estimate's scale, criteria by number).
    fn plain_patch(&self) -> StoryPatch {
        let mut patch = StoryPatch {
            title: self.title.clone(),
            description: self.description.clone(),
            points: if self.no_points {
                Some(None)
            } else {
                self.points.map(Some)
            },
            status: self.status,
            add_labels: self.label.clone(),
            remove_labels: self.unlabel.clone(),
            // The model splits labels on commas.
            labels: self.labels.clone().map(|all| vec![all]),
            epic: if self.no_epic {
                Some(None)
            } else {
                self.epic
                    .clone()
                    .or_else(|| self.new_epic.clone())
                    .map(Some)
            },
            new_epic: self.new_epic.is_some(),
            add_criteria: self.criteria.clone(),
            ..StoryPatch::default()
        };
        self.user_story.fill(&mut patch);
        patch
    }

    fn changes_nothing(&self) -> bool {
        self.plain_patch() == StoryPatch::default()
            && self.set.is_empty()
            && self.unset.is_empty()
            && self.estimate.is_none()
            && self.check.is_empty()
            && self.uncheck.is_empty()
            && self.remove_criterion.is_empty()
    }

    /// The full change, read against the story as it is in `backlog`.
    fn patch(&self, backlog: &Backlog) -> Result<StoryPatch> {
        let mut patch = self.plain_patch();
        if let Some(estimate) = &self.estimate {
            patch.points = Some(Some(estimate_on_scale(estimate, backlog)?));
        }
        let story = backlog
            .get(self.id)
            .ok_or(ModelError::UnknownStory(self.id))?;
        patch.criteria = self.criteria_change(story)?;
        patch.inputs = self.inputs_change(backlog)?;
        Ok(patch)
    }

    /// The inputs `--set` and `--unset` ask for, each read on its scale
    /// as the backlog sets it.
    fn inputs_change(&self, backlog: &Backlog) -> Result<Vec<(Input, Option<InputValue>)>> {
        let settings = &backlog.product.settings.priority;
        let mut inputs = Vec::new();
        for said in &self.set {
            let Some((key, value)) = said.split_once('=') else {
                bail!("--set {said}: give INPUT=VALUE, e.g. --set job-size=5");
            };
            let input: Input = key.parse().map_err(|e| anyhow!("--set {said}: {e}"))?;
            if self.unset.contains(&input) {
                bail!("{input} cannot be both set and unset");
            }
            let value = input
                .parse(value, settings)
                .map_err(|e| anyhow!("--set {said}: {e}"))?;
            inputs.push((input, Some(value)));
        }
        inputs.extend(self.unset.iter().map(|&input| (input, None)));
        Ok(inputs)
    }

    /// The acceptance criteria after `--check`, `--uncheck` and
    /// `--remove-criterion`, all numbered as before the edit.
    fn criteria_change(&self, story: &Story) -> Result<Option<Vec<Criterion>>> {
        if self.check.is_empty() && self.uncheck.is_empty() && self.remove_criterion.is_empty() {
            return Ok(None);
        }
        let count = story.acceptance_criteria.len();
        let numbers = self
            .check
            .iter()
            .chain(&self.uncheck)
            .chain(&self.remove_criterion);
        for &number in numbers {
            if number == 0 || number > count {
                return Err(ModelError::UnknownCriterion {
                    id: story.id,
                    number,
                }
                .into());
            }
        }
        if let Some(n) = self.check.iter().find(|n| self.uncheck.contains(n)) {
            bail!("acceptance criterion {n} cannot be both checked and unchecked");
        }
        let criteria = story
            .acceptance_criteria
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.remove_criterion.contains(&(i + 1)))
            .map(|(i, c)| Criterion {
                text: c.text.clone(),
                done: if self.check.contains(&(i + 1)) {
                    true
                } else if self.uncheck.contains(&(i + 1)) {
                    false
                } else {
                    c.done
                },
            })
            .collect();
        Ok(Some(criteria))
    }
}

pub(super) fn add(
    args: &AddArgs,
    path: &Path,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<()> {
    let mut patch = StoryPatch {
        title: Some(args.title.clone()),
        description: args.description.clone(),
        points: args.points.map(Some),
        status: args.status,
        add_labels: args.labels.clone(),
        epic: args
            .epic
            .clone()
            .or_else(|| args.new_epic.clone())
            .map(Some),
        new_epic: args.new_epic.is_some(),
        add_criteria: args.criteria.clone(),
        ..StoryPatch::default()
    };
    args.user_story.fill(&mut patch);
    let placement = match (args.top, args.after) {
        (true, _) => Placement::Top,
        (_, Some(id)) => Placement::After(id),
        _ => Placement::Bottom,
    };
    // As in `edit`: only a forced story needs to know who the user is.
    if args.force {
        patch.override_ready = Some(Stamp {
            at: now,
            by: config::load()?.author(),
        });
    }
    let (id, overridden, estimate) = update(path, |b| {
        refuse_an_epic_there_is(args.new_epic.as_deref(), b)?;
        let mut patch = patch.clone();
        if let Some(estimate) = &args.estimate {
            patch.points = Some(Some(estimate_on_scale(estimate, b)?));
        }
        let id = b
            .add(&patch, placement, now)
            .map_err(|e| refusal(&e, b, "--new-epic NAME makes a new one"))?;
        let overridden = b
            .get(id)
            .and_then(|s| s.ready_override.as_ref())
            .map(|o| o.missing.join("; "));
        Ok((id, overridden, off_scale(id, &patch, b)))
    })?;
    // Standard output is the new id alone, for scripts.
    writeln!(out, "{id}")?;
    if let Some(missing) = overridden {
        note(&format!("{id} is ready by override, although {missing}"));
    }
    if let Some(estimate) = estimate {
        note(&estimate);
    }
    Ok(())
}

/// `--estimate` read on the backlog's scale.
fn estimate_on_scale(estimate: &str, backlog: &Backlog) -> Result<Points> {
    backlog
        .product
        .settings
        .scale
        .parse_estimate(estimate)
        .map_err(|e| anyhow!("--estimate: {e}"))
}

/// `--new-epic` makes an epic: naming one there is, in any case, is a
/// mistake worth a word rather than a quiet reuse.
fn refuse_an_epic_there_is(new_epic: Option<&str>, backlog: &Backlog) -> Result<()> {
    if let Some(epic) = new_epic.and_then(|name| backlog.product.epic(name)) {
        bail!(
            "{}; put the story in it with --epic",
            ModelError::DuplicateEpic(epic.name.clone())
        );
    }
    Ok(())
}

/// A refusal from the backlog, with what the user can do about it: the
/// epics there are (and `new`, if not empty, how to make one), or how to
/// set a story ready anyway.
fn refusal(e: &ModelError, backlog: &Backlog, new: &str) -> anyhow::Error {
    anyhow!("{}", explain(e, backlog, new))
}

/// What [`refusal`] says.
pub(super) fn explain(e: &ModelError, backlog: &Backlog, new: &str) -> String {
    match e {
        ModelError::NotReady { .. } => {
            format!("{e}\n(fix it, or set it ready anyway with --force: the override is recorded)")
        }
        ModelError::UnknownEpic(_) => {
            let epics: Vec<String> = backlog
                .product
                .epics
                .iter()
                .map(|epic| format!("{:?}", one_line(&epic.name)))
                .collect();
            let there = if epics.is_empty() {
                format!("{e}: there are no epics yet")
            } else {
                format!("{e} (the epics are {})", epics.join(", "))
            };
            if new.is_empty() {
                there
            } else {
                format!("{there}; {new}")
            }
        }
        e => e.to_string(),
    }
}

/// The text of `--from-file`, and the name to report its lines under.
fn read_document(file: &Path) -> Result<(String, String)> {
    if file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read the document from standard input")?;
        return Ok((text, "<stdin>".to_string()));
    }
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    Ok((text, file.display().to_string()))
}

pub(super) fn edit(
    args: &EditArgs,
    path: &Path,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<()> {
    let document = args.from_file.as_deref().map(read_document).transpose()?;
    if document.is_none() && args.changes_nothing() {
        bail!(
            "nothing to change: give at least one field, e.g. --title or --points, or --from-file (see backlog edit --help)"
        );
    }
    // Only a forced edit needs to know who the user is: a broken config
    // file stops nothing else.
    let by = if args.force {
        Some(config::load()?.author())
    } else {
        None
    };
    let edited = update_if_changed(path, |b| {
        let before = b.get_arc(args.id).cloned();
        let (mut patch, doc) = match &document {
            Some((text, name)) => {
                let doc =
                    document::parse(text, b.product.settings.scale).map_err(|e| LocatedError {
                        file: name.clone(),
                        line: e.line,
                        message: e.message,
                    })?;
                if let Some(id) = doc.id
                    && id != args.id
                {
                    bail!("{name} is the document of {id}, not of {}", args.id);
                }
                (doc.patch(), Some((doc, name)))
            }
            None => (args.patch(b)?, None),
        };
        patch.override_ready = by.map(|by| Stamp { at: now, by });
        refuse_an_epic_there_is(args.new_epic.as_deref(), b)?;
        if let Err(e) = b.edit(args.id, &patch, now) {
            // A refusal about one line of the document points at it.
            return Err(match &doc {
                Some((doc, name)) => {
                    let message = explain(&e, b, "add it first with `backlog epic add NAME`");
                    match doc.line_of(&e) {
                        Some(line) => LocatedError {
                            file: (*name).clone(),
                            line,
                            message,
                        }
                        .into(),
                        None => anyhow!("{message}"),
                    }
                }
                None => refusal(&e, b, "--new-epic NAME makes a new one"),
            });
        }
        let story = b.get_arc(args.id).expect("the story was just edited");
        // An edit that changes nothing keeps the very same story.
        if before.is_some_and(|before| Arc::ptr_eq(&before, story)) {
            return Ok(None);
        }
        let overridden = story
            .ready_override
            .as_ref()
            .filter(|o| o.at == now)
            .map(|o| o.missing.join("; "));
        Ok(Some((overridden, off_scale(args.id, &patch, b))))
    })?;
    let Some((overridden, estimate)) = edited else {
        writeln!(out, "No change to {}", args.id)?;
        return Ok(());
    };
    match overridden {
        Some(missing) => writeln!(
            out,
            "Updated {}: ready by override, although {missing}",
            args.id
        )?,
        None => writeln!(out, "Updated {}", args.id)?,
    }
    if let Some(estimate) = estimate {
        note(&estimate);
    }
    Ok(())
}

/// What to tell the user when a change estimates a story off the
/// backlog's scale: allowed, but rarely meant.
fn off_scale(id: StoryId, patch: &StoryPatch, backlog: &Backlog) -> Option<String> {
    let points = patch.points.flatten()?;
    let scale = backlog.product.settings.scale;
    let off = scale.off_scale(points)?;
    Some(format!(
        "{id} is estimated at {}, which is {off}",
        scale.describe(points)
    ))
}

pub(super) fn split(
    args: &SplitArgs,
    path: &Path,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<()> {
    let moving = args
        .criteria
        .iter()
        .map(|&n| {
            n.checked_sub(1)
                .ok_or_else(|| anyhow!("acceptance criteria are numbered from 1"))
        })
        .collect::<Result<Vec<usize>>>()?;
    let id = update(path, |b| Ok(b.split(args.id, &args.title, &moving, now)?))?;
    writeln!(out, "{id}")?;
    Ok(())
}

pub(super) fn comment(
    args: &CommentArgs,
    path: &Path,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<()> {
    let author = config::load()?.author();
    if let Some(number) = args.edit {
        let by = Stamp {
            at: now,
            by: author,
        };
        return edit_comment(args.id, number, &args.text, by, path, out);
    }
    let number = update(path, |b| {
        let comment = Comment {
            question: args.question,
            decision: args.decision,
            ..Comment::new(now, author, args.text.clone())
        };
        b.comment(args.id, comment)?;
        Ok(b.get(args.id).map_or(0, |s| s.comments.len()))
    })?;
    let kind = if args.question {
        "question"
    } else if args.decision {
        "decision"
    } else {
        "comment"
    };
    writeln!(out, "Added {kind} {number} to {}", args.id)?;
    Ok(())
}

fn edit_comment(
    id: StoryId,
    number: usize,
    text: &str,
    by: Stamp,
    path: &Path,
    out: &mut dyn Write,
) -> Result<()> {
    let edited = update_if_changed(path, |b| {
        let before = b.get_arc(id).cloned();
        b.edit_comment(id, number, text, by)?;
        // The same text again keeps the very same story.
        let story = b.get_arc(id).expect("the comment was just edited");
        Ok((!before.is_some_and(|before| Arc::ptr_eq(&before, story))).then_some(()))
    })?;
    match edited {
        Some(()) => writeln!(out, "Edited comment {number} on {id}")?,
        None => writeln!(out, "No change to comment {number} on {id}")?,
    }
    Ok(())
}

pub(super) fn resolve(
    args: &ResolveArgs,
    path: &Path,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<()> {
    let by = if args.reopen {
        None
    } else {
        Some(Stamp {
            at: now,
            by: config::load()?.author(),
        })
    };
    let (id, number) = (args.id, args.number);
    // Resolving a resolved question (or opening an open one) is no
    // mistake worth failing a script for, but it is no change either: it
    // is said as it is, and the resolution on record stays. So is the
    // same answer given again; another answer is refused, as it would
    // otherwise be lost.
    let mut already = None;
    let done = update_if_changed(path, |b| {
        let change = match (&args.answer, by.clone()) {
            (Some(answer), Some(by)) => b.answer(id, number, answer, by),
            (_, resolution) => b.resolve(id, number, resolution, now),
        };
        match change {
            Ok(()) => Ok(Some(())),
            Err(e @ ModelError::AlreadyResolved { .. })
                if args
                    .answer
                    .as_deref()
                    .is_some_and(|answer| answer_of(b, id, number) != Some(answer.trim())) =>
            {
                Err(anyhow!(
                    "{e}, with {}; to answer it anew, open it again with --reopen first",
                    answer_of(b, id, number).map_or_else(
                        || "no answer".to_string(),
                        |was| format!("the answer {:?}", one_line(was))
                    )
                ))
            }
            Err(e @ (ModelError::AlreadyResolved { .. } | ModelError::AlreadyOpen { .. })) => {
                already = Some(e);
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    })?;
    if let (None, Some(already)) = (done, already) {
        writeln!(
            out,
            "{}; nothing changed",
            capitalised(&one_line(&already.to_string()))
        )?;
    } else {
        let done = match (args.reopen, &args.answer) {
            (true, _) => "Reopened",
            (false, Some(_)) => "Answered",
            (false, None) => "Resolved",
        };
        writeln!(out, "{done} question {number} on {id}")?;
    }
    Ok(())
}

/// The answer the story's 1-based comment `number` was given, if any.
fn answer_of(backlog: &Backlog, id: StoryId, number: usize) -> Option<&str> {
    let comment = backlog.get(id)?.comments.get(number.checked_sub(1)?)?;
    comment.answer.as_deref()
}

pub(super) fn move_story(args: &MoveArgs, path: &Path, out: &mut dyn Write) -> Result<()> {
    let mut stays = None;
    let moved = update_if_changed(path, |b| {
        let moved = b.move_story(args.id, args.target())?;
        if moved.from == moved.to {
            stays = Some(moved.to);
            return Ok(None);
        }
        Ok(Some(moved))
    })?;
    match (moved, stays) {
        (Some(moved), _) => writeln!(
            out,
            "Moved {} from {} to {}",
            args.id,
            moved.from + 1,
            moved.to + 1
        )?,
        (None, at) => writeln!(out, "{} stays at {}", args.id, at.unwrap_or_default() + 1)?,
    }
    Ok(())
}
