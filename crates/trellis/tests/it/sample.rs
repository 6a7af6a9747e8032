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
            .contains("✗ announce: demo_slot_contract: 2 of 3 presenters confirmed"),
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

/// The sample's community chat: every verdict among its events, the last held event's
/// discussion covered (and its report passing the follow-up gate of the next event), the
/// written export re-importing as a no-op.
fn the_sample_chat_shows_every_verdict(cli: Cli) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("community.txt");
    let loaded = cli.json(&["sample", "--write-chat", file.to_str().unwrap()]);
    assert!(loaded["chat"]["added"].as_u64().unwrap() > 500, "{loaded}");
    let mut seen = std::collections::BTreeMap::new();
    for e in cli.json(&["event", "list"]).as_array().unwrap() {
        if !matches!(e["status"].as_str(), Some("held" | "closed")) {
            continue;
        }
        let id = e["id"].to_string();
        let r = cli.json(&["listen", "report", &id]);
        assert_eq!(r["covered"], true, "{r}");
        *seen
            .entry(r["verdict"].as_str().unwrap().to_owned())
            .or_insert(0) += 1;
    }
    assert_eq!(seen.get("silent"), Some(&1), "{seen:?}");
    assert_eq!(seen.get("negative"), Some(&1), "{seen:?}");
    assert!(
        seen.contains_key("mixed") && seen.contains_key("positive"),
        "{seen:?}"
    );
    // `listen report 17` (run above) covers the last held event: the follow-up gate of
    // event 18 passes although only 6 of 10 follow-ups were sent.
    let next = cli.json(&["event", "show", "18"]);
    let gate = next["gates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["gate"] == "followup_minimum")
        .unwrap();
    assert_eq!(gate["allowed"], true, "{gate}");
    let again = cli.json(&[
        "listen",
        "import",
        file.to_str().unwrap(),
        "--program",
        "1",
        "--channel",
        "community",
    ]);
    assert_eq!(again["added"], 0, "{again}");
}

crate::support::on_both!(the_sample_chat_shows_every_verdict);
