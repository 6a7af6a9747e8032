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

pub(crate) fn run(
    g: &mut Gen,
    p: usize,
    program: usize,
    program_name: &str,
    rooms: &[(usize, Vec<usize>)],
    now: Timestamp,
) {
    let city = program_name.trim_start_matches("Tinkerers ");
    let organizers: Vec<String> = if p == 0 {
        ORGANIZERS.iter().map(|s| (*s).to_owned()).collect()
    } else {
        vec![format!("{} Lead", city), format!("{} Co-lead", city)]
    };
    let org0 = g.data.organizers.len();
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
    let mut stage: HashMap<usize, usize> = HashMap::new(); // person → index in cards
    let mut evenings: HashMap<usize, usize> = HashMap::new(); // person → events presented at
    let last = rooms.len().saturating_sub(1);
    let mut since_review = 0;
    for (k, (event, room)) in rooms.iter().enumerate() {
        let event = *event;
        if room.len() < 4 {
            continue;
        }
        let held = held_at(g, event);
        let actor = g.data.events[event].history[0].actor.clone();
        let open_cycle = k == last;
        let hours = |h: i64| SignedDuration::from_hours(h);

        // Presenting moves presenters along on its own.
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
            let n = evenings.entry(person).or_default();
            *n += 1;
            let n = *n;
            match stage.get(&person).copied() {
                None => {
                    stage.insert(person, g.data.cards.len());
                    g.data.cards.push(CardRecord {
                        program,
                        person,
                        stage: Stage::after_presenting(n),
                        quiet_killer: false,
                        added_at: at,
                        added_by: actor.clone(),
                    });
                }
                Some(c) => {
                    let from = g.data.cards[c].stage;
                    let to = Stage::after_presenting(n);
                    if from.is_forward_to(to) {
                        g.data.cards[c].stage = to;
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

        // Spot two people worth nurturing, then move people forward: three or four per
        // closed cycle, one so far in the open one.
        for _ in 0..2 {
            let person = room[g.rng.usize(..room.len())];
            if let std::collections::hash_map::Entry::Vacant(v) = stage.entry(person) {
                v.insert(g.data.cards.len());
                let quiet = g.chance(0.12);
                g.data.cards.push(CardRecord {
                    program,
                    person,
                    stage: Stage::Spotted,
                    quiet_killer: quiet,
                    added_at: held + hours(20),
                    added_by: actor.clone(),
                });
            }
        }
        let wanted = if open_cycle { 1 } else { 3 + g.rng.usize(0..2) };
        let mut movable: Vec<usize> = stage
            .iter()
            .filter(|(_, c)| {
                matches!(
                    g.data.cards[**c].stage,
                    Stage::Spotted | Stage::WarmIntro | Stage::Candidate
                )
            })
            .map(|(person, _)| *person)
            .collect();
        movable.sort_unstable();
        for j in 0..wanted.min(movable.len()) {
            let pick = movable.remove(g.rng.usize(..movable.len()));
            let c = stage[&pick];
            let from = g.data.cards[c].stage;
            let Some(to) = from.next() else { continue };
            g.data.cards[c].stage = to;
            g.data.moves.push(MoveRecord {
                program,
                person: pick,
                from,
                to,
                automatic: false,
                cycle_event: Some(event),
                at: held + hours(24 * (1 + j as i64)),
                actor: organizers[j % organizers.len()].clone(),
            });
        }

        // The retro: on time mostly, late sometimes, and not yet for the open cycle.
        let due = held + hours(48);
        if !open_cycle {
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
                event,
                worked: WORKED[g.rng.usize(..WORKED.len())].to_owned(),
                broke: BROKE[g.rng.usize(..BROKE.len())].to_owned(),
                surprised: SURPRISED[g.rng.usize(..SURPRISED.len())].to_owned(),
                invite,
                follow_up,
                written_at,
                due_at: due,
                author: actor.clone(),
            });
        }

        // Follow-ups: the minimum met for closed cycles, six of ten so far for the open one.
        let wanted = if open_cycle {
            6
        } else {
            10 + g.rng.usize(0..3)
        }
        .min(room.len());
        let mut asked: Vec<usize> = Vec::new();
        while asked.len() < wanted {
            let person = room[g.rng.usize(..room.len())];
            if asked.contains(&person) {
                continue;
            }
            asked.push(person);
            let sent_at = held + hours(24 + 12 * asked.len() as i64);
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
                event,
                person,
                channel,
                sent_at,
                actor: actor.clone(),
                answer,
            });
        }

        // Sparks: an introduction or two; some turn into something.
        for _ in 0..1 + g.rng.usize(0..2) {
            let a = room[g.rng.usize(..room.len())];
            let b = room[g.rng.usize(..room.len())];
            if a == b {
                continue;
            }
            let acted_at = held + hours(24 * (10 + g.rng.i64(0..20)));
            let acted = (g.chance(0.4) && acted_at < now)
                .then(|| (acted_at, "They built a prototype together".to_owned()));
            g.data.sparks.push(SparkRecord {
                a,
                b,
                event: Some(event),
                note: Some("Both working on agents; introduced at the break".into()),
                made_by: actor.clone(),
                made_at: held,
                acted,
            });
        }

        // Check-ins: most organizers answer; the first one grows tired over the year.
        for (o, _) in organizers.iter().enumerate() {
            if !g.chance(0.75) {
                continue;
            }
            let strain = if o == 0 {
                (k as f64 / rooms.len().max(1) as f64) * 2.0
            } else {
                0.5
            };
            let mut answers = [0u8; 7];
            for (i, a) in answers.iter_mut().enumerate() {
                let base = 4.0 - strain + g.rng.f64() * 1.5 - 0.75;
                let v = base.round().clamp(1.0, 5.0) as u8;
                // The last item is reversed: a tired organizer has little energy left.
                *a = if i == 6 { 6 - v } else { v };
            }
            g.data.checkins.push(CheckinRecord {
                event,
                organizer: org0 + o,
                answers,
                hours: 4.0 + g.rng.f64() * 8.0,
                at: held + hours(30),
            });
        }

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
