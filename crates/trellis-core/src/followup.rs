//! The follow-up minimum: after every event, ask a handful of people "what did you do
//! next?", and let the answers show the outcomes.

use crate::error::CoreError;
use crate::ids::{EventId, PersonId};
use crate::metrics::{Seen, attended};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

macro_rules! text_enum {
    ($name:ident, $field:literal, $what:literal, { $($variant:ident => $text:literal),* $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }

        impl FromStr for $name {
            type Err = CoreError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let names: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                $name::ALL.iter().copied().find(|v| v.as_str() == s.trim()).ok_or_else(|| {
                    CoreError::invalid($field, s, format!(concat!("is not ", $what, " ({})"), names.join(", ")))
                })
            }
        }
    };
}

text_enum!(Channel, "channel", "a channel", {
    Message => "message",
    Form => "form",
    Chat => "chat",
});

text_enum!(Outcome, "outcome", "an outcome", {
    Built => "built",
    Shipped => "shipped",
    Collaborated => "collaborated",
    CameBack => "came_back",
    Nothing => "nothing",
});

/// Days after `held` by which the follow-ups are due.
pub const DUE_DAYS: i64 = 7;

/// When the follow-ups of an event held at `held` are due.
pub fn due(held: jiff::Timestamp) -> jiff::Timestamp {
    held.saturating_add(jiff::SignedDuration::from_hours(24 * DUE_DAYS))
        .unwrap_or(held)
}

/// People are not asked again within this many days of the last time.
pub const QUIET_DAYS: i64 = 90;

/// Why someone is suggested, in the rule's order of priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    /// One of the retro's three picks.
    RetroPick,
    /// Came for the first time.
    FirstTimer,
    /// Presented a demo.
    Presenter,
    /// Came back (attended before).
    ReturningBuilder,
}

impl Why {
    pub fn as_str(self) -> &'static str {
        match self {
            Why::RetroPick => "retro pick",
            Why::FirstTimer => "first-timer",
            Why::Presenter => "presenter",
            Why::ReturningBuilder => "returning builder",
        }
    }
}

/// What the rule knows about one person who was at the event.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub person: PersonId,
    pub name: String,
    pub why: Why,
    /// The retro's reason, for retro picks.
    pub note: Option<String>,
    /// Declined contact: never suggested.
    pub do_not_contact: bool,
    /// Already asked about this event.
    pub already_sent: bool,
    /// Asked about another event within [`QUIET_DAYS`].
    pub asked_recently: bool,
}

/// Who was in the event's room, each with why they are worth asking: presenters first,
/// then returning builders (in the room of an earlier event), then first-timers. "In the
/// room" is the metrics' own definition ([`crate::metrics::attended`]: checked in, or RSVP
/// `going` where the event's check-in was not used), for this event and every earlier one,
/// so a follow-up never calls someone returning whom the metrics count as a first-timer.
/// `rows` are the event's attendance rows, `earlier` those of the program's earlier held
/// events. Sorted by person id (the caller orders by name).
pub fn room_classes(
    rows: &[Seen],
    earlier: &[Seen],
    presenters: &HashSet<PersonId>,
) -> Vec<(PersonId, Why)> {
    let event_rows: Vec<&Seen> = rows.iter().collect();
    let (room, _) = attended(&event_rows);
    let mut by_event: HashMap<EventId, Vec<&Seen>> = HashMap::new();
    for r in earlier {
        by_event.entry(r.event).or_default().push(r);
    }
    let mut before: HashSet<PersonId> = HashSet::new();
    for rows in by_event.values() {
        before.extend(attended(rows).0);
    }
    let mut out: Vec<(PersonId, Why)> = room
        .into_iter()
        .map(|p| {
            let why = if presenters.contains(&p) {
                Why::Presenter
            } else if before.contains(&p) {
                Why::ReturningBuilder
            } else {
                Why::FirstTimer
            };
            (p, why)
        })
        .collect();
    out.sort_unstable_by_key(|(p, _)| *p);
    out
}

pub const RULE: &str = "the retro's three picks first, then first-timers, presenters and returning builders; \
     never someone who declined contact, already asked about this event, or asked in the last 90 days";

