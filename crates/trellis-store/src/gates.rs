//! Where the gate engine meets the store: locking, snapshots, and overrides.

use crate::ctx::Ctx;
use crate::error::{Refusal, StoreError};
use crate::open::Store;
use crate::row::{at, flag, i64_, opt_at, opt_i64, opt_text, parse, text, u32_};
use jiff::Timestamp;
use serde::Serialize;
use sqlx::AnyConnection;
use trellis_core::gate::{ChatReportFacts, CycleFacts, Decision, DemoFacts, EventFacts, Snapshot};
use trellis_core::listen::Verdict;
use trellis_core::pipeline::Stage;
use trellis_core::program::ProgramSettings;
use trellis_core::{DemoId, EventId, ProgramId};

/// Takes the event's row lock: the first write of a gated transaction. On PostgreSQL it
/// is a row lock that queues every other writer of this event; on SQLite the write lock
/// of the database. Either way the snapshot read after it cannot go stale before commit,
/// which is what makes the last free slot impossible to sell twice.
pub(crate) async fn lock_event(conn: &mut AnyConnection, id: EventId) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE events SET lock_version = lock_version + 1 WHERE id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::not_found("event", id));
    }
    Ok(())
}

/// A status change, kept forever: metrics are computed from these rows.
pub(crate) async fn record_history(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    table: &'static str,
    subject: (&'static str, i64),
    from: Option<&str>,
    to: &str,
) -> Result<(), StoreError> {
    let sql = format!(
        "INSERT INTO {table} ({}, from_status, to_status, at_us, actor) VALUES ($1, $2, $3, $4, $5)",
        subject.0
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(subject.1)
        .bind(from)
        .bind(to)
        .bind(ctx.now_us())
        .bind(&ctx.actor)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The event and its program's settings, read inside the caller's transaction.
pub(crate) async fn load_event_facts(
    conn: &mut AnyConnection,
    id: EventId,
) -> Result<(ProgramId, ProgramSettings, EventFacts), StoreError> {
    let row = sqlx::query(
        "SELECT e.id, e.title, e.status, e.slots, e.program_id, p.demo_target, p.default_slots, p.followup_minimum, \
                p.retro_hours, p.moves_per_event, p.demos_per_presenter \
         FROM events e JOIN programs p ON p.id = e.program_id WHERE e.id = $1",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::not_found("event", id))?;
    let settings = settings_from_row(&row)?;
    let program = ProgramId(i64_(&row, "program_id")?);
    let demos = sqlx::query(
        "SELECT d.id, d.title, d.status, d.screening_passed, d.contract_accepted_at_us, dp.person_id, p.display_name \
         FROM demos d LEFT JOIN demo_presenters dp ON dp.demo_id = d.id LEFT JOIN people p ON p.id = dp.person_id \
         WHERE d.event_id = $1 ORDER BY d.id, dp.position",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut facts: Vec<DemoFacts> = Vec::new();
    for r in &demos {
        let did = DemoId(i64_(r, "id")?);
        let presenter = opt_text(r, "display_name")?;
        let person = opt_i64(r, "person_id")?.map(trellis_core::PersonId);
        if let Some(last) = facts.last_mut().filter(|d| d.id == did) {
            last.presenters.extend(presenter);
            last.presenter_ids.extend(person);
            continue;
        }
        facts.push(DemoFacts {
            id: did,
            title: text(r, "title")?,
            presenters: presenter.into_iter().collect(),
            presenter_ids: person.into_iter().collect(),
            status: parse(r, "status")?,
            screening_passed: flag(r, "screening_passed")?,
            contract_accepted: opt_i64(r, "contract_accepted_at_us")?.is_some(),
        });
    }
    let event = EventFacts {
        id,
        program,
        title: text(&row, "title")?,
        status: parse(&row, "status")?,
        slots: u32_(&row, "slots")?,
        demos: facts,
    };
    Ok((program, settings, event))
}

pub(crate) fn settings_from_row(row: &sqlx::any::AnyRow) -> Result<ProgramSettings, StoreError> {
    Ok(ProgramSettings {
        demo_target: u32_(row, "demo_target")?,
        default_slots: u32_(row, "default_slots")?,
        followup_minimum: u32_(row, "followup_minimum")?,
        retro_hours: u32_(row, "retro_hours")?,
        moves_per_event: u32_(row, "moves_per_event")?,
        demos_per_presenter: u32_(row, "demos_per_presenter")?,
    })
}

/// The program's most recent held (or closed) event, other than `excluding`, that was
/// held through the cycle: a backfilled event is history entered afterwards, and no
/// mechanism is owed on it (gates guard the future), so the next event never waits for
/// its retro or follow-ups.
pub(crate) async fn last_held_event_except(
    conn: &mut AnyConnection,
    program: ProgramId,
    excluding: Option<EventId>,
) -> Result<Option<EventId>, StoreError> {
    let row = sqlx::query(
        "SELECT id FROM events WHERE program_id = $1 AND status IN ('held', 'closed') AND backfilled = 0 AND ($2 IS NULL OR id <> $2) \
         ORDER BY starts_at_us DESC, id DESC LIMIT 1",
    )
    .bind(program.0)
    .bind(excluding.map(|e| e.0))
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| i64_(&r, "id").map(EventId)).transpose()
}

/// The program's most recent held (or closed) event.
pub(crate) async fn last_held_event(
    conn: &mut AnyConnection,
    program: ProgramId,
) -> Result<Option<EventId>, StoreError> {
    last_held_event_except(conn, program, None).await
}

/// When an event was marked held: the last `held` row of its history, or its start when
/// it was backfilled (entered as history after it happened) or the history has none.
pub(crate) async fn held_at(
    conn: &mut AnyConnection,
    event: EventId,
) -> Result<Timestamp, StoreError> {
    let row = sqlx::query(
        "SELECT CASE WHEN e.backfilled = 1 THEN e.starts_at_us ELSE \
                COALESCE((SELECT MAX(h.at_us) FROM event_status_history h WHERE h.event_id = e.id AND h.to_status = 'held'), \
                e.starts_at_us) END AS held FROM events e WHERE e.id = $1",
    )
    .bind(event.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::not_found("event", event))?;
    at(&row, "held")
}

/// The mechanisms that followed a held event: its retro, its follow-ups, and the
/// pipeline moves since the program's previous held event.
pub(crate) async fn load_cycle(
    conn: &mut AnyConnection,
    settings: &ProgramSettings,
    event: EventId,
) -> Result<CycleFacts, StoreError> {
    let row = sqlx::query(
        "SELECT e.title, e.program_id, e.starts_at_us, r.written_at_us, \
                (SELECT COUNT(*) FROM followups f WHERE f.event_id = e.id) AS sent \
         FROM events e LEFT JOIN retros r ON r.event_id = e.id WHERE e.id = $1",
    )
    .bind(event.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::not_found("event", event))?;
    let program = ProgramId(i64_(&row, "program_id")?);
    let held = held_at(conn, event).await?;
    let previous = sqlx::query(
        "SELECT id, title FROM events WHERE program_id = $1 AND status IN ('held', 'closed') AND id <> $2 \
           AND (starts_at_us < $3 OR (starts_at_us = $3 AND id < $2)) ORDER BY starts_at_us DESC, id DESC LIMIT 1",
    )
    .bind(program.0)
    .bind(event.0)
    .bind(i64_(&row, "starts_at_us")?)
    .fetch_optional(&mut *conn)
    .await?;
    let (previous_title, since_us) = match previous {
        Some(p) => {
            let pid = EventId(i64_(&p, "id")?);
            (
                Some(text(&p, "title")?),
                held_at(conn, pid).await?.as_microsecond(),
            )
        }
        None => (None, i64::MIN),
    };
    let people_moved = people_moved_since(conn, program, since_us).await?;
    Ok(CycleFacts {
        event,
        title: text(&row, "title")?,
        held_at: held,
        retro_due: trellis_core::retro::due(held, settings.retro_hours),
        retro_written_at: opt_at(&row, "written_at_us")?,
        followups_sent: u32_(&row, "sent")?,
        chat_report: covering_chat_report(conn, event).await?,
        people_moved,
        previous: previous_title,
    })
}

/// The people the program's pipeline moves after `since_us` left ahead of where they
/// began (`trellis_core::pipeline::moved_ahead`: forward and back cancel, one person
/// counts once), by name, in the order of their first move.
pub(crate) async fn people_moved_since(
    conn: &mut AnyConnection,
    program: ProgramId,
    since_us: i64,
) -> Result<Vec<String>, StoreError> {
    let rows = sqlx::query(
        "SELECT m.person_id, m.from_stage, m.to_stage, p.display_name FROM pipeline_moves m \
         JOIN people p ON p.id = m.person_id WHERE m.program_id = $1 AND m.at_us > $2 ORDER BY m.at_us, m.id",
    )
    .bind(program.0)
    .bind(since_us)
    .fetch_all(&mut *conn)
    .await?;
    let mut moves = Vec::with_capacity(rows.len());
    let mut names = std::collections::HashMap::new();
    for r in &rows {
        let person = i64_(r, "person_id")?;
        names.insert(person, text(r, "display_name")?);
        moves.push((
            person,
            parse::<Stage>(r, "from_stage")?,
            parse::<Stage>(r, "to_stage")?,
        ));
    }
    Ok(trellis_core::pipeline::moved_ahead(moves)
        .into_iter()
        .map(|p| names.remove(&p).unwrap_or_default())
        .collect())
}

/// The event's recorded discussion report when it covered the window: the report was
/// recorded for the event and the program's imported chats spanned the whole window
/// (`chat_reports` holds the last report produced). A report that was "not covered" is
/// none; whether a silent one counts is the gate's to say.
async fn covering_chat_report(
    conn: &mut AnyConnection,
    event: EventId,
) -> Result<Option<ChatReportFacts>, StoreError> {
    let row = sqlx::query(
        "SELECT verdict, messages, related, lift_e4 FROM chat_reports WHERE event_id = $1 AND covered = 1",
    )
    .bind(event.0)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let verdict = match text(&row, "verdict")?.as_str() {
        "silent" => Verdict::Silent,
        "negative" => Verdict::Negative,
        "mixed" => Verdict::Mixed,
        "positive" => Verdict::Positive,
        // A covered report is never "not covered"; anything else is not ours.
        other => {
            return Err(StoreError::Corrupt(format!(
                "chat_reports.verdict: {other:?} is not a verdict"
            )));
        }
    };
    let count = |col: &str| -> Result<u64, StoreError> {
        u64::try_from(i64_(&row, col)?)
            .map_err(|_| StoreError::Corrupt(format!("chat_reports.{col} is negative")))
    };
    Ok(Some(ChatReportFacts {
        verdict,
        messages: count("messages")?,
        related: count("related")?,
        lift_e4: opt_i64(&row, "lift_e4")?,
    }))
}

/// Which held event a gated action waits on.
#[derive(Debug, Clone, Copy)]
pub(crate) enum CycleOf {
    /// The program's last held event (other than the event acted on): announcing, planning.
    LastHeld,
    /// The event itself: closing its cycle.
    ThisEvent,
}

/// The whole snapshot for an action on an event.
pub(crate) async fn event_snapshot(
    conn: &mut AnyConnection,
    now: Timestamp,
    id: EventId,
    cycle_of: CycleOf,
) -> Result<(ProgramId, Snapshot), StoreError> {
    let (program, settings, event) = load_event_facts(conn, id).await?;
    let cycle_event = match cycle_of {
        CycleOf::LastHeld => last_held_event_except(conn, program, Some(id)).await?,
        CycleOf::ThisEvent => Some(id),
    };
    let cycle = match cycle_event {
        Some(e) => Some(load_cycle(conn, &settings, e).await?),
        None => None,
    };
    Ok((
        program,
        Snapshot {
            settings,
            now,
            event: Some(event),
            cycle,
        },
    ))
}

/// Where an override applies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scope {
    pub program: ProgramId,
    pub event: Option<EventId>,
    pub demo: Option<DemoId>,
}

/// A stored override: somebody passed a blocked gate, and said why. Serialize: a review's
/// stored snapshot keeps the overrides since the previous review in this shape
/// (`--json` prints `trellis_app::overrides::OverrideRecord`).
#[derive(Debug, Clone, Serialize)]
pub struct OverrideRecord {
    pub id: i64,
    pub gate: String,
    pub action: String,
    pub program: ProgramId,
    pub event: Option<EventId>,
    pub demo: Option<DemoId>,
    pub reasons: Vec<String>,
    pub reason: String,
    pub actor: String,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub at: jiff::Timestamp,
}

/// Lets a decision through, refuses it, or records the override that passes it.
pub(crate) async fn enforce(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    decision: &Decision,
    override_reason: Option<&str>,
    scope: Scope,
) -> Result<Vec<OverrideRecord>, StoreError> {
    if decision.is_allowed() {
        return Ok(Vec::new());
    }
    let reason = override_reason.map(str::trim).filter(|r| !r.is_empty());
    let Some(reason) = reason else {
        if override_reason.is_some() {
            return Err(trellis_core::CoreError::invalid(
                "override",
                "",
                "needs a reason: say why the gate is passed",
            )
            .into());
        }
        return Err(StoreError::Refused(Refusal {
            decision: decision.clone(),
            override_refused: false,
        }));
    };
    if !decision.overridable() {
        return Err(StoreError::Refused(Refusal {
            decision: decision.clone(),
            override_refused: true,
        }));
    }
    let mut records = Vec::new();
    for blocked in decision.blocked() {
        let reasons: Vec<String> = blocked
            .verdict
            .reasons()
            .iter()
            .map(|r| r.text.clone())
            .collect();
        let json =
            serde_json::to_string(&reasons).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let row = sqlx::query(
            "INSERT INTO overrides (gate, action, program_id, event_id, demo_id, reasons, reason, actor, at_us) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(blocked.gate.as_str())
        .bind(decision.action.name())
        .bind(scope.program.0)
        .bind(scope.event.map(|e| e.0))
        .bind(scope.demo.map(|d| d.0))
        .bind(&json)
        .bind(reason)
        .bind(&ctx.actor)
        .bind(ctx.now_us())
        .fetch_one(&mut *conn)
        .await?;
        records.push(OverrideRecord {
            id: i64_(&row, "id")?,
            gate: blocked.gate.as_str().to_owned(),
            action: decision.action.name().to_owned(),
            program: scope.program,
            event: scope.event,
            demo: scope.demo,
            reasons,
            reason: reason.to_owned(),
            actor: ctx.actor.clone(),
            at: ctx.now,
        });
    }
    Ok(records)
}

impl Store {
    /// Overrides recorded for a program (all programs with `None`), newest last.
    pub async fn overrides(
        &self,
        program: Option<ProgramId>,
    ) -> Result<Vec<OverrideRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, gate, action, program_id, event_id, demo_id, reasons, reason, actor, at_us FROM overrides \
             WHERE ($1 IS NULL OR program_id = $1) ORDER BY at_us, id",
        )
        .bind(program.map(|p| p.0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let reasons: Vec<String> = serde_json::from_str(&text(r, "reasons")?)
                    .map_err(|e| StoreError::Corrupt(format!("overrides.reasons: {e}")))?;
                Ok(OverrideRecord {
                    id: i64_(r, "id")?,
                    gate: text(r, "gate")?,
                    action: text(r, "action")?,
                    program: ProgramId(i64_(r, "program_id")?),
                    event: opt_i64(r, "event_id")?.map(EventId),
                    demo: opt_i64(r, "demo_id")?.map(DemoId),
                    reasons,
                    reason: text(r, "reason")?,
                    actor: text(r, "actor")?,
                    at: at(r, "at_us")?,
                })
            })
            .collect()
    }
}
