//! The story form's rows: one per field and one per acceptance criterion
//! and comment, what each is typed as, and the change that keeps what
//! was typed.

use crate::model::{Criterion, Product, Status, Story, StoryPatch, story_ids};
use crate::tui::keymap::{Command, Context, Keymap};
use crate::tui::typing::single_line;

/// One row of the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Title,
    AsA,
    IWant,
    SoThat,
    Description,
    /// The acceptance criterion at this index.
    Criterion(usize),
    /// The row after the last criterion, for adding one.
    NewCriterion,
    Estimate,
    Status,
    Labels,
    Epic,
    /// The stories to be done first, typed as their ids.
    BlockedBy,
    /// The comment at this index: a question is resolved here.
    Comment(usize),
}

impl Field {
    /// The label in the form's left column.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Field::Title => "Title",
            Field::AsA => "As a",
            Field::IWant => "I want",
            Field::SoThat => "So that",
            Field::Description => "Description",
            Field::Criterion(_) | Field::NewCriterion => "Criteria",
            Field::Estimate => "Estimate",
            Field::Status => "Status",
            Field::Labels => "Labels",
            Field::Epic => "Epic",
            Field::BlockedBy => "Blocked by",
            Field::Comment(_) => "Comments",
        }
    }

    /// Typed into across several lines (`form.text`'s keys).
    #[must_use]
    pub fn is_multi_line(self) -> bool {
        self == Field::Description
    }

    /// Stepped through its values rather than typed (typing also works
    /// for the estimate).
    #[must_use]
    pub fn steps(self) -> bool {
        matches!(self, Field::Estimate | Field::Status | Field::Epic)
    }
}

/// The rows of the form for a story.
#[must_use]
pub fn fields(story: &Story) -> Vec<Field> {
    let mut fields = vec![
        Field::Title,
        Field::AsA,
        Field::IWant,
        Field::SoThat,
        Field::Description,
    ];
    fields.extend((0..story.acceptance_criteria.len()).map(Field::Criterion));
    fields.extend([
        Field::NewCriterion,
        Field::Estimate,
        Field::Status,
        Field::Labels,
        Field::Epic,
        Field::BlockedBy,
    ]);
    fields.extend((0..story.comments.len()).map(Field::Comment));
    fields
}

/// The text a field is typed as.
#[must_use]
pub fn text_of(story: &Story, field: Field, product: &Product) -> String {
    match field {
        Field::Title => story.title.clone(),
        Field::AsA => story.as_a.clone(),
        Field::IWant => story.i_want.clone(),
        Field::SoThat => story.so_that.clone(),
        Field::Description => story.description.clone(),
        Field::Criterion(i) => story
            .acceptance_criteria
            .get(i)
            .map(|c| c.text.clone())
            .unwrap_or_default(),
        Field::NewCriterion => String::new(),
        Field::Estimate => story
            .points
            .map(|p| product.settings.scale.label(p))
            .unwrap_or_default(),
        Field::Status => story.status.to_string(),
        Field::Labels => story.labels.join(", "),
        Field::Epic => story.epic.clone().unwrap_or_default(),
        Field::BlockedBy => {
            let ids: Vec<String> = story.blocked_by.iter().map(ToString::to_string).collect();
            ids.join(", ")
        }
        Field::Comment(i) => story
            .comments
            .get(i)
            .map(|c| c.text.clone())
            .unwrap_or_default(),
    }
}

/// A criterion as the form holds on to it while the story may change
/// elsewhere: its text, and which of the criteria with that text it is.
/// Criteria have no ids, and two may read the same.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CriterionRef {
    text: String,
    /// It is the `nth` of `count` criteria with this text.
    nth: usize,
    count: usize,
}

impl CriterionRef {
    #[must_use]
    pub fn of(criteria: &[Criterion], index: usize) -> Option<CriterionRef> {
        let text = &criteria.get(index)?.text;
        let same: Vec<usize> = positions(criteria, text);
        Some(CriterionRef {
            text: text.clone(),
            nth: same.iter().position(|&i| i == index)?,
            count: same.len(),
        })
    }

