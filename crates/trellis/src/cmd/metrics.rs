use super::Env;
use crate::cli::{MetricsArgs, MetricsCmd};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use trellis_app::metrics::Explanation;
use trellis_core::metrics::{Figures, Period};
use trellis_core::{CoreError, ProgramId};

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
    if let Some(MetricsCmd::Explain { metric }) = &a.cmd {
        let ex = trellis_app::metrics::explain(
            &env.store, sc.program, sc.period, sc.at, "METRIC", metric,
        )
        .await?;
        return env.out.emit(&ex, || explain_text(&sc, &ex));
    }
    if a.by_program {
        let rows =
            trellis_app::metrics::chapters(&env.store, sc.period, sc.at, env.ctx.now).await?;
        if a.csv {
            return print_csv(&chapters_csv(&rows));
        }
        return env.out.emit(&rows, || chapters_text(&rows));
    }
    let screen =
        trellis_app::metrics::screen(&env.store, sc.program, sc.period, sc.at, env.ctx.now).await?;
    if a.csv {
        let f = &screen.report.figures;
        let mut rows = vec![vec!["metric".to_owned(), "value".to_owned()]];
        for (key, _) in trellis_app::metrics::DEFINITIONS {
            rows.push(vec![
                (*key).to_owned(),
                number(trellis_app::metrics::value_of(key, f)),
            ]);
        }
        return print_csv(&rows);
    }
    let mut gates = screen.next_event_gates.clone();
    for g in &mut gates {
        g.reword(crate::render::reason);
    }
    env.out
        .emit(&screen.report, || screen_text(&sc, &screen.report, &gates))
}

/// The one screen: at most 24 lines of at most 100 columns.
fn screen_text(
    sc: &Scope,
    report: &trellis_app::metrics::MetricsReport,
    gates: &[trellis_app::event_page::GateCheck],
) -> String {
    let f = &report.figures;
    let mut lines = vec![
        format!(
            "Trellis · {} · {} → {}",
            sc.name,
            date(sc.period.from),
            date(sc.period.to)
        ),
        String::new(),
        returning_line(f),
    ];
    lines.extend(figure_lines(f));
    lines.extend(block_lines(report, gates));
    for w in &f.fragility.warnings {
        lines.push(format!("⚠ {w}"));
    }
    lines.push(String::new());
    lines.push("Each figure: trellis metrics explain <metric>".into());
    lines.truncate(24);
    lines.into_iter().map(fit).collect::<Vec<_>>().join("\n")
}

/// The returning builders' rate, with its sparkline over the last 24 events.
fn returning_line(f: &Figures) -> String {
    let r = &f.returning_builder_rate;
    let rates: Vec<Option<f64>> = r.per_event.iter().map(|p| p.rate).collect();
    let (att, ret): (u32, u32) = r
        .per_event
        .iter()
        .fold((0, 0), |(a, b), p| (a + p.attended, b + p.returning));
    let estimated = r.per_event.iter().filter(|p| p.estimated).count();
    format!(
        "Returning builders    {:>4}  {}  {ret} of {att} attendances{}",
        pct(r.value),
        crate::cmd::review::sparkline(&rates[rates.len().saturating_sub(24)..]),
        if estimated > 0 {
            format!(" (estimated: {estimated} events by RSVP)")
        } else {
            String::new()
        }
    )
}

