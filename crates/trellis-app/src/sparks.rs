//! Collaboration sparks, as `--json` shows them.

use crate::people::NamedPerson;
use crate::{AppError, views};
use serde::Serialize;
use trellis_core::{EventId, PersonId, ProgramId};
use trellis_store::{Ctx, Store};

/// A collaboration spark: `spark add`, `spark acted`, `spark list`.
#[derive(Debug, Clone, Serialize)]
pub struct SparkView {
    pub id: i64,
    pub a: NamedPerson,
    pub b: NamedPerson,
    pub event: Option<EventId>,
    pub note: Option<String>,
    pub made_by: String,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub made_at: jiff::Timestamp,
    #[serde(serialize_with = "trellis_core::time::json::utc_opt")]
    pub acted_at: Option<jiff::Timestamp>,
    pub acted_note: Option<String>,
}

from_fact!(trellis_store::SparkView => SparkView {
    id, event, note, made_by, made_at, acted_at, acted_note
} into {
    a, b
});

/// Sparks, oldest first: one program's, or all.
pub async fn list(store: &Store, program: Option<ProgramId>) -> Result<Vec<SparkView>, AppError> {
    Ok(views(store.sparks(program).await?))
}

/// Records an introduction between two people, at an event or not (`spark add`).
pub async fn record(
    store: &Store,
    ctx: &Ctx,
    a: PersonId,
    b: PersonId,
    event: Option<EventId>,
    note: Option<&str>,
) -> Result<SparkView, AppError> {
    Ok(store.add_spark(ctx, a, b, event, note).await?.into())
}

/// Marks a spark acted on, with what happened (`spark acted`).
pub async fn acted(store: &Store, ctx: &Ctx, id: i64, note: &str) -> Result<SparkView, AppError> {
    Ok(store.spark_acted(ctx, id, note).await?.into())
}
