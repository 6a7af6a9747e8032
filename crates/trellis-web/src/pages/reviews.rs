//! The metric review (`/reviews`): start one, which freezes the one screen; the time
//! against the 15 minutes, said again on every load (no script); the overrides since the
//! last review; the one insight, required to close it; past reviews and each one's frozen
//! snapshot (`/reviews/{id}`).

use super::{Chrome, chrome};
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use std::collections::HashMap;
use trellis_app::reviews::ReviewView;
use trellis_core::ProgramId;

/// A review is meant to take this long, without a script.
const MINUTES: i64 = 15;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/reviews", get(reviews))
        .route("/reviews/start", post(start))
        .route("/reviews/{id}", get(review))
        .route("/reviews/{id}/print", get(print))
        .route("/reviews/{id}/close", post(close))
}

/// A gate passed by override, as the frozen block keeps it.
pub struct OverrideLine {
    pub gate: String,
    pub at: String,
    pub reason: String,
    pub actor: String,
    pub event: Option<i64>,
}

/// The overrides a review's block froze: those since the review before it.
fn overrides(r: &ReviewView) -> Vec<OverrideLine> {
    let s = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_owned();
    r.block
        .overrides
        .iter()
        .map(|o| OverrideLine {
            gate: s(o, "gate").replace('_', " "),
            at: s(o, "at").get(..10).unwrap_or_default().to_owned(),
            reason: s(o, "reason"),
            actor: s(o, "actor"),
            event: o["event"].as_i64(),
        })
        .collect()
}

/// A stored override as a line.
fn line(o: &trellis_app::overrides::OverrideRecord) -> OverrideLine {
    OverrideLine {
        gate: o.gate.replace('_', " "),
        at: o.at.strftime("%Y-%m-%d").to_string(),
        reason: o.reason.clone(),
        actor: o.actor.clone(),
        event: o.event.map(|e| e.0),
    }
}

/// An open review with its time so far.
pub struct OpenReview {
    pub r: ReviewView,
    pub minutes: i64,
    pub over: bool,
    pub overrides: Vec<OverrideLine>,
    /// The insight as typed, and why it was refused.
    pub insight: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "reviews.html")]
pub struct ReviewsPage {
    pub chrome: Chrome,
    pub open: Vec<OpenReview>,
    pub past: Vec<ReviewView>,
    pub programs: Vec<(String, String)>,
    pub names: HashMap<ProgramId, String>,
    pub start_error: Option<String>,
    pub minutes: i64,
    /// Per program, the overrides its next review will show.
    pub pending: Vec<(String, Vec<OverrideLine>)>,
}

impl ReviewsPage {
    pub fn scope(&self, p: &Option<ProgramId>) -> String {
        scope_name(&self.names, p)
    }
}

fn scope_name(names: &HashMap<ProgramId, String>, p: &Option<ProgramId>) -> String {
    match p {
        Some(p) => names
            .get(p)
            .cloned()
            .unwrap_or_else(|| format!("program {p}")),
        None => "All programs".to_owned(),
    }
}

/// Whether the account reaches (`act`: may change) a review's scope: its program, or
/// every program for an org-wide review.
fn reaches(me: &SignedIn, scope: Option<ProgramId>, all: &[ProgramId], act: bool) -> bool {
    match (scope, act) {
        (Some(p), false) => me.access.may_see(p),
        (Some(p), true) => me.access.may_act_on(p),
        (None, false) => me.access.sees_all(all),
        (None, true) => me.access.acts_on_all(all),
    }
}

/// Refuses an account that may not see (`act`: change) the review `id`'s scope.
async fn check_review(
    state: &AppState,
    me: &SignedIn,
    scope: Option<ProgramId>,
    act: bool,
) -> Result<(), WebError> {
    let all = state.store.program_ids().await?;
    match (reaches(me, scope, &all, act), act) {
        (true, _) => Ok(()),
        (false, true) if reaches(me, scope, &all, false) => Err(me.refusal()),
        (false, _) => Err(crate::auth::out_of_reach()),
    }
}

async fn page(state: &AppState, me: &SignedIn) -> Result<ReviewsPage, WebError> {
    let ids = state.store.program_ids().await?;
    let all = trellis_app::reviews::list(&state.store, None).await?;
    let now = state.now();
    let (open, mut past): (Vec<_>, Vec<_>) = all
        .into_iter()
        .filter(|r| reaches(me, r.program, &ids, false))
        .partition(|r| r.ended_at.is_none());
    past.reverse();
    let open = open
        .into_iter()
        .map(|r| {
            let minutes = now.duration_since(r.started_at).as_mins().max(0);
            OpenReview {
                overrides: overrides(&r),
                r,
                minutes,
                over: minutes > MINUTES,
                insight: String::new(),
                error: None,
            }
        })
        .collect();
    let mut list = state.store.list_programs().await?;
    list.retain(|p| me.access.may_see(p.id));
    let mut pending = Vec::new();
    for p in &list {
        let since = trellis_app::reviews::overrides_since_last(&state.store, p.id).await?;
        if !since.is_empty() {
            pending.push((p.name.clone(), since.iter().map(line).collect()));
        }
    }
    let names = list.iter().map(|p| (p.id, p.name.clone())).collect();
    // Only the scopes this account may start a review of.
    let mut programs: Vec<(String, String)> = list
        .into_iter()
        .filter(|p| me.may_act_on(p.id))
        .map(|p| (p.id.to_string(), p.name))
        .collect();
    if me.access.acts_on_all(&ids) {
        programs.push(("all".into(), "All programs".into()));
    }
    Ok(ReviewsPage {
        chrome: chrome(me),
        open,
        past,
        programs,
        names,
        start_error: None,
        minutes: MINUTES,
        pending,
    })
}

