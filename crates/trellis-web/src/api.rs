//! The JSON API for automation: the same JSON as the CLI, behind bearer tokens minted by
//! `trellis token create`. A token minted with `--program` reads only that program: its
//! events (hosted or co-hosted, by `Hosts::seen_by`) and its metrics; anything else is a
//! 403, in the same JSON shape as every other error here.

use crate::{AppState, WebError};
use axum::Json;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use trellis_core::access::{Access, Role};
use trellis_core::metrics::Period;
use trellis_core::{EventId, ProgramId};

/// A request that carries a valid API token, and what that token may read: one
/// program's events and figures (`scope`), or every program's (an unscoped token).
pub struct Bearer {
    scope: Option<ProgramId>,
    access: Access,
}

impl Bearer {
    fn new(scope: Option<ProgramId>) -> Bearer {
        // A token only reads: a scoped one is a viewer of its program; an unscoped one
        // reaches every program, today's and tomorrow's, as tokens always did.
        let access = scope.map_or_else(Access::admin, |p| Access::granted([(p, Role::Viewer)]));
        Bearer { scope, access }
    }

    /// The program `asked` (an id, `all`, or nothing) selects for this token; `None`
    /// is every program. A scoped token defaults to its program and is refused any other.
    fn program(&self, asked: Option<&str>) -> Result<Option<ProgramId>, WebError> {
        let asked = match asked.map(str::trim) {
            None | Some("") => None,
            Some("all") => Some(None),
            Some(p) => Some(Some(ProgramId(p.parse().map_err(|_| {
                WebError::BadRequest(format!("program {p:?} is not an id (or `all`)"))
            })?))),
        };
        match (asked, self.scope) {
            (None, scope) => Ok(scope),
            (Some(Some(p)), _) if self.access.may_see(p) => Ok(Some(p)),
            (Some(None), None) => Ok(None),
            (Some(_), _) => Err(out_of_scope()),
        }
    }
}

/// What a scoped token gets for another program's data.
fn out_of_scope() -> WebError {
    WebError::Forbidden("this API token reads only its own program".into())
}

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
        match state.store.api_token(token).await {
            Ok(Some(t)) => Ok(Bearer::new(t.program)),
            Ok(None) => Err(unauthorized("that token is not valid")),
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
        WebError::Forbidden(_) => StatusCode::FORBIDDEN,
        // The text goes to the log; the caller gets the request's id (crate::trace).
        _ => return crate::error::internal_json(&e),
    };
    (status, Json(serde_json::json!({ "error": e.to_string() }))).into_response()
}

#[derive(Deserialize)]
pub struct ProgramQuery {
    /// A program's id, or `all`.
    program: Option<String>,
}

/// The events of the program asked (hosted or co-hosted), or of every program.
pub async fn events(
    State(state): State<AppState>,
    token: Bearer,
    Query(q): Query<ProgramQuery>,
) -> Response {
    let program = match token.program(q.program.as_deref()) {
        Ok(p) => p,
        Err(e) => return json_error(e),
    };
    match trellis_app::events::list(&state.store, program).await {
        Ok(list) => Json(list).into_response(),
        Err(e) => json_error(e.into()),
    }
}

pub async fn event(State(state): State<AppState>, token: Bearer, Path(id): Path<i64>) -> Response {
    let id = EventId(id);
    // An unknown event falls through to the 404 the page gives.
    match state.store.hosts_of_event(id).await {
        Ok(Some(hosts)) if !hosts.seen_by(&token.access) => return json_error(out_of_scope()),
        Ok(_) => {}
        Err(e) => return json_error(e.into()),
    }
    match trellis_app::event_page::event_page(&state.store, id, state.now()).await {
        Ok(d) => Json(d).into_response(),
        Err(e) => json_error(e.into()),
    }
}

/// The figures of `trellis metrics --json`, for the 365 days to now.
pub async fn metrics(
    State(state): State<AppState>,
    token: Bearer,
    Query(q): Query<ProgramQuery>,
) -> Response {
    let program = match token.program(q.program.as_deref()) {
        Ok(p) => p,
        Err(e) => return json_error(e),
    };
    let now = state.now();
    match trellis_app::metrics::screen(&state.store, program, Period::year_to(now), now, now).await
    {
        Ok(screen) => Json(screen.report).into_response(),
        Err(e) => json_error(e.into()),
    }
}
