//! The pages of issue 15 over HTTP: planning events and series, steps that ask first, and
//! forms that keep what was typed. Each new action: a viewer is refused, the CSRF token is
//! needed, an invalid form comes back with its values.

use crate::client::{App, now};
use trellis_core::EventId;
use trellis_store::Ctx;
use trellis_testkit::TestDb;

/// The sample's next event (a draft) and its last held one (no retro yet).
const NEXT: i64 = 18;
const HELD: i64 = 17;

fn status(app: &App, id: i64) -> String {
    app.block_on(app.store.event(EventId(id)))
        .unwrap()
        .status
        .as_str()
        .to_owned()
}

fn plan_form<'a>(csrf: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("csrf", csrf),
        ("program", "1"),
        ("title", "Hardware demo night 1"),
        ("date", "2027-01-14"),
        ("time", "18:30"),
        ("venue", "Studio <5>"),
        ("capacity", "80"),
        ("slots", "5"),
    ];
    // An extra field replaces the one of the same name.
    form.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
    form.extend_from_slice(extra);
    form
}

fn planning_is_for_organizers_with_the_token(db: TestDb) {
    let app = App::start(db, None);
    let (viewer, vcsrf) = app.login("view@x.example");
    assert_eq!(app.get("/events/new", Some(&viewer)).status, 403);
    let r = app.post("/events/new", Some(&viewer), &plan_form(&vcsrf, &[]));
    assert_eq!(r.status, 403, "{}", r.body);
    let (cookie, _) = app.login("org@x.example");
    let page = app.get("/events/new", Some(&cookie));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Repeat monthly on the same weekday"));
    assert_eq!(
        app.post("/events/new", Some(&cookie), &plan_form("", &[]))
            .status,
        403
    );
    assert_eq!(app.block_on(app.store.list_events(None)).unwrap().len(), 18);
    // The dashboard's "no event planned" leads here; the events list too.
    assert!(
        app.get("/events", Some(&cookie))
            .body
            .contains("href=\"/events/new\"")
    );
    let ctx = Ctx::new("test", now());
    app.block_on(app.store.set_event_status(
        &ctx,
        EventId(NEXT),
        "cancelled".parse().unwrap(),
        None,
    ))
    .unwrap();
    let dash = app.get("/", Some(&cookie)).body;
    assert!(
        dash.contains("No event planned.")
            && dash.contains("href=\"/events/new\">Plan the next event</a>"),
        "{dash}"
    );
    assert!(
        !app.get("/", Some(&viewer))
            .body
            .contains("Plan the next event"),
        "not for a viewer"
    );
}

