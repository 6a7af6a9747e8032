//! Telling the platform from the content: the CSV header's column names, or the JSON
//! keys. The file name is never used (organizers rename downloads).

use crate::error::ImportError;
use trellis_core::import::{Platform, Shape};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub shape: Shape,
    /// What was seen, for the report ("header has api_id, approval_status").
    pub because: String,
}

impl Detected {
    pub fn is_json(&self) -> bool {
        matches!(
            self.shape,
            Shape::EventbriteJson
                | Shape::SessionizeJson
                | Shape::PretalxSubmissionsJson
                | Shape::PretalxSpeakersJson
        )
    }
}

/// The field separator of a CSV file, told from its first line: whichever of comma,
/// semicolon (what Excel writes where the comma is the decimal mark) and tab occurs most
/// outside quotes; a comma when none does or on a tie.
pub(crate) fn separator(head: &str) -> u8 {
    let first = head.split('\n').next().unwrap_or("");
    let (mut quoted, mut counts) = (false, [0usize; 3]);
    for b in first.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let seps = [b',', b';', b'\t'];
    let best = (1..3).fold(0, |best, i| if counts[i] > counts[best] { i } else { best });
    seps[best]
}

/// How the report names a separator other than the comma.
pub(crate) fn separator_name(sep: u8) -> Option<&'static str> {
    match sep {
        b';' => Some("semicolons"),
        b'\t' => Some("tabs"),
        _ => None,
    }
}

/// The CSV header's names, as the `csv` crate reads the first record.
pub(crate) fn csv_header(head: &str) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator(head))
        .from_reader(head.as_bytes());
    let mut rec = csv::StringRecord::new();
    match r.read_record(&mut rec) {
        Ok(true) => rec.iter().map(|h| h.trim().to_owned()).collect(),
        _ => Vec::new(),
    }
}

fn has(header: &[String], name: &str) -> bool {
    header.iter().any(|h| h == name)
}

/// What the first bytes look like, or `None`.
pub fn detect(head: &str) -> Option<Detected> {
    let t = head.trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        let key = |k: &str| t.contains(&format!("\"{k}\""));
        let (shape, because) =
            if key("attendees") && (key("ticket_class_name") || key("pagination")) {
                (Shape::EventbriteJson, "JSON with an \"attendees\" list")
            } else if key("sessions")
                && key("speakers")
                && (key("isServiceSession") || key("categoryItems") || key("questionAnswers"))
            {
                (
                    Shape::SessionizeJson,
                    "JSON with \"sessions\" and \"speakers\" in Sessionize's shape",
                )
            } else if key("results") && key("submission_type") {
                (
                    Shape::PretalxSubmissionsJson,
                    "JSON \"results\" with \"submission_type\" (pretalx submissions)",
                )
            } else if key("results") && key("submissions") && key("biography") {
                (
                    Shape::PretalxSpeakersJson,
                    "JSON \"results\" with \"biography\" and \"submissions\" (pretalx speakers)",
                )
            } else {
                return None;
            };
        return Some(Detected {
            shape,
            because: because.to_owned(),
        });
    }
    let header = csv_header(t);
    let (shape, because) = if has(&header, "approval_status")
        && (has(&header, "api_id") || has(&header, "guest_id"))
    {
        let id = if has(&header, "api_id") {
            "api_id"
        } else {
            "guest_id"
        };
        (
            Shape::LumaCsv,
            format!("CSV header has {id}, approval_status"),
        )
    } else if has(&header, "Attendee #") || has(&header, "Attendee Status") {
        (
            Shape::EventbriteCsv,
            "CSV header has Attendee #, Attendee Status".to_owned(),
        )
    } else if has(&header, "User ID") && has(&header, "RSVP") && has(&header, "Attendance") {
        (
            Shape::MeetupCsv,
            "CSV header has Attendance, User ID, RSVP".to_owned(),
        )
    } else if header.first().is_some_and(|h| h == "ID") && has(&header, "Proposal title") {
        (
            Shape::PretalxSessionsCsv,
            "CSV header starts with ID, has Proposal title".to_owned(),
        )
    } else {
        return None;
    };
    Some(Detected { shape, because })
}

