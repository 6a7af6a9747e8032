//! The cycle's mechanisms in the sample: after every held event a retro (some late, the
//! last one still missing), follow-ups with answers, pipeline moves, sparks, organizer
//! check-ins, and (in the small sample) monthly metric reviews.

use crate::{Gen, ORGANIZERS};
use jiff::{SignedDuration, Timestamp};
use std::collections::HashMap;
use trellis_core::dataset::{
    CardRecord, CheckinRecord, FollowupRecord, MoveRecord, OrganizerRecord, RetroRecord,
    ReviewRecord, SparkRecord,
};
use trellis_core::demo::DemoStatus;
use trellis_core::event::EventStatus;
use trellis_core::followup::{Channel, Outcome};
use trellis_core::pipeline::Stage;

const WORKED: &[&str] = &[
    "Every demo was live; two crashed and the room cheered anyway.",
    "Five-minute slots kept the energy up.",
    "Pairing first-timers with a regular at the door.",
    "The WIP-welcome line in the invite brought three first demos.",
];
const BROKE: &[&str] = &[
    "The projector needed a dongle nobody had.",
    "Check-in queue at 18:30: twelve minutes.",
    "We ran 25 minutes over.",
    "The livestream audio dropped.",
];
const SURPRISED: &[&str] = &[
    "Half the room stayed for an hour after the last demo.",
    "A first-timer asked to demo next month on the spot.",
    "More students than ever.",
    "Two presenters discovered they are building the same thing.",
];
const WHY: &[&str] = &[
    "shipped the week after?",
    "asked about co-working",
    "first demo, nervous, great",
    "wants to organize",
    "quiet killer: ask them to demo",
];
const ANSWERS: &[(&str, Outcome)] = &[
    (
        "Pushed the agent to production on Monday.",
        Outcome::Shipped,
    ),
    (
        "Started a side project with someone I met.",
        Outcome::Collaborated,
    ),
    ("Built a first prototype of my idea.", Outcome::Built),
    ("Came back to the hack evening.", Outcome::CameBack),
    ("Nothing yet, busy month.", Outcome::Nothing),
];
const INSIGHTS: &[&str] = &[
    "Returning builders climb when we follow up within three days.",
    "Demo slots fill faster when the invite says WIP is welcome.",
    "The pipeline stalls at candidate: ask in person, not by mail.",
    "Fatigue rises after double-booked months: one event a month is enough.",
];

fn held_at(g: &Gen, event: usize) -> Timestamp {
    let e = &g.data.events[event];
    e.history
        .iter()
        .find(|h| h.to == EventStatus::Held)
        .map_or(e.starts_at, |h| h.at)
}

fn hours(h: i64) -> SignedDuration {
    SignedDuration::from_hours(h)
}

/// One held event's cycle: what each mechanism after it needs.
struct Cycle<'a> {
    program: usize,
    event: usize,
    /// Who was in the room.
    room: &'a [usize],
    held: Timestamp,
    actor: String,
    /// The program's last cycle, still open at `now`.
    open: bool,
}

pub(crate) fn run(
    g: &mut Gen,
    p: usize,
    program: usize,
    program_name: &str,
    rooms: &[(usize, Vec<usize>)],
    now: Timestamp,
) {
    let org0 = g.data.organizers.len();
    let organizers = add_organizers(g, p, program, program_name);
    let mut pipeline = Pipeline::default();
    let last = rooms.len().saturating_sub(1);
    let mut since_review = 0;
    for (k, (event, room)) in rooms.iter().enumerate() {
        let event = *event;
        if room.len() < 4 {
            continue;
        }
        let held = held_at(g, event);
        let c = Cycle {
            program,
            event,
            room,
            held,
            actor: g.data.events[event].history[0].actor.clone(),
            open: k == last,
        };
        pipeline.presenters_move(g, &c);
        pipeline.spot_and_move(g, &c, &organizers);
        if !c.open {
            write_retro(g, &c);
        }
        send_followups(g, &c, now);
        make_sparks(g, &c, now);
        // The first organizer grows tired over the year.
        let strain = (k as f64 / rooms.len().max(1) as f64) * 2.0;
        check_in(g, &c, org0, organizers.len(), strain);

        // A metric review every second cycle, in the small sample.
        since_review += 1;
        if p == 0 && since_review >= 2 && k + 1 >= rooms.len().saturating_sub(8) {
            since_review = 0;
            let started_at = held + hours(24 * 5);
            if started_at < now {
                let minutes = 11 + g.rng.i64(0..9);
                g.data.reviews.push(ReviewRecord {
                    program: Some(program),
                    started_at,
                    ended_at: Some(started_at + SignedDuration::from_mins(minutes)),
                    started_by: organizers[0].clone(),
                    insight: Some(INSIGHTS[g.data.reviews.len() % INSIGHTS.len()].to_owned()),
                });
            }
        }
    }
}

