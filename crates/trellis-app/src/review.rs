//! The review snapshot: the one screen of a scope as it stands now (the review block, the
//! next event's gates, what is due, the last insight). The web dashboard shows it; a metric
//! review freezes the same block when it starts.

use crate::AppError;
use crate::event_page::{GateCheck, next_event_gates};
use jiff::Timestamp;
use std::collections::{BTreeMap, HashMap};
use trellis_core::{EventId, ProgramId};
use trellis_store::{DueItem, ReviewBlock, Store};

/// Everything the one screen shows of a scope.
#[derive(Debug, Clone)]
pub struct ReviewSnapshot {
    pub block: ReviewBlock,
    /// The verdicts on the next event's next step (its demos' confirmations left out).
    pub gates: Vec<GateCheck>,
    pub dues: Vec<DueItem>,
    /// The owner of each due item's event, by name (`handoff::owners`).
    pub owners: HashMap<EventId, String>,
    /// Each program whose active organizers checked in high: how many (never who).
    pub high: BTreeMap<ProgramId, u32>,
    /// The insight of the last review that has one.
    pub insight: Option<String>,
}

/// The snapshot of one program, or of all of them, as of `now`.
pub async fn snapshot(
    store: &Store,
    program: Option<ProgramId>,
    now: Timestamp,
) -> Result<ReviewSnapshot, AppError> {
    let block = store.review_preview(program).await?;
    let gates = next_event_gates(store, block.next_event.as_ref(), now).await?;
    let dues = store.dues(program).await?;
    let events: Vec<_> = dues.iter().map(|d| (d.event, d.program, d.owner)).collect();
    let owners = crate::handoff::owners(store, &events).await?;
    let high = crate::handoff::high(store, now).await?;
    let insight = store.last_insight(program).await?;
    Ok(ReviewSnapshot {
        block,
        gates,
        dues,
        owners,
        high,
        insight,
    })
}
