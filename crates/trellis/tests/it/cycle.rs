//! The event cycle's gates through the CLI, on both backends: refused with the right
//! numbers (exit 3), passed once the mechanism is done, overridable with a stored reason.

use crate::support::{Cli, on_both};

/// A program (follow-up minimum 2, 2 pipeline moves per event) whose first event was
/// held with three confirmed demos and five checked-in people. Returns (program, event,
/// people).
fn held(cli: &Cli) -> (String, String, Vec<String>) {
    let p = cli
        .run(&[
            "--json",
            "program",
            "add",
            "Tinkerers Oslo",
            "--tz",
            "Europe/Oslo",
            "--followup-minimum",
            "2",
            "--moves-per-event",
            "2",
        ])
        .ok()
        .id()
        .to_string();
    let e = cli
        .run(&[
            "--json",
            "event",
            "new",
            "--program",
            &p,
            "--title",
            "Nov night",
            "--at",
            "2026-11-12 18:30",
        ])
        .ok()
        .id();
    for n in 1..=3 {
        let d = cli.demo(e, n, true);
        cli.run(&["demo", "confirm", &d.to_string()]).ok();
    }
    let e = e.to_string();
    cli.run(&["event", "announce", &e]).ok();
    let people: Vec<String> = (1..=5)
        .map(|n| cli.person(&format!("Guest {n}")).to_string())
        .collect();
    for p in &people {
        cli.run(&["attend", &e, p, "--checked-in"]).ok();
    }
    cli.run(&["event", "held", &e]).ok();
    (p, e, people)
}

fn retro_flags<'a>(e: &'a str, picks: &'a [String]) -> Vec<String> {
    let mut v: Vec<String> = [
        "retro",
        "write",
        e,
        "--worked",
        "Live demos",
        "--broke",
        "The mic",
        "--surprised",
        "Stayed late",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for (i, p) in picks.iter().enumerate() {
        v.push("--follow-up".into());
        v.push(format!("{p}=reason {i}"));
    }
    v
}

fn run_owned(cli: &Cli, args: &[String]) -> crate::support::Run {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    cli.run(&refs)
}

fn planning_waits_for_the_retro(cli: Cli) {
    let (p, e, people) = held(&cli);
    let new = [
        "--json",
        "event",
        "new",
        "--program",
        &p,
        "--title",
        "Dec night",
        "--at",
        "2026-12-10 18:30",
    ];
    let r = cli.run(&new).fails(3);
    let j = r.json();
    assert_eq!(j["refused"][0]["gate"], "retro");
    let reason = j["refused"][0]["reasons"][0].as_str().unwrap().to_owned();
    assert!(
        reason.starts_with("'Nov night' has no retro yet: it is due in 48 h"),
        "{reason}"
    );
    assert_eq!(
        cli.json(&["event", "list"]).as_array().unwrap().len(),
        1,
        "nothing planned"
    );

    // A retro with a fourth pick, or a person who does not resolve, is refused whole.
    let four: Vec<String> = people[..4].to_vec();
    let r = run_owned(&cli, &retro_flags(&e, &four)).fails(1);
    assert!(
        r.stderr
            .contains("names 4 people to follow up with; the retro names exactly 3"),
        "{}",
        r.stderr
    );
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("retro.md");
    let text = format!(
        "# Retro\n\n## What worked\nFive live demos.\n\n## What broke\nThe projector.\n\n## What surprised us\nEveryone stayed.\n\n\
         ## Who to invite next time\n- Nobody Known\n\n## Follow up with (exactly three)\n- {}: shipped\n- {}: asked\n- {}: first demo\n",
        people[0], people[1], people[2]
    );
    std::fs::write(&md, &text).unwrap();
    let r = cli
        .run(&["retro", "write", &e, "--file", md.to_str().unwrap()])
        .fails(1);
    assert!(r.stderr.contains("retro.md:13: person \"Nobody Known\" does not resolve: no person is named \"Nobody Known\""), "{}", r.stderr);
    cli.run(&["retro", "show", &e]).fails(1);
    // A file larger than a retro can be is refused before it is read whole (once,
    // `--file /dev/zero` grew to 14 GB).
    for big in ["/dev/zero", "big.md"] {
        let path = dir.path().join(big);
        if big == "big.md" {
            std::fs::write(&path, "x".repeat((1 << 20) + 1)).unwrap();
        }
        let r = cli
            .run(&["retro", "write", &e, "--file", path.to_str().unwrap()])
            .fails(1);
        assert!(
            r.stderr
                .contains("is larger than 1 MiB; a retro is a page of Markdown"),
            "{}",
            r.stderr
        );
    }

    std::fs::write(&md, text.replace("- Nobody Known", "- Guest 4")).unwrap();
    // Marked held on the 24th at noon; written three days later: kept, and marked late.
    let retro = cli
        .run_at(
            "2026-11-27T12:00:00Z",
            &[
                "--json",
                "retro",
                "write",
                &e,
                "--file",
                md.to_str().unwrap(),
            ],
        )
        .ok()
        .json();
    assert_eq!(retro["late"], true, "{retro}");
    assert_eq!(retro["due_at"], "2026-11-26T12:00:00Z");
    assert_eq!(retro["invite"][0]["name"], "Guest 4");
    assert_eq!(retro["follow_up"].as_array().unwrap().len(), 3);
    let shown = cli.json(&["retro", "show", &e]);
    assert_eq!(shown["worked"], "Five live demos.");
    cli.run(&[
        "event",
        "new",
        "--program",
        &p,
        "--title",
        "Dec night",
        "--at",
        "2026-12-10 18:30",
    ])
    .ok();
}

