//! One pass of the scheduler: plan the messages that are due (the core's rules over the
//! store's facts), then send what is due. Safe from several machines at once: planning
//! twice adds nothing (dedupe keys), and each message is claimed by one sender.

use crate::AppError;
use crate::outbox::{Drained, drain};
use jiff::Timestamp;
use serde::Serialize;
use trellis_core::notify::{self, RetroFacts, kind};
use trellis_mail::Mailer;
use trellis_store::{ContractPending, NewMessage, RetroPending, Store};

/// A message the rules say is due, as `notify run --json` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct DueMessage {
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub planned_at: Timestamp,
    pub event: Option<i64>,
}

/// What one pass did.
#[derive(Debug, Clone, Serialize)]
pub struct NotifyReport {
    pub dry_run: bool,
    /// Every message due now by the rules (already planned ones included).
    pub due: Vec<DueMessage>,
    /// How many of them were new to the outbox.
    pub planned: usize,
    /// What was sent; absent on a dry run or without a mail server.
    pub sent: Option<Drained>,
}

/// The messages due at `now`: each program's reminders by the core's rules and its
/// settings, then the weekly digests and webhooks its settings ask for.
pub async fn due(store: &Store, now: Timestamp) -> Result<Vec<NewMessage>, AppError> {
    let settings = store.all_notify_settings().await?;
    let of = |program: i64| settings.get(&program).cloned().unwrap_or_default();
    let mut out = Vec::new();
    let owners = Owners::read(store).await?;
    for p in store.retros_pending().await? {
        let facts = RetroFacts {
            held_at: p.held_at,
            due: trellis_core::retro::due(p.held_at, p.retro_hours),
        };
        let owner = owners.of(p.owner, p.program_id);
        for (k, at) in notify::retro_reminders(&facts, now) {
            for o in &p.organizers {
                out.push(retro_message(&p, k, (at, facts.due), o, owner));
            }
        }
    }
    for p in store.followups_pending().await? {
        let due = trellis_core::followup::due(p.held_at);
        let owner = owners.of(p.owner, p.program_id);
        for (k, at) in notify::followup_reminders(due, now) {
            for o in &p.organizers {
                out.push(followup_nudge(&p, k, (at, due), o, owner));
            }
        }
    }
    // Short of demos: fewer presenters confirmed than the target, as the gate counts them.
    for e in store.coming_events(now).await? {
        if e.confirmed >= e.target {
            continue;
        }
        let lead = of(e.program_id).short_of_demos_days;
        for (k, at) in notify::short_of_demos(e.starts_at, lead, now) {
            for o in &e.organizers {
                out.push(short_of_demos(&e, k, at, o));
            }
        }
    }
    out.extend(crate::nudges::reviews(store, now).await?);
    out.extend(crate::nudges::checkins(store, now).await?);
    for c in store.contracts_pending().await? {
        let days = of(c.program_id).contract_reminder_days;
        for (k, at) in notify::contract_messages(c.screened_at, days, now) {
            for p in &c.presenters {
                out.push(contract_message(&c, k, at, p));
            }
        }
    }
    Ok(crate::nudges::route(out, &settings, now))
}

/// Every organizer, to name the owner of an event's due items in its nudges.
struct Owners(Vec<crate::organizers::Organizer>);

impl Owners {
    async fn read(store: &Store) -> Result<Owners, AppError> {
        Ok(Owners(crate::organizers::list(store).await?))
    }

    /// The owner's name, by the core's rule ([`trellis_core::handoff::owner`]).
    fn of(&self, named: Option<i64>, program: i64) -> Option<&str> {
        let facts: Vec<_> = self.0.iter().map(|o| o.fact()).collect();
        let id = trellis_core::handoff::owner(named, trellis_core::ProgramId(program), &facts)?;
        self.0.iter().find(|o| o.id == id).map(|o| o.name.as_str())
    }
}

/// "Owner: Ana\n" when the due item has one.
fn owner_line(owner: Option<&str>) -> String {
    owner.map_or_else(String::new, |o| format!("Owner: {o}\n"))
}

fn contract_message(
    c: &ContractPending,
    k: &str,
    at: Timestamp,
    p: &trellis_store::MailablePresenter,
) -> NewMessage {
    let (subject, lead) = if k == kind::CONTRACT {
        ("Your demo slot", "passed screening")
    } else {
        (
            "Reminder: your demo slot",
            "is still waiting for your confirmation",
        )
    };
    let body = format!(
        "Hello {name},\n\nYour demo \"{demo}\" for {event} ({program}) {lead}.\n\
         Please read and accept the demo slot contract here:\n{link}\n\n\
         (The link works once; this message replaces any earlier one.)\n",
        name = p.name,
        demo = c.demo,
        event = c.event,
        program = c.program,
        link = crate::outbox::CONTRACT_LINK,
    );
    NewMessage {
        dedupe_key: format!("{k}:demo:{}:person:{}", c.demo_id, p.person_id),
        kind: k.to_owned(),
        recipient: p.email.clone(),
        person_id: Some(p.person_id),
        program_id: Some(c.program_id),
        event_id: Some(c.event_id),
        demo_id: Some(c.demo_id),
        subject: format!("{subject}: {}", c.event),
        body,
        reply_to: c.reply_to.clone(),
        planned_at: Some(at),
        ..NewMessage::default()
    }
}

