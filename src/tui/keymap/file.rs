//! Keys written as text, and keymap files made of them.
//!
//! A keymap file is TOML: one table per key context (`[backlog]`,
//! `[form]`, and a context within another as a table within it,
//! `[form.field]`), and in it one line per key, the key as written here
//! and the command it runs, or `"none"` to take a key away:
//!
//! ```toml
//! [backlog]
//! n = "select_next"
//! e = "select_previous"
//! ctrl-r = "redo"
//! "?" = "help"
//! ```
//!
//! A key is a character (`j`, `J`, `?`, `space`) or a named key (`up`,
//! `pagedown`, `enter`, `esc`, `f1`, …), after any of `ctrl-` and
//! `shift-`. Names and modifiers may be written in any case; a character
//! is the case it is, so `J` is Shift-J, as `shift-j` is. What can go
//! wrong is told with the file, line and column: a key that is not one,
//! a context or command there is not, and a key bound twice in a context,
//! however it was spelled.

use std::fmt;
use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use toml::de::{DeTable, DeValue};

use super::Key;
use crate::config::line_column;

/// What a key bound to it does in a keymap file.
pub const UNBOUND: &str = "none";

/// Keys with names, as written and as the terminal reports them. The
/// first spelling of each is the one written back.
const NAMED: &[(&str, KeyCode)] = &[
    ("space", KeyCode::Char(' ')),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pgup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("pgdn", KeyCode::PageDown),
    ("tab", KeyCode::Tab),
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("backspace", KeyCode::Backspace),
    ("insert", KeyCode::Insert),
];

/// Read a key as written in a keymap file.
///
/// # Errors
/// When the text names no key: the message says what is wrong with it.
pub fn parse_key(text: &str) -> Result<Key, String> {
    let mut modifiers = KeyModifiers::NONE;
    let mut rest = text;
    // A modifier needs something after it: `-` and `ctrl--` are keys.
    while let Some((word, after)) = rest.split_once('-').filter(|(_, after)| !after.is_empty()) {
        let modifier = match word.to_ascii_lowercase().as_str() {
            "ctrl" => KeyModifiers::CONTROL,
            "shift" => KeyModifiers::SHIFT,
            _ => break,
        };
        if modifiers.contains(modifier) {
            return Err(format!("{word}- is written twice in {text:?}"));
        }
        modifiers |= modifier;
        rest = after;
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (None, _) => return Err("a key cannot be empty".to_string()),
        (Some(c), None) => KeyCode::Char(c),
        _ => named(rest).ok_or_else(|| {
            format!(
                "{rest:?} is not a key: write a character (j, J, ?), or one of \
                 space, up, down, left, right, home, end, pageup, pagedown, tab, \
                 enter, esc, delete, backspace, insert, f1 to f12, \
                 after any of ctrl- and shift-"
            )
        })?,
    };
    // A character carries Shift in its case, as the keymap looks keys up.
    if modifiers.contains(KeyModifiers::SHIFT)
        && let KeyCode::Char(c) = code
    {
        if !c.is_lowercase() {
            return Err(format!(
                "shift-{c} is not a key: a character is written as it is typed, J for Shift-J"
            ));
        }
        let upper: Vec<char> = c.to_uppercase().collect();
        let [upper] = upper[..] else {
            return Err(format!(
                "shift-{c} has no single capital: write it as it is typed"
            ));
        };
        modifiers.remove(KeyModifiers::SHIFT);
        return Ok(Key {
            code: KeyCode::Char(upper),
            modifiers,
        });
    }
    Ok(Key { code, modifiers })
}

fn named(text: &str) -> Option<KeyCode> {
    let lower = text.to_ascii_lowercase();
    if let Some(&(_, code)) = NAMED.iter().find(|(name, _)| *name == lower) {
        return Some(code);
    }
    let number: u8 = lower.strip_prefix('f')?.parse().ok()?;
    (1..=12).contains(&number).then_some(KeyCode::F(number))
}

