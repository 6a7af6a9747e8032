use super::Env;
use icalendar::{Calendar, Component, EventLike};
use trellis_core::CoreError;

fn utc(t: jiff::Timestamp) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp_micros(t.as_microsecond()).ok_or_else(|| {
        CoreError::at("calendar", format!("{t} is out of the calendar's range")).into()
    })
}

/// The command that does what a due item asks, told from its stable UID
/// (`retro-8@trellis`, `followup-8@trellis`, `review-1@trellis`).
fn command_for(uid: &str) -> Option<String> {
    let (kind, rest) = uid.split_once('-')?;
    let id = rest.split('@').next()?;
    match kind {
        "retro" => Some(format!("trellis retro write {id}")),
        "followup" => Some(format!("trellis followup suggest {id}")),
        "review" => Some("trellis review start".to_owned()),
        _ => None,
    }
}

pub async fn run(env: &Env, program: Option<String>) -> anyhow::Result<()> {
    let program = match program {
        Some(p) => Some(env.store.find_program(&p).await?.id),
        None => None,
    };
    let mut items = env.store.calendar(program, env.ctx.now).await?;
    for i in &mut items {
        if let Some(hint) = command_for(&i.uid) {
            i.description = format!("{} {hint}", i.description);
        }
    }
    if env.out.json {
        let list: Vec<_> = items
            .iter()
            .map(|i| {
                serde_json::json!({
                    "uid": i.uid, "summary": i.summary, "description": i.description, "location": i.location,
                    "start": trellis_core::time::rfc3339_utc(i.start), "end": trellis_core::time::rfc3339_utc(i.end),
                })
            })
            .collect();
        return env.out.emit(&list, String::new);
    }
    let mut cal = Calendar::new();
    cal.name("Trellis").description(
        "Events and the due dates of their mechanisms: retros, follow-ups, metric reviews",
    );
    // DTSTAMP is the feed's generation time: the same clock as everything else, so a
    // pinned TRELLIS_NOW gives a byte-identical feed.
    let stamp = utc(env.ctx.now)?;
    for i in &items {
        let mut e = icalendar::Event::new();
        e.uid(&i.uid)
            .summary(&i.summary)
            .description(&i.description)
            .starts(utc(i.start)?)
            .ends(utc(i.end)?)
            .timestamp(stamp);
        if let Some(l) = &i.location {
            e.location(l);
        }
        cal.push(e.done());
    }
    crate::output::write_stdout(&cal.done().to_string())
}
