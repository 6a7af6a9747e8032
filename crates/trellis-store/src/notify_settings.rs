//! Each program's notification settings (`program_notify`), and its calendar secret's
//! digest. A program without a row has the defaults.

use crate::error::StoreError;
use crate::open::Store;
use crate::row::{i64_, opt_text, text};
use sqlx::any::AnyRow;
use std::collections::HashMap;
use trellis_core::ProgramId;
use trellis_core::notify_settings::NotifySettings;

fn from_row(r: &AnyRow) -> Result<NotifySettings, StoreError> {
    Ok(NotifySettings {
        off: text(r, "off_kinds")?
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        short_of_demos_days: u32::try_from(i64_(r, "short_of_demos_days")?).unwrap_or(14),
        contract_reminder_days: u32::try_from(i64_(r, "contract_reminder_days")?).unwrap_or(3),
        weekly_digest: i64_(r, "weekly_digest")? != 0,
        webhook_url: opt_text(r, "webhook_url")?,
    })
}

const COLUMNS: &str = "program_id, off_kinds, short_of_demos_days, contract_reminder_days, weekly_digest, webhook_url";

impl Store {
    /// A program's notification settings (the defaults until it chose any).
    pub async fn notify_settings(&self, program: ProgramId) -> Result<NotifySettings, StoreError> {
        crate::programs::ensure_program(&mut *self.pool.acquire().await?, program).await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM program_notify WHERE program_id = $1"
        )))
        .bind(program.0)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map_or(Ok(NotifySettings::default()), from_row)
    }

    /// Every program's settings that differ from the defaults, by program id.
    pub async fn all_notify_settings(&self) -> Result<HashMap<i64, NotifySettings>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM program_notify"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((i64_(r, "program_id")?, from_row(r)?)))
            .collect()
    }

    /// Saves a program's settings, already validated by the core.
    pub async fn set_notify_settings(
        &self,
        program: ProgramId,
        s: &NotifySettings,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        crate::programs::ensure_program(&mut tx, program).await?;
        sqlx::query(
            "INSERT INTO program_notify (program_id, off_kinds, short_of_demos_days, contract_reminder_days, weekly_digest, webhook_url) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (program_id) DO UPDATE SET off_kinds = $2, short_of_demos_days = $3, \
             contract_reminder_days = $4, weekly_digest = $5, webhook_url = $6",
        )
        .bind(program.0)
        .bind(s.off.join(" "))
        .bind(i64::from(s.short_of_demos_days))
        .bind(i64::from(s.contract_reminder_days))
        .bind(i64::from(s.weekly_digest))
        .bind(s.webhook_url.as_deref())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A new calendar secret for a program: the old URL stops working at once. Only the
    /// digest is kept; the secret is returned once, for the URL.
    pub async fn rotate_calendar_secret(&self, program: ProgramId) -> Result<String, StoreError> {
        let secret = crate::web::secret()?;
        let mut tx = self.write_tx().await?;
        crate::programs::ensure_program(&mut tx, program).await?;
        sqlx::query(
            "INSERT INTO program_notify (program_id, calendar_secret) VALUES ($1, $2) \
             ON CONFLICT (program_id) DO UPDATE SET calendar_secret = $2",
        )
        .bind(program.0)
        .bind(crate::web::digest(&secret))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(secret)
    }

    /// Whether a program has a calendar secret (its URL cannot be shown again).
    pub async fn has_calendar_secret(&self, program: ProgramId) -> Result<bool, StoreError> {
        let r = sqlx::query(
            "SELECT COUNT(*) AS n FROM program_notify WHERE program_id = $1 AND calendar_secret IS NOT NULL",
        )
        .bind(program.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(i64_(&r, "n")? > 0)
    }

    /// The program whose calendar secret this is, if any.
    pub async fn calendar_program(&self, secret: &str) -> Result<Option<ProgramId>, StoreError> {
        let r = sqlx::query("SELECT program_id FROM program_notify WHERE calendar_secret = $1")
            .bind(crate::web::digest(secret))
            .fetch_optional(&self.pool)
            .await?;
        r.map(|r| i64_(&r, "program_id").map(ProgramId)).transpose()
    }
}
