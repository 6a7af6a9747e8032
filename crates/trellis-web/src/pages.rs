//! The organizer pages: the one-screen dashboard, the event list and the event page with
//! its lifecycle buttons, demo slot board and check-in.

use crate::auth::SignedIn;
use crate::reasons::{self, GateView};
use crate::views::{self, Attendee, Chrome, Due, ProgramChoice, Slot, Tile};
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use trellis_app::event_page::GateCheck;
use trellis_core::attendance::CheckedIn;
use trellis_core::demo::{Checklist, DemoStatus};
use trellis_core::event::EventStatus;
use trellis_core::{DemoId, EventId, PersonId, ProgramId};
use trellis_store::{AttendanceInput, ScreeningInput, StoreError};

/// Everything the dashboard shows of a scope, read in one go and cached briefly: the
/// application layer's review snapshot.
pub(crate) type DashData = trellis_app::review::ReviewSnapshot;

/// Reads the dashboard's snapshot of a scope.
pub(crate) async fn read_dash(
    state: &AppState,
    program: Option<ProgramId>,
) -> Result<DashData, WebError> {
    Ok(trellis_app::review::snapshot(&state.store, program, state.now()).await?)
}

pub(crate) fn chrome(me: &SignedIn) -> Chrome {
    Chrome {
        css: crate::assets::CSS_PATH,
        user: me.user.name.clone(),
        role: crate::auth::role_label(me.user.role),
        csrf: me.csrf.clone(),
        may_act: me.may_act(),
        admin: me.user.role.may_administer(),
    }
}

#[derive(Deserialize)]
pub struct DashQuery {
    program: Option<String>,
}

fn pct(v: Option<f64>) -> String {
    v.map_or("–".to_owned(), |v| format!("{:.0}%", v * 100.0))
}

/// "in 5 h" / "3 days late".
fn hours_left(due: jiff::Timestamp, now: jiff::Timestamp) -> (String, bool) {
    let h = due.duration_since(now).as_hours();
    match h {
        h if h >= 48 => (format!("{} days left", h / 24), false),
        h if h >= 0 => (format!("{h} h left"), false),
        h if h > -48 => (format!("{} h late", -h), true),
        h => (format!("{} days late", -h / 24), true),
    }
}

