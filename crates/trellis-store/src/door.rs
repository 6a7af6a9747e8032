//! The door of an event: who is expected, who matches a search, and a walk-in written
//! with their check-in in one transaction.

use crate::attendance::{AttendanceInput, AttendanceView, record_attendance};
use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::events::AttendanceCounts;
use crate::open::Store;
use crate::people::{NewPerson, PersonView, insert_person};
use crate::row::{i64_, opt_text, parse, text};
use trellis_core::attendance::{CheckedIn, Rsvp};
use trellis_core::event::EventStatus;
use trellis_core::{EventId, PersonId};

/// One person as the door sees them: their first e-mail, and their attendance at the
/// event if they have one.
#[derive(Debug, Clone)]
pub struct DoorPerson {
    pub id: PersonId,
    pub name: String,
    pub email: Option<String>,
    pub rsvp: Option<Rsvp>,
    pub checked_in: CheckedIn,
}

/// What the door page is made of.
#[derive(Debug, Clone)]
pub struct DoorFacts {
    pub event: EventId,
    pub title: String,
    pub status: EventStatus,
    pub counts: AttendanceCounts,
    /// Everyone with an attendance at the event (matching the search, when there is one),
    /// by name.
    pub expected: Vec<DoorPerson>,
    /// People without an attendance who match the search (none without a search).
    pub others: Vec<DoorPerson>,
}

/// At most this many people without an RSVP are listed for a search.
const OTHERS: i64 = 20;

impl Store {
    /// The event's door: its attendances and, for a search (a name or an e-mail, any
    /// part of it, case-insensitive), the other people it finds.
    pub async fn door(&self, event: EventId, search: &str) -> Result<DoorFacts, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let ev = sqlx::query("SELECT title, status FROM events WHERE id = $1")
            .bind(event.0)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| StoreError::not_found("event", event))?;
        let pattern = like_pattern(search);
        let matches = "(LOWER(p.display_name) LIKE $2 ESCAPE '\\' OR EXISTS (SELECT 1 FROM person_emails x \
                        WHERE x.person_id = p.id AND x.email LIKE $2 ESCAPE '\\'))";
        let expected = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT p.id, p.display_name, a.rsvp, a.checked_in, \
                    (SELECT MIN(e.email) FROM person_emails e WHERE e.person_id = p.id) AS email \
             FROM attendances a JOIN people p ON p.id = a.person_id \
             WHERE a.event_id = $1 AND ($2 = '%' OR {matches}) ORDER BY LOWER(p.display_name), p.id"
        )))
        .bind(event.0)
        .bind(&pattern)
        .fetch_all(&mut *conn)
        .await?;
        let others = if search.trim().is_empty() {
            Vec::new()
        } else {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT p.id, p.display_name, NULL AS rsvp, NULL AS checked_in, \
                        (SELECT MIN(e.email) FROM person_emails e WHERE e.person_id = p.id) AS email \
                 FROM people p WHERE p.merged_into IS NULL AND p.forgotten_at_us IS NULL AND {matches} \
                 AND NOT EXISTS (SELECT 1 FROM attendances a WHERE a.event_id = $1 AND a.person_id = p.id) \
                 ORDER BY LOWER(p.display_name), p.id LIMIT {OTHERS}"
            )))
            .bind(event.0)
            .bind(&pattern)
            .fetch_all(&mut *conn)
            .await?
        };
        Ok(DoorFacts {
            event,
            title: text(&ev, "title")?,
            status: parse(&ev, "status")?,
            counts: crate::attendance::counts(&mut conn, event).await?,
            expected: expected.iter().map(door_person).collect::<Result<_, _>>()?,
            others: others.iter().map(door_person).collect::<Result<_, _>>()?,
        })
    }

    /// Someone who came without an RSVP and is not on record: the person and their
    /// check-in are written together, or neither.
    pub async fn walk_in(
        &self,
        ctx: &Ctx,
        event: EventId,
        new: &NewPerson,
    ) -> Result<(PersonView, AttendanceView), StoreError> {
        let mut tx = self.write_tx().await?;
        let person = insert_person(&mut tx, ctx, new).await?;
        let input = AttendanceInput {
            event,
            person: person.id,
            rsvp: None,
            checked_in: Some(CheckedIn::Yes),
            source: "walk-in".into(),
        };
        let attendance = record_attendance(&mut tx, ctx, &input).await?;
        tx.commit().await?;
        Ok((person, attendance))
    }
}

fn door_person(r: &sqlx::any::AnyRow) -> Result<DoorPerson, StoreError> {
    let rsvp = opt_text(r, "rsvp")?
        .map(|s| s.parse::<Rsvp>())
        .transpose()
        .map_err(|e| StoreError::Corrupt(format!("rsvp: {e}")))?;
    let checked_in = match opt_text(r, "checked_in")? {
        Some(s) => s
            .parse::<CheckedIn>()
            .map_err(|e| StoreError::Corrupt(format!("checked_in: {e}")))?,
        None => CheckedIn::Unknown,
    };
    Ok(DoorPerson {
        id: PersonId(i64_(r, "id")?),
        name: text(r, "display_name")?,
        email: opt_text(r, "email")?,
        rsvp,
        checked_in,
    })
}

/// A search as a `LIKE` pattern: lower case, its own `%` and `_` taken literally; `%`
/// (everything) when blank.
pub(crate) fn like_pattern(search: &str) -> String {
    let mut p = String::from("%");
    for c in search.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    if p.len() > 1 {
        p.push('%');
    }
    p
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_search_is_taken_literally() {
        assert_eq!(super::like_pattern("  "), "%");
        assert_eq!(super::like_pattern("Ana K"), "%ana k%");
        assert_eq!(super::like_pattern("50%_a"), "%50\\%\\_a%");
    }
}
