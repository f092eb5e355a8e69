//! The JSON file format and its schema versions.
//!
//! Field order is fixed by the structs, stories are written sorted by id,
//! and output is pretty-printed, so a reorder is a one-line diff. Unknown
//! fields are refused rather than dropped: saving would otherwise lose them.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::{Backlog, Epic, ModelError, Product, Settings, Story, StoryId};

/// The schema this build writes, and the newest it reads.
///
/// - 1: product, vision, stories.
/// - 2: adds goals, settings (estimate scale, Definition of Ready) and
///   epics with colours; stories gain comments, splits and ready
///   overrides. A schema-1 file reads as is: its stories' epics become
///   epic entries, and the settings take their defaults.
pub const SCHEMA: u32 = 2;

#[derive(Serialize)]
struct FileOut<'a> {
    schema: u32,
    product: &'a str,
    vision: &'a str,
    goals: &'a [String],
    settings: &'a Settings,
    epics: &'a [Epic],
    next_id: u64,
    stories: &'a [Arc<Story>],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    schema: u32,
    #[serde(default)]
    product: String,
    #[serde(default)]
    vision: String,
    #[serde(default)]
    goals: Vec<String>,
    #[serde(default)]
    settings: Settings,
    #[serde(default)]
    epics: Vec<Epic>,
    #[serde(default)]
    next_id: u64,
    #[serde(default)]
    stories: Vec<Story>,
}

/// The file's text for a backlog, ending in a newline.
#[must_use]
pub fn to_json(backlog: &Backlog) -> String {
    let file = FileOut {
        schema: SCHEMA,
        product: &backlog.product.name,
        vision: &backlog.product.vision,
        goals: &backlog.product.goals,
        settings: &backlog.product.settings,
        epics: &backlog.product.epics,
        next_id: backlog.next_id(),
        stories: backlog.stories_by_id(),
    };
    let mut text = serde_json::to_string_pretty(&file).expect("a backlog always serializes");
    text.push('\n');
    text
}

/// Parse the file's text.
///
/// # Errors
/// A message naming the line and column of a syntax or field error, or the
/// schema when the file comes from a newer `backlog`.
pub fn from_json(text: &str) -> Result<Backlog, String> {
    let file: FileIn = super::parse_versioned(text, |f: &FileIn| f.schema, check_schema)?;
    if let Some(pair) = file
        .epics
        .iter()
        .enumerate()
        .find(|(i, e)| file.epics[..*i].iter().any(|o| o.name == e.name))
    {
        return Err(format!("epic {:?} appears twice", pair.1.name));
    }
    // Schema 1 had no epic entries: `from_parts` makes one for each epic
    // the stories name, which is the whole migration.
    let product = Product {
        name: file.product,
        vision: file.vision,
        goals: file.goals,
        epics: file.epics,
        settings: file.settings,
    };
    Backlog::from_parts(product, file.next_id, file.stories).map_err(|e| match e {
        ModelError::DuplicateId(id) => match second_line_with_id(text, id) {
            Some(line) => format!("{e} (again at line {line})"),
            None => e.to_string(),
        },
        other => other.to_string(),
    })
}

/// The line of the second story with `id`, for the error message.
fn second_line_with_id(text: &str, id: StoryId) -> Option<usize> {
    let quoted = format!("\"{id}\"");
    let mut seen = 0;
    for (number, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("\"id\"") {
            rest = &rest[at + 4..];
            let value = rest.trim_start().trim_start_matches(':').trim_start();
            if value.starts_with(&quoted) {
                seen += 1;
                if seen == 2 {
                    return Some(number + 1);
                }
            }
        }
    }
    None
}

fn check_schema(schema: u32) -> Result<(), String> {
    if schema > SCHEMA {
        Err(format!(
            "the file has schema {schema}, written by a newer backlog; this one reads schema {SCHEMA} and older. Upgrade backlog to open it"
        ))
    } else if schema == 0 {
        Err(format!(
            "schema 0 is not a backlog schema (expected 1 to {SCHEMA})"
        ))
    } else {
        Ok(())
    }
}
