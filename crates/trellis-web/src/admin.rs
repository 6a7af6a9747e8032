//! Admins manage users and program settings; organizers and viewers cannot reach it.

use crate::auth::SignedIn;
use crate::pages::chrome;
use crate::views::Admin;
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use trellis_core::ProgramId;
use trellis_core::access::Role;
use trellis_core::program::SettingsInput;

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
    let users = state.store.users().await?;
    let mut programs = Vec::new();
    for p in state.store.list_programs().await? {
        let keywords = state.store.chat_keywords(p.id).await?.join(" ");
        programs.push(crate::views::ProgramRow { p, keywords });
    }
    Ok(Html(
        Admin {
            chrome: chrome(me),
            users,
            programs,
            notice,
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
    let role: Role = f
        .role
        .parse()
        .map_err(|e: trellis_core::CoreError| WebError::BadRequest(e.to_string()))?;
    if f.password.chars().count() < 10 {
        return Err(WebError::BadRequest(
            "The password must be at least 10 characters.".into(),
        ));
    }
    let hash = crate::auth::hash_password(&f.password).map_err(WebError::BadRequest)?;
    let u = state
        .store
        .create_user(&me.ctx(&state), &f.email, &f.name, role, &hash)
        .await?;
    Ok(page(
        &state,
        &me,
        Some(format!("{} can now log in as {}.", u.name, u.role)),
    )
    .await?
    .into_response())
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
