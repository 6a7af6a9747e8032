//! The file as a stream: hashed as it is read, its first bytes kept for format
//! detection, refused early when it is not text.

use crate::error::ImportError;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// How much of the file format detection looks at.
const HEAD: usize = 64 * 1024;

/// Bytes read so far, shared with whoever draws a progress bar.
#[derive(Debug, Clone, Default)]
pub struct Progress(Arc<AtomicU64>);

impl Progress {
    pub fn bytes(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

struct Hashing {
    file: File,
    hash: Sha256,
    progress: Option<Progress>,
}

impl Read for Hashing {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.hash.update(&buf[..n]);
        if let Some(p) = &self.progress {
            p.0.fetch_add(n as u64, Ordering::Relaxed);
        }
        Ok(n)
    }
}

pub(crate) struct Source {
    file: String,
    head: Vec<u8>,
    /// Length of a UTF-8 byte-order mark at the start, skipped.
    skip: usize,
    inner: BufReader<Hashing>,
}

impl Source {
    pub(crate) fn open(path: &Path, progress: Option<Progress>) -> Result<Source, ImportError> {
        let name = path.display().to_string();
        let io_err = |e: io::Error| ImportError::Io {
            file: name.clone(),
            detail: match e.kind() {
                io::ErrorKind::NotFound => "no such file".into(),
                io::ErrorKind::PermissionDenied => "permission denied".into(),
                _ => e.to_string(),
            },
        };
        let meta = std::fs::metadata(path).map_err(io_err)?;
        if meta.is_dir() {
            return Err(ImportError::Io {
                file: name,
                detail: "is a folder, not a file".into(),
            });
        }
        let file = File::open(path).map_err(io_err)?;
        let mut inner = BufReader::with_capacity(
            256 * 1024,
            Hashing {
                file,
                hash: Sha256::new(),
                progress,
            },
        );
        let mut head = Vec::with_capacity(HEAD);
        (&mut inner)
            .take(HEAD as u64)
            .read_to_end(&mut head)
            .map_err(io_err)?;
        let skip = if head.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        check_text(&name, &head)?;
        if head[skip..].iter().all(|b| b.is_ascii_whitespace()) {
            return Err(ImportError::Empty { file: name });
        }
        Ok(Source {
            file: name,
            head,
            skip,
            inner,
        })
    }

    /// The first bytes as text (a multi-byte character cut at the end is dropped).
    pub(crate) fn head(&self) -> &str {
        let bytes = &self.head[self.skip..];
        match std::str::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
        }
    }

    /// The whole file from its start, the byte-order mark skipped.
    pub(crate) fn reader(&mut self) -> impl Read + '_ {
        (&self.head[self.skip..]).chain(&mut self.inner)
    }

    /// Reads what the parser left (trailing whitespace) and returns the SHA-256 of the file.
    pub(crate) fn finish(mut self) -> Result<String, ImportError> {
        io::copy(&mut self.inner, &mut io::sink()).map_err(|e| ImportError::Io {
            file: self.file.clone(),
            detail: e.to_string(),
        })?;
        Ok(self
            .inner
            .into_inner()
            .hash
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect())
    }
}

/// Refuses what is not UTF-8 text, saying what it looks like instead.
fn check_text(file: &str, head: &[u8]) -> Result<(), ImportError> {
    let not = |detail: &str| {
        Err(ImportError::NotText {
            file: file.to_owned(),
            detail: detail.to_owned(),
        })
    };
    if head.is_empty() {
        return Err(ImportError::Empty {
            file: file.to_owned(),
        });
    }
    if head.starts_with(b"PK\x03\x04") {
        return not(
            "is a zip archive (an .xlsx workbook?), not a CSV or JSON export; save or export it as CSV",
        );
    }
    if head.starts_with(b"\xD0\xCF\x11\xE0") {
        return not("is an Excel .xls workbook, not a CSV or JSON export; save it as CSV");
    }
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return not("is UTF-16 text; save it as UTF-8 CSV");
    }
    if let Some(at) = memchr_nul(head) {
        return not(&format!(
            "is not a text file (byte {} is NUL); export the list as CSV or JSON",
            at + 1
        ));
    }
    if let Err(e) = std::str::from_utf8(head) {
        // A character cut by the end of the head is fine.
        if e.error_len().is_some() {
            let line = head[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            return not(&format!(
                "line {line} is not UTF-8 text (byte {}); export the list again as UTF-8",
                e.valid_up_to() + 1
            ));
        }
    }
    Ok(())
}

fn memchr_nul(b: &[u8]) -> Option<usize> {
    b.iter().position(|x| *x == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_utf16_are_refused_with_what_they_are() {
        let e = check_text("x", b"PK\x03\x04rest").unwrap_err().to_string();
        assert!(e.contains("zip"), "{e}");
        let e = check_text("x", b"abc\0def").unwrap_err().to_string();
        assert!(e.contains("byte 4 is NUL"), "{e}");
        let e = check_text("x", b"\xFF\xFEa\0").unwrap_err().to_string();
        assert!(e.contains("UTF-16"), "{e}");
        let e = check_text("x", b"a,b\nc,\xFF\xFFd\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2"), "{e}");
        // A multi-byte character cut at the end of the head is not an error.
        check_text("x", "name\nJos\u{e9}".as_bytes().split_last().unwrap().1).unwrap();
    }
}
