//! Listening over HTTP (issue 16, point 8): an event's discussion report with its chart,
//! the channels and their import history, and a chat export uploaded in the browser —
//! streamed to disk, imported in the background, its progress on a page that reloads
//! itself. Viewers cannot upload, CSRF is needed, an oversize file and a bad one say why.

use crate::client::{App, Reply, multipart, request};
use trellis_testkit::TestDb;

const HELD: i64 = 17;

/// A WhatsApp export of the week after event 17 (2026-11-12 18:30 Berlin) and a quiet
/// month before it.
pub(crate) const WHATSAPP: &str = "\
10/10/2026, 12:00 - Old Timer: lunch friday?
20/10/2026, 12:00 - Old Timer: anyone around?
12/11/2026, 21:00 - Ana Upload: great demo night, thanks!
12/11/2026, 21:05 - Ben Upload: the demos were amazing
13/11/2026, 09:00 - Cem Upload: loved the talks
13/11/2026, 10:00 - Dee Upload: the demo was awful, too loud
20/11/2026, 10:00 - Old Timer: lunch friday?
";

pub(crate) fn upload(
    app: &App,
    cookie: &str,
    fields: &[(&str, &str)],
    file: (&str, &str),
) -> Reply {
    let (body, ty) = multipart(fields, ("file", file.0, file.1));
    request(
        app.addr,
        "POST",
        "/channels",
        &[("Cookie", cookie), ("Content-Type", &ty)],
        &body,
    )
}

