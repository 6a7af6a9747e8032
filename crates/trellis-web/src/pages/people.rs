//! The people pages: `/people` (a search by name or e-mail), `/people/{id}` (one person's
//! whole story) and `/people/{id}/export.json` (everything stored about them, to hand
//! over when they ask).

use super::{Chrome, chrome};
use crate::auth::{SignedIn, out_of_reach};
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
    let hits = trellis_app::person_page::search(&state.store, &q.q).await?;
    let people = trellis_app::person_page::visible_hits(&state.store, hits, &me.access).await?;
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
    let id = PersonId(id);
    // Someone merged into another has no records of their own: theirs are the kept
    // person's, whose programs decide.
    let whose = kept_of(&state, id).await?.unwrap_or(id);
    if !trellis_app::person_page::may_see_person(&state.store, whose, &me.access).await? {
        return Err(out_of_reach());
    }
    let p = trellis_app::person_page::person_page_for(&state.store, id, &me.access).await?;
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
    // Everything stored about them, in every program: only for an account that may
    // change all of those.
    may_rewrite(&state, &me, &[PersonId(id)]).await?;
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

/// Refuses a step that rewrites (or hands out) people's history in programs this account
/// may not change: merging, forgetting, exporting everything.
pub(crate) async fn may_rewrite(
    state: &AppState,
    me: &SignedIn,
    people: &[PersonId],
) -> Result<(), WebError> {
    // A merged person's records sit with the one they were merged into (and an unmerge
    // takes some back): that person's programs count too.
    let mut all = people.to_vec();
    for p in people {
        all.extend(kept_of(state, *p).await?);
    }
    if trellis_app::person_page::may_rewrite(&state.store, &all, &me.access).await? {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "This person has records in programs your account may not change, and this step rewrites all of them. An admin can do it.".into(),
        ))
    }
}

/// The person `id` was merged into, if so.
async fn kept_of(state: &AppState, id: PersonId) -> Result<Option<PersonId>, WebError> {
    Ok(state.store.person_story(id).await?.merged_into)
}

/// The people a picker offers for what was typed: the matches this account may see (a
/// person of only another chapter is neither shown nor taken).
pub(crate) async fn candidates(
    state: &AppState,
    me: &SignedIn,
    who: &str,
) -> Result<Vec<PersonHit>, WebError> {
    let hits = trellis_app::propose::candidates(&state.store, who).await?;
    Ok(trellis_app::person_page::visible_hits(&state.store, hits, &me.access).await?)
}

/// Refuses a form or a path that names, by id, someone this account may not see: a person
/// of only another chapter is not pulled into this one's work (where their page would then
/// show them).
pub(crate) async fn may_name(
    state: &AppState,
    me: &SignedIn,
    people: &[PersonId],
) -> Result<(), WebError> {
    for p in people {
        if !trellis_app::person_page::may_see_person(&state.store, *p, &me.access).await? {
            return Err(out_of_reach());
        }
    }
    Ok(())
}
