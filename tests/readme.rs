//! The README documents every key: each key of every keymap table appears
//! in it, as the help shows it, in backticks; the backlog's keys in the key
//! table of "The terminal UI" and the story form's in "The story form".

use backlog::tui::keymap;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// The README's text from `heading` to the next heading.
fn section<'a>(readme: &'a str, heading: &str) -> &'a str {
    let start = readme
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading:?} in the README"));
    let body = &readme[start + heading.len()..];
    let end = body.find("\n#").unwrap_or(body.len());
    &body[..end]
}

fn lacking(text: &str, table: &[keymap::Binding]) -> Vec<String> {
    table
        .iter()
        .flat_map(|binding| binding.keys.iter().map(move |key| (key, binding.help)))
        .filter(|(key, _)| !text.contains(&format!("`{}`", key.label())))
        .map(|(key, help)| format!("`{}` ({help})", key.label()))
        .collect()
}

#[test]
fn the_readme_documents_every_key_where_it_belongs() {
    let readme = readme();
    let mut missing = Vec::new();
    for (name, table, text) in [
        (
            "backlog",
            keymap::NORMAL,
            section(&readme, "## The terminal UI"),
        ),
        ("form", keymap::FORM, section(&readme, "### The story form")),
    ] {
        missing.extend(
            lacking(text, table)
                .into_iter()
                .map(|m| format!("{name}: {m}")),
        );
    }
    for (name, table) in keymap::TABLES {
        missing.extend(
            lacking(&readme, table)
                .into_iter()
                .map(|m| format!("{name}: {m}")),
        );
    }
    assert!(
        missing.is_empty(),
        "the README lacks:\n{}",
        missing.join("\n")
    );
}

#[test]
fn a_key_missing_from_its_section_is_noticed() {
    let readme = readme();
    let form = section(&readme, "### The story form");
    let without_undo = form.replace("`u`", "");
    assert!(!lacking(&without_undo, keymap::FORM).is_empty());
}

#[test]
fn the_readme_says_which_rust_builds_it_as_cargo_toml_does() {
    let manifest =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    let version = manifest
        .lines()
        .find_map(|line| line.strip_prefix("rust-version = "))
        .expect("Cargo.toml has a rust-version")
        .trim_matches('"');
    let readme = readme();
    let start = section(&readme, "# backlog");
    assert!(
        start.contains(&format!("Rust {version} or newer")),
        "the README's opening lacks the Rust version {version}"
    );
    assert!(
        start.contains("first build"),
        "the README's opening does not say how long the first build takes"
    );
}
