//! What the backlog is for and how it is groomed: the product's name,
//! vision and goals, its epics, and the backlog's settings (estimate
//! scale, Definition of Ready).

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::feedback::{Evidence, Feedback, FeedbackId};
use super::inputs::PrioritySettings;
use super::plan::{PastSprint, Release, Sprint};
use super::story::{Points, StoryId};

/// The product-level part of a backlog: everything but the stories.
///
/// The data file spreads these fields over its top level; the undo
/// history keeps them whole, as this struct.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub name: String,
    #[serde(default)]
    pub vision: String,
    /// Goals the product works towards, one line each.
    #[serde(default)]
    pub goals: Vec<String>,
    #[serde(default)]
    pub epics: Vec<Epic>,
    #[serde(default)]
    pub settings: Settings,
    /// What ships when: named releases, each with a target date and a
    /// scope.
    #[serde(default)]
    pub releases: Vec<Release>,
    /// The team's sprints, in start order.
    #[serde(default)]
    pub sprints: Vec<Sprint>,
    /// The velocity of sprints from before the backlog kept them, as
    /// entered.
    #[serde(default)]
    pub past_sprints: Vec<PastSprint>,
    /// Customer feedback, in id order.
    #[serde(default)]
    pub feedback: Vec<Arc<Feedback>>,
    /// The number the next feedback item takes (ids are never reused); 0
    /// in a product that never had any.
    #[serde(default)]
    pub next_feedback: u64,
}

/// One part of the product that changes on its own: undo puts back, and
/// a merge takes, each part without touching the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProductPart {
    Name,
    Vision,
    Goals,
    Epics,
    Settings,
    Releases,
    Sprints,
    PastSprints,
    /// The feedback items and their id counter.
    Feedback,
}

impl ProductPart {
    /// The field of [`Product`] that is this part, as the file names it.
    #[must_use]
    pub fn field(self) -> &'static str {
        match self {
            ProductPart::Name => "name",
            ProductPart::Vision => "vision",
            ProductPart::Goals => "goals",
            ProductPart::Epics => "epics",
            ProductPart::Settings => "settings",
            ProductPart::Releases => "releases",
            ProductPart::Sprints => "sprints",
            ProductPart::PastSprints => "past_sprints",
            ProductPart::Feedback => "feedback",
        }
    }

    /// Every part of the product, listed once. The product is taken apart
    /// here with no field left out, so a new field does not compile until
    /// it is named here; undo and merge go through this list, part by
    /// part, so they cannot forget it.
    #[must_use]
    pub fn all() -> [ProductPart; 9] {
        let Product {
            name: _,
            vision: _,
            goals: _,
            epics: _,
            settings: _,
            releases: _,
            sprints: _,
            past_sprints: _,
            feedback: _,
            next_feedback: _,
        } = Product::default();
        [
            ProductPart::Name,
            ProductPart::Vision,
            ProductPart::Goals,
            ProductPart::Epics,
            ProductPart::Settings,
            ProductPart::Releases,
            ProductPart::Sprints,
            ProductPart::PastSprints,
            ProductPart::Feedback,
        ]
    }
}

impl Product {
    #[must_use]
    pub fn new(name: impl Into<String>) -> Self {
        Product {
            name: name.into(),
            ..Product::default()
        }
    }

    /// Feedback item `id`, if there is one.
    #[must_use]
    pub fn feedback_item(&self, id: FeedbackId) -> Option<&Feedback> {
        self.feedback
            .binary_search_by_key(&id, |f| f.id)
            .ok()
            .map(|at| &*self.feedback[at])
    }

    /// The customers who asked for `story`, and how much it matters to
    /// them: one walk of the feedback.
    #[must_use]
    pub fn evidence(&self, story: StoryId) -> Evidence {
        Evidence::of(story, self.feedback.iter().map(|f| &**f))
    }

    /// Whether `part` is the same in this product and `other`.
    #[must_use]
    pub fn same_part(&self, other: &Product, part: ProductPart) -> bool {
        match part {
            ProductPart::Name => self.name == other.name,
            ProductPart::Vision => self.vision == other.vision,
            ProductPart::Goals => self.goals == other.goals,
            ProductPart::Epics => self.epics == other.epics,
            ProductPart::Settings => self.settings == other.settings,
            ProductPart::Releases => self.releases == other.releases,
            ProductPart::Sprints => self.sprints == other.sprints,
            ProductPart::PastSprints => self.past_sprints == other.past_sprints,
            ProductPart::Feedback => {
                self.next_feedback == other.next_feedback
                    && self.feedback.len() == other.feedback.len()
                    && self.feedback == other.feedback
            }
        }
    }

