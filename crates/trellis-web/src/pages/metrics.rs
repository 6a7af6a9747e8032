//! `/metrics`: every metric of the design with its value over the last year and its trend
//! over the last four quarters (SVG, each with its numbers in words), the fragility
//! warnings, and across all programs one row per chapter. Each metric links to its
//! drill-down (`/metrics/{metric}`, `metric.rs`). What is kept between views, and the
//! chapters' rows read in the background: `metrics_data.rs`.

use super::reach::{ProgramChoice, choose};
use super::{Chrome, chrome};
use crate::auth::SignedIn;
use crate::reasons::{self, GateView};
use crate::{AppState, WebError};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use serde::Deserialize;
use trellis_app::metrics::{ChapterRow, DEFINITIONS, Quarter, value_of};
use trellis_core::metrics::Figures;
use trellis_core::{EventId, ProgramId};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/metrics/{metric}", get(super::metric::metric))
}

/// How many quarters a trend shows.
pub(crate) const QUARTERS: usize = 4;
/// A metric as the page shows it.
pub struct MetricCard {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
    pub note: String,
    pub chart: String,
    pub warn: bool,
}

/// One chapter's row.
pub struct ChapterView {
    pub name: String,
    pub program: ProgramId,
    pub returning: String,
    pub conversion: String,
    pub repeat: String,
    pub fatigue: String,
    pub next: Option<(String, String)>,
    pub gates: Vec<GateView>,
}

#[derive(Template)]
#[template(path = "metrics.html")]
pub struct MetricsPage {
    pub chrome: Chrome,
    pub programs: Vec<ProgramChoice>,
    pub scope: String,
    /// `?program=…` for the drill-down links.
    pub query: String,
    pub cards: Vec<MetricCard>,
    pub warnings: Vec<String>,
    pub all: bool,
    /// When the chapters' rows were read; `None` while the first read runs.
    pub chapters_read: Option<String>,
    pub chapters: Vec<ChapterView>,
}

#[derive(Deserialize)]
pub struct MetricsQuery {
    pub(crate) program: Option<String>,
}

pub(crate) fn pct(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

fn days(v: f64) -> String {
    format!("{v:.0} d")
}

fn score(v: f64) -> String {
    format!("{v:.0}")
}

/// A metric's name in words.
pub(crate) fn label(key: &str) -> &'static str {
    match key {
        "returning_builder_rate" => "Returning builders",
        "first_time_demo_conversion" => "First-time → demo",
        "repeat_speaker_rate" => "Repeat speakers",
        "collaboration_sparks" => "Collaboration sparks",
        "time_to_ship" => "Time to ship",
        "fatigue_index" => "Organizer fatigue",
        _ => "Fragility",
    }
}

/// How a metric's values read, and the top of its chart's scale.
pub(crate) fn scale(key: &str, values: &[Option<f64>]) -> (fn(f64) -> String, f64) {
    match key {
        "time_to_ship" => (
            days,
            values.iter().flatten().copied().fold(30.0_f64, f64::max),
        ),
        "fatigue_index" => (score, 100.0),
        _ => (pct, 1.0),
    }
}

