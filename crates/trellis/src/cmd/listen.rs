//! `trellis listen`: import a community chat export, and the discussion report of an event.
//! Parsing is `trellis-chat`'s, the tone `trellis-tone`'s, the rules `trellis_core::listen`'s.

use super::{Env, parse_id};
use crate::cli::{ChatReadArgs, ListenCmd};
use crate::output::instant;
use std::path::Path;
use trellis_app::channels::{ChatChannel, ChatPurged};
use trellis_app::chat::{ChatImported, Source, import_chat};
use trellis_app::listen::ChatReport;
use trellis_core::{EventId, ProgramId};

pub async fn run(env: &Env, cmd: ListenCmd) -> anyhow::Result<()> {
    match cmd {
        ListenCmd::Import {
            file,
            program,
            channel,
            read,
        } => import(env, &file, &program, channel.as_deref(), &read).await,
        ListenCmd::Report { event, days } => report(env, &event, days).await,
        ListenCmd::Channels { program } => channels(env, program.as_deref()).await,
        ListenCmd::Keywords {
            program,
            words,
            clear,
        } => keywords(env, &program, &words, clear).await,
        ListenCmd::Purge { channel, program } => purge(env, &channel, program.as_deref()).await,
    }
}

async fn import(
    env: &Env,
    file: &Path,
    program: &str,
    channel: Option<&str>,
    read: &ChatReadArgs,
) -> anyhow::Result<()> {
    let program = ProgramId(parse_id("--program", program)?);
    let (r, summary) = import_chat(
        &env.store,
        &env.ctx,
        Source::File(file.to_path_buf()),
        program,
        channel,
        super::chat::options(read),
    )
    .await?;
    if !env.out.json {
        for w in &summary.warnings {
            eprintln!("warning: {}", crate::output::visible(&w.to_string()));
        }
    }
    env.out.emit(&r, || import_text(&r))
}

fn import_text(r: &ChatImported) -> String {
    let mut s = format!(
        "channel \"{}\" ({}): {} messages read, {} new, {} already stored\n",
        r.channel, r.channel_id, r.read, r.added, r.already_stored
    );
    if r.forgotten_skipped > 0 {
        s.push_str(&format!(
            "{} messages of people who asked to be forgotten were left out\n",
            r.forgotten_skipped
        ));
    }
    if let (Some(f), Some(l)) = (&r.first, &r.last) {
        s.push_str(&format!("span: {f} – {l}\n"));
    }
    s.push_str(&format!(
        "authors linked to people: {} ({} unlinked)\n",
        r.linked.len(),
        r.unlinked
    ));
    const SHOWN: usize = 10;
    for a in r.linked.iter().take(SHOWN) {
        s.push_str(&format!(
            "  {} → person {} (by {})\n",
            a.author, a.person.0, a.by
        ));
    }
    if r.linked.len() > SHOWN {
        s.push_str(&format!(
            "  … and {} more (--json lists them all)\n",
            r.linked.len() - SHOWN
        ));
    }
    if !r.ambiguous.is_empty() {
        s.push_str(&format!(
            "left unlinked, several people have the name: {}\n",
            r.ambiguous.join(", ")
        ));
    }
    s
}

async fn report(env: &Env, event: &str, days: i64) -> anyhow::Result<()> {
    let event = EventId(parse_id("EVENT", event)?);
    let r = trellis_app::listen::report(&env.store, &env.ctx, event, days).await?;
    env.out.emit(&r, || report_text(&r))
}

