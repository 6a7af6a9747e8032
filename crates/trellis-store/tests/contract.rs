//! The store's contract, run on SQLite and (with TRELLIS_TEST_POSTGRES) on PostgreSQL:
//! the same bodies, so the two backends cannot drift apart.

// A test that cannot unwrap what it set up has failed; panicking says so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::Timestamp;
use std::sync::Arc;
use trellis_core::demo::DemoStatus;
use trellis_core::event::EventStatus;
use trellis_core::gate::GateKind;
use trellis_core::program::ProgramSettings;
use trellis_core::{DemoId, EventId, PersonId};
use trellis_store::{
    Ctx, NewDemo, NewEvent, NewPerson, NewProgram, ScreeningInput, Store, StoreError,
};
use trellis_testkit::on_both_backends;

fn ctx() -> Ctx {
    Ctx::new("mara", "2026-11-24T12:00:00Z".parse::<Timestamp>().unwrap())
}

struct World {
    store: Store,
    event: EventId,
    people: Vec<PersonId>,
}

/// A program (demo target 3) with one draft event of `slots` slots and `people` people.
async fn world(url: &str, slots: i64, people: usize) -> World {
    let store = Store::open(url).await.unwrap();
    let c = ctx();
    let program = store
        .create_program(
            &c,
            &NewProgram {
                name: "Tinkerers Oslo".into(),
                tz: "Europe/Oslo".into(),
                settings: ProgramSettings::default(),
            },
        )
        .await
        .unwrap();
    let event = store
        .create_event(
            &c,
            &NewEvent {
                program: program.id,
                title: "Dec demo night".into(),
                at: "2026-12-10 18:30".into(),
                slots: Some(slots),
                venue: None,
                capacity: None,
                cohost: None,
            },
            None,
        )
        .await
        .unwrap();
    let mut ids = Vec::new();
    for i in 0..people {
        let p = store
            .create_person(
                &c,
                &NewPerson {
                    name: format!("Person {i}"),
                    emails: vec![format!("p{i}@x.example")],
                },
            )
            .await
            .unwrap();
        ids.push(p.id);
    }
    World {
        store,
        event: event.id,
        people: ids,
    }
}

/// Proposes a demo and, as asked, screens it and records the contract.
async fn demo(w: &World, i: usize, screen: bool, contract: bool) -> DemoId {
    let c = ctx();
    let d = w
        .store
        .propose_demo(
            &c,
            &NewDemo {
                event: w.event,
                presenters: vec![w.people[i]],
                title: format!("Demo {i}"),
            },
        )
        .await
        .unwrap();
    if screen {
        w.store
            .screen_demo(
                &c,
                d.id,
                &ScreeningInput {
                    passed: true,
                    checklist: None,
                    note: None,
                },
            )
            .await
            .unwrap();
    }
    if contract {
        w.store.accept_contract(&c, d.id).await.unwrap();
    }
    d.id
}

fn refusal(err: StoreError) -> trellis_store::Refusal {
    match err {
        StoreError::Refused(r) => r,
        other => panic!("expected a refusal, got {other}"),
    }
}

async fn opening_creates_and_reopens(url: String) {
    let s = Store::open(&url).await.unwrap();
    assert_eq!(
        s.schema_version().await.unwrap(),
        trellis_store::SCHEMA_VERSION
    );
    s.close().await;
    let s = Store::open(&url).await.unwrap();
    assert!(s.list_programs().await.unwrap().is_empty());
}

async fn a_foreign_database_is_refused(url: String) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&if url.starts_with("postgres") {
        url.clone()
    } else {
        format!("sqlite://{url}?mode=rwc")
    })
    .await
    .unwrap();
    sqlx::query("CREATE TABLE invoices (id BIGINT PRIMARY KEY)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let err = Store::open(&url).await.unwrap_err();
    assert!(matches!(err, StoreError::NotTrellis { .. }), "{err}");
    assert!(err.to_string().contains("invoices"), "{err}");
}

