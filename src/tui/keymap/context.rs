//! Key contexts: where keys are looked up. Each screen names its
//! context, and each context offers the commands that make sense there,
//! with what each does there (for the help) and a word or two for the
//! status bar. Which keys run them is the keymap's business, not this.

use super::Command;

/// Where keys are looked up: each screen names its context, and the
/// keymap holds a table of bindings for each. The names are what a keymap
/// file calls them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Context {
    /// The backlog table.
    Backlog,
    /// The story pane beside it.
    Story,
    /// Any pane but the backlog, unless it has a context of its own.
    Pane,
    /// The priority pane: the order a framework suggests.
    Priority,
    /// The roadmap pane: the release plan on a timeline.
    Roadmap,
    /// The inbox pane: customer feedback to triage.
    Inbox,
    /// The inbox's item beside the list, focused to scroll it.
    InboxItem,
    /// The meeting pane, a meeting under way: the story on screen.
    Meeting,
    /// The meeting pane with no meeting under way: the agenda planned.
    MeetingPlan,
    /// Typing a note of several lines in a meeting: a decision, a
    /// question, an answer, a comment.
    MeetingNote,
    /// The story form, moving between fields.
    Form,
    /// Typing into a one-line field of the form.
    FormField,
    /// Typing the form's description.
    FormText,
    /// The split dialog, typing the new title.
    Split,
    /// The split dialog, choosing the criteria that move.
    SplitCriteria,
    /// A document `$EDITOR` gave back that cannot be applied.
    EditorError,
    /// One that names an epic there is not.
    EditorErrorEpic,
    /// Typing one line: a new story's title, a comment, a question.
    Prompt,
    Search,
    Filter,
    Settings,
    /// The status picker: every status in a list.
    StatusPicker,
    /// The framework picker: every prioritisation framework, and none.
    FrameworkPicker,
    /// The release picker: whose line goes under the selected story.
    LinePicker,
    /// The export picker: the format the backlog is exported as.
    Export,
    /// The story picker: a story found by typing part of its title or id.
    StoryPicker,
    /// A story's score, explained term by term.
    Explain,
    /// A story's prioritisation inputs.
    Weigh,
    /// A yes/no question.
    Confirm,
    Epics,
    /// Choosing what becomes of a deleted epic's stories.
    EpicDelete,
    /// Deleting an epic with no stories.
    EpicConfirm,
    Vision,
    /// Typing one line in a panel.
    PanelLine,
    /// Typing several lines in a panel.
    PanelText,
    Help,
    /// The messages about the file, in full.
    Messages,
    /// The clashes a git merge left, to settle.
    Clashes,
}

/// A command a context offers: what it does there, and its status-bar
/// hint, for the commands a newcomer needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Offer {
    pub command: Command,
    pub help: &'static str,
    pub hint: Option<&'static str>,
}

const fn offer(command: Command, help: &'static str) -> Offer {
    Offer {
        command,
        help,
        hint: None,
    }
}

const fn hinted(command: Command, help: &'static str, hint: &'static str) -> Offer {
    Offer {
        command,
        help,
        hint: Some(hint),
    }
}

const QUIT: Offer = offer(Command::Quit, "quit, saving everything");
const QUIT_HINTED: Offer = hinted(Command::Quit, "quit, saving everything", "quit");

/// The panes' number keys, offered wherever a pane has the keys; the
/// help lists them with the panes' names.
const PANES: [Offer; 9] = [
    offer(Command::ShowPane1, "show pane 1"),
    offer(Command::ShowPane2, "show pane 2"),
    offer(Command::ShowPane3, "show pane 3"),
    offer(Command::ShowPane4, "show pane 4"),
    offer(Command::ShowPane5, "show pane 5"),
    offer(Command::ShowPane6, "show pane 6"),
    offer(Command::ShowPane7, "show pane 7"),
    offer(Command::ShowPane8, "show pane 8"),
    offer(Command::ShowPane9, "show pane 9"),
];

