//! Schema 5 → 6 (chat authors in a table of their own, the content hash shortened): a
//! database holding chats written by the schema-5 code opens under this build with every
//! message, author and link kept, and re-importing the same export adds nothing.

// A test that cannot unwrap what it set up has failed; panicking says so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::Timestamp;
use jiff::civil::date;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Connection, Executor, Row};
use trellis_core::ProgramId;
use trellis_store::{ChatLine, ChatTime, Ctx, Store};
use trellis_testkit::on_both_backends;

const SQLITE: [&str; 5] = [
    include_str!("../migrations/sqlite/0001_core.sql"),
    include_str!("../migrations/sqlite/0002_cycle.sql"),
    include_str!("../migrations/sqlite/0003_imports.sql"),
    include_str!("../migrations/sqlite/0004_web.sql"),
    include_str!("../migrations/sqlite/0005_listen.sql"),
];
const POSTGRES: [&str; 5] = [
    include_str!("../migrations/postgres/0001_core.sql"),
    include_str!("../migrations/postgres/0002_cycle.sql"),
    include_str!("../migrations/postgres/0003_imports.sql"),
    include_str!("../migrations/postgres/0004_web.sql"),
    include_str!("../migrations/postgres/0005_listen.sql"),
];

/// Schema 5's content hash: 16 bytes of SHA-256, hex.
fn hash5(t: &str) -> String {
    Sha256::digest(t.as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The messages: (minute, author, text). "ok" twice in one minute is two messages.
const LINES: [(i8, &str, &str); 4] = [
    (0, "Ada", "the robots demo was great"),
    (1, "Bob", "ok"),
    (1, "Bob", "ok"),
    (2, "Ada", "see you next month"),
];

async fn schema_5_chats_survive_the_migration(url: String) {
    let postgres = url.starts_with("postgres");
    sqlx::any::install_default_drivers();
    let conn_url = if postgres {
        url.clone()
    } else {
        format!("sqlite://{url}?mode=rwc")
    };
    {
        let mut c = AnyConnection::connect(&conn_url).await.unwrap();
        c.execute("CREATE TABLE trellis_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            .await
            .unwrap();
        c.execute("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at_us BIGINT NOT NULL)")
            .await
            .unwrap();
        c.execute("INSERT INTO trellis_meta (key, value) VALUES ('application', 'trellis')")
            .await
            .unwrap();
        let sqls = if postgres { POSTGRES } else { SQLITE };
        for (n, sql) in sqls.iter().enumerate() {
            c.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(*sql)))
                .await
                .unwrap();
            c.execute(sqlx::AssertSqlSafe(format!(
                "INSERT INTO schema_migrations (version, name, applied_at_us) VALUES ({}, 'v{}', 0)",
                n + 1,
                n + 1
            )))
            .await
            .unwrap();
        }
        c.execute(
            "INSERT INTO programs (name, tz, demo_target, default_slots, followup_minimum, retro_hours, moves_per_event, created_at_us, created_by) \
             VALUES ('Tinkerers Oslo', 'UTC', 3, 4, 10, 48, 2, 0, 'test')",
        )
        .await
        .unwrap();
        c.execute("INSERT INTO people (display_name, created_at_us) VALUES ('Ada', 0)")
            .await
            .unwrap();
        c.execute("INSERT INTO chat_channels (program_id, name, format, created_at_us) VALUES (1, 'community', 'WhatsApp', 0)")
            .await
            .unwrap();
        let mut ranks: std::collections::HashMap<(i8, &str, &str), u32> = Default::default();
        for (minute, who, text) in LINES {
            let at = jiff::tz::TimeZone::UTC
                .to_timestamp(date(2026, 11, 12).at(19, minute, 0, 0))
                .unwrap()
                .as_microsecond();
            let rank = ranks.entry((minute, who, text)).or_insert(0);
            let hash = if *rank == 0 {
                hash5(text)
            } else {
                hash5(&format!("{text}\u{0}#{rank}"))
            };
            *rank += 1;
            let person = if who == "Ada" { "1" } else { "NULL" };
            c.execute(sqlx::AssertSqlSafe(format!(
                "INSERT INTO chat_messages (channel_id, at_us, author, author_key, person_id, text_hash, text, compound_e4) \
                 VALUES (1, {at}, '{who}', 'name:{who}', {person}, '{hash}', '{text}', 0)"
            )))
            .await
            .unwrap();
        }
        c.close().await.unwrap();
    }

    let store = Store::open(&url).await.unwrap();
    assert_eq!(
        store.schema_version().await.unwrap(),
        trellis_store::SCHEMA_VERSION
    );
    let channels = store.chat_channels(None).await.unwrap();
    assert_eq!(channels.len(), 1);
    assert_eq!(channels[0].messages, 4);
    assert_eq!(channels[0].authors, 2);

    let ctx = Ctx::new("mara", "2026-11-24T12:00:00Z".parse::<Timestamp>().unwrap());
    let lines: Vec<ChatLine> = LINES
        .iter()
        .map(|(minute, who, text)| ChatLine {
            at: ChatTime::Local(date(2026, 11, 12).at(19, *minute, 0, 0)),
            author: (*who).to_owned(),
            author_id: None,
            text: (*text).to_owned(),
            compound: 0.0,
        })
        .collect();
    let again = store
        .import_chat(&ctx, ProgramId(1), "community", "WhatsApp", &lines)
        .await
        .unwrap();
    assert_eq!(again.added, 0, "{again:?}");
    assert_eq!(again.already_stored, 4);
    assert!(
        again
            .linked
            .iter()
            .any(|l| l.author == "Ada" && l.by == "exact name"),
        "{again:?}"
    );
    // New messages get fresh ids after the copied ones (PostgreSQL's identity was moved
    // past them; a re-import's skipped rows may use up ids on either backend).
    let one = ChatLine {
        at: ChatTime::Local(date(2026, 11, 13).at(9, 0, 0, 0)),
        author: "Bob".into(),
        author_id: None,
        text: "new here".into(),
        compound: 0.0,
    };
    let r = store
        .import_chat(&ctx, ProgramId(1), "community", "WhatsApp", &[one])
        .await
        .unwrap();
    assert_eq!(r.added, 1);
    let mut conn = AnyConnection::connect(&conn_url).await.unwrap();
    let r = sqlx::query("SELECT COUNT(*) AS n, MIN(id) AS lo, MAX(id) AS hi FROM chat_messages")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(r.get::<i64, _>("n"), 5);
    assert_eq!(r.get::<i64, _>("lo"), 1);
    assert!(r.get::<i64, _>("hi") > 4);
}

on_both_backends!(schema_5_chats_survive_the_migration);
