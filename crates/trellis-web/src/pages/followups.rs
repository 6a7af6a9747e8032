//! An event's follow-ups in the browser (`/events/{id}/followups`): the people to ask
//! with why, each one's message ready to copy, "mark as sent" per channel (a form link is
//! made when it is marked, and shown that once), e-mail where the server has a mail
//! server, and the answers as they arrive against the minimum and the due time.

use super::{Chrome, chrome, organizer_only};
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use trellis_app::followups::{FollowupsPage, SentFollowup};
use trellis_core::event::EventStatus;
use trellis_core::followup::{Channel, Outcome};
use trellis_core::{EventId, PersonId};
use trellis_store::StoreError;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/events/{id}/followups", get(show).post(send))
        .route("/events/{id}/followups/{f}/answer", post(answer))
}

/// The channels a follow-up is marked sent by, and their buttons' words.
const CHANNELS: [(&str, &str); 3] = [
    ("message", "Sent as a message"),
    ("chat", "Asked in the chat"),
    ("form", "Make a form link"),
];

/// What a POST leaves on the page: a form link made now (shown this once), mail sent, or
/// a refusal at the person's row.
#[derive(Default)]
pub struct Outcomes {
    /// (name, the message with its link).
    pub made: Option<(String, String)>,
    pub notice: Option<String>,
    /// (person, message) of a refused send.
    pub refused: Option<(i64, String)>,
}

#[derive(Template)]
#[template(path = "followups.html")]
pub struct Followups {
    pub chrome: Chrome,
    pub event: EventId,
    pub p: FollowupsPage,
    /// "5 days late" / "3 days left", and the due time in the event's zone.
    pub due: (String, bool, String),
    pub channels: [(&'static str, &'static str); 3],
    pub outcomes: &'static [Outcome],
    pub mail: bool,
    pub x: Outcomes,
}

impl Followups {
    fn refused_at(&self, person: &PersonId) -> Option<&str> {
        self.x
            .refused
            .as_ref()
            .filter(|(p, _)| *p == person.0)
            .map(|(_, m)| m.as_str())
    }

    /// A refusal about someone the list no longer shows (already asked, say): said above it.
    fn refused_elsewhere(&self) -> Option<&str> {
        self.x
            .refused
            .as_ref()
            .filter(|(p, _)| !self.p.to_ask.iter().any(|a| a.person.person.0 == *p))
            .map(|(_, m)| m.as_str())
    }

    /// The minimum still to reach.
    fn missing(&self) -> u32 {
        self.p.status.minimum.saturating_sub(self.p.status.sent)
    }
}

async fn render(
    state: &AppState,
    me: &SignedIn,
    event: EventId,
    x: Outcomes,
) -> Result<String, WebError> {
    let p = trellis_app::followups::page(&state.store, event, state.now()).await?;
    let ev = state.store.event(event).await?;
    let (words, late) = super::hours_left(p.status.due, state.now());
    let local = super::retro::local_time(p.status.due, ev.starts_at.time_zone(), &ev.tz);
    let page = Followups {
        chrome: chrome(me),
        event,
        p,
        due: (words, late, local),
        channels: CHANNELS,
        outcomes: Outcome::ALL,
        mail: state.mailer.is_some(),
        x,
    };
    Ok(page.render()?)
}

/// `GET /events/{id}/followups`.
pub async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let ev = state.store.event(EventId(id)).await?;
    if !matches!(ev.status, EventStatus::Held | EventStatus::Closed) {
        let message = format!(
            "Follow-ups are asked after the event is held; “{}” is {}.",
            ev.title, ev.status
        );
        return Ok(crate::error::page(
            StatusCode::OK,
            "No follow-ups yet",
            &message,
        ));
    }
    Ok(Html(render(&state, &me, EventId(id), Outcomes::default()).await?).into_response())
}

#[derive(Deserialize)]
pub struct SendForm {
    #[serde(default)]
    csrf: String,
    person: i64,
    /// `message`, `chat`, `form`, or `email`.
    #[serde(default)]
    channel: String,
}

