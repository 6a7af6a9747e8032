//! Recorded metric reviews and their frozen block, as `--json` shows them. The store keeps
//! the block as a JSON snapshot of its own types; these are what the surfaces print.

use crate::overrides::OverrideRecord;
use crate::{AppError, views};
use serde::Serialize;
use std::collections::BTreeMap;
use trellis_core::{CoreError, ProgramId};
use trellis_store::{Ctx, Store};

/// One event of the returning-builders trend.
#[derive(Debug, Clone, Serialize)]
pub struct TrendPoint {
    pub event: i64,
    pub title: String,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub starts_at: jiff::Timestamp,
    pub attended: u32,
    pub returning: u32,
    pub rate: Option<f64>,
    pub estimated: bool,
}

from_fact!(trellis_store::TrendPoint => TrendPoint {
    event, title, starts_at, attended, returning, rate, estimated
});

/// The next planned event, against the demo target.
#[derive(Debug, Clone, Serialize)]
pub struct NextEvent {
    pub event: i64,
    pub title: String,
    pub demos_confirmed: u32,
    pub demo_target: u32,
}

from_fact!(trellis_store::NextEvent => NextEvent { event, title, demos_confirmed, demo_target });

/// The last held event's follow-ups, against the minimum.
#[derive(Debug, Clone, Serialize)]
pub struct FollowupsBlock {
    pub event: i64,
    pub title: String,
    pub sent: u32,
    pub minimum: u32,
    pub answered: u32,
}

from_fact!(trellis_store::FollowupsBlock => FollowupsBlock {
    event, title, sent, minimum, answered
});

/// The speaker pipeline, counted per stage.
#[derive(Debug, Clone, Serialize)]
pub struct PipelineBlock {
    pub stages: BTreeMap<String, u32>,
    pub quiet_killers: u32,
    pub moves_this_cycle: u32,
    pub minimum: u32,
}

from_fact!(trellis_store::PipelineBlock => PipelineBlock {
    stages, quiet_killers, moves_this_cycle, minimum
});

/// The review block: the one screen, frozen.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewBlock {
    pub returning_builders: Vec<TrendPoint>,
    pub pipeline: PipelineBlock,
    pub next_event: Option<NextEvent>,
    pub followups: Option<FollowupsBlock>,
    /// Gates passed by override since the previous review: a mechanism silently bypassed
    /// is a show again.
    pub overrides: Vec<serde_json::Value>,
}

from_fact!(trellis_store::ReviewBlock => ReviewBlock {
    overrides
} into {
    pipeline
} each {
    returning_builders
} maybe {
    next_event, followups
});

/// A metric review: `review start`, `close`, `list`, `show`.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewView {
    pub id: i64,
    pub program: Option<ProgramId>,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub started_at: jiff::Timestamp,
    pub started_by: String,
    #[serde(serialize_with = "trellis_core::time::json::utc_opt")]
    pub ended_at: Option<jiff::Timestamp>,
    pub minutes: Option<i64>,
    pub long: bool,
    pub insight: Option<String>,
    pub block: ReviewBlock,
}

from_fact!(trellis_store::ReviewView => ReviewView {
    id, program, started_at, started_by, ended_at, minutes, long, insight
} into {
    block
});

/// Reviews, oldest first: one program's, or all.
pub async fn list(store: &Store, program: Option<ProgramId>) -> Result<Vec<ReviewView>, AppError> {
    Ok(views(store.reviews(program).await?))
}

/// One review.
pub async fn show(store: &Store, id: i64) -> Result<ReviewView, AppError> {
    Ok(store.review(id).await?.into())
}

/// Starts a review of a program (or of all), freezing the one screen (`review start`).
pub async fn start(
    store: &Store,
    ctx: &Ctx,
    program: Option<ProgramId>,
) -> Result<ReviewView, AppError> {
    Ok(store.start_review(ctx, program).await?.into())
}

/// Closes review `id` with its one insight (`review close`, for the review it names).
pub async fn close(
    store: &Store,
    ctx: &Ctx,
    id: i64,
    insight: &str,
) -> Result<ReviewView, AppError> {
    let r = store.review(id).await?;
    if r.ended_at.is_some() {
        return Err(CoreError::invalid("review", id, "is already closed").into());
    }
    Ok(store.close_review_id(ctx, id, insight).await?.into())
}

/// The gates passed by override since a program's last review began: what its next
/// review will show (the same cut as the frozen block's).
pub async fn overrides_since_last(
    store: &Store,
    program: ProgramId,
) -> Result<Vec<OverrideRecord>, AppError> {
    let last = store
        .reviews(Some(program))
        .await?
        .iter()
        .map(|r| r.started_at)
        .max();
    Ok(crate::overrides::list(store, Some(program))
        .await?
        .into_iter()
        .filter(|o| last.is_none_or(|l| o.at > l))
        .collect())
}
