//! Planning an event, or a monthly series of them: `GET/POST /events/new`. A refusal by
//! the retro gate shows its reasons and an override field; an invalid value is said at
//! its field; the form always keeps what was typed.

use super::{Chrome, chrome, organizer_only};
use crate::auth::SignedIn;
use crate::reasons::{self, GateView};
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use trellis_app::AppError;
use trellis_app::event_page::GateCheck;
use trellis_core::{CoreError, EventId, ProgramId};
use trellis_store::{NewEvent, StoreError};

/// What the form holds, as typed.
#[derive(Deserialize, Default)]
pub struct PlanForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub program: String,
    /// Another program co-hosting the event, or empty for none.
    #[serde(default)]
    pub cohost: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub time: String,
    #[serde(default)]
    pub venue: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub slots: String,
    pub repeat: Option<String>,
    #[serde(default)]
    pub times: String,
    pub override_reason: Option<String>,
}

/// A message at a field of the form.
#[derive(Default)]
pub struct Errors {
    pub cohost: Option<String>,
    pub title: Option<String>,
    pub at: Option<String>,
    pub venue: Option<String>,
    pub capacity: Option<String>,
    pub slots: Option<String>,
    pub times: Option<String>,
    pub override_reason: Option<String>,
    /// Not about one field.
    pub other: Option<String>,
}

pub struct ProgramOption {
    pub id: i64,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "plan.html")]
pub struct PlanPage {
    pub chrome: Chrome,
    pub programs: Vec<ProgramOption>,
    /// The programs the account sees, to name one as co-host.
    pub cohosts: Vec<ProgramOption>,
    pub f: PlanForm,
    pub e: Errors,
    pub refused: Vec<GateView>,
    pub refused_overridable: bool,
    pub max_series: u32,
}

async fn render(
    state: &AppState,
    me: &SignedIn,
    f: PlanForm,
    e: Errors,
    refused: Vec<GateView>,
) -> Result<String, WebError> {
    let chosen = f.program.parse::<i64>().ok();
    let all = state.store.list_programs().await?;
    let cohost = f.cohost.parse::<i64>().ok();
    let cohosts = all
        .iter()
        .filter(|p| me.access.may_see(p.id))
        .map(|p| ProgramOption {
            id: p.id.0,
            label: p.name.clone(),
            selected: cohost == Some(p.id.0),
        })
        .collect();
    let programs: Vec<ProgramOption> = all
        .into_iter()
        // Only the programs this account may plan for.
        .filter(|p| me.may_act_on(p.id))
        .enumerate()
        .map(|(i, p)| ProgramOption {
            id: p.id.0,
            label: format!("{} ({})", p.name, p.tz),
            selected: chosen.map_or(i == 0, |c| c == p.id.0),
        })
        .collect();
    let page = PlanPage {
        chrome: chrome(me),
        programs,
        cohosts,
        f,
        e,
        refused_overridable: refused.iter().all(|g| g.overridable),
        refused,
        max_series: trellis_app::plan::MAX_SERIES,
    };
    Ok(page.render()?)
}

pub async fn plan_form(
    State(state): State<AppState>,
    me: SignedIn,
) -> Result<Html<String>, WebError> {
    organizer_only(&me)?;
    let f = PlanForm {
        times: "6".into(),
        ..PlanForm::default()
    };
    Ok(Html(
        render(&state, &me, f, Errors::default(), Vec::new()).await?,
    ))
}

/// An optional whole number typed into a field.
fn number(text: &str, slot: &mut Option<String>) -> Option<i64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    t.parse().map_or_else(
        |_| {
            *slot = Some(format!("“{t}” is not a whole number."));
            None
        },
        Some,
    )
}