/// `POST /events/{id}/followups`: one person marked asked by a channel, or mailed.
pub async fn send(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<SendForm>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let event = EventId(id);
    let person = PersonId(f.person);
    super::people::may_name(&state, &me, &[person]).await?;
    if f.channel == "email" {
        let x = mail(&state, &me, event, person).await?;
        return Ok(Html(render(&state, &me, event, x).await?).into_response());
    }
    let channel: Channel = f
        .channel
        .parse()
        .map_err(|_| WebError::BadRequest("That channel is not one of the choices.".into()))?;
    let sent = state
        .store
        .send_followup(&me.ctx(&state), event, person, channel, &state.public_url)
        .await;
    match sent {
        Ok(s) => {
            state.invalidate();
            let s = SentFollowup::from(s);
            if s.link.is_none() {
                return Ok(Redirect::to(&format!("/events/{id}/followups#asked")).into_response());
            }
            // The link's token is kept only as a digest: shown now, or never.
            let name = state.store.person(person).await?.name;
            let x = Outcomes {
                made: Some((name, s.message)),
                ..Outcomes::default()
            };
            Ok(Html(render(&state, &me, event, x).await?).into_response())
        }
        Err(e @ (StoreError::Conflict(_) | StoreError::Invalid(_))) => {
            let x = Outcomes {
                refused: Some((person.0, refusal(&e))),
                ..Outcomes::default()
            };
            let html = render(&state, &me, event, x).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// A refused send in the page's words.
fn refusal(e: &StoreError) -> String {
    match e {
        StoreError::Invalid(trellis_core::CoreError::Invalid { problem, .. }) => {
            format!("Not recorded: {problem}.")
        }
        other => format!("Not recorded: {other}."),
    }
}

/// One person's follow-up by e-mail: recorded, put in the outbox and sent.
async fn mail(
    state: &AppState,
    me: &SignedIn,
    event: EventId,
    person: PersonId,
) -> Result<Outcomes, WebError> {
    let Some(mailer) = &state.mailer else {
        return Err(WebError::BadRequest(
            "This server sends no e-mail: mark the follow-up sent by the channel you used.".into(),
        ));
    };
    let r = trellis_app::followup_mail::send(
        &state.store,
        &me.ctx(state),
        mailer,
        &state.public_url,
        event,
        &[person],
        state.clock,
    )
    .await?;
    state.invalidate();
    let mut x = Outcomes::default();
    if let Some(m) = r.people.first() {
        match (m.skipped, &m.to) {
            (Some(why), _) => x.refused = Some((person.0, format!("Not mailed: {why}."))),
            (None, Some(to)) if r.sent.sent > 0 => {
                x.notice = Some(format!("Mailed {} at {to}.", m.name));
            }
            (None, _) => {
                x.notice = Some(format!(
                    "{}'s e-mail is recorded and waits in the outbox: the mail server did not take it yet; it is tried again.",
                    m.name
                ));
            }
        }
    }
    Ok(x)
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    outcome: String,
}

/// `POST /events/{id}/followups/{f}/answer`: an answer that came by message or in the
/// chat, recorded by the organizer.
pub async fn answer(
    State(state): State<AppState>,
    me: SignedIn,
    Path((id, f)): Path<(i64, i64)>,
    Form(a): Form<AnswerForm>,
) -> Result<Response, WebError> {
    me.check_form(&a.csrf)?;
    organizer_only(&me)?;
    let outcome: Option<Outcome> =
        match a.outcome.trim() {
            "" => None,
            o => Some(o.parse().map_err(|_| {
                WebError::BadRequest("That outcome is not one of the choices.".into())
            })?),
        };
    if a.text.trim().is_empty() {
        return Err(WebError::BadRequest(
            "Write down what they answered: a sentence is enough.".into(),
        ));
    }
    // The follow-up of this event, not one of another reached by its id.
    let of_event = state.store.followup_status(EventId(id)).await?;
    if !of_event.followups.iter().any(|x| x.id == f) {
        return Err(WebError::NotFound);
    }
    state
        .store
        .answer_followup(&me.ctx(&state), &f.to_string(), a.text.trim(), outcome)
        .await?;
    state.invalidate();
    Ok(Redirect::to(&format!("/events/{id}/followups#followup-{f}")).into_response())
}
