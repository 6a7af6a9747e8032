//! An event's page: its next step and the gates on it, the demo slot board, the retro,
//! follow-ups and chat after the evening, and the attendance.

use super::chat::{ChatView, chat_view};
use super::{Chrome, chrome, hours_left};
use crate::auth::SignedIn;
use crate::reasons::{self, GateView};
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use trellis_app::demos::DemoView;
use trellis_app::event_page::{EventDetail, GateCheck};
use trellis_core::EventId;
use trellis_core::attendance::CheckedIn;
use trellis_core::demo::DemoStatus;
use trellis_core::event::EventStatus;
use trellis_store::StoreError;

pub struct Slot {
    pub label: String,
    pub demo: Option<DemoView>,
}

pub struct Attendee {
    pub person: i64,
    pub name: String,
    pub rsvp: String,
    pub checked_in: bool,
}

/// How far a held event's follow-ups are.
pub struct FollowupsView {
    pub sent: u32,
    pub minimum: u32,
    pub answered: u32,
    /// "3 days left" / "4 days late".
    pub due: String,
}

#[derive(Template)]
#[template(path = "event.html")]
pub struct Event {
    pub chrome: Chrome,
    pub d: EventDetail,
    pub step: Option<(&'static str, &'static str)>,
    /// The gates on the next step (`d.gates` in the web's words).
    pub gates: Vec<GateView>,
    pub x: Extras,
    pub refused_view: Vec<GateView>,
    pub refused_overridable: bool,
    pub slots: Vec<Slot>,
    pub claims: Vec<DemoView>,
    /// The screening items: their form names and words.
    pub checklist: [(&'static str, &'static str); 4],
    pub attendees: Vec<Attendee>,
    pub retro: Option<trellis_store::RetroView>,
    /// A held event without its retro: how long until (or since) it was due.
    pub retro_due: Option<String>,
    /// The follow-ups of a held event.
    pub followups: Option<FollowupsView>,
    /// The discussion in the community chat after a held event.
    pub chat: Option<ChatView>,
    /// The programs to name as co-host, where this account may choose.
    pub cohosts: Option<Vec<super::plan::ProgramOption>>,
}

/// What a page shows besides the event itself: a refusal with its override form (and
/// what was typed there), a notice, the contract link just made.
#[derive(Default)]
pub struct Extras {
    pub refused: Vec<GateCheck>,
    /// The refused step in words ("announce").
    pub refused_step: String,
    /// Where the override form posts (the refused step's own route).
    pub override_action: String,
    pub override_reason: String,
    /// Why the override was not taken, shown at its field.
    pub override_error: Option<String>,
    pub notice: Option<String>,
    pub contract_link: Option<String>,
    /// The co-host form: why the choice was not taken, and what was chosen.
    pub cohost_error: Option<String>,
    pub cohost_typed: Option<String>,
}

/// The screening checklist as the form asks it (`Checklist::ITEMS`, in words).
const CHECKLIST: [(&str, &str); 4] = [
    ("live_demo", "A live demo, not slides"),
    ("built_it", "The presenter built it"),
    ("fits_time", "It fits the time"),
    (
        "wip_welcome",
        "Work in progress is welcome, and they know it",
    ),
];

/// The button of an event's next step: its label and the status it leads to.
pub(crate) fn step_of(status: EventStatus) -> Option<(&'static str, &'static str)> {
    match status {
        EventStatus::Draft => Some(("Announce", "announced")),
        EventStatus::Announced => Some(("Mark as held", "held")),
        EventStatus::Held => Some(("Close the cycle", "closed")),
        EventStatus::Closed | EventStatus::Cancelled => None,
    }
}

/// The slot board: the demos holding a slot, then the free ones; and the claims waiting.
fn slot_board(d: &EventDetail) -> (Vec<Slot>, Vec<DemoView>) {
    let holding: Vec<&DemoView> = d.demos.iter().filter(|x| x.status.holds_slot()).collect();
    let shown = holding
        .len()
        .max(usize::try_from(d.event.slots).unwrap_or(0));
    let slots = (0..shown)
        .map(|i| Slot {
            label: format!("Slot {}", i + 1),
            demo: holding.get(i).map(|x| (*x).clone()),
        })
        .collect();
    let claims = d
        .demos
        .iter()
        .filter(|x| matches!(x.status, DemoStatus::Proposed | DemoStatus::Screened))
        .cloned()
        .collect();
    (slots, claims)
}

async fn attendees(state: &AppState, id: EventId) -> Result<Vec<Attendee>, WebError> {
    Ok(state
        .store
        .attendances_of_event(id)
        .await?
        .into_iter()
        .take(200)
        .map(|a| Attendee {
            person: a.person.0,
            name: a.person_name,
            rsvp: a.rsvp.to_string(),
            checked_in: a.checked_in == CheckedIn::Yes,
        })
        .collect())
}

/// What the cycle still owes after the event, in short (the retro and follow-ups pages
/// hold the rest).
async fn after_event(
    state: &AppState,
    d: &EventDetail,
) -> Result<(Option<FollowupsView>, Option<String>), WebError> {
    let id = d.event.id;
    let f = state.store.followup_status(id).await?;
    let due = state
        .store
        .dues(Some(d.event.program_id))
        .await?
        .into_iter()
        .find(|x| x.event == id && x.kind == "retro")
        .map(|x| hours_left(x.due_at, state.now()).0);
    let followups = FollowupsView {
        sent: f.sent,
        minimum: f.minimum,
        answered: f.answered,
        due: hours_left(f.due, state.now()).0,
    };
    Ok((Some(followups), due))
}

/// The event's page, with what `x` adds.
pub(crate) async fn event_page(
    state: &AppState,
    me: &SignedIn,
    id: EventId,
    x: Extras,
) -> Result<String, WebError> {
    let d = trellis_app::event_page::event_page(&state.store, id, state.now()).await?;
    let (slots, claims) = slot_board(&d);
    let retro = match state.store.retro(id).await {
        Ok(r) => Some(r),
        Err(StoreError::NotFound { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let after = matches!(d.event.status, EventStatus::Held | EventStatus::Closed);
    let (chat, (followups, retro_due)) = if after {
        (
            Some(chat_view(state, id).await?),
            after_event(state, &d).await?,
        )
    } else {
        (None, (None, None))
    };
    let refused_view = reasons::gates(&x.refused, id);
    let cohosts = super::cohost::options(state, me, &d.event, x.cohost_typed.as_deref()).await?;
    let page = Event {
        cohosts,
        chrome: chrome(me),
        attendees: attendees(state, id).await?,
        followups,
        retro_due,
        gates: reasons::gates(&d.gates, id),
        retro,
        chat,
        step: step_of(d.event.status),
        d,
        refused_overridable: refused_view.iter().all(|g| g.overridable),
        refused_view,
        x,
        slots,
        claims,
        checklist: CHECKLIST,
    };
    Ok(page.render()?)
}

pub async fn event(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    Ok(Html(
        event_page(&state, &me, EventId(id), Extras::default()).await?,
    ))
}
