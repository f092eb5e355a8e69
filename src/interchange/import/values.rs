//! The values inside a cell or an issue's field, read the same way in
//! every format: dates, estimates, labels and acceptance criteria.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// The date and time `text` names, read as UTC when it names no zone:
/// RFC 3339 (`2024-03-12T10:15:00Z`, as GitHub, GitLab and Linear give
/// it), an ISO date (`2024-03-12`), `2024-03-12 10:15` with or without
/// seconds (spreadsheets, GitLab's CSV), Taskwarrior's
/// `20240312T101500Z` and Jira's `12/Mar/24 10:15 AM`. `None` for
/// anything else.
#[must_use]
pub fn date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    // Told apart by shape first, so a column of one kind of date does not
    // try every pattern on every row.
    let naive = if text.contains('/') {
        jira_date(text)
    } else if text.as_bytes().get(8) == Some(&b'T') {
        NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%SZ").ok()
    } else if let Ok(zoned) = DateTime::parse_from_rfc3339(text) {
        return Some(zoned.to_utc());
    } else if text.len() == 10 {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|day| day.and_hms_opt(0, 0, 0))
    } else {
        let text = text.strip_suffix(" UTC").unwrap_or(text);
        [
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M",
        ]
        .iter()
        .find_map(|pattern| NaiveDateTime::parse_from_str(text, pattern).ok())
    };
    naive.map(|naive| naive.and_utc())
}

/// Jira's date, `12/Mar/24 10:15 AM`; some sites show four-digit years
/// or leave out the time.
fn jira_date(text: &str) -> Option<NaiveDateTime> {
    ["%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p"]
        .iter()
        .find_map(|pattern| NaiveDateTime::parse_from_str(text, pattern).ok())
        .or_else(|| {
            ["%d/%b/%y", "%d/%b/%Y"]
                .iter()
                .find_map(|pattern| NaiveDate::parse_from_str(text, pattern).ok())
                .and_then(|day| day.and_hms_opt(0, 0, 0))
        })
}

/// The estimate `text` gives, in points: a number, halves and decimal
/// commas allowed; `None` when the cell is empty.
///
/// # Errors
/// When it is not a number of points (`L`, `-1`), saying so: the row is
/// reported rather than imported without its estimate.
pub fn points(text: &str) -> Result<Option<f64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let number = text.parse::<f64>().or_else(|_| {
        // A spreadsheet in a language that writes 1,5 for one and a half.
        if text.contains('.') {
            Err(())
        } else {
            text.replacen(',', ".", 1).parse::<f64>().map_err(|_| ())
        }
    });
    match number {
        Ok(points) if points.is_finite() && points >= 0.0 => Ok(Some(points)),
        _ => Err(format!("points {text:?} is not a number of points")),
    }
}

/// Adds the labels in `cell`, separated by commas, to `labels`, each
/// once and trimmed.
pub fn add_labels(cell: &str, labels: &mut Vec<String>) {
    for label in cell.split(',') {
        add_label(label, labels);
    }
}

/// Adds `label`, trimmed, to `labels` unless it is empty or there
/// already.
pub fn add_label(label: &str, labels: &mut Vec<String>) {
    let label = label.trim();
    if !label.is_empty() && !labels.iter().any(|known| known == label) {
        labels.push(label.to_owned());
    }
}

/// The acceptance criteria in `text`, one per line, each with whether it
/// is met: Markdown task items (`- [ ] …`, `- [x] …`), bullets, or plain
/// lines.
#[must_use]
pub fn criteria(text: &str) -> Vec<(String, bool)> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let line = ["- ", "* ", "+ "]
                .iter()
                .find_map(|bullet| line.strip_prefix(bullet))
                .unwrap_or(line)
                .trim_start();
            let (line, met) = if let Some(rest) = line.strip_prefix("[ ]") {
                (rest, false)
            } else if let Some(rest) = line
                .strip_prefix("[x]")
                .or_else(|| line.strip_prefix("[X]"))
            {
                (rest, true)
            } else {
                (line, false)
            };
            let line = line.trim();
            (!line.is_empty()).then(|| (line.to_owned(), met))
        })
        .collect()
}

/// `text` trimmed, or `None` when nothing is left.
#[must_use]
pub fn trimmed(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> String {
        date(text).map_or_else(|| "none".to_owned(), |d| d.to_rfc3339())
    }

    #[test]
    fn dates_in_every_form_the_sources_write() {
        let cases = [
            ("2024-03-12T10:15:00Z", "2024-03-12T10:15:00+00:00"),
            ("2024-03-12T10:15:00.081Z", "2024-03-12T10:15:00.081+00:00"),
            ("2024-03-12T12:15:00+02:00", "2024-03-12T10:15:00+00:00"),
            ("2024-03-12", "2024-03-12T00:00:00+00:00"),
            ("2024-03-12 10:15", "2024-03-12T10:15:00+00:00"),
            ("2024-03-12 10:15:30", "2024-03-12T10:15:30+00:00"),
            ("2024-03-12 10:15:30 UTC", "2024-03-12T10:15:30+00:00"),
            ("2024-03-12T10:15", "2024-03-12T10:15:00+00:00"),
            ("20240312T101500Z", "2024-03-12T10:15:00+00:00"),
            ("12/Mar/24 10:15 AM", "2024-03-12T10:15:00+00:00"),
            ("12/Mar/24 3:05 PM", "2024-03-12T15:05:00+00:00"),
            ("12/Mar/2024 10:15 AM", "2024-03-12T10:15:00+00:00"),
            ("12/Mar/24", "2024-03-12T00:00:00+00:00"),
            (" 2024-03-12 ", "2024-03-12T00:00:00+00:00"),
            ("yesterday", "none"),
            ("2024-13-45", "none"),
            ("", "none"),
        ];
        for (text, expected) in cases {
            assert_eq!(at(text), expected, "{text:?}");
        }
    }

    #[test]
    fn points_are_numbers_with_halves_and_decimal_commas() {
        assert_eq!(points("3"), Ok(Some(3.0)));
        assert_eq!(points(" 0.5 "), Ok(Some(0.5)));
        assert_eq!(points("1,5"), Ok(Some(1.5)));
        assert_eq!(points(""), Ok(None));
        assert_eq!(points("  "), Ok(None));
        for bad in ["L", "-1", "NaN", "inf", "1,5.0", "3 points"] {
            assert_eq!(
                points(bad),
                Err(format!("points {bad:?} is not a number of points")),
                "{bad}"
            );
        }
    }

    #[test]
    fn labels_split_on_commas_once_each() {
        let mut labels = vec!["checkout".to_owned()];
        add_labels(" payments, checkout,,ui ", &mut labels);
        add_label("ui", &mut labels);
        assert_eq!(labels, ["checkout", "payments", "ui"]);
    }

    #[test]
    fn criteria_as_task_items_bullets_or_plain_lines() {
        let text = "- [ ] Visa works\n- [x] Mastercard works\r\n\n* [X] Amex works\nReceipt is sent\n- Refunds later\n[ ]   \n";
        assert_eq!(
            criteria(text),
            [
                ("Visa works".to_owned(), false),
                ("Mastercard works".to_owned(), true),
                ("Amex works".to_owned(), true),
                ("Receipt is sent".to_owned(), false),
                ("Refunds later".to_owned(), false),
            ]
        );
    }
}
