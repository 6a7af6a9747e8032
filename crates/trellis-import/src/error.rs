/// A file that cannot be imported at all. Each says what and where; a single bad row is
/// not an error but a skipped record.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: {detail}")]
    Io { file: String, detail: String },
    #[error("{file}: the file is empty; export the list again")]
    Empty { file: String },
    #[error("{file}: {detail}")]
    NotText { file: String, detail: String },
    #[error(
        "{file}: cannot tell which platform exported this file: {detail}; name it: trellis import <luma|eventbrite|meetup|sessionize|pretalx> FILE"
    )]
    Unknown { file: String, detail: String },
    #[error(
        "{file}: this is not a {expected} export: it looks like a {found} ({because}); use `trellis import {platform} {file}` or `--format auto`"
    )]
    WrongPlatform {
        file: String,
        expected: String,
        found: String,
        because: String,
        platform: String,
    },
    /// Well-formed JSON whose shape is no export Trellis reads (never "not valid JSON").
    #[error("{file}: valid JSON, but not a shape Trellis knows: {detail}")]
    Shape { file: String, detail: String },
    #[error("{file}:{line}: the {shape} needs a column {column:?}; the header has {header}")]
    MissingColumn {
        file: String,
        line: u64,
        shape: String,
        column: String,
        header: String,
    },
    #[error("{file}:{line}:{column}: {detail}")]
    Malformed {
        file: String,
        line: u64,
        column: u64,
        detail: String,
    },
    #[error(
        "{file}:1: the header has the column {column:?} twice; which one holds the data cannot be told: remove one and import again"
    )]
    DuplicateColumn { file: String, column: String },
    #[error("{file}: no row could be read ({detail}); nothing was imported")]
    NothingReadable { file: String, detail: String },
    /// The receiving side stopped taking records (it failed, and says why itself).
    #[error("the import was stopped")]
    Stopped,
}
