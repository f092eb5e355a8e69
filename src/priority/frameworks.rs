//! Each framework's formula, as its source defines it.

use crate::model::inputs::{IceCombine, Inputs, Moscow, Term};
use crate::model::{Input, Points, Story, same_name};

use super::{Class, Framework, Score, Scoring};

/// `story`'s score by `framework`.
pub(super) fn score(framework: Framework, story: &Story, scoring: &Scoring) -> Score {
    let inputs = &story.inputs;
    match framework {
        Framework::Wsjf => wsjf(inputs),
        Framework::Rice => rice(story, scoring),
        Framework::Ice => ice(inputs, scoring.settings.ice),
        Framework::Moscow => moscow(inputs),
        Framework::ValueEffort => value_effort(inputs, scoring),
        Framework::Cd3 => cd3(inputs),
        Framework::Weighted => weighted(story, scoring),
    }
}

/// The numbers `inputs` holds for `wanted`, or the keys of those missing.
pub(super) fn needed<const N: usize>(
    inputs: &Inputs,
    wanted: [Input; N],
) -> Result<[f64; N], Score> {
    let mut values = [0.0; N];
    let mut missing = Vec::new();
    for (value, input) in values.iter_mut().zip(wanted) {
        match input.number(inputs) {
            Some(n) => *value = n,
            None => missing.push(input.key()),
        }
    }
    if missing.is_empty() {
        Ok(values)
    } else {
        Err(Score::Unscored { missing })
    }
}

fn scored(value: f64) -> Score {
    Score::Scored { value, class: None }
}

/// Weighted Shortest Job First, as SAFe defines it
/// (<https://framework.scaledagile.com/wsjf>):
///
/// - Cost of Delay = user-business value + time criticality + risk
///   reduction / opportunity enablement;
/// - WSJF = Cost of Delay ÷ job size.
///
/// Each input is on SAFe's modified Fibonacci scale (1, 2, 3, 5, 8, 13,
/// 20), or the scale the backlog sets. A job size of 0 or less cannot be
/// divided by, and is said so.
pub(super) fn wsjf(inputs: &Inputs) -> Score {
    let [value, time, risk, size] = match needed(
        inputs,
        [
            Input::Value,
            Input::TimeCriticality,
            Input::RiskReduction,
            Input::JobSize,
        ],
    ) {
        Ok(values) => values,
        Err(unscored) => return unscored,
    };
    if let Some(invalid) = no_job_size(size) {
        return invalid;
    }
    scored((value + time + risk) / size)
}

/// A job size of 0 or less (from a file edited by hand: the scale starts
/// at 1) cannot be divided by: WSJF and the value/effort quadrant say so.
fn no_job_size(size: f64) -> Option<Score> {
    (size <= 0.0).then(|| {
        Score::Invalid(format!(
            "a job size of {} cannot be divided by: set one of at least 1",
            crate::words::number(size)
        ))
    })
}

/// RICE, as Intercom defines it
/// (<https://www.intercom.com/blog/rice-simple-prioritization-for-product-managers/>):
/// reach × impact × confidence ÷ effort, where reach is people or events
/// per period, impact is 3 (massive), 2 (high), 1 (medium), 0.5 (low) or
/// 0.25 (minimal), confidence is 100 %, 80 % or 50 %, and effort is in
/// person-months, at least half of one.
///
/// A story with no reach set, but customers asking for it in the inbox,
/// is reached by them: the number of customers stands for its reach (see
/// [`reach`]).
pub(super) fn rice(story: &Story, scoring: &Scoring) -> Score {
    let needed = needed(
        &story.inputs,
        [Input::Impact, Input::Confidence, Input::Effort],
    );
    let ([impact, confidence, effort], reach) = match (needed, reach(story, scoring)) {
        (Ok(values), Some((reach, _))) => (values, reach),
        (needed, reach) => {
            let mut missing = match needed {
                Err(Score::Unscored { missing }) => missing,
                Err(other) => return other,
                Ok(_) => Vec::new(),
            };
            if reach.is_none() {
                missing.insert(0, Input::Reach.key());
            }
            return Score::Unscored { missing };
        }
    };
    if effort < crate::model::inputs::LEAST_EFFORT {
        return Score::Invalid(format!(
            "an effort of {} person-months cannot be divided by: RICE counts at least 0.5",
            crate::words::number(effort)
        ));
    }
    scored(reach * impact * (confidence / 100.0) / effort)
}

