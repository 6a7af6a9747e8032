//! `GET /calendar/{secret}.ics`: a program's calendar feed for any calendar app, without
//! a login — the secret in the address is the key (only its SHA-256 is stored, and an
//! admin can replace it). An unknown secret is a plain 404, like any unknown address.

use crate::{AppState, WebError};
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub(crate) fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/calendar/{file}", get(feed))
}

async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let secret = file.strip_suffix(".ics").ok_or(WebError::NotFound)?;
    // A secret is 32 hex digits; anything else is not looked up.
    if secret.len() != 32 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(WebError::NotFound);
    }
    let body = trellis_app::calendar::feed(&state.store, secret, &state.public_url, state.now())
        .await?
        .ok_or(WebError::NotFound)?;
    Ok((
        [
            (CONTENT_TYPE, "text/calendar; charset=utf-8"),
            // Calendar apps poll; a shared cache must not keep a secret feed.
            (CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    )
        .into_response())
}
