//! The README documents every key: each key of every keymap table appears
//! in it, as the help shows it, in backticks.

use backlog::tui::keymap;

#[test]
fn the_readme_documents_every_key() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let mut missing = Vec::new();
    for (name, table) in keymap::TABLES {
        for binding in *table {
            for key in binding.keys {
                let label = format!("`{}`", key.label());
                if !readme.contains(&label) {
                    missing.push(format!("{name}: {label} ({})", binding.help));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "the README lacks:\n{}",
        missing.join("\n")
    );
}