fn report_text(r: &ChatReport) -> String {
    let mut s = format!(
        "discussion of event {} \"{}\": {} → {} ({} days)\n",
        r.event.0,
        r.title,
        instant(r.window.from),
        instant(r.window.to),
        r.days
    );
    if !r.covered {
        s.push_str(&format!(
            "verdict: NOT COVERED — the imported chats ({}) do not span the whole window{}; nothing can be said, \
             this is not silence. Import a later or longer export.\n",
            if r.channels.is_empty() {
                "none".to_owned()
            } else {
                r.channels.join(", ")
            },
            match &r.chats_span {
                Some(w) => format!(" (they hold {} – {})", instant(w.from), instant(w.to)),
                None => String::new(),
            }
        ));
    } else {
        s.push_str(&format!("verdict: {}\n", r.verdict.as_str().to_uppercase()));
    }
    let lift = r
        .lift
        .map_or("– (no messages in the baseline)".to_owned(), |l| {
            format!("{l:.2}×")
        });
    s.push_str(&format!(
        "messages: {} in the window ({:.2}/day), baseline {:.2}/day over 28 days, lift {lift}\n",
        r.messages,
        r.messages as f64 / r.days as f64,
        r.baseline_per_day
    ));
    s.push_str(&format!("voices: {} ({} new)\n", r.voices, r.new_voices));
    s.push_str(&format!(
        "related: {} (tone: {} positive, {} neutral, {} negative)\n",
        r.related.count, r.tone.positive, r.tone.neutral, r.tone.negative
    ));
    s.push_str(&format!(
        "  matched on: {}\n",
        r.related.matched_on.join(", ")
    ));
    if !r.related.not_matched.is_empty() {
        s.push_str(&format!(
            "  not matched, common in this chat: {}\n",
            r.related.not_matched.join(", ")
        ));
    }
    if !r.most_negative.is_empty() {
        s.push_str("most negative:\n");
        for m in &r.most_negative {
            s.push_str(&format!(
                "  {:+.4} {} {}: {}\n",
                m.score,
                instant(m.at),
                m.author,
                m.text.as_deref().unwrap_or("(purged)")
            ));
        }
    }
    for l in &r.limits {
        s.push_str(&format!("note: {l}\n"));
    }
    s
}

async fn channels(env: &Env, program: Option<&str>) -> anyhow::Result<()> {
    let program = program
        .map(|p| parse_id("--program", p).map(ProgramId))
        .transpose()?;
    let list = trellis_app::channels::list(&env.store, program).await?;
    env.out.emit(&list, || channels_text(&list))
}

fn channels_text(list: &[ChatChannel]) -> String {
    if list.is_empty() {
        return "no chat imported yet: trellis listen import FILE --program ID\n".to_owned();
    }
    let mut s = String::new();
    for c in list {
        s.push_str(&format!(
            "{:>4}  program {}  \"{}\" ({})  {} messages, {} authors  {} – {}{}\n",
            c.id,
            c.program.0,
            c.name,
            c.format,
            c.messages,
            c.authors,
            c.first.map_or("–".to_owned(), crate::output::instant),
            c.last.map_or("–".to_owned(), crate::output::instant),
            c.purged_at.map_or(String::new(), |at| format!(
                "  purged {}",
                crate::output::instant(at)
            ))
        ));
    }
    s
}

async fn purge(env: &Env, channel: &str, program: Option<&str>) -> anyhow::Result<()> {
    let program = program
        .map(|p| parse_id("--program", p).map(ProgramId))
        .transpose()?;
    let r = ChatPurged::from(env.store.purge_chat(&env.ctx, program, channel).await?);
    env.out.emit(&r, || purge_text(&r))
}

fn purge_text(r: &ChatPurged) -> String {
    format!(
        "channel \"{}\" ({}) purged: the text of {} messages deleted; times, authors, tone and the {} messages related to events kept, so every report stays the same\n",
        r.channel, r.channel_id, r.purged, r.related_kept
    )
}

async fn keywords(env: &Env, program: &str, words: &[String], clear: bool) -> anyhow::Result<()> {
    let program = ProgramId(parse_id("--program", program)?);
    let list = if clear || !words.is_empty() {
        env.store.set_chat_keywords(program, words).await?
    } else {
        env.store.chat_keywords(program).await?
    };
    let value = serde_json::json!({"program": program, "keywords": list});
    env.out.emit(&value, || {
        if list.is_empty() {
            format!(
                "program {}: no keywords; messages are matched on event titles, demos and presenters\n",
                program.0
            )
        } else {
            format!("program {}: {}\n", program.0, list.join(", "))
        }
    })
}
