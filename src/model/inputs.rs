//! What prioritisation reads from a story, and how a backlog weighs it:
//! each framework's inputs, on the framework's own scale, and the
//! backlog's choices (the WSJF scale, how ICE combines, the value/effort
//! thresholds, the weighted engine's coefficients).
//!
//! The frameworks themselves, the scores and their explanations, are in
//! `crate::priority`; this is what the file keeps.

use std::fmt::{self, Write as _};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::words::number;

/// A story's prioritisation inputs. Every one may be missing: a framework
/// that needs a missing input leaves the story unscored, never reads it
/// as zero.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inputs {
    /// WSJF: user-business value, on the WSJF scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// WSJF: time criticality, on the WSJF scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_criticality: Option<f64>,
    /// WSJF: risk reduction or opportunity enablement, on the WSJF scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_reduction: Option<f64>,
    /// WSJF: job size, on the WSJF scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_size: Option<f64>,
    /// RICE: people or events reached per period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reach: Option<f64>,
    /// RICE: 3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<f64>,
    /// RICE: 100, 80 or 50 (per cent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// RICE: person-months, at least half of one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<f64>,
    /// ICE: impact, 1 to 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ice_impact: Option<f64>,
    /// ICE: confidence, 1 to 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ice_confidence: Option<f64>,
    /// ICE: ease, 1 to 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ice_ease: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moscow: Option<Moscow>,
    /// CD3: cost of delay per week (money, or any unit the backlog keeps
    /// to).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_of_delay: Option<f64>,
    /// CD3: how many weeks the work takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
}

impl Default for Inputs {
    fn default() -> Self {
        Inputs::NONE
    }
}

impl Inputs {
    /// None set.
    const NONE: Inputs = Inputs {
        value: None,
        time_criticality: None,
        risk_reduction: None,
        job_size: None,
        reach: None,
        impact: None,
        confidence: None,
        effort: None,
        ice_impact: None,
        ice_confidence: None,
        ice_ease: None,
        moscow: None,
        cost_of_delay: None,
        duration: None,
    };

    /// Whether no input is set: the story's file entry leaves them out.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        Input::ALL.iter().all(|input| input.get(self).is_none())
    }
}

/// A story's inputs, kept apart from the story until one is set: most
/// stories have none, and the inputs' 14 numbers in every story made the
/// backlog in memory a fifth of the file's size larger. It reads as
/// [`Inputs`] (none set, when none ever was); setting one through it
/// makes room for them.
#[derive(Clone, Default)]
pub struct StoryInputs(Option<Box<Inputs>>);

impl StoryInputs {
    /// Whether no input is set (see [`Inputs::is_empty`]).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.as_deref().is_none_or(Inputs::is_empty)
    }
}

impl std::ops::Deref for StoryInputs {
    type Target = Inputs;

    fn deref(&self) -> &Inputs {
        self.0.as_deref().unwrap_or(&Inputs::NONE)
    }
}

impl std::ops::DerefMut for StoryInputs {
    fn deref_mut(&mut self) -> &mut Inputs {
        self.0.get_or_insert_with(Box::default)
    }
}

impl From<Inputs> for StoryInputs {
    fn from(inputs: Inputs) -> Self {
        StoryInputs((!inputs.is_empty()).then(|| Box::new(inputs)))
    }
}

/// Equal when the same inputs are set, however they are kept.
impl PartialEq for StoryInputs {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl fmt::Debug for StoryInputs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl Serialize for StoryInputs {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for StoryInputs {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Inputs::deserialize(deserializer).map(StoryInputs::from)
    }
}

/// MoSCoW, as the DSDM handbook names its priorities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Moscow {
    /// Won't have this time.
    Wont,
    Could,
    Should,
    Must,
}

