use crate::client::{App, PASSWORD, Reply, csrf_of, now};
use std::net::Ipv4Addr;
use std::time::Instant;
use trellis_core::EventId;
use trellis_store::{Ctx, NewDemo, NewPerson};
use trellis_testkit::TestDb;

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
    assert_eq!(r.header("strict-transport-security"), None, "plain http");
    let csp = r.header("content-security-policy").unwrap();
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(!r.body.contains("<script"), "no script at all");
}

fn login_sets_a_safe_cookie_and_is_throttled(db: TestDb) {
    let app = App::start(db, None);
    let r = app.login_form("org@x.example", PASSWORD, Some("//evil.example"));
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
    // Someone on another address guesses the viewer's password: after five failures,
    // each further try from there waits, the right password included...
    let them = Ipv4Addr::new(127, 0, 0, 2);
    for _ in 0..5 {
        let bad = app.login_form_from(them, "view@x.example", "wrong", None);
        assert_eq!(bad.status, 401);
        assert!(bad.body.contains("That e-mail and password do not match."));
    }
    let slowed = app.login_form_from(them, "view@x.example", PASSWORD, None);
    assert_eq!(
        slowed.status, 429,
        "a guess from there waits, even the right one"
    );
    assert!(
        slowed
            .body
            .contains("Too many failed attempts. Try again in 1 seconds")
    );
    assert_eq!(slowed.header("retry-after"), Some("1"));
    // ...but the real user, on their own address, still gets in.
    let r = app.login_form("view@x.example", PASSWORD, None);
    assert_eq!(r.status, 303, "the real user is not locked out: {}", r.body);
}

