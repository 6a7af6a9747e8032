//! `listen channels`: the imported chats, what they hold, and whether they were purged.

use crate::error::StoreError;
use crate::open::Store;
use crate::row::{i64_, opt_i64, text};
use jiff::Timestamp;
use trellis_core::ProgramId;

#[derive(Debug, Clone)]
pub struct ChatChannel {
    pub id: i64,
    pub program: ProgramId,
    pub name: String,
    pub format: String,
    pub messages: u64,
    pub authors: u64,
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
    /// When the channel's text was purged; `None` while it is kept.
    pub purged_at: Option<Timestamp>,
}

impl Store {
    pub async fn chat_channels(
        &self,
        program: Option<ProgramId>,
    ) -> Result<Vec<ChatChannel>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.id, c.program_id, c.name, c.format, c.purged_at_us, \
                    (SELECT COUNT(*) FROM chat_messages m WHERE m.channel_id = c.id) AS messages, \
                    (SELECT COUNT(*) FROM chat_authors a WHERE a.channel_id = c.id) AS authors, \
                    (SELECT MIN(m.at_us) FROM chat_messages m WHERE m.channel_id = c.id) AS first_us, \
                    (SELECT MAX(m.at_us) FROM chat_messages m WHERE m.channel_id = c.id) AS last_us \
             FROM chat_channels c WHERE ($1 = 0 OR c.program_id = $1) ORDER BY c.program_id, c.name",
        )
        .bind(program.map_or(0, |p| p.0))
        .fetch_all(&self.pool)
        .await?;
        let ts = |us: Option<i64>| us.and_then(|us| Timestamp::from_microsecond(us).ok());
        rows.iter()
            .map(|r| {
                Ok(ChatChannel {
                    id: i64_(r, "id")?,
                    program: ProgramId(i64_(r, "program_id")?),
                    name: text(r, "name")?,
                    format: text(r, "format")?,
                    messages: i64_(r, "messages")? as u64,
                    authors: i64_(r, "authors")? as u64,
                    first: ts(opt_i64(r, "first_us")?),
                    last: ts(opt_i64(r, "last_us")?),
                    purged_at: ts(opt_i64(r, "purged_at_us")?),
                })
            })
            .collect()
    }
}