fn followup_nudge(
    p: &trellis_store::FollowupsPending,
    k: &str,
    (at, due): (Timestamp, Timestamp),
    o: &trellis_store::MailableOrganizer,
    owner: Option<&str>,
) -> NewMessage {
    let subject = if k == kind::FOLLOWUPS_SOON {
        "Follow-ups due in 2 days"
    } else {
        "Follow-ups overdue"
    };
    let body = format!(
        "Hello {name},\n\n{title} ({program}): {sent} of {minimum} follow-ups sent, {more} to go.\n\
         Due: {due}\n{owner}\nWhom to ask, with a message to copy: {url}/events/{event}/followups\n\
         (or in a terminal: trellis followup suggest {event})\n\n-- Trellis\n",
        name = o.name,
        title = p.title,
        program = p.program,
        sent = p.sent,
        minimum = p.minimum,
        more = p.minimum.saturating_sub(p.sent),
        url = crate::outbox::PUBLIC_URL,
        event = p.event_id,
        owner = owner_line(owner),
    );
    to_organizer(
        k,
        at,
        (Some(p.event_id), p.program_id),
        o,
        format!("{subject}: {}", p.title),
        body,
    )
}

fn short_of_demos(
    e: &trellis_store::ComingEvent,
    k: &str,
    at: Timestamp,
    o: &trellis_store::MailableOrganizer,
) -> NewMessage {
    let body = format!(
        "Hello {name},\n\n{title} ({program}) starts {starts} with {confirmed} of {target} \
         presenters confirmed: it cannot be announced until {more} more confirm.\n\n\
         The demo slots: {url}/events/{event}#slots\n\n-- Trellis\n",
        name = o.name,
        title = e.title,
        program = e.program,
        starts = e.starts_at,
        confirmed = e.confirmed,
        target = e.target,
        more = e.target.saturating_sub(e.confirmed),
        url = crate::outbox::PUBLIC_URL,
        event = e.event_id,
    );
    let subject = format!(
        "Short of demos: {} ({} of {} confirmed)",
        e.title, e.confirmed, e.target
    );
    to_organizer(k, at, (Some(e.event_id), e.program_id), o, subject, body)
}

/// A message to an organizer about an event (or, without one, its program) at moment
/// `at`. The moment is part of the key: an overdue reminder is asked again each week,
/// each a message of its own.
pub(crate) fn to_organizer(
    k: &str,
    at: Timestamp,
    (event, program): (Option<i64>, i64),
    o: &trellis_store::MailableOrganizer,
    subject: String,
    body: String,
) -> NewMessage {
    let object = match event {
        Some(e) => format!("event:{e}"),
        None => format!("program:{program}"),
    };
    NewMessage {
        dedupe_key: format!("{k}:{object}:organizer:{}:at:{}", o.id, at.as_second()),
        kind: k.to_owned(),
        recipient: o.email.clone(),
        organizer_id: Some(o.id),
        program_id: Some(program),
        event_id: event,
        subject,
        body,
        planned_at: Some(at),
        ..NewMessage::default()
    }
}

fn retro_message(
    p: &RetroPending,
    k: &str,
    (at, due): (Timestamp, Timestamp),
    o: &trellis_store::MailableOrganizer,
    owner: Option<&str>,
) -> NewMessage {
    let (subject, lead) = match k {
        kind::RETRO_HELD => ("Retro to write", "was held: its retro is now open"),
        kind::RETRO_24H => ("Retro due in 24 hours", "has 24 hours left for its retro"),
        _ => ("Retro overdue", "is past its retro's due time"),
    };
    let body = format!(
        "Hello {name},\n\n{title} ({program}) {lead}.\nDue: {due}\n{owner}\n\
         Write it here: {url}/events/{event}/retro\n\
         (or in a terminal: trellis retro write {event})\n\n-- Trellis\n",
        url = crate::outbox::PUBLIC_URL,
        name = o.name,
        title = p.title,
        program = p.program,
        due = due,
        event = p.event_id,
        owner = owner_line(owner),
    );
    to_organizer(
        k,
        at,
        (Some(p.event_id), p.program_id),
        o,
        format!("{subject}: {}", p.title),
        body,
    )
}

/// One pass: plan what is due, then (unless `dry_run`, and with a mailer) send it.
pub async fn run(
    store: &Store,
    mailer: Option<&Mailer>,
    public_url: &str,
    dry_run: bool,
    clock: impl Fn() -> Timestamp,
) -> Result<NotifyReport, AppError> {
    let now = clock();
    let messages = due(store, now).await?;
    let view = messages
        .iter()
        .map(|m| DueMessage {
            kind: m.kind.clone(),
            recipient: m.recipient.clone(),
            subject: m.subject.clone(),
            planned_at: m.planned_at.unwrap_or(now),
            event: m.event_id,
        })
        .collect();
    if dry_run {
        return Ok(NotifyReport {
            dry_run,
            due: view,
            planned: 0,
            sent: None,
        });
    }
    let planned = store.plan_messages(now, &messages).await?;
    let sent = match mailer {
        Some(m) => Some(drain(store, m, public_url, &crate::outbox::owner_name(), clock).await?),
        None => None,
    };
    Ok(NotifyReport {
        dry_run,
        due: view,
        planned,
        sent,
    })
}
