use super::Env;
use crate::cli::{MetricsArgs, MetricsCmd};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use std::collections::HashMap;
use trellis_core::metrics::{Figures, Period, compute};
use trellis_core::{CoreError, PersonId, ProgramId};
use trellis_store::{FollowupsBlock, NextEvent, PipelineBlock};

/// The JSON of `trellis metrics`: the keys are a public contract.
#[derive(Serialize)]
struct Report<'a> {
    program: Option<ProgramId>,
    at: String,
    period: serde_json::Value,
    #[serde(flatten)]
    figures: &'a Figures,
    pipeline: &'a PipelineBlock,
    followups: Option<&'a FollowupsBlock>,
    next_event: Option<&'a NextEvent>,
}

fn day(field: &str, raw: &str, tz: &TimeZone, end: bool) -> Result<Timestamp, CoreError> {
    let date = jiff::civil::Date::strptime("%Y-%m-%d", raw.trim())
        .map_err(|_| CoreError::invalid(field, raw, "is not a date of the form YYYY-MM-DD"))?;
    let start = date
        .to_zoned_datetime(tz.clone())
        .map_err(|e| CoreError::invalid(field, raw, e.to_string()))?
        .timestamp();
    Ok(if end {
        start + SignedDuration::from_hours(24) - SignedDuration::from_micros(1)
    } else {
        start
    })
}

struct Scope {
    program: Option<ProgramId>,
    name: String,
    at: Timestamp,
    period: Period,
}

async fn scope(env: &Env, a: &MetricsArgs) -> anyhow::Result<Scope> {
    let (program, name, tz) = match &a.program {
        Some(p) => {
            let p = env.store.find_program(p).await?;
            let tz = trellis_core::time::zone("tz", &p.tz)?;
            (Some(p.id), p.name, tz)
        }
        None => (None, "all programs".to_owned(), TimeZone::UTC),
    };
    let at = match &a.at {
        Some(d) => day("--at", d, &tz, true)?,
        None => env.ctx.now,
    };
    let from = match &a.from {
        Some(d) => day("--from", d, &tz, false)?,
        None => Period::year_to(at).from,
    };
    let to = match &a.to {
        Some(d) => day("--to", d, &tz, true)?,
        None => at,
    };
    if from > to {
        return Err(CoreError::invalid(
            "--from",
            a.from.clone().unwrap_or_default(),
            "is after --to",
        )
        .into());
    }
    Ok(Scope {
        program,
        name,
        at,
        period: Period {
            from,
            to: to.min(at),
        },
    })
}

fn pct(v: Option<f64>) -> String {
    v.map_or("–".to_owned(), |v| format!("{:.0}%", v * 100.0))
}

fn date(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d").to_string()
}

/// Keeps the one screen within 100 columns.
fn fit(line: String) -> String {
    if line.chars().count() <= 100 {
        return line;
    }
    let mut s: String = line.chars().take(99).collect();
    s.push('…');
    s
}

