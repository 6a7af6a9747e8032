//! The morning after an event over HTTP (issue 16, points 1 and 2): the retro page (the
//! form, its pickers, a new person added with it, the countdown and LATE, the retro shown
//! whole) and the follow-ups page (whom to ask, mark as sent, a form link, the answers).

use crate::client::{App, csrf_of};
use jiff::Timestamp;
use trellis_testkit::TestDb;

/// The sample's last held event, without its retro.
const HELD: i64 = 17;

/// The morning after event 17 (held 2026-11-12 18:30 Berlin): its retro is due in 32 h.
fn morning_after() -> Timestamp {
    "2026-11-13T12:00:00Z".parse().unwrap()
}

/// A person the retro form offers, by the option's value.
fn offered(body: &str) -> Vec<String> {
    body.split("<option value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|v| v.parse::<i64>().is_ok())
        .map(str::to_owned)
        .collect()
}

/// A filled retro form: three answers, one person to invite, and three picks, the second
/// someone new.
fn retro_form<'a>(csrf: &'a str, people: &'a [String]) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("worked", "Five-minute slots kept the energy up."),
        ("broke", "The projector adapter."),
        ("surprised", "Half the room were first-timers."),
        ("invite", &people[0]),
        ("pick1", &people[1]),
        ("why1", "Showed a half-built robot arm"),
        ("pick2", "new"),
        ("new_name2", "Nova Newcomer"),
        ("new_email2", "nova@new.example"),
        ("why2", "Asked the best question"),
        ("pick3", &people[2]),
        ("why3", "First demo, wants another"),
    ]
}

fn retro_is_written_before_it_is_due(db: TestDb) {
    let app = App::start_with_clock(db, None, morning_after);
    let (cookie, _) = app.login("org@x.example");
    let url = format!("/events/{HELD}/retro");
    let page = app.get(&url, Some(&cookie));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("due in 32 h"), "{}", page.body);
    assert!(page.body.contains("Sat 14 Nov 2026, 21:30 (Europe/Berlin)"));
    assert!(!page.body.contains("LATE"), "{}", page.body);
    let people = offered(&page.body);
    assert!(people.len() >= 3, "the evening's people are offered");
    let csrf = csrf_of(&page.body);
    let r = app.post(&url, Some(&cookie), &retro_form(&csrf, &people));
    assert_eq!(r.status, 303, "{}", r.body);
    let shown = app.get(&url, Some(&cookie));
    for text in [
        "Five-minute slots kept the energy up.",
        "The projector adapter.",
        "Half the room were first-timers.",
        "Who to invite next time",
        "Nova Newcomer</a>: Asked the best question",
        "Showed a half-built robot arm",
    ] {
        assert!(shown.body.contains(text), "{text}: {}", shown.body);
    }
    assert!(!shown.body.contains("LATE"), "{}", shown.body);
    assert!(!shown.body.contains("id=\"retro-form\""));
    let invited = &people[0];
    assert!(
        shown.body.contains(&format!(
            "<ul id=\"invite-list\"><li><a href=\"/people/{invited}\">"
        )),
        "{}",
        shown.body
    );
    // The event page keeps it short and links here.
    let event = app.get(&format!("/events/{HELD}"), Some(&cookie));
    assert!(
        event
            .body
            .contains(&format!("href=\"/events/{HELD}/retro\""))
    );
}

fn an_invalid_retro_keeps_what_was_typed(db: TestDb) {
    let app = App::start(db, None);
    let (cookie, _) = app.login("org@x.example");
    let url = format!("/events/{HELD}/retro");
    let page = app.get(&url, Some(&cookie));
    let people = offered(&page.body);
    let csrf = csrf_of(&page.body);
    let mut form = retro_form(&csrf, &people);
    form.retain(|(k, _)| *k != "broke" && *k != "why3");
    form.push(("broke", "   "));
    let r = app.post(&url, Some(&cookie), &form);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("<p class=\"error field\" id=\"broke_error\">A sentence is enough"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains(">Five-minute slots kept the energy up.</textarea>")
    );
    assert!(r.body.contains("value=\"nova@new.example\""));
    assert!(r.body.contains("value=\"new\" selected"));
    assert!(
        r.body
            .contains(&format!("value=\"{}\" selected", people[1]))
    );
    // With the answers given, the missing reason is said at its slot; nobody new was
    // added by the refused tries.
    form.retain(|(k, _)| *k != "broke");
    form.push(("broke", "The projector adapter."));
    let r = app.post(&url, Some(&cookie), &form);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"why3_error\""), "{}", r.body);
    // The same person twice is refused at the second slot.
    let mut twice = retro_form(&csrf, &people);
    twice.retain(|(k, _)| *k != "pick3");
    twice.push(("pick3", &people[1]));
    let r = app.post(&url, Some(&cookie), &twice);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("id=\"pick3_error\">Already picked"),
        "{}",
        r.body
    );
    let found = app
        .block_on(trellis_app::person_page::search(
            &app.store,
            "nova@new.example",
        ))
        .unwrap();
    assert!(found.is_empty(), "a refused retro adds nobody");
}

