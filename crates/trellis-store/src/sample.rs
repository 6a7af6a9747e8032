//! Bulk-loading a [`Dataset`] in one transaction: the sample program, and later
//! restores. Ids are assigned here (current maximum + position), so that rows can refer
//! to each other without a round trip per row.

use crate::bulk::{Value, bump_sequence, insert_many, next_id};
use crate::ctx::Ctx;
use crate::dialect::Dialect;
use crate::error::StoreError;
use crate::open::Store;
use crate::row::{flag_value, i64_};
use sqlx::AnyConnection;
use trellis_core::dataset::{Dataset, StatusRecord};
use trellis_core::time::to_micros;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleLoaded {
    pub programs: Vec<i64>,
    pub people: usize,
    pub events: usize,
    pub attendances: usize,
    pub demos: usize,
}

/// The cycle's mechanisms of a dataset: retros, follow-ups, the board, sparks,
/// organizers and their check-ins, reviews (whose frozen block is computed as loaded).
async fn load_mechanisms(
    conn: &mut AnyConnection,
    dialect: Dialect,
    ctx: &Ctx,
    data: &Dataset,
    program0: i64,
    person0: i64,
    event0: i64,
) -> Result<(), StoreError> {
    load_retros(conn, dialect, data, person0, event0).await?;
    load_followups(conn, dialect, data, person0, event0).await?;
    load_board(conn, dialect, data, program0, person0, event0).await?;
    load_sparks(conn, dialect, data, person0, event0).await?;
    load_organizers(conn, dialect, ctx, data, program0, event0).await?;
    load_reviews(conn, data, program0).await
}

/// Retros with their invites and follow-up picks.
async fn load_retros(
    conn: &mut AnyConnection,
    dialect: Dialect,
    data: &Dataset,
    person0: i64,
    event0: i64,
) -> Result<(), StoreError> {
    let idx = |base: i64, i: usize| base + i as i64;
    let person = |i: usize| Value::Int(idx(person0, i));
    let event = |i: usize| Value::Int(idx(event0, i));
    insert_many(
        conn,
        dialect,
        "retros",
        &[
            "event_id",
            "worked",
            "broke",
            "surprised",
            "written_at_us",
            "due_at_us",
            "author",
        ],
        data.retros.iter().map(|r| {
            vec![
                event(r.event),
                Value::Text(r.worked.clone()),
                Value::Text(r.broke.clone()),
                Value::Text(r.surprised.clone()),
                Value::Int(to_micros(r.written_at)),
                Value::Int(to_micros(r.due_at)),
                Value::Text(r.author.clone()),
            ]
        }),
    )
    .await?;
    insert_many(
        conn,
        dialect,
        "retro_invites",
        &["event_id", "person_id"],
        data.retros.iter().flat_map(|r| {
            r.invite
                .iter()
                .map(move |p| vec![event(r.event), person(*p)])
        }),
    )
    .await?;
    insert_many(
        conn,
        dialect,
        "retro_followups",
        &["event_id", "position", "person_id", "why"],
        data.retros.iter().flat_map(|r| {
            r.follow_up.iter().enumerate().map(move |(i, (p, why))| {
                vec![
                    event(r.event),
                    Value::Int(i as i64 + 1),
                    person(*p),
                    Value::Text(why.clone()),
                ]
            })
        }),
    )
    .await?;
    Ok(())
}

/// The pipeline board: cards and their moves.
async fn load_board(
    conn: &mut AnyConnection,
    dialect: Dialect,
    data: &Dataset,
    program0: i64,
    person0: i64,
    event0: i64,
) -> Result<(), StoreError> {
    let idx = |base: i64, i: usize| base + i as i64;
    let person = |i: usize| Value::Int(idx(person0, i));
    insert_many(
        conn,
        dialect,
        "pipeline_cards",
        &[
            "program_id",
            "person_id",
            "stage",
            "quiet_killer",
            "added_at_us",
            "added_by",
        ],
        data.cards.iter().map(|c| {
            vec![
                Value::Int(idx(program0, c.program)),
                person(c.person),
                Value::Text(c.stage.as_str().to_owned()),
                Value::Int(flag_value(c.quiet_killer)),
                Value::Int(to_micros(c.added_at)),
                Value::Text(c.added_by.clone()),
            ]
        }),
    )
    .await?;
    insert_many(
        conn,
        dialect,
        "pipeline_moves",
        &[
            "program_id",
            "person_id",
            "from_stage",
            "to_stage",
            "forward",
            "automatic",
            "cycle_event_id",
            "at_us",
            "actor",
        ],
        data.moves.iter().map(|m| {
            vec![
                Value::Int(idx(program0, m.program)),
                person(m.person),
                Value::Text(m.from.as_str().to_owned()),
                Value::Text(m.to.as_str().to_owned()),
                Value::Int(flag_value(m.from.is_forward_to(m.to))),
                Value::Int(flag_value(m.automatic)),
                Value::OptInt(m.cycle_event.map(|e| idx(event0, e))),
                Value::Int(to_micros(m.at)),
                Value::Text(m.actor.clone()),
            ]
        }),
    )
    .await?;
    Ok(())
}

