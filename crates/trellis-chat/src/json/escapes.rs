//! Telegram Desktop writes control characters in strings as `\xNN`, which is not JSON
//! (`SerializeString` in tdesktop's `export_output_json.cpp`), so a strict parser rejects
//! the whole export at the first one. This reader rewrites `\xNN` to `\u00NN` on the fly.
//! It needs no notion of "inside a string": outside strings a backslash is never valid, and
//! inside one every backslash starts an escape, so skipping the byte after each backslash
//! keeps `\\x41` (a literal backslash, then "x41") intact.
//!
//! It also counts the bytes it has read, so that a truncated file's error can name the
//! byte offset where it ends.

use memchr::memchr;
use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

const CHUNK: usize = 64 << 10;

pub(crate) struct XEscapes<'r> {
    inner: &'r mut dyn Read,
    raw: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    /// An escape cut by the end of the last read, kept for the next.
    carry: Vec<u8>,
    eof: bool,
    read: Rc<Cell<u64>>,
}

impl<'r> XEscapes<'r> {
    pub fn new(inner: &'r mut dyn Read, read: Rc<Cell<u64>>) -> XEscapes<'r> {
        XEscapes {
            inner,
            raw: vec![0; CHUNK],
            out: Vec::with_capacity(CHUNK + 16),
            pos: 0,
            carry: Vec::new(),
            eof: false,
            read,
        }
    }

    fn refill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.pos = 0;
        while self.out.is_empty() && !self.eof {
            let n = loop {
                match self.inner.read(&mut self.raw) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            };
            self.read.set(self.read.get() + n as u64);
            if n == 0 {
                self.eof = true;
                self.out.append(&mut self.carry);
                return Ok(());
            }
            // Copy only when an escape was cut by the last read (rare).
            if self.carry.is_empty() {
                rewrite(&self.raw[..n], &mut self.out, &mut self.carry);
            } else {
                let mut work = std::mem::take(&mut self.carry);
                work.extend_from_slice(&self.raw[..n]);
                rewrite(&work, &mut self.out, &mut self.carry);
            }
        }
        Ok(())
    }
}

/// Copies `work` to `out`, rewriting complete `\xNN` escapes; an escape that may be cut
/// off at the end goes to `carry`.
pub(crate) fn rewrite(work: &[u8], out: &mut Vec<u8>, carry: &mut Vec<u8>) {
    let mut i = 0;
    let mut copied = 0;
    while i < work.len() {
        let Some(k) = memchr(b'\\', &work[i..]) else {
            break;
        };
        let at = i + k;
        match work.get(at + 1) {
            None => {
                out.extend_from_slice(&work[copied..at]);
                carry.extend_from_slice(&work[at..]);
                return;
            }
            Some(b'x') => {
                if at + 3 >= work.len() {
                    out.extend_from_slice(&work[copied..at]);
                    carry.extend_from_slice(&work[at..]);
                    return;
                }
                if work[at + 2].is_ascii_hexdigit() && work[at + 3].is_ascii_hexdigit() {
                    out.extend_from_slice(&work[copied..at]);
                    out.extend_from_slice(b"\\u00");
                    out.extend_from_slice(&work[at + 2..at + 4]);
                    copied = at + 4;
                    i = at + 4;
                } else {
                    i = at + 2;
                }
            }
            Some(_) => i = at + 2,
        }
    }
    out.extend_from_slice(&work[copied..]);
}

/// How many bytes at the end of `b` begin an escape that the next read may complete: a
/// backslash in the last three bytes that opens an escape (an odd run of backslashes).
pub(crate) fn open_escape_tail(b: &[u8]) -> usize {
    let n = b.len();
    for back in 1..=3.min(n) {
        if b[n - back] == b'\\' {
            let run = b[..n - back + 1]
                .iter()
                .rev()
                .take_while(|c| **c == b'\\')
                .count();
            return if run % 2 == 1 { back } else { 0 };
        }
    }
    0
}

impl Read for XEscapes<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.out.len() {
            self.refill()?;
        }
        let n = (self.out.len() - self.pos).min(buf.len());
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite_all(input: &[u8], chunk: usize) -> Vec<u8> {
        struct Small<'a>(&'a [u8], usize);
        impl Read for Small<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut inner = Small(input, chunk);
        let count = Rc::new(Cell::new(0));
        let mut r = XEscapes::new(&mut inner, count.clone());
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        assert_eq!(count.get(), input.len() as u64);
        out
    }

    #[test]
    fn x_escapes_become_json_at_any_split() {
        let input = br#"{"text":"a\x01b\\x41\"\x1F","t":"\u2028\\"}"#;
        let want = br#"{"text":"a\u0001b\\x41\"\u001F","t":"\u2028\\"}"#;
        for chunk in 1..input.len() + 1 {
            assert_eq!(rewrite_all(input, chunk), want.to_vec(), "chunk {chunk}");
        }
        let v: serde_json::Value = serde_json::from_slice(want).unwrap();
        assert_eq!(v["text"], "a\u{1}b\\x41\"\u{1f}");
    }

    #[test]
    fn open_escapes_at_the_end() {
        assert_eq!(open_escape_tail(br#"ab\"#), 1);
        assert_eq!(open_escape_tail(br#"ab\x"#), 2);
        assert_eq!(open_escape_tail(br#"ab\x4"#), 3);
        assert_eq!(open_escape_tail(br#"ab\\"#), 0, "a complete pair");
        assert_eq!(open_escape_tail(br#"a\\\"#), 1);
        assert_eq!(open_escape_tail(br#"ab\x41"#), 0);
        assert_eq!(open_escape_tail(b""), 0);
    }

    #[test]
    fn broken_escapes_pass_through_for_the_parser_to_report() {
        assert_eq!(rewrite_all(br#""\xZZ""#, 3), br#""\xZZ""#.to_vec());
        assert_eq!(rewrite_all(br#""\x4"#, 2), br#""\x4"#.to_vec());
        assert_eq!(rewrite_all(b"\\", 1), b"\\".to_vec());
    }
}
