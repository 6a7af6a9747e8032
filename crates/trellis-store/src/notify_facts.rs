//! The facts the reminder rules read (`trellis_core::notify`): held events whose retro
//! is not written, with their programs' organizers who have an e-mail address.

use crate::error::StoreError;
use crate::gates::held_at;
use crate::open::Store;
use crate::row::{i64_, text, u32_};
use jiff::Timestamp;
use trellis_core::EventId;

/// An organizer who can be mailed.
#[derive(Debug, Clone)]
pub struct MailableOrganizer {
    pub id: i64,
    pub name: String,
    pub email: String,
}

/// A held event without a retro.
#[derive(Debug, Clone)]
pub struct RetroPending {
    pub event_id: i64,
    pub program_id: i64,
    pub program: String,
    pub title: String,
    pub held_at: Timestamp,
    pub retro_hours: u32,
    pub organizers: Vec<MailableOrganizer>,
    /// The organizer named as the owner of its due items, if one was (`event_owners`).
    pub owner: Option<i64>,
}

impl Store {
    /// Every held event whose retro is not written, with whom to remind.
    pub async fn retros_pending(&self) -> Result<Vec<RetroPending>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let events = sqlx::query(
            "SELECT e.id, e.title, e.program_id, p.name AS program, p.retro_hours, \
                    (SELECT eo.organizer_id FROM event_owners eo WHERE eo.event_id = e.id) AS owner_id \
             FROM events e JOIN programs p ON p.id = e.program_id \
             WHERE e.status = 'held' AND e.backfilled = 0 AND NOT EXISTS (SELECT 1 FROM retros r WHERE r.event_id = e.id) \
             ORDER BY e.id",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut out = Vec::with_capacity(events.len());
        for r in &events {
            let event_id = i64_(r, "id")?;
            let program_id = i64_(r, "program_id")?;
            out.push(RetroPending {
                event_id,
                program_id,
                program: text(r, "program")?,
                title: text(r, "title")?,
                held_at: held_at(&mut conn, EventId(event_id)).await?,
                retro_hours: u32_(r, "retro_hours")?,
                organizers: organizers_of(&mut conn, program_id).await?,
                owner: crate::row::opt_i64(r, "owner_id")?,
            });
        }
        Ok(out)
    }
}

/// A held event whose follow-ups are below the program's minimum.
#[derive(Debug, Clone)]
pub struct FollowupsPending {
    pub event_id: i64,
    pub program_id: i64,
    pub program: String,
    pub title: String,
    pub held_at: Timestamp,
    pub sent: u32,
    pub minimum: u32,
    pub organizers: Vec<MailableOrganizer>,
    /// The organizer named as the owner of its due items, if one was (`event_owners`).
    pub owner: Option<i64>,
}

impl Store {
    /// Every held event (not backfilled: history owes nothing) whose follow-ups are
    /// below its program's minimum, with whom to remind.
    pub async fn followups_pending(&self) -> Result<Vec<FollowupsPending>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let events = sqlx::query(
            "SELECT e.id, e.title, e.program_id, p.name AS program, p.followup_minimum, \
                    (SELECT COUNT(*) FROM followups f WHERE f.event_id = e.id) AS sent, \
                    (SELECT eo.organizer_id FROM event_owners eo WHERE eo.event_id = e.id) AS owner_id \
             FROM events e JOIN programs p ON p.id = e.program_id \
             WHERE e.status = 'held' AND e.backfilled = 0 ORDER BY e.id",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut out = Vec::new();
        for r in &events {
            let (sent, minimum) = (u32_(r, "sent")?, u32_(r, "followup_minimum")?);
            if sent >= minimum {
                continue;
            }
            let event_id = i64_(r, "id")?;
            let program_id = i64_(r, "program_id")?;
            out.push(FollowupsPending {
                event_id,
                program_id,
                program: text(r, "program")?,
                title: text(r, "title")?,
                held_at: held_at(&mut conn, EventId(event_id)).await?,
                sent,
                minimum,
                organizers: organizers_of(&mut conn, program_id).await?,
                owner: crate::row::opt_i64(r, "owner_id")?,
            });
        }
        Ok(out)
    }

