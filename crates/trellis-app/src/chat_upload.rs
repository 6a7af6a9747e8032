//! A chat export uploaded in the browser, imported in the background: the upload is a
//! `chat_imports` row first, then the import runs ([`crate::chat::import_chat_watched`])
//! while a second task writes how many messages are stored so far into that row, and the
//! end (what was stored, or why nothing was) is written there too. Any server on the same
//! database, or a reload, reads the row.

use crate::AppError;
use crate::chat::{Source, import_chat_watched};
use std::path::PathBuf;
use trellis_chat::Options;
use trellis_core::ProgramId;
use trellis_store::{ChatUpload, ChatUploadOutcome, Ctx, Store};

/// An upload waiting on disk for its import.
pub struct UploadJob {
    pub id: i64,
    /// Where the upload was streamed to; removed when the import ends.
    pub path: PathBuf,
    /// The name the uploader's file had: errors name it, never the file on disk.
    pub file_name: String,
    pub program: ProgramId,
    pub channel: Option<String>,
    pub options: Options,
}

/// Records the upload; its id.
pub async fn start(
    store: &Store,
    ctx: &Ctx,
    program: ProgramId,
    file_name: &str,
    channel: Option<&str>,
    bytes: u64,
) -> Result<i64, AppError> {
    Ok(store
        .start_chat_upload(ctx, program, file_name, channel, bytes)
        .await?)
}

/// Imports the upload and records how it ended. Meant for a task of its own: the import's
/// outcome goes to the upload's row; the error returned is only that the row could not be
/// written (it then stays "running", and the caller logs why).
pub async fn run(store: Store, ctx: Ctx, job: UploadJob) -> Result<(), AppError> {
    let (sender, mut progress) = tokio::sync::watch::channel(0u64);
    let writer = {
        let store = store.clone();
        let id = job.id;
        tokio::spawn(async move {
            // Ends when the import drops its sender.
            while progress.changed().await.is_ok() {
                let read = *progress.borrow_and_update();
                // Progress is a courtesy: a failed write only leaves an older count.
                let _ = store.chat_upload_progress(id, read).await;
            }
        })
    };
    let result = import_chat_watched(
        &store,
        &ctx,
        Source::File(job.path.clone()),
        job.program,
        job.channel.as_deref(),
        job.options,
        Some(sender),
    )
    .await;
    let _ = writer.await;
    let _ = tokio::fs::remove_file(&job.path).await;
    match result {
        Ok((r, _)) => {
            let outcome = ChatUploadOutcome {
                added: r.added,
                already_stored: r.already_stored,
                linked: r.linked.len() as u64,
                unlinked: r.unlinked,
            };
            store
                .finish_chat_upload(job.id, ctx.now, r.channel_id, r.read, outcome)
                .await?;
        }
        Err(e) => {
            let words = in_words(&e, &job);
            store.fail_chat_upload(job.id, ctx.now, &words).await?;
        }
    }
    Ok(())
}

/// The error as the uploader can act on it: it names their file (not where the server
/// kept it) and the form's choice of format (not a command-line flag).
pub fn in_words(e: &AppError, job: &UploadJob) -> String {
    e.to_string()
        .replace(&job.path.display().to_string(), &job.file_name)
        .replace(
            "; name it with --format whatsapp|telegram|discord|slack",
            "; choose its format (WhatsApp, Telegram, Discord or Slack) in the form",
        )
}

/// One upload as it stands.
pub async fn status(store: &Store, id: i64) -> Result<ChatUpload, AppError> {
    Ok(store.chat_upload(id).await?)
}

/// The latest uploads, newest first: the channels' import history.
pub async fn history(
    store: &Store,
    program: Option<ProgramId>,
) -> Result<Vec<ChatUpload>, AppError> {
    Ok(store.chat_uploads(program, 50).await?)
}
