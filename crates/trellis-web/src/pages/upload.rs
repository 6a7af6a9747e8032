//! Uploading a chat export (`POST /channels`): the file is streamed to disk chunk by chunk
//! (never held whole in memory) under a name no one can guess, refused past
//! [`UPLOAD_BYTES`]; then the import runs in a task of its own and the browser is sent to
//! its progress page (`/channels/uploads/{id}`), which reloads itself every two seconds
//! while the import runs. The import's state is a row, so a reload or another server sees
//! it.

use super::channels::{UploadForm, outcome, render};
use super::{Chrome, chrome, organizer_only};
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use std::path::PathBuf;
use tokio::io::AsyncWriteExt;
use trellis_app::chat_upload::UploadJob;
use trellis_chat::{DayOrder, Format, Options};
use trellis_core::ProgramId;
use trellis_store::ChatUpload;

/// The largest export an upload takes.
pub const UPLOAD_BYTES: usize = 64 << 20;
/// The largest request body: the export and the form's few fields.
pub const BODY_BYTES: usize = UPLOAD_BYTES + (64 << 10);

/// How long an import may run before its page says it was lost.
const STALLED_SECONDS: i64 = 3600;

/// Said when the export is too large, whichever limit saw it first.
fn too_large() -> String {
    format!(
        "The file is larger than {} MiB, the most an upload takes: nothing was stored. Export a shorter span of the chat (or without media) and upload that.",
        UPLOAD_BYTES >> 20
    )
}

/// Why an upload was refused before its import began, and with which status.
struct Refused(StatusCode, String);

fn unreadable(e: MultipartError) -> Refused {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        Refused(StatusCode::PAYLOAD_TOO_LARGE, too_large())
    } else {
        Refused(
            StatusCode::BAD_REQUEST,
            format!("The upload could not be read: {}", e.body_text()),
        )
    }
}

/// Where uploads wait for their import: private to this process's user.
fn folder() -> PathBuf {
    std::env::temp_dir().join("trellis-chat-uploads")
}

/// A name no one can guess, keeping the export's extension (a zip is told by it).
fn disk_name(file_name: &str) -> Result<String, WebError> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| WebError::BadRequest(format!("no randomness: {e}")))?;
    let name: String = b.iter().map(|x| format!("{x:02x}")).collect();
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| matches!(e.as_str(), "zip" | "txt" | "json"));
    Ok(match ext {
        Some(e) => format!("{name}.{e}"),
        None => name,
    })
}

/// Streams one file field to `path`, refusing it past [`UPLOAD_BYTES`]; its size.
async fn stream(mut field: Field<'_>, path: &std::path::Path) -> Result<u64, Refused> {
    let io = |e: std::io::Error| {
        Refused(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("The upload could not be kept: {e}"),
        )
    };
    tokio::fs::create_dir_all(folder()).await.map_err(io)?;
    let mut file = tokio::fs::File::create(path).await.map_err(io)?;
    let mut size: u64 = 0;
    while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
        size += chunk.len() as u64;
        if size > UPLOAD_BYTES as u64 {
            return Err(Refused(StatusCode::PAYLOAD_TOO_LARGE, too_large()));
        }
        file.write_all(&chunk).await.map_err(io)?;
    }
    file.flush().await.map_err(io)?;
    Ok(size)
}

/// What the form sent; the file is on disk by then.
#[derive(Default)]
struct Sent {
    form: UploadForm,
    file_name: String,
    bytes: u64,
}

/// Reads the form, checking its CSRF token before any file is written (the form puts the
/// token first; a file before it is refused).
async fn read(me: &SignedIn, m: &mut Multipart, path: &std::path::Path) -> Result<Sent, Refused> {
    let mut s = Sent::default();
    let mut checked = false;
    while let Some(field) = m.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            if !checked {
                return Err(Refused(StatusCode::FORBIDDEN, forbidden(me, "")));
            }
            s.file_name = field.file_name().unwrap_or("upload").to_owned();
            s.bytes = stream(field, path).await?;
            continue;
        }
        let text = field.text().await.map_err(unreadable)?;
        match name.as_str() {
            "csrf" => {
                if let Err(e) = me.check_form(&text) {
                    return Err(Refused(StatusCode::FORBIDDEN, e.to_string()));
                }
                checked = true;
            }
            "program" => s.form.program = text.trim().parse().ok(),
            "channel" => s.form.channel = text.trim().to_owned(),
            "format" => s.form.format = text.trim().to_owned(),
            "day_order" => s.form.day_order = text.trim().to_owned(),
            _ => {}
        }
    }
    if !checked {
        return Err(Refused(StatusCode::FORBIDDEN, forbidden(me, "")));
    }
    Ok(s)
}

fn forbidden(me: &SignedIn, token: &str) -> String {
    me.check_form(token)
        .err()
        .map_or_else(String::new, |e| e.to_string())
}

fn options(form: &UploadForm) -> Result<Options, String> {
    let format = match form.format.as_str() {
        "" | "auto" => None,
        "whatsapp" => Some(Format::WhatsApp),
        "telegram" => Some(Format::Telegram),
        "discord" => Some(Format::Discord),
        "slack" => Some(Format::Slack),
        other => return Err(format!("{other:?} is not a chat format Trellis reads.")),
    };
    let day_order = match form.day_order.as_str() {
        "" | "auto" => None,
        "day-first" => Some(DayOrder::DayFirst),
        "month-first" => Some(DayOrder::MonthFirst),
        other => return Err(format!("{other:?} is not a date order.")),
    };
    Ok(Options { format, day_order })
}

