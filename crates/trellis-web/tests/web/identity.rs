//! Merge, unmerge and forget in the browser's HTTP (issue 15, point 4): each destructive
//! step asks first; a viewer is refused; CSRF is needed.

use crate::client::App;
use trellis_core::PersonId;
use trellis_testkit::TestDb;

fn person(app: &App, name: &str, email: &str) -> PersonId {
    crate::client::new_person(app, name, email)
}

fn merge_asks_first_and_is_undone_from_the_page(db: TestDb) {
    let app = App::start(db, None);
    let a = person(&app, "Tove Lindqvist", "tove@dup.example");
    let b = person(&app, "Tove Lindquist", "tove.l@dup.example");
    let (viewer, vcsrf) = app.login("view@x.example");
    let (cookie, csrf) = app.login("org@x.example");
    let dups = app.get("/people/duplicates", Some(&cookie));
    assert_eq!(dups.status, 200);
    let ask = format!("/people/merge?keep={}&amp;other={}", a.0, b.0);
    assert!(
        dups.body.contains(&ask),
        "the pair is listed: {}",
        dups.body
    );
    let ask = ask.replace("&amp;", "&");
    assert_eq!(app.get(&ask, Some(&viewer)).status, 403);
    let page = app.get(&ask, Some(&cookie));
    assert!(page.body.contains("Yes, merge them"), "{}", page.body);
    let (ka, kb) = (a.0.to_string(), b.0.to_string());
    let form = [
        ("csrf", csrf.as_str()),
        ("keep", ka.as_str()),
        ("other", kb.as_str()),
        ("confirm", "1"),
    ];
    let vform = [
        ("csrf", vcsrf.as_str()),
        ("keep", ka.as_str()),
        ("other", kb.as_str()),
        ("confirm", "1"),
    ];
    assert_eq!(app.post("/people/merge", Some(&viewer), &vform).status, 403);
    assert_eq!(
        app.post("/people/merge", Some(&cookie), &form[1..]).status,
        403,
        "CSRF"
    );
    // Without the confirmation it only asks.
    let r = app.post("/people/merge", Some(&cookie), &form[..3]);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some(ask.as_str()));
    assert!(
        app.block_on(app.store.person_story(b))
            .unwrap()
            .merged_into
            .is_none()
    );
    let r = app.post("/people/merge", Some(&cookie), &form);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        app.block_on(app.store.person_story(b)).unwrap().merged_into,
        Some(a)
    );
    let kept = app.get(&format!("/people/{}", a.0), Some(&cookie));
    assert!(kept.body.contains("Undo the merge"), "{}", kept.body);
    let undo = format!("/people/{}/unmerge", b.0);
    assert_eq!(
        app.post(&undo, Some(&viewer), &[("csrf", &vcsrf)]).status,
        403
    );
    assert_eq!(
        app.post(&undo, Some(&cookie), &[("csrf", &csrf)]).status,
        303
    );
    assert!(
        app.block_on(app.store.person_story(b))
            .unwrap()
            .merged_into
            .is_none()
    );
}

fn forgetting_says_what_goes_and_asks_first(db: TestDb) {
    let app = App::start(db, None);
    let p = person(&app, "Forget Mee", "forget@me.example");
    let (viewer, vcsrf) = app.login("view@x.example");
    let (cookie, csrf) = app.login("org@x.example");
    let url = format!("/people/{}/forget", p.0);
    assert_eq!(app.get(&url, Some(&viewer)).status, 403);
    let page = app.get(&url, Some(&cookie));
    assert!(
        page.body.contains("Erased") && page.body.contains("Stays, anonymous"),
        "{}",
        page.body
    );
    assert_eq!(
        app.post(&url, Some(&viewer), &[("csrf", &vcsrf), ("confirm", "1")])
            .status,
        403
    );
    assert_eq!(
        app.post(&url, Some(&cookie), &[("confirm", "1")]).status,
        403,
        "CSRF"
    );
    let r = app.post(&url, Some(&cookie), &[("csrf", &csrf)]);
    assert_eq!(
        r.header("location"),
        Some(url.as_str()),
        "without confirming it asks"
    );
    assert!(!app.block_on(app.store.person_story(p)).unwrap().forgotten);
    let r = app.post(&url, Some(&cookie), &[("csrf", &csrf), ("confirm", "1")]);
    assert_eq!(r.status, 303);
    assert!(app.block_on(app.store.person_story(p)).unwrap().forgotten);
    let after = app.get(&format!("/people/{}", p.0), Some(&cookie));
    assert!(!after.body.contains("Forget Mee") && !after.body.contains("forget@me.example"));
}

