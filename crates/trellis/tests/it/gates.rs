//! The demo slot contract and slot inventory gates through the CLI: refused with the
//! numbers (exit 3), passed once the mechanism is done, overridable with a stored reason.

use crate::support::{Cli, on_both};

fn announce_is_refused_until_enough_demos_are_confirmed(cli: Cli) {
    let (_, e) = cli.program_and_event("4");
    let e = e.to_string();
    let d1 = cli.demo(e.parse().unwrap(), 1, true);
    cli.run(&["demo", "confirm", &d1.to_string()]).ok();

    let r = cli.run(&["event", "announce", &e]).fails(3);
    assert!(
        r.stdout.is_empty(),
        "without --json nothing goes to stdout: {}",
        r.stdout
    );
    assert!(r.stderr.contains("demo_slot_contract: 1 of 3 presenters confirmed for 'Dec demo night' (distinct people with a confirmed demo); confirm 2 more before announcing"), "{}", r.stderr);

    let r = cli.run(&["--json", "event", "announce", &e]).fails(3);
    let j = r.json();
    assert_eq!(j["refused"][0]["gate"], "demo_slot_contract");
    assert_eq!(
        j["refused"][0]["reasons"][0],
        "1 of 3 presenters confirmed for 'Dec demo night' (distinct people with a confirmed demo); confirm 2 more before announcing"
    );
    assert!(
        r.stderr.contains("demo_slot_contract"),
        "the reasons are on stderr too"
    );
    assert_eq!(cli.json(&["event", "show", &e])["status"], "draft");

    for n in 2..=3 {
        let d = cli.demo(e.parse().unwrap(), n, true);
        cli.run(&["demo", "confirm", &d.to_string()]).ok();
    }
    let shown = cli.json(&["event", "show", &e]);
    assert_eq!(shown["gates"][0]["allowed"], true);
    let j = cli.json(&["event", "announce", &e]);
    assert_eq!(
        (j["from"].as_str(), j["to"].as_str()),
        (Some("draft"), Some("announced"))
    );
    assert!(j.get("overrides").is_none());
}

fn an_override_needs_a_reason_and_is_stored(cli: Cli) {
    let (_, e) = cli.program_and_event("4");
    let e = e.to_string();
    let r = cli
        .run(&["event", "announce", &e, "--override", "  "])
        .fails(1);
    assert!(r.stderr.contains("--override"), "{}", r.stderr);
    let j = cli.json(&[
        "event",
        "announce",
        &e,
        "--override",
        "venue needs the date public today",
    ]);
    assert_eq!(j["to"], "announced");
    assert_eq!(j["overrides"][0]["gate"], "demo_slot_contract");
    let list = cli.json(&["overrides"]);
    let o = &list[0];
    assert_eq!(o["gate"], "demo_slot_contract");
    assert_eq!(o["action"], "announce");
    assert_eq!(o["actor"], "tester");
    assert_eq!(o["at"], "2026-11-24T12:00:00Z");
    assert_eq!(o["reason"], "venue needs the date public today");
    assert_eq!(
        o["reasons"][0],
        "0 of 3 presenters confirmed for 'Dec demo night' (distinct people with a confirmed demo); confirm 3 more before announcing"
    );
}

fn confirm_is_gated_by_screening_contract_and_slots(cli: Cli) {
    let (_, e) = cli.program_and_event("1");
    let event: i64 = e;
    let raw = cli.demo(event, 1, false).to_string();
    let r = cli.run(&["--json", "demo", "confirm", &raw]).fails(3);
    let reasons = r.json()["refused"][0]["reasons"].clone();
    assert_eq!(reasons.as_array().unwrap().len(), 2, "{reasons}");
    assert!(
        reasons[0]
            .as_str()
            .unwrap()
            .contains("has not passed screening (it is proposed)")
    );
    assert!(
        reasons[1]
            .as_str()
            .unwrap()
            .contains("has not accepted the demo slot contract")
    );
    cli.run(&[
        "demo",
        "screen",
        &raw,
        "--pass",
        "--checklist",
        "live_demo,built_it",
        "--note",
        "WIP, fine",
    ])
    .ok();
    cli.run(&["demo", "contract", &raw]).ok();
    let d = cli.json(&["demo", "confirm", &raw]);
    assert_eq!(d["status"], "confirmed");
    assert_eq!(d["checklist"], serde_json::json!(["live_demo", "built_it"]));

    // The only slot is taken: refused, and an override cannot sell it twice.
    let second = cli.demo(event, 2, true).to_string();
    let r = cli
        .run(&[
            "--json",
            "demo",
            "confirm",
            &second,
            "--override",
            "they're great",
        ])
        .fails(3);
    let j = r.json();
    assert_eq!(j["refused"][0]["gate"], "slot_inventory");
    assert_eq!(j["refused"][0]["overridable"], false);
    assert!(
        j["refused"][0]["reasons"][0]
            .as_str()
            .unwrap()
            .starts_with("no free slot: 1 of 1 slot taken at 'Dec demo night'")
    );
    assert!(
        r.stderr.contains("an override cannot pass this"),
        "{}",
        r.stderr
    );
    assert!(cli.json(&["overrides"]).as_array().unwrap().is_empty());

    // More slots, and the same demo goes through.
    cli.run(&["event", "edit", &e.to_string(), "--slots", "2"])
        .ok();
    cli.run(&["demo", "confirm", &second]).ok();
    let shown = cli.json(&["event", "show", &e.to_string()]);
    assert_eq!(
        (shown["slots_taken"].as_i64(), shown["slots_free"].as_i64()),
        (Some(2), Some(0))
    );
    assert_eq!(shown["demos_by_status"]["confirmed"], 2);
}