fn a_late_retro_says_late(db: TestDb) {
    let app = App::start(db, None);
    let (cookie, _) = app.login("org@x.example");
    let url = format!("/events/{HELD}/retro");
    let page = app.get(&url, Some(&cookie));
    assert!(
        page.body.contains("LATE</span> 9 days late"),
        "{}",
        page.body
    );
    let people = offered(&page.body);
    let csrf = csrf_of(&page.body);
    let r = app.post(&url, Some(&cookie), &retro_form(&csrf, &people));
    assert_eq!(r.status, 303, "{}", r.body);
    let shown = app.get(&url, Some(&cookie));
    assert!(shown.body.contains("LATE"), "{}", shown.body);
    assert!(shown.body.contains("so it was written late"));
}

fn viewers_read_and_forms_need_their_token(db: TestDb) {
    let app = App::start(db, None);
    let (viewer, viewer_csrf) = app.login("view@x.example");
    let (cookie, csrf) = app.login("org@x.example");
    let url = format!("/events/{HELD}/retro");
    let page = app.get(&url, Some(&viewer));
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("id=\"retro-form\""), "{}", page.body);
    let people = offered(&app.get(&url, Some(&cookie)).body);
    let r = app.post(&url, Some(&viewer), &retro_form(&viewer_csrf, &people));
    assert_eq!(r.status, 403, "{}", r.body);
    let r = app.post(&url, Some(&cookie), &retro_form("", &people));
    assert_eq!(r.status, 403, "{}", r.body);
    let f = format!("/events/{HELD}/followups");
    let page = app.get(&f, Some(&viewer));
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("Sent as a message"), "{}", page.body);
    let person = first_suggested(&app.get(&f, Some(&cookie)).body);
    let send = |c: &str, token: &str| {
        app.post(
            &f,
            Some(c),
            &[("csrf", token), ("person", &person), ("channel", "message")],
        )
        .status
    };
    assert_eq!(send(&viewer, &viewer_csrf), 403);
    assert_eq!(send(&cookie, "not-the-token"), 403);
    let answer = format!("/events/{HELD}/followups/1/answer");
    let r = app.post(
        &answer,
        Some(&viewer),
        &[("csrf", &viewer_csrf), ("text", "x")],
    );
    assert_eq!(r.status, 403);
    let r = app.post(&answer, Some(&cookie), &[("text", "x")]);
    assert_eq!(r.status, 403);
    assert!(csrf.len() > 8);
}

/// The first person the follow-ups page suggests, by id.
fn first_suggested(body: &str) -> String {
    let i = body.find("id=\"ask-").expect("someone suggested");
    body[i + 8..].split('"').next().unwrap().to_owned()
}

