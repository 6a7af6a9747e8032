//! Message times. An export either knows the instant (Telegram's `date_unixtime`, Discord's
//! offsets, Slack's `ts`) or only the wall-clock time of a phone or computer (WhatsApp, old
//! Telegram). We keep exactly what the export knows: a civil time, plus the UTC offset when
//! it is known, and never invent a zone. Small and dependency-free because the WhatsApp
//! parser builds one per message on its hot path.

use std::fmt;

/// A wall-clock date and time, validated (no 31 April, no 25:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Civil {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub nanos: u32,
}

/// When a message was written: a civil time and, when the export knows it, the offset
/// from UTC in seconds (east positive). `offset == None` is the "local time only" flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Time {
    pub local: Civil,
    pub offset: Option<i32>,
}

/// The widest offset a real zone has had is under 15 h; anything past 18 h is garbage.
const MAX_OFFSET: i32 = 18 * 3600;

impl Civil {
    /// A checked civil time; `None` when a field is out of range for its calendar.
    pub fn new(
        year: i32,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
        nanos: u32,
    ) -> Option<Civil> {
        let ok = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month)
            && hour < 24
            && minute < 60
            // 60 is a leap second; keep it rather than reject the message.
            && second <= 60
            && nanos < 1_000_000_000;
        ok.then_some(Civil {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanos,
        })
    }

    /// The civil time at `secs` seconds after 1970-01-01T00:00:00 (proleptic Gregorian).
    pub fn from_unix(secs: i64, nanos: u32) -> Option<Civil> {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        let year = i32::try_from(year).ok()?;
        Civil::new(
            year,
            month,
            day,
            (rem / 3600) as u8,
            (rem % 3600 / 60) as u8,
            (rem % 60) as u8,
            nanos,
        )
    }

    /// Seconds since 1970-01-01T00:00:00 as if this civil time were UTC.
    pub fn unix_seconds(&self) -> i64 {
        days_from_civil(i64::from(self.year), self.month, self.day) * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }
}

impl Time {
    /// A time known only as a wall-clock reading.
    pub fn local(local: Civil) -> Time {
        Time {
            local,
            offset: None,
        }
    }

    /// The instant `secs` (Unix) seen at `offset` seconds east of UTC.
    pub fn at_offset(secs: i64, nanos: u32, offset: i32) -> Option<Time> {
        if offset.unsigned_abs() > MAX_OFFSET.unsigned_abs() {
            return None;
        }
        let local = Civil::from_unix(secs.checked_add(i64::from(offset))?, nanos)?;
        Some(Time {
            local,
            offset: Some(offset),
        })
    }

    /// True when only the wall-clock time is known (no offset).
    pub fn is_local(&self) -> bool {
        self.offset.is_none()
    }

    /// A key that orders instants when the offset is known, and wall-clock readings
    /// otherwise (an export has one kind or the other throughout).
    pub fn sort_key(&self) -> (i64, u32) {
        let secs = self.local.unix_seconds() - i64::from(self.offset.unwrap_or(0));
        (secs, self.local.nanos)
    }
}

/// RFC 3339 with the offset when it is known (`2024-01-15T10:30:00+01:00`), otherwise the
/// bare civil time `2024-01-15T10:30:00`. Fractions only when the export had them.
impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.local;
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )?;
        if c.nanos != 0 {
            let mut frac = format!("{:09}", c.nanos);
            while frac.ends_with('0') {
                frac.pop();
            }
            write!(f, ".{frac}")?;
        }
        if let Some(off) = self.offset {
            let sign = if off < 0 { '-' } else { '+' };
            let abs = off.unsigned_abs();
            write!(f, "{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60)?;
        }
        Ok(())
    }
}

