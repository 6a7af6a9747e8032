//! The organizers (`/organizers`) and an organizer's hand-off
//! (`/organizers/{id}/retire`). The list shows the organizers of the programs the account
//! reaches, active and retired, the open events each owns, the hand-offs on record, and
//! each program's count of organizers who checked in high — never who, nor a score.
//! Retiring asks first: a page says what moves to whom, and only its form does it. It
//! is for an account that may change every program of the one retiring (an admin always).

use super::{Chrome, chrome};
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use std::collections::HashMap;
use trellis_app::AppError;
use trellis_app::handoff::{OwnedEvent, RetirePlan, plan, retire, roster};
use trellis_app::organizers::Organizer;
use trellis_core::{CoreError, ProgramId};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/organizers", get(list))
        .route("/organizers/{id}/retire", get(form).post(submit))
}

/// One organizer's row.
pub struct Row {
    pub o: Organizer,
    /// Their programs' names.
    pub programs: String,
    pub owns: Vec<OwnedEvent>,
    /// Whether this account may retire them.
    pub may_retire: bool,
}

/// A program's line: how many of its active organizers checked in high.
pub struct High {
    pub program: ProgramId,
    pub name: String,
    pub count: u32,
}

#[derive(Template)]
#[template(path = "organizers.html")]
pub struct OrganizersPage {
    pub chrome: Chrome,
    /// The program the list is narrowed to, by name.
    pub program: Option<String>,
    pub rows: Vec<Row>,
    pub high: Vec<High>,
    pub handoffs: Vec<trellis_app::handoff::HandoffView>,
    /// Said once after a hand-off.
    pub flash: Option<String>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    program: Option<String>,
    /// The organizer just retired (the flash after a hand-off).
    retired: Option<i64>,
}

/// Whether `me` may retire `o`: they change every program `o` organizes.
pub(crate) fn may_retire(me: &SignedIn, o: &Organizer) -> bool {
    if o.programs.is_empty() {
        me.access.is_admin()
    } else {
        me.access.acts_on_all(&o.programs)
    }
}

/// Every program's name by id.
async fn program_names(state: &AppState) -> Result<HashMap<ProgramId, String>, WebError> {
    Ok(state
        .store
        .list_programs()
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect())
}

