//! What the web app stores: accounts, sessions, API tokens, and the public contract links.
//! Session, API, contract and follow-up tokens are kept as SHA-256 digests: a leaked
//! database does not log anyone in, nor accept a contract or answer a follow-up. Passwords arrive here already hashed (argon2id, by the web crate).

use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::followups::new_token;
use crate::open::Store;
use crate::row::{at, i64_, opt_at, parse, text, u32_};
use sha2::{Digest, Sha256};
use trellis_core::access::Role;
use trellis_core::person::normalise_email;
use trellis_core::program::ProgramSettings;
use trellis_core::{CoreError, DemoId, ProgramId};

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

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// When the user was disabled (RFC 3339); a disabled user cannot log in.
    pub disabled_at: Option<jiff::Timestamp>,
    /// When the user was removed; the row stays, anonymised.
    pub removed_at: Option<jiff::Timestamp>,
}

/// A live session of a user, as `trellis user sessions` lists it.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub created_at: jiff::Timestamp,
    pub expires_at: jiff::Timestamp,
}

/// An API token as listed: never the token itself, which only its digest could give.
#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: jiff::Timestamp,
    pub created_by: String,
    pub revoked_at: Option<jiff::Timestamp>,
    /// The one program the token reads, and its name; `None`: every program.
    pub program_id: Option<ProgramId>,
    pub program: Option<String>,
}

/// A live API token, as a request presents it: which program it may read (`None`:
/// every program, as tokens minted before schema 17 all do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidToken {
    pub id: i64,
    pub program: Option<ProgramId>,
}

/// A query over `api_tokens` selecting what [`ApiToken`] holds, with its program's name.
macro_rules! select_token {
    ($rest:literal) => {
        concat!(
            "SELECT t.id, t.name, t.created_at_us, t.created_by, t.revoked_at_us, t.program_id, p.name AS program \
             FROM api_tokens t LEFT JOIN programs p ON p.id = t.program_id",
            $rest
        )
    };
}

/// A query over `users` selecting what [`User`] holds (sqlx wants static SQL text).
macro_rules! select_user {
    ($rest:literal) => {
        concat!(
            "SELECT id, email, name, role, disabled_at_us, removed_at_us",
            $rest
        )
    };
}

/// A live session: who, and the token every form of theirs must carry.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
}

/// What the public contract page shows: only what the presenter needs.
#[derive(Debug, Clone)]
pub struct ContractPage {
    pub demo: DemoId,
    pub demo_title: String,
    pub presenter_first_name: String,
    pub event_title: String,
    pub starts_local: String,
    pub tz: String,
    pub program: String,
    pub settings: ProgramSettings,
    pub accepted_at: Option<jiff::Timestamp>,
}

/// What the public follow-up page shows.
#[derive(Debug, Clone)]
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
        disabled_at: opt_at(r, "disabled_at_us")?,
        removed_at: opt_at(r, "removed_at_us")?,
    })
}

fn token_from(r: &sqlx::any::AnyRow) -> Result<ApiToken, StoreError> {
    Ok(ApiToken {
        id: i64_(r, "id")?,
        name: text(r, "name")?,
        created_at: at(r, "created_at_us")?,
        created_by: text(r, "created_by")?,
        revoked_at: opt_at(r, "revoked_at_us")?,
        program_id: crate::row::opt_i64(r, "program_id")?.map(ProgramId),
        program: crate::row::opt_text(r, "program")?,
    })
}

impl Store {
    /// Adds an account with `role` on every program (an admin needs none).
    pub async fn create_user(
        &self,
        ctx: &Ctx,
        email: &str,
        name: &str,
        role: Role,
        password_hash: &str,
    ) -> Result<User, StoreError> {
        self.create_user_in(ctx, email, name, role, password_hash, None)
            .await
    }

    /// Adds an account with `role` on `programs` (every program when `None`), in one
    /// transaction: an account never exists without the grants it was made with.
    pub async fn create_user_in(
        &self,
        ctx: &Ctx,
        email: &str,
        name: &str,
        role: Role,
        password_hash: &str,
        programs: Option<&[trellis_core::ProgramId]>,
    ) -> Result<User, StoreError> {
        for p in programs.unwrap_or_default() {
            self.program(*p).await?;
        }
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
        crate::grants::grant_new_user(&mut tx, id, role, programs).await?;
        tx.commit().await?;
        Ok(User {
            id,
            email,
            name,
            role,
            disabled_at: None,
            removed_at: None,
        })
    }

    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(select_user!(" FROM users ORDER BY id"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_from).collect()
    }

