//! Reading the exports organizers download from Luma, Eventbrite, Meetup, Sessionize and
//! pretalx into the plain records of `trellis_core::import`.
//!
//! A file is read once, as a stream: its first 64 KiB tell the format (the header or the
//! JSON keys, never the file name), then rows are parsed one by one and handed to a sink
//! in batches, each with its line number. A row that cannot be used (no e-mail and no
//! member id, an unknown status, a wrong number of fields) becomes a
//! [`Record::Skipped`](trellis_core::import::Record::Skipped) with its line and the
//! reason, and the rest of the file goes on. A file that cannot be read at all (not
//! text, empty, another platform's, a required column missing) is an [`ImportError`]
//! naming the file, and the line or column. The format facts relied on are in
//! `shared/formats/event-platforms.md`; the status mappings are in the README.
//!
//! This crate knows nothing of databases: who a record is about is the store's question.

mod csvs;
mod detect;
mod error;
mod jsons;
mod source;

pub use detect::{Detected, detect};
pub use error::ImportError;
pub use jsons::PUBLISHED;
pub use source::Progress;

use std::path::Path;
use trellis_core::import::{FileFacts, ImportMsg, Platform, Record};

/// Records per batch handed to the sink.
pub const BATCH: usize = 4096;

/// Why the sink stopped the parse (the receiving side went away).
#[derive(Debug, Clone, Copy)]
pub struct Stopped;

/// Collects records into batches for the sink.
pub(crate) struct Out<'a> {
    sink: &'a mut dyn FnMut(ImportMsg) -> Result<(), Stopped>,
    batch: Vec<Record>,
    pub(crate) rows: u64,
    /// Records that are not skipped rows.
    readable: u64,
    /// The first skipped rows, quoted when none is readable.
    first_skips: Vec<String>,
}

/// How many skipped rows a file with no readable row quotes in its error.
const SKIPS_QUOTED: usize = 3;

impl Out<'_> {
    pub(crate) fn push(&mut self, r: Record) -> Result<(), ImportError> {
        match &r {
            Record::Skipped(note) if self.first_skips.len() < SKIPS_QUOTED => {
                self.first_skips
                    .push(format!("line {}: {}", note.line, note.reason));
            }
            Record::Skipped(_) => {}
            _ => self.readable += 1,
        }
        self.batch.push(r);
        if self.batch.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ImportError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        (self.sink)(ImportMsg::Batch(batch)).map_err(|Stopped| ImportError::Stopped)
    }

    pub(crate) fn skip(&mut self, line: u64, reason: impl Into<String>) -> Result<(), ImportError> {
        self.push(Record::Skipped(trellis_core::import::RowNote {
            line,
            reason: reason.into(),
        }))
    }
}

/// Reads `path` as an export of `expected` (or of whichever platform it looks like, when
/// `None`), sending `Start`, the record batches and `End` to `sink`. `progress` counts
/// the bytes read, for a progress bar.
pub fn read_file(
    path: &Path,
    expected: Option<Platform>,
    progress: Option<Progress>,
    sink: &mut dyn FnMut(ImportMsg) -> Result<(), Stopped>,
) -> Result<FileFacts, ImportError> {
    let file = path.display().to_string();
    let mut src = source::Source::open(path, progress)?;
    let mut detected = detect::choose(&file, src.head(), expected)?;
    let separator = detect::separator(src.head());
    if let Some(name) = detect::separator_name(separator).filter(|_| !detected.is_json()) {
        detected
            .because
            .push_str(&format!("; fields separated by {name}"));
    }
    sink(ImportMsg::Start {
        shape: detected.shape,
        chosen_because: detected.because.clone(),
    })
    .map_err(|Stopped| ImportError::Stopped)?;
    let mut out = Out {
        sink,
        batch: Vec::with_capacity(BATCH),
        rows: 0,
        readable: 0,
        first_skips: Vec::new(),
    };
    let crlf = src
        .head()
        .split('\n')
        .next()
        .is_some_and(|l| l.ends_with('\r'));
    let questions = {
        let reader = src.reader();
        if detected.is_json() {
            jsons::parse(&file, detected.shape, reader, &mut out)?
        } else {
            csvs::parse(&file, detected.shape, crlf, separator, reader, &mut out)?
        }
    };
    // Without `End` the receiving side records nothing: a file of which no row could be
    // read is an error, not an import of nothing.
    if out.readable == 0 {
        let detail = if out.rows == 0 {
            "the file has a header and no rows".to_owned()
        } else {
            let more = if out.rows > out.first_skips.len() as u64 {
                "; …"
            } else {
                ""
            };
            format!(
                "all {} rows were skipped: {}{more}",
                out.rows,
                out.first_skips.join("; ")
            )
        };
        return Err(ImportError::NothingReadable { file, detail });
    }
    out.flush()?;
    let facts = FileFacts {
        rows: out.rows,
        questions,
        sha256: src.finish()?,
    };
    (out.sink)(ImportMsg::End(facts.clone())).map_err(|Stopped| ImportError::Stopped)?;
    Ok(facts)
}

/// Parses a file into memory, for tests and small files: the records and the facts.
pub fn read_all(
    path: &Path,
    expected: Option<Platform>,
) -> Result<(Detected, Vec<Record>, FileFacts), ImportError> {
    let mut records = Vec::new();
    let mut start = None;
    let facts = read_file(path, expected, None, &mut |m| {
        match m {
            ImportMsg::Start {
                shape,
                chosen_because,
            } => start = Some((shape, chosen_because)),
            ImportMsg::Batch(b) => records.extend(b),
            ImportMsg::End(_) => {}
        }
        Ok(())
    })?;
    let (shape, because) = start.ok_or(ImportError::Stopped)?;
    Ok((Detected { shape, because }, records, facts))
}

/// Interns question texts: answers carry an index instead of a copy of the question.
#[derive(Default)]
pub(crate) struct Questions {
    list: Vec<String>,
    index: std::collections::HashMap<String, u32>,
}

impl Questions {
    pub(crate) fn id(&mut self, q: &str) -> u32 {
        if let Some(i) = self.index.get(q) {
            return *i;
        }
        let i = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
        self.list.push(q.to_owned());
        self.index.insert(q.to_owned(), i);
        i
    }

    pub(crate) fn into_list(self) -> Vec<String> {
        self.list
    }
}

/// A cell's text, trimmed; `None` when empty. pretalx's CSV writer (defusedcsv) puts a
/// `'` before a cell starting with `=`, `+`, `-` or `@`; it is taken off.
pub(crate) fn cell(raw: &str) -> Option<&str> {
    let t = raw.trim();
    let t = match t.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => t,
    };
    (!t.is_empty()).then_some(t)
}
