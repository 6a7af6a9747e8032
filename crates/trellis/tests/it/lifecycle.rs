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
    cli.run(&["event", "held", &e]).ok();
    cli.run(&["event", "close", &e]).fails(3);
    cli.run(&[
        "event",
        "close",
        &e,
        "--override",
        "the cycle gates have tests of their own",
    ])
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
    lists_print_the_ids_that_commands_take
);
