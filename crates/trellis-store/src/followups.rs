use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::gates::{held_at, lock_event};
use crate::open::Store;
use crate::row::{at, i64_, opt_at, opt_text, parse, text, u32_};
use sqlx::AnyConnection;
use std::collections::{HashMap, HashSet};
use trellis_core::event::EventStatus;
use trellis_core::followup::{self, Channel, Outcome, QUIET_DAYS};
use trellis_core::metrics::Seen;
use trellis_core::time::rfc3339_utc;
use trellis_core::{CoreError, EventId, PersonId};

/// What the follow-up rule reads about a held event: who was there (the attendance rows
/// of the event and of the program's earlier held events, for the core to decide who was
/// in the room and who came back), who presented, the retro's picks, and who may be asked.
#[derive(Debug, Clone)]
pub struct FollowupFacts {
    pub event: EventId,
    pub title: String,
    pub minimum: u32,
    pub sent: u32,
    /// The retro's picks in order: person, name, the retro's reason.
    pub picks: Vec<(PersonId, String, String)>,
    /// The event's own attendance rows.
    pub rows: Vec<Seen>,
    /// The attendance rows of the program's held events that started before it.
    pub earlier: Vec<Seen>,
    /// Who presented a demo at the event.
    pub presenters: HashSet<PersonId>,
    /// The display name of everyone in `rows` and `picks`.
    pub names: HashMap<PersonId, String>,
    /// Who declined contact, was asked about this event, or was asked about another one
    /// within the quiet days: (do_not_contact, already_sent, asked_recently).
    pub contact: HashMap<PersonId, (bool, bool, bool)>,
}

#[derive(Debug, Clone)]
pub struct SentFollowup {
    pub id: i64,
    pub event: EventId,
    pub person: PersonId,
    pub channel: Channel,
    pub token: Option<String>,
    pub link: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct FollowupView {
    pub id: i64,
    pub event: EventId,
    pub person: PersonId,
    pub name: String,
    pub channel: Channel,
    pub sent_at: jiff::Timestamp,
    pub answer: Option<String>,
    pub outcome: Option<Outcome>,
    pub answered_at: Option<jiff::Timestamp>,
}

#[derive(Debug, Clone)]
pub struct FollowupStatus {
    pub event: EventId,
    pub event_title: String,
    pub sent: u32,
    pub minimum: u32,
    pub answered: u32,
    pub due: jiff::Timestamp,
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

/// Attendance rows as the core reads them (`trellis_core::metrics::Seen`).
fn seen(r: &sqlx::any::AnyRow) -> Result<Seen, StoreError> {
    Ok(Seen {
        event: EventId(i64_(r, "event_id")?),
        person: PersonId(i64_(r, "person_id")?),
        rsvp: parse(r, "rsvp")?,
        checked_in: parse(r, "checked_in")?,
    })
}

/// The retro's follow-up picks of an event, in order: person, name, the retro's reason.
async fn retro_picks(
    conn: &mut AnyConnection,
    event: EventId,
) -> Result<Vec<(PersonId, String, String)>, StoreError> {
    sqlx::query(
        "SELECT p.id, p.display_name, f.why FROM retro_followups f JOIN people p ON p.id = f.person_id WHERE f.event_id = $1 ORDER BY f.position",
    )
    .bind(event.0)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok((
            PersonId(i64_(r, "id")?),
            text(r, "display_name")?,
            text(r, "why")?,
        ))
    })
    .collect()
}

/// The attendance rows of an event, and of its program's held events that started before it.
async fn attendance_rows(
    conn: &mut AnyConnection,
    event: EventId,
    program: i64,
    starts_us: i64,
) -> Result<(Vec<Seen>, Vec<Seen>), StoreError> {
    let (mut rows, mut earlier) = (Vec::new(), Vec::new());
    for r in &sqlx::query(
        "SELECT a.event_id, a.person_id, a.rsvp, a.checked_in FROM attendances a JOIN events e ON e.id = a.event_id \
         WHERE e.program_id = $1 AND (e.id = $2 OR (e.starts_at_us < $3 AND e.status IN ('held', 'closed')))",
    )
    .bind(program)
    .bind(event.0)
    .bind(starts_us)
    .fetch_all(&mut *conn)
    .await?
    {
        let s = seen(r)?;
        if s.event == event {
            rows.push(s);
        } else {
            earlier.push(s);
        }
    }
    Ok((rows, earlier))
}

