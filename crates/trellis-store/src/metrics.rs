//! Loading the history the metrics read: a handful of set-based queries per scope, then
//! every figure is computed in memory by `trellis_core::metrics` (no query per event or
//! per person).

use crate::error::StoreError;
use crate::open::Store;
use crate::row::{at, i64_, opt_at, parse, text};
use sqlx::Row;
use std::collections::HashMap;
use trellis_core::attendance::{CheckedIn, Rsvp};
use trellis_core::metrics::{
    ActionFact, CheckinFact, DemoFact, EventFact, FollowupFact, History, Seen, SparkFact,
};
use trellis_core::{EventId, PersonId, ProgramId};

impl Store {
    /// The history of one program (`Some`), or of all programs together (`None`): people
    /// are one identity across programs, so the org-wide view recognises them.
    pub async fn metrics_history(&self, program: Option<ProgramId>) -> Result<History, StoreError> {
        let scope = program.map(|p| p.0);
        let mut conn = self.pool.acquire().await?;
        let mut h = History::default();

        let programs = sqlx::query(
            "SELECT id, demo_target, default_slots, followup_minimum, retro_hours, moves_per_event, demos_per_presenter FROM programs WHERE ($1 IS NULL OR id = $1)",
        )
        .bind(scope)
        .fetch_all(&mut *conn)
        .await?;
        for r in &programs {
            h.settings.insert(
                ProgramId(i64_(r, "id")?),
                crate::gates::settings_from_row(r)?,
            );
        }

        let events = sqlx::query(
            "SELECT e.id, e.program_id, e.title, e.starts_at_us, e.created_at_us, e.status, \
               (SELECT MAX(x.at_us) FROM event_status_history x WHERE x.event_id = e.id AND x.to_status = 'held') AS held_us \
             FROM events e WHERE ($1 IS NULL OR e.program_id = $1)",
        )
        .bind(scope)
        .fetch_all(&mut *conn)
        .await?;
        for r in &events {
            h.events.push(EventFact {
                id: EventId(i64_(r, "id")?),
                program: ProgramId(i64_(r, "program_id")?),
                title: text(r, "title")?,
                starts_at: at(r, "starts_at_us")?,
                created_at: at(r, "created_at_us")?,
                status: parse(r, "status")?,
                held_at: opt_at(r, "held_us")?,
            });
        }

        // Attendance is the big table: decode positionally, with the enums as short text.
        // The enums travel as small integers: no string per row.
        let rows = sqlx::query(
            "SELECT a.event_id, a.person_id, \
               CASE a.rsvp WHEN 'going' THEN 0 WHEN 'waitlist' THEN 1 WHEN 'declined' THEN 2 ELSE 3 END AS r, \
               CASE a.checked_in WHEN 'yes' THEN 0 WHEN 'no' THEN 1 ELSE 2 END AS c \
             FROM attendances a JOIN events e ON e.id = a.event_id \
             WHERE ($1 IS NULL OR e.program_id = $1) AND e.status IN ('held', 'closed')",
        )
        .bind(scope)
        .fetch_all(&mut *conn)
        .await?;
        h.attendances.reserve(rows.len());
        for r in &rows {
            h.attendances.push(Seen {
                event: EventId(r.try_get::<i64, _>(0)?),
                person: PersonId(r.try_get::<i64, _>(1)?),
                rsvp: match r.try_get::<i64, _>(2)? {
                    0 => Rsvp::Going,
                    1 => Rsvp::Waitlist,
                    2 => Rsvp::Declined,
                    _ => Rsvp::Invited,
                },
                checked_in: match r.try_get::<i64, _>(3)? {
                    0 => CheckedIn::Yes,
                    1 => CheckedIn::No,
                    _ => CheckedIn::Unknown,
                },
            });
        }

        let demos = sqlx::query(
            "SELECT d.id, d.event_id, d.status, dp.person_id FROM demos d JOIN events e ON e.id = d.event_id \
             LEFT JOIN demo_presenters dp ON dp.demo_id = d.id WHERE ($1 IS NULL OR e.program_id = $1) ORDER BY d.id, dp.position",
        )
        .bind(scope)
        .fetch_all(&mut *conn)
        .await?;
        let mut last_demo = None;
        for r in &demos {
            let id = i64_(r, "id")?;
            let person = r.try_get::<Option<i64>, _>("person_id")?.map(PersonId);
            if last_demo == Some(id) {
                if let (Some(d), Some(p)) = (h.demos.last_mut(), person) {
                    d.presenters.push(p);
                }
                continue;
            }
            last_demo = Some(id);
            h.demos.push(DemoFact {
                event: EventId(i64_(r, "event_id")?),
                status: parse(r, "status")?,
                presenters: person.into_iter().collect(),
            });
        }

        let retros = sqlx::query(
            "SELECT r.event_id, r.written_at_us FROM retros r JOIN events e ON e.id = r.event_id WHERE ($1 IS NULL OR e.program_id = $1)",
        )
        .bind(scope)
        .fetch_all(&mut *conn)
        .await?;
        for r in &retros {
            h.retros
                .insert(EventId(i64_(r, "event_id")?), at(r, "written_at_us")?);
        }

        let followups = sqlx::query(
            "SELECT f.event_id, f.sent_at_us, f.answered_at_us, f.actor FROM followups f JOIN events e ON e.id = f.event_id \
             WHERE ($1 IS NULL OR e.program_id = $1)",
        )
        .bind(scope)
        .fetch_all(&mut *conn)
        .await?;
        for r in &followups {
            let sent = at(r, "sent_at_us")?;
            h.followups.push(FollowupFact {
                event: EventId(i64_(r, "event_id")?),
                sent_at: sent,
                answered: opt_at(r, "answered_at_us")?.is_some(),
            });
            h.actions.push(ActionFact {
                actor: text(r, "actor")?,
                at: sent,
            });
        }

        // Sparks belong to a program through their event; org-wide, all of them count.
        let sparks = sqlx::query(
            "SELECT s.made_at_us, s.acted_at_us, s.made_by FROM sparks s LEFT JOIN events e ON e.id = s.event_id \
             WHERE ($1 IS NULL OR e.program_id = $1)",
        )
        .bind(scope)
        .fetch_all(&mut *conn)
        .await?;
        for r in &sparks {
            let made = at(r, "made_at_us")?;
            h.sparks.push(SparkFact {
                made_at: made,
                acted_at: opt_at(r, "acted_at_us")?,
            });
            h.actions.push(ActionFact {
                actor: text(r, "made_by")?,
                at: made,
            });
        }

        let checkins = sqlx::query(
            "SELECT o.name, c.at_us, c.score, c.hours FROM organizer_checkins c JOIN organizers o ON o.id = c.organizer_id \
             JOIN events e ON e.id = c.event_id WHERE ($1 IS NULL OR e.program_id = $1)",
        )
        .bind(scope)
        .fetch_all(&mut *conn)
        .await?;
        for r in &checkins {
            h.checkins.push(CheckinFact {
                organizer: text(r, "name")?,
                at: at(r, "at_us")?,
                score: r.try_get::<f64, _>("score")?,
                hours: r.try_get::<f64, _>("hours")?,
            });
        }

        // The recorded work: status changes, manual moves and retros, by whom.
        for sql in [
            "SELECT x.actor, x.at_us FROM event_status_history x JOIN events e ON e.id = x.event_id WHERE ($1 IS NULL OR e.program_id = $1)",
            "SELECT x.actor, x.at_us FROM demo_status_history x JOIN demos d ON d.id = x.demo_id JOIN events e ON e.id = d.event_id \
             WHERE ($1 IS NULL OR e.program_id = $1)",
            "SELECT actor, at_us FROM pipeline_moves WHERE automatic = 0 AND ($1 IS NULL OR program_id = $1)",
            "SELECT r.author AS actor, r.written_at_us AS at_us FROM retros r JOIN events e ON e.id = r.event_id WHERE ($1 IS NULL OR e.program_id = $1)",
        ] {
            let rows = sqlx::query(sql).bind(scope).fetch_all(&mut *conn).await?;
            for r in &rows {
                h.actions.push(ActionFact {
                    actor: text(r, "actor")?,
                    at: at(r, "at_us")?,
                });
            }
        }
        Ok(h)
    }

    /// Display names, for explanations.
    pub async fn names(&self, ids: &[PersonId]) -> Result<HashMap<PersonId, String>, StoreError> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let list: Vec<String> = chunk.iter().map(|p| p.0.to_string()).collect();
            let sql = format!(
                "SELECT id, display_name FROM people WHERE id IN ({})",
                list.join(", ")
            );
            for r in sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(&self.pool)
                .await?
            {
                out.insert(PersonId(i64_(&r, "id")?), text(&r, "display_name")?);
            }
        }
        Ok(out)
    }
}
