//! Issue trackers' JSON: GitHub issues as `gh issue list --json` prints
//! them, GitLab's REST API issues list, and Taskwarrior's `task export`
//! (an array; older versions print one task a line, read as well).
//!
//! The file is read whole first, so broken JSON is refused with its line
//! and column; then each issue on its own, so one of the wrong shape (a
//! title that is a number) is reported and the others still read.

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::read::{Gather, Lines};
use super::values::{add_label, trimmed};
use super::{Format, Read, Record};
use crate::store::line_and_column;

/// The format of JSON starting at `bytes` (an array or object), told by
/// the fields of its first object.
pub(super) fn detect(bytes: &[u8]) -> Option<Format> {
    let (first, in_array) = match bytes.strip_prefix(b"[") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let mut objects = serde_json::Deserializer::from_slice(first).into_iter::<Telling>();
    let first = objects.next()?.ok()?;
    let has = |field: &Option<IgnoredAny>| field.is_some();
    if !in_array && has(&first.schema) {
        Some(Format::Backlog)
    } else if has(&first.number) && has(&first.url) {
        Some(Format::GitHub)
    } else if has(&first.iid) || has(&first.web_url) {
        Some(Format::GitLab)
    } else if has(&first.uuid) && has(&first.entry) && has(&first.description) {
        Some(Format::Taskwarrior)
    } else {
        None
    }
}

/// The fields that tell a format, each there or not; the others are
/// skipped unread.
#[derive(Deserialize)]
struct Telling {
    schema: Option<IgnoredAny>,
    number: Option<IgnoredAny>,
    url: Option<IgnoredAny>,
    iid: Option<IgnoredAny>,
    web_url: Option<IgnoredAny>,
    uuid: Option<IgnoredAny>,
    entry: Option<IgnoredAny>,
    description: Option<IgnoredAny>,
}

/// The issues of the JSON file `name` as `format`: GitHub, GitLab or
/// Taskwarrior.
pub(super) fn read(bytes: &[u8], format: Format, name: &str) -> Result<Read, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let (line, column) = line_and_column(bytes, at);
        format!(
            "{name} is not UTF-8 at byte offset {at} (line {line} column {column}); save it as UTF-8"
        )
    })?;
    let mut lines = Lines::new(bytes);
    let mut gather = Gather::default();
    for (index, item) in items(text, name)?.into_iter().enumerate() {
        // The item's text is a slice of `text`: where it starts is where
        // its issue starts.
        let line = lines.at(item.get().as_ptr() as usize - text.as_ptr() as usize);
        let value = match serde_json::from_str::<Value>(item.get()) {
            Ok(value) => value,
            Err(error) => {
                gather.problem(line, format!("item {}: {error}", index + 1));
                continue;
            }
        };
        let Value::Object(fields) = value else {
            gather.problem(
                line,
                format!("item {} is {}, not an issue", index + 1, kind(&value)),
            );
            continue;
        };
        let issue = Issue {
            fields: &fields,
            within: None,
        };
        let about = about(format, &fields, index + 1);
        let record = match format {
            Format::GitHub => github(&issue, line, &mut gather),
            Format::GitLab => gitlab(&issue, line, &mut gather),
            _ => taskwarrior(&issue, line, &mut gather),
        };
        match record {
            Ok(record) => gather.keep(record, &about),
            Err(what) => gather.problem(line, format!("{about}: {what}")),
        }
    }
    Ok(gather.finish())
}

/// The items of a JSON array, or of objects one after another.
fn items<'a>(text: &'a str, name: &str) -> Result<Vec<&'a RawValue>, String> {
    let start = text.len() - text.trim_start().len();
    match text.as_bytes().get(start) {
        Some(b'[') => serde_json::from_str(text).map_err(|e| format!("{name}: {e}")),
        Some(b'{') => serde_json::Deserializer::from_str(text)
            .into_iter()
            .collect::<Result<_, _>>()
            .map_err(|e| format!("{name}: {e}")),
        _ => {
            let (line, column) = line_and_column(text.as_bytes(), start);
            Err(format!(
                "{name}: expected a JSON array of issues ([ … ]) at line {line} column {column}"
            ))
        }
    }
}

