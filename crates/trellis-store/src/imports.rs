//! Writing an import: who each record is about (identity), then the attendances or demos
//! it says, in one transaction. Records arrive in batches over a channel while the file
//! is still being read; nothing is committed unless the parser reached the end (`End`),
//! and a dry run rolls everything back.
//!
//! Identity: a record's e-mail (normalised: trimmed, lower-cased, dots and `+tags` kept,
//! see `trellis_core::person::normalise_email`) names a person first; then the platform's
//! person id (`person_platform_ids`). A name alone never does: a record with neither
//! makes a new person, and `person duplicates` shows the likely pairs.
//!
//! Speed: per batch, the unknown e-mails and ids are looked up with one `IN (…)` query
//! per 500; new people get ids from the current maximum and are written with multi-row
//! inserts; attendances are combined per person in memory (memory grows with the
//! people of the file, not its size) and written at the end, only those that changed,
//! with multi-row upserts.

use crate::bulk::{Value, bump_sequence, insert_many, next_id, placeholders, upsert_many};
use crate::ctx::Ctx;
use crate::dialect::Dialect;
use crate::error::StoreError;
use crate::gates::{lock_event, record_history};
use crate::open::Store;
use crate::row::{i64_, opt_text, parse, text};
use futures_util::TryStreamExt;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use std::collections::HashMap;
use tokio::sync::mpsc::Receiver;
use trellis_core::attendance::{CheckedIn, Rsvp};
use trellis_core::demo::{DemoStatus, validate_title};
use trellis_core::event::EventStatus;
use trellis_core::import::{
    FileFacts, ImportMsg, PUBLISHED, PersonKey, Platform, Record, RowNote, Session, Shape, Speaker,
    stronger_rsvp,
};
use trellis_core::person::{normalise_email, validate_display_name};
use trellis_core::{CoreError, EventId, PersonId};

#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub event: EventId,
    /// As the user named it, for the record and messages.
    pub file_name: String,
    pub dry_run: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchedBy {
    pub email: u64,
    pub platform_id: u64,
}

/// What an import read and did. The keys `rows`, `people_new`, `people_matched`,
/// `added`, `updated` and `skipped` are a public contract of `--json`.
#[derive(Debug, Clone)]
pub struct ImportReport {
    /// The recorded import's id (`None` for a dry run).
    pub import: Option<i64>,
    pub event: EventId,
    pub platform: Platform,
    pub format: String,
    pub chosen_because: String,
    pub file: String,
    pub sha256: String,
    pub dry_run: bool,
    /// What `added`/`updated`/`unchanged` count: `attendances` or `demos`.
    pub kind: &'static str,
    pub rows: u64,
    pub people_new: u64,
    pub people_matched: u64,
    pub matched_by: MatchedBy,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Rows about a person already seen in the file (a second ticket, a second
    /// registration under another spelling of the e-mail): combined into one.
    pub combined: u64,
    pub presenters_added: u64,
    /// Answers to the event's questions that were new or changed.
    pub answers: u64,
    pub skipped: Vec<RowNote>,
    /// Rows imported with a remark (a confirmed demo without a free slot, …).
    pub notes: Vec<RowNote>,
}

/// One recorded import, as `trellis imports` lists it.
#[derive(Debug, Clone)]
pub struct ImportRecord {
    pub id: i64,
    pub event: EventId,
    pub platform: String,
    pub format: String,
    pub file: String,
    pub sha256: String,
    pub rows: i64,
    pub people_new: i64,
    pub people_matched: i64,
    pub added: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub skipped: i64,
    pub at: jiff::Timestamp,
    pub actor: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    New,
    Email,
    Platform,
}

/// A person's rows in this file, combined.
struct Agg {
    rsvp: Rsvp,
    checked: bool,
    answers: Vec<(u32, String)>,
}

/// Who the records are about, as learned during this import.
struct Ident {
    dialect: Dialect,
    platform: Platform,
    event: EventId,
    now_us: i64,
    next_id: i64,
    by_email: HashMap<String, PersonId>,
    by_pid: HashMap<String, PersonId>,
    origin: HashMap<PersonId, Origin>,
    new_people: Vec<Vec<Value>>,
    new_emails: Vec<Vec<Value>>,
    new_pids: Vec<Vec<Value>>,
    notes: Vec<RowNote>,
}

impl Ident {
    /// The platform id as stored: pretalx speaker codes are per event (since v2026.1),
    /// so they are kept with the event's id in front.
    fn scoped(&self, pid: &str) -> String {
        if self.platform.person_id_is_global() {
            pid.to_owned()
        } else {
            format!("event {}:{pid}", self.event)
        }
    }

    fn mark(&mut self, p: PersonId, o: Origin) {
        self.origin.entry(p).or_insert(o);
    }

    fn add_email(&mut self, e: String, p: PersonId) {
        self.new_emails
            .push(vec![Value::Text(e.clone()), Value::Int(p.0)]);
        self.by_email.insert(e, p);
    }

    fn add_pid(&mut self, pid: String, p: PersonId) {
        self.new_pids.push(vec![
            Value::Text(self.platform.as_str().to_owned()),
            Value::Text(pid.clone()),
            Value::Int(p.0),
        ]);
        self.by_pid.insert(pid, p);
    }