const BACKLOG: &[Offer] = &[
    hinted(Command::SelectNext, "select the next story", "select"),
    offer(Command::SelectPrevious, "select the previous story"),
    offer(Command::SelectFirst, "select the first story"),
    offer(Command::SelectLast, "select the last story"),
    offer(Command::PageDown, "one page down"),
    offer(Command::PageUp, "one page up"),
    hinted(
        Command::MoveDown,
        "move the story one place down (past the next story shown)",
        "move",
    ),
    offer(
        Command::MoveUp,
        "move the story one place up (past the previous story shown)",
    ),
    offer(
        Command::MoveToTop,
        "move the story to the top (of the stories shown)",
    ),
    offer(
        Command::MoveToBottom,
        "move the story to the bottom (of the stories shown)",
    ),
    hinted(
        Command::SortTable,
        "sort by score, points, status, epic, age: the rank stays",
        "sort",
    ),
    offer(
        Command::RankOrder,
        "back to rank order from a sort, where stories move",
    ),
    hinted(
        Command::OpenForm,
        "edit the story: every field, criteria, estimate, status",
        "edit",
    ),
    offer(
        Command::EditInEditor,
        "edit the story as Markdown in $VISUAL / $EDITOR",
    ),
    hinted(
        Command::AddStory,
        "add a story after the selected one",
        "add",
    ),
    offer(
        Command::DeleteStory,
        "delete the story (asks first), or the release line selected",
    ),
    hinted(
        Command::EstimateUp,
        "estimate one step up the scale",
        "estimate",
    ),
    offer(
        Command::EstimateDown,
        "estimate one step down (below the smallest: none)",
    ),
    offer(
        Command::NextStatus,
        "next status: draft, ready, in-progress, done, rejected",
    ),
    offer(Command::PreviousStatus, "previous status"),
    offer(
        Command::ChooseStatus,
        "choose the status from a list: any status in one step",
    ),
    offer(
        Command::SplitStory,
        "split the story: a new one after it takes chosen criteria",
    ),
    offer(Command::Comment, "comment on the story"),
    offer(
        Command::AskQuestion,
        "ask an open question: not ready until it is answered",
    ),
    hinted(
        Command::Undo,
        "undo the last change (moves and deletes too)",
        "undo",
    ),
    offer(Command::Redo, "redo what was undone"),
    hinted(
        Command::Search,
        "search id, title, description and criteria as you type",
        "search",
    ),
    hinted(
        Command::OpenFilter,
        "filter by status, label, epic, readiness, estimate",
        "filter",
    ),
    offer(
        Command::ClearFilter,
        "clear the search and filters: show every story",
    ),
    offer(
        Command::ToggleOpenWork,
        "open work only (done and rejected hidden), or every story",
    ),
    offer(
        Command::OpenSettings,
        "settings: estimate scale and Definition of Ready",
    ),
    offer(
        Command::SwitchFocus,
        "switch focus between the table and the story pane",
    ),
    offer(
        Command::MarkRange,
        "mark from here to where the selection goes; again: stop",
    ),
    offer(
        Command::ToggleMark,
        "mark or unmark the story: keys then act on all marked",
    ),
    offer(
        Command::Dismiss,
        "clear the marks, else dismiss a message about the file",
    ),
    offer(
        Command::ReadMessages,
        "read the messages about the file in full",
    ),
    offer(
        Command::OpenClashes,
        "clashes a git merge left: keep ours, take theirs, or edit",
    ),
    offer(
        Command::StartMeeting,
        "refinement meeting: plan one, start it, or go back to it",
    ),
    offer(
        Command::ToggleStoryPane,
        "hide the story pane: the table takes the screen; or show it",
    ),
    offer(
        Command::ToggleLabels,
        "show or hide the labels column (where the table has room)",
    ),
    offer(
        Command::ToggleUpdated,
        "show or hide the day each story last changed (room allowing)",
    ),
    offer(
        Command::OpenEpics,
        "epics: put the story in one, add, rename, delete",
    ),
    offer(Command::OpenVision, "the product's vision and goals"),
    offer(
        Command::ChooseFramework,
        "pick the framework stories are scored by, or none",
    ),
    offer(
        Command::ExplainScore,
        "explain the story's score, term by term",
    ),
    offer(
        Command::WeighStory,
        "weigh the story: set its prioritisation inputs",
    ),
    offer(
        Command::SelectNextLine,
        "select the next release line, to move as a story is",
    ),
    offer(
        Command::SelectPreviousLine,
        "select the previous release line",
    ),
    offer(
        Command::PlaceLine,
        "put a release's line under the story (picks the release)",
    ),
    offer(
        Command::Export,
        "export the backlog to a file: Markdown, HTML, CSV, JSON",
    ),
    hinted(Command::Help, "show or hide this help", "help"),
    QUIT_HINTED,
];

/// The backlog's commands and the panes' number keys.
static BACKLOG_AND_PANES: [Offer; BACKLOG.len() + 9] = concat(BACKLOG, &PANES);

const STORY: &[Offer] = &[
    hinted(Command::ScrollDown, "scroll the story down", "scroll"),
    offer(Command::ScrollUp, "scroll the story up"),
    offer(Command::SwitchFocus, "back to the table"),
];

const PANE: &[Offer] = &[
    hinted(
        Command::ScrollDown,
        "scroll down (or the next row)",
        "scroll",
    ),
    offer(Command::ScrollUp, "scroll up (or the previous row)"),
    offer(Command::Dismiss, "dismiss a message about the file"),
    offer(
        Command::ReadMessages,
        "read the messages about the file in full",
    ),
    offer(
        Command::OpenClashes,
        "clashes a git merge left: keep ours, take theirs, or edit",
    ),
    offer(
        Command::StartMeeting,
        "refinement meeting: plan one, start it, or go back to it",
    ),
    hinted(Command::Help, "show or hide this help", "help"),
    QUIT_HINTED,
];

static PANE_AND_PANES: [Offer; PANE.len() + 9] = concat(PANE, &PANES);

const PRIORITY: &[Offer] = &[
    hinted(Command::SelectNext, "select the next story", "select"),
    offer(Command::SelectPrevious, "select the previous story"),
    offer(Command::SelectFirst, "select the first story"),
    offer(Command::SelectLast, "select the last story"),
    offer(Command::PageDown, "one page down"),
    offer(Command::PageUp, "one page up"),
    hinted(
        Command::ChooseFramework,
        "pick the framework stories are scored by, or none",
        "framework",
    ),
    hinted(
        Command::ExplainScore,
        "explain the story's score, term by term",
        "explain",
    ),
    hinted(
        Command::AcceptSuggestion,
        "move the story to its suggested place",
        "accept",
    ),
    offer(
        Command::AcceptAll,
        "put every story in its suggested place (asks first)",
    ),
    offer(
        Command::ToggleUnscored,
        "show only the stories left unscored, or all",
    ),
    hinted(Command::Undo, "undo the last change", "undo"),
    offer(Command::Redo, "redo what was undone"),
    offer(Command::Dismiss, "dismiss a message about the file"),
    offer(
        Command::ReadMessages,
        "read the messages about the file in full",
    ),
    offer(
        Command::OpenClashes,
        "clashes a git merge left: keep ours, take theirs, or edit",
    ),
    offer(
        Command::StartMeeting,
        "refinement meeting: plan one, start it, or go back to it",
    ),
    hinted(Command::Help, "show or hide this help", "help"),
    QUIT_HINTED,
];