    /// The user with this e-mail and their password hash, for logging in; `None` for a
    /// disabled or removed user, who cannot.
    pub async fn user_for_login(&self, email: &str) -> Result<Option<(User, String)>, StoreError> {
        let Ok(email) = normalise_email(email) else {
            return Ok(None);
        };
        let row = sqlx::query(select_user!(
            ", password_hash FROM users WHERE email = $1 AND disabled_at_us IS NULL"
        ))
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
            "SELECT u.id, u.email, u.name, u.role, u.disabled_at_us, u.removed_at_us, s.csrf FROM web_sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at_us > $2 AND u.disabled_at_us IS NULL",
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

    /// Mints an API token for automation that reads every program; shown once.
    pub async fn create_api_token(
        &self,
        ctx: &Ctx,
        name: &str,
    ) -> Result<(i64, String), StoreError> {
        self.create_scoped_api_token(ctx, name, None).await
    }

    /// Mints an API token that reads only `program` (`None`: every program); shown once.
    /// An unknown program is refused by its reference: nothing is written.
    pub async fn create_scoped_api_token(
        &self,
        ctx: &Ctx,
        name: &str,
        program: Option<ProgramId>,
    ) -> Result<(i64, String), StoreError> {
        let name = trellis_core::program::validate_name("name", name)?;
        if let Some(p) = program {
            self.program(p).await?;
        }
        let token = format!("trl_{}", secret()?);
        let row = sqlx::query("INSERT INTO api_tokens (token_hash, name, created_at_us, created_by, program_id) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(digest(&token))
            .bind(&name)
            .bind(ctx.now_us())
            .bind(&ctx.actor)
            .bind(program.map(|p| p.0))
            .fetch_one(&self.pool)
            .await?;
        Ok((i64_(&row, "id")?, token))
    }

    /// The live token behind `token`, with its scope; `None` for an unknown or revoked one.
    pub async fn api_token(&self, token: &str) -> Result<Option<ValidToken>, StoreError> {
        let row = sqlx::query(
            "SELECT id, program_id FROM api_tokens WHERE token_hash = $1 AND revoked_at_us IS NULL",
        )
        .bind(digest(token))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(ValidToken {
                id: i64_(&r, "id")?,
                program: crate::row::opt_i64(&r, "program_id")?.map(ProgramId),
            })
        })
        .transpose()
    }

    /// A new public link to a demo's contract. Only its digest is stored, so an open
    /// link cannot be shown again: each call makes a new one, which replaces the demo's
    /// unused ones (one live link per demo).
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
        sqlx::query("DELETE FROM contract_links WHERE demo_id = $1 AND used_at_us IS NULL")
            .bind(demo.0)
            .execute(&mut *tx)
            .await?;
        let token = secret()?;
        sqlx::query(
            "INSERT INTO contract_links (token, demo_id, created_at_us) VALUES ($1, $2, $3)",
        )
        .bind(digest(&token))
        .bind(demo.0)
        .bind(ctx.now_us())
        .execute(&mut *tx)
        .await?;
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
        .bind(digest(token))
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
        .bind(digest(token))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let demo = DemoId(i64_(&r, "demo_id")?);
        sqlx::query("UPDATE contract_links SET used_at_us = $1 WHERE token = $2")
            .bind(ctx.now_us())
            .bind(digest(token))
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
        .bind(digest(token))
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

    /// Forgets expired sessions; returns how many.
    pub async fn prune_sessions(&self, now: jiff::Timestamp) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM web_sessions WHERE expires_at_us <= $1")
            .bind(now.as_microsecond())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// A user by id or e-mail, as the CLI's `<USER>` names one.
    pub async fn user(&self, key: &str) -> Result<User, StoreError> {
        let key = key.trim();
        let row = match key.parse::<i64>() {
            Ok(id) => {
                sqlx::query(select_user!(" FROM users WHERE id = $1"))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
            }
            Err(_) => {
                let email = normalise_email(key).map_err(|_| {
                    CoreError::invalid("USER", key, "is neither a user id nor an e-mail address")
                })?;
                sqlx::query(select_user!(" FROM users WHERE email = $1"))
                    .bind(email)
                    .fetch_optional(&self.pool)
                    .await?
            }
        };
        match row {
            Some(r) => user_from(&r),
            None => Err(StoreError::not_found("user", key)),
        }
    }

