//! A buffered walk over a JSON document's structure, for exports too large to hold and
//! too slow to parse through serde_json's `io::Read` path (it handles one byte at a time
//! and measured ~4× slower than parsing from a slice on a 431 MB Telegram export).
//!
//! The scanner reads 1 MiB chunks and understands only structure: object keys, strings,
//! and skipping values. The values we want (each message) are deserialized by serde from
//! a borrowed slice of the buffer ([`Scanner::value`]); when a value runs past the end of
//! the buffer, the buffer grows by a chunk and the value is parsed again (once per chunk
//! edge, not per message). Memory is bounded by the chunk size plus the largest single
//! value ([`MAX_VALUE`]), never by the file.
//!
//! Each chunk read has tdesktop's `\xNN` escapes rewritten to JSON's `\u00NN` (only when
//! it holds one: the common chunk is not copied for it), is checked as UTF-8 once (SIMD)
//! and kept as a `String`, so serde reads from a `&str` and does not check every string
//! again (that check was a tenth of the run time).

use super::escapes::{open_escape_tail, rewrite};
use crate::error::ChatError;
use crate::lines::incomplete_tail;
use memchr::memchr2;
use serde::Deserialize;
use std::io::{self, Read};

const CHUNK: usize = 1 << 20;
/// No chat message is this large; a value that is must be something else.
pub const MAX_VALUE: usize = 64 << 20;

pub(crate) struct Scanner<'r> {
    place: String,
    reader: &'r mut dyn Read,
    /// Raw bytes of the last read.
    chunk: Vec<u8>,
    /// The start of a character or an escape cut by the end of the last read.
    pending: Vec<u8>,
    /// A chunk with its `\xNN` escapes rewritten.
    rewritten: Vec<u8>,
    /// Checked text; the unread part is `text[pos..]`.
    text: String,
    pos: usize,
    eof: bool,
    /// Offset in the stream of `buf[0]`.
    base: u64,
    /// Bytes read from the input (the truncation offset).
    read: u64,
}