    /// Finds or creates the person a key names. `Err` is the reason the row is skipped.
    /// A key's normalised e-mail (an `Err` names a bad one) and scoped platform id,
    /// computed once per record.
    fn prepare(&self, key: &PersonKey) -> Prepared {
        let email = key
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(|raw| {
                normalise_email(raw).map_err(|_| format!("e-mail {raw:?} is not an e-mail address"))
            });
        let pid = key
            .platform_id
            .as_deref()
            .filter(|p| !p.is_empty())
            .map(|p| self.scoped(p));
        (email, pid)
    }

    fn resolve(
        &mut self,
        key: &PersonKey,
        prepared: Prepared,
        line: u64,
    ) -> Result<PersonId, String> {
        let (email, pid) = prepared;
        let email = email.transpose()?;
        if email.is_none() && pid.is_none() {
            return Err(
                "neither an e-mail nor a platform id: a name alone is not an identity".into(),
            );
        }
        if let Some(p) = email.as_ref().and_then(|e| self.by_email.get(e)).copied() {
            self.mark(p, Origin::Email);
            if let Some(pid) = pid {
                match self.by_pid.get(&pid).copied() {
                    Some(q) if q != p => self.notes.push(RowNote {
                        line,
                        reason: format!(
                            "the {} id {pid} belongs to person {q}, the e-mail to person {p}: imported for person {p}, not merged (they are listed among the likely duplicates)",
                            self.platform
                        ),
                    }),
                    Some(_) => {}
                    None => self.add_pid(pid, p),
                }
            }
            return Ok(p);
        }
        if let Some(p) = pid.as_ref().and_then(|i| self.by_pid.get(i)).copied() {
            self.mark(p, Origin::Platform);
            if let Some(e) = email {
                self.add_email(e, p);
            }
            return Ok(p);
        }
        let p = PersonId(self.next_id);
        self.next_id += 1;
        let name = key
            .name
            .as_deref()
            .and_then(|n| validate_display_name(n).ok())
            .or_else(|| email.clone())
            .unwrap_or_else(|| {
                format!(
                    "{} {}",
                    self.platform,
                    key.platform_id.as_deref().unwrap_or("person")
                )
            });
        self.new_people.push(vec![
            Value::Int(p.0),
            Value::Text(name),
            Value::Int(self.now_us),
        ]);
        self.mark(p, Origin::New);
        if let Some(e) = email {
            self.add_email(e, p);
        }
        if let Some(pid) = pid {
            self.add_pid(pid, p);
        }
        Ok(p)
    }

