//! Where the gate engine meets the store: locking, snapshots, and overrides.

use crate::ctx::Ctx;
use crate::error::{Refusal, StoreError};
use crate::open::Store;
use crate::row::{at, flag, i64_, opt_i64, opt_text, parse, text, u32_};
use serde::Serialize;
use sqlx::AnyConnection;
use trellis_core::gate::{Decision, DemoFacts, EventFacts, Snapshot};
use trellis_core::program::ProgramSettings;
use trellis_core::time::rfc3339_utc;
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

/// The state the gates judge, read inside the caller's transaction.
pub(crate) async fn load_snapshot(
    conn: &mut AnyConnection,
    id: EventId,
) -> Result<(ProgramId, Snapshot), StoreError> {
    let row = sqlx::query(
        "SELECT e.id, e.title, e.status, e.slots, e.program_id, p.demo_target, p.default_slots, p.followup_minimum, \
                p.retro_hours, p.moves_per_event \
         FROM events e JOIN programs p ON p.id = e.program_id WHERE e.id = $1",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::not_found("event", id))?;
    let settings = ProgramSettings {
        demo_target: u32_(&row, "demo_target")?,
        default_slots: u32_(&row, "default_slots")?,
        followup_minimum: u32_(&row, "followup_minimum")?,
        retro_hours: u32_(&row, "retro_hours")?,
        moves_per_event: u32_(&row, "moves_per_event")?,
    };
    let program = ProgramId(i64_(&row, "program_id")?);
    let demos = sqlx::query(
        "SELECT d.id, d.title, d.status, d.screening_passed, d.contract_accepted_at_us, p.display_name \
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
        if let Some(last) = facts.last_mut().filter(|d| d.id == did) {
            last.presenters.extend(presenter);
            continue;
        }
        facts.push(DemoFacts {
            id: did,
            title: text(r, "title")?,
            presenters: presenter.into_iter().collect(),
            status: parse(r, "status")?,
            screening_passed: flag(r, "screening_passed")?,
            contract_accepted: opt_i64(r, "contract_accepted_at_us")?.is_some(),
        });
    }
    let event = EventFacts {
        id,
        title: text(&row, "title")?,
        status: parse(&row, "status")?,
        slots: u32_(&row, "slots")?,
        demos: facts,
    };
    Ok((program, Snapshot { settings, event }))
}

/// Where an override applies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scope {
    pub program: ProgramId,
    pub event: Option<EventId>,
    pub demo: Option<DemoId>,
}

/// A stored override: somebody passed a blocked gate, and said why.
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
    pub at: String,
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
                "--override",
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
            at: rfc3339_utc(ctx.now),
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
                    at: rfc3339_utc(at(r, "at_us")?),
                })
            })
            .collect()
    }
}
