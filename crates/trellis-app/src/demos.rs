//! Demos as `--json` shows them.

use crate::overrides::OverrideRecord;
use serde::Serialize;
use trellis_core::demo::DemoStatus;
use trellis_core::{DemoId, EventId, PersonId};

/// A demo's presenter.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Presenter {
    pub id: PersonId,
    pub name: String,
}

from_fact!(trellis_store::Presenter => Presenter { id, name });

/// A demo: `demo show` and every demo command, the demos of `event show` and `person show`.
#[derive(Debug, Clone, Serialize)]
pub struct DemoView {
    pub id: DemoId,
    pub event: EventId,
    pub title: String,
    pub status: DemoStatus,
    pub presenters: Vec<Presenter>,
    pub screening_passed: bool,
    pub checklist: Vec<&'static str>,
    pub screening_note: Option<String>,
    #[serde(serialize_with = "trellis_core::time::json::utc_opt")]
    pub contract_accepted_at: Option<jiff::Timestamp>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<OverrideRecord>,
}

from_fact!(trellis_store::DemoView => DemoView {
    id, event, title, status, screening_passed, checklist, screening_note, contract_accepted_at
} each {
    presenters, overrides
});