impl Moscow {
    /// The name in the file and the CLI.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Moscow::Must => "must",
            Moscow::Should => "should",
            Moscow::Could => "could",
            Moscow::Wont => "wont",
        }
    }

    /// As a product owner says it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Moscow::Must => "Must have",
            Moscow::Should => "Should have",
            Moscow::Could => "Could have",
            Moscow::Wont => "Won't have this time",
        }
    }
}

impl fmt::Display for Moscow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Moscow {
    type Err = String;

    /// `must`, `should`, `could`, `wont` (also `won't`, `won't-this-time`
    /// and their initials), in any case.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let said = text.trim().to_lowercase().replace(['\'', '’'], "");
        match said.as_str() {
            "must" | "m" | "must-have" => Ok(Moscow::Must),
            "should" | "s" | "should-have" => Ok(Moscow::Should),
            "could" | "c" | "could-have" => Ok(Moscow::Could),
            "wont" | "w" | "wont-have" | "wont-this-time" => Ok(Moscow::Wont),
            _ => Err(format!(
                "unknown MoSCoW priority {text:?} (expected must, should, could or wont)"
            )),
        }
    }
}

/// One input a framework reads, named as the CLI and the document name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Input {
    Value,
    TimeCriticality,
    RiskReduction,
    JobSize,
    Reach,
    Impact,
    Confidence,
    Effort,
    IceImpact,
    IceConfidence,
    IceEase,
    Moscow,
    CostOfDelay,
    Duration,
}

/// A value an input holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum InputValue {
    Number(f64),
    Moscow(Moscow),
}

impl fmt::Display for InputValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputValue::Number(n) => f.write_str(&number(*n)),
            InputValue::Moscow(m) => f.write_str(m.as_str()),
        }
    }
}

/// RICE's impact scale, largest first, with its names.
pub const RICE_IMPACT: [(f64, &str); 5] = [
    (3.0, "massive"),
    (2.0, "high"),
    (1.0, "medium"),
    (0.5, "low"),
    (0.25, "minimal"),
];

/// RICE's confidence scale, in per cent, with its names.
pub const RICE_CONFIDENCE: [(f64, &str); 3] = [(100.0, "high"), (80.0, "medium"), (50.0, "low")];

/// The least effort RICE counts: half a person-month.
pub const LEAST_EFFORT: f64 = 0.5;

impl Input {
    pub const ALL: [Input; 14] = [
        Input::Value,
        Input::TimeCriticality,
        Input::RiskReduction,
        Input::JobSize,
        Input::Reach,
        Input::Impact,
        Input::Confidence,
        Input::Effort,
        Input::IceImpact,
        Input::IceConfidence,
        Input::IceEase,
        Input::Moscow,
        Input::CostOfDelay,
        Input::Duration,
    ];

