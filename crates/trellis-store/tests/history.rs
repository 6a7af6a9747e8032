//! The set-based reads behind the metrics and the review block's trend, held against the
//! core definitions applied to every attendance row, on SQLite and (with
//! TRELLIS_TEST_POSTGRES) on PostgreSQL. The small sample has events with check-in used and
//! events counted from RSVPs, and more held events than the trend shows.

// A test that cannot unwrap what it set up has failed; panicking says so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::Timestamp;
use trellis_core::EventId;
use trellis_core::attendance::CheckedIn;
use trellis_core::event::EventStatus;
use trellis_core::metrics::{Period, Seen, compute, returning_series};
use trellis_store::{Ctx, Store};
use trellis_testkit::on_both_backends;

fn now() -> Timestamp {
    "2026-11-24T12:00:00Z".parse().unwrap()
}

/// The held (or closed) events, by start then id, and every attendance row of them.
async fn every_row(store: &Store) -> (Vec<EventId>, Vec<Seen>) {
    let mut events: Vec<_> = store
        .list_events(None)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| matches!(e.status, EventStatus::Held | EventStatus::Closed))
        .collect();
    events.sort_by_key(|e| (e.starts_at.timestamp(), e.id));
    let mut rows = Vec::new();
    for e in &events {
        for a in store.attendances_of_event(e.id).await.unwrap() {
            rows.push(Seen {
                event: a.event,
                person: a.person,
                rsvp: a.rsvp,
                checked_in: a.checked_in,
            });
        }
    }
    (events.iter().map(|e| e.id).collect(), rows)
}

async fn packed_reads_give_the_definitions_figures(url: String) {
    let store = Store::open(&url).await.unwrap();
    let data = trellis_sample::generate(trellis_sample::Size::Small, 42, now());
    store
        .load_dataset(&Ctx::new("mara", now()), &data)
        .await
        .unwrap();
    let (events, rows) = every_row(&store).await;
    let checked = |e: &EventId| {
        rows.iter()
            .any(|r| r.event == *e && r.checked_in == CheckedIn::Yes)
    };
    assert!(events.len() > 12, "more events than the trend shows");
    assert!(events.iter().any(checked) && !events.iter().all(checked));

    let series = returning_series(&events, &rows);
    let trend = store.review_preview(None).await.unwrap().returning_builders;
    assert_eq!(trend.len(), 12);
    for (point, shown) in series[series.len() - 12..].iter().zip(&trend) {
        assert_eq!(point.event.0, shown.event);
        assert_eq!(
            (point.attended, point.returning, point.rate, point.estimated),
            (shown.attended, shown.returning, shown.rate, shown.estimated)
        );
    }

    // The metrics read only the rows that decide attendance: the figures are those of
    // every row.
    let loaded = store.metrics_history(None).await.unwrap();
    let mut whole = loaded.clone();
    whole.attendances = rows;
    let period = Period::year_to(now());
    assert_eq!(
        serde_json::to_value(compute(&loaded, period, now())).unwrap(),
        serde_json::to_value(compute(&whole, period, now())).unwrap()
    );
}

on_both_backends!(packed_reads_give_the_definitions_figures);
