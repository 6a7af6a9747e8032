//! The application layer: Trellis's use cases, each assembled once, as async functions over
//! the store (facts) and the pure crates (rules, parsers, tone). The CLI and the web app
//! both call these; they only parse their input and render the results in their own words.
//!
//! The view types here are the `--json` contract of the CLI and the JSON API's bodies: the
//! store returns plain facts without serde, and each view is built from them (`From`), so a
//! JSON key is decided here and nowhere else.

/// `impl From<fact> for view`: each field moved as it is, or through `From` — `into` for a
/// nested view, `each` for a list of them, `maybe` for an optional one. A view's fields
/// are listed here once more on purpose: the store may change a fact's shape, the JSON
/// contract only changes in this crate.
macro_rules! from_fact {
    ($fact:ty => $view:ident { $($field:ident),* $(,)? }
     $(into { $($into:ident),* $(,)? })?
     $(each { $($each:ident),* $(,)? })?
     $(maybe { $($maybe:ident),* $(,)? })?) => {
        impl From<$fact> for $view {
            fn from(v: $fact) -> Self {
                Self {
                    $($field: v.$field,)*
                    $($($into: v.$into.into(),)*)?
                    $($($each: v.$each.into_iter().map(Into::into).collect(),)*)?
                    $($($maybe: v.$maybe.map(Into::into),)*)?
                }
            }
        }
    };
}

pub mod accounts;
pub mod board;
pub mod calendar;
pub mod channels;
pub mod chat;
pub mod chat_upload;
pub mod csv_export;
pub mod demos;
pub mod door;
pub mod dump;
mod error;
pub mod event_page;
pub mod events;
pub mod followup_mail;
pub mod followups;
pub mod handoff;
pub mod import;
pub mod listen;
pub mod metrics;
mod metrics_behind;
pub mod notify;
pub mod notify_settings;
pub mod nudges;
pub mod organizers;
pub mod outbox;
pub mod overrides;
pub mod people;
pub mod person_page;
pub mod plan;
pub mod programs;
pub mod propose;
pub mod public_page;
pub mod retros;
pub mod review;
pub mod review_doc;
pub mod reviews;
pub mod sample;
pub mod sparks;

pub use error::AppError;

/// Views of a list of store facts, one for each, in order.
pub fn views<S, V: From<S>>(facts: Vec<S>) -> Vec<V> {
    facts.into_iter().map(V::from).collect()
}