    /// The name the CLI, the document and the weighted engine use.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Input::Value => "value",
            Input::TimeCriticality => "time-criticality",
            Input::RiskReduction => "risk-reduction",
            Input::JobSize => "job-size",
            Input::Reach => "reach",
            Input::Impact => "impact",
            Input::Confidence => "confidence",
            Input::Effort => "effort",
            Input::IceImpact => "ice-impact",
            Input::IceConfidence => "ice-confidence",
            Input::IceEase => "ease",
            Input::Moscow => "moscow",
            Input::CostOfDelay => "cost-of-delay",
            Input::Duration => "duration",
        }
    }

    /// What it is, as a product owner says it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Input::Value => "user-business value",
            Input::TimeCriticality => "time criticality",
            Input::RiskReduction => "risk reduction / opportunity enablement",
            Input::JobSize => "job size",
            Input::Reach => "reach",
            Input::Impact => "impact",
            Input::Confidence => "confidence",
            Input::Effort => "effort",
            Input::IceImpact => "ICE impact",
            Input::IceConfidence => "ICE confidence",
            Input::IceEase => "ease",
            Input::Moscow => "MoSCoW",
            Input::CostOfDelay => "cost of delay per week",
            Input::Duration => "duration",
        }
    }

    /// The value it holds on `inputs`.
    #[must_use]
    pub fn get(self, inputs: &Inputs) -> Option<InputValue> {
        if let Input::Moscow = self {
            return inputs.moscow.map(InputValue::Moscow);
        }
        self.number(inputs).map(InputValue::Number)
    }

    /// The number it holds on `inputs` (none for MoSCoW).
    #[must_use]
    pub fn number(self, inputs: &Inputs) -> Option<f64> {
        match self {
            Input::Value => inputs.value,
            Input::TimeCriticality => inputs.time_criticality,
            Input::RiskReduction => inputs.risk_reduction,
            Input::JobSize => inputs.job_size,
            Input::Reach => inputs.reach,
            Input::Impact => inputs.impact,
            Input::Confidence => inputs.confidence,
            Input::Effort => inputs.effort,
            Input::IceImpact => inputs.ice_impact,
            Input::IceConfidence => inputs.ice_confidence,
            Input::IceEase => inputs.ice_ease,
            Input::CostOfDelay => inputs.cost_of_delay,
            Input::Duration => inputs.duration,
            Input::Moscow => None,
        }
    }

    /// Set it on `inputs` (`None` clears it). A value of the wrong kind
    /// (a number for MoSCoW, a priority for a number) is not set.
    pub fn set(self, inputs: &mut Inputs, value: Option<InputValue>) {
        if let Input::Moscow = self {
            match value {
                None => inputs.moscow = None,
                Some(InputValue::Moscow(m)) => inputs.moscow = Some(m),
                Some(InputValue::Number(_)) => {}
            }
            return;
        }
        let number = match value {
            None => None,
            Some(InputValue::Number(n)) => Some(n),
            Some(InputValue::Moscow(_)) => return,
        };
        let field = match self {
            Input::Value => &mut inputs.value,
            Input::TimeCriticality => &mut inputs.time_criticality,
            Input::RiskReduction => &mut inputs.risk_reduction,
            Input::JobSize => &mut inputs.job_size,
            Input::Reach => &mut inputs.reach,
            Input::Impact => &mut inputs.impact,
            Input::Confidence => &mut inputs.confidence,
            Input::Effort => &mut inputs.effort,
            Input::IceImpact => &mut inputs.ice_impact,
            Input::IceConfidence => &mut inputs.ice_confidence,
            Input::IceEase => &mut inputs.ice_ease,
            Input::CostOfDelay => &mut inputs.cost_of_delay,
            Input::Duration => &mut inputs.duration,
            Input::Moscow => return,
        };
        *field = number;
    }

    /// The values it may take, as a message names them.
    #[must_use]
    pub fn allowed(self, settings: &PrioritySettings) -> String {
        match self {
            Input::Value | Input::TimeCriticality | Input::RiskReduction | Input::JobSize => {
                let values: Vec<String> = settings
                    .wsjf_scale
                    .iter()
                    .map(|v| number(f64::from(*v)))
                    .collect();
                format!("one of {}", or_list(&values))
            }
            Input::Reach => "a number of people or events per period, 0 or more".into(),
            Input::Impact => {
                let values: Vec<String> = RICE_IMPACT
                    .iter()
                    .map(|(v, name)| format!("{} ({name})", number(*v)))
                    .collect();
                format!("one of {}", or_list(&values))
            }
            Input::Confidence => {
                let values: Vec<String> = RICE_CONFIDENCE
                    .iter()
                    .map(|(v, name)| format!("{}% ({name})", number(*v)))
                    .collect();
                format!("one of {}", or_list(&values))
            }
            Input::Effort => format!(
                "person-months, at least {} (half a person-month)",
                number(LEAST_EFFORT)
            ),
            Input::IceImpact | Input::IceConfidence | Input::IceEase => {
                "a whole number from 1 to 10".into()
            }
            Input::Moscow => "must, should, could or wont".into(),
            Input::CostOfDelay => "a cost per week, 0 or more".into(),
            Input::Duration => "a number of weeks, more than 0".into(),
        }
    }

    /// Whether `value` is on this input's scale.
    #[must_use]
    #[allow(
        clippy::float_cmp,
        reason = "scale values are whole numbers or quarters, exact in f64"
    )]
    pub fn admits(self, value: InputValue, settings: &PrioritySettings) -> bool {
        let n = match (self, value) {
            (Input::Moscow, InputValue::Moscow(_)) => return true,
            (Input::Moscow, InputValue::Number(_)) | (_, InputValue::Moscow(_)) => return false,
            (_, InputValue::Number(n)) => n,
        };
        if !n.is_finite() {
            return false;
        }
        match self {
            Input::Value | Input::TimeCriticality | Input::RiskReduction | Input::JobSize => {
                settings.wsjf_scale.iter().any(|v| f64::from(*v) == n)
            }
            Input::Reach | Input::CostOfDelay => n >= 0.0,
            Input::Impact => RICE_IMPACT.iter().any(|(v, _)| *v == n),
            Input::Confidence => RICE_CONFIDENCE.iter().any(|(v, _)| *v == n),
            Input::Effort => n >= LEAST_EFFORT,
            Input::IceImpact | Input::IceConfidence | Input::IceEase => {
                n.fract() == 0.0 && (1.0..=10.0).contains(&n)
            }
            Input::Duration => n > 0.0,
            Input::Moscow => false,
        }
    }

    /// Read a value for this input as a person types it: a number (RICE's
    /// impact and confidence also by name, confidence also with `%`), or
    /// a MoSCoW priority. Off the scale is refused with the values it
    /// allows.
    ///
    /// # Errors
    /// Text that is not a value of this input, or one off its scale.
    pub fn parse(self, text: &str, settings: &PrioritySettings) -> Result<InputValue, String> {
        let said = text.trim();
        let value = if let Input::Moscow = self {
            InputValue::Moscow(said.parse()?)
        } else {
            let named = |scale: &[(f64, &str)]| {
                scale
                    .iter()
                    .find(|(_, name)| name.eq_ignore_ascii_case(said))
                    .map(|(v, _)| *v)
            };
            let by_name = match self {
                Input::Impact => named(&RICE_IMPACT),
                Input::Confidence => named(&RICE_CONFIDENCE),
                _ => None,
            };
            let digits = if let Input::Confidence = self {
                said.trim_end_matches('%').trim_end()
            } else {
                said
            };
            match by_name.or_else(|| digits.parse::<f64>().ok().filter(|n| n.is_finite())) {
                Some(n) => InputValue::Number(n),
                None => {
                    return Err(format!(
                        "{} {said:?} is not a number: it takes {}",
                        self.label(),
                        self.allowed(settings)
                    ));
                }
            }
        };
        if self.admits(value, settings) {
            Ok(value)
        } else {
            Err(format!(
                "{} {value} is off its scale: it takes {}",
                self.label(),
                self.allowed(settings)
            ))
        }
    }
}

