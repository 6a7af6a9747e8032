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

/// Reads `YYYY-MM-DD HH:MM` as a wall-clock time in `tz_name`.
///
/// A time that does not exist there (skipped by a daylight-saving jump) is refused: an
/// invitation for 02:30 on that night would be wrong whichever way we guessed. A time
/// that exists twice (the clock is put back) is read as the first of the two.
pub fn local_start(field: &str, text: &str, tz_name: &str) -> Result<LocalStart, CoreError> {
    let tz = zone("tz", tz_name)?;
    let trimmed = text.trim();
    let local = DateTime::strptime("%Y-%m-%d %H:%M", trimmed).map_err(|_| {
        CoreError::invalid(
            field,
            text,
            "is not a time of the form YYYY-MM-DD HH:MM (local to the program's zone)",
        )
    })?;
    let ambiguous = tz.to_ambiguous_zoned_datetime(local);
    if let AmbiguousOffset::Gap { before, after } = ambiguous.offset() {
        return Err(CoreError::invalid(
            field,
            text,
            format!(
                "does not exist in {tz_name}: the clocks jump from UTC{before} to UTC{after} that night; pick a time outside the jump"
            ),
        ));
    }
    let zoned = ambiguous.compatible().map_err(|e| {
        CoreError::invalid(field, text, format!("cannot be placed in {tz_name}: {e}"))
    })?;
    Ok(LocalStart {
        local,
        tz: tz_name.trim().to_owned(),
        at: zoned.timestamp(),
    })
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
    fn a_time_in_the_autumn_fold_is_the_first_one() {
        let s = local_start("at", "2026-10-25 02:30", "Europe/Berlin").unwrap();
        assert_eq!(rfc3339_utc(s.at), "2026-10-25T00:30:00Z");
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
