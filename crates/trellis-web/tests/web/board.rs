//! The speaker pipeline board and the sparks over HTTP (issue 16, points 3 and 4): each
//! action refused to viewers and without the form's token; a card moved forward and back,
//! recorded as moves by the user and counted as people, not moves; someone added by name
//! or e-mail; a spark recorded and marked acted on, what happened required.

use crate::client::{App, new_person};
use trellis_core::ProgramId;
use trellis_testkit::TestDb;

const P: ProgramId = ProgramId(1);

fn board_of(app: &App) -> trellis_app::board::Board {
    app.block_on(trellis_app::board::board(&app.store, P))
        .unwrap()
}

fn a_card_moves_forward_and_back_counted_as_people(db: TestDb) {
    let app = App::start(db, None);
    let (viewer, viewer_csrf) = app.login("view@x.example");
    let (cookie, csrf) = app.login("org@x.example");
    let page = app.get("/board", Some(&viewer));
    assert_eq!(page.status, 200, "{}", page.body);
    for column in ["Spotted", "Warm intro", "Candidate", "Speaker", "Repeat"] {
        assert!(page.body.contains(column), "{column}");
    }
    assert!(!page.body.contains("/forward"), "a viewer gets no buttons");
    let before = board_of(&app);
    let card = before.stages["spotted"]
        .iter()
        .find(|c| !before.people_moved.contains(&c.name))
        .expect("someone spotted, not moved this cycle")
        .clone();
    let forward = format!("/board/{}/forward", card.person);
    let back = format!("/board/{}/back", card.person);
    let form = [("csrf", csrf.as_str()), ("program", "1")];
    // Viewers cannot act, and the form's token is required.
    let viewer_form = [("csrf", viewer_csrf.as_str()), ("program", "1")];
    assert_eq!(app.post(&forward, Some(&viewer), &viewer_form).status, 403);
    assert_eq!(
        app.post(&forward, Some(&cookie), &[("program", "1")])
            .status,
        403
    );
    assert_eq!(board_of(&app).moves_this_cycle, before.moves_this_cycle);

    // Two steps forward for one person: one person moved.
    for _ in 0..2 {
        let r = app.post(&forward, Some(&cookie), &form);
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(
            r.header("location"),
            Some(format!("/board?program=1#card-{}", card.person).as_str())
        );
    }
    let after = board_of(&app);
    assert_eq!(after.moves_this_cycle, before.moves_this_cycle + 1);
    assert!(
        after.stages["candidate"]
            .iter()
            .any(|c| c.person == card.person)
    );
    let page = app.get("/board", Some(&cookie));
    assert!(
        page.body
            .contains(&format!("{} of {}", after.moves_this_cycle, after.minimum)),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(&format!("Move {} back to Warm intro", card.name))
    );
    // Recorded as the CLI records a move: by the user, forward.
    let history = app
        .block_on(trellis_app::board::history(&app.store, P))
        .unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        (
            last.person,
            last.actor.as_str(),
            last.forward,
            last.automatic
        ),
        (card.person, "Olga Organizer", true, false)
    );

    // Two steps back: the forward and the back cancel.
    for _ in 0..2 {
        assert_eq!(app.post(&back, Some(&cookie), &form).status, 303);
    }
    let undone = board_of(&app);
    assert_eq!(undone.moves_this_cycle, before.moves_this_cycle);
    assert!(
        undone.stages["spotted"]
            .iter()
            .any(|c| c.person == card.person)
    );
    let history = app
        .block_on(trellis_app::board::history(&app.store, P))
        .unwrap();
    assert!(!history.last().unwrap().forward, "recorded as a move back");
    // No step back from the first stage.
    let r = app.post(&back, Some(&cookie), &form);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("no step back"), "{}", r.body);
    // The card's page shows its history.
    let person = app.get(&format!("/people/{}", card.person), Some(&cookie));
    assert!(
        person.body.contains("spotted → warm_intro"),
        "{}",
        person.body
    );
    assert!(person.body.contains("(back)"), "{}", person.body);
}

