//! A realistic, deterministic sample community.
//!
//! The same seed and reference time give the same [`Dataset`], byte for byte. The model
//! behind it: every person has an engagement level; regulars come back often, most
//! first-timers come once or twice; a steady stream of first-timers arrives each month;
//! demos are given by a mix of first-time presenters (often people who came a few times
//! first) and a few repeat speakers. Some evenings did not use check-in, one was
//! cancelled, and the next event is a draft still short of its demo target, so a
//! newcomer sees the gates at work.

pub mod chat;
mod mechanisms;
mod names;

pub use chat::{community_chat, intended_verdicts};

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use trellis_core::attendance::{CheckedIn, Rsvp};
use trellis_core::dataset::{
    AttendanceRecord, Dataset, DemoRecord, EventRecord, PersonRecord, ProgramRecord, StatusRecord,
};
use trellis_core::demo::{Checklist, DemoStatus};
use trellis_core::event::EventStatus;
use trellis_core::program::ProgramSettings;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// One program, 18 monthly events, about 400 people.
    Small,
    /// 50 programs × 60 events × about 150 attendees: for benchmarks.
    Large,
}

#[derive(Debug, Clone, Copy)]
struct Shape {
    programs: usize,
    events: usize,
    /// Mean first-timers per event.
    newcomers: f64,
    /// Attendees aimed for per event, once the community has grown.
    target_attendance: f64,
}

impl Size {
    fn shape(self) -> Shape {
        match self {
            Size::Small => Shape {
                programs: 1,
                events: 18,
                newcomers: 29.0,
                target_attendance: 60.0,
            },
            Size::Large => Shape {
                programs: 50,
                events: 60,
                newcomers: 42.0,
                target_attendance: 150.0,
            },
        }
    }
}

/// The organizers who act in the sample's history.
pub(crate) const ORGANIZERS: [&str; 3] = ["Mara Quinn", "Tomás Ferreira", "Ines Wolff"];

struct Person {
    /// How likely they come back to the next event (0..1).
    engagement: f64,
    /// Events of this person's home program they attended.
    attended: u32,
    presented: u32,
}

pub(crate) struct Gen {
    pub(crate) rng: fastrand::Rng,
    pub(crate) data: Dataset,
}

/// Generates the sample. `now` anchors the calendar: the last event lies a little over
/// two weeks after it, every other event before it.
pub fn generate(size: Size, seed: u64, now: Timestamp) -> Dataset {
    let shape = size.shape();
    let mut g = Gen {
        rng: fastrand::Rng::with_seed(seed),
        data: Dataset::default(),
    };
    let cities = names::CITIES;
    // People who belong to several programs: a shared pool that other programs draw on,
    // so that the org-wide view has someone to recognise across cities.
    let mut travellers: Vec<usize> = Vec::new();
    for p in 0..shape.programs {
        let (city, tz) = cities[p % cities.len()];
        let name = if shape.programs == 1 {
            format!("Tinkerers {city}")
        } else {
            format!("Tinkerers {city} {}", p / cities.len() + 1)
        };
        let name = if shape.programs > 1 && p < cities.len() {
            format!("Tinkerers {city}")
        } else {
            name
        };
        g.program(p, &name, tz, shape, now, &mut travellers);
    }
    g.data
}

/// `n` monthly event dates ending with the next event: the first Thursday at least 16 days
/// after `today`.
fn event_dates(today: Date, n: usize) -> Vec<Date> {
    let next = first_thursday_on_or_after(today.checked_add(16.days()).unwrap_or(today));
    (0..n)
        .map(|i| {
            let months_back = (n - 1 - i) as i64;
            let d = next.checked_sub(months_back.months()).unwrap_or(next);
            // Keep to the same weekday, as real series do.
            first_thursday_on_or_after(
                d.first_of_month()
                    .checked_add(((d.day() as i64 - 1) / 7 * 7).days())
                    .unwrap_or(d),
            )
        })
        .collect()
}

