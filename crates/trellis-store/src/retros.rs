use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::gates::{held_at, lock_event};
use crate::open::Store;
use crate::resolve;
use crate::row::{at, i64_, text};
use trellis_core::event::EventStatus;
use trellis_core::retro::{RetroDraft, due};
use trellis_core::time::to_micros;
use trellis_core::{CoreError, EventId, PersonId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedPerson {
    pub id: PersonId,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct RetroPick {
    pub person: NamedPerson,
    pub why: String,
}

#[derive(Debug, Clone)]
pub struct RetroView {
    pub event: EventId,
    pub event_title: String,
    pub worked: String,
    pub broke: String,
    pub surprised: String,
    pub invite: Vec<NamedPerson>,
    pub follow_up: Vec<RetroPick>,
    pub written_at: jiff::Timestamp,
    pub due_at: jiff::Timestamp,
    /// Written after it was due: kept, and marked.
    pub late: bool,
    pub author: String,
}

impl Store {
    /// Records an event's retro. `source` names where the draft came from (a file, or
    /// the flags) for messages about people who do not resolve.
    pub async fn write_retro(
        &self,
        ctx: &Ctx,
        event: EventId,
        draft: &RetroDraft,
        source: &str,
        replace: bool,
    ) -> Result<RetroView, StoreError> {
        self.write_retro_adding(ctx, event, draft, source, replace, &[])
            .await
    }

    /// As [`Store::write_retro`], with people added in the same transaction first (the
    /// draft names each of them by one of their e-mails): a retro that is refused adds
    /// nobody.
    pub async fn write_retro_adding(
        &self,
        ctx: &Ctx,
        event: EventId,
        draft: &RetroDraft,
        source: &str,
        replace: bool,
        new_people: &[crate::people::NewPerson],
    ) -> Result<RetroView, StoreError> {
        let mut tx = self.write_tx().await?;
        lock_event(&mut tx, event).await?;
        let row = sqlx::query(
            "SELECT e.title, e.status, p.retro_hours FROM events e JOIN programs p ON p.id = e.program_id WHERE e.id = $1",
        )
        .bind(event.0)
        .fetch_one(&mut *tx)
        .await?;
        let status: EventStatus = crate::row::parse(&row, "status")?;
        let title = text(&row, "title")?;
        if !matches!(status, EventStatus::Held | EventStatus::Closed) {
            return Err(CoreError::invalid(
                "EVENT",
                event,
                format!(
                    "is {status}; a retro is written after the event is held: mark it held first"
                ),
            )
            .into());
        }
        trellis_core::retro::validate(source, draft)?;
        let exists = sqlx::query("SELECT event_id FROM retros WHERE event_id = $1")
            .bind(event.0)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() && !replace {
            return Err(StoreError::Conflict(format!(
                "event {event} '{title}' already has a retro; rewriting it must say it replaces the written one"
            )));
        }
        for person in new_people {
            crate::people::insert_person(&mut tx, ctx, person).await?;
        }
        let (invite, picks) = resolve_people(&mut tx, draft, source).await?;
        let retro_hours = crate::row::u32_(&row, "retro_hours")?;
        let due_at = due(held_at(&mut tx, event).await?, retro_hours);
        if exists.is_some() {
            for table in ["retro_invites", "retro_followups", "retros"] {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DELETE FROM {table} WHERE event_id = $1"
                )))
                .bind(event.0)
                .execute(&mut *tx)
                .await?;
            }
        }
        insert_retro(&mut tx, ctx, event, draft, due_at).await?;
        for id in &invite {
            sqlx::query("INSERT INTO retro_invites (event_id, person_id) VALUES ($1, $2)")
                .bind(event.0)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        for (pos, (id, why)) in picks.iter().enumerate() {
            sqlx::query("INSERT INTO retro_followups (event_id, position, person_id, why) VALUES ($1, $2, $3, $4)")
                .bind(event.0)
                .bind(pos as i64 + 1)
                .bind(id.0)
                .bind(why.trim())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.retro(event).await
    }

    pub async fn retro(&self, event: EventId) -> Result<RetroView, StoreError> {
        let row = sqlx::query(
            "SELECT r.worked, r.broke, r.surprised, r.written_at_us, r.due_at_us, r.author, e.title \
             FROM events e LEFT JOIN retros r ON r.event_id = e.id WHERE e.id = $1",
        )
        .bind(event.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("event", event))?;
        let title = text(&row, "title")?;
        if crate::row::opt_i64(&row, "written_at_us")?.is_none() {
            return Err(StoreError::NotFound {
                what: "retro of event",
                id: format!("{event} '{title}'"),
            });
        }
        let invite = sqlx::query(
            "SELECT p.id, p.display_name FROM retro_invites i JOIN people p ON p.id = i.person_id WHERE i.event_id = $1 ORDER BY p.display_name",
        )
        .bind(event.0)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok(NamedPerson { id: PersonId(i64_(r, "id")?), name: text(r, "display_name")? }))
        .collect::<Result<Vec<_>, StoreError>>()?;
        let follow_up = sqlx::query(
            "SELECT p.id, p.display_name, f.why FROM retro_followups f JOIN people p ON p.id = f.person_id WHERE f.event_id = $1 ORDER BY f.position",
        )
        .bind(event.0)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(RetroPick { person: NamedPerson { id: PersonId(i64_(r, "id")?), name: text(r, "display_name")? }, why: text(r, "why")? })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let written = at(&row, "written_at_us")?;
        let due_at = at(&row, "due_at_us")?;
        Ok(RetroView {
            event,
            event_title: title,
            worked: text(&row, "worked")?,
            broke: text(&row, "broke")?,
            surprised: text(&row, "surprised")?,
            invite,
            follow_up,
            written_at: written,
            due_at,
            late: written > due_at,
            author: text(&row, "author")?,
        })
    }
}

