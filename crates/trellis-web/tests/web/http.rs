use crate::client::{App, Reply, csrf_of, now};
use trellis_core::EventId;
use trellis_store::{Ctx, NewDemo, NewPerson};
use trellis_testkit::TestDb;

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() { super::$name(trellis_testkit::TestDb::sqlite()); }
            #[test]
            fn postgres() { if let Some(db) = trellis_testkit::TestDb::postgres() { super::$name(db); } }
        }
    )*};
}

/// The sample's next event (a draft, 2 of 3 demos confirmed).
const NEXT: i64 = 18;

fn assert_redirects_to_login(r: &Reply) {
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(
        r.header("location").unwrap().starts_with("/login?next="),
        "{:?}",
        r.header("location")
    );
}

fn organizer_routes_need_a_session(db: TestDb) {
    let app = App::start(db, None);
    for path in ["/", "/events", "/events/18", "/?program=all"] {
        assert_redirects_to_login(&app.get(path, None));
    }
    for path in [
        "/events/18/step",
        "/demos/1/confirm",
        "/events/17/attend/1",
        "/logout",
    ] {
        assert_redirects_to_login(&app.post(path, None, &[("csrf", "x")]));
    }
    assert_redirects_to_login(&app.get("/", Some("trellis_session=forged")));
    // The login page itself is public and carries the security headers.
    let r = app.get("/login", None);
    assert_eq!(r.status, 200);
    let csp = r.header("content-security-policy").unwrap();
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(!r.body.contains("<script"), "no script at all");
}

fn login_sets_a_safe_cookie_and_is_throttled(db: TestDb) {
    let app = App::start(db, None);
    let r = app.post(
        "/login",
        None,
        &[
            ("email", "org@x.example"),
            ("password", crate::client::PASSWORD),
            ("next", "//evil.example"),
        ],
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location"),
        Some("/"),
        "only local paths are followed"
    );
    let cookie = r.cookies()[0];
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http on loopback");
    for _ in 0..5 {
        let bad = app.post(
            "/login",
            None,
            &[("email", "view@x.example"), ("password", "wrong")],
        );
        assert_eq!(bad.status, 401);
        assert!(bad.body.contains("That e-mail and password do not match."));
    }
    let locked = app.post(
        "/login",
        None,
        &[
            ("email", "view@x.example"),
            ("password", crate::client::PASSWORD),
        ],
    );
    assert_eq!(
        locked.status, 429,
        "the sixth try is refused even with the right password"
    );
    assert!(locked.body.contains("Too many failed attempts"));
}

fn cookies_are_secure_behind_https(db: TestDb) {
    let app = App::start(db, Some("https://trellis.example"));
    let r = app.post(
        "/login",
        None,
        &[
            ("email", "org@x.example"),
            ("password", crate::client::PASSWORD),
        ],
    );
    assert!(r.cookies()[0].contains("; Secure"), "{:?}", r.cookies());
}

fn the_dashboard_shows_the_review_block_and_the_gates(db: TestDb) {
    let app = App::start(db, None);
    let (cookie, _) = app.login("view@x.example");
    let r = app.get("/", Some(&cookie));
    assert_eq!(r.status, 200);
    for text in [
        "Returning builders",
        "<svg",
        "Speaker pipeline",
        "Demos confirmed",
        "2 / 3",
        "Follow-ups",
        "6 / 10",
        "demo_slot_contract",
        "followup_minimum",
        "48-hour retro",
        "Last review",
    ] {
        assert!(r.body.contains(text), "{text} missing");
    }
    let all = app.get("/?program=all", Some(&cookie));
    assert!(all.body.contains("<h1>All programs</h1>"));
    assert_eq!(app.get("/?program=99", Some(&cookie)).status, 404);
}

