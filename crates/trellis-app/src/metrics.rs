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
    let (key, definition) = definition(field, metric)?;
    let history = store.metrics_history(program).await?;
    let figures = compute(&history, period, at);
    let names: HashMap<PersonId, String> = store.names(&people_behind(key, &figures)).await?;
    Ok(explanation(key, definition, &figures, &names))
}

/// The metric named `metric` and its definition; an unknown name is an error naming the
/// input `field` it came from.
pub fn definition(field: &str, metric: &str) -> Result<(&'static str, &'static str), AppError> {
    DEFINITIONS
        .iter()
        .find(|(k, _)| *k == metric.trim())
        .copied()
        .ok_or_else(|| {
            let names: Vec<&str> = DEFINITIONS.iter().map(|(k, _)| *k).collect();
            CoreError::invalid(
                field,
                metric,
                format!("is not a metric (one of {})", names.join(", ")),
            )
            .into()
        })
}

fn explanation(
    key: &str,
    definition: &'static str,
    figures: &Figures,
    names: &HashMap<PersonId, String>,
) -> Explanation {
    let (value, numerator, denominator, detail) = detail_of(key, figures, names);
    Explanation {
        metric: key.to_owned(),
        definition,
        value,
        numerator,
        denominator,
        detail,
    }
}

type Detail = (
    Option<f64>,
    Option<u64>,
    Option<u64>,
    Vec<serde_json::Value>,
);

/// People by name, as `explain` lists them.
struct Names<'a>(&'a HashMap<PersonId, String>);

impl Names<'_> {
    fn name(&self, p: &PersonId) -> String {
        self.0
            .get(p)
            .cloned()
            .unwrap_or_else(|| format!("person {p}"))
    }
    fn list(&self, ps: &[PersonId]) -> Vec<String> {
        ps.iter()
            .map(|p| format!("{} ({p})", self.name(p)))
            .collect()
    }
}