    /// Make `part` of this product as `other` has it.
    pub fn take_part(&mut self, other: &Product, part: ProductPart) {
        match part {
            ProductPart::Name => self.name.clone_from(&other.name),
            ProductPart::Vision => self.vision.clone_from(&other.vision),
            ProductPart::Goals => self.goals.clone_from(&other.goals),
            ProductPart::Epics => self.epics.clone_from(&other.epics),
            ProductPart::Settings => self.settings.clone_from(&other.settings),
            ProductPart::Releases => self.releases.clone_from(&other.releases),
            ProductPart::Sprints => self.sprints.clone_from(&other.sprints),
            ProductPart::PastSprints => self.past_sprints.clone_from(&other.past_sprints),
            ProductPart::Feedback => {
                self.feedback.clone_from(&other.feedback);
                self.next_feedback = other.next_feedback;
            }
        }
    }

    #[must_use]
    pub fn epic(&self, name: &str) -> Option<&Epic> {
        epic_named(&self.epics, name)
    }

    /// The release called `name`, in any case.
    #[must_use]
    pub fn release(&self, name: &str) -> Option<&Release> {
        self.release_at(name).map(|at| &self.releases[at])
    }

    /// Where the release called `name`, in any case, is among the
    /// releases: spelled as it is first, as nearly every name comes.
    #[must_use]
    pub fn release_at(&self, name: &str) -> Option<usize> {
        let releases = &self.releases;
        releases
            .iter()
            .position(|r| r.name == name)
            .or_else(|| releases.iter().position(|r| same_name(&r.name, name)))
    }

    /// The epics that target the release called `release`.
    pub fn epics_targeting<'a>(&'a self, release: &'a str) -> impl Iterator<Item = &'a Epic> + 'a {
        self.epics.iter().filter(move |e| e.targets(release))
    }

    /// The sprint called `name`, in any case.
    #[must_use]
    pub fn sprint(&self, name: &str) -> Option<&Sprint> {
        self.sprint_at(name).map(|at| &self.sprints[at])
    }

    /// Where the sprint called `name`, in any case, is among the sprints.
    #[must_use]
    pub fn sprint_at(&self, name: &str) -> Option<usize> {
        let sprints = &self.sprints;
        sprints
            .iter()
            .position(|s| s.name == name)
            .or_else(|| sprints.iter().position(|s| same_name(&s.name, name)))
    }

    /// The colour a new epic gets: the first one no epic has yet. With
    /// every colour taken, the first of those fewest epics have, so each
    /// colour is used once more before any is used a third time (a count
    /// of the epics, which only matched while none had been recoloured
    /// or deleted, picked colours already used twice).
    #[must_use]
    pub fn next_color(&self) -> EpicColor {
        let mut uses = [0; EpicColor::ALL.len()];
        for epic in &self.epics {
            uses[epic.color as usize] += 1;
        }
        EpicColor::least_used(uses)
    }
}

/// Whether two names, of epics or of labels, are the same one. Case does
/// not tell names apart: "Billing", "billing" and "BILLING" are one epic.
/// The same as comparing their [`name_key`]s, without building them.
#[must_use]
pub fn same_name(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        key_chars(a).eq(key_chars(b))
    }
}

/// What a name of an epic or a label is known by, whatever its case: two
/// names with one key are one name ([`same_name`]), and where names are
/// gathered by key (folding an old file's labels) the grouping agrees
/// with every comparison.
///
/// ```
/// use backlog::model::{name_key, same_name};
///
/// assert_eq!(name_key("BILLING"), "billing");
/// // A final sigma is a sigma: the Greek for "road", in capitals and not.
/// assert_eq!(name_key("ΟΔΟΣ"), name_key("οδος"));
/// assert!(same_name("ΟΔΟΣ", "οδοσ"));
/// ```
#[must_use]
pub fn name_key(name: &str) -> String {
    if name.is_ascii() {
        name.to_ascii_lowercase()
    } else {
        key_chars(name).collect()
    }
}