    /// Whether the event's follow-ups reached its program's minimum.
    pub async fn followups_done(&self, event: i64) -> Result<bool, StoreError> {
        let r = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM followups f WHERE f.event_id = e.id) AS sent, p.followup_minimum \
             FROM events e JOIN programs p ON p.id = e.program_id WHERE e.id = $1",
        )
        .bind(event)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match r {
            Some(r) => u32_(&r, "sent")? >= u32_(&r, "followup_minimum")?,
            None => true,
        })
    }
}

/// A coming event (draft or announced), with its confirmed presenters counted as the
/// demo slot contract counts them (`EventFacts::confirmed_presenters`) and its program's
/// target: whether it is short is the caller's call.
#[derive(Debug, Clone)]
pub struct ComingEvent {
    pub event_id: i64,
    pub program_id: i64,
    pub program: String,
    pub title: String,
    pub starts_at: Timestamp,
    pub confirmed: u32,
    pub target: u32,
    pub organizers: Vec<MailableOrganizer>,
}

impl Store {
    /// Every coming event (draft or announced, starting after `now`), with whom to tell.
    pub async fn coming_events(&self, now: Timestamp) -> Result<Vec<ComingEvent>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let events = sqlx::query(
            "SELECT e.id, e.title, e.program_id, e.starts_at_us, p.name AS program \
             FROM events e JOIN programs p ON p.id = e.program_id \
             WHERE e.status IN ('draft', 'announced') AND e.starts_at_us > $1 ORDER BY e.id",
        )
        .bind(now.as_microsecond())
        .fetch_all(&mut *conn)
        .await?;
        let mut out = Vec::new();
        for r in &events {
            let event_id = i64_(r, "id")?;
            let program_id = i64_(r, "program_id")?;
            let (confirmed, target) = presenter_counts(&mut conn, event_id).await?;
            out.push(ComingEvent {
                event_id,
                program_id,
                program: text(r, "program")?,
                title: text(r, "title")?,
                starts_at: crate::row::at(r, "starts_at_us")?,
                confirmed,
                target,
                organizers: organizers_of(&mut conn, program_id).await?,
            });
        }
        Ok(out)
    }

    /// The event's confirmed presenters and its program's target.
    pub async fn demo_counts(&self, event: i64) -> Result<(u32, u32), StoreError> {
        let mut conn = self.pool.acquire().await?;
        presenter_counts(&mut conn, event).await
    }
}

/// Confirmed presenters (the gate's own count, from the facts the gate reads) and the
/// program's demo target.
async fn presenter_counts(
    conn: &mut sqlx::AnyConnection,
    event: i64,
) -> Result<(u32, u32), StoreError> {
    let (_, settings, facts) = crate::gates::load_event_facts(conn, EventId(event)).await?;
    let confirmed = u32::try_from(facts.confirmed_presenters()).unwrap_or(u32::MAX);
    Ok((confirmed, settings.demo_target))
}

/// A program's active organizers with an address: a retired organizer is told nothing.
pub(crate) async fn organizers_of(
    conn: &mut sqlx::AnyConnection,
    program: i64,
) -> Result<Vec<MailableOrganizer>, StoreError> {
    let rows = sqlx::query(
        "SELECT o.id, o.name, o.email FROM organizers o \
         JOIN program_organizers po ON po.organizer_id = o.id \
         WHERE po.program_id = $1 AND o.email IS NOT NULL AND o.email <> '' \
           AND o.retired_at_us IS NULL ORDER BY o.id",
    )
    .bind(program)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(MailableOrganizer {
                id: i64_(r, "id")?,
                name: text(r, "name")?,
                email: text(r, "email")?,
            })
        })
        .collect()
}

/// A presenter who may be mailed (has an address, is not marked no-contact).
#[derive(Debug, Clone)]
pub struct MailablePresenter {
    pub person_id: i64,
    pub name: String,
    pub email: String,
}

/// A demo that passed screening and whose contract is not accepted.
#[derive(Debug, Clone)]
pub struct ContractPending {
    pub demo_id: i64,
    pub demo: String,
    pub event_id: i64,
    pub event: String,
    pub program_id: i64,
    pub program: String,
    pub screened_at: Timestamp,
    pub presenters: Vec<MailablePresenter>,
    /// The program's first organizer with an address: the Reply-To.
    pub reply_to: Option<String>,
}