    /// Looks up, in one query per 500, the e-mails and ids of `keys` not yet known.
    async fn prefetch(
        &mut self,
        conn: &mut AnyConnection,
        keys: &[Prepared],
    ) -> Result<(), StoreError> {
        let mut emails: Vec<&str> = Vec::new();
        let mut pids: Vec<&str> = Vec::new();
        let mut asked: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for (e, p) in keys {
            if let Some(Ok(e)) = e
                && !self.by_email.contains_key(e)
                && asked.insert(e)
            {
                emails.push(e);
            }
            if let Some(p) = p
                && !self.by_pid.contains_key(p)
                && asked.insert(p)
            {
                pids.push(p);
            }
        }
        let chunk_len = self.dialect.lookup_chunk();
        for chunk in emails.chunks(chunk_len) {
            let sql = format!(
                "SELECT email, person_id FROM person_emails WHERE email IN ({})",
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for e in chunk {
                q = q.bind(*e);
            }
            for r in q.fetch_all(&mut *conn).await? {
                self.by_email
                    .insert(text(&r, "email")?, PersonId(i64_(&r, "person_id")?));
            }
        }
        for chunk in pids.chunks(chunk_len) {
            let sql = format!(
                "SELECT external_id, person_id FROM person_platform_ids WHERE platform = $1 AND external_id IN ({})",
                placeholders(2, chunk.len())
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(self.platform.as_str());
            for p in chunk {
                q = q.bind(*p);
            }
            for r in q.fetch_all(&mut *conn).await? {
                self.by_pid
                    .insert(text(&r, "external_id")?, PersonId(i64_(&r, "person_id")?));
            }
        }
        Ok(())
    }

    /// Writes the people, e-mails and ids created since the last flush.
    async fn flush(&mut self, conn: &mut AnyConnection) -> Result<(), StoreError> {
        insert_many(
            conn,
            self.dialect,
            "people",
            &["id", "display_name", "created_at_us"],
            std::mem::take(&mut self.new_people),
        )
        .await?;
        insert_many(
            conn,
            self.dialect,
            "person_emails",
            &["email", "person_id"],
            std::mem::take(&mut self.new_emails),
        )
        .await?;
        insert_many(
            conn,
            self.dialect,
            "person_platform_ids",
            &["platform", "external_id", "person_id"],
            std::mem::take(&mut self.new_pids),
        )
        .await?;
        Ok(())
    }
}

/// A record's normalised e-mail (or why it is not one) and scoped platform id.
type Prepared = (Option<Result<String, String>>, Option<String>);

fn rsvp_code(r: Rsvp) -> u8 {
    match r {
        Rsvp::Going => 0,
        Rsvp::Waitlist => 1,
        Rsvp::Declined => 2,
        Rsvp::Invited => 3,
    }
}

fn checked_code(c: CheckedIn) -> u8 {
    match c {
        CheckedIn::Yes => 0,
        CheckedIn::No => 1,
        CheckedIn::Unknown => 2,
    }
}

/// Everything read from the file, kept until the end.
#[derive(Default)]
struct Collected {
    guests: HashMap<PersonId, Agg>,
    sessions: Vec<(Session, Vec<PersonId>)>,
    speakers: Vec<(Speaker, PersonId)>,
    skipped: Vec<RowNote>,
    combined: u64,
}

impl Store {
    /// Imports the records `rx` delivers into `req.event`, in one transaction.
    pub async fn import(
        &self,
        ctx: &Ctx,
        req: &ImportRequest,
        mut rx: Receiver<ImportMsg>,
    ) -> Result<ImportReport, StoreError> {
        let dialect = self.dialect();
        let mut tx = self.write_tx().await?;
        let conn: &mut AnyConnection = &mut tx;
        // New people get ids from the current maximum: nobody else may add people until
        // this import commits (they wait).
        dialect.lock_for_new_ids(conn, "people").await?;
        // Every reference written points at the event locked below, or at people and
        // demos looked up or created in this transaction.
        dialect.begin_bulk(conn).await?;
        let (status, slots) = open_event(conn, req.event).await?;
        let (shape, chosen_because) = match rx.recv().await {
            Some(ImportMsg::Start {
                shape,
                chosen_because,
            }) => (shape, chosen_because),
            _ => return Err(interrupted(&req.file_name)),
        };
        let platform = shape.platform();
        let mut id = Ident {
            dialect,
            platform,
            event: req.event,
            now_us: ctx.now_us(),
            next_id: next_id(conn, "people").await?,
            by_email: HashMap::new(),
            by_pid: HashMap::new(),
            origin: HashMap::new(),
            new_people: Vec::new(),
            new_emails: Vec::new(),
            new_pids: Vec::new(),
            notes: Vec::new(),
        };
        let mut got = Collected::default();
        let facts = receive(conn, &mut id, &mut got, &mut rx, &req.file_name).await?;
        id.flush(conn).await?;
        bump_sequence(conn, dialect, "people").await?;

        let mut report = new_report(req, shape, chosen_because, &facts, &mut got, &id);
        write_records(
            conn,
            dialect,
            ctx,
            req.event,
            status,
            slots,
            platform,
            &facts,
            &mut got,
            &mut report,
        )
        .await?;
        report.notes = std::mem::take(&mut id.notes);
        report.notes.sort_by_key(|n| n.line);
        report.skipped.sort_by_key(|n| n.line);

        if req.dry_run {
            tx.rollback().await?;
            return Ok(report);
        }
        report.import = Some(record_import(conn, ctx, req, shape, &facts, &report).await?);
        tx.commit().await?;
        Ok(report)
    }

    /// Every recorded import, newest last; of one event when given.
    pub async fn imports(&self, event: Option<EventId>) -> Result<Vec<ImportRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, event_id, platform, shape, file_name, sha256, rows_read, people_new, people_matched, added, updated, \
             unchanged, skipped, at_us, actor FROM imports WHERE ($1 IS NULL OR event_id = $1) ORDER BY id",
        )
        .bind(event.map(|e| e.0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ImportRecord {
                    id: i64_(r, "id")?,
                    event: EventId(i64_(r, "event_id")?),
                    platform: text(r, "platform")?,
                    format: text(r, "shape")?,
                    file: text(r, "file_name")?,
                    sha256: text(r, "sha256")?,
                    rows: i64_(r, "rows_read")?,
                    people_new: i64_(r, "people_new")?,
                    people_matched: i64_(r, "people_matched")?,
                    added: i64_(r, "added")?,
                    updated: i64_(r, "updated")?,
                    unchanged: i64_(r, "unchanged")?,
                    skipped: i64_(r, "skipped")?,
                    at: crate::row::at(r, "at_us")?,
                    actor: text(r, "actor")?,
                })
            })
            .collect()
    }
}

/// Locks the event (so the slot count read next stays true until commit) and reads what
/// the import needs of it; a cancelled event takes no import.
async fn open_event(
    conn: &mut AnyConnection,
    event: EventId,
) -> Result<(EventStatus, i64), StoreError> {
    lock_event(conn, event).await?;
    let ev = sqlx::query("SELECT status, slots FROM events WHERE id = $1")
        .bind(event.0)
        .fetch_one(&mut *conn)
        .await?;
    let status: EventStatus = parse(&ev, "status")?;
    if status == EventStatus::Cancelled {
        return Err(CoreError::invalid(
            "event",
            event,
            "is cancelled; nothing can be imported into it",
        )
        .into());
    }
    Ok((status, i64_(&ev, "slots")?))
}

