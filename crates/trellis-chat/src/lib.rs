//! Chat exports, read exactly and as streams: WhatsApp "Export chat" text (`.txt`, or the
//! `.zip` holding `_chat.txt`), Telegram Desktop JSON (one chat or a full-account export),
//! DiscordChatExporter JSON and Slack workspace exports (`.zip` or folder).
//!
//! No database, no async, nothing else of Trellis: a path goes in, messages come out one
//! at a time through a callback ([`read`]), or their counts ([`stats`]). Memory does not
//! grow with the file: text is read in chunks, JSON message arrays are walked element by
//! element with serde seeds, zip members are decompressed as they are read.
//!
//! The format facts each parser relies on are in `shared/formats/chat-exports.md`; each
//! module's header says which.
//!
//! # Where we differ from the peer parsers, and why
//!
//! Measured against chat-miner (Python), whatstk (Python) and whatsapp-chat-parser (Node):
//!
//! * **Continuation lines keep their newline.** chat-miner joins them with a space; the
//!   line breaks are the author's.
//! * **`Name:.` is a deleted (view-once) message by Name**, counted in `messages` and
//!   `deleted`. chat-miner drops the line.
//! * **System lines are kept** as messages without an author (kind `System`); chat-miner
//!   drops them. The encryption notice written with the chat's name as its author
//!   (`Pokemon Chat: Messages and calls are end-to-end encrypted…`) is a system line, not
//!   a participant; all three peers count it as a message by "Pokemon Chat".
//! * **`~ ` before a name is not part of it** (WhatsApp marks senders who are not in the
//!   exporter's contacts); the peers keep the tilde, splitting one person in two.
//! * **Day/month order is decided once per file** from all its dates; an ambiguous file
//!   (no part above 12) is reported as such with the order chosen and why. chat-miner
//!   silently falls back to day first.
//! * **Spanish `a. m.`/`p. m.` and dotted `p.m.`** are read as 12-hour markers. whatstk
//!   folds `a. m.` files into two messages and reads `1:23 p.m.` as 01:23.
//! * **Mixed header styles** (a hand-made file) parse line by line with a warning;
//!   chat-miner raises.
//! * **Telegram text arrays are joined with nothing between the parts** (chat-miner puts
//!   a space: `"Link: https://…"` for `["Link:", "https://…"]`). `text_entities` holds the
//!   same parts (tdesktop writes both from one list), so it is read only when `text` is
//!   missing.
//! * **Telegram times keep the exporting computer's offset**: `date` is its wall clock and
//!   `date_unixtime` the instant, so `2018-12-05T11:39:10+01:00` rather than chat-miner's
//!   naive UTC `2018-12-05T10:39:10` (the same instant). Old exports with no
//!   `date_unixtime` give local times with no offset; chat-miner crashes on them.
//! * **Trailing blank lines after a message are dropped** (a hand-edited file's last
//!   newline); blank lines inside a message are kept.

pub mod detect;
pub mod discord;
pub mod error;
mod json;
mod lines;
pub mod message;
pub mod slack;
mod source;
pub mod stats;
pub mod telegram;
pub mod time;
mod warn;
pub mod whatsapp;

pub use error::ChatError;
pub use message::{Author, AuthorRef, Format, Kind, Message, MessageRef};
pub use stats::{Stats, StatsBuilder};
pub use time::{Civil, Time};
pub use whatsapp::order::DayOrder;

use detect::Located;
use source::Bytes;
use std::path::Path;

/// How to read an export.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// `None`: tell from the content.
    pub format: Option<Format>,
    /// WhatsApp only: `None` decides from the file's dates.
    pub day_order: Option<DayOrder>,
}

/// What a read found besides the messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub format: Format,
    /// How many messages were handed to the sink.
    pub messages: u64,
    /// WhatsApp only: whether dates were read day first.
    pub day_first: Option<bool>,
    pub warnings: Vec<String>,
}

/// Reads the export at `path` (a file, a zip or a Slack folder), handing each message to
/// `sink` in file order. An export with no message at all is an error.
pub fn read(
    path: &Path,
    options: &Options,
    sink: &mut dyn FnMut(&MessageRef<'_>),
) -> Result<Summary, ChatError> {
    let located = detect::locate(path, options.format)?;
    read_located(located, path, options, sink)
}

fn read_located(
    located: Located,
    path: &Path,
    options: &Options,
    sink: &mut dyn FnMut(&MessageRef<'_>),
) -> Result<Summary, ChatError> {
    let summary = match located {
        Located::WhatsApp(src) => whatsapp::parse(src.as_ref(), options.day_order, sink)?,
        Located::Telegram(src) => telegram::parse(src.as_ref(), sink)?,
        Located::Discord(src) => discord::parse(src.as_ref(), sink)?,
        Located::Slack(root) => slack::parse(&root, sink)?,
    };
    non_empty(summary, path.display().to_string())
}

/// Reads an export held in memory; `format` must be given (Slack, a folder or a zip of
/// many files, cannot be read this way).
pub fn read_bytes(
    name: &str,
    bytes: &[u8],
    format: Format,
    options: &Options,
    sink: &mut dyn FnMut(&MessageRef<'_>),
) -> Result<Summary, ChatError> {
    let src = Bytes::new(name, bytes);
    let summary = match format {
        Format::WhatsApp => whatsapp::parse(&src, options.day_order, sink)?,
        Format::Telegram => telegram::parse(&src, sink)?,
        Format::Discord => discord::parse(&src, sink)?,
        Format::Slack => {
            return Err(ChatError::UnknownFormat {
                place: name.to_owned(),
                why: "a Slack export is a folder or a zip of many files, not one stream".to_owned(),
            });
        }
    };
    non_empty(summary, name.to_owned())
}

/// Counts what the export at `path` holds. A large WhatsApp file is counted in two
/// halves on two threads (`whatsapp/split.rs`); everything else in one pass.
pub fn stats(path: &Path, options: &Options) -> Result<Stats, ChatError> {
    let located = detect::locate(path, options.format)?;
    if let Located::WhatsApp(src) = &located
        && let Some(file) = src.file_path()
        && let Some(stats) = whatsapp::split::stats(file, src.as_ref(), options.day_order)?
    {
        return Ok(stats);
    }
    let mut builder = None;
    let summary = read_located(located, path, options, &mut |m| {
        builder
            .get_or_insert_with(|| StatsBuilder::new(m.format))
            .add(m)
    })?;
    Ok(finish(builder, summary))
}

/// [`stats`] for an export held in memory.
pub fn stats_bytes(
    name: &str,
    bytes: &[u8],
    format: Format,
    options: &Options,
) -> Result<Stats, ChatError> {
    let mut builder = StatsBuilder::new(format);
    let summary = read_bytes(name, bytes, format, options, &mut |m| builder.add(m))?;
    Ok(finish(Some(builder), summary))
}

fn finish(builder: Option<StatsBuilder>, summary: Summary) -> Stats {
    builder
        .unwrap_or_else(|| StatsBuilder::new(summary.format))
        .finish(summary.day_first, summary.warnings)
}

fn non_empty(summary: Summary, place: String) -> Result<Summary, ChatError> {
    if summary.messages == 0 {
        return Err(ChatError::Empty { place });
    }
    Ok(summary)
}
