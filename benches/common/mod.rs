//! What the benchmarks generate their data with: a deterministic LCG and,
//! for everything that measures the backlog at scale (`benches/backlog.rs`,
//! `examples/save_peak.rs`, `examples/scale.rs`), one backlog of
//! real-looking stories.
//!
//! A story saved from [`backlog`] takes about 1.1 KB, as the scale issue
//! asks: a title of varied length, the user story, a Markdown description
//! (paragraphs, now and then a bullet list, `code` and a link), one to
//! four acceptance criteria, labels, one of a few dozen epics, an estimate
//! on the Fibonacci scale or none, a status (most draft or ready), and a
//! comment on some. Its words come from a vocabulary of several hundred,
//! the common ones drawn far more often than the rare ones, as in real
//! text: a search's first letters match most stories, a whole word few.

#![allow(
    dead_code,
    reason = "each bench and example includes this file and uses its own part of it"
)]

use backlog::model::{Backlog, Comment, Criterion, Points, Product, Status, Story, StoryId};
use backlog::rank::Rank;
use backlog::words::capitalised;
use chrono::{DateTime, TimeZone, Utc};

/// A small deterministic generator (Knuth's MMIX LCG), so every run
/// benchmarks the same data.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A value in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next()).expect("31 bits fit in usize") % n
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A value in `0..n`, the small ones far more often than the large:
    /// k about in proportion to ln(n / (k + 1)).
    pub fn skewed(&mut self, n: usize) -> usize {
        let limit = self.below(n) + 1;
        self.below(limit)
    }

    /// One of `items`, the first ones far more often than the last, near
    /// enough to how often words come in real text for a search to behave
    /// as it would there.
    pub fn common<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.skewed(items.len())]
    }
}

/// What a story's title does.
pub const VERBS: &[&str] = &[
    "Export",
    "Import",
    "Filter",
    "Search",
    "Archive",
    "Share",
    "Schedule",
    "Review",
    "Approve",
    "Reconcile",
    "Print",
    "Label",
];

/// Things a product deals in, the common first; each takes an `s` in the
/// plural.
const NOUNS: &str = "\
    invoice customer report order payment account user page export booking message team \
    product dashboard email ticket list file project member refund field button screen \
    setting filter record document reminder notification subscription shipment supplier \
    contract discount approval ledger warehouse renewal audit address alert attachment badge \
    balance banner basket budget calendar campaign card cart category channel chart checkout \
    column comment coupon credential deadline deposit device domain draft employee endpoint \
    error event form invitation item job key label language layout limit link login menu \
    metric milestone note owner parcel partner password permission plan profile quote \
    receipt region request reservation result return review role rule schedule seat segment \
    session shift signature site slot statement step store tag task template timesheet token \
    total tour transfer trial upload vendor voucher webhook widget workflow workspace payout \
    payslip holiday roster courier pallet barcode locker venue table thumbnail avatar backup \
    batch certificate cohort console dispute estimate feed forecast gateway guide handover \
    import incident journal kiosk lead licence mailbox mandate manifest margin meter module \
    mortgage newsletter offer outage panel pipeline policy portal preview printer queue \
    rating rebate refill retailer route sample scanner sensor shortcut sponsor stamp sticker \
    survey tariff tenant threshold timetable trailer tutorial unit variant version visit \
    wallet waypoint wishlist zone coach";

/// What is said of a thing.
const ADJECTIVES: &str = "\
    new monthly open current last whole empty shared weekly overdue draft default custom \
    large small recent daily archived pending failed duplicate missing annual local public \
    private printable detailed short quarterly partial manual automatic bulk optional \
    mandatory expired cancelled locked unpaid signed blank colour-coded searchable sortable \
    translated mobile offline secure legacy nightly regional internal external visible \
    hidden editable read-only grouped filtered ranked flagged scheduled temporary permanent \
    first next previous upcoming historic accessible slow fast broken confusing clear \
    consistent exact rounded estimated";

/// What a user does to a thing, in the base form.
const ACTIONS: &str = "\
    see export filter sort search change cancel approve share print download upload archive \
    restore rename merge split tag review schedule send resend sign pay refund book move \
    copy delete hide pin compare group import reconcile check confirm track assign reassign \
    invite remind notify preview edit lock unlock close reopen reorder estimate flag \
    translate summarise attach scan update verify validate publish bookmark duplicate follow \
    rate report replace reuse save skip transfer";

