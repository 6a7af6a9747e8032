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
    pub users: Vec<trellis_store::web::User>,
    pub programs: Vec<ProgramRow>,
    pub notice: Option<String>,
    /// The add-a-user form as typed (the password never comes back).
    pub new_user: NewUser,
}

/// A program on the admin page, with its chat keywords.
pub struct ProgramRow {
    pub p: trellis_core::program::Program,
    /// Space-separated.
    pub keywords: String,
}

/// The add-a-user form's values and the messages at its fields.
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: String,
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
            email_error: None,
            name_error: None,
            role_error: None,
            password_error: None,
        }
    }
}

fn admin_only(me: &SignedIn) -> Result<(), WebError> {
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
    page_with(state, me, notice, NewUser::default()).await
}

async fn page_with(
    state: &AppState,
    me: &SignedIn,
    notice: Option<String>,
    new_user: NewUser,
) -> Result<Html<String>, WebError> {
    let users = state.store.users().await?;
    let mut programs = Vec::new();
    for p in state.store.list_programs().await? {
        let keywords = state.store.chat_keywords(p.id).await?.join(" ");
        programs.push(ProgramRow { p, keywords });
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
        ..NewUser::default()
    };
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
    let Some(role) = role.filter(|_| typed.password_error.is_none() && !taken) else {
        return refill(&state, &me, typed).await;
    };
    let hash = crate::auth::hash_password(&f.password).map_err(WebError::BadRequest)?;
    match state
        .store
        .create_user(&me.ctx(&state), &f.email, &f.name, role, &hash)
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
    let html = page_with(state, me, None, typed).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    csrf: String,
    demo_target: i64,
    slots: i64,
    followup_minimum: i64,
    retro_hours: i64,
    moves_per_event: i64,
    /// Absent from an older form: the program keeps its setting.
    #[serde(default)]
    demos_per_presenter: Option<i64>,
    /// The program's keywords for the chat reports, separated by spaces or commas.
    #[serde(default)]
    keywords: String,
}

pub async fn settings(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<SettingsForm>,
) -> Result<Response, WebError> {
    admin_only(&me)?;
    me.check_form(&f.csrf)?;
    let s = SettingsInput {
        demo_target: Some(f.demo_target),
        slots: Some(f.slots),
        followup_minimum: Some(f.followup_minimum),
        retro_hours: Some(f.retro_hours),
        moves_per_event: Some(f.moves_per_event),
        demos_per_presenter: f.demos_per_presenter,
    }
    .resolve_over(state.store.program(ProgramId(id)).await?.settings)
    .map_err(|e| WebError::BadRequest(e.to_string()))?;
    // Checked before anything is saved, so a bad keyword changes nothing.
    let keywords: Vec<String> = f
        .keywords
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(trellis_core::listen::keyword)
        .collect::<Result<_, _>>()
        .map_err(|e| WebError::BadRequest(e.to_string()))?;
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
