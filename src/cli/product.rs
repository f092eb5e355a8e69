//! Commands about the product rather than one story: its vision and goals,
//! its epics, and the backlog's settings.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use super::{count, note, update, update_if_changed};
use crate::interchange::json;
use crate::model::inputs::{IceCombine, Term, Weight, default_weights, weights_text};
use crate::model::{
    Backlog, Epic, EpicColor, EpicStories, ModelError, Product, Rule, Scale, Settings,
};
use crate::model::{PlanSettings, PrioritySettings, parse_points};
use crate::store;
use crate::text::{multi_line, one_line};
use crate::words::{count as count_of, number};

#[derive(Debug, Args)]
pub struct VisionArgs {
    /// Replace the vision ("" clears it)
    #[arg(long, value_name = "TEXT")]
    pub set: Option<String>,
    /// Rename the product
    #[arg(long, value_name = "NAME")]
    pub product: Option<String>,
    /// Add a goal at the end (repeat for more)
    #[arg(long, value_name = "TEXT")]
    pub add_goal: Vec<String>,
    /// Remove goal N (1-based, as listed)
    #[arg(long, value_name = "N")]
    pub remove_goal: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub enum EpicCommand {
    /// List the epics with their colour, stories, points, goal and release
    List {
        /// Print JSON (see the README for its fields)
        #[arg(long)]
        json: bool,
    },
    /// Add an epic
    Add(EpicAddArgs),
    /// Change an epic; a new name is carried to its stories
    Edit(EpicEditArgs),
    /// Remove an epic, saying what happens to its stories
    Rm(EpicRmArgs),
}

#[derive(Debug, Args)]
pub struct EpicAddArgs {
    /// The epic's name, unique in the backlog
    pub name: String,
    /// blue, green, magenta, yellow, cyan or red [default: the next one unused]
    #[arg(long, value_name = "C")]
    pub color: Option<EpicColor>,
    /// What the epic achieves, in a sentence
    #[arg(long, value_name = "TEXT")]
    pub goal: Option<String>,
    /// The release it is meant to ship in, e.g. 2.0 or Q3
    #[arg(long, value_name = "R")]
    pub release: Option<String>,
}

#[derive(Debug, Args)]
pub struct EpicEditArgs {
    /// The epic's current name
    pub name: String,
    /// A new name
    #[arg(long = "name", value_name = "NEW")]
    pub new_name: Option<String>,
    /// blue, green, magenta, yellow, cyan or red
    #[arg(long, value_name = "C")]
    pub color: Option<EpicColor>,
    /// What the epic achieves, in a sentence
    #[arg(long, value_name = "TEXT")]
    pub goal: Option<String>,
    /// The release it is meant to ship in
    #[arg(long, value_name = "R", conflicts_with = "no_release")]
    pub release: Option<String>,
    /// Clear the target release
    #[arg(long)]
    pub no_release: bool,
}

#[derive(Debug, Args)]
pub struct EpicRmArgs {
    /// The epic's name
    pub name: String,
    /// What happens to the epic's stories; needed when it has any
    #[arg(long, value_name = "WHAT")]
    pub stories: Option<StoriesOfEpic>,
    /// The epic its stories move to, with `--stories move`
    #[arg(long, value_name = "OTHER")]
    pub to: Option<String>,
}

/// What `epic rm` does with the epic's stories.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StoriesOfEpic {
    /// Keep them, in no epic
    Unassign,
    /// Delete them with the epic
    Delete,
    /// Move them to the epic named by --to
    Move,
}

