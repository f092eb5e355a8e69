//! The refinement meeting: its agenda and where the room is on it, the
//! clocks against each story's timebox ([`timebox`]), the planning poker
//! rounds ([`poker`]), the parking lot, and the minutes it leaves
//! ([`minutes`]).
//!
//! What the meeting changes in the backlog is in the backlog at once,
//! through the same undoable changes as anywhere else. The meeting keeps
//! only what the backlog cannot: how each story stood before the meeting
//! took it up, the moves it made, the rounds, the time and the parked
//! topics. The minutes are the difference between that and the backlog
//! at the end, so a change undone in the meeting is not in them.
//!
//! Pure: "now" is passed in, so a test drives the clock.

pub mod minutes;
pub mod poker;
pub mod timebox;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{Backlog, Points, Story, StoryId, renumber};
use crate::rank::Rank;
use poker::Round;
use timebox::{Left, Stopwatch, Timebox};

/// The journal's format: a journal from a newer `backlog` is not read.
const JOURNAL_VERSION: u32 = 1;

/// How long a meeting runs and each story may take, in minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    pub story_minutes: i64,
    pub meeting_minutes: i64,
}

impl Timing {
    /// Minutes each story may take when the config sets no other.
    pub const STORY_MINUTES: u32 = 5;
    /// A meeting's planned minutes when the config sets no other.
    pub const MEETING_MINUTES: u32 = 60;
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            story_minutes: i64::from(Timing::STORY_MINUTES),
            meeting_minutes: i64::from(Timing::MEETING_MINUTES),
        }
    }
}

/// How many stories the default agenda takes when the config sets no
/// other number.
pub const AGENDA_STORIES: usize = 5;

/// A refinement meeting under way.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    version: u32,
    pub started: DateTime<Utc>,
    /// Who ran it: the minutes name them.
    pub facilitator: String,
    pub story_minutes: i64,
    pub meeting_minutes: i64,
    /// The meeting's own time: a meeting left and resumed does not count
    /// the time between.
    clock: Stopwatch,
    agenda: Vec<Item>,
    /// The agenda item on screen.
    current: usize,
    /// Stories taken off the agenda after they were discussed: the
    /// minutes still tell of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    dropped: Vec<Item>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    parking_lot: Vec<Parked>,
    /// How many stories have been taken up so far.
    taken_up: u32,
    /// When the journal was last written: a meeting resumed after a crash
    /// counts its clocks up to then, not through the time it was away.
    kept_at: DateTime<Utc>,
    /// Stories split off a story on the agenda, which joined it right
    /// after: each joins once, so one taken off stays off.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    split_off: Vec<StoryId>,
}

/// A story on the agenda.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub story: StoryId,
    /// The story as it was when it joined the agenda.
    pub before: Story,
    /// Its place in the backlog then, from 1.
    pub place_before: usize,
    pub spent: Stopwatch,
    /// The planning poker rounds played on it, oldest first: the last is
    /// the one on screen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rounds: Vec<Round>,
    /// How the meeting moved it in the backlog, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved: Option<Moved>,
    /// When it was first taken up, counting from 1; never, while `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_up: Option<u32>,
}

impl Item {
    fn new(story: &Story, backlog: &Backlog) -> Item {
        Item {
            story: story.id,
            before: story.clone(),
            place_before: place(backlog, story.id).unwrap_or(0),
            spent: Stopwatch::default(),
            rounds: Vec::new(),
            moved: None,
            taken_up: None,
        }
    }

    /// Whether the room took it up, played a round on it or moved it.
    #[must_use]
    pub fn discussed(&self) -> bool {
        self.taken_up.is_some() || !self.rounds.is_empty() || self.moved.is_some()
    }
}

/// A move of a story the meeting made: from where, to where, by place
/// and by rank key (the key tells whether the move still stands).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Moved {
    pub from_place: usize,
    pub from_rank: Rank,
    pub to_place: usize,
    pub to_rank: Rank,
}

/// A topic parked for later.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parked {
    pub text: String,
    pub at: DateTime<Utc>,
    /// The story on screen when it came up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub during: Option<StoryId>,
}

/// A story's place in the backlog's ranking, from 1.
#[must_use]
pub fn place(backlog: &Backlog, id: StoryId) -> Option<usize> {
    backlog.position(id).ok().map(|at| at + 1)
}

/// The default agenda: the first `count` stories in rank order that are
/// not ready yet (drafts), of those `among` (every story, or those a
/// filter shows).
#[must_use]
pub fn default_agenda<'a>(
    among: impl IntoIterator<Item = &'a Story>,
    count: usize,
) -> Vec<StoryId> {
    among
        .into_iter()
        .filter(|story| story.status == crate::model::Status::Draft)
        .take(count)
        .map(|story| story.id)
        .collect()
}

