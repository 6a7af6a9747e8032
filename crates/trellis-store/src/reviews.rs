//! Metric reviews: a 15-minute block whose one screen is frozen when it starts, and which
//! ends with one insight.

use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::gates::{OverrideRecord, last_held_event};
use crate::open::Store;
use crate::row::{at, i64_, opt_at, opt_i64, opt_text, text, u32_};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use trellis_core::metrics::returning_point;
use trellis_core::pipeline::Stage;
use trellis_core::time::rfc3339_utc;
use trellis_core::{CoreError, EventId, ProgramId};

/// A review longer than this is marked long: the block is meant to be 15 minutes.
pub const REVIEW_MINUTES: i64 = 15;

/// How many events the returning-builders trend shows.
const TREND_EVENTS: usize = 12;

// The block's types keep serde: a review's block is stored as a JSON snapshot
// (`reviews.snapshot`), so this is the storage format. What `--json` prints is
// `trellis_app::reviews`' view of it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrendPoint {
    pub event: i64,
    pub title: String,
    #[serde(serialize_with = "trellis_core::time::json::utc")]
    pub starts_at: jiff::Timestamp,
    pub attended: u32,
    pub returning: u32,
    pub rate: Option<f64>,
    pub estimated: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NextEvent {
    pub event: i64,
    pub title: String,
    pub demos_confirmed: u32,
    pub demo_target: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FollowupsBlock {
    pub event: i64,
    pub title: String,
    pub sent: u32,
    pub minimum: u32,
    pub answered: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PipelineBlock {
    pub stages: std::collections::BTreeMap<String, u32>,
    pub quiet_killers: u32,
    pub moves_this_cycle: u32,
    pub minimum: u32,
}

/// The review block: the one screen, frozen.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReviewBlock {
    pub returning_builders: Vec<TrendPoint>,
    pub pipeline: PipelineBlock,
    pub next_event: Option<NextEvent>,
    pub followups: Option<FollowupsBlock>,
    /// Gates passed by override since the previous review: a mechanism silently bypassed
    /// is a show again.
    pub overrides: Vec<serde_json::Value>,
}

#[derive(Debug, Clone)]
pub struct ReviewView {
    pub id: i64,
    pub program: Option<ProgramId>,
    pub started_at: jiff::Timestamp,
    pub started_by: String,
    pub ended_at: Option<jiff::Timestamp>,
    pub minutes: Option<i64>,
    pub long: bool,
    pub insight: Option<String>,
    pub block: ReviewBlock,
}

async fn program_ids(
    conn: &mut AnyConnection,
    program: Option<ProgramId>,
) -> Result<Vec<ProgramId>, StoreError> {
    match program {
        Some(p) => {
            if sqlx::query("SELECT id FROM programs WHERE id = $1")
                .bind(p.0)
                .fetch_optional(&mut *conn)
                .await?
                .is_none()
            {
                return Err(StoreError::not_found("program", p));
            }
            Ok(vec![p])
        }
        None => sqlx::query("SELECT id FROM programs ORDER BY id")
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| i64_(r, "id").map(ProgramId))
            .collect(),
    }
}

