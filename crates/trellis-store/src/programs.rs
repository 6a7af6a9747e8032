use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::open::Store;
use crate::row::{i64_, text};
use sqlx::any::AnyRow;
use trellis_core::program::{Program, ProgramSettings};
use trellis_core::{ProgramId, time};

/// A program as a user asked for it; validated by [`Store::create_program`].
#[derive(Debug, Clone)]
pub struct NewProgram {
    pub name: String,
    pub tz: String,
    pub settings: ProgramSettings,
}

pub(crate) const COLUMNS: &str = "id, name, tz, demo_target, default_slots, followup_minimum, retro_hours, moves_per_event, demos_per_presenter";

/// Fails with "program N does not exist" unless it does.
pub(crate) async fn ensure_program(
    conn: &mut sqlx::AnyConnection,
    id: ProgramId,
) -> Result<(), StoreError> {
    sqlx::query("SELECT id FROM programs WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .map(|_| ())
        .ok_or_else(|| StoreError::not_found("program", id.0))
}

pub(crate) fn program_from_row(row: &AnyRow) -> Result<Program, StoreError> {
    Ok(Program {
        id: ProgramId(i64_(row, "id")?),
        name: text(row, "name")?,
        tz: text(row, "tz")?,
        settings: crate::gates::settings_from_row(row)?,
    })
}

impl Store {
    pub async fn create_program(&self, ctx: &Ctx, new: &NewProgram) -> Result<Program, StoreError> {
        let name = trellis_core::program::validate_name("NAME", &new.name)?;
        time::zone("tz", &new.tz)?;
        let mut tx = self.write_tx().await?;
        let taken = sqlx::query("SELECT id FROM programs WHERE lower(name) = lower($1)")
            .bind(&name)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(row) = taken {
            return Err(StoreError::Conflict(format!(
                "NAME: a program named {name:?} already exists (id {})",
                i64_(&row, "id")?
            )));
        }
        let s = &new.settings;
        let row = sqlx::query(
            "INSERT INTO programs (name, tz, demo_target, default_slots, followup_minimum, retro_hours, moves_per_event, demos_per_presenter, created_at_us, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(&name)
        .bind(new.tz.trim())
        .bind(i64::from(s.demo_target))
        .bind(i64::from(s.default_slots))
        .bind(i64::from(s.followup_minimum))
        .bind(i64::from(s.retro_hours))
        .bind(i64::from(s.moves_per_event))
        .bind(i64::from(s.demos_per_presenter))
        .bind(ctx.now_us())
        .bind(&ctx.actor)
        .fetch_one(&mut *tx)
        .await?;
        let id = ProgramId(i64_(&row, "id")?);
        tx.commit().await?;
        Ok(Program {
            id,
            name,
            tz: new.tz.trim().to_owned(),
            settings: *s,
        })
    }

    pub async fn list_programs(&self) -> Result<Vec<Program>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM programs ORDER BY id"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(program_from_row).collect()
    }

    pub async fn program(&self, id: ProgramId) -> Result<Program, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM programs WHERE id = $1"
        )))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("program", id))?;
        program_from_row(&row)
    }

    /// Every program's id, by id: what a check over all programs needs.
    pub async fn program_ids(&self) -> Result<Vec<ProgramId>, StoreError> {
        let rows = sqlx::query("SELECT id FROM programs ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok(ProgramId(crate::row::i64_(r, "id")?)))
            .collect()
    }

    /// Finds a program by the id `list` prints, or by its exact name.
    pub async fn find_program(&self, key: &str) -> Result<Program, StoreError> {
        let key = key.trim();
        if let Ok(id) = key.parse::<i64>() {
            return self.program(ProgramId(id)).await;
        }
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM programs WHERE lower(name) = lower($1)"
        )))
        .bind(key)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("program", format!("{key:?}")))?;
        program_from_row(&row)
    }
}

impl Store {
    /// Changes a program's settings: the numbers its gates measure against.
    pub async fn update_program_settings(
        &self,
        id: ProgramId,
        s: &ProgramSettings,
    ) -> Result<Program, StoreError> {
        let done = sqlx::query(
            "UPDATE programs SET demo_target = $1, default_slots = $2, followup_minimum = $3, retro_hours = $4, moves_per_event = $5, demos_per_presenter = $6 WHERE id = $7",
        )
        .bind(i64::from(s.demo_target))
        .bind(i64::from(s.default_slots))
        .bind(i64::from(s.followup_minimum))
        .bind(i64::from(s.retro_hours))
        .bind(i64::from(s.moves_per_event))
        .bind(i64::from(s.demos_per_presenter))
        .bind(id.0)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("program", id));
        }
        self.program(id).await
    }
}