/// RICE's reach for `story`: the reach set on it, else the number of
/// customers asking for it, with whether it is that count.
pub(super) fn reach(story: &Story, scoring: &Scoring) -> Option<(f64, bool)> {
    match Input::Reach.number(&story.inputs) {
        Some(reach) => Some((reach, false)),
        None => scoring.evidence(story.id).map(|e| {
            (
                f64::from(u32::try_from(e.customers).unwrap_or(u32::MAX)),
                true,
            )
        }),
    }
}

/// ICE, as Sean Ellis scores growth experiments: impact, confidence and
/// ease, each 1 to 10, multiplied (1 to 1,000) or, as the backlog may set,
/// averaged (1 to 10).
pub(super) fn ice(inputs: &Inputs, combine: IceCombine) -> Score {
    let [impact, confidence, ease] = match needed(
        inputs,
        [Input::IceImpact, Input::IceConfidence, Input::IceEase],
    ) {
        Ok(values) => values,
        Err(unscored) => return unscored,
    };
    scored(match combine {
        IceCombine::Product => impact * confidence * ease,
        IceCombine::Mean => (impact + confidence + ease) / 3.0,
    })
}

/// The class a MoSCoW priority sorts into: must first, won't last.
#[must_use]
pub(super) fn moscow_class(priority: Moscow) -> Class {
    let order = match priority {
        Moscow::Must => 4,
        Moscow::Should => 3,
        Moscow::Could => 2,
        Moscow::Wont => 1,
    };
    Class {
        order,
        name: priority.label(),
    }
}

/// MoSCoW, as the DSDM Agile Project Framework defines it
/// (<https://www.agilebusiness.org/dsdm-project-framework/moscow-prioririsation.html>):
/// Must have, Should have, Could have, Won't have this time. Stories of
/// one priority keep their manual order. See [`must_share`] for the
/// handbook's warning on too many Musts.
pub(super) fn moscow(inputs: &Inputs) -> Score {
    match inputs.moscow {
        Some(priority) => Score::Scored {
            value: 0.0,
            class: Some(moscow_class(priority)),
        },
        None => Score::Unscored {
            missing: vec![Input::Moscow.key()],
        },
    }
}

/// The four quadrants, best first.
pub(super) const QUICK_WIN: Class = Class {
    order: 4,
    name: "Quick win",
};
pub(super) const MAJOR_PROJECT: Class = Class {
    order: 3,
    name: "Major project",
};
pub(super) const FILL_IN: Class = Class {
    order: 2,
    name: "Fill-in",
};
pub(super) const MONEY_PIT: Class = Class {
    order: 1,
    name: "Money pit",
};

/// The value/effort matrix (also called the impact/effort matrix): value
/// (the WSJF user-business value) against effort (the WSJF job size),
/// each high from the backlog's threshold up. Quick wins (high value, low
/// effort) first, then major projects (high, high), fill-ins (low, low)
/// and money pits (low value, high effort). Within a quadrant, value ÷
/// effort orders the stories.
pub(super) fn value_effort(inputs: &Inputs, scoring: &Scoring) -> Score {
    let [value, effort] = match needed(inputs, [Input::Value, Input::JobSize]) {
        Ok(values) => values,
        Err(unscored) => return unscored,
    };
    if let Some(invalid) = no_job_size(effort) {
        return invalid;
    }
    let thresholds = scoring.settings.quadrant;
    let class = match (value >= thresholds.value, effort >= thresholds.effort) {
        (true, false) => QUICK_WIN,
        (true, true) => MAJOR_PROJECT,
        (false, false) => FILL_IN,
        (false, true) => MONEY_PIT,
    };
    Score::Scored {
        value: value / effort,
        class: Some(class),
    }
}

/// CD3, Cost of Delay Divided by Duration, as Don Reinertsen and Joshua
/// Arnold define it (<https://blackswanfarming.com/cost-of-delay-divided-by-duration/>):
/// the cost of delay per week ÷ the weeks the work takes. Work of 10 a
/// week taking 2 weeks (5) comes after work of 30 a week taking 4 (7.5).
pub(super) fn cd3(inputs: &Inputs) -> Score {
    let [cost, duration] = match needed(inputs, [Input::CostOfDelay, Input::Duration]) {
        Ok(values) => values,
        Err(unscored) => return unscored,
    };
    if duration <= 0.0 {
        return Score::Invalid(format!(
            "a duration of {} weeks cannot be divided by: set one of more than 0",
            crate::words::number(duration)
        ));
    }
    scored(cost / duration)
}

/// The age the weighted engine counts: years since the story was made, at
/// most 1, as Taskwarrior counts a task's age towards its urgency (its
/// `urgency.age.max` of 365 days).
pub(super) fn age(story: &Story, scoring: &Scoring) -> f64 {
    // Whole days, at most a year and a day: exact in f64.
    let days = (scoring.now - story.created).num_days().clamp(0, 366);
    (f64::from(u16::try_from(days).unwrap_or(366)) / 365.0).min(1.0)
}