impl<'r> Scanner<'r> {
    pub fn new(place: &str, reader: &'r mut dyn Read) -> Scanner<'r> {
        Scanner {
            place: place.to_owned(),
            reader,
            chunk: vec![0; CHUNK],
            pending: Vec::new(),
            rewritten: Vec::new(),
            text: String::with_capacity(2 * CHUNK),
            pos: 0,
            eof: false,
            base: 0,
            read: 0,
        }
    }

    /// Drops what has been read, reads one more chunk and appends it; false at the end
    /// of the input.
    fn fill(&mut self) -> Result<bool, ChatError> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.text.drain(..self.pos);
            self.base += self.pos as u64;
            self.pos = 0;
        }
        if self.text.len() >= MAX_VALUE {
            return Err(self.error(format!(
                "a single value is larger than {MAX_VALUE} bytes; no chat message is"
            )));
        }
        let n = loop {
            match self.reader.read(&mut self.chunk) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(ChatError::io(&self.place, e)),
            }
        };
        self.read += n as u64;
        if n == 0 {
            self.eof = true;
        }
        let work: &[u8] = if self.pending.is_empty() {
            &self.chunk[..n]
        } else {
            self.pending.extend_from_slice(&self.chunk[..n]);
            &self.pending
        };
        // Hold back an escape or a character the next read may complete.
        let keep = if self.eof {
            work.len()
        } else {
            let body = work.len() - open_escape_tail(work);
            body - incomplete_tail(&work[..body])
        };
        let body = if memchr::memmem::find(&work[..keep], b"\\x").is_some() {
            self.rewritten.clear();
            let mut carry = Vec::new();
            rewrite(&work[..keep], &mut self.rewritten, &mut carry);
            self.rewritten.extend_from_slice(&carry);
            &self.rewritten[..]
        } else {
            &work[..keep]
        };
        let appended = !body.is_empty();
        match simdutf8::basic::from_utf8(body) {
            Ok(s) => self.text.push_str(s),
            Err(_) => {
                let bad = std::str::from_utf8(body)
                    .err()
                    .map_or(0, |e| e.valid_up_to());
                return Err(self.not_utf8(self.text.len() + bad));
            }
        }
        let tail = work[keep..].to_vec();
        self.pending = tail;
        Ok(n > 0 || appended)
    }

    fn not_utf8(&self, at: usize) -> ChatError {
        ChatError::JsonAt {
            place: self.place.clone(),
            offset: self.base + at as u64,
            message: "the text is not valid UTF-8".to_owned(),
        }
    }

    pub fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    pub fn error(&self, message: String) -> ChatError {
        ChatError::JsonAt {
            place: self.place.clone(),
            offset: self.offset(),
            message,
        }
    }

    pub fn truncated(&self) -> ChatError {
        ChatError::Truncated {
            place: self.place.clone(),
            offset: self.read,
        }
    }

    /// The next byte that is not whitespace, without consuming it; `None` at the end.
    pub fn peek(&mut self) -> Result<Option<u8>, ChatError> {
        loop {
            let bytes = self.text.as_bytes();
            while self.pos < bytes.len() {
                match bytes[self.pos] {
                    b' ' | b'\n' | b'\r' | b'\t' => self.pos += 1,
                    b => return Ok(Some(b)),
                }
            }
            if !self.fill()? {
                return Ok(None);
            }
        }
    }

    /// Consumes `byte` (after whitespace) or fails naming what was expected.
    pub fn expect(&mut self, byte: u8, what: &str) -> Result<(), ChatError> {
        match self.peek()? {
            Some(b) if b == byte => {
                self.pos += 1;
                Ok(())
            }
            Some(b) => Err(self.error(format!("expected {what}, found `{}`", b as char))),
            None => Err(self.truncated()),
        }
    }

    /// After a member of an object or array: true if another follows (`,`), false at its
    /// end (`close`).
    pub fn more(&mut self, close: u8) -> Result<bool, ChatError> {
        match self.peek()? {
            Some(b',') => {
                self.pos += 1;
                Ok(true)
            }
            Some(b) if b == close => {
                self.pos += 1;
                Ok(false)
            }
            Some(b) => Err(self.error(format!(
                "expected `,` or `{}`, found `{}`",
                close as char, b as char
            ))),
            None => Err(self.truncated()),
        }
    }

    /// True (and consumed) if the container just opened is empty.
    pub fn empty(&mut self, close: u8) -> Result<bool, ChatError> {
        if self.peek()? == Some(close) {
            self.pos += 1;
            return Ok(true);
        }
        Ok(false)
    }

    /// The index just past the closing quote of the string whose opening quote is at
    /// `self.pos`; the string stays in the buffer.
    fn string_end(&mut self) -> Result<usize, ChatError> {
        let mut from = self.pos + 1;
        loop {
            let bytes = self.text.as_bytes();
            match memchr2(b'"', b'\\', &bytes[from..]) {
                Some(i) if bytes[from + i] == b'"' => return Ok(from + i + 1),
                Some(i) if from + i + 1 < bytes.len() => from += i + 2,
                _ => {
                    let rel = from.min(bytes.len()) - self.pos;
                    if !self.fill()? {
                        return Err(self.truncated());
                    }
                    from = self.pos + rel;
                }
            }
        }
    }

    /// Reads a string (after whitespace) into `out`, replacing its contents.
    pub fn string(&mut self, out: &mut String) -> Result<(), ChatError> {
        if self.peek()? != Some(b'"') {
            return Err(match self.peek()? {
                None => self.truncated(),
                Some(b) => self.error(format!("expected a string, found `{}`", b as char)),
            });
        }
        let end = self.string_end()?;
        let raw = self.text.get(self.pos..end).unwrap_or_default();
        out.clear();
        if memchr::memchr(b'\\', raw.as_bytes()).is_none() {
            out.push_str(raw.get(1..raw.len() - 1).unwrap_or_default());
        } else {
            match serde_json::from_str::<String>(raw) {
                Ok(s) => out.push_str(&s),
                Err(e) => return Err(self.error(e.to_string())),
            }
        }
        self.pos = end;
        Ok(())
    }

    /// An object key and its colon.
    pub fn key(&mut self, out: &mut String) -> Result<(), ChatError> {
        self.string(out)?;
        self.expect(b':', "`:` after an object key")
    }

    /// Skips one value of any kind.
    pub fn skip(&mut self) -> Result<(), ChatError> {
        match self.peek()? {
            None => Err(self.truncated()),
            Some(b'"') => {
                self.pos = self.string_end()?;
                Ok(())
            }
            Some(b'{' | b'[') => self.skip_container(),
            Some(_) => self.skip_scalar(),
        }
    }

    fn skip_container(&mut self) -> Result<(), ChatError> {
        let mut depth = 0usize;
        loop {
            if self.pos == self.text.len() && !self.fill()? {
                return Err(self.truncated());
            }
            match self.text.as_bytes()[self.pos] {
                b'"' => self.pos = self.string_end()?,
                b'{' | b'[' => {
                    depth += 1;
                    self.pos += 1;
                }
                b'}' | b']' => {
                    self.pos += 1;
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => self.pos += 1,
            }
        }
    }

    fn skip_scalar(&mut self) -> Result<(), ChatError> {
        loop {
            let bytes = self.text.as_bytes();
            while self.pos < bytes.len() {
                match bytes[self.pos] {
                    b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t' => return Ok(()),
                    _ => self.pos += 1,
                }
            }
            if !self.fill()? {
                return Ok(());
            }
        }
    }

    /// Deserializes the next value with serde from a borrowed slice of the buffer and
    /// hands it to `handler`.
    pub fn value<H: Handler>(&mut self, handler: &mut H) -> Result<(), ChatError> {
        if self.peek()?.is_none() {
            return Err(self.truncated());
        }
        loop {
            let step = {
                // `pos` sits on a structural byte and the text ends on a whole character.
                let slice = self.text.get(self.pos..).unwrap_or_default();
                let mut stream =
                    serde_json::Deserializer::from_str(slice).into_iter::<H::Value<'_>>();
                match stream.next() {
                    Some(Ok(v)) => {
                        let used = stream.byte_offset();
                        handler.handle(v);
                        Step::Done(used)
                    }
                    Some(Err(e)) if e.is_eof() => Step::More,
                    Some(Err(e)) => {
                        let full = e.to_string();
                        let message = match full.rfind(" at line ") {
                            Some(i) => full[..i].to_owned(),
                            None => full,
                        };
                        Step::Fail(index_of(slice.as_bytes(), e.line(), e.column()), message)
                    }
                    None => Step::More,
                }
            };
            match step {
                Step::Done(used) => {
                    self.pos += used;
                    return Ok(());
                }
                Step::More => {
                    if !self.fill()? {
                        return Err(self.truncated());
                    }
                }
                Step::Fail(at, message) => {
                    return Err(ChatError::JsonAt {
                        place: self.place.clone(),
                        offset: self.offset() + at as u64,
                        message,
                    });
                }
            }
        }
    }
}

