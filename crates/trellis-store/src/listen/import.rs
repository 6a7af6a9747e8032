//! `listen import`: an export's messages into a channel, batch by batch inside one
//! transaction, so a large export is never held in memory whole and an interrupted import
//! leaves nothing behind.

use super::forgotten_key;
use crate::bulk::{Value, upsert_many};
use crate::ctx::Ctx;
use crate::dialect::Dialect;
use crate::error::StoreError;
use crate::open::Store;
use crate::row::{i64_, opt_i64, opt_text, text};
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use sha2::{Digest, Sha256};
use sqlx::{Any, AnyConnection, Transaction};
use std::collections::{BTreeSet, HashMap};
use trellis_core::time::rfc3339_utc;
use trellis_core::{CoreError, PersonId, ProgramId};

/// When a message was written, as the export tells it.
#[derive(Debug, Clone, Copy)]
pub enum ChatTime {
    /// The export knows the offset: an instant.
    Instant(Timestamp),
    /// Local wall-clock time only (WhatsApp): read in the program's zone.
    Local(DateTime),
}

/// One message to import.
#[derive(Debug, Clone)]
pub struct ChatLine {
    pub at: ChatTime,
    pub author: String,
    /// The platform's id of the author, when the export has one.
    pub author_id: Option<String>,
    pub text: String,
    /// VADER's compound score.
    pub compound: f64,
}

#[derive(Debug, Clone)]
pub struct ChatImported {
    pub channel: String,
    pub channel_id: i64,
    pub read: u64,
    pub added: u64,
    pub already_stored: u64,
    /// Messages of authors who asked to be forgotten: not stored again.
    pub forgotten_skipped: u64,
    /// Authors linked to a person, with how.
    pub linked: Vec<LinkedAuthor>,
    /// Names that several people carry: left unlinked rather than guessed.
    pub ambiguous: Vec<String>,
    pub unlinked: u64,
    pub first: Option<String>,
    pub last: Option<String>,
}

#[derive(Debug, Clone)]
pub struct LinkedAuthor {
    pub author: String,
    pub person: PersonId,
    /// "platform id" or "exact name".
    pub by: String,
}

/// An author of this import: the stored row, or `None` for a forgotten one.
#[derive(Debug, Clone, Copy)]
struct Seen {
    id: Option<i64>,
    /// The first message of theirs stored before this import.
    stored_first: i64,
    /// The first of theirs in this import.
    first: i64,
}

/// An import under way: [`Store::begin_chat_import`], then [`ChatImport::add`] per batch,
/// then [`ChatImport::finish`]. Dropped unfinished, it rolls back.
pub struct ChatImport {
    tx: Transaction<'static, Any>,
    dialect: Dialect,
    tz: TimeZone,
    channel: String,
    channel_id: i64,
    platform: String,
    /// Authors seen in this import, by platform id and (without one) by name.
    by_id: HashMap<String, Seen>,
    by_name: HashMap<String, Seen>,
    /// The instant of the last message, and the (author, text digest, copies) written
    /// at it: exports run in time order, so copies of a message sit together.
    copies_at: i64,
    copies: Vec<(i64, u64, u32)>,
    read: u64,
    added: u64,
    forgotten_skipped: u64,
    linked: Vec<LinkedAuthor>,
    ambiguous: BTreeSet<String>,
    unlinked: u64,
    first: Option<i64>,
    last: Option<i64>,
}

