//! Collaboration sparks (`/sparks`): record an introduction between two people (each
//! found by name or e-mail, as the propose page's picker finds a presenter), at an event;
//! mark one acted on with what happened; the open and the acted ones listed.

use super::people::{candidates, may_name};
use super::{Chrome, chrome};
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use trellis_app::propose::certain;
use trellis_app::sparks::SparkView;
use trellis_core::event::EventStatus;
use trellis_core::{EventId, PersonId};
use trellis_store::PersonHit;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sparks", get(sparks).post(record))
        .route("/sparks/{id}/acted", post(acted))
}

#[derive(Deserialize, Default)]
pub struct SparkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub who_a: String,
    pub a: Option<i64>,
    #[serde(default)]
    pub who_b: String,
    pub b: Option<i64>,
    /// An event id, or blank for none.
    #[serde(default)]
    pub event: String,
    #[serde(default)]
    pub note: String,
}

/// One side of the introduction as the picker left it.
#[derive(Default)]
pub struct Side {
    pub error: Option<String>,
    pub matches: Vec<PersonHit>,
}

pub struct EventChoice {
    pub id: EventId,
    pub label: String,
}

#[derive(Template)]
#[template(path = "sparks.html")]
pub struct SparksPage {
    pub chrome: Chrome,
    pub f: SparkForm,
    pub a: Side,
    pub b: Side,
    pub form_error: Option<String>,
    pub events: Vec<EventChoice>,
    pub open: Vec<SparkView>,
    pub acted: Vec<SparkView>,
    /// The spark whose "what happened" was sent blank, and the note as typed.
    pub acted_error: Option<(i64, String)>,
    /// Every event's title, for the sparks' links.
    pub titles: std::collections::HashMap<EventId, String>,
}

impl SparksPage {
    /// The "what happened" sent blank for spark `id`, if that was this one.
    pub fn acted_note(&self, id: &i64) -> Option<&str> {
        self.acted_error
            .as_ref()
            .filter(|(e, _)| e == id)
            .map(|(_, note)| note.as_str())
    }

    /// An event's title, or its number when it is not known.
    pub fn title(&self, e: &EventId) -> String {
        self.titles
            .get(e)
            .cloned()
            .unwrap_or_else(|| format!("event {e}"))
    }
}

async fn page(state: &AppState, me: &SignedIn, f: SparkForm) -> Result<SparksPage, WebError> {
    let all = trellis_app::events::list(&state.store, None).await?;
    let hosts = |e: &trellis_app::events::EventSummary| trellis_core::cohost::Hosts {
        host: e.program_id,
        cohost: e.cohost_program_id,
    };
    let programs: std::collections::HashMap<EventId, trellis_core::cohost::Hosts> =
        all.iter().map(|e| (e.id, hosts(e))).collect();
    // Only the sparks of the programs this account reaches (one made at no event, only
    // to an account that reaches them all).
    let everything = reaches_all(state, me, false).await?;
    let sparks = trellis_app::sparks::list(&state.store, None).await?;
    let (mut acted, mut open): (Vec<_>, Vec<_>) = sparks
        .into_iter()
        .filter(|s| match s.event {
            Some(e) => programs.get(&e).is_some_and(|h| h.seen_by(&me.access)),
            None => everything,
        })
        .partition(|s| s.acted_at.is_some());
    // Newest first: the introductions of the last event are the ones to follow up.
    open.reverse();
    acted.reverse();
    let titles = all.iter().map(|e| (e.id, e.title.clone())).collect();
    let mut events: Vec<_> = all
        .into_iter()
        .filter(|e| matches!(e.status, EventStatus::Held | EventStatus::Closed))
        .filter(|e| hosts(e).acted_on_by(&me.access))
        .collect();
    events.reverse();
    let events = events
        .into_iter()
        .map(|e| EventChoice {
            id: e.id,
            label: format!("{} · {}", e.title, e.starts_at.strftime("%Y-%m-%d")),
        })
        .collect();
    Ok(SparksPage {
        chrome: chrome(me),
        f,
        a: Side::default(),
        b: Side::default(),
        form_error: None,
        events,
        open,
        acted,
        acted_error: None,
        titles,
    })
}

