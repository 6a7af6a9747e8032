//! Everything the person page shows beside their attendances and demos: where they stand
//! on each program's speaker pipeline and how they got there, the follow-ups sent to them
//! with their answers, and the sparks they are part of. Also the search behind `/people`.

use crate::error::StoreError;
use crate::open::Store;
use crate::row::{at, flag, i64_, opt_at, opt_text, text};
use jiff::Timestamp;
use trellis_core::{EventId, PersonId, ProgramId};

/// A stage on one program's board.
#[derive(Debug, Clone)]
pub struct StageOf {
    pub program: ProgramId,
    pub program_name: String,
    pub stage: String,
    pub quiet_killer: bool,
}

/// One move on a board.
#[derive(Debug, Clone)]
pub struct MoveOf {
    pub program: ProgramId,
    pub program_name: String,
    pub from: String,
    pub to: String,
    pub forward: bool,
    pub automatic: bool,
    pub at: Timestamp,
    pub actor: String,
}

/// A follow-up sent to the person, and their answer if any.
#[derive(Debug, Clone)]
pub struct FollowupOf {
    pub event: EventId,
    pub event_title: String,
    pub channel: String,
    pub sent_at: Timestamp,
    pub outcome: Option<String>,
    pub answer: Option<String>,
    pub answered_at: Option<Timestamp>,
}

/// A spark between the person and someone else.
#[derive(Debug, Clone)]
pub struct SparkOf {
    pub other: PersonId,
    pub other_name: String,
    pub event_title: Option<String>,
    /// The program of the event it was made at; none when made at no event.
    pub program: Option<ProgramId>,
    pub note: Option<String>,
    pub acted: bool,
}

#[derive(Debug, Clone, Default)]
pub struct PersonStory {
    pub stages: Vec<StageOf>,
    pub moves: Vec<MoveOf>,
    pub followups: Vec<FollowupOf>,
    pub sparks: Vec<SparkOf>,
    /// People merged into this one (each merge can be undone).
    pub merged_in: Vec<(PersonId, String)>,
    /// The person this one was merged into, if so.
    pub merged_into: Option<PersonId>,
    /// Whether the person was forgotten.
    pub forgotten: bool,
}

/// A person found by `/people`'s search.
#[derive(Debug, Clone)]
pub struct PersonHit {
    pub id: PersonId,
    pub name: String,
    pub email: Option<String>,
}

impl Store {
    /// The person's pipeline, follow-ups and sparks.
    pub async fn person_story(&self, id: PersonId) -> Result<PersonStory, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let mut story = PersonStory::default();
        read_identity(&mut conn, id, &mut story).await?;
        for r in &sqlx::query(
            "SELECT c.program_id, p.name, c.stage, c.quiet_killer FROM pipeline_cards c \
             JOIN programs p ON p.id = c.program_id WHERE c.person_id = $1 ORDER BY p.name",
        )
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?
        {
            story.stages.push(StageOf {
                program: ProgramId(i64_(r, "program_id")?),
                program_name: text(r, "name")?,
                stage: text(r, "stage")?,
                quiet_killer: flag(r, "quiet_killer")?,
            });
        }
        for r in &sqlx::query(
            "SELECT m.program_id, p.name, m.from_stage, m.to_stage, m.forward, m.automatic, m.at_us, m.actor FROM pipeline_moves m \
             JOIN programs p ON p.id = m.program_id WHERE m.person_id = $1 ORDER BY m.at_us DESC, m.id DESC",
        )
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?
        {
            story.moves.push(MoveOf {
                program: ProgramId(i64_(r, "program_id")?),
                program_name: text(r, "name")?,
                from: text(r, "from_stage")?,
                to: text(r, "to_stage")?,
                forward: flag(r, "forward")?,
                automatic: flag(r, "automatic")?,
                at: at(r, "at_us")?,
                actor: text(r, "actor")?,
            });
        }
        for r in &sqlx::query(
            "SELECT f.event_id, e.title, f.channel, f.sent_at_us, f.outcome, f.answer, f.answered_at_us FROM followups f \
             JOIN events e ON e.id = f.event_id WHERE f.person_id = $1 ORDER BY f.sent_at_us DESC, f.id DESC",
        )
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?
        {
            story.followups.push(FollowupOf {
                event: EventId(i64_(r, "event_id")?),
                event_title: text(r, "title")?,
                channel: text(r, "channel")?,
                sent_at: at(r, "sent_at_us")?,
                outcome: opt_text(r, "outcome")?,
                answer: opt_text(r, "answer")?,
                answered_at: opt_at(r, "answered_at_us")?,
            });
        }
        for r in &sqlx::query(
            "SELECT CASE WHEN s.person_a = $1 THEN s.person_b ELSE s.person_a END AS other, o.display_name, \
                    e.title, e.program_id, s.note, CASE WHEN s.acted_at_us IS NULL THEN 0 ELSE 1 END AS acted FROM sparks s \
             JOIN people o ON o.id = CASE WHEN s.person_a = $1 THEN s.person_b ELSE s.person_a END \
             LEFT JOIN events e ON e.id = s.event_id WHERE s.person_a = $1 OR s.person_b = $1 ORDER BY s.made_at_us DESC, s.id DESC",
        )
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?
        {
            story.sparks.push(SparkOf {
                other: PersonId(i64_(r, "other")?),
                other_name: text(r, "display_name")?,
                event_title: opt_text(r, "title")?,
                program: crate::row::opt_i64(r, "program_id")?.map(ProgramId),
                note: opt_text(r, "note")?,
                acted: flag(r, "acted")?,
            });
        }
        Ok(story)
    }

    /// People whose name or an e-mail contains `search` (case-insensitive, taken
    /// literally), by name, at most `limit`; everyone when it is blank.
    pub async fn search_people(
        &self,
        search: &str,
        limit: i64,
    ) -> Result<Vec<PersonHit>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.id, p.display_name, (SELECT MIN(e.email) FROM person_emails e WHERE e.person_id = p.id) AS email \
             FROM people p WHERE p.merged_into IS NULL AND p.forgotten_at_us IS NULL \
             AND ($1 = '%' OR LOWER(p.display_name) LIKE $1 ESCAPE '\\' OR EXISTS (SELECT 1 FROM person_emails x \
                  WHERE x.person_id = p.id AND x.email LIKE $1 ESCAPE '\\')) \
             ORDER BY LOWER(p.display_name), p.id LIMIT $2",
        )
        .bind(crate::door::like_pattern(search))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PersonHit {
                    id: PersonId(i64_(r, "id")?),
                    name: text(r, "display_name")?,
                    email: opt_text(r, "email")?,
                })
            })
            .collect()
    }
}

/// Who was merged into the person, whom they were merged into, whether forgotten.
async fn read_identity(
    conn: &mut sqlx::AnyConnection,
    id: PersonId,
    story: &mut PersonStory,
) -> Result<(), StoreError> {
    let me = sqlx::query("SELECT merged_into, forgotten_at_us FROM people WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("person", id))?;
    story.merged_into = crate::row::opt_i64(&me, "merged_into")?.map(PersonId);
    story.forgotten = crate::row::opt_i64(&me, "forgotten_at_us")?.is_some();
    for r in &sqlx::query("SELECT id, display_name FROM people WHERE merged_into = $1 ORDER BY id")
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?
    {
        story
            .merged_in
            .push((PersonId(i64_(r, "id")?), text(r, "display_name")?));
    }
    Ok(())
}