impl Store {
    /// Starts importing an export into the program's channel `channel` (created on first
    /// import). Messages already stored (same time, author and text) are skipped, so
    /// re-importing an overlapping export adds only the new ones. Authors are linked to
    /// people by platform id, or by a display name exactly one person carries.
    pub async fn begin_chat_import(
        &self,
        ctx: &Ctx,
        program: ProgramId,
        channel: &str,
        format: &str,
    ) -> Result<ChatImport, StoreError> {
        let channel = channel.trim();
        if channel.is_empty() {
            return Err(CoreError::invalid("channel", channel, "is empty; name the chat").into());
        }
        let dialect = self.dialect();
        let mut tx = self.write_tx().await?;
        let conn: &mut AnyConnection = &mut tx;
        // Every reference written points at the channel locked below or at authors
        // created in this transaction.
        dialect.begin_bulk(conn).await?;
        let prog = sqlx::query("SELECT tz FROM programs WHERE id = $1")
            .bind(program.0)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| StoreError::not_found("program", program.0))?;
        let tz_name = text(&prog, "tz")?;
        let tz = TimeZone::get(&tz_name)
            .map_err(|e| CoreError::invalid("program zone", &tz_name, e.to_string()))?;

        sqlx::query(
            "INSERT INTO chat_channels (program_id, name, format, created_at_us) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (program_id, name) DO NOTHING",
        )
        .bind(program.0)
        .bind(channel)
        .bind(format)
        .bind(ctx.now_us())
        .execute(&mut *conn)
        .await?;
        // Two imports into one channel take turns.
        let lock = format!(
            "SELECT id FROM chat_channels WHERE program_id = $1 AND name = $2{}",
            dialect.row_lock()
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(lock))
            .bind(program.0)
            .bind(channel)
            .fetch_one(&mut *conn)
            .await?;
        let channel_id = i64_(&row, "id")?;
        Ok(ChatImport {
            tx,
            dialect,
            tz,
            channel: channel.to_owned(),
            channel_id,
            platform: format.to_ascii_lowercase(),
            by_id: HashMap::new(),
            by_name: HashMap::new(),
            copies_at: i64::MIN,
            copies: Vec::new(),
            read: 0,
            added: 0,
            forgotten_skipped: 0,
            linked: Vec::new(),
            ambiguous: BTreeSet::new(),
            unlinked: 0,
            first: None,
            last: None,
        })
    }

    /// Imports `lines` in one go: [`Store::begin_chat_import`], one batch, finish.
    pub async fn import_chat(
        &self,
        ctx: &Ctx,
        program: ProgramId,
        channel: &str,
        format: &str,
        lines: &[ChatLine],
    ) -> Result<ChatImported, StoreError> {
        let mut import = self
            .begin_chat_import(ctx, program, channel, format)
            .await?;
        import.add(lines.to_vec()).await?;
        import.finish().await
    }
}

impl ChatImport {
    /// Adds a batch of messages. Identical messages (same author, same text, same time:
    /// WhatsApp has minutes only) are told apart by their rank among the export's copies,
    /// folded into the hash, so "ok" written twice in one minute is two messages, and the
    /// same two on re-import.
    pub async fn add(&mut self, lines: Vec<ChatLine>) -> Result<(), StoreError> {
        let mut rows = Vec::with_capacity(lines.len());
        for l in lines {
            self.read += 1;
            let at = match l.at {
                ChatTime::Instant(t) => t,
                ChatTime::Local(dt) => self
                    .tz
                    .to_ambiguous_timestamp(dt)
                    .compatible()
                    .map_err(|e| CoreError::invalid("message time", dt, e.to_string()))?,
            }
            .as_microsecond();
            let Some(author) = self.author(&l, at).await? else {
                self.forgotten_skipped += 1;
                continue;
            };
            self.first = Some(self.first.map_or(at, |f| f.min(at)));
            self.last = Some(self.last.map_or(at, |f| f.max(at)));
            let digest = Sha256::digest(l.text.as_bytes());
            let mut head = [0u8; 8];
            head.copy_from_slice(&digest[..8]);
            let key = u64::from_be_bytes(head);
            let rank = self.rank(at, author, key);
            let hash = if rank == 0 {
                hex16(&digest)
            } else {
                hex16(&Sha256::digest(
                    format!("{}\u{0}#{}", l.text, rank).as_bytes(),
                ))
            };
            rows.push(vec![
                Value::Int(self.channel_id),
                Value::Int(at),
                Value::Int(author),
                Value::Text(hash),
                Value::Int(e4(l.compound)),
                Value::Text(l.text),
            ]);
        }
        self.added += upsert_many(
            &mut self.tx,
            self.dialect,
            "chat_messages",
            &[
                "channel_id",
                "at_us",
                "author_id",
                "text_hash",
                "compound_e4",
                "text",
            ],
            " ON CONFLICT (channel_id, at_us, author_id, text_hash) DO NOTHING",
            rows,
        )
        .await?;
        Ok(())
    }

