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
    pub starts_at: jiff::Timestamp,
    /// Wall-clock time in the program's zone, as typed: `2026-12-17 19:00`.
    pub starts_local: String,
    pub venue: Option<String>,
    /// The event's own zone: a co-hosted event keeps its host's.
    pub tz: String,
    /// The other program of a co-hosted event ("with Lisbon").
    pub with: Option<String>,
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
            with: e.partner_name(p.id).map(str::to_owned),
            id: e.id,
            starts_at: e.starts_at.timestamp(),
            title: e.title,
            starts_local: e.starts_local,
            venue: e.venue,
            tz: e.tz,
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

/// How long an evening lasts in a calendar: the event records only its start.
const EVENING_HOURS: i64 = 3;

/// One upcoming event of the page as an iCalendar file, to add to one's own calendar:
/// its title, time, venue and the page's address, nothing else. `None` for an event the
/// page does not list (a draft, a past one, another program's).
pub fn event_ics(
    chapter: &Chapter,
    event: EventId,
    page_url: &str,
    now: jiff::Timestamp,
) -> Result<Option<String>, AppError> {
    let Some(e) = chapter.events.iter().find(|e| e.id == event) else {
        return Ok(None);
    };
    let item = trellis_store::CalendarItem {
        uid: format!("event-{}@trellis", e.id),
        summary: e.title.clone(),
        description: format!("{} · {page_url}", chapter.name),
        location: e.venue.clone(),
        start: e.starts_at,
        end: e.starts_at + jiff::SignedDuration::from_hours(EVENING_HOURS),
    };
    Ok(Some(crate::calendar::ics(&chapter.name, &[item], now)?))
}

/// Tells the program's organizers (those with an e-mail) about a hand raised, through the
/// outbox: who, what, and where to screen it. Reply-To is the builder, so an organizer
/// answers them directly. How many messages were planned.
pub async fn tell_organizers(
    store: &Store,
    chapter: &Chapter,
    input: &OfferInput,
    raised: &Raised,
    event: Option<EventId>,
    now: jiff::Timestamp,
) -> Result<usize, AppError> {
    let url = crate::outbox::PUBLIC_URL;
    let event_title = event
        .and_then(|e| chapter.events.iter().find(|x| x.id == e))
        .map(|e| e.title.clone());
    let (what, look) = match (event, raised.demo, &event_title) {
        (Some(e), Some(d), Some(t)) => (
            format!("a demo for {t}"),
            format!("Screen it here: {url}/events/{e}#demo-{d}"),
        ),
        _ => (
            "a demo at any event".to_owned(),
            format!(
                "They are a candidate on the speaker pipeline: {url}/board?program={}",
                chapter.program
            ),
        ),
    };
    let wip = if input.wip { " (work in progress)" } else { "" };
    let about = input.about.trim();
    let mut messages = Vec::new();
    for o in store.organizers().await? {
        // A retired organizer is told nothing any more.
        let organizes = o.programs.contains(&chapter.program) && o.retired_at.is_none();
        let Some(email) = o.email.filter(|_| organizes) else {
            continue;
        };
        let body = format!(
            "Hello {name},\n\n{who} raised their hand on {program}'s public page for {what}:\n\n\
             \"{title}\"{wip}\n{about}\n\n{look}\n\nReply to this message to write to them.\n\n-- Trellis\n",
            name = o.name,
            who = input.name.trim(),
            program = chapter.name,
            title = input.title.trim(),
        );
        messages.push(trellis_store::NewMessage {
            dedupe_key: format!(
                "hand_raised:person:{}:at:{}:organizer:{}",
                raised.person,
                now.as_second(),
                o.id
            ),
            kind: "hand_raised".to_owned(),
            recipient: email,
            organizer_id: Some(o.id),
            program_id: Some(chapter.program.0),
            event_id: event.map(|e| e.0),
            demo_id: raised.demo.map(|d| d.0),
            subject: format!("A demo offered: {}", input.title.trim()),
            body,
            reply_to: Some(input.email.trim().to_owned()),
            planned_at: Some(now),
            ..trellis_store::NewMessage::default()
        });
    }
    Ok(store.plan_messages(now, &messages).await?)
}
