//! Wording shared by the command line and the TUI, so both say a thing
//! the same way.

/// A count and what is counted, in the singular when it is one.
///
/// ```
/// use backlog::words::count;
///
/// assert_eq!(count(1, "story", "stories"), "1 story");
/// assert_eq!(count(0, "story", "stories"), "0 stories");
/// ```
#[must_use]
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A number as the CLI and the screen show it (a score, an input, points
/// added up): no `.0` on a whole one, at most two decimals otherwise.
#[must_use]
pub fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        let text = format!("{n:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// `text` starting with a capital, as a message or a heading does.
///
/// ```
/// assert_eq!(backlog::words::capitalised("no story S-4"), "No story S-4");
/// ```
#[must_use]
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
