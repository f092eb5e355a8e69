//! The one place keys become actions, looked up by the key context of
//! the screen on top. The help overlay and the status
//! bar's key hints are built from these same tables, so they cannot drift.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, PanelAction};

/// A key with its modifiers. For characters the case carries Shift, so `J`
/// is `Char('J')` with no modifiers, however the terminal reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    const fn plain(code: KeyCode) -> Self {
        Key {
            code,
            modifiers: KeyModifiers::NONE,
        }
    }

    const fn char(c: char) -> Self {
        Key::plain(KeyCode::Char(c))
    }

    const fn shift(code: KeyCode) -> Self {
        Key {
            code,
            modifiers: KeyModifiers::SHIFT,
        }
    }

    const fn ctrl(c: char) -> Self {
        Key {
            code: KeyCode::Char(c),
            modifiers: KeyModifiers::CONTROL,
        }
    }

    /// The key as a terminal reports it, normalised for lookup.
    #[must_use]
    pub fn from_event(event: KeyEvent) -> Self {
        let mut modifiers = event.modifiers & (KeyModifiers::SHIFT | KeyModifiers::CONTROL);
        let code = match event.code {
            KeyCode::Char(c) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c)
            }
            KeyCode::BackTab => KeyCode::Tab,
            code => code,
        };
        Key { code, modifiers }
    }

    /// How the help shows the key.
    #[must_use]
    pub fn label(self) -> String {
        let name = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) if self.modifiers.contains(KeyModifiers::CONTROL) => {
                c.to_ascii_uppercase().to_string()
            }
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Delete => "Del".into(),
            other => format!("{other:?}"),
        };
        let mut label = String::new();
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            label.push_str("Ctrl-");
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            label.push_str("Shift-");
        }
        label.push_str(&name);
        label
    }
}

/// Keys bound to one action, what it does, and its status-bar hint.
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub help: &'static str,
    /// A word or two for the status bar, for the keys a newcomer needs.
    pub hint: Option<&'static str>,
}

const fn bind(keys: &'static [Key], action: Action, help: &'static str) -> Binding {
    Binding {
        keys,
        action,
        help,
        hint: None,
    }
}

const fn hinted(
    keys: &'static [Key],
    action: Action,
    help: &'static str,
    hint: &'static str,
) -> Binding {
    Binding {
        keys,
        action,
        help,
        hint: Some(hint),
    }
}

const QUIT: Binding = bind(&[Key::ctrl('c')], Action::Quit, "quit, saving everything");