impl Meeting {
    /// A meeting on `agenda` (ids of `backlog`, in order; unknown and
    /// repeated ones left out), started at `now` on its first story.
    ///
    /// # Errors
    /// When no story is left to discuss.
    pub fn start(
        agenda: &[StoryId],
        backlog: &Backlog,
        timing: Timing,
        facilitator: &str,
        now: DateTime<Utc>,
    ) -> Result<Meeting, String> {
        let mut items: Vec<Item> = Vec::new();
        for &id in agenda {
            if let Some(story) = backlog.get(id)
                && !items.iter().any(|item| item.story == id)
            {
                items.push(Item::new(story, backlog));
            }
        }
        if items.is_empty() {
            return Err("no story to discuss: every story is ready, or none was picked".into());
        }
        let mut meeting = Meeting {
            version: JOURNAL_VERSION,
            started: now,
            facilitator: facilitator.to_string(),
            story_minutes: timing.story_minutes,
            meeting_minutes: timing.meeting_minutes,
            clock: Stopwatch::default(),
            agenda: items,
            current: 0,
            dropped: Vec::new(),
            parking_lot: Vec::new(),
            taken_up: 0,
            kept_at: now,
            split_off: Vec::new(),
        };
        meeting.clock.start(now);
        meeting.take_up(0, now);
        Ok(meeting)
    }

    /// The agenda, in order.
    #[must_use]
    pub fn agenda(&self) -> &[Item] {
        &self.agenda
    }

    /// Stories taken off the agenda after they were discussed.
    #[must_use]
    pub fn dropped(&self) -> &[Item] {
        &self.dropped
    }

    /// Where the room is on the agenda, from 0.
    #[must_use]
    pub fn current_index(&self) -> usize {
        self.current
    }

    /// The agenda item on screen.
    #[must_use]
    pub fn current(&self) -> &Item {
        &self.agenda[self.current]
    }

    /// The story on screen.
    #[must_use]
    pub fn story(&self) -> StoryId {
        self.current().story
    }

    #[must_use]
    pub fn parking_lot(&self) -> &[Parked] {
        &self.parking_lot
    }

    /// The item for story `id`, on the agenda or dropped from it.
    #[must_use]
    pub fn item(&self, id: StoryId) -> Option<&Item> {
        self.agenda
            .iter()
            .chain(&self.dropped)
            .find(|item| item.story == id)
    }

    fn item_mut(&mut self, id: StoryId) -> Option<&mut Item> {
        self.agenda
            .iter_mut()
            .chain(&mut self.dropped)
            .find(|item| item.story == id)
    }

    /// Put agenda item `index` on screen, its clock running and the one
    /// before stopped.
    fn take_up(&mut self, index: usize, now: DateTime<Utc>) {
        if let Some(item) = self.agenda.get_mut(self.current) {
            item.spent.stop(now);
        }
        self.current = index;
        self.open(now);
    }

    /// The item on screen is taken up at `now`: counted as discussed, its
    /// clock running while the meeting's does.
    fn open(&mut self, now: DateTime<Utc>) {
        let item = &mut self.agenda[self.current];
        if item.taken_up.is_none() {
            self.taken_up += 1;
            item.taken_up = Some(self.taken_up);
        }
        if self.clock.is_running() {
            item.spent.start(now);
        }
    }

    /// Go to agenda item `index`; false when there is none.
    pub fn go(&mut self, index: usize, now: DateTime<Utc>) -> bool {
        if index >= self.agenda.len() || index == self.current {
            return false;
        }
        self.take_up(index, now);
        true
    }

    /// The next story on the agenda; false at its end.
    pub fn next(&mut self, now: DateTime<Utc>) -> bool {
        self.go(self.current + 1, now)
    }

    /// The story before on the agenda; false at its start.
    pub fn previous(&mut self, now: DateTime<Utc>) -> bool {
        self.current > 0 && self.go(self.current - 1, now)
    }

    /// Put story `id` of `backlog` on the agenda right after the story on
    /// screen, and go to it; one already on the agenda is gone to where
    /// it is. False when the backlog has no such story.
    pub fn bring_up(&mut self, id: StoryId, backlog: &Backlog, now: DateTime<Utc>) -> bool {
        if let Some(at) = self.agenda.iter().position(|item| item.story == id) {
            self.go(at, now);
            return true;
        }
        let Some(item) = self.rejoining(id, backlog) else {
            return false;
        };
        let at = self.current + 1;
        self.agenda.insert(at, item);
        self.take_up(at, now);
        true
    }

