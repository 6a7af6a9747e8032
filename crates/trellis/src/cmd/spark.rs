use super::{Env, parse_id};
use crate::cli::SparkCmd;
use crate::output::table;
use trellis_app::sparks::SparkView;
use trellis_core::{EventId, PersonId};

fn line(s: &SparkView) -> String {
    format!(
        "spark {}: {} ↔ {}{}",
        s.id,
        s.a.name,
        s.b.name,
        match &s.acted_note {
            Some(n) => format!(" — acted on: {n}"),
            None => String::new(),
        }
    )
}

pub async fn run(env: &Env, cmd: SparkCmd) -> anyhow::Result<()> {
    match cmd {
        SparkCmd::Add { a, b, event, note } => {
            let event = event
                .map(|e| parse_id("--event", &e).map(EventId))
                .transpose()?;
            let s = trellis_app::sparks::record(
                &env.store,
                &env.ctx,
                PersonId(parse_id("PERSON", &a)?),
                PersonId(parse_id("PERSON", &b)?),
                event,
                note.as_deref(),
            )
            .await?;
            env.out
                .emit(&serde_json::json!({ "id": s.id, "spark": s }), || line(&s))
        }
        SparkCmd::Acted { id, note } => {
            let s = trellis_app::sparks::acted(&env.store, &env.ctx, parse_id("ID", &id)?, &note)
                .await?;
            env.out.emit(&s, || line(&s))
        }
        SparkCmd::List { program } => {
            let program = match program {
                Some(p) => Some(env.store.find_program(&p).await?.id),
                None => None,
            };
            let list = trellis_app::sparks::list(&env.store, program).await?;
            env.out.emit(&list, || {
                let acted = list.iter().filter(|s| s.acted_at.is_some()).count();
                let rows = list
                    .iter()
                    .map(|s| {
                        vec![
                            s.id.to_string(),
                            format!("{} ↔ {}", s.a.name, s.b.name),
                            crate::output::instant(s.made_at),
                            s.acted_note.clone().unwrap_or_else(|| "–".into()),
                        ]
                    })
                    .collect();
                format!(
                    "{acted} of {} sparks acted on\n\n{}",
                    list.len(),
                    table(&["ID", "INTRODUCTION", "MADE", "WHAT HAPPENED"], rows)
                )
            })
        }
    }
}
