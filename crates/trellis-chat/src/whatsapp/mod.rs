//! WhatsApp "Export chat" text (`_chat.txt`, `WhatsApp Chat with X.txt`, or either inside
//! the exported `.zip`).
//!
//! Two passes over the text, each streaming with bounded memory:
//! 1. a survey of the header dates that stops at the first date part above 12 (in a real
//!    export within the first weeks of messages) and decides the day/month order for the
//!    whole file (`order.rs`); skipped when the caller forces the order;
//! 2. the parse proper: each header line starts a message, every other line continues
//!    the previous one (its newline kept), and the message is handed to the sink when the
//!    next header or the end of the file closes it.

pub mod header;
pub mod markers;
pub mod order;
pub(crate) mod split;
pub mod writer;

use crate::Summary;
use crate::error::ChatError;
use crate::lines::{Line, Lines};
use crate::message::{AuthorRef, Format, Kind, MessageRef};
use crate::source::Source;
use crate::time::{Civil, Time};
use crate::warn::Tally;
use header::{Frame, Header};
use order::{DayOrder, Evidence};

/// A message may span many lines, but no real one comes near this.
pub const MAX_MESSAGE: usize = 8 << 20;

/// Names longer than this, or with quotes, are a system line with a colon in it
/// (`X changed the subject from "Plans: Friday"`), not an author.
const MAX_AUTHOR: usize = 128;

const BOM: char = '\u{FEFF}';

/// Parses a WhatsApp export, handing each message to `sink`.
pub(crate) fn parse(
    source: &dyn Source,
    forced: Option<DayOrder>,
    sink: &mut dyn FnMut(&MessageRef<'_>),
) -> Result<Summary, ChatError> {
    let (order, order_warning) = decide(source, forced)?;
    let mut run = None;
    source.read_with(&mut |reader| {
        run = Some(read_part(reader, source.place(), order, sink)?);
        Ok(())
    })?;
    let (notes, emitted) = run.unwrap_or_default();
    summary(source.place(), order, order_warning, &notes, emitted)
}

/// The order to read dates in, and the warning when it was not certain.
pub(crate) fn decide(
    source: &dyn Source,
    forced: Option<DayOrder>,
) -> Result<(DayOrder, Option<String>), ChatError> {
    Ok(match forced {
        Some(order) => (order, None),
        None => {
            let decision = survey(source)?.decide();
            (decision.order, decision.warning)
        }
    })
}

/// Parses the messages of one stream (a whole file, or one part of it).
pub(crate) fn read_part(
    reader: &mut dyn std::io::Read,
    place: &str,
    order: DayOrder,
    sink: &mut dyn FnMut(&MessageRef<'_>),
) -> Result<(Notes, u64), ChatError> {
    let mut asm = Assembler::new(place, order, sink);
    let mut lines = Lines::new(reader);
    while let Some(line) = lines.next_line(place)? {
        asm.line(&line)?;
    }
    asm.flush();
    asm.notes.invalid_utf8 = lines.invalid;
    asm.notes.lines = lines.count();
    Ok((asm.notes, asm.emitted))
}

/// The summary of a whole file, or the error when no line of it was a message.
pub(crate) fn summary(
    place: &str,
    order: DayOrder,
    order_warning: Option<String>,
    notes: &Notes,
    emitted: u64,
) -> Result<Summary, ChatError> {
    if emitted == 0 && notes.skipped.count > 0 {
        return Err(ChatError::Shape {
            place: place.to_owned(),
            format: "WhatsApp",
            why: format!(
                "no line starts with a WhatsApp date and time (line 1: {:?})",
                notes.first_skipped
            ),
        });
    }
    let mut warnings = notes.warnings();
    warnings.extend(order_warning);
    Ok(Summary {
        format: Format::WhatsApp,
        messages: emitted,
        day_first: Some(order == DayOrder::DayFirst),
        warnings,
    })
}

/// The first pass: header dates only, until they settle the order.
fn survey(source: &dyn Source) -> Result<Evidence, ChatError> {
    let place = source.place();
    let mut evidence = Evidence::default();
    source.read_with(&mut |reader| {
        let mut lines = Lines::new(reader);
        while let Some(line) = lines.next_line(place)? {
            if let Some((h, _)) = header_of(body(&line).0) {
                evidence.observe(h.x, h.y, h.year);
                if evidence.settled() {
                    break;
                }
            }
        }
        Ok(())
    })?;
    Ok(evidence)
}

/// A line without the byte-order marks before it, and whether it had one that is not
/// the file's own (line 1). A file concatenated or edited by hand can carry a BOM at the
/// start of any line; left there, it hides the header behind it and the message is
/// folded into the one before.
fn body<'a>(line: &Line<'a>) -> (&'a str, bool) {
    // One byte compare for the common line; U+FEFF starts with 0xEF.
    if line.text.as_bytes().first() != Some(&0xEF) {
        return (line.text, false);
    }
    let text = line.text.trim_start_matches(BOM);
    let stray = (line.number > 1 && text.len() != line.text.len())
        || line.text.len() - text.len() > BOM.len_utf8();
    (text, stray)
}

/// The header that starts `text`, and the text after it, when `text` is a message's
/// first line. A header with no separator after the time ([`Frame::Bare`]) counts
/// only when an author follows: otherwise it is a line of text that starts with a date.
pub(crate) fn header_of(text: &str) -> Option<(Header, &str)> {
    let h = header::parse(text.as_bytes())?;
    let rest = text.get(h.rest..)?;
    if h.frame == Frame::Bare && !author_follows(rest) {
        return None;
    }
    Some((h, rest))
}

/// Whether `Author: ` starts `rest`. Out of line: bare headers are rare, and [`split`]
/// is then inlined only where every message needs it.
#[inline(never)]
fn author_follows(rest: &str) -> bool {
    matches!(
        split(rest.trim_start_matches(['\u{200E}', '\u{200F}'])),
        Split::Author(..)
    )
}

/// Builds messages from lines; holds the one message still open.
struct Assembler<'s> {
    place: &'s str,
    order: DayOrder,
    sink: &'s mut dyn FnMut(&MessageRef<'_>),
    open: bool,
    time: Option<Time>,
    has_author: bool,
    author: String,
    text: String,
    lines: u32,
    start_line: u64,
    kind: Kind,
    poll: bool,
    emitted: u64,
    notes: Notes,
}

