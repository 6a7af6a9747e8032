//! Issue 17 on the web: a program's reminder settings and calendar address on /admin,
//! the outbox page, the failed sends on the dashboard, and the served calendar.

use crate::client::App;
use trellis_testkit::TestDb;

fn reminders_form<'a>(csrf: &'a str, short: &'a str, hook: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("kind_retro", "on"),
        ("kind_followups", "on"),
        ("kind_contract", "on"),
        ("short_of_demos_days", short),
        ("contract_reminder_days", "5"),
        ("weekly_digest", "on"),
        ("webhook_url", hook),
    ]
}

fn stored(app: &App) -> trellis_core::notify_settings::NotifySettings {
    app.block_on(app.store.notify_settings(trellis_core::ProgramId(1)))
        .unwrap()
}

fn reminder_settings_are_saved_or_kept_with_their_message(db: TestDb) {
    let app = App::start(db, None);
    let (org, ocsrf) = app.login("org@x.example");
    let (admin, csrf) = app.login("admin@x.example");
    let page = app.get("/admin", Some(&admin));
    assert!(
        page.body
            .contains("name=\"kind_review\" value=\"on\" checked"),
        "{}",
        page.body
    );
    let path = "/admin/programs/1/notify";
    let form = reminders_form;
    assert_eq!(
        app.post(path, Some(&org), &form(&ocsrf, "10", "")).status,
        403
    );
    assert_eq!(
        app.post(path, Some(&admin), &form("", "10", "")).status,
        403,
        "CSRF"
    );
    let r = app.post(
        path,
        Some(&admin),
        &form(&csrf, "0", "http://example.com/hook"),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("id=\"short-1-error\">“0” must be between 1 and 90."),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"http://example.com/hook\""),
        "kept: {}",
        r.body
    );
    assert_eq!(
        stored(&app),
        Default::default(),
        "nothing written when refused"
    );
    let r = app.post(
        path,
        Some(&admin),
        &form(&csrf, "21", "https://hooks.example.org/t/x"),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("Reminders of Tinkerers Berlin saved."),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("name=\"kind_review\" value=\"on\">"),
        "review now off: {}",
        r.body
    );
    let stored = stored(&app);
    assert_eq!(stored.short_of_demos_days, 21);
    assert_eq!(stored.contract_reminder_days, 5);
    assert!(stored.weekly_digest);
    assert_eq!(stored.off, vec!["checkin", "review", "short_of_demos"]);
    assert_eq!(
        stored.webhook_url.as_deref(),
        Some("https://hooks.example.org/t/x")
    );
}

on_both!(reminder_settings_are_saved_or_kept_with_their_message);

/// A message planned, claimed and failed: what the dashboard and the outbox page show.
fn fail_one(app: &App) {
    let now = crate::client::now();
    let m = trellis_store::NewMessage {
        dedupe_key: "retro_held:test".into(),
        kind: "retro_held".into(),
        recipient: "mara@organizers.example".into(),
        subject: "Retro to write: a test".into(),
        body: "Hello".into(),
        planned_at: Some(now),
        ..Default::default()
    };
    app.block_on(async {
        app.store.plan_messages(now, &[m]).await.unwrap();
        let claimed = app
            .store
            .claim_messages(now, "test", now + jiff::SignedDuration::from_mins(5), 10)
            .await
            .unwrap();
        let error = "550 mailbox unavailable".to_owned();
        let outcome = trellis_store::Outcome::Failed { error };
        for c in claimed {
            app.store
                .finish_message(c.id, "test", now, &outcome)
                .await
                .unwrap();
        }
    });
}

fn failed_sends_show_on_the_dashboard_and_the_outbox(db: TestDb) {
    let app = App::start(db, None);
    let (viewer, _) = app.login("view@x.example");
    let (org, _) = app.login("org@x.example");
    let dash = app.get("/", Some(&org));
    assert!(
        !dash.body.contains("failed-sends"),
        "none yet: {}",
        dash.body
    );
    fail_one(&app);
    let dash = app.get("/", Some(&org));
    assert!(
        dash.body
            .contains("<a href=\"/outbox?state=failed\">1 message failed to send</a>"),
        "{}",
        dash.body
    );
    assert!(
        dash.body
            .contains("retro held to mara@organizers.example — 550 mailbox unavailable"),
        "{}",
        dash.body
    );
    let seen = app.get("/", Some(&viewer));
    assert!(
        !seen.body.contains("mara@organizers.example"),
        "viewers see no addresses"
    );
    assert_eq!(app.get("/outbox", Some(&viewer)).status, 403);
    let page = app.get("/outbox?state=failed", Some(&org));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("Retro to write: a test"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<b>failed</b>"), "{}", page.body);
    let sent = app.get("/outbox?state=sent", Some(&org));
    assert!(sent.body.contains("No messages sent."), "{}", sent.body);
}

on_both!(failed_sends_show_on_the_dashboard_and_the_outbox);

/// The calendar address shown in the admin page's notice, as a path.
fn calendar_path(body: &str) -> String {
    let start = body.find("/calendar/").expect("a calendar address");
    body[start..]
        .split(['"', '<', ' '])
        .next()
        .unwrap()
        .to_owned()
}

fn the_calendar_is_served_by_its_secret_and_rotated(db: TestDb) {
    let app = App::start(db, None);
    let (org, ocsrf) = app.login("org@x.example");
    let (admin, csrf) = app.login("admin@x.example");
    let path = "/admin/programs/1/calendar";
    assert_eq!(app.post(path, Some(&org), &[("csrf", &ocsrf)]).status, 403);
    let ask = app.post(path, Some(&admin), &[("csrf", &csrf)]);
    assert!(
        ask.body
            .contains("A calendar address for Tinkerers Berlin?"),
        "{}",
        ask.body
    );
    assert!(
        !ask.body.contains("/calendar/"),
        "nothing made before the confirmation"
    );
    let made = app.post(path, Some(&admin), &[("csrf", &csrf), ("confirm", "1")]);
    let first = calendar_path(&made.body);
    let feed = app.get(&first, None);
    assert_eq!(feed.status, 200, "{}", feed.body);
    assert_eq!(
        feed.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    for wanted in [
        "BEGIN:VCALENDAR",
        "UID:event-",
        "UID:retro-",
        "UID:followup-",
        "BEGIN:VALARM",
        "TRIGGER:-PT172800S",
    ] {
        assert!(feed.body.contains(wanted), "{wanted}: {}", feed.body);
    }
    assert!(
        !feed.body.contains("trellis retro"),
        "no commands in the served feed"
    );
    assert_eq!(
        app.get(&first, None).body,
        feed.body,
        "stable for the same clock"
    );
    assert_eq!(
        app.get("/calendar/0123456789abcdef0123456789abcdef.ics", None)
            .status,
        404
    );
    assert_eq!(app.get("/calendar/nope.ics", None).status, 404);
    let page = app.get("/admin", Some(&admin));
    assert!(
        page.body.contains("Make a new calendar address"),
        "{}",
        page.body
    );
    let ask = app.post(path, Some(&admin), &[("csrf", &csrf)]);
    assert!(ask.body.contains("stops working"), "{}", ask.body);
    let made = app.post(path, Some(&admin), &[("csrf", &csrf), ("confirm", "1")]);
    let second = calendar_path(&made.body);
    assert_ne!(first, second);
    assert_eq!(
        app.get(&first, None).status,
        404,
        "the old address stopped working"
    );
    assert_eq!(app.get(&second, None).status, 200);
}

on_both!(the_calendar_is_served_by_its_secret_and_rotated);
