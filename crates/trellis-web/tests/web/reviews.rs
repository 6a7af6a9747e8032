//! The organizer check-in and the metric review over HTTP (issue 16, points 5 and 6):
//! each action refused to viewers and without the form's token; an organizer's answers
//! shown to them alone (not to an organizer of another program, nor of their own); a
//! review started, its time said on each load, closed only with an insight.

use crate::client::{App, PASSWORD, now};
use trellis_core::ProgramId;
use trellis_core::access::Role;
use trellis_store::{Ctx, NewProgram};
use trellis_testkit::TestDb;

/// Olga (org@x.example) and Oskar organize the sample program; Pia organizes another.
pub(crate) fn organizers(app: &App) {
    let ctx = Ctx::new("test", now());
    app.block_on(async {
        let paris = app
            .store
            .create_program(
                &ctx,
                &NewProgram {
                    name: "Tinkerers Paris".into(),
                    tz: "Europe/Paris".into(),
                    settings: Default::default(),
                },
            )
            .await
            .unwrap();
        let hash = trellis_web::hash_password(PASSWORD).unwrap();
        for (name, email, program) in [
            ("Olga Organizer", "org@x.example", ProgramId(1)),
            ("Oskar Other", "oskar@x.example", ProgramId(1)),
            ("Pia Paris", "pia@x.example", paris.id),
        ] {
            app.store
                .add_organizer(&ctx, name, Some(email), &[program])
                .await
                .unwrap();
            if email != "org@x.example" {
                app.store
                    .create_user(&ctx, email, name, Role::Organizer, &hash)
                    .await
                    .unwrap();
            }
        }
    });
}

fn answers(csrf: &str) -> Vec<(&'static str, String)> {
    let mut f: Vec<(&str, String)> = vec![
        ("csrf", csrf.to_owned()),
        ("event", "17".into()),
        ("hours", "7.25".into()),
    ];
    for (i, a) in ["1", "2", "2", "1", "3", "2", "4"].iter().enumerate() {
        f.push((
            ["q1", "q2", "q3", "q4", "q5", "q6", "q7"][i],
            (*a).to_owned(),
        ));
    }
    f
}

fn post(app: &App, path: &str, cookie: &str, form: &[(&str, String)]) -> crate::client::Reply {
    let f: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post(path, Some(cookie), &f)
}

fn check_in_answers_are_their_organizers_alone(db: TestDb) {
    let app = App::start(db, None);
    organizers(&app);
    let (viewer, viewer_csrf) = app.login("view@x.example");
    let (olga, csrf) = app.login("org@x.example");
    let (pia, _) = app.login("pia@x.example");
    let (oskar, _) = app.login("oskar@x.example");
    // A user who is no organizer is told so, in a sentence, and sees the index.
    let page = app.get("/checkin", Some(&viewer));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains("No organizer on record has the e-mail view@x.example"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Tinkerers Berlin"));
    assert_eq!(
        post(&app, "/checkin", &viewer, &answers(&viewer_csrf)).status,
        403
    );
    let form = app.get("/checkin", Some(&olga));
    assert!(form.body.contains("After the event"), "{}", form.body);
    assert!(form.body.contains(trellis_core::checkin::ITEMS[6].0));
    // The form's token is required; a missing answer is said at its question.
    assert_eq!(
        post(&app, "/checkin", &olga, &answers(&csrf)[1..]).status,
        403
    );
    let mut partial = answers(&csrf);
    partial.retain(|(k, _)| *k != "q3");
    let r = post(&app, "/checkin", &olga, &partial);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"q3_error\""), "{}", r.body);
    assert!(r.body.contains("value=\"7.25\""), "what was typed stays");
    let r = post(&app, "/checkin", &olga, &answers(&csrf));
    assert_eq!(r.status, 303, "{}", r.body);
    let mine = app.get("/checkin", Some(&olga));
    assert!(mine.body.contains("id=\"checkin-"), "{}", mine.body);
    assert!(mine.body.contains("7.25"), "{}", mine.body);
    assert!(mine.body.contains("1, 2, 2, 1, 3, 2, 4"), "{}", mine.body);
    // Once per event.
    let twice = post(&app, "/checkin", &olga, &answers(&csrf));
    assert_eq!(twice.status, 422);
    assert!(twice.body.contains("already checked in"), "{}", twice.body);
    // The program's index is the metrics' own, her check-in included.
    let history = app
        .block_on(app.store.metrics_history(Some(ProgramId(1))))
        .unwrap();
    let f = trellis_core::metrics::fatigue_index(
        &history,
        trellis_core::metrics::Period::year_to(now()),
        now(),
    );
    let index = format!(
        "<b>Tinkerers Berlin</b>: {:.0}{} · {} of {} organizers high",
        f.value.unwrap(),
        if f.high { " (high)" } else { "" },
        f.high_organizers,
        f.organizers.len()
    );
    assert!(mine.body.contains(&index), "{index}: {}", mine.body);
    // Another program's organizer, and another of her own, see none of her answers.
    for other in [&pia, &oskar] {
        let page = app.get("/checkin", Some(other));
        assert_eq!(page.status, 200);
        assert!(!page.body.contains("id=\"checkin-"), "{}", page.body);
        assert!(!page.body.contains("7.25"), "{}", page.body);
        assert!(!page.body.contains("1, 2, 2, 1, 3, 2, 4"), "{}", page.body);
        assert!(page.body.contains("organizers high"), "{}", page.body);
    }
    // Pia may not check in for another program's event.
    let (_, pia_csrf) = (
        0,
        crate::client::csrf_of(&app.get("/checkin", Some(&pia)).body),
    );
    let r = post(&app, "/checkin", &pia, &answers(&pia_csrf));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("is not an organizer of program"),
        "{}",
        r.body
    );
}

