use super::Env;
use crate::cli::{SampleArgs, SampleSize};
use anyhow::Context;
use std::path::Path;
use std::time::Instant;
use trellis_app::chat::Source;
use trellis_app::sample::{Loaded, SampleLoaded};
use trellis_core::ProgramId;
use trellis_core::event::EventStatus;
use trellis_sample::{Size, community_chat, generate};

/// The name of the sample's community chat channel.
const CHAT_CHANNEL: &str = "community";

/// Loads the sample community and the first program's community chat (a WhatsApp
/// export, imported the way `trellis listen import` does). With `chat_file`, the export
/// is also written there, for trying `listen import` by hand.
pub(crate) async fn load(
    env: &Env,
    size: Size,
    seed: u64,
    chat_file: Option<&Path>,
) -> anyhow::Result<Loaded> {
    let data = generate(size, seed, env.ctx.now);
    let loaded = SampleLoaded::from(env.store.load_dataset(&env.ctx, &data).await?);
    let text = community_chat(&data, 0, seed, env.ctx.now);
    if let Some(path) = chat_file {
        std::fs::write(path, &text)
            .with_context(|| format!("writing the sample chat to {}", path.display()))?;
    }
    let chat = match loaded.programs.first() {
        Some(&program) if !text.is_empty() => {
            let source = Source::Bytes {
                name: "sample community chat".to_owned(),
                bytes: text.into_bytes(),
                format: trellis_chat::Format::WhatsApp,
            };
            let options = trellis_chat::Options {
                format: Some(trellis_chat::Format::WhatsApp),
                day_order: Some(trellis_chat::DayOrder::DayFirst),
            };
            let (imported, _) = trellis_app::chat::import_chat(
                &env.store,
                &env.ctx,
                source,
                ProgramId(program),
                Some(CHAT_CHANNEL),
                options,
            )
            .await?;
            Some(imported)
        }
        _ => None,
    };
    Ok(Loaded { data: loaded, chat })
}

pub async fn run(env: &Env, args: SampleArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let size = match args.size {
        SampleSize::Small => Size::Small,
        SampleSize::Large => Size::Large,
    };
    let all = load(env, size, args.seed, args.write_chat.as_deref()).await?;
    let elapsed = started.elapsed();
    if env.out.json {
        return env.out.emit(&all, String::new);
    }
    let loaded = &all.data;
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
    let mut last_held = None;
    if let Some(&first) = loaded.programs.first() {
        let program = env.store.program(trellis_core::ProgramId(first)).await?;
        let events = trellis_app::events::list(&env.store, Some(program.id)).await?;
        last_held = events
            .iter()
            .rev()
            .find(|e| matches!(e.status, EventStatus::Held | EventStatus::Closed))
            .map(|e| e.id);
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
            let d = super::event::detail(env, next.id).await?;
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
    if let Some(chat) = &all.chat {
        s.push_str(&format!(
            "\ncommunity chat: {} messages by {} authors in channel \"{}\"{}\n",
            chat.added,
            chat.linked.len() as u64 + chat.unlinked,
            chat.channel,
            args.write_chat
                .as_deref()
                .map_or(String::new(), |p| format!(" (the export: {})", p.display()))
        ));
        if let Some(last) = last_held {
            s.push_str(&format!(
                "try: trellis listen report {}   (the discussion after the last event)\n",
                last.0
            ));
        }
    }
    env.out.emit(&all, || s)
}
