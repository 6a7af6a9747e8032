//! Figures computed from recorded history. The exact definitions live in the design;
//! this module grows with the metrics issue.

use crate::attendance::{CheckedIn, Rsvp};
use crate::ids::{EventId, PersonId};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// One attendance row as the metrics read it.
#[derive(Debug, Clone, Copy)]
pub struct Seen {
    pub event: EventId,
    pub person: PersonId,
    pub rsvp: Rsvp,
    pub checked_in: CheckedIn,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReturningPoint {
    pub event: EventId,
    pub attended: u32,
    pub returning: u32,
    /// `None` when nobody attended: no data is not a 0.
    pub rate: Option<f64>,
    /// Counted from RSVPs because the event's check-in was not used.
    pub estimated: bool,
}

/// `attended(E)`: people checked in at E; if nobody at E is checked in, people with rsvp
/// `going` instead (estimated).
pub fn attended(rows: &[&Seen]) -> (HashSet<PersonId>, bool) {
    let checked: HashSet<PersonId> = rows
        .iter()
        .filter(|r| r.checked_in == CheckedIn::Yes)
        .map(|r| r.person)
        .collect();
    if !checked.is_empty() {
        return (checked, false);
    }
    (
        rows.iter()
            .filter(|r| r.rsvp == Rsvp::Going)
            .map(|r| r.person)
            .collect(),
        true,
    )
}

/// One event's point of the returning series, from its counts (the store counts them in
/// the database for the review block's trend).
pub fn returning_point(
    event: EventId,
    attended: u32,
    returning: u32,
    estimated: bool,
) -> ReturningPoint {
    ReturningPoint {
        event,
        attended,
        returning,
        rate: (attended > 0).then(|| f64::from(returning) / f64::from(attended)),
        estimated,
    }
}

/// The returning builder rate of each event, in the order given (by start): the share of
/// its attendees who attended any earlier event of the list.
pub fn returning_series(events: &[EventId], rows: &[Seen]) -> Vec<ReturningPoint> {
    let mut by_event: HashMap<EventId, Vec<&Seen>> = HashMap::new();
    for r in rows {
        by_event.entry(r.event).or_default().push(r);
    }
    let mut seen: HashSet<PersonId> = HashSet::new();
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        let (room, estimated) = attended(by_event.get(e).map(Vec::as_slice).unwrap_or(&[]));
        let returning = room.iter().filter(|p| seen.contains(p)).count() as u32;
        out.push(returning_point(*e, room.len() as u32, returning, estimated));
        seen.extend(room);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(e: i64, p: i64, rsvp: Rsvp, c: CheckedIn) -> Seen {
        Seen {
            event: EventId(e),
            person: PersonId(p),
            rsvp,
            checked_in: c,
        }
    }

    #[test]
    fn returning_counts_people_seen_at_an_earlier_event() {
        // | person | e1      | e2      | e3 (no check-in used) |
        // | 1      | checked | checked | going                 |
        // | 2      | checked | -       | going                 |
        // | 3      | going,no| checked | -                     |
        // | 4      | -       | -       | going                 |
        let rows = vec![
            row(1, 1, Rsvp::Going, CheckedIn::Yes),
            row(1, 2, Rsvp::Going, CheckedIn::Yes),
            row(1, 3, Rsvp::Going, CheckedIn::No),
            row(2, 1, Rsvp::Going, CheckedIn::Yes),
            row(2, 3, Rsvp::Going, CheckedIn::Yes),
            row(3, 1, Rsvp::Going, CheckedIn::Unknown),
            row(3, 2, Rsvp::Going, CheckedIn::Unknown),
            row(3, 4, Rsvp::Going, CheckedIn::Unknown),
        ];
        let s = returning_series(&[EventId(1), EventId(2), EventId(3)], &rows);
        assert_eq!(
            (s[0].attended, s[0].returning, s[0].rate),
            (2, 0, Some(0.0))
        );
        assert_eq!(
            (s[1].attended, s[1].returning),
            (2, 1),
            "person 3 was not checked in at e1"
        );
        assert_eq!(
            (s[2].attended, s[2].returning, s[2].estimated),
            (3, 2, true)
        );
    }

    #[test]
    fn an_empty_event_has_no_rate() {
        let s = returning_series(&[EventId(1)], &[]);
        assert_eq!(s[0].rate, None);
    }
}

// ---------------------------------------------------------------------------------
// The metrics of the review, from recorded history. Definitions: design.md, "Metrics —
// exact definitions". Every figure that has no data is `None`, never a made-up 0.

use crate::demo::DemoStatus;
use crate::event::EventStatus;
use crate::ids::ProgramId;
use crate::program::ProgramSettings;
use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeMap;

/// Everything the metrics read, for one scope (a program, or all of them).
#[derive(Debug, Clone, Default)]
pub struct History {
    pub events: Vec<EventFact>,
    pub attendances: Vec<Seen>,
    pub demos: Vec<DemoFact>,
    /// When each event's retro was written.
    pub retros: HashMap<EventId, Timestamp>,
    pub followups: Vec<FollowupFact>,
    pub sparks: Vec<SparkFact>,
    pub checkins: Vec<CheckinFact>,
    /// Recorded actions (status changes, moves, follow-ups, retros, sparks) by actor.
    pub actions: Vec<ActionFact>,
    pub settings: HashMap<ProgramId, ProgramSettings>,
    pub names: HashMap<PersonId, String>,
}

#[derive(Debug, Clone)]
pub struct EventFact {
    pub id: EventId,
    pub program: ProgramId,
    pub title: String,
    pub starts_at: Timestamp,
    pub created_at: Timestamp,
    pub status: EventStatus,
    pub held_at: Option<Timestamp>,
}

impl EventFact {
    fn counts(&self) -> bool {
        matches!(self.status, EventStatus::Held | EventStatus::Closed)
    }
}

#[derive(Debug, Clone)]
pub struct DemoFact {
    pub event: EventId,
    pub status: DemoStatus,
    pub presenters: Vec<PersonId>,
}

#[derive(Debug, Clone, Copy)]
pub struct FollowupFact {
    pub event: EventId,
    pub sent_at: Timestamp,
    pub answered: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct SparkFact {
    pub made_at: Timestamp,
    pub acted_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct CheckinFact {
    pub organizer: String,
    pub at: Timestamp,
    pub score: f64,
    pub hours: f64,
    /// When the organizer retired (handed their work on), if they did: from then on
    /// they are not an active organizer, and the index leaves them out.
    pub retired_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct ActionFact {
    pub actor: String,
    pub at: Timestamp,
}

/// The period whose figures are reported, and the reference date.
#[derive(Debug, Clone, Copy)]
pub struct Period {
    pub from: Timestamp,
    pub to: Timestamp,
}

impl Period {
    /// The 365 days up to `at`.
    pub fn year_to(at: Timestamp) -> Period {
        Period {
            from: at - SignedDuration::from_hours(24 * 365),
            to: at,
        }
    }
    pub fn contains(&self, t: Timestamp) -> bool {
        t >= self.from && t <= self.to
    }
}

const DAY: i64 = 86_400;
/// The conversion window after a first attendance.
pub const CONVERSION_DAYS: i64 = 180;
/// An organizer without a check-in for this long is not counted as active.
pub const ACTIVE_DAYS: i64 = 60;
/// Above this share, one person or event carries too much of the program.
pub const FRAGILE_SHARE: f64 = 0.5;

fn ratio(n: usize, d: usize) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

#[derive(Debug, Clone, Serialize)]
pub struct PerEvent {
    pub event: EventId,
    #[serde(skip)]
    pub title: String,
    pub starts_at: String,
    pub attended: u32,
    pub returning: u32,
    pub rate: Option<f64>,
    #[serde(skip)]
    pub estimated: bool,
    #[serde(skip)]
    pub returning_people: Vec<PersonId>,
    #[serde(skip)]
    pub first_timers: Vec<PersonId>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReturningRate {
    pub value: Option<f64>,
    pub estimated: bool,
    pub per_event: Vec<PerEvent>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CohortMember {
    pub person: PersonId,
    pub first_attended: String,
    pub first_event: EventId,
    /// The first demo presented within the window, if any.
    pub presented: Option<EventId>,
    pub window_open: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Conversion {
    pub value: Option<f64>,
    pub cohort: u32,
    pub converted: u32,
    pub so_far: bool,
    #[serde(skip)]
    pub members: Vec<CohortMember>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RepeatSpeakers {
    pub value: Option<f64>,
    pub speakers: u32,
    pub repeat: u32,
    /// Presented demos per speaker of the window (ever, up to the reference date).
    #[serde(skip)]
    pub counts: Vec<(PersonId, u32)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sparks {
    pub made: u32,
    pub acted: u32,
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShipEvent {
    pub event: EventId,
    pub days: Option<f64>,
    pub quality: bool,
    /// Why it is not a quality event.
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimeToShip {
    pub median_days: Option<f64>,
    pub quality_events: u32,
    pub events: u32,
    pub quality_share: Option<f64>,
    #[serde(skip)]
    pub detail: Vec<ShipEvent>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrganizerFatigue {
    /// "organizer 1", "organizer 2", … (most tired first), never the person's name.
    pub name: String,
    pub score: f64,
    pub at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Fatigue {
    pub value: Option<f64>,
    pub high: bool,
    pub organizers: Vec<OrganizerFatigue>,
    /// Organizers whose latest check-in (last 60 days) scores high: shown as "1 of 3
    /// organizers high" beside the mean, which one tired organizer cannot be diluted out of.
    pub high_organizers: u32,
    /// The program's recorded hours ÷ its held events in the period (not ÷ check-ins).
    pub hours_per_event: Option<f64>,
    pub busiest_share: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Fragility {
    pub top_presenter_share: Option<f64>,
    pub top_event_share: Option<f64>,
    pub top_organizer_share: Option<f64>,
    pub warnings: Vec<String>,
    #[serde(skip)]
    pub top_presenter: Option<(PersonId, u32, u32)>,
    #[serde(skip)]
    pub top_event: Option<(EventId, u32, u32)>,
    #[serde(skip)]
    pub top_organizer: Option<(String, u32, u32)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub returning_builder_rate: ReturningRate,
    pub first_time_demo_conversion: Conversion,
    pub repeat_speaker_rate: RepeatSpeakers,
    pub collaboration_sparks: Sparks,
    pub time_to_ship: TimeToShip,
    pub fatigue_index: Fatigue,
    pub fragility: Fragility,
}

type Room<'a> = (&'a EventFact, HashSet<PersonId>, bool);

/// The held events up to `at`, oldest first, with who attended each.
fn rooms(h: &History, at: Timestamp) -> Vec<Room<'_>> {
    let mut events: Vec<&EventFact> = h
        .events
        .iter()
        .filter(|e| e.counts() && e.starts_at <= at)
        .collect();
    events.sort_by_key(|e| (e.starts_at, e.id));
    let mut by_event: HashMap<EventId, Vec<&Seen>> = HashMap::new();
    for r in &h.attendances {
        by_event.entry(r.event).or_default().push(r);
    }
    events
        .into_iter()
        .map(|e| {
            let (room, estimated) = attended(by_event.get(&e.id).map(Vec::as_slice).unwrap_or(&[]));
            (e, room, estimated)
        })
        .collect()
}

fn sorted(mut v: Vec<PersonId>) -> Vec<PersonId> {
    v.sort_unstable();
    v
}

pub fn returning_builder_rate(h: &History, period: Period, at: Timestamp) -> ReturningRate {
    returning_from(&rooms(h, at), period)
}

fn returning_from(rooms: &[Room<'_>], period: Period) -> ReturningRate {
    let mut seen: HashSet<PersonId> = HashSet::new();
    let mut per_event = Vec::new();
    let (mut attended_sum, mut returning_sum, mut estimated) = (0usize, 0usize, false);
    for (e, room, est) in rooms {
        let (e, est) = (*e, *est);
        if period.contains(e.starts_at) {
            let returning: Vec<PersonId> =
                room.iter().filter(|p| seen.contains(p)).copied().collect();
            let first: Vec<PersonId> = room.iter().filter(|p| !seen.contains(p)).copied().collect();
            attended_sum += room.len();
            returning_sum += returning.len();
            estimated |= est && !room.is_empty();
            per_event.push(PerEvent {
                event: e.id,
                title: e.title.clone(),
                starts_at: crate::time::rfc3339_utc(e.starts_at),
                attended: room.len() as u32,
                returning: returning.len() as u32,
                rate: ratio(returning.len(), room.len()),
                estimated: est,
                returning_people: sorted(returning),
                first_timers: sorted(first),
            });
        }
        seen.extend(room.iter().copied());
    }
    ReturningRate {
        value: ratio(returning_sum, attended_sum),
        estimated,
        per_event,
    }
}

fn presentations(h: &History, at: Timestamp) -> Vec<(PersonId, EventId, Timestamp)> {
    let starts: HashMap<EventId, &EventFact> = h.events.iter().map(|e| (e.id, e)).collect();
    let mut out = Vec::new();
    for d in h.demos.iter().filter(|d| d.status == DemoStatus::Presented) {
        let Some(e) = starts
            .get(&d.event)
            .filter(|e| e.counts() && e.starts_at <= at)
        else {
            continue;
        };
        for p in &d.presenters {
            out.push((*p, e.id, e.starts_at));
        }
    }
    out.sort_by_key(|(p, e, t)| (*t, *e, *p));
    out
}

pub fn first_time_demo_conversion(h: &History, period: Period, at: Timestamp) -> Conversion {
    conversion_from(&rooms(h, at), &presentations(h, at), period, at)
}

fn conversion_from(
    rooms: &[Room<'_>],
    talks: &[(PersonId, EventId, Timestamp)],
    period: Period,
    at: Timestamp,
) -> Conversion {
    let mut first: HashMap<PersonId, (EventId, Timestamp)> = HashMap::new();
    for (e, room, _) in rooms {
        for p in room {
            first.entry(*p).or_insert((e.id, e.starts_at));
        }
    }
    // Each person's presentations, oldest first, to find the first in the window.
    let mut by_person: HashMap<PersonId, Vec<(Timestamp, EventId)>> = HashMap::new();
    for (p, e, t) in talks {
        by_person.entry(*p).or_default().push((*t, *e));
    }
    let window = SignedDuration::from_secs(CONVERSION_DAYS * DAY);
    let mut members: Vec<CohortMember> = first
        .iter()
        .filter(|(_, (_, t))| period.contains(*t))
        .map(|(p, (e, t))| {
            let until = *t + window;
            let presented = by_person
                .get(p)
                .and_then(|ts| ts.iter().find(|(when, _)| *when >= *t && *when <= until))
                .map(|(_, ev)| *ev);
            CohortMember {
                person: *p,
                first_attended: crate::time::rfc3339_utc(*t),
                first_event: *e,
                presented,
                window_open: until > at,
            }
        })
        .collect();
    members.sort_by(|a, b| {
        a.first_attended
            .cmp(&b.first_attended)
            .then(a.person.cmp(&b.person))
    });
    let converted = members.iter().filter(|m| m.presented.is_some()).count();
    Conversion {
        value: ratio(converted, members.len()),
        cohort: members.len() as u32,
        converted: converted as u32,
        so_far: members.iter().any(|m| m.window_open),
        members,
    }
}

pub fn repeat_speaker_rate(h: &History, at: Timestamp) -> RepeatSpeakers {
    repeat_from(&presentations(h, at), at)
}

fn repeat_from(talks: &[(PersonId, EventId, Timestamp)], at: Timestamp) -> RepeatSpeakers {
    let window = Period::year_to(at);
    // Appearances: the different events a person presented at. Two demos on one evening
    // are one appearance, so they do not make a repeat speaker.
    let mut evenings: HashMap<PersonId, HashSet<EventId>> = HashMap::new();
    for (p, e, _) in talks {
        evenings.entry(*p).or_default().insert(*e);
    }
    let ever: HashMap<PersonId, u32> = evenings
        .into_iter()
        .map(|(p, es)| (p, es.len() as u32))
        .collect();
    let speakers: HashSet<PersonId> = talks
        .iter()
        .filter(|(_, _, t)| window.contains(*t))
        .map(|(p, _, _)| *p)
        .collect();
    let mut counts: Vec<(PersonId, u32)> = speakers.iter().map(|p| (*p, ever[p])).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let repeat = counts.iter().filter(|(_, n)| *n >= 2).count();
    RepeatSpeakers {
        value: ratio(repeat, speakers.len()),
        speakers: speakers.len() as u32,
        repeat: repeat as u32,
        counts,
    }
}

pub fn collaboration_sparks(h: &History, period: Period, at: Timestamp) -> Sparks {
    let made: Vec<&SparkFact> = h
        .sparks
        .iter()
        .filter(|s| period.contains(s.made_at) && s.made_at <= at)
        .collect();
    let acted = made
        .iter()
        .filter(|s| s.acted_at.is_some_and(|a| a <= at))
        .count();
    Sparks {
        made: made.len() as u32,
        acted: acted as u32,
        rate: ratio(acted, made.len()),
    }
}

pub fn time_to_ship(h: &History, period: Period, at: Timestamp) -> TimeToShip {
    let mut presented_at: HashMap<EventId, usize> = HashMap::new();
    for d in h.demos.iter().filter(|d| d.status == DemoStatus::Presented) {
        *presented_at.entry(d.event).or_default() += 1;
    }
    let mut sent_by: HashMap<EventId, Vec<Timestamp>> = HashMap::new();
    for f in &h.followups {
        sent_by.entry(f.event).or_default().push(f.sent_at);
    }
    let mut detail = Vec::new();
    for e in h
        .events
        .iter()
        .filter(|e| e.counts() && e.starts_at <= at && period.contains(e.starts_at))
    {
        let settings = h.settings.get(&e.program).copied().unwrap_or_default();
        let days = (e.created_at <= e.starts_at)
            .then(|| e.starts_at.duration_since(e.created_at).as_secs_f64() / DAY as f64);
        let mut missing = Vec::new();
        let presented = presented_at.get(&e.id).copied().unwrap_or(0);
        if presented < settings.demo_target as usize {
            missing.push(format!(
                "{presented} of {} demos presented",
                settings.demo_target
            ));
        }
        let held = e.held_at.unwrap_or(e.starts_at);
        let retro_due = crate::retro::due(held, settings.retro_hours);
        match h.retros.get(&e.id) {
            Some(w) if *w <= retro_due => {}
            Some(_) => missing.push("retro written late".into()),
            None => missing.push("no retro".into()),
        }
        let fu_due = crate::followup::due(held);
        let sent = sent_by
            .get(&e.id)
            .map_or(0, |v| v.iter().filter(|t| **t <= fu_due).count());
        if sent < settings.followup_minimum as usize {
            missing.push(format!(
                "{sent} of {} follow-ups within 7 days",
                settings.followup_minimum
            ));
        }
        if days.is_none() {
            missing.push("created after it started (backfilled)".into());
        }
        detail.push(ShipEvent {
            event: e.id,
            days,
            quality: missing.is_empty(),
            missing,
        });
    }
    let mut quality: Vec<f64> = detail
        .iter()
        .filter(|d| d.quality)
        .filter_map(|d| d.days)
        .collect();
    quality.sort_by(f64::total_cmp);
    let median = match quality.len() {
        0 => None,
        n if n % 2 == 1 => Some(quality[n / 2]),
        n => Some((quality[n / 2 - 1] + quality[n / 2]) / 2.0),
    };
    let q = detail.iter().filter(|d| d.quality).count();
    TimeToShip {
        median_days: median.map(|m| (m * 10.0).round() / 10.0),
        quality_events: q as u32,
        events: detail.len() as u32,
        quality_share: ratio(q, detail.len()),
        detail,
    }
}

fn busiest(h: &History, period: Period) -> Option<(String, u32, u32)> {
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    for a in h.actions.iter().filter(|a| period.contains(a.at)) {
        *counts.entry(a.actor.as_str()).or_default() += 1;
    }
    let total: u32 = counts.values().sum();
    let (name, n) = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
    Some(((*name).to_owned(), *n, total))
}

/// Each key's latest item among those dated in the [`ACTIVE_DAYS`] up to `at`: the
/// check-ins the fatigue index reads, and the lead's high notice with it.
pub fn latest_in_window<'a, T, K: Ord>(
    items: impl IntoIterator<Item = &'a T>,
    at: Timestamp,
    when: impl Fn(&T) -> Timestamp,
    key: impl Fn(&'a T) -> K,
) -> BTreeMap<K, &'a T> {
    let since = at - SignedDuration::from_secs(ACTIVE_DAYS * DAY);
    let mut latest: BTreeMap<K, &'a T> = BTreeMap::new();
    for item in items {
        let t = when(item);
        if t <= since || t > at {
            continue;
        }
        let slot = latest.entry(key(item)).or_insert(item);
        if t > when(slot) {
            *slot = item;
        }
    }
    latest
}

pub fn fatigue_index(h: &History, period: Period, at: Timestamp) -> Fatigue {
    let active = h
        .checkins
        .iter()
        .filter(|c| c.retired_at.is_none_or(|r| r > at));
    let latest = latest_in_window(active, at, |c| c.at, |c| c.organizer.as_str());
    // The screen is shared (with the team, with a manager): a burnout score names no one.
    // Each organizer is "organizer N", most tired first, so the order says nothing of
    // who is who; their own trend is theirs to see (`checkin show`).
    let mut scores: Vec<&CheckinFact> = latest.into_values().collect();
    scores.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.at.cmp(&a.at)));
    let organizers: Vec<OrganizerFatigue> = scores
        .into_iter()
        .enumerate()
        .map(|(i, c)| OrganizerFatigue {
            name: format!("organizer {}", i + 1),
            score: c.score,
            at: crate::time::rfc3339_utc(c.at),
        })
        .collect();
    let value = (!organizers.is_empty())
        .then(|| organizers.iter().map(|o| o.score).sum::<f64>() / organizers.len() as f64);
    let hours: Vec<f64> = h
        .checkins
        .iter()
        .filter(|c| period.contains(c.at) && c.at <= at)
        .map(|c| c.hours)
        .collect();
    // Hours per *event*: check-ins per event vary with how many organizers answered, so
    // dividing by them would make a team's evening look as long as one person's.
    let held = h
        .events
        .iter()
        .filter(|e| e.counts() && period.contains(e.starts_at) && e.starts_at <= at)
        .count();
    let high_organizers = organizers
        .iter()
        .filter(|o| o.score >= crate::checkin::HIGH)
        .count() as u32;
    Fatigue {
        value: value.map(|v| (v * 10.0).round() / 10.0),
        high: value.is_some_and(|v| v >= crate::checkin::HIGH),
        organizers,
        high_organizers,
        hours_per_event: (!hours.is_empty() && held > 0)
            .then(|| hours.iter().sum::<f64>() / held as f64),
        busiest_share: busiest(h, period).and_then(|(_, n, t)| ratio(n as usize, t as usize)),
    }
}

pub fn fragility(h: &History, at: Timestamp) -> Fragility {
    fragility_from(h, &rooms(h, at), &presentations(h, at), at)
}

fn fragility_from(
    h: &History,
    rooms: &[Room<'_>],
    talks: &[(PersonId, EventId, Timestamp)],
    at: Timestamp,
) -> Fragility {
    let year = Period::year_to(at);
    let mut by_presenter: BTreeMap<PersonId, u32> = BTreeMap::new();
    let talks: Vec<_> = talks.iter().filter(|(_, _, t)| year.contains(*t)).collect();
    for (p, _, _) in &talks {
        *by_presenter.entry(*p).or_default() += 1;
    }
    let top_presenter = by_presenter
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(p, n)| (*p, *n, talks.len() as u32));
    let room_sizes: Vec<(EventId, u32)> = rooms
        .iter()
        .filter(|(e, _, _)| year.contains(e.starts_at))
        .map(|(e, r, _)| (e.id, r.len() as u32))
        .collect();
    let total: u32 = room_sizes.iter().map(|(_, n)| n).sum();
    let top_event = room_sizes
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(e, n)| (*e, *n, total));
    let top_organizer = busiest(h, year);
    let share = |t: Option<(u32, u32)>| t.and_then(|(n, d)| ratio(n as usize, d as usize));
    let f = Fragility {
        top_presenter_share: share(top_presenter.map(|(_, n, d)| (n, d))),
        top_event_share: share(top_event.map(|(_, n, d)| (n, d))),
        top_organizer_share: share(top_organizer.as_ref().map(|(_, n, d)| (*n, *d))),
        warnings: Vec::new(),
        top_presenter,
        top_event,
        top_organizer,
    };
    let mut warnings = Vec::new();
    if f.top_presenter_share.is_some_and(|s| s > FRAGILE_SHARE) {
        warnings.push("one presenter gave more than half of the year's demos".to_owned());
    }
    if f.top_event_share.is_some_and(|s| s > FRAGILE_SHARE) {
        warnings.push("one event drew more than half of the year's attendance".to_owned());
    }
    if f.top_organizer_share.is_some_and(|s| s > FRAGILE_SHARE) {
        warnings.push("one organizer did more than half of the recorded work".to_owned());
    }
    Fragility { warnings, ..f }
}

/// Every figure of the review block.
/// The rooms and the presentations are worked out once and shared: one pass over the
/// attendance, whatever the number of figures.
pub fn compute(h: &History, period: Period, at: Timestamp) -> Figures {
    let rooms = rooms(h, at);
    let talks = presentations(h, at);
    Figures {
        returning_builder_rate: returning_from(&rooms, period),
        first_time_demo_conversion: conversion_from(&rooms, &talks, period, at),
        repeat_speaker_rate: repeat_from(&talks, at),
        collaboration_sparks: collaboration_sparks(h, period, at),
        time_to_ship: time_to_ship(h, period, at),
        fatigue_index: fatigue_index(h, period, at),
        fragility: fragility_from(h, &rooms, &talks, at),
    }
}

#[cfg(test)]
mod definition_tests {
    //! Small hand-computed scenarios, one per definition, with the edges named in the
    //! design: each states who attended what as a table.

    use super::*;
    use proptest::prelude::*;

    const DAY_S: i64 = 86_400;

    fn t(day: i64) -> Timestamp {
        Timestamp::from_second(1_767_225_600 + day * DAY_S).unwrap() // 2026-01-01 + day
    }

    fn event(id: i64, program: i64, day: i64, status: EventStatus) -> EventFact {
        EventFact {
            id: EventId(id),
            program: ProgramId(program),
            title: format!("E{id}"),
            starts_at: t(day),
            created_at: t(day - 30),
            status,
            held_at: Some(t(day)),
        }
    }

    fn came(e: i64, p: i64) -> Seen {
        Seen {
            event: EventId(e),
            person: PersonId(p),
            rsvp: Rsvp::Going,
            checked_in: CheckedIn::Yes,
        }
    }

    fn rsvp_only(e: i64, p: i64) -> Seen {
        Seen {
            event: EventId(e),
            person: PersonId(p),
            rsvp: Rsvp::Going,
            checked_in: CheckedIn::Unknown,
        }
    }

    fn demo(e: i64, p: i64, status: DemoStatus) -> DemoFact {
        DemoFact {
            event: EventId(e),
            status,
            presenters: vec![PersonId(p)],
        }
    }

    fn all_year() -> Period {
        Period {
            from: t(0),
            to: t(364),
        }
    }

    /// | person | E1 (day 10) | E2 (day 40, no check-in used) | E3 (day 70, cancelled) | E4 (day 100) |
    /// | 1      | x           | going                        | x                      | x            |
    /// | 2      | x           |                              |                        | x            |
    /// | 3      |             | going                        | x                      |              |
    /// | 4      |             |                              | x                      | x            |
    /// E3 never counts, so person 4 is a first-timer at E4.
    fn scenario() -> History {
        History {
            events: vec![
                event(1, 1, 10, EventStatus::Closed),
                event(2, 1, 40, EventStatus::Closed),
                event(3, 1, 70, EventStatus::Cancelled),
                event(4, 1, 100, EventStatus::Held),
            ],
            attendances: vec![
                came(1, 1),
                came(1, 2),
                rsvp_only(2, 1),
                rsvp_only(2, 3),
                came(3, 1),
                came(3, 3),
                came(3, 4),
                came(4, 1),
                came(4, 2),
                came(4, 4),
            ],
            ..History::default()
        }
    }

    #[test]
    fn returning_builder_rate_by_hand() {
        let r = returning_builder_rate(&scenario(), all_year(), t(200));
        let per: Vec<(i64, u32, u32)> = r
            .per_event
            .iter()
            .map(|e| (e.event.0, e.attended, e.returning))
            .collect();
        // E1: 2 attended, 0 returning; E2 (RSVPs): 2, 1 (person 1); E4: 3, 2 (persons 1, 2).
        assert_eq!(per, vec![(1, 2, 0), (2, 2, 1), (4, 3, 2)]);
        assert_eq!(r.value, Some(3.0 / 7.0));
        assert!(r.estimated, "E2 used RSVPs");
        assert!(r.per_event[1].estimated && !r.per_event[2].estimated);
        assert_eq!(r.per_event[2].first_timers, vec![PersonId(4)]);
    }

    #[test]
    fn history_before_the_period_still_decides_who_returns() {
        let r = returning_builder_rate(
            &scenario(),
            Period {
                from: t(90),
                to: t(364),
            },
            t(200),
        );
        assert_eq!(r.per_event.len(), 1);
        assert_eq!((r.per_event[0].attended, r.per_event[0].returning), (3, 2));
    }

    #[test]
    fn a_first_event_in_another_program_does_not_count_in_this_one() {
        // Person 9 went to program 2's E5 before program 1's E1. For program 1 the store
        // loads only program 1's events, so 9 is a first-timer at E1; org-wide, returning.
        let mut program1 = History {
            events: vec![event(1, 1, 10, EventStatus::Closed)],
            attendances: vec![came(1, 9)],
            ..History::default()
        };
        let r = returning_builder_rate(&program1, all_year(), t(200));
        assert_eq!(r.per_event[0].returning, 0);
        program1.events.push(event(5, 2, 5, EventStatus::Closed));
        program1.attendances.push(came(5, 9));
        let r = returning_builder_rate(&program1, all_year(), t(200));
        assert_eq!(
            r.per_event
                .iter()
                .find(|e| e.event == EventId(1))
                .unwrap()
                .returning,
            1
        );
    }

    #[test]
    fn no_attendance_is_no_data_not_zero() {
        let h = History {
            events: vec![event(1, 1, 10, EventStatus::Closed)],
            ..History::default()
        };
        assert_eq!(returning_builder_rate(&h, all_year(), t(200)).value, None);
        assert_eq!(
            first_time_demo_conversion(&h, all_year(), t(200)).value,
            None
        );
        assert_eq!(repeat_speaker_rate(&h, t(200)).value, None);
        assert_eq!(fatigue_index(&h, all_year(), t(200)).value, None);
    }

    /// First attendances: 1 → E1 (day 10), 2 → E1, 3 → E2 (day 40), 4 → E4 (day 100).
    /// Presented: 2 at E2 (withdrawn: never counts), 3 at E4 (day 100, within 180 days of
    /// day 40), 1 at E4 (within 180 days of day 10).
    #[test]
    fn conversion_by_hand_with_withdrawn_and_open_windows() {
        let mut h = scenario();
        h.demos = vec![
            demo(2, 2, DemoStatus::Withdrawn),
            demo(4, 3, DemoStatus::Presented),
            demo(4, 1, DemoStatus::Presented),
        ];
        let c = first_time_demo_conversion(&h, all_year(), t(200));
        assert_eq!((c.cohort, c.converted), (4, 2));
        assert_eq!(c.value, Some(0.5));
        assert!(
            c.so_far,
            "person 4's window (day 100 + 180) is still open on day 200"
        );
        let later = first_time_demo_conversion(&h, all_year(), t(400));
        assert!(!later.so_far);
    }

    #[test]
    fn a_presentation_after_180_days_does_not_convert() {
        let mut h = scenario();
        h.events.push(event(6, 1, 300, EventStatus::Closed));
        h.demos = vec![demo(6, 2, DemoStatus::Presented)];
        let c = first_time_demo_conversion(&h, all_year(), t(400));
        assert_eq!(
            c.converted, 0,
            "day 300 is 290 days after person 2's first attendance"
        );
    }

    #[test]
    fn repeat_speakers_count_presentations_ever() {
        let mut h = scenario();
        // Person 1 presented at E1 (before the window) and E4; person 2 only at E4;
        // person 3's no-show never counts.
        h.demos = vec![
            demo(1, 1, DemoStatus::Presented),
            demo(4, 1, DemoStatus::Presented),
            demo(4, 2, DemoStatus::Presented),
            demo(4, 3, DemoStatus::NoShow),
        ];
        let s = repeat_speaker_rate(&h, t(380)); // window: day 15..380 holds E4 only
        assert_eq!((s.speakers, s.repeat), (2, 1));
        assert_eq!(s.value, Some(0.5));
    }

    #[test]
    fn two_demos_on_one_evening_are_one_appearance() {
        let mut h = scenario();
        h.demos = vec![
            demo(4, 2, DemoStatus::Presented),
            demo(4, 2, DemoStatus::Presented),
        ];
        let s = repeat_speaker_rate(&h, t(380));
        assert_eq!((s.speakers, s.repeat), (1, 0));
        assert_eq!(s.counts, vec![(PersonId(2), 1)]);
    }

    #[test]
    fn sparks_in_the_period() {
        let h = History {
            sparks: vec![
                SparkFact {
                    made_at: t(10),
                    acted_at: Some(t(20)),
                },
                SparkFact {
                    made_at: t(30),
                    acted_at: None,
                },
                SparkFact {
                    made_at: t(500),
                    acted_at: Some(t(510)),
                },
            ],
            ..History::default()
        };
        let s = collaboration_sparks(&h, all_year(), t(364));
        assert_eq!((s.made, s.acted), (2, 1));
    }

    #[test]
    fn time_to_ship_counts_quality_events_only() {
        let mut h = scenario();
        h.settings.insert(
            ProgramId(1),
            ProgramSettings {
                demo_target: 1,
                followup_minimum: 1,
                ..ProgramSettings::default()
            },
        );
        h.demos = vec![
            demo(1, 1, DemoStatus::Presented),
            demo(4, 1, DemoStatus::Presented),
        ];
        h.retros.insert(EventId(1), t(11)); // on time
        h.retros.insert(EventId(4), t(105)); // late
        h.followups = vec![
            FollowupFact {
                event: EventId(1),
                sent_at: t(12),
                answered: true,
            },
            FollowupFact {
                event: EventId(4),
                sent_at: t(101),
                answered: false,
            },
        ];
        let s = time_to_ship(&h, all_year(), t(200));
        assert_eq!(
            (s.events, s.quality_events),
            (3, 1),
            "E1 only: E2 has no demo, E4's retro was late"
        );
        assert_eq!(s.median_days, Some(30.0));
        let e4 = s.detail.iter().find(|d| d.event == EventId(4)).unwrap();
        assert_eq!(e4.missing, vec!["retro written late".to_owned()]);
    }

    #[test]
    fn a_backfilled_event_has_no_time_to_ship() {
        let mut h = scenario();
        h.events[0].created_at = t(500);
        let s = time_to_ship(&h, all_year(), t(600));
        assert_eq!(s.detail[0].days, None);
    }

    #[test]
    fn fatigue_ignores_organizers_without_a_check_in_for_60_days() {
        let c = |who: &str, day: i64, score: f64| CheckinFact {
            retired_at: None,
            organizer: who.into(),
            at: t(day),
            score,
            hours: 6.0,
        };
        let h = History {
            checkins: vec![c("Ana", 10, 80.0), c("Ben", 150, 40.0), c("Ben", 190, 60.0)],
            ..History::default()
        };
        let f = fatigue_index(&h, all_year(), t(200));
        assert_eq!(f.high_organizers, 1);
        assert_eq!(f.organizers.len(), 1, "Ana's last check-in is 190 days old");
        assert_eq!(f.value, Some(60.0), "Ben's latest, not his mean");
        assert!(f.high);
    }

    #[test]
    fn fatigue_counts_active_organizers_only() {
        let c = |who: &str, day: i64, score: f64, retired: Option<i64>| CheckinFact {
            organizer: who.into(),
            at: t(day),
            score,
            hours: 6.0,
            retired_at: retired.map(t),
        };
        let h = History {
            checkins: vec![c("Ana", 180, 90.0, Some(195)), c("Ben", 185, 30.0, None)],
            ..History::default()
        };
        // Before Ana retired she was one of two; after, Ben alone is the program's index.
        let before = fatigue_index(&h, all_year(), t(190));
        assert_eq!((before.organizers.len(), before.high_organizers), (2, 1));
        let after = fatigue_index(&h, all_year(), t(200));
        assert_eq!((after.organizers.len(), after.high_organizers), (1, 0));
        assert_eq!(after.value, Some(30.0));
        assert!(!after.high);
    }

    #[test]
    fn hours_per_event_divides_by_held_events_not_check_ins() {
        let c = |who: &str, day: i64, score: f64, hours: f64| CheckinFact {
            retired_at: None,
            organizer: who.into(),
            at: t(day),
            score,
            hours,
        };
        // Three held events (1, 2, 4; 3 was cancelled), four check-ins of 6 + 6 + 3 + 9 h.
        let h = History {
            checkins: vec![
                c("Ana", 11, 60.0, 6.0),
                c("Ben", 70, 20.0, 6.0),
                c("Ana", 90, 55.0, 3.0),
                c("Cem", 101, 25.0, 9.0),
            ],
            ..scenario()
        };
        let f = fatigue_index(&h, all_year(), t(120));
        assert_eq!(f.hours_per_event, Some(8.0), "24 h over 3 held events");
        // Latest per organizer: Ana 55, Ben 20, Cem 25 → mean 33.3; one of three high.
        assert_eq!(f.value, Some(33.3));
        assert_eq!((f.high_organizers, f.organizers.len()), (1, 3));
    }

    #[test]
    fn fragility_warns_above_half() {
        let mut h = scenario();
        h.demos = vec![
            demo(4, 1, DemoStatus::Presented),
            demo(4, 1, DemoStatus::Presented),
            demo(4, 2, DemoStatus::Presented),
        ];
        h.actions = vec![
            ActionFact {
                actor: "Ana".into(),
                at: t(100),
            },
            ActionFact {
                actor: "Ana".into(),
                at: t(101),
            },
            ActionFact {
                actor: "Ben".into(),
                at: t(102),
            },
        ];
        let f = fragility(&h, t(200));
        assert_eq!(f.top_presenter_share, Some(2.0 / 3.0));
        assert_eq!(f.top_organizer_share, Some(2.0 / 3.0));
        assert_eq!(f.warnings.len(), 2);
    }

    fn arbitrary_history() -> impl Strategy<Value = History> {
        proptest::collection::vec((1i64..6, 1i64..12, any::<bool>()), 0..60).prop_map(|rows| {
            let mut h = History {
                events: (1..6)
                    .map(|i| event(i, 1, i * 20, EventStatus::Closed))
                    .collect(),
                ..History::default()
            };
            for (e, p, checked) in rows {
                h.attendances
                    .push(if checked { came(e, p) } else { rsvp_only(e, p) });
            }
            h
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn every_rate_is_within_0_and_1(h in arbitrary_history()) {
            let f = compute(&h, all_year(), t(300));
            for v in [f.returning_builder_rate.value, f.first_time_demo_conversion.value, f.repeat_speaker_rate.value] {
                prop_assert!(v.is_none_or(|v| (0.0..=1.0).contains(&v)));
            }
            for e in &f.returning_builder_rate.per_event {
                prop_assert!(e.rate.is_none_or(|v| (0.0..=1.0).contains(&v)));
            }
        }

        /// Adding an attendee never seen before never raises that event's returning rate.
        #[test]
        fn a_newcomer_never_raises_the_returning_rate(h in arbitrary_history(), e in 1i64..6) {
            let before = returning_builder_rate(&h, all_year(), t(300));
            let mut more = h.clone();
            // If the event used check-in, the newcomer is checked in; otherwise they RSVP'd.
            let uses_checkin = more.attendances.iter().any(|a| a.event == EventId(e) && a.checked_in == CheckedIn::Yes);
            more.attendances.push(if uses_checkin { came(e, 999) } else { rsvp_only(e, 999) });
            let after = returning_builder_rate(&more, all_year(), t(300));
            let rate = |r: &ReturningRate| r.per_event.iter().find(|x| x.event == EventId(e)).and_then(|x| x.rate);
            if let (Some(b), Some(a)) = (rate(&before), rate(&after)) {
                prop_assert!(a <= b + 1e-12);
            }
        }
    }
}