/// Browsing, ranking and grooming the backlog.
pub static NORMAL: &[Binding] = &[
    hinted(
        &[Key::char('j'), Key::plain(KeyCode::Down)],
        Action::SelectDown,
        "select the next story",
        "select",
    ),
    bind(
        &[Key::char('k'), Key::plain(KeyCode::Up)],
        Action::SelectUp,
        "select the previous story",
    ),
    bind(
        &[Key::char('g'), Key::plain(KeyCode::Home)],
        Action::SelectFirst,
        "select the first story",
    ),
    bind(
        &[Key::char('G'), Key::plain(KeyCode::End)],
        Action::SelectLast,
        "select the last story",
    ),
    bind(
        &[Key::plain(KeyCode::PageDown)],
        Action::PageDown,
        "one page down",
    ),
    bind(
        &[Key::plain(KeyCode::PageUp)],
        Action::PageUp,
        "one page up",
    ),
    hinted(
        &[Key::char('J'), Key::shift(KeyCode::Down)],
        Action::MoveDown,
        "move the story one place down (past the next story shown)",
        "move",
    ),
    bind(
        &[Key::char('K'), Key::shift(KeyCode::Up)],
        Action::MoveUp,
        "move the story one place up (past the previous story shown)",
    ),
    bind(
        &[Key::char('T')],
        Action::MoveTop,
        "move the story to the top (of the stories shown)",
    ),
    bind(
        &[Key::char('B')],
        Action::MoveBottom,
        "move the story to the bottom (of the stories shown)",
    ),
    hinted(
        &[Key::plain(KeyCode::Enter), Key::char('i')],
        Action::StartEdit,
        "edit the story: every field, criteria, estimate, status",
        "edit",
    ),
    bind(
        &[Key::char('e')],
        Action::OpenEditor,
        "edit the story as Markdown in $VISUAL / $EDITOR",
    ),
    hinted(
        &[Key::char('a')],
        Action::StartAdd,
        "add a story after the selected one",
        "add",
    ),
    bind(
        &[Key::char('d'), Key::plain(KeyCode::Delete)],
        Action::StartDelete,
        "delete the story (asks first)",
    ),
    hinted(
        &[Key::char('+'), Key::char('=')],
        Action::EstimateUp,
        "estimate one step up the scale",
        "estimate",
    ),
    bind(
        &[Key::char('-')],
        Action::EstimateDown,
        "estimate one step down (below the smallest: none)",
    ),
    bind(
        &[Key::char('s')],
        Action::StatusNext,
        "next status: draft, ready, in-progress, done, rejected",
    ),
    bind(&[Key::char('S')], Action::StatusPrev, "previous status"),
    bind(
        &[Key::char('t')],
        Action::ChooseStatus,
        "choose the status from a list: any status in one step",
    ),
    bind(
        &[Key::char('x')],
        Action::StartSplit,
        "split the story: a new one after it takes chosen criteria",
    ),
    bind(
        &[Key::char('c')],
        Action::StartComment,
        "comment on the story",
    ),
    bind(
        &[Key::char('Q')],
        Action::StartQuestion,
        "ask an open question: not ready until it is answered",
    ),
    hinted(
        &[Key::char('u')],
        Action::Undo,
        "undo the last change (moves and deletes too)",
        "undo",
    ),
    bind(&[Key::ctrl('r')], Action::Redo, "redo what was undone"),
    hinted(
        &[Key::char('/')],
        Action::StartSearch,
        "search id, title, description and criteria as you type",
        "search",
    ),
    hinted(
        &[Key::char('f')],
        Action::StartFilter,
        "filter by status, label, epic, readiness, estimate",
        "filter",
    ),
    bind(
        &[Key::char('F')],
        Action::ClearFilter,
        "clear the search and filters: show every story",
    ),
    bind(
        &[Key::char('o')],
        Action::ToggleOpenWork,
        "open work only (done and rejected hidden), or every story",
    ),
    bind(
        &[Key::char('O')],
        Action::StartSettings,
        "settings: estimate scale and Definition of Ready",
    ),
    bind(
        &[Key::plain(KeyCode::Tab)],
        Action::ToggleFocus,
        "switch focus; with the story focused, j/k scroll it",
    ),
    // Marking stories to act on together.
    bind(
        &[Key::char('v')],
        Action::MarkRange,
        "mark from here to where the selection goes; again: stop",
    ),
    bind(
        &[Key::char(' ')],
        Action::ToggleMark,
        "mark or unmark the story: keys then act on all marked",
    ),
    bind(
        &[Key::plain(KeyCode::Esc)],
        Action::Dismiss,
        "clear the marks, else dismiss a message about the file",
    ),
    // How the table is laid out.
    bind(
        &[Key::char('z')],
        Action::ToggleStoryPane,
        "hide the story pane: the table takes the screen; or show it",
    ),
    bind(
        &[Key::char('L')],
        Action::ToggleLabels,
        "show or hide the labels column (where the table has room)",
    ),
    bind(
        &[Key::char('U')],
        Action::ToggleUpdated,
        "show or hide the day each story last changed (room allowing)",
    ),
    bind(
        &[Key::char('E')],
        Action::Panel(PanelAction::OpenEpics),
        "epics: put the story in one, add, rename, delete",
    ),
    bind(
        &[Key::char('V')],
        Action::Panel(PanelAction::OpenVision),
        "the product's vision and goals",
    ),
    hinted(
        &[Key::char('?')],
        Action::ToggleHelp,
        "show or hide this help",
        "help",
    ),
    hinted(
        &[Key::char('q')],
        Action::Quit,
        "quit, saving everything",
        "quit",
    ),
    QUIT,
];

/// The story pane, focused with Tab. Other keys are the backlog's.
pub static STORY: &[Binding] = &[
    hinted(
        &[Key::char('j'), Key::plain(KeyCode::Down)],
        Action::SelectDown,
        "scroll the story down",
        "scroll",
    ),
    bind(
        &[Key::char('k'), Key::plain(KeyCode::Up)],
        Action::SelectUp,
        "scroll the story up",
    ),
    bind(
        &[Key::plain(KeyCode::Tab)],
        Action::ToggleFocus,
        "back to the table",
    ),
];

