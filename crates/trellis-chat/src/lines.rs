//! A line reader over any `Read` that keeps memory bounded: it reads fixed-size chunks,
//! validates each chunk as UTF-8 once (SIMD, so per-line checks need not happen), finds
//! line ends with `memchr2` and lends each line as a `&str` of its buffer. A line longer
//! than [`MAX_LINE`] is an error rather than a reason to buffer the whole file.
//!
//! Line ends are `\r\n`, `\n` or a lone `\r` (what WhatsApp wrote on old Macs and what
//! Pustur's parser also accepts). Invalid UTF-8 is replaced with U+FFFD and counted.

use crate::error::ChatError;
use crate::warn::Tally;
use std::io::{self, Read};

/// No chat app writes a line this long (WhatsApp caps a message at 65,536 characters).
pub const MAX_LINE: usize = 1 << 20;
const CHUNK: usize = 256 << 10;

pub struct Lines<'r> {
    reader: &'r mut dyn Read,
    /// Raw bytes as read, before validation.
    raw: Vec<u8>,
    /// The first bytes of a character cut by the end of the previous read.
    carry: Vec<u8>,
    /// Validated text; the unread part is `text[start..]`.
    text: String,
    start: usize,
    eof: bool,
    /// Byte offset in the input of `text[start]` (approximate after a replacement).
    offset: u64,
    /// Bytes read from the input so far.
    read: u64,
    /// Number of the line last returned (1-based).
    line: u64,
    /// Chunks with invalid UTF-8, by the byte offset of the first bad byte.
    pub invalid: Tally,
}

/// A line lent by [`Lines::next_line`], without its terminator.
pub struct Line<'a> {
    pub text: &'a str,
    /// 1-based line number.
    pub number: u64,
}

impl<'r> Lines<'r> {
    pub fn new(reader: &'r mut dyn Read) -> Lines<'r> {
        Lines {
            reader,
            raw: vec![0; CHUNK],
            carry: Vec::new(),
            text: String::with_capacity(CHUNK * 2),
            start: 0,
            eof: false,
            offset: 0,
            read: 0,
            line: 0,
            invalid: Tally::default(),
        }
    }

    /// How many lines have been returned.
    pub fn count(&self) -> u64 {
        self.line
    }

    /// The next line, or `None` at the end of the input.
    pub fn next_line(&mut self, place: &str) -> Result<Option<Line<'_>>, ChatError> {
        let mut searched = 0;
        loop {
            let bytes = self.text.as_bytes();
            if let Some(i) = memchr::memchr2(b'\n', b'\r', &bytes[self.start + searched..]) {
                let at = self.start + searched + i;
                // A `\r` at the very end of what we hold may be the first half of `\r\n`.
                if bytes[at] == b'\r' && at + 1 == bytes.len() && !self.eof {
                    searched += i;
                    self.refill(place)?;
                    continue;
                }
                let term = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                return Ok(Some(self.take(at, at + term)));
            }
            searched = bytes.len() - self.start;
            if self.eof {
                if searched == 0 {
                    return Ok(None);
                }
                let end = bytes.len();
                return Ok(Some(self.take(end, end)));
            }
            if searched > MAX_LINE {
                return Err(ChatError::LineTooLong {
                    place: place.to_owned(),
                    line: self.line + 1,
                    offset: self.offset,
                    limit: MAX_LINE,
                });
            }
            self.refill(place)?;
        }
    }

    /// Lends `text[start..line_end]` and moves past `next`. Both are positions of ASCII
    /// line-end bytes (or the end), so they are character boundaries.
    fn take(&mut self, line_end: usize, next: usize) -> Line<'_> {
        let start = self.start;
        self.offset += (next - start) as u64;
        self.start = next;
        self.line += 1;
        Line {
            text: self.text.get(start..line_end).unwrap_or_default(),
            number: self.line,
        }
    }

    /// Drops the lines already lent, then reads and validates one more chunk.
    fn refill(&mut self, place: &str) -> Result<(), ChatError> {
        self.text.drain(..self.start);
        self.start = 0;
        let n = loop {
            match self.reader.read(&mut self.raw) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(ChatError::io(place, e)),
            }
        };
        let chunk_offset = self.read - self.carry.len() as u64;
        self.read += n as u64;
        if n == 0 {
            self.eof = true;
            if !self.carry.is_empty() {
                self.invalid.note(chunk_offset);
                self.text.push_str(&String::from_utf8_lossy(&self.carry));
                self.carry.clear();
            }
            return Ok(());
        }
        let mut work = std::mem::take(&mut self.carry);
        work.extend_from_slice(&self.raw[..n]);
        // A character cut by the end of the read waits for the next one.
        let keep = work.len() - incomplete_tail(&work);
        match simdutf8::basic::from_utf8(&work[..keep]) {
            Ok(s) => self.text.push_str(s),
            Err(_) => {
                let bad = std::str::from_utf8(&work[..keep])
                    .err()
                    .map_or(0, |e| e.valid_up_to());
                self.invalid.note(chunk_offset + bad as u64);
                self.text.push_str(&String::from_utf8_lossy(&work[..keep]));
            }
        }
        self.carry.extend_from_slice(&work[keep..]);
        Ok(())
    }
}