/// One presenter held 3 of 4 confirmed slots and the event was announced (the hole): the
/// contract counts people, a presenter holds at most `--demos-per-presenter` slots.
fn one_presenter_cannot_fill_the_stage(cli: Cli) {
    // Bad settings: exit 1 naming the flag, nothing written.
    for bad in ["0", "-1"] {
        let r = cli
            .run(&[
                "program",
                "add",
                "Oslo",
                "--tz",
                "Europe/Oslo",
                "--demos-per-presenter",
                bad,
            ])
            .fails(1);
        assert!(r.stderr.contains("--demos-per-presenter"), "{}", r.stderr);
    }
    assert_eq!(cli.json(&["program", "list"]), serde_json::json!([]));
    let (p, e) = cli.program_and_event("4");
    let (p, e) = (p.to_string(), e.to_string());
    let max = cli.person("Max Power").to_string();
    let propose = |who: &str, title: &str, contract: bool| -> String {
        let d = cli
            .run(&[
                "--json", "demo", "propose", "--event", &e, "--person", who, "--title", title,
            ])
            .ok()
            .id()
            .to_string();
        cli.run(&["demo", "screen", &d, "--pass"]).ok();
        if contract {
            cli.run(&["demo", "contract", &d]).ok();
        }
        d
    };
    let maxes: Vec<String> = (1..=3)
        .map(|n| propose(&max, &format!("Robot arm {n}"), true))
        .collect();
    cli.run(&["demo", "confirm", &maxes[0]]).ok();
    let r = cli.run(&["--json", "demo", "confirm", &maxes[1]]).fails(3);
    let j = r.json();
    assert_eq!(j["refused"][0]["gate"], "slot_inventory");
    assert_eq!(
        j["refused"][0]["reasons"][0],
        format!(
            "Max Power already holds 1 of 1 confirmed slot at 'Dec demo night' (confirmed demos per presenter: 1); the contract counts people, not demos; if the program means it, allow it with `trellis program edit {p} --demos-per-presenter 2`"
        )
    );
    assert_eq!(
        j["refused"][0]["causes"][0]["clears"][0],
        serde_json::json!({"action": "allow_demos_per_presenter", "program": p.parse::<i64>().unwrap(), "to": 2})
    );
    assert_eq!(
        cli.json(&["event", "show", &e])["demos_by_status"]["confirmed"],
        1,
        "nothing written"
    );
    let ana = cli.person("Ana Castro").to_string();
    let d = propose(&ana, "Voice agent", true);
    cli.run(&["demo", "confirm", &d]).ok();
    let bea = cli.person("Bea Ndiaye").to_string();
    propose(&bea, "Garden sensors", false);
    // Allowed up to two per presenter: Max takes a second slot, still two people.
    let r = cli
        .run(&["program", "edit", &p, "--demos-per-presenter", "0"])
        .fails(1);
    assert!(r.stderr.contains("--demos-per-presenter"), "{}", r.stderr);
    let edited = cli.json(&["program", "edit", &p, "--demos-per-presenter", "2"]);
    assert_eq!(edited["program"]["settings"]["demos_per_presenter"], 2);
    assert_eq!(
        edited["program"]["settings"]["demo_target"], 3,
        "a setting not named keeps its value"
    );
    cli.run(&["demo", "confirm", &maxes[1]]).ok();
    cli.run(&["demo", "confirm", &maxes[2]]).fails(3);
    let r = cli.run(&["--json", "event", "announce", &e]).fails(3);
    assert_eq!(
        r.json()["refused"][0]["reasons"][0],
        "2 of 3 presenters confirmed for 'Dec demo night' (distinct people with a confirmed demo); confirm 1 more before announcing; 1 more screened, waiting for the contract"
    );
    assert_eq!(cli.json(&["event", "show", &e])["status"], "draft");
}

on_both!(
    one_presenter_cannot_fill_the_stage,
    announce_is_refused_until_enough_demos_are_confirmed,
    an_override_needs_a_reason_and_is_stored,
    confirm_is_gated_by_screening_contract_and_slots
);
