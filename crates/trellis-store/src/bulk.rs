//! Multi-row inserts for bulk loads (the sample, later the importers): one statement per
//! few hundred rows instead of one per row, with the same SQL on both backends.

use crate::error::StoreError;
use sqlx::any::AnyArguments;
use sqlx::{AnyConnection, Arguments};

#[derive(Debug, Clone)]
pub(crate) enum Value {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
    OptText(Option<String>),
    Float(f64),
}

/// Keeps a statement's bind count under both backends' limits (SQLite: 32766,
/// PostgreSQL: 65535) while making statements long enough to amortise the round trip.
/// SQLite statements here use anonymous `?` parameters, bound by position: with `$N`
/// the driver asks SQLite for each parameter's name, a walk of the list of names
/// (`sqlite3_bind_parameter_name` is linear), so binding grew with the square of a
/// statement's parameters (13% of a 1M-message chat import's time at 200 per statement).
fn rows_per_statement(columns: usize, sqlite: bool) -> usize {
    let budget = if sqlite { 4_000 } else { 30_000 };
    (budget / columns.max(1)).clamp(1, 500)
}

/// Bound `$N` parameters per SQLite statement for statements written by hand (see
/// [`rows_per_statement`]); measured fastest around this.
pub(crate) const SQLITE_PARAMS: usize = 200;

/// Whether the connection is SQLite's.
pub(crate) fn is_sqlite(conn: &AnyConnection) -> bool {
    conn.backend_name().eq_ignore_ascii_case("sqlite")
}

pub(crate) async fn insert_many(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: impl IntoIterator<Item = Vec<Value>>,
) -> Result<u64, StoreError> {
    upsert_many(conn, table, columns, "", rows).await
}

/// As [`insert_many`], each statement ending with `tail` (an `ON CONFLICT …` clause).
pub(crate) async fn upsert_many(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    tail: &str,
    rows: impl IntoIterator<Item = Vec<Value>>,
) -> Result<u64, StoreError> {
    let sqlite = is_sqlite(conn);
    let per = rows_per_statement(columns.len(), sqlite);
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(per);
    let mut total = 0;
    for row in rows {
        batch.push(row);
        if batch.len() == per {
            total += flush(conn, sqlite, table, columns, tail, &mut batch).await?;
        }
    }
    if !batch.is_empty() {
        total += flush(conn, sqlite, table, columns, tail, &mut batch).await?;
    }
    Ok(total)
}

async fn flush(
    conn: &mut AnyConnection,
    sqlite: bool,
    table: &str,
    columns: &[&str],
    tail: &str,
    batch: &mut Vec<Vec<Value>>,
) -> Result<u64, StoreError> {
    let n = columns.len();
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut args = AnyArguments::default();
    let mut p = 0;
    for (i, row) in batch.drain(..).enumerate() {
        if row.len() != n {
            return Err(StoreError::Corrupt(format!(
                "bulk row for {table} has {} values, not {n}",
                row.len()
            )));
        }
        sql.push_str(if i == 0 { "(" } else { ", (" });
        for (j, v) in row.into_iter().enumerate() {
            p += 1;
            if j > 0 {
                sql.push_str(", ");
            }
            if sqlite {
                sql.push('?');
            } else {
                sql.push('$');
                sql.push_str(&p.to_string());
            }
            let added = match v {
                Value::Int(x) => args.add(x),
                Value::OptInt(x) => args.add(x),
                Value::Text(x) => args.add(x),
                Value::OptText(x) => args.add(x),
                Value::Float(x) => args.add(x),
            };
            added.map_err(|e| {
                StoreError::Corrupt(format!("cannot bind a value for {table}: {e}"))
            })?;
        }
        sql.push(')');
    }
    sql.push_str(tail);
    let done = sqlx::query_with(sqlx::AssertSqlSafe(sql), args)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Maps a unique-constraint violation to a [`StoreError::Conflict`] with `message`; any
/// other error passes through. The constraint is the last word when two writers race past
/// a friendlier check.
pub(crate) fn conflict_or(err: sqlx::Error, message: impl FnOnce() -> String) -> StoreError {
    if err
        .as_database_error()
        .is_some_and(|db| db.is_unique_violation())
    {
        return StoreError::Conflict(message());
    }
    StoreError::Database(err)
}
