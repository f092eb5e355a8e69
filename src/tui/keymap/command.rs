//! What a key can ask for, named for what the user means rather than for
//! the key that asks: the names a keymap file binds keys to. What each
//! does, and where, is in `context.rs`; which keys ask for it is data
//! (`assets/keys.toml`, and the user's `keys.toml` over it).

use serde::{Deserialize, Serialize};

/// Declares [`Command`] with each variant's name written once: the name
/// a keymap file uses, serde's, and [`Command::name`]'s are the same.
macro_rules! commands {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// What a key asks for, whatever the key. Its name is what a
        /// keymap file writes: `j = "select_next"`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Command {
            $($(#[$doc])* #[serde(rename = $name)] $variant,)*
        }

        impl Command {
            /// Every command, in the order declared.
            pub const ALL: &[Command] = &[$(Command::$variant,)*];

            /// The command's name, as a keymap file writes it.
            #[must_use]
            pub fn name(self) -> &'static str {
                match self {
                    $(Command::$variant => $name,)*
                }
            }
        }
    };
}

commands! {
    /// The next row: a story, a field, a criterion, a filter, an epic.
    SelectNext = "select_next",
    SelectPrevious = "select_previous",
    SelectFirst = "select_first",
    SelectLast = "select_last",
    PageDown = "page_down",
    PageUp = "page_up",
    /// Scroll what is shown (the story pane, the help, a pane) a row.
    ScrollDown = "scroll_down",
    ScrollUp = "scroll_up",
    /// Scroll a box of text (the help, the messages) to its top or its
    /// end.
    ScrollToTop = "scroll_to_top",
    ScrollToEnd = "scroll_to_end",
    /// Move the selected story, criterion or goal a place down or up.
    MoveDown = "move_down",
    MoveUp = "move_up",
    MoveToTop = "move_to_top",
    MoveToBottom = "move_to_bottom",
    /// Show the table sorted by the next of score, points, status, epic
    /// and age, then in rank order again: a look, the rank untouched.
    SortTable = "sort_table",
    /// Show the table in rank order again, where moving works.
    RankOrder = "rank_order",
    /// Select the next (or previous) release line in the backlog table,
    /// which the keys that move a story then move.
    SelectNextLine = "select_next_line",
    SelectPreviousLine = "select_previous_line",
    /// Put a release's line under the selected story (picking the
    /// release when there are several).
    PlaceLine = "place_release_line",
    /// Open the story form on the selected story.
    OpenForm = "open_form",
    /// Edit the story as Markdown in `$VISUAL` / `$EDITOR`.
    EditInEditor = "edit_in_editor",
    /// Type a new story's title, to add it after the selected one.
    AddStory = "add_story",
    /// Ask to delete the selected story.
    DeleteStory = "delete_story",
    EstimateUp = "estimate_up",
    EstimateDown = "estimate_down",
    NextStatus = "next_status",
    PreviousStatus = "previous_status",
    /// Open the status picker: every status, one choice away.
    ChooseStatus = "choose_status",
    /// Open the split dialog on the selected story.
    SplitStory = "split_story",
    Comment = "comment",
    AskQuestion = "ask_question",
    Undo = "undo",
    Redo = "redo",
    /// Type a search; the table narrows as it changes.
    Search = "search",
    OpenFilter = "open_filter",
    /// Clear the search and every filter.
    ClearFilter = "clear_filter",
    /// Show only the open work (done and rejected stories hidden), or
    /// every story again.
    ToggleOpenWork = "toggle_open_work",
    /// Start marking a range of stories at the selected one, or stop:
    /// what changes stories then acts on every marked one.
    MarkRange = "mark_range",
    /// Mark the selected story, or unmark it.
    ToggleMark = "toggle_mark",
    OpenSettings = "open_settings",
    OpenEpics = "open_epics",
    OpenVision = "open_vision",
    /// Move the keys' focus: the table or the story pane; the split
    /// dialog's title or its criteria.
    SwitchFocus = "switch_focus",
    /// Hide the story pane, so the table takes the screen, or show it.
    ToggleStoryPane = "toggle_story_pane",
    /// Show or hide the table's labels column, or its column of the day
    /// each story last changed.
    ToggleLabels = "toggle_labels",
    ToggleUpdated = "toggle_updated",
    /// Put away the message about the file on top.
    Dismiss = "dismiss",
    /// Show the messages about the file in full, however long.
    ReadMessages = "read_messages",
    Help = "help",
    /// Quit, saving everything.
    Quit = "quit",
    /// Show the top-level pane of that number.
    ShowPane1 = "show_pane_1",
    ShowPane2 = "show_pane_2",
    ShowPane3 = "show_pane_3",
    ShowPane4 = "show_pane_4",
    ShowPane5 = "show_pane_5",
    ShowPane6 = "show_pane_6",
    ShowPane7 = "show_pane_7",
    ShowPane8 = "show_pane_8",
    ShowPane9 = "show_pane_9",
    /// Keep what is typed into the field or prompt.
    KeepField = "keep_field",
    /// Stop typing, keeping what was typed as `keep_field` would, but
    /// never more than that: with nothing typed the field just closes, no
    /// epic is made, split goes on to its criteria. So the key that means
    /// "I am done typing" (Esc, to vim users) never throws text away.
    StopTyping = "stop_typing",
    /// Stop typing, leaving the field as it was.
    CancelField = "cancel_field",
    /// Type into the selected field or row.
    EditField = "edit_field",
    /// Step the selected row's value (an estimate, a status, an epic, a
    /// filter, a setting) forward or back.
    NextValue = "next_value",
    PreviousValue = "previous_value",
    /// Check or uncheck a criterion; resolve or reopen a question.
    ToggleDone = "toggle_done",
    AddCriterion = "add_criterion",
    RemoveCriterion = "remove_criterion",
    /// Say yes: do what the dialog is for (delete, split, set ready).
    Confirm = "confirm",
    /// Say no: close the dialog, changing nothing.
    Cancel = "cancel",
    /// Close the panel or the form; what was changed in it is kept.
    Close = "close",
    /// In the split dialog: move the criterion to the new story, or keep
    /// it.
    ToggleMoving = "toggle_moving",
    /// Open the text `$EDITOR` gave back in it again, to fix it.
    EditAgain = "edit_again",
    /// Drop the text `$EDITOR` gave back; the story stays as it was.
    DiscardEdit = "discard_edit",
    /// Create the epic the text names, and apply the text.
    CreateEpicAndApply = "create_epic_and_apply",
    /// Put the selected story in the highlighted epic.
    PutInEpic = "put_in_epic",
    /// Take the selected story out of its epic.
    TakeOutOfEpic = "take_out_of_epic",
    AddEpic = "add_epic",
    RenameEpic = "rename_epic",
    EditEpicGoal = "edit_epic_goal",
    EditEpicRelease = "edit_epic_release",
    /// The epic's next colour round the palette.
    NextColor = "next_color",
    /// Delete the highlighted epic (asks first).
    DeleteEpic = "delete_epic",
    AddGoal = "add_goal",
    RemoveGoal = "remove_goal",
    /// Pick the prioritisation framework the stories are scored by, or
    /// none.
    ChooseFramework = "choose_framework",
    /// Show why the selected story scores what it does, term by term.
    ExplainScore = "explain_score",
    /// Open the selected story's prioritisation inputs, to set them.
    WeighStory = "weigh_story",
    /// Remove the selected input's value.
    ClearValue = "clear_value",
    /// Move the selected story to the place the framework suggests.
    AcceptSuggestion = "accept_suggestion",
    /// Put the whole backlog in the order the framework suggests (asks
    /// first).
    AcceptAll = "accept_all",
    /// Show only the stories the framework cannot score, or all again.
    ToggleUnscored = "toggle_unscored",
    /// Show the selected story in the backlog pane, selected there.
    ShowInBacklog = "show_in_backlog",
    /// Export the backlog to a file: choose the format, type the file.
    Export = "export",
    /// Type a customer's feedback into the inbox, and who it came from.
    AddFeedback = "add_feedback",
    /// Turn the selected feedback item into a draft story of its own.
    ConvertFeedback = "convert_feedback",
    /// Link the selected feedback item to a story that answers it,
    /// chosen in the story picker.
    LinkFeedback = "link_feedback",
    /// Set the selected feedback item aside, saying why.
    DismissFeedback = "dismiss_feedback",
    /// Put the selected feedback item back in the inbox as new.
    ReopenFeedback = "reopen_feedback",
    /// The selected feedback item's importance a step up or down the
    /// scale: not important, nice to have, important, critical.
    ImportanceUp = "importance_up",
    ImportanceDown = "importance_down",
    /// Show the next of the inbox's views: new items, all, linked,
    /// converted, dismissed.
    FilterByState = "filter_by_state",
    /// Plan a refinement meeting (its agenda proposed from the backlog as
    /// the table shows it), start the one planned, or go back to the one
    /// under way.
    StartMeeting = "start_meeting",
    /// The meeting's next (or previous) story on the agenda.
    NextStory = "next_story",
    PreviousStory = "previous_story",
    /// Type the team's planning poker cards for the story on screen.
    PlayPoker = "play_poker",
    /// Take the estimate the last poker round points to.
    AgreeEstimate = "agree_estimate",
    /// Go to a story by its id, putting it on the agenda.
    GoToStory = "go_to_story",
    /// Find a story by its title and put it on the agenda.
    PickStory = "pick_story",
    /// Record a decision on the story on screen.
    RecordDecision = "record_decision",
    /// Answer the open question selected; the answer is kept with it.
    AnswerQuestion = "answer_question",
    /// Edit the comment selected, if it is yours.
    EditComment = "edit_comment",
    /// Set the story ready, subject to the Definition of Ready.
    MarkReady = "mark_ready",
    /// Park a topic for later: it goes in the minutes.
    ParkTopic = "park_topic",
    /// Move the story selected on the agenda a place earlier or later.
    AgendaEarlier = "agenda_earlier",
    AgendaLater = "agenda_later",
    /// Take the story selected off the agenda.
    DropFromAgenda = "drop_from_agenda",
    /// One story more (or fewer) in the agenda proposed.
    AgendaLonger = "agenda_longer",
    AgendaShorter = "agenda_shorter",
    /// End the meeting and write its minutes.
    EndMeeting = "end_meeting",
    /// Show the clashes a git merge left in the file, to settle each.
    OpenClashes = "open_clashes",
    /// Settle the clash selected with our side's value (the one the file
    /// holds), or with theirs.
    TakeOurs = "take_ours",
    TakeTheirs = "take_theirs",
    /// Settle the clash selected with a value typed, starting from ours.
    EditClash = "edit_clash",
}