fn marking_sent_counts_and_answers_show(db: TestDb) {
    let app = App::start(db, None);
    let (cookie, csrf) = app.login("org@x.example");
    let url = format!("/events/{HELD}/followups");
    let page = app.get(&url, Some(&cookie));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("6 of 10 asked"), "{}", page.body);
    assert!(page.body.contains("first-timer"), "the reason for each");
    assert!(
        page.body.contains("readonly rows=\"5\">Hi "),
        "a message to copy"
    );
    assert!(page.body.contains("This server sends no e-mail"));
    assert!(!page.body.contains("Send by e-mail"));
    let person = first_suggested(&page.body);
    let r = app.post(
        &url,
        Some(&cookie),
        &[("csrf", &csrf), ("person", &person), ("channel", "message")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = app.get(&url, Some(&cookie));
    assert!(page.body.contains("7 of 10 asked"), "{}", page.body);
    assert!(!page.body.contains(&format!("id=\"ask-{person}\"")));
    // Asked twice: refused, and said.
    let r = app.post(
        &url,
        Some(&cookie),
        &[("csrf", &csrf), ("person", &person), ("channel", "chat")],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("was already asked"), "{}", r.body);
    // A form link: shown once, answered on the public page, then on this page.
    let next = first_suggested(&page.body);
    let r = app.post(
        &url,
        Some(&cookie),
        &[("csrf", &csrf), ("person", &next), ("channel", "form")],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let i = r.body.find("/f/").expect("the form link");
    let link: String = r.body[i..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '<')
        .collect();
    let public = app.get(&link, None);
    assert_eq!(public.status, 200, "{}", public.body);
    let form = csrf_of(&public.body);
    let form_cookie = public.cookies()[0].split(';').next().unwrap().to_owned();
    let ok = app.post(
        &link,
        Some(&form_cookie),
        &[
            ("csrf", &form),
            ("text", "Built a tiny compiler"),
            ("outcome", "built"),
        ],
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    let page = app.get(&url, Some(&cookie));
    assert!(page.body.contains("8 of 10 asked"), "{}", page.body);
    assert!(
        page.body
            .contains("<span class=\"status outcome\">built</span>\n        <blockquote>Built a tiny compiler</blockquote>"),
        "{}",
        page.body
    );
    // An answer that came by message, recorded by the organizer.
    let st = app
        .block_on(trellis_app::followups::status(
            &app.store,
            trellis_core::EventId(HELD),
        ))
        .unwrap();
    let by_message = st
        .followups
        .iter()
        .find(|f| f.person.0.to_string() == person)
        .unwrap();
    let r = app.post(
        &format!("/events/{HELD}/followups/{}/answer", by_message.id),
        Some(&cookie),
        &[
            ("csrf", &csrf),
            ("text", "Shipped the plugin"),
            ("outcome", "shipped"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = app.get(&url, Some(&cookie));
    assert!(
        page.body
            .contains("<blockquote>Shipped the plugin</blockquote>")
    );
    // A coming event has none yet, and says so.
    let coming = app.get("/events/18/followups", Some(&cookie));
    assert_eq!(coming.status, 200);
    assert!(
        coming.body.contains("after the event is held"),
        "{}",
        coming.body
    );
    // A follow-up is answered on its own event's page only.
    let r = app.post(
        &format!("/events/16/followups/{}/answer", by_message.id),
        Some(&cookie),
        &[("csrf", &csrf), ("text", "elsewhere")],
    );
    assert_eq!(r.status, 404, "{}", r.body);
}

/// The SMTP sink of the CLI's mail tests (`crates/trellis/tests/smtp/sink.py`, Debian's
/// python3-aiosmtpd), killed on drop. Runs when TRELLIS_TEST_SMTP=1.
struct Sink {
    child: std::process::Child,
    dir: tempfile::TempDir,
    port: u16,
}

impl Sink {
    fn start() -> Option<Sink> {
        use std::io::BufRead;
        if std::env::var("TRELLIS_TEST_SMTP").map_or(true, |v| v != "1") {
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../trellis/tests/smtp/sink.py");
        let mut child = std::process::Command::new("/usr/bin/python3")
            .arg(script)
            .arg(port.to_string())
            .arg(dir.path())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        Some(Sink { child, dir, port })
    }

    /// Every message received, as text.
    fn messages(&self) -> Vec<String> {
        std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn a_followup_is_mailed_from_its_page(db: TestDb) {
    let Some(sink) = Sink::start() else { return };
    let app = App::start_with_mail(db, &format!("smtp://127.0.0.1:{}", sink.port));
    let (cookie, csrf) = app.login("org@x.example");
    let url = format!("/events/{HELD}/followups");
    let page = app.get(&url, Some(&cookie));
    assert!(page.body.contains("Send by e-mail"), "{}", page.body);
    assert!(!page.body.contains("This server sends no e-mail"));
    let person = first_suggested(&page.body);
    let r = app.post(
        &url,
        Some(&cookie),
        &[("csrf", &csrf), ("person", &person), ("channel", "email")],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("id=\"notice\">Mailed "), "{}", r.body);
    assert!(r.body.contains("7 of 10 asked"), "{}", r.body);
    let mail = sink.messages();
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert!(mail[0].contains("What did you do next?"), "{}", mail[0]);
    assert!(mail[0].contains("/f/"), "the form link: {}", mail[0]);
}

on_both!(
    a_followup_is_mailed_from_its_page,
    retro_is_written_before_it_is_due,
    an_invalid_retro_keeps_what_was_typed,
    a_late_retro_says_late,
    viewers_read_and_forms_need_their_token,
    marking_sent_counts_and_answers_show,
);