/// Any pane but the backlog: what every pane takes (each may have a
/// context of its own with more). The number keys switch panes.
pub static PANE: &[Binding] = &[
    hinted(
        &[Key::char('j'), Key::plain(KeyCode::Down)],
        Action::SelectDown,
        "scroll down (or the next row)",
        "scroll",
    ),
    bind(
        &[Key::char('k'), Key::plain(KeyCode::Up)],
        Action::SelectUp,
        "scroll up (or the previous row)",
    ),
    bind(
        &[Key::plain(KeyCode::Esc)],
        Action::Dismiss,
        "dismiss a message about the file",
    ),
    hinted(
        &[Key::char('?')],
        Action::ToggleHelp,
        "show or hide this help",
        "help",
    ),
    hinted(
        &[Key::char('q')],
        Action::Quit,
        "quit, saving everything",
        "quit",
    ),
    QUIT,
];

/// Typing one line: a new story's title, a comment. Other keys edit it.
pub static PROMPT: &[Binding] = &[
    hinted(
        &[Key::plain(KeyCode::Enter)],
        Action::Submit,
        "keep it",
        "keep",
    ),
    hinted(
        &[Key::plain(KeyCode::Esc)],
        Action::Cancel,
        "cancel",
        "cancel",
    ),
    QUIT,
];

/// The story form, moving between fields.
pub static FORM: &[Binding] = &[
    hinted(
        &[Key::char('j'), Key::plain(KeyCode::Down)],
        Action::SelectDown,
        "next field",
        "field",
    ),
    bind(
        &[Key::char('k'), Key::plain(KeyCode::Up)],
        Action::SelectUp,
        "previous field",
    ),
    hinted(
        &[Key::plain(KeyCode::Enter), Key::char('i')],
        Action::EditField,
        "type into the field (criteria: edit the criterion)",
        "type",
    ),
    hinted(
        &[Key::char('l'), Key::plain(KeyCode::Right)],
        Action::ValueNext,
        "next value: estimate up the scale, status, epic",
        "change",
    ),
    bind(
        &[Key::char('h'), Key::plain(KeyCode::Left)],
        Action::ValuePrev,
        "previous value",
    ),
    bind(
        &[Key::char('+'), Key::char('=')],
        Action::EstimateUp,
        "estimate one step up the scale",
    ),
    bind(
        &[Key::char('-')],
        Action::EstimateDown,
        "estimate one step down",
    ),
    hinted(
        &[Key::char(' '), Key::char('x')],
        Action::ToggleDone,
        "check a criterion; resolve or reopen a question",
        "check",
    ),
    hinted(
        &[Key::char('a'), Key::char('o')],
        Action::AddCriterion,
        "add an acceptance criterion after this one",
        "add criterion",
    ),
    bind(
        &[Key::char('d'), Key::plain(KeyCode::Delete)],
        Action::RemoveCriterion,
        "remove the criterion",
    ),
    bind(
        &[Key::char('J'), Key::shift(KeyCode::Down)],
        Action::CriterionDown,
        "move the criterion down",
    ),
    bind(
        &[Key::char('K'), Key::shift(KeyCode::Up)],
        Action::CriterionUp,
        "move the criterion up",
    ),
    bind(
        &[Key::char('e')],
        Action::OpenEditor,
        "edit the whole story as Markdown in $EDITOR",
    ),
    bind(&[Key::char('u')], Action::Undo, "undo the last change"),
    bind(&[Key::ctrl('r')], Action::Redo, "redo what was undone"),
    hinted(
        &[Key::plain(KeyCode::Esc), Key::char('q')],
        Action::Cancel,
        "close the form (every kept change is saved)",
        "close",
    ),
    QUIT,
];

/// Typing into a one-line field of the story form. Other keys edit the text.
pub static FIELD: &[Binding] = &[
    hinted(
        &[Key::plain(KeyCode::Enter), Key::ctrl('s')],
        Action::Submit,
        "keep the text",
        "keep",
    ),
    hinted(
        &[Key::plain(KeyCode::Esc)],
        Action::Cancel,
        "cancel: the field stays as it was",
        "cancel",
    ),
    QUIT,
];

/// Typing the description. Enter starts a new line.
pub static TEXT: &[Binding] = &[
    hinted(&[Key::ctrl('s')], Action::Submit, "keep the text", "keep"),
    hinted(
        &[Key::plain(KeyCode::Esc)],
        Action::Cancel,
        "cancel: the field stays as it was",
        "cancel",
    ),
    QUIT,
];