async fn a_newer_schema_is_refused(url: String) {
    let s = Store::open(&url).await.unwrap();
    s.close().await;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&if url.starts_with("postgres") {
        url.clone()
    } else {
        format!("sqlite://{url}")
    })
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO schema_migrations (version, name, applied_at_us) VALUES (99, 'future', 0)",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    let err = Store::open(&url).await.unwrap_err();
    assert!(
        matches!(err, StoreError::NewerSchema { found: 99, .. }),
        "{err}"
    );
}

async fn the_event_lifecycle_is_kept_as_history(url: String) {
    let w = world(&url, 4, 4).await;
    let c = ctx();
    let err = w
        .store
        .set_event_status(&c, w.event, EventStatus::Held, None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("before it is announced"), "{err}");
    for i in 0..3 {
        let d = demo(&w, i, true, true).await;
        w.store.confirm_demo(&c, d, None).await.unwrap();
    }
    w.store
        .set_event_status(&c, w.event, EventStatus::Announced, None)
        .await
        .unwrap();
    // Not held before it starts: held means it happened.
    let err = w
        .store
        .set_event_status(&c, w.event, EventStatus::Held, None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("it starts in 16 days"), "{err}");
    let c = Ctx::new("mara", "2026-12-10T21:00:00Z".parse::<Timestamp>().unwrap());
    w.store
        .set_event_status(&c, w.event, EventStatus::Held, None)
        .await
        .unwrap();
    w.store
        .set_event_status(
            &c,
            w.event,
            EventStatus::Closed,
            Some("the cycle gates have tests of their own"),
        )
        .await
        .unwrap();
    let d = w.store.event_record(w.event, ctx().now).await.unwrap();
    let steps: Vec<_> = d.history.iter().map(|h| (h.from, h.to)).collect();
    assert_eq!(
        steps,
        vec![
            (None, EventStatus::Draft),
            (Some(EventStatus::Draft), EventStatus::Announced),
            (Some(EventStatus::Announced), EventStatus::Held),
            (Some(EventStatus::Held), EventStatus::Closed),
        ]
    );
    assert!(d.history.iter().all(|h| h.actor == "mara"));
    let err = w
        .store
        .set_event_status(&c, w.event, EventStatus::Cancelled, None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("it is finished"), "{err}");
}

async fn announce_waits_for_the_demo_target(url: String) {
    let w = world(&url, 4, 4).await;
    let c = ctx();
    let d0 = demo(&w, 0, true, true).await;
    w.store.confirm_demo(&c, d0, None).await.unwrap();
    let r = refusal(
        w.store
            .set_event_status(&c, w.event, EventStatus::Announced, None)
            .await
            .unwrap_err(),
    );
    let blocked: Vec<_> = r.decision.blocked().collect();
    assert_eq!(blocked.len(), 1);
    assert_eq!(blocked[0].gate, GateKind::DemoSlotContract);
    assert_eq!(
        blocked[0].verdict.reasons()[0].text,
        "1 of 3 presenters confirmed for 'Dec demo night' (distinct people with a confirmed demo); confirm 2 more before announcing"
    );
    // Nothing was written by the refusal.
    assert_eq!(
        w.store.event(w.event).await.unwrap().status,
        EventStatus::Draft
    );
    assert_eq!(
        w.store
            .event_record(w.event, ctx().now)
            .await
            .unwrap()
            .history
            .len(),
        1
    );
    for i in 1..3 {
        let d = demo(&w, i, true, true).await;
        w.store.confirm_demo(&c, d, None).await.unwrap();
    }
    let change = w
        .store
        .set_event_status(&c, w.event, EventStatus::Announced, None)
        .await
        .unwrap();
    assert!(change.overrides.is_empty());
}

