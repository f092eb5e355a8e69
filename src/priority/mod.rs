//! Prioritisation: the frameworks product owners weigh stories with, each
//! score with its reasons, and an order proposed from them.
//!
//! The manual rank stays the truth. This module only advises: it scores
//! stories with the framework the owner picks ([`score`]), says why each
//! scores what it does ([`explain`]), and proposes an order
//! ([`propose`]) the owner accepts story by story, or whole. A story
//! missing an input the framework needs is *unscored*, never read as
//! zero, and keeps its place; a story done or rejected keeps its place
//! too.
//!
//! Pure: no terminal, no files, no clock ("now" is passed in, for age).

mod explain;
mod frameworks;
mod order;

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::model::inputs::Term;
use crate::model::{
    Backlog, Evidence, Feedback, Input, PrioritySettings, Product, ReadyRules, Story, StoryId,
    evidence_by_story,
};

pub use explain::{Explanation, Line};
pub use frameworks::{MUST_SHARE, MustShare, must_share};
pub use order::{Proposal, Suggestion, movement, propose};

/// A framework the owner can weigh stories with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Framework {
    /// SAFe's Weighted Shortest Job First.
    #[default]
    Wsjf,
    /// Intercom's reach × impact × confidence ÷ effort.
    Rice,
    /// Impact, confidence and ease.
    Ice,
    /// DSDM's must, should, could, won't.
    Moscow,
    /// Value against effort, in four quadrants.
    ValueEffort,
    /// Cost of delay divided by duration.
    Cd3,
    /// The backlog's own coefficients, in the style of Taskwarrior's
    /// urgency.
    Weighted,
}

impl Framework {
    pub const ALL: [Framework; 7] = [
        Framework::Wsjf,
        Framework::Rice,
        Framework::Ice,
        Framework::Moscow,
        Framework::ValueEffort,
        Framework::Cd3,
        Framework::Weighted,
    ];

    /// The name `--by` takes.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Framework::Wsjf => "wsjf",
            Framework::Rice => "rice",
            Framework::Ice => "ice",
            Framework::Moscow => "moscow",
            Framework::ValueEffort => "value-effort",
            Framework::Cd3 => "cd3",
            Framework::Weighted => "weighted",
        }
    }

    /// The name on screen.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Framework::Wsjf => "WSJF",
            Framework::Rice => "RICE",
            Framework::Ice => "ICE",
            Framework::Moscow => "MoSCoW",
            Framework::ValueEffort => "Value/effort",
            Framework::Cd3 => "CD3",
            Framework::Weighted => "Weighted",
        }
    }

    /// What it computes, in a line.
    #[must_use]
    pub fn formula(self, settings: &PrioritySettings) -> String {
        match self {
            Framework::Wsjf => {
                "(user-business value + time criticality + risk reduction) ÷ job size".into()
            }
            Framework::Rice => "reach × impact × confidence ÷ effort".into(),
            Framework::Ice => match settings.ice {
                crate::model::inputs::IceCombine::Product => "impact × confidence × ease".into(),
                crate::model::inputs::IceCombine::Mean => "(impact + confidence + ease) ÷ 3".into(),
            },
            Framework::Moscow => "must, then should, could, won't".into(),
            Framework::ValueEffort => format!(
                "quadrant of value (high from {}) against job size (high from {})",
                crate::words::number(settings.quadrant.value),
                crate::words::number(settings.quadrant.effort)
            ),
            Framework::Cd3 => "cost of delay per week ÷ duration in weeks".into(),
            Framework::Weighted if settings.weights.is_empty() => {
                "no terms: set coefficients first (backlog settings --weight TERM=N)".into()
            }
            Framework::Weighted => crate::model::inputs::weights_text(&settings.weights),
        }
    }

    /// The story inputs it reads. The weighted engine's are its numeric
    /// terms'.
    #[must_use]
    pub fn inputs(self, settings: &PrioritySettings) -> Vec<Input> {
        match self {
            Framework::Wsjf => vec![
                Input::Value,
                Input::TimeCriticality,
                Input::RiskReduction,
                Input::JobSize,
            ],
            Framework::Rice => vec![
                Input::Reach,
                Input::Impact,
                Input::Confidence,
                Input::Effort,
            ],
            Framework::Ice => vec![Input::IceImpact, Input::IceConfidence, Input::IceEase],
            Framework::Moscow => vec![Input::Moscow],
            Framework::ValueEffort => vec![Input::Value, Input::JobSize],
            Framework::Cd3 => vec![Input::CostOfDelay, Input::Duration],
            Framework::Weighted => settings
                .weights
                .iter()
                .filter_map(|w| match w.term {
                    Term::Input(input) => Some(input),
                    _ => None,
                })
                .collect(),
        }
    }
}

