//! What the web app stores: accounts, sessions, API tokens, and the public contract links.
//! Session and API tokens are kept as SHA-256 digests: a leaked database does not log
//! anyone in. Passwords arrive here already hashed (argon2id, by the web crate).

use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::followups::new_token;
use crate::open::Store;
use crate::row::{i64_, opt_at, parse, text, u32_};
use serde::Serialize;
use sha2::{Digest, Sha256};
use trellis_core::access::Role;
use trellis_core::person::normalise_email;
use trellis_core::program::ProgramSettings;
use trellis_core::{CoreError, DemoId};

/// The digest under which a secret token is stored.
pub fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A fresh 128-bit secret, as hex.
pub fn secret() -> Result<String, StoreError> {
    new_token()
}

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
}

/// A live session: who, and the token every form of theirs must carry.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
}

/// What the public contract page shows: only what the presenter needs.
#[derive(Debug, Clone, Serialize)]
pub struct ContractPage {
    pub demo: DemoId,
    pub demo_title: String,
    pub presenter_first_name: String,
    pub event_title: String,
    pub starts_local: String,
    pub tz: String,
    pub program: String,
    pub settings: ProgramSettings,
    #[serde(serialize_with = "trellis_core::time::json::utc_opt")]
    pub accepted_at: Option<jiff::Timestamp>,
}

/// What the public follow-up page shows.
#[derive(Debug, Clone, Serialize)]
pub struct FollowupPage {
    pub first_name: String,
    pub event_title: String,
    pub answered: bool,
}

fn user_from(r: &sqlx::any::AnyRow) -> Result<User, StoreError> {
    Ok(User {
        id: i64_(r, "id")?,
        email: text(r, "email")?,
        name: text(r, "name")?,
        role: parse(r, "role")?,
    })
}

impl Store {
    pub async fn create_user(
        &self,
        ctx: &Ctx,
        email: &str,
        name: &str,
        role: Role,
        password_hash: &str,
    ) -> Result<User, StoreError> {
        let email = normalise_email(email)
            .map_err(|_| CoreError::invalid("EMAIL", email, "is not an e-mail address"))?;
        let name = trellis_core::program::validate_name("name", name)?;
        let mut tx = self.write_tx().await?;
        if sqlx::query("SELECT id FROM users WHERE email = $1")
            .bind(&email)
            .fetch_optional(&mut *tx)
            .await?
            .is_some()
        {
            return Err(StoreError::Conflict(format!(
                "EMAIL: a user {email} already exists"
            )));
        }
        let row = sqlx::query("INSERT INTO users (email, name, role, password_hash, created_at_us) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(&email)
            .bind(&name)
            .bind(role.as_str())
            .bind(password_hash)
            .bind(ctx.now_us())
            .fetch_one(&mut *tx)
            .await?;
        let id = i64_(&row, "id")?;
        tx.commit().await?;
        Ok(User {
            id,
            email,
            name,
            role,
        })
    }

    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query("SELECT id, email, name, role FROM users ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_from).collect()
    }

    /// The user with this e-mail and their password hash, for logging in.
    pub async fn user_for_login(&self, email: &str) -> Result<Option<(User, String)>, StoreError> {
        let Ok(email) = normalise_email(email) else {
            return Ok(None);
        };
        let row =
            sqlx::query("SELECT id, email, name, role, password_hash FROM users WHERE email = $1")
                .bind(&email)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| Ok((user_from(&r)?, text(&r, "password_hash")?)))
            .transpose()
    }

    /// Starts a session; returns the cookie token (only its digest is stored) and the
    /// session's CSRF token.
    pub async fn create_session(
        &self,
        ctx: &Ctx,
        user: i64,
        hours: i64,
    ) -> Result<(String, String), StoreError> {
        let token = secret()?;
        let csrf = secret()?;
        sqlx::query("INSERT INTO web_sessions (token_hash, user_id, csrf, created_at_us, expires_at_us) VALUES ($1, $2, $3, $4, $5)")
            .bind(digest(&token))
            .bind(user)
            .bind(&csrf)
            .bind(ctx.now_us())
            .bind(ctx.now_us() + hours * 3_600_000_000)
            .execute(&self.pool)
            .await?;
        Ok((token, csrf))
    }