/// The program's organizers: the well-known three for the first program, a lead and a
/// co-lead named after the city for the others.
fn add_organizers(g: &mut Gen, p: usize, program: usize, program_name: &str) -> Vec<String> {
    let city = program_name.trim_start_matches("Tinkerers ");
    let organizers: Vec<String> = if p == 0 {
        ORGANIZERS.iter().map(|s| (*s).to_owned()).collect()
    } else {
        vec![format!("{} Lead", city), format!("{} Co-lead", city)]
    };
    for name in &organizers {
        let email = format!(
            "{}@organizers.example",
            name.to_lowercase().replace([' ', '(', ')'], ".")
        );
        g.data.organizers.push(OrganizerRecord {
            name: name.clone(),
            email: Some(email),
            programs: vec![program],
        });
    }
    organizers
}

/// The program's pipeline as the cycles go by.
#[derive(Default)]
struct Pipeline {
    /// person → index in cards
    stage: HashMap<usize, usize>,
    /// person → events presented at
    evenings: HashMap<usize, usize>,
}

impl Pipeline {
    /// Presenting moves presenters along on its own.
    fn presenters_move(&mut self, g: &mut Gen, c: &Cycle<'_>) {
        let (program, event) = (c.program, c.event);
        // Each presenter once: two demos on one evening are one appearance.
        let presented: std::collections::BTreeSet<usize> = g
            .data
            .demos
            .iter()
            .filter(|d| d.event == event && d.status == DemoStatus::Presented)
            .flat_map(|d| d.presenters.clone())
            .collect();
        let at = g.data.events[event].starts_at + hours(2);
        for person in presented {
            let n = self.evenings.entry(person).or_default();
            *n += 1;
            let n = *n;
            match self.stage.get(&person).copied() {
                None => {
                    self.stage.insert(person, g.data.cards.len());
                    g.data.cards.push(CardRecord {
                        program,
                        person,
                        stage: Stage::after_presenting(n),
                        quiet_killer: false,
                        added_at: at,
                        added_by: c.actor.clone(),
                    });
                }
                Some(card) => {
                    let from = g.data.cards[card].stage;
                    let to = Stage::after_presenting(n);
                    if from.is_forward_to(to) {
                        g.data.cards[card].stage = to;
                        g.data.moves.push(MoveRecord {
                            program,
                            person,
                            from,
                            to,
                            automatic: true,
                            cycle_event: Some(event),
                            at,
                            actor: "trellis".into(),
                        });
                    }
                }
            }
        }
    }

    /// Spot two people worth nurturing, then move people forward: three or four per
    /// closed cycle, one so far in the open one.
    fn spot_and_move(&mut self, g: &mut Gen, c: &Cycle<'_>, organizers: &[String]) {
        let (program, room, held) = (c.program, c.room, c.held);
        for _ in 0..2 {
            let person = room[g.rng.usize(..room.len())];
            if let std::collections::hash_map::Entry::Vacant(v) = self.stage.entry(person) {
                v.insert(g.data.cards.len());
                let quiet = g.chance(0.12);
                g.data.cards.push(CardRecord {
                    program,
                    person,
                    stage: Stage::Spotted,
                    quiet_killer: quiet,
                    added_at: held + hours(20),
                    added_by: c.actor.clone(),
                });
            }
        }
        let wanted = if c.open { 1 } else { 3 + g.rng.usize(0..2) };
        let mut movable: Vec<usize> = self
            .stage
            .iter()
            .filter(|(_, card)| {
                matches!(
                    g.data.cards[**card].stage,
                    Stage::Spotted | Stage::WarmIntro | Stage::Candidate
                )
            })
            .map(|(person, _)| *person)
            .collect();
        movable.sort_unstable();
        for j in 0..wanted.min(movable.len()) {
            let pick = movable.remove(g.rng.usize(..movable.len()));
            let card = self.stage[&pick];
            let from = g.data.cards[card].stage;
            let Some(to) = from.next() else { continue };
            g.data.cards[card].stage = to;
            g.data.moves.push(MoveRecord {
                program,
                person: pick,
                from,
                to,
                automatic: false,
                cycle_event: Some(c.event),
                at: held + hours(24 * (1 + j as i64)),
                actor: organizers[j % organizers.len()].clone(),
            });
        }
    }
}

