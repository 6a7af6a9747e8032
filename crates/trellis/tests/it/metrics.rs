//! `trellis metrics`: the JSON contract, the one screen, explanations, and the same
//! figures on SQLite and PostgreSQL for the same data.

use crate::support::Cli;
use trellis_testkit::TestDb;

const KEYS: [(&str, &[&str]); 10] = [
    (
        "returning_builder_rate",
        &["value", "estimated", "per_event"],
    ),
    (
        "first_time_demo_conversion",
        &["value", "cohort", "converted", "so_far"],
    ),
    ("repeat_speaker_rate", &["value", "speakers", "repeat"]),
    ("collaboration_sparks", &["made", "acted"]),
    ("time_to_ship", &["median_days", "quality_events", "events"]),
    ("fatigue_index", &["value", "high", "organizers"]),
    (
        "fragility",
        &[
            "top_presenter_share",
            "top_event_share",
            "top_organizer_share",
            "warnings",
        ],
    ),
    (
        "pipeline",
        &["stages", "quiet_killers", "moves_this_cycle", "minimum"],
    ),
    ("followups", &["event", "sent", "minimum", "answered"]),
    ("next_event", &["event", "demos_confirmed", "demo_target"]),
];

#[test]
fn the_json_has_every_key_of_the_contract() {
    let cli = Cli::new(TestDb::sqlite());
    cli.run(&["sample"]).ok();
    let m = cli.json(&["metrics", "--program", "1"]);
    for (metric, keys) in KEYS {
        for k in keys {
            assert!(
                m[metric].get(k).is_some(),
                "{metric}.{k} missing in {}",
                m[metric]
            );
        }
    }
    for stage in ["spotted", "warm_intro", "candidate", "speaker", "repeat"] {
        assert!(m["pipeline"]["stages"][stage].is_u64());
    }
    let per = m["returning_builder_rate"]["per_event"].as_array().unwrap();
    for k in ["event", "starts_at", "attended", "returning", "rate"] {
        assert!(per[0].get(k).is_some(), "per_event.{k}");
    }
    assert_eq!(m["next_event"]["demos_confirmed"], 2);
    assert_eq!(m["followups"]["sent"], 6);
    assert_eq!(m["first_time_demo_conversion"]["so_far"], true);
}

#[test]
fn the_terminal_view_is_one_screen() {
    let cli = Cli::new(TestDb::sqlite());
    cli.run(&["sample"]).ok();
    let out = cli.run(&["metrics"]).ok().stdout;
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() <= 24, "{} lines:\n{out}", lines.len());
    assert!(
        lines.iter().all(|l| l.chars().count() <= 100),
        "a line is wider than 100 columns:\n{out}"
    );
    assert!(out.contains("Returning builders"), "{out}");
    assert!(
        out.contains("✗ demo_slot_contract: 2 of 3 presenters confirmed"),
        "the next event's gates:\n{out}"
    );
}

#[test]
fn explain_adds_up() {
    let cli = Cli::new(TestDb::sqlite());
    cli.run(&["sample"]).ok();
    let m = cli.json(&["metrics"]);
    let e = cli.json(&["metrics", "explain", "returning_builder_rate"]);
    let per = m["returning_builder_rate"]["per_event"].as_array().unwrap();
    let returning: u64 = per.iter().map(|p| p["returning"].as_u64().unwrap()).sum();
    let attended: u64 = per.iter().map(|p| p["attended"].as_u64().unwrap()).sum();
    assert_eq!(
        (e["numerator"].as_u64(), e["denominator"].as_u64()),
        (Some(returning), Some(attended))
    );
    let d = &e["detail"][0];
    assert_eq!(
        d["returning_people"].as_array().unwrap().len() as u64,
        d["returning"].as_u64().unwrap()
    );
    assert!(
        d["first_timers"][0].as_str().unwrap().contains('('),
        "names with ids: {}",
        d["first_timers"][0]
    );
    let c = cli.json(&["metrics", "explain", "first_time_demo_conversion"]);
    assert_eq!(c["denominator"], m["first_time_demo_conversion"]["cohort"]);
    let text = cli
        .run(&["metrics", "explain", "repeat_speaker_rate"])
        .ok()
        .stdout;
    assert!(
        text.contains("Of the people who presented in the 365 days"),
        "{text}"
    );
    let r = cli.run(&["metrics", "explain", "vibes"]).fails(1);
    assert!(
        r.stderr.contains("METRIC: \"vibes\" is not a metric"),
        "{}",
        r.stderr
    );
}