static PRIORITY_AND_PANES: [Offer; PRIORITY.len() + 9] = concat(PRIORITY, &PANES);

const ROADMAP: &[Offer] = &[
    hinted(
        Command::SelectNext,
        "the next story in the timeline; scroll the lanes",
        "select",
    ),
    offer(
        Command::SelectPrevious,
        "the previous story in the timeline; scroll the lanes",
    ),
    offer(Command::SelectFirst, "the first story; the lanes' top"),
    offer(Command::SelectLast, "the last story; the lanes' end"),
    offer(Command::PageDown, "one page down"),
    offer(Command::PageUp, "one page up"),
    hinted(
        Command::SwitchFocus,
        "next section: the timeline, the burnup, the lanes",
        "section",
    ),
    hinted(
        Command::ShowInBacklog,
        "show the selected story in the backlog pane",
        "in backlog",
    ),
    offer(
        Command::Undo,
        "undo the last change (a move made in the backlog too)",
    ),
    offer(Command::Redo, "redo what was undone"),
    offer(Command::Dismiss, "dismiss a message about the file"),
    offer(
        Command::ReadMessages,
        "read the messages about the file in full",
    ),
    offer(
        Command::OpenClashes,
        "clashes a git merge left: keep ours, take theirs, or edit",
    ),
    offer(
        Command::StartMeeting,
        "refinement meeting: plan one, start it, or go back to it",
    ),
    hinted(Command::Help, "show or hide this help", "help"),
    QUIT_HINTED,
];

static ROADMAP_AND_PANES: [Offer; ROADMAP.len() + 9] = concat(ROADMAP, &PANES);

const INBOX: &[Offer] = &[
    hinted(Command::SelectNext, "select the next item", "select"),
    offer(Command::SelectPrevious, "select the previous item"),
    offer(Command::SelectFirst, "select the first item"),
    offer(Command::SelectLast, "select the last item"),
    offer(Command::PageDown, "one page down"),
    offer(Command::PageUp, "one page up"),
    hinted(
        Command::ConvertFeedback,
        "convert the item into a draft story, at the bottom",
        "convert",
    ),
    hinted(
        Command::LinkFeedback,
        "link the item to a story, found by its title or id",
        "link",
    ),
    hinted(
        Command::DismissFeedback,
        "dismiss the item, saying why",
        "dismiss",
    ),
    offer(
        Command::ReopenFeedback,
        "reopen the item: new again (a story made from it stays)",
    ),
    offer(
        Command::ImportanceUp,
        "importance one step up: 0 not important to 3 critical",
    ),
    offer(Command::ImportanceDown, "importance one step down"),
    offer(
        Command::ShowInBacklog,
        "show the story it is linked to or was converted into",
    ),
    hinted(
        Command::FilterByState,
        "show new, all, linked, converted, dismissed: the next",
        "show",
    ),
    offer(
        Command::SortTable,
        "order: newest first, oldest first, most important first",
    ),
    hinted(
        Command::AddFeedback,
        "add an item: what the customer said, then who",
        "add",
    ),
    offer(
        Command::SwitchFocus,
        "switch focus between the list and the item, to scroll it",
    ),
    offer(Command::Undo, "undo the last change"),
    offer(Command::Redo, "redo what was undone"),
    offer(Command::Dismiss, "dismiss a message about the file"),
    offer(
        Command::ReadMessages,
        "read the messages about the file in full",
    ),
    offer(
        Command::OpenClashes,
        "clashes a git merge left: keep ours, take theirs, or edit",
    ),
    offer(
        Command::StartMeeting,
        "refinement meeting: plan one, start it, or go back to it",
    ),
    hinted(Command::Help, "show or hide this help", "help"),
    QUIT_HINTED,
];

static INBOX_AND_PANES: [Offer; INBOX.len() + 9] = concat(INBOX, &PANES);

const INBOX_ITEM: &[Offer] = &[
    hinted(Command::ScrollDown, "scroll the item down", "scroll"),
    offer(Command::ScrollUp, "scroll the item up"),
    offer(Command::SwitchFocus, "back to the list"),
];

