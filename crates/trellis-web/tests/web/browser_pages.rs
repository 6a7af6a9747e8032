//! Every page at 1366×768 and at 390×844 in a real browser: a screenshot of each under
//! target/browser/pages/ for a look, and no page wider than a phone's viewport.

use crate::browser::{browser, driver, log_in, session, shots, widths};
use crate::client::{App, new_person};

#[test]
fn every_page_fits_a_phone_and_is_shot_at_both_sizes() {
    let Some(chromium) = browser() else { return };
    let (_driver, port) = driver();
    let profile = tempfile::tempdir().unwrap();
    let app = App::start(trellis_testkit::TestDb::sqlite(), None);
    let p = new_person(&app, "Tove Lindqvist", "tove@twins.example");
    let q = new_person(&app, "Tove Lindquist", "tove.l@twins.example");
    let base = format!("http://{}", app.addr);
    let dir = shots().join("pages");
    std::fs::create_dir_all(&dir).unwrap();
    let pages = [
        ("dashboard", "/".to_owned()),
        ("dashboard-all", "/?program=all".to_owned()),
        ("events", "/events".to_owned()),
        ("plan", "/events/new".to_owned()),
        ("event-draft", "/events/18".to_owned()),
        ("event-held", "/events/17".to_owned()),
        ("event-closed", "/events/16".to_owned()),
        ("confirm-held", "/events/18/step?to=held".to_owned()),
        ("confirm-cancel", "/events/18/step?to=cancelled".to_owned()),
        ("propose", "/events/18/demos".to_owned()),
        ("door", "/events/17/door".to_owned()),
        ("door-search", "/events/17/door?q=an".to_owned()),
        ("people", "/people".to_owned()),
        ("person", format!("/people/{}", p.0)),
        ("duplicates", "/people/duplicates".to_owned()),
        ("merge", format!("/people/merge?keep={}&other={}", p.0, q.0)),
        ("forget", format!("/people/{}/forget", q.0)),
        ("imports", "/imports".to_owned()),
        ("retro", "/events/17/retro".to_owned()),
        ("retro-written", "/events/16/retro".to_owned()),
        ("followups", "/events/17/followups".to_owned()),
        ("admin", "/admin".to_owned()),
        ("board", "/board".to_owned()),
        ("sparks", "/sparks".to_owned()),
        ("checkin", "/checkin".to_owned()),
        ("reviews", "/reviews".to_owned()),
        ("review", "/reviews/1".to_owned()),
        ("review-print", "/reviews/1/print".to_owned()),
        ("metrics", "/metrics".to_owned()),
        ("metrics-all", "/metrics?program=all".to_owned()),
        ("metric", "/metrics/first_time_demo_conversion".to_owned()),
        ("channels", "/channels".to_owned()),
        ("listen", "/events/17/listen".to_owned()),
        ("outbox", "/outbox".to_owned()),
        ("organizers", "/organizers".to_owned()),
        ("retire", "/organizers/1/retire".to_owned()),
        ("not-found", "/no/such/page".to_owned()),
    ];
    app.block_on(async {
        let c = session(&chromium, port, profile.path()).await;
        log_in(&c, &base).await;
        for (w, h) in [(1366u32, 768u32), (390, 844)] {
            c.set_window_size(w, h).await.unwrap();
            for (name, path) in &pages {
                c.goto(&format!("{base}{path}")).await.unwrap();
                std::fs::write(
                    dir.join(format!("{name}-{w}.png")),
                    c.screenshot().await.unwrap(),
                )
                .unwrap();
                let (page, view) = widths(&c).await;
                assert!(page <= view, "{name} at {w} px: {page} > {view}");
            }
        }
    });
}