/// Follows an upload's progress page until its import ends; the last page.
fn finished(app: &App, cookie: &str, location: &str) -> Reply {
    for _ in 0..200 {
        let page = app.get(location, Some(cookie));
        assert_eq!(page.status, 200, "{}", page.body);
        if !page.body.contains("http-equiv=\"refresh\"") {
            return page;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the import of {location} never ended");
}

fn the_listening_page_shows_the_whole_report(db: TestDb) {
    let app = App::start(db, None);
    let (viewer, _) = app.login("view@x.example");
    let empty = app.get(&format!("/events/{HELD}/listen"), Some(&viewer));
    assert_eq!(empty.status, 200, "{}", empty.body);
    assert!(
        empty.body.contains("No community chat imported"),
        "{}",
        empty.body
    );
    let ctx = trellis_store::Ctx::new("test", crate::client::now());
    app.block_on(app.store.import_chat(
        &ctx,
        trellis_core::ProgramId(1),
        "community",
        "whatsapp",
        &crate::client::chat_lines(),
    ))
    .unwrap();
    let page = app.get(&format!("/events/{HELD}/listen"), Some(&viewer));
    assert_eq!(page.status, 200, "{}", page.body);
    for part in [
        "id=\"daily\"",
        "<desc>35 days from",
        "Messages per day around the event, against the baseline",
        "people wrote in the window",
        "Matched on:",
        "Tone of those messages",
        "<meter",
        "The most negative messages, to read",
        "class=\"verdict mixed\"",
        // Chat text is shown as text.
        "the demo was &#60;b&#62;awful&#60;/b&#62;",
    ] {
        assert!(page.body.contains(part), "{part}: {}", page.body);
    }
    assert!(!page.body.contains("<b>awful</b>"));
    // A viewer reads; only organizers record it.
    assert!(!page.body.contains("I read it"));
    // The event page links to it.
    let event = app.get(&format!("/events/{HELD}"), Some(&viewer));
    assert!(
        event
            .body
            .contains(&format!("href=\"/events/{HELD}/listen\""))
    );
    assert_eq!(app.get("/events/9999/listen", Some(&viewer)).status, 404);
    assert_eq!(
        app.get(&format!("/events/{HELD}/listen?days=0"), Some(&viewer))
            .status,
        422
    );
}

fn an_upload_is_imported_in_the_background(db: TestDb) {
    let app = App::start(db, None);
    let (viewer, vcsrf) = app.login("view@x.example");
    let (cookie, csrf) = app.login("org@x.example");
    let fields = |c: &str| -> Vec<(String, String)> {
        vec![
            ("csrf".into(), c.into()),
            ("program".into(), "1".into()),
            ("channel".into(), "community".into()),
            ("format".into(), "auto".into()),
        ]
    };
    let send = |who: &str, f: Vec<(String, String)>, file: (&str, &str)| {
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        upload(&app, who, &f, file)
    };
    assert_eq!(app.get("/channels", Some(&viewer)).status, 200);
    assert!(
        !app.get("/channels", Some(&viewer))
            .body
            .contains("id=\"chat-file\"")
    );
    // Viewers cannot upload; an upload without the page's token is refused.
    assert_eq!(
        send(&viewer, fields(&vcsrf), ("chat.txt", WHATSAPP)).status,
        403
    );
    assert_eq!(
        send(&cookie, fields(""), ("chat.txt", WHATSAPP)).status,
        403,
        "CSRF"
    );
    assert_eq!(
        send(&cookie, fields("wrong"), ("chat.txt", WHATSAPP)).status,
        403
    );
    assert!(
        app.block_on(app.store.chat_uploads(None, 10))
            .unwrap()
            .is_empty()
    );

    let r = send(
        &cookie,
        fields(&csrf),
        ("WhatsApp Chat with Demo Night.txt", WHATSAPP),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let location = r.header("location").unwrap().to_owned();
    assert!(location.starts_with("/channels/uploads/"), "{location}");
    let done = finished(&app, &cookie, &location);
    assert!(
        done.body.contains("7 messages read: 7 new"),
        "{}",
        done.body
    );
    assert!(
        done.body
            .contains(&format!("href=\"/events/{HELD}/listen\"")),
        "{}",
        done.body
    );
    // The channel and its history; a second server (or a reload) reads the same row.
    let channels = app.get("/channels", Some(&viewer));
    assert!(channels.body.contains("community"), "{}", channels.body);
    assert!(channels.body.contains("WhatsApp Chat with Demo Night.txt"));
    let report = app.get(&format!("/events/{HELD}/listen"), Some(&viewer));
    assert!(
        report.body.contains("the demo was awful, too loud"),
        "{}",
        report.body
    );

    // The same export again adds nothing.
    let again = send(&cookie, fields(&csrf), ("chat.txt", WHATSAPP));
    let again = finished(&app, &cookie, again.header("location").unwrap());
    assert!(
        again
            .body
            .contains("7 messages read: 0 new, 7 already stored"),
        "{}",
        again.body
    );
}

fn a_bad_or_oversize_file_says_why(db: TestDb) {
    let app = App::start(db, None);
    let (cookie, csrf) = app.login("org@x.example");
    let fields = [("csrf", csrf.as_str()), ("program", "1")];
    // Not a chat export: the import fails and says what and where, naming the file.
    let r = upload(
        &app,
        &cookie,
        &fields,
        ("notes.txt", "hello there\njust text\n"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let failed = finished(&app, &cookie, r.header("location").unwrap());
    assert!(failed.body.contains("Not imported"), "{}", failed.body);
    assert!(
        failed
            .body
            .contains("notes.txt: cannot tell which export this is")
            && failed.body.contains("line 1"),
        "{}",
        failed.body
    );
    assert!(
        !failed.body.contains("--format"),
        "no command line: {}",
        failed.body
    );
    assert!(
        !failed.body.contains("trellis-chat-uploads"),
        "never the file on disk"
    );
    let history = app.get("/channels", Some(&cookie));
    assert!(
        history.body.contains("failed, nothing was stored"),
        "{}",
        history.body
    );
    assert!(
        app.block_on(app.store.chat_channels(None))
            .unwrap()
            .is_empty()
    );

    // Empty, no program: the form again, at 422.
    let r = upload(&app, &cookie, &fields, ("empty.txt", ""));
    assert_eq!(r.status, 422);
    assert!(r.body.contains("the upload was empty"), "{}", r.body);

    // Past the limit: refused with the limit in words, nothing kept.
    let big = "x".repeat((64 << 20) + 10);
    let r = upload(&app, &cookie, &fields, ("huge.txt", &big));
    assert_eq!(r.status, 413, "{}", r.body);
    assert!(r.body.contains("larger than 64 MiB"), "{}", r.body);
    assert_eq!(
        app.block_on(app.store.chat_uploads(None, 10))
            .unwrap()
            .len(),
        1
    );

    // An import whose server stopped mid-way stays "running" in its row: after an hour
    // its page stops reloading and says what happened.
    app.sql(
        "INSERT INTO chat_imports (program_id, file_name, bytes, created_by, created_at_us) \
         VALUES (1, 'lost.txt', 10, 'Olga Organizer', 0)",
    );
    let lost = app.block_on(app.store.chat_uploads(None, 1)).unwrap()[0].id;
    let page = app.get(&format!("/channels/uploads/{lost}"), Some(&cookie));
    assert!(
        page.body.contains("stopped without an end"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("http-equiv=\"refresh\""));
}

on_both!(
    the_listening_page_shows_the_whole_report,
    an_upload_is_imported_in_the_background,
    a_bad_or_oversize_file_says_why,
);