impl fmt::Display for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Input {
    type Err = String;

    /// An input's key (`job-size`; `job_size` as the file spells it).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let key = text.trim().to_lowercase().replace('_', "-");
        Input::ALL
            .into_iter()
            .find(|input| input.key() == key)
            .ok_or_else(|| {
                let keys: Vec<&str> = Input::ALL.iter().map(|i| i.key()).collect();
                format!(
                    "unknown prioritisation input {text:?} (expected {})",
                    or_list(&keys)
                )
            })
    }
}

/// `a, b or c`.
fn or_list<T: AsRef<str>>(items: &[T]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} or {}", rest.join(", "), last.as_ref())
        }
    }
}

/// SAFe's modified Fibonacci scale for WSJF's inputs.
pub const SAFE_SCALE: [u32; 7] = [1, 2, 3, 5, 8, 13, 20];

/// How ICE combines its three inputs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IceCombine {
    /// Impact × confidence × ease (1 to 1,000).
    #[default]
    Product,
    /// Their mean (1 to 10).
    Mean,
}

impl IceCombine {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            IceCombine::Product => "product",
            IceCombine::Mean => "mean",
        }
    }
}

impl fmt::Display for IceCombine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for IceCombine {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_lowercase().as_str() {
            "product" => Ok(IceCombine::Product),
            "mean" => Ok(IceCombine::Mean),
            _ => Err(format!(
                "unknown way to combine {text:?} (expected product or mean)"
            )),
        }
    }
}