/// Each character lowercased on its own, so a comparison can stop at the
/// first difference. `str::to_lowercase` writes a capital sigma at the end
/// of a word as `ς` and elsewhere as `σ`; both are one letter, so `ς`
/// counts as `σ`, and no name's key depends on where its words end.
fn key_chars(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ς' { 'σ' } else { c })
}

/// The epic called `name`, in any case, in a list of them.
#[must_use]
pub fn epic_named<'a>(epics: &'a [Epic], name: &str) -> Option<&'a Epic> {
    // Nearly every name comes spelled as its epic is (every story read
    // from a file is looked up): that is found at the cost of comparing
    // bytes, before names are compared without case.
    epics
        .iter()
        .find(|e| e.name == name)
        .or_else(|| epics.iter().find(|e| same_name(&e.name, name)))
}

/// A large piece of work that groups stories.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Epic {
    /// Unique within the backlog, whatever the case; stories name their
    /// epic by it, spelled as here.
    pub name: String,
    pub color: EpicColor,
    /// What the epic achieves, in a sentence.
    #[serde(default)]
    pub goal: String,
    /// The release it is meant to ship in, such as "2.0" or "Q3".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_release: Option<String>,
}

impl Epic {
    /// Whether it targets the release called `release`, in any case.
    #[must_use]
    pub fn targets(&self, release: &str) -> bool {
        self.target_release
            .as_deref()
            .is_some_and(|target| same_name(target, release))
    }
}

/// An epic's colour. Each has its own marker, so the table reads without
/// colour too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EpicColor {
    Blue,
    Green,
    Magenta,
    Yellow,
    Cyan,
    Red,
}

impl EpicColor {
    /// In the order the colours are declared, so `color as usize` is a
    /// colour's place here.
    pub const ALL: [EpicColor; 6] = [
        EpicColor::Blue,
        EpicColor::Green,
        EpicColor::Magenta,
        EpicColor::Yellow,
        EpicColor::Cyan,
        EpicColor::Red,
    ];

    /// The first colour of those fewest epics have, given how many have
    /// each (`uses`, in the order of [`EpicColor::ALL`]): the colour a new
    /// epic takes ([`Product::next_color`]).
    #[must_use]
    pub(super) fn least_used(uses: [usize; EpicColor::ALL.len()]) -> EpicColor {
        EpicColor::ALL
            .into_iter()
            .zip(uses)
            .min_by_key(|&(_, uses)| uses)
            .map_or(EpicColor::Blue, |(color, _)| color)
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            EpicColor::Blue => "blue",
            EpicColor::Green => "green",
            EpicColor::Magenta => "magenta",
            EpicColor::Yellow => "yellow",
            EpicColor::Cyan => "cyan",
            EpicColor::Red => "red",
        }
    }

    /// The shape shown before the epic's name.
    #[must_use]
    pub fn marker(self) -> char {
        match self {
            EpicColor::Blue => '■',
            EpicColor::Green => '▲',
            EpicColor::Magenta => '◆',
            EpicColor::Yellow => '●',
            EpicColor::Cyan => '▼',
            EpicColor::Red => '★',
        }
    }

    /// The next colour round the palette.
    #[must_use]
    pub fn next(self) -> EpicColor {
        let at = EpicColor::ALL.iter().position(|c| *c == self).unwrap_or(0);
        EpicColor::ALL[(at + 1) % EpicColor::ALL.len()]
    }
}

impl fmt::Display for EpicColor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EpicColor {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        EpicColor::ALL
            .into_iter()
            .find(|c| c.as_str() == text.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                format!(
                    "unknown colour {text:?} (expected blue, green, magenta, yellow, cyan or red)"
                )
            })
    }
}

/// How the backlog is groomed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    pub scale: Scale,
    #[serde(default)]
    pub ready: ReadyRules,
    /// How the prioritisation frameworks weigh stories.
    #[serde(default, skip_serializing_if = "PrioritySettings::is_default")]
    pub priority: PrioritySettings,
    /// How the release forecast counts.
    #[serde(default, skip_serializing_if = "PlanSettings::is_default")]
    pub plan: PlanSettings,
}

