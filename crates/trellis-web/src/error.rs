use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use trellis_store::StoreError;

/// How a request fails. Refusals by a gate are not errors here: the event page shows
/// them with the reasons and the override form (HTTP 409 for API callers).
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("{0}")]
    BadRequest(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
    /// A use case failed for a reason other than the store's (a parser, a worker thread).
    #[error(transparent)]
    App(trellis_app::AppError),
}

impl From<trellis_app::AppError> for WebError {
    fn from(e: trellis_app::AppError) -> Self {
        match e {
            // The store's errors keep their meaning (not found, invalid, conflict).
            trellis_app::AppError::Store(s) => WebError::Store(s),
            other => WebError::App(other),
        }
    }
}

pub(crate) fn page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = crate::views::Message {
        title,
        message,
        css: crate::assets::CSS_PATH,
    };
    match askama::Template::render(&body) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, message.to_owned()).into_response(),
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::NotFound | WebError::Store(StoreError::NotFound { .. }) => page(
                StatusCode::NOT_FOUND,
                "Not found",
                "There is nothing here. The link may be old, already used, or mistyped.",
            ),
            WebError::Forbidden(why) => page(StatusCode::FORBIDDEN, "Not allowed", &why),
            WebError::BadRequest(why) => page(StatusCode::BAD_REQUEST, "That did not work", &why),
            WebError::Store(e @ (StoreError::Invalid(_) | StoreError::Conflict(_))) => page(
                StatusCode::UNPROCESSABLE_ENTITY,
                "That did not work",
                &e.to_string(),
            ),
            other => internal(&other),
        }
    }
}

/// An internal error: a page without the error's text, and the detail (with its chain of
/// causes) left for the request middleware to log under the request's id.
pub(crate) fn internal(e: &dyn std::error::Error) -> Response {
    let mut res = page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something broke",
        "Trellis could not finish this request.",
    );
    res.extensions_mut().insert(crate::trace::Internal {
        detail: chain(e),
        json: false,
    });
    res
}

/// [`internal`] for the JSON API.
pub(crate) fn internal_json(e: &dyn std::error::Error) -> Response {
    let mut res = (
        StatusCode::INTERNAL_SERVER_ERROR,
        axum::Json(serde_json::json!({ "error": "internal error" })),
    )
        .into_response();
    res.extensions_mut().insert(crate::trace::Internal {
        detail: chain(e),
        json: true,
    });
    res
}

/// "outer: cause: cause", skipping a cause whose text the outer one already carries
/// (thiserror's `transparent` and `{0}` both repeat it).
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        next = cause.source();
    }
    out
}

pub async fn not_found() -> Response {
    WebError::NotFound.into_response()
}
