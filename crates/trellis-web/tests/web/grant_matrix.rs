//! The grant matrix (issue 20, tests): every route the app serves, asked by an admin, an
//! organizer of chapter A, an organizer of chapter B, a viewer of A, someone signed out,
//! and an API token — each on A's things — with what each must get. The table below is the
//! documentation of who may do what; a route added to the app without a row fails
//! `every_route_has_a_row`.
//!
//! A is the sample's program 1 (Tinkerers Berlin); B is Lisbon, with its own event, demo
//! and person (the two chapters of `grants.rs`). Each column runs on a fresh app of its
//! own (the six side by side), so that one account's change never decides another's
//! answer; within a column the rows run in the table's order (a row that ends the session
//! runs last). A write sends a body that succeeds, so a leak shows as a success.
//!
//! To add a route: one line in `MATRIX` per method (and per variant worth stating), e.g.
//! `get("/organizers", "/organizers", LIST_ACT),` or
//! `post("/organizers/{id}/retire", "/organizers/{organizer}/retire", &[("confirm", "1")], ACT_A),`
//! where `{organizer}` is a fixture: a new one is made in `a_things` (or `a_people`) and
//! named in the list it returns.

use crate::client::{App, Reply, csrf_of, form_body, multipart, new_demo, new_person, now};
use std::collections::BTreeSet;
use std::time::Instant;
use trellis_core::attendance::{CheckedIn, Rsvp};
use trellis_core::followup::Channel;
use trellis_core::{EventId, PersonId, ProgramId};
use trellis_store::{AttendanceInput, Ctx, NewEvent, NewMessage};
use trellis_testkit::TestDb;

/// Who asks: the columns of the matrix, in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Admin,
    /// An organizer of A (the sample's program) only.
    OrgA,
    /// An organizer of B (Lisbon) only.
    OrgB,
    /// A viewer of A only.
    ViewA,
    /// No session.
    Out,
    /// An API token (`trellis token create`) and no session.
    Token,
}

const COLUMNS: [Who; 6] = [
    Who::Admin,
    Who::OrgA,
    Who::OrgB,
    Who::ViewA,
    Who::Out,
    Who::Token,
];

/// What one asker must get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gets {
    /// 2xx or 3xx (but not to the login page): the page, or the change made.
    Ok,
    /// As `Ok`, and nothing on the page of the chapter the account does not reach.
    Own,
    /// 422: the form again, to fix or to choose from, with nothing on it of the chapter
    /// the account does not reach.
    Form,
    /// 403, and nothing changed.
    No,
    /// A redirect to the login page: no session (an API token opens no page).
    Login,
    /// 401: the JSON API takes a bearer token, not a session.
    Bearer,
}

use Gets::{Bearer, Form, Login, No, Ok, Own};

// The usual rows. Columns: admin, organizer of A, organizer of B, viewer of A, signed
// out, API token.

/// Reading one of A's pages: A's accounts and the admin.
const READ_A: [Gets; 6] = [Ok, Own, No, Own, Login, Login];
/// Changing A's things, or a page that only prepares a change: A's organizer and the admin.
const ACT_A: [Gets; 6] = [Ok, Own, No, No, Login, Login];
/// A page of what the account reaches: anyone signed in, each seeing its own chapter only.
const LIST: [Gets; 6] = [Ok, Own, Own, Own, Login, Login];
/// As `LIST`, for those who act somewhere: a viewer is refused.
const LIST_ACT: [Gets; 6] = [Ok, Own, Own, No, Login, Login];
/// Reading one of B's pages: B's organizer and the admin.
const READ_B: [Gets; 6] = [Ok, No, Own, No, Login, Login];
/// Changing B's things: B's organizer and the admin.
const ACT_B: [Gets; 6] = [Ok, No, Own, No, Login, Login];
/// A's form naming B's person, typed in part: A's organizer is offered no one of B (the
/// propose form asks on a 200, the board's and the sparks' on a 422).
const PICK_A: [Gets; 6] = [Ok, Own, No, No, Login, Login];
const PICK_A_422: [Gets; 6] = [Form, Form, No, No, Login, Login];
/// A's event given B as co-host: the admin does it; A's organizer sees the form again.
const COHOST_B: [Gets; 6] = [Ok, Form, No, No, Login, Login];
/// The admin's alone; also what only an account reaching every program sees (org-wide).
const ADMIN: [Gets; 6] = [Ok, No, No, No, Login, Login];
/// The account's own session.
const SESSION: [Gets; 6] = [Ok, Ok, Ok, Ok, Login, Login];
/// No account needed: the same for everyone.
const PUBLIC: [Gets; 6] = [Ok; 6];
/// The JSON API: a bearer token only. A token belongs to no account: it is minted by
/// whoever runs the CLI on the database and reads every program, as an admin does.
/// The column's token is unscoped (`trellis token create` without `--program`); tokens
/// scoped to one program are covered by token_scope.rs.
const API: [Gets; 6] = [Bearer, Bearer, Bearer, Bearer, Bearer, Ok];

