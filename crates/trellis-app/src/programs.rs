//! A program's page as `--json` shows it: the program with its settings, and its events.

use crate::AppError;
use crate::events::EventSummary;
use serde::Serialize;
use trellis_core::program::Program;
use trellis_store::Store;

/// The JSON of `trellis program show`: the program's own keys, and `events`.
#[derive(Debug, Clone, Serialize)]
pub struct ProgramPage {
    #[serde(flatten)]
    pub program: Program,
    pub events: Vec<EventSummary>,
}

/// A program (by id or exact name) and its events, oldest first.
pub async fn show(store: &Store, program: &str) -> Result<ProgramPage, AppError> {
    let program = store.find_program(program).await?;
    let events = crate::events::list(store, Some(program.id)).await?;
    Ok(ProgramPage { program, events })
}
