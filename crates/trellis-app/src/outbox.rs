//! The outbox as a use case: listing it, and draining it — claim what is due, cancel
//! what lost its reason, send the rest once, retry failures with backoff.

use crate::AppError;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use trellis_core::{ProgramId, notify};
use trellis_mail::{Mailer, Outgoing};
use trellis_store::{OutboxMessage, Outcome, Store};

/// One message, as `trellis outbox --json` shows it. The body stays in the database:
/// the list says what and to whom, not the words.
#[derive(Debug, Clone, Serialize)]
pub struct OutboxView {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub state: String,
    pub planned_at: Timestamp,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub done_at: Option<Timestamp>,
    pub event: Option<i64>,
    pub demo: Option<i64>,
    pub person: Option<i64>,
    /// The program it concerns, if any.
    pub program: Option<i64>,
    /// `email` or `webhook`.
    pub channel: String,
}

impl From<OutboxMessage> for OutboxView {
    fn from(m: OutboxMessage) -> Self {
        OutboxView {
            id: m.id,
            kind: m.msg.kind,
            recipient: m.msg.recipient,
            subject: m.msg.subject,
            state: m.state,
            planned_at: m.msg.planned_at.unwrap_or(Timestamp::UNIX_EPOCH),
            attempts: m.attempts,
            last_error: m.last_error,
            done_at: m.done_at,
            event: m.msg.event_id,
            demo: m.msg.demo_id,
            person: m.msg.person_id,
            program: m.msg.program_id,
            channel: m.msg.channel,
        }
    }
}

/// The outbox, newest first, optionally in one state.
pub async fn list(store: &Store, state: Option<&str>) -> Result<Vec<OutboxView>, AppError> {
    if let Some(s) = state
        && !trellis_store::OUTBOX_STATES.contains(&s)
    {
        return Err(trellis_core::CoreError::invalid(
            "--state",
            s,
            "is not one of planned, sent, failed, cancelled",
        )
        .into());
    }
    Ok(crate::views(store.outbox(state).await?))
}

/// The failed sends: how many, and the latest `limit` (for the dashboard's line).
pub async fn failed(store: &Store, limit: i64) -> Result<(i64, Vec<OutboxView>), AppError> {
    let (n, latest) = store.failed_messages(limit).await?;
    Ok((n, crate::views(latest)))
}

/// What one drain did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Drained {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub cancelled: usize,
}

/// A lease long enough for one batch over a slow server; a sender that dies holding it
/// delays its rows by this much, no more.
const LEASE: SignedDuration = SignedDuration::from_mins(5);
const BATCH: i64 = 100;

/// Sends every due message, batch by batch, until none is due. `owner` names this
/// sender uniquely (host, process, a random part); `clock` is read per batch.
pub async fn drain(
    store: &Store,
    mailer: &Mailer,
    public_url: &str,
    owner: &str,
    clock: impl Fn() -> Timestamp,
) -> Result<Drained, AppError> {
    let mut done = Drained::default();
    loop {
        let now = clock();
        let lease_until = now.saturating_add(LEASE).unwrap_or(now);
        let batch = store.claim_messages(now, owner, lease_until, BATCH).await?;
        if batch.is_empty() {
            return Ok(done);
        }
        for m in &batch {
            let outcome = deliver(store, mailer, public_url, m, clock()).await?;
            match &outcome {
                Outcome::Sent => done.sent += 1,
                Outcome::Retry { .. } => done.retried += 1,
                Outcome::Failed { .. } => done.failed += 1,
                Outcome::Cancelled { .. } => done.cancelled += 1,
            }
            store.finish_message(m.id, owner, clock(), &outcome).await?;
        }
    }
}

/// Stands in a planned body for the contract link, made only as the message goes: a
/// cancelled message makes none, and the newest message holds the one live link.
pub const CONTRACT_LINK: &str = "{contract_link}";

/// Stands in a planned body for the web app's address, known only to the sender.
pub const PUBLIC_URL: &str = "{public_url}";

