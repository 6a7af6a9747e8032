//! The calendar feed: events and every due date of their mechanisms (retros, follow-ups,
//! reviews) as iCalendar, with stable UIDs so a subscribed calendar updates in place, and
//! alarms before what is due (a retro 24 h before, follow-ups 2 days before). Built once
//! here for `trellis calendar` and the served `/calendar/{secret}.ics`.

use crate::AppError;
use icalendar::{Alarm, Calendar, Component, EventLike};
use jiff::Timestamp;
use trellis_core::{CoreError, ProgramId};
use trellis_store::{CalendarItem, Store};

/// What each due item's description points to: the command to run (the CLI's file), or
/// the web page (the served feed, under the app's public address).
#[derive(Debug, Clone, Copy)]
pub enum Hints<'a> {
    Commands,
    Pages(&'a str),
}

/// The feed's items, each due item told what to do about it.
pub async fn items(
    store: &Store,
    program: Option<ProgramId>,
    now: Timestamp,
    hints: Hints<'_>,
) -> Result<Vec<CalendarItem>, AppError> {
    let mut items = store.calendar(program, now).await?;
    for i in &mut items {
        if let Some(hint) = hint_for(&i.uid, hints) {
            i.description = format!("{} {hint}", i.description);
        }
    }
    Ok(items)
}

/// What a due item asks, told from its stable UID (`retro-8@trellis`, `followup-8@trellis`,
/// `review-1@trellis`).
fn hint_for(uid: &str, hints: Hints<'_>) -> Option<String> {
    let (kind, rest) = uid.split_once('-')?;
    let id = rest.split('@').next()?;
    Some(match (kind, hints) {
        ("retro", Hints::Commands) => format!("trellis retro write {id}"),
        ("followup", Hints::Commands) => format!("trellis followup suggest {id}"),
        ("review", Hints::Commands) => "trellis review start".to_owned(),
        ("retro", Hints::Pages(url)) => format!("{url}/events/{id}/retro"),
        ("followup", Hints::Pages(url)) => format!("{url}/events/{id}/followups"),
        ("review", Hints::Pages(url)) => format!("{url}/reviews"),
        _ => return None,
    })
}

/// How long before a due item its alarm rings: a retro a day before, follow-ups two.
fn alarm_for(uid: &str) -> Option<(i64, &'static str)> {
    match uid.split_once('-')?.0 {
        "retro" => Some((24, "The retro is due in 24 hours")),
        "followup" => Some((48, "The follow-ups are due in 2 days")),
        _ => None,
    }
}

fn utc(t: Timestamp) -> Result<chrono::DateTime<chrono::Utc>, AppError> {
    chrono::DateTime::from_timestamp_micros(t.as_microsecond()).ok_or_else(|| {
        CoreError::at("calendar", format!("{t} is out of the calendar's range")).into()
    })
}

/// The items as an iCalendar document named `name`. DTSTAMP is `now`: the same clock as
/// everything else, so a pinned TRELLIS_NOW gives a byte-identical feed.
pub fn ics(name: &str, items: &[CalendarItem], now: Timestamp) -> Result<String, AppError> {
    let mut cal = Calendar::new();
    cal.name(name).description(
        "Events and the due dates of their mechanisms: retros, follow-ups, metric reviews",
    );
    let stamp = utc(now)?;
    for i in items {
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
        if let Some((hours, text)) = alarm_for(&i.uid) {
            // The library gives an alarm a random UID and the wall clock's stamp; both
            // are pinned so the feed stays byte-identical for the same data and clock.
            let mut alarm = Alarm::display(text, -chrono::Duration::hours(hours));
            alarm.uid(&format!("alarm-{}", i.uid)).timestamp(stamp);
            e.alarm(alarm.done());
        }
        cal.push(e.done());
    }
    Ok(cal.done().to_string())
}

/// The served feed of the program whose calendar secret this is; `None` for a secret
/// nobody has (the caller answers 404, as for any unknown address).
pub async fn feed(
    store: &Store,
    secret: &str,
    public_url: &str,
    now: Timestamp,
) -> Result<Option<String>, AppError> {
    let Some(program) = store.calendar_program(secret).await? else {
        return Ok(None);
    };
    let p = store.program(program).await?;
    let url = public_url.trim_end_matches('/');
    let items = items(store, Some(program), now, Hints::Pages(url)).await?;
    Ok(Some(ics(&format!("Trellis · {}", p.name), &items, now)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_items_get_their_alarm_and_their_hint() {
        let at: Timestamp = "2026-11-26T09:00:00Z".parse().unwrap();
        let item = |uid: &str| CalendarItem {
            uid: uid.into(),
            summary: "Retro due: Night".into(),
            description: "d".into(),
            location: None,
            start: at,
            end: at,
        };
        let text = ics("T", &[item("retro-8@trellis"), item("event-8@trellis")], at).unwrap();
        assert_eq!(text.matches("BEGIN:VALARM").count(), 1, "{text}");
        assert!(text.contains("TRIGGER:-PT86400S"), "{text}");
        assert!(text.contains("UID:alarm-retro-8@trellis"), "{text}");
        assert!(
            !text.contains("DTSTAMP:2025") && text.matches("DTSTAMP:20261126T090000Z").count() == 3
        );
        assert_eq!(
            hint_for("followup-8@trellis", Hints::Pages("https://t.example")).as_deref(),
            Some("https://t.example/events/8/followups")
        );
        assert_eq!(alarm_for("followup-8@trellis").map(|a| a.0), Some(48));
    }
}