/// A request's body.
#[derive(Clone, Copy)]
enum Body {
    None,
    /// A form, sent with the session's CSRF token.
    Form(&'static [(&'static str, &'static str)]),
    /// A multipart upload: fields (the CSRF token first), then the file (name, content).
    Upload(
        &'static [(&'static str, &'static str)],
        &'static str,
        &'static str,
    ),
    /// A public page's form: its page is read first for the form's cookie and token.
    Public(&'static [(&'static str, &'static str)]),
}

/// One row: a route as the source declares it, a concrete path on A's things (`{name}`
/// is a fixture), the body, and what each column gets.
struct Row {
    method: &'static str,
    route: &'static str,
    path: &'static str,
    body: Body,
    gets: [Gets; 6],
    /// Ends the session: run after every other row.
    last: bool,
}

const fn get(route: &'static str, path: &'static str, gets: [Gets; 6]) -> Row {
    Row {
        method: "GET",
        route,
        path,
        body: Body::None,
        gets,
        last: false,
    }
}

const fn post(
    route: &'static str,
    path: &'static str,
    form: &'static [(&'static str, &'static str)],
    gets: [Gets; 6],
) -> Row {
    Row {
        method: "POST",
        route,
        path,
        body: Body::Form(form),
        gets,
        last: false,
    }
}

const fn upload(
    route: &'static str,
    path: &'static str,
    fields: &'static [(&'static str, &'static str)],
    file: (&'static str, &'static str),
    gets: [Gets; 6],
) -> Row {
    Row {
        method: "POST",
        route,
        path,
        body: Body::Upload(fields, file.0, file.1),
        gets,
        last: false,
    }
}

const fn public_post(
    route: &'static str,
    path: &'static str,
    form: &'static [(&'static str, &'static str)],
) -> Row {
    Row {
        method: "POST",
        route,
        path,
        body: Body::Public(form),
        gets: PUBLIC,
        last: false,
    }
}

const LUMA: &str = "api_id,name,email,approval_status,checked_in_at\n\
gst-1,Ada Upload,ada.upload@example.com,approved,2026-11-12T17:40:00Z\n";

const WHATSAPP: &str = "12/11/2026, 21:00 - Ana Upload: great demo night, thanks!\n\
13/11/2026, 09:00 - Cem Upload: loved the talks\n";

/// Every route × every asker. A is program 1: `{held}` its held event 17, `{next}` its
/// draft event 18; the other names are fixtures made in `Fixtures::make`.
#[rustfmt::skip]
const MATRIX: &[Row] = &[
    // --- No account needed: the same for everyone.
    get("/login", "/login", PUBLIC),
    public_post("/login", "/login", &[("email", "peek@x.example"), ("password", crate::client::PASSWORD)]),
    get("/c/{token}", "/c/{contract}", PUBLIC),
    public_post("/c/{token}", "/c/{contract}", &[]),
    get("/f/{token}", "/f/{followup_link}", PUBLIC),
    public_post("/f/{token}", "/f/{followup_link}", &[("text", "Built a robot arm.")]),
    get("/p/{slug}", "/p/tinkerers-berlin", PUBLIC),
    public_post("/p/{slug}", "/p/tinkerers-berlin", &[("name", "Hana Hand"), ("email", "hana.hand@x.example"), ("title", "A tiny loom"), ("about", "It weaves."), ("event", "any")]),
    get("/p/{slug}/events/{file}", "/p/tinkerers-berlin/events/{announced}.ics", PUBLIC),
    get("/u/{token}", "/u/{unsubscribe}", PUBLIC),
    public_post("/u/{token}", "/u/{unsubscribe}", &[]),
    get("/calendar/{file}", "/calendar/{calendar}.ics", PUBLIC),
    get("assets::CSS_PATH", "{css}", PUBLIC),

    // --- The dashboard and the lists: each account sees what it reaches.
    get("/", "/", LIST),
    get("/", "/?program=1", READ_A),
    // Org-wide figures show every chapter's work: only for an account that reaches them all.
    get("/", "/?program=all", ADMIN),
    get("/events", "/events", LIST),
    get("/events/new", "/events/new", LIST_ACT),
    post("/events/new", "/events/new", &[("program", "1"), ("title", "Matrix night"), ("date", "2027-01-20"), ("time", "19:00"), ("override_reason", "matrix")], ACT_A),

    // --- One event of A and its pages.
    get("/events/{id}", "/events/{held}", READ_A),
    get("/events/{id}", "/events/{b_event}", READ_B),
    get("/events/{id}/step", "/events/{next}/step?to=cancelled", ACT_A),
    post("/events/{id}/step", "/events/{next}/step", &[("override_reason", "matrix")], ACT_A),
    get("/events/{id}/demos", "/events/{next}/demos", ACT_A),
    post("/events/{id}/demos", "/events/{next}/demos", &[("title", "Matrix demo"), ("as_new", "1"), ("new_name", "Mat Presenter"), ("new_email", "mat.presenter@x.example")], ACT_A),
    post("/demos/{id}/{action}", "/demos/{demo}/screen", SCREENED, ACT_A),
    post("/demos/{id}/{action}", "/demos/{b_demo}/screen", SCREENED, ACT_B),
    // The door list is read by viewers too (a helper at the door); changes are organizers'.
    get("/events/{id}/door", "/events/{held}/door", READ_A),
    post("/events/{id}/door/walk-in", "/events/{held}/door/walk-in", &[("name", "Walt Walkin"), ("email", "walt.walkin@x.example")], ACT_A),
    get("/events/{id}/door/{person}/check-in", "/events/{held}/door/{declined}/check-in", ACT_A),
    post("/events/{id}/door/{person}/check-in", "/events/{held}/door/{declined}/check-in", &[("confirm", "1")], ACT_A),
    post("/events/{id}/door/{person}/undo", "/events/{held}/door/{declined}/undo", &[], ACT_A),
    post("/events/{id}/attend/{person}", "/events/{held}/attend/{guest}", &[], ACT_A),
    get("/events/{id}/retro", "/events/{held}/retro", READ_A),
    post("/events/{id}/retro", "/events/{held}/retro", &[("worked", "Short slots."), ("broke", "The adapter."), ("surprised", "First-timers."), ("pick1", "{guest}"), ("why1", "A robot arm"), ("pick2", "{guest2}"), ("why2", "A good question"), ("pick3", "{guest3}"), ("why3", "Wants another demo")], ACT_A),
    get("/events/{id}/followups", "/events/{held}/followups", READ_A),
    post("/events/{id}/followups", "/events/{held}/followups", &[("person", "{guest4}"), ("channel", "message")], ACT_A),
    post("/events/{id}/followups/{f}/answer", "/events/{held}/followups/{followup}/answer", &[("text", "Joined the robotics club.")], ACT_A),
    get("/events/{id}/listen", "/events/{held}/listen", READ_A),
    post("/events/{id}/listened", "/events/{held}/listened", &[], ACT_A),
    // The co-host: A's organizer names or clears it on A's event; naming B, a program
    // their account does not see, is refused at the field (the admin sees both).
    post("/events/{id}/cohost", "/events/{announced}/cohost", &[("cohost", "")], ACT_A),
    post("/events/{id}/cohost", "/events/{announced}/cohost", &[("cohost", "2")], COHOST_B),

    // --- Imports.
    get("/imports", "/imports", LIST),
    upload("/imports", "/imports", &[("event", "{held}"), ("platform", "luma")], ("guests.csv", LUMA), ACT_A),
    post("/imports/confirm", "/imports/confirm", &[("upload", "{import}"), ("file", "guests.csv")], ACT_A),

    // --- People. The search lists only people of programs the account reaches.
    get("/people", "/people?q=Aonly", LIST),
    get("/people/{id}", "/people/{guest}", READ_A),
    // Someone merged into one of A's people: their records are the kept person's.
    get("/people/{id}", "/people/{merged}", READ_A),
    // Everything stored about someone, in every program: for who may change all of them.
    get("/people/{id}/export.json", "/people/{guest}/export.json", ACT_A),
    get("/people/{id}/export.json", "/people/{merged}/export.json", ACT_A),
    get("/people/duplicates", "/people/duplicates", LIST),
    get("/people/merge", "/people/merge?keep={twin}&other={twin2}", ACT_A),
    post("/people/merge", "/people/merge", &[("keep", "{twin}"), ("other", "{twin2}"), ("confirm", "1")], ACT_A),
    post("/people/{id}/unmerge", "/people/{merged}/unmerge", &[], ACT_A),
    get("/people/{id}/forget", "/people/{forget}/forget", ACT_A),
    post("/people/{id}/forget", "/people/{forget}/forget", &[("confirm", "1")], ACT_A),

    // --- After the event: the pipeline board, sparks, check-ins, reviews.
    get("/board", "/board", LIST),
    get("/board", "/board?program=1", READ_A),
    post("/board/add", "/board/add", &[("program", "1"), ("person", "{guest5}"), ("stage", "spotted")], ACT_A),
    post("/board/{person}/{step}", "/board/{guest5}/forward", &[("program", "1")], ACT_A),
    get("/sparks", "/sparks", LIST),
    post("/sparks", "/sparks", &[("event", "{held}"), ("a", "{guest}"), ("b", "{guest3}"), ("note", "Both solder.")], ACT_A),
    post("/sparks/{id}/acted", "/sparks/{spark}/acted", &[("note", "They met for coffee.")], ACT_A),
    // A spark at no event belongs to every program: for who acts on all of them.
    post("/sparks", "/sparks", &[("event", ""), ("a", "{guest2}"), ("b", "{guest3}"), ("note", "Met online.")], ADMIN),
    post("/sparks/{id}/acted", "/sparks/{spark_nowhere}/acted", &[("note", "They built it.")], ADMIN),
    // The check-in is an organizer's own (their e-mail names them): B's has none at A's event.
    get("/checkin", "/checkin", LIST),
    post("/checkin", "/checkin", &[("event", "{held}"), ("hours", "6"), ("q1", "2"), ("q2", "2"), ("q3", "2"), ("q4", "2"), ("q5", "2"), ("q6", "2"), ("q7", "2")], ACT_A),
    // Handing work on: the organizers of what the account reaches; retiring one of A's.
    get("/organizers", "/organizers", LIST),
    get("/organizers", "/organizers?program=1", READ_A),
    get("/organizers/{id}/retire", "/organizers/{retiring}/retire", ACT_A),
    post("/organizers/{id}/retire", "/organizers/{retiring}/retire", &[("to", "{successor}")], ACT_A),
    post("/organizers/{id}/retire", "/organizers/{retiring}/retire", &[("to", "{successor}"), ("confirm", "1")], ACT_A),
    get("/reviews", "/reviews", LIST),
    get("/reviews/{id}", "/reviews/{review}", READ_A),
    get("/reviews/{id}", "/reviews/{review_all}", ADMIN),
    get("/reviews/{id}/print", "/reviews/{review}/print", READ_A),
    get("/reviews/{id}/print", "/reviews/{review_all}/print", ADMIN),
    // The org-wide review closes by its id while A's is still open (and then A's).
    post("/reviews/{id}/close", "/reviews/{review_all}/close", &[("insight", "One chapter carries the rest.")], ADMIN),
    post("/reviews/{id}/close", "/reviews/{review}/close", &[("insight", "Fewer, better demos.")], ACT_A),
    post("/reviews/start", "/reviews/start", &[("program", "1")], ACT_A),
    post("/reviews/start", "/reviews/start", &[("program", "all")], ADMIN),

    // --- Figures and listening.
    get("/metrics", "/metrics", LIST),
    get("/metrics", "/metrics?program=1", READ_A),
    get("/metrics", "/metrics?program=all", ADMIN),
    get("/metrics/{metric}", "/metrics/returning_builder_rate?program=1", READ_A),
    get("/channels", "/channels", LIST),
    upload("/channels", "/channels", &[("program", "1"), ("channel", "community"), ("format", "auto")], ("chat.txt", WHATSAPP), ACT_A),
    get("/channels/uploads/{id}", "/channels/uploads/{chat_upload}", READ_A),
    // Messages show their recipients' addresses: for who acts on a failure.
    get("/outbox", "/outbox", LIST_ACT),

    // --- The admin page.
    get("/admin", "/admin", ADMIN),
    post("/admin/users", "/admin/users", &[("email", "new.user@x.example"), ("name", "Nina New"), ("role", "viewer"), ("password", "another long enough password"), ("program", "1")], ADMIN),
    post("/admin/programs/{id}", "/admin/programs/1", &[("keywords", "demo")], ADMIN),
    post("/admin/programs/{id}/notify", "/admin/programs/1/notify", &[("short_of_demos_days", "7"), ("contract_reminder_days", "3")], ADMIN),
    post("/admin/programs/{id}/calendar", "/admin/programs/1/calendar", &[("confirm", "1")], ADMIN),

    // --- The JSON API.
    get("/api/events", "/api/events", API),
    get("/api/events/{id}", "/api/events/{held}", API),
    get("/api/metrics", "/api/metrics", API),

    // --- B's person named in A's forms, by id or typed: only the admin reaches both
    // chapters. Taken, they would be on A's pages, and their page shown to A's accounts.
    post("/events/{id}/attend/{person}", "/events/{held}/attend/{b_person}", &[], ADMIN),
    post("/events/{id}/door/{person}/check-in", "/events/{held}/door/{b_person}/check-in", &[("confirm", "1")], ADMIN),
    post("/events/{id}/door/{person}/undo", "/events/{held}/door/{b_person}/undo", &[], ADMIN),
    post("/events/{id}/followups", "/events/{held}/followups", &[("person", "{b_person}"), ("channel", "message")], ADMIN),
    post("/events/{id}/demos", "/events/{next}/demos", &[("title", "Cross demo"), ("person", "{b_person}")], ADMIN),
    post("/events/{id}/demos", "/events/{next}/demos", &[("title", "Cross demo"), ("who", "Bonly")], PICK_A),
    post("/events/{id}/retro", "/events/{held2}/retro", &[("worked", "W."), ("broke", "B."), ("surprised", "S."), ("invite", "{b_person}"), ("pick1", "{guest}"), ("why1", "x"), ("pick2", "{guest2}"), ("why2", "y"), ("pick3", "{guest3}"), ("why3", "z")], ADMIN),
    post("/board/add", "/board/add", &[("program", "1"), ("person", "{b_person}"), ("stage", "spotted")], ADMIN),
    post("/board/add", "/board/add", &[("program", "1"), ("who", "Bonly")], PICK_A_422),
    post("/board/{person}/{step}", "/board/{b_person}/forward", &[("program", "1")], ADMIN),
    post("/sparks", "/sparks", &[("event", "{held}"), ("a", "{guest2}"), ("b", "{b_person}"), ("note", "x")], ADMIN),
    post("/sparks", "/sparks", &[("event", "{held}"), ("a", "{guest2}"), ("who_b", "Bonly"), ("note", "x")], PICK_A_422),
    get("/people/{id}", "/people/{b_person}", READ_B),
    // --- Last: it ends the session.
    Row { last: true, ..post("/logout", "/logout", &[], SESSION) },
];

/// A screening that passes every item.
const SCREENED: &[(&str, &str)] = &[
    ("live_demo", "pass"),
    ("built_it", "pass"),
    ("fits_time", "pass"),
    ("wip_welcome", "pass"),
];

/// The sample's held event and its next (draft) one: A's.
const HELD: i64 = 17;
const NEXT: i64 = 18;

/// What the rows' paths and forms name, made the same way (so with the same ids) in
/// every column's app.
struct Fixtures {
    names: Vec<(&'static str, String)>,
    /// Text that only A's pages show: none of it may reach an account of B only.
    markers: Vec<String>,
    token: String,
}

impl Fixtures {
    fn make(app: &App) -> Fixtures {
        let (mut names, mut markers) = a_people(app);
        let person = |key: &str| -> PersonId {
            let (_, id) = names.iter().find(|(k, _)| *k == key).unwrap();
            PersonId(id.parse().unwrap())
        };
        let people = [
            person("guest"),
            person("guest3"),
            person("guest6"),
            person("merged_into"),
            person("merged"),
        ];
        names.extend(app.block_on(a_records(app, people)));
        let (things, token) = app.block_on(a_things(app, people[0]));
        names.extend(things);
        // Announced behind the gates' back: the public page shows announced events only.
        let id = |key: &str| names.iter().find(|(k, _)| *k == key).unwrap().1.clone();
        app.sql(&format!(
            "UPDATE events SET status = 'announced' WHERE id = {}",
            id("announced")
        ));
        // Held a few days ago, its retro unwritten: a second one to write.
        app.sql(&format!(
            "UPDATE events SET status = 'held' WHERE id = {}",
            id("held2")
        ));
        let held = app.block_on(app.store.event(EventId(HELD))).unwrap().title;
        markers.extend([held, "Matrix note for A".to_owned()]);
        let css = app
            .get("/login", None)
            .body
            .split("rel=\"stylesheet\" href=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_owned();
        names.extend([
            ("held", HELD.to_string()),
            ("next", NEXT.to_string()),
            ("css", css),
            ("import", import_upload(app)),
        ]);
        Fixtures {
            names,
            markers,
            token,
        }
    }

    /// `text` with every `{name}` replaced by its fixture.
    fn fill(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (k, v) in &self.names {
            out = out.replace(&format!("{{{k}}}"), v);
        }
        assert!(!out.contains('{'), "an unknown fixture in {text:?}");
        out
    }
}

/// A's people, each attending the held event (so of A only), and one who declined it: their
/// names as fixtures, and their names as text only A's pages show.
fn a_people(app: &App) -> (Vec<(&'static str, String)>, Vec<String>) {
    let ctx = Ctx::new("test", now());
    let attend = |p: PersonId, rsvp: Rsvp, checked_in: CheckedIn| {
        let input = AttendanceInput {
            event: EventId(HELD),
            person: p,
            rsvp: Some(rsvp),
            checked_in: Some(checked_in),
            source: "test".into(),
        };
        app.block_on(app.store.attend(&ctx, &input)).unwrap();
    };
    let mut names = Vec::new();
    let mut markers = vec!["Tinkerers Berlin".to_owned()];
    for (key, name) in [
        ("guest", "Alma Aonly"),
        ("guest2", "Bert Aonly"),
        ("guest3", "Cleo Aonly"),
        ("guest4", "Dara Aonly"),
        ("guest5", "Emil Aonly"),
        ("guest6", "Fenna Aonly"),
        ("twin", "Gita Twin"),
        ("twin2", "Gita Twinn"),
        ("merged_into", "Hugo Kept"),
        ("merged", "Hugo Merged"),
        ("forget", "Ines Forget"),
        ("declined", "Jon Declined"),
    ] {
        let email = format!("{}@a.example", name.to_lowercase().replace(' ', "."));
        let p = new_person(app, name, &email);
        if key == "declined" {
            attend(p, Rsvp::Declined, CheckedIn::Unknown);
        } else {
            attend(p, Rsvp::Going, CheckedIn::Yes);
        }
        names.push((key, p.0.to_string()));
        markers.push(name.to_owned());
    }
    (names, markers)
}

/// A's after-event records, made in the store: a follow-up asked and one with an answer
/// link, sparks (at the held event and at none), a merge, and reviews (A's and the
/// org-wide one).
async fn a_records(
    app: &App,
    [guest, guest3, guest6, kept, merged]: [PersonId; 5],
) -> Vec<(&'static str, String)> {
    let ctx = Ctx::new("test", now());
    let s = &app.store;
    let held = EventId(HELD);
    let asked = s
        .send_followup(&ctx, held, guest, Channel::Message, "http://x")
        .await
        .unwrap();
    let link = s
        .send_followup(&ctx, held, guest6, Channel::Form, "http://x")
        .await
        .unwrap();
    let spark = s
        .add_spark(&ctx, guest, guest3, Some(held), Some("matrix"))
        .await
        .unwrap();
    let nowhere = s
        .add_spark(&ctx, guest, guest6, None, Some("matrix"))
        .await
        .unwrap();
    s.merge_people(&ctx, kept, merged).await.unwrap();
    let review = s.start_review(&ctx, Some(ProgramId(1))).await.unwrap();
    let review_all = s.start_review(&ctx, None).await.unwrap();
    vec![
        ("followup", asked.id.to_string()),
        ("followup_link", link.token.unwrap()),
        ("spark", spark.id.to_string()),
        ("spark_nowhere", nowhere.id.to_string()),
        ("review", review.id.to_string()),
        ("review_all", review_all.id.to_string()),
    ]
}

/// A's other things, made in the store: the public page and the calendar address, a
/// message with its unsubscribe token, a chat upload, two more events (to announce and to
/// hold), the organizers on record, a demo with its contract link; and an API token.
async fn a_things(app: &App, guest: PersonId) -> (Vec<(&'static str, String)>, String) {
    let ctx = Ctx::new("test", now());
    let s = &app.store;
    s.set_public_page(&ctx, ProgramId(1), true).await.unwrap();
    let calendar = s.rotate_calendar_secret(ProgramId(1)).await.unwrap();
    let message = NewMessage {
        dedupe_key: "matrix-a".into(),
        kind: "matrix".into(),
        recipient: "alma.aonly@a.example".into(),
        person_id: Some(guest.0),
        program_id: Some(1),
        event_id: Some(HELD),
        subject: "Matrix note for A".into(),
        body: "A's message".into(),
        ..NewMessage::default()
    };
    s.plan_messages(now(), &[message]).await.unwrap();
    let outbox = s.outbox(None).await.unwrap();
    let message = outbox.iter().find(|m| m.msg.dedupe_key == "matrix-a");
    let unsubscribe = s.unsubscribe_token(message.unwrap().id).await.unwrap();
    let chat = trellis_app::chat_upload::start(s, &ctx, ProgramId(1), "a.txt", None, 10)
        .await
        .unwrap();
    let winter = NewEvent {
        program: ProgramId(1),
        title: "Matrix winter night".into(),
        at: "2026-12-15 19:00".into(),
        slots: Some(4),
        venue: Some("Factory Hall".into()),
        capacity: Some(80),
        cohost: None,
    };
    let announced = s.create_event(&ctx, &winter, Some("test")).await.unwrap();
    let autumn = NewEvent {
        title: "Matrix autumn night".into(),
        at: "2026-11-20 19:00".into(),
        ..winter
    };
    let held2 = s.create_event(&ctx, &autumn, Some("test")).await.unwrap();
    // Organizers on record, for the check-in: the admin and Olga of A, Luís of B; and
    // Rita of A, who retires in the hand-off's row (to Olga).
    let mut organizers = Vec::new();
    for (name, email, program) in [
        ("Ada Admin", "admin@x.example", ProgramId(1)),
        ("Olga Organizer", "org@x.example", ProgramId(1)),
        ("Luís Lisbon", "lis@x.example", ProgramId(2)),
        ("Rita Retiring", "rita@a.example", ProgramId(1)),
    ] {
        let programs = [program];
        let o = s.add_organizer(&ctx, name, Some(email), &programs);
        organizers.push(o.await.unwrap().id);
    }
    let new = trellis_store::NewPerson {
        name: "Kai Presenter".into(),
        emails: vec!["kai.presenter@a.example".into()],
    };
    let presenter = s.create_person(&ctx, &new).await.unwrap().id;
    let demo = trellis_store::NewDemo {
        event: EventId(NEXT),
        presenters: vec![presenter],
        title: "Matrix robots".into(),
    };
    let demo = s.propose_demo(&ctx, &demo).await.unwrap().id;
    let contract = s.contract_link(&ctx, demo).await.unwrap();
    let (_, token) = s.create_api_token(&ctx, "matrix").await.unwrap();
    let names = vec![
        ("calendar", calendar),
        ("unsubscribe", unsubscribe),
        ("chat_upload", chat.to_string()),
        ("announced", announced.id.0.to_string()),
        ("held2", held2.id.0.to_string()),
        ("demo", demo.0.to_string()),
        ("contract", contract),
        ("retiring", organizers[3].to_string()),
        ("successor", organizers[1].to_string()),
    ];
    (names, token)
}

/// A dry run of an import into A's held event, as the admin: the token its confirmation
/// names.
fn import_upload(app: &App) -> String {
    let (cookie, csrf) = app.login("admin@x.example");
    let fields = [
        ("csrf", csrf.as_str()),
        ("event", "17"),
        ("platform", "luma"),
    ];
    let (body, ty) = multipart(&fields, ("file", "guests.csv", LUMA));
    let r = crate::client::request(
        app.addr,
        "POST",
        "/imports",
        &[("Cookie", &cookie), ("Content-Type", &ty)],
        &body,
    );
    assert_eq!(r.status, 200, "the dry run: {}", r.body);
    r.body
        .split("name=\"upload\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned()
}

/// One column's asker: a session (cookie and CSRF token), an API token, or nothing.
struct Asker {
    who: Who,
    cookie: Option<String>,
    csrf: String,
    bearer: Option<String>,
}

impl Asker {
    fn new(app: &App, who: Who, fx: &Fixtures) -> Asker {
        let email = match who {
            Who::Admin => Some("admin@x.example"),
            Who::OrgA => Some("org@x.example"),
            Who::OrgB => Some("lis@x.example"),
            Who::ViewA => Some("peek@x.example"),
            Who::Out | Who::Token => None,
        };
        let (cookie, csrf) = email.map_or((None, String::new()), |e| {
            let (c, t) = app.login(e);
            (Some(c), t)
        });
        Asker {
            who,
            cookie,
            csrf,
            bearer: (who == Who::Token).then(|| fx.token.clone()),
        }
    }

    /// The headers every request of this asker carries, with `cookies` added.
    fn headers(&self, cookies: &[String]) -> Vec<(String, String)> {
        let mut h = Vec::new();
        let all: Vec<&str> = self
            .cookie
            .iter()
            .map(String::as_str)
            .chain(cookies.iter().map(String::as_str))
            .collect();
        if !all.is_empty() {
            h.push(("Cookie".to_owned(), all.join("; ")));
        }
        if let Some(t) = &self.bearer {
            h.push(("Authorization".to_owned(), format!("Bearer {t}")));
        }
        h
    }

    fn ask(&self, app: &App, row: &Row, fx: &Fixtures) -> Reply {
        let path = fx.fill(row.path);
        let filled = |form: &[(&str, &str)]| -> Vec<(String, String)> {
            form.iter()
                .map(|(k, v)| ((*k).to_owned(), fx.fill(v)))
                .collect()
        };
        let send = |headers: Vec<(String, String)>, body: &str| {
            crate::client::request(app.addr, row.method, &path, &borrowed(&headers), body)
        };
        let with_csrf = |mut form: Vec<(String, String)>, csrf: &str| {
            if !csrf.is_empty() {
                form.insert(0, ("csrf".to_owned(), csrf.to_owned()));
            }
            form
        };
        let encode = |form: &[(String, String)]| form_body(&borrowed(form));
        match row.body {
            Body::None => send(self.headers(&[]), ""),
            Body::Form(form) => send(
                self.headers(&[]),
                &encode(&with_csrf(filled(form), &self.csrf)),
            ),
            Body::Upload(fields, file_name, content) => {
                let form = with_csrf(filled(fields), &self.csrf);
                let (body, ty) = multipart(&borrowed(&form), ("file", file_name, content));
                let mut h = self.headers(&[]);
                h.push(("Content-Type".to_owned(), ty));
                send(h, &body)
            }
            Body::Public(form) => {
                let h = self.headers(&[]);
                let page = crate::client::request(app.addr, "GET", &path, &borrowed(&h), "");
                let cookies: Vec<String> = page
                    .cookies()
                    .iter()
                    .filter_map(|c| c.split(';').next())
                    .map(str::to_owned)
                    .collect();
                // The unsubscribe page's form has no token: a mail provider posts it.
                let token = if page.body.contains("name=\"csrf\"") {
                    csrf_of(&page.body)
                } else {
                    String::new()
                };
                send(
                    self.headers(&cookies),
                    &encode(&with_csrf(filled(form), &token)),
                )
            }
        }
    }
}

/// Owned pairs as the client takes them.
fn borrowed(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Whether `r` is what `gets` says; else what it was instead.
fn judge(gets: Gets, r: &Reply, markers: &[String]) -> Result<(), String> {
    let location = r.header("location").unwrap_or_default();
    let to_login = r.status == 303 && location.starts_with("/login?next=");
    let passed = (200..400).contains(&r.status) && !to_login;
    let fine = match gets {
        Ok => passed,
        Own => passed && !markers.iter().any(|m| r.body.contains(m.as_str())),
        Form => r.status == 422 && !markers.iter().any(|m| r.body.contains(m.as_str())),
        No => r.status == 403,
        Login => to_login,
        Bearer => r.status == 401,
    };
    if fine {
        return Result::Ok(());
    }
    let leaked: Vec<&String> = markers
        .iter()
        .filter(|m| r.body.contains(m.as_str()))
        .collect();
    // The page's message, if it says one; else its start.
    let from = r.body.find("class=\"error").unwrap_or(0);
    let text: String = r.body[from..].chars().take(300).collect();
    Err(format!(
        "got {} {location} (of the unreached chapter on the page: {leaked:?}) {}",
        r.status,
        text.replace('\n', " ")
    ))
}

/// A fresh database of the kind the test runs on.
fn fresh(postgres: bool) -> TestDb {
    if postgres {
        TestDb::postgres().expect("a PostgreSQL database, as the first one")
    } else {
        TestDb::sqlite()
    }
}

/// Every row for one column, on its own app; the failures in words.
fn column(db: TestDb, who: Who) -> Vec<String> {
    let chapters = crate::grants::two_chapters(db);
    let app = &chapters.app;
    let (b_person, b_demo) = b_things(app, chapters.lisbon_event);
    let mut fx = Fixtures::make(app);
    fx.names.extend([
        ("b_event", chapters.lisbon_event.to_string()),
        ("b_demo", b_demo.to_string()),
        ("b_person", b_person.to_string()),
    ]);
    let asker = Asker::new(app, who, &fx);
    let col = COLUMNS.iter().position(|w| *w == who).unwrap();
    // What the asker's pages may not show: the chapter it does not reach.
    let unreached: Vec<String> = match who {
        Who::OrgB => fx.markers.clone(),
        Who::OrgA | Who::ViewA => B_MARKERS.map(str::to_owned).to_vec(),
        Who::Admin | Who::Out | Who::Token => Vec::new(),
    };
    let ordered = MATRIX
        .iter()
        .filter(|r| !r.last)
        .chain(MATRIX.iter().filter(|r| r.last));
    let mut failures = Vec::new();
    for row in ordered {
        let r = asker.ask(app, row, &fx);
        if let Err(why) = judge(row.gets[col], &r, &unreached) {
            failures.push(format!(
                "{:?} {} {} (as {}) wants {:?}: {why}",
                asker.who,
                row.method,
                fx.fill(row.path),
                row.route,
                row.gets[col]
            ));
        }
    }
    failures
}

/// Text that only B's pages show: none of it may reach an account of A only.
const B_MARKERS: [&str; 4] = [
    "Lisbon builders",
    "Lisbon demo night",
    "Bia Bonly",
    "Lisbon loom",
];

/// B's own things besides its event: a person attending it and a demo (its id).
fn b_things(app: &App, event: i64) -> (i64, i64) {
    let ctx = Ctx::new("test", now());
    let p = new_person(app, "Bia Bonly", "bia.bonly@b.example");
    let input = AttendanceInput {
        event: EventId(event),
        person: p,
        rsvp: Some(Rsvp::Going),
        checked_in: None,
        source: "test".into(),
    };
    app.block_on(app.store.attend(&ctx, &input)).unwrap();
    (p.0, new_demo(app, EventId(event), p, "Lisbon loom").0)
}

fn the_grant_matrix_holds(db: TestDb) {
    let started = Instant::now();
    let postgres = db.is_postgres();
    let mut first = Some(db);
    // The columns are independent, each on its own app: they run side by side.
    let failures: Vec<String> = std::thread::scope(|s| {
        let running: Vec<_> = COLUMNS
            .map(|who| {
                let db = first.take().unwrap_or_else(|| fresh(postgres));
                s.spawn(move || column(db, who))
            })
            .into_iter()
            .collect();
        running
            .into_iter()
            .flat_map(|t| t.join().expect("a column ran to its end"))
            .collect()
    });
    eprintln!(
        "grant matrix: {} rows × {} columns in {:.1} s",
        MATRIX.len(),
        COLUMNS.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} cells of the grant matrix differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

on_both!(the_grant_matrix_holds);

/// The routes the source declares, as (method, route): every `.route("…", get(…).post(…))`
/// of the crate's `src/` (a constant path, such as the stylesheet's, by its name).
fn declared_routes() -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut dirs = vec![src];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                found.extend(routes_in(&text));
            }
        }
    }
    found
}

/// The `.route(…)` calls of one source file (comments left out).
fn routes_in(text: &str) -> Vec<(String, String)> {
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = Vec::new();
    let mut rest = code.as_str();
    while let Some(i) = rest.find(".route(") {
        rest = &rest[i + ".route(".len()..];
        let call = balanced(rest);
        let (first, handlers) = call.split_once(',').unwrap_or((call, ""));
        let route = first.trim().trim_matches('"').to_owned();
        for method in ["get", "post", "put", "patch", "delete"] {
            if called(handlers, method) {
                out.push((method.to_uppercase(), route.clone()));
            }
        }
    }
    out
}

/// The text up to the parenthesis that closes the one just opened.
fn balanced(text: &str) -> &str {
    let mut depth = 1;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[..i];
                }
            }
            _ => {}
        }
    }
    text
}

/// Whether `method(` is called in a method router: `get(…)` or `.post(…)`, not part of a
/// longer name.
fn called(handlers: &str, method: &str) -> bool {
    let needle = format!("{method}(");
    handlers.match_indices(&needle).any(|(i, _)| {
        handlers[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'))
    })
}

#[test]
fn every_route_has_a_row() {
    let declared = declared_routes();
    let table: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|r| (r.method.to_owned(), r.route.to_owned()))
        .collect();
    let missing: Vec<_> = declared.difference(&table).collect();
    let extra: Vec<_> = table.difference(&declared).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "the grant matrix and the app's routes differ.\n\
         routes without a row (add one to MATRIX in tests/web/grant_matrix.rs): {missing:?}\n\
         rows of no route: {extra:?}"
    );
    assert!(
        declared.len() > 50,
        "the routes were not found: {declared:?}"
    );
}

#[test]
fn routes_are_read_from_the_source() {
    let text = r#"
        .route("/a", get(x).post(y))
        // .route("/commented", get(z))
        .route(
            "/b/{id}",
            post(pages::b::b).layer(DefaultBodyLimit::max(pages::b::LIMIT)),
        )
        .route(assets::CSS_PATH, get(assets::css))
        .route_layer(foo)
        .route("/c", get(budget(1)))
    "#;
    let found = routes_in(text);
    assert_eq!(
        found,
        [
            ("GET", "/a"),
            ("POST", "/a"),
            ("POST", "/b/{id}"),
            ("GET", "assets::CSS_PATH"),
            ("GET", "/c"),
        ]
        .map(|(m, r)| (m.to_owned(), r.to_owned()))
    );
}
