//! One message as every parser hands it out. Parsers lend a [`MessageRef`] that borrows
//! their reusable buffers (no allocation per message on the hot path); a caller that wants
//! to keep it turns it into an owned [`Message`].

use crate::time::Time;
use std::fmt;

/// Which app wrote the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    WhatsApp,
    Telegram,
    Discord,
    Slack,
}

impl Format {
    /// The lower-case name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Format::WhatsApp => "whatsapp",
            Format::Telegram => "telegram",
            Format::Discord => "discord",
            Format::Slack => "slack",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a message is, for counting and for what later analysis may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Something a person wrote.
    Message,
    /// A notice from the app with no author (joins, group created, encryption notice, a
    /// Telegram service message, a Slack `channel_join`, a Discord `GuildMemberJoin`).
    System,
    /// A person sent a photo, video, file, sticker...; `text` holds the caption if any,
    /// or the export's placeholder (`<Media omitted>`).
    Media,
    /// A deleted or view-once message: the author is known, the content is not.
    Deleted,
}

/// Who wrote a message: the display name the export shows and the platform's id for the
/// person when the export has one (Telegram `from_id`, Discord and Slack user ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthorRef<'a> {
    pub name: &'a str,
    pub id: Option<&'a str>,
}

/// A message lent by a parser for the duration of one callback.
#[derive(Debug, Clone, Copy)]
pub struct MessageRef<'a> {
    pub format: Format,
    /// The chat or channel name when the export names it.
    pub chat: Option<&'a str>,
    /// The message id when the export has one.
    pub id: Option<&'a str>,
    /// `None` for system messages.
    pub author: Option<AuthorRef<'a>>,
    /// `None` only when the export gives no usable time for this message.
    pub time: Option<Time>,
    /// The text with its newlines (`\n`), markers such as `<This message was edited>`
    /// removed.
    pub text: &'a str,
    pub kind: Kind,
    /// The text spans more than one line.
    pub multiline: bool,
    /// The export marks the message as edited.
    pub edited: bool,
    /// A poll (WhatsApp `POLL:` block, Telegram `poll`).
    pub poll: bool,
    /// The id of the message this one replies to, where the export has one.
    pub reply_to: Option<&'a str>,
}

/// An owned message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub format: Format,
    pub chat: Option<String>,
    pub id: Option<String>,
    pub author: Option<Author>,
    pub time: Option<Time>,
    pub text: String,
    pub kind: Kind,
    pub multiline: bool,
    pub edited: bool,
    pub poll: bool,
    pub reply_to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub name: String,
    pub id: Option<String>,
}

impl From<&MessageRef<'_>> for Message {
    fn from(m: &MessageRef<'_>) -> Message {
        Message {
            format: m.format,
            chat: m.chat.map(str::to_owned),
            id: m.id.map(str::to_owned),
            author: m.author.map(|a| Author {
                name: a.name.to_owned(),
                id: a.id.map(str::to_owned),
            }),
            time: m.time,
            text: m.text.to_owned(),
            kind: m.kind,
            multiline: m.multiline,
            edited: m.edited,
            poll: m.poll,
            reply_to: m.reply_to.map(str::to_owned),
        }
    }
}
