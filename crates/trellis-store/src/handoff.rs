//! An organizer's retirement and hand-off (schema 15): the facts the rules read (open
//! events and who was named for them, check-ins per program), and the retirement itself
//! in one transaction — marked retired, their events given to the successor, the
//! messages planned for them re-addressed (or cancelled), the hand-off on record.

use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::open::Store;
use crate::row::{at, i64_, opt_i64, opt_text, parse, text};
use sqlx::Row;
use trellis_core::event::EventStatus;
use trellis_core::handoff::CheckinFact;
use trellis_core::{EventId, ProgramId};

/// An event whose cycle is not over (neither closed nor cancelled), with the organizer
/// named as the owner of its due items, if one was.
#[derive(Debug, Clone)]
pub struct EventOwner {
    pub event: EventId,
    pub program: ProgramId,
    pub title: String,
    pub status: EventStatus,
    pub named: Option<i64>,
}

/// A retirement to record: the organizer, their successor, and the events whose due
/// items the successor takes over (the caller decided which, by the core's rule).
#[derive(Debug, Clone)]
pub struct Retirement {
    pub organizer: i64,
    pub to: Option<i64>,
    pub events: Vec<EventId>,
}

/// What a retirement did.
#[derive(Debug, Clone)]
pub struct Retired {
    pub handoff: i64,
    pub events: usize,
    /// Planned messages now addressed to the successor.
    pub readdressed: usize,
    /// Planned messages that will not go: no successor (or none for that program, or
    /// without an address), or the successor already has the same message.
    pub cancelled: usize,
}

/// A hand-off on record.
#[derive(Debug, Clone)]
pub struct HandoffRecord {
    pub id: i64,
    pub organizer: i64,
    pub to: Option<i64>,
    pub events: i64,
    pub messages: i64,
    pub at: jiff::Timestamp,
    pub actor: String,
}

