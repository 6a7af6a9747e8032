//! The admin page's reminder settings per program (which kinds go, how early, the
//! weekly digest, the webhook) and the calendar feed's secret address, which an admin
//! makes or replaces after a confirmation page.

use crate::admin::{NewUser, admin_only, page_with};
use crate::auth::SignedIn;
use crate::pages::{Chrome, chrome};
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::post;
use trellis_app::notify_settings::{NotifySettingsView, SettingsChange};
use trellis_core::ProgramId;
use trellis_core::notify_settings::GROUPS;

pub(crate) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/admin/programs/{id}/notify", post(save))
        .route("/admin/programs/{id}/calendar", post(calendar))
}

/// One kind's checkbox.
pub struct KindBox {
    pub name: &'static str,
    pub label: &'static str,
    pub on: bool,
}

/// A program's reminder form: as stored, or as typed when refused.
pub struct NotifyForm {
    pub kinds: Vec<KindBox>,
    pub short_days: String,
    pub short_error: Option<String>,
    pub contract_days: String,
    pub contract_error: Option<String>,
    pub weekly_digest: bool,
    pub webhook_url: String,
    pub webhook_error: Option<String>,
    /// Whether a calendar address exists.
    pub calendar: bool,
}

impl From<NotifySettingsView> for NotifyForm {
    fn from(v: NotifySettingsView) -> Self {
        NotifyForm {
            kinds: v
                .kinds
                .iter()
                .map(|k| KindBox {
                    name: k.name,
                    label: k.label,
                    on: k.on,
                })
                .collect(),
            short_days: v.short_of_demos_days.to_string(),
            short_error: None,
            contract_days: v.contract_reminder_days.to_string(),
            contract_error: None,
            weekly_digest: v.weekly_digest,
            webhook_url: v.webhook_url.unwrap_or_default(),
            webhook_error: None,
            calendar: v.calendar,
        }
    }
}

/// The form as typed: pairs, since a checkbox left unticked sends nothing.
type Pairs = Vec<(String, String)>;

fn value<'a>(f: &'a Pairs, name: &str) -> Option<&'a str> {
    f.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Reads the typed form into a change, or the form again with messages at its fields.
fn read(f: &Pairs, calendar: bool) -> Result<SettingsChange, Box<NotifyForm>> {
    let mut form = NotifyForm {
        kinds: GROUPS
            .iter()
            .map(|&(name, label)| KindBox {
                name,
                label,
                on: value(f, &format!("kind_{name}")).is_some(),
            })
            .collect(),
        short_days: value(f, "short_of_demos_days")
            .unwrap_or_default()
            .to_owned(),
        short_error: None,
        contract_days: value(f, "contract_reminder_days")
            .unwrap_or_default()
            .to_owned(),
        contract_error: None,
        weekly_digest: value(f, "weekly_digest").is_some(),
        webhook_url: value(f, "webhook_url")
            .unwrap_or_default()
            .trim()
            .to_owned(),
        webhook_error: None,
        calendar,
    };
    let short = days(&form.short_days, &mut form.short_error);
    let contract = days(&form.contract_days, &mut form.contract_error);
    let change = SettingsChange {
        off: Some(
            form.kinds
                .iter()
                .filter(|k| !k.on)
                .map(|k| k.name.to_owned())
                .collect(),
        ),
        short_of_demos_days: short,
        contract_reminder_days: contract,
        weekly_digest: Some(form.weekly_digest),
        webhook_url: Some(form.webhook_url.clone()),
        ..SettingsChange::default()
    };
    // Checked whole by the core, so the bounds are said in one place.
    if let Err(e) = change
        .clone()
        .over(trellis_core::notify_settings::NotifySettings::default())
    {
        let text = match &e {
            trellis_app::AppError::Core(trellis_core::CoreError::Invalid {
                field,
                value,
                problem,
            }) => (field.0.clone(), format!("“{value}” {problem}.")),
            other => (String::new(), other.to_string()),
        };
        match text.0.as_str() {
            "short_of_demos_days" => form.short_error = Some(text.1),
            "contract_reminder_days" => form.contract_error = Some(text.1),
            _ => form.webhook_error = Some(text.1),
        }
    }
    let fine =
        form.short_error.is_none() && form.contract_error.is_none() && form.webhook_error.is_none();
    if fine {
        Ok(change)
    } else {
        Err(Box::new(form))
    }
}

fn days(text: &str, error: &mut Option<String>) -> Option<u32> {
    match text.trim().parse::<u32>() {
        Ok(d) => Some(d),
        Err(_) => {
            *error = Some(format!("“{}” is not a whole number of days.", text.trim()));
            None
        }
    }
}

/// An admin's valid form about an existing program: the program, and whether it has a
/// calendar address.
async fn admitted(
    state: &AppState,
    me: &SignedIn,
    id: i64,
    f: &Pairs,
) -> Result<(trellis_core::program::Program, bool), WebError> {
    admin_only(me)?;
    me.check_form(value(f, "csrf").unwrap_or_default())?;
    let program = state.store.program(ProgramId(id)).await?;
    let calendar = state.store.has_calendar_secret(program.id).await?;
    Ok((program, calendar))
}

/// The admin page again, with a notice.
async fn with_notice(
    state: &AppState,
    me: &SignedIn,
    notice: String,
) -> Result<Response, WebError> {
    Ok(
        page_with(state, me, Some(notice), NewUser::default(), None, None)
            .await?
            .into_response(),
    )
}

async fn save(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let (program, calendar) = admitted(&state, &me, id, &f).await?;
    let change = match read(&f, calendar) {
        Ok(c) => c,
        Err(form) => {
            let html = page_with(
                &state,
                &me,
                None,
                NewUser::default(),
                None,
                Some((id, *form)),
            )
            .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
        }
    };
    trellis_app::notify_settings::update(&state.store, &id.to_string(), change).await?;
    state.invalidate();
    with_notice(&state, &me, format!("Reminders of {} saved.", program.name)).await
}

#[derive(Template)]
#[template(path = "confirm_calendar.html")]
pub struct ConfirmCalendar {
    pub chrome: Chrome,
    pub id: i64,
    pub program: String,
    pub replaces: bool,
}

async fn calendar(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let (program, replaces) = admitted(&state, &me, id, &f).await?;
    if value(&f, "confirm") != Some("1") {
        let page = ConfirmCalendar {
            chrome: chrome(&me),
            id,
            program: program.name,
            replaces,
        };
        return Ok(Html(page.render()?).into_response());
    }
    let url =
        trellis_app::notify_settings::rotate_calendar(&state.store, program.id, &state.public_url)
            .await?;
    let notice = format!(
        "{}'s calendar address (shown once; anyone with it can read the calendar): {url}",
        program.name
    );
    with_notice(&state, &me, notice).await
}