/// The status of the `i`th of `n` events: the last one is the next (a draft), the one
/// before it held, the `cancelled` one cancelled, the others closed.
fn event_status(i: usize, n: usize, cancelled: Option<usize>) -> EventStatus {
    if i == n - 1 {
        EventStatus::Draft
    } else if Some(i) == cancelled {
        EventStatus::Cancelled
    } else if i == n - 2 {
        EventStatus::Held
    } else {
        EventStatus::Closed
    }
}

/// A demo's history as it starts: proposed at `at`, recorded by `organizer`.
fn proposed(at: Timestamp, organizer: &str) -> Vec<StatusRecord<DemoStatus>> {
    vec![StatusRecord {
        from: None,
        to: DemoStatus::Proposed,
        at,
        actor: organizer.to_owned(),
    }]
}

/// A past demo's status history: proposed, then along the path to its `status` (a `full`
/// program's withdrawal was never confirmed), by `organizer`. The times are when it was
/// proposed, screened, and when the event started.
fn demo_history(
    status: DemoStatus,
    full: bool,
    (proposed_at, screened_at, starts_at): (Timestamp, Timestamp, Timestamp),
    organizer: &str,
) -> Vec<StatusRecord<DemoStatus>> {
    let mut history = proposed(proposed_at, organizer);
    let path: &[DemoStatus] = match status {
        DemoStatus::Rejected => &[DemoStatus::Rejected],
        DemoStatus::Withdrawn if full => &[DemoStatus::Screened, DemoStatus::Withdrawn],
        DemoStatus::Withdrawn => &[
            DemoStatus::Screened,
            DemoStatus::Confirmed,
            DemoStatus::Withdrawn,
        ],
        DemoStatus::NoShow => &[
            DemoStatus::Screened,
            DemoStatus::Confirmed,
            DemoStatus::NoShow,
        ],
        _ => &[
            DemoStatus::Screened,
            DemoStatus::Confirmed,
            DemoStatus::Presented,
        ],
    };
    for (step, to) in path.iter().enumerate() {
        let at = match to {
            DemoStatus::Presented | DemoStatus::NoShow => starts_at + SignedDuration::from_hours(2),
            _ => screened_at + SignedDuration::from_hours(24 * step as i64),
        };
        let from = history.last().map(|h| h.to);
        history.push(StatusRecord {
            from,
            to: *to,
            at,
            actor: organizer.to_owned(),
        });
    }
    history
}