/// For each person at the event or among its retro picks: declined contact, already asked
/// about this event, asked about another one within the quiet days. One query for all of
/// them (a query per person was one round trip per row of the room).
async fn contact_flags(
    conn: &mut AnyConnection,
    event: EventId,
    now: jiff::Timestamp,
) -> Result<HashMap<PersonId, (bool, bool, bool)>, StoreError> {
    let quiet_since = now.as_microsecond() - QUIET_DAYS * 86_400_000_000;
    sqlx::query(
        "SELECT p.id, p.do_not_contact, \
           (SELECT COUNT(*) FROM followups f WHERE f.person_id = p.id AND f.event_id = $1) AS this_event, \
           (SELECT COUNT(*) FROM followups f WHERE f.person_id = p.id AND f.event_id <> $1 AND f.sent_at_us > $2) AS recent \
         FROM people p WHERE p.id IN \
           (SELECT person_id FROM attendances WHERE event_id = $1 UNION SELECT person_id FROM retro_followups WHERE event_id = $1)",
    )
    .bind(event.0)
    .bind(quiet_since)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok((
            PersonId(i64_(r, "id")?),
            (
                i64_(r, "do_not_contact")? != 0,
                i64_(r, "this_event")? > 0,
                i64_(r, "recent")? > 0,
            ),
        ))
    })
    .collect()
}

fn view(r: &sqlx::any::AnyRow) -> Result<FollowupView, StoreError> {
    Ok(FollowupView {
        id: i64_(r, "id")?,
        event: EventId(i64_(r, "event_id")?),
        person: PersonId(i64_(r, "person_id")?),
        name: text(r, "display_name")?,
        channel: parse(r, "channel")?,
        sent_at: at(r, "sent_at_us")?,
        answer: opt_text(r, "answer")?,
        outcome: opt_text(r, "outcome")?.map(|o| o.parse()).transpose()?,
        answered_at: opt_at(r, "answered_at_us")?,
    })
}

impl Store {
    /// The facts the follow-up rule needs about a held event.
    pub async fn followup_facts(
        &self,
        event: EventId,
        now: jiff::Timestamp,
    ) -> Result<FollowupFacts, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let (title, minimum) = held_event(&mut conn, event).await?;
        let ev = sqlx::query("SELECT program_id, starts_at_us FROM events WHERE id = $1")
            .bind(event.0)
            .fetch_one(&mut *conn)
            .await?;
        let program = i64_(&ev, "program_id")?;
        let starts = i64_(&ev, "starts_at_us")?;
        let picks = retro_picks(&mut conn, event).await?;
        let (rows, earlier) = attendance_rows(&mut conn, event, program, starts).await?;
        let presenters: HashSet<PersonId> = sqlx::query(
            "SELECT dp.person_id FROM demos d JOIN demo_presenters dp ON dp.demo_id = d.id WHERE d.event_id = $1 AND d.status = 'presented'",
        )
        .bind(event.0)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| i64_(r, "person_id").map(PersonId))
        .collect::<Result<_, _>>()?;
        let mut names = HashMap::new();
        for r in &sqlx::query(
            "SELECT p.id, p.display_name FROM attendances a JOIN people p ON p.id = a.person_id WHERE a.event_id = $1",
        )
        .bind(event.0)
        .fetch_all(&mut *conn)
        .await?
        {
            names.insert(PersonId(i64_(r, "id")?), text(r, "display_name")?);
        }
        for (p, name, _) in &picks {
            names.insert(*p, name.clone());
        }
        let contact = contact_flags(&mut conn, event, now).await?;
        let sent = sqlx::query("SELECT COUNT(*) AS n FROM followups WHERE event_id = $1")
            .bind(event.0)
            .fetch_one(&mut *conn)
            .await?;
        Ok(FollowupFacts {
            event,
            title,
            minimum,
            sent: u32_(&sent, "n")?,
            picks,
            rows,
            earlier,
            presenters,
            names,
            contact,
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
                CoreError::invalid("text", answer, "is empty; record what they said").into(),
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
        let due = followup::due(held);
        Ok(FollowupStatus {
            event,
            event_title: title,
            sent: followups.len() as u32,
            minimum,
            answered: followups.iter().filter(|f| f.answered_at.is_some()).count() as u32,
            due,
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
