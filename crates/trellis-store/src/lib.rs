//! Trellis's storage: the only crate that speaks SQL.
//!
//! One [`Store`] over sqlx's `Any` driver serves both backends with one set of queries
//! (SQLite, the embedded default, and PostgreSQL for teams with several app servers).
//! Methods are named after use cases (`confirm_demo`, `set_event_status`), each one
//! transaction. Gated changes lock their event row with a write before they read, so the
//! gate engine of `trellis-core` always judges a state nobody else is changing.

mod attendance;
mod bulk;
mod ctx;
mod demos;
mod error;
mod events;
mod gates;
mod open;
mod people;
mod programs;
mod row;
mod sample;

pub use attendance::{AttendanceInput, AttendanceView};
pub use ctx::Ctx;
pub use demos::{DemoView, NewDemo, ScreeningInput};
pub use error::{Refusal, StoreError};
pub use events::{EventDetail, EventEdit, EventSummary, GateCheck, NewEvent, StatusChange};
pub use gates::OverrideRecord;
pub use open::{Backend, SCHEMA_VERSION, Store};
pub use people::{NewPerson, PersonDetail, PersonView};
pub use programs::NewProgram;
pub use sample::SampleLoaded;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
