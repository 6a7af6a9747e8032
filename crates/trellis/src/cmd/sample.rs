use super::Env;
use crate::cli::{SampleArgs, SampleSize};
use std::time::Instant;
use trellis_core::event::EventStatus;
use trellis_sample::{Size, generate};

pub async fn run(env: &Env, args: SampleArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let size = match args.size {
        SampleSize::Small => Size::Small,
        SampleSize::Large => Size::Large,
    };
    let data = generate(size, args.seed, env.ctx.now);
    let loaded = env.store.load_dataset(&env.ctx, &data).await?;
    let elapsed = started.elapsed();
    if env.out.json {
        return env.out.emit(&loaded, String::new);
    }
    let mut s = format!(
        "sample loaded into {} in {:.1} s: {} program(s), {} people, {} events, {} attendances, {} demos\n",
        env.store.target(),
        elapsed.as_secs_f64(),
        loaded.programs.len(),
        loaded.people,
        loaded.events,
        loaded.attendances,
        loaded.demos
    );
    // The tour: the first program's events, and what stands between its next event and
    // the announcement.
    if let Some(&first) = loaded.programs.first() {
        let program = env.store.program(trellis_core::ProgramId(first)).await?;
        let events = env.store.list_events(Some(program.id)).await?;
        s.push_str(&format!(
            "\n{} ({}), program {}\n",
            program.name, program.tz, program.id
        ));
        let shown: Vec<_> = if size == Size::Small {
            events.clone()
        } else {
            events.iter().rev().take(6).rev().cloned().collect()
        };
        s.push_str(&super::event::events_table(&shown, false));
        s.push('\n');
        if let Some(next) = events
            .iter()
            .find(|e| matches!(e.status, EventStatus::Draft | EventStatus::Announced))
        {
            let d = env.store.event_detail(next.id, env.ctx.now).await?;
            s.push_str(&format!(
                "\nnext event: {} '{}' on {} {}\n",
                next.id, next.title, next.starts_local, next.tz
            ));
            s.push_str(&super::event::gate_lines(&d.gates));
            s.push_str(&format!(
                "\ntry: trellis event show {}   ·   trellis event announce {}\n",
                next.id, next.id
            ));
        }
    }
    env.out.emit(&loaded, || s)
}