async fn an_override_passes_and_is_stored(url: String) {
    let w = world(&url, 4, 2).await;
    let c = ctx();
    let change = w
        .store
        .set_event_status(
            &c,
            w.event,
            EventStatus::Announced,
            Some("sponsor deadline; two demos lined up by phone"),
        )
        .await
        .unwrap();
    assert_eq!(change.overrides.len(), 1);
    let stored = w.store.overrides(None).await.unwrap();
    assert_eq!(stored.len(), 1);
    let o = &stored[0];
    assert_eq!(
        (o.gate.as_str(), o.action.as_str(), o.actor.as_str()),
        ("demo_slot_contract", "announce", "mara")
    );
    assert_eq!(o.reason, "sponsor deadline; two demos lined up by phone");
    assert_eq!(
        o.reasons,
        vec![
            "0 of 3 presenters confirmed for 'Dec demo night' (distinct people with a confirmed demo); confirm 3 more before announcing"
                .to_owned()
        ]
    );
    assert_eq!(o.event, Some(w.event));
    assert_eq!(o.at.to_string(), "2026-11-24T12:00:00Z");
}

async fn confirm_needs_screening_contract_and_a_slot(url: String) {
    let w = world(&url, 1, 3).await;
    let c = ctx();
    let bare = demo(&w, 0, false, false).await;
    let r = refusal(w.store.confirm_demo(&c, bare, None).await.unwrap_err());
    let reasons: Vec<_> = r
        .decision
        .blocked()
        .flat_map(|b| b.verdict.reasons())
        .map(|x| x.text.clone())
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons[0].contains("has not passed screening"));
    assert!(reasons[1].contains("has not accepted the demo slot contract"));
    // An organizer may override the soft reasons, and it is recorded against the demo.
    let v = w
        .store
        .confirm_demo(&c, bare, Some("screened on the phone"))
        .await
        .unwrap();
    assert_eq!(v.status, DemoStatus::Confirmed);
    assert_eq!(v.overrides.len(), 1);
    assert_eq!(w.store.overrides(None).await.unwrap()[0].demo, Some(bare));
    // The only slot is gone: no override sells it twice.
    let ready = demo(&w, 1, true, true).await;
    let r = refusal(
        w.store
            .confirm_demo(&c, ready, Some("please"))
            .await
            .unwrap_err(),
    );
    assert!(r.override_refused);
    let text = &r.decision.blocked().next().unwrap().verdict.reasons()[0].text;
    assert!(
        text.starts_with("no free slot: 1 of 1 slot taken at 'Dec demo night'"),
        "{text}"
    );
    // Withdrawing frees the slot.
    w.store
        .set_demo_outcome(&c, bare, DemoStatus::Withdrawn)
        .await
        .unwrap();
    w.store.confirm_demo(&c, ready, None).await.unwrap();
    let d = w.store.event_record(w.event, ctx().now).await.unwrap();
    assert_eq!(
        (d.event.slots_taken, d.event.slots - d.event.slots_taken),
        (1, 0)
    );
}

async fn slots_cannot_shrink_below_the_taken(url: String) {
    let w = world(&url, 2, 2).await;
    let c = ctx();
    for i in 0..2 {
        let d = demo(&w, i, true, true).await;
        w.store.confirm_demo(&c, d, None).await.unwrap();
    }
    let edit = trellis_store::EventEdit {
        slots: Some(1),
        ..Default::default()
    };
    let err = w.store.edit_event(&c, w.event, &edit).await.unwrap_err();
    assert!(
        err.to_string()
            .starts_with("slots: \"1\" is below the 2 slots already taken"),
        "{err}"
    );
}

