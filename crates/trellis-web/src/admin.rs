//! Admins manage users and program settings; organizers and viewers cannot reach it.

use crate::auth::SignedIn;
use crate::pages::{Chrome, chrome};
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use trellis_core::access::Role;
use trellis_core::program::SettingsInput;
use trellis_core::{CoreError, ProgramId};
use trellis_store::StoreError;

#[derive(Template)]
#[template(path = "admin.html")]
pub struct Admin {
    pub chrome: Chrome,
    pub users: Vec<trellis_app::accounts::User>,
    pub programs: Vec<ProgramRow>,
    pub notice: Option<String>,
    /// The add-a-user form as typed (the password never comes back).
    pub new_user: NewUser,
}

/// A program's settings form on the admin page: its values (as stored, or as typed when
/// refused), the messages at its fields, and its chat keywords.
pub struct ProgramRow {
    pub id: i64,
    pub name: String,
    pub fields: Vec<SettingField>,
    /// Space-separated.
    pub keywords: String,
    pub keywords_error: Option<String>,
    /// Its reminder settings' form (`admin_notify`).
    pub notify: crate::admin_notify::NotifyForm,
}

/// One setting's field.
pub struct SettingField {
    pub name: &'static str,
    pub label: &'static str,
    pub min: u32,
    pub max: u32,
    pub value: String,
    pub error: Option<String>,
}

/// The settings form's fields: name, label, bounds (as the core checks them).
const SETTINGS: [(&str, &str, u32, u32); 6] = [
    ("demo_target", "Confirmed demos needed to announce", 0, 100),
    ("slots", "Demo slots per new event", 0, 100),
    ("followup_minimum", "Follow-up minimum", 0, 1000),
    ("retro_hours", "Retro due (hours after the event)", 1, 720),
    ("moves_per_event", "Pipeline moves per event", 0, 100),
    (
        "demos_per_presenter",
        "Confirmed demos per presenter",
        1,
        100,
    ),
];

impl ProgramRow {
    /// The form of a program as stored.
    fn stored(
        p: &trellis_core::program::Program,
        keywords: String,
        notify: crate::admin_notify::NotifyForm,
    ) -> ProgramRow {
        let s = &p.settings;
        let values = [
            s.demo_target,
            s.default_slots,
            s.followup_minimum,
            s.retro_hours,
            s.moves_per_event,
            s.demos_per_presenter,
        ];
        ProgramRow {
            id: p.id.0,
            name: p.name.clone(),
            fields: SETTINGS
                .iter()
                .zip(values)
                .map(|(&(name, label, min, max), v)| SettingField {
                    name,
                    label,
                    min,
                    max,
                    value: v.to_string(),
                    error: None,
                })
                .collect(),
            keywords,
            keywords_error: None,
            notify,
        }
    }
}

/// The add-a-user form's values and the messages at its fields.
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: String,
    /// The one program an organizer or viewer reaches; blank: every program.
    pub program: String,
    pub email_error: Option<String>,
    pub name_error: Option<String>,
    pub role_error: Option<String>,
    pub password_error: Option<String>,
}

impl Default for NewUser {
    fn default() -> Self {
        NewUser {
            email: String::new(),
            name: String::new(),
            role: "organizer".into(),
            program: String::new(),
            email_error: None,
            name_error: None,
            role_error: None,
            password_error: None,
        }
    }
}

pub(crate) fn admin_only(me: &SignedIn) -> Result<(), WebError> {
    if me.user.role.may_administer() {
        Ok(())
    } else {
        Err(WebError::Forbidden(format!(
            "{} is not an admin: admins manage users and program settings.",
            me.user.name
        )))
    }
}

async fn page(
    state: &AppState,
    me: &SignedIn,
    notice: Option<String>,
) -> Result<Html<String>, WebError> {
    page_with(state, me, notice, NewUser::default(), None, None).await
}