    /// Put story `id` at the end of the agenda, without going to it.
    /// False when it is on it already or unknown.
    pub fn append(&mut self, id: StoryId, backlog: &Backlog) -> bool {
        if self.agenda.iter().any(|item| item.story == id) {
            return false;
        }
        let Some(item) = self.rejoining(id, backlog) else {
            return false;
        };
        self.agenda.push(item);
        true
    }

    /// The item for story `id` of `backlog`, to put back on the agenda: a
    /// story dropped earlier comes back with what it had. `None` when the
    /// backlog has no such story.
    fn rejoining(&mut self, id: StoryId, backlog: &Backlog) -> Option<Item> {
        let story = backlog.get(id)?;
        Some(
            match self.dropped.iter().position(|item| item.story == id) {
                Some(at) => self.dropped.remove(at),
                None => Item::new(story, backlog),
            },
        )
    }

    /// Take agenda item `index` off the agenda; the minutes keep it if it
    /// was discussed. The last story cannot go: a meeting is about
    /// something. False when nothing was taken off.
    pub fn drop_item(&mut self, index: usize, now: DateTime<Utc>) -> bool {
        if index >= self.agenda.len() || self.agenda.len() == 1 {
            return false;
        }
        let on_screen = index == self.current;
        if on_screen {
            self.agenda[index].spent.stop(now);
        }
        let item = self.agenda.remove(index);
        if item.discussed() {
            self.dropped.push(item);
        }
        if index < self.current {
            self.current -= 1;
        } else if on_screen {
            // The next story comes on screen; the one before, at the end.
            self.current = index.min(self.agenda.len() - 1);
            self.open(now);
        }
        true
    }

    /// Move agenda item `index` one place earlier (`up`) or later on the
    /// agenda; the story on screen stays on screen. False at an end.
    pub fn shift(&mut self, index: usize, up: bool) -> bool {
        let other = if up {
            index.checked_sub(1)
        } else {
            Some(index + 1).filter(|&at| at < self.agenda.len())
        };
        let Some(other) = other.filter(|_| index < self.agenda.len()) else {
            return false;
        };
        self.agenda.swap(index, other);
        if self.current == index {
            self.current = other;
        } else if self.current == other {
            self.current = index;
        }
        true
    }

    /// A planning poker round on the story on screen: it replaces the
    /// last one on screen, and the minutes keep both.
    pub fn play(&mut self, round: Round) {
        let current = self.current;
        self.agenda[current].rounds.push(round);
    }

    /// The round on screen for the story on screen.
    #[must_use]
    pub fn round(&self) -> Option<&Round> {
        self.current().rounds.last()
    }

    /// The meeting moved story `id` in the backlog from place `from` with
    /// key `from_rank` to place `to` with key `to_rank`. A story not on
    /// the agenda joins it (after the last), as it was before the move.
    pub fn moved(
        &mut self,
        before: &Story,
        from: (usize, Rank),
        to: (usize, Rank),
        backlog: &Backlog,
    ) {
        if self.item(before.id).is_none() {
            let mut item = Item::new(before, backlog);
            item.place_before = from.0;
            self.agenda.push(item);
        }
        if let Some(item) = self.item_mut(before.id) {
            let (from_place, from_rank) = match item.moved.take() {
                Some(earlier) => (earlier.from_place, earlier.from_rank),
                None => from,
            };
            item.moved = Some(Moved {
                from_place,
                from_rank,
                to_place: to.0,
                to_rank: to.1,
            });
        }
    }