fn a_refused_plan_keeps_the_form_and_takes_an_override(db: TestDb) {
    let app = App::start(db, None);
    let (cookie, csrf) = app.login("org@x.example");
    // The last held event has no retro: the gate refuses, with its reason as a link.
    let r = app.post("/events/new", Some(&cookie), &plan_form(&csrf, &[]));
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(
        r.body.contains("Refused: planning is blocked"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(&format!(
            "href=\"/events/{HELD}/retro\">Write the retro</a>"
        )),
        "{}",
        r.body
    );
    for kept in [
        "value=\"Hardware demo night 1\"",
        "value=\"2027-01-14\"",
        "value=\"18:30\"",
        "value=\"Studio &#60;5&#62;\"",
        "value=\"80\"",
        "value=\"5\"",
    ] {
        assert!(
            r.body.contains(kept)
                || r.body
                    .contains(&kept.replace("&#60;", "&lt;").replace("&#62;", "&gt;")),
            "{kept} kept: {}",
            r.body
        );
    }
    assert!(!r.body.contains("trellis "), "no CLI text");
    // A blank reason is said at its field.
    let r = app.post(
        "/events/new",
        Some(&cookie),
        &plan_form(&csrf, &[("override_reason", "  ")]),
    );
    assert_eq!(r.status, 409);
    assert!(
        r.body
            .contains("id=\"override_error\">Give a reason to override"),
        "{}",
        r.body
    );
    assert_eq!(
        app.block_on(app.store.list_events(None)).unwrap().len(),
        18,
        "nothing planned"
    );
    // With a reason, the event is planned and its page shown.
    let r = app.post(
        "/events/new",
        Some(&cookie),
        &plan_form(
            &csrf,
            &[("override_reason", "the venue only had this date")],
        ),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let e = app
        .block_on(app.store.list_events(None))
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(
        r.header("location"),
        Some(format!("/events/{}", e.id).as_str())
    );
    assert_eq!(
        (
            e.title.as_str(),
            e.starts_local.as_str(),
            e.slots,
            e.status.as_str()
        ),
        ("Hardware demo night 1", "2027-01-14 18:30", 5, "draft")
    );
    assert_eq!(e.venue.as_deref(), Some("Studio <5>"));
}

fn a_series_repeats_monthly_on_the_same_weekday(db: TestDb) {
    let app = App::start(db, None);
    let (cookie, csrf) = app.login("org@x.example");
    let overrides = app.block_on(app.store.overrides(None)).unwrap().len();
    // Refused by the retro gate: no event of the series is written.
    let refused = plan_form(&csrf, &[("repeat", "1"), ("times", "3")]);
    assert_eq!(app.post("/events/new", Some(&cookie), &refused).status, 409);
    assert_eq!(app.block_on(app.store.list_events(None)).unwrap().len(), 18);
    // 2027-01-14 is the 2nd Thursday of January.
    let form = plan_form(
        &csrf,
        &[
            ("repeat", "1"),
            ("times", "3"),
            ("override_reason", "planning the spring"),
        ],
    );
    let r = app.post("/events/new", Some(&cookie), &form);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/events"));
    let events = app.block_on(app.store.list_events(None)).unwrap();
    let planned: Vec<(String, String)> = events[18..]
        .iter()
        .map(|e| (e.title.clone(), e.starts_local.clone()))
        .collect();
    assert_eq!(
        planned,
        [
            (
                "Hardware demo night 1".to_owned(),
                "2027-01-14 18:30".to_owned()
            ),
            (
                "Hardware demo night 2".to_owned(),
                "2027-02-11 18:30".to_owned()
            ),
            (
                "Hardware demo night 3".to_owned(),
                "2027-03-11 18:30".to_owned()
            ),
        ]
    );
    assert_eq!(
        app.block_on(app.store.overrides(None)).unwrap().len(),
        overrides + 1,
        "one override, for the whole series"
    );
}

fn an_invalid_plan_says_so_at_the_field(db: TestDb) {
    let app = App::start(db, None);
    let (cookie, csrf) = app.login("org@x.example");
    let r = app.post(
        "/events/new",
        Some(&cookie),
        &plan_form(&csrf, &[("capacity", "many")]),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("id=\"capacity_error\">“many” is not a whole number."),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"many\"") && r.body.contains("value=\"Hardware demo night 1\"")
    );
    let form = plan_form(&csrf, &[("override_reason", "ok"), ("title", "  ")]);
    let r = app.post("/events/new", Some(&cookie), &form);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"title_error\">"), "{}", r.body);
    assert!(r.body.contains("value=\"2027-01-14\""), "the date kept");
    let r = app.post(
        "/events/new",
        Some(&cookie),
        &plan_form(&csrf, &[("repeat", "1"), ("times", "1")]),
    );
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("id=\"times_error\">A series needs 2 events or more."),
        "{}",
        r.body
    );
    assert_eq!(app.block_on(app.store.list_events(None)).unwrap().len(), 18);
}

/// A clock after the next event's evening, so that it can be marked as held.
fn after_the_next_event() -> jiff::Timestamp {
    "2026-12-11T12:00:00Z".parse().unwrap()
}

