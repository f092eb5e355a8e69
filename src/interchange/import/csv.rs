//! CSV: any file with a header row, its columns mapped to fields by their
//! names. Jira's and Linear's exports are CSV with their own column names,
//! told apart by their headers.
//!
//! A header matches a field whatever its case, spaces, underscores and
//! hyphens (`Story Points`, `story_points`), and a unit after it in
//! brackets is left out (GitLab's `Created At (UTC)`); Jira's custom
//! fields are matched by the name inside `Custom field (…)`.

use std::path::Path;

use ::csv::{ByteRecord, Position, ReaderBuilder, StringRecord};

use super::read::Gather;
use super::values::{self, trimmed};
use super::{Field, Format, Mapping, Read, Record};

/// The header names each field is found under, best first, as
/// [`normalise`] writes them. Labels take every column of their name
/// (Jira repeats `Labels` once per label); every other field takes one.
const SYNONYMS: [(Field, &[&str]); 16] = [
    (
        Field::Title,
        &["title", "summary", "name", "subject", "text"],
    ),
    (Field::Description, &["description", "body", "details"]),
    (Field::AsA, &["asa", "asan"]),
    (Field::IWant, &["iwant"]),
    (Field::SoThat, &["sothat"]),
    (Field::Criteria, &["acceptancecriteria", "criteria"]),
    (
        Field::Points,
        &[
            "points",
            "storypoints",
            "storypointestimate",
            "estimate",
            "weight",
        ],
    ),
    (Field::Labels, &["labels", "tags", "label", "tag"]),
    (Field::Status, &["status", "state"]),
    (
        Field::Epic,
        &[
            "epic",
            "epicname",
            "epictitle",
            "parentsummary",
            "epiclink",
            "project",
        ],
    ),
    (
        Field::Key,
        &["key", "issuekey", "id", "issueid", "number", "iid"],
    ),
    (Field::Link, &["link", "url", "weburl", "issueurl"]),
    (
        Field::Created,
        &["created", "createdat", "createddate", "date"],
    ),
    (
        Field::Customer,
        &["customer", "reporter", "author", "requester", "creator"],
    ),
    (Field::Importance, &["importance", "priority"]),
    (Field::Channel, &["source", "channel"]),
];

/// Columns Linear's export has and a hand-made CSV rarely does.
const LINEAR_ONLY: [&str; 3] = ["team", "cyclenumber", "projectid"];

/// Jira, Linear or a plain CSV, told by the header row; `None` when the
/// file does not start with one.
pub(super) fn detect(bytes: &[u8]) -> Option<Format> {
    let mut reader = reader(bytes);
    let mut header = StringRecord::new();
    if !reader.read_record(&mut header).ok()? {
        return None;
    }
    let is_text = header.iter().all(|name| {
        !name
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
    });
    if !is_text || header.iter().all(|name| name.trim().is_empty()) {
        return None;
    }
    let names: Vec<String> = header.iter().map(normalise).collect();
    let has = |name: &str| names.iter().any(|known| known == name);
    Some(if has("issuekey") && has("summary") {
        Format::Jira
    } else if ["id", "title", "description", "status", "estimate"]
        .iter()
        .all(|name| has(name))
        && LINEAR_ONLY.iter().any(|name| has(name))
    {
        Format::Linear
    } else {
        Format::Csv
    })
}

