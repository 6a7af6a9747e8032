//! Listening to the community chat: imported chat exports (channels, their authors and
//! messages, each message with its tone), the discussion report of an event, and the
//! purge that drops message text but keeps every figure. The rules (what is related, the
//! verdict) are `trellis_core::listen`'s; the tone is computed by the caller.

mod channels;
mod daily;
mod import;
mod purge;
mod report;
mod tombstone;
mod uploads;

pub use channels::ChatChannel;
pub use daily::ChatDaily;
pub use import::{ChatImport, ChatImported, ChatLine, ChatTime, LinkedAuthor};
pub use purge::ChatPurged;
pub(crate) use purge::freeze_related_of_person;
pub use report::{ChannelSpan, ChatWindow, NegativeLine, RecordedReport};
pub(crate) use tombstone::forgotten_key;
pub use uploads::{ChatUpload, ChatUploadOutcome};

const US_PER_DAY: i64 = 86_400_000_000;
