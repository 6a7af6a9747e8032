//! The 48-hour retro in the browser (`GET/POST /events/{id}/retro`): the fixed template
//! as a form, with pickers of the evening's people (or someone added on the spot) for
//! whom to invite and the three follow-up picks; the countdown while it is due, LATE
//! after; the retro shown whole once written.

use super::{Chrome, chrome};
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use trellis_app::AppError;
use trellis_app::retros::{Choice, Named, RetroInput, RetroPage, RetroView};
use trellis_core::retro::PICKS;
use trellis_core::{CoreError, EventId, PersonId};
use trellis_store::StoreError;

/// Three answers of up to 4,000 characters each, percent-encoded, and the pickers.
const RETRO_BODY_BYTES: usize = 64 << 10;

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route(
        "/events/{id}/retro",
        get(show)
            .post(submit)
            .layer(DefaultBodyLimit::max(RETRO_BODY_BYTES)),
    )
}

/// One follow-up slot as typed: whom (a person's id, `new`, or nothing), a new person's
/// name and e-mail, and why; with the messages at its fields.
#[derive(Default, Clone)]
pub struct PickSlot {
    /// 1, 2 or 3.
    pub n: usize,
    pub who: String,
    pub new_name: String,
    pub new_email: String,
    pub why: String,
    pub who_error: Option<String>,
    pub why_error: Option<String>,
}

impl PickSlot {
    pub fn picked(&self, id: &PersonId) -> bool {
        self.who == id.0.to_string()
    }
}

/// The form as typed, with the messages at its fields.
#[derive(Default)]
pub struct RetroForm {
    pub worked: String,
    pub broke: String,
    pub surprised: String,
    pub invite: Vec<i64>,
    pub invite_name: String,
    pub invite_email: String,
    pub picks: Vec<PickSlot>,
    pub csrf: String,
    /// (field, message) of the refusal, for the three answers and the invite list.
    pub error: Option<(String, String)>,
}

impl RetroForm {
    fn blank() -> RetroForm {
        RetroForm {
            picks: (1..=PICKS)
                .map(|n| PickSlot {
                    n,
                    ..PickSlot::default()
                })
                .collect(),
            ..RetroForm::default()
        }
    }

    /// The form from its posted pairs (the invite list repeats its key).
    fn parse(pairs: Vec<(String, String)>) -> RetroForm {
        let mut f = RetroForm::blank();
        for (k, v) in pairs {
            match k.as_str() {
                "csrf" => f.csrf = v,
                "worked" => f.worked = v,
                "broke" => f.broke = v,
                "surprised" => f.surprised = v,
                "invite" => f.invite.extend(v.parse::<i64>().ok()),
                "invite_name" => f.invite_name = v,
                "invite_email" => f.invite_email = v,
                k => {
                    if let Some(i) = slot(k, "pick") {
                        f.picks[i].who = v;
                    } else if let Some(i) = slot(k, "why") {
                        f.picks[i].why = v;
                    } else if let Some(i) = slot(k, "new_name") {
                        f.picks[i].new_name = v;
                    } else if let Some(i) = slot(k, "new_email") {
                        f.picks[i].new_email = v;
                    }
                }
            }
        }
        f
    }

    /// What the app is asked to write.
    fn input(&self) -> RetroInput {
        let mut invite: Vec<Named> = self
            .invite
            .iter()
            .map(|id| Named::Known(PersonId(*id)))
            .collect();
        if !self.invite_name.trim().is_empty() || !self.invite_email.trim().is_empty() {
            invite.push(Named::New {
                name: self.invite_name.clone(),
                email: self.invite_email.clone(),
            });
        }
        let picks = self
            .picks
            .iter()
            .map(|p| {
                // A new person's fields filled in say "someone new", the list left alone.
                let typed_new = !p.new_name.trim().is_empty() || !p.new_email.trim().is_empty();
                let who = match p.who.as_str() {
                    "new" => Some(Named::New {
                        name: p.new_name.clone(),
                        email: p.new_email.clone(),
                    }),
                    "" if typed_new => Some(Named::New {
                        name: p.new_name.clone(),
                        email: p.new_email.clone(),
                    }),
                    id => id.parse::<i64>().ok().map(|id| Named::Known(PersonId(id))),
                };
                (who, p.why.clone())
            })
            .collect();
        RetroInput {
            worked: self.worked.clone(),
            broke: self.broke.clone(),
            surprised: self.surprised.clone(),
            invite,
            picks,
        }
    }

    /// Puts a refusal's message at its field.
    fn place(&mut self, field: &str, message: String) {
        let slot = |prefix: &str| slot(field, prefix);
        if let Some(i) = slot("pick") {
            self.picks[i].who_error = Some(message);
        } else if let Some(i) = slot("why") {
            self.picks[i].why_error = Some(message);
        } else {
            self.error = Some((field.to_owned(), message));
        }
    }