/// Who the user story is for.
const ROLES: &[&str] = &[
    "customer",
    "finance officer",
    "support agent",
    "account manager",
    "team lead",
    "new customer",
    "returning customer",
    "store manager",
    "administrator",
    "warehouse clerk",
    "sales rep",
    "API developer",
    "shift planner",
    "auditor",
    "marketing manager",
    "guest",
    "member",
    "courier",
    "venue owner",
    "partner",
    "teacher",
    "parent",
    "payroll clerk",
    "screen reader user",
];

/// How, where or when a thing is done.
const QUALIFIERS: &[&str] = &[
    "as a spreadsheet",
    "from the dashboard",
    "by date range",
    "in bulk",
    "on mobile",
    "without signing in again",
    "for one region",
    "before the month closes",
    "per team",
    "with one click",
    "offline",
    "in the customer's language",
    "every night",
    "from the API",
    "by email",
    "on the first page",
    "for the whole account",
    "at checkout",
    "in the weekly report",
    "from the list view",
    "for each warehouse",
    "with a keyboard only",
    "on a slow connection",
    "after the trial ends",
];

/// Why a story matters, finishing "so that".
const REASONS: &[&str] = &[
    "I can close the month on time",
    "nobody has to retype the figures",
    "customers get an answer the same day",
    "mistakes are caught before they cost money",
    "I can plan the next sprint with real numbers",
    "I do not have to call support",
    "the team sees what changed overnight",
    "I can find it again later",
    "the auditors get what they ask for",
    "I know what I will pay before I pay",
    "the warehouse ships the right parcel",
    "I can work on the train",
    "our partners stop emailing spreadsheets",
    "I trust the totals",
    "new staff learn it without training",
    "we stop losing bookings at the weekend",
];

/// What goes wrong, in a bug's title or a description.
const PROBLEMS: &[&str] = &[
    "shows the wrong total",
    "times out on large accounts",
    "is sent twice",
    "loses the draft",
    "ignores the time zone",
    "rounds the amount down",
    "fails on an empty list",
    "breaks on a slow connection",
    "shows yesterday's figures",
    "cuts off long names",
    "sorts numbers as text",
    "forgets the chosen filter",
    "hangs after the upload",
    "skips the last page",
];

/// Labels, lowercase as a team keeps them.
pub const LABELS: &[&str] = &[
    "ux",
    "backend",
    "frontend",
    "api",
    "mobile",
    "payments",
    "reporting",
    "tech-debt",
    "security",
    "performance",
    "accessibility",
    "bug",
    "customer-request",
    "compliance",
    "i18n",
    "onboarding",
    "search",
    "notifications",
    "integrations",
    "data",
    "infra",
    "design",
    "spike",
    "quick-win",
];

/// Epics: a few dozen, as a product a few years old has.
const EPICS: &[&str] = &[
    "Billing",
    "Onboarding",
    "Reporting",
    "Self-service",
    "Mobile app",
    "Checkout",
    "Search",
    "Notifications",
    "Partner API",
    "Accessibility",
    "Warehouse",
    "Returns",
    "Subscriptions",
    "Loyalty",
    "Admin console",
    "Data export",
    "Single sign-on",
    "Audit trail",
    "Scheduling",
    "Invoicing",
    "Tax",
    "Payroll",
    "Shipping",
    "Inventory",
    "Customer portal",
    "Help centre",
    "Localisation",
    "Performance",
    "Security hardening",
    "Dashboards",
    "Integrations",
    "Pricing",
    "Gift cards",
    "Bookings",
    "Waitlist",
    "Offline mode",
];

/// Who comments, and who a description names.
const PEOPLE: &str = "\
    Ann Ben Chidi Dana Emeka Fatima Goran Hana Inès Jonas Keiko Lars Maya Nikhil Olga Pedro \
    Quinn Rosa Søren Tariq Uma Vera Wei Yusuf Zoë Łukasz Ayşe José";

