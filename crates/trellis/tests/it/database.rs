//! `--db`: what it opens, and what it refuses to touch.

use crate::support::{Cli, command};
use trellis_testkit::TestDb;

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guests.csv");
    std::fs::write(&path, "name,email\nAna,ana@example.org\n").unwrap();
    let out = command(path.to_str().unwrap())
        .args(["program", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is not a Trellis database: the file is not a SQLite database"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "name,email\nAna,ana@example.org\n"
    );
}

#[test]
fn db_flag_env_and_sqlite_urls_agree() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let p = path.to_str().unwrap();
    let out = command("unused.db")
        .args(["--db", p, "program", "add", "A", "--tz", "UTC"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let url = format!("sqlite://{p}");
    let out = command(&url)
        .args(["--json", "program", "list"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["name"], "A");
    assert!(!std::path::Path::new("unused.db").exists());
}

#[test]
fn a_missing_folder_is_named() {
    let out = command("/nonexistent-dir/sub/t.db")
        .args(["program", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("the folder /nonexistent-dir/sub does not exist")
    );
}

#[test]
fn a_newer_schema_is_refused() {
    let cli = Cli::new(TestDb::sqlite());
    cli.run(&["program", "list"]).ok();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&format!("sqlite://{}", cli.db.url))
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at_us) VALUES (99, 'future', 0)",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    });
    let r = cli.run(&["program", "list"]).fails(1);
    assert!(
        r.stderr.contains(&format!(
            "has schema version 99, newer than this version of Trellis knows ({})",
            trellis_store::SCHEMA_VERSION
        )),
        "{}",
        r.stderr
    );
}
