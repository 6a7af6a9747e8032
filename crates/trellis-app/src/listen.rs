//! The discussion report of an event (`design.md`, "Listening to the community chat"): the
//! store reads the window's facts, the core's rules say whether the chats cover it and what
//! the verdict is. `trellis listen report` and the web event page both build it here.

use crate::AppError;
use jiff::Timestamp;
use serde::Serialize;
use trellis_core::EventId;
use trellis_core::listen::{ToneCounts, Verdict, covers, verdict};
use trellis_core::time::rfc3339_utc;
use trellis_store::{ChatWindow, Ctx, RecordedReport, Store};

#[derive(Debug, Clone, Serialize)]
pub struct Window {
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub from: Timestamp,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub to: Timestamp,
}

#[derive(Debug, Clone, Serialize)]
pub struct NegativeMessage {
    pub author: String,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub at: Timestamp,
    /// `None` once the channel was purged or the author forgotten.
    pub text: Option<String>,
    pub score: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelatedInfo {
    pub count: u64,
    /// How messages were matched to the event.
    pub matched_on: Vec<String>,
    /// Title words not matched on because the chat uses them every day, each with its
    /// share of the messages before the event.
    pub not_matched: Vec<String>,
}

/// The JSON of `trellis listen report`: the keys are a public contract.
#[derive(Debug, Clone, Serialize)]
pub struct ChatReport {
    pub event: EventId,
    pub title: String,
    pub window: Window,
    pub days: i64,
    pub channels: Vec<String>,
    pub covered: bool,
    /// The span the imported chats hold, when any.
    pub chats_span: Option<Window>,
    pub baseline_per_day: f64,
    pub messages: u64,
    /// Messages per day in the window over the baseline's; `None` when the baseline is 0.
    pub lift: Option<f64>,
    pub voices: u64,
    pub new_voices: u64,
    pub related: RelatedInfo,
    /// Over the related messages.
    pub tone: ToneCounts,
    pub most_negative: Vec<NegativeMessage>,
    pub verdict: Verdict,
    /// What the report cannot see (each surface words the remedy for its own limits).
    pub limits: Vec<String>,
}

/// The report of `event` over `[start, start + days]`, read only: it changes nothing, so it
/// does not count for the follow-up gate (the web page shows it on each view).
pub async fn preview(store: &Store, event: EventId, days: i64) -> Result<ChatReport, AppError> {
    Ok(assemble(store.chat_window(event, days).await?))
}

/// The same report, recorded (the last one per event): a recorded report that covers its
/// window passes the follow-up gate.
pub async fn report(
    store: &Store,
    ctx: &Ctx,
    event: EventId,
    days: i64,
) -> Result<ChatReport, AppError> {
    let r = preview(store, event, days).await?;
    store
        .record_chat_report(
            ctx,
            event,
            &RecordedReport {
                days,
                covered: r.covered,
                verdict: r.verdict,
                messages: r.messages,
                related: r.related.count,
                // Stored as an integer: the `Any` driver has no portable float.
                lift_e4: r.lift.map(|l| (l * 10_000.0).round() as i64),
            },
        )
        .await?;
    Ok(r)
}

/// The report's figures from the window's facts, by the core's rules.
fn assemble(w: ChatWindow) -> ChatReport {
    let spans: Vec<_> = w
        .channels
        .iter()
        .filter_map(|c| Some((c.first?, c.last?)))
        .collect();
    let covered = covers(w.from, w.to, spans.iter().copied());
    let chats_span = spans
        .iter()
        .copied()
        .reduce(|(a, b), (f, l)| (a.min(f), b.max(l)))
        .map(|(from, to)| Window { from, to });
    let baseline_per_day = w.baseline_messages as f64 / trellis_core::listen::BASELINE_DAYS as f64;
    let per_day = w.messages as f64 / w.days as f64;
    let lift = (baseline_per_day > 0.0).then(|| per_day / baseline_per_day);
    let mut limits = vec![
        "tone: VADER 3.3.2 lexicon and rules (English only; other languages score neutral unless they use emoji; sarcasm is not detected)".to_string(),
        "related: a message naming a word of the event's or its demos' titles (four letters or more, not a common word, and used in at most 2% of the chat's messages of the 28 days before), a presenter's full name or chat handle (never a first name alone), one of the program's own keywords, or the event generically (demo, talk, tonight, ...); the most negative messages are drawn from the whole window, related or not".to_string(),
    ];
    for c in &w.channels {
        if let Some(at) = c.purged_at {
            limits.push(format!(
                "channel \"{}\" was purged on {}: its older messages count as related as they were judged then (later demos and presenters are not matched in them; which title words are common in the chat is read from the messages that still have their text)",
                c.name,
                rfc3339_utc(at)
            ));
        }
    }
    ChatReport {
        event: w.event,
        title: w.title,
        window: Window {
            from: w.from,
            to: w.to,
        },
        days: w.days,
        channels: w.channels.into_iter().map(|c| c.name).collect(),
        covered,
        chats_span,
        baseline_per_day,
        messages: w.messages,
        lift,
        voices: w.voices,
        new_voices: w.new_voices,
        related: RelatedInfo {
            count: w.tone.total(),
            matched_on: w.matched_on,
            not_matched: w.common_words,
        },
        verdict: verdict(covered, per_day, baseline_per_day, &w.tone),
        tone: w.tone,
        most_negative: w
            .most_negative
            .into_iter()
            .map(|m| NegativeMessage {
                author: m.author,
                at: m.at,
                text: m.text,
                score: m.score_e4 as f64 / 10_000.0,
            })
            .collect(),
        limits,
    }
}

/// Messages per day around an event: the 28 days of the baseline, then the `days` of the
/// discussion window (the listening page's chart).
pub async fn daily(
    store: &Store,
    event: EventId,
    days: i64,
) -> Result<trellis_store::ChatDaily, AppError> {
    Ok(store
        .chat_daily(event, trellis_core::listen::BASELINE_DAYS, days)
        .await?)
}