impl Store {
    /// Every event whose cycle is open, with the organizer named for it.
    pub async fn open_event_owners(&self) -> Result<Vec<EventOwner>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.id, e.program_id, e.title, e.status, o.organizer_id FROM events e \
             LEFT JOIN event_owners o ON o.event_id = e.id \
             WHERE e.status NOT IN ('closed', 'cancelled') ORDER BY e.starts_at_us, e.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(EventOwner {
                    event: EventId(i64_(r, "id")?),
                    program: ProgramId(i64_(r, "program_id")?),
                    title: text(r, "title")?,
                    status: parse(r, "status")?,
                    named: opt_i64(r, "organizer_id")?,
                })
            })
            .collect()
    }

    /// Every check-in: whose, for which program's event, when, its score (no answers).
    pub async fn checkin_facts(&self) -> Result<Vec<CheckinFact>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.organizer_id, e.program_id, c.at_us, c.score FROM organizer_checkins c \
             JOIN events e ON e.id = c.event_id ORDER BY c.at_us, c.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(CheckinFact {
                    organizer: i64_(r, "organizer_id")?,
                    program: ProgramId(i64_(r, "program_id")?),
                    at: at(r, "at_us")?,
                    score: r.try_get::<f64, _>("score")?,
                })
            })
            .collect()
    }

    /// How many messages are planned for an organizer (not sent yet).
    pub async fn planned_for_organizer(&self, organizer: i64) -> Result<i64, StoreError> {
        let r = sqlx::query(
            "SELECT COUNT(*) AS n FROM outbox WHERE organizer_id = $1 AND state = 'planned'",
        )
        .bind(organizer)
        .fetch_one(&self.pool)
        .await?;
        i64_(&r, "n")
    }

    /// Every hand-off on record, oldest first.
    pub async fn handoffs(&self) -> Result<Vec<HandoffRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, organizer_id, to_id, events, messages, at_us, actor \
             FROM organizer_handoffs ORDER BY at_us, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(HandoffRecord {
                    id: i64_(r, "id")?,
                    organizer: i64_(r, "organizer_id")?,
                    to: opt_i64(r, "to_id")?,
                    events: i64_(r, "events")?,
                    messages: i64_(r, "messages")?,
                    at: at(r, "at_us")?,
                    actor: text(r, "actor")?,
                })
            })
            .collect()
    }

    /// Retires an organizer in one transaction. Refused (nothing written) when they
    /// retired meanwhile.
    pub async fn retire_organizer(&self, ctx: &Ctx, r: &Retirement) -> Result<Retired, StoreError> {
        let mut tx = self.write_tx().await?;
        let name = mark_retired(&mut tx, r.organizer, ctx.now_us()).await?;
        sqlx::query("DELETE FROM event_owners WHERE organizer_id = $1")
            .bind(r.organizer)
            .execute(&mut *tx)
            .await?;
        if let Some(to) = r.to {
            for e in &r.events {
                sqlx::query("DELETE FROM event_owners WHERE event_id = $1")
                    .bind(e.0)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("INSERT INTO event_owners (event_id, organizer_id) VALUES ($1, $2)")
                    .bind(e.0)
                    .bind(to)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let successor = match r.to {
            Some(to) => Some(successor(&mut tx, to).await?),
            None => None,
        };
        let (readdressed, cancelled) =
            move_messages(&mut tx, (r.organizer, &name), successor.as_ref(), ctx).await?;
        let events = if r.to.is_some() { r.events.len() } else { 0 };
        let row = sqlx::query(
            "INSERT INTO organizer_handoffs (organizer_id, to_id, events, messages, at_us, actor) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(r.organizer)
        .bind(r.to)
        .bind(i64::try_from(events).unwrap_or(i64::MAX))
        .bind(i64::try_from(readdressed).unwrap_or(i64::MAX))
        .bind(ctx.now_us())
        .bind(&ctx.actor)
        .fetch_one(&mut *tx)
        .await?;
        let handoff = i64_(&row, "id")?;
        tx.commit().await?;
        Ok(Retired {
            handoff,
            events,
            readdressed,
            cancelled,
        })
    }
}

/// Marks the organizer retired; their name. A concurrent retirement loses here.
async fn mark_retired(
    conn: &mut sqlx::AnyConnection,
    organizer: i64,
    now_us: i64,
) -> Result<String, StoreError> {
    let row = sqlx::query("SELECT name, retired_at_us FROM organizers WHERE id = $1")
        .bind(organizer)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("organizer", organizer))?;
    let name = text(&row, "name")?;
    if opt_i64(&row, "retired_at_us")?.is_some() {
        return Err(StoreError::Conflict(format!("{name} is already retired")));
    }
    sqlx::query("UPDATE organizers SET retired_at_us = $1 WHERE id = $2")
        .bind(now_us)
        .bind(organizer)
        .execute(&mut *conn)
        .await?;
    Ok(name)
}

/// Who takes over: their id, name, address and programs.
struct Successor {
    id: i64,
    name: String,
    email: Option<String>,
    programs: Vec<i64>,
}

async fn successor(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Successor, StoreError> {
    let row = sqlx::query("SELECT name, email FROM organizers WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("organizer", id))?;
    let programs = sqlx::query("SELECT program_id FROM program_organizers WHERE organizer_id = $1")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| i64_(r, "program_id"))
        .collect::<Result<_, _>>()?;
    Ok(Successor {
        id,
        name: text(&row, "name")?,
        email: opt_text(&row, "email")?.filter(|e| !e.is_empty()),
        programs,
    })
}

/// The messages planned for the retiree (retrying ones included): re-addressed to the
/// successor, under the key the successor's own copy would have, or cancelled when
/// there is no one to take them or the successor already has that message.
async fn move_messages(
    conn: &mut sqlx::AnyConnection,
    (from, from_name): (i64, &str),
    to: Option<&Successor>,
    ctx: &Ctx,
) -> Result<(usize, usize), StoreError> {
    let rows = sqlx::query(
        "SELECT id, dedupe_key, body, program_id FROM outbox \
         WHERE organizer_id = $1 AND state = 'planned' ORDER BY id",
    )
    .bind(from)
    .fetch_all(&mut *conn)
    .await?;
    let (mut moved, mut cancelled) = (0, 0);
    for r in &rows {
        let id = i64_(r, "id")?;
        let program = opt_i64(r, "program_id")?;
        let target = to.filter(|s| program.is_none_or(|p| s.programs.contains(&p)));
        let Some((s, email)) = target.and_then(|s| s.email.as_deref().map(|e| (s, e))) else {
            cancel(conn, id, &format!("{from_name} retired"), ctx).await?;
            cancelled += 1;
            continue;
        };
        let key = rekey(&text(r, "dedupe_key")?, from, s.id);
        let taken = sqlx::query("SELECT id FROM outbox WHERE dedupe_key = $1")
            .bind(&key)
            .fetch_optional(&mut *conn)
            .await?;
        if taken.is_some() {
            let why = format!("{from_name} retired; {} has this message already", s.name);
            cancel(conn, id, &why, ctx).await?;
            cancelled += 1;
            continue;
        }
        sqlx::query(
            "UPDATE outbox SET dedupe_key = $1, organizer_id = $2, recipient = $3, body = $4 \
             WHERE id = $5",
        )
        .bind(&key)
        .bind(s.id)
        .bind(email)
        .bind(regreet(&text(r, "body")?, from_name, &s.name))
        .bind(id)
        .execute(&mut *conn)
        .await?;
        moved += 1;
    }
    Ok((moved, cancelled))
}

async fn cancel(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    why: &str,
    ctx: &Ctx,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE outbox SET state = 'cancelled', last_error = $1, done_at_us = $2, \
         lease_owner = NULL, lease_until_us = NULL WHERE id = $3",
    )
    .bind(why)
    .bind(ctx.now_us())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The dedupe key the same message has for another organizer: every key names its
/// organizer as `organizer:<id>` (`retro_held:event:3:organizer:7:at:…`).
fn rekey(key: &str, from: i64, to: i64) -> String {
    let parts: Vec<&str> = key.split(':').collect();
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    for (i, p) in parts.iter().enumerate() {
        let after_organizer = i > 0 && parts[i - 1] == "organizer";
        if after_organizer && *p == from.to_string() {
            out.push(to.to_string());
        } else {
            out.push((*p).to_owned());
        }
    }
    out.join(":")
}

/// The body with the successor's name in its greeting.
fn regreet(body: &str, from: &str, to: &str) -> String {
    match body.strip_prefix(&format!("Hello {from},")) {
        Some(rest) => format!("Hello {to},{rest}"),
        None => body.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_and_a_greeting_move_to_the_successor() {
        assert_eq!(
            rekey("retro_held:event:3:organizer:7:at:100", 7, 9),
            "retro_held:event:3:organizer:9:at:100"
        );
        assert_eq!(
            rekey("hand_raised:person:7:at:1:organizer:7", 7, 2),
            "hand_raised:person:7:at:1:organizer:2"
        );
        assert_eq!(
            rekey("weekly_digest:organizer:17:week:5", 1, 2),
            "weekly_digest:organizer:17:week:5"
        );
        assert_eq!(
            regreet("Hello Ana,\n\nWords", "Ana", "Ben"),
            "Hello Ben,\n\nWords"
        );
        assert_eq!(regreet("Hi Ana", "Ana", "Ben"), "Hi Ana");
    }
}
