//! End-to-end tests that drive the real `trellis` binary, on SQLite and (when
//! TRELLIS_TEST_POSTGRES is set) on PostgreSQL. One test binary, many modules: it links once.

// A test that cannot unwrap what it set up has failed; panicking says so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod access;
mod bad_input;
mod chat;
mod cohost;
mod cycle;
mod database;
mod dump;
mod gates;
mod handoff;
mod identity;
mod import;
mod lifecycle;
mod listen;
mod mail;
mod metrics;
mod race;
mod sample;
mod terminal;
mod token_scope;
