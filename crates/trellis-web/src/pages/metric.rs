//! `/metrics/{metric}`: one metric explained — its definition, its value with numerator
//! and denominator, its trend, and the people and events behind it, each linked to their
//! page — with the fragility warnings.

use super::metrics::{MetricsQuery, QUARTERS, label, scale, trend_chart};
use super::reach::choose;
use super::{Chrome, chrome};
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use trellis_app::metrics::Behind;
use trellis_core::{EventId, PersonId};

#[derive(Template)]
#[template(path = "metric.html")]
pub struct MetricPage {
    pub chrome: Chrome,
    pub scope: String,
    pub query: String,
    pub label: &'static str,
    pub definition: &'static str,
    pub value: String,
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
    pub chart: String,
    pub people: Vec<Behind<PersonId>>,
    pub events: Vec<Behind<EventId>>,
    pub notes: Vec<String>,
    pub warnings: Vec<String>,
}

/// `GET /metrics/{metric}?program=`.
pub async fn metric(
    State(state): State<AppState>,
    me: SignedIn,
    Path(metric): Path<String>,
    Query(q): Query<MetricsQuery>,
) -> Result<Html<String>, WebError> {
    let Ok((key, _)) = trellis_app::metrics::definition("metric", &metric) else {
        return Err(WebError::NotFound);
    };
    let chosen = choose(&state, &me, q.program.as_deref()).await?;
    let (selected, scope) = (chosen.selected, chosen.name);
    let figures = super::metrics_data::figures(&state, selected, QUARTERS).await?;
    let d = trellis_app::metrics::drilldown(&state.store, &figures, key).await?;
    let (fmt, _) = scale(key, &[]);
    let page = MetricPage {
        chrome: chrome(&me),
        scope,
        query: format!(
            "?program={}",
            selected.map_or("all".to_owned(), |p| p.to_string())
        ),
        label: label(key),
        definition: d.explanation.definition,
        value: d.explanation.value.map_or("–".to_owned(), fmt),
        numerator: d.explanation.numerator,
        denominator: d.explanation.denominator,
        chart: trend_chart(key, &figures.quarters),
        people: d.people,
        events: d.events,
        notes: d.notes,
        warnings: d.warnings,
    };
    Ok(Html(page.render()?))
}
