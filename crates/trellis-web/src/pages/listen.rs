//! `/events/{id}/listen`: the community chat's discussion of an event, whole — messages
//! per day against the baseline (SVG), voices and new voices, the related messages and
//! what tied them to the event, the tone, the most negative messages to read, and the
//! verdict. Read only: "I read it" (`/events/{id}/listened`) records it.

use super::chat::day;
use super::{Chrome, chrome};
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use askama::Template;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::routing::get;
use serde::Deserialize;
use trellis_app::listen::ChatReport;
use trellis_core::EventId;

/// The listening pages and the chat upload.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/events/{id}/listen", get(listen))
        .route(
            "/channels",
            get(super::channels::channels)
                .post(super::upload::upload)
                .layer(DefaultBodyLimit::max(super::upload::BODY_BYTES)),
        )
        .route("/channels/uploads/{id}", get(super::upload::progress))
}

#[derive(Deserialize)]
pub struct ListenQuery {
    days: Option<i64>,
}

#[derive(Template)]
#[template(path = "listen.html")]
pub struct ListenPage {
    pub chrome: Chrome,
    pub r: ChatReport,
    pub chart: String,
    pub per_day: String,
    pub lift: String,
    /// Each tone with its count and its share of the related messages (for the bars).
    pub tones: Vec<(&'static str, u64, u32)>,
    /// (author, day, text, score) of the most negative messages.
    pub negatives: Vec<(String, String, String, String)>,
    pub recorded: Option<String>,
}

/// `GET /events/{id}/listen?days=`.
pub async fn listen(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<ListenQuery>,
) -> Result<Html<String>, WebError> {
    let days = q.days.unwrap_or(7);
    let event = EventId(id);
    let r = trellis_app::listen::preview(&state.store, event, days).await?;
    let d = trellis_app::listen::daily(&state.store, event, days).await?;
    let window = usize::try_from(trellis_core::listen::BASELINE_DAYS).unwrap_or(0);
    let chart = crate::svg::daily(
        &d.counts,
        window,
        r.baseline_per_day,
        &day(d.from),
        &day(r.window.from),
    );
    let recorded = state
        .store
        .chat_report_recorded(event)
        .await?
        .map(|(at, by)| format!("Read by {by} on {}.", day(at)));
    let total = r.tone.total().max(1);
    let share = |n: u64| u32::try_from(n * 100 / total).unwrap_or(100);
    let page = ListenPage {
        chrome: chrome(&me),
        chart,
        per_day: format!("{:.2}", r.messages as f64 / r.days as f64),
        lift: r
            .lift
            .map_or("no messages in the 28 days before".to_owned(), |l| {
                format!("{l:.1}× the 28 days before")
            }),
        tones: vec![
            ("positive", r.tone.positive, share(r.tone.positive)),
            ("neutral", r.tone.neutral, share(r.tone.neutral)),
            ("negative", r.tone.negative, share(r.tone.negative)),
        ],
        negatives: r
            .most_negative
            .iter()
            .map(|m| {
                (
                    m.author.clone(),
                    day(m.at),
                    m.text.clone().unwrap_or_else(|| "(text purged)".to_owned()),
                    format!("{:.2}", m.score),
                )
            })
            .collect(),
        recorded,
        r,
    };
    Ok(Html(page.render()?))
}