/// The split dialog, typing the new story's title. Other keys edit it.
pub static SPLIT_TITLE: &[Binding] = &[
    hinted(
        &[Key::plain(KeyCode::Enter)],
        Action::Submit,
        "split: make the new story",
        "split",
    ),
    hinted(
        &[Key::plain(KeyCode::Tab)],
        Action::ToggleFocus,
        "switch between the title and the criteria",
        "criteria",
    ),
    hinted(
        &[Key::plain(KeyCode::Esc)],
        Action::Cancel,
        "cancel: nothing is split",
        "cancel",
    ),
    QUIT,
];

/// The split dialog, choosing the criteria that move.
pub static SPLIT_LIST: &[Binding] = &[
    hinted(
        &[Key::char('j'), Key::plain(KeyCode::Down)],
        Action::SelectDown,
        "next criterion",
        "select",
    ),
    bind(
        &[Key::char('k'), Key::plain(KeyCode::Up)],
        Action::SelectUp,
        "previous criterion",
    ),
    hinted(
        &[Key::char(' '), Key::char('x')],
        Action::ToggleDone,
        "move the criterion to the new story, or keep it",
        "choose",
    ),
    hinted(
        &[Key::plain(KeyCode::Enter)],
        Action::Submit,
        "split: make the new story",
        "split",
    ),
    hinted(
        &[Key::plain(KeyCode::Tab)],
        Action::ToggleFocus,
        "switch between the title and the criteria",
        "title",
    ),
    hinted(
        &[Key::plain(KeyCode::Esc), Key::char('q')],
        Action::Cancel,
        "cancel: nothing is split",
        "cancel",
    ),
    QUIT,
];

/// After `$EDITOR` gave back a document that cannot be read.
pub static EDITOR_ERROR: &[Binding] = &[
    hinted(
        &[Key::char('e'), Key::plain(KeyCode::Enter)],
        Action::EditAgain,
        "open your text in the editor again, to fix it",
        "edit again",
    ),
    hinted(
        &[Key::char('d'), Key::plain(KeyCode::Esc)],
        Action::Cancel,
        "discard your text: the story stays as it was",
        "discard",
    ),
    QUIT,
];

/// After `$EDITOR` gave back a document naming an epic there is not.
pub static EDITOR_ERROR_EPIC: &[Binding] = &[
    hinted(
        &[Key::char('c')],
        Action::CreateEpicAndApply,
        "create the epic your text names, and apply your text",
        "create the epic and apply",
    ),
    hinted(
        &[Key::char('e'), Key::plain(KeyCode::Enter)],
        Action::EditAgain,
        "open your text in the editor again, to fix it",
        "edit again",
    ),
    hinted(
        &[Key::char('d'), Key::plain(KeyCode::Esc)],
        Action::Cancel,
        "discard your text: the story stays as it was",
        "discard",
    ),
    QUIT,
];

/// Typing a search. Other keys edit it.
pub static SEARCH: &[Binding] = &[
    hinted(
        &[Key::plain(KeyCode::Enter)],
        Action::Submit,
        "keep the search as a filter",
        "keep",
    ),
    hinted(
        &[Key::plain(KeyCode::Esc)],
        Action::Cancel,
        "go back to the search before",
        "cancel",
    ),
    QUIT,
];

/// The filter panel.
pub static FILTER: &[Binding] = &[
    hinted(
        &[Key::char('j'), Key::plain(KeyCode::Down)],
        Action::SelectDown,
        "next filter",
        "select",
    ),
    bind(
        &[Key::char('k'), Key::plain(KeyCode::Up)],
        Action::SelectUp,
        "previous filter",
    ),
    hinted(
        &[Key::char('l'), Key::plain(KeyCode::Right), Key::char(' ')],
        Action::FilterNext,
        "next value",
        "change",
    ),
    bind(
        &[Key::char('h'), Key::plain(KeyCode::Left)],
        Action::FilterPrev,
        "previous value",
    ),
    hinted(
        &[Key::char('F')],
        Action::ClearFilter,
        "clear every filter",
        "clear",
    ),
    hinted(
        &[
            Key::plain(KeyCode::Enter),
            Key::plain(KeyCode::Esc),
            Key::char('f'),
        ],
        Action::Submit,
        "close the panel, keeping the filters",
        "done",
    ),
    QUIT,
];