impl Command {
    /// The command a keymap file names `name`.
    #[must_use]
    pub fn named(name: &str) -> Option<Command> {
        Command::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// The index of the pane a `show_pane_…` command shows (`0` the
    /// first).
    #[must_use]
    pub fn pane(self) -> Option<usize> {
        let pane = match self {
            Command::ShowPane1 => 0,
            Command::ShowPane2 => 1,
            Command::ShowPane3 => 2,
            Command::ShowPane4 => 3,
            Command::ShowPane5 => 4,
            Command::ShowPane6 => 5,
            Command::ShowPane7 => 6,
            Command::ShowPane8 => 7,
            Command::ShowPane9 => 8,
            _ => return None,
        };
        Some(pane)
    }

    /// The command that shows the pane at `index` (`0` the first), if
    /// there is one.
    #[must_use]
    pub fn show_pane(index: usize) -> Option<Command> {
        Command::ALL
            .iter()
            .copied()
            .find(|c| c.pane() == Some(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_snake_case_unique_and_serde_s() {
        for (i, command) in Command::ALL.iter().enumerate() {
            let name = command.name();
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{name}"
            );
            assert_eq!(Command::named(name), Some(*command));
            assert!(!Command::ALL[i + 1..].iter().any(|c| c.name() == name));
            assert_eq!(
                serde_json::to_string(command).unwrap(),
                format!("\"{name}\"")
            );
            assert_eq!(
                serde_json::from_str::<Command>(&format!("\"{name}\"")).unwrap(),
                *command
            );
        }
        assert_eq!(Command::named("select_nxt"), None);
    }

    #[test]
    fn each_pane_number_has_its_command() {
        for index in 0..9 {
            assert_eq!(
                Command::show_pane(index).and_then(Command::pane),
                Some(index)
            );
        }
        assert_eq!(Command::show_pane(9), None);
        assert_eq!(Command::Quit.pane(), None);
    }
}
