//! Importing a community chat export (WhatsApp, Telegram, Discord, Slack): parsing is
//! `trellis-chat`'s, the tone `trellis-tone`'s, the writes the store's, in one transaction.
//! `trellis listen import` and the sample's community chat both go through [`import_chat`].

use crate::AppError;
use jiff::civil::DateTime;
use serde::Serialize;
use std::path::PathBuf;
use trellis_chat::{Format, Kind, MessageRef, Options, Summary, Time};
use trellis_core::PersonId;
use trellis_core::ProgramId;
use trellis_store::{ChatLine, ChatTime, Ctx, Store};
use trellis_tone::Analyzer;

fn chat_time(t: Time, place: &str) -> Result<ChatTime, AppError> {
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
    .map_err(|_| AppError::BadChatTime {
        place: place.to_owned(),
        what: format!("the time {c:?} is not a calendar time"),
    })?;
    Ok(match t.offset {
        None => ChatTime::Local(dt),
        Some(secs) => {
            let bad = |what: String| AppError::BadChatTime {
                place: place.to_owned(),
                what,
            };
            let offset = jiff::tz::Offset::from_seconds(secs)
                .map_err(|_| bad(format!("offset {secs} s is out of range")))?;
            ChatTime::Instant(
                offset
                    .to_timestamp(dt)
                    .map_err(|_| bad("time out of range".to_owned()))?,
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
pub enum Source {
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

/// Reads and scores the export on a thread of its own while the store writes the batches
/// before (parsing and tone on one core, hashing and the database on the other), and never
/// holds more than a few batches: a 1M-message export does not sit in memory whole.
pub async fn import_chat(
    store: &Store,
    ctx: &Ctx,
    source: Source,
    program: ProgramId,
    channel: Option<&str>,
    options: Options,
) -> Result<(ChatImported, Summary), AppError> {
    import_chat_watched(store, ctx, source, program, channel, options, None).await
}

/// [`import_chat`], telling `progress` how many messages went to the store so far (the
/// web's background import shows it on a page that refreshes itself).
pub async fn import_chat_watched(
    store: &Store,
    ctx: &Ctx,
    source: Source,
    program: ProgramId,
    channel: Option<&str>,
    options: Options,
    progress: Option<tokio::sync::watch::Sender<u64>>,
) -> Result<(ChatImported, Summary), AppError> {
    let place = source.place();
    let stem = source.stem();
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Result<Batch, AppError>>(8);
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
                store
                    .begin_chat_import(ctx, program, &name, batch.format.name())
                    .await?,
            );
        }
        if let Some(i) = import.as_mut() {
            let n = batch.lines.len() as u64;
            i.add(batch.lines).await?;
            if let Some(p) = &progress {
                p.send_modify(|read| *read += n);
            }
        }
    }
    // A read error ends the import here, before `finish`: the transaction rolls back.
    let summary = reader
        .await
        .map_err(|_| AppError::Worker("reading the chat export"))??;
    let Some(import) = import else {
        return Err(AppError::EmptyChat { place });
    };
    Ok((import.finish().await?.into(), summary))
}

/// Parses the export, scores each message's tone, and sends batches of [`BATCH`].
fn read_batches(
    source: &Source,
    options: &Options,
    sender: &tokio::sync::mpsc::Sender<Result<Batch, AppError>>,
) -> Result<Summary, AppError> {
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
    let summary = source
        .read(options, &mut |m: &MessageRef<'_>| {
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
        })
        .map_err(AppError::Chat)?;
    if let Some(rest) = batch.take() {
        send(rest, &mut stopped);
    }
    Ok(summary)
}

/// `listen import`, and the sample's chat: what a chat import stored and whom it linked.
#[derive(Debug, Clone, Serialize)]
pub struct ChatImported {
    pub channel: String,
    pub channel_id: i64,
    pub read: u64,
    pub added: u64,
    pub already_stored: u64,
    /// Messages of authors who asked to be forgotten: not stored again.
    pub forgotten_skipped: u64,
    /// Authors linked to a person, with how.
    pub linked: Vec<LinkedAuthor>,
    /// Names that several people carry: left unlinked rather than guessed.
    pub ambiguous: Vec<String>,
    pub unlinked: u64,
    pub first: Option<String>,
    pub last: Option<String>,
}

from_fact!(trellis_store::ChatImported => ChatImported {
    channel, channel_id, read, added, already_stored, forgotten_skipped, ambiguous, unlinked,
    first, last
} each {
    linked
});

/// A chat author linked to a person, and how.
#[derive(Debug, Clone, Serialize)]
pub struct LinkedAuthor {
    pub author: String,
    pub person: PersonId,
    /// "platform id" or "exact name".
    pub by: String,
}

from_fact!(trellis_store::LinkedAuthor => LinkedAuthor { author, person, by });