/// `GET /reviews`.
pub async fn reviews(
    State(state): State<AppState>,
    me: SignedIn,
) -> Result<Html<String>, WebError> {
    Ok(Html(page(&state, &me).await?.render()?))
}

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    program: String,
}

/// `POST /reviews/start`: freezes the one screen of the program (or of all).
pub async fn start(
    State(state): State<AppState>,
    me: SignedIn,
    Form(f): Form<StartForm>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let program = match f.program.as_str() {
        "all" => None,
        p => Some(ProgramId(p.parse().map_err(|_| {
            WebError::BadRequest(format!("program {p:?} is not an id"))
        })?)),
    };
    check_review(&state, &me, program, true).await?;
    match trellis_app::reviews::start(&state.store, &me.ctx(&state), program).await {
        Ok(r) => {
            state.invalidate();
            Ok(Redirect::to(&format!("/reviews#review-{}", r.id)).into_response())
        }
        Err(err) => {
            let mut p = page(&state, &me).await?;
            p.start_error = Some(super::board::refusal(err)?);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(p.render()?)).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    insight: String,
}

/// `POST /reviews/{id}/close`: the one insight is required.
pub async fn close(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<CloseForm>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let scope = trellis_app::reviews::show(&state.store, id).await?.program;
    check_review(&state, &me, scope, true).await?;
    let error = if f.insight.trim().is_empty() {
        Some("Write the one insight of this review: it is what the review is for.".to_owned())
    } else {
        match trellis_app::reviews::close(&state.store, &me.ctx(&state), id, &f.insight).await {
            Ok(r) => {
                state.invalidate();
                return Ok(Redirect::to(&format!("/reviews/{}", r.id)).into_response());
            }
            Err(err) => Some(super::board::refusal(err)?),
        }
    };
    let mut p = page(&state, &me).await?;
    if let Some(o) = p.open.iter_mut().find(|o| o.r.id == id) {
        o.insight = f.insight;
        o.error = error;
    } else {
        p.start_error = error;
    }
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(p.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "review.html")]
pub struct ReviewPage {
    pub chrome: Chrome,
    pub r: ReviewView,
    pub scope: String,
    pub sparkline: String,
    pub minutes_so_far: Option<i64>,
    pub stages: Vec<(&'static str, u32)>,
    pub overrides: Vec<OverrideLine>,
}

/// A review's frozen screen on its own: to print, save as PDF, or hand to a manager. With
/// `inline_css` the page holds its style and needs nothing else (the CLI's file); served
/// by the app, it links the stylesheet (the CSP allows no inline style).
#[derive(Template)]
#[template(path = "review_print.html")]
pub struct ReviewPrint<'a> {
    pub r: ReviewView,
    pub scope: String,
    pub sparkline: String,
    pub stages: Vec<(&'static str, u32)>,
    pub overrides: Vec<OverrideLine>,
    pub css_path: &'static str,
    pub inline_css: Option<&'a str>,
}

/// The pipeline's stages as the frozen block counted them, in board order.
fn stages(r: &ReviewView) -> Vec<(&'static str, u32)> {
    trellis_core::pipeline::Stage::ALL
        .iter()
        .map(|s| {
            let n = r
                .block
                .pipeline
                .stages
                .get(s.as_str())
                .copied()
                .unwrap_or(0);
            (super::board::stage_label(*s), n)
        })
        .collect()
}

fn sparkline(r: &ReviewView) -> String {
    let rates: Vec<Option<f64>> = r.block.returning_builders.iter().map(|p| p.rate).collect();
    crate::svg::sparkline(&rates)
}

/// The review `id` and the name of its scope, once the account may see it.
async fn readable(
    state: &AppState,
    me: &SignedIn,
    id: i64,
) -> Result<(ReviewView, String), WebError> {
    let r = trellis_app::reviews::show(&state.store, id).await?;
    check_review(state, me, r.program, false).await?;
    let names = state
        .store
        .list_programs()
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let scope = scope_name(&names, &r.program);
    Ok((r, scope))
}

/// The printable document of a review (see [`ReviewPrint`]).
pub fn print_document(
    r: ReviewView,
    scope: String,
    inline_css: Option<&str>,
) -> Result<String, WebError> {
    Ok(ReviewPrint {
        sparkline: sparkline(&r),
        stages: stages(&r),
        overrides: overrides(&r),
        scope,
        r,
        css_path: crate::assets::CSS_PATH,
        inline_css,
    }
    .render()?)
}

/// `GET /reviews/{id}`: the one screen as it was frozen when the review started.
pub async fn review(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let (r, scope) = readable(&state, &me, id).await?;
    let page = ReviewPage {
        chrome: chrome(&me),
        scope,
        sparkline: sparkline(&r),
        minutes_so_far: r
            .ended_at
            .is_none()
            .then(|| state.now().duration_since(r.started_at).as_mins().max(0)),
        stages: stages(&r),
        overrides: overrides(&r),
        r,
    };
    Ok(Html(page.render()?))
}

/// `GET /reviews/{id}/print`: the same, print-friendly, with no navigation.
pub async fn print(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let (r, scope) = readable(&state, &me, id).await?;
    Ok(Html(print_document(r, scope, None)?))
}
