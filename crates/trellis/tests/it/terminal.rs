//! What the CLI prints from data cannot drive the organizer's terminal: ESC, BEL and
//! their kin are shown as `\u{1b}`, in tables, in plain text and in errors; JSON keeps
//! the exact value.

use crate::support::{Cli, on_both};

/// Sets the window title, then clears the screen, then rings the bell.
const EVIL: &str = "Eve\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m";
const SHOWN: &str = "Eve\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{9b}31m";

fn assert_visible(what: &str, text: &str) {
    assert!(text.contains(SHOWN), "{what}: {text:?}");
    assert!(
        !text.contains(['\u{1b}', '\u{7}', '\u{9b}']),
        "{what} printed a raw control character: {text:?}"
    );
}

fn listings_show_control_characters_visibly(cli: Cli) {
    cli.person(EVIL);
    cli.run(&["program", "add", EVIL, "--tz", "Europe/Oslo"])
        .ok();
    assert_visible("person list", &cli.run(&["person", "list"]).ok().stdout);
    assert_visible(
        "person show",
        &cli.run(&["person", "show", "1"]).ok().stdout,
    );
    assert_visible("program list", &cli.run(&["program", "list"]).ok().stdout);
    // An error quoting the value is shown the same way.
    let r = cli
        .run(&["program", "add", EVIL, "--tz", "Europe/Oslo"])
        .fails(1);
    assert_visible("an error", &r.stderr);
    // JSON is exact: the parsed value is the name as given.
    let people = cli.json(&["person", "list"]);
    assert_eq!(people[0]["name"], EVIL, "{people}");
    let programs = cli.json(&["program", "list"]);
    assert_eq!(programs[0]["name"], EVIL, "{programs}");
}

on_both!(listings_show_control_characters_visibly);
