//! A program's public page, `/p/{slug}`, needing no account: its upcoming announced
//! events, the demo contract, and the call for demos. Off unless an organizer turned it
//! on (404 otherwise, the same as a page that never existed).
//!
//! Anti-abuse without script: a honeypot field (filled: thanked, nothing written), a
//! double-submit form token, length caps (the form's body is capped with every form's),
//! a limit per client address, and one answer whatever the e-mail: the page never says
//! whether an address is known.

use crate::public::{check_form_token, with_form_cookie};
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use trellis_app::public_page::{Chapter, NotTaken};
use trellis_core::CoreError;
use trellis_core::offer::{ABOUT_CHARS, OfferInput};
use trellis_store::Ctx;

/// Hands one address may raise per hour.
const PER_HOUR: u32 = 5;
/// Addresses remembered at most; the oldest window goes first.
const REMEMBERED: usize = 10_000;

/// Counts hands raised per client address in a one-hour window. Per process.
#[derive(Default)]
pub struct HandLimit {
    table: Mutex<HashMap<IpAddr, (Timestamp, u32)>>,
}

impl HandLimit {
    /// Counts one hand from `addr`; false once the address is over the limit.
    fn allow(&self, addr: IpAddr, now: Timestamp) -> bool {
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        let hour = SignedDuration::from_hours(1);
        if table.len() >= REMEMBERED {
            table.retain(|_, (start, _)| now.duration_since(*start) < hour);
            if table.len() >= REMEMBERED
                && let Some(oldest) = table.iter().min_by_key(|(_, (s, _))| *s).map(|(k, _)| *k)
            {
                table.remove(&oldest);
            }
        }
        let e = table.entry(addr).or_insert((now, 0));
        if now.duration_since(e.0) >= hour {
            *e = (now, 0);
        }
        e.1 = e.1.saturating_add(1);
        e.1 <= PER_HOUR
    }
}

/// What was typed, re-shown with the messages when the form is refused.
#[derive(Debug, Default, Deserialize)]
pub struct HandForm {
    #[serde(default)]
    csrf: String,
    /// The honeypot: people never see it.
    #[serde(default)]
    website: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub about: String,
    pub wip: Option<String>,
    #[serde(default)]
    pub event: String,
}

/// A message at each field that needs one.
#[derive(Debug, Default)]
pub struct Errors {
    pub name: Option<String>,
    pub email: Option<String>,
    pub title: Option<String>,
    pub about: Option<String>,
    pub event: Option<String>,
    pub other: Option<String>,
}

#[derive(Template)]
#[template(path = "chapter.html")]
pub struct ChapterPage<'a> {
    pub css: &'a str,
    pub slug: &'a str,
    pub c: Chapter,
    pub csrf: &'a str,
    pub f: HandForm,
    pub e: Errors,
    pub thanks: bool,
    pub about_chars: usize,
}

async fn found(state: &AppState, slug: &str) -> Result<Chapter, WebError> {
    trellis_app::public_page::chapter(&state.store, slug, state.now())
        .await?
        .ok_or(WebError::NotFound)
}

fn render(
    state: &AppState,
    slug: &str,
    c: Chapter,
    f: HandForm,
    e: Errors,
    thanks: bool,
) -> Result<Response, WebError> {
    let token = trellis_store::web::secret()?;
    let html = ChapterPage {
        css: crate::assets::CSS_PATH,
        slug,
        c,
        csrf: &token,
        f,
        e,
        thanks,
        about_chars: ABOUT_CHARS,
    }
    .render()?;
    Ok(with_form_cookie(state, html, &token))
}

/// `GET /p/{slug}`.
pub async fn page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let c = found(&state, &slug).await?;
    render(
        &state,
        &slug,
        c,
        HandForm::default(),
        Errors::default(),
        false,
    )
}

