//! The one place keys become commands, looked up by the key context of
//! the screen on top.
//!
//! Keys are data. The default keymap is `assets/keys.toml`, built into
//! the program; the user's `keys.toml` goes over it context by context,
//! as helix and television do: a key the user binds replaces that key's
//! binding in that context, and `"none"` takes it away. Both are read
//! once, at start, into the tables each key is looked up in. The help,
//! the status bar's hints and every message that names a key read the
//! same tables, so none of them can drift from the keys.

mod command;
mod context;
pub mod file;

pub use command::Command;
pub use context::{Context, Offer};
pub use file::KeysError;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// A key with its modifiers. For characters the case carries Shift, so `J`
/// is `Char('J')` with no modifiers, however the terminal reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
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
                c.to_uppercase().to_string()
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
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Insert => "Ins".into(),
            KeyCode::F(n) => format!("F{n}"),
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

/// Where a binding comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The built-in keymap, `assets/keys.toml`.
    BuiltIn,
    /// The user's keymap file, at this line.
    File { line: usize },
}

/// A key bound to a command in a context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Binding {
    pub key: Key,
    pub command: Command,
    pub origin: Origin,
}

/// The keys in force: for each context, its bindings, the user's first.
#[derive(Debug)]
pub struct Keymap {
    /// Each context's bindings, at its [`Context::index`].
    tables: Vec<Vec<Binding>>,
    /// The user's file, when one was read.
    file: Option<PathBuf>,
}

/// The built-in keymap's text.
pub const BUILT_IN: &str = include_str!("../../../assets/keys.toml");

/// Where the built-in keymap says it is, in a message about it.
const BUILT_IN_NAME: &str = "assets/keys.toml (built in)";

static DEFAULT: LazyLock<Arc<Keymap>> = LazyLock::new(|| {
    let bindings = read(Path::new(BUILT_IN_NAME), BUILT_IN)
        .unwrap_or_else(|e| panic!("the built-in keymap must read: {e}"));
    Arc::new(Keymap::over(&Keymap::empty(), &bindings, |_| {
        Origin::BuiltIn
    }))
});

/// Commands whose hint shows the key of a second command too, in a pane:
/// `j/k select`.
const PAIRS: [(Command, Command); 5] = [
    (Command::SelectNext, Command::SelectPrevious),
    (Command::ScrollDown, Command::ScrollUp),
    (Command::MoveDown, Command::MoveUp),
    (Command::EstimateUp, Command::EstimateDown),
    (Command::SortTable, Command::RankOrder),
];

impl Keymap {
    fn empty() -> Keymap {
        Keymap {
            tables: vec![Vec::new(); Context::ALL.len()],
            file: None,
        }
    }

    /// The built-in keymap.
    #[must_use]
    pub fn built_in() -> Arc<Keymap> {
        Arc::clone(&DEFAULT)
    }

