//! The discussion report of an event (`design.md`, "Listening to the community chat").

use super::US_PER_DAY;
use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::open::Store;
use crate::row::{flag, i64_, opt_i64, opt_text, text};
use futures_util::TryStreamExt;
use jiff::Timestamp;
use sqlx::AnyConnection;
use std::collections::BTreeSet;
use trellis_core::listen::{
    BASELINE_DAYS, Matcher, NEGATIVE_E4, ToneCounts, USAGE_SAMPLE, Usage, Verdict,
};
use trellis_core::{CoreError, EventId, ProgramId};

/// How many of the most negative messages a report lists.
const MOST_NEGATIVE: usize = 5;
/// The longest window a report takes, in days (and how far a purge looks after an event).
pub(crate) const MAX_DAYS: i64 = 365;

/// One of the program's channels as a report sees it.
#[derive(Debug, Clone)]
pub struct ChannelSpan {
    pub name: String,
    /// The first and last message stored, when the channel holds any.
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
    /// When its text was purged, if it was.
    pub purged_at: Option<Timestamp>,
}

/// One of the most negative messages of a window.
#[derive(Debug, Clone)]
pub struct NegativeLine {
    pub author: String,
    pub at: Timestamp,
    /// `None` once the channel was purged or the author forgotten.
    pub text: Option<String>,
    /// The compound score × 10⁴.
    pub score_e4: i64,
}

/// What the program's chats hold about an event's discussion window
/// `[starts, starts + days]` and the 28 days before: the facts a report is made of. Which
/// message is related to the event is the core's `Matcher`'s call; whether the chats cover
/// the window and the verdict are decided by the caller, with the core's rules.
#[derive(Debug, Clone)]
pub struct ChatWindow {
    pub event: EventId,
    pub title: String,
    pub days: i64,
    pub from: Timestamp,
    pub to: Timestamp,
    pub channels: Vec<ChannelSpan>,
    /// Messages in the 28 days before the window.
    pub baseline_messages: u64,
    pub messages: u64,
    pub voices: u64,
    pub new_voices: u64,
    /// Over the related messages.
    pub tone: ToneCounts,
    /// The words and names that tie a message to the event.
    pub matched_on: Vec<String>,
    /// Title words left out because the chat uses them every day.
    pub common_words: Vec<String>,
    /// The most negative messages of the whole window, most negative first.
    pub most_negative: Vec<NegativeLine>,
}

/// An event as the report and the purge see it.
pub(crate) struct EventFacts {
    pub title: String,
    pub program: i64,
    pub starts_us: i64,
    pub matcher: Matcher,
}

/// The event's title, program, start, and what ties a message to it: its title, the titles
/// of its demos that were not rejected or withdrawn, and their presenters.
pub(crate) async fn event_facts(
    conn: &mut AnyConnection,
    event: i64,
) -> Result<EventFacts, StoreError> {
    let mut facts = event_facts_without_keywords(conn, event).await?;
    let keywords = program_keywords(conn, facts.program).await?;
    facts.matcher = facts
        .matcher
        .with_keywords(keywords.iter().map(String::as_str));
    Ok(facts)
}

/// As [`event_facts`], leaving the program's keywords to the caller (a purge reads them
/// once for all the program's events).
pub(crate) async fn event_facts_without_keywords(
    conn: &mut AnyConnection,
    event: i64,
) -> Result<EventFacts, StoreError> {
    let ev = sqlx::query("SELECT title, program_id, starts_at_us FROM events WHERE id = $1")
        .bind(event)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("event", event))?;
    let title = text(&ev, "title")?;
    let demos = sqlx::query(
        "SELECT d.title, p.display_name FROM demos d LEFT JOIN demo_presenters dp ON dp.demo_id = d.id \
         LEFT JOIN people p ON p.id = dp.person_id WHERE d.event_id = $1 AND d.status NOT IN ('rejected', 'withdrawn')",
    )
    .bind(event)
    .fetch_all(&mut *conn)
    .await?;
    let mut demo_titles = Vec::new();
    let mut presenters = Vec::new();
    for r in &demos {
        demo_titles.push(text(r, "title")?);
        presenters.extend(opt_text(r, "display_name")?);
    }
    let program = i64_(&ev, "program_id")?;
    let starts_us = i64_(&ev, "starts_at_us")?;
    let handles = presenter_handles(conn, event, program).await?;
    let matcher = Matcher::new(
        &title,
        demo_titles.iter().map(String::as_str),
        presenters.iter().map(String::as_str),
    )
    .with_handles(handles.iter().map(String::as_str));
    let mut usage = matcher.usage();
    read_usage(conn, program, starts_us, &mut usage).await?;
    Ok(EventFacts {
        title,
        program,
        starts_us,
        matcher: matcher.without_common(&usage),
    })
}