#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// The estimate scale: fibonacci, modified-fibonacci or t-shirt
    #[arg(long, value_name = "SCALE")]
    pub scale: Option<Scale>,
    /// Switch a Definition-of-Ready rule on (repeat for more): user-story,
    /// acceptance-criteria, estimated, small-enough, no-open-questions
    #[arg(long, value_name = "RULE")]
    pub enable: Vec<Rule>,
    /// Switch a Definition-of-Ready rule off (repeat for more)
    #[arg(long, value_name = "RULE")]
    pub disable: Vec<Rule>,
    /// The largest estimate a ready story may have (the small-enough
    /// rule), on the scale: points, ½, or a size XS, S, M, L, XL
    #[arg(long, value_name = "E")]
    pub max_points: Option<String>,
    /// The values WSJF's inputs take, rising: listed (1,2,3,5,8,13,20) or
    /// a range (1-21)
    #[arg(long, value_name = "VALUES")]
    pub wsjf_scale: Option<String>,
    /// How ICE combines impact, confidence and ease: product or mean
    #[arg(long, value_name = "HOW")]
    pub ice: Option<IceCombine>,
    /// The value from which a story counts as high value in the
    /// value/effort quadrant
    #[arg(long, value_name = "N")]
    pub quadrant_value: Option<f64>,
    /// The job size from which a story counts as high effort in the
    /// value/effort quadrant
    #[arg(long, value_name = "N")]
    pub quadrant_effort: Option<f64>,
    /// A term of the weighted engine and its coefficient, TERM=N (repeat
    /// for more): an input such as value or job-size, points, age, ready,
    /// label:NAME or epic:NAME; a coefficient of 0 takes the term away
    #[arg(long, value_name = "TERM=N")]
    pub weight: Vec<String>,
    /// Put the weighted engine's terms back as they were at first
    #[arg(long, conflicts_with = "weight")]
    pub default_weights: bool,
    /// How many of the last sprints the forecast's velocity is the mean
    /// of (3 at first, as Jira's release burndown)
    #[arg(long, value_name = "N")]
    pub velocity_sprints: Option<usize>,
    /// Points the forecast counts an unestimated story as, or `none` to
    /// leave such stories out (and say so)
    #[arg(long, value_name = "POINTS", allow_hyphen_values = true)]
    pub unestimated: Option<String>,
}

impl SettingsArgs {
    fn changes_priority(&self) -> bool {
        self.wsjf_scale.is_some()
            || self.ice.is_some()
            || self.quadrant_value.is_some()
            || self.quadrant_effort.is_some()
            || !self.weight.is_empty()
            || self.default_weights
            || self.velocity_sprints.is_some()
            || self.unestimated.is_some()
    }

    /// Make the forecast's changes asked for.
    fn change_plan(&self, settings: &mut PlanSettings) -> Result<()> {
        if let Some(n) = self.velocity_sprints {
            if n == 0 {
                bail!("--velocity-sprints 0: the velocity is the mean of 1 sprint or more");
            }
            settings.velocity_sprints = n;
        }
        if let Some(points) = &self.unestimated {
            settings.unestimated = if points.trim().eq_ignore_ascii_case("none") {
                None
            } else {
                Some(
                    parse_points(points, "--unestimated")
                        .map_err(|e| anyhow!("{e} (or none, to leave such stories out)"))?,
                )
            };
        }
        Ok(())
    }

    /// Make the prioritisation changes asked for.
    fn change_priority(&self, settings: &mut PrioritySettings) -> Result<()> {
        if let Some(scale) = &self.wsjf_scale {
            let values = wsjf_scale(scale).map_err(|e| anyhow!("--wsjf-scale {scale}: {e}"))?;
            settings
                .set_wsjf_scale(values)
                .map_err(|e| anyhow!("--wsjf-scale {scale}: {e}"))?;
        }
        if let Some(ice) = self.ice {
            settings.ice = ice;
        }
        let threshold = |flag: &str, n: f64| {
            if n.is_finite() && n > 0.0 {
                Ok(n)
            } else {
                Err(anyhow!("{flag} {n}: a threshold is a number above 0"))
            }
        };
        if let Some(n) = self.quadrant_value {
            settings.quadrant.value = threshold("--quadrant-value", n)?;
        }
        if let Some(n) = self.quadrant_effort {
            settings.quadrant.effort = threshold("--quadrant-effort", n)?;
        }
        if self.default_weights {
            settings.weights = default_weights();
        }
        for said in &self.weight {
            let Some((term, coefficient)) = said.rsplit_once('=') else {
                bail!("--weight {said}: give TERM=N, e.g. --weight label:security=3");
            };
            let term: Term = term.parse().map_err(|e| anyhow!("--weight {said}: {e}"))?;
            let coefficient: f64 = coefficient
                .trim()
                .parse()
                .ok()
                .filter(|n: &f64| n.is_finite())
                .ok_or_else(|| anyhow!("--weight {said}: {coefficient:?} is not a number"))?;
            let at = settings.weights.iter().position(|w| w.term == term);
            match (at, coefficient == 0.0) {
                (Some(at), true) => {
                    settings.weights.remove(at);
                }
                (None, true) => {}
                (Some(at), false) => settings.weights[at].coefficient = coefficient,
                (None, false) => settings.weights.push(Weight { term, coefficient }),
            }
        }
        Ok(())
    }
}