/// An event planned before the last one was held still waits for that event's retro when
/// it is announced (the hole: only planning was guarded).
fn announcing_waits_for_the_retro_even_when_planned_ahead(cli: Cli) {
    let p = cli.program("Tinkerers Oslo", &["--followup-minimum", "1"]);
    let mut ids = Vec::new();
    for (title, at) in [
        ("Nov night", "2026-11-12 18:30"),
        ("Feb night", "2027-02-11 18:30"),
    ] {
        let e: i64 = cli.event(&p, title, at).parse().unwrap();
        for n in 1..=3 {
            let d = cli.demo(e, ids.len() * 10 + n, true);
            cli.run(&["demo", "confirm", &d.to_string()]).ok();
        }
        ids.push(e.to_string());
    }
    let (nov, feb) = (&ids[0], &ids[1]);
    cli.run(&["event", "announce", nov]).ok();
    let guests: Vec<String> = (1..=3)
        .map(|n| cli.person(&format!("Guest {n}")).to_string())
        .collect();
    for g in &guests {
        cli.run(&["attend", nov, g, "--checked-in"]).ok();
    }
    cli.run(&["event", "held", nov]).ok();
    cli.run(&["followup", "send", nov, &guests[0], "--channel", "message"])
        .ok();
    // Four days after the retro was due.
    let later = "2026-11-30T12:00:00Z";
    let r = cli
        .run_at(later, &["--json", "event", "announce", feb])
        .fails(3);
    let j = r.json();
    assert_eq!(j["refused"].as_array().unwrap().len(), 1, "{j}");
    assert_eq!(j["refused"][0]["gate"], "retro");
    assert_eq!(
        j["refused"][0]["reasons"][0],
        "'Nov night' has no retro yet: it was due 4 days ago; write it with `trellis retro write "
            .to_owned()
            + nov
            + "`"
    );
    assert_eq!(
        cli.json(&["event", "show", feb])["status"],
        "draft",
        "nothing written"
    );
    let retro: Vec<String> = retro_flags(nov, &guests);
    let refs: Vec<&str> = retro.iter().map(String::as_str).collect();
    cli.run_at(later, &refs).ok();
    cli.run_at(later, &["event", "announce", feb]).ok();
}

fn planning_can_be_overridden_with_a_reason(cli: Cli) {
    let (p, _, _) = held(&cli);
    let j = cli.json(&[
        "event",
        "new",
        "--program",
        &p,
        "--title",
        "Dec night",
        "--at",
        "2026-12-10 18:30",
        "--override",
        "venue booking closes today",
    ]);
    assert!(j["id"].as_i64().is_some());
    let o = &cli.json(&["overrides"])[0];
    assert_eq!(
        (o["gate"].as_str(), o["action"].as_str()),
        (Some("retro"), Some("plan_event"))
    );
    assert_eq!(o["reason"], "venue booking closes today");
}