const MEETING: &[Offer] = &[
    hinted(Command::NextStory, "the next story on the agenda", "next"),
    offer(Command::PreviousStory, "the story before on the agenda"),
    offer(
        Command::SelectNext,
        "select the next criterion or comment of the story",
    ),
    offer(Command::SelectPrevious, "select the one before"),
    hinted(
        Command::PlayPoker,
        "planning poker: type the team's cards, e.g. 3 5 5 8",
        "poker",
    ),
    hinted(
        Command::AgreeEstimate,
        "agree: take the estimate the last round points to",
        "agree",
    ),
    offer(Command::EstimateUp, "estimate one step up the scale"),
    offer(Command::EstimateDown, "estimate one step down"),
    hinted(
        Command::AddCriterion,
        "add an acceptance criterion",
        "criterion",
    ),
    offer(
        Command::ToggleDone,
        "check off the criterion selected, or uncheck it",
    ),
    hinted(Command::RecordDecision, "record a decision", "decision"),
    offer(
        Command::AskQuestion,
        "ask an open question: not ready until it is answered",
    ),
    offer(
        Command::AnswerQuestion,
        "answer the question selected (the answer is kept)",
    ),
    offer(Command::Comment, "comment on the story"),
    offer(
        Command::EditComment,
        "edit the comment selected, if it is yours",
    ),
    hinted(
        Command::MarkReady,
        "set ready, checked against the Definition of Ready",
        "ready",
    ),
    offer(
        Command::SplitStory,
        "split the story: a new one after it takes chosen criteria",
    ),
    offer(
        Command::OpenForm,
        "edit the story: every field, criteria, estimate, status",
    ),
    offer(Command::MoveUp, "move the story one place up the backlog"),
    offer(
        Command::MoveDown,
        "move the story one place down the backlog",
    ),
    offer(
        Command::MoveToTop,
        "move the story to the top of the backlog",
    ),
    offer(
        Command::ParkTopic,
        "park a topic for later: it goes in the minutes",
    ),
    offer(
        Command::GoToStory,
        "go to a story by its id, putting it on the agenda",
    ),
    offer(
        Command::PickStory,
        "find a story by its title and put it on the agenda",
    ),
    offer(
        Command::AgendaEarlier,
        "this story a place earlier on the agenda",
    ),
    offer(
        Command::AgendaLater,
        "this story a place later on the agenda",
    ),
    offer(Command::DropFromAgenda, "take this story off the agenda"),
    hinted(
        Command::EndMeeting,
        "end the meeting and write its minutes (asks first)",
        "end",
    ),
    offer(Command::Undo, "undo the last change"),
    offer(Command::Redo, "redo the last change undone"),
    offer(Command::Dismiss, "dismiss a message about the file"),
    offer(
        Command::ReadMessages,
        "read the messages about the file in full",
    ),
    offer(
        Command::OpenClashes,
        "clashes a git merge left: keep ours, take theirs, or edit",
    ),
    hinted(Command::Help, "show or hide this help", "help"),
    offer(
        Command::Quit,
        "quit, saving everything: the meeting can be resumed",
    ),
];

static MEETING_AND_PANES: [Offer; MEETING.len() + 9] = concat(MEETING, &PANES);

const MEETING_PLAN: &[Offer] = &[
    hinted(
        Command::StartMeeting,
        "start the meeting on this agenda",
        "start",
    ),
    hinted(Command::SelectNext, "select the next story", "select"),
    offer(Command::SelectPrevious, "select the previous story"),
    offer(Command::AgendaEarlier, "the story selected a place earlier"),
    offer(Command::AgendaLater, "the story selected a place later"),
    hinted(
        Command::DropFromAgenda,
        "take the story selected off the agenda",
        "drop",
    ),
    hinted(
        Command::PickStory,
        "find a story by its title and add it",
        "add",
    ),
    offer(Command::GoToStory, "add a story by its id"),
    offer(
        Command::AgendaLonger,
        "one more story: the next one not ready",
    ),
    offer(Command::AgendaShorter, "one story fewer"),
    offer(
        Command::EndMeeting,
        "end the meeting left unfinished, writing its minutes",
    ),
    offer(Command::Dismiss, "dismiss a message about the file"),
    offer(
        Command::ReadMessages,
        "read the messages about the file in full",
    ),
    offer(
        Command::OpenClashes,
        "clashes a git merge left: keep ours, take theirs, or edit",
    ),
    hinted(Command::Help, "show or hide this help", "help"),
    QUIT_HINTED,
];

static MEETING_PLAN_AND_PANES: [Offer; MEETING_PLAN.len() + 9] = concat(MEETING_PLAN, &PANES);

const MEETING_NOTE: &[Offer] = &[
    hinted(Command::KeepField, "keep it", "keep"),
    offer(Command::StopTyping, "keep it, or with nothing typed, close"),
    hinted(
        Command::CancelField,
        "cancel: what was typed goes",
        "cancel",
    ),
    QUIT,
];

const PROMPT: &[Offer] = &[
    hinted(Command::KeepField, "keep it", "keep"),
    offer(Command::StopTyping, "keep it, or with nothing typed, close"),
    hinted(
        Command::CancelField,
        "cancel: what was typed goes",
        "cancel",
    ),
    QUIT,
];

const FORM: &[Offer] = &[
    hinted(Command::SelectNext, "next field", "field"),
    offer(Command::SelectPrevious, "previous field"),
    hinted(
        Command::EditField,
        "type into the field (criteria: edit the criterion)",
        "type",
    ),
    hinted(
        Command::NextValue,
        "next value: estimate up the scale, status, epic",
        "change",
    ),
    offer(Command::PreviousValue, "previous value"),
    offer(Command::EstimateUp, "estimate one step up the scale"),
    offer(Command::EstimateDown, "estimate one step down"),
    hinted(
        Command::ToggleDone,
        "check a criterion; resolve or reopen a question",
        "check",
    ),
    hinted(
        Command::AddCriterion,
        "add an acceptance criterion after this one",
        "add criterion",
    ),
    offer(Command::RemoveCriterion, "remove the criterion"),
    offer(Command::MoveDown, "move the criterion down"),
    offer(Command::MoveUp, "move the criterion up"),
    offer(
        Command::EditInEditor,
        "edit the whole story as Markdown in $EDITOR",
    ),
    offer(Command::Undo, "undo the last change"),
    offer(Command::Redo, "redo what was undone"),
    hinted(
        Command::Close,
        "close the form (every kept change is saved)",
        "close",
    ),
    QUIT,
];

const FORM_FIELD: &[Offer] = &[
    hinted(Command::KeepField, "keep the text", "keep"),
    offer(Command::StopTyping, "stop typing, keeping the text"),
    hinted(
        Command::CancelField,
        "cancel: the field stays as it was",
        "cancel",
    ),
    QUIT,
];

