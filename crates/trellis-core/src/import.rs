//! What an importer hands to the store: plain records already mapped onto Trellis's
//! vocabulary (RSVP, check-in, demo status), with the line each came from. The parsers
//! (`trellis-import`) produce them; the store matches identities and writes them. Nothing
//! here reads a file or a database.

use crate::attendance::Rsvp;
use crate::demo::DemoStatus;
use crate::error::CoreError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The platforms organizers export from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Luma,
    Eventbrite,
    Meetup,
    Sessionize,
    Pretalx,
}

impl Platform {
    pub const ALL: [Platform; 5] = [
        Platform::Luma,
        Platform::Eventbrite,
        Platform::Meetup,
        Platform::Sessionize,
        Platform::Pretalx,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Luma => "luma",
            Platform::Eventbrite => "eventbrite",
            Platform::Meetup => "meetup",
            Platform::Sessionize => "sessionize",
            Platform::Pretalx => "pretalx",
        }
    }

    /// Whether the platform's person id names the same human in every event. Meetup's
    /// member id does; pretalx's speaker code is per event since v2026.1, so the store
    /// scopes it to the event; Sessionize's speaker GUIDs are unique but per event.
    pub fn person_id_is_global(self) -> bool {
        matches!(self, Platform::Meetup | Platform::Sessionize)
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Platform {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                CoreError::invalid(
                    "platform",
                    s,
                    "is not one of luma, eventbrite, meetup, sessionize, pretalx",
                )
            })
    }
}

/// Which export of a platform a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    LumaCsv,
    EventbriteCsv,
    EventbriteJson,
    MeetupCsv,
    SessionizeJson,
    PretalxSubmissionsJson,
    PretalxSpeakersJson,
    PretalxSessionsCsv,
}

impl Shape {
    pub fn platform(self) -> Platform {
        match self {
            Shape::LumaCsv => Platform::Luma,
            Shape::EventbriteCsv | Shape::EventbriteJson => Platform::Eventbrite,
            Shape::MeetupCsv => Platform::Meetup,
            Shape::SessionizeJson => Platform::Sessionize,
            Shape::PretalxSubmissionsJson
            | Shape::PretalxSpeakersJson
            | Shape::PretalxSessionsCsv => Platform::Pretalx,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Shape::LumaCsv => "luma guest CSV",
            Shape::EventbriteCsv => "eventbrite attendee report CSV",
            Shape::EventbriteJson => "eventbrite API attendees JSON",
            Shape::MeetupCsv => "meetup attendee list CSV",
            Shape::SessionizeJson => "sessionize view/All JSON",
            Shape::PretalxSubmissionsJson => "pretalx submissions JSON",
            Shape::PretalxSpeakersJson => "pretalx speakers JSON",
            Shape::PretalxSessionsCsv => "pretalx session export CSV",
        }
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who a record is about, as the file says it. The store decides who that is: by
/// normalised e-mail first, then by the platform's id; never by the name alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonKey {
    pub name: Option<String>,
    /// As typed in the file; normalised by the store.
    pub email: Option<String>,
    pub platform_id: Option<String>,
}

impl PersonKey {
    /// Whether the record says who it is about at all.
    pub fn identifiable(&self) -> bool {
        self.email.as_deref().is_some_and(|e| !e.trim().is_empty())
            || self.platform_id.as_deref().is_some_and(|i| !i.is_empty())
    }
}

/// One guest of an attendee list (Luma, Eventbrite, Meetup).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guest {
    pub line: u64,
    pub person: PersonKey,
    pub rsvp: Rsvp,
    /// Checked in at the door. `false` means "not checked in": whether that is a no-show
    /// or unknown depends on whether the file uses check-in at all (the store decides).
    pub checked_in: bool,
    /// The platform's own status, for messages.
    pub status: String,
    /// An order or ticket group: several rows of one order are one buyer.
    pub group: Option<String>,
    /// Answers to the event's questions: (index into [`FileFacts::questions`], answer).
    pub answers: Vec<(u32, String)>,
}

/// The platform status of a session read from a public feed (Sessionize's published
/// `view/All` or `view/Sessions`, which carry no status): it is on the published schedule,
/// so a confirmed demo, and a presented one once its event is held (the store decides).
pub const PUBLISHED: &str = "published (public feed, no status)";

/// One proposal or session (Sessionize, pretalx): a demo of the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub line: u64,
    /// The platform's id of the session (pretalx code, Sessionize session id).
    pub external_id: String,
    pub title: String,
    pub status: DemoStatus,
    pub platform_status: String,
    pub speakers: Vec<PersonKey>,
    pub answers: Vec<(u32, String)>,
}

/// One speaker (pretalx speakers list): a person, their sessions and whether they arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    pub line: u64,
    pub person: PersonKey,
    pub arrived: bool,
    /// External ids of their sessions.
    pub sessions: Vec<String>,
    pub answers: Vec<(u32, String)>,
}

/// A row that could not be imported, or a remark about one that was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowNote {
    pub line: u64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Guest(Guest),
    Session(Session),
    Speaker(Speaker),
    /// The row is skipped; the rest of the file imports.
    Skipped(RowNote),
}

/// What the parser learned about the whole file, sent when it is read to the end.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileFacts {
    /// Data rows (CSV records, JSON list elements) read.
    pub rows: u64,
    /// The questions answers refer to, by index.
    pub questions: Vec<String>,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

/// The messages a parser sends to the store, in this order: one `Start`, batches of
/// records, one `End`. A stream that stops without `End` was not read to the end and
/// nothing of it is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportMsg {
    Start {
        shape: Shape,
        /// Why this platform was chosen (format detection says what it saw).
        chosen_because: String,
    },
    Batch(Vec<Record>),
    End(FileFacts),
}

/// How the RSVPs of several rows about one person (two tickets, two registrations
/// under two spellings of one e-mail) combine: the strongest commitment wins.
pub fn stronger_rsvp(a: Rsvp, b: Rsvp) -> Rsvp {
    fn rank(r: Rsvp) -> u8 {
        match r {
            Rsvp::Going => 3,
            Rsvp::Waitlist => 2,
            Rsvp::Invited => 1,
            Rsvp::Declined => 0,
        }
    }
    if rank(b) > rank(a) { b } else { a }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_round_trip_their_names() {
        for p in Platform::ALL {
            assert_eq!(p.as_str().parse::<Platform>().unwrap(), p);
        }
        assert!("zoom".parse::<Platform>().is_err());
    }

    #[test]
    fn going_beats_the_rest() {
        assert_eq!(stronger_rsvp(Rsvp::Declined, Rsvp::Going), Rsvp::Going);
        assert_eq!(stronger_rsvp(Rsvp::Going, Rsvp::Waitlist), Rsvp::Going);
        assert_eq!(stronger_rsvp(Rsvp::Invited, Rsvp::Waitlist), Rsvp::Waitlist);
    }

    #[test]
    fn a_key_without_email_or_id_names_nobody() {
        let k = PersonKey {
            name: Some("Former member".into()),
            ..PersonKey::default()
        };
        assert!(!k.identifiable());
    }
}
