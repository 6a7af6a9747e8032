//! The sample chat, read back the way `trellis listen` reads it: parsed by `trellis-chat`,
//! scored by `trellis-tone`, judged by `trellis_core::listen`'s rules. Each held event must
//! get the verdict the chat was written to show.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::collections::{BTreeMap, HashSet};
use trellis_chat::{Format, Kind, MessageRef, Options};
use trellis_core::dataset::Dataset;
use trellis_core::demo::DemoStatus;
use trellis_core::listen::{BASELINE_DAYS, Matcher, ToneCounts, Verdict, verdict};
use trellis_sample::{Size, community_chat, generate, intended_verdicts};
use trellis_tone::Analyzer;

const SEED: u64 = 1; // `trellis sample`'s default

fn now() -> Timestamp {
    "2026-11-24T12:00:00Z".parse().unwrap()
}

struct Msg {
    at: Timestamp,
    author: String,
    text: String,
    compound_e4: i64,
}

struct Parsed {
    messages: Vec<Msg>,
    warnings: Vec<String>,
}

fn parse(chat: &str, tz: &TimeZone) -> Parsed {
    let analyzer = Analyzer::shared();
    let mut messages = Vec::new();
    let summary = trellis_chat::read_bytes(
        "sample.txt",
        chat.as_bytes(),
        Format::WhatsApp,
        &Options::default(),
        &mut |m: &MessageRef<'_>| {
            // What `trellis listen import` keeps: messages and media, with an author and a time.
            if !matches!(m.kind, Kind::Message | Kind::Media) {
                return;
            }
            let (Some(author), Some(time)) = (m.author, m.time) else {
                return;
            };
            assert_eq!(time.offset, None, "WhatsApp times are local");
            let c = time.local;
            let dt = DateTime::new(
                c.year as i16,
                c.month as i8,
                c.day as i8,
                c.hour as i8,
                c.minute as i8,
                c.second as i8,
                c.nanos as i32,
            )
            .unwrap();
            let compound = if m.kind == Kind::Message {
                analyzer.polarity_scores(m.text).compound
            } else {
                0.0
            };
            messages.push(Msg {
                at: tz.to_ambiguous_timestamp(dt).compatible().unwrap(),
                author: author.name.to_owned(),
                text: m.text.to_owned(),
                compound_e4: (compound * 10_000.0).round() as i64,
            });
        },
    )
    .unwrap();
    assert_eq!(summary.day_first, Some(true));
    Parsed {
        messages,
        warnings: summary.warnings,
    }
}

#[derive(Debug)]
struct Report {
    verdict: Verdict,
    messages: usize,
    baseline: usize,
    related: ToneCounts,
    new_voices: usize,
}

/// The discussion report's rules over `[start, start + 7 days]`.
fn report(data: &Dataset, event: usize, msgs: &[Msg]) -> Report {
    let ev = &data.events[event];
    let demos: Vec<_> = data
        .demos
        .iter()
        .filter(|d| {
            d.event == event && !matches!(d.status, DemoStatus::Rejected | DemoStatus::Withdrawn)
        })
        .collect();
    let presenters: Vec<&str> = demos
        .iter()
        .flat_map(|d| d.presenters.iter().map(|&p| data.people[p].name.as_str()))
        .collect();
    let matcher = Matcher::new(
        &ev.title,
        demos.iter().map(|d| d.title.as_str()),
        presenters,
    );
    let from = ev.starts_at;
    let to = from + SignedDuration::from_hours(24 * 7);
    let base_from = from - SignedDuration::from_hours(24 * BASELINE_DAYS);
    let covered = msgs.first().is_some_and(|m| m.at <= from) && msgs.iter().any(|m| m.at >= to);
    let baseline = msgs
        .iter()
        .filter(|m| m.at >= base_from && m.at < from)
        .count();
    let window: Vec<&Msg> = msgs.iter().filter(|m| m.at >= from && m.at <= to).collect();
    let mut related = ToneCounts::default();
    for m in &window {
        if matcher.is_related(&m.text) {
            related.add(m.compound_e4);
        }
    }
    let mut first: BTreeMap<&str, Timestamp> = BTreeMap::new();
    for m in msgs {
        first.entry(m.author.as_str()).or_insert(m.at);
    }
    let new_voices = first.values().filter(|&&t| t >= from && t <= to).count();
    let per_day = window.len() as f64 / 7.0;
    let baseline_per_day = baseline as f64 / BASELINE_DAYS as f64;
    Report {
        verdict: verdict(covered, per_day, baseline_per_day, &related),
        messages: window.len(),
        baseline,
        related,
        new_voices,
    }
}