/// A WSJF scale as `--wsjf-scale` takes it: `1,2,3,5` or `1-21`.
fn wsjf_scale(text: &str) -> Result<Vec<u32>, String> {
    let number = |part: &str| {
        part.trim()
            .parse::<u32>()
            .map_err(|_| format!("{:?} is not a whole number", part.trim()))
    };
    if let Some((low, high)) = text.split_once('-') {
        let (low, high) = (number(low)?, number(high)?);
        if low > high || high - low > 1_000 {
            return Err("a range runs from its lower end to its higher, e.g. 1-21".into());
        }
        return Ok((low..=high).collect());
    }
    text.split(',').map(number).collect()
}

pub(super) fn vision(args: &VisionArgs, path: &Path, out: &mut dyn Write) -> Result<()> {
    let changes = args.set.is_some()
        || args.product.is_some()
        || !args.add_goal.is_empty()
        || args.remove_goal.is_some();
    let product = if changes {
        let mut unchanged = None;
        let changed = update_if_changed(path, |b| {
            let before = b.product.clone();
            let product = &mut b.product;
            if let Some(name) = &args.product {
                product.name = name.trim().to_string();
            }
            if let Some(vision) = &args.set {
                product.vision = vision.trim().to_string();
            }
            if let Some(n) = args.remove_goal {
                let count = product.goals.len();
                if n == 0 || n > count {
                    bail!("there is no goal {n} (the product has {count})");
                }
                product.goals.remove(n - 1);
            }
            for goal in &args.add_goal {
                let goal = goal.trim();
                if goal.is_empty() {
                    bail!("a goal needs some text");
                }
                product.goals.push(goal.to_string());
            }
            // Compared as the file holds them: " Kiln " is "Kiln".
            if *product == before {
                unchanged = Some(before);
                return Ok(None);
            }
            Ok(Some(product.clone()))
        })?;
        changed.unwrap_or_else(|| {
            note("nothing changed: the product was so already");
            unchanged.expect("a change that found nothing to do keeps the product")
        })
    } else {
        store::load(path)?.backlog.product
    };
    out.write_all(vision_text(&product).as_bytes())?;
    Ok(())
}

