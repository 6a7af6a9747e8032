//! `trellis import`: every example export imports with the expected counts, a re-import
//! changes nothing, a later export updates in place, and bad files say what and where
//! and write nothing.

use crate::support::{Cli, on_both};
use serde_json::Value;

pub fn fixture(name: &str) -> String {
    format!(
        "{}/../trellis-import/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// A program with `n` held events (ids 1..=n in a new database), ready for imports of
/// past evenings; returns their ids.
pub fn held_events(cli: &Cli, n: usize) -> Vec<i64> {
    held_events_of(cli, "Tinkerers Oslo", n)
}

pub fn held_events_of(cli: &Cli, program: &str, n: usize) -> Vec<i64> {
    let ids = events_of(cli, program, n);
    for id in &ids {
        hold(cli, *id);
    }
    ids
}

/// A program with `n` draft events (one a month of 2025); returns their ids.
fn events_of(cli: &Cli, program: &str, n: usize) -> Vec<i64> {
    let p = cli
        .run(&["--json", "program", "add", program, "--tz", "Europe/Oslo"])
        .ok()
        .id()
        .to_string();
    (1..=n)
        .map(|i| {
            cli.run(&[
                "--json",
                "event",
                "new",
                "--program",
                &p,
                "--title",
                &format!("Night {i}"),
                "--at",
                &format!("2025-{:02}-11 18:30", i),
            ])
            .ok()
            .id()
        })
        .collect()
}

/// Announces (past the gates: this is history) and holds event `id`.
fn hold(cli: &Cli, id: i64) {
    let id = id.to_string();
    cli.run(&["event", "announce", &id, "--override", "importing history"])
        .ok();
    cli.run(&["event", "held", &id]).ok();
}

pub fn import(cli: &Cli, platform: &str, file: &str, event: i64) -> Value {
    cli.json(&[
        "import",
        platform,
        &fixture(file),
        "--event",
        &event.to_string(),
    ])
}

/// (rows, people_new, people_matched, added, updated, skipped lines)
type Counts = (u64, u64, u64, u64, u64, Vec<u64>);

fn counts(r: &Value) -> Counts {
    (
        r["rows"].as_u64().unwrap(),
        r["people_new"].as_u64().unwrap(),
        r["people_matched"].as_u64().unwrap(),
        r["added"].as_u64().unwrap(),
        r["updated"].as_u64().unwrap(),
        r["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["line"].as_u64().unwrap())
            .collect(),
    )
}

fn attendance(cli: &Cli, event: i64) -> Vec<(String, String, String)> {
    let people = cli.json(&["person", "list"]);
    let names: std::collections::HashMap<i64, String> = people
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_i64().unwrap(),
                p["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let show = cli.json(&["event", "show", &event.to_string()]);
    let _ = show;
    let mut out = Vec::new();
    for (id, name) in &names {
        let d = cli.json(&["person", "show", &id.to_string()]);
        for a in d["attendances"].as_array().unwrap() {
            if a["event"].as_i64() == Some(event) {
                out.push((
                    name.clone(),
                    a["rsvp"].as_str().unwrap().to_owned(),
                    a["checked_in"].as_str().unwrap().to_owned(),
                ));
            }
        }
    }
    out.sort();
    out
}

fn s3(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.into(), b.into(), c.into())
}

fn every_example_imports_with_its_counts(cli: Cli) {
    held_events(&cli, 7);
    // (platform, file, event, rows, new, matched, added, updated, skipped lines)
    let expected: [(&str, &str, i64, Counts); 9] = [
        ("luma", "luma-guests.csv", 1, (7, 6, 0, 6, 0, vec![])),
        ("luma", "luma-guests-2026.csv", 2, (5, 2, 3, 5, 0, vec![])),
        (
            "eventbrite",
            "eventbrite-attendees.csv",
            3,
            (7, 0, 5, 5, 0, vec![]),
        ),
        (
            "eventbrite",
            "eventbrite-api-attendees.json",
            4,
            (6, 0, 5, 5, 0, vec![]),
        ),
        (
            "meetup",
            "meetup-attendees.csv",
            5,
            (6, 5, 0, 5, 0, vec![7]),
        ),
        (
            "sessionize",
            "sessionize-all.json",
            6,
            (10, 5, 0, 4, 0, vec![98]),
        ),
        // The speakers of event 7 first: four by e-mail (they came to earlier nights);
        // the managed speaker has no e-mail, and a name is not enough: a new person.
        // Ada arrived: an attendance.
        (
            "pretalx",
            "pretalx-speakers.json",
            7,
            (5, 1, 4, 1, 0, vec![]),
        ),
        // Their proposals find them by the codes the speakers list gave them.
        (
            "pretalx",
            "pretalx-submissions.json",
            7,
            (6, 0, 5, 6, 0, vec![]),
        ),
        // The session export of the same proposals: one demo gains its question's answer.
        (
            "pretalx",
            "pretalx-sessions-export.csv",
            7,
            (6, 0, 5, 0, 1, vec![]),
        ),
    ];
    for (platform, file, event, want) in &expected {
        let r = import(&cli, platform, file, *event);
        assert_eq!(&counts(&r), want, "{file}: {r}");
        // Importing the same file again changes nothing.
        let again = import(&cli, platform, file, *event);
        let (rows, new, _, added, updated, skipped) = counts(&again);
        assert_eq!(
            (rows, new, added, updated, skipped),
            (want.0, 0, 0, 0, want.5.clone()),
            "{file} re-imported: {again}"
        );
        assert_eq!(again["answers"], 0, "{file} re-imported: {again}");
    }

    // Luma A: the same Ada under two spellings of one e-mail is one person; check-in
    // was used, so an approved guest without one is a no-show.
    assert_eq!(
        attendance(&cli, 1),
        vec![
            s3("Ada Example", "going", "yes"),
            s3("Chen Wei 陈伟", "waitlist", "no"),
            s3("Grace Sample", "waitlist", "no"),
            s3("José Müller-Østergaard", "going", "no"),
            s3("Linus Placeholder", "declined", "no"),
            s3("newcomer@example.net", "invited", "no"),
        ]
    );
    // Eventbrite: two tickets of Grace's order and Ada's second order count once.
    assert_eq!(
        attendance(&cli, 3),
        vec![
            s3("Ada Example", "going", "yes"),
            s3("Chen Wei 陈伟", "going", "no"),
            s3("Grace Sample", "going", "no"),
            s3("José Müller-Østergaard", "going", "no"),
            s3("Linus Placeholder", "declined", "no"),
        ]
    );
    // Meetup: no e-mail, so its members are people of their own (matched by member id
    // on the next import), never merged with Ada on her name.
    let m = attendance(&cli, 5);
    assert_eq!(m.len(), 5);
    assert!(
        m.contains(&s3("José Müller-Østergaard", "going", "yes")),
        "{m:?}"
    );
    assert!(m.contains(&s3("陈伟", "waitlist", "no")), "{m:?}");

    // Demos carry their platform state mapped onto Trellis's.
    let demos = cli.json(&["demo", "list", "--event", "7"]);
    let states: Vec<(&str, &str)> = demos
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["title"].as_str().unwrap(), d["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        states,
        vec![
            ("Diffing LLM eval runs from the terminal", "confirmed"),
            ("Rust bindings for a vector DB", "screened"),
            ("Voice agent for field technicians", "proposed"),
            ("Yet another chatbot wrapper", "rejected"),
            ("Agents that file expense reports", "withdrawn"),
            ("Ada's second demo", "withdrawn"),
        ]
    );
    let sz = cli.json(&["demo", "list", "--event", "6"]);
    assert_eq!(sz[1]["presenters"].as_array().unwrap().len(), 2);
    assert_eq!(sz[0]["status"], "confirmed");

    // Every import is recorded, with its file's hash.
    let list = cli.json(&["imports"]);
    assert_eq!(list.as_array().unwrap().len(), 18);
    assert_eq!(
        list[0]["sha256"],
        "a7890a64e293c77d7e89b6fd1a8ea2e8a1a300a26ece6f260db5d188527a53b9"
    );
    assert_eq!(
        cli.json(&["imports", "--event", "7"])
            .as_array()
            .unwrap()
            .len(),
        6
    );
}

fn a_later_export_updates_in_place(cli: Cli) {
    held_events(&cli, 1);
    let dir = tempfile::tempdir().unwrap();
    let before = dir.path().join("before.csv");
    let after = dir.path().join("after.csv");
    let head = "guest_id,name,email,approval_status,checked_in_at,Why?\n";
    std::fs::write(
        &before,
        format!(
            "{head}gst-1,Ada,ada@example.com,approved,,evals\n\
             gst-2,Bob,bob@example.com,approved,,\n\
             gst-3,Cy,cy@example.com,waitlist,,\n"
        ),
    )
    .unwrap();
    let r = cli.json(&["import", "luma", before.to_str().unwrap(), "--event", "1"]);
    assert_eq!(counts(&r), (3, 3, 0, 3, 0, vec![]));
    // Before the night nobody is checked in: that says nothing about who came.
    assert_eq!(
        attendance(&cli, 1),
        vec![
            s3("Ada", "going", "unknown"),
            s3("Bob", "going", "unknown"),
            s3("Cy", "waitlist", "unknown")
        ]
    );
    // After the night: Ada checked in, Bob cancelled, Dee registered, Cy unchanged
    // but now a no-show, since the door used check-in.
    std::fs::write(
        &after,
        format!(
            "{head}gst-1,Ada,ADA@example.com,approved,2025-01-11T18:40:00Z,evals v2\n\
             gst-2,Bob,bob@example.com,declined,,\n\
             gst-3,Cy,cy@example.com,waitlist,,\n\
             gst-4,Dee,dee@example.com,approved,2025-01-11T18:45:00Z,\n"
        ),
    )
    .unwrap();
    let r = cli.json(&["import", "luma", after.to_str().unwrap(), "--event", "1"]);
    assert_eq!(counts(&r), (4, 1, 3, 1, 3, vec![]), "{r}");
    assert_eq!(r["answers"], 1, "Ada's changed answer: {r}");
    assert_eq!(
        attendance(&cli, 1),
        vec![
            s3("Ada", "going", "yes"),
            s3("Bob", "declined", "no"),
            s3("Cy", "waitlist", "no"),
            s3("Dee", "going", "yes")
        ]
    );
    // An older export does not undo a check-in.
    let r = cli.json(&["import", "luma", before.to_str().unwrap(), "--event", "1"]);
    assert!(
        attendance(&cli, 1).contains(&s3("Ada", "going", "yes")),
        "{r}"
    );
}

fn dry_run_and_bad_files_write_nothing(cli: Cli) {
    held_events(&cli, 1);
    let r = cli.json(&[
        "import",
        "luma",
        &fixture("luma-guests.csv"),
        "--event",
        "1",
        "--dry-run",
    ]);
    assert_eq!(r["dry_run"], true);
    assert_eq!(r["people_new"], 6);
    assert_eq!(r["import"], Value::Null);
    assert!(cli.json(&["person", "list"]).as_array().unwrap().is_empty());
    assert!(cli.json(&["imports"]).as_array().unwrap().is_empty());

    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_string_lossy().into_owned()
    };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["luma".into(), fixture("meetup-attendees.csv")],
            "not a luma export",
        ),
        (
            vec![
                "luma".into(),
                write(
                    "nomail.csv",
                    b"api_id,name,approval_status\ngst-1,Ada,approved\n",
                ),
            ],
            "nomail.csv:1: the luma guest CSV needs a column \"email\"",
        ),
        (
            vec!["auto".into(), write("pic.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")],
            "pic.png: is not a text file",
        ),
        (vec!["auto".into(), write("empty.csv", b"")], "empty.csv: the file is empty"),
        (
            vec!["meetup".into(), write("x.json", b"{\"a\": 1}")],
            "meetup exports are CSV",
        ),
        (
            vec!["auto".into(), dir.path().join("missing.csv").to_string_lossy().into_owned()],
            "missing.csv: no such file",
        ),
        (
            vec![
                "auto".into(),
                write(
                    "cut.json",
                    b"{\"pagination\": {}, \"attendees\": [\n {\"status\": \"Attending\", \"profile\": {\"email\": \"a@example.com\"}},\n {\"status\": ",
                ),
            ],
            "cut.json:3:",
        ),
        (
            vec![
                "luma".into(),
                write(
                    "twice.csv",
                    b"api_id,name,email,approval_status,email
gst-1,Ada,ada@example.com,approved,eve@example.com
",
                ),
            ],
            "twice.csv:1: the header has the column \"email\" twice",
        ),
        (
            vec![
                "luma".into(),
                write(
                    "allbad.csv",
                    b"api_id,name,email,approval_status,checked_in_at
gst-1,Ada,ada@example.com,approved,yesterday-ish
gst-2,Bo,,approved,
",
                ),
            ],
            "allbad.csv: no row could be read (all 2 rows were skipped: line 2: checked_in_at \"yesterday-ish\" is not a time",
        ),
        (
            vec![
                "luma".into(),
                write("header.csv", b"api_id,name,email,approval_status\n"),
            ],
            "header.csv: no row could be read (the file has a header and no rows); nothing was imported",
        ),
    ];
    for (args, want) in cases {
        let mut all = vec!["import"];
        all.extend(args.iter().map(String::as_str));
        all.extend(["--event", "1"]);
        let r = cli.run(&all).fails(1);
        assert!(r.stderr.contains(want), "{all:?}: {}", r.stderr);
    }
    // A half-read JSON file (its first attendee was fine) imported nothing.
    assert!(cli.json(&["person", "list"]).as_array().unwrap().is_empty());
    assert!(cli.json(&["imports"]).as_array().unwrap().is_empty());

    // A malformed row is skipped with its line; the rest imports.
    let bad_row = write(
        "rows.csv",
        b"api_id,name,email,approval_status,checked_in_at\n\
          gst-1,Ada,ada@example.com,approved,\n\
          gst-2,Bob,bob@example.com\n\
          gst-3,Cy,not-an-address,approved,\n\
          gst-4,Di,di@example.com,sold_out,\n",
    );
    let r = cli.json(&["import", "luma", &bad_row, "--event", "1"]);
    assert_eq!(counts(&r), (4, 1, 0, 1, 0, vec![3, 4, 5]), "{r}");
    assert!(
        r["skipped"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("\"not-an-address\" is not an e-mail address")
    );

    // Usage: no platform at all, or two that disagree (exit 2).
    cli.run(&["import", &bad_row, "--event", "1"]).fails(2);
    cli.run(&[
        "import", "luma", &bad_row, "--event", "1", "--format", "meetup",
    ])
    .fails(2);
    // Into an event that does not exist: nothing.
    cli.run(&["import", "luma", &bad_row, "--event", "9"])
        .fails(1);
    // --format auto says what it chose.
    let r = cli.json(&[
        "import",
        &fixture("luma-guests.csv"),
        "--format",
        "auto",
        "--event",
        "1",
        "--dry-run",
    ]);
    assert_eq!(r["platform"], "luma");
    assert!(
        r["chosen_because"]
            .as_str()
            .unwrap()
            .contains("approval_status")
    );
    // A semicolon-separated file (Excel in much of Europe) is read, and the report says so.
    let semi = write(
        "semi.csv",
        b"api_id;name;email;approval_status;checked_in_at
gst-9;Zed;zed@example.com;approved;2025-01-11T18:40:00.000Z
",
    );
    let r = cli.json(&["import", "luma", &semi, "--event", "1", "--dry-run"]);
    assert_eq!(r["people_new"], 1, "{r}");
    assert!(
        r["chosen_because"]
            .as_str()
            .unwrap()
            .contains("fields separated by semicolons"),
        "{r}"
    );
    let text = cli
        .run(&["import", "luma", &semi, "--event", "1", "--dry-run"])
        .ok()
        .stdout;
    assert!(text.contains("fields separated by semicolons"), "{text}");
}

fn check_ins_need_an_event_that_happened(cli: Cli) {
    cli.run(&["program", "add", "P", "--tz", "Europe/Oslo"])
        .ok();
    cli.run(&[
        "event",
        "new",
        "--program",
        "1",
        "--title",
        "Soon",
        "--at",
        "2026-12-10 18:30",
    ])
    .ok();
    let r = cli
        .run(&[
            "import",
            "luma",
            &fixture("luma-guests.csv"),
            "--event",
            "1",
        ])
        .fails(1);
    assert!(r.stderr.contains("draft"), "{}", r.stderr);
    assert!(cli.json(&["person", "list"]).as_array().unwrap().is_empty());
    // A pre-event export without check-ins is fine.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pre.csv");
    std::fs::write(
        &p,
        "api_id,name,email,approval_status,checked_in_at\ngst-1,Ada,ada@example.com,approved,\n",
    )
    .unwrap();
    let r = cli.json(&["import", "luma", p.to_str().unwrap(), "--event", "1"]);
    assert_eq!(r["added"], 1);
}

/// Issue 19, point 5: an event's public Sessionize feed has no `status`; its sessions
/// are demos that were confirmed before the event and presented once it is held, and the
/// report counts demos, not attendances.
fn a_public_sessionize_feed_imports_its_demos(cli: Cli) {
    let e = events_of(&cli, "Tinkerers Bergen", 1)[0];
    let states = |cli: &Cli| -> Vec<String> {
        cli.json(&["demo", "list", "--event", &e.to_string()])
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["status"].as_str().unwrap().to_owned())
            .collect()
    };
    let r = import(&cli, "sessionize", "sessionize-public-all.json", e);
    assert_eq!(r["kind"], "demos", "{r}");
    assert_eq!(
        (r["added"].as_u64(), r["skipped"].as_array().map(Vec::len)),
        (Some(2), Some(1)),
        "{r}"
    );
    assert_eq!(states(&cli), ["confirmed", "confirmed"]);
    // Once the event is held, the same feed (here its "Sessions" view) says they were
    // presented.
    hold(&cli, e);
    let r = import(&cli, "sessionize", "sessionize-public-sessions.json", e);
    assert_eq!(r["kind"], "demos", "{r}");
    assert_eq!(
        (r["added"].as_u64(), r["updated"].as_u64()),
        (Some(0), Some(2)),
        "{r}"
    );
    assert_eq!(states(&cli), ["presented", "presented"]);
}

on_both!(
    a_public_sessionize_feed_imports_its_demos,
    every_example_imports_with_its_counts,
    a_later_export_updates_in_place,
    dry_run_and_bad_files_write_nothing,
    check_ins_need_an_event_that_happened,
);
