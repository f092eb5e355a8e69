//! Release lines in the ranking: placed, moved a row at a time, and kept
//! in their order among themselves.

use super::*;

/// The backlog read top to bottom, lines and stories: `S1 v1 S2 v2 S3`.
fn rows(b: &Backlog) -> Vec<String> {
    let mut lines: Vec<(&Rank, &str)> = b
        .product
        .releases
        .iter()
        .filter_map(|r| Some((r.line.as_ref()?, r.name.as_str())))
        .collect();
    lines.sort();
    let mut rows = Vec::new();
    let mut next = lines.into_iter().peekable();
    for story in b.ranked() {
        while let Some((_, name)) = next.next_if(|(key, _)| **key < story.rank) {
            rows.push(name.to_string());
        }
        rows.push(format!("S{}", story.id.0));
    }
    rows.extend(next.map(|(_, name)| name.to_string()));
    rows
}

fn with_releases(n: usize, names: &[&str]) -> Backlog {
    let mut b = backlog_of(n);
    for name in names {
        b.add_release(Release::new(*name, None)).unwrap();
    }
    b
}

#[test]
fn a_line_moved_down_past_a_story_lands_just_below_it_above_any_line_there() {
    let mut b = with_releases(3, &["v1", "v2"]);
    b.place_line("v1", 1).unwrap();
    b.place_line("v2", 2).unwrap();
    assert_eq!(rows(&b), ["S1", "v1", "S2", "v2", "S3"]);
    assert!(b.move_line("v1", false).unwrap());
    // It passed one story, S2, and no other line.
    assert_eq!(rows(&b), ["S1", "S2", "v1", "v2", "S3"]);
    assert!(b.move_line("v2", true).unwrap());
    assert_eq!(rows(&b), ["S1", "v2", "S2", "v1", "S3"]);
}

#[test]
fn a_line_placed_by_a_story_keeps_to_it() {
    let mut b = with_releases(3, &["v1", "v2", "v3"]);
    b.place_line("v1", 1).unwrap();
    b.place_line("v2", 1).unwrap();
    assert_eq!(rows(&b), ["S1", "v1", "v2", "S2", "S3"]);
    // Just below S1: above the lines already there.
    b.place_line_by("v3", StoryId(1), true).unwrap();
    assert_eq!(rows(&b), ["S1", "v3", "v1", "v2", "S2", "S3"]);
    // Just above S2: below them.
    b.place_line_by("v3", StoryId(2), false).unwrap();
    assert_eq!(rows(&b), ["S1", "v1", "v2", "v3", "S2", "S3"]);
    b.place_line_by("v1", StoryId(3), true).unwrap();
    assert_eq!(rows(&b), ["S1", "v2", "v3", "S2", "S3", "v1"]);
    assert!(matches!(
        b.place_line_by("v9", StoryId(1), true),
        Err(ModelError::UnknownRelease(_))
    ));
    assert!(b.place_line_by("v1", StoryId(9), true).is_err());
    assert_eq!(rows(&b), ["S1", "v2", "v3", "S2", "S3", "v1"]);
}

#[test]
fn swapped_lines_trade_places() {
    let mut b = with_releases(3, &["v1", "v2", "none"]);
    b.place_line("v1", 1).unwrap();
    b.place_line("v2", 1).unwrap();
    b.swap_lines("v1", "v2").unwrap();
    assert_eq!(rows(&b), ["S1", "v2", "v1", "S2", "S3"]);
    let before = b.product.releases.clone();
    assert!(b.swap_lines("v1", "none").is_err());
    assert!(b.swap_lines("v1", "v9").is_err());
    assert_eq!(b.product.releases, before, "nothing changed");
}
