//! An organizer's hand-off on the web (issue 20, point 2). The sample's chapter, program
//! 1, has three organizers: Mara Quinn (id 1), its first and so the owner of its due
//! items, whose latest check-in is high; Tomás Ferreira (id 2) and Ines Wolff (id 3).
//! Retiring asks first; the lead's dashboard says that one organizer is high, never who
//! nor a score.

use crate::client::{App, PASSWORD};
use trellis_core::ProgramId;
use trellis_core::access::Role;
use trellis_store::{Ctx, NewProgram};
use trellis_testkit::TestDb;

fn form<'a>(csrf: &'a str, fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = fields.to_vec();
    f.push(("csrf", csrf));
    f
}

/// The paragraph of `html` that holds `marker`, whole.
fn paragraph<'a>(html: &'a str, marker: &str) -> &'a str {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in {html}"));
    let start = html[..at].rfind("<p").unwrap_or(0);
    let end = at + html[at..].find("</p>").unwrap_or(html.len() - at);
    &html[start..end]
}

fn retired(app: &App, id: i64) -> bool {
    app.block_on(app.store.organizers())
        .unwrap()
        .iter()
        .any(|o| o.id == id && o.retired_at.is_some())
}

fn a_hand_off_asks_first_then_moves_the_work(db: TestDb) {
    let app = App::start(db, None);
    let (admin, csrf) = app.login("admin@x.example");

    // The lead's dashboard: one organizer is high (no name, no score), and who owns what.
    let dash = app.get("/", Some(&admin));
    assert_eq!(dash.status, 200);
    let notice = paragraph(&dash.body, "checked in high");
    assert!(notice.contains("One organizer of"), "{notice}");
    assert!(
        notice.contains("href=\"/organizers?program=1\""),
        "{notice}"
    );
    for leak in ["Mara", "71", "score"] {
        assert!(!notice.contains(leak), "{leak} in {notice}");
    }
    assert!(dash.body.contains("owner Mara Quinn"), "{}", dash.body);

    // The organizers: the count again, a hand-off for each, no score of anyone.
    let list = app.get("/organizers?program=1", Some(&admin));
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("One organizer of"), "{}", list.body);
    assert!(list.body.contains("href=\"/organizers/1/retire\""));
    // What the page says (not its CSRF token, which may hold any digits).
    let main = &list.body[list.body.find("<main").unwrap()..];
    let main = main.split("name=\"csrf\"").next().unwrap();
    assert!(!main.contains("71"), "{main}");

    let page = app.get("/organizers/1/retire", Some(&admin));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains("<option value=\"2\">Tomás Ferreira</option>")
    );

    // Refusals come back at the field, with what was chosen; nothing is written.
    for (to, says) in [("1", "someone else"), ("999", "is not an organizer")] {
        let r = app.post(
            "/organizers/1/retire",
            Some(&admin),
            &form(&csrf, &[("to", to)]),
        );
        assert_eq!(r.status, 422, "{to}: {}", r.body);
        assert!(
            paragraph(&r.body, "id=\"to_error\"").contains(says),
            "{}",
            r.body
        );
        assert!(r.body.contains("aria-invalid=\"true\""), "{}", r.body);
    }

    // Without confirm=1: only the question, naming what moves.
    let ask = app.post(
        "/organizers/1/retire",
        Some(&admin),
        &form(&csrf, &[("to", "2")]),
    );
    assert_eq!(ask.status, 200, "{}", ask.body);
    assert!(ask.body.contains("Retire Mara Quinn?"), "{}", ask.body);
    assert!(
        ask.body.contains("go to <b>Tomás Ferreira</b>"),
        "{}",
        ask.body
    );
    assert!(ask.body.contains("name=\"confirm\" value=\"1\""));
    assert!(!retired(&app, 1), "asked only");

    let done = app.post(
        "/organizers/1/retire",
        Some(&admin),
        &form(&csrf, &[("to", "2"), ("confirm", "1")]),
    );
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.header("location"), Some("/organizers?retired=1"));
    assert!(retired(&app, 1));
    let after = app.get("/organizers?retired=1", Some(&admin));
    let flash = paragraph(&after.body, "id=\"flash\"");
    assert!(
        flash.contains("Mara Quinn retired. Tomás Ferreira took over"),
        "{flash}"
    );
    assert!(after.body.contains("retired 2026-11-24"), "{}", after.body);
    assert!(!after.body.contains("checked in high"), "{}", after.body);

    // The dashboard: the notice is gone, Tomás owns the due items.
    let dash = app.get("/", Some(&admin));
    assert!(!dash.body.contains("checked in high"), "{}", dash.body);
    assert!(dash.body.contains("owner Tomás Ferreira"), "{}", dash.body);

    // Once only: the form goes back to the list, a second retirement is refused.
    let again = app.get("/organizers/1/retire", Some(&admin));
    assert_eq!(again.status, 303);
    let twice = app.post(
        "/organizers/1/retire",
        Some(&admin),
        &form(&csrf, &[("to", "3"), ("confirm", "1")]),
    );
    assert_eq!(twice.status, 422, "{}", twice.body);
    assert!(paragraph(&twice.body, "id=\"form_error\"").contains("already retired"));
}