impl Store {
    /// Every live demo that passed screening and awaits its presenter's acceptance.
    pub async fn contracts_pending(&self) -> Result<Vec<ContractPending>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let demos = sqlx::query(
            "SELECT d.id, d.title, d.screened_at_us, e.id AS event_id, e.title AS event, \
                    p.id AS program_id, p.name AS program \
             FROM demos d JOIN events e ON e.id = d.event_id JOIN programs p ON p.id = e.program_id \
             WHERE d.screening_passed = 1 AND d.screened_at_us IS NOT NULL \
               AND d.contract_accepted_at_us IS NULL AND d.status IN ('screened', 'confirmed') \
               AND e.status NOT IN ('held', 'closed', 'cancelled') \
             ORDER BY d.id",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut out = Vec::with_capacity(demos.len());
        for r in &demos {
            let program_id = i64_(r, "program_id")?;
            let demo_id = i64_(r, "id")?;
            out.push(ContractPending {
                demo_id,
                demo: text(r, "title")?,
                event_id: i64_(r, "event_id")?,
                event: text(r, "event")?,
                program_id,
                program: text(r, "program")?,
                screened_at: crate::row::at(r, "screened_at_us")?,
                presenters: presenters_of(&mut conn, demo_id).await?,
                reply_to: organizers_of(&mut conn, program_id)
                    .await?
                    .into_iter()
                    .next()
                    .map(|o| o.email),
            });
        }
        Ok(out)
    }

    /// Whether a demo's contract was accepted (a planned contract message then goes no more).
    pub async fn contract_accepted(&self, demo: i64) -> Result<bool, StoreError> {
        let r = sqlx::query(
            "SELECT COUNT(*) AS n FROM demos WHERE id = $1 AND contract_accepted_at_us IS NOT NULL",
        )
        .bind(demo)
        .fetch_one(&self.pool)
        .await?;
        Ok(i64_(&r, "n")? > 0)
    }
}

/// A demo's presenters who can be mailed: an address, and not marked no-contact.
async fn presenters_of(
    conn: &mut sqlx::AnyConnection,
    demo: i64,
) -> Result<Vec<MailablePresenter>, StoreError> {
    let rows = sqlx::query(
        "SELECT p.id, p.display_name, (SELECT MIN(m.email) FROM person_emails m WHERE m.person_id = p.id) AS email \
         FROM demo_presenters dp JOIN people p ON p.id = dp.person_id \
         WHERE dp.demo_id = $1 AND p.do_not_contact = 0 AND p.forgotten_at_us IS NULL \
         ORDER BY dp.position",
    )
    .bind(demo)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for r in &rows {
        if let Some(email) = crate::row::opt_text(r, "email")? {
            out.push(MailablePresenter {
                person_id: i64_(r, "id")?,
                name: text(r, "display_name")?,
                email,
            });
        }
    }
    Ok(out)
}

/// Whether and where a person may be mailed.
#[derive(Debug, Clone)]
pub struct PersonContact {
    pub name: String,
    pub email: Option<String>,
    pub do_not_contact: bool,
}

impl Store {
    pub async fn person_contact(&self, person: i64) -> Result<PersonContact, StoreError> {
        let r = sqlx::query(
            "SELECT display_name, do_not_contact, \
                    (SELECT MIN(m.email) FROM person_emails m WHERE m.person_id = p.id) AS email \
             FROM people p WHERE p.id = $1",
        )
        .bind(person)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("person", person))?;
        Ok(PersonContact {
            name: text(&r, "display_name")?,
            email: crate::row::opt_text(&r, "email")?,
            do_not_contact: i64_(&r, "do_not_contact")? != 0,
        })
    }

    /// The address replies to a message about `event` go to: its program's first
    /// organizer with one.
    pub async fn event_reply_to(&self, event: i64) -> Result<Option<String>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let r = sqlx::query("SELECT program_id FROM events WHERE id = $1")
            .bind(event)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| StoreError::not_found("event", event))?;
        let program = i64_(&r, "program_id")?;
        Ok(organizers_of(&mut conn, program)
            .await?
            .into_iter()
            .next()
            .map(|o| o.email))
    }
}