/// The names the event's presenters write under in the program's chats (their linked
/// chat authors).
async fn presenter_handles(
    conn: &mut AnyConnection,
    event: i64,
    program: i64,
) -> Result<Vec<String>, StoreError> {
    sqlx::query(
        "SELECT DISTINCT a.name FROM chat_authors a JOIN chat_channels c ON c.id = a.channel_id \
         JOIN demo_presenters dp ON dp.person_id = a.person_id JOIN demos d ON d.id = dp.demo_id \
         WHERE d.event_id = $1 AND c.program_id = $2 AND d.status NOT IN ('rejected', 'withdrawn') \
         ORDER BY a.name",
    )
    .bind(event)
    .bind(program)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| text(r, "name"))
    .collect()
}

/// Feeds `usage` the latest messages (up to `USAGE_SAMPLE` per channel) of the baseline,
/// the 28 days before the event, that still have their text: which title words the chat
/// uses every day is the core's call.
async fn read_usage(
    conn: &mut AnyConnection,
    program: i64,
    starts_us: i64,
    usage: &mut Usage,
) -> Result<(), StoreError> {
    let channels: Vec<i64> =
        sqlx::query("SELECT id FROM chat_channels WHERE program_id = $1 ORDER BY id")
            .bind(program)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| i64_(r, "id"))
            .collect::<Result<_, _>>()?;
    for channel in channels {
        let mut rows = sqlx::query(
            "SELECT text FROM chat_messages WHERE channel_id = $1 AND at_us >= $2 AND at_us < $3 \
             AND text IS NOT NULL ORDER BY at_us DESC LIMIT $4",
        )
        .bind(channel)
        .bind(starts_us.saturating_sub(BASELINE_DAYS * US_PER_DAY))
        .bind(starts_us)
        .bind(USAGE_SAMPLE as i64)
        .fetch(&mut *conn);
        while let Some(r) = rows.try_next().await? {
            usage.add(&text(&r, "text")?);
        }
    }
    Ok(())
}

/// The program's own keywords, sorted.
pub(crate) async fn program_keywords(
    conn: &mut AnyConnection,
    program: i64,
) -> Result<Vec<String>, StoreError> {
    sqlx::query("SELECT word FROM chat_keywords WHERE program_id = $1 ORDER BY word")
        .bind(program)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| text(r, "word"))
        .collect()
}

