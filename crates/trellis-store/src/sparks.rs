//! Collaboration sparks: introductions between two people, and whether they led to action.

use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::open::Store;
use crate::row::{at, i64_, opt_at, opt_i64, opt_text, text};
use trellis_core::{CoreError, EventId, PersonId, ProgramId};

#[derive(Debug, Clone)]
pub struct SparkView {
    pub id: i64,
    pub a: crate::retros::NamedPerson,
    pub b: crate::retros::NamedPerson,
    pub event: Option<EventId>,
    pub note: Option<String>,
    pub made_by: String,
    pub made_at: jiff::Timestamp,
    pub acted_at: Option<jiff::Timestamp>,
    pub acted_note: Option<String>,
}

const SELECT: &str = "SELECT s.id, s.person_a, pa.display_name AS name_a, s.person_b, pb.display_name AS name_b, s.event_id, \
    s.note, s.made_by, s.made_at_us, s.acted_at_us, s.acted_note FROM sparks s \
    JOIN people pa ON pa.id = s.person_a JOIN people pb ON pb.id = s.person_b";

fn view(r: &sqlx::any::AnyRow) -> Result<SparkView, StoreError> {
    Ok(SparkView {
        id: i64_(r, "id")?,
        a: crate::retros::NamedPerson {
            id: PersonId(i64_(r, "person_a")?),
            name: text(r, "name_a")?,
        },
        b: crate::retros::NamedPerson {
            id: PersonId(i64_(r, "person_b")?),
            name: text(r, "name_b")?,
        },
        event: opt_i64(r, "event_id")?.map(EventId),
        note: opt_text(r, "note")?,
        made_by: text(r, "made_by")?,
        made_at: at(r, "made_at_us")?,
        acted_at: opt_at(r, "acted_at_us")?,
        acted_note: opt_text(r, "acted_note")?,
    })
}

impl Store {
    pub async fn add_spark(
        &self,
        ctx: &Ctx,
        a: PersonId,
        b: PersonId,
        event: Option<EventId>,
        note: Option<&str>,
    ) -> Result<SparkView, StoreError> {
        if a == b {
            return Err(CoreError::invalid(
                "PERSON",
                b,
                "is the same person twice; a spark introduces two people",
            )
            .into());
        }
        let mut tx = self.write_tx().await?;
        for p in [a, b] {
            if sqlx::query("SELECT id FROM people WHERE id = $1")
                .bind(p.0)
                .fetch_optional(&mut *tx)
                .await?
                .is_none()
            {
                return Err(StoreError::not_found("person", p));
            }
        }
        if let Some(e) = event
            && sqlx::query("SELECT id FROM events WHERE id = $1")
                .bind(e.0)
                .fetch_optional(&mut *tx)
                .await?
                .is_none()
        {
            return Err(StoreError::not_found("event", e));
        }
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        let row = sqlx::query(
            "INSERT INTO sparks (person_a, person_b, event_id, note, made_by, made_at_us) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(a.0)
        .bind(b.0)
        .bind(event.map(|e| e.0))
        .bind(note)
        .bind(&ctx.actor)
        .bind(ctx.now_us())
        .fetch_one(&mut *tx)
        .await?;
        let id = i64_(&row, "id")?;
        let r = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE s.id = $1")))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let v = view(&r)?;
        tx.commit().await?;
        Ok(v)
    }

    /// Marks that an introduction turned into action.
    pub async fn spark_acted(
        &self,
        ctx: &Ctx,
        id: i64,
        note: &str,
    ) -> Result<SparkView, StoreError> {
        let note = note.trim();
        if note.is_empty() {
            return Err(CoreError::invalid("note", note, "is empty; say what happened").into());
        }
        let mut tx = self.write_tx().await?;
        let row = sqlx::query("SELECT acted_at_us FROM sparks WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::not_found("spark", id))?;
        if opt_i64(&row, "acted_at_us")?.is_some() {
            return Err(CoreError::invalid("ID", id, "is already marked as acted on").into());
        }
        sqlx::query("UPDATE sparks SET acted_at_us = $1, acted_note = $2 WHERE id = $3")
            .bind(ctx.now_us())
            .bind(note)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let r = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE s.id = $1")))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let v = view(&r)?;
        tx.commit().await?;
        Ok(v)
    }

    /// Sparks, oldest first; with a program, those made at its events.
    pub async fn sparks(&self, program: Option<ProgramId>) -> Result<Vec<SparkView>, StoreError> {
        let sql = format!(
            "{SELECT} WHERE ($1 IS NULL OR s.event_id IN (SELECT id FROM events WHERE program_id = $1)) ORDER BY s.made_at_us, s.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(program.map(|p| p.0))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(view).collect()
    }
}
