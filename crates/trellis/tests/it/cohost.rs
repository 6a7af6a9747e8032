//! Co-hosted events (issue 20, point 5): `event new --cohost`, `event edit --cohost |
//! --no-cohost`. A co-hosted event and its attendees count in both programs' metrics and
//! once org-wide; bad co-hosts are refused in words and write nothing.

use crate::support::{Cli, command, on_both};
use serde_json::Value;

/// Lisbon hosts "Joint Nov", co-hosted by Porto; Porto held "Porto Oct" alone before.
/// Ana came to both, Rui to the joint evening only. Returns the joint event's id.
fn two_chapters(cli: &Cli) -> String {
    for name in ["Lisbon", "Porto", "Braga"] {
        cli.run(&["program", "add", name, "--tz", "Europe/Lisbon"])
            .ok();
    }
    let held = |program: &str, title: &str, at: &str, extra: &[&str]| {
        let mut args = vec![
            "--json",
            "event",
            "new",
            "--program",
            program,
            "--title",
            title,
            "--at",
            at,
            "--backfill",
        ];
        args.extend_from_slice(extra);
        cli.run(&args).ok().id().to_string()
    };
    let alone = held("Porto", "Porto Oct", "2026-10-10 19:00", &[]);
    let joint = held(
        "Lisbon",
        "Joint Nov",
        "2026-11-10 19:00",
        &["--cohost", "Porto"],
    );
    let (ana, rui) = (cli.person("Ana").to_string(), cli.person("Rui").to_string());
    for (event, person) in [(&alone, &ana), (&joint, &ana), (&joint, &rui)] {
        cli.run(&["attend", event, person, "--rsvp", "going", "--checked-in"])
            .ok();
    }
    joint
}

/// The per-event rows of a metrics report's returning-builder figure: (event, attended).
fn rooms(report: &Value) -> Vec<(i64, i64)> {
    report["returning_builder_rate"]["per_event"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["event"].as_i64().unwrap(),
                e["attended"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn a_cohosted_event_counts_in_both_programs_and_once_org_wide(cli: Cli) {
    let joint: i64 = two_chapters(&cli).parse().unwrap();
    let shown = cli.json(&["event", "show", &joint.to_string()]);
    assert_eq!(shown["cohost"], "Porto", "{shown}");
    assert_eq!(shown["cohost_program_id"], 2);
    assert_eq!(shown["program"], "Lisbon");
    let text = cli.run(&["event", "show", &joint.to_string()]).ok().stdout;
    assert!(text.contains("co-host     Porto (2)"), "{text}");

    // Each program's metrics hold the joint evening; org-wide it is one room of two.
    let lisbon = cli.json(&["metrics", "--program", "Lisbon"]);
    assert_eq!(rooms(&lisbon), [(joint, 2)], "{lisbon}");
    let porto = cli.json(&["metrics", "--program", "Porto"]);
    assert_eq!(rooms(&porto), [(1, 1), (joint, 2)], "{porto}");
    let org = cli.json(&["metrics"]);
    assert_eq!(rooms(&org), [(1, 1), (joint, 2)], "{org}");
    assert_eq!(org["time_to_ship"]["events"], 2, "counted once: {org}");
    // Ana is back at the joint evening for Porto (and org-wide), not for Lisbon.
    assert_eq!(lisbon["returning_builder_rate"]["value"], 0.0);
    let third = 1.0 / 3.0;
    assert_eq!(porto["returning_builder_rate"]["value"], third);
    assert_eq!(org["returning_builder_rate"]["value"], third);

    let rows = cli.json(&["metrics", "--by-program"]);
    let by: Vec<(&str, &Value)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["name"].as_str().unwrap(), &r["returning"]))
        .collect();
    assert_eq!(
        by,
        [
            ("Lisbon", &Value::from(0.0)),
            ("Porto", &Value::from(third)),
            ("Braga", &Value::Null)
        ]
    );

    // Both programs list it; the third does not.
    let porto_events = cli.json(&["event", "list", "--program", "Porto"]);
    let ids: Vec<i64> = porto_events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [1, joint]);
    assert_eq!(
        cli.json(&["event", "list", "--program", "Braga"]),
        Value::Array(vec![])
    );
    let table = cli
        .run(&["event", "list", "--program", "Porto"])
        .ok()
        .stdout;
    assert!(table.contains("Joint Nov (Lisbon with Porto)"), "{table}");

    // Taken away, it counts for its host only.
    let edited = cli.json(&["event", "edit", &joint.to_string(), "--no-cohost"]);
    assert_eq!(edited["cohost"], Value::Null, "{edited}");
    let porto = cli.json(&["metrics", "--program", "Porto"]);
    assert_eq!(rooms(&porto), [(1, 1)], "{porto}");
    let edited = cli.json(&["event", "edit", &joint.to_string(), "--cohost", "Braga"]);
    assert_eq!(edited["cohost"], "Braga", "{edited}");
    assert_eq!(
        rooms(&cli.json(&["metrics", "--program", "Braga"])),
        [(joint, 2)]
    );
}

fn bad_cohosts_are_refused_and_write_nothing(cli: Cli) {
    let joint = two_chapters(&cli);
    let before = cli.json(&["event", "list"]);
    let new = |cohost: &str| {
        cli.run(&[
            "event",
            "new",
            "--program",
            "Lisbon",
            "--title",
            "Dec",
            "--at",
            "2026-12-10 19:00",
            "--override",
            "no retro yet",
            "--cohost",
            cohost,
        ])
    };
    let own = new("Lisbon").fails(1);
    assert!(
        own.stderr
            .contains("is the event's own program: a co-host is another program"),
        "{}",
        own.stderr
    );
    let unknown = new("Nowhere").fails(1);
    assert!(
        unknown
            .stderr
            .contains("program \"Nowhere\" does not exist"),
        "{}",
        unknown.stderr
    );
    let own = cli
        .run(&["event", "edit", &joint, "--cohost", "1"])
        .fails(1);
    assert!(own.stderr.contains("own program"), "{}", own.stderr);
    cli.run(&["event", "edit", &joint, "--cohost", "99"])
        .fails(1);
    cli.run(&["event", "edit", &joint, "--cohost", "Braga", "--no-cohost"])
        .fails(2);
    assert_eq!(cli.json(&["event", "list"]), before, "nothing was written");
}

/// `export` carries the co-host, and `restore` brings it back with the same figures.
fn the_cohost_survives_export_and_restore(cli: Cli) {
    let joint = two_chapters(&cli);
    let out = command(&cli.db.url).arg("export").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("dump.json");
    std::fs::write(&doc, &out.stdout).unwrap();
    let copy = Cli::new(trellis_testkit::TestDb::sqlite());
    copy.run(&["restore", doc.to_str().unwrap()]).ok();
    let shown = copy.json(&["event", "show", &joint]);
    assert_eq!(shown["cohost"], "Porto", "{shown}");
    for program in ["Lisbon", "Porto"] {
        let args = ["metrics", "--program", program];
        assert_eq!(copy.json(&args), cli.json(&args), "{program}");
    }
}

on_both!(
    a_cohosted_event_counts_in_both_programs_and_once_org_wide,
    bad_cohosts_are_refused_and_write_nothing,
    the_cohost_survives_export_and_restore,
);
