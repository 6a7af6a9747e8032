use super::Env;
use trellis_app::calendar::{Hints, ics, items};

pub async fn run(env: &Env, program: Option<String>) -> anyhow::Result<()> {
    let program = match program {
        Some(p) => Some(env.store.find_program(&p).await?.id),
        None => None,
    };
    let items = items(&env.store, program, env.ctx.now, Hints::Commands).await?;
    if env.out.json {
        let list: Vec<_> = items
            .iter()
            .map(|i| {
                serde_json::json!({
                    "uid": i.uid, "summary": i.summary, "description": i.description, "location": i.location,
                    "start": trellis_core::time::rfc3339_utc(i.start), "end": trellis_core::time::rfc3339_utc(i.end),
                })
            })
            .collect();
        return env.out.emit(&list, String::new);
    }
    crate::output::write_stdout(&ics("Trellis", &items, env.ctx.now)?)
}