pub(crate) fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub(crate) fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u8, d: u8) -> i64 {
    let m = i64::from(m);
    let d = i64::from(d);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Reads `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM|±HHMM]` (a space may stand for `T`): the
/// shape Telegram (`date`, no offset) and DiscordChatExporter (with offset) write.
pub fn parse_iso(s: &str) -> Option<(Civil, Option<i32>)> {
    let b = s.trim().as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if b[10] != b'T' && b[10] != b't' && b[10] != b' ' {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    let hour = digits(&b[11..13])?;
    let minute = digits(&b[14..16])?;
    let second = digits(&b[17..19])?;
    let mut i = 19;
    let mut nanos = 0u32;
    if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 9 {
                nanos = nanos * 10 + u32::from(b[i] - b'0');
            }
            i += 1;
        }
        let n = i - start;
        if n == 0 {
            return None;
        }
        for _ in n.min(9)..9 {
            nanos *= 10;
        }
    }
    let offset = match b.get(i) {
        None => None,
        Some(b'Z' | b'z') if i + 1 == b.len() => Some(0),
        Some(&sign @ (b'+' | b'-')) => {
            let rest = &b[i + 1..];
            let (h, m) = match rest.len() {
                5 if rest[2] == b':' => (digits(&rest[0..2])?, digits(&rest[3..5])?),
                4 => (digits(&rest[0..2])?, digits(&rest[2..4])?),
                2 => (digits(&rest[0..2])?, 0),
                _ => return None,
            };
            if m >= 60 {
                return None;
            }
            let off = i32::try_from(h * 3600 + m * 60).ok()?;
            if off > MAX_OFFSET {
                return None;
            }
            Some(if sign == b'-' { -off } else { off })
        }
        Some(_) => return None,
    };
    let civil = Civil::new(
        i32::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
        u8::try_from(hour).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second).ok()?,
        nanos,
    )?;
    Some((civil, offset))
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_round_trips_through_civil() {
        for secs in [
            0i64,
            951_782_400,
            1_544_006_350,
            -86_400,
            4_102_444_799,
            1_709_164_800,
        ] {
            let c = Civil::from_unix(secs, 0).unwrap();
            assert_eq!(c.unix_seconds(), secs, "{c:?}");
        }
        let c = Civil::from_unix(1_544_006_350, 0).unwrap();
        assert_eq!(
            Time::local(c).to_string(),
            "2018-12-05T10:39:10",
            "chat-miner's first Telegram message, in UTC"
        );
    }

    #[test]
    fn calendar_checks() {
        assert!(Civil::new(2024, 2, 29, 0, 0, 0, 0).is_some());
        assert!(Civil::new(2023, 2, 29, 0, 0, 0, 0).is_none());
        assert!(Civil::new(2000, 2, 29, 0, 0, 0, 0).is_some());
        assert!(Civil::new(1900, 2, 29, 0, 0, 0, 0).is_none());
        assert!(Civil::new(2021, 4, 31, 0, 0, 0, 0).is_none());
        assert!(Civil::new(2021, 4, 30, 24, 0, 0, 0).is_none());
    }

    #[test]
    fn iso_with_and_without_offsets() {
        let (c, off) = parse_iso("2022-05-26T23:19:27.384-04:00").unwrap();
        assert_eq!(off, Some(-4 * 3600));
        let t = Time {
            local: c,
            offset: off,
        };
        assert_eq!(t.to_string(), "2022-05-26T23:19:27.384-04:00");
        let (c, off) = parse_iso("2020-10-13T23:31:04").unwrap();
        assert_eq!(off, None);
        assert_eq!(Time::local(c).to_string(), "2020-10-13T23:31:04");
        assert_eq!(
            parse_iso("2020-01-01T00:00:00Z").unwrap().1,
            Some(0),
            "Z is UTC"
        );
        for bad in [
            "",
            "2020-13-01T00:00:00",
            "2020-01-01T00:00:00+25:00",
            "2020-01-01X00:00:00",
            "2020-01-01T00:00:00.",
            "2020-01-01T00:00:00junk",
            "２０２０-01-01T00:00:00",
        ] {
            assert!(parse_iso(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn offsets_shift_the_wall_clock_not_the_instant() {
        let t = Time::at_offset(1_705_315_800, 0, 3600).unwrap();
        assert_eq!(t.to_string(), "2024-01-15T11:50:00+01:00");
        let utc = Time::at_offset(1_705_315_800, 0, 0).unwrap();
        assert_eq!(t.sort_key(), utc.sort_key());
        assert!(Time::at_offset(0, 0, 19 * 3600).is_none());
    }
}
