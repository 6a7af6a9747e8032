//! The organizers' rhythm nudges (the monthly review, the check-in the morning after),
//! and how a program's settings route every planned message: a switched-off kind is
//! dropped, a webhook repeats the organizers' nudges, a weekly digest gathers them.

use crate::AppError;
use crate::notify::to_organizer;
use crate::outbox::PUBLIC_URL;
use jiff::{SignedDuration, Timestamp};
use std::collections::{BTreeMap, HashMap, HashSet};
use trellis_core::notify::{self, kind};
use trellis_core::notify_settings::NotifySettings;
use trellis_store::{CHANNEL_WEBHOOK, NewMessage, Store};

/// The monthly review, when due, to each organizer of a program that held events.
pub async fn reviews(store: &Store, now: Timestamp) -> Result<Vec<NewMessage>, AppError> {
    let mut out = Vec::new();
    for r in store.reviews_pending().await? {
        let Some(due) = notify::review_due(r.last_review, r.first_held) else {
            continue;
        };
        for (k, at) in notify::review_reminders(due, now) {
            for o in &r.organizers {
                let body = format!(
                    "Hello {name},\n\n{program}'s monthly review is due (since {due}): \
                     15 minutes over the one screen, and the one insight to act on.\n\n\
                     Start it here: {PUBLIC_URL}/reviews\n\n-- Trellis\n",
                    name = o.name,
                    program = r.program,
                );
                let subject = format!("Monthly review due: {}", r.program);
                out.push(to_organizer(k, at, (None, r.program_id), o, subject, body));
            }
        }
    }
    Ok(out)
}

/// How far back held events are looked at for a check-in request (the request itself
/// goes stale after [`notify::STALE_AFTER`]).
const CHECKIN_WINDOW: SignedDuration = SignedDuration::from_hours(9 * 24);

/// The fatigue check-in request, the morning after an event, to each of its program's
/// organizers who has not checked in for it.
pub async fn checkins(store: &Store, now: Timestamp) -> Result<Vec<NewMessage>, AppError> {
    let mut out = Vec::new();
    for e in store.checkins_pending(now, CHECKIN_WINDOW).await? {
        let Ok(tz) = trellis_core::time::zone("tz", &e.tz) else {
            continue;
        };
        for (k, at) in notify::checkin_request(e.starts_at, &tz, now) {
            for o in &e.organizers {
                let body = format!(
                    "Hello {name},\n\nHow was {title} ({program}) for you? The check-in is \
                     seven quick questions and your hours; only you see your answers.\n\n\
                     Check in here: {PUBLIC_URL}/checkin\n\n-- Trellis\n",
                    name = o.name,
                    title = e.title,
                    program = e.program,
                );
                let subject = format!("How was it? Check in after {}", e.title);
                let concern = (Some(e.event_id), e.program_id);
                out.push(to_organizer(k, at, concern, o, subject, body));
            }
        }
    }
    Ok(out)
}

/// Applies each program's settings to the planned messages.
pub fn route(
    planned: Vec<NewMessage>,
    settings: &HashMap<i64, NotifySettings>,
    now: Timestamp,
) -> Vec<NewMessage> {
    let default = NotifySettings::default();
    let of = |m: &NewMessage| {
        m.program_id
            .and_then(|p| settings.get(&p))
            .unwrap_or(&default)
    };
    let mut out: Vec<NewMessage> = planned
        .into_iter()
        .filter(|m| of(m).enabled(&m.kind))
        .collect();
    let hooks = webhooks(&out, |m| of(m).webhook_url.is_some());
    let (gathered, mut out) = out
        .drain(..)
        .partition::<Vec<_>, _>(|m| kind::is_organizer_nudge(&m.kind) && of(m).weekly_digest);
    out.extend(digests(gathered, now));
    out.extend(hooks);
    out
}

/// One webhook message per organizer nudge (not per organizer) of a program with a hook.
fn webhooks(planned: &[NewMessage], has_hook: impl Fn(&NewMessage) -> bool) -> Vec<NewMessage> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for m in planned
        .iter()
        .filter(|m| kind::is_organizer_nudge(&m.kind) && has_hook(m))
    {
        let Some(program) = m.program_id else {
            continue;
        };
        let object = match m.event_id {
            Some(e) => format!("event:{e}"),
            None => format!("program:{program}"),
        };
        let at = m.planned_at.map_or(0, |t| t.as_second());
        let key = format!("{}:{object}:webhook:at:{at}", m.kind);
        if !seen.insert(key.clone()) {
            continue;
        }
        out.push(NewMessage {
            dedupe_key: key,
            recipient: format!("webhook of program {program}"),
            organizer_id: None,
            body: format!("{}\n{}", m.subject, without_greeting(&m.body)),
            channel: CHANNEL_WEBHOOK.to_owned(),
            ..m.clone()
        });
    }
    out
}