/// The settings panel.
pub static SETTINGS: &[Binding] = &[
    hinted(
        &[Key::char('j'), Key::plain(KeyCode::Down)],
        Action::SelectDown,
        "next setting",
        "select",
    ),
    bind(
        &[Key::char('k'), Key::plain(KeyCode::Up)],
        Action::SelectUp,
        "previous setting",
    ),
    hinted(
        &[
            Key::char('l'),
            Key::plain(KeyCode::Right),
            Key::char(' '),
            Key::plain(KeyCode::Enter),
        ],
        Action::SettingNext,
        "change: next scale, rule on or off, a larger maximum",
        "change",
    ),
    bind(
        &[Key::char('h'), Key::plain(KeyCode::Left)],
        Action::SettingPrev,
        "change back: previous scale, a smaller maximum",
    ),
    hinted(
        &[Key::plain(KeyCode::Esc), Key::char('q'), Key::char('O')],
        Action::Cancel,
        "close the panel (every change is saved)",
        "close",
    ),
    QUIT,
];

/// Answering a yes/no question.
pub static CONFIRM: &[Binding] = &[
    hinted(&[Key::char('y')], Action::Confirm, "yes", "yes"),
    hinted(
        &[Key::char('n'), Key::plain(KeyCode::Esc)],
        Action::Cancel,
        "no, change nothing",
        "no",
    ),
    QUIT,
];

/// The status picker: every status in a list.
pub static STATUS_PICKER: &[Binding] = &[
    hinted(
        &[Key::char('j'), Key::plain(KeyCode::Down)],
        Action::SelectDown,
        "next status",
        "choose",
    ),
    bind(
        &[Key::char('k'), Key::plain(KeyCode::Up)],
        Action::SelectUp,
        "previous status",
    ),
    bind(
        &[Key::char('g'), Key::plain(KeyCode::Home)],
        Action::SelectFirst,
        "the first status: draft",
    ),
    bind(
        &[Key::char('G'), Key::plain(KeyCode::End)],
        Action::SelectLast,
        "the last status: rejected",
    ),
    hinted(
        &[Key::plain(KeyCode::Enter)],
        Action::Submit,
        "set the status (the marked stories' too)",
        "set",
    ),
    hinted(
        &[Key::plain(KeyCode::Esc), Key::char('q')],
        Action::Cancel,
        "change nothing",
        "cancel",
    ),
    QUIT,
];

/// While the help is shown.
pub static HELP: &[Binding] = &[
    hinted(
        &[Key::char('?'), Key::plain(KeyCode::Esc), Key::char('q')],
        Action::Cancel,
        "close the help",
        "close",
    ),
    hinted(
        &[Key::char('j'), Key::plain(KeyCode::Down)],
        Action::SelectDown,
        "scroll the help down",
        "scroll",
    ),
    bind(
        &[Key::char('k'), Key::plain(KeyCode::Up)],
        Action::SelectUp,
        "scroll the help up",
    ),
    QUIT,
];

/// The epics panel.
pub static EPICS: &[Binding] = &[
    hinted(
        &[Key::char('j'), Key::plain(KeyCode::Down)],
        Action::Panel(PanelAction::Next),
        "next epic",
        "select",
    ),
    bind(
        &[Key::char('k'), Key::plain(KeyCode::Up)],
        Action::Panel(PanelAction::Prev),
        "previous epic",
    ),
    hinted(
        &[Key::plain(KeyCode::Enter)],
        Action::Panel(PanelAction::Assign),
        "put the selected story in this epic, and close",
        "assign",
    ),
    hinted(
        &[Key::char('x'), Key::plain(KeyCode::Backspace)],
        Action::Panel(PanelAction::Unassign),
        "take the selected story out of its epic, and close",
        "unassign",
    ),
    hinted(
        &[Key::char('a')],
        Action::Panel(PanelAction::Add),
        "add an epic",
        "new",
    ),
    hinted(
        &[Key::char('r')],
        Action::Panel(PanelAction::Rename),
        "rename the epic; its stories keep it",
        "rename",
    ),
    bind(
        &[Key::char('g')],
        Action::Panel(PanelAction::EditGoal),
        "edit the epic's goal",
    ),
    bind(
        &[Key::char('t')],
        Action::Panel(PanelAction::EditRelease),
        "edit the target release (empty: none)",
    ),
    bind(
        &[Key::char('c')],
        Action::Panel(PanelAction::NextColor),
        "next colour",
    ),
    hinted(
        &[Key::char('d'), Key::plain(KeyCode::Delete)],
        Action::Panel(PanelAction::Delete),
        "delete the epic: asks what becomes of its stories",
        "delete",
    ),
    hinted(
        &[Key::plain(KeyCode::Esc), Key::char('q'), Key::char('E')],
        Action::Panel(PanelAction::Close),
        "close the panel",
        "close",
    ),
    QUIT,
];

