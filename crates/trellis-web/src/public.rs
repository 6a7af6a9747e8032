//! The two public pages, reached by an unguessable token and needing no account: the demo
//! slot contract a presenter accepts, and the follow-up question. They show only what the
//! visitor needs, and their forms carry a double-submit token (a cookie and a field that
//! must match), which a cross-site form cannot read or set.

use crate::views::{Contract, Followup};
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::http::header::SET_COOKIE;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use trellis_core::followup::Outcome;
use trellis_store::Ctx;

const FORM_COOKIE: &str = "trellis_form";

/// The longest follow-up answer, as the form's `maxlength` says.
pub const MAX_ANSWER_CHARS: usize = 4000;

/// The follow-up form's body: the answer at four bytes a character, percent-encoded
/// (three bytes each), with room for the other fields.
pub const ANSWER_BODY_BYTES: usize = MAX_ANSWER_CHARS * 4 * 3 + 4096;

pub(crate) fn with_form_cookie(state: &AppState, html: String, token: &str) -> Response {
    let secure = if state.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let cookie =
        format!("{FORM_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=86400{secure}");
    ([(SET_COOKIE, cookie)], Html(html)).into_response()
}

pub(crate) fn check_form_token(headers: &HeaderMap, field: &str) -> Result<(), WebError> {
    match crate::auth::cookie_value(headers, FORM_COOKIE) {
        Some(c) if !c.is_empty() && c == field => Ok(()),
        _ => Err(WebError::Forbidden(
            "This form has expired. Open the link again and send it once more.".into(),
        )),
    }
}

fn valid_token(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

pub async fn contract(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    if !valid_token(&token) {
        return Err(WebError::NotFound);
    }
    let page = state
        .store
        .contract_page(&token)
        .await?
        .ok_or(WebError::NotFound)?;
    if page.accepted_at.is_some() {
        // Single use: once accepted, the link leads nowhere.
        return Err(WebError::NotFound);
    }
    let form = trellis_store::web::secret()?;
    let html = Contract {
        css: crate::assets::CSS_PATH,
        page,
        csrf: &form,
        done: false,
    }
    .render()?;
    Ok(with_form_cookie(&state, html, &form))
}

#[derive(Deserialize)]
pub struct PublicForm {
    #[serde(default)]
    csrf: String,
    text: Option<String>,
    outcome: Option<String>,
}

pub async fn accept_contract(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(f): Form<PublicForm>,
) -> Result<Response, WebError> {
    if !valid_token(&token) {
        return Err(WebError::NotFound);
    }
    check_form_token(&headers, &f.csrf)?;
    let page = state
        .store
        .contract_page(&token)
        .await?
        .ok_or(WebError::NotFound)?;
    if page.accepted_at.is_some() {
        return Err(WebError::NotFound);
    }
    let ctx = Ctx::new(
        format!(
            "presenter via contract link ({})",
            page.presenter_first_name
        ),
        state.now(),
    );
    state
        .store
        .accept_contract_by_token(&ctx, &token)
        .await?
        .ok_or(WebError::NotFound)?;
    state.invalidate();
    Ok(Html(
        Contract {
            css: crate::assets::CSS_PATH,
            page,
            csrf: "",
            done: true,
        }
        .render()?,
    )
    .into_response())
}

pub async fn followup(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    if !valid_token(&token) {
        return Err(WebError::NotFound);
    }
    let page = state
        .store
        .followup_page(&token)
        .await?
        .ok_or(WebError::NotFound)?;
    if page.answered {
        // A used link is as good as no link: the answer is not shown to whoever has it now.
        return Err(WebError::NotFound);
    }
    let form = trellis_store::web::secret()?;
    let html = Followup {
        css: crate::assets::CSS_PATH,
        page,
        csrf: &form,
        done: false,
    }
    .render()?;
    Ok(with_form_cookie(&state, html, &form))
}

pub async fn answer_followup(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(f): Form<PublicForm>,
) -> Result<Response, WebError> {
    if !valid_token(&token) {
        return Err(WebError::NotFound);
    }
    check_form_token(&headers, &f.csrf)?;
    let page = state
        .store
        .followup_page(&token)
        .await?
        .ok_or(WebError::NotFound)?;
    if page.answered {
        return Err(WebError::NotFound);
    }
    let text = f.text.unwrap_or_default();
    // The form's `maxlength` is the browser's courtesy; this is the rule.
    if text.trim().chars().count() > MAX_ANSWER_CHARS {
        return Err(WebError::BadRequest(format!(
            "Please keep it under {MAX_ANSWER_CHARS} characters — a sentence or two is plenty."
        )));
    }
    if text.trim().is_empty() {
        return Err(WebError::BadRequest(
            "Please write a sentence or two — anything is fine, “nothing yet” too.".into(),
        ));
    }
    let outcome: Option<Outcome> =
        match f.outcome.as_deref().filter(|o| !o.is_empty()) {
            Some(o) => Some(o.parse().map_err(|_| {
                WebError::BadRequest("That outcome is not one of the choices.".into())
            })?),
            None => None,
        };
    let ctx = Ctx::new(
        format!("attendee via follow-up link ({})", page.first_name),
        state.now(),
    );
    state
        .store
        .answer_followup(&ctx, &token, text.trim(), outcome)
        .await?;
    state.invalidate();
    Ok(Html(
        Followup {
            css: crate::assets::CSS_PATH,
            page,
            csrf: "",
            done: true,
        }
        .render()?,
    )
    .into_response())
}
