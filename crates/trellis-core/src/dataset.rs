//! A whole community's history as plain data, with references by position: what the
//! sample generator produces and the store bulk-loads in one transaction.

use crate::attendance::{CheckedIn, Rsvp};
use crate::demo::{Checklist, DemoStatus};
use crate::event::EventStatus;
use crate::followup::{Channel, Outcome};
use crate::pipeline::Stage;
use crate::program::ProgramSettings;
use jiff::Timestamp;

#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub programs: Vec<ProgramRecord>,
    pub people: Vec<PersonRecord>,
    pub events: Vec<EventRecord>,
    pub attendances: Vec<AttendanceRecord>,
    pub demos: Vec<DemoRecord>,
    pub retros: Vec<RetroRecord>,
    pub followups: Vec<FollowupRecord>,
    pub cards: Vec<CardRecord>,
    pub moves: Vec<MoveRecord>,
    pub sparks: Vec<SparkRecord>,
    pub organizers: Vec<OrganizerRecord>,
    pub checkins: Vec<CheckinRecord>,
    pub reviews: Vec<ReviewRecord>,
}

#[derive(Debug, Clone)]
pub struct ProgramRecord {
    pub name: String,
    pub tz: String,
    pub settings: ProgramSettings,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct PersonRecord {
    pub name: String,
    /// Normalised e-mails; unique across the dataset.
    pub emails: Vec<String>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct StatusRecord<S> {
    pub from: Option<S>,
    pub to: S,
    pub at: Timestamp,
    pub actor: String,
}

#[derive(Debug, Clone)]
pub struct EventRecord {
    /// Index into [`Dataset::programs`].
    pub program: usize,
    pub title: String,
    /// `YYYY-MM-DD HH:MM` in `tz`.
    pub starts_local: String,
    pub tz: String,
    pub starts_at: Timestamp,
    pub venue: Option<String>,
    pub capacity: Option<u32>,
    pub slots: u32,
    pub status: EventStatus,
    pub created_at: Timestamp,
    /// Every status change, oldest first, starting with the creation as draft.
    pub history: Vec<StatusRecord<EventStatus>>,
}

#[derive(Debug, Clone, Copy)]
pub struct AttendanceRecord {
    /// Index into [`Dataset::events`].
    pub event: usize,
    /// Index into [`Dataset::people`].
    pub person: usize,
    pub rsvp: Rsvp,
    pub checked_in: CheckedIn,
}

#[derive(Debug, Clone)]
pub struct DemoRecord {
    pub event: usize,
    /// Indexes into [`Dataset::people`], in billing order.
    pub presenters: Vec<usize>,
    pub title: String,
    pub status: DemoStatus,
    pub screening_passed: bool,
    pub checklist: Checklist,
    pub screening_note: Option<String>,
    pub contract_accepted_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub history: Vec<StatusRecord<DemoStatus>>,
}

#[derive(Debug, Clone)]
pub struct RetroRecord {
    pub event: usize,
    pub worked: String,
    pub broke: String,
    pub surprised: String,
    pub invite: Vec<usize>,
    /// Exactly three: (person, why).
    pub follow_up: Vec<(usize, String)>,
    pub written_at: Timestamp,
    pub due_at: Timestamp,
    pub author: String,
}

#[derive(Debug, Clone)]
pub struct FollowupRecord {
    pub event: usize,
    pub person: usize,
    pub channel: Channel,
    pub sent_at: Timestamp,
    pub actor: String,
    /// (answer, outcome, answered at)
    pub answer: Option<(String, Option<Outcome>, Timestamp)>,
}

#[derive(Debug, Clone)]
pub struct CardRecord {
    pub program: usize,
    pub person: usize,
    /// The stage the card stands at now (after every move below).
    pub stage: Stage,
    pub quiet_killer: bool,
    pub added_at: Timestamp,
    pub added_by: String,
}

#[derive(Debug, Clone)]
pub struct MoveRecord {
    pub program: usize,
    pub person: usize,
    pub from: Stage,
    pub to: Stage,
    pub automatic: bool,
    pub cycle_event: Option<usize>,
    pub at: Timestamp,
    pub actor: String,
}

#[derive(Debug, Clone)]
pub struct SparkRecord {
    pub a: usize,
    pub b: usize,
    pub event: Option<usize>,
    pub note: Option<String>,
    pub made_by: String,
    pub made_at: Timestamp,
    /// (when, what happened)
    pub acted: Option<(Timestamp, String)>,
}

#[derive(Debug, Clone)]
pub struct OrganizerRecord {
    pub name: String,
    pub email: Option<String>,
    pub programs: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct CheckinRecord {
    pub event: usize,
    pub organizer: usize,
    pub answers: [u8; 7],
    pub hours: f64,
    pub at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct ReviewRecord {
    pub program: Option<usize>,
    pub started_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub started_by: String,
    pub insight: Option<String>,
}
