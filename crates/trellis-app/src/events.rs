//! Events as `--json` shows them: the list, a change of status, the attendance counts.

use crate::overrides::OverrideRecord;
use crate::{AppError, views};
use serde::Serialize;
use trellis_core::event::EventStatus;
use trellis_core::{EventId, ProgramId};
use trellis_store::Store;

/// An event as lists show it: `event list`, `GET /api/events`, the head of `event show`.
#[derive(Debug, Clone, Serialize)]
pub struct EventSummary {
    pub id: EventId,
    pub program_id: ProgramId,
    pub program: String,
    /// The program co-hosting the event (it counts in both programs' metrics), if any.
    pub cohost_program_id: Option<ProgramId>,
    pub cohost: Option<String>,
    pub title: String,
    /// The instant, RFC 3339 with the offset of the program's zone.
    #[serde(serialize_with = "trellis_core::time::json::local")]
    pub starts_at: jiff::ZonedDateTime,
    /// The wall-clock time as typed, and its zone.
    pub starts_local: String,
    pub tz: String,
    pub venue: Option<String>,
    pub capacity: Option<i64>,
    pub status: EventStatus,
    pub slots: u32,
    pub slots_taken: u32,
    pub demos_confirmed: u32,
    pub demos_presented: u32,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub created_at: jiff::Timestamp,
    /// Entered as history after it happened: no gate was asked, no time-to-ship.
    pub backfilled: bool,
}

from_fact!(trellis_store::EventSummary => EventSummary {
    id, program_id, program, cohost_program_id, cohost, title, starts_at, starts_local, tz, venue, capacity, status, slots,
    slots_taken, demos_confirmed, demos_presented, created_at, backfilled
});

/// A step of an event's lifecycle (`event announce`, `held`, …), with any overrides used.
#[derive(Debug, Clone, Serialize)]
pub struct StatusChange {
    pub event: EventId,
    pub from: Option<EventStatus>,
    pub to: EventStatus,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub at: jiff::Timestamp,
    pub actor: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<OverrideRecord>,
}

from_fact!(trellis_store::StatusChange => StatusChange {
    event, from, to, at, actor
} each {
    overrides
});

/// An event's attendance, counted by RSVP, and its check-ins.
#[derive(Debug, Clone, Serialize)]
pub struct AttendanceCounts {
    pub going: u32,
    pub waitlist: u32,
    pub declined: u32,
    pub invited: u32,
    pub checked_in: u32,
}

from_fact!(trellis_store::AttendanceCounts => AttendanceCounts {
    going, waitlist, declined, invited, checked_in
});

/// Events, oldest first: one program's, or all.
pub async fn list(
    store: &Store,
    program: Option<ProgramId>,
) -> Result<Vec<EventSummary>, AppError> {
    Ok(views(store.list_events(program).await?))
}
