//! Taking access back from the CLI: `trellis user disable|enable|password|remove`,
//! `trellis user sessions <USER> [--revoke]` and `trellis token list|revoke`, their JSON
//! keys and exit codes.

use crate::support::{Cli, Run, command, on_both};
use serde_json::Value;

fn with_password(cli: &Cli, args: &[&str], password: &str) -> Run {
    command(&cli.db.url)
        .args(args)
        .write_stdin(format!("{password}\n"))
        .output()
        .expect("run trellis")
        .into()
}

fn users(cli: &Cli) -> Value {
    cli.json(&["user", "list"])
}

fn users_and_tokens_can_be_taken_back(cli: Cli) {
    let add = [
        "--json",
        "user",
        "add",
        "ada@x.example",
        "--name",
        "Ada",
        "--role",
        "organizer",
        "--password-stdin",
    ];
    let id = with_password(&cli, &add, "a long enough password")
        .ok()
        .id()
        .to_string();

    let r = cli.json(&["user", "disable", "ada@x.example"]);
    assert_eq!(r["user"]["id"].to_string(), id);
    assert!(r["user"]["disabled_at"].is_string(), "{r}");
    assert_eq!(r["sessions_ended"], 0);
    let r = cli.json(&["user", "enable", &id]);
    assert_eq!(r["user"]["disabled_at"], Value::Null, "{r}");

    let r = with_password(
        &cli,
        &["--json", "user", "password", &id, "--password-stdin"],
        "another long password",
    )
    .ok()
    .json();
    assert_eq!(r["sessions_ended"], 0, "{r}");
    with_password(
        &cli,
        &["user", "password", &id, "--password-stdin"],
        "short",
    )
    .fails(1);

    let r = cli.json(&["user", "sessions", "ada@x.example"]);
    assert_eq!(r["sessions"], serde_json::json!([]), "{r}");
    let r = cli.json(&["user", "sessions", "ada@x.example", "--revoke"]);
    assert_eq!(r["revoked"], 0, "{r}");
    let text = cli.run(&["user", "sessions", &id]).ok().stdout;
    assert!(text.contains("ada@x.example has no live session"), "{text}");

    // Removed: the row stays, anonymised; the e-mail is free again; no way back.
    let r = cli.json(&["user", "remove", &id]);
    assert_eq!(r["user"]["name"], format!("removed user {id}"), "{r}");
    assert!(r["user"]["removed_at"].is_string());
    assert!(
        !users(&cli).to_string().contains("ada@x.example"),
        "{}",
        users(&cli)
    );
    cli.run(&["user", "enable", &id]).fails(1);
    with_password(&cli, &add, "a long enough password").ok();
    assert_eq!(users(&cli).as_array().unwrap().len(), 2);

    cli.run(&["user", "disable", "nobody@x.example"]).fails(1);
    cli.run(&["user", "sessions", "99"]).fails(1);

    // Tokens: listed without their secret, revoked by id.
    let t = cli.json(&["token", "create", "--name", "ci"]);
    let secret = t["token"].as_str().unwrap().to_owned();
    let tid = t["id"].to_string();
    let list = cli.json(&["token", "list"]);
    assert_eq!(list[0]["name"], "ci");
    assert_eq!(list[0]["revoked_at"], Value::Null);
    assert!(
        !list.to_string().contains(&secret),
        "never the token itself"
    );
    let r = cli.json(&["token", "revoke", &tid]);
    assert!(r["revoked_at"].is_string(), "{r}");
    let text = cli.run(&["token", "list"]).ok().stdout;
    assert!(
        text.contains("REVOKED") && text.contains("2026-11-24T12:00:00Z"),
        "{text}"
    );
    cli.run(&["token", "revoke", "99"]).fails(1);
    cli.run(&["token", "revoke", "x"]).fails(1);
}