/// Choosing what becomes of the stories of an epic being deleted.
pub static EPIC_DELETE: &[Binding] = &[
    hinted(
        &[
            Key::char('j'),
            Key::plain(KeyCode::Down),
            Key::char('l'),
            Key::plain(KeyCode::Right),
        ],
        Action::Panel(PanelAction::Next),
        "next choice",
        "choose",
    ),
    bind(
        &[
            Key::char('k'),
            Key::plain(KeyCode::Up),
            Key::char('h'),
            Key::plain(KeyCode::Left),
        ],
        Action::Panel(PanelAction::Prev),
        "previous choice",
    ),
    hinted(
        &[Key::plain(KeyCode::Enter)],
        Action::Panel(PanelAction::Keep),
        "delete the epic as chosen",
        "delete",
    ),
    hinted(
        &[Key::plain(KeyCode::Esc), Key::char('q')],
        Action::Panel(PanelAction::Cancel),
        "keep the epic",
        "cancel",
    ),
    QUIT,
];

/// Deleting an epic with no stories.
pub static EPIC_CONFIRM: &[Binding] = &[
    hinted(
        &[Key::char('y')],
        Action::Panel(PanelAction::Keep),
        "yes, delete the epic",
        "yes",
    ),
    hinted(
        &[Key::char('n'), Key::plain(KeyCode::Esc)],
        Action::Panel(PanelAction::Cancel),
        "no, keep it",
        "no",
    ),
    QUIT,
];

/// The vision panel: the product's name, vision and goals.
pub static VISION: &[Binding] = &[
    hinted(
        &[Key::char('j'), Key::plain(KeyCode::Down)],
        Action::Panel(PanelAction::Next),
        "next row: name, vision, each goal",
        "select",
    ),
    bind(
        &[Key::char('k'), Key::plain(KeyCode::Up)],
        Action::Panel(PanelAction::Prev),
        "previous row",
    ),
    hinted(
        &[Key::plain(KeyCode::Enter), Key::char('i')],
        Action::Panel(PanelAction::Edit),
        "type into the row (the vision: Ctrl-S keeps)",
        "edit",
    ),
    hinted(
        &[Key::char('a'), Key::char('o')],
        Action::Panel(PanelAction::Add),
        "add a goal after the selected one",
        "add goal",
    ),
    bind(
        &[Key::char('d'), Key::plain(KeyCode::Delete)],
        Action::Panel(PanelAction::Delete),
        "remove the goal",
    ),
    bind(
        &[Key::char('J'), Key::shift(KeyCode::Down)],
        Action::Panel(PanelAction::MoveDown),
        "move the goal down",
    ),
    bind(
        &[Key::char('K'), Key::shift(KeyCode::Up)],
        Action::Panel(PanelAction::MoveUp),
        "move the goal up",
    ),
    hinted(
        &[Key::plain(KeyCode::Esc), Key::char('q'), Key::char('V')],
        Action::Panel(PanelAction::Close),
        "close the panel",
        "close",
    ),
    QUIT,
];

/// Typing one line in a panel: a name, a goal, a release.
pub static PANEL_LINE: &[Binding] = &[
    hinted(
        &[Key::plain(KeyCode::Enter), Key::ctrl('s')],
        Action::Panel(PanelAction::Keep),
        "keep the text",
        "keep",
    ),
    hinted(
        &[Key::plain(KeyCode::Esc)],
        Action::Panel(PanelAction::Cancel),
        "cancel: it stays as it was",
        "cancel",
    ),
    QUIT,
];

/// Typing the vision. Enter starts a new line.
pub static PANEL_TEXT: &[Binding] = &[
    hinted(
        &[Key::ctrl('s')],
        Action::Panel(PanelAction::Keep),
        "keep the text (Enter starts a new line)",
        "keep",
    ),
    hinted(
        &[Key::plain(KeyCode::Esc)],
        Action::Panel(PanelAction::Cancel),
        "cancel: it stays as it was",
        "cancel",
    ),
    QUIT,
];