    /// How many copies of this message (author, text) came before it at the same instant.
    /// Only neighbours are compared: an identical message out of time order is taken
    /// for the same message.
    fn rank(&mut self, at: i64, author: i64, key: u64) -> u32 {
        if at != self.copies_at {
            self.copies_at = at;
            self.copies.clear();
        }
        match self
            .copies
            .iter_mut()
            .find(|(a, k, _)| *a == author && *k == key)
        {
            Some((_, _, n)) => {
                let rank = *n;
                *n += 1;
                rank
            }
            None => {
                self.copies.push((author, key, 1));
                0
            }
        }
    }

    /// The author's stored row, created (and linked to a person when certain) on first
    /// sight; `None` when the author was forgotten.
    async fn author(&mut self, l: &ChatLine, at: i64) -> Result<Option<i64>, StoreError> {
        let known = match &l.author_id {
            Some(id) => self.by_id.get_mut(id.as_str()),
            None => self.by_name.get_mut(l.author.as_str()),
        };
        if let Some(seen) = known {
            seen.first = seen.first.min(at);
            return Ok(seen.id);
        }
        let key = match &l.author_id {
            Some(id) => format!("id:{id}"),
            None => format!("name:{}", l.author),
        };
        let conn: &mut AnyConnection = &mut self.tx;
        let tomb = forgotten_key(self.channel_id, &key);
        let rows = sqlx::query(
            "SELECT id, author_key, person_id, linked_by, first_at_us FROM chat_authors \
             WHERE channel_id = $1 AND author_key IN ($2, $3)",
        )
        .bind(self.channel_id)
        .bind(&key)
        .bind(&tomb)
        .fetch_all(&mut *conn)
        .await?;
        if rows
            .iter()
            .any(|r| text(r, "author_key").is_ok_and(|k| k == tomb))
        {
            self.remember(
                l,
                Seen {
                    id: None,
                    stored_first: at,
                    first: at,
                },
            );
            return Ok(None);
        }
        let (id, stored_first, person) = match rows.first() {
            Some(r) => self.stored_author(l, r).await?,
            None => self.new_author(l, &key, at).await?,
        };
        match person {
            Some((p, by)) => self.linked.push(LinkedAuthor {
                author: l.author.clone(),
                person: PersonId(p),
                by,
            }),
            None => self.unlinked += 1,
        }
        self.remember(
            l,
            Seen {
                id: Some(id),
                stored_first,
                first: at,
            },
        );
        Ok(Some(id))
    }

    /// An author stored by an earlier import: (its id, first message, person), linked to
    /// a person now when it was not and is certain.
    async fn stored_author(
        &mut self,
        l: &ChatLine,
        r: &sqlx::any::AnyRow,
    ) -> Result<(i64, i64, Option<(i64, String)>), StoreError> {
        let id = i64_(r, "id")?;
        let person = match opt_i64(r, "person_id")? {
            Some(p) => Some((p, opt_text(r, "linked_by")?.unwrap_or_default())),
            None => {
                let found = self.link(l).await?;
                if let Some((p, by)) = &found {
                    sqlx::query(
                        "UPDATE chat_authors SET person_id = $1, linked_by = $2 WHERE id = $3",
                    )
                    .bind(p)
                    .bind(by)
                    .bind(id)
                    .execute(&mut *self.tx)
                    .await?;
                }
                found
            }
        };
        Ok((id, i64_(r, "first_at_us")?, person))
    }

