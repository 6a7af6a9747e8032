//! The people pages: `/people` (a search by name or e-mail), `/people/{id}` (one person's
//! whole story) and `/people/{id}/export.json` (everything stored about them, to hand
//! over when they ask).

use super::{Chrome, chrome};
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use trellis_app::person_page::{LISTED, PersonPage};
use trellis_core::PersonId;
use trellis_store::PersonHit;

#[derive(Deserialize, Default)]
pub struct PeopleQuery {
    #[serde(default)]
    pub q: String,
}

#[derive(Template)]
#[template(path = "people.html")]
pub struct People {
    pub chrome: Chrome,
    pub q: String,
    pub people: Vec<PersonHit>,
    /// The list stops at the limit: a search narrows it.
    pub more: bool,
}

/// `GET /people?q=`.
pub async fn people(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<PeopleQuery>,
) -> Result<Html<String>, WebError> {
    let people = trellis_app::person_page::search(&state.store, &q.q).await?;
    let page = People {
        chrome: chrome(&me),
        more: people.len() as i64 >= LISTED,
        q: q.q,
        people,
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "person.html")]
pub struct Person {
    pub chrome: Chrome,
    pub p: PersonPage,
}

/// `GET /people/{id}`.
pub async fn person(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let p = trellis_app::person_page::person_page(&state.store, PersonId(id)).await?;
    let page = Person {
        chrome: chrome(&me),
        p,
    };
    Ok(Html(page.render()?))
}

/// `GET /people/{id}/export.json`: the same document as `person export`, as a download.
pub async fn export(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    super::organizer_only(&me)?;
    let doc = trellis_app::people::export(&state.store, PersonId(id)).await?;
    let body = serde_json::to_string_pretty(&doc)
        .map_err(|e| WebError::BadRequest(format!("the export could not be written: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"trellis-person-{id}.json\""),
            ),
        ],
        body,
    )
        .into_response())
}
