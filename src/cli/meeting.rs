//! `backlog meeting`: open the terminal UI on the meeting pane, its
//! agenda planned from the stories named, else from a filter, else the
//! first stories not yet ready.

use std::path::Path;

use anyhow::{Result, bail};
use clap::Args;

use super::output::ListArgs;
use crate::meeting::default_agenda;
use crate::model::StoryId;
use crate::{config, store};

#[derive(Debug, Args)]
pub struct MeetingArgs {
    /// The agenda, in order (e.g. S-4 S-9 S-2); without, the first stories
    /// not yet ready
    pub stories: Vec<StoryId>,
    /// How many stories the agenda takes [default: the config's
    /// meeting.stories, else 5]
    #[arg(long, value_name = "N", conflicts_with = "stories")]
    pub top: Option<usize>,
    /// Only stories with this label (in any case; a leading # is dropped)
    #[arg(long, value_name = "L", conflicts_with = "stories")]
    pub label: Option<String>,
    /// Only stories in this epic (named in any case)
    #[arg(long, value_name = "E", conflicts_with = "stories")]
    pub epic: Option<String>,
    /// Only stories with every one of these words in them
    #[arg(long, value_name = "WORDS", conflicts_with = "stories")]
    pub search: Option<String>,
}

/// The agenda `args` ask for, of the backlog in `path`: checked, so a
/// typo is told before the terminal is taken.
///
/// # Errors
/// When the file cannot be read, a story named is not in it, an epic named
/// is unknown, or no story would be on the agenda.
pub fn agenda(args: &MeetingArgs, path: &Path) -> Result<Vec<StoryId>> {
    let backlog = store::load(path)?.backlog;
    if !args.stories.is_empty() {
        let unknown: Vec<String> = args
            .stories
            .iter()
            .filter(|id| backlog.get(**id).is_none())
            .map(ToString::to_string)
            .collect();
        if !unknown.is_empty() {
            bail!("not in the backlog: {}", unknown.join(", "));
        }
        return Ok(args.stories.clone());
    }
    let count = match args.top {
        Some(0) => bail!("--top 0 leaves nothing to discuss: give 1 or more"),
        Some(n) => n,
        // A broken config is the TUI's to report, once it is open.
        None => config::load().unwrap_or_default().meeting.stories(),
    };
    let list = ListArgs {
        json: false,
        status: None,
        open: false,
        label: args.label.clone(),
        epic: args.epic.clone(),
        no_epic: false,
        ready: false,
        not_ready: false,
        unestimated: false,
        search: args.search.clone(),
    };
    let filter = list.filter(&backlog)?;
    let agenda = default_agenda(filter.matching(&backlog).map(|(_, s)| s), count);
    if agenda.is_empty() {
        let which = if filter.is_active() {
            "every story the filter passes"
        } else {
            "every story"
        };
        bail!("no story to discuss: {which} is ready; name the stories (backlog meeting S-4 S-9)");
    }
    Ok(agenda)
}
