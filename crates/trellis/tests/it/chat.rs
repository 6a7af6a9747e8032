//! `trellis chat stats`: reads a chat export and never touches the database.

use crate::support::{Run, command};
use serde_json::json;
use std::path::PathBuf;

fn fixture(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../trellis-chat/tests/fixtures")
        .join(rel)
        .display()
        .to_string()
}

/// Runs `trellis` with a database path that must never come into existence.
fn run(args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("never.db");
    let run: Run = command(db.to_str().unwrap())
        .args(args)
        .output()
        .unwrap()
        .into();
    assert!(!db.exists(), "chat stats must not create a database");
    run
}

#[test]
fn json_stats_of_a_whatsapp_export() {
    let file = fixture("whatsapp/pustur-website_ios-2019_group_with-media_chat.txt");
    let v = run(&["--json", "chat", "stats", &file]).ok().json();
    assert_eq!(
        v,
        json!({
            "format": "whatsapp",
            "messages": 48,
            "system": 4,
            "media": 4,
            "deleted": 0,
            "multiline": 4,
            "edited": 0,
            "polls": 1,
            "authors": ["John", "Loris", "Emily"],
            "first": "2019-06-20T15:58:47",
            "last": "2019-06-20T16:45:28",
            "day_first": true,
            "warnings": [],
        })
    );
}

#[test]
fn json_stats_of_a_telegram_export() {
    let file = fixture("telegram/chat-miner_test_batch_export.json");
    let v = run(&["--json", "chat", "stats", &file, "--format", "telegram"])
        .ok()
        .json();
    assert_eq!(v["format"], "telegram");
    assert_eq!(v["messages"], 2);
    assert_eq!(v["authors"], json!(["Author 1", "Author 2"]));
    assert_eq!(v["first"], "2018-12-05T10:39:10+00:00");
    assert_eq!(v["day_first"], json!(null));
}

#[test]
fn text_output_and_warnings() {
    let file = fixture("whatsapp/langchain_whatsapp_chat.txt");
    let r = run(&["chat", "stats", &file]).ok();
    assert!(r.stdout.contains("format    whatsapp"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("authors   5: James, User name, User 2, User name 2, User 1"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("dates     month first"), "{}", r.stdout);
    assert!(
        r.stderr.contains("warning: the file mixes header styles"),
        "{}",
        r.stderr
    );
}

#[test]
fn forcing_the_day_order() {
    let file = fixture("whatsapp/own_ddmmyyyy_notice.txt");
    let v = run(&["--json", "chat", "stats", &file, "--month-first"])
        .ok()
        .json();
    assert_eq!(v["day_first"], false);
    let r = run(&["chat", "stats", &file, "--day-first", "--month-first"]).fails(2);
    assert!(r.stderr.contains("cannot be used with"), "{}", r.stderr);
}

#[test]
fn bad_input_exits_1_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "Shopping list\nmilk\n").unwrap();
    let r = run(&["chat", "stats", notes.to_str().unwrap()]).fails(1);
    assert!(
        r.stderr.contains("cannot tell which export this is"),
        "{}",
        r.stderr
    );
    let truncated = dir.path().join("result.json");
    std::fs::write(&truncated, r#"{"messages": [{"id": 1, "type": "mess"#).unwrap();
    let r = run(&["chat", "stats", truncated.to_str().unwrap()]).fails(1);
    assert!(
        r.stderr
            .contains("the JSON ends early at byte offset 37: the export is truncated"),
        "{}",
        r.stderr
    );
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let r = run(&["chat", "stats", empty.to_str().unwrap()]).fails(1);
    assert!(
        r.stderr.contains("the export holds no messages"),
        "{}",
        r.stderr
    );
    let r = run(&["chat", "stats", "/nonexistent/chat.txt"]).fails(1);
    assert!(r.stderr.contains("/nonexistent/chat.txt"), "{}", r.stderr);
    run(&["chat", "stats", "x.txt", "--format", "icq"]).fails(2);
}

#[test]
fn an_unreachable_database_does_not_matter() {
    let file = fixture("whatsapp/own_yyyymmdd_12h-dotted.txt");
    let r: Run = command("postgres://nobody@127.0.0.1:1/none")
        .args(["--json", "chat", "stats", &file])
        .output()
        .unwrap()
        .into();
    assert_eq!(r.ok().json()["messages"], 5);
}
