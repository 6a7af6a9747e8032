//! The community chat's discussion after a held event, as the event page shows it, and
//! the organizer's "I read it".

use super::CsrfOnly;
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use trellis_core::EventId;

/// The discussion report as the event page shows it.
pub struct ChatView {
    /// Whether the program has any imported chat at all.
    pub has_chat: bool,
    pub covered: bool,
    pub verdict: &'static str,
    pub window: String,
    /// What the imported chats hold, when they do not cover the window.
    pub span: Option<String>,
    pub summary: String,
    pub tone: String,
    /// (author, at, text) of the most negative messages.
    pub negatives: Vec<(String, String, String)>,
    /// "read by … on …" once recorded (that is what the follow-up gate counts).
    pub recorded: Option<String>,
}

/// How many of the most negative messages the event page quotes.
const QUOTED: usize = 3;

pub(crate) async fn chat_view(state: &AppState, id: EventId) -> Result<ChatView, WebError> {
    let r = trellis_app::listen::preview(&state.store, id, 7).await?;
    let recorded = state
        .store
        .chat_report_recorded(id)
        .await?
        .map(|(at, by)| format!("read by {by} on {}", day(at)));
    let lift = r
        .lift
        .map_or("no messages in the 28 days before".to_owned(), |l| {
            format!("{l:.1}× the 28 days before")
        });
    Ok(ChatView {
        has_chat: !r.channels.is_empty(),
        covered: r.covered,
        verdict: r.verdict.as_str(),
        window: format!("{} – {}", day(r.window.from), day(r.window.to)),
        span: r
            .chats_span
            .as_ref()
            .map(|w| format!("{} – {}", day(w.from), day(w.to))),
        summary: format!(
            "{} messages ({lift}) · {} voices, {} new · {} about the event",
            r.messages, r.voices, r.new_voices, r.related.count
        ),
        tone: format!(
            "{} positive, {} neutral, {} negative",
            r.tone.positive, r.tone.neutral, r.tone.negative
        ),
        negatives: r
            .most_negative
            .into_iter()
            .take(QUOTED)
            .map(|m| {
                (
                    m.author,
                    day(m.at),
                    m.text.unwrap_or_else(|| "(text purged)".to_owned()),
                )
            })
            .collect(),
        recorded,
    })
}

/// The date of an instant (in UTC, as the report's window is).
pub(crate) fn day(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%d").to_string()
}

/// The organizer read the discussion report: it is recorded, and a covering one passes
/// the follow-up gate (as `trellis listen report` does).
pub async fn event_listened(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    trellis_app::listen::report(&state.store, &me.ctx(&state), EventId(id), 7).await?;
    state.invalidate();
    Ok(Redirect::to(&format!("/events/{id}")).into_response())
}
