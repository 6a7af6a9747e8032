//! An event's co-host (issue 20): `POST /events/{id}/cohost` names another program the
//! event counts for too, or takes it away. Only an organizer of the host decides; an
//! organizer of the co-host acts on the event but does not choose who co-hosts it.

use super::event::{Extras, event_page};
use super::plan::ProgramOption;
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use serde::Deserialize;
use trellis_core::event::EventStatus;
use trellis_core::{CoreError, EventId, ProgramId};
use trellis_store::{EventEdit, StoreError};

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/events/{id}/cohost", post(set))
}

#[derive(Deserialize)]
pub struct CohostForm {
    #[serde(default)]
    csrf: String,
    /// A program's id, or empty for none.
    #[serde(default)]
    cohost: String,
}

/// The co-host chosen in a form's select: none when empty; a message in `slot` when
/// what came is not a program's number.
pub(crate) fn chosen(text: &str, slot: &mut Option<String>) -> Option<ProgramId> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse() {
        Ok(id) => Some(ProgramId(id)),
        Err(_) => {
            *slot = Some("Choose a program from the list, or none.".into());
            None
        }
    }
}

/// Said at the field when the program chosen is one the account does not reach: naming
/// it would show the event to people the account cannot see.
pub(crate) fn out_of_reach(program: ProgramId) -> String {
    format!("Program {program} is not one your account reaches: choose one from the list.")
}

async fn set(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<CohostForm>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let id = EventId(id);
    let event = state.store.event(id).await?;
    me.require_act_on(event.program_id)?;
    let mut error = None;
    let cohost = chosen(&f.cohost, &mut error);
    // Keeping the co-host that is there reaches nothing new, whoever named it.
    let unchanged = cohost == event.cohost_program_id;
    if error.is_none()
        && !unchanged
        && let Some(c) = cohost.filter(|c| !me.access.may_see(*c))
    {
        error = Some(out_of_reach(c));
    }
    if error.is_none() {
        let edit = EventEdit {
            cohost: Some(cohost),
            ..EventEdit::default()
        };
        match state.store.edit_event(&me.ctx(&state), id, &edit).await {
            Ok(_) => {
                state.invalidate();
                return Ok(Redirect::to(&format!("/events/{id}#cohost")).into_response());
            }
            Err(StoreError::Invalid(e)) => error = Some(in_words(e)),
            Err(e) => return Err(e.into()),
        }
    }
    let x = Extras {
        cohost_error: error,
        cohost_typed: Some(f.cohost),
        ..Extras::default()
    };
    let html = event_page(&state, &me, id, x).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
}

/// The co-host form of an event's page: the programs the account sees other than the
/// host, and the current co-host, which is selected (or what was just chosen is). `None`
/// where the account may not choose (not an organizer of the host) or the event is
/// finished.
pub(crate) async fn options(
    state: &AppState,
    me: &SignedIn,
    event: &trellis_app::events::EventSummary,
    typed: Option<&str>,
) -> Result<Option<Vec<ProgramOption>>, WebError> {
    let finished = matches!(event.status, EventStatus::Closed | EventStatus::Cancelled);
    if finished || !me.may_act_on(event.program_id) {
        return Ok(None);
    }
    let offered: Vec<(ProgramId, String)> = state
        .store
        .list_programs()
        .await?
        .into_iter()
        // The current co-host is offered even to an account that does not reach it, so
        // that saving the form does not take it away unasked.
        .filter(|p| {
            p.id != event.program_id
                && (me.access.may_see(p.id) || Some(p.id) == event.cohost_program_id)
        })
        .map(|p| (p.id, p.name))
        .collect();
    // What was just chosen stays chosen when the list offers it; a choice it does not
    // offer leaves the current co-host selected, so saving again changes nothing.
    let typed = typed
        .and_then(|t| t.trim().parse().ok().map(ProgramId))
        .filter(|t| offered.iter().any(|(id, _)| id == t));
    let current = typed.or(event.cohost_program_id);
    let options = offered
        .into_iter()
        .map(|(id, label)| ProgramOption {
            id: id.0,
            label,
            selected: current == Some(id),
        })
        .collect();
    Ok(Some(options))
}

/// A refusal of the store in the words of the field.
fn in_words(e: CoreError) -> String {
    match e {
        CoreError::Invalid { problem, .. } => format!("That choice {problem}."),
        other => other.to_string(),
    }
}
