//! The meeting's clocks: how long each story has been discussed, over
//! any number of visits, and how that stands against its timebox. Pure:
//! "now" is passed in, so a test drives the clock.
//!
//! A timebox that runs out is said, never acted on: the room decides
//! when to move on.

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Time spent on one thing (a story, the meeting), running or stopped.
/// Kept in the meeting's journal as whole milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stopwatch {
    /// Time counted up to the last stop.
    #[serde(rename = "spent_ms", with = "millis")]
    spent: Duration,
    /// When it was last started, while it runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    since: Option<DateTime<Utc>>,
}

/// A length of time as whole milliseconds, never negative.
mod millis {
    use super::{Deserialize, Deserializer, Duration, Serialize, Serializer};

    pub fn serialize<S: Serializer>(time: &Duration, out: S) -> Result<S::Ok, S::Error> {
        time.num_milliseconds().serialize(out)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(input: D) -> Result<Duration, D::Error> {
        let ms = u32::try_from(i64::deserialize(input)?.max(0)).unwrap_or(u32::MAX);
        Ok(Duration::milliseconds(i64::from(ms)))
    }
}

impl Stopwatch {
    /// Start counting at `now`; started already, it goes on as it was.
    pub fn start(&mut self, now: DateTime<Utc>) {
        self.since.get_or_insert(now);
    }

    /// Stop counting at `now`, keeping what was counted.
    pub fn stop(&mut self, now: DateTime<Utc>) {
        if let Some(since) = self.since.take() {
            self.spent += elapsed(since, now);
        }
    }

    #[must_use]
    pub fn is_running(&self) -> bool {
        self.since.is_some()
    }

    /// All the time counted, up to `now` while it runs.
    #[must_use]
    pub fn spent(&self, now: DateTime<Utc>) -> Duration {
        self.spent
            + self
                .since
                .map_or(Duration::zero(), |since| elapsed(since, now))
    }
}

/// Time from `since` to `now`; none when the clock went back (a
/// corrected system clock must not make time spent negative).
fn elapsed(since: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    (now - since).max(Duration::zero())
}

/// How long something may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timebox {
    pub limit: Duration,
}

impl Timebox {
    #[must_use]
    pub fn minutes(minutes: i64) -> Timebox {
        Timebox {
            limit: Duration::minutes(minutes),
        }
    }

    /// Where `spent` stands against the limit.
    #[must_use]
    pub fn left(&self, spent: Duration) -> Left {
        if spent <= self.limit {
            Left::Remaining(self.limit - spent)
        } else {
            Left::Over(spent - self.limit)
        }
    }
}

/// Time left in a timebox, or how far past it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Left {
    Remaining(Duration),
    Over(Duration),
}

impl Left {
    /// Whether the timebox has run out (with no time left, it has).
    #[must_use]
    pub fn ran_out(self) -> bool {
        match self {
            Left::Remaining(left) => left <= Duration::zero(),
            Left::Over(_) => true,
        }
    }
}

impl fmt::Display for Left {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Left::Remaining(left) => write!(f, "{} left", clock(*left)),
            Left::Over(over) => write!(f, "{} over", clock(*over)),
        }
    }
}

/// A length of time as a clock shows it, in whole seconds: `4:59`,
/// `1:02:03`.
#[must_use]
pub fn clock(time: Duration) -> String {
    let seconds = time.num_seconds().max(0);
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap() + Duration::seconds(seconds)
    }

    #[test]
    fn a_story_visited_twice_counts_both_visits_and_not_the_time_between() {
        let mut watch = Stopwatch::default();
        watch.start(at(0));
        watch.start(at(30)); // started already: no second start
        assert_eq!(watch.spent(at(90)), Duration::seconds(90));
        watch.stop(at(120));
        assert!(!watch.is_running());
        assert_eq!(watch.spent(at(600)), Duration::seconds(120));
        watch.start(at(600));
        assert_eq!(watch.spent(at(660)), Duration::seconds(180));
    }

    #[test]
    fn a_clock_set_back_never_makes_time_spent_negative() {
        let mut watch = Stopwatch::default();
        watch.start(at(100));
        assert_eq!(watch.spent(at(40)), Duration::zero());
        watch.stop(at(40));
        assert_eq!(watch.spent(at(40)), Duration::zero());
    }

    #[test]
    fn a_timebox_says_what_is_left_then_how_far_over() {
        let five = Timebox::minutes(5);
        let left = five.left(Duration::seconds(1));
        assert_eq!(left.to_string(), "4:59 left");
        assert!(!left.ran_out());
        let done = five.left(Duration::minutes(5));
        assert_eq!(done.to_string(), "0:00 left");
        assert!(done.ran_out());
        let over = five.left(Duration::seconds(312));
        assert_eq!(over.to_string(), "0:12 over");
        assert!(over.ran_out());
    }

    #[test]
    fn a_long_meeting_shows_hours() {
        assert_eq!(clock(Duration::seconds(3723)), "1:02:03");
        assert_eq!(clock(Duration::seconds(59)), "0:59");
        assert_eq!(clock(Duration::seconds(-5)), "0:00");
    }
}
