//! Planning events: one, or a monthly series on the same weekday of the month, each
//! through the retro gate (the program's last held event must have its retro, or an
//! override says why not).

use crate::AppError;
use crate::events::EventSummary;
use jiff::civil::{Date, DateTime, Weekday};
use trellis_core::CoreError;
use trellis_store::{Ctx, NewEvent, Store};

/// The most events one series plans: two years of monthly evenings.
pub const MAX_SERIES: u32 = 24;

/// Plans one event as a draft, through the retro gate.
pub async fn plan_event(
    store: &Store,
    ctx: &Ctx,
    new: &NewEvent,
    override_reason: Option<&str>,
) -> Result<EventSummary, AppError> {
    Ok(EventSummary::from(
        store.create_event(ctx, new, override_reason).await?,
    ))
}

/// Plans `times` events: `new` itself, then one a month on the same weekday of the month
/// (the 2nd Tuesday stays the 2nd Tuesday; a 5th one the month lacks becomes its last).
/// A title ending in a number counts on ("Demo Night 7", "Demo Night 8", …). The series is
/// written in one transaction through the retro gate once: all of it or none, and an
/// override is recorded once for the whole series.
pub async fn plan_series(
    store: &Store,
    ctx: &Ctx,
    new: &NewEvent,
    times: u32,
    override_reason: Option<&str>,
) -> Result<Vec<EventSummary>, AppError> {
    if !(1..=MAX_SERIES).contains(&times) {
        return Err(CoreError::invalid(
            "times",
            times,
            format!("is not a number of events from 1 to {MAX_SERIES}"),
        )
        .into());
    }
    let tz = store.program(new.program).await?.tz;
    trellis_core::time::local_start("at", &new.at, &tz)?;
    let starts = monthly(&new.at, times)?;
    for at in &starts {
        trellis_core::time::local_start("at", at, &tz)?;
    }
    let series: Vec<NewEvent> = starts
        .into_iter()
        .enumerate()
        .map(|(i, at)| NewEvent {
            title: numbered(&new.title, i),
            at,
            ..new.clone()
        })
        .collect();
    let planned = store.create_events(ctx, &series, override_reason).await?;
    Ok(planned.into_iter().map(EventSummary::from).collect())
}

/// The local starts (`YYYY-MM-DD HH:MM`) of a monthly series beginning at `first`.
fn monthly(first: &str, times: u32) -> Result<Vec<String>, CoreError> {
    let start = DateTime::strptime("%Y-%m-%d %H:%M", first.trim()).map_err(|_| {
        CoreError::invalid("at", first, "is not a time of the form YYYY-MM-DD HH:MM")
    })?;
    let day = start.date();
    let nth = (day.day() - 1) / 7 + 1;
    let mut out = Vec::new();
    for k in 0..times {
        let month = day
            .first_of_month()
            .checked_add(jiff::Span::new().months(i64::from(k)))
            .map_err(|e| CoreError::invalid("times", times, e.to_string()))?;
        let date = same_weekday(month, nth, day.weekday())
            .map_err(|e| CoreError::invalid("times", times, e.to_string()))?;
        out.push(
            date.to_datetime(start.time())
                .strftime("%Y-%m-%d %H:%M")
                .to_string(),
        );
    }
    Ok(out)
}

/// The `nth` `weekday` of `month`, or its last when it has no `nth`.
fn same_weekday(month: Date, nth: i8, weekday: Weekday) -> Result<Date, jiff::Error> {
    month
        .nth_weekday_of_month(nth, weekday)
        .or_else(|_| month.nth_weekday_of_month(-1, weekday))
}

/// The title of the `i`th event of a series: a trailing number counts on.
fn numbered(title: &str, i: usize) -> String {
    let digits = title.len() - title.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (stem, number) = title.split_at(title.len() - digits);
    match number.parse::<u64>() {
        Ok(n) if i > 0 => format!("{stem}{}", n + i as u64),
        _ => title.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_series_keeps_the_weekday_of_the_month() {
        // 2026-12-08 is the 2nd Tuesday of December.
        let s = monthly("2026-12-08 18:30", 3).unwrap();
        assert_eq!(
            s,
            ["2026-12-08 18:30", "2027-01-12 18:30", "2027-02-09 18:30"]
        );
        // A 5th Thursday (2026-10-29) becomes the last one where there is no 5th.
        let s = monthly("2026-10-29 19:00", 2).unwrap();
        assert_eq!(s, ["2026-10-29 19:00", "2026-11-26 19:00"]);
        assert!(monthly("next tuesday", 2).is_err());
    }

    #[test]
    fn a_trailing_number_counts_on() {
        assert_eq!(numbered("Demo Night 7", 0), "Demo Night 7");
        assert_eq!(numbered("Demo Night 7", 2), "Demo Night 9");
        assert_eq!(numbered("Demo Night #19", 1), "Demo Night #20");
        assert_eq!(numbered("Demo Night", 3), "Demo Night");
    }
}