/// `GET /organizers[?program=P]`.
pub async fn list(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, WebError> {
    let names = program_names(&state).await?;
    let only = q
        .program
        .as_deref()
        .and_then(|p| p.parse().ok())
        .map(ProgramId);
    if let Some(p) = only
        && !me.access.may_see(p)
    {
        return Err(crate::auth::out_of_reach());
    }
    let shown = |p: &ProgramId| me.access.may_see(*p) && only.is_none_or(|o| o == *p);
    let r = roster(&state.store, state.now()).await?;
    let handoffs = r.handoffs;
    let rows: Vec<Row> = r
        .organizers
        .into_iter()
        .filter(|(o, _)| {
            o.programs.iter().any(shown)
                || (o.programs.is_empty() && me.access.is_admin() && only.is_none())
        })
        .map(|(o, owns)| Row {
            // Only the programs this account reaches are named.
            programs: join_names(&me.access.visible(&o.programs), &names),
            owns: owns
                .into_iter()
                .filter(|e| me.access.may_see(e.program))
                .collect(),
            may_retire: o.retired_at.is_none() && may_retire(&me, &o),
            o,
        })
        .collect();
    let high = r
        .high
        .into_iter()
        .filter(|(p, _)| shown(p))
        .map(|(program, count)| High {
            program,
            name: names.get(&program).cloned().unwrap_or_default(),
            count,
        })
        .collect();
    let flash = q.retired.and_then(|id| {
        rows.iter().find(|r| r.o.id == id)?;
        let h = handoffs.iter().rev().find(|h| h.organizer_id == id)?;
        Some(flash(h))
    });
    let handoffs = handoffs
        .into_iter()
        .filter(|h| rows.iter().any(|r| r.o.id == h.organizer_id))
        .rev()
        .collect();
    let page = OrganizersPage {
        chrome: chrome(&me),
        program: only.and_then(|p| names.get(&p).cloned()),
        rows,
        high,
        handoffs,
        flash,
    };
    Ok(Html(page.render()?))
}

/// Said once after a hand-off.
fn flash(h: &trellis_app::handoff::HandoffView) -> String {
    let plural = |n: i64, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    match &h.to {
        Some(to) => {
            let mut s = format!(
                "{} retired. {to} took over the due items of {}",
                h.organizer,
                plural(h.events, "open event")
            );
            if h.messages > 0 {
                s.push_str(&format!(" and {}", plural(h.messages, "planned reminder")));
            }
            s + "."
        }
        None => format!(
            "{} retired. Their due items went to their programs' first active organizers.",
            h.organizer
        ),
    }
}

fn join_names(programs: &[ProgramId], names: &HashMap<ProgramId, String>) -> String {
    programs
        .iter()
        .map(|p| {
            names
                .get(p)
                .cloned()
                .unwrap_or_else(|| format!("program {p}"))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Template)]
#[template(path = "organizer_retire.html")]
pub struct RetireForm {
    pub chrome: Chrome,
    pub o: Organizer,
    /// Active organizers who share a program with them: (id, name).
    pub successors: Vec<(i64, String)>,
    pub to: String,
    pub to_error: Option<String>,
    pub form_error: Option<String>,
}

#[derive(Template)]
#[template(path = "confirm_retire.html")]
pub struct ConfirmRetire {
    pub chrome: Chrome,
    pub p: RetirePlan,
    pub to: String,
}

/// The organizer `id` if this account may retire them.
async fn retiree(
    state: &AppState,
    me: &SignedIn,
    id: i64,
) -> Result<(Organizer, Vec<Organizer>), WebError> {
    let all = trellis_app::organizers::list(&state.store).await?;
    let o = all
        .iter()
        .find(|o| o.id == id)
        .cloned()
        .ok_or(WebError::NotFound)?;
    if !o.programs.iter().any(|p| me.access.may_see(*p)) && !me.access.is_admin() {
        return Err(crate::auth::out_of_reach());
    }
    if !may_retire(me, &o) {
        return Err(if me.access.may_act_somewhere() {
            WebError::Forbidden(format!(
                "{} also organizes a program your account does not change: an admin can hand their work on.",
                o.name
            ))
        } else {
            me.refusal()
        });
    }
    Ok((o, all))
}

fn retire_form(me: &SignedIn, o: Organizer, all: &[Organizer], to: &str) -> RetireForm {
    let successors = all
        .iter()
        .filter(|s| {
            s.id != o.id
                && s.retired_at.is_none()
                && s.programs.iter().any(|p| o.programs.contains(p))
        })
        .map(|s| (s.id, s.name.clone()))
        .collect();
    RetireForm {
        chrome: chrome(me),
        o,
        successors,
        to: to.to_owned(),
        to_error: None,
        form_error: None,
    }
}

/// `GET /organizers/{id}/retire`: whom to hand the work to.
pub async fn form(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let (o, all) = retiree(&state, &me, id).await?;
    if o.retired_at.is_some() {
        return Ok(Redirect::to(&format!("/organizers#organizer-{id}")).into_response());
    }
    Ok(Html(retire_form(&me, o, &all, "").render()?).into_response())
}

#[derive(Deserialize)]
pub struct RetireFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    to: String,
    /// Sent by the confirmation page's form only.
    confirm: Option<String>,
}

/// `POST /organizers/{id}/retire`: the confirmation page first; with `confirm=1`, done.
pub async fn submit(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<RetireFields>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let (o, all) = retiree(&state, &me, id).await?;
    let to = Some(f.to.trim()).filter(|t| !t.is_empty());
    let key = id.to_string();
    if f.confirm.is_none() {
        return match plan(&state.store, &key, to).await {
            Ok(p) => {
                let page = ConfirmRetire {
                    chrome: chrome(&me),
                    p,
                    to: f.to.trim().to_owned(),
                };
                Ok(Html(page.render()?).into_response())
            }
            Err(e) => refused(&me, o, &all, &f.to, e),
        };
    }
    match retire(&state.store, &me.ctx(&state), &key, to).await {
        Ok(_) => {
            state.invalidate();
            Ok(Redirect::to(&format!("/organizers?retired={id}")).into_response())
        }
        Err(e) => refused(&me, o, &all, &f.to, e),
    }
}

/// The form again, the refusal at its field (422): the successor's at `to`, any other
/// (already retired) above the form.
fn refused(
    me: &SignedIn,
    o: Organizer,
    all: &[Organizer],
    to: &str,
    err: AppError,
) -> Result<Response, WebError> {
    let at_to = matches!(
        &err,
        AppError::Core(CoreError::Invalid { field, .. }) if field.0 == "to"
    );
    let text = super::board::refusal(err)?;
    let mut page = retire_form(me, o, all, to);
    if at_to {
        page.to_error = Some(text);
    } else {
        page.form_error = Some(text);
    }
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}