/// `GET /sparks`.
pub async fn sparks(State(state): State<AppState>, me: SignedIn) -> Result<Html<String>, WebError> {
    let mut p = page(&state, &me, SparkForm::default()).await?;
    // The default event is the last held one.
    p.f.event = p
        .events
        .first()
        .map(|e| e.id.to_string())
        .unwrap_or_default();
    Ok(Html(p.render()?))
}

/// The person one side names: chosen, or certain from what was typed; else why not.
async fn resolve(
    state: &AppState,
    me: &SignedIn,
    who: &str,
    chosen: Option<i64>,
) -> Result<Result<PersonId, Side>, WebError> {
    if let Some(p) = chosen {
        return Ok(Ok(PersonId(p)));
    }
    let found = candidates(state, me, who).await?;
    if let Some(p) = certain(who, &found) {
        return Ok(Ok(p));
    }
    let error = if who.trim().is_empty() {
        "Type a name or an e-mail.".to_owned()
    } else if found.is_empty() {
        format!("Nobody on record matches “{}”.", who.trim())
    } else {
        "Several people match: choose one.".to_owned()
    };
    Ok(Err(Side {
        error: Some(error),
        matches: found,
    }))
}

/// Whether the account reaches (`act`: may change) every program: what a spark made at
/// no event needs.
async fn reaches_all(state: &AppState, me: &SignedIn, act: bool) -> Result<bool, WebError> {
    let ids = state.store.program_ids().await?;
    Ok(if act {
        me.access.acts_on_all(&ids)
    } else {
        me.access.sees_all(&ids)
    })
}

/// Refuses a spark of a program this account may not change: the event's program, or
/// every program for a spark made at no event.
async fn may_change(
    state: &AppState,
    me: &SignedIn,
    event: Option<EventId>,
) -> Result<(), WebError> {
    match event {
        Some(e) => match state.store.hosts_of_event(e).await? {
            Some(h) => me.require_act_on_event(h),
            None => Ok(()),
        },
        None if reaches_all(state, me, true).await? => Ok(()),
        None => Err(me.refusal()),
    }
}

/// `POST /sparks`: records the introduction, or the form again with what to fix.
pub async fn record(
    State(state): State<AppState>,
    me: SignedIn,
    Form(f): Form<SparkForm>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let event = match f.event.trim() {
        "" => None,
        e => Some(EventId(e.parse().map_err(|_| {
            WebError::BadRequest(format!("event {e:?} is not an id"))
        })?)),
    };
    may_change(&state, &me, event).await?;
    let a = resolve(&state, &me, &f.who_a, f.a).await?;
    let b = resolve(&state, &me, &f.who_b, f.b).await?;
    let (a, b) = match (a, b) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            let mut p = page(&state, &me, f).await?;
            p.a = a.err().unwrap_or_default();
            p.b = b.err().unwrap_or_default();
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(p.render()?)).into_response());
        }
    };
    may_name(&state, &me, &[a, b]).await?;
    let ctx = me.ctx(&state);
    match trellis_app::sparks::record(&state.store, &ctx, a, b, event, Some(&f.note)).await {
        Ok(s) => {
            state.invalidate();
            Ok(Redirect::to(&format!("/sparks#spark-{}", s.id)).into_response())
        }
        Err(err) => {
            let text = super::board::refusal(err)?;
            let mut p = page(&state, &me, f).await?;
            p.form_error = Some(text);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(p.render()?)).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct ActedForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    note: String,
}

/// `POST /sparks/{id}/acted`: what happened is required.
pub async fn acted(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<ActedForm>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let spark = trellis_app::sparks::list(&state.store, None)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(WebError::NotFound)?;
    may_change(&state, &me, spark.event).await?;
    if f.note.trim().is_empty() {
        let mut p = page(&state, &me, SparkForm::default()).await?;
        p.acted_error = Some((id, f.note));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(p.render()?)).into_response());
    }
    trellis_app::sparks::acted(&state.store, &me.ctx(&state), id, &f.note).await?;
    state.invalidate();
    Ok(Redirect::to(&format!("/sparks#spark-{id}")).into_response())
}