/// `POST /channels`: the upload; on success a redirect to its progress page.
pub async fn upload(
    State(state): State<AppState>,
    me: SignedIn,
    mut m: Multipart,
) -> Result<Response, WebError> {
    organizer_only(&me)?;
    let path = folder().join(disk_name("")?);
    let sent = read(&me, &mut m, &path).await;
    let sent = match sent {
        Ok(s) => s,
        Err(Refused(status, why)) => {
            let _ = tokio::fs::remove_file(&path).await;
            if status == StatusCode::FORBIDDEN {
                return Err(WebError::Forbidden(why));
            }
            return refused(&state, &me, UploadForm::default(), status, why).await;
        }
    };
    let check = match (sent.form.program, options(&sent.form)) {
        _ if sent.bytes == 0 => Err("Choose a file: the upload was empty.".to_owned()),
        (None, _) => Err("Choose the program the chat belongs to.".to_owned()),
        (_, Err(e)) => Err(e),
        (Some(p), Ok(o)) => Ok((ProgramId(p), o)),
    };
    if let Ok((p, _)) = &check
        && !me.may_act_on(*p)
    {
        let _ = tokio::fs::remove_file(&path).await;
        return Err(me.refusal());
    }
    let (program, options) = match check {
        Ok(x) => x,
        Err(why) => {
            let _ = tokio::fs::remove_file(&path).await;
            return refused(
                &state,
                &me,
                sent.form,
                StatusCode::UNPROCESSABLE_ENTITY,
                why,
            )
            .await;
        }
    };
    let ctx = me.ctx(&state);
    let channel = (!sent.form.channel.is_empty()).then_some(sent.form.channel.as_str());
    let id = match trellis_app::chat_upload::start(
        &state.store,
        &ctx,
        program,
        &sent.file_name,
        channel,
        sent.bytes,
    )
    .await
    {
        Ok(id) => id,
        Err(e) => {
            let _ = tokio::fs::remove_file(&path).await;
            return Err(e.into());
        }
    };
    let job = UploadJob {
        id,
        path,
        file_name: sent.file_name,
        program,
        channel: channel.map(str::to_owned),
        options,
    };
    let done = state.clone();
    tokio::spawn(async move {
        if let Err(e) = trellis_app::chat_upload::run(done.store.clone(), ctx, job).await {
            tracing::error!(upload = id, error = %e, "a chat import's outcome could not be recorded");
        }
        // What the import added changes the reports and the gates.
        done.invalidate();
    });
    Ok(Redirect::to(&format!("/channels/uploads/{id}")).into_response())
}

async fn refused(
    state: &AppState,
    me: &SignedIn,
    form: UploadForm,
    status: StatusCode,
    why: String,
) -> Result<Response, WebError> {
    let html = render(state, me, form, Some(why)).await?;
    Ok((status, Html(html)).into_response())
}

#[derive(Template)]
#[template(path = "upload.html")]
pub struct ProgressPage {
    pub chrome: Chrome,
    pub u: ChatUpload,
    pub running: bool,
    pub outcome: String,
    pub size: String,
    /// The program's held events, newest first, whose listening reports read the chat.
    pub events: Vec<(i64, String, String)>,
}

/// `GET /channels/uploads/{id}`: how the import stands; reloads itself while it runs.
pub async fn progress(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let u = trellis_app::chat_upload::status(&state.store, id).await?;
    if !me.access.may_see(u.program) {
        return Err(crate::auth::out_of_reach());
    }
    // An import still "running" after an hour lost its server (stopped mid-import, its
    // transaction rolled back): the page stops reloading and says so.
    let stalled = u.state == "running"
        && state.now().duration_since(u.created_at).as_secs() > STALLED_SECONDS;
    let running = u.state == "running" && !stalled;
    let events = if u.state == "done" {
        held_events(&state, u.program).await?
    } else {
        Vec::new()
    };
    let page = ProgressPage {
        chrome: chrome(&me),
        running,
        outcome: if stalled {
            "stopped without an end: the server that ran it stopped before the import ended, and nothing of it was stored. Upload the file again.".to_owned()
        } else {
            outcome(&u)
        },
        size: format!("{:.1} KiB", u.bytes as f64 / 1024.0),
        events,
        u,
    };
    Ok(Html(page.render()?))
}

/// The program's last few held events, newest first: where to read what the chat said.
async fn held_events(
    state: &AppState,
    program: ProgramId,
) -> Result<Vec<(i64, String, String)>, WebError> {
    let now = state.now();
    let mut events: Vec<_> = state
        .store
        .list_events(Some(program))
        .await?
        .into_iter()
        .filter(|e| e.starts_at.timestamp() <= now)
        .collect();
    events.reverse();
    Ok(events
        .into_iter()
        .take(5)
        .map(|e| {
            (
                e.id.0,
                e.title,
                e.starts_at.strftime("%Y-%m-%d").to_string(),
            )
        })
        .collect())
}
