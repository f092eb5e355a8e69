//! Everything that can happen to the TUI, as data.

use ratatui::crossterm::event::KeyEvent;

use crate::model::{Backlog, StoryId};
use crate::store::Note;

/// What the user (through the keymap) or the event loop asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    SelectUp,
    SelectDown,
    SelectFirst,
    SelectLast,
    PageUp,
    PageDown,
    MoveUp,
    MoveDown,
    MoveTop,
    MoveBottom,
    /// Open the inline title prompt for a new story after the selection.
    StartAdd,
    /// Ask to delete the selected story.
    StartDelete,
    /// Open the prompt for a comment on the selected story.
    StartComment,
    /// Open the prompt for an open question on the selected story.
    StartQuestion,
    /// Step the selected story's estimate up or down the backlog's scale.
    EstimateUp,
    EstimateDown,
    /// Set the selected story to the next or previous status.
    StatusNext,
    StatusPrev,
    /// Open the status picker: every status, one choice away.
    ChooseStatus,
    /// Open the search prompt; the table narrows as you type.
    StartSearch,
    /// Open the filter panel.
    StartFilter,
    /// Clear the search and every filter.
    ClearFilter,
    /// Show only open work (hide done and rejected stories), or every
    /// story again.
    ToggleOpenWork,
    /// Start marking a range of stories at the selected one, or stop.
    MarkRange,
    /// Mark the selected story, or unmark it.
    ToggleMark,
    /// Open the story form on the selected story.
    StartEdit,
    /// In the story form: type into the selected field.
    EditField,
    /// In the story form: step the selected field's value (estimate, status,
    /// epic) forward or back.
    ValueNext,
    ValuePrev,
    /// In the story form: check or uncheck the selected criterion.
    ToggleDone,
    /// In the story form: add a criterion after the selected one.
    AddCriterion,
    /// In the story form: remove the selected criterion.
    RemoveCriterion,
    /// In the story form: move the selected criterion down or up.
    CriterionDown,
    CriterionUp,
    /// Open the split dialog for the selected story.
    StartSplit,
    /// Open the selected story in `$VISUAL` / `$EDITOR` as Markdown.
    OpenEditor,
    /// The external editor closed: its text, or why it failed.
    Edited {
        id: StoryId,
        /// The document as it was handed to the editor.
        original: String,
        result: Result<String, String>,
    },
    /// After a document that was not applied: edit it again.
    EditAgain,
    /// After a document that was not applied because it names an epic
    /// there is not: create the epic, and apply the document.
    CreateEpicAndApply,
    /// Undo the newest change made in the TUI; redo the newest undone.
    Undo,
    Redo,
    /// Open the settings panel: estimate scale and Definition of Ready.
    StartSettings,
    /// Change the settings panel's selected row.
    SettingNext,
    SettingPrev,
    /// Step the value of the filter panel's selected row.
    FilterNext,
    FilterPrev,
    ToggleFocus,
    /// Hide the story pane, so the table takes the screen, or show it.
    ToggleStoryPane,
    /// Show or hide the table's labels column, or its updated column.
    ToggleLabels,
    ToggleUpdated,
    ToggleHelp,
    /// Show the top-level pane at this index (`1` is the first).
    ShowPane(usize),
    Quit,
    /// A key typed into the field being typed: one the screen's context
    /// does not bind.
    Input(KeyEvent),
    /// Keep what the prompt holds.
    Submit,
    /// Close the prompt, confirmation or help, changing nothing.
    Cancel,
    /// Answer yes to the confirmation.
    Confirm,
    /// The terminal now has this many columns and rows.
    Resize(u16, u16),
    /// The loop read the file, changed by another program, and merged it
    /// with this session's changes: show the result.
    Reloaded {
        backlog: Box<Backlog>,
        note: Note,
        /// This session's new stories that had to take new ids: (old, new).
        renumbered: Vec<(StoryId, StoryId)>,
    },
    /// The loop could not save or read the file; show why.
    SyncFailed(String),
    /// What failed, and the status bar said, works again.
    SyncRecovered(Failure),
    /// The data file is read-only (`true`), or no longer (`false`).
    FileReadOnly(bool),
    /// Put away the message that stays until dismissed.
    Dismiss,
    /// A key of the epics or vision panel.
    Panel(PanelAction),
}

impl Action {
    /// Whether it comes from the event loop rather than a key: it is the
    /// app's to take in, whatever screen is on top.
    #[must_use]
    pub fn is_system(&self) -> bool {
        matches!(
            self,
            Action::Resize(..)
                | Action::Reloaded { .. }
                | Action::SyncFailed(_)
                | Action::SyncRecovered(_)
                | Action::FileReadOnly(_)
                | Action::Edited { .. }
        )
    }
}

/// A kind of failure of the saving link, each over its own way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Looking at the file for other writers' changes: over when the file
    /// reads again.
    Read,
    /// Saving the backlog: over when a save works.
    Save,
    /// Writing the undo history beside the file: over when it is written.
    History,
}

/// Work for the event loop, which owns the terminal and the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// The backlog changed: have it on disk within a second.
    Save,
    /// Bring the file up to date, then hand what
    /// [`App::hand_to_editor`](super::app::App::hand_to_editor) gives for
    /// story `id` to the external editor, and report back with
    /// [`Action::Edited`].
    OpenEditor { id: StoryId },
    /// Save what is unsaved, restore the terminal, exit.
    Quit,
}

/// What a key does in the epics panel or the vision panel, or opens them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PanelAction {
    /// Open the epics panel.
    OpenEpics,
    /// Open the product vision and goals.
    OpenVision,
    /// Select the next or previous row (or choice, when deleting an epic).
    Next,
    Prev,
    /// Epics: put the selected story in the highlighted epic.
    Assign,
    /// Epics: take the selected story out of its epic.
    Unassign,
    /// Epics: a new epic. Vision: a new goal after the selected one.
    Add,
    /// Vision: type into the selected row.
    Edit,
    /// Epics: type a new name, goal or target release.
    Rename,
    EditGoal,
    EditRelease,
    /// Epics: the next colour round the palette.
    NextColor,
    /// Epics: delete the epic (asks first). Vision: remove the goal.
    Delete,
    /// Vision: move the selected goal down or up.
    MoveDown,
    MoveUp,
    /// Keep what is typed, or do the chosen delete.
    Keep,
    /// Stop typing or deleting, changing nothing.
    Cancel,
    /// Close the panel.
    Close,
}