/// A second chapter, Lisbon, without organizers or events.
pub(crate) fn lisbon(app: &App) -> ProgramId {
    let ctx = Ctx::new("test", crate::client::now());
    let new = NewProgram {
        name: "Lisbon builders".into(),
        tz: "Europe/Lisbon".into(),
        settings: Default::default(),
    };
    app.block_on(app.store.create_program(&ctx, &new))
        .unwrap()
        .id
}

/// Lisbon with its own organizer (4), who has an account for Lisbon only, and an
/// organizer of both chapters (5).
fn with_lisbon(app: &App) {
    let ctx = Ctx::new("test", crate::client::now());
    let p = lisbon(app);
    app.block_on(async {
        app.store
            .add_organizer(&ctx, "Luís Lisboa", Some("lis@x.example"), &[p])
            .await
            .unwrap();
        // Organizer 5, of both chapters.
        app.store
            .add_organizer(&ctx, "Bea Both", None, &[ProgramId(1), p])
            .await
            .unwrap();
        let hash = trellis_web::hash_password(PASSWORD).unwrap();
        app.store
            .create_user_in(
                &ctx,
                "lis@x.example",
                "Luís Lisboa",
                Role::Organizer,
                &hash,
                Some(&[p]),
            )
            .await
            .unwrap();
    });
}

fn only_who_changes_every_program_of_theirs_retires_an_organizer(db: TestDb) {
    let app = App::start(db, None);
    with_lisbon(&app);
    // Lisbon's organizer: neither sees nor retires the sample's organizers.
    let (lis, lis_csrf) = app.login("lis@x.example");
    let list = app.get("/organizers", Some(&lis));
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains("Luís Lisboa") && !list.body.contains("Mara Quinn"),
        "{}",
        list.body
    );
    assert_eq!(app.get("/organizers?program=1", Some(&lis)).status, 403);
    assert_eq!(app.get("/organizers/1/retire", Some(&lis)).status, 403);
    let r = app.post(
        "/organizers/1/retire",
        Some(&lis),
        &form(&lis_csrf, &[("to", "2"), ("confirm", "1")]),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    // One chapter's volunteer is not the lead: no notice about their co-organizers.
    assert!(!app.get("/", Some(&lis)).body.contains("checked in high"));

    // A viewer reads the list and retires no one.
    let (view, view_csrf) = app.login("view@x.example");
    let list = app.get("/organizers", Some(&view));
    assert_eq!(list.status, 200);
    assert!(!list.body.contains("/retire"), "{}", list.body);
    assert_eq!(app.get("/organizers/1/retire", Some(&view)).status, 403);
    let r = app.post(
        "/organizers/1/retire",
        Some(&view),
        &form(&view_csrf, &[("to", "2")]),
    );
    assert_eq!(r.status, 403);
    assert!(!app.get("/", Some(&view)).body.contains("checked in high"));

    // The sample's organizer changes every program Mara organizes: may hand her work on.
    let (org, org_csrf) = app.login("org@x.example");
    assert_eq!(app.get("/organizers/1/retire", Some(&org)).status, 200);
    assert_eq!(
        app.get("/organizers/4/retire", Some(&org)).status,
        403,
        "Lisbon's"
    );
    // One who also organizes Lisbon is not theirs to retire; Lisbon is not named to them.
    let both = app.get("/organizers/5/retire", Some(&org));
    assert_eq!(both.status, 403);
    assert!(
        both.body.contains("Bea Both also organizes a program"),
        "{}",
        both.body
    );
    let list = app.get("/organizers", Some(&org)).body;
    assert!(
        list.contains("Bea Both") && !list.contains("Lisbon"),
        "{list}"
    );
    let r = app.post(
        "/organizers/1/retire",
        Some(&org),
        &form(&org_csrf, &[("to", "2"), ("confirm", "1")]),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    // Not a form from Trellis: refused.
    let r = app.post("/organizers/2/retire", Some(&org), &[("to", "3")]);
    assert_eq!(r.status, 403);
    assert_eq!(app.get("/organizers/99/retire", Some(&org)).status, 404);
}

on_both!(
    a_hand_off_asks_first_then_moves_the_work,
    only_who_changes_every_program_of_theirs_retires_an_organizer,
);
