use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::events::AttendanceCounts;
use crate::open::Store;
use crate::row::{i64_, parse, text, u32_};
use sqlx::AnyConnection;
use trellis_core::attendance::{CheckedIn, Rsvp};
use trellis_core::event::EventStatus;
use trellis_core::{CoreError, EventId, PersonId};

#[derive(Debug, Clone)]
pub struct AttendanceInput {
    pub event: EventId,
    pub person: PersonId,
    /// `None` keeps a stored RSVP (or `going` for a new attendance).
    pub rsvp: Option<Rsvp>,
    /// `None` keeps a stored check-in (or `unknown` for a new attendance).
    pub checked_in: Option<CheckedIn>,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct AttendanceView {
    pub event: EventId,
    pub event_title: String,
    pub person: PersonId,
    pub person_name: String,
    pub rsvp: Rsvp,
    pub checked_in: CheckedIn,
}

pub(crate) async fn counts(
    conn: &mut AnyConnection,
    event: EventId,
) -> Result<AttendanceCounts, StoreError> {
    let row = sqlx::query(
        "SELECT \
           COALESCE(SUM(CASE WHEN rsvp = 'going' THEN 1 ELSE 0 END), 0) AS going, \
           COALESCE(SUM(CASE WHEN rsvp = 'waitlist' THEN 1 ELSE 0 END), 0) AS waitlist, \
           COALESCE(SUM(CASE WHEN rsvp = 'declined' THEN 1 ELSE 0 END), 0) AS declined, \
           COALESCE(SUM(CASE WHEN rsvp = 'invited' THEN 1 ELSE 0 END), 0) AS invited, \
           COALESCE(SUM(CASE WHEN checked_in = 'yes' THEN 1 ELSE 0 END), 0) AS checked_in \
         FROM attendances WHERE event_id = $1",
    )
    .bind(event.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(AttendanceCounts {
        going: u32_(&row, "going")?,
        waitlist: u32_(&row, "waitlist")?,
        declined: u32_(&row, "declined")?,
        invited: u32_(&row, "invited")?,
        checked_in: u32_(&row, "checked_in")?,
    })
}

impl Store {
    /// Records (or updates) a person's attendance at an event.
    pub async fn attend(
        &self,
        ctx: &Ctx,
        input: &AttendanceInput,
    ) -> Result<AttendanceView, StoreError> {
        let mut tx = self.write_tx().await?;
        let view = record_attendance(&mut tx, ctx, input).await?;
        tx.commit().await?;
        Ok(view)
    }

    pub async fn attendances_of_event(
        &self,
        event: EventId,
    ) -> Result<Vec<AttendanceView>, StoreError> {
        self.attendances_where("a.event_id = $1", event.0).await
    }

    pub(crate) async fn attendances_of_person(
        &self,
        person: PersonId,
    ) -> Result<Vec<AttendanceView>, StoreError> {
        self.attendances_where("a.person_id = $1", person.0).await
    }

    async fn attendances_where(
        &self,
        filter: &'static str,
        id: i64,
    ) -> Result<Vec<AttendanceView>, StoreError> {
        let sql = format!(
            "SELECT a.event_id, e.title, a.person_id, p.display_name, a.rsvp, a.checked_in FROM attendances a \
             JOIN events e ON e.id = a.event_id JOIN people p ON p.id = a.person_id WHERE {filter} \
             ORDER BY e.starts_at_us, p.display_name"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(AttendanceView {
                    event: EventId(i64_(r, "event_id")?),
                    event_title: text(r, "title")?,
                    person: PersonId(i64_(r, "person_id")?),
                    person_name: text(r, "display_name")?,
                    rsvp: parse(r, "rsvp")?,
                    checked_in: parse(r, "checked_in")?,
                })
            })
            .collect()
    }
}

/// Records (or updates) a person's attendance in the caller's transaction: a cancelled
/// event takes nobody, a draft no check-in.
pub(crate) async fn record_attendance(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    input: &AttendanceInput,
) -> Result<AttendanceView, StoreError> {
    let ev = sqlx::query("SELECT title, status FROM events WHERE id = $1")
        .bind(input.event.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("event", input.event))?;
    let status: EventStatus = parse(&ev, "status")?;
    let event_title = text(&ev, "title")?;
    let person = sqlx::query("SELECT display_name FROM people WHERE id = $1")
        .bind(input.person.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("person", input.person))?;
    if status == EventStatus::Cancelled {
        return Err(
            CoreError::invalid("EVENT", input.event, "is cancelled; nobody can attend it").into(),
        );
    }
    if matches!(input.checked_in, Some(CheckedIn::Yes | CheckedIn::No))
        && status == EventStatus::Draft
    {
        return Err(CoreError::invalid(
            "checked_in",
            input.event,
            "is a draft event; check-in is recorded on the night (announce the event first)",
        )
        .into());
    }
    let existing = sqlx::query(
        "SELECT rsvp, checked_in FROM attendances WHERE event_id = $1 AND person_id = $2",
    )
    .bind(input.event.0)
    .bind(input.person.0)
    .fetch_optional(&mut *conn)
    .await?;
    let (old_rsvp, old_checked): (Option<Rsvp>, Option<CheckedIn>) = match &existing {
        Some(r) => (Some(parse(r, "rsvp")?), Some(parse(r, "checked_in")?)),
        None => (None, None),
    };
    // Someone checked in at the door came, whatever they had said.
    let rsvp = input.rsvp.or(old_rsvp).unwrap_or(Rsvp::Going);
    let checked_in = input
        .checked_in
        .or(old_checked)
        .unwrap_or(CheckedIn::Unknown);
    sqlx::query(
        "INSERT INTO attendances (event_id, person_id, rsvp, checked_in, source, updated_at_us) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (event_id, person_id) DO UPDATE SET rsvp = $3, checked_in = $4, updated_at_us = $6",
    )
    .bind(input.event.0)
    .bind(input.person.0)
    .bind(rsvp.as_str())
    .bind(checked_in.as_str())
    .bind(&input.source)
    .bind(ctx.now_us())
    .execute(&mut *conn)
    .await?;
    Ok(AttendanceView {
        event: input.event,
        event_title,
        person: input.person,
        person_name: text(&person, "display_name")?,
        rsvp,
        checked_in,
    })
}
