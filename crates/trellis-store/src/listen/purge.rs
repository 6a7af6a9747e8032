//! `listen purge`: a channel's message text goes; what the reports need stays. Before the
//! text goes, each message is judged against every event of its program once, and the
//! events it is related to are kept in `chat_related` (the same happens to a forgotten
//! person's messages), so a report after the purge gives the same figures as before.

use super::US_PER_DAY;
use super::report::{MAX_DAYS, event_facts_without_keywords, program_keywords};
use crate::bulk::{Value, upsert_many};
use crate::ctx::Ctx;
use crate::dialect::Dialect;
use crate::error::StoreError;
use crate::open::Store;
use crate::row::{i64_, text};
use futures_util::TryStreamExt;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use trellis_core::listen::RelatedIndex;
use trellis_core::{CoreError, PersonId, ProgramId};

#[derive(Debug, Clone)]
pub struct ChatPurged {
    pub channel: String,
    pub channel_id: i64,
    pub program: ProgramId,
    /// Messages whose text was removed now.
    pub purged: u64,
    /// Messages kept as related to an event (all of them, including earlier purges').
    pub related_kept: u64,
    pub purged_at: jiff::Timestamp,
}

/// Whose messages to judge before their text goes.
enum Scope {
    Channel(i64),
    Person(PersonId),
}