const FORM_TEXT: &[Offer] = FORM_FIELD;

const SPLIT: &[Offer] = &[
    hinted(Command::Confirm, "split: make the new story", "split"),
    hinted(
        Command::SwitchFocus,
        "switch between the title and the criteria",
        "criteria",
    ),
    offer(
        Command::StopTyping,
        "stop typing the title, keeping it: on to the criteria",
    ),
    hinted(Command::Cancel, "cancel: nothing is split", "cancel"),
    QUIT,
];

const SPLIT_CRITERIA: &[Offer] = &[
    hinted(Command::SelectNext, "next criterion", "select"),
    offer(Command::SelectPrevious, "previous criterion"),
    hinted(
        Command::ToggleMoving,
        "move the criterion to the new story, or keep it",
        "choose",
    ),
    hinted(Command::Confirm, "split: make the new story", "split"),
    hinted(
        Command::SwitchFocus,
        "switch between the title and the criteria",
        "title",
    ),
    hinted(Command::Cancel, "cancel: nothing is split", "cancel"),
    QUIT,
];

const EDIT_AGAIN: Offer = hinted(
    Command::EditAgain,
    "open your text in the editor again, to fix it",
    "edit again",
);
const DISCARD_EDIT: Offer = hinted(
    Command::DiscardEdit,
    "discard your text: the story stays as it was",
    "discard",
);

const EDITOR_ERROR: &[Offer] = &[EDIT_AGAIN, DISCARD_EDIT, QUIT];

const EDITOR_ERROR_EPIC: &[Offer] = &[
    hinted(
        Command::CreateEpicAndApply,
        "create the epic your text names, and apply your text",
        "create the epic and apply",
    ),
    EDIT_AGAIN,
    DISCARD_EDIT,
    QUIT,
];

const SEARCH: &[Offer] = &[
    hinted(Command::KeepField, "keep the search as a filter", "keep"),
    hinted(
        Command::CancelField,
        "cancel: go back to the search before",
        "cancel",
    ),
    QUIT,
];

const FILTER: &[Offer] = &[
    hinted(Command::SelectNext, "next filter", "select"),
    offer(Command::SelectPrevious, "previous filter"),
    hinted(Command::NextValue, "next value", "change"),
    offer(Command::PreviousValue, "previous value"),
    hinted(Command::ClearFilter, "clear every filter", "clear"),
    hinted(
        Command::Close,
        "close the panel, keeping the filters",
        "done",
    ),
    QUIT,
];

const SETTINGS: &[Offer] = &[
    hinted(Command::SelectNext, "next setting", "select"),
    offer(Command::SelectPrevious, "previous setting"),
    hinted(
        Command::NextValue,
        "change: next scale, rule on or off, a larger maximum",
        "change",
    ),
    offer(
        Command::PreviousValue,
        "change back: previous scale, a smaller maximum",
    ),
    hinted(
        Command::Close,
        "close the panel (every change is saved)",
        "close",
    ),
    QUIT,
];

const STATUS_PICKER: &[Offer] = &[
    hinted(Command::SelectNext, "next status", "choose"),
    offer(Command::SelectPrevious, "previous status"),
    offer(Command::SelectFirst, "the first status: draft"),
    offer(Command::SelectLast, "the last status: rejected"),
    hinted(
        Command::Confirm,
        "set the status (the marked stories' too)",
        "set",
    ),
    hinted(Command::Cancel, "change nothing", "cancel"),
    QUIT,
];

const FRAMEWORK_PICKER: &[Offer] = &[
    hinted(Command::SelectNext, "next framework", "choose"),
    offer(Command::SelectPrevious, "previous framework"),
    offer(Command::SelectFirst, "the first framework: WSJF"),
    offer(Command::SelectLast, "the last choice: none"),
    hinted(Command::Confirm, "score the stories by it", "pick"),
    hinted(Command::Cancel, "change nothing", "cancel"),
    QUIT,
];

const LINE_PICKER: &[Offer] = &[
    hinted(Command::SelectNext, "next release", "choose"),
    offer(Command::SelectPrevious, "previous release"),
    offer(Command::SelectFirst, "the first release"),
    offer(Command::SelectLast, "the last release"),
    hinted(
        Command::Confirm,
        "put its line under the selected story",
        "put",
    ),
    hinted(Command::Cancel, "change nothing", "cancel"),
    QUIT,
];

const EXPORT: &[Offer] = &[
    hinted(Command::SelectNext, "next format", "choose"),
    offer(Command::SelectPrevious, "previous format"),
    offer(Command::SelectFirst, "the first format: Markdown"),
    offer(Command::SelectLast, "the last format: JSON"),
    hinted(Command::Confirm, "export as it: type the file next", "pick"),
    hinted(Command::Cancel, "export nothing", "cancel"),
    QUIT,
];

const STORY_PICKER: &[Offer] = &[
    hinted(Command::SelectNext, "the next story matched", "select"),
    offer(Command::SelectPrevious, "the previous story matched"),
    offer(Command::PageDown, "one page of matches down"),
    offer(Command::PageUp, "one page of matches up"),
    hinted(
        Command::Confirm,
        "link the item to the story selected",
        "link",
    ),
    hinted(Command::Cancel, "change nothing", "cancel"),
    QUIT,
];

/// Scrolling a box of text (the explanation, the messages), after the
/// key that closes it.
const SCROLL_BOX: [Offer; 7] = [
    hinted(Command::ScrollDown, "scroll down", "scroll"),
    offer(Command::ScrollUp, "scroll up"),
    offer(Command::PageDown, "one page down"),
    offer(Command::PageUp, "one page up"),
    offer(Command::ScrollToTop, "to the top"),
    offer(Command::ScrollToEnd, "to the end"),
    QUIT,
];

