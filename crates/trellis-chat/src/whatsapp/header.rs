//! The header that starts a WhatsApp message line: a date and a time in the phone's
//! locale, in one of three frames. Hand-written over bytes rather than a regex because it
//! runs on every line of multi-gigabyte files; the accepted shapes follow Pustur's header
//! regex (see `shared/formats/chat-exports.md` §1.1–1.3):
//!
//! ```text
//! [LRM*] [ '[' ] D sep [sp] D sep [sp] D [.] [,] SP {non-digits, ≤12 bytes} H (:|.) M [(:|.) S] [SP am/pm] [ ']' ] ( SP '-' | ':' )? SP
//! ```
//!
//! `SP` is a space, U+00A0 or U+202F. Without a bracket, the ` -` (Android) or `:` (old
//! iOS) usually follows the time; a header with neither ([`Frame::Bare`], Pustur's
//! `13. 6. 2018. 21:25:15 a: m`) is only a header when an author follows, which the
//! caller checks, so a continuation line that happens to begin with a date and a time
//! is not taken for one.

/// How the header was framed; a file that mixes frames is not one phone's export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    /// `[date, time] ` (iOS).
    Bracket,
    /// `date, time - ` (Android).
    Dash,
    /// `date time: ` (old iOS).
    Colon,
    /// `date time ` and then the author, with no separator (a Croatian/Serbian-style
    /// date in Pustur's tests). A header only if `Author: ` follows.
    Bare,
}

/// A parsed header. The two non-year date parts are kept in the order written: which one
/// is the day is a property of the whole file (see `order.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// The first and second non-year parts, as written.
    pub x: u16,
    pub y: u16,
    pub year: i32,
    /// 24-hour clock.
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub frame: Frame,
    /// The time had an AM/PM marker but an hour above 12 (`23:59 PM`): read as the
    /// 24-hour clock, and the caller warns, naming the line.
    pub clock_clash: bool,
    /// Byte index in the line where the author or system text starts.
    pub rest: usize,
}

const LRM: &[u8] = "\u{200E}".as_bytes();
const RLM: &[u8] = "\u{200F}".as_bytes();

/// The length of a space-like character at `i`: ASCII space, U+00A0 or U+202F.
#[inline]
pub(crate) fn space_len(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b' ') => 1,
        Some(0xC2) if b.get(i + 1) == Some(&0xA0) => 2,
        Some(0xE2) if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0xAF) => 3,
        _ => 0,
    }
}

/// 1 to `max` ASCII digits not followed by another digit.
#[inline]
fn number(b: &[u8], i: &mut usize, max: usize) -> Option<(u16, usize)> {
    let start = *i;
    let mut v: u16 = 0;
    while let Some(&c) = b.get(*i) {
        if !c.is_ascii_digit() {
            break;
        }
        if *i - start == max {
            return None;
        }
        v = v * 10 + u16::from(c - b'0');
        *i += 1;
    }
    let width = *i - start;
    (width > 0).then_some((v, width))
}

/// `AM`, `pm`, `a.m.`, `p. m.` (the inner space may be U+00A0): `Some((is_pm, length))`.
fn meridiem(b: &[u8]) -> Option<(bool, usize)> {
    let pm = match b.first()? {
        b'a' | b'A' => false,
        b'p' | b'P' => true,
        _ => return None,
    };
    let mut i = 1;
    if b.get(i) == Some(&b'.') {
        i += 1;
    }
    i += space_len(b, i);
    if !matches!(b.get(i), Some(b'm' | b'M')) {
        return None;
    }
    i += 1;
    if b.get(i) == Some(&b'.') {
        i += 1;
    }
    // "am" must be a word of its own, not the start of "amazing".
    if b.get(i).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some((pm, i))
}

/// The three date parts as written, each with its width in digits.
type DateParts = [(u16, usize); 3];

/// The time of day as written: hour (before AM/PM), minute, second, and AM/PM if given.
struct Clock {
    hour: u16,
    minute: u16,
    second: u16,
    pm: Option<bool>,
}

/// Parses the header at the start of `b`, or `None` if the line does not start with one.
pub fn parse(b: &[u8]) -> Option<Header> {
    // Fast reject: every header starts with a digit, '[' or a direction mark.
    match b.first()? {
        b'0'..=b'9' | b'[' | 0xE2 => {}
        _ => return None,
    }
    let mut i = 0;
    while b[i..].starts_with(LRM) || b[i..].starts_with(RLM) {
        i += 3;
    }
    let bracket = b.get(i) == Some(&b'[');
    i += usize::from(bracket);
    let date = date(b, &mut i)?;
    let clock = clock(b, &mut i)?;
    let frame = frame(b, &mut i, bracket)?;
    match space_len(b, i) {
        0 if i < b.len() => return None,
        s => i += s,
    }
    finish(date, &clock, frame, i)
}

// The phases of `parse`, inlined by force: it is the hottest function of the WhatsApp
// reader, and as separate calls they would cost instructions on every line.