/// The records of a CSV file `name` as `format` (plain CSV, Jira or
/// Linear), its columns found by name with `mapping` over them.
pub(super) fn read(
    bytes: &[u8],
    format: Format,
    mapping: &Mapping,
    name: &str,
) -> Result<Read, String> {
    let mut reader = reader(bytes);
    let mut header = StringRecord::new();
    match reader.read_record(&mut header) {
        Ok(true) => {}
        Ok(false) => {
            return Err(format!(
                "{name} is empty: a CSV file starts with a header row"
            ));
        }
        Err(_) => {
            return Err(format!(
                "{name}: the header row (line 1) is not UTF-8 text; save the file as UTF-8"
            ));
        }
    }
    let (columns, unread) = Columns::find(&header, mapping, name)?;
    let source = match format {
        Format::Jira => "jira".to_owned(),
        Format::Linear => "linear".to_owned(),
        _ => {
            let file = Path::new(name)
                .file_name()
                .map_or_else(|| name.into(), |file| file.to_string_lossy());
            format!("csv:{file}")
        }
    };
    let absent = columns.absent();
    let mut gather = Gather::default();
    // Jira's and Linear's exports have dozens of columns no story has a
    // place for; naming them would bury what matters.
    if format == Format::Csv && !unread.is_empty() {
        gather.note(format!("columns not read: {}", unread.join(", ")));
    }
    let mut row = ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut row) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => return Err(format!("{name}: {error}")),
        }
        let line = line_of(bytes, row.position());
        // Validated once for the whole row, then its cells are borrowed:
        // a row costs no allocation but the text it keeps.
        match StringRecord::from_byte_record(std::mem::take(&mut row)) {
            Ok(cells) => {
                if !cells.iter().all(|cell| cell.trim().is_empty()) {
                    columns.read_row(&cells, line, &source, &mut gather);
                }
                row = cells.into_byte_record();
            }
            Err(error) => {
                gather.problem(line, "not UTF-8 text; save the file as UTF-8");
                row = error.into_byte_record();
            }
        }
    }
    let mut read = gather.finish();
    read.absent = absent;
    Ok(read)
}

/// A reader of `bytes` with the delimiter its first line uses: a comma,
/// or a semicolon or tab as spreadsheets in many languages write.
fn reader(bytes: &[u8]) -> ::csv::Reader<&[u8]> {
    let first_line = &bytes[..memchr::memchr(b'\n', bytes).unwrap_or(bytes.len())];
    let mut quoted = false;
    let mut counts = [(b',', 0), (b';', 0), (b'\t', 0)];
    for &byte in first_line {
        if byte == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(count) = counts.iter_mut().find(|(d, _)| *d == byte) {
            count.1 += 1;
        }
    }
    // The first of the most used, so a comma wins a tie.
    let delimiter = counts
        .iter()
        .rev()
        .max_by_key(|(_, count)| *count)
        .map_or(b',', |(d, _)| *d);
    ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes)
}

