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
use trellis_core::metrics::{Period, compute};
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
                    "an Authorization: Bearer <token> header is needed (trellis token create)",
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
    match state.store.list_events(q.program.map(ProgramId)).await {
        Ok(list) => Json(list).into_response(),
        Err(e) => json_error(e.into()),
    }
}

pub async fn event(State(state): State<AppState>, _: Bearer, Path(id): Path<i64>) -> Response {
    match state.store.event_detail(EventId(id), state.now()).await {
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
    let result = async {
        let history = state.store.metrics_history(program).await?;
        let figures = compute(&history, Period::year_to(now), now);
        let (pipeline, next_event, followups) = state.store.review_parts(program).await?;
        let mut v =
            serde_json::to_value(&figures).map_err(|e| WebError::BadRequest(e.to_string()))?;
        if let Some(obj) = v.as_object_mut() {
            obj.insert("program".into(), serde_json::json!(program));
            obj.insert("pipeline".into(), serde_json::json!(pipeline));
            obj.insert("next_event".into(), serde_json::json!(next_event));
            obj.insert("followups".into(), serde_json::json!(followups));
        }
        Ok::<_, WebError>(v)
    }
    .await;
    match result {
        Ok(v) => Json(v).into_response(),
        Err(e) => json_error(e),
    }
}
