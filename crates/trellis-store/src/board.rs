//! The speaker pipeline board of a program, and its history of moves.

use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::gates::{last_held_event, load_cycle, settings_from_row};
use crate::open::Store;
use crate::row::{at, flag, i64_, parse, text};
use sqlx::AnyConnection;
use std::collections::BTreeMap;
use trellis_core::pipeline::Stage;
use trellis_core::{CoreError, PersonId, ProgramId};

#[derive(Debug, Clone)]
pub struct Card {
    pub person: PersonId,
    pub name: String,
    pub stage: Stage,
    pub quiet_killer: bool,
    pub added_at: jiff::Timestamp,
}

#[derive(Debug, Clone)]
pub struct Board {
    pub program: ProgramId,
    pub stages: BTreeMap<&'static str, Vec<Card>>,
    pub quiet_killers: u32,
    /// People moved ahead in the current event cycle (distinct, net of moves back),
    /// against the program's minimum.
    pub moves_this_cycle: u32,
    /// Who they are.
    pub people_moved: Vec<String>,
    pub minimum: u32,
}

#[derive(Debug, Clone)]
pub struct Move {
    pub id: i64,
    pub person: PersonId,
    pub name: String,
    pub from: Stage,
    pub to: Stage,
    pub forward: bool,
    pub automatic: bool,
    pub at: jiff::Timestamp,
    pub actor: String,
}

pub(crate) async fn card_stage(
    conn: &mut AnyConnection,
    program: ProgramId,
    person: PersonId,
) -> Result<Option<Stage>, StoreError> {
    let row =
        sqlx::query("SELECT stage FROM pipeline_cards WHERE program_id = $1 AND person_id = $2")
            .bind(program.0)
            .bind(person.0)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|r| parse(&r, "stage")).transpose()
}

async fn person_name(conn: &mut AnyConnection, person: PersonId) -> Result<String, StoreError> {
    let row = sqlx::query("SELECT display_name FROM people WHERE id = $1")
        .bind(person.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("person", person))?;
    text(&row, "display_name")
}