/// A key as a keymap file writes it: what [`parse_key`] reads back.
#[must_use]
pub fn key_text(key: Key) -> String {
    let mut text = String::new();
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        text.push_str("ctrl-");
    }
    if key.modifiers.contains(KeyModifiers::SHIFT) {
        text.push_str("shift-");
    }
    match NAMED.iter().find(|&&(_, code)| code == key.code) {
        Some((name, _)) => text.push_str(name),
        None => match key.code {
            KeyCode::Char(c) => text.push(c),
            KeyCode::F(n) => {
                text.push('f');
                text.push_str(&n.to_string());
            }
            other => text.push_str(&format!("{other:?}").to_ascii_lowercase()),
        },
    }
    text
}

/// One line of a keymap file: in `context`, `key` runs `command`, or
/// with `None`, nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileBinding<C> {
    pub context: String,
    pub key: Key,
    pub command: Option<C>,
    /// Where the line is: 1-based line and column of the key.
    pub line: usize,
    pub column: usize,
}

/// A keymap file that cannot be used, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeysError {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for KeysError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot read keys {}: line {} column {}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

impl std::error::Error for KeysError {}

/// Read the keymap file `file`, whose text is `text`: every binding in
/// it, in the order written. `contexts` are the contexts there are (a
/// dotted name such as `form.field` is written `[form.field]`, TOML's
/// table in a table), and `command` finds the command a context binds
/// by its name, or says why there is none.
///
/// # Errors
/// At the first thing wrong: TOML that does not parse, a binding outside
/// a context table, a context or command there is not, a value that is
/// not a command's name, a key that is not one, or a key bound twice in
/// one context (however spelled; the message names the line of the first).
pub fn parse<C>(
    file: &Path,
    text: &str,
    contexts: &[&str],
    command: impl Fn(&str, &str) -> Result<C, String>,
) -> Result<Vec<FileBinding<C>>, KeysError> {
    let reader = Reader {
        file,
        text,
        contexts,
        command,
    };
    let document = DeTable::parse(text).map_err(|e| {
        let offset = e.span().map_or(0, |span| span.start);
        reader.error(offset, e.message().trim_end().to_string())
    })?;
    let mut bindings = Vec::new();
    reader.read(None, false, document.get_ref(), &mut bindings)?;
    Ok(bindings)
}

/// What [`parse`] reads with.
struct Reader<'a, F> {
    file: &'a Path,
    text: &'a str,
    contexts: &'a [&'a str],
    command: F,
}

