use crate::attendance::AttendanceView;
use crate::ctx::Ctx;
use crate::demos::DemoView;
use crate::error::StoreError;
use crate::open::Store;
use crate::row::{flag, i64_, text};
use std::collections::BTreeMap;
use trellis_core::PersonId;
use trellis_core::person::{normalise_email, validate_display_name};

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub name: String,
    pub emails: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonView {
    pub id: PersonId,
    pub name: String,
    pub emails: Vec<String>,
    pub quiet_killer: bool,
}

#[derive(Debug, Clone)]
pub struct PersonDetail {
    pub person: PersonView,
    pub platform_ids: BTreeMap<String, Vec<String>>,
    pub attendances: Vec<AttendanceView>,
    pub demos: Vec<DemoView>,
}

impl Store {
    pub async fn create_person(
        &self,
        ctx: &Ctx,
        new: &NewPerson,
    ) -> Result<PersonView, StoreError> {
        let mut tx = self.write_tx().await?;
        let person = insert_person(&mut tx, ctx, new).await?;
        tx.commit().await?;
        Ok(person)
    }

    pub async fn list_people(&self) -> Result<Vec<PersonView>, StoreError> {
        let rows = sqlx::query("SELECT id, display_name, quiet_killer FROM people WHERE merged_into IS NULL ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        let email_rows =
            sqlx::query("SELECT person_id, email FROM person_emails ORDER BY person_id, email")
                .fetch_all(&self.pool)
                .await?;
        let mut emails: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for r in &email_rows {
            emails
                .entry(i64_(r, "person_id")?)
                .or_default()
                .push(text(r, "email")?);
        }
        rows.iter()
            .map(|r| {
                let id = i64_(r, "id")?;
                Ok(PersonView {
                    id: PersonId(id),
                    name: text(r, "display_name")?,
                    emails: emails.remove(&id).unwrap_or_default(),
                    quiet_killer: flag(r, "quiet_killer")?,
                })
            })
            .collect()
    }

    pub async fn person(&self, id: PersonId) -> Result<PersonView, StoreError> {
        let row = sqlx::query("SELECT id, display_name, quiet_killer FROM people WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("person", id))?;
        let emails =
            sqlx::query("SELECT email FROM person_emails WHERE person_id = $1 ORDER BY email")
                .bind(id.0)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| text(r, "email"))
                .collect::<Result<_, _>>()?;
        Ok(PersonView {
            id,
            name: text(&row, "display_name")?,
            emails,
            quiet_killer: flag(&row, "quiet_killer")?,
        })
    }

    pub async fn person_detail(&self, id: PersonId) -> Result<PersonDetail, StoreError> {
        let person = self.person(id).await?;
        let mut platform_ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let rows = sqlx::query(
            "SELECT platform, external_id FROM person_platform_ids WHERE person_id = $1 ORDER BY platform, external_id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        for r in &rows {
            platform_ids
                .entry(text(r, "platform")?)
                .or_default()
                .push(text(r, "external_id")?);
        }
        let attendances = self.attendances_of_person(id).await?;
        let demos = self.demos_of_person(id).await?;
        Ok(PersonDetail {
            person,
            platform_ids,
            attendances,
            demos,
        })
    }
}

/// Writes a new person with their e-mails in the caller's transaction (an e-mail that
/// belongs to someone else is a conflict, naming them).
pub(crate) async fn insert_person(
    conn: &mut sqlx::AnyConnection,
    ctx: &Ctx,
    new: &NewPerson,
) -> Result<PersonView, StoreError> {
    let name = validate_display_name(&new.name)?;
    let mut emails = Vec::new();
    for e in &new.emails {
        let e = normalise_email(e)?;
        if !emails.contains(&e) {
            emails.push(e);
        }
    }
    let row = sqlx::query(
        "INSERT INTO people (display_name, created_at_us) VALUES ($1, $2) RETURNING id",
    )
    .bind(&name)
    .bind(ctx.now_us())
    .fetch_one(&mut *conn)
    .await?;
    let id = PersonId(i64_(&row, "id")?);
    for e in &emails {
        let owner = sqlx::query("SELECT person_id FROM person_emails WHERE email = $1")
            .bind(e)
            .fetch_optional(&mut *conn)
            .await?;
        if let Some(owner) = owner {
            return Err(StoreError::Conflict(format!(
                "email: {e:?} already belongs to person {}",
                i64_(&owner, "person_id")?
            )));
        }
        sqlx::query("INSERT INTO person_emails (email, person_id) VALUES ($1, $2)")
            .bind(e)
            .bind(id.0)
            .execute(&mut *conn)
            .await
            .map_err(|err| {
                crate::bulk::conflict_or(err, || {
                    format!("email: {e:?} already belongs to another person")
                })
            })?;
    }
    Ok(PersonView {
        id,
        name,
        emails,
        quiet_killer: false,
    })
}
