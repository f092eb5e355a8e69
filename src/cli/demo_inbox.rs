//! The sample backlog's inbox: what Kilnhouse's customers said in the
//! last few weeks, some of it still to triage, some linked to a story
//! or made into one, one item set aside; so that a new user sees the
//! inbox at work, and a story with its customer evidence.

use std::sync::Arc;

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::model::{Backlog, Feedback, FeedbackId, FeedbackState, Importance, StoryId};

/// How an item of the sample stands in triage.
enum Triage {
    New,
    Linked(u64),
    Converted(u64),
    Dismissed(&'static str),
}

struct Said {
    days_ago: u64,
    customer: &'static str,
    source: &'static str,
    importance: Importance,
    link: Option<&'static str>,
    text: &'static str,
    triage: Triage,
}

const SAID: [Said; 7] = [
    Said {
        days_ago: 23,
        customer: "Harbour Clay Collective",
        source: "sales",
        importance: Importance::Important,
        link: None,
        text: "Can we upload our member list instead of typing it in?\n\
               Moving 240 members over by hand is a week of the front desk's time.",
        triage: Triage::Converted(25),
    },
    Said {
        days_ago: 19,
        customer: "Old Mill Ceramics",
        source: "support",
        importance: Importance::NiceToHave,
        link: None,
        text: "Could the app switch our kiln on and off remotely?",
        triage: Triage::Dismissed(
            "Kiln controllers are out of scope: the studio's controller does this (see S-30)",
        ),
    },
    Said {
        days_ago: 12,
        customer: "Priya Natarajan",
        source: "support",
        importance: Importance::Critical,
        link: None,
        text: "Nobody told me my card had expired\n\
               My membership lapsed and I was turned away at the door. \
               An email before it fails would have saved us both the trouble.",
        triage: Triage::Linked(17),
    },
    Said {
        days_ago: 9,
        customer: "Dana Whitlock",
        source: "sales",
        importance: Importance::Important,
        link: None,
        text: "We'd sell gift vouchers at Christmas if members could buy them in the app.",
        triage: Triage::Linked(28),
    },
    Said {
        days_ago: 6,
        customer: "Marrow Street Pottery",
        source: "GitHub",
        importance: Importance::NiceToHave,
        link: Some("https://github.com/kilnhouse/kilnhouse/issues/41"),
        text: "Dark mode for the kiln log\n\
               The glaze room is dim in the evenings, and the white screen is blinding.",
        triage: Triage::New,
    },
    Said {
        days_ago: 3,
        customer: "Harbour Clay Collective",
        source: "support",
        importance: Importance::Critical,
        link: None,
        text: "Members can't tell which wheel they booked\n\
               When two people book the same session the confirmation doesn't say \
               which wheel is whose, and they argue about it at the door. \
               Please put the wheel number on the booking.",
        triage: Triage::New,
    },
    Said {
        days_ago: 1,
        customer: "Sam Okafor",
        source: "email",
        importance: Importance::NiceToHave,
        link: None,
        text: "Let me book the same slot every week in one go, for the whole term.",
        triage: Triage::New,
    },
];

/// Put the sample's feedback in `backlog`, dated back from `today`.
pub(super) fn add_demo_feedback(backlog: &mut Backlog, today: NaiveDate) {
    let at = |days_ago: u64| -> DateTime<Utc> {
        today
            .checked_sub_days(Days::new(days_ago))
            .unwrap_or(today)
            .and_hms_opt(10, 30, 0)
            .unwrap_or_default()
            .and_utc()
    };
    let items = SAID
        .iter()
        .map(|said| {
            let mut item =
                Feedback::new(FeedbackId(1), said.text, said.customer, at(said.days_ago));
            item.source = said.source.to_string();
            item.importance = said.importance;
            item.link = said.link.map(str::to_string);
            item
        })
        .collect();
    let ids = backlog
        .add_feedback_items(items)
        .expect("the sample's feedback has text and customers");
    for (id, said) in ids.into_iter().zip(&SAID) {
        let when = at(said.days_ago);
        let triaged = match said.triage {
            Triage::New => Ok(()),
            Triage::Linked(story) => backlog.link_feedback(id, StoryId(story), when),
            Triage::Dismissed(reason) => backlog.dismiss_feedback(id, reason, when),
            Triage::Converted(story) => {
                // The sample's story was made from the item before the
                // backlog was written down: it is marked so, not made
                // again.
                backlog
                    .link_feedback(id, StoryId(story), when)
                    .map(|()| converted(backlog, id))
            }
        };
        triaged.expect("the sample's stories are there");
    }
}

fn converted(backlog: &mut Backlog, id: FeedbackId) {
    if let Some(item) = backlog.product.feedback.iter_mut().find(|f| f.id == id) {
        Arc::make_mut(item).state = FeedbackState::Converted;
    }
}
