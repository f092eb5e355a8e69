//! `backlog keys`: the keys in force in the TUI, context by context, with
//! what each does there and where its binding comes from: the built-in
//! keymap or a line of the user's `keys.toml`. The text is itself a
//! keymap file, so it can be saved as `keys.toml` and edited.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use crate::config;
use crate::interchange::json;
use crate::tui::keymap::file::key_text;
use crate::tui::keymap::{Context, Keymap, Origin};

/// Print the keys in force, as text or JSON.
///
/// # Errors
/// When the user's keymap file cannot be used (the message names its
/// line and column), or printing fails.
pub fn keys(json: bool, out: &mut dyn Write) -> Result<()> {
    let path = config::keys_path();
    let keymap = match &path {
        Some(path) => Keymap::load(path)?,
        None => Keymap::built_in(),
    };
    if json {
        writeln!(out, "{}", json::pretty(&listing(&keymap))?)?;
    } else {
        text(&keymap, path.as_deref(), out)?;
    }
    Ok(())
}

/// The keymap as `backlog keys --json` prints it.
#[derive(Serialize)]
struct Listing {
    /// The user's keymap file, when one was read.
    file: Option<String>,
    contexts: Vec<ContextListing>,
}

#[derive(Serialize)]
struct ContextListing {
    context: &'static str,
    /// The context whose keys apply where this one binds none.
    falls_back_on: Option<&'static str>,
    bindings: Vec<BindingListing>,
    /// Commands the context offers that no key runs.
    unbound: Vec<Unbound>,
}

#[derive(Serialize)]
struct BindingListing {
    key: String,
    command: &'static str,
    does: &'static str,
    /// `built-in`, or `file` for the user's.
    from: &'static str,
    /// The line of the user's file that binds it.
    line: Option<usize>,
}

#[derive(Serialize)]
struct Unbound {
    command: &'static str,
    does: &'static str,
}

fn listing(keymap: &Keymap) -> Listing {
    let contexts = Context::ALL
        .into_iter()
        .map(|context| {
            let mut bindings = Vec::new();
            let mut unbound = Vec::new();
            for offer in context.offers() {
                let bound = keymap
                    .bindings(context)
                    .iter()
                    .filter(|b| b.command == offer.command);
                let before = bindings.len();
                bindings.extend(bound.map(|binding| {
                    let (from, line) = match binding.origin {
                        Origin::BuiltIn => ("built-in", None),
                        Origin::File { line } => ("file", Some(line)),
                    };
                    BindingListing {
                        key: key_text(binding.key),
                        command: offer.command.name(),
                        does: offer.help,
                        from,
                        line,
                    }
                }));
                if bindings.len() == before {
                    unbound.push(Unbound {
                        command: offer.command.name(),
                        does: offer.help,
                    });
                }
            }
            ContextListing {
                context: context.name(),
                falls_back_on: context.fallback().map(Context::name),
                bindings,
                unbound,
            }
        })
        .collect();
    Listing {
        file: keymap.file().map(|file| file.display().to_string()),
        contexts,
    }
}

/// The keymap as a keymap file: each context a table, each binding a
/// line with what it does and where it comes from after it.
fn text(keymap: &Keymap, path: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    let listing = listing(keymap);
    match (&listing.file, path) {
        (Some(file), _) => writeln!(out, "# The built-in keys, with {file} over them.")?,
        (None, Some(path)) => writeln!(
            out,
            "# The built-in keys; a keys.toml at {} would go over them.",
            path.display()
        )?,
        (None, None) => writeln!(out, "# The built-in keys.")?,
    }
    for context in &listing.contexts {
        writeln!(out)?;
        write!(out, "[{}]", context.context)?;
        if let Some(fallback) = context.falls_back_on {
            write!(out, "  # a key it does not bind is [{fallback}]'s")?;
        }
        writeln!(out)?;
        for binding in &context.bindings {
            let from = match (&listing.file, binding.line) {
                (Some(file), Some(line)) => format!("{file}:{line}"),
                _ => "built in".to_string(),
            };
            let line = format!("{} = \"{}\"", toml_key(&binding.key), binding.command);
            writeln!(out, "{line:<34} # {} · {from}", binding.does)?;
        }
        for command in &context.unbound {
            writeln!(out, "# no key: {} ({})", command.command, command.does)?;
        }
    }
    Ok(())
}

/// A key as TOML writes a table's key: bare when it can be, else quoted.
fn toml_key(key: &str) -> String {
    let bare = key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        key.to_string()
    } else {
        format!("{key:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listing_reads_back_as_the_same_keymap() {
        let keymap = Keymap::built_in();
        let mut printed = Vec::new();
        text(&keymap, None, &mut printed).unwrap();
        let printed = String::from_utf8(printed).unwrap();
        let again = Keymap::with_file(Path::new("keys.toml"), &printed).unwrap();
        for context in Context::ALL {
            let keys = |keymap: &Keymap| -> Vec<_> {
                let mut bound: Vec<_> = keymap
                    .bindings(context)
                    .iter()
                    .map(|b| (key_text(b.key), b.command))
                    .collect();
                bound.sort_by(|a, b| a.0.cmp(&b.0));
                bound
            };
            assert_eq!(keys(&again), keys(&keymap), "[{}]", context.name());
        }
    }

    #[test]
    fn keys_toml_cannot_write_bare_are_quoted() {
        assert_eq!(toml_key("ctrl-r"), "ctrl-r");
        assert_eq!(toml_key("?"), "\"?\"");
        assert_eq!(toml_key("\""), "\"\\\"\"");
        assert_eq!(toml_key("é"), "\"é\"");
    }
}