impl Store {
    /// The program's keywords for the discussion report.
    pub async fn chat_keywords(&self, program: ProgramId) -> Result<Vec<String>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        crate::programs::ensure_program(&mut conn, program).await?;
        program_keywords(&mut conn, program.0).await
    }

    /// Replaces the program's keywords (each checked by `trellis_core::listen::keyword`);
    /// the new list.
    pub async fn set_chat_keywords(
        &self,
        program: ProgramId,
        words: &[String],
    ) -> Result<Vec<String>, StoreError> {
        let mut clean = Vec::with_capacity(words.len());
        for w in words {
            clean.push(trellis_core::listen::keyword(w)?);
        }
        clean.sort();
        clean.dedup();
        let mut tx = self.write_tx().await?;
        crate::programs::ensure_program(&mut tx, program).await?;
        sqlx::query("DELETE FROM chat_keywords WHERE program_id = $1")
            .bind(program.0)
            .execute(&mut *tx)
            .await?;
        for w in &clean {
            sqlx::query("INSERT INTO chat_keywords (program_id, word) VALUES ($1, $2)")
                .bind(program.0)
                .bind(w)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(clean)
    }

    /// What the program's chats hold about the event's discussion window, read in one go.
    pub async fn chat_window(&self, event: EventId, days: i64) -> Result<ChatWindow, StoreError> {
        let mut conn = self.pool.acquire().await?;
        read_window(&mut conn, event, days).await
    }

    /// Records a report's coverage, verdict and numbers (the last one per event): a
    /// covering report that is not silent passes the follow-up gate
    /// (`gates::covering_chat_report`).
    pub async fn record_chat_report(
        &self,
        ctx: &Ctx,
        event: EventId,
        report: &RecordedReport,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM chat_reports WHERE event_id = $1")
            .bind(event.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO chat_reports (event_id, days, covered, verdict, made_at_us, made_by, messages, related, lift_e4) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(event.0)
        .bind(report.days)
        .bind(crate::row::flag_value(report.covered))
        .bind(report.verdict.as_str())
        .bind(ctx.now_us())
        .bind(&ctx.actor)
        .bind(i64::try_from(report.messages).unwrap_or(i64::MAX))
        .bind(i64::try_from(report.related).unwrap_or(i64::MAX))
        .bind(report.lift_e4)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// When the event's discussion report was last recorded, and by whom.
    pub async fn chat_report_recorded(
        &self,
        event: EventId,
    ) -> Result<Option<(Timestamp, String)>, StoreError> {
        let row = sqlx::query("SELECT made_at_us, made_by FROM chat_reports WHERE event_id = $1")
            .bind(event.0)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((crate::row::at(&r, "made_at_us")?, text(&r, "made_by")?)))
            .transpose()
    }
}

/// What is recorded of a discussion report: enough for the follow-up gate to judge it and
/// to say why.
#[derive(Debug, Clone, Copy)]
pub struct RecordedReport {
    pub days: i64,
    pub covered: bool,
    pub verdict: Verdict,
    pub messages: u64,
    pub related: u64,
    /// Lift over the baseline × 10⁴; `None` without a baseline.
    pub lift_e4: Option<i64>,
}

/// The window's facts, read in the caller's connection.
async fn read_window(
    conn: &mut AnyConnection,
    event: EventId,
    days: i64,
) -> Result<ChatWindow, StoreError> {
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(CoreError::invalid("days", days, "must be between 1 and 365").into());
    }
    let facts = event_facts(conn, event.0).await?;
    let program = facts.program;
    let from = facts.starts_us;
    let to = from.saturating_add(days.saturating_mul(US_PER_DAY));
    let base_from = from.saturating_sub(BASELINE_DAYS * US_PER_DAY);

    let channels = channel_spans(conn, program).await?;
    let base = sqlx::query(
        "SELECT COUNT(*) AS n FROM chat_messages m JOIN chat_channels c ON c.id = m.channel_id \
         WHERE c.program_id = $1 AND m.at_us >= $2 AND m.at_us < $3",
    )
    .bind(program)
    .bind(base_from)
    .bind(from)
    .fetch_one(&mut *conn)
    .await?;
    let baseline_messages = i64_(&base, "n")? as u64;

    // An author's first message across the program's channels (one author writing in
    // two channels is one voice when the platform id or name is the same).
    let new = sqlx::query(
        "SELECT COUNT(*) AS n FROM (SELECT a.author_key FROM chat_authors a JOIN chat_channels c ON c.id = a.channel_id \
         WHERE c.program_id = $1 GROUP BY a.author_key HAVING MIN(a.first_at_us) >= $2 AND MIN(a.first_at_us) <= $3) AS firsts",
    )
    .bind(program)
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await?;
    let new_voices = i64_(&new, "n")? as u64;

    let read = read_messages(conn, event, program, (from, to), &facts.matcher).await?;
    Ok(ChatWindow {
        event,
        title: facts.title,
        days,
        from: instant(from)?,
        to: instant(to)?,
        channels,
        baseline_messages,
        messages: read.messages,
        voices: read.voices,
        new_voices,
        matched_on: facts.matcher.words(),
        common_words: facts.matcher.common(),
        tone: read.tone,
        most_negative: read.most_negative,
    })
}

