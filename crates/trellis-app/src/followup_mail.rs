//! Follow-ups by e-mail: each person's own message with their own single-use form link,
//! recorded as a follow-up (the form channel), put in the outbox and sent. Someone
//! marked no-contact, or without an address, is skipped and said so.

use crate::AppError;
use crate::outbox::{Drained, drain, owner_name};
use jiff::Timestamp;
use serde::Serialize;
use trellis_core::followup::Channel;
use trellis_core::notify::kind;
use trellis_core::{EventId, PersonId};
use trellis_mail::Mailer;
use trellis_store::{Ctx, NewMessage, Store};

/// One person's follow-up by e-mail.
#[derive(Debug, Clone, Serialize)]
pub struct Mailed {
    pub person: PersonId,
    pub name: String,
    /// The follow-up recorded (absent when skipped).
    pub followup: Option<i64>,
    pub to: Option<String>,
    /// Why nothing was sent to them.
    pub skipped: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FollowupMail {
    pub event: EventId,
    pub people: Vec<Mailed>,
    pub sent: Drained,
}

/// Records and mails a follow-up to each of `people` about `event`.
pub async fn send(
    store: &Store,
    ctx: &Ctx,
    mailer: &Mailer,
    public_url: &str,
    event: EventId,
    people: &[PersonId],
    clock: impl Fn() -> Timestamp,
) -> Result<FollowupMail, AppError> {
    let reply_to = store.event_reply_to(event.0).await?;
    let mut out = Vec::with_capacity(people.len());
    let mut planned = Vec::new();
    for &person in people {
        let c = store.person_contact(person.0).await?;
        let skip = match (&c.email, c.do_not_contact) {
            (_, true) => Some("marked no-contact"),
            (None, _) => Some("no e-mail address"),
            _ => None,
        };
        let mut mailed = Mailed {
            person,
            name: c.name,
            followup: None,
            to: c.email.clone(),
            skipped: skip,
        };
        if let (None, Some(email)) = (skip, c.email) {
            let f = store
                .send_followup(ctx, event, person, Channel::Form, public_url)
                .await?;
            let link = f.link.clone().unwrap_or_default();
            planned.push(NewMessage {
                dedupe_key: format!("{}:followup:{}", kind::FOLLOWUP, f.id),
                kind: kind::FOLLOWUP.to_owned(),
                recipient: email,
                person_id: Some(person.0),
                event_id: Some(event.0),
                subject: "What did you do next?".into(),
                body: format!(
                    "{}\n\nAnswer here (the link works once):\n{link}\n",
                    f.message
                ),
                reply_to: reply_to.clone(),
                planned_at: Some(ctx.now),
                ..NewMessage::default()
            });
            mailed.followup = Some(f.id);
        }
        out.push(mailed);
    }
    store.plan_messages(ctx.now, &planned).await?;
    let sent = drain(store, mailer, public_url, &owner_name(), clock).await?;
    Ok(FollowupMail {
        event,
        people: out,
        sent,
    })
}