on_both!(
    merge_asks_first_and_is_undone_from_the_page,
    forgetting_says_what_goes_and_asks_first,
);

/// Proposing a demo with the person picker (issue 15, point 2): a certain match is taken,
/// several are offered, nobody offers adding them; a bad title keeps the form.
fn a_demo_is_proposed_for_someone_found_or_added(db: TestDb) {
    let app = App::start(db, None);
    let next = 18;
    let url = format!("/events/{next}/demos");
    person(&app, "Quill Ambry", "quill@pick.example");
    person(&app, "Quill Ambrose", "quill.a@pick.example");
    let (viewer, vcsrf) = app.login("view@x.example");
    let (cookie, csrf) = app.login("org@x.example");
    assert_eq!(app.get(&url, Some(&viewer)).status, 403);
    assert_eq!(
        app.post(
            &url,
            Some(&viewer),
            &[("csrf", &vcsrf), ("title", "x"), ("who", "quill")]
        )
        .status,
        403
    );
    assert!(
        app.get(&format!("/events/{next}"), Some(&cookie))
            .body
            .contains(&format!("href=\"{url}\""))
    );
    assert_eq!(
        app.post(&url, Some(&cookie), &[("title", "Robot arm")])
            .status,
        403,
        "CSRF"
    );
    // Two people match: both offered, the title kept, nothing written.
    let demos = |app: &App| {
        app.block_on(trellis_app::event_page::event_page(
            &app.store,
            trellis_core::EventId(next),
            crate::client::now(),
        ))
        .unwrap()
        .demos
        .len()
    };
    let before = demos(&app);
    let r = app.post(
        &url,
        Some(&cookie),
        &[("csrf", &csrf), ("title", "Robot arm"), ("who", "quill")],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("Several people match") && r.body.contains("Quill Ambrose"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"Robot arm\""));
    assert_eq!(demos(&app), before);
    // An exact e-mail is certain.
    let r = app.post(
        &url,
        Some(&cookie),
        &[
            ("csrf", &csrf),
            ("title", "Robot arm"),
            ("who", "QUILL@pick.example"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(demos(&app), before + 1);
    // Nobody: added on the spot with the demo.
    let r = app.post(
        &url,
        Some(&cookie),
        &[
            ("csrf", &csrf),
            ("title", "Synth rig"),
            ("who", "Ysolde Newcomer"),
        ],
    );
    assert!(
        r.body.contains("Nobody on record matches") && r.body.contains("value=\"Ysolde Newcomer\""),
        "{}",
        r.body
    );
    let r = app.post(
        &url,
        Some(&cookie),
        &[
            ("csrf", &csrf),
            ("title", "Synth rig"),
            ("as_new", "1"),
            ("new_name", "Ysolde Newcomer"),
            ("new_email", "ysolde@pick.example"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(demos(&app), before + 2);
    // A blank title: said at the field, what was typed kept, nothing written.
    let r = app.post(
        &url,
        Some(&cookie),
        &[
            ("csrf", &csrf),
            ("title", "  "),
            ("who", "quill.a@pick.example"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("id=\"title_error\"") && r.body.contains("value=\"quill.a@pick.example\""),
        "{}",
        r.body
    );
    assert_eq!(demos(&app), before + 2);
}

on_both!(a_demo_is_proposed_for_someone_found_or_added);
