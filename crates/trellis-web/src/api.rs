//! The JSON API for automation: the same JSON as the CLI, behind bearer tokens minted by
//! `trellis token create`.

use crate::{AppState, WebError};
use axum::Json;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use trellis_core::metrics::Period;
use trellis_core::{EventId, ProgramId};

/// A request that carries a valid API token.
pub struct Bearer;

fn unauthorized(msg: &str) -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [("www-authenticate", "Bearer")],
        Json(serde_json::json!({ "error": msg })),
    )
        .into_response()
}

impl FromRequestParts<AppState> for Bearer {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| {
                unauthorized(
                    "an Authorization: Bearer <token> header is needed (an API token, which an administrator creates)",
                )
            })?;
        match state.store.api_token_valid(token).await {
            Ok(true) => Ok(Bearer),
            Ok(false) => Err(unauthorized("that token is not valid")),
            Err(e) => Err(WebError::from(e).into_response()),
        }
    }
}

fn json_error(e: WebError) -> Response {
    let status = match &e {
        WebError::NotFound | WebError::Store(trellis_store::StoreError::NotFound { .. }) => {
            StatusCode::NOT_FOUND
        }
        WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
        // The text goes to the log; the caller gets the request's id (crate::trace).
        _ => return crate::error::internal_json(&e),
    };
    (status, Json(serde_json::json!({ "error": e.to_string() }))).into_response()
}

#[derive(Deserialize)]
pub struct ProgramQuery {
    program: Option<i64>,
}

pub async fn events(
    State(state): State<AppState>,
    _: Bearer,
    Query(q): Query<ProgramQuery>,
) -> Response {
    match trellis_app::events::list(&state.store, q.program.map(ProgramId)).await {
        Ok(list) => Json(list).into_response(),
        Err(e) => json_error(e.into()),
    }
}

pub async fn event(State(state): State<AppState>, _: Bearer, Path(id): Path<i64>) -> Response {
    match trellis_app::event_page::event_page(&state.store, EventId(id), state.now()).await {
        Ok(d) => Json(d).into_response(),
        Err(e) => json_error(e.into()),
    }
}

/// The figures of `trellis metrics --json`, for the 365 days to now.
pub async fn metrics(
    State(state): State<AppState>,
    _: Bearer,
    Query(q): Query<ProgramQuery>,
) -> Response {
    let program = q.program.map(ProgramId);
    let now = state.now();
    match trellis_app::metrics::screen(&state.store, program, Period::year_to(now), now, now).await
    {
        Ok(screen) => Json(screen.report).into_response(),
        Err(e) => json_error(e.into()),
    }
}
