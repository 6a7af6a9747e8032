//! The door of an event (`/events/{id}/door`), for a phone held in one hand: search by
//! submitting a name or an e-mail, check anyone in, undo it, add a walk-in. Every action
//! returns to the same person (an anchor) with the same search, not to the top of a long
//! list; someone who declined is asked about first, on a page of its own.

use super::{Chrome, chrome, organizer_only};
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use trellis_app::AppError;
use trellis_app::door::{Door, DoorRow};
use trellis_core::{CoreError, EventId, PersonId};
use trellis_store::StoreError;

#[derive(Deserialize, Default)]
pub struct DoorQuery {
    #[serde(default)]
    pub q: String,
}

/// The walk-in form, as typed.
#[derive(Deserialize, Default)]
pub struct WalkInForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
}

/// Messages at the walk-in form's fields.
#[derive(Default)]
pub struct WalkInErrors {
    pub name: Option<String>,
    pub email: Option<String>,
}

#[derive(Template)]
#[template(path = "door.html")]
pub struct DoorPage {
    pub chrome: Chrome,
    pub d: Door,
    pub q: String,
    /// `q` for a link's query string.
    pub qe: String,
    pub walk_in: WalkInForm,
    pub e: WalkInErrors,
}

async fn render(
    state: &AppState,
    me: &SignedIn,
    event: EventId,
    q: String,
    walk_in: WalkInForm,
    e: WalkInErrors,
) -> Result<Html<String>, WebError> {
    let d = trellis_app::door::door(&state.store, event, &q).await?;
    let page = DoorPage {
        chrome: chrome(me),
        d,
        qe: url_encode(q.trim()),
        q,
        walk_in,
        e,
    };
    Ok(Html(page.render()?))
}

/// `GET /events/{id}/door?q=`.
pub async fn door(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<DoorQuery>,
) -> Result<Html<String>, WebError> {
    let walk_in = WalkInForm {
        name: q.q.trim().to_owned(),
        ..WalkInForm::default()
    };
    render(
        &state,
        &me,
        EventId(id),
        q.q,
        walk_in,
        WalkInErrors::default(),
    )
    .await
}

/// Where an action returns: the same search, at the person.
fn back(event: i64, q: &str, person: PersonId) -> Redirect {
    let q: String = url_encode(q.trim());
    Redirect::to(&format!("/events/{event}/door?q={q}#person-{person}"))
}

/// `s` for a query string: everything but letters and digits percent-encoded.
fn url_encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[derive(Deserialize)]
pub struct DoorAction {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    q: String,
    /// Sent by the page that asks about someone who declined.
    confirm: Option<String>,
}

#[derive(Template)]
#[template(path = "door_confirm.html")]
pub struct ConfirmDeclined {
    pub chrome: Chrome,
    pub event: EventId,
    pub title: String,
    pub person: PersonId,
    pub name: String,
    pub q: String,
    pub qe: String,
}

/// `POST /events/{id}/door/{person}/check-in`. Someone who declined is checked in only
/// from the page that asks first.
pub async fn check_in(
    State(state): State<AppState>,
    me: SignedIn,
    Path((event, person)): Path<(i64, i64)>,
    Form(f): Form<DoorAction>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let (ev, p) = (EventId(event), PersonId(person));
    super::people::may_name(&state, &me, &[p]).await?;
    if f.confirm.is_none() {
        let d = trellis_app::door::door(&state.store, ev, "").await?;
        if let Some(r) = d.expected.iter().find(|r| r.person == p && r.ask_first) {
            return Ok(ask_first(&me, &d, r, f.q)?.into_response());
        }
    }
    trellis_app::door::check_in(&state.store, &me.ctx(&state), ev, p).await?;
    state.invalidate();
    Ok(back(event, &f.q, p).into_response())
}

/// `GET /events/{id}/door/{person}/check-in`: the question asked about someone who
/// declined (a link from the door list).
pub async fn confirm_declined(
    State(state): State<AppState>,
    me: SignedIn,
    Path((event, person)): Path<(i64, i64)>,
    Query(q): Query<DoorQuery>,
) -> Result<Html<String>, WebError> {
    organizer_only(&me)?;
    let ev = EventId(event);
    let d = trellis_app::door::door(&state.store, ev, "").await?;
    let r = d
        .expected
        .iter()
        .chain(&d.others)
        .find(|r| r.person == PersonId(person))
        .ok_or(WebError::NotFound)?;
    ask_first(&me, &d, r, q.q)
}

/// The page that asks before checking in someone who declined.
fn ask_first(me: &SignedIn, d: &Door, r: &DoorRow, q: String) -> Result<Html<String>, WebError> {
    let page = ConfirmDeclined {
        chrome: chrome(me),
        event: d.event,
        title: d.title.clone(),
        person: r.person,
        name: r.name.clone(),
        qe: url_encode(q.trim()),
        q,
    };
    Ok(Html(page.render()?))
}

/// `POST /events/{id}/door/{person}/undo`.
pub async fn undo(
    State(state): State<AppState>,
    me: SignedIn,
    Path((event, person)): Path<(i64, i64)>,
    Form(f): Form<DoorAction>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let p = PersonId(person);
    super::people::may_name(&state, &me, &[p]).await?;
    trellis_app::door::undo(&state.store, &me.ctx(&state), EventId(event), p).await?;
    state.invalidate();
    Ok(back(event, &f.q, p).into_response())
}

/// `POST /events/{id}/door/walk-in`: a name (and an optional e-mail); an invalid one is
/// said at its field, with what was typed kept.
pub async fn walk_in(
    State(state): State<AppState>,
    me: SignedIn,
    Path(event): Path<i64>,
    Form(f): Form<WalkInForm>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let email = Some(f.email.trim()).filter(|e| !e.is_empty());
    match trellis_app::door::walk_in(
        &state.store,
        &me.ctx(&state),
        EventId(event),
        &f.name,
        email,
    )
    .await
    {
        Ok(done) => {
            state.invalidate();
            Ok(back(event, &f.name, done.person).into_response())
        }
        Err(err) => {
            let Some(e) = field_error(&err) else {
                return Err(err.into());
            };
            let q = f.q.clone();
            let html = render(&state, &me, EventId(event), q, f, e).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

/// A refused walk-in as a message at its field, in the door's words; `None` for an
/// error that is not about what was typed.
fn field_error(err: &AppError) -> Option<WalkInErrors> {
    let mut e = WalkInErrors::default();
    match err {
        AppError::Store(StoreError::Conflict(_)) => {
            e.email = Some(
                "This e-mail belongs to someone already on record: search for it and check them in."
                    .to_owned(),
            );
        }
        AppError::Store(StoreError::Invalid(CoreError::Invalid { field, problem, .. }))
        | AppError::Core(CoreError::Invalid { field, problem, .. }) => match field.0.as_str() {
            "email" => e.email = Some(format!("This e-mail {problem}.")),
            "name" => e.name = Some(format!("The name {problem}.")),
            _ => return None,
        },
        _ => return None,
    }
    Some(e)
}
