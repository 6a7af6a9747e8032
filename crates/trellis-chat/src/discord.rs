//! DiscordChatExporter JSON: `{guild, channel, dateRange, exportedAt, messages, messageCount}`,
//! one channel per file (chat-exports.md §3, from DCE's `JsonMessageWriter.cs`). Streamed
//! like Telegram's export: one message at a time through reusable buffers.
//!
//! `type` is DCE's `MessageKind` name, or the Discord type number as digits when DCE has no
//! name for it. Named system kinds and numbers other than the user-content ones (19 reply,
//! 20 slash-command reply, 23 context-menu reply) are system messages; timestamps carry
//! the exporting machine's offset, which we keep.

use crate::Summary;
use crate::error::ChatError;
use crate::json::{self, Count, Each, FromKey, Key, StrInto};
use crate::message::{AuthorRef, Format, Kind, MessageRef};
use crate::source::Source;
use crate::time::{Time, parse_iso};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use std::fmt;

pub(crate) fn parse(
    source: &dyn Source,
    sink: &mut dyn FnMut(&MessageRef<'_>),
) -> Result<Summary, ChatError> {
    let place = source.place();
    let mut ctx = Ctx {
        sink,
        channel: String::new(),
        found: false,
        emitted: 0,
        bad_times: 0,
        m: Buffers::default(),
    };
    source.read_with(&mut |reader| json::run(place, reader, Root { ctx: &mut ctx }))?;
    if !ctx.found {
        return Err(ChatError::Shape {
            place: place.to_owned(),
            format: "DiscordChatExporter",
            why: "the JSON has no `messages` array".to_owned(),
        });
    }
    let mut warnings = Vec::new();
    if ctx.bad_times > 0 {
        warnings.push(format!(
            "{} message(s) have no readable timestamp",
            ctx.bad_times
        ));
    }
    Ok(Summary {
        format: Format::Discord,
        messages: ctx.emitted,
        day_first: None,
        warnings,
    })
}

struct Ctx<'s> {
    sink: &'s mut dyn FnMut(&MessageRef<'_>),
    channel: String,
    found: bool,
    emitted: u64,
    bad_times: u64,
    m: Buffers,
}

#[derive(Default)]
struct Buffers {
    id: String,
    kind: String,
    time: Option<Time>,
    edited: bool,
    content: String,
    author_id: String,
    author_name: String,
    nickname: String,
    has_author: bool,
    media: u64,
    reply_to: String,
}

impl Buffers {
    fn clear(&mut self) {
        self.id.clear();
        self.kind.clear();
        self.time = None;
        self.edited = false;
        self.content.clear();
        self.author_id.clear();
        self.author_name.clear();
        self.nickname.clear();
        self.has_author = false;
        self.media = 0;
        self.reply_to.clear();
    }
}

/// Reads `{ "name": ... }` (and `id`) objects: `channel`, `author`, `reference`.
struct Named<'b> {
    id: Option<&'b mut String>,
    name: Option<&'b mut String>,
    nickname: Option<&'b mut String>,
}

enum NamedKey {
    Id,
    Name,
    Nickname,
    Other,
}