pub async fn run(env: &Env, a: MetricsArgs) -> anyhow::Result<()> {
    let sc = scope(env, &a).await?;
    let history = env.store.metrics_history(sc.program).await?;
    let figures = compute(&history, sc.period, sc.at);
    if let Some(MetricsCmd::Explain { metric }) = &a.cmd {
        return explain(env, &sc, &figures, metric).await;
    }
    let (pipeline, next_event, followups) = env.store.review_parts(sc.program).await?;
    let report = Report {
        program: sc.program,
        at: trellis_core::time::rfc3339_utc(sc.at),
        period: serde_json::json!({ "from": trellis_core::time::rfc3339_utc(sc.period.from), "to": trellis_core::time::rfc3339_utc(sc.period.to) }),
        figures: &figures,
        pipeline: &pipeline,
        followups: followups.as_ref(),
        next_event: next_event.as_ref(),
    };
    let gates = match &next_event {
        Some(n) => {
            env.store
                .event_detail(trellis_core::EventId(n.event), env.ctx.now)
                .await?
                .gates
        }
        None => Vec::new(),
    };
    env.out.emit(&report, || {
        let f = &figures;
        let r = &f.returning_builder_rate;
        let rates: Vec<Option<f64>> = r.per_event.iter().map(|p| p.rate).collect();
        let (att, ret): (u32, u32) = r.per_event.iter().fold((0, 0), |(a, b), p| (a + p.attended, b + p.returning));
        let estimated = r.per_event.iter().filter(|p| p.estimated).count();
        let mut lines = vec![
            format!("Trellis · {} · {} → {}", sc.name, date(sc.period.from), date(sc.period.to)),
            String::new(),
            format!(
                "Returning builders    {:>4}  {}  {ret} of {att} attendances{}",
                pct(r.value),
                crate::cmd::review::sparkline(&rates[rates.len().saturating_sub(24)..]),
                if estimated > 0 { format!(" (estimated: {estimated} events by RSVP)") } else { String::new() }
            ),
        ];
        let c = &f.first_time_demo_conversion;
        lines.push(format!(
            "First-time → demo     {:>4}  {} of {} first-timers presented within 180 days{}",
            pct(c.value),
            c.converted,
            c.cohort,
            if c.so_far { " (so far)" } else { "" }
        ));
        let s = &f.repeat_speaker_rate;
        lines.push(format!("Repeat speakers       {:>4}  {} of {} speakers of the year presented twice or more", pct(s.value), s.repeat, s.speakers));
        let k = &f.collaboration_sparks;
        lines.push(format!("Collaboration sparks  {:>4}  {} of {} introductions acted on", pct(k.rate), k.acted, k.made));
        let t = &f.time_to_ship;
        lines.push(format!(
            "Time-to-ship          {}  median over {} quality events ({} of {} events)",
            t.median_days.map_or("   –".to_owned(), |d| format!("{d:.0} d")),
            t.quality_events,
            pct(t.quality_share),
            t.events
        ));
        let fa = &f.fatigue_index;
        lines.push(format!(
            "Organizer fatigue     {}  {} organizer(s) active · {} h per event · busiest does {} of the work",
            fa.value.map_or("   –".to_owned(), |v| format!("{v:>3.0}{}", if fa.high { "!" } else { " " })),
            fa.organizers.len(),
            fa.hours_per_event.map_or("–".to_owned(), |h| format!("{h:.1}")),
            pct(fa.busiest_share)
        ));
        let fr = &f.fragility;
        lines.push(format!(
            "Fragility             top presenter {} · top event {} · top organizer {}",
            pct(fr.top_presenter_share),
            pct(fr.top_event_share),
            pct(fr.top_organizer_share)
        ));
        let st = &pipeline.stages;
        let g = |k: &str| st.get(k).copied().unwrap_or(0);
        lines.push(format!(
            "Speaker pipeline      {} spotted · {} warm · {} candidates · {} speakers · {} repeat · ★{} · moves {}/{}",
            g("spotted"), g("warm_intro"), g("candidate"), g("speaker"), g("repeat"), pipeline.quiet_killers, pipeline.moves_this_cycle, pipeline.minimum
        ));
        match &followups {
            Some(fu) => lines.push(format!("Follow-ups            {} of {} sent, {} answered · {}", fu.sent, fu.minimum, fu.answered, fu.title)),
            None => lines.push("Follow-ups            no held event yet".into()),
        }
        match &next_event {
            Some(n) => {
                lines.push(format!("Next event            {} of {} demos confirmed · {}", n.demos_confirmed, n.demo_target, n.title));
                for gate in gates.iter().filter(|g| g.action == "announce") {
                    if gate.allowed {
                        lines.push(format!("  ✓ {} passes", gate.gate));
                    }
                    for reason in &gate.reasons {
                        lines.push(format!("  ✗ {}: {reason}", gate.gate));
                    }
                }
            }
            None => lines.push("Next event            none planned".into()),
        }
        for w in &fr.warnings {
            lines.push(format!("⚠ {w}"));
        }
        lines.push(String::new());
        lines.push("Each figure: trellis metrics explain <metric>".into());
        lines.truncate(24);
        lines.into_iter().map(fit).collect::<Vec<_>>().join("\n")
    })
}

const DEFINITIONS: &[(&str, &str)] = &[
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
        "The mean of each active organizer's latest Copenhagen Burnout Inventory work score (0–100) in the last 60 days; 50 or more is high.",
    ),
    (
        "fragility",
        "The share of the year's demos by the top presenter, of its attendance at the largest event, and of the recorded work by the busiest organizer; above 50% is a warning.",
    ),
];

#[derive(Serialize)]
struct Explanation {
    metric: String,
    definition: &'static str,
    value: Option<f64>,
    numerator: Option<u64>,
    denominator: Option<u64>,
    detail: Vec<serde_json::Value>,
}

async fn explain(env: &Env, sc: &Scope, f: &Figures, metric: &str) -> anyhow::Result<()> {
    let Some((key, definition)) = DEFINITIONS.iter().find(|(k, _)| *k == metric.trim()) else {
        let names: Vec<&str> = DEFINITIONS.iter().map(|(k, _)| *k).collect();
        return Err(CoreError::invalid(
            "METRIC",
            metric,
            format!("is not a metric (one of {})", names.join(", ")),
        )
        .into());
    };
    let mut people: Vec<PersonId> = Vec::new();
    match *key {
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
    let names: HashMap<PersonId, String> = env.store.names(&people).await?;
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
    let (value, num, den, detail): (
        Option<f64>,
        Option<u64>,
        Option<u64>,
        Vec<serde_json::Value>,
    ) = match *key {
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
            (fa.value, None, Some(fa.organizers.len() as u64), d)
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
    };
    let ex = Explanation {
        metric: (*key).to_owned(),
        definition,
        value,
        numerator: num,
        denominator: den,
        detail,
    };
    env.out.emit(&ex, || {
        let mut s = format!(
            "{} · {} · {} → {}\n{}\n\n",
            ex.metric,
            sc.name,
            date(sc.period.from),
            date(sc.period.to),
            ex.definition
        );
        match (ex.numerator, ex.denominator) {
            (Some(n), Some(d)) => s.push_str(&format!(
                "value {} = {n} / {d}\n",
                ex.value.map_or("–".into(), |v| format!("{v:.3}"))
            )),
            _ => s.push_str(&format!(
                "value {}\n",
                ex.value.map_or("–".into(), |v| format!("{v:.3}"))
            )),
        }
        for d in &ex.detail {
            s.push_str(&format!("\n{d}"));
        }
        s
    })
}