/// Orders the candidates by the rule and keeps the first `n` eligible ones. Retro picks
/// are kept even if asked recently: the team chose them on purpose.
pub fn suggest(mut candidates: Vec<Candidate>, n: usize) -> Vec<Candidate> {
    candidates.retain(|c| {
        !c.do_not_contact && !c.already_sent && (c.why == Why::RetroPick || !c.asked_recently)
    });
    // Stable sort: within a group the caller's order (by name) stays.
    candidates.sort_by_key(|c| c.why);
    let mut seen = Vec::new();
    candidates.retain(|c| {
        if seen.contains(&c.person) {
            return false;
        }
        seen.push(c.person);
        true
    });
    candidates.truncate(n);
    candidates
}

/// The personal message to paste into a chat or e-mail.
pub fn message(first_name: &str, event_title: &str, link: Option<&str>) -> String {
    let mut m = format!(
        "Hi {first_name}, thanks for coming to {event_title}! One question, and I really want to know: \
         what did you do next? Built something, shipped it, teamed up with someone you met, or nothing yet (that's fine too)."
    );
    if let Some(link) = link {
        m.push_str(&format!(" You can answer in a minute here: {link}"));
    }
    m.push_str(" Thank you!");
    m
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_room_and_returning_builders_are_the_metrics_own() {
        use crate::attendance::{CheckedIn, Rsvp};
        let row = |e: i64, p: i64, rsvp: Rsvp, c: CheckedIn| Seen {
            event: EventId(e),
            person: PersonId(p),
            rsvp,
            checked_in: c,
        };
        // Earlier event 1 used its check-in: person 2 only RSVP'd and never came, so they
        // were not in its room. Earlier event 2 did not use it: RSVPs count there.
        let earlier = [
            row(1, 1, Rsvp::Going, CheckedIn::Yes),
            row(1, 2, Rsvp::Going, CheckedIn::No),
            row(2, 3, Rsvp::Going, CheckedIn::Unknown),
        ];
        let rows = [
            row(9, 1, Rsvp::Going, CheckedIn::Yes),
            row(9, 2, Rsvp::Going, CheckedIn::Yes),
            row(9, 3, Rsvp::Going, CheckedIn::Yes),
            row(9, 4, Rsvp::Going, CheckedIn::Yes),
            row(9, 5, Rsvp::Going, CheckedIn::No),
        ];
        let presenters: HashSet<PersonId> = [PersonId(4)].into();
        assert_eq!(
            room_classes(&rows, &earlier, &presenters),
            vec![
                (PersonId(1), Why::ReturningBuilder),
                (PersonId(2), Why::FirstTimer),
                (PersonId(3), Why::ReturningBuilder),
                (PersonId(4), Why::Presenter),
            ],
            "person 5 was not in the room; person 2 was never in a room before"
        );
    }

    use super::*;

    fn c(id: i64, why: Why) -> Candidate {
        Candidate {
            person: PersonId(id),
            name: format!("P{id}"),
            why,
            note: None,
            do_not_contact: false,
            already_sent: false,
            asked_recently: false,
        }
    }

    #[test]
    fn retro_picks_come_first_and_declined_contact_never() {
        let mut blocked = c(5, Why::FirstTimer);
        blocked.do_not_contact = true;
        let mut recent = c(6, Why::Presenter);
        recent.asked_recently = true;
        let mut recent_pick = c(7, Why::RetroPick);
        recent_pick.asked_recently = true;
        let out = suggest(
            vec![
                c(1, Why::ReturningBuilder),
                blocked,
                c(2, Why::FirstTimer),
                recent,
                recent_pick,
                c(3, Why::Presenter),
            ],
            10,
        );
        let ids: Vec<i64> = out.iter().map(|x| x.person.0).collect();
        assert_eq!(ids, vec![7, 2, 3, 1]);
    }

    #[test]
    fn a_person_appears_once_under_their_strongest_reason() {
        let out = suggest(vec![c(1, Why::ReturningBuilder), c(1, Why::Presenter)], 10);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].why, Why::Presenter);
    }

    #[test]
    fn channels_and_outcomes_parse() {
        assert_eq!("form".parse::<Channel>().unwrap(), Channel::Form);
        assert!(
            "email"
                .parse::<Channel>()
                .unwrap_err()
                .to_string()
                .starts_with("channel: \"email\" is not a channel")
        );
        assert_eq!("came_back".parse::<Outcome>().unwrap(), Outcome::CameBack);
    }
}
