//! The metrics screen and `explain`: the figures of `design.md` for a scope and period,
//! with the review block's pipeline, follow-ups and next event, and the next event's gates.
//! The CLI's `trellis metrics` and the web API's `/api/metrics` both build it here.

use crate::AppError;
use crate::event_page::{GateCheck, next_event_gates};
use crate::reviews::{FollowupsBlock, NextEvent, PipelineBlock};
use jiff::Timestamp;
use serde::Serialize;
use std::collections::HashMap;
use trellis_core::metrics::{Figures, Period, compute};
use trellis_core::time::rfc3339_utc;
use trellis_core::{CoreError, PersonId, ProgramId};
use trellis_store::Store;

/// The period's bounds as the JSON contract writes them.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodView {
    pub from: String,
    pub to: String,
}

/// The JSON of `trellis metrics` and `/api/metrics`: the keys are a public contract.
#[derive(Debug, Clone, Serialize)]
pub struct MetricsReport {
    pub program: Option<ProgramId>,
    pub at: String,
    pub period: PeriodView,
    #[serde(flatten)]
    pub figures: Figures,
    pub pipeline: PipelineBlock,
    pub followups: Option<FollowupsBlock>,
    pub next_event: Option<NextEvent>,
}

/// The one screen: the report, and the verdicts of the gates on the next event's next step
/// (not part of the JSON contract: the surfaces show them beside the figures).
#[derive(Debug, Clone)]
pub struct MetricsScreen {
    pub report: MetricsReport,
    pub next_event_gates: Vec<GateCheck>,
}

/// Builds the metrics screen of a scope (one program, or all) for `period`, as of `at`.
/// `now` judges the gates of the next event.
pub async fn screen(
    store: &Store,
    program: Option<ProgramId>,
    period: Period,
    at: Timestamp,
    now: Timestamp,
) -> Result<MetricsScreen, AppError> {
    let history = store.metrics_history(program).await?;
    let figures = compute(&history, period, at);
    let (pipeline, next_event, followups) = store.review_parts(program).await?;
    let next_event_gates = next_event_gates(store, next_event.as_ref(), now).await?;
    Ok(MetricsScreen {
        report: MetricsReport {
            program,
            at: rfc3339_utc(at),
            period: PeriodView {
                from: rfc3339_utc(period.from),
                to: rfc3339_utc(period.to),
            },
            figures,
            pipeline: pipeline.into(),
            followups: followups.map(Into::into),
            next_event: next_event.map(Into::into),
        },
        next_event_gates,
    })
}

/// Every metric `explain` knows, with its definition.
pub const DEFINITIONS: &[(&str, &str)] = &[
    (
        "returning_builder_rate",
        "Of the people who attended the period's held events (checked in, or RSVP'd going where check-in was not used), the share who had attended an earlier event.",
    ),
    (
        "first_time_demo_conversion",
        "Of the people whose first attendance falls in the period, the share who presented a demo within 180 days of it.",
    ),
    (
        "repeat_speaker_rate",
        "Of the people who presented in the 365 days to the reference date, the share with two or more presented demos ever.",
    ),
    (
        "collaboration_sparks",
        "Introductions made in the period, and how many of them were marked as acted on.",
    ),
    (
        "time_to_ship",
        "Days from an event's creation to its start, median over the period's quality events (held, at least X demos presented, retro on time, follow-up minimum met within 7 days).",
    ),
    (
        "fatigue_index",
        "The mean of each active organizer's latest Copenhagen Burnout Inventory work score (0–100) in the last 60 days; 50 or more is high. Beside it: how many of them are high (the numerator here), and hours per event (recorded hours ÷ held events in the period). Only an organizer of the event's program may check in for it.",
    ),
    (
        "fragility",
        "The share of the year's demos by the top presenter, of its attendance at the largest event, and of the recorded work by the busiest organizer; above 50% is a warning.",
    ),
];

/// A figure explained: its definition, its numerator and denominator, and the people and
/// events behind it (the JSON of `trellis metrics explain`).
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub metric: String,
    pub definition: &'static str,
    pub value: Option<f64>,
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
    pub detail: Vec<serde_json::Value>,
}

/// The people a metric names in its detail.
fn people_behind(key: &str, f: &Figures) -> Vec<PersonId> {
    let mut people: Vec<PersonId> = Vec::new();
    match key {
        "returning_builder_rate" => {
            for e in &f.returning_builder_rate.per_event {
                people.extend(&e.returning_people);
                people.extend(&e.first_timers);
            }
        }
        "first_time_demo_conversion" => people.extend(
            f.first_time_demo_conversion
                .members
                .iter()
                .map(|m| m.person),
        ),
        "repeat_speaker_rate" => {
            people.extend(f.repeat_speaker_rate.counts.iter().map(|(p, _)| *p))
        }
        "fragility" => people.extend(f.fragility.top_presenter.iter().map(|(p, _, _)| *p)),
        _ => {}
    }
    people.sort_unstable();
    people.dedup();
    people
}

