//! `/channels`: the program's imported community chats, what each holds, the import
//! history (uploads made here, newest first, with how each ended), and the form to upload
//! a new export (`upload.rs` takes it).

use super::{Chrome, chrome};
use crate::auth::SignedIn;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use trellis_app::channels::ChatChannel;
use trellis_core::program::Program;
use trellis_store::ChatUpload;

#[derive(Template)]
#[template(path = "channels.html")]
pub struct ChannelsPage {
    pub chrome: Chrome,
    pub programs: Vec<Program>,
    pub channels: Vec<ChannelRow>,
    pub history: Vec<HistoryRow>,
    /// The form as it was sent, when it is shown again with an error.
    pub form: UploadForm,
    pub error: Option<String>,
    pub limit_mib: usize,
}

/// What the upload form holds.
#[derive(Default, Clone)]
pub struct UploadForm {
    pub program: Option<i64>,
    pub channel: String,
    pub format: String,
    pub day_order: String,
}

/// A channel as the page lists it.
pub struct ChannelRow {
    pub c: ChatChannel,
    pub program: String,
    pub span: String,
    pub purged: Option<String>,
}

/// An upload of the import history.
pub struct HistoryRow {
    pub u: ChatUpload,
    pub program: String,
    pub when: String,
    /// What it stored, or why it failed, in words.
    pub outcome: String,
}

fn day(t: Option<jiff::Timestamp>) -> String {
    t.map_or("–".to_owned(), |t| t.strftime("%Y-%m-%d").to_string())
}

fn program_name(programs: &[Program], id: trellis_core::ProgramId) -> String {
    programs
        .iter()
        .find(|p| p.id == id)
        .map_or_else(|| format!("program {id}"), |p| p.name.clone())
}

/// What an upload came to, in words.
pub(crate) fn outcome(u: &ChatUpload) -> String {
    match (u.state.as_str(), &u.outcome, &u.error) {
        ("done", Some(o), _) => format!(
            "{} messages read: {} new, {} already stored; {} authors linked to people, {} not",
            u.read, o.added, o.already_stored, o.linked, o.unlinked
        ),
        ("failed", _, Some(e)) => format!("failed, nothing was stored: {e}"),
        _ => format!("importing: {} messages stored so far", u.read),
    }
}

pub(crate) async fn render(
    state: &AppState,
    me: &SignedIn,
    form: UploadForm,
    error: Option<String>,
) -> Result<String, WebError> {
    let mut programs = state.store.list_programs().await?;
    // Only the programs this account reaches: their chats and their uploads.
    programs.retain(|p| me.access.may_see(p.id));
    let channels = trellis_app::channels::list(&state.store, None)
        .await?
        .into_iter()
        .filter(|c| me.access.may_see(c.program))
        .map(|c| ChannelRow {
            program: program_name(&programs, c.program),
            span: format!("{} – {}", day(c.first), day(c.last)),
            purged: c.purged_at.map(|t| day(Some(t))),
            c,
        })
        .collect();
    let history = trellis_app::chat_upload::history(&state.store, None)
        .await?
        .into_iter()
        .filter(|u| me.access.may_see(u.program))
        .map(|u| HistoryRow {
            program: program_name(&programs, u.program),
            when: u.created_at.strftime("%Y-%m-%d %H:%M UTC").to_string(),
            outcome: outcome(&u),
            u,
        })
        .collect();
    let page = ChannelsPage {
        chrome: chrome(me),
        programs,
        channels,
        history,
        form,
        error,
        limit_mib: super::upload::UPLOAD_BYTES >> 20,
    };
    Ok(page.render()?)
}

/// `GET /channels`.
pub async fn channels(
    State(state): State<AppState>,
    me: SignedIn,
) -> Result<Html<String>, WebError> {
    Ok(Html(
        render(&state, &me, UploadForm::default(), None).await?,
    ))
}
