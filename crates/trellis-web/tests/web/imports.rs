//! Imports in the browser's HTTP (issue 15, point 5): upload, the dry run's report with
//! nothing written, confirm; a refused file writes nothing and says why; the past imports
//! with who, when and SHA-256. A viewer is refused, CSRF is needed.

use crate::client::{App, multipart, request};
use trellis_testkit::TestDb;

const LUMA: &str = "api_id,name,email,approval_status,checked_in_at\n\
gst-1,Ada Upload,ada.upload@example.com,approved,2026-11-12T17:40:00Z\n\
gst-2,Bob Upload,bob.upload@example.com,approved,\n\
gst-3,No Mail,,approved,\n";

fn upload(app: &App, cookie: &str, fields: &[(&str, &str)], csv: &str) -> crate::client::Reply {
    let (body, ty) = multipart(fields, ("file", "guests.csv", csv));
    request(
        app.addr,
        "POST",
        "/imports",
        &[("Cookie", cookie), ("Content-Type", &ty)],
        &body,
    )
}

fn an_upload_is_checked_then_imported(db: TestDb) {
    let app = App::start(db, None);
    let (viewer, vcsrf) = app.login("view@x.example");
    let (cookie, csrf) = app.login("org@x.example");
    assert_eq!(app.get("/imports", Some(&viewer)).status, 200);
    fn fields(c: &str) -> [(&str, &str); 3] {
        [("csrf", c), ("event", "17"), ("platform", "luma")]
    }
    let (vc, oc) = (vcsrf.as_str(), csrf.as_str());
    assert_eq!(upload(&app, &viewer, &fields(vc), LUMA).status, 403);
    assert_eq!(upload(&app, &cookie, &fields(""), LUMA).status, 403, "CSRF");
    let before = app.block_on(app.store.imports(None)).unwrap().len();
    let r = upload(&app, &cookie, &fields(oc), LUMA);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("Dry run: nothing is written yet") && r.body.contains("3 rows read"),
        "{}",
        r.body
    );
    assert_eq!(
        app.block_on(app.store.imports(None)).unwrap().len(),
        before,
        "a dry run"
    );
    let token = r
        .body
        .split("name=\"upload\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let confirm = [
        ("csrf", oc),
        ("upload", token.as_str()),
        ("file", "guests.csv"),
    ];
    assert_eq!(
        app.post("/imports/confirm", Some(&cookie), &confirm[1..])
            .status,
        403
    );
    let r = app.post("/imports/confirm", Some(&cookie), &confirm);
    assert_eq!(r.status, 303, "{}", r.body);
    let past = app.block_on(app.store.imports(None)).unwrap();
    assert_eq!(past.len(), before + 1);
    let page = app.get("/imports", Some(&cookie));
    assert!(
        page.body.contains("guests.csv") && page.body.contains(&past[0].sha256[..16])
            || page.body.contains(&past.last().unwrap().sha256[..16]),
        "{}",
        page.body
    );
    // The same upload cannot be imported twice.
    let again = app.post("/imports/confirm", Some(&cookie), &confirm);
    assert_eq!(again.status, 422);
    assert!(again.body.contains("already imported or has expired"));
    // A file of nothing readable: refused, with why, and nothing recorded.
    let r = upload(&app, &cookie, &fields(oc), "what,is,this\n1,2,3\n");
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("The file was refused, nothing was written"),
        "{}",
        r.body
    );
    assert_eq!(
        app.block_on(app.store.imports(None)).unwrap().len(),
        before + 1
    );
    // A forged upload name goes nowhere.
    let forged = [
        ("csrf", oc),
        ("upload", "../../etc/passwd:17:luma"),
        ("file", "x"),
    ];
    assert_eq!(
        app.post("/imports/confirm", Some(&cookie), &forged).status,
        404
    );
}

on_both!(an_upload_is_checked_then_imported);
