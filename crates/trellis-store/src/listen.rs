//! Listening to the community chat: imported chat exports (channels and their messages, each
//! with its tone) and the discussion report of an event. The rules (what is related, the
//! verdict) are `trellis_core::listen`'s; the tone is computed by the caller.

use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::open::Store;
use crate::row::{i64_, opt_i64, opt_text, text};
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
use trellis_core::listen::{BASELINE_DAYS, Matcher, ToneCounts, Verdict, verdict};
use trellis_core::time::rfc3339_utc;
use trellis_core::{CoreError, EventId, PersonId, ProgramId};

const US_PER_DAY: i64 = 86_400_000_000;
/// Rows per multi-row INSERT: 7 binds each (plus the channel), well under both backends' limits.
const CHUNK: usize = 500;
/// How many of the most negative messages a report lists.
const MOST_NEGATIVE: usize = 5;

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

#[derive(Debug, Clone, Serialize)]
pub struct ChatImported {
    pub channel: String,
    pub channel_id: i64,
    pub read: u64,
    pub added: u64,
    pub already_stored: u64,
    /// Authors linked to a person, with how.
    pub linked: Vec<LinkedAuthor>,
    /// Names that several people carry: left unlinked rather than guessed.
    pub ambiguous: Vec<String>,
    pub unlinked: u64,
    pub first: Option<String>,
    pub last: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkedAuthor {
    pub author: String,
    pub person: PersonId,
    /// "platform id" or "exact name".
    pub by: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Window {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NegativeMessage {
    pub author: String,
    pub at: String,
    pub text: Option<String>,
    pub score: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelatedInfo {
    pub count: u64,
    /// How messages were matched to the event.
    pub matched_on: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChatReport {
    pub event: EventId,
    pub title: String,
    pub window: Window,
    pub days: i64,
    pub channels: Vec<String>,
    pub covered: bool,
    /// The span the imported chats hold, when any.
    pub chats_span: Option<Window>,
    pub baseline_per_day: f64,
    pub messages: u64,
    /// Messages per day in the window over the baseline's; `None` when the baseline is 0.
    pub lift: Option<f64>,
    pub voices: u64,
    pub new_voices: u64,
    pub related: RelatedInfo,
    /// Over the related messages.
    pub tone: ToneCounts,
    pub most_negative: Vec<NegativeMessage>,
    pub verdict: Verdict,
    pub limits: Vec<String>,
}

fn text_hash(t: &str) -> String {
    let d = Sha256::digest(t.as_bytes());
    d.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

fn e4(compound: f64) -> i64 {
    (compound * 10_000.0).round() as i64
}

impl Store {
    /// Stores an export's messages in the program's channel `channel` (created on first
    /// import), in one transaction. Messages already stored (same time, author, text) are
    /// skipped, so re-importing an overlapping export adds only the new ones. Authors are
    /// linked to people by platform id, or by a display name exactly one person carries.
    pub async fn import_chat(
        &self,
        ctx: &Ctx,
        program: ProgramId,
        channel: &str,
        format: &str,
        lines: &[ChatLine],
    ) -> Result<ChatImported, StoreError> {
        let channel = channel.trim();
        if channel.is_empty() {
            return Err(CoreError::invalid("--channel", channel, "is empty; name the chat").into());
        }
        let mut tx = self.write_tx().await?;
        let prog = sqlx::query("SELECT tz FROM programs WHERE id = $1")
            .bind(program.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::not_found("program", program.0))?;
        let tz_name = text(&prog, "tz")?;
        let tz = TimeZone::get(&tz_name)
            .map_err(|e| CoreError::invalid("program zone", &tz_name, e.to_string()))?;

        let existing = sqlx::query(
            "SELECT id, purged_at_us FROM chat_channels WHERE program_id = $1 AND name = $2",
        )
        .bind(program.0)
        .bind(channel)
        .fetch_optional(&mut *tx)
        .await?;
        let channel_id = match existing {
            Some(r) => i64_(&r, "id")?,
            None => {
                let r = sqlx::query(
                    "INSERT INTO chat_channels (program_id, name, format, created_at_us) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(program.0)
                .bind(channel)
                .bind(format)
                .bind(ctx.now_us())
                .fetch_one(&mut *tx)
                .await?;
                i64_(&r, "id")?
            }
        };

        // Authors: platform id first, else a name exactly one person carries.
        let platform = format.to_ascii_lowercase();
        let mut authors: HashMap<String, (String, Option<String>)> = HashMap::new();
        for l in lines {
            authors
                .entry(author_key(l))
                .or_insert_with(|| (l.author.clone(), l.author_id.clone()));
        }
        let mut keys: Vec<&String> = authors.keys().collect();
        keys.sort();
        let mut person_of: HashMap<String, i64> = HashMap::new();
        let mut linked = Vec::new();
        let mut ambiguous = BTreeSet::new();
        let mut unlinked = 0u64;
        for key in keys {
            let (name, id) = &authors[key];
            if let Some(id) = id {
                let r = sqlx::query(
                    "SELECT person_id FROM person_platform_ids WHERE platform = $1 AND external_id = $2",
                )
                .bind(&platform)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(r) = r {
                    let p = i64_(&r, "person_id")?;
                    person_of.insert(key.clone(), p);
                    linked.push(LinkedAuthor {
                        author: name.clone(),
                        person: PersonId(p),
                        by: "platform id",
                    });
                    continue;
                }
            }
            let rows = sqlx::query("SELECT id FROM people WHERE display_name = $1 LIMIT 2")
                .bind(name)
                .fetch_all(&mut *tx)
                .await?;
            match rows.as_slice() {
                [one] => {
                    let p = i64_(one, "id")?;
                    person_of.insert(key.clone(), p);
                    linked.push(LinkedAuthor {
                        author: name.clone(),
                        person: PersonId(p),
                        by: "exact name",
                    });
                }
                [] => unlinked += 1,
                _ => {
                    ambiguous.insert(name.clone());
                    unlinked += 1;
                }
            }
        }

        // Identical messages (same author, same text, same time: WhatsApp has minutes only)
        // are told apart by their rank among the export's copies, folded into the hash, so
        // "ok" written twice in one minute is two messages, and the same two on re-import.
        let mut copies: HashMap<(i64, String, String), u32> = HashMap::new();
        let mut added = 0u64;
        let mut first: Option<i64> = None;
        let mut last: Option<i64> = None;
        for chunk in lines.chunks(CHUNK) {
            let mut sql = String::from(
                "INSERT INTO chat_messages (channel_id, at_us, author, author_key, person_id, text_hash, text, compound_e4) VALUES ",
            );
            let mut rows = Vec::with_capacity(chunk.len());
            for (n, l) in chunk.iter().enumerate() {
                let at = match l.at {
                    ChatTime::Instant(t) => t,
                    ChatTime::Local(dt) => tz
                        .to_ambiguous_timestamp(dt)
                        .compatible()
                        .map_err(|e| CoreError::invalid("message time", dt, e.to_string()))?,
                }
                .as_microsecond();
                first = Some(first.map_or(at, |f| f.min(at)));
                last = Some(last.map_or(at, |f| f.max(at)));
                let b = n * 7;
                if n > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!(
                    "($1, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8
                ));
                let key = author_key(l);
                let person = person_of.get(&key).copied();
                let hash = text_hash(&l.text);
                let rank = copies.entry((at, key.clone(), hash.clone())).or_insert(0);
                let hash = if *rank == 0 {
                    hash
                } else {
                    text_hash(&format!("{}\u{0}#{}", l.text, rank))
                };
                *rank += 1;
                rows.push((at, key, person, hash));
            }
            sql.push_str(" ON CONFLICT (channel_id, at_us, author_key, text_hash) DO NOTHING");
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(channel_id);
            for (l, (at, key, person, hash)) in chunk.iter().zip(rows) {
                q = q
                    .bind(at)
                    .bind(l.author.clone())
                    .bind(key)
                    .bind(person)
                    .bind(hash)
                    .bind(l.text.clone())
                    .bind(e4(l.compound));
            }
            added += q.execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        let ts = |us: i64| Timestamp::from_microsecond(us).ok().map(rfc3339_utc);
        Ok(ChatImported {
            channel: channel.to_string(),
            channel_id,
            read: lines.len() as u64,
            added,
            already_stored: lines.len() as u64 - added,
            linked,
            ambiguous: ambiguous.into_iter().collect(),
            unlinked,
            first: first.and_then(ts),
            last: last.and_then(ts),
        })
    }

    /// The discussion report of an event over `[starts, starts + days]`, against the mean
    /// messages per day of the 28 days before. Stores the report's verdict and coverage for
    /// the follow-up gate (`gates::chat_report_covers`).
    pub async fn chat_report(
        &self,
        ctx: &Ctx,
        event: EventId,
        days: i64,
    ) -> Result<ChatReport, StoreError> {
        if !(1..=365).contains(&days) {
            return Err(CoreError::invalid("--days", days, "must be between 1 and 365").into());
        }
        let mut tx = self.write_tx().await?;
        let ev = sqlx::query("SELECT title, program_id, starts_at_us FROM events WHERE id = $1")
            .bind(event.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::not_found("event", event))?;
        let title = text(&ev, "title")?;
        let program = i64_(&ev, "program_id")?;
        let from = i64_(&ev, "starts_at_us")?;
        let to = from.saturating_add(days.saturating_mul(US_PER_DAY));
        let base_from = from.saturating_sub(BASELINE_DAYS * US_PER_DAY);

        let demos = sqlx::query(
            "SELECT d.title, p.display_name FROM demos d LEFT JOIN demo_presenters dp ON dp.demo_id = d.id \
             LEFT JOIN people p ON p.id = dp.person_id WHERE d.event_id = $1 AND d.status NOT IN ('rejected', 'withdrawn')",
        )
        .bind(event.0)
        .fetch_all(&mut *tx)
        .await?;
        let mut demo_titles = Vec::new();
        let mut presenters = Vec::new();
        for r in &demos {
            demo_titles.push(text(r, "title")?);
            presenters.extend(opt_text(r, "display_name")?);
        }
        let matcher = Matcher::new(
            &title,
            demo_titles.iter().map(String::as_str),
            presenters.iter().map(String::as_str),
        );

        let chans = sqlx::query(
            "SELECT c.id, c.name, (SELECT MIN(m.at_us) FROM chat_messages m WHERE m.channel_id = c.id) AS first_us, \
                    (SELECT MAX(m.at_us) FROM chat_messages m WHERE m.channel_id = c.id) AS last_us \
             FROM chat_channels c WHERE c.program_id = $1 ORDER BY c.name",
        )
        .bind(program)
        .fetch_all(&mut *tx)
        .await?;
        let mut channels = Vec::new();
        let mut covered = false;
        let mut span: Option<(i64, i64)> = None;
        for r in &chans {
            channels.push(text(r, "name")?);
            if let (Some(f), Some(l)) = (opt_i64(r, "first_us")?, opt_i64(r, "last_us")?) {
                covered |= f <= from && l >= to;
                span = Some(span.map_or((f, l), |(a, b)| (a.min(f), b.max(l))));
            }
        }

        let base = sqlx::query(
            "SELECT COUNT(*) AS n FROM chat_messages m JOIN chat_channels c ON c.id = m.channel_id \
             WHERE c.program_id = $1 AND m.at_us >= $2 AND m.at_us < $3",
        )
        .bind(program)
        .bind(base_from)
        .bind(from)
        .fetch_one(&mut *tx)
        .await?;
        let baseline_per_day = i64_(&base, "n")? as f64 / BASELINE_DAYS as f64;

        let rows = sqlx::query(
            "SELECT m.at_us, m.author, m.author_key, m.text, m.compound_e4 FROM chat_messages m \
             JOIN chat_channels c ON c.id = m.channel_id \
             WHERE c.program_id = $1 AND m.at_us >= $2 AND m.at_us <= $3 ORDER BY m.at_us, m.id",
        )
        .bind(program)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *tx)
        .await?;
        let new = sqlx::query(
            "SELECT COUNT(*) AS n FROM (SELECT m.author_key FROM chat_messages m JOIN chat_channels c ON c.id = m.channel_id \
             WHERE c.program_id = $1 GROUP BY m.author_key HAVING MIN(m.at_us) >= $2 AND MIN(m.at_us) <= $3) AS firsts",
        )
        .bind(program)
        .bind(from)
        .bind(to)
        .fetch_one(&mut *tx)
        .await?;
        let new_voices = i64_(&new, "n")? as u64;

        let mut voices = BTreeSet::new();
        let mut tone = ToneCounts::default();
        let mut negatives: Vec<(i64, i64, String, Option<String>)> = Vec::new();
        for r in &rows {
            let at = i64_(r, "at_us")?;
            let body = opt_text(r, "text")?;
            let score = i64_(r, "compound_e4")?;
            voices.insert(text(r, "author_key")?);
            if body.as_deref().is_some_and(|b| matcher.is_related(b)) {
                tone.add(score);
            }
            if score <= trellis_core::listen::NEGATIVE_E4 {
                negatives.push((score, at, text(r, "author")?, body));
            }
        }
        negatives.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        let messages = rows.len() as u64;
        let per_day = messages as f64 / days as f64;
        let lift = (baseline_per_day > 0.0).then(|| per_day / baseline_per_day);
        let v = verdict(covered, per_day, baseline_per_day, &tone);
        let ts = |us: i64| {
            Timestamp::from_microsecond(us)
                .map(rfc3339_utc)
                .unwrap_or_default()
        };
        let report = ChatReport {
            event,
            title,
            window: Window {
                from: ts(from),
                to: ts(to),
            },
            days,
            channels,
            covered,
            chats_span: span.map(|(f, l)| Window {
                from: ts(f),
                to: ts(l),
            }),
            baseline_per_day,
            messages,
            lift,
            voices: voices.len() as u64,
            new_voices,
            related: RelatedInfo {
                count: tone.total(),
                matched_on: matcher.words(),
            },
            tone,
            most_negative: negatives
                .into_iter()
                .take(MOST_NEGATIVE)
                .map(|(score, at, author, text)| NegativeMessage {
                    author,
                    at: ts(at),
                    text,
                    score: score as f64 / 10_000.0,
                })
                .collect(),
            verdict: v,
            limits: vec![
                "tone: VADER 3.3.2 lexicon and rules (English only; other languages score neutral unless they use emoji; sarcasm is not detected)".to_string(),
                "related: a message naming a word of the event's or its demos' titles, a presenter, or the event generically (demo, talk, tonight, ...)".to_string(),
            ],
        };

        sqlx::query("DELETE FROM chat_reports WHERE event_id = $1")
            .bind(event.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO chat_reports (event_id, days, covered, verdict, made_at_us, made_by) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(event.0)
        .bind(days)
        .bind(crate::row::flag_value(covered))
        .bind(v.as_str())
        .bind(ctx.now_us())
        .bind(&ctx.actor)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(report)
    }
}

fn author_key(l: &ChatLine) -> String {
    match &l.author_id {
        Some(id) => format!("id:{id}"),
        None => format!("name:{}", l.author),
    }
}