/// Sentences of a description, with places for words: `{noun}`,
/// `{nouns}` (plural), `{adj}`, `{action}`, `{role}`, `{roles}`,
/// `{person}`, `{problem}`, `{qualifier}`, `{n}`, `{code}` and `{link}`.
const SENTENCES: &[&str] = &[
    "Today the {role} has to {action} each {noun} by hand, which takes about {n} minutes.",
    "The {noun} page should show the {adj} {noun} next to the {noun}.",
    "When the {noun} is {adj}, {action} the {noun} and tell the {role}.",
    "Support gets about {n} tickets a week about {nouns} that {problem}.",
    "Keep the {adj} {noun} as it is; only the {noun} changes.",
    "See {link} for the {adj} design.",
    "This depends on the {noun} service returning `{code}`.",
    "Out of scope: the {adj} {nouns} and anything {qualifier}.",
    "{Roles} asked for this in the last two reviews.",
    "Ask {person} about the {adj} {noun} before starting.",
    "The {noun} {problem} when there are more than {n} {nouns}.",
    "We already store the {noun} in `{code}`, so no migration is needed.",
    "A {role} should be able to {action} the {nouns} {qualifier}.",
    "Nothing changes for {roles} who never use {nouns}.",
    "The {adj} {noun} must match what finance prints today, column for column.",
    "{person} tried a prototype with {n} {roles} last week; most found the {noun} at once.",
    "Use the {adj} {noun} component, not a new one.",
    "If the {noun} is {adj}, show a short message that says what to do next.",
    "Measure how often the {noun} is used before and after.",
    "The old {noun} screen goes away once this ships.",
    "Legal asked that the {noun} keeps every {adj} {noun} for {n} years.",
    "The {adj} {nouns} come from the {noun} job that runs {qualifier}.",
];

/// Bullet points of a description's list.
const BULLETS: &[&str] = &[
    "{action} the {adj} {noun}",
    "show the {noun} and its {noun}",
    "keep the {noun} when the {noun} is {adj}",
    "a link back to the {noun}",
    "`{code}` stays as it is",
    "no change for {roles}",
    "the {noun} {qualifier}",
    "an empty state for no {nouns}",
];

/// Acceptance criteria.
const CHECKS: &[&str] = &[
    "Given a {adj} {noun}, when the {role} opens it, then it shows the {noun}",
    "The {noun} list shows the {noun} and its {noun}",
    "An error says what to do when the {noun} is {adj}",
    "Works with {n} {nouns} in under two seconds",
    "Only {roles} see the {noun} button",
    "The change is recorded in the audit log",
    "Keyboard users can reach every {noun} control",
    "A screen reader reads the {noun} and its {noun} in order",
    "The {noun} matches the {adj} {noun} to the cent",
    "The {role} can {action} the {noun} {qualifier}",
    "Nothing is sent when the {noun} is {adj}",
];

/// Comments on a story.
const COMMENTS: &[&str] = &[
    "Talked to {person}: the {adj} {noun} is what they need first.",
    "Could we {action} the {nouns} {qualifier} instead?",
    "Estimate assumes the {noun} API is ready.",
    "Blocked until the {noun} team ships `{code}`.",
    "Customers keep asking for this; see {link}.",
    "Split the {adj} part off if this grows past a sprint.",
    "Design is in {link}.",
];

/// Estimates on the Fibonacci scale; a story that is ready has one of at
/// most 13, as the Definition of Ready asks.
const POINTS: &[f64] = &[1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0];

/// A backlog of `stories` real-looking stories, S-1 to S-`stories`, whose
/// rank order is a shuffle of their id order, as a backlog groomed for
/// years has it. The same `stories` gives the same backlog every time.
pub fn backlog(stories: usize) -> Backlog {
    let mut writer = Writer::new(Lcg(0x5eed));
    let mut ranks: Vec<Option<Rank>> = Rank::spread(stories).into_iter().map(Some).collect();
    // Fisher-Yates.
    for i in (1..ranks.len()).rev() {
        ranks.swap(i, writer.rng.below(i + 1));
    }
    let made = ranks
        .into_iter()
        .zip(1u64..)
        .map(|(rank, id)| writer.story(id, rank.expect("each key once")))
        .collect();
    let product = Product {
        vision: "One place for every back-office task.".to_string(),
        goals: vec![
            "Close the month in a day".to_string(),
            "Answer every customer the same day".to_string(),
        ],
        ..Product::new("Back office")
    };
    Backlog::from_parts(product, u64::try_from(stories).expect("small") + 1, made)
        .expect("ids are distinct")
}