/// How many bytes at the end of `b` are the start of a UTF-8 sequence that has not ended.
pub(crate) fn incomplete_tail(b: &[u8]) -> usize {
    for back in 1..=3.min(b.len()) {
        let c = b[b.len() - back];
        if c & 0xC0 == 0x80 {
            continue; // a continuation byte: look further back for the lead
        }
        let need = match c {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => 1,
        };
        return if need > back { back } else { 0 };
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8]) -> Vec<(String, u64)> {
        let mut r = input;
        let mut lines = Lines::new(&mut r);
        let mut out = Vec::new();
        while let Some(l) = lines.next_line("t").unwrap() {
            out.push((l.text.to_owned(), l.number));
        }
        out
    }

    #[test]
    fn every_line_end() {
        let got = all(b"a\r\nb\nc\rd\n\ne");
        let text: Vec<_> = got.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(text, ["a", "b", "c", "d", "", "e"]);
        assert_eq!(got[5].1, 6);
        assert!(all(b"").is_empty());
        assert_eq!(
            all(b"x\n").len(),
            1,
            "no phantom line after the last newline"
        );
    }

    /// A reader that hands out one byte at a time, so every split lands on a chunk edge.
    struct Trickle<'a>(&'a [u8]);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() || buf.is_empty() {
                return Ok(0);
            }
            buf[0] = self.0[0];
            self.0 = &self.0[1..];
            Ok(1)
        }
    }

    #[test]
    fn crlf_and_characters_split_across_reads() {
        let input = "a\r\nZoë 🦀\r\n\r\nc".as_bytes();
        let mut r = Trickle(input);
        let mut lines = Lines::new(&mut r);
        let mut out = Vec::new();
        while let Some(l) = lines.next_line("t").unwrap() {
            out.push(l.text.to_owned());
        }
        assert_eq!(out, ["a", "Zoë 🦀", "", "c"]);
        assert_eq!(lines.invalid.count, 0);
    }

    #[test]
    fn invalid_utf8_is_replaced_and_counted() {
        let mut r = &b"ok\ncaf\xe9\nend \xf0\x9f"[..];
        let mut lines = Lines::new(&mut r);
        let mut out = Vec::new();
        while let Some(l) = lines.next_line("t").unwrap() {
            out.push(l.text.to_owned());
        }
        assert_eq!(out, ["ok", "caf\u{fffd}", "end \u{fffd}"]);
        assert_eq!(lines.invalid.count, 2);
        assert_eq!(lines.invalid.first, Some(6));
    }

    #[test]
    fn incomplete_tails() {
        assert_eq!(incomplete_tail("aé".as_bytes()), 0);
        assert_eq!(incomplete_tail(&"aé".as_bytes()[..2]), 1);
        assert_eq!(incomplete_tail(&"🦀".as_bytes()[..3]), 3);
        assert_eq!(incomplete_tail(b"\x80\x80\x80"), 0);
    }

    #[test]
    fn a_huge_line_is_an_error_with_its_place() {
        let mut input = vec![b'x'; MAX_LINE + CHUNK * 2];
        input.splice(0..0, b"first\n".iter().copied());
        let mut r = &input[..];
        let mut lines = Lines::new(&mut r);
        assert!(lines.next_line("chat.txt").unwrap().is_some());
        let err = lines.next_line("chat.txt").err().unwrap().to_string();
        assert_eq!(
            err,
            format!(
                "chat.txt: line 2 (byte offset 6) is longer than {MAX_LINE} bytes; a chat export has no such line"
            )
        );
    }
}
