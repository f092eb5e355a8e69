//! Clashes a git merge left in the backlog: both sides changed one field
//! differently, the file holds ours, and the clash says what each side
//! had until the product owner settles it.
//!
//! A clash names a story the backlog has, or none (a product part, a
//! setting, an epic, a release, a sprint or a feedback item). The list
//! changes only here, so a story that leaves the backlog takes its
//! clashes with it and a saved file always reads back.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Backlog, ModelError};
use crate::model::product::{Product, name_key};
use crate::model::story::{Story, StoryId};

/// The field of a story that one side deleted and the other changed:
/// `true` on the side that deleted it.
pub const DELETED: &str = "deleted";

/// One field both sides of a merge changed differently.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clash {
    /// The story, or none for a product, settings, epic, release, sprint
    /// or feedback clash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<StoryId>,
    /// The field as the file spells it: `title`, `points`,
    /// `acceptance_criteria`, [`DELETED`]; or `product.vision`,
    /// `settings.scale`, `epic:NAME`, `release:NAME`, `sprint:NAME`,
    /// `feedback:F-3`.
    pub field: String,
    pub base: Value,
    pub ours: Value,
    pub theirs: Value,
    /// Who each side is, where git said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ours_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theirs_by: Option<String>,
}

impl Clash {
    /// Whether this is the clash on `field` of `story`.
    #[must_use]
    pub fn is(&self, story: Option<StoryId>, field: &str) -> bool {
        self.story == story && self.field == field
    }

    /// A value for its field as the product owner types it: the text
    /// itself for a text field (where either side holds text), else JSON
    /// as the file spells it.
    ///
    /// # Errors
    /// When the field takes JSON and `typed` is not JSON; the message
    /// says so.
    pub fn value_typed(&self, typed: &str) -> Result<Value, String> {
        if self.takes_text() {
            return Ok(Value::String(typed.to_string()));
        }
        serde_json::from_str(typed.trim()).map_err(|e| {
            format!(
                "{:?} takes JSON as the file spells it (as `backlog conflicts` shows): {e}",
                self.field
            )
        })
    }

    /// `value` as it is typed for this field: what
    /// [`Clash::value_typed`] reads back.
    #[must_use]
    pub fn typed(&self, value: &Value) -> String {
        match value {
            Value::String(text) if self.takes_text() => text.clone(),
            other => other.to_string(),
        }
    }

    fn takes_text(&self) -> bool {
        self.ours.is_string() || self.theirs.is_string()
    }
}

/// How a clash is settled.
#[derive(Clone, Debug, PartialEq)]
pub enum Settle {
    Ours,
    Theirs,
    /// A value of the product owner's own, as the file would spell it.
    Value(Value),
}

impl Backlog {
    /// The clashes a merge left, in the order it found them.
    #[must_use]
    pub fn clashes(&self) -> &[Clash] {
        &self.clashes
    }

    /// Whether story `id` has a field a merge left clashing. Costs
    /// O(clashes), which a merge keeps few.
    #[must_use]
    pub fn has_clash(&self, id: StoryId) -> bool {
        self.clashes.iter().any(|c| c.story == Some(id))
    }

    /// Add clashes a merge found (or a file holds), replacing any on the
    /// same field of the same story.
    ///
    /// # Errors
    /// [`ModelError::UnknownStory`] when a clash names a story the backlog
    /// does not have; nothing changes.
    pub fn record_clashes(&mut self, clashes: Vec<Clash>) -> Result<(), ModelError> {
        if let Some(id) = clashes
            .iter()
            .filter_map(|c| c.story)
            .find(|&id| self.index(id).is_err())
        {
            return Err(ModelError::UnknownStory(id));
        }
        for clash in clashes {
            self.clashes.retain(|c| !c.is(clash.story, &clash.field));
            self.clashes.push(clash);
        }
        Ok(())
    }

    /// Settle the clash on `field` of `story` (or of the product, for
    /// `None`): the field takes our value, theirs, or one of the product
    /// owner's, and the clash is gone. Settling a story's [`DELETED`]
    /// clash with `true` removes the story.
    ///
    /// # Errors
    /// When there is no such clash, or the value is not one the field can
    /// hold (the message says why); nothing changes.
    pub fn settle_clash(
        &mut self,
        story: Option<StoryId>,
        field: &str,
        settle: Settle,
        now: DateTime<Utc>,
    ) -> Result<(), ModelError> {
        let Some(at) = self.clashes.iter().position(|c| c.is(story, field)) else {
            return Err(ModelError::Clash(match story {
                Some(id) => format!("{id} has no clash on {field:?}"),
                None => format!("the product has no clash on {field:?}"),
            }));
        };
        let value = match settle {
            Settle::Ours => self.clashes[at].ours.clone(),
            Settle::Theirs => self.clashes[at].theirs.clone(),
            Settle::Value(value) => value,
        };
        match story {
            Some(id) if field == DELETED => match value {
                Value::Bool(true) => {
                    self.remove(id)?;
                }
                Value::Bool(false) => {}
                other => {
                    return Err(ModelError::Clash(format!(
                        "{id}'s {DELETED:?} clash is settled with true (remove the story) \
                         or false (keep it), not {other}"
                    )));
                }
            },
            Some(id) => {
                let story = self.get(id).ok_or(ModelError::UnknownStory(id))?;
                let mut settled = with_field(story, field, value).map_err(ModelError::Clash)?;
                if settled.title.trim().is_empty() {
                    return Err(ModelError::EmptyTitle);
                }
                // Keeping the value the story has (ours, usually) leaves
                // it as it was: only the clash goes.
                if settled != *story {
                    settled.updated = now;
                    self.put(Arc::new(settled));
                }
            }
            None => {
                let mut product = self.product.clone();
                set_product_field(&mut product, field, value).map_err(ModelError::Clash)?;
                self.product = product;
            }
        }
        // Removing the story took its clashes with it.
        self.clashes.retain(|c| !c.is(story, field));
        Ok(())
    }

