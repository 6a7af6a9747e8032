//! Roles per program (issue 20, point 1): an account reaches only the programs granted to
//! it. The sample's chapter is program 1; a second chapter, Lisbon, gets its own
//! organizer, who must neither see nor touch the sample's work, nor they Lisbon's.

use crate::client::{App, PASSWORD};
use trellis_core::access::Role;
use trellis_core::{EventId, ProgramId};
use trellis_store::{Ctx, NewEvent, NewProgram};
use trellis_testkit::TestDb;

/// The sample's held event and its next one (program 1).
const HELD: i64 = 17;
const NEXT: i64 = 18;

pub(crate) struct Chapters {
    pub(crate) app: App,
    pub(crate) lisbon_event: i64,
    /// A demo proposed for the sample's next event.
    demo: i64,
}

/// The sample plus a Lisbon chapter with one planned event, an organizer of Lisbon only,
/// and a viewer of the sample's chapter only.
pub(crate) fn two_chapters(db: TestDb) -> Chapters {
    let app = App::start(db, None);
    let ctx = Ctx::new("test", crate::client::now());
    let lisbon_event = app.block_on(async {
        let p = app
            .store
            .create_program(
                &ctx,
                &NewProgram {
                    name: "Lisbon builders".into(),
                    tz: "Europe/Lisbon".into(),
                    settings: Default::default(),
                },
            )
            .await
            .unwrap();
        let e = app
            .store
            .create_event(
                &ctx,
                &NewEvent {
                    program: p.id,
                    title: "Lisbon demo night".into(),
                    at: "2026-12-17 19:00".into(),
                    slots: Some(4),
                    venue: Some("LX Factory".into()),
                    capacity: Some(60),
                    cohost: None,
                },
                None,
            )
            .await
            .unwrap();
        let hash = trellis_web::hash_password(PASSWORD).unwrap();
        for (email, name, role, program) in [
            ("lis@x.example", "Luís Lisbon", Role::Organizer, p.id),
            ("peek@x.example", "Pia Peek", Role::Viewer, ProgramId(1)),
        ] {
            app.store
                .create_user_in(&ctx, email, name, role, &hash, Some(&[program]))
                .await
                .unwrap();
        }
        e.id.0
    });
    let presenter = crate::client::new_person(&app, "Ana Kaur", "ana.kaur@x.example");
    let demo = crate::client::new_demo(&app, EventId(NEXT), presenter, "Soldering robots").0;
    Chapters {
        app,
        lisbon_event,
        demo,
    }
}

/// The pages of the sample's chapter an account may or may not read.
fn sample_pages() -> Vec<String> {
    vec![
        format!("/events/{HELD}"),
        format!("/events/{HELD}/door"),
        format!("/events/{NEXT}"),
        format!("/events/{NEXT}/demos"),
        format!("/events/{NEXT}/step?to=held"),
    ]
}

/// The sample chapter's actions, each with a well-formed form (CSRF added by the caller).
fn sample_actions(demo: i64) -> Vec<(String, Vec<(&'static str, &'static str)>)> {
    vec![
        (
            format!("/events/{NEXT}/step"),
            vec![("to", "announced"), ("confirm", "1")],
        ),
        (
            format!("/events/{NEXT}/demos"),
            vec![("title", "Sneaky demo"), ("who", "sneak@x.example")],
        ),
        (
            format!("/events/{HELD}/door/walk-in"),
            vec![("walk_name", "Walk In"), ("walk_email", "walk@x.example")],
        ),
        (format!("/events/{HELD}/listened"), vec![]),
        (format!("/demos/{demo}/screen"), vec![("result", "pass")]),
    ]
}

fn with_csrf<'a>(form: &[(&'a str, &'a str)], csrf: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut f = form.to_vec();
    f.push(("csrf", csrf));
    f
}