pub async fn dashboard(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<DashQuery>,
) -> Result<Html<String>, WebError> {
    let programs = state.store.list_programs().await?;
    // The default view is the first program: the one screen of a chapter. "all" is the
    // DevRel lead's view across chapters.
    let selected: Option<ProgramId> = match q.program.as_deref() {
        Some("all") => None,
        Some(p) => Some(ProgramId(p.parse().map_err(|_| {
            WebError::BadRequest(format!("program {p:?} is not an id"))
        })?)),
        None => programs.first().map(|p| p.id),
    };
    let scope = match selected {
        Some(id) => programs
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.clone())
            .ok_or(WebError::NotFound)?,
        None => "All programs".to_owned(),
    };
    let mut choices: Vec<ProgramChoice> = programs
        .iter()
        .map(|p| ProgramChoice {
            value: p.id.to_string(),
            name: p.name.clone(),
            selected: selected == Some(p.id),
        })
        .collect();
    choices.push(ProgramChoice {
        value: "all".into(),
        name: "All programs".into(),
        selected: selected.is_none(),
    });

    let data = state.dashboard_data(selected).await?;
    let block = &data.block;
    let now = state.now();
    let rates: Vec<Option<f64>> = block.returning_builders.iter().map(|p| p.rate).collect();
    let last = block.returning_builders.last();
    let p = &block.pipeline;
    let cards: u32 = p.stages.values().sum();
    let mut tiles = vec![Tile {
        label: "Speaker pipeline",
        value: cards.to_string(),
        note: format!(
            "{} candidates · {} speakers · ★{} · moves {} of {}",
            p.stages.get("candidate").copied().unwrap_or(0),
            p.stages.get("speaker").copied().unwrap_or(0)
                + p.stages.get("repeat").copied().unwrap_or(0),
            p.quiet_killers,
            p.moves_this_cycle,
            p.minimum
        ),
        warn: p.moves_this_cycle < p.minimum,
    }];
    match &block.next_event {
        Some(n) => tiles.push(Tile {
            label: "Demos confirmed",
            value: format!("{} / {}", n.demos_confirmed, n.demo_target),
            note: n.title.clone(),
            warn: n.demos_confirmed < n.demo_target,
        }),
        None => tiles.push(Tile {
            label: "Demos confirmed",
            value: "–".into(),
            note: "no event planned".into(),
            warn: false,
        }),
    }
    match &block.followups {
        Some(f) => tiles.push(Tile {
            label: "Follow-ups",
            value: format!("{} / {}", f.sent, f.minimum),
            note: format!("{} answered · {}", f.answered, f.title),
            warn: f.sent < f.minimum,
        }),
        None => tiles.push(Tile {
            label: "Follow-ups",
            value: "–".into(),
            note: "no held event yet".into(),
            warn: false,
        }),
    }
    tiles.push(Tile {
        label: "Overrides",
        value: block.overrides.len().to_string(),
        note: "gates passed by override since the last review".into(),
        warn: !block.overrides.is_empty(),
    });
    let dues = data
        .dues
        .iter()
        .take(5)
        .map(|d| {
            let (when, late) = hours_left(d.due_at, now);
            Due {
                what: format!("{}: {}", d.detail, d.title),
                when,
                late,
                href: format!("/events/{}", d.event),
            }
        })
        .collect();
    let (next_title, next_href) = match &block.next_event {
        Some(n) => (Some(n.title.clone()), format!("/events/{}", n.event)),
        None => (None, String::new()),
    };
    let page = views::Dashboard {
        chrome: chrome(&me),
        programs: choices,
        scope,
        sparkline: crate::svg::sparkline(&rates),
        returning: pct(last.and_then(|p| p.rate)),
        returning_note: match last {
            Some(p) => format!(
                "{} of {} at {}{}",
                p.returning,
                p.attended,
                p.title,
                if p.estimated {
                    " (estimated from RSVPs)"
                } else {
                    ""
                }
            ),
            None => "no held event yet".into(),
        },
        tiles,
        insight: data.insight.clone(),
        next_title,
        next_href,
        gates: reasons::gates(
            &data.gates,
            EventId(data.block.next_event.as_ref().map_or(0, |n| n.event)),
        ),
        dues,
    };
    Ok(Html(page.render()?))
}

pub async fn events(State(state): State<AppState>, me: SignedIn) -> Result<Html<String>, WebError> {
    let mut events = state.store.list_events(None).await?;
    events.reverse();
    Ok(Html(
        views::Events {
            chrome: chrome(&me),
            events,
        }
        .render()?,
    ))
}

/// The button of an event's next step: its label and the status it leads to.
fn step_of(status: EventStatus) -> Option<(&'static str, &'static str)> {
    match status {
        EventStatus::Draft => Some(("Announce", "announced")),
        EventStatus::Announced => Some(("Mark as held", "held")),
        EventStatus::Held => Some(("Close the cycle", "closed")),
        EventStatus::Closed | EventStatus::Cancelled => None,
    }
}