fn a_review_starts_tells_its_time_and_closes_with_an_insight(db: TestDb) {
    let app = App::start(db, None);
    let (viewer, viewer_csrf) = app.login("view@x.example");
    let (cookie, csrf) = app.login("org@x.example");
    let page = app.get("/reviews", Some(&viewer));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page.body.contains("Start the review"));
    let start = [("csrf", csrf.as_str()), ("program", "1")];
    assert_eq!(
        app.post(
            "/reviews/start",
            Some(&viewer),
            &[("csrf", &viewer_csrf), ("program", "1")]
        )
        .status,
        403
    );
    assert_eq!(
        app.post("/reviews/start", Some(&cookie), &start[1..])
            .status,
        403
    );
    // A gate passed by override shows until a review starts, then in the review.
    let overridden = app.post(
        "/events/new",
        Some(&cookie),
        &[
            ("csrf", csrf.as_str()),
            ("program", "1"),
            ("title", "Override night"),
            ("date", "2027-01-14"),
            ("time", "18:30"),
            ("override_reason", "the venue only had this date"),
        ],
    );
    assert_eq!(overridden.status, 303, "{}", overridden.body);
    let pending = app.get("/reviews", Some(&cookie));
    assert!(
        pending
            .body
            .contains("by Olga Organizer: the venue only had this date"),
        "{}",
        pending.body
    );
    // Started twelve minutes before now (as a second server would have).
    let earlier = Ctx::new(
        "Olga Organizer",
        now() - jiff::SignedDuration::from_mins(12),
    );
    let r = app
        .block_on(trellis_app::reviews::start(
            &app.store,
            &earlier,
            Some(ProgramId(1)),
        ))
        .unwrap();
    let page = app.get("/reviews", Some(&cookie));
    assert!(page.body.contains("started 12 min ago"), "{}", page.body);
    let open = &page.body[page.body.find("Open review").unwrap()..];
    let open = &open[..open.find("id=\"start\"").unwrap()];
    assert!(
        open.contains("by Olga Organizer: the venue only had this date"),
        "the open review froze the override: {open}"
    );
    // One open review per program.
    let again = app.post("/reviews/start", Some(&cookie), &start);
    assert_eq!(again.status, 422);
    assert!(again.body.contains("still open"), "{}", again.body);
    // The insight is required to close.
    let close = format!("/reviews/{}/close", r.id);
    let blank = app.post(&close, Some(&cookie), &[("csrf", &csrf), ("insight", "  ")]);
    assert_eq!(blank.status, 422);
    assert!(
        blank
            .body
            .contains(&format!("id=\"insight-{}-error\"", r.id))
    );
    let insight = "Follow-ups sent on day one bring people back.";
    assert_eq!(
        app.post(
            &close,
            Some(&viewer),
            &[("csrf", &viewer_csrf), ("insight", insight)]
        )
        .status,
        403
    );
    assert_eq!(
        app.post(&close, Some(&cookie), &[("insight", insight)])
            .status,
        403
    );
    let done = app.post(
        &close,
        Some(&cookie),
        &[("csrf", &csrf), ("insight", insight)],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let shown = app.get(&format!("/reviews/{}", r.id), Some(&viewer));
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains(insight), "{}", shown.body);
    assert!(shown.body.contains("took 12 min"), "{}", shown.body);
    assert!(shown.body.contains("Speaker pipeline"));
    let list = app.get("/reviews", Some(&viewer));
    assert!(list.body.contains(insight));
    assert!(list.body.contains(&format!("href=\"/reviews/{}\"", r.id)));
    // From the web: started now, then closable the same way.
    assert_eq!(
        app.post("/reviews/start", Some(&cookie), &start).status,
        303
    );
    assert!(
        app.get("/reviews", Some(&cookie))
            .body
            .contains("started 0 min ago")
    );
    assert_eq!(app.get("/reviews/999999", Some(&cookie)).status, 404);
}

/// `/reviews/{id}/print`: the frozen screen with no navigation, for a viewer too.
fn a_review_prints_without_the_app_around_it(db: TestDb) {
    let app = App::start(db, None);
    let (viewer, _) = app.login("view@x.example");
    let r = app.get("/reviews/1/print", Some(&viewer));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("The insight"), "{}", r.body);
    assert!(r.body.contains("Speaker pipeline"), "{}", r.body);
    assert!(!r.body.contains("<nav"), "no navigation: {}", r.body);
    let page = app.get("/reviews/1", Some(&viewer));
    assert!(
        page.body.contains("href=\"/reviews/1/print\""),
        "{}",
        page.body
    );
    assert_eq!(app.get("/reviews/999/print", Some(&viewer)).status, 404);
    assert_eq!(app.get("/reviews/1/print", None).status, 303);
}

on_both!(
    check_in_answers_are_their_organizers_alone,
    a_review_starts_tells_its_time_and_closes_with_an_insight,
    a_review_prints_without_the_app_around_it,
);
