//! Keys as data, in the TUI: a user's keymap over the built-in one moves
//! the keys, and the help, the hints, the key lines of the panels and
//! the messages follow, since none of them names a key by hand.

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use backlog::cli::demo_backlog;
use backlog::tui::app::App;
use backlog::tui::handle_key;
use backlog::tui::keymap::file::key_text;
use backlog::tui::keymap::{Command, Context, Key, Keymap};
use backlog::tui::screens::help;
use backlog::tui::typing::EDITING;
use common::{app, numbered, press, screen};
use ratatui::crossterm::event::KeyEvent;

fn keymap(text: &str) -> Arc<Keymap> {
    Arc::new(Keymap::with_file(Path::new("keys.toml"), text).unwrap())
}

/// `j`/`k` moved to `n`/`e` for Colemak; `e`, the external editor's,
/// gives way.
const COLEMAK: &str = r#"
[backlog]
n = "select_next"
e = "select_previous"
ctrl-e = "edit_in_editor"
j = "none"
k = "none"
"#;

#[test]
fn a_colemak_keymap_selects_with_n_and_e_and_the_help_and_hints_say_so() {
    let mut app = app(numbered(3), 100, 30);
    app.keymap = keymap(COLEMAK);
    assert!(press(&mut app, &["n", "n"]).is_empty());
    assert_eq!(app.table.selected, 2);
    // `e` selects: it no longer opens the external editor.
    assert!(press(&mut app, &["e"]).is_empty());
    assert_eq!(app.table.selected, 1);
    press(&mut app, &["j", "j"]);
    assert_eq!(app.table.selected, 1, "j does nothing now");
    // The arrows are as they were.
    press(&mut app, &["Down"]);
    assert_eq!(app.table.selected, 2);

    assert_eq!(app.hints()[0], ("n/e".to_string(), "select"));
    let shown = screen(&app);
    assert!(shown.contains("n/e select"), "{shown}");
    press(&mut app, &["?"]);
    let shown = screen(&app);
    assert!(
        shown.contains("n ↓             select the next story"),
        "{shown}"
    );
    assert!(
        shown.contains("e ↑             select the previous story"),
        "{shown}"
    );
    assert!(
        shown.contains("Ctrl-E          edit the story as Markdown"),
        "{shown}"
    );
}

#[test]
fn a_conflicting_binding_is_refused_with_its_line_and_column() {
    let text =
        "[backlog]\nn = \"select_next\"\n\n[form]\n  J = \"move_down\"\n  shift-j = \"move_up\"\n";
    let e = Keymap::with_file(Path::new("/home/ann/.config/backlog/keys.toml"), text)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "cannot read keys /home/ann/.config/backlog/keys.toml: line 6 column 3: \
         J is bound twice in [form]: line 5 binds it already"
    );
}

/// Keys no context binds in the built-in keymap, as many as a context
/// has commands: the function keys and Insert, with and without Ctrl and
/// Shift, then Home, End, Page Up, Page Down and the arrows with both,
/// then Home and End with Ctrl.
fn spare_keys() -> impl Iterator<Item = String> {
    let modifiers = ["", "ctrl-", "shift-", "ctrl-shift-"];
    let function_keys = modifiers
        .into_iter()
        .flat_map(|modifier| (1..=12).map(move |n| format!("{modifier}f{n}")));
    let insert = modifiers
        .into_iter()
        .map(|modifier| format!("{modifier}insert"));
    let both = [
        "home", "end", "pageup", "pagedown", "up", "down", "left", "right",
    ]
    .into_iter()
    .map(|key| format!("ctrl-shift-{key}"));
    let ctrl_home = ["home", "end"].into_iter().map(|key| format!("ctrl-{key}"));
    function_keys.chain(insert).chain(both).chain(ctrl_home)
}

/// A keymap file that takes away every built-in key and binds each
/// command each context offers to a function key instead.
fn everything_moved() -> String {
    let built_in = Keymap::built_in();
    let mut text = String::new();
    for context in Context::ALL {
        let _ = writeln!(text, "[{}]", context.name());
        for binding in built_in.bindings(context) {
            let _ = writeln!(text, "{:?} = \"none\"", key_text(binding.key));
        }
        let mut spare = spare_keys();
        for offer in context.offers() {
            let key = spare.next().expect("a spare key");
            let _ = writeln!(text, "{key} = \"{}\"", offer.command.name());
        }
    }
    text
}

