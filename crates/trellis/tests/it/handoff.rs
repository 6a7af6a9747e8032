//! An organizer's hand-off (issue 20, point 2): `organizer retire <ORGANIZER> [--to
//! <ORGANIZER>]`. The retiree stays in history; the due items they owned and the
//! reminders planned for them move to the organizer named; bad inputs write nothing.

use crate::support::{Cli, NOW, on_both};
use serde_json::Value;

fn add(cli: &Cli, name: &str, email: &str, program: &str) -> i64 {
    cli.run(&[
        "--json",
        "organizer",
        "add",
        "--name",
        name,
        "--email",
        email,
        "--program",
        program,
    ])
    .ok()
    .id()
}

/// An event of `p` planned and announced days before, held this morning: its retro is
/// due, and its reminder goes at [`NOW`].
fn held_this_morning(cli: &Cli, p: &str) -> i64 {
    let before = "2026-11-20T12:00:00Z";
    let args = [
        "--json",
        "event",
        "new",
        "--program",
        p,
        "--title",
        "Night 1",
    ];
    let args = [&args[..], &["--at", "2026-11-24 10:00"]].concat();
    let e = cli.run_at(before, &args).ok().id().to_string();
    cli.run_at(
        before,
        &["event", "announce", &e, "--override", "a test evening"],
    )
    .ok();
    cli.run(&["event", "held", &e]).ok();
    e.parse().unwrap()
}

/// The recipients of a list of messages, sorted.
fn recipients(messages: &Value) -> Vec<String> {
    let mut to: Vec<String> = messages
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["recipient"].as_str().unwrap().to_owned())
        .collect();
    to.sort();
    to
}

/// The recipients of the planned messages.
fn planned_to(cli: &Cli) -> Vec<String> {
    recipients(&cli.json(&["outbox", "--state", "planned"]))
}

/// The recipients `notify run --dry-run` finds due now.
fn due_to(cli: &Cli) -> Vec<String> {
    recipients(&cli.json(&["notify", "run", "--dry-run"])["due"])
}

/// `organizer retire ARGS` fails (exit 1) saying `says`.
#[track_caller]
fn refused(cli: &Cli, args: &[&str], says: &str) {
    let r = cli
        .run(&[&["organizer", "retire"][..], args].concat())
        .fails(1);
    assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
}

fn organizer<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {list}"))
}

