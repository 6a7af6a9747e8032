//! Follow-up suggestions: whom to ask "what did you do next?" after a held event, by the
//! core's rule (`trellis_core::followup`) over the facts the store loads.

use crate::AppError;
use jiff::Timestamp;
use serde::Serialize;
use trellis_core::followup::{self, Candidate, Channel, Outcome, Why};
use trellis_core::{EventId, PersonId};
use trellis_store::Store;

#[derive(Debug, Clone, Serialize)]
pub struct SuggestedPerson {
    pub person: PersonId,
    pub name: String,
    pub why: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The JSON of `trellis followup suggest`: the keys are a public contract.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    pub event: EventId,
    pub rule: &'static str,
    pub sent: u32,
    pub minimum: u32,
    pub people: Vec<SuggestedPerson>,
}

/// Proposes up to `n` people to ask after `event`, by [`followup::RULE`].
pub async fn suggest(
    store: &Store,
    event: EventId,
    n: usize,
    now: Timestamp,
) -> Result<Suggestion, AppError> {
    let f = store.followup_facts(event, now).await?;
    let name = |p: &PersonId| f.names.get(p).cloned().unwrap_or_default();
    let candidate = |person: PersonId, why: Why, note: Option<String>| {
        let (do_not_contact, already_sent, asked_recently) =
            f.contact.get(&person).copied().unwrap_or_default();
        Candidate {
            person,
            name: name(&person),
            why,
            note,
            do_not_contact,
            already_sent,
            asked_recently,
        }
    };
    let mut candidates: Vec<Candidate> = f
        .picks
        .iter()
        .map(|(p, _, why)| candidate(*p, Why::RetroPick, Some(why.clone())))
        .collect();
    let mut room: Vec<Candidate> = followup::room_classes(&f.rows, &f.earlier, &f.presenters)
        .into_iter()
        .map(|(p, why)| candidate(p, why, None))
        .collect();
    // Within a class, by name (then id): the order the rule keeps.
    room.sort_by(|a, b| a.name.cmp(&b.name).then(a.person.cmp(&b.person)));
    candidates.extend(room);
    let people = followup::suggest(candidates, n)
        .into_iter()
        .map(|c| SuggestedPerson {
            person: c.person,
            name: c.name,
            why: c.why.as_str(),
            note: c.note,
        })
        .collect();
    Ok(Suggestion {
        event,
        rule: followup::RULE,
        sent: f.sent,
        minimum: f.minimum,
        people,
    })
}

/// `followup send`: the follow-up recorded, and the message to paste.
#[derive(Debug, Clone, Serialize)]
pub struct SentFollowup {
    pub id: i64,
    pub event: EventId,
    pub person: PersonId,
    pub channel: Channel,
    pub token: Option<String>,
    pub link: Option<String>,
    pub message: String,
}

from_fact!(trellis_store::SentFollowup => SentFollowup {
    id, event, person, channel, token, link, message
});

/// A follow-up and its answer: `followup answer`, the list of `followup status`.
#[derive(Debug, Clone, Serialize)]
pub struct FollowupView {
    pub id: i64,
    pub event: EventId,
    pub person: PersonId,
    pub name: String,
    pub channel: Channel,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub sent_at: jiff::Timestamp,
    pub answer: Option<String>,
    pub outcome: Option<Outcome>,
    #[serde(serialize_with = "trellis_core::time::json::utc_opt")]
    pub answered_at: Option<jiff::Timestamp>,
}

from_fact!(trellis_store::FollowupView => FollowupView {
    id, event, person, name, channel, sent_at, answer, outcome, answered_at
});

/// An event's follow-ups against the minimum, with the due date.
#[derive(Debug, Clone, Serialize)]
pub struct FollowupStatus {
    pub event: EventId,
    pub event_title: String,
    pub sent: u32,
    pub minimum: u32,
    pub answered: u32,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub due: jiff::Timestamp,
    pub followups: Vec<FollowupView>,
}

from_fact!(trellis_store::FollowupStatus => FollowupStatus {
    event, event_title, sent, minimum, answered, due
} each {
    followups
});

/// Follow-ups sent after an event against the minimum, their answers, and the due date.
pub async fn status(store: &Store, event: EventId) -> Result<FollowupStatus, AppError> {
    Ok(store.followup_status(event).await?.into())
}

/// Someone to ask, with the personal message to paste (a form link is made when the
/// follow-up is recorded: only its digest is kept, so it cannot be shown before).
#[derive(Debug, Clone, Serialize)]
pub struct ToAsk {
    pub person: SuggestedPerson,
    pub message: String,
}

/// The follow-ups page of a held event: where it stands, and whom to ask next.
#[derive(Debug, Clone, Serialize)]
pub struct FollowupsPage {
    pub status: FollowupStatus,
    pub rule: &'static str,
    pub to_ask: Vec<ToAsk>,
}

/// How many people the page suggests at once: the essay's ten.
pub const SUGGESTED: usize = 10;

/// An event's follow-ups with the next people to ask, each with their message.
pub async fn page(
    store: &Store,
    event: EventId,
    now: Timestamp,
) -> Result<FollowupsPage, AppError> {
    let status = status(store, event).await?;
    let s = suggest(store, event, SUGGESTED, now).await?;
    let to_ask = s
        .people
        .into_iter()
        .map(|p| {
            let first = p.name.split_whitespace().next().unwrap_or(&p.name);
            ToAsk {
                message: followup::message(first, &status.event_title, None),
                person: p,
            }
        })
        .collect();
    Ok(FollowupsPage {
        status,
        rule: s.rule,
        to_ask,
    })
}
