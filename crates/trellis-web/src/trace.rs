//! What operators see of each request: an id, a `tracing` span carrying it, and one log
//! line when the request ends. An internal error is logged in full under that id; the
//! visitor sees only the id (see [`crate::error`]), never the error's text, which may
//! name tables, SQL or file paths.

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use tracing::Instrument;

/// The response header that carries the request's id, for operators and for tests.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Left in a response's extensions by an internal error: the detail to log. The
/// middleware takes it out, logs it and replaces the body with an opaque page.
#[derive(Clone, Debug)]
pub(crate) struct Internal {
    pub(crate) detail: String,
    /// The failed response was JSON (the API), so the replacement is too.
    pub(crate) json: bool,
}

/// Sixteen hex digits, random so that ids from two servers (or a restarted one) do not
/// collide in a shared log.
fn new_id() -> String {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        // No randomness is no reason to fail a request: a counter still tells the
        // requests of this process apart.
        static NEXT: AtomicU64 = AtomicU64::new(1);
        bytes = NEXT.fetch_add(1, Ordering::Relaxed).to_be_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The middleware: wraps every request, the fallback included.
pub async fn requests(req: Request, next: Next) -> Response {
    let id = new_id();
    // The route's pattern, not the path: paths carry the tokens of the public pages,
    // which must not end up in a log.
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("(no route)", MatchedPath::as_str)
        .to_owned();
    let span = tracing::info_span!("request", id = %id, method = %req.method(), route = %route);
    let started = Instant::now();
    async move {
        let mut res = next.run(req).await;
        if let Some(Internal { detail, json }) = res.extensions_mut().remove::<Internal>() {
            tracing::error!(error = %detail, "internal error");
            res = opaque(res, json, &id);
        }
        tracing::info!(
            status = res.status().as_u16(),
            ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            "done"
        );
        if let Ok(v) = HeaderValue::from_str(&id) {
            res.headers_mut().insert(REQUEST_ID, v);
        }
        res
    }
    .instrument(span)
    .await
}

/// The 500 a visitor sees: the id and nothing else. API callers get JSON, pages HTML.
/// The failed response's other headers (security, caching) stay.
fn opaque(failed: Response, json: bool, id: &str) -> Response {
    let (mut parts, _) = failed.into_parts();
    let (new, body) = opaque_body(json, id).into_parts();
    parts.status = new.status;
    for (name, value) in &new.headers {
        parts.headers.insert(name, value.clone());
    }
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, body)
}

fn opaque_body(json: bool, id: &str) -> Response {
    if json {
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            axum::Json(serde_json::json!({
                "error": format!("internal error (request {id})"),
                "request_id": id,
            })),
        )
            .into_response()
    } else {
        crate::error::page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something broke",
            &format!(
                "Trellis could not finish this request. The operators can look it up in the log by its id: {id}."
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_sixteen_hex_digits_and_differ() {
        let (a, b) = (new_id(), new_id());
        assert_eq!(a.len(), 16);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