fn vision_text(product: &Product) -> String {
    let mut text = if product.name.is_empty() {
        "(The product has no name: set one with `backlog vision --product NAME`.)\n".to_string()
    } else {
        format!("{}\n", one_line(&product.name))
    };
    if product.vision.is_empty() {
        text.push_str("\nNo vision yet: set one with `backlog vision --set TEXT`.\n");
    } else {
        let _ = write!(
            text,
            "\nVision\n\n{}\n",
            indent(&multi_line(&product.vision))
        );
    }
    if product.goals.is_empty() {
        text.push_str("\nNo goals yet: add one with `backlog vision --add-goal TEXT`.\n");
    } else {
        text.push_str("\nGoals\n\n");
        for (i, goal) in product.goals.iter().enumerate() {
            let _ = writeln!(text, "  {}. {}", i + 1, one_line(goal));
        }
    }
    text
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("  {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) fn epic(
    command: Option<&EpicCommand>,
    path: &Path,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<()> {
    match command {
        None => epic_list(&store::load(path)?.backlog, false, out),
        Some(EpicCommand::List { json }) => epic_list(&store::load(path)?.backlog, *json, out),
        Some(EpicCommand::Add(args)) => {
            let color = update(path, |b| {
                let epic = Epic {
                    name: args.name.clone(),
                    color: args.color.unwrap_or_else(|| b.product.next_color()),
                    goal: args.goal.as_deref().unwrap_or_default().trim().to_string(),
                    target_release: release(args.release.as_deref()),
                };
                let color = epic.color;
                b.add_epic(epic)?;
                Ok(color)
            })?;
            writeln!(out, "Added epic {} ({color})", one_line(args.name.trim()))?;
            Ok(())
        }
        Some(EpicCommand::Edit(args)) => {
            if args.new_name.is_none()
                && args.color.is_none()
                && args.goal.is_none()
                && args.release.is_none()
                && !args.no_release
            {
                bail!("nothing to change: give --name, --color, --goal, --release or --no-release");
            }
            let mut unchanged = String::new();
            let name = update_if_changed(path, |b| {
                let mut epic = b
                    .product
                    .epic(&args.name)
                    .cloned()
                    .ok_or_else(|| ModelError::UnknownEpic(args.name.clone()))?;
                if let Some(name) = &args.new_name {
                    epic.name.clone_from(name);
                }
                if let Some(color) = args.color {
                    epic.color = color;
                }
                if let Some(goal) = &args.goal {
                    epic.goal = goal.trim().to_string();
                }
                if args.no_release {
                    epic.target_release = None;
                } else if args.release.is_some() {
                    epic.target_release = release(args.release.as_deref());
                }
                let name = epic.name.trim().to_string();
                // Compared once the backlog has taken the change as it
                // takes any (" Billing " is "Billing"): only a real
                // change is written or said to be one.
                let before = b.product.clone();
                b.update_epic(&args.name, epic, now)?;
                if b.product == before {
                    unchanged = name;
                    return Ok(None);
                }
                Ok(Some(name))
            })?;
            match name {
                Some(name) => writeln!(out, "Updated epic {}", one_line(&name))?,
                None => writeln!(out, "No change to epic {}", one_line(&unchanged))?,
            }
            Ok(())
        }
        Some(EpicCommand::Rm(args)) => epic_rm(args, path, now, out),
    }
}

fn release(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
}

fn epic_rm(args: &EpicRmArgs, path: &Path, now: DateTime<Utc>, out: &mut dyn Write) -> Result<()> {
    let what = match (args.stories, &args.to) {
        (Some(StoriesOfEpic::Move), Some(to)) => Some(EpicStories::MoveTo(to.clone())),
        (Some(StoriesOfEpic::Move), None) => bail!("--stories move needs --to OTHER-EPIC"),
        (_, Some(_)) => bail!("--to goes with --stories move"),
        (Some(StoriesOfEpic::Unassign), None) => Some(EpicStories::Unassign),
        (Some(StoriesOfEpic::Delete), None) => Some(EpicStories::Delete),
        (None, None) => None,
    };
    let (name, to, stories, deleted) = update(path, |b| {
        // Named as the backlog spells them, whatever was typed.
        let spelled = |name: &str| b.product.epic(name).map(|e| e.name.clone());
        let to = match &what {
            Some(EpicStories::MoveTo(to)) => spelled(to),
            _ => None,
        };
        let name = spelled(&args.name).unwrap_or_else(|| args.name.clone());
        let name = name.as_str();
        // An unknown epic has no stories; removing it says it is unknown.
        let (stories, _) = b.epic_size(name);
        let what = match (&what, stories) {
            (Some(what), _) => what.clone(),
            (None, 0) => EpicStories::Unassign,
            (None, n) => bail!(
                "epic {:?} has {}: say what happens to {} with --stories unassign, \
                 --stories delete or --stories move --to OTHER-EPIC",
                one_line(name),
                count(n, "story", "stories"),
                if n == 1 { "it" } else { "them" }
            ),
        };
        let deleted = b.remove_epic(name, &what, now)?;
        Ok((name.to_string(), to, stories, deleted))
    })?;
    let name = one_line(&name);
    match &what {
        _ if stories == 0 => writeln!(out, "Removed epic {name}")?,
        Some(EpicStories::Delete) => {
            let ids: Vec<String> = deleted.iter().map(|s| s.id.to_string()).collect();
            let its = if ids.len() == 1 { "story" } else { "stories" };
            writeln!(out, "Removed epic {name} and its {its} {}", ids.join(", "))?;
        }
        Some(EpicStories::MoveTo(typed)) => writeln!(
            out,
            "Removed epic {name}; its {} moved to {}",
            count(stories, "story", "stories"),
            one_line(to.as_deref().unwrap_or(typed))
        )?,
        _ => writeln!(
            out,
            "Removed epic {name}; its {} {} in no epic now",
            count(stories, "story", "stories"),
            if stories == 1 { "is" } else { "are" }
        )?,
    }
    Ok(())
}

/// One row of `backlog epic list --json`.
#[derive(Serialize)]
struct EpicJson<'a> {
    name: &'a str,
    color: EpicColor,
    goal: &'a str,
    target_release: Option<&'a str>,
    stories: usize,
    points: f64,
}

fn epic_list(backlog: &Backlog, json: bool, out: &mut dyn Write) -> Result<()> {
    let epics = &backlog.product.epics;
    if json {
        let rows: Vec<EpicJson> = epics
            .iter()
            .map(|e| {
                let (stories, points) = backlog.epic_size(&e.name);
                EpicJson {
                    name: &e.name,
                    color: e.color,
                    goal: &e.goal,
                    target_release: e.target_release.as_deref(),
                    stories,
                    points,
                }
            })
            .collect();
        writeln!(out, "{}", json::pretty(&rows)?)?;
        return Ok(());
    }
    if epics.is_empty() {
        writeln!(out, "No epics yet: add one with `backlog epic add NAME`.")?;
        return Ok(());
    }
    // Colour only on a terminal, and never with NO_COLOR; the marker and
    // the colour's name say the same without it.
    let color = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let width = epics
        .iter()
        .map(|e| one_line(&e.name).chars().count())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for e in epics {
        let (stories, points) = backlog.epic_size(&e.name);
        let name = one_line(&e.name);
        let pad = " ".repeat(width - name.chars().count());
        let marked = format!("{} {name}", e.color.marker());
        let marked = if color {
            format!("\x1b[{}m{marked}\x1b[0m", ansi(e.color))
        } else {
            marked
        };
        let _ = write!(
            text,
            "{marked}{pad}  {:<7}  {stories:>3} {}  {points:>5} {}",
            e.color.as_str(),
            if stories == 1 { "story  " } else { "stories" },
            if (points - 1.0).abs() < f64::EPSILON {
                "point"
            } else {
                "points"
            },
        );
        if let Some(release) = &e.target_release {
            let _ = write!(text, "  release {}", one_line(release));
        }
        text.push('\n');
        if !e.goal.is_empty() {
            let _ = writeln!(text, "    {}", one_line(&e.goal));
        }
    }
    out.write_all(text.as_bytes())?;
    Ok(())
}

fn ansi(color: EpicColor) -> u8 {
    match color {
        EpicColor::Red => 31,
        EpicColor::Green => 32,
        EpicColor::Yellow => 33,
        EpicColor::Blue => 34,
        EpicColor::Magenta => 35,
        EpicColor::Cyan => 36,
    }
}

pub(super) fn settings(args: &SettingsArgs, path: &Path, out: &mut dyn Write) -> Result<()> {
    if let Some(rule) = args.enable.iter().find(|r| args.disable.contains(r)) {
        bail!("{} cannot be both enabled and disabled", rule.as_str());
    }
    let changes = args.scale.is_some()
        || !args.enable.is_empty()
        || !args.disable.is_empty()
        || args.max_points.is_some()
        || args.changes_priority();
    // What became of the maximum when the scale changed under it.
    let mut moved = None;
    let settings = if changes {
        let mut unchanged = None;
        let changed = update_if_changed(path, |b| {
            let before = b.product.settings.clone();
            let settings = &mut b.product.settings;
            if let Some(scale) = args.scale {
                moved = settings.set_scale(scale);
            }
            for &rule in &args.enable {
                settings.ready.set(rule, true);
            }
            for &rule in &args.disable {
                settings.ready.set(rule, false);
            }
            if let Some(max) = &args.max_points {
                // Read on the scale in use, the new one if it changes too.
                settings.ready.max_points = settings
                    .scale
                    .parse_estimate(max)
                    .map_err(|e| anyhow!("--max-points: {e}"))?;
                moved = None;
            }
            args.change_priority(&mut settings.priority)?;
            args.change_plan(&mut settings.plan)?;
            if *settings == before {
                unchanged = Some(before);
                return Ok(None);
            }
            Ok(Some(settings.clone()))
        })?;
        changed.unwrap_or_else(|| {
            note("nothing changed: the settings were so already");
            unchanged.expect("a change that found nothing to do keeps the settings")
        })
    } else {
        store::load(path)?.backlog.product.settings
    };
    out.write_all(settings_text(&settings).as_bytes())?;
    if let Some(moved) = moved {
        note(&moved);
    }
    // A maximum off the scale (set so, or from an older build) is allowed,
    // but rarely meant: it is said each time the settings are shown.
    let (scale, max) = (settings.scale, settings.ready.max_points);
    if let Some(off) = scale.off_scale(max) {
        note(&format!("the maximum, {}, is {off}", scale.describe(max)));
    }
    Ok(())
}

fn settings_text(settings: &Settings) -> String {
    let scale = settings.scale;
    let mut text = format!(
        "Estimate scale: {scale} ({})\n\nDefinition of Ready\n\n",
        scale.listed()
    );
    let width = Rule::ALL
        .iter()
        .map(|r| r.as_str().len())
        .max()
        .unwrap_or(0);
    for rule in Rule::ALL {
        let on = if settings.ready.is_on(rule) {
            "on "
        } else {
            "off"
        };
        let _ = write!(
            text,
            "  [{on}] {:<width$}  {}",
            rule.as_str(),
            rule.describe()
        );
        if rule == Rule::SmallEnough {
            let _ = write!(text, ": {}", scale.describe(settings.ready.max_points));
        }
        text.push('\n');
    }
    let priority = &settings.priority;
    let scale: Vec<String> = priority
        .wsjf_scale
        .iter()
        .map(ToString::to_string)
        .collect();
    let ice = match priority.ice {
        IceCombine::Product => "impact × confidence × ease",
        IceCombine::Mean => "the mean of impact, confidence and ease",
    };
    let _ = write!(
        text,
        "\nPrioritisation\n\n  WSJF scale    {}\n  ICE           {ice}\n  Value/effort  high value from {}, high effort from {}\n  Weighted      ",
        scale.join(", "),
        number(priority.quadrant.value),
        number(priority.quadrant.effort),
    );
    if priority.weights.is_empty() {
        text.push_str("no terms\n");
    } else {
        let _ = writeln!(text, "{}", weights_text(&priority.weights));
    }
    let plan = &settings.plan;
    let unestimated = plan.unestimated.map_or_else(
        || "left out of the forecast".to_string(),
        |points| format!("counted as {} points", number(points)),
    );
    let _ = write!(
        text,
        "\nRelease forecast\n\n  Velocity      the mean of the last {}\n  Unestimated   {unestimated}\n",
        count_of(plan.velocity_sprints, "sprint", "sprints"),
    );
    text
}
