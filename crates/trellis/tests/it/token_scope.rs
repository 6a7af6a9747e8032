//! Program-scoped API tokens (issue 20, point 1): `trellis token create --name <NAME>
//! [--program <PROGRAM>]`, the scope `token list` shows, and an unknown program refused
//! with nothing written.

use crate::support::{Cli, on_both};
use serde_json::Value;

fn a_token_may_read_one_program(cli: Cli) {
    let lisbon = cli.program("Lisbon builders", &[]);

    let scoped = cli.json(&[
        "token",
        "create",
        "--name",
        "lisbon-ci",
        "--program",
        "Lisbon builders",
    ]);
    assert!(
        scoped["token"].as_str().unwrap().starts_with("trl_"),
        "{scoped}"
    );
    assert_eq!(scoped["program_id"].to_string(), lisbon, "{scoped}");
    assert_eq!(scoped["program"], "Lisbon builders", "{scoped}");
    // By id too; without --program a token reads every program, as before.
    let by_id = cli.json(&[
        "token",
        "create",
        "--name",
        "lisbon-2",
        "--program",
        &lisbon,
    ]);
    assert_eq!(by_id["program"], "Lisbon builders", "{by_id}");
    let open = cli.json(&["token", "create", "--name", "ci"]);
    assert_eq!(open["program_id"], Value::Null, "{open}");

    let list = cli.json(&["token", "list"]);
    let names: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].clone(),
                t["program"].clone(),
                t["program_id"].clone(),
            )
        })
        .collect();
    assert_eq!(
        names,
        vec![
            (
                "lisbon-ci".into(),
                "Lisbon builders".into(),
                lisbon.parse::<i64>().unwrap().into()
            ),
            (
                "lisbon-2".into(),
                "Lisbon builders".into(),
                lisbon.parse::<i64>().unwrap().into()
            ),
            ("ci".into(), Value::Null, Value::Null),
        ]
    );
    let text = cli.run(&["token", "list"]).ok().stdout;
    assert!(text.contains("PROGRAM"), "{text}");
    let ci_line = text
        .lines()
        .find(|l| l.contains(" ci "))
        .unwrap_or_default();
    assert!(ci_line.contains("all programs"), "{text}");
    assert_eq!(text.matches("Lisbon builders").count(), 2, "{text}");

    // An unknown program: a clear error, and no token minted.
    let refused = cli
        .run(&[
            "token",
            "create",
            "--name",
            "ghost",
            "--program",
            "Atlantis",
        ])
        .fails(1);
    assert!(refused.stderr.contains("Atlantis"), "{}", refused.stderr);
    assert!(refused.stdout.is_empty(), "{}", refused.stdout);
    cli.run(&["token", "create", "--name", "ghost", "--program", "999"])
        .fails(1);
    assert_eq!(cli.json(&["token", "list"]).as_array().unwrap().len(), 3);
}

on_both!(a_token_may_read_one_program);