impl FromKey for NamedKey {
    fn from_key(key: &str) -> Self {
        match key {
            "id" | "messageId" => NamedKey::Id,
            "name" => NamedKey::Name,
            "nickname" => NamedKey::Nickname,
            _ => NamedKey::Other,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Named<'_> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Named<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<bool, A::Error> {
        while let Some(key) = map.next_key_seed(Key::<NamedKey>::seed())? {
            let target = match key {
                NamedKey::Id => self.id.as_deref_mut(),
                NamedKey::Name => self.name.as_deref_mut(),
                NamedKey::Nickname => self.nickname.as_deref_mut(),
                NamedKey::Other => None,
            };
            match target {
                Some(buf) => {
                    map.next_value_seed(StrInto(buf))?;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(true)
    }
}

struct Root<'c, 's> {
    ctx: &'c mut Ctx<'s>,
}

enum RootKey {
    Channel,
    Messages,
    Other,
}

impl FromKey for RootKey {
    fn from_key(key: &str) -> Self {
        match key {
            "channel" => RootKey::Channel,
            "messages" => RootKey::Messages,
            _ => RootKey::Other,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Root<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Root<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a DiscordChatExporter object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        while let Some(key) = map.next_key_seed(Key::<RootKey>::seed())? {
            match key {
                RootKey::Channel => {
                    ctx.channel.clear();
                    map.next_value_seed(Named {
                        id: None,
                        name: Some(&mut ctx.channel),
                        nickname: None,
                    })?;
                }
                RootKey::Messages => {
                    ctx.found = true;
                    map.next_value_seed(Each(&mut Msgs(&mut *ctx)))?;
                }
                RootKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct Msgs<'c, 's>(&'c mut Ctx<'s>);

impl<'s> json::Elements for Msgs<'_, 's> {
    type Seed<'a>
        = Msg<'a, 's>
    where
        Self: 'a;
    fn element(&mut self) -> Msg<'_, 's> {
        Msg { ctx: &mut *self.0 }
    }
}

struct Msg<'c, 's> {
    ctx: &'c mut Ctx<'s>,
}

enum MsgKey {
    Id,
    Type,
    Timestamp,
    Edited,
    Content,
    Author,
    Media,
    Reference,
    Other,
}

impl FromKey for MsgKey {
    fn from_key(key: &str) -> Self {
        match key {
            "id" => MsgKey::Id,
            "type" => MsgKey::Type,
            "timestamp" => MsgKey::Timestamp,
            "timestampEdited" => MsgKey::Edited,
            "content" => MsgKey::Content,
            "author" => MsgKey::Author,
            "attachments" | "stickers" => MsgKey::Media,
            "reference" => MsgKey::Reference,
            _ => MsgKey::Other,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Msg<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Msg<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        let m = &mut ctx.m;
        m.clear();
        let mut stamp = String::new();
        while let Some(key) = map.next_key_seed(Key::<MsgKey>::seed())? {
            match key {
                MsgKey::Id => {
                    map.next_value_seed(StrInto(&mut m.id))?;
                }
                MsgKey::Type => {
                    map.next_value_seed(StrInto(&mut m.kind))?;
                }
                MsgKey::Timestamp => {
                    stamp.clear();
                    map.next_value_seed(StrInto(&mut stamp))?;
                    m.time = parse_iso(&stamp).map(|(local, offset)| Time { local, offset });
                }
                MsgKey::Edited => {
                    let mut s = String::new();
                    m.edited = map.next_value_seed(StrInto(&mut s))?;
                }
                MsgKey::Content => {
                    map.next_value_seed(StrInto(&mut m.content))?;
                }
                MsgKey::Author => {
                    m.has_author = map.next_value_seed(Named {
                        id: Some(&mut m.author_id),
                        name: Some(&mut m.author_name),
                        nickname: Some(&mut m.nickname),
                    })?;
                }
                MsgKey::Media => m.media += map.next_value_seed(Count)?,
                MsgKey::Reference => {
                    map.next_value_seed(Named {
                        id: Some(&mut m.reply_to),
                        name: None,
                        nickname: None,
                    })?;
                }
                MsgKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        ctx.emit();
        Ok(())
    }
}

/// DCE's named system notifications (`MessageKind.IsSystemNotification`).
const SYSTEM_KINDS: &[&str] = &[
    "RecipientAdd",
    "RecipientRemove",
    "Call",
    "ChannelNameChange",
    "ChannelIconChange",
    "ChannelPinnedMessage",
    "GuildMemberJoin",
    "ThreadCreated",
];

/// Discord type numbers that are a person's content even though DCE has no name for them.
const USER_NUMBERS: &[&str] = &["0", "19", "20", "23"];

fn is_system(kind: &str) -> bool {
    if SYSTEM_KINDS.contains(&kind) {
        return true;
    }
    !kind.is_empty() && kind.bytes().all(|b| b.is_ascii_digit()) && !USER_NUMBERS.contains(&kind)
}

impl Ctx<'_> {
    fn emit(&mut self) {
        let m = &self.m;
        if m.time.is_none() {
            self.bad_times += 1;
        }
        let system = is_system(&m.kind) || !m.has_author;
        let name = if m.nickname.is_empty() {
            &m.author_name
        } else {
            &m.nickname
        };
        let author = (!system).then_some(AuthorRef {
            name,
            id: (!m.author_id.is_empty()).then_some(m.author_id.as_str()),
        });
        let kind = match (system, m.media > 0) {
            (true, _) => Kind::System,
            (false, true) => Kind::Media,
            (false, false) => Kind::Message,
        };
        (self.sink)(&MessageRef {
            format: Format::Discord,
            chat: (!self.channel.is_empty()).then_some(self.channel.as_str()),
            id: (!m.id.is_empty()).then_some(m.id.as_str()),
            author,
            time: m.time,
            text: &m.content,
            kind,
            multiline: m.content.contains('\n'),
            edited: m.edited,
            poll: false,
            reply_to: (!m.reply_to.is_empty()).then_some(m.reply_to.as_str()),
        });
        self.emitted += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Message;
    use crate::source::Bytes;

    #[test]
    fn a_dce_channel() {
        let doc = r#"{
  "guild": {"id": "1", "name": "Tinkerers", "iconUrl": "x"},
  "channel": {"id": "2", "type": "GuildTextChat", "categoryId": "3", "category": "Text", "name": "general", "topic": null},
  "dateRange": {"after": null, "before": null},
  "exportedAt": "2024-05-01T10:00:00+02:00",
  "messages": [
    {"id": "10", "type": "GuildMemberJoin", "timestamp": "2022-05-26T23:19:27.384-04:00", "timestampEdited": null,
     "callEndedTimestamp": null, "isPinned": false, "content": "Joined the server.",
     "author": {"id": "77", "name": "ana", "discriminator": "0000", "nickname": "Ana", "color": null, "isBot": false, "roles": [], "avatarUrl": "u"},
     "attachments": [], "embeds": [], "stickers": [], "reactions": [], "mentions": []},
    {"id": "11", "type": "Default", "timestamp": "2022-05-26T23:20:00-04:00", "timestampEdited": "2022-05-26T23:21:00-04:00",
     "content": "hello\nall", "author": {"id": "77", "name": "ana", "nickname": "Ana"},
     "attachments": [{"id": "5", "url": "u", "fileName": "a.png", "fileSizeBytes": 3}], "embeds": [], "stickers": []},
    {"id": "12", "type": "Reply", "timestamp": "2022-05-27T03:21:00+00:00", "timestampEdited": null,
     "content": "hi", "author": {"id": "78", "name": "bo", "nickname": ""},
     "attachments": [], "reference": {"messageId": "11", "channelId": "2", "guildId": "1"}},
    {"id": "13", "type": "8", "timestamp": "2022-05-27T03:22:00+00:00", "content": "", "author": {"id": "79", "name": "cy"}}
  ],
  "messageCount": 4
}"#;
        let src = Bytes::new("general.json", doc.as_bytes());
        let mut m = Vec::new();
        let o = parse(&src, &mut |x| m.push(Message::from(x))).unwrap();
        assert_eq!(o.messages, 4);
        let kinds: Vec<_> = m.iter().map(|m| m.kind).collect();
        assert_eq!(
            kinds,
            [Kind::System, Kind::Media, Kind::Message, Kind::System]
        );
        assert_eq!(m[1].author.as_ref().unwrap().name, "Ana", "the nickname");
        assert_eq!(
            m[2].author.as_ref().unwrap().name,
            "bo",
            "no nickname: the name"
        );
        assert_eq!(m[2].reply_to.as_deref(), Some("11"));
        assert!(m[1].edited && !m[2].edited);
        assert!(m[1].multiline);
        assert_eq!(
            m[0].time.unwrap().to_string(),
            "2022-05-26T23:19:27.384-04:00"
        );
        assert_eq!(m[0].chat.as_deref(), Some("general"));
    }
}
