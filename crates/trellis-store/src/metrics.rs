//! Loading the history the metrics read: a handful of set-based queries per scope, then
//! every figure is computed in memory by `trellis_core::metrics` (no query per event or
//! per person).
//!
//! The large tables travel packed: one row per event (attendance, follow-ups) or per actor
//! (recorded work) with its values joined in one text, instead of one row per fact. Through
//! the `Any` driver a row costs far more than its bytes (on the large sample, reading 447k
//! attendance rows one by one was most of the org-wide `trellis metrics`).

use crate::dialect::Dialect;
use crate::error::StoreError;
use crate::open::Store;
use crate::row::{at, i64_, opt_at, opt_text, parse, text};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use trellis_core::attendance::{CheckedIn, Rsvp};
use trellis_core::metrics::{
    ActionFact, CheckinFact, DemoFact, EventFact, FollowupFact, History, Seen, SparkFact,
};
use trellis_core::time::from_micros;
use trellis_core::{EventId, PersonId, ProgramId};

/// The integers of a [`Loader::joined`] text (none when the group had none).
fn numbers(list: Option<&str>) -> impl Iterator<Item = Result<i64, StoreError>> + '_ {
    list.unwrap_or_default()
        .split(',')
        .filter(|n| !n.is_empty())
        .map(|n| {
            n.parse::<i64>()
                .map_err(|_| StoreError::Corrupt(format!("a joined list holds {n:?}")))
        })
}

impl Store {
    /// The history of one program (`Some`), or of all programs together (`None`): people
    /// are one identity across programs, so the org-wide view recognises them.
    pub async fn metrics_history(&self, program: Option<ProgramId>) -> Result<History, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let mut l = Loader {
            conn: &mut conn,
            dialect: self.dialect(),
            scope: program.map(|p| p.0),
            h: History::default(),
        };
        l.settings().await?;
        l.events().await?;
        l.attendance().await?;
        l.demos().await?;
        l.mechanisms().await?;
        l.checkins().await?;
        l.actions().await?;
        Ok(l.h)
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

/// One scope's history being read: every query runs on one connection with the scope
/// (a program id, or `None` for all) as `$1`.
struct Loader<'c> {
    conn: &'c mut AnyConnection,
    dialect: Dialect,
    scope: Option<i64>,
    h: History,
}

