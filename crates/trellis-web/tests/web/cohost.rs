//! Co-hosted events (issue 20, point 5): the sample's chapter (program 1) co-hosts with
//! Lisbon (2); Porto (3) is a third chapter. Lisbon's organizer opens and acts on the
//! co-hosted event and finds it in Lisbon's lists, figures and public page; Porto's is
//! refused (403) on its every page and action; only an organizer of the host names or
//! takes away the co-host, each bad choice said at the field.

use crate::client::{App, PASSWORD};
use trellis_core::access::Role;
use trellis_core::event::EventStatus;
use trellis_core::{EventId, ProgramId};
use trellis_store::{Ctx, EventEdit, NewProgram};
use trellis_testkit::TestDb;

/// The sample's held event and its next one (program 1).
const HELD: i64 = 17;
const NEXT: i64 = 18;
const LISBON: i64 = 2;

struct Chapters {
    app: App,
    /// A demo proposed for the sample's next event, and its presenter (known nowhere else).
    demo: i64,
    presenter: i64,
}

/// The sample plus Lisbon and Porto, each with an organizer of it only; the sample's
/// next event co-hosted by Lisbon.
fn three_chapters(db: TestDb) -> Chapters {
    let app = App::start(db, None);
    let ctx = Ctx::new("test", crate::client::now());
    app.block_on(async {
        let hash = trellis_web::hash_password(PASSWORD).unwrap();
        for (name, email, who) in [
            ("Lisbon builders", "lis@x.example", "Luís Lisbon"),
            ("Porto makers", "por@x.example", "Pedro Porto"),
        ] {
            let p = chapter(&app, &ctx, name).await;
            app.store
                .create_user_in(&ctx, email, who, Role::Organizer, &hash, Some(&[p]))
                .await
                .unwrap();
        }
        let edit = EventEdit {
            cohost: Some(Some(ProgramId(LISBON))),
            ..EventEdit::default()
        };
        app.store
            .edit_event(&ctx, EventId(NEXT), &edit)
            .await
            .unwrap();
    });
    let presenter = crate::client::new_person(&app, "Ana Kaur", "ana.kaur@x.example");
    let demo = crate::client::new_demo(&app, EventId(NEXT), presenter, "Soldering robots").0;
    Chapters {
        app,
        demo,
        presenter: presenter.0,
    }
}

/// A chapter in Europe/Lisbon with the default settings; its id.
pub(crate) async fn chapter(app: &App, ctx: &Ctx, name: &str) -> ProgramId {
    let new = NewProgram {
        name: name.into(),
        tz: "Europe/Lisbon".into(),
        settings: Default::default(),
    };
    app.store.create_program(ctx, &new).await.unwrap().id
}

fn with_csrf<'a>(form: &[(&'a str, &'a str)], csrf: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut f = form.to_vec();
    f.push(("csrf", csrf));
    f
}

