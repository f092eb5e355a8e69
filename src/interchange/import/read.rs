//! Reading a file in any import format into records: telling the format
//! from the content, the text encoding every format shares, and the rules
//! every row obeys whatever its format (a title, a key once per file).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{Format, Mapping, Problem, Read, Record, csv, trackers, values};

const BYTE_ORDER_MARK: &[u8] = "\u{feff}".as_bytes();

/// The format of a file, told from its content; `None` when it is none
/// this program reads.
///
/// JSON is told by the fields of its first object: `schema` is this
/// program's own file, `number` and `url` a GitHub issue, `iid` or
/// `web_url` a GitLab one, `uuid`, `entry` and `description` a
/// Taskwarrior task. CSV is told by its header: Jira's has `Issue key`
/// and `Summary`, Linear's its own set of columns, and any other header
/// is a plain CSV.
#[must_use]
pub fn detect(bytes: &[u8]) -> Option<Format> {
    if utf16_sign(bytes).is_some() {
        // Told as the same text in UTF-8 would be; reading it then says
        // to save it as UTF-8.
        return detect(utf16_text(bytes).as_bytes());
    }
    let bytes = bytes.strip_prefix(BYTE_ORDER_MARK).unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    match bytes[start] {
        b'[' | b'{' => trackers::detect(&bytes[start..]),
        _ => csv::detect(bytes),
    }
}

/// Read `bytes`, the file `name`, as `format` (not [`Format::Backlog`],
/// which the import command reads itself), with `mapping` over the
/// columns' names.
///
/// Every record and problem names the line where its row or issue
/// starts; a row that cannot be read is a [`Problem`] and the others are
/// still read.
///
/// # Errors
/// When the file as a whole cannot be read as `format`: saying where.
pub fn read(bytes: &[u8], format: Format, mapping: &Mapping, name: &str) -> Result<Read, String> {
    if let Some(sign) = utf16_sign(bytes) {
        return Err(format!("{name} is UTF-16 ({sign}); save it as UTF-8"));
    }
    let bytes = bytes.strip_prefix(BYTE_ORDER_MARK).unwrap_or(bytes);
    match format {
        Format::Csv | Format::Jira | Format::Linear => csv::read(bytes, format, mapping, name),
        Format::GitHub | Format::GitLab | Format::Taskwarrior => {
            let mut read = trackers::read(bytes, format, name)?;
            if !mapping.columns.is_empty() {
                read.notes.push(format!(
                    "--map names CSV columns, and this is {format} JSON, read by its field names"
                ));
            }
            Ok(read)
        }
        Format::Backlog => Err(format!(
            "{name}: this program's own JSON is read by the import command, not as rows"
        )),
    }
}

/// Why the bytes are UTF-16, if they start with its byte-order mark.
fn utf16_sign(bytes: &[u8]) -> Option<&'static str> {
    (bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]))
        .then_some("it starts with a UTF-16 byte-order mark")
}

