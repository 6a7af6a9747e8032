//! Telling the platform from the content: the CSV header's column names, or the JSON
//! keys. The file name is never used (organizers rename downloads).

use crate::error::ImportError;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::cell::RefCell;
use std::fmt;
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
        detect_json(t)
    } else {
        detect_csv(t)
    }
}

/// Which JSON export `t` (trimmed at the start) is, by the keys it has.
fn detect_json(t: &str) -> Option<Detected> {
    let key = |k: &str| t.contains(&format!("\"{k}\""));
    let (shape, because) = if key("attendees") && (key("ticket_class_name") || key("pagination")) {
        (Shape::EventbriteJson, "JSON with an \"attendees\" list")
    } else if key("sessions")
        && key("speakers")
        && (key("isServiceSession") || key("categoryItems") || key("questionAnswers"))
    {
        (
            Shape::SessionizeJson,
            "JSON with \"sessions\" and \"speakers\" in Sessionize's shape",
        )
    } else if t.starts_with('[') && key("groupId") && key("sessions") {
        (
            Shape::SessionizeJson,
            "JSON array of groups with \"groupId\" and \"sessions\" (Sessionize view/Sessions)",
        )
    } else if key("results") && key("submission_type") {
        (
            Shape::PretalxSubmissionsJson,
            "JSON \"results\" with \"submission_type\" (pretalx submissions)",
        )
    } else if t.starts_with('[') && key("submission_type") && key("code") {
        (
            Shape::PretalxSubmissionsJson,
            "JSON array with \"code\" and \"submission_type\" (pretalx submissions, pages joined)",
        )
    } else if key("results") && key("submissions") && key("biography") {
        (
            Shape::PretalxSpeakersJson,
            "JSON \"results\" with \"biography\" and \"submissions\" (pretalx speakers)",
        )
    } else if t.starts_with('[') && key("code") && key("submissions") && key("biography") {
        (
            Shape::PretalxSpeakersJson,
            "JSON array with \"code\", \"biography\" and \"submissions\" (pretalx speakers, pages joined)",
        )
    } else {
        return None;
    };
    Some(Detected {
        shape,
        because: because.to_owned(),
    })
}

/// Which CSV export `t` (trimmed at the start) is, by its header.
fn detect_csv(t: &str) -> Option<Detected> {
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
            // JSON without the list the named platform's reader walks would read as
            // nothing at all: say what it is instead.
            if json && list_key(p).is_some_and(|key| !head.contains(key)) {
                return Err(refuse_json(file, head, Some(p)));
            }
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
        (None, None) if head.trim_start().starts_with(['{', '[']) => {
            Err(refuse_json(file, head, None))
        }
        (None, None) => Err(ImportError::Unknown {
            file: file.to_owned(),
            detail: describe(head),
        }),
    }
}

/// The key of the list a platform's JSON reader walks (pretalx's joined pages are a
/// top-level array of rows that each have a `code`); `None` for a platform that exports
/// CSV only, whose refusal says so.
fn list_key(p: Platform) -> Option<&'static str> {
    match p {
        Platform::Eventbrite => Some("\"attendees\""),
        Platform::Sessionize => Some("\"sessions\""),
        Platform::Pretalx => Some("\"code\""),
        Platform::Luma | Platform::Meetup => None,
    }
}

/// The refusal of a JSON file of no known shape: what its top level is, never "not
/// valid JSON" (unless it is not).
fn refuse_json(file: &str, head: &str, named: Option<Platform>) -> ImportError {
    let Some(shape) = describe_json(head) else {
        return ImportError::Unknown {
            file: file.to_owned(),
            detail: "it starts like JSON but is not valid JSON".to_owned(),
        };
    };
    let expected = match named {
        Some(Platform::Eventbrite) => {
            "; an Eventbrite API export is an object with an \"attendees\" list"
        }
        Some(Platform::Sessionize) => {
            "; a Sessionize feed is view/All (an object with \"sessions\" and \"speakers\") or view/Sessions (an array of groups with \"sessions\")"
        }
        Some(Platform::Pretalx) => {
            "; a pretalx export is an API page ({\"count\", \"next\", \"results\"}) of submissions or speakers, or those joined into one array"
        }
        _ => "",
    };
    ImportError::Shape {
        file: file.to_owned(),
        detail: format!("{shape}{expected}"),
    }
}

