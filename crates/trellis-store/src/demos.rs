use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::gates::{OverrideRecord, Scope, enforce, load_event_facts, lock_event, record_history};
use crate::open::Store;
use crate::row::{flag, flag_value, i64_, opt_at, opt_text, parse, text};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use trellis_core::demo::{Checklist, DemoStatus, validate_title};
use trellis_core::event::EventStatus;
use trellis_core::gate::{Action, Snapshot, evaluate};
use trellis_core::{CoreError, DemoId, EventId, PersonId};

#[derive(Debug, Clone)]
pub struct NewDemo {
    pub event: EventId,
    pub presenters: Vec<PersonId>,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct ScreeningInput {
    pub passed: bool,
    /// The ticked items; `None` with a pass means all of them.
    pub checklist: Option<Checklist>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presenter {
    pub id: PersonId,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct DemoView {
    pub id: DemoId,
    pub event: EventId,
    pub title: String,
    pub status: DemoStatus,
    pub presenters: Vec<Presenter>,
    pub screening_passed: bool,
    pub checklist: Vec<&'static str>,
    pub screening_note: Option<String>,
    pub contract_accepted_at: Option<jiff::Timestamp>,
    pub overrides: Vec<OverrideRecord>,
}

const SELECT: &str = "SELECT d.id, d.event_id, d.title, d.status, d.screening_passed, d.check_live_demo, d.check_built_it, \
    d.check_fits_time, d.check_wip_welcome, d.screening_note, d.contract_accepted_at_us, p.id AS person_id, p.display_name \
    FROM demos d LEFT JOIN demo_presenters dp ON dp.demo_id = d.id LEFT JOIN people p ON p.id = dp.person_id";

fn fold_rows(rows: &[AnyRow]) -> Result<Vec<DemoView>, StoreError> {
    let mut out: Vec<DemoView> = Vec::new();
    for r in rows {
        let id = DemoId(i64_(r, "id")?);
        let presenter = match opt_text(r, "display_name")? {
            Some(name) => Some(Presenter {
                id: PersonId(i64_(r, "person_id")?),
                name,
            }),
            None => None,
        };
        if let Some(last) = out.last_mut().filter(|d| d.id == id) {
            last.presenters.extend(presenter);
            continue;
        }
        let checklist = Checklist {
            live_demo: flag(r, "check_live_demo")?,
            built_it: flag(r, "check_built_it")?,
            fits_time: flag(r, "check_fits_time")?,
            wip_welcome: flag(r, "check_wip_welcome")?,
        };
        out.push(DemoView {
            id,
            event: EventId(i64_(r, "event_id")?),
            title: text(r, "title")?,
            status: parse(r, "status")?,
            presenters: presenter.into_iter().collect(),
            screening_passed: flag(r, "screening_passed")?,
            checklist: checklist.ticked(),
            screening_note: opt_text(r, "screening_note")?,
            contract_accepted_at: opt_at(r, "contract_accepted_at_us")?,
            overrides: Vec::new(),
        });
    }
    Ok(out)
}

pub(crate) async fn demos_of_event(
    conn: &mut AnyConnection,
    event: EventId,
) -> Result<Vec<DemoView>, StoreError> {
    let sql = format!("{SELECT} WHERE d.event_id = $1 ORDER BY d.id, dp.position");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(event.0)
        .fetch_all(&mut *conn)
        .await?;
    fold_rows(&rows)
}

async fn demo_row(conn: &mut AnyConnection, id: DemoId) -> Result<DemoView, StoreError> {
    let sql = format!("{SELECT} WHERE d.id = $1 ORDER BY dp.position");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?;
    fold_rows(&rows)?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::not_found("demo", id))
}

async fn event_of_demo(conn: &mut AnyConnection, id: DemoId) -> Result<EventId, StoreError> {
    let row = sqlx::query("SELECT event_id FROM demos WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("demo", id))?;
    Ok(EventId(i64_(&row, "event_id")?))
}

async fn record_demo_status(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    demo: DemoId,
    from: Option<DemoStatus>,
    to: DemoStatus,
) -> Result<(), StoreError> {
    let from = from.map(DemoStatus::as_str);
    record_history(
        conn,
        ctx,
        "demo_status_history",
        ("demo_id", demo.0),
        from,
        to.as_str(),
    )
    .await
}

/// Starts a demo change: locks its event, and returns the demo and the event's status.
async fn begin_change(
    conn: &mut AnyConnection,
    id: DemoId,
) -> Result<(EventId, EventStatus, DemoView), StoreError> {
    let event = event_of_demo(conn, id).await?;
    lock_event(conn, event).await?;
    let (_, _, facts) = load_event_facts(conn, event).await?;
    let demo = demo_row(conn, id).await?;
    Ok((event, facts.status, demo))
}

fn label(d: &DemoView) -> String {
    format!("demo {} '{}'", d.id, d.title)
}

impl Store {
    pub async fn propose_demo(&self, ctx: &Ctx, new: &NewDemo) -> Result<DemoView, StoreError> {
        let title = validate_title(&new.title)?;
        if new.presenters.is_empty() {
            return Err(CoreError::invalid("person", "", "give at least one presenter").into());
        }
        let mut tx = self.write_tx().await?;
        let view = insert_proposal(&mut tx, ctx, new, &title).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Proposes a demo by someone not on record yet: the person and the demo are written
    /// together, or neither.
    pub async fn propose_demo_by_new_person(
        &self,
        ctx: &Ctx,
        event: EventId,
        title: &str,
        person: &crate::people::NewPerson,
    ) -> Result<DemoView, StoreError> {
        let title = validate_title(title)?;
        let mut tx = self.write_tx().await?;
        let p = crate::people::insert_person(&mut tx, ctx, person).await?;
        let new = NewDemo {
            event,
            presenters: vec![p.id],
            title: title.clone(),
        };
        let view = insert_proposal(&mut tx, ctx, &new, &title).await?;
        tx.commit().await?;
        Ok(view)
    }

    pub async fn screen_demo(
        &self,
        ctx: &Ctx,
        id: DemoId,
        input: &ScreeningInput,
    ) -> Result<DemoView, StoreError> {
        let mut tx = self.write_tx().await?;
        let (_, _, demo) = begin_change(&mut tx, id).await?;
        let to = if input.passed {
            DemoStatus::Screened
        } else {
            DemoStatus::Rejected
        };
        demo.status.transition(to, &label(&demo))?;
        let checklist = match (input.checklist, input.passed) {
            (Some(c), _) => c,
            (None, true) => Checklist::all(),
            (None, false) => Checklist::default(),
        };
        let note = input
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        sqlx::query(
            "UPDATE demos SET status = $1, screening_passed = $2, check_live_demo = $3, check_built_it = $4, \
             check_fits_time = $5, check_wip_welcome = $6, screening_note = $7, screened_at_us = $8 WHERE id = $9",
        )
        .bind(to.as_str())
        .bind(flag_value(input.passed))
        .bind(flag_value(checklist.live_demo))
        .bind(flag_value(checklist.built_it))
        .bind(flag_value(checklist.fits_time))
        .bind(flag_value(checklist.wip_welcome))
        .bind(note)
        .bind(ctx.now_us())
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        if demo.status != to {
            record_demo_status(&mut tx, ctx, id, Some(demo.status), to).await?;
        }
        let view = demo_row(&mut tx, id).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Records that the presenter accepted the program's demo slot contract.
    pub async fn accept_contract(&self, ctx: &Ctx, id: DemoId) -> Result<DemoView, StoreError> {
        let mut tx = self.write_tx().await?;
        let (_, _, demo) = begin_change(&mut tx, id).await?;
        if !matches!(
            demo.status,
            DemoStatus::Proposed | DemoStatus::Screened | DemoStatus::Confirmed
        ) {
            return Err(CoreError::Transition {
                what: label(&demo),
                from: demo.status.to_string(),
                to: "under contract".into(),
                hint: String::new(),
            }
            .into());
        }
        sqlx::query("UPDATE demos SET contract_accepted_at_us = COALESCE(contract_accepted_at_us, $1) WHERE id = $2")
            .bind(ctx.now_us())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let view = demo_row(&mut tx, id).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Gives the demo one of its event's slots, if the slot inventory gate allows it.
    pub async fn confirm_demo(
        &self,
        ctx: &Ctx,
        id: DemoId,
        override_reason: Option<&str>,
    ) -> Result<DemoView, StoreError> {
        let mut tx = self.write_tx().await?;
        let event = event_of_demo(&mut tx, id).await?;
        lock_event(&mut tx, event).await?;
        let (program, settings, facts) = load_event_facts(&mut tx, event).await?;
        let demo = demo_row(&mut tx, id).await?;
        demo.status
            .transition(DemoStatus::Confirmed, &label(&demo))?;
        let event_status = facts.status;
        let snapshot = Snapshot {
            settings,
            now: ctx.now,
            event: Some(facts),
            cycle: None,
        };
        if !matches!(event_status, EventStatus::Draft | EventStatus::Announced) {
            return Err(CoreError::invalid(
                "DEMO",
                id,
                format!(
                    "belongs to event {event}, which is {}; slots are confirmed before the event",
                    event_status
                ),
            )
            .into());
        }
        let decision = evaluate(Action::ConfirmDemo(id), &snapshot);
        let overrides = enforce(
            &mut tx,
            ctx,
            &decision,
            override_reason,
            Scope {
                program,
                event: Some(event),
                demo: Some(id),
            },
        )
        .await?;
        sqlx::query("UPDATE demos SET status = 'confirmed' WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        record_demo_status(&mut tx, ctx, id, Some(demo.status), DemoStatus::Confirmed).await?;
        let mut view = demo_row(&mut tx, id).await?;
        tx.commit().await?;
        view.overrides = overrides;
        Ok(view)
    }

    /// Marks what happened on the night (`presented`, `no_show`) or that the presenter
    /// stepped back (`withdrawn`).
    pub async fn set_demo_outcome(
        &self,
        ctx: &Ctx,
        id: DemoId,
        to: DemoStatus,
    ) -> Result<DemoView, StoreError> {
        if !matches!(
            to,
            DemoStatus::Presented | DemoStatus::NoShow | DemoStatus::Withdrawn
        ) {
            return Err(CoreError::invalid(
                "status",
                to,
                "is not an outcome (presented, no_show, withdrawn)",
            )
            .into());
        }
        let mut tx = self.write_tx().await?;
        let (event, event_status, demo) = begin_change(&mut tx, id).await?;
        demo.status.transition(to, &label(&demo))?;
        if matches!(to, DemoStatus::Presented | DemoStatus::NoShow)
            && !matches!(event_status, EventStatus::Announced | EventStatus::Held)
        {
            return Err(CoreError::invalid(
                "DEMO",
                id,
                format!("belongs to event {event}, which is {event_status}; a demo is presented at an announced or held event"),
            )
            .into());
        }
        sqlx::query("UPDATE demos SET status = $1 WHERE id = $2")
            .bind(to.as_str())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        record_demo_status(&mut tx, ctx, id, Some(demo.status), to).await?;
        if to == DemoStatus::Presented {
            let (program, _, _) = load_event_facts(&mut tx, event).await?;
            for p in &demo.presenters {
                crate::board::after_presenting(&mut tx, ctx, program, p.id).await?;
            }
        }
        let view = demo_row(&mut tx, id).await?;
        tx.commit().await?;
        Ok(view)
    }

    pub async fn demo(&self, id: DemoId) -> Result<DemoView, StoreError> {
        let mut conn = self.pool.acquire().await?;
        demo_row(&mut conn, id).await
    }

    pub(crate) async fn demos_of_person(
        &self,
        person: PersonId,
    ) -> Result<Vec<DemoView>, StoreError> {
        let sql = format!(
            "{SELECT} WHERE d.id IN (SELECT demo_id FROM demo_presenters WHERE person_id = $1) ORDER BY d.id, dp.position"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(person.0)
            .fetch_all(&self.pool)
            .await?;
        fold_rows(&rows)
    }
}

/// Writes a proposed demo in the caller's transaction: the event must be a draft or
/// announced, every presenter on record.
pub(crate) async fn insert_proposal(
    tx: &mut sqlx::AnyConnection,
    ctx: &Ctx,
    new: &NewDemo,
    title: &str,
) -> Result<DemoView, StoreError> {
    lock_event(&mut *tx, new.event).await?;
    let (_, _, facts) = load_event_facts(&mut *tx, new.event).await?;
    if !matches!(facts.status, EventStatus::Draft | EventStatus::Announced) {
        return Err(CoreError::invalid(
            "event",
            new.event,
            format!(
                "is {}; demos are proposed for draft or announced events",
                facts.status
            ),
        )
        .into());
    }
    for p in &new.presenters {
        let exists = sqlx::query("SELECT id FROM people WHERE id = $1")
            .bind(p.0)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(StoreError::not_found("person", p));
        }
    }
    let row = sqlx::query("INSERT INTO demos (event_id, title, status, created_at_us) VALUES ($1, $2, 'proposed', $3) RETURNING id")
        .bind(new.event.0)
        .bind(title)
        .bind(ctx.now_us())
        .fetch_one(&mut *tx)
        .await?;
    let id = DemoId(i64_(&row, "id")?);
    let mut seen = Vec::new();
    for p in &new.presenters {
        if seen.contains(p) {
            continue;
        }
        seen.push(*p);
        sqlx::query(
            "INSERT INTO demo_presenters (demo_id, person_id, position) VALUES ($1, $2, $3)",
        )
        .bind(id.0)
        .bind(p.0)
        .bind(seen.len() as i64)
        .execute(&mut *tx)
        .await?;
    }
    record_demo_status(&mut *tx, ctx, id, None, DemoStatus::Proposed).await?;
    demo_row(tx, id).await
}