/// How the release forecast counts: how many sprints the velocity is the
/// mean of, and what an unestimated story counts for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSettings {
    /// The velocity is the mean of this many last sprints (3, as Jira's
    /// release burndown takes it).
    #[serde(default = "velocity_sprints")]
    pub velocity_sprints: usize,
    /// Points an unestimated story counts for; with none, such stories
    /// are left out of the forecast, which says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unestimated: Option<f64>,
}

fn velocity_sprints() -> usize {
    3
}

impl Default for PlanSettings {
    fn default() -> Self {
        PlanSettings {
            velocity_sprints: velocity_sprints(),
            unestimated: None,
        }
    }
}

impl PlanSettings {
    #[must_use]
    pub fn is_default(&self) -> bool {
        *self == PlanSettings::default()
    }
}

impl Settings {
    /// Use `scale` for estimates. The largest estimate a ready story may
    /// have (the small-enough rule) moves onto the new scale in the same
    /// change: to the largest of its values at or below the old maximum,
    /// else to its smallest. Left where it was, the rule could mean
    /// nothing (13 is above every T-shirt size) or show as a number on a
    /// scale of sizes. Returns what became of the maximum when it moved:
    /// `the maximum is now XL (8 points), on the t-shirt scale (it was
    /// 13 points)`.
    pub fn set_scale(&mut self, scale: Scale) -> Option<String> {
        if scale == self.scale {
            return None;
        }
        self.scale = scale;
        let was = self.ready.max_points;
        if scale.contains(was) {
            return None;
        }
        let values = scale.values();
        let onto = values
            .iter()
            .rev()
            .copied()
            .find(|v| *v <= was.value())
            .unwrap_or(values[0]);
        self.ready.max_points = Points::new(onto).expect("scale values are valid points");
        Some(format!(
            "the maximum is now {}, on the {scale} scale (it was {})",
            scale.describe(self.ready.max_points),
            scale.describe(was)
        ))
    }
}

/// The values an estimate steps through.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scale {
    #[default]
    Fibonacci,
    ModifiedFibonacci,
    TShirt,
}

