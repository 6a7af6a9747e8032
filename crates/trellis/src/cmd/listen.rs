//! `trellis listen`: import a community chat export, and the discussion report of an event.
//! Parsing is `trellis-chat`'s, the tone `trellis-tone`'s, the rules `trellis_core::listen`'s.

use super::{Env, parse_id};
use crate::cli::ListenCmd;
use anyhow::Context;
use jiff::civil::DateTime;
use std::path::Path;
use trellis_chat::{Kind, MessageRef, Options, Time};
use trellis_core::{EventId, ProgramId};
use trellis_store::{ChatImported, ChatLine, ChatReport, ChatTime};
use trellis_tone::Analyzer;

pub async fn run(env: &Env, cmd: ListenCmd) -> anyhow::Result<()> {
    match cmd {
        ListenCmd::Import {
            file,
            program,
            channel,
        } => import(env, &file, &program, channel.as_deref()).await,
        ListenCmd::Report { event, days } => report(env, &event, days).await,
    }
}

fn chat_time(t: Time, place: &str) -> anyhow::Result<ChatTime> {
    let c = t.local;
    let dt = DateTime::new(
        c.year as i16,
        c.month as i8,
        c.day as i8,
        c.hour as i8,
        c.minute as i8,
        c.second as i8,
        c.nanos as i32,
    )
    .with_context(|| format!("{place}: the time {c:?} is not a calendar time"))?;
    Ok(match t.offset {
        None => ChatTime::Local(dt),
        Some(secs) => {
            let offset = jiff::tz::Offset::from_seconds(secs)
                .with_context(|| format!("{place}: offset {secs} s is out of range"))?;
            ChatTime::Instant(
                offset
                    .to_timestamp(dt)
                    .with_context(|| format!("{place}: time out of range"))?,
            )
        }
    })
}

async fn import(
    env: &Env,
    file: &Path,
    program: &str,
    channel: Option<&str>,
) -> anyhow::Result<()> {
    let program = ProgramId(parse_id("--program", program)?);
    let analyzer = Analyzer::shared();
    let mut lines: Vec<ChatLine> = Vec::new();
    let mut chat_name: Option<String> = None;
    let mut bad: Option<anyhow::Error> = None;
    let place = file.display().to_string();
    let summary = trellis_chat::read(file, &Options::default(), &mut |m: &MessageRef<'_>| {
        if bad.is_some() || !matches!(m.kind, Kind::Message | Kind::Media) {
            return;
        }
        if chat_name.is_none() {
            chat_name = m.chat.map(str::to_owned);
        }
        let (Some(author), Some(time)) = (m.author.as_ref(), m.time) else {
            return;
        };
        match chat_time(time, &place) {
            Ok(at) => lines.push(ChatLine {
                at,
                author: author.name.to_owned(),
                author_id: author.id.map(str::to_owned),
                text: m.text.to_owned(),
                compound: if m.kind == Kind::Message {
                    analyzer.polarity_scores(m.text).compound
                } else {
                    0.0
                },
            }),
            Err(e) => bad = Some(e),
        }
    })
    .with_context(|| format!("reading the chat export {place}"))?;
    if let Some(e) = bad {
        return Err(e);
    }
    let channel = channel
        .map(str::to_owned)
        .or(chat_name)
        .or_else(|| file.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "chat".to_owned());
    let r = env
        .store
        .import_chat(&env.ctx, program, &channel, summary.format.name(), &lines)
        .await?;
    if !env.out.json {
        for w in &summary.warnings {
            eprintln!("warning: {w}");
        }
    }
    env.out.emit(&r, || import_text(&r))
}

fn import_text(r: &ChatImported) -> String {
    let mut s = format!(
        "channel \"{}\" ({}): {} messages read, {} new, {} already stored\n",
        r.channel, r.channel_id, r.read, r.added, r.already_stored
    );
    if let (Some(f), Some(l)) = (&r.first, &r.last) {
        s.push_str(&format!("span: {f} – {l}\n"));
    }
    s.push_str(&format!(
        "authors linked to people: {} ({} unlinked)\n",
        r.linked.len(),
        r.unlinked
    ));
    for a in &r.linked {
        s.push_str(&format!(
            "  {} → person {} (by {})\n",
            a.author, a.person.0, a.by
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
    let r = env.store.chat_report(&env.ctx, event, days).await?;
    env.out.emit(&r, || report_text(&r))
}

fn report_text(r: &ChatReport) -> String {
    let mut s = format!(
        "discussion of event {} \"{}\": {} → {} ({} days)\n",
        r.event.0, r.title, r.window.from, r.window.to, r.days
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
                Some(w) => format!(" (they hold {} – {})", w.from, w.to),
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
    if !r.most_negative.is_empty() {
        s.push_str("most negative:\n");
        for m in &r.most_negative {
            s.push_str(&format!(
                "  {:+.4} {} {}: {}\n",
                m.score,
                m.at,
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
