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
        let attended = room.len() as u32;
        out.push(ReturningPoint {
            event: *e,
            attended,
            returning,
            rate: (attended > 0).then(|| f64::from(returning) / f64::from(attended)),
            estimated,
        });
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