    /// An author seen for the first time, stored with its first message `at`: (its id,
    /// first message, person).
    async fn new_author(
        &mut self,
        l: &ChatLine,
        key: &str,
        at: i64,
    ) -> Result<(i64, i64, Option<(i64, String)>), StoreError> {
        let person = self.link(l).await?;
        let r = sqlx::query(
            "INSERT INTO chat_authors (channel_id, author_key, name, person_id, linked_by, first_at_us) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(self.channel_id)
        .bind(key)
        .bind(&l.author)
        .bind(person.as_ref().map(|p| p.0))
        .bind(person.as_ref().map(|p| p.1.clone()))
        .bind(at)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok((i64_(&r, "id")?, at, person))
    }

    fn remember(&mut self, l: &ChatLine, seen: Seen) {
        match &l.author_id {
            Some(id) => self.by_id.insert(id.clone(), seen),
            None => self.by_name.insert(l.author.clone(), seen),
        };
    }

    /// The person an author certainly is: by platform id, else by a display name exactly
    /// one person carries. Never a guess: a name several people carry stays unlinked.
    async fn link(&mut self, l: &ChatLine) -> Result<Option<(i64, String)>, StoreError> {
        let conn: &mut AnyConnection = &mut self.tx;
        if let Some(id) = &l.author_id {
            let r = sqlx::query(
                "SELECT person_id FROM person_platform_ids WHERE platform = $1 AND external_id = $2",
            )
            .bind(&self.platform)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
            if let Some(r) = r {
                return Ok(Some((i64_(&r, "person_id")?, "platform id".to_owned())));
            }
        }
        let rows = sqlx::query(
            "SELECT id FROM people WHERE display_name = $1 AND merged_into IS NULL AND forgotten_at_us IS NULL LIMIT 2",
        )
        .bind(&l.author)
        .fetch_all(&mut *conn)
        .await?;
        Ok(match rows.as_slice() {
            [one] => Some((i64_(one, "id")?, "exact name".to_owned())),
            [] => None,
            _ => {
                self.ambiguous.insert(l.author.clone());
                None
            }
        })
    }

    /// Records each author's first message and commits.
    pub async fn finish(mut self) -> Result<ChatImported, StoreError> {
        let mut earlier: Vec<(i64, i64)> = self
            .by_id
            .values()
            .chain(self.by_name.values())
            .filter(|s| s.first < s.stored_first)
            .filter_map(|s| s.id.map(|id| (id, s.first)))
            .collect();
        earlier.sort_unstable();
        for (id, first) in earlier {
            sqlx::query("UPDATE chat_authors SET first_at_us = $1 WHERE id = $2")
                .bind(first)
                .bind(id)
                .execute(&mut *self.tx)
                .await?;
        }
        self.tx.commit().await?;
        let ts = |us: i64| Timestamp::from_microsecond(us).ok().map(rfc3339_utc);
        let stored = self.read - self.forgotten_skipped;
        Ok(ChatImported {
            channel: self.channel,
            channel_id: self.channel_id,
            read: self.read,
            added: self.added,
            already_stored: stored.saturating_sub(self.added),
            forgotten_skipped: self.forgotten_skipped,
            linked: self.linked,
            ambiguous: self.ambiguous.into_iter().collect(),
            unlinked: self.unlinked,
            first: self.first.and_then(ts),
            last: self.last.and_then(ts),
        })
    }
}

/// 64 bits of a SHA-256 as 16 hex digits: the first 16 of schema 5's 32.
fn hex16(d: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(16);
    for b in d.iter().take(8) {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    s
}

fn e4(compound: f64) -> i64 {
    (compound * 10_000.0).round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_the_head_of_schema_5s() {
        let d = Sha256::digest(b"hello");
        let full: String = d.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex16(&d), full[..16]);
    }
}
