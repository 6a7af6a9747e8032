use crate::ctx::Ctx;
use crate::demos::DemoView;
use crate::error::StoreError;
use crate::gates::{
    CycleOf, OverrideRecord, Scope, enforce, event_snapshot, last_held_event, load_cycle,
    lock_event, record_history,
};
use crate::open::Store;
use crate::row::{at, flag, i64_, opt_i64, opt_text, parse, text, u32_};
use jiff::Timestamp;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use trellis_core::event::EventStatus;
use trellis_core::gate::{Action, Snapshot, evaluate};
use trellis_core::program::{ProgramSettings, count};
use trellis_core::time;
use trellis_core::{EventId, ProgramId};

#[derive(Debug, Clone)]
pub struct NewEvent {
    pub program: ProgramId,
    pub title: String,
    /// `YYYY-MM-DD HH:MM`, local to the program's zone.
    pub at: String,
    pub slots: Option<i64>,
    pub venue: Option<String>,
    pub capacity: Option<i64>,
    /// A second program the event counts for (`trellis_core::cohost`).
    pub cohost: Option<ProgramId>,
}

/// Changes to an event's plan; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct EventEdit {
    pub title: Option<String>,
    pub at: Option<String>,
    pub slots: Option<i64>,
    pub venue: Option<String>,
    pub capacity: Option<i64>,
    /// `Some(None)` takes the co-host away.
    pub cohost: Option<Option<ProgramId>>,
}

#[derive(Debug, Clone)]
pub struct EventSummary {
    pub id: EventId,
    pub program_id: ProgramId,
    pub program: String,
    /// The co-hosting program, if any, and its name.
    pub cohost_program_id: Option<ProgramId>,
    pub cohost: Option<String>,
    pub title: String,
    /// The instant, RFC 3339 with the offset of the program's zone.
    pub starts_at: jiff::ZonedDateTime,
    /// The wall-clock time as typed, and its zone.
    pub starts_local: String,
    pub tz: String,
    pub venue: Option<String>,
    pub capacity: Option<i64>,
    pub status: EventStatus,
    pub slots: u32,
    pub slots_taken: u32,
    pub demos_confirmed: u32,
    pub demos_presented: u32,
    pub created_at: jiff::Timestamp,
    /// Entered as history after it happened: no gate was asked, no time-to-ship.
    pub backfilled: bool,
}

impl EventSummary {
    /// The programs the event counts for.
    pub fn hosts(&self) -> trellis_core::cohost::Hosts {
        trellis_core::cohost::Hosts {
            host: self.program_id,
            cohost: self.cohost_program_id,
        }
    }

    /// The name of the program beside `program` on `program`'s pages: the co-host on
    /// the host's, the host on the co-host's.
    pub fn partner_name(&self, program: ProgramId) -> Option<&str> {
        let partner = self.hosts().partner_of(program)?;
        if partner == self.program_id {
            Some(&self.program)
        } else {
            self.cohost.as_deref()
        }
    }
}

#[derive(Debug, Clone)]
pub struct StatusChange {
    pub event: EventId,
    pub from: Option<EventStatus>,
    pub to: EventStatus,
    pub at: jiff::Timestamp,
    pub actor: String,
    pub overrides: Vec<OverrideRecord>,
}

#[derive(Debug, Clone)]
pub struct AttendanceCounts {
    pub going: u32,
    pub waitlist: u32,
    pub declined: u32,
    pub invited: u32,
    pub checked_in: u32,
}

/// What is stored about one event, read in one transaction: the facts its page and the
/// gates on its next steps are made of (the verdicts are the application layer's to ask).
#[derive(Debug, Clone)]
pub struct EventRecord {
    pub event: EventSummary,
    pub demos: Vec<DemoView>,
    pub attendance: AttendanceCounts,
    pub history: Vec<StatusChange>,
    /// What the gates read: for a held event its own cycle, else the program's last held
    /// event's.
    pub snapshot: Snapshot,
}

const SUMMARY_SELECT: &str = "SELECT e.id, e.program_id, p.name AS program, e.cohost_program_id, c.name AS cohost, e.title, e.starts_local, e.tz, e.starts_at_us, \
    e.venue, e.capacity, e.status, e.slots, e.created_at_us, e.backfilled, \
    (SELECT COUNT(*) FROM demos d WHERE d.event_id = e.id AND d.status IN ('confirmed', 'presented', 'no_show')) AS taken, \
    (SELECT COUNT(*) FROM demos d WHERE d.event_id = e.id AND d.status = 'confirmed') AS confirmed, \
    (SELECT COUNT(*) FROM demos d WHERE d.event_id = e.id AND d.status = 'presented') AS presented \
    FROM events e JOIN programs p ON p.id = e.program_id LEFT JOIN programs c ON c.id = e.cohost_program_id";