fn held_and_cancel_ask_first(db: TestDb) {
    let app = App::start_with_clock(db, None, after_the_next_event);
    let ctx = Ctx::new("test", after_the_next_event());
    app.block_on(app.store.set_event_status(
        &ctx,
        EventId(NEXT),
        "announced".parse().unwrap(),
        Some("test"),
    ))
    .unwrap();
    let (viewer, vcsrf) = app.login("view@x.example");
    assert_eq!(
        app.get(&format!("/events/{NEXT}/step?to=held"), Some(&viewer))
            .status,
        403
    );
    let (cookie, csrf) = app.login("org@x.example");
    let page = app.get(&format!("/events/{NEXT}"), Some(&cookie));
    assert!(
        page.body
            .contains(&format!("href=\"/events/{NEXT}/step?to=held\"")),
        "a link, not a button that acts"
    );
    let r = app.get(&format!("/events/{NEXT}/step?to=held"), Some(&cookie));
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("Mark as held?") && r.body.contains("cannot be undone"),
        "{}",
        r.body
    );
    assert!(r.body.contains("name=\"confirm\""));
    // A post without the confirmation only asks.
    let r = app.post(
        &format!("/events/{NEXT}/step"),
        Some(&cookie),
        &[("csrf", &csrf)],
    );
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Yes, mark as held"));
    assert_eq!(status(&app, NEXT), "announced");
    let confirmed = [("csrf", csrf.as_str()), ("confirm", "1")];
    assert_eq!(
        app.post(
            &format!("/events/{NEXT}/step"),
            Some(&viewer),
            &[("csrf", &vcsrf), ("confirm", "1")]
        )
        .status,
        403
    );
    assert_eq!(
        app.post(
            &format!("/events/{NEXT}/step"),
            Some(&cookie),
            &confirmed[1..]
        )
        .status,
        403,
        "CSRF"
    );
    let r = app.post(&format!("/events/{NEXT}/step"), Some(&cookie), &confirmed);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(status(&app, NEXT), "held");
}