impl fmt::Display for Framework {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Framework {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let key = text.trim().to_lowercase().replace(['_', '/'], "-");
        Framework::ALL
            .into_iter()
            .find(|f| f.key() == key)
            .ok_or_else(|| {
                format!(
                    "unknown framework {text:?} (expected wsjf, rice, ice, moscow, value-effort, \
                     cd3 or weighted)"
                )
            })
    }
}

/// What scoring reads besides the story: the backlog's settings, its
/// Definition of Ready (for the weighted engine's `ready` term), now (for
/// `age`), and the customer feedback (for the customers asking for a
/// story, and how much it matters to them).
#[derive(Clone, Debug)]
pub struct Scoring<'a> {
    pub settings: &'a PrioritySettings,
    pub ready: &'a ReadyRules,
    pub now: DateTime<Utc>,
    pub feedback: &'a [Arc<Feedback>],
    /// Each story's customer evidence, worked out from `feedback` in one
    /// walk the first time a score asks for it.
    demand: OnceCell<BTreeMap<StoryId, Evidence>>,
}

impl<'a> Scoring<'a> {
    #[must_use]
    pub fn of(backlog: &'a Backlog, now: DateTime<Utc>) -> Self {
        Scoring::new(&backlog.product, now)
    }

    /// Scoring by `product`'s settings and feedback.
    #[must_use]
    pub fn new(product: &'a Product, now: DateTime<Utc>) -> Self {
        Scoring {
            settings: &product.settings.priority,
            ready: &product.settings.ready,
            now,
            feedback: &product.feedback,
            demand: OnceCell::new(),
        }
    }

    /// The customers asking for `story`, and how much it matters to them;
    /// `None` when no feedback is linked to it.
    #[must_use]
    pub fn evidence(&self, story: StoryId) -> Option<&Evidence> {
        self.demand
            .get_or_init(|| evidence_by_story(self.feedback.iter().map(|f| &**f)))
            .get(&story)
    }
}

/// A category some frameworks sort into (MoSCoW's priorities, the
/// value/effort quadrants): a higher `order` comes first, whatever the
/// score within it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Class {
    pub order: u8,
    pub name: &'static str,
}

/// What a framework made of a story.
#[derive(Clone, Debug, PartialEq)]
pub enum Score {
    /// Higher comes first: first by class, where the framework has them,
    /// then by value.
    Scored { value: f64, class: Option<Class> },
    /// The inputs it lacks (an input's key, or `points`).
    Unscored { missing: Vec<&'static str> },
    /// The inputs cannot be weighed (a job size of 0 to divide by): why.
    Invalid(String),
}

impl Score {
    /// The value, when scored.
    #[must_use]
    pub fn value(&self) -> Option<f64> {
        match self {
            Score::Scored { value, .. } => Some(*value),
            _ => None,
        }
    }

    /// Which of two scores comes first: a higher class, then a higher
    /// value (`Less` when `self` does). A total order, NaN included;
    /// scores not scored are equal to any.
    #[must_use]
    pub fn best_first(&self, other: &Score) -> std::cmp::Ordering {
        match (self, other) {
            (
                Score::Scored {
                    value: a,
                    class: ca,
                },
                Score::Scored {
                    value: b,
                    class: cb,
                },
            ) => {
                let (ca, cb) = (ca.map_or(0, |c| c.order), cb.map_or(0, |c| c.order));
                cb.cmp(&ca).then(b.total_cmp(a))
            }
            _ => std::cmp::Ordering::Equal,
        }
    }

    /// As a column shows it: the class, the value, or why there is none.
    #[must_use]
    pub fn short(&self) -> String {
        match self {
            Score::Scored {
                class: Some(class), ..
            } if self.value() == Some(0.0) => class.name.to_string(),
            Score::Scored {
                value,
                class: Some(class),
            } => format!("{} {}", class.name, crate::words::number(*value)),
            Score::Scored { value, class: None } => crate::words::number(*value),
            Score::Unscored { .. } => "unscored".into(),
            Score::Invalid(_) => "invalid".into(),
        }
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Score::Unscored { missing } => write!(f, "unscored: needs {}", missing.join(", ")),
            Score::Invalid(why) => write!(f, "cannot be scored: {why}"),
            scored @ Score::Scored { .. } => f.write_str(&scored.short()),
        }
    }
}

/// `story`'s score by `framework`.
#[must_use]
pub fn score(framework: Framework, story: &Story, scoring: &Scoring) -> Score {
    frameworks::score(framework, story, scoring)
}

/// `story`'s score by `framework`, term by term.
#[must_use]
pub fn explain(framework: Framework, story: &Story, scoring: &Scoring) -> Explanation {
    explain::explain(framework, story, scoring)
}

#[cfg(test)]
mod tests;
