use trellis_core::CoreError;
use trellis_core::gate::Decision;

/// A gated action that the gates refused. It carries the whole decision, so callers can
/// show every blocked gate with every reason.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub decision: Decision,
    /// Set when an override was given but a reason it cannot pass stands
    /// (an override cannot create a slot).
    pub override_refused: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: String },
    #[error(transparent)]
    Invalid(#[from] CoreError),
    /// The input conflicts with what is stored (a duplicate name, an e-mail that belongs
    /// to someone else).
    #[error("{0}")]
    Conflict(String),
    #[error("refused by {}", .0.decision.blocked().map(|r| r.gate.as_str()).collect::<Vec<_>>().join(", "))]
    Refused(Refusal),
    #[error(
        "{target} is not a Trellis database: {detail}. Trellis will not change it; point --db at a new file or an empty database"
    )]
    NotTrellis { target: String, detail: String },
    #[error(
        "{target} has schema version {found}, newer than this version of Trellis knows ({known}); upgrade Trellis to use it"
    )]
    NewerSchema {
        target: String,
        found: i64,
        known: i64,
    },
    #[error("cannot open {target}: {detail}")]
    Open { target: String, detail: String },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub(crate) fn not_found(what: &'static str, id: impl ToString) -> StoreError {
        StoreError::NotFound {
            what,
            id: id.to_string(),
        }
    }
}
