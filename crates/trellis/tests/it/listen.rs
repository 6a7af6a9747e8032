//! `trellis listen`: chat import (idempotent, authors linked only when certain) and the
//! discussion report, each verdict and count pinned by a small hand-built WhatsApp chat, on
//! both backends. The tone of every text used here was checked against vaderSentiment 3.3.2.

use crate::support::{Cli, on_both};
use serde_json::{Value, json};
use std::path::PathBuf;

/// (date "DD/MM/YYYY, HH:MM", author, text)
type Line = (&'static str, &'static str, &'static str);

/// A WhatsApp (Android, 24 h, day first) export of `(date "DD/MM/YYYY, HH:MM", author, text)`.
fn export(dir: &tempfile::TempDir, name: &str, lines: &[(&str, &str, &str)]) -> String {
    let mut s = String::from(
        "14/10/2026, 09:00 - Messages and calls are end-to-end encrypted. No one outside of this chat can read them.\n",
    );
    for (at, who, text) in lines {
        s.push_str(&format!("{at} - {who}: {text}\n"));
    }
    let path: PathBuf = dir.path().join(name);
    std::fs::write(&path, s).unwrap();
    path.display().to_string()
}

/// Before the baseline (so the chat starts before the window), two baseline messages
/// (2/28 per day), and one after the window (so the chat spans it). None is related.
fn frame(window: &[Line]) -> Vec<Line> {
    let mut v = vec![
        ("14/10/2026, 10:00", "Old Timer", "anyone up for lunch?"),
        ("20/10/2026, 10:00", "Old Timer", "who is bringing snacks"),
        (
            "01/11/2026, 10:00",
            "Alice Smith",
            "see you at the next one",
        ),
    ];
    v.extend_from_slice(window);
    v.push(("25/11/2026, 10:00", "Old Timer", "anyone up for lunch?"));
    v
}

/// A program in Oslo and its event "Robots night" on 2026-11-12 18:30 local (17:30Z).
fn setup(cli: &Cli) -> (String, String) {
    let (p, e) = {
        let p = cli
            .run(&[
                "--json",
                "program",
                "add",
                "Tinkerers Oslo",
                "--tz",
                "Europe/Oslo",
            ])
            .ok()
            .id();
        let p = p.to_string();
        let e = new_event(cli, &p, "Robots night", "2026-11-12 18:30");
        (p, e)
    };
    (p, e)
}

/// A new event of program `p` at local time `at`; its id.
fn new_event(cli: &Cli, p: &str, title: &str, at: &str) -> String {
    cli.event(p, title, at)
}

fn report(cli: &Cli, e: &str) -> Value {
    cli.json(&["listen", "report", e])
}

fn import(cli: &Cli, p: &str, file: &str) -> Value {
    cli.json(&[
        "listen",
        "import",
        file,
        "--program",
        p,
        "--channel",
        "community",
    ])
}

fn report_keys_and_counts(cli: Cli) {
    let dir = tempfile::tempdir().unwrap();
    let (p, e) = setup(&cli);
    let f = export(
        &dir,
        "chat.txt",
        &frame(&[
            (
                "12/11/2026, 19:00",
                "Alice Smith",
                "the robots demo was terrible",
            ),
            ("12/11/2026, 20:00", "Newbie", "worst demo ever, so boring"),
            ("13/11/2026, 09:00", "Newbie", "the talk was awful"),
            ("13/11/2026, 10:00", "Old Timer", "loved the robots!"),
            ("14/11/2026, 10:00", "Old Timer", "anyone up for lunch?"),
        ]),
    );
    let i = import(&cli, &p, &f);
    assert_eq!(i["read"], 9);
    assert_eq!(i["added"], 9);
    let r = report(&cli, &e);
    for key in [
        "event",
        "window",
        "baseline_per_day",
        "messages",
        "lift",
        "voices",
        "new_voices",
        "related",
        "tone",
        "most_negative",
        "verdict",
        "covered",
    ] {
        assert!(r.get(key).is_some(), "no key {key} in {r}");
    }
    assert_eq!(r["event"], e.parse::<i64>().unwrap());
    assert_eq!(
        r["window"],
        json!({"from": "2026-11-12T17:30:00Z", "to": "2026-11-19T17:30:00Z"})
    );
    assert_eq!(r["covered"], true);
    assert_eq!(r["messages"], 5);
    assert!((r["baseline_per_day"].as_f64().unwrap() - 2.0 / 28.0).abs() < 1e-9);
    assert!((r["lift"].as_f64().unwrap() - (5.0 / 7.0) / (2.0 / 28.0)).abs() < 1e-9);
    assert_eq!(r["voices"], 3);
    assert_eq!(r["new_voices"], 1, "only Newbie wrote first in the window");
    assert_eq!(r["related"]["count"], 4);
    assert_eq!(
        r["tone"],
        json!({"positive": 1, "neutral": 0, "negative": 3})
    );
    assert_eq!(r["verdict"], "negative");
    let worst = r["most_negative"].as_array().unwrap();
    assert_eq!(worst.len(), 3);
    assert_eq!(worst[0]["author"], "Newbie");
    assert_eq!(worst[0]["text"], "worst demo ever, so boring");
    assert_eq!(worst[0]["score"], -0.7959);
    assert_eq!(worst[0]["at"], "2026-11-12T19:00:00Z");
    assert!(r["limits"][0].as_str().unwrap().contains("English only"));
}

fn each_verdict(cli: Cli) {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, Vec<Line>, &str, Value); 3] = [
        (
            "silent",
            vec![
                ("12/11/2026, 19:00", "Alice Smith", "great demo, thanks!"),
                ("12/11/2026, 20:00", "Bea", "the robots were amazing"),
                ("13/11/2026, 20:00", "Bea", "anyone up for lunch?"),
            ],
            "silent",
            json!({"positive": 2, "neutral": 0, "negative": 0}),
        ),
        (
            "positive",
            vec![
                ("12/11/2026, 19:00", "Alice Smith", "great demo, thanks!"),
                ("12/11/2026, 20:00", "Bea", "the robots were amazing"),
                ("13/11/2026, 08:00", "Cem", "loved the robots!"),
                (
                    "13/11/2026, 09:00",
                    "Cem",
                    "slides for the talk are on the wiki",
                ),
                ("13/11/2026, 10:00", "Dana", "Nice talk 👏"),
            ],
            "positive",
            json!({"positive": 4, "neutral": 1, "negative": 0}),
        ),
        (
            "mixed",
            vec![
                ("12/11/2026, 19:00", "Alice Smith", "great demo, thanks!"),
                ("12/11/2026, 20:00", "Bea", "the robots demo was terrible"),
                ("13/11/2026, 08:00", "Cem", "loved the robots!"),
                ("13/11/2026, 09:00", "Cem", "the talk was awful"),
            ],
            "mixed",
            json!({"positive": 2, "neutral": 0, "negative": 2}),
        ),
    ];
    for (name, window, verdict, tone) in cases {
        // A program of its own per case, so chats do not mix.
        let p = cli
            .run(&[
                "--json",
                "program",
                "add",
                &format!("P {name}"),
                "--tz",
                "Europe/Oslo",
            ])
            .ok()
            .id()
            .to_string();
        let e = new_event(&cli, &p, "Robots night", "2026-11-12 18:30");
        let f = export(&dir, &format!("{name}.txt"), &frame(&window));
        import(&cli, &p, &f);
        let r = report(&cli, &e);
        assert_eq!(r["verdict"], verdict, "{name}: {r}");
        assert_eq!(r["tone"], tone, "{name}");
        assert_eq!(r["messages"], window.len(), "{name}");
        assert_eq!(r["covered"], true, "{name}");
    }
}