/// Explains one metric of a scope's figures for `period`, as of `at`. `metric` is the name
/// the user gave; an unknown one is an error naming the input `field` it came from.
pub async fn explain(
    store: &Store,
    program: Option<ProgramId>,
    period: Period,
    at: Timestamp,
    field: &str,
    metric: &str,
) -> Result<Explanation, AppError> {
    let Some((key, definition)) = DEFINITIONS.iter().find(|(k, _)| *k == metric.trim()) else {
        let names: Vec<&str> = DEFINITIONS.iter().map(|(k, _)| *k).collect();
        return Err(CoreError::invalid(
            field,
            metric,
            format!("is not a metric (one of {})", names.join(", ")),
        )
        .into());
    };
    let history = store.metrics_history(program).await?;
    let figures = compute(&history, period, at);
    let names: HashMap<PersonId, String> = store.names(&people_behind(key, &figures)).await?;
    let (value, numerator, denominator, detail) = detail_of(key, &figures, &names);
    Ok(Explanation {
        metric: (*key).to_owned(),
        definition,
        value,
        numerator,
        denominator,
        detail,
    })
}

type Detail = (
    Option<f64>,
    Option<u64>,
    Option<u64>,
    Vec<serde_json::Value>,
);

fn detail_of(key: &str, f: &Figures, names: &HashMap<PersonId, String>) -> Detail {
    let name = |p: &PersonId| {
        names
            .get(p)
            .cloned()
            .unwrap_or_else(|| format!("person {p}"))
    };
    let list = |ps: &[PersonId]| {
        ps.iter()
            .map(|p| format!("{} ({p})", name(p)))
            .collect::<Vec<_>>()
    };
    match key {
        "returning_builder_rate" => {
            let r = &f.returning_builder_rate;
            let (a, b) = r.per_event.iter().fold((0u64, 0u64), |(a, b), e| {
                (a + u64::from(e.returning), b + u64::from(e.attended))
            });
            let d = r
                .per_event
                .iter()
                .map(|e| {
                    serde_json::json!({"event": e.event, "title": e.title, "starts_at": e.starts_at, "attended": e.attended,
                        "returning": e.returning, "estimated": e.estimated, "returning_people": list(&e.returning_people),
                        "first_timers": list(&e.first_timers)})
                })
                .collect();
            (r.value, Some(a), Some(b), d)
        }
        "first_time_demo_conversion" => {
            let c = &f.first_time_demo_conversion;
            let d = c
                .members
                .iter()
                .map(|m| {
                    serde_json::json!({"person": name(&m.person), "id": m.person, "first_attended": m.first_attended,
                        "first_event": m.first_event, "presented_at_event": m.presented, "window_open": m.window_open})
                })
                .collect();
            (c.value, Some(c.converted.into()), Some(c.cohort.into()), d)
        }
        "repeat_speaker_rate" => {
            let s = &f.repeat_speaker_rate;
            let d = s
                .counts
                .iter()
                .map(|(p, n)| serde_json::json!({"person": name(p), "id": p, "presented": n}))
                .collect();
            (s.value, Some(s.repeat.into()), Some(s.speakers.into()), d)
        }
        "collaboration_sparks" => {
            let k = &f.collaboration_sparks;
            (
                k.rate,
                Some(k.acted.into()),
                Some(k.made.into()),
                Vec::new(),
            )
        }
        "time_to_ship" => {
            let t = &f.time_to_ship;
            let d = t
                .detail
                .iter()
                .map(|e| serde_json::to_value(e).unwrap_or_default())
                .collect();
            (
                t.median_days,
                Some(t.quality_events.into()),
                Some(t.events.into()),
                d,
            )
        }
        "fatigue_index" => {
            let fa = &f.fatigue_index;
            let d = fa
                .organizers
                .iter()
                .map(|o| serde_json::to_value(o).unwrap_or_default())
                .collect();
            (
                fa.value,
                Some(fa.high_organizers.into()),
                Some(fa.organizers.len() as u64),
                d,
            )
        }
        _ => {
            let fr = &f.fragility;
            let mut d = Vec::new();
            if let Some((p, n, t)) = &fr.top_presenter {
                d.push(serde_json::json!({"top_presenter": name(p), "demos": n, "of": t}));
            }
            if let Some((e, n, t)) = &fr.top_event {
                d.push(serde_json::json!({"top_event": e, "attended": n, "of": t}));
            }
            if let Some((o, n, t)) = &fr.top_organizer {
                d.push(serde_json::json!({"top_organizer": o, "actions": n, "of": t}));
            }
            (fr.top_presenter_share, None, None, d)
        }
    }
}