fn summary_from_row(r: &AnyRow) -> Result<EventSummary, StoreError> {
    let tz_name = text(r, "tz")?;
    let tz = time::zone("tz", &tz_name)?;
    let count = |col: &str| -> Result<u32, StoreError> { u32_(r, col) };
    Ok(EventSummary {
        id: EventId(i64_(r, "id")?),
        program_id: ProgramId(i64_(r, "program_id")?),
        program: text(r, "program")?,
        cohost_program_id: opt_i64(r, "cohost_program_id")?.map(ProgramId),
        cohost: opt_text(r, "cohost")?,
        title: text(r, "title")?,
        starts_at: at(r, "starts_at_us")?.to_zoned_datetime(tz),
        starts_local: text(r, "starts_local")?,
        tz: tz_name,
        venue: opt_text(r, "venue")?,
        capacity: opt_i64(r, "capacity")?,
        status: parse(r, "status")?,
        slots: count("slots")?,
        slots_taken: count("taken")?,
        demos_confirmed: count("confirmed")?,
        demos_presented: count("presented")?,
        created_at: at(r, "created_at_us")?,
        backfilled: flag(r, "backfilled")?,
    })
}

fn optional_text(field: &str, v: &Option<String>) -> Result<Option<String>, StoreError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => Ok(Some(trellis_core::program::validate_name(field, s)?)),
    }
}

async fn record_status(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    event: EventId,
    from: Option<EventStatus>,
    to: EventStatus,
) -> Result<(), StoreError> {
    let from = from.map(EventStatus::as_str);
    record_history(
        conn,
        ctx,
        "event_status_history",
        ("event_id", event.0),
        from,
        to.as_str(),
    )
    .await
}

/// A new event's fields, checked against its program: what `create_event` and
/// `backfill_event` both write.
struct Checked {
    program: ProgramId,
    cohost: Option<ProgramId>,
    title: String,
    start: time::LocalStart,
    slots: u32,
    capacity: Option<u32>,
    venue: Option<String>,
}

impl Store {
    async fn check_new_event(
        &self,
        new: &NewEvent,
    ) -> Result<(Checked, ProgramSettings), StoreError> {
        let program = self.program(new.program).await?;
        let title = trellis_core::program::validate_name("title", &new.title)?;
        let start = time::local_start("at", &new.at, &program.tz)?;
        let slots = match new.slots {
            Some(v) => count("slots", v, 0, 100)?,
            None => program.settings.default_slots,
        };
        let capacity = new
            .capacity
            .map(|c| count("capacity", c, 0, 1_000_000))
            .transpose()?;
        let venue = optional_text("venue", &new.venue)?;
        let cohost = self.check_cohost(program.id, new.cohost).await?;
        Ok((
            Checked {
                program: program.id,
                cohost,
                title,
                start,
                slots,
                capacity,
                venue,
            },
            program.settings,
        ))
    }
}