/// Takes the batches as the parser sends them, resolving who each record is about, until
/// the parser's `End`; its facts about the whole file.
async fn receive(
    conn: &mut AnyConnection,
    id: &mut Ident,
    got: &mut Collected,
    rx: &mut Receiver<ImportMsg>,
    file_name: &str,
) -> Result<FileFacts, StoreError> {
    loop {
        match rx.recv().await {
            Some(ImportMsg::Batch(batch)) => absorb(conn, id, got, batch).await?,
            Some(ImportMsg::End(facts)) => return Ok(facts),
            Some(ImportMsg::Start { .. }) | None => return Err(interrupted(file_name)),
        }
    }
}

/// The report's figures known once the file is read: what it was, and who was matched how.
fn new_report(
    req: &ImportRequest,
    shape: Shape,
    chosen_because: String,
    facts: &FileFacts,
    got: &mut Collected,
    id: &Ident,
) -> ImportReport {
    let mut report = ImportReport {
        import: None,
        event: req.event,
        platform: shape.platform(),
        format: shape.as_str().to_owned(),
        chosen_because,
        file: req.file_name.clone(),
        sha256: facts.sha256.clone(),
        dry_run: req.dry_run,
        kind: if got.sessions.is_empty() {
            "attendances"
        } else {
            "demos"
        },
        rows: facts.rows,
        people_new: 0,
        people_matched: 0,
        matched_by: MatchedBy::default(),
        added: 0,
        updated: 0,
        unchanged: 0,
        combined: got.combined,
        presenters_added: 0,
        answers: 0,
        skipped: std::mem::take(&mut got.skipped),
        notes: Vec::new(),
    };
    for o in id.origin.values() {
        match o {
            Origin::New => report.people_new += 1,
            Origin::Email => report.matched_by.email += 1,
            Origin::Platform => report.matched_by.platform_id += 1,
        }
    }
    report.people_matched = report.matched_by.email + report.matched_by.platform_id;
    report
}

/// Writes what the records say: the sessions as demos, the speakers as their presenters
/// (and guests, when they arrived), the guests' attendances, and everyone's answers.
#[allow(clippy::too_many_arguments)]
async fn write_records(
    conn: &mut AnyConnection,
    dialect: Dialect,
    ctx: &Ctx,
    event: EventId,
    status: EventStatus,
    slots: i64,
    platform: Platform,
    facts: &FileFacts,
    got: &mut Collected,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    let mut answers: Vec<(PersonId, u32, String)> = Vec::new();
    write_sessions(
        conn,
        ctx,
        event,
        slots,
        matches!(status, EventStatus::Held | EventStatus::Closed),
        platform,
        &facts.questions,
        got,
        report,
    )
    .await?;
    for (s, p) in std::mem::take(&mut got.speakers) {
        answers.extend(s.answers.iter().map(|(q, a)| (p, *q, a.clone())));
        report.presenters_added += link_presenter(conn, event, platform, &s.sessions, p).await?;
        if s.arrived {
            let agg = got.guests.entry(p).or_insert(Agg {
                rsvp: Rsvp::Going,
                checked: true,
                answers: Vec::new(),
            });
            agg.checked = true;
        }
    }
    write_guests(
        conn,
        dialect,
        ctx,
        event,
        status,
        platform,
        got,
        &mut answers,
        report,
    )
    .await?;
    report.answers += write_answers(conn, dialect, event, facts, answers).await?;
    Ok(())
}

/// The import's row in `imports`, with its figures and up to 1,000 skipped rows; its id.
async fn record_import(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    req: &ImportRequest,
    shape: Shape,
    facts: &FileFacts,
    report: &ImportReport,
) -> Result<i64, StoreError> {
    let problems = serde_json::to_string(&report.skipped.iter().take(1000).collect::<Vec<_>>())
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let row = sqlx::query(
        "INSERT INTO imports (event_id, platform, shape, file_name, sha256, rows_read, people_new, people_matched, \
         added, updated, unchanged, skipped, problems, at_us, actor) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(req.event.0)
    .bind(shape.platform().as_str())
    .bind(shape_key(shape))
    .bind(&req.file_name)
    .bind(&facts.sha256)
    .bind(count(report.rows))
    .bind(count(report.people_new))
    .bind(count(report.people_matched))
    .bind(count(report.added))
    .bind(count(report.updated))
    .bind(count(report.unchanged))
    .bind(count(report.skipped.len() as u64))
    .bind(problems)
    .bind(ctx.now_us())
    .bind(&ctx.actor)
    .fetch_one(&mut *conn)
    .await?;
    i64_(&row, "id")
}

fn shape_key(s: Shape) -> &'static str {
    match s {
        Shape::LumaCsv => "luma_csv",
        Shape::EventbriteCsv => "eventbrite_csv",
        Shape::EventbriteJson => "eventbrite_json",
        Shape::MeetupCsv => "meetup_csv",
        Shape::SessionizeJson => "sessionize_json",
        Shape::PretalxSubmissionsJson => "pretalx_submissions_json",
        Shape::PretalxSpeakersJson => "pretalx_speakers_json",
        Shape::PretalxSessionsCsv => "pretalx_sessions_csv",
    }
}

fn interrupted(file: &str) -> StoreError {
    StoreError::Conflict(format!(
        "{file}: the file was not read to the end; nothing was imported"
    ))
}