    pub fn invited(&self, id: &PersonId) -> bool {
        self.invite.contains(&id.0)
    }

    /// The message at `field` (one of the answers, `invite`, or `general`).
    pub fn error_at(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// The follow-up slot (0-based) a field such as `why2` belongs to.
fn slot(field: &str, prefix: &str) -> Option<usize> {
    field
        .strip_prefix(prefix)
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| (1..=PICKS).contains(n))
        .map(|n| n - 1)
}

#[derive(Template)]
#[template(path = "retro.html")]
pub struct Retro {
    pub chrome: Chrome,
    pub p: RetroPage,
    pub f: RetroForm,
    /// "due in 31 h" / "LATE: 3 days late", and the due time in the event's zone.
    pub due: Option<(String, bool, String)>,
    pub held: bool,
}

impl Retro {
    fn written(&self) -> Option<&RetroView> {
        self.p.retro.as_ref()
    }

    fn people(&self) -> &[Choice] {
        &self.p.people
    }
}

/// "due in 31 h" (or days), "LATE: 5 h late" after; with the due time in the event's zone.
fn countdown(
    due: jiff::Timestamp,
    now: jiff::Timestamp,
    tz: &jiff::tz::TimeZone,
    tz_name: &str,
) -> (String, bool, String) {
    let h = due.duration_since(now).as_hours();
    let words = match h {
        h if h >= 48 => format!("due in {} days", h / 24),
        h if h >= 0 => format!("due in {h} h"),
        h if h > -48 => format!("{} h late", -h),
        h => format!("{} days late", -h / 24),
    };
    (words, h < 0, local_time(due, tz, tz_name))
}

/// "Sat 14 Nov 2026, 18:30 (Europe/Berlin)": a due time where the event is.
pub(crate) fn local_time(at: jiff::Timestamp, tz: &jiff::tz::TimeZone, tz_name: &str) -> String {
    let local = at
        .to_zoned_datetime(tz.clone())
        .strftime("%a %-d %b %Y, %H:%M");
    format!("{local} ({tz_name})")
}

async fn render(
    state: &AppState,
    me: &SignedIn,
    event: EventId,
    f: RetroForm,
) -> Result<String, WebError> {
    let p = trellis_app::retros::page(&state.store, event, state.now()).await?;
    let held = matches!(
        p.event.status,
        trellis_core::event::EventStatus::Held | trellis_core::event::EventStatus::Closed
    );
    let due = p
        .due_at
        .map(|d| countdown(d, state.now(), p.event.starts_at.time_zone(), &p.event.tz));
    let page = Retro {
        chrome: chrome(me),
        p,
        f,
        due,
        held,
    };
    Ok(page.render()?)
}

/// `GET /events/{id}/retro`.
pub async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    Ok(Html(
        render(&state, &me, EventId(id), RetroForm::blank()).await?,
    ))
}

/// `POST /events/{id}/retro`: written, or the form again with what was typed and the
/// message at its field.
pub async fn submit(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let mut f = RetroForm::parse(pairs);
    me.check_form(&f.csrf)?;
    let event = EventId(id);
    let input = f.input();
    let named: Vec<PersonId> = input
        .invite
        .iter()
        .chain(input.picks.iter().filter_map(|(who, _)| who.as_ref()))
        .filter_map(|n| match n {
            Named::Known(p) => Some(*p),
            Named::New { .. } => None,
        })
        .collect();
    super::people::may_name(&state, &me, &named).await?;
    match trellis_app::retros::write(&state.store, &me.ctx(&state), event, &input).await {
        Ok(_) => {
            state.invalidate();
            Ok(Redirect::to(&format!("/events/{id}/retro")).into_response())
        }
        Err(err) => {
            let (field, message) = at_field(err)?;
            f.place(&field, message);
            let html = render(&state, &me, event, f).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
    }
}

/// A refused retro as (field, message); anything else is the error page's.
fn at_field(err: AppError) -> Result<(String, String), WebError> {
    match err {
        AppError::Core(CoreError::At { place, problem })
        | AppError::Store(StoreError::Invalid(CoreError::At { place, problem })) => {
            // The store names a person who does not resolve at `invite` / `follow_up`.
            let field = match place.as_str() {
                "follow_up" => "pick1".to_owned(),
                _ => place,
            };
            Ok((field, problem))
        }
        AppError::Store(StoreError::Invalid(CoreError::Invalid { value, problem, .. })) => {
            Ok(("general".to_owned(), format!("“{value}” {problem}.")))
        }
        other => Err(other.into()),
    }
}
