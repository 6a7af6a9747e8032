//! The outbox: every message Trellis means to send, as a row first.
//!
//! Planning inserts rows keyed by a dedupe key (planning twice adds nothing). Sending
//! claims due rows with a lease in one write transaction: on PostgreSQL the due rows are
//! picked `FOR UPDATE SKIP LOCKED`, so two senders take disjoint rows and neither waits;
//! on SQLite the write lock does the same. The outcome (sent, retry later, failed,
//! cancelled) is written only by the lease's holder, so a sender whose lease ran out and
//! was taken over cannot mark a row twice.

use crate::error::StoreError;
use crate::open::Store;
use crate::row::{at, i64_, opt_at, opt_i64, opt_text, text};
use jiff::Timestamp;
use sqlx::any::AnyRow;

/// A message to plan.
#[derive(Debug, Clone, Default)]
pub struct NewMessage {
    /// Same key, same message: e.g. `retro-24h:event:12:organizer:3`.
    pub dedupe_key: String,
    pub kind: String,
    pub recipient: String,
    pub person_id: Option<i64>,
    pub organizer_id: Option<i64>,
    pub program_id: Option<i64>,
    pub event_id: Option<i64>,
    pub demo_id: Option<i64>,
    pub subject: String,
    pub body: String,
    pub reply_to: Option<String>,
    pub planned_at: Option<Timestamp>,
    /// `email` (also when empty) or `webhook`.
    pub channel: String,
}

/// One row of the outbox: the message as planned (`planned_at` always set), and where
/// it stands.
#[derive(Debug, Clone)]
pub struct OutboxMessage {
    pub id: i64,
    pub msg: NewMessage,
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub done_at: Option<Timestamp>,
}

/// What became of a claimed message.
#[derive(Debug, Clone)]
pub enum Outcome {
    Sent,
    /// Try again at this time.
    Retry {
        error: String,
        at: Timestamp,
    },
    Failed {
        error: String,
    },
    /// Its reason passed before it went (the retro was written, the contract accepted).
    Cancelled {
        why: String,
    },
}

const COLUMNS: &str = "id, dedupe_key, kind, recipient, person_id, organizer_id, program_id, \
    event_id, demo_id, subject, body, reply_to, planned_at_us, state, attempts, \
    last_error, done_at_us, channel";

/// The channels a message goes by.
pub const CHANNEL_EMAIL: &str = "email";
pub const CHANNEL_WEBHOOK: &str = "webhook";

/// The states a message can be in, for `trellis outbox --state`.
pub const STATES: &[&str] = &["planned", "sent", "failed", "cancelled"];

fn message(r: &AnyRow) -> Result<OutboxMessage, StoreError> {
    Ok(OutboxMessage {
        id: i64_(r, "id")?,
        msg: NewMessage {
            dedupe_key: text(r, "dedupe_key")?,
            kind: text(r, "kind")?,
            recipient: text(r, "recipient")?,
            person_id: opt_i64(r, "person_id")?,
            organizer_id: opt_i64(r, "organizer_id")?,
            program_id: opt_i64(r, "program_id")?,
            event_id: opt_i64(r, "event_id")?,
            demo_id: opt_i64(r, "demo_id")?,
            subject: text(r, "subject")?,
            body: text(r, "body")?,
            reply_to: opt_text(r, "reply_to")?,
            planned_at: Some(at(r, "planned_at_us")?),
            channel: text(r, "channel")?,
        },
        state: text(r, "state")?,
        attempts: i64_(r, "attempts")?,
        last_error: opt_text(r, "last_error")?,
        done_at: opt_at(r, "done_at_us")?,
    })
}

