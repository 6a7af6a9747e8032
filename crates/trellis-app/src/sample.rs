//! What loading the sample community wrote, as `--json` shows it.

use crate::chat::ChatImported;
use serde::Serialize;

/// What the sample community wrote.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SampleLoaded {
    pub programs: Vec<i64>,
    pub people: usize,
    pub events: usize,
    pub attendances: usize,
    pub demos: usize,
}

from_fact!(trellis_store::SampleLoaded => SampleLoaded {
    programs, people, events, attendances, demos
});

/// What `trellis sample` (and `serve --sample`) loads: the community, and the first
/// program's community chat.
#[derive(Debug, Clone, Serialize)]
pub struct Loaded {
    #[serde(flatten)]
    pub data: SampleLoaded,
    /// The first program's community chat.
    pub chat: Option<ChatImported>,
}
