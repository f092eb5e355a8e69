//! The backlog table's rows as drawn: its stories' rows with lines ruled
//! between them (where a coming sprint ends, a release's line). Which
//! drawn row shows what, where a story's row is drawn, and how far the
//! table scrolls to show a row: the keys, the mouse and the drawing all
//! ask here, so a click lands on the story drawn where it is and the
//! selection never scrolls out of sight.
//!
//! Every answer is a search among the lines, never a walk of the rows:
//! it costs the same in a backlog of any size.

use std::ops::Range;

/// What a drawn row of the table shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Drawn {
    /// The table's story row of that number (0 the first).
    Story(usize),
    /// The line of that number, in the order drawn.
    Line(usize),
}

/// A table of story rows with lines drawn between them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ruled {
    /// Each line's place, in the order drawn: the story row it is drawn
    /// just above (the number of rows: below the last). Never falls.
    above: Vec<usize>,
    stories: usize,
}

impl Ruled {
    /// A table of `stories` rows and the lines drawn above the rows
    /// `above` gives, in the order drawn; a line past the last row is
    /// drawn below it.
    #[must_use]
    pub fn new(mut above: Vec<usize>, stories: usize) -> Ruled {
        for row in &mut above {
            *row = (*row).min(stories);
        }
        debug_assert!(above.is_sorted(), "lines come in the order drawn");
        Ruled { above, stories }
    }

    /// A table of `stories` rows with no line between them.
    #[must_use]
    pub fn plain(stories: usize) -> Ruled {
        Ruled::new(Vec::new(), stories)
    }