/// The retro of a closed cycle: on time mostly, late sometimes (the open cycle has none yet).
fn write_retro(g: &mut Gen, c: &Cycle<'_>) {
    let (room, held) = (c.room, c.held);
    let due = held + hours(48);
    let late = g.chance(0.25);
    let written_at = held
        + hours(if late {
            50 + g.rng.i64(0..40)
        } else {
            8 + g.rng.i64(0..36)
        });
    let mut picks: Vec<usize> = Vec::new();
    while picks.len() < 3 {
        let person = room[g.rng.usize(..room.len())];
        if !picks.contains(&person) {
            picks.push(person);
        }
    }
    let follow_up = picks
        .iter()
        .map(|p| (*p, WHY[g.rng.usize(..WHY.len())].to_owned()))
        .collect();
    let invite = vec![room[g.rng.usize(..room.len())]];
    g.data.retros.push(RetroRecord {
        event: c.event,
        worked: WORKED[g.rng.usize(..WORKED.len())].to_owned(),
        broke: BROKE[g.rng.usize(..BROKE.len())].to_owned(),
        surprised: SURPRISED[g.rng.usize(..SURPRISED.len())].to_owned(),
        invite,
        follow_up,
        written_at,
        due_at: due,
        author: c.actor.clone(),
    });
}

/// Follow-ups: the minimum met for closed cycles, six of ten so far for the open one.
fn send_followups(g: &mut Gen, c: &Cycle<'_>, now: Timestamp) {
    let room = c.room;
    let wanted = if c.open { 6 } else { 10 + g.rng.usize(0..3) }.min(room.len());
    let mut asked: Vec<usize> = Vec::new();
    while asked.len() < wanted {
        let person = room[g.rng.usize(..room.len())];
        if asked.contains(&person) {
            continue;
        }
        asked.push(person);
        let sent_at = c.held + hours(24 + 12 * asked.len() as i64);
        let channel = match g.rng.u8(0..3) {
            0 => Channel::Message,
            1 => Channel::Form,
            _ => Channel::Chat,
        };
        let answered_at = sent_at + hours(24 + g.rng.i64(0..48));
        let answer = (g.chance(0.55) && answered_at < now).then(|| {
            let (text, outcome) = ANSWERS[g.rng.usize(..ANSWERS.len())];
            (text.to_owned(), Some(outcome), answered_at)
        });
        g.data.followups.push(FollowupRecord {
            event: c.event,
            person,
            channel,
            sent_at,
            actor: c.actor.clone(),
            answer,
        });
    }
}

/// Sparks: an introduction or two; some turn into something.
fn make_sparks(g: &mut Gen, c: &Cycle<'_>, now: Timestamp) {
    let room = c.room;
    for _ in 0..1 + g.rng.usize(0..2) {
        let a = room[g.rng.usize(..room.len())];
        let b = room[g.rng.usize(..room.len())];
        if a == b {
            continue;
        }
        let acted_at = c.held + hours(24 * (10 + g.rng.i64(0..20)));
        let acted = (g.chance(0.4) && acted_at < now)
            .then(|| (acted_at, "They built a prototype together".to_owned()));
        g.data.sparks.push(SparkRecord {
            a,
            b,
            event: Some(c.event),
            note: Some("Both working on agents; introduced at the break".into()),
            made_by: c.actor.clone(),
            made_at: c.held,
            acted,
        });
    }
}

/// Check-ins: most of the `count` organizers (from index `org0`) answer; the first one
/// answers under `strain`, the others under a little.
fn check_in(g: &mut Gen, c: &Cycle<'_>, org0: usize, count: usize, first_strain: f64) {
    for o in 0..count {
        if !g.chance(0.75) {
            continue;
        }
        let strain = if o == 0 { first_strain } else { 0.5 };
        let mut answers = [0u8; 7];
        for (i, a) in answers.iter_mut().enumerate() {
            let base = 4.0 - strain + g.rng.f64() * 1.5 - 0.75;
            let v = base.round().clamp(1.0, 5.0) as u8;
            // The last item is reversed: a tired organizer has little energy left.
            *a = if i == 6 { 6 - v } else { v };
        }
        g.data.checkins.push(CheckinRecord {
            event: c.event,
            organizer: org0 + o,
            answers,
            hours: 4.0 + g.rng.f64() * 8.0,
            at: c.held + hours(30),
        });
    }
}
