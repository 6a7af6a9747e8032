//! Proposing a demo from the browser (`GET/POST /events/{id}/demos`), with a person picker
//! that needs no script: the organizer types a name or an e-mail; one certain match is
//! taken, several are offered as choices, none offers adding the person on the spot.

use super::people::{candidates, may_name};
use super::{Chrome, chrome, organizer_only};
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use trellis_app::AppError;
use trellis_app::propose::{Presenter, certain, propose};
use trellis_core::{CoreError, EventId, PersonId};
use trellis_store::{PersonHit, StoreError};

/// The form, as typed.
#[derive(Deserialize, Default)]
pub struct ProposeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub title: String,
    /// A name or an e-mail.
    #[serde(default)]
    pub who: String,
    /// A person chosen among the matches.
    pub person: Option<i64>,
    /// "Add them as a new person".
    pub as_new: Option<String>,
    #[serde(default)]
    pub new_name: String,
    #[serde(default)]
    pub new_email: String,
}

#[derive(Default)]
pub struct ProposeErrors {
    pub title: Option<String>,
    pub who: Option<String>,
    pub new_person: Option<String>,
}

#[derive(Template)]
#[template(path = "propose.html")]
pub struct ProposePage {
    pub chrome: Chrome,
    pub event: EventId,
    pub event_title: String,
    pub f: ProposeForm,
    pub e: ProposeErrors,
    /// The people the name or e-mail may mean, to choose from.
    pub matches: Vec<PersonHit>,
    /// Whether to show the "add a new person" fields.
    pub offer_new: bool,
}

async fn render(
    state: &AppState,
    me: &SignedIn,
    event: EventId,
    page: (ProposeForm, ProposeErrors, Vec<PersonHit>, bool),
) -> Result<Html<String>, WebError> {
    let (f, e, matches, offer_new) = page;
    let event_title = state.store.event(event).await?.title;
    let page = ProposePage {
        chrome: chrome(me),
        event,
        event_title,
        f,
        e,
        matches,
        offer_new,
    };
    Ok(Html(page.render()?))
}

/// `GET /events/{id}/demos`.
pub async fn form(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    organizer_only(&me)?;
    let blank = (
        ProposeForm::default(),
        ProposeErrors::default(),
        Vec::new(),
        false,
    );
    render(&state, &me, EventId(id), blank).await
}

/// `POST /events/{id}/demos`.
pub async fn submit(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(mut f): Form<ProposeForm>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let event = EventId(id);
    let presenter = match (f.person, f.as_new.is_some()) {
        (Some(p), _) => Presenter::Known(PersonId(p)),
        (None, true) => Presenter::New {
            name: f.new_name.clone(),
            email: Some(f.new_email.trim().to_owned()).filter(|e| !e.is_empty()),
        },
        (None, false) => {
            let found = candidates(&state, &me, &f.who).await?;
            match certain(&f.who, &found) {
                Some(p) => Presenter::Known(p),
                None => return Ok(choose(&state, &me, event, f, found).await?.into_response()),
            }
        }
    };
    if let Presenter::Known(p) = &presenter {
        may_name(&state, &me, &[*p]).await?;
    }
    match propose(&state.store, &me.ctx(&state), event, &f.title, presenter).await {
        Ok(demo) => {
            state.invalidate();
            Ok(Redirect::to(&format!("/events/{id}#demo-{}", demo.id)).into_response())
        }
        Err(err) => {
            let e = at_field(err, f.as_new.is_some())?;
            f.person = None;
            let found = candidates(&state, &me, &f.who).await?;
            let offer_new = f.as_new.is_some() || found.is_empty();
            let html = render(&state, &me, event, (f, e, found, offer_new)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

/// Several people, or nobody, for what was typed: the form again with the choices, and
/// the fields to add someone new, filled from what was typed.
async fn choose(
    state: &AppState,
    me: &SignedIn,
    event: EventId,
    mut f: ProposeForm,
    found: Vec<PersonHit>,
) -> Result<Html<String>, WebError> {
    let mut e = ProposeErrors::default();
    if f.who.trim().is_empty() {
        e.who = Some("Type the presenter's name or e-mail.".to_owned());
    } else if found.is_empty() {
        e.who = Some(format!(
            "Nobody on record matches “{}”: add them below.",
            f.who.trim()
        ));
    } else {
        e.who = Some("Several people match: choose one, or add someone new.".to_owned());
    }
    if f.new_name.is_empty() && f.new_email.is_empty() {
        let who = f.who.trim().to_owned();
        if who.contains('@') {
            f.new_email = who;
        } else {
            f.new_name = who;
        }
    }
    render(state, me, event, (f, e, found, true)).await
}

/// A refused proposal as a message at its field.
fn at_field(err: AppError, as_new: bool) -> Result<ProposeErrors, WebError> {
    let mut e = ProposeErrors::default();
    match err {
        AppError::Store(StoreError::Invalid(CoreError::Invalid {
            field,
            value,
            problem,
        }))
        | AppError::Core(CoreError::Invalid {
            field,
            value,
            problem,
        }) => {
            let text = format!("“{value}” {problem}.");
            match field.0.as_str() {
                "title" => e.title = Some(text),
                "name" | "email" if as_new => e.new_person = Some(text),
                _ => e.who = Some(text),
            }
        }
        AppError::Store(StoreError::Conflict(_)) if as_new => {
            e.new_person = Some(
                "This e-mail belongs to someone on record: search for it above instead.".to_owned(),
            );
        }
        other => return Err(other.into()),
    }
    Ok(e)
}