impl Store {
    /// Removes the text of every message of the channel, keeping each message's time,
    /// author, tone and the events it is related to. `channel` is the channel's id or its
    /// name (with `program` when several programs have a channel of that name).
    pub async fn purge_chat(
        &self,
        ctx: &Ctx,
        program: Option<ProgramId>,
        channel: &str,
    ) -> Result<ChatPurged, StoreError> {
        let mut tx = self.write_tx().await?;
        let conn: &mut AnyConnection = &mut tx;
        let (channel_id, name, program) = find_channel(conn, program, channel).await?;
        freeze_related(conn, self.dialect(), Scope::Channel(channel_id)).await?;
        let purged = sqlx::query(
            "UPDATE chat_messages SET text = NULL WHERE channel_id = $1 AND text IS NOT NULL",
        )
        .bind(channel_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        sqlx::query("UPDATE chat_channels SET purged_at_us = $1 WHERE id = $2")
            .bind(ctx.now_us())
            .bind(channel_id)
            .execute(&mut *conn)
            .await?;
        let kept = sqlx::query(
            "SELECT COUNT(DISTINCT r.message_id) AS n FROM chat_related r \
             JOIN chat_messages m ON m.id = r.message_id WHERE m.channel_id = $1",
        )
        .bind(channel_id)
        .fetch_one(&mut *conn)
        .await?;
        let related_kept = i64_(&kept, "n")? as u64;
        tx.commit().await?;
        Ok(ChatPurged {
            channel: name,
            channel_id,
            program: ProgramId(program),
            purged,
            related_kept,
            purged_at: ctx.now,
        })
    }
}

/// Before `person forget` blanks the person's chat messages: keeps which events they were
/// related to, so the listening reports stay the same.
pub(crate) async fn freeze_related_of_person(
    conn: &mut AnyConnection,
    dialect: Dialect,
    person: PersonId,
) -> Result<(), StoreError> {
    freeze_related(conn, dialect, Scope::Person(person)).await
}

async fn find_channel(
    conn: &mut AnyConnection,
    program: Option<ProgramId>,
    channel: &str,
) -> Result<(i64, String, i64), StoreError> {
    let wanted = channel.trim();
    let rows = sqlx::query(
        "SELECT id, name, program_id FROM chat_channels WHERE (name = $1 OR CAST(id AS TEXT) = $1) ORDER BY id",
    )
    .bind(wanted)
    .fetch_all(&mut *conn)
    .await?;
    let mut found = Vec::new();
    for r in &rows {
        let p = i64_(r, "program_id")?;
        if program.is_none_or(|want| want.0 == p) {
            found.push((i64_(r, "id")?, text(r, "name")?, p));
        }
    }
    // A channel named like another channel's id: the name wins.
    if found.len() > 1 {
        found.retain(|(_, n, _)| n == wanted);
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(StoreError::not_found("chat channel", wanted)),
        _ => Err(CoreError::invalid(
            "CHANNEL",
            wanted,
            format!(
                "names channels of several programs ({}); say which program",
                found
                    .iter()
                    .map(|(_, _, p)| p.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .into()),
    }
}

/// Judges each message of the scope that still has its text against every event of its
/// program that started up to a year before it, and records the related pairs.
async fn freeze_related(
    conn: &mut AnyConnection,
    dialect: Dialect,
    scope: Scope,
) -> Result<(), StoreError> {
    // The messages, and their programs (whose events are read before the messages stream:
    // one connection).
    let (messages, programs, bind) = match scope {
        Scope::Channel(id) => (
            "SELECT m.id, m.at_us, m.text, c.program_id FROM chat_messages m \
             JOIN chat_channels c ON c.id = m.channel_id WHERE m.channel_id = $1 AND m.text IS NOT NULL",
            "SELECT DISTINCT program_id FROM chat_channels WHERE id = $1",
            id,
        ),
        Scope::Person(p) => (
            "SELECT m.id, m.at_us, m.text, c.program_id FROM chat_messages m \
             JOIN chat_channels c ON c.id = m.channel_id JOIN chat_authors a ON a.id = m.author_id \
             WHERE a.person_id = $1 AND m.text IS NOT NULL",
            "SELECT DISTINCT c.program_id FROM chat_channels c \
             JOIN chat_authors a ON a.channel_id = c.id WHERE a.person_id = $1",
            p.0,
        ),
    };
    let indexes = program_indexes(conn, programs, bind).await?;

    let mut pairs: Vec<(i64, i64)> = Vec::new();
    {
        let mut rows = sqlx::query(messages).bind(bind).fetch(&mut *conn);
        while let Some(r) = rows.try_next().await? {
            let id: i64 = r.try_get("id")?;
            let at: i64 = r.try_get("at_us")?;
            let program: i64 = r.try_get("program_id")?;
            let body: Option<String> = r.try_get("text")?;
            let (Some(body), Some(index)) = (body, indexes.get(&program)) else {
                continue;
            };
            for (event, _) in index.related(&body, |(_, starts)| {
                at >= starts && at <= starts.saturating_add(MAX_DAYS * US_PER_DAY)
            }) {
                pairs.push((event, id));
            }
        }
    }
    pairs.sort_unstable();
    upsert_many(
        conn,
        dialect,
        "chat_related",
        &["event_id", "message_id"],
        " ON CONFLICT (event_id, message_id) DO NOTHING",
        pairs
            .into_iter()
            .map(|(e, m)| vec![Value::Int(e), Value::Int(m)]),
    )
    .await?;
    Ok(())
}

/// Each program's events, as one index of their matchers (with the program's keywords),
/// keyed by (event, start): `programs` is the query naming the scope's programs.
async fn program_indexes(
    conn: &mut AnyConnection,
    programs: &'static str,
    bind: i64,
) -> Result<HashMap<i64, RelatedIndex<(i64, i64)>>, StoreError> {
    let programs: Vec<i64> = sqlx::query(programs)
        .bind(bind)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| i64_(r, "program_id"))
        .collect::<Result<_, _>>()?;
    let mut indexes: HashMap<i64, RelatedIndex<(i64, i64)>> = HashMap::new();
    for p in programs {
        let ids: Vec<i64> = sqlx::query("SELECT id FROM events WHERE program_id = $1 ORDER BY id")
            .bind(p)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| i64_(r, "id"))
            .collect::<Result<_, _>>()?;
        let keywords = program_keywords(conn, p).await?;
        let mut matchers = Vec::with_capacity(ids.len());
        for id in ids {
            let f = event_facts_without_keywords(conn, id).await?;
            let matcher = f.matcher.with_keywords(keywords.iter().map(String::as_str));
            matchers.push(((id, f.starts_us), matcher));
        }
        indexes.insert(p, RelatedIndex::new(matchers));
    }
    Ok(indexes)
}