#[test]
fn periods_and_bad_dates() {
    let cli = Cli::new(TestDb::sqlite());
    cli.run(&["sample"]).ok();
    let r = cli.run(&["metrics", "--at", "24/11/2026"]).fails(1);
    assert!(
        r.stderr
            .contains("--at: \"24/11/2026\" is not a date of the form YYYY-MM-DD"),
        "{}",
        r.stderr
    );
    cli.run(&["metrics", "--from", "2026-10-01", "--to", "2026-09-01"])
        .fails(1);
    let m = cli.json(&["metrics", "--from", "2026-09-01", "--to", "2026-10-31"]);
    let n = m["returning_builder_rate"]["per_event"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(n, 2, "the September and October nights");
    let past = cli.json(&["metrics", "--at", "2025-01-01"]);
    assert_eq!(
        past["returning_builder_rate"]["value"],
        serde_json::Value::Null,
        "nothing had happened yet"
    );
}

#[test]
fn the_same_data_gives_the_same_figures_on_both_backends() {
    let Some(pg) = TestDb::postgres() else { return };
    let a = Cli::new(TestDb::sqlite());
    let b = Cli::new(pg);
    a.run(&["sample", "--seed", "5"]).ok();
    b.run(&["sample", "--seed", "5"]).ok();
    for args in [
        vec!["metrics"],
        vec!["metrics", "--program", "1", "--at", "2026-06-30"],
    ] {
        assert_eq!(a.json(&args), b.json(&args), "{args:?}");
    }
}

/// `metrics --by-program --csv`, read back by Python's `csv` module, holds the same
/// figures as `--json`, one row per program.
#[test]
fn the_csv_per_program_round_trips_through_python() {
    let cli = Cli::new(TestDb::sqlite());
    cli.run(&["sample"]).ok();
    cli.run(&["program", "add", "Lisbon", "--tz", "Europe/Lisbon"])
        .ok();
    let json = cli.json(&["metrics", "--by-program"]);
    let csv = cli.run(&["metrics", "--by-program", "--csv"]).ok().stdout;
    let Ok(out) = std::process::Command::new("python3")
        .args([
            "-c",
            "import csv, json, sys; print(json.dumps(list(csv.DictReader(sys.stdin))))",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(csv.as_bytes())?;
            child.wait_with_output()
        })
    else {
        eprintln!("python3 not found: the CSV round trip was skipped");
        return;
    };
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), json.as_array().unwrap().len());
    assert_eq!(rows.len(), 2, "{csv}");
    for (row, j) in rows.iter().zip(json.as_array().unwrap()) {
        assert_eq!(row["name"], j["name"]);
        for (col, key) in [
            ("returning_builder_rate", "returning"),
            ("first_time_demo_conversion", "conversion"),
            ("repeat_speaker_rate", "repeat"),
            ("fatigue_index", "fatigue"),
            ("time_to_ship_days", "time_to_ship_days"),
        ] {
            let cell = row[col].as_str().unwrap();
            match j[key].as_f64() {
                Some(v) => assert_eq!(cell.parse::<f64>().unwrap(), v, "{col}"),
                None => assert_eq!(cell, "", "{col}"),
            }
        }
    }
    assert!(
        rows[0]["next_event_gates"]
            .as_str()
            .unwrap()
            .starts_with("blocked: "),
        "{csv}"
    );
    assert_eq!(rows[1]["next_event_gates"], "no event planned");
    // The whole screen as CSV: a row per metric.
    let screen = cli.run(&["metrics", "--csv"]).ok().stdout;
    assert!(screen.starts_with("metric,value\n"), "{screen}");
    assert_eq!(screen.lines().count(), 8, "{screen}");
}

/// `review show <ID> --format md|html`: a document to paste or attach, whole in itself.
#[test]
fn a_review_is_a_document_to_hand_on() {
    let cli = Cli::new(TestDb::sqlite());
    cli.run(&["sample"]).ok();
    let md = cli
        .run(&["review", "show", "1", "--format", "md"])
        .ok()
        .stdout;
    for part in [
        "# Metric review of ",
        "## The insight",
        "> ",
        "**Speaker pipeline:** spotted ",
        "## Overrides since the review before",
    ] {
        assert!(md.contains(part), "{part}: {md}");
    }
    let html = cli
        .run(&["review", "show", "1", "--format", "html"])
        .ok()
        .stdout;
    assert!(html.starts_with("<!doctype html>"), "{html}");
    assert!(html.contains("<style>"), "the style is inside");
    assert!(
        !html.contains("<link rel=\"stylesheet\""),
        "nothing to fetch"
    );
    assert!(html.contains("The insight"));
    cli.run(&["review", "show", "1", "--format", "pdf"])
        .fails(2);
    cli.run(&["review", "show", "99", "--format", "md"])
        .fails(1);
}