/// Resolves the people of one batch and keeps what they say.
async fn absorb(
    conn: &mut AnyConnection,
    id: &mut Ident,
    got: &mut Collected,
    batch: Vec<Record>,
) -> Result<(), StoreError> {
    let mut prepared: Vec<Prepared> = Vec::with_capacity(batch.len());
    for r in &batch {
        match r {
            Record::Guest(g) => prepared.push(id.prepare(&g.person)),
            Record::Session(s) => prepared.extend(s.speakers.iter().map(|k| id.prepare(k))),
            Record::Speaker(s) => prepared.push(id.prepare(&s.person)),
            Record::Skipped(_) => {}
        }
    }
    id.prefetch(conn, &prepared).await?;
    let mut prepared = prepared.into_iter();
    let mut next = || prepared.next().unwrap_or((None, None));
    for r in batch {
        match r {
            Record::Skipped(n) => got.skipped.push(n),
            Record::Guest(g) => match id.resolve(&g.person, next(), g.line) {
                Err(reason) => got.skipped.push(RowNote {
                    line: g.line,
                    reason,
                }),
                Ok(p) => match got.guests.get_mut(&p) {
                    Some(agg) => {
                        got.combined += 1;
                        agg.rsvp = stronger_rsvp(agg.rsvp, g.rsvp);
                        agg.checked |= g.checked_in;
                        for (q, a) in g.answers {
                            match agg.answers.iter_mut().find(|(x, _)| *x == q) {
                                Some(slot) => slot.1 = a,
                                None => agg.answers.push((q, a)),
                            }
                        }
                    }
                    None => {
                        got.guests.insert(
                            p,
                            Agg {
                                rsvp: g.rsvp,
                                checked: g.checked_in,
                                answers: g.answers,
                            },
                        );
                    }
                },
            },
            Record::Session(s) => {
                let mut people = Vec::new();
                let mut bad = None;
                for k in &s.speakers {
                    match id.resolve(k, next(), s.line) {
                        Ok(p) if !people.contains(&p) => people.push(p),
                        Ok(_) => {}
                        Err(reason) => bad = Some(reason),
                    }
                }
                if let Some(reason) = bad {
                    got.skipped.push(RowNote {
                        line: s.line,
                        reason: format!("a speaker of session {}: {reason}", s.external_id),
                    });
                } else {
                    got.sessions.push((s, people));
                }
            }
            Record::Speaker(s) => match id.resolve(&s.person, next(), s.line) {
                Ok(p) => got.speakers.push((s, p)),
                Err(reason) => got.skipped.push(RowNote {
                    line: s.line,
                    reason,
                }),
            },
        }
    }
    id.flush(conn).await
}

#[allow(clippy::too_many_arguments)]
async fn write_guests(
    conn: &mut AnyConnection,
    dialect: Dialect,
    ctx: &Ctx,
    event: EventId,
    status: EventStatus,
    platform: Platform,
    got: &mut Collected,
    answers: &mut Vec<(PersonId, u32, String)>,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    if got.guests.is_empty() {
        return Ok(());
    }
    let existing = existing_attendances(conn, event).await?;
    // No-show is only known when the file uses check-in at all.
    let uses_checkin = got.guests.values().any(|a| a.checked);
    let mut people: Vec<PersonId> = got.guests.keys().copied().collect();
    people.sort_unstable();
    let source = format!("import:{platform}");
    let mut writes = Vec::new();
    for p in people {
        let Some(agg) = got.guests.remove(&p) else {
            continue;
        };
        answers.extend(agg.answers.into_iter().map(|(q, a)| (p, q, a)));
        let mut checked = if agg.checked {
            CheckedIn::Yes
        } else if uses_checkin {
            CheckedIn::No
        } else {
            CheckedIn::Unknown
        };
        match existing.get(&p.0) {
            None => report.added += 1,
            Some(&(r, c)) => {
                // Someone checked in (at the door, or by an earlier export) came.
                if c == checked_code(CheckedIn::Yes) {
                    checked = CheckedIn::Yes;
                }
                if r == rsvp_code(agg.rsvp) && c == checked_code(checked) {
                    report.unchanged += 1;
                    continue;
                }
                report.updated += 1;
            }
        }
        writes.push((p, agg.rsvp, checked));
    }
    if status == EventStatus::Draft && writes.iter().any(|w| w.2 != CheckedIn::Unknown) {
        return Err(CoreError::invalid(
            "event",
            event,
            "is a draft event, and the file records who was checked in; check-in belongs to an announced or held event: announce it first",
        )
        .into());
    }
    upsert_many(
        conn,
        dialect,
        "attendances",
        &["event_id", "person_id", "rsvp", "checked_in", "source", "updated_at_us"],
        " ON CONFLICT (event_id, person_id) DO UPDATE SET rsvp = excluded.rsvp, checked_in = excluded.checked_in, \
          source = excluded.source, updated_at_us = excluded.updated_at_us",
        writes.into_iter().map(|(p, r, c)| {
            vec![
                Value::Int(event.0),
                Value::Int(p.0),
                Value::Text(r.as_str().to_owned()),
                Value::Text(c.as_str().to_owned()),
                Value::Text(source.clone()),
                Value::Int(ctx.now_us()),
            ]
        }),
    )
    .await?;
    Ok(())
}