/// Writes stories: the generator, and the word lists split once.
struct Writer {
    rng: Lcg,
    nouns: Vec<&'static str>,
    adjectives: Vec<&'static str>,
    actions: Vec<&'static str>,
    people: Vec<&'static str>,
}

impl Writer {
    fn new(rng: Lcg) -> Writer {
        Writer {
            rng,
            nouns: NOUNS.split_whitespace().collect(),
            adjectives: ADJECTIVES.split_whitespace().collect(),
            actions: ACTIONS.split_whitespace().collect(),
            people: PEOPLE.split_whitespace().collect(),
        }
    }

    fn noun(&mut self) -> &'static str {
        self.rng.common(&self.nouns)
    }

    fn adjective(&mut self) -> &'static str {
        self.rng.common(&self.adjectives)
    }

    fn action(&mut self) -> &'static str {
        self.rng.common(&self.actions)
    }

    /// Story `id`, at `rank`.
    fn story(&mut self, id: u64, rank: Rank) -> Story {
        // Statuses as a living backlog has them: most draft or ready.
        let status = match self.rng.below(100) {
            0..=44 => Status::Draft,
            45..=74 => Status::Ready,
            75..=82 => Status::InProgress,
            83..=96 => Status::Done,
            _ => Status::Rejected,
        };
        let created = self.at(1_704_067_200 + i64::try_from(id).expect("small id") * 97);
        let title = self.title();
        let mut story = Story::new(StoryId(id), rank, title, created);
        story.status = status;
        // A draft may still lack its user story; any other has one.
        if status != Status::Draft || self.rng.chance(70) {
            story.as_a = self.rng.common(ROLES).to_string();
            story.i_want = format!(
                "to {} the {} {}",
                self.action(),
                plural(self.noun()),
                self.rng.pick(QUALIFIERS)
            );
            story.so_that = self.rng.pick(REASONS).to_string();
        }
        story.description = self.description();
        let criteria = match status {
            Status::Draft => self.rng.below(4),
            _ => 1 + self.rng.below(4),
        };
        story.acceptance_criteria = (0..criteria)
            .map(|_| {
                let check = self.rng.pick(CHECKS);
                Criterion {
                    text: self.fill(check),
                    done: status == Status::Done
                        || (status == Status::InProgress && self.rng.chance(40)),
                }
            })
            .collect();
        let estimated = status != Status::Draft || self.rng.chance(55);
        story.points = estimated.then(|| {
            let most = if status == Status::Ready { 6 } else { 7 };
            Points::new(POINTS[self.rng.below(most)]).expect("a Fibonacci estimate")
        });
        for _ in 0..self.rng.below(4) {
            let label = self.rng.common(LABELS).to_string();
            if !story.labels.contains(&label) {
                story.labels.push(label);
            }
        }
        story.epic = self
            .rng
            .chance(85)
            .then(|| self.rng.common(EPICS).to_string());
        let seconds = i64::try_from(self.rng.below(400 * 86_400)).expect("small");
        story.updated = created + chrono::Duration::seconds(seconds);
        if self.rng.chance(18) {
            for n in 0..=self.rng.below(2) {
                let hours = i64::try_from(n).expect("small");
                let when = story.updated - chrono::Duration::hours(hours);
                let comment = self.rng.pick(COMMENTS);
                let text = self.fill(comment);
                let author = self.rng.pick(&self.people);
                story.comments.insert(0, Comment::new(when, author, text));
            }
        }
        story
    }

    /// A time on or after `seconds`, to the nanosecond as the program
    /// stamps them.
    fn at(&mut self, seconds: i64) -> DateTime<Utc> {
        let nanos = u32::try_from(self.rng.next() % 1_000_000_000).expect("under a second");
        Utc.timestamp_opt(seconds, nanos)
            .single()
            .expect("a valid time")
    }

    /// A title of 10 to 90 characters or so, in one of the shapes titles
    /// take.
    fn title(&mut self) -> String {
        let text = match self.rng.below(8) {
            0 => format!("{} {}", self.rng.pick(VERBS), plural(self.noun())),
            1 | 2 => format!(
                "{} {} {}",
                self.action(),
                plural(self.noun()),
                self.rng.pick(QUALIFIERS)
            ),
            3 => format!(
                "{} {} {}",
                self.adjective(),
                self.noun(),
                self.rng.pick(PROBLEMS)
            ),
            4 => format!(
                "Let {} {} the {} {}",
                plural(self.rng.common(ROLES)),
                self.action(),
                self.adjective(),
                plural(self.noun())
            ),
            5 => format!(
                "{} {}: {} the {} {} {}",
                self.noun(),
                self.noun(),
                self.action(),
                self.adjective(),
                plural(self.noun()),
                self.rng.pick(QUALIFIERS)
            ),
            6 => format!(
                "Show {} {} on the {} screen",
                self.adjective(),
                plural(self.noun()),
                self.noun()
            ),
            _ => format!("{} the {} {}", self.action(), self.adjective(), self.noun()),
        };
        capitalised(&text)
    }

    /// A Markdown description: none on some, otherwise one to four
    /// paragraphs, and on some a bullet list.
    fn description(&mut self) -> String {
        if self.rng.chance(8) {
            return String::new();
        }
        let paragraphs = 1 + self.rng.skewed(4);
        let list_after = self.rng.chance(35).then(|| self.rng.below(paragraphs));
        let mut text = String::new();
        for n in 0..paragraphs {
            if n > 0 {
                text.push_str("\n\n");
            }
            for s in 0..=self.rng.below(3) {
                if s > 0 {
                    text.push(' ');
                }
                let sentence = self.rng.pick(SENTENCES);
                text.push_str(&capitalised(&self.fill(sentence)));
            }
            if list_after == Some(n) {
                text.push('\n');
                for _ in 0..2 + self.rng.below(3) {
                    text.push_str("\n- ");
                    let bullet = self.rng.pick(BULLETS);
                    text.push_str(&capitalised(&self.fill(bullet)));
                }
            }
        }
        text
    }

    /// `template` with each place filled with a word of its kind.
    fn fill(&mut self, template: &str) -> String {
        let mut text = String::with_capacity(template.len() + 40);
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            text.push_str(&rest[..start]);
            let end = start + rest[start..].find('}').expect("a place is closed");
            let word = match &rest[start + 1..end] {
                "noun" => self.noun().to_string(),
                "nouns" => plural(self.noun()),
                "adj" => self.adjective().to_string(),
                "action" => self.action().to_string(),
                "role" => self.rng.common(ROLES).to_string(),
                "roles" => plural(self.rng.common(ROLES)),
                "Roles" => capitalised(&plural(self.rng.common(ROLES))),
                "person" => self.rng.pick(&self.people).to_string(),
                "problem" => self.rng.pick(PROBLEMS).to_string(),
                "qualifier" => self.rng.pick(QUALIFIERS).to_string(),
                "n" => (2 + self.rng.skewed(500)).to_string(),
                "code" => self.code(),
                "link" => self.link(),
                other => panic!("no words for {{{other}}}"),
            };
            text.push_str(&word);
            rest = &rest[end + 1..];
        }
        text.push_str(rest);
        text
    }

    /// What a description puts in backquotes: a field, a call or a file.
    fn code(&mut self) -> String {
        let (a, b) = (self.noun(), self.noun());
        match self.rng.below(3) {
            0 => format!("{a}_{b}_id"),
            1 => format!("GET /api/v2/{}/{{id}}/{}", plural(a), plural(b)),
            _ => format!("{a}-{b}.csv"),
        }
    }

    /// A link, as Markdown: to the wiki, or to a ticket.
    fn link(&mut self) -> String {
        let (a, b) = (self.noun(), self.noun());
        if self.rng.chance(50) {
            format!("[the {a} notes](https://wiki.example.com/product/{a}-{b})")
        } else {
            format!(
                "[ticket {n}](https://support.example.com/tickets/{n})",
                n = 10_000 + self.rng.below(90_000)
            )
        }
    }
}

fn plural(word: &str) -> String {
    format!("{word}s")
}
