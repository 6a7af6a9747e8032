//! Roles per program: which programs a web account reaches, and as what. The store only
//! records grants and finds the program a page is about; `trellis_core::access::Access`
//! decides what a grant allows.

use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::open::Store;
use crate::row::{i64_, opt_i64, parse, text};
use crate::web::User;
use sqlx::{Any, Transaction};
use std::collections::{BTreeSet, HashMap};
use trellis_core::access::{Access, Role};
use trellis_core::cohost::Hosts;
use trellis_core::{CoreError, EventId, PersonId, ProgramId};

/// One grant as `trellis user list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub user_id: i64,
    pub program: ProgramId,
    pub program_name: String,
    pub role: Role,
}

/// A program-scoped role: only organizer and viewer are granted per program.
fn scoped(role: Role) -> Result<Role, StoreError> {
    if role == Role::Admin {
        return Err(CoreError::invalid(
            "role",
            "admin",
            "is an account's role, not a program's: grant organizer or viewer",
        )
        .into());
    }
    Ok(role)
}

impl Store {
    /// What `user` reaches: every program for an admin, else its grants.
    pub async fn access(&self, user: &User) -> Result<Access, StoreError> {
        if user.role.may_administer() {
            return Ok(Access::admin());
        }
        let rows = sqlx::query("SELECT program_id, role FROM user_grants WHERE user_id = $1")
            .bind(user.id)
            .fetch_all(&self.pool)
            .await?;
        let grants = rows
            .iter()
            .map(|r| Ok((ProgramId(i64_(r, "program_id")?), parse::<Role>(r, "role")?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Access::granted(grants))
    }

    /// Every grant, by user then program name.
    pub async fn grants(&self) -> Result<Vec<Grant>, StoreError> {
        let rows = sqlx::query(
            "SELECT g.user_id, g.program_id, p.name, g.role FROM user_grants g \
             JOIN programs p ON p.id = g.program_id ORDER BY g.user_id, p.name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Grant {
                    user_id: i64_(r, "user_id")?,
                    program: ProgramId(i64_(r, "program_id")?),
                    program_name: text(r, "name")?,
                    role: parse(r, "role")?,
                })
            })
            .collect()
    }

    /// Grants `user` (id or e-mail) `role` on `program`, replacing the role it had there.
    pub async fn grant(
        &self,
        _ctx: &Ctx,
        user: &str,
        program: ProgramId,
        role: Role,
    ) -> Result<User, StoreError> {
        let role = scoped(role)?;
        let user = self.user(user).await?;
        self.program(program).await?;
        let mut tx = self.write_tx().await?;
        put_grant(&mut tx, user.id, program, role).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Takes `program` away from `user`. Whether there was a grant to take.
    pub async fn revoke_grant(
        &self,
        _ctx: &Ctx,
        user: &str,
        program: ProgramId,
    ) -> Result<(User, bool), StoreError> {
        let user = self.user(user).await?;
        self.program(program).await?;
        let done = sqlx::query("DELETE FROM user_grants WHERE user_id = $1 AND program_id = $2")
            .bind(user.id)
            .bind(program.0)
            .execute(&self.pool)
            .await?;
        Ok((user, done.rows_affected() > 0))
    }
}

impl Store {
    /// The programs each of `people` has a record in: an attendance, a demo, a card on
    /// the speaker pipeline, a follow-up or a spark at an event. Someone with no record
    /// anywhere is absent from the map.
    pub async fn programs_of_people(
        &self,
        people: &[PersonId],
    ) -> Result<HashMap<PersonId, BTreeSet<ProgramId>>, StoreError> {
        let mut found: HashMap<PersonId, BTreeSet<ProgramId>> = HashMap::new();
        for chunk in people.chunks(self.dialect().lookup_chunk()) {
            let ids = crate::bulk::placeholders(1, chunk.len());
            let sql = format!(
                "SELECT a.person_id, e.program_id, e.cohost_program_id FROM attendances a JOIN events e ON e.id = a.event_id WHERE a.person_id IN ({ids}) \
                 UNION SELECT dp.person_id, e.program_id, e.cohost_program_id FROM demo_presenters dp JOIN demos d ON d.id = dp.demo_id \
                   JOIN events e ON e.id = d.event_id WHERE dp.person_id IN ({ids}) \
                 UNION SELECT c.person_id, c.program_id, CAST(NULL AS BIGINT) FROM pipeline_cards c WHERE c.person_id IN ({ids}) \
                 UNION SELECT f.person_id, e.program_id, e.cohost_program_id FROM followups f JOIN events e ON e.id = f.event_id WHERE f.person_id IN ({ids}) \
                 UNION SELECT s.person_a, e.program_id, e.cohost_program_id FROM sparks s JOIN events e ON e.id = s.event_id WHERE s.person_a IN ({ids}) \
                 UNION SELECT s.person_b, e.program_id, e.cohost_program_id FROM sparks s JOIN events e ON e.id = s.event_id WHERE s.person_b IN ({ids})"
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for p in chunk {
                q = q.bind(p.0);
            }
            for r in q.fetch_all(&self.pool).await? {
                // A record at a co-hosted event is in both programs.
                let of = found.entry(PersonId(i64_(&r, "person_id")?)).or_default();
                of.insert(ProgramId(i64_(&r, "program_id")?));
                of.extend(opt_i64(&r, "cohost_program_id")?.map(ProgramId));
            }
        }
        Ok(found)
    }

    /// Every event's programs (its host and co-host), for filtering what one account may
    /// see of a list.
    pub async fn event_programs(&self) -> Result<HashMap<EventId, Hosts>, StoreError> {
        let rows = sqlx::query("SELECT id, program_id, cohost_program_id FROM events")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let hosts = Hosts {
                    host: ProgramId(i64_(r, "program_id")?),
                    cohost: opt_i64(r, "cohost_program_id")?.map(ProgramId),
                };
                Ok((EventId(i64_(r, "id")?), hosts))
            })
            .collect()
    }
}

/// Inserts or replaces one grant inside a transaction.
pub(crate) async fn put_grant(
    tx: &mut Transaction<'static, Any>,
    user: i64,
    program: ProgramId,
    role: Role,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM user_grants WHERE user_id = $1 AND program_id = $2")
        .bind(user)
        .bind(program.0)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO user_grants (user_id, program_id, role) VALUES ($1, $2, $3)")
        .bind(user)
        .bind(program.0)
        .bind(role.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Grants a new account its role on `programs`, or on every program when none are named:
/// an account made without naming programs keeps what accounts always had.
pub(crate) async fn grant_new_user(
    tx: &mut Transaction<'static, Any>,
    user: i64,
    role: Role,
    programs: Option<&[ProgramId]>,
) -> Result<(), StoreError> {
    if role.may_administer() {
        return Ok(());
    }
    match programs {
        Some(list) => {
            for p in list {
                put_grant(tx, user, *p, role).await?;
            }
        }
        None => {
            sqlx::query(
                "INSERT INTO user_grants (user_id, program_id, role) SELECT $1, id, $2 FROM programs",
            )
            .bind(user)
            .bind(role.as_str())
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}
