//! The public chapter page and its call for demos (issue 20, point 3): off by default,
//! announced events only, a hand raised becomes a proposed demo or a candidate's card,
//! and spam is refused without script (honeypot, per-address limit, length caps).

use crate::client::{App, Reply, csrf_of, form_body, now};
use std::net::Ipv4Addr;
use trellis_core::{EventId, ProgramId};
use trellis_store::{Ctx, NewEvent};
use trellis_testkit::TestDb;

const PAGE: &str = "/p/tinkerers-berlin";

/// The sample with its public page on, and one more event, announced, in three weeks.
pub(crate) fn public(db: TestDb) -> (App, EventId) {
    let app = App::start(db, None);
    let ctx = Ctx::new("test", now());
    let event = app.block_on(async {
        app.store
            .set_public_page(&ctx, ProgramId(1), true)
            .await
            .unwrap();
        let new = NewEvent {
            program: ProgramId(1),
            title: "Winter demo night".into(),
            at: "2026-12-15 19:00".into(),
            slots: Some(4),
            venue: Some("Factory Hall".into()),
            capacity: Some(80),
            cohost: None,
        };
        app.store
            .create_event(&ctx, &new, Some("test"))
            .await
            .unwrap()
            .id
    });
    // Announced behind the gates' back: this test is about the public page, not them.
    app.sql(&format!(
        "UPDATE events SET status = 'announced' WHERE id = {}",
        event.0
    ));
    (app, event)
}

/// Opens the page from `from` and sends the form with `fields` (the token added).
fn raise(app: &App, from: Ipv4Addr, fields: &[(&str, &str)]) -> Reply {
    let page = app.request_from(from, "GET", PAGE, &[], "");
    assert_eq!(page.status, 200, "{}", page.body);
    let cookie = page.cookies()[0].split(';').next().unwrap().to_owned();
    let token = csrf_of(&page.body);
    let mut form = fields.to_vec();
    form.push(("csrf", &token));
    app.request_from(
        from,
        "POST",
        PAGE,
        &[("Cookie", &cookie)],
        &form_body(&form),
    )
}

fn ada(event: &str) -> Vec<(&str, &str)> {
    vec![
        ("name", "Ada Builder"),
        ("email", "ada.builder@example.org"),
        ("title", "A tiny compiler"),
        ("about", "It compiles itself, slowly."),
        ("wip", "1"),
        ("event", event),
    ]
}