/// What a parse noticed besides the messages: the makings of its warnings.
#[derive(Debug, Default)]
pub(crate) struct Notes {
    /// Header styles seen: bracket, dash, colon, bare.
    frames: [bool; 4],
    skipped: Tally,
    first_skipped: String,
    invalid_utf8: Tally,
    swapped: Tally,
    bad_dates: Tally,
    /// Headers with an hour above 12 and an AM/PM marker (`23:59 PM`).
    clock_clash: Tally,
    /// Lines after the first that began with a byte-order mark.
    stray_bom: Tally,
    /// Lines read.
    lines: u64,
}

/// How the part after the header splits.
enum Split<'a> {
    Author(&'a str, &'a str),
    /// `Name:.`: a view-once or deleted message (chat-miner drops these).
    ViewOnce(&'a str),
    System,
}

impl<'s> Assembler<'s> {
    fn new(
        place: &'s str,
        order: DayOrder,
        sink: &'s mut dyn FnMut(&MessageRef<'_>),
    ) -> Assembler<'s> {
        Assembler {
            place,
            order,
            sink,
            open: false,
            time: None,
            has_author: false,
            author: String::new(),
            text: String::new(),
            lines: 0,
            start_line: 0,
            kind: Kind::Message,
            poll: false,
            emitted: 0,
            notes: Notes::default(),
        }
    }

    fn line(&mut self, line: &Line<'_>) -> Result<(), ChatError> {
        let (text, stray) = body(line);
        if stray {
            self.notes.stray_bom.note(line.number);
        }
        if let Some((h, rest)) = header_of(text) {
            self.flush();
            self.start(&h, rest, line.number);
            return Ok(());
        }
        if !self.open {
            if self.notes.skipped.count == 0 {
                self.notes.first_skipped = text.chars().take(60).collect();
            }
            self.notes.skipped.note(line.number);
            return Ok(());
        }
        if self.text.len() + text.len() >= MAX_MESSAGE {
            return Err(ChatError::MessageTooLong {
                place: self.place.to_owned(),
                line: self.start_line,
                limit: MAX_MESSAGE,
            });
        }
        self.text.push('\n');
        self.text.push_str(text);
        self.lines += 1;
        Ok(())
    }

    fn start(&mut self, h: &Header, rest: &str, number: u64) {
        self.open = true;
        self.start_line = number;
        self.lines = 1;
        self.time = self.time_of(h, number);
        if h.clock_clash {
            self.notes.clock_clash.note(number);
        }
        self.notes.frames[match h.frame {
            Frame::Bracket => 0,
            Frame::Dash => 1,
            Frame::Colon => 2,
            Frame::Bare => 3,
        }] = true;
        let rest = rest.trim_start_matches(['\u{200E}', '\u{200F}']);
        self.author.clear();
        self.text.clear();
        self.poll = false;
        let (author, text, kind) = match split(rest) {
            Split::Author(a, t) => match clean_author(a) {
                a if a.is_empty() || markers::is_notice(t) => (None, rest, Kind::System),
                a => (Some(a), t, Kind::Message),
            },
            Split::ViewOnce(a) => match clean_author(a) {
                "" => (None, rest, Kind::System),
                a => (Some(a), ".", Kind::Deleted),
            },
            Split::System => (None, rest, Kind::System),
        };
        let text = text.trim_start_matches('\u{200E}');
        self.text.push_str(text);
        self.has_author = author.is_some();
        if let Some(a) = author {
            self.author.push_str(a);
        }
        self.kind = match kind {
            Kind::Message => markers::classify(text),
            k => k,
        };
        self.poll = self.has_author && text == "POLL:";
    }

    /// The message time under the file's order; a date that only fits the other order is
    /// read that way and counted, one that fits neither leaves the message without time.
    fn time_of(&mut self, h: &Header, line: u64) -> Option<Time> {
        let civil = |day: u16, month: u16| {
            let day = u8::try_from(day).ok()?;
            let month = u8::try_from(month).ok()?;
            Civil::new(h.year, month, day, h.hour, h.minute, h.second, 0)
        };
        let (day, month) = match self.order {
            DayOrder::DayFirst => (h.x, h.y),
            DayOrder::MonthFirst => (h.y, h.x),
        };
        if let Some(c) = civil(day, month) {
            return Some(Time::local(c));
        }
        if let Some(c) = civil(month, day) {
            self.notes.swapped.note(line);
            return Some(Time::local(c));
        }
        self.notes.bad_dates.note(line);
        None
    }

    /// Hands the open message to the sink.
    fn flush(&mut self) {
        if !self.open {
            return;
        }
        self.open = false;
        // Blank lines after a message are the file's, not the author's (a hand-edited
        // file's trailing newline); blank lines inside a message are kept.
        while self.lines > 1 && self.text.ends_with('\n') {
            self.text.pop();
            self.lines -= 1;
        }
        let edited = self.has_author && markers::strip_edited(&mut self.text);
        let author = self.has_author.then_some(AuthorRef {
            name: &self.author,
            id: None,
        });
        (self.sink)(&MessageRef {
            format: Format::WhatsApp,
            chat: None,
            id: None,
            author,
            time: self.time,
            text: &self.text,
            kind: self.kind,
            multiline: self.lines > 1,
            edited,
            poll: self.poll,
            reply_to: None,
        });
        self.emitted += 1;
    }
}