/// Roles per program: `user add --program`, `user grant`, `user revoke-grant`.
fn accounts_reach_the_programs_granted(cli: Cli) {
    for (name, tz) in [("Lisbon", "Europe/Lisbon"), ("Bangalore", "Asia/Kolkata")] {
        cli.run(&["program", "add", name, "--tz", tz]).ok();
    }
    let add = |email: &str, role: &str, extra: &[&str]| {
        let mut args = vec![
            "--json",
            "user",
            "add",
            email,
            "--name",
            "Someone",
            "--role",
            role,
            "--password-stdin",
        ];
        args.extend_from_slice(extra);
        with_password(&cli, &args, "a long enough password")
    };
    // Without --program: every program there is now.
    let all = add("both@x.example", "organizer", &[]).ok().json();
    let names: Vec<&str> = all["user"]["programs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["program_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Bangalore", "Lisbon"], "{all}");

    let lis = add("lis@x.example", "organizer", &["--program", "Lisbon"])
        .ok()
        .json();
    assert_eq!(
        lis["user"]["programs"].as_array().unwrap().len(),
        1,
        "{lis}"
    );
    assert_eq!(lis["user"]["programs"][0]["role"], "organizer");

    let r = cli.json(&[
        "user",
        "grant",
        "lis@x.example",
        "--program",
        "Bangalore",
        "--role",
        "viewer",
    ]);
    let reach: Vec<(String, String)> = r["user"]["programs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["program_name"].to_string(), g["role"].to_string()))
        .collect();
    assert_eq!(
        reach,
        [
            ("\"Bangalore\"".into(), "\"viewer\"".into()),
            ("\"Lisbon\"".into(), "\"organizer\"".into())
        ],
        "{r}"
    );
    let text = cli.run(&["user", "list"]).ok().stdout;
    assert!(
        text.contains("viewer of Bangalore, organizer of Lisbon"),
        "{text}"
    );

    let r = cli.json(&[
        "user",
        "revoke-grant",
        "lis@x.example",
        "--program",
        "Bangalore",
    ]);
    assert_eq!(r["revoked"], true, "{r}");
    assert_eq!(r["user"]["programs"].as_array().unwrap().len(), 1, "{r}");
    let again = cli.json(&[
        "user",
        "revoke-grant",
        "lis@x.example",
        "--program",
        "Bangalore",
    ]);
    assert_eq!(again["revoked"], false, "{again}");

    // Refusals say what and where.
    let bad = cli
        .run(&[
            "user",
            "grant",
            "lis@x.example",
            "--program",
            "Oslo",
            "--role",
            "viewer",
        ])
        .fails(1);
    assert!(bad.stderr.contains("Oslo"), "{}", bad.stderr);
    cli.run(&[
        "user",
        "grant",
        "nobody@x.example",
        "--program",
        "Lisbon",
        "--role",
        "viewer",
    ])
    .fails(1);
    cli.run(&[
        "user",
        "grant",
        "lis@x.example",
        "--program",
        "Lisbon",
        "--role",
        "admin",
    ])
    .fails(2);
    let admin = add("boss@x.example", "admin", &["--program", "Lisbon"]).fails(1);
    assert!(admin.stderr.contains("--program"), "{}", admin.stderr);
}

/// `program edit --public|--private`: the page's address from the program's name, kept
/// when it is turned off and on.
fn the_public_page_is_turned_on_and_off(cli: Cli) {
    cli.run(&[
        "program",
        "add",
        "São Paulo Builders",
        "--tz",
        "America/Sao_Paulo",
    ])
    .ok();
    let on = cli.json(&["program", "edit", "São Paulo Builders", "--public"]);
    assert_eq!(on["public_page"]["on"], true, "{on}");
    assert_eq!(on["public_page"]["path"], "/p/sao-paulo-builders", "{on}");
    let off = cli.json(&["program", "edit", "1", "--private"]);
    assert_eq!(off["public_page"]["on"], false, "{off}");
    assert_eq!(off["public_page"]["path"], "/p/sao-paulo-builders", "{off}");
    let text = cli.run(&["program", "edit", "1", "--public"]).ok().stdout;
    assert!(
        text.contains("public page on: /p/sao-paulo-builders"),
        "{text}"
    );
    let plain = cli.json(&["program", "edit", "1", "--slots", "5"]);
    assert_eq!(plain["public_page"], Value::Null, "{plain}");
    cli.run(&["program", "edit", "1", "--public", "--private"])
        .fails(2);
}

on_both!(
    users_and_tokens_can_be_taken_back,
    accounts_reach_the_programs_granted,
    the_public_page_is_turned_on_and_off
);
