//! The organizer check-in (`/checkin`): the seven burnout questions and the hours after
//! an event. A user is the organizer whose e-mail is their account's; they see their own
//! answers and trend, and nobody else's. Everyone sees each program's index and how many
//! of its organizers are high, never whose answers.

use super::{Chrome, chrome};
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use trellis_app::organizers::{CheckinPage, check_in, checkin_page};
use trellis_core::EventId;
use trellis_core::checkin::ITEMS;

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/checkin", get(show).post(submit))
}

#[derive(Deserialize, Default)]
pub struct CheckinForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub event: String,
    #[serde(default)]
    pub q1: String,
    #[serde(default)]
    pub q2: String,
    #[serde(default)]
    pub q3: String,
    #[serde(default)]
    pub q4: String,
    #[serde(default)]
    pub q5: String,
    #[serde(default)]
    pub q6: String,
    #[serde(default)]
    pub q7: String,
    #[serde(default)]
    pub hours: String,
}

impl CheckinForm {
    fn answers(&self) -> [&str; 7] {
        [
            &self.q1, &self.q2, &self.q3, &self.q4, &self.q5, &self.q6, &self.q7,
        ]
    }
}

/// One question of the form, with what was chosen and what is wrong.
pub struct Question {
    pub n: usize,
    pub text: &'static str,
    pub options: Vec<(u8, &'static str)>,
    pub chosen: Option<u8>,
    pub error: bool,
}

impl Question {
    /// Whether answer `v` was chosen.
    pub fn is(&self, v: &u8) -> bool {
        self.chosen == Some(*v)
    }
}

#[derive(Template)]
#[template(path = "checkin.html")]
pub struct CheckinHtml {
    pub chrome: Chrome,
    pub email: String,
    pub p: CheckinPage,
    pub event: String,
    pub questions: Vec<Question>,
    pub hours: String,
    pub hours_error: Option<String>,
    pub form_error: Option<String>,
    pub trend: String,
}

impl CheckinHtml {
    /// An event's title among the organizer's held events, or its number.
    pub fn title(&self, e: &EventId) -> String {
        self.p
            .events
            .iter()
            .find(|x| x.id == *e)
            .map_or_else(|| format!("event {e}"), |x| x.title.clone())
    }
}

fn render(me: &SignedIn, p: CheckinPage, f: &CheckinForm, errors: [bool; 7]) -> CheckinHtml {
    let chosen = f.answers();
    let questions = ITEMS
        .iter()
        .enumerate()
        .map(|(i, (text, scale))| Question {
            n: i + 1,
            text,
            options: (1u8..).zip(scale.options()).collect(),
            chosen: chosen[i].parse().ok(),
            error: errors[i],
        })
        .collect();
    // The trend in words, oldest first: a few numbers read better than a chart here.
    let trend = p
        .mine
        .iter()
        .map(|c| format!("{:.0}", c.score))
        .collect::<Vec<_>>()
        .join(" → ");
    let event = if f.event.is_empty() {
        // The last held event: the check-in is asked right after it.
        p.events
            .first()
            .map(|e| e.id.to_string())
            .unwrap_or_default()
    } else {
        f.event.clone()
    };
    CheckinHtml {
        chrome: chrome(me),
        email: me.user.email.clone(),
        p,
        event,
        questions,
        hours: f.hours.clone(),
        hours_error: None,
        form_error: None,
        trend,
    }
}

/// The signed-in organizer's check-in page, with only the programs the account reaches:
/// their indexes, and the events to check in after.
async fn page_for(state: &AppState, me: &SignedIn) -> Result<CheckinPage, WebError> {
    let mut p = checkin_page(&state.store, &me.user.email, state.now()).await?;
    p.programs.retain(|x| me.access.may_see(x.program));
    let names: Vec<&str> = p.programs.iter().map(|x| x.name.as_str()).collect();
    p.events.retain(|e| names.contains(&e.program.as_str()));
    Ok(p)
}

/// `GET /checkin`.
pub async fn show(State(state): State<AppState>, me: SignedIn) -> Result<Html<String>, WebError> {
    let p = page_for(&state, &me).await?;
    Ok(Html(
        render(&me, p, &CheckinForm::default(), [false; 7]).render()?,
    ))
}

/// `POST /checkin`: the answers of the signed-in organizer, for the event chosen.
pub async fn submit(
    State(state): State<AppState>,
    me: SignedIn,
    Form(f): Form<CheckinForm>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let p = page_for(&state, &me).await?;
    let Some(organizer) = p.me.as_ref().map(|o| o.id) else {
        return Err(WebError::Forbidden(format!(
            "No organizer on record has the e-mail {}: the check-in is for a program's organizers.",
            me.user.email
        )));
    };
    let mut errors = [false; 7];
    let mut answers = [0u8; 7];
    for (i, raw) in f.answers().iter().enumerate() {
        match raw.parse::<u8>() {
            Ok(v @ 1..=5) => answers[i] = v,
            _ => errors[i] = true,
        }
    }
    let hours = f.hours.trim().replace(',', ".").parse::<f64>();
    let event = f.event.trim().parse::<i64>().map(EventId);
    if errors.contains(&true) || hours.is_err() || event.is_err() {
        let mut page = render(&me, p, &f, errors);
        if hours.is_err() {
            page.hours_error =
                Some("Give the hours you spent on this event, e.g. 6 or 7.5.".into());
        }
        if event.is_err() {
            page.form_error = Some("Choose the event this check-in is about.".into());
        }
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    }
    let (Ok(hours), Ok(event)) = (hours, event) else {
        return Err(WebError::BadRequest("the form could not be read".into()));
    };
    // Check-ins are the host's organizers' (a co-host's do not check in for it).
    if let Some(hosts) = state.store.hosts_of_event(event).await? {
        me.require_act_on(hosts.host)?;
    }
    let ctx = me.ctx(&state);
    match check_in(&state.store, &ctx, organizer, event, answers, hours).await {
        Ok(c) => {
            state.invalidate();
            Ok(Redirect::to(&format!("/checkin#checkin-{}", c.id)).into_response())
        }
        Err(err) => {
            let text = super::board::refusal(err)?;
            let hours_field = text.contains("hours");
            let mut page = render(&me, p, &f, errors);
            if hours_field {
                page.hours_error = Some(text);
            } else {
                page.form_error = Some(text);
            }
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}