/// `GET /p/{slug}/events/{id}.ics`: one announced event, for a visitor's calendar.
pub async fn event_ics(
    State(state): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let c = found(&state, &slug).await?;
    let id: i64 = file
        .strip_suffix(".ics")
        .and_then(|n| n.parse().ok())
        .ok_or(WebError::NotFound)?;
    let page = format!("{}/p/{slug}", state.public_url);
    let body =
        trellis_app::public_page::event_ics(&c, trellis_core::EventId(id), &page, state.now())?
            .ok_or(WebError::NotFound)?;
    Ok((
        [
            (CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"event-{id}.ics\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// `POST /p/{slug}`: a hand raised.
pub async fn raise(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    addr: crate::auth::ClientAddr,
    headers: HeaderMap,
    Form(f): Form<HandForm>,
) -> Result<Response, WebError> {
    let c = found(&state, &slug).await?;
    check_form_token(&headers, &f.csrf)?;
    if !f.website.is_empty() {
        // A bot: thanked like anyone, and nothing is written.
        return render(
            &state,
            &slug,
            c,
            HandForm::default(),
            Errors::default(),
            true,
        );
    }
    if let Some(ip) = addr.ip()
        && !state.hands.allow(ip, state.now())
    {
        let e = Errors {
            other: Some(
                "Many proposals came from your address in the last hour. Please try again later."
                    .into(),
            ),
            ..Errors::default()
        };
        let page = render(&state, &slug, c, f, e, false)?;
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    }
    let input = OfferInput {
        name: f.name.clone(),
        email: f.email.clone(),
        title: f.title.clone(),
        about: f.about.clone(),
        wip: f.wip.is_some(),
    };
    let event = match f.event.trim() {
        "" | "any" => None,
        id => match id.parse() {
            Ok(n) => Some(trellis_core::EventId(n)),
            Err(_) => return Err(WebError::BadRequest(format!("event {id:?} is not an id"))),
        },
    };
    let ctx = Ctx::new("public page", state.now());
    match trellis_app::public_page::raise_hand(&state.store, &ctx, &c, event, &input).await {
        Ok(raised) => {
            state.invalidate();
            // The hand is stored; a failure to plan the organizers' message must not
            // make the builder send it again.
            let told = trellis_app::public_page::tell_organizers(
                &state.store,
                &c,
                &input,
                &raised,
                event,
                state.now(),
            )
            .await;
            if let Err(e) = told {
                tracing::warn!(error = %e, "the organizers could not be told of a hand raised");
            }
            render(
                &state,
                &slug,
                c,
                HandForm::default(),
                Errors::default(),
                true,
            )
        }
        Err(NotTaken::Fields(problems)) => {
            let page = render(&state, &slug, c, f, at_fields(problems), false)?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(NotTaken::Failed(e)) => Err(e.into()),
    }
}

/// The use case's problems as messages at their fields, in the page's words.
fn at_fields(problems: Vec<CoreError>) -> Errors {
    let mut e = Errors::default();
    for p in problems {
        let (field, text) = match &p {
            CoreError::Invalid { field, problem, .. } => (field.0.clone(), problem.clone()),
            other => (String::new(), other.to_string()),
        };
        let text = match field.as_str() {
            "name" => format!("Your name {text}."),
            "email" => "Give an e-mail address the organizers can write to.".to_owned(),
            "title" => format!("The title {text}."),
            "about" => format!("This {text}: shorten it a little."),
            "event" => "Choose one of the events listed, or “any event”.".to_owned(),
            _ => text,
        };
        let slot = match field.as_str() {
            "name" => &mut e.name,
            "email" => &mut e.email,
            "title" => &mut e.title,
            "about" => &mut e.about,
            "event" => &mut e.event,
            _ => &mut e.other,
        };
        slot.get_or_insert(text);
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_may_raise_five_hands_an_hour() {
        let limit = HandLimit::default();
        let ip: IpAddr = [192, 0, 2, 7].into();
        let other: IpAddr = [192, 0, 2, 8].into();
        let t: Timestamp = "2026-12-06T10:00:00Z".parse().unwrap_or_default();
        for _ in 0..PER_HOUR {
            assert!(limit.allow(ip, t));
        }
        assert!(!limit.allow(ip, t + SignedDuration::from_mins(59)));
        assert!(limit.allow(other, t));
        assert!(limit.allow(ip, t + SignedDuration::from_mins(61)));
    }
}
