//! The due dates of every mechanism, as calendar items with stable ids, so that a
//! subscribed calendar updates in place instead of piling up duplicates.

use crate::error::StoreError;
use crate::gates::held_at;
use crate::open::Store;
use crate::row::{at, i64_, opt_at, opt_i64, opt_text, parse, text, u32_};
use jiff::{SignedDuration, Timestamp, ToSpan};
use trellis_core::event::EventStatus;
use trellis_core::{EventId, ProgramId};

#[derive(Debug, Clone, PartialEq)]
pub struct CalendarItem {
    /// Stable across runs: `event-12@trellis`, `retro-12@trellis`, ...
    pub uid: String,
    pub summary: String,
    pub description: String,
    pub location: Option<String>,
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Store {
    pub async fn calendar(
        &self,
        program: Option<ProgramId>,
        now: Timestamp,
    ) -> Result<Vec<CalendarItem>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let mut items = Vec::new();
        event_items(&mut conn, program, &mut items).await?;
        review_items(&mut conn, program, now, &mut items).await?;
        Ok(items)
    }
}

/// Each event of `program` (every program: `None`), co-hosted ones too, that is not
/// cancelled, and once it was held, its retro's and follow-ups' due dates.
async fn event_items(
    conn: &mut sqlx::AnyConnection,
    program: Option<ProgramId>,
    items: &mut Vec<CalendarItem>,
) -> Result<(), StoreError> {
    let events = sqlx::query(
        "SELECT e.id, e.title, e.status, e.starts_at_us, e.venue, p.name AS program, p.retro_hours, p.followup_minimum, \
           r.written_at_us, (SELECT COUNT(*) FROM followups f WHERE f.event_id = e.id) AS sent \
         FROM events e JOIN programs p ON p.id = e.program_id LEFT JOIN retros r ON r.event_id = e.id \
         WHERE e.status <> 'cancelled' AND ($1 IS NULL OR e.program_id = $1 OR e.cohost_program_id = $1) ORDER BY e.starts_at_us, e.id",
    )
    .bind(program.map(|p| p.0))
    .fetch_all(&mut *conn)
    .await?;
    for r in &events {
        let id = EventId(i64_(r, "id")?);
        let title = text(r, "title")?;
        let status: EventStatus = parse(r, "status")?;
        let start = at(r, "starts_at_us")?;
        items.push(CalendarItem {
            uid: format!("event-{id}@trellis"),
            summary: title.clone(),
            description: format!("{} · {status}", text(r, "program")?),
            location: opt_text(r, "venue")?,
            start,
            end: start + SignedDuration::from_hours(3),
        });
        if !matches!(status, EventStatus::Held | EventStatus::Closed) {
            continue;
        }
        let held = held_at(conn, id).await?;
        let due = trellis_core::retro::due(held, u32_(r, "retro_hours")?);
        let retro = match opt_at(r, "written_at_us")? {
            Some(w) if w > due => "written late",
            Some(_) => "written",
            None => "not written yet",
        };
        items.push(CalendarItem {
            uid: format!("retro-{id}@trellis"),
            summary: format!("Retro due: {title}"),
            description: format!("The 48-hour retro ({retro})."),
            location: None,
            start: due,
            end: due + SignedDuration::from_mins(30),
        });
        let fu_due = trellis_core::followup::due(held);
        items.push(CalendarItem {
            uid: format!("followup-{id}@trellis"),
            summary: format!("Follow-ups due: {title}"),
            description: format!(
                "{} of {} people asked \"what did you do next?\".",
                u32_(r, "sent")?,
                u32_(r, "followup_minimum")?
            ),
            location: None,
            start: fu_due,
            end: fu_due + SignedDuration::from_mins(30),
        });
    }
    Ok(())
}