/// `d/m/y` (or `.`/`-`, any order) then the space before the time, and the words some
/// locales put between date and time (Finnish "klo").
#[inline(always)]
fn date(b: &[u8], i: &mut usize) -> Option<DateParts> {
    let p1 = number(b, i, 4)?;
    let sep = *b.get(*i)?;
    if !matches!(sep, b'/' | b'.' | b'-') {
        return None;
    }
    *i += 1;
    *i += usize::from(b.get(*i) == Some(&b' '));
    let p2 = number(b, i, 4)?;
    if b.get(*i) != Some(&sep) {
        return None;
    }
    *i += 1;
    *i += usize::from(b.get(*i) == Some(&b' '));
    let p3 = number(b, i, 4)?;
    *i += usize::from(b.get(*i) == Some(&b'.'));
    *i += usize::from(b.get(*i) == Some(&b','));
    let s = space_len(b, *i);
    if s == 0 {
        return None;
    }
    *i += s;
    let words = *i;
    while !b.get(*i)?.is_ascii_digit() {
        if *i - words >= 12 {
            return None;
        }
        *i += 1;
    }
    Some([p1, p2, p3])
}

/// `h:mm`, `hh.mm.ss`, then an AM/PM marker if there is one.
#[inline(always)]
fn clock(b: &[u8], i: &mut usize) -> Option<Clock> {
    let (hour, _) = number(b, i, 2)?;
    let tsep = *b.get(*i)?;
    if tsep != b':' && tsep != b'.' {
        return None;
    }
    *i += 1;
    let (minute, _) = number(b, i, 2)?;
    let mut second = 0;
    if b.get(*i) == Some(&tsep) && b.get(*i + 1).is_some_and(u8::is_ascii_digit) {
        *i += 1;
        second = number(b, i, 2)?.0;
    }
    let mut pm = None;
    let s = space_len(b, *i);
    if s > 0
        && let Some((is_pm, n)) = meridiem(&b[*i + s..])
    {
        pm = Some(is_pm);
        *i += s + n;
    }
    Some(Clock {
        hour,
        minute,
        second,
        pm,
    })
}

/// What closes the date and time: `]`, ` -`, `:`, or (bare) only a space.
#[inline(always)]
fn frame(b: &[u8], i: &mut usize, bracket: bool) -> Option<Frame> {
    if bracket {
        if b.get(*i) != Some(&b']') {
            return None;
        }
        *i += 1;
    }
    let s = space_len(b, *i);
    Some(if s > 0 && b.get(*i + s) == Some(&b'-') {
        *i += s + 1;
        Frame::Dash
    } else if b.get(*i) == Some(&b':') {
        *i += 1;
        Frame::Colon
    } else if bracket {
        Frame::Bracket
    } else if s > 0 {
        Frame::Bare
    } else {
        return None;
    })
}