/// Each of the program's channels, with the span of its messages.
async fn channel_spans(
    conn: &mut AnyConnection,
    program: i64,
) -> Result<Vec<ChannelSpan>, StoreError> {
    let chans = sqlx::query(
        "SELECT c.id, c.name, c.purged_at_us, \
                (SELECT MIN(m.at_us) FROM chat_messages m WHERE m.channel_id = c.id) AS first_us, \
                (SELECT MAX(m.at_us) FROM chat_messages m WHERE m.channel_id = c.id) AS last_us \
         FROM chat_channels c WHERE c.program_id = $1 ORDER BY c.name",
    )
    .bind(program)
    .fetch_all(&mut *conn)
    .await?;
    let mut channels = Vec::new();
    for r in &chans {
        channels.push(ChannelSpan {
            name: text(r, "name")?,
            first: opt_i64(r, "first_us")?.map(instant).transpose()?,
            last: opt_i64(r, "last_us")?.map(instant).transpose()?,
            purged_at: opt_i64(r, "purged_at_us")?.map(instant).transpose()?,
        });
    }
    Ok(channels)
}

/// What the window's messages add up to.
struct WindowMessages {
    messages: u64,
    voices: u64,
    tone: ToneCounts,
    most_negative: Vec<NegativeLine>,
}

/// The window's messages, streamed: a long window over a busy chat holds hundreds
/// of thousands. A message whose text is gone (purged, or its author forgotten) is
/// related when it was found so before its text went (`chat_related`).
async fn read_messages(
    conn: &mut AnyConnection,
    event: EventId,
    program: i64,
    (from, to): (i64, i64),
    matcher: &Matcher,
) -> Result<WindowMessages, StoreError> {
    let mut voices = BTreeSet::new();
    let mut tone = ToneCounts::default();
    let mut messages = 0u64;
    // The most negative so far, most negative first (ties: earlier first).
    let mut negatives: Vec<(i64, i64, String, Option<String>)> = Vec::new();
    {
        let mut rows = sqlx::query(
            "SELECT m.at_us, a.name, a.author_key, m.text, m.compound_e4, \
                    CASE WHEN r.event_id IS NULL THEN 0 ELSE 1 END AS frozen \
             FROM chat_messages m JOIN chat_channels c ON c.id = m.channel_id \
             JOIN chat_authors a ON a.id = m.author_id \
             LEFT JOIN chat_related r ON r.event_id = $4 AND r.message_id = m.id \
             WHERE c.program_id = $1 AND m.at_us >= $2 AND m.at_us <= $3 ORDER BY m.at_us, m.id",
        )
        .bind(program)
        .bind(from)
        .bind(to)
        .bind(event.0)
        .fetch(&mut *conn);
        while let Some(r) = rows.try_next().await? {
            messages += 1;
            let at = i64_(&r, "at_us")?;
            let body = opt_text(&r, "text")?;
            let score = i64_(&r, "compound_e4")?;
            voices.insert(text(&r, "author_key")?);
            let related = match body.as_deref() {
                Some(b) => matcher.is_related(b),
                None => flag(&r, "frozen")?,
            };
            if related {
                tone.add(score);
            }
            let worse =
                negatives.len() < MOST_NEGATIVE || negatives.last().is_some_and(|w| score < w.0);
            if score <= NEGATIVE_E4 && worse {
                let place = negatives.partition_point(|n| n.0 <= score);
                negatives.insert(place, (score, at, text(&r, "name")?, body));
                negatives.truncate(MOST_NEGATIVE);
            }
        }
    }
    let most_negative = negatives
        .into_iter()
        .take(MOST_NEGATIVE)
        .map(|(score_e4, at, author, text)| {
            Ok(NegativeLine {
                author,
                at: instant(at)?,
                text,
                score_e4,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(WindowMessages {
        messages,
        voices: voices.len() as u64,
        tone,
        most_negative,
    })
}

/// A stored instant (microseconds) as a timestamp.
fn instant(us: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(us)
        .map_err(|e| StoreError::Corrupt(format!("chat time {us} µs: {e}")))
}