    /// Where it is in `criteria` now, when that can be told for sure: its
    /// text is there as often as it was.
    #[must_use]
    pub fn find(&self, criteria: &[Criterion]) -> Option<usize> {
        let same = positions(criteria, &self.text);
        (same.len() == self.count).then(|| same[self.nth])
    }
}

fn positions(criteria: &[Criterion], text: &str) -> Vec<usize> {
    criteria
        .iter()
        .enumerate()
        .filter(|(_, c)| c.text == text)
        .map(|(i, _)| i)
        .collect()
}

/// Why what was typed into a field cannot be kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The text is not a value the field takes; the message says why.
    Invalid(String),
    /// A new criterion was left empty.
    EmptyCriterion,
    /// Comments are kept as written, never typed over.
    Comment,
}

impl From<String> for Refusal {
    fn from(message: String) -> Self {
        Refusal::Invalid(message)
    }
}

impl Refusal {
    /// What the status bar says, naming the keys in `keys` of `context`,
    /// the field's.
    #[must_use]
    pub fn message(&self, keys: &Keymap, context: Context) -> String {
        let cancel = keys.label(context, Command::CancelField);
        match self {
            Refusal::Invalid(message) => message.clone(),
            Refusal::EmptyCriterion => format!("Type the criterion, or {cancel} to leave it"),
            Refusal::Comment => format!(
                "Comments are kept as written: {cancel}, then {} adds one",
                keys.label(Context::Backlog, Command::Comment)
            ),
        }
    }
}

/// The change that keeps `text` typed into `field`.
///
/// # Errors
/// Why not, when the text is not a valid value (an estimate that is not
/// on any scale, say) or the field keeps nothing typed.
pub fn patch_for(
    story: &Story,
    field: Field,
    text: &str,
    product: &Product,
    insert_at: Option<usize>,
) -> Result<StoryPatch, Refusal> {
    let one = |t: &str| Some(single_line(t));
    let mut patch = StoryPatch::default();
    match field {
        Field::Title => {
            if text.trim().is_empty() {
                return Err(Refusal::Invalid("A story needs a title".to_string()));
            }
            patch.title = one(text);
        }
        Field::AsA => patch.as_a = one(text),
        Field::IWant => patch.i_want = one(text),
        Field::SoThat => patch.so_that = one(text),
        Field::Description => patch.description = Some(text.to_string()),
        Field::Criterion(i) => {
            let mut criteria = story.acceptance_criteria.clone();
            if text.trim().is_empty() {
                criteria.remove(i);
            } else if let Some(c) = criteria.get_mut(i) {
                c.text = one(text).unwrap_or_default();
            }
            patch.criteria = Some(criteria);
        }
        Field::NewCriterion => {
            if text.trim().is_empty() {
                return Err(Refusal::EmptyCriterion);
            }
            let mut criteria = story.acceptance_criteria.clone();
            let at = insert_at.map_or(criteria.len(), |i| (i + 1).min(criteria.len()));
            criteria.insert(
                at,
                Criterion {
                    text: one(text).unwrap_or_default(),
                    done: false,
                },
            );
            patch.criteria = Some(criteria);
        }
        Field::Estimate => {
            patch.points = Some(if text.trim().is_empty() {
                None
            } else {
                Some(product.settings.scale.parse_estimate(text)?)
            });
        }
        Field::Status => patch.status = Some(text.trim().parse::<Status>()?),
        Field::Labels => {
            patch.labels = Some(
                text.split(',')
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect(),
            );
        }
        Field::Epic => {
            let name = text.trim();
            patch.epic = Some((!name.is_empty()).then(|| name.to_string()));
        }
        Field::BlockedBy => patch.blocked_by = Some(story_ids(text)?),
        Field::Comment(_) => return Err(Refusal::Comment),
    }
    Ok(patch)
}

/// The next (or previous) epic after the story's, with "no epic" between
/// the last and the first.
#[must_use]
pub fn cycle_epic(story: &Story, product: &Product, forward: bool) -> Option<String> {
    let mut options: Vec<Option<&str>> = vec![None];
    options.extend(product.epics.iter().map(|e| Some(e.name.as_str())));
    crate::tui::cycle(&options, &story.epic.as_deref(), forward).map(str::to_string)
}