/// Where the value/effort quadrant splits high from low: a story whose
/// value is at least `value` is of high value, one whose job size is at
/// least `effort` of high effort.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quadrant {
    pub value: f64,
    pub effort: f64,
}

impl Default for Quadrant {
    /// The middle of SAFe's scale: 8 of 1 to 20.
    fn default() -> Self {
        Quadrant {
            value: 8.0,
            effort: 8.0,
        }
    }
}

/// A term of the weighted engine: what a coefficient multiplies.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Term {
    /// A numeric input; missing, the story is unscored.
    Input(Input),
    /// The estimate in points; missing, the story is unscored.
    Points,
    /// 1 when the story has the label, else 0.
    Label(String),
    /// 1 when the story is in the epic, else 0.
    Epic(String),
    /// The story's age in years, at most 1 (365 days or more count as 1),
    /// as Taskwarrior's urgency counts age.
    Age,
    /// 1 when the story meets the Definition of Ready, else 0.
    Ready,
    /// How many customers ask for the story: the distinct customers of
    /// the feedback linked to it.
    Customers,
    /// How much the story matters to those customers: their importance
    /// (0 to 3 each) summed.
    Demand,
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Input(input) => f.write_str(input.key()),
            Term::Points => f.write_str("points"),
            Term::Label(label) => write!(f, "label:{label}"),
            Term::Epic(epic) => write!(f, "epic:{epic}"),
            Term::Age => f.write_str("age"),
            Term::Ready => f.write_str("ready"),
            Term::Customers => f.write_str("customers"),
            Term::Demand => f.write_str("demand"),
        }
    }
}

impl FromStr for Term {
    type Err = String;

    /// `points`, `age`, `ready`, an input's key (`value`), `label:NAME` or
    /// `epic:NAME`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if let Some(label) = text.strip_prefix("label:") {
            return non_empty(label, "label").map(Term::Label);
        }
        if let Some(epic) = text.strip_prefix("epic:") {
            return non_empty(epic, "epic").map(Term::Epic);
        }
        match text {
            "points" => Ok(Term::Points),
            "age" => Ok(Term::Age),
            "ready" => Ok(Term::Ready),
            "customers" => Ok(Term::Customers),
            "demand" => Ok(Term::Demand),
            _ => match text.parse::<Input>() {
                Ok(Input::Moscow) => Err(
                    "moscow is a category, not a number: weigh stories by it with --by moscow"
                        .into(),
                ),
                Ok(input) => Ok(Term::Input(input)),
                Err(_) => Err(format!(
                    "unknown term {text:?} (expected points, age, ready, customers, demand, an \
                     input such as value or job-size, label:NAME or epic:NAME)"
                )),
            },
        }
    }
}

fn non_empty(name: &str, what: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        Err(format!("{what}: needs a name after the colon"))
    } else {
        Ok(name.to_string())
    }
}

