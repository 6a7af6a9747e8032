//! The pure core of Trellis: the domain types, the rules of their lifecycles and the
//! gate engine. Nothing here does I/O, talks to a database or knows about async; the
//! current time is always a parameter, so every rule can be tested with a fixed clock.

pub mod access;
pub mod attendance;
pub mod checkin;
pub mod cohost;
pub mod dataset;
pub mod demo;
pub mod error;
pub mod event;
pub mod followup;
pub mod gate;
pub mod handoff;
pub mod identity;
pub mod ids;
pub mod import;
pub mod listen;
pub mod metrics;
pub mod notify;
pub mod notify_settings;
pub mod offer;
pub mod person;
pub mod pipeline;
pub mod program;
pub mod retro;
pub mod time;

pub use error::{CoreError, Field};
pub use ids::{DemoId, EventId, PersonId, ProgramId};