/// The other figures, one line each.
fn figure_lines(f: &Figures) -> Vec<String> {
    let mut lines = Vec::new();
    let c = &f.first_time_demo_conversion;
    lines.push(format!(
        "First-time → demo     {:>4}  {} of {} first-timers presented within 180 days{}",
        pct(c.value),
        c.converted,
        c.cohort,
        if c.so_far { " (so far)" } else { "" }
    ));
    let s = &f.repeat_speaker_rate;
    lines.push(format!(
        "Repeat speakers       {:>4}  {} of {} speakers of the year presented twice or more",
        pct(s.value),
        s.repeat,
        s.speakers
    ));
    let k = &f.collaboration_sparks;
    lines.push(format!(
        "Collaboration sparks  {:>4}  {} of {} introductions acted on",
        pct(k.rate),
        k.acted,
        k.made
    ));
    let t = &f.time_to_ship;
    lines.push(format!(
        "Time-to-ship          {}  median over {} quality events ({} of {} events)",
        t.median_days
            .map_or("   –".to_owned(), |d| format!("{d:.0} d")),
        t.quality_events,
        pct(t.quality_share),
        t.events
    ));
    let fa = &f.fatigue_index;
    lines.push(format!(
        "Organizer fatigue     {}  {} of {} organizers high · {} h per event · busiest does {} of the work",
        fa.value.map_or("   –".to_owned(), |v| format!("{v:>3.0}{}", if fa.high { "!" } else { " " })),
        fa.high_organizers,
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
    lines
}

/// The review block's lines: the pipeline, the follow-ups, the next event and its gates.
fn block_lines(
    report: &trellis_app::metrics::MetricsReport,
    gates: &[trellis_app::event_page::GateCheck],
) -> Vec<String> {
    let (pipeline, followups, next_event) =
        (&report.pipeline, &report.followups, &report.next_event);
    let mut lines = Vec::new();
    let st = &pipeline.stages;
    let g = |k: &str| st.get(k).copied().unwrap_or(0);
    lines.push(format!(
        "Speaker pipeline      {} spotted · {} warm · {} candidates · {} speakers · {} repeat · ★{} · moves {}/{}",
        g("spotted"), g("warm_intro"), g("candidate"), g("speaker"), g("repeat"), pipeline.quiet_killers, pipeline.moves_this_cycle, pipeline.minimum
    ));
    match &followups {
        Some(fu) => lines.push(format!(
            "Follow-ups            {} of {} sent, {} answered · {}",
            fu.sent, fu.minimum, fu.answered, fu.title
        )),
        None => lines.push("Follow-ups            no held event yet".into()),
    }
    match &next_event {
        Some(n) => {
            lines.push(format!(
                "Next event            {} of {} demos confirmed · {}",
                n.demos_confirmed, n.demo_target, n.title
            ));
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
    lines
}

fn explain_text(sc: &Scope, ex: &Explanation) -> String {
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
}

/// A figure as a CSV cell: full precision, empty when there is none.
fn number(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

/// `metrics --by-program --csv`: one row per program, every metric and the gate state.
fn chapters_csv(rows: &[trellis_app::metrics::ChapterRow]) -> Vec<Vec<String>> {
    let mut out = vec![
        [
            "program",
            "name",
            "returning_builder_rate",
            "first_time_demo_conversion",
            "repeat_speaker_rate",
            "collaboration_sparks",
            "time_to_ship_days",
            "fatigue_index",
            "organizers_high",
            "hours_per_event",
            "top_presenter_share",
            "next_event",
            "next_event_title",
            "next_event_gates",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for r in rows {
        out.push(vec![
            r.program.to_string(),
            r.name.clone(),
            number(r.returning),
            number(r.conversion),
            number(r.repeat),
            number(r.sparks),
            number(r.time_to_ship_days),
            number(r.fatigue),
            r.fatigue_high.to_string(),
            number(r.hours_per_event),
            number(r.top_presenter_share),
            r.next_event
                .as_ref()
                .map_or_else(String::new, |n| n.event.to_string()),
            r.next_event
                .as_ref()
                .map_or_else(String::new, |n| n.title.clone()),
            r.gate_state(),
        ]);
    }
    out
}

/// Prints CSV; a control character typed into a name is shown, never sent to the
/// terminal, and a reader that went away is not an error.
fn print_csv(rows: &[Vec<String>]) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(
            r.iter()
                .map(|c| crate::output::visible_cell(c).into_owned()),
        )?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| anyhow::anyhow!("writing CSV: {e}"))?;
    crate::output::write_stdout(&String::from_utf8(bytes)?)
}

/// `metrics --by-program`: a table, one line per program.
fn chapters_text(rows: &[trellis_app::metrics::ChapterRow]) -> String {
    let pct = |v: Option<f64>| v.map_or("–".to_owned(), |v| format!("{:.0}%", v * 100.0));
    crate::output::table(
        &[
            "PROGRAM",
            "RETURNING",
            "FIRST→DEMO",
            "REPEAT",
            "FATIGUE",
            "NEXT EVENT",
        ],
        rows.iter()
            .map(|r| {
                vec![
                    r.name.clone(),
                    pct(r.returning),
                    pct(r.conversion),
                    pct(r.repeat),
                    r.fatigue.map_or("–".to_owned(), |v| format!("{v:.0}")),
                    r.gate_state(),
                ]
            })
            .collect(),
    )
}