async fn event_page(
    state: &AppState,
    me: &SignedIn,
    id: EventId,
    refused: Vec<GateCheck>,
    refused_step: String,
    notice: Option<String>,
    contract_link: Option<String>,
) -> Result<String, WebError> {
    let d = trellis_app::event_page::event_page(&state.store, id, state.now()).await?;
    let holding: Vec<_> = d
        .demos
        .iter()
        .filter(|x| x.status.holds_slot())
        .cloned()
        .collect();
    let mut slots: Vec<Slot> = holding
        .into_iter()
        .enumerate()
        .map(|(i, x)| Slot {
            label: format!("Slot {}", i + 1),
            demo: Some(x),
        })
        .collect();
    for i in slots.len()..d.event.slots as usize {
        slots.push(Slot {
            label: format!("Slot {}", i + 1),
            demo: None,
        });
    }
    let claims = d
        .demos
        .iter()
        .filter(|x| matches!(x.status, DemoStatus::Proposed | DemoStatus::Screened))
        .cloned()
        .collect();
    let attendees = state
        .store
        .attendances_of_event(id)
        .await?
        .into_iter()
        .take(200)
        .map(|a| Attendee {
            person: a.person.0,
            name: a.person_name,
            rsvp: a.rsvp.to_string(),
            checked_in: a.checked_in == CheckedIn::Yes,
        })
        .collect();
    let retro = match state.store.retro(id).await {
        Ok(r) => Some(r),
        Err(StoreError::NotFound { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let after = matches!(d.event.status, EventStatus::Held | EventStatus::Closed);
    let chat = if after {
        Some(chat_view(state, id).await?)
    } else {
        None
    };
    // What the cycle still owes after the event, where the gates' links land (#retro,
    // #followups).
    let (followups, retro_due) = if after {
        let f = state.store.followup_status(id).await?;
        let due = state
            .store
            .dues(Some(d.event.program_id))
            .await?
            .into_iter()
            .find(|x| x.event == id && x.kind == "retro")
            .map(|x| hours_left(x.due_at, state.now()).0);
        (
            Some(views::FollowupsView {
                sent: f.sent,
                minimum: f.minimum,
                answered: f.answered,
                due: hours_left(f.due, state.now()).0,
            }),
            due,
        )
    } else {
        (None, None)
    };
    let refused: Vec<GateView> = reasons::gates(&refused, id);
    let page = views::Event {
        chrome: chrome(me),
        followups,
        retro_due,
        gates: reasons::gates(&d.gates, id),
        retro,
        chat,
        step: step_of(d.event.status),
        d,
        refused_overridable: refused.iter().all(|g| g.overridable),
        refused,
        refused_step,
        slots,
        claims,
        attendees,
        contract_link,
        notice,
    };
    Ok(page.render()?)
}

/// How many of the most negative messages the event page quotes.
const QUOTED: usize = 3;

async fn chat_view(state: &AppState, id: EventId) -> Result<views::ChatView, WebError> {
    let r = trellis_app::listen::preview(&state.store, id, 7).await?;
    let recorded = state
        .store
        .chat_report_recorded(id)
        .await?
        .map(|(at, by)| format!("read by {by} on {}", day(at)));
    let lift = r
        .lift
        .map_or("no messages in the 28 days before".to_owned(), |l| {
            format!("{l:.1}× the 28 days before")
        });
    Ok(views::ChatView {
        has_chat: !r.channels.is_empty(),
        covered: r.covered,
        verdict: r.verdict.as_str(),
        window: format!("{} – {}", day(r.window.from), day(r.window.to)),
        span: r
            .chats_span
            .as_ref()
            .map(|w| format!("{} – {}", day(w.from), day(w.to))),
        summary: format!(
            "{} messages ({lift}) · {} voices, {} new · {} about the event",
            r.messages, r.voices, r.new_voices, r.related.count
        ),
        tone: format!(
            "{} positive, {} neutral, {} negative",
            r.tone.positive, r.tone.neutral, r.tone.negative
        ),
        negatives: r
            .most_negative
            .into_iter()
            .take(QUOTED)
            .map(|m| {
                (
                    m.author,
                    day(m.at),
                    m.text.unwrap_or_else(|| "(text purged)".to_owned()),
                )
            })
            .collect(),
        recorded,
    })
}

/// The date of an instant (in UTC, as the report's window is).
fn day(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%d").to_string()
}

/// The organizer read the discussion report: it is recorded, and a covering one passes
/// the follow-up gate (as `trellis listen report` does).
pub async fn event_listened(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    trellis_app::listen::report(&state.store, &me.ctx(&state), EventId(id), 7).await?;
    state.invalidate();
    Ok(Redirect::to(&format!("/events/{id}")).into_response())
}

pub async fn event(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    Ok(Html(
        event_page(
            &state,
            &me,
            EventId(id),
            Vec::new(),
            String::new(),
            None,
            None,
        )
        .await?,
    ))
}

#[derive(Deserialize)]
pub struct StepForm {
    #[serde(default)]
    csrf: String,
    override_reason: Option<String>,
    cancel: Option<String>,
}

/// A refused action: the event page again, with the reasons and the override form.
async fn refused(
    state: &AppState,
    me: &SignedIn,
    id: EventId,
    r: trellis_store::Refusal,
    what: &str,
) -> Result<Response, WebError> {
    let checks: Vec<GateCheck> = GateCheck::blocked(&r.decision);
    let html = event_page(state, me, id, checks, what.to_owned(), None, None).await?;
    Ok((StatusCode::CONFLICT, Html(html)).into_response())
}

pub async fn event_step(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let id = EventId(id);
    let current = state.store.event(id).await?;
    let to = if f.cancel.is_some() {
        EventStatus::Cancelled
    } else {
        step_of(current.status)
            .map(|(_, to)| to)
            .and_then(|to| to.parse().ok())
            .ok_or_else(|| WebError::BadRequest("The event is finished.".into()))?
    };
    let label = step_of(current.status)
        .map_or("change", |(l, _)| l)
        .to_lowercase();
    let reason = f
        .override_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    match state
        .store
        .set_event_status(&me.ctx(&state), id, to, reason)
        .await
    {
        Ok(_) => {
            state.invalidate();
            Ok(Redirect::to(&format!("/events/{id}")).into_response())
        }
        Err(StoreError::Refused(r)) => refused(&state, &me, id, r, &label).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct DemoForm {
    #[serde(default)]
    csrf: String,
    live_demo: Option<String>,
    built_it: Option<String>,
    fits_time: Option<String>,
    wip_welcome: Option<String>,
    override_reason: Option<String>,
}

pub async fn demo_action(
    State(state): State<AppState>,
    me: SignedIn,
    Path((id, action)): Path<(i64, String)>,
    Form(f): Form<DemoForm>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let id = DemoId(id);
    let ctx = me.ctx(&state);
    let store = &state.store;
    let demo = store.demo(id).await?;
    let result = match action.as_str() {
        "screen" => {
            let checklist = Checklist {
                live_demo: f.live_demo.is_some(),
                built_it: f.built_it.is_some(),
                fits_time: f.fits_time.is_some(),
                wip_welcome: f.wip_welcome.is_some(),
            };
            store
                .screen_demo(
                    &ctx,
                    id,
                    &ScreeningInput {
                        passed: true,
                        checklist: Some(checklist),
                        note: None,
                    },
                )
                .await
                .map(|_| ())
        }
        "contract" => store.accept_contract(&ctx, id).await.map(|_| ()),
        "confirm" => store
            .confirm_demo(
                &ctx,
                id,
                f.override_reason
                    .as_deref()
                    .map(str::trim)
                    .filter(|r| !r.is_empty()),
            )
            .await
            .map(|_| ()),
        "presented" => store
            .set_demo_outcome(&ctx, id, DemoStatus::Presented)
            .await
            .map(|_| ()),
        "withdraw" => store
            .set_demo_outcome(&ctx, id, DemoStatus::Withdrawn)
            .await
            .map(|_| ()),
        "link" => {
            let token = store.contract_link(&ctx, id).await?;
            let link = format!("{}/c/{token}", state.public_url);
            let html = event_page(
                &state,
                &me,
                demo.event,
                Vec::new(),
                String::new(),
                None,
                Some(link),
            )
            .await?;
            return Ok(Html(html).into_response());
        }
        _ => return Err(WebError::NotFound),
    };
    match result {
        Ok(()) => {
            state.invalidate();
            Ok(Redirect::to(&format!("/events/{}#demo-{id}", demo.event)).into_response())
        }
        Err(StoreError::Refused(r)) => {
            refused(&state, &me, demo.event, r, &format!("confirming demo {id}")).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub async fn check_in(
    State(state): State<AppState>,
    me: SignedIn,
    Path((event, person)): Path<(i64, i64)>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let input = AttendanceInput {
        event: EventId(event),
        person: PersonId(person),
        rsvp: None,
        checked_in: Some(CheckedIn::Yes),
        source: "web".into(),
    };
    state.store.attend(&me.ctx(&state), &input).await?;
    state.invalidate();
    Ok(Redirect::to(&format!("/events/{event}")).into_response())
}
