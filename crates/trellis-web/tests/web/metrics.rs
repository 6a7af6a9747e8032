//! The metrics pages over HTTP (issue 16, point 7): every metric with its chart and its
//! text alternative, the drill-down naming the people and events behind a figure (each
//! linked), the chapters' rows for all programs, and the dashboard's links into them.

use crate::client::{App, now};
use trellis_app::metrics::DEFINITIONS;
use trellis_core::metrics::Period;
use trellis_testkit::TestDb;

fn every_metric_has_its_chart_and_a_drill_down(db: TestDb) {
    let app = App::start(db, None);
    let (viewer, _) = app.login("view@x.example");
    let page = app.get("/metrics", Some(&viewer));
    assert_eq!(page.status, 200, "{}", page.body);
    for (key, _) in DEFINITIONS {
        assert!(
            page.body
                .contains(&format!("href=\"/metrics/{key}?program=1\"")),
            "{key}: {}",
            page.body
        );
    }
    // Each chart is an image with a name and its numbers in words.
    assert_eq!(
        page.body.matches("<svg").count(),
        DEFINITIONS.len(),
        "{}",
        page.body
    );
    assert_eq!(page.body.matches("<desc>").count(), DEFINITIONS.len());
    assert!(
        page.body
            .contains("role=\"img\" aria-label=\"Returning builders, quarter by quarter")
    );

    // All programs: one row per chapter, with its next event. The rows are read in the
    // background: the page says so and reloads itself until they are in.
    let first = app.get("/metrics?program=all", Some(&viewer));
    assert_eq!(first.status, 200);
    let all = (0..200)
        .map(|_| {
            std::thread::sleep(std::time::Duration::from_millis(25));
            app.get("/metrics?program=all", Some(&viewer))
        })
        .find(|r| !r.body.contains("id=\"chapters-pending\""))
        .expect("the chapters' rows are read");
    assert!(!all.body.contains("http-equiv=\"refresh\""), "{}", all.body);
    assert!(all.body.contains("As read at"), "{}", all.body);
    let programs = app.block_on(app.store.list_programs()).unwrap();
    for p in &programs {
        assert!(
            all.body.contains(&format!(
                "<a href=\"/metrics?program={}\">{}</a>",
                p.id, p.name
            )),
            "{}",
            all.body
        );
    }
    assert!(
        all.body.contains("href=\"/events/18\""),
        "the next event: {}",
        all.body
    );

    // Unknown metrics are not pages.
    assert_eq!(
        app.get("/metrics/no_such_metric", Some(&viewer)).status,
        404
    );
    assert_eq!(app.get("/metrics?program=99", Some(&viewer)).status, 404);

    // The dashboard links its figure to the drill-down.
    let dash = app.get("/", Some(&viewer));
    assert!(
        dash.body
            .contains("href=\"/metrics/returning_builder_rate?program=1\""),
        "{}",
        dash.body
    );
}

fn the_drill_down_lists_the_people_behind_a_number(db: TestDb) {
    let app = App::start(db, None);
    let (cookie, _) = app.login("org@x.example");
    let at = now();
    for key in [
        "returning_builder_rate",
        "repeat_speaker_rate",
        "first_time_demo_conversion",
    ] {
        let ex = app
            .block_on(trellis_app::metrics::explain(
                &app.store,
                Some(trellis_core::ProgramId(1)),
                Period::year_to(at),
                at,
                "metric",
                key,
            ))
            .unwrap();
        let page = app.get(&format!("/metrics/{key}?program=1"), Some(&cookie));
        assert_eq!(page.status, 200, "{}", page.body);
        // The definition, as HTML writes its apostrophes.
        let definition = ex.definition.replace('\'', "&#39;");
        assert!(
            page.body.contains(&definition),
            "{key}: the definition: {}",
            page.body
        );
        if let (Some(n), Some(d)) = (ex.numerator, ex.denominator) {
            assert!(
                page.body.contains(&format!("<b>{n}</b> of <b>{d}</b>")),
                "{key}: numerator and denominator: {}",
                page.body
            );
        }
        // Everyone the CLI's explain names by id is on the page, linked.
        let ids: Vec<i64> = ex
            .detail
            .iter()
            .filter_map(|v| v.get("id").and_then(serde_json::Value::as_i64))
            .take(20)
            .collect();
        for id in &ids {
            assert!(
                page.body.contains(&format!("href=\"/people/{id}\"")),
                "{key}: person {id} is not linked: {}",
                page.body
            );
        }
        if key != "returning_builder_rate" {
            assert!(!ids.is_empty(), "{key} names somebody in the sample");
        }
    }
    let returning = app.get("/metrics/returning_builder_rate?program=1", Some(&cookie));
    assert!(
        returning.body.contains("href=\"/events/17\""),
        "{}",
        returning.body
    );
    assert!(
        returning.body.contains("href=\"/people/"),
        "{}",
        returning.body
    );
    // The year's fragility is judged on the drill-down too.
    let fragility = app.get("/metrics/fragility?program=all", Some(&cookie));
    assert_eq!(fragility.status, 200);
    assert!(
        fragility.body.contains("top presenter"),
        "{}",
        fragility.body
    );
}

on_both!(
    every_metric_has_its_chart_and_a_drill_down,
    the_drill_down_lists_the_people_behind_a_number,
);
