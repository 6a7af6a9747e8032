//! One identity per person: duplicates with evidence, merge and unmerge with full
//! history, a person's export, and forgetting that leaves past metrics unchanged.

use crate::import::{held_events, import};
use crate::support::{Cli, on_both};
use serde_json::Value;

fn id_named(cli: &Cli, name: &str, email: bool) -> i64 {
    let people = cli.json(&["person", "list"]);
    people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name && p["emails"].as_array().unwrap().is_empty() != email)
        .unwrap_or_else(|| panic!("no {name} (email {email}) in {people}"))["id"]
        .as_i64()
        .unwrap()
}

/// A person's export without the merge journal (which a merge adds, by design).
fn export_without_merges(cli: &Cli, id: i64) -> Value {
    let mut x = cli.json(&["person", "export", &id.to_string()]);
    x["tables"].as_object_mut().unwrap().remove("person_merges");
    x
}

/// The metrics over the imported nights (2025).
const METRICS: [&str; 7] = [
    "metrics",
    "--at",
    "2025-06-30",
    "--from",
    "2025-01-01",
    "--to",
    "2025-06-30",
];

fn merge_and_unmerge_keep_full_history(cli: Cli) {
    held_events(&cli, 2);
    import(&cli, "luma", "luma-guests.csv", 1);
    import(&cli, "meetup", "meetup-attendees.csv", 2);
    // Ada by e-mail (Luma) and Ada by member id (Meetup): two people, listed as likely
    // duplicates, never merged by the import.
    let ada = id_named(&cli, "Ada Example", true);
    let ada_m = id_named(&cli, "Ada Example", false);
    let dups = cli.json(&["person", "duplicates"]);
    let pair = dups
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["a"] == ada && d["b"] == ada_m)
        .unwrap_or_else(|| panic!("{dups}"));
    assert!(
        pair["evidence"][0]
            .as_str()
            .unwrap()
            .contains("the same name"),
        "{pair}"
    );
    // Chen Wei 陈伟 (Luma) and 陈伟 (Meetup) are not the same name: not listed as such.
    let before_keep = export_without_merges(&cli, ada);
    let before_other = export_without_merges(&cli, ada_m);
    let metrics_before = cli.json(&METRICS);

    let m = cli.json(&["person", "merge", &ada.to_string(), &ada_m.to_string()]);
    assert_eq!(m["moved"]["attendances"], 1, "{m}");
    assert_eq!(m["moved"]["person_platform_ids"], 1, "{m}");
    let shown = cli.json(&["person", "show", &ada.to_string()]);
    assert_eq!(shown["attendances"].as_array().unwrap().len(), 2);
    assert_eq!(shown["platform_ids"]["meetup"][0], "100000001");
    assert!(
        !cli.json(&["person", "list"])
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == ada_m),
        "a merged person is no longer listed"
    );
    // Ada came to both nights: one returning builder now.
    let metrics_merged = cli.json(&METRICS);
    assert_ne!(
        metrics_merged["returning_builder_rate"],
        metrics_before["returning_builder_rate"]
    );
    // The next Meetup export finds the merged Ada by her member id.
    let again = import(&cli, "meetup", "meetup-attendees.csv", 2);
    assert_eq!(again["people_new"], 0, "{again}");
    assert_eq!(again["added"], 0, "{again}");
    // Merging into a merged person, or twice, is refused.
    cli.run(&["person", "merge", &ada_m.to_string(), &ada.to_string()])
        .fails(1);

    let u = cli.json(&["person", "unmerge", &ada_m.to_string()]);
    assert_eq!(u["restored"], ada_m);
    assert_eq!(export_without_merges(&cli, ada), before_keep);
    assert_eq!(export_without_merges(&cli, ada_m), before_other);
    assert_eq!(cli.json(&METRICS), metrics_before);
    // The history of both is kept: the merge, and that it was undone.
    let journal = cli.json(&["person", "export", &ada.to_string()]);
    let merges = journal["tables"]["person_merges"].as_array().unwrap();
    assert_eq!(merges.len(), 1);
    assert_eq!(merges[0]["undone_by"], "tester");
    cli.run(&["person", "unmerge", &ada_m.to_string()]).fails(1);
}

fn merging_twins_combines_and_unmerge_restores_both(cli: Cli) {
    held_events(&cli, 1);
    // Two records of one human at the same event: a Luma guest and a Meetup member.
    import(&cli, "luma", "luma-guests.csv", 1);
    import(&cli, "meetup", "meetup-attendees.csv", 1);
    let jose = id_named(&cli, "José Müller-Østergaard", true);
    let jose_m = id_named(&cli, "José Müller-Østergaard", false);
    let before = (
        export_without_merges(&cli, jose),
        export_without_merges(&cli, jose_m),
    );
    let m = cli.json(&["person", "merge", &jose.to_string(), &jose_m.to_string()]);
    assert_eq!(m["combined"]["attendances"], 1, "{m}");
    let shown = cli.json(&["person", "show", &jose.to_string()]);
    let a = &shown["attendances"][0];
    assert_eq!(
        (a["rsvp"].as_str(), a["checked_in"].as_str()),
        (Some("going"), Some("yes"))
    );
    cli.json(&["person", "unmerge", &jose_m.to_string()]);
    assert_eq!(
        (
            export_without_merges(&cli, jose),
            export_without_merges(&cli, jose_m)
        ),
        before
    );
}

