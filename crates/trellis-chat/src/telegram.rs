//! Telegram Desktop JSON (`result.json`): a single chat `{name, type, id, messages}` or a
//! full-account export whose chats sit in `chats.list` and `left_chats.list`, each of the
//! single-chat shape. Field meanings: chat-exports.md §2, from tdesktop's
//! `export_output_json.cpp`.
//!
//! Streaming: a [`Scanner`] walks the document's structure (the top-level object, the
//! chat lists) and each element of a `messages` array is deserialized by serde from a
//! borrowed slice of its buffer ([`Msg`]), handed to the sink and forgotten. Memory is
//! the scanner's buffer, whatever the file's size. (serde_json's `io::Read` path with a
//! `DeserializeSeed` over the array, which Discord's parser uses, was more than twice as
//! slow here.)
//!
//! Times: `date_unixtime` (since 2022) is the instant; `date` is the exporting computer's
//! wall clock. With both, their difference is that computer's UTC offset at the time, so
//! we keep the instant *and* the local reading. Old exports have only `date`: a local time
//! without offset, and a warning says so.

use crate::Summary;
use crate::error::ChatError;
use crate::json::scan::{Handler, Scanner};
use crate::message::{AuthorRef, Format, Kind, MessageRef};
use crate::source::Source;
use crate::time::{Time, parse_iso};
use crate::warn::Tally;
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// Telegram shows a deleted account as this; the export writes `"from": null`.
pub const DELETED_ACCOUNT: &str = "Deleted Account";

pub(crate) fn parse(
    source: &dyn Source,
    sink: &mut dyn FnMut(&MessageRef<'_>),
) -> Result<Summary, ChatError> {
    let place = source.place();
    let mut emit = Emit {
        sink,
        chat: String::new(),
        emitted: 0,
        local_only: Tally::default(),
        unsupported: Tally::default(),
    };
    let mut found = false;
    source.read_with(&mut |reader| {
        let mut sc = Scanner::new(place, reader);
        let mut walk = Walk {
            sc: &mut sc,
            key: String::new(),
            found: &mut found,
            emit: &mut emit,
        };
        walk.chat(true)?;
        if let Some(b) = walk.sc.peek()? {
            return Err(walk.sc.error(format!(
                "unexpected `{}` after the end of the export",
                b as char
            )));
        }
        Ok(())
    })?;
    if !found {
        return Err(ChatError::Shape {
            place: place.to_owned(),
            format: "Telegram Desktop",
            why: "the JSON has no `messages` array and no `chats.list`".to_owned(),
        });
    }
    let mut warnings = Vec::new();
    if let Some(first) = emit.local_only.first {
        warnings.push(format!(
            "{} message(s) have no date_unixtime (an export from before 2022): their times are the exporting computer's local time, without offset (first: message {first})",
            emit.local_only.count
        ));
    }
    if let Some(first) = emit.unsupported.first {
        warnings.push(format!(
            "{} message(s) are of a type this Telegram export could not write (\"unsupported\"); counted as system (first: message {first})",
            emit.unsupported.count
        ));
    }
    Ok(Summary {
        format: Format::Telegram,
        messages: emit.emitted,
        day_first: None,
        warnings,
    })
}

/// The walk over the document's structure.
struct Walk<'w, 'r, 's> {
    sc: &'w mut Scanner<'r>,
    key: String,
    found: &'w mut bool,
    emit: &'w mut Emit<'s>,
}