impl Loader<'_> {
    async fn rows(&mut self, sql: String) -> Result<Vec<AnyRow>, StoreError> {
        Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(self.scope)
            .fetch_all(&mut *self.conn)
            .await?)
    }

    /// The aggregate that joins a group's integers into one comma-separated text.
    fn joined(&self, expr: &str) -> String {
        self.dialect.pick(
            format!("group_concat({expr})"),
            format!("string_agg(CAST({expr} AS TEXT), ',')"),
        )
    }

    async fn settings(&mut self) -> Result<(), StoreError> {
        let sql = "SELECT id, demo_target, default_slots, followup_minimum, retro_hours, moves_per_event, demos_per_presenter \
                   FROM programs WHERE ($1 IS NULL OR id = $1 OR id IN (SELECT program_id FROM events WHERE cohost_program_id = $1))";
        for r in &self.rows(sql.into()).await? {
            let id = ProgramId(i64_(r, "id")?);
            self.h
                .settings
                .insert(id, crate::gates::settings_from_row(r)?);
        }
        Ok(())
    }

    async fn events(&mut self) -> Result<(), StoreError> {
        let sql = "SELECT e.id, e.program_id, e.title, e.starts_at_us, e.created_at_us, e.status, \
                     (SELECT MAX(x.at_us) FROM event_status_history x WHERE x.event_id = e.id AND x.to_status = 'held') AS held_us \
                   FROM events e WHERE ($1 IS NULL OR e.program_id = $1 OR e.cohost_program_id = $1)";
        for r in &self.rows(sql.into()).await? {
            self.h.events.push(EventFact {
                id: EventId(i64_(r, "id")?),
                program: ProgramId(i64_(r, "program_id")?),
                title: text(r, "title")?,
                starts_at: at(r, "starts_at_us")?,
                created_at: at(r, "created_at_us")?,
                status: parse(r, "status")?,
                held_at: opt_at(r, "held_us")?,
            });
        }
        Ok(())
    }

    /// Attendance, the big table: only the rows that decide who attended (`attended` in
    /// `trellis_core::metrics`), one row per event. An event where someone is checked in
    /// counts its checked-in people; any other counts those with rsvp `going` (estimated).
    /// So each event brings its checked-in people, or else its `going` ones, as rows of
    /// that kind: the other rows of the table change no figure.
    async fn attendance(&mut self) -> Result<(), StoreError> {
        let sql = format!(
            "SELECT a.event_id, {} AS yes, {} AS going FROM attendances a JOIN events e ON e.id = a.event_id \
             WHERE ($1 IS NULL OR e.program_id = $1 OR e.cohost_program_id = $1) AND e.status IN ('held', 'closed') GROUP BY a.event_id",
            self.joined("CASE WHEN a.checked_in = 'yes' THEN a.person_id END"),
            self.joined("CASE WHEN a.rsvp = 'going' THEN a.person_id END"),
        );
        for r in &self.rows(sql).await? {
            let event = EventId(i64_(r, "event_id")?);
            let (yes, going) = (opt_text(r, "yes")?, opt_text(r, "going")?);
            // Rows of the kind that decides: checked in, or else going (and not checked in).
            let (people, checked_in) = match &yes {
                Some(_) => (yes.as_deref(), CheckedIn::Yes),
                None => (going.as_deref(), CheckedIn::Unknown),
            };
            for person in numbers(people) {
                self.h.attendances.push(Seen {
                    event,
                    person: PersonId(person?),
                    rsvp: Rsvp::Going,
                    checked_in,
                });
            }
        }
        Ok(())
    }

    async fn demos(&mut self) -> Result<(), StoreError> {
        let sql = "SELECT d.id, d.event_id, d.status, dp.person_id FROM demos d JOIN events e ON e.id = d.event_id \
                   LEFT JOIN demo_presenters dp ON dp.demo_id = d.id WHERE ($1 IS NULL OR e.program_id = $1 OR e.cohost_program_id = $1) ORDER BY d.id, dp.position";
        let mut last_demo = None;
        for r in &self.rows(sql.into()).await? {
            let id = i64_(r, "id")?;
            let person = r.try_get::<Option<i64>, _>("person_id")?.map(PersonId);
            if last_demo == Some(id) {
                if let (Some(d), Some(p)) = (self.h.demos.last_mut(), person) {
                    d.presenters.push(p);
                }
                continue;
            }
            last_demo = Some(id);
            self.h.demos.push(DemoFact {
                event: EventId(i64_(r, "event_id")?),
                status: parse(r, "status")?,
                presenters: person.into_iter().collect(),
            });
        }
        Ok(())
    }

    /// Retros; follow-ups, one row per event (when each was sent, the answered ones
    /// apart); sparks, which belong to a program through their event (org-wide, all of
    /// them count).
    async fn mechanisms(&mut self) -> Result<(), StoreError> {
        let sql = "SELECT r.event_id, r.written_at_us FROM retros r JOIN events e ON e.id = r.event_id \
                   WHERE ($1 IS NULL OR e.program_id = $1 OR e.cohost_program_id = $1)";
        for r in &self.rows(sql.into()).await? {
            let event = EventId(i64_(r, "event_id")?);
            self.h.retros.insert(event, at(r, "written_at_us")?);
        }
        let sql = format!(
            "SELECT f.event_id, {} AS open, {} AS answered FROM followups f JOIN events e ON e.id = f.event_id \
             WHERE ($1 IS NULL OR e.program_id = $1 OR e.cohost_program_id = $1) GROUP BY f.event_id",
            self.joined("CASE WHEN f.answered_at_us IS NULL THEN f.sent_at_us END"),
            self.joined("CASE WHEN f.answered_at_us IS NOT NULL THEN f.sent_at_us END"),
        );
        for r in &self.rows(sql).await? {
            let event = EventId(i64_(r, "event_id")?);
            for (col, answered) in [("open", false), ("answered", true)] {
                for sent in numbers(opt_text(r, col)?.as_deref()) {
                    let sent_at = from_micros(sent?);
                    self.h.followups.push(FollowupFact {
                        event,
                        sent_at,
                        answered,
                    });
                }
            }
        }
        let sql = "SELECT s.made_at_us, s.acted_at_us FROM sparks s LEFT JOIN events e ON e.id = s.event_id \
                   WHERE ($1 IS NULL OR e.program_id = $1 OR e.cohost_program_id = $1)";
        for r in &self.rows(sql.into()).await? {
            let (made_at, acted_at) = (at(r, "made_at_us")?, opt_at(r, "acted_at_us")?);
            self.h.sparks.push(SparkFact { made_at, acted_at });
        }
        Ok(())
    }

    /// Organizers' check-ins count for the event's host only, even at a co-hosted
    /// event: only the host's organizers check in for it, and fatigue is theirs.
    async fn checkins(&mut self) -> Result<(), StoreError> {
        let sql = "SELECT o.name, o.retired_at_us, c.at_us, c.score, c.hours FROM organizer_checkins c JOIN organizers o ON o.id = c.organizer_id \
                   JOIN events e ON e.id = c.event_id WHERE ($1 IS NULL OR e.program_id = $1)";
        for r in &self.rows(sql.into()).await? {
            self.h.checkins.push(CheckinFact {
                organizer: text(r, "name")?,
                at: at(r, "at_us")?,
                score: r.try_get::<f64, _>("score")?,
                hours: r.try_get::<f64, _>("hours")?,
                retired_at: opt_at(r, "retired_at_us")?,
            });
        }
        Ok(())
    }

    /// The recorded work, one row per actor: follow-ups sent, sparks made, status
    /// changes, manual moves and retros, each by whom and when.
    async fn actions(&mut self) -> Result<(), StoreError> {
        let sql = format!(
            "SELECT w.actor, {} AS ats FROM ( \
               SELECT f.actor, f.sent_at_us AS at_us FROM followups f JOIN events e ON e.id = f.event_id WHERE ($1 IS NULL OR e.program_id = $1 OR e.cohost_program_id = $1) \
               UNION ALL SELECT s.made_by, s.made_at_us FROM sparks s LEFT JOIN events e ON e.id = s.event_id WHERE ($1 IS NULL OR e.program_id = $1 OR e.cohost_program_id = $1) \
               UNION ALL SELECT x.actor, x.at_us FROM event_status_history x JOIN events e ON e.id = x.event_id WHERE ($1 IS NULL OR e.program_id = $1 OR e.cohost_program_id = $1) \
               UNION ALL SELECT x.actor, x.at_us FROM demo_status_history x JOIN demos d ON d.id = x.demo_id JOIN events e ON e.id = d.event_id \
                 WHERE ($1 IS NULL OR e.program_id = $1 OR e.cohost_program_id = $1) \
               UNION ALL SELECT m.actor, m.at_us FROM pipeline_moves m WHERE m.automatic = 0 AND ($1 IS NULL OR m.program_id = $1) \
               UNION ALL SELECT r.author, r.written_at_us FROM retros r JOIN events e ON e.id = r.event_id WHERE ($1 IS NULL OR e.program_id = $1 OR e.cohost_program_id = $1) \
             ) w GROUP BY w.actor",
            self.joined("w.at_us"),
        );
        for r in &self.rows(sql).await? {
            let actor = text(r, "actor")?;
            for at_us in numbers(opt_text(r, "ats")?.as_deref()) {
                self.h.actions.push(ActionFact {
                    actor: actor.clone(),
                    at: from_micros(at_us?),
                });
            }
        }
        Ok(())
    }
}
