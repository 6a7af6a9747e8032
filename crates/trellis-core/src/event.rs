//! The event lifecycle: `draft → announced → held → closed`, or `cancelled`.

use crate::error::CoreError;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    Draft,
    Announced,
    Held,
    Closed,
    Cancelled,
}

impl EventStatus {
    pub const ALL: [EventStatus; 5] = [
        EventStatus::Draft,
        EventStatus::Announced,
        EventStatus::Held,
        EventStatus::Closed,
        EventStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Draft => "draft",
            EventStatus::Announced => "announced",
            EventStatus::Held => "held",
            EventStatus::Closed => "closed",
            EventStatus::Cancelled => "cancelled",
        }
    }

    /// The step an organizer takes next from this status, if any.
    pub fn next_step(self) -> Option<EventStatus> {
        match self {
            EventStatus::Draft => Some(EventStatus::Announced),
            EventStatus::Announced => Some(EventStatus::Held),
            EventStatus::Held => Some(EventStatus::Closed),
            EventStatus::Closed | EventStatus::Cancelled => None,
        }
    }

    /// Whether the lifecycle allows going from `self` to `to` at all (gates aside).
    pub fn can_become(self, to: EventStatus) -> bool {
        use EventStatus::*;
        matches!(
            (self, to),
            (Draft, Announced)
                | (Announced, Held)
                | (Held, Closed)
                | (Draft | Announced, Cancelled)
        )
    }

    /// Checks a transition, with an error that says what would be possible instead.
    pub fn transition(self, to: EventStatus, event: &str) -> Result<(), CoreError> {
        if self.can_become(to) {
            return Ok(());
        }
        let hint = match (self, to) {
            (EventStatus::Draft, EventStatus::Held) => " before it is announced".to_owned(),
            (from, _) if from == to => " again".to_owned(),
            (from, _) => match from.next_step() {
                Some(next) => format!(" (next step: {next})"),
                None => " (it is finished)".to_owned(),
            },
        };
        Err(CoreError::Transition {
            what: event.to_owned(),
            from: self.to_string(),
            to: to.to_string(),
            hint,
        })
    }
}

impl fmt::Display for EventStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventStatus {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EventStatus::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| CoreError::invalid("status", s, "is not an event status"))
    }
}

/// "in 20 days" / "in 5 h" / "in 12 min": how far ahead a start is.
fn ahead(start: Timestamp, now: Timestamp) -> String {
    let minutes = start.duration_since(now).as_secs() / 60;
    match minutes {
        m if m >= 48 * 60 => format!("in {} days", m / (24 * 60)),
        m if m >= 60 => format!("in {} h", m / 60),
        m => format!("in {} min", m.max(1)),
    }
}

/// Held means it happened: an event is marked held only once its start has passed, or
/// the retro and follow-up clocks would start before the evening did. `local` is the
/// start as the organizers typed it, in zone `tz`.
pub fn check_held(
    what: &str,
    from: EventStatus,
    starts_at: Timestamp,
    local: &str,
    tz: &str,
    now: Timestamp,
) -> Result<(), CoreError> {
    if starts_at <= now {
        return Ok(());
    }
    Err(CoreError::Transition {
        what: what.to_owned(),
        from: from.to_string(),
        to: EventStatus::Held.to_string(),
        hint: format!(
            " yet: it starts {}, on {local} ({tz})",
            ahead(starts_at, now)
        ),
    })
}

/// A backfilled event is history: it must have started already. `local` as typed.
pub fn check_backfill(starts_at: Timestamp, local: &str, now: Timestamp) -> Result<(), CoreError> {
    if starts_at <= now {
        return Ok(());
    }
    Err(CoreError::invalid(
        "at",
        local,
        format!(
            "is in the future (it starts {}): only an event that already happened can be backfilled",
            ahead(starts_at, now)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::EventStatus::*;
    use super::*;

    #[test]
    fn held_only_once_the_event_has_started() {
        let now: Timestamp = "2026-11-20T12:00:00Z".parse().unwrap();
        let start: Timestamp = "2026-12-10T17:30:00Z".parse().unwrap();
        let e = check_held(
            "event 2 'Dec night'",
            Announced,
            start,
            "2026-12-10 18:30",
            "Europe/Oslo",
            now,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "event 2 'Dec night' is announced; it cannot become held yet: it starts in 20 days, on 2026-12-10 18:30 (Europe/Oslo)"
        );
        assert!(check_held("e", Announced, start, "", "", start).is_ok());
        assert!(check_backfill(start, "2026-12-10 18:30", now).is_err());
        assert!(check_backfill(now, "x", start).is_ok());
    }

    #[test]
    fn the_lifecycle_moves_forward_only() {
        assert!(Draft.can_become(Announced));
        assert!(Announced.can_become(Held));
        assert!(Held.can_become(Closed));
        assert!(Draft.can_become(Cancelled) && Announced.can_become(Cancelled));
        assert!(!Held.can_become(Cancelled));
        assert!(!Draft.can_become(Held));
        assert!(!Closed.can_become(Draft));
        assert!(!Cancelled.can_become(Announced));
    }

    #[test]
    fn refusals_say_what_is_possible() {
        let e = Draft
            .transition(Held, "event 4 'Oct demo night'")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "event 4 'Oct demo night' is draft; it cannot become held before it is announced"
        );
        let e = Announced.transition(Announced, "event 4").unwrap_err();
        assert_eq!(
            e.to_string(),
            "event 4 is announced; it cannot become announced again"
        );
        let e = Closed.transition(Cancelled, "event 4").unwrap_err();
        assert!(e.to_string().ends_with("(it is finished)"));
    }

    #[test]
    fn statuses_round_trip_as_text() {
        for s in EventStatus::ALL {
            assert_eq!(s.as_str().parse::<EventStatus>().unwrap(), s);
        }
        assert!("done".parse::<EventStatus>().is_err());
    }
}