/// Every table, named as the help names it, in the help's order.
pub static TABLES: &[(&str, &[Binding])] = &[
    ("Backlog", NORMAL),
    ("Story pane (Tab)", STORY),
    ("Any other pane (2, …)", PANE),
    ("Story form", FORM),
    ("Typing into a field", FIELD),
    ("Typing the description", TEXT),
    ("Split: the new title", SPLIT_TITLE),
    ("Split: the criteria", SPLIT_LIST),
    ("A document $EDITOR gave back unreadable", EDITOR_ERROR),
    ("A document naming an epic there is not", EDITOR_ERROR_EPIC),
    ("Typing a title or comment", PROMPT),
    ("Search", SEARCH),
    ("Filter panel", FILTER),
    ("Settings panel (O)", SETTINGS),
    ("Status picker (t)", STATUS_PICKER),
    ("Questions (delete, set ready anyway)", CONFIRM),
    ("Epics panel (E)", EPICS),
    ("Deleting an epic with stories", EPIC_DELETE),
    ("Deleting an epic without stories", EPIC_CONFIRM),
    ("Vision panel (V)", VISION),
    ("Typing a name, goal or release", PANEL_LINE),
    ("Typing the vision", PANEL_TEXT),
    ("This help", HELP),
];

/// Where keys are looked up: each screen names its context, and the
/// keymap holds a table of bindings for each. The names are what a keymap
/// file will call them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Context {
    /// The backlog table.
    Backlog,
    /// The story pane beside it.
    Story,
    /// Any pane but the backlog, unless it has a context of its own.
    Pane,
    /// Typing one line: a new story's title, a comment, a question.
    Prompt,
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
    Search,
    Filter,
    Settings,
    /// The status picker.
    StatusPicker,
    /// A yes/no question.
    Confirm,
    Help,
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
}

impl Context {
    /// The context's name, as a keymap file names it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Context::Backlog => "backlog",
            Context::Story => "story",
            Context::Pane => "pane",
            Context::Prompt => "prompt",
            Context::Form => "form",
            Context::FormField => "form.field",
            Context::FormText => "form.text",
            Context::Split => "split",
            Context::SplitCriteria => "split.criteria",
            Context::EditorError => "editor-error",
            Context::EditorErrorEpic => "editor-error.epic",
            Context::Search => "search",
            Context::Filter => "filter",
            Context::Settings => "settings",
            Context::StatusPicker => "status",
            Context::Confirm => "confirm",
            Context::Help => "help",
            Context::Epics => "epics",
            Context::EpicDelete => "epics.delete",
            Context::EpicConfirm => "epics.confirm",
            Context::Vision => "vision",
            Context::PanelLine => "panel.line",
            Context::PanelText => "panel.text",
        }
    }

    /// The first key bound to `action` in the context, as the help shows
    /// it.
    #[must_use]
    pub fn key_for(self, action: &Action) -> Option<String> {
        self.bindings()
            .iter()
            .find(|b| b.action == *action)
            .map(|b| b.keys[0].label())
    }

    /// The bindings in force in the context.
    #[must_use]
    pub fn bindings(self) -> &'static [Binding] {
        match self {
            Context::Backlog => NORMAL,
            Context::Story => STORY,
            Context::Pane => PANE,
            Context::Prompt => PROMPT,
            Context::Form => FORM,
            Context::FormField => FIELD,
            Context::FormText => TEXT,
            Context::Split => SPLIT_TITLE,
            Context::SplitCriteria => SPLIT_LIST,
            Context::EditorError => EDITOR_ERROR,
            Context::EditorErrorEpic => EDITOR_ERROR_EPIC,
            Context::Search => SEARCH,
            Context::Filter => FILTER,
            Context::Settings => SETTINGS,
            Context::StatusPicker => STATUS_PICKER,
            Context::Confirm => CONFIRM,
            Context::Help => HELP,
            Context::Epics => EPICS,
            Context::EpicDelete => EPIC_DELETE,
            Context::EpicConfirm => EPIC_CONFIRM,
            Context::Vision => VISION,
            Context::PanelLine => PANEL_LINE,
            Context::PanelText => PANEL_TEXT,
        }
    }
}

impl Context {
    /// Where a key it does not bind is looked up next: the story pane
    /// takes the backlog's keys; a pane takes the number keys.
    fn fallback(self) -> Option<Context> {
        match self {
            Context::Story => Some(Context::Backlog),
            _ => None,
        }
    }

    /// Whether it is a top-level pane's, where the number keys switch
    /// panes.
    fn is_pane(self) -> bool {
        matches!(self, Context::Backlog | Context::Story | Context::Pane)
    }
}