impl Walk<'_, '_, '_> {
    /// A chat object, or the top-level object (which may also hold the chat lists).
    fn chat(&mut self, top: bool) -> Result<(), ChatError> {
        self.sc.expect(b'{', "a JSON object")?;
        self.emit.chat.clear();
        if self.sc.empty(b'}')? {
            return Ok(());
        }
        loop {
            self.sc.key(&mut self.key)?;
            match self.key.as_str() {
                "name" if self.sc.peek()? == Some(b'"') => self.sc.string(&mut self.emit.chat)?,
                "messages" => self.messages()?,
                "chats" | "left_chats" if top => self.section()?,
                _ => self.sc.skip()?,
            }
            if !self.sc.more(b'}')? {
                return Ok(());
            }
        }
    }

    /// `{"about": ..., "list": [chat, ...]}`
    fn section(&mut self) -> Result<(), ChatError> {
        self.sc.expect(b'{', "an object with a `list` of chats")?;
        if self.sc.empty(b'}')? {
            return Ok(());
        }
        loop {
            self.sc.key(&mut self.key)?;
            if self.key == "list" {
                self.sc.expect(b'[', "`[` (the list of chats)")?;
                if !self.sc.empty(b']')? {
                    loop {
                        self.chat(false)?;
                        if !self.sc.more(b']')? {
                            break;
                        }
                    }
                }
            } else {
                self.sc.skip()?;
            }
            if !self.sc.more(b'}')? {
                return Ok(());
            }
        }
    }

    fn messages(&mut self) -> Result<(), ChatError> {
        *self.found = true;
        self.sc.expect(b'[', "`[` (the messages array)")?;
        if self.sc.empty(b']')? {
            return Ok(());
        }
        loop {
            self.sc.value(&mut *self.emit)?;
            if !self.sc.more(b']')? {
                return Ok(());
            }
        }
    }
}

/// Turns each [`Msg`] into a [`MessageRef`] for the sink.
struct Emit<'s> {
    sink: &'s mut dyn FnMut(&MessageRef<'_>),
    /// The name of the chat being read.
    chat: String,
    emitted: u64,
    local_only: Tally,
    unsupported: Tally,
}

/// One element of `messages`, its strings borrowed from the scanner's buffer where they
/// hold no escapes. Every field is optional: tdesktop omits empty values.
#[derive(Default)]
struct Msg<'a> {
    id: Option<Str<'a>>,
    kind: Option<Str<'a>>,
    date: Option<Str<'a>>,
    date_unixtime: Option<Str<'a>>,
    from: Option<Str<'a>>,
    from_id: Option<Str<'a>>,
    text: Option<Text<'a>>,
    text_entities: Option<Text<'a>>,
    reply_to_message_id: Option<Str<'a>>,
    action: Option<Str<'a>>,
    edited: bool,
    media: bool,
    poll: bool,
}

/// The keys of a message object, matched without allocating.
enum Field {
    Id,
    Type,
    Date,
    DateUnixtime,
    From,
    FromId,
    Text,
    TextEntities,
    ReplyTo,
    Action,
    Edited,
    Media,
    Poll,
    Other,
}

impl Field {
    fn of(key: &[u8]) -> Field {
        match key {
            b"id" => Field::Id,
            b"type" => Field::Type,
            b"date" => Field::Date,
            b"date_unixtime" => Field::DateUnixtime,
            b"from" => Field::From,
            b"from_id" => Field::FromId,
            b"text" => Field::Text,
            b"text_entities" => Field::TextEntities,
            b"reply_to_message_id" => Field::ReplyTo,
            b"action" => Field::Action,
            b"edited" | b"edited_unixtime" => Field::Edited,
            b"photo"
            | b"file"
            | b"media_type"
            | b"sticker_emoji"
            | b"contact_information"
            | b"location_information"
            | b"place_name"
            | b"game_title"
            | b"invoice_information" => Field::Media,
            b"poll" => Field::Poll,
            _ => Field::Other,
        }
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_identifier(FieldVisitor)
    }
}

struct FieldVisitor;