    /// The built-in keymap with the user's keymap file at `path` over it;
    /// the built-in one alone when there is no such file.
    ///
    /// # Errors
    /// When the file cannot be read, or says something that cannot be
    /// used: the error names the file, line and column.
    pub fn load(path: &Path) -> Result<Arc<Keymap>, KeysError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Keymap::with_file(path, &text).map(Arc::new),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Keymap::built_in()),
            Err(e) => Err(KeysError {
                file: path.to_path_buf(),
                line: 1,
                column: 1,
                message: e.to_string(),
            }),
        }
    }

    /// The built-in keymap with the keymap file `path`, whose text is
    /// `text`, over it.
    ///
    /// # Errors
    /// As [`Keymap::load`].
    pub fn with_file(path: &Path, text: &str) -> Result<Keymap, KeysError> {
        let bindings = read(path, text)?;
        let mut keymap = Keymap::over(&DEFAULT, &bindings, |line| Origin::File { line });
        keymap.file = Some(path.to_path_buf());
        Ok(keymap)
    }

    /// `bindings`, read from a file, over the keymap `base`: each key they
    /// bind in a context replaces the base's binding of it there, and
    /// comes first. Where each comes from is `origin` of its line.
    fn over(
        base: &Keymap,
        bindings: &[file::FileBinding<Command>],
        origin: impl Fn(usize) -> Origin,
    ) -> Keymap {
        let mut keymap = Keymap::empty();
        for context in Context::ALL {
            let mine: Vec<_> = bindings
                .iter()
                .filter(|b| b.context == context.name())
                .collect();
            let table = &mut keymap.tables[context.index()];
            for binding in &mine {
                if let Some(command) = binding.command {
                    table.push(Binding {
                        key: binding.key,
                        command,
                        origin: origin(binding.line),
                    });
                }
            }
            let kept = base
                .bindings(context)
                .iter()
                .filter(|b| !mine.iter().any(|m| m.key == b.key));
            table.extend(kept);
        }
        keymap
    }

    /// The user's keymap file, when one was read.
    #[must_use]
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// The bindings of a context, the user's first (not those of the
    /// context it falls back on).
    #[must_use]
    pub fn bindings(&self, context: Context) -> &[Binding] {
        &self.tables[context.index()]
    }

    /// The command `key` runs in `context`, or in the context it falls
    /// back on.
    #[must_use]
    pub fn command_for(&self, context: Context, key: Key) -> Option<Command> {
        let mut looked_up = Some(context);
        while let Some(context) = looked_up {
            if let Some(binding) = self.bindings(context).iter().find(|b| b.key == key) {
                return Some(binding.command);
            }
            looked_up = context.fallback();
        }
        None
    }

    /// What a key press asks for in a context: its command; where the
    /// screen takes text (`takes_text`), a key the context does not bind
    /// is typing.
    #[must_use]
    pub fn action_for(
        &self,
        context: Context,
        takes_text: bool,
        event: KeyEvent,
    ) -> Option<Action> {
        match self.command_for(context, Key::from_event(event)) {
            Some(command) => Some(Action::Command(command)),
            None if takes_text => Some(Action::Input(event)),
            None => None,
        }
    }

    /// The keys bound to `command` in `context` itself, first first.
    pub fn keys(&self, context: Context, command: Command) -> impl Iterator<Item = Key> + '_ {
        self.bindings(context)
            .iter()
            .filter(move |b| b.command == command)
            .map(|b| b.key)
    }

    /// The key that runs `command` in `context`: its first, else the
    /// first of the context it falls back on.
    #[must_use]
    pub fn key(&self, context: Context, command: Command) -> Option<Key> {
        let mut looked_up = Some(context);
        while let Some(context) = looked_up {
            if let Some(key) = self.keys(context, command).next() {
                return Some(key);
            }
            looked_up = context.fallback();
        }
        None
    }

    /// The key that runs `command` in `context`, as the help shows it:
    /// what messages and hints name. A command with no key there is
    /// named as a keymap file names it, in brackets, so the message still
    /// says what to bind.
    #[must_use]
    pub fn label(&self, context: Context, command: Command) -> String {
        self.key(context, command)
            .map_or_else(|| format!("[{}]", command.name()), Key::label)
    }

    /// The keys of two commands that go together, as the help shows
    /// them: `j/k`.
    #[must_use]
    pub fn pair(&self, context: Context, first: Command, second: Command) -> String {
        format!(
            "{}/{}",
            self.label(context, first),
            self.label(context, second)
        )
    }

    /// The status bar's key hints in `context`: the first key of each
    /// hinted command it offers, then those of the context it falls back
    /// on, for keys it does not take.
    #[must_use]
    pub fn hints(&self, context: Context) -> Vec<(String, &'static str)> {
        let mut hints: Vec<(String, &'static str)> =
            self.hinted(context).map(|(_, hint)| hint).collect();
        if let Some(fallback) = context.fallback() {
            let own = self.bindings(context);
            let taken = |key: Key| own.iter().any(|b| b.key == key);
            hints.extend(
                self.hinted(fallback)
                    .filter(|(key, _)| !taken(*key))
                    .map(|(_, hint)| hint),
            );
        }
        hints
    }

    /// Each hinted command of a context that has a key there: the key,
    /// and the hint. In a pane, a pair reads better than one key (`j/k`,
    /// `J/K`, `+/-`).
    fn hinted(&self, context: Context) -> impl Iterator<Item = (Key, (String, &'static str))> + '_ {
        context.offers().iter().filter_map(move |offer| {
            let hint = offer.hint?;
            let key = self.keys(context, offer.command).next()?;
            let partner = PAIRS
                .iter()
                .find(|(first, _)| *first == offer.command)
                .and_then(|(_, second)| self.keys(context, *second).next());
            let keys = match partner {
                Some(other) if context.is_pane() => format!("{}/{}", key.label(), other.label()),
                _ => key.label(),
            };
            Some((key, (keys, hint)))
        })
    }
}

/// Read a keymap file: its bindings, each checked against the contexts
/// there are and the commands each offers.
fn read(path: &Path, text: &str) -> Result<Vec<file::FileBinding<Command>>, KeysError> {
    let contexts: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
    file::parse(path, text, &contexts, |context, name| {
        let listed = "`backlog keys` lists the commands of each context";
        let command = Command::named(name)
            .ok_or_else(|| format!("there is no command {name:?}; {listed}"))?;
        match Context::named(context) {
            Some(offering) if offering.offer(command).is_some() => Ok(command),
            _ => Err(format!("[{context}] has no command {name:?}; {listed}")),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventKind;

    fn event(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new_with_kind(code, modifiers, KeyEventKind::Press)
    }

    fn command(
        keymap: &Keymap,
        context: Context,
        code: KeyCode,
        modifiers: KeyModifiers,
    ) -> Option<Command> {
        keymap.command_for(context, Key::from_event(event(code, modifiers)))
    }

    #[test]
    fn shifted_letters_match_however_reported() {
        let keys = Keymap::built_in();
        let backlog = |code, modifiers| command(&keys, Context::Backlog, code, modifiers);
        assert_eq!(
            backlog(KeyCode::Char('J'), KeyModifiers::SHIFT),
            Some(Command::MoveDown)
        );
        assert_eq!(
            backlog(KeyCode::Char('J'), KeyModifiers::NONE),
            Some(Command::MoveDown)
        );
        assert_eq!(
            backlog(KeyCode::Down, KeyModifiers::SHIFT),
            Some(Command::MoveDown)
        );
        assert_eq!(
            backlog(KeyCode::Down, KeyModifiers::NONE),
            Some(Command::SelectNext)
        );
        assert_eq!(
            backlog(KeyCode::Char('c'), KeyModifiers::CONTROL),
            Some(Command::Quit)
        );
    }

    #[test]
    fn the_built_in_keymap_gives_every_command_a_context_offers_a_key() {
        let keys = Keymap::built_in();
        for context in Context::ALL {
            for offer in context.offers() {
                assert!(
                    keys.keys(context, offer.command).next().is_some(),
                    "[{}] has no key for {}",
                    context.name(),
                    offer.command.name()
                );
            }
            assert!(
                keys.bindings(context)
                    .iter()
                    .all(|b| b.origin == Origin::BuiltIn),
                "[{}]",
                context.name()
            );
        }
        assert_eq!(keys.file(), None);
    }

    #[test]
    fn no_context_inside_another_is_named_as_a_key() {
        // TOML reads `[epics.delete]` as the table `delete` in `[epics]`,
        // where `delete = "delete_epic"` is a key: the two would clash.
        for context in Context::ALL {
            if let Some((_, inner)) = context.name().rsplit_once('.') {
                assert!(
                    file::parse_key(inner).is_err(),
                    "[{}] is named as a key",
                    context.name()
                );
            }
        }
    }

    #[test]
    fn every_command_is_offered_somewhere() {
        for command in Command::ALL {
            assert!(
                Context::ALL.iter().any(|c| c.offer(*command).is_some()),
                "{} is offered nowhere",
                command.name()
            );
        }
    }

    #[test]
    fn the_story_pane_takes_the_backlogs_keys_it_does_not_bind() {
        let keys = Keymap::built_in();
        let story = |code| command(&keys, Context::Story, code, KeyModifiers::NONE);
        assert_eq!(story(KeyCode::Char('j')), Some(Command::ScrollDown));
        assert_eq!(story(KeyCode::Char('J')), Some(Command::MoveDown));
        assert_eq!(
            keys.label(Context::Story, Command::AddStory),
            "a",
            "named from the backlog's keys"
        );
    }

    #[test]
    fn hints_pair_up_and_down() {
        let hints = Keymap::built_in().hints(Context::Backlog);
        assert_eq!(hints[0], ("j/k".to_string(), "select"));
        assert_eq!(hints[1], ("J/K".to_string(), "move"));
    }

    fn colemak() -> Keymap {
        Keymap::with_file(
            Path::new("keys.toml"),
            "[backlog]\nn = \"select_next\"\ne = \"select_previous\"\nj = \"none\"\n",
        )
        .unwrap()
    }

    #[test]
    fn a_users_key_replaces_that_key_in_its_context_and_comes_first() {
        let keys = colemak();
        let backlog = |c| {
            command(
                &keys,
                Context::Backlog,
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )
        };
        assert_eq!(backlog('n'), Some(Command::SelectNext));
        // `e` was the external editor's.
        assert_eq!(backlog('e'), Some(Command::SelectPrevious));
        assert_eq!(backlog('j'), None, "taken away with \"none\"");
        assert_eq!(
            backlog('k'),
            Some(Command::SelectPrevious),
            "left as it was"
        );
        assert_eq!(keys.label(Context::Backlog, Command::SelectNext), "n");
        assert_eq!(keys.label(Context::Backlog, Command::SelectPrevious), "e");
        assert_eq!(
            keys.label(Context::Backlog, Command::EditInEditor),
            "[edit_in_editor]"
        );
        assert_eq!(
            keys.hints(Context::Backlog)[0],
            ("n/e".to_string(), "select")
        );
        // Other contexts keep theirs.
        assert_eq!(keys.label(Context::Form, Command::SelectNext), "j");
        let first = keys.bindings(Context::Backlog)[0];
        assert_eq!(first.origin, Origin::File { line: 2 });
        assert_eq!(keys.file(), Some(Path::new("keys.toml")));
    }

    #[test]
    fn a_command_a_context_does_not_offer_is_refused() {
        let e = Keymap::with_file(Path::new("keys.toml"), "[confirm]\nj = \"select_next\"\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "cannot read keys keys.toml: line 2 column 5: [confirm] has no command \"select_next\"; \
             `backlog keys` lists the commands of each context"
        );
    }

    #[test]
    fn a_missing_file_is_the_built_in_keymap() {
        let dir = tempfile::tempdir().unwrap();
        let keys = Keymap::load(&dir.path().join("keys.toml")).unwrap();
        assert!(Arc::ptr_eq(&keys, &Keymap::built_in()));
    }
}
