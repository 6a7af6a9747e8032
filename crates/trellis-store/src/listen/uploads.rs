//! Chat exports uploaded in the browser: one `chat_imports` row per upload, written as the
//! background import goes (progress), and at its end (what it stored, or why it failed).
//! The rows are the channels' import history.

use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::open::Store;
use crate::row::{at, i64_, opt_at, opt_i64, opt_text, text};
use jiff::Timestamp;
use trellis_core::ProgramId;

/// One upload and how its import stands.
#[derive(Debug, Clone)]
pub struct ChatUpload {
    pub id: i64,
    pub program: ProgramId,
    pub file_name: String,
    pub channel: Option<String>,
    pub bytes: u64,
    /// `running`, `done` or `failed`.
    pub state: String,
    pub read: u64,
    pub channel_id: Option<i64>,
    pub outcome: Option<ChatUploadOutcome>,
    pub error: Option<String>,
    pub created_by: String,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

/// What a finished import stored.
#[derive(Debug, Clone, Copy)]
pub struct ChatUploadOutcome {
    pub added: u64,
    pub already_stored: u64,
    pub linked: u64,
    pub unlinked: u64,
}

const COLUMNS: &str = "id, program_id, file_name, channel, bytes, state, messages_read, channel_id, \
     added, already_stored, linked, unlinked, error, created_by, created_at_us, finished_at_us";

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn stored(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn upload(r: &sqlx::any::AnyRow) -> Result<ChatUpload, StoreError> {
    let outcome = match (
        opt_i64(r, "added")?,
        opt_i64(r, "already_stored")?,
        opt_i64(r, "linked")?,
        opt_i64(r, "unlinked")?,
    ) {
        (Some(a), Some(s), Some(l), Some(u)) => Some(ChatUploadOutcome {
            added: count(a),
            already_stored: count(s),
            linked: count(l),
            unlinked: count(u),
        }),
        _ => None,
    };
    Ok(ChatUpload {
        id: i64_(r, "id")?,
        program: ProgramId(i64_(r, "program_id")?),
        file_name: text(r, "file_name")?,
        channel: opt_text(r, "channel")?,
        bytes: count(i64_(r, "bytes")?),
        state: text(r, "state")?,
        read: count(i64_(r, "messages_read")?),
        channel_id: opt_i64(r, "channel_id")?,
        outcome,
        error: opt_text(r, "error")?,
        created_by: text(r, "created_by")?,
        created_at: at(r, "created_at_us")?,
        finished_at: opt_at(r, "finished_at_us")?,
    })
}

impl Store {
    /// Records an upload whose import is about to start; its id.
    pub async fn start_chat_upload(
        &self,
        ctx: &Ctx,
        program: ProgramId,
        file_name: &str,
        channel: Option<&str>,
        bytes: u64,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx().await?;
        crate::programs::ensure_program(&mut tx, program).await?;
        let row = sqlx::query(
            "INSERT INTO chat_imports (program_id, file_name, channel, bytes, created_by, created_at_us) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(program.0)
        .bind(file_name)
        .bind(channel)
        .bind(stored(bytes))
        .bind(&ctx.actor)
        .bind(ctx.now_us())
        .fetch_one(&mut *tx)
        .await?;
        let id = i64_(&row, "id")?;
        tx.commit().await?;
        Ok(id)
    }

    /// How many messages the running import has read so far.
    pub async fn chat_upload_progress(&self, id: i64, read: u64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE chat_imports SET messages_read = $1 WHERE id = $2 AND state = 'running'",
        )
        .bind(stored(read))
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The import ended well: what it stored, in which channel.
    pub async fn finish_chat_upload(
        &self,
        id: i64,
        at: Timestamp,
        channel_id: i64,
        read: u64,
        outcome: ChatUploadOutcome,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE chat_imports SET state = 'done', channel_id = $1, messages_read = $2, added = $3, \
             already_stored = $4, linked = $5, unlinked = $6, finished_at_us = $7 WHERE id = $8",
        )
        .bind(channel_id)
        .bind(stored(read))
        .bind(stored(outcome.added))
        .bind(stored(outcome.already_stored))
        .bind(stored(outcome.linked))
        .bind(stored(outcome.unlinked))
        .bind(at.as_microsecond())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The import failed (nothing of it was stored): why, in words.
    pub async fn fail_chat_upload(
        &self,
        id: i64,
        at: Timestamp,
        error: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE chat_imports SET state = 'failed', error = $1, finished_at_us = $2 WHERE id = $3",
        )
        .bind(error)
        .bind(at.as_microsecond())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// One upload.
    pub async fn chat_upload(&self, id: i64) -> Result<ChatUpload, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM chat_imports WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("chat import", id))?;
        upload(&row)
    }

    /// The latest uploads (one program's, or all), newest first.
    pub async fn chat_uploads(
        &self,
        program: Option<ProgramId>,
        limit: i64,
    ) -> Result<Vec<ChatUpload>, StoreError> {
        // Only constant text is formatted in.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM chat_imports WHERE ($1 = 0 OR program_id = $1) ORDER BY id DESC LIMIT $2"
        )))
        .bind(program.map_or(0, |p| p.0))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(upload)
        .collect()
    }
}