/// Many connections confirm demos for the last free slot at the same moment: exactly one
/// wins, and every other is refused by the inventory gate.
async fn the_last_slot_is_never_oversold(url: String) {
    const RACERS: usize = 8;
    let w = world(&url, 1, RACERS).await;
    let mut demos = Vec::new();
    for i in 0..RACERS {
        demos.push(demo(&w, i, true, true).await);
    }
    let barrier = Arc::new(tokio::sync::Barrier::new(RACERS));
    let mut tasks = Vec::new();
    for d in demos {
        // A store (and pool) of its own per racer: separate connections, as from separate servers.
        let store = Store::open_with(&url, 1).await.unwrap();
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            store.confirm_demo(&ctx(), d, None).await
        }));
    }
    let mut won = 0;
    let mut refused = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(v) => {
                assert_eq!(v.status, DemoStatus::Confirmed);
                won += 1;
            }
            Err(StoreError::Refused(r)) => {
                let b = r.decision.blocked().next().unwrap();
                assert_eq!(b.gate, GateKind::SlotInventory);
                assert!(b.verdict.reasons()[0].text.starts_with("no free slot"));
                refused += 1;
            }
            Err(other) => panic!("unexpected error: {other}"),
        }
    }
    assert_eq!((won, refused), (1, RACERS - 1));
    let d = w.store.event_record(w.event, ctx().now).await.unwrap();
    assert_eq!(d.event.slots_taken, 1);
    assert_eq!(
        d.demos
            .iter()
            .filter(|x| x.status == DemoStatus::Confirmed)
            .count(),
        1
    );
}

async fn the_sample_loads_and_shows_its_gates(url: String) {
    let store = Store::open(&url).await.unwrap();
    let data = trellis_sample::generate(trellis_sample::Size::Small, 42, ctx().now);
    let loaded = store.load_dataset(&ctx(), &data).await.unwrap();
    assert_eq!(loaded.events, 18);
    assert_eq!(loaded.people, data.people.len());
    let events = store.list_events(None).await.unwrap();
    assert_eq!(events.len(), 18);
    let next = events.last().unwrap();
    assert_eq!(next.status, EventStatus::Draft);
    let d = store.event_record(next.id, ctx().now).await.unwrap();
    let announce = trellis_core::gate::evaluate(trellis_core::gate::Action::Announce, &d.snapshot);
    assert!(!announce.is_allowed());
    let reasons: Vec<&str> = announce
        .blocked()
        .flat_map(|b| b.verdict.reasons())
        .map(|r| r.text.as_str())
        .collect();
    assert!(
        reasons[0].starts_with("2 of 3 presenters confirmed"),
        "{reasons:?}"
    );
    // Ids continue after the bulk load on both backends.
    let p = store
        .create_person(
            &ctx(),
            &NewPerson {
                name: "After Sample".into(),
                emails: vec![],
            },
        )
        .await
        .unwrap();
    assert_eq!(p.id.0, data.people.len() as i64 + 1);
    // A second load is refused as a whole.
    let err = store.load_dataset(&ctx(), &data).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert_eq!(store.list_events(None).await.unwrap().len(), 18);
}

async fn emails_identify_one_person(url: String) {
    let store = Store::open(&url).await.unwrap();
    let a = store
        .create_person(
            &ctx(),
            &NewPerson {
                name: "Ana".into(),
                emails: vec!["  Ana@X.example ".into()],
            },
        )
        .await
        .unwrap();
    assert_eq!(a.emails, vec!["ana@x.example"]);
    let err = store
        .create_person(
            &ctx(),
            &NewPerson {
                name: "Other".into(),
                emails: vec!["ana@x.example".into()],
            },
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("already belongs to person"),
        "{err}"
    );
    assert_eq!(
        store.list_people().await.unwrap().len(),
        1,
        "the refused person was not half-written"
    );
}

on_both_backends!(
    opening_creates_and_reopens,
    a_foreign_database_is_refused,
    a_newer_schema_is_refused,
    the_event_lifecycle_is_kept_as_history,
    announce_waits_for_the_demo_target,
    an_override_passes_and_is_stored,
    confirm_needs_screening_contract_and_a_slot,
    slots_cannot_shrink_below_the_taken,
    the_last_slot_is_never_oversold,
    the_sample_loads_and_shows_its_gates,
    emails_identify_one_person,
);