fn an_organizer_of_one_chapter_neither_sees_nor_touches_another(db: TestDb) {
    let c = two_chapters(db);
    let app = &c.app;
    let demo = c.demo;
    let (lis, lis_csrf) = app.login("lis@x.example");
    for path in sample_pages() {
        let r = app.get(&path, Some(&lis));
        assert_eq!(r.status, 403, "{path}: {}", r.body);
        assert!(r.body.contains("does not reach"), "{path}: {}", r.body);
        assert!(
            !r.body.contains("Sep demo night"),
            "{path} leaks: {}",
            r.body
        );
    }
    for (path, form) in sample_actions(demo) {
        let r = app.post(&path, Some(&lis), &with_csrf(&form, &lis_csrf));
        assert_eq!(r.status, 403, "POST {path}: {}", r.body);
    }
    // Nothing happened to the sample's chapter.
    let next = app.block_on(app.store.event(EventId(NEXT))).unwrap();
    assert_eq!(next.status.as_str(), "draft");

    // Lists show Lisbon only: no sample event, no "all programs", no sample attendee.
    let dash = app.get("/", Some(&lis));
    assert_eq!(dash.status, 200, "{}", dash.body);
    assert!(dash.body.contains("Lisbon builders"), "{}", dash.body);
    assert!(!dash.body.contains("All programs"), "{}", dash.body);
    assert_eq!(app.get("/?program=1", Some(&lis)).status, 403);
    assert_eq!(app.get("/?program=all", Some(&lis)).status, 403);
    let events = app.get("/events", Some(&lis));
    assert!(events.body.contains("Lisbon demo night"), "{}", events.body);
    assert!(
        !events.body.contains(&format!("href=\"/events/{HELD}\"")),
        "{}",
        events.body
    );
    let plan = app.get("/events/new", Some(&lis));
    assert!(plan.body.contains("Lisbon builders"), "{}", plan.body);
    assert!(!plan.body.contains("<option value=\"1\""), "{}", plan.body);
    let planned = app.post(
        "/events/new",
        Some(&lis),
        &with_csrf(
            &[
                ("program", "1"),
                ("title", "Sneaky night"),
                ("date", "2027-01-20"),
                ("time", "19:00"),
            ],
            &lis_csrf,
        ),
    );
    assert_eq!(planned.status, 403, "{}", planned.body);
    let imports = app.get("/imports", Some(&lis));
    assert!(
        !imports.body.contains(&format!("value=\"{HELD}\"")),
        "{}",
        imports.body
    );
    let confirm = app.post(
        "/imports/confirm",
        Some(&lis),
        &with_csrf(
            &[("upload", &format!("{}:{HELD}:luma", "0".repeat(32)))],
            &lis_csrf,
        ),
    );
    assert_eq!(confirm.status, 403, "{}", confirm.body);

    // People: a sample attendee is neither listed nor shown, nor merged away.
    let someone = app
        .block_on(app.store.door(EventId(HELD), ""))
        .unwrap()
        .expected
        .first()
        .expect("the held event had people")
        .id;
    let person = app.block_on(app.store.person(someone)).unwrap();
    let found = app.get(
        &format!("/people?q={}", crate::client::enc(&person.name)),
        Some(&lis),
    );
    assert!(
        !found
            .body
            .contains(&format!("href=\"/people/{}\"", someone.0)),
        "{}",
        found.body
    );
    assert_eq!(
        app.get(&format!("/people/{}", someone.0), Some(&lis))
            .status,
        403
    );
    assert_eq!(
        app.get(&format!("/people/{}/forget", someone.0), Some(&lis))
            .status,
        403
    );

    // The after-event pages: another chapter's board, sparks and reviews are out of reach.
    assert_eq!(app.get("/board?program=1", Some(&lis)).status, 403);
    let board = app.get("/board", Some(&lis));
    assert_eq!(board.status, 200, "{}", board.body);
    assert!(
        board.body.contains("name=\"program\" value=\"2\""),
        "Lisbon's board: {}",
        board.body
    );
    for (path, form) in [
        (
            format!("/board/{}/forward", someone.0),
            vec![("program", "1")],
        ),
        ("/reviews/start".to_owned(), vec![("program", "1")]),
        ("/reviews/start".to_owned(), vec![("program", "all")]),
        (
            "/sparks".to_owned(),
            vec![
                ("event", "17"),
                ("who_a", "a@x.example"),
                ("who_b", "b@x.example"),
            ],
        ),
    ] {
        let r = app.post(&path, Some(&lis), &with_csrf(&form, &lis_csrf));
        assert_eq!(r.status, 403, "POST {path}: {}", r.body);
    }
    let reviews = app.get("/reviews", Some(&lis));
    assert!(!reviews.body.contains("All programs"), "{}", reviews.body);
    assert!(
        !reviews.body.contains("Tinkerers Berlin"),
        "{}",
        reviews.body
    );

    // Their own chapter is theirs to run.
    let own = app.get(&format!("/events/{}", c.lisbon_event), Some(&lis));
    assert_eq!(own.status, 200, "{}", own.body);
    assert!(own.body.contains("Lisbon demo night"), "{}", own.body);
    let (org, org_csrf) = app.login("org@x.example");
    // And the sample's organizer, made before Lisbon existed, does not reach Lisbon.
    let theirs = app.get(&format!("/events/{}", c.lisbon_event), Some(&org));
    assert_eq!(theirs.status, 403, "{}", theirs.body);
    let propose = app.post(
        &format!("/events/{}/demos", c.lisbon_event),
        Some(&org),
        &with_csrf(&[("title", "Mine"), ("who", "me@x.example")], &org_csrf),
    );
    assert_eq!(propose.status, 403, "{}", propose.body);
}

fn a_viewer_of_a_chapter_reads_it_and_changes_nothing(db: TestDb) {
    let c = two_chapters(db);
    let app = &c.app;
    let demo = c.demo;
    let (peek, csrf) = app.login("peek@x.example");
    for path in [format!("/events/{HELD}"), format!("/events/{NEXT}")] {
        let r = app.get(&path, Some(&peek));
        assert_eq!(r.status, 200, "{path}: {}", r.body);
    }
    assert_eq!(
        app.get(&format!("/events/{NEXT}/step?to=held"), Some(&peek))
            .status,
        403
    );
    for (path, form) in sample_actions(demo) {
        let r = app.post(&path, Some(&peek), &with_csrf(&form, &csrf));
        assert_eq!(r.status, 403, "POST {path}: {}", r.body);
    }
    assert_eq!(
        app.get(&format!("/events/{}", c.lisbon_event), Some(&peek))
            .status,
        403
    );
    // An admin reaches both chapters, and the org-wide view.
    let (admin, _) = app.login("admin@x.example");
    for path in [
        format!("/events/{HELD}"),
        format!("/events/{}", c.lisbon_event),
        "/?program=all".to_owned(),
    ] {
        assert_eq!(app.get(&path, Some(&admin)).status, 200, "{path}");
    }
}

on_both!(
    an_organizer_of_one_chapter_neither_sees_nor_touches_another,
    a_viewer_of_a_chapter_reads_it_and_changes_nothing,
);