/// The event's attendances as they are: person → (RSVP code, check-in code).
async fn existing_attendances(
    conn: &mut AnyConnection,
    event: EventId,
) -> Result<HashMap<i64, (u8, u8)>, StoreError> {
    // Streamed, so that a large event's rows are never all held at once.
    let mut existing: HashMap<i64, (u8, u8)> = HashMap::new();
    let mut rows = sqlx::query(
        "SELECT person_id, \
           CASE rsvp WHEN 'going' THEN 0 WHEN 'waitlist' THEN 1 WHEN 'declined' THEN 2 ELSE 3 END AS r, \
           CASE checked_in WHEN 'yes' THEN 0 WHEN 'no' THEN 1 ELSE 2 END AS c \
         FROM attendances WHERE event_id = $1",
    )
    .bind(event.0)
    .fetch(&mut *conn);
    while let Some(r) = rows.try_next().await? {
        use sqlx::Row;
        let code = |i: usize| -> Result<u8, StoreError> {
            Ok(u8::try_from(r.try_get::<i64, _>(i)?).unwrap_or(2))
        };
        existing.insert(r.try_get::<i64, _>(0)?, (code(1)?, code(2)?));
    }
    drop(rows);
    Ok(existing)
}

/// Writes the answers that are new or changed; returns how many.
async fn write_answers(
    conn: &mut AnyConnection,
    dialect: Dialect,
    event: EventId,
    facts: &FileFacts,
    answers: Vec<(PersonId, u32, String)>,
) -> Result<u64, StoreError> {
    if answers.is_empty() {
        return Ok(0);
    }
    // The stored answers to this file's questions, streamed; keyed by question index.
    let index: HashMap<&str, u32> = facts
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.as_str(), u32::try_from(i).unwrap_or(u32::MAX)))
        .collect();
    let mut existing: HashMap<(i64, u32), String> = HashMap::new();
    let mut stored =
        sqlx::query("SELECT person_id, question, answer FROM person_answers WHERE event_id = $1")
            .bind(event.0)
            .fetch(&mut *conn);
    while let Some(r) = stored.try_next().await? {
        if let Some(q) = index.get(text(&r, "question")?.as_str()) {
            existing.insert((i64_(&r, "person_id")?, *q), text(&r, "answer")?);
        }
    }
    drop(stored);
    let mut rows = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (p, q, a) in answers.into_iter().rev() {
        let Some(question) = facts.questions.get(q as usize) else {
            continue;
        };
        let key = (p.0, q);
        if !seen.insert(key) || existing.get(&key) == Some(&a) {
            continue;
        }
        rows.push(vec![
            Value::Int(event.0),
            Value::Int(p.0),
            Value::Text(question.clone()),
            Value::Text(a),
        ]);
    }
    let n = rows.len() as u64;
    upsert_many(
        conn,
        dialect,
        "person_answers",
        &["event_id", "person_id", "question", "answer"],
        " ON CONFLICT (event_id, person_id, question) DO UPDATE SET answer = excluded.answer",
        rows,
    )
    .await?;
    Ok(n)
}

/// Adds `person` as a presenter of the event's demos imported under `sessions`.
async fn link_presenter(
    conn: &mut AnyConnection,
    event: EventId,
    platform: Platform,
    sessions: &[String],
    person: PersonId,
) -> Result<u64, StoreError> {
    let mut added = 0;
    for ext in sessions {
        let Some(r) = sqlx::query(
            "SELECT d.id FROM demo_external_ids x JOIN demos d ON d.id = x.demo_id \
             WHERE x.platform = $1 AND x.external_id = $2 AND d.event_id = $3",
        )
        .bind(platform.as_str())
        .bind(ext)
        .bind(event.0)
        .fetch_optional(&mut *conn)
        .await?
        else {
            continue;
        };
        added += add_presenter(conn, i64_(&r, "id")?, person).await?;
    }
    Ok(added)
}

async fn add_presenter(
    conn: &mut AnyConnection,
    demo: i64,
    person: PersonId,
) -> Result<u64, StoreError> {
    let r = sqlx::query(
        "SELECT COALESCE(MAX(position), 0) AS m, COALESCE(SUM(CASE WHEN person_id = $2 THEN 1 ELSE 0 END), 0) AS mine \
         FROM demo_presenters WHERE demo_id = $1",
    )
    .bind(demo)
    .bind(person.0)
    .fetch_one(&mut *conn)
    .await?;
    if i64_(&r, "mine")? > 0 {
        return Ok(0);
    }
    sqlx::query("INSERT INTO demo_presenters (demo_id, person_id, position) VALUES ($1, $2, $3)")
        .bind(demo)
        .bind(person.0)
        .bind(i64_(&r, "m")? + 1)
        .execute(&mut *conn)
        .await?;
    Ok(1)
}

