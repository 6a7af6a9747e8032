//! Slack workspace export, as a `.zip` or an unpacked folder: `users.json` (or
//! `org_users.json`) at the root, one folder per channel, one `YYYY-MM-DD.json` array of
//! messages per day (chat-exports.md §4). Channels are read in name order and days in date
//! order, so "first seen" is well defined; message times come from `ts` (UTC), never from
//! the file name, which is the workspace's local day.
//!
//! Day files are small (one channel's day), so each is read whole with serde derive;
//! memory is bounded by the largest day, not the export.

use crate::Summary;
use crate::error::ChatError;
use crate::json;
use crate::message::{AuthorRef, Format, Kind, MessageRef};
use crate::source::{Unpacked, open_zip};
use crate::time::Time;
use serde::Deserialize;
use serde::de::IgnoredAny;
use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Subtypes that are not a person speaking (joins, topic changes, pins, bots, deleted
/// thread parents). `file_comment` (a legacy comment on a file) is kept: it is user text.
const SYSTEM_SUBTYPES: &[&str] = &[
    "channel_join",
    "channel_leave",
    "channel_topic",
    "channel_purpose",
    "channel_name",
    "channel_archive",
    "channel_unarchive",
    "group_join",
    "group_leave",
    "group_topic",
    "group_purpose",
    "group_name",
    "group_archive",
    "group_unarchive",
    "pinned_item",
    "unpinned_item",
    "bot_add",
    "bot_remove",
    "bot_message",
    "tombstone",
    "reminder_add",
    "ekm_access_denied",
    "joiner_notification",
    "slackbot_response",
];

/// Where the export is.
pub(crate) enum Root {
    Zip(PathBuf),
    Dir(PathBuf),
    /// One day file (`general/2016-01-14.json`), named with `--format slack`: read on
    /// its own, with authors as their ids (the names are in the export's `users.json`).
    Day(PathBuf),
}

#[derive(Deserialize)]
struct User {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    real_name: Option<String>,
    #[serde(default)]
    profile: Option<Profile>,
}

#[derive(Deserialize)]
struct Profile {
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    real_name: Option<String>,
}

#[derive(Deserialize)]
struct Msg {
    #[serde(default)]
    subtype: Option<String>,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    ts: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    thread_ts: Option<String>,
    #[serde(default)]
    files: Option<Vec<IgnoredAny>>,
    #[serde(default)]
    file: Option<IgnoredAny>,
    #[serde(default)]
    edited: Option<IgnoredAny>,
    #[serde(default)]
    user_profile: Option<Profile>,
}

/// A day file: channel, date, and how to open it.
struct Day {
    channel: String,
    date: String,
    at: DayAt,
}

enum DayAt {
    Member(usize, String),
    File(PathBuf),
}

/// `YYYY-MM-DD.json`, the name of a day file.
fn is_day_file(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() == 15
        && name.ends_with(".json")
        && b[4] == b'-'
        && b[7] == b'-'
        && b[..10]
            .iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Splits `a/b/general/2016-01-14.json` into ("general", "2016-01-14").
fn day_of(path: &str) -> Option<(String, String)> {
    let mut parts = path.rsplit('/');
    let file = parts.next()?;
    let channel = parts.next()?;
    (is_day_file(file) && !channel.is_empty()).then(|| (channel.to_owned(), file[..10].to_owned()))
}

/// True if a zip member list looks like a Slack export.
pub(crate) fn looks_like(names: &[String]) -> bool {
    names
        .iter()
        .any(|n| n.ends_with("users.json") || n.ends_with("channels.json") || day_of(n).is_some())
}

pub(crate) fn parse(
    root: &Root,
    sink: &mut dyn FnMut(&MessageRef<'_>),
) -> Result<Summary, ChatError> {
    match root {
        Root::Zip(path) => parse_zip(path, sink),
        Root::Dir(path) => parse_dir(path, sink),
        Root::Day(path) => parse_day(path, sink),
    }
}

fn parse_day(path: &Path, sink: &mut dyn FnMut(&MessageRef<'_>)) -> Result<Summary, ChatError> {
    // The channel is the folder the day file sits in, as in the export.
    let channel = path
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let date = name.strip_suffix(".json").unwrap_or(&name).to_owned();
    let day = Day {
        channel,
        date,
        at: DayAt::File(path.to_owned()),
    };
    let mut open = open_file;
    read_days(vec![day], &HashMap::new(), false, &mut open, sink)
}

fn parse_zip(path: &Path, sink: &mut dyn FnMut(&MessageRef<'_>)) -> Result<Summary, ChatError> {
    let mut archive = open_zip(path)?;
    let zip_place = path.display().to_string();
    let mut days = Vec::new();
    let mut users_member = None;
    for i in 0..archive.len() {
        let Some(name) = archive.name_for_index(i).map(str::to_owned) else {
            continue;
        };
        let base = name.rsplit('/').next().unwrap_or(&name);
        if base == "users.json" || base == "org_users.json" {
            // The shallowest one is the export's own.
            let depth = name.matches('/').count();
            if users_member
                .as_ref()
                .is_none_or(|(_, d, _): &(usize, usize, String)| depth < *d)
            {
                users_member = Some((i, depth, name.clone()));
            }
        } else if let Some((channel, date)) = day_of(&name) {
            days.push(Day {
                channel,
                date,
                at: DayAt::Member(i, name),
            });
        }
    }
    let mut unpacked = Unpacked::default();
    let mut open = |at: &DayAt, f: &mut dyn FnMut(&str, &mut dyn Read) -> Result<(), ChatError>| {
        let DayAt::Member(i, name) = at else {
            return Ok(());
        };
        let place = format!("{zip_place}!{name}");
        let member = archive.by_index(*i).map_err(|error| ChatError::Zip {
            place: place.clone(),
            error,
        })?;
        // One count for the whole archive: a bomb may be spread over many day files.
        unpacked.member(member.compressed_size());
        let result = f(&place, &mut unpacked.reader(member));
        unpacked.verdict(&place, result)
    };
    let users = match &users_member {
        Some((i, _, name)) => read_users(&mut open, &DayAt::Member(*i, name.clone()))?,
        None => HashMap::new(),
    };
    read_days(days, &users, users_member.is_some(), &mut open, sink)
}

fn parse_dir(root: &Path, sink: &mut dyn FnMut(&MessageRef<'_>)) -> Result<Summary, ChatError> {
    let place = root.display().to_string();
    let mut days = Vec::new();
    let entries = fs::read_dir(root).map_err(|e| ChatError::io(&place, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| ChatError::io(&place, e))?;
        let dir = entry.path();
        if !dir.is_dir() {
            continue;
        }
        let channel = entry.file_name().to_string_lossy().into_owned();
        let files = fs::read_dir(&dir).map_err(|e| ChatError::io(&dir.display().to_string(), e))?;
        for file in files {
            let file = file.map_err(|e| ChatError::io(&dir.display().to_string(), e))?;
            let name = file.file_name().to_string_lossy().into_owned();
            if is_day_file(&name) {
                days.push(Day {
                    channel: channel.clone(),
                    date: name[..10].to_owned(),
                    at: DayAt::File(file.path()),
                });
            }
        }
    }
    let mut open = open_file;
    let users_path = ["users.json", "org_users.json"]
        .iter()
        .map(|n| root.join(n))
        .find(|p| p.is_file());
    let users = match &users_path {
        Some(p) => read_users(&mut open, &DayAt::File(p.clone()))?,
        None => HashMap::new(),
    };
    read_days(days, &users, users_path.is_some(), &mut open, sink)
}

/// Opens a file of an unpacked export (a day file, `users.json`) for `f`.
fn open_file(
    at: &DayAt,
    f: &mut dyn FnMut(&str, &mut dyn Read) -> Result<(), ChatError>,
) -> Result<(), ChatError> {
    let DayAt::File(path) = at else {
        return Ok(());
    };
    let place = path.display().to_string();
    let mut file = fs::File::open(path).map_err(|e| ChatError::io(&place, e))?;
    f(&place, &mut file)
}

type Opener<'o> = dyn FnMut(
        &DayAt,
        &mut dyn FnMut(&str, &mut dyn Read) -> Result<(), ChatError>,
    ) -> Result<(), ChatError>
    + 'o;

/// user id → the name Slack shows: display name, else real name, else handle.
fn read_users(open: &mut Opener<'_>, at: &DayAt) -> Result<HashMap<String, String>, ChatError> {
    let mut users = HashMap::new();
    open(at, &mut |place, reader| {
        let list: Vec<User> = json::run(place, reader, std::marker::PhantomData)?;
        for u in list {
            let name = [
                u.profile.as_ref().and_then(|p| p.display_name.clone()),
                u.profile.as_ref().and_then(|p| p.real_name.clone()),
                u.real_name.clone(),
                u.name.clone(),
            ]
            .into_iter()
            .flatten()
            .find(|n| !n.trim().is_empty())
            .unwrap_or_else(|| u.id.clone());
            users.insert(u.id, name);
        }
        Ok(())
    })?;
    Ok(users)
}

fn read_days(
    mut days: Vec<Day>,
    users: &HashMap<String, String>,
    have_users: bool,
    open: &mut Opener<'_>,
    sink: &mut dyn FnMut(&MessageRef<'_>),
) -> Result<Summary, ChatError> {
    days.sort_by(|a, b| (&a.channel, &a.date).cmp(&(&b.channel, &b.date)));
    let mut emitted = 0u64;
    let mut unknown_users = 0u64;
    let mut bad_ts = 0u64;
    for day in &days {
        open(&day.at, &mut |place, reader| {
            let msgs: Vec<Msg> = json::run(place, reader, std::marker::PhantomData)?;
            for m in &msgs {
                let time = m.ts.as_deref().and_then(parse_ts);
                if time.is_none() {
                    bad_ts += 1;
                }
                let system = m
                    .subtype
                    .as_deref()
                    .is_some_and(|s| SYSTEM_SUBTYPES.contains(&s))
                    || m.user.is_none();
                let author = match (&m.user, system) {
                    (Some(id), false) => Some(author_of(m, id, users, &mut unknown_users)),
                    _ => None,
                };
                let media = m.files.as_ref().is_some_and(|f| !f.is_empty()) || m.file.is_some();
                let kind = match (author.is_some(), media) {
                    (false, _) => Kind::System,
                    (true, true) => Kind::Media,
                    (true, false) => Kind::Message,
                };
                let text = m.text.as_deref().unwrap_or("");
                let reply_to = m
                    .thread_ts
                    .as_deref()
                    .filter(|t| Some(*t) != m.ts.as_deref());
                sink(&MessageRef {
                    format: Format::Slack,
                    chat: Some(&day.channel),
                    id: m.ts.as_deref(),
                    author,
                    time,
                    text,
                    kind,
                    multiline: text.contains('\n'),
                    edited: m.edited.is_some(),
                    poll: false,
                    reply_to,
                });
                emitted += 1;
            }
            Ok(())
        })?;
    }
    Ok(Summary {
        format: Format::Slack,
        messages: emitted,
        day_first: None,
        warnings: warnings(have_users, unknown_users, bad_ts),
    })
}

/// The author of a message by user `id`: the name users.json gives, else the message's
/// own profile (counted in `unknown`), else the id.
fn author_of<'m>(
    m: &'m Msg,
    id: &'m str,
    users: &'m HashMap<String, String>,
    unknown: &mut u64,
) -> AuthorRef<'m> {
    let name = users.get(id).map(String::as_str).or_else(|| {
        *unknown += 1;
        m.user_profile.as_ref().and_then(|p| {
            [p.display_name.as_deref(), p.real_name.as_deref()]
                .into_iter()
                .flatten()
                .find(|n| !n.trim().is_empty())
        })
    });
    AuthorRef {
        name: name.unwrap_or(id),
        id: Some(id),
    }
}

/// What the summary says about missing users and unreadable times.
fn warnings(have_users: bool, unknown_users: u64, bad_ts: u64) -> Vec<String> {
    let mut warnings = Vec::new();
    if !have_users {
        warnings.push("no users.json: authors are shown by their Slack user id".to_owned());
    } else if unknown_users > 0 {
        warnings.push(format!(
            "{unknown_users} message(s) are by users missing from users.json"
        ));
    }
    if bad_ts > 0 {
        warnings.push(format!("{bad_ts} message(s) have no readable `ts`"));
    }
    warnings
}

/// `"1516454537.000093"`: seconds and microseconds since the epoch, UTC.
fn parse_ts(ts: &str) -> Option<Time> {
    let (secs, frac) = ts.split_once('.').unwrap_or((ts, ""));
    let secs: i64 = secs.parse().ok()?;
    let mut nanos: u32 = 0;
    for (i, c) in frac.bytes().take(9).enumerate() {
        if !c.is_ascii_digit() {
            return None;
        }
        nanos += u32::from(c - b'0') * 10u32.pow(8 - i as u32);
    }
    Time::at_offset(secs, nanos, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ts_is_utc_with_microseconds() {
        assert_eq!(
            parse_ts("1452837352.000002").unwrap().to_string(),
            "2016-01-15T05:55:52.000002+00:00"
        );
        assert_eq!(parse_ts("x.1"), None);
    }

    #[test]
    fn day_files() {
        assert_eq!(
            day_of("export/general/2016-01-14.json"),
            Some(("general".into(), "2016-01-14".into()))
        );
        assert_eq!(day_of("2016-01-14.json"), None);
        assert_eq!(day_of("general/users.json"), None);
        assert!(!is_day_file("2016-1-140.json"));
    }
}