/// A term's value for `story`: `None` when the story lacks it.
pub(super) fn term_value(term: &Term, story: &Story, scoring: &Scoring) -> Option<f64> {
    let yes = |b: bool| if b { 1.0 } else { 0.0 };
    match term {
        Term::Input(input) => input.number(&story.inputs),
        Term::Points => story.points.map(Points::value),
        Term::Label(label) => Some(yes(story.labels.iter().any(|l| same_name(l, label)))),
        Term::Epic(epic) => Some(yes(story
            .epic
            .as_deref()
            .is_some_and(|e| same_name(e, epic)))),
        Term::Age => Some(age(story, scoring)),
        Term::Ready => Some(yes(crate::model::ready::is_ready(story, scoring.ready))),
        Term::Customers => Some(scoring.evidence(story.id).map_or(0.0, |e| {
            f64::from(u32::try_from(e.customers).unwrap_or(u32::MAX))
        })),
        Term::Demand => Some(
            scoring
                .evidence(story.id)
                .map_or(0.0, |e| f64::from(e.importance)),
        ),
    }
}

/// The key naming a term a story lacks.
pub(super) fn term_key(term: &Term) -> &'static str {
    match term {
        Term::Input(input) => input.key(),
        _ => "points",
    }
}

/// The weighted engine, in the style of Taskwarrior's urgency
/// (<https://taskwarrior.org/docs/urgency/>): score = Σ coefficient × term,
/// over the backlog's terms. A numeric term (an input, the points) the
/// story lacks leaves it unscored; a label or an epic counts 1 when the
/// story has it, else 0; `ready` 1 when it meets the Definition of Ready;
/// `age` its age in years, at most 1; `customers` how many customers ask
/// for it in the inbox, and `demand` their importance summed (0 when none
/// do).
pub(super) fn weighted(story: &Story, scoring: &Scoring) -> Score {
    let mut total = 0.0;
    let mut missing = Vec::new();
    // Readiness reads the story's text: asked last, and only of a story
    // the other terms score.
    let mut ready = 0.0;
    for weight in &scoring.settings.weights {
        if weight.term == Term::Ready {
            ready += weight.coefficient;
            continue;
        }
        match term_value(&weight.term, story, scoring) {
            Some(value) => total += weight.coefficient * value,
            None => missing.push(term_key(&weight.term)),
        }
    }
    if !missing.is_empty() {
        return Score::Unscored { missing };
    }
    if ready != 0.0 && crate::model::ready::is_ready(story, scoring.ready) {
        total += ready;
    }
    scored(total)
}

/// The share of the planned effort DSDM's handbook allows the Musts: no
/// more than 60 %.
pub const MUST_SHARE: f64 = 0.6;

/// How much of the planned work is Must: points of the Musts against
/// points of all work given a MoSCoW priority but Won't. Until releases
/// are planned, the plan is the open stories (neither done nor
/// rejected).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MustShare {
    pub must_points: f64,
    pub planned_points: f64,
    /// Musts with no estimate, which the share cannot count.
    pub unestimated_musts: usize,
}

impl MustShare {
    /// The Musts' share of the planned points, when any are planned.
    #[must_use]
    pub fn share(&self) -> Option<f64> {
        (self.planned_points > 0.0).then(|| self.must_points / self.planned_points)
    }

    /// The handbook's warning, when the Musts take more than 60 %.
    #[must_use]
    pub fn warning(&self) -> Option<String> {
        let share = self.share()?;
        (share > MUST_SHARE).then(|| {
            format!(
                "Musts are {:.0}% of the planned effort ({} of {} points): DSDM advises no more \
                 than {:.0}%, so the plan has room to drop Shoulds and Coulds when it slips",
                share * 100.0,
                crate::words::number(self.must_points),
                crate::words::number(self.planned_points),
                MUST_SHARE * 100.0
            )
        })
    }
}

/// The Musts' share of the open stories' estimated effort.
pub fn must_share<'a>(stories: impl IntoIterator<Item = &'a Story>) -> MustShare {
    let mut share = MustShare::default();
    for story in stories {
        if !story.status.is_open() {
            continue;
        }
        let Some(priority) = story.inputs.moscow else {
            continue;
        };
        if priority == Moscow::Wont {
            continue;
        }
        match story.points {
            Some(points) => {
                share.planned_points += points.value();
                if priority == Moscow::Must {
                    share.must_points += points.value();
                }
            }
            None if priority == Moscow::Must => share.unestimated_musts += 1,
            None => {}
        }
    }
    share
}