fn not_covered_is_never_silent(cli: Cli) {
    let dir = tempfile::tempdir().unwrap();
    let (p, e) = setup(&cli);
    // No chat at all.
    let r = report(&cli, &e);
    assert_eq!(r["covered"], false);
    assert_eq!(r["verdict"], "not covered");
    let text = cli.run(&["listen", "report", &e]).ok().stdout;
    assert!(text.contains("NOT COVERED"), "{text}");
    assert!(text.contains("not silence"), "{text}");
    // A chat that ends before the window closes.
    let f = export(
        &dir,
        "early.txt",
        &[
            ("14/10/2026, 10:00", "Old Timer", "anyone up for lunch?"),
            ("13/11/2026, 10:00", "Old Timer", "great demo, thanks!"),
        ],
    );
    import(&cli, &p, &f);
    let r = report(&cli, &e);
    assert_eq!(r["covered"], false);
    assert_eq!(r["verdict"], "not covered");
    assert_eq!(r["chats_span"]["to"], "2026-11-13T09:00:00Z");
}

fn import_is_idempotent_and_links_only_certain_authors(cli: Cli) {
    let dir = tempfile::tempdir().unwrap();
    let (p, _e) = setup(&cli);
    let alice = cli.person("Alice Smith");
    cli.person("Bob");
    cli.person("Bob");
    let all = frame(&[
        ("12/11/2026, 19:00", "Alice Smith", "great demo, thanks!"),
        ("12/11/2026, 20:00", "Bob", "the robots were amazing"),
        ("13/11/2026, 08:00", "Cem", "loved the robots!"),
        ("13/11/2026, 09:00", "Cem", "loved the robots!"),
        ("13/11/2026, 09:00", "Cem", "loved the robots!"),
    ]);
    let whole = export(&dir, "whole.txt", &all);
    let first = export(&dir, "first.txt", &all[..5]);
    let second = export(&dir, "second.txt", &all[3..]);
    let a = import(&cli, &p, &first);
    assert_eq!(a["added"], 5);
    let b = import(&cli, &p, &second);
    assert_eq!(b["read"], 6);
    assert_eq!(
        b["added"], 4,
        "the two overlapping messages are already stored; the same text twice in one minute is two messages"
    );
    assert_eq!(b["already_stored"], 2);
    let c = import(&cli, &p, &whole);
    assert_eq!(
        c["added"], 0,
        "the whole export adds nothing after its two halves"
    );
    let d = import(&cli, &p, &whole);
    assert_eq!(d["added"], 0);
    assert_eq!(
        c["linked"],
        json!([{"author": "Alice Smith", "person": alice, "by": "exact name"}])
    );
    assert_eq!(c["ambiguous"], json!(["Bob"]));
}

