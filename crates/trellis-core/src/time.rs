//! Local event times. Events happen at a wall-clock time in a place ("Thursday 18:30 in
//! Berlin"), so we keep the civil time and the zone, and derive the instant from them.

use crate::error::CoreError;
use jiff::civil::DateTime;
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, ZonedDateTime};

/// Looks up an IANA time zone by name, e.g. `Europe/Berlin`.
pub fn zone(field: &str, name: &str) -> Result<TimeZone, CoreError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CoreError::invalid(
            field,
            name,
            "is empty; give an IANA time zone such as Europe/Berlin",
        ));
    }
    TimeZone::get(name).map_err(|_| {
        CoreError::invalid(
            field,
            name,
            "is not a known IANA time zone (for example Europe/Berlin or America/New_York)",
        )
    })
}

/// The start of an event: the civil time as typed, its zone and the instant they mean.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalStart {
    pub local: DateTime,
    pub tz: String,
    pub at: Timestamp,
}

impl LocalStart {
    /// The local time as stored and shown: `YYYY-MM-DD HH:MM`.
    pub fn local_text(&self) -> String {
        self.local.strftime("%Y-%m-%d %H:%M").to_string()
    }
}

/// Reads `YYYY-MM-DD HH:MM` as a wall-clock time in `tz_name`, optionally followed by the
/// UTC offset meant (`2027-10-31 02:30 +01:00`).
///
/// A time that does not exist there (skipped by a daylight-saving jump) is refused: an
/// invitation for 02:30 on that night would be wrong whichever way we guessed. A time
/// that exists twice (the clock is put back) is refused too, naming both offsets, unless
/// the offset says which. An offset the zone does not have at that time is refused.
pub fn local_start(field: &str, text: &str, tz_name: &str) -> Result<LocalStart, CoreError> {
    let tz = zone("tz", tz_name)?;
    let trimmed = text.trim();
    let (local, offset) = match jiff::fmt::strtime::parse("%Y-%m-%d %H:%M %:z", trimmed) {
        Ok(parts) => (parts.to_datetime().ok(), parts.offset()),
        Err(_) => (DateTime::strptime("%Y-%m-%d %H:%M", trimmed).ok(), None),
    };
    let local = local.ok_or_else(|| {
        CoreError::invalid(
            field,
            text,
            "is not a time of the form YYYY-MM-DD HH:MM (local to the program's zone), optionally with its offset: YYYY-MM-DD HH:MM +01:00",
        )
    })?;
    let ambiguous = tz.to_ambiguous_zoned_datetime(local);
    let at_offset = |o: jiff::tz::Offset| {
        o.to_timestamp(local).map_err(|e| {
            CoreError::invalid(field, text, format!("cannot be placed in {tz_name}: {e}"))
        })
    };
    let at = match (ambiguous.offset(), offset) {
        (AmbiguousOffset::Gap { before, after }, _) => {
            return Err(CoreError::invalid(
                field,
                text,
                format!(
                    "does not exist in {tz_name}: the clocks jump from UTC{before} to UTC{after} that night; pick a time outside the jump"
                ),
            ));
        }
        (AmbiguousOffset::Fold { before, after }, None) => {
            let day = local.strftime("%Y-%m-%d %H:%M");
            return Err(CoreError::invalid(
                field,
                text,
                format!(
                    "happens twice in {tz_name}: the clocks go back from UTC{before} to UTC{after} that night; say which with its offset: \"{day} {}\" or \"{day} {}\"",
                    offset_text(before),
                    offset_text(after)
                ),
            ));
        }
        (AmbiguousOffset::Fold { before, after }, Some(o)) if o == before || o == after => {
            at_offset(o)?
        }
        (AmbiguousOffset::Unambiguous { offset }, Some(o)) if o == offset => at_offset(o)?,
        (AmbiguousOffset::Unambiguous { offset }, None) => at_offset(offset)?,
        (_, Some(o)) => {
            return Err(CoreError::invalid(
                field,
                text,
                format!(
                    "is not at UTC{o} in {tz_name}: drop the offset, or give the one in force then"
                ),
            ));
        }
    };
    Ok(LocalStart {
        local,
        tz: tz_name.trim().to_owned(),
        at,
    })
}

/// An offset as `--at` reads it: `+01:00`.
fn offset_text(o: jiff::tz::Offset) -> String {
    let secs = o.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let mins = secs.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", mins / 60, mins % 60)
}

