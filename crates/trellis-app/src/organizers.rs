//! Organizers and their fatigue check-ins, as `--json` shows them.

use crate::{AppError, views};
use serde::Serialize;
use trellis_core::{EventId, ProgramId};
use trellis_store::Store;

/// An organizer and the programs they organize.
#[derive(Debug, Clone, Serialize)]
pub struct Organizer {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub programs: Vec<ProgramId>,
}

from_fact!(trellis_store::Organizer => Organizer { id, name, email, programs });

/// A fatigue check-in: `checkin`, `checkin show`.
#[derive(Debug, Clone, Serialize)]
pub struct CheckinView {
    pub id: i64,
    pub event: EventId,
    pub organizer: String,
    pub answers: Vec<u8>,
    pub score: f64,
    pub high: bool,
    pub hours: f64,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub at: jiff::Timestamp,
}

from_fact!(trellis_store::CheckinView => CheckinView {
    id, event, organizer, answers, score, high, hours, at
});

/// Every organizer.
pub async fn list(store: &Store) -> Result<Vec<Organizer>, AppError> {
    Ok(views(store.organizers().await?))
}

/// An organizer's own check-ins (by name or id), oldest first.
pub async fn checkins(store: &Store, organizer: &str) -> Result<Vec<CheckinView>, AppError> {
    Ok(views(store.organizer_checkins(organizer).await?))
}
