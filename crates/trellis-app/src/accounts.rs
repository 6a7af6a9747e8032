//! Web app accounts, their sessions and the API tokens, as `--json` shows them (never a
//! password hash or a token: the store does not hand them out).

use crate::{AppError, views};
use serde::Serialize;
use trellis_core::ProgramId;
use trellis_core::access::Role;
use trellis_core::program::Program;
use trellis_store::{Ctx, Grant, Store};

/// A web app account (never its password hash).
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// When the user was disabled (RFC 3339); a disabled user cannot log in.
    #[serde(serialize_with = "trellis_core::time::json::utc_opt")]
    pub disabled_at: Option<jiff::Timestamp>,
    /// When the user was removed; the row stays, anonymised.
    #[serde(serialize_with = "trellis_core::time::json::utc_opt")]
    pub removed_at: Option<jiff::Timestamp>,
    /// The programs an organizer or viewer reaches, each with its role; an admin reaches
    /// every program and has none listed.
    pub programs: Vec<ProgramGrant>,
}

/// One program an account reaches, and as what.
#[derive(Debug, Clone, Serialize)]
pub struct ProgramGrant {
    pub program: i64,
    pub program_name: String,
    pub role: Role,
}

impl From<trellis_store::web::User> for User {
    fn from(u: trellis_store::web::User) -> User {
        User {
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role,
            disabled_at: u.disabled_at,
            removed_at: u.removed_at,
            programs: Vec::new(),
        }
    }
}

impl User {
    /// The account with its grants filled in from `grants` (every account's).
    fn with_grants(mut self, grants: &[Grant]) -> User {
        self.programs = grants
            .iter()
            .filter(|g| g.user_id == self.id)
            .map(|g| ProgramGrant {
                program: g.program.0,
                program_name: g.program_name.clone(),
                role: g.role,
            })
            .collect();
        self
    }

    /// "admin", or "organizer of Lisbon, viewer of Bangalore", or "no program yet".
    pub fn reach(&self) -> String {
        if self.role.may_administer() {
            return "admin (every program)".to_owned();
        }
        if self.programs.is_empty() {
            return "no program yet".to_owned();
        }
        self.programs
            .iter()
            .map(|g| format!("{} of {}", g.role, g.program_name))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A live session of a user, as `trellis user sessions` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct SessionInfo {
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub created_at: jiff::Timestamp,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub expires_at: jiff::Timestamp,
}

from_fact!(trellis_store::web::SessionInfo => SessionInfo { created_at, expires_at });

/// An API token as listed: never the token itself, which only its digest could give.
#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub created_at: jiff::Timestamp,
    pub created_by: String,
    #[serde(serialize_with = "trellis_core::time::json::utc_opt")]
    pub revoked_at: Option<jiff::Timestamp>,
    /// The one program the token reads (its id and name); `null`: every program.
    pub program_id: Option<ProgramId>,
    pub program: Option<String>,
}

from_fact!(trellis_store::web::ApiToken => ApiToken {
    id, name, created_at, created_by, revoked_at, program_id, program
});

impl ApiToken {
    /// What the token reads, as `token list` shows it.
    pub fn scope(&self) -> &str {
        self.program.as_deref().unwrap_or("all programs")
    }
}

/// Every account, removed ones included (anonymised), with the programs each reaches.
pub async fn users(store: &Store) -> Result<Vec<User>, AppError> {
    let grants = store.grants().await?;
    Ok(store
        .users()
        .await?
        .into_iter()
        .map(|u| User::from(u).with_grants(&grants))
        .collect())
}

/// One account with the programs it reaches.
pub async fn user(store: &Store, key: &str) -> Result<User, AppError> {
    let u = store.user(key).await?;
    let grants = store.grants().await?;
    Ok(User::from(u).with_grants(&grants))
}

/// Adds an account: `role` on the programs named (by id or name), or on every program
/// when none are named.
pub async fn add_user(
    store: &Store,
    ctx: &Ctx,
    new: NewUser<'_>,
    programs: &[String],
) -> Result<User, AppError> {
    if new.role.may_administer() && !programs.is_empty() {
        return Err(trellis_core::CoreError::invalid(
            "--program",
            programs.join(", "),
            "is not for an admin, who reaches every program",
        )
        .into());
    }
    let scope = if programs.is_empty() {
        None
    } else {
        let mut ids = Vec::new();
        for key in programs {
            ids.push(store.find_program(key).await?.id);
        }
        Some(ids)
    };
    let u = store
        .create_user_in(
            ctx,
            new.email,
            new.name,
            new.role,
            new.password_hash,
            scope.as_deref(),
        )
        .await?;
    user(store, &u.id.to_string()).await
}

/// What a new account is made of (the password already hashed by the caller).
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
}

/// Grants `role` on the program named `program` (id or name) to `user`.
pub async fn grant(
    store: &Store,
    ctx: &Ctx,
    user_key: &str,
    program: &str,
    role: Role,
) -> Result<User, AppError> {
    let p = store.find_program(program).await?;
    let u = store.grant(ctx, user_key, p.id, role).await?;
    user(store, &u.id.to_string()).await
}

/// Takes the program named `program` away from `user`; whether it had it.
pub async fn revoke_grant(
    store: &Store,
    ctx: &Ctx,
    user_key: &str,
    program: &str,
) -> Result<(User, bool), AppError> {
    let p = store.find_program(program).await?;
    let (u, had) = store.revoke_grant(ctx, user_key, p.id).await?;
    Ok((user(store, &u.id.to_string()).await?, had))
}

/// Mints an API token; with `program` (a name or an id) it reads only that program. An
/// unknown program is refused before anything is written. Returns the token's id, the
/// token (shown once) and the program it reads.
pub async fn create_token(
    store: &Store,
    ctx: &Ctx,
    name: &str,
    program: Option<&str>,
) -> Result<(i64, String, Option<Program>), AppError> {
    let program = match program {
        Some(key) => Some(store.find_program(key).await?),
        None => None,
    };
    let (id, token) = store
        .create_scoped_api_token(ctx, name, program.as_ref().map(|p| p.id))
        .await?;
    Ok((id, token, program))
}

/// Every API token (its name and dates, never the token).
pub async fn tokens(store: &Store) -> Result<Vec<ApiToken>, AppError> {
    Ok(views(store.api_tokens().await?))
}
