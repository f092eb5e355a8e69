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
