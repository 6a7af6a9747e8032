//! Imports in the browser (`/imports`): upload an event platform's export for an event,
//! read the dry run's report (rows, new and matched people, skipped lines and why), then
//! confirm. The upload waits in a private folder under a random name between the two
//! steps; a refused file writes nothing and says why. Below, the past imports.

use super::{Chrome, chrome, organizer_only};
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::path::PathBuf;
use trellis_app::import::{ImportFile, ImportRecord, ImportReport};
use trellis_core::EventId;
use trellis_core::import::Platform;
use trellis_store::{EventSummary, ImportRequest};

/// The largest file an upload takes.
pub const UPLOAD_BYTES: usize = 64 << 20;

#[derive(Template)]
#[template(path = "imports.html")]
pub struct ImportsPage {
    pub chrome: Chrome,
    pub events: Vec<EventSummary>,
    pub past: Vec<ImportRecord>,
    /// The dry run's report, awaiting confirmation, with the upload's name.
    pub report: Option<(ImportReport, String)>,
    pub error: Option<String>,
}

async fn render(
    state: &AppState,
    me: &SignedIn,
    report: Option<(ImportReport, String)>,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    // Newest first: a file is most often for the evening just held.
    let mut events = state.store.list_events(None).await?;
    events.reverse();
    // Only the programs this account reaches: their events to import into, and their
    // past imports.
    let seen: std::collections::HashSet<EventId> = events
        .iter()
        .filter(|e| e.hosts().seen_by(&me.access))
        .map(|e| e.id)
        .collect();
    events.retain(|e| e.hosts().acted_on_by(&me.access));
    let mut past = trellis_app::import::recorded(&state.store, None).await?;
    past.retain(|r| seen.contains(&r.event));
    let page = ImportsPage {
        chrome: chrome(me),
        events,
        past,
        report,
        error,
    };
    Ok(Html(page.render()?))
}

/// `GET /imports`.
pub async fn imports(
    State(state): State<AppState>,
    me: SignedIn,
) -> Result<Html<String>, WebError> {
    render(&state, &me, None, None).await
}

/// Where uploads wait for their confirmation: private to this process's user.
fn uploads() -> PathBuf {
    std::env::temp_dir().join("trellis-uploads")
}

/// A name no one can guess or walk out of the folder with: 32 hex digits.
fn upload_name() -> Result<String, WebError> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| WebError::BadRequest(format!("no randomness: {e}")))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

fn upload_path(name: &str) -> Option<PathBuf> {
    (name.len() == 32 && name.bytes().all(|c| c.is_ascii_hexdigit())).then(|| uploads().join(name))
}

/// Uploads whose dry run was never confirmed go after an hour.
async fn sweep() {
    let Ok(mut dir) = tokio::fs::read_dir(uploads()).await else {
        return;
    };
    let hour = std::time::Duration::from_secs(3600);
    while let Ok(Some(entry)) = dir.next_entry().await {
        let old = entry
            .metadata()
            .await
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > hour));
        if old {
            let _ = tokio::fs::remove_file(entry.path()).await;
        }
    }
}

/// What the upload form sent.
#[derive(Default)]
struct Upload {
    csrf: String,
    event: Option<i64>,
    platform: String,
    file_name: String,
    bytes: Vec<u8>,
}

async fn read_upload(mut m: Multipart) -> Result<Upload, String> {
    let mut u = Upload::default();
    while let Some(field) = m.next_field().await.map_err(|e| e.body_text())? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" => {
                u.file_name = field.file_name().unwrap_or("upload").to_owned();
                u.bytes = field.bytes().await.map_err(|e| e.body_text())?.to_vec();
            }
            _ => {
                let text = field.text().await.map_err(|e| e.body_text())?;
                match name.as_str() {
                    "csrf" => u.csrf = text,
                    "event" => u.event = text.trim().parse().ok(),
                    "platform" => u.platform = text,
                    _ => {}
                }
            }
        }
    }
    Ok(u)
}

fn platform(s: &str) -> Result<Option<Platform>, String> {
    match s.trim() {
        "" | "auto" => Ok(None),
        p => p
            .parse()
            .map(Some)
            .map_err(|e: trellis_core::CoreError| e.to_string()),
    }
}