impl Serialize for Term {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Term {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A coefficient and what it multiplies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weight {
    pub term: Term,
    pub coefficient: f64,
}

/// The weighted engine's sum as a person writes it: `2 × value + 3 ×
/// label:security − 1 × job-size`.
#[must_use]
pub fn weights_text(weights: &[Weight]) -> String {
    let mut text = String::new();
    for (i, weight) in weights.iter().enumerate() {
        let c = weight.coefficient;
        let sign = match (i, c < 0.0) {
            (0, false) => "",
            (0, true) => "−",
            (_, false) => " + ",
            (_, true) => " − ",
        };
        let _ = write!(text, "{sign}{} × {}", number(c.abs()), weight.term);
    }
    text
}

/// The weighted engine's coefficients when a backlog sets none: WSJF's
/// three parts of the cost of delay, less its job size, and a nudge for
/// stories that are ready and for old ones, as Taskwarrior's urgency
/// nudges old tasks.
#[must_use]
pub fn default_weights() -> Vec<Weight> {
    let weight = |term, coefficient| Weight { term, coefficient };
    vec![
        weight(Term::Input(Input::Value), 1.0),
        weight(Term::Input(Input::TimeCriticality), 1.0),
        weight(Term::Input(Input::RiskReduction), 1.0),
        weight(Term::Input(Input::JobSize), -1.0),
        weight(Term::Ready, 2.0),
        weight(Term::Age, 2.0),
    ]
}

/// How this backlog prioritises.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrioritySettings {
    /// The values WSJF's inputs take, smallest first.
    #[serde(default = "safe_scale")]
    pub wsjf_scale: Vec<u32>,
    #[serde(default)]
    pub ice: IceCombine,
    #[serde(default)]
    pub quadrant: Quadrant,
    /// The weighted engine's terms, each with its coefficient.
    #[serde(default = "default_weights")]
    pub weights: Vec<Weight>,
}

fn safe_scale() -> Vec<u32> {
    SAFE_SCALE.to_vec()
}

impl Default for PrioritySettings {
    fn default() -> Self {
        PrioritySettings {
            wsjf_scale: safe_scale(),
            ice: IceCombine::default(),
            quadrant: Quadrant::default(),
            weights: default_weights(),
        }
    }
}

impl PrioritySettings {
    /// Whether these are the settings a backlog starts with: the file
    /// leaves them out.
    #[must_use]
    pub fn is_default(&self) -> bool {
        *self == PrioritySettings::default()
    }

