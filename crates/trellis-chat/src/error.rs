//! What can go wrong reading an export. Every variant says what and where: the file (and
//! the member inside a zip), and a line number or a byte offset when there is one.

use std::io;

#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    /// The error is part of the message and not a `source`: printed with its chain, it would
    /// say the same thing twice.
    #[error("{place}: {error}")]
    Io { place: String, error: io::Error },

    #[error("{place}: not a chat export: {why} (at byte offset {offset})")]
    Binary {
        place: String,
        offset: u64,
        why: &'static str,
    },

    #[error(
        "{place}: cannot tell which export this is: {why}; name it with --format whatsapp|telegram|discord|slack"
    )]
    UnknownFormat { place: String, why: String },

    #[error("{place}: {what}")]
    NoChat { place: String, what: String },

    #[error("{place}: the export holds no messages")]
    Empty { place: String },

    #[error(
        "{place}: line {line} (byte offset {offset}) is longer than {limit} bytes; a chat export has no such line"
    )]
    LineTooLong {
        place: String,
        line: u64,
        offset: u64,
        limit: usize,
    },

    #[error(
        "{place}: the message starting at line {line} is longer than {limit} bytes; a chat export has no such message"
    )]
    MessageTooLong {
        place: String,
        line: u64,
        limit: usize,
    },

    #[error("{place}: the JSON ends early at byte offset {offset}: the export is truncated")]
    Truncated { place: String, offset: u64 },

    #[error("{place}: invalid JSON at line {line}, column {column}: {message}")]
    Json {
        place: String,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{place}: invalid JSON at byte offset {offset}: {message}")]
    JsonAt {
        place: String,
        offset: u64,
        message: String,
    },

    #[error("{place}: not a {format} export: {why}")]
    Shape {
        place: String,
        format: &'static str,
        why: String,
    },

    #[error("{place}: refused: {why}; a chat export is never packed this tightly")]
    TooLarge { place: String, why: String },

    #[error("{place}: cannot read the zip archive: {error}")]
    Zip {
        place: String,
        error: zip::result::ZipError,
    },
}

impl ChatError {
    pub(crate) fn io(place: &str, error: io::Error) -> ChatError {
        ChatError::Io {
            place: place.to_owned(),
            error,
        }
    }
}
