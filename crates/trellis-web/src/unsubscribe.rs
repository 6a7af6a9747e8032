//! The one-click unsubscribe of Trellis's e-mail (RFC 8058): `List-Unsubscribe` points
//! here. A mail provider POSTs `List-Unsubscribe=One-Click` without cookies, so the POST
//! needs no form token: the unguessable token in the path is the only key, and all it can
//! do is stop mail to the person it was made for. A GET (someone clicking the link) only
//! shows a button, so a link scanner fetching it changes nothing.

use crate::{AppState, WebError};
use axum::extract::{Path, State};
use axum::response::Html;

fn valid_token(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

fn page(body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Trellis e-mail</title><link rel=\"stylesheet\" href=\"{css}\"></head>\
         <body><main>{body}</main></body></html>",
        css = crate::assets::CSS_PATH
    ))
}

pub async fn confirm(Path(token): Path<String>) -> Result<Html<String>, WebError> {
    if !valid_token(&token) {
        return Err(WebError::NotFound);
    }
    Ok(page(&format!(
        "<h1>Stop e-mail from Trellis</h1><p>You will not get e-mail from this community's \
         Trellis any more.</p><form method=\"post\" action=\"/u/{token}\">\
         <button type=\"submit\">Unsubscribe</button></form>"
    )))
}

pub async fn unsubscribe(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Html<String>, WebError> {
    if !valid_token(&token) {
        return Err(WebError::NotFound);
    }
    state
        .store
        .unsubscribe(&token, state.now())
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(page(
        "<h1>Unsubscribed</h1><p>You will not get e-mail from Trellis any more.</p>",
    ))
}