/// The admin page; `typed` replaces its program's settings form (a refused one), and
/// `typed_notify` a program's reminder form.
pub(crate) async fn page_with(
    state: &AppState,
    me: &SignedIn,
    notice: Option<String>,
    new_user: NewUser,
    mut typed: Option<ProgramRow>,
    mut typed_notify: Option<(i64, crate::admin_notify::NotifyForm)>,
) -> Result<Html<String>, WebError> {
    let users = trellis_app::accounts::users(&state.store).await?;
    let mut programs = Vec::new();
    for p in state.store.list_programs().await? {
        let notify = match typed_notify.take_if(|(id, _)| *id == p.id.0) {
            Some((_, form)) => form,
            None => trellis_app::notify_settings::show(&state.store, &p.id.0.to_string())
                .await?
                .into(),
        };
        match typed.take_if(|t| t.id == p.id.0) {
            Some(mut row) => {
                row.notify = notify;
                programs.push(row);
            }
            None => {
                let keywords = state.store.chat_keywords(p.id).await?.join(" ");
                programs.push(ProgramRow::stored(&p, keywords, notify));
            }
        }
    }
    Ok(Html(
        Admin {
            chrome: chrome(me),
            users,
            programs,
            notice,
            new_user,
        }
        .render()?,
    ))
}

pub async fn show(State(state): State<AppState>, me: SignedIn) -> Result<Html<String>, WebError> {
    admin_only(&me)?;
    page(&state, &me, None).await
}

#[derive(Deserialize)]
pub struct UserForm {
    #[serde(default)]
    csrf: String,
    email: String,
    name: String,
    role: String,
    password: String,
    #[serde(default)]
    program: String,
}