impl Scale {
    pub const ALL: [Scale; 3] = [Scale::Fibonacci, Scale::ModifiedFibonacci, Scale::TShirt];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Scale::Fibonacci => "fibonacci",
            Scale::ModifiedFibonacci => "modified-fibonacci",
            Scale::TShirt => "t-shirt",
        }
    }

    /// The scale's values in points, smallest first.
    #[must_use]
    pub fn values(self) -> &'static [f64] {
        match self {
            Scale::Fibonacci => &[1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0],
            Scale::ModifiedFibonacci => {
                &[0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0, 40.0, 100.0]
            }
            Scale::TShirt => &[1.0, 2.0, 3.0, 5.0, 8.0],
        }
    }

    /// How an estimate reads on this scale: T-shirt sizes by name, points
    /// otherwise (an estimate off the scale shows as points).
    #[must_use]
    #[allow(
        clippy::float_cmp,
        reason = "estimates are whole or half points, exact in f64"
    )]
    pub fn label(self, points: Points) -> String {
        if self == Scale::TShirt
            && let Some((size, _)) = TSHIRT.iter().find(|(_, p)| *p == points.value())
        {
            return (*size).to_string();
        }
        if points.value() == 0.5 {
            "½".to_string()
        } else {
            points.to_string()
        }
    }

    /// Whether `points` is one of the scale's values. An estimate off the
    /// scale (4 on Fibonacci) is allowed, but worth telling the user.
    #[must_use]
    #[allow(
        clippy::float_cmp,
        reason = "estimates are whole or half points, exact in f64"
    )]
    pub fn contains(self, points: Points) -> bool {
        self.values().contains(&points.value())
    }

    /// The scale's values as it writes them, smallest first:
    /// `1, 2, 3, 5, 8, 13, 21`, or `XS, S, M, L, XL`.
    #[must_use]
    pub fn listed(self) -> String {
        self.values()
            .iter()
            .map(|&v| Points::new(v).map_or_else(|_| v.to_string(), |p| self.label(p)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// An estimate as the scale writes it, with its points where the name
    /// hides them: `5 points`, `L (5 points)`, `13 points` (off the T-shirt
    /// scale).
    #[must_use]
    pub fn describe(self, points: Points) -> String {
        let label = self.label(points);
        let unit = if points.value() > 0.0 && points.value() <= 1.0 {
            "point"
        } else {
            "points"
        };
        if label == points.to_string() || label == "½" {
            format!("{label} {unit}")
        } else {
            format!("{label} ({points} {unit})")
        }
    }

    /// What to tell the user about an estimate off the scale, `not on the
    /// fibonacci scale (1, 2, 3, 5, 8, 13, 21)`; `None` when it is on it.
    #[must_use]
    pub fn off_scale(self, points: Points) -> Option<String> {
        (!self.contains(points)).then(|| format!("not on the {self} scale ({})", self.listed()))
    }

    /// The largest value of the scale.
    #[must_use]
    pub fn top(self) -> Points {
        let values = self.values();
        Points::new(values[values.len() - 1]).expect("scale values are valid points")
    }

    /// The smallest value of the scale.
    #[must_use]
    pub fn bottom(self) -> Points {
        Points::new(self.values()[0]).expect("scale values are valid points")
    }

    /// Where `points` is, at the end of the scale a step `up` (or down)
    /// cannot pass, for telling the user why the step did nothing: `XL
    /// (8 points), the top of the t-shirt scale`, or, off it, `13 points,
    /// above the top of the t-shirt scale (XL)`.
    #[must_use]
    pub fn at_end(self, points: Points, up: bool) -> String {
        let (end, beyond, limit) = if up {
            ("top", "above", self.top())
        } else {
            ("bottom", "below", self.bottom())
        };
        let past = if up { points > limit } else { points < limit };
        let described = self.describe(points);
        if past {
            format!(
                "{described}, {beyond} the {end} of the {self} scale ({})",
                self.label(limit)
            )
        } else {
            format!("{described}, the {end} of the {self} scale")
        }
    }

    /// One step up the scale from `current`; an unestimated story starts
    /// at the smallest value. At the top it stays.
    #[must_use]
    pub fn step_up(self, current: Option<Points>) -> Points {
        let values = self.values();
        let next = match current {
            None => values[0],
            Some(p) => values
                .iter()
                .copied()
                .find(|v| *v > p.value())
                .unwrap_or_else(|| values[values.len() - 1].max(p.value())),
        };
        Points::new(next).expect("scale values are valid points")
    }

    /// One step down; below the smallest value the estimate is cleared.
    #[must_use]
    pub fn step_down(self, current: Option<Points>) -> Option<Points> {
        let p = current?;
        self.values()
            .iter()
            .rev()
            .copied()
            .find(|v| *v < p.value())
            .map(|v| Points::new(v).expect("scale values are valid points"))
    }

    /// Read an estimate as the scale writes it: a T-shirt size or points.
    ///
    /// # Errors
    /// When the text is neither.
    pub fn parse_estimate(self, text: &str) -> Result<Points, String> {
        let text = text.trim();
        if let Some((_, points)) = TSHIRT.iter().find(|(s, _)| s.eq_ignore_ascii_case(text)) {
            return Points::new(*points);
        }
        if text == "½" {
            return Points::new(0.5);
        }
        text.parse::<Points>().map_err(|_| {
            format!("{text:?} is not an estimate (expected points, or a size XS, S, M, L, XL)")
        })
    }
}

/// T-shirt sizes and the points they stand for.
pub const TSHIRT: [(&str, f64); 5] = [("XS", 1.0), ("S", 2.0), ("M", 3.0), ("L", 5.0), ("XL", 8.0)];

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scale {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Scale::ALL
            .into_iter()
            .find(|s| s.as_str() == text.trim())
            .ok_or_else(|| {
                format!(
                    "unknown scale {text:?} (expected fibonacci, modified-fibonacci or t-shirt)"
                )
            })
    }
}

/// The Definition of Ready: which checks a story must pass before the
/// team takes it into a sprint. Every rule can be switched off.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadyRules {
    /// "As a …, I want …, so that …" has all three parts.
    #[serde(default = "yes")]
    pub user_story: bool,
    /// At least one acceptance criterion.
    #[serde(default = "yes")]
    pub acceptance_criteria: bool,
    #[serde(default = "yes")]
    pub estimated: bool,
    /// The estimate is at or below `max_points`.
    #[serde(default = "yes")]
    pub small_enough: bool,
    #[serde(default = "thirteen")]
    pub max_points: Points,
    #[serde(default = "yes")]
    pub no_open_questions: bool,
}

