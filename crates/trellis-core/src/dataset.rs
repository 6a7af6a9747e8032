//! A whole community's history as plain data, with references by position: what the
//! sample generator produces and the store bulk-loads in one transaction.

use crate::attendance::{CheckedIn, Rsvp};
use crate::demo::{Checklist, DemoStatus};
use crate::event::EventStatus;
use crate::program::ProgramSettings;
use jiff::Timestamp;

#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub programs: Vec<ProgramRecord>,
    pub people: Vec<PersonRecord>,
    pub events: Vec<EventRecord>,
    pub attendances: Vec<AttendanceRecord>,
    pub demos: Vec<DemoRecord>,
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
