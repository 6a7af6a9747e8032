//! The imported chats (`listen channels`) and a purge's result, as `--json` shows them.

use crate::{AppError, views};
use jiff::Timestamp;
use serde::Serialize;
use trellis_core::ProgramId;
use trellis_store::Store;

/// An imported chat: `listen channels`.
#[derive(Debug, Clone, Serialize)]
pub struct ChatChannel {
    pub id: i64,
    pub program: ProgramId,
    pub name: String,
    pub format: String,
    pub messages: u64,
    pub authors: u64,
    #[serde(serialize_with = "trellis_core::time::json::utc_opt")]
    pub first: Option<Timestamp>,
    #[serde(serialize_with = "trellis_core::time::json::utc_opt")]
    pub last: Option<Timestamp>,
    /// When the channel's text was purged; `None` while it is kept.
    #[serde(serialize_with = "trellis_core::time::json::utc_opt")]
    pub purged_at: Option<Timestamp>,
}

from_fact!(trellis_store::ChatChannel => ChatChannel {
    id, program, name, format, messages, authors, first, last, purged_at
});

/// `listen purge`: the text deleted, and what was kept for the reports.
#[derive(Debug, Clone, Serialize)]
pub struct ChatPurged {
    pub channel: String,
    pub channel_id: i64,
    pub program: ProgramId,
    /// Messages whose text was removed now.
    pub purged: u64,
    /// Messages kept as related to an event (all of them, including earlier purges').
    pub related_kept: u64,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub purged_at: jiff::Timestamp,
}

from_fact!(trellis_store::ChatPurged => ChatPurged {
    channel, channel_id, program, purged, related_kept, purged_at
});

/// The imported chats: one program's, or all.
pub async fn list(store: &Store, program: Option<ProgramId>) -> Result<Vec<ChatChannel>, AppError> {
    Ok(views(store.chat_channels(program).await?))
}