fn yes() -> bool {
    true
}

fn thirteen() -> Points {
    Points::new(13.0).expect("13 is a valid estimate")
}

impl Default for ReadyRules {
    fn default() -> Self {
        ReadyRules {
            user_story: true,
            acceptance_criteria: true,
            estimated: true,
            small_enough: true,
            max_points: thirteen(),
            no_open_questions: true,
        }
    }
}

/// One rule of the Definition of Ready, as named in the CLI and config.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    UserStory,
    AcceptanceCriteria,
    Estimated,
    SmallEnough,
    NoOpenQuestions,
}

impl Rule {
    pub const ALL: [Rule; 5] = [
        Rule::UserStory,
        Rule::AcceptanceCriteria,
        Rule::Estimated,
        Rule::SmallEnough,
        Rule::NoOpenQuestions,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::UserStory => "user-story",
            Rule::AcceptanceCriteria => "acceptance-criteria",
            Rule::Estimated => "estimated",
            Rule::SmallEnough => "small-enough",
            Rule::NoOpenQuestions => "no-open-questions",
        }
    }

    /// What the rule asks, for the settings screen and `--help`.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Rule::UserStory => "the user-story sentence is complete",
            Rule::AcceptanceCriteria => "at least one acceptance criterion",
            Rule::Estimated => "estimated",
            Rule::SmallEnough => "estimate at or below the maximum",
            Rule::NoOpenQuestions => "no open questions",
        }
    }
}

impl FromStr for Rule {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Rule::ALL
            .into_iter()
            .find(|r| r.as_str() == text.trim())
            .ok_or_else(|| {
                format!(
                    "unknown rule {text:?} (expected user-story, acceptance-criteria, estimated, small-enough or no-open-questions)"
                )
            })
    }
}

impl ReadyRules {
    #[must_use]
    pub fn is_on(&self, rule: Rule) -> bool {
        match rule {
            Rule::UserStory => self.user_story,
            Rule::AcceptanceCriteria => self.acceptance_criteria,
            Rule::Estimated => self.estimated,
            Rule::SmallEnough => self.small_enough,
            Rule::NoOpenQuestions => self.no_open_questions,
        }
    }