/// The header from its parts: the 24-hour clock, and which part is the year.
#[inline(always)]
fn finish(date: DateParts, clock: &Clock, frame: Frame, rest: usize) -> Option<Header> {
    let hour = clock.hour;
    let (hour, clock_clash) = match clock.pm {
        // 12 AM is midnight, 12 PM noon; chat-miner's fixture also writes "00:08 a. m.".
        Some(is_pm) if hour <= 12 => ((hour % 12) as u8 + if is_pm { 12 } else { 0 }, false),
        // "23:59 PM" (a hand-edited file, a buggy exporter): the hour can only be the
        // 24-hour one. Refusing the header would fold the message into the one before.
        Some(_) if hour < 24 => (hour as u8, true),
        None if hour < 24 => (hour as u8, false),
        _ => return None,
    };
    if clock.minute > 59 || clock.second > 59 {
        return None;
    }
    // The year is the widest part (4 digits), else the last one; two digits mean 20yy.
    let [(p1, w1), (p2, w2), (p3, w3)] = date;
    let (x, y, year, wy) = if w1 >= 3 {
        (p2, p3, p1, w1)
    } else if w2 >= 3 {
        (p1, p3, p2, w2)
    } else {
        (p1, p2, p3, w3)
    };
    let year = i32::from(year) + if wy <= 2 { 2000 } else { 0 };
    Some(Header {
        x,
        y,
        year,
        hour,
        minute: clock.minute as u8,
        second: clock.second as u8,
        frame,
        clock_clash,
        rest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header's fields and the rest of the line, for compact assertions.
    type Parsed = (u16, u16, i32, u8, u8, u8, Frame, String);

    fn h(s: &str) -> Option<Parsed> {
        parse(s.as_bytes()).map(|h| {
            (
                h.x,
                h.y,
                h.year,
                h.hour,
                h.minute,
                h.second,
                h.frame,
                s[h.rest..].to_owned(),
            )
        })
    }

    /// Pustur's "formats" block (chat-exports.md §1.2), every one a header.
    #[test]
    fn every_date_variant_in_the_format_notes() {
        use Frame::*;
        let cases: &[(&str, (u16, u16, i32))] = &[
            ("3/6/18, 1:55 - a: m", (3, 6, 2018)),
            ("03-06-2018, 01.55 - a: m", (3, 6, 2018)),
            ("13.06.18 21.25.15: a: m", (13, 6, 2018)),
            ("06.13.18 21.25.15: a: m", (6, 13, 2018)),
            ("13.6.2018 klo 21.25.15 - a: m", (13, 6, 2018)),
            ("13. 6. 2018. 21:25:15 - a: m", (13, 6, 2018)),
            ("2018/06/13, 21:25 - a: m", (6, 13, 2018)),
            ("06/2018/13, 21:25 - a: m", (6, 13, 2018)),
            ("30/12/2020, 21:25 - a: m", (30, 12, 2020)),
            ("13/1/2021, 21:25 - a: m", (13, 1, 2021)),
            ("[20.06.19, 15:58:47] Loris: hi", (20, 6, 2019)),
            ("[06/20/20 00:08] John: x", (6, 20, 2020)),
            ("06-01-16 12:29:41: Niels Dequeker: This", (6, 1, 2016)),
        ];
        for (line, (x, y, year)) in cases {
            let got = h(line).unwrap_or_else(|| panic!("not a header: {line}"));
            assert_eq!((got.0, got.1, got.2), (*x, *y, *year), "{line}");
            assert!(got.7.starts_with("a: m") || got.7.contains(':'), "{line}");
        }
        assert_eq!(h("[06/20/20 00:08] John: x").unwrap().6, Bracket);
        assert_eq!(h("06-01-16 12:29:41: Niels: x").unwrap().6, Colon);
        assert_eq!(h("3/6/18, 1:55 - a: m").unwrap().6, Dash);
    }

    #[test]
    fn twelve_hour_markers() {
        let t = |s: &str| h(s).map(|x| (x.3, x.4));
        assert_eq!(t("3/6/18, 1:55 PM - a: m"), Some((13, 55)));
        assert_eq!(t("3/6/18, 1:55\u{202f}PM - a: m"), Some((13, 55)));
        assert_eq!(t("3/6/18, 1:55 p.\u{a0}m. - a: m"), Some((13, 55)));
        assert_eq!(
            t("3/6/18, 1:23 p.m. - a: m"),
            Some((13, 23)),
            "whatstk reads 01:23"
        );
        assert_eq!(t("01/01/2019, 11:25 a. m. - J: x"), Some((11, 25)));
        assert_eq!(t("06/20/2020, 00:08 a. m. - x"), Some((0, 8)));
        assert_eq!(t("12/20/2021, 12:10 p. m. - x: y"), Some((12, 10)));
        assert_eq!(t("[1/24/21, 12:41:03 AM] ~ U: x"), Some((0, 41)));
        assert_eq!(t("7/20/22, 11:32 am - User 2: Goodbye"), Some((11, 32)));
        assert_eq!(t("3/6/18, 24:55 PM - a: m"), None);
    }

    /// An hour above 12 with a marker is read on the 24-hour clock and flagged.
    #[test]
    fn impossible_twelve_hour_times() {
        let got = parse("3/6/18, 23:59 PM - a: m".as_bytes()).unwrap();
        assert_eq!((got.hour, got.minute, got.clock_clash), (23, 59, true));
        let got = parse("[3/6/18, 13:05:00\u{202f}AM] a: m".as_bytes()).unwrap();
        assert_eq!((got.hour, got.clock_clash), (13, true));
        let got = parse("3/6/18, 11:59 PM - a: m".as_bytes()).unwrap();
        assert_eq!((got.hour, got.clock_clash), (23, false));
    }

    /// Date and time with no separator before the author (Pustur's tests).
    #[test]
    fn bare_headers() {
        let got = h("13. 6. 2018. 21:25:15 a: m").unwrap();
        assert_eq!((got.0, got.1, got.2, got.3), (13, 6, 2018, 21));
        assert_eq!((got.6, got.7.as_str()), (Frame::Bare, "a: m"));
        assert_eq!(h("12/10/2021 10:00 was fun").unwrap().6, Frame::Bare);
    }

    #[test]
    fn direction_marks_and_system_text() {
        let got = h("\u{200e}[20.06.19, 15:58:47] \u{200e}Messages to this group").unwrap();
        assert_eq!(got.7, "\u{200e}Messages to this group");
        let got = h("20/06/2020, 00:08 - +12 345 578 created group \"G\"").unwrap();
        assert_eq!(got.7, "+12 345 578 created group \"G\"");
    }

    #[test]
    fn not_headers() {
        for line in [
            "",
            "hello",
            "consectetur adipiscing elit. Duis libero.",
            "1/23/23, 3:22_AM - User 1: x",
            "12/10/2021 was fun",
            "12/10/2021 10:00",
            "3/6/18 1:55 am-azing",
            "3/6/18, 1:55",
            "3/6/18, 25:55 - a: m",
            "3/6/18, 12:75 - a: m",
            "[3/6/18, 1:55 - a: m",
            "12345/6/18, 1:55 - a",
            "3/6-18, 1:55 - a",
            "- https://github.com/Pustur/whatsapp-chat-parser",
            "OPTION: Thursday 15 evening (2 votes)",
            "\u{200e}",
            "[",
            "1/",
        ] {
            assert!(parse(line.as_bytes()).is_none(), "{line:?}");
        }
    }
}
