//! Bad input: exit 1, a message naming the field and the value, and nothing written.

use crate::support::{Cli, on_both};

fn program_count(cli: &Cli) -> usize {
    cli.json(&["program", "list"]).as_array().unwrap().len()
}

fn bad_program_settings(cli: Cli) {
    let r = cli
        .run(&[
            "program",
            "add",
            "Oslo",
            "--tz",
            "Europe/Oslo",
            "--slots",
            "-1",
        ])
        .fails(1);
    assert_eq!(
        r.stderr.trim(),
        "error: --slots: \"-1\" must not be negative"
    );
    let r = cli
        .run(&["program", "add", "Oslo", "--tz", "Mars/Olympus"])
        .fails(1);
    assert!(
        r.stderr
            .contains("--tz: \"Mars/Olympus\" is not a known IANA time zone"),
        "{}",
        r.stderr
    );
    let r = cli
        .run(&["program", "add", "  ", "--tz", "Europe/Oslo"])
        .fails(1);
    assert!(r.stderr.contains("NAME"), "{}", r.stderr);
    assert_eq!(program_count(&cli), 0);
    cli.run(&["program", "add", "Oslo", "--tz", "Europe/Oslo"])
        .ok();
    let r = cli
        .run(&["program", "add", "oslo", "--tz", "Europe/Oslo"])
        .fails(1);
    assert!(
        r.stderr
            .contains("NAME: a program named \"oslo\" already exists (id 1)"),
        "{}",
        r.stderr
    );
    assert_eq!(program_count(&cli), 1);
}

fn bad_event_times(cli: Cli) {
    let (p, _) = cli.program_and_event("4");
    let p = p.to_string();
    let r = cli
        .run(&[
            "event",
            "new",
            "--program",
            &p,
            "--title",
            "Gap",
            "--at",
            "2027-03-28 02:30",
        ])
        .fails(1);
    assert!(
        r.stderr
            .contains("--at: \"2027-03-28 02:30\" does not exist in Europe/Oslo"),
        "{}",
        r.stderr
    );
    // When the clocks go back, 02:30 happens twice: refused with both offsets, then
    // accepted with the one meant.
    let fold = |at: &str| {
        cli.run(&[
            "--json",
            "event",
            "new",
            "--program",
            &p,
            "--title",
            "Fold",
            "--at",
            at,
        ])
    };
    let r = fold("2027-10-31 02:30").fails(1);
    assert!(
        r.stderr.contains(
            "--at: \"2027-10-31 02:30\" happens twice in Europe/Oslo: the clocks go back from UTC+02 to UTC+01 that night; say which with its offset: \"2027-10-31 02:30 +02:00\" or \"2027-10-31 02:30 +01:00\""
        ),
        "{}",
        r.stderr
    );
    let e = fold("2027-10-31 02:30 +01:00").ok().json();
    assert_eq!(e["event"]["starts_at"], "2027-10-31T02:30:00+01:00", "{e}");
    assert_eq!(e["event"]["starts_local"], "2027-10-31 02:30", "{e}");
    let r = cli
        .run(&[
            "event",
            "new",
            "--program",
            &p,
            "--title",
            "Typo",
            "--at",
            "28/03/2027 18:30",
        ])
        .fails(1);
    assert!(
        r.stderr
            .contains("--at: \"28/03/2027 18:30\" is not a time of the form YYYY-MM-DD HH:MM"),
        "{}",
        r.stderr
    );
    let r = cli
        .run(&[
            "event",
            "new",
            "--program",
            &p,
            "--title",
            "Neg",
            "--at",
            "2027-01-14 18:30",
            "--slots",
            "-3",
        ])
        .fails(1);
    assert!(
        r.stderr.contains("--slots: \"-3\" must not be negative"),
        "{}",
        r.stderr
    );
    let r = cli
        .run(&[
            "event",
            "new",
            "--program",
            "99",
            "--title",
            "Lost",
            "--at",
            "2027-01-14 18:30",
        ])
        .fails(1);
    assert!(
        r.stderr.contains("program 99 does not exist"),
        "{}",
        r.stderr
    );
    assert_eq!(
        cli.json(&["event", "list"]).as_array().unwrap().len(),
        2,
        "no event was half-written (the first, and the one at the fold's second 02:30)"
    );
}

fn bad_people_and_ids(cli: Cli) {
    let r = cli
        .run(&[
            "person",
            "add",
            "--name",
            "Ana",
            "--email",
            "ana-at-example.org",
        ])
        .fails(1);
    assert!(
        r.stderr
            .contains("--email: \"ana-at-example.org\" is not an e-mail address"),
        "{}",
        r.stderr
    );
    cli.run(&[
        "person",
        "add",
        "--name",
        "Ana",
        "--email",
        "Ana@Example.org",
    ])
    .ok();
    let r = cli
        .run(&[
            "person",
            "add",
            "--name",
            "Ana B",
            "--email",
            "ana@example.org ",
        ])
        .fails(1);
    assert!(
        r.stderr
            .contains("\"ana@example.org\" already belongs to person 1"),
        "{}",
        r.stderr
    );
    assert_eq!(cli.json(&["person", "list"]).as_array().unwrap().len(), 1);
    let r = cli.run(&["event", "show", "42"]).fails(1);
    assert_eq!(r.stderr.trim(), "error: event 42 does not exist");
    let r = cli.run(&["demo", "confirm", "abc"]).fails(1);
    assert!(
        r.stderr.contains("ID: \"abc\" is not an id"),
        "{}",
        r.stderr
    );
    let r = cli.run(&["person", "show", "7"]).fails(1);
    assert_eq!(r.stderr.trim(), "error: person 7 does not exist");
}

on_both!(bad_program_settings, bad_event_times, bad_people_and_ids);

#[test]
fn usage_errors_exit_2() {
    let cli = Cli::new(trellis_testkit::TestDb::sqlite());
    cli.run(&["event", "frobnicate"]).fails(2);
    cli.run(&["program", "add", "NoZone"]).fails(2);
    cli.run(&["demo", "screen", "1"]).fails(2);
}
