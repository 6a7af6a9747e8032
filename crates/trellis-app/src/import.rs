//! Importing an event platform's export (Luma, Eventbrite, Meetup, Sessionize, pretalx)
//! into an event: the file is parsed on a blocking thread (`trellis-import`) while the store
//! writes the records it sends, in one transaction. A file that stops half-way writes
//! nothing.

use crate::AppError;
use serde::Serialize;
use std::path::PathBuf;
use trellis_core::EventId;
use trellis_core::import::Platform;
use trellis_core::import::RowNote;
use trellis_import::{ImportError, Progress, Stopped};
use trellis_store::{Ctx, ImportRequest, Store};

/// What to import, and where.
#[derive(Debug, Clone)]
pub struct ImportFile {
    pub path: PathBuf,
    /// The platform the user named; `None` tells it from the content.
    pub expected: Option<Platform>,
    pub request: ImportRequest,
}

/// Imports one file. `progress`, when given, counts the bytes read (for a progress bar).
pub async fn import_file(
    store: &Store,
    ctx: &Ctx,
    file: ImportFile,
    progress: Option<Progress>,
) -> Result<ImportReport, AppError> {
    // Parsing (one core) and writing (the other) overlap; the channel stays short, so
    // memory does not grow with the file.
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let path = file.path.clone();
    let expected = file.expected;
    let parser = tokio::task::spawn_blocking(move || {
        trellis_import::read_file(&path, expected, progress, &mut |m| {
            tx.blocking_send(m).map_err(|_| Stopped)
        })
    });
    let stored = store.import(ctx, &file.request, rx).await;
    let parsed = parser
        .await
        .map_err(|_| AppError::Worker("reading the import file"))?;
    match (parsed, stored) {
        // The file's own problem is the one to tell; the store only saw it stop.
        (Err(e), _) if !matches!(e, ImportError::Stopped) => Err(e.into()),
        (_, Err(e)) => Err(e.into()),
        (Err(e), Ok(_)) => Err(e.into()),
        (Ok(_), Ok(r)) => Ok(r.into()),
    }
}

/// How the import recognised known people.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct MatchedBy {
    pub email: u64,
    pub platform_id: u64,
}

from_fact!(trellis_store::MatchedBy => MatchedBy { email, platform_id });

/// What an import read and did. The keys `rows`, `people_new`, `people_matched`,
/// `added`, `updated` and `skipped` are a public contract of `--json`.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// The recorded import's id (`None` for a dry run).
    pub import: Option<i64>,
    pub event: EventId,
    pub platform: Platform,
    pub format: String,
    pub chosen_because: String,
    pub file: String,
    pub sha256: String,
    pub dry_run: bool,
    /// What `added`/`updated`/`unchanged` count: `attendances` or `demos`.
    pub kind: &'static str,
    pub rows: u64,
    pub people_new: u64,
    pub people_matched: u64,
    pub matched_by: MatchedBy,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Rows about a person already seen in the file (a second ticket, a second
    /// registration under another spelling of the e-mail): combined into one.
    pub combined: u64,
    pub presenters_added: u64,
    /// Answers to the event's questions that were new or changed.
    pub answers: u64,
    pub skipped: Vec<RowNote>,
    /// Rows imported with a remark (a confirmed demo without a free slot, …).
    pub notes: Vec<RowNote>,
}

from_fact!(trellis_store::ImportReport => ImportReport {
    import, event, platform, format, chosen_because, file, sha256, dry_run, kind, rows,
    people_new, people_matched, added, updated, unchanged, combined, presenters_added, answers,
    skipped, notes
} into {
    matched_by
});

/// One recorded import, as `trellis imports` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ImportRecord {
    pub id: i64,
    pub event: EventId,
    pub platform: String,
    pub format: String,
    pub file: String,
    pub sha256: String,
    pub rows: i64,
    pub people_new: i64,
    pub people_matched: i64,
    pub added: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub skipped: i64,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub at: jiff::Timestamp,
    pub actor: String,
}

from_fact!(trellis_store::ImportRecord => ImportRecord {
    id, event, platform, format, file, sha256, rows, people_new, people_matched, added, updated,
    unchanged, skipped, at, actor
});

/// The recorded imports: one event's, or all.
pub async fn recorded(
    store: &Store,
    event: Option<EventId>,
) -> Result<Vec<ImportRecord>, AppError> {
    Ok(crate::views(store.imports(event).await?))
}