fn forms_need_the_csrf_token(db: TestDb) {
    let app = App::start(db, None);
    let (cookie, csrf) = app.login("org@x.example");
    let r = app.post(&format!("/events/{NEXT}/step"), Some(&cookie), &[]);
    assert_eq!(r.status, 403, "{}", r.body);
    let r = app.post(
        &format!("/events/{NEXT}/step"),
        Some(&cookie),
        &[("csrf", "0000")],
    );
    assert_eq!(r.status, 403);
    // With the token, the gate answers (and refuses: 2 of 3 demos).
    let r = app.post(
        &format!("/events/{NEXT}/step"),
        Some(&cookie),
        &[("csrf", &csrf)],
    );
    assert_eq!(r.status, 409);
}

fn a_refused_announce_shows_the_reasons_and_the_override(db: TestDb) {
    let app = App::start(db, None);
    let (cookie, csrf) = app.login("org@x.example");
    let r = app.post(
        &format!("/events/{NEXT}/step"),
        Some(&cookie),
        &[("csrf", &csrf)],
    );
    assert_eq!(r.status, 409);
    assert!(
        r.body.contains("Refused: announce is blocked"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("2 of 3 presenters confirmed for &#39;RAG demo night, Dec 2026&#39;")
            || r.body.contains("2 of 3 presenters confirmed for &#x27;RAG"),
        "reasons shown"
    );
    // Each reason links to the page that clears it, and no page shows a command line.
    assert!(
        r.body.contains(&format!(
            "href=\"/events/{NEXT}#slots\">Confirm 1 more demo</a>"
        )),
        "{}",
        r.body
    );
    assert!(
        !r.body.contains("trellis "),
        "no CLI text in a page: {}",
        r.body
    );
    assert!(
        r.body.contains("name=\"override_reason\""),
        "the override form"
    );
    let r = app.post(
        &format!("/events/{NEXT}/step"),
        Some(&cookie),
        &[
            ("csrf", &csrf),
            ("override_reason", "sponsor needs the date today"),
        ],
    );
    assert_eq!(r.status, 303);
    let o = app.block_on(app.store.overrides(None)).unwrap();
    assert_eq!(
        o.iter().map(|o| o.gate.as_str()).collect::<Vec<_>>(),
        vec!["demo_slot_contract", "retro", "followup_minimum"],
        "one per gate passed: demos, the last event's missing retro, follow-ups"
    );
    assert_eq!(o[0].actor, "Olga Organizer");
    assert_eq!(o[0].reason, "sponsor needs the date today");
    let page = app.get(&format!("/events/{NEXT}"), Some(&cookie));
    assert!(page.body.contains(">announced</span>"));
}

fn confirming_a_demo_through_the_slot_board(db: TestDb) {
    let app = App::start(db, None);
    let (cookie, csrf) = app.login("org@x.example");
    let page = app.get(&format!("/events/{NEXT}"), Some(&cookie));
    let screened = app
        .block_on(trellis_app::event_page::event_page(
            &app.store,
            EventId(NEXT),
            now(),
        ))
        .unwrap()
        .demos
        .into_iter()
        .find(|d| d.status.as_str() == "screened")
        .unwrap();
    assert!(page.body.contains(&format!("id=\"demo-{}\"", screened.id)));
    let r = app.post(
        &format!("/demos/{}/confirm", screened.id),
        Some(&cookie),
        &[("csrf", &csrf)],
    );
    assert_eq!(r.status, 409, "no contract yet");
    assert!(r.body.contains("has not accepted the demo slot contract"));
    assert_eq!(
        app.post(
            &format!("/demos/{}/contract", screened.id),
            Some(&cookie),
            &[("csrf", &csrf)]
        )
        .status,
        303
    );
    assert_eq!(
        app.post(
            &format!("/demos/{}/confirm", screened.id),
            Some(&cookie),
            &[("csrf", &csrf)]
        )
        .status,
        303
    );
    let d = app
        .block_on(trellis_app::event_page::event_page(
            &app.store,
            EventId(NEXT),
            now(),
        ))
        .unwrap();
    assert_eq!(d.event.demos_confirmed, 3);
}

fn viewers_cannot_change_anything(db: TestDb) {
    let app = App::start(db, None);
    let (cookie, csrf) = app.login("view@x.example");
    let page = app.get(&format!("/events/{NEXT}"), Some(&cookie));
    assert!(
        !page.body.contains("id=\"step\""),
        "no action buttons for viewers"
    );
    for path in [
        format!("/events/{NEXT}/step"),
        "/demos/79/confirm".to_owned(),
        "/events/17/attend/1".to_owned(),
    ] {
        let r = app.post(&path, Some(&cookie), &[("csrf", &csrf)]);
        assert_eq!(r.status, 403, "{path}: {}", r.body);
    }
    assert_eq!(
        app.block_on(app.store.event(EventId(NEXT)))
            .unwrap()
            .status
            .as_str(),
        "draft"
    );
}

fn names_and_retros_render_as_text(db: TestDb) {
    let app = App::start(db, None);
    let ctx = Ctx::new("test", now());
    let evil = "<script>alert(1)</script>";
    app.block_on(async {
        let p = app
            .store
            .create_person(
                &ctx,
                &NewPerson {
                    name: evil.into(),
                    emails: vec![],
                },
            )
            .await
            .unwrap();
        app.store
            .propose_demo(
                &ctx,
                &NewDemo {
                    event: EventId(NEXT),
                    presenters: vec![p.id],
                    title: "<b>bold</b> demo".into(),
                },
            )
            .await
            .unwrap();
        let draft = trellis_core::retro::RetroDraft {
            worked: "<img src=x onerror=alert(1)>".into(),
            broke: "<iframe>".into(),
            surprised: "a & b".into(),
            invite: vec![],
            follow_up: (1..=3)
                .map(|i| trellis_core::retro::Pick {
                    person: trellis_core::retro::PersonRef {
                        text: i.to_string(),
                        line: None,
                    },
                    why: "<u>x</u>".into(),
                })
                .collect(),
        };
        app.store
            .write_retro(&ctx, EventId(17), &draft, "test", false)
            .await
            .unwrap();
    });
    let (cookie, _) = app.login("org@x.example");
    let page = app.get(&format!("/events/{NEXT}"), Some(&cookie)).body;
    assert!(
        !page.contains(evil) && page.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            || page.contains("&lt;script&gt;"),
        "escaped name"
    );
    assert!(!page.contains("<b>bold</b>"));
    let held = app.get("/events/17", Some(&cookie)).body;
    assert!(!held.contains("<img src=x"), "retro text is escaped");
    assert!(!held.contains("<iframe>"));
}

fn the_public_contract_page(db: TestDb) {
    let app = App::start(db, None);
    let ctx = Ctx::new("test", now());
    let detail = app
        .block_on(trellis_app::event_page::event_page(
            &app.store,
            EventId(NEXT),
            now(),
        ))
        .unwrap();
    let demo = detail
        .demos
        .iter()
        .find(|d| d.status.as_str() == "screened")
        .unwrap()
        .id;
    let token = app.block_on(app.store.contract_link(&ctx, demo)).unwrap();
    assert_eq!(token.len(), 32);
    let page = app.get(&format!("/c/{token}"), None);
    assert_eq!(page.status, 200, "no login needed");
    assert!(page.body.contains("live demo") && page.body.contains("Work in progress is welcome"));
    assert!(
        !page.body.contains("@"),
        "no e-mail addresses on a public page"
    );
    let form = csrf_of(&page.body);
    let cookie = page.cookies()[0].split(';').next().unwrap().to_owned();
    assert_eq!(
        app.post(&format!("/c/{token}"), None, &[("csrf", &form)])
            .status,
        403,
        "no form cookie: refused"
    );
    let ok = app.post(&format!("/c/{token}"), Some(&cookie), &[("csrf", &form)]);
    assert_eq!(ok.status, 200);
    assert!(ok.body.contains("Thank you"));
    assert!(
        app.block_on(app.store.demo(demo))
            .unwrap()
            .contract_accepted_at
            .is_some()
    );
    assert_eq!(
        app.get(&format!("/c/{token}"), None).status,
        404,
        "used links lead nowhere"
    );
    assert_eq!(
        app.get("/c/0123456789abcdef0123456789abcdef", None).status,
        404
    );
    assert_eq!(app.get("/c/short", None).status, 404);
}

fn the_public_followup_page(db: TestDb) {
    let app = App::start(db, None);
    let ctx = Ctx::new("test", now());
    let sent = app.block_on(async {
        let room = app.store.attendances_of_event(EventId(17)).await.unwrap();
        let asked = app.store.followup_status(EventId(17)).await.unwrap();
        let person = room
            .iter()
            .find(|a| asked.followups.iter().all(|f| f.person != a.person))
            .unwrap()
            .person;
        app.store
            .send_followup(
                &ctx,
                EventId(17),
                person,
                trellis_core::followup::Channel::Form,
                "http://x",
            )
            .await
            .unwrap()
    });
    let token = sent.token.unwrap();
    let page = app.get(&format!("/f/{token}"), None);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("What did you do next?"));
    let form = csrf_of(&page.body);
    let cookie = page.cookies()[0].split(';').next().unwrap().to_owned();
    let ok = app.post(
        &format!("/f/{token}"),
        Some(&cookie),
        &[
            ("csrf", &form),
            ("text", "Shipped my agent"),
            ("outcome", "shipped"),
        ],
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(ok.body.contains("Thank you"));
    let st = app
        .block_on(app.store.followup_status(EventId(17)))
        .unwrap();
    let f = st.followups.iter().find(|f| f.id == sent.id).unwrap();
    assert_eq!(f.answer.as_deref(), Some("Shipped my agent"));
    assert_eq!(
        app.get(&format!("/f/{token}"), None).status,
        404,
        "answered once"
    );
    assert_eq!(
        app.post(
            &format!("/f/{token}"),
            Some(&cookie),
            &[("csrf", &form), ("text", "again")]
        )
        .status,
        404
    );
}

fn the_json_api_needs_a_token(db: TestDb) {
    let app = App::start(db, None);
    assert_eq!(app.get("/api/events", None).status, 401);
    let (_, token) = app
        .block_on(app.store.create_api_token(&Ctx::new("test", now()), "ci"))
        .unwrap();
    let auth = format!("Bearer {token}");
    let r = crate::client::request(
        app.addr,
        "GET",
        "/api/events",
        &[("Authorization", &auth)],
        "",
    );
    assert_eq!(r.status, 200);
    let events: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(events.as_array().unwrap().len(), 18);
    let r = crate::client::request(
        app.addr,
        "GET",
        "/api/events/18",
        &[("Authorization", &auth)],
        "",
    );
    let e: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(e["status"], "draft");
    let r = crate::client::request(
        app.addr,
        "GET",
        "/api/metrics?program=1",
        &[("Authorization", &auth)],
        "",
    );
    let m: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    for k in [
        "returning_builder_rate",
        "first_time_demo_conversion",
        "repeat_speaker_rate",
        "collaboration_sparks",
        "time_to_ship",
        "fatigue_index",
        "fragility",
        "pipeline",
        "followups",
        "next_event",
    ] {
        assert!(m.get(k).is_some(), "{k}");
    }
    let r = crate::client::request(
        app.addr,
        "GET",
        "/api/events/999",
        &[("Authorization", &auth)],
        "",
    );
    assert_eq!(r.status, 404);
    let r = crate::client::request(
        app.addr,
        "GET",
        "/api/events",
        &[("Authorization", "Bearer trl_nope")],
        "",
    );
    assert_eq!(r.status, 401);
}

fn admins_manage_users_and_settings(db: TestDb) {
    let app = App::start(db, None);
    let (org, org_csrf) = app.login("org@x.example");
    assert_eq!(app.get("/admin", Some(&org)).status, 403);
    let r = app.post(
        "/admin/programs/1",
        Some(&org),
        &[
            ("csrf", &org_csrf),
            ("demo_target", "1"),
            ("slots", "4"),
            ("followup_minimum", "10"),
            ("retro_hours", "48"),
            ("moves_per_event", "3"),
        ],
    );
    assert_eq!(r.status, 403);
    let (admin, csrf) = app.login("admin@x.example");
    let page = app.get("/admin", Some(&admin));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("view@x.example"));
    let r = app.post(
        "/admin/users",
        Some(&admin),
        &[
            ("csrf", &csrf),
            ("email", "new@x.example"),
            ("name", "Nia New"),
            ("role", "viewer"),
            ("password", "long enough pw"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Nia New can now log in as viewer."));
    let r = app.post(
        "/admin/programs/1",
        Some(&admin),
        &[
            ("csrf", &csrf),
            ("demo_target", "-1"),
            ("slots", "4"),
            ("followup_minimum", "10"),
            ("retro_hours", "48"),
            ("moves_per_event", "3"),
        ],
    );
    assert_eq!(r.status, 400, "a negative target is refused");
    let r = app.post(
        "/admin/programs/1",
        Some(&admin),
        &[
            ("csrf", &csrf),
            ("demo_target", "2"),
            ("slots", "5"),
            ("followup_minimum", "6"),
            ("retro_hours", "72"),
            ("moves_per_event", "2"),
        ],
    );
    assert_eq!(r.status, 200);
    let p = app
        .block_on(app.store.program(trellis_core::ProgramId(1)))
        .unwrap();
    assert_eq!(
        (
            p.settings.demo_target,
            p.settings.followup_minimum,
            p.settings.retro_hours
        ),
        (2, 6, 72)
    );
    // Chat keywords: a bad one refuses the whole form; good ones are stored and shown.
    let form = |keywords: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("demo_target", "3".to_owned()),
            ("slots", "5".to_owned()),
            ("followup_minimum", "6".to_owned()),
            ("retro_hours", "72".to_owned()),
            ("moves_per_event", "2".to_owned()),
            ("keywords", keywords.to_owned()),
        ]
    };
    let post = |f: Vec<(&str, String)>| {
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        app.post("/admin/programs/1", Some(&admin), &pairs)
    };
    let r = post(form("tinkerers, c++"));
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(
        app.block_on(app.store.program(trellis_core::ProgramId(1)))
            .unwrap()
            .settings
            .demo_target,
        2,
        "nothing saved"
    );
    let r = post(form("#Tinkerers, tinkerersbln"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        app.block_on(app.store.chat_keywords(trellis_core::ProgramId(1)))
            .unwrap(),
        vec!["tinkerers", "tinkerersbln"]
    );
    assert!(
        r.body.contains("value=\"tinkerers tinkerersbln\""),
        "{}",
        r.body
    );
}

fn import_chat(app: &App) {
    let ctx = Ctx::new("test", now());
    app.block_on(app.store.import_chat(
        &ctx,
        trellis_core::ProgramId(1),
        "community",
        "whatsapp",
        &crate::client::chat_lines(),
    ))
    .unwrap();
}

fn the_event_page_shows_the_discussion_and_records_it(db: TestDb) {
    let app = App::start(db, None);
    let (cookie, csrf) = app.login("org@x.example");
    let page = app.get("/events/17", Some(&cookie));
    assert!(
        page.body.contains("No community chat imported"),
        "{}",
        page.body
    );
    import_chat(&app);
    let page = app.get("/events/17", Some(&cookie));
    assert!(
        page.body
            .contains("<span class=\"verdict mixed\">mixed</span>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("4 about the event"), "{}", page.body);
    assert!(
        page.body.contains("&#60;b&#62;awful&#60;/b&#62;")
            && !page.body.contains("<b>awful")
            && !page.body.contains("<script>alert"),
        "quoted messages are text"
    );
    // Reading the page records nothing; "I read it" does, and passes the follow-up gate.
    let gate = |app: &App| {
        let d = app
            .block_on(trellis_app::event_page::event_page(
                &app.store,
                EventId(NEXT),
                now(),
            ))
            .unwrap();
        d.gates
            .iter()
            .find(|g| g.gate == "followup_minimum")
            .map(|g| g.allowed)
    };
    assert_eq!(gate(&app), Some(false));
    let r = app.post("/events/17/listened", Some(&cookie), &[("csrf", &csrf)]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(gate(&app), Some(true));
    let page = app.get("/events/17", Some(&cookie));
    assert!(page.body.contains("Report read by"), "{}", page.body);
    // An event before the chat began is not covered, never silent.
    let page = app.get("/events/3", Some(&cookie));
    assert!(page.body.contains("not covered"), "{}", page.body);
    assert!(!page.body.contains("verdict silent"));
}

/// A store error (here: a table gone under a running app) is the operators' business:
/// the visitor gets a 500 with the request's id and not a word of the error.
fn a_store_error_shows_an_opaque_page_with_an_id(db: TestDb) {
    let app = App::start(db, None);
    let (cookie, _) = app.login("org@x.example");
    let (_, token) = app
        .block_on(app.store.create_api_token(&Ctx::new("test", now()), "ci"))
        .unwrap();
    assert_eq!(app.get("/events", Some(&cookie)).status, 200);
    app.sql("ALTER TABLE events RENAME TO events_gone");
    let leaks = |body: &str| {
        let lower = body.to_lowercase();
        [
            "sqlx",
            "database",
            "table",
            "relation",
            "select",
            "events_gone",
            "error returned",
        ]
        .into_iter()
        .filter(|w| lower.contains(w))
        .collect::<Vec<_>>()
    };
    let r = app.get("/events", Some(&cookie));
    assert_eq!(r.status, 500, "{}", r.body);
    let id = r.header("x-request-id").expect("a request id").to_owned();
    assert_eq!(id.len(), 16, "{id}");
    assert!(r.body.contains(&id), "the page shows the id: {}", r.body);
    assert!(r.body.contains("Something broke"), "{}", r.body);
    assert_eq!(leaks(&r.body), Vec::<&str>::new(), "{}", r.body);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    // Another request, another id.
    let again = app.get("/events", Some(&cookie));
    assert_ne!(again.header("x-request-id"), Some(id.as_str()));
    // The JSON API says as little, as JSON.
    let r = crate::client::request(
        app.addr,
        "GET",
        "/api/events",
        &[("Authorization", &format!("Bearer {token}"))],
        "",
    );
    assert_eq!(r.status, 500, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["request_id"].as_str(), r.header("x-request-id"));
    assert_eq!(leaks(&r.body), Vec::<&str>::new(), "{}", r.body);
}

/// Pages behind a login are never kept by the browser (Back after logging out shows
/// nothing); the login page, the public pages and the stylesheet keep their own rules.
fn signed_in_pages_are_not_stored(db: TestDb) {
    let app = App::start(db, None);
    let (cookie, csrf) = app.login("org@x.example");
    for path in ["/", "/events", "/events/18"] {
        let r = app.get(path, Some(&cookie));
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("cache-control"), Some("no-store"), "{path}");
        assert!(r.header("x-request-id").is_some(), "{path}");
    }
    let r = app.post("/logout", Some(&cookie), &[("csrf", &csrf)]);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(app.get("/login", None).header("cache-control"), None);
    let css = app.get(&css_path(&app), None);
    assert_eq!(css.status, 200);
    assert_eq!(
        css.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    // The unknown path and the public token pages are as before.
    assert_eq!(app.get("/nothing-here", None).header("cache-control"), None);
}

/// The stylesheet's path, as the login page links it.
fn css_path(app: &App) -> String {
    let page = app.get("/login", None).body;
    let i = page.find("href=\"/static/").expect("a stylesheet link") + 6;
    page[i..].split('"').next().unwrap().to_owned()
}

on_both!(
    a_store_error_shows_an_opaque_page_with_an_id,
    signed_in_pages_are_not_stored,
    the_event_page_shows_the_discussion_and_records_it,
    admins_manage_users_and_settings,
    organizer_routes_need_a_session,
    login_sets_a_safe_cookie_and_is_throttled,
    cookies_are_secure_behind_https,
    the_dashboard_shows_the_review_block_and_the_gates,
    forms_need_the_csrf_token,
    a_refused_announce_shows_the_reasons_and_the_override,
    confirming_a_demo_through_the_slot_board,
    viewers_cannot_change_anything,
    names_and_retros_render_as_text,
    the_public_contract_page,
    the_public_followup_page,
    the_json_api_needs_a_token,
);
