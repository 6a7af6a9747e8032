//! `stats` of a large WhatsApp file on two cores. The day/month order is decided first
//! (it is a property of the whole file); then the file is cut at the first message header
//! after its middle, each half is parsed by its own thread into its own counts, and the
//! counts are joined in file order: the second half's authors follow the first half's,
//! its line numbers and offsets are shifted by the first half's. Only the counts are
//! parallel: [`crate::read`] still hands messages over one at a time, in order.

use super::{DayOrder, Notes, decide, header, read_part, summary};
use crate::error::ChatError;
use crate::message::Format;
use crate::source::Source;
use crate::stats::{Stats, StatsBuilder};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

/// Below this a second thread costs more than it saves.
const MIN_SPLIT: u64 = 16 << 20;
/// How far past the middle to look for a header line.
const WINDOW: u64 = 1 << 20;

/// The stats of `path` read in two halves, or `None` when it is too small or has no
/// header line near its middle (the caller then reads it in one pass).
pub(crate) fn stats(
    path: &Path,
    source: &dyn Source,
    forced: Option<DayOrder>,
) -> Result<Option<Stats>, ChatError> {
    stats_above(path, source, forced, MIN_SPLIT)
}

fn stats_above(
    path: &Path,
    source: &dyn Source,
    forced: Option<DayOrder>,
    min: u64,
) -> Result<Option<Stats>, ChatError> {
    let place = source.place();
    let io_err = |e| ChatError::io(place, e);
    let len = std::fs::metadata(path).map_err(io_err)?.len();
    if len < min {
        return Ok(None);
    }
    let Some(split) = split_point(path, len).map_err(io_err)? else {
        return Ok(None);
    };
    let (order, order_warning) = decide(source, forced)?;
    let (first, second) = std::thread::scope(|scope| {
        let later = scope.spawn(|| part(path, place, order, split, len));
        let first = part(path, place, order, 0, split);
        let second = later.join().unwrap_or_else(|_| {
            Err(ChatError::io(
                place,
                io::Error::other("the thread reading the second half stopped"),
            ))
        });
        (first, second)
    });
    let (mut stats, mut notes, n1) = first?;
    let (later_stats, later_notes, n2) = second?;
    notes.append(later_notes, split);
    stats.append(later_stats);
    let summary = summary(place, order, order_warning, &notes, n1 + n2)?;
    Ok(Some(stats.finish(summary.day_first, summary.warnings)))
}

/// Parses bytes `from..to` of the file.
fn part(
    path: &Path,
    place: &str,
    order: DayOrder,
    from: u64,
    to: u64,
) -> Result<(StatsBuilder, Notes, u64), ChatError> {
    let mut file = File::open(path).map_err(|e| ChatError::io(place, e))?;
    file.seek(SeekFrom::Start(from))
        .map_err(|e| ChatError::io(place, e))?;
    let mut reader = file.take(to - from);
    let mut stats = StatsBuilder::new(Format::WhatsApp);
    let (notes, emitted) = read_part(&mut reader, place, order, &mut |m| stats.add(m))?;
    Ok((stats, notes, emitted))
}

/// The offset of the first line after the middle that starts a message.
fn split_point(path: &Path, len: u64) -> io::Result<Option<u64>> {
    let mid = len / 2;
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(mid))?;
    let mut window = Vec::new();
    file.take(WINDOW).read_to_end(&mut window)?;
    // The first whole line starts after the first '\n'; a file that uses lone '\r' line
    // ends has none and is read in one pass.
    let mut at = match memchr::memchr(b'\n', &window) {
        Some(i) => i + 1,
        None => return Ok(None),
    };
    while let Some(end) = memchr::memchr(b'\n', &window[at..]) {
        let line = &window[at..at + end];
        // A bare header (no separator) may be a line of text: never cut there.
        if header::parse(line).is_some_and(|h| h.frame != header::Frame::Bare) {
            return Ok(Some(mid + at as u64));
        }
        at += end + 1;
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileSource;
    use crate::time::Civil;
    use crate::whatsapp::writer::{Style, write_message};

    /// A chat whose second half has a new author, dates that only fit the other order on
    /// both sides of the middle, and multi-line messages throughout.
    fn chat(style: &Style) -> Vec<u8> {
        let mut out = Vec::new();
        for i in 0..4000u32 {
            let day = 1 + (i / 300) as u8 % 28;
            let t = Civil::new(2021, 3, day, (i % 24) as u8, (i % 60) as u8, 0, 0).unwrap();
            let who = ["Ana", "Bo", "Zoë 🦀"][(i % 3) as usize];
            let who = if i > 3000 && i % 5 == 0 {
                "Late Comer"
            } else {
                who
            };
            let text = if i % 7 == 0 {
                "line one\nline two\n\nfour"
            } else {
                "hello"
            };
            write_message(&mut out, style, &t, Some(who), text).unwrap();
        }
        out
    }

    #[test]
    fn two_halves_count_what_one_pass_counts() {
        for style in [Style::ANDROID, Style::IOS] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("chat.txt");
            let bytes = chat(&style);
            std::fs::write(&path, &bytes).unwrap();
            let src = FileSource::new(&path);
            let forced = Some(DayOrder::MonthFirst);
            let split = stats_above(&path, &src, forced, 0).unwrap().unwrap();
            let mut one = StatsBuilder::new(Format::WhatsApp);
            let summary = super::super::parse(&src, forced, &mut |m| one.add(m)).unwrap();
            let one = one.finish(summary.day_first, summary.warnings);
            // Warnings included: their line numbers are the whole file's in both.
            assert_eq!(split, one);
            assert_eq!(split.authors, ["Ana", "Bo", "Zoë 🦀", "Late Comer"]);
            assert!(
                split.warnings[0].contains("date(s) only fit the other day/month order"),
                "{:?}",
                split.warnings
            );
        }
    }

    #[test]
    fn no_header_near_the_middle_means_one_pass() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chat.txt");
        std::fs::write(&path, b"01/02/20, 10:00 - a: x\rmore\rmore\r").unwrap();
        let src = FileSource::new(&path);
        assert_eq!(stats_above(&path, &src, None, 0).unwrap(), None);
    }
}