    /// Park a topic for later.
    ///
    /// # Errors
    /// When the text is blank.
    pub fn park(&mut self, text: &str, now: DateTime<Utc>) -> Result<(), String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("a parked topic needs a few words".into());
        }
        let during = Some(self.story());
        self.parking_lot.push(Parked {
            text: text.to_string(),
            at: now,
            during,
        });
        Ok(())
    }

    /// Take parked topic `index` off the parking lot; it is what was
    /// taken, if there was one.
    pub fn unpark(&mut self, index: usize) -> Option<Parked> {
        (index < self.parking_lot.len()).then(|| self.parking_lot.remove(index))
    }

    /// The meeting's time so far.
    #[must_use]
    pub fn elapsed(&self, now: DateTime<Utc>) -> Duration {
        self.clock.spent(now)
    }

    /// The meeting's time against its planned length.
    #[must_use]
    pub fn meeting_left(&self, now: DateTime<Utc>) -> Left {
        Timebox::minutes(self.meeting_minutes).left(self.elapsed(now))
    }

    /// The time spent on the story on screen, over every visit.
    #[must_use]
    pub fn story_spent(&self, now: DateTime<Utc>) -> Duration {
        self.current().spent.spent(now)
    }

    /// The story on screen's time against its timebox.
    #[must_use]
    pub fn story_left(&self, now: DateTime<Utc>) -> Left {
        Timebox::minutes(self.story_minutes).left(self.story_spent(now))
    }

    /// Stop every clock at `now`: the meeting is left (to be resumed) or
    /// ended.
    pub fn pause(&mut self, now: DateTime<Utc>) {
        self.clock.stop(now);
        let current = self.current;
        self.agenda[current].spent.stop(now);
    }

    /// Go on with a meeting read back from its journal at `now`: clocks
    /// left running by a crash count up to when the journal was kept,
    /// and start again now.
    pub fn resume(&mut self, now: DateTime<Utc>) {
        let kept = self.kept_at;
        self.pause(kept);
        self.clock.start(now);
        let current = self.current;
        self.agenda[current].spent.start(now);
    }

    /// When its journal was last kept.
    #[must_use]
    pub fn kept_at(&self) -> DateTime<Utc> {
        self.kept_at
    }

    /// Whether its clocks run (it was not paused).
    #[must_use]
    pub fn is_running(&self) -> bool {
        self.clock.is_running()
    }

    /// A merge gave stories new ids: the meeting follows them.
    pub fn renumber(&mut self, changes: &[(StoryId, StoryId)]) {
        for item in self.agenda.iter_mut().chain(&mut self.dropped) {
            item.story = renumber(item.story, changes);
            item.before.id = item.story;
        }
        for parked in &mut self.parking_lot {
            parked.during = parked.during.map(|id| renumber(id, changes));
        }
    }

    /// Stories removed from the backlog (by an undo, another writer) are
    /// no longer on the agenda; the minutes still tell of the discussed
    /// ones. A story split off one on the agenda joins it right after
    /// that one, to be discussed in turn. False when none is left: the
    /// meeting has nothing to show.
    pub fn follow(&mut self, backlog: &Backlog, now: DateTime<Utc>) -> bool {
        self.join_splits(backlog);
        let gone: Vec<usize> = (0..self.agenda.len())
            .rev()
            .filter(|&at| backlog.get(self.agenda[at].story).is_none())
            .collect();
        for at in gone {
            if self.agenda.len() == 1 {
                return false;
            }
            self.drop_item(at, now);
        }
        true
    }

    /// Put each story newly split off one on the agenda right after it,
    /// once.
    fn join_splits(&mut self, backlog: &Backlog) {
        let mut at = 0;
        while at < self.agenda.len() {
            let item = &self.agenda[at];
            let parts: Vec<StoryId> = backlog
                .get(item.story)
                .map(|story| {
                    story
                        .split_into
                        .iter()
                        .filter(|id| {
                            !item.before.split_into.contains(id) && !self.split_off.contains(id)
                        })
                        .copied()
                        .collect()
                })
                .unwrap_or_default();
            let mut after = at + 1;
            for id in parts {
                self.split_off.push(id);
                if self.agenda.iter().any(|item| item.story == id) {
                    continue;
                }
                if let Some(part) = self.rejoining(id, backlog) {
                    self.agenda.insert(after, part);
                    if self.current >= after {
                        self.current += 1;
                    }
                    after += 1;
                }
            }
            at = after;
        }
    }

    /// The journal's text at `now`, to be kept beside the data file.
    #[must_use]
    pub fn to_journal(&mut self, now: DateTime<Utc>) -> String {
        self.kept_at = now;
        serde_json::to_string_pretty(self).expect("a meeting always serialises")
    }

    /// A meeting read back from its journal.
    ///
    /// # Errors
    /// When the text is not a meeting's journal this `backlog` reads.
    pub fn from_journal(text: &str) -> Result<Meeting, String> {
        let meeting: Meeting = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if meeting.version > JOURNAL_VERSION {
            return Err(format!(
                "it was written by a newer backlog (journal version {})",
                meeting.version
            ));
        }
        if meeting.agenda.is_empty() || meeting.current >= meeting.agenda.len() {
            return Err("its agenda is empty".into());
        }
        Ok(meeting)
    }

    /// The estimate agreed from the round on screen, on the backlog's
    /// scale.
    #[must_use]
    pub fn suggested(&self, scale: crate::model::Scale) -> Option<Points> {
        self.round().map(|round| round.spread(scale).suggested)
    }
}

#[cfg(test)]
mod tests;
