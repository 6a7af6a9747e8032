//! No overselling, ever: several `trellis` processes confirm demos for the last free slot
//! at the same moment; exactly one succeeds and the others are refused by the gate.

use crate::support::{Cli, on_both, process};
use std::process::Stdio;

const RACERS: usize = 6;

fn processes_racing_for_the_last_slot(cli: Cli) {
    let (_, e) = cli.program_and_event("2");
    // One slot is already taken; one is left.
    let taken = cli.demo(e, 0, true);
    cli.run(&["demo", "confirm", &taken.to_string()]).ok();
    let demos: Vec<i64> = (1..=RACERS).map(|n| cli.demo(e, n, true)).collect();

    let children: Vec<_> = demos
        .iter()
        .map(|d| {
            let mut c = process(&cli.db.url);
            c.args(["--json", "demo", "confirm", &d.to_string()])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn trellis")
        })
        .collect();
    let mut codes = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let code = out.status.code().unwrap_or(-1);
        if code == 3 {
            let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(j["refused"][0]["gate"], "slot_inventory");
            assert!(
                j["refused"][0]["reasons"][0]
                    .as_str()
                    .unwrap()
                    .starts_with("no free slot: 2 of 2 slots taken")
            );
        } else {
            assert_eq!(code, 0, "stderr: {}", String::from_utf8_lossy(&out.stderr));
        }
        codes.push(code);
    }
    assert_eq!(
        codes.iter().filter(|c| **c == 0).count(),
        1,
        "exactly one winner: {codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| **c == 3).count(),
        RACERS - 1,
        "{codes:?}"
    );
    let shown = cli.json(&["event", "show", &e.to_string()]);
    assert_eq!(shown["slots_taken"], 2);
    assert_eq!(shown["demos_by_status"]["confirmed"], 2);
}

on_both!(processes_racing_for_the_last_slot);