/// The text of a file that starts with a UTF-16 byte-order mark, with
/// anything that is not UTF-16 replaced.
fn utf16_text(bytes: &[u8]) -> String {
    let little_endian = bytes.starts_with(&[0xff, 0xfe]);
    let units = bytes[2..].chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little_endian {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// The records of one file as its rows are read, with the rules every
/// format shares: a row needs a title, and a key names one row of a file.
#[derive(Default)]
pub(super) struct Gather {
    read: Read,
    /// Each key kept so far, and the line of its row.
    keys: HashMap<String, usize>,
    unreadable_dates: usize,
    first_unreadable_date: Option<(usize, String)>,
}

impl Gather {
    /// Skips the row at `line`, saying why.
    pub(super) fn problem(&mut self, line: usize, what: impl Into<String>) {
        self.read.problems.push(Problem {
            line,
            what: what.into(),
        });
    }

    /// Tells the user `note` about the whole file.
    pub(super) fn note(&mut self, note: String) {
        self.read.notes.push(note);
    }

    /// The date `text` names, for the row at `line`: an unreadable one is
    /// left out, and the notes say so once for the whole file rather than
    /// once a row, since a column of them is usually all in one form.
    pub(super) fn date(&mut self, line: usize, text: &str) -> Option<DateTime<Utc>> {
        if text.trim().is_empty() {
            return None;
        }
        let date = values::date(text);
        if date.is_none() {
            self.unreadable_dates += 1;
            self.first_unreadable_date
                .get_or_insert_with(|| (line, text.trim().to_owned()));
        }
        date
    }

    /// Keeps `record`, its title trimmed, unless it has no title or its
    /// key is an earlier row's; `about` names it in a problem when its
    /// line alone may not (every issue of a one-line JSON file is on line
    /// 1).
    pub(super) fn keep(&mut self, mut record: Record, about: &str) {
        let end = record.title.trim_end().len();
        if end == 0 {
            let what = if about.is_empty() {
                "no title".to_owned()
            } else {
                format!("{about}: no title")
            };
            self.problem(record.line, what);
            return;
        }
        record.title.truncate(end);
        let start = end - record.title.trim_start().len();
        record.title.drain(..start);
        if let Some(key) = &record.key {
            if let Some(&first) = self.keys.get(key) {
                self.problem(
                    record.line,
                    format!("{key} appears again (first at line {first})"),
                );
                return;
            }
            self.keys.insert(key.clone(), record.line);
        }
        self.read.records.push(record);
    }

    pub(super) fn finish(mut self) -> Read {
        if let Some((line, text)) = self.first_unreadable_date.take() {
            let count = self.unreadable_dates;
            let (dates, are) = if count == 1 {
                ("date", "is")
            } else {
                ("dates", "are")
            };
            self.note(format!(
                "{count} {dates} could not be read and {are} left empty (line {line}: {text:?}); \
                 dates are read as 2024-03-12, 2024-03-12 10:15, 2024-03-12T10:15:00Z \
                 or 12/Mar/24 10:15 AM"
            ));
        }
        self.read
    }
}

/// The 1-based line of each offset into `text`, for offsets in
/// increasing order, counting each newline once however many offsets
/// there are.
pub(super) struct Lines<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a [u8]) -> Self {
        Lines {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The line of `offset`, at or after the last one asked for.
    pub(super) fn at(&mut self, offset: usize) -> usize {
        self.line += memchr::memchr_iter(b'\n', &self.text[self.offset..offset]).count();
        self.offset = offset;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/tests/fixtures/import/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn each_fixture_is_told_by_its_content() {
        let cases = [
            ("github.json", Some(Format::GitHub)),
            ("gitlab.json", Some(Format::GitLab)),
            ("taskwarrior.json", Some(Format::Taskwarrior)),
            ("jira.csv", Some(Format::Jira)),
            ("linear.csv", Some(Format::Linear)),
            ("stories.csv", Some(Format::Csv)),
            ("feedback.csv", Some(Format::Csv)),
            ("missing-title.csv", Some(Format::Csv)),
            ("duplicate-ids.csv", Some(Format::Csv)),
            ("not-utf8.csv", Some(Format::Csv)),
        ];
        for (name, format) in cases {
            assert_eq!(detect(&fixture(name)), format, "{name}");
        }
    }

    #[test]
    fn json_is_told_by_the_fields_of_its_first_object() {
        let cases: [(&str, Option<Format>); 12] = [
            (r#"{"schema": 5, "stories": []}"#, Some(Format::Backlog)),
            (
                r#"[{"number": 1, "title": "A", "url": "https://github.com/a/b/issues/1"}]"#,
                Some(Format::GitHub),
            ),
            (r#"[{"iid": 1, "title": "A"}]"#, Some(Format::GitLab)),
            (
                r#"  [ {"web_url": "https://gitlab.com/a/b/-/issues/1"}]"#,
                Some(Format::GitLab),
            ),
            (
                "[\n{\"uuid\":\"u\",\"entry\":\"20240101T120000Z\",\"description\":\"A\"}\n]",
                Some(Format::Taskwarrior),
            ),
            // `task export` of older versions: one object a line.
            (
                "{\"uuid\":\"u\",\"entry\":\"20240101T120000Z\",\"description\":\"A\"}\n{\"uuid\":\"v\"}\n",
                Some(Format::Taskwarrior),
            ),
            // The first issue tells, even when a later one is broken.
            (r#"[{"iid": 1}, {"#, Some(Format::GitLab)),
            ("[]", None),
            (r#"[{"title": "A"}]"#, None),
            ("[1, 2]", None),
            (r#"{"name": "a package.json"}"#, None),
            ("[{", None),
        ];
        for (text, format) in cases {
            assert_eq!(detect(text.as_bytes()), format, "{text}");
        }
    }

    #[test]
    fn csv_is_told_by_its_header() {
        let cases = [
            (
                "Summary,Issue key,Issue id,Status\nA,SHOP-1,10001,To Do\n",
                Some(Format::Jira),
            ),
            (
                "ID,Team,Title,Description,Status,Estimate,Priority\nENG-1,Eng,A,,Todo,,\n",
                Some(Format::Linear),
            ),
            // Linear's columns without one only Linear has: any CSV.
            ("ID,Title,Description,Status,Estimate\n", Some(Format::Csv)),
            ("title,points\nA,3\n", Some(Format::Csv)),
            ("Title;Points\nA;3\n", Some(Format::Csv)),
            ("", None),
            ("   \n", None),
            ("\0\u{1}binary\0", None),
        ];
        for (text, format) in cases {
            assert_eq!(detect(text.as_bytes()), format, "{text:?}");
        }
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let mut bytes = BYTE_ORDER_MARK.to_vec();
        bytes.extend_from_slice(b"Summary,Issue key\nPay by card,SHOP-1\n");
        assert_eq!(detect(&bytes), Some(Format::Jira));
        let read = read(&bytes, Format::Jira, &Mapping::default(), "jira.csv").unwrap();
        assert_eq!(read.records[0].title, "Pay by card");
        assert_eq!(read.records[0].line, 2);
        assert_eq!(read.problems, []);
    }

    #[test]
    fn utf16_is_told_and_refused_with_what_to_do() {
        for little_endian in [true, false] {
            let mut bytes = if little_endian {
                vec![0xff, 0xfe]
            } else {
                vec![0xfe, 0xff]
            };
            for unit in "title,points\nPay by card,3\n".encode_utf16() {
                bytes.extend(if little_endian {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                });
            }
            assert_eq!(detect(&bytes), Some(Format::Csv));
            assert_eq!(
                read(&bytes, Format::Csv, &Mapping::default(), "s.csv"),
                Err(
                    "s.csv is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"
                        .to_owned()
                )
            );
        }
    }

    #[test]
    fn this_programs_own_json_is_left_to_the_import_command() {
        let error = read(
            b"{\"schema\": 5}",
            Format::Backlog,
            &Mapping::default(),
            "b.json",
        );
        assert!(error.unwrap_err().starts_with("b.json: "));
    }

    #[test]
    fn a_map_given_for_json_is_noted() {
        let mapping = Mapping {
            columns: vec![(super::super::Field::Points, "Size".to_owned())],
        };
        let read = read(
            &fixture("gitlab.json"),
            Format::GitLab,
            &mapping,
            "gitlab.json",
        )
        .unwrap();
        assert_eq!(
            read.notes,
            ["--map names CSV columns, and this is gitlab JSON, read by its field names"]
        );
    }

    #[test]
    fn lines_count_each_newline_once() {
        let text = b"a\nb\n\nc";
        let mut lines = Lines::new(text);
        assert_eq!(lines.at(0), 1);
        assert_eq!(lines.at(2), 2);
        assert_eq!(lines.at(2), 2);
        assert_eq!(lines.at(5), 4);
    }

    #[test]
    fn a_title_is_needed_and_a_key_names_one_row() {
        let mut gather = Gather::default();
        let record = |line: usize, title: &str, key: Option<&str>| Record {
            line,
            title: title.to_owned(),
            key: key.map(str::to_owned),
            ..Record::default()
        };
        gather.keep(record(2, "  Pay by card \n", Some("A-1")), "");
        gather.keep(record(3, " \t", Some("A-2")), "");
        gather.keep(record(4, "Refunds", Some("A-1")), "");
        gather.keep(record(5, "", None), "#5");
        gather.keep(record(6, "Receipts", Some("A-2")), "");
        gather.keep(record(7, "Invoices", None), "");
        let read = gather.finish();
        let kept: Vec<_> = read
            .records
            .iter()
            .map(|r| (r.line, r.title.as_str()))
            .collect();
        assert_eq!(kept, [(2, "Pay by card"), (6, "Receipts"), (7, "Invoices")]);
        let problems: Vec<_> = read
            .problems
            .iter()
            .map(|p| (p.line, p.what.as_str()))
            .collect();
        assert_eq!(
            problems,
            [
                (3, "no title"),
                (4, "A-1 appears again (first at line 2)"),
                (5, "#5: no title"),
            ]
        );
    }

    #[test]
    fn unreadable_dates_are_noted_once() {
        let mut gather = Gather::default();
        assert!(gather.date(2, "2024-03-12").is_some());
        assert!(gather.date(3, "").is_none());
        assert!(gather.date(4, " last week ").is_none());
        assert!(gather.date(5, "soon").is_none());
        assert_eq!(
            gather.finish().notes,
            [
                "2 dates could not be read and are left empty (line 4: \"last week\"); \
              dates are read as 2024-03-12, 2024-03-12 10:15, 2024-03-12T10:15:00Z \
              or 12/Mar/24 10:15 AM"
            ]
        );
    }
}
