//! An organizer's hand-off (issue 20): retiring an organizer, whose open events' due
//! items and planned reminders move to a co-organizer; who owns each due item; and how
//! many of a program's active organizers checked in high — a count, never who.

use crate::AppError;
use crate::organizers::{Organizer, list};
use jiff::Timestamp;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use trellis_core::handoff::{OrganizerFact, check_retire, high_per_program, owner};
use trellis_core::{CoreError, EventId, ProgramId};
use trellis_store::{Ctx, Retirement, Store};

/// An event whose due items change hands.
#[derive(Debug, Clone, Serialize)]
pub struct OwnedEvent {
    pub id: EventId,
    pub title: String,
    pub program: ProgramId,
}

/// What a retirement will do, said before it is done (the web's confirmation page).
#[derive(Debug, Clone)]
pub struct RetirePlan {
    pub organizer: Organizer,
    pub to: Option<Organizer>,
    /// The open events they own that the successor takes over.
    pub moving: Vec<OwnedEvent>,
    /// The open events they own that go to their program's first active organizer
    /// (no successor named, or one who does not organize that program).
    pub falling_back: Vec<OwnedEvent>,
    /// Messages planned for them and not sent yet.
    pub planned: i64,
}

/// What a retirement did: `organizer retire --json`.
#[derive(Debug, Clone, Serialize)]
pub struct RetireResult {
    pub handoff: i64,
    pub organizer: Organizer,
    pub to: Option<Organizer>,
    /// The events whose due items (retro, follow-ups) the successor now owns.
    pub events: Vec<OwnedEvent>,
    /// The events whose due items went to their program's first active organizer.
    pub events_to_default_owner: Vec<OwnedEvent>,
    pub messages_moved: usize,
    pub messages_cancelled: usize,
}

/// The organizer named `key` (an id, or a name in any case) among `all`.
pub fn find_in<'a>(
    all: &'a [Organizer],
    field: &str,
    key: &str,
) -> Result<&'a Organizer, AppError> {
    let key = key.trim();
    let by_id = key.parse::<i64>().ok();
    all.iter()
        .find(|o| Some(o.id) == by_id || o.name.eq_ignore_ascii_case(key))
        .ok_or_else(|| CoreError::invalid(field, key, "is not an organizer").into())
}

fn facts(all: &[Organizer]) -> Vec<OrganizerFact> {
    all.iter().map(Organizer::fact).collect()
}

/// Checks a retirement and says what it will do; writes nothing. `organizer` and `to`
/// are ids or names.
pub async fn plan(
    store: &Store,
    organizer: &str,
    to: Option<&str>,
) -> Result<RetirePlan, AppError> {
    let all = list(store).await?;
    let me = find_in(&all, "organizer", organizer)?.clone();
    let to = to.map(|k| find_in(&all, "to", k)).transpose()?.cloned();
    check_retire(&me.fact(), to.as_ref().map(Organizer::fact).as_ref())?;
    let facts = facts(&all);
    let (mut moving, mut falling_back) = (Vec::new(), Vec::new());
    for e in store.open_event_owners().await? {
        if owner(e.named, e.program, &facts) != Some(me.id) {
            continue;
        }
        let owned = OwnedEvent {
            id: e.event,
            title: e.title,
            program: e.program,
        };
        match &to {
            Some(t) if t.fact().active_in(e.program) => moving.push(owned),
            _ => falling_back.push(owned),
        }
    }
    let planned = store.planned_for_organizer(me.id).await?;
    Ok(RetirePlan {
        organizer: me,
        to,
        moving,
        falling_back,
        planned,
    })
}

/// Retires an organizer, handing their open events' due items and their planned
/// messages to `to` (when named), in one transaction.
pub async fn retire(
    store: &Store,
    ctx: &Ctx,
    organizer: &str,
    to: Option<&str>,
) -> Result<RetireResult, AppError> {
    let p = plan(store, organizer, to).await?;
    let done = store
        .retire_organizer(
            ctx,
            &Retirement {
                organizer: p.organizer.id,
                to: p.to.as_ref().map(|t| t.id),
                events: p.moving.iter().map(|e| e.id).collect(),
            },
        )
        .await?;
    let organizer = Organizer {
        retired: true,
        retired_at: Some(ctx.now),
        ..p.organizer
    };
    Ok(RetireResult {
        handoff: done.handoff,
        organizer,
        to: p.to,
        events: p.moving,
        events_to_default_owner: p.falling_back,
        messages_moved: done.readdressed,
        messages_cancelled: done.cancelled,
    })
}

/// The owner's name of each event in `events` (by the core's rule), as the dashboard
/// shows beside a due item.
pub async fn owners(
    store: &Store,
    events: &[(EventId, ProgramId, Option<i64>)],
) -> Result<HashMap<EventId, String>, AppError> {
    let all = list(store).await?;
    let facts = facts(&all);
    let name = |id: i64| all.iter().find(|o| o.id == id).map(|o| o.name.clone());
    Ok(events
        .iter()
        .filter_map(|(e, p, named)| Some((*e, name(owner(*named, *p, &facts)?)?)))
        .collect())
}

/// Each program with active organizers whose latest check-in is high: how many.
pub async fn high(store: &Store, now: Timestamp) -> Result<BTreeMap<ProgramId, u32>, AppError> {
    let all = list(store).await?;
    let checkins = store.checkin_facts().await?;
    Ok(high_per_program(&checkins, &facts(&all), now))
}

/// A hand-off on record, with names.
#[derive(Debug, Clone, Serialize)]
pub struct HandoffView {
    pub id: i64,
    pub organizer_id: i64,
    pub organizer: String,
    pub to: Option<String>,
    pub events: i64,
    pub messages: i64,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub at: Timestamp,
    pub actor: String,
}

/// The organizers page: everyone (active and retired), the open events each owns, the
/// hand-offs on record, and each program's count of organizers checked in high.
#[derive(Debug, Clone)]
pub struct Roster {
    pub organizers: Vec<(Organizer, Vec<OwnedEvent>)>,
    pub handoffs: Vec<HandoffView>,
    pub high: BTreeMap<ProgramId, u32>,
}

pub async fn roster(store: &Store, now: Timestamp) -> Result<Roster, AppError> {
    let all = list(store).await?;
    let facts = facts(&all);
    let mut owned: HashMap<i64, Vec<OwnedEvent>> = HashMap::new();
    for e in store.open_event_owners().await? {
        if let Some(o) = owner(e.named, e.program, &facts) {
            owned.entry(o).or_default().push(OwnedEvent {
                id: e.event,
                title: e.title,
                program: e.program,
            });
        }
    }
    let name = |id: i64| {
        all.iter()
            .find(|o| o.id == id)
            .map_or_else(|| format!("organizer {id}"), |o| o.name.clone())
    };
    let handoffs = store
        .handoffs()
        .await?
        .into_iter()
        .map(|h| HandoffView {
            id: h.id,
            organizer_id: h.organizer,
            organizer: name(h.organizer),
            to: h.to.map(name),
            events: h.events,
            messages: h.messages,
            at: h.at,
            actor: h.actor,
        })
        .collect();
    let checkins = store.checkin_facts().await?;
    let high = high_per_program(&checkins, &facts, now);
    let organizers = all
        .iter()
        .map(|o| (o.clone(), owned.remove(&o.id).unwrap_or_default()))
        .collect();
    Ok(Roster {
        organizers,
        handoffs,
        high,
    })
}
