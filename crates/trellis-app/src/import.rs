//! Importing an event platform's export (Luma, Eventbrite, Meetup, Sessionize, pretalx)
//! into an event: the file is parsed on a blocking thread (`trellis-import`) while the store
//! writes the records it sends, in one transaction. A file that stops half-way writes
//! nothing.

use crate::AppError;
use std::path::PathBuf;
use trellis_core::import::Platform;
use trellis_import::{ImportError, Progress, Stopped};
use trellis_store::{Ctx, ImportReport, ImportRequest, Store};

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
        (Ok(_), Ok(r)) => Ok(r),
    }
}