/// The draft's people to invite (each once) and its follow-up picks (three different
/// people), resolved. `source` names the file in messages; a pick given by flag has no line.
async fn resolve_people(
    conn: &mut sqlx::AnyConnection,
    draft: &RetroDraft,
    source: &str,
) -> Result<(Vec<PersonId>, Vec<(PersonId, String)>), StoreError> {
    let place = |line: Option<usize>, flag: &str| match line {
        Some(n) => format!("{source}:{n}"),
        None => flag.to_owned(),
    };
    let mut invite = Vec::new();
    for r in &draft.invite {
        let id = resolve::person_at(conn, &r.text, &place(r.line, "invite")).await?;
        if !invite.contains(&id) {
            invite.push(id);
        }
    }
    let mut picks: Vec<(PersonId, String)> = Vec::new();
    for p in &draft.follow_up {
        let where_ = place(p.person.line, "follow_up");
        let id = resolve::person_at(conn, &p.person.text, &where_).await?;
        if picks.iter().any(|(x, _)| *x == id) {
            return Err(CoreError::at(
                where_,
                format!(
                    "{:?} is picked twice; name three different people",
                    p.person.text
                ),
            )
            .into());
        }
        picks.push((id, p.why.clone()));
    }
    Ok((invite, picks))
}

/// The retro's own row: its three answers, when it was written and was due, by whom.
async fn insert_retro(
    conn: &mut sqlx::AnyConnection,
    ctx: &Ctx,
    event: EventId,
    draft: &RetroDraft,
    due_at: jiff::Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO retros (event_id, worked, broke, surprised, written_at_us, due_at_us, author) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(event.0)
    .bind(draft.worked.trim())
    .bind(draft.broke.trim())
    .bind(draft.surprised.trim())
    .bind(ctx.now_us())
    .bind(to_micros(due_at))
    .bind(&ctx.actor)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