/// The screening and contract columns a status implies for an imported demo: the
/// platform's acceptance is the screening, the speaker's confirmation the contract.
fn implied(status: DemoStatus, now: i64) -> (i64, Option<i64>, Option<i64>) {
    let screened = matches!(
        status,
        DemoStatus::Screened | DemoStatus::Confirmed | DemoStatus::Presented
    );
    (
        i64::from(screened),
        screened.then_some(now),
        matches!(status, DemoStatus::Confirmed | DemoStatus::Presented).then_some(now),
    )
}

/// The status a session asks for: a public feed's session (see
/// [`trellis_core::import::PUBLISHED`]) was presented if its event has been held.
fn wanted(s: &Session, event_held: bool) -> DemoStatus {
    if event_held && s.status == DemoStatus::Confirmed && s.platform_status == PUBLISHED {
        DemoStatus::Presented
    } else {
        s.status
    }
}

#[allow(clippy::too_many_arguments)]
async fn write_sessions(
    conn: &mut AnyConnection,
    ctx: &Ctx,
    event: EventId,
    slots: i64,
    event_held: bool,
    platform: Platform,
    questions: &[String],
    got: &mut Collected,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    if got.sessions.is_empty() {
        return Ok(());
    }
    let held_row = sqlx::query(
        "SELECT COUNT(*) AS n FROM demos WHERE event_id = $1 AND status IN ('confirmed', 'presented', 'no_show')",
    )
    .bind(event.0)
    .fetch_one(&mut *conn)
    .await?;
    let mut to = SessionTarget {
        ctx,
        event,
        slots,
        held: i64_(&held_row, "n")?,
        event_held,
        platform,
        questions,
        now: ctx.now_us(),
    };
    for (s, presenters) in std::mem::take(&mut got.sessions) {
        let title = match validate_title(&s.title) {
            Ok(t) => t,
            Err(e) => {
                report.skipped.push(RowNote {
                    line: s.line,
                    reason: format!("session {}: {e}", s.external_id),
                });
                continue;
            }
        };
        let found = sqlx::query(
            "SELECT d.id, d.event_id, d.status, d.title FROM demo_external_ids x JOIN demos d ON d.id = x.demo_id \
             WHERE x.platform = $1 AND x.external_id = $2",
        )
        .bind(platform.as_str())
        .bind(&s.external_id)
        .fetch_optional(&mut *conn)
        .await?;
        match found {
            None => add_session(conn, &mut to, &s, &presenters, &title, report).await?,
            Some(r) => update_session(conn, &mut to, &r, &s, &presenters, &title, report).await?,
        }
    }
    Ok(())
}

/// What the sessions of one import are written into: the event, its demo slots and how
/// many of them are held so far.
struct SessionTarget<'a> {
    ctx: &'a Ctx,
    event: EventId,
    slots: i64,
    held: i64,
    /// The event was held: a public feed's session was presented.
    event_held: bool,
    platform: Platform,
    questions: &'a [String],
    now: i64,
}

impl SessionTarget<'_> {
    /// Takes a slot for a session the platform confirms; `false` when none is free.
    fn take_slot(&mut self) -> bool {
        if self.held >= self.slots {
            return false;
        }
        self.held += 1;
        true
    }

    fn no_slot(&self, s: &Session) -> RowNote {
        RowNote {
            line: s.line,
            reason: format!(
                "session {} is {} on {}, but all {} demo slots of event {} are taken: imported as screened (free a slot, then confirm it)",
                s.external_id, s.platform_status, self.platform, self.slots, self.event
            ),
        }
    }
}