impl Gen {
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.rng.f64() < p
    }

    fn new_person(&mut self, created_at: Timestamp) -> usize {
        let idx = self.data.people.len();
        let (first, first_ascii) = names::FIRST[self.rng.usize(..names::FIRST.len())];
        let (last, last_ascii) = names::LAST[self.rng.usize(..names::LAST.len())];
        let domain = names::DOMAINS[self.rng.usize(..names::DOMAINS.len())];
        let mut emails = vec![format!("{first_ascii}.{last_ascii}.{idx}@{domain}").to_lowercase()];
        if self.chance(0.08) {
            emails.push(format!("{first_ascii}{idx}@work.example").to_lowercase());
        }
        self.data.people.push(PersonRecord {
            name: format!("{first} {last}"),
            emails,
            created_at,
        });
        idx
    }

    fn program(
        &mut self,
        p: usize,
        name: &str,
        tz_name: &str,
        shape: Shape,
        now: Timestamp,
        travellers: &mut Vec<usize>,
    ) {
        let tz = TimeZone::get(tz_name).unwrap_or(TimeZone::UTC);
        let settings = ProgramSettings::default();
        let program = self.data.programs.len();
        let n = shape.events;
        let dates = event_dates(now.to_zoned_datetime(tz.clone()).date(), n);
        let created = self.at(&tz, dates[0], 12) - SignedDuration::from_hours(24 * 60);
        self.data.programs.push(ProgramRecord {
            name: name.to_owned(),
            tz: tz_name.to_owned(),
            settings,
            created_at: created,
        });

        let mut members: Vec<(usize, Person)> = Vec::new();
        // Who was in the room at each held event, for the mechanisms pass.
        let mut rooms: Vec<(usize, Vec<usize>)> = Vec::new();
        let cancelled = if n > 8 { Some(n / 3) } else { None };
        let no_checkin: Vec<usize> = (0..n).filter(|i| i % 7 == 2).collect();
        for (i, date) in dates.iter().enumerate() {
            let starts_at = self.at(&tz, *date, 18) + SignedDuration::from_mins(30);
            let is_next = i == n - 1;
            let status = event_status(i, n, cancelled);
            let organizer = ORGANIZERS[i % ORGANIZERS.len()].to_owned();
            let (created_at, history) = self.event_history(starts_at, status, is_next, &organizer);
            let theme = names::THEMES[(i + p * 7) % names::THEMES.len()];
            let month = date.strftime("%b %Y").to_string();
            let event = self.data.events.len();
            self.data.events.push(EventRecord {
                program,
                title: format!("{theme} demo night, {month}"),
                starts_local: DateTime::from_parts(*date, Time::constant(18, 30, 0, 0))
                    .strftime("%Y-%m-%d %H:%M")
                    .to_string(),
                tz: tz_name.to_owned(),
                starts_at,
                venue: Some(names::VENUES[(i + p) % names::VENUES.len()].to_owned()),
                capacity: Some((shape.target_attendance * 1.4) as u32),
                slots: settings.default_slots,
                status,
                created_at,
                history,
            });
            if is_next {
                self.upcoming_demos(event, &members, created_at, &organizer);
                continue;
            }
            if status == EventStatus::Cancelled {
                continue;
            }
            let room = self.who_comes(i, shape, &mut members, travellers, created_at);
            let uses_checkin = !no_checkin.contains(&i);
            rooms.push((event, room.iter().map(|&k| members[k].0).collect()));
            self.attend(event, &mut members, &room, uses_checkin);
            self.past_demos(
                event,
                &mut members,
                &room,
                starts_at,
                created_at,
                &organizer,
            );
        }
        mechanisms::run(self, p, program, name, &rooms, now);
    }

    /// An event's creation time and status history up to its `status`, by `organizer`.
    fn event_history(
        &mut self,
        starts_at: Timestamp,
        status: EventStatus,
        is_next: bool,
        organizer: &str,
    ) -> (Timestamp, Vec<StatusRecord<EventStatus>>) {
        let created_at = starts_at - SignedDuration::from_hours(24 * (35 + self.rng.i64(0..10)));
        let mut history = vec![StatusRecord {
            from: None,
            to: EventStatus::Draft,
            at: created_at,
            actor: organizer.to_owned(),
        }];
        let mut push = |to: EventStatus, at: Timestamp| {
            let from = history.last().map(|h| h.to);
            history.push(StatusRecord {
                from,
                to,
                at,
                actor: organizer.to_owned(),
            });
        };
        if !is_next {
            let announced = starts_at - SignedDuration::from_hours(24 * (18 + self.rng.i64(0..6)));
            push(EventStatus::Announced, announced);
            if status == EventStatus::Cancelled {
                push(
                    EventStatus::Cancelled,
                    starts_at - SignedDuration::from_hours(24 * 4),
                );
            } else {
                push(EventStatus::Held, starts_at + SignedDuration::from_hours(3));
                if status == EventStatus::Closed {
                    push(
                        EventStatus::Closed,
                        starts_at + SignedDuration::from_hours(24 * (4 + self.rng.i64(0..6))),
                    );
                }
            }
        }
        (created_at, history)
    }

    /// Who comes to the `i`th event: members return by their engagement, damped so the
    /// room does not outgrow the venue; then the first-timers of the month. Returns the
    /// room as indices into `members`.
    fn who_comes(
        &mut self,
        i: usize,
        shape: Shape,
        members: &mut Vec<(usize, Person)>,
        travellers: &mut Vec<usize>,
        created_at: Timestamp,
    ) -> Vec<usize> {
        let growth = ((i + 1) as f64 / 6.0).min(1.0);
        let newcomers = (shape.newcomers * (0.6 + 0.8 * self.rng.f64()) * (0.5 + 0.5 * growth))
            .round() as usize;
        let returning_target = (shape.target_attendance * growth - newcomers as f64).max(0.0);
        let expected: f64 = members.iter().map(|(_, m)| m.engagement).sum();
        let damp = if expected > 0.0 {
            (returning_target / expected).min(1.0)
        } else {
            1.0
        };
        let mut room: Vec<usize> = Vec::new();
        for (k, (_, m)) in members.iter().enumerate() {
            if self.rng.f64() < m.engagement * damp {
                room.push(k);
            }
        }
        for _ in 0..newcomers {
            let person = if !travellers.is_empty() && self.chance(0.04) {
                travellers[self.rng.usize(..travellers.len())]
            } else {
                let id = self.new_person(created_at);
                if self.chance(0.05) {
                    travellers.push(id);
                }
                id
            };
            if members.iter().any(|(id, _)| *id == person) {
                continue;
            }
            // Most first-timers drift away; some become regulars.
            let engagement = if self.chance(0.18) {
                0.55 + 0.35 * self.rng.f64()
            } else {
                0.04 + 0.22 * self.rng.f64()
            };
            members.push((
                person,
                Person {
                    engagement,
                    attended: 0,
                    presented: 0,
                },
            ));
            room.push(members.len() - 1);
        }
        room
    }

    /// The attendances of a held event: the room came (checked in where the event used
    /// check-in); some others said they'd come and did not, waited or declined.
    fn attend(
        &mut self,
        event: usize,
        members: &mut [(usize, Person)],
        room: &[usize],
        uses_checkin: bool,
    ) {
        for &k in room {
            let (person, m) = &mut members[k];
            m.attended += 1;
            // A regular's pull grows a little each visit.
            m.engagement = (m.engagement + 0.02).min(0.92);
            let checked_in = if uses_checkin {
                CheckedIn::Yes
            } else {
                CheckedIn::Unknown
            };
            self.data.attendances.push(AttendanceRecord {
                event,
                person: *person,
                rsvp: Rsvp::Going,
                checked_in,
            });
        }
        // Said they'd come and did not; the waitlist; the polite no.
        let absent = (room.len() as f64 * 0.15) as usize;
        for _ in 0..absent {
            let k = self.rng.usize(..members.len());
            let person = members[k].0;
            if room.contains(&k) {
                continue;
            }
            let rsvp = match self.rng.u8(0..10) {
                0..=5 => Rsvp::Going,
                6..=7 => Rsvp::Waitlist,
                _ => Rsvp::Declined,
            };
            let checked_in = match (uses_checkin, rsvp) {
                (true, Rsvp::Going) => CheckedIn::No,
                _ => CheckedIn::Unknown,
            };
            if !self
                .data
                .attendances
                .iter()
                .rev()
                .take(room.len() + absent)
                .any(|a| a.event == event && a.person == person)
            {
                self.data.attendances.push(AttendanceRecord {
                    event,
                    person,
                    rsvp,
                    checked_in,
                });
            }
        }
    }

    fn at(&self, tz: &TimeZone, date: Date, hour: i8) -> Timestamp {
        let dt = DateTime::from_parts(date, Time::constant(0, 0, 0, 0))
            .checked_add(SignedDuration::from_hours(i64::from(hour)))
            .unwrap_or_default();
        tz.to_ambiguous_zoned_datetime(dt)
            .compatible()
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// Demos at a past event: slots mostly filled, by regulars stepping up, newer
    /// faces, and now and then a repeat speaker.
    fn past_demos(
        &mut self,
        event: usize,
        members: &mut [(usize, Person)],
        room: &[usize],
        starts_at: Timestamp,
        created_at: Timestamp,
        organizer: &str,
    ) {
        if room.is_empty() {
            return;
        }
        let proposals = 4 + self.rng.usize(0..3);
        let mut used: Vec<usize> = Vec::new();
        let mut confirmed = 0;
        for _ in 0..proposals {
            let pick = self.likely_presenter(members, room);
            if used.contains(&pick) {
                continue;
            }
            used.push(pick);
            let proposed_at = created_at + SignedDuration::from_hours(24 * self.rng.i64(1..14));
            let screened_at = proposed_at + SignedDuration::from_hours(24 * self.rng.i64(1..4));
            let rejected = self.chance(0.1);
            let full = confirmed >= 4;
            let (status, passed) = if rejected {
                (DemoStatus::Rejected, false)
            } else if full {
                (DemoStatus::Withdrawn, true)
            } else {
                confirmed += 1;
                let roll = self.rng.u8(0..20);
                if roll == 0 {
                    (DemoStatus::NoShow, true)
                } else if roll == 1 {
                    (DemoStatus::Withdrawn, true)
                } else {
                    (DemoStatus::Presented, true)
                }
            };
            let history = demo_history(
                status,
                full,
                (proposed_at, screened_at, starts_at),
                organizer,
            );
            if status == DemoStatus::Presented {
                members[pick].1.presented += 1;
            }
            let title = self.demo_title();
            self.data.demos.push(DemoRecord {
                event,
                presenters: vec![members[pick].0],
                title,
                status,
                screening_passed: passed,
                checklist: if passed {
                    Checklist::all()
                } else {
                    Checklist {
                        live_demo: false,
                        ..Checklist::all()
                    }
                },
                screening_note: if rejected {
                    Some("Slides only; invited back with a live demo".into())
                } else {
                    None
                },
                contract_accepted_at: passed.then_some(screened_at + SignedDuration::from_hours(5)),
                created_at: proposed_at,
                history,
            });
        }
    }

    /// Someone from the room to propose a demo (an index into `members`).
    fn likely_presenter(&mut self, members: &[(usize, Person)], room: &[usize]) -> usize {
        // Prefer people who came a few times or presented before; give first-timers a chance.
        let mut pick = room[self.rng.usize(..room.len())];
        for _ in 0..3 {
            let alt = room[self.rng.usize(..room.len())];
            let score = |m: &Person| m.attended.min(4) as f64 + 2.0 * m.presented.min(2) as f64;
            if score(&members[alt].1) > score(&members[pick].1) && self.chance(0.6) {
                pick = alt;
            }
        }
        pick
    }

    /// The next event: two demos confirmed of the three it needs, one screened but not
    /// yet under contract, one just proposed.
    fn upcoming_demos(
        &mut self,
        event: usize,
        members: &[(usize, Person)],
        created_at: Timestamp,
        organizer: &str,
    ) {
        let mut regulars: Vec<usize> = members
            .iter()
            .filter(|(_, m)| m.attended >= 2)
            .map(|(id, _)| *id)
            .collect();
        if regulars.len() < 4 {
            regulars = members.iter().map(|(id, _)| *id).collect();
        }
        let plan = [
            DemoStatus::Confirmed,
            DemoStatus::Confirmed,
            DemoStatus::Screened,
            DemoStatus::Proposed,
        ];
        for (k, status) in plan.into_iter().enumerate() {
            let Some(&person) = regulars.get((k * 7 + 3) % regulars.len().max(1)) else {
                return;
            };
            let proposed_at = created_at + SignedDuration::from_hours(24 * (2 + k as i64));
            let mut history = proposed(proposed_at, organizer);
            let path: &[DemoStatus] = match status {
                DemoStatus::Confirmed => &[DemoStatus::Screened, DemoStatus::Confirmed],
                DemoStatus::Screened => &[DemoStatus::Screened],
                _ => &[],
            };
            for (step, to) in path.iter().enumerate() {
                let from = history.last().map(|h| h.to);
                history.push(StatusRecord {
                    from,
                    to: *to,
                    at: proposed_at + SignedDuration::from_hours(24 * (step as i64 + 1)),
                    actor: organizer.to_owned(),
                });
            }
            let title = self.demo_title();
            self.data.demos.push(DemoRecord {
                event,
                presenters: vec![person],
                title,
                status,
                screening_passed: status != DemoStatus::Proposed,
                checklist: if status == DemoStatus::Proposed {
                    Checklist::default()
                } else {
                    Checklist::all()
                },
                screening_note: (status == DemoStatus::Screened)
                    .then(|| "Great WIP; waiting for the contract".to_owned()),
                contract_accepted_at: (status == DemoStatus::Confirmed)
                    .then_some(proposed_at + SignedDuration::from_hours(30)),
                created_at: proposed_at,
                history,
            });
        }
    }

    fn demo_title(&mut self) -> String {
        let a = names::DEMO_WHAT[self.rng.usize(..names::DEMO_WHAT.len())];
        let b = names::DEMO_HOW[self.rng.usize(..names::DEMO_HOW.len())];
        format!("{a} {b}")
    }
}