fn retire_with_handoff(cli: Cli) {
    let oslo = cli.program("Tinkerers Oslo", &[]);
    let lisbon = cli.program("Lisbon builders", &[]);
    add(&cli, "Ana Alves", "ana@example.org", &oslo);
    add(&cli, "Ben Brandt", "ben@example.org", &oslo);
    add(&cli, "Cy Lisboa", "cy@example.org", &lisbon);
    let event = held_this_morning(&cli, &oslo);
    // The retro reminder, planned for both of Oslo's organizers; Dee joins afterwards.
    assert_eq!(cli.json(&["notify", "run"])["planned"], 2);
    let dee = add(&cli, "Dee Dias", "dee@example.org", &oslo);
    assert_eq!(planned_to(&cli), ["ana@example.org", "ben@example.org"]);

    // Bad inputs: a clear error at the field, and nothing written.
    for (args, says) in [
        (vec!["Ghost"], "organizer: \"Ghost\" is not an organizer"),
        (
            vec!["Ana Alves", "--to", "Nobody"],
            "to: \"Nobody\" is not an organizer",
        ),
        (vec!["Ana Alves", "--to", "ana alves"], "someone else"),
        (
            vec!["Ana Alves", "--to", "Cy Lisboa"],
            "organizes none of Ana Alves's programs",
        ),
    ] {
        refused(&cli, &args, says);
    }
    let list = cli.json(&["organizer", "list"]);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|o| o["retired"] == false)
    );
    assert_eq!(planned_to(&cli), ["ana@example.org", "ben@example.org"]);

    // Ana retires and hands her work to Dee: the event's due items and her reminder move.
    let r = cli.json(&["organizer", "retire", "Ana Alves", "--to", "Dee Dias"]);
    assert_eq!(r["organizer"]["retired"], true, "{r}");
    assert_eq!(r["to"]["id"], dee, "{r}");
    assert_eq!(
        r["events"][0]["id"], event,
        "she owned it: Oslo's first organizer"
    );
    assert_eq!(
        (r["messages_moved"].clone(), r["messages_cancelled"].clone()),
        (1.into(), 0.into())
    );
    assert_eq!(planned_to(&cli), ["ben@example.org", "dee@example.org"]);
    // Nothing is planned twice: Dee's moved message is the one the rules plan for her.
    assert_eq!(due_to(&cli), ["ben@example.org", "dee@example.org"]);
    assert_eq!(cli.json(&["notify", "run"])["planned"], 0);

    // She stays in history, marked retired.
    let list = cli.json(&["organizer", "list"]);
    let ana = organizer(&list, "Ana Alves");
    assert_eq!(ana["retired"], true, "{list}");
    assert_eq!(ana["retired_at"], NOW, "{list}");
    assert_eq!(organizer(&list, "Dee Dias")["retired"], false);
    let text = cli.run(&["organizer", "list"]).ok().stdout;
    assert!(text.contains("RETIRED") && text.contains(NOW), "{text}");
    cli.run(&["checkin", "show", "--organizer", "Ana Alves"])
        .ok();
    // No longer an active organizer: she does not check in for Oslo's events.
    let event_id = event.to_string();
    let args = [
        "checkin",
        &event_id,
        "--organizer",
        "Ana Alves",
        "--hours",
        "3",
    ];
    let r = cli
        .run(&[&args[..], &["--answers", "2,2,2,2,2,2,2"]].concat())
        .fails(1);
    assert!(r.stderr.contains("has retired"), "{}", r.stderr);

    // Once retired is once: nothing more is written.
    refused(
        &cli,
        &["Ana Alves", "--to", "Ben Brandt"],
        "is already retired",
    );
    refused(
        &cli,
        &["Ben Brandt", "--to", "Ana Alves"],
        "to: \"Ana Alves\" is retired",
    );

    // Dee retires without a successor: the event goes to Oslo's first active organizer
    // (Ben), her planned reminder is cancelled, and the rules plan one for Ben only.
    let r = cli
        .run(&["organizer", "retire", &dee.to_string()])
        .ok()
        .stdout;
    assert!(
        r.contains("organizer") && r.contains("retired: Dee Dias"),
        "{r}"
    );
    assert!(r.contains("1 cancelled") && r.contains("Night 1"), "{r}");
    assert_eq!(planned_to(&cli), ["ben@example.org"]);
    assert_eq!(due_to(&cli), ["ben@example.org"]);
    let cancelled = cli.json(&["outbox", "--state", "cancelled"]);
    assert_eq!(
        cancelled[0]["last_error"], "Dee Dias retired",
        "{cancelled}"
    );
}

/// Retiring hands over only what the successor's programs hold: an organizer of two
/// programs hands Oslo's event to an Oslo co-organizer, and a planned reminder the
/// successor already has is cancelled, not sent twice.
fn a_successor_takes_only_their_programs_work(cli: Cli) {
    let oslo = cli.program("Tinkerers Oslo", &[]);
    let lisbon = cli.program("Lisbon builders", &[]);
    cli.run(&[
        "organizer",
        "add",
        "--name",
        "Ana Alves",
        "--email",
        "ana@example.org",
        "--program",
        &oslo,
        "--program",
        &lisbon,
    ])
    .ok();
    add(&cli, "Ben Brandt", "ben@example.org", &oslo);
    add(&cli, "Cy Lisboa", "cy@example.org", &lisbon);
    let in_oslo = held_this_morning(&cli, &oslo);
    let in_lisbon = held_this_morning(&cli, &lisbon);
    assert_eq!(cli.json(&["notify", "run"])["planned"], 4);
    let r = cli.json(&["organizer", "retire", "ana alves", "--to", "Ben Brandt"]);
    assert_eq!(r["events"].as_array().unwrap().len(), 1, "{r}");
    assert_eq!(r["events"][0]["id"], in_oslo, "{r}");
    assert_eq!(r["events_to_default_owner"][0]["id"], in_lisbon, "{r}");
    // Ben already had Oslo's reminder; Lisbon's is Cy's to get.
    assert_eq!(
        (r["messages_moved"].clone(), r["messages_cancelled"].clone()),
        (0.into(), 2.into())
    );
    assert_eq!(planned_to(&cli), ["ben@example.org", "cy@example.org"]);
}

on_both!(
    retire_with_handoff,
    a_successor_takes_only_their_programs_work
);
