//! The people pages over HTTP (issue 15, point 4): a search by name or e-mail, a person's
//! story (events, demos, pipeline, follow-ups, sparks), the export of their data.

use crate::client::App;
use trellis_testkit::TestDb;

fn people_are_found_and_shown_whole(db: TestDb) {
    let app = App::start(db, None);
    let (viewer, _) = app.login("view@x.example");
    let (cookie, _) = app.login("org@x.example");
    let list = app.get("/people", Some(&viewer));
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("href=\"/people/"), "{}", list.body);
    // The sample's follow-ups: someone with one, found by their e-mail.
    let ctx_event = trellis_core::EventId(17);
    let sent = app
        .block_on(trellis_app::followups::status(&app.store, ctx_event))
        .unwrap();
    let someone = sent.followups.first().expect("the sample sent follow-ups");
    let p = app.block_on(app.store.person(someone.person)).unwrap();
    let email = p.emails.first().expect("an e-mail").clone();
    let found = app.get(
        &format!("/people?q={}", crate::client::enc(&email.to_uppercase())),
        Some(&cookie),
    );
    assert!(found.body.contains(&p.name), "{}", found.body);
    let page = app.get(&format!("/people/{}", p.id), Some(&cookie));
    assert_eq!(page.status, 200, "{}", page.body);
    for section in [
        "Speaker pipeline",
        "Events",
        "Demos",
        "Follow-ups",
        "Sparks",
    ] {
        assert!(page.body.contains(section), "{section}: {}", page.body);
    }
    assert!(
        page.body.contains("href=\"/events/17/followups\""),
        "the follow-up sent after event 17: {}",
        page.body
    );
    // A search is taken literally, and a blank one lists everyone up to the limit.
    assert!(
        app.get("/people?q=%25", Some(&cookie))
            .body
            .contains("Nobody matches")
    );
    assert_eq!(app.get("/people/999999", Some(&cookie)).status, 404);
    // Their data, as a download: organizers only.
    let url = format!("/people/{}/export.json", p.id);
    assert_eq!(app.get(&url, Some(&viewer)).status, 403);
    let export = app.get(&url, Some(&cookie));
    assert_eq!(export.status, 200);
    assert!(
        export
            .header("content-disposition")
            .is_some_and(|d| d.starts_with("attachment")),
    );
    let doc: serde_json::Value = serde_json::from_str(&export.body).unwrap();
    assert_eq!(doc["person"], p.id.0, "{doc}");
    assert!(
        doc["tables"]["people"].to_string().contains(&p.name),
        "{doc}"
    );
}

on_both!(people_are_found_and_shown_whole);
