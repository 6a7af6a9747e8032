//! The facts behind the organizers' two rhythm nudges: the monthly review and the
//! fatigue check-in the morning after an event.

use crate::error::StoreError;
use crate::notify_facts::{MailableOrganizer, organizers_of};
use crate::open::Store;
use crate::row::{i64_, opt_i64, text};
use jiff::{SignedDuration, Timestamp};

/// A program that has held events, with when its last review started.
#[derive(Debug, Clone)]
pub struct ReviewFacts {
    pub program_id: i64,
    pub program: String,
    pub last_review: Option<Timestamp>,
    pub first_held: Option<Timestamp>,
    pub organizers: Vec<MailableOrganizer>,
}

/// A recently held event, with its program's zone and the organizers who have not
/// checked in for it.
#[derive(Debug, Clone)]
pub struct CheckinFacts {
    pub event_id: i64,
    pub program_id: i64,
    pub program: String,
    pub title: String,
    pub tz: String,
    pub starts_at: Timestamp,
    pub organizers: Vec<MailableOrganizer>,
}

const LAST_REVIEW: &str = "(SELECT MAX(r.started_at_us) FROM reviews r WHERE r.program_id = p.id OR r.program_id IS NULL)";

impl Store {
    /// Every program with a held event (not backfilled history), for the review nudge.
    pub async fn reviews_pending(&self) -> Result<Vec<ReviewFacts>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT p.id, p.name, {LAST_REVIEW} AS last_us, \
                    (SELECT MIN(e.starts_at_us) FROM events e WHERE e.program_id = p.id \
                      AND e.status IN ('held', 'closed') AND e.backfilled = 0) AS first_us \
             FROM programs p ORDER BY p.id"
        )))
        .fetch_all(&mut *conn)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let first_held = opt_i64(r, "first_us")?.map(trellis_core::time::from_micros);
            if first_held.is_none() {
                continue;
            }
            let program_id = i64_(r, "id")?;
            out.push(ReviewFacts {
                program_id,
                program: text(r, "name")?,
                last_review: opt_i64(r, "last_us")?.map(trellis_core::time::from_micros),
                first_held,
                organizers: organizers_of(&mut conn, program_id).await?,
            });
        }
        Ok(out)
    }

    /// When the program's last review (its own or an org-wide one) started.
    pub async fn last_review_started(&self, program: i64) -> Result<Option<Timestamp>, StoreError> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {LAST_REVIEW} AS last_us FROM programs p WHERE p.id = $1"
        )))
        .bind(program)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match r {
            Some(r) => opt_i64(&r, "last_us")?.map(trellis_core::time::from_micros),
            None => None,
        })
    }

    /// Held events that started in the last `within` before `now`, with the organizers
    /// who have not checked in for them.
    pub async fn checkins_pending(
        &self,
        now: Timestamp,
        within: SignedDuration,
    ) -> Result<Vec<CheckinFacts>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let since = now.checked_sub(within).unwrap_or(now);
        let rows = sqlx::query(
            "SELECT e.id, e.title, e.starts_at_us, e.program_id, p.name AS program, p.tz \
             FROM events e JOIN programs p ON p.id = e.program_id \
             WHERE e.status IN ('held', 'closed') AND e.backfilled = 0 \
               AND e.starts_at_us >= $1 AND e.starts_at_us <= $2 ORDER BY e.id",
        )
        .bind(since.as_microsecond())
        .bind(now.as_microsecond())
        .fetch_all(&mut *conn)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let event_id = i64_(r, "id")?;
            let program_id = i64_(r, "program_id")?;
            let mut organizers = organizers_of(&mut conn, program_id).await?;
            let done =
                sqlx::query("SELECT organizer_id FROM organizer_checkins WHERE event_id = $1")
                    .bind(event_id)
                    .fetch_all(&mut *conn)
                    .await?
                    .iter()
                    .map(|r| i64_(r, "organizer_id"))
                    .collect::<Result<Vec<_>, _>>()?;
            organizers.retain(|o| !done.contains(&o.id));
            out.push(CheckinFacts {
                event_id,
                program_id,
                program: text(r, "program")?,
                title: text(r, "title")?,
                tz: text(r, "tz")?,
                starts_at: crate::row::at(r, "starts_at_us")?,
                organizers,
            });
        }
        Ok(out)
    }

    /// Whether an organizer checked in for an event.
    pub async fn checked_in(&self, event: i64, organizer: i64) -> Result<bool, StoreError> {
        let r = sqlx::query(
            "SELECT COUNT(*) AS n FROM organizer_checkins WHERE event_id = $1 AND organizer_id = $2",
        )
        .bind(event)
        .bind(organizer)
        .fetch_one(&self.pool)
        .await?;
        Ok(i64_(&r, "n")? > 0)
    }
}