fn cancelling_asks_first(db: TestDb) {
    let app = App::start(db, None);
    let (cookie, csrf) = app.login("org@x.example");
    let r = app.get(&format!("/events/{NEXT}/step?to=cancelled"), Some(&cookie));
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Cancel the event?"), "{}", r.body);
    let r = app.post(
        &format!("/events/{NEXT}/step"),
        Some(&cookie),
        &[("csrf", &csrf), ("cancel", "1")],
    );
    assert_eq!(r.status, 200);
    assert_eq!(status(&app, NEXT), "draft");
    let r = app.post(
        &format!("/events/{NEXT}/step"),
        Some(&cookie),
        &[("csrf", &csrf), ("cancel", "1"), ("confirm", "1")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(status(&app, NEXT), "cancelled");
}

fn closing_by_override_asks_first(db: TestDb) {
    let app = App::start(db, None);
    let (cookie, csrf) = app.login("org@x.example");
    let step = format!("/events/{HELD}/step");
    let r = app.post(&step, Some(&cookie), &[("csrf", &csrf)]);
    assert_eq!(
        r.status, 409,
        "the retro and follow-ups are missing: {}",
        r.body
    );
    // A blank reason is said at the field.
    let r = app.post(
        &step,
        Some(&cookie),
        &[("csrf", &csrf), ("override_reason", " ")],
    );
    assert_eq!(r.status, 409);
    assert!(
        r.body
            .contains("id=\"override_error\">Give a reason to override"),
        "{}",
        r.body
    );
    // A reason: first the confirmation, with the gates it passes and where each is cleared.
    let reason = [
        ("csrf", csrf.as_str()),
        ("override_reason", "the team moved on"),
    ];
    let r = app.post(&step, Some(&cookie), &reason);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("Close the cycle by override?"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(&format!("href=\"/events/{HELD}/retro\"")),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"the team moved on\""));
    assert_eq!(status(&app, HELD), "held");
    let mut confirmed = reason.to_vec();
    confirmed.push(("confirm", "1"));
    let r = app.post(&step, Some(&cookie), &confirmed);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(status(&app, HELD), "closed");
    let o = app.block_on(app.store.overrides(None)).unwrap();
    assert!(o.iter().all(|o| o.reason == "the team moved on") && !o.is_empty());
}

fn a_duplicate_user_keeps_the_form(db: TestDb) {
    let app = App::start(db, None);
    let (cookie, csrf) = app.login("admin@x.example");
    let r = app.post(
        "/admin/users",
        Some(&cookie),
        &[
            ("csrf", &csrf),
            ("email", "ORG@x.example"),
            ("name", "Otto Other"),
            ("role", "viewer"),
            ("password", "long enough, surely"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("id=\"email_error\">A user with this e-mail already exists."),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"ORG@x.example\"") && r.body.contains("value=\"Otto Other\""));
    assert!(
        r.body.contains("<option value=\"viewer\" selected>"),
        "the role kept"
    );
    let r = app.post(
        "/admin/users",
        Some(&cookie),
        &[
            ("csrf", &csrf),
            ("email", "new@x.example"),
            ("name", "Nia New"),
            ("role", "viewer"),
            ("password", "short"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("id=\"password_error\">The password must be at least 10 characters.")
    );
    assert!(r.body.contains("value=\"new@x.example\""));
    let _ = now();
}

/// Two new demos for the next event, by a new person.
fn two_demos(app: &App) -> (trellis_core::DemoId, trellis_core::DemoId) {
    let p = crate::client::new_person(app, "Ana Kaur", "ana.kaur@x.example");
    let first = crate::client::new_demo(app, EventId(NEXT), p, "Soldering robots");
    let second = crate::client::new_demo(app, EventId(NEXT), p, "A tiny compiler");
    (first, second)
}

fn screening_records_each_item_and_can_fail(db: TestDb) {
    let app = App::start(db, None);
    let (pass, fail) = two_demos(&app);
    let (viewer, vcsrf) = app.login("view@x.example");
    let form = |csrf: &str, built: &str| {
        vec![
            ("csrf".to_owned(), csrf.to_owned()),
            ("live_demo".to_owned(), "pass".to_owned()),
            ("built_it".to_owned(), built.to_owned()),
            ("fits_time".to_owned(), "pass".to_owned()),
            ("wip_welcome".to_owned(), "pass".to_owned()),
            ("note".to_owned(), "a friend wrote most of it".to_owned()),
        ]
    };
    let post = |cookie: &str, id, f: Vec<(String, String)>| {
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        app.post(&format!("/demos/{id}/screen"), Some(cookie), &f)
    };
    assert_eq!(post(&viewer, pass, form(&vcsrf, "pass")).status, 403);
    let (cookie, csrf) = app.login("org@x.example");
    assert_eq!(post(&cookie, pass, form("", "pass")).status, 403, "CSRF");
    let page = app.get(&format!("/events/{NEXT}"), Some(&cookie));
    assert!(
        page.body
            .contains("aria-label=\"Record the screening of Soldering robots\""),
        "{}",
        page.body
    );
    assert_eq!(post(&cookie, pass, form(&csrf, "pass")).status, 303);
    assert_eq!(post(&cookie, fail, form(&csrf, "fail")).status, 303);
    let demo = |id| app.block_on(app.store.demo(id)).unwrap();
    let (p, f) = (demo(pass), demo(fail));
    assert_eq!((p.status.as_str(), p.screening_passed), ("screened", true));
    assert_eq!(
        (f.status.as_str(), f.screening_passed),
        ("rejected", false),
        "one failed item fails the screening"
    );
    assert_eq!(f.checklist, ["live_demo", "fits_time", "wip_welcome"]);
    assert_eq!(
        f.screening_note.as_deref(),
        Some("a friend wrote most of it")
    );
}

/// The form controls of a page that have no label: neither a `<label for>`, nor an
/// enclosing `<label>`, nor an `aria-label`.
fn unlabelled(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in html.match_indices('<') {
        let rest = &html[at..];
        if !["<input", "<select", "<textarea"]
            .iter()
            .any(|t| rest.starts_with(t))
        {
            continue;
        }
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if tag.contains("type=\"hidden\"") || tag.contains("aria-label=") {
            continue;
        }
        let before = &html[..at];
        let inside_label = before.rfind("<label").unwrap_or(0)
            > before.rfind("</label>").unwrap_or(0)
            && before.contains("<label");
        let id = tag.split("id=\"").nth(1).and_then(|r| r.split('"').next());
        let labelled_for = id.is_some_and(|id| html.contains(&format!("for=\"{id}\"")));
        if !inside_label && !labelled_for {
            out.push(tag.to_owned());
        }
    }
    out
}

fn pages_are_accessible(db: TestDb) {
    let app = App::start(db, None);
    two_demos(&app);
    let (cookie, csrf) = app.login("admin@x.example");
    let refused = app
        .post(
            &format!("/events/{NEXT}/step"),
            Some(&cookie),
            &[("csrf", &csrf)],
        )
        .body;
    let pages = [
        ("/", app.get("/", Some(&cookie)).body),
        ("/events", app.get("/events", Some(&cookie)).body),
        ("/events/new", app.get("/events/new", Some(&cookie)).body),
        (
            "next event",
            app.get(&format!("/events/{NEXT}"), Some(&cookie)).body,
        ),
        (
            "held event",
            app.get(&format!("/events/{HELD}"), Some(&cookie)).body,
        ),
        ("refused", refused),
        (
            "confirm",
            app.get(&format!("/events/{NEXT}/step?to=cancelled"), Some(&cookie))
                .body,
        ),
        ("/admin", app.get("/admin", Some(&cookie)).body),
        (
            "door",
            app.get(&format!("/events/{HELD}/door?q=a"), Some(&cookie))
                .body,
        ),
        ("/people", app.get("/people", Some(&cookie)).body),
        ("person", app.get("/people/1", Some(&cookie)).body),
        (
            "/people/duplicates",
            app.get("/people/duplicates", Some(&cookie)).body,
        ),
        (
            "merge",
            app.get("/people/merge?keep=1&other=2", Some(&cookie)).body,
        ),
        ("forget", app.get("/people/1/forget", Some(&cookie)).body),
        ("/imports", app.get("/imports", Some(&cookie)).body),
        (
            "propose",
            app.get(&format!("/events/{NEXT}/demos"), Some(&cookie))
                .body,
        ),
        ("/board", app.get("/board", Some(&cookie)).body),
        ("/sparks", app.get("/sparks", Some(&cookie)).body),
        ("/checkin", app.get("/checkin", Some(&cookie)).body),
        ("/reviews", app.get("/reviews", Some(&cookie)).body),
        ("review", app.get("/reviews/1", Some(&cookie)).body),
        (
            "/metrics",
            app.get("/metrics?program=all", Some(&cookie)).body,
        ),
        (
            "metric",
            app.get("/metrics/returning_builder_rate", Some(&cookie))
                .body,
        ),
        ("/channels", app.get("/channels", Some(&cookie)).body),
        (
            "listen",
            app.get(&format!("/events/{HELD}/listen"), Some(&cookie))
                .body,
        ),
        (
            "retro",
            app.get(&format!("/events/{HELD}/retro"), Some(&cookie))
                .body,
        ),
        (
            "followups",
            app.get(&format!("/events/{HELD}/followups"), Some(&cookie))
                .body,
        ),
        ("/login", app.get("/login", None).body),
        ("/outbox", app.get("/outbox", Some(&cookie)).body),
        ("/organizers", app.get("/organizers", Some(&cookie)).body),
        (
            "retire",
            app.get("/organizers/1/retire", Some(&cookie)).body,
        ),
        (
            "confirm retire",
            app.post(
                "/organizers/1/retire",
                Some(&cookie),
                &[("csrf", &csrf), ("to", "2")],
            )
            .body,
        ),
    ];
    for (name, body) in &pages {
        assert_eq!(
            unlabelled(body),
            Vec::<String>::new(),
            "{name}: controls without a label"
        );
        if *name != "/login" {
            assert!(
                body.contains("<a class=\"skip\" href=\"#main\">")
                    && body.contains("<main id=\"main\">"),
                "{name}: a skip link"
            );
        }
    }
    // The chart has a name and a text alternative; repeated buttons name their object.
    assert!(
        pages[0]
            .1
            .contains("role=\"img\" aria-label=\"Returning builders at the last"),
        "{}",
        pages[0].1
    );
    assert!(pages[0].1.contains("<title>Returning builders at the last"));
    // A due item links to the section where it is done.
    assert!(
        pages[0]
            .1
            .contains(&format!("href=\"/events/{HELD}/retro\">48-hour retro:")),
        "{}",
        pages[0].1
    );
    assert!(
        pages[4].1.contains("aria-label=\"Check in "),
        "check-in buttons name the person"
    );
    assert!(
        pages[3]
            .1
            .contains("aria-label=\"Confirm A tiny compiler into a slot\"")
    );
}

/// Program 1's settings form, with the demo target and keywords given.
fn settings_form<'a>(csrf: &'a str, target: &'a str, keywords: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("demo_target", target),
        ("slots", "6"),
        ("followup_minimum", "12"),
        ("retro_hours", "72"),
        ("moves_per_event", "2"),
        ("keywords", keywords),
    ]
}

fn refused_settings_keep_the_form(db: TestDb) {
    let app = App::start(db, None);
    let (viewer, vcsrf) = app.login("view@x.example");
    let (cookie, csrf) = app.login("admin@x.example");
    let form = settings_form;
    assert_eq!(
        app.post("/admin/programs/1", Some(&viewer), &form(&vcsrf, "2", ""))
            .status,
        403
    );
    assert_eq!(
        app.post("/admin/programs/1", Some(&cookie), &form("", "2", ""))
            .status,
        403,
        "CSRF"
    );
    let r = app.post(
        "/admin/programs/1",
        Some(&cookie),
        &form(&csrf, "-1", "tinkerers"),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.contains("id=\"demo_target-1-error\">“-1”"),
        "{}",
        r.body
    );
    for kept in [
        "value=\"-1\"",
        "value=\"6\"",
        "value=\"12\"",
        "value=\"72\"",
        "value=\"tinkerers\"",
    ] {
        assert!(r.body.contains(kept), "{kept} kept: {}", r.body);
    }
    let r = app.post(
        "/admin/programs/1",
        Some(&cookie),
        &form(&csrf, "many", "c++"),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("“many” is not a whole number."),
        "{}",
        r.body
    );
    assert!(r.body.contains("id=\"keywords-1-error\">"), "{}", r.body);
    assert_eq!(
        app.block_on(app.store.program(trellis_core::ProgramId(1)))
            .unwrap()
            .settings
            .default_slots,
        4,
        "nothing saved"
    );
}

on_both!(
    refused_settings_keep_the_form,
    pages_are_accessible,
    screening_records_each_item_and_can_fail,
    planning_is_for_organizers_with_the_token,
    a_refused_plan_keeps_the_form_and_takes_an_override,
    a_series_repeats_monthly_on_the_same_weekday,
    an_invalid_plan_says_so_at_the_field,
    held_and_cancel_ask_first,
    cancelling_asks_first,
    closing_by_override_asks_first,
    a_duplicate_user_keeps_the_form,
);