/// Whether `label` is the label of one of the spare keys.
fn is_moved(label: &str) -> bool {
    if let Some(name) = label.strip_prefix("Ctrl-Shift-") {
        return ["Home", "End", "PgUp", "PgDn", "↑", "↓", "←", "→"].contains(&name)
            || is_moved(name);
    }
    if let Some(name) = label.strip_prefix("Ctrl-")
        && ["Home", "End"].contains(&name)
    {
        return true;
    }
    let name = label
        .trim_start_matches("Ctrl-")
        .trim_start_matches("Shift-");
    name == "Ins"
        || name
            .strip_prefix('F')
            .and_then(|n| n.parse::<u8>().ok())
            .is_some_and(|n| (1..=12).contains(&n))
}

/// The built-in keys' names, as the screen shows them, that no prose
/// uses: any of them on a screen is a key named by hand.
const NAMED: [&str; 14] = [
    "Esc", "Enter", "Tab", "Space", "PgDn", "PgUp", "Ctrl-S", "Ctrl-R", "Ctrl-C", "Ctrl-G", "j/k",
    "h/l", "J/K", "+/-",
];

/// The built-in keys `shown` names, each as a word of its own.
fn named_keys(shown: &str) -> Vec<&'static str> {
    NAMED
        .into_iter()
        .filter(|name| {
            shown.match_indices(name).any(|(at, _)| {
                let before = shown[..at].chars().next_back();
                let after = shown[at + name.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
        })
        .collect()
}

/// Press the key that runs `command` in `context`.
fn run(app: &mut App, context: Context, command: Command) {
    let Key { code, modifiers } = app
        .keymap
        .key(context, command)
        .unwrap_or_else(|| panic!("no key for {}", command.name()));
    handle_key(app, KeyEvent::new(code, modifiers));
}

/// The screen, which must name no built-in key.
fn checked(app: &App, what: &str) -> String {
    let shown = screen(app);
    let named = named_keys(&shown);
    assert!(named.is_empty(), "{what} names {named:?}:\n{shown}");
    shown
}

fn label(app: &App, context: Context, command: Command) -> String {
    app.keymap.label(context, command)
}

#[test]
fn with_every_key_moved_the_hints_and_the_help_name_only_the_new_keys() {
    let keys = keymap(&everything_moved());
    for context in Context::ALL {
        for (key, hint) in keys.hints(context) {
            assert!(
                key.split('/').all(is_moved),
                "[{}] hints {key} {hint}",
                context.name()
            );
        }
    }
    // The keys that edit a field's text are the field's own, not the
    // keymap's: the help lists them as they are.
    let editing: Vec<String> = EDITING
        .iter()
        .map(|key| {
            let keys: Vec<String> = key.keys.iter().map(|k| k.label()).collect();
            keys.join(" ")
        })
        .collect();
    let lines = help::lines(&keys, false, &["Backlog", "Overview"]);
    let mut section = "";
    for line in &lines {
        let spans: Vec<&str> = line.spans.iter().map(|s| s.content.as_ref()).collect();
        match spans[..] {
            // A mark on the screen and what it means: no key.
            [mark, _] if section == "Marks" => {
                assert!(
                    named_keys(mark).is_empty(),
                    "the help's marks name {mark:?}"
                );
            }
            [keys, _] if section == "Editing text in any field" => assert!(
                editing.iter().any(|e| e == keys.trim_end()),
                "{keys:?} is no editing key"
            ),
            // A key and what it does.
            [keys, _] => assert!(
                keys.split_whitespace().all(is_moved),
                "the help names {keys:?}"
            ),
            // A section's title, and the key that opens it.
            [title] => {
                section = title;
                if let Some((_, key)) = title.split_once(" (") {
                    let key = key.trim_end_matches(')');
                    assert!(is_moved(key) || key.contains(' '), "{title}");
                }
            }
            _ => {}
        }
    }
    assert_eq!(section, "Editing text in any field", "the last section");
}

#[test]
fn with_every_key_moved_no_screen_or_message_names_a_built_in_key() {
    use Command as C;
    use Context as X;
    let mut app = app(demo_backlog(), 100, 30);
    app.keymap = keymap(&everything_moved());
    checked(&app, "the backlog");

    // The filter panel, and what a filter makes the table and the status
    // bar say.
    run(&mut app, X::Backlog, C::OpenFilter);
    checked(&app, "the filter panel");
    run(&mut app, X::Filter, C::NextValue);
    run(&mut app, X::Filter, C::Close);
    let shown = checked(&app, "a filtered table");
    let clear = label(&app, X::Backlog, C::ClearFilter);
    assert!(shown.contains(&format!("{clear} clears")), "{shown}");
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.ends_with(&format!("· {clear} shows all"))),
        "{:?}",
        app.notice
    );
    run(&mut app, X::Backlog, C::ClearFilter);

    run(&mut app, X::Backlog, C::OpenSettings);
    checked(&app, "the settings panel");
    run(&mut app, X::Settings, C::Close);

    run(&mut app, X::Backlog, C::DeleteStory);
    let shown = checked(&app, "the delete question");
    let yes = label(&app, X::Confirm, C::Confirm);
    assert!(shown.contains(&format!("{yes} delete")), "{shown}");
    run(&mut app, X::Confirm, C::Cancel);

    run(&mut app, X::Backlog, C::SplitStory);
    checked(&app, "the split dialog's title");
    run(&mut app, X::Split, C::SwitchFocus);
    checked(&app, "the split dialog's criteria");
    run(&mut app, X::SplitCriteria, C::Cancel);

    run(&mut app, X::Backlog, C::OpenEpics);
    checked(&app, "the epics panel");
    run(&mut app, X::Epics, C::DeleteEpic);
    checked(&app, "deleting an epic");
    run(&mut app, X::EpicDelete, C::Cancel);
    run(&mut app, X::Epics, C::Close);

    run(&mut app, X::Backlog, C::OpenVision);
    checked(&app, "the vision panel");
    run(&mut app, X::Vision, C::Close);

    // The form, and what it says of a key that works on a criterion.
    run(&mut app, X::Backlog, C::OpenForm);
    checked(&app, "the story form");
    run(&mut app, X::Form, C::ToggleDone);
    let select = app.keymap.pair(X::Form, C::SelectNext, C::SelectPrevious);
    let notice = app.notice.clone().expect("a warning");
    assert_eq!(
        notice.text,
        format!("That key works on an acceptance criterion: select one with {select}")
    );
    run(&mut app, X::Form, C::Close);

    // A prompt left empty says how to cancel it.
    run(&mut app, X::Backlog, C::AddStory);
    run(&mut app, X::Prompt, C::KeepField);
    let cancel = label(&app, X::Prompt, C::CancelField);
    let notice = app.notice.clone().expect("a warning");
    assert_eq!(
        notice.text,
        format!("A story needs a title: type one, or {cancel} to cancel")
    );
    checked(&app, "the prompt");
    run(&mut app, X::Prompt, C::CancelField);

    run(&mut app, X::Backlog, C::Help);
    let shown = checked(&app, "the help");
    let pair = |first, second| app.keymap.pair(X::Help, first, second);
    let scroll = format!(
        " {} scroll  {} page  {} top, end ",
        pair(C::ScrollDown, C::ScrollUp),
        pair(C::PageDown, C::PageUp),
        pair(C::ScrollToTop, C::ScrollToEnd)
    );
    assert!(shown.contains(&scroll), "{shown}");
    run(&mut app, X::Help, C::Close);

    // A message that lasts says how it is put away.
    app.raise("Another writer's change clashed with yours", false);
    let shown = checked(&app, "a lasting message");
    let dismiss = label(&app, X::Backlog, C::Dismiss);
    assert!(shown.contains(&format!("({dismiss} dismisses)")), "{shown}");
    run(&mut app, X::Backlog, C::Dismiss);

    run(&mut app, X::Backlog, C::ShowPane3);
    let shown = checked(&app, "the overview");
    let back = label(&app, X::Pane, C::ShowPane1);
    assert!(shown.contains(&format!(" {back} backlog ")), "{shown}");
}