async fn review_items(
    conn: &mut sqlx::AnyConnection,
    program: Option<ProgramId>,
    now: Timestamp,
    items: &mut Vec<CalendarItem>,
) -> Result<(), StoreError> {
    // The next review of each program: a month after the last one, in the program's
    // zone; the next morning when there has been none.
    let programs = sqlx::query(
        "SELECT p.id, p.name, p.tz, (SELECT MAX(started_at_us) FROM reviews r WHERE r.program_id = p.id) AS last \
         FROM programs p WHERE ($1 IS NULL OR p.id = $1) ORDER BY p.id",
    )
    .bind(program.map(|p| p.0))
    .fetch_all(&mut *conn)
    .await?;
    for r in &programs {
        let tz = trellis_core::time::zone("tz", &text(r, "tz")?)?;
        let next = match opt_at(r, "last")? {
            Some(last) => last
                .to_zoned_datetime(tz.clone())
                .checked_add(1.month())
                .map(|z| z.timestamp())
                .unwrap_or(last),
            None => {
                let tomorrow = now
                    .to_zoned_datetime(tz.clone())
                    .date()
                    .tomorrow()
                    .unwrap_or_default();
                tomorrow
                    .at(10, 0, 0, 0)
                    .to_zoned_datetime(tz.clone())
                    .map(|z| z.timestamp())
                    .unwrap_or(now)
            }
        };
        items.push(CalendarItem {
            uid: format!("review-{}@trellis", i64_(r, "id")?),
            summary: format!("Metric review: {}", text(r, "name")?),
            description: "15 minutes, one screen, one insight.".into(),
            location: None,
            start: next,
            end: next + SignedDuration::from_mins(15),
        });
    }
    Ok(())
}

/// A mechanism still to do after an event.
#[derive(Debug, Clone, PartialEq)]
pub struct DueItem {
    /// `retro` or `followups`.
    pub kind: &'static str,
    pub event: EventId,
    pub title: String,
    pub due_at: Timestamp,
    pub detail: String,
    pub program: ProgramId,
    /// The organizer named as the owner of the event's due items, if one was.
    pub owner: Option<i64>,
}

impl Store {
    /// What is still due for the held events whose cycle is open: missing retros, and
    /// follow-ups below the minimum. A backfilled event owes nothing: it is history.
    pub async fn dues(&self, program: Option<ProgramId>) -> Result<Vec<DueItem>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let rows = sqlx::query(
            "SELECT e.id, e.title, p.retro_hours, p.followup_minimum, \
               (SELECT COUNT(*) FROM retros r WHERE r.event_id = e.id) AS has_retro, \
               (SELECT COUNT(*) FROM followups f WHERE f.event_id = e.id) AS sent, \
               e.program_id, (SELECT eo.organizer_id FROM event_owners eo WHERE eo.event_id = e.id) AS owner_id \
             FROM events e JOIN programs p ON p.id = e.program_id \
             WHERE e.status = 'held' AND e.backfilled = 0 AND ($1 IS NULL OR e.program_id = $1) ORDER BY e.starts_at_us, e.id",
        )
        .bind(program.map(|p| p.0))
        .fetch_all(&mut *conn)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let id = EventId(i64_(r, "id")?);
            let title = text(r, "title")?;
            let held = held_at(&mut conn, id).await?;
            let (program, owner) = (ProgramId(i64_(r, "program_id")?), opt_i64(r, "owner_id")?);
            if i64_(r, "has_retro")? == 0 {
                out.push(DueItem {
                    kind: "retro",
                    event: id,
                    title: title.clone(),
                    due_at: trellis_core::retro::due(held, u32_(r, "retro_hours")?),
                    detail: "48-hour retro".into(),
                    program,
                    owner,
                });
            }
            let (sent, min) = (u32_(r, "sent")?, u32_(r, "followup_minimum")?);
            if sent < min {
                out.push(DueItem {
                    kind: "followups",
                    event: id,
                    title,
                    due_at: trellis_core::followup::due(held),
                    detail: format!("follow-ups {sent} of {min}"),
                    program,
                    owner,
                });
            }
        }
        out.sort_by_key(|d| d.due_at);
        Ok(out)
    }
}
