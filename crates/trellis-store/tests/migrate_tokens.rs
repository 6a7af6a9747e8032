//! Schema 7 → 8: contract and follow-up tokens, stored as given before, are stored as
//! SHA-256 digests after; links already sent keep working. The schema-7 state is made by
//! undoing migration 8 on a fresh database and writing tokens the old way.

// A test that cannot unwrap what it set up has failed; panicking says so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use sqlx::{AnyConnection, Connection, Executor, Row};
use trellis_core::EventId;
use trellis_store::{Ctx, Store};
use trellis_testkit::on_both_backends;

const PLAIN_CONTRACT: &str = "0123456789abcdef0123456789abcdef";
const PLAIN_FOLLOWUP: &str = "fedcba9876543210fedcba9876543210";

async fn tokens_written_before_schema_8_are_hashed_and_still_work(url: String) {
    let now: jiff::Timestamp = "2026-11-24T12:00:00Z".parse().unwrap();
    let ctx = Ctx::new("test", now);
    let conn_url = if url.starts_with("postgres") {
        url.clone()
    } else {
        format!("sqlite://{url}?mode=rwc")
    };
    let (demo, followup) = {
        let store = Store::open(&url).await.unwrap();
        let data = trellis_sample::generate(trellis_sample::Size::Small, 1, now);
        store.load_dataset(&ctx, &data).await.unwrap();
        let demo = store.event_record(EventId(18), now).await.unwrap().demos[0].id;
        let room = store.attendances_of_event(EventId(17)).await.unwrap();
        let asked = store.followup_status(EventId(17)).await.unwrap();
        let person = room
            .iter()
            .find(|a| asked.followups.iter().all(|f| f.person != a.person))
            .unwrap()
            .person;
        let sent = store
            .send_followup(
                &ctx,
                EventId(17),
                person,
                trellis_core::followup::Channel::Form,
                "http://x",
            )
            .await
            .unwrap();
        store.close().await;
        (demo, sent.id)
    };
    // Back to schema 7, with tokens as schema 7 stored them.
    {
        let mut c = AnyConnection::connect(&conn_url).await.unwrap();
        for sql in [
            "DROP INDEX web_sessions_expiry",
            "ALTER TABLE users DROP COLUMN disabled_at_us",
            "ALTER TABLE users DROP COLUMN removed_at_us",
            "ALTER TABLE api_tokens DROP COLUMN revoked_at_us",
            "DELETE FROM schema_migrations WHERE version = 8",
        ] {
            c.execute(sql).await.unwrap();
        }
        sqlx::query(
            "INSERT INTO contract_links (token, demo_id, created_at_us) VALUES ($1, $2, $3)",
        )
        .bind(PLAIN_CONTRACT)
        .bind(demo.0)
        .bind(now.as_microsecond())
        .execute(&mut c)
        .await
        .unwrap();
        sqlx::query("UPDATE followups SET token = $1 WHERE id = $2")
            .bind(PLAIN_FOLLOWUP)
            .bind(followup)
            .execute(&mut c)
            .await
            .unwrap();
        c.close().await.unwrap();
    }
    let store = Store::open(&url).await.unwrap();
    assert_eq!(
        store.schema_version().await.unwrap(),
        trellis_store::SCHEMA_VERSION
    );
    assert!(store.contract_page(PLAIN_CONTRACT).await.unwrap().is_some());
    assert!(store.followup_page(PLAIN_FOLLOWUP).await.unwrap().is_some());
    let mut c = AnyConnection::connect(&conn_url).await.unwrap();
    for (sql, plain) in [
        ("SELECT token FROM contract_links", PLAIN_CONTRACT),
        (
            "SELECT token FROM followups WHERE token IS NOT NULL",
            PLAIN_FOLLOWUP,
        ),
    ] {
        let stored: Vec<String> = sqlx::query(sql)
            .fetch_all(&mut c)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>("token"))
            .collect();
        assert!(!stored.is_empty());
        assert!(stored.iter().all(|t| t.len() == 64), "{stored:?}");
        assert!(stored.contains(&trellis_store::web::digest(plain)));
    }
    // A new link is a new token; it replaces the open one.
    let fresh = store.contract_link(&ctx, demo).await.unwrap();
    assert!(store.contract_page(&fresh).await.unwrap().is_some());
    assert!(store.contract_page(PLAIN_CONTRACT).await.unwrap().is_none());
}

on_both_backends!(tokens_written_before_schema_8_are_hashed_and_still_work);
