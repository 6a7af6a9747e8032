//! What the metrics page shows of a scope, kept like the dashboard's block: the year's
//! figures and the quarters' (read anew every [`KEEP_SECONDS`] in the background, and
//! waited for after a change made through this server), and the chapters' rows, which are read in the background — on the large
//! sample they are fifty programs' histories and next events, and no request waits on
//! them: the page shows the last rows read, or says they are being read and reloads.

use crate::{AppState, WebError};
use jiff::Timestamp;
use std::collections::HashMap;
use std::sync::Arc;
use trellis_app::metrics::{ChapterRow, Overview};
use trellis_core::ProgramId;
use trellis_core::metrics::Period;

/// How long a scope's figures are reused.
const KEEP_SECONDS: i64 = 30;

/// A scope's figures: the 365 days to now, the last quarters', the events' titles.
pub(crate) type Figs = Overview;

struct Kept<T> {
    generation: u64,
    at: Timestamp,
    data: Arc<T>,
}

impl<T> Clone for Kept<T> {
    fn clone(&self) -> Self {
        Kept {
            generation: self.generation,
            at: self.at,
            data: self.data.clone(),
        }
    }
}

impl<T> Kept<T> {
    fn fresh(&self, generation: u64, now: Timestamp) -> bool {
        self.generation == generation && now.duration_since(self.at).as_secs() < KEEP_SECONDS
    }
}

/// The page's data of every scope (`AppState::metrics`).
#[derive(Default)]
pub(crate) struct MetricsCache {
    figures: HashMap<Option<ProgramId>, Kept<Figs>>,
    chapters: Option<Kept<Vec<ChapterRow>>>,
    chapters_running: bool,
}

/// A scope's figures. Kept ones are served; once older than [`KEEP_SECONDS`] they are
/// read anew in the background meanwhile (a request never waits on a recompute it did
/// not need). Only figures never read, or from before a change made through this server,
/// are waited for: one request reads them while the others wait for it.
pub(crate) async fn figures(
    state: &AppState,
    program: Option<ProgramId>,
    quarters: usize,
) -> Result<Arc<Figs>, WebError> {
    let now = state.now();
    let generation = state.generation();
    let current = |state: &AppState| {
        state
            .metrics
            .lock()
            .ok()
            .and_then(|c| c.figures.get(&program).cloned())
            .filter(|k| k.generation == generation)
    };
    if let Some(k) = current(state) {
        if !k.fresh(generation, now) {
            refresh(state, program, quarters);
        }
        return Ok(k.data);
    }
    let _one = state.metrics_computing.lock().await;
    if let Some(k) = current(state) {
        return Ok(k.data);
    }
    let data =
        Arc::new(trellis_app::metrics::overview(&state.store, program, now, quarters).await?);
    keep(state, program, generation, now, data.clone());
    Ok(data)
}

fn keep(
    state: &AppState,
    program: Option<ProgramId>,
    generation: u64,
    at: Timestamp,
    data: Arc<Figs>,
) {
    if let Ok(mut c) = state.metrics.lock() {
        c.figures.insert(
            program,
            Kept {
                generation,
                at,
                data,
            },
        );
    }
}

/// Reads a scope's figures anew in the background, unless a read is already running.
fn refresh(state: &AppState, program: Option<ProgramId>, quarters: usize) {
    let Ok(guard) = state.metrics_computing.clone().try_lock_owned() else {
        return;
    };
    let state = state.clone();
    tokio::spawn(async move {
        let _one = guard;
        let (now, generation) = (state.now(), state.generation());
        // A failed read keeps the older figures; the next view tries again.
        if let Ok(data) = trellis_app::metrics::overview(&state.store, program, now, quarters).await
            && state.generation() == generation
        {
            keep(&state, program, generation, now, Arc::new(data));
        }
    });
}

/// The chapters' rows as last read, and when; `None` before the first read ends. A
/// missing or stale read starts one in the background (one at a time).
pub(crate) fn chapters(state: &AppState) -> Option<(Arc<Vec<ChapterRow>>, Timestamp)> {
    let now = state.now();
    let generation = state.generation();
    let mut c = state.metrics.lock().ok()?;
    let kept = c.chapters.clone();
    let stale = kept.as_ref().is_none_or(|k| !k.fresh(generation, now));
    if stale && !c.chapters_running {
        c.chapters_running = true;
        let state = state.clone();
        tokio::spawn(async move {
            let rows =
                trellis_app::metrics::chapters(&state.store, Period::year_to(now), now, now).await;
            if let Err(e) = &rows {
                tracing::error!(error = %e, "the chapters' rows could not be read");
            }
            if let Ok(mut c) = state.metrics.lock() {
                c.chapters_running = false;
                if let Ok(rows) = rows {
                    c.chapters = Some(Kept {
                        generation,
                        at: now,
                        data: Arc::new(rows),
                    });
                }
            }
        });
    }
    kept.map(|k| (k.data, k.at))
}
