//! The list of events, newest first.

use super::{Chrome, chrome};
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use trellis_store::EventSummary;

#[derive(Template)]
#[template(path = "events.html")]
pub struct Events {
    pub chrome: Chrome,
    pub events: Vec<EventSummary>,
}

pub async fn events(State(state): State<AppState>, me: SignedIn) -> Result<Html<String>, WebError> {
    let mut events = state.store.list_events(None).await?;
    events.retain(|e| e.hosts().seen_by(&me.access));
    events.reverse();
    Ok(Html(
        Events {
            chrome: chrome(&me),
            events,
        }
        .render()?,
    ))
}
