//! The README documents every key: each key of every keymap table appears
//! in it, as the help shows it, in backticks; the backlog's keys in the key
//! table of "The terminal UI" and the story form's in "The story form".

use backlog::tui::keymap::{Context, Keymap};

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

/// The keys the built-in keymap binds in `context` that `text` lacks, in
/// backticks as the help shows them, each with what it does.
fn lacking(text: &str, keymap: &Keymap, context: Context) -> Vec<String> {
    keymap
        .bindings(context)
        .iter()
        .filter(|binding| !text.contains(&format!("`{}`", binding.key.label())))
        .map(|binding| {
            let does = context
                .offer(binding.command)
                .map_or(binding.command.name(), |offer| offer.help);
            format!("`{}` ({does})", binding.key.label())
        })
        .collect()
}

#[test]
fn the_readme_documents_every_key_where_it_belongs() {
    let readme = readme();
    let keymap = Keymap::built_in();
    let mut missing = Vec::new();
    for (context, text) in [
        (Context::Backlog, section(&readme, "## The terminal UI")),
        (Context::Form, section(&readme, "### The story form")),
    ] {
        missing.extend(
            lacking(text, &keymap, context)
                .into_iter()
                .map(|m| format!("{}: {m}", context.name())),
        );
    }
    for context in Context::ALL {
        missing.extend(
            lacking(&readme, &keymap, context)
                .into_iter()
                .map(|m| format!("{}: {m}", context.name())),
        );
    }
    let typing = section(&readme, "### Typing in a field");
    for key in backlog::tui::typing::EDITING {
        for stroke in key.keys {
            if !typing.contains(&format!("`{}`", stroke.label())) {
                missing.push(format!("typing: `{}` ({})", stroke.label(), key.help));
            }
        }
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
    assert!(!lacking(&without_undo, &Keymap::built_in(), Context::Form).is_empty());
}

/// The README's keymap example, in the "Keys" section.
fn example(readme: &str) -> &str {
    toml_in(section(readme, "### Keys"))
}

/// The first TOML example in `text`.
fn toml_in(text: &str) -> &str {
    let start = text.find("```toml\n").expect("a TOML example") + "```toml\n".len();
    let end = text[start..].find("```").expect("the example's end");
    &text[start..start + end]
}

#[test]
fn the_readmes_keymap_example_reads() {
    let readme = readme();
    let keymap = Keymap::with_file(std::path::Path::new("keys.toml"), example(&readme));
    assert!(keymap.is_ok(), "{}", keymap.unwrap_err());
}

#[test]
fn the_readmes_config_example_reads_and_shows_the_defaults() {
    let readme = readme();
    let example = toml_in(section(&readme, "### Your name"));
    let config = backlog::config::parse(std::path::Path::new("config.toml"), example);
    let config = config.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(config.author.as_deref(), Some("Ann Smith"));
    let (meeting, defaults) = (config.meeting, backlog::config::Config::default().meeting);
    for (key, value, default) in [
        ("timebox", meeting.timebox(), defaults.timebox()),
        ("length", meeting.length(), defaults.length()),
        (
            "stories",
            u32::try_from(meeting.stories()).unwrap(),
            u32::try_from(defaults.stories()).unwrap(),
        ),
    ] {
        assert_eq!(
            value, default,
            "the README's example sets {key} to other than its default"
        );
        assert!(
            example.contains(&format!("{key} = {default} "))
                && example.contains(&format!("(default {default})")),
            "the README's config example does not give {key}'s default, {default}"
        );
    }
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
