//! `trellis outbox`: every message Trellis planned, sent, gave up on or cancelled.

use super::Env;
use crate::cli::OutboxArgs;
use crate::output::{instant, table};

pub async fn run(env: &Env, a: OutboxArgs) -> anyhow::Result<()> {
    let list = trellis_app::outbox::list(&env.store, a.state.as_deref()).await?;
    env.out.emit(&list, || {
        if list.is_empty() {
            return "the outbox is empty".into();
        }
        let rows = list
            .iter()
            .map(|m| {
                vec![
                    m.id.to_string(),
                    m.state.clone(),
                    m.kind.clone(),
                    m.recipient.clone(),
                    instant(m.planned_at),
                    m.attempts.to_string(),
                    m.last_error.clone().unwrap_or_default(),
                ]
            })
            .collect();
        table(
            &[
                "id",
                "state",
                "kind",
                "to",
                "planned",
                "attempts",
                "last error",
            ],
            rows,
        )
    })
}