/// A session seen for the first time: a new demo of the event.
async fn add_session(
    conn: &mut AnyConnection,
    to: &mut SessionTarget<'_>,
    s: &Session,
    presenters: &[PersonId],
    title: &str,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    let mut status = wanted(s, to.event_held);
    if status.holds_slot() && !to.take_slot() {
        report.notes.push(to.no_slot(s));
        status = DemoStatus::Screened;
    }
    let (passed, screened_at, contract_at) = implied(status, to.now);
    let r = sqlx::query(
        "INSERT INTO demos (event_id, title, status, screening_passed, screened_at_us, contract_accepted_at_us, created_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(to.event.0)
    .bind(title)
    .bind(status.as_str())
    .bind(passed)
    .bind(screened_at)
    .bind(contract_at)
    .bind(to.now)
    .fetch_one(&mut *conn)
    .await?;
    let demo = i64_(&r, "id")?;
    for p in presenters {
        add_presenter(conn, demo, *p).await?;
    }
    record_history(
        conn,
        to.ctx,
        "demo_status_history",
        ("demo_id", demo),
        None,
        status.as_str(),
    )
    .await?;
    sqlx::query(
        "INSERT INTO demo_external_ids (platform, external_id, demo_id) VALUES ($1, $2, $3)",
    )
    .bind(to.platform.as_str())
    .bind(&s.external_id)
    .bind(demo)
    .execute(&mut *conn)
    .await?;
    write_demo_answers(conn, demo, s, to.questions, report).await?;
    report.added += 1;
    Ok(())
}

/// A session imported before (`found`: its demo): title, status, presenters and answers
/// brought up to date, a status Trellis alone decides (presented, no-show) kept.
async fn update_session(
    conn: &mut AnyConnection,
    to: &mut SessionTarget<'_>,
    found: &AnyRow,
    s: &Session,
    presenters: &[PersonId],
    title: &str,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    let demo = i64_(found, "id")?;
    if i64_(found, "event_id")? != to.event.0 {
        report.skipped.push(RowNote {
            line: s.line,
            reason: format!(
                "session {} was imported into event {} already (demo {demo}); a session belongs to one event",
                s.external_id,
                i64_(found, "event_id")?
            ),
        });
        return Ok(());
    }
    let current: DemoStatus = parse(found, "status")?;
    let mut changed = false;
    if opt_text(found, "title")?.as_deref() != Some(title) {
        sqlx::query("UPDATE demos SET title = $1 WHERE id = $2")
            .bind(title)
            .bind(demo)
            .execute(&mut *conn)
            .await?;
        changed = true;
    }
    changed |= update_status(conn, to, s, demo, current, report).await?;
    for p in presenters {
        let n = add_presenter(conn, demo, *p).await?;
        report.presenters_added += n;
        changed |= n > 0;
    }
    changed |= write_demo_answers(conn, demo, s, to.questions, report).await?;
    if changed {
        report.updated += 1;
    } else {
        report.unchanged += 1;
    }
    Ok(())
}

/// The demo's status brought up to the session's, within what Trellis allows: a status
/// it alone decides is kept, and a slot is taken only when one is free. Returns whether
/// it changed.
async fn update_status(
    conn: &mut AnyConnection,
    to: &mut SessionTarget<'_>,
    s: &Session,
    demo: i64,
    current: DemoStatus,
    report: &mut ImportReport,
) -> Result<bool, StoreError> {
    let mut next = wanted(s, to.event_held);
    if matches!(current, DemoStatus::Presented | DemoStatus::NoShow) && next != current {
        report.notes.push(RowNote {
            line: s.line,
            reason: format!(
                "demo {demo} is {current} in Trellis; {} says {}: kept {current}",
                to.platform, s.platform_status
            ),
        });
        next = current;
    }
    if next.holds_slot() && !current.holds_slot() && !to.take_slot() {
        report.notes.push(to.no_slot(s));
        next = if current == DemoStatus::Proposed {
            DemoStatus::Screened
        } else {
            current
        };
    }
    if current.holds_slot() && !next.holds_slot() {
        to.held -= 1;
    }
    if next != current {
        let (passed, screened_at, contract_at) = implied(next, to.now);
        sqlx::query(
            "UPDATE demos SET status = $1, screening_passed = CASE WHEN $2 = 1 THEN 1 ELSE screening_passed END, \
             screened_at_us = COALESCE(screened_at_us, $3), contract_accepted_at_us = COALESCE(contract_accepted_at_us, $4) WHERE id = $5",
        )
        .bind(next.as_str())
        .bind(passed)
        .bind(screened_at)
        .bind(contract_at)
        .bind(demo)
        .execute(&mut *conn)
        .await?;
        record_history(
            conn,
            to.ctx,
            "demo_status_history",
            ("demo_id", demo),
            Some(current.as_str()),
            next.as_str(),
        )
        .await?;
        return Ok(true);
    }
    Ok(false)
}

/// Returns whether an answer was new or changed.
async fn write_demo_answers(
    conn: &mut AnyConnection,
    demo: i64,
    s: &Session,
    questions: &[String],
    report: &mut ImportReport,
) -> Result<bool, StoreError> {
    let mut changed = false;
    for (q, a) in &s.answers {
        let Some(question) = questions.get(*q as usize) else {
            continue;
        };
        let old =
            sqlx::query("SELECT answer FROM demo_answers WHERE demo_id = $1 AND question = $2")
                .bind(demo)
                .bind(question)
                .fetch_optional(&mut *conn)
                .await?;
        if old
            .as_ref()
            .map(|r| text(r, "answer"))
            .transpose()?
            .as_deref()
            == Some(a.as_str())
        {
            continue;
        }
        sqlx::query(
            "INSERT INTO demo_answers (demo_id, question, answer) VALUES ($1, $2, $3) \
             ON CONFLICT (demo_id, question) DO UPDATE SET answer = excluded.answer",
        )
        .bind(demo)
        .bind(question)
        .bind(a)
        .execute(&mut *conn)
        .await?;
        report.answers += 1;
        changed = true;
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(status: DemoStatus, platform_status: &str) -> Session {
        Session {
            line: 1,
            external_id: "1".into(),
            title: "t".into(),
            status,
            platform_status: platform_status.into(),
            speakers: Vec::new(),
            answers: Vec::new(),
        }
    }

    /// A public feed's session was presented once its event is held; any other status
    /// is the platform's, held or not.
    #[test]
    fn a_published_session_of_a_held_event_was_presented() {
        let published = session(DemoStatus::Confirmed, PUBLISHED);
        assert_eq!(wanted(&published, false), DemoStatus::Confirmed);
        assert_eq!(wanted(&published, true), DemoStatus::Presented);
        let accepted = session(DemoStatus::Confirmed, "Accepted");
        assert_eq!(wanted(&accepted, true), DemoStatus::Confirmed);
        assert_eq!(implied(DemoStatus::Presented, 7), (1, Some(7), Some(7)));
    }
}
