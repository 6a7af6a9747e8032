//! Organizers and their fatigue check-ins, as `--json` shows them.

use crate::{AppError, views};
use serde::Serialize;
use std::collections::HashMap;
use trellis_core::event::EventStatus;
use trellis_core::metrics::{CheckinFact, History, Period, fatigue_index};
use trellis_core::person::normalise_email;
use trellis_core::{EventId, ProgramId};
use trellis_store::{Ctx, Store};

/// An organizer and the programs they organize; a retired one keeps their place in
/// history, with when they retired.
#[derive(Debug, Clone, Serialize)]
pub struct Organizer {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub programs: Vec<ProgramId>,
    pub retired: bool,
    #[serde(serialize_with = "trellis_core::time::json::utc_opt")]
    pub retired_at: Option<jiff::Timestamp>,
}

impl From<trellis_store::Organizer> for Organizer {
    fn from(o: trellis_store::Organizer) -> Self {
        Organizer {
            retired: o.retired_at.is_some(),
            id: o.id,
            name: o.name,
            email: o.email,
            programs: o.programs,
            retired_at: o.retired_at,
        }
    }
}

impl Organizer {
    /// As the hand-off rules read them.
    pub fn fact(&self) -> trellis_core::handoff::OrganizerFact {
        trellis_core::handoff::OrganizerFact {
            id: self.id,
            name: self.name.clone(),
            programs: self.programs.clone(),
            retired: self.retired,
        }
    }
}

/// A fatigue check-in: `checkin`, `checkin show`.
#[derive(Debug, Clone, Serialize)]
pub struct CheckinView {
    pub id: i64,
    pub event: EventId,
    pub organizer: String,
    pub answers: Vec<u8>,
    pub score: f64,
    pub high: bool,
    pub hours: f64,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub at: jiff::Timestamp,
}

from_fact!(trellis_store::CheckinView => CheckinView {
    id, event, organizer, answers, score, high, hours, at
});

/// Every organizer.
pub async fn list(store: &Store) -> Result<Vec<Organizer>, AppError> {
    Ok(views(store.organizers().await?))
}

/// An organizer's own check-ins (by name or id), oldest first.
pub async fn checkins(store: &Store, organizer: &str) -> Result<Vec<CheckinView>, AppError> {
    Ok(views(store.organizer_checkins(organizer).await?))
}

/// A program's fatigue as anyone may see it: the index and how many organizers are
/// high, never whose answers.
#[derive(Debug, Clone)]
pub struct ProgramFatigue {
    pub program: ProgramId,
    pub name: String,
    /// The mean of each active organizer's latest score (0–100), if anyone checked in.
    pub index: Option<f64>,
    pub high: bool,
    pub high_organizers: u32,
    /// Organizers with a check-in in the last 60 days.
    pub active: usize,
}

/// An event an organizer may check in for: held, of one of their programs.
#[derive(Debug, Clone)]
pub struct CheckinEvent {
    pub id: EventId,
    pub title: String,
    pub program: String,
    pub starts_at: jiff::Timestamp,
    /// Whether they already answered for it.
    pub answered: bool,
}

/// The check-in page of a signed-in user: who they are as an organizer (matched by
/// e-mail), their own answers and trend, the events to answer for, and every program's
/// index.
#[derive(Debug, Clone)]
pub struct CheckinPage {
    pub me: Option<Organizer>,
    /// Their own check-ins, oldest first (nobody else's).
    pub mine: Vec<CheckinView>,
    /// Newest first; the first, the last held, is the default.
    pub events: Vec<CheckinEvent>,
    pub programs: Vec<ProgramFatigue>,
}

/// The organizer whose e-mail is the user's, if any.
pub async fn by_email(store: &Store, email: &str) -> Result<Option<Organizer>, AppError> {
    let Ok(email) = normalise_email(email) else {
        return Ok(None);
    };
    Ok(store
        .organizers()
        .await?
        .into_iter()
        .find(|o| o.email.as_deref() == Some(email.as_str()))
        .map(Into::into))
}

/// The check-in page of the user with this e-mail, as of `now`.
pub async fn checkin_page(
    store: &Store,
    email: &str,
    now: jiff::Timestamp,
) -> Result<CheckinPage, AppError> {
    let me = by_email(store, email).await?;
    let mine = match &me {
        Some(o) => checkins(store, &o.id.to_string()).await?,
        None => Vec::new(),
    };
    let events = match &me {
        Some(o) => held_events(store, o, &mine).await?,
        None => Vec::new(),
    };
    let mut programs = Vec::new();
    let by_program = checkins_by_program(store).await?;
    for p in store.list_programs().await? {
        // The index and the high count read only the check-ins: a history of those alone
        // (two queries for every program, where the full history would read everything).
        let history = History {
            checkins: by_program.get(&p.id).cloned().unwrap_or_default(),
            ..History::default()
        };
        let f = fatigue_index(&history, Period::year_to(now), now);
        programs.push(ProgramFatigue {
            program: p.id,
            name: p.name,
            index: f.value,
            high: f.high,
            high_organizers: f.high_organizers,
            active: f.organizers.len(),
        });
    }
    Ok(CheckinPage {
        me,
        mine,
        events,
        programs,
    })
}

/// Every check-in as the fatigue index reads it, per program of its event.
async fn checkins_by_program(
    store: &Store,
) -> Result<HashMap<ProgramId, Vec<CheckinFact>>, AppError> {
    let program_of: HashMap<EventId, ProgramId> = store
        .list_events(None)
        .await?
        .into_iter()
        .map(|e| (e.id, e.program_id))
        .collect();
    // Organizers' names are unique; a retired one's check-ins leave the index.
    let retired: HashMap<String, Option<jiff::Timestamp>> = store
        .organizers()
        .await?
        .into_iter()
        .map(|o| (o.name, o.retired_at))
        .collect();
    let mut out: HashMap<ProgramId, Vec<CheckinFact>> = HashMap::new();
    for c in store.checkins(None).await? {
        if let Some(p) = program_of.get(&c.event) {
            let retired_at = retired.get(&c.organizer).copied().flatten();
            out.entry(*p).or_default().push(CheckinFact {
                organizer: c.organizer,
                at: c.at,
                score: c.score,
                hours: c.hours,
                retired_at,
            });
        }
    }
    Ok(out)
}

/// The held (or closed) events of the organizer's programs, newest first.
async fn held_events(
    store: &Store,
    me: &Organizer,
    mine: &[CheckinView],
) -> Result<Vec<CheckinEvent>, AppError> {
    let mut out = Vec::new();
    for p in &me.programs {
        for e in store.list_events(Some(*p)).await? {
            if matches!(e.status, EventStatus::Held | EventStatus::Closed) {
                out.push(CheckinEvent {
                    id: e.id,
                    answered: mine.iter().any(|c| c.event == e.id),
                    title: e.title,
                    program: e.program,
                    starts_at: e.starts_at.timestamp(),
                });
            }
        }
    }
    out.sort_by(|a, b| b.starts_at.cmp(&a.starts_at).then(b.id.0.cmp(&a.id.0)));
    Ok(out)
}

/// Records the check-in of an organizer (by id) for an event.
pub async fn check_in(
    store: &Store,
    ctx: &Ctx,
    organizer: i64,
    event: EventId,
    answers: [u8; 7],
    hours: f64,
) -> Result<CheckinView, AppError> {
    Ok(store
        .checkin(ctx, event, &organizer.to_string(), answers, hours)
        .await?
        .into())
}