impl<'de> Visitor<'de> for FieldVisitor {
    type Value = Field;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Field, E> {
        Ok(Field::of(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
        Ok(Field::of(v.as_bytes()))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Msg<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(MsgVisitor)
    }
}

struct MsgVisitor;

impl<'de> Visitor<'de> for MsgVisitor {
    type Value = Msg<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Msg<'de>, A::Error> {
        let mut m = Msg::default();
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Id => m.id = map.next_value()?,
                Field::Type => m.kind = map.next_value()?,
                Field::Date => m.date = map.next_value()?,
                Field::DateUnixtime => m.date_unixtime = map.next_value()?,
                Field::From => m.from = map.next_value()?,
                Field::FromId => m.from_id = map.next_value()?,
                Field::Text => m.text = map.next_value()?,
                // The same parts as `text`, each wrapped in an object (tdesktop writes both
                // from one list): read only when `text` is missing. Skipping it is a third
                // of the parse time of a modern export.
                Field::TextEntities if m.text.is_some() => {
                    map.next_value::<IgnoredAny>()?;
                }
                Field::TextEntities => m.text_entities = map.next_value()?,
                Field::ReplyTo => m.reply_to_message_id = map.next_value()?,
                Field::Action => m.action = map.next_value()?,
                Field::Edited | Field::Media | Field::Poll | Field::Other => {
                    // Present and not null is what counts for these.
                    let present = map.next_value::<Option<IgnoredAny>>()?.is_some();
                    match field {
                        Field::Edited => m.edited |= present,
                        Field::Media => m.media |= present,
                        Field::Poll => m.poll |= present,
                        _ => {}
                    }
                }
            }
        }
        Ok(m)
    }
}

impl Handler for Emit<'_> {
    type Value<'de> = Msg<'de>;

    fn handle(&mut self, m: Msg<'_>) {
        let index = self.emitted + 1;
        let unix = m
            .date_unixtime
            .as_ref()
            .and_then(|s| s.0.trim().parse::<i64>().ok());
        let date = m.date.as_ref().and_then(|s| parse_iso(&s.0));
        let time = match (unix, date) {
            // tdesktop writes no offset, but a file rewritten by another tool may carry
            // one (`…Z`, `+02:00`): then the date says its zone itself.
            (Some(unix), Some((_, Some(offset)))) => Time::at_offset(unix, 0, offset),
            (None, Some((local, Some(offset)))) => local
                .unix_seconds()
                .checked_sub(i64::from(offset))
                .and_then(|unix| Time::at_offset(unix, local.nanos, offset)),
            (Some(unix), Some((local, None))) => local
                .unix_seconds()
                .checked_sub(unix)
                .and_then(|o| i32::try_from(o).ok())
                .and_then(|o| Time::at_offset(unix, 0, o))
                .or_else(|| Time::at_offset(unix, 0, 0)),
            (Some(unix), None) => Time::at_offset(unix, 0, 0),
            (None, Some((local, None))) => {
                self.local_only.note(index);
                Some(Time::local(local))
            }
            (None, None) => None,
        };
        let text = m
            .text_entities
            .as_ref()
            .or(m.text.as_ref())
            .map_or("", |t| t.0.as_ref());
        let kind = m.kind.as_ref().map_or("", |k| k.0.as_ref());
        let (author, kind, text) = if kind == "message" {
            let author = AuthorRef {
                name: m.from.as_ref().map_or(DELETED_ACCOUNT, |f| f.0.as_ref()),
                id: m
                    .from_id
                    .as_ref()
                    .map(|f| f.0.as_ref())
                    .filter(|f| !f.is_empty()),
            };
            let kind = if m.media { Kind::Media } else { Kind::Message };
            (Some(author), kind, text)
        } else {
            if kind != "service" {
                self.unsupported.note(index);
            }
            // A service message's text is usually empty; its action says what happened.
            let text = match (text, &m.action) {
                ("", Some(a)) => a.0.as_ref(),
                _ => text,
            };
            (None, Kind::System, text)
        };
        (self.sink)(&MessageRef {
            format: Format::Telegram,
            chat: (!self.chat.is_empty()).then_some(self.chat.as_str()),
            id: m.id.as_ref().map(|i| i.0.as_ref()),
            author,
            time,
            text,
            kind,
            multiline: text.contains('\n'),
            edited: m.edited,
            poll: m.poll,
            reply_to: m.reply_to_message_id.as_ref().map(|r| r.0.as_ref()),
        });
        self.emitted += 1;
    }
}