#[test]
fn with_every_key_moved_prioritisation_names_only_the_new_keys() {
    use Command as C;
    use Context as X;
    let mut app = app(demo_backlog(), 100, 30);
    app.keymap = keymap(&everything_moved());

    // Prioritisation: the picker, the score explained, the inputs and
    // the priority pane name the keys in force.
    run(&mut app, X::Backlog, C::ExplainScore);
    let shown = checked(&app, "a score explained with no framework");
    let pick = label(&app, X::Backlog, C::ChooseFramework);
    assert!(shown.contains(&format!("{pick} picks one")), "{shown}");
    run(&mut app, X::Explain, C::Close);
    run(&mut app, X::Backlog, C::ChooseFramework);
    checked(&app, "the framework picker");
    run(&mut app, X::FrameworkPicker, C::SelectFirst);
    run(&mut app, X::FrameworkPicker, C::Confirm);
    assert!(app.table.framework.is_some());
    checked(&app, "the table with a score column");
    run(&mut app, X::Backlog, C::ExplainScore);
    checked(&app, "a score explained");
    run(&mut app, X::Explain, C::Close);
    run(&mut app, X::Backlog, C::WeighStory);
    checked(&app, "the inputs panel");
    run(&mut app, X::Weigh, C::EditField);
    checked(&app, "an input typed");
    run(&mut app, X::PanelLine, C::CancelField);
    run(&mut app, X::Weigh, C::Close);

    run(&mut app, X::Backlog, C::ShowPane2);
    let shown = checked(&app, "the priority pane");
    let back = label(&app, X::Priority, C::ShowPane1);
    assert!(shown.contains(&format!(" {back} backlog ")), "{shown}");
    run(&mut app, X::Priority, C::AcceptAll);
    checked(&app, "accepting every suggestion");
    run(&mut app, X::Confirm, C::Cancel);
}

