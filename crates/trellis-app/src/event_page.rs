//! An event's page: its facts and every gate's verdict on what an organizer could do next
//! (its next lifecycle step, and confirming each open demo). `trellis event show`, the web
//! event page, the API and the metrics screen all read it from here.

use crate::AppError;
use crate::demos::DemoView;
use crate::events::{AttendanceCounts, EventSummary, StatusChange};
use jiff::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;
use trellis_core::EventId;
use trellis_core::demo::DemoStatus;
use trellis_core::event::EventStatus;
use trellis_core::gate::{Action, Decision, Reason, evaluate};
use trellis_store::Store;

/// One gate's verdict on an action an organizer could take next.
#[derive(Debug, Clone, Serialize)]
pub struct GateCheck {
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demo: Option<i64>,
    pub gate: String,
    pub allowed: bool,
    /// Each reason's sentence. A surface may put its own words here (the CLI adds the
    /// command that clears it); `causes` keeps the structured reasons beside them.
    pub reasons: Vec<String>,
    pub overridable: bool,
    /// The reasons as data: the sentence, whether an override may pass it, and what
    /// clears it (an action on an object).
    pub causes: Vec<Reason>,
}

impl GateCheck {
    /// Every gate's verdict in a decision, allowed ones included.
    pub fn from_decision(d: &Decision) -> Vec<GateCheck> {
        let demo = match d.action {
            Action::ConfirmDemo(id) => Some(id.0),
            _ => None,
        };
        d.results
            .iter()
            .map(|r| GateCheck {
                action: d.action.name().to_owned(),
                demo,
                gate: r.gate.as_str().to_owned(),
                allowed: r.verdict.is_allowed(),
                reasons: r.verdict.reasons().iter().map(|x| x.text.clone()).collect(),
                overridable: r.verdict.reasons().iter().all(|x| x.overridable),
                causes: r.verdict.reasons().to_vec(),
            })
            .collect()
    }

    /// Only the blocked gates of a decision (a refusal).
    pub fn blocked(d: &Decision) -> Vec<GateCheck> {
        GateCheck::from_decision(d)
            .into_iter()
            .filter(|g| !g.allowed)
            .collect()
    }

    /// Puts a surface's words on the reasons (e.g. the CLI's sentence with its command).
    pub fn reword(&mut self, words: impl Fn(&Reason) -> String) {
        self.reasons = self.causes.iter().map(words).collect();
    }
}

/// The JSON of `trellis event show` and `/api/events/{id}`: the keys are a public contract.
#[derive(Debug, Clone, Serialize)]
pub struct EventDetail {
    #[serde(flatten)]
    pub event: EventSummary,
    pub slots_free: u32,
    pub demo_target: u32,
    /// Distinct people with a confirmed demo: what the demo slot contract counts against
    /// `demo_target` (one presenter with three demos is one).
    pub presenters_confirmed: u32,
    /// Demos per status, every status present (0 when none).
    pub demos_by_status: BTreeMap<String, u32>,
    pub demos: Vec<DemoView>,
    pub attendance: AttendanceCounts,
    /// The step the event takes next (`announced` for a draft), if any.
    pub next_step: Option<EventStatus>,
    /// Every gate's verdict on the next step, and on confirming each open demo.
    pub gates: Vec<GateCheck>,
    pub history: Vec<StatusChange>,
}

/// The event's page as of `now`.
pub async fn event_page(
    store: &Store,
    id: EventId,
    now: Timestamp,
) -> Result<EventDetail, AppError> {
    let r = store.event_record(id, now).await?;
    let snapshot = &r.snapshot;
    let mut gates = Vec::new();
    match r.event.status {
        EventStatus::Draft => gates.extend(GateCheck::from_decision(&evaluate(
            Action::Announce,
            snapshot,
        ))),
        EventStatus::Held => {
            gates.extend(GateCheck::from_decision(&evaluate(Action::Close, snapshot)))
        }
        _ => {}
    }
    if matches!(r.event.status, EventStatus::Draft | EventStatus::Announced) {
        let open = snapshot
            .event
            .iter()
            .flat_map(|e| &e.demos)
            .filter(|d| matches!(d.status, DemoStatus::Proposed | DemoStatus::Screened));
        for d in open {
            gates.extend(GateCheck::from_decision(&evaluate(
                Action::ConfirmDemo(d.id),
                snapshot,
            )));
        }
    }
    let mut by_status: BTreeMap<String, u32> = DemoStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), 0))
        .collect();
    for d in snapshot.event.iter().flat_map(|e| &e.demos) {
        *by_status.entry(d.status.as_str().to_owned()).or_default() += 1;
    }
    let presenters_confirmed = snapshot.event.as_ref().map_or(0, |e| {
        u32::try_from(e.confirmed_presenters()).unwrap_or(u32::MAX)
    });
    Ok(EventDetail {
        slots_free: r.event.slots.saturating_sub(r.event.slots_taken),
        presenters_confirmed,
        demo_target: snapshot.settings.demo_target,
        next_step: r.event.status.next_step(),
        event: r.event.into(),
        demos_by_status: by_status,
        demos: r.demos.into_iter().map(Into::into).collect(),
        attendance: r.attendance.into(),
        gates,
        history: r.history.into_iter().map(Into::into).collect(),
    })
}

/// The verdicts on the next step of a scope's next event (its demos' confirmations left
/// out): what the one screen shows beside the figures. None when no event is planned.
pub async fn next_event_gates(
    store: &Store,
    next: Option<&trellis_store::NextEvent>,
    now: Timestamp,
) -> Result<Vec<GateCheck>, AppError> {
    let Some(n) = next else {
        return Ok(Vec::new());
    };
    Ok(event_page(store, EventId(n.event), now)
        .await?
        .gates
        .into_iter()
        .filter(|g| g.demo.is_none())
        .collect())
}