fn detail_of(key: &str, f: &Figures, names: &HashMap<PersonId, String>) -> Detail {
    let names = Names(names);
    match key {
        "returning_builder_rate" => returning_detail(f, &names),
        "first_time_demo_conversion" => {
            let c = &f.first_time_demo_conversion;
            let d = c
                .members
                .iter()
                .map(|m| {
                    serde_json::json!({"person": names.name(&m.person), "id": m.person, "first_attended": m.first_attended,
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
                .map(|(p, n)| serde_json::json!({"person": names.name(p), "id": p, "presented": n}))
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
        _ => fragility_detail(f, &names),
    }
}

fn returning_detail(f: &Figures, names: &Names<'_>) -> Detail {
    let r = &f.returning_builder_rate;
    let (a, b) = r.per_event.iter().fold((0u64, 0u64), |(a, b), e| {
        (a + u64::from(e.returning), b + u64::from(e.attended))
    });
    let d = r
        .per_event
        .iter()
        .map(|e| {
            serde_json::json!({"event": e.event, "title": e.title, "starts_at": e.starts_at, "attended": e.attended,
                "returning": e.returning, "estimated": e.estimated, "returning_people": names.list(&e.returning_people),
                "first_timers": names.list(&e.first_timers)})
        })
        .collect();
    (r.value, Some(a), Some(b), d)
}

fn fragility_detail(f: &Figures, names: &Names<'_>) -> Detail {
    let fr = &f.fragility;
    let mut d = Vec::new();
    if let Some((p, n, t)) = &fr.top_presenter {
        d.push(serde_json::json!({"top_presenter": names.name(p), "demos": n, "of": t}));
    }
    if let Some((e, n, t)) = &fr.top_event {
        d.push(serde_json::json!({"top_event": e, "attended": n, "of": t}));
    }
    if let Some((o, n, t)) = &fr.top_organizer {
        d.push(serde_json::json!({"top_organizer": o, "actions": n, "of": t}));
    }
    (fr.top_presenter_share, None, None, d)
}

/// A metric's headline value in a set of figures: a share (0–1) for the rates, days for
/// time-to-ship, the 0–100 score for fatigue, the top presenter's share for fragility.
pub fn value_of(key: &str, f: &Figures) -> Option<f64> {
    match key {
        "returning_builder_rate" => f.returning_builder_rate.value,
        "first_time_demo_conversion" => f.first_time_demo_conversion.value,
        "repeat_speaker_rate" => f.repeat_speaker_rate.value,
        "collaboration_sparks" => f.collaboration_sparks.rate,
        "time_to_ship" => f.time_to_ship.median_days,
        "fatigue_index" => f.fatigue_index.value,
        _ => f.fragility.top_presenter_share,
    }
}

/// The figures of one quarter (91 days ending at `to`, judged as of `to`).
#[derive(Debug, Clone)]
pub struct Quarter {
    pub to: Timestamp,
    pub figures: Figures,
}

/// Days in a trend's step.
pub const QUARTER_DAYS: i64 = 91;

/// A scope's year and its trend, from one read of the history: what the metrics page and
/// every drill-down of the scope show.
#[derive(Debug, Clone)]
pub struct Overview {
    /// The 365 days to `at`.
    pub year: Figures,
    /// The last quarters, oldest first.
    pub quarters: Vec<Quarter>,
    /// Every event's title, for the lists of the drill-down.
    pub titles: HashMap<trellis_core::EventId, String>,
}

/// The year to `at` and its last `n` quarters, from one read of the history (a read of a
/// large organisation's history costs more than computing from it).
pub async fn overview(
    store: &Store,
    program: Option<ProgramId>,
    at: Timestamp,
    n: usize,
) -> Result<Overview, AppError> {
    let history = store.metrics_history(program).await?;
    Ok(Overview {
        year: compute(&history, Period::year_to(at), at),
        quarters: quarters_of(&history, at, n),
        titles: history
            .events
            .iter()
            .map(|e| (e.id, e.title.clone()))
            .collect(),
    })
}

fn quarters_of(history: &trellis_core::metrics::History, at: Timestamp, n: usize) -> Vec<Quarter> {
    let step = jiff::SignedDuration::from_hours(24 * QUARTER_DAYS);
    (0..n)
        .rev()
        .map(|back| {
            let to = at - step * i32::try_from(back).unwrap_or(0);
            let period = Period {
                from: to - step,
                to,
            };
            Quarter {
                to,
                figures: compute(history, period, to),
            }
        })
        .collect()
}

/// Someone or something behind a figure, with what they count for.
#[derive(Debug, Clone)]
pub struct Behind<Id> {
    pub id: Id,
    pub name: String,
    pub note: String,
}

/// A metric's explanation (without its `detail`: the lists say it) with the people and
/// events behind it, each with an id a surface can link (the web's drill-down).
#[derive(Debug, Clone)]
pub struct Drilldown {
    pub explanation: Explanation,
    pub people: Vec<Behind<PersonId>>,
    pub events: Vec<Behind<trellis_core::EventId>>,
    /// Lines with nothing to link (the organizers' anonymous scores, the sparks).
    pub notes: Vec<String>,
    pub warnings: Vec<String>,
}

/// The year's figure of `metric` explained, with the people and events behind it; only
/// the names of the people listed are read.
pub async fn drilldown(
    store: &Store,
    overview: &Overview,
    metric: &str,
) -> Result<Drilldown, AppError> {
    let (key, def) = definition("metric", metric)?;
    let figures = &overview.year;
    let titles: HashMap<trellis_core::EventId, &str> = overview
        .titles
        .iter()
        .map(|(id, t)| (*id, t.as_str()))
        .collect();
    // A year of a large organisation names thousands: the lists carry the names, and
    // the explanation's detail (the CLI's) is left out.
    let mut d = crate::metrics_behind::behind(key, figures, &HashMap::new(), &titles);
    let listed: Vec<PersonId> = d.people.iter().map(|p| p.id).collect();
    let names = store.names(&listed).await?;
    for p in &mut d.people {
        if let Some(n) = names.get(&p.id) {
            p.name.clone_from(n);
        }
    }
    let mut explanation = explanation(key, def, figures, &HashMap::new());
    explanation.detail.clear();
    Ok(Drilldown {
        explanation,
        people: d.people,
        events: d.events,
        notes: d.notes,
        warnings: figures.fragility.warnings.clone(),
    })
}

/// One chapter's row on the all-programs screen, and of `trellis metrics --by-program`
/// (its JSON keys are that command's contract).
#[derive(Debug, Clone, Serialize)]
pub struct ChapterRow {
    pub program: ProgramId,
    pub name: String,
    pub returning: Option<f64>,
    pub conversion: Option<f64>,
    pub repeat: Option<f64>,
    /// Sparks acted on ÷ sparks made.
    pub sparks: Option<f64>,
    pub time_to_ship_days: Option<f64>,
    pub fatigue: Option<f64>,
    pub fatigue_high: u32,
    pub hours_per_event: Option<f64>,
    pub top_presenter_share: Option<f64>,
    pub next_event: Option<NextEvent>,
    pub gates: Vec<GateCheck>,
}

impl ChapterRow {
    /// The next event's gates in a few words: `open`, or `blocked: <gate>, <gate>`.
    pub fn gate_state(&self) -> String {
        let blocked: Vec<&str> = self
            .gates
            .iter()
            .filter(|g| !g.allowed)
            .map(|g| g.gate.as_str())
            .collect();
        match (self.next_event.is_some(), blocked.is_empty()) {
            (false, _) => "no event planned".to_owned(),
            (true, true) => "open".to_owned(),
            (true, false) => format!("blocked: {}", blocked.join(", ")),
        }
    }
}

/// Every program's row: its figures for `period` as of `at`, its next event and that
/// event's gates (judged at `now`).
pub async fn chapters(
    store: &Store,
    period: Period,
    at: Timestamp,
    now: Timestamp,
) -> Result<Vec<ChapterRow>, AppError> {
    let mut rows = Vec::new();
    for p in store.list_programs().await? {
        let s = screen(store, Some(p.id), period, at, now).await?;
        let f = &s.report.figures;
        rows.push(ChapterRow {
            program: p.id,
            name: p.name,
            returning: f.returning_builder_rate.value,
            conversion: f.first_time_demo_conversion.value,
            repeat: f.repeat_speaker_rate.value,
            sparks: f.collaboration_sparks.rate,
            time_to_ship_days: f.time_to_ship.median_days,
            fatigue: f.fatigue_index.value,
            fatigue_high: f.fatigue_index.high_organizers,
            hours_per_event: f.fatigue_index.hours_per_event,
            top_presenter_share: f.fragility.top_presenter_share,
            next_event: s.report.next_event,
            gates: s.next_event_gates,
        });
    }
    Ok(rows)
}