impl Notes {
    /// Adds what the part of the file after this one noticed; `lines_before` and
    /// `bytes_before` turn its line numbers and offsets into the whole file's.
    pub(crate) fn append(&mut self, later: Notes, bytes_before: u64) {
        let lines_before = self.lines;
        let shift = |mut t: Tally, by: u64| {
            t.first = t.first.map(|f| f + by);
            t
        };
        for (mine, theirs) in [
            (&mut self.skipped, shift(later.skipped, lines_before)),
            (
                &mut self.invalid_utf8,
                shift(later.invalid_utf8, bytes_before),
            ),
            (&mut self.swapped, shift(later.swapped, lines_before)),
            (&mut self.bad_dates, shift(later.bad_dates, lines_before)),
            (
                &mut self.clock_clash,
                shift(later.clock_clash, lines_before),
            ),
            (&mut self.stray_bom, shift(later.stray_bom, lines_before)),
        ] {
            mine.count += theirs.count;
            mine.first = mine.first.or(theirs.first);
        }
        if self.first_skipped.is_empty() {
            self.first_skipped = later.first_skipped;
        }
        for (mine, theirs) in self.frames.iter_mut().zip(later.frames) {
            *mine |= theirs;
        }
        self.lines += later.lines;
    }

    fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        if let Some(first) = self.skipped.first {
            w.push(format!(
                "{} line(s) before the first message header were skipped (first: line {first})",
                self.skipped.count
            ));
        }
        if let Some(first) = self.invalid_utf8.first {
            w.push(format!(
                "the file is not valid UTF-8 (first bad byte at offset {first}); such bytes were read as U+FFFD"
            ));
        }
        if let Some(first) = self.swapped.first {
            w.push(format!(
                "{} date(s) only fit the other day/month order and were read that way (first: line {first}): the file mixes date formats",
                self.swapped.count
            ));
        }
        if let Some(first) = self.bad_dates.first {
            w.push(format!(
                "{} message header(s) carry an impossible date; those messages have no time (first: line {first})",
                self.bad_dates.count
            ));
        }
        if let Some(first) = self.clock_clash.first {
            w.push(format!(
                "{} message header(s) carry an impossible 12-hour time such as 23:59 PM; read as 24-hour time (first: line {first})",
                self.clock_clash.count
            ));
        }
        if let Some(first) = self.stray_bom.first {
            w.push(format!(
                "{} line(s) start with a stray byte-order mark (U+FEFF), as a file edited or joined by hand has; it was ignored (first: line {first})",
                self.stray_bom.count
            ));
        }
        if self.frames.iter().filter(|f| **f).count() > 1 {
            let names: Vec<&str> = [
                "[date, time] (iOS)",
                "date, time - (Android)",
                "date time: (old iOS)",
                "date time Name: (no separator)",
            ]
            .iter()
            .zip(self.frames)
            .filter_map(|(n, seen)| seen.then_some(*n))
            .collect();
            w.push(format!(
                "the file mixes header styles ({}): it is not one phone's export",
                names.join(", ")
            ));
        }
        w
    }
}

