//! A written retro, as `--json` shows it.

use crate::AppError;
use crate::people::NamedPerson;
use serde::Serialize;
use trellis_core::EventId;
use trellis_store::Store;

/// Someone the retro names to follow up with, and why.
#[derive(Debug, Clone, Serialize)]
pub struct RetroPick {
    pub person: NamedPerson,
    pub why: String,
}

from_fact!(trellis_store::RetroPick => RetroPick { why } into { person });

/// `retro show` and `retro write`: the three answers, the people named, when and by whom.
#[derive(Debug, Clone, Serialize)]
pub struct RetroView {
    pub event: EventId,
    pub event_title: String,
    pub worked: String,
    pub broke: String,
    pub surprised: String,
    pub invite: Vec<NamedPerson>,
    pub follow_up: Vec<RetroPick>,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub written_at: jiff::Timestamp,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub due_at: jiff::Timestamp,
    /// Written after it was due: kept, and marked.
    pub late: bool,
    pub author: String,
}

from_fact!(trellis_store::RetroView => RetroView {
    event, event_title, worked, broke, surprised, written_at, due_at, late, author
} each {
    invite, follow_up
});

/// An event's retro.
pub async fn show(store: &Store, event: EventId) -> Result<RetroView, AppError> {
    Ok(store.retro(event).await?.into())
}