/// The follow-ups sent, with their answers; a form's gets a token.
async fn load_followups(
    conn: &mut AnyConnection,
    dialect: Dialect,
    data: &Dataset,
    person0: i64,
    event0: i64,
) -> Result<(), StoreError> {
    let idx = |base: i64, i: usize| base + i as i64;
    let person = |i: usize| Value::Int(idx(person0, i));
    let event = |i: usize| Value::Int(idx(event0, i));
    let mut rows = Vec::with_capacity(data.followups.len());
    for f in &data.followups {
        let token = if f.channel == trellis_core::followup::Channel::Form {
            Some(crate::web::digest(&crate::followups::new_token()?))
        } else {
            None
        };
        rows.push(vec![
            event(f.event),
            person(f.person),
            Value::Text(f.channel.as_str().to_owned()),
            Value::Int(to_micros(f.sent_at)),
            Value::Text(f.actor.clone()),
            // An answered form's token is spent; keep it so the link still says "used".
            Value::OptText(token),
            Value::OptText(f.answer.as_ref().map(|a| a.0.clone())),
            Value::OptText(
                f.answer
                    .as_ref()
                    .and_then(|a| a.1)
                    .map(|o| o.as_str().to_owned()),
            ),
            Value::OptInt(f.answer.as_ref().map(|a| to_micros(a.2))),
        ]);
    }
    insert_many(
        conn,
        dialect,
        "followups",
        &[
            "event_id",
            "person_id",
            "channel",
            "sent_at_us",
            "actor",
            "token",
            "answer",
            "outcome",
            "answered_at_us",
        ],
        rows,
    )
    .await?;
    Ok(())
}

/// The sparks: introductions made, and whether they were acted on.
async fn load_sparks(
    conn: &mut AnyConnection,
    dialect: Dialect,
    data: &Dataset,
    person0: i64,
    event0: i64,
) -> Result<(), StoreError> {
    let idx = |base: i64, i: usize| base + i as i64;
    let person = |i: usize| Value::Int(idx(person0, i));
    insert_many(
        conn,
        dialect,
        "sparks",
        &[
            "person_a",
            "person_b",
            "event_id",
            "note",
            "made_by",
            "made_at_us",
            "acted_at_us",
            "acted_note",
        ],
        data.sparks.iter().map(|s| {
            vec![
                person(s.a),
                person(s.b),
                Value::OptInt(s.event.map(|e| idx(event0, e))),
                Value::OptText(s.note.clone()),
                Value::Text(s.made_by.clone()),
                Value::Int(to_micros(s.made_at)),
                Value::OptInt(s.acted.as_ref().map(|a| to_micros(a.0))),
                Value::OptText(s.acted.as_ref().map(|a| a.1.clone())),
            ]
        }),
    )
    .await?;
    Ok(())
}