    /// Use `scale` for WSJF's inputs.
    ///
    /// # Errors
    /// An empty scale, a 0 on it (a job size of 0 would divide by zero),
    /// or values not rising.
    pub fn set_wsjf_scale(&mut self, scale: Vec<u32>) -> Result<(), String> {
        if scale.is_empty() {
            return Err("the WSJF scale needs at least one value".into());
        }
        if scale.contains(&0) {
            return Err("the WSJF scale starts at 1: a job size of 0 would divide by zero".into());
        }
        if !scale.windows(2).all(|w| w[0] < w[1]) {
            return Err("the WSJF scale's values must rise, each once (1, 2, 3, 5, …)".into());
        }
        self.wsjf_scale = scale;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_storys_inputs_are_set_and_cleared_as_inputs_are() {
        let mut kept = StoryInputs::default();
        assert!(kept.is_empty());
        assert_eq!(*kept, Inputs::default());
        Input::Reach.set(&mut kept, Some(InputValue::Number(40.0)));
        assert_eq!(kept.reach, Some(40.0));
        assert!(!kept.is_empty());
        assert_eq!(serde_json::to_string(&kept).unwrap(), r#"{"reach":40.0}"#);
        Input::Reach.set(&mut kept, None);
        // Room made for inputs, none set: the same as none ever set.
        assert!(kept.0.is_some() && kept.is_empty());
        assert_eq!(kept, StoryInputs::default());
        let read: StoryInputs = serde_json::from_str("{}").unwrap();
        assert!(read.0.is_none(), "nothing set, nothing kept");
        assert!(serde_json::from_str::<StoryInputs>(r#"{"reech":1}"#).is_err());
    }

    #[test]
    fn inputs_are_read_on_their_own_scales_and_refused_off_them() {
        let settings = PrioritySettings::default();
        let parse = |input: Input, text: &str| input.parse(text, &settings);
        assert_eq!(parse(Input::Value, "8"), Ok(InputValue::Number(8.0)));
        let off = parse(Input::Value, "4").unwrap_err();
        assert_eq!(
            off,
            "user-business value 4 is off its scale: it takes one of 1, 2, 3, 5, 8, 13 or 20"
        );
        assert!(
            parse(Input::JobSize, "0")
                .unwrap_err()
                .contains("off its scale")
        );
        assert_eq!(parse(Input::Impact, "massive"), Ok(InputValue::Number(3.0)));
        assert_eq!(parse(Input::Impact, "0.5"), Ok(InputValue::Number(0.5)));
        assert!(parse(Input::Impact, "4").is_err());
        assert_eq!(
            parse(Input::Confidence, "80%"),
            Ok(InputValue::Number(80.0))
        );
        assert!(
            parse(Input::Confidence, "90")
                .unwrap_err()
                .contains("100% (high)")
        );
        assert_eq!(parse(Input::Effort, "0.5"), Ok(InputValue::Number(0.5)));
        let effort = parse(Input::Effort, "0").unwrap_err();
        assert!(effort.contains("at least 0.5"), "{effort}");
        assert!(parse(Input::Effort, "-2").is_err());
        assert!(parse(Input::IceEase, "10").is_ok());
        assert!(parse(Input::IceEase, "11").is_err());
        assert!(parse(Input::IceEase, "2.5").is_err());
        assert_eq!(
            parse(Input::Moscow, "Won't"),
            Ok(InputValue::Moscow(Moscow::Wont))
        );
        assert!(parse(Input::Duration, "0").is_err());
        assert!(parse(Input::Reach, "NaN").is_err());
        assert!(parse(Input::Reach, "inf").is_err());
        let word = parse(Input::Reach, "lots").unwrap_err();
        assert!(word.contains("not a number"), "{word}");
    }

    #[test]
    fn a_configured_scale_is_the_one_checked() {
        let mut settings = PrioritySettings::default();
        settings
            .set_wsjf_scale((1..=21).collect())
            .expect("1 to 21 rises");
        assert!(Input::Value.parse("21", &settings).is_ok());
        assert!(Input::Value.parse("4", &settings).is_ok());
        assert!(settings.set_wsjf_scale(vec![0, 1]).is_err());
        assert!(settings.set_wsjf_scale(vec![3, 2]).is_err());
        assert!(settings.set_wsjf_scale(Vec::new()).is_err());
    }

    #[test]
    fn every_input_is_set_got_and_cleared() {
        let mut inputs = Inputs::default();
        assert!(inputs.is_empty());
        for input in Input::ALL {
            let value = if input == Input::Moscow {
                InputValue::Moscow(Moscow::Should)
            } else {
                InputValue::Number(5.0)
            };
            input.set(&mut inputs, Some(value));
            assert_eq!(input.get(&inputs), Some(value), "{input}");
            assert_eq!(input.key().parse::<Input>(), Ok(input));
        }
        for input in Input::ALL {
            input.set(&mut inputs, None);
        }
        assert!(inputs.is_empty());
    }

    #[test]
    fn terms_read_and_write_alike() {
        for text in [
            "points",
            "age",
            "ready",
            "job-size",
            "label:security",
            "epic:Checkout",
        ] {
            let term: Term = text.parse().unwrap();
            assert_eq!(term.to_string(), text);
        }
        assert!("moscow".parse::<Term>().unwrap_err().contains("category"));
        assert!("label:".parse::<Term>().is_err());
        assert!(
            "colour"
                .parse::<Term>()
                .unwrap_err()
                .contains("unknown term")
        );
    }

    #[test]
    fn numbers_show_without_needless_decimals() {
        assert_eq!(number(8.0), "8");
        assert_eq!(number(7.5), "7.5");
        assert_eq!(number(1.0 / 3.0), "0.33");
        assert_eq!(number(0.25), "0.25");
    }
}
