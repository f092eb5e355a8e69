//! Planning poker, as the product owner types the team's cards: the
//! spread of one round, who should speak first, and the value the
//! round points to.
//!
//! As Mike Cohn describes the game (<https://www.mountaingoatsoftware.com/agile/planning-poker>):
//! everyone shows a card at once; when the cards differ, the estimators
//! with the highest and the lowest explain, and the team votes again. A
//! round where every card is the same is consensus.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::model::{Points, Scale};

/// One round of cards, in the order they were typed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Round {
    pub votes: Vec<Points>,
}

impl Round {
    /// The cards in `text` (`3 5 5 8 13`, or with commas), each read on
    /// `scale` as an estimate is (T-shirt sizes by name, `½`).
    ///
    /// # Errors
    /// When there is no card, or one is not an estimate: which, and why.
    pub fn parse(text: &str, scale: Scale) -> Result<Round, String> {
        let votes = text
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|card| !card.is_empty())
            .enumerate()
            .map(|(n, card)| {
                scale
                    .parse_estimate(card)
                    .map_err(|why| format!("card {}: {why}", n + 1))
            })
            .collect::<Result<Vec<Points>, String>>()?;
        if votes.is_empty() {
            return Err("type the team's cards, e.g. 3 5 5 8".into());
        }
        Ok(Round { votes })
    }

    /// What the round says.
    #[must_use]
    pub fn spread(&self, scale: Scale) -> Spread {
        let mut sorted: Vec<f64> = self.votes.iter().map(|p| p.value()).collect();
        sorted.sort_by(f64::total_cmp);
        let (lowest, highest) = (sorted[0], sorted[sorted.len() - 1]);
        let middle = sorted.len() / 2;
        let median = if sorted.len() % 2 == 1 {
            sorted[middle]
        } else {
            f64::midpoint(sorted[middle - 1], sorted[middle])
        };
        let who = |value: f64| {
            self.votes
                .iter()
                .enumerate()
                .filter(|(_, p)| p.value().total_cmp(&value).is_eq())
                .map(|(at, _)| at)
                .collect::<Vec<usize>>()
        };
        let consensus = lowest.total_cmp(&highest).is_eq();
        Spread {
            lowest,
            highest,
            median,
            consensus,
            speak_low: if consensus { Vec::new() } else { who(lowest) },
            speak_high: if consensus { Vec::new() } else { who(highest) },
            steps: steps_between(scale, lowest, highest),
            suggested: on_scale(scale, median),
        }
    }
}

/// How far apart a round's cards are, and what it points to.
#[derive(Clone, Debug, PartialEq)]
pub struct Spread {
    pub lowest: f64,
    pub highest: f64,
    /// The middle card; with an even number of cards, halfway between
    /// the two middle ones.
    pub median: f64,
    /// Every card the same.
    pub consensus: bool,
    /// Which cards (0-based, in the order typed) were the lowest and the
    /// highest, when they differ: those estimators explain first.
    pub speak_low: Vec<usize>,
    pub speak_high: Vec<usize>,
    /// How many places on the scale lie between the lowest and the
    /// highest card (0 when they are next to each other or the same): a
    /// spread of more than one place usually means the team does not yet
    /// understand the story the same way.
    pub steps: usize,
    /// The value on the scale nearest the median, rounding up between
    /// two: the one-key agreement when the room accepts it.
    pub suggested: Points,
}

/// The value of `scale` nearest `value`; halfway between two, the higher,
/// as estimates round up.
fn on_scale(scale: Scale, value: f64) -> Points {
    let values = scale.values();
    let nearest = values
        .iter()
        .copied()
        .min_by(|a, b| {
            let (da, db) = ((a - value).abs(), (b - value).abs());
            da.total_cmp(&db).then_with(|| b.total_cmp(a))
        })
        .unwrap_or(value);
    // A card off the scale (typed by hand) is still a card: a median
    // beyond the scale's ends stays what it is.
    let nearest = if value > values[values.len() - 1] || value < values[0] {
        value
    } else {
        nearest
    };
    Points::new(nearest).unwrap_or_else(|_| scale.bottom())
}

/// How many values of `scale` lie strictly between `low` and `high`.
fn steps_between(scale: Scale, low: f64, high: f64) -> usize {
    scale
        .values()
        .iter()
        .filter(|&&v| v.partial_cmp(&low) == Some(Ordering::Greater) && v < high)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spread(text: &str) -> Spread {
        Round::parse(text, Scale::Fibonacci)
            .unwrap()
            .spread(Scale::Fibonacci)
    }

    #[test]
    fn the_highest_and_the_lowest_speak_first() {
        let s = spread("3 5 5 8 13");
        assert_eq!((s.lowest, s.highest, s.median), (3.0, 13.0, 5.0));
        assert!(!s.consensus);
        assert_eq!((s.speak_low, s.speak_high), (vec![0], vec![4]));
        // 5 and 8 lie between 3 and 13.
        assert_eq!(s.steps, 2);
        assert_eq!(Some(s.suggested.value()), Some(5.0));
    }

    #[test]
    fn the_same_card_everywhere_is_consensus_with_nobody_to_explain() {
        let s = spread("5, 5,5 5");
        assert!(s.consensus);
        assert!(s.speak_low.is_empty() && s.speak_high.is_empty());
        assert_eq!((s.steps, s.suggested.value()), (0, 5.0));
    }

    #[test]
    fn an_even_round_takes_the_middle_two_and_rounds_up_onto_the_scale() {
        // Median 4, halfway between 3 and 5: estimates round up.
        let s = spread("2 3 5 8");
        assert_eq!(Some(s.median), Some(4.0));
        assert_eq!(Some(s.suggested.value()), Some(5.0));
        // Neighbours on the scale are no steps apart.
        assert_eq!(spread("3 5").steps, 0);
    }

    #[test]
    fn sizes_and_halves_read_as_the_scale_reads_them() {
        let round = Round::parse("S m XL", Scale::TShirt).unwrap();
        let s = round.spread(Scale::TShirt);
        assert_eq!((s.lowest, s.highest, s.median), (2.0, 8.0, 3.0));
        assert_eq!(Scale::TShirt.label(s.suggested), "M");
        let half = Round::parse("½ 1", Scale::ModifiedFibonacci).unwrap();
        assert_eq!(
            Some(half.spread(Scale::ModifiedFibonacci).median),
            Some(0.75)
        );
        assert_eq!(
            Some(half.spread(Scale::ModifiedFibonacci).suggested.value()),
            Some(1.0)
        );
    }

    #[test]
    fn a_card_that_is_not_an_estimate_is_named() {
        let why = Round::parse("3 5 lots 8", Scale::Fibonacci).unwrap_err();
        assert!(
            why.starts_with("card 3: \"lots\" is not an estimate"),
            "{why}"
        );
        assert_eq!(
            Round::parse("  , ", Scale::Fibonacci).unwrap_err(),
            "type the team's cards, e.g. 3 5 5 8"
        );
    }

    #[test]
    fn a_median_past_the_scale_stays_what_it_is() {
        // 40 and 100 typed on the plain Fibonacci scale, which stops at 21.
        let s = spread("40 100");
        assert_eq!(Some(s.suggested.value()), Some(70.0));
    }
}