pub async fn add_user(
    State(state): State<AppState>,
    me: SignedIn,
    Form(f): Form<UserForm>,
) -> Result<Response, WebError> {
    admin_only(&me)?;
    me.check_form(&f.csrf)?;
    let mut typed = NewUser {
        email: f.email.clone(),
        name: f.name.clone(),
        role: f.role.clone(),
        program: f.program.clone(),
        ..NewUser::default()
    };
    let program = f.program.trim().parse::<i64>().ok().map(ProgramId);
    if program.is_some() && f.role == "admin" {
        typed.role_error = Some("An admin reaches every program: choose “every program”.".into());
    }
    let role: Option<Role> = f.role.parse().ok();
    if role.is_none() {
        typed.role_error = Some("Choose viewer, organizer or admin.".into());
    }
    if f.password.chars().count() < 10 {
        typed.password_error = Some("The password must be at least 10 characters.".into());
    }
    let normal = trellis_core::person::normalise_email(&f.email).ok();
    let taken = match &normal {
        Some(n) => state.store.users().await?.iter().any(|u| &u.email == n),
        None => false,
    };
    if taken {
        typed.email_error = Some("A user with this e-mail already exists.".into());
    }
    let fine = typed.password_error.is_none() && typed.role_error.is_none() && !taken;
    let Some(role) = role.filter(|_| fine) else {
        return refill(&state, &me, typed).await;
    };
    let hash = crate::auth::hash_password(&f.password).map_err(WebError::BadRequest)?;
    match state
        .store
        .create_user_in(
            &me.ctx(&state),
            &f.email,
            &f.name,
            role,
            &hash,
            program.as_ref().map(std::slice::from_ref),
        )
        .await
    {
        Ok(u) => Ok(page(
            &state,
            &me,
            Some(format!("{} can now log in as {}.", u.name, u.role)),
        )
        .await?
        .into_response()),
        // Someone added the same e-mail meanwhile.
        Err(StoreError::Conflict(_)) => {
            typed.email_error = Some("A user with this e-mail already exists.".into());
            refill(&state, &me, typed).await
        }
        Err(StoreError::Invalid(CoreError::Invalid { field, .. })) if field.0 == "name" => {
            typed.name_error = Some("Give a name (200 characters at most).".into());
            refill(&state, &me, typed).await
        }
        Err(StoreError::Invalid(_)) => {
            typed.email_error = Some("That is not an e-mail address.".into());
            refill(&state, &me, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The admin page again, the add-a-user form holding what was typed.
async fn refill(state: &AppState, me: &SignedIn, typed: NewUser) -> Result<Response, WebError> {
    let html = page_with(state, me, None, typed, None, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

/// The settings form as typed: each value is read here, so that a wrong one comes back
/// with its message at its field. A field left out keeps the program's setting.
#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    csrf: String,
    demo_target: Option<String>,
    slots: Option<String>,
    followup_minimum: Option<String>,
    retro_hours: Option<String>,
    moves_per_event: Option<String>,
    demos_per_presenter: Option<String>,
    /// The program's keywords for the chat reports, separated by spaces or commas.
    #[serde(default)]
    keywords: String,
}

impl SettingsForm {
    fn typed(&self) -> [Option<&String>; 6] {
        [
            self.demo_target.as_ref(),
            self.slots.as_ref(),
            self.followup_minimum.as_ref(),
            self.retro_hours.as_ref(),
            self.moves_per_event.as_ref(),
            self.demos_per_presenter.as_ref(),
        ]
    }
}

/// A core error's words at a field: "“-1” must be at least 0."
fn at_field(e: &CoreError) -> (String, String) {
    match e {
        CoreError::Invalid {
            field,
            value,
            problem,
        } => (field.0.clone(), format!("“{value}” {problem}.")),
        other => (String::new(), other.to_string()),
    }
}

/// Reads the form over the program's stored settings: the settings and keywords to save,
/// or the form again with the messages at its fields.
fn read_settings(
    f: &SettingsForm,
    mut row: ProgramRow,
    stored: trellis_core::program::ProgramSettings,
) -> Result<(trellis_core::program::ProgramSettings, Vec<String>), Box<ProgramRow>> {
    let mut numbers = [None; 6];
    for ((field, typed), number) in row.fields.iter_mut().zip(f.typed()).zip(&mut numbers) {
        let Some(text) = typed else { continue };
        field.value = text.clone();
        match text.trim().parse::<i64>() {
            Ok(v) => *number = Some(v),
            Err(_) => field.error = Some(format!("“{}” is not a whole number.", text.trim())),
        }
    }
    row.keywords = f.keywords.clone();
    let keywords: Result<Vec<String>, CoreError> = f
        .keywords
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(trellis_core::listen::keyword)
        .collect();
    let settings = SettingsInput {
        demo_target: numbers[0],
        slots: numbers[1],
        followup_minimum: numbers[2],
        retro_hours: numbers[3],
        moves_per_event: numbers[4],
        demos_per_presenter: numbers[5],
    }
    .resolve_over(stored);
    if let Err(e) = &settings {
        let (name, text) = at_field(e);
        match row.fields.iter_mut().find(|x| x.name == name) {
            Some(field) => field.error = field.error.take().or(Some(text)),
            None => row.keywords_error = Some(text),
        }
    }
    if let Err(e) = &keywords {
        row.keywords_error = Some(at_field(e).1);
    }
    match (settings, keywords) {
        (Ok(s), Ok(k)) if row.fields.iter().all(|x| x.error.is_none()) => Ok((s, k)),
        _ => Err(Box::new(row)),
    }
}

pub async fn settings(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<SettingsForm>,
) -> Result<Response, WebError> {
    admin_only(&me)?;
    me.check_form(&f.csrf)?;
    let program = state.store.program(ProgramId(id)).await?;
    let notify = trellis_app::notify_settings::show(&state.store, &id.to_string()).await?;
    let row = ProgramRow::stored(&program, String::new(), notify.into());
    // Checked before anything is saved, so a bad value or keyword changes nothing.
    let (s, keywords) = match read_settings(&f, row, program.settings) {
        Ok(ok) => ok,
        Err(row) => {
            let html = page_with(&state, &me, None, NewUser::default(), Some(*row), None).await?;
            return Ok((StatusCode::BAD_REQUEST, html).into_response());
        }
    };
    let p = state
        .store
        .update_program_settings(ProgramId(id), &s)
        .await?;
    state.store.set_chat_keywords(p.id, &keywords).await?;
    state.invalidate();
    Ok(
        page(&state, &me, Some(format!("Settings of {} saved.", p.name)))
            .await?
            .into_response(),
    )
}