fn forgetting_keeps_past_metrics(cli: Cli) {
    cli.run(&["sample"]).ok();
    let before = cli.json(&["metrics"]);
    let before_program = cli.json(&["metrics", "--program", "1"]);
    // The person with the most recorded history: attended, presented, followed up.
    let people = cli.json(&["person", "list"]);
    let mut best = (0usize, 0i64);
    for p in people.as_array().unwrap().iter().take(60) {
        let id = p["id"].as_i64().unwrap();
        let x = cli.json(&["person", "export", &id.to_string()]);
        let n = x["tables"].as_object().unwrap().len();
        if n > best.0 {
            best = (n, id);
        }
    }
    let id = best.1.to_string();
    let x = cli.json(&["person", "export", &id]);
    assert!(
        x["tables"]["attendances"].as_array().unwrap().len() > 1,
        "{x}"
    );
    assert!(x["tables"]["person_emails"].as_array().is_some(), "{x}");
    let f = cli.json(&["person", "forget", &id]);
    assert!(f["erased"]["person_emails"].as_u64().unwrap() >= 1, "{f}");
    assert!(f["kept"]["attendances"].as_u64().unwrap() > 1, "{f}");

    assert_eq!(cli.json(&["metrics"]), before);
    assert_eq!(cli.json(&["metrics", "--program", "1"]), before_program);
    let after = cli.json(&["person", "export", &id]);
    let t = after["tables"].as_object().unwrap();
    assert!(!t.contains_key("person_emails") && !t.contains_key("person_platform_ids"));
    let row = &after["tables"]["people"][0];
    assert_eq!(row["display_name"], format!("forgotten person {id}"));
    assert_eq!(row["do_not_contact"], 1);
    for f in after["tables"]["followups"]
        .as_array()
        .into_iter()
        .flatten()
    {
        assert_eq!(f["answer"], Value::Null, "their words are gone: {f}");
    }
    let text = after.to_string();
    let email = x["tables"]["person_emails"][0]["email"].as_str().unwrap();
    assert!(!text.contains(email), "the e-mail is gone everywhere");
    cli.run(&["person", "forget", &id]).fails(1);
}

fn forgetting_erases_chat_authorship(cli: Cli) {
    cli.run(&["program", "add", "P", "--tz", "Europe/Oslo"])
        .ok();
    let alice = cli.person("Alice Smith").to_string();
    let dir = tempfile::tempdir().unwrap();
    let chat = dir.path().join("chat.txt");
    std::fs::write(
        &chat,
        "14/10/2026, 10:00 - Alice Smith: my robot finally walks\n\
         14/10/2026, 10:05 - Bob Jones: nice\n\
         15/10/2026, 09:00 - Alice Smith: video tomorrow\n",
    )
    .unwrap();
    cli.json(&["listen", "import", chat.to_str().unwrap(), "--program", "1"]);
    let before = cli.json(&["person", "export", &alice]);
    let msgs = before["tables"]["chat_messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 2, "{before}");
    cli.json(&["person", "forget", &alice]);
    let after = cli.json(&["person", "export", &alice]);
    let msgs = after["tables"]["chat_messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 2, "the messages stay, anonymous: {after}");
    for m in msgs {
        assert_eq!(m["text"], Value::Null);
    }
    let authors = after["tables"]["chat_authors"].as_array().unwrap();
    assert_eq!(authors.len(), 1, "{after}");
    assert_eq!(authors[0]["name"], "forgotten person");
    assert!(
        authors[0]["author_key"]
            .as_str()
            .unwrap()
            .starts_with("forgotten:")
    );
    assert!(!after.to_string().contains("Alice"), "{after}");
    // The next export holds their words again: they stay out.
    let again = cli.json(&["listen", "import", chat.to_str().unwrap(), "--program", "1"]);
    assert_eq!(again["added"], 0, "{again}");
    assert_eq!(again["forgotten_skipped"], 2, "{again}");
    assert_eq!(again["already_stored"], 1, "{again}");
    let after = cli.json(&["person", "export", &alice]);
    assert!(!after.to_string().contains("robot"), "{after}");
}

on_both!(
    forgetting_erases_chat_authorship,
    merge_and_unmerge_keep_full_history,
    merging_twins_combines_and_unmerge_restores_both,
    forgetting_keeps_past_metrics,
);
