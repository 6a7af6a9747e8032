use trellis_core::CoreError;
use trellis_store::StoreError;

/// Why a use case could not be carried out. Each surface renders it in its own words; the
/// variants keep the store's and the parsers' errors whole, so a refusal stays a refusal.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error(transparent)]
    Import(#[from] trellis_import::ImportError),
    /// A chat export could not be read (the error names the file and what went wrong;
    /// not a `source`, so an error chain says it once).
    #[error("reading the chat export: {0}")]
    Chat(trellis_chat::ChatError),
    /// The chat export held no message written by a person.
    #[error(
        "{place}: the export holds no messages written by people (only system lines): nothing to import"
    )]
    EmptyChat { place: String },
    /// A message's time is not a calendar time (a parser's promise broken by a file).
    #[error("{place}: {what}")]
    BadChatTime { place: String, what: String },
    /// A file or folder the use case writes could not be written (names which).
    #[error("{place}: {what}")]
    File { place: String, what: String },
    /// A worker thread of the use case stopped without an answer (it panicked).
    #[error("the thread {0} stopped")]
    Worker(&'static str),
    /// The mail configuration or the SMTP server (names the server, never the password).
    #[error(transparent)]
    Mail(#[from] trellis_mail::MailError),
}