/// The value with what it counts, in words.
fn headline(key: &str, f: &Figures) -> (String, String, bool) {
    let (fmt, _) = scale(key, &[]);
    let value = value_of(key, f).map_or("–".to_owned(), fmt);
    let (note, warn) = match key {
        "returning_builder_rate" => (
            if f.returning_builder_rate.estimated {
                "estimated from RSVPs where check-in was not used".to_owned()
            } else {
                "of the year's attendees had come before".to_owned()
            },
            false,
        ),
        "first_time_demo_conversion" => {
            let c = &f.first_time_demo_conversion;
            (
                format!(
                    "{} of {} first-timers presented{}",
                    c.converted,
                    c.cohort,
                    if c.so_far { " (so far)" } else { "" }
                ),
                false,
            )
        }
        "repeat_speaker_rate" => {
            let r = &f.repeat_speaker_rate;
            (
                format!(
                    "{} of {} speakers presented twice or more",
                    r.repeat, r.speakers
                ),
                false,
            )
        }
        "collaboration_sparks" => {
            let s = &f.collaboration_sparks;
            (
                format!("{} of {} introductions acted on", s.acted, s.made),
                false,
            )
        }
        "time_to_ship" => {
            let t = &f.time_to_ship;
            (
                format!(
                    "median over {} quality events of {}",
                    t.quality_events, t.events
                ),
                false,
            )
        }
        "fatigue_index" => {
            let fa = &f.fatigue_index;
            (
                format!(
                    "{} of {} organizers high",
                    fa.high_organizers,
                    fa.organizers.len()
                ),
                fa.high || fa.high_organizers > 0,
            )
        }
        _ => (
            "the top presenter's share of the year's demos".to_owned(),
            !f.fragility.warnings.is_empty(),
        ),
    };
    (value, note, warn)
}

/// A metric's trend over `quarters` as an SVG chart with its numbers in words.
pub(crate) fn trend_chart(key: &str, quarters: &[Quarter]) -> String {
    let values: Vec<Option<f64>> = quarters.iter().map(|q| value_of(key, &q.figures)).collect();
    let (fmt, max) = scale(key, &values);
    let points: Vec<(String, Option<f64>)> = quarters
        .iter()
        .zip(&values)
        .map(|(q, v)| (format!("to {}", q.to.strftime("%b %-d")), *v))
        .collect();
    let title = format!(
        "{}, quarter by quarter (91 days each), oldest first",
        label(key)
    );
    crate::svg::trend(&title, &points, max, fmt)
}

fn card(key: &'static str, year: &Figures, quarters: &[Quarter]) -> MetricCard {
    let (value, note, warn) = headline(key, year);
    MetricCard {
        key,
        label: label(key),
        value,
        note,
        chart: trend_chart(key, quarters),
        warn,
    }
}

fn chapter(r: &ChapterRow) -> ChapterView {
    let opt = |v: Option<f64>| v.map_or("–".to_owned(), pct);
    ChapterView {
        name: r.name.clone(),
        program: r.program,
        returning: opt(r.returning),
        conversion: opt(r.conversion),
        repeat: opt(r.repeat),
        fatigue: match r.fatigue {
            Some(v) => format!("{v:.0} ({} high)", r.fatigue_high),
            None => "–".to_owned(),
        },
        next: r
            .next_event
            .as_ref()
            .map(|n| (n.title.clone(), format!("/events/{}", n.event))),
        gates: reasons::gates(
            &r.gates,
            EventId(r.next_event.as_ref().map_or(0, |n| n.event)),
        ),
    }
}

/// `GET /metrics?program=`.
pub async fn metrics(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<MetricsQuery>,
) -> Result<Html<String>, WebError> {
    let chosen = choose(&state, &me, q.program.as_deref()).await?;
    let (selected, scope, programs) = (chosen.selected, chosen.name, chosen.choices);
    let d = super::metrics_data::figures(&state, selected, QUARTERS).await?;
    let chapters = match selected {
        None => super::metrics_data::chapters(&state),
        Some(_) => None,
    };
    let page = MetricsPage {
        chrome: chrome(&me),
        programs,
        scope,
        query: format!(
            "?program={}",
            selected.map_or("all".to_owned(), |p| p.to_string())
        ),
        cards: DEFINITIONS
            .iter()
            .map(|(k, _)| card(k, &d.year, &d.quarters))
            .collect(),
        warnings: d.year.fragility.warnings.clone(),
        all: selected.is_none(),
        chapters_read: chapters
            .as_ref()
            .map(|(_, at)| at.strftime("%Y-%m-%d %H:%M UTC").to_string()),
        chapters: chapters.map_or_else(Vec::new, |(rows, _)| rows.iter().map(chapter).collect()),
    };
    Ok(Html(page.render()?))
}
