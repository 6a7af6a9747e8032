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
