//! Who and what stands behind each metric's figure, for the drill-down: each person and
//! event with what they count for. The lists are cut at [`SHOWN`] with a line saying how
//! many more there are (a year of a large organisation holds thousands of attendees).

use crate::metrics::Behind;
use std::collections::{BTreeMap, HashMap};
use trellis_core::metrics::Figures;
use trellis_core::{EventId, PersonId};

/// The most people (and events) a drill-down lists.
pub const SHOWN: usize = 200;

#[derive(Debug, Default)]
pub(crate) struct Lists {
    pub people: Vec<Behind<PersonId>>,
    pub events: Vec<Behind<EventId>>,
    pub notes: Vec<String>,
}

struct Namer<'a> {
    people: &'a HashMap<PersonId, String>,
    events: &'a HashMap<EventId, &'a str>,
}

impl Namer<'_> {
    fn person(&self, id: PersonId, note: String) -> Behind<PersonId> {
        Behind {
            id,
            name: self
                .people
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("person {id}")),
            note,
        }
    }
    fn event(&self, id: EventId, note: String) -> Behind<EventId> {
        Behind {
            id,
            name: self
                .events
                .get(&id)
                .map_or_else(|| format!("event {id}"), |t| (*t).to_owned()),
            note,
        }
    }
}

pub(crate) fn behind(
    key: &str,
    f: &Figures,
    people: &HashMap<PersonId, String>,
    events: &HashMap<EventId, &str>,
) -> Lists {
    let n = Namer { people, events };
    let mut l = match key {
        "returning_builder_rate" => returning(f, &n),
        "first_time_demo_conversion" => conversion(f, &n),
        "repeat_speaker_rate" => Lists {
            people: f
                .repeat_speaker_rate
                .counts
                .iter()
                .map(|(p, c)| n.person(*p, format!("{c} demos presented")))
                .collect(),
            ..Lists::default()
        },
        "collaboration_sparks" => Lists {
            notes: vec![format!(
                "{} introductions made, {} acted on",
                f.collaboration_sparks.made, f.collaboration_sparks.acted
            )],
            ..Lists::default()
        },
        "time_to_ship" => time_to_ship(f, &n),
        "fatigue_index" => Lists {
            notes: f
                .fatigue_index
                .organizers
                .iter()
                .map(|o| format!("{}: {:.0} on {}", o.name, o.score, o.at))
                .collect(),
            ..Lists::default()
        },
        _ => fragility(f, &n),
    };
    cut(&mut l);
    l
}

fn cut(l: &mut Lists) {
    if l.people.len() > SHOWN {
        l.notes
            .push(format!("… and {} more people", l.people.len() - SHOWN));
        l.people.truncate(SHOWN);
    }
    if l.events.len() > SHOWN {
        l.notes
            .push(format!("… and {} more events", l.events.len() - SHOWN));
        l.events.truncate(SHOWN);
    }
}

fn returning(f: &Figures, n: &Namer<'_>) -> Lists {
    // Per person: how many of the period's events they came back to, and whether one of
    // them was their first.
    let mut seen: BTreeMap<PersonId, (u32, bool)> = BTreeMap::new();
    let mut events = Vec::new();
    for e in &f.returning_builder_rate.per_event {
        for p in &e.returning_people {
            seen.entry(*p).or_default().0 += 1;
        }
        for p in &e.first_timers {
            seen.entry(*p).or_default().1 = true;
        }
        let estimated = if e.estimated {
            " (estimated from RSVPs)"
        } else {
            ""
        };
        events.push(n.event(
            e.event,
            format!("{} returning of {}{estimated}", e.returning, e.attended),
        ));
    }
    let people = seen
        .into_iter()
        .map(|(p, (back, first))| {
            let note = match (back, first) {
                (0, _) => "first time".to_owned(),
                (b, true) => format!("first time, then back {b}×"),
                (1, false) => "returning at 1 event".to_owned(),
                (b, false) => format!("returning at {b} events"),
            };
            n.person(p, note)
        })
        .collect();
    Lists {
        people,
        events,
        ..Lists::default()
    }
}

fn conversion(f: &Figures, n: &Namer<'_>) -> Lists {
    let people = f
        .first_time_demo_conversion
        .members
        .iter()
        .map(|m| {
            let note = match (m.presented, m.window_open) {
                (Some(e), _) => format!("first came {}; presented at event {e}", m.first_attended),
                (None, true) => format!("first came {}; not yet (window open)", m.first_attended),
                (None, false) => format!("first came {}; did not present", m.first_attended),
            };
            n.person(m.person, note)
        })
        .collect();
    Lists {
        people,
        ..Lists::default()
    }
}

fn time_to_ship(f: &Figures, n: &Namer<'_>) -> Lists {
    let events = f
        .time_to_ship
        .detail
        .iter()
        .map(|e| {
            let days = e.days.map_or("–".to_owned(), |d| format!("{d:.0} days"));
            let note = if e.quality {
                format!("{days}, quality event")
            } else {
                format!("{days}, not counted: {}", e.missing.join("; "))
            };
            n.event(e.event, note)
        })
        .collect();
    Lists {
        events,
        ..Lists::default()
    }
}

fn fragility(f: &Figures, n: &Namer<'_>) -> Lists {
    let fr = &f.fragility;
    let mut l = Lists::default();
    if let Some((p, d, t)) = &fr.top_presenter {
        l.people
            .push(n.person(*p, format!("top presenter: {d} of {t} demos")));
    }
    if let Some((e, a, t)) = &fr.top_event {
        l.events
            .push(n.event(*e, format!("largest event: {a} of {t} attendances")));
    }
    if let Some((o, a, t)) = &fr.top_organizer {
        l.notes.push(format!(
            "busiest organizer {o}: {a} of {t} recorded actions"
        ));
    }
    l
}
