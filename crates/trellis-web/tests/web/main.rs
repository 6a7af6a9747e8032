//! The web app over real HTTP on loopback, on SQLite and (with TRELLIS_TEST_POSTGRES) on
//! PostgreSQL; and, with TRELLIS_TEST_BROWSER, in headless Chromium.

// A test that cannot unwrap what it set up has failed; panicking says so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser;
mod client;
mod http;