/// Writes a checked event with its first history row: a draft, or (backfilled) held.
async fn insert_event(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    e: &Checked,
    backfilled: bool,
) -> Result<EventId, StoreError> {
    let status = if backfilled {
        EventStatus::Held
    } else {
        EventStatus::Draft
    };
    let row = sqlx::query(
        "INSERT INTO events (program_id, title, starts_local, tz, starts_at_us, venue, capacity, slots, status, created_at_us, backfilled, cohost_program_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(e.program.0)
    .bind(&e.title)
    .bind(e.start.local_text())
    .bind(&e.start.tz)
    .bind(time::to_micros(e.start.at))
    .bind(e.venue.clone())
    .bind(e.capacity.map(i64::from))
    .bind(i64::from(e.slots))
    .bind(status.as_str())
    .bind(ctx.now_us())
    .bind(crate::row::flag_value(backfilled))
    .bind(e.cohost.map(|c| c.0))
    .fetch_one(&mut *conn)
    .await?;
    let id = EventId(i64_(&row, "id")?);
    // For a backfilled event this one row, from nothing straight to held, is the record
    // of the backfill.
    record_status(conn, ctx, id, None, status).await?;
    Ok(id)
}

impl Store {
    /// Plans an event, through the retro gate: the program's last held event must have
    /// its retro before the next one is planned.
    pub async fn create_event(
        &self,
        ctx: &Ctx,
        new: &NewEvent,
        override_reason: Option<&str>,
    ) -> Result<EventSummary, StoreError> {
        let mut planned = self
            .create_events(ctx, std::slice::from_ref(new), override_reason)
            .await?;
        planned
            .pop()
            .ok_or_else(|| StoreError::Corrupt("an event planned and not read back".into()))
    }

    /// Plans several events of one program (a series) in one transaction, through the
    /// retro gate once: all of them, or none (an override is recorded once, for all).
    pub async fn create_events(
        &self,
        ctx: &Ctx,
        news: &[NewEvent],
        override_reason: Option<&str>,
    ) -> Result<Vec<EventSummary>, StoreError> {
        let mut checked = Vec::with_capacity(news.len());
        let mut settings = None;
        for new in news {
            let (c, s) = self.check_new_event(new).await?;
            checked.push(c);
            settings = Some(s);
        }
        let (Some(program), Some(settings)) = (checked.first().map(|c| c.program), settings) else {
            return Ok(Vec::new());
        };
        if checked.iter().any(|c| c.program != program) {
            return Err(trellis_core::CoreError::invalid(
                "program",
                program,
                "differs between the events of one series",
            )
            .into());
        }
        let mut tx = self.write_tx().await?;
        // Planning is a program-level action: lock the program row first.
        sqlx::query("UPDATE programs SET tz = tz WHERE id = $1")
            .bind(program.0)
            .execute(&mut *tx)
            .await?;
        let cycle = match last_held_event(&mut tx, program).await? {
            Some(e) => Some(load_cycle(&mut tx, &settings, e).await?),
            None => None,
        };
        let snapshot = Snapshot {
            settings,
            now: ctx.now,
            event: None,
            cycle,
        };
        let decision = evaluate(Action::PlanEvent, &snapshot);
        let scope = Scope {
            program,
            event: None,
            demo: None,
        };
        enforce(&mut tx, ctx, &decision, override_reason, scope).await?;
        let mut ids = Vec::with_capacity(checked.len());
        for c in &checked {
            ids.push(insert_event(&mut tx, ctx, c, false).await?);
        }
        tx.commit().await?;
        let mut planned = Vec::with_capacity(ids.len());
        for id in ids {
            planned.push(self.event(id).await?);
        }
        Ok(planned)
    }

    /// Enters an event that already happened as history: created directly as held and
    /// marked backfilled. No gate is asked (gates guard the future) and no override is
    /// recorded; the history says it was backfilled, and time-to-ship leaves it out (it
    /// was created after it started). A start in the future is refused.
    pub async fn backfill_event(
        &self,
        ctx: &Ctx,
        new: &NewEvent,
    ) -> Result<EventSummary, StoreError> {
        let (checked, _) = self.check_new_event(new).await?;
        trellis_core::event::check_backfill(
            checked.start.at,
            &checked.start.local_text(),
            ctx.now,
        )?;
        let mut tx = self.write_tx().await?;
        let id = insert_event(&mut tx, ctx, &checked, true).await?;
        tx.commit().await?;
        self.event(id).await
    }

    pub async fn list_events(
        &self,
        program: Option<ProgramId>,
    ) -> Result<Vec<EventSummary>, StoreError> {
        let sql = format!(
            "{SUMMARY_SELECT} WHERE ($1 IS NULL OR e.program_id = $1 OR e.cohost_program_id = $1) ORDER BY e.starts_at_us, e.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(program.map(|p| p.0))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(summary_from_row).collect()
    }

    pub async fn event(&self, id: EventId) -> Result<EventSummary, StoreError> {
        let sql = format!("{SUMMARY_SELECT} WHERE e.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("event", id))?;
        summary_from_row(&row)
    }

    /// The event's facts, and the gate snapshot of its next steps.
    pub async fn event_record(
        &self,
        id: EventId,
        now: Timestamp,
    ) -> Result<EventRecord, StoreError> {
        let mut tx = self.pool.begin().await?;
        let sql = format!("{SUMMARY_SELECT} WHERE e.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::not_found("event", id))?;
        let event = summary_from_row(&row)?;
        let cycle_of = if event.status == EventStatus::Held {
            CycleOf::ThisEvent
        } else {
            CycleOf::LastHeld
        };
        let (_, snapshot) = event_snapshot(&mut tx, now, id, cycle_of).await?;
        let demos = crate::demos::demos_of_event(&mut tx, id).await?;
        let attendance = crate::attendance::counts(&mut tx, id).await?;
        let history = sqlx::query(
            "SELECT from_status, to_status, at_us, actor FROM event_status_history WHERE event_id = $1 ORDER BY at_us, id",
        )
        .bind(id.0)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| {
            let from = opt_text(r, "from_status")?.map(|s| s.parse::<EventStatus>()).transpose()?;
            Ok(StatusChange {
                event: id,
                from,
                to: parse(r, "to_status")?,
                at: at(r, "at_us")?,
                actor: text(r, "actor")?,
                overrides: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        tx.commit().await?;
        Ok(EventRecord {
            event,
            demos,
            attendance,
            history,
            snapshot,
        })
    }

    /// Moves an event along its lifecycle, through the gates that guard the step.
    pub async fn set_event_status(
        &self,
        ctx: &Ctx,
        id: EventId,
        to: EventStatus,
        override_reason: Option<&str>,
    ) -> Result<StatusChange, StoreError> {
        let mut tx = self.write_tx().await?;
        lock_event(&mut tx, id).await?;
        let cycle_of = if to == EventStatus::Closed {
            CycleOf::ThisEvent
        } else {
            CycleOf::LastHeld
        };
        let (program, snapshot) = event_snapshot(&mut tx, ctx.now, id, cycle_of).await?;
        let (from, title) = match &snapshot.event {
            Some(e) => (e.status, e.title.clone()),
            None => return Err(StoreError::not_found("event", id)),
        };
        from.transition(to, &format!("event {id} '{title}'"))?;
        if to == EventStatus::Held {
            let row =
                sqlx::query("SELECT starts_at_us, starts_local, tz FROM events WHERE id = $1")
                    .bind(id.0)
                    .fetch_one(&mut *tx)
                    .await?;
            trellis_core::event::check_held(
                &format!("event {id} '{title}'"),
                from,
                at(&row, "starts_at_us")?,
                &text(&row, "starts_local")?,
                &text(&row, "tz")?,
                ctx.now,
            )?;
        }
        let action = match to {
            EventStatus::Announced => Some(Action::Announce),
            EventStatus::Closed => Some(Action::Close),
            _ => None,
        };
        let overrides = match action {
            Some(action) => {
                let decision = evaluate(action, &snapshot);
                enforce(
                    &mut tx,
                    ctx,
                    &decision,
                    override_reason,
                    Scope {
                        program,
                        event: Some(id),
                        demo: None,
                    },
                )
                .await?
            }
            None => Vec::new(),
        };
        sqlx::query("UPDATE events SET status = $1 WHERE id = $2")
            .bind(to.as_str())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        record_status(&mut tx, ctx, id, Some(from), to).await?;
        tx.commit().await?;
        Ok(StatusChange {
            event: id,
            from: Some(from),
            to,
            at: ctx.now,
            actor: ctx.actor.clone(),
            overrides,
        })
    }

    /// Changes an event's plan. Slots cannot drop below the demos holding them: that
    /// would oversell by the back door.
    pub async fn edit_event(
        &self,
        _ctx: &Ctx,
        id: EventId,
        edit: &EventEdit,
    ) -> Result<EventSummary, StoreError> {
        let mut tx = self.write_tx().await?;
        lock_event(&mut tx, id).await?;
        let current = {
            let sql = format!("{SUMMARY_SELECT} WHERE e.id = $1");
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(id.0)
                .fetch_one(&mut *tx)
                .await?;
            summary_from_row(&row)?
        };
        if matches!(current.status, EventStatus::Closed | EventStatus::Cancelled) {
            return Err(trellis_core::CoreError::Transition {
                what: format!("event {id} '{}'", current.title),
                from: current.status.to_string(),
                to: "edited".into(),
                hint: " (it is finished)".into(),
            }
            .into());
        }
        if let Some(t) = &edit.title {
            let t = trellis_core::program::validate_name("title", t)?;
            sqlx::query("UPDATE events SET title = $1 WHERE id = $2")
                .bind(t)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(a) = &edit.at {
            let start = time::local_start("at", a, &current.tz)?;
            sqlx::query("UPDATE events SET starts_local = $1, starts_at_us = $2 WHERE id = $3")
                .bind(start.local_text())
                .bind(time::to_micros(start.at))
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(s) = edit.slots {
            let slots = count("slots", s, 0, 100)?;
            if slots < current.slots_taken {
                return Err(trellis_core::CoreError::invalid(
                    "slots",
                    s,
                    format!("is below the {} slots already taken by confirmed demos; withdraw one first", current.slots_taken),
                )
                .into());
            }
            sqlx::query("UPDATE events SET slots = $1 WHERE id = $2")
                .bind(i64::from(slots))
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        if edit.venue.is_some() {
            let venue = optional_text("venue", &edit.venue)?;
            sqlx::query("UPDATE events SET venue = $1 WHERE id = $2")
                .bind(venue)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(c) = edit.capacity {
            let c = count("capacity", c, 0, 1_000_000)?;
            sqlx::query("UPDATE events SET capacity = $1 WHERE id = $2")
                .bind(i64::from(c))
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(cohost) = edit.cohost {
            let cohost = self.check_cohost(current.program_id, cohost).await?;
            sqlx::query("UPDATE events SET cohost_program_id = $1 WHERE id = $2")
                .bind(cohost.map(|c| c.0))
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.event(id).await
    }
}
