use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::gates::{held_at, lock_event};
use crate::open::Store;
use crate::row::{at, i64_, opt_at, opt_text, parse, text, u32_};
use serde::Serialize;
use sqlx::AnyConnection;
use std::collections::HashSet;
use trellis_core::event::EventStatus;
use trellis_core::followup::{self, Candidate, Channel, DUE_DAYS, Outcome, QUIET_DAYS, Why};
use trellis_core::time::rfc3339_utc;
use trellis_core::{CoreError, EventId, PersonId};

#[derive(Debug, Clone, Serialize)]
pub struct SuggestedPerson {
    pub person: PersonId,
    pub name: String,
    pub why: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    pub event: EventId,
    pub rule: &'static str,
    pub sent: u32,
    pub minimum: u32,
    pub people: Vec<SuggestedPerson>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SentFollowup {
    pub id: i64,
    pub event: EventId,
    pub person: PersonId,
    pub channel: Channel,
    pub token: Option<String>,
    pub link: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FollowupView {
    pub id: i64,
    pub event: EventId,
    pub person: PersonId,
    pub name: String,
    pub channel: Channel,
    pub sent_at: String,
    pub answer: Option<String>,
    pub outcome: Option<Outcome>,
    pub answered_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FollowupStatus {
    pub event: EventId,
    pub event_title: String,
    pub sent: u32,
    pub minimum: u32,
    pub answered: u32,
    pub due: String,
    pub followups: Vec<FollowupView>,
}

/// An unguessable, single-use token: 128 bits from the operating system's generator.
pub(crate) fn new_token() -> Result<String, StoreError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Corrupt(format!("no randomness for a token: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

async fn held_event(conn: &mut AnyConnection, event: EventId) -> Result<(String, u32), StoreError> {
    let row = sqlx::query("SELECT e.title, e.status, p.followup_minimum FROM events e JOIN programs p ON p.id = e.program_id WHERE e.id = $1")
        .bind(event.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("event", event))?;
    let status: EventStatus = parse(&row, "status")?;
    if !matches!(status, EventStatus::Held | EventStatus::Closed) {
        return Err(CoreError::invalid(
            "EVENT",
            event,
            format!("is {status}; follow-ups are for events that were held"),
        )
        .into());
    }
    Ok((text(&row, "title")?, u32_(&row, "followup_minimum")?))
}

/// The people who were at an event: checked in, or, when the event's check-in was not
/// used, who said they were going.
pub(crate) async fn attended(
    conn: &mut AnyConnection,
    event: EventId,
) -> Result<Vec<(PersonId, String)>, StoreError> {
    let rows = sqlx::query(
        "SELECT p.id, p.display_name FROM attendances a JOIN people p ON p.id = a.person_id WHERE a.event_id = $1 AND \
         (a.checked_in = 'yes' OR (a.rsvp = 'going' AND NOT EXISTS \
            (SELECT 1 FROM attendances b WHERE b.event_id = a.event_id AND b.checked_in = 'yes'))) \
         ORDER BY p.display_name, p.id",
    )
    .bind(event.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((PersonId(i64_(r, "id")?), text(r, "display_name")?)))
        .collect()
}

fn view(r: &sqlx::any::AnyRow) -> Result<FollowupView, StoreError> {
    Ok(FollowupView {
        id: i64_(r, "id")?,
        event: EventId(i64_(r, "event_id")?),
        person: PersonId(i64_(r, "person_id")?),
        name: text(r, "display_name")?,
        channel: parse(r, "channel")?,
        sent_at: rfc3339_utc(at(r, "sent_at_us")?),
        answer: opt_text(r, "answer")?,
        outcome: opt_text(r, "outcome")?.map(|o| o.parse()).transpose()?,
        answered_at: opt_at(r, "answered_at_us")?.map(rfc3339_utc),
    })
}

impl Store {
    /// Proposes whom to ask after an event, by [`followup::RULE`].
    pub async fn suggest_followups(
        &self,
        event: EventId,
        n: usize,
        now: jiff::Timestamp,
    ) -> Result<Suggestion, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let (_, minimum) = held_event(&mut conn, event).await?;
        let program_row = sqlx::query("SELECT program_id, starts_at_us FROM events WHERE id = $1")
            .bind(event.0)
            .fetch_one(&mut *conn)
            .await?;
        let program = i64_(&program_row, "program_id")?;
        let starts = i64_(&program_row, "starts_at_us")?;
        let mut candidates = Vec::new();
        let picks = sqlx::query(
            "SELECT p.id, p.display_name, f.why FROM retro_followups f JOIN people p ON p.id = f.person_id WHERE f.event_id = $1 ORDER BY f.position",
        )
        .bind(event.0)
        .fetch_all(&mut *conn)
        .await?;
        for r in &picks {
            candidates.push((
                PersonId(i64_(r, "id")?),
                text(r, "display_name")?,
                Why::RetroPick,
                Some(text(r, "why")?),
            ));
        }
        let room = attended(&mut conn, event).await?;
        let before: HashSet<i64> = sqlx::query(
            "SELECT DISTINCT a.person_id FROM attendances a JOIN events e ON e.id = a.event_id \
             WHERE e.program_id = $1 AND e.starts_at_us < $2 AND e.status IN ('held', 'closed') \
               AND (a.checked_in = 'yes' OR a.rsvp = 'going')",
        )
        .bind(program)
        .bind(starts)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| i64_(r, "person_id"))
        .collect::<Result<_, _>>()?;
        let presenters: HashSet<i64> = sqlx::query(
            "SELECT dp.person_id FROM demos d JOIN demo_presenters dp ON dp.demo_id = d.id WHERE d.event_id = $1 AND d.status = 'presented'",
        )
        .bind(event.0)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| i64_(r, "person_id"))
        .collect::<Result<_, _>>()?;
        for (id, name) in room {
            let why = if presenters.contains(&id.0) {
                Why::Presenter
            } else if before.contains(&id.0) {
                Why::ReturningBuilder
            } else {
                Why::FirstTimer
            };
            candidates.push((id, name, why, None));
        }
        let quiet_since = now.as_microsecond() - QUIET_DAYS * 86_400_000_000;
        let mut full = Vec::new();
        for (person, name, why, note) in candidates {
            let flags = sqlx::query(
                "SELECT p.do_not_contact, \
                   (SELECT COUNT(*) FROM followups f WHERE f.person_id = p.id AND f.event_id = $2) AS this_event, \
                   (SELECT COUNT(*) FROM followups f WHERE f.person_id = p.id AND f.event_id <> $2 AND f.sent_at_us > $3) AS recent \
                 FROM people p WHERE p.id = $1",
            )
            .bind(person.0)
            .bind(event.0)
            .bind(quiet_since)
            .fetch_one(&mut *conn)
            .await?;
            full.push(Candidate {
                person,
                name,
                why,
                note,
                do_not_contact: i64_(&flags, "do_not_contact")? != 0,
                already_sent: i64_(&flags, "this_event")? > 0,
                asked_recently: i64_(&flags, "recent")? > 0,
            });
        }
        let sent = sqlx::query("SELECT COUNT(*) AS n FROM followups WHERE event_id = $1")
            .bind(event.0)
            .fetch_one(&mut *conn)
            .await?;
        let people = followup::suggest(full, n)
            .into_iter()
            .map(|c| SuggestedPerson {
                person: c.person,
                name: c.name,
                why: c.why.as_str(),
                note: c.note,
            })
            .collect();
        Ok(Suggestion {
            event,
            rule: followup::RULE,
            sent: u32_(&sent, "n")?,
            minimum,
            people,
        })
    }

    /// Records a follow-up. A form follow-up gets a token and a link to its answer page.
    pub async fn send_followup(
        &self,
        ctx: &Ctx,
        event: EventId,
        person: PersonId,
        channel: Channel,
        public_url: &str,
    ) -> Result<SentFollowup, StoreError> {
        let mut tx = self.write_tx().await?;
        lock_event(&mut tx, event).await?;
        let (title, _) = held_event(&mut tx, event).await?;
        let p = sqlx::query("SELECT display_name, do_not_contact FROM people WHERE id = $1")
            .bind(person.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::not_found("person", person))?;
        let name = text(&p, "display_name")?;
        if i64_(&p, "do_not_contact")? != 0 {
            return Err(CoreError::invalid(
                "PERSON",
                person,
                format!("{name} declined contact; Trellis will not record a follow-up"),
            )
            .into());
        }
        let prior =
            sqlx::query("SELECT sent_at_us FROM followups WHERE event_id = $1 AND person_id = $2")
                .bind(event.0)
                .bind(person.0)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(prior) = prior {
            return Err(StoreError::Conflict(format!(
                "{name} was already asked about '{title}' on {}",
                rfc3339_utc(at(&prior, "sent_at_us")?)
            )));
        }
        let token = if channel == Channel::Form {
            Some(new_token()?)
        } else {
            None
        };
        let row = sqlx::query(
            "INSERT INTO followups (event_id, person_id, channel, sent_at_us, actor, token) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(event.0)
        .bind(person.0)
        .bind(channel.as_str())
        .bind(ctx.now_us())
        .bind(&ctx.actor)
        // Only the digest is kept, as for sessions: the link works, the database does not.
        .bind(token.as_deref().map(crate::web::digest))
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        let link = token
            .as_ref()
            .map(|t| format!("{}/f/{t}", public_url.trim_end_matches('/')));
        let first = name.split_whitespace().next().unwrap_or(&name);
        Ok(SentFollowup {
            id: i64_(&row, "id")?,
            event,
            person,
            channel,
            message: followup::message(first, &title, link.as_deref()),
            token,
            link,
        })
    }

    /// Records the answer to a follow-up, found by its form token or its id. A token
    /// answers once.
    pub async fn answer_followup(
        &self,
        ctx: &Ctx,
        key: &str,
        answer: &str,
        outcome: Option<Outcome>,
    ) -> Result<FollowupView, StoreError> {
        let answer = answer.trim();
        if answer.is_empty() {
            return Err(
                CoreError::invalid("--text", answer, "is empty; record what they said").into(),
            );
        }
        let mut tx = self.write_tx().await?;
        let key = key.trim();
        let row = match key.parse::<i64>() {
            Ok(id) => {
                sqlx::query("SELECT id, answered_at_us FROM followups WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
            }
            Err(_) => {
                sqlx::query("SELECT id, answered_at_us FROM followups WHERE token = $1")
                    .bind(crate::web::digest(key))
                    .fetch_optional(&mut *tx)
                    .await?
            }
        };
        let Some(row) = row else {
            return Err(CoreError::invalid("TOKEN|ID", key, "matches no follow-up").into());
        };
        if opt_at(&row, "answered_at_us")?.is_some() {
            return Err(CoreError::invalid(
                "TOKEN|ID",
                key,
                "was already answered; a follow-up answers once",
            )
            .into());
        }
        let id = i64_(&row, "id")?;
        sqlx::query("UPDATE followups SET answer = $1, outcome = $2, answered_at_us = $3 WHERE id = $4 AND answered_at_us IS NULL")
            .bind(answer)
            .bind(outcome.map(|o| o.as_str()))
            .bind(ctx.now_us())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let r = sqlx::query(
            "SELECT f.*, p.display_name FROM followups f JOIN people p ON p.id = f.person_id WHERE f.id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let v = view(&r)?;
        tx.commit().await?;
        Ok(v)
    }

    pub async fn followup_status(&self, event: EventId) -> Result<FollowupStatus, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let (title, minimum) = held_event(&mut conn, event).await?;
        let held = held_at(&mut conn, event).await?;
        let rows = sqlx::query(
            "SELECT f.id, f.event_id, f.person_id, f.channel, f.sent_at_us, f.answer, f.outcome, f.answered_at_us, p.display_name \
             FROM followups f JOIN people p ON p.id = f.person_id WHERE f.event_id = $1 ORDER BY f.sent_at_us, f.id",
        )
        .bind(event.0)
        .fetch_all(&mut *conn)
        .await?;
        let followups: Vec<FollowupView> = rows.iter().map(view).collect::<Result<_, _>>()?;
        let due = held
            .saturating_add(jiff::SignedDuration::from_hours(24 * DUE_DAYS))
            .unwrap_or(held);
        Ok(FollowupStatus {
            event,
            event_title: title,
            sent: followups.len() as u32,
            minimum,
            answered: followups.iter().filter(|f| f.answered_at.is_some()).count() as u32,
            due: rfc3339_utc(due),
            followups,
        })
    }

    /// Marks whether a person may be contacted (follow-ups never go to those who declined).
    pub async fn set_contact(
        &self,
        person: PersonId,
        do_not_contact: bool,
    ) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE people SET do_not_contact = $1 WHERE id = $2")
            .bind(i64::from(do_not_contact))
            .bind(person.0)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("person", person));
        }
        Ok(())
    }
}