/// The organizers (refused when a name is taken), their programs and their check-ins.
async fn load_organizers(
    conn: &mut AnyConnection,
    dialect: Dialect,
    ctx: &Ctx,
    data: &Dataset,
    program0: i64,
    event0: i64,
) -> Result<(), StoreError> {
    let idx = |base: i64, i: usize| base + i as i64;
    let event = |i: usize| Value::Int(idx(event0, i));
    let organizer0 = next_id(conn, "organizers").await?;
    for o in &data.organizers {
        let taken = sqlx::query("SELECT id FROM organizers WHERE lower(name) = lower($1)")
            .bind(&o.name)
            .fetch_optional(&mut *conn)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!(
                "an organizer named {:?} already exists; load the sample into a new database (--db)",
                o.name
            )));
        }
    }
    insert_many(
        conn,
        dialect,
        "organizers",
        &["id", "name", "email", "created_at_us"],
        data.organizers.iter().enumerate().map(|(i, o)| {
            vec![
                Value::Int(idx(organizer0, i)),
                Value::Text(o.name.clone()),
                Value::OptText(o.email.clone()),
                Value::Int(ctx.now_us()),
            ]
        }),
    )
    .await?;
    insert_many(
        conn,
        dialect,
        "program_organizers",
        &["program_id", "organizer_id"],
        data.organizers.iter().enumerate().flat_map(|(i, o)| {
            o.programs.iter().map(move |p| {
                vec![
                    Value::Int(idx(program0, *p)),
                    Value::Int(idx(organizer0, i)),
                ]
            })
        }),
    )
    .await?;
    insert_many(
        conn,
        dialect,
        "organizer_checkins",
        &[
            "event_id",
            "organizer_id",
            "answers",
            "score",
            "hours",
            "at_us",
        ],
        data.checkins.iter().map(|c| {
            let answers: Vec<String> = c.answers.iter().map(|a| a.to_string()).collect();
            vec![
                event(c.event),
                Value::Int(idx(organizer0, c.organizer)),
                Value::Text(answers.join(",")),
                Value::Float(trellis_core::checkin::score(&c.answers)),
                Value::Float(c.hours),
                Value::Int(to_micros(c.at)),
            ]
        }),
    )
    .await?;
    Ok(())
}