/// How a problem names an issue: its number or id when it has one, else
/// its place in the file.
fn about(format: Format, fields: &Map<String, Value>, number: usize) -> String {
    let id = match format {
        Format::GitHub => fields.get("number"),
        Format::GitLab => fields.get("iid"),
        _ => fields.get("uuid"),
    };
    match (format, id) {
        (Format::Taskwarrior, Some(Value::String(uuid))) => format!("task {uuid}"),
        (_, Some(Value::Number(n))) => format!("#{n}"),
        (_, Some(Value::String(n))) if format != Format::Taskwarrior => format!("#{n}"),
        _ => format!("item {number}"),
    }
}

/// The fields of one issue, or of an object inside it (`within`).
struct Issue<'a> {
    fields: &'a Map<String, Value>,
    within: Option<&'a str>,
}

impl<'a> Issue<'a> {
    /// How a problem names `field`: `"title"`, `"author.login"`.
    fn name(&self, field: &str) -> String {
        match self.within {
            Some(object) => format!("\"{object}.{field}\""),
            None => format!("{field:?}"),
        }
    }

    fn text(&self, field: &str) -> Result<Option<&'a str>, String> {
        match self.fields.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(other) => Err(format!("{} is {}, not text", self.name(field), kind(other))),
        }
    }

    /// An id, which a tracker may give as a number or as text.
    fn id(&self, field: &str) -> Result<String, String> {
        match self.fields.get(field) {
            Some(Value::Number(n)) => Ok(n.to_string()),
            Some(Value::String(text)) if !text.trim().is_empty() => Ok(text.trim().to_owned()),
            None | Some(Value::Null) => Err(format!("no {}", self.name(field))),
            Some(other) => Err(format!(
                "{} is {}, not an id",
                self.name(field),
                kind(other)
            )),
        }
    }

    fn points(&self, field: &str) -> Result<Option<f64>, String> {
        match self.fields.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => match n.as_f64() {
                Some(points) if points >= 0.0 => Ok(Some(points)),
                _ => Err(format!(
                    "{} {n} is not a number of points",
                    self.name(field)
                )),
            },
            Some(other) => Err(format!(
                "{} is {}, not a number",
                self.name(field),
                kind(other)
            )),
        }
    }

    fn object(&self, field: &'a str) -> Result<Option<Issue<'a>>, String> {
        match self.fields.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(fields)) => Ok(Some(Issue {
                fields,
                within: Some(field),
            })),
            Some(other) => Err(format!(
                "{} is {}, not an object",
                self.name(field),
                kind(other)
            )),
        }
    }

    fn list(&self, field: &str) -> Result<&'a [Value], String> {
        match self.fields.get(field) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(format!(
                "{} is {}, not a list",
                self.name(field),
                kind(other)
            )),
        }
    }

    /// Labels or tags: a list of names, or of objects with a `name`.
    fn labels(&self, field: &str) -> Result<Vec<String>, String> {
        let mut labels = Vec::new();
        for label in self.list(field)? {
            match label {
                Value::String(name) => add_label(name, &mut labels),
                Value::Object(label) => {
                    if let Some(Value::String(name)) = label.get("name") {
                        add_label(name, &mut labels);
                    } else {
                        return Err(format!("{} has a label without a name", self.name(field)));
                    }
                }
                other => {
                    return Err(format!(
                        "{} has {}, not a label",
                        self.name(field),
                        kind(other)
                    ));
                }
            }
        }
        Ok(labels)
    }

    /// A person: an object, named by the first of `names` it has, or
    /// plain text.
    fn person(&self, field: &'a str, names: [&str; 2]) -> Result<Option<String>, String> {
        if let Some(Value::String(name)) = self.fields.get(field) {
            return Ok(trimmed(name));
        }
        let Some(person) = self.object(field)? else {
            return Ok(None);
        };
        for name in names {
            if let Some(name) = person.text(name)?.and_then(trimmed) {
                return Ok(Some(name));
            }
        }
        Ok(None)
    }
}

