//! The door of an event over HTTP (issue 15, point 3): search, check in anyone (someone
//! found without an RSVP too), undo, a declined RSVP asked about first, walk-ins whose
//! invalid form keeps what was typed; a viewer is refused every write, CSRF is needed.

use crate::client::App;
use trellis_core::attendance::{CheckedIn, Rsvp};
use trellis_core::{EventId, PersonId};
use trellis_store::{AttendanceInput, Ctx};
use trellis_testkit::TestDb;

/// The sample's last held event.
const HELD: i64 = 17;

fn checked_in(app: &App, person: PersonId) -> Option<CheckedIn> {
    app.block_on(app.store.attendances_of_event(EventId(HELD)))
        .unwrap()
        .into_iter()
        .find(|a| a.person == person)
        .map(|a| a.checked_in)
}

fn person(app: &App, name: &str, email: &str) -> PersonId {
    crate::client::new_person(app, name, email)
}

fn the_door_checks_in_finds_and_undoes(db: TestDb) {
    let app = App::start(db, None);
    let zed = person(&app, "Zed Quorra", "zed@door.example");
    let door = format!("/events/{HELD}/door");
    let (viewer, vcsrf) = app.login("view@x.example");
    assert_eq!(app.get(&door, Some(&viewer)).status, 200, "a viewer reads");
    let act = format!("{door}/{}/check-in", zed.0);
    assert_eq!(
        app.post(&act, Some(&viewer), &[("csrf", &vcsrf)]).status,
        403
    );
    let (cookie, csrf) = app.login("org@x.example");
    let page = app.get(&door, Some(&cookie));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("checked in ·"), "{}", page.body);
    assert!(!page.body.contains("Zed Quorra"), "not on the list");
    // A search finds someone without an RSVP, by e-mail too.
    let found = app.get(&format!("{door}?q=ZED%40door"), Some(&cookie));
    assert!(
        found.body.contains("Not on the list") && found.body.contains("Zed Quorra"),
        "{}",
        found.body
    );
    assert!(found.body.contains("aria-label=\"Check in Zed Quorra\""));
    assert_eq!(app.post(&act, Some(&cookie), &[]).status, 403, "CSRF");
    let r = app.post(&act, Some(&cookie), &[("csrf", &csrf), ("q", "zed@door")]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header("location"),
        Some(format!("{door}?q=zed%40door#person-{}", zed.0).as_str()),
        "back to the same person, the search kept"
    );
    assert_eq!(checked_in(&app, zed), Some(CheckedIn::Yes));
    let undo = format!("{door}/{}/undo", zed.0);
    assert_eq!(
        app.post(&undo, Some(&viewer), &[("csrf", &vcsrf)]).status,
        403
    );
    let r = app.post(&undo, Some(&cookie), &[("csrf", &csrf)]);
    assert_eq!(r.status, 303);
    assert_eq!(checked_in(&app, zed), Some(CheckedIn::Unknown));
    // A search is taken literally: `%` finds nobody.
    let none = app.get(&format!("{door}?q=%25"), Some(&cookie));
    assert!(none.body.contains("Nobody matches"), "{}", none.body);
}

fn a_declined_rsvp_is_asked_about_first(db: TestDb) {
    let app = App::start(db, None);
    let ana = person(&app, "Ana Declina", "ana@door.example");
    let ctx = Ctx::new("test", crate::client::now());
    let input = AttendanceInput {
        event: EventId(HELD),
        person: ana,
        rsvp: Some(Rsvp::Declined),
        checked_in: None,
        source: "test".into(),
    };
    app.block_on(app.store.attend(&ctx, &input)).unwrap();
    let (cookie, csrf) = app.login("org@x.example");
    let door = format!("/events/{HELD}/door");
    let page = app.get(&format!("{door}?q=declina"), Some(&cookie));
    let ask = format!("{door}/{}/check-in?q=declina", ana.0);
    assert!(
        page.body.contains(&format!("href=\"{ask}\"")),
        "{}",
        page.body
    );
    let r = app.get(&ask, Some(&cookie));
    assert!(r.body.contains("said they would not come"), "{}", r.body);
    // A post without the confirmation only asks.
    let act = format!("{door}/{}/check-in", ana.0);
    let r = app.post(&act, Some(&cookie), &[("csrf", &csrf)]);
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Yes, they are here"));
    assert_eq!(checked_in(&app, ana), Some(CheckedIn::Unknown));
    let r = app.post(&act, Some(&cookie), &[("csrf", &csrf), ("confirm", "1")]);
    assert_eq!(r.status, 303);
    assert_eq!(checked_in(&app, ana), Some(CheckedIn::Yes));
}

fn a_walk_in_is_added_and_checked_in(db: TestDb) {
    let app = App::start(db, None);
    person(&app, "Taken Already", "taken@door.example");
    let (viewer, vcsrf) = app.login("view@x.example");
    let (cookie, csrf) = app.login("org@x.example");
    let walk = format!("/events/{HELD}/door/walk-in");
    let form = |c: &str, name: &str, email: &str| {
        vec![
            ("csrf".to_owned(), c.to_owned()),
            ("name".to_owned(), name.to_owned()),
            ("email".to_owned(), email.to_owned()),
        ]
    };
    let post = |cookie: &str, f: Vec<(String, String)>| {
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        app.post(&walk, Some(cookie), &f)
    };
    assert_eq!(post(&viewer, form(&vcsrf, "Wal Kin", "")).status, 403);
    assert_eq!(post(&cookie, form("", "Wal Kin", "")).status, 403, "CSRF");
    let people = app.block_on(app.store.list_people()).unwrap().len();
    // A blank name: said at the field, the e-mail kept, nothing written.
    let r = post(&cookie, form(&csrf, "  ", "kept@door.example"));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"walk_name_error\""), "{}", r.body);
    assert!(r.body.contains("value=\"kept@door.example\""));
    // Someone else's e-mail: said at the e-mail, the name kept.
    let r = post(&cookie, form(&csrf, "Wal Kin", "TAKEN@door.example"));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"walk_email_error\""), "{}", r.body);
    assert!(r.body.contains("value=\"Wal Kin\""));
    assert_eq!(
        app.block_on(app.store.list_people()).unwrap().len(),
        people,
        "a refused walk-in writes no one"
    );
    let r = post(&cookie, form(&csrf, "Wal Kin", "wal@door.example"));
    assert_eq!(r.status, 303, "{}", r.body);
    let all = app.block_on(app.store.list_people()).unwrap();
    let wal = all.iter().find(|p| p.name == "Wal Kin").unwrap().id;
    assert_eq!(checked_in(&app, wal), Some(CheckedIn::Yes));
    assert!(
        r.header("location")
            .is_some_and(|l| l.ends_with(&format!("#person-{}", wal.0)))
    );
}

on_both!(
    the_door_checks_in_finds_and_undoes,
    a_declined_rsvp_is_asked_about_first,
    a_walk_in_is_added_and_checked_in,
);