impl Store {
    /// Plans messages; returns how many were new (a known dedupe key is skipped).
    pub async fn plan_messages(
        &self,
        now: Timestamp,
        messages: &[NewMessage],
    ) -> Result<usize, StoreError> {
        let mut tx = self.write_tx().await?;
        let mut added = 0;
        for m in messages {
            let done = sqlx::query(
                "INSERT INTO outbox (dedupe_key, kind, recipient, person_id, organizer_id, \
                 program_id, event_id, demo_id, subject, body, reply_to, \
                 planned_at_us, state, attempts, created_at_us, channel) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'planned', 0, $13, $14) \
                 ON CONFLICT (dedupe_key) DO NOTHING",
            )
            .bind(&m.dedupe_key)
            .bind(&m.kind)
            .bind(&m.recipient)
            .bind(m.person_id)
            .bind(m.organizer_id)
            .bind(m.program_id)
            .bind(m.event_id)
            .bind(m.demo_id)
            .bind(&m.subject)
            .bind(&m.body)
            .bind(m.reply_to.as_deref())
            .bind(m.planned_at.unwrap_or(now).as_microsecond())
            .bind(now.as_microsecond())
            .bind(if m.channel.is_empty() {
                CHANNEL_EMAIL
            } else {
                m.channel.as_str()
            })
            .execute(&mut *tx)
            .await?;
            added += done.rows_affected() as usize;
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Claims up to `limit` due messages for `owner` until `lease_until`, counting the
    /// attempt. A row whose earlier lease ran out (its sender died) is due again.
    pub async fn claim_messages(
        &self,
        now: Timestamp,
        owner: &str,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let due = "state = 'planned' AND planned_at_us <= $3 \
                   AND (lease_until_us IS NULL OR lease_until_us <= $3)";
        let skip = self.dialect().pick("", " FOR UPDATE SKIP LOCKED");
        let claim = format!(
            "UPDATE outbox SET lease_owner = $1, lease_until_us = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox WHERE {due} ORDER BY planned_at_us, id \
             LIMIT $4{skip}) AND {due}"
        );
        let mut tx = self.write_tx().await?;
        sqlx::query(sqlx::AssertSqlSafe(claim))
            .bind(owner)
            .bind(lease_until.as_microsecond())
            .bind(now.as_microsecond())
            .bind(limit)
            .execute(&mut *tx)
            .await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM outbox WHERE lease_owner = $1 AND state = 'planned' \
             AND lease_until_us = $2 ORDER BY planned_at_us, id"
        )))
        .bind(owner)
        .bind(lease_until.as_microsecond())
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.iter().map(message).collect()
    }

    /// Records what became of a claimed message; `false` when `owner` no longer holds it
    /// (its lease ran out and another sender took it), and nothing is written.
    pub async fn finish_message(
        &self,
        id: i64,
        owner: &str,
        now: Timestamp,
        outcome: &Outcome,
    ) -> Result<bool, StoreError> {
        let (state, error, next): (&str, Option<&str>, Option<i64>) = match outcome {
            Outcome::Sent => ("sent", None, None),
            Outcome::Retry { error, at } => ("planned", Some(error), Some(at.as_microsecond())),
            Outcome::Failed { error } => ("failed", Some(error), None),
            Outcome::Cancelled { why } => ("cancelled", Some(why), None),
        };
        let done_at = (state != "planned").then_some(now.as_microsecond());
        let r = sqlx::query(
            "UPDATE outbox SET state = $1, last_error = COALESCE($2, last_error), \
             planned_at_us = COALESCE($3, planned_at_us), done_at_us = $4, \
             lease_owner = NULL, lease_until_us = NULL \
             WHERE id = $5 AND lease_owner = $6 AND state = 'planned'",
        )
        .bind(state)
        .bind(error)
        .bind(next)
        .bind(done_at)
        .bind(id)
        .bind(owner)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// The outbox, newest plan first, optionally in one state.
    pub async fn outbox(&self, state: Option<&str>) -> Result<Vec<OutboxMessage>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM outbox WHERE (CAST($1 AS TEXT) IS NULL OR state = $1) \
             ORDER BY planned_at_us DESC, id DESC"
        )))
        .bind(state)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(message).collect()
    }
}

impl Store {
    /// How many messages failed, and the latest `limit` of them (last tried first).
    pub async fn failed_messages(
        &self,
        limit: i64,
    ) -> Result<(i64, Vec<OutboxMessage>), StoreError> {
        let n = sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE state = 'failed'")
            .fetch_one(&self.pool)
            .await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM outbox WHERE state = 'failed' \
             ORDER BY done_at_us DESC, id DESC LIMIT $1"
        )))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok((
            i64_(&n, "n")?,
            rows.iter().map(message).collect::<Result<_, _>>()?,
        ))
    }
}

impl Store {
    /// Whether the retro of `event` is written (a planned retro reminder then goes no more).
    pub async fn retro_written(&self, event: i64) -> Result<bool, StoreError> {
        let r = sqlx::query("SELECT COUNT(*) AS n FROM retros WHERE event_id = $1")
            .bind(event)
            .fetch_one(&self.pool)
            .await?;
        Ok(i64_(&r, "n")? > 0)
    }
}

impl Store {
    /// A new one-click unsubscribe token for a claimed message to a person: only its
    /// digest is kept (in `unsubscribe`), the token goes into the message's header.
    pub async fn unsubscribe_token(&self, message: i64) -> Result<String, StoreError> {
        let token = crate::web::secret()?;
        sqlx::query("UPDATE outbox SET unsubscribe = $1 WHERE id = $2")
            .bind(crate::web::digest(&token))
            .bind(message)
            .execute(&self.pool)
            .await?;
        Ok(token)
    }

    /// Marks the person a message's unsubscribe token was made for as no-contact; their
    /// planned messages are cancelled. `None` for an unknown token.
    pub async fn unsubscribe(
        &self,
        token: &str,
        now: Timestamp,
    ) -> Result<Option<i64>, StoreError> {
        let mut tx = self.write_tx().await?;
        let person = sqlx::query("SELECT person_id FROM outbox WHERE unsubscribe = $1")
            .bind(crate::web::digest(token))
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| opt_i64(&r, "person_id"))
            .transpose()?
            .flatten();
        if let Some(p) = person {
            sqlx::query("UPDATE people SET do_not_contact = 1 WHERE id = $1")
                .bind(p)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE outbox SET state = 'cancelled', last_error = 'unsubscribed', done_at_us = $1 \
                 WHERE person_id = $2 AND state = 'planned'",
            )
            .bind(now.as_microsecond())
            .bind(p)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(person)
    }
}