/// What a JSON value is, for a message.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// An issue of `gh issue list --json number,title,body,labels,url,createdAt,author`.
fn github(issue: &Issue, line: usize, gather: &mut Gather) -> Result<Record, String> {
    let key = issue.id("number")?;
    let url = issue
        .text("url")?
        .ok_or("no \"url\", which names its repository")?;
    let repository =
        github_repository(url).ok_or_else(|| format!("\"url\" {url:?} names no repository"))?;
    Ok(Record {
        line,
        source: format!("github:{repository}"),
        key: Some(key),
        link: Some(url.to_owned()),
        title: issue.text("title")?.unwrap_or_default().to_owned(),
        description: issue.text("body")?.unwrap_or_default().to_owned(),
        labels: issue.labels("labels")?,
        status: issue.text("state")?.and_then(trimmed),
        created: gather.date(line, issue.text("createdAt")?.unwrap_or_default()),
        customer: issue.person("author", ["login", "name"])?,
        ..Record::default()
    })
}

/// `OWNER/REPO` of an issue's address, `https://github.com/OWNER/REPO/issues/12`.
fn github_repository(url: &str) -> Option<String> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let mut parts = path.split('/').skip(1);
    match (parts.next(), parts.next()) {
        (Some(owner), Some(repo)) if !owner.is_empty() && !repo.is_empty() => {
            Some(format!("{owner}/{repo}"))
        }
        _ => None,
    }
}

/// An issue of GitLab's REST API (`GET /projects/:id/issues`).
fn gitlab(issue: &Issue, line: usize, gather: &mut Gather) -> Result<Record, String> {
    let key = issue.id("iid")?;
    let link = issue.text("web_url")?;
    let full_reference = match issue.object("references")? {
        Some(references) => references.text("full")?,
        None => None,
    };
    let project = link
        .and_then(gitlab_project)
        .or_else(|| {
            full_reference
                .and_then(|full| full.split_once('#'))
                .map(|(p, _)| p)
        })
        .filter(|project| !project.is_empty())
        .ok_or("no \"web_url\" or \"references\" naming its project")?;
    let epic = match issue.object("epic")? {
        Some(epic) => epic.text("title")?.and_then(trimmed),
        None => None,
    };
    Ok(Record {
        line,
        source: format!("gitlab:{project}"),
        key: Some(key),
        link: link.map(str::to_owned),
        title: issue.text("title")?.unwrap_or_default().to_owned(),
        description: issue.text("description")?.unwrap_or_default().to_owned(),
        points: issue.points("weight")?,
        labels: issue.labels("labels")?,
        status: issue.text("state")?.and_then(trimmed),
        epic,
        created: gather.date(line, issue.text("created_at")?.unwrap_or_default()),
        customer: issue.person("author", ["username", "name"])?,
        ..Record::default()
    })
}

/// `GROUP/PROJECT` (groups may nest) of an issue's address,
/// `https://gitlab.com/GROUP/PROJECT/-/issues/7`, or
/// `…/GROUP/PROJECT/issues/7` as older GitLab wrote it.
fn gitlab_project(url: &str) -> Option<&str> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = path.split_once('/')?.1;
    let project = match path.split_once("/-/") {
        Some((project, _)) => project,
        None => path.rsplit_once("/issues/")?.0,
    };
    project
        .split('/')
        .all(|part| !part.is_empty() && part != "-")
        .then_some(project)
}