    /// How many rows are drawn: the stories' and the lines'.
    #[must_use]
    pub fn len(&self) -> usize {
        self.stories + self.above.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many lines are drawn.
    #[must_use]
    pub fn lines(&self) -> usize {
        self.above.len()
    }

    /// The drawn row of story row `row`: below every line drawn above it.
    #[must_use]
    pub fn story_row(&self, row: usize) -> usize {
        row + self.above.partition_point(|&above| above <= row)
    }

    /// The drawn row of line `line`.
    #[must_use]
    pub fn line_row(&self, line: usize) -> usize {
        self.above[line] + line
    }

    /// The story row line `line` is drawn just above (the number of rows
    /// when it is below the last).
    #[must_use]
    pub fn line_above(&self, line: usize) -> usize {
        self.above[line]
    }

    /// The lines drawn between story row `row` and the row before it,
    /// first to last.
    #[must_use]
    pub fn lines_above(&self, row: usize) -> Range<usize> {
        self.above.partition_point(|&above| above < row)
            ..self.above.partition_point(|&above| above <= row)
    }

    /// What drawn row `drawn` shows, if it is drawn at all.
    #[must_use]
    pub fn at(&self, drawn: usize) -> Option<Drawn> {
        // The lines' drawn rows rise strictly: the first at or past
        // `drawn` is found by halving.
        let (mut low, mut high) = (0, self.above.len());
        while low < high {
            let middle = low + (high - low) / 2;
            if self.line_row(middle) < drawn {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        if low < self.above.len() && self.line_row(low) == drawn {
            return Some(Drawn::Line(low));
        }
        let row = drawn - low;
        (row < self.stories).then_some(Drawn::Story(row))
    }

    /// The story row nearest drawn row `drawn` (or the last drawn row,
    /// past it): at or below it when `downward`, else at or above it;
    /// the other way when there is none that way. None with no stories.
    #[must_use]
    pub fn story_near(&self, drawn: usize, downward: bool) -> Option<usize> {
        let last = self.len().checked_sub(1)?;
        match self.at(drawn.min(last))? {
            Drawn::Story(row) => Some(row),
            Drawn::Line(line) => {
                let below = self.above[line];
                let (first, then) = if downward {
                    (
                        (below < self.stories).then_some(below),
                        below.checked_sub(1),
                    )
                } else {
                    (
                        below.checked_sub(1),
                        (below < self.stories).then_some(below),
                    )
                };
                first.or(then)
            }
        }
    }

    /// How far a table scrolled to drawn row `scroll`, showing `fits`
    /// rows, scrolls to show drawn row `drawn` and, room allowing, the
    /// rows from `top` (at or above it) down to it: no further than it
    /// must, and never so far that rows go empty below the last while
    /// rows above are hidden.
    #[must_use]
    pub fn scrolled_to_show(&self, scroll: usize, top: usize, drawn: usize, fits: usize) -> usize {
        let fits = fits.max(1);
        let lowest = (drawn + 1).saturating_sub(fits);
        scroll
            .min(top.min(drawn))
            .max(lowest)
            .min(self.len().saturating_sub(fits))
    }

    /// The furthest the table scrolls, showing `fits` rows: its last row
    /// at the bottom.
    #[must_use]
    pub fn last_scroll(&self, fits: usize) -> usize {
        self.len().saturating_sub(fits.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Six stories with lines above rows 0, 2, 2 and below the last:
    /// `L0 S0 S1 L1 L2 S2 S3 S4 S5 L3`.
    fn ruled() -> Ruled {
        Ruled::new(vec![0, 2, 2, 6], 6)
    }

    #[test]
    fn each_drawn_row_is_a_story_or_a_line_and_back() {
        use Drawn::{Line, Story};
        let ruled = ruled();
        let drawn: Vec<Drawn> = (0..ruled.len()).map(|d| ruled.at(d).unwrap()).collect();
        assert_eq!(
            drawn,
            [
                Line(0),
                Story(0),
                Story(1),
                Line(1),
                Line(2),
                Story(2),
                Story(3),
                Story(4),
                Story(5),
                Line(3)
            ]
        );
        assert_eq!(ruled.at(ruled.len()), None);
        for (d, what) in drawn.into_iter().enumerate() {
            match what {
                Story(row) => assert_eq!(ruled.story_row(row), d),
                Line(line) => assert_eq!(ruled.line_row(line), d),
            }
        }
        assert_eq!(ruled.lines_above(2), 1..3);
        assert_eq!(ruled.lines_above(1), 1..1);
        assert_eq!(ruled.lines_above(6), 3..4);
    }

    #[test]
    fn a_plain_table_draws_its_rows_as_they_are() {
        let plain = Ruled::plain(4);
        assert_eq!(plain.story_row(3), 3);
        assert_eq!(plain.at(3), Some(Drawn::Story(3)));
        assert_eq!(plain.at(4), None);
        assert_eq!(Ruled::plain(0).story_near(0, true), None);
    }

    #[test]
    fn the_story_near_a_line_is_the_one_below_going_down_and_above_going_up() {
        let ruled = ruled();
        assert_eq!(ruled.story_near(3, true), Some(2));
        assert_eq!(ruled.story_near(4, false), Some(1));
        // Above the first row and below the last, the only way there is.
        assert_eq!(ruled.story_near(0, false), Some(0));
        assert_eq!(ruled.story_near(9, true), Some(5));
        assert_eq!(ruled.story_near(99, true), Some(5));
    }

    #[test]
    fn scrolling_shows_the_row_and_the_lines_above_it_as_room_allows() {
        let ruled = ruled();
        // S2 at drawn row 5, its lines at 3 and 4: shown with it.
        assert_eq!(ruled.scrolled_to_show(5, 3, 5, 4), 3);
        // Two rows: the row itself comes first.
        assert_eq!(ruled.scrolled_to_show(5, 3, 5, 2), 4);
        // Shown already: no scrolling.
        assert_eq!(ruled.scrolled_to_show(2, 3, 5, 4), 2);
        // Below: the row comes to the bottom.
        assert_eq!(ruled.scrolled_to_show(0, 8, 8, 4), 5);
        // Never empty rows below the last.
        assert_eq!(ruled.scrolled_to_show(9, 9, 9, 4), 6);
        assert_eq!(ruled.last_scroll(4), 6);
    }
}