    /// Disables or enables a user. Disabling ends every session of theirs at once, in the
    /// same transaction. Returns the user and how many sessions ended.
    pub async fn set_user_disabled(
        &self,
        ctx: &Ctx,
        key: &str,
        disabled: bool,
    ) -> Result<(User, u64), StoreError> {
        let user = self.user(key).await?;
        if !disabled && user.removed_at.is_some() {
            return Err(CoreError::invalid(
                "USER",
                key,
                "was removed; a removed user cannot be enabled again (add a new one)",
            )
            .into());
        }
        let mut tx = self.write_tx().await?;
        let (sql, at) = if disabled {
            (
                "UPDATE users SET disabled_at_us = COALESCE(disabled_at_us, $1) WHERE id = $2",
                Some(ctx.now_us()),
            )
        } else {
            ("UPDATE users SET disabled_at_us = $1 WHERE id = $2", None)
        };
        sqlx::query(sql)
            .bind(at)
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        let ended = if disabled {
            end_sessions_of(&mut tx, user.id).await?
        } else {
            0
        };
        tx.commit().await?;
        Ok((self.user(&user.id.to_string()).await?, ended))
    }

    /// Sets a new password (already hashed); every session of the user ends, so a
    /// password changed because it leaked locks the holder out.
    pub async fn set_user_password(
        &self,
        key: &str,
        password_hash: &str,
    ) -> Result<(User, u64), StoreError> {
        let user = self.user(key).await?;
        if user.removed_at.is_some() {
            return Err(CoreError::invalid("USER", key, "was removed").into());
        }
        let mut tx = self.write_tx().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        let ended = end_sessions_of(&mut tx, user.id).await?;
        tx.commit().await?;
        Ok((user, ended))
    }

    /// Removes a user: their sessions end and their row is kept, anonymised (no e-mail,
    /// no name, no password), so that what they did stays recorded and the id is never
    /// reused. Their e-mail is free for a new account.
    pub async fn remove_user(&self, ctx: &Ctx, key: &str) -> Result<(User, u64), StoreError> {
        let user = self.user(key).await?;
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "UPDATE users SET email = $1, name = $2, password_hash = '', \
             disabled_at_us = COALESCE(disabled_at_us, $3), removed_at_us = COALESCE(removed_at_us, $3) WHERE id = $4",
        )
        .bind(format!("removed-{}@removed.invalid", user.id))
        .bind(format!("removed user {}", user.id))
        .bind(ctx.now_us())
        .bind(user.id)
        .execute(&mut *tx)
        .await?;
        let ended = end_sessions_of(&mut tx, user.id).await?;
        // A removed account reaches nothing, should its row ever be revived.
        sqlx::query("DELETE FROM user_grants WHERE user_id = $1")
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok((self.user(&user.id.to_string()).await?, ended))
    }

    /// A user's live sessions (expired ones are pruned first).
    pub async fn user_sessions(
        &self,
        key: &str,
        now: jiff::Timestamp,
    ) -> Result<(User, Vec<SessionInfo>), StoreError> {
        let user = self.user(key).await?;
        self.prune_sessions(now).await?;
        let rows = sqlx::query(
            "SELECT created_at_us, expires_at_us FROM web_sessions WHERE user_id = $1 ORDER BY created_at_us",
        )
        .bind(user.id)
        .fetch_all(&self.pool)
        .await?;
        let sessions = rows
            .iter()
            .map(|r| {
                Ok(SessionInfo {
                    created_at: at(r, "created_at_us")?,
                    expires_at: at(r, "expires_at_us")?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok((user, sessions))
    }

    /// Ends every session of a user; returns how many.
    pub async fn end_user_sessions(&self, key: &str) -> Result<(User, u64), StoreError> {
        let user = self.user(key).await?;
        let mut tx = self.write_tx().await?;
        let ended = end_sessions_of(&mut tx, user.id).await?;
        tx.commit().await?;
        Ok((user, ended))
    }

    /// Every API token, revoked ones included, oldest first.
    pub async fn api_tokens(&self) -> Result<Vec<ApiToken>, StoreError> {
        let rows = sqlx::query(select_token!(" ORDER BY t.id"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(token_from).collect()
    }

    /// Revokes an API token: it stops working at once; the row stays to say when.
    pub async fn revoke_api_token(&self, ctx: &Ctx, id: i64) -> Result<ApiToken, StoreError> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at_us = COALESCE(revoked_at_us, $1) WHERE id = $2",
        )
        .bind(ctx.now_us())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("API token", id));
        }
        let row = sqlx::query(select_token!(" WHERE t.id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        token_from(&row)
    }
}

async fn end_sessions_of(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: i64,
) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM web_sessions WHERE user_id = $1")
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}