fn the_cohost_acts_on_the_event_and_a_third_chapter_is_refused(db: TestDb) {
    let c = three_chapters(db);
    let app = &c.app;
    let title = app.block_on(app.store.event(EventId(NEXT))).unwrap().title;

    // Lisbon's organizer reads the event, its door and its demo form, and acts on it.
    let (lis, lis_csrf) = app.login("lis@x.example");
    let page = app.get(&format!("/events/{NEXT}"), Some(&lis));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("co-hosted with Lisbon builders"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("Record screening"),
        "may act: {}",
        page.body
    );
    assert!(
        !page.body.contains("Save the co-host"),
        "only the host chooses: {}",
        page.body
    );
    for path in [format!("/events/{NEXT}/demos"), format!("/events/{HELD}")] {
        let r = app.get(&path, Some(&lis));
        let want = if path.contains(&NEXT.to_string()) {
            200
        } else {
            403
        };
        assert_eq!(r.status, want, "{path}: {}", r.body);
    }
    let screened = app.post(
        &format!("/demos/{}/screen", c.demo),
        Some(&lis),
        &with_csrf(
            &[
                ("live_demo", "pass"),
                ("built_it", "pass"),
                ("fits_time", "pass"),
                ("wip_welcome", "pass"),
            ],
            &lis_csrf,
        ),
    );
    assert_eq!(screened.status, 303, "{}", screened.body);
    let proposed = app.post(
        &format!("/events/{NEXT}/demos"),
        Some(&lis),
        &with_csrf(
            &[
                ("title", "Lisbon's demo"),
                ("who", "new"),
                ("new_name", "Rita Rocha"),
                ("new_email", "rita@x.example"),
            ],
            &lis_csrf,
        ),
    );
    assert_ne!(proposed.status, 403, "{}", proposed.body);
    // The presenter's page: theirs through the co-hosted event.
    let person = format!("/people/{}", c.presenter);
    assert_eq!(app.get(&person, Some(&lis)).status, 200);
    // The co-host cannot change who co-hosts.
    let r = app.post(
        &format!("/events/{NEXT}/cohost"),
        Some(&lis),
        &with_csrf(&[("cohost", "")], &lis_csrf),
    );
    assert_eq!(r.status, 403, "{}", r.body);

    // Lisbon's events list shows it, marked.
    let events = app.get("/events", Some(&lis));
    assert!(
        events.body.contains(&format!("href=\"/events/{NEXT}\"")),
        "{}",
        events.body
    );
    assert!(
        events
            .body
            .contains("Tinkerers Berlin, with Lisbon builders"),
        "{}",
        events.body
    );
    assert!(
        !events.body.contains(&format!("href=\"/events/{HELD}\"")),
        "{}",
        events.body
    );
    // Lisbon's dashboard: the co-hosted event is its next one.
    let dash = app.get("/", Some(&lis));
    assert_eq!(dash.status, 200, "{}", dash.body);
    assert!(dash.body.contains(&title), "{}", dash.body);

    // Porto's organizer: 403 on every page and action of it, and not in Porto's list.
    let (por, por_csrf) = app.login("por@x.example");
    for path in [
        format!("/events/{NEXT}"),
        format!("/events/{NEXT}/demos"),
        format!("/events/{NEXT}/step?to=held"),
    ] {
        let r = app.get(&path, Some(&por));
        assert_eq!(r.status, 403, "{path}: {}", r.body);
        assert!(!r.body.contains(&title), "{path} leaks: {}", r.body);
    }
    for (path, form) in [
        (
            format!("/events/{NEXT}/step"),
            vec![("to", "announced"), ("confirm", "1")],
        ),
        (
            format!("/events/{NEXT}/demos"),
            vec![("title", "Sneaky demo"), ("who", "sneak@x.example")],
        ),
        (format!("/events/{NEXT}/cohost"), vec![("cohost", "3")]),
        (format!("/demos/{}/contract", c.demo), vec![]),
    ] {
        let r = app.post(&path, Some(&por), &with_csrf(&form, &por_csrf));
        assert_eq!(r.status, 403, "POST {path}: {}", r.body);
    }
    assert_eq!(app.get(&person, Some(&por)).status, 403);
    let events = app.get("/events", Some(&por));
    assert!(
        !events.body.contains(&format!("href=\"/events/{NEXT}\"")),
        "{}",
        events.body
    );
    let next = app.block_on(app.store.event(EventId(NEXT))).unwrap();
    assert_eq!(next.status, EventStatus::Draft);
    assert_eq!(next.cohost_program_id, Some(ProgramId(LISBON)));
}

