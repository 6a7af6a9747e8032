//! Co-hosted events (schema 16): the programs an event or a demo belongs to. The rule
//! (`trellis_core::cohost::Hosts`) is the core's. A program's lists and figures read the
//! events it hosts and those it co-hosts with one condition, written out in each query:
//! `($1 IS NULL OR e.program_id = $1 OR e.cohost_program_id = $1)`; org-wide (`NULL`)
//! each event is one row, so nothing counts twice.

use crate::error::StoreError;
use crate::open::Store;
use crate::row::{i64_, opt_i64};
use sqlx::any::AnyRow;
use trellis_core::cohost::Hosts;
use trellis_core::{DemoId, EventId, ProgramId};

fn hosts_from_row(r: &AnyRow) -> Result<Hosts, StoreError> {
    let host = ProgramId(i64_(r, "program_id")?);
    let cohost = opt_i64(r, "cohost_program_id")?.map(ProgramId);
    Ok(Hosts::new(host, cohost)?)
}

impl Store {
    /// The programs event `event` counts for; `None` when there is no such event.
    pub async fn hosts_of_event(&self, event: EventId) -> Result<Option<Hosts>, StoreError> {
        sqlx::query("SELECT program_id, cohost_program_id FROM events WHERE id = $1")
            .bind(event.0)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(hosts_from_row)
            .transpose()
    }

    /// The programs a demo's event counts for; `None` when there is no such demo.
    pub async fn hosts_of_demo(&self, demo: DemoId) -> Result<Option<Hosts>, StoreError> {
        sqlx::query(
            "SELECT e.program_id, e.cohost_program_id FROM demos d JOIN events e ON e.id = d.event_id WHERE d.id = $1",
        )
        .bind(demo.0)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(hosts_from_row)
        .transpose()
    }

    /// A co-host named for an event of `host`: another program, and one that exists.
    pub(crate) async fn check_cohost(
        &self,
        host: ProgramId,
        cohost: Option<ProgramId>,
    ) -> Result<Option<ProgramId>, StoreError> {
        let hosts = Hosts::new(host, cohost)?;
        if let Some(c) = hosts.cohost {
            match self.program(c).await {
                Err(StoreError::NotFound { .. }) => {
                    return Err(
                        trellis_core::CoreError::invalid("cohost", c, "is not a program").into(),
                    );
                }
                other => {
                    other?;
                }
            }
        }
        Ok(hosts.cohost)
    }
}
