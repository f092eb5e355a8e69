//! Why a story scores what it does: each term, its value, its weight and
//! what it adds, then the result.

use std::fmt;

use crate::model::{Input, Story};
use crate::words::number;

use super::frameworks::{self, term_value};
use super::{Framework, Score, Scoring};

/// One term of a score.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// What it is: an input, a label, age, or a part worked out (Cost of
    /// Delay).
    pub name: String,
    /// Its value for the story, as shown; `None` when the story lacks it.
    pub value: Option<String>,
    /// The coefficient it is multiplied by, where the framework weighs
    /// terms (the weighted engine).
    pub weight: Option<f64>,
    /// What it adds to the score, where the score is a sum.
    pub adds: Option<f64>,
}

/// A score, term by term.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    pub framework: Framework,
    pub formula: String,
    pub lines: Vec<Line>,
    pub score: Score,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {}", self.framework.name(), self.formula)?;
        let width = self
            .lines
            .iter()
            .map(|l| l.name.chars().count())
            .max()
            .unwrap_or(0);
        let values = self
            .lines
            .iter()
            .map(|l| l.value.as_deref().map_or(7, |v| v.chars().count()))
            .max()
            .unwrap_or(0);
        for line in &self.lines {
            let value = line.value.as_deref().unwrap_or("missing");
            write!(f, "  {:<width$}  {value:>values$}", line.name)?;
            if let Some(weight) = line.weight {
                write!(f, " × {}", number(weight))?;
            }
            if let Some(adds) = line.adds {
                write!(f, " = {}", signed(adds))?;
            }
            writeln!(f)?;
        }
        write!(f, "  = {}", self.score)
    }
}

fn signed(n: f64) -> String {
    if n < 0.0 {
        format!("−{}", number(-n))
    } else {
        format!("+{}", number(n))
    }
}

fn input_line(input: Input, story: &Story) -> Line {
    Line {
        name: input.label().to_string(),
        value: input.get(&story.inputs).map(|v| match (input, v) {
            (Input::Confidence, v) => format!("{v}%"),
            (Input::Moscow, crate::model::InputValue::Moscow(m)) => m.label().to_string(),
            (_, v) => v.to_string(),
        }),
        weight: None,
        adds: None,
    }
}

fn worked_out(name: &str, value: Option<f64>) -> Line {
    Line {
        name: name.to_string(),
        value: value.map(number),
        weight: None,
        adds: None,
    }
}

/// `story`'s score by `framework`, term by term.
pub(super) fn explain(framework: Framework, story: &Story, scoring: &Scoring) -> Explanation {
    let settings = scoring.settings;
    let score = frameworks::score(framework, story, scoring);
    let mut lines: Vec<Line> = match framework {
        Framework::Weighted => settings
            .weights
            .iter()
            .map(|weight| {
                let value = term_value(&weight.term, story, scoring);
                Line {
                    name: weight.term.to_string(),
                    value: value.map(number),
                    weight: Some(weight.coefficient),
                    adds: value.map(|v| v * weight.coefficient),
                }
            })
            .collect(),
        _ => framework
            .inputs(settings)
            .into_iter()
            .map(|input| input_line(input, story))
            .collect(),
    };
    // The parts worked out on the way, where the framework has them.
    let i = &story.inputs;
    match framework {
        Framework::Wsjf => {
            let cost = frameworks::needed(
                i,
                [Input::Value, Input::TimeCriticality, Input::RiskReduction],
            )
            .ok()
            .map(|[v, t, r]| v + t + r);
            lines.insert(3, worked_out("Cost of Delay", cost));
        }
        Framework::Rice => {
            if let Some((customers, true)) = frameworks::reach(story, scoring)
                && let Some(line) = lines.iter_mut().find(|l| l.name == Input::Reach.label())
            {
                line.value = Some(format!("{} (customers asking)", number(customers)));
            }
        }
        Framework::ValueEffort => {
            let ratio = frameworks::needed(i, [Input::Value, Input::JobSize])
                .ok()
                .filter(|[_, e]| *e > 0.0)
                .map(|[v, e]| v / e);
            lines.push(worked_out("value ÷ job size", ratio));
        }
        _ => {}
    }
    Explanation {
        framework,
        formula: framework.formula(settings),
        lines,
        score,
    }
}
