//! The speaker pipeline board and its moves, as `--json` shows them.

use crate::{AppError, views};
use serde::Serialize;
use std::collections::BTreeMap;
use trellis_core::pipeline::Stage;
use trellis_core::{CoreError, PersonId, ProgramId};
use trellis_store::{Ctx, NewPerson, Store};

/// A person on the speaker pipeline board.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub person: PersonId,
    pub name: String,
    pub stage: Stage,
    pub quiet_killer: bool,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub added_at: jiff::Timestamp,
}

from_fact!(trellis_store::Card => Card { person, name, stage, quiet_killer, added_at });

/// `board`: the cards per stage, and the cycle's forward moves against the minimum.
#[derive(Debug, Clone, Serialize)]
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

impl From<trellis_store::Board> for Board {
    fn from(v: trellis_store::Board) -> Self {
        Self {
            program: v.program,
            stages: v
                .stages
                .into_iter()
                .map(|(stage, cards)| (stage, cards.into_iter().map(Into::into).collect()))
                .collect(),
            quiet_killers: v.quiet_killers,
            moves_this_cycle: v.moves_this_cycle,
            people_moved: v.people_moved,
            minimum: v.minimum,
        }
    }
}

/// A move on the board: `board forward`, `board move`, `board history`.
#[derive(Debug, Clone, Serialize)]
pub struct Move {
    pub id: i64,
    pub person: PersonId,
    pub name: String,
    pub from: Stage,
    pub to: Stage,
    pub forward: bool,
    pub automatic: bool,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub at: jiff::Timestamp,
    pub actor: String,
}

from_fact!(trellis_store::Move => Move {
    id, person, name, from, to, forward, automatic, at, actor
});

/// A program's board.
pub async fn board(store: &Store, program: ProgramId) -> Result<Board, AppError> {
    Ok(store.board(program).await?.into())
}

/// Every move on a program's board, oldest first.
pub async fn history(store: &Store, program: ProgramId) -> Result<Vec<Move>, AppError> {
    Ok(views(store.board_moves(program).await?))
}

/// Who goes on the board: someone on record, or someone added on the spot.
#[derive(Debug, Clone)]
pub enum Newcomer {
    Known(PersonId),
    New { name: String, email: Option<String> },
}

/// Puts someone on a program's board at `stage` (`board add`; the web's picker). Someone
/// new is recorded with their card, in one transaction.
pub async fn add(
    store: &Store,
    ctx: &Ctx,
    program: ProgramId,
    who: Newcomer,
    stage: Stage,
    quiet_killer: bool,
) -> Result<Card, AppError> {
    let card = match who {
        Newcomer::Known(p) => {
            store
                .board_add(ctx, program, p, stage, quiet_killer)
                .await?
        }
        Newcomer::New { name, email } => {
            let new = NewPerson {
                name,
                emails: email.into_iter().collect(),
            };
            store
                .board_add_new_person(ctx, program, &new, stage, quiet_killer)
                .await?
        }
    };
    Ok(card.into())
}

/// One step forward (`board forward`), recorded as a move by `ctx`'s actor.
pub async fn forward(
    store: &Store,
    ctx: &Ctx,
    program: ProgramId,
    person: PersonId,
) -> Result<Move, AppError> {
    Ok(store.board_move(ctx, program, person, None).await?.into())
}

/// One step back (`board move --to` the stage before), recorded as a move back.
pub async fn back(
    store: &Store,
    ctx: &Ctx,
    program: ProgramId,
    person: PersonId,
) -> Result<Move, AppError> {
    let Some(from) = store.board_stage(program, person).await? else {
        return Err(CoreError::invalid("PERSON", person, "is not on the board").into());
    };
    let to = from.prev().ok_or_else(|| {
        CoreError::invalid(
            "PERSON",
            person,
            format!("is at {from}, the first stage; there is no step back"),
        )
    })?;
    Ok(store
        .board_move(ctx, program, person, Some(to))
        .await?
        .into())
}
