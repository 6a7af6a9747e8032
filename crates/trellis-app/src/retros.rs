//! A written retro, as `--json` shows it.

use crate::AppError;
use crate::people::NamedPerson;
use serde::Serialize;
use trellis_core::attendance::{CheckedIn, Rsvp};
use trellis_core::event::EventStatus;
use trellis_core::person::{normalise_email, validate_display_name};
use trellis_core::retro::{PICKS, PersonRef, Pick, RetroDraft};
use trellis_core::{CoreError, EventId, PersonId};
use trellis_store::{Ctx, NewPerson, Store};

/// Someone the retro names to follow up with, and why.
#[derive(Debug, Clone, Serialize)]
pub struct RetroPick {
    pub person: NamedPerson,
    pub why: String,
}

from_fact!(trellis_store::RetroPick => RetroPick { why } into { person });

/// `retro show` and `retro write`: the three answers, the people named, when and by whom.
#[derive(Debug, Clone, Serialize)]
pub struct RetroView {
    pub event: EventId,
    pub event_title: String,
    pub worked: String,
    pub broke: String,
    pub surprised: String,
    pub invite: Vec<NamedPerson>,
    pub follow_up: Vec<RetroPick>,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub written_at: jiff::Timestamp,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub due_at: jiff::Timestamp,
    /// Written after it was due: kept, and marked.
    pub late: bool,
    pub author: String,
}

from_fact!(trellis_store::RetroView => RetroView {
    event, event_title, worked, broke, surprised, written_at, due_at, late, author
} each {
    invite, follow_up
});

/// An event's retro.
pub async fn show(store: &Store, event: EventId) -> Result<RetroView, AppError> {
    Ok(store.retro(event).await?.into())
}

/// Someone a retro names, as a form gives them: a person on record, or someone added with
/// the retro (in its transaction).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Named {
    Known(PersonId),
    New { name: String, email: String },
}

/// A retro as a form gives it: the three answers, the people to invite, and the three
/// follow-up slots (each possibly left empty: then it is refused at that slot).
#[derive(Debug, Clone, Default)]
pub struct RetroInput {
    pub worked: String,
    pub broke: String,
    pub surprised: String,
    pub invite: Vec<Named>,
    pub picks: Vec<(Option<Named>, String)>,
}

/// Someone the retro's pickers offer: who was at the event, or presented there.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub id: PersonId,
    pub name: String,
    /// "presenter", "checked in" or "RSVP going".
    pub role: &'static str,
}

/// The retro page of an event: the retro when written, else when it is due and whom the
/// form may name.
#[derive(Debug, Clone)]
pub struct RetroPage {
    pub event: crate::events::EventSummary,
    pub retro: Option<RetroView>,
    /// Held without a retro yet: when it is (or was) due.
    pub due_at: Option<jiff::Timestamp>,
    pub people: Vec<Choice>,
}