/// A string borrowed when it has no escapes; numbers are accepted as their digits (old
/// exports write `from_id` and ids as numbers, new ones `"user123"`).
struct Str<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrVisitor)
    }
}

struct StrVisitor;

impl<'de> Visitor<'de> for StrVisitor {
    type Value = Str<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'de>, E> {
        Ok(Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'de>, E> {
        Ok(Str(Cow::Owned(v.to_owned())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Str<'de>, E> {
        Ok(Str(Cow::Owned(v.to_string())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Str<'de>, E> {
        Ok(Str(Cow::Owned(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Str<'de>, E> {
        Ok(Str(Cow::Owned(v.to_string())))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Str<'de>, E> {
        Ok(Str(Cow::Owned(v.to_string())))
    }
}

/// `text`: a string, or an array of strings and `{"type", "text", ...}` entities joined
/// with nothing between the parts (chat-miner's spaces are spurious).
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a text: a string, or an array of strings and entities")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(v.to_owned())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Text<'de>, A::Error> {
        let mut joined = String::new();
        while let Some(part) = seq.next_element::<Part<'de>>()? {
            joined.push_str(&part.0);
        }
        Ok(Text(Cow::Owned(joined)))
    }
}

/// One part of a text array: a plain string or an entity object's `text`.
struct Part<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Part<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PartVisitor)
    }
}

struct PartVisitor;

impl<'de> Visitor<'de> for PartVisitor {
    type Value = Part<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or an entity object")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Part<'de>, E> {
        Ok(Part(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Part<'de>, E> {
        Ok(Part(Cow::Owned(v.to_owned())))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Part<'de>, A::Error> {
        let mut text = Cow::Borrowed("");
        while let Some(key) = map.next_key::<Field>()? {
            if matches!(key, Field::Text) {
                text = map.next_value::<Text<'de>>()?.0;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(Part(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Message;
    use crate::source::Bytes;

    fn parse_str(doc: &str) -> Result<(Vec<Message>, crate::Summary), ChatError> {
        let src = Bytes::new("result.json", doc.as_bytes());
        let mut out = Vec::new();
        let o = parse(&src, &mut |m| out.push(Message::from(m)))?;
        Ok((out, o))
    }

    /// Issue 19, point 8: a `date` ending in `Z` (or with an offset) keeps it, with or
    /// without `date_unixtime`, and is not warned about as local time.
    #[test]
    fn dates_with_their_own_offset_keep_it() {
        let (m, o) = parse_str(
            r#"{"name":"T","type":"private_group","id":1,"messages":[
              {"id":1,"type":"message","date":"2024-01-15T10:50:00Z","from":"Ana","text":"a"},
              {"id":2,"type":"message","date":"2024-01-15T12:50:00+02:00","from":"Bo","text":"b"},
              {"id":3,"type":"message","date":"2024-01-15T10:52:00Z","date_unixtime":"1705315920","from":"Ana","text":"c"}
            ]}"#,
        )
        .unwrap();
        assert!(o.warnings.is_empty(), "{:?}", o.warnings);
        let times: Vec<String> = m.iter().map(|m| m.time.unwrap().to_string()).collect();
        assert_eq!(
            times,
            [
                "2024-01-15T10:50:00+00:00",
                "2024-01-15T12:50:00+02:00",
                "2024-01-15T10:52:00+00:00"
            ]
        );
    }

    #[test]
    fn modern_message_keeps_the_exporters_offset() {
        let (m, o) = parse_str(
            r#"{"name":"Tinkerers","type":"private_supergroup","id":1,"messages":[
              {"id":7,"type":"message","date":"2024-01-15T11:50:00","date_unixtime":"1705315800",
               "from":"Ana","from_id":"user42","text":["Hi ",{"type":"bold","text":"all"}],
               "text_entities":[{"type":"plain","text":"Hi "},{"type":"bold","text":"all"}],
               "reply_to_message_id":5,"edited":"2024-01-15T11:51:00","reactions":[{"type":"emoji","count":2}]},
              {"id":8,"type":"service","date":"2024-01-15T11:52:00","date_unixtime":"1705315920",
               "actor":"Ana","actor_id":"user42","action":"pin_message","message_id":7,"text":""},
              {"id":9,"type":"message","date":"2024-01-15T11:53:00","date_unixtime":"1705315980",
               "from":null,"from_id":"user7","photo":"(File not included. Change data exporting settings to download.)","text":"ctrl\x01"}
            ]}"#,
        )
        .unwrap();
        assert!(o.warnings.is_empty(), "{:?}", o.warnings);
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].chat.as_deref(), Some("Tinkerers"));
        assert_eq!(m[0].text, "Hi all");
        assert_eq!(m[0].time.unwrap().to_string(), "2024-01-15T11:50:00+01:00");
        assert_eq!(m[0].author.as_ref().unwrap().id.as_deref(), Some("user42"));
        assert_eq!(m[0].reply_to.as_deref(), Some("5"));
        assert!(m[0].edited);
        assert_eq!((m[1].kind, m[1].author.is_none()), (Kind::System, true));
        assert_eq!(m[1].text, "pin_message");
        assert_eq!(m[2].author.as_ref().unwrap().name, DELETED_ACCOUNT);
        assert_eq!(m[2].kind, Kind::Media);
        assert_eq!(m[2].text, "ctrl\u{1}", "tdesktop's \\xNN escape");
    }

    #[test]
    fn full_account_export_reads_every_chat() {
        let (m, _) = parse_str(
            r#"{"about":"Here is the data you requested.","personal_information":{"user_id":1},
               "chats":{"about":"x","list":[
                 {"name":"A","type":"personal_chat","id":2,"messages":[{"id":1,"type":"message","date":"2020-01-01T00:00:00","from":"X","from_id":2,"text":"a"}]},
                 {"name":"B","type":"private_group","id":3,"messages":[{"id":1,"type":"message","date":"2020-01-02T00:00:00","from":"Y","from_id":3,"text":"b"}]}]},
               "left_chats":{"about":"y","list":[
                 {"name":"C","type":"private_supergroup","id":4,"messages":[{"id":1,"type":"unsupported"}]}]}}"#,
        )
        .unwrap();
        let chats: Vec<_> = m.iter().map(|m| m.chat.clone().unwrap()).collect();
        assert_eq!(chats, ["A", "B", "C"]);
        assert_eq!(m[0].author.as_ref().unwrap().id.as_deref(), Some("2"));
        assert_eq!(m[2].kind, Kind::System);
    }

    #[test]
    fn absurd_times_leave_a_message_without_time() {
        let (m, _) = parse_str(
            r#"{"messages":[{"id":1,"type":"message","date":"2024-01-15T11:50:00",
               "date_unixtime":"-9223372036854775808","from":"a","text":"x"}]}"#,
        )
        .unwrap();
        assert_eq!(m[0].time, None);
    }

    #[test]
    fn json_that_is_not_telegram() {
        let err = parse_str(r#"{"hello": [1, 2]}"#).unwrap_err().to_string();
        assert_eq!(
            err,
            "result.json: not a Telegram Desktop export: the JSON has no `messages` array and no `chats.list`"
        );
        let err = parse_str(r#"{"messages": 3}"#).unwrap_err().to_string();
        assert_eq!(
            err,
            "result.json: invalid JSON at byte offset 13: expected `[` (the messages array), found `3`"
        );
        let err = parse_str(r#"{"messages": [{"id": 1, "text": tru}]}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "result.json: invalid JSON at byte offset 35: expected ident"
        );
    }
}