fn someone_is_added_to_the_board_by_name_or_e_mail(db: TestDb) {
    let app = App::start(db, None);
    let (viewer, viewer_csrf) = app.login("view@x.example");
    let (cookie, csrf) = app.login("org@x.example");
    let p = new_person(&app, "Board Newcomer", "newcomer@board.example");
    let by_mail = [
        ("csrf", csrf.as_str()),
        ("program", "1"),
        ("who", "NEWCOMER@board.example"),
        ("stage", "warm_intro"),
        ("quiet_killer", "1"),
    ];
    let mut as_viewer = by_mail;
    as_viewer[0].1 = &viewer_csrf;
    assert_eq!(
        app.post("/board/add", Some(&viewer), &as_viewer).status,
        403
    );
    assert_eq!(
        app.post("/board/add", Some(&cookie), &by_mail[1..]).status,
        403
    );
    let r = app.post("/board/add", Some(&cookie), &by_mail);
    assert_eq!(r.status, 303, "{}", r.body);
    let b = board_of(&app);
    let card = b.stages["warm_intro"]
        .iter()
        .find(|c| c.person == p)
        .expect("on the board");
    assert!(card.quiet_killer);
    // Again: they are on the board already, said at the field.
    let again = app.post("/board/add", Some(&cookie), &by_mail);
    assert_eq!(again.status, 422);
    assert!(
        again.body.contains("already on the board"),
        "{}",
        again.body
    );
    // Nobody matches: the picker offers adding them, filled from what was typed.
    let who = [
        ("csrf", csrf.as_str()),
        ("program", "1"),
        ("who", "Zora Unknown"),
    ];
    let ask = app.post("/board/add", Some(&cookie), &who);
    assert_eq!(ask.status, 422);
    assert!(
        ask.body.contains("Nobody on record matches"),
        "{}",
        ask.body
    );
    assert!(ask.body.contains("value=\"Zora Unknown\""), "{}", ask.body);
    let new = [
        ("csrf", csrf.as_str()),
        ("program", "1"),
        ("who", "Zora Unknown"),
        ("as_new", "1"),
        ("new_name", "Zora Unknown"),
        ("stage", "spotted"),
    ];
    // Someone new with an e-mail on record: refused at the field, nobody written.
    let mut taken = new.to_vec();
    taken.push(("new_email", "newcomer@board.example"));
    let r = app.post("/board/add", Some(&cookie), &taken);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"new_person_error\""), "{}", r.body);
    let found = app
        .block_on(app.store.search_people("Zora Unknown", 5))
        .unwrap();
    assert!(found.is_empty(), "the person and the card, or neither");
    assert_eq!(app.post("/board/add", Some(&cookie), &new).status, 303);
    assert!(
        board_of(&app).stages["spotted"]
            .iter()
            .any(|c| c.name == "Zora Unknown")
    );
}

fn a_spark_is_recorded_and_acted_on(db: TestDb) {
    let app = App::start(db, None);
    let (viewer, viewer_csrf) = app.login("view@x.example");
    let (cookie, csrf) = app.login("org@x.example");
    new_person(&app, "Spark Ana", "ana@spark.example");
    new_person(&app, "Spark Ben", "ben@spark.example");
    let page = app.get("/sparks", Some(&viewer));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page.body.contains("Record the introduction"));
    let form = [
        ("csrf", csrf.as_str()),
        ("who_a", "ana@spark.example"),
        ("who_b", "Spark Ben"),
        ("event", "17"),
        ("note", "both build synths"),
    ];
    let mut as_viewer = form;
    as_viewer[0].1 = &viewer_csrf;
    assert_eq!(app.post("/sparks", Some(&viewer), &as_viewer).status, 403);
    assert_eq!(app.post("/sparks", Some(&cookie), &form[1..]).status, 403);
    // An ambiguous name asks which one.
    let mut vague = form;
    vague[2].1 = "Spark";
    let ask = app.post("/sparks", Some(&cookie), &vague);
    assert_eq!(ask.status, 422);
    assert!(ask.body.contains("Several people match"), "{}", ask.body);
    let r = app.post("/sparks", Some(&cookie), &form);
    assert_eq!(r.status, 303, "{}", r.body);
    let id = r
        .header("location")
        .and_then(|l| l.strip_prefix("/sparks#spark-"))
        .expect("to the spark")
        .to_owned();
    let listed = app.get("/sparks", Some(&cookie));
    assert!(listed.body.contains("both build synths"), "{}", listed.body);
    // Marking it acted on needs what happened.
    let acted = format!("/sparks/{id}/acted");
    let blank = app.post(&acted, Some(&cookie), &[("csrf", &csrf), ("note", " ")]);
    assert_eq!(blank.status, 422);
    assert!(blank.body.contains("Say what happened"), "{}", blank.body);
    let note = [("csrf", viewer_csrf.as_str()), ("note", "demoed together")];
    assert_eq!(app.post(&acted, Some(&viewer), &note).status, 403);
    assert_eq!(
        app.post(&acted, Some(&cookie), &[("note", "demoed together")])
            .status,
        403
    );
    let done = app.post(
        &acted,
        Some(&cookie),
        &[("csrf", &csrf), ("note", "demoed together")],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let sparks = app
        .block_on(trellis_app::sparks::list(&app.store, None))
        .unwrap();
    let s = sparks.iter().find(|s| s.id.to_string() == id).unwrap();
    assert_eq!(s.acted_note.as_deref(), Some("demoed together"));
    assert_eq!(s.made_by, "Olga Organizer");
    assert!(
        app.get("/sparks", Some(&cookie))
            .body
            .contains("<b>demoed together</b>")
    );
}

on_both!(
    a_card_moves_forward_and_back_counted_as_people,
    someone_is_added_to_the_board_by_name_or_e_mail,
    a_spark_is_recorded_and_acted_on,
);
