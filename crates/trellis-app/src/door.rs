//! The door of an event (`/events/{id}/door`): find someone by name or e-mail, check them
//! in, undo it, or add a walk-in on the spot. The store reads and writes; which evening
//! takes check-ins and who must be asked first is decided here, once.

use crate::AppError;
use trellis_core::attendance::{CheckedIn, Rsvp};
use trellis_core::event::EventStatus;
use trellis_core::{EventId, PersonId};
use trellis_store::{AttendanceInput, Ctx, DoorPerson, NewPerson, Store};

/// One person at the door.
#[derive(Debug, Clone)]
pub struct DoorRow {
    pub person: PersonId,
    pub name: String,
    pub email: Option<String>,
    /// `None`: no RSVP (found by a search).
    pub rsvp: Option<Rsvp>,
    pub checked_in: bool,
    /// They said they would not come: the door asks before checking them in.
    pub ask_first: bool,
}

/// The door page's facts.
#[derive(Debug, Clone)]
pub struct Door {
    pub event: EventId,
    pub title: String,
    pub status: EventStatus,
    /// Whether the evening takes check-ins now: announced or held (a draft has no
    /// evening yet, a cancelled or closed one is over).
    pub open: bool,
    pub checked_in: u32,
    /// Who said they would come.
    pub going: u32,
    /// The people with an RSVP (matching the search, if any), by name.
    pub expected: Vec<DoorRow>,
    /// People without an RSVP matching the search.
    pub others: Vec<DoorRow>,
}

pub async fn door(store: &Store, event: EventId, search: &str) -> Result<Door, AppError> {
    let f = store.door(event, search).await?;
    Ok(Door {
        event: f.event,
        title: f.title,
        open: takes_check_ins(f.status),
        status: f.status,
        checked_in: f.counts.checked_in,
        going: f.counts.going,
        expected: f.expected.into_iter().map(row).collect(),
        others: f.others.into_iter().map(row).collect(),
    })
}

fn takes_check_ins(status: EventStatus) -> bool {
    matches!(status, EventStatus::Announced | EventStatus::Held)
}

fn row(p: DoorPerson) -> DoorRow {
    DoorRow {
        person: p.id,
        name: p.name,
        email: p.email,
        ask_first: p.rsvp == Some(Rsvp::Declined) && p.checked_in != CheckedIn::Yes,
        rsvp: p.rsvp,
        checked_in: p.checked_in == CheckedIn::Yes,
    }
}

/// What the door did, for the page to return to the person.
#[derive(Debug, Clone)]
pub struct DoorDone {
    pub person: PersonId,
    pub name: String,
}

/// Checks `person` in (their RSVP stays as it was: the metrics read what they said and
/// what they did).
pub async fn check_in(
    store: &Store,
    ctx: &Ctx,
    event: EventId,
    person: PersonId,
) -> Result<DoorDone, AppError> {
    set(store, ctx, event, person, CheckedIn::Yes).await
}

/// Undoes a check-in made by mistake: back to "not checked in yet", not to "did not
/// come" (nobody said so).
pub async fn undo(
    store: &Store,
    ctx: &Ctx,
    event: EventId,
    person: PersonId,
) -> Result<DoorDone, AppError> {
    set(store, ctx, event, person, CheckedIn::Unknown).await
}

async fn set(
    store: &Store,
    ctx: &Ctx,
    event: EventId,
    person: PersonId,
    checked_in: CheckedIn,
) -> Result<DoorDone, AppError> {
    let input = AttendanceInput {
        event,
        person,
        rsvp: None,
        checked_in: Some(checked_in),
        source: "door".into(),
    };
    let a = store.attend(ctx, &input).await?;
    Ok(DoorDone {
        person: a.person,
        name: a.person_name,
    })
}

/// Someone at the door who is not on record: added with their name and, if they give
/// one, their e-mail, and checked in, in one go.
pub async fn walk_in(
    store: &Store,
    ctx: &Ctx,
    event: EventId,
    name: &str,
    email: Option<&str>,
) -> Result<DoorDone, AppError> {
    let new = NewPerson {
        name: name.to_owned(),
        emails: email.into_iter().map(str::to_owned).collect(),
    };
    let (p, _) = store.walk_in(ctx, event, &new).await?;
    Ok(DoorDone {
        person: p.id,
        name: p.name,
    })
}
