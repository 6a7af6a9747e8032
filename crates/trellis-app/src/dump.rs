//! What `export` wrote and `restore` read, as `--json` shows it.

use serde::Serialize;
use std::collections::BTreeMap;

/// `export` (to a file) and `restore`: the rows per table.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DumpSummary {
    pub schema_version: i64,
    /// Rows per table.
    pub tables: BTreeMap<String, u64>,
}

from_fact!(trellis_store::DumpSummary => DumpSummary { schema_version, tables });
