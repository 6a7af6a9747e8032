//! The application layer: Trellis's use cases, each assembled once, as async functions over
//! the store (facts) and the pure crates (rules, parsers, tone). The CLI and the web app
//! both call these; they only parse their input and render the results in their own words.
//!
//! The view types here are the `--json` contract of the CLI and the JSON API's bodies.

pub mod chat;
pub mod door;
mod error;
pub mod event_page;
pub mod followups;
pub mod import;
pub mod listen;
pub mod metrics;
pub mod plan;
pub mod review;

pub use error::AppError;