/// Splits `Author: text` at the first `": "` (names rarely hold a colon; Pustur's lazy
/// regex does the same). A name with a quote in it (`"`, `“`, `”`) is not an author. No
/// such colon means a system line.
///
/// One `memchr3` finds the colons and the bytes that can start a quote (`"`, and 0xE2,
/// the lead byte of `“` and `”`) in order, so the name is never scanned a second time.
/// Inlined by force into [`Assembler::start`], its one hot caller: as a call it cost
/// 4.6M of 177M instructions on a 100k-message export (callgrind).
#[inline(always)]
fn split(rest: &str) -> Split<'_> {
    let b = rest.as_bytes();
    let mut quoted = false;
    let mut from = 0;
    while let Some(i) = memchr::memchr3(b':', b'"', 0xE2, &b[from..]) {
        let at = from + i;
        from = at + 1;
        match b[at] {
            b'"' => quoted = true,
            // `“` is E2 80 9C, `”` E2 80 9D; other characters start with 0xE2 too (U+202F).
            0xE2 => {
                quoted |= b.get(at + 1) == Some(&0x80) && matches!(b.get(at + 2), Some(0x9C | 0x9D))
            }
            _ => {
                let name = &rest[..at];
                let plausible = at <= MAX_AUTHOR && !quoted;
                match b.get(at + 1) {
                    Some(b' ') if plausible => return Split::Author(name, &rest[at + 2..]),
                    None if plausible => return Split::Author(name, ""),
                    Some(b'.') if plausible && at + 2 == b.len() => return Split::ViewOnce(name),
                    _ if at > MAX_AUTHOR => return Split::System,
                    _ => {}
                }
            }
        }
    }
    Split::System
}

