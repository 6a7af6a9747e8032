//! The outbox for organizers: every message Trellis planned, by state, newest first —
//! above all the failed ones, with their last error.

use super::{Chrome, chrome, organizer_only};
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use serde::Deserialize;
use trellis_app::outbox::OutboxView;
use trellis_core::ProgramId;

pub(crate) fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/outbox", get(outbox))
}

/// The most messages one page lists: the newest.
const SHOWN: usize = 200;

/// One message's line.
pub struct Line {
    pub when: String,
    pub kind: String,
    pub to: String,
    pub subject: String,
    pub state: String,
    pub attempts: i64,
    pub error: String,
}

impl From<OutboxView> for Line {
    fn from(m: OutboxView) -> Self {
        Line {
            when: trellis_core::time::rfc3339_utc(m.done_at.unwrap_or(m.planned_at)),
            kind: m.kind.replace('_', " "),
            to: m.recipient,
            subject: m.subject,
            state: m.state,
            attempts: m.attempts,
            error: m.last_error.unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "outbox.html")]
pub struct Outbox {
    pub chrome: Chrome,
    /// The state shown, empty for all.
    pub state: String,
    pub states: &'static [&'static str],
    pub lines: Vec<Line>,
    /// Messages in this state beyond the ones listed.
    pub more: usize,
}

#[derive(Deserialize)]
pub struct OutboxQuery {
    #[serde(default)]
    state: String,
}

/// Whether a message is one this account acts on: its program's, or every program's
/// for a message about none.
pub(crate) fn concerns_me(me: &SignedIn, program: Option<i64>, all: &[ProgramId]) -> bool {
    match program {
        Some(p) => me.may_act_on(ProgramId(p)),
        None => me.access.acts_on_all(all),
    }
}

pub async fn outbox(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<OutboxQuery>,
) -> Result<Html<String>, WebError> {
    // Recipients' addresses are for the people who act on a failure.
    organizer_only(&me)?;
    let wanted = trellis_store::OUTBOX_STATES
        .iter()
        .find(|s| **s == q.state)
        .copied();
    let ids = state.store.program_ids().await?;
    let mut all = trellis_app::outbox::list(&state.store, wanted).await?;
    all.retain(|m| concerns_me(&me, m.program, &ids));
    let more = all.len().saturating_sub(SHOWN);
    let page = Outbox {
        chrome: chrome(&me),
        state: wanted.unwrap_or_default().to_owned(),
        states: trellis_store::OUTBOX_STATES,
        lines: all.into_iter().take(SHOWN).map(Line::from).collect(),
        more,
    };
    Ok(Html(page.render()?))
}