/// A nudge's words without "Hello NAME," and the signature: what a channel reads.
fn without_greeting(body: &str) -> String {
    let rest = body.split_once("\n\n").map_or(body, |(_, r)| r);
    rest.trim_end()
        .trim_end_matches("-- Trellis")
        .trim()
        .to_owned()
}

/// One weekly digest per organizer: each gathered nudge's subject and link.
fn digests(gathered: Vec<NewMessage>, now: Timestamp) -> Vec<NewMessage> {
    let moment = notify::digest_moment(now);
    let mut by_organizer: BTreeMap<i64, Vec<NewMessage>> = BTreeMap::new();
    for m in gathered {
        if let Some(o) = m.organizer_id {
            by_organizer.entry(o).or_default().push(m);
        }
    }
    by_organizer
        .into_iter()
        .filter_map(|(o, items)| {
            let first = items.first()?;
            let greeting = first.body.lines().next().unwrap_or("Hello,");
            let mut body = format!("{greeting}\n\nWhat is due this week:\n\n");
            for m in &items {
                body.push_str(&format!("- {}\n", m.subject));
                if let Some(link) = link_in(&m.body) {
                    body.push_str(&format!("  {link}\n"));
                }
            }
            body.push_str("\n-- Trellis\n");
            Some(NewMessage {
                dedupe_key: format!(
                    "{}:organizer:{o}:week:{}",
                    kind::WEEKLY_DIGEST,
                    moment.as_second()
                ),
                kind: kind::WEEKLY_DIGEST.to_owned(),
                recipient: first.recipient.clone(),
                organizer_id: Some(o),
                subject: format!("This week in Trellis: {} due", plural(items.len())),
                body,
                planned_at: Some(moment),
                ..NewMessage::default()
            })
        })
        .collect()
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 thing".into()
    } else {
        format!("{n} things")
    }
}

/// The first web link a nudge's body holds.
fn link_in(body: &str) -> Option<&str> {
    let start = body.find(PUBLIC_URL)?;
    body[start..].split_whitespace().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nudge(k: &str, organizer: i64, program: i64) -> NewMessage {
        NewMessage {
            dedupe_key: format!("{k}:program:{program}:organizer:{organizer}"),
            kind: k.into(),
            recipient: format!("o{organizer}@example.org"),
            organizer_id: Some(organizer),
            program_id: Some(program),
            subject: format!("{k} subject"),
            body: format!(
                "Hello O{organizer},\n\nWords.\n\nSee {PUBLIC_URL}/reviews\n\n-- Trellis\n"
            ),
            planned_at: Some(Timestamp::UNIX_EPOCH),
            ..NewMessage::default()
        }
    }

    #[test]
    fn settings_drop_gather_and_repeat() {
        let now: Timestamp = "2026-11-24T12:00:00Z".parse().unwrap();
        let mut settings = HashMap::new();
        settings.insert(
            1,
            NotifySettings {
                off: vec!["checkin".into()],
                weekly_digest: true,
                webhook_url: Some("https://hooks.example.org/x".into()),
                ..NotifySettings::default()
            },
        );
        let planned = vec![
            nudge(kind::REVIEW_DUE, 7, 1),
            nudge(kind::RETRO_HELD, 7, 1),
            nudge(kind::RETRO_HELD, 8, 1),
            nudge(kind::CHECKIN, 7, 1),
            nudge(kind::REVIEW_DUE, 7, 2),
        ];
        let out = route(planned, &settings, now);
        let kinds: Vec<(&str, &str)> = out
            .iter()
            .map(|m| (m.kind.as_str(), m.channel.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (kind::REVIEW_DUE, ""),
                (kind::WEEKLY_DIGEST, ""),
                (kind::WEEKLY_DIGEST, ""),
                (kind::REVIEW_DUE, CHANNEL_WEBHOOK),
                (kind::RETRO_HELD, CHANNEL_WEBHOOK),
            ],
            "program 2 untouched; program 1: no check-in, one digest per organizer, one hook per nudge"
        );
        let digest = &out[1];
        assert!(digest.body.starts_with("Hello O7,"), "{}", digest.body);
        assert!(
            digest
                .body
                .contains("- review_due subject\n  {public_url}/reviews"),
            "{}",
            digest.body
        );
        assert_eq!(digest.subject, "This week in Trellis: 2 things due");
        assert_eq!(
            out[3].body,
            "review_due subject\nWords.\n\nSee {public_url}/reviews"
        );
    }
}
