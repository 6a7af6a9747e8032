//! `trellis listen`: import a community chat export, and the discussion report of an event.
//! Parsing is `trellis-chat`'s, the tone `trellis-tone`'s, the rules `trellis_core::listen`'s.

use super::{Env, parse_id};
use crate::cli::{ChatReadArgs, ListenCmd};
use anyhow::Context;
use jiff::civil::DateTime;
use std::path::{Path, PathBuf};
use trellis_chat::{Format, Kind, MessageRef, Options, Summary, Time};
use trellis_core::{EventId, ProgramId};
use trellis_store::{ChatChannel, ChatImported, ChatLine, ChatPurged, ChatReport, ChatTime};
use trellis_tone::Analyzer;

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

/// Messages handed from the reading thread to the store, a batch at a time.
struct Batch {
    format: Format,
    /// The chat's name, as the export gives it (from the batch's first message).
    chat: Option<String>,
    lines: Vec<ChatLine>,
}

const BATCH: usize = 4096;

/// Where an export comes from.
pub(crate) enum Source {
    File(PathBuf),
    /// An export held in memory (the sample's community chat).
    Bytes {
        name: String,
        bytes: Vec<u8>,
        format: Format,
    },
}

impl Source {
    fn place(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Bytes { name, .. } => name.clone(),
        }
    }

    /// The channel's name when neither `--channel` nor the export names it.
    fn stem(&self) -> Option<String> {
        match self {
            Source::File(p) => p.file_stem().map(|s| s.to_string_lossy().into_owned()),
            Source::Bytes { name, .. } => Some(name.clone()),
        }
    }

    fn read(
        &self,
        options: &Options,
        sink: &mut dyn FnMut(&MessageRef<'_>),
    ) -> Result<Summary, trellis_chat::ChatError> {
        match self {
            Source::File(p) => trellis_chat::read(p, options, sink),
            Source::Bytes {
                name,
                bytes,
                format,
            } => trellis_chat::read_bytes(name, bytes, *format, options, sink),
        }
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
    let (r, summary) = import_from(
        env,
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

/// Reads and scores the export on a thread of its own while the store writes the batches
/// before (parsing and tone on one core, hashing and the database on the other), and never
/// holds more than a few batches: a 1M-message export does not sit in memory whole.
pub(crate) async fn import_from(
    env: &Env,
    source: Source,
    program: ProgramId,
    channel: Option<&str>,
    options: Options,
) -> anyhow::Result<(ChatImported, Summary)> {
    let place = source.place();
    let stem = source.stem();
    let (sender, mut batches) = tokio::sync::mpsc::channel::<anyhow::Result<Batch>>(8);
    let reader = tokio::task::spawn_blocking(move || read_batches(&source, &options, &sender));

    let mut import = None;
    while let Some(batch) = batches.recv().await {
        let batch = batch?;
        if import.is_none() {
            let name = channel
                .map(str::to_owned)
                .or(batch.chat.clone())
                .or(stem.clone())
                .unwrap_or_else(|| "chat".to_owned());
            import = Some(
                env.store
                    .begin_chat_import(&env.ctx, program, &name, batch.format.name())
                    .await?,
            );
        }
        if let Some(i) = import.as_mut() {
            i.add(batch.lines).await?;
        }
    }
    // A read error ends the import here, before `finish`: the transaction rolls back.
    let summary = reader
        .await
        .context("the thread reading the export stopped")?
        .context("reading the chat export")?;
    let Some(import) = import else {
        anyhow::bail!(
            "{place}: the export holds no messages written by people (only system lines): nothing to import"
        );
    };
    Ok((import.finish().await?, summary))
}

/// Parses the export, scores each message's tone, and sends batches of [`BATCH`].
fn read_batches(
    source: &Source,
    options: &Options,
    sender: &tokio::sync::mpsc::Sender<anyhow::Result<Batch>>,
) -> anyhow::Result<Summary> {
    let analyzer = Analyzer::shared();
    let place = source.place();
    let mut batch: Option<Batch> = None;
    // Set when the store side stopped (an error there): the rest is only parsed.
    let mut stopped = false;
    let send = |b: Batch, stopped: &mut bool| {
        if !*stopped && sender.blocking_send(Ok(b)).is_err() {
            *stopped = true;
        }
    };
    let summary = source.read(options, &mut |m: &MessageRef<'_>| {
        if stopped || !matches!(m.kind, Kind::Message | Kind::Media) {
            return;
        }
        let (Some(author), Some(time)) = (m.author.as_ref(), m.time) else {
            return;
        };
        let at = match chat_time(time, &place) {
            Ok(at) => at,
            Err(e) => {
                let _ = sender.blocking_send(Err(e));
                stopped = true;
                return;
            }
        };
        let b = batch.get_or_insert_with(|| Batch {
            format: m.format,
            chat: m.chat.map(str::to_owned),
            lines: Vec::with_capacity(BATCH),
        });
        b.lines.push(ChatLine {
            at,
            author: author.name.to_owned(),
            author_id: author.id.map(str::to_owned),
            text: m.text.to_owned(),
            compound: if m.kind == Kind::Message {
                analyzer.polarity_scores(m.text).compound
            } else {
                0.0
            },
        });
        if b.lines.len() >= BATCH
            && let Some(full) = batch.take()
        {
            send(full, &mut stopped);
        }
    })?;
    if let Some(rest) = batch.take() {
        send(rest, &mut stopped);
    }
    Ok(summary)
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
    s.push_str(&format!(
        "  matched on: {}\n",
        r.related.matched_on.join(", ")
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

async fn channels(env: &Env, program: Option<&str>) -> anyhow::Result<()> {
    let program = program
        .map(|p| parse_id("--program", p).map(ProgramId))
        .transpose()?;
    let list = env.store.chat_channels(program).await?;
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
            c.first.as_deref().unwrap_or("–"),
            c.last.as_deref().unwrap_or("–"),
            c.purged_at
                .as_deref()
                .map_or(String::new(), |at| format!("  purged {at}"))
        ));
    }
    s
}

async fn purge(env: &Env, channel: &str, program: Option<&str>) -> anyhow::Result<()> {
    let program = program
        .map(|p| parse_id("--program", p).map(ProgramId))
        .transpose()?;
    let r = env.store.purge_chat(&env.ctx, program, channel).await?;
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
