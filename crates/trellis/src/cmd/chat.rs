//! `trellis chat`: reads chat exports with `trellis-chat`. No database is opened: the
//! dispatcher in `cmd/mod.rs` routes these commands before the store.

use crate::cli::{ChatCmd, ChatFormatArg, ChatReadArgs, ChatStatsArgs};
use crate::output::Out;
use serde_json::json;
use trellis_chat::{DayOrder, Format, Options, Stats};

/// How many author names the text output lists before "and N more".
const AUTHORS_SHOWN: usize = 20;

pub fn run(cmd: ChatCmd, out: Out) -> anyhow::Result<()> {
    match cmd {
        ChatCmd::Stats(args) => stats(&args, out),
    }
}

/// The reading options the flags ask for.
pub(crate) fn options(args: &ChatReadArgs) -> Options {
    Options {
        format: match args.format {
            ChatFormatArg::Auto => None,
            ChatFormatArg::Whatsapp => Some(Format::WhatsApp),
            ChatFormatArg::Telegram => Some(Format::Telegram),
            ChatFormatArg::Discord => Some(Format::Discord),
            ChatFormatArg::Slack => Some(Format::Slack),
        },
        day_order: match (args.day_first, args.month_first) {
            (true, _) => Some(DayOrder::DayFirst),
            (_, true) => Some(DayOrder::MonthFirst),
            _ => None,
        },
    }
}

fn stats(args: &ChatStatsArgs, out: Out) -> anyhow::Result<()> {
    let s = trellis_chat::stats(&args.file, &options(&args.read))?;
    // The keys scripts read, and every figure the text output shows (`edited` and
    // `polls` were added later: keys are only ever added).
    let value = json!({
        "format": s.format.name(),
        "messages": s.messages,
        "system": s.system,
        "media": s.media,
        "deleted": s.deleted,
        "multiline": s.multiline,
        "edited": s.edited,
        "polls": s.polls,
        "authors": s.authors,
        "first": s.first.map(|t| t.to_string()),
        "last": s.last.map(|t| t.to_string()),
        "day_first": s.day_first,
        "warnings": s.warnings,
    });
    out.emit(&value, || text(&s))?;
    if !out.json {
        for w in &s.warnings {
            eprintln!("warning: {}", crate::output::visible(&w.to_string()));
        }
    }
    Ok(())
}

fn text(s: &Stats) -> String {
    let mut authors = s
        .authors
        .iter()
        .take(AUTHORS_SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if s.authors.len() > AUTHORS_SHOWN {
        authors.push_str(&format!(", and {} more", s.authors.len() - AUTHORS_SHOWN));
    }
    let time = |t: Option<trellis_chat::Time>| t.map_or("–".to_owned(), |t| t.to_string());
    let mut rows = vec![
        ("format", s.format.name().to_owned()),
        (
            "messages",
            format!(
                "{} (media {}, deleted {}, multi-line {}, edited {}, polls {})",
                s.messages, s.media, s.deleted, s.multiline, s.edited, s.polls
            ),
        ),
        ("system", s.system.to_string()),
        ("authors", format!("{}: {authors}", s.authors.len())),
        ("first", time(s.first)),
        ("last", time(s.last)),
    ];
    if s.first.is_some_and(|t| t.is_local()) {
        rows.push((
            "times",
            "local wall-clock time: the export has no zone".to_owned(),
        ));
    }
    if let Some(day_first) = s.day_first {
        rows.push((
            "dates",
            if day_first {
                "day first"
            } else {
                "month first"
            }
            .to_owned(),
        ));
    }
    rows.iter()
        .map(|(k, v)| format!("{k:<9} {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}
