//! A program's public page and its call for demos: whether the page is on, its address,
//! and a hand raised there written whole in one transaction (the person, found by e-mail
//! or added; the proposed demo or the candidate's card; the offer itself).

use crate::board::{add_card, card_stage};
use crate::ctx::Ctx;
use crate::demos::{NewDemo, insert_proposal};
use crate::error::StoreError;
use crate::open::Store;
use crate::people::{NewPerson, insert_person};
use crate::programs::program_from_row;
use crate::row::{flag, i64_, opt_i64, opt_text};
use sqlx::AnyConnection;
use trellis_core::event::EventStatus;
use trellis_core::offer::{Offer, slug};
use trellis_core::pipeline::Stage;
use trellis_core::program::Program;
use trellis_core::{CoreError, DemoId, EventId, PersonId, ProgramId};

/// Whether a program's public page is on, and its address once it was ever turned on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicPage {
    pub on: bool,
    pub slug: Option<String>,
}

/// Where a hand raised went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raised {
    pub person: PersonId,
    /// The proposed demo, when an event was chosen.
    pub demo: Option<DemoId>,
}

impl Store {
    /// A program's public page setting.
    pub async fn public_page(&self, program: ProgramId) -> Result<PublicPage, StoreError> {
        let r = sqlx::query("SELECT slug, public_page FROM programs WHERE id = $1")
            .bind(program.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("program", program))?;
        Ok(PublicPage {
            on: flag(&r, "public_page")?,
            slug: opt_text(&r, "slug")?,
        })
    }

    /// Turns a program's public page on or off. The first time it is turned on, the page
    /// gets its address from the program's name (with the id added should another
    /// program have that address); the address stays when it is turned off and on.
    pub async fn set_public_page(
        &self,
        _ctx: &Ctx,
        program: ProgramId,
        on: bool,
    ) -> Result<PublicPage, StoreError> {
        let p = self.program(program).await?;
        let mut tx = self.write_tx().await?;
        let current = sqlx::query("SELECT slug FROM programs WHERE id = $1")
            .bind(program.0)
            .fetch_one(&mut *tx)
            .await?;
        let slug = match opt_text(&current, "slug")? {
            Some(s) => s,
            None => free_slug(&mut tx, &p).await?,
        };
        sqlx::query("UPDATE programs SET slug = $1, public_page = $2 WHERE id = $3")
            .bind(&slug)
            .bind(i64::from(on))
            .bind(program.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(PublicPage {
            on,
            slug: Some(slug),
        })
    }

    /// The program whose public page is at `slug`, if that page is on.
    pub async fn public_program(&self, slug: &str) -> Result<Option<Program>, StoreError> {
        let sql = format!(
            "SELECT {} FROM programs WHERE slug = $1 AND public_page = 1",
            crate::programs::COLUMNS
        );
        let r = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        r.map(|r| program_from_row(&r)).transpose()
    }

    /// Writes a hand raised on `program`'s public page: the person (found by e-mail, or
    /// added), then a proposed demo for `event` (which must be one of the program's
    /// announced events) or, for "any event", a candidate's card on the speaker pipeline
    /// (left as it is when they already have one), and the offer with their words.
    pub async fn raise_hand(
        &self,
        ctx: &Ctx,
        program: ProgramId,
        event: Option<EventId>,
        offer: &Offer,
    ) -> Result<Raised, StoreError> {
        let mut tx = self.write_tx().await?;
        let person = match person_by_email(&mut tx, &offer.email).await? {
            Some(p) => p,
            None => {
                let new = NewPerson {
                    name: offer.name.clone(),
                    emails: vec![offer.email.clone()],
                };
                insert_person(&mut tx, ctx, &new).await?.id
            }
        };
        let demo = match event {
            Some(e) => Some(propose(&mut tx, ctx, program, e, person, offer).await?),
            None => {
                if card_stage(&mut tx, program, person).await?.is_none() {
                    add_card(&mut tx, ctx, program, person, Stage::Candidate, false).await?;
                }
                None
            }
        };
        sqlx::query(
            "INSERT INTO demo_offers (program_id, person_id, event_id, demo_id, title, about, wip, at_us) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(program.0)
        .bind(person.0)
        .bind(event.map(|e| e.0))
        .bind(demo.map(|d| d.0))
        .bind(&offer.title)
        .bind(&offer.about)
        .bind(i64::from(offer.wip))
        .bind(ctx.now_us())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Raised { person, demo })
    }
}

/// The proposed demo of a hand raised for `event`, with what they wrote as its answers.
async fn propose(
    tx: &mut AnyConnection,
    ctx: &Ctx,
    program: ProgramId,
    event: EventId,
    person: PersonId,
    offer: &Offer,
) -> Result<DemoId, StoreError> {
    let r = sqlx::query("SELECT program_id, cohost_program_id, status FROM events WHERE id = $1")
        .bind(event.0)
        .fetch_optional(&mut *tx)
        .await?;
    let open = match &r {
        Some(r) => {
            // A co-hosted event takes demos from either program's page.
            (i64_(r, "program_id")? == program.0
                || crate::row::opt_i64(r, "cohost_program_id")? == Some(program.0))
                && crate::row::parse::<EventStatus>(r, "status")? == EventStatus::Announced
        }
        None => false,
    };
    if !open {
        return Err(CoreError::invalid(
            "event",
            event,
            "is not an event this page takes demos for",
        )
        .into());
    }
    let new = NewDemo {
        event,
        presenters: vec![person],
        title: offer.title.clone(),
    };
    let demo = insert_proposal(tx, ctx, &new, &offer.title).await?.id;
    let wip = if offer.wip { "yes" } else { "no" };
    for (q, a) in [
        ("What did you build?", offer.about.as_str()),
        ("Work in progress?", wip),
    ] {
        if a.is_empty() {
            continue;
        }
        sqlx::query("INSERT INTO demo_answers (demo_id, question, answer) VALUES ($1, $2, $3)")
            .bind(demo.0)
            .bind(q)
            .bind(a)
            .execute(&mut *tx)
            .await?;
    }
    Ok(demo)
}

/// The person an e-mail belongs to (the one they were merged into, if they were).
async fn person_by_email(
    conn: &mut AnyConnection,
    email: &str,
) -> Result<Option<PersonId>, StoreError> {
    let r = sqlx::query(
        "SELECT p.id, p.merged_into FROM person_emails e JOIN people p ON p.id = e.person_id WHERE e.email = $1",
    )
    .bind(email)
    .fetch_optional(&mut *conn)
    .await?;
    match r {
        Some(r) => Ok(Some(PersonId(
            opt_i64(&r, "merged_into")?.unwrap_or(i64_(&r, "id")?),
        ))),
        None => Ok(None),
    }
}

/// A public address no other program has: the name's slug, or with the id added.
async fn free_slug(conn: &mut AnyConnection, p: &Program) -> Result<String, StoreError> {
    let base = slug(&p.name);
    let taken = sqlx::query("SELECT id FROM programs WHERE slug = $1 AND id <> $2")
        .bind(&base)
        .bind(p.id.0)
        .fetch_optional(&mut *conn)
        .await?
        .is_some();
    Ok(if taken {
        format!("{base}-{}", p.id.0)
    } else {
        base
    })
}
