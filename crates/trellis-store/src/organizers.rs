//! Organizers, and their fatigue check-ins after each event.

use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::open::Store;
use crate::row::{at, i64_, opt_at, opt_text, parse, text};
use sqlx::Row;
use trellis_core::checkin;
use trellis_core::event::EventStatus;
use trellis_core::person::normalise_email;
use trellis_core::{CoreError, EventId, ProgramId};

#[derive(Debug, Clone)]
pub struct Organizer {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub programs: Vec<ProgramId>,
    /// When they retired (handed their work on); `None` while active.
    pub retired_at: Option<jiff::Timestamp>,
}

#[derive(Debug, Clone)]
pub struct CheckinView {
    pub id: i64,
    pub event: EventId,
    pub organizer: String,
    pub answers: Vec<u8>,
    pub score: f64,
    pub high: bool,
    pub hours: f64,
    pub at: jiff::Timestamp,
}

impl Store {
    pub async fn add_organizer(
        &self,
        ctx: &Ctx,
        name: &str,
        email: Option<&str>,
        programs: &[ProgramId],
    ) -> Result<Organizer, StoreError> {
        let name = trellis_core::program::validate_name("name", name)?;
        let email = email.map(normalise_email).transpose()?;
        let mut tx = self.write_tx().await?;
        if sqlx::query("SELECT id FROM organizers WHERE lower(name) = lower($1)")
            .bind(&name)
            .fetch_optional(&mut *tx)
            .await?
            .is_some()
        {
            return Err(StoreError::Conflict(format!(
                "name: an organizer named {name:?} already exists"
            )));
        }
        let row = sqlx::query(
            "INSERT INTO organizers (name, email, created_at_us) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(&name)
        .bind(email.clone())
        .bind(ctx.now_us())
        .fetch_one(&mut *tx)
        .await?;
        let id = i64_(&row, "id")?;
        for p in programs {
            if sqlx::query("SELECT id FROM programs WHERE id = $1")
                .bind(p.0)
                .fetch_optional(&mut *tx)
                .await?
                .is_none()
            {
                return Err(StoreError::not_found("program", p));
            }
            sqlx::query(
                "INSERT INTO program_organizers (program_id, organizer_id) VALUES ($1, $2)",
            )
            .bind(p.0)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Organizer {
            id,
            name,
            email,
            programs: programs.to_vec(),
            retired_at: None,
        })
    }

    pub async fn organizers(&self) -> Result<Vec<Organizer>, StoreError> {
        let rows = sqlx::query("SELECT id, name, email, retired_at_us FROM organizers ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        let links = sqlx::query(
            "SELECT organizer_id, program_id FROM program_organizers ORDER BY program_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let id = i64_(r, "id")?;
                let programs = links
                    .iter()
                    .filter(|l| l.try_get::<i64, _>("organizer_id").ok() == Some(id))
                    .map(|l| i64_(l, "program_id").map(ProgramId))
                    .collect::<Result<_, _>>()?;
                Ok(Organizer {
                    id,
                    name: text(r, "name")?,
                    email: opt_text(r, "email")?,
                    programs,
                    retired_at: opt_at(r, "retired_at_us")?,
                })
            })
            .collect()
    }