/// Moves a card and records the move with the event cycle it belongs to.
pub(crate) async fn record_move(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    program: ProgramId,
    person: PersonId,
    from: Stage,
    to: Stage,
    automatic: bool,
) -> Result<i64, StoreError> {
    let cycle = last_held_event(conn, program).await?;
    sqlx::query("UPDATE pipeline_cards SET stage = $1 WHERE program_id = $2 AND person_id = $3")
        .bind(to.as_str())
        .bind(program.0)
        .bind(person.0)
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query(
        "INSERT INTO pipeline_moves (program_id, person_id, from_stage, to_stage, forward, automatic, cycle_event_id, at_us, actor) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(program.0)
    .bind(person.0)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(i64::from(from.is_forward_to(to)))
    .bind(i64::from(automatic))
    .bind(cycle.map(|e| e.0))
    .bind(ctx.now_us())
    .bind(&ctx.actor)
    .fetch_one(&mut *conn)
    .await?;
    i64_(&row, "id")
}

pub(crate) async fn add_card(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    program: ProgramId,
    person: PersonId,
    stage: Stage,
    quiet_killer: bool,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO pipeline_cards (program_id, person_id, stage, quiet_killer, added_at_us, added_by) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(program.0)
    .bind(person.0)
    .bind(stage.as_str())
    .bind(i64::from(quiet_killer))
    .bind(ctx.now_us())
    .bind(&ctx.actor)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A presented demo moves its presenter to `speaker`, or `repeat` the second time; a
/// presenter not on the board gets a card (adding a card is not a move).
pub(crate) async fn after_presenting(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    program: ProgramId,
    person: PersonId,
) -> Result<(), StoreError> {
    let before = sqlx::query(
        "SELECT COUNT(DISTINCT d.event_id) AS n FROM demos d JOIN demo_presenters dp ON dp.demo_id = d.id JOIN events e ON e.id = d.event_id \
         WHERE dp.person_id = $1 AND e.program_id = $2 AND d.status = 'presented'",
    )
    .bind(person.0)
    .bind(program.0)
    .fetch_one(&mut *conn)
    .await?;
    // The demo being marked is already `presented` when this runs, so its evening counts.
    let evenings = usize::try_from(i64_(&before, "n")?).unwrap_or(0);
    let current = card_stage(conn, program, person).await?;
    let to = Stage::after_presenting(evenings);
    match current {
        None => add_card(conn, ctx, program, person, to, false).await,
        Some(from) if from.is_forward_to(to) => {
            record_move(conn, ctx, program, person, from, to, true)
                .await
                .map(|_| ())
        }
        Some(_) => Ok(()),
    }
}

/// The people moved ahead in the program's current cycle (since the previous held event
/// for a held event not yet closed, else since the last held event), by name, and the
/// program's minimum.
pub(crate) async fn moves_this_cycle(
    conn: &mut AnyConnection,
    program: ProgramId,
) -> Result<(Vec<String>, u32), StoreError> {
    let prow = sqlx::query(
        "SELECT demo_target, default_slots, followup_minimum, retro_hours, moves_per_event, demos_per_presenter FROM programs WHERE id = $1",
    )
    .bind(program.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::not_found("program", program))?;
    let settings = settings_from_row(&prow)?;
    let open = sqlx::query(
        "SELECT id FROM events WHERE program_id = $1 AND status = 'held' AND backfilled = 0 ORDER BY starts_at_us DESC, id DESC LIMIT 1",
    )
    .bind(program.0)
    .fetch_optional(&mut *conn)
    .await?;
    let moves = match open {
        Some(r) => {
            load_cycle(conn, &settings, trellis_core::EventId(i64_(&r, "id")?))
                .await?
                .people_moved
        }
        None => {
            let since = match last_held_event(conn, program).await? {
                Some(e) => crate::gates::held_at(conn, e).await?.as_microsecond(),
                None => i64::MIN,
            };
            crate::gates::people_moved_since(conn, program, since).await?
        }
    };
    Ok((moves, settings.moves_per_event))
}

impl Store {
    pub async fn board(&self, program: ProgramId) -> Result<Board, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let (moves, minimum) = moves_this_cycle(&mut conn, program).await?;
        let rows = sqlx::query(
            "SELECT c.person_id, p.display_name, c.stage, c.quiet_killer, c.added_at_us FROM pipeline_cards c \
             JOIN people p ON p.id = c.person_id WHERE c.program_id = $1 ORDER BY p.display_name, c.person_id",
        )
        .bind(program.0)
        .fetch_all(&mut *conn)
        .await?;
        let mut stages: BTreeMap<&'static str, Vec<Card>> = Stage::ALL
            .iter()
            .map(|s| (s.as_str(), Vec::new()))
            .collect();
        let mut quiet = 0;
        for r in &rows {
            let card = Card {
                person: PersonId(i64_(r, "person_id")?),
                name: text(r, "display_name")?,
                stage: parse(r, "stage")?,
                quiet_killer: flag(r, "quiet_killer")?,
                added_at: at(r, "added_at_us")?,
            };
            quiet += u32::from(card.quiet_killer);
            stages.entry(card.stage.as_str()).or_default().push(card);
        }
        Ok(Board {
            program,
            stages,
            quiet_killers: quiet,
            moves_this_cycle: u32::try_from(moves.len()).unwrap_or(u32::MAX),
            people_moved: moves,
            minimum,
        })
    }

    pub async fn board_add(
        &self,
        ctx: &Ctx,
        program: ProgramId,
        person: PersonId,
        stage: Stage,
        quiet_killer: bool,
    ) -> Result<Card, StoreError> {
        let mut tx = self.write_tx().await?;
        let name = person_name(&mut tx, person).await?;
        if let Some(s) = card_stage(&mut tx, program, person).await? {
            return Err(StoreError::Conflict(format!(
                "{name} is already on the board at {s}; move them forward instead"
            )));
        }
        add_card(&mut tx, ctx, program, person, stage, quiet_killer).await?;
        tx.commit().await?;
        Ok(Card {
            person,
            name,
            stage,
            quiet_killer,
            added_at: ctx.now,
        })
    }

    /// Puts someone not on record yet on the board: the person and their card in one
    /// transaction, so a refusal leaves neither.
    pub async fn board_add_new_person(
        &self,
        ctx: &Ctx,
        program: ProgramId,
        person: &crate::people::NewPerson,
        stage: Stage,
        quiet_killer: bool,
    ) -> Result<Card, StoreError> {
        let mut tx = self.write_tx().await?;
        let p = crate::people::insert_person(&mut tx, ctx, person).await?;
        add_card(&mut tx, ctx, program, p.id, stage, quiet_killer).await?;
        tx.commit().await?;
        Ok(Card {
            person: p.id,
            name: p.name,
            stage,
            quiet_killer,
            added_at: ctx.now,
        })
    }

    /// Moves a card: one step forward with `to = None`, else to the stage given (back is
    /// allowed, and recorded as a move back).
    pub async fn board_move(
        &self,
        ctx: &Ctx,
        program: ProgramId,
        person: PersonId,
        to: Option<Stage>,
    ) -> Result<Move, StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("UPDATE programs SET tz = tz WHERE id = $1")
            .bind(program.0)
            .execute(&mut *tx)
            .await?;
        let name = person_name(&mut tx, person).await?;
        let Some(from) = card_stage(&mut tx, program, person).await? else {
            return Err(CoreError::invalid(
                "PERSON",
                person,
                format!("({name}) is not on the board; add them to the board first"),
            )
            .into());
        };
        let to = match to {
            Some(t) => t,
            None => from.next().ok_or_else(|| {
                CoreError::invalid(
                    "PERSON",
                    person,
                    format!("({name}) is at {from}, the last stage; there is no step forward"),
                )
            })?,
        };
        if to == from {
            return Err(CoreError::invalid("to", to, format!("is where {name} already is")).into());
        }
        let id = record_move(&mut tx, ctx, program, person, from, to, false).await?;
        tx.commit().await?;
        Ok(Move {
            id,
            person,
            name,
            from,
            to,
            forward: from.is_forward_to(to),
            automatic: false,
            at: ctx.now,
            actor: ctx.actor.clone(),
        })
    }

    /// Where a person's card is on a program's board, if they are on it.
    pub async fn board_stage(
        &self,
        program: ProgramId,
        person: PersonId,
    ) -> Result<Option<Stage>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        card_stage(&mut conn, program, person).await
    }

    pub async fn board_flag(
        &self,
        program: ProgramId,
        person: PersonId,
        quiet_killer: bool,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE pipeline_cards SET quiet_killer = $1 WHERE program_id = $2 AND person_id = $3",
        )
        .bind(i64::from(quiet_killer))
        .bind(program.0)
        .bind(person.0)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(CoreError::invalid("PERSON", person, "is not on the board").into());
        }
        Ok(())
    }

    /// The board's history, newest last.
    pub async fn board_moves(&self, program: ProgramId) -> Result<Vec<Move>, StoreError> {
        let rows = sqlx::query(
            "SELECT m.id, m.person_id, p.display_name, m.from_stage, m.to_stage, m.forward, m.automatic, m.at_us, m.actor \
             FROM pipeline_moves m JOIN people p ON p.id = m.person_id WHERE m.program_id = $1 ORDER BY m.at_us, m.id",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Move {
                    id: i64_(r, "id")?,
                    person: PersonId(i64_(r, "person_id")?),
                    name: text(r, "display_name")?,
                    from: parse(r, "from_stage")?,
                    to: parse(r, "to_stage")?,
                    forward: flag(r, "forward")?,
                    automatic: flag(r, "automatic")?,
                    at: at(r, "at_us")?,
                    actor: text(r, "actor")?,
                })
            })
            .collect()
    }
}