/// An instant shown in a zone, RFC 3339 with the offset: `2026-03-12T18:30:00+01:00`.
pub fn rfc3339_in(at: Timestamp, tz: &TimeZone) -> String {
    let zoned = at.to_zoned_datetime(tz.clone());
    zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// An instant in UTC, RFC 3339: `2026-03-12T17:30:00Z`.
pub fn rfc3339_utc(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Serde writers for view types that hold instants: the JSON contract writes them as
/// [`rfc3339_utc`] and [`rfc3339_in`] do (whole seconds), while the types keep `Timestamp`s
/// and zoned times for each surface to format its own way.
pub mod json {
    use jiff::{Timestamp, ZonedDateTime};
    use serde::Serializer;

    pub fn utc<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::rfc3339_utc(*t))
    }

    pub fn utc_opt<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_some(&super::rfc3339_utc(*t)),
            None => s.serialize_none(),
        }
    }

    /// A zoned time with its offset: `2026-03-12T18:30:00+01:00`.
    pub fn local<S: Serializer>(z: &ZonedDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
    }
}

/// Microseconds since the Unix epoch, the storage form of every instant.
pub fn to_micros(at: Timestamp) -> i64 {
    at.as_microsecond()
}

/// The inverse of [`to_micros`]. Out-of-range values (a corrupted row) clamp to the epoch
/// rather than panic; they cannot come from Trellis itself.
pub fn from_micros(us: i64) -> Timestamp {
    Timestamp::from_microsecond(us).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The zoned form of an event's start, for calendar arithmetic and display.
pub fn zoned(at: Timestamp, tz: &TimeZone) -> ZonedDateTime {
    at.to_zoned_datetime(tz.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_local_time_in_the_programs_zone() {
        let s = local_start("at", "2026-03-12 18:30", "Europe/Berlin").unwrap();
        assert_eq!(rfc3339_utc(s.at), "2026-03-12T17:30:00Z");
        assert_eq!(s.local_text(), "2026-03-12 18:30");
        assert_eq!(
            rfc3339_in(s.at, &zone("tz", "Europe/Berlin").unwrap()),
            "2026-03-12T18:30:00+01:00"
        );
    }

    #[test]
    fn a_time_in_the_spring_gap_is_refused() {
        let e = local_start("at", "2026-03-29 02:30", "Europe/Berlin")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("at: \"2026-03-29 02:30\" does not exist in Europe/Berlin"),
            "{e}"
        );
    }

    #[test]
    fn a_time_in_the_autumn_fold_needs_its_offset() {
        let e = local_start("at", "2027-10-31 02:30", "Europe/Berlin")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "at: \"2027-10-31 02:30\" happens twice in Europe/Berlin: the clocks go back from UTC+02 to UTC+01 that night; say which with its offset: \"2027-10-31 02:30 +02:00\" or \"2027-10-31 02:30 +01:00\""
        );
        let first = local_start("at", "2027-10-31 02:30 +02:00", "Europe/Berlin").unwrap();
        assert_eq!(rfc3339_utc(first.at), "2027-10-31T00:30:00Z");
        let second = local_start("at", "2027-10-31 02:30 +01:00", "Europe/Berlin").unwrap();
        assert_eq!(rfc3339_utc(second.at), "2027-10-31T01:30:00Z");
        assert_eq!(second.local_text(), "2027-10-31 02:30");
        let e = local_start("at", "2027-10-31 02:30 +05:00", "Europe/Berlin")
            .unwrap_err()
            .to_string();
        assert!(e.contains("is not at UTC+05 in Europe/Berlin"), "{e}");
        // An offset that agrees with an unambiguous time is fine; one that does not is not.
        let s = local_start("at", "2026-03-12 18:30 +01:00", "Europe/Berlin").unwrap();
        assert_eq!(rfc3339_utc(s.at), "2026-03-12T17:30:00Z");
        assert!(local_start("at", "2026-03-12 18:30 +02:00", "Europe/Berlin").is_err());
    }

    #[test]
    fn bad_text_and_zones_name_the_field() {
        assert!(
            local_start("at", "12/03/2026 18:30", "Europe/Berlin")
                .unwrap_err()
                .to_string()
                .starts_with("at:")
        );
        assert!(local_start("at", "2026-02-30 18:30", "Europe/Berlin").is_err());
        assert!(
            local_start("at", "2026-03-12 18:30", "Mars/Olympus")
                .unwrap_err()
                .to_string()
                .starts_with("tz:")
        );
    }

    #[test]
    fn micros_round_trip() {
        let s = local_start("at", "2026-03-12 18:30", "UTC").unwrap();
        assert_eq!(from_micros(to_micros(s.at)), s.at);
    }
}