/// The action for a key in a context, if any. Where the screen takes
/// text (`takes_text`), a key the context does not bind is typing. In a
/// pane, a digit shows that pane (`1` the first).
#[must_use]
pub fn action_for(context: Context, takes_text: bool, event: KeyEvent) -> Option<Action> {
    let key = Key::from_event(event);
    let mut looked_up = Some(context);
    while let Some(context) = looked_up {
        let found = context.bindings().iter().find(|b| b.keys.contains(&key));
        if let Some(binding) = found {
            return Some(binding.action.clone());
        }
        looked_up = context.fallback();
    }
    if takes_text {
        return Some(Action::Input(event));
    }
    match key.code {
        KeyCode::Char(digit @ '1'..='9') if context.is_pane() && key.modifiers.is_empty() => {
            let pane = digit.to_digit(10).and_then(|d| usize::try_from(d).ok())?;
            Some(Action::ShowPane(pane - 1))
        }
        _ => None,
    }
}

/// Actions whose hint shows the key of a second action too.
const PAIRS: [(Action, Action); 3] = [
    (Action::SelectDown, Action::SelectUp),
    (Action::MoveDown, Action::MoveUp),
    (Action::EstimateUp, Action::EstimateDown),
];

/// The status bar's key hints: first key of each hinted binding, then
/// those of the context it falls back on, for keys it does not take.
#[must_use]
pub fn hints(context: Context) -> Vec<(String, &'static str)> {
    let own = context.bindings();
    let mut hints: Vec<(String, &'static str)> =
        hinted_bindings(context).map(|(_, hint)| hint).collect();
    if let Some(fallback) = context.fallback() {
        let taken = |binding: &Binding| own.iter().any(|b| b.keys.contains(&binding.keys[0]));
        hints.extend(
            hinted_bindings(fallback)
                .filter(|(binding, _)| !taken(binding))
                .map(|(_, hint)| hint),
        );
    }
    hints
}

/// Each hinted binding of a context, with its hint: in a pane, a pair
/// reads better than one key (j/k, J/K, +/-).
fn hinted_bindings(
    context: Context,
) -> impl Iterator<Item = (&'static Binding, (String, &'static str))> {
    let table = context.bindings();
    table.iter().filter_map(move |b| {
        let hint = b.hint?;
        let partner = PAIRS
            .iter()
            .find(|(first, _)| *first == b.action)
            .and_then(|(_, second)| table.iter().find(|o| o.action == *second));
        let keys = match partner {
            Some(other) if context.is_pane() => {
                format!("{}/{}", b.keys[0].label(), other.keys[0].label())
            }
            _ => b.keys[0].label(),
        };
        Some((b, (keys, hint)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventKind;

    fn event(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new_with_kind(code, modifiers, KeyEventKind::Press)
    }

    #[test]
    fn shifted_letters_match_however_reported() {
        let action = |code, modifiers| action_for(Context::Backlog, false, event(code, modifiers));
        assert_eq!(
            action(KeyCode::Char('J'), KeyModifiers::SHIFT),
            Some(Action::MoveDown)
        );
        assert_eq!(
            action(KeyCode::Char('J'), KeyModifiers::NONE),
            Some(Action::MoveDown)
        );
        assert_eq!(
            action(KeyCode::Down, KeyModifiers::SHIFT),
            Some(Action::MoveDown)
        );
        assert_eq!(
            action(KeyCode::Down, KeyModifiers::NONE),
            Some(Action::SelectDown)
        );
        assert_eq!(
            action(KeyCode::Char('c'), KeyModifiers::CONTROL),
            Some(Action::Quit)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_a_context() {
        for (_, table) in TABLES {
            let keys: Vec<Key> = table.iter().flat_map(|b| b.keys.iter().copied()).collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(k), "{} bound twice", k.label());
            }
        }
    }

    #[test]
    fn help_texts_fit_the_help_box() {
        // The help box is 76 columns inside, 16 of them for the keys.
        for (_, table) in TABLES {
            for binding in *table {
                assert!(binding.help.chars().count() <= 60, "{:?}", binding.help);
            }
        }
    }

    #[test]
    fn hints_pair_up_and_down() {
        let hints = hints(Context::Backlog);
        assert_eq!(hints[0], ("j/k".to_string(), "select"));
        assert_eq!(hints[1], ("J/K".to_string(), "move"));
    }
}
