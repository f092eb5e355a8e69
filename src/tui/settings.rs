//! `App::update` for the settings panel: the backlog's estimate scale and
//! its Definition of Ready, changed where the grooming happens.

use super::action::Effect;
use super::app::{App, Mode};
use crate::model::{Points, Rule, Scale};

/// The panel's rows: the scale, then each rule, with the maximum estimate
/// right after the rule it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingRow {
    Scale,
    Rule(Rule),
    MaxPoints,
}

pub const SETTING_ROWS: [SettingRow; 7] = [
    SettingRow::Scale,
    SettingRow::Rule(Rule::UserStory),
    SettingRow::Rule(Rule::AcceptanceCriteria),
    SettingRow::Rule(Rule::Estimated),
    SettingRow::Rule(Rule::SmallEnough),
    SettingRow::MaxPoints,
    SettingRow::Rule(Rule::NoOpenQuestions),
];

impl App {
    /// Change the value of the settings panel's selected row.
    pub(super) fn change_setting(&mut self, forward: bool) -> Option<Effect> {
        let Mode::Settings(row) = self.mode else {
            return None;
        };
        let settings = &self.backlog.product.settings;
        let notice = match SETTING_ROWS[row.min(SETTING_ROWS.len() - 1)] {
            SettingRow::Scale => {
                let scale = super::cycle(&Scale::ALL, &settings.scale, forward);
                let mut moved = None;
                self.change(format!("scale {scale}"), |b| {
                    moved = b.product.settings.set_scale(scale);
                    Ok(())
                })?;
                match moved {
                    Some(moved) => format!("Estimates use the {scale} scale; {moved}"),
                    None => format!("Estimates use the {scale} scale"),
                }
            }
            SettingRow::Rule(rule) => {
                let on = !settings.ready.is_on(rule);
                let what = if on { "on" } else { "off" };
                self.change(format!("rule {} {what}", rule.as_str()), |b| {
                    b.product.settings.ready.set(rule, on);
                    Ok(())
                })?;
                format!("Ready rule \"{}\" is {what}", rule.describe())
            }
            SettingRow::MaxPoints => {
                // The maximum steps along the scale in use, as estimates do.
                let scale = settings.scale;
                let current = settings.ready.max_points;
                let values = scale.values();
                let next = if forward {
                    values.iter().copied().find(|v| *v > current.value())
                } else {
                    values.iter().rev().copied().find(|v| *v < current.value())
                };
                let Some(max) = next.and_then(|v| Points::new(v).ok()) else {
                    // Off the scale, the other way steps onto it.
                    let back = if forward {
                        (current > scale.top()).then_some("h steps down to it")
                    } else {
                        (current < scale.bottom()).then_some("l steps up to it")
                    };
                    let at = scale.at_end(current, forward);
                    self.notify(match back {
                        Some(back) => format!("The maximum is {at}: {back}"),
                        None => format!("The maximum is {at}"),
                    });
                    return None;
                };
                self.change(format!("maximum estimate {max}"), |b| {
                    b.product.settings.ready.max_points = max;
                    Ok(())
                })?;
                format!(
                    "Ready stories are estimated at {} or less",
                    scale.describe(max)
                )
            }
        };
        // Readiness may have changed for every story: a ready filter with it.
        self.table_mut().refilter();
        self.notify(notice);
        Some(Effect::Save)
    }
}