#[test]
fn with_every_key_moved_the_inbox_names_only_the_new_keys() {
    use Command as C;
    use Context as X;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let mut app = app(backlog::cli::planned_demo(today), 100, 30);
    app.keymap = keymap(&everything_moved());
    run(&mut app, X::Backlog, C::ShowPane5);
    checked(&app, "the inbox");
    // What a key cannot do on a new item names the keys that can.
    run(&mut app, X::Inbox, C::ShowInBacklog);
    let shown = checked(&app, "showing a new item's story");
    let convert = label(&app, X::Inbox, C::ConvertFeedback);
    assert!(shown.contains(&format!("{convert} converts it")), "{shown}");
    run(&mut app, X::Inbox, C::LinkFeedback);
    checked(&app, "the story picker");
    run(&mut app, X::StoryPicker, C::Cancel);
    run(&mut app, X::Inbox, C::DismissFeedback);
    run(&mut app, X::Prompt, C::KeepField);
    let shown = checked(&app, "a dismissal without a reason");
    let cancel = label(&app, X::Prompt, C::CancelField);
    assert!(
        shown.contains(&format!("or {cancel} to keep it")),
        "{shown}"
    );
    run(&mut app, X::Prompt, C::CancelField);
    run(&mut app, X::Inbox, C::ConvertFeedback);
    checked(&app, "the offer of the story form");
    run(&mut app, X::Confirm, C::Cancel);
    // Round the views, to one that lists nothing.
    for _ in 0..3 {
        run(&mut app, X::Inbox, C::FilterByState);
        checked(&app, "another view of the inbox");
    }
}