    pub fn set(&mut self, rule: Rule, on: bool) {
        let field = match rule {
            Rule::UserStory => &mut self.user_story,
            Rule::AcceptanceCriteria => &mut self.acceptance_criteria,
            Rule::Estimated => &mut self.estimated,
            Rule::SmallEnough => &mut self.small_enough,
            Rule::NoOpenQuestions => &mut self.no_open_questions,
        };
        *field = on;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(v: f64) -> Points {
        Points::new(v).unwrap()
    }

    #[test]
    fn every_field_of_the_product_is_a_part_undo_and_merge_go_through() {
        // Beside the destructuring in `ProductPart::all`, which fails to
        // compile on a new field: a field given no part fails here.
        let product = serde_json::to_value(Product::default()).unwrap();
        let mut fields: Vec<&str> = product
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        // The feedback part holds its id counter too.
        let mut parts: Vec<&str> = ProductPart::all()
            .map(ProductPart::field)
            .into_iter()
            .chain(["next_feedback"])
            .collect();
        fields.sort_unstable();
        parts.sort_unstable();
        assert_eq!(fields, parts);
    }

    #[test]
    fn estimates_step_along_the_scale() {
        let s = Scale::Fibonacci;
        assert_eq!(s.step_up(None), pts(1.0));
        assert_eq!(s.step_up(Some(pts(3.0))), pts(5.0));
        assert_eq!(s.step_up(Some(pts(4.0))), pts(5.0));
        assert_eq!(s.step_up(Some(pts(21.0))), pts(21.0));
        assert_eq!(s.step_up(Some(pts(40.0))), pts(40.0));
        assert_eq!(s.step_down(Some(pts(5.0))), Some(pts(3.0)));
        assert_eq!(s.step_down(Some(pts(1.0))), None);
        assert_eq!(s.step_down(None), None);
        let m = Scale::ModifiedFibonacci;
        assert_eq!(m.step_up(None), pts(0.0));
        assert_eq!(m.step_up(Some(pts(0.0))), pts(0.5));
        assert_eq!(m.step_up(Some(pts(13.0))), pts(20.0));
        assert_eq!(m.step_down(Some(pts(0.5))), Some(pts(0.0)));
    }

    #[test]
    fn estimates_off_the_scale_are_told_apart() {
        let f = Scale::Fibonacci;
        assert!(f.contains(pts(5.0)));
        assert!(!f.contains(pts(4.0)));
        assert_eq!(f.listed(), "1, 2, 3, 5, 8, 13, 21");
        assert_eq!(
            f.off_scale(pts(4.0)).unwrap(),
            "not on the fibonacci scale (1, 2, 3, 5, 8, 13, 21)"
        );
        assert_eq!(f.off_scale(pts(13.0)), None);
        let t = Scale::TShirt;
        assert_eq!(t.listed(), "XS, S, M, L, XL");
        assert_eq!(t.describe(pts(5.0)), "L (5 points)");
        assert_eq!(t.describe(pts(1.0)), "XS (1 point)");
        assert_eq!(t.describe(pts(13.0)), "13 points");
        assert!(
            t.off_scale(pts(13.0))
                .unwrap()
                .contains("t-shirt scale (XS, S, M, L, XL)")
        );
        assert_eq!(Scale::ModifiedFibonacci.describe(pts(0.5)), "½ point");
        assert_eq!(t.top(), pts(8.0));
        assert_eq!(t.bottom(), pts(1.0));
        assert_eq!(
            t.at_end(pts(8.0), true),
            "XL (8 points), the top of the t-shirt scale"
        );
        assert_eq!(
            t.at_end(pts(13.0), true),
            "13 points, above the top of the t-shirt scale (XL)"
        );
        assert_eq!(
            t.at_end(pts(0.5), false),
            "½ point, below the bottom of the t-shirt scale (XS)"
        );
        assert_eq!(
            t.at_end(pts(1.0), false),
            "XS (1 point), the bottom of the t-shirt scale"
        );
    }

    #[test]
    fn a_new_scale_takes_the_maximum_onto_it() {
        let mut settings = Settings::default();
        assert_eq!(settings.ready.max_points, pts(13.0));
        assert_eq!(
            settings.set_scale(Scale::TShirt).as_deref(),
            Some("the maximum is now XL (8 points), on the t-shirt scale (it was 13 points)")
        );
        assert_eq!(settings.ready.max_points, pts(8.0));
        // On the new scale already: it stays, and nothing is said.
        assert_eq!(settings.set_scale(Scale::Fibonacci), None);
        assert_eq!(settings.ready.max_points, pts(8.0));
        // Below every value: the smallest.
        settings.ready.max_points = pts(0.5);
        assert!(settings.set_scale(Scale::TShirt).is_some());
        assert_eq!(settings.ready.max_points, pts(1.0));
        // The same scale again changes nothing, even off it.
        settings.ready.max_points = pts(4.0);
        assert_eq!(settings.set_scale(Scale::TShirt), None);
        assert_eq!(settings.ready.max_points, pts(4.0));
        assert_eq!(settings.scale, Scale::TShirt);
    }

    #[test]
    fn tshirt_sizes_read_and_print_by_name() {
        let t = Scale::TShirt;
        assert_eq!(t.label(pts(3.0)), "M");
        assert_eq!(t.label(pts(13.0)), "13");
        assert_eq!(t.parse_estimate("xl"), Ok(pts(8.0)));
        assert_eq!(t.parse_estimate("5"), Ok(pts(5.0)));
        assert!(t.parse_estimate("huge").is_err());
        assert_eq!(Scale::ModifiedFibonacci.label(pts(0.5)), "½");
    }

    #[test]
    fn names_round_trip() {
        for s in Scale::ALL {
            assert_eq!(s.as_str().parse::<Scale>(), Ok(s));
        }
        for r in Rule::ALL {
            assert_eq!(r.as_str().parse::<Rule>(), Ok(r));
        }
        for c in EpicColor::ALL {
            assert_eq!(c.as_str().parse::<EpicColor>(), Ok(c));
        }
    }
}
