//! Which export a path holds, from its first bytes (never its name alone): a zip, a
//! folder, JSON of one shape or another, or WhatsApp text. Binary files are refused here,
//! before any parser sees them.

use crate::error::ChatError;
use crate::message::Format;
use crate::slack;
use crate::source::{FileSource, Source, ZipMember, open_zip};
use crate::whatsapp;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// How much of a file is sniffed.
const HEAD: usize = 64 << 10;

/// A parser's input, found.
pub(crate) enum Located {
    WhatsApp(Box<dyn Source>),
    Telegram(Box<dyn Source>),
    Discord(Box<dyn Source>),
    Slack(slack::Root),
}

pub(crate) fn locate(path: &Path, forced: Option<Format>) -> Result<Located, ChatError> {
    let place = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| ChatError::io(&place, e))?;
    if meta.is_dir() {
        return locate_dir(path, &place, forced);
    }
    let head = read_head(path, &place)?;
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return locate_zip(path, &place, forced);
    }
    if let Some(offset) = memchr::memchr(0, &head) {
        return Err(ChatError::Binary {
            place,
            offset: offset as u64,
            why: "it holds NUL bytes, so it is a binary file (or UTF-16 text, which no supported app writes)",
        });
    }
    if let Err(e) = std::str::from_utf8(&head) {
        // A character cut by the end of the sniffed head is fine; anything else is not text.
        if e.error_len().is_some() {
            return Err(ChatError::Binary {
                place,
                offset: e.valid_up_to() as u64,
                why: "it is not UTF-8 text",
            });
        }
    }
    // One BOM is the file's; a second comes from files joined by hand.
    let mut text = &head[..];
    while let Some(rest) = text.strip_prefix(b"\xEF\xBB\xBF") {
        text = rest;
    }
    let first = text.iter().copied().find(|b| !b.is_ascii_whitespace());
    let file = || Box::new(FileSource::new(path)) as Box<dyn Source>;
    match (forced, first) {
        (Some(Format::WhatsApp), _) => Ok(Located::WhatsApp(file())),
        (Some(Format::Telegram), _) => Ok(Located::Telegram(file())),
        (Some(Format::Discord), _) => Ok(Located::Discord(file())),
        // One day file of an export: a JSON array of messages.
        (Some(Format::Slack), Some(b'[')) => Ok(Located::Slack(slack::Root::Day(path.to_owned()))),
        (Some(Format::Slack), _) => Err(ChatError::NoChat {
            place,
            what: "not a Slack export: that is a .zip or a folder (or one of its day files, a JSON array of messages), and this single file is neither".to_owned(),
        }),
        (None, None) => Err(ChatError::Empty { place }),
        // Before JSON: an iOS WhatsApp export starts with '[' too.
        (None, Some(_)) if looks_like_whatsapp(text) => Ok(Located::WhatsApp(file())),
        (None, Some(b'{')) => {
            // DCE writes `guild` and `channel` before its messages; Telegram has neither.
            if memchr::memmem::find(text, b"\"guild\"").is_some()
                && memchr::memmem::find(text, b"\"channel\"").is_some()
            {
                Ok(Located::Discord(file()))
            } else {
                Ok(Located::Telegram(file()))
            }
        }
        (None, Some(b'[')) if starts_like_a_date(text) => Ok(Located::WhatsApp(file())),
        (None, Some(b'[')) => Err(ChatError::UnknownFormat {
            place,
            why: "a JSON array, such as one Slack day file; pass the whole Slack export (its .zip or folder) to see names, or this file with --format slack".to_owned(),
        }),
        (None, Some(_)) => {
            let line = text.split(|b| *b == b'\n').next().unwrap_or_default();
            let line = String::from_utf8_lossy(&line[..line.len().min(60)]).into_owned();
            Err(ChatError::UnknownFormat {
                place,
                why: format!(
                    "it is not a zip or JSON, and no line near the start is a WhatsApp message header (line 1: {:?})",
                    line.trim_end()
                ),
            })
        }
    }
}

/// A WhatsApp header on one of the first lines (a file may open with a blank line or a
/// stray one before the first message, and a file joined by hand has byte-order marks
/// before some of its lines).
fn looks_like_whatsapp(text: &[u8]) -> bool {
    text.split(|b| *b == b'\n')
        .take(50)
        .filter_map(|line| std::str::from_utf8(line).ok())
        .any(|line| whatsapp::header_of(line.trim_start_matches('\u{FEFF}')).is_some())
}

