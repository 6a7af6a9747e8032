//! `trellis export` / `trellis restore`: the whole database as one JSON document that
//! restores exactly, from SQLite into PostgreSQL and back.

use crate::import::{held_events, held_events_of, import};
use crate::support::{Cli, command, on_both};
use trellis_testkit::TestDb;

/// A database with something in every kind of table: the sample (cycle, reviews,
/// check-ins with floats), imports with answers and demos, a merge, a forgotten person.
fn fill(cli: &Cli) {
    cli.run(&["sample"]).ok();
    let e = held_events_of(cli, "Imports", 1)[0];
    import(cli, "luma", "luma-guests.csv", e);
    import(cli, "meetup", "meetup-attendees.csv", e);
    import(cli, "sessionize", "sessionize-all.json", e);
    let people = cli.json(&["person", "list"]);
    let n = people.as_array().unwrap().len();
    let last = people[n - 1]["id"].as_i64().unwrap();
    cli.run(&[
        "person",
        "merge",
        &(last - 1).to_string(),
        &last.to_string(),
    ])
    .ok();
    cli.run(&["person", "forget", "3"]).ok();
}

fn export(db: &str) -> String {
    let out = command(db).args(["export"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn restore(db: &str, doc: &str) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("dump.json");
    std::fs::write(&p, doc).unwrap();
    let out = command(db)
        .args(["--json", "restore", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn round_trip(cli: Cli) {
    fill(&cli);
    let doc = export(&cli.db.url);
    let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
    let tables = v["tables"].as_array().unwrap();
    for t in tables {
        let rows = t["rows"].as_array().unwrap();
        if [
            "programs",
            "people",
            "attendances",
            "person_answers",
            "imports",
            "person_merges",
            "organizer_checkins",
            "demo_external_ids",
        ]
        .contains(&t["name"].as_str().unwrap())
        {
            assert!(!rows.is_empty(), "{} is empty", t["name"]);
        }
    }
    // Into a fresh database of each backend, and out again: the same bytes.
    let mut targets = vec![TestDb::sqlite()];
    targets.extend(TestDb::postgres());
    for target in &targets {
        restore(&target.url, &doc);
        assert_eq!(export(&target.url), doc, "restored into {}", target.url);
        // The restored database works: identity sequences continue past the rows.
        command(&target.url)
            .args(["person", "add", "--name", "After Restore"])
            .assert()
            .success();
        // And it is not restored twice.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.json");
        std::fs::write(&p, &doc).unwrap();
        let out = command(&target.url)
            .args(["restore", p.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("holds data already"));
    }
}

fn bad_documents_restore_nothing(cli: Cli) {
    held_events(&cli, 1);
    let doc = export(&cli.db.url);
    let target = TestDb::sqlite();
    let cut = &doc[..doc.len() * 2 / 3];
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("cut.json");
    std::fs::write(&p, cut).unwrap();
    let out = command(&target.url)
        .args(["restore", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cut.json:"), "{err}");
    // Nothing half-written: the target is still empty, so a good restore works.
    restore(&target.url, &doc);
    assert_eq!(export(&target.url), doc);
}

/// `export --csv DIR`: a file per table with the JSON export's rows, read back by a CSV
/// reader; no secret; times as UTC; a folder that is not empty is refused.
fn csv_files_hold_what_the_json_export_holds(cli: Cli) {
    fill(&cli);
    let doc: serde_json::Value = serde_json::from_str(&export(&cli.db.url)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sheets");
    let r = cli.json(&["export", "--csv", out.to_str().unwrap()]);
    for t in doc["tables"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        let file = out.join(format!("{name}.csv"));
        if name == "web_sessions" {
            assert!(!file.exists(), "sessions are left out");
            continue;
        }
        let mut reader = csv::Reader::from_path(&file).unwrap();
        let headers = reader.headers().unwrap().clone();
        assert!(
            !headers
                .iter()
                .any(|h| ["password_hash", "token_hash", "token", "csrf"].contains(&h)),
            "{name}: {headers:?}"
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), t["rows"].as_array().unwrap().len(), "{name}");
        assert_eq!(r["tables"][name], rows.len(), "{name}: {r}");
    }
    let mut events = csv::Reader::from_path(out.join("events.csv")).unwrap();
    let at = events
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "starts_at");
    let first = events.records().next().unwrap().unwrap();
    let starts = &first[at.expect("starts_at, not starts_at_us")];
    assert!(starts.ends_with('Z') && starts.contains('T'), "{starts}");
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(readme.contains("## events.csv"), "{readme}");

    let again = cli
        .run(&["export", "--csv", out.to_str().unwrap()])
        .fails(1);
    assert!(again.stderr.contains("is not empty"), "{}", again.stderr);
}

on_both!(
    round_trip,
    bad_documents_restore_nothing,
    csv_files_hold_what_the_json_export_holds
);