static EXPLAIN: [Offer; 8] = concat(
    &[hinted(Command::Close, "close the explanation", "close")],
    &SCROLL_BOX,
);

const WEIGH: &[Offer] = &[
    hinted(Command::SelectNext, "next input", "select"),
    offer(Command::SelectPrevious, "previous input"),
    hinted(Command::EditField, "type the input's value", "type"),
    hinted(Command::ClearValue, "remove the input's value", "clear"),
    offer(Command::Undo, "undo the last change"),
    offer(Command::Redo, "redo what was undone"),
    hinted(
        Command::Close,
        "close the panel (every value kept is saved)",
        "close",
    ),
    QUIT,
];

const CONFIRM: &[Offer] = &[
    hinted(Command::Confirm, "yes", "yes"),
    hinted(Command::Cancel, "no, change nothing", "no"),
    QUIT,
];

const EPICS: &[Offer] = &[
    hinted(Command::SelectNext, "next epic", "select"),
    offer(Command::SelectPrevious, "previous epic"),
    hinted(
        Command::PutInEpic,
        "put the selected story in this epic, and close",
        "assign",
    ),
    hinted(
        Command::TakeOutOfEpic,
        "take the selected story out of its epic, and close",
        "unassign",
    ),
    hinted(Command::AddEpic, "add an epic", "new"),
    hinted(
        Command::RenameEpic,
        "rename the epic; its stories keep it",
        "rename",
    ),
    offer(Command::EditEpicGoal, "edit the epic's goal"),
    offer(
        Command::EditEpicRelease,
        "edit the target release (empty: none)",
    ),
    offer(Command::NextColor, "next colour"),
    hinted(
        Command::DeleteEpic,
        "delete the epic: asks what becomes of its stories",
        "delete",
    ),
    hinted(Command::Close, "close the panel", "close"),
    QUIT,
];

const EPIC_DELETE: &[Offer] = &[
    hinted(Command::SelectNext, "next choice", "choose"),
    offer(Command::SelectPrevious, "previous choice"),
    hinted(Command::Confirm, "delete the epic as chosen", "delete"),
    hinted(Command::Cancel, "keep the epic", "cancel"),
    QUIT,
];

const EPIC_CONFIRM: &[Offer] = &[
    hinted(Command::Confirm, "yes, delete the epic", "yes"),
    hinted(Command::Cancel, "no, keep it", "no"),
    QUIT,
];

const VISION: &[Offer] = &[
    hinted(
        Command::SelectNext,
        "next row: name, vision, each goal",
        "select",
    ),
    offer(Command::SelectPrevious, "previous row"),
    hinted(Command::EditField, "type into the row", "edit"),
    hinted(
        Command::AddGoal,
        "add a goal after the selected one",
        "add goal",
    ),
    offer(Command::RemoveGoal, "remove the goal"),
    offer(Command::MoveDown, "move the goal down"),
    offer(Command::MoveUp, "move the goal up"),
    hinted(Command::Close, "close the panel", "close"),
    QUIT,
];

const PANEL_LINE: &[Offer] = &[
    hinted(Command::KeepField, "keep the text", "keep"),
    offer(Command::StopTyping, "stop typing, keeping the text"),
    hinted(Command::CancelField, "cancel: it stays as it was", "cancel"),
    QUIT,
];

const PANEL_TEXT: &[Offer] = &[
    hinted(Command::KeepField, "keep the vision", "keep"),
    offer(Command::StopTyping, "stop typing, keeping the vision"),
    hinted(Command::CancelField, "cancel: it stays as it was", "cancel"),
    QUIT,
];

const HELP: &[Offer] = &[
    hinted(Command::Close, "close the help", "close"),
    hinted(Command::ScrollDown, "scroll the help down", "scroll"),
    offer(Command::ScrollUp, "scroll the help up"),
    offer(Command::PageDown, "one page of the help down"),
    offer(Command::PageUp, "one page of the help up"),
    offer(Command::ScrollToTop, "to the top of the help"),
    offer(Command::ScrollToEnd, "to the end of the help"),
    QUIT,
];

const CLASHES: &[Offer] = &[
    hinted(
        Command::TakeOurs,
        "keep ours: the value the file holds",
        "ours",
    ),
    hinted(Command::TakeTheirs, "take theirs", "theirs"),
    hinted(
        Command::EditClash,
        "type a value of your own, starting from ours",
        "edit",
    ),
    hinted(Command::SelectNext, "select the next clash", "select"),
    offer(Command::SelectPrevious, "select the previous clash"),
    offer(Command::SelectFirst, "select the first clash"),
    offer(Command::SelectLast, "select the last clash"),
    offer(
        Command::ShowInBacklog,
        "show the clash's story in the backlog, selected",
    ),
    hinted(
        Command::Undo,
        "undo the last change: a clash settled is back",
        "undo",
    ),
    offer(Command::Redo, "redo what was undone"),
    hinted(
        Command::Close,
        "close: the clashes left stay in the file",
        "close",
    ),
    QUIT,
];

static MESSAGES: [Offer; 8] = concat(
    &[hinted(Command::Close, "close the messages", "close")],
    &SCROLL_BOX,
);

