//! Checking someone in from the event page.

use super::CsrfOnly;
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use trellis_core::attendance::CheckedIn;
use trellis_core::{EventId, PersonId};
use trellis_store::AttendanceInput;

pub async fn check_in(
    State(state): State<AppState>,
    me: SignedIn,
    Path((event, person)): Path<(i64, i64)>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    super::people::may_name(&state, &me, &[PersonId(person)]).await?;
    let input = AttendanceInput {
        event: EventId(event),
        person: PersonId(person),
        rsvp: None,
        checked_in: Some(CheckedIn::Yes),
        source: "web".into(),
    };
    state.store.attend(&me.ctx(&state), &input).await?;
    state.invalidate();
    Ok(Redirect::to(&format!("/events/{event}#person-{person}")).into_response())
}