/// What one attempt at [`Scanner::value`] came to.
enum Step {
    Done(usize),
    More,
    Fail(usize, String),
}

/// What [`Scanner::value`] deserializes (a type borrowing from the buffer) and what it
/// does with each.
pub(crate) trait Handler {
    type Value<'de>: Deserialize<'de>;
    fn handle(&mut self, value: Self::Value<'_>);
}

/// The byte index of serde_json's 1-based (line, column) in `slice`.
fn index_of(slice: &[u8], line: usize, column: usize) -> usize {
    let mut at = 0;
    for _ in 1..line {
        match memchr::memchr(b'\n', &slice[at..]) {
            Some(i) => at += i + 1,
            None => return slice.len(),
        }
    }
    (at + column.saturating_sub(1)).min(slice.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_keys_and_skips_values_across_chunk_edges() {
        let mut doc =
            br#"{"a": {"x": [1, "]}\"", {"y": null}]}, "b": "v\"w", "c": -1.5e3, "d": true}"#
                .to_vec();
        let long = format!(r#", "z": "{}"}}"#, "q".repeat(3 * CHUNK));
        doc.pop();
        doc.extend_from_slice(long.as_bytes());
        let mut r = &doc[..];
        let mut s = Scanner::new("t.json", &mut r);
        let mut key = String::new();
        let mut keys = Vec::new();
        s.expect(b'{', "an object").unwrap();
        loop {
            s.key(&mut key).unwrap();
            keys.push(key.clone());
            if key == "b" {
                let mut v = String::new();
                s.string(&mut v).unwrap();
                assert_eq!(v, "v\"w");
            } else {
                s.skip().unwrap();
            }
            if !s.more(b'}').unwrap() {
                break;
            }
        }
        assert_eq!(keys, ["a", "b", "c", "d", "z"]);
        assert_eq!(s.peek().unwrap(), None);
    }

    #[test]
    fn errors_name_the_byte_offset() {
        let doc = br#"{"a" 1}"#;
        let mut r = &doc[..];
        let mut s = Scanner::new("t.json", &mut r);
        s.expect(b'{', "an object").unwrap();
        let mut key = String::new();
        let e = s.key(&mut key).unwrap_err().to_string();
        assert_eq!(
            e,
            "t.json: invalid JSON at byte offset 5: expected `:` after an object key, found `1`"
        );
        let doc = br#"{"a": [1, 2"#;
        let mut r = &doc[..];
        let mut s = Scanner::new("t.json", &mut r);
        s.expect(b'{', "an object").unwrap();
        s.key(&mut key).unwrap();
        let e = s.skip().unwrap_err().to_string();
        assert_eq!(
            e,
            "t.json: the JSON ends early at byte offset 11: the export is truncated"
        );
    }

    /// Escapes and characters cut at every chunk edge come out whole.
    #[test]
    fn x_escapes_and_characters_across_reads() {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let doc = r#"{"a": "Zoë \x01 \\x41 🦀\x1f", "b": "\\"}"#.as_bytes();
        for step in 1..doc.len() {
            let mut r = Trickle(doc, step);
            let mut s = Scanner::new("t.json", &mut r);
            let mut key = String::new();
            let mut v = String::new();
            s.expect(b'{', "an object").unwrap();
            s.key(&mut key).unwrap();
            s.string(&mut v).unwrap();
            assert_eq!(v, "Zoë \u{1} \\x41 🦀\u{1f}", "step {step}");
            assert!(s.more(b'}').unwrap());
            s.key(&mut key).unwrap();
            s.string(&mut v).unwrap();
            assert_eq!(v, "\\", "step {step}");
            assert!(!s.more(b'}').unwrap());
            assert_eq!(s.peek().unwrap(), None);
        }
    }

    #[test]
    fn index_of_line_and_column() {
        assert_eq!(index_of(b"ab\ncd", 2, 2), 4);
        assert_eq!(index_of(b"ab", 1, 1), 0);
        assert_eq!(index_of(b"ab", 3, 1), 2);
    }
}
