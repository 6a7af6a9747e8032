//! An event's lifecycle step (announce, held, close, cancel). The steps that cannot be
//! taken back (held, cancel, and closing past a gate by override) ask first: a page says
//! what will happen, and only its form does it.

use super::event::{Extras, event_page, step_of};
use super::{Chrome, chrome, organizer_only};
use crate::auth::SignedIn;
use crate::reasons::{self, GateView};
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use trellis_app::event_page::GateCheck;
use trellis_core::EventId;
use trellis_core::event::EventStatus;
use trellis_store::{EventSummary, StoreError};

#[derive(Template)]
#[template(path = "confirm_step.html")]
pub struct ConfirmStep {
    pub chrome: Chrome,
    pub event: EventSummary,
    pub heading: String,
    /// What the step does, sentence by sentence.
    pub consequences: Vec<String>,
    /// The gates an override passes, with their reasons.
    pub passed: Vec<GateView>,
    pub override_reason: String,
    pub cancel: bool,
    pub button: String,
}

#[derive(Deserialize)]
pub struct StepQuery {
    to: String,
}

#[derive(Deserialize)]
pub struct StepForm {
    #[serde(default)]
    csrf: String,
    override_reason: Option<String>,
    cancel: Option<String>,
    /// Sent by the confirmation page's form: the organizer has read what happens.
    confirm: Option<String>,
}

/// What a step does, in words an organizer checks before pressing the button.
fn consequences(to: EventStatus, e: &EventSummary, overriding: bool) -> Vec<String> {
    let mut out = match to {
        EventStatus::Held => vec![
            format!("{} is recorded as having taken place on {}.", e.title, e.starts_local),
            "The retro and the follow-ups fall due from now; their deadlines show on the dashboard.".to_owned(),
            "An event marked as held stays held: this cannot be undone.".to_owned(),
        ],
        EventStatus::Cancelled => vec![
            format!("{} on {} is cancelled and leaves the plan.", e.title, e.starts_local),
            "A cancelled event cannot be announced again: plan a new one instead.".to_owned(),
        ],
        _ => vec![format!("The cycle of {} is closed: nothing more is owed for it.", e.title)],
    };
    if overriding {
        out.push("The gates below are passed by override: the reason is stored with your name and shown at the next metric review.".to_owned());
    }
    out
}

/// The confirmation page of a step.
async fn confirm_page(
    state: &AppState,
    me: &SignedIn,
    id: EventId,
    to: EventStatus,
    override_reason: Option<&str>,
) -> Result<Html<String>, WebError> {
    let event = state.store.event(id).await?;
    let passed = match override_reason {
        Some(_) => {
            let d = trellis_app::event_page::event_page(&state.store, id, state.now()).await?;
            let blocked: Vec<GateCheck> = d.gates.into_iter().filter(|g| !g.allowed).collect();
            reasons::gates(&blocked, id)
        }
        None => Vec::new(),
    };
    let (heading, button) = match to {
        EventStatus::Held => ("Mark as held?", "Yes, mark as held".to_owned()),
        EventStatus::Cancelled => ("Cancel the event?", "Yes, cancel the event".to_owned()),
        _ => (
            "Close the cycle by override?",
            "Yes, override and close".to_owned(),
        ),
    };
    let page = ConfirmStep {
        chrome: chrome(me),
        heading: format!("{heading} {}", event.title),
        consequences: consequences(to, &event, override_reason.is_some()),
        event,
        passed,
        override_reason: override_reason.unwrap_or_default().to_owned(),
        cancel: to == EventStatus::Cancelled,
        button,
    };
    Ok(Html(page.render()?))
}

/// `GET /events/{id}/step?to=held|cancelled`: what the step will do, and its button.
pub async fn confirm_step(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<StepQuery>,
) -> Result<Html<String>, WebError> {
    organizer_only(&me)?;
    let to = match q.to.as_str() {
        "held" => EventStatus::Held,
        "cancelled" => EventStatus::Cancelled,
        _ => return Err(WebError::NotFound),
    };
    confirm_page(&state, &me, EventId(id), to, None).await
}

/// A refused step: the event page again, with the reasons and the override form (holding
/// what was typed, and why it was not taken).
async fn refused(
    state: &AppState,
    me: &SignedIn,
    id: EventId,
    r: trellis_store::Refusal,
    label: String,
    typed: Option<&str>,
) -> Result<Response, WebError> {
    let x = Extras {
        refused: GateCheck::blocked(&r.decision),
        refused_step: label,
        override_action: format!("/events/{id}/step"),
        override_reason: typed.unwrap_or_default().to_owned(),
        override_error: typed
            .filter(|t| t.is_empty())
            .map(|_| super::OVERRIDE_NEEDS_REASON.to_owned()),
        ..Extras::default()
    };
    let html = event_page(state, me, id, x).await?;
    Ok((StatusCode::CONFLICT, Html(html)).into_response())
}

pub async fn event_step(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let id = EventId(id);
    let current = state.store.event(id).await?;
    let to = if f.cancel.is_some() {
        EventStatus::Cancelled
    } else {
        step_of(current.status)
            .map(|(_, to)| to)
            .and_then(|to| to.parse().ok())
            .ok_or_else(|| WebError::BadRequest("The event is finished.".into()))?
    };
    let label = match to {
        EventStatus::Cancelled => "cancel".to_owned(),
        _ => step_of(current.status)
            .map_or("change", |(l, _)| l)
            .to_lowercase(),
    };
    let typed = f.override_reason.as_deref().map(str::trim);
    let reason = typed.filter(|r| !r.is_empty());
    let asks = matches!(to, EventStatus::Held | EventStatus::Cancelled)
        || (to == EventStatus::Closed && reason.is_some());
    if asks && f.confirm.is_none() {
        return Ok(confirm_page(&state, &me, id, to, reason)
            .await?
            .into_response());
    }
    match state
        .store
        .set_event_status(&me.ctx(&state), id, to, reason)
        .await
    {
        Ok(_) => {
            state.invalidate();
            Ok(Redirect::to(&format!("/events/{id}")).into_response())
        }
        Err(StoreError::Refused(r)) => refused(&state, &me, id, r, label, typed).await,
        Err(e) => Err(e.into()),
    }
}
