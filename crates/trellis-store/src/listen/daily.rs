//! Messages per day around an event, for the listening page's chart: the 28 days of the
//! baseline and the days of the discussion window, counted over the program's chats.

use super::US_PER_DAY;
use crate::error::StoreError;
use crate::open::Store;
use crate::row::i64_;
use jiff::Timestamp;
use trellis_core::EventId;
use trellis_core::time::from_micros;

/// Message counts per day from `from`, one per day (days without messages count 0).
#[derive(Debug, Clone)]
pub struct ChatDaily {
    pub from: Timestamp,
    pub counts: Vec<u64>,
}

impl Store {
    /// The program's messages per day over `[start - before, start + after)` days of
    /// `event`'s start (days are 24-hour spans from the start, as the report's window).
    pub async fn chat_daily(
        &self,
        event: EventId,
        before: i64,
        after: i64,
    ) -> Result<ChatDaily, StoreError> {
        let days = before
            .saturating_add(after)
            .clamp(0, 2 * super::report::MAX_DAYS);
        let ev = sqlx::query("SELECT program_id, starts_at_us FROM events WHERE id = $1")
            .bind(event.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("event", event.0))?;
        let from = i64_(&ev, "starts_at_us")?.saturating_sub(before.saturating_mul(US_PER_DAY));
        let to = from.saturating_add(days.saturating_mul(US_PER_DAY));
        // Offsets from `from` are never negative, so integer division floors on both
        // backends.
        let rows = sqlx::query(
            "SELECT (m.at_us - $2) / $4 AS day, COUNT(*) AS n FROM chat_messages m \
             JOIN chat_channels c ON c.id = m.channel_id \
             WHERE c.program_id = $1 AND m.at_us >= $2 AND m.at_us < $3 GROUP BY 1",
        )
        .bind(i64_(&ev, "program_id")?)
        .bind(from)
        .bind(to)
        .bind(US_PER_DAY)
        .fetch_all(&self.pool)
        .await?;
        let mut counts = vec![0u64; usize::try_from(days).unwrap_or(0)];
        for r in &rows {
            let day = usize::try_from(i64_(r, "day")?).unwrap_or(usize::MAX);
            if let Some(c) = counts.get_mut(day) {
                *c = u64::try_from(i64_(r, "n")?).unwrap_or(0);
            }
        }
        Ok(ChatDaily {
            from: from_micros(from),
            counts,
        })
    }
}