/// The line where the row at `position` of `bytes` starts. The reader
/// places a row where it began to look for it, before the blank lines it
/// skipped: those are counted here.
fn line_of(bytes: &[u8], position: Option<&Position>) -> usize {
    let Some(position) = position else {
        return 0;
    };
    let mut line = usize::try_from(position.line()).unwrap_or(usize::MAX);
    let start = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    for &byte in bytes.get(start..).unwrap_or_default() {
        match byte {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
    }
    line
}

/// `header` as the synonyms are written: without a unit in brackets or
/// Jira's `Custom field (…)` around it, in lower case, without spaces,
/// underscores and hyphens.
fn normalise(header: &str) -> String {
    let header = header.trim();
    let header = match header.strip_suffix(')').and_then(|h| h.rsplit_once('(')) {
        Some((before, inside)) if before.trim().eq_ignore_ascii_case("custom field") => inside,
        Some((before, _)) if !before.trim().is_empty() => before,
        _ => header,
    };
    header
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

impl Columns {
    /// The fields no column of the file is read for.
    fn absent(&self) -> Vec<Field> {
        let has = [
            (Field::Description, self.description.is_some()),
            (Field::AsA, self.as_a.is_some()),
            (Field::IWant, self.i_want.is_some()),
            (Field::SoThat, self.so_that.is_some()),
            (Field::Criteria, self.criteria.is_some()),
            (Field::Points, self.points.is_some()),
            (Field::Labels, !self.labels.is_empty()),
            (Field::Status, self.status.is_some()),
            (Field::Epic, self.epic.is_some()),
            (Field::Link, self.link.is_some()),
            (Field::Created, self.created.is_some()),
            (Field::Customer, self.customer.is_some()),
            (Field::Importance, self.importance.is_some()),
            (Field::Channel, self.channel.is_some()),
        ];
        has.into_iter()
            .filter_map(|(field, there)| (!there).then_some(field))
            .collect()
    }
}

/// Where each field is in a row.
#[derive(Debug, Default, PartialEq)]
struct Columns {
    title: usize,
    description: Option<usize>,
    as_a: Option<usize>,
    i_want: Option<usize>,
    so_that: Option<usize>,
    criteria: Option<usize>,
    points: Option<usize>,
    labels: Vec<usize>,
    status: Option<usize>,
    epic: Option<usize>,
    key: Option<usize>,
    link: Option<usize>,
    created: Option<usize>,
    customer: Option<usize>,
    importance: Option<usize>,
    channel: Option<usize>,
}

impl Columns {
    /// The columns of `header` for each field, `mapping` first and then
    /// by name, each column used for one field; and the names of the
    /// columns left unread.
    fn find(
        header: &StringRecord,
        mapping: &Mapping,
        name: &str,
    ) -> Result<(Columns, Vec<String>), String> {
        let names: Vec<String> = header.iter().map(normalise).collect();
        let mut taken = vec![false; names.len()];
        let mut found: Vec<(Field, Vec<usize>)> = Vec::new();
        let all_named = |wanted: &str, taken: &[bool]| -> Vec<usize> {
            (0..names.len())
                .filter(|&i| !taken[i] && names[i] == wanted)
                .collect()
        };
        for (field, column) in &mapping.columns {
            let mut at = all_named(&normalise(column), &vec![false; names.len()]);
            if at.is_empty() {
                return Err(format!(
                    "{name} has no column {column:?} (its columns are {})",
                    listed(header.iter())
                ));
            }
            if *field != Field::Labels {
                at.truncate(1);
            }
            for &i in &at {
                taken[i] = true;
            }
            found.retain(|(known, _)| known != field);
            found.push((*field, at));
        }
        for (field, synonyms) in SYNONYMS {
            if found.iter().any(|(known, _)| *known == field) {
                continue;
            }
            let at = synonyms.iter().find_map(|synonym| {
                let mut at = all_named(synonym, &taken);
                if field != Field::Labels {
                    at.truncate(1);
                }
                (!at.is_empty()).then_some(at)
            });
            if let Some(at) = at {
                for &i in &at {
                    taken[i] = true;
                }
                found.push((field, at));
            }
        }
        let one = |field: Field| {
            found
                .iter()
                .find(|(known, _)| *known == field)
                .and_then(|(_, at)| at.first().copied())
        };
        let Some(title) = one(Field::Title) else {
            return Err(format!(
                "{name} has no title column (its columns are {}); name one with --map title=COLUMN",
                listed(header.iter())
            ));
        };
        let columns = Columns {
            title,
            description: one(Field::Description),
            as_a: one(Field::AsA),
            i_want: one(Field::IWant),
            so_that: one(Field::SoThat),
            criteria: one(Field::Criteria),
            points: one(Field::Points),
            labels: found
                .iter()
                .find(|(known, _)| *known == Field::Labels)
                .map(|(_, at)| at.clone())
                .unwrap_or_default(),
            status: one(Field::Status),
            epic: one(Field::Epic),
            key: one(Field::Key),
            link: one(Field::Link),
            created: one(Field::Created),
            customer: one(Field::Customer),
            importance: one(Field::Importance),
            channel: one(Field::Channel),
        };
        let mut unread: Vec<String> = Vec::new();
        for (i, column) in header.iter().enumerate() {
            let column = column.trim();
            if !taken[i] && !column.is_empty() && !unread.iter().any(|known| known == column) {
                unread.push(column.to_owned());
            }
        }
        Ok((columns, unread))
    }

    /// Reads the row `cells`, which starts at `line`, into `gather`.
    fn read_row(&self, cells: &StringRecord, line: usize, source: &str, gather: &mut Gather) {
        let cell = |column: Option<usize>| column.and_then(|i| cells.get(i)).unwrap_or("");
        let text = |column: Option<usize>| trimmed(cell(column));
        let points = match values::points(cell(self.points)) {
            Ok(points) => points,
            Err(what) => return gather.problem(line, what),
        };
        let mut labels = Vec::new();
        for &column in &self.labels {
            values::add_labels(cell(Some(column)), &mut labels);
        }
        let record = Record {
            line,
            source: source.to_owned(),
            key: text(self.key),
            link: text(self.link),
            title: cell(Some(self.title)).trim().to_owned(),
            description: cell(self.description).to_owned(),
            as_a: text(self.as_a),
            i_want: text(self.i_want),
            so_that: text(self.so_that),
            criteria: values::criteria(cell(self.criteria)),
            points,
            labels,
            status: text(self.status),
            epic: text(self.epic),
            created: gather.date(line, cell(self.created)),
            customer: text(self.customer),
            importance: text(self.importance),
            channel: text(self.channel),
        };
        gather.keep(record, "");
    }
}

/// The non-empty names of `columns`, for a message.
fn listed<'a>(columns: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = columns.map(str::trim).filter(|c| !c.is_empty()).collect();
    if names.is_empty() {
        "all unnamed".to_owned()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::import::Problem;
    use crate::interchange::import::testing::{at, fixture, problems, strings};

    fn read_as(bytes: &[u8], format: Format, name: &str) -> Read {
        super::super::read(bytes, format, &Mapping::default(), name).unwrap()
    }

    #[test]
    fn jira_export_field_by_field() {
        let read = read_as(&fixture("jira.csv"), Format::Jira, "exports/jira.csv");
        assert_eq!(read.problems, []);
        assert_eq!(read.notes, Vec::<String>::new());
        assert_eq!(read.records.len(), 3);
        let pay = &read.records[0];
        assert_eq!(
            *pay,
            Record {
                line: 2,
                source: "jira".to_owned(),
                key: Some("SHOP-12".to_owned()),
                link: None,
                title: "Pay by card at checkout".to_owned(),
                description: "Customers on the *Pro* plan ask to pay by card.\n\
                              \n\
                              h3. Notes\n\
                              * The \"hosted\" payment page keeps us out of PCI scope."
                    .to_owned(),
                as_a: None,
                i_want: None,
                so_that: None,
                criteria: vec![],
                points: Some(5.0),
                labels: strings(&["checkout", "payments"]),
                status: Some("In Progress".to_owned()),
                epic: Some("Checkout".to_owned()),
                created: Some(at("2024-03-12T10:15:00Z")),
                customer: Some("Ann Lee".to_owned()),
                importance: Some("High".to_owned()),
                channel: None,
            }
        );
        let refund = &read.records[1];
        assert_eq!(refund.line, 6);
        assert_eq!(refund.key.as_deref(), Some("SHOP-13"));
        assert_eq!(refund.points, Some(2.5));
        assert_eq!(refund.labels, ["payments"]);
        assert_eq!(refund.description, "");
        assert_eq!(refund.created, Some(at("2024-04-03T16:07:00Z")));
        let export = &read.records[2];
        assert_eq!(export.line, 7);
        assert_eq!(export.points, None);
        assert_eq!(export.labels, Vec::<String>::new());
        assert_eq!(export.status.as_deref(), Some("Done"));
        assert_eq!(export.epic, None);
    }

    #[test]
    fn linear_export_field_by_field() {
        let read = read_as(&fixture("linear.csv"), Format::Linear, "linear.csv");
        assert_eq!(read.problems, []);
        assert_eq!(read.notes, Vec::<String>::new());
        assert_eq!(read.records.len(), 3);
        assert_eq!(
            read.records[0],
            Record {
                line: 2,
                source: "linear".to_owned(),
                key: Some("ENG-101".to_owned()),
                link: None,
                title: "Onboarding checklist for new workspaces".to_owned(),
                description: "## Why\n\nNew admins do not know where to start.\n\n\
                              - [ ] Invite the team\n- [ ] Connect GitHub"
                    .to_owned(),
                as_a: None,
                i_want: None,
                so_that: None,
                criteria: vec![],
                points: Some(3.0),
                labels: strings(&["Feature", "UX"]),
                status: Some("In Progress".to_owned()),
                epic: Some("Onboarding".to_owned()),
                created: Some(at("2024-05-14T08:53:33Z")),
                customer: Some("ann@acme.test".to_owned()),
                importance: Some("High".to_owned()),
                channel: None,
            }
        );
        let crash = &read.records[1];
        assert_eq!(crash.line, 8);
        assert_eq!(crash.key.as_deref(), Some("ENG-102"));
        assert_eq!(crash.points, None);
        assert_eq!(crash.labels, ["Bug"]);
        assert_eq!(crash.epic, None);
        assert_eq!(crash.importance.as_deref(), Some("Urgent"));
        assert_eq!(read.records[2].status.as_deref(), Some("Backlog"));
    }

    #[test]
    fn plain_csv_with_synonyms_and_a_quoted_multi_line_description() {
        let read = read_as(&fixture("stories.csv"), Format::Csv, "in/stories.csv");
        assert_eq!(read.problems, []);
        assert_eq!(read.notes, ["columns not read: Notes"]);
        assert_eq!(
            read.records[0],
            Record {
                line: 2,
                source: "csv:stories.csv".to_owned(),
                key: Some("S1".to_owned()),
                link: Some("https://wiki.example.com/pay".to_owned()),
                title: "Pay by card".to_owned(),
                description: "Customers asked for cards.\nUse the \"hosted\" page.".to_owned(),
                as_a: Some("shopper".to_owned()),
                i_want: Some("to pay by card".to_owned()),
                so_that: Some("I need no invoice".to_owned()),
                criteria: vec![
                    ("Visa works".to_owned(), false),
                    ("Receipt sent".to_owned(), true)
                ],
                points: Some(5.0),
                labels: strings(&["payments", "checkout"]),
                status: Some("ready".to_owned()),
                epic: Some("Checkout".to_owned()),
                created: Some(at("2024-03-12T00:00:00Z")),
                customer: Some("Ann".to_owned()),
                importance: None,
                channel: None,
            }
        );
        let refund = &read.records[1];
        assert_eq!(refund.line, 5);
        assert_eq!(refund.points, Some(2.5));
        assert_eq!(refund.as_a, None);
        assert_eq!(refund.criteria, []);
        assert_eq!(refund.created, Some(at("2024-03-13T10:00:00Z")));
        let export = &read.records[2];
        assert_eq!(export.line, 6);
        assert_eq!(export.title, "Export orders");
        assert_eq!(export.criteria, [("Totals match".to_owned(), false)]);
        assert_eq!(export.created, None);
        assert_eq!(export.link, None);
    }

    #[test]
    fn feedback_csv_for_the_inbox() {
        let read = read_as(&fixture("feedback.csv"), Format::Csv, "feedback.csv");
        assert_eq!(read.problems, []);
        assert_eq!(read.notes, Vec::<String>::new());
        let got: Vec<_> = read
            .records
            .iter()
            .map(|r| {
                (
                    r.line,
                    r.title.as_str(),
                    r.customer.as_deref(),
                    r.importance.as_deref(),
                    r.channel.as_deref(),
                    r.created.map(|d| d.to_rfc3339()),
                    r.link.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    2,
                    "Please let us pay by card, our finance team refuses invoices",
                    Some("Acme Ltd"),
                    Some("3"),
                    Some("sales"),
                    Some("2024-03-12T00:00:00+00:00".to_owned()),
                    Some("https://crm.example.com/deals/881"),
                ),
                (
                    3,
                    "Export to Excel would save us an hour a week",
                    Some("Globex"),
                    Some("important"),
                    Some("support"),
                    Some("2024-03-14T09:30:00+00:00".to_owned()),
                    None,
                ),
                (
                    4,
                    "The checkout page times out on mobile.\nIt happened three times this week.",
                    Some("Initech"),
                    Some("critical"),
                    Some("support"),
                    Some("2024-03-12T10:15:00+00:00".to_owned()),
                    Some("https://support.example.com/tickets/5512"),
                ),
            ]
        );
        assert!(
            read.records
                .iter()
                .all(|r| r.source == "csv:feedback.csv" && r.key.is_none())
        );
    }

    #[test]
    fn a_row_without_a_title_is_reported_and_the_others_read() {
        let read = read_as(
            &fixture("missing-title.csv"),
            Format::Csv,
            "missing-title.csv",
        );
        assert_eq!(problems(&read), [(4, "no title")]);
        let kept: Vec<_> = read
            .records
            .iter()
            .map(|r| (r.line, r.key.as_deref()))
            .collect();
        assert_eq!(kept, [(2, Some("A-1")), (5, Some("A-3"))]);
        assert_eq!(read.records[0].description, "Two\nlines");
    }

    #[test]
    fn a_key_seen_earlier_is_reported_with_both_lines() {
        let read = read_as(
            &fixture("duplicate-ids.csv"),
            Format::Csv,
            "duplicate-ids.csv",
        );
        assert_eq!(problems(&read), [(4, "7 appears again (first at line 2)")]);
        let kept: Vec<_> = read.records.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(kept, ["Pay by card", "Refunds", "Receipts"]);
    }

    #[test]
    fn a_row_that_is_not_utf8_is_reported_and_the_others_read() {
        let bytes = fixture("not-utf8.csv");
        assert!(
            std::str::from_utf8(&bytes).is_err(),
            "the fixture has a Latin-1 byte"
        );
        let read = read_as(&bytes, Format::Csv, "not-utf8.csv");
        assert_eq!(
            problems(&read),
            [(3, "not UTF-8 text; save the file as UTF-8")]
        );
        let kept: Vec<_> = read
            .records
            .iter()
            .map(|r| (r.line, r.title.as_str()))
            .collect();
        assert_eq!(kept, [(2, "Pay by card"), (4, "Refunds")]);
    }

    #[test]
    fn a_huge_field_is_read_whole() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("huge-field.csv");
        let description = "Lorem ipsum, \"dolor\" sit amet.\n".repeat(33_000);
        assert!(description.len() > 1_000_000);
        let mut text = "title,description\nSmall,first\nHuge,\"".to_owned();
        text.push_str(&description.replace('"', "\"\""));
        text.push_str("\"\nAfter,last\n");
        std::fs::write(&path, &text).unwrap();
        let read = read_as(
            &std::fs::read(&path).unwrap(),
            Format::Csv,
            "huge-field.csv",
        );
        assert_eq!(read.problems, []);
        assert_eq!(read.records.len(), 3);
        assert_eq!(read.records[1].description, description);
        assert_eq!(read.records[2].line, 3 + 33_000 + 1);
        assert_eq!(read.records[2].title, "After");
    }

    #[test]
    fn an_estimate_that_is_not_a_number_is_reported() {
        let read = read_as(b"title,points\nA,3\nB,L\nC,\n", Format::Csv, "p.csv");
        assert_eq!(
            problems(&read),
            [(3, "points \"L\" is not a number of points")]
        );
        let kept: Vec<_> = read
            .records
            .iter()
            .map(|r| (r.title.as_str(), r.points))
            .collect();
        assert_eq!(kept, [("A", Some(3.0)), ("C", None)]);
    }

    #[test]
    fn a_map_overrides_the_names() {
        let text = b"Name,Summary,Size,Estimate,Who\nAnn,Pay by card,5,8,Acme\n";
        let mapping = Mapping {
            columns: vec![
                (Field::Title, "summary".to_owned()),
                (Field::Customer, "name".to_owned()),
                (Field::Points, "SIZE".to_owned()),
                (Field::Channel, " w_h-o ".to_owned()),
            ],
        };
        let read = super::super::read(text, Format::Csv, &mapping, "m.csv").unwrap();
        let story = &read.records[0];
        assert_eq!(story.title, "Pay by card");
        assert_eq!(story.customer.as_deref(), Some("Ann"));
        assert_eq!(story.points, Some(5.0));
        assert_eq!(story.channel.as_deref(), Some("Acme"));
        assert_eq!(read.notes, ["columns not read: Estimate"]);
    }

    #[test]
    fn a_mapped_column_not_in_the_file_names_the_columns_there_are() {
        let mapping = Mapping {
            columns: vec![(Field::Points, "Size".to_owned())],
        };
        let error = super::super::read(b"Title,Points\nA,1\n", Format::Csv, &mapping, "m.csv");
        assert_eq!(
            error,
            Err("m.csv has no column \"Size\" (its columns are Title, Points)".to_owned())
        );
    }

    #[test]
    fn a_file_without_a_title_column_names_its_columns() {
        let error = super::super::read(
            b"Key,Points,Owner\nA,1,Ann\n",
            Format::Csv,
            &Mapping::default(),
            "t.csv",
        );
        assert_eq!(
            error,
            Err(
                "t.csv has no title column (its columns are Key, Points, Owner); \
                 name one with --map title=COLUMN"
                    .to_owned()
            )
        );
        let empty = super::super::read(b"", Format::Csv, &Mapping::default(), "e.csv");
        assert_eq!(
            empty,
            Err("e.csv is empty: a CSV file starts with a header row".to_owned())
        );
    }

    #[test]
    fn every_synonym_finds_its_field_however_it_is_written() {
        for (field, synonyms) in SYNONYMS {
            for synonym in synonyms {
                // A header as a person might write it: capitals, a space,
                // an underscore or a hyphen inside.
                let mut header = synonym.to_uppercase();
                header.insert(1, [' ', '_', '-'][synonym.len() % 3]);
                let header = if field == Field::Title {
                    StringRecord::from(vec![header])
                } else {
                    StringRecord::from(vec!["Summary".to_owned(), header])
                };
                let (columns, unread) =
                    Columns::find(&header, &Mapping::default(), "s.csv").unwrap();
                assert!(unread.is_empty(), "{header:?}: {unread:?}");
                let at = usize::from(field != Field::Title);
                let found = match field {
                    Field::Title => Some(columns.title),
                    Field::Description => columns.description,
                    Field::AsA => columns.as_a,
                    Field::IWant => columns.i_want,
                    Field::SoThat => columns.so_that,
                    Field::Criteria => columns.criteria,
                    Field::Points => columns.points,
                    Field::Labels => columns.labels.first().copied(),
                    Field::Status => columns.status,
                    Field::Epic => columns.epic,
                    Field::Key => columns.key,
                    Field::Link => columns.link,
                    Field::Created => columns.created,
                    Field::Customer => columns.customer,
                    Field::Importance => columns.importance,
                    Field::Channel => columns.channel,
                };
                assert_eq!(found, Some(at), "{header:?} for {field:?}");
            }
        }
    }

    #[test]
    fn headers_match_without_units_and_jira_custom_fields_by_their_name() {
        assert_eq!(normalise(" Story_Points "), "storypoints");
        assert_eq!(normalise("Custom field (Story Points)"), "storypoints");
        assert_eq!(normalise("Created At (UTC)"), "createdat");
        assert_eq!(normalise("(id)"), "(id)");
        assert_eq!(normalise("Web-URL"), "weburl");
    }

    #[test]
    fn every_labels_column_is_read_and_the_first_of_any_other() {
        let text = b"Summary,Labels,Labels,Labels,Status,Status\nA,ui,\"x, y\",ui,open,closed\n";
        let read = read_as(text, Format::Csv, "l.csv");
        assert_eq!(read.records[0].labels, ["ui", "x", "y"]);
        assert_eq!(read.records[0].status.as_deref(), Some("open"));
        assert_eq!(read.notes, ["columns not read: Status"]);
    }

    #[test]
    fn semicolons_and_tabs_separate_as_well_as_commas() {
        for text in [
            "Title;Points;Tags\n\"Pay; by card\";1,5;\"a;b\"\n",
            "Title\tPoints\tTags\nPay; by card\t1,5\ta;b\n",
        ] {
            let read = read_as(text.as_bytes(), Format::Csv, "s.csv");
            assert_eq!(read.problems, [], "{text:?}");
            let story = &read.records[0];
            assert_eq!(story.title, "Pay; by card", "{text:?}");
            assert_eq!(story.points, Some(1.5), "{text:?}");
            assert_eq!(story.labels, ["a;b"], "{text:?}");
        }
        let read = read_as(
            b"Title,Description\n\"a;b;c\",x;y;z\n",
            Format::Csv,
            "c.csv",
        );
        assert_eq!(read.records[0].title, "a;b;c");
    }

    #[test]
    fn empty_rows_are_no_rows_and_text_is_kept_as_the_source_has_it() {
        let text =
            "title,description\n,,\n\nPay \u{1b}[31mnow\u{1b}[0m ,\"  keep\tthis \r\n\"\n,\n";
        let read = read_as(text.as_bytes(), Format::Csv, "e.csv");
        assert_eq!(read.problems, Vec::<Problem>::new());
        assert_eq!(read.records.len(), 1);
        assert_eq!(read.records[0].line, 4);
        assert_eq!(read.records[0].title, "Pay \u{1b}[31mnow\u{1b}[0m");
        assert_eq!(read.records[0].description, "  keep\tthis \r\n");
    }

    #[test]
    fn the_source_of_a_plain_csv_is_its_file_name() {
        for name in [
            "stories.csv",
            "/home/ann/exports/stories.csv",
            "exports/stories.csv",
        ] {
            let read = read_as(b"title\nA\n", Format::Csv, name);
            assert_eq!(read.records[0].source, "csv:stories.csv", "{name}");
        }
        let read = read_as(
            b"Title,ID,URL\nA,7,https://example.com/7\n",
            Format::Linear,
            "l.csv",
        );
        assert_eq!(read.records[0].source, "linear");
        assert_eq!(
            read.records[0].link.as_deref(),
            Some("https://example.com/7")
        );
    }
}
