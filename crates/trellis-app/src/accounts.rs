//! Web app accounts, their sessions and the API tokens, as `--json` shows them (never a
//! password hash or a token: the store does not hand them out).

use crate::{AppError, views};
use serde::Serialize;
use trellis_core::access::Role;
use trellis_store::Store;

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
}

from_fact!(trellis_store::web::User => User { id, email, name, role, disabled_at, removed_at });

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
}

from_fact!(trellis_store::web::ApiToken => ApiToken {
    id, name, created_at, created_by, revoked_at
});

/// Every account, removed ones included (anonymised).
pub async fn users(store: &Store) -> Result<Vec<User>, AppError> {
    Ok(views(store.users().await?))
}

/// Every API token (its name and dates, never the token).
pub async fn tokens(store: &Store) -> Result<Vec<ApiToken>, AppError> {
    Ok(views(store.api_tokens().await?))
}
