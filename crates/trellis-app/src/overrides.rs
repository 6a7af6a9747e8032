//! Overrides as `--json` shows them: somebody passed a blocked gate, and said why.

use crate::{AppError, views};
use serde::Serialize;
use trellis_core::{DemoId, EventId, ProgramId};
use trellis_store::Store;

/// A stored override: somebody passed a blocked gate, and said why.
#[derive(Debug, Clone, Serialize)]
pub struct OverrideRecord {
    pub id: i64,
    pub gate: String,
    pub action: String,
    pub program: ProgramId,
    pub event: Option<EventId>,
    pub demo: Option<DemoId>,
    pub reasons: Vec<String>,
    pub reason: String,
    pub actor: String,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub at: jiff::Timestamp,
}

from_fact!(trellis_store::OverrideRecord => OverrideRecord {
    id, gate, action, program, event, demo, reasons, reason, actor, at
});

/// The overrides used: one program's, or all.
pub async fn list(
    store: &Store,
    program: Option<ProgramId>,
) -> Result<Vec<OverrideRecord>, AppError> {
    Ok(views(store.overrides(program).await?))
}
