//! The web app over real HTTP on loopback, on SQLite and (with TRELLIS_TEST_POSTGRES) on
//! PostgreSQL; and, with TRELLIS_TEST_BROWSER, in headless Chromium.

// A test that cannot unwrap what it set up has failed; panicking says so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// Runs a test on SQLite, and on PostgreSQL when TRELLIS_TEST_POSTGRES is set.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() { super::$name(trellis_testkit::TestDb::sqlite()); }
            #[test]
            fn postgres() { if let Some(db) = trellis_testkit::TestDb::postgres() { super::$name(db); } }
        }
    )*};
}

mod after;
mod board;
mod browser;
mod browser_after;
mod browser_board;
mod browser_chapter;
mod browser_cohost;
mod browser_door;
mod browser_handoff;
mod browser_metrics;
mod browser_pages;
mod browser_people;
mod chapter;
mod client;
mod cohost;
mod door;
mod grant_matrix;
mod grants;
mod handoff;
mod http;
mod identity;
mod imports;
mod listen;
mod metrics;
mod pages;
mod people;
mod reach;
mod reviews;
mod token_scope;