/// The returning-builders trend: its last [`TREND_EVENTS`] held (or closed) events, each
/// with how many attended and how many of them had attended an earlier one of the scope.
///
/// `attended(E)` is the design's (and `trellis_core::metrics::attended`'s): the people
/// checked in at E, or, when nobody at E is checked in, those with rsvp `going`
/// (estimated). "Earlier" is the order of `returning_series`: by start, then id. Worked out
/// in the database for the shown events only: each attendee's earlier attendance is an
/// index lookup by person, where reading every attendance row (447k on the large sample)
/// took over a second and was most of the dashboard's time.
async fn returning_trend(
    conn: &mut AnyConnection,
    program: Option<ProgramId>,
) -> Result<Vec<TrendPoint>, StoreError> {
    let rows = sqlx::query(
        "WITH last AS ( \
           SELECT e.id, e.title, e.starts_at_us, CAST(CASE WHEN EXISTS (SELECT 1 FROM attendances y \
               WHERE y.event_id = e.id AND y.checked_in = 'yes') THEN 1 ELSE 0 END AS BIGINT) AS used \
           FROM events e WHERE e.status IN ('held', 'closed') AND ($1 IS NULL OR e.program_id = $1 OR e.cohost_program_id = $1) \
           ORDER BY e.starts_at_us DESC, e.id DESC LIMIT $2) \
         SELECT l.id, l.title, l.starts_at_us, l.used, COUNT(r.person_id) AS attended, \
           COALESCE(SUM(CASE WHEN EXISTS ( \
             SELECT 1 FROM attendances o JOIN events oe ON oe.id = o.event_id \
             WHERE o.person_id = r.person_id AND oe.status IN ('held', 'closed') AND ($1 IS NULL OR oe.program_id = $1 OR oe.cohost_program_id = $1) \
               AND (oe.starts_at_us < l.starts_at_us OR (oe.starts_at_us = l.starts_at_us AND oe.id < l.id)) \
               AND CASE WHEN EXISTS (SELECT 1 FROM attendances y WHERE y.event_id = oe.id AND y.checked_in = 'yes') \
                 THEN o.checked_in = 'yes' ELSE o.rsvp = 'going' END \
           ) THEN 1 ELSE 0 END), 0) AS back \
         FROM last l LEFT JOIN attendances r ON r.event_id = l.id \
           AND CASE WHEN l.used = 1 THEN r.checked_in = 'yes' ELSE r.rsvp = 'going' END \
         GROUP BY l.id, l.title, l.starts_at_us, l.used ORDER BY l.starts_at_us, l.id",
    )
    .bind(program.map(|p| p.0))
    .bind(TREND_EVENTS as i64)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let point = returning_point(
                EventId(i64_(r, "id")?),
                u32_(r, "attended")?,
                u32_(r, "back")?,
                i64_(r, "used")? == 0,
            );
            Ok(TrendPoint {
                event: point.event.0,
                title: text(r, "title")?,
                starts_at: at(r, "starts_at_us")?,
                attended: point.attended,
                returning: point.returning,
                rate: point.rate,
                estimated: point.estimated,
            })
        })
        .collect()
}

/// Computes the review block for one program, or for all of them together.
pub(crate) async fn review_block(
    conn: &mut AnyConnection,
    program: Option<ProgramId>,
    overrides_since: i64,
    all_overrides: Vec<OverrideRecord>,
) -> Result<ReviewBlock, StoreError> {
    // A program that does not exist is an error, not an empty block.
    program_ids(conn, program).await?;
    let trend = returning_trend(conn, program).await?;
    let (pipeline, next_event, followups) = review_parts(conn, program).await?;
    let overrides = all_overrides
        .into_iter()
        .filter(|o| o.at.as_microsecond() > overrides_since)
        .map(|o| serde_json::to_value(o).map_err(|e| StoreError::Corrupt(e.to_string())))
        .collect::<Result<_, _>>()?;
    Ok(ReviewBlock {
        returning_builders: trend,
        pipeline,
        next_event,
        followups,
        overrides,
    })
}

/// The parts of the review block that are not metrics of history: the pipeline board, the
/// next event's demos, the last held event's follow-ups.
pub(crate) async fn review_parts(
    conn: &mut AnyConnection,
    program: Option<ProgramId>,
) -> Result<(PipelineBlock, Option<NextEvent>, Option<FollowupsBlock>), StoreError> {
    let pipeline = pipeline_block(conn, program).await?;
    let next_event = next_event(conn, program).await?;
    let followups = last_followups(conn, program).await?;
    Ok((pipeline, next_event, followups))
}

/// The board's stages, quiet killers, and the cycle's moves against their minimum.
async fn pipeline_block(
    conn: &mut AnyConnection,
    program: Option<ProgramId>,
) -> Result<PipelineBlock, StoreError> {
    let programs = program_ids(conn, program).await?;
    let scope = program.map(|p| p.0);
    let mut stages: std::collections::BTreeMap<String, u32> = Stage::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), 0))
        .collect();
    let cards = sqlx::query(
        "SELECT stage, COUNT(*) AS n, SUM(quiet_killer) AS q FROM pipeline_cards WHERE ($1 IS NULL OR program_id = $1) GROUP BY stage",
    )
    .bind(scope)
    .fetch_all(&mut *conn)
    .await?;
    let mut quiet = 0;
    for r in &cards {
        *stages.entry(text(r, "stage")?).or_default() += u32_(r, "n")?;
        quiet += opt_i64(r, "q")?.unwrap_or(0) as u32;
    }
    let (mut moves, mut minimum) = (0, 0);
    for p in &programs {
        let (m, min) = crate::board::moves_this_cycle(conn, *p).await?;
        moves += u32::try_from(m.len()).unwrap_or(u32::MAX);
        minimum += min;
    }
    Ok(PipelineBlock {
        stages,
        quiet_killers: quiet,
        moves_this_cycle: moves,
        minimum,
    })
}

