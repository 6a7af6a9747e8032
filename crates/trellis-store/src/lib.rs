//! Trellis's storage: the only crate that speaks SQL.
//!
//! One [`Store`] over sqlx's `Any` driver serves both backends with one set of queries
//! (SQLite, the embedded default, and PostgreSQL for teams with several app servers).
//! Methods are named after use cases (`confirm_demo`, `set_event_status`), each one
//! transaction. Gated changes lock their event row with a write before they read, so the
//! gate engine of `trellis-core` always judges a state nobody else is changing.

mod attendance;
mod board;
mod bulk;
mod calendar;
mod catalog;
mod cohost;
mod ctx;
mod demos;
mod dialect;
mod door;
mod dump;
mod error;
mod events;
mod followups;
mod gates;
mod grants;
mod handoff;
mod identity;
mod imports;
mod listen;
mod metrics;
mod notify_facts;
mod notify_settings;
mod nudge_facts;
mod open;
mod organizers;
mod outbox;
mod people;
mod person_story;
mod privacy;
mod programs;
mod public_page;
mod resolve;
mod retros;
mod reviews;
mod row;
mod sample;
mod sparks;
pub mod web;

pub use attendance::{AttendanceInput, AttendanceView};
pub use board::{Board, Card, Move};
pub use calendar::{CalendarItem, DueItem};
pub use ctx::Ctx;
pub use demos::{DemoView, NewDemo, Presenter, ScreeningInput};
pub use dialect::Dialect;
pub use door::{DoorFacts, DoorPerson};
pub use dump::{DumpSummary, TableRows};
pub use error::{Refusal, StoreError};
pub use events::{AttendanceCounts, EventEdit, EventRecord, EventSummary, NewEvent, StatusChange};
pub use followups::{FollowupFacts, FollowupStatus, FollowupView, SentFollowup};
pub use gates::OverrideRecord;
pub use grants::Grant;
pub use handoff::{EventOwner, HandoffRecord, Retired, Retirement};
pub use identity::{MergeResult, UnmergeResult};
pub use imports::{ImportRecord, ImportReport, ImportRequest, MatchedBy};
pub use listen::{
    ChannelSpan, ChatChannel, ChatDaily, ChatImport, ChatImported, ChatLine, ChatPurged, ChatTime,
    ChatUpload, ChatUploadOutcome, ChatWindow, LinkedAuthor, NegativeLine, RecordedReport,
};
pub use notify_facts::{
    ComingEvent, ContractPending, FollowupsPending, MailableOrganizer, MailablePresenter,
    PersonContact, RetroPending,
};
pub use nudge_facts::{CheckinFacts, ReviewFacts};
pub use open::{SCHEMA_VERSION, Store};
pub use organizers::{CheckinView, Organizer};
pub use outbox::{
    CHANNEL_EMAIL, CHANNEL_WEBHOOK, NewMessage, OutboxMessage, Outcome, STATES as OUTBOX_STATES,
};
pub use people::{NewPerson, PersonDetail, PersonView};
pub use person_story::{FollowupOf, MoveOf, PersonHit, PersonStory, SparkOf, StageOf};
pub use privacy::{Forgotten, PersonExport};
pub use programs::NewProgram;
pub use public_page::{PublicPage, Raised};
pub use retros::{NamedPerson, RetroPick, RetroView};
pub use reviews::{FollowupsBlock, NextEvent, PipelineBlock, ReviewBlock, ReviewView, TrendPoint};
pub use sample::SampleLoaded;
pub use sparks::SparkView;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