    pub async fn session(
        &self,
        token: &str,
        now: jiff::Timestamp,
    ) -> Result<Option<Session>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.email, u.name, u.role, s.csrf FROM web_sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at_us > $2",
        )
        .bind(digest(token))
        .bind(now.as_microsecond())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Session {
                user: user_from(&r)?,
                csrf: text(&r, "csrf")?,
            })
        })
        .transpose()
    }

    pub async fn end_session(&self, token: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM web_sessions WHERE token_hash = $1")
            .bind(digest(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Mints an API token for automation; the token is shown once.
    pub async fn create_api_token(
        &self,
        ctx: &Ctx,
        name: &str,
    ) -> Result<(i64, String), StoreError> {
        let name = trellis_core::program::validate_name("name", name)?;
        let token = format!("trl_{}", secret()?);
        let row = sqlx::query("INSERT INTO api_tokens (token_hash, name, created_at_us, created_by) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(digest(&token))
            .bind(&name)
            .bind(ctx.now_us())
            .bind(&ctx.actor)
            .fetch_one(&self.pool)
            .await?;
        Ok((i64_(&row, "id")?, token))
    }

    pub async fn api_token_valid(&self, token: &str) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT id FROM api_tokens WHERE token_hash = $1")
            .bind(digest(token))
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    /// The public link of a demo's contract: the open one, or a new one.
    pub async fn contract_link(&self, ctx: &Ctx, demo: DemoId) -> Result<String, StoreError> {
        let mut tx = self.write_tx().await?;
        if sqlx::query("SELECT id FROM demos WHERE id = $1")
            .bind(demo.0)
            .fetch_optional(&mut *tx)
            .await?
            .is_none()
        {
            return Err(StoreError::not_found("demo", demo));
        }
        let open = sqlx::query(
            "SELECT token FROM contract_links WHERE demo_id = $1 AND used_at_us IS NULL",
        )
        .bind(demo.0)
        .fetch_optional(&mut *tx)
        .await?;
        let token = match open {
            Some(r) => text(&r, "token")?,
            None => {
                let t = secret()?;
                sqlx::query("INSERT INTO contract_links (token, demo_id, created_at_us) VALUES ($1, $2, $3)")
                    .bind(&t)
                    .bind(demo.0)
                    .bind(ctx.now_us())
                    .execute(&mut *tx)
                    .await?;
                t
            }
        };
        tx.commit().await?;
        Ok(token)
    }

    /// The contract page behind a token; `None` for an unknown token.
    pub async fn contract_page(&self, token: &str) -> Result<Option<ContractPage>, StoreError> {
        let row = sqlx::query(
            "SELECT d.id, d.title, d.contract_accepted_at_us, e.title AS event_title, e.starts_local, e.tz, p.name AS program, \
               p.demo_target, p.default_slots, p.followup_minimum, p.retro_hours, p.moves_per_event, p.demos_per_presenter, l.used_at_us, \
               (SELECT pe.display_name FROM demo_presenters dp JOIN people pe ON pe.id = dp.person_id WHERE dp.demo_id = d.id ORDER BY dp.position LIMIT 1) AS presenter \
             FROM contract_links l JOIN demos d ON d.id = l.demo_id JOIN events e ON e.id = d.event_id JOIN programs p ON p.id = e.program_id \
             WHERE l.token = $1",
        )
        .bind(token)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let presenter = crate::row::opt_text(&r, "presenter")?.unwrap_or_default();
        Ok(Some(ContractPage {
            demo: DemoId(i64_(&r, "id")?),
            demo_title: text(&r, "title")?,
            presenter_first_name: presenter.split_whitespace().next().unwrap_or("").to_owned(),
            event_title: text(&r, "event_title")?,
            starts_local: text(&r, "starts_local")?,
            tz: text(&r, "tz")?,
            program: text(&r, "program")?,
            settings: crate::gates::settings_from_row(&r)?,
            accepted_at: opt_at(&r, "used_at_us")?.or(opt_at(&r, "contract_accepted_at_us")?),
        }))
    }

    /// The presenter accepts through the public link. The link is single use.
    pub async fn accept_contract_by_token(
        &self,
        ctx: &Ctx,
        token: &str,
    ) -> Result<Option<DemoId>, StoreError> {
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(
            "SELECT demo_id FROM contract_links WHERE token = $1 AND used_at_us IS NULL",
        )
        .bind(token)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let demo = DemoId(i64_(&r, "demo_id")?);
        sqlx::query("UPDATE contract_links SET used_at_us = $1 WHERE token = $2")
            .bind(ctx.now_us())
            .bind(token)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.accept_contract(ctx, demo).await?;
        Ok(Some(demo))
    }

    /// The follow-up page behind a form token; `None` for an unknown token.
    pub async fn followup_page(&self, token: &str) -> Result<Option<FollowupPage>, StoreError> {
        let row = sqlx::query(
            "SELECT p.display_name, e.title, f.answered_at_us FROM followups f JOIN people p ON p.id = f.person_id \
             JOIN events e ON e.id = f.event_id WHERE f.token = $1",
        )
        .bind(token)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let name = text(&r, "display_name")?;
        Ok(Some(FollowupPage {
            first_name: name.split_whitespace().next().unwrap_or("").to_owned(),
            event_title: text(&r, "title")?,
            answered: opt_at(&r, "answered_at_us")?.is_some(),
        }))
    }

    /// Sessions and users count, for the admin page.
    pub async fn user_count(&self) -> Result<u32, StoreError> {
        let r = sqlx::query("SELECT COUNT(*) AS n FROM users")
            .fetch_one(&self.pool)
            .await?;
        u32_(&r, "n")
    }

    /// Forgets expired sessions.
    pub async fn prune_sessions(&self, now: jiff::Timestamp) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM web_sessions WHERE expires_at_us <= $1")
            .bind(now.as_microsecond())
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