/// The form as the use case's input, or the messages at its fields.
fn read(f: &PlanForm) -> Result<(NewEvent, u32), Box<Errors>> {
    let mut e = Errors::default();
    let program = f.program.trim().parse().map(ProgramId);
    let capacity = number(&f.capacity, &mut e.capacity);
    let cohost = super::cohost::chosen(&f.cohost, &mut e.cohost);
    let slots = number(&f.slots, &mut e.slots);
    let times = match f.repeat {
        Some(_) => number(&f.times, &mut e.times)
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0),
        None => 1,
    };
    if f.repeat.is_some() && e.times.is_none() && times < 2 {
        e.times = Some("A series needs 2 events or more.".into());
    }
    if f.date.trim().is_empty() || f.time.trim().is_empty() {
        e.at = Some("Give the date and the time.".into());
    }
    let Ok(program) = program else {
        e.other = Some("Choose a program.".into());
        return Err(Box::new(e));
    };
    if e.capacity.is_some()
        || e.slots.is_some()
        || e.times.is_some()
        || e.at.is_some()
        || e.cohost.is_some()
    {
        return Err(Box::new(e));
    }
    let venue = Some(f.venue.trim().to_owned()).filter(|v| !v.is_empty());
    let at = format!("{} {}", f.date.trim(), f.time.trim());
    let new = NewEvent {
        program,
        title: f.title.clone(),
        at,
        slots,
        venue,
        capacity,
        cohost,
    };
    Ok((new, times))
}

/// A use case's error as a message at the field it is about.
fn at_field(err: AppError) -> Result<Errors, WebError> {
    let core = match err {
        AppError::Core(c) | AppError::Store(StoreError::Invalid(c)) => c,
        other => return Err(other.into()),
    };
    let mut e = Errors::default();
    match core {
        CoreError::Invalid {
            field,
            value,
            problem,
        } => {
            let text = format!("“{value}” {problem}.");
            match field.0.as_str() {
                "title" => e.title = Some(text),
                "at" => e.at = Some(text),
                "venue" => e.venue = Some(text),
                "capacity" => e.capacity = Some(text),
                "slots" => e.slots = Some(text),
                "times" => e.times = Some(text),
                "cohost" => e.cohost = Some(text),
                _ => e.other = Some(text),
            }
        }
        other => e.other = Some(other.to_string()),
    }
    Ok(e)
}

pub async fn plan(
    State(state): State<AppState>,
    me: SignedIn,
    Form(f): Form<PlanForm>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let (new, times) = match read(&f) {
        Ok(ok) => ok,
        Err(e) => return refill(&state, &me, f, *e, Vec::new()).await,
    };
    me.require_act_on(new.program)?;
    if let Some(c) = new.cohost.filter(|c| !me.access.may_see(*c)) {
        let e = Errors {
            cohost: Some(super::cohost::out_of_reach(c)),
            ..Errors::default()
        };
        return refill(&state, &me, f, e, Vec::new()).await;
    }
    let typed = f.override_reason.as_deref().map(str::trim);
    let reason = typed.filter(|r| !r.is_empty());
    let ctx = me.ctx(&state);
    match trellis_app::plan::plan_series(&state.store, &ctx, &new, times, reason).await {
        Ok(planned) => {
            state.invalidate();
            let to = match planned.as_slice() {
                [one] => format!("/events/{}", one.id),
                _ => "/events".to_owned(),
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(AppError::Store(StoreError::Refused(r))) => {
            let checks = GateCheck::blocked(&r.decision);
            let e = Errors {
                override_reason: typed
                    .filter(|t| t.is_empty())
                    .map(|_| super::OVERRIDE_NEEDS_REASON.to_owned()),
                ..Errors::default()
            };
            let html = render(&state, &me, f, e, reasons::gates(&checks, EventId(0))).await?;
            Ok((StatusCode::CONFLICT, Html(html)).into_response())
        }
        Err(err) => {
            let e = at_field(err)?;
            refill(&state, &me, f, e, Vec::new()).await
        }
    }
}

/// The form again, with what was typed and the messages at their fields.
async fn refill(
    state: &AppState,
    me: &SignedIn,
    f: PlanForm,
    e: Errors,
    refused: Vec<GateView>,
) -> Result<Response, WebError> {
    let html = render(state, me, f, e, refused).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
}