#[test]
fn with_every_key_moved_typing_and_the_messages_name_only_the_new_keys() {
    use Command as C;
    use Context as X;
    let mut app = app(demo_backlog(), 100, 30);
    app.keymap = keymap(&everything_moved());

    // Typing stopped with a blank new criterion in the form says nothing;
    // a criterion kept empty says how to leave it.
    run(&mut app, X::Backlog, C::OpenForm);
    run(&mut app, X::Form, C::AddCriterion);
    run(&mut app, X::FormField, C::KeepField);
    let cancel = label(&app, X::FormField, C::CancelField);
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.clone()),
        Some(format!("Type the criterion, or {cancel} to leave it"))
    );
    checked(&app, "a form field");
    run(&mut app, X::FormField, C::StopTyping);
    run(&mut app, X::Form, C::Close);

    // A message cut short says how to read it whole, in a box that says
    // how it closes and scrolls.
    app.raise("S-1 clashed. ".repeat(500), false);
    let shown = checked(&app, "a lasting message cut short");
    let read = label(&app, X::Backlog, C::ReadMessages);
    assert!(
        shown.contains(&format!("… ({read} shows it all)")),
        "{shown}"
    );
    run(&mut app, X::Backlog, C::ReadMessages);
    assert_eq!(app.context(), X::Messages);
    let shown = checked(&app, "the messages box");
    let close = label(&app, X::Messages, C::Close);
    assert!(shown.contains(&format!(" {close} close ")), "{shown}");
    run(&mut app, X::Messages, C::Close);
    assert_eq!(app.context(), X::Backlog);
}

#[test]
fn the_built_in_keys_are_what_the_hand_written_names_were() {
    // The check above would pass on a screen with no keys at all: with
    // the built-in keymap, the same screens do name these keys.
    let mut app = app(demo_backlog(), 100, 30);
    press(&mut app, &["f"]);
    assert!(named_keys(&screen(&app)).contains(&"j/k"));
    press(&mut app, &["Esc", "x"]);
    assert!(named_keys(&screen(&app)).contains(&"Tab"));
    press(&mut app, &["C-g", "a", "Enter"]);
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.as_str()),
        Some("A story needs a title: type one, or Ctrl-G to cancel")
    );
    assert!(named_keys(&screen(&app)).contains(&"Ctrl-G"));
}

#[test]
fn a_number_key_moved_shows_its_pane() {
    let mut app = app(numbered(3), 100, 30);
    app.keymap = keymap("[backlog]\n\"&\" = \"show_pane_3\"\n3 = \"none\"\n");
    press(&mut app, &["3"]);
    assert_eq!(app.context(), Context::Backlog);
    press(&mut app, &["&"]);
    assert_eq!(app.context(), Context::Pane);
    // The help lists the pane with its key.
    press(&mut app, &["?"]);
    let lines = help::lines(&app.keymap, false, &app.pane_titles());
    let panes: Vec<String> = lines
        .iter()
        .map(ToString::to_string)
        .filter(|line| line.contains("show the overview pane"))
        .collect();
    assert_eq!(panes.len(), 1);
    assert!(panes[0].starts_with("& "), "{panes:?}");
}