fn check(seed: u64) {
    let data = generate(Size::Small, seed, now());
    let tz = TimeZone::get(&data.programs[0].tz).unwrap();
    assert_eq!(data.programs[0].tz, "Europe/Berlin");
    let chat = community_chat(&data, 0, seed, now());
    let parsed = parse(&chat, &tz);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let msgs = parsed.messages;
    eprintln!("seed {seed}: {} messages", msgs.len());
    assert!(msgs.windows(2).all(|w| w[0].at <= w[1].at), "in time order");

    // Every message would be stored: no two with the same time, author and text.
    let mut keys = HashSet::new();
    for m in &msgs {
        assert!(
            keys.insert((m.at, m.author.as_str(), m.text.as_str())),
            "duplicate {} {}: {}",
            m.at,
            m.author,
            m.text
        );
    }
    // Authors are the program's people (or its organizers), as the dataset spells them.
    let names: HashSet<&str> = data
        .people
        .iter()
        .map(|p| p.name.as_str())
        .chain(data.organizers.iter().map(|o| o.name.as_str()))
        .collect();
    assert!(msgs.iter().all(|m| names.contains(m.author.as_str())));

    // The chat spans the history: from 28+ days before the first event to a day or two
    // before now.
    let first_event = data.events[0].starts_at;
    assert!(msgs[0].at <= first_event - SignedDuration::from_hours(24 * 28));
    let last = msgs.last().unwrap().at;
    assert!(last < now(), "{last}");
    assert!(last >= now() - SignedDuration::from_hours(48), "{last}");

    let intended = intended_verdicts(&data, 0);
    assert_eq!(intended.len(), 16);
    let mut silent = 0;
    let mut negative = 0;
    let mut mixed = 0;
    let mut positive = 0;
    let mut new_voices = 0;
    for &(event, want) in &intended {
        let r = report(&data, event, &msgs);
        eprintln!(
            "seed {seed} event {event:>2} {:<32} {:>9}: {:>2} messages in the week (baseline {:>2} in 28 days), related {:?}, {} new voice(s)",
            data.events[event].title,
            r.verdict.as_str(),
            r.messages,
            r.baseline,
            r.related,
            r.new_voices
        );
        assert_eq!(
            r.verdict, want,
            "seed {seed}, event {event} ({}): {r:?}",
            data.events[event].title
        );
        match r.verdict {
            Verdict::Silent => silent += 1,
            Verdict::Negative => negative += 1,
            Verdict::Mixed => mixed += 1,
            Verdict::Positive => positive += 1,
            Verdict::NotCovered => panic!("event {event} not covered"),
        }
        if want == Verdict::Silent {
            assert_eq!(
                r.related.total(),
                0,
                "nothing related after the silent event"
            );
            assert!(r.messages * 28 <= r.baseline * 7, "{r:?}");
        }
        new_voices += r.new_voices;
    }
    assert_eq!((silent, negative), (1, 1));
    assert!(
        mixed >= 1 && positive > mixed + 2,
        "{mixed} mixed, {positive} positive"
    );
    assert!(new_voices >= 1);
    // The last held event is not the odd one out.
    assert!(matches!(
        intended.last().unwrap().1,
        Verdict::Positive | Verdict::Mixed
    ));
}

#[test]
fn every_held_event_gets_the_verdict_the_chat_was_written_for() {
    check(SEED);
}

#[test]
fn other_seeds_too() {
    for seed in [2, 3, 7, 42] {
        check(seed);
    }
}

#[test]
fn the_same_seed_gives_the_same_chat() {
    let data = generate(Size::Small, SEED, now());
    let a = community_chat(&data, 0, SEED, now());
    let b = community_chat(&data, 0, SEED, now());
    assert_eq!(a, b);
    let c = community_chat(&data, 0, SEED + 1, now());
    assert_ne!(a, c);
}
