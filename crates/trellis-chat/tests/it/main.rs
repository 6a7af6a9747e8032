//! Integration tests of `trellis-chat`: real sample exports (`tests/fixtures/`, with their
//! provenance in `SOURCES.md`), exports built in the documented shapes, bad input, and
//! properties. One test binary, many modules: it links once.

// A test that cannot unwrap what it set up has failed; panicking says so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bad_input;
mod fixtures;
mod formats;
mod properties;

use std::path::PathBuf;
use trellis_chat::{Message, Options, Stats};

pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

pub fn stats(rel: &str) -> Stats {
    trellis_chat::stats(&fixture(rel), &Options::default()).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub fn messages(path: &std::path::Path, options: &Options) -> Vec<Message> {
    let mut out = Vec::new();
    trellis_chat::read(path, options, &mut |m| out.push(Message::from(m)))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    out
}