    /// Records an organizer's check-in after an event. The organizer is named by id or
    /// exact name.
    pub async fn checkin(
        &self,
        ctx: &Ctx,
        event: EventId,
        organizer: &str,
        answers: [u8; 7],
        hours: f64,
    ) -> Result<CheckinView, StoreError> {
        let hours = checkin::hours(hours)?;
        let mut tx = self.write_tx().await?;
        let ev = event_after_it_was_held(&mut tx, event).await?;
        let org = checkin_organizer(&mut tx, organizer.trim()).await?;
        let org_id = i64_(&org, "id")?;
        let name = text(&org, "name")?;
        // Only the event's own organizers: another program's answers would dilute this
        // program's index and hide a tired organizer.
        let organizes = sqlx::query(
            "SELECT 1 AS x FROM program_organizers WHERE program_id = $1 AND organizer_id = $2",
        )
        .bind(i64_(&ev, "program_id")?)
        .bind(org_id)
        .fetch_optional(&mut *tx)
        .await?;
        if organizes.is_none() {
            return Err(CoreError::invalid(
                "organizer",
                &name,
                format!(
                    "is not an organizer of program '{}', whose event this is; only its organizers check in for it",
                    text(&ev, "program")?
                ),
            )
            .into());
        }
        // A retired organizer handed their work on: the index is of active organizers.
        let retired = sqlx::query("SELECT retired_at_us FROM organizers WHERE id = $1")
            .bind(org_id)
            .fetch_one(&mut *tx)
            .await?;
        if opt_at(&retired, "retired_at_us")?.is_some() {
            return Err(CoreError::invalid(
                "organizer",
                &name,
                "has retired (handed their work on); only active organizers check in",
            )
            .into());
        }
        let taken = sqlx::query(
            "SELECT id FROM organizer_checkins WHERE event_id = $1 AND organizer_id = $2",
        )
        .bind(event.0)
        .bind(org_id)
        .fetch_optional(&mut *tx)
        .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!(
                "{name} already checked in for event {event}"
            )));
        }
        let score = checkin::score(&answers);
        let text_answers: String = answers
            .iter()
            .map(|a| a.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let row = sqlx::query(
            "INSERT INTO organizer_checkins (event_id, organizer_id, answers, score, hours, at_us) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(event.0)
        .bind(org_id)
        .bind(&text_answers)
        .bind(score)
        .bind(hours)
        .bind(ctx.now_us())
        .fetch_one(&mut *tx)
        .await?;
        let id = i64_(&row, "id")?;
        tx.commit().await?;
        Ok(CheckinView {
            id,
            event,
            organizer: name,
            answers: answers.to_vec(),
            score,
            high: score >= checkin::HIGH,
            hours,
            at: ctx.now,
        })
    }

    pub async fn checkins(&self, event: Option<EventId>) -> Result<Vec<CheckinView>, StoreError> {
        self.checkins_where(event, None).await
    }

    /// One organizer's own check-ins, oldest first: their trend, for them to see. The
    /// organizer is named by id or exact name.
    pub async fn organizer_checkins(
        &self,
        organizer: &str,
    ) -> Result<Vec<CheckinView>, StoreError> {
        let key = organizer.trim();
        let row = match key.parse::<i64>() {
            Ok(id) => sqlx::query("SELECT id FROM organizers WHERE id = $1").bind(id),
            Err(_) => {
                sqlx::query("SELECT id FROM organizers WHERE lower(name) = lower($1)").bind(key)
            }
        }
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| CoreError::invalid("organizer", key, "is not an organizer"))?;
        self.checkins_where(None, Some(i64_(&row, "id")?)).await
    }

    async fn checkins_where(
        &self,
        event: Option<EventId>,
        organizer: Option<i64>,
    ) -> Result<Vec<CheckinView>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.id, c.event_id, o.name, c.answers, c.score, c.hours, c.at_us FROM organizer_checkins c \
             JOIN organizers o ON o.id = c.organizer_id WHERE ($1 IS NULL OR c.event_id = $1) AND ($2 IS NULL OR c.organizer_id = $2) \
             ORDER BY c.at_us, c.id",
        )
        .bind(event.map(|e| e.0))
        .bind(organizer)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let score = r.try_get::<f64, _>("score")?;
                Ok(CheckinView {
                    id: i64_(r, "id")?,
                    event: EventId(i64_(r, "event_id")?),
                    organizer: text(r, "name")?,
                    answers: text(r, "answers")?
                        .split(',')
                        .filter_map(|a| a.parse().ok())
                        .collect(),
                    score,
                    high: score >= checkin::HIGH,
                    hours: r.try_get::<f64, _>("hours")?,
                    at: at(r, "at_us")?,
                })
            })
            .collect()
    }
}

/// The event being checked in for, with its program: answered once it was held.
async fn event_after_it_was_held(
    conn: &mut sqlx::AnyConnection,
    event: EventId,
) -> Result<sqlx::any::AnyRow, StoreError> {
    let ev = sqlx::query(
        "SELECT e.status, e.program_id, p.name AS program FROM events e JOIN programs p ON p.id = e.program_id WHERE e.id = $1",
    )
        .bind(event.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("event", event))?;
    let status: EventStatus = parse(&ev, "status")?;
    if !matches!(status, EventStatus::Held | EventStatus::Closed) {
        return Err(CoreError::invalid(
            "EVENT",
            event,
            format!("is {status}; the check-in is answered after the event"),
        )
        .into());
    }
    Ok(ev)
}

/// The organizer who checks in, named by id or exact name (any case).
async fn checkin_organizer(
    conn: &mut sqlx::AnyConnection,
    key: &str,
) -> Result<sqlx::any::AnyRow, StoreError> {
    let org = match key.parse::<i64>() {
        Ok(id) => {
            sqlx::query("SELECT id, name FROM organizers WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
        }
        Err(_) => {
            sqlx::query("SELECT id, name FROM organizers WHERE lower(name) = lower($1)")
                .bind(key)
                .fetch_optional(&mut *conn)
                .await?
        }
    }
    .ok_or_else(|| {
        CoreError::invalid(
            "organizer",
            key,
            "is not an organizer; add them as an organizer first",
        )
    })?;
    Ok(org)
}