impl<C, F: Fn(&str, &str) -> Result<C, String>> Reader<'_, F> {
    fn error(&self, offset: usize, message: String) -> KeysError {
        let (line, column) = line_column(self.text, offset);
        KeysError {
            file: self.file.to_path_buf(),
            line,
            column,
            message,
        }
    }

    /// Read `table`, named `name` (the file itself has none): a context's
    /// bindings when `is_context`, and the contexts within it, named
    /// `name.inner`, in the order written. `[panel.line]` makes a table
    /// `panel` that is no context, only holds one.
    fn read(
        &self,
        name: Option<&str>,
        is_context: bool,
        table: &DeTable,
        bindings: &mut Vec<FileBinding<C>>,
    ) -> Result<(), KeysError> {
        let mut entries: Vec<_> = table.iter().collect();
        entries.sort_by_key(|(written, _)| written.span().start);
        for (written, value) in entries {
            let at = written.span().start;
            let here: &str = written.get_ref();
            if let DeValue::Table(inner) = value.get_ref() {
                let inner_name = name.map_or_else(|| here.to_string(), |n| format!("{n}.{here}"));
                let within = format!("{inner_name}.");
                let is_context = self.contexts.contains(&inner_name.as_str());
                if !is_context && !self.contexts.iter().any(|c| c.starts_with(&within)) {
                    return Err(self.error(
                        at,
                        format!(
                            "there is no key context [{inner_name}]; the contexts are {}",
                            self.contexts.join(", ")
                        ),
                    ));
                }
                self.read(Some(&inner_name), is_context, inner, bindings)?;
                continue;
            }
            let context = match name {
                Some(context) if is_context => context,
                Some(holder) => {
                    return Err(self.error(
                        at,
                        format!(
                            "there is no key context [{holder}] to bind {here:?} in; the contexts are {}",
                            self.contexts.join(", ")
                        ),
                    ));
                }
                None => {
                    return Err(self.error(
                        at,
                        format!(
                            "{here:?} is outside a context: bindings go in a table such as [{}]",
                            self.contexts.first().copied().unwrap_or("backlog")
                        ),
                    ));
                }
            };
            let binding = self.binding(context, here, at, value)?;
            if let Some(first) = bindings
                .iter()
                .find(|b| b.context == context && b.key == binding.key)
            {
                return Err(self.error(
                    at,
                    format!(
                        "{} is bound twice in [{context}]: line {} binds it already",
                        key_text(binding.key),
                        first.line
                    ),
                ));
            }
            bindings.push(binding);
        }
        Ok(())
    }

    /// One line of context `context`: the key `written` at `at`, bound
    /// to `value`.
    fn binding(
        &self,
        context: &str,
        written: &str,
        at: usize,
        value: &toml::Spanned<DeValue>,
    ) -> Result<FileBinding<C>, KeysError> {
        let key = parse_key(written).map_err(|message| self.error(at, message))?;
        let DeValue::String(name) = value.get_ref() else {
            return Err(self.error(
                value.span().start,
                format!(
                    "the command for {written:?} is not a name in quotes, such as \"select_next\", or \"{UNBOUND}\""
                ),
            ));
        };
        let name: &str = name.as_ref();
        let command = if name == UNBOUND {
            None
        } else {
            let found = (self.command)(context, name);
            Some(found.map_err(|message| self.error(value.span().start, message))?)
        };
        let (line, column) = line_column(self.text, at);
        Ok(FileBinding {
            context: context.to_string(),
            key,
            command,
            line,
            column,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> Key {
        Key { code, modifiers }
    }

    #[test]
    fn keys_read_as_typed() {
        let none = KeyModifiers::NONE;
        assert_eq!(parse_key("j"), Ok(key(KeyCode::Char('j'), none)));
        assert_eq!(parse_key("J"), Ok(key(KeyCode::Char('J'), none)));
        assert_eq!(parse_key("shift-j"), Ok(key(KeyCode::Char('J'), none)));
        assert_eq!(parse_key("-"), Ok(key(KeyCode::Char('-'), none)));
        assert_eq!(
            parse_key("ctrl--"),
            Ok(key(KeyCode::Char('-'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            parse_key("Ctrl-r"),
            Ok(key(KeyCode::Char('r'), KeyModifiers::CONTROL))
        );
        assert_eq!(parse_key("PgDn"), Ok(key(KeyCode::PageDown, none)));
        assert_eq!(
            parse_key("shift-up"),
            Ok(key(KeyCode::Up, KeyModifiers::SHIFT))
        );
        assert_eq!(parse_key("space"), Ok(key(KeyCode::Char(' '), none)));
        assert_eq!(parse_key("f12"), Ok(key(KeyCode::F(12), none)));
        assert_eq!(parse_key("é"), Ok(key(KeyCode::Char('é'), none)));
    }

    #[test]
    fn what_is_not_a_key_says_why() {
        assert!(parse_key("").unwrap_err().contains("empty"));
        assert!(parse_key("pagedwn").unwrap_err().contains("is not a key"));
        assert!(parse_key("f13").unwrap_err().contains("is not a key"));
        assert!(parse_key("alt-x").unwrap_err().contains("is not a key"));
        assert!(parse_key("shift-J").unwrap_err().contains("as it is typed"));
        assert!(parse_key("shift-?").unwrap_err().contains("as it is typed"));
        assert!(parse_key("ctrl-ctrl-x").unwrap_err().contains("twice"));
    }

    #[test]
    fn a_key_written_back_reads_the_same() {
        for text in [
            "j",
            "J",
            "?",
            "-",
            "ctrl--",
            "ctrl-r",
            "space",
            "ctrl-space",
            "shift-tab",
            "pagedown",
            "esc",
            "f1",
            "delete",
        ] {
            let key = parse_key(text).unwrap();
            assert_eq!(key_text(key), text);
            assert_eq!(parse_key(&key_text(key)), Ok(key));
        }
        assert_eq!(key_text(parse_key("PgDn").unwrap()), "pagedown");
    }

    fn commands(context: &str, name: &str) -> Result<&'static str, String> {
        if context == "form.field" && name == "help" {
            return Err("[form.field] has no command \"help\"".to_string());
        }
        ["select_next", "select_previous", "help", "redo"]
            .into_iter()
            .find(|&c| c == name)
            .ok_or_else(|| format!("there is no command {name:?}"))
    }

    fn read(text: &str) -> Result<Vec<FileBinding<&'static str>>, KeysError> {
        parse(
            Path::new("keys.toml"),
            text,
            &["backlog", "form", "form.field", "panel.line"],
            commands,
        )
    }

    #[test]
    fn a_file_binds_keys_per_context_in_the_order_written() {
        let bindings = read(
            "# Colemak\n[backlog]\nn = \"select_next\"\ne = \"select_previous\"\n\
             \"?\" = \"help\"\nj = \"none\"\n\n[form]\nctrl-r = \"redo\"\n",
        )
        .unwrap();
        let got: Vec<_> = bindings
            .iter()
            .map(|b| (b.context.as_str(), key_text(b.key), b.command, b.line))
            .collect();
        assert_eq!(
            got,
            [
                ("backlog", "n".to_string(), Some("select_next"), 3),
                ("backlog", "e".to_string(), Some("select_previous"), 4),
                ("backlog", "?".to_string(), Some("help"), 5),
                ("backlog", "j".to_string(), None, 6),
                ("form", "ctrl-r".to_string(), Some("redo"), 9),
            ]
        );
        assert_eq!(read("").unwrap(), []);
    }

    #[test]
    fn a_dotted_context_is_a_table_in_a_table() {
        let bindings = read(
            "[form]\nj = \"select_next\"\n[form.field]\nctrl-s = \"redo\"\n\
             [panel.line]\nenter = \"help\"\n",
        )
        .unwrap();
        let got: Vec<_> = bindings
            .iter()
            .map(|b| (b.context.as_str(), key_text(b.key), b.line))
            .collect();
        assert_eq!(
            got,
            [
                ("form", "j".to_string(), 2),
                ("form.field", "ctrl-s".to_string(), 4),
                ("panel.line", "enter".to_string(), 6),
            ]
        );
        // A table that only holds contexts binds nothing itself.
        assert!(
            error("[panel]\nj = \"help\"\n")
                .contains("line 2 column 1: there is no key context [panel] to bind \"j\" in")
        );
        assert!(
            error("[form.nothing]\nj = \"help\"\n")
                .contains("line 1 column 7: there is no key context [form.nothing]")
        );
    }

    #[test]
    fn a_command_a_context_does_not_offer_is_refused_where_it_is() {
        assert_eq!(
            error("[form]\nj = \"help\"\n[form.field]\n  enter = \"help\"\n"),
            "cannot read keys keys.toml: line 4 column 11: [form.field] has no command \"help\""
        );
    }

    fn error(text: &str) -> String {
        read(text).unwrap_err().to_string()
    }

    #[test]
    fn a_key_bound_twice_in_a_context_is_refused_where_it_is() {
        let e = error("[backlog]\nJ = \"help\"\nn = \"redo\"\nshift-j = \"select_next\"\n");
        assert_eq!(
            e,
            "cannot read keys keys.toml: line 4 column 1: J is bound twice in [backlog]: line 2 binds it already"
        );
        // The same key in two contexts is two bindings.
        assert!(read("[backlog]\nn = \"help\"\n[form]\nn = \"help\"\n").is_ok());
        // Written twice the same way, TOML itself refuses it.
        assert!(error("[backlog]\nn = \"help\"\nn = \"redo\"\n").contains("line 3 column 1"));
    }

    #[test]
    fn mistakes_name_file_line_and_column() {
        assert_eq!(
            error("[backlog]\nn = \"select_nxt\"\n"),
            "cannot read keys keys.toml: line 2 column 5: there is no command \"select_nxt\""
        );
        assert!(
            error("[backlog]\n\n  pagedwn = \"help\"\n").starts_with(
                "cannot read keys keys.toml: line 3 column 3: \"pagedwn\" is not a key"
            )
        );
        assert!(error("[table]\nn = \"help\"\n").contains(
            "line 1 column 2: there is no key context [table]; the contexts are backlog, form, form.field, panel.line"
        ));
        assert!(error("n = \"help\"\n").contains("line 1 column 1: \"n\" is outside a context"));
        assert!(
            error("[backlog]\nn = 3\n")
                .contains("line 2 column 5: the command for \"n\" is not a name")
        );
        assert!(error("[backlog]\nn = \"help\n").contains("line 2 column"));
    }
}
