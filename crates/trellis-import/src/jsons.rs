//! The JSON exports: Eventbrite API attendees, Sessionize `view/All` and `view/Sessions`,
//! pretalx submissions and speakers (one API page, or the pages' results joined into one
//! top-level array, as many projects save them). A top-level object is walked key by key
//! and the list that holds the rows is visited element by element (serde's stream-array
//! pattern over `io::Read`); a top-level array is visited element by element. A large
//! file is never held whole. Each element's line is where its first token is.

use crate::csvs::{eventbrite_status, pretalx_status};
use crate::error::ImportError;
use crate::{Out, Questions};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::rc::Rc;
use trellis_core::attendance::Rsvp;
use trellis_core::demo::DemoStatus;
use trellis_core::import::{Guest, PersonKey, Record, RowNote, Session, Shape, Speaker};

/// Where the reader is: the current line, and the line of the first non-blank byte read
/// since the last `arm`.
#[derive(Default)]
struct Lines {
    line: Cell<u64>,
    armed: Cell<bool>,
    mark: Cell<u64>,
}

struct Counting<R> {
    inner: R,
    at: Rc<Lines>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for b in &buf[..n] {
            if self.at.armed.get() && !b.is_ascii_whitespace() {
                self.at.mark.set(self.at.line.get());
                self.at.armed.set(false);
            }
            if *b == b'\n' {
                self.at.line.set(self.at.line.get() + 1);
            }
        }
        Ok(n)
    }
}

type Each<'a> = dyn FnMut(&str, u64, Value) -> Result<(), ImportError> + 'a;

/// The key an element of a top-level array is handed over with.
const TOP: &str = "";

struct Top<'a, 'f> {
    keys: &'a [&'a str],
    at: Rc<Lines>,
    each: &'a mut Each<'f>,
    failed: &'a mut Option<ImportError>,
}