/// `first` then `second`, as one array: a context's own commands and
/// the panes' number keys, or a box's close key and its scrolling.
const fn concat<const N: usize, const M: usize>(
    first: &[Offer],
    second: &[Offer; M],
) -> [Offer; N] {
    let mut all = [QUIT; N];
    let mut i = 0;
    while i < first.len() {
        all[i] = first[i];
        i += 1;
    }
    let mut j = 0;
    while j < second.len() {
        all[i + j] = second[j];
        j += 1;
    }
    all
}

impl Context {
    /// Every context, in the order the help and `backlog keys` show them.
    pub const ALL: [Context; 38] = [
        Context::Backlog,
        Context::Story,
        Context::Pane,
        Context::Priority,
        Context::Roadmap,
        Context::Inbox,
        Context::InboxItem,
        Context::Meeting,
        Context::MeetingPlan,
        Context::MeetingNote,
        Context::Form,
        Context::FormField,
        Context::FormText,
        Context::Split,
        Context::SplitCriteria,
        Context::EditorError,
        Context::EditorErrorEpic,
        Context::Prompt,
        Context::Search,
        Context::Filter,
        Context::Settings,
        Context::StatusPicker,
        Context::FrameworkPicker,
        Context::LinePicker,
        Context::Export,
        Context::StoryPicker,
        Context::Explain,
        Context::Weigh,
        Context::Confirm,
        Context::Epics,
        Context::EpicDelete,
        Context::EpicConfirm,
        Context::Vision,
        Context::PanelLine,
        Context::PanelText,
        Context::Help,
        Context::Messages,
        Context::Clashes,
    ];

    /// Its place in [`Context::ALL`].
    #[must_use]
    pub fn index(self) -> usize {
        self as usize
    }