#[test]
fn with_every_key_moved_the_marks_the_status_picker_and_the_table_name_only_the_new_keys() {
    use Command as C;
    use Context as X;
    let mut app = app(demo_backlog(), 100, 30);
    app.keymap = keymap(&everything_moved());

    // Four drafts marked as a range, three of them not ready.
    run(&mut app, X::Backlog, C::SelectLast);
    for _ in 0..3 {
        run(&mut app, X::Backlog, C::SelectPrevious);
    }
    run(&mut app, X::Backlog, C::MarkRange);
    let stop = label(&app, X::Backlog, C::MarkRange);
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.clone()),
        Some(format!("Marking: move to mark a range, {stop} to stop"))
    );
    checked(&app, "a range being marked");
    for _ in 0..3 {
        run(&mut app, X::Backlog, C::SelectPrevious);
    }
    run(&mut app, X::Backlog, C::MarkRange);
    let shown = checked(&app, "the marked stories");
    let unmark = label(&app, X::Backlog, C::Dismiss);
    assert!(
        shown.contains(&format!("4 marked ({unmark} unmarks)")),
        "{shown}"
    );

    // The status picker, and the question for stories not ready.
    run(&mut app, X::Backlog, C::ChooseStatus);
    assert_eq!(app.context(), X::StatusPicker);
    let shown = checked(&app, "the status picker");
    let set = label(&app, X::StatusPicker, C::Confirm);
    assert!(shown.contains(&format!("{set} sets it")), "{shown}");
    run(&mut app, X::StatusPicker, C::SelectFirst);
    run(&mut app, X::StatusPicker, C::SelectNext);
    run(&mut app, X::StatusPicker, C::Confirm);
    assert_eq!(app.context(), X::Confirm);
    let shown = checked(&app, "setting stories not ready to ready");
    let yes = label(&app, X::Confirm, C::Confirm);
    assert!(shown.contains(&format!("{yes} set them all")), "{shown}");
    run(&mut app, X::Confirm, C::Cancel);

    run(&mut app, X::Backlog, C::DeleteStory);
    let shown = checked(&app, "deleting the marked stories");
    assert!(shown.contains(&format!("{yes} delete")), "{shown}");
    run(&mut app, X::Confirm, C::Cancel);
    run(&mut app, X::Backlog, C::Dismiss);
    assert!(app.table.marks.is_empty());

    // The story pane hidden, and a column with no room.
    let pane = label(&app, X::Backlog, C::ToggleStoryPane);
    run(&mut app, X::Backlog, C::ToggleStoryPane);
    run(&mut app, X::Backlog, C::SwitchFocus);
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.clone()),
        Some(format!("The story pane is hidden: {pane} shows it"))
    );
    checked(&app, "the story pane hidden");
    run(&mut app, X::Backlog, C::ToggleStoryPane);
    run(&mut app, X::Backlog, C::ToggleLabels);
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.clone()),
        Some(format!(
            "The labels column shows once the table is wider: {pane} hides the story pane"
        ))
    );
    run(&mut app, X::Backlog, C::ToggleLabels);

    // The open work, and none of it left.
    run(&mut app, X::Backlog, C::ToggleOpenWork);
    let shown = checked(&app, "the open work");
    let every = label(&app, X::Backlog, C::ToggleOpenWork);
    assert!(
        shown.contains(&format!("done and rejected hidden · {every} shows them")),
        "{shown}"
    );
    let mut app = self::app(numbered(2), 100, 30);
    app.keymap = keymap(&everything_moved());
    run(&mut app, X::Backlog, C::ToggleMark);
    run(&mut app, X::Backlog, C::SelectNext);
    run(&mut app, X::Backlog, C::ToggleMark);
    run(&mut app, X::Backlog, C::ChooseStatus);
    run(&mut app, X::StatusPicker, C::SelectLast);
    run(&mut app, X::StatusPicker, C::Confirm);
    run(&mut app, X::Backlog, C::ToggleOpenWork);
    let shown = checked(&app, "no open work");
    let add = label(&app, X::Backlog, C::AddStory);
    assert!(
        shown.contains(&format!("{every} shows them, {add} adds a story.")),
        "{shown}"
    );
}

#[test]
fn with_every_key_moved_the_clashes_and_their_alert_name_only_the_new_keys() {
    use Command as C;
    use Context as X;
    let mut backlog = demo_backlog();
    backlog
        .record_clashes(vec![backlog::model::Clash {
            story: Some(backlog::model::StoryId(2)),
            field: "points".into(),
            base: 3.into(),
            ours: 5.into(),
            theirs: 8.into(),
            ours_by: None,
            theirs_by: None,
        }])
        .unwrap();
    let mut app = app(backlog, 100, 30);
    app.keymap = keymap(&everything_moved());
    app.tell_clashes(0);
    let shown = checked(&app, "the clashes alert");
    let open = label(&app, X::Backlog, C::OpenClashes);
    assert!(shown.contains(&format!("{open} shows them")), "{shown}");
    run(&mut app, X::Backlog, C::OpenClashes);
    checked(&app, "the clashes panel");
    run(&mut app, X::Clashes, C::EditClash);
    checked(&app, "a clash's value typed");
    run(&mut app, X::Prompt, C::CancelField);
    run(&mut app, X::Clashes, C::TakeTheirs);
    let shown = checked(&app, "the clashes all settled");
    assert!(shown.contains("No clashes are left"), "{shown}");
    assert!(app.alerts.is_empty(), "the alert is withdrawn");
}
