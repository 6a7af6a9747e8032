//! Keeping people whole: the likely duplicates with their evidence, a merge that asks
//! first, its undo from the person's page, and forgetting a person, which says first what
//! is erased and what stays.

use super::people::may_rewrite;
use super::{Chrome, chrome, organizer_only};
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use trellis_core::PersonId;
use trellis_core::identity::Duplicate;

#[derive(Template)]
#[template(path = "duplicates.html")]
pub struct Duplicates {
    pub chrome: Chrome,
    pub pairs: Vec<Duplicate>,
}

/// At most this many pairs are listed: the likeliest first.
const PAIRS: usize = 100;

/// `GET /people/duplicates`.
pub async fn duplicates(
    State(state): State<AppState>,
    me: SignedIn,
) -> Result<Html<String>, WebError> {
    let pairs = trellis_app::people::duplicates(&state.store).await?;
    // Only pairs this account could merge: both people's programs are its to change.
    let mut pairs =
        trellis_app::person_page::mergeable_pairs(&state.store, pairs, &me.access).await?;
    pairs.truncate(PAIRS);
    let page = Duplicates {
        chrome: chrome(&me),
        pairs,
    };
    Ok(Html(page.render()?))
}

#[derive(Deserialize)]
pub struct MergeQuery {
    keep: i64,
    other: i64,
}

#[derive(Template)]
#[template(path = "confirm_merge.html")]
pub struct ConfirmMerge {
    pub chrome: Chrome,
    pub keep: trellis_app::people::PersonDetail,
    pub other: trellis_app::people::PersonDetail,
}

/// `GET /people/merge?keep=&other=`: the two people side by side, and what merging does.
pub async fn confirm_merge(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<MergeQuery>,
) -> Result<Html<String>, WebError> {
    organizer_only(&me)?;
    may_rewrite(&state, &me, &[PersonId(q.keep), PersonId(q.other)]).await?;
    let page = ConfirmMerge {
        chrome: chrome(&me),
        keep: trellis_app::people::detail(&state.store, PersonId(q.keep)).await?,
        other: trellis_app::people::detail(&state.store, PersonId(q.other)).await?,
    };
    Ok(Html(page.render()?))
}

#[derive(Deserialize)]
pub struct MergeForm {
    #[serde(default)]
    csrf: String,
    keep: i64,
    other: i64,
    /// Sent by the confirmation page's form only.
    confirm: Option<String>,
}

/// `POST /people/merge` (from the confirmation page; without its confirmation, it asks).
pub async fn merge(
    State(state): State<AppState>,
    me: SignedIn,
    Form(f): Form<MergeForm>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    if f.confirm.is_none() {
        let ask = format!("/people/merge?keep={}&other={}", f.keep, f.other);
        return Ok(Redirect::to(&ask).into_response());
    }
    may_rewrite(&state, &me, &[PersonId(f.keep), PersonId(f.other)]).await?;
    let ctx = me.ctx(&state);
    trellis_app::people::merge(&state.store, &ctx, PersonId(f.keep), PersonId(f.other)).await?;
    state.invalidate();
    Ok(Redirect::to(&format!("/people/{}#merged", f.keep)).into_response())
}

/// `POST /people/{id}/unmerge`: `id` is a person of their own again.
pub async fn unmerge(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<super::CsrfOnly>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    may_rewrite(&state, &me, &[PersonId(id)]).await?;
    trellis_app::people::unmerge(&state.store, &me.ctx(&state), PersonId(id)).await?;
    state.invalidate();
    Ok(Redirect::to(&format!("/people/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "confirm_forget.html")]
pub struct ConfirmForget {
    pub chrome: Chrome,
    pub person: trellis_app::people::PersonDetail,
}

/// `GET /people/{id}/forget`: what forgetting erases and what stays.
pub async fn confirm_forget(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    organizer_only(&me)?;
    may_rewrite(&state, &me, &[PersonId(id)]).await?;
    let page = ConfirmForget {
        chrome: chrome(&me),
        person: trellis_app::people::detail(&state.store, PersonId(id)).await?,
    };
    Ok(Html(page.render()?))
}

#[derive(Deserialize)]
pub struct ForgetForm {
    #[serde(default)]
    csrf: String,
    /// Sent by the confirmation page's form only.
    confirm: Option<String>,
}

/// `POST /people/{id}/forget`: only from the confirmation page.
pub async fn forget(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<ForgetForm>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    if f.confirm.is_none() {
        return Ok(Redirect::to(&format!("/people/{id}/forget")).into_response());
    }
    may_rewrite(&state, &me, &[PersonId(id)]).await?;
    trellis_app::people::forget(&state.store, &me.ctx(&state), PersonId(id)).await?;
    state.invalidate();
    Ok(Redirect::to(&format!("/people/{id}")).into_response())
}