/// A task of `task export`.
fn taskwarrior(task: &Issue, line: usize, gather: &mut Gather) -> Result<Record, String> {
    let key = task.id("uuid")?;
    let mut description = String::new();
    for annotation in task.list("annotations")? {
        let Value::Object(annotation) = annotation else {
            return Err(format!(
                "\"annotations\" has {}, not an annotation",
                kind(annotation)
            ));
        };
        let annotation = Issue {
            fields: annotation,
            within: Some("annotations"),
        };
        if let Some(text) = annotation.text("description")? {
            if !description.is_empty() {
                description.push('\n');
            }
            description.push_str(text);
        }
    }
    // Taskwarrior's priorities are letters; the words read as an
    // importance as Jira's do.
    let importance = task.text("priority")?.and_then(|priority| {
        let word = match priority.trim() {
            "H" => "high",
            "M" => "medium",
            "L" => "low",
            other => other,
        };
        trimmed(word)
    });
    Ok(Record {
        line,
        source: "taskwarrior".to_owned(),
        key: Some(key),
        title: task.text("description")?.unwrap_or_default().to_owned(),
        description,
        labels: task.labels("tags")?,
        status: task.text("status")?.and_then(trimmed),
        epic: task.text("project")?.and_then(trimmed),
        created: gather.date(line, task.text("entry")?.unwrap_or_default()),
        importance,
        ..Record::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::import::Mapping;
    use crate::interchange::import::testing::{at, fixture, problems, strings};

    fn read_as(bytes: &[u8], format: Format) -> Read {
        super::super::read(bytes, format, &Mapping::default(), "issues.json").unwrap()
    }

    fn refused(bytes: &[u8], format: Format) -> String {
        super::super::read(bytes, format, &Mapping::default(), "issues.json").unwrap_err()
    }

    #[test]
    fn github_issues_field_by_field() {
        let read = read_as(&fixture("github.json"), Format::GitHub);
        assert_eq!(read.problems, []);
        assert_eq!(read.notes, Vec::<String>::new());
        assert_eq!(
            read.records[0],
            Record {
                line: 2,
                source: "github:acme/shop".to_owned(),
                key: Some("42".to_owned()),
                link: Some("https://github.com/acme/shop/issues/42".to_owned()),
                title: "Checkout fails with a saved card".to_owned(),
                description: "Checkout fails when I pick a saved card.\r\n\r\n**Steps**\r\n\
                              1. Add a card\r\n2. Pay with it\r\n\r\n\
                              We lose orders every day. <!-- template: bug -->"
                    .to_owned(),
                labels: strings(&["bug", "checkout"]),
                created: Some(at("2024-03-01T09:15:22Z")),
                customer: Some("carla-d".to_owned()),
                ..Record::default()
            }
        );
        let dark = &read.records[1];
        assert_eq!((dark.line, dark.key.as_deref()), (29, Some("41")));
        assert_eq!(dark.title, "Dark mode");
        assert_eq!(dark.description, "");
        assert_eq!(dark.labels, Vec::<String>::new());
        assert_eq!(dark.customer.as_deref(), Some("dan-k"));
        let bot = &read.records[2];
        assert_eq!((bot.line, bot.key.as_deref()), (43, Some("40")));
        assert_eq!(bot.customer.as_deref(), Some("app/github-actions"));
        assert_eq!(bot.labels, ["ops"]);
    }

    #[test]
    fn gitlab_issues_field_by_field() {
        let read = read_as(&fixture("gitlab.json"), Format::GitLab);
        assert_eq!(read.problems, []);
        assert_eq!(
            read.records[0],
            Record {
                line: 2,
                source: "gitlab:acme/web/shop".to_owned(),
                key: Some("7".to_owned()),
                link: Some("https://gitlab.example.com/acme/web/shop/-/issues/7".to_owned()),
                title: "Pay by card at checkout".to_owned(),
                description: "Customers on the Pro plan ask to pay by card.\n\n\
                              ## Acceptance\n- [ ] Visa works"
                    .to_owned(),
                points: Some(5.0),
                labels: strings(&["checkout", "payments"]),
                status: Some("opened".to_owned()),
                epic: Some("Checkout".to_owned()),
                created: Some(at("2024-03-12T10:15:00.081Z")),
                customer: Some("ann".to_owned()),
                ..Record::default()
            }
        );
        let refund = &read.records[1];
        assert_eq!((refund.line, refund.key.as_deref()), (110, Some("8")));
        assert_eq!(refund.description, "");
        assert_eq!(refund.points, None);
        assert_eq!(refund.epic, None);
        assert_eq!(refund.status.as_deref(), Some("closed"));
        assert_eq!(refund.customer.as_deref(), Some("carla"));
    }

    #[test]
    fn taskwarrior_tasks_field_by_field() {
        let read = read_as(&fixture("taskwarrior.json"), Format::Taskwarrior);
        assert_eq!(read.problems, []);
        assert_eq!(
            read.records[0],
            Record {
                line: 2,
                source: "taskwarrior".to_owned(),
                key: Some("6a1b7c7e-3f5d-4c2a-9b1e-2f0d8c4e5a61".to_owned()),
                title: "Pay by card at checkout".to_owned(),
                description: "Acme asked twice\nGlobex too".to_owned(),
                labels: strings(&["payments", "ui"]),
                status: Some("pending".to_owned()),
                epic: Some("shop.checkout".to_owned()),
                created: Some(at("2024-03-01T09:15:00Z")),
                importance: Some("high".to_owned()),
                ..Record::default()
            }
        );
        let notes = &read.records[1];
        assert_eq!(notes.line, 3);
        assert_eq!(notes.status.as_deref(), Some("completed"));
        assert_eq!(
            (notes.epic.as_deref(), notes.importance.as_deref()),
            (None, None)
        );
        let call = &read.records[2];
        assert_eq!(call.line, 4);
        assert_eq!(call.status.as_deref(), Some("waiting"));
        assert_eq!(call.importance.as_deref(), Some("low"));
    }

    #[test]
    fn older_task_export_prints_one_task_a_line() {
        let fixture = String::from_utf8(fixture("taskwarrior.json")).unwrap();
        let mut lines = String::new();
        for task in fixture.lines().filter(|l| l.starts_with('{')) {
            lines.push_str(task.trim_end_matches(','));
            lines.push('\n');
        }
        let read = read_as(lines.as_bytes(), Format::Taskwarrior);
        assert_eq!(read.problems, []);
        let array = read_as(fixture.as_bytes(), Format::Taskwarrior);
        let lines_of = |read: &Read| read.records.iter().map(|r| r.line).collect::<Vec<_>>();
        assert_eq!(lines_of(&read), [1, 2, 3]);
        assert_eq!(lines_of(&array), [2, 3, 4]);
        for (one, other) in read.records.iter().zip(&array.records) {
            assert_eq!(
                Record {
                    line: 0,
                    ..one.clone()
                },
                Record {
                    line: 0,
                    ..other.clone()
                }
            );
        }
    }

    #[test]
    fn gh_output_on_one_line_names_each_issue_by_its_number() {
        let text = concat!(
            r#"[{"number":3,"title":"A","url":"https://github.com/a/b/issues/3"},"#,
            r#"{"number":4,"title":7,"url":"https://github.com/a/b/issues/4"},"#,
            r#"{"number":5,"title":" ","url":"https://github.com/a/b/issues/5"},"#,
            r#"{"number":3,"title":"A again","url":"https://github.com/a/b/issues/3"},"#,
            r#"{"title":"no number","url":"https://github.com/a/b/issues/6"},"#,
            r#""text",{"number":8,"title":"B","url":"https://github.com/a/b/issues/8"}]"#,
        );
        let read = read_as(text.as_bytes(), Format::GitHub);
        assert_eq!(
            problems(&read),
            [
                (1, "#4: \"title\" is a number, not text"),
                (1, "#5: no title"),
                (1, "3 appears again (first at line 1)"),
                (1, "item 5: no \"number\""),
                (1, "item 6 is text, not an issue"),
            ]
        );
        let kept: Vec<_> = read.records.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(kept, ["A", "B"]);
    }

    #[test]
    fn an_issue_of_the_wrong_shape_is_reported_on_its_line() {
        let text = "[\n  {\"iid\": 1, \"title\": \"A\", \"web_url\": \"https://gitlab.com/g/p/-/issues/1\"},\n  {\"iid\": 2, \"title\": \"B\", \"web_url\": \"https://gitlab.com/g/p/-/issues/2\",\n   \"labels\": \"ui\"},\n  {\"iid\": 3, \"title\": \"C\", \"web_url\": \"https://gitlab.com/g/p/-/issues/3\", \"weight\": \"L\"},\n  {\"iid\": 4, \"title\": \"D\", \"web_url\": \"https://gitlab.com/g/p/-/issues/4\", \"author\": {\"username\": 5}},\n  {\"iid\": 5, \"title\": \"E\", \"references\": {\"full\": \"g/p#5\"}, \"created_at\": \"someday\"}\n]";
        let read = read_as(text.as_bytes(), Format::GitLab);
        assert_eq!(
            problems(&read),
            [
                (3, "#2: \"labels\" is text, not a list"),
                (5, "#3: \"weight\" is text, not a number"),
                (6, "#4: \"author.username\" is a number, not text"),
            ]
        );
        let kept: Vec<_> = read
            .records
            .iter()
            .map(|r| (r.line, r.source.as_str()))
            .collect();
        assert_eq!(kept, [(2, "gitlab:g/p"), (7, "gitlab:g/p")]);
        assert_eq!(read.records[1].link, None);
        assert_eq!(read.records[1].created, None);
        assert_eq!(read.notes.len(), 1, "{:?}", read.notes);
        assert!(
            read.notes[0]
                .starts_with("1 date could not be read and is left empty (line 7: \"someday\")")
        );
    }

    #[test]
    fn broken_json_is_refused_with_its_line_and_column() {
        assert_eq!(
            refused(
                b"[\n  {\"number\": 1,\n   \"title\": \"A\"\n  }\n  {\"number\": 2}\n]",
                Format::GitHub
            ),
            "issues.json: expected `,` or `]` at line 5 column 3"
        );
        assert_eq!(
            refused(b"{\"uuid\": \"a\"}\n{\"uuid\": \n", Format::Taskwarrior),
            "issues.json: EOF while parsing a value at line 3 column 0"
        );
        assert_eq!(
            refused(b"\n  title,points\n", Format::GitLab),
            "issues.json: expected a JSON array of issues ([ … ]) at line 2 column 3"
        );
        assert_eq!(
            refused(b"[{\"title\": \"caf\xe9\"}]", Format::GitHub),
            "issues.json is not UTF-8 at byte offset 15 (line 1 column 16); save it as UTF-8"
        );
    }

    #[test]
    fn projects_and_repositories_from_addresses() {
        assert_eq!(
            github_repository("https://github.com/acme/shop/issues/42").as_deref(),
            Some("acme/shop")
        );
        assert_eq!(
            github_repository("https://github.example.com/acme/shop/pull/7").as_deref(),
            Some("acme/shop")
        );
        assert_eq!(github_repository("https://github.com/acme"), None);
        assert_eq!(
            gitlab_project("https://gitlab.com/acme/web/shop/-/issues/7"),
            Some("acme/web/shop")
        );
        assert_eq!(
            gitlab_project("https://gitlab.example.com/acme/shop/issues/7"),
            Some("acme/shop")
        );
        assert_eq!(gitlab_project("https://gitlab.com/-/issues/7"), None);
        assert_eq!(gitlab_project("not a link"), None);
    }
}
