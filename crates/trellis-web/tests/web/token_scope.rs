//! Program-scoped API tokens (issue 20, point 1): a token minted for Lisbon reads
//! Lisbon's events (hosted or co-hosted) and figures, and gets a JSON 403 for anything of
//! another program; an unscoped token reads every program, as tokens always did.

use crate::client::{App, Reply};
use crate::grants::two_chapters;
use serde_json::Value;
use trellis_core::ProgramId;
use trellis_store::{Ctx, NewEvent};
use trellis_testkit::TestDb;

/// The sample's held event (program 1).
const HELD: i64 = 17;

fn api(app: &App, token: &str, path: &str) -> Reply {
    let auth = format!("Bearer {token}");
    crate::client::request(app.addr, "GET", path, &[("Authorization", &auth)], "")
}

/// The ids of the events `/api/events…` lists.
fn event_ids(r: &Reply) -> Vec<i64> {
    assert_eq!(r.status, 200, "{}", r.body);
    let list: Value = serde_json::from_str(&r.body).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect()
}

#[track_caller]
fn refused(r: &Reply) {
    assert_eq!(r.status, 403, "{}", r.body);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("only its own program"),
        "{}",
        r.body
    );
}

fn a_program_token_reads_only_its_program(db: TestDb) {
    let c = two_chapters(db);
    let app = &c.app;
    let ctx = Ctx::new("test", crate::client::now());
    let (lisbon, cohosted) = app.block_on(async {
        let lisbon = app.store.find_program("Lisbon builders").await.unwrap().id;
        // A sample event co-hosted by Lisbon counts for Lisbon too.
        let new = NewEvent {
            program: ProgramId(1),
            title: "Joint demo night".into(),
            at: "2026-12-20 19:00".into(),
            slots: Some(4),
            venue: None,
            capacity: None,
            cohost: Some(lisbon),
        };
        let why = Some("a joint night, planned before the retro");
        let e = app.store.create_event(&ctx, &new, why).await.unwrap();
        (lisbon, e.id)
    });
    let (_, scoped) = app
        .block_on(
            app.store
                .create_scoped_api_token(&ctx, "lisbon-ci", Some(lisbon)),
        )
        .unwrap();
    let (_, everything) = app
        .block_on(app.store.create_api_token(&ctx, "ci"))
        .unwrap();

    // Lisbon's token lists Lisbon's event and the one it co-hosts, nothing of the sample.
    let mut seen = event_ids(&api(app, &scoped, "/api/events"));
    seen.sort_unstable();
    assert_eq!(seen, vec![c.lisbon_event, cohosted.0]);
    let asked = api(app, &scoped, &format!("/api/events?program={}", lisbon.0));
    assert_eq!(event_ids(&asked).len(), 2);
    refused(&api(app, &scoped, "/api/events?program=1"));
    refused(&api(app, &scoped, "/api/events?program=all"));

    // One event: its own and the co-hosted one, not the sample's; an unknown one is 404.
    for id in [c.lisbon_event, cohosted.0] {
        let r = api(app, &scoped, &format!("/api/events/{id}"));
        assert_eq!(r.status, 200, "{id}: {}", r.body);
    }
    let sample = api(app, &scoped, &format!("/api/events/{HELD}"));
    refused(&sample);
    assert!(!sample.body.contains("Sep demo night"), "{}", sample.body);
    assert_eq!(api(app, &scoped, "/api/events/9999").status, 404);

    // Its metrics are Lisbon's: the same as an unscoped token asking for Lisbon.
    let own = api(app, &scoped, "/api/metrics");
    assert_eq!(own.status, 200, "{}", own.body);
    let lisbon_metrics = api(
        app,
        &everything,
        &format!("/api/metrics?program={}", lisbon.0),
    );
    assert_eq!(own.body, lisbon_metrics.body);
    refused(&api(app, &scoped, "/api/metrics?program=1"));
    refused(&api(app, &scoped, "/api/metrics?program=all"));

    // The unscoped token reads both chapters, as before.
    let all = event_ids(&api(app, &everything, "/api/events"));
    assert!(
        all.contains(&HELD) && all.contains(&c.lisbon_event),
        "{all:?}"
    );
    for path in [
        format!("/api/events/{HELD}"),
        format!("/api/events/{}", c.lisbon_event),
        "/api/metrics".to_owned(),
        "/api/metrics?program=1".to_owned(),
        "/api/metrics?program=all".to_owned(),
    ] {
        assert_eq!(api(app, &everything, &path).status, 200, "{path}");
    }
}

on_both!(a_program_token_reads_only_its_program);