/// `[` then a date (`[20.06.19, …`, `[1/24/21 …`): WhatsApp text, not a JSON array,
/// even when the header around it is one the parser does not know.
fn starts_like_a_date(text: &[u8]) -> bool {
    let mut i = 0;
    while text
        .get(i)
        .is_some_and(|b| *b == b'[' || b.is_ascii_whitespace())
    {
        i += 1;
    }
    let digits = text[i.min(text.len())..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    (1..=4).contains(&digits) && matches!(text.get(i + digits), Some(b'.' | b'/' | b'-'))
}

fn read_head(path: &Path, place: &str) -> Result<Vec<u8>, ChatError> {
    let file = File::open(path).map_err(|e| ChatError::io(place, e))?;
    let mut head = Vec::with_capacity(HEAD);
    file.take(HEAD as u64)
        .read_to_end(&mut head)
        .map_err(|e| ChatError::io(place, e))?;
    Ok(head)
}

/// The WhatsApp text inside a zip: `_chat.txt` (iOS), else `WhatsApp Chat with X.txt`
/// (Android), else the only `.txt`.
fn whatsapp_member(names: &[String]) -> Option<usize> {
    let base = |n: &str| n.rsplit('/').next().unwrap_or(n).to_owned();
    let txt: Vec<usize> = (0..names.len())
        .filter(|&i| names[i].to_ascii_lowercase().ends_with(".txt"))
        .collect();
    txt.iter()
        .copied()
        .find(|&i| base(&names[i]) == "_chat.txt")
        .or_else(|| {
            txt.iter()
                .copied()
                .find(|&i| base(&names[i]).starts_with("WhatsApp Chat"))
        })
        .or_else(|| (txt.len() == 1).then(|| txt[0]))
}

fn locate_zip(path: &Path, place: &str, forced: Option<Format>) -> Result<Located, ChatError> {
    let archive = open_zip(path)?;
    // Position in `names` is the member's index, as `by_index` wants it.
    let names: Vec<String> = (0..archive.len())
        .map(|i| archive.name_for_index(i).unwrap_or_default().to_owned())
        .collect();
    let member = |i: usize| -> Option<Box<dyn Source>> {
        Some(Box::new(ZipMember::new(path, i, names.get(i)?)))
    };
    let telegram = names.iter().position(|n| n.ends_with("result.json"));
    let found = match forced {
        Some(Format::WhatsApp) => whatsapp_member(&names)
            .and_then(member)
            .map(Located::WhatsApp),
        Some(Format::Telegram) => telegram.and_then(member).map(Located::Telegram),
        Some(Format::Discord) => names
            .iter()
            .position(|n| n.ends_with(".json"))
            .and_then(member)
            .map(Located::Discord),
        Some(Format::Slack) => {
            slack::looks_like(&names).then(|| Located::Slack(slack::Root::Zip(path.to_owned())))
        }
        None => {
            if slack::looks_like(&names) {
                Some(Located::Slack(slack::Root::Zip(path.to_owned())))
            } else if let Some(w) = whatsapp_member(&names).and_then(member) {
                Some(Located::WhatsApp(w))
            } else {
                telegram.and_then(member).map(Located::Telegram)
            }
        }
    };
    found.ok_or_else(|| ChatError::NoChat {
        place: place.to_owned(),
        what: format!(
            "the zip holds no chat: no _chat.txt or other .txt (WhatsApp), result.json (Telegram) or channel folders with users.json (Slack) among its {} entries",
            names.len()
        ),
    })
}

fn locate_dir(path: &Path, place: &str, forced: Option<Format>) -> Result<Located, ChatError> {
    let chat = path.join("_chat.txt");
    let result = path.join("result.json");
    let slack = ["users.json", "channels.json", "org_users.json"]
        .iter()
        .any(|n| path.join(n).is_file());
    let found = match forced {
        Some(Format::WhatsApp) => chat
            .is_file()
            .then(|| Located::WhatsApp(Box::new(FileSource::new(&chat)))),
        Some(Format::Telegram) => result
            .is_file()
            .then(|| Located::Telegram(Box::new(FileSource::new(&result)))),
        Some(Format::Discord) => None,
        Some(Format::Slack) => Some(Located::Slack(slack::Root::Dir(path.to_owned()))),
        None if slack => Some(Located::Slack(slack::Root::Dir(path.to_owned()))),
        None if chat.is_file() => Some(Located::WhatsApp(Box::new(FileSource::new(&chat)))),
        None if result.is_file() => Some(Located::Telegram(Box::new(FileSource::new(&result)))),
        None => None,
    };
    found.ok_or_else(|| ChatError::NoChat {
        place: place.to_owned(),
        what: "the folder holds no chat: no users.json or channels.json (Slack), _chat.txt (WhatsApp) or result.json (Telegram)".to_owned(),
    })
}