/// The scope's next event and its confirmed demos.
async fn next_event(
    conn: &mut AnyConnection,
    program: Option<ProgramId>,
) -> Result<Option<NextEvent>, StoreError> {
    let scope = program.map(|p| p.0);
    let next = sqlx::query(
        "SELECT e.id, e.title, p.demo_target, (SELECT COUNT(*) FROM demos d WHERE d.event_id = e.id AND d.status = 'confirmed') AS c \
         FROM events e JOIN programs p ON p.id = e.program_id WHERE e.status IN ('draft', 'announced') AND ($1 IS NULL OR e.program_id = $1 OR e.cohost_program_id = $1) \
         ORDER BY e.starts_at_us, e.id LIMIT 1",
    )
    .bind(scope)
    .fetch_optional(&mut *conn)
    .await?;
    next.map(|r| {
        Ok::<_, StoreError>(NextEvent {
            event: i64_(&r, "id")?,
            title: text(&r, "title")?,
            demos_confirmed: u32_(&r, "c")?,
            demo_target: u32_(&r, "demo_target")?,
        })
    })
    .transpose()
}

/// The follow-ups of the scope's last held event.
async fn last_followups(
    conn: &mut AnyConnection,
    program: Option<ProgramId>,
) -> Result<Option<FollowupsBlock>, StoreError> {
    let last = match program {
        Some(p) => last_held_event(conn, p).await?,
        None => sqlx::query("SELECT id FROM events WHERE status IN ('held', 'closed') ORDER BY starts_at_us DESC, id DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| i64_(&r, "id").map(EventId))
            .transpose()?,
    };
    Ok(match last {
        Some(e) => {
            let r = sqlx::query(
                "SELECT e.title, p.followup_minimum, (SELECT COUNT(*) FROM followups f WHERE f.event_id = e.id) AS sent, \
                   (SELECT COUNT(*) FROM followups f WHERE f.event_id = e.id AND f.answered_at_us IS NOT NULL) AS answered \
                 FROM events e JOIN programs p ON p.id = e.program_id WHERE e.id = $1",
            )
            .bind(e.0)
            .fetch_one(&mut *conn)
            .await?;
            Some(FollowupsBlock {
                event: e.0,
                title: text(&r, "title")?,
                sent: u32_(&r, "sent")?,
                minimum: u32_(&r, "followup_minimum")?,
                answered: u32_(&r, "answered")?,
            })
        }
        None => None,
    })
}

fn review_from_row(r: &sqlx::any::AnyRow) -> Result<ReviewView, StoreError> {
    let started = at(r, "started_at_us")?;
    let ended = opt_at(r, "ended_at_us")?;
    let minutes = ended.map(|e| e.duration_since(started).as_mins());
    let block: ReviewBlock = serde_json::from_str(&text(r, "snapshot")?)
        .map_err(|e| StoreError::Corrupt(format!("reviews.snapshot: {e}")))?;
    Ok(ReviewView {
        id: i64_(r, "id")?,
        program: opt_i64(r, "program_id")?.map(ProgramId),
        started_at: started,
        started_by: text(r, "started_by")?,
        ended_at: ended,
        minutes,
        long: minutes.is_some_and(|m| m > REVIEW_MINUTES),
        insight: opt_text(r, "insight")?,
        block,
    })
}

const SELECT: &str =
    "SELECT id, program_id, started_at_us, started_by, ended_at_us, snapshot, insight FROM reviews";

impl Store {
    /// The pipeline, next-event and follow-up parts of the review block, as they stand.
    pub async fn review_parts(
        &self,
        program: Option<ProgramId>,
    ) -> Result<(PipelineBlock, Option<NextEvent>, Option<FollowupsBlock>), StoreError> {
        let mut conn = self.pool.acquire().await?;
        review_parts(&mut conn, program).await
    }

    /// The review block as it stands now, without starting a review.
    pub async fn review_preview(
        &self,
        program: Option<ProgramId>,
    ) -> Result<ReviewBlock, StoreError> {
        let overrides = self.overrides(program).await?;
        let mut conn = self.pool.acquire().await?;
        let since = last_review_start(&mut conn, program).await?;
        review_block(&mut conn, program, since, overrides).await
    }

    pub async fn start_review(
        &self,
        ctx: &Ctx,
        program: Option<ProgramId>,
    ) -> Result<ReviewView, StoreError> {
        let overrides = self.overrides(program).await?;
        let mut tx = self.write_tx().await?;
        let open = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE ended_at_us IS NULL AND (program_id = $1 OR ($1 IS NULL AND program_id IS NULL))"
        )))
        .bind(program.map(|p| p.0))
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(open) = open {
            return Err(StoreError::Conflict(format!(
                "review {} is still open (started {}); close it with its one insight first",
                i64_(&open, "id")?,
                rfc3339_utc(at(&open, "started_at_us")?)
            )));
        }
        let since = last_review_start(&mut tx, program).await?;
        let block = review_block(&mut tx, program, since, overrides).await?;
        let json = serde_json::to_string(&block).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let row = sqlx::query("INSERT INTO reviews (program_id, started_at_us, started_by, snapshot) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(program.map(|p| p.0))
            .bind(ctx.now_us())
            .bind(&ctx.actor)
            .bind(&json)
            .fetch_one(&mut *tx)
            .await?;
        let id = i64_(&row, "id")?;
        tx.commit().await?;
        self.review(id).await
    }

    /// Ends the open review (of `program`, or the only open one) with its one insight.
    pub async fn close_review(
        &self,
        ctx: &Ctx,
        program: Option<ProgramId>,
        insight: &str,
    ) -> Result<ReviewView, StoreError> {
        self.close_open_review(ctx, program, None, insight).await
    }

    /// Ends the open review `id`: the one a page names, whichever others are open.
    pub async fn close_review_id(
        &self,
        ctx: &Ctx,
        id: i64,
        insight: &str,
    ) -> Result<ReviewView, StoreError> {
        self.close_open_review(ctx, None, Some(id), insight).await
    }

    async fn close_open_review(
        &self,
        ctx: &Ctx,
        program: Option<ProgramId>,
        id: Option<i64>,
        insight: &str,
    ) -> Result<ReviewView, StoreError> {
        let insight = insight.trim();
        if insight.is_empty() {
            return Err(CoreError::invalid(
                "insight",
                insight,
                "is empty; a review ends with one insight",
            )
            .into());
        }
        let mut tx = self.write_tx().await?;
        let open = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE ended_at_us IS NULL AND ($1 IS NULL OR program_id = $1) AND ($2 IS NULL OR id = $2) \
             ORDER BY started_at_us DESC, id DESC"
        )))
        .bind(program.map(|p| p.0))
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let row = match open.len() {
            0 => {
                return Err(
                    CoreError::invalid("review", "", "none is open; start one first").into(),
                );
            }
            1 => &open[0],
            n => {
                return Err(CoreError::invalid(
                    "program",
                    "",
                    format!("is needed: {n} reviews are open (one per program); say which program's review to close"),
                )
                .into());
            }
        };
        let id = i64_(row, "id")?;
        sqlx::query("UPDATE reviews SET ended_at_us = $1, insight = $2 WHERE id = $3")
            .bind(ctx.now_us())
            .bind(insight)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.review(id).await
    }

    pub async fn review(&self, id: i64) -> Result<ReviewView, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE id = $1")))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("review", id))?;
        review_from_row(&row)
    }

    /// The insight of the scope's last review that has one (the dashboard shows it): one
    /// row, where reading every review would parse every frozen block.
    pub async fn last_insight(
        &self,
        program: Option<ProgramId>,
    ) -> Result<Option<String>, StoreError> {
        let row = sqlx::query(
            "SELECT insight FROM reviews WHERE ($1 IS NULL OR program_id = $1) AND insight IS NOT NULL \
             ORDER BY started_at_us DESC, id DESC LIMIT 1",
        )
        .bind(program.map(|p| p.0))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| opt_text(&r, "insight")).transpose()?.flatten())
    }

    pub async fn reviews(&self, program: Option<ProgramId>) -> Result<Vec<ReviewView>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE ($1 IS NULL OR program_id = $1) ORDER BY started_at_us, id"
        )))
        .bind(program.map(|p| p.0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(review_from_row).collect()
    }
}

async fn last_review_start(
    conn: &mut AnyConnection,
    program: Option<ProgramId>,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "SELECT MAX(started_at_us) AS m FROM reviews WHERE ($1 IS NULL OR program_id = $1)",
    )
    .bind(program.map(|p| p.0))
    .fetch_one(&mut *conn)
    .await?;
    Ok(opt_i64(&row, "m")?.unwrap_or(i64::MIN))
}