/// The retro page's facts: the written retro, or its due time and the pickers' people.
pub async fn page(
    store: &Store,
    event: EventId,
    now: jiff::Timestamp,
) -> Result<RetroPage, AppError> {
    let summary = store.event(event).await?;
    let retro = match store.retro(event).await {
        Ok(r) => Some(RetroView::from(r)),
        Err(trellis_store::StoreError::NotFound { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let after = matches!(summary.status, EventStatus::Held | EventStatus::Closed);
    let (due_at, people) = if retro.is_none() && after {
        let due = store
            .dues(Some(summary.program_id))
            .await?
            .into_iter()
            .find(|d| d.event == event && d.kind == "retro")
            .map(|d| d.due_at);
        (due, choices(store, event, now).await?)
    } else {
        (None, Vec::new())
    };
    Ok(RetroPage {
        event: summary.into(),
        retro,
        due_at,
        people,
    })
}

/// Who was at the event (any RSVP but declined, or checked in) and who presented, by name.
async fn choices(
    store: &Store,
    event: EventId,
    now: jiff::Timestamp,
) -> Result<Vec<Choice>, AppError> {
    let f = store.followup_facts(event, now).await?;
    let mut out: Vec<Choice> = Vec::new();
    for p in &f.presenters {
        let name = match f.names.get(p) {
            Some(n) => n.clone(),
            None => store.person(*p).await?.name,
        };
        out.push(Choice {
            id: *p,
            name,
            role: "presenter",
        });
    }
    for r in &f.rows {
        if f.presenters.contains(&r.person) {
            continue;
        }
        let role = match (r.checked_in, r.rsvp) {
            (CheckedIn::Yes, _) => "checked in",
            (_, Rsvp::Going) => "RSVP going",
            _ => continue,
        };
        let name = f.names.get(&r.person).cloned().unwrap_or_default();
        out.push(Choice {
            id: r.person,
            name,
            role,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// Writes a retro from a form: each refusal placed at its field (`worked`, `broke`,
/// `surprised`, `invite`, `pick1`…`pick3`, `why1`…`why3`), the new people added with it.
pub async fn write(
    store: &Store,
    ctx: &Ctx,
    event: EventId,
    input: &RetroInput,
) -> Result<RetroView, AppError> {
    let (draft, new) = draft(input)?;
    match store
        .write_retro_adding(ctx, event, &draft, "retro", false, &new)
        .await
    {
        Ok(r) => Ok(r.into()),
        // An e-mail of someone on record: said at the slot that added them.
        Err(trellis_store::StoreError::Conflict(m)) if m.starts_with("email:") => {
            Err(CoreError::at(new_field(input, &m), NEW_KNOWN).into())
        }
        Err(e) => Err(e.into()),
    }
}

const NEW_KNOWN: &str =
    "This e-mail belongs to someone on record: choose them in the list instead.";

/// The field of the new person whose e-mail a conflict names.
fn new_field(input: &RetroInput, message: &str) -> String {
    let named = |n: &Named| match n {
        Named::New { email, .. } => {
            let e = normalise_email(email).unwrap_or_default();
            !e.is_empty() && message.contains(&format!("{e:?}"))
        }
        Named::Known(_) => false,
    };
    input
        .picks
        .iter()
        .position(|(n, _)| n.as_ref().is_some_and(named))
        .map_or_else(|| "invite".to_owned(), |i| format!("pick{}", i + 1))
}

/// The form's input as the core's draft (people named by id, or by the new person's
/// e-mail) and the people to add, each once; or the first refusal, at its field.
fn draft(input: &RetroInput) -> Result<(RetroDraft, Vec<NewPerson>), CoreError> {
    for (field, text) in [
        ("worked", &input.worked),
        ("broke", &input.broke),
        ("surprised", &input.surprised),
    ] {
        if text.trim().is_empty() {
            return Err(CoreError::at(field, "A sentence is enough, but write one."));
        }
    }
    let mut new: Vec<NewPerson> = Vec::new();
    let invite = input
        .invite
        .iter()
        .map(|n| reference(n, "invite", &mut new))
        .collect::<Result<Vec<_>, _>>()?;
    let mut follow_up: Vec<Pick> = Vec::new();
    for (i, (who, why)) in input.picks.iter().enumerate().take(PICKS) {
        let field = format!("pick{}", i + 1);
        let Some(who) = who else {
            return Err(CoreError::at(field, "Choose someone to follow up with."));
        };
        let person = reference(who, &field, &mut new)?;
        if follow_up.iter().any(|p| p.person.text == person.text) {
            return Err(CoreError::at(
                field,
                "Already picked above: name three different people.",
            ));
        }
        if why.trim().is_empty() {
            return Err(CoreError::at(
                format!("why{}", i + 1),
                "Say why them: it is what the follow-up will ask about.",
            ));
        }
        follow_up.push(Pick {
            person,
            why: why.trim().to_owned(),
        });
    }
    if follow_up.len() < PICKS {
        let field = format!("pick{}", follow_up.len() + 1);
        return Err(CoreError::at(field, "Choose someone to follow up with."));
    }
    let draft = RetroDraft {
        worked: input.worked.clone(),
        broke: input.broke.clone(),
        surprised: input.surprised.clone(),
        invite,
        follow_up,
    };
    Ok((draft, new))
}

/// How the draft names someone: their id, or a new person's e-mail (added once to `new`).
fn reference(n: &Named, field: &str, new: &mut Vec<NewPerson>) -> Result<PersonRef, CoreError> {
    let text = match n {
        Named::Known(id) => id.0.to_string(),
        Named::New { name, email } => {
            if name.trim().is_empty() || email.trim().is_empty() {
                return Err(CoreError::at(
                    field,
                    "Give the new person's name and e-mail, or choose someone in the list.",
                ));
            }
            let email = normalise_email(email).map_err(|_| {
                CoreError::at(
                    field,
                    format!("“{}” is not an e-mail address.", email.trim()),
                )
            })?;
            validate_display_name(name).map_err(|e| CoreError::at(field, e.to_string()))?;
            if !new.iter().any(|p| p.emails.contains(&email)) {
                new.push(NewPerson {
                    name: name.trim().to_owned(),
                    emails: vec![email.clone()],
                });
            }
            email
        }
    };
    Ok(PersonRef { text, line: None })
}