/// What the top level of a JSON text is, from its start (the head may be cut): "its top
/// level is an array of objects with keys id, name". `None` if it is not JSON.
pub(crate) fn describe_json(head: &str) -> Option<String> {
    let seen = RefCell::new(Seen::default());
    let mut de = serde_json::Deserializer::from_str(head.trim_start_matches('\u{feff}'));
    // The head may end mid-value (it is the file's first 64 KiB): what was seen before
    // that is enough. Any other error means it is not JSON.
    let walked = Peek {
        seen: &seen,
        depth: 0,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    if walked.is_err_and(|e| !e.is_eof()) {
        return None;
    }
    let seen = seen.into_inner();
    let keys = |keys: &[String]| {
        let mut list = keys.join(", ");
        if keys.len() >= SHOWN_KEYS {
            list.push_str(", …");
        }
        list
    };
    Some(match (seen.top?, seen.first) {
        ("object", _) if seen.top_keys.is_empty() => "its top level is an empty object".to_owned(),
        ("object", _) => format!(
            "its top level is an object with keys {}",
            keys(&seen.top_keys)
        ),
        ("array", None) => "its top level is an empty array".to_owned(),
        ("array", Some("object")) => format!(
            "its top level is an array of objects with keys {}",
            keys(&seen.first_keys)
        ),
        ("array", Some(kind)) => format!("its top level is an array of {kind}s"),
        (kind, _) => format!("its top level is a {kind}"),
    })
}

/// How many keys a description lists.
const SHOWN_KEYS: usize = 8;

#[derive(Default)]
struct Seen {
    top: Option<&'static str>,
    top_keys: Vec<String>,
    first: Option<&'static str>,
    first_keys: Vec<String>,
}

/// Records the kind of the top level and of the first element of a top-level array,
/// and their first keys, as they are read.
struct Peek<'a> {
    seen: &'a RefCell<Seen>,
    depth: u8,
}

impl Peek<'_> {
    fn kind(&self, kind: &'static str) {
        let mut s = self.seen.borrow_mut();
        match self.depth {
            0 => s.top = Some(kind),
            _ => s.first = Some(kind),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Peek<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Peek<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        self.kind("boolean");
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        self.kind("number");
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        self.kind("number");
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        self.kind("number");
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        self.kind("string");
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.kind("null");
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.kind("array");
        if self.depth == 0 {
            seq.next_element_seed(Peek {
                seen: self.seen,
                depth: 1,
            })?;
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.kind("object");
        while let Some(key) = map.next_key::<String>()? {
            {
                let mut s = self.seen.borrow_mut();
                let keys = match self.depth {
                    0 => &mut s.top_keys,
                    _ => &mut s.first_keys,
                };
                if keys.len() < SHOWN_KEYS {
                    keys.push(key);
                }
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

fn describe(head: &str) -> String {
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
    fn top_level_arrays_tell_the_platform() {
        let d = |t: &str| detect(t).map(|d| d.shape);
        assert_eq!(
            d(r#"[{"groupId": null, "groupName": "All", "sessions": []}]"#),
            Some(Shape::SessionizeJson)
        );
        assert_eq!(
            d(r#"[{"code": "ABC7QX", "title": "t", "submission_type": 11, "state": "confirmed"}]"#),
            Some(Shape::PretalxSubmissionsJson)
        );
        assert_eq!(
            d(r#"[{"code": "SPK1AD", "name": "Ada", "biography": null, "submissions": []}]"#),
            Some(Shape::PretalxSpeakersJson)
        );
        assert_eq!(d(r#"[{"id": 1}]"#), None);
    }

    #[test]
    fn json_top_levels_are_described() {
        let d = |t: &str| describe_json(t);
        assert_eq!(
            d(r#"[{"a": 1, "b": [2]}, 3]"#).as_deref(),
            Some("its top level is an array of objects with keys a, b")
        );
        assert_eq!(
            d(r#"{"x": {"y": 1}, "z": "#).as_deref(),
            Some("its top level is an object with keys x, z"),
            "a head cut mid-value"
        );
        assert_eq!(
            d("[1, 2]").as_deref(),
            Some("its top level is an array of numbers")
        );
        assert_eq!(d("[]").as_deref(), Some("its top level is an empty array"));
        assert_eq!(d("\"s\"").as_deref(), Some("its top level is a string"));
        let many: String = (0..12).map(|i| format!("\"k{i}\": 0,")).collect();
        assert_eq!(
            d(&format!("{{{many} \"end\": 1}}")).as_deref(),
            Some("its top level is an object with keys k0, k1, k2, k3, k4, k5, k6, k7, …")
        );
        assert_eq!(d("{x"), None);
        assert_eq!(d("[1,,2]"), None);
    }

    proptest::proptest! {
        /// Whatever the first bytes, telling and describing them never panics.
        #[test]
        fn detection_never_panics(
            json in "[\\[\\]{}\"a-z0-9:,. ]{0,80}",
            any in "\\PC{0,80}",
        ) {
            for head in [&json, &any] {
                let _ = detect(head);
                let _ = describe_json(head);
                let _ = choose("f", head, None);
                let _ = choose("f", head, Some(Platform::Pretalx));
            }
        }
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
