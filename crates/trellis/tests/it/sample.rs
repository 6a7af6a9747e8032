//! `trellis sample`: the Quick start's first command.

use crate::support::Cli;
use trellis_testkit::TestDb;

#[test]
fn the_sample_shows_its_events_and_the_next_events_gates() {
    let cli = Cli::new(TestDb::sqlite());
    let r = cli.run(&["sample"]).ok();
    assert!(
        r.stdout
            .contains("Tinkerers Berlin (Europe/Berlin), program 1"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "next event: 18 'RAG demo night, Dec 2026' on 2026-12-10 18:30 Europe/Berlin"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("✗ announce: demo_slot_contract: 2 of 3 demos confirmed"),
        "{}",
        r.stdout
    );
    let again = cli.run(&["sample"]).fails(1);
    assert!(
        again
            .stderr
            .contains("a program named \"Tinkerers Berlin\" already exists"),
        "{}",
        again.stderr
    );
    let events = cli.json(&["event", "list"]);
    assert_eq!(events.as_array().unwrap().len(), 18);
}

#[test]
fn the_sample_is_deterministic() {
    let a = Cli::new(TestDb::sqlite());
    let b = Cli::new(TestDb::sqlite());
    let ja = a.json(&["sample", "--seed", "9"]);
    let jb = b.json(&["sample", "--seed", "9"]);
    assert_eq!(ja, jb);
    assert_eq!(a.json(&["person", "list"]), b.json(&["person", "list"]));
}