    /// The context's name, as a keymap file names it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Context::Backlog => "backlog",
            Context::Story => "story",
            Context::Pane => "pane",
            Context::Priority => "priority",
            Context::Roadmap => "roadmap",
            Context::Inbox => "inbox",
            Context::InboxItem => "inbox.item",
            Context::Meeting => "meeting",
            Context::MeetingPlan => "meeting.plan",
            Context::MeetingNote => "meeting.note",
            Context::Form => "form",
            Context::FormField => "form.field",
            Context::FormText => "form.text",
            Context::Split => "split",
            Context::SplitCriteria => "split.criteria",
            Context::EditorError => "editor-error",
            Context::EditorErrorEpic => "editor-error.epic",
            Context::Prompt => "prompt",
            Context::Search => "search",
            Context::Filter => "filter",
            Context::Settings => "settings",
            Context::StatusPicker => "status",
            Context::FrameworkPicker => "framework",
            Context::LinePicker => "release-line",
            Context::Export => "export",
            Context::StoryPicker => "story-picker",
            Context::Explain => "explain",
            Context::Weigh => "weigh",
            Context::Confirm => "confirm",
            Context::Epics => "epics",
            Context::EpicDelete => "epics.deleting",
            Context::EpicConfirm => "epics.confirm",
            Context::Vision => "vision",
            Context::PanelLine => "panel.line",
            Context::PanelText => "panel.text",
            Context::Help => "help",
            Context::Messages => "messages",
            Context::Clashes => "clashes",
        }
    }

    /// The context a keymap file names `name`.
    #[must_use]
    pub fn named(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }

    /// What the help calls it.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Context::Backlog => "Backlog",
            Context::Story => "Story pane",
            Context::Pane => "Any other pane",
            Context::Priority => "Priority pane: the suggested order",
            Context::Roadmap => "Roadmap pane: the release plan",
            Context::Inbox => "Inbox pane: customer feedback to triage",
            Context::InboxItem => "The inbox's item, focused",
            Context::Meeting => "Meeting pane: a refinement meeting under way",
            Context::MeetingPlan => "Meeting pane: the agenda of the next meeting",
            Context::MeetingNote => "Typing a decision, question, answer or comment",
            Context::Form => "Story form",
            Context::FormField => "Typing into a field",
            Context::FormText => "Typing the description",
            Context::Split => "Split: the new title",
            Context::SplitCriteria => "Split: the criteria",
            Context::EditorError => "A document $EDITOR gave back unreadable",
            Context::EditorErrorEpic => "A document naming an epic there is not",
            Context::Prompt => "Typing a title or comment",
            Context::Search => "Search",
            Context::Filter => "Filter panel",
            Context::Settings => "Settings panel",
            Context::StatusPicker => "Status picker",
            Context::FrameworkPicker => "Framework picker",
            Context::LinePicker => "Release picker: whose line goes under the story",
            Context::Export => "Export: the format",
            Context::StoryPicker => "Story picker: type part of a title or id",
            Context::Explain => "A score explained",
            Context::Weigh => "Prioritisation inputs",
            Context::Confirm => "Questions (delete, set ready anyway, reorder, open a story)",
            Context::Epics => "Epics panel",
            Context::EpicDelete => "Deleting an epic with stories",
            Context::EpicConfirm => "Deleting an epic without stories",
            Context::Vision => "Vision panel",
            Context::PanelLine => "Typing a name, goal, release or input",
            Context::PanelText => "Typing the vision",
            Context::Help => "This help",
            Context::Messages => "Messages about the file in full",
            Context::Clashes => "Clashes a git merge left",
        }
    }

    /// The key that brings the context, for the help's titles to name:
    /// the context it is pressed in, and its command.
    #[must_use]
    pub fn opened_by(self) -> Option<(Context, Command)> {
        match self {
            Context::Story => Some((Context::Backlog, Command::SwitchFocus)),
            Context::Pane => Some((Context::Backlog, Command::ShowPane3)),
            Context::Priority => Some((Context::Backlog, Command::ShowPane2)),
            Context::Roadmap => Some((Context::Backlog, Command::ShowPane4)),
            Context::Inbox => Some((Context::Backlog, Command::ShowPane5)),
            Context::InboxItem => Some((Context::Inbox, Command::SwitchFocus)),
            Context::Meeting | Context::MeetingPlan => {
                Some((Context::Backlog, Command::StartMeeting))
            }
            Context::StoryPicker => Some((Context::Inbox, Command::LinkFeedback)),
            Context::FrameworkPicker => Some((Context::Backlog, Command::ChooseFramework)),
            Context::LinePicker => Some((Context::Backlog, Command::PlaceLine)),
            Context::Export => Some((Context::Backlog, Command::Export)),
            Context::Explain => Some((Context::Backlog, Command::ExplainScore)),
            Context::Weigh => Some((Context::Backlog, Command::WeighStory)),
            Context::Settings => Some((Context::Backlog, Command::OpenSettings)),
            Context::StatusPicker => Some((Context::Backlog, Command::ChooseStatus)),
            Context::Epics => Some((Context::Backlog, Command::OpenEpics)),
            Context::Vision => Some((Context::Backlog, Command::OpenVision)),
            Context::Messages => Some((Context::Backlog, Command::ReadMessages)),
            Context::Clashes => Some((Context::Backlog, Command::OpenClashes)),
            _ => None,
        }
    }

    /// The commands it offers, in the order the help lists them.
    #[must_use]
    pub fn offers(self) -> &'static [Offer] {
        match self {
            Context::Backlog => &BACKLOG_AND_PANES,
            Context::Story => STORY,
            Context::Pane => &PANE_AND_PANES,
            Context::Priority => &PRIORITY_AND_PANES,
            Context::Roadmap => &ROADMAP_AND_PANES,
            Context::Inbox => &INBOX_AND_PANES,
            Context::InboxItem => INBOX_ITEM,
            Context::Meeting => &MEETING_AND_PANES,
            Context::MeetingPlan => &MEETING_PLAN_AND_PANES,
            Context::MeetingNote => MEETING_NOTE,
            Context::Form => FORM,
            Context::FormField => FORM_FIELD,
            Context::FormText => FORM_TEXT,
            Context::Split => SPLIT,
            Context::SplitCriteria => SPLIT_CRITERIA,
            Context::EditorError => EDITOR_ERROR,
            Context::EditorErrorEpic => EDITOR_ERROR_EPIC,
            Context::Prompt => PROMPT,
            Context::Search => SEARCH,
            Context::Filter => FILTER,
            Context::Settings => SETTINGS,
            Context::StatusPicker => STATUS_PICKER,
            Context::FrameworkPicker => FRAMEWORK_PICKER,
            Context::LinePicker => LINE_PICKER,
            Context::Export => EXPORT,
            Context::StoryPicker => STORY_PICKER,
            Context::Explain => &EXPLAIN,
            Context::Weigh => WEIGH,
            Context::Confirm => CONFIRM,
            Context::Epics => EPICS,
            Context::EpicDelete => EPIC_DELETE,
            Context::EpicConfirm => EPIC_CONFIRM,
            Context::Vision => VISION,
            Context::PanelLine => PANEL_LINE,
            Context::PanelText => PANEL_TEXT,
            Context::Help => HELP,
            Context::Messages => &MESSAGES,
            Context::Clashes => CLASHES,
        }
    }

    /// What `command` does here, if the context offers it.
    #[must_use]
    pub fn offer(self, command: Command) -> Option<&'static Offer> {
        self.offers().iter().find(|o| o.command == command)
    }

    /// Where a key it does not bind is looked up next: the story pane
    /// takes the backlog's keys, the inbox's item the inbox's.
    #[must_use]
    pub fn fallback(self) -> Option<Context> {
        match self {
            Context::Story => Some(Context::Backlog),
            Context::InboxItem => Some(Context::Inbox),
            _ => None,
        }
    }

    /// Whether it is a top-level pane's, where the number keys switch
    /// panes.
    #[must_use]
    pub fn is_pane(self) -> bool {
        matches!(
            self,
            Context::Backlog
                | Context::Story
                | Context::Pane
                | Context::Priority
                | Context::Roadmap
                | Context::Inbox
                | Context::InboxItem
                | Context::Meeting
                | Context::MeetingPlan
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_are_listed_once_in_their_declared_order() {
        for (i, context) in Context::ALL.into_iter().enumerate() {
            assert_eq!(context.index(), i, "{context:?}");
            assert_eq!(Context::named(context.name()), Some(context));
        }
    }

    #[test]
    fn a_context_offers_a_command_once() {
        for context in Context::ALL {
            let offers = context.offers();
            for (i, offer) in offers.iter().enumerate() {
                assert!(
                    !offers[i + 1..].iter().any(|o| o.command == offer.command),
                    "[{}] offers {} twice",
                    context.name(),
                    offer.command.name()
                );
            }
        }
    }

    #[test]
    fn help_texts_fit_the_help_box() {
        // The help box is 76 columns inside, 16 of them for the keys.
        for context in Context::ALL {
            for offer in context.offers() {
                assert!(offer.help.chars().count() <= 60, "{:?}", offer.help);
            }
        }
    }

    #[test]
    fn the_panes_number_keys_are_offered_where_a_pane_has_the_keys() {
        for context in Context::ALL {
            let offered = Command::ALL
                .iter()
                .filter(|c| c.pane().is_some() && context.offer(**c).is_some())
                .count();
            let expected = if context.is_pane() && context.fallback().is_none() {
                9
            } else {
                0
            };
            assert_eq!(offered, expected, "[{}]", context.name());
        }
    }
}