async fn run(
    state: &AppState,
    me: &SignedIn,
    path: PathBuf,
    event: EventId,
    expected: Option<Platform>,
    file_name: String,
    dry_run: bool,
) -> Result<ImportReport, String> {
    let file = ImportFile {
        path,
        expected,
        request: ImportRequest {
            event,
            file_name,
            dry_run,
        },
    };
    trellis_app::import::import_file(&state.store, &me.ctx(state), file, None)
        .await
        .map_err(|e| e.to_string())
}

/// `POST /imports`: the upload, read as a dry run.
pub async fn upload(
    State(state): State<AppState>,
    me: SignedIn,
    m: Multipart,
) -> Result<Response, WebError> {
    let u = match read_upload(m).await {
        Ok(u) => u,
        Err(e) => return refused(&state, &me, format!("The upload could not be read: {e}")).await,
    };
    me.check_form(&u.csrf)?;
    organizer_only(&me)?;
    let Some(event) = u.event else {
        return refused(&state, &me, "Choose the event the file is for.".into()).await;
    };
    may_import(&state, &me, EventId(event)).await?;
    if u.bytes.is_empty() {
        return refused(&state, &me, "Choose a file: the upload was empty.".into()).await;
    }
    let expected = match platform(&u.platform) {
        Ok(p) => p,
        Err(e) => return refused(&state, &me, e).await,
    };
    let name = upload_name()?;
    let Some(path) = upload_path(&name) else {
        return Err(WebError::NotFound);
    };
    sweep().await;
    let stored = async {
        tokio::fs::create_dir_all(uploads()).await?;
        tokio::fs::write(&path, &u.bytes).await
    };
    if let Err(e) = stored.await {
        return refused(&state, &me, format!("The upload could not be kept: {e}")).await;
    }
    match run(
        &state,
        &me,
        path.clone(),
        EventId(event),
        expected,
        u.file_name,
        true,
    )
    .await
    {
        Ok(report) => {
            let hidden = format!("{name}:{}:{}", event, u.platform.trim());
            Ok(render(&state, &me, Some((report, hidden)), None)
                .await?
                .into_response())
        }
        Err(e) => {
            let _ = tokio::fs::remove_file(&path).await;
            refused(
                &state,
                &me,
                format!("The file was refused, nothing was written: {e}"),
            )
            .await
        }
    }
}

/// Refuses an import into an event of a program this account may not change (an unknown
/// event is left to the import, which says so at the field).
async fn may_import(state: &AppState, me: &SignedIn, event: EventId) -> Result<(), WebError> {
    match state.store.hosts_of_event(event).await? {
        Some(h) => me.require_act_on_event(h),
        None => Ok(()),
    }
}

async fn refused(state: &AppState, me: &SignedIn, error: String) -> Result<Response, WebError> {
    let html = render(state, me, None, Some(error)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    /// `upload:event:platform`, as the dry run's page wrote it.
    upload: String,
    #[serde(default)]
    file: String,
}

/// `POST /imports/confirm`: the same file, for real.
pub async fn confirm(
    State(state): State<AppState>,
    me: SignedIn,
    Form(f): Form<ConfirmForm>,
) -> Result<Response, WebError> {
    me.check_form(&f.csrf)?;
    let mut parts = f.upload.splitn(3, ':');
    let (Some(name), Some(event), platform_name) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(WebError::NotFound);
    };
    let (Some(path), Ok(event)) = (upload_path(name), event.parse::<i64>()) else {
        return Err(WebError::NotFound);
    };
    may_import(&state, &me, EventId(event)).await?;
    if !path.exists() {
        return refused(
            &state,
            &me,
            "This upload was already imported or has expired: upload the file again.".into(),
        )
        .await;
    }
    let expected = platform(platform_name.unwrap_or_default()).map_err(WebError::BadRequest)?;
    let result = run(
        &state,
        &me,
        path.clone(),
        EventId(event),
        expected,
        f.file,
        false,
    )
    .await;
    let _ = tokio::fs::remove_file(&path).await;
    match result {
        Ok(_) => {
            state.invalidate();
            Ok(Redirect::to("/imports#past").into_response())
        }
        Err(e) => {
            refused(
                &state,
                &me,
                format!("The import was refused, nothing was written: {e}"),
            )
            .await
        }
    }
}
