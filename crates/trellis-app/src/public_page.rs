//! A program's public page (`/p/{slug}`): its upcoming announced events and the call for
//! demos, where a builder raises their hand without an account.

use crate::AppError;
use trellis_core::event::EventStatus;
use trellis_core::offer::{Offer, OfferInput};
use trellis_core::program::ProgramSettings;
use trellis_core::{CoreError, EventId, ProgramId};
use trellis_store::{Ctx, PublicPage, Raised, Store};

/// What the public page shows: never a draft, never a person.
#[derive(Debug, Clone)]
pub struct Chapter {
    pub program: ProgramId,
    pub name: String,
    pub tz: String,
    pub settings: ProgramSettings,
    pub events: Vec<PublicEvent>,
}

/// An announced event still to come.
#[derive(Debug, Clone)]
pub struct PublicEvent {
    pub id: EventId,
    pub title: String,
    /// Wall-clock time in the program's zone, as typed: `2026-12-17 19:00`.
    pub starts_local: String,
    pub venue: Option<String>,
}

/// The chapter at `slug`, if its page is on.
pub async fn chapter(
    store: &Store,
    slug: &str,
    now: jiff::Timestamp,
) -> Result<Option<Chapter>, AppError> {
    let Some(p) = store.public_program(slug).await? else {
        return Ok(None);
    };
    let events = store
        .list_events(Some(p.id))
        .await?
        .into_iter()
        .filter(|e| e.status == EventStatus::Announced && e.starts_at.timestamp() > now)
        .map(|e| PublicEvent {
            id: e.id,
            title: e.title,
            starts_local: e.starts_local,
            venue: e.venue,
        })
        .collect();
    Ok(Some(Chapter {
        program: p.id,
        name: p.name,
        tz: p.tz,
        settings: p.settings,
        events,
    }))
}

/// Why a hand raised was not taken: the field problems, each keyed by its field.
#[derive(Debug)]
pub enum NotTaken {
    Fields(Vec<CoreError>),
    Failed(AppError),
}

impl From<AppError> for NotTaken {
    fn from(e: AppError) -> NotTaken {
        NotTaken::Failed(e)
    }
}

/// Takes a hand raised on `chapter`'s page for `event` (`None`: any event), which must be
/// one of the page's upcoming events.
pub async fn raise_hand(
    store: &Store,
    ctx: &Ctx,
    chapter: &Chapter,
    event: Option<EventId>,
    input: &OfferInput,
) -> Result<Raised, NotTaken> {
    let offer: Offer = input.check().map_err(NotTaken::Fields)?;
    if let Some(e) = event
        && !chapter.events.iter().any(|x| x.id == e)
    {
        return Err(NotTaken::Fields(vec![CoreError::invalid(
            "event",
            e,
            "is not one of the events listed",
        )]));
    }
    Ok(store
        .raise_hand(ctx, chapter.program, event, &offer)
        .await
        .map_err(AppError::from)?)
}

/// Turns a program's public page on or off (`program edit --public|--private`).
pub async fn set_public(
    store: &Store,
    ctx: &Ctx,
    program: &str,
    on: bool,
) -> Result<(String, PublicPage), AppError> {
    let p = store.find_program(program).await?;
    Ok((p.name, store.set_public_page(ctx, p.id, on).await?))
}