    /// The clashes as an undo step had them. The stories they name are
    /// the ones the step put back, so the list is one a file can hold.
    pub(crate) fn put_clashes(&mut self, clashes: Vec<Clash>) {
        self.clashes = clashes;
        let gone: Vec<StoryId> = self
            .clashes
            .iter()
            .filter_map(|c| c.story)
            .filter(|&id| self.index(id).is_err())
            .collect();
        self.drop_clashes_of(&gone);
    }

    /// Stories that leave the backlog take their clashes with them.
    pub(super) fn drop_clashes_of(&mut self, gone: &[StoryId]) {
        if !self.clashes.is_empty() {
            self.clashes
                .retain(|c| c.story.is_none_or(|id| !gone.contains(&id)));
        }
    }
}

/// `story` with one field, as the file spells it, set to `value`.
fn with_field(story: &Story, field: &str, value: Value) -> Result<Story, String> {
    let Value::Object(mut fields) = serde_json::to_value(story).expect("a story is JSON") else {
        unreachable!("a story is a JSON object");
    };
    // Its id and place are never a clash; any other name the story does
    // not have is refused when it is read back.
    if matches!(field, "id" | "rank") {
        return Err(format!("{field:?} is not a field a clash settles"));
    }
    fields.insert(field.to_string(), value);
    serde_json::from_value(Value::Object(fields))
        .map_err(|e| format!("that is not a value for {field:?}: {e}"))
}

/// Set one part of the product, as a clash names it, to `value` (`null`
/// removes an epic, release, sprint or feedback item).
fn set_product_field(product: &mut Product, field: &str, value: Value) -> Result<(), String> {
    let bad = |e: serde_json::Error| format!("that is not a value for {field:?}: {e}");
    if let Some(part) = field.strip_prefix("product.") {
        match part {
            "name" => product.name = serde_json::from_value(value).map_err(bad)?,
            "vision" => product.vision = serde_json::from_value(value).map_err(bad)?,
            "goals" => product.goals = serde_json::from_value(value).map_err(bad)?,
            "past_sprints" => product.past_sprints = serde_json::from_value(value).map_err(bad)?,
            _ => return Err(format!("{field:?} is not a part of the product")),
        }
    } else if let Some(key) = field.strip_prefix("settings.") {
        let mut settings = serde_json::to_value(&product.settings).expect("settings are JSON");
        let Value::Object(keys) = &mut settings else {
            unreachable!("settings are a JSON object");
        };
        if value.is_null() {
            keys.remove(key);
        } else {
            keys.insert(key.to_string(), value);
        }
        product.settings = serde_json::from_value(settings).map_err(bad)?;
    } else if let Some(name) = field.strip_prefix("epic:") {
        set_named(&mut product.epics, name, value, |e| &e.name).map_err(bad)?;
    } else if let Some(name) = field.strip_prefix("release:") {
        set_named(&mut product.releases, name, value, |r| &r.name).map_err(bad)?;
    } else if let Some(name) = field.strip_prefix("sprint:") {
        set_named(&mut product.sprints, name, value, |s| &s.name).map_err(bad)?;
    } else if let Some(id) = field.strip_prefix("feedback:") {
        let id: crate::model::FeedbackId = id.parse()?;
        let at = product.feedback.iter().position(|f| f.id == id);
        match (at, value) {
            (Some(at), Value::Null) => {
                product.feedback.remove(at);
            }
            (at, value) => {
                let item: crate::model::Feedback = serde_json::from_value(value).map_err(bad)?;
                if item.id != id {
                    return Err(format!("{field:?} settles feedback {id}, not {}", item.id));
                }
                if let Some(at) = at {
                    product.feedback[at] = Arc::new(item);
                } else {
                    product.feedback.push(Arc::new(item));
                    product.feedback.sort_by_key(|f| f.id);
                }
            }
        }
    } else {
        return Err(format!("{field:?} is not a part of the product"));
    }
    Ok(())
}

/// Replace, add or (with `null`) remove the entry of `name` in a list
/// kept by name in any case.
fn set_named<T: serde::de::DeserializeOwned>(
    list: &mut Vec<T>,
    name: &str,
    value: Value,
    name_of: impl Fn(&T) -> &String,
) -> Result<(), serde_json::Error> {
    let at = list
        .iter()
        .position(|entry| name_key(name_of(entry)) == name_key(name));
    if value.is_null() {
        if let Some(at) = at {
            list.remove(at);
        }
        return Ok(());
    }
    let entry = serde_json::from_value(value)?;
    match at {
        Some(at) => list[at] = entry,
        None => list.push(entry),
    }
    Ok(())
}
