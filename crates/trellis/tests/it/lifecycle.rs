//! The event lifecycle and attendance through the CLI.

use crate::support::{Cli, on_both};

fn an_event_goes_from_draft_to_closed_with_history(cli: Cli) {
    let (_, e) = cli.program_and_event("4");
    let e = e.to_string();
    let r = cli.run(&["event", "held", &e]).fails(1);
    assert!(
        r.stderr
            .contains("is draft; it cannot become held before it is announced"),
        "{}",
        r.stderr
    );
    for n in 1..=3 {
        let d = cli.demo(e.parse().unwrap(), n, true);
        cli.run(&["demo", "confirm", &d.to_string()]).ok();
    }
    let ana = cli.person("Ana").to_string();
    let r = cli.run(&["attend", &e, &ana, "--checked-in"]).fails(1);
    assert!(
        r.stderr.contains("check-in is recorded on the night"),
        "{}",
        r.stderr
    );
    cli.run(&["attend", &e, &ana, "--rsvp", "going"]).ok();
    cli.run(&["event", "announce", &e]).ok();
    let a = cli.json(&["attend", &e, &ana, "--checked-in"]);
    assert_eq!(
        (a["rsvp"].as_str(), a["checked_in"].as_str()),
        (Some("going"), Some("yes"))
    );
    let demos = cli.json(&["demo", "list", "--event", &e]);
    let first = demos[0]["id"].as_i64().unwrap().to_string();
    cli.run(&["demo", "presented", &first]).ok();
    // Held means it happened: not before the event starts (a plain error, nothing to
    // override), and nothing is written.
    let r = cli.run(&["event", "held", &e]).fails(1);
    assert!(
        r.stderr.contains(
            "is announced; it cannot become held yet: it starts in 16 days, on 2026-12-10 18:30 (Europe/Oslo)"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(cli.json(&["event", "show", &e])["status"], "announced");
    let night = "2026-12-10T21:00:00Z";
    cli.run_at(night, &["event", "held", &e]).ok();
    cli.run_at(night, &["event", "close", &e]).fails(3);
    cli.run_at(
        night,
        &[
            "event",
            "close",
            &e,
            "--override",
            "the cycle gates have tests of their own",
        ],
    )
    .ok();
    let r = cli.run(&["event", "cancel", &e]).fails(1);
    assert!(r.stderr.contains("it is finished"), "{}", r.stderr);

    let shown = cli.json(&["event", "show", &e]);
    let steps: Vec<(String, String, String)> = shown["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["from"].as_str().unwrap_or("-").to_owned(),
                h["to"].as_str().unwrap().to_owned(),
                h["actor"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String, String)> = [
        ("-", "draft"),
        ("draft", "announced"),
        ("announced", "held"),
        ("held", "closed"),
    ]
    .iter()
    .map(|(f, t)| (f.to_string(), t.to_string(), "tester".to_string()))
    .collect();
    assert_eq!(steps, expected);
    assert_eq!(shown["attendance"]["checked_in"], 1);
    assert_eq!(shown["demos_by_status"]["presented"], 1);
    let person = cli.json(&["person", "show", &ana]);
    assert_eq!(
        person["attendances"][0]["event"].as_i64(),
        Some(e.parse().unwrap())
    );
}

/// Past events are entered as backfilled history: created directly as held, no gate asked,
/// no override recorded, no time-to-ship; imports accept check-ins into them. A future
/// time is refused, with the time, and nothing is written.
fn backfilled_history(cli: Cli) {
    let p = cli.program("Tinkerers Oslo", &[]);
    let new = |at: &str| {
        cli.run(&[
            "--json",
            "event",
            "new",
            "--program",
            &p,
            "--title",
            "Old night",
            "--at",
            at,
            "--backfill",
        ])
    };
    let r = new("2026-12-10 18:30").fails(1);
    assert!(
        r.stderr
            .contains("--at: \"2026-12-10 18:30\" is in the future (it starts in 16 days)"),
        "{}",
        r.stderr
    );
    assert_eq!(cli.json(&["event", "list"]).as_array().unwrap().len(), 0);
    let j = new("2026-10-01 18:30").ok().json();
    let e = j["id"].as_i64().unwrap().to_string();
    assert_eq!(
        (
            j["event"]["status"].as_str(),
            j["event"]["backfilled"].as_bool()
        ),
        (Some("held"), Some(true))
    );
    let shown = cli.json(&["event", "show", &e]);
    let history = shown["history"].as_array().unwrap();
    assert_eq!(history.len(), 1, "{shown}");
    assert_eq!(
        (history[0]["from"].as_str(), history[0]["to"].as_str()),
        (None, Some("held"))
    );
    assert_eq!(cli.json(&["overrides"]), serde_json::json!([]));
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("guests.csv");
    std::fs::write(
        &csv,
        "api_id,name,email,approval_status,checked_in_at\n\
         gst-1,Ada,ada@example.com,approved,2026-10-01T16:40:00Z\n\
         gst-2,Bob,bob@example.com,approved,\n",
    )
    .unwrap();
    cli.json(&["import", "luma", csv.to_str().unwrap(), "--event", &e]);
    assert_eq!(
        cli.json(&["event", "show", &e])["attendance"]["checked_in"],
        1
    );
    let m = cli.json(&["metrics", "--program", &p]);
    assert!(
        m["time_to_ship"]["median_days"].is_null(),
        "a backfilled event has no time-to-ship: {}",
        m["time_to_ship"]
    );
    // History owes nothing: the next event is planned and announced without waiting for
    // a retro or follow-ups of the backfilled one.
    let next = cli.event(&p, "Dec demo night", "2026-12-10 18:30");
    let shown = cli.json(&["event", "show", &next]);
    for g in shown["gates"].as_array().unwrap() {
        if g["gate"] == "retro" || g["gate"] == "followup_minimum" {
            assert_eq!(g["allowed"], true, "{g}");
        }
    }
}

fn lists_print_the_ids_that_commands_take(cli: Cli) {
    let (p, _) = cli.program_and_event("4");
    let programs = cli.json(&["program", "list"]);
    assert_eq!(programs[0]["id"].as_i64(), Some(p));
    let by_name = cli.json(&["program", "show", "Tinkerers Oslo"]);
    assert_eq!(by_name["id"].as_i64(), Some(p));
    let events = cli.json(&["event", "list", "--program", &p.to_string()]);
    let id = events[0]["id"].as_i64().unwrap().to_string();
    assert_eq!(events[0]["starts_at"], "2026-12-10T18:30:00+01:00");
    assert_eq!(cli.json(&["event", "show", &id])["title"], "Dec demo night");
    let ana = cli.person("Ana");
    let people = cli.json(&["person", "list"]);
    assert_eq!(people[0]["id"].as_i64(), Some(ana));
}

on_both!(
    an_event_goes_from_draft_to_closed_with_history,
    backfilled_history,
    lists_print_the_ids_that_commands_take
);

/// A closed pipe is not an error (`trellis person list | head -1`): the reader went away
/// before the output was written; the command exits 0, quietly, without a panic.
fn a_closed_pipe_is_not_an_error(cli: Cli) {
    cli.program_and_event("4");
    for n in 0..50 {
        cli.person(&format!("Reader {n}"));
    }
    for args in [
        &["person", "list"][..],
        &["metrics"][..],
        &["--json", "event", "list"][..],
    ] {
        let mut child = crate::support::process(&cli.db.url)
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Close the read end before the command has opened its database: every write
        // it makes meets a closed pipe.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?}\n{stderr}", out.status);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?} exits quietly: {stderr}");
    }
}

on_both!(a_closed_pipe_is_not_an_error);