/// The author key: without the `~ ` WhatsApp puts before senders not in the exporter's
/// contacts, and without direction marks or spaces around it.
fn clean_author(a: &str) -> &str {
    // The common case: a name that starts and ends with a letter or digit needs no work.
    if let (Some(f), Some(l)) = (a.as_bytes().first(), a.as_bytes().last())
        && f.is_ascii_alphanumeric()
        && l.is_ascii_alphanumeric()
    {
        return a;
    }
    let a = match a.strip_prefix('~') {
        Some(rest) => rest.trim_start_matches([' ', '\u{202F}', '\u{00A0}']),
        None => a,
    };
    a.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Message;
    use crate::source::Bytes;

    fn parse_str(s: &str, forced: Option<DayOrder>) -> (Vec<Message>, Summary) {
        let src = Bytes::new("chat.txt", s.as_bytes());
        let mut out = Vec::new();
        let outcome = parse(&src, forced, &mut |m| out.push(Message::from(m))).unwrap();
        (out, outcome)
    }

    #[test]
    fn authors_text_and_system_lines() {
        let (m, o) = parse_str(
            "[20.06.19, 15:58:47] \u{200e}Messages to this group are now secured with end-to-end encryption.\r\n\
             [20.06.19, 15:58:47] Loris added you\r\n\
             [20.06.19, 16:03:07] Emily: It was just a suggestion\r\n\
             If you want we can change place\r\n\
             \r\n\
             Have you ever been?\r\n\
             [21.06.19, 16:03:38] ~\u{202f}Loris: No: that's more interesting\r\n",
            None,
        );
        assert_eq!(m.len(), 4);
        assert_eq!(m[0].author, None);
        assert_eq!(m[0].kind, Kind::System);
        assert_eq!(m[1].text, "Loris added you");
        assert_eq!(m[2].author.as_ref().unwrap().name, "Emily");
        assert_eq!(
            m[2].text,
            "It was just a suggestion\nIf you want we can change place\n\nHave you ever been?"
        );
        assert!(m[2].multiline);
        assert_eq!(
            m[3].author.as_ref().unwrap().name,
            "Loris",
            "tilde stripped"
        );
        assert_eq!(m[3].text, "No: that's more interesting");
        assert_eq!(m[3].time.unwrap().to_string(), "2019-06-21T16:03:38");
        assert_eq!(o.day_first, Some(true));
        assert_eq!(o.warnings, Vec::<String>::new());
    }

    #[test]
    fn the_chat_name_notice_is_not_a_participant() {
        let (m, _) = parse_str(
            "15.04.2016, 15:04 - Pokemon Chat: Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.\n\
             06.08.2016, 13:23 - Ash Ketchum: Hey guys!\n",
            None,
        );
        assert_eq!(m[0].author, None);
        assert_eq!(m[0].kind, Kind::System);
        assert_eq!(m[1].author.as_ref().unwrap().name, "Ash Ketchum");
    }

    #[test]
    fn view_once_media_deleted_edited_and_polls() {
        let (m, _) = parse_str(
            "20/01/19, 11:23 - John Doe:.\n\
             20/01/19, 11:24 - John Doe: <Media omitted>\n\
             20/01/19, 11:25 - Ann: This message was deleted\n\
             20/01/19, 11:26 - Ann: see you at 7 <This message was edited>\n\
             20/01/19, 11:27 - Ann: POLL:\nWhen?\nOPTION: Friday (2 votes)\n",
            None,
        );
        let kinds: Vec<_> = m.iter().map(|m| m.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Deleted,
                Kind::Media,
                Kind::Deleted,
                Kind::Message,
                Kind::Message
            ]
        );
        assert_eq!(m[0].author.as_ref().unwrap().name, "John Doe");
        assert!(m[3].edited);
        assert_eq!(m[3].text, "see you at 7");
        assert!(m[4].poll && m[4].multiline);
    }

    #[test]
    fn forced_order_and_ambiguity() {
        let text = "01/02/20, 10:00 - a: x\n03/02/20, 10:00 - b: y\n";
        let (m, o) = parse_str(text, None);
        assert_eq!(o.day_first, Some(true));
        assert_eq!(m[1].time.unwrap().to_string(), "2020-02-03T10:00:00");
        assert_eq!(
            o.warnings,
            [
                "day/month order is ambiguous (no date has a day above 12); read as day first because the first number changes more often; use --month-first if that is wrong"
            ]
        );
        let (m, o) = parse_str(text, Some(DayOrder::MonthFirst));
        assert_eq!(o.day_first, Some(false));
        assert!(o.warnings.is_empty(), "a forced order is not ambiguous");
        assert_eq!(m[1].time.unwrap().to_string(), "2020-03-02T10:00:00");
        // A date that only fits the other order is read that way, and said.
        let (m, o) = parse_str(
            "01/02/20, 10:00 - a: x\n25/02/20, 10:00 - b: y\n",
            Some(DayOrder::MonthFirst),
        );
        assert_eq!(m[1].time.unwrap().to_string(), "2020-02-25T10:00:00");
        assert!(
            o.warnings[0].contains("1 date(s) only fit the other day/month order"),
            "{:?}",
            o.warnings
        );
    }

    #[test]
    fn not_whatsapp_is_an_error_naming_the_first_line() {
        let src = Bytes::new("notes.txt", b"hello\nworld\n");
        let err = parse(&src, None, &mut |_| {}).unwrap_err().to_string();
        assert_eq!(
            err,
            "notes.txt: not a WhatsApp export: no line starts with a WhatsApp date and time (line 1: \"hello\")"
        );
    }

    #[test]
    fn a_stray_bom_before_a_header_is_ignored_and_counted() {
        let (m, o) = parse_str(
            "\u{feff}13/6/18, 1:55 - a: x\n\u{feff}13/6/18, 1:56 - b: y\n\u{feff}more\n",
            None,
        );
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].author.as_ref().unwrap().name, "b");
        assert_eq!(m[1].text, "y\nmore");
        assert!(o.warnings[0].contains("2 line(s) start with a stray byte-order mark"));
    }

    /// A name holding a quote is not an author; other characters that start with the
    /// quotes' lead byte (U+202F before a name) do not count.
    #[test]
    fn split_names_and_quotes() {
        let author = |r: &str| match split(r) {
            Split::Author(a, t) => Some((a.to_owned(), t.to_owned())),
            Split::ViewOnce(a) => Some((a.to_owned(), ".".to_owned())),
            Split::System => None,
        };
        let some = |a: &str, t: &str| Some((a.to_owned(), t.to_owned()));
        assert_eq!(author("Ana: hi: there"), some("Ana", "hi: there"));
        assert_eq!(author("~\u{202f}Ana: hi"), some("~\u{202f}Ana", "hi"));
        assert_eq!(author("a:b: c"), some("a:b", "c"));
        assert_eq!(author("Ana:"), some("Ana", ""));
        assert_eq!(author("Ana:."), some("Ana", "."));
        assert_eq!(author("X changed the subject to \"Plans: Friday\""), None);
        assert_eq!(author("X changed the subject to “Plans: Friday”"), None);
        assert_eq!(author("X said ”odd: order"), None);
        assert_eq!(author("no colon at all"), None);
        assert_eq!(
            author(&format!("{}: x", "n".repeat(MAX_AUTHOR))),
            some(&"n".repeat(MAX_AUTHOR), "x")
        );
        assert_eq!(author(&format!("{}: x", "n".repeat(MAX_AUTHOR + 1))), None);
        for r in [
            "“a”: b",
            "a\u{2019}b: c",
            "\u{2013}: x",
            "a\"b:",
            "\u{200e}a: b",
        ] {
            let quoted = r
                .split(':')
                .next()
                .is_some_and(|n| n.contains(['"', '“', '”']));
            assert_eq!(author(r).is_none(), quoted, "{r}");
        }
    }

    #[test]
    fn a_bare_header_needs_an_author() {
        let (m, o) = parse_str(
            "13. 6. 2018. 21:25:15 a: m\n14. 6. 2018. 10:00 was the plan\n",
            None,
        );
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].text, "m\n14. 6. 2018. 10:00 was the plan");
        assert!(o.warnings.is_empty(), "{:?}", o.warnings);
    }

    #[test]
    fn an_impossible_time_is_a_message_with_a_warning() {
        let (m, o) = parse_str("13/6/18, 11:55 PM - a: x\n13/6/18, 23:59 PM - b: y\n", None);
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].time.unwrap().to_string(), "2018-06-13T23:59:00");
        assert_eq!(
            o.warnings,
            [
                "1 message header(s) carry an impossible 12-hour time such as 23:59 PM; read as 24-hour time (first: line 2)"
            ]
        );
    }

    #[test]
    fn bom_and_lines_before_the_first_header() {
        let (m, o) = parse_str("\u{feff}3/6/18, 1:55\u{202f}PM - a: m\n", None);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].time.unwrap().to_string(), "2018-06-03T13:55:00");
        assert!(o.warnings[0].contains("ambiguous"), "{:?}", o.warnings);
        let (m, o) = parse_str("junk\n13/6/18, 1:55 - a: m\n", None);
        assert_eq!(m.len(), 1);
        assert_eq!(
            o.warnings,
            ["1 line(s) before the first message header were skipped (first: line 1)"]
        );
    }
}
