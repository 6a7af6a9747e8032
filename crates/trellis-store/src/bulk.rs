//! Bulk loads (the sample, restores, the importers): multi-row inserts, one statement per
//! few hundred rows instead of one per row, and ids assigned by the loader from the
//! current maximum so that rows can refer to each other without a round trip per row.
//! What differs between the backends (parameters, limits, sequences) is the
//! [`Dialect`]'s.

use crate::dialect::Dialect;
use crate::error::StoreError;
use crate::row::i64_;
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

/// The first id a loader may assign in `table`: one past the largest. The caller holds
/// the write lock (SQLite) or [`Dialect::lock_for_new_ids`] (PostgreSQL), so the range
/// stays its own; afterwards it calls [`bump_sequence`].
pub(crate) async fn next_id(
    conn: &mut AnyConnection,
    table: &'static str,
) -> Result<i64, StoreError> {
    let sql = format!("SELECT COALESCE(MAX(id), 0) AS m FROM {table}");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_one(&mut *conn)
        .await?;
    Ok(i64_(&row, "m")? + 1)
}

/// After a loader wrote explicit ids into `table`: the database's own ids go on after
/// them ([`Dialect::bump_sequence`]).
pub(crate) async fn bump_sequence(
    conn: &mut AnyConnection,
    dialect: Dialect,
    table: &'static str,
) -> Result<(), StoreError> {
    dialect.bump_sequence(conn, table).await
}

/// `$from, $from+1, …` for `n` parameters of a statement written by hand (the same on
/// both backends; keep `n` within [`Dialect::lookup_chunk`]).
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    let mut s = String::with_capacity(n * 6);
    for i in 0..n {
        if i > 0 {
            s.push_str(", ");
        }
        s.push('$');
        s.push_str(&(from + i).to_string());
    }
    s
}

pub(crate) async fn insert_many(
    conn: &mut AnyConnection,
    dialect: Dialect,
    table: &str,
    columns: &[&str],
    rows: impl IntoIterator<Item = Vec<Value>>,
) -> Result<u64, StoreError> {
    upsert_many(conn, dialect, table, columns, "", rows).await
}

/// As [`insert_many`], each statement ending with `tail` (an `ON CONFLICT …` clause).
pub(crate) async fn upsert_many(
    conn: &mut AnyConnection,
    dialect: Dialect,
    table: &str,
    columns: &[&str],
    tail: &str,
    rows: impl IntoIterator<Item = Vec<Value>>,
) -> Result<u64, StoreError> {
    let per = dialect.rows_per_insert(columns.len());
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(per);
    let mut total = 0;
    for row in rows {
        batch.push(row);
        if batch.len() == per {
            total += flush(conn, dialect, table, columns, tail, &mut batch).await?;
        }
    }
    if !batch.is_empty() {
        total += flush(conn, dialect, table, columns, tail, &mut batch).await?;
    }
    Ok(total)
}

async fn flush(
    conn: &mut AnyConnection,
    dialect: Dialect,
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
            dialect.push_param(&mut sql, p);
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
