//! `event show` on the large sample: the query path (store → snapshot → every gate),
//! without process start-up. `cargo bench -p trellis-store --bench event_show`.
//! Runs on SQLite; also on PostgreSQL when TRELLIS_TEST_POSTGRES is set.

// A test that cannot unwrap what it set up has failed; panicking says so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::time::Instant;
use trellis_core::EventId;
use trellis_core::event::EventStatus;
use trellis_store::{Ctx, Store};
use trellis_testkit::TestDb;

fn now() -> jiff::Timestamp {
    "2026-11-24T12:00:00Z".parse().expect("a fixed time")
}

/// Loads the large sample and picks a held event (150 attendances, demos) and a draft
/// (the one whose gates are evaluated).
fn setup(rt: &tokio::runtime::Runtime, db: &TestDb) -> (Store, EventId, EventId) {
    rt.block_on(async {
        let store = Store::open(&db.url).await.expect("open");
        let data = trellis_sample::generate(trellis_sample::Size::Large, 1, now());
        let started = Instant::now();
        let loaded = store
            .load_dataset(&Ctx::new("bench", now()), &data)
            .await
            .expect("load");
        eprintln!(
            "[{}] large sample: {} attendances, {} events loaded in {:.1} s",
            store.dialect().name(),
            loaded.attendances,
            loaded.events,
            started.elapsed().as_secs_f64()
        );
        let events = store.list_events(None).await.expect("events");
        let middle = &events[events.len() / 2];
        let draft = events
            .iter()
            .find(|e| e.status == EventStatus::Draft)
            .expect("a draft");
        (store, middle.id, draft.id)
    })
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut dbs = vec![TestDb::sqlite()];
    dbs.extend(TestDb::postgres());
    for db in &dbs {
        let (store, held, draft) = setup(&rt, db);
        let name = store.dialect().name();
        c.bench_function(&format!("{name}/event_show/held_event"), |b| {
            b.iter(|| {
                rt.block_on(store.event_record(held, now()))
                    .expect("detail")
            })
        });
        c.bench_function(&format!("{name}/event_show/draft_with_gates"), |b| {
            b.iter(|| {
                rt.block_on(store.event_record(draft, now()))
                    .expect("detail")
            })
        });
        rt.block_on(store.close());
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(std::time::Duration::from_secs(4));
    targets = bench
}
criterion_main!(benches);