impl<'de> DeserializeSeed<'de> for Top<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object or array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        List {
            key: TOP,
            at: &self.at,
            each: self.each,
            failed: self.failed,
        }
        .visit_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if self.keys.contains(&key.as_str()) {
                map.next_value_seed(List {
                    key: &key,
                    at: &self.at,
                    each: &mut *self.each,
                    failed: &mut *self.failed,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct List<'a, 'f> {
    key: &'a str,
    at: &'a Rc<Lines>,
    each: &'a mut Each<'f>,
    failed: &'a mut Option<ImportError>,
}

impl<'de> DeserializeSeed<'de> for List<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for List<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list under {:?}", self.key)
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            self.at.armed.set(true);
            let Some(v) = seq.next_element::<Value>()? else {
                break;
            };
            let line = self.at.mark.get();
            if let Err(e) = (self.each)(self.key, line, v) {
                *self.failed = Some(e);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

fn walk(
    file: &str,
    reader: impl Read,
    keys: &[&str],
    each: &mut Each<'_>,
) -> Result<(), ImportError> {
    let at = Rc::new(Lines::default());
    at.line.set(1);
    let counting = Counting {
        inner: reader,
        at: at.clone(),
    };
    let mut de = serde_json::Deserializer::from_reader(counting);
    let mut failed = None;
    let result = Top {
        keys,
        at,
        each,
        failed: &mut failed,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    if let Some(e) = failed {
        return Err(e);
    }
    result.map_err(|e| {
        if e.is_io() {
            ImportError::Io {
                file: file.to_owned(),
                detail: e.to_string(),
            }
        } else if e.is_data() {
            // Well-formed JSON with the wrong thing where a list should be.
            let text = e.to_string();
            let detail = text.split(" at line ").next().unwrap_or(&text);
            ImportError::Shape {
                file: file.to_owned(),
                detail: format!("at line {}: {detail}", e.line()),
            }
        } else {
            let text = e.to_string();
            let detail = text.split(" at line ").next().unwrap_or(&text).to_owned();
            ImportError::Malformed {
                file: file.to_owned(),
                line: e.line() as u64,
                column: e.column() as u64,
                detail: format!("not valid JSON: {detail}"),
            }
        }
    })
}

pub(crate) fn parse(
    file: &str,
    shape: Shape,
    reader: impl Read,
    out: &mut Out<'_>,
) -> Result<Vec<String>, ImportError> {
    let mut q = Questions::default();
    match shape {
        Shape::EventbriteJson => walk(file, reader, &["attendees"], &mut |_, line, v| {
            out.rows += 1;
            let r = eventbrite(line, &v, &mut q);
            out.push(r)
        })?,
        Shape::PretalxSubmissionsJson => walk(file, reader, &["results"], &mut |_, line, v| {
            each_result(line, v, &mut |line, v| {
                out.rows += 1;
                let r = pretalx_submission(line, &v, &mut q);
                out.push(r)
            })
        })?,
        Shape::PretalxSpeakersJson => walk(file, reader, &["results"], &mut |_, line, v| {
            each_result(line, v, &mut |line, v| {
                out.rows += 1;
                let r = pretalx_speaker(line, &v, &mut q);
                out.push(r)
            })
        })?,
        Shape::SessionizeJson => sessionize(file, reader, out, &mut q)?,
        other => {
            return Err(ImportError::Unknown {
                file: file.to_owned(),
                detail: format!("{other} is not a JSON export"),
            });
        }
    }
    Ok(q.into_list())
}

/// A pretalx row, or a whole API page (`{"count", "next", "results": […]}`) saved as
/// an element of a joined array: its rows, each with the page's line.
fn each_result(
    line: u64,
    mut v: Value,
    row: &mut dyn FnMut(u64, Value) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    match v.as_object_mut().and_then(|o| o.remove("results")) {
        Some(Value::Array(rows)) => rows.into_iter().try_for_each(|r| row(line, r)),
        _ => row(line, v),
    }
}

fn s<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|x| !x.is_empty())
}

fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// A pretalx multi-language string (`{"en": "…"}`) or a plain one.
fn text_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(t) => Some(t.trim().to_owned()).filter(|t| !t.is_empty()),
        Value::Object(m) => m
            .get("en")
            .or_else(|| m.values().next())
            .and_then(Value::as_str)
            .map(|t| t.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn skipped(line: u64, reason: String) -> Record {
    Record::Skipped(RowNote { line, reason })
}

fn eventbrite(line: u64, v: &Value, q: &mut Questions) -> Record {
    let profile = v.get("profile").unwrap_or(&Value::Null);
    let status = s(v, "status").unwrap_or("");
    let used = v
        .get("barcodes")
        .and_then(Value::as_array)
        .is_some_and(|b| b.iter().any(|x| s(x, "status") == Some("used")));
    let (rsvp, checked) = if flag(v, "cancelled") || flag(v, "refunded") {
        (Rsvp::Declined, false)
    } else if flag(v, "checked_in") || used {
        (Rsvp::Going, true)
    } else {
        match eventbrite_status(status) {
            Some(x) => x,
            None => {
                return skipped(
                    line,
                    format!(
                        "status {status:?} is not an attendance (Attending, Checked In, Not Attending)"
                    ),
                );
            }
        }
    };
    let Some(email) = s(profile, "email") else {
        return skipped(
            line,
            "profile.email is missing: cannot tell who this attendee is".into(),
        );
    };
    let name = s(profile, "name").map(str::to_owned).or_else(|| {
        let parts: Vec<&str> = [s(profile, "first_name"), s(profile, "last_name")]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    });
    let answers = v
        .get("answers")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|a| Some((q.id(s(a, "question")?), s(a, "answer")?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    Record::Guest(Guest {
        line,
        person: PersonKey {
            name,
            email: Some(email.to_owned()),
            platform_id: None,
        },
        rsvp,
        checked_in: checked,
        status: status.to_owned(),
        group: s(v, "order_id").map(str::to_owned),
        answers,
    })
}

/// pretalx answers name their question by id (or as an object when expanded).
fn pretalx_answers(v: &Value, q: &mut Questions) -> Vec<(u32, String)> {
    v.get("answers")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|a| {
                    let question = match a.get("question")? {
                        Value::Object(o) => text_of(o.get("question"))
                            .or_else(|| o.get("id").map(|i| format!("question {i}")))?,
                        other => format!("question {other}"),
                    };
                    let answer = s(a, "answer")?.to_owned();
                    Some((q.id(&question), answer))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn pretalx_submission(line: u64, v: &Value, q: &mut Questions) -> Record {
    let Some(code) = s(v, "code") else {
        return skipped(line, "the submission has no code".into());
    };
    let state = s(v, "state").unwrap_or("");
    let Some(status) = pretalx_status(state) else {
        return skipped(
            line,
            format!("submission {code}: state {state:?} is not a submitted proposal's"),
        );
    };
    let Some(title) = text_of(v.get("title")) else {
        return skipped(line, format!("submission {code} has no title"));
    };
    let speakers = v
        .get("speakers")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|sp| match sp {
                    Value::String(c) => Some(PersonKey {
                        name: None,
                        email: None,
                        platform_id: Some(c.clone()),
                    }),
                    Value::Object(_) => Some(PersonKey {
                        name: s(sp, "name").map(str::to_owned),
                        email: s(sp, "email").map(str::to_owned),
                        platform_id: s(sp, "code").map(str::to_owned),
                    }),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    Record::Session(Session {
        line,
        external_id: code.to_owned(),
        title,
        status,
        platform_status: state.to_owned(),
        speakers,
        answers: pretalx_answers(v, q),
    })
}

fn pretalx_speaker(line: u64, v: &Value, q: &mut Questions) -> Record {
    let Some(code) = s(v, "code") else {
        return skipped(line, "the speaker has no code".into());
    };
    Record::Speaker(Speaker {
        line,
        person: PersonKey {
            name: s(v, "name").map(str::to_owned),
            email: s(v, "email").map(str::to_owned),
            platform_id: Some(code.to_owned()),
        },
        arrived: flag(v, "has_arrived"),
        sessions: v
            .get("submissions")
            .and_then(Value::as_array)
            .map(|l| {
                l.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
        answers: pretalx_answers(v, q),
    })
}

/// Sessionize's status → Trellis's demo status. `Accepted` is a passed screening, and a
/// confirmed demo once the speaker confirmed (`isConfirmed`); the `*_Queue` states are
/// decisions not yet sent to the speaker. A public feed (see [`PUBLISHED`]) has no status.
pub fn sessionize_status(status: &str, confirmed: bool) -> Option<DemoStatus> {
    Some(match status {
        "Nominated" => DemoStatus::Proposed,
        "Accepted_Queue" => DemoStatus::Screened,
        "Accepted" if confirmed => DemoStatus::Confirmed,
        "Accepted" => DemoStatus::Screened,
        "Declined" | "Decline_Queue" => DemoStatus::Rejected,
        _ => return None,
    })
}

/// The platform status recorded for a session of a public feed: the event's published
/// `view/All` or `view/Sessions` has no `status` at all, and everything in it is on the
/// schedule, so it is a confirmed demo (presented, once the event is held: the store's
/// call, as only it knows the event).
pub use trellis_core::import::PUBLISHED;

fn sessionize(
    file: &str,
    reader: impl Read,
    out: &mut Out<'_>,
    q: &mut Questions,
) -> Result<(), ImportError> {
    let feed = SessionizeFeed::read(file, reader)?;
    // A feed in which no session has a status is the public one (see PUBLISHED); in an
    // organiser's feed a session without one is skipped, as before.
    let public = !feed.sessions.iter().any(|(_, v)| s(v, "status").is_some());
    let by_id: HashMap<String, &Value> = feed
        .speakers
        .iter()
        .filter_map(|(_, v)| Some((s(v, "id")?.to_owned(), v)))
        .collect();
    for (line, v) in &feed.sessions {
        out.rows += 1;
        out.push(feed.session(*line, v, public, &by_id, q))?;
    }
    for (line, v) in &feed.speakers {
        out.rows += 1;
        out.push(feed.speaker(*line, v, q))?;
    }
    Ok(())
}

/// A Sessionize feed as read: its sessions and speakers, each with its line, and the
/// texts of its questions by id.
struct SessionizeFeed {
    sessions: Vec<(u64, Value)>,
    speakers: Vec<(u64, Value)>,
    questions: HashMap<String, String>,
}

impl SessionizeFeed {
    fn read(file: &str, reader: impl Read) -> Result<Self, ImportError> {
        // Sessions name their speakers by id and come first; both lists are kept (compactly)
        // until the end, which is one event's programme.
        let mut sessions: Vec<(u64, Value)> = Vec::new();
        let mut speakers: Vec<(u64, Value)> = Vec::new();
        let mut questions: HashMap<String, String> = HashMap::new();
        let mut keep = |line: u64, mut v: Value| {
            if let Some(o) = v.as_object_mut() {
                o.remove("description");
            }
            sessions.push((line, v));
        };
        walk(
            file,
            reader,
            &["sessions", "speakers", "questions"],
            &mut |key, line, mut v| {
                match key {
                    "sessions" => keep(line, v),
                    // `view/Sessions`: a top-level array of groups, each with its sessions
                    // (they take the line of their group).
                    TOP => {
                        if let Some(Value::Array(list)) =
                            v.as_object_mut().and_then(|o| o.remove("sessions"))
                        {
                            list.into_iter().for_each(|x| keep(line, x));
                        }
                    }
                    "speakers" => {
                        if let Some(o) = v.as_object_mut() {
                            o.remove("bio");
                            o.remove("links");
                        }
                        speakers.push((line, v));
                    }
                    _ => {
                        if let (Some(id), Some(text)) = (v.get("id"), s(&v, "question")) {
                            questions.insert(id.to_string(), text.to_owned());
                        }
                    }
                }
                Ok(())
            },
        )?;
        Ok(SessionizeFeed {
            sessions,
            speakers,
            questions,
        })
    }

    fn answers_of(&self, v: &Value, q: &mut Questions) -> Vec<(u32, String)> {
        v.get("questionAnswers")
            .and_then(Value::as_array)
            .map(|l| {
                l.iter()
                    .filter_map(|a| {
                        // `view/Sessions` writes the question's text beside the answer.
                        if let (Some(question), Some(answer)) = (s(a, "question"), s(a, "answer")) {
                            return Some((q.id(question), answer.to_owned()));
                        }
                        let id = a.get("questionId")?.to_string();
                        let question = self
                            .questions
                            .get(&id)
                            .cloned()
                            .unwrap_or_else(|| format!("question {id}"));
                        Some((q.id(&question), s(a, "answerValue")?.to_owned()))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A session as a record, or skipped with the reason. `by_id` holds the speakers.
    fn session(
        &self,
        line: u64,
        v: &Value,
        public: bool,
        by_id: &HashMap<String, &Value>,
        q: &mut Questions,
    ) -> Record {
        let id = match v.get("id") {
            Some(Value::String(x)) => x.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return skipped(line, "the session has no id".into()),
        };
        if flag(v, "isServiceSession") {
            return skipped(
                line,
                format!("session {id} is a service session (a break, food): not a demo"),
            );
        }
        let raw = match s(v, "status") {
            None if public => PUBLISHED,
            other => other.unwrap_or(""),
        };
        let status = match raw {
            PUBLISHED => Some(DemoStatus::Confirmed),
            _ => sessionize_status(raw, flag(v, "isConfirmed")),
        };
        let Some(status) = status else {
            let reason = if raw.is_empty() {
                format!("session {id} has no status, though other sessions of this feed have one")
            } else {
                format!(
                    "session {id}: status {raw:?} is not one Sessionize uses (Nominated, Accepted, Declined, …)"
                )
            };
            return skipped(line, reason);
        };
        let Some(title) = s(v, "title") else {
            return skipped(line, format!("session {id} has no title"));
        };
        let speakers = session_speakers(v, by_id);
        let answers = self.answers_of(v, q);
        Record::Session(Session {
            line,
            external_id: id,
            title: title.to_owned(),
            status,
            platform_status: raw.to_owned(),
            speakers,
            answers,
        })
    }

    /// A speaker as a record, or skipped with the reason.
    fn speaker(&self, line: u64, v: &Value, q: &mut Questions) -> Record {
        let Some(id) = s(v, "id") else {
            return skipped(line, "the speaker has no id".into());
        };
        let answers = self.answers_of(v, q);
        Record::Speaker(Speaker {
            line,
            person: PersonKey {
                name: sessionize_name(v),
                email: None,
                platform_id: Some(id.to_owned()),
            },
            arrived: false,
            sessions: v
                .get("sessions")
                .and_then(Value::as_array)
                .map(|l| {
                    l.iter()
                        .map(|x| match x {
                            Value::String(t) => t.clone(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            answers,
        })
    }
}

/// A Sessionize speaker's name: `fullName`, or the first and last names.
fn sessionize_name(v: &Value) -> Option<String> {
    s(v, "fullName").map(str::to_owned).or_else(|| {
        let parts: Vec<&str> = [s(v, "firstName"), s(v, "lastName")]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    })
}

/// A session's speakers, named inline or by the speaker `by_id`.
fn session_speakers(v: &Value, by_id: &HashMap<String, &Value>) -> Vec<PersonKey> {
    v.get("speakers")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|x| match x {
                    // `view/All` names speakers by id; `view/Sessions` inlines
                    // `{id, name}`.
                    Value::String(guid) => Some((guid.as_str(), None)),
                    Value::Object(_) => Some((s(x, "id")?, s(x, "name"))),
                    _ => None,
                })
                .map(|(guid, inline)| PersonKey {
                    name: inline
                        .map(str::to_owned)
                        .or_else(|| by_id.get(guid).and_then(|sp| sessionize_name(sp))),
                    email: None,
                    platform_id: Some(guid.to_owned()),
                })
                .collect()
        })
        .unwrap_or_default()
}