/// The reviews, each with the block frozen as it read when the review started.
async fn load_reviews(
    conn: &mut AnyConnection,
    data: &Dataset,
    program0: i64,
) -> Result<(), StoreError> {
    let idx = |base: i64, i: usize| base + i as i64;
    let mut since = i64::MIN;
    for r in &data.reviews {
        let program = r.program.map(|p| trellis_core::ProgramId(idx(program0, p)));
        let block = crate::reviews::review_block(conn, program, since, Vec::new()).await?;
        since = to_micros(r.started_at);
        let json = serde_json::to_string(&block).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query("INSERT INTO reviews (program_id, started_at_us, started_by, ended_at_us, snapshot, insight) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(program.map(|p| p.0))
            .bind(to_micros(r.started_at))
            .bind(&r.started_by)
            .bind(r.ended_at.map(to_micros))
            .bind(&json)
            .bind(r.insight.clone())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

impl Store {
    pub async fn load_dataset(
        &self,
        ctx: &Ctx,
        data: &Dataset,
    ) -> Result<SampleLoaded, StoreError> {
        let mut tx = self.write_tx().await?;
        let conn: &mut AnyConnection = &mut tx;
        // Take the write lock first (SQLite) so the id ranges below stay ours.
        sqlx::query("UPDATE trellis_meta SET value = value WHERE key = 'application'")
            .execute(&mut *conn)
            .await?;
        check_free_names(conn, data).await?;
        let dialect = self.dialect();
        let program0 = next_id(conn, "programs").await?;
        let person0 = next_id(conn, "people").await?;
        let event0 = next_id(conn, "events").await?;
        let demo0 = next_id(conn, "demos").await?;
        let idx = |base: i64, i: usize| base + i as i64;

        load_people(conn, dialect, ctx, data, program0, person0).await?;
        load_events(conn, dialect, data, program0, person0, event0).await?;
        load_demos(conn, dialect, data, person0, event0, demo0).await?;
        load_mechanisms(conn, dialect, ctx, data, program0, person0, event0).await?;
        for table in [
            "programs",
            "people",
            "events",
            "demos",
            "followups",
            "pipeline_moves",
            "sparks",
            "organizers",
            "organizer_checkins",
            "reviews",
        ] {
            bump_sequence(conn, dialect, table).await?;
        }
        tx.commit().await?;
        Ok(SampleLoaded {
            programs: (0..data.programs.len()).map(|i| idx(program0, i)).collect(),
            people: data.people.len(),
            events: data.events.len(),
            attendances: data.attendances.len(),
            demos: data.demos.len(),
        })
    }
}

/// A sample's program names must be new to the database (the e-mails are checked as
/// they are written).
async fn check_free_names(conn: &mut AnyConnection, data: &Dataset) -> Result<(), StoreError> {
    for p in &data.programs {
        let taken = sqlx::query("SELECT id FROM programs WHERE lower(name) = lower($1)")
            .bind(&p.name)
            .fetch_optional(&mut *conn)
            .await?;
        if let Some(row) = taken {
            return Err(StoreError::Conflict(format!(
                "a program named {:?} already exists (id {}); load the sample into a new database (--db)",
                p.name,
                i64_(&row, "id")?
            )));
        }
    }
    Ok(())
}

/// The programs, the people and their e-mails.
async fn load_people(
    conn: &mut AnyConnection,
    dialect: Dialect,
    ctx: &Ctx,
    data: &Dataset,
    program0: i64,
    person0: i64,
) -> Result<(), StoreError> {
    let idx = |base: i64, i: usize| base + i as i64;
    insert_many(
        conn,
        dialect,
        "programs",
        &[
            "id",
            "name",
            "tz",
            "demo_target",
            "default_slots",
            "followup_minimum",
            "retro_hours",
            "moves_per_event",
            "demos_per_presenter",
            "created_at_us",
            "created_by",
        ],
        data.programs.iter().enumerate().map(|(i, p)| {
            vec![
                Value::Int(idx(program0, i)),
                Value::Text(p.name.clone()),
                Value::Text(p.tz.clone()),
                Value::Int(p.settings.demo_target.into()),
                Value::Int(p.settings.default_slots.into()),
                Value::Int(p.settings.followup_minimum.into()),
                Value::Int(p.settings.retro_hours.into()),
                Value::Int(p.settings.moves_per_event.into()),
                Value::Int(p.settings.demos_per_presenter.into()),
                Value::Int(to_micros(p.created_at)),
                Value::Text(ctx.actor.clone()),
            ]
        }),
    )
    .await?;
    insert_many(
        conn,
        dialect,
        "people",
        &["id", "display_name", "quiet_killer", "created_at_us"],
        data.people.iter().enumerate().map(|(i, p)| {
            vec![
                Value::Int(idx(person0, i)),
                Value::Text(p.name.clone()),
                Value::Int(0),
                Value::Int(to_micros(p.created_at)),
            ]
        }),
    )
    .await?;
    insert_many(
        conn,
        dialect,
        "person_emails",
        &["email", "person_id"],
        data.people
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.emails.iter().map(move |e| vec![Value::Text(e.clone()), Value::Int(idx(person0, i))])),
    )
    .await
    .map_err(|e| match e {
        StoreError::Database(err) => crate::bulk::conflict_or(err, || {
            "an e-mail of the sample already belongs to someone in this database; load the sample into a new database (--db)".into()
        }),
        other => other,
    })?;
    Ok(())
}

/// The events with their status history, and the attendances.
async fn load_events(
    conn: &mut AnyConnection,
    dialect: Dialect,
    data: &Dataset,
    program0: i64,
    person0: i64,
    event0: i64,
) -> Result<(), StoreError> {
    let idx = |base: i64, i: usize| base + i as i64;
    insert_many(
        conn,
        dialect,
        "events",
        &[
            "id",
            "program_id",
            "title",
            "starts_local",
            "tz",
            "starts_at_us",
            "venue",
            "capacity",
            "slots",
            "status",
            "created_at_us",
        ],
        data.events
            .iter()
            .enumerate()
            .map(|(i, e)| event_row(idx(event0, i), idx(program0, e.program), e)),
    )
    .await?;
    insert_many(
        conn,
        dialect,
        "event_status_history",
        &["event_id", "from_status", "to_status", "at_us", "actor"],
        data.events.iter().enumerate().flat_map(|(i, e)| {
            e.history.iter().map(move |h| {
                history_row(idx(event0, i), h, trellis_core::event::EventStatus::as_str)
            })
        }),
    )
    .await?;
    insert_many(
        conn,
        dialect,
        "attendances",
        &[
            "event_id",
            "person_id",
            "rsvp",
            "checked_in",
            "source",
            "updated_at_us",
        ],
        data.attendances.iter().map(|a| {
            vec![
                Value::Int(idx(event0, a.event)),
                Value::Int(idx(person0, a.person)),
                Value::Text(a.rsvp.as_str().to_owned()),
                Value::Text(a.checked_in.as_str().to_owned()),
                Value::Text("sample".to_owned()),
                Value::Int(to_micros(data.events[a.event].starts_at)),
            ]
        }),
    )
    .await?;
    Ok(())
}

/// The demos with their presenters and status history.
async fn load_demos(
    conn: &mut AnyConnection,
    dialect: Dialect,
    data: &Dataset,
    person0: i64,
    event0: i64,
    demo0: i64,
) -> Result<(), StoreError> {
    let idx = |base: i64, i: usize| base + i as i64;
    insert_many(
        conn,
        dialect,
        "demos",
        &[
            "id",
            "event_id",
            "title",
            "status",
            "screening_passed",
            "check_live_demo",
            "check_built_it",
            "check_fits_time",
            "check_wip_welcome",
            "screening_note",
            "screened_at_us",
            "contract_accepted_at_us",
            "created_at_us",
        ],
        data.demos
            .iter()
            .enumerate()
            .map(|(i, d)| demo_row(idx(demo0, i), idx(event0, d.event), d)),
    )
    .await?;
    insert_many(
        conn,
        dialect,
        "demo_presenters",
        &["demo_id", "person_id", "position"],
        data.demos.iter().enumerate().flat_map(|(i, d)| {
            d.presenters.iter().enumerate().map(move |(pos, p)| {
                vec![
                    Value::Int(idx(demo0, i)),
                    Value::Int(idx(person0, *p)),
                    Value::Int(pos as i64 + 1),
                ]
            })
        }),
    )
    .await?;
    insert_many(
        conn,
        dialect,
        "demo_status_history",
        &["demo_id", "from_status", "to_status", "at_us", "actor"],
        data.demos.iter().enumerate().flat_map(|(i, d)| {
            d.history
                .iter()
                .map(move |h| history_row(idx(demo0, i), h, trellis_core::demo::DemoStatus::as_str))
        }),
    )
    .await?;
    Ok(())
}

/// An `events` row: the event `id` of program `program_id`.
fn event_row(id: i64, program_id: i64, e: &trellis_core::dataset::EventRecord) -> Vec<Value> {
    vec![
        Value::Int(id),
        Value::Int(program_id),
        Value::Text(e.title.clone()),
        Value::Text(e.starts_local.clone()),
        Value::Text(e.tz.clone()),
        Value::Int(to_micros(e.starts_at)),
        Value::OptText(e.venue.clone()),
        Value::OptInt(e.capacity.map(i64::from)),
        Value::Int(e.slots.into()),
        Value::Text(e.status.as_str().to_owned()),
        Value::Int(to_micros(e.created_at)),
    ]
}

/// A `demos` row: the demo `id` at event `event_id`, screened when its history says so.
fn demo_row(id: i64, event_id: i64, d: &trellis_core::dataset::DemoRecord) -> Vec<Value> {
    let screened = d.history.iter().find(|h| {
        matches!(
            h.to,
            trellis_core::demo::DemoStatus::Screened | trellis_core::demo::DemoStatus::Rejected
        )
    });
    vec![
        Value::Int(id),
        Value::Int(event_id),
        Value::Text(d.title.clone()),
        Value::Text(d.status.as_str().to_owned()),
        Value::Int(flag_value(d.screening_passed)),
        Value::Int(flag_value(d.checklist.live_demo)),
        Value::Int(flag_value(d.checklist.built_it)),
        Value::Int(flag_value(d.checklist.fits_time)),
        Value::Int(flag_value(d.checklist.wip_welcome)),
        Value::OptText(d.screening_note.clone()),
        Value::OptInt(screened.map(|h| to_micros(h.at))),
        Value::OptInt(d.contract_accepted_at.map(to_micros)),
        Value::Int(to_micros(d.created_at)),
    ]
}

/// A row of `event_status_history` or `demo_status_history`: the subject's id, then the
/// change.
fn history_row<S: Copy>(id: i64, h: &StatusRecord<S>, name: fn(S) -> &'static str) -> Vec<Value> {
    vec![
        Value::Int(id),
        Value::OptText(h.from.map(|s| name(s).to_owned())),
        Value::Text(name(h.to).to_owned()),
        Value::Int(to_micros(h.at)),
        Value::Text(h.actor.clone()),
    ]
}