fn announcing_waits_for_the_follow_up_minimum(cli: Cli) {
    let (p, e, people) = held(&cli);
    run_owned(&cli, &retro_flags(&e, &people[..3])).ok();
    let next = cli
        .run(&[
            "--json",
            "event",
            "new",
            "--program",
            &p,
            "--title",
            "Dec night",
            "--at",
            "2026-12-10 18:30",
        ])
        .ok()
        .id();
    for n in 11..=13 {
        let d = cli.demo(next, n, true);
        cli.run(&["demo", "confirm", &d.to_string()]).ok();
    }
    let next = next.to_string();
    let r = cli
        .run(&[
            "retro",
            "write",
            &next,
            "--worked",
            "a",
            "--broke",
            "b",
            "--surprised",
            "c",
        ])
        .fails(1);
    assert!(
        r.stderr
            .contains("is draft; a retro is written after the event is held"),
        "{}",
        r.stderr
    );
    let r = cli.run(&["--json", "event", "announce", &next]).fails(3);
    let j = r.json();
    assert_eq!(j["refused"].as_array().unwrap().len(), 1);
    assert_eq!(j["refused"][0]["gate"], "followup_minimum");
    assert!(
        j["refused"][0]["reasons"][0]
            .as_str()
            .unwrap()
            .starts_with("follow-up for 'Nov night' is 0 of 2; send 2 more")
    );

    let s = cli.json(&["followup", "suggest", &e]);
    assert_eq!(s["people"][0]["why"], "retro pick");
    assert!(
        s["rule"]
            .as_str()
            .unwrap()
            .contains("never someone who declined contact")
    );
    // Someone who declined contact is never suggested, and cannot be sent to.
    cli.run(&["person", "edit", &people[4], "--no-contact"])
        .ok();
    let s = cli.json(&["followup", "suggest", &e]);
    assert!(
        s["people"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["person"].as_i64().unwrap().to_string() != people[4])
    );
    let r = cli
        .run(&["followup", "send", &e, &people[4], "--channel", "message"])
        .fails(1);
    assert!(r.stderr.contains("declined contact"), "{}", r.stderr);
    // E-mail is a channel since issue 17; without a mail server it is a clear error.
    let r = cli
        .run(&["followup", "send", &e, &people[0], "--channel", "email"])
        .fails(1);
    assert!(r.stderr.contains("no SMTP server"), "{}", r.stderr);
    let r = cli
        .run(&["followup", "send", &e, &people[0], "--channel", "fax"])
        .fails(1);
    assert!(
        r.stderr.contains("--channel: \"fax\" is not a channel"),
        "{}",
        r.stderr
    );

    let form = cli.json(&[
        "followup",
        "send",
        &e,
        &people[0],
        "--channel",
        "form",
        "--public-url",
        "https://trellis.example",
    ]);
    let token = form["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 32, "128 bits as hex");
    assert_eq!(
        form["link"].as_str().unwrap(),
        format!("https://trellis.example/f/{token}")
    );
    assert!(
        form["message"]
            .as_str()
            .unwrap()
            .contains("what did you do next?")
    );
    let r = cli
        .run(&["followup", "send", &e, &people[0], "--channel", "message"])
        .fails(1);
    assert!(r.stderr.contains("was already asked"), "{}", r.stderr);

    let st = cli.json(&["followup", "status", &e]);
    assert_eq!(
        (
            st["sent"].as_i64(),
            st["minimum"].as_i64(),
            st["answered"].as_i64()
        ),
        (Some(1), Some(2), Some(0))
    );
    assert_eq!(
        st["due"], "2026-12-01T12:00:00Z",
        "seven days after it was marked held"
    );
    cli.run(&["event", "announce", &next]).fails(3);

    cli.run(&["followup", "send", &e, &people[1], "--channel", "message"])
        .ok();
    cli.json(&[
        "followup",
        "answer",
        &token,
        "--text",
        "Shipped the agent",
        "--outcome",
        "shipped",
    ]);
    let r = cli
        .run(&["followup", "answer", &token, "--text", "again"])
        .fails(1);
    assert!(r.stderr.contains("was already answered"), "{}", r.stderr);
    cli.run(&[
        "followup",
        "answer",
        "0123456789abcdef0123456789abcdef",
        "--text",
        "x",
    ])
    .fails(1);
    cli.run(&[
        "followup",
        "answer",
        "2",
        "--text",
        "x",
        "--outcome",
        "famous",
    ])
    .fails(1);
    assert_eq!(cli.json(&["followup", "status", &e])["answered"], 1);
    cli.run(&["event", "announce", &next]).ok();
}

fn closing_waits_for_retro_follow_ups_and_pipeline_moves(cli: Cli) {
    let (_, e, people) = held(&cli);
    let r = cli.run(&["--json", "event", "close", &e]).fails(3);
    let gates: Vec<String> = r.json()["refused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["gate"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(gates, vec!["retro", "followup_minimum", "pipeline_moves"]);
    run_owned(&cli, &retro_flags(&e, &people[..3])).ok();
    for p in &people[..2] {
        cli.run(&["followup", "send", &e, p, "--channel", "chat"])
            .ok();
    }
    let r = cli.run(&["--json", "event", "close", &e]).fails(3);
    let j = r.json();
    assert_eq!(j["refused"][0]["gate"], "pipeline_moves");
    assert_eq!(
        j["refused"][0]["reasons"][0],
        "0 of 2 people moved ahead on the pipeline since the program began; move 2 more people forward; move them with `trellis board forward <PERSON>`"
    );
    // Presented demos put presenters on the board (not a move); adding a card is not a move.
    let board = cli.json(&["board"]);
    assert_eq!(board["moves_this_cycle"], 0);
    cli.run(&["board", "add", &people[3]]).ok();
    let r = cli
        .run(&["board", "add", &people[4], "--stage", "famous"])
        .fails(1);
    assert!(
        r.stderr.contains("--stage: \"famous\" is not a stage"),
        "{}",
        r.stderr
    );
    cli.run(&[
        "board",
        "add",
        &people[4],
        "--stage",
        "warm_intro",
        "--quiet-killer",
    ])
    .ok();
    cli.run(&["board", "forward", &people[3]]).ok();
    cli.run(&["board", "move", &people[3], "--to", "spotted"])
        .ok();
    let board = cli.json(&["board"]);
    assert_eq!(
        board["moves_this_cycle"], 0,
        "a forward and a back cancel out"
    );
    assert_eq!(board["quiet_killers"], 1);
    // One person moved forward twice is one person moved ahead (the hole: two of three).
    cli.run(&["board", "forward", &people[3]]).ok();
    cli.run(&["board", "forward", &people[3]]).ok();
    let board = cli.json(&["board"]);
    assert_eq!(board["moves_this_cycle"], 1);
    assert_eq!(board["people_moved"], serde_json::json!(["Guest 4"]));
    let r = cli.run(&["--json", "event", "close", &e]).fails(3);
    let j = r.json();
    assert_eq!(j["refused"][0]["gate"], "pipeline_moves");
    let reason = j["refused"][0]["reasons"][0].as_str().unwrap();
    assert!(
        reason.starts_with(
            "1 of 2 people moved ahead on the pipeline since the program began (Guest 4); move 1 more person forward"
        ),
        "{reason}"
    );
    cli.run(&["board", "forward", &people[4]]).ok();
    let closed = cli.json(&["event", "close", &e]);
    assert_eq!(closed["to"], "closed");
    let history = cli.json(&["board", "history"]);
    assert_eq!(history.as_array().unwrap().len(), 5);
    assert_eq!(history[1]["forward"], false);
}

fn presenting_moves_the_presenter(cli: Cli) {
    let p = cli
        .run(&[
            "--json",
            "program",
            "add",
            "Solo",
            "--tz",
            "UTC",
            "--demo-target",
            "1",
        ])
        .ok()
        .id()
        .to_string();
    let e = cli
        .run(&[
            "--json",
            "event",
            "new",
            "--program",
            &p,
            "--title",
            "One",
            "--at",
            "2026-11-01 18:00",
        ])
        .ok()
        .id();
    let d = cli.demo(e, 1, true);
    let presenter = cli.json(&["demo", "show", &d.to_string()])["presenters"][0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    cli.run(&["board", "add", &presenter, "--stage", "candidate"])
        .ok();
    cli.run(&["demo", "confirm", &d.to_string()]).ok();
    cli.run(&["event", "announce", &e.to_string()]).ok();
    cli.run(&["demo", "presented", &d.to_string()]).ok();
    let board = cli.json(&["board"]);
    assert_eq!(
        board["stages"]["speaker"][0]["person"]
            .as_i64()
            .unwrap()
            .to_string(),
        presenter
    );
    let history = cli.json(&["board", "history"]);
    assert_eq!(
        (
            history[0]["from"].as_str(),
            history[0]["to"].as_str(),
            history[0]["automatic"].as_bool()
        ),
        (Some("candidate"), Some("speaker"), Some(true))
    );
}

/// Repeat means two evenings: two demos on one night make a speaker, not a repeat speaker
/// (the hole); a second event does. A manual move to speaker or repeat is allowed and
/// recorded as manual.
fn repeat_means_two_evenings(cli: Cli) {
    let p = cli.program(
        "Solo",
        &["--demo-target", "1", "--demos-per-presenter", "2"],
    );
    let (one, two) = (
        cli.event(&p, "One", "2026-11-01 18:00"),
        cli.event(&p, "Two", "2026-11-15 18:00"),
    );
    let ana = cli.person("Ana Castro").to_string();
    let present = |e: &str, title: &str| {
        let d = cli
            .run(&[
                "--json", "demo", "propose", "--event", e, "--person", &ana, "--title", title,
            ])
            .ok()
            .id()
            .to_string();
        cli.run(&["demo", "screen", &d, "--pass"]).ok();
        cli.run(&["demo", "contract", &d]).ok();
        cli.run(&["demo", "confirm", &d]).ok();
        d
    };
    let demos = [present(&one, "Robot arm"), present(&one, "Robot leg")];
    cli.run(&["event", "announce", &one]).ok();
    for d in &demos {
        cli.run(&["demo", "presented", d]).ok();
    }
    let stage_of = |who: &str| -> String {
        let board = cli.json(&["board"]);
        for (stage, cards) in board["stages"].as_object().unwrap() {
            if cards
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["person"].as_i64().unwrap().to_string() == who)
            {
                return stage.clone();
            }
        }
        panic!("{who} is not on the board: {board}")
    };
    assert_eq!(stage_of(&ana), "speaker", "two demos on one night");
    let d = present(&two, "Robot hand");
    cli.run(&["event", "announce", &two]).ok();
    cli.run(&["demo", "presented", &d]).ok();
    assert_eq!(stage_of(&ana), "repeat", "a second evening");
    let history = cli.json(&["board", "history"]);
    let auto: Vec<(&str, &str)> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["automatic"] == true)
        .map(|m| (m["from"].as_str().unwrap(), m["to"].as_str().unwrap()))
        .collect();
    assert_eq!(auto, vec![("speaker", "repeat")]);
    // A manual move for someone who never presented: allowed, and recorded as manual.
    let ben = cli.person("Ben Weber").to_string();
    cli.run(&["board", "add", &ben, "--stage", "candidate"])
        .ok();
    cli.run(&["board", "move", &ben, "--to", "repeat"]).ok();
    assert_eq!(stage_of(&ben), "repeat");
    let history = cli.json(&["board", "history"]);
    let last = history.as_array().unwrap().last().unwrap();
    assert_eq!(
        (last["to"].as_str(), last["automatic"].as_bool()),
        (Some("repeat"), Some(false))
    );
}

fn checkins_sparks_and_reviews(cli: Cli) {
    let (p, e, people) = held(&cli);
    cli.run(&["organizer", "add", "--name", "Mara Quinn", "--program", &p])
        .ok();
    let r = cli
        .run(&[
            "checkin",
            &e,
            "--organizer",
            "Mara Quinn",
            "--answers",
            "1,2,3,4,5,9,1",
            "--hours",
            "6",
        ])
        .fails(1);
    assert!(
        r.stderr
            .contains("--answers: \"1,2,3,4,5,9,1\" item 6 is \"9\""),
        "{}",
        r.stderr
    );
    let r = cli
        .run(&[
            "checkin",
            &e,
            "--organizer",
            "Ghost",
            "--answers",
            "1,2,3,4,5,1,1",
            "--hours",
            "6",
        ])
        .fails(1);
    assert!(
        r.stderr
            .contains("--organizer: \"Ghost\" is not an organizer"),
        "{}",
        r.stderr
    );
    let c = cli.json(&[
        "checkin",
        &e,
        "--organizer",
        "Mara Quinn",
        "--answers",
        "2,2,3,3,4,3,2",
        "--hours",
        "7.5",
    ]);
    // 75+75+50+50+25+50 + reversed(2 → 25) = 350 / 7 = 50
    assert_eq!(c["score"], 50.0);
    assert_eq!(c["high"], true);
    cli.run(&[
        "checkin",
        &e,
        "--organizer",
        "Mara Quinn",
        "--answers",
        "2,2,3,3,4,3,2",
        "--hours",
        "1",
    ])
    .fails(1);

    let s = cli.json(&[
        "spark",
        "add",
        &people[0],
        &people[1],
        "--event",
        &e,
        "--note",
        "both build robots",
    ]);
    let id = s["id"].as_i64().unwrap().to_string();
    cli.run(&["spark", "add", &people[0], &people[0]]).fails(1);
    cli.json(&[
        "spark",
        "acted",
        &id,
        "--note",
        "co-founded a robotics club",
    ]);
    let list = cli.json(&["spark", "list"]);
    assert_eq!(list[0]["acted_note"], "co-founded a robotics club");

    cli.run(&[
        "event",
        "close",
        &e,
        "--override",
        "first event: mechanisms start next month",
    ])
    .ok();
    let r = cli.json(&["review", "start", "--program", &p]);
    assert_eq!(r["block"]["followups"]["minimum"], 2);
    assert_eq!(
        r["block"]["overrides"].as_array().unwrap().len(),
        3,
        "one override per gate passed"
    );
    cli.run(&["review", "start", "--program", &p]).fails(1);
    cli.run(&["review", "close"]).fails(2);
    cli.run(&["review", "close", "--insight", "  "]).fails(1);
    let closed = cli
        .run(&["--json", "review", "close", "--insight", "Ask at the door"])
        .ok()
        .json();
    assert_eq!(closed["insight"], "Ask at the door");
    assert_eq!(closed["long"], false);
    assert_eq!(cli.json(&["review", "list"]).as_array().unwrap().len(), 1);
}

/// Fatigue that cannot be diluted: an organizer of another program cannot check in for
/// this program's event (the hole: a 25 pulled a 55 down); hours are per held event; the
/// count of organizers high stands beside the index. Recomputed by hand.
fn fatigue_cannot_be_diluted(cli: Cli) {
    let (p, e, _) = held(&cli);
    let other = cli.program("Other Bergen", &[]);
    for (name, program) in [
        ("Mara Quinn", &p),
        ("Nils Berg", &p),
        ("Olaf Outside", &other),
    ] {
        cli.run(&["organizer", "add", "--name", name, "--program", program])
            .ok();
    }
    let checkin = |who: &str, answers: &str, hours: &str| {
        cli.run(&[
            "--json",
            "checkin",
            &e,
            "--organizer",
            who,
            "--answers",
            answers,
            "--hours",
            hours,
        ])
    };
    let r = checkin("Olaf Outside", "5,5,5,5,5,5,1", "1").fails(1);
    assert!(
        r.stderr.contains(
            "--organizer: \"Olaf Outside\" is not an organizer of program 'Tinkerers Oslo'"
        ),
        "{}",
        r.stderr
    );
    // 75+75+50+50+25+50 + reversed(2 → 25) = 350 / 7 = 50
    assert_eq!(
        checkin("Mara Quinn", "2,2,3,3,4,3,2", "7.5").ok().json()["score"],
        50.0
    );
    // 6 × 25 + reversed(4 → 75) = 225 / 7 = 32.14…
    checkin("Nils Berg", "4,4,4,4,4,4,4", "2.5").ok();
    let f = &cli.json(&["metrics", "--program", &p])["fatigue_index"];
    // (50 + 32.142857) / 2 = 41.07 → 41.1; 10 hours over one held event, not over two
    // check-ins; one of two organizers high.
    assert_eq!(f["value"], 41.1, "{f}");
    assert_eq!(f["hours_per_event"], 10.0, "{f}");
    assert_eq!(f["high_organizers"], 1, "{f}");
    assert_eq!(
        f["organizers"].as_array().unwrap().len(),
        2,
        "Olaf wrote nothing"
    );
    // The shared screen names no one beside a burnout score.
    assert!(!f.to_string().contains("Nils Berg"), "{f}");
    assert_eq!(f["organizers"][0]["name"], "organizer 1", "{f}");
    let explained = cli
        .run(&["metrics", "explain", "fatigue_index", "--program", &p])
        .ok()
        .stdout;
    assert!(!explained.contains("Nils Berg"), "{explained}");
    let screen = cli.run(&["metrics", "--program", &p]).ok().stdout;
    assert!(screen.contains("1 of 2 organizers high"), "{screen}");
    // An organizer sees their own trend.
    let mine = cli.json(&["checkin", "show", "--organizer", "Mara Quinn"]);
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
    assert_eq!(mine[0]["score"], 50.0);
    assert_eq!(
        cli.json(&["checkin", "show", "--organizer", "Olaf Outside"]),
        serde_json::json!([])
    );
}

fn the_calendar_feed_parses_and_keeps_its_uids(cli: Cli) {
    let (_, e, people) = held(&cli);
    run_owned(&cli, &retro_flags(&e, &people[..3])).ok();
    let first = cli.run(&["calendar"]).ok().stdout;
    let second = cli.run(&["calendar"]).ok().stdout;
    assert_eq!(first, second, "the same state gives the same feed");
    let parser = ical::IcalParser::new(std::io::BufReader::new(first.as_bytes()));
    let calendars: Vec<_> = parser
        .collect::<Result<_, _>>()
        .expect("an RFC 5545 feed an independent parser reads");
    assert_eq!(calendars.len(), 1);
    let events = &calendars[0].events;
    let prop = |ev: &ical::parser::ical::component::IcalEvent, name: &str| {
        ev.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    let uids: Vec<String> = events.iter().map(|ev| prop(ev, "UID")).collect();
    assert_eq!(
        uids,
        vec![
            format!("event-{e}@trellis"),
            format!("retro-{e}@trellis"),
            format!("followup-{e}@trellis"),
            "review-1@trellis".into()
        ]
    );
    let retro = events
        .iter()
        .find(|ev| prop(ev, "UID").starts_with("retro-"))
        .unwrap();
    assert_eq!(
        prop(retro, "DTSTART"),
        "20261126T120000Z",
        "48 hours after it was marked held"
    );
    assert!(prop(retro, "DESCRIPTION").contains("(written)"));
}

on_both!(
    planning_waits_for_the_retro,
    planning_can_be_overridden_with_a_reason,
    announcing_waits_for_the_retro_even_when_planned_ahead,
    announcing_waits_for_the_follow_up_minimum,
    closing_waits_for_retro_follow_ups_and_pipeline_moves,
    presenting_moves_the_presenter,
    repeat_means_two_evenings,
    checkins_sparks_and_reviews,
    fatigue_cannot_be_diluted,
    the_calendar_feed_parses_and_keeps_its_uids
);

#[test]
fn the_retro_template_is_markdown_with_every_section() {
    let cli = Cli::new(trellis_testkit::TestDb::sqlite());
    let t = cli.run(&["retro", "template"]).ok().stdout;
    for h in [
        "## What worked",
        "## What broke",
        "## What surprised us",
        "## Who to invite next time",
        "## Follow up with (exactly three)",
    ] {
        assert!(t.contains(h), "{h} missing in\n{t}");
    }
}