/// One claimed message: cancelled if its reason passed, else sent once.
async fn deliver(
    store: &Store,
    mailer: &Mailer,
    public_url: &str,
    m: &OutboxMessage,
    now: Timestamp,
) -> Result<Outcome, AppError> {
    let reason = notify::Reason {
        retro_written: match m.msg.event_id {
            Some(e) => store.retro_written(e).await?,
            None => false,
        },
        contract_accepted: match m.msg.demo_id {
            Some(d) => store.contract_accepted(d).await?,
            None => false,
        },
        demos_enough: match m.msg.event_id {
            Some(e) if notify::kind::is_short_of_demos(&m.msg.kind) => {
                let (confirmed, target) = store.demo_counts(e).await?;
                confirmed >= target
            }
            _ => false,
        },
        followups_done: match m.msg.event_id {
            Some(e) if notify::kind::is_followup_nudge(&m.msg.kind) => {
                store.followups_done(e).await?
            }
            _ => false,
        },
        review_done: match m.msg.program_id {
            Some(p) if m.msg.kind == notify::kind::REVIEW_DUE => {
                let last = store.last_review_started(p).await?;
                notify::review_due(last, None).is_some_and(|due| due > now)
            }
            _ => false,
        },
        checked_in: match (m.msg.event_id, m.msg.organizer_id) {
            (Some(e), Some(o)) if m.msg.kind == notify::kind::CHECKIN => {
                store.checked_in(e, o).await?
            }
            _ => false,
        },
    };
    if let Some(why) = notify::reason_passed(&m.msg.kind, reason) {
        return Ok(Outcome::Cancelled { why: why.into() });
    }
    let sent = if m.msg.channel == trellis_store::CHANNEL_WEBHOOK {
        let hook = match m.msg.program_id {
            Some(p) => store.notify_settings(ProgramId(p)).await?.webhook_url,
            None => None,
        };
        let Some(url) = hook else {
            return Ok(Outcome::Cancelled {
                why: "the program has no webhook any more".into(),
            });
        };
        let text = m
            .msg
            .body
            .replace(PUBLIC_URL, public_url.trim_end_matches('/'));
        trellis_mail::webhook::post(&url, &text)
            .await
            .map_err(|e| (e.to_string(), e.transient))
    } else {
        let message = outgoing(store, public_url, m, now).await?;
        mailer
            .send(&message)
            .await
            .map(|_| ())
            .map_err(|e| (e.to_string(), e.is_transient()))
    };
    Ok(match sent {
        Ok(()) => Outcome::Sent,
        Err((error, true)) => match notify::retry_at(m.attempts, now) {
            Some(at) => Outcome::Retry { error, at },
            None => Outcome::Failed { error },
        },
        Err((error, false)) => Outcome::Failed { error },
    })
}

/// The message as it goes: its links made now, and a one-click unsubscribe for a person.
async fn outgoing(
    store: &Store,
    public_url: &str,
    m: &OutboxMessage,
    now: Timestamp,
) -> Result<Outgoing, AppError> {
    let base = public_url.trim_end_matches('/');
    let mut body = m.msg.body.replace(PUBLIC_URL, base);
    if let Some(demo) = m.msg.demo_id.filter(|_| body.contains(CONTRACT_LINK)) {
        let ctx = trellis_store::Ctx::new("trellis notify", now);
        let token = store
            .contract_link(&ctx, trellis_core::DemoId(demo))
            .await?;
        body = body.replace(CONTRACT_LINK, &format!("{base}/c/{token}"));
    }
    let unsubscribe = match m.msg.person_id {
        Some(_) if notify::kind::to_a_person(&m.msg.kind) => {
            let token = store.unsubscribe_token(m.id).await?;
            Some(format!("{base}/u/{token}"))
        }
        _ => None,
    };
    Ok(Outgoing {
        to: m.msg.recipient.clone(),
        subject: m.msg.subject.clone(),
        body,
        reply_to: m.msg.reply_to.clone(),
        unsubscribe,
    })
}

/// A sender's name for its leases: unique per process and call.
pub fn owner_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
    format!("{host}:{}:{:016x}", std::process::id(), random_u64())
}

fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    // RandomState is seeded from the OS per process and per instance: enough to keep two
    // senders' names apart, and no new dependency.
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(u64::from(std::process::id()));
    h.finish()
}