/// The shape to read the file as: what it looks like, checked against the platform the
/// user named. A file that looks like nothing known is read as the named platform's
/// (main) shape, so that a missing column is named.
pub(crate) fn choose(
    file: &str,
    head: &str,
    expected: Option<Platform>,
) -> Result<Detected, ImportError> {
    match (detect(head), expected) {
        (Some(d), None) => Ok(d),
        (Some(d), Some(p)) if d.shape.platform() == p => Ok(d),
        (Some(d), Some(p)) => Err(ImportError::WrongPlatform {
            file: file.to_owned(),
            expected: p.as_str().to_owned(),
            found: d.shape.as_str().to_owned(),
            because: d.because,
            platform: d.shape.platform().as_str().to_owned(),
        }),
        (None, Some(p)) => {
            let json = head.trim_start().starts_with(['{', '[']);
            let shape = match (p, json) {
                (Platform::Luma, _) => Shape::LumaCsv,
                (Platform::Eventbrite, true) => Shape::EventbriteJson,
                (Platform::Eventbrite, false) => Shape::EventbriteCsv,
                (Platform::Meetup, _) => Shape::MeetupCsv,
                (Platform::Sessionize, _) => Shape::SessionizeJson,
                (Platform::Pretalx, true) => Shape::PretalxSubmissionsJson,
                (Platform::Pretalx, false) => Shape::PretalxSessionsCsv,
            };
            if json
                != matches!(
                    shape,
                    Shape::EventbriteJson
                        | Shape::SessionizeJson
                        | Shape::PretalxSubmissionsJson
                        | Shape::PretalxSpeakersJson
                )
            {
                return Err(ImportError::Unknown {
                    file: file.to_owned(),
                    detail: format!(
                        "{} exports are {}, and this file is {}",
                        p,
                        if json { "CSV" } else { "JSON" },
                        if json { "JSON" } else { "not JSON" }
                    ),
                });
            }
            Ok(Detected {
                shape,
                because: format!("named on the command line ({p})"),
            })
        }
        (None, None) => Err(ImportError::Unknown {
            file: file.to_owned(),
            detail: describe(head),
        }),
    }
}

fn describe(head: &str) -> String {
    if head.trim_start().starts_with(['{', '[']) {
        return "it is JSON, but with none of the keys of a known export".into();
    }
    let header = csv_header(head);
    let mut shown: Vec<&str> = header.iter().take(6).map(String::as_str).collect();
    if header.len() > 6 {
        shown.push("…");
    }
    format!(
        "its first line is not a known header ({})",
        shown.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_tell_the_platform() {
        let d = detect("api_id,name,email,approval_status\r\n").unwrap();
        assert_eq!(d.shape, Shape::LumaCsv);
        assert_eq!(
            detect("guest_id,name,email,approval_status\n")
                .unwrap()
                .shape,
            Shape::LumaCsv
        );
        assert_eq!(
            detect("Name,Attendance,User ID,Title,Event Host,RSVP\n")
                .unwrap()
                .shape,
            Shape::MeetupCsv
        );
        assert_eq!(
            detect("ID,Proposal title,Proposal state\n").unwrap().shape,
            Shape::PretalxSessionsCsv
        );
        assert!(detect("a,b,c\n1,2,3\n").is_none());
    }

    #[test]
    fn semicolons_and_tabs_are_told_from_the_first_line() {
        assert_eq!(separator("api_id;name;email;approval_status\r\n"), b';');
        assert_eq!(separator("api_id\tname\temail\n"), b'\t');
        assert_eq!(separator("a,b;c,d\n"), b',');
        assert_eq!(
            separator("\"x;y;z\",b\n"),
            b',',
            "quoted separators do not count"
        );
        assert_eq!(separator(""), b',');
        let d = detect("api_id;name;email;approval_status\n").unwrap();
        assert_eq!(d.shape, Shape::LumaCsv);
    }

    #[test]
    fn a_named_platform_that_disagrees_is_refused() {
        let e = choose(
            "m.csv",
            "Name,Attendance,User ID,RSVP\n",
            Some(Platform::Luma),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("not a luma export"), "{e}");
        assert!(e.contains("meetup"), "{e}");
    }
}
