use super::{Env, parse_id};
use crate::cli::{BoardArgs, BoardCmd};
use crate::output::table;
use trellis_app::board::{Board, Card, Move};
use trellis_core::pipeline::Stage;
use trellis_core::{CoreError, PersonId, ProgramId};

/// The program a command is about: the one named, or the only one there is.
pub async fn program_or_only(env: &Env, program: Option<String>) -> anyhow::Result<ProgramId> {
    if let Some(p) = program {
        return Ok(env.store.find_program(&p).await?.id);
    }
    let all = env.store.list_programs().await?;
    match all.as_slice() {
        [only] => Ok(only.id),
        [] => {
            Err(CoreError::at("--program", "no program exists yet: `trellis program add`").into())
        }
        many => Err(CoreError::at(
            "--program",
            format!("is needed: there are {} programs", many.len()),
        )
        .into()),
    }
}

fn board_text(b: &Board) -> String {
    let moved = if b.people_moved.is_empty() {
        String::new()
    } else {
        format!(" ({})", b.people_moved.join(", "))
    };
    let mut s = format!(
        "speaker pipeline of program {}: {} of {} people moved ahead this cycle{moved}; {} quiet killer(s)\n\n",
        b.program, b.moves_this_cycle, b.minimum, b.quiet_killers
    );
    let columns: Vec<&Vec<Card>> = Stage::ALL.iter().map(|st| &b.stages[st.as_str()]).collect();
    let depth = columns.iter().map(|c| c.len()).max().unwrap_or(0);
    let shown = depth.min(12);
    let rows = (0..shown)
        .map(|i| {
            columns
                .iter()
                .map(|c| {
                    c.get(i)
                        .map(|card| {
                            format!(
                                "{}{} ({})",
                                if card.quiet_killer { "★ " } else { "" },
                                card.name,
                                card.person
                            )
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    let headers: Vec<String> = Stage::ALL
        .iter()
        .zip(&columns)
        .map(|(st, c)| format!("{} [{}]", st.as_str().to_uppercase(), c.len()))
        .collect();
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    s.push_str(&table(&refs, rows));
    if depth > shown {
        s.push_str(&format!(
            "\n… {} more rows (--json shows every card)",
            depth - shown
        ));
    }
    s
}

pub async fn run(env: &Env, args: BoardArgs) -> anyhow::Result<()> {
    let program = program_or_only(env, args.program).await?;
    match args.cmd {
        None => {
            let b = trellis_app::board::board(&env.store, program).await?;
            env.out.emit(&b, || board_text(&b))
        }
        Some(BoardCmd::Add {
            person: p,
            stage,
            quiet_killer,
        }) => add(env, program, &p, &stage, quiet_killer).await,
        Some(BoardCmd::Forward { person: p }) => {
            let m = trellis_app::board::forward(&env.store, &env.ctx, program, person(&p)?).await?;
            env.out
                .emit(&m, || format!("{}: {} → {}", m.name, m.from, m.to))
        }
        Some(BoardCmd::Move { person: p, to }) => move_to(env, program, &p, &to).await,
        Some(BoardCmd::Flag {
            person: p,
            quiet_killer,
            clear: _,
        }) => flag(env, program, &p, quiet_killer).await,
        Some(BoardCmd::History) => history(env, program).await,
    }
}

fn person(raw: &str) -> Result<PersonId, CoreError> {
    parse_id("PERSON", raw).map(PersonId)
}

async fn add(
    env: &Env,
    program: ProgramId,
    p: &str,
    stage: &str,
    quiet_killer: bool,
) -> anyhow::Result<()> {
    let stage: Stage = stage.parse()?;
    let who = trellis_app::board::Newcomer::Known(person(p)?);
    let c =
        trellis_app::board::add(&env.store, &env.ctx, program, who, stage, quiet_killer).await?;
    env.out.emit(&c, || {
        format!("{} added to the board at {}", c.name, c.stage)
    })
}

async fn move_to(env: &Env, program: ProgramId, p: &str, to: &str) -> anyhow::Result<()> {
    let to: Stage = to.parse().map_err(|_| {
        CoreError::invalid(
            "--to",
            to,
            "is not a stage (spotted, warm_intro, candidate, speaker, repeat)",
        )
    })?;
    let m = Move::from(
        env.store
            .board_move(&env.ctx, program, person(p)?, Some(to))
            .await?,
    );
    env.out.emit(&m, || {
        format!(
            "{}: {} → {}{}",
            m.name,
            m.from,
            m.to,
            if m.forward { "" } else { " (a move back)" }
        )
    })
}

async fn flag(env: &Env, program: ProgramId, p: &str, quiet_killer: bool) -> anyhow::Result<()> {
    let id = person(p)?;
    env.store.board_flag(program, id, quiet_killer).await?;
    env.out.emit(
        &serde_json::json!({ "person": id, "quiet_killer": quiet_killer }),
        || {
            format!(
                "person {id}: quiet killer {}",
                if quiet_killer {
                    "flag set"
                } else {
                    "flag cleared"
                }
            )
        },
    )
}

async fn history(env: &Env, program: ProgramId) -> anyhow::Result<()> {
    let moves = trellis_app::board::history(&env.store, program).await?;
    env.out.emit(&moves, || {
        let rows = moves
            .iter()
            .map(|m| {
                vec![
                    crate::output::instant(m.at),
                    m.name.clone(),
                    format!("{} → {}", m.from, m.to),
                    if m.automatic {
                        "automatic".into()
                    } else {
                        m.actor.clone()
                    },
                ]
            })
            .collect();
        table(&["AT", "PERSON", "MOVE", "BY"], rows)
    })
}