fn the_host_names_and_takes_away_the_cohost(db: TestDb) {
    let c = three_chapters(db);
    let app = &c.app;
    let cohost_of = || {
        app.block_on(app.store.event(EventId(NEXT)))
            .unwrap()
            .cohost_program_id
    };
    let (admin, csrf) = app.login("admin@x.example");
    let page = app.get(&format!("/events/{NEXT}"), Some(&admin));
    assert!(page.body.contains("Save the co-host"), "{}", page.body);
    assert!(
        page.body
            .contains("<option value=\"2\" selected>Lisbon builders</option>"),
        "{}",
        page.body
    );
    let post = |value: &str, who: &str, csrf: &str| {
        app.post(
            &format!("/events/{NEXT}/cohost"),
            Some(who),
            &with_csrf(&[("cohost", value)], csrf),
        )
    };
    // Bad choices: at the field, the page again with the choice kept, nothing written.
    for (value, words) in [
        ("1", "own program: a co-host is another program"),
        ("x", "Choose a program from the list"),
        ("99", "That choice is not a program"),
    ] {
        let r = post(value, &admin, &csrf);
        assert_eq!(r.status, 422, "{value}: {}", r.body);
        assert!(r.body.contains("class=\"error field\""), "{}", r.body);
        assert!(r.body.contains(words), "{value}: {}", r.body);
        assert!(
            r.body
                .contains("<option value=\"2\" selected>Lisbon builders</option>"),
            "the current co-host stays chosen: {}",
            r.body
        );
        assert_eq!(cohost_of(), Some(ProgramId(LISBON)));
    }
    let r = post("3", &admin, &csrf);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(cohost_of(), Some(ProgramId(3)));
    let r = post("", &admin, &csrf);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(cohost_of(), None);
    // The host's organizer may not name a program their account does not reach.
    let (org, org_csrf) = app.login("org@x.example");
    let r = post("2", &org, &org_csrf);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("not one your account reaches"),
        "{}",
        r.body
    );
    assert_eq!(cohost_of(), None);

    // Planning: the form offers a co-host and keeps a bad choice at its field.
    let form = app.get("/events/new", Some(&admin));
    assert!(form.body.contains("id=\"cohost\""), "{}", form.body);
    let plan = |cohost: &str| {
        app.post(
            "/events/new",
            Some(&admin),
            &with_csrf(
                &[
                    ("program", "2"),
                    ("cohost", cohost),
                    ("title", "Joint night"),
                    ("date", "2027-01-20"),
                    ("time", "19:00"),
                ],
                &csrf,
            ),
        )
    };
    let r = plan("2");
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("cohost_error"), "{}", r.body);
    assert!(r.body.contains("value=\"Joint night\""), "kept: {}", r.body);
    let r = plan("3");
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.header("location").unwrap().to_owned();
    let planned = app.get(&to, Some(&admin));
    assert!(
        planned.body.contains("co-hosted with Porto makers"),
        "{}",
        planned.body
    );
}

fn the_cohost_counts_it_and_shows_it_publicly(db: TestDb) {
    let c = three_chapters(db);
    let app = &c.app;
    let ctx = Ctx::new("test", crate::client::now());
    // The held evening co-hosted by Lisbon too; the next one announced.
    app.sql(&format!(
        "UPDATE events SET cohost_program_id = {LISBON} WHERE id = {HELD}"
    ));
    let held = app.block_on(async {
        app.store
            .set_event_status(&ctx, EventId(NEXT), EventStatus::Announced, Some("test"))
            .await
            .unwrap();
        app.store
            .set_public_page(&ctx, ProgramId(LISBON), true)
            .await
            .unwrap();
        app.store.event(EventId(HELD)).await.unwrap()
    });
    let (lis, _) = app.login("lis@x.example");
    let drill = app.get(
        &format!("/metrics/returning_builder_rate?program={LISBON}"),
        Some(&lis),
    );
    assert_eq!(drill.status, 200, "{}", drill.body);
    assert!(
        drill.body.contains(&format!("href=\"/events/{HELD}\"")),
        "{}",
        drill.body
    );
    let (admin, _) = app.login("admin@x.example");
    let porto = app.get("/metrics/returning_builder_rate?program=3", Some(&admin));
    assert!(
        !porto.body.contains(&format!("href=\"/events/{HELD}\"")),
        "{}",
        porto.body
    );
    let public = app.get("/p/lisbon-builders", None);
    assert_eq!(public.status, 200, "{}", public.body);
    let next = app.block_on(app.store.event(EventId(NEXT))).unwrap();
    assert!(public.body.contains(&next.title), "{}", public.body);
    assert!(
        public.body.contains("co-hosted with Tinkerers Berlin"),
        "{}",
        public.body
    );
    assert!(!public.body.contains(&held.title), "held is past");
}

on_both!(
    the_cohost_acts_on_the_event_and_a_third_chapter_is_refused,
    the_host_names_and_takes_away_the_cohost,
    the_cohost_counts_it_and_shows_it_publicly,
);