fn the_page_shows_announced_events_and_takes_a_hand(db: TestDb) {
    let (app, event) = public(db);
    let page = app.get(PAGE, None);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Winter demo night"), "{}", page.body);
    assert!(
        page.body.contains("live demo"),
        "the contract: {}",
        page.body
    );
    // The sample's next event is a draft: never shown.
    let draft = app.block_on(app.store.event(EventId(18))).unwrap().title;
    assert!(!page.body.contains(&draft), "{}", page.body);
    assert!(!page.body.contains("@"), "no person on the page");

    let id = event.0.to_string();
    let r = raise(&app, Ipv4Addr::new(127, 0, 0, 21), &ada(&id));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Thank you"), "{}", r.body);
    let demos = app.block_on(trellis_app::event_page::event_page(
        &app.store,
        event,
        now(),
    ));
    let demos = demos.unwrap().demos;
    let d = demos
        .iter()
        .find(|d| d.title == "A tiny compiler")
        .expect("the hand became a proposed demo");
    assert_eq!(d.status.as_str(), "proposed");
    let presenter = d.presenters[0].id;
    // The organizers are told, through the outbox, with the builder to reply to.
    let told: Vec<_> = app
        .block_on(trellis_app::outbox::list(&app.store, Some("planned")))
        .unwrap()
        .into_iter()
        .filter(|m| m.kind == "hand_raised")
        .collect();
    assert!(!told.is_empty(), "the organizers were told");
    assert!(told.iter().all(|m| m.subject.contains("A tiny compiler")));

    // The same e-mail again, for any event: the same answer, the same person, now a
    // candidate on the board.
    let r = raise(&app, Ipv4Addr::new(127, 0, 0, 22), &ada("any"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Thank you"), "{}", r.body);
    let board = app.block_on(app.store.board(ProgramId(1))).unwrap();
    let card = board
        .stages
        .values()
        .flatten()
        .find(|c| c.person == presenter)
        .expect("a card for the same person");
    assert_eq!(card.stage.as_str(), "candidate");

    // Each listed event can be added to a calendar; a draft cannot.
    let ics = app.get(&format!("{PAGE}/events/{}.ics", event.0), None);
    assert_eq!(ics.status, 200, "{}", ics.body);
    assert!(
        ics.header("content-type")
            .is_some_and(|t| t.starts_with("text/calendar")),
        "{:?}",
        ics.headers
    );
    assert!(
        ics.body.contains("SUMMARY:Winter demo night"),
        "{}",
        ics.body
    );
    assert!(ics.body.contains("LOCATION:Factory Hall"), "{}", ics.body);
    assert!(
        page.body.contains(&format!("/events/{}.ics", event.0)),
        "the link"
    );
    assert_eq!(app.get(&format!("{PAGE}/events/18.ics"), None).status, 404);
    assert_eq!(app.get(&format!("{PAGE}/events/x.ics"), None).status, 404);

    // The page off: gone, as if it never was.
    app.block_on(
        app.store
            .set_public_page(&Ctx::new("test", now()), ProgramId(1), false),
    )
    .unwrap();
    assert_eq!(app.get(PAGE, None).status, 404);
}

fn spam_is_refused_without_script(db: TestDb) {
    let (app, event) = public(db);
    let id = event.0.to_string();
    let before = app
        .block_on(trellis_app::person_page::search(&app.store, "ada.builder"))
        .unwrap()
        .len();
    // The honeypot: thanked, nothing written.
    let mut bot = ada(&id);
    bot.push(("website", "http://spam.example"));
    let r = raise(&app, Ipv4Addr::new(127, 0, 0, 31), &bot);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Thank you"));
    let after = app
        .block_on(trellis_app::person_page::search(&app.store, "ada.builder"))
        .unwrap()
        .len();
    assert_eq!(before, after, "the honeypot wrote nothing");

    // Fields: each problem at its field, what was typed kept.
    let long = "x".repeat(2_001);
    let r = raise(
        &app,
        Ipv4Addr::new(127, 0, 0, 32),
        &[
            ("name", "Ada"),
            ("email", "not an address"),
            ("title", "Kept title"),
            ("about", &long),
            ("event", "18"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    for (id, text) in [
        ("email_error", "e-mail address"),
        ("about_error", "2000 characters"),
    ] {
        assert!(
            r.body.contains(&format!("id=\"{id}\"")) && r.body.contains(text),
            "{id}: {}",
            r.body
        );
    }
    assert!(r.body.contains("value=\"Kept title\""), "{}", r.body);
    // A draft event, asked for by id.
    let r = raise(&app, Ipv4Addr::new(127, 0, 0, 33), &ada("18"));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"event_error\""), "{}", r.body);

    // No token: refused.
    let r = app.post(PAGE, None, &ada(&id));
    assert_eq!(r.status, 403, "{}", r.body);
    // A body over the forms' cap.
    let huge = "y".repeat(20 << 10);
    let r = app.post(PAGE, None, &[("about", &huge)]);
    assert_eq!(r.status, 413, "{}", r.body);

    // Five an hour from one address; the sixth waits.
    let from = Ipv4Addr::new(127, 0, 0, 34);
    for n in 0..5 {
        let email = format!("n{n}@example.org");
        let mut f = ada("any");
        f[1] = ("email", &email);
        assert_eq!(raise(&app, from, &f).status, 200, "hand {n}");
    }
    let r = raise(&app, from, &ada("any"));
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.body.contains("try again later"), "{}", r.body);
}

on_both!(
    the_page_shows_announced_events_and_takes_a_hand,
    spam_is_refused_without_script,
);