fn bad_input(cli: Cli) {
    let dir = tempfile::tempdir().unwrap();
    let (p, e) = setup(&cli);
    let junk = dir.path().join("junk.txt");
    std::fs::write(&junk, "this is not a chat export\n").unwrap();
    let r = cli.run(&["listen", "import", junk.to_str().unwrap(), "--program", &p]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("junk.txt"), "{}", r.stderr);
    let r = cli
        .run(&["listen", "import", "missing.txt", "--program", &p])
        .fails(1);
    assert_eq!(
        r.stderr.matches("missing.txt").count(),
        1,
        "said once: {}",
        r.stderr
    );
    assert_eq!(
        r.stderr.matches("No such file").count(),
        1,
        "said once: {}",
        r.stderr
    );
    let f = export(&dir, "ok.txt", &frame(&[]));
    cli.run(&["listen", "import", &f, "--program", "999"])
        .fails(1);
    cli.run(&["listen", "report", "999"]).fails(1);
    cli.run(&["listen", "report", &e, "--days", "0"]).fails(1);
    // Nothing was stored by the failed imports.
    assert_eq!(report(&cli, &e)["channels"], json!([]));
}

/// A zip bomb (built here, never committed) is refused with a clear error, and nothing
/// of it is stored.
fn a_zip_bomb_is_refused_and_writes_nothing(cli: Cli) {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let (p, e) = setup(&cli);
    let path = dir.path().join("bomb.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    z.start_file("_chat.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    let line = b"12/11/2026, 19:00 - Ana: great demo night\n";
    for _ in 0..(4 << 20) / line.len() {
        z.write_all(line).unwrap();
    }
    z.finish().unwrap();
    let r = cli
        .run(&["listen", "import", path.to_str().unwrap(), "--program", &p])
        .fails(1);
    assert!(
        r.stderr
            .contains("refused: it unpacks to more than 200 times its compressed size"),
        "{}",
        r.stderr
    );
    assert_eq!(report(&cli, &e)["channels"], json!([]));
}

/// A report that covers the held event's window, and is not silent, passes the follow-up
/// gate on closing.
fn a_covering_report_satisfies_the_follow_up_gate(cli: Cli) {
    let dir = tempfile::tempdir().unwrap();
    let (p, e) = setup(&cli);
    let eid: i64 = e.parse().unwrap();
    for n in 1..=3 {
        let d = cli.demo(eid, n, true);
        cli.run(&["demo", "confirm", &d.to_string()]).ok();
    }
    cli.run(&["event", "announce", &e]).ok();
    cli.run(&["event", "held", &e]).ok();
    let gates = |cli: &Cli| -> Vec<String> {
        let r = cli.run(&["--json", "event", "close", &e]).fails(3);
        r.json()["refused"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["gate"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(gates(&cli).contains(&"followup_minimum".to_owned()));
    // A report that does not cover the window does not count.
    report(&cli, &e);
    assert!(gates(&cli).contains(&"followup_minimum".to_owned()));
    // A covering but silent report does not count either: silence is the reason to ask
    // people personally, and the refusal says so with the report's numbers.
    let f = export(
        &dir,
        "chat.txt",
        &frame(&[("12/11/2026, 19:00", "Alice Smith", "great demo, thanks!")]),
    );
    import(&cli, &p, &f);
    let silent = report(&cli, &e);
    assert_eq!(
        (silent["covered"].as_bool(), silent["verdict"].as_str()),
        (Some(true), Some("silent"))
    );
    let r = cli.run(&["--json", "event", "close", &e]).fails(3);
    let j = r.json();
    let followup = j["refused"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["gate"] == "followup_minimum")
        .unwrap_or_else(|| panic!("{j}"));
    let reason = followup["reasons"][0].as_str().unwrap();
    assert!(
        reason.starts_with(
            "follow-up for 'Robots night' is 0 of 10, and its chat report is silent (1 message, 2.00× the baseline, 1 about the event): silence is the strongest reason to ask people personally; send 10 more personal follow-ups"
        ),
        "{reason}"
    );
    // A newer export with the week's discussion: a positive report passes the gate.
    let f = export(
        &dir,
        "chat2.txt",
        &frame(&[
            ("12/11/2026, 19:00", "Alice Smith", "great demo, thanks!"),
            ("12/11/2026, 20:00", "Bea", "the robots were amazing"),
            ("13/11/2026, 08:00", "Cem", "loved the robots!"),
            ("13/11/2026, 10:00", "Dana", "Nice talk 👏"),
        ]),
    );
    import(&cli, &p, &f);
    assert_eq!(report(&cli, &e)["verdict"], "positive");
    assert!(!gates(&cli).contains(&"followup_minimum".to_owned()));
}

/// The report without what a purge takes away on purpose: the messages' text, and the
/// note that says the channel was purged.
fn figures(mut r: Value) -> Value {
    for m in r["most_negative"].as_array_mut().unwrap() {
        m.as_object_mut().unwrap().remove("text");
    }
    r.as_object_mut().unwrap().remove("limits");
    r
}

fn purge_keeps_every_figure_and_removes_all_text(cli: Cli) {
    let dir = tempfile::tempdir().unwrap();
    let (p, e) = setup(&cli);
    // Ines presents "Arm kinematics": "ines, ..." is related through her name only, and
    // through a demo added before the purge.
    let ines = cli.person("Ines Berg").to_string();
    cli.json(&[
        "demo",
        "propose",
        "--event",
        &e,
        "--person",
        &ines,
        "--title",
        "Arm kinematics",
    ]);
    let f = export(
        &dir,
        "chat.txt",
        &frame(&[
            (
                "12/11/2026, 19:00",
                "Alice Smith",
                "the robots demo was terrible",
            ),
            (
                "12/11/2026, 20:00",
                "Newbie",
                "Ines Berg, that was brilliant",
            ),
            (
                "13/11/2026, 09:00",
                "Newbie",
                "kinematics are hard, sad it broke",
            ),
            ("13/11/2026, 10:00", "Old Timer", "loved the robots!"),
            ("14/11/2026, 10:00", "Old Timer", "anyone up for lunch?"),
        ]),
    );
    import(&cli, &p, &f);
    // A second event a week later, whose window overlaps the first's.
    let e2 = new_event(&cli, &p, "Synth night", "2026-11-14 18:30");
    let before = [report(&cli, &e), report(&cli, &e2)];
    assert_eq!(before[0]["related"]["count"], 4, "{}", before[0]);

    let purged = cli.json(&["listen", "purge", "community"]);
    assert_eq!(purged["purged"], 9, "{purged}");
    assert_eq!(purged["related_kept"], 4, "{purged}");
    let after = [report(&cli, &e), report(&cli, &e2)];
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(figures(b.clone()), figures(a.clone()));
        for m in a["most_negative"].as_array().unwrap() {
            assert_eq!(m["text"], Value::Null);
        }
        assert!(a["limits"].to_string().contains("was purged"), "{a}");
    }
    // No message text is left anywhere in the database.
    let dump = cli.run(&["export"]).ok().stdout;
    for word in ["robots", "brilliant", "lunch", "kinematics are hard"] {
        assert!(!dump.contains(word), "{word} is still stored");
    }
    // Importing the same export again finds every message stored: the text stays gone.
    let again = import(&cli, &p, &f);
    assert_eq!(again["added"], 0);
    assert!(!cli.run(&["export"]).ok().stdout.contains("brilliant"));
    // Purging twice is harmless; a channel that does not exist is an error.
    assert_eq!(cli.json(&["listen", "purge", "community"])["purged"], 0);
    let r = cli.run(&["listen", "purge", "nope"]).fails(1);
    assert!(r.stderr.contains("nope"), "{}", r.stderr);
}

/// An import killed half-way (the process, not a polite error) leaves nothing behind.
fn an_interrupted_import_leaves_nothing(cli: Cli) {
    let dir = tempfile::tempdir().unwrap();
    let (p, _) = setup(&cli);
    let mut s = String::new();
    for i in 0..400_000u32 {
        let (day, hour, minute) = (1 + (i / 1440) % 28, (i / 60) % 24, i % 60);
        s.push_str(&format!(
            "{day:02}/10/2026, {hour:02}:{minute:02} - Person {}: message number {i}, great stuff\n",
            i % 97
        ));
    }
    let path = dir.path().join("big.txt");
    std::fs::write(&path, s).unwrap();
    let mut child = crate::support::process(&cli.db.url)
        .args(["listen", "import", path.to_str().unwrap(), "--program", &p])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the import finished before it could be interrupted: make the file larger"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let channels = cli.json(&["listen", "channels"]);
    assert_eq!(channels, json!([]), "nothing half-imported");
}

fn program_keywords_tie_messages_to_the_event(cli: Cli) {
    let dir = tempfile::tempdir().unwrap();
    let (p, e) = setup(&cli);
    let f = export(
        &dir,
        "chat.txt",
        &frame(&[
            ("12/11/2026, 21:00", "Bea", "#tinkerers was great fun"),
            ("13/11/2026, 09:00", "Cem", "love the tinkerers crowd"),
            ("13/11/2026, 10:00", "Dana", "great robots"),
        ]),
    );
    import(&cli, &p, &f);
    assert_eq!(report(&cli, &e)["related"]["count"], 1);
    let none = cli.json(&["listen", "keywords", "--program", &p]);
    assert_eq!(none["keywords"], json!([]));
    let set = cli.json(&[
        "listen",
        "keywords",
        "--program",
        &p,
        "#Tinkerers",
        "tinkerersosl",
    ]);
    assert_eq!(set["keywords"], json!(["tinkerers", "tinkerersosl"]));
    let r = report(&cli, &e);
    assert_eq!(r["related"]["count"], 3, "{r}");
    assert_eq!(r["verdict"], "positive", "{r}");
    assert!(
        r["related"]["matched_on"]
            .as_array()
            .unwrap()
            .contains(&json!("tinkerers (program keyword)"))
    );
    let bad = cli
        .run(&["listen", "keywords", "--program", &p, "demo night"])
        .fails(1);
    assert!(bad.stderr.contains("not one word"), "{}", bad.stderr);
    assert_eq!(
        cli.json(&["listen", "keywords", "--program", &p])["keywords"],
        json!(["tinkerers", "tinkerersosl"]),
        "a refused change changes nothing"
    );
    cli.json(&["listen", "keywords", "--program", &p, "--clear"]);
    assert_eq!(report(&cli, &e)["related"]["count"], 1);
    cli.run(&["listen", "keywords", "--program", "999"])
        .fails(1);
}

/// Related messages that mean it (the hole: "text", "auto", "edge" and a first name linked
/// chatter to the event), and the complaints that do not name the event are still read:
/// `most_negative` draws on every message of the window.
fn related_messages_that_mean_it(cli: Cli) {
    let dir = tempfile::tempdir().unwrap();
    let (p, _) = setup(&cli);
    let e = new_event(&cli, &p, "Edge text night", "2026-11-12 18:30");
    let ana = cli.person("Ana Castro").to_string();
    cli.json(&[
        "demo",
        "propose",
        "--event",
        &e,
        "--person",
        &ana,
        "--title",
        "Auto text summaries",
    ]);
    let f = export(
        &dir,
        "chat.txt",
        &frame(&[
            ("12/11/2026, 21:00", "Bea", "ana, are you coming to lunch?"),
            ("13/11/2026, 09:00", "Cem", "my auto text keeps crashing"),
            ("13/11/2026, 10:00", "Dana", "life on the edge"),
            (
                "13/11/2026, 11:00",
                "Eli",
                "the parking was a disaster, awful",
            ),
            (
                "13/11/2026, 12:00",
                "Bea",
                "Ana Castro nailed it, great job",
            ),
        ]),
    );
    import(&cli, &p, &f);
    let r = report(&cli, &e);
    assert_eq!(r["related"]["count"], 1, "only the full name: {r}");
    let matched = r["related"]["matched_on"].to_string();
    assert!(
        matched.contains("ana castro (presenter's full name)")
            && !matched.contains("\"edge")
            && !matched.contains("\"text")
            && !matched.contains("\"auto"),
        "{matched}"
    );
    let worst: Vec<&str> = r["most_negative"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert!(
        worst.contains(&"the parking was a disaster, awful"),
        "a complaint that does not name the event is read: {worst:?}"
    );
}

/// A title word the chat uses every day ("robots" in a robotics chat) ties nothing; a rare
/// one ("kinematics") still does, and a presenter's chat handle does, once the chat author
/// is linked to them (here through a merge), while a first name never does. The report
/// says which rule matched and which words were left out as common.
fn common_title_words_and_chat_handles(cli: Cli) {
    let dir = tempfile::tempdir().unwrap();
    let (p, e) = setup(&cli);
    let priya = cli.person("Priya Shah").to_string();
    let pshah = cli.person("pshah").to_string();
    cli.json(&[
        "demo",
        "propose",
        "--event",
        &e,
        "--person",
        &priya,
        "--title",
        "Arm kinematics",
    ]);
    // 240 messages in the 28 days before the event (10 a day from 16/10), one in ten
    // about robots: everyday talk here.
    let mut lines: Vec<(String, &str, &str)> = Vec::new();
    for day in 0..24 {
        let date = jiff::civil::date(2026, 10, 16) + jiff::Span::new().days(day);
        for i in 0..10 {
            let text = if i == 0 {
                "my robots are charging"
            } else {
                "lunch anyone?"
            };
            lines.push((
                format!(
                    "{:02}/{:02}/{}, {:02}:00",
                    date.day(),
                    date.month(),
                    date.year(),
                    8 + i
                ),
                "Old Timer",
                text,
            ));
        }
    }
    for (at, who, text) in [
        ("12/11/2026, 21:00", "Bea", "robots robots robots"),
        (
            "12/11/2026, 21:30",
            "Cem",
            "the kinematics bit blew my mind",
        ),
        ("13/11/2026, 09:00", "pshah", "thanks all, slides soon"),
        ("13/11/2026, 10:00", "Dana", "great stuff @pshah"),
        ("13/11/2026, 11:00", "Eli", "priya, lunch?"),
        ("25/11/2026, 10:00", "Old Timer", "anyone up for lunch?"),
    ] {
        lines.push((at.to_owned(), who, text));
    }
    let borrowed: Vec<(&str, &str, &str)> =
        lines.iter().map(|(a, w, t)| (a.as_str(), *w, *t)).collect();
    let f = export(&dir, "chat.txt", &borrowed);
    import(&cli, &p, &f);
    // The chat author "pshah" was linked by exact name; the merge moves it to Priya.
    cli.json(&["person", "merge", &priya, &pshah]);
    let r = report(&cli, &e);
    // kinematics; "slides" (the event named generically); "@pshah" (her handle).
    assert_eq!(r["related"]["count"], 3, "{r}");
    let matched = r["related"]["matched_on"].to_string();
    assert!(
        matched.contains("kinematics (title word)")
            && matched.contains("pshah (presenter's chat handle)")
            && matched.contains("priya shah (presenter's full name)")
            && !matched.contains("\"robots"),
        "{matched}"
    );
    assert_eq!(
        r["related"]["not_matched"],
        json!(["robots (title word, in 10.0% of the chat's messages before the event)"])
    );
    let text = cli.run(&["listen", "report", &e]).ok().stdout;
    assert!(
        text.contains("not matched, common in this chat: robots"),
        "{text}"
    );
    // A purge freezes relatedness as judged with the chat's words still readable: the
    // figures stay (what later messages would be matched on is read from what is left).
    cli.json(&["listen", "purge", "community"]);
    let after = report(&cli, &e);
    assert_eq!(after["related"]["count"], r["related"]["count"], "{after}");
    assert_eq!(after["tone"], r["tone"]);
}

on_both!(
    common_title_words_and_chat_handles,
    a_zip_bomb_is_refused_and_writes_nothing,
    related_messages_that_mean_it,
    program_keywords_tie_messages_to_the_event,
    purge_keeps_every_figure_and_removes_all_text,
    an_interrupted_import_leaves_nothing,
    report_keys_and_counts,
    each_verdict,
    not_covered_is_never_silent,
    import_is_idempotent_and_links_only_certain_authors,
    bad_input,
    a_covering_report_satisfies_the_follow_up_gate,
);