/// Sixty guesses at once: each is counted before its password is hashed, so no more than
/// the allowance (five) are ever checked.
fn parallel_guesses_get_no_more_than_the_allowance(db: TestDb) {
    let app = App::start(db, None);
    let them = Ipv4Addr::new(127, 0, 0, 3);
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..60)
            .map(|_| {
                s.spawn(|| {
                    app.login_form_from(them, "org@x.example", "guess", None)
                        .status
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let waited = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(checked + waited, 60, "{statuses:?}");
    assert!((1..=5).contains(&checked), "{checked} guesses were checked");
    assert_eq!(app.login_form("org@x.example", PASSWORD, None).status, 303);
}

/// An unknown e-mail costs a password check too: its failure takes as long as a known
/// one's (before, 2.2 ms against 23.5 ms told which e-mails had accounts).
fn unknown_accounts_take_as_long_as_known_ones(db: TestDb) {
    let app = App::start(db, None);
    let time = |email: &str| {
        let t = Instant::now();
        assert_eq!(app.login_form(email, "wrong", None).status, 401);
        t.elapsed()
    };
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    // Four each: the fifth failure for one account would start its delay.
    for i in 0..4 {
        known.push(time("org@x.example"));
        unknown.push(time(&format!("nobody{i}@x.example")));
    }
    // The fastest of each: a busy machine only ever adds time, so the minimum is the
    // cost of the work itself (a median still caught load spikes on 2 cores in CI).
    let k = known.iter().min().copied().unwrap_or_default();
    let u = unknown.iter().min().copied().unwrap_or_default();
    eprintln!("wrong password: known account {k:?}, unknown {u:?} (fastest of 4)");
    assert!(u * 2 > k, "unknown {u:?} is much faster than known {k:?}");
}

/// An e-mail longer than an address may be is refused before it is counted or looked up:
/// the throttle's table never holds one.
fn overlong_emails_are_refused_first(db: TestDb) {
    let app = App::start(db, None);
    let long = format!("{}@x.example", "a".repeat(300));
    for _ in 0..10 {
        let r = app.login_form(&long, "wrong", None);
        assert_eq!(r.status, 400, "{}", r.body);
        assert!(r.body.contains("too long"));
    }
    // A body past the forms' cap is not read at all.
    let huge = format!("{}@x.example", "a".repeat(1_500_000));
    let r = app.login_form(&huge, "wrong", None);
    assert_eq!(r.status, 413);
}

/// Password hashing runs on the blocking pool behind a small semaphore: while logins
/// flood in from many addresses, the stylesheet still comes back quickly.
fn a_login_flood_leaves_other_pages_fast(db: TestDb) {
    let app = App::start(db, None);
    let login = app.get("/login", None).body;
    let path = login
        .split("rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let css = |app: &App| {
        let t = Instant::now();
        assert_eq!(app.get(&path, None).status, 200);
        t.elapsed()
    };
    let mut alone: Vec<_> = (0..20).map(|_| css(&app)).collect();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let mut during = std::thread::scope(|s| {
        for t in 0..8u8 {
            let (app, stop) = (&app, &stop);
            s.spawn(move || {
                let mut i = 0u8;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    i = i.wrapping_add(1);
                    let from = Ipv4Addr::new(127, 1, t, i);
                    app.login_form_from(from, "org@x.example", "wrong", None);
                }
            });
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
        let during: Vec<_> = (0..20).map(|_| css(&app)).collect();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        during
    });
    alone.sort();
    during.sort();
    eprintln!(
        "CSS alone: median {:?}, max {:?}; during a login flood: median {:?}, max {:?}",
        alone[10], alone[19], during[10], during[19]
    );
    assert!(
        during[10] < std::time::Duration::from_millis(100),
        "the CSS waited on the login flood: {during:?}"
    );
}

/// Every `next` that could leave the site, or break the `Location` header, leads to `/`
/// after a login: never elsewhere, never a 500 after the session was made.
fn after_login_only_local_paths_are_followed(db: TestDb) {
    let app = App::start(db, None);
    for bad in [
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example/x",
        "/%09/evil.example/x",
        "/%2f%2fevil.example",
        "%2f%2fevil.example",
        "/%5Cevil.example",
        "/%0D%0AX:1",
        "/\r\nX:1",
        "http://evil.example",
        "https:evil.example",
        "/ /evil.example",
    ] {
        let r = app.login_form("org@x.example", crate::client::PASSWORD, Some(bad));
        assert_eq!(r.status, 303, "{bad:?}: {}", r.body);
        assert_eq!(r.header("location"), Some("/"), "{bad:?}");
    }
    let r = app.login_form(
        "org@x.example",
        crate::client::PASSWORD,
        Some("/events/18?tab=demos"),
    );
    assert_eq!(r.header("location"), Some("/events/18?tab=demos"));
    let r = app.login_form("org@x.example", crate::client::PASSWORD, Some("/Zoë"));
    assert_eq!(r.header("location"), Some("/Zo%C3%AB"), "a valid header");
    // The login page does not carry a bad `next` into its form either (raw query: the
    // server decodes it once, as a browser sends it).
    let page = app.get("/login?next=/%09/evil.example/x", None);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("name=\"next\" value=\"/\""),
        "{}",
        page.body
    );
}

fn cookies_are_secure_behind_https(db: TestDb) {
    let app = App::start(db, Some("https://trellis.example"));
    let r = app.login_form("org@x.example", PASSWORD, None);
    assert!(r.cookies()[0].contains("; Secure"), "{:?}", r.cookies());
    let page = app.get("/login", None);
    assert!(
        page.cookies()[0].contains("; Secure"),
        "{:?}",
        page.cookies()
    );
}

/// The login form carries a pre-session token that must match its cookie: a form posted
/// from another site (no cookie, or no token) logs nobody in.
fn the_login_form_needs_its_token(db: TestDb) {
    let app = App::start(db, None);
    let creds = [("email", "org@x.example"), ("password", PASSWORD)];
    let r = app.post("/login", None, &creds);
    assert_eq!(r.status, 403, "no token, no cookie: {}", r.body);
    assert!(r.cookies().is_empty(), "no session");
    let page = app.get("/login", None);
    let token = csrf_of(&page.body);
    let cookie = page.cookies()[0];
    assert!(
        cookie.starts_with("trellis_login=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let cookie = cookie.split(';').next().unwrap();
    let with_token = [creds[0], creds[1], ("csrf", token.as_str())];
    let r = app.post("/login", None, &with_token);
    assert_eq!(r.status, 403, "a token without its cookie");
    let r = app.post("/login", Some(cookie), &creds);
    assert_eq!(r.status, 403, "a cookie without the token");
    let r = app.post(
        "/login",
        Some("trellis_login=forged"),
        &[creds[0], creds[1], ("csrf", "forged2")],
    );
    assert_eq!(r.status, 403, "a token that does not match");
    let r = app.post("/login", Some(cookie), &with_token);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.cookies()[0].starts_with("trellis_session="));
}

/// Access taken back takes effect at once: a disabled user's open session stops working
/// and they cannot log in; a revoked API token is refused; a new password ends the
/// sessions of the old one; expired sessions are pruned as new ones start.
fn access_can_be_taken_back(db: TestDb) {
    let app = App::start(db, None);
    let ctx = Ctx::new("test", now());
    let (cookie, _) = app.login("org@x.example");
    assert_eq!(app.get("/events", Some(&cookie)).status, 200);
    let (u, ended) = app
        .block_on(app.store.set_user_disabled(&ctx, "org@x.example", true))
        .unwrap();
    assert!(u.disabled_at.is_some());
    assert!(ended >= 1, "{ended}");
    assert_redirects_to_login(&app.get("/events", Some(&cookie)));
    let r = app.login_form("org@x.example", PASSWORD, None);
    assert_eq!(r.status, 401, "a disabled user cannot log in");
    app.block_on(app.store.set_user_disabled(&ctx, "org@x.example", false))
        .unwrap();
    let (cookie, _) = app.login("org@x.example");
    let hash = trellis_web::hash_password("another long password").unwrap();
    app.block_on(app.store.set_user_password("org@x.example", &hash))
        .unwrap();
    assert_redirects_to_login(&app.get("/events", Some(&cookie)));
    assert_eq!(app.login_form("org@x.example", PASSWORD, None).status, 401);
    assert_eq!(
        app.login_form("org@x.example", "another long password", None)
            .status,
        303
    );

    let (id, token) = app
        .block_on(app.store.create_api_token(&ctx, "ci"))
        .unwrap();
    let auth = format!("Bearer {token}");
    let api = |app: &App| {
        crate::client::request(
            app.addr,
            "GET",
            "/api/events",
            &[("Authorization", &auth)],
            "",
        )
        .status
    };
    assert_eq!(api(&app), 200);
    app.block_on(app.store.revoke_api_token(&ctx, id)).unwrap();
    assert_eq!(api(&app), 401, "a revoked token is refused");

    // An expired session (made a month ago for a day) is gone after the next login.
    let month_ago = now() - jiff::SignedDuration::from_hours(24 * 30);
    let viewer = app.block_on(app.store.user("view@x.example")).unwrap();
    app.block_on(
        app.store
            .create_session(&Ctx::new("test", month_ago), viewer.id, 24),
    )
    .unwrap();
    app.login("view@x.example");
    assert_eq!(
        app.block_on(app.store.prune_sessions(now())).unwrap(),
        0,
        "pruned by the login already"
    );
}

/// Behind https, browsers are told to keep to it; on plain http, nothing is said.
fn hsts_is_sent_when_the_public_url_is_https(db: TestDb) {
    let app = App::start(db, Some("https://trellis.example"));
    let r = app.get("/login", None);
    assert_eq!(
        r.header("strict-transport-security"),
        Some("max-age=31536000")
    );
}

/// How far the clock of `dashboard_is_served_stale_while_it_is_recomputed` has moved on.
static SHIFT: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

fn shifting_clock() -> jiff::Timestamp {
    now() + jiff::SignedDuration::from_secs(SHIFT.load(std::sync::atomic::Ordering::SeqCst))
}

/// Once the dashboard's block has been computed, no request waits for it again: a stale
/// block is served at once while one background task reads it anew, and the next
/// requests get the new one.
fn dashboard_is_served_stale_while_it_is_recomputed(db: TestDb) {
    let app = App::start_with_clock(db, None, shifting_clock);
    let (cookie, _) = app.login("view@x.example");
    assert!(app.get("/?program=1", Some(&cookie)).body.contains("2 / 3"));
    // A change made elsewhere (another server, the CLI): this server learns of it only
    // when its block is older than 10 seconds.
    let ctx = Ctx::new("test", now());
    app.block_on(async {
        let d = app.store.event_record(EventId(NEXT), now()).await.unwrap();
        let screened = d
            .demos
            .iter()
            .find(|d| d.status.as_str() == "screened")
            .unwrap()
            .id;
        app.store.accept_contract(&ctx, screened).await.unwrap();
        app.store.confirm_demo(&ctx, screened, None).await.unwrap();
    });
    assert!(
        app.get("/?program=1", Some(&cookie)).body.contains("2 / 3"),
        "fresh for 10 s"
    );
    SHIFT.fetch_add(11, std::sync::atomic::Ordering::SeqCst);
    let stale = app.get("/?program=1", Some(&cookie));
    assert!(
        stale.body.contains("2 / 3"),
        "the stale block, served without waiting for the recompute"
    );
    let mut seen = false;
    for _ in 0..100 {
        if app.get("/?program=1", Some(&cookie)).body.contains("3 / 3") {
            seen = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(seen, "the refreshed block replaced the stale one");
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
        "Demo slot contract",
        "Follow-up minimum",
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
    // What the presenter commits to, and that the slot is theirs only once confirmed.
    assert!(page.body.contains("By accepting, you commit to"));
    assert!(
        page.body
            .contains("The slot is yours once an organizer confirms")
    );
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
        ok.body.contains("Your slot is not confirmed yet"),
        "{}",
        ok.body
    );
    assert!(
        !ok.body.contains("You have a demo slot"),
        "only screened, not confirmed"
    );
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
    // The length is the server's rule, not only the form's: 4,001 characters are refused
    // (as ü, over the app's 16 KiB default body: this route allows an answer's worth),
    // and a body far past that is cut off unread.
    let long = "ü".repeat(4001);
    let r = app.post(
        &format!("/f/{token}"),
        Some(&cookie),
        &[("csrf", &form), ("text", &long)],
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("under 4000 characters"), "{}", r.body);
    let huge = "x".repeat(300 << 10);
    let r = app.post(
        &format!("/f/{token}"),
        Some(&cookie),
        &[("csrf", &form), ("text", &huge)],
    );
    assert_eq!(r.status, 413);
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
    // Each program's settings lead to its organizers, where work is handed on.
    assert!(page.body.contains("href=\"/organizers?program=1\""));
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
    after_login_only_local_paths_are_followed,
    parallel_guesses_get_no_more_than_the_allowance,
    unknown_accounts_take_as_long_as_known_ones,
    overlong_emails_are_refused_first,
    a_login_flood_leaves_other_pages_fast,
    cookies_are_secure_behind_https,
    the_login_form_needs_its_token,
    access_can_be_taken_back,
    hsts_is_sent_when_the_public_url_is_https,
    dashboard_is_served_stale_while_it_is_recomputed,
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
