//! Writes messages in WhatsApp's export format. Two uses: the round-trip property test
//! (what we write, we read back unchanged) and the benchmark generator, which needs
//! exports of any size in each platform's style.

use crate::time::Civil;
use std::io::{self, Write};

/// The phone whose export to imitate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// `[d.m.yy, HH:MM:SS] ` (iOS, seconds always) instead of `d/m/yy, HH:MM - ` (Android).
    pub ios: bool,
    pub day_first: bool,
    pub four_digit_year: bool,
    /// 12-hour clock with ` AM`/` PM` after U+202F, as newer phones write it.
    pub twelve_hour: bool,
    /// `\r\n` line ends (iOS exports).
    pub crlf: bool,
}

impl Style {
    pub const ANDROID: Style = Style {
        ios: false,
        day_first: true,
        four_digit_year: false,
        twelve_hour: false,
        crlf: false,
    };
    pub const IOS: Style = Style {
        ios: true,
        day_first: true,
        four_digit_year: false,
        twelve_hour: false,
        crlf: true,
    };
}

/// Writes one message: `author` `None` makes a system line. `text` may hold `\n`s; each
/// becomes a continuation line. Android headers have no seconds, so they are dropped.
pub fn write_message<W: Write>(
    out: &mut W,
    style: &Style,
    time: &Civil,
    author: Option<&str>,
    text: &str,
) -> io::Result<()> {
    let (a, b) = if style.day_first {
        (time.day, time.month)
    } else {
        (time.month, time.day)
    };
    let year = if style.four_digit_year {
        time.year
    } else {
        time.year % 100
    };
    let sep = if style.ios { '.' } else { '/' };
    let yw = if style.four_digit_year { 4 } else { 2 };
    if style.ios {
        out.write_all(b"[")?;
    }
    write!(out, "{a:02}{sep}{b:02}{sep}{year:0yw$}, ")?;
    if style.twelve_hour {
        let h = match time.hour % 12 {
            0 => 12,
            h => h,
        };
        write!(out, "{h}:{:02}", time.minute)?;
        if style.ios {
            write!(out, ":{:02}", time.second)?;
        }
        let ampm = if time.hour < 12 { "AM" } else { "PM" };
        write!(out, "\u{202F}{ampm}")?;
    } else {
        write!(out, "{:02}:{:02}", time.hour, time.minute)?;
        if style.ios {
            write!(out, ":{:02}", time.second)?;
        }
    }
    out.write_all(if style.ios { b"] " } else { b" - " })?;
    if let Some(author) = author {
        write!(out, "{author}: ")?;
    }
    let eol: &[u8] = if style.crlf { b"\r\n" } else { b"\n" };
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.write_all(eol)?;
        }
        out.write_all(line.as_bytes())?;
    }
    out.write_all(eol)
}