fn first_thursday_on_or_after(d: Date) -> Date {
    let mut d = d;
    for _ in 0..7 {
        if d.weekday() == jiff::civil::Weekday::Thursday {
            return d;
        }
        d = d.tomorrow().unwrap_or(d);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-11-24T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn the_same_seed_gives_the_same_community() {
        let a = generate(Size::Small, 7, now());
        let b = generate(Size::Small, 7, now());
        assert_eq!(a.people.len(), b.people.len());
        assert_eq!(a.attendances.len(), b.attendances.len());
        assert_eq!(a.people[10].name, b.people[10].name);
        let c = generate(Size::Small, 8, now());
        assert_ne!(
            a.people.iter().map(|p| &p.name).collect::<Vec<_>>(),
            c.people.iter().map(|p| &p.name).collect::<Vec<_>>()
        );
    }

    #[test]
    fn small_looks_like_a_real_community() {
        let d = generate(Size::Small, 1, now());
        assert_eq!(d.programs.len(), 1);
        assert_eq!(d.events.len(), 18);
        assert!(
            (300..=500).contains(&d.people.len()),
            "{} people",
            d.people.len()
        );
        let last = d.events.last().unwrap();
        assert_eq!(last.status, EventStatus::Draft);
        assert!(last.starts_at > now());
        assert!(d.events[..17].iter().all(|e| e.starts_at < now()));
        assert_eq!(
            d.events
                .iter()
                .filter(|e| e.status == EventStatus::Held)
                .count(),
            1
        );
        assert_eq!(
            d.events
                .iter()
                .filter(|e| e.status == EventStatus::Cancelled)
                .count(),
            1
        );
        // Returning builders: a good share of the room at a mature event has been before.
        let mut seen = std::collections::HashSet::new();
        let mut returning = 0;
        let mut attended = 0;
        for (i, _) in d.events.iter().enumerate() {
            let room: Vec<usize> = d
                .attendances
                .iter()
                .filter(|a| a.event == i && a.rsvp == Rsvp::Going && a.checked_in != CheckedIn::No)
                .map(|a| a.person)
                .collect();
            if i >= 6 {
                attended += room.len();
                returning += room.iter().filter(|p| seen.contains(*p)).count();
            }
            seen.extend(room);
        }
        let rate = returning as f64 / attended as f64;
        assert!((0.25..0.7).contains(&rate), "returning rate {rate}");
        // The next event is one confirmed demo short of its target.
        let upcoming: Vec<_> = d.demos.iter().filter(|x| x.event == 17).collect();
        assert_eq!(
            upcoming
                .iter()
                .filter(|x| x.status == DemoStatus::Confirmed)
                .count(),
            2
        );
        // Some people present more than once.
        let mut counts = std::collections::HashMap::new();
        for x in d.demos.iter().filter(|x| x.status == DemoStatus::Presented) {
            *counts.entry(x.presenters[0]).or_insert(0) += 1;
        }
        assert!(counts.values().any(|&c| c >= 2));
    }

    #[test]
    fn emails_are_unique() {
        let d = generate(Size::Small, 3, now());
        let mut all: Vec<&String> = d.people.iter().flat_map(|p| &p.emails).collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n);
    }
}
