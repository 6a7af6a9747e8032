//! Schema 17: an API token may be scoped to one program. A token without a program reads
//! every program (as every token minted before schema 17 does); an unknown program is
//! refused before anything is written; a revoked token is no token at all.

// A test that cannot unwrap what it set up has failed; panicking says so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use trellis_core::ProgramId;
use trellis_store::{Ctx, NewProgram, Store, StoreError};
use trellis_testkit::on_both_backends;

async fn a_token_reads_every_program_or_the_one_it_names(url: String) {
    let now: jiff::Timestamp = "2026-11-24T12:00:00Z".parse().unwrap();
    let ctx = Ctx::new("test", now);
    let store = Store::open(&url).await.unwrap();
    let new = NewProgram {
        name: "Lisbon builders".into(),
        tz: "Europe/Lisbon".into(),
        settings: Default::default(),
    };
    let lisbon = store.create_program(&ctx, &new).await.unwrap().id;

    let (open_id, open) = store.create_api_token(&ctx, "ci").await.unwrap();
    let (_, scoped) = store
        .create_scoped_api_token(&ctx, "lisbon-ci", Some(lisbon))
        .await
        .unwrap();
    assert_eq!(store.api_token(&open).await.unwrap().unwrap().program, None);
    assert_eq!(
        store.api_token(&scoped).await.unwrap().unwrap().program,
        Some(lisbon)
    );

    let refused = store
        .create_scoped_api_token(&ctx, "ghost", Some(ProgramId(999)))
        .await;
    assert!(
        matches!(refused, Err(StoreError::NotFound { .. })),
        "{refused:?}"
    );
    let listed = store.api_tokens().await.unwrap();
    assert_eq!(listed.len(), 2, "nothing written for an unknown program");
    assert_eq!(listed[0].program, None);
    assert_eq!(listed[1].program.as_deref(), Some("Lisbon builders"));
    assert_eq!(listed[1].program_id, Some(lisbon));

    let revoked = store.revoke_api_token(&ctx, open_id).await.unwrap();
    assert_eq!(revoked.program_id, None);
    assert!(store.api_token(&open).await.unwrap().is_none());
    assert!(store.api_token(&open).await.unwrap().is_none());
    assert!(store.api_token(&scoped).await.unwrap().is_some());
}

on_both_backends!(a_token_reads_every_program_or_the_one_it_names);
